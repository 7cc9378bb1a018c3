//! Async connect and accept for tokio (the `tokio` feature): biosock's
//! sockets, made with `BIO_SOCK_NONBLOCK` and driven by tokio's readiness,
//! handed over as tokio's own `TcpStream` and `UnixStream`.
//!
//! [`connect`] races the addresses the Happy Eyeballs way (RFC 8305), as
//! [`Socket::connect_to`] does, without blocking the runtime: names are
//! resolved on tokio's blocking pool, and every attempt is a task of a
//! `JoinSet`, so dropping the future (a timeout, a `select!`) aborts the
//! attempts still running and closes their sockets. The futures are
//! cancel-safe in that sense: nothing is left behind.
//!
//! No function here panics for want of a runtime: called outside one, or
//! in one built without `enable_io` (or, for the timeouts, `enable_time`),
//! each returns an `io::Error` (kind `Other` with no runtime, `Unsupported`
//! with a driver disabled) that says so, and closes what it opened. (tokio
//! has no way to ask whether a driver is enabled; its panic is caught,
//! which needs the default `panic = "unwind"`.) The conversions
//! ([`tcp_stream`], [`tcp_listener`], [`unix_stream`], [`unix_listener`],
//! [`udp_socket`], [`Listener::from_socket`]) set the non-blocking mode
//! that tokio needs themselves.
//!
//! ```
//! use biosock::{tokio::{connect, Listener}, SockOpts};
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
//! # rt.block_on(async {
//! let listener = Listener::bind("127.0.0.1:0", SockOpts::REUSEADDR)?;
//! let addr = listener.local_addr()?;
//! let mut client = connect(addr, SockOpts::NODELAY).await?;
//! let (mut conn, _peer) = listener.accept_tcp().await?;
//! client.write_all(b"ping").await?;
//! let mut buf = [0; 4];
//! conn.read_exact(&mut buf).await?;
//! assert_eq!(&buf, b"ping");
//! # Ok::<(), std::io::Error>(())
//! # })?;
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use ::tokio::io::unix::AsyncFd;
use ::tokio::net::{TcpListener, TcpStream, UdpSocket, UnixListener, UnixStream};
use ::tokio::task::JoinSet;
use ::tokio::time::{sleep, sleep_until, Instant};

use crate::addr::BioAddr;
use crate::lookup::{LookupType, ToBioAddrs};
use crate::socket::Socket;
use crate::types::{Domain, SockOpts, Type};

/// Run `register`, which needs tokio's runtime and its drivers, as an
/// `io::Result`: no runtime on this thread is kind `Other`; a driver the
/// runtime was built without (tokio panics: "IO is disabled", "timers are
/// disabled") is kind `Unsupported` with tokio's words. What `register`
/// owned is dropped, and so closed, on the way out.
fn in_runtime<T>(what: &'static str, register: impl FnOnce() -> T) -> io::Result<T> {
    if ::tokio::runtime::Handle::try_current().is_err() {
        return Err(io::Error::other(format!(
            "biosock::tokio::{what}: no tokio runtime on this thread (call it from within one)"
        )));
    }
    catch_unwind(AssertUnwindSafe(register)).map_err(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        io::Error::new(
            io::ErrorKind::Unsupported,
            format!("biosock::tokio::{what}: {why}"),
        )
    })
}

/// `sock` made non-blocking and handed to `convert` (a tokio `from_std`),
/// inside [`in_runtime`].
fn to_tokio<S, T>(what: &'static str, sock: Socket, convert: impl FnOnce(S) -> io::Result<T>) -> io::Result<T>
where
    S: From<Socket>,
{
    sock.set_nonblocking(true)?;
    in_runtime(what, move || convert(S::from(sock)))?
}

/// A tokio `TcpStream` of a connected stream `Socket`, non-blocking mode
/// set (tokio needs it, and misbehaves without it).
///
/// # Errors
/// As [`Socket::set_nonblocking`]; no runtime (kind `Other`) or one without
/// I/O (kind `Unsupported`).
///
/// ```
/// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
/// # rt.block_on(async {
/// use biosock::{SockOpts, Socket};
/// let listener = Socket::listen_on("127.0.0.1:0", SockOpts::empty())?;
/// let s = Socket::connect_to(listener.local_addr()?, SockOpts::NODELAY)?;
/// let stream = biosock::tokio::tcp_stream(s)?;
/// assert!(stream.nodelay()?);
/// # Ok::<(), std::io::Error>(())
/// # })?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn tcp_stream(sock: Socket) -> io::Result<TcpStream> {
    to_tokio("tcp_stream", sock, TcpStream::from_std)
}

/// A tokio `TcpListener` of a listening `Socket` (one made with options
/// `listen_on` lacks, say), non-blocking mode set.
///
/// # Errors
/// As [`tcp_stream`].
///
/// ```
/// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
/// # rt.block_on(async {
/// use biosock::{SockOpts, Socket};
/// let l = Socket::listen_on("127.0.0.1:0", SockOpts::REUSEADDR)?;
/// let at = l.local_addr()?;
/// let listener = biosock::tokio::tcp_listener(l)?;
/// assert_eq!(biosock::BioAddr::from(listener.local_addr()?), at);
/// # Ok::<(), std::io::Error>(())
/// # })?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn tcp_listener(sock: Socket) -> io::Result<TcpListener> {
    to_tokio("tcp_listener", sock, TcpListener::from_std)
}

/// A tokio `UdpSocket` of a datagram `Socket`, non-blocking mode set.
///
/// # Errors
/// As [`tcp_stream`].
///
/// ```
/// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
/// # rt.block_on(async {
/// use biosock::{Domain, Socket, Type};
/// let s = Socket::new(Domain::IPV4, Type::DGRAM, None)?;
/// s.bind(&"127.0.0.1:0".parse()?, Default::default())?;
/// let udp = biosock::tokio::udp_socket(s)?;
/// udp.send_to(b"hi", udp.local_addr()?).await?;
/// let mut buf = [0; 2];
/// assert_eq!(udp.recv(&mut buf).await?, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn udp_socket(sock: Socket) -> io::Result<UdpSocket> {
    to_tokio("udp_socket", sock, UdpSocket::from_std)
}

/// A tokio `UnixStream` of a connected Unix stream `Socket`, non-blocking
/// mode set.
///
/// # Errors
/// As [`tcp_stream`].
///
/// ```
/// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
/// # rt.block_on(async {
/// use biosock::{Domain, Socket, Type};
/// let (a, _b) = std::os::unix::net::UnixStream::pair()?;
/// let stream = biosock::tokio::unix_stream(Socket::from(a))?;
/// assert!(stream.peer_addr()?.is_unnamed());
/// # Ok::<(), std::io::Error>(())
/// # })?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn unix_stream(sock: Socket) -> io::Result<UnixStream> {
    to_tokio("unix_stream", sock, UnixStream::from_std)
}

/// A tokio `UnixListener` of a listening Unix `Socket`, non-blocking mode
/// set.
///
/// # Errors
/// As [`tcp_stream`].
///
/// ```
/// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
/// # rt.block_on(async {
/// use biosock::{BioAddr, SockOpts, Socket};
/// let at = BioAddr::unix_abstract(b"biosock-doc-unix-listener")?;
/// let listener = biosock::tokio::unix_listener(Socket::listen_on(&at, SockOpts::empty())?)?;
/// # drop(listener);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn unix_listener(sock: Socket) -> io::Result<UnixListener> {
    to_tokio("unix_listener", sock, UnixListener::from_std)
}

/// What the async connects apply to every attempt.
const CONNECT_OPTS: SockOpts = SockOpts::HAPPY.difference(SockOpts::NONBLOCK);

/// Connect to `addr` over TCP, racing its addresses with
/// [`Socket::DEFAULT_ATTEMPT_DELAY`] and no overall timeout (wrap the future
/// in `tokio::time::timeout` for one): [`connect_happy`]'s defaults.
///
/// # Errors
/// As [`connect_happy`].
///
/// ```
/// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
/// # rt.block_on(async {
/// use biosock::{tokio::{connect, Listener}, SockOpts};
/// let listener = Listener::bind("127.0.0.1:0", SockOpts::empty())?;
/// let stream = connect(listener.local_addr()?, SockOpts::NODELAY).await?;
/// assert!(stream.nodelay()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// # Ok::<(), std::io::Error>(())
/// ```
pub async fn connect<A>(addr: A, opts: SockOpts) -> io::Result<TcpStream>
where
    A: ToBioAddrs + Send + 'static,
{
    connect_happy(addr, opts, Socket::DEFAULT_ATTEMPT_DELAY, None).await
}

/// Connect to `addr` over TCP, the Happy Eyeballs way (RFC 8305), by the
/// rules of the C race (`biosock_connect_any` in `biosock.h`, which
/// [`Socket::connect_happy`] calls), so that the sync and the async races
/// behave alike:
/// - the order: the addresses interleaved by family, the first address's
///   family first (`biosock_connect_order`, the C function itself, checked
///   against the table `c/tests/happy_order.txt` that the C suite runs);
/// - the delays: a new attempt every `attempt_delay`, at least
///   `BIOSOCK_HE_MIN_DELAY_MS` (10 ms), or as soon as one fails;
/// - the end: the first to complete wins and the others are aborted and
///   closed; `timeout` bounds the whole race;
/// - the failures: each address's errno, reported in the order the
///   addresses were given ([`crate::Error::attempts`]), the last failure's
///   kind.
///
/// Applies `KEEPALIVE` and `NODELAY` to every attempt.
///
/// # Errors
/// `InvalidInput` for any other option, for what [`ToBioAddrs`] refuses,
/// and for a Unix address (use [`connect_unix`]); the lookup's error; when
/// every attempt fails, the last one's error (`ConnectionRefused`, ...);
/// when `timeout` ran out first, errno `ETIMEDOUT` (kind `TimedOut`), as the
/// sync [`Socket::connect_happy`] and [`Socket::connect_timeout`] give it.
/// When more than one address was attempted, the `io::Error` wraps a
/// [`crate::Error`] that names each address with its reason (`connect: 2
/// addresses failed: 127.0.0.1:1: Connection refused (os error 111);
/// [::1]:1: ...`; [`crate::Error::attempts`] has the errnos), so its own
/// `raw_os_error()` is `None`: the kind is the last attempt's.
///
/// ```
/// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
/// # rt.block_on(async {
/// use biosock::{tokio::{connect_happy, Listener}, SockOpts};
/// use std::time::Duration;
/// let listener = Listener::bind("127.0.0.1:0", SockOpts::empty())?;
/// let port = listener.local_addr()?.port().unwrap();
/// // "localhost" may give ::1 and 127.0.0.1: raced, 50 ms apart, 5 s in all.
/// let stream = connect_happy(("localhost", port), SockOpts::empty(),
///                            Duration::from_millis(50), Some(Duration::from_secs(5))).await?;
/// assert_eq!(stream.peer_addr()?.port(), port);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// # Ok::<(), std::io::Error>(())
/// ```
pub async fn connect_happy<A>(
    addr: A,
    opts: SockOpts,
    attempt_delay: Duration,
    timeout: Option<Duration>,
) -> io::Result<TcpStream>
where
    A: ToBioAddrs + Send + 'static,
{
    // Spawning the lookup and the attempts needs a runtime: refuse at once
    // (with an error, not tokio's panic) without one.
    in_runtime("connect_happy", || ())?;
    if !CONNECT_OPTS.contains(opts) {
        return Err(crate::Error::invalid_input(
            "biosock_connect_any",
            format!("async connect does not apply {opts:?}"),
        )
        .into());
    }
    // Duration::MAX and the like: no deadline rather than an overflow.
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    let addrs = resolve(addr).await?;
    if addrs.iter().any(|a| a.family() == Domain::UNIX) {
        return Err(
            crate::Error::invalid_input("biosock_connect_any", "a Unix address: use connect_unix").into(),
        );
    }
    let order = attempt_order(&addrs);
    let delay = attempt_delay.max(Socket::MIN_ATTEMPT_DELAY);
    let mut attempts = JoinSet::new();
    // How each address fared, as biosock_connect_any reports it (indexed as
    // the addresses were given): an errno once its attempt failed, 0 before.
    let mut errs = vec![0; addrs.len()];
    let mut started = 0;
    let mut last_error = None;
    loop {
        if let Some(&i) = order.get(started) {
            let addr = addrs[i].clone();
            attempts.spawn(async move { (i, attempt(addr, opts).await) });
            started += 1;
        }
        let more = started < order.len();
        if attempts.is_empty() && !more {
            let Some(last) = last_error else {
                return Err(crate::socket::no_address().into());
            };
            return Err(race_failed(
                crate::Error::connect_failed("biosock_connect_any", last),
                &addrs,
                &errs,
            ));
        }
        ::tokio::select! {
            Some(done) = attempts.join_next() => match done {
                Ok((_, Ok(stream))) => return Ok(stream),
                Ok((i, Err(e))) => {
                    errs[i] = e.raw_os_error().unwrap_or(0);
                    last_error = Some(e);
                }
                Err(e) => last_error = Some(io::Error::other(e)),
            },
            () = timer("connect_happy", delay)?, if more => {}
            () = timer_until("connect_happy", deadline.unwrap_or_else(Instant::now))?, if deadline.is_some() => {
                // One shape for every timeout: ETIMEDOUT, as the sync race,
                // for each attempt still under way.
                for &i in &order[..started] {
                    if errs[i] == 0 {
                        errs[i] = crate::sys::c::ETIMEDOUT;
                    }
                }
                return Err(race_failed(crate::Error::timed_out("biosock_connect_any"), &addrs, &errs));
            }
        }
    }
}

/// A failed race's `io::Error`: with one address attempted, `?`'s
/// conversion (errno kept); with several, one that keeps the whole
/// [`crate::Error`] (its `Display` names each address with its reason,
/// [`crate::Error::attempts`] has each errno) at the cost of
/// `raw_os_error()`, as [`crate::Error::into_io_error_with_context`] says.
fn race_failed(e: crate::Error, addrs: &[BioAddr], errs: &[i32]) -> io::Error {
    let e = e.with_attempts(addrs, errs);
    if e.attempts().len() > 1 {
        e.into_io_error_with_context()
    } else {
        e.into()
    }
}

/// tokio's `sleep`, which panics in a runtime without timers: an error.
fn timer(what: &'static str, d: Duration) -> io::Result<::tokio::time::Sleep> {
    in_runtime(what, || sleep(d))
}

/// tokio's `sleep_until`, as [`timer`].
fn timer_until(what: &'static str, at: Instant) -> io::Result<::tokio::time::Sleep> {
    in_runtime(what, || sleep_until(at))
}

/// Connect to a Unix socket `addr` (a path, or a [`BioAddr::unix`] /
/// [`BioAddr::unix_abstract`] address).
///
/// # Errors
/// `InvalidInput` for an address that is not a Unix one; the connect's
/// error (`NotFound`, `ConnectionRefused`, `WouldBlock` when the
/// listener's backlog is full, ...).
///
/// ```
/// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
/// # rt.block_on(async {
/// use biosock::{tokio::{connect_unix, Listener}, BioAddr, SockOpts};
/// let at = BioAddr::unix_abstract(b"biosock-doc-connect-unix")?;
/// let listener = Listener::bind(&at, SockOpts::empty())?;
/// let stream = connect_unix(at).await?;
/// let (_conn, _peer) = listener.accept_unix().await?;
/// # drop(stream);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// # Ok::<(), std::io::Error>(())
/// ```
pub async fn connect_unix<A: ToBioAddrs>(addr: A) -> io::Result<UnixStream> {
    let addr = addr
        .to_bio_addrs(LookupType::Client)?
        .next()
        .filter(|a| a.family() == Domain::UNIX)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a Unix socket address"))?;
    let stream = unix_stream(start(&addr, SockOpts::empty())?)?;
    finish(stream.writable().await, stream.take_error()).map(|()| stream)
}

/// The addresses of `addr`, resolved on the blocking pool when it takes a
/// lookup.
async fn resolve<A: ToBioAddrs + Send + 'static>(addr: A) -> io::Result<Vec<BioAddr>> {
    let resolve =
        move || -> io::Result<Vec<BioAddr>> { Ok(addr.to_bio_addrs(LookupType::Client)?.collect()) };
    ::tokio::task::spawn_blocking(resolve)
        .await
        .map_err(io::Error::other)?
}

/// The indices of `addrs` in the order they are tried, RFC 8305 section 4
/// as the sync race orders them: the C library's `biosock_connect_order`
/// (the first address's family first, then the families alternating), so
/// that both races follow one rule.
fn attempt_order(addrs: &[BioAddr]) -> Vec<usize> {
    let ptrs: Vec<*const crate::ffi::BIO_ADDR> = addrs.iter().map(BioAddr::as_ptr).collect();
    let mut order = vec![0usize; addrs.len()];
    // SAFETY: ptrs holds addrs.len() valid BIO_ADDRs, order room for as
    // many indices; the call reads and writes nothing else.
    let n = unsafe { crate::ffi::biosock_connect_order(ptrs.as_ptr(), ptrs.len(), order.as_mut_ptr()) };
    order.truncate(n);
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokio race orders addresses by the table the C suite checks
    /// (c/tests/happy_order.txt).
    #[test]
    #[cfg_attr(miri, ignore = "calls C")]
    fn attempt_order_follows_the_shared_table() {
        let table = include_str!("../c/tests/happy_order.txt");
        let mut cases = 0;
        for line in table
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut words = line.split_whitespace();
            let families = words.next().unwrap();
            let want: Vec<usize> = words.map(|w| w.parse().unwrap()).collect();
            let addrs: Vec<BioAddr> = families
                .chars()
                .map(|f| {
                    let at = if f == '6' { "[::1]:1" } else { "127.0.0.1:1" };
                    at.parse().unwrap()
                })
                .collect();
            assert_eq!(attempt_order(&addrs), want, "{families}");
            cases += 1;
        }
        assert!(cases >= 10);
    }
}

/// A non-blocking socket whose connect to `addr` has started.
fn start(addr: &BioAddr, opts: SockOpts) -> io::Result<Socket> {
    let ty = Type::STREAM;
    let s = Socket::new(addr.family(), ty, None)?;
    match s.connect(addr, opts | SockOpts::NONBLOCK) {
        Err(e) if !e.is_in_progress() => Err(e.into()),
        _ => Ok(s),
    }
}

/// The outcome of a connect once the socket is writable.
fn finish(writable: io::Result<()>, pending: io::Result<Option<io::Error>>) -> io::Result<()> {
    writable?;
    match pending? {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// One attempt: its own task, so that aborting it drops (closes) the socket.
async fn attempt(addr: BioAddr, opts: SockOpts) -> io::Result<TcpStream> {
    let stream = tcp_stream(start(&addr, opts)?)?;
    finish(stream.writable().await, stream.take_error()).map(|()| stream)
}

/// A listening biosock socket (`BIO_listen` with `NONBLOCK`) registered
/// with tokio; its accepts hand out tokio streams.
#[derive(Debug)]
pub struct Listener {
    inner: AsyncFd<Socket>,
}

impl Listener {
    /// Listen on `addr` as [`Socket::listen_on`] does, non-blocking, and
    /// register with the current tokio runtime.
    ///
    /// # Errors
    /// As [`Socket::listen_on`]; an error registering with tokio (no
    /// runtime with I/O enabled).
    ///
    /// ```
    /// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    /// # rt.block_on(async {
    /// use biosock::{tokio::Listener, SockOpts};
    /// let listener = Listener::bind("[::1]:0", SockOpts::REUSEADDR)?;
    /// assert_eq!(listener.local_addr()?.ip(), Some("::1".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn bind<A: ToBioAddrs>(addr: A, opts: SockOpts) -> io::Result<Listener> {
        in_runtime("Listener::bind", || ())?;
        Listener::from_socket(Socket::listen_on(addr, opts | SockOpts::NONBLOCK)?)
    }

    /// A listening `Socket` registered with the current tokio runtime, its
    /// non-blocking mode set: for a socket made with what `bind` does not
    /// set (`SO_REUSEPORT` sharding, `listen_backlog`, `bind_device`).
    ///
    /// # Errors
    /// As [`Socket::set_nonblocking`]; no runtime (kind `Other`) or one
    /// without I/O (kind `Unsupported`).
    ///
    /// ```
    /// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    /// # rt.block_on(async {
    /// use biosock::{tokio::Listener, Domain, SockOpts, Socket, Type};
    /// // Four listeners on one port, the kernel spreading connections.
    /// let first = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    /// first.set_reuse_port(true)?;
    /// first.listen(&"127.0.0.1:0".parse()?, SockOpts::empty())?;
    /// let at = first.local_addr()?;
    /// let mut shards = vec![Listener::from_socket(first)?];
    /// for _ in 1..4 {
    ///     let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    ///     s.set_reuse_port(true)?;
    ///     s.listen(&at, SockOpts::empty())?;
    ///     shards.push(Listener::from_socket(s)?);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn from_socket(sock: Socket) -> io::Result<Listener> {
        sock.set_nonblocking(true)?;
        let inner = in_runtime("Listener::from_socket", move || {
            // SAFETY: the Socket owns its fd, which stays open and the same
            // until the Socket is dropped, which only the AsyncFd can do.
            unsafe { AsyncFd::register(sock) }.map_err(io::Error::from)
        })??;
        Ok(Listener { inner })
    }

    /// The address it listens on (`BIO_sock_info`).
    ///
    /// # Errors
    /// As [`Socket::local_addr`].
    ///
    /// ```
    /// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    /// # rt.block_on(async {
    /// use biosock::{tokio::Listener, SockOpts};
    /// let listener = Listener::bind("127.0.0.1:0", SockOpts::empty())?;
    /// assert_ne!(listener.local_addr()?.port(), Some(0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn local_addr(&self) -> io::Result<BioAddr> {
        Ok(self.inner.get_ref().local_addr()?)
    }

    /// Accept a connection (`BIO_accept_ex` with `NONBLOCK`): the new,
    /// non-blocking socket and the peer's address. Cancel-safe: a dropped
    /// future accepts nothing.
    ///
    /// # Errors
    /// As [`Socket::accept`], but never `WouldBlock`: that is waited out.
    ///
    /// ```
    /// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    /// # rt.block_on(async {
    /// use biosock::{tokio::{connect, Listener}, SockOpts};
    /// let listener = Listener::bind("127.0.0.1:0", SockOpts::empty())?;
    /// let client = connect(listener.local_addr()?, SockOpts::empty()).await?;
    /// let (conn, peer) = listener.accept().await?;
    /// assert_eq!(peer, biosock::BioAddr::from(client.local_addr()?));
    /// assert!(conn.nonblocking()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub async fn accept(&self) -> io::Result<(Socket, BioAddr)> {
        loop {
            let mut ready = self.inner.readable().await?;
            match ready.try_io(|l| Ok(l.get_ref().accept(SockOpts::NONBLOCK)?)) {
                Ok(result) => return result,
                Err(_would_block) => continue,
            }
        }
    }

    /// [`Listener::accept`] as a tokio `TcpStream`.
    ///
    /// # Errors
    /// As [`Listener::accept`].
    ///
    /// ```
    /// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    /// # rt.block_on(async {
    /// use biosock::{tokio::{connect, Listener}, SockOpts};
    /// use tokio::io::{AsyncReadExt, AsyncWriteExt};
    /// let listener = Listener::bind("127.0.0.1:0", SockOpts::empty())?;
    /// let mut client = connect(listener.local_addr()?, SockOpts::NODELAY).await?;
    /// let (mut conn, _peer) = listener.accept_tcp().await?;
    /// client.write_all(b"hi").await?;
    /// let mut buf = [0; 2];
    /// conn.read_exact(&mut buf).await?;
    /// assert_eq!(&buf, b"hi");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub async fn accept_tcp(&self) -> io::Result<(TcpStream, BioAddr)> {
        let (s, peer) = self.accept().await?;
        Ok((tcp_stream(s)?, peer))
    }

    /// [`Listener::accept`] as a tokio `UnixStream`.
    ///
    /// # Errors
    /// As [`Listener::accept`].
    ///
    /// ```
    /// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    /// # rt.block_on(async {
    /// use biosock::{tokio::{connect_unix, Listener}, BioAddr, SockOpts};
    /// let at = BioAddr::unix_abstract(b"biosock-doc-accept-unix")?;
    /// let listener = Listener::bind(&at, SockOpts::empty())?;
    /// let _client = connect_unix(at).await?;
    /// let (_conn, _peer) = listener.accept_unix().await?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub async fn accept_unix(&self) -> io::Result<(UnixStream, BioAddr)> {
        let (s, peer) = self.accept().await?;
        Ok((unix_stream(s)?, peer))
    }
}
