//! Unix: libc, and errno where each system keeps it.

pub(crate) use libc as c;

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
