//! The methods beside the `BIO_*` calls, in the order of `src/socket/`:
//! state (peer_addr, try_clone, shutdown, nonblocking, wait), socket
//! options (one generated test per row of the option table, then what the
//! table cannot say), timeouts, then datagram and flagged I/O. Each reads
//! the state back with getsockopt/fcntl or a real round trip.
// Unix: getsockopt/fcntl read-backs with libc. tests/portable.rs is the suite every platform runs.
#![cfg(unix)]

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::Shutdown;
use std::os::fd::AsRawFd;
use std::time::Duration;

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
    // The events (how long it waits is the benches' to measure): nothing
    // to read, so the time runs out.
    assert!(!u.wait(Interest::Read, Duration::from_millis(30)).unwrap());
    // Under a millisecond still waits (rounded up), and returns.
    assert!(!u.wait(Interest::Read, Duration::from_micros(10)).unwrap());
    u.send_to(b"!", &u.local_addr().unwrap()).unwrap();
    assert!(u.wait(Interest::Read, Duration::from_millis(500)).unwrap());
}

/// Every row of the option table (src/socket/option_table.rs) as a test:
/// set the row's value on each socket kind it names, read it back with the
/// getter, and compare with a raw `getsockopt` made here with libc's own
/// constants and structs (so the library's constants and conversions are
/// checked, not trusted).
mod table {
    use super::*;
    use std::net::Ipv4Addr;
    use std::time::Duration;

    /// libc's names, with the keepalive idle time under Linux's name.
    #[allow(unused_imports)]
    mod names {
        #[cfg(target_vendor = "apple")]
        pub use libc::TCP_KEEPALIVE as TCP_KEEPIDLE;
        pub use libc::*;
    }

    /// A socket of each kind the table names.
    #[allow(non_snake_case)]
    mod kind_of {
        use biosock::{Domain, Socket, Type};
        fn new(d: Domain, t: Type) -> Socket {
            Socket::new(d, t, None).unwrap()
        }
        pub fn tcp4() -> Socket {
            new(Domain::IPV4, Type::STREAM)
        }
        pub fn tcp6() -> Socket {
            new(Domain::IPV6, Type::STREAM)
        }
        pub fn udp4() -> Socket {
            new(Domain::IPV4, Type::DGRAM)
        }
        pub fn udp6() -> Socket {
            new(Domain::IPV6, Type::DGRAM)
        }
        pub fn unix_stream() -> Socket {
            new(Domain::UNIX, Type::STREAM)
        }
        pub fn unix_dgram() -> Socket {
            new(Domain::UNIX, Type::DGRAM)
        }
    }

    /// The raw value of `level`/`name` read with libc, in the getter's type.
    #[allow(non_snake_case)]
    mod raw {
        use super::*;

        fn get<T: Copy>(fd: i32, level: i32, name: i32) -> (T, usize) {
            let mut v = std::mem::MaybeUninit::<T>::zeroed();
            let mut len = std::mem::size_of::<T>() as libc::socklen_t;
            // SAFETY: v is writable for len bytes.
            let r = unsafe { libc::getsockopt(fd, level, name, v.as_mut_ptr().cast(), &mut len) };
            assert_eq!(r, 0, "getsockopt: {}", std::io::Error::last_os_error());
            // SAFETY: plain data, zeroed, written by the kernel.
            (unsafe { v.assume_init() }, len as usize)
        }
        pub fn Flag(fd: i32, level: i32, name: i32) -> bool {
            getint(fd, level, name) != 0
        }
        pub fn Count(fd: i32, level: i32, name: i32) -> u32 {
            getint(fd, level, name) as u32
        }
        pub fn Size(fd: i32, level: i32, name: i32) -> usize {
            getint(fd, level, name) as usize
        }
        pub fn Secs(fd: i32, level: i32, name: i32) -> Duration {
            Duration::from_secs(getint(fd, level, name) as u64)
        }
        pub fn Linger(fd: i32, level: i32, name: i32) -> Option<Duration> {
            let (l, _) = get::<libc::linger>(fd, level, name);
            (l.l_onoff != 0).then(|| Duration::from_secs(l.l_linger as u64))
        }
        pub fn Timeout(fd: i32, level: i32, name: i32) -> Option<Duration> {
            let (tv, _) = get::<libc::timeval>(fd, level, name);
            let t = Duration::new(tv.tv_sec as u64, tv.tv_usec as u32 * 1000);
            (!t.is_zero()).then_some(t)
        }
        #[cfg(any(target_os = "linux", target_os = "android"))]
        pub fn Name(fd: i32, level: i32, name: i32) -> Option<Vec<u8>> {
            let v = Text(fd, level, name);
            (!v.is_empty()).then_some(v)
        }
        #[cfg(any(target_os = "linux", target_os = "android"))]
        pub fn Text(fd: i32, level: i32, name: i32) -> Vec<u8> {
            let (buf, len) = get::<[u8; 16]>(fd, level, name);
            buf[..len].iter().copied().take_while(|&b| b != 0).collect()
        }
        #[cfg(any(target_os = "linux", target_os = "android"))]
        pub fn Millis(fd: i32, level: i32, name: i32) -> Option<Duration> {
            let ms = getint(fd, level, name);
            (ms > 0).then(|| Duration::from_millis(ms as u64))
        }
        pub fn Ipv4(fd: i32, level: i32, name: i32) -> std::net::Ipv4Addr {
            let (a, _) = get::<libc::in_addr>(fd, level, name);
            std::net::Ipv4Addr::from(u32::from_be(a.s_addr))
        }
    }

    macro_rules! socket_options {
        ($(
            $(#[doc = $doc:literal])*
            $(#[cfg($cfg:meta)])?
            $get:ident / $set:ident : $kind:ident($level:ident, $name:ident) $(via $via:ident)?
                test $($root:ident)? [$($fam:ident),+] $val:expr $(=> $back:expr)? $(, at_least $min:expr)?;
        )*) => {$(
            $(#[cfg($cfg)])?
            #[test]
            fn $get() {
                $(socket_options!(@$root);)?
                let check = |what: &str, got| {
                    socket_options!(@check what, got, $val $(=> $back)? $(, at_least $min)?)
                };
                $({
                    let s = kind_of::$fam();
                    let what = concat!(stringify!($set), " on ", stringify!($fam));
                    s.$set($val).unwrap_or_else(|e| panic!("{what}: {e}"));
                    let got = s.$get().unwrap_or_else(|e| panic!("{what}: {e}"));
                    let raw = raw::$kind(s.as_raw_fd(), names::$level, names::$name);
                    assert_eq!(got, raw, "{what}: the getter against getsockopt");
                    check(what, got);
                })+
            }
        )*};
        (@as_root) => {
            // SAFETY: no preconditions.
            if unsafe { libc::geteuid() } != 0 {
                eprintln!("needs CAP_NET_ADMIN (root): not run");
                return;
            }
        };
        (@check $what:ident, $got:ident, $val:expr) => {
            assert_eq!($got, $val, "{}: read back", $what)
        };
        (@check $what:ident, $got:ident, $val:expr => $back:expr) => {
            assert_eq!($got, $back, "{}: read back", $what)
        };
        (@check $what:ident, $got:ident, $val:expr, at_least $min:expr) => {
            assert!($got >= $min, "{}: read back {:?}", $what, $got)
        };
    }

    include!("../src/socket/option_table.rs");
}

/// What the table's read-backs do not show: the kernel's own range checks
/// come back as errors, the defaults read as off, and a TCP option on a
/// Unix socket is `Unsupported`.
#[test]
fn option_errors_and_defaults() {
    let s = tcp();
    assert!(!s.nodelay().unwrap());
    assert!(!s.keepalive().unwrap());
    assert_eq!(s.linger().unwrap(), None);
    assert!(!s.reuse_address().unwrap());
    assert!(!s.reuse_port().unwrap());
    let e = s.set_keepalive_time(Duration::ZERO).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
    assert_eq!(e.function(), "setsockopt(TCP_KEEPIDLE)");
    // Rounded up: 500 ms is 1 s, not the 0 the kernel refuses.
    s.set_keepalive_time(Duration::from_millis(500)).unwrap();
    assert_eq!(getint(s.as_raw_fd(), libc::IPPROTO_TCP, KEEPIDLE), 1);
    assert_eq!(s.set_ttl(0).unwrap_err().raw_os_error(), Some(libc::EINVAL));
    // Linger: zero resets on close, None turns it off.
    s.set_linger(Some(Duration::ZERO)).unwrap();
    assert_eq!(s.linger().unwrap(), Some(Duration::ZERO));
    s.set_linger(None).unwrap();
    assert_eq!(s.linger().unwrap(), None);

    let u = Socket::new(Domain::UNIX, Type::STREAM, None).unwrap();
    let e = u.nodelay().unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EOPNOTSUPP));
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert_eq!(e.function(), "getsockopt(TCP_NODELAY)");
    let e = u.set_nodelay(true).unwrap_err();
    assert_eq!(e.function(), "BIO_set_tcp_ndelay");
    let e = s.only_v6().unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EOPNOTSUPP));
    assert_eq!(e.function(), "getsockopt(IPV6_V6ONLY)");
}

/// `SO_REUSEPORT` for real: two sockets bound to one port.
#[test]
fn reuse_port_shares_a_port() {
    let s = tcp();
    s.set_reuse_port(true).unwrap();
    s.bind(&loopback(Domain::IPV4), SockOpts::empty()).unwrap();
    let at = s.local_addr().unwrap();
    let t = tcp();
    t.set_reuse_port(true).unwrap();
    t.bind(&at, SockOpts::empty()).unwrap();
    assert_eq!(t.local_addr().unwrap(), at);
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
    let e = (&c).read(&mut buf).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{e}"
    );
    assert_eq!(e.raw_os_error(), Some(libc::EAGAIN));

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
    let (_queued, e) = connect_until_error(|| {
        let s = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        s.connect_timeout(&addr, Duration::from_millis(100)).map(|()| s)
    });
    assert_timed_out(&e);
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

/// A datagram from an unbound Unix socket comes from an unnamed Unix
/// address, as std's `UnixDatagram::recv_from` says (Linux gives no address
/// at all: length 0), not from an unspecified one. A named sender still
/// reads as its path, and a TCP socket's `recv_from` stays unspecified.
#[test]
fn unnamed_unix_datagram_peer_is_unnamed() {
    let at = BioAddr::unix(unix_path("dgram")).unwrap();
    let a = Socket::new(Domain::UNIX, Type::DGRAM, None).unwrap();
    a.bind(&at, SockOpts::empty()).unwrap();
    let unbound = Socket::new(Domain::UNIX, Type::DGRAM, None).unwrap();
    unbound.send_to(b"anon", &at).unwrap();
    let mut buf = [0u8; 8];
    let (n, from) = a.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"anon");
    assert_eq!(from.family(), Domain::UNIX);
    assert_eq!((from.path(), from.abstract_name()), (None, None));
    assert_eq!(from.to_string(), "(unnamed)");
    // std agrees on the same kind of datagram.
    let std_a = std::os::unix::net::UnixDatagram::unbound().unwrap();
    std_a.send_to(b"std", at.path().unwrap()).unwrap();
    let (_, std_from) = std::os::unix::net::UnixDatagram::from(a.try_clone().unwrap())
        .recv_from(&mut buf)
        .unwrap();
    assert!(std_from.is_unnamed());
    assert_eq!(
        Socket::new(Domain::UNIX, Type::DGRAM, None)
            .unwrap()
            .domain()
            .unwrap(),
        Domain::UNIX
    );

    let (c, s) = pair(Domain::IPV4);
    c.send(b"x").unwrap();
    let (_, from) = s.recv_from(&mut buf).unwrap();
    assert_eq!(from.family(), Domain::UNSPEC);
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

/// `connect_timeout` to a Unix listener whose backlog is full waits for
/// room up to the timeout, then fails with `TimedOut` (errno ETIMEDOUT and
/// the timeout's entries), never with an early `EAGAIN`; with room again,
/// it connects. `SO_SNDTIMEO` is as it was afterwards.
#[test]
fn connect_timeout_to_a_full_unix_backlog_times_out() {
    let at = BioAddr::unix(unix_path("full")).unwrap();
    let l = Socket::new(Domain::UNIX, Type::STREAM, None).unwrap();
    l.listen_backlog(&at, SockOpts::empty(), 0).unwrap();
    let (_queued, e) = connect_until_error(|| {
        let s = Socket::new(Domain::UNIX, Type::STREAM, None).unwrap();
        s.connect_timeout(&at, Duration::from_millis(50)).map(|()| s)
    });
    assert_timed_out(&e);
    // Room again: the next one connects, and its send timeout is untouched.
    drop(l.accept(SockOpts::empty()).unwrap());
    let s = Socket::new(Domain::UNIX, Type::STREAM, None).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(3))).unwrap();
    s.connect_timeout(&at, Duration::from_secs(5)).unwrap();
    assert_eq!(s.write_timeout().unwrap(), Some(Duration::from_secs(3)));
    assert_eq!(s.peer_addr().unwrap(), at);
}
