//! An echo server and client over loopback, on IPv4, IPv6 and a Unix socket,
//! all through the one `Socket` API. Run it with `cargo run --example echo`.

use std::io::{Read, Write};
use std::thread;

use biosock::{BioAddr, SockOpts, Socket};

/// Serve one connection: echo what arrives until the client closes.
fn serve(listener: Socket) -> std::io::Result<()> {
    let (mut conn, peer) = listener.accept(SockOpts::empty())?;
    println!("  server: accepted a connection from {peer}");
    let mut buf = [0u8; 1024];
    loop {
        let n = conn.read(&mut buf)?;
        if n == 0 {
            println!("  server: client closed, done");
            return Ok(conn.close()?);
        }
        conn.write_all(&buf[..n])?;
    }
}

/// Listen on `at`, connect a client to it, send `message` and read it back.
fn echo_over(name: &str, at: &BioAddr, message: &str) -> Result<(), Box<dyn std::error::Error>> {
    println!("{name}:");
    let listener = Socket::listen_on(at, SockOpts::REUSEADDR)?;
    let addr = listener.local_addr()?;
    println!("  server: listening on {addr}");
    let server = thread::spawn(move || serve(listener));

    let opts = if addr.port().is_some() {
        SockOpts::NODELAY
    } else {
        SockOpts::empty()
    };
    let mut client = Socket::connect_to(&addr, opts)?;
    println!("  client: connected from {}", client.local_addr()?);
    client.write_all(message.as_bytes())?;
    let mut reply = vec![0u8; message.len()];
    client.read_exact(&mut reply)?;
    println!(
        "  client: sent {message:?}, got back {:?}",
        String::from_utf8_lossy(&reply)
    );
    assert_eq!(reply, message.as_bytes());
    client.close()?;
    server.join().expect("server thread")?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    echo_over("IPv4", &"127.0.0.1:0".parse()?, "hello over IPv4")?;
    echo_over("IPv6", &"[::1]:0".parse()?, "hello over IPv6")?;
    let path = std::env::temp_dir().join(format!("biosock-echo-{}.sock", std::process::id()));
    echo_over("Unix", &BioAddr::unix(&path)?, "hello over a Unix socket")?;
    std::fs::remove_file(&path)?;

    // What a failure looks like: OpenSSL's error queue, carried in the error.
    let closed: BioAddr = "127.0.0.1:1".parse()?;
    if let Err(e) = Socket::connect_to(&closed, SockOpts::empty()) {
        println!("connecting to {closed} fails as expected:\n  {e}");
    }
    Ok(())
}
