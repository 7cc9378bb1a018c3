/*
 * sock.c - the six socket functions and the BIO_sock_* helpers.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <limits.h>
#include <string.h>

#include "internal.h"
#include "sys.h"

/* Every option some call applies; REUSEPORT only where the platform has it. */
#define KNOWN_OPTIONS                                                         \
    ((BIOSOCK_LISTEN_OPTIONS & ~BIOSOCK_SOCK_REUSEPORT)                       \
     | BSOCK_REUSEPORT_OPTION)

/* ---------------------------------------------------------------------
 * Syscall helpers: 0 or -bsock_errno().
 */

/* 0 and 1 as the int an option call reads through a pointer: passing one
 * of these, a caller needs no stack slot for the value. */
static const int off_on[2] = {0, 1};

static int sys_set_int(int fd, int level, int name, int value)
{
    /* On/off from the constants (inlined, the choice folds away). */
    const int *v = value == 0 || value == 1 ? &off_on[value] : &value;

    return setsockopt(fd, level, name, (const void *)v, sizeof(*v)) == 0
               ? 0
               : -bsock_errno();
}

static int sys_get_int(int fd, int level, int name, int *value)
{
    socklen_t len = sizeof(*value);

    return getsockopt(fd, level, name, (void *)value, &len) == 0
               ? 0
               : -bsock_errno();
}

/* What is left of a socket() that failed: the platform's fallback (a
 * kernel that refuses SOCK_CLOEXEC: socket() + fcntl()).  The new fd, or
 * -bsock_errno(). */
static BSOCK_NOINLINE BSOCK_COLD int socket_retry(int domain, int type,
                                                  int protocol)
{
    int fd = bsock_sys_socket_fallback(domain, type, protocol);

    return fd >= 0 ? fd : -bsock_errno();
}

/* What is left of an accept that failed: the platform's fallback (a kernel
 * without accept4: accept() + fcntl() + ioctl()).  EINTR is returned, not
 * retried, as OpenSSL does: a signal handler can stop a blocking accept
 * loop.  The new fd, or -bsock_errno(). */
static BSOCK_NOINLINE BSOCK_COLD int accept_retry(int fd, struct sockaddr *sa,
                                                  socklen_t *len, int nbio)
{
    int s = bsock_sys_accept_fallback(fd, sa, len, nbio);

    return s >= 0 ? s : -bsock_errno();
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
        return BSOCK_INVALID_FD;
    fd = bsock_sys_socket(domain, socktype, protocol);
    if (fd >= 0)
        return fd;
    fd = socket_retry(domain, socktype, protocol);
    if (fd < 0) {
        BSOCK_RAISE_SYS_BIO(-fd, "socket", BIO_R_UNABLE_TO_CREATE_SOCKET);
        return BSOCK_INVALID_FD;
    }
    return fd;
}

/* Whether the kernel's TFO switch has flag on, as OpenSSL asks it: 1, or 0
 * with BIO_R_TFO_NO_KERNEL_SUPPORT (no such sysctl) or BIO_R_TFO_DISABLED
 * pushed in func's name.  Asked only where BSOCK_TFO_HAS_SYSCTL. */
static int tfo_enabled(const char *sysctl, int flag, const char *func)
{
    int enabled = bsock_sys_tfo_enabled(sysctl, flag);

    if (enabled <= 0)
        BSOCK_RAISE_IN(func, ERR_LIB_BIO,
                       enabled < 0 ? BIO_R_TFO_NO_KERNEL_SUPPORT
                                   : BIO_R_TFO_DISABLED,
                       NULL);
    return enabled > 0;
}

/* TFO's client side before connect (OpenSSL's, per platform: sys.h).  On
 * return, BIO_SOCK_TFO is left in *options only where the platform's TFO
 * does not connect (FreeBSD: the first sendto() does; macOS: connectx()
 * did).  1, or 0 with the error pushed. */
static int tfo_client(int sock, const BIO_ADDR *addr, const char *func,
                      int *options)
{
    if (BSOCK_TFO_HAS_SYSCTL
        && !tfo_enabled(BSOCK_TFO_SYSCTL_CLIENT, BSOCK_TFO_CLIENT_FLAG, func))
        return 0;
    if (BSOCK_TFO_USES_CONNECTX
        && bsock_sys_connectx_tfo(sock, &addr->sa, bsock__addr_len(addr))
               == -1) {
        int err = bsock_errno();

        if (!BIO_sock_non_fatal_error(err))
            BSOCK_RAISE_SYS_BIO_IN(func, err, "connectx", BIO_R_CONNECT_ERROR);
        return 0;
    }
    if (BSOCK_TFO_CLIENT_OPT != -1
        && !set_opt(sock, IPPROTO_TCP, BSOCK_TFO_CLIENT_OPT, 1,
                    BIO_R_UNABLE_TO_TFO, func))
        return 0;
    if (BSOCK_TFO_CONNECTS)
        *options &= ~BIO_SOCK_TFO;
    return 1;
}

/* BIO_connect, raising in the name of the public function func. */
static int connect_in(int sock, const BIO_ADDR *addr, int options, int fresh,
                      const char *func)
{
    if (!sock_args_ok(sock, addr, options, func)
        || !apply_options(sock, options, fresh, func))
        return 0;
    if ((options & BIO_SOCK_TFO) && !tfo_client(sock, addr, func, &options))
        return 0;
    if ((options & BIO_SOCK_TFO) != 0) /* the platform does not connect */
        return 1;
    if (connect(sock, &addr->sa, bsock__addr_len(addr)) == -1) {
        int err = bsock_errno();

        if (!BIO_sock_non_fatal_error(err))
            BSOCK_RAISE_SYS_BIO_IN(func, err, "connect", BIO_R_CONNECT_ERROR);
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
    if ((options & BIO_SOCK_REUSEADDR) && BSOCK_SETS_REUSEADDR
        && !set_opt(sock, SOL_SOCKET, SO_REUSEADDR, 1,
                    BIO_R_UNABLE_TO_REUSEADDR, __func__))
        return 0;
    if ((options & BSOCK_REUSEPORT_OPTION)
        && !set_opt(sock, SOL_SOCKET, BSOCK_SO_REUSEPORT, 1,
                    BIO_R_UNABLE_TO_REUSEADDR, __func__))
        return 0;
    if (bind(sock, &addr->sa, bsock__addr_len(addr)) != 0) {
        BSOCK_RAISE_SYS_BIO(bsock_errno(), "bind",
                            BIO_R_UNABLE_TO_BIND_SOCKET);
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
    if (BSOCK_SETS_V6ONLY && addr->sa.sa_family == AF_INET6
        && !set_opt(sock, IPPROTO_IPV6, IPV6_V6ONLY,
                    (options & BIO_SOCK_V6_ONLY) != 0, BIO_R_LISTEN_V6_ONLY,
                    func))
        return 0;
    if (!BIO_bind(sock, addr, options))
        return 0;
    if (socktype != SOCK_DGRAM && listen(sock, backlog) == -1) {
        BSOCK_RAISE_SYS_BIO_IN(func, bsock_errno(), "listen",
                               BIO_R_UNABLE_TO_LISTEN_SOCKET);
        return 0;
    }
    if (BSOCK_TFO_SERVER_OPT != -1 && (options & BIO_SOCK_TFO)
        && socktype != SOCK_DGRAM) {
        if (BSOCK_TFO_HAS_SYSCTL
            && !tfo_enabled(BSOCK_TFO_SYSCTL_SERVER, BSOCK_TFO_SERVER_FLAG,
                            func))
            return 0;
        if (!set_opt(sock, IPPROTO_TCP, BSOCK_TFO_SERVER_OPT,
                     BSOCK_TFO_SERVER_QUEUE(backlog), BIO_R_UNABLE_TO_TFO,
                     func))
            return 0;
    }
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
        return BSOCK_INVALID_FD;
    fd = bsock_sys_accept(accept_sock, peer != NULL ? &peer->sa : NULL,
                          peer != NULL ? &len : NULL,
                          (options & BIO_SOCK_NONBLOCK) != 0);
    if (fd < 0)
        fd = accept_retry(accept_sock, peer != NULL ? &peer->sa : NULL,
                          peer != NULL ? &len : NULL,
                          (options & BIO_SOCK_NONBLOCK) != 0);
    if (fd < 0) {
        if (!BIO_sock_non_fatal_error(-fd))
            BSOCK_RAISE_SYS_BIO(-fd, "accept", BIO_R_ACCEPT_ERROR);
        return BSOCK_INVALID_FD;
    }
    if (peer != NULL)
        bsock__addr_from_kernel(peer, len);
    return fd;
}

int BIO_closesocket(int sock)
{
    if (sock < 0 || bsock_sys_close(sock) < 0)
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
    BSOCK_RAISE_SYS_IN(func, bsock_errno(), "ioctlsocket");
}

int BIO_socket_ioctl(int fd, long type, void *arg)
{
    int ret = bsock_sys_ioctl(fd, type, arg);

    if (ret < 0)
        ioctl_failed(__func__);
    return ret;
}

int BIO_socket_nbio(int fd, int mode)
{
    /* FIONBIO only reads its int: one of the constants serves. */
    return BIO_socket_ioctl(fd, FIONBIO, (void *)&off_on[mode != 0]) == 0;
}

int BIO_sock_non_fatal_error(int error)
{
    switch (error) {
    case EWOULDBLOCK:
        BSOCK_EAGAIN_CASE
    case ENOTCONN:
    case EINTR:
    case EPROTO:
    case EINPROGRESS:
    case EALREADY:
        BSOCK_SYS_NON_FATAL_CASES
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
    return (i == 0 || i == -1) && BIO_sock_non_fatal_error(bsock_errno());
}

int BIO_sock_init(void)
{
    return bsock__wsa_startup() ? 1 : -1;
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
        BSOCK_RAISE_SYS_BIO(bsock_errno(), "getsockname",
                            BIO_R_GETSOCKNAME_ERROR);
        return 0;
    }
    if (len > (socklen_t)BSOCK_ADDR_CAP) {
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
    ret = bsock_sys_poll(&pfd, 1,
                         max_time - now > INT_MAX / 1000
                             ? INT_MAX
                             : (int)(max_time - now) * 1000);
    if (ret == 1 && (pfd.revents & POLLNVAL)) {
        bsock_set_errno(BSOCK_EBADF);
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
        bsock_set_errno(BSOCK_EBADF);
        return -1;
    }
    pfd.fd = fd;
    pfd.events = for_read ? POLLIN : POLLOUT;
    pfd.revents = 0;
    ret = bsock_sys_poll(&pfd, 1, timeout_ms < 0 ? -1 : timeout_ms);
    if (ret == 1 && (pfd.revents & POLLNVAL)) {
        bsock_set_errno(BSOCK_EBADF);
        ret = -1;
    }
    if (ret == -1)
        BSOCK_RAISE_SYS(bsock_errno(), "poll");
    return ret;
}
