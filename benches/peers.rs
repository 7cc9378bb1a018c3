//! The same client and server work — socket + connect (+ NODELAY on TCP),
//! accept with the peer's address, close — through each implementation:
//! raw syscalls, biosock's C API, biosock's `Socket`, std::net, socket2 and,
//! with the `openssl` feature, OpenSSL's libcrypto. Shared by the syscall
//! and instruction counts and the benchmarks.
//!
//! The calls are made as a program of each kind makes them, and nothing
//! else: what they need (the target in each form, the options, the storage
//! for the peer's address) is made once with the [`Server`], and the C-level
//! peers check nothing inside a call. Every peer's calls are inlined into
//! the caller (`#[inline(always)]`), the Rust ones as the C ones: a count
//! then holds the call a program makes, not a frame of this file's. Their results are checked by the
//! caller, after: [`cycle`] returns how many closes succeeded, a failed
//! connect leaves nothing for accept to take, and the listener's accept
//! gives up after [`ACCEPT_TIMEOUT`] instead of waiting for ever.

use std::cell::UnsafeCell;
use std::mem::ManuallyDrop;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd, RawFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::time::Duration;

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
    /// The length of `bio`'s sockaddr, for the raw syscalls.
    pub sa_len: libc::socklen_t,
    pub ip: Option<SocketAddr>,
    pub path: Option<PathBuf>,
    pub sock2: socket2::SockAddr,
    #[cfg(feature = "openssl")]
    pub ossl: *mut openssl::OsslAddr,
}

/// How long a blocking accept on a [`Server`] waits before it fails with
/// `EAGAIN` (`SO_RCVTIMEO`): a client whose connect failed makes the next
/// accept fail, not hang.
pub const ACCEPT_TIMEOUT: Duration = Duration::from_secs(10);

/// A persistent listener on the loopback of one family, with a backlog of
/// SOMAXCONN, the target that reaches it, and what the peers' calls need.
/// Not `Sync`: one thread at a time accepts into its peer storage.
pub struct Server {
    pub sock: Socket,
    pub target: Target,
    /// What every client's connect applies: NODELAY on TCP.
    pub opts: SockOpts,
    peer: PeerStorage,
}

/// Where each accept writes the peer's address, one place per form, made
/// once as a program keeps its peer storage (so no count includes making
/// it). Each accept writes it through a pointer that lives for the call.
struct PeerStorage {
    raw: UnsafeCell<libc::sockaddr_storage>,
    bio: UnsafeCell<BioAddr>,
    #[cfg(feature = "openssl")]
    ossl: *mut openssl::OsslAddr,
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
        sock.set_read_timeout(Some(ACCEPT_TIMEOUT)).unwrap();
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
            sa_len: bio.as_sockaddr().1,
            bio,
            ip,
            path,
            sock2,
            #[cfg(feature = "openssl")]
            ossl,
        };
        let opts = if family == Domain::UNIX {
            SockOpts::empty()
        } else {
            SockOpts::NODELAY
        };
        let peer = PeerStorage {
            // SAFETY: sockaddr_storage is plain old data.
            raw: UnsafeCell::new(unsafe { std::mem::zeroed() }),
            bio: UnsafeCell::new(BioAddr::unspecified()),
            // SAFETY: BIO_ADDR_new has no preconditions.
            #[cfg(feature = "openssl")]
            ossl: unsafe { openssl::BIO_ADDR_new() },
        };
        Server {
            sock,
            target,
            opts,
            peer,
        }
    }

    /// The listening fd.
    pub fn fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }

    /// The raw peer storage, for `accept4`.
    fn peer_raw(&self) -> *mut libc::sockaddr_storage {
        self.peer.raw.get()
    }

    /// The `BIO_ADDR` peer storage, for `BIO_accept_ex`.
    fn peer_bio(&self) -> *mut ffi::BIO_ADDR {
        // SAFETY: the server is not Sync and no reference into the storage
        // outlives a call, so this is the only one.
        unsafe { (*self.peer.bio.get()).as_mut_ptr() }
    }

    /// OpenSSL's `BIO_ADDR` peer storage, for its `BIO_accept_ex`.
    #[cfg(feature = "openssl")]
    pub fn peer_ossl(&self) -> *mut openssl::OsslAddr {
        self.peer.ossl
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(p) = &self.target.path {
            let _ = std::fs::remove_file(p);
        }
        #[cfg(feature = "openssl")]
        // SAFETY: both came from BIO_ADDR_new and are freed once.
        unsafe {
            openssl::BIO_ADDR_free(self.target.ossl);
            openssl::BIO_ADDR_free(self.peer.ossl);
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
    /// Close a client socket: 1 when it closed, as `BIO_closesocket`.
    fn close_client(c: Self::Client) -> i32;
    /// Close an accepted socket: 1 when it closed.
    fn close_accepted(a: Self::Accepted) -> i32;
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

    #[inline(always)]
    fn connect(s: &Server) -> Fd {
        let (sa, len) = (s.target.bio.as_ptr().cast(), s.target.sa_len);
        // SAFETY: plain syscalls; sa/len describe a valid sockaddr owned
        // by the server.
        unsafe {
            let fd = libc::socket(
                s.target.family.as_raw(),
                libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
                0,
            );
            if s.opts.contains(SockOpts::NODELAY) {
                let on: libc::c_int = 1;
                libc::setsockopt(
                    fd,
                    libc::IPPROTO_TCP,
                    libc::TCP_NODELAY,
                    (&on as *const libc::c_int).cast(),
                    std::mem::size_of::<libc::c_int>() as libc::socklen_t,
                );
            }
            libc::connect(fd, sa, len);
            Fd(fd)
        }
    }

    #[inline(always)]
    fn accept(s: &Server) -> Fd {
        let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        // SAFETY: the peer storage is writable for len bytes.
        Fd(unsafe { libc::accept4(s.fd(), s.peer_raw().cast(), &mut len, libc::SOCK_CLOEXEC) })
    }

    #[inline(always)]
    fn close_client(c: Fd) -> i32 {
        // SAFETY: c owns its fd.
        unsafe { (libc::close(c.0) == 0) as i32 }
    }

    #[inline(always)]
    fn close_accepted(a: Fd) -> i32 {
        Raw::close_client(a)
    }
}

/// biosock's C API through the raw FFI.
pub struct BiosockC;

impl Peer for BiosockC {
    const NAME: &'static str = "biosock C";
    type Client = Fd;
    type Accepted = Fd;

    #[inline(always)]
    fn connect(s: &Server) -> Fd {
        // SAFETY: the address is a valid BIO_ADDR owned by the server.
        unsafe {
            let fd = ffi::BIO_socket(s.target.family.as_raw(), libc::SOCK_STREAM, 0, 0);
            ffi::BIO_connect(fd, s.target.bio.as_ptr(), s.opts.bits());
            Fd(fd)
        }
    }

    #[inline(always)]
    fn accept(s: &Server) -> Fd {
        // SAFETY: the peer storage is a writable BIO_ADDR.
        Fd(unsafe { ffi::BIO_accept_ex(s.fd(), s.peer_bio(), 0) })
    }

    #[inline(always)]
    fn close_client(c: Fd) -> i32 {
        // SAFETY: c owns its fd.
        unsafe { ffi::BIO_closesocket(c.0) }
    }

    #[inline(always)]
    fn close_accepted(a: Fd) -> i32 {
        BiosockC::close_client(a)
    }
}

/// biosock's safe `Socket`.
pub struct BiosockRust;

impl Peer for BiosockRust {
    const NAME: &'static str = "biosock Socket";
    type Client = Socket;
    type Accepted = Socket;

    #[inline(always)]
    fn connect(s: &Server) -> Socket {
        let c = Socket::new(s.target.family, Type::STREAM, None).unwrap();
        c.connect(&s.target.bio, s.opts).unwrap();
        c
    }

    #[inline(always)]
    fn accept(s: &Server) -> Socket {
        s.sock.accept(SockOpts::empty()).unwrap().0
    }

    #[inline(always)]
    fn close_client(c: Socket) -> i32 {
        drop(c);
        1
    }

    #[inline(always)]
    fn close_accepted(a: Socket) -> i32 {
        drop(a);
        1
    }
}

/// biosock's `Socket::connect_to`, which makes the socket itself (so it
/// knows the socket's blocking mode and skips `BIO_connect`'s ioctl).
pub struct BiosockRustConnectTo;

impl Peer for BiosockRustConnectTo {
    const NAME: &'static str = "biosock connect_to";
    type Client = Socket;
    type Accepted = Socket;

    #[inline(always)]
    fn connect(s: &Server) -> Socket {
        Socket::connect_to(&s.target.bio, s.opts).unwrap()
    }

    #[inline(always)]
    fn accept(s: &Server) -> Socket {
        BiosockRust::accept(s)
    }

    #[inline(always)]
    fn close_client(c: Socket) -> i32 {
        drop(c);
        1
    }

    #[inline(always)]
    fn close_accepted(a: Socket) -> i32 {
        drop(a);
        1
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

    #[inline(always)]
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

    #[inline(always)]
    fn accept(s: &Server) -> StdStream {
        if s.target.family != Domain::UNIX {
            // SAFETY: the server owns the fd; ManuallyDrop never closes it.
            let l = ManuallyDrop::new(unsafe { TcpListener::from_raw_fd(s.fd()) });
            StdStream::Tcp(l.accept().unwrap().0)
        } else {
            // SAFETY: as above.
            let l = ManuallyDrop::new(unsafe { UnixListener::from_raw_fd(s.fd()) });
            StdStream::Unix(l.accept().unwrap().0)
        }
    }

    #[inline(always)]
    fn close_client(c: StdStream) -> i32 {
        drop(c);
        1
    }

    #[inline(always)]
    fn close_accepted(a: StdStream) -> i32 {
        drop(a);
        1
    }
}

/// socket2.
pub struct Socket2;

impl Peer for Socket2 {
    const NAME: &'static str = "socket2";
    type Client = socket2::Socket;
    type Accepted = socket2::Socket;

    #[inline(always)]
    fn connect(s: &Server) -> socket2::Socket {
        let c = socket2::Socket::new(
            socket2::Domain::from(s.target.family.as_raw()),
            socket2::Type::STREAM,
            None,
        )
        .unwrap();
        if s.opts.contains(SockOpts::NODELAY) {
            c.set_tcp_nodelay(true).unwrap();
        }
        c.connect(&s.target.sock2).unwrap();
        c
    }

    #[inline(always)]
    fn accept(s: &Server) -> socket2::Socket {
        // SAFETY: the server owns the fd; ManuallyDrop never closes it.
        let l = ManuallyDrop::new(unsafe { socket2::Socket::from_raw_fd(s.fd()) });
        l.accept().unwrap().0
    }

    #[inline(always)]
    fn close_client(c: socket2::Socket) -> i32 {
        drop(c);
        1
    }

    #[inline(always)]
    fn close_accepted(a: socket2::Socket) -> i32 {
        drop(a);
        1
    }
}

/// OpenSSL 3's libcrypto.
#[cfg(feature = "openssl")]
pub struct OpenSsl;

#[cfg(feature = "openssl")]
impl Peer for OpenSsl {
    const NAME: &'static str = "OpenSSL libcrypto";
    type Client = Fd;
    type Accepted = Fd;

    #[inline(always)]
    fn connect(s: &Server) -> Fd {
        // SAFETY: the address is a valid OpenSSL BIO_ADDR owned by the server.
        unsafe {
            let fd = openssl::BIO_socket(s.target.family.as_raw(), libc::SOCK_STREAM, 0, 0);
            openssl::BIO_connect(fd, s.target.ossl, s.opts.bits());
            Fd(fd)
        }
    }

    #[inline(always)]
    fn accept(s: &Server) -> Fd {
        // SAFETY: the peer storage is a valid OpenSSL BIO_ADDR.
        Fd(unsafe { openssl::BIO_accept_ex(s.fd(), s.peer_ossl(), 0) })
    }

    #[inline(always)]
    fn close_client(c: Fd) -> i32 {
        // SAFETY: c owns its fd.
        unsafe { openssl::BIO_closesocket(c.0) }
    }

    #[inline(always)]
    fn close_accepted(a: Fd) -> i32 {
        OpenSsl::close_client(a)
    }
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

/// One whole cycle: connect, accept, close both. Returns how many of the
/// two closes succeeded: 2 when every call did, since a failed socket or
/// accept leaves -1, which does not close, and a failed connect leaves
/// nothing to accept.
#[inline(always)]
pub fn cycle<P: Peer>(s: &Server) -> i32 {
    let c = P::connect(s);
    let a = P::accept(s);
    P::close_accepted(a) + P::close_client(c)
}
