//! [`Socket`]: an owned socket fd whose methods each wrap one C function.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::os::raw::c_int;
use std::os::unix::net::{UnixListener, UnixStream};
use std::ptr;
use std::time::Duration;

use crate::addr::{lookup, split_host_port, BioAddr, LookupType};
use crate::error::{clear_queue, cvt_fd, cvt_status, Error, Result};
use crate::ffi;

macro_rules! int_newtype {
    ($(#[$doc:meta])* $name:ident { $($(#[$cdoc:meta])* $c:ident = $v:expr;)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name(c_int);

        impl $name {
            $($(#[$cdoc])* pub const $c: $name = $name($v as c_int);)*

            /// Wrap a raw C value.
            pub const fn from_raw(v: c_int) -> $name {
                $name(v)
            }

            /// The raw C value.
            pub const fn as_raw(self) -> c_int {
                self.0
            }
        }

        impl fmt::Debug for $name {
            /// The constant's name, or the number for other values.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                $(if *self == $name::$c {
                    return f.write_str(stringify!($c));
                })*
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

int_newtype! {
    /// An address family: `AF_INET`, `AF_INET6`, `AF_UNIX` or `AF_UNSPEC`.
    Domain {
        /// `AF_INET`.
        IPV4 = libc::AF_INET;
        /// `AF_INET6`.
        IPV6 = libc::AF_INET6;
        /// `AF_UNIX`.
        UNIX = libc::AF_UNIX;
        /// `AF_UNSPEC`.
        UNSPEC = libc::AF_UNSPEC;
    }
}

int_newtype! {
    /// A socket type: `SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_SEQPACKET`.
    Type {
        /// `SOCK_STREAM`.
        STREAM = libc::SOCK_STREAM;
        /// `SOCK_DGRAM`.
        DGRAM = libc::SOCK_DGRAM;
        /// `SOCK_SEQPACKET`.
        SEQPACKET = libc::SOCK_SEQPACKET;
    }
}

int_newtype! {
    /// A protocol: `IPPROTO_TCP`, `IPPROTO_UDP`, or 0 for the default.
    Protocol {
        /// `IPPROTO_TCP`.
        TCP = libc::IPPROTO_TCP;
        /// `IPPROTO_UDP`.
        UDP = libc::IPPROTO_UDP;
        /// 0: the family's default.
        DEFAULT = 0;
    }
}

bitflags::bitflags! {
    /// The `BIO_SOCK_*` options.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct SockOpts: c_int {
        /// `BIO_SOCK_REUSEADDR`: `SO_REUSEADDR` (bind, listen).
        const REUSEADDR = ffi::BIO_SOCK_REUSEADDR as c_int;
        /// `BIO_SOCK_V6_ONLY`: `IPV6_V6ONLY` (listen on IPv6).
        const V6_ONLY = ffi::BIO_SOCK_V6_ONLY as c_int;
        /// `BIO_SOCK_KEEPALIVE`: `SO_KEEPALIVE` (connect, listen).
        const KEEPALIVE = ffi::BIO_SOCK_KEEPALIVE as c_int;
        /// `BIO_SOCK_NONBLOCK`: non-blocking mode (connect, listen, accept).
        const NONBLOCK = ffi::BIO_SOCK_NONBLOCK as c_int;
        /// `BIO_SOCK_NODELAY`: `TCP_NODELAY` (connect, listen).
        const NODELAY = ffi::BIO_SOCK_NODELAY as c_int;
    }
}

/// What [`Socket::wait`] waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Interest {
    /// Readable (or a connection to accept).
    Read,
    /// Writable (or a connect finished).
    Write,
}

/// An owned socket. Dropping it calls `BIO_closesocket`; [`Socket::close`]
/// does the same and reports the error.
pub struct Socket {
    fd: RawFd,
}

impl Socket {
    /// Create a socket (`BIO_socket`); close-on-exec.
    pub fn new(domain: Domain, ty: Type, protocol: Option<Protocol>) -> Result<Socket> {
        let protocol = protocol.unwrap_or(Protocol::DEFAULT);
        clear_queue();
        // SAFETY: plain integer arguments.
        let fd = unsafe { ffi::BIO_socket(domain.as_raw(), ty.as_raw(), protocol.as_raw(), 0) };
        cvt_fd(fd, "BIO_socket").map(|fd| Socket { fd })
    }

    /// Bind to `addr` (`BIO_bind`); `REUSEADDR` applies.
    pub fn bind(&self, addr: &BioAddr, opts: SockOpts) -> Result<()> {
        clear_queue();
        // SAFETY: addr points to a valid BIO_ADDR for the call.
        cvt_status(
            unsafe { ffi::BIO_bind(self.fd, addr.as_ptr(), opts.bits()) },
            "BIO_bind",
        )
    }

    /// Connect to `addr` (`BIO_connect`); `KEEPALIVE`, `NONBLOCK`,
    /// `NODELAY` apply. A non-blocking connect in progress gives an error
    /// whose kind is `WouldBlock` (errno EINPROGRESS): wait for
    /// [`Interest::Write`], then read [`Socket::take_error`].
    pub fn connect(&self, addr: &BioAddr, opts: SockOpts) -> Result<()> {
        clear_queue();
        // SAFETY: addr points to a valid BIO_ADDR for the call.
        cvt_status(
            unsafe { ffi::BIO_connect(self.fd, addr.as_ptr(), opts.bits()) },
            "BIO_connect",
        )
    }

    /// Bind to `addr` and listen (`BIO_listen`); every option applies.
    pub fn listen(&self, addr: &BioAddr, opts: SockOpts) -> Result<()> {
        clear_queue();
        // SAFETY: addr points to a valid BIO_ADDR for the call.
        cvt_status(
            unsafe { ffi::BIO_listen(self.fd, addr.as_ptr(), opts.bits()) },
            "BIO_listen",
        )
    }

    /// Accept a connection and its peer's address (`BIO_accept_ex`);
    /// `NONBLOCK` applies to the new socket, which is close-on-exec. On an
    /// empty non-blocking listener the error's kind is `WouldBlock`.
    pub fn accept(&self, opts: SockOpts) -> Result<(Socket, BioAddr)> {
        let mut peer = BioAddr::unspecified();
        clear_queue();
        // SAFETY: peer is a valid, writable BIO_ADDR for the call.
        let fd = unsafe { ffi::BIO_accept_ex(self.fd, peer.as_mut_ptr(), opts.bits()) };
        cvt_fd(fd, "BIO_accept_ex").map(|fd| (Socket { fd }, peer))
    }

    /// The local address (`BIO_sock_info` with `BIO_SOCK_INFO_ADDRESS`).
    pub fn local_addr(&self) -> Result<BioAddr> {
        let mut addr = BioAddr::unspecified();
        let mut info = ffi::BIO_sock_info_u {
            addr: addr.as_mut_ptr(),
        };
        clear_queue();
        // SAFETY: info.addr points to a valid, writable BIO_ADDR.
        let ok = unsafe { ffi::BIO_sock_info(self.fd, ffi::BIO_SOCK_INFO_ADDRESS, &mut info) };
        cvt_status(ok, "BIO_sock_info").map(|()| addr)
    }

    /// The pending socket error, which reading clears (`BIO_sock_error`):
    /// `Ok(None)` when there is none, such as after a completed connect.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        // SAFETY: plain integer argument.
        match unsafe { ffi::BIO_sock_error(self.fd) } {
            0 => Ok(None),
            e => Ok(Some(io::Error::from_raw_os_error(e))),
        }
    }

    /// Make the socket non-blocking or blocking (`BIO_socket_nbio`).
    pub fn set_nonblocking(&self, nonblocking: bool) -> Result<()> {
        clear_queue();
        // SAFETY: plain integer arguments.
        cvt_status(
            unsafe { ffi::BIO_socket_nbio(self.fd, nonblocking.into()) },
            "BIO_socket_nbio",
        )
    }

    /// Set `TCP_NODELAY` (`BIO_set_tcp_ndelay`).
    pub fn set_nodelay(&self, nodelay: bool) -> Result<()> {
        clear_queue();
        // SAFETY: plain integer arguments.
        cvt_status(
            unsafe { ffi::BIO_set_tcp_ndelay(self.fd, nodelay.into()) },
            "BIO_set_tcp_ndelay",
        )
    }

    /// Wait until the socket is ready for `interest`, at most `timeout`
    /// (whole seconds, rounded up, as `BIO_socket_wait` counts them).
    /// `Ok(true)` when ready, `Ok(false)` on timeout.
    pub fn wait(&self, interest: Interest, timeout: Duration) -> Result<bool> {
        let secs = timeout.as_secs() + u64::from(timeout.subsec_nanos() > 0);
        // SAFETY: time(NULL) has no preconditions.
        let now = unsafe { libc::time(ptr::null_mut()) };
        let deadline = now
            .saturating_add(secs.min(i64::MAX as u64) as libc::time_t)
            .max(1);
        clear_queue();
        // SAFETY: plain integer arguments.
        match unsafe { ffi::BIO_socket_wait(self.fd, (interest == Interest::Read).into(), deadline) } {
            -1 => Err(Error::take("BIO_socket_wait", true)),
            0 => Ok(false),
            _ => Ok(true),
        }
    }

    /// Close the socket (`BIO_closesocket`), reporting a failure. The fd is
    /// gone either way: close is never retried.
    pub fn close(self) -> Result<()> {
        let fd = self.into_raw_fd();
        clear_queue();
        // SAFETY: this value owned fd and gives it up here.
        if unsafe { ffi::BIO_closesocket(fd) } == 1 {
            return Ok(());
        }
        let err = Error::take("BIO_closesocket", true);
        // On Linux, EINTR from close means the fd is closed.
        match err.raw_os_error() {
            Some(libc::EINTR) => Ok(()),
            _ => Err(err),
        }
    }

    /// Connect to `"host:port"` or `"[v6]:port"` (`BIO_parse_hostserv`,
    /// `BIO_lookup_ex`, then `BIO_socket` + `BIO_connect` on each address in
    /// turn). With `NONBLOCK`, a connect still in progress counts as done:
    /// wait for [`Interest::Write`], then check [`Socket::take_error`].
    pub fn connect_to(host_port: &str, opts: SockOpts) -> Result<Socket> {
        let (host, port) = split_host_port(host_port, ffi::BIO_PARSE_PRIO_HOST)?;
        let results = lookup(
            host.as_deref(),
            port.as_deref(),
            LookupType::Client,
            Domain::UNSPEC,
            Type::STREAM,
        )?;
        first_success(results.map(|r| r.addr), |addr| Socket::connect_addr(&addr, opts))
    }

    /// Listen on `"host:port"`, `"port"` or `"*:port"` (a server lookup,
    /// then `BIO_socket` + `BIO_listen` on each address until one works).
    pub fn listen_on(host_port: &str, opts: SockOpts) -> Result<Socket> {
        let (host, port) = split_host_port(host_port, ffi::BIO_PARSE_PRIO_SERV)?;
        let results = lookup(
            host.as_deref(),
            port.as_deref(),
            LookupType::Server,
            Domain::UNSPEC,
            Type::STREAM,
        )?;
        first_success(results.map(|r| r.addr), |addr| Socket::listen_addr(&addr, opts))
    }

    /// A stream socket of `addr`'s family connected to it (`BIO_socket` +
    /// `BIO_connect`); with `NONBLOCK`, a connect in progress counts as done.
    pub fn connect_addr(addr: &BioAddr, opts: SockOpts) -> Result<Socket> {
        let s = Socket::new(addr.family(), Type::STREAM, None)?;
        match s.connect(addr, opts) {
            Err(e) if opts.contains(SockOpts::NONBLOCK) && e.kind() == io::ErrorKind::WouldBlock => Ok(s),
            other => other.map(|()| s),
        }
    }

    /// A stream socket of `addr`'s family listening on it (`BIO_socket` +
    /// `BIO_listen`).
    pub fn listen_addr(addr: &BioAddr, opts: SockOpts) -> Result<Socket> {
        let s = Socket::new(addr.family(), Type::STREAM, None)?;
        s.listen(addr, opts).map(|()| s)
    }

    /// [`Socket::connect_addr`] for a `SocketAddr`.
    pub fn connect_socket_addr(addr: SocketAddr, opts: SockOpts) -> Result<Socket> {
        Socket::connect_addr(&addr.into(), opts)
    }

    /// [`Socket::listen_addr`] for a `SocketAddr`.
    pub fn listen_socket_addr(addr: SocketAddr, opts: SockOpts) -> Result<Socket> {
        Socket::listen_addr(&addr.into(), opts)
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
    Err(last.unwrap_or_else(|| Error::invalid_input("BIO_lookup_ex", "no address")))
}

impl Drop for Socket {
    /// `BIO_closesocket`; errors are ignored (use [`Socket::close`]).
    fn drop(&mut self) {
        // SAFETY: this value owns fd and closes it once.
        unsafe { ffi::BIO_closesocket(self.fd) };
    }
}

impl fmt::Debug for Socket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Socket");
        d.field("fd", &self.fd);
        if let Ok(addr) = self.local_addr() {
            d.field("local", &format_args!("{addr}"));
        }
        d.finish()
    }
}

impl AsRawFd for Socket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd
    }
}

impl AsFd for Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        // SAFETY: fd is open for as long as self lives.
        unsafe { BorrowedFd::borrow_raw(self.fd) }
    }
}

impl IntoRawFd for Socket {
    /// Give up the fd without closing it.
    fn into_raw_fd(self) -> RawFd {
        let fd = self.fd;
        std::mem::forget(self);
        fd
    }
}

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

impl From<OwnedFd> for Socket {
    fn from(fd: OwnedFd) -> Socket {
        Socket { fd: fd.into_raw_fd() }
    }
}

impl From<Socket> for OwnedFd {
    fn from(s: Socket) -> OwnedFd {
        // SAFETY: the fd was owned by s, which gives it up.
        unsafe { OwnedFd::from_raw_fd(s.into_raw_fd()) }
    }
}

macro_rules! std_conversions {
    ($($t:ty),*) => {$(
        impl From<Socket> for $t {
            fn from(s: Socket) -> $t {
                <$t>::from(OwnedFd::from(s))
            }
        }

        impl From<$t> for Socket {
            fn from(s: $t) -> Socket {
                Socket::from(OwnedFd::from(s))
            }
        }
    )*};
}

std_conversions!(TcpStream, TcpListener, UdpSocket, UnixStream, UnixListener);

/// `read(2)`/`write(2)` on a borrowed fd, as std does for its sockets.
fn io_read(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: buf is writable for buf.len() bytes.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

fn io_write(fd: RawFd, buf: &[u8]) -> io::Result<usize> {
    // SAFETY: buf is readable for buf.len() bytes; MSG_NOSIGNAL avoids
    // SIGPIPE on a closed peer, like std's sockets.
    let n = unsafe { libc::send(fd, buf.as_ptr().cast(), buf.len(), libc::MSG_NOSIGNAL) };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

impl Read for Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        io_read(self.fd, buf)
    }
}

impl Read for &Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        io_read(self.fd, buf)
    }
}

impl Write for Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        io_write(self.fd, buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Write for &Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        io_write(self.fd, buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
