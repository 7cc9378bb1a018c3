/*
 * addr.c - BIO_ADDR, BIO_ADDRINFO, BIO_lookup_ex and BIO_parse_hostserv.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sys.h"

struct bio_addrinfo_st {
    BIO_ADDRINFO *next;
    int family;
    int socktype;
    int protocol;
    BIO_ADDR addr;
};

/* Out of memory, in the public function's name. */
#define BSOCK_RAISE_NOMEM()                                                   \
    BSOCK_RAISE(ERR_LIB_BIO, ERR_R_MALLOC_FAILURE, NULL)

/* ---------------------------------------------------------------------
 * BIO_ADDR
 */

/* Where sa_family ends: a kernel that wrote less wrote no family. */
#define FAMILY_END                                                            \
    (offsetof(struct sockaddr, sa_family)                                     \
     + sizeof(((struct sockaddr *)0)->sa_family))

void bsock__addr_from_kernel_rest(BIO_ADDR *ap, socklen_t len)
{
    /* A Unix name may be shorter than sun_path and not NUL-terminated, and
     * any other name may be shorter than the union: zero the rest, so that
     * the path reads as a C string and every byte read is written (no
     * family at all reads as AF_UNSPEC). */
    size_t from = len < (socklen_t)FAMILY_END ? 0 : (size_t)len;

    if (from < BSOCK_ADDR_CAP)
        memset((char *)ap + from, 0, BSOCK_ADDR_CAP - from);
    ap->biosock_.unix_len = ap->sa.sa_family == AF_UNIX ? len : 0;
}

BIO_ADDR *BIO_ADDR_new(void)
{
    BIO_ADDR *ap = calloc(1, sizeof(*ap));

    if (ap == NULL) {
        BSOCK_RAISE_NOMEM();
        return NULL;
    }
    ap->sa.sa_family = AF_UNSPEC;
    return ap;
}

void BIO_ADDR_free(BIO_ADDR *ap)
{
    free(ap);
}

void BIO_ADDR_clear(BIO_ADDR *ap)
{
    if (ap == NULL) {
        BSOCK_NULL_ARG();
        return;
    }
    memset(ap, 0, sizeof(*ap));
    ap->sa.sa_family = AF_UNSPEC;
}

int BIO_ADDR_copy(BIO_ADDR *dst, const BIO_ADDR *src)
{
    if (dst == NULL || src == NULL) {
        BSOCK_NULL_ARG();
        return 0;
    }
    if (dst != src)
        memcpy(dst, src, sizeof(*dst));
    return 1;
}

BIO_ADDR *BIO_ADDR_dup(const BIO_ADDR *ap)
{
    BIO_ADDR *r;

    if (ap == NULL)
        return NULL;
    r = BIO_ADDR_new();
    if (r != NULL)
        memcpy(r, ap, sizeof(*r));
    return r;
}

/* A Unix name of at most wherelen bytes: a path, which ends at its first NUL
 * as in OpenSSL (nothing past it is read), or, when it starts with NUL, an
 * abstract name of exactly wherelen bytes.  0, or -ENAMETOOLONG (errno
 * untouched: no call failed). */
static int make_unix(BIO_ADDR *ap, const char *where, size_t wherelen)
{
    int abstract = wherelen > 0 && where[0] == '\0';
    size_t pathlen;

    if (wherelen >= sizeof(ap->s_un.sun_path))
        return -BSOCK_ENAMETOOLONG;
    pathlen = abstract ? wherelen : strnlen(where, wherelen);
    memset(ap, 0, sizeof(*ap));
    ap->s_un.sun_family = AF_UNIX;
    memcpy(ap->s_un.sun_path, where, pathlen);
    ap->biosock_.unix_len =
        abstract ? (socklen_t)(SUN_PATH_OFFSET + pathlen) : 0;
    return 0;
}

int BIO_ADDR_rawmake(BIO_ADDR *ap, int family, const void *where,
                     size_t wherelen, unsigned short port)
{
    if (ap == NULL || (where == NULL && wherelen != 0)) {
        BSOCK_NULL_ARG();
        return 0;
    }
    switch (family) {
    case AF_UNIX:
        return make_unix(ap, where != NULL ? where : "", wherelen) == 0;
    case AF_INET:
        if (wherelen != sizeof(struct in_addr))
            break;
        memset(ap, 0, sizeof(*ap));
        ap->s_in.sin_family = AF_INET;
        ap->s_in.sin_port = port;
        memcpy(&ap->s_in.sin_addr, where, wherelen);
        return 1;
    case AF_INET6:
        if (wherelen != sizeof(struct in6_addr))
            break;
        memset(ap, 0, sizeof(*ap));
        ap->s_in6.sin6_family = AF_INET6;
        ap->s_in6.sin6_port = port;
        memcpy(&ap->s_in6.sin6_addr, where, wherelen);
        return 1;
    default:
        break;
    }
    return 0;
}

int BIO_ADDR_family(const BIO_ADDR *ap)
{
    if (ap == NULL) {
        BSOCK_NULL_ARG();
        return AF_UNSPEC;
    }
    return ap->sa.sa_family;
}

int BIO_ADDR_rawaddress(const BIO_ADDR *ap, void *p, size_t *l)
{
    size_t len;
    const void *raw;

    if (ap == NULL) {
        BSOCK_NULL_ARG();
        return 0;
    }
    switch (ap->sa.sa_family) {
    case AF_INET:
        len = sizeof(ap->s_in.sin_addr);
        raw = &ap->s_in.sin_addr;
        break;
    case AF_INET6:
        len = sizeof(ap->s_in6.sin6_addr);
        raw = &ap->s_in6.sin6_addr;
        break;
    case AF_UNIX:
        len = bsock__is_abstract(ap)
                  ? ap->biosock_.unix_len - SUN_PATH_OFFSET
                  : strnlen(ap->s_un.sun_path, sizeof(ap->s_un.sun_path));
        raw = ap->s_un.sun_path;
        break;
    default:
        return 0;
    }
    if (p != NULL)
        memcpy(p, raw, len);
    if (l != NULL)
        *l = len;
    return 1;
}

unsigned short BIO_ADDR_rawport(const BIO_ADDR *ap)
{
    if (ap == NULL) {
        BSOCK_NULL_ARG();
        return 0;
    }
    if (ap->sa.sa_family == AF_INET)
        return ap->s_in.sin_port;
    if (ap->sa.sa_family == AF_INET6)
        return ap->s_in6.sin6_port;
    return 0;
}

/* getnameinfo() of ap into *hostname and/or *service, as OpenSSL does.
 * 0, or -errno: -EINVAL (ap is NULL), -ENOMEM, or getnameinfo()'s system
 * error; a resolver error is *gai (and -EINVAL). */
static int addr_strings(const BIO_ADDR *ap, int numeric, char **hostname,
                        char **service, int *gai)
{
    char host[NI_MAXHOST] = "", serv[NI_MAXSERV] = "";
    int flags = numeric ? NI_NUMERICHOST | NI_NUMERICSERV : 0;

    *gai = 0;
    if (ap == NULL)
        return -BSOCK_EINVAL;
    *gai = getnameinfo(&ap->sa, bsock__addr_len(ap), host, sizeof(host), serv,
                       sizeof(serv), flags);
    if (*gai != 0) {
        if (*gai != BSOCK_EAI_SYSTEM)
            return -BSOCK_EINVAL;
        *gai = 0;
        return bsock__sys_error();
    }
    if (serv[0] == '\0')
        snprintf(serv, sizeof(serv), "%d", ntohs(BIO_ADDR_rawport(ap)));
    if (hostname != NULL
        && (*hostname = bsock__copy_n(host, sizeof(host))) == NULL)
        return -BSOCK_ENOMEM;
    if (service != NULL
        && (*service = bsock__copy_n(serv, sizeof(serv))) == NULL) {
        if (hostname != NULL) {
            free(*hostname);
            *hostname = NULL;
        }
        return -BSOCK_ENOMEM;
    }
    return 0;
}

/* Push addr_strings()'s failure err (gai: the resolver's), in the name
 * OpenSSL's entries carry: its helper's, addr_strings. */
static BSOCK_NOINLINE BSOCK_COLD void raise_strings(int err, int gai)
{
    const char *func = "addr_strings";

    if (gai != 0)
        BSOCK_RAISE_RESOLVER_IN(func, gai);
    else if (err == -BSOCK_ENOMEM)
        BSOCK_RAISE_IN(func, ERR_LIB_BIO, ERR_R_MALLOC_FAILURE, NULL);
    else if (err == -BSOCK_EINVAL)
        BSOCK_NULL_ARG_IN(func);
    else
        BSOCK_RAISE_SYS_IN(func, -err, "getnameinfo");
}

char *BIO_ADDR_hostname_string(const BIO_ADDR *ap, int numeric)
{
    char *hostname = NULL;
    int gai, err = addr_strings(ap, numeric, &hostname, NULL, &gai);

    if (err != 0)
        raise_strings(err, gai);
    return hostname;
}

char *BIO_ADDR_service_string(const BIO_ADDR *ap, int numeric)
{
    char *service = NULL;
    int gai, err = addr_strings(ap, numeric, NULL, &service, &gai);

    if (err != 0)
        raise_strings(err, gai);
    return service;
}

char *BIO_ADDR_path_string(const BIO_ADDR *ap)
{
    char *r;
    size_t n;

    if (ap == NULL) {
        BSOCK_NULL_ARG();
        return NULL;
    }
    if (ap->sa.sa_family != AF_UNIX)
        return NULL;
    if (!bsock__is_abstract(ap)) {
        r = bsock__copy_n(ap->s_un.sun_path, sizeof(ap->s_un.sun_path));
    } else if ((r = malloc((n = ap->biosock_.unix_len - SUN_PATH_OFFSET) + 1))
               != NULL) {
        /* "@name": the leading NUL becomes '@'. */
        r[0] = '@';
        memcpy(r + 1, ap->s_un.sun_path + 1, n - 1);
        r[n] = '\0';
    }
    if (r == NULL)
        BSOCK_RAISE_NOMEM();
    return r;
}

const struct sockaddr *BIO_ADDR_sockaddr(const BIO_ADDR *ap)
{
    if (ap == NULL) {
        BSOCK_NULL_ARG();
        return NULL;
    }
    return &ap->sa;
}

socklen_t BIO_ADDR_sockaddr_size(const BIO_ADDR *ap)
{
    if (ap == NULL) {
        BSOCK_NULL_ARG();
        return 0;
    }
    return bsock__addr_len(ap);
}

/* ---------------------------------------------------------------------
 * BIO_ADDRINFO
 */

const BIO_ADDRINFO *BIO_ADDRINFO_next(const BIO_ADDRINFO *bai)
{
    return bai != NULL ? bai->next : NULL;
}

int BIO_ADDRINFO_family(const BIO_ADDRINFO *bai)
{
    return bai != NULL ? bai->family : 0;
}

int BIO_ADDRINFO_socktype(const BIO_ADDRINFO *bai)
{
    return bai != NULL ? bai->socktype : 0;
}

int BIO_ADDRINFO_protocol(const BIO_ADDRINFO *bai)
{
    if (bai == NULL)
        return 0;
    if (bai->protocol != 0)
        return bai->protocol;
    if (bai->family == AF_UNIX)
        return 0;
    switch (bai->socktype) {
    case SOCK_STREAM:
        return IPPROTO_TCP;
    case SOCK_DGRAM:
        return IPPROTO_UDP;
    default:
        return 0;
    }
}

const BIO_ADDR *BIO_ADDRINFO_address(const BIO_ADDRINFO *bai)
{
    return bai != NULL ? &bai->addr : NULL;
}

void BIO_ADDRINFO_free(BIO_ADDRINFO *bai)
{
    while (bai != NULL) {
        BIO_ADDRINFO *next = bai->next;

        free(bai);
        bai = next;
    }
}

/* A list node; its address is left for the caller to fill in whole.  NULL
 * without memory. */
static BIO_ADDRINFO *node_new(int family, int socktype, int protocol)
{
    BIO_ADDRINFO *n = malloc(sizeof(*n));

    if (n == NULL)
        return NULL;
    n->next = NULL;
    n->family = family;
    n->socktype = socktype;
    n->protocol = protocol;
    return n;
}

/* Copy getaddrinfo()'s list into BIO_ADDRINFO nodes holding a BIO_ADDR.
 * 0, or -ENOMEM. */
static int from_addrinfo(const struct addrinfo *ai, BIO_ADDRINFO **res)
{
    BIO_ADDRINFO **tail = res;

    *res = NULL;
    for (; ai != NULL; ai = ai->ai_next) {
        BIO_ADDRINFO *n;

        if (ai->ai_addrlen > BSOCK_ADDR_CAP)
            continue;
        n = node_new(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (n == NULL) {
            BIO_ADDRINFO_free(*res);
            *res = NULL;
            return -BSOCK_ENOMEM;
        }
        memcpy(&n->addr, ai->ai_addr, ai->ai_addrlen);
        bsock__addr_from_kernel(&n->addr, ai->ai_addrlen);
        *tail = n;
        tail = &n->next;
    }
    return 0;
}

/* The one answer for a Unix path.  0, or -ENAMETOOLONG, -ENOMEM. */
static int lookup_unix(const char *path, int socktype, BIO_ADDRINFO **res)
{
    BIO_ADDRINFO *n;

    if (strlen(path) >= sizeof(n->addr.s_un.sun_path))
        return -BSOCK_ENAMETOOLONG;
    if ((n = node_new(AF_UNIX, socktype, 0)) == NULL)
        return -BSOCK_ENOMEM;
    (void)make_unix(&n->addr, path, strlen(path)); /* it fits */
    *res = n;
    return 0;
}

/* A numeric host and port with a stream or datagram type has exactly one
 * answer, the one getaddrinfo() would give: build it without the resolver.
 * 1 when done, 0 when getaddrinfo() must answer, or -ENOMEM. */
static int lookup_numeric(const char *host, const char *service, int family,
                          int socktype, int protocol, BIO_ADDRINFO **res)
{
    int proto = socktype == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
    unsigned char raw[16];
    unsigned long port;
    char *end;
    BIO_ADDRINFO *n;

    if (host == NULL || service == NULL
        || (socktype != SOCK_STREAM && socktype != SOCK_DGRAM)
        || (protocol != 0 && protocol != proto) || service[0] < '0'
        || service[0] > '9')
        return 0;
    port = strtoul(service, &end, 10);
    if (*end != '\0' || port > 65535)
        return 0;
    if ((family == AF_INET || family == AF_UNSPEC)
        && inet_pton(AF_INET, host, raw) == 1)
        family = AF_INET;
    else if ((family == AF_INET6 || family == AF_UNSPEC)
             && inet_pton(AF_INET6, host, raw) == 1)
        family = AF_INET6;
    else
        return 0;
    if ((n = node_new(family, socktype, proto)) == NULL)
        return -BSOCK_ENOMEM;
    BIO_ADDR_rawmake(&n->addr, family, raw, family == AF_INET ? 4 : 16,
                     htons((unsigned short)port));
    *res = n;
    return 1;
}

int BIO_lookup_ex(const char *host, const char *service, int lookup_type,
                  int family, int socktype, int protocol, BIO_ADDRINFO **res)
{
    struct addrinfo hints, *ai = NULL;
    int gai_ret, old_ret = 0, ret;

    if (res == NULL) {
        BSOCK_NULL_ARG();
        return 0;
    }
    switch (family) {
    case AF_INET:
    case AF_INET6:
    case AF_UNIX:
    case AF_UNSPEC:
        break;
    default:
        BSOCK_RAISE(ERR_LIB_BIO, BIO_R_UNSUPPORTED_PROTOCOL_FAMILY, NULL);
        return 0;
    }
    if (family == AF_UNIX && host == NULL) {
        BSOCK_NULL_ARG();
        return 0;
    }
    if (family == AF_UNIX)
        ret = lookup_unix(host, socktype, res);
    else if (BIO_sock_init() != 1) /* Windows: WSAStartup, as OpenSSL */
        return 0;
    else if ((ret = lookup_numeric(host, service, family, socktype, protocol,
                                   res))
             > 0)
        return 1;
    if (ret == -BSOCK_ENAMETOOLONG) {
        BSOCK_RAISE(ERR_LIB_BIO, BIO_R_LENGTH_TOO_LONG, "Unix path");
        bsock__set_errno(BSOCK_ENAMETOOLONG);
        return 0;
    }
    if (ret == -BSOCK_ENOMEM) {
        BSOCK_RAISE_NOMEM();
        return 0;
    }
    if (family == AF_UNIX)
        return 1;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = socktype;
    hints.ai_protocol = protocol;
    if (host != NULL && family == AF_UNSPEC)
        hints.ai_flags |= AI_ADDRCONFIG;
    if (lookup_type == BIO_LOOKUP_SERVER)
        hints.ai_flags |= AI_PASSIVE;

    for (;;) {
        gai_ret = getaddrinfo(host, service, &hints, &ai);
        if (gai_ret == 0 || gai_ret == BSOCK_EAI_SYSTEM
            || gai_ret == EAI_MEMORY || (hints.ai_flags & AI_ADDRCONFIG) == 0)
            break;
        /* As OpenSSL: once more without AI_ADDRCONFIG, numeric only. */
        hints.ai_flags &= ~AI_ADDRCONFIG;
        hints.ai_flags |= AI_NUMERICHOST;
        old_ret = gai_ret;
    }
    switch (gai_ret) {
    case 0:
        ret = from_addrinfo(ai, res);
        freeaddrinfo(ai);
        if (ret != 0)
            BSOCK_RAISE_NOMEM();
        return ret == 0;
    case BSOCK_EAI_SYSTEM:
        BSOCK_RAISE_SYS_BIO(bsock__errno(), "getaddrinfo", ERR_R_SYS_LIB);
        return 0;
    default:
        BSOCK_RAISE_RESOLVER(old_ret != 0 ? old_ret : gai_ret);
        return 0;
    }
}

int BIO_lookup(const char *host, const char *service,
               enum BIO_lookup_type lookup_type, int family, int socktype,
               BIO_ADDRINFO **res)
{
    return BIO_lookup_ex(host, service, lookup_type, family, socktype, 0, res);
}

/* ---------------------------------------------------------------------
 * BIO_parse_hostserv
 */

/* Store the part [s, s + n) into *out: NULL when empty or "*".  0, or
 * -ENOMEM. */
static int store_part(const char *s, size_t n, char **out)
{
    if (n == 0 || (n == 1 && s[0] == '*')) {
        *out = NULL;
        return 0;
    }
    *out = bsock__copy_n(s, n);
    return *out != NULL ? 0 : -BSOCK_ENOMEM;
}

int BIO_parse_hostserv(const char *hostserv, char **host, char **service,
                       enum BIO_hostserv_priorities hostserv_prio)
{
    const char *h = NULL, *p = NULL;
    size_t hl = 0, pl = 0;

    if (hostserv == NULL) {
        BSOCK_NULL_ARG();
        return 0;
    }
    if (hostserv[0] == '[') {
        if ((p = strchr(hostserv, ']')) == NULL)
            goto malformed;
        h = hostserv + 1;
        hl = (size_t)(p - h);
        p++;
        if (*p == '\0') {
            p = NULL;
        } else if (*p != ':') {
            goto malformed;
        } else {
            p++;
            pl = strlen(p);
        }
    } else {
        p = strchr(hostserv, ':');
        if (p != strrchr(hostserv, ':')) {
            BSOCK_RAISE(ERR_LIB_BIO, BIO_R_AMBIGUOUS_HOST_OR_SERVICE, NULL);
            return 0;
        }
        if (p != NULL) {
            h = hostserv;
            hl = (size_t)(p - h);
            p++;
            pl = strlen(p);
        } else if (hostserv_prio == BIO_PARSE_PRIO_HOST) {
            h = hostserv;
            hl = strlen(h);
        } else {
            p = hostserv;
            pl = strlen(p);
        }
    }
    if (p != NULL && strchr(p, ':') != NULL)
        goto malformed;

    if (h != NULL && host != NULL && store_part(h, hl, host) != 0)
        goto nomem;
    if (p != NULL && service != NULL && store_part(p, pl, service) != 0) {
        if (h != NULL && host != NULL) {
            free(*host);
            *host = NULL;
        }
        goto nomem;
    }
    return 1;

nomem:
    BSOCK_RAISE_NOMEM();
    return 0;

malformed:
    BSOCK_RAISE(ERR_LIB_BIO, BIO_R_MALFORMED_HOST_OR_SERVICE, NULL);
    return 0;
}
