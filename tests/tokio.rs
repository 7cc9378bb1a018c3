//! `biosock::tokio` (the `tokio` feature): async connect and accept on
//! IPv4, IPv6 and Unix sockets; Happy Eyeballs past a black hole on the
//! host's own loopback (a listener whose accept queue is full drops SYNs
//! silently, no root needed); cancel-safety counted in fds. Built with the
//! `tokio` feature only (`cargo test --features tokio`, or
//! `--all-features`).

#[cfg(feature = "tokio")]
mod common;

#[cfg(feature = "tokio")]
mod with_tokio {

    use std::time::Duration;

    use biosock::tokio::{connect, connect_happy, connect_unix, Listener};
    use biosock::{BioAddr, Domain, SockOpts, Socket, Type};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::common::{fd_lock, open_fds, refusing};

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    /// A black hole at 127.0.0.1:P (backlog 0, one connection queued: further
    /// SYNs are dropped) and a listener at [::1]:P; the two addresses, hole
    /// first.
    fn hole_then_good() -> (Vec<BioAddr>, Socket, Socket, Socket) {
        let hole = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        hole.listen_backlog(&"127.0.0.1:0".parse().unwrap(), SockOpts::empty(), 0)
            .unwrap();
        let at = hole.local_addr().unwrap();
        let filler = Socket::connect_to(&at, SockOpts::empty()).unwrap();
        let good_at: BioAddr = format!("[::1]:{}", at.port().unwrap()).parse().unwrap();
        let good = Socket::listen_on(&good_at, SockOpts::empty()).unwrap();
        (vec![at, good_at], hole, filler, good)
    }

    #[test]
    fn connect_and_accept_per_family() {
        let _one = fd_lock();
        rt().block_on(async {
            for at in ["127.0.0.1:0", "[::1]:0"] {
                let l = Listener::bind(at, SockOpts::REUSEADDR).unwrap();
                let addr = l.local_addr().unwrap();
                let mut c = connect(addr.clone(), SockOpts::NODELAY).await.unwrap();
                let (mut a, peer) = l.accept_tcp().await.unwrap();
                assert_eq!(peer.to_string(), c.local_addr().unwrap().to_string());
                assert!(c.nodelay().unwrap());
                c.write_all(b"ping").await.unwrap();
                let mut buf = [0; 4];
                a.read_exact(&mut buf).await.unwrap();
                assert_eq!(&buf, b"ping");
            }
            // A name with two addresses (localhost: ::1 and 127.0.0.1) races.
            let l = Listener::bind("127.0.0.1:0", SockOpts::empty()).unwrap();
            let port = l.local_addr().unwrap().port().unwrap();
            let c = connect(format!("localhost:{port}"), SockOpts::empty())
                .await
                .unwrap();
            assert_eq!(c.peer_addr().unwrap().port(), port);

            let dir = std::env::temp_dir().join(format!("biosock-async-{}.sock", std::process::id()));
            let _ = std::fs::remove_file(&dir);
            let l = Listener::bind(dir.clone(), SockOpts::empty()).unwrap();
            let mut c = connect_unix(dir.clone()).await.unwrap();
            let (mut a, _) = l.accept_unix().await.unwrap();
            c.write_all(b"unix").await.unwrap();
            let mut buf = [0; 4];
            a.read_exact(&mut buf).await.unwrap();
            assert_eq!(&buf, b"unix");
            std::fs::remove_file(&dir).unwrap();
        });
    }

    #[test]
    fn races_past_a_black_hole_on_loopback() {
        let _one = fd_lock();
        let (addrs, _hole, _filler, good) = hole_then_good();
        let delay = Duration::from_millis(100);
        rt().block_on(async {
            // The event: the second address wins while the black hole
            // hangs (the time is the benches' to measure).
            let c = connect_happy(
                addrs.clone(),
                SockOpts::empty(),
                delay,
                Some(Duration::from_secs(10)),
            )
            .await
            .unwrap();
            assert_eq!(c.peer_addr().unwrap().to_string(), addrs[1].to_string());
        });
        // The blocking API races the same list the same way.
        let s = Socket::connect_happy(
            addrs.clone(),
            SockOpts::empty(),
            delay,
            Some(Duration::from_secs(10)),
        )
        .unwrap();
        assert_eq!(s.peer_addr().unwrap(), addrs[1]);
        drop(good);
    }

    #[test]
    fn dropped_and_timed_out_connects_leave_no_fd() {
        let _one = fd_lock();
        let (addrs, _hole, _filler, good) = hole_then_good();
        drop(good);
        let hole_only = vec![addrs[0].clone()];
        let rt = rt();
        rt.block_on(async {
            let before = open_fds();
            // Dropped by a timeout while the attempt hangs.
            let r = tokio::time::timeout(
                Duration::from_millis(100),
                connect(hole_only.clone(), SockOpts::empty()),
            )
            .await;
            assert!(r.is_err(), "the black hole answered");
            // The aborted attempt's socket closes when its task is dropped.
            for _ in 0..1000 {
                if open_fds() == before {
                    break;
                }
                tokio::task::yield_now().await;
            }
            assert_eq!(open_fds(), before, "a dropped connect left its socket open");

            // connect_happy's own timeout.
            let e = connect_happy(
                hole_only.clone(),
                SockOpts::empty(),
                Duration::ZERO,
                Some(Duration::from_millis(100)),
            )
            .await
            .unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::TimedOut);
            for _ in 0..1000 {
                if open_fds() == before {
                    break;
                }
                tokio::task::yield_now().await;
            }
            assert_eq!(open_fds(), before);

            // Refused: the error.
            let e = connect(vec![addrs[1].clone()], SockOpts::empty())
                .await
                .unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::ConnectionRefused);
            // Options it cannot apply.
            let e = connect(addrs[1].clone(), SockOpts::REUSEADDR).await.unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
        });
    }

    /// A failed race names each address with its reason, as the sync one:
    /// the `io::Error` wraps the `biosock::Error` when several were tried.
    #[test]
    fn failed_race_names_each_address() {
        let _one = fd_lock();
        let ((_h4, v4), (_h6, v6)) = (refusing(Domain::IPV4), refusing(Domain::IPV6));
        let (_h4b, v4b) = refusing(Domain::IPV4);
        // Tried as v4, v6, v4b; reported in the order given, in both races.
        let given = vec![v4.clone(), v4b.clone(), v6.clone()];
        let sync = Socket::connect_happy(given.clone(), SockOpts::empty(), Duration::ZERO, None).unwrap_err();
        let reported: Vec<_> = sync.attempts().iter().map(|(a, _)| a.clone()).collect();
        assert_eq!(reported, given);
        rt().block_on(async {
            let e = connect_happy(given.clone(), SockOpts::empty(), Duration::ZERO, None)
                .await
                .unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::ConnectionRefused);
            assert_eq!(e.to_string(), sync.to_string());
            let inner = e
                .get_ref()
                .and_then(|e| e.downcast_ref::<biosock::Error>())
                .unwrap();
            assert_eq!(inner.attempts(), sync.attempts());
            // One address: the errno survives, as `?` keeps it.
            let e = connect(v4.clone(), SockOpts::empty()).await.unwrap_err();
            assert_eq!(e.raw_os_error(), Some(libc::ECONNREFUSED));
        });
        assert!(
            sync.to_string().starts_with("connect: 3 addresses failed: "),
            "{sync}"
        );
    }

    /// An empty address list is the sync answer: `InvalidInput`, "no
    /// address to connect to", from `connect` and `connect_happy` alike.
    #[test]
    fn empty_address_list_is_invalid_input_as_in_sync() {
        let _one = fd_lock();
        let sync = Socket::connect_happy(Vec::<BioAddr>::new(), SockOpts::empty(), Duration::ZERO, None)
            .unwrap_err();
        rt().block_on(async {
            let empty: Vec<BioAddr> = Vec::new();
            for e in [
                connect(empty.clone(), SockOpts::empty()).await.unwrap_err(),
                connect_happy(empty, SockOpts::empty(), Duration::ZERO, None)
                    .await
                    .unwrap_err(),
            ] {
                assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{e}");
                assert_eq!(e.to_string(), sync.to_string());
            }
        });
        assert!(sync.to_string().contains("no address to connect to"), "{sync}");
    }

    /// `Duration::MAX` as the timeout and the attempt delay: a connection,
    /// not a panic ("overflow when adding duration to instant").
    #[test]
    fn duration_max_does_not_panic() {
        let _one = fd_lock();
        rt().block_on(async {
            let l = Listener::bind("127.0.0.1:0", SockOpts::empty()).unwrap();
            let at = l.local_addr().unwrap();
            let s = connect_happy(at.clone(), SockOpts::empty(), Duration::MAX, Some(Duration::MAX))
                .await
                .unwrap();
            assert_eq!(BioAddr::from(s.peer_addr().unwrap()), at);
            drop(l.accept().await.unwrap());
        });
    }

    /// Poll a future to its end on this thread without any runtime (a
    /// no-op waker: the futures here finish at their first poll).
    fn poll_once<F: std::future::Future>(f: F) -> Option<F::Output> {
        let mut f = std::pin::pin!(f);
        use std::task::{RawWaker, RawWakerVTable, Waker};
        const VTABLE: RawWakerVTable = RawWakerVTable::new(|_| RAW, |_| {}, |_| {}, |_| {});
        const RAW: RawWaker = RawWaker::new(std::ptr::null(), &VTABLE);
        // SAFETY: every function of the vtable ignores the (null) data.
        let waker = unsafe { Waker::from_raw(RAW) };
        let mut cx = std::task::Context::from_waker(&waker);
        match f.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(v) => Some(v),
            std::task::Poll::Pending => None,
        }
    }

    fn tcp() -> Socket {
        Socket::new(Domain::IPV4, Type::STREAM, None).unwrap()
    }

    /// Outside any runtime: errors of kind `Other` that say so, no panic,
    /// no fd left open.
    #[test]
    fn no_runtime_is_an_error_not_a_panic() {
        let _one = fd_lock();
        let before = open_fds();
        let e = Listener::bind("127.0.0.1:0", SockOpts::empty()).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::Other, "{e}");
        assert!(e.to_string().contains("no tokio runtime"), "{e}");
        let e =
            Listener::from_socket(Socket::listen_on("127.0.0.1:0", SockOpts::empty()).unwrap()).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::Other, "{e}");
        for e in [
            biosock::tokio::tcp_stream(tcp()).unwrap_err(),
            biosock::tokio::tcp_listener(tcp()).unwrap_err(),
            biosock::tokio::udp_socket(Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap()).unwrap_err(),
        ] {
            assert_eq!(e.kind(), std::io::ErrorKind::Other, "{e}");
        }
        let e = poll_once(connect("127.0.0.1:1", SockOpts::empty()))
            .expect("ready at once")
            .unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::Other, "{e}");
        let at = BioAddr::unix_abstract(format!("biosock-no-rt-{}", std::process::id()).as_bytes()).unwrap();
        let l = Socket::listen_on(&at, SockOpts::empty()).unwrap();
        let e = poll_once(connect_unix(at)).expect("ready at once").unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::Other, "{e}");
        drop(l);
        assert_eq!(open_fds(), before, "the sockets made were closed");
    }

    /// A runtime built without I/O (timers only): `Unsupported`, tokio's
    /// words in the message, no panic, nothing left open.
    #[test]
    fn runtime_without_io_is_an_error_not_a_panic() {
        let _one = fd_lock();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let before = open_fds();
        rt.block_on(async {
            let e = Listener::bind("127.0.0.1:0", SockOpts::empty()).unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::Unsupported, "{e}");
            assert!(e.to_string().contains("IO is disabled"), "{e}");
            let e = biosock::tokio::tcp_stream(tcp()).unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::Unsupported, "{e}");
            let l = Socket::listen_on("127.0.0.1:0", SockOpts::empty()).unwrap();
            let e = connect(l.local_addr().unwrap(), SockOpts::empty())
                .await
                .unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::Unsupported, "{e}");
        });
        assert_eq!(open_fds(), before);
    }

    /// A runtime with I/O but no timers: the Happy Eyeballs timers are an
    /// error, not a panic; a listener works.
    #[test]
    fn runtime_without_timers_is_an_error_not_a_panic() {
        let _one = fd_lock();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        rt.block_on(async {
            let l = Listener::bind("127.0.0.1:0", SockOpts::empty()).unwrap();
            let e = connect_happy(l.local_addr().unwrap(), SockOpts::empty(), Duration::ZERO, None)
                .await
                .unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::Unsupported, "{e}");
            assert!(e.to_string().contains("timers are disabled"), "{e}");
        });
    }

    /// The multi-thread runtime, and a `Socket` made by hand (SO_REUSEPORT
    /// sharding) into a `Listener` and into tokio's types, non-blocking set
    /// for the caller.
    #[test]
    fn multi_thread_runtime_and_conversions() {
        let _one = fd_lock();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let first = tcp();
            first.set_reuse_port(true).unwrap();
            first
                .listen(&"127.0.0.1:0".parse().unwrap(), SockOpts::empty())
                .unwrap();
            assert!(!first.nonblocking().unwrap());
            let at = first.local_addr().unwrap();
            let second = tcp();
            second.set_reuse_port(true).unwrap();
            second.listen(&at, SockOpts::empty()).unwrap();
            let shards = [
                Listener::from_socket(first).unwrap(),
                Listener::from_socket(second).unwrap(),
            ];
            let mut client = connect(at.clone(), SockOpts::NODELAY).await.unwrap();
            client.write_all(b"x").await.unwrap();
            let (mut conn, _) = tokio::select! {
                a = shards[0].accept_tcp() => a.unwrap(),
                b = shards[1].accept_tcp() => b.unwrap(),
            };
            let mut b = [0u8; 1];
            conn.read_exact(&mut b).await.unwrap();
            // A blocking Socket becomes a tokio stream that works.
            let plain = Socket::connect_to(&at, SockOpts::empty()).unwrap();
            assert!(!plain.nonblocking().unwrap());
            let mut s = biosock::tokio::tcp_stream(plain).unwrap();
            s.write_all(b"y").await.unwrap();
        });
    }
}
