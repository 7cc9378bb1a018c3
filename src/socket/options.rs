//! The socket options: every getter and setter is generated from one row of
//! the table in `option_table.rs` by `socket_options!`, through one of the
//! value [`kinds`] here. Nothing in this file names an option.

use std::mem::size_of;
use std::net::Ipv4Addr;
use std::os::raw::c_int;
use std::time::Duration;

use super::Socket;
use crate::error::{ffi_call, syscall, Error, Result};
use crate::sys::{self, c};

/// The C names the table uses: libc's (winsock's under libc's names on
/// Windows), with the keepalive idle time under Linux's name everywhere.
#[allow(unused_imports)]
mod names {
    pub(crate) use crate::sys::c::*;
    pub(crate) use crate::sys::KEEPALIVE_TIME as TCP_KEEPIDLE;
}

/// `setsockopt` of a plain-data `T`.
fn set<T>(s: &Socket, level: c_int, name: c_int, value: &T, function: &'static str) -> Result<()> {
    set_bytes(
        s,
        level,
        name,
        (value as *const T).cast(),
        size_of::<T>(),
        function,
    )
}

/// `setsockopt` of `len` bytes at `value`.
fn set_bytes(
    s: &Socket,
    level: c_int,
    name: c_int,
    value: *const c::c_void,
    len: usize,
    function: &'static str,
) -> Result<()> {
    // SAFETY: the callers pass a pointer readable for len bytes.
    syscall(function, unsafe {
        c::setsockopt(s.fd, level, name, value, len as c::socklen_t)
    })
    .map(drop)
}

/// `getsockopt` of a plain-data `T` (an int, a timeval, a linger).
fn get<T: Copy>(s: &Socket, level: c_int, name: c_int, function: &'static str) -> Result<T> {
    let mut value = std::mem::MaybeUninit::<T>::zeroed();
    let mut len = size_of::<T>() as c::socklen_t;
    // SAFETY: value is writable for len bytes.
    syscall(function, unsafe {
        c::getsockopt(s.fd, level, name, value.as_mut_ptr().cast(), &mut len)
    })?;
    // SAFETY: T is plain data (ints and structs of ints) and was zeroed, so
    // it is initialised whether the kernel wrote all of it or less.
    Ok(unsafe { value.assume_init() })
}

/// How an option's value travels between Rust and the kernel.
pub(crate) trait Kind {
    /// What the setter takes.
    type Set<'a>;
    /// What the getter returns.
    type Get;
    /// `setsockopt(level, name)` of `value`.
    fn set(s: &Socket, level: c_int, name: c_int, value: Self::Set<'_>, function: &'static str)
        -> Result<()>;
    /// `getsockopt(level, name)`.
    fn get(s: &Socket, level: c_int, name: c_int, function: &'static str) -> Result<Self::Get>;
}

/// The value kinds of the table.
pub(crate) mod kinds {
    use super::*;

    /// A boolean int.
    pub(crate) struct Flag;
    /// An unsigned count as an int, saturating at `i32::MAX`.
    pub(crate) struct Count;
    /// A byte size as an int, saturating at `i32::MAX`.
    pub(crate) struct Size;
    /// Whole seconds as an int: rounded up, saturating.
    pub(crate) struct Secs;
    /// `struct linger`, in whole seconds rounded up.
    pub(crate) struct Linger;
    /// A send or receive timeout: the platform's (`timeval`, a DWORD of ms).
    pub(crate) struct Timeout;
    /// A name of up to `IFNAMSIZ` bytes (an interface).
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub(crate) struct Name;
    /// Bytes of up to 16 (`TCP_CA_NAME_MAX`: a congestion control name).
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub(crate) struct Text;
    /// Milliseconds as an int: rounded up, saturating; 0 is `None`.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub(crate) struct Millis;
    /// An IPv4 address as `struct in_addr`.
    pub(crate) struct Ipv4;

    impl Kind for Flag {
        type Set<'a> = bool;
        type Get = bool;
        fn set(s: &Socket, level: c_int, name: c_int, on: bool, function: &'static str) -> Result<()> {
            super::set(s, level, name, &c_int::from(on), function)
        }
        fn get(s: &Socket, level: c_int, name: c_int, function: &'static str) -> Result<bool> {
            Ok(super::get::<c_int>(s, level, name, function)? != 0)
        }
    }

    /// The unsigned kinds over an int: saturating both ways.
    macro_rules! unsigned_kind {
        ($($kind:ident: $t:ty),*) => {$(
            impl Kind for $kind {
                type Set<'a> = $t;
                type Get = $t;
                fn set(s: &Socket, level: c_int, name: c_int, n: $t, function: &'static str) -> Result<()> {
                    super::set(s, level, name, &saturate(n), function)
                }
                fn get(s: &Socket, level: c_int, name: c_int, function: &'static str) -> Result<$t> {
                    Ok(super::get::<c_int>(s, level, name, function)?.max(0) as $t)
                }
            }
        )*};
    }
    unsigned_kind!(Count: u32, Size: usize);

    impl Kind for Secs {
        type Set<'a> = Duration;
        type Get = Duration;
        fn set(s: &Socket, level: c_int, name: c_int, d: Duration, function: &'static str) -> Result<()> {
            super::set(s, level, name, &secs_up(d), function)
        }
        fn get(s: &Socket, level: c_int, name: c_int, function: &'static str) -> Result<Duration> {
            let n = super::get::<c_int>(s, level, name, function)?;
            Ok(Duration::from_secs(n.max(0) as u64))
        }
    }

    impl Kind for Linger {
        type Set<'a> = Option<Duration>;
        type Get = Option<Duration>;
        fn set(
            s: &Socket,
            level: c_int,
            name: c_int,
            l: Option<Duration>,
            function: &'static str,
        ) -> Result<()> {
            super::set(s, level, name, &sys::linger(l.map(secs_up)), function)
        }
        fn get(s: &Socket, level: c_int, name: c_int, function: &'static str) -> Result<Option<Duration>> {
            let l: c::linger = super::get(s, level, name, function)?;
            Ok(sys::linger_secs(l).map(Duration::from_secs))
        }
    }

    impl Kind for Timeout {
        type Set<'a> = Option<Duration>;
        type Get = Option<Duration>;
        fn set(
            s: &Socket,
            level: c_int,
            name: c_int,
            t: Option<Duration>,
            function: &'static str,
        ) -> Result<()> {
            let raw = match t {
                Some(t) if t.is_zero() => {
                    return Err(Error::invalid_input(
                        function,
                        "a zero timeout (use None for no timeout)",
                    ));
                }
                Some(t) => sys::timeout(t),
                None => sys::NO_TIMEOUT,
            };
            super::set(s, level, name, &raw, function)
        }
        fn get(s: &Socket, level: c_int, name: c_int, function: &'static str) -> Result<Option<Duration>> {
            Ok(sys::timeout_of(super::get(s, level, name, function)?))
        }
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    impl Kind for Name {
        type Set<'a> = Option<&'a [u8]>;
        type Get = Option<Vec<u8>>;
        fn set(
            s: &Socket,
            level: c_int,
            name: c_int,
            v: Option<&[u8]>,
            function: &'static str,
        ) -> Result<()> {
            let v = v.unwrap_or(&[]);
            super::set_bytes(s, level, name, v.as_ptr().cast(), v.len(), function)
        }
        fn get(s: &Socket, level: c_int, name: c_int, function: &'static str) -> Result<Option<Vec<u8>>> {
            let v = get_bytes::<{ c::IFNAMSIZ }>(s, level, name, function)?;
            Ok((!v.is_empty()).then_some(v))
        }
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    impl Kind for Text {
        type Set<'a> = &'a [u8];
        type Get = Vec<u8>;
        fn set(s: &Socket, level: c_int, name: c_int, v: &[u8], function: &'static str) -> Result<()> {
            super::set_bytes(s, level, name, v.as_ptr().cast(), v.len(), function)
        }
        fn get(s: &Socket, level: c_int, name: c_int, function: &'static str) -> Result<Vec<u8>> {
            get_bytes::<16>(s, level, name, function)
        }
    }

    /// A variable-length option of at most `N` bytes, up to its first NUL.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn get_bytes<const N: usize>(
        s: &Socket,
        level: c_int,
        name: c_int,
        function: &'static str,
    ) -> Result<Vec<u8>> {
        let mut buf = [0u8; N];
        let mut len = buf.len() as c::socklen_t;
        // SAFETY: buf is writable for len bytes.
        syscall(function, unsafe {
            c::getsockopt(s.fd, level, name, buf.as_mut_ptr().cast(), &mut len)
        })?;
        let v = &buf[..(len as usize).min(buf.len())];
        Ok(v.split(|&b| b == 0).next().unwrap_or_default().to_vec())
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    impl Kind for Millis {
        type Set<'a> = Option<Duration>;
        type Get = Option<Duration>;
        fn set(
            s: &Socket,
            level: c_int,
            name: c_int,
            t: Option<Duration>,
            function: &'static str,
        ) -> Result<()> {
            let ms = t.map_or(0, |t| saturate(t.as_nanos().div_ceil(1_000_000)));
            super::set(s, level, name, &ms, function)
        }
        fn get(s: &Socket, level: c_int, name: c_int, function: &'static str) -> Result<Option<Duration>> {
            let ms = super::get::<c_int>(s, level, name, function)?;
            Ok((ms > 0).then(|| Duration::from_millis(ms as u64)))
        }
    }

    impl Kind for Ipv4 {
        type Set<'a> = Ipv4Addr;
        type Get = Ipv4Addr;
        fn set(s: &Socket, level: c_int, name: c_int, ip: Ipv4Addr, function: &'static str) -> Result<()> {
            let a = c::in_addr {
                s_addr: u32::from_ne_bytes(ip.octets()),
            };
            super::set(s, level, name, &a, function)
        }
        fn get(s: &Socket, level: c_int, name: c_int, function: &'static str) -> Result<Ipv4Addr> {
            let a: c::in_addr = super::get(s, level, name, function)?;
            Ok(Ipv4Addr::from(a.s_addr.to_ne_bytes()))
        }
    }

    /// An int option's value, saturating.
    fn saturate<T: TryInto<c_int>>(n: T) -> c_int {
        n.try_into().unwrap_or(c_int::MAX)
    }

    /// Whole seconds, rounded up (the kernel keeps no fraction; rounding
    /// down would turn 500 ms into 0, which it refuses or reads as "off").
    fn secs_up(d: Duration) -> c_int {
        saturate(d.as_secs().saturating_add(u64::from(d.subsec_nanos() > 0)))
    }
}

/// The Rust types of each kind's setter and getter, and its rustdoc note:
/// what the methods' signatures show.
macro_rules! kind {
    (set Flag) => { bool };
    (get Flag) => { bool };
    (doc Flag) => { "" };
    (set Count) => { u32 };
    (get Count) => { u32 };
    (doc Count) => { "A value above `i32::MAX` is set as `i32::MAX`." };
    (set Size) => { usize };
    (get Size) => { usize };
    (doc Size) => { "In bytes; a value above `i32::MAX` is set as `i32::MAX`." };
    (set Secs) => { Duration };
    (get Secs) => { Duration };
    (doc Secs) => {
        "Whole seconds, the unit the kernel keeps: a fraction of a second is \
         rounded up (1.5 s sets 2 s, 500 ms sets 1 s)."
    };
    (set Linger) => { Option<Duration> };
    (get Linger) => { Option<Duration> };
    (doc Linger) => {
        "`Some(t)` makes close wait up to `t` for unsent data, `Some(ZERO)` \
         resets the connection on close, `None` (the default) closes in the \
         background. Whole seconds, rounded up (1.5 s sets 2 s; up to 65535 s \
         on Windows)."
    };
    (set Timeout) => { Option<Duration> };
    (get Timeout) => { Option<Duration> };
    (doc Timeout) => {
        "`None` waits for ever. Set as a `timeval` in microseconds, rounded up \
         (so below 1 µs is still a timeout); Linux keeps it in clock ticks \
         (1 to 10 ms, by the kernel's `HZ`) and reads back that rounding. \
         Windows: milliseconds, rounded up."
    };
    (set Name) => { Option<&[u8]> };
    (get Name) => { Option<Vec<u8>> };
    (doc Name) => { "`None`: not bound (the setter unbinds)." };
    (set Text) => { &[u8] };
    (get Text) => { Vec<u8> };
    (doc Text) => { "" };
    (set Millis) => { Option<Duration> };
    (get Millis) => { Option<Duration> };
    (doc Millis) => {
        "Whole milliseconds, the unit the kernel keeps: rounded up (1.5 ms \
         sets 2 ms); `None` (or zero) is the system's default."
    };
    (set Ipv4) => { Ipv4Addr };
    (get Ipv4) => { Ipv4Addr };
    (doc Ipv4) => { "" };
    (errors Timeout) => { "`InvalidInput` for `Some(Duration::ZERO)`, as std refuses it; " };
    (errors $kind:ident) => { "" };
}

/// A socket of each kind the table's tests name, as the rustdoc example
/// creates it.
macro_rules! example_socket {
    (tcp4) => {
        "Socket::new(Domain::IPV4, Type::STREAM, None)?"
    };
    (tcp6) => {
        "Socket::new(Domain::IPV6, Type::STREAM, None)?"
    };
    (udp4) => {
        "Socket::new(Domain::IPV4, Type::DGRAM, None)?"
    };
    (udp6) => {
        "Socket::new(Domain::IPV6, Type::DGRAM, None)?"
    };
    (unix_stream) => {
        "Socket::new(Domain::UNIX, Type::STREAM, None)?"
    };
    (unix_dgram) => {
        "Socket::new(Domain::UNIX, Type::DGRAM, None)?"
    };
}

/// The table's rows (`option_table.rs`, included below) as methods of
/// [`Socket`].
macro_rules! socket_options {
    ($(
        $(#[doc = $doc:literal])*
        $(#[cfg($cfg:meta)])?
        $get:ident / $set:ident : $kind:ident($level:ident, $name:ident) $(via $via:ident)?
            test $($root:ident)? [$fam:ident $(, $more:ident)*] $val:expr $(=> $back:expr)? $(, at_least $min:expr)?;
    )*) => {
        impl Socket {$(
            #[doc = socket_options!(@set_line $level, $name $(, $via)?)]
            #[doc = ""]
            $(#[doc = $doc])*
            #[doc = ""]
            #[doc = kind!(doc $kind)]
            #[doc = ""]
            #[doc = "# Errors"]
            #[doc = concat!(kind!(errors $kind), socket_options!(@errors setsockopt))]
            #[doc = ""]
            #[doc = socket_options!(@example $($root)? $fam, $set, $get, $val $(=> $back)? $(, at_least $min)?)]
            $(#[cfg($cfg)])?
            pub fn $set(&self, value: kind!(set $kind)) -> Result<()> {
                socket_options!(@set self, value, $kind, $level, $name $(, $via)?)
            }

            #[doc = concat!(
                "Get `", stringify!($name), "` (`getsockopt(", stringify!($level), ", ",
                stringify!($name), ")`), as [`Socket::", stringify!($set), "`] sets it."
            )]
            #[doc = ""]
            $(#[doc = $doc])*
            #[doc = ""]
            #[doc = kind!(doc $kind)]
            #[doc = ""]
            #[doc = "# Errors"]
            #[doc = socket_options!(@errors getsockopt)]
            $(#[cfg($cfg)])?
            pub fn $get(&self) -> Result<kind!(get $kind)> {
                <kinds::$kind as Kind>::get(
                    self,
                    names::$level,
                    names::$name,
                    concat!("getsockopt(", stringify!($name), ")"),
                )
            }
        )*}
    };

    (@set_line $level:ident, $name:ident) => {
        concat!("Set `", stringify!($name), "` (`setsockopt(", stringify!($level), ", ", stringify!($name), ")`).")
    };
    (@set_line $level:ident, $name:ident, $via:ident) => {
        concat!("Set `", stringify!($name), "` (`", stringify!($via), "`).")
    };

    (@set $self:ident, $value:ident, $kind:ident, $level:ident, $name:ident) => {
        <kinds::$kind as Kind>::set(
            $self,
            names::$level,
            names::$name,
            $value,
            concat!("setsockopt(", stringify!($name), ")"),
        )
    };
    // SAFETY (of the call ffi_call! makes): the C function takes an fd and
    // an int; a bad fd is an error, not undefined behaviour.
    (@set $self:ident, $value:ident, Flag, $level:ident, $name:ident, $via:ident) => {
        ffi_call!(c_plain_status, $via($self.fd, c_int::from($value)))
    };

    (@fence run) => { "```\n" };
    (@fence no_run) => { "```no_run\n" };

    (@errors $call:ident) => {
        concat!(
            "The system error of `", stringify!($call), "`: `ENOPROTOOPT` or `EOPNOTSUPP` \
             (kind `Unsupported`) on a socket whose protocol lacks the option, `EINVAL` \
             for a value the kernel refuses, `EBADF`."
        )
    };

    (@example as_root $fam:ident, $set:ident, $get:ident, $val:expr $(=> $back:expr)? $(, at_least $min:expr)?) => {
        socket_options!(@example_with no_run $fam, $set, $val, "")
    };
    (@example $fam:ident, $set:ident, $get:ident, $val:expr) => {
        socket_options!(@example_with run $fam, $set, $val,
            concat!("assert_eq!(s.", stringify!($get), "()?, ", stringify!($val), ");"))
    };
    (@example $fam:ident, $set:ident, $get:ident, $val:expr => $back:expr) => {
        socket_options!(@example_with run $fam, $set, $val,
            concat!("assert_eq!(s.", stringify!($get), "()?, ", stringify!($back), ");"))
    };
    (@example $fam:ident, $set:ident, $get:ident, $val:expr, at_least $min:expr) => {
        socket_options!(@example_with run $fam, $set, $val,
            concat!("assert!(s.", stringify!($get), "()? >= ", stringify!($min), ");"))
    };
    (@example_with $run:ident $fam:ident, $set:ident, $val:expr, $check:expr) => {
        concat!(
            socket_options!(@fence $run),
            "# #[allow(unused_imports)] use std::{net::Ipv4Addr, time::Duration};\n",
            "use biosock::{Domain, Socket, Type};\n",
            "let s = ", example_socket!($fam), ";\n",
            "# #[cfg(unix)] // (winsock refuses some of these before connect)\n",
            "s.", stringify!($set), "(", stringify!($val), ")?;\n",
            "# #[cfg(unix)]\n",
            $check, "\n",
            "# Ok::<(), biosock::Error>(())\n",
            "```"
        )
    };
}

include!("option_table.rs");
