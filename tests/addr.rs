//! `BioAddr` and `lookup`: conversions, strings, equality, Unix names, and
//! bad input through the safe API.
// Unix: Unix names and libc sockaddrs. tests/portable.rs is the suite every platform runs.
#![cfg(unix)]

mod common;

use std::collections::HashSet;
use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, SocketAddrV6};
use std::path::Path;

use biosock::{ffi, lookup, BioAddr, Domain, LookupType, Protocol, SockOpts, Socket, Type};

#[test]
fn socket_addr_round_trips() {
    let cases: [SocketAddr; 6] = [
        "127.0.0.1:80".parse().unwrap(),
        "0.0.0.0:0".parse().unwrap(),
        "255.255.255.255:65535".parse().unwrap(),
        "[::1]:443".parse().unwrap(),
        "[::ffff:127.0.0.1]:1".parse().unwrap(),
        SocketAddr::V6(SocketAddrV6::new("fe80::1".parse().unwrap(), 8080, 7, 3)),
    ];
    for sa in cases {
        let a = BioAddr::from(sa);
        assert_eq!(SocketAddr::try_from(&a).unwrap(), sa);
        assert_eq!(a.port(), Some(sa.port()));
        assert_eq!(a.ip(), Some(sa.ip()));
        assert_eq!(a.family(), if sa.is_ipv4() { Domain::IPV4 } else { Domain::IPV6 });
        assert_eq!(a.path(), None);
        let (_, len) = a.as_sockaddr();
        let expect = if sa.is_ipv4() {
            std::mem::size_of::<libc::sockaddr_in>()
        } else {
            std::mem::size_of::<libc::sockaddr_in6>()
        };
        assert_eq!(len as usize, expect);
    }
}

#[test]
fn display_and_from_str() {
    for text in ["127.0.0.1:80", "[::1]:443", "[fe80::1]:1", "10.0.0.1:65535"] {
        let a: BioAddr = text.parse().unwrap();
        assert_eq!(a.to_string(), text);
        assert_eq!(format!("{a:?}"), format!("BioAddr({text})"));
    }
    assert_eq!(BioAddr::unspecified().to_string(), "(unspecified)");
    assert_eq!(BioAddr::default().family(), Domain::UNSPEC);
    let p = BioAddr::unix("/tmp/x.sock").unwrap();
    assert_eq!(p.to_string(), "/tmp/x.sock");
    assert_eq!(p.path(), Some(Path::new("/tmp/x.sock")));
    let abs = BioAddr::unix_abstract(b"name").unwrap();
    assert_eq!(abs.to_string(), "@name");
    assert_eq!(abs.abstract_name(), Some(&b"name"[..]));
    assert_eq!(abs.path(), None);
}

#[test]
fn from_str_rejects_bad_input() {
    // FromStr is numeric only and never calls C: a refusal is the safe
    // layer's, an ERR_R_PASSED_INVALID_ARGUMENT entry with no errno.
    let reason = |s: &str| s.parse::<BioAddr>().unwrap_err().reason();
    for bad in ["::1", "a:b:c", "[::1", "[::1]x"] {
        assert_eq!(reason(bad), Some(ffi::ERR_R_PASSED_INVALID_ARGUMENT as i32));
    }
    for bad in [
        "",
        "127.0.0.1",
        "127.0.0.1:",
        "localhost:80",
        "127.0.0.1:65536",
        "127.0.0.1:http",
        "[::1]",
        "1.2.3:4",
        "\u{0}",
        "[\u{0}]:1",
        "\u{fffd}:1",
    ] {
        let e = bad.parse::<BioAddr>().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{bad:?}: {e}");
    }
    let huge = "9".repeat(1 << 20);
    assert!(format!("127.0.0.1:{huge}").parse::<BioAddr>().is_err());
    assert!(format!("{huge}:1").parse::<BioAddr>().is_err());
}

/// `BioAddr`'s `FromStr` (its own reader of std's grammar) against std's
/// `SocketAddr` over generated strings: runs of the grammar's pieces (hex
/// and decimal numbers of every length, `.`, `:`, `::`, `%`), bare or in an
/// IPv6 frame, with a character changed in some. The same answer for
/// every one (the address, or a refusal), and many of both.
#[test]
fn from_str_agrees_with_std_on_generated_strings() {
    let rounds = if cfg!(debug_assertions) {
        200_000
    } else {
        1_000_000
    };
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let digits = |next: &mut dyn FnMut(u64) -> u64, set: &[u8], s: &mut Vec<u8>| {
        let len = [0, 1, 1, 2, 3, 3, 4, 5, 11][next(9) as usize];
        for _ in 0..len {
            s.push(set[next(set.len() as u64) as usize]);
        }
    };
    let (mut accepted, mut refused) = (0, 0);
    let mut s = Vec::new();
    for _ in 0..rounds {
        s.clear();
        let shape = next(3);
        if shape == 0 {
            // The shape of an address: IPv4, or IPv6 with some groups, a
            // `::` somewhere or none, and an IPv4 tail or a scope at times.
            let v4 = |next: &mut dyn FnMut(u64) -> u64, s: &mut Vec<u8>| {
                for i in 0..4 {
                    if i > 0 {
                        s.push(b'.');
                    }
                    let octet = [next(10), next(256), next(300), next(1000)][next(4) as usize];
                    s.extend_from_slice(octet.to_string().as_bytes());
                }
            };
            if next(2) == 0 {
                v4(&mut next, &mut s);
            } else {
                s.push(b'[');
                let groups = next(9);
                let gap = next(groups + 2);
                for i in 0..groups {
                    if i == gap {
                        s.extend_from_slice(b"::");
                    } else if i > 0 {
                        s.push(b':');
                    }
                    digits(&mut next, b"0123456789abcdef", &mut s);
                }
                if gap >= groups && next(2) == 0 {
                    s.extend_from_slice(b"::");
                }
                match next(4) {
                    0 => v4(&mut next, &mut s),
                    1 => s.extend_from_slice(format!("%{}", next(5_000_000_000)).as_bytes()),
                    _ => {}
                }
                s.push(b']');
            }
            s.push(b':');
            s.extend_from_slice(
                [next(10), next(65536), next(70000)][next(3) as usize]
                    .to_string()
                    .as_bytes(),
            );
        }
        let framed = shape == 1;
        if framed {
            s.push(b'[');
        }
        for _ in 0..if shape == 0 { 0 } else { 1 + next(10) } {
            match next(8) {
                0 | 1 => digits(&mut next, b"0123456789abcdefABCDEF", &mut s),
                2 | 3 => digits(&mut next, b"0123456789", &mut s),
                4 => s.push(b'.'),
                5 => s.push(b':'),
                6 => s.extend_from_slice(b"::"),
                _ => s.push(b"%]:g"[next(4) as usize]),
            }
        }
        if framed {
            s.extend_from_slice(b"]:");
            digits(&mut next, b"0123456789", &mut s);
        }
        if next(4) == 0 && !s.is_empty() {
            let i = next(s.len() as u64) as usize;
            s[i] = b"0.:[]%f9"[next(8) as usize];
        }
        let text = std::str::from_utf8(&s).unwrap();
        let ours = text.parse::<BioAddr>().ok();
        let std = text.parse::<SocketAddr>().ok();
        assert_eq!(ours, std.map(BioAddr::from), "{text:?}");
        assert_eq!(ours.as_ref().and_then(BioAddr::as_socket), std, "{text:?}");
        if std.is_some() {
            accepted += 1;
        } else {
            refused += 1;
        }
    }
    // Both answers are common: the generator reaches the grammar.
    assert!(
        accepted > rounds / 50 && refused > rounds / 2,
        "{accepted} accepted, {refused} refused"
    );
    println!("{accepted} accepted, {refused} refused");
}

#[test]
fn equality_and_hash_follow_the_address() {
    let a: BioAddr = "127.0.0.1:80".parse().unwrap();
    let b = a.clone();
    let c: BioAddr = "127.0.0.1:81".parse().unwrap();
    let d: BioAddr = "[::1]:80".parse().unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_ne!(a, d);
    let set: HashSet<BioAddr> = [a.clone(), b, c.clone(), d.clone(), BioAddr::unix("/x").unwrap()].into();
    assert_eq!(set.len(), 4);
    assert_eq!(BioAddr::unix("/x").unwrap(), BioAddr::unix("/x").unwrap());
    assert_ne!(
        BioAddr::unix("/x").unwrap(),
        BioAddr::unix_abstract(b"x").unwrap()
    );
}

#[test]
fn unix_path_limits() {
    // sun_path's size: 108 on Linux, 104 on the BSDs and macOS.
    let sun_path =
        std::mem::size_of::<libc::sockaddr_un>() - std::mem::offset_of!(libc::sockaddr_un, sun_path);
    let longest = sun_path - 1; // and its NUL
    let ok = format!("/{}", "p".repeat(longest - 1));
    let a = BioAddr::unix(&ok).unwrap();
    assert_eq!(a.path().unwrap().as_os_str().len(), longest);
    for len in [sun_path, 4096] {
        let long = format!("/{}", "p".repeat(len - 1));
        let e = BioAddr::unix(&long).unwrap_err();
        assert_eq!(e.function(), "BIO_ADDR_rawmake");
        assert_eq!(e.raw_os_error(), None, "{len}");
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{len}");
    }
    let e = BioAddr::unix("/a\0b").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    // An abstract name: the leading NUL, the name, and room for one more.
    assert!(BioAddr::unix_abstract(&vec![b'a'; sun_path - 2]).is_ok());
    assert!(BioAddr::unix_abstract(&vec![b'a'; sun_path - 1]).is_err());
    // An abstract name may hold NUL bytes and still round-trips.
    let odd = BioAddr::unix_abstract(b"a\0b").unwrap();
    assert_eq!(odd.abstract_name(), Some(&b"a\0b"[..]));
}

#[test]
fn abstract_unix_socket_end_to_end() {
    let name = format!("biosock-test-{}", std::process::id());
    let addr = BioAddr::unix_abstract(name.as_bytes()).unwrap();
    let l = Socket::listen_on(&addr, SockOpts::empty()).unwrap();
    assert_eq!(l.local_addr().unwrap(), addr);
    let _c = Socket::connect_to(&addr, SockOpts::empty()).unwrap();
    let (_a, peer) = l.accept(SockOpts::empty()).unwrap();
    assert_eq!(peer.family(), Domain::UNIX);
}

#[test]
fn strings_from_the_c_side() {
    let a: BioAddr = "127.0.0.1:443".parse().unwrap();
    assert_eq!(a.hostname_string(true).unwrap(), "127.0.0.1");
    assert_eq!(a.service_string(true).unwrap(), "443");
    assert_eq!(a.service_string(false).unwrap(), "https");
    let v6: BioAddr = "[::1]:1".parse().unwrap();
    assert_eq!(v6.hostname_string(true).unwrap(), "::1");
    let e = BioAddr::unspecified().hostname_string(true).unwrap_err();
    assert_eq!(e.reason(), Some(ffi::ERR_R_SYS_LIB as i32));
    // The resolver's own text for EAI_FAMILY (glibc's and musl's differ).
    // SAFETY: gai_strerror returns a static, NUL-terminated string.
    let text = unsafe { std::ffi::CStr::from_ptr(libc::gai_strerror(libc::EAI_FAMILY)) };
    assert_eq!(e.entries()[0].data(), text.to_str().unwrap());
}

#[test]
fn lookup_numeric_and_unix() {
    let all: Vec<_> = lookup(
        Some("::1"),
        Some("https"),
        LookupType::Client,
        Domain::UNSPEC,
        Type::STREAM,
    )
    .unwrap()
    .collect();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].addr.to_string(), "[::1]:443");
    assert_eq!(all[0].socktype, Type::STREAM);
    assert_eq!(all[0].protocol, Protocol::TCP);

    let via_addr: Vec<BioAddr> = BioAddr::lookup(
        Some("127.0.0.1"),
        Some("80"),
        LookupType::Client,
        Domain::IPV4,
        Type::STREAM,
    )
    .unwrap()
    .map(|r| r.addr)
    .collect();
    assert_eq!(via_addr, ["127.0.0.1:80".parse::<BioAddr>().unwrap()]);

    let server: Vec<_> = lookup(None, Some("8080"), LookupType::Server, Domain::IPV4, Type::DGRAM)
        .unwrap()
        .collect();
    assert_eq!(server[0].addr.to_string(), "0.0.0.0:8080");
    assert_eq!(server[0].protocol, Protocol::UDP);

    let u: Vec<_> = lookup(
        Some("/tmp/s"),
        None,
        LookupType::Client,
        Domain::UNIX,
        Type::STREAM,
    )
    .unwrap()
    .collect();
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].addr.path(), Some(Path::new("/tmp/s")));
    assert_eq!(u[0].protocol, Protocol::DEFAULT);

    let e = lookup(
        Some("127.0.0.1"),
        None,
        LookupType::Client,
        Domain::from_raw(12345),
        Type::STREAM,
    )
    .unwrap_err();
    assert_eq!(e.reason(), Some(ffi::BIO_R_UNSUPPORTED_PROTOCOL_FAMILY as i32));
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    let e = lookup(None, None, LookupType::Client, Domain::UNIX, Type::STREAM).unwrap_err();
    assert_eq!(e.reason(), Some(ffi::ERR_R_PASSED_NULL_PARAMETER as i32));
    let long = "x".repeat(200);
    let e = lookup(Some(&long), None, LookupType::Client, Domain::UNIX, Type::STREAM).unwrap_err();
    assert_eq!(e.reason(), Some(ffi::BIO_R_LENGTH_TOO_LONG as i32));
    let e = lookup(
        Some("bad host!"),
        Some("80"),
        LookupType::Client,
        Domain::UNSPEC,
        Type::STREAM,
    )
    .unwrap_err();
    assert_eq!(e.reason(), Some(ffi::ERR_R_SYS_LIB as i32));
    assert!(
        !e.entries()[0].data().is_empty(),
        "the resolver's message is kept"
    );
    assert!(lookup(
        Some("a\0b"),
        None,
        LookupType::Client,
        Domain::UNSPEC,
        Type::STREAM
    )
    .is_err());
}

#[test]
fn ip_accessors_on_other_families() {
    let u = BioAddr::unix("/tmp/y").unwrap();
    assert_eq!(u.ip(), None);
    assert_eq!(u.port(), None);
    assert!(SocketAddr::try_from(&u).is_err());
    let ip: IpAddr = "::1".parse().unwrap();
    assert_eq!(BioAddr::from(SocketAddr::new(ip, 0)).ip(), Some(ip));
}

/// The kernel reads the same `sin6_flowinfo` from biosock as from std: two
/// UDP sockets with `IPV6_FLOWINFO_SEND` on, one connected with std's
/// `UdpSocket::connect`, one with `Socket::connect` of the same
/// `SocketAddrV6` made a `BioAddr`, give identical `getpeername` bytes.
/// (The value carries a traffic class and no flow label, so the kernel
/// takes it without a flow-label lease; biosock's old byte swap turned it
/// into a label, which the kernel refused with EINVAL.)
#[test]
#[cfg(target_os = "linux")]
fn flowinfo_reaches_the_kernel_as_from_std() {
    use std::os::fd::AsRawFd;
    // Traffic class 0xAB, flow label 0, as the bytes sit in sin6_flowinfo.
    let flowinfo = u32::from_ne_bytes(0x0AB0_0000u32.to_be_bytes());
    let server = std::net::UdpSocket::bind("[::1]:0").unwrap();
    let SocketAddr::V6(at) = server.local_addr().unwrap() else {
        unreachable!()
    };
    let to = SocketAddrV6::new(*at.ip(), at.port(), flowinfo, 0);
    let flowinfo_send = |fd: i32| {
        let on: libc::c_int = 1;
        // SAFETY: on is a live int for the call.
        let r = unsafe {
            libc::setsockopt(
                fd,
                libc::IPPROTO_IPV6,
                libc::IPV6_FLOWINFO_SEND,
                (&on as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        assert_eq!(r, 0, "{}", std::io::Error::last_os_error());
    };
    let peer_flowinfo = |fd: i32| {
        // SAFETY: plain data, written by getpeername.
        let mut sa: libc::sockaddr_in6 = unsafe { std::mem::zeroed() };
        let mut len = std::mem::size_of::<libc::sockaddr_in6>() as libc::socklen_t;
        // SAFETY: sa is writable for len bytes.
        let r = unsafe { libc::getpeername(fd, (&mut sa as *mut libc::sockaddr_in6).cast(), &mut len) };
        assert_eq!(r, 0, "{}", std::io::Error::last_os_error());
        sa.sin6_flowinfo
    };

    let by_std = std::net::UdpSocket::bind("[::1]:0").unwrap();
    flowinfo_send(by_std.as_raw_fd());
    by_std.connect(to).unwrap();
    let by_biosock = Socket::new(Domain::IPV6, Type::DGRAM, None).unwrap();
    flowinfo_send(by_biosock.as_raw_fd());
    by_biosock.connect(&BioAddr::from(to), SockOpts::empty()).unwrap();
    assert_eq!(peer_flowinfo(by_std.as_raw_fd()), flowinfo);
    assert_eq!(
        peer_flowinfo(by_biosock.as_raw_fd()),
        peer_flowinfo(by_std.as_raw_fd())
    );
    // And back: the kernel's peer address reads as std's SocketAddrV6.
    assert_eq!(by_biosock.peer_addr().unwrap().flowinfo(), Some(flowinfo));
}

/// `ToBioAddrs` for `"host:port"` against std's `ToSocketAddrs`, over 400
/// strings: numeric hosts only (so neither side asks DNS), ports written
/// every way getaddrinfo would read as a number (signs, white space,
/// leading zeros, past 16 bits) and some it would not. Where std takes the
/// string, biosock gives the same addresses; where std refuses it, so does
/// biosock (`InvalidInput`), never a port wrapped to 16 bits.
#[test]
fn to_bio_addrs_agrees_with_std_on_host_port_strings() {
    use biosock::ToBioAddrs;
    use std::net::ToSocketAddrs;

    let hosts = [
        "127.0.0.1",
        "0.0.0.0",
        "[::1]",
        "[::]",
        "[::ffff:127.0.0.1]",
        "127.1",
        "10.1.2.3",
        "255.255.255.255",
        "[2001:db8::1]",
        "192.0.2.7",
        "[::ffff:192.0.2.7]",
    ];
    let ports = [
        "0",
        "1",
        "80",
        "443",
        "65535",
        "65536",
        "65537",
        "111043",
        "4294967297",
        "18446744073709551696",
        "+80",
        "+65535",
        "+65536",
        "+111043",
        "-1",
        "-0",
        "-80",
        " 80",
        "  80",
        "\t80",
        "\t 111043",
        " 111043",
        "80 ",
        "80\n",
        "0080",
        "00000000080",
        "000065535",
        "000065536",
        "0000111043",
        "",
        "+",
        "-",
        "++80",
        "+-80",
        "8 0",
        "0x50",
        "1e3",
        "\u{0668}\u{0660}",
        "80.0",
        "6553\u{0665}",
    ];
    let mut compared = 0;
    for host in hosts {
        for port in ports {
            let text = format!("{host}:{port}");
            // std's own lookup for a bracketed host it cannot parse whole
            // ("[::1]:+80") would pass "[::1]" to getaddrinfo, brackets and
            // all, which asks DNS: there, std's rules are applied here (its
            // IPv6 parser, u16::from_str for the port) without the lookup.
            let by_std: std::io::Result<Vec<SocketAddr>> = match host.strip_prefix('[') {
                Some(inner) if text.parse::<SocketAddr>().is_err() => {
                    let ip = inner.trim_end_matches(']').split('%').next().unwrap();
                    let ip: std::net::Ipv6Addr = ip.parse().unwrap();
                    port.parse::<u16>()
                        .map(|p| vec![SocketAddr::new(ip.into(), p)])
                        .map_err(|e| std::io::Error::new(ErrorKind::InvalidInput, e))
                }
                _ => text.to_socket_addrs().map(Iterator::collect),
            };
            let by_biosock = text.as_str().to_bio_addrs(LookupType::Client);
            match (by_std, by_biosock) {
                (Ok(want), Ok(got)) => {
                    let got: Vec<SocketAddr> = got.map(|a| SocketAddr::try_from(&a).unwrap()).collect();
                    assert_eq!(got, want, "{text:?}");
                }
                (Err(_), Err(e)) => {
                    assert!(
                        matches!(e.kind(), ErrorKind::InvalidInput | ErrorKind::NotFound),
                        "{text:?}: {e}"
                    );
                }
                (Ok(want), Err(e)) => panic!("{text:?}: std gives {want:?}, biosock {e}"),
                (Err(e), Ok(got)) => {
                    let got: Vec<BioAddr> = got.collect();
                    panic!("{text:?}: std refuses ({e}), biosock gives {got:?}")
                }
            }
            compared += 1;
        }
    }
    assert_eq!(compared, hosts.len() * ports.len());
    assert!(compared >= 400);
    // And listening: a port alone, and "*:port".
    for text in ["+65537", " 65537", "-1", "*:+111043", "*: 80"] {
        let e = text.to_bio_addrs(LookupType::Server).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{text:?}: {e}");
    }
}

/// A cell of the shared address table: "-" none, aN N bytes 'a', else the
/// text.
#[cfg(target_os = "linux")]
fn rule_name(cell: &str) -> Vec<u8> {
    match cell {
        "-" => Vec::new(),
        _ if cell.len() > 1 && cell.starts_with('a') && cell[1..].bytes().all(|b| b.is_ascii_digit()) => {
            vec![b'a'; cell[1..].parse().unwrap()]
        }
        _ => cell.as_bytes().to_vec(),
    }
}

/// The Unix address rules, from the table the C suite runs too
/// (c/tests/addr_rules.txt): which names fit, the length the kernel is
/// given, how the address reads back. (Linux: abstract names.)
#[test]
#[cfg(target_os = "linux")]
#[cfg_attr(miri, ignore = "calls C")]
fn unix_addresses_follow_the_shared_table() {
    use std::os::unix::ffi::OsStrExt;
    let table = include_str!("../c/tests/addr_rules.txt");
    let mut cases = 0;
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cells: Vec<&str> = line.split_whitespace().collect();
        let name = rule_name(cells[1]);
        let made = match cells[0] {
            "path" => BioAddr::unix(std::ffi::OsStr::from_bytes(&name)),
            "abstract" => BioAddr::unix_abstract(&name),
            other => panic!("{other}"),
        };
        match (cells[2], made) {
            ("refused", Err(e)) => assert_eq!(e.kind(), ErrorKind::InvalidInput, "{line}"),
            ("refused", Ok(a)) => panic!("{line}: made {a}"),
            (_, Err(e)) => panic!("{line}: {e}"),
            (len, Ok(a)) => {
                assert_eq!(a.as_sockaddr().1.to_string(), len, "{line}");
                let reads = match (a.path(), a.abstract_name()) {
                    (Some(p), _) => p.as_os_str().as_bytes().to_vec(),
                    (_, Some(n)) => [b"@".as_slice(), n].concat(),
                    _ => Vec::new(),
                };
                let want = match cells[3] {
                    "-" => Vec::new(),
                    at if at.starts_with('@') => [b"@".as_slice(), &rule_name(&at[1..])].concat(),
                    text => rule_name(text),
                };
                assert_eq!(reads, want, "{line}");
            }
        }
        cases += 1;
    }
    assert!(cases >= 10);
}
