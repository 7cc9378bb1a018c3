//! `Socket`, in the C API's order: new, bind, connect, listen, accept,
//! close, the helpers, then the conversions. Each case on IPv4, IPv6 and
//! Unix where it applies.
// Unix: fd flags and errno values read with libc. tests/portable.rs is the suite every platform runs.
#![cfg(unix)]

mod common;

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::time::Duration;

use biosock::{ffi, BioAddr, Domain, Interest, Protocol, SockOpts, Socket, Type};
use common::*;

const BIO: i32 = ffi::ERR_LIB_BIO as i32;
const SYS: i32 = ffi::ERR_LIB_SYS as i32;

fn entries(e: &biosock::Error) -> Vec<(i32, i32)> {
    e.entries().iter().map(|x| (x.lib(), x.reason())).collect()
}

#[test]
fn new_per_family_is_cloexec() {
    for family in FAMILIES {
        for ty in [Type::STREAM, Type::DGRAM] {
            let s = Socket::new(family, ty, None).unwrap();
            assert!(is_cloexec(s.as_raw_fd()));
            assert!(!is_nonblocking(s.as_raw_fd()));
            // SO_DOMAIN and SO_PROTOCOL: Linux and FreeBSD, not macOS.
            #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
            assert_eq!(
                getint(s.as_raw_fd(), libc::SOL_SOCKET, libc::SO_DOMAIN),
                family.as_raw()
            );
            assert_eq!(
                getint(s.as_raw_fd(), libc::SOL_SOCKET, libc::SO_TYPE),
                ty.as_raw()
            );
        }
    }
    let s = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).unwrap();
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
    assert_eq!(
        getint(s.as_raw_fd(), libc::SOL_SOCKET, libc::SO_PROTOCOL),
        libc::IPPROTO_TCP
    );
    drop(s);
}

#[test]
fn new_errors() {
    let e = Socket::new(Domain::IPV4, Type::from_raw(999), None).unwrap_err();
    assert_eq!(e.function(), "BIO_socket");
    assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        entries(&e),
        [
            (SYS, libc::EINVAL),
            (BIO, ffi::BIO_R_UNABLE_TO_CREATE_SOCKET as i32)
        ]
    );
    assert_eq!(e.entries()[0].data(), "calling socket()");
    let e = Socket::new(Domain::from_raw(12345), Type::STREAM, None).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EAFNOSUPPORT));
    let e = Socket::new(Domain::UNIX, Type::STREAM, Some(Protocol::TCP)).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EPROTONOSUPPORT));
}

#[test]
fn bind_reuseaddr_and_addr_in_use() {
    for family in FAMILIES {
        let (_l, addr) = listener(family, SockOpts::empty());
        let s = Socket::new(family, Type::STREAM, None).unwrap();
        let e = s.bind(&addr, SockOpts::REUSEADDR).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::AddrInUse, "{family:?}: {e}");
        assert_eq!(
            entries(&e),
            [
                (SYS, libc::EADDRINUSE),
                (BIO, ffi::BIO_R_UNABLE_TO_BIND_SOCKET as i32)
            ]
        );
        if family != Domain::UNIX {
            assert_eq!(getint(s.as_raw_fd(), libc::SOL_SOCKET, libc::SO_REUSEADDR), 1);
        }
        let fresh = Socket::new(family, Type::STREAM, None).unwrap();
        fresh.bind(&loopback(family), SockOpts::empty()).unwrap();
        assert_eq!(fresh.local_addr().unwrap().family(), family);
    }
}

#[test]
fn connect_lifecycle_and_flags() {
    for family in FAMILIES {
        let (l, addr) = listener(family, SockOpts::empty());
        let opts = if family == Domain::UNIX {
            SockOpts::KEEPALIVE
        } else {
            SockOpts::KEEPALIVE | SockOpts::NODELAY
        };
        let c = Socket::connect_to(&addr, opts).unwrap();
        let fd = c.as_raw_fd();
        assert_eq!(getint(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE), 1);
        if family != Domain::UNIX {
            assert_eq!(getint(fd, libc::IPPROTO_TCP, libc::TCP_NODELAY), 1);
        }
        assert!(!is_nonblocking(fd));
        let (a, peer) = l.accept(SockOpts::empty()).unwrap();
        assert_eq!(peer.family(), family);
        if family != Domain::UNIX {
            assert_eq!(peer, c.local_addr().unwrap());
        }
        (&c).write_all(b"hello").unwrap();
        let mut buf = [0u8; 5];
        (&a).read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"hello");
    }
}

#[test]
fn connect_refused_and_invalid() {
    for family in FAMILIES {
        let addr = {
            let (_l, addr) = listener(family, SockOpts::empty());
            addr
        };
        let s = Socket::new(family, Type::STREAM, None).unwrap();
        let e = s.connect(&addr, SockOpts::empty()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ConnectionRefused, "{family:?}: {e}");
        assert_eq!(e.reason(), Some(ffi::BIO_R_CONNECT_ERROR as i32));
        assert_eq!(
            entries(&e),
            [(SYS, libc::ECONNREFUSED), (BIO, ffi::BIO_R_CONNECT_ERROR as i32)]
        );
        // Display: one line, no hex codes, the reason once; {:#} has
        // OpenSSL's entries.
        assert_eq!(
            e.to_string(),
            format!("connect {addr}: Connection refused (os error 111)")
        );
        assert_eq!(e.addr(), Some(&addr));
        let text = format!("{e:#}");
        assert!(text.contains("[BIO_connect: "), "{text}");
        assert!(
            text.contains("error:10000067:BIO routines::connect error"),
            "{text}"
        );
        assert!(text.contains("(calling connect())"), "{text}");
        // The socket survives a failed call.
        assert!(is_open(s.as_raw_fd()));
    }
    // NODELAY on a Unix socket: UNABLE_TO_NODELAY, as OpenSSL.
    let (_l, addr) = listener(Domain::UNIX, SockOpts::empty());
    let s = Socket::new(Domain::UNIX, Type::STREAM, None).unwrap();
    let e = s.connect(&addr, SockOpts::NODELAY).unwrap_err();
    assert_eq!(e.reason(), Some(ffi::BIO_R_UNABLE_TO_NODELAY as i32));
    assert_eq!(e.raw_os_error(), Some(libc::EOPNOTSUPP));
}

#[test]
fn nonblocking_connect_is_in_progress_then_completes() {
    for family in [Domain::IPV4, Domain::IPV6] {
        let (l, addr) = listener(family, SockOpts::empty());
        let s = Socket::new(family, Type::STREAM, None).unwrap();
        match s.connect(&addr, SockOpts::NONBLOCK) {
            Ok(()) => {}
            Err(e) => {
                // std's kind for EINPROGRESS (InProgress, not stable to
                // match): the same after `?`; is_in_progress() tells.
                assert_eq!(
                    e.kind(),
                    std::io::Error::from_raw_os_error(libc::EINPROGRESS).kind(),
                    "{e}"
                );
                assert_eq!(e.raw_os_error(), Some(libc::EINPROGRESS));
                assert!(e.is_retryable());
                assert!(e.is_in_progress());
                assert!(e.entries().is_empty(), "nothing is pushed for EINPROGRESS");
                // Through `?`, errno survives, as mio and tokio check it.
                let io: io::Error = e.into();
                assert_eq!(io.raw_os_error(), Some(libc::EINPROGRESS));
            }
        }
        assert!(is_nonblocking(s.as_raw_fd()));
        assert!(s.wait(Interest::Write, Duration::from_secs(5)).unwrap());
        assert!(s.take_error().unwrap().is_none());
        let _ = l.accept(SockOpts::empty()).unwrap();
    }
    // To a closed port the outcome comes from SO_ERROR, not a stale errno.
    let addr = listener(Domain::IPV4, SockOpts::empty()).1;
    let s = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    match s.connect(&addr, SockOpts::NONBLOCK) {
        Err(e) if e.is_in_progress() => {
            assert!(s.wait(Interest::Write, Duration::from_secs(5)).unwrap());
            let pending = s.take_error().unwrap().expect("a pending error");
            assert_eq!(pending.kind(), ErrorKind::ConnectionRefused);
            assert!(s.take_error().unwrap().is_none(), "reading SO_ERROR clears it");
        }
        Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionRefused),
        Ok(()) => panic!("connected to a closed port"),
    }
}

#[test]
fn listen_flags_read_back() {
    for v6only in [false, true] {
        let opts = if v6only {
            SockOpts::V6_ONLY
        } else {
            SockOpts::empty()
        };
        let l = Socket::listen_on("[::]:0", opts | SockOpts::REUSEADDR).unwrap();
        assert_eq!(
            getint(l.as_raw_fd(), libc::IPPROTO_IPV6, libc::IPV6_V6ONLY),
            v6only as i32
        );
        assert_eq!(getint(l.as_raw_fd(), libc::SOL_SOCKET, libc::SO_ACCEPTCONN), 1);
        assert_eq!(getint(l.as_raw_fd(), libc::SOL_SOCKET, libc::SO_REUSEADDR), 1);
    }
    for family in FAMILIES {
        let all = SockOpts::REUSEADDR | SockOpts::KEEPALIVE | SockOpts::NONBLOCK;
        let (l, _) = listener(family, all);
        let fd = l.as_raw_fd();
        assert!(is_nonblocking(fd) && is_cloexec(fd));
        assert_eq!(getint(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE), 1);
    }
    let (l, _) = listener(Domain::IPV4, SockOpts::NODELAY);
    assert_eq!(getint(l.as_raw_fd(), libc::IPPROTO_TCP, libc::TCP_NODELAY), 1);
    // A datagram socket is bound, not listening.
    let u = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
    u.listen(&loopback(Domain::IPV4), SockOpts::empty()).unwrap();
    assert_eq!(getint(u.as_raw_fd(), libc::SOL_SOCKET, libc::SO_ACCEPTCONN), 0);
}

#[test]
fn accept_peer_nonblock_and_would_block() {
    for family in FAMILIES {
        let (l, addr) = listener(family, SockOpts::empty());
        let c = Socket::connect_to(&addr, SockOpts::empty()).unwrap();
        let (a, peer) = l.accept(SockOpts::NONBLOCK).unwrap();
        assert!(is_nonblocking(a.as_raw_fd()) && is_cloexec(a.as_raw_fd()));
        match family {
            Domain::UNIX => assert_eq!(peer.to_string(), "(unnamed)"),
            _ => assert_eq!(
                SocketAddr::try_from(&peer).unwrap(),
                c.local_addr().unwrap().try_into().unwrap()
            ),
        }
        l.set_nonblocking(true).unwrap();
        let e = l.accept(SockOpts::empty()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::WouldBlock);
        assert!(e.entries().is_empty());
    }
}

/// The addresses `accept` and `local_addr` return are filled by the C
/// library without being zeroed first (only the family's sockaddr is
/// written): every method reads within what was written. Under valgrind
/// (CI runs this suite under memcheck) a read of an unwritten byte fails.
#[test]
fn addresses_from_the_kernel_read_only_what_it_wrote() {
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};
    fn hash(a: &BioAddr) -> u64 {
        let mut h = DefaultHasher::new();
        a.hash(&mut h);
        h.finish()
    }
    for family in FAMILIES {
        let (l, addr) = listener(family, SockOpts::empty());
        let local = l.local_addr().unwrap();
        assert_eq!(local, addr);
        assert_eq!(hash(&local), hash(&addr));
        let c = Socket::connect_to(&local, SockOpts::empty()).unwrap();
        let (_a, peer) = l.accept(SockOpts::empty()).unwrap();
        let from_client = c.local_addr().unwrap();
        let copy = peer.clone();
        assert_eq!(copy, peer);
        assert_eq!(hash(&copy), hash(&peer));
        assert_eq!(peer.family(), family);
        assert_eq!(format!("{peer} {peer:?}"), format!("{copy} {copy:?}"));
        assert_eq!(
            (peer.ip(), peer.port(), peer.path()),
            (copy.ip(), copy.port(), copy.path())
        );
        assert_eq!(
            (peer.flowinfo(), peer.scope_id()),
            (copy.flowinfo(), copy.scope_id())
        );
        let (sa, len) = peer.as_sockaddr();
        assert!(!sa.is_null() && len > 0);
        if family == Domain::UNIX {
            assert_eq!(peer.to_string(), "(unnamed)");
        } else {
            assert_eq!(peer, from_client);
            assert_eq!(
                SocketAddr::try_from(&peer).unwrap(),
                SocketAddr::try_from(&from_client).unwrap()
            );
            assert_ne!(peer, local);
        }
    }
}

#[test]
fn drop_closes_into_raw_fd_does_not() {
    let s = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let fd = s.as_raw_fd();
    let id = fd_identity(fd);
    assert!(id.is_some());
    drop(s);
    assert_ne!(fd_identity(fd), id, "Drop closed the socket");

    let s = Socket::new(Domain::IPV6, Type::STREAM, None).unwrap();
    let fd = s.into_raw_fd();
    let id = fd_identity(fd);
    assert!(id.is_some() && is_open(fd), "into_raw_fd did not close it");
    // SAFETY: fd is the open socket given up above.
    let s = unsafe { Socket::from_raw_fd(fd) };
    s.close().unwrap();
    assert_ne!(fd_identity(fd), id, "close closed the socket");
}

#[test]
#[should_panic(expected = "invalid fd -1")]
fn from_raw_fd_rejects_minus_one() {
    // SAFETY: -1 is rejected before it is used.
    let _ = unsafe { Socket::from_raw_fd(-1) };
}

#[test]
fn helpers() {
    let s = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    s.set_nonblocking(true).unwrap();
    assert!(is_nonblocking(s.as_raw_fd()));
    s.set_nonblocking(false).unwrap();
    assert!(!is_nonblocking(s.as_raw_fd()));
    s.set_nodelay(true).unwrap();
    assert_eq!(getint(s.as_raw_fd(), libc::IPPROTO_TCP, libc::TCP_NODELAY), 1);
    let unbound = s.local_addr().unwrap();
    assert_eq!(unbound.to_string(), "0.0.0.0:0");
    assert!(s.take_error().unwrap().is_none());
    let u = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
    assert!(
        !u.wait(Interest::Read, Duration::from_millis(1)).unwrap(),
        "nothing to read: timeout"
    );
    assert!(u.wait(Interest::Write, Duration::from_secs(1)).unwrap());
    // Debug makes no syscall and leaves the caller's error queue alone.
    // SAFETY: -1 is refused before it is used; this pushes one entry.
    unsafe { ffi::BIO_connect(-1, std::ptr::null(), 0) };
    let dbg = format!("{s:?}");
    assert_eq!(dbg, format!("Socket {{ fd: {} }}", s.as_raw_fd()));
    // SAFETY: reads this thread's queue.
    assert_ne!(unsafe { ffi::ERR_peek_error() }, 0, "Debug cleared the queue");
    // SAFETY: clears this thread's queue.
    unsafe { ffi::ERR_clear_error() };
}

#[test]
fn host_port_constructors() {
    let l = Socket::listen_on("127.0.0.1:0", SockOpts::REUSEADDR).unwrap();
    let port = l.local_addr().unwrap().port().unwrap();
    let _c = Socket::connect_to(format!("127.0.0.1:{port}"), SockOpts::NODELAY).unwrap();
    let (_a, peer) = l.accept(SockOpts::empty()).unwrap();
    assert_eq!(peer.ip().unwrap().to_string(), "127.0.0.1");

    let l6 = Socket::listen_on("[::1]:0", SockOpts::empty()).unwrap();
    let to: SocketAddr = l6.local_addr().unwrap().try_into().unwrap();
    let c = Socket::connect_to(to, SockOpts::NONBLOCK).unwrap();
    assert!(c.wait(Interest::Write, Duration::from_secs(5)).unwrap());
    assert!(c.take_error().unwrap().is_none());

    for bad in ["::1", "a:b:c"] {
        let e = Socket::connect_to(bad, SockOpts::empty()).unwrap_err();
        assert_eq!(
            e.reason(),
            Some(ffi::BIO_R_AMBIGUOUS_HOST_OR_SERVICE as i32),
            "{bad}"
        );
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
    }
    let e = Socket::connect_to("[::1", SockOpts::empty()).unwrap_err();
    assert_eq!(e.reason(), Some(ffi::BIO_R_MALFORMED_HOST_OR_SERVICE as i32));
    let e = Socket::connect_to("127.0.0.1:\0", SockOpts::empty()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let e = Socket::connect_to("127.0.0.1:no-such-service-x", SockOpts::empty()).unwrap_err();
    assert_eq!(e.reason(), Some(ffi::ERR_R_SYS_LIB as i32));
}

/// Write `msg` on `to`, read it back from `from`.
fn echo_once(from: &mut impl Read, to: &mut impl Write, msg: &[u8]) {
    to.write_all(msg).unwrap();
    let mut buf = vec![0u8; msg.len()];
    from.read_exact(&mut buf).unwrap();
    assert_eq!(buf, msg);
}

#[test]
fn std_conversions_round_trip() {
    let (l, addr) = listener(Domain::IPV4, SockOpts::empty());
    let c = Socket::connect_to(&addr, SockOpts::empty()).unwrap();
    let (a, _) = l.accept(SockOpts::empty()).unwrap();
    let fd = a.as_raw_fd();
    let mut stream: TcpStream = a.into();
    assert_eq!(stream.as_raw_fd(), fd);
    let mut c_std: TcpStream = c.into();
    echo_once(&mut stream, &mut c_std, b"round");
    let back = Socket::from(stream);
    assert_eq!(back.as_raw_fd(), fd);
    let owned: OwnedFd = back.into();
    let back = Socket::from(owned);
    assert_eq!(back.as_fd().as_raw_fd(), fd);

    let std_listener: TcpListener = l.into();
    assert_eq!(
        std_listener.local_addr().unwrap(),
        SocketAddr::try_from(&addr).unwrap()
    );
    let l = Socket::from(std_listener);
    assert!(l.local_addr().is_ok());

    let u = UdpSocket::bind("127.0.0.1:0").unwrap();
    let ufd = u.as_raw_fd();
    let s = Socket::from(u);
    let u: UdpSocket = s.into();
    assert_eq!(u.as_raw_fd(), ufd);

    let path = unix_path("conv");
    let ul = Socket::listen_on(BioAddr::unix(&path).unwrap(), SockOpts::empty()).unwrap();
    let ul: UnixListener = ul.into();
    let uc = Socket::from(UnixStream::connect(&path).unwrap());
    let (ua, _) = ul.accept().unwrap();
    let mut ua = Socket::from(ua);
    let mut uc_std: UnixStream = uc.into();
    echo_once(&mut ua, &mut uc_std, b"unix");
}

#[test]
fn errors_convert_for_question_mark() {
    fn io_code(addr: &BioAddr) -> io::Result<()> {
        let s = Socket::new(addr.family(), Type::STREAM, None)?;
        s.connect(addr, SockOpts::empty())?;
        Ok(())
    }
    let addr = listener(Domain::IPV4, SockOpts::empty()).1;
    let e = io_code(&addr).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ConnectionRefused);
    assert_eq!(e.raw_os_error(), Some(libc::ECONNREFUSED));

    // Without an errno, the io::Error wraps the biosock::Error.
    fn lookup_code() -> io::Result<Socket> {
        Ok(Socket::connect_to(
            "127.0.0.1:no-such-service-x",
            SockOpts::empty(),
        )?)
    }
    let e = lookup_code().unwrap_err();
    assert_eq!(e.raw_os_error(), None);
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let inner = e
        .get_ref()
        .and_then(|x| x.downcast_ref::<biosock::Error>())
        .expect("the biosock::Error inside");
    assert_eq!(inner.function(), "BIO_lookup_ex");
    assert_eq!(inner.reason(), Some(ffi::ERR_R_SYS_LIB as i32));
    assert!(!inner.entries()[0].data().is_empty(), "the resolver's text");
}

#[test]
fn socket_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Socket>();
    assert_send_sync::<BioAddr>();
    assert_send_sync::<biosock::Error>();
}

/// Bug: a non-blocking Unix connect whose `EAGAIN` means "the listener's
/// backlog is full" was taken for a connect in progress and returned `Ok`.
#[test]
fn unix_connect_into_a_full_backlog_is_an_error() {
    let path = unix_path("full");
    let at = BioAddr::unix(&path).unwrap();
    let l = Socket::new(Domain::UNIX, Type::STREAM, None).unwrap();
    l.listen_backlog(&at, SockOpts::empty(), 0).unwrap();
    let mut pending = Vec::new();
    let e = loop {
        match Socket::connect_to(&at, SockOpts::NONBLOCK) {
            Ok(s) => pending.push(s),
            Err(e) => break e,
        }
        assert!(pending.len() <= 8, "backlog 0 took {} connections", pending.len());
    };
    assert_eq!(e.raw_os_error(), Some(libc::EAGAIN), "{e}");
    assert!(!e.is_in_progress());
    assert_eq!(e.kind(), ErrorKind::WouldBlock);
    // Socket::connect reports the same.
    let s = Socket::new(Domain::UNIX, Type::STREAM, None).unwrap();
    let e = s.connect(&at, SockOpts::NONBLOCK).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EAGAIN));
    assert!(!e.is_in_progress());
}

/// Bug: a port out of range wrapped (99999 → 34463) and a missing port
/// connected to port 0. Both are InvalidInput in the safe API.
#[test]
fn ports_out_of_range_and_missing_are_invalid_input() {
    let invalid = |e: biosock::Error| {
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
        assert_eq!(e.raw_os_error(), None, "{e}");
        e
    };
    for bad in ["127.0.0.1:99999", "[::1]:65536", "99999", "*:70000"] {
        let e = invalid(Socket::listen_on(bad, SockOpts::REUSEADDR).unwrap_err());
        assert!(e.entries()[0].data().contains("out of range"), "{bad}: {e}");
    }
    for bad in ["127.0.0.1:99999", "localhost:65536", "[::1]:4294967297"] {
        invalid(Socket::connect_to(bad, SockOpts::empty()).unwrap_err());
    }
    for no_port in ["127.0.0.1", "localhost", "[::1]", "127.0.0.1:"] {
        let e = invalid(Socket::connect_to(no_port, SockOpts::empty()).unwrap_err());
        assert!(e.entries()[0].data().contains("no port"), "{no_port}: {e}");
    }
    // The edges of the range work: 0 to listen (ephemeral), 65535 parses.
    let l = Socket::listen_on("127.0.0.1:0", SockOpts::empty()).unwrap();
    assert_ne!(l.local_addr().unwrap().port(), Some(0));
    let e = Socket::connect_to("127.0.0.1:65535", SockOpts::empty());
    assert!(e.is_err_and(|e| e.kind() == ErrorKind::ConnectionRefused));
}

/// Bug: options a call cannot apply were accepted and ignored. Now each is
/// an InvalidInput error, and the call does nothing.
#[test]
fn options_a_call_cannot_apply_are_refused() {
    let refused = |r: biosock::Result<()>, what: &str| {
        let e = r.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{what}: {e}");
        assert_eq!(e.raw_os_error(), None, "{what}");
        assert_eq!(e.reason(), Some(ffi::ERR_R_PASSED_INVALID_ARGUMENT as i32));
    };
    let (l, addr) = listener(Domain::IPV4, SockOpts::empty());
    let _c = Socket::connect_to(&addr, SockOpts::empty()).unwrap();
    refused(
        l.accept(SockOpts::NODELAY | SockOpts::KEEPALIVE).map(drop),
        "accept",
    );
    // The refused accept took nothing: the connection is still queued.
    let (a, _) = l.accept(SockOpts::empty()).unwrap();
    drop(a);

    let s = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    refused(
        s.bind(&loopback(Domain::IPV4), SockOpts::NODELAY | SockOpts::NONBLOCK),
        "bind",
    );
    assert_eq!(s.local_addr().unwrap().port(), Some(0), "not bound");
    assert!(!is_nonblocking(s.as_raw_fd()));
    refused(s.connect(&addr, SockOpts::REUSEADDR), "connect");
    refused(s.connect(&addr, SockOpts::V6_ONLY), "connect");
    refused(s.listen(&loopback(Domain::IPV4), SockOpts::V6_ONLY), "listen v4");
    refused(
        Socket::connect_to(&addr, SockOpts::REUSEADDR).map(drop),
        "connect_to",
    );
    refused(
        Socket::listen_on("127.0.0.1:0", SockOpts::V6_ONLY).map(drop),
        "listen_on v4",
    );
    // What each call does apply still works.
    let l6 = Socket::listen_on("[::1]:0", SockOpts::V6_ONLY | SockOpts::all()).unwrap();
    assert!(l6.only_v6().unwrap());
}

/// `connect_to`/`listen_on` take every `ToBioAddrs` form.
#[test]
fn generic_constructors_take_every_address_form() {
    let (l, addr) = listener(Domain::IPV4, SockOpts::empty());
    let port = addr.port().unwrap();
    let sa: SocketAddr = (&addr).try_into().unwrap();
    let conns = [
        Socket::connect_to(&addr, SockOpts::empty()).unwrap(),
        Socket::connect_to(addr.clone(), SockOpts::empty()).unwrap(),
        Socket::connect_to(sa, SockOpts::empty()).unwrap(),
        Socket::connect_to(("127.0.0.1", port), SockOpts::empty()).unwrap(),
        Socket::connect_to(("localhost", port), SockOpts::empty()).unwrap(),
        Socket::connect_to((std::net::Ipv4Addr::LOCALHOST, port), SockOpts::empty()).unwrap(),
        Socket::connect_to(format!("127.0.0.1:{port}"), SockOpts::empty()).unwrap(),
        Socket::connect_to(format!("localhost:{port}").as_str(), SockOpts::empty()).unwrap(),
    ];
    for c in &conns {
        let (_a, peer) = l.accept(SockOpts::empty()).unwrap();
        assert_eq!(peer, c.local_addr().unwrap());
        assert_eq!(c.peer_addr().unwrap(), addr);
    }
    let path = unix_path("generic");
    let ul = Socket::listen_on(path.as_path(), SockOpts::empty()).unwrap();
    let uc = Socket::connect_to(&path, SockOpts::empty()).unwrap();
    let (_ua, _) = ul.accept(SockOpts::empty()).unwrap();
    assert_eq!(uc.peer_addr().unwrap().path(), Some(path.as_path()));
}
