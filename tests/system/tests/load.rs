//! Load: 10,000 simultaneous connections accepted and echoed, with no error
//! and no fd left behind, in a private network namespace (root) where
//! `somaxconn`, `tcp_max_syn_backlog` and the local port range can be raised
//! without touching the host. Hence the `ci` feature. The server is this
//! test binary run again in the namespace, so that each side holds its
//! 10,000 fds under its own fd limit.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use biosock::{BioAddr, Domain, Interest, SockOpts, Socket, Type};
use biosock_system_tests::{private_net, set_sysctl};

const N: usize = 10_000;
const ROLE: &str = "BIOSOCK_LOAD_SERVER";

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// The fd limit up to its hard limit: 10,000 connections and some spare.
fn enough_fds() {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: lim is a valid rlimit for both calls.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim), 0);
        lim.rlim_cur = lim.rlim_max;
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &lim), 0);
    }
    assert!(
        lim.rlim_cur as usize > N + 64,
        "fd limit {} too low",
        lim.rlim_cur
    );
}

/// The server side: accept N connections as they come, echo 8 bytes on
/// each, close them all; report the fd count before and after.
fn serve() {
    enough_fds();
    let before = open_fds();
    let l = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    l.listen_backlog(&"127.0.0.1:0".parse().unwrap(), SockOpts::NONBLOCK, 16384)
        .unwrap();
    println!("port {}", l.local_addr().unwrap().port().unwrap());
    let mut accepted = Vec::with_capacity(N);
    while accepted.len() < N {
        assert!(
            l.wait(Interest::Read, Duration::from_secs(20)).unwrap(),
            "stalled at {}",
            accepted.len()
        );
        loop {
            match l.accept(SockOpts::empty()) {
                Ok((s, _)) => accepted.push(s),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) => panic!("accept {}: {e}", accepted.len()),
            }
        }
    }
    for mut a in &accepted {
        let mut buf = [0u8; 8];
        a.read_exact(&mut buf).unwrap();
        a.write_all(&buf).unwrap();
    }
    drop((accepted, l));
    println!("server fds {before} -> {}", open_fds());
}

#[test]
#[cfg_attr(
    not(feature = "ci"),
    ignore = "needs root (a private network namespace): cargo test --all-features"
)]
fn ten_thousand_connections_accepted_and_echoed() {
    if std::env::var_os(ROLE).is_some() {
        return serve();
    }
    private_net();
    set_sysctl("net/core/somaxconn", "16384");
    set_sysctl("net/ipv4/tcp_max_syn_backlog", "16384");
    set_sysctl("net/ipv4/ip_local_port_range", "10000 65000");
    enough_fds();
    // The server, in this thread's namespace (a child inherits it).
    let mut server = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "ten_thousand_connections_accepted_and_echoed",
            "--nocapture",
            "--include-ignored",
        ])
        .env(ROLE, "1")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines.next().expect("server output").unwrap();
        if let Some(p) = line.strip_prefix("port ") {
            break p.parse().unwrap();
        }
    };
    let at: BioAddr = format!("127.0.0.1:{port}").parse().unwrap();

    let before = open_fds();
    // 10,000 non-blocking connects, all in flight at once.
    let clients: Vec<Socket> = (0..N)
        .map(|_| Socket::connect_to(&at, SockOpts::NONBLOCK | SockOpts::NODELAY).unwrap())
        .collect();
    for (i, c) in clients.iter().enumerate() {
        assert!(
            c.wait(Interest::Write, Duration::from_secs(20)).unwrap(),
            "client {i}"
        );
        assert!(c.take_error().unwrap().is_none(), "client {i}");
        c.set_nonblocking(false).unwrap();
        (&*c).write_all(&(i as u64).to_le_bytes()).unwrap();
    }
    for (i, mut c) in clients.iter().enumerate() {
        let mut buf = [0u8; 8];
        c.read_exact(&mut buf).unwrap();
        assert_eq!(u64::from_le_bytes(buf), i as u64);
    }
    assert_eq!(open_fds(), before + N);
    drop(clients);
    assert_eq!(open_fds(), before, "client fds left behind");
    let report = lines
        .map(Result::unwrap)
        .find(|l| l.starts_with("server fds"))
        .expect("server report");
    assert!(server.wait().unwrap().success());
    let (b, a) = report["server fds ".len()..].split_once(" -> ").unwrap();
    assert_eq!(a, b, "server fds left behind: {report}");
    eprintln!("{N} connections accepted and echoed; client fds {before} -> {before}, {report}");
}
