//! Heap allocations on the Rust side, counted by a global allocator: the hot
//! paths — `Socket::accept`, `Socket::connect` with an existing `BioAddr`,
//! `BioAddr` <-> `SocketAddr`, `Socket::new`, `local_addr`, drop — make none.
//! (The C side's allocations are checked under valgrind by the C suite.)
// Unix: the suites it shares with libc. tests/portable.rs is the suite every platform runs.
#![cfg(unix)]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::net::SocketAddr;

use biosock::{BioAddr, Domain, SockOpts, Socket, Type};
use common::{listener, FAMILIES};

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; the counters are plain
// thread-local cells with no destructors, so touching them never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        // SAFETY: the caller's layout contract is passed through.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: ptr came from System.alloc with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// How many allocations `f` makes on this thread.
fn allocations<R>(f: impl FnOnce() -> R) -> (usize, R) {
    COUNT.with(|c| c.set(0));
    COUNTING.with(|c| c.set(true));
    let r = f();
    COUNTING.with(|c| c.set(false));
    (COUNT.with(Cell::get), r)
}

#[test]
fn counter_sees_allocations() {
    // The counter itself works: a Vec with capacity allocates once.
    let (n, v) = allocations(|| Vec::<u8>::with_capacity(16));
    assert_eq!(n, 1);
    drop(v);
}

#[test]
fn hot_paths_allocate_nothing() {
    for family in FAMILIES {
        let (l, addr) = listener(family, SockOpts::empty());
        let opts = if family == Domain::UNIX {
            SockOpts::empty()
        } else {
            SockOpts::NODELAY
        };
        // Warm up once (thread-locals, lazy statics).
        let c = Socket::new(family, Type::STREAM, None).unwrap();
        c.connect(&addr, opts).unwrap();
        drop(l.accept(SockOpts::empty()).unwrap());
        drop(c);

        for _ in 0..100 {
            let (n, c) = allocations(|| {
                let c = Socket::new(family, Type::STREAM, None).unwrap();
                c.connect(&addr, opts).unwrap();
                c
            });
            assert_eq!(n, 0, "{family:?}: Socket::new + connect allocated");
            // connect_to with one address (a BioAddr, or a numeric string
            // for IP) does not allocate either.
            let (n, c2) = allocations(|| Socket::connect_to(&addr, opts).unwrap());
            assert_eq!(n, 0, "{family:?}: connect_to(&BioAddr) allocated");
            drop(l.accept(SockOpts::empty()).unwrap());
            drop(c2);
            if family != Domain::UNIX {
                let text = addr.to_string();
                let (n, c3) = allocations(|| Socket::connect_to(text.as_str(), opts).unwrap());
                assert_eq!(n, 0, "{family:?}: connect_to(\"{text}\") allocated");
                drop(l.accept(SockOpts::empty()).unwrap());
                drop(c3);
            }
            let (n, (a, peer)) = allocations(|| l.accept(SockOpts::empty()).unwrap());
            assert_eq!(n, 0, "{family:?}: accept allocated");
            let (n, local) = allocations(|| a.local_addr().unwrap());
            assert_eq!(n, 0, "{family:?}: local_addr allocated");
            let (n, ()) = allocations(|| {
                drop(a);
                drop(c);
            });
            assert_eq!(n, 0, "{family:?}: drop allocated");
            if family != Domain::UNIX {
                let (n, back) = allocations(|| {
                    let sa = SocketAddr::try_from(&peer).unwrap();
                    (BioAddr::from(sa), sa, peer.clone() == peer)
                });
                assert_eq!(n, 0, "{family:?}: conversions allocated");
                assert_eq!(back.0, peer);
                assert_eq!(back.1.ip(), local.ip().unwrap());
            }
        }
    }
}

/// An `Error` is one allocation that each thread recycles: a thread's first
/// error allocates it once, every error after that (dropped before the
/// next, as in a retry loop) allocates nothing.
#[test]
fn would_block_errors_allocate_nothing() {
    let (l, _) = listener(Domain::IPV4, SockOpts::NONBLOCK);
    std::thread::spawn(move || {
        let fail = || l.accept(SockOpts::empty()).map(|_| ()).unwrap_err().kind();
        let (n, r) = allocations(fail);
        assert_eq!(
            (n, r),
            (1, std::io::ErrorKind::WouldBlock),
            "a thread's first error"
        );
        for _ in 0..100 {
            let (n, r) = allocations(fail);
            assert_eq!((n, r), (0, std::io::ErrorKind::WouldBlock));
        }
        // Two alive at once: the second takes an allocation of its own.
        let (n, two) = allocations(|| {
            (
                l.accept(SockOpts::empty()).unwrap_err(),
                l.accept(SockOpts::empty()).unwrap_err(),
            )
        });
        assert_eq!(n, 1);
        drop(two);
        let (n, _) = allocations(fail);
        assert_eq!(n, 0);
    })
    .join()
    .unwrap();
}
