/*
 * bio_acpt.c - BIO_s_accept: a BIO that listens on a name or port, then
 * accepts a connection per BIO_do_accept() and pushes a socket BIO for it
 * after itself (OpenSSL's bss_acpt.c, 4.0's where the versions differ).
 * The steps are biosock's BIO_lookup, BIO_socket, BIO_listen, BIO_sock_info
 * and BIO_accept_ex, so the sockets are close-on-exec and the entries are
 * theirs plus the ones OpenSSL's state machine adds.  Reads and writes go
 * to the accepted connection (accepting one first if there is none).
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

/* OpenSSL's states (ACPT_S_*), in its order. */
enum {
    ACPT_BEFORE = 1,
    ACPT_GET_ADDR,
    ACPT_CREATE_SOCKET,
    ACPT_LISTEN,
    ACPT_ACCEPT,
    ACPT_OK
};

struct acpt {
    int state, family, sock, bind_mode, accepted_mode;
    char *addr, *serv;
    BIO_ADDRINFO *first;
    const BIO_ADDRINFO *iter;
    BIO_ADDR accepting, peer;
    /* What BIO_get_accept_name/_port and BIO_get_peer_name/_port give. */
    char *accepting_name, *accepting_serv, *peer_name, *peer_serv;
    BIO *chain; /* BIO_set_accept_bios(): duplicated before each socket */
};

#define RAISE_DATA(...) BSOCK_BIO_RAISE_DATA("acpt_state", __VA_ARGS__)
#define shown bsock__bio_shown

static void drop(char **text)
{
    free(*text);
    *text = NULL;
}

static int acpt_create(BIO *b)
{
    struct acpt *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return 0;
    c->state = ACPT_BEFORE;
    c->family = BIO_FAMILY_IPANY;
    c->sock = -1;
    b->init = 0;
    b->num = -1;
    b->flags = 0;
    b->shutdown = 1;
    b->ptr = c;
    return 1;
}

static void close_socket(BIO *b)
{
    struct acpt *c = b->ptr;

    if (c->sock != -1) {
        shutdown(c->sock, 2);
        bsock__sys_close(c->sock);
        c->sock = b->num = -1;
    }
}

static int acpt_destroy(BIO *b)
{
    struct acpt *c = b->ptr;

    if (b->shutdown) {
        close_socket(b);
        free(c->addr);
        free(c->serv);
        BIO_ADDRINFO_free(c->first);
        free(c->accepting_name);
        free(c->accepting_serv);
        free(c->peer_name);
        free(c->peer_serv);
        BIO_free(c->chain);
        free(c);
        b->ptr = NULL;
        b->flags = 0;
        b->init = 0;
    }
    return 1;
}

static int lookup(struct acpt *c)
{
    if (!bsock__bio_lookup(c->family, c->addr, c->serv, BIO_LOOKUP_SERVER,
                           SOCK_STREAM, &c->first, "acpt_state"))
        return 0;
    c->iter = c->first;
    return 1;
}

/* Listen on the socket made for the current address, and note where:
 * 1, or 0 (the socket closed). */
static int listen_here(BIO *b, struct acpt *c)
{
    union BIO_sock_info_u info;

    info.addr = &c->accepting;
    if (!BIO_listen(c->sock, BIO_ADDRINFO_address(c->iter), c->bind_mode)
        || !BIO_sock_info(c->sock, BIO_SOCK_INFO_ADDRESS, &info)) {
        BIO_closesocket(c->sock);
        c->sock = b->num = -1;
        return 0;
    }
    free(c->accepting_name);
    free(c->accepting_serv);
    c->accepting_name = BIO_ADDR_hostname_string(&c->accepting, 1);
    c->accepting_serv = BIO_ADDR_service_string(&c->accepting, 1);
    c->state = ACPT_ACCEPT;
    return 1;
}

/* Accept one connection and push a socket BIO for it (after a copy of the
 * accept BIOs, if any): 1, or the failure (<= 0; a retry asked for). */
static int accept_one(BIO *b, struct acpt *c)
{
    BIO *bio, *chain;
    int s;

    BIO_clear_retry_flags(b);
    b->retry_reason = 0;
    drop(&c->peer_name);
    drop(&c->peer_serv);
    s = BIO_accept_ex(c->sock, &c->peer, c->accepted_mode);
    if (s < 0) {
        if (BIO_sock_should_retry(s)) {
            BIO_set_retry_special(b);
            b->retry_reason = BIO_RR_ACCEPT;
        }
        return s;
    }
    if ((bio = BIO_new_socket(s, BIO_CLOSE)) == NULL) {
        BIO_closesocket(s);
        return -1;
    }
    if (c->chain != NULL) {
        if ((chain = BIO_dup_chain(c->chain)) == NULL) {
            BIO_free(bio);
            return -1;
        }
        bio = BIO_push(chain, bio);
    }
    BIO_push(b, bio);
    c->peer_name = BIO_ADDR_hostname_string(&c->peer, 1);
    c->peer_serv = BIO_ADDR_service_string(&c->peer, 1);
    c->state = ACPT_OK;
    return 1;
}

/* OpenSSL's acpt_state: the first call (or BIO_do_accept()) listens and
 * returns 1; each later one accepts a connection. */
static int acpt_state(BIO *b, struct acpt *c)
{
    for (;;) {
        switch (c->state) {
        case ACPT_BEFORE:
            if (c->addr == NULL && c->serv == NULL) {
                RAISE_DATA(
                    ERR_LIB_BIO, BIO_R_NO_ACCEPT_ADDR_OR_SERVICE_SPECIFIED,
                    "hostname=%s, service=%s", shown(c->addr), shown(c->serv));
                return -1;
            }
            drop(&c->accepting_name);
            drop(&c->accepting_serv);
            drop(&c->peer_name);
            drop(&c->peer_serv);
            c->state = ACPT_GET_ADDR;
            break;
        case ACPT_GET_ADDR:
            if (!lookup(c))
                return -1;
            c->state = ACPT_CREATE_SOCKET;
            break;
        case ACPT_CREATE_SOCKET: {
            int s;

            ERR_set_mark();
            s = BIO_socket(BIO_ADDRINFO_family(c->iter),
                           BIO_ADDRINFO_socktype(c->iter),
                           BIO_ADDRINFO_protocol(c->iter), 0);
            if (s == (int)INVALID_SOCKET) {
                if ((c->iter = BIO_ADDRINFO_next(c->iter)) != NULL) {
                    ERR_pop_to_mark();
                    break;
                }
                ERR_clear_last_mark();
                RAISE_DATA(ERR_LIB_SYS, bsock__errno(),
                           "calling socket(%s, %s)", shown(c->addr),
                           shown(c->serv));
                RAISE_DATA(ERR_LIB_BIO, BIO_R_UNABLE_TO_CREATE_SOCKET, NULL);
                return -1;
            }
            c->sock = b->num = s;
            c->state = ACPT_LISTEN;
            break;
        }
        case ACPT_LISTEN:
            return listen_here(b, c) ? 1 : -1;
        case ACPT_ACCEPT:
            if (b->next_bio != NULL) {
                c->state = ACPT_OK;
                break;
            }
            return accept_one(b, c);
        case ACPT_OK:
            if (b->next_bio == NULL) {
                c->state = ACPT_ACCEPT;
                break;
            }
            return 1;
        default:
            return 0;
        }
    }
}

/* The connection to read from or write to, accepting one if there is
 * none: NULL with the state machine's result in *ret. */
static BIO *connection(BIO *b, int *ret)
{
    BIO_clear_retry_flags(b);
    while (b->next_bio == NULL)
        if ((*ret = acpt_state(b, b->ptr)) <= 0)
            return NULL;
    return b->next_bio;
}

static int acpt_read(BIO *b, char *out, int len)
{
    int ret;
    BIO *next = connection(b, &ret);

    if (next == NULL)
        return ret;
    ret = BIO_read(next, out, len);
    BIO_copy_next_retry(b);
    return ret;
}

static int acpt_write(BIO *b, const char *in, int len)
{
    int ret;
    BIO *next = connection(b, &ret);

    if (next == NULL)
        return ret;
    ret = BIO_write(next, in, len);
    BIO_copy_next_retry(b);
    return ret;
}

static int acpt_puts(BIO *b, const char *str)
{
    return bsock__bio_puts_via(b, str, acpt_write);
}

/* BIO_C_SET_ACCEPT: num 0 name (host:service, the service first), 1 the
 * service, 2 non-blocking accepts (ptr set) or not, 3 the accept BIOs, 4 the
 * family, 5 TFO (ptr set) or not. */
static long set_accept(BIO *b, struct acpt *c, long num, void *ptr)
{
    long ret = 1;

    if (ptr == NULL) {
        if (num == 2)
            c->bind_mode &= ~BIO_SOCK_NONBLOCK;
        else if (num == 5)
            c->bind_mode &= ~BIO_SOCK_TFO;
        return 1;
    }
    switch (num) {
    case 0: {
        char *held = c->serv;

        drop(&c->addr);
        ret = BIO_parse_hostserv(ptr, &c->addr, &c->serv, BIO_PARSE_PRIO_SERV);
        if (held != c->serv)
            free(held);
        if (ret > 0)
            b->init = 1;
        return ret;
    }
    case 1: {
        char *copy = OPENSSL_strdup(ptr);

        free(c->serv);
        c->serv = copy;
        if (copy == NULL)
            return 0;
        b->init = 1;
        return 1;
    }
    case 2:
        c->bind_mode |= BIO_SOCK_NONBLOCK;
        return 1;
    case 3:
        BIO_free(c->chain);
        c->chain = ptr;
        return 1;
    case 4:
        c->family = *(int *)ptr;
        return 1;
    case 5:
        c->bind_mode |= BIO_SOCK_TFO;
        return 1;
    default:
        return 1;
    }
}

/* BIO_C_GET_ACCEPT, only once the BIO has a name or port: num 0-3 the
 * listening and the peer's name and port, 4 the family; else -1. */
static long get_accept(BIO *b, struct acpt *c, long num, void *ptr)
{
    char **p = ptr;

    if (!b->init)
        return -1;
    if (num >= 0 && num <= 3 && ptr != NULL) {
        char *texts[] = {c->accepting_name, c->accepting_serv, c->peer_name,
                         c->peer_serv};

        *p = texts[num];
        return 1;
    }
    if (num != 4)
        return -1;
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
}

static long acpt_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    struct acpt *c = b->ptr;

    switch (cmd) {
    case BIO_CTRL_RESET:
        c->state = ACPT_BEFORE;
        close_socket(b);
        BIO_ADDRINFO_free(c->first);
        c->first = NULL;
        c->iter = NULL;
        b->flags = 0;
        return 0;
    case BIO_C_DO_STATE_MACHINE:
        return acpt_state(b, c);
    case BIO_C_SET_ACCEPT:
        return set_accept(b, c, num, ptr);
    case BIO_C_SET_NBIO:
        if (num != 0)
            c->accepted_mode |= BIO_SOCK_NONBLOCK;
        else
            c->accepted_mode &= ~BIO_SOCK_NONBLOCK;
        return 1;
    case BIO_C_SET_FD:
        if (ptr == NULL)
            return 0;
        b->num = c->sock = *(int *)ptr;
        c->state = ACPT_ACCEPT;
        b->shutdown = (int)num;
        b->init = 1;
        return 1;
    case BIO_C_GET_ACCEPT:
        return get_accept(b, c, num, ptr);
    case BIO_C_SET_BIND_MODE:
        c->bind_mode = (int)num;
        return 1;
    case BIO_C_GET_BIND_MODE:
        return c->bind_mode;
    case BIO_CTRL_EOF:
        return b->next_bio == NULL ? 0 : BIO_ctrl(b->next_bio, cmd, num, ptr);
    default: /* BIO_C_GET_FD: b->num is the listening socket */
        return bsock__bio_fd_ctrl(b, cmd, num, ptr);
    }
}

static const BIO_METHOD acpt_method = {BIO_TYPE_ACCEPT,
                                       "socket accept",
                                       acpt_write,
                                       acpt_read,
                                       acpt_puts,
                                       NULL,
                                       acpt_ctrl,
                                       acpt_create,
                                       acpt_destroy,
                                       NULL,
                                       NULL,
                                       NULL};

const BIO_METHOD *BIO_s_accept(void)
{
    return &acpt_method;
}

BIO *BIO_new_accept(const char *host_port)
{
    BIO *b = BIO_new(&acpt_method);

    if (b == NULL)
        return NULL;
    if (BIO_set_accept_name(b, host_port) > 0)
        return b;
    BIO_free(b);
    return NULL;
}
