//! What a thread of a Rust program costs in resident memory because the
//! program links biosock: 1,000 threads with 64 KiB stacks, each blocked
//! on a barrier, RSS growth per thread (/proc/self/statm: a count of
//! pages, not a time), for threads that never call biosock, threads whose
//! calls succeed (the crate's `thread_local!` state: two pointers), and
//! threads whose call failed (an error queue, allocated by the C library).
//! Each kind is measured in a fresh process (this test binary run again),
//! so that no thread reuses a stack or an arena another kind paid for.
// Linux: /proc/self/statm.
#![cfg(target_os = "linux")]

use std::process::Command;
use std::sync::Barrier;
use std::thread;

use biosock::{Domain, Socket, Type};

const THREADS: usize = 1000;
const KIND: &str = "BIOSOCK_THREAD_COST";

fn rss_kib() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: f64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    // SAFETY: no preconditions.
    pages * unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as f64 / 1024.0
}

/// KiB of RSS per thread while `THREADS` threads that ran `work` wait.
fn per_thread(work: fn()) -> f64 {
    let ready = Barrier::new(THREADS + 1);
    let done = Barrier::new(THREADS + 1);
    thread::scope(|scope| {
        let before = rss_kib();
        for _ in 0..THREADS {
            thread::Builder::new()
                .stack_size(64 * 1024)
                .spawn_scoped(scope, || {
                    work();
                    ready.wait();
                    done.wait();
                })
                .unwrap();
        }
        ready.wait();
        let grown = rss_kib() - before;
        done.wait();
        grown / THREADS as f64
    })
}

fn socket() -> biosock::Result<Socket> {
    Socket::new(Domain::IPV4, Type::STREAM, None)
}

fn bad_socket() -> biosock::Result<Socket> {
    Socket::new(Domain::from_raw(12345), Type::STREAM, None)
}

/// The measurement of one kind, in this process.
fn measure(kind: &str) -> f64 {
    // The library is in use in the process: the main thread's state.
    drop(bad_socket().unwrap_err());
    drop(socket().unwrap());
    match kind {
        "idle" => per_thread(|| ()),
        "calling" => per_thread(|| drop(socket().unwrap())),
        "failing" => per_thread(|| drop(bad_socket().unwrap_err())),
        "c-failing" => per_thread(|| {
            // SAFETY: plain integer arguments; a bad family fails cleanly.
            let fd = unsafe { biosock::ffi::BIO_socket(12345, 1, 0, 0) };
            assert_eq!(fd, -1);
        }),
        _ => panic!("unknown kind {kind}"),
    }
}

/// The measurement of one kind, in a fresh process.
fn measured(kind: &str) -> f64 {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "threads_pay_for_biosock_only_when_they_fail",
            "--nocapture",
        ])
        .env(KIND, kind)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{kind}: {text}");
    text.lines()
        .find_map(|l| l.strip_prefix("thread cost: "))
        .unwrap_or_else(|| panic!("{kind}: {text}"))
        .parse()
        .unwrap()
}

#[test]
fn threads_pay_for_biosock_only_when_they_fail() {
    if let Ok(kind) = std::env::var(KIND) {
        println!("thread cost: {:.2}", measure(&kind));
        return;
    }
    let [idle, calling, c_failing, failing] = ["idle", "calling", "c-failing", "failing"].map(measured);
    println!(
        "KiB per thread: never calls biosock {idle:.1}, calls it {calling:.1}, \
         after one error {c_failing:.1} (C call) / {failing:.1} (Socket::new)"
    );
    // A call that succeeds costs the C library's 16 bytes of TLS and
    // nothing on the heap: within a tenth of a page of an idle thread. The
    // first C error costs the C library's queue (848 bytes, one allocation:
    // under 1.5 KiB with malloc's share). A failed `Socket` call leaves
    // the C queue alone (the crate's entry points push nothing) and costs
    // its `Error` (one allocation, kept as the thread's spare) and its stack
    // (a debug build's frames: up to a page or so more).
    assert!(calling <= idle + 0.4, "{calling:.1} vs {idle:.1}");
    assert!(c_failing <= idle + 1.5, "{c_failing:.1} vs {idle:.1}");
    assert!(failing <= idle + 6.0, "{failing:.1} vs {idle:.1}");
}
