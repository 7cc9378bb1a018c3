//! Syscalls per operation, counted exactly with strace for each
//! implementation. The binary runs itself under `strace -f` with the
//! workload named in an environment variable; the workload is framed by two
//! marker syscalls (getppid, then getuid), and only the syscalls of the
//! marking thread between them count.
//!
//! Asserted: a biosock cycle (socket, connect with NODELAY, accept with the
//! peer's address, two closes) costs at most 7 syscalls, OpenSSL's 8, the
//! kernel floor 6; biosock's accept is exactly one syscall.

use std::collections::BTreeMap;
use std::process::Command;

use biosock::Domain;
use biosock_benches::*;

const CHILD: &str = "BIOSOCK_SYSCALL_CHILD";

fn begin() {
    // SAFETY: getppid has no preconditions.
    unsafe { libc::syscall(libc::SYS_getppid) };
}

fn end() {
    // SAFETY: getuid has no preconditions.
    unsafe { libc::syscall(libc::SYS_getuid) };
}

fn family(name: &str) -> Domain {
    match name {
        "v4" => Domain::IPV4,
        "v6" => Domain::IPV6,
        _ => Domain::UNIX,
    }
}

/// In the child: one warm-up, then the measured operation between markers.
fn workload<P: Peer>(what: &str, fam: &str) {
    let dir = std::env::temp_dir();
    let s = Server::new(family(fam), &dir);
    assert_eq!(cycle::<P>(&s), 2);
    match what {
        "cycle" => {
            begin();
            let closed = cycle::<P>(&s);
            end();
            assert_eq!(closed, 2);
        }
        "accept" => {
            let c = P::connect(&s);
            begin();
            let a = P::accept(&s);
            end();
            assert_eq!(P::close_accepted(a) + P::close_client(c), 2);
        }
        "connect" => {
            begin();
            let c = P::connect(&s);
            end();
            assert_eq!(P::close_accepted(P::accept(&s)) + P::close_client(c), 2);
        }
        "listen" => {
            let at: biosock::BioAddr = match fam {
                "v4" => "127.0.0.1:0".parse().unwrap(),
                _ => "[::1]:0".parse().unwrap(),
            };
            begin();
            let l = biosock::Socket::listen_on(&at, biosock::SockOpts::empty()).unwrap();
            end();
            drop(l);
        }
        _ => unreachable!(),
    }
}

fn run_child(spec: &str) {
    let mut parts = spec.split(':');
    let (peer, what, fam) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    match peer {
        "raw" => workload::<Raw>(what, fam),
        "biosock-c" => workload::<BiosockC>(what, fam),
        "biosock-rust" => workload::<BiosockRust>(what, fam),
        "biosock-rust-to" => workload::<BiosockRustConnectTo>(what, fam),
        "std" => workload::<Std>(what, fam),
        "socket2" => workload::<Socket2>(what, fam),
        #[cfg(feature = "openssl")]
        "openssl" => workload::<OpenSsl>(what, fam),
        _ => unreachable!("{peer}"),
    }
}

/// The syscall names the marking thread made between the markers.
fn count(spec: &str) -> Vec<String> {
    let log = std::env::temp_dir().join(format!(
        "biosock-strace-{}-{}.log",
        std::process::id(),
        spec.replace(':', "-")
    ));
    let status = Command::new("strace")
        .arg("-f")
        .arg("-o")
        .arg(&log)
        .arg(std::env::current_exe().unwrap())
        .env(CHILD, spec)
        .status()
        .expect("run strace (is it installed?)");
    assert!(status.success(), "{spec}: child failed");
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::remove_file(&log).unwrap();
    let mut tid = None;
    let mut calls = Vec::new();
    for line in text.lines() {
        let (pid, rest) = line.split_once(' ').unwrap();
        let rest = rest.trim_start();
        let name = rest.split('(').next().unwrap();
        match tid {
            None if name == "getppid" => tid = Some(pid.to_owned()),
            Some(ref t) if t == pid => {
                if name == "getuid" {
                    return calls;
                }
                if !rest.starts_with("<...") {
                    calls.push(name.to_owned());
                }
            }
            _ => {}
        }
    }
    panic!("{spec}: markers not found in the strace log");
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        run_child(&spec);
        return;
    }
    if !cfg!(feature = "ci") {
        biosock_benches::harness_report(
            "syscalls",
            Some("needs strace: cargo test --workspace --all-features (or --features biosock-benches/ci)"),
        );
        return;
    }
    let mut peers = vec![
        "raw",
        "biosock-c",
        "biosock-rust",
        "biosock-rust-to",
        "std",
        "socket2",
    ];
    if cfg!(feature = "openssl") {
        peers.push("openssl");
    }
    let mut counts = BTreeMap::new();
    let (mut passed, mut failed) = (0, 0);
    let mut check = |ok: bool, what: String| {
        if ok {
            passed += 1;
        } else {
            failed += 1;
            eprintln!("FAILED: {what}");
        }
    };
    println!(
        "{:<16} {:>6} {:>6} {:>6} {:>8}  calls in the v4 cycle",
        "syscalls", "cycle", "accept", "connect", "unix cyc"
    );
    for peer in &peers {
        let n = |what: &str, fam: &str| {
            let calls = count(&format!("{peer}:{what}:{fam}"));
            (calls.len(), calls.join(" "))
        };
        let (cycle, calls) = n("cycle", "v4");
        let (accept, _) = n("accept", "v4");
        let (connect, _) = n("connect", "v4");
        let (unix, _) = n("cycle", "unix");
        println!("{peer:<16} {cycle:>6} {accept:>6} {connect:>6} {unix:>8}  {calls}");
        counts.insert(*peer, (cycle, accept, connect, unix));
        let (cycle6, _) = n("cycle", "v6");
        check(
            cycle6 == cycle,
            format!("{peer}: v6 cycle {cycle6} != v4 cycle {cycle}"),
        );
    }
    check(
        counts["raw"].0 == 6,
        format!("raw cycle is the floor of 6: {:?}", counts["raw"]),
    );
    for peer in ["biosock-c", "biosock-rust"] {
        let (cycle, accept, connect, unix) = counts[peer];
        check(cycle <= 7, format!("{peer}: cycle {cycle} > 7"));
        check(accept == 1, format!("{peer}: accept {accept} != 1"));
        check(connect == 4, format!("{peer}: connect {connect} != 4"));
        check(unix <= 6, format!("{peer}: unix cycle {unix} > 6"));
    }
    // Socket::connect_to and listen_on make the socket themselves: the floor.
    let (cycle, _, connect, unix) = counts["biosock-rust-to"];
    check(
        cycle == 6,
        format!("biosock-rust-to: cycle {cycle} != 6 (the floor)"),
    );
    check(connect == 3, format!("biosock-rust-to: connect {connect} != 3"));
    check(unix == 5, format!("biosock-rust-to: unix cycle {unix} != 5"));
    for (fam, floor) in [("v4", 3), ("v6", 4)] {
        let calls = count(&format!("biosock-rust:listen:{fam}"));
        println!("Socket::listen_on {fam}: {} ({})", calls.len(), calls.join(" "));
        check(
            calls.len() == floor,
            format!("listen_on {fam}: {} syscalls != {floor}", calls.len()),
        );
    }
    if let Some(&(cycle, accept, ..)) = counts.get("openssl") {
        check(cycle == 8, format!("openssl: cycle {cycle} != 8"));
        check(accept == 2, format!("openssl: accept {accept} != 2"));
    }
    println!("syscalls: {passed} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
    biosock_benches::harness_report("syscalls", None);
}
