//! The few functions of the system's OpenSSL libcrypto that the comparisons
//! call. They share the binary with biosock because biosock's symbols carry
//! the `biosock_` prefix.
#![allow(dead_code, non_snake_case)]

use std::os::raw::{c_char, c_int, c_void};

/// OpenSSL's `BIO_ADDR` (opaque).
pub type OsslAddr = c_void;

#[link(name = "crypto")]
extern "C" {
    pub fn BIO_socket(domain: c_int, socktype: c_int, protocol: c_int, options: c_int) -> c_int;
    pub fn BIO_connect(sock: c_int, addr: *const OsslAddr, options: c_int) -> c_int;
    pub fn BIO_listen(sock: c_int, addr: *const OsslAddr, options: c_int) -> c_int;
    pub fn BIO_accept_ex(sock: c_int, peer: *mut OsslAddr, options: c_int) -> c_int;
    pub fn BIO_closesocket(sock: c_int) -> c_int;
    pub fn BIO_sock_info(sock: c_int, ty: c_int, info: *mut *mut OsslAddr) -> c_int;
    pub fn BIO_ADDR_new() -> *mut OsslAddr;
    pub fn BIO_ADDR_free(a: *mut OsslAddr);
    pub fn BIO_ADDR_rawmake(
        a: *mut OsslAddr,
        family: c_int,
        w: *const c_void,
        len: usize,
        port: u16,
    ) -> c_int;
    pub fn BIO_parse_hostserv(
        hs: *const c_char,
        host: *mut *mut c_char,
        serv: *mut *mut c_char,
        prio: c_int,
    ) -> c_int;
    pub fn BIO_lookup_ex(
        host: *const c_char,
        service: *const c_char,
        lookup_type: c_int,
        family: c_int,
        socktype: c_int,
        protocol: c_int,
        res: *mut *mut c_void,
    ) -> c_int;
    pub fn BIO_ADDRINFO_free(res: *mut c_void);
    pub fn CRYPTO_free(p: *mut c_void, file: *const c_char, line: c_int);
    pub fn ERR_get_error() -> std::os::raw::c_ulong;
    pub fn ERR_clear_error();
}

/// An OpenSSL `BIO_ADDR` for an IPv4/IPv6 `SocketAddr`; free with
/// `BIO_ADDR_free`.
pub fn ossl_addr(sa: std::net::SocketAddr) -> *mut OsslAddr {
    // SAFETY: BIO_ADDR_new returns a fresh address or NULL; rawmake reads
    // exactly the octets given.
    unsafe {
        let a = BIO_ADDR_new();
        assert!(!a.is_null());
        let ok = match sa {
            std::net::SocketAddr::V4(v4) => BIO_ADDR_rawmake(
                a,
                libc::AF_INET,
                v4.ip().octets().as_ptr().cast(),
                4,
                v4.port().to_be(),
            ),
            std::net::SocketAddr::V6(v6) => BIO_ADDR_rawmake(
                a,
                libc::AF_INET6,
                v6.ip().octets().as_ptr().cast(),
                16,
                v6.port().to_be(),
            ),
        };
        assert_eq!(ok, 1);
        a
    }
}

/// An OpenSSL `BIO_ADDR` for a Unix path; free with `BIO_ADDR_free`.
pub fn ossl_unix_addr(path: &std::path::Path) -> *mut OsslAddr {
    use std::os::unix::ffi::OsStrExt;
    let mut bytes = path.as_os_str().as_bytes().to_vec();
    let len = bytes.len();
    bytes.push(0);
    // SAFETY: bytes is NUL-terminated, as OpenSSL's strncpy needs.
    unsafe {
        let a = BIO_ADDR_new();
        assert!(!a.is_null());
        assert_eq!(
            BIO_ADDR_rawmake(a, libc::AF_UNIX, bytes.as_ptr().cast(), len, 0),
            1
        );
        a
    }
}
