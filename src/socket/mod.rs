//! [`Socket`]: an owned socket fd, one file per concern: the type and its
//! `BIO_*` calls (here), the constructors that look up and connect or
//! listen ([`connect`]), the socket options, generated from one table
//! ([`options`]), the I/O calls ([`io`]), and the conversions to and from
//! the platform's handle types ([`handle`]). The platform bodies live in
//! `crate::sys`. Each method wraps one C function or one syscall, named in
//! its first doc line.

mod connect;
#[cfg(all(feature = "tokio", unix))]
pub(crate) use connect::no_address;
mod handle;
mod io;
mod options;
#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::{SockRef, MAX_FDS};

use std::fmt;
use std::io as stdio;
use std::mem::MaybeUninit;
use std::net::Shutdown;
use std::os::raw::c_int;
use std::time::{Duration, Instant};

use crate::addr::BioAddr;
use crate::error::{c_call, ffi_call, rs_call, rs_result, sys_call, syscall, At, Errno, Error, Result};
use crate::ffi;
use crate::sys::{self, c};
use crate::types::{Domain, Interest, Protocol, SockOpts, Type};

/// An owned socket. Dropping it calls `BIO_closesocket`; [`Socket::close`]
/// does the same and reports the error.
pub struct Socket {
    /// The fd (on Windows a `SOCKET` as the C library's int).
    pub(crate) fd: c_int,
}

impl Socket {
    /// Create a socket (`BIO_socket`); close-on-exec.
    ///
    /// # Errors
    /// The system error (`EAFNOSUPPORT`, `EPROTONOSUPPORT`, `EINVAL`,
    /// `EMFILE`, …) with `BIO_R_UNABLE_TO_CREATE_SOCKET`.
    ///
    /// ```
    /// use biosock::{Domain, Socket, Type};
    /// let udp = Socket::new(Domain::IPV4, Type::DGRAM, None)?;
    /// # Ok::<(), biosock::Error>(())
    /// ```
    #[inline]
    pub fn new(domain: Domain, ty: Type, protocol: Option<Protocol>) -> Result<Socket> {
        let protocol = protocol.unwrap_or(Protocol::DEFAULT);
        // SAFETY: plain integer arguments.
        let fd = rs_call!(
            BIO_socket,
            biosock_rs_socket(domain.as_raw(), ty.as_raw(), protocol.as_raw())
        )?;
        Ok(Socket { fd })
    }

    /// Bind to `addr` (`BIO_bind`). Applies `REUSEADDR` (`SO_REUSEADDR`).
    ///
    /// # Errors
    /// `InvalidInput` for any other option; the system error with
    /// `BIO_R_UNABLE_TO_REUSEADDR` or `BIO_R_UNABLE_TO_BIND_SOCKET` (kind
    /// `AddrInUse`, `PermissionDenied`, …).
    ///
    /// ```
    /// use biosock::{Domain, SockOpts, Socket, Type};
    /// let s = Socket::new(Domain::IPV4, Type::DGRAM, None)?;
    /// s.bind(&"127.0.0.1:0".parse()?, SockOpts::REUSEADDR)?;
    /// assert_ne!(s.local_addr()?.port(), Some(0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn bind(&self, addr: &BioAddr, opts: SockOpts) -> Result<()> {
        check_opts(opts, SockOpts::BIND, "BIO_bind")?;
        // SAFETY: addr points to a valid BIO_ADDR for the call.
        rs_call!(BIO_bind, biosock_rs_bind(self.fd, addr.as_ptr(), opts.bits()))
            .map(drop)
            .at(addr)
    }

    /// Connect to `addr` (`BIO_connect`). Applies `KEEPALIVE`, `NODELAY`,
    /// `TFO` and `NONBLOCK`, and sets the blocking mode both ways (without
    /// `NONBLOCK` the socket ends up blocking).
    ///
    /// # Errors
    /// `InvalidInput` for `REUSEADDR` or `V6_ONLY`. A non-blocking connect
    /// in progress is an error whose [`Error::is_in_progress`] is true
    /// (errno `EINPROGRESS`, std's kind for it): wait for
    /// [`Interest::Write`], then read [`Socket::take_error`]. Otherwise the
    /// system error with `BIO_R_CONNECT_ERROR` (kind `ConnectionRefused`,
    /// …), `BIO_R_UNABLE_TO_KEEPALIVE` or `BIO_R_UNABLE_TO_NODELAY`. As one
    /// `BIO_connect`, a blocking connect that a signal interrupts fails with
    /// `EINTR` (kind `Interrupted`) while the kernel goes on connecting:
    /// wait for [`Interest::Write`] and read [`Socket::take_error`], or use
    /// [`Socket::connect_to`], which does that itself.
    ///
    /// ```
    /// use biosock::{BioAddr, Domain, SockOpts, Socket, Type};
    /// let listener = Socket::listen_on("127.0.0.1:0", SockOpts::empty())?;
    /// let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    /// s.connect(&listener.local_addr()?, SockOpts::NODELAY)?;
    /// assert!(s.nodelay()?);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    #[inline]
    pub fn connect(&self, addr: &BioAddr, opts: SockOpts) -> Result<()> {
        check_opts(opts, SockOpts::CONNECT, "BIO_connect")?;
        // SAFETY: addr points to a valid BIO_ADDR for the call.
        rs_call!(
            BIO_connect,
            biosock_rs_connect(self.fd, addr.as_ptr(), opts.bits())
        )
        .map(drop)
        .at(addr)
    }

    /// Connect to `addr`, giving up after `timeout` (`BIO_connect` with
    /// `NONBLOCK`, `biosock_socket_wait_ms`, then `BIO_socket_nbio` back to
    /// blocking), as std's `TcpStream::connect_timeout` does. To a Unix
    /// socket whose listener's backlog is full, it waits for room up to
    /// `timeout` (a blocking connect bounded by `SO_SNDTIMEO`, which is put
    /// back afterwards) rather than failing at once with `EAGAIN`.
    ///
    /// # Errors
    /// `InvalidInput` for a zero timeout. When the time ran out: errno
    /// `ETIMEDOUT` (kind `TimedOut`) with the system entry and
    /// `BIO_R_CONNECT_TIMEOUT`, as every timeout of this crate, sync or
    /// async. Otherwise the connect's own error (`ConnectionRefused`, …)
    /// with the entries a failed `BIO_connect` has (`BIO_R_CONNECT_ERROR`).
    /// The socket is blocking again afterwards whatever happened.
    ///
    /// ```
    /// use biosock::{Domain, SockOpts, Socket, Type};
    /// use std::time::Duration;
    /// let listener = Socket::listen_on("127.0.0.1:0", SockOpts::empty())?;
    /// let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    /// s.connect_timeout(&listener.local_addr()?, Duration::from_secs(5))?;
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn connect_timeout(&self, addr: &BioAddr, timeout: Duration) -> Result<()> {
        if timeout.is_zero() {
            return Err(Error::invalid_input(
                "BIO_connect",
                "connect_timeout with a zero timeout",
            ));
        }
        #[cfg(unix)]
        if addr.family() == Domain::UNIX {
            return self.connect_unix_timeout(addr, timeout);
        }
        let done = match self.connect(addr, SockOpts::NONBLOCK) {
            Err(e) if e.is_in_progress() => match self.wait(Interest::Write, timeout) {
                Ok(true) => match self.take_error() {
                    Ok(None) => Ok(()),
                    Ok(Some(e)) | Err(e) => Err(Error::connect_failed("BIO_connect", e)),
                },
                Ok(false) => Err(Error::timed_out("BIO_connect")),
                Err(e) => Err(e),
            }
            .at(addr),
            other => other,
        };
        let blocking = self.set_nonblocking(false);
        done.and(blocking)
    }

    /// [`Socket::connect_timeout`] to a Unix socket: a Unix connect has no
    /// handshake to wait for, only room in the listener's backlog, which a
    /// blocking connect waits for up to `SO_SNDTIMEO` (then `EAGAIN`: the
    /// time ran out). A signal does not shorten the wait.
    #[cfg(unix)]
    fn connect_unix_timeout(&self, addr: &BioAddr, timeout: Duration) -> Result<()> {
        let before = self.write_timeout()?;
        self.set_write_timeout(Some(timeout))?;
        let deadline = Instant::now().checked_add(timeout);
        let done = loop {
            match self.connect(addr, SockOpts::empty()) {
                Err(e) if e.raw_os_error() == Some(c::EAGAIN) => {
                    break Err(Error::timed_out("BIO_connect").with_addr(addr))
                }
                Err(e) if e.raw_os_error() == Some(c::EINTR) => {
                    let left = deadline.map_or(timeout, |d| d.saturating_duration_since(Instant::now()));
                    if left.is_zero() {
                        break Err(Error::timed_out("BIO_connect").with_addr(addr));
                    }
                    self.set_write_timeout(Some(left))?;
                }
                other => break other,
            }
        };
        let restored = self.set_write_timeout(before);
        done.and(restored)
    }

    /// Bind to `addr` and listen on it (`BIO_listen`): the one call does
    /// both, unlike socket2's `listen`, which takes a backlog and only
    /// listens. The backlog is `SOMAXCONN` as in OpenSSL (4096 with glibc,
    /// 128 with musl); [`Socket::listen_backlog`] chooses another. A
    /// datagram socket is bound only. Applies all six options; `V6_ONLY`
    /// sets `IPV6_V6ONLY` (always set, to 1 or 0, for an IPv6 address), and
    /// `TFO` sets `TCP_FASTOPEN` after `listen` (a Unix socket then fails
    /// with `EOPNOTSUPP` and `BIO_R_UNABLE_TO_TFO`, as in OpenSSL).
    ///
    /// # Errors
    /// `InvalidInput` for `V6_ONLY` with an address that is not IPv6; the
    /// system error with `BIO_R_GETTING_SOCKTYPE`, `BIO_R_LISTEN_V6_ONLY`,
    /// `BIO_R_UNABLE_TO_BIND_SOCKET` (kind `AddrInUse`, …),
    /// `BIO_R_UNABLE_TO_LISTEN_SOCKET` or `BIO_R_UNABLE_TO_TFO`.
    ///
    /// ```
    /// use biosock::{Domain, SockOpts, Socket, Type};
    /// let s = Socket::new(Domain::IPV6, Type::STREAM, None)?;
    /// s.listen(&"[::1]:0".parse()?, SockOpts::REUSEADDR | SockOpts::V6_ONLY)?;
    /// let _client = Socket::connect_to(s.local_addr()?, SockOpts::empty())?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn listen(&self, addr: &BioAddr, opts: SockOpts) -> Result<()> {
        check_listen_opts(addr, opts)?;
        // SAFETY: addr points to a valid BIO_ADDR for the call.
        rs_call!(
            BIO_listen,
            biosock_rs_listen(self.fd, addr.as_ptr(), opts.bits(), c::SOMAXCONN, 0)
        )
        .map(drop)
        .at(addr)
    }

    /// [`Socket::listen`] with the `listen(2)` backlog given
    /// (`biosock_listen_backlog`, a biosock extension); the kernel caps it
    /// at `net.core.somaxconn`.
    ///
    /// # Errors
    /// As [`Socket::listen`].
    ///
    /// ```
    /// use biosock::{Domain, SockOpts, Socket, Type};
    /// let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    /// s.listen_backlog(&"127.0.0.1:0".parse()?, SockOpts::empty(), 16)?;
    /// let _client = Socket::connect_to(s.local_addr()?, SockOpts::empty())?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn listen_backlog(&self, addr: &BioAddr, opts: SockOpts, backlog: i32) -> Result<()> {
        check_listen_opts(addr, opts)?;
        // SAFETY: addr points to a valid BIO_ADDR for the call.
        rs_call!(
            biosock_listen_backlog,
            biosock_rs_listen(self.fd, addr.as_ptr(), opts.bits(), backlog, 0)
        )
        .map(drop)
        .at(addr)
    }

    /// Accept a connection and its peer's address (`BIO_accept_ex`). Applies
    /// `NONBLOCK` to the new socket, which is close-on-exec. A signal during
    /// a blocking accept does not end it (`EINTR` is retried, as std does).
    ///
    /// # Errors
    /// `InvalidInput` for any option but `NONBLOCK`. On an empty
    /// non-blocking listener, errno `EAGAIN` (kind `WouldBlock`) with no
    /// entry; otherwise the system error with `BIO_R_ACCEPT_ERROR`.
    ///
    /// ```
    /// use biosock::{SockOpts, Socket};
    /// let listener = Socket::listen_on("[::1]:0", SockOpts::empty())?;
    /// let client = Socket::connect_to(listener.local_addr()?, SockOpts::empty())?;
    /// let (conn, peer) = listener.accept(SockOpts::empty())?;
    /// assert_eq!(peer, client.local_addr()?);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    #[inline]
    pub fn accept(&self, opts: SockOpts) -> Result<(Socket, BioAddr)> {
        check_opts(opts, SockOpts::ACCEPT, "BIO_accept_ex")?;
        let mut peer = BioAddr::for_kernel();
        let to = BioAddr::raw_of(&mut peer);
        let mut fail = MaybeUninit::<ffi::biosock_rs_fail>::uninit();
        // SAFETY: to points to peer, writable BIO_ADDR storage that
        // outlives the call; fail is writable.
        let mut ret = unsafe { ffi::biosock_rs_accept(self.fd, to, opts.bits(), fail.as_mut_ptr()) };
        if ret < 0 {
            ret = accept_again(self.fd, to, opts, ret, &mut fail);
        }
        let fd = rs_result("BIO_accept_ex", ret, &fail, Error::described)?;
        // SAFETY: the accept succeeded, so the C library filled peer
        // (bsock__addr_from_kernel).
        Ok((Socket { fd }, unsafe { peer.assume_init() }))
    }

    /// Close the socket (`BIO_closesocket`), reporting a failure. The fd is
    /// gone either way: close is never retried.
    ///
    /// # Errors
    /// The system error of `close(2)` (`EIO`, …), except `EINTR`, which on
    /// Linux means the fd is closed.
    ///
    /// ```
    /// use biosock::{Domain, Socket, Type};
    /// let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    /// s.close()?; // dropping it closes it too, with the error ignored
    /// # Ok::<(), biosock::Error>(())
    /// ```
    #[inline]
    pub fn close(self) -> Result<()> {
        let fd = self.fd;
        std::mem::forget(self);
        // SAFETY: this value owned fd and gives it up here.
        match ffi_call!(c_plain_status, BIO_closesocket(fd)) {
            Err(e) if e.raw_os_error() == Some(c::EINTR) => Ok(()),
            other => other,
        }
    }

    /// The local address (`BIO_sock_info` with `BIO_SOCK_INFO_ADDRESS`).
    ///
    /// # Errors
    /// The system error with `BIO_R_GETSOCKNAME_ERROR` (`EBADF`,
    /// `ENOTSOCK`).
    ///
    /// ```
    /// use biosock::{SockOpts, Socket};
    /// let listener = Socket::listen_on("127.0.0.1:0", SockOpts::empty())?;
    /// let client = Socket::connect_to(listener.local_addr()?, SockOpts::empty())?;
    /// let (conn, peer) = listener.accept(SockOpts::empty())?;
    /// assert_eq!(conn.peer_addr()?, client.local_addr()?);
    /// assert_eq!(peer, client.local_addr()?);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    #[inline]
    pub fn local_addr(&self) -> Result<BioAddr> {
        let mut addr = BioAddr::for_kernel();
        let at = BioAddr::raw_of(&mut addr);
        // SAFETY: at points to addr, writable BIO_ADDR storage.
        rs_call!(BIO_sock_info, biosock_rs_sock_name(self.fd, at))?;
        // SAFETY: the call succeeded, so the C library filled addr
        // (bsock__addr_from_kernel).
        Ok(unsafe { addr.assume_init() })
    }

    /// The socket's address family (the family of its local address,
    /// which every socket has, bound or not: `BIO_sock_info`), as socket2's
    /// `Socket::domain`.
    ///
    /// # Errors
    /// As [`Socket::local_addr`].
    ///
    /// ```
    /// use biosock::{Domain, Socket, Type};
    /// let s = Socket::new(Domain::IPV6, Type::DGRAM, None)?;
    /// # #[cfg(unix)] // (winsock has no local address before bind)
    /// assert_eq!(s.domain()?, Domain::IPV6);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn domain(&self) -> Result<Domain> {
        Ok(self.local_addr()?.family())
    }

    /// The peer's address (`getpeername(2)`).
    ///
    /// # Errors
    /// `ENOTCONN` (kind `NotConnected`) when the socket is not connected.
    #[inline]
    pub fn peer_addr(&self) -> Result<BioAddr> {
        let mut addr = BioAddr::unspecified();
        let mut len = addr.capacity();
        // SAFETY: addr's storage is writable for len bytes.
        sys_call!(getpeername(self.fd, addr.as_mut_ptr().cast(), &mut len))?;
        addr.set_kernel_len(len);
        Ok(addr)
    }

    /// The pending socket error, which reading clears (`BIO_sock_error`):
    /// `Ok(None)` when there is none, such as after a completed connect.
    ///
    /// # Errors
    /// Never: a failing `getsockopt` gives its errno as the `Some` error,
    /// as `BIO_sock_error` does.
    ///
    /// ```
    /// use biosock::{Domain, SockOpts, Socket, Type};
    /// let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    /// assert!(s.take_error()?.is_none());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[inline]
    pub fn take_error(&self) -> stdio::Result<Option<stdio::Error>> {
        // SAFETY: plain integer argument.
        match unsafe { ffi::BIO_sock_error(self.fd) } {
            0 => Ok(None),
            e => Ok(Some(stdio::Error::from_raw_os_error(e))),
        }
    }

    /// A new fd for the same socket (`fcntl(F_DUPFD_CLOEXEC)`; on Windows
    /// `WSADuplicateSocketW`, not inheritable).
    ///
    /// # Errors
    /// `EMFILE` and the like.
    ///
    /// ```
    /// use biosock::{SockOpts, Socket};
    /// use std::io::{Read, Write};
    /// let listener = Socket::listen_on("127.0.0.1:0", SockOpts::empty())?;
    /// let a = Socket::connect_to(listener.local_addr()?, SockOpts::empty())?;
    /// let (b, _) = listener.accept(SockOpts::empty())?;
    /// let mut writer = a.try_clone()?;
    /// drop(a); // the clone keeps the connection open
    /// writer.write_all(b"x")?;
    /// let mut buf = [0; 1];
    /// (&b).read_exact(&mut buf)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_clone(&self) -> Result<Socket> {
        let fd = syscall(sys::DUPLICATE, sys::duplicate(self.fd))?;
        Ok(Socket { fd })
    }

    /// Shut down reading, writing or both (`shutdown(2)`).
    ///
    /// # Errors
    /// `ENOTCONN` (kind `NotConnected`) on a socket that is not connected.
    ///
    /// ```
    /// use biosock::{SockOpts, Socket};
    /// use std::net::Shutdown;
    /// let listener = Socket::listen_on("127.0.0.1:0", SockOpts::empty())?;
    /// let a = Socket::connect_to(listener.local_addr()?, SockOpts::empty())?;
    /// let (b, _) = listener.accept(SockOpts::empty())?;
    /// a.shutdown(Shutdown::Write)?;
    /// assert_eq!(b.recv(&mut [0; 4])?, 0); // end of stream
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn shutdown(&self, how: Shutdown) -> Result<()> {
        let how = match how {
            Shutdown::Read => c::SHUT_RD,
            Shutdown::Write => c::SHUT_WR,
            Shutdown::Both => c::SHUT_RDWR,
        };
        // SAFETY: plain integer arguments.
        sys_call!(shutdown(self.fd, how)).map(drop)
    }

    /// Make the socket non-blocking or blocking (`BIO_socket_nbio`).
    ///
    /// # Errors
    /// The system error of `ioctl(FIONBIO)`.
    ///
    /// ```
    /// use biosock::{Domain, Socket, Type};
    /// let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    /// s.set_nonblocking(true)?;
    /// # #[cfg(unix)] // (winsock cannot tell)
    /// assert!(s.nonblocking()?);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    #[inline]
    pub fn set_nonblocking(&self, nonblocking: bool) -> Result<()> {
        // SAFETY: plain integer arguments.
        rs_call!(BIO_socket_nbio, biosock_rs_nbio(self.fd, nonblocking.into())).map(drop)
    }

    /// Whether the socket is non-blocking (`fcntl(F_GETFL)`; Unix only:
    /// winsock cannot tell).
    ///
    /// # Errors
    /// `EBADF`.
    #[cfg(unix)]
    pub fn nonblocking(&self) -> Result<bool> {
        // SAFETY: plain integer arguments.
        let flags = syscall("fcntl(F_GETFL)", unsafe { c::fcntl(self.fd, c::F_GETFL) })?;
        Ok(flags & c::O_NONBLOCK != 0)
    }

    /// Wait until the socket is ready for `interest`, at most `timeout`
    /// (`biosock_socket_wait_ms`, a biosock extension: milliseconds, rounded
    /// up; `BIO_socket_wait` counts whole seconds). A signal does not cut
    /// the wait short: it goes on for the time left. `Ok(true)` when ready
    /// (a pending error counts: read it with [`Socket::take_error`]),
    /// `Ok(false)` when the time ran out.
    ///
    /// # Errors
    /// The system error of `poll(2)`.
    ///
    /// ```
    /// use biosock::{Interest, SockOpts, Socket};
    /// use std::time::Duration;
    /// let listener = Socket::listen_on("127.0.0.1:0", SockOpts::empty())?;
    /// let a = Socket::connect_to(listener.local_addr()?, SockOpts::empty())?;
    /// let (b, _) = listener.accept(SockOpts::empty())?;
    /// assert!(!b.wait(Interest::Read, Duration::from_millis(1))?); // nothing yet
    /// a.send(b"x")?;
    /// assert!(b.wait(Interest::Read, Duration::from_secs(5))?);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn wait(&self, interest: Interest, timeout: Duration) -> Result<bool> {
        let deadline = Instant::now().checked_add(timeout);
        let mut left = timeout;
        loop {
            let ms = c_int::try_from(left.as_nanos().div_ceil(1_000_000)).unwrap_or(c_int::MAX);
            // SAFETY: plain integer arguments.
            let ready = c_call(
                "biosock_socket_wait_ms",
                Errno::Set,
                || unsafe { ffi::biosock_socket_wait_ms(self.fd, (interest == Interest::Read).into(), ms) },
                |&r| r < 0,
            );
            match ready {
                Ok(r) => return Ok(r > 0),
                Err(e) if e.raw_os_error() == Some(c::EINTR) => {
                    left = match deadline {
                        Some(d) => d.saturating_duration_since(Instant::now()),
                        None => left,
                    };
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// After an accept of `listener` into `to` that failed with `ret`: a signal
/// is not a failure (as std has it), so accept again until one is not
/// interrupted, with its result and `fail` as the first's; any other
/// failure stays. Out of line, so that the accept that succeeds saves no
/// registers for the retry.
#[cold]
#[inline(never)]
fn accept_again(
    listener: c_int,
    to: *mut ffi::BIO_ADDR,
    opts: SockOpts,
    mut ret: c_int,
    fail: &mut MaybeUninit<ffi::biosock_rs_fail>,
) -> c_int {
    while ret == -c::EINTR {
        // SAFETY: as in accept, whose storage to points to; fail is
        // writable.
        ret = unsafe { ffi::biosock_rs_accept(listener, to, opts.bits(), fail.as_mut_ptr()) };
    }
    ret
}

/// Refuse options the call `function` does not apply.
#[inline]
fn check_opts(opts: SockOpts, applies: SockOpts, function: &'static str) -> Result<()> {
    if applies.contains(opts) {
        return Ok(());
    }
    Err(opts_refused(opts, applies, function))
}

#[cold]
#[inline(never)]
fn opts_refused(opts: SockOpts, applies: SockOpts, function: &'static str) -> Error {
    let extra = opts.difference(applies);
    Error::invalid_input(
        function,
        format!("{function} does not apply {extra:?} (it applies {applies:?})"),
    )
}

/// The option checks of `BIO_listen`: `V6_ONLY` needs an IPv6 address.
#[inline]
fn check_listen_opts(addr: &BioAddr, opts: SockOpts) -> Result<()> {
    check_opts(opts, SockOpts::LISTEN, "BIO_listen")?;
    if opts.contains(SockOpts::V6_ONLY) && addr.family() != Domain::IPV6 {
        return Err(v6_only_refused(addr));
    }
    Ok(())
}

#[cold]
#[inline(never)]
fn v6_only_refused(addr: &BioAddr) -> Error {
    Error::invalid_input("BIO_listen", format!("V6_ONLY with {addr}, not an IPv6 address"))
}

impl Drop for Socket {
    /// `BIO_closesocket`; errors are ignored (use [`Socket::close`]).
    #[inline]
    fn drop(&mut self) {
        // SAFETY: this value owns fd and closes it once.
        unsafe { ffi::BIO_closesocket(self.fd) };
    }
}

impl fmt::Debug for Socket {
    /// The fd only: no syscall, and the error queue is left alone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Socket").field("fd", &self.fd).finish()
    }
}
