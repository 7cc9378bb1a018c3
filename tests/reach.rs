//! What socket2 offers beside the `BIO_*` calls (src/socket/unix.rs): socket
//! pairs, type/protocol/is_listener read back against getsockopt,
//! listening on an address bound earlier, vectored I/O on IPv4, IPv6 and
//! Unix sockets, SCM_RIGHTS fd passing, multicast on loopback, and
//! `SockRef`.
// Unix: the syscalls are Unix ones. tests/portable.rs is the suite every platform runs.
#![cfg(unix)]

mod common;

use std::io::{IoSlice, IoSliceMut, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsFd, AsRawFd};

use biosock::{BioAddr, Domain, SockOpts, SockRef, Socket, Type};
use common::*;

#[test]
fn pairs_of_each_type_talk_and_are_cloexec() {
    let _guard = fd_lock();
    for ty in [Type::STREAM, Type::DGRAM, Type::SEQPACKET] {
        let (a, b) = Socket::pair(Domain::UNIX, ty, None).unwrap();
        assert!(is_cloexec(a.as_raw_fd()) && is_cloexec(b.as_raw_fd()), "{ty:?}");
        assert_eq!(a.r#type().unwrap(), ty);
        a.send(b"ping").unwrap();
        let mut buf = [0u8; 8];
        assert_eq!(b.recv(&mut buf).unwrap(), 4, "{ty:?}");
        assert_eq!(&buf[..4], b"ping");
    }
    let e = Socket::pair(Domain::IPV4, Type::STREAM, None).unwrap_err();
    assert!(e.raw_os_error().is_some(), "{e}");
}

#[test]
fn type_protocol_and_listening_read_back() {
    let _guard = fd_lock();
    for family in FAMILIES {
        for ty in [Type::STREAM, Type::DGRAM] {
            let s = Socket::new(family, ty, None).unwrap();
            assert_eq!(
                s.r#type().unwrap().as_raw(),
                getint(s.as_raw_fd(), libc::SOL_SOCKET, libc::SO_TYPE)
            );
            assert_eq!(s.r#type().unwrap(), ty);
            #[cfg(target_os = "linux")]
            {
                use biosock::Protocol;
                let want = match (family, ty) {
                    (Domain::UNIX, _) => Protocol::DEFAULT,
                    (_, Type::STREAM) => Protocol::TCP,
                    _ => Protocol::UDP,
                };
                assert_eq!(s.protocol().unwrap(), want, "{family:?} {ty:?}");
            }
            assert!(!s.is_listener().unwrap());
        }
        let (l, _) = listener(family, SockOpts::empty());
        assert!(l.is_listener().unwrap());
        assert_eq!(getint(l.as_raw_fd(), libc::SOL_SOCKET, libc::SO_ACCEPTCONN), 1);
    }
}

/// socket2's habit, bind then listen, under its own name: `BIO_listen`
/// binds itself, so `listen` after `bind` stays EINVAL as in OpenSSL.
#[test]
fn listen_bound_listens_where_bind_put_it() {
    let _guard = fd_lock();
    for family in FAMILIES {
        let s = Socket::new(family, Type::STREAM, None).unwrap();
        s.bind(&loopback(family), SockOpts::empty()).unwrap();
        let at = s.local_addr().unwrap();
        let e = s.listen(&at, SockOpts::empty()).unwrap_err();
        // (A Unix path, bound already, is in use.)
        let want = if family == Domain::UNIX {
            libc::EADDRINUSE
        } else {
            libc::EINVAL
        };
        assert_eq!(e.raw_os_error(), Some(want), "{family:?}: {e}");
        s.listen_bound(16).unwrap();
        assert!(s.is_listener().unwrap());
        let mut c = Socket::connect_to(&at, SockOpts::empty()).unwrap();
        let (mut a, _) = s.accept(SockOpts::empty()).unwrap();
        c.write_all(b"x").unwrap();
        let mut b = [0u8; 1];
        a.read_exact(&mut b).unwrap();
    }
}

#[test]
fn vectored_io_on_every_family() {
    let _guard = fd_lock();
    for family in FAMILIES {
        let bind = |s: &Socket| s.bind(&loopback(family), SockOpts::empty()).unwrap();
        let a = Socket::new(family, Type::DGRAM, None).unwrap();
        let b = Socket::new(family, Type::DGRAM, None).unwrap();
        bind(&a);
        bind(&b);
        let (at, bt) = (a.local_addr().unwrap(), b.local_addr().unwrap());
        let n = b
            .send_to_vectored(&[IoSlice::new(b"head:"), IoSlice::new(b"body")], &at)
            .unwrap();
        assert_eq!(n, 9, "{family:?}");
        let (mut head, mut body) = ([0u8; 5], [0u8; 8]);
        let (n, from) = a
            .recv_from_vectored(&mut [IoSliceMut::new(&mut head), IoSliceMut::new(&mut body)])
            .unwrap();
        assert_eq!(
            (n, &head, &body[..4], &from),
            (9, b"head:", &b"body"[..], &bt),
            "{family:?}"
        );
        b.connect(&at, SockOpts::empty()).unwrap();
        assert_eq!(
            b.send_vectored(&[IoSlice::new(b"ab"), IoSlice::new(b"c")])
                .unwrap(),
            3
        );
        let mut one = [0u8; 3];
        assert_eq!(a.recv_vectored(&mut [IoSliceMut::new(&mut one)]).unwrap(), 3);
        assert_eq!(&one, b"abc");
    }
}

/// SCM_RIGHTS: a pipe's write end passed over a Unix socket arrives as a
/// new, close-on-exec fd for the same pipe; nothing leaks.
#[test]
fn file_descriptors_pass_over_unix_sockets() {
    let _guard = fd_lock();
    let before = open_fds();
    {
        let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, None).unwrap();
        let mut ends = [-1; 2];
        // SAFETY: ends is writable for two fds.
        assert_eq!(unsafe { libc::pipe(ends.as_mut_ptr()) }, 0);
        // SAFETY: pipe2 made both fds, owned from here on.
        let (mut reader, writer) = unsafe {
            use std::os::fd::FromRawFd;
            (
                std::fs::File::from_raw_fd(ends[0]),
                std::os::fd::OwnedFd::from_raw_fd(ends[1]),
            )
        };
        let file = std::fs::File::open("/dev/null").unwrap();
        assert_eq!(
            a.send_with_fds(b"fds", &[writer.as_fd(), file.as_fd()]).unwrap(),
            3
        );
        drop(writer);
        let (mut buf, mut fds) = ([0u8; 8], Vec::new());
        assert_eq!(b.recv_with_fds(&mut buf, &mut fds).unwrap(), 3);
        assert_eq!((&buf[..3], fds.len()), (&b"fds"[..], 2));
        assert!(fds.iter().all(|fd| is_cloexec(fd.as_raw_fd())));
        let mut passed = std::fs::File::from(fds.remove(0));
        passed.write_all(b"through").unwrap();
        drop(passed);
        let mut got = String::new();
        reader.read_to_string(&mut got).unwrap();
        assert_eq!(got, "through");
        // No data, or too many fds: refused before any syscall.
        let e = a.send_with_fds(b"", &[file.as_fd()]).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
        let many = vec![file.as_fd(); biosock::MAX_FDS + 1];
        assert_eq!(
            a.send_with_fds(b"x", &many).unwrap_err().kind(),
            std::io::ErrorKind::InvalidInput
        );
        // A plain receive of fds that were sent closes them (the kernel's
        // MSG_CTRUNC), and recv_with_fds without fds gets none.
        a.send(b"z").unwrap();
        let mut fds = Vec::new();
        assert_eq!(b.recv_with_fds(&mut buf, &mut fds).unwrap(), 1);
        assert!(fds.is_empty());
    }
    assert_eq!(open_fds(), before);
}

/// Multicast on loopback: a member joined on 127.0.0.1 receives what a
/// sender with `IP_MULTICAST_IF` 127.0.0.1 and loop on sends to the
/// group; after leaving, joining again works (and leaving twice fails).
#[test]
fn multicast_on_loopback() {
    let _guard = fd_lock();
    let group = Ipv4Addr::new(239, 255, 77, 1);
    let member = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
    member.set_reuse_address(true).unwrap();
    member
        .bind(&"0.0.0.0:0".parse().unwrap(), SockOpts::empty())
        .unwrap();
    let port = member.local_addr().unwrap().port().unwrap();
    member.join_multicast_v4(group, Ipv4Addr::LOCALHOST).unwrap();
    let sender = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
    sender.set_multicast_if_v4(Ipv4Addr::LOCALHOST).unwrap();
    sender.set_multicast_loop_v4(true).unwrap();
    sender.set_multicast_ttl_v4(1).unwrap();
    let to = BioAddr::from(std::net::SocketAddr::from((group, port)));
    assert_eq!(sender.send_to(b"to the group", &to).unwrap(), 12);
    member
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 32];
    let (n, _) = member.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"to the group");
    member.leave_multicast_v4(group, Ipv4Addr::LOCALHOST).unwrap();
    let e = member.leave_multicast_v4(group, Ipv4Addr::LOCALHOST).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EADDRNOTAVAIL), "{e}");
    let e = member
        .join_multicast_v4(Ipv4Addr::LOCALHOST, Ipv4Addr::LOCALHOST)
        .unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EINVAL), "{e}");

    // Source-specific: a member for source 127.0.0.1 gets the datagram a
    // sender bound to 127.0.0.1 sends; one for another source does not.
    #[cfg(any(
        target_os = "linux",
        target_os = "android",
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd"
    ))]
    {
        let ssm = Ipv4Addr::new(232, 77, 0, 1);
        let open = |source: Ipv4Addr| {
            let m = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
            m.set_reuse_address(true).unwrap();
            m.bind(
                &BioAddr::from(std::net::SocketAddr::from((Ipv4Addr::UNSPECIFIED, port))),
                SockOpts::REUSEADDR,
            )
            .unwrap();
            m.join_ssm_v4(source, ssm, Ipv4Addr::LOCALHOST).unwrap();
            m
        };
        let (wanted, other) = (open(Ipv4Addr::LOCALHOST), open(Ipv4Addr::new(127, 0, 0, 2)));
        let sender = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
        sender
            .bind(&"127.0.0.1:0".parse().unwrap(), SockOpts::empty())
            .unwrap();
        sender.set_multicast_if_v4(Ipv4Addr::LOCALHOST).unwrap();
        sender.set_multicast_loop_v4(true).unwrap();
        let to = BioAddr::from(std::net::SocketAddr::from((ssm, port)));
        assert_eq!(sender.send_to(b"from one source", &to).unwrap(), 15);
        wanted
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        let (n, from) = wanted.recv_from(&mut buf).unwrap();
        assert_eq!(
            (&buf[..n], from),
            (&b"from one source"[..], sender.local_addr().unwrap())
        );
        // The kernel hands a multicast datagram to every member of the port in
        // one pass, so once `wanted` has it, `other` would have too: its
        // source filter dropped it.
        let e = other.recv_from_with_flags(&mut buf, libc::MSG_DONTWAIT);
        assert_eq!(e.unwrap_err().kind(), std::io::ErrorKind::WouldBlock);
        wanted
            .leave_ssm_v4(Ipv4Addr::LOCALHOST, ssm, Ipv4Addr::LOCALHOST)
            .unwrap();
        let e = wanted
            .leave_ssm_v4(Ipv4Addr::LOCALHOST, ssm, Ipv4Addr::LOCALHOST)
            .unwrap_err();
        // Linux: EINVAL once the last source has gone (no membership left).
        assert_eq!(e.raw_os_error(), Some(libc::EINVAL), "{e}");
    }

    let v6 = Socket::new(Domain::IPV6, Type::DGRAM, None).unwrap();
    let group6: Ipv6Addr = "ff02::1:77".parse().unwrap();
    // SAFETY: a NUL-terminated name.
    let lo = unsafe { libc::if_nametoindex(c"lo".as_ptr()) };
    v6.join_multicast_v6(group6, lo).unwrap();
    v6.leave_multicast_v6(group6, lo).unwrap();
}

/// A view of a socket the caller keeps: options through it, and the fd
/// still open (and working) after the view is gone.
#[test]
fn sock_ref_borrows_without_closing() {
    let _guard = fd_lock();
    let std_socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    {
        let view = SockRef::from(&std_socket);
        assert!(view.is_listener().unwrap());
        view.set_recv_buffer_size(65536).unwrap();
        assert_eq!(
            view.local_addr().unwrap(),
            BioAddr::from(std_socket.local_addr().unwrap())
        );
    }
    assert!(is_open(std_socket.as_raw_fd()));
    let _c = std::net::TcpStream::connect(std_socket.local_addr().unwrap()).unwrap();
    std_socket.accept().unwrap();
}

/// `SockOpts::REUSEPORT` (a biosock extension bit): `listen_on` shards, two
/// listeners on one port, `SO_REUSEPORT` read back; without it the second
/// is `AddrInUse`; connect does not take it.
#[test]
fn reuseport_option_lets_listen_on_shard() {
    let _guard = fd_lock();
    for family in [Domain::IPV4, Domain::IPV6] {
        let first = Socket::listen_on(loopback(family), SockOpts::REUSEPORT).unwrap();
        let at = first.local_addr().unwrap();
        let second = Socket::listen_on(&at, SockOpts::REUSEPORT | SockOpts::NONBLOCK).unwrap();
        for l in [&first, &second] {
            assert_eq!(getint(l.as_raw_fd(), libc::SOL_SOCKET, libc::SO_REUSEPORT), 1);
            assert_eq!(l.local_addr().unwrap(), at);
        }
        let e = Socket::listen_on(&at, SockOpts::empty()).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AddrInUse, "{e}");
        let e = Socket::connect_to(&at, SockOpts::REUSEPORT).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{e}");
        let s = Socket::new(family, Type::DGRAM, None).unwrap();
        s.bind(&at, SockOpts::REUSEPORT).unwrap();
        assert_eq!(getint(s.as_raw_fd(), libc::SOL_SOCKET, libc::SO_REUSEPORT), 1);
    }
}
