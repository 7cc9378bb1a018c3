//! Unix: libc, and errno where each system keeps it.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};

pub(crate) use libc as c;

use crate::Socket;

/// Where this thread's errno is.
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "emscripten",
    target_os = "fuchsia"
))]
pub(crate) fn errno_location() -> *mut c::c_int {
    // SAFETY: no preconditions.
    unsafe { libc::__errno_location() }
}

/// Where this thread's errno is.
#[cfg(any(target_vendor = "apple", target_os = "freebsd", target_os = "dragonfly"))]
pub(crate) fn errno_location() -> *mut c::c_int {
    // SAFETY: no preconditions.
    unsafe { libc::__error() }
}

/// Where this thread's errno is.
#[cfg(any(
    target_os = "netbsd",
    target_os = "openbsd",
    target_os = "illumos",
    target_os = "solaris"
))]
pub(crate) fn errno_location() -> *mut c::c_int {
    // SAFETY: no preconditions.
    unsafe { libc::___errno() }
}

/// This thread's errno.
pub(crate) fn errno() -> c::c_int {
    // SAFETY: errno_location() points to this thread's errno.
    unsafe { *errno_location() }
}

/// Set this thread's errno.
#[cfg_attr(not(test), allow(dead_code))] // the tests set a stale errno
pub(crate) fn set_errno(value: c::c_int) {
    // SAFETY: errno_location() points to this thread's errno, writable.
    unsafe { *errno_location() = value }
}

/// The errors of a non-blocking connect still under way.
pub(crate) fn is_in_progress(err: c::c_int) -> bool {
    matches!(err, c::EINPROGRESS | c::EALREADY)
}

/// Sends never raise SIGPIPE: `MSG_NOSIGNAL` on every send (macOS: the
/// C library sets `SO_NOSIGPIPE` on every socket it makes).
#[cfg(not(target_vendor = "apple"))]
pub(crate) const NOSIGNAL: c::c_int = c::MSG_NOSIGNAL;
#[cfg(target_vendor = "apple")]
pub(crate) const NOSIGNAL: c::c_int = 0;

/// `TCP_KEEPIDLE` under its platform's name.
#[cfg(not(target_vendor = "apple"))]
pub(crate) const KEEPALIVE_TIME: c::c_int = c::TCP_KEEPIDLE;
#[cfg(target_vendor = "apple")]
pub(crate) const KEEPALIVE_TIME: c::c_int = c::TCP_KEEPALIVE;

/// The name of the call behind [`duplicate`], for its errors.
pub(crate) const DUPLICATE: &str = "fcntl(F_DUPFD_CLOEXEC)";

/// A new close-on-exec fd for the socket `fd` (`fcntl(F_DUPFD_CLOEXEC)`),
/// or -1 with errno.
pub(crate) fn duplicate(fd: c::c_int) -> c::c_int {
    // SAFETY: plain integer arguments.
    unsafe { c::fcntl(fd, c::F_DUPFD_CLOEXEC, 3) }
}

/// The owned handle type of the platform.
pub(crate) type Owned = OwnedFd;

impl AsRawFd for Socket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd
    }
}

impl AsFd for Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        // SAFETY: fd is open for as long as self lives.
        unsafe { BorrowedFd::borrow_raw(self.fd) }
    }
}

impl IntoRawFd for Socket {
    /// Give up the fd without closing it.
    fn into_raw_fd(self) -> RawFd {
        let fd = self.fd;
        std::mem::forget(self);
        fd
    }
}

impl FromRawFd for Socket {
    /// Take ownership of an open socket fd.
    ///
    /// # Panics
    /// When `fd` is -1 (or any negative value).
    ///
    /// # Safety
    /// `fd` must be an open socket that nothing else closes.
    unsafe fn from_raw_fd(fd: RawFd) -> Socket {
        assert!(fd >= 0, "Socket::from_raw_fd: invalid fd {fd}");
        Socket { fd }
    }
}

impl From<OwnedFd> for Socket {
    fn from(fd: OwnedFd) -> Socket {
        Socket { fd: fd.into_raw_fd() }
    }
}

impl From<Socket> for OwnedFd {
    fn from(s: Socket) -> OwnedFd {
        // SAFETY: the fd was owned by s, which gives it up.
        unsafe { OwnedFd::from_raw_fd(s.into_raw_fd()) }
    }
}

/// `struct linger` for `SO_LINGER`: on for `Some(secs)`.
pub(crate) fn linger(secs: Option<c::c_int>) -> c::linger {
    c::linger {
        l_onoff: secs.is_some().into(),
        l_linger: secs.unwrap_or(0),
    }
}

/// The whole seconds of a `struct linger` that is on.
pub(crate) fn linger_secs(l: c::linger) -> Option<u64> {
    (l.l_onoff != 0).then(|| l.l_linger.max(0) as u64)
}

/// `SO_RCVTIMEO`/`SO_SNDTIMEO` for no timeout.
pub(crate) const NO_TIMEOUT: c::timeval = c::timeval {
    tv_sec: 0,
    tv_usec: 0,
};

/// A non-zero timeout as a `timeval`: whole microseconds rounded up (so
/// that below 1 µs is not "none"), saturating.
#[allow(deprecated)] // libc's musl time_t note: 64-bit on the 64-bit targets
pub(crate) fn timeout(t: std::time::Duration) -> c::timeval {
    let micros = t.subsec_nanos().div_ceil(1000);
    let (secs, micros) = if micros == 1_000_000 {
        (t.as_secs().saturating_add(1), 0)
    } else {
        (t.as_secs(), micros)
    };
    c::timeval {
        tv_sec: c::time_t::try_from(secs).unwrap_or(c::time_t::MAX),
        // (below 1,000,000: fits every suseconds_t, 32-bit on some targets.)
        #[allow(clippy::unnecessary_fallible_conversions)]
        tv_usec: c::suseconds_t::try_from(micros).unwrap_or(999_999),
    }
}

/// A timeout read back; `None` for no timeout.
pub(crate) fn timeout_of(tv: c::timeval) -> Option<std::time::Duration> {
    let t = std::time::Duration::new(tv.tv_sec.max(0) as u64, (tv.tv_usec.max(0) as u32) * 1000);
    (!t.is_zero()).then_some(t)
}

/// A socket type with close-on-exec asked for atomically where the system
/// can (`SOCK_CLOEXEC`); Apple systems cannot: see [`set_cloexec`].
#[cfg(not(target_vendor = "apple"))]
pub(crate) fn with_cloexec(ty: c::c_int) -> c::c_int {
    ty | c::SOCK_CLOEXEC
}

#[cfg(target_vendor = "apple")]
pub(crate) fn with_cloexec(ty: c::c_int) -> c::c_int {
    ty
}

/// Close-on-exec for an fd made without it ([`with_cloexec`] on Apple
/// systems); nothing to do elsewhere.
pub(crate) fn set_cloexec(fd: c::c_int) -> crate::Result<()> {
    if cfg!(target_vendor = "apple") {
        // SAFETY: plain integer arguments.
        crate::error::syscall("fcntl(F_SETFD)", unsafe {
            c::fcntl(fd, c::F_SETFD, c::FD_CLOEXEC)
        })?;
    }
    Ok(())
}

/// Joining and leaving an IPv6 multicast group, under each system's name.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) const IPV6_JOIN: c::c_int = c::IPV6_ADD_MEMBERSHIP;
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) const IPV6_LEAVE: c::c_int = c::IPV6_DROP_MEMBERSHIP;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(crate) const IPV6_JOIN: c::c_int = c::IPV6_JOIN_GROUP;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(crate) const IPV6_LEAVE: c::c_int = c::IPV6_LEAVE_GROUP;
