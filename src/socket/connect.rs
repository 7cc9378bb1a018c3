//! The constructors that take any [`ToBioAddrs`]: [`Socket::connect_to`],
//! [`Socket::connect_happy`] (Happy Eyeballs) and [`Socket::listen_on`].

use std::os::raw::c_int;
use std::time::Duration;

use super::{check_listen_opts, check_opts, Socket};
use crate::addr::BioAddr;
use crate::error::{ffi_call, rs_call, At, Error, Result};
use crate::ffi;
use crate::lookup::{LookupType, ToBioAddrs};
use crate::sys::c;
use crate::types::{Interest, SockOpts};

impl Socket {
    /// A stream socket connected to `addr` (`BIO_socket` + `BIO_connect`).
    /// `addr` is anything [`ToBioAddrs`]: `"host:port"`, `"[v6]:port"`,
    /// `(&str, u16)`, a [`BioAddr`], a `SocketAddr`, a Unix socket `Path`.
    /// Applies what [`Socket::connect`] applies. When `addr` gives several
    /// addresses (a name with IPv6 and IPv4 ones, say), they are raced as
    /// [`Socket::connect_happy`] does with
    /// [`Socket::DEFAULT_ATTEMPT_DELAY`] and no overall timeout, so a
    /// black-holed first address costs 250 ms, not TCP's timeout; the
    /// socket then comes back connected, in the mode `NONBLOCK` asks for.
    /// With one address, or with `TFO` (whose connect returns before the
    /// handshake), the addresses are tried in turn; with `NONBLOCK`, a
    /// connect in progress then counts as done: wait for
    /// [`Interest::Write`](crate::Interest::Write), then check [`Socket::take_error`].
    ///
    /// # Errors
    /// `InvalidInput` for a malformed string, a missing port, a port above
    /// 65535 or an option connect does not apply; the lookup's error; else
    /// the last address's error.
    ///
    /// ```
    /// use biosock::{SockOpts, Socket};
    /// use std::io::{Read, Write};
    /// let listener = Socket::listen_on("127.0.0.1:0", SockOpts::REUSEADDR)?;
    /// let port = listener.local_addr()?.port().unwrap();
    /// let mut client = Socket::connect_to(("127.0.0.1", port), SockOpts::NODELAY)?;
    /// let (mut conn, _) = listener.accept(SockOpts::empty())?;
    /// client.write_all(b"ping")?;
    /// let mut buf = [0; 4];
    /// conn.read_exact(&mut buf)?;
    /// assert_eq!(&buf, b"ping");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn connect_to<A: ToBioAddrs>(addr: A, opts: SockOpts) -> Result<Socket> {
        check_opts(opts, SockOpts::CONNECT, "BIO_connect")?;
        if let Some(one) = addr.to_one_addr() {
            return Socket::connect_fresh(&one, opts);
        }
        let mut addrs = addr.to_bio_addrs(LookupType::Client)?;
        let Some(first) = addrs.next() else {
            return Err(no_address());
        };
        let Some(second) = addrs.next() else {
            // One address: no iterator, no allocation.
            return Socket::connect_fresh(&first, opts);
        };
        if !opts.contains(SockOpts::TFO) {
            let all: Vec<BioAddr> = [first, second].into_iter().chain(addrs).collect();
            return Socket::race(&all, opts, Socket::DEFAULT_ATTEMPT_DELAY, None);
        }
        // TFO: one after the other.
        first_success([first, second].into_iter().chain(addrs), |a| {
            Socket::connect_fresh(&a, opts)
        })
    }

    /// A new stream socket connected to `addr` (`BIO_socket` +
    /// `biosock_connect_fresh` in one C call, which skips `BIO_connect`'s
    /// ioctl for the blocking mode a fresh socket already has: 6 syscalls a
    /// cycle). With `NONBLOCK`, a connect in progress counts as done.
    #[inline]
    fn connect_fresh(addr: &BioAddr, opts: SockOpts) -> Result<Socket> {
        let mut fd: c_int = -1;
        // SAFETY: addr is a valid BIO_ADDR for the call; fd is writable.
        match rs_call!(
            new biosock_connect_fresh,
            biosock_rs_connect_new(addr.as_ptr(), opts.bits(), &mut fd)
        ) {
            Ok(_) => Ok(Socket { fd }),
            Err(e) => Socket::connect_fresh_failed(fd, addr, opts, e),
        }
    }

    /// After `biosock_rs_connect_new` failed with `e`: the socket `fd` is
    /// kept (not -1) when its connect is under way, which is success for a
    /// non-blocking connect and, after a signal, waits for the end; else the
    /// error (in `BIO_socket`'s name when no socket was made).
    #[cold]
    #[inline(never)]
    fn connect_fresh_failed(fd: c_int, addr: &BioAddr, opts: SockOpts, e: Error) -> Result<Socket> {
        if fd < 0 {
            return Err(e).at(addr);
        }
        let s = Socket { fd };
        if opts.contains(SockOpts::NONBLOCK) && e.is_in_progress() {
            return Ok(s);
        }
        if e.raw_os_error() == Some(c::EINTR) {
            return s.finish_interrupted_connect().at(addr).map(|()| s);
        }
        Err(e).at(addr)
    }

    #[cold]
    #[inline(never)]
    fn finish_interrupted_connect(&self) -> Result<()> {
        if !self.wait(Interest::Write, Duration::MAX)? {
            return Err(Error::timed_out("biosock_connect_fresh"));
        }
        match self.take_error() {
            Ok(None) => Ok(()),
            Ok(Some(e)) | Err(e) => Err(Error::connect_failed("biosock_connect_fresh", e)),
        }
    }

    /// RFC 8305's connection attempt delay, which [`Socket::connect_to`]
    /// uses: 250 ms (`BIOSOCK_HE_DEFAULT_DELAY_MS`).
    pub const DEFAULT_ATTEMPT_DELAY: Duration =
        Duration::from_millis(ffi::BIOSOCK_HE_DEFAULT_DELAY_MS as u64);

    /// The least delay between attempts a race waits, whatever it is given:
    /// 10 ms (`BIOSOCK_HE_MIN_DELAY_MS`, RFC 8305's floor). The C race
    /// applies it itself; the tokio race takes it from here.
    #[cfg(feature = "tokio")]
    pub(crate) const MIN_ATTEMPT_DELAY: Duration = Duration::from_millis(ffi::BIOSOCK_HE_MIN_DELAY_MS as u64);

    /// A stream socket connected to the first of `addr`'s addresses that
    /// answers, racing them the Happy Eyeballs way (RFC 8305;
    /// `biosock_connect_any`, a biosock extension): the addresses are
    /// interleaved by family, a new attempt starts every `attempt_delay`
    /// (at least [`BIOSOCK_HE_MIN_DELAY_MS`](crate::ffi::BIOSOCK_HE_MIN_DELAY_MS),
    /// 10 ms) or as soon as the previous one fails, the first
    /// connection that completes wins and the others are closed. `timeout`
    /// bounds the whole race; `None` leaves each attempt to TCP's own
    /// timeout. Applies `KEEPALIVE` and `NODELAY` to every attempt;
    /// `NONBLOCK` is the mode of the socket returned, which is connected
    /// either way.
    ///
    /// # Errors
    /// `InvalidInput` for `REUSEADDR`, `V6_ONLY` or `TFO`, or what
    /// [`ToBioAddrs`] refuses; the lookup's error; when every attempt
    /// fails, errno of the last failure (`ETIMEDOUT`, kind `TimedOut`, when
    /// `timeout` ran out) and the entries of every attempt, in the order
    /// they failed: `BIO_R_CONNECT_ERROR`, or `BIO_R_CONNECT_TIMEOUT` for
    /// those cut off by `timeout`.
    ///
    /// ```
    /// use biosock::{SockOpts, Socket};
    /// use std::time::Duration;
    /// let listener = Socket::listen_on("127.0.0.1:0", SockOpts::empty())?;
    /// let port = listener.local_addr()?.port().unwrap();
    /// let s = Socket::connect_happy(("localhost", port), SockOpts::NODELAY,
    ///                               Duration::from_millis(100), Some(Duration::from_secs(5)))?;
    /// assert_eq!(s.peer_addr()?, listener.local_addr()?);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn connect_happy<A: ToBioAddrs>(
        addr: A,
        opts: SockOpts,
        attempt_delay: Duration,
        timeout: Option<Duration>,
    ) -> Result<Socket> {
        check_opts(opts, SockOpts::HAPPY, "biosock_connect_any")?;
        let addrs: Vec<BioAddr> = addr.to_bio_addrs(LookupType::Client)?.collect();
        if addrs.is_empty() {
            return Err(no_address());
        }
        Socket::race(&addrs, opts, attempt_delay, timeout)
    }

    /// `biosock_connect_any` over `addrs`.
    fn race(
        addrs: &[BioAddr],
        opts: SockOpts,
        attempt_delay: Duration,
        timeout: Option<Duration>,
    ) -> Result<Socket> {
        let ptrs: Vec<*const ffi::BIO_ADDR> = addrs.iter().map(BioAddr::as_ptr).collect();
        // Whole milliseconds rounded up: a call never waits less than it was
        // given (and a timeout under 1 ms is 1 ms, not "none").
        let ms = |d: Duration| c_int::try_from(d.as_nanos().div_ceil(1_000_000)).unwrap_or(c_int::MAX);
        let timeout = timeout.map_or(0, |t| ms(t).max(1));
        let mut errs: Vec<c_int> = vec![0; addrs.len()];
        let errs_at = errs.as_mut_ptr();
        // SAFETY: ptrs holds addrs.len() pointers to BIO_ADDRs that addrs
        // keeps alive for the call; errs has room for as many ints.
        let fd = ffi_call!(
            c_fd,
            biosock_connect_any(
                ptrs.as_ptr(),
                ptrs.len(),
                opts.bits(),
                ms(attempt_delay),
                timeout,
                errs_at
            )
        )
        .map_err(|e| e.with_attempts(addrs, &errs))?;
        Ok(Socket { fd })
    }

    /// A stream socket listening on the first address of `addr` that works
    /// (a server lookup, then `BIO_socket` + `BIO_listen` on each address).
    /// `addr` is anything [`ToBioAddrs`]: for strings also `"port"` and
    /// `"*:port"`. Applies what [`Socket::listen`] applies.
    ///
    /// # Errors
    /// `InvalidInput` for a malformed string or a port above 65535; the
    /// lookup's error; else the last address's error.
    ///
    /// ```
    /// use biosock::{SockOpts, Socket};
    /// let listener = Socket::listen_on("127.0.0.1:0", SockOpts::REUSEADDR | SockOpts::NONBLOCK)?;
    /// # #[cfg(unix)]
    /// assert!(listener.nonblocking()?);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn listen_on<A: ToBioAddrs>(addr: A, opts: SockOpts) -> Result<Socket> {
        check_opts(opts, SockOpts::LISTEN, "BIO_listen")?;
        if let Some(one) = addr.to_one_addr() {
            return Socket::listen_fresh(&one, opts);
        }
        let mut addrs = addr.to_bio_addrs(LookupType::Server)?;
        let Some(first) = addrs.next() else {
            return Err(nowhere_to_listen());
        };
        match addrs.next() {
            None => Socket::listen_fresh(&first, opts),
            Some(second) => first_success([first, second].into_iter().chain(addrs), |a| {
                Socket::listen_fresh(&a, opts)
            }),
        }
    }

    /// A new stream socket listening on `addr` (`BIO_socket` +
    /// `biosock_listen_fresh` in one call, which skips `BIO_listen`'s
    /// `SO_TYPE` query and blocking-mode ioctl: 3 syscalls for IPv4).
    #[inline]
    fn listen_fresh(addr: &BioAddr, opts: SockOpts) -> Result<Socket> {
        check_listen_opts(addr, opts)?;
        // SAFETY: addr is a valid BIO_ADDR for the call.
        let fd = rs_call!(
            new biosock_listen_fresh,
            biosock_rs_listen_new(addr.as_ptr(), opts.bits(), c::SOMAXCONN)
        )
        .at(addr)?;
        Ok(Socket { fd })
    }
}

/// The first `Ok` of `f` over `addrs`, else the last error.
fn first_success(
    addrs: impl Iterator<Item = BioAddr>,
    mut f: impl FnMut(BioAddr) -> Result<Socket>,
) -> Result<Socket> {
    let mut last = None;
    for addr in addrs {
        match f(addr) {
            Ok(s) => return Ok(s),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(no_address))
}

/// An address list with nothing in it (`[]`, an empty iterator): the one
/// answer of every connect, sync and async: `InvalidInput`, "no address to
/// connect to", as `biosock_connect_any` gives for `n == 0`.
pub(crate) fn no_address() -> Error {
    Error::invalid_input("biosock_connect_any", "no address to connect to")
}

/// The same for [`Socket::listen_on`].
fn nowhere_to_listen() -> Error {
    Error::invalid_input("BIO_listen", "no address to listen on")
}
