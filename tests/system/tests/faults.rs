//! The Rust constructors with each of their syscalls failed in turn, through
//! the C side's LD_PRELOAD shim (`c/tests/fault_shim.c`): every case ends in
//! `Ok` or in an error carrying the injected errno, never a panic, and no fd
//! is left behind. The test builds the shim with `$CC` and runs itself again
//! with it preloaded.

use std::os::raw::{c_char, c_int};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use biosock::{BioAddr, Domain, SockOpts, Socket, Type};

const CHILD: &str = "BIOSOCK_FAULT_CHILD";
const ERRNOS: [c_int; 10] = [
    libc::EINTR,
    libc::EAGAIN,
    libc::ENOMEM,
    libc::ENOBUFS,
    libc::EACCES,
    libc::EPERM,
    libc::EMFILE,
    libc::EBADF,
    libc::EINVAL,
    libc::ECONNRESET,
];

struct Shim {
    arm: extern "C" fn(c_int, c_int),
    disarm: extern "C" fn() -> c_int,
}

impl Shim {
    fn get() -> Shim {
        // SAFETY: the names are the shim's exported functions, with these
        // signatures (c/tests/fault_shim.c).
        unsafe {
            let sym = |n: &[u8]| libc::dlsym(libc::RTLD_DEFAULT, n.as_ptr().cast::<c_char>());
            let (arm, disarm) = (sym(b"fault_arm\0"), sym(b"fault_disarm\0"));
            assert!(
                !arm.is_null() && !disarm.is_null(),
                "fault_shim.so is not preloaded"
            );
            Shim {
                arm: std::mem::transmute::<*mut libc::c_void, extern "C" fn(c_int, c_int)>(arm),
                disarm: std::mem::transmute::<*mut libc::c_void, extern "C" fn() -> c_int>(disarm),
            }
        }
    }
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// One call with its k-th wrapped syscall failing with err (k = 0: none),
/// with what it needs set up around it: its result, the fds before and
/// after it, and how many wrapped calls it made.
fn run(op: &str, shim: &Shim, k: c_int, err: c_int) -> (Result<(), biosock::Error>, usize, usize, c_int) {
    let listener = Socket::listen_on("127.0.0.1:0", SockOpts::empty()).unwrap();
    let at = listener.local_addr().unwrap();
    let queued = (op == "accept").then(|| Socket::connect_to(&at, SockOpts::empty()).unwrap());
    let before = open_fds();
    (shim.arm)(k, err);
    let result = match op {
        "new" => Socket::new(Domain::IPV4, Type::STREAM, None).map(drop),
        "connect_to" => Socket::connect_to(&at, SockOpts::NODELAY | SockOpts::KEEPALIVE).map(drop),
        "connect_nonblock" => Socket::connect_to(&at, SockOpts::NONBLOCK).map(drop),
        "listen_on" => Socket::listen_on("127.0.0.1:0", SockOpts::REUSEADDR | SockOpts::NODELAY).map(drop),
        "listen_on_v6" => Socket::listen_on("[::1]:0", SockOpts::V6_ONLY).map(drop),
        "accept" => listener.accept(SockOpts::NONBLOCK).map(drop),
        "connect_happy" => {
            let two: Vec<BioAddr> = vec![at.clone(), at.clone()];
            Socket::connect_happy(two, SockOpts::empty(), Duration::from_millis(10), None).map(drop)
        }
        "local_addr" => listener.local_addr().map(drop),
        _ => unreachable!(),
    };
    let calls = (shim.disarm)();
    let after = open_fds();
    drop(queued);
    (result, before, after, calls)
}

fn child() {
    let shim = Shim::get();
    let mut cases = 0;
    for op in [
        "new",
        "connect_to",
        "connect_nonblock",
        "listen_on",
        "listen_on_v6",
        "accept",
        "connect_happy",
        "local_addr",
    ] {
        // A dry run counts the wrapped calls.
        let (r, _, _, sites) = run(op, &shim, 0, 0);
        r.unwrap_or_else(|e| panic!("{op} without faults: {e}"));
        for k in 1..=sites {
            for err in ERRNOS {
                let (result, before, after, _) = run(op, &shim, k, err);
                cases += 1;
                if let Err(e) = &result {
                    assert_eq!(
                        e.raw_os_error(),
                        Some(err),
                        "{op}, call {k} failing with {err}: {e}"
                    );
                }
                assert_eq!(
                    after, before,
                    "{op}, call {k} failing with {err}: fds {before} -> {after}"
                );
            }
        }
    }
    println!("fault cases: {cases}");
}

#[test]
fn rust_constructors_with_each_syscall_failed_in_turn() {
    if std::env::var_os(CHILD).is_some() {
        return child();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shim = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fault_shim.so");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let built = Command::new(&cc)
        .args(["-std=c11", "-O1", "-fPIC", "-shared"])
        .arg(root.join("c/tests/fault_shim.c"))
        .args(["-ldl", "-o"])
        .arg(&shim)
        .status()
        .unwrap();
    assert!(built.success(), "building the shim with {cc}");
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "rust_constructors_with_each_syscall_failed_in_turn",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .env("LD_PRELOAD", &shim)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    let cases: usize = text
        .lines()
        .find_map(|l| l.split("fault cases: ").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no count in:\n{text}"))
        .parse()
        .unwrap();
    assert!(cases >= 10 * 8, "{cases} cases");
    eprintln!("{cases} fault cases");
}
