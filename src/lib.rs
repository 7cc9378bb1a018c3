//! OpenSSL's BIO socket API — `BIO_socket`, `BIO_bind`, `BIO_connect`,
//! `BIO_listen`, `BIO_accept_ex`, `BIO_closesocket` and their helpers —
//! implemented from scratch in C (`c/`), with raw bindings ([`ffi`]) and a
//! safe API: [`Socket`], [`BioAddr`], [`lookup`] and [`Error`].
//!
//! Every C symbol carries the prefix `biosock_` at link level, so this crate
//! shares a process with OpenSSL's libcrypto (through rust-openssl, say)
//! without clashing. Every fd it creates is close-on-exec.
//!
//! ```
//! use biosock::{BioAddr, SockOpts, Socket};
//! use std::io::{Read, Write};
//!
//! // Listen on an ephemeral loopback port, connect, accept, talk.
//! let listener = Socket::listen_on("127.0.0.1:0", SockOpts::REUSEADDR)?;
//! let addr: BioAddr = listener.local_addr()?;
//! let mut client = Socket::connect_to(&addr, SockOpts::NODELAY)?;
//! let (mut conn, peer) = listener.accept(SockOpts::empty())?;
//! assert_eq!(peer.ip(), Some("127.0.0.1".parse().unwrap()));
//!
//! client.write_all(b"ping")?;
//! let mut buf = [0u8; 4];
//! conn.read_exact(&mut buf)?;
//! assert_eq!(&buf, b"ping");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Errors carry errno and the error-queue entries OpenSSL would push:
//!
//! ```
//! use biosock::{ffi, BioAddr, SockOpts, Socket};
//! let addr: BioAddr = "127.0.0.1:1".parse()?;
//! let s = Socket::new(biosock::Domain::IPV4, biosock::Type::STREAM, None)?;
//! let err = s.connect(&addr, SockOpts::empty()).unwrap_err();
//! assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
//! assert_eq!(err.reason(), Some(ffi::BIO_R_CONNECT_ERROR as i32));
//! # Ok::<(), biosock::Error>(())
//! ```
//!
//! # Errors and `?`
//! Every fallible method returns [`Error`]: the function that failed, errno
//! when a syscall failed (`None` otherwise: a lookup, an argument refused
//! before any syscall), and the error-queue entries. Its `Display` is one
//! line for a log (`connect 127.0.0.1:1: Connection refused (os error
//! 111)`: what, on which address, why; `{:#}`
//! adds the function and the entries). `?` converts it into `io::Error`: with an errno it becomes
//! `io::Error::from_raw_os_error`, so `raw_os_error()` works exactly as with
//! std and socket2 and `kind()` is the same as the `Error`'s (the entries
//! stay in the `Error`: [`Error::into_io_error_with_context`]
//! keeps them, at the cost of `raw_os_error()`); without one the `io::Error`
//! wraps the `Error`, which `get_ref()` downcasts back to.
//!
//! # Options
//! [`SockOpts`] holds the `BIO_SOCK_*` flags. Each call applies some of
//! them (the table on [`SockOpts`]); an option a call cannot apply is an
//! `InvalidInput` error, never silently ignored.
//!
//! # Features
//! - `bindgen`: regenerate `src/ffi/bindings.rs` from `c/include/biosock.h`
//!   at build time (needs libclang); the committed bindings are used
//!   otherwise.
//! - `tokio`: `biosock::tokio`, async connect (Happy Eyeballs
//!   included) and accept handing out tokio's `TcpStream`/`UnixStream`.
//! - `ci`: run this crate's tests that need tools beyond Rust and a C
//!   compiler (make, libssl-dev, valgrind, g++, strace): the differential
//!   test against OpenSSL, the C suite under valgrind, and more. Without it
//!   `cargo test` lists them as ignored, with what each needs. It changes
//!   nothing in the library.
#![deny(
    missing_docs,
    missing_debug_implementations,
    unsafe_op_in_unsafe_fn,
    clippy::undocumented_unsafe_blocks,
    clippy::missing_errors_doc,
    clippy::missing_panics_doc
)]

mod addr;
mod cstr;
mod error;
pub mod ffi;
mod lookup;
mod numeric;
mod socket;
mod sys;
// tokio's AsyncFd is Unix-only; on Windows use std::net types from Socket.
#[cfg(all(feature = "tokio", unix))]
pub mod tokio;
mod types;

pub use addr::BioAddr;
pub use error::{Error, ErrorEntry, Result};
pub use lookup::{lookup, AddrInfo, BioAddrs, Lookup, LookupType, ToBioAddrs};
pub use socket::Socket;
#[cfg(unix)]
pub use socket::{SockRef, MAX_FDS};
pub use types::{Domain, Interest, Protocol, SockOpts, Type};

/// The README's Rust examples compile and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
