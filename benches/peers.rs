//! The same client and server work — socket + connect (+ NODELAY on TCP),
//! accept with the peer's address, close — through each implementation:
//! raw syscalls, biosock's C API, biosock's `Socket`, std::net, socket2 and,
//! with the `openssl` feature, OpenSSL's libcrypto. Shared by the syscall
//! count test and the benchmarks.

use std::mem::ManuallyDrop;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd, RawFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;

use biosock::{ffi, BioAddr, Domain, SockOpts, Socket, Type};

#[cfg(feature = "openssl")]
#[path = "openssl.rs"]
pub mod openssl;

/// Private network namespaces (the system tests' crate owns them).
pub use biosock_system_tests as netns;

/// Where the clients connect: one address in each implementation's form.
pub struct Target {
    pub family: Domain,
    pub bio: BioAddr,
    pub ip: Option<SocketAddr>,
    pub path: Option<PathBuf>,
    pub sock2: socket2::SockAddr,
    #[cfg(feature = "openssl")]
    pub ossl: *mut openssl::OsslAddr,
}

/// A persistent listener on the loopback of one family, with a backlog of
/// SOMAXCONN, and the target that reaches it.
pub struct Server {
    pub sock: Socket,
    pub target: Target,
}

impl Server {
    /// Listen on 127.0.0.1, ::1 or a fresh Unix path in `dir`.
    pub fn new(family: Domain, dir: &std::path::Path) -> Server {
        let (at, path) = match family {
            Domain::IPV4 => ("127.0.0.1:0".parse().unwrap(), None),
            Domain::IPV6 => ("[::1]:0".parse().unwrap(), None),
            _ => {
                let p = dir.join(format!("peers-{}-{}.sock", std::process::id(), next_id()));
                let _ = std::fs::remove_file(&p);
                (BioAddr::unix(&p).unwrap(), Some(p))
            }
        };
        let sock = Socket::listen_on(&at, SockOpts::REUSEADDR).unwrap();
        let bio = sock.local_addr().unwrap();
        let ip = SocketAddr::try_from(&bio).ok();
        let sock2 = match (&ip, &path) {
            (Some(ip), _) => socket2::SockAddr::from(*ip),
            (_, Some(p)) => socket2::SockAddr::unix(p).unwrap(),
            _ => unreachable!(),
        };
        #[cfg(feature = "openssl")]
        let ossl = match (&ip, &path) {
            (Some(ip), _) => openssl::ossl_addr(*ip),
            (_, Some(p)) => openssl::ossl_unix_addr(p),
            _ => unreachable!(),
        };
        let target = Target {
            family,
            bio,
            ip,
            path,
            sock2,
            #[cfg(feature = "openssl")]
            ossl,
        };
        Server { sock, target }
    }

    /// The listening fd.
    pub fn fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }

    /// Whether the family is TCP (so NODELAY applies).
    pub fn tcp(&self) -> bool {
        self.target.family != Domain::UNIX
    }

    /// What every client's connect applies: NODELAY on TCP.
    pub fn connect_opts(&self) -> SockOpts {
        if self.tcp() {
            SockOpts::NODELAY
        } else {
            SockOpts::empty()
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(p) = &self.target.path {
            let _ = std::fs::remove_file(p);
        }
        #[cfg(feature = "openssl")]
        // SAFETY: ossl came from BIO_ADDR_new and is freed once.
        unsafe {
            openssl::BIO_ADDR_free(self.target.ossl)
        };
    }
}

fn next_id() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// One implementation of the client and server halves.
pub trait Peer {
    /// The name in reports.
    const NAME: &'static str;
    /// A connected client socket.
    type Client: AsRawFd;
    /// An accepted socket.
    type Accepted: AsRawFd;
    /// socket + connect (+ NODELAY on TCP).
    fn connect(s: &Server) -> Self::Client;
    /// accept, with the peer's address.
    fn accept(s: &Server) -> Self::Accepted;
    /// Close a client socket.
    fn close_client(c: Self::Client);
    /// Close an accepted socket.
    fn close_accepted(a: Self::Accepted);
}

/// An fd closed with `close(2)` when dropped.
pub struct Fd(pub RawFd);

impl AsRawFd for Fd {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// Plain libc syscalls: the floor.
pub struct Raw;

impl Peer for Raw {
    const NAME: &'static str = "raw";
    type Client = Fd;
    type Accepted = Fd;

    fn connect(s: &Server) -> Fd {
        let (sa, len) = s.target.bio.as_sockaddr();
        // SAFETY: plain syscalls on a fresh fd; sa/len describe a valid
        // sockaddr owned by the server.
        unsafe {
            let fd = libc::socket(
                s.target.family.as_raw(),
                libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
                0,
            );
            assert!(fd >= 0);
            if s.tcp() {
                let on: libc::c_int = 1;
                let r = libc::setsockopt(
                    fd,
                    libc::IPPROTO_TCP,
                    libc::TCP_NODELAY,
                    (&on as *const libc::c_int).cast(),
                    std::mem::size_of::<libc::c_int>() as libc::socklen_t,
                );
                assert_eq!(r, 0);
            }
            assert_eq!(libc::connect(fd, sa, len), 0);
            Fd(fd)
        }
    }

    fn accept(s: &Server) -> Fd {
        // SAFETY: storage and len are valid for accept4 to write.
        unsafe {
            let mut storage: libc::sockaddr_storage = std::mem::zeroed();
            let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            let fd = libc::accept4(
                s.fd(),
                (&mut storage as *mut libc::sockaddr_storage).cast(),
                &mut len,
                libc::SOCK_CLOEXEC,
            );
            assert!(fd >= 0);
            Fd(fd)
        }
    }

    fn close_client(c: Fd) {
        // SAFETY: c owns its fd.
        unsafe { libc::close(c.0) };
    }

    fn close_accepted(a: Fd) {
        // SAFETY: a owns its fd.
        unsafe { libc::close(a.0) };
    }
}

/// biosock's C API through the raw FFI.
pub struct BiosockC;

impl Peer for BiosockC {
    const NAME: &'static str = "biosock C";
    type Client = Fd;
    type Accepted = Fd;

    fn connect(s: &Server) -> Fd {
        let opts = s.connect_opts().bits();
        // SAFETY: the address is a valid BIO_ADDR owned by the server.
        unsafe {
            let fd = ffi::BIO_socket(s.target.family.as_raw(), libc::SOCK_STREAM, 0, 0);
            assert!(fd >= 0);
            assert_eq!(ffi::BIO_connect(fd, s.target.bio.as_ptr(), opts), 1);
            Fd(fd)
        }
    }

    fn accept(s: &Server) -> Fd {
        let mut peer = BioAddr::unspecified();
        // SAFETY: peer is a valid, writable BIO_ADDR.
        let fd = unsafe { ffi::BIO_accept_ex(s.fd(), peer.as_mut_ptr(), 0) };
        assert!(fd >= 0);
        Fd(fd)
    }

    fn close_client(c: Fd) {
        // SAFETY: c owns its fd.
        unsafe { ffi::BIO_closesocket(c.0) };
    }

    fn close_accepted(a: Fd) {
        // SAFETY: a owns its fd.
        unsafe { ffi::BIO_closesocket(a.0) };
    }
}

/// biosock's safe `Socket`.
pub struct BiosockRust;

impl Peer for BiosockRust {
    const NAME: &'static str = "biosock Socket";
    type Client = Socket;
    type Accepted = Socket;

    fn connect(s: &Server) -> Socket {
        let c = Socket::new(s.target.family, Type::STREAM, None).unwrap();
        c.connect(&s.target.bio, s.connect_opts()).unwrap();
        c
    }

    fn accept(s: &Server) -> Socket {
        s.sock.accept(SockOpts::empty()).unwrap().0
    }

    fn close_client(c: Socket) {
        drop(c);
    }

    fn close_accepted(a: Socket) {
        drop(a);
    }
}

/// biosock's `Socket::connect_to`, which makes the socket itself (so it
/// knows the socket's blocking mode and skips `BIO_connect`'s ioctl).
pub struct BiosockRustConnectTo;

impl Peer for BiosockRustConnectTo {
    const NAME: &'static str = "biosock connect_to";
    type Client = Socket;
    type Accepted = Socket;

    fn connect(s: &Server) -> Socket {
        Socket::connect_to(&s.target.bio, s.connect_opts()).unwrap()
    }

    fn accept(s: &Server) -> Socket {
        BiosockRust::accept(s)
    }

    fn close_client(c: Socket) {
        drop(c);
    }

    fn close_accepted(a: Socket) {
        drop(a);
    }
}

/// std::net (and std::os::unix::net for Unix sockets).
pub struct Std;

/// A std socket of either kind.
pub enum StdStream {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl AsRawFd for StdStream {
    fn as_raw_fd(&self) -> RawFd {
        match self {
            StdStream::Tcp(s) => s.as_raw_fd(),
            StdStream::Unix(s) => s.as_raw_fd(),
        }
    }
}

impl Peer for Std {
    const NAME: &'static str = "std::net";
    type Client = StdStream;
    type Accepted = StdStream;

    fn connect(s: &Server) -> StdStream {
        match (&s.target.ip, &s.target.path) {
            (Some(ip), _) => {
                let t = TcpStream::connect(ip).unwrap();
                t.set_nodelay(true).unwrap();
                StdStream::Tcp(t)
            }
            (_, Some(p)) => StdStream::Unix(UnixStream::connect(p).unwrap()),
            _ => unreachable!(),
        }
    }

    fn accept(s: &Server) -> StdStream {
        if s.tcp() {
            // SAFETY: the server owns the fd; ManuallyDrop never closes it.
            let l = ManuallyDrop::new(unsafe { TcpListener::from_raw_fd(s.fd()) });
            StdStream::Tcp(l.accept().unwrap().0)
        } else {
            // SAFETY: as above.
            let l = ManuallyDrop::new(unsafe { UnixListener::from_raw_fd(s.fd()) });
            StdStream::Unix(l.accept().unwrap().0)
        }
    }

    fn close_client(c: StdStream) {
        drop(c);
    }

    fn close_accepted(a: StdStream) {
        drop(a);
    }
}

/// socket2.
pub struct Socket2;

impl Peer for Socket2 {
    const NAME: &'static str = "socket2";
    type Client = socket2::Socket;
    type Accepted = socket2::Socket;

    fn connect(s: &Server) -> socket2::Socket {
        let c = socket2::Socket::new(
            socket2::Domain::from(s.target.family.as_raw()),
            socket2::Type::STREAM,
            None,
        )
        .unwrap();
        if s.tcp() {
            c.set_tcp_nodelay(true).unwrap();
        }
        c.connect(&s.target.sock2).unwrap();
        c
    }

    fn accept(s: &Server) -> socket2::Socket {
        // SAFETY: the server owns the fd; ManuallyDrop never closes it.
        let l = ManuallyDrop::new(unsafe { socket2::Socket::from_raw_fd(s.fd()) });
        l.accept().unwrap().0
    }

    fn close_client(c: socket2::Socket) {
        drop(c);
    }

    fn close_accepted(a: socket2::Socket) {
        drop(a);
    }
}

/// OpenSSL 3's libcrypto.
#[cfg(feature = "openssl")]
pub struct OpenSsl;

/// An OpenSSL `BIO_ADDR` for the peer of each accept, reused.
#[cfg(feature = "openssl")]
pub struct OsslPeer(pub *mut openssl::OsslAddr);

#[cfg(feature = "openssl")]
impl Peer for OpenSsl {
    const NAME: &'static str = "OpenSSL libcrypto";
    type Client = Fd;
    type Accepted = Fd;

    fn connect(s: &Server) -> Fd {
        let opts = s.connect_opts().bits();
        // SAFETY: the address is a valid OpenSSL BIO_ADDR owned by the server.
        unsafe {
            let fd = openssl::BIO_socket(s.target.family.as_raw(), libc::SOCK_STREAM, 0, 0);
            assert!(fd >= 0);
            assert_eq!(openssl::BIO_connect(fd, s.target.ossl, opts), 1);
            Fd(fd)
        }
    }

    fn accept(s: &Server) -> Fd {
        OSSL_PEER.with(|peer| {
            // SAFETY: peer is a valid OpenSSL BIO_ADDR for this thread.
            let fd = unsafe { openssl::BIO_accept_ex(s.fd(), peer.0, 0) };
            assert!(fd >= 0);
            Fd(fd)
        })
    }

    fn close_client(c: Fd) {
        // SAFETY: c owns its fd.
        unsafe { openssl::BIO_closesocket(c.0) };
    }

    fn close_accepted(a: Fd) {
        // SAFETY: a owns its fd.
        unsafe { openssl::BIO_closesocket(a.0) };
    }
}

#[cfg(feature = "openssl")]
impl Drop for OsslPeer {
    fn drop(&mut self) {
        // SAFETY: the address came from BIO_ADDR_new and is freed once.
        unsafe { openssl::BIO_ADDR_free(self.0) };
    }
}

#[cfg(feature = "openssl")]
thread_local! {
    /// Allocated once per thread, outside any measurement, like a caller's
    /// long-lived peer address.
    // SAFETY: BIO_ADDR_new has no preconditions.
    static OSSL_PEER: OsslPeer = OsslPeer(unsafe { openssl::BIO_ADDR_new() });
}

/// How a `harness = false` test (syscalls.rs, instructions.rs) ends, in
/// libtest's words, so that cargo's summary counts it as libtest tests are
/// counted: one test `name`, ignored with `why` (the tool it needs is not
/// here), or passed.
pub fn harness_report(name: &str, ignored: Option<&str>) {
    let (line, passed, ignored_n) = match ignored {
        Some(why) => (format!("test {name} ... ignored, {why}"), 0, 1),
        None => (format!("test {name} ... ok"), 1, 0),
    };
    println!(
        "\nrunning 1 test\n{line}\n\ntest result: ok. {passed} passed; 0 failed; \
         {ignored_n} ignored; 0 measured; 0 filtered out; finished in 0.00s\n"
    );
}

/// `SO_LINGER {1, 0}`: close sends RST and leaves no TIME_WAIT behind.
pub fn linger0(fd: RawFd) {
    let lg = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: lg is a valid linger struct for the call.
    let r = unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&lg as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    assert_eq!(r, 0, "SO_LINGER: {}", std::io::Error::last_os_error());
}

/// One whole cycle: connect, accept, close both.
pub fn cycle<P: Peer>(s: &Server) {
    let c = P::connect(s);
    let a = P::accept(s);
    P::close_accepted(a);
    P::close_client(c);
}
