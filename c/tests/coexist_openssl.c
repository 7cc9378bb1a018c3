/*
 * coexist_openssl.c - the OpenSSL half of the coexistence test: this file
 * sees only <openssl/bio.h>, so every name here is libcrypto's.
 */
#include <sys/socket.h>

#include <openssl/bio.h>
#include <openssl/err.h>

#include "coexist.h"

void *ossl_addr_new(void)
{
    return BIO_ADDR_new();
}

void ossl_addr_free(void *a)
{
    BIO_ADDR_free(a);
}

int ossl_addr_family(const void *a)
{
    return BIO_ADDR_family(a);
}

int ossl_listen_loopback(unsigned short *port)
{
    static const unsigned char lo[4] = {127, 0, 0, 1};
    union BIO_sock_info_u info;
    BIO_ADDR *a = BIO_ADDR_new();
    int s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);

    if (s < 0 || !BIO_ADDR_rawmake(a, AF_INET, lo, 4, 0)
        || !BIO_listen(s, a, BIO_SOCK_REUSEADDR))
        s = -1;
    info.addr = a;
    if (s >= 0 && BIO_sock_info(s, BIO_SOCK_INFO_ADDRESS, &info))
        *port = BIO_ADDR_rawport(a);
    BIO_ADDR_free(a);
    return s;
}

int ossl_accept(int l)
{
    return BIO_accept_ex(l, NULL, 0);
}

int ossl_fail_connect(void)
{
    return BIO_connect(-1, NULL, 0);
}

unsigned long ossl_get_error(void)
{
    return ERR_get_error();
}
