//! The methods beside the `BIO_*` calls, in the order of `src/socket.rs`:
//! state (peer_addr, try_clone, shutdown, nonblocking, wait), socket
//! options, timeouts, then datagram and flagged I/O. Each reads the state
//! back with getsockopt/fcntl or a real round trip.
// Unix: getsockopt/fcntl read-backs with libc. tests/portable.rs is the suite every platform runs.
#![cfg(unix)]

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::Shutdown;
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use biosock::{BioAddr, Domain, Interest, SockOpts, Socket, Type};
use common::*;

/// The idle time before keepalive probes, under its platform's name.
#[cfg(not(target_vendor = "apple"))]
const KEEPIDLE: libc::c_int = libc::TCP_KEEPIDLE;
#[cfg(target_vendor = "apple")]
const KEEPIDLE: libc::c_int = libc::TCP_KEEPALIVE;

/// A connected pair on `family`: (client, accepted).
fn pair(family: Domain) -> (Socket, Socket) {
    let (l, addr) = listener(family, SockOpts::empty());
    let c = Socket::connect_to(&addr, SockOpts::empty()).unwrap();
    let (a, _) = l.accept(SockOpts::empty()).unwrap();
    (c, a)
}

fn tcp() -> Socket {
    Socket::new(Domain::IPV4, Type::STREAM, None).unwrap()
}

#[test]
fn peer_addr_per_family() {
    for family in FAMILIES {
        let (l, addr) = listener(family, SockOpts::empty());
        let c = Socket::connect_to(&addr, SockOpts::empty()).unwrap();
        let (a, peer) = l.accept(SockOpts::empty()).unwrap();
        assert_eq!(c.peer_addr().unwrap(), addr, "{family:?}");
        assert_eq!(a.peer_addr().unwrap(), peer, "{family:?}");
        assert_eq!(a.local_addr().unwrap(), addr, "{family:?}");
    }
    let e = tcp().peer_addr().unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::ENOTCONN));
    assert_eq!(e.kind(), ErrorKind::NotConnected);
    // An abstract name reads back as one (the kernel length is kept).
    let name = format!("biosock-peer-{}", std::process::id());
    let at = BioAddr::unix_abstract(name.as_bytes()).unwrap();
    let l = Socket::listen_on(&at, SockOpts::empty()).unwrap();
    let c = Socket::connect_to(&at, SockOpts::empty()).unwrap();
    assert_eq!(c.peer_addr().unwrap().abstract_name(), Some(name.as_bytes()));
    drop(l);
}

#[test]
fn try_clone_is_the_same_socket_and_cloexec() {
    let (c, mut a) = pair(Domain::IPV4);
    let mut c2 = c.try_clone().unwrap();
    assert_ne!(c2.as_raw_fd(), c.as_raw_fd());
    assert!(is_cloexec(c2.as_raw_fd()));
    assert_eq!(c2.local_addr().unwrap(), c.local_addr().unwrap());
    c2.write_all(b"x").unwrap();
    let mut b = [0u8; 1];
    a.read_exact(&mut b).unwrap();
    drop(c);
    c2.write_all(b"y").unwrap();
    a.read_exact(&mut b).unwrap();
    assert_eq!(&b, b"y");
}

#[test]
fn shutdown_write_gives_the_peer_eof() {
    for family in FAMILIES {
        let (c, a) = pair(family);
        c.shutdown(Shutdown::Write).unwrap();
        let mut buf = [0u8; 4];
        assert_eq!(a.recv(&mut buf).unwrap(), 0, "{family:?}: EOF");
        // The other direction still works.
        a.send(b"back").unwrap();
        assert_eq!(c.recv(&mut buf).unwrap(), 4);
        c.shutdown(Shutdown::Both).unwrap();
    }
    let e = tcp().shutdown(Shutdown::Read).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::ENOTCONN));
}

#[test]
fn nonblocking_reads_the_flag() {
    let s = tcp();
    assert!(!s.nonblocking().unwrap());
    s.set_nonblocking(true).unwrap();
    assert!(s.nonblocking().unwrap());
    assert!(is_nonblocking(s.as_raw_fd()));
    let l = Socket::listen_on("127.0.0.1:0", SockOpts::NONBLOCK).unwrap();
    assert!(l.nonblocking().unwrap());
}

#[test]
fn wait_counts_milliseconds() {
    let u = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
    u.bind(&loopback(Domain::IPV4), SockOpts::empty()).unwrap();
    let start = Instant::now();
    assert!(!u.wait(Interest::Read, Duration::from_millis(30)).unwrap());
    let took = start.elapsed();
    // Not rounded up to a whole second any more.
    assert!(took >= Duration::from_millis(30), "{took:?}");
    assert!(took < Duration::from_millis(900), "{took:?}");
    // Under a millisecond still waits (rounded up), and returns.
    assert!(!u.wait(Interest::Read, Duration::from_micros(10)).unwrap());
    u.send_to(b"!", &u.local_addr().unwrap()).unwrap();
    assert!(u.wait(Interest::Read, Duration::from_millis(500)).unwrap());
}

#[test]
fn nodelay_and_keepalive_read_back() {
    let s = tcp();
    assert!(!s.nodelay().unwrap());
    s.set_nodelay(true).unwrap();
    assert!(s.nodelay().unwrap());
    assert_eq!(getint(s.as_raw_fd(), libc::IPPROTO_TCP, libc::TCP_NODELAY), 1);

    assert!(!s.keepalive().unwrap());
    s.set_keepalive(true).unwrap();
    assert!(s.keepalive().unwrap());
    assert_eq!(getint(s.as_raw_fd(), libc::SOL_SOCKET, libc::SO_KEEPALIVE), 1);
    s.set_keepalive(false).unwrap();
    assert_eq!(getint(s.as_raw_fd(), libc::SOL_SOCKET, libc::SO_KEEPALIVE), 0);

    s.set_keepalive_time(Duration::from_secs(42)).unwrap();
    assert_eq!(s.keepalive_time().unwrap(), Duration::from_secs(42));
    assert_eq!(getint(s.as_raw_fd(), libc::IPPROTO_TCP, KEEPIDLE), 42);
    s.set_keepalive_interval(Duration::from_secs(7)).unwrap();
    assert_eq!(s.keepalive_interval().unwrap(), Duration::from_secs(7));
    assert_eq!(getint(s.as_raw_fd(), libc::IPPROTO_TCP, libc::TCP_KEEPINTVL), 7);
    s.set_keepalive_retries(5).unwrap();
    assert_eq!(s.keepalive_retries().unwrap(), 5);
    assert_eq!(getint(s.as_raw_fd(), libc::IPPROTO_TCP, libc::TCP_KEEPCNT), 5);
    let e = s.set_keepalive_time(Duration::ZERO).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EINVAL));

    let u = Socket::new(Domain::UNIX, Type::STREAM, None).unwrap();
    let e = u.nodelay().unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EOPNOTSUPP));
    assert_eq!(e.kind(), ErrorKind::Unsupported);
}

#[test]
fn linger_reads_back() {
    let s = tcp();
    assert_eq!(s.linger().unwrap(), None);
    s.set_linger(Some(Duration::from_secs(3))).unwrap();
    assert_eq!(s.linger().unwrap(), Some(Duration::from_secs(3)));
    let mut l = libc::linger {
        l_onoff: 0,
        l_linger: 0,
    };
    let mut len = std::mem::size_of::<libc::linger>() as libc::socklen_t;
    // SAFETY: l and len are valid for writes.
    let r = unsafe {
        libc::getsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&mut l as *mut libc::linger).cast(),
            &mut len,
        )
    };
    assert_eq!((r, l.l_onoff, l.l_linger), (0, 1, 3));
    s.set_linger(Some(Duration::ZERO)).unwrap();
    assert_eq!(s.linger().unwrap(), Some(Duration::ZERO));
    s.set_linger(None).unwrap();
    assert_eq!(s.linger().unwrap(), None);
}

#[test]
fn reuse_address_and_port_read_back() {
    let s = tcp();
    assert!(!s.reuse_address().unwrap());
    s.set_reuse_address(true).unwrap();
    assert!(s.reuse_address().unwrap());
    assert_eq!(getint(s.as_raw_fd(), libc::SOL_SOCKET, libc::SO_REUSEADDR), 1);
    assert!(!s.reuse_port().unwrap());
    s.set_reuse_port(true).unwrap();
    assert!(s.reuse_port().unwrap());
    assert_eq!(getint(s.as_raw_fd(), libc::SOL_SOCKET, libc::SO_REUSEPORT), 1);

    // SO_REUSEPORT for real: two listeners on one port.
    s.bind(&loopback(Domain::IPV4), SockOpts::empty()).unwrap();
    let at = s.local_addr().unwrap();
    let t = tcp();
    t.set_reuse_port(true).unwrap();
    t.bind(&at, SockOpts::empty()).unwrap();
    assert_eq!(t.local_addr().unwrap(), at);
}

#[test]
fn buffer_sizes_read_back() {
    let s = tcp();
    s.set_recv_buffer_size(65536).unwrap();
    let got = s.recv_buffer_size().unwrap();
    assert_eq!(
        got,
        getint(s.as_raw_fd(), libc::SOL_SOCKET, libc::SO_RCVBUF) as usize
    );
    // Linux doubles what it is given (within its limits).
    assert!(got >= 65536, "{got}");
    s.set_send_buffer_size(32768).unwrap();
    let got = s.send_buffer_size().unwrap();
    assert_eq!(
        got,
        getint(s.as_raw_fd(), libc::SOL_SOCKET, libc::SO_SNDBUF) as usize
    );
    assert!(got >= 32768, "{got}");
}

#[test]
fn ttl_and_only_v6_read_back() {
    let s = tcp();
    s.set_ttl(17).unwrap();
    assert_eq!(s.ttl().unwrap(), 17);
    assert_eq!(getint(s.as_raw_fd(), libc::IPPROTO_IP, libc::IP_TTL), 17);
    assert_eq!(s.set_ttl(0).unwrap_err().raw_os_error(), Some(libc::EINVAL));

    let s6 = Socket::new(Domain::IPV6, Type::STREAM, None).unwrap();
    s6.set_only_v6(true).unwrap();
    assert!(s6.only_v6().unwrap());
    assert_eq!(getint(s6.as_raw_fd(), libc::IPPROTO_IPV6, libc::IPV6_V6ONLY), 1);
    s6.set_only_v6(false).unwrap();
    assert!(!s6.only_v6().unwrap());
    let e = s.only_v6().unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EOPNOTSUPP));
}

#[test]
#[cfg(any(target_os = "linux", target_os = "android"))] // SO_BINDTODEVICE
fn bind_device_reads_back() {
    let s = tcp();
    assert_eq!(s.device().unwrap(), None);
    // SAFETY: no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    match s.bind_device(Some(b"lo")) {
        Ok(()) => {
            assert_eq!(s.device().unwrap().as_deref(), Some(&b"lo"[..]));
            s.bind_device(None).unwrap();
            assert_eq!(s.device().unwrap(), None);
        }
        // Binding needs CAP_NET_RAW on older kernels.
        Err(e) => assert!(!root && e.raw_os_error() == Some(libc::EPERM), "{e}"),
    }
    let e = s.bind_device(Some(b"no-such-if0")).unwrap_err();
    assert!(
        matches!(e.raw_os_error(), Some(libc::ENODEV | libc::EPERM)),
        "{e}"
    );
}

#[test]
fn timeouts_read_back_and_end_a_read() {
    let (c, _a) = pair(Domain::IPV4);
    assert_eq!(c.read_timeout().unwrap(), None);
    assert_eq!(c.write_timeout().unwrap(), None);
    c.set_write_timeout(Some(Duration::from_millis(1500))).unwrap();
    assert_eq!(c.write_timeout().unwrap(), Some(Duration::from_millis(1500)));
    c.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let got = c.read_timeout().unwrap().expect("a timeout");
    let mut tv = libc::timeval {
        tv_sec: 0,
        tv_usec: 0,
    };
    let mut len = std::mem::size_of::<libc::timeval>() as libc::socklen_t;
    // SAFETY: tv and len are valid for writes.
    let r = unsafe {
        libc::getsockopt(
            c.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            (&mut tv as *mut libc::timeval).cast(),
            &mut len,
        )
    };
    assert_eq!(r, 0);
    assert_eq!(got, Duration::new(tv.tv_sec as u64, tv.tv_usec as u32 * 1000));
    // The kernel keeps it in clock ticks: 50 ms reads back as 50 ms or up
    // to a tick more (52 ms at HZ=250).
    assert!(
        got >= Duration::from_millis(50) && got <= Duration::from_millis(60),
        "{got:?}"
    );

    // A 50 ms read timeout ends a blocking read with WouldBlock, after at
    // least 50 ms and well under a second.
    let mut buf = [0u8; 8];
    let start = Instant::now();
    let e = (&c).read(&mut buf).unwrap_err();
    let took = start.elapsed();
    assert!(
        matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{e}"
    );
    assert_eq!(e.raw_os_error(), Some(libc::EAGAIN));
    assert!(took >= Duration::from_millis(50), "{took:?}");
    assert!(took < Duration::from_millis(900), "{took:?}");

    let e = c.set_read_timeout(Some(Duration::ZERO)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    // Below a microsecond is still a timeout, not "none".
    c.set_read_timeout(Some(Duration::from_nanos(1))).unwrap();
    assert!(c.read_timeout().unwrap().is_some());
    c.set_read_timeout(None).unwrap();
    assert_eq!(c.read_timeout().unwrap(), None);
}

#[test]
fn connect_timeout_connects_refuses_and_stays_blocking() {
    for family in [Domain::IPV4, Domain::IPV6] {
        let (l, addr) = listener(family, SockOpts::empty());
        let s = Socket::new(family, Type::STREAM, None).unwrap();
        s.connect_timeout(&addr, Duration::from_secs(5)).unwrap();
        assert!(!s.nonblocking().unwrap(), "blocking again");
        assert_eq!(s.peer_addr().unwrap(), addr);
        drop(l);
        let s = Socket::new(family, Type::STREAM, None).unwrap();
        let e = s.connect_timeout(&addr, Duration::from_secs(5)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ConnectionRefused, "{e}");
        assert_eq!(e.raw_os_error(), Some(libc::ECONNREFUSED));
        assert!(!s.nonblocking().unwrap(), "blocking again after a failure");
    }
    let s = tcp();
    let e = s
        .connect_timeout(&"127.0.0.1:1".parse().unwrap(), Duration::ZERO)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

/// A listener with a full accept queue drops further SYNs: a black hole on
/// loopback, so connect_timeout runs out.
#[test]
fn connect_timeout_times_out_on_a_black_hole() {
    let l = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    l.listen_backlog(&loopback(Domain::IPV4), SockOpts::empty(), 0)
        .unwrap();
    let addr = l.local_addr().unwrap();
    // Fill the queue: connect without accepting until one hangs.
    let mut queued = Vec::new();
    let e = loop {
        let s = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        match s.connect_timeout(&addr, Duration::from_millis(100)) {
            Ok(()) => queued.push(s),
            Err(e) => break e,
        }
        assert!(
            queued.len() < 16,
            "a backlog of 0 took {} connections",
            queued.len()
        );
    };
    assert_eq!(e.kind(), ErrorKind::TimedOut, "{e}");
    assert_eq!(e.raw_os_error(), None);
    assert_eq!(e.reason(), Some(biosock::ffi::BIO_R_CONNECT_TIMEOUT as i32));
}

#[test]
fn datagram_round_trip_per_family() {
    for family in FAMILIES {
        let bind = |s: &Socket| s.bind(&loopback(family), SockOpts::empty()).unwrap();
        let a = Socket::new(family, Type::DGRAM, None).unwrap();
        let b = Socket::new(family, Type::DGRAM, None).unwrap();
        bind(&a);
        bind(&b);
        let (at, bt) = (a.local_addr().unwrap(), b.local_addr().unwrap());
        assert_eq!(b.send_to(b"hello", &at).unwrap(), 5);
        let mut buf = [0u8; 16];
        let (n, from) = a.peek_from(&mut buf).unwrap();
        assert_eq!((&buf[..n], &from), (&b"hello"[..], &bt), "{family:?}");
        let (n, from) = a.recv_from(&mut buf).unwrap();
        assert_eq!((&buf[..n], &from), (&b"hello"[..], &bt), "{family:?}");
        // Nothing left after the real receive: the peek did not consume.
        let e = a.recv_from_with_flags(&mut buf, libc::MSG_DONTWAIT).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::WouldBlock);
        // Connected datagrams: send/recv/peek.
        b.connect(&at, SockOpts::empty()).unwrap();
        assert_eq!(b.send(b"abc").unwrap(), 3);
        assert_eq!(a.peek(&mut buf).unwrap(), 3);
        assert_eq!(a.recv(&mut buf).unwrap(), 3);
        assert_eq!(&buf[..3], b"abc");
        assert_eq!(b.send_to_with_flags(b"z", &at, libc::MSG_DONTWAIT).unwrap(), 1);
        assert_eq!(a.recv_with_flags(&mut buf, 0).unwrap(), 1);
    }
}

#[test]
fn sends_never_raise_sigpipe() {
    // With SIGPIPE at its default action, a send to a closed peer would
    // kill the process; MSG_NOSIGNAL turns it into EPIPE.
    // SAFETY: restoring the default disposition of SIGPIPE for this test
    // binary (the Rust runtime sets it to ignored).
    let old = unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    for family in FAMILIES {
        let (c, a) = pair(family);
        drop(a);
        let mut e = None;
        for _ in 0..64 {
            if let Err(err) = c.send(&[0u8; 4096]) {
                e = Some(err);
                break;
            }
        }
        let e = e.expect("sending to a closed peer fails");
        assert!(
            matches!(e.raw_os_error(), Some(libc::EPIPE | libc::ECONNRESET)),
            "{family:?}: {e}"
        );
        let e = (&c).write(b"x").unwrap_err();
        assert!(
            matches!(e.raw_os_error(), Some(libc::EPIPE | libc::ECONNRESET)),
            "{family:?}: {e}"
        );
    }
    // SAFETY: putting back what was there.
    unsafe { libc::signal(libc::SIGPIPE, old) };
}

#[test]
fn listen_backlog_is_applied() {
    // Backlog 1: the kernel queues backlog + 1 connections, then drops
    // SYNs; count how many complete without accept.
    for (backlog, expect) in [(0, 1), (1, 2), (3, 4)] {
        let l = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        l.listen_backlog(&loopback(Domain::IPV4), SockOpts::empty(), backlog)
            .unwrap();
        let addr = l.local_addr().unwrap();
        let mut done = Vec::new();
        loop {
            let s = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
            match s.connect_timeout(&addr, Duration::from_millis(100)) {
                Ok(()) => done.push(s),
                Err(e) => {
                    assert_eq!(e.kind(), ErrorKind::TimedOut);
                    break;
                }
            }
            assert!(done.len() <= 16);
        }
        assert_eq!(done.len(), expect, "backlog {backlog}");
    }
}

/// `TFO` on both ends: the options read back, and data goes through.
/// (Linux's TFO: TCP_FASTOPEN_CONNECT. macOS and FreeBSD check a sysctl and
/// connect differently, as OpenSSL does; built there, not run here.)
#[test]
#[cfg(target_os = "linux")]
fn tcp_fast_open_sets_the_options_and_carries_data() {
    for family in [Domain::IPV4, Domain::IPV6] {
        let l = Socket::listen_on(loopback(family), SockOpts::TFO | SockOpts::REUSEADDR).unwrap();
        // The TFO queue is the listen backlog, SOMAXCONN as in OpenSSL.
        assert_eq!(
            getint(l.as_raw_fd(), libc::IPPROTO_TCP, libc::TCP_FASTOPEN),
            libc::SOMAXCONN,
            "{family:?}"
        );
        let mut c = Socket::connect_to(l.local_addr().unwrap(), SockOpts::TFO).unwrap();
        assert_eq!(
            getint(c.as_raw_fd(), libc::IPPROTO_TCP, libc::TCP_FASTOPEN_CONNECT),
            1
        );
        c.write_all(b"fast open").unwrap();
        let (mut a, _) = l.accept(SockOpts::empty()).unwrap();
        let mut buf = [0u8; 9];
        a.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"fast open");
    }
    // A Unix listener fails after listening, as OpenSSL's does.
    let e = Socket::listen_on(unix_path("tfo").as_path(), SockOpts::TFO).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EOPNOTSUPP));
    assert_eq!(e.reason(), Some(biosock::ffi::BIO_R_UNABLE_TO_TFO as i32));
    assert_eq!(e.entries()[0].data(), "calling setsockopt()");
}
