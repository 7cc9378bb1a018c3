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

/// A failed C call: which function, errno (when the call sets it) and the
/// error-queue entries it pushed, oldest first.
pub struct Error {
    function: &'static str,
    errno: Option<i32>,
    entries: Vec<ErrorEntry>,
}

impl Error {
    /// Take the error of the C function `function` that just failed: errno
    /// first, then the whole error queue. `sets_errno` says whether the
    /// function sets errno on every failure (the socket calls do; parsing and
    /// lookups do not, and then errno comes from a system entry if any).
    pub(crate) fn take(function: &'static str, sets_errno: bool) -> Error {
        let errno = io::Error::last_os_error().raw_os_error();
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
        let errno = if sets_errno { errno.or(system) } else { system };
        Error {
            function,
            errno,
            entries,
        }
    }

    /// An error of the safe layer itself (such as a string with a NUL byte),
    /// with no C call behind it.
    pub(crate) fn invalid_input(function: &'static str, what: &str) -> Error {
        Error {
            function,
            errno: Some(libc::EINVAL),
            entries: vec![ErrorEntry {
                code: ffi::ERR_PACK(ffi::ERR_LIB_BIO, 0, ffi::ERR_R_PASSED_INVALID_ARGUMENT),
                data: what.to_owned(),
            }],
        }
    }

    /// The C function that failed, such as `"BIO_connect"`.
    pub fn function(&self) -> &'static str {
        self.function
    }

    /// errno after the failure, if the failure has one.
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

    /// The `io::ErrorKind` of this error: from errno when there is one
    /// (EINPROGRESS and EALREADY count as `WouldBlock`, so a non-blocking
    /// connect in progress reads as one), else from the BIO reason.
    pub fn kind(&self) -> io::ErrorKind {
        match self.errno {
            Some(libc::EINPROGRESS | libc::EALREADY | libc::EAGAIN) => io::ErrorKind::WouldBlock,
            Some(e) => io::Error::from_raw_os_error(e).kind(),
            None => match self.reason().map(|r| r as u32) {
                Some(
                    ffi::BIO_R_AMBIGUOUS_HOST_OR_SERVICE
                    | ffi::BIO_R_MALFORMED_HOST_OR_SERVICE
                    | ffi::BIO_R_UNSUPPORTED_PROTOCOL_FAMILY
                    | ffi::BIO_R_LENGTH_TOO_LONG
                    | ffi::BIO_R_INVALID_ARGUMENT
                    | ffi::ERR_R_PASSED_NULL_PARAMETER
                    | ffi::ERR_R_PASSED_INVALID_ARGUMENT,
                ) => io::ErrorKind::InvalidInput,
                Some(ffi::ERR_R_SYS_LIB) => io::ErrorKind::NotFound,
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
    /// Keeps the `ErrorKind`, so `?` works in `io::Result` code; the
    /// [`Error`] itself stays reachable with `get_ref`/`downcast`.
    fn from(e: Error) -> io::Error {
        io::Error::new(e.kind(), e)
    }
}

/// Clears this thread's queue before a C call, so that the [`Error`] taken
/// after it holds that call's entries only.
#[inline]
pub(crate) fn clear_queue() {
    // SAFETY: touches only this thread's queue.
    unsafe { ffi::ERR_clear_error() }
}

/// `1` → `Ok(())`, `0` → the error of `function` (which sets errno).
#[inline]
pub(crate) fn cvt_status(ret: c_int, function: &'static str) -> Result<()> {
    if ret == 1 {
        Ok(())
    } else {
        Err(Error::take(function, true))
    }
}

/// An fd → `Ok(fd)`, `-1` → the error of `function` (which sets errno).
#[inline]
pub(crate) fn cvt_fd(ret: c_int, function: &'static str) -> Result<c_int> {
    if ret >= 0 {
        Ok(ret)
    } else {
        Err(Error::take(function, true))
    }
}
