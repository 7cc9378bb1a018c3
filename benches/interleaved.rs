//! Interleaved timings: the implementations take turns, batch by batch, so
//! that each ratio to raw syscalls comes from the same seconds of machine
//! time. On this noisy VM a whole criterion run of one implementation and
//! then the next can differ by 15–30% for identical syscalls; here every
//! round runs one batch of each implementation (in an order rotated from
//! round to round), the ratio to raw is taken within the round, and the
//! report gives the median ratio over the rounds with its 10th–90th
//! percentile spread.
//!
//! Groups: `cycle` (socket, connect with NODELAY, accept with the peer's
//! address, two closes) on IPv4, IPv6 and Unix sockets; `accept` of a
//! queued connection; and the failure paths where OpenSSL's error machinery
//! costs most: `refused` (socket, a refused connect, close, the error
//! cleared), `would-block` (accept on an empty non-blocking listener) and
//! `bad-family` (a socket of a family no system has).
//!
//! Run: `cargo bench -p biosock-benches --features openssl --bench interleaved`
//! (writes `target/interleaved.json` for `scripts/bench_report.py`).

use std::collections::BTreeMap;
use std::hint::black_box;
use std::mem::ManuallyDrop;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd};
use std::time::{Duration, Instant};

use biosock::{ffi, BioAddr, Domain, SockOpts, Socket, Type};
use biosock_benches::*;

/// Rounds per group, and operations per batch.
const ROUNDS: usize = 200;
const BATCH: usize = 100;
/// A family no system has.
const BAD_FAMILY: i32 = 12345;

/// One implementation's result: name, median ns per operation, median ratio
/// to raw, and the ratio's 10th and 90th percentiles.
type Row = (&'static str, f64, f64, f64, f64);

/// One implementation's batch: run `n` operations, return the time spent in
/// the timed part.
type Batch<'a> = Box<dyn FnMut(usize) -> Duration + 'a>;

fn timed(mut f: impl FnMut()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

fn cycle_batch<'a, P: Peer>(s: &'a Server) -> Batch<'a> {
    Box::new(move |n| {
        timed(|| {
            for _ in 0..n {
                let c = P::connect(s);
                let a = P::accept(s);
                linger0(c.as_raw_fd());
                assert_eq!(P::close_accepted(a) + P::close_client(c), 2);
            }
        })
    })
}

fn accept_batch<'a, P: Peer>(s: &'a Server) -> Batch<'a> {
    Box::new(move |n| {
        let clients: Vec<_> = (0..n)
            .map(|_| {
                let c = Raw::connect(s);
                linger0(c.0);
                c
            })
            .collect();
        let mut accepted = Vec::with_capacity(n);
        let t = timed(|| accepted.extend((0..n).map(|_| P::accept(s))));
        let closed: i32 = accepted.into_iter().map(P::close_accepted).sum();
        let closed = closed + clients.into_iter().map(Raw::close_client).sum::<i32>();
        assert_eq!(closed as usize, 2 * n);
        t
    })
}

/// The implementations of one group, by name, in report order.
fn socket_group<'a>(s: &'a Server, accept: bool) -> Vec<(&'static str, Batch<'a>)> {
    macro_rules! each {
        ($($p:ty),*) => {
            vec![$((<$p>::NAME, if accept { accept_batch::<$p>(s) } else { cycle_batch::<$p>(s) })),*]
        };
    }
    #[allow(unused_mut)]
    let mut v = each!(Raw, BiosockC, BiosockRust, Std, Socket2);
    #[cfg(feature = "openssl")]
    v.push((
        OpenSsl::NAME,
        if accept {
            accept_batch::<OpenSsl>(s)
        } else {
            cycle_batch::<OpenSsl>(s)
        },
    ));
    v
}

fn fail_batch<'a>(mut op: impl FnMut() + 'a) -> Batch<'a> {
    Box::new(move |n| {
        timed(|| {
            for _ in 0..n {
                op()
            }
        })
    })
}

fn errno() -> i32 {
    // SAFETY: this thread's errno.
    unsafe { *libc::__errno_location() }
}

/// `refused`: socket, connect to a bound port that does not listen, close;
/// the C implementations clear their error queue as a caller would.
fn refused_group(to: &BioAddr) -> Vec<(&'static str, Batch<'_>)> {
    let ip = SocketAddr::try_from(to).unwrap();
    let sock2 = socket2::SockAddr::from(ip);
    #[allow(unused_mut)]
    let mut v: Vec<(&'static str, Batch<'_>)> = vec![
        (
            Raw::NAME,
            fail_batch(move || {
                let (sa, len) = to.as_sockaddr();
                // SAFETY: plain syscalls on a fresh fd.
                unsafe {
                    let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0);
                    assert_eq!((libc::connect(fd, sa, len), errno()), (-1, libc::ECONNREFUSED));
                    libc::close(fd);
                }
            }),
        ),
        (
            BiosockC::NAME,
            // SAFETY: a valid BIO_ADDR; the fd is closed.
            fail_batch(move || unsafe {
                let fd = ffi::BIO_socket(libc::AF_INET, libc::SOCK_STREAM, 0, 0);
                assert_eq!(ffi::BIO_connect(fd, to.as_ptr(), 0), 0);
                ffi::ERR_clear_error();
                ffi::BIO_closesocket(fd);
            }),
        ),
        (
            BiosockRust::NAME,
            fail_batch(move || {
                let e = Socket::connect_to(to, SockOpts::empty()).unwrap_err();
                assert_eq!(e.raw_os_error(), Some(libc::ECONNREFUSED));
            }),
        ),
        (
            Std::NAME,
            fail_batch(move || {
                let e = TcpStream::connect(ip).unwrap_err();
                assert_eq!(e.raw_os_error(), Some(libc::ECONNREFUSED));
            }),
        ),
        (
            Socket2::NAME,
            fail_batch(move || {
                let s = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
                assert_eq!(
                    s.connect(&sock2).unwrap_err().raw_os_error(),
                    Some(libc::ECONNREFUSED)
                );
            }),
        ),
    ];
    #[cfg(feature = "openssl")]
    {
        let ossl = openssl::ossl_addr(ip);
        v.push((
            OpenSsl::NAME,
            // SAFETY: a valid OpenSSL BIO_ADDR (leaked: lives for the run).
            fail_batch(move || unsafe {
                let fd = openssl::BIO_socket(libc::AF_INET, libc::SOCK_STREAM, 0, 0);
                assert_eq!(openssl::BIO_connect(fd, ossl, 0), 0);
                openssl::ERR_clear_error();
                openssl::BIO_closesocket(fd);
            }),
        ));
    }
    v
}

/// `would-block`: accept on an empty non-blocking listener.
fn would_block_group(l: &Socket) -> Vec<(&'static str, Batch<'_>)> {
    let fd = l.as_raw_fd();
    #[allow(unused_mut)]
    let mut v: Vec<(&'static str, Batch<'_>)> = vec![
        (
            Raw::NAME,
            // SAFETY: NULL address and length are allowed.
            fail_batch(move || unsafe {
                let r = libc::accept4(fd, std::ptr::null_mut(), std::ptr::null_mut(), libc::SOCK_CLOEXEC);
                assert_eq!((r, errno()), (-1, libc::EAGAIN));
            }),
        ),
        (
            BiosockC::NAME,
            // SAFETY: NULL peer is allowed.
            fail_batch(move || unsafe {
                assert_eq!(ffi::BIO_accept_ex(fd, std::ptr::null_mut(), 0), -1);
                ffi::ERR_clear_error();
            }),
        ),
        (
            BiosockRust::NAME,
            fail_batch(move || {
                let e = l.accept(SockOpts::empty()).unwrap_err();
                assert_eq!(e.raw_os_error(), Some(libc::EAGAIN));
            }),
        ),
        (Std::NAME, {
            // SAFETY: l owns the fd; ManuallyDrop never closes it.
            let t = ManuallyDrop::new(unsafe { TcpListener::from_raw_fd(fd) });
            fail_batch(move || assert!(black_box(t.accept()).is_err()))
        }),
        (Socket2::NAME, {
            // SAFETY: as above.
            let t = ManuallyDrop::new(unsafe { socket2::Socket::from_raw_fd(fd) });
            fail_batch(move || assert!(black_box(t.accept()).is_err()))
        }),
    ];
    #[cfg(feature = "openssl")]
    v.push((
        OpenSsl::NAME,
        // SAFETY: NULL peer is allowed.
        fail_batch(move || unsafe {
            assert_eq!(openssl::BIO_accept_ex(fd, std::ptr::null_mut(), 0), -1);
            openssl::ERR_clear_error();
        }),
    ));
    v
}

/// `bad-family`: a socket of a family no system has.
fn bad_family_group() -> Vec<(&'static str, Batch<'static>)> {
    #[allow(unused_mut)]
    let mut v: Vec<(&'static str, Batch<'static>)> = vec![
        (
            Raw::NAME,
            // SAFETY: plain integer arguments.
            fail_batch(|| unsafe {
                assert_eq!(
                    libc::socket(BAD_FAMILY, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0),
                    -1
                );
            }),
        ),
        (
            BiosockC::NAME,
            // SAFETY: plain integer arguments.
            fail_batch(|| unsafe {
                assert_eq!(ffi::BIO_socket(BAD_FAMILY, libc::SOCK_STREAM, 0, 0), -1);
                ffi::ERR_clear_error();
            }),
        ),
        (
            BiosockRust::NAME,
            fail_batch(|| {
                assert!(black_box(Socket::new(Domain::from_raw(BAD_FAMILY), Type::STREAM, None)).is_err())
            }),
        ),
        (
            Socket2::NAME,
            fail_batch(|| {
                let r = socket2::Socket::new(socket2::Domain::from(BAD_FAMILY), socket2::Type::STREAM, None);
                assert!(black_box(r).is_err())
            }),
        ),
    ];
    #[cfg(feature = "openssl")]
    v.push((
        OpenSsl::NAME,
        // SAFETY: plain integer arguments.
        fail_batch(|| unsafe {
            assert_eq!(openssl::BIO_socket(BAD_FAMILY, libc::SOCK_STREAM, 0, 0), -1);
            openssl::ERR_clear_error();
        }),
    ));
    v
}

/// `drain-N`: a non-blocking listener's backlog of `n` pending connections
/// (their clients already closed, so that 10,000 fit the fd limit) accepted
/// in one go; the time is per connection. The queue is checked empty after.
fn drain_group<'a>(s: &'a Server, n: usize) -> Vec<(&'static str, Batch<'a>)> {
    fn drain<'a, P: Peer>(s: &'a Server, n: usize) -> Batch<'a> {
        Box::new(move |_| {
            for _ in 0..n {
                let c = Raw::connect(s);
                assert_eq!(Raw::close_client(c), 1);
            }
            let mut accepted = Vec::with_capacity(n);
            let t = timed(|| accepted.extend((0..n).map(|_| P::accept(s))));
            // SAFETY: NULL address and length are allowed.
            let more = unsafe { libc::accept4(s.fd(), std::ptr::null_mut(), std::ptr::null_mut(), 0) };
            assert_eq!(
                (more, errno()),
                (-1, libc::EAGAIN),
                "the backlog held more than {n}"
            );
            let closed: i32 = accepted.into_iter().map(P::close_accepted).sum();
            assert_eq!(closed as usize, n);
            // run_group divides by BATCH: scale to a time per connection.
            t.mul_f64(BATCH as f64 / n as f64)
        })
    }
    #[allow(unused_mut)]
    let mut v: Vec<(&'static str, Batch<'a>)> = vec![
        (Raw::NAME, drain::<Raw>(s, n)),
        (BiosockC::NAME, drain::<BiosockC>(s, n)),
        (BiosockRust::NAME, drain::<BiosockRust>(s, n)),
        (Std::NAME, drain::<Std>(s, n)),
        (Socket2::NAME, drain::<Socket2>(s, n)),
    ];
    #[cfg(feature = "openssl")]
    v.push((OpenSsl::NAME, drain::<OpenSsl>(s, n)));
    v
}

/// A non-blocking IPv4 listener with a backlog of `backlog`, in place of
/// a new server's own.
fn drain_server(backlog: i32) -> Server {
    let mut s = Server::new(Domain::IPV4, &std::env::temp_dir());
    let l = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    l.listen_backlog(&"127.0.0.1:0".parse().unwrap(), SockOpts::NONBLOCK, backlog)
        .unwrap();
    let bio = l.local_addr().unwrap();
    let ip = SocketAddr::try_from(&bio).unwrap();
    #[cfg(feature = "openssl")]
    {
        // SAFETY: freed once, and replaced.
        unsafe { openssl::BIO_ADDR_free(s.target.ossl) };
        s.target.ossl = openssl::ossl_addr(ip);
    }
    s.target.ip = Some(ip);
    s.target.sock2 = socket2::SockAddr::from(ip);
    s.target.sa_len = bio.as_sockaddr().1;
    s.target.bio = bio;
    s.sock = l;
    s
}

/// The ratios of one group: per implementation, (median time per op in ns,
/// median ratio to raw, 10th and 90th percentile of that ratio).
fn run_group(name: &str, impls: Vec<(&'static str, Batch<'_>)>) -> Vec<Row> {
    run_group_rounds(name, impls, ROUNDS)
}

fn run_group_rounds(name: &str, mut impls: Vec<(&'static str, Batch<'_>)>, rounds: usize) -> Vec<Row> {
    // Warm-up: one batch each.
    for (_, f) in impls.iter_mut() {
        f(BATCH);
    }
    let k = impls.len();
    let mut times = vec![Vec::with_capacity(rounds); k];
    for round in 0..rounds {
        for j in 0..k {
            let i = (round + j) % k;
            times[i].push(impls[i].1(BATCH).as_secs_f64() * 1e9 / BATCH as f64);
        }
    }
    let pct = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[((v.len() - 1) as f64 * p).round() as usize]
    };
    let mut out = Vec::new();
    println!("{name}");
    for i in 0..k {
        let mut ratios: Vec<f64> = (0..rounds).map(|r| times[i][r] / times[0][r]).collect();
        let mut ns = times[i].clone();
        let (median_ns, median, p10, p90) = (
            pct(&mut ns, 0.5),
            pct(&mut ratios, 0.5),
            pct(&mut ratios, 0.1),
            pct(&mut ratios, 0.9),
        );
        println!(
            "  {:<20} {:>10.1} ns  {:>5.2}x raw  (p10 {:.2}, p90 {:.2})",
            impls[i].0, median_ns, median, p10, p90
        );
        out.push((impls[i].0, median_ns, median, p10, p90));
    }
    out
}

fn main() {
    let dir = std::env::temp_dir();
    let mut results: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for (family, tag) in [(Domain::IPV4, "v4"), (Domain::IPV6, "v6"), (Domain::UNIX, "unix")] {
        let s = Server::new(family, &dir);
        let name = format!("cycle-{tag}");
        results.insert(name.clone(), run_group(&name, socket_group(&s, false)));
        if family == Domain::IPV4 {
            results.insert("accept-v4".into(), run_group("accept-v4", socket_group(&s, true)));
        }
    }
    // A bound port that does not listen refuses.
    let holder = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    holder
        .bind(&"127.0.0.1:0".parse().unwrap(), SockOpts::empty())
        .unwrap();
    let to = holder.local_addr().unwrap();
    results.insert("refused-v4".into(), run_group("refused-v4", refused_group(&to)));
    let l = Socket::listen_on("127.0.0.1:0", SockOpts::NONBLOCK).unwrap();
    results.insert(
        "would-block".into(),
        run_group("would-block", would_block_group(&l)),
    );
    results.insert("bad-family".into(), run_group("bad-family", bad_family_group()));

    // Draining a backlog: 1,000 here (somaxconn is 4096), 10,000 in a
    // private network namespace whose somaxconn is raised (root only).
    let s = drain_server(1000);
    results.insert(
        "drain-1000".into(),
        run_group_rounds("drain-1000", drain_group(&s, 1000), 40),
    );
    drop(s);
    // SAFETY: no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        let rows = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    netns::private_net();
                    netns::set_sysctl("net/core/somaxconn", "16384");
                    let s = drain_server(16384);
                    run_group_rounds("drain-10000", drain_group(&s, 10_000), 4)
                })
                .join()
                .unwrap()
        });
        results.insert("drain-10000".into(), rows);
    } else {
        println!("drain-10000: not run: needs root (a private network namespace to raise somaxconn)");
    }

    let mut json = String::from("{\n");
    let n = results.len();
    for (gi, (group, rows)) in results.iter().enumerate() {
        json.push_str(&format!("  \"{group}\": {{"));
        for (i, (name, ns, median, p10, p90)) in rows.iter().enumerate() {
            json.push_str(&format!(
                "{}\"{name}\": {{\"ns\": {ns:.1}, \"ratio\": {median:.4}, \"p10\": {p10:.4}, \"p90\": {p90:.4}}}",
                if i == 0 { "" } else { ", " }
            ));
        }
        json.push_str(if gi + 1 < n { "},\n" } else { "}\n" });
    }
    json.push_str("}\n");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/interleaved.json");
    std::fs::write(&path, json).unwrap();
    println!("written to {}", path.display());
}
