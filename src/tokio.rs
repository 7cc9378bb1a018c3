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
use std::time::Duration;

use ::tokio::io::unix::AsyncFd;
use ::tokio::net::{TcpStream, UnixStream};
use ::tokio::task::JoinSet;
use ::tokio::time::{sleep, sleep_until, Instant};

use crate::addr::BioAddr;
use crate::lookup::{LookupType, ToBioAddrs};
use crate::socket::Socket;
use crate::types::{Domain, SockOpts, Type};

/// What the async connects apply to every attempt.
const CONNECT_OPTS: SockOpts = SockOpts::KEEPALIVE.union(SockOpts::NODELAY);

/// Connect to `addr` over TCP, racing its addresses with
/// [`Socket::DEFAULT_ATTEMPT_DELAY`] and no overall timeout (wrap the future
/// in `tokio::time::timeout` for one): [`connect_happy`]'s defaults.
///
/// # Errors
/// As [`connect_happy`].
pub async fn connect<A>(addr: A, opts: SockOpts) -> io::Result<TcpStream>
where
    A: ToBioAddrs + Send + 'static,
{
    connect_happy(addr, opts, Socket::DEFAULT_ATTEMPT_DELAY, None).await
}

/// Connect to `addr` over TCP, the Happy Eyeballs way (RFC 8305): the
/// addresses interleaved by family, a new attempt every `attempt_delay` (at
/// least 10 ms) or as soon as one fails, the first to complete wins and the
/// others are aborted and closed. `timeout` bounds the whole race. Applies
/// `KEEPALIVE` and `NODELAY` to every attempt.
///
/// # Errors
/// `InvalidInput` for any other option, for what [`ToBioAddrs`] refuses,
/// and for a Unix address (use [`connect_unix`]); the lookup's error; when
/// every attempt fails, the last one's error (`ConnectionRefused`, ...);
/// `TimedOut` when `timeout` ran out first.
pub async fn connect_happy<A>(
    addr: A,
    opts: SockOpts,
    attempt_delay: Duration,
    timeout: Option<Duration>,
) -> io::Result<TcpStream>
where
    A: ToBioAddrs + Send + 'static,
{
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
    let addrs = interleave(addrs);
    let delay = attempt_delay.max(Duration::from_millis(10));
    let mut attempts = JoinSet::new();
    let mut next = addrs.iter();
    let mut last_error = None;
    loop {
        if let Some(addr) = next.next() {
            attempts.spawn(attempt(addr.clone(), opts));
        }
        let more = next.len() > 0;
        if attempts.is_empty() && !more {
            return Err(last_error.unwrap_or_else(|| crate::socket::no_address().into()));
        }
        ::tokio::select! {
            Some(done) = attempts.join_next() => match done {
                Ok(Ok(stream)) => return Ok(stream),
                Ok(Err(e)) => last_error = Some(e),
                Err(e) => last_error = Some(io::Error::other(e)),
            },
            () = sleep(delay), if more => {}
            () = sleep_until(deadline.unwrap_or_else(Instant::now)), if deadline.is_some() => {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "connect timed out"));
            }
        }
    }
}

/// Connect to a Unix socket `addr` (a path, or a [`BioAddr::unix`] /
/// [`BioAddr::unix_abstract`] address).
///
/// # Errors
/// `InvalidInput` for an address that is not a Unix one; the connect's
/// error (`NotFound`, `ConnectionRefused`, `WouldBlock` when the
/// listener's backlog is full, ...).
pub async fn connect_unix<A: ToBioAddrs>(addr: A) -> io::Result<UnixStream> {
    let addr = addr
        .to_bio_addrs(LookupType::Client)?
        .next()
        .filter(|a| a.family() == Domain::UNIX)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a Unix socket address"))?;
    let s = start(&addr, SockOpts::empty())?;
    let stream = UnixStream::from_std(s.into())?;
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

/// RFC 8305 section 4: the first address's family first, then alternating.
fn interleave(addrs: Vec<BioAddr>) -> Vec<BioAddr> {
    let first = addrs.first().map(BioAddr::family);
    let (mut a, mut b): (Vec<_>, Vec<_>) = addrs.into_iter().partition(|x| Some(x.family()) == first);
    let mut out = Vec::with_capacity(a.len() + b.len());
    a.reverse();
    b.reverse();
    while !a.is_empty() || !b.is_empty() {
        out.extend(a.pop());
        out.extend(b.pop());
    }
    out
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
    let stream = TcpStream::from_std(start(&addr, opts)?.into())?;
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
    pub fn bind<A: ToBioAddrs>(addr: A, opts: SockOpts) -> io::Result<Listener> {
        let sock = Socket::listen_on(addr, opts | SockOpts::NONBLOCK)?;
        // SAFETY: the Socket owns its fd, which stays open and the same
        // until the Socket is dropped, which only the AsyncFd can do.
        let inner = unsafe { AsyncFd::register(sock) }.map_err(io::Error::from)?;
        Ok(Listener { inner })
    }

    /// The address it listens on (`BIO_sock_info`).
    ///
    /// # Errors
    /// As [`Socket::local_addr`].
    pub fn local_addr(&self) -> io::Result<BioAddr> {
        Ok(self.inner.get_ref().local_addr()?)
    }

    /// Accept a connection (`BIO_accept_ex` with `NONBLOCK`): the new,
    /// non-blocking socket and the peer's address. Cancel-safe: a dropped
    /// future accepts nothing.
    ///
    /// # Errors
    /// As [`Socket::accept`], but never `WouldBlock`: that is waited out.
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
    pub async fn accept_tcp(&self) -> io::Result<(TcpStream, BioAddr)> {
        let (s, peer) = self.accept().await?;
        Ok((TcpStream::from_std(s.into())?, peer))
    }

    /// [`Listener::accept`] as a tokio `UnixStream`.
    ///
    /// # Errors
    /// As [`Listener::accept`].
    pub async fn accept_unix(&self) -> io::Result<(UnixStream, BioAddr)> {
        let (s, peer) = self.accept().await?;
        Ok((UnixStream::from_std(s.into())?, peer))
    }
}
