/*
 * sock.c - the six socket functions and the BIO_sock_* helpers.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

#define KNOWN_OPTIONS                                                         \
    (BIO_SOCK_REUSEADDR | BIO_SOCK_V6_ONLY | BIO_SOCK_KEEPALIVE               \
     | BIO_SOCK_NONBLOCK | BIO_SOCK_NODELAY | BIO_SOCK_TFO)

/* TCP Fast Open as OpenSSL built with enable-tfo has it on Linux
 * (include/internal/bio_tfo.h): TCP_FASTOPEN_CONNECT on the client before
 * connect, TCP_FASTOPEN with the listen backlog as its queue on the server
 * after listen.  Platforms without these options ignore BIO_SOCK_TFO, as
 * OpenSSL does where bio_tfo.h defines nothing. */
#if defined(__linux__) && defined(TCP_FASTOPEN)
#define TFO_SERVER TCP_FASTOPEN
#if defined(TCP_FASTOPEN_CONNECT)
#define TFO_CLIENT TCP_FASTOPEN_CONNECT
#endif
#endif

/* ---------------------------------------------------------------------
 * Syscall helpers: 0 or -errno.
 */

static int sys_set_int(int fd, int level, int name, int value)
{
    return setsockopt(fd, level, name, &value, sizeof(value)) == 0 ? 0
                                                                   : -errno;
}

static int sys_get_int(int fd, int level, int name, int *value)
{
    socklen_t len = sizeof(*value);

    return getsockopt(fd, level, name, value, &len) == 0 ? 0 : -errno;
}

static int sys_set_cloexec(int fd)
{
    return fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 ? 0 : -errno;
}

/* Whether the kernel knows SOCK_CLOEXEC (Linux 2.6.27 and later): asked
 * once per process, and only after an EINVAL, so that a bad type or
 * protocol costs one socket() call, as in OpenSSL, not a second one. */
static int kernel_knows_cloexec(void)
{
    static _Atomic int known = -1;
    int k = known;

    if (k < 0) {
        int saved = errno, p = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

        k = !(p == -1 && errno == EINVAL);
        if (p >= 0)
            (void)close(p);
        errno = saved;
        known = k;
    }
    return k;
}

/* What is left of socket() with SOCK_CLOEXEC after it failed: kernels
 * without SOCK_CLOEXEC get socket() + fcntl().  The new fd, or -errno. */
static BSOCK_NOINLINE BSOCK_COLD int socket_retry(int domain, int type,
                                                  int protocol)
{
    int fd;

    if (errno != EINVAL || kernel_knows_cloexec())
        return -errno;
    fd = socket(domain, type, protocol);
    if (fd != -1 && sys_set_cloexec(fd) != 0) {
        bsock__close_keep_errno(fd);
        fd = -1;
    }
    return fd >= 0 ? fd : -errno;
}

/* What is left of accept4() with SOCK_CLOEXEC [| SOCK_NONBLOCK] after it
 * failed: kernels without accept4 get accept() + fcntl() + ioctl().  EINTR
 * is returned, not retried, as OpenSSL does: a signal handler can stop a
 * blocking accept loop.  The new fd, or -errno. */
static BSOCK_NOINLINE BSOCK_COLD int accept_retry(int fd, struct sockaddr *sa,
                                                  socklen_t *len, int nbio)
{
    int s;

    if (errno != ENOSYS)
        return -errno;
    s = accept(fd, sa, len);
    if (s != -1
        && (sys_set_cloexec(s) != 0 || ioctl(s, FIONBIO, &nbio) != 0)) {
        bsock__close_keep_errno(s);
        s = -1;
    }
    return s >= 0 ? s : -errno;
}

void bsock__close_keep_errno(int fd)
{
    int saved = errno;

    (void)close(fd);
    errno = saved;
}

/* ---------------------------------------------------------------------
 * Argument checks shared by the public functions.
 */

/* Refuse unknown option bits, in the name of the public function func. */
static int options_ok(int options, const char *func)
{
    if ((options & ~KNOWN_OPTIONS) != 0) {
        BSOCK_BAD_ARG_IN(func);
        return 0;
    }
    return 1;
}

/* The checks BIO_bind, BIO_connect and BIO_listen start with: the
 * failures, raised in the name of the public function func; 0. */
static BSOCK_NOINLINE BSOCK_COLD int
sock_args_failed(int sock, const BIO_ADDR *addr, int options, const char *func)
{
    if (sock == -1)
        BSOCK_RAISE_IN(func, ERR_LIB_BIO, BIO_R_INVALID_SOCKET, NULL);
    else if (addr == NULL)
        BSOCK_NULL_ARG_IN(func);
    else
        (void)options_ok(options, func);
    return 0;
}

static int sock_args_ok(int sock, const BIO_ADDR *addr, int options,
                        const char *func)
{
    if (sock == -1 || addr == NULL || (options & ~KNOWN_OPTIONS) != 0)
        return sock_args_failed(sock, addr, options, func);
    return 1;
}

/* Set an int socket option, pushing SYS + reason in func on failure. */
static int set_opt(int sock, int level, int name, int value, int reason,
                   const char *func)
{
    int err = sys_set_int(sock, level, name, value);

    if (err != 0) {
        BSOCK_RAISE_SYS_BIO_IN(func, -err, "setsockopt", reason);
        return 0;
    }
    return 1;
}

/* What BIO_connect and BIO_listen both apply: blocking mode (both ways; on
 * a fresh socket, which is blocking, only to make it non-blocking), then
 * KEEPALIVE and NODELAY. */
static int apply_options(int sock, int options, int fresh, const char *func)
{
    if ((!fresh || (options & BIO_SOCK_NONBLOCK))
        && !BIO_socket_nbio(sock, (options & BIO_SOCK_NONBLOCK) != 0))
        return 0;
    if ((options & BIO_SOCK_KEEPALIVE)
        && !set_opt(sock, SOL_SOCKET, SO_KEEPALIVE, 1,
                    BIO_R_UNABLE_TO_KEEPALIVE, func))
        return 0;
    if ((options & BIO_SOCK_NODELAY)
        && !set_opt(sock, IPPROTO_TCP, TCP_NODELAY, 1, BIO_R_UNABLE_TO_NODELAY,
                    func))
        return 0;
    return 1;
}

/* ---------------------------------------------------------------------
 * The six functions.
 */

int BIO_socket(int domain, int socktype, int protocol, int options)
{
    int fd;

    if (!options_ok(options, __func__))
        return INVALID_SOCKET;
    fd = socket(domain, socktype | SOCK_CLOEXEC, protocol);
    if (fd >= 0)
        return fd;
    fd = socket_retry(domain, socktype, protocol);
    if (fd < 0) {
        BSOCK_RAISE_SYS_BIO(-fd, "socket", BIO_R_UNABLE_TO_CREATE_SOCKET);
        return INVALID_SOCKET;
    }
    return fd;
}

/* BIO_connect, raising in the name of the public function func. */
static int connect_in(int sock, const BIO_ADDR *addr, int options, int fresh,
                      const char *func)
{
    if (!sock_args_ok(sock, addr, options, func)
        || !apply_options(sock, options, fresh, func))
        return 0;
#ifdef TFO_CLIENT
    if ((options & BIO_SOCK_TFO)
        && !set_opt(sock, IPPROTO_TCP, TFO_CLIENT, 1, BIO_R_UNABLE_TO_TFO,
                    func))
        return 0;
#endif
    if (connect(sock, &addr->sa, bsock__addr_len(addr)) == -1) {
        if (!BIO_sock_non_fatal_error(errno))
            BSOCK_RAISE_SYS_BIO_IN(func, errno, "connect",
                                   BIO_R_CONNECT_ERROR);
        return 0;
    }
    return 1;
}

int BIO_connect(int sock, const BIO_ADDR *addr, int options)
{
    return connect_in(sock, addr, options, 0, __func__);
}

int biosock_connect_fresh(int sock, const BIO_ADDR *addr, int options)
{
    return connect_in(sock, addr, options, 1, __func__);
}

int BIO_bind(int sock, const BIO_ADDR *addr, int options)
{
    if (!sock_args_ok(sock, addr, options, __func__))
        return 0;
    if ((options & BIO_SOCK_REUSEADDR)
        && !set_opt(sock, SOL_SOCKET, SO_REUSEADDR, 1,
                    BIO_R_UNABLE_TO_REUSEADDR, __func__))
        return 0;
    if (bind(sock, &addr->sa, bsock__addr_len(addr)) != 0) {
        BSOCK_RAISE_SYS_BIO(errno, "bind", BIO_R_UNABLE_TO_BIND_SOCKET);
        return 0;
    }
    return 1;
}

/* BIO_listen with a backlog, raising in the name of the public function func.
 * The TFO queue is the backlog (OpenSSL: MAX_LISTEN, its listen backlog). */
static int listen_in(int sock, const BIO_ADDR *addr, int options, int backlog,
                     int fresh, const char *func)
{
    int socktype = SOCK_STREAM, err;

    if (!sock_args_ok(sock, addr, options, func))
        return 0;
    if (!fresh
        && (err = sys_get_int(sock, SOL_SOCKET, SO_TYPE, &socktype)) != 0) {
        BSOCK_RAISE_SYS_BIO_IN(func, -err, "getsockopt",
                               BIO_R_GETTING_SOCKTYPE);
        return 0;
    }
    if (!apply_options(sock, options, fresh, func))
        return 0;
    if (addr->sa.sa_family == AF_INET6
        && !set_opt(sock, IPPROTO_IPV6, IPV6_V6ONLY,
                    (options & BIO_SOCK_V6_ONLY) != 0, BIO_R_LISTEN_V6_ONLY,
                    func))
        return 0;
    if (!BIO_bind(sock, addr, options))
        return 0;
    if (socktype != SOCK_DGRAM && listen(sock, backlog) == -1) {
        BSOCK_RAISE_SYS_BIO_IN(func, errno, "listen",
                               BIO_R_UNABLE_TO_LISTEN_SOCKET);
        return 0;
    }
#ifdef TFO_SERVER
    if ((options & BIO_SOCK_TFO) && socktype != SOCK_DGRAM
        && !set_opt(sock, IPPROTO_TCP, TFO_SERVER, backlog,
                    BIO_R_UNABLE_TO_TFO, func))
        return 0;
#endif
    return 1;
}

int BIO_listen(int sock, const BIO_ADDR *addr, int options)
{
    return listen_in(sock, addr, options, SOMAXCONN, 0, __func__);
}

int biosock_listen_backlog(int sock, const BIO_ADDR *addr, int options,
                           int backlog)
{
    return listen_in(sock, addr, options, backlog, 0, __func__);
}

int biosock_listen_fresh(int sock, const BIO_ADDR *addr, int options,
                         int backlog)
{
    return listen_in(sock, addr, options, backlog, 1, __func__);
}

int BIO_accept_ex(int accept_sock, BIO_ADDR *peer, int options)
{
    socklen_t len = BSOCK_ADDR_CAP;
    int fd;

    if (!options_ok(options, __func__))
        return INVALID_SOCKET;
    fd = accept4(accept_sock, peer != NULL ? &peer->sa : NULL,
                 peer != NULL ? &len : NULL,
                 SOCK_CLOEXEC
                     | ((options & BIO_SOCK_NONBLOCK) ? SOCK_NONBLOCK : 0));
    if (fd < 0)
        fd = accept_retry(accept_sock, peer != NULL ? &peer->sa : NULL,
                          peer != NULL ? &len : NULL,
                          (options & BIO_SOCK_NONBLOCK) != 0);
    if (fd < 0) {
        if (!BIO_sock_non_fatal_error(-fd))
            BSOCK_RAISE_SYS_BIO(-fd, "accept", BIO_R_ACCEPT_ERROR);
        return INVALID_SOCKET;
    }
    if (peer != NULL)
        bsock__addr_from_kernel(peer, len);
    return fd;
}

int BIO_closesocket(int sock)
{
    if (sock < 0 || close(sock) < 0)
        return 0;
    return 1;
}

/* ---------------------------------------------------------------------
 * Helpers.
 */

int BIO_sock_error(int sock)
{
    int value = 0, err = sys_get_int(sock, SOL_SOCKET, SO_ERROR, &value);

    return err != 0 ? -err : value;
}

static BSOCK_NOINLINE BSOCK_COLD void ioctl_failed(const char *func)
{
    BSOCK_RAISE_SYS_IN(func, errno, "ioctlsocket");
}

int BIO_socket_ioctl(int fd, long type, void *arg)
{
    int ret = ioctl(fd, (unsigned long)type, arg);

    if (ret < 0)
        ioctl_failed(__func__);
    return ret;
}

int BIO_socket_nbio(int fd, int mode)
{
    int on = mode != 0;

    return BIO_socket_ioctl(fd, FIONBIO, &on) == 0;
}

int BIO_sock_non_fatal_error(int error)
{
    switch (error) {
    case EWOULDBLOCK:
#if EAGAIN != EWOULDBLOCK
    case EAGAIN:
#endif
    case ENOTCONN:
    case EINTR:
    case EPROTO:
    case EINPROGRESS:
    case EALREADY:
        return 1;
    default:
        return 0;
    }
}

int BIO_err_is_non_fatal(unsigned int errcode)
{
    if (ERR_SYSTEM_ERROR(errcode))
        return BIO_sock_non_fatal_error(ERR_GET_REASON(errcode));
    return ERR_GET_LIB(errcode) == ERR_LIB_BIO
           && ERR_GET_REASON(errcode) == BIO_R_NON_FATAL;
}

int BIO_sock_should_retry(int i)
{
    return (i == 0 || i == -1) && BIO_sock_non_fatal_error(errno);
}

int BIO_sock_init(void)
{
    return 1;
}

int BIO_set_tcp_ndelay(int sock, int turn_on)
{
    return sys_set_int(sock, IPPROTO_TCP, TCP_NODELAY, turn_on) == 0;
}

int BIO_sock_info(int sock, enum BIO_sock_info_type type,
                  union BIO_sock_info_u *info)
{
    socklen_t len;

    if (type != BIO_SOCK_INFO_ADDRESS) {
        BSOCK_RAISE(ERR_LIB_BIO, BIO_R_UNKNOWN_INFO_TYPE, NULL);
        return 0;
    }
    if (info == NULL || info->addr == NULL) {
        BSOCK_NULL_ARG();
        return 0;
    }
    len = BSOCK_ADDR_CAP;
    if (getsockname(sock, &info->addr->sa, &len) == -1) {
        BSOCK_RAISE_SYS_BIO(errno, "getsockname", BIO_R_GETSOCKNAME_ERROR);
        return 0;
    }
    if (len > BSOCK_ADDR_CAP) {
        BSOCK_RAISE(ERR_LIB_BIO, BIO_R_GETSOCKNAME_TRUNCATED_ADDRESS, NULL);
        return 0;
    }
    bsock__addr_from_kernel(info->addr, len);
    return 1;
}

int BIO_socket_wait(int fd, int for_read, time_t max_time)
{
    struct pollfd pfd;
    time_t now;
    int ret;

    if (fd < 0)
        return -1;
    if (max_time == 0)
        return 1;
    now = time(NULL);
    if (max_time < now)
        return 0;
    pfd.fd = fd;
    pfd.events = for_read ? POLLIN : POLLOUT;
    pfd.revents = 0;
    ret = poll(&pfd, 1,
               max_time - now > INT_MAX / 1000 ? INT_MAX
                                               : (int)(max_time - now) * 1000);
    if (ret == 1 && (pfd.revents & POLLNVAL)) {
        errno = EBADF;
        return -1;
    }
    return ret;
}

int biosock_socket_wait_ms(int fd, int for_read, int timeout_ms)
{
    struct pollfd pfd;
    int ret;

    if (fd < 0) {
        BSOCK_RAISE(ERR_LIB_BIO, BIO_R_INVALID_SOCKET, NULL);
        errno = EBADF;
        return -1;
    }
    pfd.fd = fd;
    pfd.events = for_read ? POLLIN : POLLOUT;
    pfd.revents = 0;
    ret = poll(&pfd, 1, timeout_ms < 0 ? -1 : timeout_ms);
    if (ret == 1 && (pfd.revents & POLLNVAL)) {
        errno = EBADF;
        ret = -1;
    }
    if (ret == -1)
        BSOCK_RAISE_SYS(errno, "poll");
    return ret;
}
