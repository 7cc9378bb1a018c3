/*
 * bio_dgram.c - BIO_s_datagram: a BIO over a UDP (or any datagram) socket,
 * as OpenSSL's bss_dgram.c.  A write sends one datagram to the peer
 * (BIO_dgram_set_peer(), or the connected one), a read receives one and,
 * unless the socket is connected, makes its sender the peer.  BIO_sendmmsg()
 * and BIO_recvmmsg() move batches of BIO_MSGs, each with its own peer and,
 * once BIO_dgram_set_local_addr_enable() is on, its local address.  The
 * controls are OpenSSL's: peer, MTU (cached, queried, fallback, overhead),
 * timeouts and their expiry, peek mode, capabilities.  Not here: SCTP, and
 * BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT (DTLS's retransmission timer, which only
 * libssl sets; 0 here, as for any control the BIO does not know).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4 in sys.h */
#endif
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "biosock.h"
#include "bio_local.h"
#include "internal.h"
#include "sys.h"

struct dgram {
    BIO_ADDR peer;
    BIO_ADDR local; /* getsockname() at BIO_set_fd(): family, bound port */
    int connected;
    int last_error; /* of the last read or write that would block */
    long mtu;
    unsigned int peek;
    int local_enabled;
};

static int dgram_create(BIO *b)
{
    struct dgram *d = calloc(1, sizeof(*d));

    if (d == NULL)
        return 0;
    BIO_ADDR_clear(&d->peer);
    BIO_ADDR_clear(&d->local);
    b->ptr = d;
    b->init = 0;
    b->num = 0;
    b->flags = 0;
    return 1;
}

int BIO_dgram_non_fatal_error(int err)
{
    switch (err) {
    case EWOULDBLOCK:
        BSOCK_EAGAIN_CASE
    case EINTR:
    case EPROTO:
    case EINPROGRESS:
    case EALREADY:
        BSOCK_SYS_DGRAM_NON_FATAL_CASES
        return 1;
    default:
        return 0;
    }
}

/* A read's or write's result n (a count or -errno) as OpenSSL's datagram
 * BIO gives it: -1 with errno set on failure, the retry flags set (and the
 * error kept for the timer controls) when it would block. */
static int dgram_result(BIO *b, int n, int is_read)
{
    struct dgram *d = b->ptr;
    int err = 0;

    if (n < 0) {
        err = -n;
        bsock__set_errno(err);
        n = -1;
    }
    BIO_clear_retry_flags(b);
    /* Better: a timeout (BIO_CTRL_DGRAM_SET_RECV_TIMEOUT) is retryable on
     * Windows too, where it is WSAETIMEDOUT, not EAGAIN, and OpenSSL's
     * BIO_dgram_recv_timedout() never sees it. */
    if (n <= 0 && (BIO_dgram_non_fatal_error(err) || err == BSOCK_ETIMEDOUT)) {
        if (is_read)
            BIO_set_retry_read(b);
        else
            BIO_set_retry_write(b);
        d->last_error = err;
    }
    return n;
}

/* OpenSSL's BIO_ADDR_make() of the peer: an IPv4, IPv6 or Unix address is
 * copied, any other leaves the peer as it was.  1 when copied. */
static int peer_make(BIO_ADDR *peer, const BIO_ADDR *from)
{
    int family = from->sa.sa_family;

    if (family != AF_INET && family != AF_INET6 && family != AF_UNIX)
        return 0;
    memcpy(peer, from, sizeof(*peer));
    return 1;
}

static int dgram_read(BIO *b, char *out, int len)
{
    struct dgram *d = b->ptr;
    BIO_ADDR from;
    int n;

    if (out == NULL)
        return 0;
    bsock__set_errno(0);
    BIO_ADDR_clear(&from);
    n = bsock__sys_recvfrom(b->num, out, len, d->peek != 0, &from);
    if (n >= 0 && !d->connected)
        (void)peer_make(&d->peer, &from);
    return dgram_result(b, n, 1);
}

static int dgram_write(BIO *b, const char *in, int len)
{
    struct dgram *d = b->ptr;
    int n;

    bsock__set_errno(0);
    if (d->connected)
        n = bsock__sys_write(b->num, in, len, 0);
    else
        n = bsock__sys_sendto(b->num, in, len, &d->peer.sa,
                              bsock__addr_len(&d->peer));
    return dgram_result(b, n, 0);
}

static int dgram_puts(BIO *b, const char *str)
{
    return bsock__bio_puts_via(b, str, dgram_write);
}

/* The IP and UDP headers in front of the payload: 28 bytes for IPv4 (and
 * IPv4-mapped IPv6), 48 for IPv6, 28 when the family is unknown. */
static long mtu_overhead(const BIO_ADDR *a)
{
    if (a->sa.sa_family == AF_INET6
        && !IN6_IS_ADDR_V4MAPPED(&a->s_in6.sin6_addr))
        return 48;
    return 28;
}

/* The smallest MTU a path must carry (576 for IPv4, 1280 for IPv6), less
 * the headers. */
static long fallback_mtu(const BIO_ADDR *a)
{
    long floor = a->sa.sa_family == AF_INET6
                         && !IN6_IS_ADDR_V4MAPPED(&a->s_in6.sin6_addr)
                     ? 1280
                     : 576;

    return floor - mtu_overhead(a);
}

/* Copy an address out as OpenSSL's BIO_dgram_get_peer(): num bytes of it
 * (all of its sockaddr when num is 0 or more than that); the count. */
static long copy_addr(void *out, long num, const BIO_ADDR *a)
{
    long size = a->sa.sa_family == AF_UNSPEC ? (long)sizeof(*a)
                                             : (long)bsock__addr_len(a);

    if (num == 0 || num > size)
        num = size;
    memcpy(out, a, (size_t)num);
    return num;
}

/* The family the socket was bound or connected with. */
static int family_of(const BIO *b)
{
    return ((const struct dgram *)b->ptr)->local.sa.sa_family;
}

static void learn_fd(BIO *b)
{
    struct dgram *d = b->ptr;
    BIO_ADDR ss;
    socklen_t len = (socklen_t)sizeof(d->local);

    BIO_ADDR_clear(&d->local); /* AF_UNSPEC when getsockname() fails */
    if (getsockname(b->num, &d->local.sa, &len) == 0)
        bsock__addr_from_kernel(&d->local, len);
    len = (socklen_t)sizeof(ss);
    BIO_ADDR_clear(&ss);
    if (getpeername(b->num, &ss.sa, &len) == 0) {
        bsock__addr_from_kernel(&ss, len);
        (void)peer_make(&d->peer, &ss);
        d->connected = 1;
    }
    if (d->local_enabled
        && bsock__sys_want_local(b->num, family_of(b), 1) != 0)
        d->local_enabled = 0;
}

/* A socket option's failure, as OpenSSL's datagram BIO raises it: SYS with
 * "calling setsockopt()" (or getsockopt()); -1. */
#define DGRAM_SYS_FAIL(err, call)                                             \
    (BSOCK_RAISE_SYS_IN("dgram_ctrl", -(err), call), -1L)

static long timeout_ctrl(BIO *b, int opt, int set, void *ptr)
{
    int err;

    if (ptr == NULL) { /* better: OpenSSL hands it to the kernel */
        BSOCK_RAISE_IN("dgram_ctrl", ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER,
                       NULL);
        return -1;
    }
    if (set)
        return (err = bsock__sys_set_timeval(b->num, opt, ptr)) != 0
                   ? DGRAM_SYS_FAIL(err, "setsockopt")
                   : 0;
    return (err = bsock__sys_get_timeval(b->num, opt, ptr)) != 0
               ? DGRAM_SYS_FAIL(err, "getsockopt")
               : (long)sizeof(struct timeval);
}

/* BIO_CTRL_DGRAM_MTU_DISCOVER and _SET_DONT_FRAG: OpenSSL's results, 0
 * when set (setsockopt's own 0), -1 when it failed (with an entry) or the
 * platform has no such option (without). */
static long ip_opt_ctrl(int err, int have)
{
    if (!have || err == -BSOCK_ENOPROTOOPT)
        return -1;
    return err != 0 ? DGRAM_SYS_FAIL(err, "setsockopt") : 0;
}

static long peer_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    struct dgram *d = b->ptr;

    if (ptr == NULL && cmd != BIO_CTRL_DGRAM_SET_CONNECTED) {
        /* better: OpenSSL reads or writes through it */
        BSOCK_RAISE_IN("dgram_ctrl", ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER,
                       NULL);
        return 0;
    }
    switch (cmd) {
    case BIO_CTRL_DGRAM_SET_CONNECTED:
        if (ptr == NULL) {
            d->connected = 0;
            BIO_ADDR_clear(&d->peer);
        } else {
            d->connected = 1;
            (void)peer_make(&d->peer, ptr);
        }
        return 1;
    case BIO_CTRL_DGRAM_GET_PEER:
        return copy_addr(ptr, num, &d->peer);
    case BIO_CTRL_DGRAM_DETECT_PEER_ADDR: {
        BIO_ADDR a;
        socklen_t len = (socklen_t)sizeof(a);

        if (d->peer.sa.sa_family != AF_UNSPEC)
            return copy_addr(ptr, num, &d->peer);
        BIO_ADDR_clear(&a);
        if (getpeername(b->num, &a.sa, &len) != 0
            || a.sa.sa_family == AF_UNSPEC)
            return 0;
        bsock__addr_from_kernel(&a, len);
        return copy_addr(ptr, num, &a);
    }
    default: /* BIO_CTRL_DGRAM_CONNECT, _SET_PEER */
        (void)peer_make(&d->peer, ptr);
        return 1;
    }
}

static long mtu_ctrl(BIO *b, int cmd, long num)
{
    struct dgram *d = b->ptr;
    int mtu;

    switch (cmd) {
    case BIO_CTRL_DGRAM_MTU_DISCOVER:
        return ip_opt_ctrl(bsock__sys_mtu_discover(b->num, family_of(b)),
                           BSOCK_HAS_PATH_MTU);
    case BIO_CTRL_DGRAM_QUERY_MTU:
        if ((mtu = bsock__sys_path_mtu(b->num, family_of(b))) <= 0)
            return 0;
        d->mtu = mtu - mtu_overhead(&d->local);
        return d->mtu;
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
        return fallback_mtu(&d->peer);
    case BIO_CTRL_DGRAM_GET_MTU:
        return d->mtu;
    case BIO_CTRL_DGRAM_SET_MTU:
        return d->mtu = num;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
        return mtu_overhead(&d->peer);
    case BIO_CTRL_DGRAM_MTU_EXCEEDED:
        if (d->last_error != BSOCK_EMSGSIZE)
            return 0;
        d->last_error = 0;
        return 1;
    default: /* BIO_CTRL_DGRAM_SET_DONT_FRAG: by the peer's family */
        return ip_opt_ctrl(
            bsock__sys_dont_frag(b->num, d->peer.sa.sa_family, num != 0),
            BSOCK_HAS_DONT_FRAG);
    }
}

static long dgram_ctrl_of(BIO *b, int cmd, long num, void *ptr)
{
    struct dgram *d = b->ptr;

    switch (cmd) {
    case BIO_C_SET_FD:
        if (!bsock__bio_fd_set(b, num, ptr))
            return 0;
        learn_fd(b);
        return 1;
    case BIO_CTRL_RESET:
    case BIO_CTRL_INFO:
        return 0;
    case BIO_C_SET_NBIO:
        return BIO_socket_nbio(b->num, num != 0) ? 1 : 0;
    case BIO_CTRL_DGRAM_CONNECT:
    case BIO_CTRL_DGRAM_SET_CONNECTED:
    case BIO_CTRL_DGRAM_GET_PEER:
    case BIO_CTRL_DGRAM_SET_PEER:
    case BIO_CTRL_DGRAM_DETECT_PEER_ADDR:
        return peer_ctrl(b, cmd, num, ptr);
    case BIO_CTRL_DGRAM_MTU_DISCOVER:
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
    case BIO_CTRL_DGRAM_GET_MTU:
    case BIO_CTRL_DGRAM_SET_MTU:
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
    case BIO_CTRL_DGRAM_MTU_EXCEEDED:
    case BIO_CTRL_DGRAM_SET_DONT_FRAG:
        return mtu_ctrl(b, cmd, num);
    case BIO_CTRL_DGRAM_SET_RECV_TIMEOUT:
    case BIO_CTRL_DGRAM_GET_RECV_TIMEOUT:
        return timeout_ctrl(b, SO_RCVTIMEO,
                            cmd == BIO_CTRL_DGRAM_SET_RECV_TIMEOUT, ptr);
    case BIO_CTRL_DGRAM_SET_SEND_TIMEOUT:
    case BIO_CTRL_DGRAM_GET_SEND_TIMEOUT:
        return timeout_ctrl(b, SO_SNDTIMEO,
                            cmd == BIO_CTRL_DGRAM_SET_SEND_TIMEOUT, ptr);
    case BIO_CTRL_DGRAM_GET_RECV_TIMER_EXP:
    case BIO_CTRL_DGRAM_GET_SEND_TIMER_EXP:
        /* a timeout shows as EAGAIN (WSAETIMEDOUT on Windows) */
        if (d->last_error != EAGAIN && d->last_error != BSOCK_ETIMEDOUT)
            return 0;
        d->last_error = 0;
        return 1;
    case BIO_CTRL_DGRAM_SCTP_SET_IN_HANDSHAKE: /* the old value of ... */
    case BIO_CTRL_DGRAM_SET_PEEK_MODE:
        d->peek = (unsigned int)num;
        return 1;
    case BIO_CTRL_DGRAM_GET_LOCAL_ADDR_CAP:
        return BSOCK_HAS_PKTINFO;
    case BIO_CTRL_DGRAM_SET_LOCAL_ADDR_ENABLE:
        num = num > 0;
        if (num != d->local_enabled) {
            if (!BSOCK_HAS_PKTINFO
                || bsock__sys_want_local(b->num, family_of(b), (int)num) != 0)
                return 0;
            d->local_enabled = (int)num;
        }
        return 1;
    case BIO_CTRL_DGRAM_GET_LOCAL_ADDR_ENABLE:
        if (ptr == NULL) /* better: OpenSSL writes through it */
            return 0;
        *(int *)ptr = d->local_enabled;
        return 1;
    case BIO_CTRL_DGRAM_GET_EFFECTIVE_CAPS:
        return (long)(BIO_DGRAM_CAP_HANDLES_DST_ADDR
                      | BIO_DGRAM_CAP_HANDLES_SRC_ADDR
                      | BIO_DGRAM_CAP_PROVIDES_DST_ADDR
                      | BIO_DGRAM_CAP_PROVIDES_SRC_ADDR);
    case BIO_CTRL_GET_RPOLL_DESCRIPTOR:
    case BIO_CTRL_GET_WPOLL_DESCRIPTOR: {
        BIO_POLL_DESCRIPTOR *pd = ptr;

        if (pd == NULL) /* better: OpenSSL writes through it */
            return 0;
        pd->type = BIO_POLL_DESCRIPTOR_TYPE_SOCK_FD;
        pd->value.fd = b->num;
        return 1;
    }
    default: /* the fd, the close flag, pending, flush, dup */
        return bsock__bio_fd_ctrl(b, cmd, num, ptr);
    }
}

/* Every negative result is -1, as OpenSSL's (BIO_dgram_set_mtu(b, -5)
 * included). */
static long dgram_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    long ret = dgram_ctrl_of(b, cmd, num, ptr);

    return ret < 0 ? -1 : ret;
}

/* The local address of a message to send: IPv4 or IPv6 as the socket, and
 * on the port it is bound to (0: that one), as OpenSSL's pack_local; else
 * BIO_R_PORT_MISMATCH.  1, or 0 with the entry pushed. */
static int local_ok(const struct dgram *d, const BIO_ADDR *local)
{
    int family = d->local.sa.sa_family;

    if (family == AF_INET && local->s_in.sin_port != 0
        && local->s_in.sin_port != d->local.s_in.sin_port)
        goto mismatch;
    if (family == AF_INET6
        && ((local->s_in6.sin6_port != 0
             && local->s_in6.sin6_port != d->local.s_in6.sin6_port)
            || (local->s_in6.sin6_scope_id != 0
                && local->s_in6.sin6_scope_id
                       != d->local.s_in6.sin6_scope_id)))
        goto mismatch;
    return 1;
mismatch:
    BSOCK_RAISE_IN("pack_local", ERR_LIB_BIO, BIO_R_PORT_MISMATCH, NULL);
    return 0;
}

/* A received message's local address takes the bound port (and IPv6 scope)
 * of the socket; none (AF_UNSPEC) when the kernel gave none. */
static void local_finish(const struct dgram *d, BIO_ADDR *local)
{
    if (local->sa.sa_family == AF_INET)
        local->s_in.sin_port = d->local.s_in.sin_port;
    else if (local->sa.sa_family == AF_INET6) {
        local->s_in6.sin6_port = d->local.s_in6.sin6_port;
        local->s_in6.sin6_scope_id = d->local.s_in6.sin6_scope_id;
    } else
        BIO_ADDR_clear(local);
}

/* One batch of up to BSOCK_DGRAMS_PER_CALL messages each way, as
 * OpenSSL's: the caller comes back for the rest. */
static int dgram_batch(BIO *b, BIO_MSG *msg, size_t stride, size_t num_msg,
                       size_t *processed, int send)
{
    const char *func = send ? "dgram_sendmmsg" : "dgram_recvmmsg";
    struct dgram *d = b->ptr;
    struct bsock__dgram dg[BSOCK_DGRAMS_PER_CALL];
    size_t n =
        num_msg < BSOCK_DGRAMS_PER_CALL ? num_msg : BSOCK_DGRAMS_PER_CALL;
    int done;

    *processed = 0;
    if (num_msg == 0)
        return 1;
    for (size_t i = 0; i < n; i++) {
        BIO_MSG *m = &BSOCK_BIO_MSG_N(msg, stride, i);

        dg[i].data = m->data;
        dg[i].len = m->data_len;
        dg[i].peer = d->connected ? NULL : m->peer;
        dg[i].local = m->local;
        if (m->local == NULL)
            continue;
        if (!d->local_enabled || (send && !local_ok(d, m->local))) {
            BSOCK_RAISE_IN(func, ERR_LIB_BIO, BIO_R_LOCAL_ADDR_NOT_AVAILABLE,
                           NULL);
            return 0;
        }
    }
    done = send ? bsock__sys_send_dgrams(b->num, family_of(b), dg, n)
                : bsock__sys_recv_dgrams(b->num, family_of(b), dg, n);
    if (done < 0) {
        BSOCK_RAISE_IN(func, ERR_LIB_SYS, -done, NULL);
        return 0;
    }
    for (int i = 0; i < done; i++) {
        BIO_MSG *m = &BSOCK_BIO_MSG_N(msg, stride, i);

        m->data_len = dg[i].len;
        m->flags = 0;
        if (!send && m->local != NULL)
            local_finish(d, m->local);
    }
    *processed = (size_t)done;
    return 1;
}

static int dgram_sendmmsg(BIO *b, BIO_MSG *msg, size_t stride, size_t num_msg,
                          uint64_t flags, size_t *processed)
{
    (void)flags; /* none is defined */
    return dgram_batch(b, msg, stride, num_msg, processed, 1);
}

static int dgram_recvmmsg(BIO *b, BIO_MSG *msg, size_t stride, size_t num_msg,
                          uint64_t flags, size_t *processed)
{
    (void)flags;
    return dgram_batch(b, msg, stride, num_msg, processed, 0);
}

static const BIO_METHOD dgram_method = {
    BIO_TYPE_DGRAM, "datagram socket", dgram_write,
    dgram_read,     dgram_puts,        NULL,
    dgram_ctrl,     dgram_create,      bsock__bio_fd_destroy,
    NULL,           dgram_sendmmsg,    dgram_recvmmsg};

const BIO_METHOD *BIO_s_datagram(void)
{
    return &dgram_method;
}

BIO *BIO_new_dgram(int fd, int close_flag)
{
    return bsock__bio_new_fd(&dgram_method, fd, close_flag);
}
