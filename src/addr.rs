//! [`BioAddr`]: an owned `BIO_ADDR` stored inline.
//!
//! Reading and writing the address is plain Rust over the C layout, the way
//! socket2's `SockAddr` does it: a pointer to the whole `BIO_ADDR` is cast
//! to the `sockaddr_*` of its family (the union sits at offset 0 and every
//! member is at most its size). Nothing here calls C except the
//! `getnameinfo` strings, so Miri checks all of it.

#[cfg(unix)]
use std::ffi::OsStr;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::mem::{size_of, MaybeUninit};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
#[cfg(unix)]
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::str::FromStr;

use crate::cstr::take_c_string;
use crate::error::{c_call, Errno, Error, Result};
use crate::ffi;
use crate::sys::c;
use crate::types::Domain;

/// A Unix socket path's bytes: the OS string itself on Unix; UTF-8 on
/// Windows, as its AF_UNIX takes it.
#[cfg(unix)]
fn path_bytes(path: &Path) -> Result<&[u8]> {
    Ok(path.as_os_str().as_bytes())
}

#[cfg(windows)]
fn path_bytes(path: &Path) -> Result<&[u8]> {
    path.to_str()
        .map(str::as_bytes)
        .ok_or_else(|| Error::invalid_input("BIO_ADDR_rawmake", "a Unix socket path that is not UTF-8"))
}

/// A Unix socket path from its bytes (`None`: not UTF-8, on Windows).
#[cfg(unix)]
fn path_of(name: &[u8]) -> Option<&Path> {
    Some(Path::new(OsStr::from_bytes(name)))
}

#[cfg(windows)]
fn path_of(name: &[u8]) -> Option<&Path> {
    std::str::from_utf8(name).ok().map(Path::new)
}

/// Where `sun_path` starts in a `sockaddr_un`.
const SUN_PATH_OFFSET: usize = std::mem::offset_of!(c::sockaddr_un, sun_path);
/// The size of the largest sockaddr in a `BIO_ADDR`.
const LARGEST_SOCKADDR: usize = if size_of::<c::sockaddr_un>() > size_of::<c::sockaddr_in6>() {
    size_of::<c::sockaddr_un>()
} else {
    size_of::<c::sockaddr_in6>()
};
/// `sin_port` and `sin6_port` at one offset, which `BioAddr::port` reads;
/// a `sockaddr_in` (16 bytes) of an IPv6 address lies within its 28.
const _PORT_AT: () = assert!(
    std::mem::offset_of!(c::sockaddr_in, sin_port) == std::mem::offset_of!(c::sockaddr_in6, sin6_port)
        && size_of::<c::sockaddr_in>() <= size_of::<c::sockaddr_in6>()
);
/// The capacity of `sun_path`.
const SUN_PATH_LEN: usize = size_of::<c::sockaddr_un>() - SUN_PATH_OFFSET;

/// A socket address (IPv4, IPv6 or Unix) held in a `BIO_ADDR`, stored inline:
/// creating, copying and converting one never allocates.
pub struct BioAddr {
    raw: ffi::BIO_ADDR,
}

impl BioAddr {
    /// An empty address of family `AF_UNSPEC` (what `BIO_ADDR_clear` makes).
    ///
    /// ```
    /// let a = biosock::BioAddr::unspecified();
    /// assert_eq!(a.family(), biosock::Domain::UNSPEC);
    /// assert_eq!((a.port(), a.ip()), (None, None));
    /// ```
    pub fn unspecified() -> BioAddr {
        // SAFETY: BIO_ADDR is plain old data (integers and byte arrays), so
        // all-zero is a valid value, and sa_family 0 is AF_UNSPEC.
        let raw = unsafe { MaybeUninit::zeroed().assume_init() };
        BioAddr { raw }
    }

    /// Storage for an address the C library fills from the kernel
    /// (`biosock_rs_accept`, `biosock_rs_sock_name`), not zeroed first:
    /// `bsock__addr_from_kernel` writes every byte that a method of its
    /// family reads (a whole `sockaddr_in` or `sockaddr_in6`; for any other
    /// family, the union up to `unix_len`). The bytes it leaves unwritten
    /// lie past the family's sockaddr, which only the union holds: a union
    /// may hold uninitialised bytes, and no method reads them.
    #[inline(always)]
    pub(crate) fn for_kernel() -> MaybeUninit<BioAddr> {
        MaybeUninit::uninit()
    }

    /// The address that is the IPv4 or IPv6 sockaddr `sa`, written whole,
    /// with `unix_len` 0 and nothing else written: as from the kernel (see
    /// [`BioAddr::for_kernel`]), no method reads past `sa`.
    #[inline(always)]
    fn of_sockaddr<T: Sockaddr>(sa: T) -> BioAddr {
        let mut a = BioAddr::for_kernel();
        let raw = BioAddr::raw_of(&mut a);
        // SAFETY: T is a member of the union at its start; biosock_ is the
        // member that holds unix_len (ManuallyDrop is transparent). Both
        // writes are in bounds of a, and together they are what a reader of
        // T's family reads.
        unsafe {
            raw.cast::<T>().write(sa);
            let bio = std::ptr::addr_of_mut!((*raw).biosock_).cast::<ffi::biosock_addr_st>();
            std::ptr::addr_of_mut!((*bio).unix_len).write(0);
            a.assume_init()
        }
    }

    /// A copy of this address written into `dst`: as [`Clone`], but of an
    /// IPv4 or IPv6 address only what a reader of its family reads (its
    /// sockaddr, at most 28 bytes, and `unix_len`), not all 112 bytes.
    #[inline]
    pub(crate) fn copy_into(&self, dst: &mut MaybeUninit<BioAddr>) {
        if !matches!(self.family(), Domain::IPV4 | Domain::IPV6) {
            dst.write(self.clone());
            return;
        }
        let to = BioAddr::raw_of(dst);
        // SAFETY: both are BIO_ADDR storage; the first
        // size_of::<sockaddr_in6>() bytes of an IP address are its
        // sockaddr's, written (of_sockaddr, the kernel, the C library), and
        // unix_len is a field of biosock's member of the union. The two
        // writes are what a reader of the family reads (see of_sockaddr).
        unsafe {
            std::ptr::copy_nonoverlapping(
                std::ptr::addr_of!(self.raw).cast::<u8>(),
                to.cast::<u8>(),
                size_of::<c::sockaddr_in6>(),
            );
            let bio = std::ptr::addr_of_mut!((*to).biosock_).cast::<ffi::biosock_addr_st>();
            std::ptr::addr_of_mut!((*bio).unix_len).write(0);
        }
    }

    /// The `BIO_ADDR` inside storage from [`BioAddr::for_kernel`].
    #[inline(always)]
    pub(crate) fn raw_of(a: &mut MaybeUninit<BioAddr>) -> *mut ffi::BIO_ADDR {
        // SAFETY: a place projection only; nothing is read.
        unsafe { std::ptr::addr_of_mut!((*a.as_mut_ptr()).raw) }
    }

    /// A Unix socket path, as `BIO_ADDR_rawmake(AF_UNIX, …)` makes it.
    ///
    /// # Errors
    /// `InvalidInput` for a path with a NUL byte inside, or one that does
    /// not fit `sun_path` with its terminating NUL (108 bytes or more on
    /// Linux).
    ///
    /// ```
    /// let a = biosock::BioAddr::unix("/tmp/app.sock")?;
    /// assert_eq!(a.path(), Some(std::path::Path::new("/tmp/app.sock")));
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn unix<P: AsRef<Path>>(path: P) -> Result<BioAddr> {
        let bytes = path_bytes(path.as_ref())?;
        if bytes.contains(&0) {
            return Err(Error::invalid_input(
                "BIO_ADDR_rawmake",
                "NUL byte in a Unix path",
            ));
        }
        BioAddr::unix_name(bytes, 0)
    }

    /// A Linux abstract Unix address named `name` (without the leading NUL
    /// byte, which this adds).
    ///
    /// # Errors
    /// `InvalidInput` when `name` is longer than `sun_path` minus the
    /// leading NUL and one byte (106 bytes on Linux), as `BIO_ADDR_rawmake`
    /// refuses it.
    ///
    /// ```
    /// let a = biosock::BioAddr::unix_abstract(b"my-service")?;
    /// assert_eq!(a.abstract_name(), Some(&b"my-service"[..]));
    /// assert_eq!(a.to_string(), "@my-service");
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn unix_abstract(name: &[u8]) -> Result<BioAddr> {
        let mut buf = [0u8; SUN_PATH_LEN];
        if name.len() + 1 >= buf.len() {
            return Err(Error::invalid_input("BIO_ADDR_rawmake", "abstract name too long"));
        }
        buf[1..=name.len()].copy_from_slice(name);
        BioAddr::unix_name(&buf[..=name.len()], SUN_PATH_OFFSET + name.len() + 1)
    }

    /// An `AF_UNIX` address of `name` (a path, or an abstract name that
    /// starts with NUL) and the length the kernel is given (`unix_len`: 0
    /// for a path, which then goes as the whole `sockaddr_un`).
    fn unix_name(name: &[u8], unix_len: usize) -> Result<BioAddr> {
        if name.len() >= SUN_PATH_LEN {
            return Err(Error::invalid_input(
                "BIO_ADDR_rawmake",
                format!(
                    "Unix path of {} bytes: at most {} fit",
                    name.len(),
                    SUN_PATH_LEN - 1
                ),
            ));
        }
        let mut addr = BioAddr::unspecified();
        let un = addr.sockaddr_mut::<c::sockaddr_un>();
        un.sun_family = c::AF_UNIX as c::sa_family_t;
        for (dst, &src) in un.sun_path.iter_mut().zip(name) {
            *dst = src as c::c_char;
        }
        addr.sockaddr_mut::<ffi::biosock_addr_st>().unix_len = unix_len as c::socklen_t;
        Ok(addr)
    }

    /// The address family (`BIO_ADDR_family`): `Domain::IPV4`, `IPV6`,
    /// `UNIX`, or `UNSPEC`.
    ///
    /// ```
    /// use biosock::{BioAddr, Domain};
    /// let a: BioAddr = "[::1]:443".parse()?;
    /// assert_eq!((a.family(), a.port()), (Domain::IPV6, Some(443)));
    /// assert_eq!(a.ip(), Some("::1".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn family(&self) -> Domain {
        Domain::from_raw(c_int_from(self.sockaddr::<c::sockaddr>().sa_family))
    }

    /// The port in host byte order for IP addresses (`BIO_ADDR_rawport`).
    pub fn port(&self) -> Option<u16> {
        // sin6_port lies where sin_port does (`_PORT_AT`), so
        // both families read it in one place.
        match self.family() {
            Domain::IPV4 | Domain::IPV6 => Some(u16::from_be(self.sockaddr::<c::sockaddr_in>().sin_port)),
            _ => None,
        }
    }

    /// The IPv6 flow information: `sin6_flowinfo` as the kernel keeps it,
    /// unconverted, exactly as std's and socket2's `SocketAddrV6::flowinfo`
    /// give it (so a value passes between them unchanged; the traffic class
    /// and flow label are in network byte order inside it). `None` for
    /// other families.
    ///
    /// ```
    /// let v6 = std::net::SocketAddrV6::new("fe80::1".parse()?, 80, 0x12345, 3);
    /// let a = biosock::BioAddr::from(v6);
    /// assert_eq!((a.flowinfo(), a.scope_id()), (Some(0x12345), Some(3)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn flowinfo(&self) -> Option<u32> {
        (self.family() == Domain::IPV6).then(|| self.sockaddr::<c::sockaddr_in6>().sin6_flowinfo)
    }

    /// The IPv6 scope id (`sin6_scope_id`: an interface index for a
    /// link-local address); `None` for other families.
    pub fn scope_id(&self) -> Option<u32> {
        (self.family() == Domain::IPV6).then(|| self.sockaddr::<c::sockaddr_in6>().sin6_scope_id)
    }

    /// The address as a std `SocketAddr`, for IPv4 and IPv6 (`None` for
    /// other families), as socket2's `SockAddr::as_socket`: what
    /// `SocketAddr::try_from` gives, without an `Error` for the rest.
    ///
    /// ```
    /// let a = biosock::BioAddr::from("127.0.0.1:80".parse::<std::net::SocketAddr>()?);
    /// assert_eq!(a.as_socket(), Some("127.0.0.1:80".parse()?));
    /// assert_eq!(biosock::BioAddr::unix("/run/app.sock")?.as_socket(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_socket(&self) -> Option<SocketAddr> {
        match self.family() {
            Domain::IPV4 => {
                let s = self.sockaddr::<c::sockaddr_in>();
                Some(SocketAddr::V4(SocketAddrV4::new(
                    Ipv4Addr::from(s.sin_addr.s_addr.to_ne_bytes()),
                    u16::from_be(s.sin_port),
                )))
            }
            Domain::IPV6 => {
                let s = self.sockaddr::<c::sockaddr_in6>();
                Some(SocketAddr::V6(SocketAddrV6::new(
                    Ipv6Addr::from(s.sin6_addr.s6_addr),
                    u16::from_be(s.sin6_port),
                    s.sin6_flowinfo,
                    s.sin6_scope_id,
                )))
            }
            _ => None,
        }
    }

    /// The IP address (`BIO_ADDR_rawaddress`), for IPv4 and IPv6.
    pub fn ip(&self) -> Option<IpAddr> {
        match self.family() {
            Domain::IPV4 => {
                let a = self.sockaddr::<c::sockaddr_in>().sin_addr.s_addr;
                Some(IpAddr::V4(Ipv4Addr::from(a.to_ne_bytes())))
            }
            Domain::IPV6 => Some(IpAddr::V6(Ipv6Addr::from(
                self.sockaddr::<c::sockaddr_in6>().sin6_addr.s6_addr,
            ))),
            _ => None,
        }
    }

    /// The filesystem path of a Unix address; `None` for other families and
    /// for abstract or unnamed Unix addresses.
    ///
    /// ```
    /// let a = biosock::BioAddr::unix("/run/app.sock")?;
    /// assert_eq!(a.path(), Some(std::path::Path::new("/run/app.sock")));
    /// assert_eq!(a.abstract_name(), None);
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn path(&self) -> Option<&Path> {
        match self.unix_bytes()? {
            [] | [0, ..] => None,
            name => path_of(name),
        }
    }

    /// The name of an abstract Unix address, without its leading NUL byte.
    pub fn abstract_name(&self) -> Option<&[u8]> {
        match self.unix_bytes()? {
            [0, rest @ ..] => Some(rest),
            _ => None,
        }
    }

    /// Whether this is an abstract Unix name, as the C library decides it:
    /// `sun_path` starts with NUL and the kernel length covers the name.
    fn is_abstract(&self) -> bool {
        let len = self.unix_len();
        self.family() == Domain::UNIX
            && self.sockaddr::<c::sockaddr_un>().sun_path[0] == 0
            && len > SUN_PATH_OFFSET
            && len <= size_of::<c::sockaddr_un>()
    }

    /// The Unix name bytes (what `BIO_ADDR_rawaddress` copies): an abstract
    /// name with its leading NUL, else the path up to its first NUL.
    fn unix_bytes(&self) -> Option<&[u8]> {
        if self.family() != Domain::UNIX {
            return None;
        }
        let sun_path = &self.sockaddr::<c::sockaddr_un>().sun_path;
        // SAFETY: c_char and u8 have the same size and alignment, and the
        // slice covers exactly sun_path, which lives as long as self.
        let bytes: &[u8] = unsafe { std::slice::from_raw_parts(sun_path.as_ptr().cast(), sun_path.len()) };
        let len = if self.is_abstract() {
            self.unix_len() - SUN_PATH_OFFSET
        } else {
            bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len())
        };
        Some(&bytes[..len])
    }

    /// The numeric host (`BIO_ADDR_hostname_string(ap, 1)`), such as
    /// `"::1"`, or the host name by `getnameinfo` (allocates).
    ///
    /// # Errors
    /// When `getnameinfo` fails (for a Unix or unspecified address, say):
    /// the entries OpenSSL pushes (`ERR_R_SYS_LIB` with the resolver's text).
    ///
    /// ```
    /// let a: biosock::BioAddr = "127.0.0.1:8080".parse()?;
    /// assert_eq!(a.hostname_string(true)?, "127.0.0.1");
    /// assert_eq!(a.service_string(true)?, "8080");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn hostname_string(&self, numeric: bool) -> Result<String> {
        const F: &str = "BIO_ADDR_hostname_string";
        // SAFETY: self.raw is a valid BIO_ADDR; the result is freed by
        // take_c_string.
        let s = c_call(
            F,
            Errno::FromQueue,
            || unsafe { ffi::BIO_ADDR_hostname_string(&self.raw, numeric.into()) },
            |p| p.is_null(),
        )?;
        Ok(take_c_string(s))
    }

    /// The service (`BIO_ADDR_service_string`), such as `"443"` or, by
    /// name, `"https"` (allocates).
    ///
    /// # Errors
    /// As [`BioAddr::hostname_string`].
    pub fn service_string(&self, numeric: bool) -> Result<String> {
        const F: &str = "BIO_ADDR_service_string";
        // SAFETY: self.raw is a valid BIO_ADDR; the result is freed by
        // take_c_string.
        let s = c_call(
            F,
            Errno::FromQueue,
            || unsafe { ffi::BIO_ADDR_service_string(&self.raw, numeric.into()) },
            |p| p.is_null(),
        )?;
        Ok(take_c_string(s))
    }

    /// The raw `BIO_ADDR`, for the C API. Of an IPv4 or IPv6 address, only
    /// the family's sockaddr and `unix_len` are certain to be initialised
    /// (one made from a `SocketAddr`, or filled by the kernel, writes no
    /// more): read the union through its family's member, as C does, not as
    /// bytes past that member.
    pub fn as_ptr(&self) -> *const ffi::BIO_ADDR {
        &self.raw
    }

    /// The raw `BIO_ADDR`, writable, for the C API. Whatever C writes there,
    /// the methods of `BioAddr` read it without going out of bounds.
    pub fn as_mut_ptr(&mut self) -> *mut ffi::BIO_ADDR {
        &mut self.raw
    }

    /// Wrap a `BIO_ADDR` that the C library filled.
    pub fn from_raw(raw: ffi::BIO_ADDR) -> BioAddr {
        BioAddr { raw }
    }

    /// How many bytes a syscall may write at [`BioAddr::as_mut_ptr`]: the
    /// union of the sockaddr types.
    pub(crate) fn capacity(&self) -> c::socklen_t {
        UNIX_LEN_OFFSET as c::socklen_t
    }

    /// Record the length a syscall (`getpeername`, `recvfrom`) wrote into a
    /// fresh, zeroed address, as the C library's `bsock__addr_from_kernel`
    /// does: a Unix name's length is kept, so abstract names read right.
    pub(crate) fn set_kernel_len(&mut self, len: c::socklen_t) {
        let unix_len = if self.family() == Domain::UNIX { len } else { 0 };
        self.sockaddr_mut::<ffi::biosock_addr_st>().unix_len = unix_len;
    }

    /// Make this fresh address an unnamed Unix one: the family alone, as
    /// `accept` and `getpeername` give an unnamed Unix peer.
    pub(crate) fn set_unnamed_unix(&mut self) {
        self.sockaddr_mut::<c::sockaddr_un>().sun_family = c::AF_UNIX as c::sa_family_t;
        self.set_kernel_len(SUN_PATH_OFFSET as c::socklen_t);
    }

    /// biosock's bookkeeping beyond the sockaddrs: an `AF_UNIX` address's
    /// length for the kernel (0 for a path given by name).
    fn unix_len(&self) -> usize {
        self.sockaddr::<ffi::biosock_addr_st>().unix_len as usize
    }

    /// The `struct sockaddr` and its length (what `BIO_ADDR_sockaddr` and
    /// `BIO_ADDR_sockaddr_size` give), for direct syscalls.
    pub fn as_sockaddr(&self) -> (*const c::sockaddr, c::socklen_t) {
        (self.as_ptr().cast(), self.len())
    }

    /// The length of the sockaddr the kernel is given (`bsock__addr_len`).
    fn len(&self) -> c::socklen_t {
        let len = match self.family() {
            Domain::IPV4 => size_of::<c::sockaddr_in>(),
            Domain::IPV6 => size_of::<c::sockaddr_in6>(),
            Domain::UNIX if self.is_abstract() => self.unix_len(),
            Domain::UNIX => size_of::<c::sockaddr_un>(),
            _ => UNIX_LEN_OFFSET,
        };
        len as c::socklen_t
    }

    /// The bytes that make the address what it is: the family's sockaddr.
    fn key(&self) -> &[u8] {
        // Not past the largest sockaddr: the bytes between it and unix_len
        // are padding in every member of the union, which a move of the
        // union need not keep (Miri holds us to that).
        let n = (self.len() as usize).min(LARGEST_SOCKADDR);
        // SAFETY: the bytes start at self.raw, and the first
        // LARGEST_SOCKADDR of them belong to a member and are initialised.
        unsafe { std::slice::from_raw_parts(self.as_ptr().cast::<u8>(), n) }
    }

    /// The address viewed as the sockaddr type `T` of its family.
    fn sockaddr<T: Sockaddr>(&self) -> &T {
        // SAFETY: the union is at offset 0 of BIO_ADDR and every Sockaddr
        // type is one of its members, so T lies within self.raw and is
        // aligned (BIO_ADDR has the union's alignment). Every bit pattern is
        // a valid T (integers and byte arrays), and self.raw is always fully
        // initialised (zeroed at creation, then written whole). The
        // reference is derived from &self.raw, so it borrows all of it.
        unsafe { &*(&self.raw as *const ffi::BIO_ADDR).cast::<T>() }
    }

    /// The address viewed as `T`, writable.
    fn sockaddr_mut<T: Sockaddr>(&mut self) -> &mut T {
        // SAFETY: as in sockaddr(); any T written keeps BIO_ADDR valid.
        unsafe { &mut *(&mut self.raw as *mut ffi::BIO_ADDR).cast::<T>() }
    }
}

/// The sockaddr types that are members of `BIO_ADDR`'s union (and biosock's
/// own member, which places `unix_len` after the largest of them).
///
/// # Safety
/// Implemented only for those members, whose every bit pattern is valid.
unsafe trait Sockaddr {}
// SAFETY: each is a member of the union in biosock.h, plain integers and
// byte arrays.
unsafe impl Sockaddr for c::sockaddr {}
// SAFETY: as above.
unsafe impl Sockaddr for c::sockaddr_in {}
// SAFETY: as above.
unsafe impl Sockaddr for c::sockaddr_in6 {}
// SAFETY: as above.
unsafe impl Sockaddr for c::sockaddr_un {}
// SAFETY: as above (a byte array and an integer).
unsafe impl Sockaddr for ffi::biosock_addr_st {}

/// `sa_family_t` (an unsigned short or byte) as a C int.
fn c_int_from(family: c::sa_family_t) -> c::c_int {
    c::c_int::from(family)
}

/// Where `unix_len` sits: past every sockaddr, so the most a syscall may
/// write into a `BIO_ADDR`.
const UNIX_LEN_OFFSET: usize = std::mem::offset_of!(ffi::biosock_addr_st, unix_len);

// The union is the sockaddr types laid over each other at offset 0, and
// biosock's member, the whole of it.
const _: () = {
    assert!(size_of::<c::sockaddr_in6>() <= UNIX_LEN_OFFSET);
    assert!(size_of::<c::sockaddr_un>() <= UNIX_LEN_OFFSET);
    assert!(size_of::<ffi::biosock_addr_st>() == size_of::<ffi::BIO_ADDR>());
    assert!(std::mem::align_of::<c::sockaddr_in6>() <= std::mem::align_of::<ffi::BIO_ADDR>());
};

impl Default for BioAddr {
    fn default() -> BioAddr {
        BioAddr::unspecified()
    }
}

impl Clone for BioAddr {
    /// A bitwise copy (what `BIO_ADDR_copy` does); no allocation.
    fn clone(&self) -> BioAddr {
        // SAFETY: BIO_ADDR is plain old data with no pointers or resources
        // inside (bindgen cannot derive Copy through the libc types).
        let raw = unsafe { std::ptr::read(&self.raw) };
        BioAddr { raw }
    }
}

impl PartialEq for BioAddr {
    fn eq(&self, other: &BioAddr) -> bool {
        self.key() == other.key()
    }
}

impl Eq for BioAddr {}

impl Hash for BioAddr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl From<SocketAddr> for BioAddr {
    /// What `BIO_ADDR_rawmake` makes of the address and port; an IPv6 flow
    /// label and scope id are kept. No allocation, no C call.
    #[inline]
    fn from(sa: SocketAddr) -> BioAddr {
        match sa {
            SocketAddr::V4(v4) => v4.into(),
            SocketAddr::V6(v6) => v6.into(),
        }
    }
}

impl From<SocketAddrV4> for BioAddr {
    #[inline]
    fn from(sa: SocketAddrV4) -> BioAddr {
        // SAFETY: sockaddr_in is plain old data; all-zero is valid.
        let mut s: c::sockaddr_in = unsafe { std::mem::zeroed() };
        s.sin_family = c::AF_INET as c::sa_family_t;
        s.sin_port = sa.port().to_be();
        s.sin_addr.s_addr = u32::from_ne_bytes(sa.ip().octets());
        BioAddr::of_sockaddr(s)
    }
}

impl From<SocketAddrV6> for BioAddr {
    #[inline]
    fn from(sa: SocketAddrV6) -> BioAddr {
        // SAFETY: sockaddr_in6 is plain old data; all-zero is valid.
        let mut s: c::sockaddr_in6 = unsafe { std::mem::zeroed() };
        s.sin6_family = c::AF_INET6 as c::sa_family_t;
        s.sin6_port = sa.port().to_be();
        // As std and socket2: the value is `sin6_flowinfo` itself, in the
        // byte order the kernel keeps it (network order on the wire).
        s.sin6_flowinfo = sa.flowinfo();
        s.sin6_addr.s6_addr = sa.ip().octets();
        s.sin6_scope_id = sa.scope_id();
        BioAddr::of_sockaddr(s)
    }
}

impl TryFrom<&BioAddr> for SocketAddr {
    type Error = Error;

    /// IPv4 and IPv6 addresses convert; Unix and unspecified ones are an
    /// `InvalidInput` error.
    fn try_from(a: &BioAddr) -> Result<SocketAddr> {
        a.as_socket().ok_or_else(not_ip)
    }
}

#[cold]
#[inline(never)]
fn not_ip() -> Error {
    Error::invalid_input("BIO_ADDR_family", "not an IP address")
}

impl TryFrom<BioAddr> for SocketAddr {
    type Error = Error;

    fn try_from(a: BioAddr) -> Result<SocketAddr> {
        SocketAddr::try_from(&a)
    }
}

impl FromStr for BioAddr {
    type Err = Error;

    /// `"127.0.0.1:80"`, `"[::1]:443"` or `"[fe80::1%2]:443"`: a numeric
    /// host and a port, as `std::net::SocketAddr` parses them. No lookup, no
    /// allocation, no C call; names go through [`lookup`](crate::lookup()).
    ///
    /// # Errors
    /// `InvalidInput` for anything else, such as `"localhost:80"`, a port
    /// above 65535, or a missing port.
    fn from_str(s: &str) -> Result<BioAddr> {
        match crate::numeric::socket_addr(s.as_bytes()) {
            Some(sa) => Ok(sa.into()),
            None => Err(Error::invalid_input(
                "BIO_parse_hostserv",
                "not a numeric host:port (\"127.0.0.1:80\", \"[::1]:443\")",
            )),
        }
    }
}

impl fmt::Display for BioAddr {
    /// `127.0.0.1:80`, `[::1]:443`, a Unix path, `@name` for an abstract
    /// name, `(unnamed)` for an unnamed Unix peer, `(unspecified)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Ok(sa) = SocketAddr::try_from(self) {
            return fmt::Display::fmt(&sa, f);
        }
        match (self.path(), self.abstract_name(), self.family()) {
            (Some(p), _, _) => fmt::Display::fmt(&p.display(), f),
            (_, Some(name), _) => write!(f, "@{}", String::from_utf8_lossy(name)),
            (_, _, Domain::UNIX) => f.write_str("(unnamed)"),
            _ => f.write_str("(unspecified)"),
        }
    }
}

impl fmt::Debug for BioAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BioAddr({self})")
    }
}

/// Resolving, beside the address type (the work is in `lookup.rs`).
impl BioAddr {
    /// Resolve `host` and `service` into addresses (`BIO_lookup_ex`); the
    /// same as [`lookup`](crate::lookup()).
    ///
    /// # Errors
    /// As [`lookup`](crate::lookup()).
    ///
    /// ```
    /// use biosock::{BioAddr, Domain, LookupType, Type};
    /// let found = BioAddr::lookup(Some("127.0.0.1"), Some("8080"), LookupType::Client, Domain::IPV4, Type::STREAM)?;
    /// let first = found.into_iter().next().unwrap();
    /// assert_eq!(first.addr.to_string(), "127.0.0.1:8080");
    /// # Ok::<(), biosock::Error>(())
    /// ```
    pub fn lookup(
        host: Option<&str>,
        service: Option<&str>,
        kind: crate::lookup::LookupType,
        family: Domain,
        socktype: crate::types::Type,
    ) -> Result<crate::lookup::Lookup> {
        crate::lookup::lookup(host, service, kind, family, socktype)
    }
}

#[cfg(test)]
mod tests {
    //! Pure-Rust paths: these run under Miri (`cargo +nightly miri test --lib`).
    use super::*;

    #[test]
    fn socket_addr_round_trips() {
        let cases: [SocketAddr; 5] = [
            "127.0.0.1:80".parse().unwrap(),
            "0.0.0.0:0".parse().unwrap(),
            "255.255.255.255:65535".parse().unwrap(),
            "[::1]:443".parse().unwrap(),
            SocketAddr::V6(SocketAddrV6::new(
                Ipv6Addr::new(0xfe80, 0, 0, 0, 1, 2, 3, 4),
                8080,
                0x12345,
                7,
            )),
        ];
        for sa in cases {
            let a = BioAddr::from(sa);
            assert_eq!(SocketAddr::try_from(&a).unwrap(), sa);
            assert_eq!(a.port(), Some(sa.port()));
            assert_eq!(a.ip(), Some(sa.ip()));
            assert_eq!(a.to_string(), sa.to_string());
            // The text has no flow label: it round-trips the rest.
            let back: BioAddr = a.to_string().parse().unwrap();
            assert_eq!(back.to_string(), a.to_string());
            assert_eq!(back == a, !matches!(sa, SocketAddr::V6(v6) if v6.flowinfo() != 0));
            assert_eq!(a.clone(), a);
            // Only the sockaddr is written (From): under Miri, no method
            // may read past it.
            let hash = |x: &BioAddr| {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                x.hash(&mut h);
                h.finish()
            };
            assert_eq!(hash(&a.clone()), hash(&a));
            assert_eq!(format!("{:?}", a.clone()), format!("{a:?}"));
            assert_eq!(
                (a.flowinfo(), a.scope_id(), a.path()),
                (a.clone().flowinfo(), a.scope_id(), None)
            );
        }
    }

    #[test]
    fn layout_is_what_the_kernel_reads() {
        let a = BioAddr::from("1.2.3.4:258".parse::<SocketAddr>().unwrap());
        let (sa, len) = a.as_sockaddr();
        assert_eq!(len as usize, size_of::<c::sockaddr_in>());
        // SAFETY: sa points to a sockaddr_in inside a.
        let sin = unsafe { &*sa.cast::<c::sockaddr_in>() };
        assert_eq!(c_int_from(sin.sin_family), c::AF_INET);
        assert_eq!(sin.sin_port, 258u16.to_be());
        assert_eq!(sin.sin_addr.s_addr.to_ne_bytes(), [1, 2, 3, 4]);
        let a6 = BioAddr::from("[::1]:1".parse::<SocketAddr>().unwrap());
        assert_eq!(a6.as_sockaddr().1 as usize, size_of::<c::sockaddr_in6>());
    }

    #[test]
    fn unix_paths_and_abstract_names() {
        let a = BioAddr::unix("/tmp/x.sock").unwrap();
        assert_eq!(a.family(), Domain::UNIX);
        assert_eq!(a.path(), Some(Path::new("/tmp/x.sock")));
        assert_eq!(a.abstract_name(), None);
        assert_eq!(a.port(), None);
        assert_eq!(a.ip(), None);
        assert_eq!(a.to_string(), "/tmp/x.sock");
        assert_eq!(a.as_sockaddr().1 as usize, size_of::<c::sockaddr_un>());
        assert!(SocketAddr::try_from(&a).is_err());

        let longest = "p".repeat(SUN_PATH_LEN - 1);
        assert_eq!(BioAddr::unix(&longest).unwrap().path(), Some(Path::new(&longest)));
        let e = BioAddr::unix("p".repeat(SUN_PATH_LEN)).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
        assert_eq!(e.raw_os_error(), None);
        assert!(BioAddr::unix("a\0b").is_err());

        let ab = BioAddr::unix_abstract(b"name").unwrap();
        assert_eq!(ab.abstract_name(), Some(&b"name"[..]));
        assert_eq!(ab.path(), None);
        assert_eq!(ab.to_string(), "@name");
        assert_eq!(ab.as_sockaddr().1 as usize, SUN_PATH_OFFSET + 5);
        assert_ne!(ab, BioAddr::unix_abstract(b"nam").unwrap());
        assert!(BioAddr::unix_abstract(&[b'x'; SUN_PATH_LEN - 1]).is_err());
        assert!(BioAddr::unix_abstract(&[b'x'; SUN_PATH_LEN - 2]).is_ok());
    }

    #[test]
    fn unnamed_and_unspecified() {
        let mut a = BioAddr::unspecified();
        assert_eq!(a.family(), Domain::UNSPEC);
        assert_eq!(a.to_string(), "(unspecified)");
        assert_eq!(a, BioAddr::default());
        // What accept() leaves for an unnamed Unix peer: the family alone.
        a.set_unnamed_unix();
        assert_eq!(a.to_string(), "(unnamed)");
        assert_eq!(a.path(), None);
        assert_eq!(a.abstract_name(), None);
    }

    #[test]
    fn from_str_refuses_what_is_not_numeric() {
        for bad in [
            "",
            "localhost:80",
            "127.0.0.1",
            "127.0.0.1:",
            "127.0.0.1:65536",
            "127.0.0.1:99999",
            "127.0.0.1:+80",
            "::1:80",
            "[::1",
            "[::1]",
            "1.2.3.4.5:1",
        ] {
            let e = bad.parse::<BioAddr>().unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{bad:?}");
        }
        let scoped: BioAddr = "[fe80::1%3]:443".parse().unwrap();
        assert_eq!(scoped.to_string(), "[fe80::1%3]:443");
    }

    #[test]
    fn garbage_from_c_reads_in_bounds() {
        // A BIO_ADDR that C filled with anything: every reader stays inside.
        let mut a = BioAddr::unspecified();
        // SAFETY: as_mut_ptr points to a whole BIO_ADDR; bytes are valid.
        unsafe { std::ptr::write_bytes(a.as_mut_ptr().cast::<u8>(), 0xff, size_of::<ffi::BIO_ADDR>()) };
        a.sockaddr_mut::<c::sockaddr_un>().sun_family = c::AF_UNIX as c::sa_family_t;
        #[cfg(unix)]
        assert_eq!(a.path().map(|p| p.as_os_str().len()), Some(SUN_PATH_LEN));
        // Windows paths are UTF-8, which 0xff bytes are not.
        #[cfg(windows)]
        assert_eq!(a.path(), None);
        a.sockaddr_mut::<c::sockaddr_un>().sun_path[0] = 0;
        assert_eq!(a.abstract_name(), None, "unix_len out of range is not abstract");
        let _ = a.to_string();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        a.hash(&mut h);
    }

    /// IPv6 flow information passes through unchanged, as std and socket2
    /// pass it: `sin6_flowinfo` holds `SocketAddrV6::flowinfo()` itself.
    #[test]
    fn flowinfo_is_copied_as_std_copies_it() {
        let sa = SocketAddrV6::new(Ipv6Addr::LOCALHOST, 443, 0x12345, 7);
        let a = BioAddr::from(sa);
        assert_eq!(a.sockaddr::<c::sockaddr_in6>().sin6_flowinfo, 0x12345);
        assert_eq!((a.flowinfo(), a.scope_id()), (Some(0x12345), Some(7)));
        assert_eq!(SocketAddr::try_from(&a).unwrap(), SocketAddr::V6(sa));
        let v4 = BioAddr::from(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 1));
        assert_eq!((v4.flowinfo(), v4.scope_id()), (None, None));
    }
}
