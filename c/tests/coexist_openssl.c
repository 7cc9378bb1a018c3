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

void *ossl_mem_new(void)
{
    return BIO_new(BIO_s_mem());
}

int ossl_bio_puts(void *b, const char *s)
{
    return BIO_puts(b, s);
}

long ossl_mem_data(void *b, char **p)
{
    return BIO_get_mem_data((BIO *)b, p);
}

void ossl_bio_free(void *b)
{
    BIO_free(b);
}

int ossl_bio_method_type(const void *b)
{
    return BIO_method_type(b);
}

void *ossl_socket_bio(int fd)
{
    return BIO_new_socket(fd, BIO_NOCLOSE);
}

int ossl_bio_read(void *b, void *buf, int n)
{
    return BIO_read(b, buf, n);
}

void ossl_print_errors(void *b)
{
    ERR_print_errors(b);
}

void *ossl_dgram_bio(int fd)
{
    return BIO_new_dgram(fd, BIO_NOCLOSE);
}

int ossl_bio_write(void *b, const void *buf, int n)
{
    return BIO_write(b, buf, n);
}
