/*
 * coexist.c - libcrypto and biosock in one executable, both used: OpenSSL's
 * BIO_ADDR_new beside ours, an OpenSSL listener accepting a biosock
 * connection, two error queues that never mix, and BIO objects of both:
 * each library's memory and socket BIOs on the same fds, each printing its
 * own queue into its own BIO.
 */
#include "check.h"
#include "coexist.h"

/* Whether the n bytes at p (not NUL-terminated) hold s. */
static int holds(const char *p, long n, const char *s)
{
    size_t k = strlen(s);
    long i;

    for (i = 0; i + (long)k <= n; i++)
        if (memcmp(p + i, s, k) == 0)
            return 1;
    return 0;
}

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

    /* BIO objects of both libraries, side by side. */
    {
        void *their_mem = ossl_mem_new(), *their_sock = ossl_socket_bio(a);
        BIO *our_mem = BIO_new(BIO_s_mem());
        BIO *our_sock = BIO_new_socket(c, BIO_NOCLOSE);
        char *p = NULL, buf[8] = {0};
        long n;

        CHECK(their_mem != NULL && our_mem != NULL);
        CHECK(ossl_bio_puts(their_mem, "theirs") == 6);
        CHECK(BIO_puts(our_mem, "ours!") == 5);
        CHECK(ossl_mem_data(their_mem, &p) == 6
              && memcmp(p, "theirs", 6) == 0);
        CHECK(BIO_get_mem_data(our_mem, &p) == 5
              && memcmp(p, "ours!", 5) == 0);
        CHECK(ossl_bio_method_type(their_sock) == BIO_TYPE_SOCKET);
        CHECK(BIO_method_type(our_sock) == BIO_TYPE_SOCKET);
        CHECK(BIO_write(our_sock, "hi", 2) == 2);
        CHECK(ossl_bio_read(their_sock, buf, sizeof(buf)) == 2
              && memcmp(buf, "hi", 2) == 0);

        /* Each prints its own queue into its own BIO. */
        CHECK(BIO_reset(our_mem) == 1);
        CHECK(ossl_fail_connect() == 0);
        CHECK(BIO_connect(-1, ours, 0) == 0);
        ossl_print_errors(their_mem);
        ERR_print_errors(our_mem);
        CHECK(ossl_get_error() == 0 && ERR_peek_error() == 0);
        n = ossl_mem_data(their_mem, &p);
        CHECK(n > 6 && holds(p, n, "BIO_connect"));
        n = BIO_get_mem_data(our_mem, &p);
        CHECK(n > 0 && holds(p, n, "BIO_connect") && !holds(p, n, "theirs"));
        ossl_bio_free(their_sock);
        ossl_bio_free(their_mem);
        BIO_free(our_sock);
        BIO_free(our_mem);
    }

    BIO_closesocket(a);
    BIO_closesocket(c);
    BIO_closesocket(l);
    ossl_addr_free(theirs);
    BIO_ADDR_free(ours);
    return finish("coexist");
}
