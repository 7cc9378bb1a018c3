//! Windows: winsock under libc's names. Sockets are `c_int`s, as in the C
//! library and OpenSSL (a `SOCKET` cast to int); errors are
//! `WSAGetLastError()`'s, which the crate reports as `raw_os_error`, as std
//! does on Windows.

use std::os::raw::c_int;
use std::os::windows::io::{
    AsRawSocket, AsSocket, BorrowedSocket, FromRawSocket, IntoRawSocket, OwnedSocket, RawSocket,
};

use windows_sys::Win32::Networking::WinSock as ws;

use crate::Socket;

/// libc's names for what the crate uses of winsock.
#[allow(non_camel_case_types, dead_code)]
pub(crate) mod c {
    use super::ws;
    pub use std::os::raw::{c_char, c_int, c_void};

    pub type socklen_t = c_int;
    pub type sa_family_t = u16;
    pub type time_t = i64;

    /// `struct sockaddr`.
    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct sockaddr {
        pub sa_family: sa_family_t,
        pub sa_data: [c_char; 14],
    }

    /// `struct in_addr`, its `S_un` union read as the one `u32`.
    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct in_addr {
        pub s_addr: u32,
    }

    /// `struct sockaddr_in`.
    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct sockaddr_in {
        pub sin_family: sa_family_t,
        pub sin_port: u16,
        pub sin_addr: in_addr,
        pub sin_zero: [c_char; 8],
    }

    /// `struct in6_addr`.
    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct in6_addr {
        pub s6_addr: [u8; 16],
    }

    /// `struct sockaddr_in6`.
    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct sockaddr_in6 {
        pub sin6_family: sa_family_t,
        pub sin6_port: u16,
        pub sin6_flowinfo: u32,
        pub sin6_addr: in6_addr,
        pub sin6_scope_id: u32,
    }

    /// `struct sockaddr_un` (afunix.h, Windows 10 1803 and later).
    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct sockaddr_un {
        pub sun_family: sa_family_t,
        pub sun_path: [c_char; 108],
    }

    /// `struct linger` (winsock's fields are u_short).
    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct linger {
        pub l_onoff: u16,
        pub l_linger: u16,
    }

    /// `struct hostent`, opaque here.
    #[derive(Debug)]
    pub enum hostent {}
    /// `FILE`, opaque here.
    #[derive(Debug)]
    #[allow(clippy::upper_case_acronyms)]
    pub enum FILE {}

    pub const AF_UNSPEC: c_int = ws::AF_UNSPEC as c_int;
    pub const AF_UNIX: c_int = ws::AF_UNIX as c_int;
    pub const AF_INET: c_int = ws::AF_INET as c_int;
    pub const AF_INET6: c_int = ws::AF_INET6 as c_int;
    pub const SOCK_STREAM: c_int = ws::SOCK_STREAM;
    pub const SOCK_DGRAM: c_int = ws::SOCK_DGRAM;
    pub const SOCK_SEQPACKET: c_int = ws::SOCK_SEQPACKET;
    pub const IPPROTO_IP: c_int = ws::IPPROTO_IP;
    pub const IPPROTO_TCP: c_int = ws::IPPROTO_TCP;
    pub const IPPROTO_UDP: c_int = ws::IPPROTO_UDP;
    pub const IPPROTO_IPV6: c_int = ws::IPPROTO_IPV6;
    pub const SOL_SOCKET: c_int = ws::SOL_SOCKET;
    pub const SO_REUSEADDR: c_int = ws::SO_REUSEADDR;
    pub const SO_KEEPALIVE: c_int = ws::SO_KEEPALIVE;
    pub const SO_LINGER: c_int = ws::SO_LINGER;
    pub const SO_SNDBUF: c_int = ws::SO_SNDBUF;
    pub const SO_RCVBUF: c_int = ws::SO_RCVBUF;
    pub const SO_SNDTIMEO: c_int = ws::SO_SNDTIMEO;
    pub const SO_RCVTIMEO: c_int = ws::SO_RCVTIMEO;
    pub const SO_ERROR: c_int = ws::SO_ERROR;
    pub const SO_TYPE: c_int = ws::SO_TYPE;
    pub const TCP_NODELAY: c_int = ws::TCP_NODELAY;
    pub const TCP_KEEPCNT: c_int = ws::TCP_KEEPCNT;
    pub const TCP_KEEPINTVL: c_int = ws::TCP_KEEPINTVL;
    pub const IP_TTL: c_int = ws::IP_TTL;
    pub const IPV6_V6ONLY: c_int = ws::IPV6_V6ONLY;
    pub const SO_BROADCAST: c_int = ws::SO_BROADCAST;
    pub const SO_OOBINLINE: c_int = ws::SO_OOBINLINE;
    pub const IP_TOS: c_int = ws::IP_TOS;
    pub const IP_MULTICAST_IF: c_int = ws::IP_MULTICAST_IF;
    pub const IP_MULTICAST_TTL: c_int = ws::IP_MULTICAST_TTL;
    pub const IP_MULTICAST_LOOP: c_int = ws::IP_MULTICAST_LOOP;
    pub const IPV6_MULTICAST_IF: c_int = ws::IPV6_MULTICAST_IF;
    pub const IPV6_MULTICAST_HOPS: c_int = ws::IPV6_MULTICAST_HOPS;
    pub const IPV6_MULTICAST_LOOP: c_int = ws::IPV6_MULTICAST_LOOP;
    pub const IPV6_UNICAST_HOPS: c_int = ws::IPV6_UNICAST_HOPS;
    pub const MSG_PEEK: c_int = ws::MSG_PEEK;
    pub const SHUT_RD: c_int = ws::SD_RECEIVE;
    pub const SHUT_WR: c_int = ws::SD_SEND;
    pub const SHUT_RDWR: c_int = ws::SD_BOTH;
    /// winsock2.h's SOMAXCONN, which the C library's BIO_listen uses.
    pub const SOMAXCONN: c_int = 0x7fff_ffff;

    pub const EINTR: c_int = ws::WSAEINTR;
    pub const EAGAIN: c_int = ws::WSAEWOULDBLOCK;
    pub const ETIMEDOUT: c_int = ws::WSAETIMEDOUT;
    pub const EINPROGRESS: c_int = ws::WSAEINPROGRESS;
    pub const EALREADY: c_int = ws::WSAEALREADY;
    pub const EAFNOSUPPORT: c_int = ws::WSAEAFNOSUPPORT;
    pub const EPROTONOSUPPORT: c_int = ws::WSAEPROTONOSUPPORT;
    pub const ESOCKTNOSUPPORT: c_int = ws::WSAESOCKTNOSUPPORT;
    pub const EPFNOSUPPORT: c_int = ws::WSAEPFNOSUPPORT;
    pub const ECONNRESET: c_int = ws::WSAECONNRESET;
    pub const ECONNREFUSED: c_int = ws::WSAECONNREFUSED;
    pub const ENOTCONN: c_int = ws::WSAENOTCONN;
    pub const EINVAL: c_int = ws::WSAEINVAL;
    pub const ENOPROTOOPT: c_int = ws::WSAENOPROTOOPT;

    fn s(fd: c_int) -> ws::SOCKET {
        fd as ws::SOCKET
    }

    /// # Safety
    /// As winsock's `setsockopt`.
    pub unsafe fn setsockopt(
        fd: c_int,
        level: c_int,
        name: c_int,
        value: *const c_void,
        len: socklen_t,
    ) -> c_int {
        // SAFETY: the caller's contract is winsock's.
        unsafe { ws::setsockopt(s(fd), level, name, value.cast(), len) }
    }

    /// # Safety
    /// As winsock's `getsockopt`.
    pub unsafe fn getsockopt(
        fd: c_int,
        level: c_int,
        name: c_int,
        value: *mut c_void,
        len: *mut socklen_t,
    ) -> c_int {
        // SAFETY: the caller's contract is winsock's.
        unsafe { ws::getsockopt(s(fd), level, name, value.cast(), len) }
    }

    fn len32(len: usize) -> c_int {
        c_int::try_from(len).unwrap_or(c_int::MAX)
    }

    /// # Safety
    /// As winsock's `send` (the length is capped at `i32::MAX`).
    pub unsafe fn send(fd: c_int, buf: *const c_void, len: usize, flags: c_int) -> isize {
        // SAFETY: the caller's contract is winsock's.
        unsafe { ws::send(s(fd), buf.cast(), len32(len), flags) as isize }
    }

    /// # Safety
    /// As winsock's `recv`.
    pub unsafe fn recv(fd: c_int, buf: *mut c_void, len: usize, flags: c_int) -> isize {
        // SAFETY: the caller's contract is winsock's.
        unsafe { ws::recv(s(fd), buf.cast(), len32(len), flags) as isize }
    }

    /// # Safety
    /// As winsock's `sendto`.
    pub unsafe fn sendto(
        fd: c_int,
        buf: *const c_void,
        len: usize,
        flags: c_int,
        to: *const sockaddr,
        tolen: socklen_t,
    ) -> isize {
        // SAFETY: the caller's contract is winsock's.
        unsafe { ws::sendto(s(fd), buf.cast(), len32(len), flags, to.cast(), tolen) as isize }
    }

    /// # Safety
    /// As winsock's `recvfrom`.
    pub unsafe fn recvfrom(
        fd: c_int,
        buf: *mut c_void,
        len: usize,
        flags: c_int,
        from: *mut sockaddr,
        fromlen: *mut socklen_t,
    ) -> isize {
        // SAFETY: the caller's contract is winsock's.
        unsafe { ws::recvfrom(s(fd), buf.cast(), len32(len), flags, from.cast(), fromlen) as isize }
    }

    /// # Safety
    /// As winsock's `getpeername`.
    pub unsafe fn getpeername(fd: c_int, name: *mut sockaddr, len: *mut socklen_t) -> c_int {
        // SAFETY: the caller's contract is winsock's.
        unsafe { ws::getpeername(s(fd), name.cast(), len) }
    }

    /// # Safety
    /// As winsock's `shutdown`.
    pub unsafe fn shutdown(fd: c_int, how: c_int) -> c_int {
        // SAFETY: the caller's contract is winsock's.
        unsafe { ws::shutdown(s(fd), how) }
    }
}

/// This thread's last socket error.
pub(crate) fn errno() -> c::c_int {
    // SAFETY: no preconditions.
    unsafe { ws::WSAGetLastError() }
}

/// Set this thread's last socket error.
pub(crate) fn set_errno(value: c::c_int) {
    // SAFETY: no preconditions.
    unsafe { ws::WSASetLastError(value) }
}

/// The errors of a non-blocking connect still under way: winsock's connect
/// says WSAEWOULDBLOCK.
pub(crate) fn is_in_progress(err: c::c_int) -> bool {
    matches!(err, ws::WSAEWOULDBLOCK | ws::WSAEINPROGRESS | ws::WSAEALREADY)
}

/// Sends never raise SIGPIPE: Windows has none.
pub(crate) const NOSIGNAL: c::c_int = 0;

/// The keepalive idle time: winsock's TCP_KEEPALIVE (Windows 10 1709 and
/// later).
pub(crate) const KEEPALIVE_TIME: c::c_int = ws::TCP_KEEPALIVE;

/// The name of the call behind [`duplicate`], for its errors.
pub(crate) const DUPLICATE: &str = "WSADuplicateSocketW";

/// A new socket for the same one (`WSADuplicateSocketW` + `WSASocketW`),
/// not inheritable; -1 with the error set.
pub(crate) fn duplicate(fd: c::c_int) -> c::c_int {
    // SAFETY: info is plain data that WSADuplicateSocketW fills; the new
    // socket is created from it.
    unsafe {
        let mut info: ws::WSAPROTOCOL_INFOW = std::mem::zeroed();
        let pid = windows_sys::Win32::System::Threading::GetCurrentProcessId();
        if ws::WSADuplicateSocketW(fd as ws::SOCKET, pid, &mut info) != 0 {
            return -1;
        }
        let s = ws::WSASocketW(
            ws::FROM_PROTOCOL_INFO,
            ws::FROM_PROTOCOL_INFO,
            ws::FROM_PROTOCOL_INFO,
            &info,
            0,
            ws::WSA_FLAG_OVERLAPPED | ws::WSA_FLAG_NO_HANDLE_INHERIT,
        );
        if s == ws::INVALID_SOCKET {
            -1
        } else {
            s as c::c_int
        }
    }
}

/// The owned handle type of the platform.
pub(crate) type Owned = OwnedSocket;

// Windows: a SOCKET held as the C library's int (as OpenSSL does); SOCKET
// values are handles, which fit.
impl AsRawSocket for Socket {
    fn as_raw_socket(&self) -> RawSocket {
        self.fd as RawSocket
    }
}

impl AsSocket for Socket {
    fn as_socket(&self) -> BorrowedSocket<'_> {
        // SAFETY: the socket is open for as long as self lives.
        unsafe { BorrowedSocket::borrow_raw(self.as_raw_socket()) }
    }
}

impl IntoRawSocket for Socket {
    /// Give up the socket without closing it.
    fn into_raw_socket(self) -> RawSocket {
        let s = self.as_raw_socket();
        std::mem::forget(self);
        s
    }
}

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

impl From<OwnedSocket> for Socket {
    fn from(s: OwnedSocket) -> Socket {
        // SAFETY: the socket was owned by s, which gives it up.
        unsafe { Socket::from_raw_socket(s.into_raw_socket()) }
    }
}

impl From<Socket> for OwnedSocket {
    fn from(s: Socket) -> OwnedSocket {
        // SAFETY: the socket was owned by s, which gives it up.
        unsafe { OwnedSocket::from_raw_socket(s.into_raw_socket()) }
    }
}

/// `struct linger` for `SO_LINGER`: on for `Some(secs)` (winsock's fields
/// are u_short: up to 65535 s).
pub(crate) fn linger(secs: Option<c_int>) -> c::linger {
    c::linger {
        l_onoff: secs.is_some().into(),
        l_linger: secs.map_or(0, |s| u16::try_from(s).unwrap_or(u16::MAX)),
    }
}

/// The whole seconds of a `struct linger` that is on.
pub(crate) fn linger_secs(l: c::linger) -> Option<u64> {
    (l.l_onoff != 0).then(|| u64::from(l.l_linger))
}

/// Winsock's timeouts are a DWORD of milliseconds; 0 is none.
pub(crate) const NO_TIMEOUT: u32 = 0;

/// A non-zero timeout in milliseconds, rounded up (so that below 1 ms is
/// not "none"), saturating.
pub(crate) fn timeout(t: std::time::Duration) -> u32 {
    u32::try_from(t.as_nanos().div_ceil(1_000_000)).unwrap_or(u32::MAX)
}

/// A timeout read back; `None` for no timeout.
pub(crate) fn timeout_of(ms: u32) -> Option<std::time::Duration> {
    (ms != 0).then(|| std::time::Duration::from_millis(ms.into()))
}
