//! Address work: `BioAddr` from and to `SocketAddr`, `Display`,
//! `BIO_parse_hostserv` and a numeric `BIO_lookup_ex`, beside std and (with
//! `--features openssl`) OpenSSL's libcrypto.
//!
//! Run: `cargo bench --features openssl --bench addr`.

#[cfg(feature = "openssl")]
use biosock_benches::openssl;

use std::ffi::CStr;
use std::fmt::Write;
use std::hint::black_box;
use std::net::{SocketAddr, ToSocketAddrs};
use std::os::raw::c_char;
use std::ptr;
use std::time::Duration;

use biosock::{ffi, lookup, BioAddr, Domain, LookupType, Type};
use criterion::{criterion_group, criterion_main, Criterion};

const V4: &str = "127.0.0.1:443";
const V6: &str = "[2001:db8::1]:8443";

fn conversions(c: &mut Criterion) {
    let mut g = c.benchmark_group("addr");
    for (tag, text) in [("v4", V4), ("v6", V6)] {
        let sa: SocketAddr = text.parse().unwrap();
        let bio = BioAddr::from(sa);
        g.bench_function(format!("from_socket_addr-{tag}"), |b| {
            b.iter(|| BioAddr::from(black_box(sa)))
        });
        g.bench_function(format!("to_socket_addr-{tag}"), |b| {
            b.iter(|| SocketAddr::try_from(black_box(&bio)).unwrap())
        });
        let mut out = String::with_capacity(64);
        g.bench_function(format!("display-{tag}"), |b| {
            b.iter(|| {
                out.clear();
                write!(out, "{}", black_box(&bio)).unwrap();
                out.len()
            })
        });
        g.bench_function(format!("std_display-{tag}"), |b| {
            b.iter(|| {
                out.clear();
                write!(out, "{}", black_box(&sa)).unwrap();
                out.len()
            })
        });
    }
    g.finish();
}

/// `BIO_parse_hostserv` through a C API, freeing both parts.
fn parse_with(
    f: unsafe extern "C" fn(*const c_char, *mut *mut c_char, *mut *mut c_char, u32) -> i32,
    free: unsafe fn(*mut c_char),
    input: &CStr,
) -> i32 {
    let (mut h, mut s): (*mut c_char, *mut c_char) = (ptr::null_mut(), ptr::null_mut());
    // SAFETY: input is NUL-terminated; h and s are valid out-pointers and
    // freed once each below.
    unsafe {
        let r = f(input.as_ptr(), &mut h, &mut s, ffi::BIO_PARSE_PRIO_HOST);
        free(h);
        free(s);
        r
    }
}

unsafe fn biosock_free(p: *mut c_char) {
    // SAFETY: p came from biosock or is NULL.
    unsafe { ffi::OPENSSL_free(p.cast()) }
}

fn parsing(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse_hostserv");
    for (tag, text) in [("v4", V4), ("v6", V6)] {
        let input = std::ffi::CString::new(text).unwrap();
        g.bench_function(format!("biosock-{tag}"), |b| {
            b.iter(|| parse_with(ffi::BIO_parse_hostserv, biosock_free, black_box(&input)))
        });
        #[cfg(feature = "openssl")]
        g.bench_function(format!("openssl-{tag}"), |b| {
            unsafe extern "C" fn p(
                h: *const c_char,
                a: *mut *mut c_char,
                s: *mut *mut c_char,
                pr: u32,
            ) -> i32 {
                // SAFETY: forwarded as given.
                unsafe { openssl::BIO_parse_hostserv(h, a, s, pr as i32) }
            }
            unsafe fn free(p: *mut c_char) {
                // SAFETY: p came from libcrypto or is NULL.
                unsafe { openssl::CRYPTO_free(p.cast(), c"bench".as_ptr(), 0) }
            }
            b.iter(|| parse_with(p, free, black_box(&input)))
        });
        g.bench_function(format!("BioAddr_from_str-{tag}"), |b| {
            b.iter(|| black_box(text).parse::<BioAddr>().unwrap())
        });
        g.bench_function(format!("std_SocketAddr_from_str-{tag}"), |b| {
            b.iter(|| black_box(text).parse::<SocketAddr>().unwrap())
        });
    }
    g.finish();
}

fn lookups(c: &mut Criterion) {
    let mut g = c.benchmark_group("lookup_numeric");
    g.bench_function("biosock", |b| {
        b.iter(|| {
            lookup(
                Some(black_box("127.0.0.1")),
                Some("443"),
                LookupType::Client,
                Domain::IPV4,
                Type::STREAM,
            )
            .unwrap()
            .count()
        })
    });
    #[cfg(feature = "openssl")]
    g.bench_function("openssl", |b| {
        b.iter(|| {
            let mut res = ptr::null_mut();
            // SAFETY: constant NUL-terminated strings; res is freed once.
            unsafe {
                let r = openssl::BIO_lookup_ex(
                    c"127.0.0.1".as_ptr(),
                    c"443".as_ptr(),
                    0,
                    libc::AF_INET,
                    libc::SOCK_STREAM,
                    0,
                    &mut res,
                );
                assert_eq!(r, 1);
                openssl::BIO_ADDRINFO_free(res);
            }
        })
    });
    g.bench_function("std_to_socket_addrs", |b| {
        b.iter(|| black_box(("127.0.0.1", 443)).to_socket_addrs().unwrap().count())
    });
    g.finish();
}

criterion_group! {
    name = addr;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = conversions, parsing, lookups
}
criterion_main!(addr);
