//! [`BioAddr`]: an owned `BIO_ADDR` stored inline, and [`lookup`].

use std::ffi::{CStr, CString, OsStr};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::raw::{c_char, c_int, c_void};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::ptr;
use std::str::FromStr;

use crate::error::{clear_queue, Error, Result};
use crate::ffi;
use crate::socket::{Domain, Protocol, Type};

/// A socket address (IPv4, IPv6 or Unix) held in a `BIO_ADDR`, stored inline:
/// creating, copying and converting one never allocates.
pub struct BioAddr {
    raw: ffi::BIO_ADDR,
}

impl BioAddr {
    /// An empty address of family `AF_UNSPEC` (`BIO_ADDR_clear`).
    pub fn unspecified() -> BioAddr {
        // SAFETY: BIO_ADDR is plain old data; all-zero is a valid value, and
        // BIO_ADDR_clear then sets AF_UNSPEC.
        let mut raw: ffi::BIO_ADDR = unsafe { std::mem::zeroed() };
        // SAFETY: raw is a valid, writable BIO_ADDR.
        unsafe { ffi::BIO_ADDR_clear(&mut raw) };
        BioAddr { raw }
    }

    /// A Unix socket path (`BIO_ADDR_rawmake` with `AF_UNIX`). Fails for a
    /// path of 108 bytes or more, or one with a NUL byte inside.
    pub fn unix<P: AsRef<Path>>(path: P) -> Result<BioAddr> {
        let bytes = path.as_ref().as_os_str().as_bytes();
        if bytes.contains(&0) {
            return Err(Error::invalid_input(
                "BIO_ADDR_rawmake",
                "NUL byte in a Unix path",
            ));
        }
        Self::rawmake(libc::AF_UNIX, bytes, 0)
    }

    /// A Linux abstract Unix address named `name` (without the leading NUL
    /// byte, which this adds), at most 106 bytes.
    pub fn unix_abstract(name: &[u8]) -> Result<BioAddr> {
        let mut buf = [0u8; 108];
        if name.len() + 1 >= buf.len() {
            return Err(Error::invalid_input("BIO_ADDR_rawmake", "abstract name too long"));
        }
        buf[1..=name.len()].copy_from_slice(name);
        Self::rawmake(libc::AF_UNIX, &buf[..=name.len()], 0)
    }

    /// `BIO_ADDR_rawmake(family, where, port)`, port in host byte order.
    fn rawmake(family: c_int, bytes: &[u8], port: u16) -> Result<BioAddr> {
        let mut addr = BioAddr::unspecified();
        clear_queue();
        // SAFETY: addr.raw is writable; bytes is readable for its length.
        let ok = unsafe {
            ffi::BIO_ADDR_rawmake(
                &mut addr.raw,
                family,
                bytes.as_ptr().cast::<c_void>(),
                bytes.len(),
                port.to_be(),
            )
        };
        if ok == 1 {
            Ok(addr)
        } else {
            Err(Error::take("BIO_ADDR_rawmake", true))
        }
    }

    /// Resolve `host` and `service` into addresses (`BIO_lookup_ex`); the
    /// same as [`lookup`].
    pub fn lookup(
        host: Option<&str>,
        service: Option<&str>,
        kind: LookupType,
        family: Domain,
        socktype: Type,
    ) -> Result<Lookup> {
        lookup(host, service, kind, family, socktype)
    }

    /// The address family (`BIO_ADDR_family`): `Domain::IPV4`, `IPV6`,
    /// `UNIX`, or `UNSPEC`.
    pub fn family(&self) -> Domain {
        // SAFETY: self.raw is a valid BIO_ADDR.
        Domain::from_raw(unsafe { ffi::BIO_ADDR_family(&self.raw) })
    }

    /// The port in host byte order for IP addresses (`BIO_ADDR_rawport`).
    pub fn port(&self) -> Option<u16> {
        match self.family() {
            // SAFETY: self.raw is a valid BIO_ADDR.
            Domain::IPV4 | Domain::IPV6 => Some(u16::from_be(unsafe { ffi::BIO_ADDR_rawport(&self.raw) })),
            _ => None,
        }
    }

    /// The IP address (`BIO_ADDR_rawaddress`), for IPv4 and IPv6.
    pub fn ip(&self) -> Option<IpAddr> {
        let mut buf = [0u8; 16];
        let mut len = 0usize;
        match self.family() {
            Domain::IPV4 | Domain::IPV6 => {}
            _ => return None,
        }
        // SAFETY: buf holds 16 bytes, the most an IP address copies.
        unsafe { ffi::BIO_ADDR_rawaddress(&self.raw, buf.as_mut_ptr().cast(), &mut len) };
        match len {
            4 => Some(IpAddr::V4(Ipv4Addr::new(buf[0], buf[1], buf[2], buf[3]))),
            16 => Some(IpAddr::V6(Ipv6Addr::from(buf))),
            _ => None,
        }
    }

    /// The filesystem path of a Unix address; `None` for other families and
    /// for abstract or unnamed Unix addresses.
    pub fn path(&self) -> Option<&Path> {
        let name = self.unix_name()?;
        match name.first() {
            Some(0) | None => None,
            Some(_) => Some(Path::new(OsStr::from_bytes(name))),
        }
    }

    /// The name of an abstract Unix address, without its leading NUL byte.
    pub fn abstract_name(&self) -> Option<&[u8]> {
        match self.unix_name()? {
            [0, rest @ ..] => Some(rest),
            _ => None,
        }
    }

    /// The raw Unix name bytes (`BIO_ADDR_rawaddress`) as a borrow of the
    /// address itself.
    fn unix_name(&self) -> Option<&[u8]> {
        if self.family() != Domain::UNIX {
            return None;
        }
        let mut len = 0usize;
        // SAFETY: p == NULL asks only for the length.
        unsafe { ffi::BIO_ADDR_rawaddress(&self.raw, ptr::null_mut(), &mut len) };
        // SAFETY: for AF_UNIX the sockaddr_un member is the active one, and
        // len <= sizeof(sun_path) by the C library's invariant.
        let path = unsafe { &self.raw.u.s_un.as_ref().sun_path };
        // SAFETY: c_char and u8 have the same size and alignment.
        Some(unsafe { std::slice::from_raw_parts(path.as_ptr().cast::<u8>(), len.min(path.len())) })
    }

    /// The numeric host (`BIO_ADDR_hostname_string(ap, 1)`), such as
    /// `"::1"` (allocates).
    pub fn hostname_string(&self, numeric: bool) -> Result<String> {
        clear_queue();
        // SAFETY: self.raw is valid; the result is freed by take_c_string.
        let s = unsafe { ffi::BIO_ADDR_hostname_string(&self.raw, numeric.into()) };
        take_c_string(s, "BIO_ADDR_hostname_string")
    }

    /// The service (`BIO_ADDR_service_string`), such as `"443"` or, by
    /// name, `"https"` (allocates).
    pub fn service_string(&self, numeric: bool) -> Result<String> {
        clear_queue();
        // SAFETY: self.raw is valid; the result is freed by take_c_string.
        let s = unsafe { ffi::BIO_ADDR_service_string(&self.raw, numeric.into()) };
        take_c_string(s, "BIO_ADDR_service_string")
    }

    /// The raw `BIO_ADDR`, for the C API.
    pub fn as_ptr(&self) -> *const ffi::BIO_ADDR {
        &self.raw
    }

    /// The raw `BIO_ADDR`, writable, for the C API.
    pub fn as_mut_ptr(&mut self) -> *mut ffi::BIO_ADDR {
        &mut self.raw
    }

    /// The `struct sockaddr` and its length (`BIO_ADDR_sockaddr`,
    /// `BIO_ADDR_sockaddr_size`), for direct syscalls.
    pub fn as_sockaddr(&self) -> (*const libc::sockaddr, libc::socklen_t) {
        // SAFETY: self.raw is a valid BIO_ADDR.
        unsafe {
            (
                ffi::BIO_ADDR_sockaddr(&self.raw),
                ffi::BIO_ADDR_sockaddr_size(&self.raw),
            )
        }
    }

    /// The bytes that make the address what it is: the family's sockaddr.
    fn key(&self) -> &[u8] {
        let (sa, len) = self.as_sockaddr();
        // SAFETY: sa points into self.raw, which holds at least len bytes.
        unsafe { std::slice::from_raw_parts(sa.cast::<u8>(), len as usize) }
    }

    /// Parse `"host:port"` or `"[v6]:port"` with a numeric host and port,
    /// split by `BIO_parse_hostserv` (allocates for the split).
    fn parse(s: &str) -> Result<BioAddr> {
        const F: &str = "BIO_parse_hostserv";
        let (host, serv) = split_host_port(s, ffi::BIO_PARSE_PRIO_HOST)?;
        let ip: IpAddr = host
            .as_deref()
            .and_then(|h| h.parse().ok())
            .ok_or_else(|| Error::invalid_input(F, "host is not a numeric IP address"))?;
        let port: u16 = serv
            .as_deref()
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| Error::invalid_input(F, "service is not a numeric port"))?;
        Ok(SocketAddr::new(ip, port).into())
    }
}

/// `BIO_parse_hostserv` into owned strings (`None` for an absent, empty or
/// `*` part).
pub(crate) fn split_host_port(
    s: &str,
    prio: ffi::BIO_hostserv_priorities,
) -> Result<(Option<String>, Option<String>)> {
    const F: &str = "BIO_parse_hostserv";
    let c = CString::new(s).map_err(|_| Error::invalid_input(F, "NUL byte in host:port"))?;
    let mut host: *mut c_char = ptr::null_mut();
    let mut serv: *mut c_char = ptr::null_mut();
    clear_queue();
    // SAFETY: c is NUL-terminated; host and serv are valid out-pointers that
    // the call sets to malloc'd strings or leaves NULL.
    if unsafe { ffi::BIO_parse_hostserv(c.as_ptr(), &mut host, &mut serv, prio) } != 1 {
        return Err(Error::take(F, false));
    }
    let free_to_string = |p: *mut c_char| (!p.is_null()).then(|| take_c_string(p, F).ok()).flatten();
    Ok((free_to_string(host), free_to_string(serv)))
}

/// Turn a string the C library returned into a `String` and free it.
fn take_c_string(s: *mut c_char, function: &'static str) -> Result<String> {
    if s.is_null() {
        return Err(Error::take(function, false));
    }
    // SAFETY: s is a NUL-terminated string the library allocated.
    let owned = unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned();
    // SAFETY: s came from the library and is freed once, here.
    unsafe { ffi::OPENSSL_free(s.cast()) };
    Ok(owned)
}

impl Default for BioAddr {
    fn default() -> BioAddr {
        BioAddr::unspecified()
    }
}

impl Clone for BioAddr {
    /// A bitwise copy (what `BIO_ADDR_copy` does); no allocation.
    fn clone(&self) -> BioAddr {
        // SAFETY: BIO_ADDR is plain old data with no pointers inside.
        let raw = unsafe { ptr::read(&self.raw) };
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
    /// `BIO_ADDR_rawmake`; an IPv6 flow label and scope id are kept. No
    /// allocation, and no error queue work: an IP address of the right length
    /// is always accepted.
    fn from(sa: SocketAddr) -> BioAddr {
        // SAFETY: all-zero is a valid BIO_ADDR; rawmake overwrites it.
        let raw = unsafe { std::mem::zeroed() };
        let mut addr = BioAddr { raw };
        let (family, octets, len) = match sa {
            SocketAddr::V4(v4) => {
                let mut o = [0u8; 16];
                o[..4].copy_from_slice(&v4.ip().octets());
                (libc::AF_INET, o, 4)
            }
            SocketAddr::V6(v6) => (libc::AF_INET6, v6.ip().octets(), 16),
        };
        // SAFETY: addr.raw is writable; octets holds len readable bytes.
        let ok = unsafe {
            ffi::BIO_ADDR_rawmake(
                &mut addr.raw,
                family,
                octets.as_ptr().cast(),
                len,
                sa.port().to_be(),
            )
        };
        debug_assert_eq!(ok, 1);
        if let SocketAddr::V6(v6) = sa {
            // SAFETY: rawmake just made sockaddr_in6 the active member.
            let s6 = unsafe { addr.raw.u.s_in6.as_mut() };
            s6.sin6_flowinfo = v6.flowinfo().to_be();
            s6.sin6_scope_id = v6.scope_id();
        }
        addr
    }
}

impl From<SocketAddrV4> for BioAddr {
    fn from(sa: SocketAddrV4) -> BioAddr {
        SocketAddr::V4(sa).into()
    }
}

impl From<SocketAddrV6> for BioAddr {
    fn from(sa: SocketAddrV6) -> BioAddr {
        SocketAddr::V6(sa).into()
    }
}

impl TryFrom<&BioAddr> for SocketAddr {
    type Error = Error;

    /// IPv4 and IPv6 addresses convert; Unix and unspecified ones do not.
    fn try_from(a: &BioAddr) -> Result<SocketAddr> {
        match (a.ip(), a.port()) {
            (Some(IpAddr::V4(ip)), Some(port)) => Ok(SocketAddr::V4(SocketAddrV4::new(ip, port))),
            (Some(IpAddr::V6(ip)), Some(port)) => {
                // SAFETY: the family is AF_INET6, so sockaddr_in6 is active.
                let s6 = unsafe { a.raw.u.s_in6.as_ref() };
                Ok(SocketAddr::V6(SocketAddrV6::new(
                    ip,
                    port,
                    u32::from_be(s6.sin6_flowinfo),
                    s6.sin6_scope_id,
                )))
            }
            _ => Err(Error::invalid_input("BIO_ADDR_family", "not an IP address")),
        }
    }
}

impl TryFrom<BioAddr> for SocketAddr {
    type Error = Error;

    fn try_from(a: BioAddr) -> Result<SocketAddr> {
        SocketAddr::try_from(&a)
    }
}

impl FromStr for BioAddr {
    type Err = Error;

    /// `"127.0.0.1:80"` or `"[::1]:443"`: numeric host and port, split by
    /// `BIO_parse_hostserv`.
    fn from_str(s: &str) -> Result<BioAddr> {
        BioAddr::parse(s)
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

/// Whether a [`lookup`] is for connecting or for listening (`AI_PASSIVE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LookupType {
    /// `BIO_LOOKUP_CLIENT`: addresses to connect to.
    Client,
    /// `BIO_LOOKUP_SERVER`: addresses to listen on.
    Server,
}

/// One result of a [`lookup`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AddrInfo {
    /// The address (`BIO_ADDRINFO_address`).
    pub addr: BioAddr,
    /// The socket type (`BIO_ADDRINFO_socktype`).
    pub socktype: Type,
    /// The protocol (`BIO_ADDRINFO_protocol`).
    pub protocol: Protocol,
}

/// The results of a [`lookup`], in the resolver's order; frees the
/// `BIO_ADDRINFO` list when dropped.
pub struct Lookup {
    head: *mut ffi::BIO_ADDRINFO,
    next: *const ffi::BIO_ADDRINFO,
}

// SAFETY: the list is owned by this value alone and only read.
unsafe impl Send for Lookup {}

impl Iterator for Lookup {
    type Item = AddrInfo;

    fn next(&mut self) -> Option<AddrInfo> {
        if self.next.is_null() {
            return None;
        }
        let node = self.next;
        // SAFETY: node is a live element of the list this value owns.
        unsafe {
            self.next = ffi::BIO_ADDRINFO_next(node);
            let addr = BioAddr {
                raw: ptr::read(ffi::BIO_ADDRINFO_address(node)),
            };
            Some(AddrInfo {
                addr,
                socktype: Type::from_raw(ffi::BIO_ADDRINFO_socktype(node)),
                protocol: Protocol::from_raw(ffi::BIO_ADDRINFO_protocol(node)),
            })
        }
    }
}

impl Drop for Lookup {
    fn drop(&mut self) {
        // SAFETY: head came from BIO_lookup_ex and is freed once.
        unsafe { ffi::BIO_ADDRINFO_free(self.head) };
    }
}

impl fmt::Debug for Lookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lookup").finish_non_exhaustive()
    }
}

/// Resolve `host` and `service` (`BIO_lookup_ex`). `family` is
/// `Domain::UNSPEC`, `IPV4`, `IPV6` or `UNIX` (then `host` is the path).
///
/// ```
/// use biosock::{lookup, Domain, LookupType, Type};
/// let first = lookup(Some("127.0.0.1"), Some("443"), LookupType::Client, Domain::UNSPEC, Type::STREAM)?
///     .next()
///     .unwrap();
/// assert_eq!(first.addr.to_string(), "127.0.0.1:443");
/// # Ok::<(), biosock::Error>(())
/// ```
pub fn lookup(
    host: Option<&str>,
    service: Option<&str>,
    kind: LookupType,
    family: Domain,
    socktype: Type,
) -> Result<Lookup> {
    const F: &str = "BIO_lookup_ex";
    let kind = match kind {
        LookupType::Client => ffi::BIO_LOOKUP_CLIENT,
        LookupType::Server => ffi::BIO_LOOKUP_SERVER,
    };
    let mut res: *mut ffi::BIO_ADDRINFO = ptr::null_mut();
    let ok = with_c_str(host, F, |host| {
        with_c_str(service, F, |service| {
            clear_queue();
            // SAFETY: host and service are NULL or NUL-terminated; res is a
            // valid out-pointer, owned by the Lookup on success.
            unsafe {
                ffi::BIO_lookup_ex(
                    host,
                    service,
                    kind as c_int,
                    family.as_raw(),
                    socktype.as_raw(),
                    0,
                    &mut res,
                )
            }
        })
    })??;
    if ok != 1 {
        return Err(Error::take(F, false));
    }
    Ok(Lookup { head: res, next: res })
}

/// Call `f` with `s` as a C string (NULL for `None`): copied into a stack
/// buffer when short, so that the common case does not allocate.
fn with_c_str<R>(s: Option<&str>, function: &'static str, f: impl FnOnce(*const c_char) -> R) -> Result<R> {
    let Some(s) = s else {
        return Ok(f(ptr::null()));
    };
    if s.as_bytes().contains(&0) {
        return Err(Error::invalid_input(function, "NUL byte in a string argument"));
    }
    let mut buf = [0u8; 256];
    if s.len() < buf.len() {
        buf[..s.len()].copy_from_slice(s.as_bytes());
        return Ok(f(buf.as_ptr().cast()));
    }
    let owned = CString::new(s).expect("checked for NUL above");
    Ok(f(owned.as_ptr()))
}
