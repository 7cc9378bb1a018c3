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
