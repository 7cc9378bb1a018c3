//! An async echo server and client on tokio, through `biosock::tokio`:
//! the listener is biosock's (`BIO_listen`), the client connects the Happy
//! Eyeballs way, and both ends are tokio streams. Run it with
//! `cargo run --example async_echo --features tokio`.

use biosock::tokio::{connect, Listener};
use biosock::SockOpts;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Echo what arrives on each connection until the client closes it.
async fn serve(listener: Listener, connections: usize) -> std::io::Result<()> {
    for _ in 0..connections {
        let (mut conn, peer) = listener.accept_tcp().await?;
        println!("  server: accepted {peer}");
        tokio::spawn(async move {
            let mut buf = [0u8; 1024];
            loop {
                match conn.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        if conn.write_all(&buf[..n]).await.is_err() {
                            return;
                        }
                    }
                }
            }
        });
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        // "localhost" names ::1 and 127.0.0.1: the connects race them.
        let listener = Listener::bind("127.0.0.1:0", SockOpts::REUSEADDR)?;
        let port = listener.local_addr()?.port().expect("an IP listener");
        println!("server: listening on 127.0.0.1:{port}");
        let server = tokio::spawn(serve(listener, 3));
        let mut clients = Vec::new();
        for i in 0..3 {
            clients.push(tokio::spawn(async move {
                let mut c = connect(format!("localhost:{port}"), SockOpts::NODELAY).await?;
                let msg = format!("hello #{i} over tokio");
                c.write_all(msg.as_bytes()).await?;
                let mut reply = vec![0u8; msg.len()];
                c.read_exact(&mut reply).await?;
                println!(
                    "  client {i}: sent {msg:?}, got back {:?}",
                    String::from_utf8_lossy(&reply)
                );
                assert_eq!(reply, msg.as_bytes());
                Ok::<(), std::io::Error>(())
            }));
        }
        for c in clients {
            c.await.expect("client task")?;
        }
        server.await.expect("server task")
    })
}
