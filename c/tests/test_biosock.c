/*
 * test_biosock.c - the C suite, in the header's order: the six functions,
 * the helpers, BIO_ADDR, lookups, the deprecated functions and the error
 * queue, each on IPv4, IPv6 and Unix sockets where it applies.  What OpenSSL
 * does the same is also held to libcrypto by the differential test; what
 * biosock does better is tested here.
 */
#include "check.h"
#include "../src/rust.h"

#include <limits.h>
#include <stddef.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <time.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#ifndef TCPI_OPT_SYN_DATA
#define TCPI_OPT_SYN_DATA 32 /* Linux's uapi value; musl's header lacks it */
#endif

/* ------------------------------------------------------------------ */

static void test_socket(void)
{
    int f, s;

    FOR_EACH_FAMILY(f)
    {
        s = BIO_socket(f, SOCK_STREAM, 0, 0);
        CHECK(s >= 0);
        CHECK(is_cloexec(s)); /* Better: SOCK_CLOEXEC */
        CHECK(!is_nonblock(s));
        CHECK(getint(s, SOL_SOCKET, SO_DOMAIN) == f);
        CHECK(BIO_closesocket(s) == 1);
        s = BIO_socket(f, SOCK_DGRAM, 0, 0);
        CHECK(s >= 0 && is_cloexec(s));
        CHECK(getint(s, SOL_SOCKET, SO_TYPE) == SOCK_DGRAM);
        CHECK(BIO_closesocket(s) == 1);
    }
    /* OpenSSL ignores the known options here; so do we. */
    s = BIO_socket(AF_INET, SOCK_STREAM, 0, BIO_SOCK_NONBLOCK);
    CHECK(s >= 0 && !is_nonblock(s));
    BIO_closesocket(s);
    errno = 0;
    CHECK(BIO_socket(AF_INET, 999, 0, 0) == INVALID_SOCKET);
    CHECK(errno == EINVAL);
    CHECK(QUEUE_IS(SYS_BIO(EINVAL, BIO_R_UNABLE_TO_CREATE_SOCKET)));
    CHECK(BIO_socket(-1, SOCK_STREAM, 0, 0) == INVALID_SOCKET);
    CHECK(errno == EAFNOSUPPORT);
    CHECK(QUEUE_IS(SYS_BIO(EAFNOSUPPORT, BIO_R_UNABLE_TO_CREATE_SOCKET)));
    /* Unknown option bits are refused, not ignored. */
    CHECK(BIO_socket(AF_INET, SOCK_STREAM, 0, 0x40) == INVALID_SOCKET);
    CHECK(errno == EINVAL);
    CHECK(QUEUE_IS(BAD_PARAM));
    CHECK(BIO_socket(AF_INET, SOCK_STREAM, 0, INT_MIN) == INVALID_SOCKET);
    CHECK(QUEUE_IS(BAD_PARAM));
}

static void test_bind(void)
{
    int f;

    FOR_EACH_FAMILY(f)
    {
        BIO_ADDR *to;
        int l = listener(f, 0, &to), s = BIO_socket(f, SOCK_STREAM, 0, 0);

        /* Bound elsewhere already: EADDRINUSE, even with REUSEADDR while
         * the other one listens. */
        errno = 0;
        CHECK(BIO_bind(s, to, BIO_SOCK_REUSEADDR) == 0);
        CHECK(errno == EADDRINUSE);
        CHECK(QUEUE_IS(SYS_BIO(EADDRINUSE, BIO_R_UNABLE_TO_BIND_SOCKET)));
        if (f != AF_UNIX)
            CHECK(getint(s, SOL_SOCKET, SO_REUSEADDR) == 1);
        CHECK(BIO_bind(-1, to, 0) == 0);
        CHECK(QUEUE_IS(1, ERR_LIB_BIO, BIO_R_INVALID_SOCKET));
        CHECK(BIO_bind(s, NULL, 0) == 0);
        CHECK(errno == EINVAL);
        CHECK(QUEUE_IS(NULL_PARAM));
        CHECK(BIO_bind(s, to, 0x40) == 0);
        CHECK(QUEUE_IS(BAD_PARAM));
        BIO_closesocket(s);
        BIO_closesocket(l);
        BIO_ADDR_free(to);
    }
}

static void test_connect(void)
{
    int f;

    FOR_EACH_FAMILY(f)
    {
        BIO_ADDR *to;
        int l = listener(f, 0, &to), c, a, r;

        c = BIO_socket(f, SOCK_STREAM, 0, 0);
        CHECK(BIO_connect(c, to,
                          f == AF_UNIX ? BIO_SOCK_KEEPALIVE
                                       : BIO_SOCK_KEEPALIVE | BIO_SOCK_NODELAY)
              == 1);
        CHECK(QUEUE_EMPTY());
        CHECK(getint(c, SOL_SOCKET, SO_KEEPALIVE) == 1);
        if (f != AF_UNIX)
            CHECK(getint(c, IPPROTO_TCP, TCP_NODELAY) == 1);
        CHECK(!is_nonblock(c));
        a = BIO_accept_ex(l, NULL, 0);
        CHECK(a >= 0);
        BIO_closesocket(a);
        BIO_closesocket(c);

        /* A non-blocking connect: 1 or a retryable 0 with nothing pushed;
         * blocking mode is also cleared again when NONBLOCK is absent. */
        c = BIO_socket(f, SOCK_STREAM, 0, 0);
        errno = 0;
        r = BIO_connect(c, to, BIO_SOCK_NONBLOCK);
        CHECK(r == 1 || (errno == EINPROGRESS && BIO_sock_should_retry(-1)));
        CHECK(QUEUE_EMPTY());
        CHECK(is_nonblock(c));
        a = BIO_accept_ex(l, NULL, 0);
        CHECK(a >= 0);
        {
            struct pollfd p = {c, POLLOUT, 0};
            CHECK(poll(&p, 1, 5000) == 1);
        }
        CHECK(BIO_sock_error(c) == 0);
        BIO_closesocket(a);
        BIO_closesocket(c);

        CHECK(BIO_connect(-1, to, 0) == 0);
        CHECK(QUEUE_IS(1, ERR_LIB_BIO, BIO_R_INVALID_SOCKET));
        c = BIO_socket(f, SOCK_STREAM, 0, 0);
        CHECK(BIO_connect(c, NULL, 0) == 0);
        CHECK(errno == EINVAL);
        CHECK(QUEUE_IS(NULL_PARAM));
        CHECK(BIO_connect(c, to, 0x100) == 0);
        CHECK(QUEUE_IS(BAD_PARAM));
        BIO_closesocket(l);
        errno = 0;
        CHECK(BIO_connect(c, to, 0) == 0);
        CHECK(errno == ECONNREFUSED);
        CHECK(QUEUE_IS(SYS_BIO(ECONNREFUSED, BIO_R_CONNECT_ERROR)));
        /* A failed call never closes the socket. */
        CHECK(fcntl(c, F_GETFD) != -1);
        BIO_closesocket(c);
        BIO_ADDR_free(to);
    }
}

static void test_listen(void)
{
    BIO_ADDR *any6 = addr_of(AF_INET6, "::", 0);
    int s, opt;

    for (opt = 0; opt < 2; opt++) {
        s = BIO_socket(AF_INET6, SOCK_STREAM, 0, 0);
        CHECK(BIO_listen(s, any6, opt ? BIO_SOCK_V6_ONLY : 0) == 1);
        CHECK(getint(s, IPPROTO_IPV6, IPV6_V6ONLY) == opt);
        CHECK(getint(s, SOL_SOCKET, SO_ACCEPTCONN) == 1);
        BIO_closesocket(s);
    }
    s = BIO_socket(AF_INET6, SOCK_STREAM, 0, 0);
    CHECK(BIO_listen(s, any6,
                     BIO_SOCK_REUSEADDR | BIO_SOCK_KEEPALIVE | BIO_SOCK_NODELAY
                         | BIO_SOCK_NONBLOCK)
          == 1);
    CHECK(getint(s, SOL_SOCKET, SO_REUSEADDR) == 1);
    CHECK(getint(s, SOL_SOCKET, SO_KEEPALIVE) == 1);
    CHECK(getint(s, IPPROTO_TCP, TCP_NODELAY) == 1);
    CHECK(is_nonblock(s) && is_cloexec(s));
    /* Blocking mode is set both ways. */
    /* Already bound: IPV6_V6ONLY can no longer change (EINVAL). */
    CHECK(BIO_listen(s, any6, 0) == 0);
    CHECK(QUEUE_IS(SYS_BIO(EINVAL, BIO_R_LISTEN_V6_ONLY)));
    CHECK(!is_nonblock(s));
    BIO_closesocket(s);

    s = BIO_socket(AF_INET, SOCK_DGRAM, 0, 0);
    {
        BIO_ADDR *v4 = addr_of(AF_INET, "127.0.0.1", 0);
        CHECK(BIO_listen(s, v4, 0) == 1);
        CHECK(getint(s, SOL_SOCKET, SO_ACCEPTCONN) == 0);
        CHECK(BIO_listen(-1, v4, 0) == 0);
        CHECK(QUEUE_IS(1, ERR_LIB_BIO, BIO_R_INVALID_SOCKET));
        CHECK(BIO_listen(s, v4, BIO_SOCK_V6_ONLY << 8) == 0);
        CHECK(QUEUE_IS(BAD_PARAM));
        BIO_ADDR_free(v4);
    }
    CHECK(BIO_listen(s, NULL, 0) == 0);
    CHECK(QUEUE_IS(NULL_PARAM));
    BIO_closesocket(s);
    BIO_ADDR_free(any6);
}

static void test_accept(void)
{
    int f;

    install_handler();
    FOR_EACH_FAMILY(f)
    {
        BIO_ADDR *to, *peer = BIO_ADDR_new();
        int l = listener(f, 0, &to), c, a;

        c = BIO_socket(f, SOCK_STREAM, 0, 0);
        CHECK(BIO_connect(c, to, 0) == 1);
        a = BIO_accept_ex(l, peer, BIO_SOCK_NONBLOCK);
        CHECK(a >= 0 && is_cloexec(a) && is_nonblock(a));
        CHECK(BIO_ADDR_family(peer) == f);
        if (f != AF_UNIX)
            CHECK(BIO_ADDR_rawport(peer) != 0);
        BIO_closesocket(a);
        BIO_closesocket(c);

        /* EINTR in a blocking accept is returned, as OpenSSL does: -1,
         * errno EINTR, nothing pushed, BIO_sock_should_retry() true.  No
         * client is coming, so only a signal can end this accept. */
        INTERRUPTED(BIO_accept_ex(l, peer, 0), a);
        CHECK(a == INVALID_SOCKET && errno == EINTR);
        CHECK(BIO_sock_should_retry(-1));
        CHECK(QUEUE_EMPTY());
        /* The retry accepts the connection that comes later. */
        c = BIO_socket(f, SOCK_STREAM, 0, 0);
        CHECK(BIO_connect(c, to, 0) == 1);
        a = BIO_accept_ex(l, peer, 0);
        CHECK(a >= 0 && is_cloexec(a) && !is_nonblock(a));
        BIO_closesocket(a);
        BIO_closesocket(c);

        /* Empty non-blocking listener: -1, EAGAIN, nothing pushed. */
        BIO_socket_nbio(l, 1);
        CHECK(BIO_accept_ex(l, peer, 0) == INVALID_SOCKET);
        CHECK(errno == EAGAIN && QUEUE_EMPTY());
        CHECK(BIO_accept_ex(l, NULL, 0x80) == INVALID_SOCKET);
        CHECK(QUEUE_IS(BAD_PARAM));
        CHECK(BIO_accept_ex(-1, peer, 0) == INVALID_SOCKET);
        CHECK(errno == EBADF);
        CHECK(QUEUE_IS(SYS_BIO(EBADF, BIO_R_ACCEPT_ERROR)));
        BIO_closesocket(l);
        BIO_ADDR_free(to);
        BIO_ADDR_free(peer);
    }
}

/* A client that resets its connection before the server accepts it: accept
 * still returns a socket, whose first read reports ECONNRESET. */
static void test_accept_after_reset(void)
{
    BIO_ADDR *to;
    int l = listener(AF_INET, 0, &to), c, a, before = open_fds();
    struct linger lg = {1, 0};
    char b;

    c = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CHECK(BIO_connect(c, to, 0) == 1);
    setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    BIO_closesocket(c);
    a = BIO_accept_ex(l, NULL, 0);
    CHECK(a >= 0);
    /* Wait for the reset to reach the accepted socket (an event, not a
     * sleep): it reports POLLERR/POLLHUP then. */
    {
        struct pollfd pfd = {a, POLLIN, 0};

        CHECK(poll(&pfd, 1, 5000) == 1);
    }
    errno = 0;
    CHECK(read(a, &b, 1) == -1 && errno == ECONNRESET);
    BIO_closesocket(a);
    CHECK(open_fds() == before);
    BIO_closesocket(l);
    BIO_ADDR_free(to);
}

static void test_closesocket(void)
{
    int s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);

    CHECK(BIO_closesocket(s) == 1);
    errno = 0;
    CHECK(BIO_closesocket(s) == 0 && errno == EBADF);
    CHECK(BIO_closesocket(-1) == 0);
    CHECK(BIO_closesocket(INT_MIN) == 0);
    CHECK(QUEUE_EMPTY());
}

/* ------------------------------------------------------------------ */

static void test_helpers(void)
{
    union BIO_sock_info_u info;
    int s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0), hi;
    struct rlimit rl;

    CHECK(BIO_sock_init() == 1);
    CHECK(BIO_socket_nbio(s, 1) == 1 && is_nonblock(s));
    CHECK(BIO_socket_nbio(s, 0) == 1 && !is_nonblock(s));
    CHECK(BIO_socket_nbio(-1, 1) == 0);
    CHECK(QUEUE_IS(1, ERR_LIB_SYS, EBADF));
    CHECK(BIO_set_tcp_ndelay(s, 1) == 1);
    CHECK(getint(s, IPPROTO_TCP, TCP_NODELAY) == 1);
    CHECK(BIO_sock_error(s) == 0);
    CHECK(BIO_sock_error(-1) == EBADF);
    errno = EAGAIN;
    CHECK(BIO_sock_should_retry(-1) == 1);
    CHECK(BIO_sock_should_retry(5) == 0);
    CHECK(BIO_sock_non_fatal_error(ECONNRESET) == 0);

    CHECK(BIO_sock_info(s, BIO_SOCK_INFO_ADDRESS, NULL) == 0);
    CHECK(QUEUE_IS(NULL_PARAM));
    info.addr = NULL;
    CHECK(BIO_sock_info(s, BIO_SOCK_INFO_ADDRESS, &info) == 0);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(BIO_sock_info(s, (enum BIO_sock_info_type)3, &info) == 0);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, BIO_R_UNKNOWN_INFO_TYPE));

    /* BIO_socket_wait with poll: an fd above FD_SETSIZE works. */
    CHECK(BIO_socket_wait(s, 0, time(NULL) + 2) == 1);
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_max > FD_SETSIZE + 10) {
        rlim_t old = rl.rlim_cur;

        rl.rlim_cur = FD_SETSIZE + 10;
        setrlimit(RLIMIT_NOFILE, &rl);
        hi = fcntl(s, F_DUPFD_CLOEXEC, FD_SETSIZE + 1);
        CHECK(hi > FD_SETSIZE);
        CHECK(BIO_socket_wait(hi, 0, time(NULL) + 2) == 1);
        close(hi);
        rl.rlim_cur = old;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    /* Nothing to read on a datagram socket: times out with 0. */
    hi = BIO_socket(AF_INET, SOCK_DGRAM, 0, 0);
    CHECK(BIO_socket_wait(hi, 1, time(NULL) + 1) == 0);
    CHECK(BIO_socket_wait(hi, 1, time(NULL) - 1) == 0);
    BIO_closesocket(hi);
    CHECK(BIO_socket_wait(s, 1, 0) == 1);
    CHECK(BIO_socket_wait(-1, 1, 0) == -1);
    BIO_closesocket(s);
    errno = 0;
    CHECK(BIO_socket_wait(s, 1, time(NULL) + 1) == -1 && errno == EBADF);
    CHECK(QUEUE_EMPTY());
}

/* ------------------------------------------------------------------ */

static void test_addr(void)
{
    static const unsigned char v4[4] = {127, 0, 0, 1};
    BIO_ADDR stack, *a = BIO_ADDR_new(), *d;
    char path[4200], *s;
    size_t len;

    CHECK(BIO_ADDR_family(a) == AF_UNSPEC);
    CHECK(BIO_ADDR_rawaddress(a, NULL, &len) == 0);
    /* wherelen 0, off by one, SIZE_MAX. */
    CHECK(BIO_ADDR_rawmake(a, AF_INET, v4, 0, 0) == 0);
    CHECK(BIO_ADDR_rawmake(a, AF_INET, v4, 3, 0) == 0);
    CHECK(BIO_ADDR_rawmake(a, AF_INET, v4, 5, 0) == 0);
    CHECK(BIO_ADDR_rawmake(a, AF_INET, v4, SIZE_MAX, 0) == 0);
    CHECK(BIO_ADDR_rawmake(a, AF_INET6, v4, 15, 0) == 0);
    CHECK(BIO_ADDR_rawmake(a, AF_UNIX, "x", SIZE_MAX, 0) == 0);
    CHECK(QUEUE_EMPTY()); /* as OpenSSL: refused without an entry */
    CHECK(BIO_ADDR_family(a) == AF_UNSPEC);
    CHECK(BIO_ADDR_rawmake(a, AF_INET, v4, 4, htons(65535)) == 1);
    CHECK(BIO_ADDR_rawport(a) == htons(65535));
    CHECK(BIO_ADDR_sockaddr_size(a) == sizeof(struct sockaddr_in));
    CHECK(BIO_ADDR_sockaddr(a)->sa_family == AF_INET);

    /* Unix paths of the longest length (107 on Linux), one more, 4096. */
    memset(path, 'p', sizeof(path));
    path[0] = '/';
    CHECK(BIO_ADDR_rawmake(a, AF_UNIX, path, SUN_PATH_SIZE - 1, 0) == 1);
    CHECK(BIO_ADDR_rawaddress(a, NULL, &len) == 1 && len == SUN_PATH_SIZE - 1);
    CHECK(BIO_ADDR_rawmake(a, AF_UNIX, path, SUN_PATH_SIZE, 0) == 0);
    CHECK(BIO_ADDR_rawmake(a, AF_UNIX, path, 4096, 0) == 0);
    CHECK(BIO_ADDR_rawaddress(a, NULL, &len) == 1 && len == SUN_PATH_SIZE - 1);
    CHECK(QUEUE_EMPTY());
    /* A path ends at its first NUL, as in OpenSSL; failures leave errno. */
    CHECK(BIO_ADDR_rawmake(a, AF_UNIX, "/a\0b", 4, 0) == 1);
    s = BIO_ADDR_path_string(a);
    CHECK(s != NULL && strcmp(s, "/a") == 0);
    OPENSSL_free(s);
    errno = 12345;
    CHECK(BIO_ADDR_rawmake(a, AF_UNIX, path, 4096, 0) == 0);
    CHECK(BIO_ADDR_rawmake(a, 12345, path, 4, 0) == 0);
    CHECK(errno == 12345 && QUEUE_EMPTY());
    CHECK(BIO_ADDR_rawmake(a, AF_UNIX, "/ab\0\0", 5, 0) == 1);
    s = BIO_ADDR_path_string(a);
    CHECK(s != NULL && strcmp(s, "/ab") == 0);
    OPENSSL_free(s);
    /* Abstract names. */
    CHECK(BIO_ADDR_rawmake(a, AF_UNIX, "\0abs", 4, 0) == 1);
    CHECK(BIO_ADDR_sockaddr_size(a)
          == offsetof(struct sockaddr_un, sun_path) + 4);
    s = BIO_ADDR_path_string(a);
    CHECK(s != NULL && strcmp(s, "@abs") == 0);
    OPENSSL_free(s);
    CHECK(BIO_ADDR_rawaddress(a, path, &len) == 1 && len == 4
          && memcmp(path, "\0abs", 4) == 0);

    /* copy, dup, clear; a BIO_ADDR can live on the stack. */
    CHECK(BIO_ADDR_copy(&stack, a) == 1);
    d = BIO_ADDR_dup(&stack);
    CHECK(d != NULL && memcmp(d, a, sizeof(*a)) == 0);
    BIO_ADDR_clear(d);
    CHECK(BIO_ADDR_family(d) == AF_UNSPEC);
    BIO_ADDR_free(d);
    CHECK(BIO_ADDR_dup(NULL) == NULL);

    /* NULL everywhere: an entry and a failure, never a crash. */
    CHECK(BIO_ADDR_rawmake(NULL, AF_INET, v4, 4, 0) == 0);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(BIO_ADDR_rawmake(a, AF_INET, NULL, 4, 0) == 0);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(BIO_ADDR_family(NULL) == AF_UNSPEC);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(BIO_ADDR_rawaddress(NULL, NULL, NULL) == 0);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(BIO_ADDR_rawport(NULL) == 0);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(BIO_ADDR_hostname_string(NULL, 1) == NULL);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(BIO_ADDR_service_string(NULL, 0) == NULL);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(BIO_ADDR_path_string(NULL) == NULL);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(BIO_ADDR_sockaddr(NULL) == NULL);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(BIO_ADDR_sockaddr_size(NULL) == 0);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(BIO_ADDR_copy(NULL, a) == 0 && BIO_ADDR_copy(a, NULL) == 0);
    CHECK(QUEUE_IS(2, ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER, ERR_LIB_BIO,
                   ERR_R_PASSED_NULL_PARAMETER));
    BIO_ADDR_clear(NULL);
    CHECK(QUEUE_IS(NULL_PARAM));
    BIO_ADDR_free(a);
}

/* An abstract Unix name works end to end and is seen as such by accept. */
static void test_abstract_unix(void)
{
    char name[32];
    BIO_ADDR *a = BIO_ADDR_new(), *peer = BIO_ADDR_new();
    union BIO_sock_info_u info;
    int l, c, s;
    char *str;

    snprintf(name, sizeof(name), "%cbiosock-%d", '\0', (int)getpid());
    CHECK(BIO_ADDR_rawmake(a, AF_UNIX, name, 1 + strlen(name + 1), 0) == 1);
    l = BIO_socket(AF_UNIX, SOCK_STREAM, 0, 0);
    CHECK(BIO_listen(l, a, 0) == 1);
    info.addr = peer;
    CHECK(BIO_sock_info(l, BIO_SOCK_INFO_ADDRESS, &info) == 1);
    str = BIO_ADDR_path_string(peer);
    CHECK(str != NULL && str[0] == '@' && strcmp(str + 1, name + 1) == 0);
    OPENSSL_free(str);
    c = BIO_socket(AF_UNIX, SOCK_STREAM, 0, 0);
    CHECK(BIO_connect(c, peer, 0) == 1);
    s = BIO_accept_ex(l, peer, 0);
    CHECK(s >= 0);
    CHECK(BIO_ADDR_family(peer) == AF_UNIX);
    /* The client is unnamed: peer held the listener's name before, and
     * OpenSSL would leave it there; biosock zeroes past what the kernel
     * wrote, so the peer reads as unnamed. */
    {
        size_t len = 99;

        CHECK(BIO_ADDR_rawaddress(peer, NULL, &len) == 1 && len == 0);
        str = BIO_ADDR_path_string(peer);
        CHECK(str != NULL && str[0] == '\0');
        OPENSSL_free(str);
    }
    BIO_closesocket(s);
    BIO_closesocket(c);
    BIO_closesocket(l);
    BIO_ADDR_free(a);
    BIO_ADDR_free(peer);
}

/* What the kernel writes into a BIO_ADDR is all that is read of it, and
 * the rest is written too where a reader could reach it: IPv4 and IPv6 come
 * whole (the bytes past them are left as they were, as in OpenSSL), and a
 * name of any other family gets the rest of the union zeroed, so that a
 * BIO_ADDR that held garbage holds none of it after. */
static void test_addr_from_kernel(void)
{
    BIO_ADDR *a = BIO_ADDR_new();
    union BIO_sock_info_u info;
    unsigned char *bytes = (unsigned char *)a;
    const size_t cap =
        offsetof(BIO_ADDR, biosock_.unix_len); /* the union's sockaddrs */
    size_t i, zero;
    int s;

    info.addr = a;
    memset(a, 0xab, sizeof(*a));
    s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CHECK(BIO_sock_info(s, BIO_SOCK_INFO_ADDRESS, &info) == 1);
    CHECK(BIO_ADDR_family(a) == AF_INET && BIO_ADDR_rawport(a) == 0);
    CHECK(bytes[sizeof(struct sockaddr_in)] == 0xab);
    BIO_closesocket(s);
#ifdef __linux__
    /* Netlink: a family biosock does not know, a 12-byte name (struct
     * sockaddr_nl; its header is not in every C library's reach: musl). */
    memset(a, 0xab, sizeof(*a));
    s = BIO_socket(AF_NETLINK, SOCK_RAW, 0, 0);
    CHECK(s >= 0);
    CHECK(BIO_sock_info(s, BIO_SOCK_INFO_ADDRESS, &info) == 1);
    CHECK(BIO_ADDR_family(a) == AF_NETLINK);
    for (i = 12, zero = 0; i < cap; i++)
        zero += bytes[i] == 0;
    CHECK(zero == cap - 12);
    BIO_closesocket(s);
#endif
    /* A Unix socket pair's names are the family alone. */
    {
        int sv[2];

        CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
        memset(a, 0xab, sizeof(*a));
        CHECK(BIO_sock_info(sv[0], BIO_SOCK_INFO_ADDRESS, &info) == 1);
        CHECK(BIO_ADDR_family(a) == AF_UNIX);
        for (i = sizeof(sa_family_t), zero = 0; i < cap; i++)
            zero += bytes[i] == 0;
        CHECK(zero == cap - sizeof(sa_family_t));
        close(sv[0]);
        close(sv[1]);
    }
    BIO_ADDR_free(a);
}

/* ------------------------------------------------------------------ */

static char *huge_string(char fill)
{
    char *s = malloc(1 << 20);

    memset(s, fill, (1 << 20) - 1);
    s[(1 << 20) - 1] = '\0';
    return s;
}

static void test_lookup(void)
{
    BIO_ADDRINFO *res = NULL;
    char *huge = huge_string('a'), *h = NULL, *p = NULL;
    char longpath[200];

    CHECK(BIO_lookup("127.0.0.1", "80", BIO_LOOKUP_CLIENT, AF_INET,
                     SOCK_STREAM, NULL)
          == 0);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(BIO_lookup(NULL, NULL, BIO_LOOKUP_CLIENT, AF_UNIX, SOCK_STREAM, &res)
          == 0);
    CHECK(QUEUE_IS(NULL_PARAM));
    memset(longpath, 'x', sizeof(longpath) - 1);
    longpath[sizeof(longpath) - 1] = '\0';
    CHECK(BIO_lookup(longpath, NULL, BIO_LOOKUP_CLIENT, AF_UNIX, SOCK_STREAM,
                     &res)
          == 0);
    CHECK(res == NULL);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, BIO_R_LENGTH_TOO_LONG));
    longpath[SUN_PATH_SIZE] = '\0';
    CHECK(BIO_lookup(longpath, NULL, BIO_LOOKUP_CLIENT, AF_UNIX, SOCK_STREAM,
                     &res)
          == 0);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, BIO_R_LENGTH_TOO_LONG));
    longpath[SUN_PATH_SIZE - 1] = '\0';
    CHECK(BIO_lookup(longpath, NULL, BIO_LOOKUP_CLIENT, AF_UNIX, SOCK_STREAM,
                     &res)
          == 1);
    BIO_ADDRINFO_free(res);
    res = NULL;
    /* Huge, empty and non-UTF-8 names fail cleanly (numeric only, so no
     * resolver traffic leaves the machine). */
    CHECK(
        BIO_lookup(huge, "80", BIO_LOOKUP_CLIENT, AF_UNSPEC, SOCK_STREAM, &res)
            == 0
        || (BIO_ADDRINFO_free(res), 0));
    CHECK(ERR_GET_REASON(ERR_peek_last_error()) == ERR_R_SYS_LIB);
    ERR_clear_error();
    CHECK(BIO_lookup("127.0.0.1", huge, BIO_LOOKUP_CLIENT, AF_INET,
                     SOCK_STREAM, &res)
          == 0);
    ERR_clear_error();
    CHECK(BIO_lookup("\xff\xfe", "\x80", BIO_LOOKUP_CLIENT, AF_INET,
                     SOCK_STREAM, &res)
          == 0);
    ERR_clear_error();

    /* BIO_parse_hostserv on bad input. */
    CHECK(BIO_parse_hostserv(NULL, &h, &p, BIO_PARSE_PRIO_HOST) == 0);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(BIO_parse_hostserv(huge, &h, &p, BIO_PARSE_PRIO_HOST) == 1);
    CHECK(h != NULL && strlen(h) == (1 << 20) - 1);
    OPENSSL_free(h);
    h = NULL;
    huge[1000] = ':';
    CHECK(BIO_parse_hostserv(huge, &h, &p, BIO_PARSE_PRIO_HOST) == 1);
    CHECK(strlen(h) == 1000 && strlen(p) == (1 << 20) - 1002);
    OPENSSL_free(h);
    OPENSSL_free(p);
    huge[0] = '[';
    CHECK(BIO_parse_hostserv(huge, &h, &p, BIO_PARSE_PRIO_HOST) == 0);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, BIO_R_MALFORMED_HOST_OR_SERVICE));
    huge[5000] = ':';
    huge[0] = 'a';
    CHECK(BIO_parse_hostserv(huge, &h, &p, BIO_PARSE_PRIO_HOST) == 0);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, BIO_R_AMBIGUOUS_HOST_OR_SERVICE));
    CHECK(BIO_parse_hostserv("", NULL, NULL, BIO_PARSE_PRIO_SERV) == 1);
    CHECK(BIO_parse_hostserv("[]", &h, NULL, BIO_PARSE_PRIO_SERV) == 1
          && h == NULL);
    free(huge);
}

/* ------------------------------------------------------------------ */

#ifndef __GLIBC__
/* BIO_accept of a Unix peer where getnameinfo() refuses AF_UNIX (musl, the
 * BSDs; glibc names it "localhost"): as OpenSSL's, it fails, with the
 * resolver's entries, and closes the accepted socket. */
static void legacy_accept_unix_refused(void)
{
    BIO_ADDR *to;
    char *ip_port = NULL;
    int l = listener(AF_UNIX, 0, &to),
        c = BIO_socket(AF_UNIX, SOCK_STREAM, 0, 0), n;

    CHECK(BIO_connect(c, to, 0) == 1);
    n = open_fds();
    CHECK(BIO_accept(l, &ip_port) == -1 && ip_port == NULL);
    CHECK(!QUEUE_EMPTY());
    ERR_clear_error();
    CHECK(open_fds() == n);
    BIO_closesocket(c);
    BIO_closesocket(l);
    BIO_ADDR_free(to);
}
#endif

/* BIO_accept on family: a socket, and *ip_port starting with prefix. */
static void legacy_accept(int family, const char *prefix)
{
    BIO_ADDR *to;
    char *ip_port = NULL;
    int l = listener(family, 0, &to),
        c = BIO_socket(family, SOCK_STREAM, 0, 0);
    int a;

    CHECK(BIO_connect(c, to, 0) == 1);
    a = BIO_accept(l, &ip_port);
    CHECK(a >= 0 && ip_port != NULL
          && strncmp(ip_port, prefix, strlen(prefix)) == 0);
    CHECK(QUEUE_EMPTY());
    OPENSSL_free(ip_port);
    BIO_closesocket(a);
    BIO_closesocket(c);
    BIO_closesocket(l);
    BIO_ADDR_free(to);
}

static void test_legacy(void)
{
    char hp[] = "127.0.0.1:0", bad[] = "[::1";
    unsigned short port;
    union BIO_sock_info_u info;
    int s;

    /* OpenSSL 3.0 fails every time here; biosock returns a listener. */
    s = BIO_get_accept_socket(hp, 1);
    CHECK(s >= 0 && is_cloexec(s));
    CHECK(getint(s, SOL_SOCKET, SO_ACCEPTCONN) == 1);
    CHECK(getint(s, SOL_SOCKET, SO_REUSEADDR) == 1);
    CHECK(QUEUE_EMPTY());
    /* Its port in use: -1 with errno EADDRINUSE kept across the close. */
    info.addr = BIO_ADDR_new();
    BIO_sock_info(s, BIO_SOCK_INFO_ADDRESS, &info);
    {
        char again[64];

        port = ntohs(BIO_ADDR_rawport(info.addr));
        snprintf(again, sizeof(again), "127.0.0.1:%u", port);
        errno = 0;
        CHECK(BIO_get_accept_socket(again, 0) == INVALID_SOCKET);
        CHECK(errno == EADDRINUSE);
        CHECK(QUEUE_IS(SYS_BIO(EADDRINUSE, BIO_R_UNABLE_TO_BIND_SOCKET)));
    }
    BIO_ADDR_free(info.addr);
    BIO_closesocket(s);
    CHECK(BIO_get_accept_socket(bad, 0) == INVALID_SOCKET);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, BIO_R_MALFORMED_HOST_OR_SERVICE));
    CHECK(BIO_get_accept_socket(NULL, 0) == INVALID_SOCKET);
    CHECK(QUEUE_IS(NULL_PARAM));

    CHECK(BIO_get_port("80", NULL) == 0);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(BIO_get_host_ip(NULL, (unsigned char *)hp) == 0);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(BIO_gethostbyname(NULL) == NULL);
    CHECK(QUEUE_IS(NULL_PARAM));

    /* BIO_accept gives "host:port"; glibc names a Unix peer "localhost". */
    legacy_accept(AF_INET6, "::1:");
#ifdef __GLIBC__
    legacy_accept(AF_UNIX, "localhost:");
#else
    legacy_accept_unix_refused();
#endif
}

/* ------------------------------------------------------------------ */

static void *queue_thread(void *arg)
{
    int id = (int)(intptr_t)arg, i, ok = 1;
    unsigned long e;

    /* Each thread fails in its own way: 1000 NULL parameters here, 100
     * invalid sockets below. */
    for (i = 0; i < 1000; i++)
        BIO_sock_info(-100 - id, BIO_SOCK_INFO_ADDRESS,
                      &(union BIO_sock_info_u){.addr = NULL});
    /* 1000 NULL-parameter entries; the queue keeps the newest 15. */
    for (i = 0; (e = ERR_get_error()) != 0; i++)
        if (ERR_GET_REASON(e) != ERR_R_PASSED_NULL_PARAMETER)
            ok = 0;
    if (i != ERR_NUM_ERRORS - 1)
        ok = 0;
    for (i = 0; i < 100; i++)
        BIO_connect(-1, NULL, 0);
    for (i = 0; (e = ERR_get_error()) != 0; i++)
        if (ERR_GET_REASON(e) != BIO_R_INVALID_SOCKET)
            ok = 0;
    return (void *)(intptr_t)(ok && i == ERR_NUM_ERRORS - 1);
}

static void test_error_queue(void)
{
    pthread_t t[8];
    int i;
    char buf[256];
    FILE *f;

    /* ERR_put_error records the calling function, as OpenSSL 3's macro
     * does (errtest's test_print_error_format reads it). */
    {
        const char *file = NULL, *func = NULL, *data = NULL;
        int line = 0, flags = 0;
        unsigned long e;

        ERR_clear_error();
        ERR_put_error(ERR_LIB_BIO, 0, BIO_R_IN_USE, "put.c", 42);
        CHECK(ERR_peek_error_all(&file, &line, &func, NULL, NULL)
              == ERR_PACK(ERR_LIB_BIO, 0, BIO_R_IN_USE));
        CHECK(strcmp(file, "put.c") == 0 && line == 42);
        CHECK(func != NULL && strcmp(func, "test_error_queue") == 0);
        /* ERR_add_error_txt splits what one entry cannot hold over
         * copies of the entry, after separators, losing nothing: each
         * piece but the last starts with the separator, as OpenSSL's. */
        {
            char big[3000], got[3100] = "";
            int n = 0, k;

            for (k = 0; k < 300; k++)
                memcpy(big + 10 * k, "word:0123 ", 10);
            big[sizeof(big) - 1] = '\0';
            ERR_clear_error();
            ERR_raise(ERR_LIB_BIO, BIO_R_IN_USE);
            ERR_add_error_txt(" ", big);
            while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags))
                   != 0) {
                CHECK(e == ERR_PACK(ERR_LIB_BIO, 0, BIO_R_IN_USE));
                CHECK(strlen(data) < ERR_MAX_DATA_SIZE);
                strcat(got, data[0] == ' ' ? data + 1 : data);
                n++;
            }
            CHECK(n >= 3 && strcmp(got, big) == 0);
        }
        /* OpenSSL 1.1's raising macros, as 3.0 keeps them. */
        ERR_clear_error();
        BIOerr(SYS_F_CONNECT, BIO_R_CONNECT_ERROR);
        SYSerr(0, ECONNREFUSED);
        CHECK(QUEUE_IS(SYS_BIO_REVERSED(ECONNREFUSED, BIO_R_CONNECT_ERROR)));
    }
    ERR_clear_error();
    BIO_connect(-1, NULL, 0);
    for (i = 0; i < 8; i++)
        pthread_create(&t[i], NULL, queue_thread, (void *)(intptr_t)i);
    for (i = 0; i < 8; i++) {
        void *ok;

        pthread_join(t[i], &ok);
        CHECK(ok == (void *)1);
    }
    /* The other threads' failures never reached this thread's queue. */
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, BIO_R_INVALID_SOCKET));

    ERR_error_string_n(0x8000006FUL, buf, sizeof(buf));
    CHECK(strcmp(buf, "error:8000006F:system library::Connection refused")
          == 0);
    ERR_error_string_n(0x10000067UL, buf, 20);
    CHECK(strcmp(buf, "err:10000067:20:0:6") == 0);
    ERR_error_string_n(0x10000067UL, buf, 0);
    ERR_error_string_n(0x10000067UL, NULL, 10);
    CHECK(ERR_reason_error_string(0x8000006FUL) == NULL);

    /* ERR_print_errors_fp prints each entry with its data, then clears. */
    f = tmpfile();
    errno = 0;
    BIO_connect(BIO_socket(AF_INET, 999, 0, 0), NULL, 0);
    ERR_print_errors_fp(f);
    CHECK(ERR_peek_error() == 0);
    rewind(f);
    CHECK(fgets(buf, sizeof(buf), f) != NULL
          && strstr(buf, "error:80000016:system library:") != NULL
          && strstr(buf, "calling socket()") != NULL);
    CHECK(fgets(buf, sizeof(buf), f) != NULL
          && strstr(buf, "unable to create socket") != NULL);
    CHECK(fgets(buf, sizeof(buf), f) != NULL
          && strstr(buf, "invalid socket") != NULL);
    fclose(f);
    ERR_print_errors_fp(NULL);
    /* Pushing an entry never changes errno. */
    errno = ECONNRESET;
    BIO_connect(-1, NULL, 0);
    CHECK(errno == ECONNRESET);
    ERR_clear_error();
}

/* ------------------------------------------------------------------ */

/* A child process sees none of the library's fds after exec. */
/* A caller's entries: USER reasons 100, 101, ... */
static void push_caller_entries(int n)
{
    int k;

    for (k = 0; k < n; k++)
        ERR_raise(ERR_LIB_USER, 100 + k);
}

/* The queue is exactly want[0..n), oldest first; it is drained. */
static int queue_equals(const unsigned long *want, int n)
{
    int k, ok = 1;

    for (k = 0; k < n; k++)
        ok &= ERR_get_error() == want[k];
    return ok && ERR_get_error() == 0;
}

/* biosock_connect_any and the caller's queue, over any number of addresses:
 * a win leaves the queue exactly as the caller had it; a loss appends the
 * attempts' entries (SYS + BIO_R_CONNECT_ERROR each) after the caller's,
 * the newest 15 of all kept, as the ring keeps them.  0, 1, 14 and 15
 * entries of the caller's; 0 to 1,000 refused addresses, then one that
 * answers (so 1 to 1,001 addresses: past the 64 attempts in flight).  errs
 * says ECONNREFUSED for each refused address, 0 for the winner. */
/* A table of this suite's beside this file (c/tests/NAME), which the Rust
 * tests read too; NULL when it cannot be opened. */
static FILE *open_table(const char *name)
{
    char path[4096];
    const char *slash = strrchr(__FILE__, '/');

    snprintf(path, sizeof(path), "%.*s/%s",
             slash != NULL ? (int)(slash - __FILE__) : 1,
             slash != NULL ? __FILE__ : ".", name);
    return fopen(path, "r");
}

/* A table cell's name into out (at most cap bytes): "-" none, aN N bytes
 * 'a', else the text.  Its length. */
static size_t rule_name(const char *cell, char *out, size_t cap)
{
    int repeat = cell[0] == 'a' && cell[1] >= '0' && cell[1] <= '9';
    size_t n = strcmp(cell, "-") == 0 ? 0
               : repeat               ? (size_t)strtoul(cell + 1, NULL, 10)
                                      : strlen(cell);

    if (n > cap)
        n = cap;
    if (repeat)
        memset(out, 'a', n);
    else
        memcpy(out, cell, n);
    return n;
}

/* The Unix address rules, from the table the Rust tests read too
 * (addr_rules.txt, beside this file). */
static void test_addr_rules(void)
{
    char line[512];
    FILE *f = open_table("addr_rules.txt");
    int cases = 0;

    CHECK(f != NULL);
    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        char op[16], cell[64], len_s[16], reads[400], name[400], want[400];
        char where[401];
        size_t n, wn;
        BIO_ADDR *a;
        int fields, ok;

        if (line[0] == '#')
            continue;
        fields = sscanf(line, "%15s %63s %15s %399s", op, cell, len_s, reads);
        if (fields < 3)
            continue;
        n = rule_name(cell, name, 300);
        if (strcmp(op, "abstract") == 0) {
            where[0] = '\0';
            memcpy(where + 1, name, n);
            wn = n + 1;
        } else {
            memcpy(where, name, n);
            wn = n;
        }
        a = BIO_ADDR_new();
        ok = BIO_ADDR_rawmake(a, AF_UNIX, where, wn, 0);
        if (strcmp(len_s, "refused") == 0) {
            if (ok) {
                fprintf(stderr, "addr rule %s %s: made, not refused\n", op,
                        cell);
                CHECK(0);
            }
        } else {
            char *text = ok ? BIO_ADDR_path_string(a) : NULL;
            size_t k = 0;

            if (strcmp(reads, "-") != 0) {
                if (reads[0] == '@')
                    want[k++] = '@';
                k += rule_name(reads + (reads[0] == '@'), want + k, 300);
            }
            want[k] = '\0';
            if (!ok
                || (size_t)BIO_ADDR_sockaddr_size(a)
                       != strtoul(len_s, NULL, 10)
                || text == NULL || strcmp(text, want) != 0) {
                fprintf(stderr,
                        "addr rule %s %s: made %d, length %u, reads %s\n", op,
                        cell, ok, (unsigned)BIO_ADDR_sockaddr_size(a),
                        text != NULL ? text : "(null)");
                CHECK(0);
            }
            OPENSSL_free(text);
        }
        BIO_ADDR_free(a);
        cases++;
    }
    if (f != NULL)
        fclose(f);
    CHECK(cases >= 10);
}

/* The attempt order, from the table the tokio layer's test reads too
 * (tests/happy_order.txt, beside this file); and NULL arrays refused. */
static void test_connect_order(void)
{
    char line[256];
    FILE *f = open_table("happy_order.txt");
    int cases = 0;

    CHECK(f != NULL);
    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        const BIO_ADDR *addrs[16];
        BIO_ADDR *made[16];
        size_t order[16], n = 0, k;
        char fams[17];
        int at = 0, used;

        if (line[0] == '#' || sscanf(line, "%16s%n", fams, &at) != 1)
            continue;
        for (n = 0; fams[n] != '\0'; n++) {
            made[n] = fams[n] == '6' ? addr_of(AF_INET6, "::1", 1)
                                     : addr_of(AF_INET, "127.0.0.1", 1);
            addrs[n] = made[n];
        }
        CHECK(biosock_connect_order(addrs, n, order) == n);
        for (k = 0; k < n; k++) {
            unsigned long want;

            CHECK(sscanf(line + at, "%lu%n", &want, &used) == 1);
            at += used;
            if (order[k] != want) {
                fprintf(stderr, "order %s: place %zu is %zu, not %lu\n", fams,
                        k, order[k], want);
                CHECK(0);
            }
        }
        for (k = 0; k < n; k++)
            BIO_ADDR_free(made[k]);
        cases++;
    }
    if (f != NULL)
        fclose(f);
    CHECK(cases >= 10);
    CHECK(biosock_connect_order(NULL, 0, NULL) == 0 && QUEUE_EMPTY());
    CHECK(biosock_connect_order(NULL, 1, NULL) == 0);
    CHECK(QUEUE_IS(NULL_PARAM));
}

static void test_connect_any_queue(void)
{
    static const int callers[] = {0, 1, 14, 15};
    static const int refused[] = {0, 1, 8, 63, 64, 1000};
    const BIO_ADDR **addrs = malloc((1000 + 1) * sizeof(*addrs));
    int *errs = malloc((1000 + 1) * sizeof(*errs));
    BIO_ADDR *good_at, *refused_at = BIO_ADDR_new();
    union BIO_sock_info_u info = {.addr = refused_at};
    int good = listener(AF_INET, 0, &good_at), holder;
    BIO_ADDR *any = addr_of(AF_INET, "127.0.0.1", 0);
    unsigned ci, ri;

    /* Bound, not listening: a connect to it is refused. */
    holder = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CHECK(addrs != NULL && errs != NULL && BIO_bind(holder, any, 0) == 1);
    CHECK(BIO_sock_info(holder, BIO_SOCK_INFO_ADDRESS, &info) == 1);
    for (ci = 0; ci < sizeof(callers) / sizeof(callers[0]); ci++)
        for (ri = 0; ri < sizeof(refused) / sizeof(refused[0]); ri++) {
            int c = callers[ci], r = refused[ri], k, n = 0, fd;
            unsigned long want[32 + 2 * 1000];

            for (k = 0; k < r; k++)
                addrs[k] = refused_at;
            addrs[r] = good_at;
            for (k = 0; k < c; k++)
                want[n++] = ERR_PACK(ERR_LIB_USER, 0, 100 + k);

            /* Won: the caller's queue, untouched. */
            push_caller_entries(c);
            for (k = 0; k <= r; k++)
                errs[k] = -1;
            fd = biosock_connect_any(addrs, (size_t)r + 1, 0, 10, 0, errs);
            CHECK(fd >= 0 && errs[r] == 0);
            for (k = 0; k < r; k++)
                CHECK(errs[k] == ECONNREFUSED);
            if (!queue_equals(want, n)) {
                fprintf(stderr, "won with %d caller entries, %d refused\n", c,
                        r);
                CHECK(0);
            }
            if (fd >= 0) {
                BIO_closesocket(BIO_accept_ex(good, NULL, 0));
                BIO_closesocket(fd);
            }

            /* Lost: the caller's, then the attempts', the newest 15. */
            for (k = 0; k < r; k++) {
                want[n++] = ERR_SYSTEM_FLAG | ECONNREFUSED;
                want[n++] = ERR_PACK(ERR_LIB_BIO, 0, BIO_R_CONNECT_ERROR);
            }
            if (r == 0)
                want[n++] = ERR_PACK(ERR_LIB_BIO, 0, BIO_R_INVALID_ARGUMENT);
            push_caller_entries(c);
            errno = 0;
            fd = biosock_connect_any(addrs, (size_t)r, 0, 10, 0,
                                     r % 2 == 0 ? errs : NULL);
            CHECK(fd == INVALID_SOCKET
                  && errno == (r == 0 ? EINVAL : ECONNREFUSED));
            for (k = 0; r % 2 == 0 && k < r; k++)
                CHECK(errs[k] == ECONNREFUSED);
            k = n > ERR_NUM_ERRORS - 1 ? n - (ERR_NUM_ERRORS - 1) : 0;
            if (!queue_equals(want + k, n - k)) {
                fprintf(stderr, "lost with %d caller entries, %d refused\n", c,
                        r);
                CHECK(0);
            }
        }
    BIO_closesocket(holder);
    BIO_closesocket(good);
    free(errs);
    BIO_ADDR_free(any);
    BIO_ADDR_free(refused_at);
    BIO_ADDR_free(good_at);
    free(addrs);
}

/* A thread's life with the queue: entries with data of every kind, then
 * the thread ends (its queue is freed: valgrind and ASan count it). */
static void *short_lived(void *arg)
{
    char text[32];

    (void)arg;
    CHECK(BIO_socket(AF_INET, 12345, 0, 0) == INVALID_SOCKET);
    ERR_raise_data(ERR_LIB_BIO, BIO_R_IN_USE, "thread %d", 7);
    ERR_add_error_data(2, ", more", " data");
    ERR_peek_last_error_data(&(const char *){NULL}, NULL);
    snprintf(text, sizeof(text), "%lu", ERR_peek_error());
    CHECK(text[0] != '0');
    return NULL;
}

/* The queue is allocated by a thread's first entry and freed when the
 * thread ends: 200 short-lived threads (the valgrind run finds nothing
 * left), and a thread with the smallest stack the system allows
 * (PTHREAD_STACK_MIN: before, the 17 KiB static TLS of the queue did not
 * fit in it and pthread_create failed with EINVAL).  A thread that only
 * reads an empty queue allocates nothing. */
static void test_thread_queues(void)
{
    pthread_attr_t attr;
    pthread_t t;
    int i, r;

    for (i = 0; i < 200; i++) {
        CHECK(pthread_create(&t, NULL, short_lived, NULL) == 0);
        CHECK(pthread_join(t, NULL) == 0);
    }
    CHECK(pthread_attr_init(&attr) == 0);
    CHECK(pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN) == 0);
    r = pthread_create(&t, &attr, short_lived, NULL);
    CHECK(r == 0);
    if (r == 0)
        CHECK(pthread_join(t, NULL) == 0);
    pthread_attr_destroy(&attr);
}

/* The Rust crate's entry points (c/src/rust.h) describe exactly what the
 * public function pushes: for each failure, the rs form pushes nothing and
 * hands back -errno, *call and *code, and the public function called on a
 * socket in the same state pushes that system entry (when *call) and that
 * code (when not 0), with errno -ret when a call failed. */
struct rs_said {
    int ret;
    struct biosock_rs_fail f;
};

static int rs_matches(struct rs_said rs, int pub_ok, int pub_errno)
{
    BIOSOCK_ERR_ENTRY out[4];
    size_t n = biosock_err_drain(out, 4), k = 0;

    if (pub_ok || rs.ret >= 0)
        return 0;
    if (rs.f.call != NULL) {
        if (n <= k || out[k].code != (ERR_SYSTEM_FLAG | (unsigned long)-rs.ret)
            || out[k].data == NULL || strcmp(out[k].data, rs.f.call) != 0
            || pub_errno != -rs.ret)
            return 0;
        k++;
    }
    if (rs.f.code != 0) {
        if (n <= k || out[k].code != rs.f.code || out[k].data != NULL)
            return 0;
        k++;
    }
    return n == k;
}

#define RS(call_expr)                                                         \
    (ERR_clear_error(), rs.f.call = NULL, rs.f.code = 0,                      \
     rs.ret = (call_expr), ERR_peek_error() == 0)
#define PUB(ok_expr) (ERR_clear_error(), errno = 0, pub_ok = (ok_expr), errno)

static void test_rust_entry_points(void)
{
    BIO_ADDR *to, peer;
    int l = listener(AF_INET, 0, &to), s, pipefd[2], pub_ok, e;
    struct rs_said rs;

    /* socket: a bad type, a bad family. */
    CHECK(RS(biosock_rs_socket(AF_INET, 999, 0, &rs.f)));
    e = PUB(BIO_socket(AF_INET, 999, 0, 0) >= 0);
    CHECK(rs_matches(rs, pub_ok, e));
    CHECK(RS(biosock_rs_socket(-1, SOCK_STREAM, 0, &rs.f)));
    e = PUB(BIO_socket(-1, SOCK_STREAM, 0, 0) >= 0);
    CHECK(rs_matches(rs, pub_ok, e));

    /* connect: NODELAY on UDP (setsockopt fails), an unknown option bit,
     * a pipe (connect: ENOTSOCK), refused (fresh and not). */
    s = BIO_socket(AF_INET, SOCK_DGRAM, 0, 0);
    CHECK(RS(biosock_rs_connect(s, to, BIO_SOCK_NODELAY, &rs.f)));
    e = PUB(BIO_connect(s, to, BIO_SOCK_NODELAY));
    CHECK(rs_matches(rs, pub_ok, e));
    CHECK(RS(biosock_rs_connect(s, to, 0x40000000, &rs.f)));
    e = PUB(BIO_connect(s, to, 0x40000000));
    CHECK(rs_matches(rs, pub_ok, e) && rs.ret == -EINVAL);
    BIO_closesocket(s);
    CHECK(pipe(pipefd) == 0);
    CHECK(RS(biosock_rs_connect(pipefd[0], to, 0, &rs.f)));
    e = PUB(BIO_connect(pipefd[0], to, 0));
    CHECK(rs_matches(rs, pub_ok, e) && rs.ret == -ENOTSOCK);

    /* bind: the listener's address, in use; listen: the same (the entries
     * are BIO_bind's), and a pipe (SO_TYPE fails). */
    s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CHECK(RS(biosock_rs_bind(s, to, 0, &rs.f)));
    e = PUB(BIO_bind(s, to, 0));
    CHECK(rs_matches(rs, pub_ok, e) && rs.ret == -EADDRINUSE);
    CHECK(RS(biosock_rs_listen(s, to, 0, 8, 1, &rs.f)));
    e = PUB(biosock_listen_fresh(s, to, 0, 8));
    CHECK(rs_matches(rs, pub_ok, e) && rs.ret == -EADDRINUSE);
    CHECK(RS(biosock_rs_listen(pipefd[0], to, 0, SOMAXCONN, 0, &rs.f)));
    e = PUB(BIO_listen(pipefd[0], to, 0));
    CHECK(rs_matches(rs, pub_ok, e) && rs.ret == -ENOTSOCK);

    /* listen_new (socket + listen): the address in use (BIO_bind's
     * entries, the socket closed again), a family no socket has
     * (BIO_socket's), NULL; then a listener. */
    {
        int next = BIO_socket(AF_INET, SOCK_STREAM, 0, 0), t;
        BIO_ADDR none, *any = BIO_ADDR_new();

        BIO_closesocket(next); /* the lowest free fd: listen_new's */
        CHECK(RS(biosock_rs_listen_new(to, 0, 8, &rs.f)));
        t = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
        CHECK(t == next);
        e = PUB(biosock_listen_fresh(t, to, 0, 8));
        CHECK(rs_matches(rs, pub_ok, e) && rs.ret == -EADDRINUSE
              && rs.f.func != NULL && strcmp(rs.f.func, "BIO_bind") == 0);
        BIO_closesocket(t);
        memset(&none, 0, sizeof(none));
        CHECK(RS(biosock_rs_listen_new(&none, 0, 8, &rs.f)));
        e = PUB(BIO_socket(AF_UNSPEC, SOCK_STREAM, 0, 0) >= 0);
        CHECK(rs_matches(rs, pub_ok, e) && rs.f.func != NULL
              && strcmp(rs.f.func, "BIO_socket") == 0);
        CHECK(RS(biosock_rs_listen_new(NULL, 0, 8, &rs.f)));
        e = PUB(biosock_listen_fresh(next, NULL, 0, 8));
        CHECK(rs_matches(rs, pub_ok, e) && rs.ret == -EINVAL);
        CHECK(BIO_ADDR_rawmake(any, AF_INET, "\x7f\0\0\1", 4, 0) == 1);
        CHECK(RS(biosock_rs_listen_new(any, BIO_SOCK_NONBLOCK, 8, &rs.f)));
        CHECK(rs.ret == next && is_cloexec(next) && is_nonblock(next)
              && getint(next, SOL_SOCKET, SO_ACCEPTCONN) == 1);
        BIO_closesocket(next);
        BIO_ADDR_free(any);
    }

    /* accept: not listening (EINVAL), an empty non-blocking listener
     * (EAGAIN: nothing pushed), an unknown option bit. */
    CHECK(RS(biosock_rs_accept(s, &peer, 0, &rs.f)));
    e = PUB(BIO_accept_ex(s, &peer, 0) >= 0);
    CHECK(rs_matches(rs, pub_ok, e) && rs.ret == -EINVAL);
    CHECK(BIO_socket_nbio(l, 1) == 1);
    CHECK(RS(biosock_rs_accept(l, &peer, BIO_SOCK_NONBLOCK, &rs.f)));
    e = PUB(BIO_accept_ex(l, &peer, BIO_SOCK_NONBLOCK) >= 0);
    CHECK(rs_matches(rs, pub_ok, e) && rs.ret == -EAGAIN && rs.f.call == NULL);
    CHECK(RS(biosock_rs_accept(l, &peer, 0x40000000, &rs.f)));
    e = PUB(BIO_accept_ex(l, &peer, 0x40000000) >= 0);
    CHECK(rs_matches(rs, pub_ok, e));

    /* The address of a pipe; the blocking mode of a closed fd. */
    CHECK(RS(biosock_rs_sock_name(pipefd[0], &peer, &rs.f)));
    {
        union BIO_sock_info_u info;

        info.addr = &peer;
        e = PUB(BIO_sock_info(pipefd[0], BIO_SOCK_INFO_ADDRESS, &info));
    }
    CHECK(rs_matches(rs, pub_ok, e) && rs.ret == -ENOTSOCK);
    close(pipefd[0]);
    close(pipefd[1]);
    CHECK(RS(biosock_rs_nbio(pipefd[0], 1, &rs.f)));
    e = PUB(BIO_socket_nbio(pipefd[0], 1));
    CHECK(rs_matches(rs, pub_ok, e) && rs.ret == -EBADF && rs.f.code == 0);

    /* connect_new (socket + connect): connected; non-blocking (connected
     * or under way: the socket is kept); a family no socket has
     * (BIO_socket's); NULL.  Refused is below. */
    {
        int fd = -2, next = BIO_socket(AF_INET, SOCK_STREAM, 0, 0), a;
        BIO_ADDR none;

        BIO_closesocket(next);
        CHECK(RS(biosock_rs_connect_new(to, BIO_SOCK_NODELAY, &fd, &rs.f)));
        CHECK(rs.ret == 0 && fd == next && is_cloexec(fd) && !is_nonblock(fd)
              && getint(fd, IPPROTO_TCP, TCP_NODELAY) == 1);
        CHECK((a = BIO_accept_ex(l, NULL, 0)) >= 0);
        BIO_closesocket(a);
        BIO_closesocket(fd);
        CHECK(RS(biosock_rs_connect_new(to, BIO_SOCK_NONBLOCK, &fd, &rs.f)));
        CHECK((rs.ret == 0 || rs.ret == -EINPROGRESS) && fd == next
              && is_nonblock(fd));
        CHECK(BIO_socket_nbio(l, 0) == 1);
        CHECK((a = BIO_accept_ex(l, NULL, 0)) >= 0);
        BIO_closesocket(a);
        BIO_closesocket(fd);
        memset(&none, 0, sizeof(none));
        CHECK(RS(biosock_rs_connect_new(&none, 0, &fd, &rs.f)));
        e = PUB(BIO_socket(AF_UNSPEC, SOCK_STREAM, 0, 0) >= 0);
        CHECK(rs_matches(rs, pub_ok, e) && fd == -1 && rs.f.func != NULL
              && strcmp(rs.f.func, "BIO_socket") == 0);
        CHECK(RS(biosock_rs_connect_new(NULL, 0, &fd, &rs.f)));
        e = PUB(biosock_connect_fresh(next, NULL, 0));
        CHECK(rs_matches(rs, pub_ok, e) && rs.ret == -EINVAL && fd == -1);
    }

    /* Refused, last: the listener goes. */
    BIO_closesocket(s);
    BIO_closesocket(l);
    s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CHECK(RS(biosock_rs_connect(s, to, 0, &rs.f)));
    BIO_closesocket(s);
    s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    e = PUB(BIO_connect(s, to, 0));
    CHECK(rs_matches(rs, pub_ok, e) && rs.ret == -ECONNREFUSED);
    {
        int fd = -2, was = s;

        /* Refused through connect_new: the same, and its socket closed
         * (s's number is the lowest free one again). */
        BIO_closesocket(s);
        CHECK(RS(biosock_rs_connect_new(to, 0, &fd, &rs.f)));
        s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
        e = PUB(biosock_connect_fresh(s, to, 0));
        CHECK(rs_matches(rs, pub_ok, e) && rs.ret == -ECONNREFUSED && fd == -1
              && s == was);
    }
    BIO_closesocket(s);
    /* And success: the fd, nothing described. */
    s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CHECK(RS(biosock_rs_nbio(s, 1, &rs.f)) && rs.ret == 0 && rs.f.call == NULL
          && rs.f.code == 0 && is_nonblock(s));
    BIO_closesocket(s);
    BIO_ADDR_free(to);
}
#undef RS
#undef PUB

/* The Rust crate's fast paths are public, documented biosock extensions,
 * and tested here as C calls them: biosock_connect_fresh and
 * biosock_listen_fresh on fresh sockets, and biosock_err_drain. */
static void test_rust_fast_paths(void)
{
    BIO_ADDR *to, *any6 = addr_of(AF_INET6, "::1", 0);
    int l = listener(AF_INET, 0, &to), s, a;
    BIOSOCK_ERR_ENTRY out[4];
    const char *func = NULL;
    size_t n;

    /* connect_fresh: connected, blocking as it came, nothing queued. */
    s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CHECK(biosock_connect_fresh(s, to, BIO_SOCK_NODELAY) == 1
          && QUEUE_EMPTY());
    CHECK(!is_nonblock(s) && getint(s, IPPROTO_TCP, TCP_NODELAY) == 1);
    a = BIO_accept_ex(l, NULL, 0);
    CHECK(a >= 0);
    BIO_closesocket(a);
    BIO_closesocket(s);
    s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    errno = 0;
    CHECK(biosock_connect_fresh(s, to, BIO_SOCK_NONBLOCK) == 1
          || errno == EINPROGRESS);
    CHECK(is_nonblock(s));
    BIO_closesocket(s);
    BIO_closesocket(BIO_accept_ex(l, NULL, 0));
    /* Refused: BIO_connect's entries, in this function's name. */
    BIO_closesocket(l);
    s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CHECK(biosock_connect_fresh(s, to, 0) == 0 && errno == ECONNREFUSED);
    ERR_peek_error_func(&func);
    CHECK(func != NULL && strcmp(func, "biosock_connect_fresh") == 0);
    CHECK(QUEUE_IS(SYS_BIO(ECONNREFUSED, BIO_R_CONNECT_ERROR)));
    CHECK(biosock_connect_fresh(s, to, 0x40000000) == 0); /* unknown bit */
    CHECK(QUEUE_IS(BAD_PARAM));
    BIO_closesocket(s);

    /* listen_fresh: listening, IPV6_V6ONLY as asked. */
    s = BIO_socket(AF_INET6, SOCK_STREAM, 0, 0);
    CHECK(biosock_listen_fresh(s, any6, BIO_SOCK_V6_ONLY, 8) == 1);
    CHECK(QUEUE_EMPTY() && getint(s, IPPROTO_IPV6, IPV6_V6ONLY) == 1);
    CHECK(getint(s, SOL_SOCKET, SO_ACCEPTCONN) == 1 && !is_nonblock(s));
    BIO_closesocket(s);

    /* drain: oldest first, static data marked, the queue emptied. */
    s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    l = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CHECK(biosock_connect_fresh(s, to, 0) == 0);
    ERR_raise_data(ERR_LIB_BIO, BIO_R_BROKEN_PIPE, "formatted %d", 7);
    n = biosock_err_drain(out, 4);
    CHECK(n == 3 && ERR_peek_error() == 0);
    CHECK(out[0].code == (ERR_SYSTEM_FLAG | ECONNREFUSED)
          && out[0].data_is_static
          && strcmp(out[0].data, "calling connect()") == 0);
    CHECK(out[1].code == ERR_PACK(ERR_LIB_BIO, 0, BIO_R_CONNECT_ERROR)
          && out[1].data == NULL);
    CHECK(!out[2].data_is_static && strcmp(out[2].data, "formatted 7") == 0);
    ERR_raise(ERR_LIB_BIO, BIO_R_IN_USE);
    ERR_raise(ERR_LIB_BIO, BIO_R_IN_USE);
    CHECK(biosock_err_drain(out, 1) == 1 && ERR_peek_error() == 0);
    BIO_closesocket(s);
    BIO_closesocket(l);
    BIO_ADDR_free(to);
    BIO_ADDR_free(any6);
}

/* BIOSOCK_SOCK_REUSEPORT: two listeners on one address and port, each with
 * SO_REUSEPORT read back; without it, the second is EADDRINUSE. */
static void test_reuseport(void)
{
    BIO_ADDR *at;
    int a = listener(AF_INET, BIOSOCK_SOCK_REUSEPORT, &at), b, c;

    CHECK(getint(a, SOL_SOCKET, SO_REUSEPORT) == 1);
    b = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CHECK(BIO_listen(b, at, BIOSOCK_SOCK_REUSEPORT) == 1 && QUEUE_EMPTY());
    CHECK(getint(b, SOL_SOCKET, SO_REUSEPORT) == 1);
    c = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CHECK(BIO_listen(c, at, 0) == 0 && errno == EADDRINUSE);
    CHECK(QUEUE_IS(SYS_BIO(EADDRINUSE, BIO_R_UNABLE_TO_BIND_SOCKET)));
    BIO_closesocket(a);
    BIO_closesocket(b);
    BIO_closesocket(c);
    BIO_ADDR_free(at);
}

static void test_exec_sees_no_fds(void)
{
    BIO_ADDR *to;
    int l = listener(AF_INET, 0, &to),
        c = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    int a, fds[3], i;

    BIO_connect(c, to, 0);
    a = BIO_accept_ex(l, NULL, 0);
    fds[0] = l;
    fds[1] = c;
    fds[2] = a;
    for (i = 0; i < 3; i++) {
        char cmd[64];
        pid_t pid;
        int status;

        snprintf(cmd, sizeof(cmd), "test -e /dev/fd/%d", fds[i]);
        pid = fork();
        if (pid == 0) {
            execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
            _exit(127);
        }
        waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    }
    BIO_closesocket(a);
    BIO_closesocket(c);
    BIO_closesocket(l);
    BIO_ADDR_free(to);
}

/* EMFILE in a child: BIO_socket and BIO_accept_ex fail cleanly, leak
 * nothing, and work again once an fd is free. */
static int emfile_child(void)
{
    BIO_ADDR *to;
    /* Non-blocking, so that a lost connection fails instead of hanging. */
    int l = listener(AF_INET, BIO_SOCK_NONBLOCK, &to), c, a, n, dups[16];
    int ndup = 0;
    struct rlimit rl;

    c = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    BIO_connect(c, to, 0);
    n = open_fds();
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = (rlim_t)(c + 8);
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 10;
    while (ndup < 16 && (dups[ndup] = dup(l)) >= 0)
        ndup++;
    if (ndup == 16 || errno != EMFILE)
        return 11;
    errno = 0;
    if (BIO_socket(AF_INET, SOCK_STREAM, 0, 0) != -1 || errno != EMFILE
        || !QUEUE_IS(SYS_BIO(EMFILE, BIO_R_UNABLE_TO_CREATE_SOCKET)))
        return 12;
    if (BIO_accept_ex(l, NULL, 0) != -1 || errno != EMFILE
        || !QUEUE_IS(SYS_BIO(EMFILE, BIO_R_ACCEPT_ERROR)))
        return 13;
    close(dups[--ndup]);
    a = BIO_accept_ex(l, NULL, 0); /* the queued connection is still there */
    if (a < 0)
        return 15;
    close(a);
    if ((a = BIO_socket(AF_INET, SOCK_STREAM, 0, 0)) < 0)
        return 16;
    close(a);
    while (ndup > 0)
        close(dups[--ndup]);
    return open_fds() == n ? 0 : 17;
}

/* Run child() in a forked process (its checks count there): it must exit
 * with 0, its number of failed checks. */
static void in_child(const char *name, int (*child)(void))
{
    pid_t pid = fork();
    int status;

    if (pid == 0) {
        checks_failed = 0; /* the child's own, not the parent's so far */
        int rc = child();

        OPENSSL_thread_stop();
        _exit(rc);
    }
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fprintf(stderr, "%s child ended with status %d\n", name, status);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* in_child() for a test that needs root (namespaces); said, not skipped
 * silently, otherwise. */
static void in_root_child(const char *name, const char *needs,
                          int (*child)(void))
{
    if (geteuid() != 0) {
        printf("%s: not run: needs root (%s)\n", name, needs);
        return;
    }
    in_child(name, child);
}

static void test_emfile(void)
{
    /* valgrind reserves fds under the limit and drops a connection that
     * accept4 returned above it, so this test only runs natively. */
    if (getenv("BIOSOCK_UNDER_VALGRIND") != NULL)
        return;
    in_child("emfile", emfile_child);
}

/* A private network namespace with lo up: the host's settings and ports
 * stay as they are. */
static int private_net(void)
{
    struct ifreq ifr;
    int s, ok;

    if (unshare(CLONE_NEWNET) != 0)
        return 0;
    s = socket(AF_INET, SOCK_DGRAM, 0);
    memset(&ifr, 0, sizeof(ifr));
    strcpy(ifr.ifr_name, "lo");
    ok = ioctl(s, SIOCGIFFLAGS, &ifr) == 0;
    ifr.ifr_flags |= IFF_UP;
    ok = ok && ioctl(s, SIOCSIFFLAGS, &ifr) == 0;
    close(s);
    return ok;
}

/* There, TCP Fast Open on both ends (tcp_fastopen = 3). */
static int private_tfo_net(void)
{
    FILE *f;
    int ok;

    if (!private_net())
        return 0;
    f = fopen("/proc/sys/net/ipv4/tcp_fastopen", "w");
    ok = f != NULL && fputs("3\n", f) >= 0;
    return f != NULL && fclose(f) == 0 && ok;
}

/* A private mount namespace whose /etc/hosts is text, then private_net().
 * (The type "none" is ignored for these flags; NULL would do, but valgrind
 * reads the string.) */
static int private_hosts_and_net(const char *text)
{
    char path[] = "/tmp/biosock-hosts-XXXXXX";
    int fd = mkstemp(path), ok;

    if (fd < 0)
        return 0;
    ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    close(fd);
    ok = ok && unshare(CLONE_NEWNS) == 0
         && mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0
         && mount(path, "/etc/hosts", "none", MS_BIND, NULL) == 0;
    unlink(path);
    return ok && private_net();
}

/* Happy Eyeballs against a real black hole: "he.test" names two addresses;
 * a listener on the first has a full accept queue, so the kernel drops
 * SYNs to it silently; the second answers. */
static int happy_child(void)
{
    BIO_ADDRINFO *res = NULL;
    const BIO_ADDR *first, *second;
    BIO_ADDR *peer = BIO_ADDR_new();
    int hole, filler, good, fd, a, fl, before;

    if (!private_hosts_and_net("::1 he.test\n127.0.0.1 he.test\n"))
        return 100;
    CHECK(BIO_lookup_ex("he.test", "4433", BIO_LOOKUP_CLIENT, AF_UNSPEC,
                        SOCK_STREAM, 0, &res));
    first = BIO_ADDRINFO_address(res);
    second = BIO_ADDRINFO_address(BIO_ADDRINFO_next(res));
    CHECK(BIO_ADDR_family(first) != BIO_ADDR_family(second));
    hole = BIO_socket(BIO_ADDR_family(first), SOCK_STREAM, 0, 0);
    CHECK(biosock_listen_backlog(hole, first, BIO_SOCK_REUSEADDR, 0) == 1);
    filler = BIO_socket(BIO_ADDR_family(first), SOCK_STREAM, 0, 0);
    CHECK(BIO_connect(filler, first, 0) == 1); /* the queue is full now */
    good = BIO_socket(BIO_ADDR_family(second), SOCK_STREAM, 0, 0);
    CHECK(BIO_listen(good, second, BIO_SOCK_REUSEADDR) == 1);
    before = open_fds();

    /* The first address hangs; the second starts after 200 ms and wins
     * within the race's 10 s, which a sequential connect, hanging on the
     * black hole for TCP's whole timeout, cannot (the events are checked
     * here; the times are benches/happy_compare.rs's to measure). */
    fd =
        biosock_connect_happy("he.test", "4433", BIO_SOCK_NODELAY, 200, 10000);
    CHECK(fd >= 0 && QUEUE_EMPTY());
    CHECK(getpeername(fd, &peer->sa, &(socklen_t){sizeof(*peer)}) == 0);
    CHECK(BIO_ADDR_family(peer) == BIO_ADDR_family(second));
    fl = fcntl(fd, F_GETFL);
    CHECK(!(fl & O_NONBLOCK) && getint(fd, IPPROTO_TCP, TCP_NODELAY) == 1);
    CHECK(open_fds() == before + 1); /* the black-holed attempt is closed */
    a = BIO_accept_ex(good, NULL, 0);
    CHECK(a >= 0);
    BIO_closesocket(a);
    BIO_closesocket(fd);

    /* NONBLOCK: connected all the same, returned non-blocking. */
    fd = biosock_connect_happy("he.test", "4433", BIO_SOCK_NONBLOCK, 50, 0);
    CHECK(fd >= 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK));
    CHECK(BIO_sock_error(fd) == 0);
    a = BIO_accept_ex(good, NULL, 0);
    BIO_closesocket(a);
    BIO_closesocket(fd);

    /* All fail: the second is refused, the first times out at 500 ms. */
    BIO_closesocket(good);
    fd = biosock_connect_happy("he.test", "4433", 0, 100, 500);
    CHECK(fd == INVALID_SOCKET && errno == ETIMEDOUT);
    CHECK(QUEUE_IS(4, ERR_LIB_SYS, ECONNREFUSED, ERR_LIB_BIO,
                   BIO_R_CONNECT_ERROR, ERR_LIB_SYS, ETIMEDOUT, ERR_LIB_BIO,
                   BIO_R_CONNECT_TIMEOUT));

    /* Both refused: one pair per address, errno the last one's. */
    BIO_closesocket(filler);
    BIO_closesocket(hole);
    fd = biosock_connect_happy("he.test", "4433", 0, 100, 0);
    CHECK(fd == INVALID_SOCKET && errno == ECONNREFUSED);
    CHECK(QUEUE_IS(4, ERR_LIB_SYS, ECONNREFUSED, ERR_LIB_BIO,
                   BIO_R_CONNECT_ERROR, ERR_LIB_SYS, ECONNREFUSED, ERR_LIB_BIO,
                   BIO_R_CONNECT_ERROR));
    CHECK(open_fds() == before - 3);

    /* Bad input. */
    CHECK(biosock_connect_happy("he.test", "4433", BIO_SOCK_REUSEADDR, 0, 0)
          == INVALID_SOCKET);
    CHECK(QUEUE_IS(BAD_PARAM));
    CHECK(biosock_connect_any(NULL, 1, 0, 0, 0, NULL) == INVALID_SOCKET);
    CHECK(QUEUE_IS(NULL_PARAM));
    CHECK(biosock_connect_any(NULL, 0, 0, 0, 0, NULL) == INVALID_SOCKET);
    CHECK(errno == EINVAL && QUEUE_IS(1, ERR_LIB_BIO, BIO_R_INVALID_ARGUMENT));
    BIO_ADDRINFO_free(res);
    BIO_ADDR_free(peer);
    return checks_failed;
}

static void test_happy_eyeballs(void)
{
    in_root_child("test_happy_eyeballs",
                  "private mount and network namespaces", happy_child);
}

/* Connections with BIO_SOCK_TFO on both ends: the first fetches a cookie,
 * a later one carries its data in the SYN (TCP_INFO says so). */
static int tfo_child(void)
{
    BIO_ADDR *to;
    int l, i, syn_data = 0;

    if (!private_tfo_net())
        return 100;
    l = listener(AF_INET, BIO_SOCK_TFO, &to);
    for (i = 0; i < 3 && !syn_data; i++) {
        int c = BIO_socket(AF_INET, SOCK_STREAM, 0, 0), a;
        struct tcp_info ti;
        socklen_t len = sizeof(ti);
        char buf[6] = "";

        CHECK(BIO_connect(c, to, BIO_SOCK_TFO) == 1);
        CHECK(send(c, "hello", 5, MSG_NOSIGNAL) == 5);
        a = BIO_accept_ex(l, NULL, 0);
        CHECK(a >= 0 && recv(a, buf, 5, MSG_WAITALL) == 5);
        CHECK(strcmp(buf, "hello") == 0);
        CHECK(getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0);
        syn_data = (ti.tcpi_options & TCPI_OPT_SYN_DATA) != 0;
        BIO_closesocket(a);
        BIO_closesocket(c);
    }
    CHECK(syn_data);
    BIO_closesocket(l);
    BIO_ADDR_free(to);
    return checks_failed;
}

/* TCP Fast Open for real, where the kernel allows it. */
static void test_tfo_in_private_netns(void)
{
    in_root_child("test_tfo_in_private_netns", "a private network namespace",
                  tfo_child);
}

/* A blocking connect interrupted by a signal reports a retryable failure;
 * the connection then completes (poll + BIO_sock_error), with no second
 * connect. */
static void test_connect_eintr(void)
{
    BIO_ADDR *to;
    int l = listener(AF_INET, 0, &to), c, i, filler[16], nfill = 0, r;
    struct pollfd pfd;

    install_handler();
    /* A backlog of 0 holds one connection; fill it until a connect hangs. */
    listen(l, 0);
    for (i = 0; i < 16; i++) {
        filler[nfill] = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
        BIO_connect(filler[nfill], to, BIO_SOCK_NONBLOCK);
        pfd.fd = filler[nfill++];
        pfd.events = POLLOUT;
        if (poll(&pfd, 1, 200) == 0)
            break;
    }
    CHECK(i < 16);
    c = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    INTERRUPTED(BIO_connect(c, to, 0), r);
    CHECK(r == 0 && errno == EINTR && BIO_sock_should_retry(-1));
    CHECK(QUEUE_EMPTY());
    /* Drain the backlog; the interrupted connect completes by itself. */
    BIO_socket_nbio(l, 1);
    for (i = 0; i < 100; i++) {
        int a = BIO_accept_ex(l, NULL, 0);

        if (a >= 0)
            close(a);
        pfd.fd = c;
        pfd.events = POLLOUT;
        if (poll(&pfd, 1, 100) == 1)
            break;
    }
    CHECK(pfd.revents & POLLOUT);
    CHECK(BIO_sock_error(c) == 0);
    CHECK(QUEUE_EMPTY());
    for (i = 0; i < nfill; i++)
        close(filler[i]);
    BIO_closesocket(c);
    BIO_closesocket(l);
    BIO_ADDR_free(to);
}

/* 10,000 connect/accept/close cycles and every error path, in a loop: the
 * process's fd count is unchanged. */
static void test_no_fd_leak(void)
{
    BIO_ADDR *to, *peer = BIO_ADDR_new(), *nowhere;
    int before = open_fds(), l = listener(AF_INET, 0, &to), i, bad = 0;
    struct linger lg = {1, 0};

    nowhere = addr_of(AF_INET, "127.0.0.1", 1);
    for (i = 0; i < 10000; i++) {
        int c = BIO_socket(AF_INET, SOCK_STREAM, 0, 0), a;

        setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
        if (BIO_connect(c, to, BIO_SOCK_NODELAY) != 1)
            bad++;
        a = BIO_accept_ex(l, peer, 0);
        if (a < 0)
            bad++;
        BIO_closesocket(a);
        BIO_closesocket(c);
        if (i % 10 == 0) {
            char *h = NULL, *s = NULL;
            BIO_ADDRINFO *res = NULL;

            c = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
            BIO_connect(c, nowhere, 0);
            BIO_bind(c, to, 0);
            BIO_listen(c, to, 0);
            BIO_connect(c, NULL, 0x40);
            BIO_closesocket(c);
            BIO_socket(AF_INET, 999, 0, 0);
            BIO_accept_ex(-1, peer, 0);
            BIO_accept_ex(c, peer, 0);
            BIO_parse_hostserv("[::1", &h, &s, BIO_PARSE_PRIO_HOST);
            BIO_lookup("127.0.0.1", "x-no-such", BIO_LOOKUP_CLIENT, AF_INET,
                       SOCK_STREAM, &res);
            BIO_lookup(NULL, NULL, BIO_LOOKUP_CLIENT, AF_UNIX, 0, &res);
            ERR_clear_error();
        }
    }
    CHECK(bad == 0);
    BIO_closesocket(l);
    CHECK(open_fds() == before);
    BIO_ADDR_free(to);
    BIO_ADDR_free(peer);
    BIO_ADDR_free(nowhere);
}

/* The BIO object where biosock departs from (or goes past) what the
 * scenario compares: 4.0's BIO_read(-1), a NULL method, a buffer grown
 * past a MiB, BIO_printf past its stack buffer, gets into 0 bytes. */
static void test_bio_objects(void)
{
    static char big[1 << 20];
    char out[600], line[4] = "zzz";
    BIO *b = BIO_new(BIO_s_mem());
    size_t i, got = 0;
    int n;

    CHECK(b != NULL);
    ERR_clear_error();
    CHECK(BIO_read(b, out, -1) == -1);
    CHECK(queue_is_("BIO_read(-1)", 1, ERR_LIB_BIO,
                    ERR_GET_REASON(ERR_R_PASSED_INVALID_ARGUMENT)));
    CHECK(BIO_new(NULL) == NULL);
    CHECK(queue_is_("BIO_new(NULL)", 1, ERR_LIB_BIO,
                    ERR_GET_REASON(ERR_R_PASSED_NULL_PARAMETER)));
    for (i = 0; i < sizeof(big); i++)
        big[i] = (char)(i * 7);
    CHECK(BIO_write(b, big, (int)sizeof(big)) == (int)sizeof(big));
    CHECK(BIO_read(b, out, 100) == 100 && memcmp(out, big, 100) == 0);
    CHECK(BIO_write(b, big, 100) == 100); /* moves the unread part down */
    CHECK(BIO_pending(b) == (int)sizeof(big));
    for (i = 100; i < sizeof(big); i += got)
        if (!BIO_read_ex(b, out, sizeof(out), &got)
            || memcmp(out, big + i,
                      got < sizeof(big) - i ? got : sizeof(big) - i)
                   != 0)
            break;
    CHECK(i >= sizeof(big));
    CHECK(BIO_reset(b) == 1);
    memset(out, 'a', 550);
    n = BIO_printf(b, "%.*s|%d", 550, out, 7);
    CHECK(n == 552 && BIO_pending(b) == 552);
    CHECK(BIO_gets(b, line, 0) == 0 && strcmp(line, "zzz") == 0);
    CHECK(BIO_read_ex(b, out, 0, &got) == 1 && got == 0); /* 4.0's */
    CHECK(BIO_free(b) == 1);
    CHECK(ERR_peek_error() == 0);
}

/* BIO_s_socket where 4.0 differs from 3.x or the scenario cannot go: the
 * end seen after any read of 0 (4.0's BIO_eof), send flags. */
static void test_bio_socket(void)
{
    int sv[2], n = 0, r;
    char buf[4096] = {0};
    BIO *a, *b;

    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    a = BIO_new_socket(sv[0], BIO_CLOSE);
    b = BIO_new_socket(sv[1], BIO_CLOSE);
    CHECK(BIO_read(b, NULL, 5) == 0 && BIO_eof(b) == 1);
    CHECK(BIO_write(a, "x", 1) == 1 && BIO_read(b, buf, 1) == 1);
    CHECK(BIO_eof(b) == 0);
    /* MSG_DONTWAIT: a full blocking socket asks for a retry, not a wait. */
    CHECK(BIO_set_send_flags(a, MSG_DONTWAIT) == 1);
    while ((r = BIO_write(a, buf, sizeof(buf))) > 0 && n < 100000)
        n++;
    CHECK(r == -1 && BIO_should_retry(a) && BIO_should_write(a));
    ERR_clear_error();
#if LONG_MAX > INT_MAX /* where a long holds more than an int */
    CHECK(BIO_ctrl(a, BIO_C_SET_SEND_FLAGS, (long)INT_MAX + 1, NULL) == 0);
    CHECK(queue_is_("send flags past an int", 1, ERR_LIB_BIO,
                    BIO_R_INVALID_ARGUMENT));
#endif
    BIO_free(a);
    BIO_free(b);
}

/* BIO_s_connect where the scenario cannot go: 4.0's data for no target,
 * and a non-blocking connect still in progress (the listener's accept
 * queue full, so the SYN waits), which returns a retry at once where
 * OpenSSL's BIO_do_connect() spins until the kernel gives up. */
static void test_bio_connect(void)
{
    BIO_ADDR *to;
    int l = listener(AF_INET, 0, &to), early[4], i, fd = -1;
    char *serv = BIO_ADDR_service_string(to, 1), target[64];
    const char *data = NULL;
    struct pollfd p;
    unsigned long e;
    int flags = 0;
    BIO *b;

    b = BIO_new(BIO_s_connect());
    ERR_clear_error();
    CHECK(BIO_do_connect(b) == -1);
    e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags);
    CHECK(ERR_GET_REASON(e) == BIO_R_NO_HOSTNAME_OR_SERVICE_SPECIFIED);
    CHECK((flags & ERR_TXT_STRING) && data != NULL
          && strcmp(data, "hostname=(null) service=(null)") == 0);
    BIO_free(b);
    b = BIO_new(BIO_s_accept()); /* the same for the accept BIO */
    CHECK(BIO_do_accept(b) == -1);
    e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags);
    CHECK(ERR_GET_REASON(e) == BIO_R_NO_ACCEPT_ADDR_OR_SERVICE_SPECIFIED);
    CHECK((flags & ERR_TXT_STRING) && data != NULL
          && strcmp(data, "hostname=(null), service=(null)") == 0);
    CHECK(ERR_peek_error() == 0);
    BIO_free(b);

    CHECK(listen(l, 0) == 0);
    for (i = 0; i < 4; i++) {
        early[i] = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
        BIO_connect(early[i], to, BIO_SOCK_NONBLOCK);
    }
    ERR_clear_error();
    snprintf(target, sizeof(target), "127.0.0.1:%s", serv);
    b = BIO_new_connect(target);
    CHECK(BIO_set_nbio(b, 1) == 1);
    CHECK(BIO_do_connect(b) == 0 && BIO_should_retry(b));
    CHECK(BIO_get_fd(b, &fd) >= 0);
    p.fd = fd;
    p.events = POLLOUT;
    CHECK(poll(&p, 1, 100) == 0); /* still in progress */
    CHECK(BIO_do_connect(b) == 0 && BIO_should_retry(b)
          && BIO_should_io_special(b)
          && BIO_get_retry_reason(b) == BIO_RR_CONNECT);
    CHECK(ERR_peek_error() == 0);
    BIO_free(b);
    for (i = 0; i < 4; i++)
        BIO_closesocket(early[i]);
    BIO_closesocket(l);
    OPENSSL_free(serv);
    BIO_ADDR_free(to);
}

/* Bad input to the BIO layer: an entry or a neutral answer where
 * OpenSSL dereferences NULL. */
static void test_bio_bad_input(void)
{
    BIO *m = BIO_new(BIO_s_mem()), *s = BIO_new(BIO_s_socket());
    BIO *c = BIO_new(BIO_s_connect()), *a = BIO_new(BIO_s_accept());
    char buf[8];

    ERR_clear_error();
    CHECK(BIO_method_type(NULL) == BIO_TYPE_NONE);
    CHECK(BIO_method_name(NULL) == NULL);
    BIO_set_flags(NULL, BIO_FLAGS_READ);
    BIO_clear_flags(NULL, BIO_FLAGS_READ);
    CHECK(BIO_test_flags(NULL, ~0) == 0 && !BIO_should_retry(NULL));
    BIO_set_retry_reason(NULL, 1);
    CHECK(BIO_get_retry_reason(NULL) == 0);
    BIO_copy_next_retry(NULL);
    BIO_copy_next_retry(m); /* nothing after it */
    CHECK(BIO_puts(m, NULL) == -1);
    CHECK(
        QUEUE_IS(1, ERR_LIB_BIO, ERR_GET_REASON(ERR_R_PASSED_NULL_PARAMETER)));
    CHECK(BIO_gets(m, NULL, 8) == -1);
    CHECK(
        QUEUE_IS(1, ERR_LIB_BIO, ERR_GET_REASON(ERR_R_PASSED_NULL_PARAMETER)));
    CHECK(BIO_printf(m, NULL) == -1);
    CHECK(
        QUEUE_IS(1, ERR_LIB_BIO, ERR_GET_REASON(ERR_R_PASSED_NULL_PARAMETER)));
    CHECK(BIO_snprintf(NULL, 8, "%d", 1) == -1);
    CHECK(BIO_snprintf(buf, sizeof(buf), NULL) == -1);
    CHECK(BIO_ctrl(s, BIO_C_SET_FD, BIO_CLOSE, NULL) == 0);
    CHECK(BIO_ctrl(a, BIO_C_SET_FD, BIO_CLOSE, NULL) == 0);
    CHECK(BIO_ctrl(s, BIO_CTRL_GET_RPOLL_DESCRIPTOR, 0, NULL) == 0);
    CHECK(BIO_ctrl(c, BIO_CTRL_GET_CALLBACK, 0, NULL) == 0);
    CHECK(BIO_ctrl(c, BIO_CTRL_DUP, 0, NULL) == 0);
    CHECK(BIO_dup_chain(NULL) == NULL);
    ERR_print_errors(NULL);
    CHECK(ERR_peek_error() == 0);
    BIO_free(m);
    BIO_free(s);
    BIO_free(c);
    BIO_free(a);
}

/* BIO_up_ref and BIO_free from two threads at once: the count stays
 * right (a lost update would free early or never; TSan and valgrind see
 * either). */
static void *drop_refs(void *arg)
{
    int i;

    for (i = 0; i < 10000; i++)
        BIO_free(arg);
    return NULL;
}

static void test_bio_refs_across_threads(void)
{
    BIO *b = BIO_new(BIO_s_mem());
    pthread_t t1, t2;
    int i, ups = 1;

    for (i = 0; i < 20000; i++)
        ups += BIO_up_ref(b);
    CHECK(ups == 20001);
    CHECK(pthread_create(&t1, NULL, drop_refs, b) == 0);
    CHECK(pthread_create(&t2, NULL, drop_refs, b) == 0);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    CHECK(BIO_puts(b, "still here") == 10); /* one reference left */
    CHECK(BIO_free(b) == 1);
}

/* The datagram BIOs: bad input gives an entry, not a crash; the values
 * where OpenSSL's versions differ are 4.0's; local addresses (IP_PKTINFO)
 * round-trip; a pair carries datagrams between two threads. */
static void *pair_writer(void *arg)
{
    BIO *w = arg;
    int i, sent = 0;

    for (i = 0; i < 2000 && sent < 1000;) {
        char d[4] = {(char)sent, 1, 2, 3};

        if (BIO_write(w, d, (int)(1 + sent % 4)) > 0) {
            sent++;
            continue;
        }
        ERR_clear_error(); /* full: the reader makes room */
        usleep(1000);
        i++;
    }
    return NULL;
}

static void test_bio_dgram(void)
{
    BIO *p1 = NULL, *p2 = NULL, *d, *mem = BIO_new(BIO_s_dgram_mem());
    BIO_ADDR *a1 = BIO_ADDR_new(), *a2 = BIO_ADDR_new(), *l = BIO_ADDR_new();
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    struct timeval tv = {0, 1000};
    BIO_MSG m;
    size_t done = 7;
    pthread_t t;
    static const char big[1000];
    char buf[16];
    int fd, got, fd2;

    /* NULLs */
    CHECK(BIO_sendmmsg(mem, &m, sizeof(m), 1, 0, NULL) == 0);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER));
    CHECK(BIO_recvmmsg(NULL, &m, sizeof(m), 1, 0, &done) == 0 && done == 0);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER));
    done = 7;
    CHECK(BIO_sendmmsg(mem, NULL, sizeof(m), 1, 0, &done) == 0 && done == 0);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, BIO_R_INVALID_ARGUMENT));
    CHECK(BIO_sendmmsg(mem, &m, 4, 1, 0, &done) == 0);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, BIO_R_INVALID_ARGUMENT));
    CHECK(BIO_new_bio_dgram_pair(NULL, 0, &p2, 0) == 0 && p2 == NULL);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER));
    CHECK(BIO_wait(NULL, 0, 0) == -1);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER));
    d = BIO_new(BIO_s_dgram_pair());
    CHECK(BIO_make_bio_pair(d, NULL) == 0);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, BIO_R_INVALID_ARGUMENT));
    CHECK(BIO_free(d) == 1);
    /* BIO_wait: a BIO without a socket naps, and at max_time it is over */
    CHECK(BIO_wait(mem, 0, 0) == 1);
    CHECK(BIO_wait(mem, time(NULL) + 5, 1) == 1);
    CHECK(BIO_wait(mem, time(NULL) - 5, 1) == 0);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, BIO_R_TRANSFER_TIMEOUT));

    /* A UDP socket's BIO: 4.0's values where 3.0's differ */
    fd = BIO_socket(AF_INET, SOCK_DGRAM, 0, 0);
    BIO_ADDR_rawmake(a1, AF_INET, &(struct in_addr){htonl(INADDR_LOOPBACK)}, 4,
                     0);
    CHECK(BIO_bind(fd, a1, 0) == 1);
    d = BIO_new_dgram(fd, BIO_CLOSE);
    CHECK(BIO_ctrl(d, BIO_CTRL_DGRAM_SET_RECV_TIMEOUT, 0, &tv) == 0);
    CHECK(BIO_ctrl(d, BIO_CTRL_DGRAM_SET_MTU, -5, NULL) == -1);
    CHECK(BIO_ctrl(d, BIO_CTRL_DGRAM_SET_RECV_TIMEOUT, 0, NULL) == -1);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER));
    CHECK(BIO_dgram_get_peer(d, NULL) == 0);
    CHECK(QUEUE_IS(1, ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER));
    CHECK(BIO_dgram_get_local_addr_enable(d, NULL) == 0);
    CHECK(QUEUE_EMPTY());
    /* local addresses: sent from 127.0.0.1, the destination seen */
    CHECK(getsockname(fd, (struct sockaddr *)&sin, &len) == 0);
    CHECK(BIO_dgram_set_local_addr_enable(d, 1) == 1);
    BIO_ADDR_rawmake(a2, AF_INET, &sin.sin_addr, 4, sin.sin_port);
    memset(&m, 0, sizeof(m));
    m.data = "loc";
    m.data_len = 3;
    m.peer = a2; /* to itself */
    m.local = a2;
    CHECK(BIO_sendmmsg(d, &m, sizeof(m), 1, 0, &done) == 1 && done == 1);
    m.data = buf;
    m.data_len = sizeof(buf);
    m.peer = a1;
    m.local = l;
    CHECK(BIO_recvmmsg(d, &m, sizeof(m), 1, 0, &done) == 1 && done == 1);
    CHECK(m.data_len == 3 && memcmp(buf, "loc", 3) == 0);
    CHECK(BIO_ADDR_family(l) == AF_INET);
    CHECK(BIO_ADDR_rawport(l) == sin.sin_port);
    CHECK(BIO_ADDR_rawport(a1) == sin.sin_port);
    /* another port than the bound one: BIO_R_PORT_MISMATCH */
    BIO_ADDR_rawmake(l, AF_INET, &sin.sin_addr, 4,
                     htons((unsigned short)(ntohs(sin.sin_port) + 1)));
    m.data_len = 3;
    m.local = l;
    m.peer = a2;
    CHECK(BIO_sendmmsg(d, &m, sizeof(m), 1, 0, &done) == 0 && done == 0);
    CHECK(QUEUE_IS(2, ERR_LIB_BIO, BIO_R_PORT_MISMATCH, ERR_LIB_BIO,
                   BIO_R_LOCAL_ADDR_NOT_AVAILABLE));
    /* a would-block read: -1, the retry flag, and the timer's expiry */
    CHECK(BIO_read(d, buf, sizeof(buf)) == -1 && BIO_should_retry(d));
    CHECK(BIO_dgram_recv_timedout(d) == 1);
    /* a closed fd: the batch's SYS entry */
    fd2 = BIO_socket(AF_INET, SOCK_DGRAM, 0, 0);
    CHECK(BIO_set_fd(d, fd2, BIO_CLOSE) == 1);
    CHECK(BIO_closesocket(fd2) == 1);
    m.local = NULL;
    CHECK(BIO_sendmmsg(d, &m, sizeof(m), 1, 0, &done) == 0 && done == 0);
    CHECK(QUEUE_IS(1, ERR_LIB_SYS, EBADF));
    CHECK(BIO_set_close(d, BIO_NOCLOSE) == 1);
    CHECK(BIO_free(d) == 1);

    /* the datagram connect BIO: its datagram BIO goes with the socket, so
     * a reset and a second connect leak nothing (valgrind, ASan) */
    {
        BIO *cb = BIO_new(BIO_s_connect()), *inner = NULL;

        fd2 = BIO_socket(AF_INET, SOCK_DGRAM, 0, 0);
        BIO_ADDR_rawmake(l, AF_INET, &(struct in_addr){htonl(INADDR_LOOPBACK)},
                         4, 0);
        CHECK(BIO_bind(fd2, l, 0) == 1);
        len = sizeof(sin);
        CHECK(getsockname(fd2, (struct sockaddr *)&sin, &len) == 0);
        BIO_ADDR_rawmake(l, AF_INET, &sin.sin_addr, 4, sin.sin_port);
        CHECK(BIO_set_conn_address(cb, l) == 1);
        CHECK(BIO_set_sock_type(cb, SOCK_DGRAM) == 1);
        CHECK(BIO_do_connect(cb) == 1);
        CHECK(BIO_reset(cb) == 0);
        CHECK(BIO_get0_dgram_bio(cb, &inner) == 0);
        CHECK(BIO_do_connect(cb) == 1);
        CHECK(BIO_get0_dgram_bio(cb, &inner) == 1 && inner != NULL);
        CHECK(BIO_write(cb, "x", 1) == 1);
        CHECK(recv(fd2, buf, sizeof(buf), 0) == 1);
        CHECK(BIO_free(cb) == 1);
        CHECK(BIO_closesocket(fd2) == 1);
        CHECK(QUEUE_EMPTY());
    }

    /* a pair across two threads: every datagram, whole and in order */
    CHECK(BIO_new_bio_dgram_pair(&p1, 1024, &p2, 0) == 1);
    CHECK(pthread_create(&t, NULL, pair_writer, p1) == 0);
    {
        int empty = 0, fatal = 0; /* the count of checks stays the same */

        for (got = 0; got < 1000 && empty < 20000;) {
            int n = BIO_read(p2, buf, sizeof(buf));

            if (n < 0) { /* nothing yet: a retry, never an error */
                fatal += !BIO_should_retry(p2);
                empty++;
                usleep(1000);
                continue;
            }
            if (n != 1 + got % 4 || buf[0] != (char)got)
                break;
            got++;
        }
        CHECK(fatal == 0);
    }
    CHECK(got == 1000);
    pthread_join(t, NULL);
    ERR_clear_error();
    CHECK(BIO_free(p1) == 1);
    CHECK(BIO_free(p2) == 1);
    /* a mem BIO grows until its size is set */
    for (got = 0; got < 2000 && BIO_write(mem, big, sizeof(big)) == 1000;
         got++)
        ;
    CHECK(got == 2000);
    CHECK(BIO_get_write_buf_size(mem, 0) >= 2000 * 1000);
    CHECK(BIO_free(mem) == 1);
    BIO_ADDR_free(a1);
    BIO_ADDR_free(a2);
    BIO_ADDR_free(l);
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    test_socket();
    test_bind();
    test_connect();
    test_listen();
    test_accept();
    test_accept_after_reset();
    test_closesocket();
    test_helpers();
    test_addr();
    test_abstract_unix();
    test_addr_from_kernel();
    test_lookup();
    test_legacy();
    test_error_queue();
    test_bio_objects();
    test_bio_socket();
    test_bio_connect();
    test_bio_bad_input();
    test_bio_refs_across_threads();
    test_bio_dgram();
    test_connect_order();
    test_addr_rules();
    test_connect_any_queue();
    test_thread_queues();
    test_rust_fast_paths();
    test_rust_entry_points();
    test_reuseport();
    test_exec_sees_no_fds();
    test_emfile();
    test_connect_eintr();
    test_tfo_in_private_netns();
    test_happy_eyeballs();
    if (!quick)
        test_no_fd_leak();
    unix_path("l"); /* unlinks the last listener's path */
    rmdir(unix_path(""));
    return finish("test_biosock");
}
