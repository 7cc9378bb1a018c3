//! Happy Eyeballs (`Socket::connect_happy`, and `connect_to` with several
//! addresses) against a real black hole, loopback only: in private mount
//! and network namespaces (this test thread's own), /etc/hosts names
//! `he.test` as two addresses; a listener on the first has a full accept
//! queue, so the kernel drops SYNs to it silently. Needs root, hence the
//! `ci` feature. In the system tests' crate, which owns the namespace helper
//! the time-to-connect comparison uses too (`cargo bench -p biosock-benches
//! --bench happy`).

use std::io::{ErrorKind, Write};
use std::time::Duration;

use biosock::{ffi, SockOpts, Socket};
use biosock_system_tests::he_test_black_hole_first;

const PORT: u16 = 4433;

/// The tests of this file one at a time: they count the process's fds.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
#[cfg_attr(
    not(feature = "ci"),
    ignore = "needs root (private namespaces): cargo test --features ci"
)]
fn races_past_a_black_hole() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (_first, second, _hole, _filler, good) = he_test_black_hole_first();
    let delay = Duration::from_millis(200);

    // The event, not the time (measured by `cargo bench --bench happy`): the
    // second address connects within the race's 10 s, which a sequential
    // connect, hanging on the black hole for TCP's whole timeout, cannot.
    let mut s = Socket::connect_happy(
        ("he.test", PORT),
        SockOpts::NODELAY,
        delay,
        Some(Duration::from_secs(10)),
    )
    .unwrap();
    assert_eq!(s.peer_addr().unwrap(), second);
    assert!(s.nodelay().unwrap() && !s.nonblocking().unwrap());
    s.write_all(b"hi").unwrap();
    let (_a, _) = good.accept(SockOpts::empty()).unwrap();

    // connect_to races too, with the default 250 ms delay.
    let s = Socket::connect_to("he.test:4433", SockOpts::NONBLOCK).unwrap();
    assert!(s.nonblocking().unwrap());
    assert!(s.take_error().unwrap().is_none());
    assert_eq!(s.peer_addr().unwrap(), second);
}

#[test]
#[cfg_attr(
    not(feature = "ci"),
    ignore = "needs root (private namespaces): cargo test --features ci"
)]
fn every_failed_attempt_is_reported() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (_first, _second, hole, filler, good) = he_test_black_hole_first();
    drop(good);
    let fds = std::fs::read_dir("/proc/self/fd").unwrap().count();

    // The second is refused, the first still hangs when 500 ms run out.
    let e = Socket::connect_happy(
        ("he.test", PORT),
        SockOpts::empty(),
        Duration::from_millis(100),
        Some(Duration::from_millis(500)),
    )
    .unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::ETIMEDOUT), "{e}");
    assert_eq!(e.kind(), ErrorKind::TimedOut);
    let pairs: Vec<(i32, i32)> = e.entries().iter().map(|x| (x.lib(), x.reason())).collect();
    let (sys, bio) = (ffi::ERR_LIB_SYS as i32, ffi::ERR_LIB_BIO as i32);
    assert_eq!(
        pairs,
        [
            (sys, libc::ECONNREFUSED),
            (bio, ffi::BIO_R_CONNECT_ERROR as i32),
            (sys, libc::ETIMEDOUT),
            (bio, ffi::BIO_R_CONNECT_TIMEOUT as i32),
        ]
    );

    // Both refused.
    drop((hole, filler));
    let e = Socket::connect_to("he.test:4433", SockOpts::empty()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ConnectionRefused);
    assert_eq!(e.entries().len(), 4, "{e}");
    // No fd left behind by the attempts (two closed above, none added).
    assert_eq!(std::fs::read_dir("/proc/self/fd").unwrap().count(), fds - 2);

    // Options the race cannot apply.
    let e = Socket::connect_happy(("he.test", PORT), SockOpts::TFO, Duration::ZERO, None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}
