//! The connect and accept paths through every implementation, side by side
//! in one run: raw syscalls (the floor), biosock's C API, biosock's
//! `Socket`, std::net, socket2 and, with `--features openssl`, OpenSSL's
//! libcrypto.
//!
//! Groups, each on IPv4, IPv6 and Unix sockets:
//! - `connect`: socket + connect (+ NODELAY on TCP) to a persistent
//!   listener; accepting and closing happen outside the timed part;
//! - `accept`: accept of an already queued connection, with the peer's
//!   address;
//! - `cycle`: socket, connect, accept, close, close, all timed.
//!
//! Loopback pitfalls: one listener per family, made outside timing with a
//! backlog of SOMAXCONN; `iter_custom` in batches of at most `BATCH`
//! connections, far below the backlog and the fd limit; client sockets
//! closed with `SO_LINGER {1, 0}` so that TIME_WAIT never piles up (in
//! `cycle` that setsockopt is timed, the same for every implementation). No
//! sysctl is changed.
//!
//! Run: `cargo bench --features openssl --bench sockets`.

use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use biosock::Domain;
use biosock_benches::*;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// Connections per timed batch: well under the backlog (4096) and the fd
/// limit.
const BATCH: u64 = 256;

/// Run `iters` iterations in batches: `setup` untimed, `timed` timed,
/// `teardown` untimed.
fn batched<S, T>(
    iters: u64,
    mut setup: impl FnMut(u64) -> S,
    mut timed: impl FnMut(S) -> T,
    mut teardown: impl FnMut(T),
) -> Duration {
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let n = left.min(BATCH);
        let state = setup(n);
        let start = Instant::now();
        let out = timed(state);
        total += start.elapsed();
        teardown(out);
        left -= n;
    }
    total
}

fn connect_one<P: Peer>(c: &mut Criterion, s: &Server, group: &str) {
    c.benchmark_group(group)
        .bench_function(BenchmarkId::from_parameter(P::NAME), |b| {
            b.iter_custom(|iters| {
                batched(
                    iters,
                    |n| n,
                    |n| (0..n).map(|_| P::connect(s)).collect::<Vec<_>>(),
                    |clients| {
                        for client in clients {
                            linger0(client.as_raw_fd());
                            assert_eq!(P::close_accepted(P::accept(s)) + P::close_client(client), 2);
                        }
                    },
                )
            })
        });
}

fn accept_one<P: Peer>(c: &mut Criterion, s: &Server, group: &str) {
    c.benchmark_group(group)
        .bench_function(BenchmarkId::from_parameter(P::NAME), |b| {
            b.iter_custom(|iters| {
                batched(
                    iters,
                    |n| {
                        (0..n)
                            .map(|_| {
                                let client = BiosockC::connect(s);
                                linger0(client.as_raw_fd());
                                client
                            })
                            .collect::<Vec<_>>()
                    },
                    |clients| {
                        let accepted: Vec<_> = clients.iter().map(|_| P::accept(s)).collect();
                        (clients, accepted)
                    },
                    |(clients, accepted)| {
                        let closed: i32 = accepted.into_iter().map(P::close_accepted).sum();
                        let n = clients.len() as i32;
                        let closed = closed + clients.into_iter().map(BiosockC::close_client).sum::<i32>();
                        assert_eq!(closed, 2 * n);
                    },
                )
            })
        });
}

fn cycle_one<P: Peer>(c: &mut Criterion, s: &Server, group: &str) {
    c.benchmark_group(group)
        .bench_function(BenchmarkId::from_parameter(P::NAME), |b| {
            b.iter(|| {
                let client = P::connect(s);
                let accepted = P::accept(s);
                linger0(client.as_raw_fd());
                assert_eq!(P::close_accepted(accepted) + P::close_client(client), 2);
            })
        });
}

macro_rules! for_each_peer {
    ($f:ident, $c:expr, $s:expr, $g:expr) => {{
        $f::<Raw>($c, $s, $g);
        $f::<BiosockC>($c, $s, $g);
        $f::<BiosockRust>($c, $s, $g);
        $f::<Std>($c, $s, $g);
        $f::<Socket2>($c, $s, $g);
        #[cfg(feature = "openssl")]
        $f::<OpenSsl>($c, $s, $g);
    }};
}

fn benches(c: &mut Criterion) {
    let dir = std::env::temp_dir();
    for (family, tag) in [(Domain::IPV4, "v4"), (Domain::IPV6, "v6"), (Domain::UNIX, "unix")] {
        let s = Server::new(family, &dir);
        for_each_peer!(connect_one, c, &s, &format!("connect-{tag}"));
        for_each_peer!(accept_one, c, &s, &format!("accept-{tag}"));
        for_each_peer!(cycle_one, c, &s, &format!("cycle-{tag}"));
    }
}

criterion_group! {
    name = sockets;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5))
        .sample_size(60);
    targets = benches
}
criterion_main!(sockets);
