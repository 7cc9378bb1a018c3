// The socket options of `Socket`, one row each. This file holds only the
// table, as one call of `socket_options!`, a macro that the file including
// it defines: `src/socket/options.rs` turns every row into a setter and a
// getter (their rustdoc, example, platform `cfg` and error names included),
// and `tests/options.rs` includes this same file to turn every row into a
// read-back test. A new option is one row here. (A file, not a macro
// holding the rows: tokens written in a file keep their spacing, so the
// generated examples read `Duration::from_secs(2)`.)
//
// A row:
//
//     /// Doc lines, for both methods.
//     #[cfg(...)]                      (optional: the platforms that have it)
//     getter / setter: Kind(LEVEL, NAME) [via C_FUNCTION]
//         test [as_root] [families] value [=> read back] [, at_least minimum];
//
// - `Kind` says how the value travels (options.rs's `kinds`): `Flag` (bool),
//   `Count` (u32), `Size` (usize), `Secs` (Duration in whole seconds,
//   rounded up), `Millis` (Option<Duration> in milliseconds, rounded up),
//   `Linger`, `Timeout` (Option<Duration>), `Name` (an interface, bytes),
//   `Text` (bytes), `Ipv4` (an `Ipv4Addr` as `struct in_addr`).
// - `LEVEL` and `NAME` are the C constants under their libc names; the error
//   of a failed call is named after them: `setsockopt(SO_KEEPALIVE)`.
// - `via C_FUNCTION`: the setter calls that function of the C library
//   instead of `setsockopt` (its error is named after it).
// - `test`: the socket kinds to run the read-back on (`tcp4`, `tcp6`,
//   `udp4`, `udp6`, `unix_stream`, `unix_dgram`; the first one is also the
//   rustdoc example's), the value to set, and what the getter must return
//   (`=> value`, the value itself when left out), or the least it may
//   return (`at_least`, for what the kernel adjusts). `as_root`: setting it
//   needs a privilege (`CAP_NET_ADMIN`): the test says so and stops where
//   it does not run as root, and the example is not run.

socket_options! {
    /// `TCP_NODELAY`: small segments go out at once, without
    /// Nagle's algorithm waiting to merge them.
    nodelay / set_nodelay: Flag(IPPROTO_TCP, TCP_NODELAY) via BIO_set_tcp_ndelay
        test [tcp4, tcp6] true;

    /// `SO_KEEPALIVE`: probe the peer of an idle connection.
    keepalive / set_keepalive: Flag(SOL_SOCKET, SO_KEEPALIVE)
        test [tcp4, tcp6] true;

    /// `TCP_KEEPIDLE` (`TCP_KEEPALIVE` on Apple systems and
    /// Windows): the idle time before the first keepalive probe;
    /// Linux takes 1 to 32767 s.
    keepalive_time / set_keepalive_time: Secs(IPPROTO_TCP, TCP_KEEPIDLE)
        test [tcp4, tcp6] Duration::from_millis(1500) => Duration::from_secs(2);

    /// `TCP_KEEPINTVL`: the time between keepalive probes; Linux
    /// takes 1 to 32767 s.
    keepalive_interval / set_keepalive_interval: Secs(IPPROTO_TCP, TCP_KEEPINTVL)
        test [tcp4, tcp6] Duration::from_secs(7);

    /// `TCP_KEEPCNT`: unanswered probes before the connection is
    /// dropped; Linux takes 1 to 127.
    keepalive_retries / set_keepalive_retries: Count(IPPROTO_TCP, TCP_KEEPCNT)
        test [tcp4, tcp6] 5;

    /// `SO_LINGER`: what close does with unsent data.
    linger / set_linger: Linger(SOL_SOCKET, SO_LINGER)
        test [tcp4, tcp6, unix_stream] Some(Duration::from_millis(1500))
            => Some(Duration::from_secs(2));

    /// `SO_REUSEADDR`: bind to an address still in `TIME_WAIT`.
    reuse_address / set_reuse_address: Flag(SOL_SOCKET, SO_REUSEADDR)
        test [tcp4, tcp6, udp4, udp6] true;

    /// `SO_REUSEPORT`: several sockets bound to one address and port
    /// (Linux spreads connections among the listeners). Unix only.
    #[cfg(unix)]
    reuse_port / set_reuse_port: Flag(SOL_SOCKET, SO_REUSEPORT)
        test [tcp4, tcp6, udp4, udp6] true;

    /// `SO_RCVBUF`: the receive buffer size. Linux doubles the value
    /// it is given for its bookkeeping, and the getter reads that
    /// back.
    recv_buffer_size / set_recv_buffer_size: Size(SOL_SOCKET, SO_RCVBUF)
        test [tcp4, tcp6, udp4, unix_stream] 65536, at_least 65536;

    /// `SO_SNDBUF`: the send buffer size, doubled on Linux as
    /// `SO_RCVBUF` is.
    send_buffer_size / set_send_buffer_size: Size(SOL_SOCKET, SO_SNDBUF)
        test [tcp4, tcp6, udp4, unix_stream, unix_dgram] 32768, at_least 32768;

    /// `IP_TTL`: the time-to-live of outgoing IPv4 packets, 1 to
    /// 255.
    ttl / set_ttl: Count(IPPROTO_IP, IP_TTL)
        test [tcp4, udp4] 17;

    /// `IPV6_V6ONLY`: an IPv6 socket that takes IPv6 only, not
    /// IPv4-mapped addresses; before bind only.
    only_v6 / set_only_v6: Flag(IPPROTO_IPV6, IPV6_V6ONLY)
        test [tcp6, udp6] true;

    /// `SO_RCVTIMEO`: blocking reads give up after the timeout with
    /// kind `WouldBlock` (errno `EAGAIN`).
    read_timeout / set_read_timeout: Timeout(SOL_SOCKET, SO_RCVTIMEO)
        test [tcp4, tcp6, udp4, unix_stream] Some(Duration::from_millis(1500));

    /// `SO_SNDTIMEO`: blocking writes give up after the timeout, as
    /// `SO_RCVTIMEO` does for reads.
    write_timeout / set_write_timeout: Timeout(SOL_SOCKET, SO_SNDTIMEO)
        test [tcp4, tcp6, udp4, unix_stream] Some(Duration::from_millis(1500));

    /// `SO_BINDTODEVICE`: the network interface the socket is bound
    /// to, such as `b"lo"`. Linux only; binding needs
    /// `CAP_NET_RAW` before Linux 5.7.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    device / bind_device: Name(SOL_SOCKET, SO_BINDTODEVICE)
        test [tcp4, udp6] Some(&b"lo"[..]) => Some(b"lo".to_vec());

    /// `SO_BROADCAST`: a datagram socket may send to a broadcast address.
    broadcast / set_broadcast: Flag(SOL_SOCKET, SO_BROADCAST)
        test [udp4] true;

    /// `SO_OOBINLINE`: TCP urgent data arrives inline with the rest.
    out_of_band_inline / set_out_of_band_inline: Flag(SOL_SOCKET, SO_OOBINLINE)
        test [tcp4, tcp6] true;

    /// `IP_TOS`: the type-of-service byte of outgoing IPv4 packets (DSCP and
    /// ECN).
    tos / set_tos: Count(IPPROTO_IP, IP_TOS)
        test [tcp4, udp4] 0x10;

    /// `IPV6_TCLASS`: the traffic class of outgoing IPv6 packets. Linux,
    /// Android, Apple systems and FreeBSD.
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple", target_os = "freebsd"))]
    tclass / set_tclass: Count(IPPROTO_IPV6, IPV6_TCLASS)
        test [tcp6, udp6] 0x20;

    /// `IPV6_UNICAST_HOPS`: the hop limit of outgoing unicast IPv6 packets.
    unicast_hops_v6 / set_unicast_hops_v6: Count(IPPROTO_IPV6, IPV6_UNICAST_HOPS)
        test [tcp6, udp6] 33;

    /// `IP_MULTICAST_IF`: the interface, by its IPv4 address, that
    /// multicast datagrams go out on (`0.0.0.0`: the system's choice).
    multicast_if_v4 / set_multicast_if_v4: Ipv4(IPPROTO_IP, IP_MULTICAST_IF)
        test [udp4] Ipv4Addr::LOCALHOST;

    /// `IPV6_MULTICAST_IF`: the interface, by its index, that multicast
    /// datagrams go out on (0: the system's choice).
    multicast_if_v6 / set_multicast_if_v6: Count(IPPROTO_IPV6, IPV6_MULTICAST_IF)
        test [udp6] 0;

    /// `IP_MULTICAST_TTL`: the time-to-live of outgoing IPv4 multicast
    /// datagrams (1, the default, keeps them on the local network).
    multicast_ttl_v4 / set_multicast_ttl_v4: Count(IPPROTO_IP, IP_MULTICAST_TTL)
        test [udp4] 7;

    /// `IPV6_MULTICAST_HOPS`: the hop limit of outgoing IPv6 multicast
    /// datagrams.
    multicast_hops_v6 / set_multicast_hops_v6: Count(IPPROTO_IPV6, IPV6_MULTICAST_HOPS)
        test [udp6] 9;

    /// `IP_MULTICAST_LOOP`: this host's own members of a group receive
    /// what it sends to the group (on by default).
    multicast_loop_v4 / set_multicast_loop_v4: Flag(IPPROTO_IP, IP_MULTICAST_LOOP)
        test [udp4] false;

    /// `IPV6_MULTICAST_LOOP`: as `IP_MULTICAST_LOOP`, for IPv6.
    multicast_loop_v6 / set_multicast_loop_v6: Flag(IPPROTO_IPV6, IPV6_MULTICAST_LOOP)
        test [udp6] false;

    /// `TCP_MAXSEG`: the largest segment TCP sends (set before connect; a
    /// connected socket reads the one in use). Unix only.
    #[cfg(unix)]
    tcp_mss / set_tcp_mss: Count(IPPROTO_TCP, TCP_MAXSEG)
        test [tcp4, tcp6] 1200;

    /// `TCP_USER_TIMEOUT`: how long sent data may stay unacknowledged
    /// before the connection is dropped (`None`: the system's default).
    /// Linux and Android.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    tcp_user_timeout / set_tcp_user_timeout: Millis(IPPROTO_TCP, TCP_USER_TIMEOUT)
        test [tcp4, tcp6] Some(Duration::from_micros(1_500_500)) => Some(Duration::from_millis(1501));

    /// `TCP_CORK`: hold partial segments back until uncorked (or 200 ms
    /// passed). Linux and Android.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    tcp_cork / set_tcp_cork: Flag(IPPROTO_TCP, TCP_CORK)
        test [tcp4, tcp6] true;

    /// `TCP_QUICKACK`: acknowledge at once rather than delayed (the kernel
    /// may turn it off again as it goes). Linux and Android.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    tcp_quickack / set_tcp_quickack: Flag(IPPROTO_TCP, TCP_QUICKACK)
        test [tcp4, tcp6] false;

    /// `TCP_NOTSENT_LOWAT`: writable only when fewer unsent bytes than this
    /// are queued. Linux and Android.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    tcp_notsent_lowat / set_tcp_notsent_lowat: Count(IPPROTO_TCP, TCP_NOTSENT_LOWAT)
        test [tcp4, tcp6] 16384;

    /// `TCP_CONGESTION`: the congestion control algorithm, by name
    /// (`b"cubic"`, `b"reno"`, ...; those in
    /// `net.ipv4.tcp_allowed_congestion_control` without privilege). Linux
    /// and Android.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    tcp_congestion / set_tcp_congestion: Text(IPPROTO_TCP, TCP_CONGESTION)
        test [tcp4, tcp6] &b"reno"[..] => b"reno".to_vec();

    /// `IP_FREEBIND`: bind to an address that is not (yet) local. Linux
    /// and Android.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    freebind / set_freebind: Flag(IPPROTO_IP, IP_FREEBIND)
        test [tcp4, udp4] true;

    /// `SO_MARK`: the packets' firewall mark (needs `CAP_NET_ADMIN`). Linux
    /// and Android.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    mark / set_mark: Count(SOL_SOCKET, SO_MARK)
        test as_root [tcp4, udp4] 7;

    /// `SO_BUSY_POLL`: microseconds to busy-poll the device for data
    /// before sleeping (above `net.core.busy_read` needs `CAP_NET_ADMIN`).
    /// Linux and Android.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    busy_poll / set_busy_poll: Count(SOL_SOCKET, SO_BUSY_POLL)
        test as_root [tcp4, udp4] 50;
}
