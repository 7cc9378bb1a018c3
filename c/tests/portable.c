/*
 * portable.c - the core calls, on every platform the library builds for:
 * run natively here and, cross-compiled with MinGW, under wine on Windows'
 * winsock (make win).  Only what every platform has: TCP and UDP (the
 * datagram BIO) over 127.0.0.1 and ::1, AF_UNIX where the system offers it,
 * the error queue with the platform's own error numbers (WSAE* on Windows, as
 * OpenSSL's there).
 */
#include "biosock.h"

#include <stdio.h>
#include <string.h>

#ifdef _WIN32
#define LAST_ERROR() WSAGetLastError()
#define E_REFUSED WSAECONNREFUSED
#define E_AFNOSUPPORT WSAEAFNOSUPPORT
#else
#include <errno.h>
#include <sys/time.h>
#include <unistd.h>
#define LAST_ERROR() errno
#define E_REFUSED ECONNREFUSED
#define E_AFNOSUPPORT EAFNOSUPPORT
#endif

static int passed, failed;

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (cond) {                                                           \
            passed++;                                                         \
        } else {                                                              \
            failed++;                                                         \
            fprintf(stderr, "%s:%d: CHECK failed: %s (error %d)\n", __FILE__, \
                    __LINE__, #cond, LAST_ERROR());                           \
        }                                                                     \
    } while (0)

/* The one address of a numeric lookup. */
static BIO_ADDR *numeric(const char *host, const char *service,
                         enum BIO_lookup_type type, int family)
{
    BIO_ADDRINFO *res = NULL;
    BIO_ADDR *a = BIO_ADDR_new();

    CHECK(BIO_lookup_ex(host, service, type, family, SOCK_STREAM, 0, &res)
          == 1);
    if (res != NULL) {
        CHECK(BIO_ADDRINFO_next(res) == NULL);
        *a = *BIO_ADDRINFO_address(res);
        BIO_ADDRINFO_free(res);
    }
    return a;
}

/* listen, connect with NODELAY, accept with the peer, a round trip, a
 * would-block accept, close. */
static void tcp(int family, const char *host)
{
    BIO_ADDR *at = numeric(host, "0", BIO_LOOKUP_SERVER, family);
    BIO_ADDR *bound = BIO_ADDR_new(), *peer = BIO_ADDR_new();
    union BIO_sock_info_u info;
    char buf[5] = "";
    int l = BIO_socket(family, SOCK_STREAM, 0, 0), c, a;

    CHECK(l >= 0);
    CHECK(BIO_listen(l, at, BIO_SOCK_REUSEADDR) == 1);
    {
        /* REUSEADDR as OpenSSL applies it: set, except on Windows, where
         * SO_REUSEADDR would let another socket take the port. */
        int v = -1;
        socklen_t n = sizeof(v);

        CHECK(getsockopt(l, SOL_SOCKET, SO_REUSEADDR, (void *)&v, &n) == 0);
#ifdef _WIN32
        CHECK(v == 0);
#else
        CHECK(v != 0);
#endif
    }
    info.addr = bound;
    CHECK(BIO_sock_info(l, BIO_SOCK_INFO_ADDRESS, &info) == 1);
    CHECK(BIO_ADDR_family(bound) == family && BIO_ADDR_rawport(bound) != 0);
    c = BIO_socket(family, SOCK_STREAM, 0, 0);
    CHECK(c >= 0 && BIO_connect(c, bound, BIO_SOCK_NODELAY) == 1);
    a = BIO_accept_ex(l, peer, 0);
    CHECK(a >= 0 && BIO_ADDR_family(peer) == family);
    CHECK(send(c, "ping", 4, 0) == 4);
    CHECK(recv(a, buf, 4, 0) == 4 && strcmp(buf, "ping") == 0);
    CHECK(ERR_peek_error() == 0);

    CHECK(BIO_socket_nbio(l, 1) == 1);
    CHECK(BIO_accept_ex(l, NULL, 0) == (int)INVALID_SOCKET);
    CHECK(BIO_sock_should_retry(-1) && ERR_peek_error() == 0);

    CHECK(BIO_closesocket(a) == 1 && BIO_closesocket(c) == 1
          && BIO_closesocket(l) == 1);
    BIO_ADDR_free(at);
    BIO_ADDR_free(bound);
    BIO_ADDR_free(peer);
}

/* A refused connect: the platform's error number as the SYS entry, then
 * BIO_R_CONNECT_ERROR, as OpenSSL pushes them. */
static void refused(void)
{
    BIO_ADDR *at = numeric("127.0.0.1", "0", BIO_LOOKUP_SERVER, AF_INET);
    BIO_ADDR *bound = BIO_ADDR_new();
    union BIO_sock_info_u info;
    int holder = BIO_socket(AF_INET, SOCK_STREAM, 0, 0), c;
    unsigned long e;

    CHECK(BIO_bind(holder, at, 0) == 1);
    info.addr = bound;
    CHECK(BIO_sock_info(holder, BIO_SOCK_INFO_ADDRESS, &info) == 1);
    c = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CHECK(BIO_connect(c, bound, 0) == 0);
    e = ERR_get_error();
    CHECK(ERR_SYSTEM_ERROR(e) && ERR_GET_REASON(e) == E_REFUSED);
    e = ERR_get_error();
    CHECK(ERR_GET_LIB(e) == ERR_LIB_BIO
          && ERR_GET_REASON(e) == BIO_R_CONNECT_ERROR);
    CHECK(ERR_get_error() == 0);
    BIO_closesocket(c);
    BIO_closesocket(holder);
    BIO_ADDR_free(at);
    BIO_ADDR_free(bound);
}

/* Bad input: a family no system has; a NULL address. */
static void bad_input(void)
{
    unsigned long e;
    char text[256];

    CHECK(BIO_socket(12345, SOCK_STREAM, 0, 0) == (int)INVALID_SOCKET);
    e = ERR_get_error();
    CHECK(ERR_SYSTEM_ERROR(e) && ERR_GET_REASON(e) == E_AFNOSUPPORT);
    ERR_error_string_n(e, text, sizeof(text));
    CHECK(strncmp(text, "error:", 6) == 0 && strlen(text) > 30);
    CHECK(ERR_GET_REASON(ERR_get_error()) == BIO_R_UNABLE_TO_CREATE_SOCKET);
    CHECK(BIO_connect(0, NULL, 0) == 0);
    CHECK(ERR_GET_REASON(ERR_get_error()) == ERR_R_PASSED_NULL_PARAMETER);
    CHECK(ERR_get_error() == 0);
}

/* Lookups and parsing that need no resolver. */
static void names(void)
{
    BIO_ADDR *a = numeric("127.0.0.1", "443", BIO_LOOKUP_CLIENT, AF_UNSPEC);
    char *host = BIO_ADDR_hostname_string(a, 1), *h = NULL, *s = NULL;

    CHECK(host != NULL && strcmp(host, "127.0.0.1") == 0);
    CHECK(BIO_ADDR_rawport(a) == htons(443));
    OPENSSL_free(host);
    BIO_ADDR_free(a);
    CHECK(BIO_parse_hostserv("[::1]:443", &h, &s, BIO_PARSE_PRIO_HOST) == 1);
    CHECK(h != NULL && strcmp(h, "::1") == 0 && s != NULL
          && strcmp(s, "443") == 0);
    OPENSSL_free(h);
    OPENSSL_free(s);
}

/* Happy Eyeballs to a listener on 127.0.0.1. */
static void happy(void)
{
    BIO_ADDR *at = numeric("127.0.0.1", "0", BIO_LOOKUP_SERVER, AF_INET);
    BIO_ADDR *bound = BIO_ADDR_new();
    union BIO_sock_info_u info;
    const BIO_ADDR *addrs[1];
    int l = BIO_socket(AF_INET, SOCK_STREAM, 0, 0), c;

    CHECK(BIO_listen(l, at, 0) == 1);
    info.addr = bound;
    CHECK(BIO_sock_info(l, BIO_SOCK_INFO_ADDRESS, &info) == 1);
    addrs[0] = bound;
    c = biosock_connect_any(addrs, 1, BIO_SOCK_NODELAY, 100, 5000, NULL);
    CHECK(c >= 0 && ERR_peek_error() == 0);
    BIO_closesocket(c);
    BIO_closesocket(l);
    BIO_ADDR_free(at);
    BIO_ADDR_free(bound);
}

/* AF_UNIX, where the system has it (Windows 10 1803 and later; wine may
 * not): a connection to a path. */
static void unix_sockets(void)
{
    BIO_ADDR *at = BIO_ADDR_new(), *peer = BIO_ADDR_new();
    char path[64];
    int l = BIO_socket(AF_UNIX, SOCK_STREAM, 0, 0), c, a;

    if (l < 0) {
        printf("portable: AF_UNIX: not offered here (error %d), left out\n",
               LAST_ERROR());
        ERR_clear_error();
        BIO_ADDR_free(at);
        BIO_ADDR_free(peer);
        return;
    }
    snprintf(path, sizeof(path), "biosock-portable-%d.sock", (int)clock());
    (void)remove(path);
    CHECK(BIO_ADDR_rawmake(at, AF_UNIX, path, strlen(path), 0) == 1);
    CHECK(BIO_listen(l, at, 0) == 1);
    c = BIO_socket(AF_UNIX, SOCK_STREAM, 0, 0);
    CHECK(c >= 0 && BIO_connect(c, at, 0) == 1);
    a = BIO_accept_ex(l, peer, 0);
    CHECK(a >= 0 && BIO_ADDR_family(peer) == AF_UNIX);
    BIO_closesocket(a);
    BIO_closesocket(c);
    BIO_closesocket(l);
    (void)remove(path);
    BIO_ADDR_free(at);
    BIO_ADDR_free(peer);
}

/* The datagram BIO over UDP (the platform layer's sendto/recvfrom and
 * batches, and its timeouts: a DWORD of milliseconds on Windows): a
 * datagram each way, a batch of two, a read that times out. */
static void udp(int family, const char *host)
{
    BIO_ADDR *at = numeric(host, "0", BIO_LOOKUP_SERVER, family);
    BIO_ADDR *pa = BIO_ADDR_new(), *pb = BIO_ADDR_new();
    union BIO_sock_info_u info;
    int fa = BIO_socket(family, SOCK_DGRAM, 0, 0);
    int fb = BIO_socket(family, SOCK_DGRAM, 0, 0);
    struct timeval tv = {0, 50000};
    BIO *a, *b;
    BIO_MSG m[2];
    char x[8] = {0}, y[8] = {0};
    size_t done = 0;

    CHECK(fa >= 0 && fb >= 0);
    CHECK(BIO_bind(fa, at, 0) == 1 && BIO_bind(fb, at, 0) == 1);
    info.addr = pa;
    CHECK(BIO_sock_info(fa, BIO_SOCK_INFO_ADDRESS, &info) == 1);
    info.addr = pb;
    CHECK(BIO_sock_info(fb, BIO_SOCK_INFO_ADDRESS, &info) == 1);
    a = BIO_new_dgram(fa, BIO_CLOSE);
    b = BIO_new_dgram(fb, BIO_CLOSE);
    CHECK(BIO_dgram_set_peer(a, pb) == 1);
    CHECK(BIO_write(a, "ping", 4) == 4);
    CHECK(BIO_read(b, x, sizeof(x)) == 4 && memcmp(x, "ping", 4) == 0);
    CHECK(BIO_write(b, "pong", 4) == 4); /* to the sender it learnt */
    CHECK(BIO_read(a, x, sizeof(x)) == 4 && memcmp(x, "pong", 4) == 0);
    memset(m, 0, sizeof(m));
    m[0].data = "one";
    m[0].data_len = 3;
    m[0].peer = pb;
    m[1].data = "two!";
    m[1].data_len = 4;
    m[1].peer = pb;
    while (done < 2) { /* one a call where there is no sendmmsg */
        size_t n = 0;

        CHECK(BIO_sendmmsg(a, m + done, sizeof(BIO_MSG), 2 - done, 0, &n)
              == 1);
        if (n == 0)
            break;
        done += n;
    }
    CHECK(done == 2);
    m[0].data = x;
    m[0].data_len = sizeof(x);
    m[1].data = y;
    m[1].data_len = sizeof(y);
    done = 0;
    while (done < 2) {
        size_t n = 0;

        CHECK(BIO_recvmmsg(b, m + done, sizeof(BIO_MSG), 2 - done, 0, &n)
              == 1);
        if (n == 0)
            break;
        done += n;
    }
    CHECK(done == 2 && m[0].data_len == 3 && m[1].data_len == 4);
    CHECK(memcmp(x, "one", 3) == 0 && memcmp(y, "two!", 4) == 0);
    CHECK(BIO_ctrl(b, BIO_CTRL_DGRAM_SET_RECV_TIMEOUT, 0, &tv) == 0);
    memset(&tv, 0, sizeof(tv));
    CHECK(BIO_ctrl(b, BIO_CTRL_DGRAM_GET_RECV_TIMEOUT, 0, &tv) > 0);
    CHECK(tv.tv_sec == 0 && tv.tv_usec >= 50000 && tv.tv_usec < 100000);
    CHECK(BIO_read(b, x, sizeof(x)) == -1 && BIO_should_retry(b));
    CHECK(BIO_dgram_recv_timedout(b) == 1);
    CHECK(ERR_peek_error() == 0);
    BIO_free(a);
    BIO_free(b);
    BIO_ADDR_free(at);
    BIO_ADDR_free(pa);
    BIO_ADDR_free(pb);
}

int main(void)
{
    tcp(AF_INET, "127.0.0.1");
    tcp(AF_INET6, "::1");
    refused();
    bad_input();
    names();
    happy();
    unix_sockets();
    udp(AF_INET, "127.0.0.1");
    udp(AF_INET6, "::1");
    printf("portable: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
