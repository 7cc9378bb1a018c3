//! Helpers shared by the integration tests: the families each case runs on,
//! loopback listeners, Unix paths, and fd counts.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use biosock::{BioAddr, Domain, SockOpts, Socket};

/// IPv4, IPv6 and Unix: every case that applies to all three runs on each.
pub const FAMILIES: [Domain; 3] = [Domain::IPV4, Domain::IPV6, Domain::UNIX];

/// A fresh Unix socket path under the test binary's temporary directory.
pub fn unix_path(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("biosock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{tag}-{}.sock", N.fetch_add(1, Ordering::Relaxed)));
    let _ = std::fs::remove_file(&p);
    p
}

/// The loopback address of `family` with port 0, or a fresh Unix path.
pub fn loopback(family: Domain) -> BioAddr {
    match family {
        Domain::IPV4 => "127.0.0.1:0".parse().unwrap(),
        Domain::IPV6 => "[::1]:0".parse().unwrap(),
        _ => BioAddr::unix(unix_path("l")).unwrap(),
    }
}

/// A listener on the loopback of `family`, and the address to connect to.
pub fn listener(family: Domain, opts: SockOpts) -> (Socket, BioAddr) {
    let l = Socket::listen_on(loopback(family), opts).unwrap();
    let addr = l.local_addr().unwrap();
    (l, addr)
}

/// Serializes the tests of one binary that count the process's fds (or
/// must not have another test's sockets open meanwhile): every test of such
/// a binary holds it, since the test harness runs them on parallel threads.
pub fn fd_lock() -> MutexGuard<'static, ()> {
    static FD_LOCK: Mutex<()> = Mutex::new(());
    FD_LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// A socket bound on the loopback of `family` and not listening, and its
/// address: a connect to it is refused (while the socket is kept).
pub fn refusing(family: Domain) -> (Socket, BioAddr) {
    let holder = Socket::new(family, biosock::Type::STREAM, None).unwrap();
    holder.bind(&loopback(family), SockOpts::empty()).unwrap();
    let addr = holder.local_addr().unwrap();
    (holder, addr)
}

/// How many fds this process has open (exact only under [`fd_lock`]).
pub fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count() - 1
}

/// Whether `fd` is open.
pub fn is_open(fd: i32) -> bool {
    // SAFETY: F_GETFD on any integer is harmless.
    unsafe { libc::fcntl(fd, libc::F_GETFD) != -1 }
}

/// An integer socket option, read back with getsockopt.
pub fn getint(fd: i32, level: i32, name: i32) -> i32 {
    let mut v: libc::c_int = -1;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: v and len are valid for writes.
    let r = unsafe { libc::getsockopt(fd, level, name, (&mut v as *mut libc::c_int).cast(), &mut len) };
    assert_eq!(
        r,
        0,
        "getsockopt({level}, {name}) failed: {}",
        std::io::Error::last_os_error()
    );
    v
}

/// Whether O_NONBLOCK is set on `fd`.
pub fn is_nonblocking(fd: i32) -> bool {
    // SAFETY: F_GETFL on an open fd.
    unsafe { libc::fcntl(fd, libc::F_GETFL) & libc::O_NONBLOCK != 0 }
}

/// Whether FD_CLOEXEC is set on `fd`.
pub fn is_cloexec(fd: i32) -> bool {
    // SAFETY: F_GETFD on an open fd.
    unsafe { libc::fcntl(fd, libc::F_GETFD) & libc::FD_CLOEXEC != 0 }
}

/// What `fd` refers to (device, inode), or `None` when it is closed. Tests
/// run in parallel threads, so a closed fd number may be reused at once:
/// compare identities, not numbers.
pub fn fd_identity(fd: i32) -> Option<(u64, u64)> {
    // SAFETY: stat is plain data; fstat writes it or fails.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: st is valid for writes.
    // (dev_t and ino_t are 32-bit, dev_t even signed, on some targets.)
    #[allow(clippy::unnecessary_cast)]
    (unsafe { libc::fstat(fd, &mut st) } == 0).then_some((st.st_dev as u64, st.st_ino as u64))
}

/// Connect with `connect` until it fails (a listener with a backlog of 0
/// queues one or two connections, then drops SYNs, or for Unix has no
/// room): the connections made, which keep the queue full, and the error.
pub fn connect_until_error(
    mut connect: impl FnMut() -> biosock::Result<Socket>,
) -> (Vec<Socket>, biosock::Error) {
    let mut queued = Vec::new();
    loop {
        match connect() {
            Ok(s) => queued.push(s),
            Err(e) => return (queued, e),
        }
        assert!(
            queued.len() < 16,
            "a backlog of 0 took {} connections",
            queued.len()
        );
    }
}

/// The one shape of every timeout: kind `TimedOut`, errno `ETIMEDOUT`, and
/// `BIO_R_CONNECT_TIMEOUT` among the entries.
pub fn assert_timed_out(e: &biosock::Error) {
    assert_eq!(e.kind(), std::io::ErrorKind::TimedOut, "{e}");
    assert_eq!(e.raw_os_error(), Some(libc::ETIMEDOUT), "{e}");
    assert!(
        e.entries()
            .iter()
            .any(|x| x.reason() == biosock::ffi::BIO_R_CONNECT_TIMEOUT as i32),
        "{e:#}"
    );
}
