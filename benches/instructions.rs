//! Userspace instructions and heap allocations per operation, counted
//! exactly: the binary runs itself under `valgrind --tool=callgrind` once
//! per operation, with collection on only inside `biosock_instr_measured`,
//! which each iteration of the operation goes through (its setup does not).
//! Allocations are counted in the process itself, by a `malloc` that
//! counts while an operation runs and hands the call to glibc.
//!
//! Every row runs each implementation that has the operation: raw
//! syscalls, biosock's C API, biosock's `Socket`, std, socket2 and OpenSSL's
//! libcrypto (with the `openssl` feature). The table goes to stdout and to
//! `target/tmp/instructions.json` (for `scripts/bench_report.py`), and the
//! budgets below are asserted. Counts are those of optimized code: a debug
//! build says how to run it and asserts nothing.
//!
//! cargo test --release -p biosock-benches --features openssl,ci --test instructions

use std::collections::BTreeMap;
use std::ffi::c_void;
use std::io::Read;
use std::mem::ManuallyDrop;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

use biosock::{ffi, lookup, BioAddr, Domain, LookupType, SockOpts, Socket, Type};
use biosock_benches::*;

const CHILD: &str = "BIOSOCK_INSTR_CHILD";
/// Iterations counted per operation (after one that is not).
const ITERS: usize = 64;
/// A family no system has.
const BAD_FAMILY: i32 = 12345;

// ---------------------------------------------------------------------------
// Counting allocations: this binary's malloc, calloc and realloc count while
// an operation runs and pass the call to glibc's own.

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod count_malloc {
    use super::*;

    extern "C" {
        fn __libc_malloc(n: usize) -> *mut c_void;
        fn __libc_calloc(n: usize, size: usize) -> *mut c_void;
        fn __libc_realloc(p: *mut c_void, n: usize) -> *mut c_void;
    }

    fn counted() {
        if COUNTING.load(Relaxed) {
            ALLOCS.fetch_add(1, Relaxed);
        }
    }

    /// # Safety
    /// As `malloc(3)`.
    #[no_mangle]
    pub unsafe extern "C" fn malloc(n: usize) -> *mut c_void {
        counted();
        __libc_malloc(n)
    }

    /// # Safety
    /// As `calloc(3)`.
    #[no_mangle]
    pub unsafe extern "C" fn calloc(n: usize, size: usize) -> *mut c_void {
        counted();
        __libc_calloc(n, size)
    }

    /// # Safety
    /// As `realloc(3)`.
    #[no_mangle]
    pub unsafe extern "C" fn realloc(p: *mut c_void, n: usize) -> *mut c_void {
        counted();
        __libc_realloc(p, n)
    }
}

/// The one function whose instructions callgrind collects.
#[no_mangle]
#[inline(never)]
pub fn biosock_instr_measured(f: &mut dyn FnMut()) {
    f()
}

/// The same call, not collected: the warm-up iteration (its body differs,
/// so that the linker cannot fold the two functions into one symbol).
#[no_mangle]
#[inline(never)]
pub fn biosock_instr_warm_up(f: &mut dyn FnMut()) {
    std::hint::black_box(f)()
}

/// Run `f` as one iteration, measured (its allocations counted too) or the
/// warm-up. Both go through the one closure below, so `f` has one call site
/// whatever its size, and the compiler inlines it (or not) the same way for
/// every implementation.
fn measure<R>(counted: bool, f: impl FnOnce() -> R) -> R {
    let mut f = Some(f);
    let mut out = None;
    let mut body = || out = Some((f.take().unwrap())());
    if counted {
        COUNTING.store(true, Relaxed);
        biosock_instr_measured(&mut body);
        COUNTING.store(false, Relaxed);
    } else {
        biosock_instr_warm_up(&mut body);
    }
    out.unwrap()
}

// ---------------------------------------------------------------------------
// The operations: one row each, with the implementations that have it (in
// the table's column order) and how one implementation's child runs it.

/// The implementations, in the table's column order.
const IMPLS: [&str; 6] = ["raw", "biosock C", "biosock Socket", "std", "socket2", "OpenSSL"];
/// Those that have a socket type of their own, std aside.
const SOCKETS: &[&str] = &["raw", "biosock C", "biosock Socket", "socket2", "OpenSSL"];
/// The constructors that take an address (std's `connect`/`bind`).
const CONSTRUCTORS: &[&str] = &["raw", "biosock Socket", "std"];

struct Op {
    name: &'static str,
    imps: &'static [&'static str],
    /// Runs the operation of the named implementation, with an IPv4 server
    /// to use if it needs one.
    run: fn(imp: &str, s: &Server),
}

const OPS: &[Op] = &[
    Op {
        name: "cycle-v4",
        imps: &IMPLS,
        run: |imp, s| with_peer!(imp, P => run(|| (), |_| cycle::<P>(s), |_, closed| assert_eq!(closed, 2))),
    },
    Op {
        name: "connect-v4",
        imps: &IMPLS,
        run: |imp, s| with_peer!(imp, P => connect_op::<P>(s)),
    },
    Op {
        name: "accept-v4",
        imps: &IMPLS,
        run: |imp, s| with_peer!(imp, P => accept_op::<P>(s)),
    },
    Op {
        name: "new+close",
        imps: SOCKETS,
        run: |imp, _| new_close_op(imp),
    },
    Op {
        name: "local_addr",
        imps: &IMPLS,
        run: local_addr_op,
    },
    Op {
        name: "connect_to-v4",
        imps: CONSTRUCTORS,
        run: connect_to_op,
    },
    Op {
        name: "listen_on-v4",
        imps: CONSTRUCTORS,
        run: |imp, _| listen_op(imp),
    },
    Op {
        name: "refused",
        imps: SOCKETS,
        run: |imp, _| refused_op("refused", imp),
    },
    Op {
        name: "connect_to-refused",
        imps: CONSTRUCTORS,
        run: |imp, _| refused_op("connect_to-refused", imp),
    },
    Op {
        name: "in-progress",
        imps: SOCKETS,
        run: in_progress_op,
    },
    Op {
        name: "would-block",
        imps: &IMPLS,
        run: would_block_op,
    },
    Op {
        name: "reset",
        imps: &["raw", "biosock Socket", "std", "socket2"],
        run: reset_op,
    },
    Op {
        name: "bad-family",
        imps: SOCKETS,
        run: |imp, _| bad_family_op(imp),
    },
    Op {
        name: "lookup-bad-family",
        imps: &["biosock C", "biosock Socket", "OpenSSL"],
        run: |imp, _| lookup_bad_family_op(imp),
    },
    Op {
        name: "parse-v4",
        imps: &["biosock Socket", "std"],
        run: |imp, _| parse_op(imp, "127.0.0.1:443"),
    },
    Op {
        name: "parse-v6",
        imps: &["biosock Socket", "std"],
        run: |imp, _| parse_op(imp, "[::1]:443"),
    },
    Op {
        name: "to-SocketAddr",
        imps: &["biosock Socket", "socket2"],
        run: to_socket_addr_op,
    },
    Op {
        name: "from-SocketAddr",
        imps: &["biosock Socket", "socket2"],
        run: from_socket_addr_op,
    },
];

/// Run `$body` with the type `$P` naming the [`Peer`] called `$imp` in the
/// table.
macro_rules! with_peer {
    ($imp:expr, $P:ident => $body:expr) => {
        match $imp {
            "raw" => {
                type $P = Raw;
                $body
            }
            "biosock C" => {
                type $P = BiosockC;
                $body
            }
            "biosock Socket" => {
                type $P = BiosockRust;
                $body
            }
            "std" => {
                type $P = Std;
                $body
            }
            "socket2" => {
                type $P = Socket2;
                $body
            }
            #[cfg(feature = "openssl")]
            "OpenSSL" => {
                type $P = OpenSsl;
                $body
            }
            other => panic!("no peer {other}"),
        }
    };
}
use with_peer;

/// `setup` before each iteration (not counted), then `op` on what it made
/// (counted), then `check` on the result (not counted); one warm-up first.
fn run<S, R>(mut setup: impl FnMut() -> S, mut op: impl FnMut(&S) -> R, mut check: impl FnMut(S, R)) {
    for i in 0..=ITERS {
        let s = setup();
        let r = measure(i > 0, || op(&s));
        check(s, r);
    }
}

/// A raw TCP socket, blocking, close-on-exec.
fn raw_socket(family: i32) -> Fd {
    // SAFETY: plain integer arguments.
    let fd = unsafe { libc::socket(family, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0) };
    assert!(fd >= 0, "socket: {}", std::io::Error::last_os_error());
    Fd(fd)
}

fn close(fd: i32) {
    // SAFETY: the caller owns fd.
    unsafe { libc::close(fd) };
}

fn errno() -> i32 {
    // SAFETY: this thread's errno.
    unsafe { *libc::__errno_location() }
}

/// An address that refuses: a bound, non-listening port, kept bound.
struct Refusing {
    _holder: Fd,
    addr: BioAddr,
    ip: SocketAddr,
}

fn refusing() -> Refusing {
    let holder = raw_socket(libc::AF_INET);
    let any: BioAddr = "127.0.0.1:0".parse().unwrap();
    let (sa, len) = any.as_sockaddr();
    // SAFETY: sa/len describe a valid sockaddr_in.
    assert_eq!(unsafe { libc::bind(holder.0, sa, len) }, 0);
    // SAFETY: the fd is valid; ManuallyDrop keeps it open.
    let s = ManuallyDrop::new(unsafe { Socket::from_raw_fd(holder.0) });
    let addr = s.local_addr().unwrap();
    let ip = SocketAddr::try_from(&addr).unwrap();
    Refusing {
        _holder: holder,
        addr,
        ip,
    }
}

/// A connected client whose peer has reset the connection.
fn reset_client(s: &Server) -> Fd {
    let c = Raw::connect(s);
    let a = Raw::accept(s);
    linger0(a.0);
    close(a.0);
    c
}

/// Take and close the connection a client just made (or fail when there is
/// none, after the server's accept timeout).
fn accept_one(s: &Server) {
    assert_eq!(Raw::close_accepted(Raw::accept(s)), 1, "no connection to accept");
}

/// `BIO_ERR`-style queue clearing for each C implementation.
fn clear_c() {
    // SAFETY: touches only this thread's queue.
    unsafe { ffi::ERR_clear_error() }
}

#[cfg(feature = "openssl")]
fn clear_ossl() {
    // SAFETY: touches only this thread's queue.
    unsafe { openssl::ERR_clear_error() }
}

fn child(op: &str, imp: &str) {
    let s = Server::new(Domain::IPV4, &std::env::temp_dir());
    if op == "nothing" {
        return run(|| (), |_| (), |_, _| ());
    }
    let row = OPS
        .iter()
        .find(|o| o.name == op && o.imps.contains(&imp))
        .unwrap_or_else(|| panic!("no operation {op} for {imp}"));
    (row.run)(imp, &s)
}

fn connect_to_op(imp: &str, s: &Server) {
    let ip = s.target.ip.unwrap();
    let done = |c: Fd| {
        accept_one(s);
        close(c.0)
    };
    match imp {
        "raw" => run(|| (), |_| Raw::connect(s), |_, c| done(c)),
        "biosock Socket" => run(
            || (),
            |_| Socket::connect_to(ip, SockOpts::NODELAY).unwrap(),
            |_, c| done(Fd(c.into_raw_fd())),
        ),
        "std" => run(
            || (),
            |_| {
                let t = TcpStream::connect(ip).unwrap();
                t.set_nodelay(true).unwrap();
                t
            },
            |_, c| done(Fd(c.into_raw_fd())),
        ),
        _ => panic!("{imp}"),
    }
}

fn reset_op(imp: &str, s: &Server) {
    match imp {
        "raw" => run(
            || reset_client(s),
            |c| {
                let mut b = [0u8; 16];
                // SAFETY: b is writable for its length.
                let n = unsafe { libc::recv(c.0, b.as_mut_ptr().cast(), b.len(), 0) };
                if n < 0 {
                    errno()
                } else {
                    0
                }
            },
            |c, e| {
                assert_eq!(e, libc::ECONNRESET);
                close(c.0)
            },
        ),
        "biosock Socket" => run(
            // SAFETY: the fd is fresh and owned by the Socket from here.
            || unsafe { Socket::from_raw_fd(reset_client(s).0) },
            |c| c.recv(&mut [0u8; 16]).err().and_then(|e| e.raw_os_error()),
            |_, e| assert_eq!(e, Some(libc::ECONNRESET)),
        ),
        "std" => run(
            // SAFETY: as above.
            || unsafe { TcpStream::from_raw_fd(reset_client(s).0) },
            |c| (&*c).read(&mut [0u8; 16]).err().and_then(|e| e.raw_os_error()),
            |_, e| assert_eq!(e, Some(libc::ECONNRESET)),
        ),
        "socket2" => run(
            // SAFETY: as above.
            || unsafe { socket2::Socket::from_raw_fd(reset_client(s).0) },
            |c| {
                let mut b = [std::mem::MaybeUninit::new(0u8); 16];
                c.recv(&mut b).err().and_then(|e| e.raw_os_error())
            },
            |_, e| assert_eq!(e, Some(libc::ECONNRESET)),
        ),
        _ => panic!("{imp}"),
    }
}

fn parse_op(imp: &str, text: &str) {
    let text = std::hint::black_box(text);
    match imp {
        "biosock Socket" => run(|| (), |_| text.parse::<BioAddr>().is_ok(), |_, ok| assert!(ok)),
        "std" => run(|| (), |_| text.parse::<SocketAddr>().is_ok(), |_, ok| assert!(ok)),
        _ => panic!("{imp}"),
    }
}

fn to_socket_addr_op(imp: &str, s: &Server) {
    let ip = s.target.ip.unwrap();
    match imp {
        "biosock Socket" => {
            let a = s.target.bio.clone();
            run(
                || (),
                |_| std::hint::black_box(&a).as_socket(),
                |_, r| assert_eq!(r, Some(ip)),
            )
        }
        "socket2" => {
            let a = socket2::SockAddr::from(ip);
            run(
                || (),
                |_| std::hint::black_box(&a).as_socket(),
                |_, r| assert_eq!(r, Some(ip)),
            )
        }
        _ => panic!("{imp}"),
    }
}

fn from_socket_addr_op(imp: &str, s: &Server) {
    let ip = s.target.ip.unwrap();
    match imp {
        "biosock Socket" => run(
            || (),
            |_| BioAddr::from(std::hint::black_box(ip)),
            |_, a| assert_eq!(a, s.target.bio),
        ),
        "socket2" => run(
            || (),
            |_| socket2::SockAddr::from(std::hint::black_box(ip)),
            |_, a| assert_eq!(a.as_socket(), Some(ip)),
        ),
        _ => panic!("{imp}"),
    }
}

/// The client's socket + connect; the server's accept and the close after.
fn connect_op<P: Peer>(s: &Server) {
    run(
        || (),
        |_| P::connect(s),
        |_, c| {
            accept_one(s);
            assert_eq!(P::close_client(c), 1);
        },
    )
}

/// The accept of a connection a raw client made before.
fn accept_op<P: Peer>(s: &Server) {
    run(
        || Raw::connect(s),
        |_| P::accept(s),
        |c, a| assert_eq!(P::close_accepted(a) + Raw::close_client(c), 2),
    )
}

fn new_close_op(imp: &str) {
    match imp {
        "raw" => run(|| (), |_| close(raw_socket(libc::AF_INET).0), |_, _| ()),
        "biosock C" => run(
            || (),
            // SAFETY: plain integer arguments; the fd is closed at once.
            |_| unsafe {
                let fd = ffi::BIO_socket(libc::AF_INET, libc::SOCK_STREAM, 0, 0);
                ffi::BIO_closesocket(fd)
            },
            |_, r| assert_eq!(r, 1),
        ),
        "biosock Socket" => run(
            || (),
            |_| drop(Socket::new(Domain::IPV4, Type::STREAM, None).unwrap()),
            |_, _| (),
        ),
        "socket2" => run(
            || (),
            |_| drop(socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap()),
            |_, _| (),
        ),
        #[cfg(feature = "openssl")]
        "OpenSSL" => run(
            || (),
            // SAFETY: as for biosock C.
            |_| unsafe {
                let fd = openssl::BIO_socket(libc::AF_INET, libc::SOCK_STREAM, 0, 0);
                openssl::BIO_closesocket(fd)
            },
            |_, r| assert_eq!(r, 1),
        ),
        _ => panic!("{imp}"),
    }
}

fn local_addr_op(imp: &str, s: &Server) {
    let fd = s.fd();
    let port = s.target.ip.unwrap().port();
    match imp {
        "raw" => run(
            || (),
            |_| {
                // SAFETY: storage and len are valid for getsockname to write.
                unsafe {
                    let mut storage: libc::sockaddr_storage = std::mem::zeroed();
                    let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
                    let r =
                        libc::getsockname(fd, (&mut storage as *mut libc::sockaddr_storage).cast(), &mut len);
                    (
                        r,
                        (*(&storage as *const libc::sockaddr_storage).cast::<libc::sockaddr_in>()).sin_port,
                    )
                }
            },
            |_, (r, p)| assert_eq!((r, u16::from_be(p)), (0, port)),
        ),
        "biosock C" => {
            // As a C caller (and the OpenSSL row) does it: one address, reused.
            let mut a = BioAddr::unspecified();
            let mut info = ffi::BIO_sock_info_u { addr: a.as_mut_ptr() };
            run(
                || (),
                // SAFETY: info.addr points to a writable BIO_ADDR.
                |_| unsafe { ffi::BIO_sock_info(fd, ffi::BIO_SOCK_INFO_ADDRESS, &mut info) },
                |_, r| assert_eq!(r, 1),
            );
            assert_eq!(a.port(), Some(port));
        }
        // Each returns the port, as the C rows return a status: the address
        // itself is not moved out of the count.
        "biosock Socket" => run(
            || (),
            |_| s.sock.local_addr().unwrap().port(),
            |_, p| assert_eq!(p, Some(port)),
        ),
        "std" => {
            // SAFETY: the server owns the fd; ManuallyDrop never closes it.
            let l = ManuallyDrop::new(unsafe { TcpListener::from_raw_fd(fd) });
            run(
                || (),
                |_| l.local_addr().unwrap().port(),
                |_, p| assert_eq!(p, port),
            )
        }
        "socket2" => {
            // SAFETY: as above.
            let l = ManuallyDrop::new(unsafe { socket2::Socket::from_raw_fd(fd) });
            run(
                || (),
                |_| l.local_addr().unwrap().as_socket().map(|a| a.port()),
                |_, p| assert_eq!(p, Some(port)),
            )
        }
        #[cfg(feature = "openssl")]
        "OpenSSL" => {
            // SAFETY: BIO_ADDR_new has no preconditions.
            let mut a = unsafe { openssl::BIO_ADDR_new() };
            run(
                || (),
                // SAFETY: a is a valid OpenSSL BIO_ADDR.
                |_| unsafe { openssl::BIO_sock_info(fd, 0, &mut a) },
                |_, r| assert_eq!(r, 1),
            );
            // SAFETY: freed once.
            unsafe { openssl::BIO_ADDR_free(a) };
        }
        _ => panic!("{imp}"),
    }
}

fn listen_op(imp: &str) {
    let any: SocketAddr = "127.0.0.1:0".parse().unwrap();
    match imp {
        "raw" => run(
            || (),
            |_| {
                let fd = raw_socket(libc::AF_INET);
                let b = BioAddr::from(any);
                let (sa, len) = b.as_sockaddr();
                // SAFETY: sa/len describe a valid sockaddr_in.
                unsafe {
                    assert_eq!(libc::bind(fd.0, sa, len), 0);
                    assert_eq!(libc::listen(fd.0, libc::SOMAXCONN), 0);
                }
                fd
            },
            |_, fd| close(fd.0),
        ),
        "biosock Socket" => run(
            || (),
            |_| Socket::listen_on(any, SockOpts::empty()).unwrap(),
            |_, l| drop(l),
        ),
        _ => run(|| (), |_| TcpListener::bind(any).unwrap(), |_, l| drop(l)),
    }
}

fn refused_op(op: &str, imp: &str) {
    let r = refusing();
    let refused = libc::ECONNREFUSED;
    #[cfg(feature = "openssl")]
    let ossl = openssl::ossl_addr(r.ip);
    match (op, imp) {
        ("refused", "raw") => run(
            || raw_socket(libc::AF_INET),
            |c| {
                let (sa, len) = r.addr.as_sockaddr();
                // SAFETY: sa/len describe a valid sockaddr_in.
                let n = unsafe { libc::connect(c.0, sa, len) };
                (n, errno())
            },
            |c, (n, e)| {
                assert_eq!((n, e), (-1, refused));
                close(c.0)
            },
        ),
        ("refused", "biosock C") => run(
            || raw_socket(libc::AF_INET),
            |c| {
                // SAFETY: the address is a valid BIO_ADDR.
                let n = unsafe { ffi::BIO_connect(c.0, r.addr.as_ptr(), 0) };
                let e = errno();
                clear_c();
                (n, e)
            },
            |c, (n, e)| {
                assert_eq!((n, e), (0, refused));
                close(c.0)
            },
        ),
        ("refused", "biosock Socket") => run(
            || Socket::new(Domain::IPV4, Type::STREAM, None).unwrap(),
            |c| {
                c.connect(&r.addr, SockOpts::empty())
                    .err()
                    .and_then(|e| e.raw_os_error())
            },
            |_, e| assert_eq!(e, Some(refused)),
        ),
        ("refused", "socket2") => {
            let to = socket2::SockAddr::from(r.ip);
            run(
                || socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap(),
                |c| c.connect(&to).err().and_then(|e| e.raw_os_error()),
                |_, e| assert_eq!(e, Some(refused)),
            )
        }
        #[cfg(feature = "openssl")]
        ("refused", "OpenSSL") => run(
            || raw_socket(libc::AF_INET),
            |c| {
                // SAFETY: the address is a valid OpenSSL BIO_ADDR.
                let n = unsafe { openssl::BIO_connect(c.0, ossl, 0) };
                let e = errno();
                clear_ossl();
                (n, e)
            },
            |c, (n, e)| {
                assert_eq!((n, e), (0, refused));
                close(c.0)
            },
        ),
        ("connect_to-refused", "raw") => run(
            || (),
            |_| {
                let c = raw_socket(libc::AF_INET);
                let (sa, len) = r.addr.as_sockaddr();
                // SAFETY: sa/len describe a valid sockaddr_in.
                let n = unsafe { libc::connect(c.0, sa, len) };
                let e = errno();
                close(c.0);
                (n, e)
            },
            |_, (n, e)| assert_eq!((n, e), (-1, refused)),
        ),
        ("connect_to-refused", "biosock Socket") => run(
            || (),
            |_| {
                Socket::connect_to(r.ip, SockOpts::empty())
                    .err()
                    .and_then(|e| e.raw_os_error())
            },
            |_, e| assert_eq!(e, Some(refused)),
        ),
        ("connect_to-refused", "std") => run(
            || (),
            |_| TcpStream::connect(r.ip).err().and_then(|e| e.raw_os_error()),
            |_, e| assert_eq!(e, Some(refused)),
        ),
        _ => panic!("{op} {imp}"),
    }
    #[cfg(feature = "openssl")]
    // SAFETY: freed once.
    unsafe {
        openssl::BIO_ADDR_free(ossl)
    };
}

fn in_progress_op(imp: &str, s: &Server) {
    let inprogress = libc::EINPROGRESS;
    let nonblocking = || {
        // SAFETY: plain integer arguments.
        let fd = unsafe {
            libc::socket(
                libc::AF_INET,
                libc::SOCK_STREAM | libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK,
                0,
            )
        };
        assert!(fd >= 0);
        Fd(fd)
    };
    let done = |fd: i32| {
        accept_one(s);
        close(fd)
    };
    match imp {
        "raw" => run(
            nonblocking,
            |c| {
                let (sa, len) = s.target.bio.as_sockaddr();
                // SAFETY: sa/len describe a valid sockaddr_in.
                let n = unsafe { libc::connect(c.0, sa, len) };
                (n, errno())
            },
            |c, (n, e)| {
                assert_eq!((n, e), (-1, inprogress));
                done(c.0)
            },
        ),
        "biosock C" => run(
            || raw_socket(libc::AF_INET),
            |c| {
                // SAFETY: the address is a valid BIO_ADDR.
                let n = unsafe { ffi::BIO_connect(c.0, s.target.bio.as_ptr(), c_nonblock()) };
                let e = errno();
                clear_c();
                (n, e)
            },
            |c, (n, e)| {
                assert_eq!((n, e), (0, inprogress));
                done(c.0)
            },
        ),
        "biosock Socket" => run(
            || Socket::new(Domain::IPV4, Type::STREAM, None).unwrap(),
            |c| {
                c.connect(&s.target.bio, SockOpts::NONBLOCK)
                    .err()
                    .map(|e| e.is_in_progress())
            },
            |c, e| {
                assert_eq!(e, Some(true));
                done(c.into_raw_fd())
            },
        ),
        "socket2" => run(
            // SAFETY: the fd is fresh and owned by the socket from here.
            || unsafe { socket2::Socket::from_raw_fd(nonblocking().0) },
            |c| c.connect(&s.target.sock2).err().and_then(|e| e.raw_os_error()),
            |c, e| {
                assert_eq!(e, Some(inprogress));
                done(c.into_raw_fd())
            },
        ),
        #[cfg(feature = "openssl")]
        "OpenSSL" => run(
            || raw_socket(libc::AF_INET),
            |c| {
                // SAFETY: the address is a valid OpenSSL BIO_ADDR.
                let n = unsafe { openssl::BIO_connect(c.0, s.target.ossl, c_nonblock()) };
                let e = errno();
                clear_ossl();
                (n, e)
            },
            |c, (n, e)| {
                assert_eq!((n, e), (0, inprogress));
                done(c.0)
            },
        ),
        _ => panic!("{imp}"),
    }
}

fn c_nonblock() -> i32 {
    ffi::BIO_SOCK_NONBLOCK as i32
}

fn would_block_op(imp: &str, _s: &Server) {
    let l = Socket::listen_on("127.0.0.1:0", SockOpts::NONBLOCK).unwrap();
    let fd = l.as_raw_fd();
    let again = libc::EAGAIN;
    match imp {
        "raw" => run(
            || (),
            // SAFETY: NULL address and length are allowed.
            |_| unsafe {
                (
                    libc::accept4(fd, std::ptr::null_mut(), std::ptr::null_mut(), libc::SOCK_CLOEXEC),
                    errno(),
                )
            },
            |_, r| assert_eq!(r, (-1, again)),
        ),
        "biosock C" => run(
            || (),
            |_| {
                let mut peer = BioAddr::unspecified();
                // SAFETY: peer is a writable BIO_ADDR.
                let n = unsafe { ffi::BIO_accept_ex(fd, peer.as_mut_ptr(), 0) };
                let e = errno();
                clear_c();
                (n, e)
            },
            |_, r| assert_eq!(r, (-1, again)),
        ),
        "biosock Socket" => run(
            || (),
            |_| l.accept(SockOpts::empty()).err().and_then(|e| e.raw_os_error()),
            |_, e| assert_eq!(e, Some(again)),
        ),
        "std" => {
            // SAFETY: l owns the fd; ManuallyDrop never closes it.
            let t = ManuallyDrop::new(unsafe { TcpListener::from_raw_fd(fd) });
            run(
                || (),
                |_| t.accept().err().and_then(|e| e.raw_os_error()),
                |_, e| assert_eq!(e, Some(again)),
            )
        }
        "socket2" => {
            // SAFETY: as above.
            let t = ManuallyDrop::new(unsafe { socket2::Socket::from_raw_fd(fd) });
            run(
                || (),
                |_| t.accept().err().and_then(|e| e.raw_os_error()),
                |_, e| assert_eq!(e, Some(again)),
            )
        }
        #[cfg(feature = "openssl")]
        "OpenSSL" => run(
            || (),
            |_| {
                // SAFETY: the server's peer storage is a valid OpenSSL BIO_ADDR.
                let n = unsafe { openssl::BIO_accept_ex(fd, _s.peer_ossl(), 0) };
                let e = errno();
                clear_ossl();
                (n, e)
            },
            |_, r| assert_eq!(r, (-1, again)),
        ),
        _ => panic!("{imp}"),
    }
}

fn bad_family_op(imp: &str) {
    let unsupported = libc::EAFNOSUPPORT;
    match imp {
        "raw" => run(
            || (),
            // SAFETY: plain integer arguments.
            |_| unsafe {
                (
                    libc::socket(BAD_FAMILY, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0),
                    errno(),
                )
            },
            |_, r| assert_eq!(r, (-1, unsupported)),
        ),
        "biosock C" => run(
            || (),
            |_| {
                // SAFETY: plain integer arguments.
                let n = unsafe { ffi::BIO_socket(BAD_FAMILY, libc::SOCK_STREAM, 0, 0) };
                let e = errno();
                clear_c();
                (n, e)
            },
            |_, r| assert_eq!(r, (-1, unsupported)),
        ),
        "biosock Socket" => run(
            || (),
            |_| {
                Socket::new(Domain::from_raw(BAD_FAMILY), Type::STREAM, None)
                    .err()
                    .and_then(|e| e.raw_os_error())
            },
            |_, e| assert_eq!(e, Some(unsupported)),
        ),
        "socket2" => run(
            || (),
            |_| {
                socket2::Socket::new(socket2::Domain::from(BAD_FAMILY), socket2::Type::STREAM, None)
                    .err()
                    .and_then(|e| e.raw_os_error())
            },
            |_, e| assert_eq!(e, Some(unsupported)),
        ),
        #[cfg(feature = "openssl")]
        "OpenSSL" => run(
            || (),
            |_| {
                // SAFETY: plain integer arguments.
                let n = unsafe { openssl::BIO_socket(BAD_FAMILY, libc::SOCK_STREAM, 0, 0) };
                let e = errno();
                clear_ossl();
                (n, e)
            },
            |_, r| assert_eq!(r, (-1, unsupported)),
        ),
        _ => panic!("{imp}"),
    }
}

fn lookup_bad_family_op(imp: &str) {
    let host = c"127.0.0.1";
    let serv = c"443";
    match imp {
        "biosock C" => run(
            || (),
            |_| {
                let mut res = std::ptr::null_mut();
                // SAFETY: valid strings and out-pointer.
                let n = unsafe {
                    ffi::BIO_lookup_ex(
                        host.as_ptr(),
                        serv.as_ptr(),
                        ffi::BIO_LOOKUP_CLIENT as i32,
                        BAD_FAMILY,
                        libc::SOCK_STREAM,
                        0,
                        &mut res,
                    )
                };
                clear_c();
                n
            },
            |_, n| assert_eq!(n, 0),
        ),
        "biosock Socket" => run(
            || (),
            |_| {
                lookup(
                    Some("127.0.0.1"),
                    Some("443"),
                    LookupType::Client,
                    Domain::from_raw(BAD_FAMILY),
                    Type::STREAM,
                )
                .is_err()
            },
            |_, failed| assert!(failed),
        ),
        #[cfg(feature = "openssl")]
        "OpenSSL" => run(
            || (),
            |_| {
                let mut res = std::ptr::null_mut();
                // SAFETY: valid strings and out-pointer.
                let n = unsafe {
                    openssl::BIO_lookup_ex(
                        host.as_ptr(),
                        serv.as_ptr(),
                        0,
                        BAD_FAMILY,
                        libc::SOCK_STREAM,
                        0,
                        &mut res,
                    )
                };
                clear_ossl();
                n
            },
            |_, n| assert_eq!(n, 0),
        ),
        _ => panic!("{imp}"),
    }
}

// ---------------------------------------------------------------------------
// The parent: one callgrind run per row, the table, the budgets.

/// (instructions, allocations) per iteration, the measuring itself included.
fn count(op: &str, imp: &str) -> (u64, u64) {
    let out_file = std::env::temp_dir().join(format!(
        "biosock-callgrind-{}-{}-{}.out",
        std::process::id(),
        op,
        imp.replace(' ', "_")
    ));
    let out = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg("--collect-atstart=no")
        .arg("--toggle-collect=biosock_instr_measured")
        .arg(std::env::current_exe().unwrap())
        .env(CHILD, format!("{op}|{imp}"))
        .output()
        .expect("run valgrind (is it installed?)");
    assert!(
        out.status.success(),
        "{op} {imp}: child failed\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&out_file).unwrap();
    std::fs::remove_file(&out_file).unwrap();
    let ir: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("summary: ").or_else(|| l.strip_prefix("totals: ")))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{op} {imp}: no summary in callgrind's output"));
    let allocs: u64 = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("allocs "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{op} {imp}: no allocation count"));
    (ir / ITERS as u64, allocs / ITERS as u64)
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        let (op, imp) = spec.split_once('|').unwrap();
        child(op, imp);
        // The warm-up's allocations were not counted; every counted one was.
        println!("allocs {}", ALLOCS.load(Relaxed));
        return;
    }
    if cfg!(debug_assertions) {
        biosock_benches::harness_report(
            "instructions",
            Some(
                "counts are for optimized code: \
                 cargo test --release -p biosock-benches --features openssl,ci --test instructions",
            ),
        );
        return;
    }
    if !cfg!(all(feature = "ci", target_os = "linux", target_env = "gnu")) {
        biosock_benches::harness_report(
            "instructions",
            Some("needs valgrind (and glibc, for the allocation count): --features ci"),
        );
        return;
    }
    let rows: Vec<(&str, &str)> = std::iter::once(("nothing", "-"))
        .chain(OPS.iter().flat_map(|o| o.imps.iter().map(|&imp| (o.name, imp))))
        .filter(|&(_, imp)| cfg!(feature = "openssl") || imp != "OpenSSL")
        .collect();
    // Two callgrind runs at a time: this machine's two cores.
    let results: BTreeMap<(&str, &str), (u64, u64)> = std::thread::scope(|scope| {
        let chunks: Vec<_> = rows.chunks(rows.len().div_ceil(2)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|&(op, imp)| ((op, imp), count(op, imp)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let (base_ir, base_alloc) = results[&("nothing", "-")];
    let net: BTreeMap<(&str, &str), (u64, u64)> = results
        .iter()
        .filter(|(k, _)| k.0 != "nothing")
        .map(|(&k, &(ir, al))| (k, (ir.saturating_sub(base_ir), al - base_alloc)))
        .collect();
    report(&rows, &net);
    if !check_budgets(&net) {
        std::process::exit(1);
    }
    biosock_benches::harness_report("instructions", None);
}

fn report(rows: &[(&str, &str)], net: &BTreeMap<(&str, &str), (u64, u64)>) {
    let mut ops: Vec<&str> = Vec::new();
    for &(op, _) in rows {
        if op != "nothing" && !ops.contains(&op) {
            ops.push(op);
        }
    }
    println!(
        "instructions per operation (allocations in parentheses when not 0), callgrind, {ITERS} iterations"
    );
    print!("{:<20}", "operation");
    for imp in IMPLS {
        print!("{imp:>16}");
    }
    println!();
    let mut json = String::from("{\n");
    for (i, op) in ops.iter().enumerate() {
        print!("{op:<20}");
        json.push_str(&format!("  \"{op}\": {{"));
        let mut first = true;
        for imp in IMPLS {
            match net.get(&(*op, imp)) {
                Some(&(ir, al)) => {
                    let cell = if al > 0 {
                        format!("{ir} ({al})")
                    } else {
                        ir.to_string()
                    };
                    print!("{cell:>16}");
                    json.push_str(&format!(
                        "{}\"{imp}\": {{\"instructions\": {ir}, \"allocations\": {al}}}",
                        if first { "" } else { ", " }
                    ));
                    first = false;
                }
                None => print!("{:>16}", "–"),
            }
        }
        println!();
        json.push_str(if i + 1 < ops.len() { "},\n" } else { "}\n" });
    }
    json.push_str("}\n");
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("instructions.json");
    std::fs::write(&path, json).unwrap();
    println!("written to {}", path.display());
}

// ---------------------------------------------------------------------------
// The budgets: one row each. Where a target (issues 12 and 19) is met, it
// is the bound; where it is not yet, the bound is today's count plus a
// margin, so that a regression fails, and the line says how far the target
// is.

/// What a budget bounds: the instructions of its row, or those in percent
/// of another implementation's on the same operation.
enum Measure {
    Count,
    PercentOf(&'static str),
}

/// The goal: a number, or another implementation's count plus a margin.
enum Target {
    At(u64),
    Plus(&'static str, u64),
}

struct Budget {
    op: &'static str,
    imp: &'static str,
    measure: Measure,
    bound: u64,
    target: Target,
}

const fn at_most(op: &'static str, imp: &'static str, bound: u64, target: u64) -> Budget {
    Budget {
        op,
        imp,
        measure: Measure::Count,
        bound,
        target: Target::At(target),
    }
}

const fn percent(op: &'static str, imp: &'static str, of: &'static str, bound: u64, target: u64) -> Budget {
    Budget {
        op,
        imp,
        measure: Measure::PercentOf(of),
        bound,
        target: Target::At(target),
    }
}

const fn over_std(op: &'static str, bound: u64, margin: u64) -> Budget {
    Budget {
        op,
        imp: "biosock Socket",
        measure: Measure::Count,
        bound,
        target: Target::Plus("std", margin),
    }
}

/// The Rust `Socket` no slower than socket2 (the target, 100%), within
/// `bound` percent of it.
const fn vs_socket2(op: &'static str, bound: u64) -> Budget {
    percent(op, RUST, "socket2", bound, 100)
}

const C: &str = "biosock C";
const RUST: &str = "biosock Socket";

const BUDGETS: &[Budget] = &[
    at_most("cycle-v4", C, 200, 200),
    at_most("refused", C, 200, 200),
    at_most("bad-family", C, 200, 200),
    at_most("lookup-bad-family", C, 200, 200),
    // The Rust call over the bare C call: the target is 1.15x.
    percent("new+close", RUST, C, 115, 115),
    percent("connect-v4", RUST, C, 115, 115),
    percent("accept-v4", RUST, C, 115, 115),
    percent("local_addr", RUST, C, 120, 115),
    at_most("would-block", RUST, 300, 300),
    at_most("in-progress", RUST, 300, 300),
    at_most("refused", RUST, 300, 300),
    at_most("reset", RUST, 300, 300),
    // The constructors that take any address, against std's own.
    over_std("connect_to-v4", 168, 40),
    over_std("listen_on-v4", 152, 40),
    // No slower than socket2 on every row both have (issue 19): met where
    // the bound is 100; elsewhere today's count plus a margin, and the miss
    // printed. What socket2 does not do: BIO_connect's blocking-mode ioctl
    // and option checks (connect, refused, in-progress), BIO_accept_ex's
    // (would-block), the classification of the errno into the entries
    // OpenSSL pushes, and the address a connect's `Error` carries.
    vs_socket2("cycle-v4", 100),
    vs_socket2("connect-v4", 135),
    vs_socket2("accept-v4", 100),
    vs_socket2("new+close", 100),
    vs_socket2("local_addr", 100),
    vs_socket2("refused", 275),
    vs_socket2("in-progress", 235),
    vs_socket2("would-block", 140),
    vs_socket2("reset", 100),
    vs_socket2("bad-family", 100),
    vs_socket2("to-SocketAddr", 100),
    vs_socket2("from-SocketAddr", 100),
    at_most("parse-v4", RUST, 500, 500),
    at_most("parse-v6", RUST, 500, 500),
];

/// The rows that allocate nothing: every failure path and conversion.
const NO_ALLOCATION: &[(&str, &str)] = &[
    ("refused", C),
    ("bad-family", C),
    ("lookup-bad-family", C),
    ("would-block", RUST),
    ("in-progress", RUST),
    ("refused", RUST),
    ("connect_to-refused", RUST),
    ("reset", RUST),
    ("bad-family", RUST),
    ("parse-v4", RUST),
    ("parse-v6", RUST),
    ("to-SocketAddr", RUST),
    ("from-SocketAddr", RUST),
];

/// Where biosock's C call must cost less than OpenSSL's own: every
/// operation both have.
const UNDER_OPENSSL: &[&str] = &[
    "cycle-v4",
    "connect-v4",
    "accept-v4",
    "new+close",
    "local_addr",
    "refused",
    "in-progress",
    "would-block",
    "bad-family",
    "lookup-bad-family",
];

fn check_budgets(net: &BTreeMap<(&str, &str), (u64, u64)>) -> bool {
    let get = |op: &str, imp: &str| {
        net.get(&(op, imp))
            .copied()
            .unwrap_or_else(|| panic!("no row {op} {imp}"))
    };
    let mut ok = true;
    let mut check = |pass: bool, what: String| {
        println!("{} {what}", if pass { "ok    " } else { "FAILED" });
        ok &= pass;
    };
    for b in BUDGETS {
        let n = get(b.op, b.imp).0;
        let (value, what) = match b.measure {
            Measure::Count => (n, format!("{} {}", b.imp, b.op)),
            Measure::PercentOf(of) => {
                let d = get(b.op, of).0;
                // Rounded up: a row meets 115% only when it is at most 115%.
                (
                    (n * 100).div_ceil(d),
                    format!("{} {} in % of {of}'s {d}", b.imp, b.op),
                )
            }
        };
        let (target, what) = match b.target {
            Target::At(t) => (t, what),
            Target::Plus(of, margin) => {
                let d = get(b.op, of).0;
                (d + margin, format!("{what} ({of}: {d})"))
            }
        };
        let note = if value <= target {
            format!("target {target} met")
        } else {
            format!("target {target} missed by {}", value - target)
        };
        check(
            value <= b.bound,
            format!("{what}: {value} <= {} ({note})", b.bound),
        );
    }
    for &(op, imp) in NO_ALLOCATION {
        let allocs = get(op, imp).1;
        check(allocs == 0, format!("{imp} {op}: {allocs} allocations == 0"));
    }
    if net.keys().any(|k| k.1 == "OpenSSL") {
        for &op in UNDER_OPENSSL {
            let (c, o) = (get(op, C).0, get(op, "OpenSSL").0);
            check(c < o, format!("biosock C {op}: {c} < OpenSSL's {o}"));
        }
    }
    ok
}
