//! The shared vocabulary: [`Domain`], [`Type`], [`Protocol`], [`SockOpts`]
//! and [`Interest`]. A leaf module: it imports nothing else of the crate but
//! the raw constants, so every other module can use it without a cycle.

use std::fmt;
use std::os::raw::c_int;

use crate::ffi;
use crate::sys::c;

macro_rules! int_newtype {
    ($(#[$doc:meta])* $name:ident { $($(#[$cdoc:meta])* $c:ident = $v:expr;)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name(c_int);

        impl $name {
            $($(#[$cdoc])* pub const $c: $name = $name($v as c_int);)*

            /// Wrap a raw C value.
            pub const fn from_raw(v: c_int) -> $name {
                $name(v)
            }

            /// The raw C value.
            pub const fn as_raw(self) -> c_int {
                self.0
            }
        }

        impl fmt::Debug for $name {
            /// The constant's name, or the number for other values.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                $(if *self == $name::$c {
                    return f.write_str(stringify!($c));
                })*
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

int_newtype! {
    /// An address family: `AF_INET`, `AF_INET6`, `AF_UNIX` or `AF_UNSPEC`.
    Domain {
        /// `AF_INET`.
        IPV4 = c::AF_INET;
        /// `AF_INET6`.
        IPV6 = c::AF_INET6;
        /// `AF_UNIX`.
        UNIX = c::AF_UNIX;
        /// `AF_UNSPEC`.
        UNSPEC = c::AF_UNSPEC;
    }
}

int_newtype! {
    /// A socket type: `SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_SEQPACKET`.
    Type {
        /// `SOCK_STREAM`.
        STREAM = c::SOCK_STREAM;
        /// `SOCK_DGRAM`.
        DGRAM = c::SOCK_DGRAM;
        /// `SOCK_SEQPACKET`.
        SEQPACKET = c::SOCK_SEQPACKET;
    }
}

int_newtype! {
    /// A protocol: `IPPROTO_TCP`, `IPPROTO_UDP`, or 0 for the default.
    Protocol {
        /// `IPPROTO_TCP`.
        TCP = c::IPPROTO_TCP;
        /// `IPPROTO_UDP`.
        UDP = c::IPPROTO_UDP;
        /// 0: the family's default.
        DEFAULT = 0;
    }
}

bitflags::bitflags! {
    /// The `BIO_SOCK_*` options.
    ///
    /// Each call applies only some of them; passing one that the call
    /// cannot apply is an error of kind `InvalidInput`, never silently
    /// ignored:
    ///
    /// | call | options it applies |
    /// |---|---|
    /// | [`Socket::bind`](crate::Socket::bind) | `REUSEADDR`, `REUSEPORT` |
    /// | [`Socket::connect`](crate::Socket::connect), [`Socket::connect_to`](crate::Socket::connect_to) | `KEEPALIVE`, `NONBLOCK`, `NODELAY`, `TFO` |
    /// | [`Socket::listen`](crate::Socket::listen), [`Socket::listen_on`](crate::Socket::listen_on) | all seven (`V6_ONLY` with an IPv6 address only) |
    /// | [`Socket::accept`](crate::Socket::accept) | `NONBLOCK` (on the new socket) |
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct SockOpts: c_int {
        /// `BIO_SOCK_REUSEADDR`: `SO_REUSEADDR` (bind, listen). Ignored on
        /// Windows, as OpenSSL ignores it there (winsock's `SO_REUSEADDR`
        /// lets another socket take a port in use): call
        /// [`Socket::set_reuse_address`](crate::Socket::set_reuse_address)
        /// for that.
        const REUSEADDR = ffi::BIO_SOCK_REUSEADDR as c_int;
        /// `BIO_SOCK_V6_ONLY`: `IPV6_V6ONLY` (listen on IPv6).
        const V6_ONLY = ffi::BIO_SOCK_V6_ONLY as c_int;
        /// `BIO_SOCK_KEEPALIVE`: `SO_KEEPALIVE` (connect, listen).
        const KEEPALIVE = ffi::BIO_SOCK_KEEPALIVE as c_int;
        /// `BIO_SOCK_NONBLOCK`: non-blocking mode (connect, listen, accept).
        const NONBLOCK = ffi::BIO_SOCK_NONBLOCK as c_int;
        /// `BIO_SOCK_NODELAY`: `TCP_NODELAY` (connect, listen).
        const NODELAY = ffi::BIO_SOCK_NODELAY as c_int;
        /// `BIO_SOCK_TFO`: TCP Fast Open, as OpenSSL 3.5/4.0 built with
        /// `enable-tfo` (connect: `TCP_FASTOPEN_CONNECT`; listen:
        /// `TCP_FASTOPEN`; Linux; ignored where the platform lacks them).
        const TFO = ffi::BIO_SOCK_TFO as c_int;
        /// `BIOSOCK_SOCK_REUSEPORT`, a biosock extension: `SO_REUSEPORT`
        /// (bind, listen), so that several listeners share a port and the
        /// kernel spreads connections among them. Refused (`InvalidInput`)
        /// where the platform has none (Windows).
        const REUSEPORT = ffi::BIOSOCK_SOCK_REUSEPORT as c_int;
    }
}

impl SockOpts {
    // What each call applies: the header's masks (biosock.h), not copies.
    /// What `BIO_bind` applies.
    pub(crate) const BIND: SockOpts = SockOpts::from_bits_retain(ffi::BIOSOCK_BIND_OPTIONS as c_int);
    /// What `BIO_connect` applies.
    pub(crate) const CONNECT: SockOpts = SockOpts::from_bits_retain(ffi::BIOSOCK_CONNECT_OPTIONS as c_int);
    /// What `BIO_listen` applies.
    pub(crate) const LISTEN: SockOpts = SockOpts::from_bits_retain(ffi::BIOSOCK_LISTEN_OPTIONS as c_int);
    /// What `BIO_accept_ex` applies.
    pub(crate) const ACCEPT: SockOpts = SockOpts::from_bits_retain(ffi::BIOSOCK_ACCEPT_OPTIONS as c_int);
    /// What `biosock_connect_any` (Happy Eyeballs) applies.
    pub(crate) const HAPPY: SockOpts = SockOpts::from_bits_retain(ffi::BIOSOCK_HAPPY_OPTIONS as c_int);
}

/// What [`Socket::wait`](crate::Socket::wait) waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Interest {
    /// Readable (or a connection to accept).
    Read,
    /// Writable (or a connect finished).
    Write,
}
