//! The platform: what the crate needs of the system beside the C library,
//! under one set of names (libc's), so that the other modules read the same
//! on every platform. On Unix that is libc itself; on Windows, winsock's
//! values and functions under libc's names (socket2's `sys` and libuv's
//! `src/win` split the same way).

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub(crate) use unix::*;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub(crate) use windows::*;
