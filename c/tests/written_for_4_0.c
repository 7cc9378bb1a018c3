/*
 * written_for_4_0.c - socket code written for OpenSSL 3.5 / 4.0, using the
 * names those versions added and the err.h calls C code uses beside the
 * BIO ones.  "make names" compiles it unchanged against OpenSSL 4.0's headers
 * (-DORACLE) and against biosock.h, runs both and compares what they print.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#ifdef ORACLE
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#else
#include "biosock.h"
#endif

static int print_line(const char *str, size_t len, void *u)
{
    const char *rest = memchr(str, ':', len);

    (void)u;
    /* After the thread id: the error string, file, line and data. */
    printf("  %.*s", (int)(len - (size_t)(rest - str) - 1), rest + 1);
    return 1;
}

static int listen_tfo(const char *hostserv)
{
    char *host = NULL, *serv = NULL;
    BIO_ADDRINFO *res = NULL;
    union bio_addr_st *bound = NULL;
    union BIO_sock_info_u info;
    int s = -1, ok = 0;

    if (!BIO_parse_hostserv(hostserv, &host, &serv, BIO_PARSE_PRIO_SERV)
        || !BIO_lookup_ex(host, serv, BIO_LOOKUP_SERVER, AF_INET, SOCK_STREAM,
                          0, &res))
        goto end;
    OPENSSL_assert(BIO_ADDRINFO_family(res) == AF_INET);
    s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    if (s == -1
        || !BIO_listen(s, BIO_ADDRINFO_address(res),
                       BIO_SOCK_REUSEADDR | BIO_SOCK_TFO))
        goto end;
    bound = BIO_ADDR_new();
    info.addr = bound;
    ok = BIO_sock_info(s, BIO_SOCK_INFO_ADDRESS, &info)
         && BIO_ADDR_family(bound) == AF_INET;
end:
    if (s != -1)
        BIO_closesocket(s);
    BIO_ADDR_free(bound);
    BIO_ADDRINFO_free(res);
    OPENSSL_free(host);
    OPENSSL_free(serv);
    return ok;
}

int main(void)
{
    char *copy = OPENSSL_strdup("copied"), *zeroed = OPENSSL_zalloc(8);
    char *raw = OPENSSL_malloc(4);
    const char *data, *func;
    int flags;

    printf("tfo listen: %d\n", listen_tfo("127.0.0.1:0"));
    printf("strdup=%s zalloc=%d malloc=%d\n", copy, zeroed[7], raw != NULL);
    OPENSSL_free(copy);
    OPENSSL_free(zeroed);
    OPENSSL_free(raw);
    printf("close flags %d %d, families %d %d %d\n", BIO_NOCLOSE, BIO_CLOSE,
           BIO_FAMILY_IPV4, BIO_FAMILY_IPV6, BIO_FAMILY_IPANY);
#if defined(OPENSSL_SYS_UNIX) && defined(OPENSSL_SYS_LINUX)
    printf("system: unix, linux\n");
#endif
#ifndef OPENSSL_NO_SCTP
    printf("SCTP: compiled in\n");
#else
    printf("SCTP: not compiled in\n");
#endif

    ERR_raise(ERR_LIB_BIO, BIO_R_UNABLE_TO_TFO);
    ERR_raise_data(ERR_LIB_BIO, BIO_R_LOCAL_ADDR_NOT_AVAILABLE, "port %d",
                   443);
    ERR_add_error_data(2, ", host ", "example");
    printf("mark=%d\n", ERR_set_mark());
    ERR_raise(ERR_LIB_SYS, ECONNRESET);
    printf("count_to_mark=%d\n", ERR_count_to_mark());
    printf("pop_to_mark=%d\n", ERR_pop_to_mark());
    ERR_peek_last_error_all(NULL, NULL, &func, &data, &flags);
    printf("last: func=%s data=\"%s\" flags=%d fatal=%d non_fatal=%d\n", func,
           data, flags, ERR_FATAL_ERROR(ERR_peek_last_error()),
           BIO_err_is_non_fatal((unsigned int)ERR_peek_last_error()));
    printf("%s\n", ERR_error_string(ERR_peek_error(), NULL));
    ERR_print_errors_cb(print_line, NULL);
    return 0;
}
