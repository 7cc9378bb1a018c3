//! [`Socket`]: an owned socket fd. The `BIO_*` methods each wrap one C
//! function; the others (options, datagrams, timeouts) each wrap one
//! syscall, named in their first doc line.

use std::fmt;
use std::io::{self, Read, Write};
use std::mem::size_of;
use std::net::{Shutdown, TcpListener, TcpStream, UdpSocket};
#[cfg(unix)]
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::os::raw::c_int;
#[cfg(unix)]
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
#[cfg(windows)]
use std::os::windows::io::{
    AsRawSocket, AsSocket, BorrowedSocket, FromRawSocket, IntoRawSocket, OwnedSocket, RawSocket,
};
use std::time::{Duration, Instant};

use crate::addr::BioAddr;
use crate::error::{c_call, c_fd, c_status, syscall, Errno, Error, Result};
use crate::ffi;
use crate::lookup::{LookupType, ToBioAddrs};
use crate::sys::c;
use crate::types::{Domain, Interest, Protocol, SockOpts, Type};

use crate::sys::{KEEPALIVE_TIME, NOSIGNAL};

/// An owned socket. Dropping it calls `BIO_closesocket`; [`Socket::close`]
/// does the same and reports the error.
pub struct Socket {
    fd: c_int,
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
    pub fn new(domain: Domain, ty: Type, protocol: Option<Protocol>) -> Result<Socket> {
        let protocol = protocol.unwrap_or(Protocol::DEFAULT);
        // SAFETY: plain integer arguments.
        let fd = c_fd("BIO_socket", move || unsafe {
            ffi::BIO_socket(domain.as_raw(), ty.as_raw(), protocol.as_raw(), 0)
        })?;
        Ok(Socket { fd })
    }

    /// Bind to `addr` (`BIO_bind`). Applies `REUSEADDR` (`SO_REUSEADDR`).
    ///
    /// # Errors
    /// `InvalidInput` for any other option; the system error with
    /// `BIO_R_UNABLE_TO_REUSEADDR` or `BIO_R_UNABLE_TO_BIND_SOCKET` (kind
    /// `AddrInUse`, `PermissionDenied`, …).
    pub fn bind(&self, addr: &BioAddr, opts: SockOpts) -> Result<()> {
        check_opts(opts, SockOpts::BIND, "BIO_bind")?;
        // SAFETY: addr points to a valid BIO_ADDR for the call.
        c_status("BIO_bind", move || unsafe {
            ffi::BIO_bind(self.fd, addr.as_ptr(), opts.bits())
        })
    }

    /// Connect to `addr` (`BIO_connect`). Applies `KEEPALIVE`, `NODELAY`,
    /// `TFO` and `NONBLOCK`, and sets the blocking mode both ways (without
    /// `NONBLOCK` the socket ends up blocking).
    ///
    /// # Errors
    /// `InvalidInput` for `REUSEADDR` or `V6_ONLY`. A non-blocking connect
    /// in progress is an error whose [`Error::is_in_progress`] is true
    /// (errno `EINPROGRESS`, kind `WouldBlock`): wait for
    /// [`Interest::Write`], then read [`Socket::take_error`]. Otherwise the
    /// system error with `BIO_R_CONNECT_ERROR` (kind `ConnectionRefused`,
    /// …), `BIO_R_UNABLE_TO_KEEPALIVE` or `BIO_R_UNABLE_TO_NODELAY`.
    ///
    /// ```
    /// use biosock::{BioAddr, Domain, SockOpts, Socket, Type};
    /// let listener = Socket::listen_on("127.0.0.1:0", SockOpts::empty())?;
    /// let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    /// s.connect(&listener.local_addr()?, SockOpts::NODELAY)?;
    /// assert!(s.nodelay()?);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn connect(&self, addr: &BioAddr, opts: SockOpts) -> Result<()> {
        check_opts(opts, SockOpts::CONNECT, "BIO_connect")?;
        // SAFETY: addr points to a valid BIO_ADDR for the call.
        c_status("BIO_connect", move || unsafe {
            ffi::BIO_connect(self.fd, addr.as_ptr(), opts.bits())
        })
    }

    /// Connect to `addr`, giving up after `timeout` (`BIO_connect` with
    /// `NONBLOCK`, `biosock_socket_wait_ms`, then `BIO_socket_nbio` back to
    /// blocking), as std's `TcpStream::connect_timeout` does.
    ///
    /// # Errors
    /// `InvalidInput` for a zero timeout; kind `TimedOut` (reason
    /// `BIO_R_CONNECT_TIMEOUT`, no errno) when the time ran out; the
    /// connect's own error (`ConnectionRefused`, …) otherwise. The socket is
    /// blocking again afterwards whatever happened.
    pub fn connect_timeout(&self, addr: &BioAddr, timeout: Duration) -> Result<()> {
        if timeout.is_zero() {
            return Err(Error::invalid_input(
                "BIO_connect",
                "connect_timeout with a zero timeout",
            ));
        }
        let done = match self.connect(addr, SockOpts::NONBLOCK) {
            Err(e) if e.is_in_progress() => match self.wait(Interest::Write, timeout) {
                Ok(true) => match self.take_error() {
                    Ok(None) => Ok(()),
                    Ok(Some(e)) => Err(Error::os("BIO_connect", e)),
                    Err(e) => Err(Error::os("BIO_sock_error", e)),
                },
                Ok(false) => Err(Error::timed_out("BIO_connect", timeout)),
                Err(e) => Err(e),
            },
            other => other,
        };
        let blocking = self.set_nonblocking(false);
        done.and(blocking)
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
    pub fn listen(&self, addr: &BioAddr, opts: SockOpts) -> Result<()> {
        check_listen_opts(addr, opts)?;
        // SAFETY: addr points to a valid BIO_ADDR for the call.
        c_status("BIO_listen", move || unsafe {
            ffi::BIO_listen(self.fd, addr.as_ptr(), opts.bits())
        })
    }

    /// [`Socket::listen`] with the `listen(2)` backlog given
    /// (`biosock_listen_backlog`, a biosock extension); the kernel caps it
    /// at `net.core.somaxconn`.
    ///
    /// # Errors
    /// As [`Socket::listen`].
    pub fn listen_backlog(&self, addr: &BioAddr, opts: SockOpts, backlog: i32) -> Result<()> {
        check_listen_opts(addr, opts)?;
        // SAFETY: addr points to a valid BIO_ADDR for the call.
        c_status("BIO_listen", move || unsafe {
            ffi::biosock_listen_backlog(self.fd, addr.as_ptr(), opts.bits(), backlog)
        })
    }

    /// Accept a connection and its peer's address (`BIO_accept_ex`). Applies
    /// `NONBLOCK` to the new socket, which is close-on-exec.
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
    pub fn accept(&self, opts: SockOpts) -> Result<(Socket, BioAddr)> {
        check_opts(opts, SockOpts::ACCEPT, "BIO_accept_ex")?;
        let mut peer = BioAddr::unspecified();
        let (listener, to) = (self.fd, peer.as_mut_ptr());
        // SAFETY: to points to peer, a valid, writable BIO_ADDR that outlives
        // the call.
        let fd = c_fd("BIO_accept_ex", move || unsafe {
            ffi::BIO_accept_ex(listener, to, opts.bits())
        })?;
        Ok((Socket { fd }, peer))
    }

    /// Close the socket (`BIO_closesocket`), reporting a failure. The fd is
    /// gone either way: close is never retried.
    ///
    /// # Errors
    /// The system error of `close(2)` (`EIO`, …), except `EINTR`, which on
    /// Linux means the fd is closed.
    pub fn close(self) -> Result<()> {
        let fd = self.fd;
        std::mem::forget(self);
        // SAFETY: this value owned fd and gives it up here.
        match c_status("BIO_closesocket", move || unsafe { ffi::BIO_closesocket(fd) }) {
            Err(e) if e.raw_os_error() == Some(c::EINTR) => Ok(()),
            other => other,
        }
    }

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
    /// [`Interest::Write`], then check [`Socket::take_error`].
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
    /// `biosock_connect_fresh`, which skips `BIO_connect`'s ioctl for the
    /// blocking mode a fresh socket already has: 6 syscalls a cycle). With
    /// `NONBLOCK`, a connect in progress counts as done.
    fn connect_fresh(addr: &BioAddr, opts: SockOpts) -> Result<Socket> {
        let s = Socket::new(addr.family(), Type::STREAM, None)?;
        let (fd, to) = (s.fd, addr.as_ptr());
        // SAFETY: to points to a valid BIO_ADDR for the call.
        match c_status("BIO_connect", move || unsafe {
            ffi::biosock_connect_fresh(fd, to, opts.bits())
        }) {
            Err(e) if opts.contains(SockOpts::NONBLOCK) && e.is_in_progress() => Ok(s),
            other => other.map(|()| s),
        }
    }

    /// RFC 8305's connection attempt delay, which [`Socket::connect_to`]
    /// uses: 250 ms.
    pub const DEFAULT_ATTEMPT_DELAY: Duration = Duration::from_millis(250);

    /// A stream socket connected to the first of `addr`'s addresses that
    /// answers, racing them the Happy Eyeballs way (RFC 8305;
    /// `biosock_connect_any`, a biosock extension): the addresses are
    /// interleaved by family, a new attempt starts every `attempt_delay`
    /// (at least 10 ms) or as soon as the previous one fails, the first
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
        const HAPPY: SockOpts = SockOpts::KEEPALIVE
            .union(SockOpts::NODELAY)
            .union(SockOpts::NONBLOCK);
        check_opts(opts, HAPPY, "biosock_connect_any")?;
        let addrs: Vec<BioAddr> = addr.to_bio_addrs(LookupType::Client)?.collect();
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
        let ms = |d: Duration| c_int::try_from(d.as_millis()).unwrap_or(c_int::MAX);
        let timeout = timeout.map_or(0, |t| ms(t).max(1));
        // SAFETY: ptrs holds addrs.len() pointers to BIO_ADDRs that addrs
        // keeps alive for the call.
        let fd = c_fd("biosock_connect_any", move || unsafe {
            ffi::biosock_connect_any(ptrs.as_ptr(), ptrs.len(), opts.bits(), ms(attempt_delay), timeout)
        })?;
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
        let mut addrs = addr.to_bio_addrs(LookupType::Server)?;
        let Some(first) = addrs.next() else {
            return Err(no_address());
        };
        match addrs.next() {
            None => Socket::listen_fresh(&first, opts),
            Some(second) => first_success([first, second].into_iter().chain(addrs), |a| {
                Socket::listen_fresh(&a, opts)
            }),
        }
    }

    /// A new stream socket listening on `addr` (`BIO_socket` +
    /// `biosock_listen_fresh`, which skips `BIO_listen`'s `SO_TYPE` query and
    /// blocking-mode ioctl: 3 syscalls for IPv4).
    fn listen_fresh(addr: &BioAddr, opts: SockOpts) -> Result<Socket> {
        check_listen_opts(addr, opts)?;
        let s = Socket::new(addr.family(), Type::STREAM, None)?;
        let (fd, at) = (s.fd, addr.as_ptr());
        // SAFETY: at points to a valid BIO_ADDR for the call.
        c_status("BIO_listen", move || unsafe {
            ffi::biosock_listen_fresh(fd, at, opts.bits(), c::SOMAXCONN)
        })
        .map(|()| s)
    }

    /// The local address (`BIO_sock_info` with `BIO_SOCK_INFO_ADDRESS`).
    ///
    /// # Errors
    /// The system error with `BIO_R_GETSOCKNAME_ERROR` (`EBADF`,
    /// `ENOTSOCK`).
    pub fn local_addr(&self) -> Result<BioAddr> {
        let mut addr = BioAddr::unspecified();
        let mut info = ffi::BIO_sock_info_u {
            addr: addr.as_mut_ptr(),
        };
        // SAFETY: info.addr points to a valid, writable BIO_ADDR.
        c_status("BIO_sock_info", move || unsafe {
            ffi::BIO_sock_info(self.fd, ffi::BIO_SOCK_INFO_ADDRESS, &mut info)
        })?;
        Ok(addr)
    }

    /// The peer's address (`getpeername(2)`).
    ///
    /// # Errors
    /// `ENOTCONN` (kind `NotConnected`) when the socket is not connected.
    pub fn peer_addr(&self) -> Result<BioAddr> {
        let mut addr = BioAddr::unspecified();
        let mut len = addr.capacity();
        // SAFETY: addr's storage is writable for len bytes.
        syscall("getpeername", unsafe {
            c::getpeername(self.fd, addr.as_mut_ptr().cast(), &mut len)
        })?;
        addr.set_kernel_len(len);
        Ok(addr)
    }

    /// The pending socket error, which reading clears (`BIO_sock_error`):
    /// `Ok(None)` when there is none, such as after a completed connect.
    ///
    /// # Errors
    /// Never: a failing `getsockopt` gives its errno as the `Some` error,
    /// as `BIO_sock_error` does.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        // SAFETY: plain integer argument.
        match unsafe { ffi::BIO_sock_error(self.fd) } {
            0 => Ok(None),
            e => Ok(Some(io::Error::from_raw_os_error(e))),
        }
    }

    /// A new fd for the same socket (`fcntl(F_DUPFD_CLOEXEC)`; on Windows
    /// `WSADuplicateSocketW`, not inheritable).
    ///
    /// # Errors
    /// `EMFILE` and the like.
    pub fn try_clone(&self) -> Result<Socket> {
        #[cfg(unix)]
        // SAFETY: plain integer arguments.
        let fd = syscall("fcntl(F_DUPFD_CLOEXEC)", unsafe {
            c::fcntl(self.fd, c::F_DUPFD_CLOEXEC, 3)
        })?;
        #[cfg(windows)]
        let fd = syscall("WSADuplicateSocketW", crate::sys::duplicate(self.fd))?;
        Ok(Socket { fd })
    }

    /// Shut down reading, writing or both (`shutdown(2)`).
    ///
    /// # Errors
    /// `ENOTCONN` (kind `NotConnected`) on a socket that is not connected.
    pub fn shutdown(&self, how: Shutdown) -> Result<()> {
        let how = match how {
            Shutdown::Read => c::SHUT_RD,
            Shutdown::Write => c::SHUT_WR,
            Shutdown::Both => c::SHUT_RDWR,
        };
        // SAFETY: plain integer arguments.
        syscall("shutdown", unsafe { c::shutdown(self.fd, how) }).map(drop)
    }

    /// Make the socket non-blocking or blocking (`BIO_socket_nbio`).
    ///
    /// # Errors
    /// The system error of `ioctl(FIONBIO)`.
    pub fn set_nonblocking(&self, nonblocking: bool) -> Result<()> {
        // SAFETY: plain integer arguments.
        c_status("BIO_socket_nbio", move || unsafe {
            ffi::BIO_socket_nbio(self.fd, nonblocking.into())
        })
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

    /// Set `TCP_NODELAY` (`BIO_set_tcp_ndelay`).
    ///
    /// # Errors
    /// `EOPNOTSUPP` (kind `Unsupported`) on a socket that is not TCP.
    pub fn set_nodelay(&self, nodelay: bool) -> Result<()> {
        // SAFETY: plain integer arguments.
        c_status("BIO_set_tcp_ndelay", move || unsafe {
            ffi::BIO_set_tcp_ndelay(self.fd, nodelay.into())
        })
    }

    /// Whether `TCP_NODELAY` is set (`getsockopt(TCP_NODELAY)`).
    ///
    /// # Errors
    /// `EOPNOTSUPP` (kind `Unsupported`) on a socket that is not TCP.
    pub fn nodelay(&self) -> Result<bool> {
        self.get_flag(c::IPPROTO_TCP, c::TCP_NODELAY, "getsockopt(TCP_NODELAY)")
    }

    /// Set `SO_KEEPALIVE` (`setsockopt(SO_KEEPALIVE)`).
    ///
    /// # Errors
    /// The system error of `setsockopt`.
    pub fn set_keepalive(&self, keepalive: bool) -> Result<()> {
        self.set_flag(
            c::SOL_SOCKET,
            c::SO_KEEPALIVE,
            keepalive,
            "setsockopt(SO_KEEPALIVE)",
        )
    }

    /// Whether `SO_KEEPALIVE` is set (`getsockopt(SO_KEEPALIVE)`).
    ///
    /// # Errors
    /// The system error of `getsockopt`.
    pub fn keepalive(&self) -> Result<bool> {
        self.get_flag(c::SOL_SOCKET, c::SO_KEEPALIVE, "getsockopt(SO_KEEPALIVE)")
    }

    /// Idle time before the first keepalive probe, in whole seconds
    /// (`setsockopt(TCP_KEEPIDLE)`; `TCP_KEEPALIVE` on Apple systems).
    ///
    /// # Errors
    /// `EINVAL` for 0 s or more than the kernel allows (32767 s on Linux).
    pub fn set_keepalive_time(&self, time: Duration) -> Result<()> {
        self.set_int(
            c::IPPROTO_TCP,
            KEEPALIVE_TIME,
            secs(time),
            "setsockopt(TCP_KEEPIDLE)",
        )
    }

    /// Idle time before the first keepalive probe
    /// (`getsockopt(TCP_KEEPIDLE)`).
    ///
    /// # Errors
    /// The system error of `getsockopt`.
    pub fn keepalive_time(&self) -> Result<Duration> {
        self.get_secs(c::IPPROTO_TCP, KEEPALIVE_TIME, "getsockopt(TCP_KEEPIDLE)")
    }

    /// Time between keepalive probes, in whole seconds
    /// (`setsockopt(TCP_KEEPINTVL)`).
    ///
    /// # Errors
    /// `EINVAL` for 0 s or more than the kernel allows.
    pub fn set_keepalive_interval(&self, interval: Duration) -> Result<()> {
        self.set_int(
            c::IPPROTO_TCP,
            c::TCP_KEEPINTVL,
            secs(interval),
            "setsockopt(TCP_KEEPINTVL)",
        )
    }

    /// Time between keepalive probes (`getsockopt(TCP_KEEPINTVL)`).
    ///
    /// # Errors
    /// The system error of `getsockopt`.
    pub fn keepalive_interval(&self) -> Result<Duration> {
        self.get_secs(c::IPPROTO_TCP, c::TCP_KEEPINTVL, "getsockopt(TCP_KEEPINTVL)")
    }

    /// Unanswered probes before the connection is dropped
    /// (`setsockopt(TCP_KEEPCNT)`).
    ///
    /// # Errors
    /// `EINVAL` for 0 or more than the kernel allows (127 on Linux).
    pub fn set_keepalive_retries(&self, retries: u32) -> Result<()> {
        let retries = c_int::try_from(retries).unwrap_or(c_int::MAX);
        self.set_int(c::IPPROTO_TCP, c::TCP_KEEPCNT, retries, "setsockopt(TCP_KEEPCNT)")
    }

    /// Unanswered probes before the connection is dropped
    /// (`getsockopt(TCP_KEEPCNT)`).
    ///
    /// # Errors
    /// The system error of `getsockopt`.
    pub fn keepalive_retries(&self) -> Result<u32> {
        let n = self.get_int(c::IPPROTO_TCP, c::TCP_KEEPCNT, "getsockopt(TCP_KEEPCNT)")?;
        Ok(n as u32)
    }

    /// `SO_LINGER`: `Some(t)` makes close wait up to `t` (whole seconds) for
    /// unsent data, `Some(ZERO)` resets the connection on close, `None`
    /// (the default) closes in the background (`setsockopt(SO_LINGER)`).
    ///
    /// # Errors
    /// The system error of `setsockopt`.
    pub fn set_linger(&self, linger: Option<Duration>) -> Result<()> {
        // (winsock's fields are u_short: whole seconds up to 65535.)
        #[allow(clippy::useless_conversion)]
        let value = c::linger {
            l_onoff: linger.is_some().into(),
            l_linger: linger.map_or(0, secs).try_into().unwrap_or(u16::MAX.into()),
        };
        self.setsockopt(c::SOL_SOCKET, c::SO_LINGER, value, "setsockopt(SO_LINGER)")
    }

    /// `SO_LINGER` (`getsockopt(SO_LINGER)`), as [`Socket::set_linger`]
    /// takes it.
    ///
    /// # Errors
    /// The system error of `getsockopt`.
    pub fn linger(&self) -> Result<Option<Duration>> {
        let l: c::linger = self.getsockopt(c::SOL_SOCKET, c::SO_LINGER, "getsockopt(SO_LINGER)")?;
        // (c_int on Unix, u_short on Windows.)
        #[allow(clippy::unnecessary_fallible_conversions)]
        let secs = u64::try_from(l.l_linger).unwrap_or(0);
        Ok((l.l_onoff != 0).then(|| Duration::from_secs(secs)))
    }

    /// Set `SO_REUSEADDR` (`setsockopt(SO_REUSEADDR)`).
    ///
    /// # Errors
    /// The system error of `setsockopt`.
    pub fn set_reuse_address(&self, reuse: bool) -> Result<()> {
        self.set_flag(c::SOL_SOCKET, c::SO_REUSEADDR, reuse, "setsockopt(SO_REUSEADDR)")
    }

    /// Whether `SO_REUSEADDR` is set (`getsockopt(SO_REUSEADDR)`).
    ///
    /// # Errors
    /// The system error of `getsockopt`.
    pub fn reuse_address(&self) -> Result<bool> {
        self.get_flag(c::SOL_SOCKET, c::SO_REUSEADDR, "getsockopt(SO_REUSEADDR)")
    }

    /// Set `SO_REUSEPORT` (`setsockopt(SO_REUSEPORT)`; Unix only).
    ///
    /// # Errors
    /// The system error of `setsockopt`.
    #[cfg(unix)]
    pub fn set_reuse_port(&self, reuse: bool) -> Result<()> {
        self.set_flag(c::SOL_SOCKET, c::SO_REUSEPORT, reuse, "setsockopt(SO_REUSEPORT)")
    }

    /// Whether `SO_REUSEPORT` is set (`getsockopt(SO_REUSEPORT)`; Unix
    /// only).
    ///
    /// # Errors
    /// The system error of `getsockopt`.
    #[cfg(unix)]
    pub fn reuse_port(&self) -> Result<bool> {
        self.get_flag(c::SOL_SOCKET, c::SO_REUSEPORT, "getsockopt(SO_REUSEPORT)")
    }

    /// Set `SO_RCVBUF` (`setsockopt(SO_RCVBUF)`); Linux doubles the value
    /// for its bookkeeping, and [`Socket::recv_buffer_size`] reads that back.
    ///
    /// # Errors
    /// The system error of `setsockopt`.
    pub fn set_recv_buffer_size(&self, size: usize) -> Result<()> {
        self.set_int(c::SOL_SOCKET, c::SO_RCVBUF, clamp(size), "setsockopt(SO_RCVBUF)")
    }

    /// `SO_RCVBUF` (`getsockopt(SO_RCVBUF)`).
    ///
    /// # Errors
    /// The system error of `getsockopt`.
    pub fn recv_buffer_size(&self) -> Result<usize> {
        let n = self.get_int(c::SOL_SOCKET, c::SO_RCVBUF, "getsockopt(SO_RCVBUF)")?;
        Ok(n as usize)
    }

    /// Set `SO_SNDBUF` (`setsockopt(SO_SNDBUF)`); doubled on Linux as
    /// [`Socket::set_recv_buffer_size`] says.
    ///
    /// # Errors
    /// The system error of `setsockopt`.
    pub fn set_send_buffer_size(&self, size: usize) -> Result<()> {
        self.set_int(c::SOL_SOCKET, c::SO_SNDBUF, clamp(size), "setsockopt(SO_SNDBUF)")
    }

    /// `SO_SNDBUF` (`getsockopt(SO_SNDBUF)`).
    ///
    /// # Errors
    /// The system error of `getsockopt`.
    pub fn send_buffer_size(&self) -> Result<usize> {
        let n = self.get_int(c::SOL_SOCKET, c::SO_SNDBUF, "getsockopt(SO_SNDBUF)")?;
        Ok(n as usize)
    }

    /// Set the IPv4 time-to-live (`setsockopt(IP_TTL)`).
    ///
    /// # Errors
    /// `EINVAL` for 0 or more than 255; `ENOPROTOOPT` on a socket that is
    /// not IP.
    pub fn set_ttl(&self, ttl: u32) -> Result<()> {
        let ttl = c_int::try_from(ttl).unwrap_or(c_int::MAX);
        self.set_int(c::IPPROTO_IP, c::IP_TTL, ttl, "setsockopt(IP_TTL)")
    }

    /// The IPv4 time-to-live (`getsockopt(IP_TTL)`).
    ///
    /// # Errors
    /// `ENOPROTOOPT` on a socket that is not IP.
    pub fn ttl(&self) -> Result<u32> {
        Ok(self.get_int(c::IPPROTO_IP, c::IP_TTL, "getsockopt(IP_TTL)")? as u32)
    }

    /// Set `IPV6_V6ONLY` (`setsockopt(IPV6_V6ONLY)`); before bind only.
    ///
    /// # Errors
    /// `EINVAL` on a bound socket; `ENOPROTOOPT` on a socket that is not
    /// IPv6.
    pub fn set_only_v6(&self, only_v6: bool) -> Result<()> {
        self.set_flag(
            c::IPPROTO_IPV6,
            c::IPV6_V6ONLY,
            only_v6,
            "setsockopt(IPV6_V6ONLY)",
        )
    }

    /// Whether `IPV6_V6ONLY` is set (`getsockopt(IPV6_V6ONLY)`).
    ///
    /// # Errors
    /// `ENOPROTOOPT` on a socket that is not IPv6.
    pub fn only_v6(&self) -> Result<bool> {
        self.get_flag(c::IPPROTO_IPV6, c::IPV6_V6ONLY, "getsockopt(IPV6_V6ONLY)")
    }

    /// Set `SO_RCVTIMEO` (`setsockopt(SO_RCVTIMEO)`): blocking reads give
    /// up after `timeout` with kind `WouldBlock` (errno `EAGAIN`); `None`
    /// waits for ever. Microsecond precision.
    ///
    /// # Errors
    /// `InvalidInput` for `Some(Duration::ZERO)`, as std refuses it.
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        self.set_timeout(c::SO_RCVTIMEO, timeout, "setsockopt(SO_RCVTIMEO)")
    }

    /// `SO_RCVTIMEO` (`getsockopt(SO_RCVTIMEO)`); `None` for no timeout.
    ///
    /// # Errors
    /// The system error of `getsockopt`.
    pub fn read_timeout(&self) -> Result<Option<Duration>> {
        self.get_timeout(c::SO_RCVTIMEO, "getsockopt(SO_RCVTIMEO)")
    }

    /// Set `SO_SNDTIMEO` (`setsockopt(SO_SNDTIMEO)`), as
    /// [`Socket::set_read_timeout`] for writes.
    ///
    /// # Errors
    /// `InvalidInput` for `Some(Duration::ZERO)`.
    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        self.set_timeout(c::SO_SNDTIMEO, timeout, "setsockopt(SO_SNDTIMEO)")
    }

    /// `SO_SNDTIMEO` (`getsockopt(SO_SNDTIMEO)`); `None` for no timeout.
    ///
    /// # Errors
    /// The system error of `getsockopt`.
    pub fn write_timeout(&self) -> Result<Option<Duration>> {
        self.get_timeout(c::SO_SNDTIMEO, "getsockopt(SO_SNDTIMEO)")
    }

    /// Bind the socket to a network interface, such as `b"lo"`, or unbind
    /// it with `None` (`setsockopt(SO_BINDTODEVICE)`, Linux).
    ///
    /// # Errors
    /// `EPERM` without `CAP_NET_RAW`; `ENODEV` for an unknown interface.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub fn bind_device(&self, interface: Option<&[u8]>) -> Result<()> {
        let name = interface.unwrap_or(&[]);
        // SAFETY: name is readable for name.len() bytes.
        syscall("setsockopt(SO_BINDTODEVICE)", unsafe {
            c::setsockopt(
                self.fd,
                c::SOL_SOCKET,
                c::SO_BINDTODEVICE,
                name.as_ptr().cast(),
                name.len() as c::socklen_t,
            )
        })
        .map(drop)
    }

    /// The interface the socket is bound to (`getsockopt(SO_BINDTODEVICE)`,
    /// Linux); `None` when it is not.
    ///
    /// # Errors
    /// The system error of `getsockopt`.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub fn device(&self) -> Result<Option<Vec<u8>>> {
        let mut buf = [0u8; c::IFNAMSIZ];
        let mut len = buf.len() as c::socklen_t;
        // SAFETY: buf is writable for len bytes.
        syscall("getsockopt(SO_BINDTODEVICE)", unsafe {
            c::getsockopt(
                self.fd,
                c::SOL_SOCKET,
                c::SO_BINDTODEVICE,
                buf.as_mut_ptr().cast(),
                &mut len,
            )
        })?;
        let name = &buf[..len as usize];
        let name = name.split(|&b| b == 0).next().unwrap_or_default();
        Ok((!name.is_empty()).then(|| name.to_vec()))
    }

    /// Send on a connected socket (`send(2)` with `MSG_NOSIGNAL`: a closed
    /// peer gives `EPIPE`, never `SIGPIPE`).
    ///
    /// # Errors
    /// `EPIPE` (kind `BrokenPipe`), `EAGAIN` (kind `WouldBlock`), …
    pub fn send(&self, buf: &[u8]) -> Result<usize> {
        self.send_with_flags(buf, 0)
    }

    /// [`Socket::send`] with `MSG_*` flags (`send(2)`; `MSG_NOSIGNAL` is
    /// always added).
    ///
    /// # Errors
    /// As [`Socket::send`].
    pub fn send_with_flags(&self, buf: &[u8], flags: c_int) -> Result<usize> {
        // SAFETY: buf is readable for buf.len() bytes.
        let n = syscall("send", unsafe {
            c::send(self.fd, buf.as_ptr().cast(), buf.len(), flags | NOSIGNAL)
        })?;
        Ok(n as usize)
    }

    /// Send a datagram to `addr` (`sendto(2)` with `MSG_NOSIGNAL`).
    ///
    /// # Errors
    /// `EAFNOSUPPORT` for an address of another family, `EMSGSIZE`, …
    ///
    /// ```
    /// use biosock::{Domain, Socket, Type};
    /// let a = Socket::new(Domain::IPV4, Type::DGRAM, None)?;
    /// a.bind(&"127.0.0.1:0".parse()?, Default::default())?;
    /// let b = Socket::new(Domain::IPV4, Type::DGRAM, None)?;
    /// b.bind(&"127.0.0.1:0".parse()?, Default::default())?;
    /// b.send_to(b"hi", &a.local_addr()?)?;
    /// let mut buf = [0; 8];
    /// let (n, from) = a.recv_from(&mut buf)?;
    /// assert_eq!((&buf[..n], from), (&b"hi"[..], b.local_addr()?));
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn send_to(&self, buf: &[u8], addr: &BioAddr) -> Result<usize> {
        self.send_to_with_flags(buf, addr, 0)
    }

    /// [`Socket::send_to`] with `MSG_*` flags (`sendto(2)`).
    ///
    /// # Errors
    /// As [`Socket::send_to`].
    pub fn send_to_with_flags(&self, buf: &[u8], addr: &BioAddr, flags: c_int) -> Result<usize> {
        let (sa, len) = addr.as_sockaddr();
        // SAFETY: buf is readable for its length; sa points to len bytes.
        let n = syscall("sendto", unsafe {
            c::sendto(self.fd, buf.as_ptr().cast(), buf.len(), flags | NOSIGNAL, sa, len)
        })?;
        Ok(n as usize)
    }

    /// Receive from a connected socket (`recv(2)`); 0 at end of stream.
    ///
    /// # Errors
    /// `EAGAIN` (kind `WouldBlock`) when non-blocking or after a read
    /// timeout, `ECONNRESET`, …
    pub fn recv(&self, buf: &mut [u8]) -> Result<usize> {
        self.recv_with_flags(buf, 0)
    }

    /// [`Socket::recv`] with `MSG_*` flags (`recv(2)`).
    ///
    /// # Errors
    /// As [`Socket::recv`].
    pub fn recv_with_flags(&self, buf: &mut [u8], flags: c_int) -> Result<usize> {
        // SAFETY: buf is writable for buf.len() bytes.
        let n = syscall("recv", unsafe {
            c::recv(self.fd, buf.as_mut_ptr().cast(), buf.len(), flags)
        })?;
        Ok(n as usize)
    }

    /// Read without consuming (`recv(2)` with `MSG_PEEK`).
    ///
    /// # Errors
    /// As [`Socket::recv`].
    pub fn peek(&self, buf: &mut [u8]) -> Result<usize> {
        self.recv_with_flags(buf, c::MSG_PEEK)
    }

    /// Receive a datagram and its sender (`recvfrom(2)`).
    ///
    /// # Errors
    /// As [`Socket::recv`].
    pub fn recv_from(&self, buf: &mut [u8]) -> Result<(usize, BioAddr)> {
        self.recv_from_with_flags(buf, 0)
    }

    /// [`Socket::recv_from`] with `MSG_*` flags (`recvfrom(2)`).
    ///
    /// # Errors
    /// As [`Socket::recv`].
    pub fn recv_from_with_flags(&self, buf: &mut [u8], flags: c_int) -> Result<(usize, BioAddr)> {
        let mut from = BioAddr::unspecified();
        let mut len = from.capacity();
        // SAFETY: buf is writable for its length; from's storage for len.
        let n = syscall("recvfrom", unsafe {
            c::recvfrom(
                self.fd,
                buf.as_mut_ptr().cast(),
                buf.len(),
                flags,
                from.as_mut_ptr().cast(),
                &mut len,
            )
        })?;
        from.set_kernel_len(len);
        Ok((n as usize, from))
    }

    /// Read a datagram and its sender without consuming it (`recvfrom(2)`
    /// with `MSG_PEEK`).
    ///
    /// # Errors
    /// As [`Socket::recv`].
    pub fn peek_from(&self, buf: &mut [u8]) -> Result<(usize, BioAddr)> {
        self.recv_from_with_flags(buf, c::MSG_PEEK)
    }

    fn setsockopt<T>(&self, level: c_int, name: c_int, value: T, function: &'static str) -> Result<()> {
        // SAFETY: value is a live T, readable for size_of::<T>() bytes.
        syscall(function, unsafe {
            c::setsockopt(
                self.fd,
                level,
                name,
                (&value as *const T).cast(),
                size_of::<T>() as c::socklen_t,
            )
        })
        .map(drop)
    }

    /// `getsockopt` of a plain-data `T` (an int, a timeval, a linger).
    fn getsockopt<T: Copy>(&self, level: c_int, name: c_int, function: &'static str) -> Result<T> {
        let mut value = std::mem::MaybeUninit::<T>::zeroed();
        let mut len = size_of::<T>() as c::socklen_t;
        // SAFETY: value is writable for len bytes.
        syscall(function, unsafe {
            c::getsockopt(self.fd, level, name, value.as_mut_ptr().cast(), &mut len)
        })?;
        // SAFETY: T is plain data (only ints here) and was zeroed, so it is
        // initialised whether the kernel wrote all of it or less.
        Ok(unsafe { value.assume_init() })
    }

    fn set_int(&self, level: c_int, name: c_int, value: c_int, function: &'static str) -> Result<()> {
        self.setsockopt(level, name, value, function)
    }

    fn get_int(&self, level: c_int, name: c_int, function: &'static str) -> Result<c_int> {
        self.getsockopt(level, name, function)
    }

    fn set_flag(&self, level: c_int, name: c_int, on: bool, function: &'static str) -> Result<()> {
        self.set_int(level, name, on.into(), function)
    }

    fn get_flag(&self, level: c_int, name: c_int, function: &'static str) -> Result<bool> {
        Ok(self.get_int(level, name, function)? != 0)
    }

    fn get_secs(&self, level: c_int, name: c_int, function: &'static str) -> Result<Duration> {
        Ok(Duration::from_secs(
            self.get_int(level, name, function)?.max(0) as u64
        ))
    }

    #[cfg(unix)]
    #[allow(deprecated)] // libc's musl time_t note: 64-bit on the 64-bit targets
    fn set_timeout(&self, name: c_int, timeout: Option<Duration>, function: &'static str) -> Result<()> {
        let tv = match timeout {
            Some(t) if t.is_zero() => {
                return Err(Error::invalid_input(
                    function,
                    "a zero timeout (use None for no timeout)",
                ));
            }
            Some(t) => c::timeval {
                tv_sec: c::time_t::try_from(t.as_secs()).unwrap_or(c::time_t::MAX),
                // At least 1 µs, so that a timeout below 1 µs is not "none".
                // (subsec_micros() < 1,000,000 fits every suseconds_t,
                // 32-bit on some targets.)
                #[allow(clippy::unnecessary_fallible_conversions)]
                tv_usec: c::suseconds_t::try_from(t.subsec_micros())
                    .unwrap_or(999_999)
                    .max((t.as_secs() == 0).into()),
            },
            None => c::timeval {
                tv_sec: 0,
                tv_usec: 0,
            },
        };
        self.setsockopt(c::SOL_SOCKET, name, tv, function)
    }

    #[cfg(unix)]
    fn get_timeout(&self, name: c_int, function: &'static str) -> Result<Option<Duration>> {
        let tv: c::timeval = self.getsockopt(c::SOL_SOCKET, name, function)?;
        let t = Duration::new(tv.tv_sec.max(0) as u64, (tv.tv_usec.max(0) as u32) * 1000);
        Ok((!t.is_zero()).then_some(t))
    }

    /// Winsock's timeouts are a DWORD of milliseconds (0: none).
    #[cfg(windows)]
    fn set_timeout(&self, name: c_int, timeout: Option<Duration>, function: &'static str) -> Result<()> {
        let ms: u32 = match timeout {
            Some(t) if t.is_zero() => {
                return Err(Error::invalid_input(
                    function,
                    "a zero timeout (use None for no timeout)",
                ));
            }
            // At least 1 ms, so that a timeout below 1 ms is not "none".
            Some(t) => u32::try_from(t.as_millis()).unwrap_or(u32::MAX).max(1),
            None => 0,
        };
        self.setsockopt(c::SOL_SOCKET, name, ms, function)
    }

    #[cfg(windows)]
    fn get_timeout(&self, name: c_int, function: &'static str) -> Result<Option<Duration>> {
        let ms: u32 = self.getsockopt(c::SOL_SOCKET, name, function)?;
        Ok((ms != 0).then(|| Duration::from_millis(ms.into())))
    }
}

/// Whole seconds for a socket option, saturating.
fn secs(d: Duration) -> c_int {
    c_int::try_from(d.as_secs()).unwrap_or(c_int::MAX)
}

/// A buffer size for a socket option, saturating.
fn clamp(size: usize) -> c_int {
    c_int::try_from(size).unwrap_or(c_int::MAX)
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

/// A lookup that gave no address at all.
fn no_address() -> Error {
    Error::of_kind("BIO_lookup_ex", io::ErrorKind::NotFound, "no address")
}

impl Drop for Socket {
    /// `BIO_closesocket`; errors are ignored (use [`Socket::close`]).
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

#[cfg(unix)]
impl AsRawFd for Socket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd
    }
}

#[cfg(unix)]
impl AsFd for Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        // SAFETY: fd is open for as long as self lives.
        unsafe { BorrowedFd::borrow_raw(self.fd) }
    }
}

#[cfg(unix)]
impl IntoRawFd for Socket {
    /// Give up the fd without closing it.
    fn into_raw_fd(self) -> RawFd {
        let fd = self.fd;
        std::mem::forget(self);
        fd
    }
}

#[cfg(unix)]
impl FromRawFd for Socket {
    /// Take ownership of an open socket fd.
    ///
    /// # Panics
    /// When `fd` is -1 (or any negative value).
    ///
    /// # Safety
    /// `fd` must be an open socket that nothing else closes.
    unsafe fn from_raw_fd(fd: RawFd) -> Socket {
        assert!(fd >= 0, "Socket::from_raw_fd: invalid fd {fd}");
        Socket { fd }
    }
}

#[cfg(unix)]
impl From<OwnedFd> for Socket {
    fn from(fd: OwnedFd) -> Socket {
        Socket { fd: fd.into_raw_fd() }
    }
}

#[cfg(unix)]
impl From<Socket> for OwnedFd {
    fn from(s: Socket) -> OwnedFd {
        // SAFETY: the fd was owned by s, which gives it up.
        unsafe { OwnedFd::from_raw_fd(s.into_raw_fd()) }
    }
}

/// The owned handle type of the platform: `OwnedFd`, `OwnedSocket`.
#[cfg(unix)]
type Owned = OwnedFd;
#[cfg(windows)]
type Owned = OwnedSocket;

macro_rules! std_conversions {
    ($($t:ty),*) => {$(
        impl From<Socket> for $t {
            fn from(s: Socket) -> $t {
                <$t>::from(Owned::from(s))
            }
        }

        impl From<$t> for Socket {
            fn from(s: $t) -> Socket {
                Socket::from(Owned::from(s))
            }
        }
    )*};
}

std_conversions!(TcpStream, TcpListener, UdpSocket);
#[cfg(unix)]
std_conversions!(UnixStream, UnixListener, UnixDatagram);

// Windows: a SOCKET held as the C library's int (as OpenSSL does); SOCKET
// values are handles, which fit.
#[cfg(windows)]
impl AsRawSocket for Socket {
    fn as_raw_socket(&self) -> RawSocket {
        self.fd as RawSocket
    }
}

#[cfg(windows)]
impl AsSocket for Socket {
    fn as_socket(&self) -> BorrowedSocket<'_> {
        // SAFETY: the socket is open for as long as self lives.
        unsafe { BorrowedSocket::borrow_raw(self.as_raw_socket()) }
    }
}

#[cfg(windows)]
impl IntoRawSocket for Socket {
    /// Give up the socket without closing it.
    fn into_raw_socket(self) -> RawSocket {
        let s = self.as_raw_socket();
        std::mem::forget(self);
        s
    }
}

#[cfg(windows)]
impl FromRawSocket for Socket {
    /// Take ownership of an open socket.
    ///
    /// # Panics
    /// When `socket` does not fit the C library's int (INVALID_SOCKET
    /// included).
    ///
    /// # Safety
    /// `socket` must be an open socket that nothing else closes.
    unsafe fn from_raw_socket(socket: RawSocket) -> Socket {
        let fd = c_int::try_from(socket).expect("Socket::from_raw_socket: not an int-sized SOCKET");
        Socket { fd }
    }
}

#[cfg(windows)]
impl From<OwnedSocket> for Socket {
    fn from(s: OwnedSocket) -> Socket {
        // SAFETY: the socket was owned by s, which gives it up.
        unsafe { Socket::from_raw_socket(s.into_raw_socket()) }
    }
}

#[cfg(windows)]
impl From<Socket> for OwnedSocket {
    fn from(s: Socket) -> OwnedSocket {
        // SAFETY: the socket was owned by s, which gives it up.
        unsafe { OwnedSocket::from_raw_socket(s.into_raw_socket()) }
    }
}

impl Read for Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self).read(buf)
    }
}

impl Read for &Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        Ok(self.recv(buf)?)
    }
}

impl Write for Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Write for &Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Ok(self.send(buf)?)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
