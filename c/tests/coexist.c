/*
 * coexist.c - libcrypto and biosock in one executable, both used: OpenSSL's
 * BIO_ADDR_new beside ours, an OpenSSL listener accepting a biosock
 * connection, two error queues that never mix, and BIO objects of both:
 * each library's memory and socket BIOs on the same fds, each printing its
 * own queue into its own BIO, and each one's datagram BIO answering the
 * other's over UDP.
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

    /* Datagram BIOs of both on one pair of UDP sockets: each library's
     * read learns the other's address as its peer, and answers it. */
    {
        int u1 = BIO_socket(AF_INET, SOCK_DGRAM, 0, 0);
        int u2 = BIO_socket(AF_INET, SOCK_DGRAM, 0, 0);
        BIO_ADDR *at = BIO_ADDR_new();
        union BIO_sock_info_u info;
        void *theirs_d;
        BIO *ours_d, *p1 = NULL, *p2 = NULL;
        char buf[8] = {0};

        CHECK(BIO_ADDR_rawmake(at, AF_INET, lo, 4, 0) == 1);
        CHECK(BIO_bind(u1, at, 0) == 1 && BIO_bind(u2, at, 0) == 1);
        info.addr = at;
        CHECK(BIO_sock_info(u2, BIO_SOCK_INFO_ADDRESS, &info) == 1);
        theirs_d = ossl_dgram_bio(u1);
        ours_d = BIO_new_dgram(u2, BIO_NOCLOSE);
        CHECK(theirs_d != NULL && ours_d != NULL);
        CHECK(ossl_bio_method_type(theirs_d) == BIO_TYPE_DGRAM);
        CHECK(BIO_method_type(ours_d) == BIO_TYPE_DGRAM);
        CHECK(BIO_dgram_set_peer(ours_d, at) == 1); /* itself, for now */
        CHECK(BIO_write(ours_d, "self", 4) == 4);
        CHECK(BIO_read(ours_d, buf, sizeof(buf)) == 4);
        info.addr = at;
        CHECK(BIO_sock_info(u1, BIO_SOCK_INFO_ADDRESS, &info) == 1);
        CHECK(BIO_dgram_set_peer(ours_d, at) == 1);
        CHECK(BIO_write(ours_d, "ours", 4) == 4);
        CHECK(ossl_bio_read(theirs_d, buf, sizeof(buf)) == 4
              && memcmp(buf, "ours", 4) == 0);
        CHECK(ossl_bio_write(theirs_d, "back", 4) == 4); /* to its sender */
        CHECK(BIO_read(ours_d, buf, sizeof(buf)) == 4
              && memcmp(buf, "back", 4) == 0);
        /* and a pair of ours, which libcrypto 3.0 does not have */
        CHECK(BIO_new_bio_dgram_pair(&p1, 0, &p2, 0) == 1);
        CHECK(BIO_write(p1, "pair", 4) == 4);
        CHECK(BIO_read(p2, buf, sizeof(buf)) == 4);
        CHECK(ossl_get_error() == 0 && ERR_peek_error() == 0);
        BIO_free(p1);
        BIO_free(p2);
        ossl_bio_free(theirs_d);
        BIO_free(ours_d);
        BIO_ADDR_free(at);
        BIO_closesocket(u1);
        BIO_closesocket(u2);
    }

    BIO_closesocket(a);
    BIO_closesocket(c);
    BIO_closesocket(l);
    ossl_addr_free(theirs);
    BIO_ADDR_free(ours);
    return finish("coexist");
}
