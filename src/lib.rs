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
//! let mut client = Socket::connect_addr(&addr, SockOpts::NODELAY)?;
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
#![deny(
    missing_docs,
    missing_debug_implementations,
    unsafe_op_in_unsafe_fn,
    clippy::undocumented_unsafe_blocks
)]

mod addr;
mod error;
pub mod ffi;
mod lookup;
mod socket;
mod types;

pub use addr::BioAddr;
pub use error::{Error, ErrorEntry, Result};
pub use lookup::{lookup, AddrInfo, BioAddrs, Lookup, LookupType, ToBioAddrs};
pub use socket::Socket;
pub use types::{Domain, Interest, Protocol, SockOpts, Type};
