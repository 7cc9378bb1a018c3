//! Resolution: [`lookup`] (`BIO_lookup_ex`), `BIO_parse_hostserv`, and
//! [`ToBioAddrs`], what [`Socket::connect_to`](crate::Socket::connect_to)
//! and [`Socket::listen_on`](crate::Socket::listen_on) accept.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::raw::{c_char, c_int};
use std::path::{Path, PathBuf};
use std::ptr;

use crate::addr::BioAddr;
use crate::cstr::{take_c_string, SmallCStr};
use crate::error::{c_call, Errno, Error, Result};
use crate::ffi;
use crate::types::{Domain, Protocol, Type};

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
// SAFETY: shared references only read the list (next() needs &mut).
unsafe impl Sync for Lookup {}

impl Iterator for Lookup {
    type Item = AddrInfo;

    fn next(&mut self) -> Option<AddrInfo> {
        if self.next.is_null() {
            return None;
        }
        let node = self.next;
        // SAFETY: node is a live element of the list this value owns; the
        // address it holds is a whole BIO_ADDR (biosock's BIO_ADDRINFO
        // embeds one), copied out bitwise.
        unsafe {
            self.next = ffi::BIO_ADDRINFO_next(node);
            Some(AddrInfo {
                addr: BioAddr::from_raw(ptr::read(ffi::BIO_ADDRINFO_address(node))),
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
/// Numeric hosts and services are answered without asking the resolver.
///
/// # Errors
/// `InvalidInput` for a string with a NUL byte; otherwise what
/// `BIO_lookup_ex` pushes: `BIO_R_UNSUPPORTED_PROTOCOL_FAMILY` (kind
/// `Unsupported`), or `ERR_R_SYS_LIB` with the resolver's text (kind
/// `NotFound`), or a system error.
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
    let host = SmallCStr::new(host, F)?;
    let service = SmallCStr::new(service, F)?;
    let mut res: *mut ffi::BIO_ADDRINFO = ptr::null_mut();
    let call = || {
        // SAFETY: host and service are NULL or NUL-terminated and outlive
        // the call; res is a valid out-pointer, owned by the Lookup on
        // success.
        unsafe {
            ffi::BIO_lookup_ex(
                host.as_ptr(),
                service.as_ptr(),
                kind as c_int,
                family.as_raw(),
                socktype.as_raw(),
                0,
                &mut res,
            )
        }
    };
    c_call(F, Errno::FromQueue, call, |&ok| ok != 1)?;
    Ok(Lookup { head: res, next: res })
}

/// `BIO_parse_hostserv` into owned strings (`None` for an absent, empty or
/// `*` part).
pub(crate) fn split_host_port(
    s: &str,
    prio: ffi::BIO_hostserv_priorities,
) -> Result<(Option<String>, Option<String>)> {
    const F: &str = "BIO_parse_hostserv";
    let c = SmallCStr::new(Some(s), F)?;
    let mut host: *mut c_char = ptr::null_mut();
    let mut serv: *mut c_char = ptr::null_mut();
    let call = || {
        // SAFETY: c is NUL-terminated; host and serv are valid out-pointers
        // that the call sets to malloc'd strings or leaves NULL.
        unsafe { ffi::BIO_parse_hostserv(c.as_ptr(), &mut host, &mut serv, prio) }
    };
    c_call(F, Errno::FromQueue, call, |&ok| ok != 1)?;
    let owned = |p: *mut c_char| (!p.is_null()).then(|| take_c_string(p));
    Ok((owned(host), owned(serv)))
}

/// What [`Socket::connect_to`](crate::Socket::connect_to) and
/// [`Socket::listen_on`](crate::Socket::listen_on) accept: something that
/// gives the addresses to try, in order. std's `ToSocketAddrs`, for
/// `BioAddr`s and with OpenSSL's parsing.
///
/// Implemented for [`BioAddr`], a slice or `Vec` of them (tried in that
/// order), `SocketAddr` (V4, V6), `(IpAddr, u16)`
/// (and the V4/V6 forms), `(&str, u16)`, `&str`/`String` (`"host:port"`,
/// `"[v6]:port"`, for listening also `"port"` and `"*:port"`), `Path` and
/// `PathBuf` (a Unix socket path), and references to all of these.
///
/// A string is split by `BIO_parse_hostserv` and resolved by
/// `BIO_lookup_ex` (stream sockets); a numeric `"host:port"` is taken as it
/// is, with no lookup and no allocation.
pub trait ToBioAddrs {
    /// The addresses to try, for connecting ([`LookupType::Client`]) or for
    /// listening ([`LookupType::Server`]).
    ///
    /// # Errors
    /// `InvalidInput` for a malformed string, a port above 65535, or (to
    /// connect) no port at all; the lookup's errors otherwise.
    fn to_bio_addrs(&self, kind: LookupType) -> Result<BioAddrs>;

    /// The one address this is when it is one as it stands (a `BioAddr`,
    /// a `SocketAddr`): the constructors then take it without building
    /// and walking a [`BioAddrs`]. `None` (the default) sends them through
    /// [`ToBioAddrs::to_bio_addrs`]; an implementation outside this crate
    /// need not override it.
    #[doc(hidden)]
    #[inline]
    fn to_one_addr(&self) -> Option<BioAddr> {
        None
    }
}

/// The addresses a [`ToBioAddrs`] gives: one, or a lookup's results.
#[derive(Debug)]
pub struct BioAddrs(Addrs);

#[derive(Debug)]
enum Addrs {
    One(Option<BioAddr>),
    Lookup(Lookup),
    List(std::vec::IntoIter<BioAddr>),
}

impl BioAddrs {
    fn one(addr: BioAddr) -> BioAddrs {
        BioAddrs(Addrs::One(Some(addr)))
    }
}

impl Iterator for BioAddrs {
    type Item = BioAddr;

    fn next(&mut self) -> Option<BioAddr> {
        match &mut self.0 {
            Addrs::One(one) => one.take(),
            Addrs::Lookup(l) => l.next().map(|r| r.addr),
            Addrs::List(l) => l.next(),
        }
    }
}

impl<T: ToBioAddrs + ?Sized> ToBioAddrs for &T {
    fn to_bio_addrs(&self, kind: LookupType) -> Result<BioAddrs> {
        (**self).to_bio_addrs(kind)
    }

    #[inline]
    fn to_one_addr(&self) -> Option<BioAddr> {
        (**self).to_one_addr()
    }
}

macro_rules! into_one_addr {
    ($($t:ty),*) => {$(
        impl ToBioAddrs for $t {
            fn to_bio_addrs(&self, _: LookupType) -> Result<BioAddrs> {
                Ok(BioAddrs::one(BioAddr::from(self.clone())))
            }

            #[inline]
            fn to_one_addr(&self) -> Option<BioAddr> {
                Some(BioAddr::from(self.clone()))
            }
        }
    )*};
}

into_one_addr!(BioAddr, SocketAddr, SocketAddrV4, SocketAddrV6);

impl ToBioAddrs for [BioAddr] {
    /// The addresses as they are, in this order (copied: `BioAddrs` owns
    /// what it yields).
    fn to_bio_addrs(&self, _: LookupType) -> Result<BioAddrs> {
        let owned: Vec<BioAddr> = self.to_vec();
        Ok(BioAddrs(Addrs::List(owned.into_iter())))
    }
}

impl ToBioAddrs for Vec<BioAddr> {
    fn to_bio_addrs(&self, kind: LookupType) -> Result<BioAddrs> {
        self.as_slice().to_bio_addrs(kind)
    }
}

impl ToBioAddrs for (IpAddr, u16) {
    fn to_bio_addrs(&self, _: LookupType) -> Result<BioAddrs> {
        Ok(BioAddrs::one(SocketAddr::from(*self).into()))
    }
}

impl ToBioAddrs for (Ipv4Addr, u16) {
    fn to_bio_addrs(&self, _: LookupType) -> Result<BioAddrs> {
        Ok(BioAddrs::one(SocketAddr::from(*self).into()))
    }
}

impl ToBioAddrs for (Ipv6Addr, u16) {
    fn to_bio_addrs(&self, _: LookupType) -> Result<BioAddrs> {
        Ok(BioAddrs::one(SocketAddr::from(*self).into()))
    }
}

impl ToBioAddrs for (&str, u16) {
    /// A numeric host is taken as it is; a name is looked up with the port
    /// as the service.
    fn to_bio_addrs(&self, kind: LookupType) -> Result<BioAddrs> {
        let (host, port) = *self;
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Ok(BioAddrs::one(SocketAddr::new(ip, port).into()));
        }
        resolve(Some(host), Some(&port.to_string()), kind)
    }
}

impl ToBioAddrs for str {
    fn to_bio_addrs(&self, kind: LookupType) -> Result<BioAddrs> {
        const F: &str = "BIO_parse_hostserv";
        if let Ok(sa) = self.parse::<SocketAddr>() {
            return Ok(BioAddrs::one(sa.into()));
        }
        let prio = match kind {
            LookupType::Client => ffi::BIO_PARSE_PRIO_HOST,
            LookupType::Server => ffi::BIO_PARSE_PRIO_SERV,
        };
        let (host, service) = split_host_port(self, prio)?;
        match service.as_deref() {
            None if kind == LookupType::Client => {
                return Err(Error::invalid_input(F, format!("no port in {self:?}")));
            }
            Some(s) if is_numeric_service(s) && s.parse::<u16>().is_err() => {
                return Err(Error::invalid_input(
                    F,
                    format!("port {s:?} is out of range or not a plain number (0-65535)"),
                ));
            }
            _ => {}
        }
        resolve(host.as_deref(), service.as_deref(), kind)
    }
}

impl ToBioAddrs for String {
    fn to_bio_addrs(&self, kind: LookupType) -> Result<BioAddrs> {
        self.as_str().to_bio_addrs(kind)
    }
}

impl ToBioAddrs for Path {
    /// A Unix socket path ([`BioAddr::unix`]).
    fn to_bio_addrs(&self, _: LookupType) -> Result<BioAddrs> {
        BioAddr::unix(self).map(BioAddrs::one)
    }
}

impl ToBioAddrs for PathBuf {
    fn to_bio_addrs(&self, kind: LookupType) -> Result<BioAddrs> {
        self.as_path().to_bio_addrs(kind)
    }
}

/// Whether getaddrinfo takes `service` as a port number: what `strtoul`
/// reads whole (leading white space, a sign, digits). getaddrinfo then
/// keeps the number's low 16 bits, so `"+111043"`, `" 111043"` and `"-1"`
/// would be ports 45507, 45507 and 65535: such a service must be exactly
/// what std takes as a port (`u16::from_str`: an optional `+`, digits, at
/// most 65535), or it is refused. Any other service is a name
/// (`/etc/services`).
fn is_numeric_service(service: &str) -> bool {
    let s = service.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A stream lookup of `host` and `service` for `kind`.
fn resolve(host: Option<&str>, service: Option<&str>, kind: LookupType) -> Result<BioAddrs> {
    lookup(host, service, kind, Domain::UNSPEC, Type::STREAM).map(|l| BioAddrs(Addrs::Lookup(l)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_addresses_need_no_lookup() {
        for kind in [LookupType::Client, LookupType::Server] {
            let one: Vec<BioAddr> = "[::1]:443".to_bio_addrs(kind).unwrap().collect();
            assert_eq!(one, vec!["[::1]:443".parse::<BioAddr>().unwrap()]);
            let t: Vec<BioAddr> = ("127.0.0.1", 80).to_bio_addrs(kind).unwrap().collect();
            assert_eq!(t[0].to_string(), "127.0.0.1:80");
            let ip: Vec<BioAddr> = (Ipv6Addr::LOCALHOST, 9).to_bio_addrs(kind).unwrap().collect();
            assert_eq!(ip[0].to_string(), "[::1]:9");
        }
    }
}
