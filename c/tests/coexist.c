/*
 * coexist.c - libcrypto and biosock in one executable, both used: OpenSSL's
 * BIO_ADDR_new beside ours, an OpenSSL listener accepting a biosock
 * connection, and two error queues that never mix.
 */
#include "check.h"
#include "coexist.h"

int main(void)
{
    static const unsigned char lo[4] = {127, 0, 0, 1};
    void *theirs = ossl_addr_new();
    BIO_ADDR *ours = BIO_ADDR_new();
    unsigned short port = 0;
    int l, c, a;

    CHECK(theirs != NULL && ours != NULL);
    CHECK(ossl_addr_family(theirs) == AF_UNSPEC);
    CHECK(BIO_ADDR_family(ours) == AF_UNSPEC);

    l = ossl_listen_loopback(&port);
    CHECK(l >= 0 && port != 0);
    c = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CHECK(BIO_ADDR_rawmake(ours, AF_INET, lo, 4, port) == 1);
    CHECK(BIO_connect(c, ours, BIO_SOCK_NODELAY) == 1);
    a = ossl_accept(l);
    CHECK(a >= 0);
    CHECK(write(c, "x", 1) == 1);
    {
        char b = 0;
        CHECK(read(a, &b, 1) == 1 && b == 'x');
    }
    CHECK(is_cloexec(c)); /* ours */

    /* Each library's failures land in its own queue. */
    CHECK(ossl_fail_connect() == 0);
    CHECK(ERR_peek_error() == 0);
    CHECK(BIO_connect(-1, ours, 0) == 0);
    CHECK(ERR_GET_REASON(ossl_get_error()) == BIO_R_INVALID_SOCKET);
    CHECK(ossl_get_error() == 0);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, BIO_R_INVALID_SOCKET));

    BIO_closesocket(a);
    BIO_closesocket(c);
    BIO_closesocket(l);
    ossl_addr_free(theirs);
    BIO_ADDR_free(ours);
    return finish("coexist");
}
