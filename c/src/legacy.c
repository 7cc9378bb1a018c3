/*
 * legacy.c - the functions deprecated since OpenSSL 1.1.0, kept so that old
 * sources still build and run.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#define BIOSOCK_SUPPRESS_DEPRECATED
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sys.h"

struct hostent *BIO_gethostbyname(const char *name)
{
    if (name == NULL) {
        BSOCK_NULL_ARG();
        return NULL;
    }
    return gethostbyname(name);
}

/* The first result of a client lookup for AF_INET, in *res.  0; -EINVAL
 * when BIO_lookup failed (its entries pushed: it is a public function);
 * -EAFNOSUPPORT when the answer is not AF_INET. */
static int lookup_inet(const char *host, const char *service,
                       BIO_ADDRINFO **res)
{
    if (!BIO_lookup(host, service, BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM,
                    res))
        return -BSOCK_EINVAL;
    if (BIO_ADDRINFO_family(*res) != AF_INET) {
        BIO_ADDRINFO_free(*res);
        return -BSOCK_EAFNOSUPPORT;
    }
    return 0;
}

/* Push lookup_inet()'s failure err: the name looked up, added to
 * BIO_lookup's entry, or reason (the answer is not AF_INET), in func. */
static BSOCK_NOINLINE BSOCK_COLD void
raise_lookup_inet(int err, const char *name, int reason, const char *func)
{
    if (err == -BSOCK_EINVAL)
        ERR_add_error_data(2, "host=", name);
    else
        BSOCK_RAISE_IN(func, ERR_LIB_BIO, reason, NULL);
}

int BIO_get_host_ip(const char *str, unsigned char *ip)
{
    BIO_ADDRINFO *res = NULL;
    size_t len;
    int ret;

    if (str == NULL || ip == NULL) {
        BSOCK_NULL_ARG();
        return 0;
    }
    if ((ret = lookup_inet(str, NULL, &res)) != 0) {
        raise_lookup_inet(ret, str, BIO_R_GETHOSTBYNAME_ADDR_IS_NOT_AF_INET,
                          __func__);
        return 0;
    }
    ret = BIO_ADDR_rawaddress(BIO_ADDRINFO_address(res), ip, &len);
    BIO_ADDRINFO_free(res);
    return ret;
}

int BIO_get_port(const char *str, unsigned short *port_ptr)
{
    BIO_ADDRINFO *res = NULL;
    int err;

    if (str == NULL) {
        BSOCK_RAISE(ERR_LIB_BIO, BIO_R_NO_PORT_DEFINED, NULL);
        return 0;
    }
    if (port_ptr == NULL) {
        BSOCK_NULL_ARG();
        return 0;
    }
    if ((err = lookup_inet(NULL, str, &res)) != 0) {
        raise_lookup_inet(err, str, BIO_R_ADDRINFO_ADDR_IS_NOT_AF_INET,
                          __func__);
        return 0;
    }
    *port_ptr = ntohs(BIO_ADDR_rawport(BIO_ADDRINFO_address(res)));
    BIO_ADDRINFO_free(res);
    return 1;
}

int BIO_get_accept_socket(char *host_port, int bind_mode)
{
    char *host = NULL, *port = NULL;
    BIO_ADDRINFO *res = NULL;
    int s = BSOCK_INVALID_FD;

    if (!BIO_parse_hostserv(host_port, &host, &port, BIO_PARSE_PRIO_SERV))
        return BSOCK_INVALID_FD;
    /* As OpenSSL: listen on the first address of a server lookup. */
    if (BIO_lookup(host, port, BIO_LOOKUP_SERVER, AF_UNSPEC, SOCK_STREAM,
                   &res)) {
        s = BIO_socket(BIO_ADDRINFO_family(res), BIO_ADDRINFO_socktype(res),
                       BIO_ADDRINFO_protocol(res), 0);
        if (s != BSOCK_INVALID_FD
            && !BIO_listen(s, BIO_ADDRINFO_address(res),
                           bind_mode ? BIO_SOCK_REUSEADDR : 0)) {
            bsock__close_keep_errno(s);
            s = BSOCK_INVALID_FD;
        }
    }
    BIO_ADDRINFO_free(res);
    free(host);
    free(port);
    return s;
}

/* "host:port" of a peer, numeric, in one allocation, into *out.  0;
 * -EINVAL when a BIO_ADDR_*_string failed (its entries pushed: it is a
 * public function); -ENOMEM. */
static int host_port_string(const BIO_ADDR *ap, char **out)
{
    char *host = BIO_ADDR_hostname_string(ap, 1);
    char *port = BIO_ADDR_service_string(ap, 1);
    int err = 0;

    *out = NULL;
    if (host == NULL || port == NULL) {
        err = -BSOCK_EINVAL;
    } else {
        size_t n = strlen(host) + strlen(port) + 2;

        if ((*out = malloc(n)) == NULL)
            err = -BSOCK_ENOMEM;
        else
            snprintf(*out, n, "%s:%s", host, port);
    }
    free(host);
    free(port);
    return err;
}

int BIO_accept(int sock, char **ip_port)
{
    BIO_ADDR peer;
    int s = BIO_accept_ex(sock, &peer, 0), err;

    if (s == BSOCK_INVALID_FD) {
        if (BIO_sock_should_retry(s))
            return -2;
        /* OpenSSL 3.0 pushes the pair a second time here; so do we. */
        BSOCK_RAISE_SYS_BIO(bsock__errno(), "accept", BIO_R_ACCEPT_ERROR);
        return BSOCK_INVALID_FD;
    }
    if (ip_port != NULL && (err = host_port_string(&peer, ip_port)) != 0) {
        BSOCK_RAISE(
            ERR_LIB_BIO,
            err == -BSOCK_ENOMEM ? ERR_R_MALLOC_FAILURE : ERR_R_BIO_LIB, NULL);
        bsock__close_keep_errno(s);
        return BSOCK_INVALID_FD;
    }
    return s;
}
