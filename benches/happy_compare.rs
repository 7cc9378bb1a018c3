//! Time to connect to a name whose first address is black-holed (`he.test`:
//! ::1, whose listener's accept queue is full so SYNs are dropped, then
//! 127.0.0.1), in private namespaces (root): biosock's Happy Eyeballs
//! against std's `TcpStream::connect`, which tries the addresses one after
//! the other. TCP's SYN retries are lowered to 2 in the private namespace
//! (7 s before the first address fails) so the run stays short; with
//! BIOSOCK_DEFAULT_SYN_RETRIES=1 they stay at the kernel's default (6:
//! about 127 s).
//!
//! Run: `cargo bench -p biosock-benches --bench happy` (as root).

use std::net::TcpStream;
use std::time::{Duration, Instant};

use biosock::{SockOpts, Socket};
use biosock_system_tests::{he_test_black_hole_first, set_sysctl};

fn main() {
    // SAFETY: no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        println!("happy: not run: needs root (private mount and network namespaces)");
        return;
    }
    // First into the private namespaces: the sysctl below is theirs.
    let (first, second, _hole, _filler, good) = he_test_black_hole_first();
    let retries = if std::env::var_os("BIOSOCK_DEFAULT_SYN_RETRIES").is_some() {
        std::fs::read_to_string("/proc/sys/net/ipv4/tcp_syn_retries")
            .unwrap()
            .trim()
            .to_owned()
    } else {
        set_sysctl("net/ipv4/tcp_syn_retries", "2");
        "2".to_owned()
    };

    println!(
        "time to connect to he.test:4433 ({first} black-holed, then {second}), tcp_syn_retries={retries}"
    );
    println!("| client | time | connected to |");
    println!("|---|---:|---|");
    let row = |name: &str, connect: &mut dyn FnMut() -> std::io::Result<String>| {
        let start = Instant::now();
        let to = connect().unwrap_or_else(|e| format!("error: {e}"));
        println!("| {name} | {:.3} s | {to} |", start.elapsed().as_secs_f64());
        while good.wait(biosock::Interest::Read, Duration::ZERO).unwrap() {
            drop(good.accept(SockOpts::empty()).unwrap());
        }
    };
    row("biosock `Socket::connect_to` (250 ms attempt delay)", &mut || {
        Ok(Socket::connect_to("he.test:4433", SockOpts::empty())?
            .peer_addr()?
            .to_string())
    });
    row("biosock `Socket::connect_happy`, 100 ms delay", &mut || {
        let s = Socket::connect_happy(
            ("he.test", 4433),
            SockOpts::empty(),
            Duration::from_millis(100),
            None,
        )?;
        Ok(s.peer_addr()?.to_string())
    });
    row(
        "std `TcpStream::connect` (one address after the other)",
        &mut || Ok(TcpStream::connect("he.test:4433")?.peer_addr()?.to_string()),
    );

    // A 1 ms timeout against the black-holed address alone: how long the
    // failure takes (tests/reliability.rs asserts that it times out; this
    // shows it never takes less than the millisecond it was given).
    let ms = Duration::from_millis(1);
    let mut took: Vec<Duration> = (0..200)
        .map(|_| {
            let start = Instant::now();
            let e = Socket::connect_happy(&first, SockOpts::empty(), ms, Some(ms)).unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::TimedOut, "{e}");
            start.elapsed()
        })
        .collect();
    took.sort();
    println!(
        "\n`connect_happy` to {first} with a 1 ms timeout, 200 runs: min {:?}, median {:?}, max {:?}",
        took[0], took[100], took[199]
    );
}
