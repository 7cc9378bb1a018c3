//! What socket2 offers beside the `BIO_*` calls, on Unix: socket pairs,
//! the socket's type and protocol, listening on an address bound earlier,
//! vectored I/O, file descriptors passed over Unix sockets (`SCM_RIGHTS`),
//! and [`SockRef`], a view of an fd the caller keeps. Each method wraps one
//! syscall, named in its first doc line.

use std::io::{IoSlice, IoSliceMut};
use std::marker::PhantomData;
use std::mem::{size_of, ManuallyDrop};
use std::ops::Deref;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::os::raw::c_int;
use std::ptr;

use super::Socket;
use crate::addr::BioAddr;
use crate::error::{sys_call, syscall, Error, Result};
use crate::sys::{c, NOSIGNAL};
use crate::types::{Domain, Protocol, Type};

/// Close-on-exec for the fds `recvmsg` receives (`MSG_CMSG_CLOEXEC`, where
/// the system has it).
#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
const CMSG_CLOEXEC: c_int = c::MSG_CMSG_CLOEXEC;
#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
const CMSG_CLOEXEC: c_int = 0;

/// At most this many fds in one [`Socket::send_with_fds`] or
/// [`Socket::recv_with_fds`]: Linux's `SCM_MAX_FD` is 253.
pub const MAX_FDS: usize = 253;

impl Socket {
    /// A connected pair of sockets (`socketpair(2)`), close-on-exec, as
    /// socket2's `Socket::pair`: `Domain::UNIX` with `Type::STREAM`,
    /// `DGRAM` or `SEQPACKET`.
    ///
    /// # Errors
    /// `EAFNOSUPPORT` or `EOPNOTSUPP` for a domain that has no pairs;
    /// `EMFILE`.
    ///
    /// ```
    /// use biosock::{Domain, Socket, Type};
    /// let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, None)?;
    /// a.send(b"hi")?;
    /// let mut buf = [0; 2];
    /// assert_eq!(b.recv(&mut buf)?, 2);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn pair(domain: Domain, ty: Type, protocol: Option<Protocol>) -> Result<(Socket, Socket)> {
        let mut fds = [-1 as c_int; 2];
        let protocol = protocol.unwrap_or(Protocol::DEFAULT).as_raw();
        sys_call!(socketpair(
            domain.as_raw(),
            crate::sys::with_cloexec(ty.as_raw()),
            protocol,
            fds.as_mut_ptr()
        ))?;
        let (a, b) = (Socket { fd: fds[0] }, Socket { fd: fds[1] });
        crate::sys::set_cloexec(a.fd)?;
        crate::sys::set_cloexec(b.fd)?;
        Ok((a, b))
    }

    /// The socket's type (`getsockopt(SO_TYPE)`).
    ///
    /// # Errors
    /// `ENOTSOCK`, `EBADF`.
    ///
    /// ```
    /// use biosock::{Domain, Socket, Type};
    /// let s = Socket::new(Domain::IPV4, Type::DGRAM, None)?;
    /// assert_eq!(s.r#type()?, Type::DGRAM);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn r#type(&self) -> Result<Type> {
        Ok(Type::from_raw(self.int_option(
            c::SOL_SOCKET,
            c::SO_TYPE,
            "getsockopt(SO_TYPE)",
        )?))
    }

    /// The socket's protocol (`getsockopt(SO_PROTOCOL)`, Linux and
    /// Android): `Protocol::TCP` for a TCP socket, 0 for a Unix one.
    ///
    /// # Errors
    /// `ENOTSOCK`, `EBADF`.
    ///
    /// ```
    /// use biosock::{Domain, Protocol, Socket, Type};
    /// let s = Socket::new(Domain::IPV6, Type::STREAM, None)?;
    /// assert_eq!(s.protocol()?, Protocol::TCP);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub fn protocol(&self) -> Result<Protocol> {
        Ok(Protocol::from_raw(self.int_option(
            c::SOL_SOCKET,
            c::SO_PROTOCOL,
            "getsockopt(SO_PROTOCOL)",
        )?))
    }

    /// Whether the socket is listening (`getsockopt(SO_ACCEPTCONN)`).
    ///
    /// # Errors
    /// `ENOTSOCK`, `EBADF`.
    ///
    /// ```
    /// use biosock::{SockOpts, Socket};
    /// let l = Socket::listen_on("127.0.0.1:0", SockOpts::empty())?;
    /// assert!(l.is_listener()?);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn is_listener(&self) -> Result<bool> {
        Ok(self.int_option(c::SOL_SOCKET, c::SO_ACCEPTCONN, "getsockopt(SO_ACCEPTCONN)")? != 0)
    }

    /// Listen on the address the socket was bound to earlier (`listen(2)`
    /// alone: socket2's `listen`, where [`Socket::listen`] is
    /// `BIO_listen`, which binds too). An unbound socket listens on an
    /// ephemeral port.
    ///
    /// # Errors
    /// `EADDRINUSE`, `EOPNOTSUPP` for a datagram socket, …
    ///
    /// ```
    /// use biosock::{Domain, SockOpts, Socket, Type};
    /// let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    /// s.set_reuse_port(true)?;
    /// s.bind(&"127.0.0.1:0".parse()?, SockOpts::empty())?;
    /// s.listen_bound(128)?;
    /// assert!(s.is_listener()?);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn listen_bound(&self, backlog: i32) -> Result<()> {
        // SAFETY: plain integer arguments.
        sys_call!(listen(self.fd, backlog)).map(drop)
    }

    /// Send from several buffers at once (`sendmsg(2)` with `MSG_NOSIGNAL`).
    ///
    /// # Errors
    /// As [`Socket::send`].
    ///
    /// ```
    /// use biosock::{Domain, Socket, Type};
    /// use std::io::IoSlice;
    /// let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, None)?;
    /// assert_eq!(a.send_vectored(&[IoSlice::new(b"ab"), IoSlice::new(b"cd")])?, 4);
    /// let mut buf = [0; 4];
    /// assert_eq!(b.recv(&mut buf)?, 4);
    /// assert_eq!(&buf, b"abcd");
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn send_vectored(&self, bufs: &[IoSlice<'_>]) -> Result<usize> {
        self.sendmsg(None, bufs, &[], "sendmsg")
    }

    /// Send from several buffers to `addr` (`sendmsg(2)` with a name).
    ///
    /// # Errors
    /// As [`Socket::send_to`].
    ///
    /// ```
    /// use biosock::{Domain, SockOpts, Socket, Type};
    /// use std::io::{IoSlice, IoSliceMut};
    /// let (a, b) = (Socket::new(Domain::IPV4, Type::DGRAM, None)?, Socket::new(Domain::IPV4, Type::DGRAM, None)?);
    /// a.bind(&"127.0.0.1:0".parse()?, SockOpts::empty())?;
    /// b.bind(&"127.0.0.1:0".parse()?, SockOpts::empty())?;
    /// b.send_to_vectored(&[IoSlice::new(b"he"), IoSlice::new(b"llo")], &a.local_addr()?)?;
    /// let (mut head, mut tail) = ([0; 2], [0; 8]);
    /// let (n, from) = a.recv_from_vectored(&mut [IoSliceMut::new(&mut head), IoSliceMut::new(&mut tail)])?;
    /// assert_eq!((n, &head, &tail[..3], from), (5, b"he", &b"llo"[..], b.local_addr()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn send_to_vectored(&self, bufs: &[IoSlice<'_>], addr: &BioAddr) -> Result<usize> {
        self.sendmsg(Some(addr), bufs, &[], "sendmsg")
    }

    /// Receive into several buffers (`recvmsg(2)`); 0 at end of stream.
    ///
    /// # Errors
    /// As [`Socket::recv`].
    ///
    /// ```
    /// use biosock::{Domain, Socket, Type};
    /// use std::io::IoSliceMut;
    /// let (a, b) = Socket::pair(Domain::UNIX, Type::DGRAM, None)?;
    /// a.send(b"head+body")?;
    /// let (mut head, mut body) = ([0; 5], [0; 4]);
    /// let n = b.recv_vectored(&mut [IoSliceMut::new(&mut head), IoSliceMut::new(&mut body)])?;
    /// assert_eq!((n, &head, &body), (9, b"head+", b"body"));
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn recv_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> Result<usize> {
        Ok(self.recvmsg(bufs, None, None)?.0)
    }

    /// Receive into several buffers and learn the sender (`recvmsg(2)`).
    ///
    /// # Errors
    /// As [`Socket::recv`].
    pub fn recv_from_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> Result<(usize, BioAddr)> {
        let mut from = BioAddr::unspecified();
        let (n, _) = self.recvmsg(bufs, Some(&mut from), None)?;
        Ok((n, from))
    }

    /// Send `data` with open file descriptors over a Unix socket
    /// (`sendmsg(2)` with `SCM_RIGHTS`): the peer receives new fds for the
    /// same open files. At most [`MAX_FDS`].
    ///
    /// # Errors
    /// `InvalidInput` for no data (some data must carry the fds) or more
    /// than [`MAX_FDS`]; as [`Socket::send`] otherwise (`EINVAL` on a socket
    /// that is not Unix).
    ///
    /// ```
    /// use biosock::{Domain, Socket, Type};
    /// use std::os::fd::AsFd;
    /// let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, None)?;
    /// let file = std::fs::File::open("/dev/null").unwrap();
    /// a.send_with_fds(b"f", &[file.as_fd()])?;
    /// let (mut buf, mut fds) = ([0; 1], Vec::new());
    /// assert_eq!(b.recv_with_fds(&mut buf, &mut fds)?, 1);
    /// assert_eq!(fds.len(), 1);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn send_with_fds(&self, data: &[u8], fds: &[BorrowedFd<'_>]) -> Result<usize> {
        if data.is_empty() || fds.len() > MAX_FDS {
            return Err(Error::invalid_input(
                "sendmsg",
                format!("SCM_RIGHTS takes 1 or more bytes and at most {MAX_FDS} fds"),
            ));
        }
        let raw: Vec<c_int> = fds.iter().map(AsRawFd::as_raw_fd).collect();
        self.sendmsg(None, &[IoSlice::new(data)], &raw, "sendmsg")
    }

    /// Receive data and the file descriptors sent with it
    /// (`recvmsg(2)` with `SCM_RIGHTS`), appended to `fds` as owned,
    /// close-on-exec fds (`MSG_CMSG_CLOEXEC`). Room for [`MAX_FDS`];
    /// fds beyond that are closed by the kernel (`MSG_CTRUNC`).
    ///
    /// # Errors
    /// As [`Socket::recv`].
    ///
    /// ```
    /// use biosock::{Domain, Socket, Type};
    /// use std::os::fd::AsFd;
    /// let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, None)?;
    /// let file = std::fs::File::open("/dev/null")?;
    /// a.send_with_fds(b"f", &[file.as_fd()])?;
    /// let mut fds = Vec::new();
    /// assert_eq!(b.recv_with_fds(&mut [0; 1], &mut fds)?, 1);
    /// assert_eq!(fds.len(), 1); // a new fd for the same file, close-on-exec
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn recv_with_fds(&self, buf: &mut [u8], fds: &mut Vec<OwnedFd>) -> Result<usize> {
        let (n, _) = self.recvmsg(&mut [IoSliceMut::new(buf)], None, Some(fds))?;
        Ok(n)
    }

    /// Join the IPv4 multicast group `group` on the interface whose address
    /// is `interface` (`setsockopt(IP_ADD_MEMBERSHIP)`; `0.0.0.0`: the
    /// system's choice).
    ///
    /// # Errors
    /// `EINVAL` for an address that is not multicast, `EADDRINUSE` when
    /// already a member, `ENODEV` for no such interface.
    ///
    /// ```
    /// use biosock::{Domain, Socket, Type};
    /// use std::net::Ipv4Addr;
    /// let s = Socket::new(Domain::IPV4, Type::DGRAM, None)?;
    /// s.join_multicast_v4(Ipv4Addr::new(239, 1, 2, 3), Ipv4Addr::LOCALHOST)?;
    /// s.leave_multicast_v4(Ipv4Addr::new(239, 1, 2, 3), Ipv4Addr::LOCALHOST)?;
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn join_multicast_v4(&self, group: std::net::Ipv4Addr, interface: std::net::Ipv4Addr) -> Result<()> {
        self.membership_v4(
            c::IP_ADD_MEMBERSHIP,
            group,
            interface,
            "setsockopt(IP_ADD_MEMBERSHIP)",
        )
    }

    /// Leave an IPv4 multicast group (`setsockopt(IP_DROP_MEMBERSHIP)`).
    ///
    /// # Errors
    /// `EADDRNOTAVAIL` when not a member.
    pub fn leave_multicast_v4(&self, group: std::net::Ipv4Addr, interface: std::net::Ipv4Addr) -> Result<()> {
        self.membership_v4(
            c::IP_DROP_MEMBERSHIP,
            group,
            interface,
            "setsockopt(IP_DROP_MEMBERSHIP)",
        )
    }

    /// Join the IPv6 multicast group `group` on the interface of index
    /// `interface` (`setsockopt(IPV6_JOIN_GROUP)`; 0: the system's choice).
    ///
    /// # Errors
    /// As [`Socket::join_multicast_v4`].
    ///
    /// ```
    /// use biosock::{Domain, Socket, Type};
    /// let s = Socket::new(Domain::IPV6, Type::DGRAM, None)?;
    /// let group: std::net::Ipv6Addr = "ff02::1:3".parse()?;
    /// // SAFETY: a NUL-terminated interface name.
    /// let lo = unsafe { libc::if_nametoindex(c"lo".as_ptr()) };
    /// # if lo == 0 { return Ok(()); } // no interface of that name here
    /// s.join_multicast_v6(group, lo)?;
    /// s.leave_multicast_v6(group, lo)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn join_multicast_v6(&self, group: std::net::Ipv6Addr, interface: u32) -> Result<()> {
        self.membership_v6(
            crate::sys::IPV6_JOIN,
            group,
            interface,
            "setsockopt(IPV6_ADD_MEMBERSHIP)",
        )
    }

    /// Leave an IPv6 multicast group (`setsockopt(IPV6_LEAVE_GROUP)`).
    ///
    /// # Errors
    /// `EADDRNOTAVAIL` when not a member.
    pub fn leave_multicast_v6(&self, group: std::net::Ipv6Addr, interface: u32) -> Result<()> {
        self.membership_v6(
            crate::sys::IPV6_LEAVE,
            group,
            interface,
            "setsockopt(IPV6_DROP_MEMBERSHIP)",
        )
    }

    fn membership_v4(
        &self,
        name: c_int,
        group: std::net::Ipv4Addr,
        interface: std::net::Ipv4Addr,
        function: &'static str,
    ) -> Result<()> {
        let mreq = c::ip_mreq {
            imr_multiaddr: c::in_addr {
                s_addr: u32::from_ne_bytes(group.octets()),
            },
            imr_interface: c::in_addr {
                s_addr: u32::from_ne_bytes(interface.octets()),
            },
        };
        self.set_struct(c::IPPROTO_IP, name, &mreq, function)
    }

    fn membership_v6(
        &self,
        name: c_int,
        group: std::net::Ipv6Addr,
        interface: u32,
        function: &'static str,
    ) -> Result<()> {
        let mreq = c::ipv6_mreq {
            ipv6mr_multiaddr: c::in6_addr {
                s6_addr: group.octets(),
            },
            ipv6mr_interface: interface as _,
        };
        self.set_struct(c::IPPROTO_IPV6, name, &mreq, function)
    }

    /// `setsockopt` of a plain-data struct.
    fn set_struct<T>(&self, level: c_int, name: c_int, value: &T, function: &'static str) -> Result<()> {
        // SAFETY: value is a live T, readable for its size.
        syscall(function, unsafe {
            c::setsockopt(
                self.fd,
                level,
                name,
                (value as *const T).cast(),
                size_of::<T>() as c::socklen_t,
            )
        })
        .map(drop)
    }

    /// An int socket option (`getsockopt`).
    fn int_option(&self, level: c_int, name: c_int, function: &'static str) -> Result<c_int> {
        let mut v: c_int = 0;
        let mut len = size_of::<c_int>() as c::socklen_t;
        // SAFETY: v is writable for len bytes.
        syscall(function, unsafe {
            c::getsockopt(self.fd, level, name, (&mut v as *mut c_int).cast(), &mut len)
        })?;
        Ok(v)
    }

    /// `sendmsg(2)`: to `to` or the connected peer, `fds` as `SCM_RIGHTS`.
    fn sendmsg(
        &self,
        to: Option<&BioAddr>,
        bufs: &[IoSlice<'_>],
        fds: &[c_int],
        function: &'static str,
    ) -> Result<usize> {
        let space = cmsg_space(fds.len());
        let mut control = vec![0u64; space.div_ceil(8)];
        // SAFETY: msghdr is plain data; every pointer set below outlives
        // the call.
        let mut msg: c::msghdr = unsafe { std::mem::zeroed() };
        if let Some(addr) = to {
            let (sa, len) = addr.as_sockaddr();
            msg.msg_name = sa as *mut c::c_void;
            msg.msg_namelen = len;
        }
        // IoSlice is ABI-compatible with struct iovec on Unix.
        msg.msg_iov = bufs.as_ptr() as *mut c::iovec;
        msg.msg_iovlen = bufs.len() as _;
        if !fds.is_empty() {
            msg.msg_control = control.as_mut_ptr().cast();
            msg.msg_controllen = space as _;
            // SAFETY: the control buffer has room for one header and
            // fds.len() ints (cmsg_space), and is 8-aligned.
            unsafe {
                let cmsg = c::CMSG_FIRSTHDR(&msg);
                (*cmsg).cmsg_level = c::SOL_SOCKET;
                (*cmsg).cmsg_type = c::SCM_RIGHTS;
                (*cmsg).cmsg_len = c::CMSG_LEN(std::mem::size_of_val(fds) as u32) as _;
                ptr::copy_nonoverlapping(fds.as_ptr(), c::CMSG_DATA(cmsg).cast::<c_int>(), fds.len());
            }
        }
        // SAFETY: msg describes valid buffers for the call.
        let n = syscall(function, unsafe { c::sendmsg(self.fd, &msg, NOSIGNAL) })?;
        Ok(n as usize)
    }

    /// `recvmsg(2)`: the sender into `from`, `SCM_RIGHTS` fds into `fds`.
    fn recvmsg(
        &self,
        bufs: &mut [IoSliceMut<'_>],
        from: Option<&mut BioAddr>,
        fds: Option<&mut Vec<OwnedFd>>,
    ) -> Result<(usize, c_int)> {
        let space = if fds.is_some() { cmsg_space(MAX_FDS) } else { 0 };
        let mut control = vec![0u64; space.div_ceil(8)];
        // SAFETY: msghdr is plain data; every pointer set below outlives
        // the call.
        let mut msg: c::msghdr = unsafe { std::mem::zeroed() };
        let mut name = BioAddr::unspecified();
        if from.is_some() {
            msg.msg_name = name.as_mut_ptr().cast();
            msg.msg_namelen = name.capacity();
        }
        // IoSliceMut is ABI-compatible with struct iovec on Unix.
        msg.msg_iov = bufs.as_mut_ptr().cast::<c::iovec>();
        msg.msg_iovlen = bufs.len() as _;
        if space > 0 {
            msg.msg_control = control.as_mut_ptr().cast();
            msg.msg_controllen = space as _;
        }
        let flags = if fds.is_some() { CMSG_CLOEXEC } else { 0 };
        // SAFETY: msg describes valid, writable buffers for the call.
        let n = syscall("recvmsg", unsafe { c::recvmsg(self.fd, &mut msg, flags) })?;
        if let Some(out) = fds {
            // SAFETY: the kernel wrote msg_controllen bytes of control
            // messages into control; each SCM_RIGHTS one holds fds it
            // opened for this process, which nothing else owns.
            unsafe {
                let mut cmsg = c::CMSG_FIRSTHDR(&msg);
                while !cmsg.is_null() {
                    if (*cmsg).cmsg_level == c::SOL_SOCKET && (*cmsg).cmsg_type == c::SCM_RIGHTS {
                        let bytes = (*cmsg).cmsg_len as usize - c::CMSG_LEN(0) as usize;
                        let data = c::CMSG_DATA(cmsg).cast::<c_int>();
                        for i in 0..bytes / size_of::<c_int>() {
                            let fd = ptr::read_unaligned(data.add(i));
                            if CMSG_CLOEXEC == 0 {
                                let _ = crate::sys::set_cloexec(fd);
                            }
                            out.push(OwnedFd::from_raw_fd(fd));
                        }
                    }
                    cmsg = c::CMSG_NXTHDR(&msg, cmsg);
                }
            }
        }
        if let Some(from) = from {
            if msg.msg_namelen == 0 && self.domain().is_ok_and(|d| d == Domain::UNIX) {
                name.set_unnamed_unix();
            } else {
                name.set_kernel_len(msg.msg_namelen);
            }
            *from = name;
        }
        Ok((n as usize, msg.msg_flags))
    }
}

/// The control buffer for `n` fds.
fn cmsg_space(n: usize) -> usize {
    // SAFETY: a pure computation.
    unsafe { c::CMSG_SPACE((n * size_of::<c_int>()) as u32) as usize }
}

/// Source-specific multicast, where the platform has it.
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd"
))]
impl Socket {
    /// Join the source-specific IPv4 multicast group `group` (RFC 4607,
    /// usually 232.0.0.0/8): receive only what `source` sends to it, on the
    /// interface whose address is `interface`
    /// (`setsockopt(IP_ADD_SOURCE_MEMBERSHIP)`; Linux, Android, macOS, iOS
    /// and FreeBSD, where the platform has it).
    ///
    /// # Errors
    /// As [`Socket::join_multicast_v4`].
    ///
    /// ```
    /// use biosock::{Domain, Socket, Type};
    /// use std::net::Ipv4Addr;
    /// let s = Socket::new(Domain::IPV4, Type::DGRAM, None)?;
    /// let (group, source) = (Ipv4Addr::new(232, 1, 2, 3), Ipv4Addr::LOCALHOST);
    /// s.join_ssm_v4(source, group, Ipv4Addr::LOCALHOST)?;
    /// s.leave_ssm_v4(source, group, Ipv4Addr::LOCALHOST)?;
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn join_ssm_v4(
        &self,
        source: std::net::Ipv4Addr,
        group: std::net::Ipv4Addr,
        interface: std::net::Ipv4Addr,
    ) -> Result<()> {
        self.source_membership_v4(
            c::IP_ADD_SOURCE_MEMBERSHIP,
            [source, group, interface],
            "setsockopt(IP_ADD_SOURCE_MEMBERSHIP)",
        )
    }

    /// Leave a source-specific IPv4 multicast group
    /// (`setsockopt(IP_DROP_SOURCE_MEMBERSHIP)`).
    ///
    /// # Errors
    /// `EADDRNOTAVAIL` when not a member for that source; on Linux `EINVAL`
    /// when not a member of the group at all (after the last source left).
    pub fn leave_ssm_v4(
        &self,
        source: std::net::Ipv4Addr,
        group: std::net::Ipv4Addr,
        interface: std::net::Ipv4Addr,
    ) -> Result<()> {
        self.source_membership_v4(
            c::IP_DROP_SOURCE_MEMBERSHIP,
            [source, group, interface],
            "setsockopt(IP_DROP_SOURCE_MEMBERSHIP)",
        )
    }

    fn source_membership_v4(
        &self,
        name: c_int,
        [source, group, interface]: [std::net::Ipv4Addr; 3],
        function: &'static str,
    ) -> Result<()> {
        let in_addr = |a: std::net::Ipv4Addr| c::in_addr {
            s_addr: u32::from_ne_bytes(a.octets()),
        };
        // Named fields: their order differs between Linux and the BSDs.
        let mreq = c::ip_mreq_source {
            imr_multiaddr: in_addr(group),
            imr_interface: in_addr(interface),
            imr_sourceaddr: in_addr(source),
        };
        self.set_struct(c::IPPROTO_IP, name, &mreq, function)
    }
}

/// A [`Socket`] view of an fd that the caller keeps owning, as socket2's
/// `SockRef`: every `Socket` method that takes `&self`, and nothing closes
/// the fd when the view goes.
///
/// ```
/// use biosock::SockRef;
/// let std_socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
/// let view = SockRef::from(&std_socket);
/// view.set_broadcast(true)?;
/// assert!(std_socket.broadcast().unwrap());
/// # Ok::<(), biosock::Error>(())
/// ```
#[derive(Debug)]
pub struct SockRef<'a> {
    socket: ManuallyDrop<Socket>,
    fd: PhantomData<BorrowedFd<'a>>,
}

impl Deref for SockRef<'_> {
    type Target = Socket;

    fn deref(&self) -> &Socket {
        &self.socket
    }
}

impl<'a, T: AsFd> From<&'a T> for SockRef<'a> {
    /// A view of `owner`'s fd for as long as `owner` is borrowed.
    fn from(owner: &'a T) -> SockRef<'a> {
        SockRef {
            socket: ManuallyDrop::new(Socket {
                fd: owner.as_fd().as_raw_fd(),
            }),
            fd: PhantomData,
        }
    }
}
