//! Numeric socket addresses: exactly the strings `std::net::SocketAddr`'s
//! `FromStr` accepts, with the same result, read in one pass over the
//! bytes with an index (std's parser goes through closures that save and
//! restore its state at every character, which costs it several times the
//! instructions). `tests` below, and `tests/addr.rs` over a million
//! generated strings, hold it to std's answer for every input.
//!
//! The grammar, as std's (`core::net::parser`):
//! - IPv4: four decimal octets (1–3 digits, at most 255, no leading zero)
//!   joined by `.`, then `:` and the port.
//! - IPv6: `[`, the address, an optional `%` and decimal scope id (`u32`),
//!   `]`, `:` and the port. The address is groups of 1–4 hex digits joined
//!   by `:`, at most one `::` standing for the groups left out, and an IPv4
//!   address in place of the last two groups.
//! - The port: decimal, any number of digits (leading zeros too), at most
//!   65535.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

/// `s` as std's `SocketAddr::from_str` reads it, or `None` where std
/// refuses it.
#[inline]
pub(crate) fn socket_addr(s: &[u8]) -> Option<SocketAddr> {
    let mut p = Cursor { s, at: 0 };
    // As std: IPv4 first, then IPv6 from the start; and all of it.
    let sa = match p.socket_addr_v4() {
        Some(v4) => SocketAddr::V4(v4),
        None => SocketAddr::V6(p.socket_addr_v6()?),
    };
    (p.at == s.len()).then_some(sa)
}

struct Cursor<'a> {
    s: &'a [u8],
    at: usize,
}

/// The value of the digit `b` in `radix` (10 or 16).
#[inline(always)]
fn digit(b: u8, radix: u32) -> Option<u32> {
    let d = match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' if radix == 16 => b - b'a' + 10,
        b'A'..=b'F' if radix == 16 => b - b'A' + 10,
        _ => return None,
    };
    Some(u32::from(d))
}

impl Cursor<'_> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    /// Consume `c` if it is next.
    #[inline(always)]
    fn eat(&mut self, c: u8) -> bool {
        let next = self.peek() == Some(c);
        self.at += usize::from(next);
        next
    }

    /// `inner` after the separator `sep` before the group at `index` (none
    /// before the first); nothing consumed when either fails (std's
    /// `read_separator`).
    #[inline(always)]
    fn separated<T>(
        &mut self,
        sep: u8,
        index: usize,
        inner: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<T> {
        let at = self.at;
        let read = if index == 0 || self.eat(sep) {
            inner(self)
        } else {
            None
        };
        if read.is_none() {
            self.at = at;
        }
        read
    }

    /// A number in `radix` of at most `max_digits` digits (more fail) and at
    /// most `max`, with a leading zero only when `zero_prefix` or alone; on
    /// failure nothing is consumed. (std's `read_number`: with a digit
    /// limit, the value is checked once the digits end; without, at every
    /// digit; which fails the same strings.)
    #[inline(always)]
    fn number(&mut self, radix: u32, max_digits: usize, max: u32, zero_prefix: bool) -> Option<u32> {
        let (s, start) = (self.s, self.at);
        let mut at = start;
        let mut value: u64 = 0;
        while let Some(d) = s.get(at).and_then(|&b| digit(b, radix)) {
            at += 1;
            value = value * u64::from(radix) + u64::from(d);
            if at - start > max_digits || value > u64::from(max) {
                return None;
            }
        }
        let count = at - start;
        if count == 0 || (!zero_prefix && count > 1 && s[start] == b'0') {
            return None;
        }
        self.at = at;
        Some(value as u32)
    }

    fn ipv4(&mut self) -> Option<Ipv4Addr> {
        let start = self.at;
        let mut octets = [0u8; 4];
        for (i, slot) in octets.iter_mut().enumerate() {
            match self.separated(b'.', i, |p| p.number(10, 3, 255, false)) {
                Some(o) => *slot = o as u8,
                None => {
                    self.at = start;
                    return None;
                }
            }
        }
        Some(Ipv4Addr::from(octets))
    }

    /// Whether an IPv4 address may start here: its first octet (a run of
    /// at most three digits) and the `.` after it. Where not, `ipv4` fails,
    /// so the groups skip it.
    #[inline(always)]
    fn may_be_ipv4(&self) -> bool {
        let rest = &self.s[self.at.min(self.s.len())..];
        let digits = rest.iter().take(4).take_while(|b| b.is_ascii_digit()).count();
        (1..=3).contains(&digits) && rest.get(digits) == Some(&b'.')
    }

    /// Groups into `groups`, as std's `read_groups`: how many, and whether
    /// the last two were an IPv4 address. Stops (consuming nothing of it)
    /// at the first that is not one.
    fn groups(&mut self, groups: &mut [u16]) -> (usize, bool) {
        let limit = groups.len();
        for i in 0..limit {
            if i + 1 < limit {
                let v4 = self.separated(b':', i, |p| if p.may_be_ipv4() { p.ipv4() } else { None });
                if let Some(v4) = v4 {
                    let [a, b, c, d] = v4.octets();
                    groups[i] = u16::from_be_bytes([a, b]);
                    groups[i + 1] = u16::from_be_bytes([c, d]);
                    return (i + 2, true);
                }
            }
            match self.separated(b':', i, |p| p.number(16, 4, 0xffff, true)) {
                Some(g) => groups[i] = g as u16,
                None => return (i, false),
            }
        }
        (limit, false)
    }

    fn ipv6(&mut self) -> Option<Ipv6Addr> {
        let mut head = [0u16; 8];
        let (head_len, head_ipv4) = self.groups(&mut head);
        if head_len == 8 {
            return Some(Ipv6Addr::from(head));
        }
        // An IPv4 address ends the address: no `::` after one.
        if head_ipv4 || !(self.eat(b':') && self.eat(b':')) {
            return None;
        }
        // The tail after the head, then moved to the end, the groups left
        // out zero.
        let (tail_len, _) = self.groups(&mut head[head_len..7]);
        let gap = 8 - head_len - tail_len;
        for i in (head_len..head_len + tail_len).rev() {
            head[i + gap] = head[i];
            head[i] = 0;
        }
        Some(Ipv6Addr::from(head))
    }

    /// `:` and the port.
    fn port(&mut self) -> Option<u16> {
        if !self.eat(b':') {
            return None;
        }
        self.number(10, usize::MAX, u32::from(u16::MAX), true)
            .map(|p| p as u16)
    }

    fn socket_addr_v4(&mut self) -> Option<SocketAddrV4> {
        let start = self.at;
        let v4 = self
            .ipv4()
            .and_then(|ip| Some(SocketAddrV4::new(ip, self.port()?)));
        if v4.is_none() {
            self.at = start;
        }
        v4
    }

    fn socket_addr_v6(&mut self) -> Option<SocketAddrV6> {
        if !self.eat(b'[') {
            return None;
        }
        let ip = self.ipv6()?;
        // An optional scope id: a `%` without one is left, and `]` then
        // fails on it.
        let at = self.at;
        let scope_id = match self
            .eat(b'%')
            .then(|| self.number(10, usize::MAX, u32::MAX, true))
            .flatten()
        {
            Some(id) => id,
            None => {
                self.at = at;
                0
            }
        };
        if !self.eat(b']') {
            return None;
        }
        Some(SocketAddrV6::new(ip, self.port()?, 0, scope_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_std(s: &str) {
        assert_eq!(socket_addr(s.as_bytes()), s.parse::<SocketAddr>().ok(), "{s:?}");
    }

    /// The forms and the edges of each part of the grammar, each against
    /// std's answer.
    #[test]
    fn agrees_with_std_on_the_edges() {
        let cases = [
            "127.0.0.1:80",
            "0.0.0.0:0",
            "255.255.255.255:65535",
            "1.2.3.4:65536",
            "256.1.1.1:1",
            "01.2.3.4:1",
            "1.02.3.4:1",
            "1.2.3.00:1",
            "0.0.0.0:00080",
            "1.2.3.4:",
            "1.2.3.4",
            "1.2.3:4",
            "1.2.3.4.5:1",
            "1.2.3.4:1:",
            "1.2.3.4:+1",
            "1.2.3.4:-1",
            " 1.2.3.4:1",
            "1.2.3.4:1 ",
            "1234.1.1.1:1",
            "1.2.3.4:99999999999999999999",
            "[::1]:443",
            "[::]:0",
            "[::1]",
            "::1:443",
            "[::1]:",
            "[1::]:1",
            "[1:2:3:4:5:6:7:8]:1",
            "[1:2:3:4:5:6:7:8:9]:1",
            "[1:2:3:4:5:6:7::]:1",
            "[::1:2:3:4:5:6:7]:1",
            "[1:2:3:4:5:6:7::8]:1",
            "[1::2::3]:1",
            "[:1]:1",
            "[1:]:1",
            "[:::]:1",
            "[12345::]:1",
            "[0000::]:1",
            "[FFFF:ffff::AbCd]:1",
            "[g::]:1",
            "[::1.2.3.4]:1",
            "[::ffff:1.2.3.4]:1",
            "[1:2:3:4:5:6:1.2.3.4]:1",
            "[1:2:3:4:5:6:7:1.2.3.4]:1",
            "[1.2.3.4::]:1",
            "[1.2.3.4]:1",
            "[::1.2.3]:1",
            "[::1.2.3.4.5]:1",
            "[::1.2.3.4:5]:1",
            "[1:2:3:4:5::1.2.3.4]:1",
            "[1:2:3:4:5:6::1.2.3.4]:1",
            "[::01.2.3.4]:1",
            "[fe80::1%2]:443",
            "[fe80::1%]:443",
            "[fe80::1%4294967295]:1",
            "[fe80::1%4294967296]:1",
            "[fe80::1%02]:1",
            "[fe80::1%2%3]:1",
            "[::1]%2:1",
            "[::1]:0443",
            "[::1]:65536",
            "[::1]:1x",
            "[]:1",
            "[",
            "]",
            ":",
            "",
            "::",
            "[::",
            "[::]",
            "[::]:",
            "1",
            "a.b.c.d:1",
            "é:1",
            "[::é]:1",
            "1.2.3.4:١",
            "[::1.2.3.04]:1",
            "[1:2:3:4:5:6:7:8%1]:1",
            "[::%1]:1",
            "[1::1.2.3.4]:1",
            "[::1:1.2.3.4]:1",
        ];
        for s in cases {
            same_as_std(s);
        }
    }

    /// Every string of up to four characters from the grammar's alphabet
    /// and a stranger, with a fixed IPv6 frame around some of them.
    #[test]
    fn agrees_with_std_on_every_short_string() {
        const ALPHABET: &[u8] = b"019afF:.[]%g";
        let n = if cfg!(miri) { 2 } else { 4 };
        let mut s = Vec::new();
        fn each(s: &mut Vec<u8>, left: usize, f: &mut dyn FnMut(&[u8])) {
            f(s);
            if left == 0 {
                return;
            }
            for &c in ALPHABET {
                s.push(c);
                each(s, left - 1, f);
                s.pop();
            }
        }
        each(&mut s, n, &mut |s| {
            let s = std::str::from_utf8(s).unwrap();
            same_as_std(s);
            same_as_std(&format!("[{s}]:1"));
            same_as_std(&format!("[1:{s}::]:1"));
            same_as_std(&format!("1.2.3.{s}"));
        });
    }
}
