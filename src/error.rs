//! [`Error`]: errno plus the error-queue entries a failing C call pushed.

use std::ffi::CStr;
use std::fmt;
use std::io;
use std::os::raw::{c_char, c_int, c_ulong};

use crate::ffi;

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// One error-queue entry, as `ERR_get_error_all` returns it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ErrorEntry {
    code: c_ulong,
    data: String,
}

impl ErrorEntry {
    /// The packed code (`ERR_get_error`).
    pub fn code(&self) -> c_ulong {
        self.code
    }

    /// The library: `ffi::ERR_LIB_SYS` (2) or `ffi::ERR_LIB_BIO` (32)
    /// (`ERR_GET_LIB`).
    pub fn lib(&self) -> i32 {
        ffi::ERR_GET_LIB(self.code)
    }

    /// The reason: errno for a system error, else a `BIO_R_*` or `ERR_R_*`
    /// value (`ERR_GET_REASON`).
    pub fn reason(&self) -> i32 {
        ffi::ERR_GET_REASON(self.code)
    }

    /// Whether this is a system error, whose reason is an errno value.
    pub fn is_system(&self) -> bool {
        self.code & ffi::ERR_SYSTEM_FLAG != 0
    }

    /// The entry's data, such as `"calling connect()"` or a resolver
    /// message; empty when there is none.
    pub fn data(&self) -> &str {
        &self.data
    }

    /// OpenSSL's text for the entry (`ERR_error_string_n`), for example
    /// `error:8000006F:system library::Connection refused`.
    pub fn text(&self) -> String {
        let mut buf = [0 as c_char; 256];
        // SAFETY: buf is writable for buf.len() bytes and the function
        // NUL-terminates within that length.
        unsafe { ffi::ERR_error_string_n(self.code, buf.as_mut_ptr(), buf.len()) };
        // SAFETY: ERR_error_string_n wrote a NUL-terminated string into buf.
        unsafe { CStr::from_ptr(buf.as_ptr()) }
            .to_string_lossy()
            .into_owned()
    }
}

impl fmt::Debug for ErrorEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorEntry")
            .field("lib", &lib_name(self.lib()))
            .field("reason", &self.reason())
            .field("text", &self.text())
            .field("data", &self.data)
            .finish()
    }
}

fn lib_name(lib: i32) -> &'static str {
    match lib as u32 {
        ffi::ERR_LIB_SYS => "SYS",
        ffi::ERR_LIB_BIO => "BIO",
        _ => "other",
    }
}

/// A failed call: which function, errno (when the call set it) and the
/// error-queue entries it pushed, oldest first.
///
/// # Into `io::Error`
/// `?` turns it into an [`io::Error`]. When the failure has an errno, the
/// `io::Error` is `io::Error::from_raw_os_error(errno)`: `raw_os_error()`
/// works as with std and socket2 (mio and tokio check `EINPROGRESS` that
/// way), and its `kind()` is std's reading of that errno. The error-queue
/// entries are then not carried (an OS `io::Error` holds only the number):
/// keep the `biosock::Error` where you need them. When the failure has no
/// errno (a lookup, a bad argument), the `io::Error` wraps this `Error`,
/// so `get_ref()`/`into_inner()` downcast back to it, entries and all.
pub struct Error {
    function: &'static str,
    errno: Option<i32>,
    /// Set by the safe layer for errors it raises itself.
    kind: Option<io::ErrorKind>,
    entries: Vec<ErrorEntry>,
}

/// Where a C function leaves errno when it fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Errno {
    /// The socket calls: errno holds the failing syscall's value.
    Set,
    /// Parsing and lookups: errno is meaningless (the resolver may touch it);
    /// a system error, if any, is the reason of a system entry.
    FromQueue,
}

impl Error {
    /// Take the error of the C function `function` that just failed: errno
    /// first, then the whole error queue. errno was cleared before the call
    /// (see [`c_call`]), so 0 means the call set none.
    fn take(function: &'static str, errno_from: Errno) -> Error {
        let errno = match get_errno() {
            0 => None,
            e => Some(e),
        };
        let mut entries = Vec::new();
        loop {
            let mut data: *const c_char = std::ptr::null();
            let mut flags: c_int = 0;
            // SAFETY: the out-pointers are valid for writes; NULL ones are
            // skipped by the C side.
            let code = unsafe {
                ffi::ERR_get_error_all(
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    &mut data,
                    &mut flags,
                )
            };
            if code == 0 {
                break;
            }
            let data = if data.is_null() {
                String::new()
            } else {
                // SAFETY: a non-NULL data pointer is a NUL-terminated string
                // that stays valid until the next error-queue call.
                unsafe { CStr::from_ptr(data) }.to_string_lossy().into_owned()
            };
            entries.push(ErrorEntry { code, data });
        }
        let system = entries.iter().find(|e| e.is_system()).map(ErrorEntry::reason);
        let errno = match errno_from {
            Errno::Set => errno.or(system),
            Errno::FromQueue => system,
        };
        Error {
            function,
            errno,
            kind: None,
            entries,
        }
    }

    /// The error of a syscall made from Rust that returned -1: errno, and no
    /// queue entries (the syscall pushes none).
    pub(crate) fn last_os_error(function: &'static str) -> Error {
        Error {
            function,
            errno: io::Error::last_os_error().raw_os_error(),
            kind: None,
            entries: Vec::new(),
        }
    }

    /// An error of the safe layer itself (a string with a NUL byte, a port
    /// out of range, an option the call cannot apply), with no C call behind
    /// it: kind `InvalidInput`, no errno, and one
    /// `ERR_R_PASSED_INVALID_ARGUMENT` entry whose data says what is wrong.
    pub(crate) fn invalid_input(function: &'static str, what: impl Into<String>) -> Error {
        Error::of_kind(function, io::ErrorKind::InvalidInput, what)
    }

    /// An error of the safe layer of `kind`, like [`Error::invalid_input`].
    pub(crate) fn of_kind(function: &'static str, kind: io::ErrorKind, what: impl Into<String>) -> Error {
        Error {
            function,
            errno: None,
            kind: Some(kind),
            entries: vec![ErrorEntry {
                code: ffi::ERR_PACK(ffi::ERR_LIB_BIO, 0, ffi::ERR_R_PASSED_INVALID_ARGUMENT),
                data: what.into(),
            }],
        }
    }

    /// A system error read after the fact (`SO_ERROR` of a connect).
    pub(crate) fn os(function: &'static str, e: io::Error) -> Error {
        Error {
            function,
            errno: e.raw_os_error(),
            kind: None,
            entries: Vec::new(),
        }
    }

    /// A wait that ran out: kind `TimedOut`, no errno, one
    /// `BIO_R_CONNECT_TIMEOUT` entry (OpenSSL's reason for it).
    pub(crate) fn timed_out(function: &'static str, after: std::time::Duration) -> Error {
        Error {
            function,
            errno: None,
            kind: Some(io::ErrorKind::TimedOut),
            entries: vec![ErrorEntry {
                code: ffi::ERR_PACK(ffi::ERR_LIB_BIO, 0, ffi::BIO_R_CONNECT_TIMEOUT),
                data: format!("timed out after {after:?}"),
            }],
        }
    }

    /// The C function that failed, such as `"BIO_connect"`.
    pub fn function(&self) -> &'static str {
        self.function
    }

    /// errno after the failure, when the failing call set it; `None` for
    /// failures without a system error (a lookup that found nothing, an
    /// argument refused before any syscall).
    pub fn raw_os_error(&self) -> Option<i32> {
        self.errno
    }

    /// The error-queue entries the call pushed, oldest first.
    pub fn entries(&self) -> &[ErrorEntry] {
        &self.entries
    }

    /// The BIO reason (`BIO_R_*` / `ERR_R_*`) of the newest non-system
    /// entry, if any.
    pub fn reason(&self) -> Option<i32> {
        self.entries
            .iter()
            .rev()
            .find(|e| !e.is_system())
            .map(ErrorEntry::reason)
    }

    /// Whether the call may succeed if retried, as `BIO_sock_should_retry`
    /// judges errno (EAGAIN, EINPROGRESS, EINTR, ...).
    pub fn is_retryable(&self) -> bool {
        // SAFETY: a pure function of its argument.
        self.errno
            .is_some_and(|e| unsafe { ffi::BIO_sock_non_fatal_error(e) } == 1)
    }

    /// Whether this is a non-blocking connect still in progress
    /// (`EINPROGRESS`, `EALREADY`): wait until the socket is writable, then
    /// read [`Socket::take_error`](crate::Socket::take_error). A Unix
    /// connect's `EAGAIN` (the listener's backlog is full) is not.
    pub fn is_in_progress(&self) -> bool {
        matches!(self.errno, Some(libc::EINPROGRESS | libc::EALREADY))
    }

    /// The `io::ErrorKind` of this error.
    ///
    /// With an errno: std's kind for it, except that `EINPROGRESS` and
    /// `EALREADY` read as `WouldBlock` (a non-blocking connect in progress)
    /// and the families, protocols and types the system does not support
    /// (`EAFNOSUPPORT`, `EPROTONOSUPPORT`, `ESOCKTNOSUPPORT`, `EPFNOSUPPORT`)
    /// read as `Unsupported`, where std has no stable kind. Without one: from
    /// the BIO reason (`InvalidInput` for refused arguments and malformed
    /// host:port strings, `Unsupported` for an unsupported family, `NotFound`
    /// for a name the resolver did not find).
    pub fn kind(&self) -> io::ErrorKind {
        if let Some(kind) = self.kind {
            return kind;
        }
        match self.errno {
            Some(libc::EINPROGRESS | libc::EALREADY) => io::ErrorKind::WouldBlock,
            Some(libc::EAFNOSUPPORT | libc::EPROTONOSUPPORT | libc::ESOCKTNOSUPPORT | libc::EPFNOSUPPORT) => {
                io::ErrorKind::Unsupported
            }
            Some(e) => io::Error::from_raw_os_error(e).kind(),
            None => match self.reason().map(|r| r as u32) {
                Some(ffi::BIO_R_UNSUPPORTED_PROTOCOL_FAMILY) => io::ErrorKind::Unsupported,
                Some(
                    ffi::BIO_R_AMBIGUOUS_HOST_OR_SERVICE
                    | ffi::BIO_R_MALFORMED_HOST_OR_SERVICE
                    | ffi::BIO_R_LENGTH_TOO_LONG
                    | ffi::BIO_R_INVALID_ARGUMENT
                    | ffi::ERR_R_PASSED_NULL_PARAMETER
                    | ffi::ERR_R_PASSED_INVALID_ARGUMENT,
                ) => io::ErrorKind::InvalidInput,
                Some(ffi::ERR_R_SYS_LIB | ffi::BIO_R_LOOKUP_RETURNED_NOTHING) => io::ErrorKind::NotFound,
                _ => io::ErrorKind::Other,
            },
        }
    }
}

impl fmt::Display for Error {
    /// `BIO_connect: Connection refused (os error 111); error:8000006F:system
    /// library::Connection refused (calling connect()); error:10000067:BIO
    /// routines::connect error`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.function)?;
        if let Some(e) = self.errno {
            write!(f, ": {}", io::Error::from_raw_os_error(e))?;
        }
        for (i, entry) in self.entries.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            f.write_str(&entry.text())?;
            if !entry.data.is_empty() {
                write!(f, " ({})", entry.data)?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("function", &self.function)
            .field("kind", &self.kind())
            .field("errno", &self.errno)
            .field("entries", &self.entries)
            .finish()
    }
}

impl std::error::Error for Error {}

impl From<Error> for io::Error {
    /// With an errno: `io::Error::from_raw_os_error` (so `raw_os_error()`
    /// keeps it); without: an `io::Error` of [`Error::kind`] wrapping the
    /// `Error`. See [`Error`] for the trade-off.
    fn from(e: Error) -> io::Error {
        match e.errno {
            Some(errno) => io::Error::from_raw_os_error(errno),
            None => io::Error::new(e.kind(), e),
        }
    }
}

/// This thread's errno.
fn get_errno() -> c_int {
    // SAFETY: errno_location() points to this thread's errno.
    unsafe { *errno_location() }
}

/// Set this thread's errno.
fn set_errno(value: c_int) {
    // SAFETY: errno_location() points to this thread's errno, writable.
    unsafe { *errno_location() = value }
}

#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "emscripten",
    target_os = "fuchsia"
))]
fn errno_location() -> *mut c_int {
    // SAFETY: no preconditions.
    unsafe { libc::__errno_location() }
}

#[cfg(any(target_vendor = "apple", target_os = "freebsd", target_os = "dragonfly"))]
fn errno_location() -> *mut c_int {
    // SAFETY: no preconditions.
    unsafe { libc::__error() }
}

#[cfg(any(
    target_os = "netbsd",
    target_os = "openbsd",
    target_os = "illumos",
    target_os = "solaris"
))]
fn errno_location() -> *mut c_int {
    // SAFETY: no preconditions.
    unsafe { libc::___errno() }
}

/// The one way into the C library: clear errno and this thread's error
/// queue, run `call`, and when `failed` says the result is a failure, take
/// the error at once, before anything can overwrite errno or the queue.
#[inline]
pub(crate) fn c_call<T>(
    function: &'static str,
    errno_from: Errno,
    call: impl FnOnce() -> T,
    failed: impl FnOnce(&T) -> bool,
) -> Result<T> {
    // SAFETY: touches only this thread's queue.
    unsafe { ffi::ERR_clear_error() };
    set_errno(0);
    let ret = call();
    if failed(&ret) {
        Err(Error::take(function, errno_from))
    } else {
        Ok(ret)
    }
}

/// [`c_call`] for the functions that return 1 on success.
#[inline]
pub(crate) fn c_status(function: &'static str, call: impl FnOnce() -> c_int) -> Result<()> {
    c_call(function, Errno::Set, call, |&r| r != 1).map(drop)
}

/// [`c_call`] for the functions that return an fd, or -1.
#[inline]
pub(crate) fn c_fd(function: &'static str, call: impl FnOnce() -> c_int) -> Result<c_int> {
    c_call(function, Errno::Set, call, |&r| r < 0)
}

/// A syscall made from Rust: -1 is the failure, with errno (no queue work).
#[inline]
pub(crate) fn syscall<T: PartialEq + From<i8>>(function: &'static str, ret: T) -> Result<T> {
    if ret == T::from(-1) {
        Err(Error::last_os_error(function))
    } else {
        Ok(ret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "calls C")]
    fn errno_is_cleared_before_the_call() {
        set_errno(libc::ECONNREFUSED);
        let e = c_call("test", Errno::Set, || 0, |&r| r == 0).unwrap_err();
        assert_eq!(e.raw_os_error(), None, "a stale errno was reported");
        let e = c_call("test", Errno::Set, || set_errno(libc::EPIPE), |_| true).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::EPIPE));
    }

    #[test]
    fn io_error_keeps_errno_or_wraps() {
        let with = Error {
            function: "BIO_connect",
            errno: Some(libc::ECONNREFUSED),
            kind: None,
            entries: Vec::new(),
        };
        let io: io::Error = with.into();
        assert_eq!(io.raw_os_error(), Some(libc::ECONNREFUSED));
        assert_eq!(io.kind(), io::ErrorKind::ConnectionRefused);

        let without = Error::invalid_input("BIO_parse_hostserv", "port out of range");
        let io: io::Error = without.into();
        assert_eq!(io.raw_os_error(), None);
        assert_eq!(io.kind(), io::ErrorKind::InvalidInput);
        let back = io
            .get_ref()
            .and_then(|e| e.downcast_ref::<Error>())
            .expect("downcasts");
        assert_eq!(back.function(), "BIO_parse_hostserv");
        assert_eq!(back.entries()[0].data(), "port out of range");
    }

    #[test]
    fn kinds_for_errnos_std_leaves_uncategorized() {
        let of = |errno| Error {
            function: "BIO_socket",
            errno: Some(errno),
            kind: None,
            entries: Vec::new(),
        };
        assert_eq!(of(libc::EAFNOSUPPORT).kind(), io::ErrorKind::Unsupported);
        assert_eq!(of(libc::EPROTONOSUPPORT).kind(), io::ErrorKind::Unsupported);
        assert_eq!(of(libc::EINPROGRESS).kind(), io::ErrorKind::WouldBlock);
        assert!(of(libc::EINPROGRESS).is_in_progress());
        assert!(!of(libc::EAGAIN).is_in_progress());
        assert_eq!(of(libc::EAGAIN).kind(), io::ErrorKind::WouldBlock);
        assert_eq!(of(libc::ECONNRESET).kind(), io::ErrorKind::ConnectionReset);
    }
}
