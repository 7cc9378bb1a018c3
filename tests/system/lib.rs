//! biosock's system tests (`tests/`: fault injection, load, Happy Eyeballs
//! against black holes, tokio and mio interop), Linux only, and what they
//! share with the benches: private namespaces for tests and measurements
//! that need their own network (root only): this thread's own mount and
//! network namespaces, with an /etc/hosts of the caller's and lo up.
//! Nothing of the host changes.

use std::ffi::CString;

use biosock::{lookup, BioAddr, Domain, LookupType, SockOpts, Socket, Type};

/// This thread's own mount and network namespaces, /etc/hosts = `hosts`,
/// lo up.
pub fn private_hosts_and_net(hosts: &str) {
    let path = std::env::temp_dir().join(format!("biosock-hosts-{}", std::process::id()));
    std::fs::write(&path, hosts).unwrap();
    let cpath = CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: plain syscalls on this thread; the strings outlive them.
    unsafe {
        assert_eq!(libc::unshare(libc::CLONE_NEWNS), 0, "unshare (root?)");
        let none = c"none".as_ptr();
        assert_eq!(
            libc::mount(
                none,
                c"/".as_ptr(),
                none,
                libc::MS_REC | libc::MS_PRIVATE,
                std::ptr::null()
            ),
            0
        );
        assert_eq!(
            libc::mount(
                cpath.as_ptr(),
                c"/etc/hosts".as_ptr(),
                none,
                libc::MS_BIND,
                std::ptr::null()
            ),
            0
        );
    }
    std::fs::remove_file(&path).unwrap();
    private_net();
}

/// This thread's own network namespace, with lo up.
pub fn private_net() {
    // SAFETY: unshare affects this thread only; ifreq is plain data, which
    // the ioctls read and write.
    unsafe {
        assert_eq!(libc::unshare(libc::CLONE_NEWNET), 0, "unshare (root?)");
        let s = libc::socket(libc::AF_INET, libc::SOCK_DGRAM, 0);
        let mut ifr: libc::ifreq = std::mem::zeroed();
        for (d, b) in ifr.ifr_name.iter_mut().zip(b"lo\0") {
            *d = *b as libc::c_char;
        }
        assert_eq!(libc::ioctl(s, libc::SIOCGIFFLAGS, &mut ifr), 0);
        ifr.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
        assert_eq!(libc::ioctl(s, libc::SIOCSIFFLAGS, &ifr), 0);
        libc::close(s);
    }
}

/// Set a sysctl of this thread's network namespace (its own copy), such
/// as `net/ipv4/tcp_syn_retries`.
pub fn set_sysctl(name: &str, value: &str) {
    std::fs::write(format!("/proc/sys/{name}"), value).unwrap_or_else(|e| panic!("{name}: {e}"));
}

/// Private namespaces where /etc/hosts names `he.test` as `::1` then
/// `127.0.0.1`; its two addresses in the resolver's order, a black hole on
/// the first (backlog 0 and one connection queued: further SYNs are
/// dropped), and a listener on the second.
pub fn he_test_black_hole_first() -> (BioAddr, BioAddr, Socket, Socket, Socket) {
    private_hosts_and_net("::1 he.test\n127.0.0.1 he.test\n");
    let found: Vec<BioAddr> = lookup(
        Some("he.test"),
        Some("4433"),
        LookupType::Client,
        Domain::UNSPEC,
        Type::STREAM,
    )
    .unwrap()
    .map(|a| a.addr)
    .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    let (first, second) = (found[0].clone(), found[1].clone());
    assert_ne!(first.family(), second.family());
    let hole = Socket::new(first.family(), Type::STREAM, None).unwrap();
    hole.listen_backlog(&first, SockOpts::REUSEADDR, 0).unwrap();
    let filler = Socket::connect_to(&first, SockOpts::empty()).unwrap();
    let good = Socket::listen_on(&second, SockOpts::REUSEADDR).unwrap();
    (first, second, hole, filler, good)
}
