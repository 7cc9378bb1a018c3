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

/* The first AF_INET result of a client lookup, or 0 with a reason pushed. */
static int lookup_inet(const char *host, const char *service, int reason,
                       BIO_ADDRINFO **res)
{
    if (!BIO_lookup(host, service, BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM,
                    res)) {
        ERR_add_error_data(2, "host=", host != NULL ? host : service);
        return 0;
    }
    if (BIO_ADDRINFO_family(*res) != AF_INET) {
        BSOCK_RAISE(ERR_LIB_BIO, reason, NULL);
        BIO_ADDRINFO_free(*res);
        return 0;
    }
    return 1;
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
    if (!lookup_inet(str, NULL, BIO_R_GETHOSTBYNAME_ADDR_IS_NOT_AF_INET, &res))
        return 0;
    ret = BIO_ADDR_rawaddress(BIO_ADDRINFO_address(res), ip, &len);
    BIO_ADDRINFO_free(res);
    return ret;
}

int BIO_get_port(const char *str, unsigned short *port_ptr)
{
    BIO_ADDRINFO *res = NULL;

    if (str == NULL) {
        BSOCK_RAISE(ERR_LIB_BIO, BIO_R_NO_PORT_DEFINED, NULL);
        return 0;
    }
    if (port_ptr == NULL) {
        BSOCK_NULL_ARG();
        return 0;
    }
    if (!lookup_inet(NULL, str, BIO_R_ADDRINFO_ADDR_IS_NOT_AF_INET, &res))
        return 0;
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
            bsock_close_keep_errno(s);
            s = BSOCK_INVALID_FD;
        }
    }
    BIO_ADDRINFO_free(res);
    free(host);
    free(port);
    return s;
}

/* "host:port" of a peer, numeric, in one allocation. */
static char *host_port_string(const BIO_ADDR *ap)
{
    char *host = BIO_ADDR_hostname_string(ap, 1);
    char *port = BIO_ADDR_service_string(ap, 1);
    char *r = NULL;

    if (host == NULL || port == NULL) {
        BSOCK_RAISE(ERR_LIB_BIO, ERR_R_BIO_LIB, NULL);
    } else {
        size_t n = strlen(host) + strlen(port) + 2;

        if ((r = malloc(n)) == NULL)
            BSOCK_RAISE(ERR_LIB_BIO, ERR_R_MALLOC_FAILURE, NULL);
        else
            snprintf(r, n, "%s:%s", host, port);
    }
    free(host);
    free(port);
    return r;
}

int BIO_accept(int sock, char **ip_port)
{
    BIO_ADDR peer;
    int s = BIO_accept_ex(sock, &peer, 0);

    if (s == BSOCK_INVALID_FD) {
        if (BIO_sock_should_retry(s))
            return -2;
        /* OpenSSL 3.0 pushes the pair a second time here; so do we. */
        BSOCK_RAISE_SYS_BIO(bsock_errno(), "accept", BIO_R_ACCEPT_ERROR);
        return BSOCK_INVALID_FD;
    }
    if (ip_port != NULL && (*ip_port = host_port_string(&peer)) == NULL) {
        bsock_close_keep_errno(s);
        return BSOCK_INVALID_FD;
    }
    return s;
}
