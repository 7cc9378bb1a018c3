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
//         test [families] value [=> read back] [, at_least minimum];
//
// - `Kind` says how the value travels (options.rs's `kinds`): `Flag` (bool),
//   `Count` (u32), `Size` (usize), `Secs` (Duration in whole seconds,
//   rounded up), `Linger`, `Timeout` (Option<Duration>), `Name` (bytes).
// - `LEVEL` and `NAME` are the C constants under their libc names; the error
//   of a failed call is named after them: `setsockopt(SO_KEEPALIVE)`.
// - `via C_FUNCTION`: the setter calls that function of the C library
//   instead of `setsockopt` (its error is named after it).
// - `test`: the socket kinds to run the read-back on (`tcp4`, `tcp6`,
//   `udp4`, `udp6`, `unix_stream`, `unix_dgram`; the first one is also the
//   rustdoc example's), the value to set, and what the getter must return
//   (`=> value`, the value itself when left out), or the least it may
//   return (`at_least`, for what the kernel adjusts).

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
}
