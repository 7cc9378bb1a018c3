//! C strings across the boundary: [`SmallCStr`] for arguments, and
//! [`take_c_string`] for strings the library returns.

use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::ptr;

use crate::error::{Error, Result};
use crate::ffi;

/// Turn a non-NULL string the C library allocated into a `String` and free
/// it.
pub(crate) fn take_c_string(s: *mut c_char) -> String {
    // SAFETY: s is a non-NULL, NUL-terminated string the library allocated.
    let owned = unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned();
    // SAFETY: s came from the library and is freed once, here.
    unsafe { ffi::OPENSSL_free(s.cast()) };
    owned
}

/// A C string argument: NULL for `None`, on the stack when short (so the
/// common case does not allocate), on the heap otherwise.
#[allow(clippy::large_enum_variant)] // the large variant is the point: no heap
pub(crate) enum SmallCStr {
    /// `None`: the C function gets NULL.
    Null,
    /// Up to `INLINE - 1` bytes and the terminating NUL.
    Inline([u8; SmallCStr::INLINE]),
    /// Anything longer.
    Heap(CString),
}

impl SmallCStr {
    const INLINE: usize = 256;

    /// `s` as a C string; `function` names the caller in the error.
    ///
    /// # Errors
    /// `InvalidInput` when `s` holds a NUL byte.
    pub(crate) fn new(s: Option<&str>, function: &'static str) -> Result<SmallCStr> {
        let Some(s) = s else {
            return Ok(SmallCStr::Null);
        };
        if s.as_bytes().contains(&0) {
            return Err(Error::invalid_input(function, "NUL byte in a string argument"));
        }
        if s.len() < SmallCStr::INLINE {
            let mut buf = [0u8; SmallCStr::INLINE];
            buf[..s.len()].copy_from_slice(s.as_bytes());
            return Ok(SmallCStr::Inline(buf));
        }
        Ok(SmallCStr::Heap(CString::new(s).expect("checked for NUL above")))
    }

    /// The pointer to pass to C, valid while `self` lives.
    pub(crate) fn as_ptr(&self) -> *const c_char {
        match self {
            SmallCStr::Null => ptr::null(),
            SmallCStr::Inline(buf) => buf.as_ptr().cast(),
            SmallCStr::Heap(c) => c.as_ptr(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_c_str_inline_heap_and_null() {
        assert!(SmallCStr::new(None, "f").unwrap().as_ptr().is_null());
        let short = SmallCStr::new(Some("abc"), "f").unwrap();
        assert!(matches!(short, SmallCStr::Inline(_)));
        // SAFETY: as_ptr is NUL-terminated and lives as long as short.
        assert_eq!(unsafe { CStr::from_ptr(short.as_ptr()) }.to_bytes(), b"abc");
        let edge = "x".repeat(SmallCStr::INLINE - 1);
        assert!(matches!(
            SmallCStr::new(Some(&edge), "f").unwrap(),
            SmallCStr::Inline(_)
        ));
        let long = "y".repeat(SmallCStr::INLINE);
        let heap = SmallCStr::new(Some(&long), "f").unwrap();
        assert!(matches!(heap, SmallCStr::Heap(_)));
        // SAFETY: as above.
        let back = unsafe { CStr::from_ptr(heap.as_ptr()) };
        assert_eq!(back.to_bytes(), long.as_bytes());
        assert!(SmallCStr::new(Some("a\0b"), "f").is_err());
    }
}
