/*
 * bio_conn.c - BIO_s_connect: a BIO that resolves host and service, makes
 * the socket and connects on its first use (or BIO_do_connect()), trying
 * each address in turn, then reads and writes as BIO_s_socket does
 * (OpenSSL's bss_conn.c, 4.0's where the versions differ).  The steps are
 * biosock's own BIO_lookup, BIO_socket and BIO_connect, so the socket is
 * close-on-exec and the entries are theirs plus the ones OpenSSL's state
 * machine adds (function "conn_state", data "calling connect(host,
 * service)").
 *
 * Better than OpenSSL: a non-blocking connect still in progress returns 0
 * with BIO_should_retry() (retry reason BIO_RR_CONNECT), as the call that
 * started it did, instead of spinning in BIO_do_connect() until the kernel
 * decides.
 *
 * 3.2's datagram mode: after BIO_set_sock_type(b, SOCK_DGRAM), the socket
 * is a connected UDP one and, once connected, the I/O goes through a
 * datagram BIO over it (BIO_get0_dgram_bio()), BIO_sendmmsg() and
 * BIO_recvmmsg() included.  Better: that BIO goes when the socket does
 * (BIO_reset()), where OpenSSL's keeps it, leaks it at the next
 * connect, and leaves it on a closed fd.  Not here: kTLS.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4 in sys.h */
#endif
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "biosock.h"
#include "bio_local.h"
#include "internal.h"
#include "sys.h"

/* OpenSSL's states (BIO_CONN_S_*), in its order. */
enum {
    CONN_BEFORE = 1,
    CONN_GET_ADDR,
    CONN_CREATE_SOCKET,
    CONN_CONNECT,
    CONN_OK,
    CONN_BLOCKED_CONNECT,
    CONN_CONNECT_ERROR
};

struct conn {
    int state, family, sock_type, mode, tfo_first;
    char *host, *service;
    BIO_ADDRINFO *first;
    const BIO_ADDRINFO *iter;
    BIO_info_cb *info_cb;
    BIO *dgram; /* SOCK_DGRAM, once connected: the I/O goes through it */
};

#define RAISE_DATA(...) BSOCK_BIO_RAISE_DATA("conn_state", __VA_ARGS__)
#define shown bsock__bio_shown

static int conn_create(BIO *b)
{
    struct conn *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return 0;
    c->state = CONN_BEFORE;
    c->family = BIO_FAMILY_IPANY;
    c->sock_type = SOCK_STREAM;
    b->init = 0;
    b->num = -1;
    b->flags = 0;
    b->ptr = c;
    return 1;
}

static void close_socket(BIO *b)
{
    struct conn *c = b->ptr;

    BIO_free(c->dgram);
    c->dgram = NULL;
    if (b->num != -1) {
        if (c->state == CONN_OK) /* shut down only what was established */
            shutdown(b->num, 2);
        BIO_closesocket(b->num);
        b->num = -1;
    }
}

/* Connected: CONN_OK, and for SOCK_DGRAM the datagram BIO over the socket
 * (without it, CONN_CONNECT_ERROR).  1 to go on. */
static int now_connected(BIO *b, struct conn *c)
{
    c->state = CONN_OK;
    if (c->sock_type == SOCK_DGRAM
        && (c->dgram = BIO_new_dgram(b->num, BIO_NOCLOSE)) == NULL)
        c->state = CONN_CONNECT_ERROR;
    return 1;
}

static int conn_destroy(BIO *b)
{
    struct conn *c = b->ptr;

    if (b->shutdown) {
        close_socket(b);
        free(c->host);
        free(c->service);
        BIO_ADDRINFO_free(c->first);
        free(c);
        b->ptr = NULL;
        b->flags = 0;
        b->init = 0;
    }
    return 1;
}

/* The next address after a failed one, its socket closed: 1, or 0 when it
 * was the last. */
static int next_address(BIO *b, struct conn *c)
{
    if ((c->iter = BIO_ADDRINFO_next(c->iter)) == NULL)
        return 0;
    BIO_closesocket(b->num);
    c->state = CONN_CREATE_SOCKET;
    return 1;
}

static int lookup(struct conn *c)
{
    if (!bsock__bio_lookup(c->family, c->host, c->service, BIO_LOOKUP_CLIENT,
                           c->sock_type, &c->first, "conn_state"))
        return 0;
    c->iter = c->first;
    return 1;
}

/* One step of the state machine: 1 to go on, or the result to return. */
static int step(BIO *b, struct conn *c, int *ret)
{
    int err;

    switch (c->state) {
    case CONN_BEFORE:
        if (c->host == NULL && c->service == NULL) {
            RAISE_DATA(ERR_LIB_BIO, BIO_R_NO_HOSTNAME_OR_SERVICE_SPECIFIED,
                       "hostname=%s service=%s", shown(c->host),
                       shown(c->service));
            return 0;
        }
        c->state = CONN_GET_ADDR;
        return 1;
    case CONN_GET_ADDR:
        if (!lookup(c))
            return 0;
        c->state = CONN_CREATE_SOCKET;
        return 1;
    case CONN_CREATE_SOCKET:
        *ret = BIO_socket(BIO_ADDRINFO_family(c->iter),
                          BIO_ADDRINFO_socktype(c->iter),
                          BIO_ADDRINFO_protocol(c->iter), 0);
        if (*ret == (int)INVALID_SOCKET) {
            RAISE_DATA(ERR_LIB_SYS, bsock__errno(), "calling socket(%s, %s)",
                       shown(c->host), shown(c->service));
            RAISE_DATA(ERR_LIB_BIO, BIO_R_UNABLE_TO_CREATE_SOCKET, NULL);
            return 0;
        }
        b->num = *ret;
        c->state = CONN_CONNECT;
        return 1;
    case CONN_CONNECT: {
        int opts = c->mode;

        BIO_clear_retry_flags(b);
        ERR_set_mark();
        if (BIO_ADDRINFO_socktype(c->iter) == SOCK_STREAM)
            opts |= BIO_SOCK_KEEPALIVE;
        *ret = BIO_connect(b->num, BIO_ADDRINFO_address(c->iter), opts);
        b->retry_reason = 0;
        if (*ret != 0) {
            ERR_clear_last_mark();
            return now_connected(b, c);
        }
        if (BIO_sock_should_retry(*ret)) {
            BIO_set_retry_special(b);
            c->state = CONN_BLOCKED_CONNECT;
            b->retry_reason = BIO_RR_CONNECT;
            ERR_pop_to_mark();
            return 0;
        }
        if (next_address(b, c)) {
            ERR_pop_to_mark();
            return 1;
        }
        ERR_clear_last_mark();
        RAISE_DATA(ERR_LIB_SYS, bsock__errno(), "calling connect(%s, %s)",
                   shown(c->host), shown(c->service));
        c->state = CONN_CONNECT_ERROR;
        return 1;
    }
    case CONN_BLOCKED_CONNECT:
        /* Not writable yet: still in progress, ask for a retry, as the
         * connect that started it did (0). */
        if (BIO_socket_wait(b->num, 0, time(NULL)) == 0) {
            BIO_set_retry_special(b);
            b->retry_reason = BIO_RR_CONNECT;
            *ret = 0;
            return 0;
        }
        if ((err = BIO_sock_error(b->num)) != 0) {
            BIO_clear_retry_flags(b);
            if (next_address(b, c))
                return 1;
            RAISE_DATA(ERR_LIB_SYS, err, "calling connect(%s, %s)",
                       shown(c->host), shown(c->service));
            RAISE_DATA(ERR_LIB_BIO, BIO_R_NBIO_CONNECT_ERROR, NULL);
            *ret = 0;
            return 0;
        }
        return now_connected(b, c);
    case CONN_CONNECT_ERROR:
        RAISE_DATA(ERR_LIB_BIO, BIO_R_CONNECT_ERROR, NULL);
        *ret = 0;
        return 0;
    case CONN_OK:
        *ret = 1;
        return 0;
    default:
        return 0;
    }
}

/* Run the state machine to its end, calling the info callback after each
 * step and at the end, as OpenSSL's conn_state. */
static int conn_state(BIO *b, struct conn *c)
{
    BIO_info_cb *cb = c->info_cb;
    int ret = -1;

    while (step(b, c, &ret))
        if (cb != NULL && (ret = cb(b, c->state, ret)) == 0)
            return ret;
    return cb != NULL ? cb(b, c->state, ret) : ret;
}

/* Connected, or the state machine's result (<= 0). */
static int connected(BIO *b, struct conn *c)
{
    return c->state == CONN_OK ? 1 : conn_state(b, c);
}

/* The datagram BIO's result, its retry flags copied to b. */
static int via_dgram(BIO *b, int n)
{
    struct conn *c = b->ptr;

    BIO_clear_retry_flags(b);
    BIO_set_flags(b, BIO_get_retry_flags(c->dgram));
    return n;
}

static int conn_read(BIO *b, char *out, int len)
{
    struct conn *c = b->ptr;
    int n = connected(b, c);

    if (n <= 0)
        return n;
    if (c->dgram != NULL)
        return via_dgram(b, BIO_read(c->dgram, out, len));
    return out != NULL && len > 0 ? bsock__bio_fd_read(b, out, len) : 0;
}

static int conn_write(BIO *b, const char *in, int len)
{
    struct conn *c = b->ptr;
    int n = connected(b, c);

    if (n <= 0)
        return n;
    if (c->dgram != NULL)
        return via_dgram(b, BIO_write(c->dgram, in, len));
    bsock__set_errno(0);
    if (!BSOCK_TFO_CONNECTS && c->tfo_first) { /* the first write connects */
        const BIO_ADDR *to = BIO_ADDRINFO_address(c->iter);

        c->tfo_first = 0;
        return bsock__bio_fd_wrote(
            b, bsock__sys_sendto(b->num, in, len, BIO_ADDR_sockaddr(to),
                                 BIO_ADDR_sockaddr_size(to)));
    }
    return bsock__bio_fd_wrote(b, bsock__sys_write(b->num, in, len, 0));
}

static int conn_puts(BIO *b, const char *str)
{
    return bsock__bio_puts_via(b, str, conn_write);
}

/* One line, a byte at a time (nothing past the newline is taken from the
 * socket), as OpenSSL's conn_gets. */
static int conn_gets(BIO *b, char *buf, int size)
{
    struct conn *c = b->ptr;
    char *p = buf;
    int n = 0;

    if (buf == NULL) {
        BSOCK_RAISE_IN("conn_gets", ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER,
                       NULL);
        return -1;
    }
    if (size <= 0) {
        BSOCK_RAISE_IN("conn_gets", ERR_LIB_BIO, BIO_R_INVALID_ARGUMENT, NULL);
        return -1;
    }
    *buf = '\0';
    if ((n = connected(b, c)) <= 0)
        return n;
    if (c->dgram != NULL) { /* a datagram has no lines */
        BSOCK_RAISE_IN("conn_gets", ERR_LIB_BIO,
                       ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED, NULL);
        return -1;
    }
    b->flags &= ~BIO_FLAGS_IN_EOF;
    while (size-- > 1) {
        if ((n = bsock__bio_fd_read(b, p, 1)) <= 0)
            break;
        if (*p++ == '\n')
            break;
    }
    *p = '\0';
    return n > 0 || (b->flags & BIO_FLAGS_IN_EOF) ? (int)(p - buf) : n;
}

/* BIO_C_GET_CONNECT: num 0 host, 1 service, 2 the address, 3 its family,
 * 4 the mode; all only with ptr (OpenSSL's: BIO_get_conn_ip_family() and
 * BIO_get_conn_mode() pass none, and get 0). */
static long get_connect(struct conn *c, long num, void *ptr)
{
    const char **p = ptr;

    if (ptr == NULL)
        return 0;
    switch (num) {
    case 0:
        *p = c->host;
        return 1;
    case 1:
        *p = c->service;
        return 1;
    case 2:
        *p = (const char *)BIO_ADDRINFO_address(c->iter);
        return 1;
    case 3:
        switch (BIO_ADDRINFO_family(c->iter)) {
        case AF_INET6:
            return BIO_FAMILY_IPV6;
        case AF_INET:
            return BIO_FAMILY_IPV4;
        case 0:
            return c->family;
        default:
            return -1;
        }
    case 4:
        return c->mode;
    default:
        return 0;
    }
}

/* Replace *field with a copy of text: 1, or 0 (the old one kept). */
static int set_text(char **field, const char *text)
{
    char *copy = OPENSSL_strdup(text);

    if (copy == NULL)
        return 0;
    free(*field);
    *field = copy;
    return 1;
}

static long set_connect(BIO *b, struct conn *c, long num, void *ptr)
{
    if (ptr == NULL)
        return 1;
    b->init = 1;
    switch (num) {
    case 0: { /* host, or host:service */
        char *held = c->service;
        int ret;

        free(c->host);
        c->host = NULL;
        ret = BIO_parse_hostserv(ptr, &c->host, &c->service,
                                 BIO_PARSE_PRIO_HOST);
        if (held != c->service)
            free(held);
        return ret;
    }
    case 1:
        return set_text(&c->service, ptr);
    case 2: {
        char *host = BIO_ADDR_hostname_string(ptr, 1);
        char *service = BIO_ADDR_service_string(ptr, 1);

        if (host == NULL || service == NULL) {
            free(host);
            free(service);
            return 0;
        }
        free(c->host);
        c->host = host;
        free(c->service);
        c->service = service;
        BIO_ADDRINFO_free(c->first);
        c->first = NULL;
        c->iter = NULL;
        return 1;
    }
    case 3:
        c->family = *(int *)ptr;
        return 1;
    default:
        return 0;
    }
}

static long conn_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    struct conn *c = b->ptr;

    switch (cmd) {
    case BIO_CTRL_RESET:
        c->state = CONN_BEFORE;
        close_socket(b);
        BIO_ADDRINFO_free(c->first);
        c->first = NULL;
        c->iter = NULL;
        b->flags = 0;
        return 0;
    case BIO_C_DO_STATE_MACHINE:
        return connected(b, c);
    case BIO_C_GET_CONNECT:
        return get_connect(c, num, ptr);
    case BIO_C_SET_CONNECT:
        return set_connect(b, c, num, ptr);
    case BIO_C_SET_SOCK_TYPE:
        if ((num != SOCK_STREAM && num != SOCK_DGRAM)
            || c->state >= CONN_GET_ADDR)
            return 0;
        c->sock_type = (int)num;
        return 1;
    case BIO_C_GET_SOCK_TYPE:
        return c->sock_type;
    case BIO_C_GET_DGRAM_BIO:
        if (c->dgram == NULL || ptr == NULL)
            return 0;
        *(BIO **)ptr = c->dgram;
        return 1;
    case BIO_CTRL_GET_RPOLL_DESCRIPTOR:
    case BIO_CTRL_GET_WPOLL_DESCRIPTOR: {
        BIO_POLL_DESCRIPTOR *pd = ptr;

        if (c->state != CONN_OK)
            conn_state(b, c); /* best effort, as OpenSSL */
        if (c->state < CONN_CREATE_SOCKET || pd == NULL)
            return 0;
        pd->type = BIO_POLL_DESCRIPTOR_TYPE_SOCK_FD;
        pd->value.fd = b->num;
        return 1;
    }
    case BIO_C_SET_NBIO:
        if (num != 0)
            c->mode |= BIO_SOCK_NONBLOCK;
        else
            c->mode &= ~BIO_SOCK_NONBLOCK;
        return c->dgram != NULL ? BIO_set_nbio(c->dgram, num) : 1;
    case BIO_C_SET_TFO:
        if (num != 0)
            c->mode |= BIO_SOCK_TFO;
        else
            c->mode &= ~BIO_SOCK_TFO;
        c->tfo_first = num != 0;
        return 1;
    case BIO_C_SET_CONNECT_MODE:
        c->mode = (int)num;
        c->tfo_first = (num & BIO_SOCK_TFO) != 0;
        return 1;
    case BIO_CTRL_DUP: {
        BIO *to = ptr;

        if (to == NULL)
            return 0;
        if (c->host != NULL)
            BIO_set_conn_hostname(to, c->host);
        if (c->service != NULL)
            BIO_set_conn_port(to, c->service);
        BIO_set_conn_ip_family(to, c->family);
        BIO_set_conn_mode(to, c->mode);
        BIO_callback_ctrl(to, BIO_CTRL_SET_CALLBACK, c->info_cb);
        return 1;
    }
    case BIO_CTRL_SET_CALLBACK:
        return 0; /* BIO_callback_ctrl() sets it */
    case BIO_CTRL_GET_CALLBACK:
        if (ptr == NULL)
            return 0;
        *(BIO_info_cb **)ptr = c->info_cb;
        return 1;
    case BIO_CTRL_EOF:
        return (b->flags & BIO_FLAGS_IN_EOF) != 0;
    default:
        return bsock__bio_fd_ctrl(b, cmd, num, ptr);
    }
}

static long conn_callback_ctrl(BIO *b, int cmd, BIO_info_cb *cb)
{
    struct conn *c = b->ptr;

    if (cmd != BIO_CTRL_SET_CALLBACK)
        return 0;
    c->info_cb = cb;
    return 1;
}

/* The batches, through the datagram BIO once connected. */
static int conn_batch(BIO *b, BIO_MSG *msg, size_t stride, size_t num_msg,
                      uint64_t flags, size_t *processed, int send)
{
    struct conn *c = b->ptr;

    *processed = 0;
    if (connected(b, c) <= 0)
        return 0;
    if (c->dgram == NULL) {
        BSOCK_RAISE_IN(send ? "conn_sendmmsg" : "conn_recvmmsg", ERR_LIB_BIO,
                       ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED, NULL);
        return 0;
    }
    return send
               ? BIO_sendmmsg(c->dgram, msg, stride, num_msg, flags, processed)
               : BIO_recvmmsg(c->dgram, msg, stride, num_msg, flags,
                              processed);
}

static int conn_sendmmsg(BIO *b, BIO_MSG *msg, size_t stride, size_t num_msg,
                         uint64_t flags, size_t *processed)
{
    return conn_batch(b, msg, stride, num_msg, flags, processed, 1);
}

static int conn_recvmmsg(BIO *b, BIO_MSG *msg, size_t stride, size_t num_msg,
                         uint64_t flags, size_t *processed)
{
    return conn_batch(b, msg, stride, num_msg, flags, processed, 0);
}

static const BIO_METHOD conn_method = {
    BIO_TYPE_CONNECT, "socket connect",   conn_write,    conn_read,
    conn_puts,        conn_gets,          conn_ctrl,     conn_create,
    conn_destroy,     conn_callback_ctrl, conn_sendmmsg, conn_recvmmsg};

const BIO_METHOD *BIO_s_connect(void)
{
    return &conn_method;
}

BIO *BIO_new_connect(const char *host_port)
{
    BIO *b = BIO_new(&conn_method);

    if (b == NULL)
        return NULL;
    if (BIO_set_conn_hostname(b, host_port))
        return b;
    BIO_free(b);
    return NULL;
}
