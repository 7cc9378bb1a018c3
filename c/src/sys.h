/*
 * sys.h - the platform layer: the few system calls whose form differs
 * between platforms, as small inline functions.  Every platform #ifdef of
 * the library is here or in the two halves it includes: sys_win.h
 * (winsock) and sys_posix.h (POSIX); what both share, TCP Fast Open's steps
 * (which follow OpenSSL's bio_tfo.h) among it, is at the end of this file.
 * The other files call these and carry no platform #if.
 *
 * Conventions, the same everywhere (internal.h's): a function returns the
 * fd, a count or 0, or -errno (-WSAGetLastError() on Windows), with errno
 * (the last error) left set too; none pushes an error-queue entry.
 *
 *   Linux, FreeBSD, NetBSD, OpenBSD, DragonFly, illumos: socket() and
 *     accept4() with SOCK_CLOEXEC, so no fd can leak into a child between
 *     the call and a later fcntl().
 *   macOS: no SOCK_CLOEXEC and no accept4(): socket()/accept() and then
 *     fcntl(FD_CLOEXEC), and SO_NOSIGPIPE, since macOS has no MSG_NOSIGNAL.
 */
#ifndef BIOSOCK_SYS_H
#define BIOSOCK_SYS_H

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <time.h>

/* One half per platform family; what follows them is shared. */
#ifdef _WIN32
#include "sys_win.h"
#else
#include "sys_posix.h"
#endif
/* Where OpenSSL's BIO_bind and BIO_listen leave an option alone
 * (bio_sock2.c): SO_REUSEADDR on Windows, where it lets another socket take
 * a port in use (BIO_SOCK_REUSEADDR is then ignored there); IPV6_V6ONLY on
 * OpenBSD, where IPv6 sockets are always IPv6-only and it is read-only. */
#ifdef _WIN32
#define BSOCK_SETS_REUSEADDR 0
#else
#define BSOCK_SETS_REUSEADDR 1
#endif
#ifdef __OpenBSD__
#define BSOCK_SETS_V6ONLY 0
#else
#define BSOCK_SETS_V6ONLY 1
#endif

/* EAGAIN as a case of its own where it is not EWOULDBLOCK's value. */
#if EAGAIN != EWOULDBLOCK
#define BSOCK_EAGAIN_CASE case EAGAIN:
#else
#define BSOCK_EAGAIN_CASE
#endif

#ifndef BSOCK_REUSEPORT_OPTION
#define BSOCK_REUSEPORT_OPTION 0 /* refused: no SO_REUSEPORT here */
#define BSOCK_SO_REUSEPORT 0
#endif

/* ---------------------------------------------------------------------
 * Datagrams in batches (bio_dgram.c's BIO_sendmmsg and BIO_recvmmsg), out
 * of line in sys_posix.c and sys_win.c:
 *   Linux, FreeBSD, NetBSD: sendmmsg()/recvmmsg(), up to
 *     BSOCK_DGRAMS_PER_CALL a call, as OpenSSL (64).
 *   macOS and the other POSIX systems: sendmsg()/recvmsg(), one a call.
 *   Windows: sendto()/recvfrom(), one a call; no local addresses.
 * Local addresses (the source to send from, the destination a datagram
 * came to) travel as IP_PKTINFO / IPV6_PKTINFO where both exist
 * (BSOCK_HAS_PKTINFO 1: Linux, macOS); elsewhere there are none, and
 * BIO_dgram_get_local_addr_cap() says 0.
 */
#define BSOCK_DGRAMS_PER_CALL 64

struct bsock__dgram {
    void *data;
    size_t len;      /* the length to send, the room to receive into; then
                      * what was sent or received */
    BIO_ADDR *peer;  /* where to send to, or the sender (NULL: none, the
                      * connected peer) */
    BIO_ADDR *local; /* the local address to send from, or the one it came
                      * to (its family 0 when none came; NULL: not asked) */
};

/* Send n datagrams (at most BSOCK_DGRAMS_PER_CALL) on fd, a socket of
 * family: how many went (at least 1), or -errno. */
int bsock__sys_send_dgrams(int fd, int family, struct bsock__dgram *d,
                           size_t n);
/* Receive up to n datagrams: how many came (at least 1), or -errno.  A
 * local address comes without a port (bio_dgram.c knows the bound one). */
int bsock__sys_recv_dgrams(int fd, int family, struct bsock__dgram *d,
                           size_t n);
/* Ask for (on) or stop asking for the destination address of each
 * datagram: 0, or -errno (-ENOPROTOOPT where BSOCK_HAS_PKTINFO is 0 or the
 * family is not IPv4 or IPv6). */
int bsock__sys_want_local(int fd, int family, int on);

/* The path MTU, don't-fragment and MTU discovery of a datagram socket
 * (BIO_CTRL_DGRAM_QUERY_MTU, _MTU_DISCOVER, _SET_DONT_FRAG), as OpenSSL's
 * bss_dgram.c has them: IP_MTU and IP_MTU_DISCOVER on Linux (BSOCK_HAS_
 * PATH_MTU 1), IP_DONTFRAG / IPV6_DONTFRAG where they exist, Windows'
 * IP_DONTFRAGMENT (BSOCK_HAS_DONT_FRAG 1).  Each: the MTU or 0, or -errno;
 * -ENOPROTOOPT where the platform has no such option. */
int bsock__sys_path_mtu(int fd, int family);
int bsock__sys_mtu_discover(int fd, int family);
int bsock__sys_dont_frag(int fd, int family, int on);

/* ---------------------------------------------------------------------
 * TCP Fast Open, as OpenSSL's include/internal/bio_tfo.h has it:
 *   Linux: TCP_FASTOPEN_CONNECT on the client before connect(), TCP_FASTOPEN
 *     (the backlog) on the server after listen(); no kernel switch asked.
 *   FreeBSD 12+: TCP_FASTOPEN on both, after checking the sysctls
 *     net.inet.tcp.fastopen.{client,server}_enable; the client does not
 *     connect (the first sendto() does).
 *   macOS: sysctl net.inet.tcp.fastopen (bit 1 client, bit 2 server); the
 *     client connects with connectx(CONNECT_DATA_IDEMPOTENT), the server sets
 *     TCP_FASTOPEN to 1.
 * Elsewhere BIO_SOCK_TFO is ignored, as in OpenSSL.
 * Every platform gets every name below, so that sock.c takes the steps with
 * plain ifs on constants (the compiler drops the steps a platform has not):
 *   BSOCK_TFO_CLIENT_OPT, BSOCK_TFO_SERVER_OPT: the TCP option, or -1;
 *   BSOCK_TFO_SERVER_QUEUE(backlog): the server option's value;
 *   BSOCK_TFO_HAS_SYSCTL: 1 where a sysctl says whether TFO is on (names
 *     and flag bits BSOCK_TFO_SYSCTL_CLIENT/_SERVER, _CLIENT/_SERVER_FLAG);
 *   BSOCK_TFO_USES_CONNECTX: 1 where the client connects with connectx();
 *   BSOCK_TFO_CONNECTS: 0 where the client's connect() is left to the
 *     platform (the first sendto(), or connectx()), 1 elsewhere.
 */
#if defined(TCP_FASTOPEN) && !defined(_WIN32)
#if defined(__linux__)
#define BSOCK_TFO_SERVER_OPT TCP_FASTOPEN
#define BSOCK_TFO_SERVER_QUEUE(backlog) (backlog)
#if defined(TCP_FASTOPEN_CONNECT)
#define BSOCK_TFO_CLIENT_OPT TCP_FASTOPEN_CONNECT
#endif
#elif defined(__FreeBSD__) && defined(TCP_FASTOPEN_PSK_LEN)
#include <sys/sysctl.h>
#define BSOCK_TFO_SYSCTL_CLIENT "net.inet.tcp.fastopen.client_enable"
#define BSOCK_TFO_SYSCTL_SERVER "net.inet.tcp.fastopen.server_enable"
#define BSOCK_TFO_CLIENT_FLAG 1
#define BSOCK_TFO_SERVER_FLAG 1
#define BSOCK_TFO_SERVER_OPT TCP_FASTOPEN
#define BSOCK_TFO_SERVER_QUEUE(backlog) (backlog)
#define BSOCK_TFO_CLIENT_OPT TCP_FASTOPEN
#define BSOCK_TFO_DO_NOT_CONNECT 1
#elif defined(__APPLE__)
#include <sys/sysctl.h>
#define BSOCK_TFO_SYSCTL_CLIENT "net.inet.tcp.fastopen"
#define BSOCK_TFO_SYSCTL_SERVER "net.inet.tcp.fastopen"
#define BSOCK_TFO_CLIENT_FLAG 1
#define BSOCK_TFO_SERVER_FLAG 2
#define BSOCK_TFO_SERVER_OPT TCP_FASTOPEN
#define BSOCK_TFO_SERVER_QUEUE(backlog) 1
#define BSOCK_TFO_CONNECTX 1
#define BSOCK_TFO_DO_NOT_CONNECT 1
#endif
#endif

#ifndef BSOCK_TFO_CLIENT_OPT
#define BSOCK_TFO_CLIENT_OPT (-1)
#endif
#ifndef BSOCK_TFO_SERVER_OPT
#define BSOCK_TFO_SERVER_OPT (-1)
#define BSOCK_TFO_SERVER_QUEUE(backlog) (backlog)
#endif
#ifdef BSOCK_TFO_DO_NOT_CONNECT
#define BSOCK_TFO_CONNECTS 0
#else
#define BSOCK_TFO_CONNECTS 1
#endif

#ifdef BSOCK_TFO_SYSCTL_CLIENT
#define BSOCK_TFO_HAS_SYSCTL 1
/* The TFO sysctl: 1 when flag is set, 0 when not, -errno when the kernel
 * has no such sysctl. */
static inline int bsock__sys_tfo_enabled(const char *name, int flag)
{
    int enabled = 0;
    size_t len = sizeof(enabled);

    if (sysctlbyname(name, &enabled, &len, NULL, 0) < 0)
        return bsock__sys_error();
    return (enabled & flag) != 0;
}
#else
#define BSOCK_TFO_HAS_SYSCTL 0
#define BSOCK_TFO_SYSCTL_CLIENT ""
#define BSOCK_TFO_SYSCTL_SERVER ""
#define BSOCK_TFO_CLIENT_FLAG 0
#define BSOCK_TFO_SERVER_FLAG 0
/* No such sysctl (never asked: BSOCK_TFO_HAS_SYSCTL is 0). */
static inline int bsock__sys_tfo_enabled(const char *name, int flag)
{
    (void)name;
    (void)flag;
    return -BSOCK_ENOPROTOOPT;
}
#endif

#ifdef BSOCK_TFO_CONNECTX
#define BSOCK_TFO_USES_CONNECTX 1
/* connect() with data allowed in the SYN (macOS).  0, or -errno. */
static inline int bsock__sys_connectx_tfo(int fd, const struct sockaddr *sa,
                                          socklen_t len)
{
    sa_endpoints_t sae;

    memset(&sae, 0, sizeof(sae));
    sae.sae_dstaddr = sa;
    sae.sae_dstaddrlen = len;
    return connectx(fd, &sae, SAE_ASSOCID_ANY,
                    CONNECT_DATA_IDEMPOTENT | CONNECT_RESUME_ON_READ_WRITE,
                    NULL, 0, NULL, NULL)
                   == 0
               ? 0
               : bsock__sys_error();
}
#else
#define BSOCK_TFO_USES_CONNECTX 0
/* No connectx (never called: BSOCK_TFO_USES_CONNECTX is 0). */
static inline int bsock__sys_connectx_tfo(int fd, const struct sockaddr *sa,
                                          socklen_t len)
{
    (void)fd;
    (void)sa;
    (void)len;
    bsock__set_errno(BSOCK_EINVAL);
    return -BSOCK_EINVAL;
}
#endif

#endif
