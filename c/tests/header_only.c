/*
 * header_only.c - C code written for OpenSSL 3.0 compiles against
 * biosock.h unchanged: the includes such a program has, the names, types,
 * macros and enums it uses.  Built with -Wall -Wextra -Werror as C99, C11,
 * C17 and C++ by "make header".
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include "biosock.h"

int uses_the_api(const char *hostserv);

int uses_the_api(const char *hostserv)
{
    char *host = NULL, *serv = NULL;
    BIO_ADDRINFO *res = NULL;
    union BIO_sock_info_u info;
    enum BIO_sock_info_type type = BIO_SOCK_INFO_ADDRESS;
    enum BIO_hostserv_priorities prio = BIO_PARSE_PRIO_SERV;
    enum BIO_lookup_type lookup = BIO_LOOKUP_SERVER;
    int s = INVALID_SOCKET, ok = 0;
    unsigned long e;
    char buf[128];

    BIO_sock_cleanup();
    if (BIO_sock_init() != 1
        || !BIO_parse_hostserv(hostserv, &host, &serv, prio)
        || !BIO_lookup_ex(host, serv, lookup, AF_UNSPEC, SOCK_STREAM, 0, &res))
        goto end;
    s = BIO_socket(BIO_ADDRINFO_family(res), BIO_ADDRINFO_socktype(res),
                   BIO_ADDRINFO_protocol(res), 0);
    if (s == INVALID_SOCKET
        || !BIO_listen(s, BIO_ADDRINFO_address(res),
                       BIO_SOCK_REUSEADDR | BIO_SOCK_V6_ONLY
                           | BIO_SOCK_KEEPALIVE | BIO_SOCK_NONBLOCK
                           | BIO_SOCK_NODELAY))
        goto end;
    info.addr = BIO_ADDR_new();
    ok = BIO_sock_info(s, type, &info);
    BIO_ADDR_free(info.addr);
end:
    while ((e = ERR_get_error()) != 0) {
        ERR_error_string_n(e, buf, sizeof(buf));
        if (ERR_GET_LIB(e) == ERR_LIB_SYS || ERR_GET_REASON(e) == ERR_R_SYS_LIB
            || ERR_GET_REASON(e) == BIO_R_CONNECT_ERROR)
            ok = 0;
    }
    if (s != INVALID_SOCKET)
        BIO_closesocket(s);
    BIO_ADDRINFO_free(res);
    OPENSSL_free(host);
    OPENSSL_free(serv);
    return ok;
}
