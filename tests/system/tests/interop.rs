//! biosock sockets handed to the async runtimes Rust services use: an
//! accepted `Socket` becomes a tokio or mio `TcpStream`. Here, not in the
//! crate's tests, because tokio and mio are not biosock's dependencies.

use std::io::{Read, Write};
use std::time::Duration;

use biosock::{Domain, SockOpts, Socket};

/// A listener on the loopback of `family` and its address.
fn listener(family: Domain, opts: SockOpts) -> (Socket, biosock::BioAddr) {
    let at = if family == Domain::IPV4 {
        "127.0.0.1:0"
    } else {
        "[::1]:0"
    };
    let l = Socket::listen_on(at, opts).unwrap();
    let addr = l.local_addr().unwrap();
    (l, addr)
}

#[test]
fn accepted_socket_moves_into_tokio() {
    let (l, addr) = listener(Domain::IPV4, SockOpts::empty());
    let c = Socket::connect_to(&addr, SockOpts::NODELAY).unwrap();
    let (a, _) = l.accept(SockOpts::NONBLOCK).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    rt.block_on(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut server = tokio::net::TcpStream::from_std(a.into()).unwrap();
        let mut client = tokio::net::TcpStream::from_std({
            c.set_nonblocking(true).unwrap();
            c.into()
        })
        .unwrap();
        client.write_all(b"tokio").await.unwrap();
        let mut buf = [0u8; 5];
        server.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"tokio");
    });
}

#[test]
fn accepted_socket_moves_into_mio() {
    use mio::{Events, Interest as MioInterest, Poll, Token};
    let (l, addr) = listener(Domain::IPV6, SockOpts::empty());
    let mut c = Socket::connect_to(&addr, SockOpts::empty()).unwrap();
    let (a, _) = l.accept(SockOpts::NONBLOCK).unwrap();
    let mut server = mio::net::TcpStream::from_std(a.into());
    let mut poll = Poll::new().unwrap();
    poll.registry()
        .register(&mut server, Token(1), MioInterest::READABLE)
        .unwrap();
    c.write_all(b"mio").unwrap();
    let mut events = Events::with_capacity(4);
    poll.poll(&mut events, Some(Duration::from_secs(5))).unwrap();
    assert!(events.iter().any(|e| e.token() == Token(1) && e.is_readable()));
    let mut buf = [0u8; 3];
    server.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"mio");
}
