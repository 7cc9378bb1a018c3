//! Conversions between [`Socket`] and std's socket types, through the
//! platform's owned handle (`OwnedFd`, `OwnedSocket`); the raw-handle
//! traits themselves are platform bodies, in `crate::sys`.

use std::net::{TcpListener, TcpStream, UdpSocket};
#[cfg(unix)]
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};

use super::Socket;
use crate::sys::Owned;

macro_rules! std_conversions {
    ($($t:ty),*) => {$(
        impl From<Socket> for $t {
            fn from(s: Socket) -> $t {
                <$t>::from(Owned::from(s))
            }
        }

        impl From<$t> for Socket {
            fn from(s: $t) -> Socket {
                Socket::from(Owned::from(s))
            }
        }
    )*};
}

std_conversions!(TcpStream, TcpListener, UdpSocket);
#[cfg(unix)]
std_conversions!(UnixStream, UnixListener, UnixDatagram);
