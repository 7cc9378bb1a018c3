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
 * Helpers: 0 (or an fd) or -errno, pushing nothing (internal.h); the
 * steps the public functions share describe their failures in a struct
 * bsock__fail.
 */

/* 0 and 1 as the int an option call reads through a pointer: passing one
 * of these, a caller needs no stack slot for the value. */
static const int off_on[2] = {0, 1};

static int set_int(int fd, int level, int name, int value)
{
    /* On/off from the constants (inlined, the choice folds away). */
    const int *v = value == 0 || value == 1 ? &off_on[value] : &value;

    return setsockopt(fd, level, name, (const void *)v, sizeof(*v)) == 0
               ? 0
               : bsock__sys_error();
}

static int get_int(int fd, int level, int name, int *value)
{
    socklen_t len = sizeof(*value);

    return getsockopt(fd, level, name, (void *)value, &len) == 0
               ? 0
               : bsock__sys_error();
}

/* Whether options has bits no call of this platform knows. */
static int options_bad(int options)
{
    return (options & ~KNOWN_OPTIONS) != 0;
}

/* The checks BIO_bind, BIO_connect and BIO_listen start with, out of line
 * (the failures). */
static BSOCK_NOINLINE BSOCK_COLD int
sock_args_failed(int sock, const BIO_ADDR *addr, struct bsock__fail *f)
{
    if (sock == -1) /* errno as it was, as OpenSSL leaves it */
        return bsock__failed(f, NULL, BIO_R_INVALID_SOCKET, -BSOCK_EBADF);
    bsock__set_errno(BSOCK_EINVAL);
    return bsock__failed(f, NULL,
                         addr == NULL ? ERR_R_PASSED_NULL_PARAMETER
                                      : ERR_R_PASSED_INVALID_ARGUMENT,
                         -BSOCK_EINVAL);
}

static BSOCK_INLINE int sock_args(int sock, const BIO_ADDR *addr, int options,
                                  struct bsock__fail *f)
{
    if (sock == -1 || addr == NULL || options_bad(options))
        return sock_args_failed(sock, addr, f);
    return 0;
}

/* Set an int socket option; on failure, SYS + reason. */
static int set_opt(int sock, int level, int name, int value, int reason,
                   struct bsock__fail *f)
{
    int err = set_int(sock, level, name, value);

    return err == 0
               ? 0
               : bsock__failed(f, BSOCK_CALLING("setsockopt"), reason, err);
}

/* The blocking mode, as BIO_socket_nbio sets it (FIONBIO); on failure, its
 * SYS entry in its name. */
static int set_nbio(int sock, int on, struct bsock__fail *f)
{
    int err = bsock__sys_fionbio(sock, &off_on[on != 0]);

    if (err < 0) {
        (void)bsock__failed(f, BSOCK_CALLING("ioctlsocket"), 0, err);
        f->func = "BIO_socket_ioctl";
        return err;
    }
    return 0;
}

/* What BIO_connect and BIO_listen both apply: blocking mode (both ways; on
 * a fresh socket, which is blocking, only to make it non-blocking), then
 * KEEPALIVE and NODELAY. */
static BSOCK_INLINE int apply_options(int sock, int options, int fresh,
                                      struct bsock__fail *f)
{
    int err;

    if ((!fresh || (options & BIO_SOCK_NONBLOCK))
        && (err = set_nbio(sock, options & BIO_SOCK_NONBLOCK, f)) != 0)
        return err;
    if ((options & BIO_SOCK_KEEPALIVE)
        && (err = set_opt(sock, SOL_SOCKET, SO_KEEPALIVE, 1,
                          BIO_R_UNABLE_TO_KEEPALIVE, f))
               != 0)
        return err;
    if ((options & BIO_SOCK_NODELAY)
        && (err = set_opt(sock, IPPROTO_TCP, TCP_NODELAY, 1,
                          BIO_R_UNABLE_TO_NODELAY, f))
               != 0)
        return err;
    return 0;
}

/* Whether the kernel's TFO switch has flag on, as OpenSSL asks it: 0, or
 * BIO_R_TFO_NO_KERNEL_SUPPORT (no such sysctl) or BIO_R_TFO_DISABLED, with
 * no system entry and errno as it was (OpenSSL's).  Asked only where
 * BSOCK_TFO_HAS_SYSCTL. */
static int tfo_enabled(const char *sysctl, int flag, struct bsock__fail *f)
{
    int saved = bsock__errno(), enabled = bsock__sys_tfo_enabled(sysctl, flag);

    if (enabled > 0)
        return 0;
    bsock__set_errno(saved);
    return bsock__failed(f, NULL,
                         enabled < 0 ? BIO_R_TFO_NO_KERNEL_SUPPORT
                                     : BIO_R_TFO_DISABLED,
                         -BSOCK_ENOPROTOOPT);
}

/* A connect (connect(), or connectx() for TFO on macOS) that failed with
 * err: nothing to push when it is non-fatal (EINPROGRESS). */
static int connect_failed(int err, const char *call, struct bsock__fail *f)
{
    if (BIO_sock_non_fatal_error(-err))
        return bsock__failed(f, NULL, 0, err);
    return bsock__failed(f, call, BIO_R_CONNECT_ERROR, err);
}

/* TFO's client side before connect (OpenSSL's, per platform: sys.h).  On
 * return, BIO_SOCK_TFO is left in *options only where the platform's TFO
 * does not connect (FreeBSD: the first sendto() does; macOS: connectx()
 * did). */
static int tfo_client(int sock, const BIO_ADDR *addr, int *options,
                      struct bsock__fail *f)
{
    int err;

    if (BSOCK_TFO_HAS_SYSCTL
        && (err =
                tfo_enabled(BSOCK_TFO_SYSCTL_CLIENT, BSOCK_TFO_CLIENT_FLAG, f))
               != 0)
        return err;
    if (BSOCK_TFO_USES_CONNECTX
        && (err = bsock__sys_connectx_tfo(sock, &addr->sa,
                                          bsock__addr_len(addr)))
               != 0)
        return connect_failed(err, BSOCK_CALLING("connectx"), f);
    if (BSOCK_TFO_CLIENT_OPT != -1
        && (err = set_opt(sock, IPPROTO_TCP, BSOCK_TFO_CLIENT_OPT, 1,
                          BIO_R_UNABLE_TO_TFO, f))
               != 0)
        return err;
    if (BSOCK_TFO_CONNECTS)
        *options &= ~BIO_SOCK_TFO;
    return 0;
}

/* BIO_connect's steps; fresh: the socket is new (blocking, no options). */
static BSOCK_INLINE int connect_steps(int sock, const BIO_ADDR *addr,
                                      int options, int fresh,
                                      struct bsock__fail *f)
{
    int err;

    if ((err = sock_args(sock, addr, options, f)) != 0
        || (err = apply_options(sock, options, fresh, f)) != 0)
        return err;
    if ((options & BIO_SOCK_TFO)
        && (err = tfo_client(sock, addr, &options, f)) != 0)
        return err;
    if ((options & BIO_SOCK_TFO) != 0) /* the platform does not connect */
        return 0;
    if (connect(sock, &addr->sa, bsock__addr_len(addr)) == -1)
        return connect_failed(bsock__sys_error(), BSOCK_CALLING("connect"), f);
    return 0;
}

int bsock__connect_steps(int sock, const BIO_ADDR *addr, int options,
                         struct bsock__fail *f)
{
    return connect_steps(sock, addr, options, 0, f);
}

int bsock__set_nbio(int sock, int on, struct bsock__fail *f)
{
    return set_nbio(sock, on, f);
}

/* BIO_bind's steps. */
static BSOCK_INLINE int bind_steps(int sock, const BIO_ADDR *addr, int options,
                                   struct bsock__fail *f)
{
    int err;

    if ((err = sock_args(sock, addr, options, f)) != 0)
        return err;
    if ((options & BIO_SOCK_REUSEADDR) && BSOCK_SETS_REUSEADDR
        && (err = set_opt(sock, SOL_SOCKET, SO_REUSEADDR, 1,
                          BIO_R_UNABLE_TO_REUSEADDR, f))
               != 0)
        return err;
    if ((options & BSOCK_REUSEPORT_OPTION)
        && (err = set_opt(sock, SOL_SOCKET, BSOCK_SO_REUSEPORT, 1,
                          BIO_R_UNABLE_TO_REUSEADDR, f))
               != 0)
        return err;
    if (bind(sock, &addr->sa, bsock__addr_len(addr)) != 0)
        return bsock__failed(f, BSOCK_CALLING("bind"),
                             BIO_R_UNABLE_TO_BIND_SOCKET, bsock__sys_error());
    return 0;
}

/* BIO_listen's steps with a backlog; fresh: the socket is new (a stream
 * socket, blocking).  The TFO queue is the backlog (OpenSSL: MAX_LISTEN,
 * its listen backlog). */
static BSOCK_INLINE int listen_steps(int sock, const BIO_ADDR *addr,
                                     int options, int backlog, int fresh,
                                     struct bsock__fail *f)
{
    int socktype = SOCK_STREAM, err;

    if ((err = sock_args(sock, addr, options, f)) != 0)
        return err;
    if (!fresh && (err = get_int(sock, SOL_SOCKET, SO_TYPE, &socktype)) != 0)
        return bsock__failed(f, BSOCK_CALLING("getsockopt"),
                             BIO_R_GETTING_SOCKTYPE, err);
    if ((err = apply_options(sock, options, fresh, f)) != 0)
        return err;
    if (BSOCK_SETS_V6ONLY && addr->sa.sa_family == AF_INET6
        && (err = set_opt(sock, IPPROTO_IPV6, IPV6_V6ONLY,
                          (options & BIO_SOCK_V6_ONLY) != 0,
                          BIO_R_LISTEN_V6_ONLY, f))
               != 0)
        return err;
    if ((err = bind_steps(sock, addr, options, f)) != 0) {
        f->func = "BIO_bind"; /* as OpenSSL's BIO_listen calls BIO_bind */
        return err;
    }
    if (socktype != SOCK_DGRAM && listen(sock, backlog) == -1)
        return bsock__failed(f, BSOCK_CALLING("listen"),
                             BIO_R_UNABLE_TO_LISTEN_SOCKET,
                             bsock__sys_error());
    if (BSOCK_TFO_SERVER_OPT != -1 && (options & BIO_SOCK_TFO)
        && socktype != SOCK_DGRAM) {
        if (BSOCK_TFO_HAS_SYSCTL
            && (err = tfo_enabled(BSOCK_TFO_SYSCTL_SERVER,
                                  BSOCK_TFO_SERVER_FLAG, f))
                   != 0)
            return err;
        if ((err = set_opt(sock, IPPROTO_TCP, BSOCK_TFO_SERVER_OPT,
                           BSOCK_TFO_SERVER_QUEUE(backlog),
                           BIO_R_UNABLE_TO_TFO, f))
            != 0)
            return err;
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * The six functions, and biosock's forms of them: each pushes what its
 * steps' failure says and returns OpenSSL's result.
 */

int BIO_socket(int domain, int socktype, int protocol, int options)
{
    int fd;

    if (options_bad(options)) {
        BSOCK_BAD_ARG_IN(__func__);
        return BSOCK_INVALID_FD;
    }
    fd = bsock__sys_socket(domain, socktype, protocol);
    if (fd < 0) {
        BSOCK_RAISE_SYS_BIO(-fd, "socket", BIO_R_UNABLE_TO_CREATE_SOCKET);
        return BSOCK_INVALID_FD;
    }
    return fd;
}

/* BIO_connect and biosock_connect_fresh: the steps, then the push in
 * func. */
static BSOCK_INLINE int connect_in(int sock, const BIO_ADDR *addr, int options,
                                   int fresh, const char *func)
{
    struct bsock__fail f;
    int err = connect_steps(sock, addr, options, fresh, &f);

    if (err == 0)
        return 1;
    bsock__err_put_fail(err, &f, func, __FILE__, __LINE__);
    return 0;
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
    struct bsock__fail f;
    int err = bind_steps(sock, addr, options, &f);

    if (err == 0)
        return 1;
    BSOCK_PUSH_FAIL(err, &f);
    return 0;
}

/* BIO_listen and its biosock forms: the steps, then the push in func. */
static int listen_in(int sock, const BIO_ADDR *addr, int options, int backlog,
                     int fresh, const char *func)
{
    struct bsock__fail f;
    int err = listen_steps(sock, addr, options, backlog, fresh, &f);

    if (err == 0)
        return 1;
    bsock__err_put_fail(err, &f, func, __FILE__, __LINE__);
    return 0;
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

    if (options_bad(options)) {
        BSOCK_BAD_ARG_IN(__func__);
        return BSOCK_INVALID_FD;
    }
    fd = bsock__sys_accept(accept_sock, peer != NULL ? &peer->sa : NULL,
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
    if (sock < 0)
        return 0;
    return bsock__sys_close_status(sock);
}

/* ---------------------------------------------------------------------
 * Helpers.
 */

int BIO_sock_error(int sock)
{
    int value = 0, err = get_int(sock, SOL_SOCKET, SO_ERROR, &value);

    return err != 0 ? -err : value;
}

int BIO_socket_ioctl(int fd, long type, void *arg)
{
    int ret = bsock__sys_ioctl(fd, type, arg);

    if (ret < 0) {
        BSOCK_RAISE_SYS(-ret, "ioctlsocket");
        return -1;
    }
    return ret;
}

int BIO_socket_nbio(int fd, int mode)
{
    struct bsock__fail f;
    int err = set_nbio(fd, mode, &f);

    if (err == 0)
        return 1;
    BSOCK_PUSH_FAIL(err, &f);
    return 0;
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
    return (i == 0 || i == -1) && BIO_sock_non_fatal_error(bsock__errno());
}

int BIO_sock_init(void)
{
    int err = bsock__wsa_startup(); /* 0 but on Windows */

    if (err != 0) {
        BSOCK_RAISE_SYS_BIO(-err, "wsastartup", BIO_R_WSASTARTUP);
        return -1;
    }
    return 1;
}

int BIO_set_tcp_ndelay(int sock, int turn_on)
{
    return set_int(sock, IPPROTO_TCP, TCP_NODELAY, turn_on) == 0;
}

/* BIO_sock_info's address: getsockname() into addr.  A truncated address
 * fails with -ENAMETOOLONG and errno as it was (no call failed). */
static int sock_name_steps(int sock, BIO_ADDR *addr, struct bsock__fail *f)
{
    socklen_t len = BSOCK_ADDR_CAP;

    if (getsockname(sock, &addr->sa, &len) == -1)
        return bsock__failed(f, BSOCK_CALLING("getsockname"),
                             BIO_R_GETSOCKNAME_ERROR, bsock__sys_error());
    if (len > (socklen_t)BSOCK_ADDR_CAP)
        return bsock__failed(f, NULL, BIO_R_GETSOCKNAME_TRUNCATED_ADDRESS,
                             -BSOCK_ENAMETOOLONG);
    bsock__addr_from_kernel(addr, len);
    return 0;
}

int BIO_sock_info(int sock, enum BIO_sock_info_type type,
                  union BIO_sock_info_u *info)
{
    struct bsock__fail f;
    int err;

    if (type != BIO_SOCK_INFO_ADDRESS) {
        BSOCK_RAISE(ERR_LIB_BIO, BIO_R_UNKNOWN_INFO_TYPE, NULL);
        return 0;
    }
    if (info == NULL || info->addr == NULL) {
        BSOCK_NULL_ARG();
        return 0;
    }
    if ((err = sock_name_steps(sock, info->addr, &f)) == 0)
        return 1;
    BSOCK_PUSH_FAIL(err, &f);
    return 0;
}

/* poll() for one fd; a closed fd (POLLNVAL) is EBADF. */
static int poll_one(int fd, int for_read, int timeout_ms)
{
    struct pollfd pfd;
    int ret;

    pfd.fd = fd;
    pfd.events = for_read ? POLLIN : POLLOUT;
    pfd.revents = 0;
    ret = bsock__sys_poll(&pfd, 1, timeout_ms);
    if (ret == 1 && (pfd.revents & POLLNVAL)) {
        bsock__set_errno(BSOCK_EBADF);
        return -BSOCK_EBADF;
    }
    return ret;
}

int BIO_socket_wait(int fd, int for_read, time_t max_time)
{
    time_t now;
    int ret;

    if (fd < 0)
        return -1;
    if (max_time == 0)
        return 1;
    now = time(NULL);
    if (max_time < now)
        return 0;
    ret = poll_one(fd, for_read,
                   max_time - now > INT_MAX / 1000
                       ? INT_MAX
                       : (int)(max_time - now) * 1000);
    return ret < 0 ? -1 : ret;
}

int biosock_socket_wait_ms(int fd, int for_read, int timeout_ms)
{
    int ret;

    if (fd < 0) {
        BSOCK_RAISE(ERR_LIB_BIO, BIO_R_INVALID_SOCKET, NULL);
        bsock__set_errno(BSOCK_EBADF);
        return -1;
    }
    ret = poll_one(fd, for_read, timeout_ms < 0 ? -1 : timeout_ms);
    if (ret < 0) {
        BSOCK_RAISE_SYS(-ret, "poll");
        return -1;
    }
    return ret;
}

/* ---------------------------------------------------------------------
 * The Rust crate's entry points (rust.h): the steps above, with what the
 * public function would push handed back instead.
 */

/* BIO_socket's step without options: the fd, or -errno with what
 * BIO_socket pushes for it. */
int bsock__socket_steps(int domain, int socktype, int protocol,
                        struct bsock__fail *f)
{
    int fd = bsock__sys_socket(domain, socktype, protocol);

    if (fd < 0)
        (void)bsock__failed(f, BSOCK_CALLING("socket"),
                            BIO_R_UNABLE_TO_CREATE_SOCKET, fd);
    return fd;
}

int biosock_rs_socket(int domain, int socktype, int protocol,
                      struct bsock__fail *f)
{
    return bsock__socket_steps(domain, socktype, protocol, f);
}

int biosock_rs_connect(int sock, const BIO_ADDR *addr, int options,
                       struct bsock__fail *f)
{
    return connect_steps(sock, addr, options, 0, f);
}

int biosock_rs_bind(int sock, const BIO_ADDR *addr, int options,
                    struct bsock__fail *f)
{
    return bind_steps(sock, addr, options, f);
}

int biosock_rs_listen(int sock, const BIO_ADDR *addr, int options, int backlog,
                      int fresh, struct bsock__fail *f)
{
    return listen_steps(sock, addr, options, backlog, fresh, f);
}

/* The constructors' first step: a stream socket of addr's family, as
 * BIO_socket makes it.  The fd, or -errno with f saying what BIO_socket
 * pushes (in its name), or what a NULL addr is. */
static int stream_socket_for(const BIO_ADDR *addr, struct bsock__fail *f)
{
    int fd;

    if (addr == NULL)
        return sock_args_failed(0, addr, f);
    if ((fd = bsock__socket_steps(addr->sa.sa_family, SOCK_STREAM, 0, f)) < 0)
        f->func = "BIO_socket";
    return fd;
}

int biosock_rs_connect_new(const BIO_ADDR *addr, int options, int *sock,
                           struct bsock__fail *f)
{
    int fd = stream_socket_for(addr, f), err;

    *sock = BSOCK_INVALID_FD;
    if (fd < 0)
        return fd;
    if ((err = connect_steps(fd, addr, options, 1, f)) != 0
        && !BIO_sock_non_fatal_error(-err)) {
        bsock__close_keep_errno(fd);
        return err;
    }
    *sock = fd;
    return err;
}

int biosock_rs_listen_new(const BIO_ADDR *addr, int options, int backlog,
                          struct bsock__fail *f)
{
    int fd = stream_socket_for(addr, f), err;

    if (fd >= 0
        && (err = listen_steps(fd, addr, options, backlog, 1, f)) != 0) {
        bsock__close_keep_errno(fd);
        return err;
    }
    return fd;
}

int biosock_rs_accept(int sock, BIO_ADDR *peer, int options,
                      struct bsock__fail *f)
{
    socklen_t len = BSOCK_ADDR_CAP;
    int fd;

    if (options_bad(options)) {
        bsock__set_errno(BSOCK_EINVAL);
        return bsock__failed(f, NULL, ERR_R_PASSED_INVALID_ARGUMENT,
                             -BSOCK_EINVAL);
    }
    fd = bsock__sys_accept(sock, &peer->sa, &len,
                           (options & BIO_SOCK_NONBLOCK) != 0);
    if (fd < 0) {
        if (BIO_sock_non_fatal_error(-fd))
            return bsock__failed(f, NULL, 0, fd);
        return bsock__failed(f, BSOCK_CALLING("accept"), BIO_R_ACCEPT_ERROR,
                             fd);
    }
    bsock__addr_from_kernel(peer, len);
    return fd;
}

int biosock_rs_sock_name(int sock, BIO_ADDR *addr, struct bsock__fail *f)
{
    return sock_name_steps(sock, addr, f);
}

int biosock_rs_nbio(int sock, int on, struct bsock__fail *f)
{
    return set_nbio(sock, on, f);
}
