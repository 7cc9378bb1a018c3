//! The safe API on every platform, Windows (under wine) included: TCP over
//! 127.0.0.1 and ::1 through `Socket`, errors with the platform's own error
//! numbers read through `io::ErrorKind`, conversions to std's types. The
//! Unix-only suites (fd flags, Unix sockets, fork, rlimits) are the other
//! files of tests/.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

use biosock::{lookup, BioAddr, Domain, Interest, LookupType, SockOpts, Socket, Type};

const LOOPBACKS: [&str; 2] = ["127.0.0.1:0", "[::1]:0"];

#[test]
fn connect_accept_and_a_round_trip() {
    for at in LOOPBACKS {
        let l = Socket::listen_on(at, SockOpts::REUSEADDR).unwrap();
        let addr = l.local_addr().unwrap();
        assert_ne!(addr.port(), Some(0), "{at}");
        let mut c = Socket::connect_to(&addr, SockOpts::NODELAY).unwrap();
        assert!(c.nodelay().unwrap());
        let (mut a, peer) = l.accept(SockOpts::empty()).unwrap();
        assert_eq!(peer, c.local_addr().unwrap());
        assert_eq!(c.peer_addr().unwrap(), addr);
        c.write_all(b"ping").unwrap();
        let mut buf = [0u8; 4];
        a.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"ping");
        c.shutdown(Shutdown::Write).unwrap();
        assert_eq!(a.read(&mut buf).unwrap(), 0, "end of stream after shutdown");
    }
}

#[test]
fn new_then_connect_and_listen_like_c() {
    let l = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    l.listen(&"127.0.0.1:0".parse().unwrap(), SockOpts::empty())
        .unwrap();
    let to = l.local_addr().unwrap();
    let c = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    c.connect(&to, SockOpts::KEEPALIVE).unwrap();
    assert!(c.keepalive().unwrap());
    let (a, _) = l.accept(SockOpts::NONBLOCK).unwrap();
    a.close().unwrap();
    c.close().unwrap();
}

#[test]
fn refused_is_connection_refused_with_entries() {
    // A bound port that does not listen refuses.
    let holder = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    holder
        .bind(&"127.0.0.1:0".parse().unwrap(), SockOpts::empty())
        .unwrap();
    let to = holder.local_addr().unwrap();
    let e = Socket::connect_to(&to, SockOpts::empty()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ConnectionRefused, "{e}");
    let reasons: Vec<_> = e.entries().iter().map(|x| (x.is_system(), x.reason())).collect();
    assert_eq!(
        reasons,
        [
            (true, e.raw_os_error().unwrap()),
            (false, biosock::ffi::BIO_R_CONNECT_ERROR as i32)
        ]
    );
    // One line for a log: what and why; the alternate form adds the
    // function called and OpenSSL's entries.
    let errno = std::io::Error::from_raw_os_error(e.raw_os_error().unwrap());
    assert_eq!(e.to_string(), format!("connect {to}: {errno}"));
    assert_eq!(e.addr(), Some(&to));
    let full = format!("{e:#}");
    assert!(
        full.starts_with(&format!("connect {to}: {errno} [biosock_connect_fresh: error:")),
        "{full}"
    );
    assert!(full.contains("BIO routines::connect error"), "{full}");
    let io: std::io::Error = e.into();
    assert_eq!(io.kind(), ErrorKind::ConnectionRefused);
}

#[test]
fn would_block_and_in_progress() {
    let l = Socket::listen_on("127.0.0.1:0", SockOpts::NONBLOCK).unwrap();
    let e = l.accept(SockOpts::empty()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WouldBlock, "{e}");
    assert!(e.entries().is_empty(), "a retryable failure pushes nothing");
    // A non-blocking connect: done or in progress, then writable.
    let c = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    match c.connect(&l.local_addr().unwrap(), SockOpts::NONBLOCK) {
        Ok(()) => {}
        Err(e) => assert!(e.is_in_progress(), "{e:?}"),
    }
    assert!(c.wait(Interest::Write, Duration::from_secs(5)).unwrap());
    assert!(c.take_error().unwrap().is_none());
}

#[test]
fn bad_input_is_an_error_not_a_crash() {
    let e = Socket::new(Domain::from_raw(12345), Type::STREAM, None).unwrap_err();
    // std's kind for EAFNOSUPPORT, as after `?` (and socket2): errno tells.
    assert_eq!(
        e.kind(),
        std::io::Error::from_raw_os_error(e.raw_os_error().unwrap()).kind(),
        "{e}"
    );
    assert!(e.raw_os_error().is_some(), "{e}");
    let e = Socket::listen_on("127.0.0.1:99999", SockOpts::empty()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let e = "localhost:80".parse::<BioAddr>().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let s = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let e = s.accept(SockOpts::REUSEADDR).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[test]
fn lookups_and_addresses() {
    let all: Vec<_> = lookup(
        Some("::1"),
        Some("443"),
        LookupType::Client,
        Domain::UNSPEC,
        Type::STREAM,
    )
    .unwrap()
    .map(|r| r.addr)
    .collect();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].to_string(), "[::1]:443");
    assert_eq!(all[0].hostname_string(true).unwrap(), "::1");
    let v4: BioAddr = "127.0.0.1:80".parse().unwrap();
    let std_addr = SocketAddr::try_from(&v4).unwrap();
    assert_eq!(BioAddr::from(std_addr), v4);
    assert_eq!(v4.service_string(true).unwrap(), "80");
}

#[test]
fn options_and_timeouts_read_back() {
    let l = Socket::listen_on("127.0.0.1:0", SockOpts::empty()).unwrap();
    let c = Socket::connect_to(l.local_addr().unwrap(), SockOpts::empty()).unwrap();
    c.set_nodelay(true).unwrap();
    assert!(c.nodelay().unwrap());
    c.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    // Read back as the system keeps it (Linux rounds to its clock ticks).
    let t = c.read_timeout().unwrap().unwrap();
    assert!(
        t >= Duration::from_millis(50) && t < Duration::from_millis(100),
        "{t:?}"
    );
    let e = (&c).read(&mut [0u8; 1]).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{e}"
    );
    c.set_read_timeout(None).unwrap();
    assert_eq!(c.read_timeout().unwrap(), None);
    c.set_linger(Some(Duration::from_secs(1))).unwrap();
    assert_eq!(c.linger().unwrap(), Some(Duration::from_secs(1)));
    c.set_ttl(33).unwrap();
    assert_eq!(c.ttl().unwrap(), 33);
}

#[test]
fn std_conversions_and_clones() {
    let l = Socket::listen_on("127.0.0.1:0", SockOpts::empty()).unwrap();
    let c = Socket::connect_to(l.local_addr().unwrap(), SockOpts::empty()).unwrap();
    let twin = c.try_clone().unwrap();
    let mut std_stream: TcpStream = twin.into();
    let (a, _) = l.accept(SockOpts::empty()).unwrap();
    std_stream.write_all(b"via std").unwrap();
    let mut buf = [0u8; 7];
    (&a).read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"via std");
    let back = Socket::from(std_stream);
    assert_eq!(back.local_addr().unwrap(), c.local_addr().unwrap());
}

#[test]
fn happy_eyeballs_to_a_listener() {
    let l = Socket::listen_on("127.0.0.1:0", SockOpts::empty()).unwrap();
    let port = l.local_addr().unwrap().port().unwrap();
    let s = Socket::connect_happy(
        ("127.0.0.1", port),
        SockOpts::NODELAY,
        Duration::from_millis(100),
        Some(Duration::from_secs(5)),
    )
    .unwrap();
    assert_eq!(s.peer_addr().unwrap(), l.local_addr().unwrap());
}

#[test]
fn datagrams() {
    let a = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
    a.bind(&"127.0.0.1:0".parse().unwrap(), SockOpts::empty())
        .unwrap();
    let b = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
    b.bind(&"127.0.0.1:0".parse().unwrap(), SockOpts::empty())
        .unwrap();
    assert_eq!(a.send_to(b"hi", &b.local_addr().unwrap()).unwrap(), 2);
    let mut buf = [0u8; 8];
    let (n, from) = b.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"hi"[..], a.local_addr().unwrap()));
}
