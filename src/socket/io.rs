//! Sending and receiving: each method wraps one syscall, with
//! `MSG_NOSIGNAL` on every send, and `Read`/`Write` over them.

use std::io::{self, Read, Write};
use std::os::raw::c_int;

use super::Socket;
use crate::addr::BioAddr;
use crate::error::{sys_call, Result};
use crate::sys::{c, NOSIGNAL};
use crate::types::Domain;

impl Socket {
    /// Send on a connected socket (`send(2)` with `MSG_NOSIGNAL`: a closed
    /// peer gives `EPIPE`, never `SIGPIPE`).
    ///
    /// # Errors
    /// `EPIPE` (kind `BrokenPipe`), `EAGAIN` (kind `WouldBlock`), …
    ///
    /// ```
    /// use biosock::{SockOpts, Socket};
    /// let listener = Socket::listen_on("127.0.0.1:0", SockOpts::empty())?;
    /// let a = Socket::connect_to(listener.local_addr()?, SockOpts::empty())?;
    /// let (b, _) = listener.accept(SockOpts::empty())?;
    /// assert_eq!(a.send(b"hello")?, 5);
    /// let mut buf = [0; 8];
    /// assert_eq!(b.peek(&mut buf)?, 5); // still there
    /// assert_eq!(b.recv(&mut buf)?, 5);
    /// assert_eq!(&buf[..5], b"hello");
    /// # Ok::<(), biosock::Error>(())
    /// ```
    #[inline]
    pub fn send(&self, buf: &[u8]) -> Result<usize> {
        self.send_with_flags(buf, 0)
    }

    /// [`Socket::send`] with `MSG_*` flags (`send(2)`; `MSG_NOSIGNAL` is
    /// always added).
    ///
    /// # Errors
    /// As [`Socket::send`].
    #[inline]
    pub fn send_with_flags(&self, buf: &[u8], flags: c_int) -> Result<usize> {
        // SAFETY: buf is readable for buf.len() bytes.
        let n = sys_call!(send(self.fd, buf.as_ptr().cast(), buf.len(), flags | NOSIGNAL))?;
        Ok(n as usize)
    }

    /// Send a datagram to `addr` (`sendto(2)` with `MSG_NOSIGNAL`).
    ///
    /// # Errors
    /// `EAFNOSUPPORT` for an address of another family, `EMSGSIZE`, …
    ///
    /// ```
    /// use biosock::{Domain, Socket, Type};
    /// let a = Socket::new(Domain::IPV4, Type::DGRAM, None)?;
    /// a.bind(&"127.0.0.1:0".parse()?, Default::default())?;
    /// let b = Socket::new(Domain::IPV4, Type::DGRAM, None)?;
    /// b.bind(&"127.0.0.1:0".parse()?, Default::default())?;
    /// b.send_to(b"hi", &a.local_addr()?)?;
    /// let mut buf = [0; 8];
    /// let (n, from) = a.recv_from(&mut buf)?;
    /// assert_eq!((&buf[..n], from), (&b"hi"[..], b.local_addr()?));
    /// # Ok::<(), biosock::Error>(())
    /// ```
    #[inline]
    pub fn send_to(&self, buf: &[u8], addr: &BioAddr) -> Result<usize> {
        self.send_to_with_flags(buf, addr, 0)
    }

    /// [`Socket::send_to`] with `MSG_*` flags (`sendto(2)`).
    ///
    /// # Errors
    /// As [`Socket::send_to`].
    #[inline]
    pub fn send_to_with_flags(&self, buf: &[u8], addr: &BioAddr, flags: c_int) -> Result<usize> {
        let (sa, len) = addr.as_sockaddr();
        // SAFETY: buf is readable for its length; sa points to len bytes.
        let n = sys_call!(sendto(
            self.fd,
            buf.as_ptr().cast(),
            buf.len(),
            flags | NOSIGNAL,
            sa,
            len
        ))?;
        Ok(n as usize)
    }

    /// Receive from a connected socket (`recv(2)`); 0 at end of stream.
    ///
    /// # Errors
    /// `EAGAIN` (kind `WouldBlock`) when non-blocking or after a read
    /// timeout, `ECONNRESET`, …
    #[inline]
    pub fn recv(&self, buf: &mut [u8]) -> Result<usize> {
        self.recv_with_flags(buf, 0)
    }

    /// [`Socket::recv`] with `MSG_*` flags (`recv(2)`).
    ///
    /// # Errors
    /// As [`Socket::recv`].
    #[inline]
    pub fn recv_with_flags(&self, buf: &mut [u8], flags: c_int) -> Result<usize> {
        // SAFETY: buf is writable for buf.len() bytes.
        let n = sys_call!(recv(self.fd, buf.as_mut_ptr().cast(), buf.len(), flags))?;
        Ok(n as usize)
    }

    /// Read without consuming (`recv(2)` with `MSG_PEEK`).
    ///
    /// # Errors
    /// As [`Socket::recv`].
    #[inline]
    pub fn peek(&self, buf: &mut [u8]) -> Result<usize> {
        self.recv_with_flags(buf, c::MSG_PEEK)
    }

    /// Receive a datagram and its sender (`recvfrom(2)`). A datagram from
    /// an unbound Unix socket comes from an unnamed address: family
    /// `UNIX`, no path (it prints `(unnamed)`), as std's
    /// `UnixDatagram::recv_from` gives it.
    ///
    /// # Errors
    /// As [`Socket::recv`].
    ///
    /// ```
    /// use biosock::{Domain, SockOpts, Socket, Type};
    /// let (a, b) = (Socket::new(Domain::IPV4, Type::DGRAM, None)?, Socket::new(Domain::IPV4, Type::DGRAM, None)?);
    /// a.bind(&"127.0.0.1:0".parse()?, SockOpts::empty())?;
    /// b.bind(&"127.0.0.1:0".parse()?, SockOpts::empty())?;
    /// b.send_to(b"ping", &a.local_addr()?)?;
    /// let mut buf = [0; 8];
    /// let (n, from) = a.recv_from(&mut buf)?;
    /// assert_eq!((&buf[..n], from), (&b"ping"[..], b.local_addr()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn recv_from(&self, buf: &mut [u8]) -> Result<(usize, BioAddr)> {
        self.recv_from_with_flags(buf, 0)
    }

    /// [`Socket::recv_from`] with `MSG_*` flags (`recvfrom(2)`).
    ///
    /// # Errors
    /// As [`Socket::recv`].
    #[inline]
    pub fn recv_from_with_flags(&self, buf: &mut [u8], flags: c_int) -> Result<(usize, BioAddr)> {
        let mut from = BioAddr::unspecified();
        let mut len = from.capacity();
        // SAFETY: buf is writable for its length; from's storage for len.
        let n = sys_call!(recvfrom(
            self.fd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            flags,
            from.as_mut_ptr().cast(),
            &mut len,
        ))?;
        if len == 0 && self.domain().is_ok_and(|d| d == Domain::UNIX) {
            // Linux gives no address at all for a datagram from an unbound
            // Unix socket: it is an unnamed Unix peer, as std reads it (a
            // stream socket gives no address either: its family tells).
            from.set_unnamed_unix();
        } else {
            from.set_kernel_len(len);
        }
        Ok((n as usize, from))
    }

    /// Read a datagram and its sender without consuming it (`recvfrom(2)`
    /// with `MSG_PEEK`).
    ///
    /// # Errors
    /// As [`Socket::recv`].
    pub fn peek_from(&self, buf: &mut [u8]) -> Result<(usize, BioAddr)> {
        self.recv_from_with_flags(buf, c::MSG_PEEK)
    }
}

impl Read for Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self).read(buf)
    }
}

impl Read for &Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        Ok(self.recv(buf)?)
    }
}

impl Write for Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Write for &Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Ok(self.send(buf)?)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
