//! [`Error`]: errno plus the error-queue entries a failing C call pushed.
//!
//! Two ways into the C library, each with one conversion of its failure
//! into an `Error` (every `Error` is made by `Error::build_described`, whose
//! entries are a description read as entries when asked, or by
//! `Error::build`, with entries given):
//! - The socket calls (socket, connect, bind, listen, accept, the local
//!   address, the blocking mode) go through the crate's entry points
//!   (`c/src/rust.h`, [`rs_call!`]): they run the public function's steps,
//!   push nothing and say what the public function would push (the C
//!   suite checks that, failure by failure), so the error queue is not
//!   touched at all; `Error::described` makes the error.
//! - The rest (lookups, parsing, Happy Eyeballs, waiting) go through
//!   [`c_call`]: the queue is emptied (`ERR_clear_error`) before the call and
//!   its entries taken (`biosock_err_drain`) after a failure by
//!   `Error::take`.
//!
//! A syscall made from Rust ([`syscall`]) or a C function that pushes
//! nothing ([`c_plain_status`]) fails with errno alone
//! (`Error::last_os_error`).
//!
//! Neither allocates for the errors a service meets in its loops: up to two
//! entries are stored inline, and their data (`"calling connect()"`) stays a
//! pointer to the C library's static text until it is read. Texts are built
//! when displayed. An `Error` is one pointer to an allocation each thread
//! recycles (its spare, in a thread-local cell without a destructor).

use std::borrow::Cow;
use std::cell::Cell;
use std::ffi::CStr;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::io;
use std::mem::{ManuallyDrop, MaybeUninit};
use std::os::raw::{c_char, c_int, c_ulong};
use std::sync::OnceLock;

use crate::addr::BioAddr;
use crate::ffi;
use crate::sys::{self, c};

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// One error-queue entry, as `ERR_get_error_all` returns it.
#[derive(Clone)]
pub struct ErrorEntry {
    code: c_ulong,
    data: Data,
}

/// An entry's data: none, one of the C library's static texts, or text of
/// the safe layer's or copied out of the queue.
#[derive(Clone)]
enum Data {
    None,
    Static(StaticText),
    Text(Cow<'static, str>),
}

/// A NUL-terminated text with static storage in the C library.
#[derive(Clone, Copy)]
struct StaticText(*const c_char);

// SAFETY: the text is immutable and lives as long as the program.
unsafe impl Send for StaticText {}
// SAFETY: as above.
unsafe impl Sync for StaticText {}

impl Data {
    fn as_str(&self) -> &str {
        match self {
            Data::None => "",
            // SAFETY: a static, NUL-terminated text (biosock_err_drain's
            // data_is_static); the library's texts are ASCII.
            Data::Static(t) => unsafe { CStr::from_ptr(t.0) }.to_str().unwrap_or(""),
            Data::Text(t) => t,
        }
    }
}

impl ErrorEntry {
    /// An entry of the C library, taken by `biosock_err_drain`: static data
    /// is kept as a pointer, other data copied now (it lives in the queue).
    fn from_raw(raw: &ffi::BIOSOCK_ERR_ENTRY) -> ErrorEntry {
        let data = if raw.data.is_null() {
            Data::None
        } else if raw.data_is_static != 0 {
            Data::Static(StaticText(raw.data))
        } else {
            // SAFETY: non-static data is a NUL-terminated string that stays
            // valid until the next error-queue call.
            let text = unsafe { CStr::from_ptr(raw.data) }.to_string_lossy().into_owned();
            Data::Text(Cow::Owned(text))
        };
        ErrorEntry { code: raw.code, data }
    }

    /// The packed code (`ERR_get_error`).
    ///
    /// ```
    /// use biosock::{SockOpts, Socket};
    /// let e = Socket::connect_to("127.0.0.1:1", SockOpts::empty()).unwrap_err();
    /// let [system, bio] = e.entries() else { panic!("{e:#}") };
    /// assert!(system.is_system() && !bio.is_system());
    /// assert_eq!(system.reason(), e.raw_os_error().unwrap());
    /// assert_eq!(bio.lib(), biosock::ffi::ERR_LIB_BIO as i32);
    /// assert_eq!(bio.reason_text(), "connect error");
    /// assert_eq!(system.data(), "calling connect()");
    /// println!("{}", bio.text()); // error:10000067:BIO routines::connect error
    /// ```
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
        self.data.as_str()
    }

    /// The reason's own text (`ERR_reason_error_string`), such as
    /// `connect error`; the packed code when the library has none.
    pub fn reason_text(&self) -> String {
        // SAFETY: a pure lookup; the result is NULL or a static string.
        let text = unsafe { ffi::ERR_reason_error_string(self.code) };
        if text.is_null() {
            return format!("reason({})", self.reason());
        }
        // SAFETY: a static, NUL-terminated string of the library.
        unsafe { CStr::from_ptr(text) }.to_string_lossy().into_owned()
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

impl PartialEq for ErrorEntry {
    fn eq(&self, other: &ErrorEntry) -> bool {
        self.code == other.code && self.data() == other.data()
    }
}

impl Eq for ErrorEntry {}

impl Hash for ErrorEntry {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.code.hash(state);
        self.data().hash(state);
    }
}

impl fmt::Debug for ErrorEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorEntry")
            .field("lib", &lib_name(self.lib()))
            .field("reason", &self.reason())
            .field("text", &self.text())
            .field("data", &self.data())
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
///
/// # Size
/// One pointer (a `Result<Socket>` is 16 bytes), so an error moves as one
/// word however much it holds. The allocation behind it is recycled per
/// thread (a dropped `Error` leaves it for the next), so after a thread's
/// first error, failing allocates nothing.
pub struct Error(ManuallyDrop<Box<Inner>>);

const _: () = assert!(std::mem::size_of::<Error>() == std::mem::size_of::<usize>());

/// What an [`Error`] holds.
pub(crate) struct Inner {
    function: &'static str,
    errno: Option<i32>,
    /// Set by the safe layer for errors it raises itself.
    kind: Option<io::ErrorKind>,
    /// The entries of an error made from an entry point's description (or
    /// of the safe layer's own connect errors), kept as that description
    /// until they are read: the system entry for `errno` with the text
    /// `described.0` (when not NULL), then the code `described.1` (when not
    /// 0). Most errors are only matched on and dropped; this makes their
    /// entries two stores, not a list.
    described: (StaticText, c_ulong),
    /// The entries made from `described` when first read.
    entries: OnceLock<Entries>,
    /// The entries of the queue or of the safe layer, given when the error
    /// is made: read in place of `described` when `given_set`. (Otherwise
    /// they are a spare's, holding nothing to drop.)
    given: Entries,
    given_set: bool,
    /// Whether `given` or `attempts` hold memory (so that Drop looks at one
    /// field for both).
    owns: bool,
    /// The address the failed call was given, for `Display`.
    addr: MaybeUninit<BioAddr>,
    /// Whether `addr` holds one.
    has_addr: bool,
    /// A failed race's addresses that were attempted, each with the errno
    /// its attempt ended with.
    attempts: Vec<(BioAddr, i32)>,
}

// This thread's spare: the allocation of its last dropped `Error`, for the
// next. The cell holds the spare, or says why there is none: NO_GUARD (the
// thread has not yet registered the guard that frees its spare at thread
// exit), EMPTY (it has, and the spare is in use or was never made), or GONE
// (the guard has run: the thread is ending, and nothing is kept). The cell
// has no destructor of its own, so taking or leaving the spare is a load, a
// compare and a store (no state to check, no frame to set up); the rare
// cases are out of line.
//
// The constructors that failures call take the cell from their caller
// (`with_spare(|spare| ...)`, inlined there): code of a library crate reaches
// its thread-locals through `__tls_get_addr`, or what the linker relaxes it
// to, which the compiler still treats as a call and saves registers around;
// code inlined into the program reaches them with one `%fs`-relative load.
pub(crate) type Spare = Cell<*mut Inner>;

thread_local! {
    static SPARE: Spare = const { Cell::new(NO_GUARD) };
    static GUARD: SpareGuard = const { SpareGuard };
}

/// `f` of this thread's spare cell, inlined where it is called: a failure's
/// path is cold, and the compiler inlines little there, so this takes the
/// cell's address alone from `try_with` (a cell without a destructor is
/// never gone; were it, `f` gets a cell that keeps nothing).
#[inline(always)]
fn with_spare<R>(f: impl FnOnce(&Spare) -> R) -> R {
    match SPARE.try_with(|cell| cell as *const Spare) {
        // SAFETY: this thread's cell, which lives as long as the thread.
        Ok(cell) => f(unsafe { &*cell }),
        Err(_) => f(&Cell::new(GONE)),
    }
}

const NO_GUARD: *mut Inner = std::ptr::null_mut();
// Addresses 1 and 2, without provenance (as `ptr::without_provenance_mut`,
// which is newer than the crate's rust-version).
const EMPTY: *mut Inner = std::ptr::null_mut::<u8>().wrapping_add(1).cast();
const GONE: *mut Inner = std::ptr::null_mut::<u8>().wrapping_add(2).cast();

/// Whether the cell's value is a spare (an `Inner` is aligned to 8, so no
/// allocation has an address the markers use).
fn is_spare(p: *mut Inner) -> bool {
    p as usize > GONE as usize
}

/// Frees the thread's spare at thread exit and makes the cell GONE.
struct SpareGuard;

impl Drop for SpareGuard {
    fn drop(&mut self) {
        let spare = SPARE.replace(GONE);
        if is_spare(spare) {
            // SAFETY: a spare is a box's allocation that the cell owns.
            drop(unsafe { Box::from_raw(spare) });
        }
    }
}

/// Keep `boxed` as the thread's spare, if the thread keeps one: registering
/// the guard first if it has not (false if it cannot: its destructors are
/// running).
fn keep_spare(boxed: Box<Inner>) {
    let now = SPARE.get();
    let keep = now == EMPTY || (now == NO_GUARD && GUARD.try_with(|_| ()).is_ok());
    if keep {
        SPARE.set(Box::into_raw(boxed));
    }
}

impl Error {
    /// An error made without the thread's spare (its first, or one while
    /// another is alive, or at thread exit): a new allocation (out of line,
    /// so that the calls that find a spare need no stack frame). A thread's
    /// first registers the guard that frees its spare. (errno comes as
    /// its value and whether it is set, last: the caller's arguments then
    /// stay in the registers they came in.)
    #[cold]
    #[inline(never)]
    fn fresh_described(
        function: &'static str,
        errno_value: i32,
        call: *const c_char,
        code: c_ulong,
        errno_set: bool,
    ) -> Error {
        let errno = errno_set.then_some(errno_value);
        if SPARE.get() == NO_GUARD && GUARD.try_with(|_| ()).is_ok() {
            SPARE.set(EMPTY);
        }
        Error(ManuallyDrop::new(Box::new(Inner {
            function,
            errno,
            kind: None,
            described: (StaticText(call), code),
            entries: OnceLock::new(),
            given: Entries::NONE,
            given_set: false,
            owns: false,
            addr: MaybeUninit::uninit(),
            has_addr: false,
            attempts: Vec::new(),
        })))
    }

    /// An error of these parts, written in place into this thread's spare
    /// allocation, or a new one, whose entries are `described` (see
    /// [`Inner::described`]) until read.
    #[inline(always)]
    fn build_described(
        spare_cell: &Spare,
        function: &'static str,
        errno: Option<i32>,
        call: *const c_char,
        code: c_ulong,
    ) -> Error {
        let spare = spare_cell.get();
        if !is_spare(spare) {
            return Error::fresh_described(function, errno.unwrap_or(0), call, code, errno.is_some());
        }
        spare_cell.set(EMPTY);
        // SAFETY: a spare is a box's allocation that the cell owned, and
        // now this error does.
        let mut boxed = unsafe { Box::from_raw(spare) };
        // A spare's attempts and entries are empty, with no allocation
        // (see Drop).
        debug_assert!(
            !boxed.owns
                && boxed.attempts.capacity() == 0
                && !boxed.given.owns_memory()
                && boxed.entries.get().is_none()
        );
        boxed.function = function;
        boxed.errno = errno;
        boxed.kind = None;
        boxed.has_addr = false;
        boxed.described = (StaticText(call), code);
        boxed.given_set = false;
        Error(ManuallyDrop::new(boxed))
    }

    /// An error of these parts, with these entries.
    fn build(
        function: &'static str,
        errno: Option<i32>,
        kind: Option<io::ErrorKind>,
        entries: Entries,
    ) -> Error {
        let mut e = with_spare(|spare| Error::build_described(spare, function, errno, std::ptr::null(), 0));
        e.0.kind = kind;
        e.0.owns = entries.owns_memory();
        e.0.given_set = true;
        // SAFETY: a spare's given entries hold nothing to drop (see Drop),
        // so overwriting them loses nothing.
        unsafe { std::ptr::write(&mut e.0.given, entries) };
        e
    }
}

impl Drop for Error {
    /// The contents go; the allocation stays as this thread's spare (unless
    /// it has one, or is ending), holding nothing that needs dropping: no
    /// entries, no attempts. An error whose entries were never read and
    /// that has no attempts leaves it with one store. (Inlined: in the
    /// program's code, the thread-local is one `%fs`-relative load.)
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the box is taken once, here, and not used after.
        let boxed = unsafe { ManuallyDrop::take(&mut self.0) };
        with_spare(|spare| {
            if !boxed.owns && boxed.entries.get().is_none() && spare.get() == EMPTY {
                spare.set(Box::into_raw(boxed));
            } else {
                drop_slow(boxed);
            }
        })
    }
}

/// [`Error`]'s drop when it has entries or attempts to drop, or the thread
/// has a spare already, or has no guard yet, or is ending.
#[cold]
#[inline(never)]
fn drop_slow(mut boxed: Box<Inner>) {
    drop(boxed.entries.take());
    if boxed.owns {
        boxed.given = Entries::NONE;
        boxed.attempts = Vec::new();
        boxed.owns = false;
    }
    keep_spare(boxed);
}

/// The entries of an error: up to two inline (a system error and its BIO
/// reason, the usual pair), more on the heap (Happy Eyeballs pushes some for
/// every attempt).
#[derive(Clone)]
enum Entries {
    Inline { len: u8, items: [ErrorEntry; 2] },
    Heap(Vec<ErrorEntry>),
}

const NO_ENTRY: ErrorEntry = ErrorEntry {
    code: 0,
    data: Data::None,
};

impl Entries {
    const NONE: Entries = Entries::Inline {
        len: 0,
        items: [NO_ENTRY, NO_ENTRY],
    };

    fn one(entry: ErrorEntry) -> Entries {
        Entries::Inline {
            len: 1,
            items: [entry, NO_ENTRY],
        }
    }

    fn from_raw(raw: &[ffi::BIOSOCK_ERR_ENTRY]) -> Entries {
        match raw {
            [] => Entries::NONE,
            [a] => Entries::one(ErrorEntry::from_raw(a)),
            [a, b] => Entries::Inline {
                len: 2,
                items: [ErrorEntry::from_raw(a), ErrorEntry::from_raw(b)],
            },
            more => Entries::Heap(more.iter().map(ErrorEntry::from_raw).collect()),
        }
    }

    /// Whether dropping these entries frees memory: a heap list, or a text
    /// of its own (all other data is static).
    fn owns_memory(&self) -> bool {
        match self {
            Entries::Heap(_) => true,
            Entries::Inline { items, .. } => {
                items.iter().any(|e| matches!(e.data, Data::Text(Cow::Owned(_))))
            }
        }
    }

    /// What [`Inner::described`] says: the system entry for `errno` with
    /// the text `call` (when not NULL), then `code` (when not 0).
    fn described(call: StaticText, code: c_ulong, errno: Option<i32>) -> Entries {
        let system = || ErrorEntry {
            code: ffi::ERR_SYSTEM_FLAG | (errno.unwrap_or(0) as c_ulong & 0x7fff_ffff), // ERR_SYSTEM_MASK
            data: Data::Static(call),
        };
        let reason = ErrorEntry {
            code,
            data: Data::None,
        };
        match (!call.0.is_null(), code != 0) {
            (true, true) => Entries::Inline {
                len: 2,
                items: [system(), reason],
            },
            (true, false) => Entries::one(system()),
            (false, true) => Entries::one(reason),
            (false, false) => Entries::NONE,
        }
    }

    fn as_slice(&self) -> &[ErrorEntry] {
        match self {
            Entries::Inline { len, items } => &items[..usize::from(*len)],
            Entries::Heap(v) => v,
        }
    }
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
        let errno = match sys::errno() {
            0 => None,
            e => Some(e),
        };
        const MAX: usize = ffi::ERR_NUM_ERRORS as usize;
        let mut raw = [const { MaybeUninit::<ffi::BIOSOCK_ERR_ENTRY>::uninit() }; MAX];
        // SAFETY: raw is writable for MAX entries; the call writes the first
        // n of them.
        let n = unsafe { ffi::biosock_err_drain(raw.as_mut_ptr().cast(), MAX) }.min(MAX);
        // SAFETY: the first n entries were written.
        let raw = unsafe { std::slice::from_raw_parts(raw.as_ptr().cast::<ffi::BIOSOCK_ERR_ENTRY>(), n) };
        let system = raw
            .iter()
            .find(|e| e.code & ffi::ERR_SYSTEM_FLAG != 0)
            .map(|e| ffi::ERR_GET_REASON(e.code));
        let errno = match errno_from {
            Errno::Set => errno.or(system),
            Errno::FromQueue => system,
        };
        if raw.is_empty() {
            with_spare(|spare| Error::build_described(spare, function, errno, std::ptr::null(), 0))
        } else {
            Error::build(function, errno, None, Entries::from_raw(raw))
        }
    }

    /// The error of an entry point (`c/src/rust.h`) of the public function
    /// `function` that returned `ret` (-errno), with what the public
    /// function pushes: the system entry for errno with the text
    /// `fail.call` (when not NULL), then `fail.code` (when not 0; `fail.func`
    /// is not kept: an `Error` names the function called). errno is `None` where the
    /// public function leaves it untouched, as OpenSSL's does: a refusal
    /// that no failed call is behind (an invalid socket, TCP Fast Open
    /// switched off, a truncated address), except a refused argument, which
    /// sets `EINVAL`.
    #[cold]
    #[inline(never)]
    pub(crate) fn described(
        spare: &Spare,
        function: &'static str,
        ret: c_int,
        fail: &ffi::biosock_rs_fail,
    ) -> Error {
        let errno = ret.wrapping_neg();
        // A refusal (no failed call behind it): errno only for a refused
        // argument (EINVAL).
        let refusal = fail.call.is_null()
            && fail.code != 0
            && !matches!(
                ffi::ERR_GET_REASON(fail.code) as u32,
                ffi::ERR_R_PASSED_NULL_PARAMETER | ffi::ERR_R_PASSED_INVALID_ARGUMENT
            );
        let errno = (!refusal).then_some(errno);
        Error::build_described(spare, function, errno, fail.call, fail.code)
    }

    /// [`Error::described`] for an entry point that makes its socket itself
    /// (`biosock_rs_connect_new`, `biosock_rs_listen_new`): a socket that
    /// could not be made (a reason only `BIO_socket` pushes) is
    /// `BIO_socket`'s error, as `Socket::new`'s is; any other failure is
    /// `function`'s (a listen whose bind fails stays a listen's error).
    #[cold]
    #[inline(never)]
    pub(crate) fn described_new(
        spare: &Spare,
        function: &'static str,
        ret: c_int,
        fail: &ffi::biosock_rs_fail,
    ) -> Error {
        const NO_SOCKET: c_ulong = ffi::ERR_PACK(ffi::ERR_LIB_BIO, 0, ffi::BIO_R_UNABLE_TO_CREATE_SOCKET);
        let function = if fail.code == NO_SOCKET {
            "BIO_socket"
        } else {
            function
        };
        Error::described(spare, function, ret, fail)
    }

    /// The error of a syscall made from Rust (or of a C function that
    /// pushes nothing) that failed: errno, and no queue entries.
    #[inline]
    pub(crate) fn last_os_error(function: &'static str) -> Error {
        let errno = sys::errno();
        with_spare(|spare| Error::os_error(spare, function, errno))
    }

    /// The error `errno` of `function`, with no queue entries (errno is read
    /// by the caller: this makes no call, so needs no stack frame).
    #[cold]
    #[inline(never)]
    fn os_error(spare: &Spare, function: &'static str, errno: i32) -> Error {
        Error::build_described(spare, function, Some(errno), std::ptr::null(), 0)
    }

    /// An error of the safe layer itself (a string with a NUL byte, a port
    /// out of range, an option the call cannot apply), with no C call behind
    /// it: kind `InvalidInput`, no errno, and one
    /// `ERR_R_PASSED_INVALID_ARGUMENT` entry whose data says what is wrong.
    pub(crate) fn invalid_input(function: &'static str, what: impl Into<Cow<'static, str>>) -> Error {
        Error::of_kind(function, io::ErrorKind::InvalidInput, what)
    }

    /// An error of the safe layer of `kind`, like [`Error::invalid_input`].
    pub(crate) fn of_kind(
        function: &'static str,
        kind: io::ErrorKind,
        what: impl Into<Cow<'static, str>>,
    ) -> Error {
        Error::build(
            function,
            None,
            Some(kind),
            Entries::one(ErrorEntry {
                code: ffi::ERR_PACK(ffi::ERR_LIB_BIO, 0, ffi::ERR_R_PASSED_INVALID_ARGUMENT),
                data: Data::Text(what.into()),
            }),
        )
    }

    /// A connect that failed with `errno` after the fact (`SO_ERROR` read
    /// once it finished, or its time ran out), with the entries
    /// `BIO_connect` and `biosock_connect_any` push for it: the system error
    /// ("calling connect()") and `reason`.
    fn connect_ended(function: &'static str, errno: i32, reason: u32) -> Error {
        const CALLING_CONNECT: &std::ffi::CStr = c"calling connect()";
        let code = ffi::ERR_PACK(ffi::ERR_LIB_BIO, 0, reason);
        with_spare(|spare| {
            Error::build_described(spare, function, Some(errno), CALLING_CONNECT.as_ptr(), code)
        })
    }

    /// A connect that finished with the system error `e` (`SO_ERROR`):
    /// errno and the entries of a failed `BIO_connect` (`BIO_R_CONNECT_ERROR`).
    pub(crate) fn connect_failed(function: &'static str, e: io::Error) -> Error {
        match e.raw_os_error() {
            Some(errno) => Error::connect_ended(function, errno, ffi::BIO_R_CONNECT_ERROR),
            None => Error::of_kind(function, e.kind(), e.to_string()),
        }
    }

    /// A connect whose time ran out: one shape everywhere (sync, async,
    /// Happy Eyeballs): errno `ETIMEDOUT` (kind `TimedOut`), and the entries
    /// `biosock_connect_any` pushes for an attempt cut off: the system error
    /// and `BIO_R_CONNECT_TIMEOUT`.
    pub(crate) fn timed_out(function: &'static str) -> Error {
        Error::connect_ended(function, c::ETIMEDOUT, ffi::BIO_R_CONNECT_TIMEOUT)
    }

    /// This error with the address the failed call was given, which
    /// `Display` names: `connect 127.0.0.1:1: Connection refused`.
    #[cold]
    #[inline(never)]
    pub(crate) fn with_addr(mut self, addr: &BioAddr) -> Error {
        addr.copy_into(&mut self.0.addr);
        self.0.has_addr = true;
        self
    }

    /// The address the failed call was given (to connect, bind or listen
    /// on), when it had one; for a Happy Eyeballs race that one address
    /// was attempted in, that address.
    ///
    /// ```
    /// use biosock::{BioAddr, SockOpts, Socket};
    /// let to: BioAddr = "127.0.0.1:1".parse()?;
    /// let e = Socket::connect_to(&to, SockOpts::empty()).unwrap_err();
    /// assert_eq!(e.addr(), Some(&to));
    /// assert_eq!(e.operation(), "connect");
    /// assert_eq!(e.function(), "biosock_connect_fresh");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn addr(&self) -> Option<&BioAddr> {
        // SAFETY: has_addr says copy_into wrote it.
        self.0.has_addr.then(|| unsafe { self.0.addr.assume_init_ref() })
    }

    /// This failed race's error with how each address fared (`errs`, from
    /// `biosock_connect_any`: an errno, or 0 for an address not attempted).
    pub(crate) fn with_attempts(mut self, addrs: &[BioAddr], errs: &[c_int]) -> Error {
        let inner = &mut **self.0;
        inner.attempts = addrs
            .iter()
            .zip(errs)
            .filter(|&(_, &e)| e != 0)
            .map(|(a, &e)| (a.clone(), e))
            .collect();
        inner.owns |= inner.attempts.capacity() != 0;
        if let [(only, _)] = inner.attempts.as_slice() {
            only.copy_into(&mut inner.addr);
            inner.has_addr = true;
        }
        self
    }

    /// A failed Happy Eyeballs race's attempts ([`Socket::connect_happy`],
    /// [`Socket::connect_to`] with several addresses, and their tokio
    /// forms): each address attempted, with the errno its attempt ended
    /// with (`ETIMEDOUT` for those the race's timeout cut off), in the order
    /// given. Empty for every other error.
    ///
    /// [`Socket::connect_happy`]: crate::Socket::connect_happy
    /// [`Socket::connect_to`]: crate::Socket::connect_to
    ///
    /// ```
    /// use biosock::{BioAddr, SockOpts, Socket};
    /// use std::time::Duration;
    /// let addrs: Vec<BioAddr> = vec!["127.0.0.1:1".parse()?, "[::1]:1".parse()?];
    /// let e = Socket::connect_happy(addrs.clone(), SockOpts::empty(), Duration::ZERO, None).unwrap_err();
    /// for (addr, errno) in e.attempts() {
    ///     println!("{addr}: {}", std::io::Error::from_raw_os_error(*errno));
    /// }
    /// assert_eq!(e.attempts().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn attempts(&self) -> &[(BioAddr, i32)] {
        &self.0.attempts
    }

    /// What was attempted, for a log line: `connect`, `bind`, `listen`,
    /// `accept`, `socket`, `close`, `lookup`, `parse`, or the function's
    /// own name (`setsockopt(SO_KEEPALIVE)`, `recvfrom`, ...).
    pub fn operation(&self) -> &'static str {
        match self.0.function {
            "BIO_connect" | "biosock_connect_fresh" | "biosock_connect_any" => "connect",
            "BIO_bind" => "bind",
            "BIO_listen" | "biosock_listen_backlog" | "biosock_listen_fresh" => "listen",
            "BIO_accept_ex" => "accept",
            "BIO_socket" => "socket",
            "BIO_closesocket" => "close",
            "BIO_lookup_ex" => "lookup",
            "BIO_parse_hostserv" => "parse",
            other => other,
        }
    }

    /// This error as an `io::Error` that keeps all of it: `Display` (the
    /// entries with `{:#}`) and `kind()`. The trade-off: std
    /// keeps an OS error code only in an `io::Error` without a payload, so
    /// this one's `raw_os_error()` is `None`; the errno stays on the
    /// `Error`, which `get_ref()` downcasts back to. `?` (the `From`
    /// conversion) makes the other choice: `raw_os_error()` works, as mio
    /// and tokio need, and `Display` is std's alone.
    ///
    /// ```
    /// use biosock::{Error, SockOpts, Socket};
    /// let e = Socket::connect_to("127.0.0.1:1", SockOpts::empty()).unwrap_err();
    /// let line = e.to_string();
    /// let io = e.into_io_error_with_context();
    /// assert_eq!(io.to_string(), line); // "connect 127.0.0.1:1: Connection refused (os error 111)"
    /// let back = io.get_ref().and_then(|e| e.downcast_ref::<Error>()).unwrap();
    /// assert!(back.raw_os_error().is_some());
    /// ```
    pub fn into_io_error_with_context(self) -> io::Error {
        io::Error::new(self.kind(), self)
    }

    /// The C function that failed, such as `"BIO_connect"`.
    pub fn function(&self) -> &'static str {
        self.0.function
    }

    /// errno after the failure, when the failing call set it; `None` for
    /// failures without a system error (a lookup that found nothing, an
    /// argument refused before any syscall).
    ///
    /// ```
    /// use biosock::{SockOpts, Socket};
    /// use std::io::ErrorKind;
    /// let e = Socket::connect_to("127.0.0.1:1", SockOpts::empty()).unwrap_err();
    /// assert_eq!(e.kind(), ErrorKind::ConnectionRefused);
    /// assert!(e.raw_os_error().is_some() && !e.is_retryable() && !e.is_in_progress());
    /// // The same after `?`:
    /// let io: std::io::Error = e.into();
    /// assert_eq!(io.kind(), ErrorKind::ConnectionRefused);
    /// ```
    pub fn raw_os_error(&self) -> Option<i32> {
        self.0.errno
    }

    /// The error-queue entries the call pushed, oldest first.
    pub fn entries(&self) -> &[ErrorEntry] {
        if self.0.given_set {
            return self.0.given.as_slice();
        }
        let (call, code) = self.0.described;
        self.0
            .entries
            .get_or_init(|| Entries::described(call, code, self.0.errno))
            .as_slice()
    }

    /// The BIO reason (`BIO_R_*` / `ERR_R_*`) of the newest non-system
    /// entry, if any.
    pub fn reason(&self) -> Option<i32> {
        self.entries()
            .iter()
            .rev()
            .find(|e| !e.is_system())
            .map(ErrorEntry::reason)
    }

    /// Whether the call may succeed if retried, as `BIO_sock_should_retry`
    /// judges errno (EAGAIN, EINPROGRESS, EINTR, ...).
    pub fn is_retryable(&self) -> bool {
        // SAFETY: a pure function of its argument.
        self.0
            .errno
            .is_some_and(|e| unsafe { ffi::BIO_sock_non_fatal_error(e) } == 1)
    }

    /// Whether this is a non-blocking connect still in progress
    /// (`EINPROGRESS`, `EALREADY`): wait until the socket is writable, then
    /// read [`Socket::take_error`](crate::Socket::take_error). A Unix
    /// connect's `EAGAIN` (the listener's backlog is full) is not.
    ///
    /// ```
    /// use biosock::{Domain, Interest, SockOpts, Socket, Type};
    /// use std::time::Duration;
    /// let listener = Socket::listen_on("127.0.0.1:0", SockOpts::empty())?;
    /// let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    /// match s.connect(&listener.local_addr()?, SockOpts::NONBLOCK) {
    ///     Err(e) if e.is_in_progress() => {
    ///         assert!(s.wait(Interest::Write, Duration::from_secs(5))?);
    ///         assert!(s.take_error()?.is_none());
    ///     }
    ///     other => other?, // loopback may connect at once
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_in_progress(&self) -> bool {
        self.0.errno.is_some_and(sys::is_in_progress)
    }

    /// The `io::ErrorKind` of this error: the same before and after `?`.
    ///
    /// With an errno: std's kind for it, exactly what
    /// `io::Error::from_raw_os_error(errno).kind()` says, so that the
    /// `io::Error` that `?` makes has the same kind. Where std's kind is not
    /// stable to match (`EINPROGRESS` is `InProgress`, `EAFNOSUPPORT` and
    /// `EPROTONOSUPPORT` are `Uncategorized`), test
    /// [`Error::is_in_progress`] or [`Error::raw_os_error`], which stay
    /// after `?` too. Without an errno: from the BIO reason
    /// (`InvalidInput` for refused arguments and malformed host:port
    /// strings, `Unsupported` for an unsupported family, `NotFound` for a
    /// name the resolver did not find), which `?` keeps (the `io::Error`
    /// wraps this `Error`).
    pub fn kind(&self) -> io::ErrorKind {
        if let Some(kind) = self.0.kind {
            return kind;
        }
        match self.0.errno {
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
    /// One line for a log, what was attempted on what, and why: `connect
    /// 127.0.0.1:8080: Connection refused (os error 111)` (the address when
    /// the call had one: connect, bind, listen), or for an error without an
    /// errno its entry's text: `parse: port "99999" is out of range or not
    /// a plain number (0-65535)`.
    ///
    /// The alternate form (`{:#}`) adds the function and OpenSSL's text of
    /// every entry: `connect 127.0.0.1:8080: Connection refused (os error
    /// 111) [BIO_connect: error:8000006F:system library::Connection refused
    /// (calling connect()); error:10000067:BIO routines::connect error]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.operation())?;
        if let Some(addr) = self.addr() {
            write!(f, " {addr}")?;
        }
        if self.0.attempts.len() > 1 {
            write!(f, ": {} addresses failed", self.0.attempts.len())?;
            for (i, (addr, errno)) in self.0.attempts.iter().enumerate() {
                let sep = if i == 0 { ": " } else { "; " };
                write!(f, "{sep}{addr}: {}", io::Error::from_raw_os_error(*errno))?;
            }
            return self.fmt_entries(f);
        }
        f.write_str(": ")?;
        match self.0.errno {
            Some(e) => write!(f, "{}", io::Error::from_raw_os_error(e))?,
            None => match self.entries().last() {
                Some(entry) if !entry.data().is_empty() => f.write_str(entry.data())?,
                Some(entry) => f.write_str(&entry.reason_text())?,
                None => f.write_str("failed")?,
            },
        }
        self.fmt_entries(f)
    }
}

impl Error {
    /// The alternate form's tail: ` [function: entry; entry]`.
    fn fmt_entries(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            write!(f, " [{}", self.0.function)?;
            for (i, entry) in self.entries().iter().enumerate() {
                f.write_str(if i == 0 { ": " } else { "; " })?;
                f.write_str(&entry.text())?;
                if !entry.data().is_empty() {
                    write!(f, " ({})", entry.data())?;
                }
            }
            f.write_str("]")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("function", &self.0.function)
            .field("kind", &self.kind())
            .field("errno", &self.0.errno)
            .field("addr", &self.addr())
            .field("attempts", &self.0.attempts)
            .field("entries", &self.entries())
            .finish()
    }
}

impl std::error::Error for Error {}

impl From<Error> for io::Error {
    /// With an errno: `io::Error::from_raw_os_error` (so `raw_os_error()`
    /// keeps it); without: an `io::Error` of [`Error::kind`] wrapping the
    /// `Error`. See [`Error`] for the trade-off.
    fn from(e: Error) -> io::Error {
        match e.0.errno {
            Some(errno) => io::Error::from_raw_os_error(errno),
            None => io::Error::new(e.kind(), e),
        }
    }
}

/// The way into the C library for the functions that report through the
/// error queue (lookups, parsing, Happy Eyeballs, waiting): empty this
/// thread's queue (`ERR_clear_error`) and, where errno says what failed,
/// clear errno; run `call`; when `failed` says the result is a failure, take
/// the error at once, before anything can overwrite errno or the queue.
#[inline]
pub(crate) fn c_call<T>(
    function: &'static str,
    errno_from: Errno,
    call: impl FnOnce() -> T,
    failed: impl FnOnce(&T) -> bool,
) -> Result<T> {
    // SAFETY: no preconditions.
    unsafe { ffi::ERR_clear_error() };
    if errno_from == Errno::Set {
        sys::set_errno(0);
    }
    finish(function, errno_from, call(), failed)
}

/// The success or failure of a C call's result.
#[inline]
fn finish<T>(
    function: &'static str,
    errno_from: Errno,
    ret: T,
    failed: impl FnOnce(&T) -> bool,
) -> Result<T> {
    if failed(&ret) {
        return failure(function, errno_from);
    }
    Ok(ret)
}

/// The failure of a [`c_call`], out of line so that the success path
/// keeps few registers and no stack frame for an `Error`.
#[cold]
#[inline(never)]
fn failure<T>(function: &'static str, errno_from: Errno) -> Result<T> {
    Err(Error::take(function, errno_from))
}

/// A call of an entry point `ffi::biosock_rs_*(args)` (`c/src/rust.h`),
/// with its error named after the public function whose steps it runs:
/// `rs_call!(BIO_bind, biosock_rs_bind(fd, addr, opts))` gives the fd (or
/// 0), or the [`Error::described`] by the entry point, with no error-queue
/// work. The caller states the call's safety in a `// SAFETY:` comment
/// before the macro, as for an `unsafe` block of its own.
macro_rules! rs_call {
    ($public:ident, $f:ident($($arg:expr),* $(,)?)) => {
        $crate::error::rs_call!(@with described, $public, $f($($arg),*))
    };
    // An entry point that makes its socket itself: a socket that could not
    // be made is BIO_socket's error.
    (new $public:ident, $f:ident($($arg:expr),* $(,)?)) => {
        $crate::error::rs_call!(@with described_new, $public, $f($($arg),*))
    };
    (@with $describe:ident, $public:ident, $f:ident($($arg:expr),*)) => {{
        let mut fail = ::std::mem::MaybeUninit::<$crate::ffi::biosock_rs_fail>::uninit();
        // SAFETY: the caller's comment before rs_call! states why the
        // arguments are valid for this call; fail is writable.
        let ret = unsafe { $crate::ffi::$f($($arg,)* fail.as_mut_ptr()) };
        $crate::error::rs_result(stringify!($public), ret, &fail, $crate::error::Error::$describe)
    }};
}
pub(crate) use rs_call;

/// An entry point's result: `ret` when not negative, else the error `fail`
/// describes, made by `describe` ([`Error::described`], or
/// [`Error::described_new`] for an entry point that makes its socket).
#[inline(always)]
pub(crate) fn rs_result(
    function: &'static str,
    ret: c_int,
    fail: &MaybeUninit<ffi::biosock_rs_fail>,
    describe: fn(&Spare, &'static str, c_int, &ffi::biosock_rs_fail) -> Error,
) -> Result<c_int> {
    if ret < 0 {
        // SAFETY: an entry point fills fail when it fails (rust.h).
        let fail = unsafe { fail.assume_init_ref() };
        return Err(with_spare(|spare| describe(spare, function, ret, fail)));
    }
    Ok(ret)
}

/// A call of a C function that pushes nothing and returns 1 on success
/// (`BIO_closesocket`, `BIO_set_tcp_ndelay`): its failure is errno's, as a
/// syscall's.
#[inline]
pub(crate) fn c_plain_status(function: &'static str, call: impl FnOnce() -> c_int) -> Result<()> {
    if call() != 1 {
        return Err(Error::last_os_error(function));
    }
    Ok(())
}

/// A call of `ffi::f(args)` through [`c_fd`] or [`c_plain_status`], its
/// error named after the function called, so that the name cannot drift
/// from the call: `ffi_call!(c_plain_status, BIO_closesocket(fd))` is
/// `c_plain_status("BIO_closesocket", move || unsafe { ffi::BIO_closesocket(fd) })`.
/// The caller states the call's safety in a `// SAFETY:` comment before the
/// macro, as for an `unsafe` block of its own.
macro_rules! ffi_call {
    ($how:ident, $f:ident($($arg:expr),* $(,)?)) => {
        $crate::error::$how(stringify!($f), move || {
            // SAFETY: the caller's comment before ffi_call! states why the
            // arguments are valid for this call.
            unsafe { $crate::ffi::$f($($arg),*) }
        })
    };
}
pub(crate) use ffi_call;

/// A syscall made from Rust through [`syscall`], its error named after the
/// call: `sys_call!(send(fd, buf, len, flags))` is
/// `syscall("send", unsafe { c::send(fd, buf, len, flags) })`. The caller
/// states the call's safety in a `// SAFETY:` comment before the macro.
macro_rules! sys_call {
    ($f:ident($($arg:expr),* $(,)?)) => {
        $crate::error::syscall(stringify!($f), {
            // SAFETY: the caller's comment before sys_call! states why the
            // arguments are valid for this call.
            unsafe { $crate::sys::c::$f($($arg),*) }
        })
    };
}
pub(crate) use sys_call;

/// A failed call's error names the address it was given ([`Error::addr`]).
pub(crate) trait At {
    fn at(self, addr: &BioAddr) -> Self;
}

impl<T> At for Result<T> {
    /// Not for a connect still in progress, which is no failure to log (and
    /// the hot path of every non-blocking connect).
    #[inline]
    fn at(self, addr: &BioAddr) -> Self {
        match self {
            Err(e) if !e.is_in_progress() => Err(e.with_addr(addr)),
            other => other,
        }
    }
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
        sys::set_errno(c::ECONNREFUSED);
        let e = c_call("test", Errno::Set, || 0, |&r| r == 0).unwrap_err();
        assert_eq!(e.raw_os_error(), None, "a stale errno was reported");
        let e = c_call("test", Errno::Set, || sys::set_errno(c::ECONNRESET), |_| true).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(c::ECONNRESET));
    }

    #[test]
    fn io_error_keeps_errno_or_wraps() {
        let with = Error::build("BIO_connect", Some(c::ECONNREFUSED), None, Entries::NONE);
        let io: io::Error = with.into();
        assert_eq!(io.raw_os_error(), Some(c::ECONNREFUSED));
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

    /// An error's allocation is recycled: a dropped error leaves it for the
    /// next one of the thread, emptied of what it owned (a heap list of
    /// entries, a text, a race's attempts), and a thread's spare is freed
    /// when the thread ends (Miri's leak check runs this).
    #[test]
    fn errors_recycle_their_allocation() {
        let first = Error::invalid_input("test", String::from("an owned text"));
        let at = std::ptr::addr_of!(**first.0) as usize;
        drop(first);
        let addrs = [BioAddr::unspecified(), BioAddr::unspecified()];
        let second = Error::invalid_input("test", "static").with_attempts(&addrs, &[1, 2]);
        assert_eq!(std::ptr::addr_of!(**second.0) as usize, at, "not recycled");
        assert_eq!(second.entries()[0].data(), "static");
        assert_eq!(second.attempts().len(), 2);
        // Two alive at once: the second has an allocation of its own.
        let third = Error::invalid_input("test", "x");
        assert_ne!(std::ptr::addr_of!(**third.0) as usize, at);
        drop((second, third));
        std::thread::spawn(|| drop(Error::invalid_input("test", String::from("owned"))))
            .join()
            .unwrap();
    }

    /// An entry point's description becomes the public function's entries
    /// when they are first read, the same on every read and from every
    /// thread at once: the system entry for errno with the call's text,
    /// then the code, each when there is one; errno only where the public
    /// function sets it.
    #[test]
    fn described_entries_are_made_when_first_read() {
        const CALL: &CStr = c"calling connect()";
        let connect_error = ffi::ERR_PACK(ffi::ERR_LIB_BIO, 0, ffi::BIO_R_CONNECT_ERROR);
        let invalid = ffi::ERR_PACK(ffi::ERR_LIB_BIO, 0, ffi::BIO_R_INVALID_SOCKET);
        let null_arg = ffi::ERR_PACK(ffi::ERR_LIB_BIO, 0, ffi::ERR_R_PASSED_NULL_PARAMETER);
        let system = ffi::ERR_SYSTEM_FLAG | c::ECONNREFUSED as c_ulong;
        let fail = |call: *const c_char, code| ffi::biosock_rs_fail {
            call,
            func: std::ptr::null(),
            code,
        };
        let cases = [
            (
                fail(CALL.as_ptr(), connect_error),
                Some(c::ECONNREFUSED),
                vec![(system, "calling connect()"), (connect_error, "")],
            ),
            (
                fail(CALL.as_ptr(), 0),
                Some(c::ECONNREFUSED),
                vec![(system, "calling connect()")],
            ),
            (fail(std::ptr::null(), invalid), None, vec![(invalid, "")]),
            (
                fail(std::ptr::null(), null_arg),
                Some(c::ECONNREFUSED),
                vec![(null_arg, "")],
            ),
            (fail(std::ptr::null(), 0), Some(c::ECONNREFUSED), vec![]),
        ];
        for (f, errno, want) in cases {
            let e = with_spare(|spare| Error::described(spare, "BIO_connect", -c::ECONNREFUSED, &f));
            assert_eq!(e.raw_os_error(), errno);
            let read = |e: &Error| {
                e.entries()
                    .iter()
                    .map(|x| (x.code(), x.data().to_owned()))
                    .collect::<Vec<_>>()
            };
            let want: Vec<_> = want.into_iter().map(|(c, d)| (c, d.to_owned())).collect();
            let (a, b) = std::thread::scope(|s| {
                let a = s.spawn(|| (read(&e), e.entries().as_ptr() as usize));
                let b = s.spawn(|| (read(&e), e.entries().as_ptr() as usize));
                (a.join().unwrap(), b.join().unwrap())
            });
            assert_eq!((&a.0, &b.0), (&want, &want));
            assert_eq!(a.1, b.1, "made twice");
            assert_eq!(read(&e), want);
        }
    }

    /// An error dropped on a thread that never made one is kept as that
    /// thread's spare and freed when it ends; one dropped while a thread's
    /// destructors run (after the spare's guard, or before) is freed or kept
    /// and then freed. Miri's leak check, valgrind's and ASan's run this.
    #[test]
    fn errors_dropped_on_other_threads_and_at_thread_exit_are_freed() {
        let made_here = Error::invalid_input("test", String::from("owned"));
        std::thread::spawn(move || drop(made_here)).join().unwrap();
        thread_local! {
            static HELD: std::cell::RefCell<Vec<Error>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        std::thread::spawn(|| {
            // Registered before the spare's guard: dropped after it has run
            // (or before, where destructors run in order).
            HELD.with(|h| h.borrow_mut().push(Error::timed_out("test")));
            let spare = Error::timed_out("test");
            drop(spare);
            HELD.with(|h| h.borrow_mut().push(Error::timed_out("test")));
        })
        .join()
        .unwrap();
    }

    /// The address an error carries is the one it was given, whatever its
    /// family (an IP address's copy is its sockaddr alone): equal, the same
    /// hash, the same text, with nothing read that was not written (Miri).
    #[test]
    fn errors_carry_the_address_they_were_given() {
        use std::hash::BuildHasher;
        let state = std::collections::hash_map::RandomState::new();
        let addrs = [
            BioAddr::from("127.0.0.1:80".parse::<std::net::SocketAddr>().unwrap()),
            BioAddr::from("[fe80::1%7]:443".parse::<std::net::SocketAddr>().unwrap()),
            BioAddr::unix("/tmp/x.sock").unwrap(),
            BioAddr::unix_abstract(b"name").unwrap(),
            BioAddr::unspecified(),
        ];
        for a in &addrs {
            let e = Error::timed_out("BIO_connect").with_addr(a);
            let carried = e.addr().unwrap();
            assert_eq!(carried, a);
            assert_eq!(state.hash_one(carried), state.hash_one(a));
            assert_eq!(carried.to_string(), a.to_string());
            assert!(e.to_string().starts_with(&format!("connect {a}: ")), "{e}");
            assert_eq!(carried.clone(), *a);
        }
        assert_eq!(Error::timed_out("BIO_connect").addr(), None);
    }

    /// One rule before and after `?`: for every errno value the system has
    /// (1 to 4095: every one the library can report), `kind()` and
    /// `raw_os_error()` are the `io::Error`'s; and so for the errors
    /// without an errno, whose `io::Error` wraps them.
    #[test]
    fn kind_and_errno_survive_the_question_mark() {
        let of = |errno| Error::build("BIO_socket", Some(errno), None, Entries::NONE);
        for errno in 1..4096 {
            let e = of(errno);
            let kind = e.kind();
            let io: io::Error = e.into();
            assert_eq!(
                (io.kind(), io.raw_os_error()),
                (kind, Some(errno)),
                "errno {errno}"
            );
        }
        assert!(of(c::EINPROGRESS).is_in_progress());
        // (On Windows a connect under way says WSAEWOULDBLOCK, which is
        // also EAGAIN's value there.)
        #[cfg(unix)]
        assert!(!of(c::EAGAIN).is_in_progress());
        for e in [
            Error::invalid_input("BIO_parse_hostserv", "port out of range"),
            Error::of_kind("BIO_lookup_ex", io::ErrorKind::NotFound, "no such host"),
        ] {
            let kind = e.kind();
            let io: io::Error = e.into();
            assert_eq!((io.kind(), io.raw_os_error()), (kind, None));
        }
        let t = Error::timed_out("BIO_connect");
        assert_eq!(
            (t.kind(), t.raw_os_error()),
            (io::ErrorKind::TimedOut, Some(c::ETIMEDOUT))
        );
        assert_eq!(t.reason(), Some(ffi::BIO_R_CONNECT_TIMEOUT as i32));
    }
}
