/*
 * scenario.c - the differential test's driver.  Built twice, against
 * OpenSSL's libcrypto (-DORACLE) and against biosock, it runs the same calls
 * and prints a transcript of what a caller can observe: return values, errno
 * names, error-queue entries (lib:reason, text and data), socket state and
 * address strings.  No port and no fd number is printed, so the two
 * transcripts must be identical.  Intentional differences (close-on-exec,
 * NULL arguments, unnamed Unix peers) are tested in test_biosock.c.
 *
 * Built against OpenSSL 3.0, 3.5 and 4.0.  A section whose header ends in
 * "[3.5+]" covers what OpenSSL 3.0 does not have (BIO_SOCK_TFO, the names
 * added since); against 3.0 it prints that it is absent, and the comparison
 * with 3.0 leaves those sections out (c/tests/sections.awk).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef ORACLE
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#define IMPL "openssl"
#if OPENSSL_VERSION_NUMBER >= 0x30500000L
#define SINCE_3_5 1
#else
#define SINCE_3_5 0
#endif
#else
#define SINCE_3_5 1
#define BIOSOCK_SUPPRESS_DEPRECATED
#include "biosock.h"
#define IMPL "biosock"
#endif
#include "util.h"

static const char *ename(int e)
{
    const char *n = e == 0 ? "0" : strerrorname_np(e);

    return n != NULL ? n : "E?";
}

/* Print and drain the error queue. */
static void queue(void)
{
    const char *file, *func, *data;
    unsigned long e;
    int line, flags;
    char buf[256];

    while ((e = ERR_get_error_all(&file, &line, &func, &data, &flags)) != 0) {
        ERR_error_string_n(e, buf, sizeof(buf));
        printf("    err %d:%d \"%s\" func=%s flags=%d data=\"%s\"\n",
               ERR_GET_LIB(e), ERR_GET_REASON(e), buf, func, flags,
               (flags & ERR_TXT_STRING) && data != NULL ? data : "");
    }
}

/* One call's outcome: its return value, errno when it failed, the queue. */
static void outcome(const char *what, long ret, int failed)
{
    int e = errno;

    printf("%s -> %ld", what, ret);
    if (failed)
        printf(" errno=%s", ename(e));
    printf("\n");
    queue();
}

#define CALL_INT(expr) (errno = 0, outcome(#expr, (long)(expr), 0))
#define CALL_ST(expr)                                                         \
    do {                                                                      \
        long r_;                                                              \
        errno = 0;                                                            \
        r_ = (long)(expr);                                                    \
        outcome(#expr, r_, r_ == 0);                                          \
    } while (0)
#define CALL_FD(var, expr)                                                    \
    do {                                                                      \
        errno = 0;                                                            \
        var = (expr);                                                         \
        outcome(#expr, var < 0 ? (long)var : 0L, var < 0);                    \
    } while (0)

static int getint(int fd, int level, int name)
{
    int v = -1;
    socklen_t l = sizeof(v);

    if (getsockopt(fd, level, name, &v, &l) != 0)
        return -errno;
    return v;
}

static void state(const char *label, int fd)
{
    int fl = fcntl(fd, F_GETFL);
    int type = getint(fd, SOL_SOCKET, SO_TYPE);
    int dom = getint(fd, SOL_SOCKET, SO_DOMAIN);

    printf("  state %s: nonblock=%d type=%d reuse=%d keepalive=%d", label,
           fl >= 0 && (fl & O_NONBLOCK) != 0, type,
           getint(fd, SOL_SOCKET, SO_REUSEADDR),
           getint(fd, SOL_SOCKET, SO_KEEPALIVE));
    if (dom != AF_UNIX)
        printf(" nodelay=%d", getint(fd, IPPROTO_TCP, TCP_NODELAY));
    if (dom == AF_INET6)
        printf(" v6only=%d", getint(fd, IPPROTO_IPV6, IPV6_V6ONLY));
    printf(" listening=%d\n", getint(fd, SOL_SOCKET, SO_ACCEPTCONN));
}

static void print_str(const char *label, char *s)
{
    printf("  %s = %s%s%s\n", label, s ? "\"" : "", s ? s : "NULL",
           s ? "\"" : "");
    OPENSSL_free(s);
    queue();
}

static void describe(const char *label, const BIO_ADDR *a, int with_port)
{
    size_t l = 0;
    unsigned char raw[128];
    int ok = BIO_ADDR_rawaddress(a, raw, &l);

    printf("  addr %s: family=%d rawaddress=%d len=%zu", label,
           BIO_ADDR_family(a), ok, ok ? l : 0);
    if (with_port)
        printf(" port=%u", ntohs(BIO_ADDR_rawport(a)));
    printf("\n");
    print_str("hostname(numeric)", BIO_ADDR_hostname_string(a, 1));
    if (with_port)
        print_str("service(numeric)", BIO_ADDR_service_string(a, 1));
    print_str("path", BIO_ADDR_path_string(a));
}

static BIO_ADDR *make(int family, const char *text, unsigned short port)
{
    BIO_ADDR *a = BIO_ADDR_new();
    unsigned char raw[16];

    if (family == AF_UNIX)
        BIO_ADDR_rawmake(a, AF_UNIX, text, strlen(text), 0);
    else if (inet_pton(family, text, raw) == 1)
        BIO_ADDR_rawmake(a, family, raw, family == AF_INET ? 4 : 16,
                         htons(port));
    return a;
}

/* The bound address of a listener, as a BIO_ADDR to connect to. */
static BIO_ADDR *bound(int fd)
{
    union BIO_sock_info_u info;

    info.addr = BIO_ADDR_new();
    if (!BIO_sock_info(fd, BIO_SOCK_INFO_ADDRESS, &info))
        queue();
    return info.addr;
}

static int family_of(const char *name)
{
    return strcmp(name, "v4") == 0   ? AF_INET
           : strcmp(name, "v6") == 0 ? AF_INET6
                                     : AF_UNIX;
}

static const char *loopback(int family)
{
    return family == AF_INET    ? "127.0.0.1"
           : family == AF_INET6 ? "::1"
                                : "s.sock";
}

/* Listener, connect with each option set, accept with and without peer. */
static void lifecycle(const char *fam)
{
    static const int copts[] = {0, BIO_SOCK_KEEPALIVE, BIO_SOCK_NODELAY,
                                BIO_SOCK_KEEPALIVE | BIO_SOCK_NODELAY};
    int family = family_of(fam);
    BIO_ADDR *where = make(family, loopback(family), 0), *to, *peer;
    int l, c, a, ok;
    unsigned i;

    printf("== lifecycle %s\n", fam);
    unlink("s.sock");
    CALL_FD(l, BIO_socket(family, SOCK_STREAM, 0, 0));
    CALL_ST(BIO_listen(l, where, BIO_SOCK_REUSEADDR));
    state("listener", l);
    to = bound(l);
    describe("listener", to, 0);
    for (i = 0; i < sizeof(copts) / sizeof(copts[0]); i++) {
        printf(" options %d\n", copts[i]);
        CALL_FD(c, BIO_socket(family, SOCK_STREAM, 0, 0));
        errno = 0;
        ok = BIO_connect(c, to, copts[i]);
        outcome("BIO_connect(c, to, options)", ok, !ok);
        state("client", c);
        if (!ok) {
            BIO_closesocket(c);
            continue;
        }
        peer = BIO_ADDR_new();
        CALL_FD(a, BIO_accept_ex(l, peer, i % 2 ? BIO_SOCK_NONBLOCK : 0));
        state("accepted", a);
        describe("peer", peer, 0);
        BIO_ADDR_free(peer);
        CALL_INT(BIO_closesocket(a));
        CALL_INT(BIO_closesocket(c));
    }
    CALL_FD(c, BIO_socket(family, SOCK_STREAM, 0, 0));
    CALL_ST(BIO_connect(c, to, 0));
    CALL_FD(a, BIO_accept_ex(l, NULL, 0));
    CALL_INT(BIO_closesocket(a));
    CALL_INT(BIO_closesocket(c));

    printf(" non-blocking listener, nothing queued\n");
    CALL_ST(BIO_socket_nbio(l, 1));
    CALL_FD(a, BIO_accept_ex(l, NULL, 0));
    CALL_INT(BIO_closesocket(l));
    printf(" connect to the closed listener\n");
    CALL_FD(c, BIO_socket(family, SOCK_STREAM, 0, 0));
    CALL_ST(BIO_connect(c, to, 0));
    CALL_INT(BIO_closesocket(c));
    BIO_ADDR_free(to);
    BIO_ADDR_free(where);
    unlink("s.sock");
}

/* Non-blocking connect to a port nobody listens on: the outcome comes from
 * SO_ERROR after poll. */
static void nonblocking_refused(const char *fam)
{
    int family = family_of(fam);
    BIO_ADDR *where = make(family, loopback(family), 0), *to;
    int l, c, ok;
    struct pollfd p;

    printf("== nonblocking refused %s\n", fam);
    l = BIO_socket(family, SOCK_STREAM, 0, 0);
    BIO_listen(l, where, 0);
    to = bound(l);
    BIO_closesocket(l);
    CALL_FD(c, BIO_socket(family, SOCK_STREAM, 0, 0));
    errno = 0;
    ok = BIO_connect(c, to, BIO_SOCK_NONBLOCK);
    printf("BIO_connect(nonblock) -> %d retry=%d\n", ok,
           ok ? 0 : BIO_sock_should_retry(-1));
    queue();
    state("client", c);
    p.fd = c;
    p.events = POLLOUT;
    poll(&p, 1, 5000);
    printf("  BIO_sock_error = %s\n", ename(BIO_sock_error(c)));
    printf("  BIO_sock_error again = %s\n", ename(BIO_sock_error(c)));
    BIO_closesocket(c);
    BIO_ADDR_free(to);
    BIO_ADDR_free(where);
}

static void listen_options(const char *fam)
{
    static const int opts[] = {0,
                               BIO_SOCK_REUSEADDR,
                               BIO_SOCK_V6_ONLY,
                               BIO_SOCK_KEEPALIVE | BIO_SOCK_NODELAY,
                               BIO_SOCK_NONBLOCK | BIO_SOCK_REUSEADDR,
                               BIO_SOCK_V6_ONLY | BIO_SOCK_NONBLOCK};
    int family = family_of(fam);
    unsigned i;

    printf("== listen options %s\n", fam);
    for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
        const char *host =
            family == AF_INET6 && i % 2 ? "::" : loopback(family);
        BIO_ADDR *where = make(family, host, 0);
        int l;

        printf(" options %d on %s\n", opts[i], host);
        unlink("s.sock");
        CALL_FD(l, BIO_socket(family, SOCK_STREAM, 0, 0));
        CALL_ST(BIO_listen(l, where, opts[i]));
        state("listener", l);
        BIO_closesocket(l);
        BIO_ADDR_free(where);
    }
    unlink("s.sock");
}

static void dual_stack(void)
{
    BIO_ADDR *any = make(AF_INET6, "::", 0), *to, *peer = BIO_ADDR_new();
    int l, c, a;
    unsigned short port;

    printf("== dual stack\n");
    l = BIO_socket(AF_INET6, SOCK_STREAM, 0, 0);
    CALL_ST(BIO_listen(l, any, 0));
    to = bound(l);
    port = ntohs(BIO_ADDR_rawport(to));
    BIO_ADDR_free(to);
    to = make(AF_INET, "127.0.0.1", port);
    c = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CALL_ST(BIO_connect(c, to, 0));
    CALL_FD(a, BIO_accept_ex(l, peer, 0));
    describe("v4-mapped peer", peer, 0);
    BIO_closesocket(a);
    BIO_closesocket(c);
    BIO_closesocket(l);
    printf(" v6-only listener refuses v4\n");
    l = BIO_socket(AF_INET6, SOCK_STREAM, 0, 0);
    BIO_ADDR_free(any);
    any = make(AF_INET6, "::", port);
    CALL_ST(BIO_listen(l, any, BIO_SOCK_V6_ONLY | BIO_SOCK_REUSEADDR));
    c = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CALL_ST(BIO_connect(c, to, 0));
    BIO_closesocket(c);
    BIO_closesocket(l);
    BIO_ADDR_free(to);
    BIO_ADDR_free(any);
    BIO_ADDR_free(peer);
}

/* Every socket function on -1, a closed fd, a pipe and a file. */
static void bad_fds(void)
{
    static const char *names[] = {"-1", "closed", "pipe", "file"};
    BIO_ADDR *v4 = make(AF_INET, "127.0.0.1", 1), *peer = BIO_ADDR_new();
    union BIO_sock_info_u info;
    int pfd[2], fds[4];
    unsigned i;

    printf("== bad fds\n");
    if (pipe(pfd) != 0)
        abort();
    fds[0] = -1;
    fds[1] = dup(pfd[0]);
    close(fds[1]);
    fds[2] = pfd[0];
    fds[3] = open(".", O_RDONLY);
    info.addr = peer;
    for (i = 0; i < 4; i++) {
        int fd = fds[i], r;

        printf(" fd %s\n", names[i]);
        CALL_ST(BIO_connect(fd, v4, 0));
        CALL_ST(BIO_connect(fd, v4, BIO_SOCK_NODELAY | BIO_SOCK_NONBLOCK));
        CALL_ST(BIO_bind(fd, v4, 0));
        CALL_ST(BIO_bind(fd, v4, BIO_SOCK_REUSEADDR));
        CALL_ST(BIO_listen(fd, v4, 0));
        CALL_FD(r, BIO_accept_ex(fd, peer, 0));
        CALL_FD(r, BIO_accept_ex(fd, NULL, BIO_SOCK_NONBLOCK));
        CALL_ST(BIO_sock_info(fd, BIO_SOCK_INFO_ADDRESS, &info));
        CALL_ST(BIO_socket_nbio(fd, 1));
        printf("  BIO_sock_error = %s\n", ename(BIO_sock_error(fd)));
        CALL_ST(BIO_set_tcp_ndelay(fd, 1));
        CALL_INT(BIO_socket_wait(fd, 1, 0));
        if (i < 2)
            CALL_ST(BIO_closesocket(fd));
    }
    close(pfd[0]);
    close(pfd[1]);
    close(fds[3]);
    BIO_ADDR_free(v4);
    BIO_ADDR_free(peer);
}

static void socket_errors(void)
{
    int s;

    printf("== BIO_socket errors\n");
    CALL_FD(s, BIO_socket(12345, SOCK_STREAM, 0, 0));
    CALL_FD(s, BIO_socket(AF_INET, 999, 0, 0));
    CALL_FD(s, BIO_socket(AF_INET, SOCK_STREAM, IPPROTO_UDP, 0));
    CALL_FD(s, BIO_socket(AF_UNIX, SOCK_STREAM, IPPROTO_TCP, 0));
    CALL_FD(s, BIO_socket(AF_INET, SOCK_DGRAM, 0, 0));
    CALL_INT(BIO_closesocket(s));
}

static void bind_errors(void)
{
    BIO_ADDR *where = make(AF_INET, "127.0.0.1", 0), *got;
    BIO_ADDR *v6 = make(AF_INET6, "::1", 0);
    BIO_ADDR *foreign = make(AF_INET, "192.0.2.1", 0);
    int a, b, u;

    printf("== bind and listen errors\n");
    a = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CALL_ST(BIO_listen(a, where, 0));
    got = bound(a);
    b = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CALL_ST(BIO_bind(b, got, 0));
    CALL_ST(BIO_bind(b, got, BIO_SOCK_REUSEADDR));
    CALL_ST(BIO_listen(b, got, BIO_SOCK_REUSEADDR));
    CALL_ST(BIO_listen(b, v6, 0));
    CALL_ST(BIO_bind(b, foreign, 0));
    CALL_ST(BIO_connect(b, v6, 0));
    BIO_closesocket(b);
    printf(" datagram listen binds without listen()\n");
    u = BIO_socket(AF_INET, SOCK_DGRAM, 0, 0);
    CALL_ST(BIO_listen(u, where, 0));
    state("udp", u);
    CALL_ST(BIO_listen(u, where, BIO_SOCK_NODELAY));
    BIO_closesocket(u);
    printf(" listen twice\n");
    CALL_ST(BIO_listen(a, where, 0));
    printf(" accept on a socket that is not listening\n");
    b = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CALL_FD(u, BIO_accept_ex(b, NULL, 0));
    BIO_closesocket(b);
    BIO_closesocket(a);
    printf(" Unix: NODELAY and KEEPALIVE\n");
    a = BIO_socket(AF_UNIX, SOCK_STREAM, 0, 0);
    BIO_ADDR_free(got);
    got = make(AF_UNIX, "nodir/x.sock", 0);
    CALL_ST(BIO_listen(a, got, 0));
    CALL_ST(BIO_connect(a, got, BIO_SOCK_NODELAY));
    CALL_ST(BIO_connect(a, got, BIO_SOCK_KEEPALIVE));
    state("unix", a);
    BIO_closesocket(a);
    BIO_ADDR_free(got);
    BIO_ADDR_free(where);
    BIO_ADDR_free(v6);
    BIO_ADDR_free(foreign);
}

static void addrs(void)
{
    static const unsigned char v4[4] = {127, 0, 0, 1};
    static const unsigned char v6[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                         0, 0, 0, 0, 0, 0, 0, 1};
    BIO_ADDR *a = BIO_ADDR_new();
    char path[128] = "/tmp/x";

    printf("== BIO_ADDR\n");
    describe("new", a, 1);
    CALL_INT(BIO_ADDR_rawmake(a, AF_INET, v4, 4, htons(443)));
    describe("v4", a, 1);
    print_str("hostname(name)", BIO_ADDR_hostname_string(a, 0));
    print_str("service(name)", BIO_ADDR_service_string(a, 0));
    CALL_INT(BIO_ADDR_rawmake(a, AF_INET, v4, 3, 1));
    CALL_INT(BIO_ADDR_rawmake(a, AF_INET, v4, 16, 1));
    CALL_INT(BIO_ADDR_rawmake(a, AF_INET6, v6, 16, htons(65535)));
    describe("v6", a, 1);
    CALL_INT(BIO_ADDR_rawmake(a, AF_INET6, v6, 4, 1));
    CALL_INT(BIO_ADDR_rawmake(a, AF_INET6, v6, 16, 0));
    describe("v6 port 0", a, 1);
    CALL_INT(BIO_ADDR_rawmake(a, AF_UNIX, "/tmp/x", 6, 0));
    describe("unix", a, 1);
    CALL_INT(BIO_ADDR_rawmake(a, AF_UNIX, path, 107, 0));
    CALL_INT(BIO_ADDR_rawmake(a, AF_UNIX, path, 108, 0));
    CALL_INT(BIO_ADDR_rawmake(a, 12345, v4, 4, 0));
    CALL_INT(BIO_ADDR_rawmake(a, AF_UNSPEC, v4, 4, 0));
    describe("after refusals", a, 1);
    BIO_ADDR_clear(a);
    describe("cleared", a, 1);
    BIO_ADDR_free(a);
    BIO_ADDR_free(NULL);
}

static void hostserv(void)
{
    static const char *inputs[] = {"host:443",
                                   "host:",
                                   ":443",
                                   "*:443",
                                   "host:*",
                                   "example",
                                   "*",
                                   "",
                                   "[::1]",
                                   "[::1]:443",
                                   "[::1]:",
                                   "[]:80",
                                   "::1",
                                   "a:b:c",
                                   "[::1",
                                   "[::1]x",
                                   "[::1]:44:3",
                                   "[a]b:c",
                                   "[[::1]]:1",
                                   "]:80",
                                   "h:[x]",
                                   "*:*",
                                   "\xff\xfe:\x80",
                                   "localhost:https"};
    unsigned i, prio;

    printf("== BIO_parse_hostserv\n");
    for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
        for (prio = 0; prio < 2; prio++) {
            char *h = (char *)"untouched", *s = (char *)"untouched";
            int r = BIO_parse_hostserv(inputs[i], &h, &s, prio);

            printf("\"%s\" prio=%u -> %d host=%s%s%s service=%s%s%s\n",
                   inputs[i], prio, r, h ? "\"" : "", h ? h : "NULL",
                   h ? "\"" : "", s ? "\"" : "", s ? s : "NULL",
                   s ? "\"" : "");
            queue();
            if (h != NULL && strcmp(h, "untouched") != 0)
                OPENSSL_free(h);
            if (s != NULL && strcmp(s, "untouched") != 0)
                OPENSSL_free(s);
        }
    {
        char *h = NULL;
        CALL_INT(BIO_parse_hostserv("a:b", &h, NULL, BIO_PARSE_PRIO_HOST));
        print_str("host only", h);
    }
}

static void lookups(void)
{
    static const struct {
        const char *host, *service;
        int type, family, socktype, protocol;
    } q[] = {
        {"127.0.0.1", "443", BIO_LOOKUP_CLIENT, AF_UNSPEC, SOCK_STREAM, 0},
        {"::1", "https", BIO_LOOKUP_CLIENT, AF_UNSPEC, SOCK_STREAM, 0},
        {"::1", "80", BIO_LOOKUP_CLIENT, AF_INET6, SOCK_DGRAM, 0},
        {"localhost", "80", BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM, 0},
        {NULL, "8080", BIO_LOOKUP_SERVER, AF_UNSPEC, SOCK_STREAM, 0},
        {NULL, "8080", BIO_LOOKUP_SERVER, AF_INET6, SOCK_STREAM, 0},
        {NULL, "8080", BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM, 0},
        {"127.0.0.1", NULL, BIO_LOOKUP_CLIENT, AF_INET, 0, 0},
        {"127.0.0.1", "1", BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM,
         IPPROTO_TCP},
        {"127.0.0.1", "1", BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM,
         IPPROTO_UDP},
        {"127.0.0.1", "no-such-service-x", BIO_LOOKUP_CLIENT, AF_UNSPEC,
         SOCK_STREAM, 0},
        {"::1", "80", BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM, 0},
        {"127.0.0.1", "99999", BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM, 0},
        {NULL, NULL, BIO_LOOKUP_CLIENT, AF_UNSPEC, SOCK_STREAM, 0},
        /* Names the resolver refuses without asking DNS (characters no host
         * name has): tests never send a query. */
        {"bad host!", "80", BIO_LOOKUP_CLIENT, AF_UNSPEC, SOCK_STREAM, 0},
        {"s.sock", "ignored", BIO_LOOKUP_CLIENT, AF_UNIX, SOCK_STREAM, 0},
        {"s.sock", NULL, BIO_LOOKUP_SERVER, AF_UNIX, SOCK_DGRAM, 0},
        {"127.0.0.1", "0443", BIO_LOOKUP_CLIENT, AF_UNSPEC, SOCK_DGRAM, 0},
        {"127.0.0.1", "65535", BIO_LOOKUP_SERVER, AF_INET, SOCK_STREAM, 0},
        {"127.0.0.1", "65536", BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM, 0},
        {"127.0.0.1", "0", BIO_LOOKUP_CLIENT, AF_INET, SOCK_DGRAM,
         IPPROTO_UDP},
        {"127.0.0.1", "-1", BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM, 0},
        /* getaddrinfo reads these as numbers, cut to 16 bits: 45507. */
        {"127.0.0.1", "+111043", BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM, 0},
        {"127.0.0.1", " 111043", BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM, 0},
        {"127.0.0.1", "\t+65537", BIO_LOOKUP_SERVER, AF_INET, SOCK_STREAM, 0},
        {"127.0.0.1", "80x", BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM, 0},
        {"127.0.0.1", "80", BIO_LOOKUP_CLIENT, AF_INET6, SOCK_STREAM, 0},
        {"127.0.0.1", "80", BIO_LOOKUP_CLIENT, AF_INET, 0, 0},
        {"127.0.0.1", "80", BIO_LOOKUP_CLIENT, AF_INET, SOCK_RAW, 0},
        {"127.0.0.1", "80", BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM,
         IPPROTO_SCTP},
        {"127.1", "80", BIO_LOOKUP_CLIENT, AF_UNSPEC, SOCK_STREAM, 0},
        {"0x7f.1", "80", BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM, 0},
        {"::ffff:10.1.2.3", "80", BIO_LOOKUP_CLIENT, AF_UNSPEC, SOCK_STREAM,
         0},
        {"::", "1", BIO_LOOKUP_SERVER, AF_INET6, SOCK_DGRAM, 0},
        {"fe80::1%1", "80", BIO_LOOKUP_CLIENT, AF_INET6, SOCK_STREAM, 0},
        {"0.0.0.0", "22", BIO_LOOKUP_CLIENT, AF_UNSPEC, SOCK_STREAM, 0},
        {"255.255.255.255", "22", BIO_LOOKUP_CLIENT, AF_INET, SOCK_STREAM, 0},
        {"1.2.3.256!", "22", BIO_LOOKUP_CLIENT, AF_UNSPEC, SOCK_STREAM, 0},
        {"", "22", BIO_LOOKUP_CLIENT, AF_UNSPEC, SOCK_STREAM, 0},
        {"127.0.0.1", "", BIO_LOOKUP_CLIENT, AF_UNSPEC, SOCK_STREAM, 0},
        {"127.0.0.1", "80", BIO_LOOKUP_CLIENT, 12345, SOCK_STREAM, 0},
        {"127.0.0.1", "80", BIO_LOOKUP_CLIENT, AF_APPLETALK, SOCK_STREAM, 0},
    };
    unsigned i;

    printf("== BIO_lookup_ex\n");
    for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
        BIO_ADDRINFO *res = NULL;
        const BIO_ADDRINFO *n;
        int r = BIO_lookup_ex(q[i].host, q[i].service, q[i].type, q[i].family,
                              q[i].socktype, q[i].protocol, &res);

        printf("lookup(%s, %s, %d, %d, %d, %d) -> %d\n",
               q[i].host ? q[i].host : "NULL",
               q[i].service ? q[i].service : "NULL", q[i].type, q[i].family,
               q[i].socktype, q[i].protocol, r);
        queue();
        for (n = res; n != NULL; n = BIO_ADDRINFO_next(n)) {
            printf("  family=%d socktype=%d protocol=%d\n",
                   BIO_ADDRINFO_family(n), BIO_ADDRINFO_socktype(n),
                   BIO_ADDRINFO_protocol(n));
            describe("result", BIO_ADDRINFO_address(n),
                     BIO_ADDRINFO_family(n) != AF_UNIX);
        }
        BIO_ADDRINFO_free(res);
    }
    BIO_ADDRINFO_free(NULL);
    printf("  BIO_ADDRINFO accessors on NULL: %d %d %d %d %d\n",
           BIO_ADDRINFO_next(NULL) == NULL, BIO_ADDRINFO_family(NULL),
           BIO_ADDRINFO_socktype(NULL), BIO_ADDRINFO_protocol(NULL),
           BIO_ADDRINFO_address(NULL) == NULL);
}

static void helpers(void)
{
    static const int errs[] = {
        0,           EWOULDBLOCK, EAGAIN,       ENOTCONN, EINTR, EPROTO,
        EINPROGRESS, EALREADY,    ECONNREFUSED, EBADF,    EPIPE, ETIMEDOUT};
    unsigned i;
    int s;

    printf("== helpers\n");
    for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
        int r[3], k;
        static const int args[3] = {-1, 0, 1};

        for (k = 0; k < 3; k++) {
            errno = errs[i];
            r[k] = BIO_sock_should_retry(args[k]);
        }
        printf("%s: non_fatal=%d retry(-1)=%d retry(0)=%d retry(1)=%d\n",
               ename(errs[i]), BIO_sock_non_fatal_error(errs[i]), r[0], r[1],
               r[2]);
    }
    CALL_INT(BIO_sock_init());
    s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    CALL_INT(BIO_set_tcp_ndelay(s, 1));
    state("ndelay on", s);
    CALL_INT(BIO_set_tcp_ndelay(s, 0));
    state("ndelay off", s);
    CALL_INT(BIO_socket_nbio(s, 1));
    state("nbio on", s);
    CALL_INT(BIO_socket_nbio(s, 0));
    state("nbio off", s);
    CALL_INT(BIO_socket_wait(s, 0, 0));
    CALL_INT(BIO_socket_wait(s, 0, 1));
    CALL_INT(BIO_socket_wait(s, 0, time(NULL) + 5));
    CALL_INT(BIO_socket_wait(-1, 0, time(NULL) + 5));
    printf("  BIO_sock_error = %s\n", ename(BIO_sock_error(s)));
    {
        union BIO_sock_info_u info;

        info.addr = BIO_ADDR_new();
        CALL_ST(BIO_sock_info(s, BIO_SOCK_INFO_ADDRESS, &info));
        describe("unbound", info.addr, 1);
        CALL_ST(BIO_sock_info(s, (enum BIO_sock_info_type)7, &info));
        BIO_ADDR_free(info.addr);
    }
    BIO_closesocket(s);
}

static void legacy(void)
{
    unsigned short port = 0;
    unsigned char ip[4] = {0};
    int l, c, a;
    char *ip_port = NULL;
    BIO_ADDR *where = make(AF_INET, "127.0.0.1", 0), *to;

    printf("== deprecated\n");
    CALL_ST(BIO_get_port("443", &port));
    printf("  port=%u\n", port);
    CALL_ST(BIO_get_port("https", &port));
    printf("  port=%u\n", port);
    CALL_ST(BIO_get_port(NULL, &port));
    CALL_ST(BIO_get_port("no-such-service-x", &port));
    CALL_ST(BIO_get_host_ip("127.0.0.1", ip));
    printf("  ip=%u.%u.%u.%u\n", ip[0], ip[1], ip[2], ip[3]);
    CALL_ST(BIO_get_host_ip("localhost", ip));
    printf("  ip=%u.%u.%u.%u\n", ip[0], ip[1], ip[2], ip[3]);
    CALL_ST(BIO_get_host_ip("::1", ip));
    printf("  BIO_gethostbyname(localhost) %s\n",
           BIO_gethostbyname("localhost") != NULL ? "found" : "not found");

    l = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    BIO_listen(l, where, 0);
    to = bound(l);
    c = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    BIO_connect(c, to, 0);
    CALL_FD(a, BIO_accept(l, &ip_port));
    printf("  ip_port host part = %.*s\n", (int)strcspn(ip_port, ":"),
           ip_port);
    OPENSSL_free(ip_port);
    BIO_closesocket(a);
    BIO_socket_nbio(l, 1);
    CALL_FD(a, BIO_accept(l, &ip_port));
    CALL_FD(a, BIO_accept(-1, &ip_port));
    BIO_closesocket(c);
    BIO_closesocket(l);
    BIO_ADDR_free(to);
    BIO_ADDR_free(where);
}

static void queue_bounds(void)
{
    int i;

    printf("== error queue\n");
    for (i = 0; i < 20; i++)
        BIO_connect(-1, NULL, 0);
    printf("  peek=%lx last=%lx\n", ERR_peek_error(), ERR_peek_last_error());
    for (i = 0; ERR_get_error() != 0; i++)
        ;
    printf("  held %d of 20\n", i);
    BIO_connect(-1, NULL, 0);
    ERR_clear_error();
    printf("  after clear: %lx\n", ERR_peek_error());
    {
        char buf[256];
        static const unsigned long codes[] = {
            0x8000006FUL, 0x80000004UL, 0x10000067UL, 0x10000087UL,
            0x10080002UL, 0x100C0102UL, 0x10080106UL, 0x1000008BUL,
            0x100003E7UL, 0x26800005UL};
        unsigned k;

        for (k = 0; k < sizeof(codes) / sizeof(codes[0]); k++) {
            const char *r = ERR_reason_error_string(codes[k]);

            ERR_error_string_n(codes[k], buf, sizeof(buf));
            printf("  %08lX \"%s\" reason=%s lib=%s\n", codes[k], buf,
                   r ? r : "NULL",
                   ERR_lib_error_string(codes[k])
                       ? ERR_lib_error_string(codes[k])
                       : "NULL");
            ERR_error_string_n(codes[k], buf, 20);
            printf("    short \"%s\"\n", buf);
        }
    }
}

/* A section that only OpenSSL 3.5 and later have. */
static int since_3_5(const char *name)
{
    printf("== %s [3.5+]\n", name);
    if (!SINCE_3_5)
        printf("  (not in this OpenSSL)\n");
    return SINCE_3_5;
}

/* One entry raised from here, with ERR_raise_data: file, line and function
 * are this file's in both builds. */
static void raise_here(int lib, int reason, const char *data)
{
    if (data != NULL)
        ERR_raise_data(lib, reason, "%s", data);
    else
        ERR_raise(lib, reason);
}

static void peek_all(const char *label, int last)
{
    const char *file = NULL, *func = NULL, *data = NULL;
    int line = 0, flags = -1;
    unsigned long e =
        last ? ERR_peek_last_error_all(&file, &line, &func, &data, &flags)
             : ERR_peek_error_all(&file, &line, &func, &data, &flags);

    if (e == 0) { /* an empty queue sets none of them */
        printf("  %s: empty\n", label);
        return;
    }
    printf("  %s: %08lX file=%s func=%s flags=%d data=\"%s\"\n", label, e,
           strrchr(file, '/') ? strrchr(file, '/') + 1 : file, func, flags,
           data);
}

static int print_cb(const char *str, size_t len, void *u)
{
    pthread_t tid = pthread_self();
    const unsigned char *t = (const unsigned char *)&tid;
    char hex[2 * sizeof(tid) + 2];
    const char *rest = str;
    size_t i;

    for (i = 0; i < sizeof(tid); i++)
        snprintf(hex + 2 * i, 3, "%02X", t[i]);
    strcat(hex, ":");
    if (strncmp(str, hex, strlen(hex)) == 0)
        rest = str + strlen(hex);
    /* The file is a path: keep its last part. */
    printf("  cb(%s) %s", strncmp(str, hex, strlen(hex)) == 0 ? "tid" : "?",
           rest);
    (void)len;
    return ++*(int *)u < 2;
}

/* Print each line of ERR_print_errors()'s output held by b, the thread id
 * taken off as print_cb does. */
static void print_lines(BIO *b)
{
    char line[512];
    int n;

    while ((n = BIO_gets(b, line, sizeof(line))) > 0) {
        int u = 0;

        print_cb(line, (size_t)n, &u);
    }
}

static void retry_state(const char *what, BIO *b, int r)
{
    printf(" %s -> %d retry=%d read=%d write=%d type=%d\n", what, r,
           BIO_should_retry(b) != 0, BIO_should_read(b) != 0,
           BIO_should_write(b) != 0, BIO_retry_type(b));
    queue();
}

/* One call's result on a line of its own (calls in one printf would run in
 * an unspecified order), then the queue. */
#define SAY(expr) (printf("  %s = %ld\n", #expr, (long)(expr)), queue())

/* The BIO object over BIO_s_mem: I/O, retry flags, controls, the chain,
 * read-only buffers, bad arguments, and error printing into a BIO. */
static void bio_mem(void)
{
    BIO *b = BIO_new(BIO_s_mem()), *ro, *c;
    char buf[64], *data;
    size_t got = 99;
    long n;

    printf("== bio_mem\n");
    printf(" type %X name %s\n", BIO_method_type(b), BIO_method_name(b));
    SAY(BIO_pending(b));
    SAY(BIO_wpending(b));
    SAY(BIO_eof(b));
    retry_state("read empty", b, BIO_read(b, buf, sizeof(buf)));
    SAY(BIO_write(b, "hello\nworld\n", 12));
    SAY(BIO_puts(b, "third line"));
    SAY(BIO_printf(b, " %d-%s%c", 42, "x", '\n'));
    SAY(BIO_pending(b));
    SAY(BIO_eof(b));
    SAY(BIO_number_written(b));
    n = BIO_gets(b, buf, sizeof(buf));
    printf("  gets %ld \"%s\"", n, buf);
    n = BIO_gets(b, buf, 4);
    printf("  gets(4) %ld \"%s\"\n", n, buf);
    SAY(BIO_read(b, buf, 0));
    SAY(BIO_read(b, NULL, 3));
    /* BIO_read(b, buf, -1): 0 in 3.0 and 3.5, -1 with an entry in 4.0
     * (biosock's); test_biosock.c checks it. */
    n = BIO_get_mem_data(b, &data);
    printf("  mem data %ld \"%.*s\"\n", n, (int)n, data);
    n = BIO_read(b, buf, 5);
    printf("  read(5) %ld \"%.*s\"\n", n, (int)n, buf);
    SAY(BIO_read_ex(b, buf, sizeof(buf), &got));
    printf("  got %zu \"%.*s\"\n", got, (int)got, buf);
    SAY(BIO_number_read(b));
    retry_state("read_ex empty", b, BIO_read_ex(b, buf, 1, &got));
    SAY(got);
    SAY(BIO_set_mem_eof_return(b, 0));
    retry_state("read at eof 0", b, BIO_read(b, buf, 1));
    BIO_set_mem_eof_return(b, -1);
    SAY(BIO_write(b, "x", 0));
    SAY(BIO_write(b, "x", -1));
    SAY(BIO_write_ex(b, "x", 0, &got));
    SAY(got);
    SAY(BIO_write(b, NULL, 3));
    SAY(BIO_puts(b, ""));
    SAY(BIO_puts(b, "zz"));
    SAY(BIO_reset(b));
    SAY(BIO_pending(b));
    SAY(BIO_get_close(b));
    SAY(BIO_set_close(b, BIO_CLOSE));
    SAY(BIO_flush(b));
    SAY(BIO_ctrl(b, 999, 0, NULL));
    SAY(BIO_write(NULL, "x", 1));
    SAY(BIO_ctrl(NULL, BIO_CTRL_PENDING, 0, NULL));
    SAY(BIO_free(NULL));
    SAY(BIO_next(NULL) == NULL);
    SAY(BIO_read(NULL, buf, 1));
    SAY(BIO_read_ex(NULL, buf, 1, &got));
    SAY(BIO_puts(NULL, "x"));
    SAY(BIO_gets(NULL, buf, 1));
    SAY(BIO_gets(b, buf, -1));
    SAY(BIO_puts(b, "x"));
    SAY(BIO_gets(b, buf, 1));
    SAY(buf[0]);
    SAY(BIO_gets(b, buf, sizeof(buf)));

    printf(" read-only\n");
    ro = BIO_new_mem_buf("abc\ndef", -1);
    SAY(BIO_pending(ro));
    SAY(BIO_test_flags(ro, BIO_FLAGS_MEM_RDONLY));
    n = BIO_gets(ro, buf, sizeof(buf));
    printf("  gets %ld \"%.*s\"\n", n, (int)n, buf);
    n = BIO_read(ro, buf, sizeof(buf));
    printf("  read %ld \"%.*s\"\n", n, (int)n, buf);
    retry_state(" read empty", ro, BIO_read(ro, buf, 1));
    SAY(BIO_write(ro, "x", 1));
    SAY(BIO_reset(ro));
    SAY(BIO_pending(ro));
    SAY(BIO_eof(ro));
    BIO_free(ro);
    ro = BIO_new_mem_buf("abcdef", 3);
    SAY(BIO_pending(ro));
    BIO_free(ro);
    SAY(BIO_new_mem_buf(NULL, 3) == NULL);

    printf(" chain\n");
    c = BIO_new(BIO_s_mem());
    SAY(BIO_push(b, c) == b);
    SAY(BIO_next(b) == c);
    SAY(BIO_pop(b) == c);
    SAY(BIO_next(b) == NULL);
    SAY(BIO_push(NULL, c) == c);
    SAY(BIO_push(b, NULL) == b);
    BIO_push(b, c);
    SAY(BIO_up_ref(b));
    SAY(BIO_free(b));
    SAY(BIO_puts(b, "y"));
    BIO_free_all(b);

    printf(" snprintf\n");
    SAY(BIO_snprintf(buf, sizeof(buf), "%s-%d", "a", 7));
    printf("  \"%s\"\n", buf);
    SAY(BIO_snprintf(buf, 6, "%s", "hello"));
    SAY(BIO_snprintf(buf, 5, "%s", "hello"));
    SAY(BIO_snprintf(buf, sizeof(buf), "%s", ""));

    printf(" ERR_print_errors\n");
    b = BIO_new(BIO_s_mem());
    raise_here(ERR_LIB_BIO, BIO_R_CONNECT_ERROR, "with data");
    raise_here(ERR_LIB_SYS, ECONNREFUSED, NULL);
    ERR_print_errors(b);
    printf("  queue left %08lX\n", ERR_peek_error());
    print_lines(b);
    printf(" ERR_add_error_mem_bio\n");
    raise_here(ERR_LIB_BIO, BIO_R_ACCEPT_ERROR, "first");
    BIO_puts(b, "from a BIO");
    ERR_add_error_mem_bio(" / ", b);
    ERR_add_error_mem_bio(" / ", NULL);
    n = BIO_get_mem_data(b, &data);
    printf("  bio now %ld bytes, last %d\n", n, n > 0 ? data[n - 1] : -1);
    queue();
    BIO_free(b);
}

/* Whether fd is open (no fd number is printed). */
static int is_open(int fd)
{
    return fcntl(fd, F_GETFD) != -1;
}

static void bio_socket_poll(BIO *a, int fd);

/* BIO_s_socket over a socketpair: I/O both ways, would-block, the end, a
 * closed peer, who closes the fd, an uninitialised BIO. */
static void bio_socket(void)
{
    int sv[2], pv[2];
    BIO *a, *b, *u;
    char buf[64];
    int n;

    printf("== bio_socket\n");
    signal(SIGPIPE, SIG_IGN);
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0
        || socketpair(AF_UNIX, SOCK_STREAM, 0, pv) != 0)
        return;
    a = BIO_new_socket(sv[0], BIO_CLOSE);
    b = BIO_new_socket(sv[1], BIO_NOCLOSE);
    printf(" type %X name %s\n", BIO_method_type(a), BIO_method_name(a));
    SAY(BIO_get_fd(a, NULL) == sv[0]);
    n = -1;
    SAY(BIO_get_fd(b, &n) == sv[1]);
    SAY(n == sv[1]);
    SAY(BIO_get_close(a));
    SAY(BIO_get_close(b));
    SAY(BIO_write(a, "hello", 5));
    SAY(BIO_puts(a, " world"));
    SAY(BIO_printf(a, "%d", 42));
    SAY(BIO_flush(a));
    n = BIO_read(b, buf, sizeof(buf));
    printf("  read %d \"%.*s\"\n", n, n > 0 ? n : 0, buf);
    SAY(BIO_number_read(b));
    SAY(BIO_number_written(a));
    BIO_socket_nbio(sv[1], 1);
    errno = 0;
    retry_state("read empty, non-blocking", b, BIO_read(b, buf, sizeof(buf)));
    printf("  errno %s\n", ename(errno));
    SAY(BIO_eof(b));
    SAY(BIO_read(b, NULL, 5));
    SAY(BIO_read(b, buf, 0));
    SAY(BIO_gets(b, buf, sizeof(buf)));
    SAY(BIO_pending(b));
    SAY(BIO_wpending(b));
    SAY(BIO_ctrl(b, 999, 0, NULL));
    bio_socket_poll(a, sv[0]);
    SAY(BIO_free(a));
    SAY(is_open(sv[0]));
    retry_state("read at the end", b, BIO_read(b, buf, sizeof(buf)));
    SAY(BIO_eof(b));
    errno = 0;
    retry_state("write to a closed peer", b, BIO_write(b, "x", 1));
    printf("  errno %s\n", ename(errno));
    SAY(BIO_free(b));
    SAY(is_open(sv[1]));
    close(sv[1]);

    printf(" uninitialised\n");
    u = BIO_new(BIO_s_socket());
    SAY(BIO_get_fd(u, NULL));
    SAY(BIO_read(u, buf, 1));
    SAY(BIO_write(u, "x", 1));
    SAY(BIO_puts(u, "x"));
    SAY(BIO_eof(u));
    SAY(BIO_set_fd(u, pv[0], BIO_CLOSE));
    SAY(BIO_get_fd(u, NULL) == pv[0]);
    SAY(BIO_set_fd(u, pv[1], BIO_NOCLOSE));
    SAY(is_open(pv[0]));
    SAY(BIO_set_close(u, BIO_CLOSE));
    SAY(BIO_free(u));
    SAY(is_open(pv[1]));
    signal(SIGPIPE, SIG_DFL);
}

static void bio_socket_poll(BIO *a, int fd)
{
    if (since_3_5("bio_socket poll descriptors")) {
#if SINCE_3_5
        BIO_POLL_DESCRIPTOR pd;
        BIO *u = BIO_new(BIO_s_socket());

        memset(&pd, 0, sizeof(pd));
        SAY(BIO_get_rpoll_descriptor(a, &pd));
        SAY(pd.type);
        SAY(pd.value.fd == fd);
        memset(&pd, 0, sizeof(pd));
        SAY(BIO_get_wpoll_descriptor(a, &pd));
        SAY(pd.value.fd == fd);
        SAY(BIO_get_rpoll_descriptor(u, &pd));
        BIO_free(u);
#endif
    }
    (void)a;
    (void)fd;
    printf("== bio_socket, the rest\n");
}

/* A UDP socket on 127.0.0.1, bound to an ephemeral port, its address in
 * *a. */
static int udp_bound(BIO_ADDR *a)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0
        || getsockname(fd, (struct sockaddr *)&sin, &len) != 0)
        return -1;
    BIO_ADDR_rawmake(a, AF_INET, &sin.sin_addr, sizeof(sin.sin_addr),
                     sin.sin_port);
    return fd;
}

/* connect() fd to the IPv4 address a. */
static int udp_connect(int fd, const BIO_ADDR *a)
{
    struct sockaddr_in sin;
    size_t len = sizeof(sin.sin_addr);

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = BIO_ADDR_rawport(a);
    BIO_ADDR_rawaddress(a, &sin.sin_addr, &len);
    return connect(fd, (struct sockaddr *)&sin, sizeof(sin));
}

static void bio_dgram_3_5(BIO *a, BIO *b, BIO_ADDR *pa, BIO_ADDR *pb);

/* BIO_s_datagram over two UDP sockets on loopback: a write to the peer, a
 * read that learns its sender, would-block and its timer, the MTU
 * controls, a connected socket, an uninitialised BIO. */
static void bio_dgram(void)
{
    BIO_ADDR *pa = BIO_ADDR_new(), *pb = BIO_ADDR_new(), *got = BIO_ADDR_new();
    int fa = udp_bound(pa), fb = udp_bound(pb);
    BIO *a, *b, *u;
    struct timeval tv = {0, 20000};
    char buf[64];
    int n;

    printf("== bio_dgram\n");
    a = BIO_new_dgram(fa, BIO_CLOSE);
    b = BIO_new_dgram(fb, BIO_CLOSE);
    printf(" type %X name %s\n", BIO_method_type(a), BIO_method_name(a));
    SAY(BIO_get_fd(a, NULL) == fa);
    SAY(BIO_dgram_set_peer(a, pb));
    SAY(BIO_write(a, "hello", 5));
    SAY(BIO_puts(a, "two"));
    n = BIO_read(b, buf, sizeof(buf));
    printf("  read %d \"%.*s\"\n", n, n > 0 ? n : 0, buf);
    SAY(BIO_dgram_get_peer(b, got) > 0);
    SAY(BIO_ADDR_rawport(got) == BIO_ADDR_rawport(pa));
    n = BIO_read(b, buf, 2);
    printf("  short read %d \"%.*s\" (the rest of the datagram is gone)\n", n,
           n > 0 ? n : 0, buf);
    /* 1 in 3.0, 0 (setsockopt's) in 3.5 and 4.0: test_biosock.c */
    SAY(BIO_ctrl(b, BIO_CTRL_DGRAM_SET_RECV_TIMEOUT, 0, &tv) >= 0);
    memset(&tv, 0, sizeof(tv));
    SAY(BIO_ctrl(b, BIO_CTRL_DGRAM_GET_RECV_TIMEOUT, 0, &tv));
    SAY(tv.tv_usec >= 20000);
    errno = 0;
    retry_state("read, nothing sent", b, BIO_read(b, buf, sizeof(buf)));
    printf("  errno %s\n", ename(errno));
    SAY(BIO_dgram_recv_timedout(b));
    SAY(BIO_dgram_recv_timedout(b));
    SAY(BIO_dgram_send_timedout(b));
    SAY(BIO_ctrl(b, BIO_CTRL_DGRAM_SET_PEEK_MODE, 1, NULL));
    SAY(BIO_write(a, "peek", 4));
    SAY(BIO_read(b, buf, sizeof(buf)));
    SAY(BIO_ctrl(b, BIO_CTRL_DGRAM_SET_PEEK_MODE, 0, NULL));
    SAY(BIO_read(b, buf, sizeof(buf)));
    printf(" MTU\n");
    SAY(BIO_ctrl(a, BIO_CTRL_DGRAM_GET_MTU, 0, NULL));
    SAY(BIO_ctrl(a, BIO_CTRL_DGRAM_SET_MTU, 1400, NULL));
    SAY(BIO_ctrl(a, BIO_CTRL_DGRAM_GET_MTU, 0, NULL));
    /* -5 in 3.0, -1 in 3.5 and 4.0: test_biosock.c */
    SAY(BIO_ctrl(a, BIO_CTRL_DGRAM_SET_MTU, -5, NULL) < 0);
    SAY(BIO_ctrl(a, BIO_CTRL_DGRAM_GET_FALLBACK_MTU, 0, NULL));
    SAY(BIO_dgram_get_mtu_overhead(a));
    SAY(BIO_ctrl(a, BIO_CTRL_DGRAM_MTU_EXCEEDED, 0, NULL));
    SAY(BIO_ctrl(a, BIO_CTRL_DGRAM_QUERY_MTU, 0, NULL));
    SAY(BIO_ctrl(a, BIO_CTRL_DGRAM_MTU_DISCOVER, 0, NULL));
    SAY(BIO_ctrl(a, BIO_CTRL_DGRAM_SET_DONT_FRAG, 1, NULL));
    SAY(BIO_pending(a));
    SAY(BIO_wpending(a));
    SAY(BIO_flush(a));
    SAY(BIO_reset(a));
    SAY(BIO_ctrl(a, 999, 0, NULL));
    printf(" connected\n");
    SAY(udp_connect(fa, pb) == 0);
    SAY(BIO_ctrl_set_connected(a, pb));
    SAY(BIO_write(a, "conn", 4));
    SAY(BIO_read(b, buf, sizeof(buf)));
    SAY(BIO_ctrl(a, BIO_CTRL_DGRAM_QUERY_MTU, 0, NULL));
    SAY(BIO_ctrl(a, BIO_CTRL_DGRAM_GET_MTU, 0, NULL));
    SAY(BIO_ctrl(a, BIO_CTRL_DGRAM_MTU_DISCOVER, 0, NULL));
    SAY(BIO_ctrl_set_connected(a, NULL));
    SAY(BIO_dgram_get_peer(a, got) > 0);
    SAY(BIO_ADDR_family(got));
    bio_dgram_3_5(a, b, pa, pb);
    SAY(BIO_free(a));
    SAY(is_open(fa));
    SAY(BIO_free(b));

    printf(" uninitialised\n");
    u = BIO_new(BIO_s_datagram());
    SAY(BIO_get_fd(u, NULL));
    SAY(BIO_read(u, buf, 1));
    SAY(BIO_write(u, "x", 1));
    SAY(BIO_free(u));
    BIO_ADDR_free(pa);
    BIO_ADDR_free(pb);
    BIO_ADDR_free(got);
}

#if SINCE_3_5
/* 3.2's datagram connect BIO, to the UDP socket of b at pb: connect, a
 * datagram each way, the batches, what a datagram has not (lines), and a
 * stream connect BIO's batches. */
static void bio_connect_dgram(BIO *b, BIO_ADDR *pb)
{
    BIO *cb = BIO_new(BIO_s_connect()), *inner = NULL, *st;
    char x[16];
    BIO_MSG m;
    size_t done = 9;

    printf(" datagram connect BIO\n");
    while (BIO_read(b, x, sizeof(x)) >= 0) /* what the batches left */
        ;
    ERR_clear_error();
    SAY(BIO_set_conn_address(cb, pb));
    SAY(BIO_get_sock_type(cb));
    SAY(BIO_set_sock_type(cb, SOCK_RAW));
    SAY(BIO_set_sock_type(cb, SOCK_DGRAM));
    SAY(BIO_get0_dgram_bio(cb, &inner));
    SAY(BIO_do_connect(cb));
    SAY(BIO_set_sock_type(cb, SOCK_STREAM));
    SAY(BIO_get0_dgram_bio(cb, &inner));
    SAY(inner != NULL && BIO_method_type(inner) == BIO_TYPE_DGRAM);
    SAY(BIO_write(cb, "udp!", 4));
    SAY(BIO_read(b, x, sizeof(x)));
    SAY(BIO_write(b, "back", 4));
    SAY(BIO_read(cb, x, sizeof(x)));
    SAY(BIO_gets(cb, x, sizeof(x)));
    memset(&m, 0, sizeof(m));
    m.data = "mm";
    m.data_len = 2;
    SAY(BIO_sendmmsg(cb, &m, sizeof(m), 1, 0, &done));
    SAY(done);
    SAY(BIO_read(b, x, sizeof(x)));
    SAY(BIO_set_nbio(cb, 1));
    retry_state("read, nothing sent", cb, BIO_read(cb, x, sizeof(x)));
    m.data = x;
    m.data_len = sizeof(x);
    SAY(BIO_recvmmsg(cb, &m, sizeof(m), 1, 0, &done));
    SAY(done);
    SAY(BIO_free(cb));
    st = BIO_new(BIO_s_connect());
    SAY(BIO_sendmmsg(st, &m, sizeof(m), 1, 0, &done));
    SAY(done);
    SAY(BIO_free(st));
}
#endif

static void bio_dgram_3_5(BIO *a, BIO *b, BIO_ADDR *pa, BIO_ADDR *pb)
{
    if (since_3_5("bio_dgram batches and pairs")) {
#if SINCE_3_5
        BIO_MSG m[2];
        char x[8], y[8];
        size_t done = 99;
        BIO *p1 = NULL, *p2 = NULL, *u, *mem = BIO_new(BIO_s_dgram_mem());

        memset(m, 0, sizeof(m));
        m[0].data = "one";
        m[0].data_len = 3;
        m[0].peer = pb;
        m[1].data = "two!";
        m[1].data_len = 4;
        m[1].peer = pb;
        SAY(BIO_dgram_get_effective_caps(a));
        SAY(BIO_dgram_get_caps(a));
        SAY(BIO_dgram_get_local_addr_cap(a));
        SAY(BIO_sendmmsg(a, m, sizeof(BIO_MSG), 2, 0, &done));
        SAY(done);
        m[0].data = x;
        m[0].data_len = sizeof(x);
        m[0].peer = NULL;
        m[1].data = y;
        m[1].data_len = sizeof(y);
        m[1].peer = NULL;
        done = 99;
        SAY(BIO_recvmmsg(b, m, sizeof(BIO_MSG), 2, 0, &done));
        SAY(done);
        SAY(m[0].data_len);
        SAY(m[1].data_len);
        m[0].local = pa;
        SAY(BIO_recvmmsg(b, m, sizeof(BIO_MSG), 1, 0, &done));
        SAY(done);
        m[0].local = NULL;
        m[0].peer = NULL;
        SAY(BIO_sendmmsg(a, m, sizeof(BIO_MSG), 1, 0, &done));
        SAY(done);
        SAY(BIO_sendmmsg(a, m, sizeof(BIO_MSG), 0, 0, &done));
        SAY(done);
        SAY(BIO_sendmmsg(mem, m, sizeof(BIO_MSG), 0, 0, &done));
        printf(" dgram pair\n");
        SAY(BIO_new_bio_dgram_pair(&p1, 0, &p2, 2000));
        printf(" type %X name %s\n", BIO_method_type(p1), BIO_method_name(p1));
        /* 9 datagrams of the MTU with their headers; biosock's BIO_ADDR
         * is 8 bytes larger than libcrypto's (README) */
        SAY(BIO_get_write_buf_size(p1, 0) >= 9 * (1472 + 2 * 112));
        SAY(BIO_get_write_buf_size(p2, 0));
        SAY(BIO_set_write_buf_size(p1, 4096));
        SAY(BIO_dgram_get_mtu(p1));
        SAY(BIO_get_write_guarantee(p2) > 0);
        SAY(BIO_write(p1, "ping", 4));
        SAY(BIO_pending(p2));
        SAY(BIO_pending(p1));
        SAY(BIO_read(p1, x, sizeof(x)));
        SAY(BIO_read(p2, x, 2));
        SAY(BIO_read(p2, x, sizeof(x)));
        retry_state("read, nothing sent", p2, BIO_read(p2, x, sizeof(x)));
        SAY(BIO_eof(p2));
        SAY(BIO_dgram_set_no_trunc(p2, 1));
        SAY(BIO_write(p1, "pingpong", 8));
        SAY(BIO_read(p2, x, 4));
        SAY(BIO_dgram_get_no_trunc(p2));
        SAY(BIO_pending(p2));
        m[0].data = "to";
        m[0].data_len = 2;
        m[0].peer = pa;
        SAY(BIO_sendmmsg(p1, m, sizeof(BIO_MSG), 1, 0, &done));
        SAY(done);
        SAY(BIO_dgram_set_local_addr_enable(p1, 1));
        SAY(BIO_dgram_set_caps(p2, BIO_DGRAM_CAP_HANDLES_DST_ADDR));
        SAY(BIO_dgram_get_effective_caps(p1));
        SAY(BIO_sendmmsg(p1, m, sizeof(BIO_MSG), 1, 0, &done));
        SAY(done);
        SAY(BIO_make_bio_pair(p1, p2));
        SAY(BIO_make_bio_pair(p1, mem));
        SAY(BIO_set_write_buf_size(p1, 9999));
        SAY(BIO_destroy_bio_pair(p1));
        SAY(BIO_read(p2, x, sizeof(x)));
        SAY(BIO_write(p1, "x", 1));
        SAY(BIO_eof(p1));
        printf(" dgram mem\n");
        printf(" type %X name %s\n", BIO_method_type(mem),
               BIO_method_name(mem));
        SAY(BIO_write(mem, "self", 4));
        SAY(BIO_read(mem, x, sizeof(x)));
        SAY(BIO_set_write_buf_size(mem, 10));
        SAY(BIO_get_write_buf_size(mem, 0));
        SAY(BIO_write(mem, x, -1));
        SAY(BIO_recvmmsg(mem, m, sizeof(BIO_MSG), 1, 0, &done));
        SAY(done);
        u = BIO_new(BIO_s_mem());
        SAY(BIO_sendmmsg(u, m, sizeof(BIO_MSG), 1, 0, &done));
        SAY(done);
        BIO_free(u);
        BIO_free(p1);
        BIO_free(p2);
        BIO_free(mem);
        bio_connect_dgram(b, pb);
#endif
    }
    (void)a;
    (void)b;
    (void)pa;
    (void)pb;
    printf("== bio_dgram, the rest\n");
}

/* The queue, as queue() prints it, with the port's digits in the data
 * shown as "P" (the port is new in every run). */
static void queue_port(const char *port)
{
    const char *file, *func, *data;
    unsigned long e;
    int line, flags;
    char buf[256], shown[256];

    while ((e = ERR_get_error_all(&file, &line, &func, &data, &flags)) != 0) {
        const char *at;

        shown[0] = '\0';
        if ((flags & ERR_TXT_STRING) && data != NULL) {
            snprintf(shown, sizeof(shown), "%s", data);
            if ((at = strstr(data, port)) != NULL)
                snprintf(shown + (at - data), sizeof(shown) - (at - data),
                         "P%s", at + strlen(port));
        }
        ERR_error_string_n(e, buf, sizeof(buf));
        printf("    err %d:%d \"%s\" func=%s flags=%d data=\"%s\"\n",
               ERR_GET_LIB(e), ERR_GET_REASON(e), buf, func, flags, shown);
    }
}

static int info_cb(BIO *b, int state, int ret)
{
    (void)b;
    printf("   info state %d ret %s\n", state,
           ret > 1    ? "fd"
           : ret == 1 ? "1"
           : ret == 0 ? "0"
                      : "-1");
    return ret;
}

/* Run BIO_do_connect() until it is done, polling while it asks for a
 * retry: the last result. */
static long connect_done(BIO *b)
{
    long r;
    int fd;

    while ((r = BIO_do_connect(b)) <= 0 && BIO_should_retry(b)) {
        struct pollfd p;

        if (BIO_get_fd(b, &fd) < 0)
            break;
        p.fd = fd;
        p.events = POLLOUT;
        poll(&p, 1, 5000);
    }
    return r;
}

/* BIO_gets on the connect BIO (3.2's conn_gets): the two lines the peer
 * sent, read a byte at a time; without it (3.0), the bytes are read. */
static void bio_connect_gets(BIO *b)
{
    char buf[64];
    long r;

    if (since_3_5("bio_connect gets")) {
        SAY(BIO_gets(b, buf, sizeof(buf)));
        printf("  \"%s\"", buf);
        SAY(BIO_gets(b, buf, 5));
        printf("  \"%s\"\n", buf);
        r = BIO_read(b, buf, sizeof(buf));
        printf("  read %ld \"%.*s\"", r, r > 0 ? (int)r : 0, buf);
        SAY(BIO_gets(b, buf, 0));
    } else {
        BIO_read(b, buf, sizeof(buf));
    }
    printf("== bio_connect, the rest\n");
}

/* BIO_s_connect to a loopback listener: the settings, the connect with its
 * info callback, I/O and lines, refused (blocking and not), no target. */
static void bio_connect(void)
{
    BIO_ADDR *where = make(AF_INET, "127.0.0.1", 0), *to;
    int l = BIO_socket(AF_INET, SOCK_STREAM, 0, 0), a, fd = -1;
    char port[16], target[64], buf[64], *service;
    BIO *b, *n;
    BIO_info_cb *cb = NULL;
    long r;

    printf("== bio_connect\n");
    BIO_listen(l, where, BIO_SOCK_REUSEADDR);
    to = bound(l);
    service = BIO_ADDR_service_string(to, 1);
    snprintf(port, sizeof(port), "%s", service);
    OPENSSL_free(service);
    snprintf(target, sizeof(target), "127.0.0.1:%s", port);

    b = BIO_new_connect(target);
    printf(" type %X name %s\n", BIO_method_type(b), BIO_method_name(b));
    printf("  host %s port %s\n", BIO_get_conn_hostname(b),
           strcmp(BIO_get_conn_port(b), port) == 0 ? "P" : "?");
    SAY(BIO_get_conn_address(b) == NULL);
    SAY(BIO_get_conn_ip_family(b));
    SAY(BIO_get_fd(b, NULL) < 0);
    SAY(BIO_get_info_callback(b, &cb));
    SAY(BIO_set_info_callback(b, info_cb));
    SAY(BIO_get_info_callback(b, &cb));
    SAY(cb == info_cb);
    r = BIO_do_connect(b);
    printf("  BIO_do_connect = %ld\n", r);
    queue();
    SAY(BIO_do_connect(b));
    SAY(BIO_get_fd(b, &fd) >= 0);
    SAY(BIO_ADDR_family(BIO_get_conn_address(b)));
    SAY(BIO_get_conn_ip_family(b));
    a = BIO_accept_ex(l, NULL, 0);
    SAY(BIO_puts(b, "ping\n"));
    SAY(read(a, buf, sizeof(buf)));
    SAY(write(a, "line one\nline two\n", 18));
    bio_connect_gets(b);
    close(a);
    SAY(BIO_read(b, buf, sizeof(buf)));
    SAY(BIO_eof(b));
    SAY(BIO_pending(b));
    SAY(BIO_reset(b));
    SAY(BIO_get_fd(b, NULL) < 0);
    BIO_free(b);

    printf(" refused\n");
    BIO_closesocket(l);
    b = BIO_new_connect(target);
    r = BIO_do_connect(b);
    printf("  BIO_do_connect = %ld retry %d\n", r, BIO_should_retry(b) != 0);
    queue_port(port);
    SAY(BIO_do_connect(b));
    queue_port(port);
    BIO_free(b);
    b = BIO_new_connect(target);
    SAY(BIO_set_nbio(b, 1));
    r = connect_done(b);
    printf("  non-blocking: %ld retry %d reason %d\n", r,
           BIO_should_retry(b) != 0, BIO_get_retry_reason(b));
    queue_port(port);
    BIO_free(b);

    printf(" settings\n");
    b = BIO_new(BIO_s_connect());
    /* BIO_do_connect() now: test_biosock.c (4.0's data differs). */
    SAY(BIO_read(b, buf, 1));
    SAY(BIO_set_conn_port(b, "4433"));
    SAY(BIO_set_conn_hostname(b, "[::1]:443"));
    printf("  host %s port %s\n", BIO_get_conn_hostname(b),
           BIO_get_conn_port(b));
    SAY(BIO_set_conn_hostname(b, "127.0.0.1"));
    printf("  host %s port %s\n", BIO_get_conn_hostname(b),
           BIO_get_conn_port(b));
    SAY(BIO_set_conn_ip_family(b, 99));
    SAY(BIO_do_connect(b));
    SAY(BIO_set_conn_address(b, to));
    printf("  host %s port %s\n", BIO_get_conn_hostname(b),
           strcmp(BIO_get_conn_port(b), port) == 0 ? "P" : "?");
    SAY(BIO_set_conn_hostname(b, NULL));
    SAY(BIO_ctrl(b, BIO_C_SET_CONNECT, 9, "x"));
    SAY(BIO_callback_ctrl(b, BIO_CTRL_GET_CALLBACK, info_cb));
    SAY(BIO_callback_ctrl(NULL, BIO_CTRL_SET_CALLBACK, info_cb));
    SAY(BIO_get_close(b));
    BIO_free(b);
    SAY(BIO_new_connect("[::1") == NULL);
    n = BIO_new(BIO_s_mem());
    SAY(BIO_set_info_callback(n, NULL));
    BIO_free(n);
    BIO_ADDR_free(to);
    BIO_ADDR_free(where);
}

/* A blocking client connected to the accept BIO's address. */
static int client_of(BIO *acpt)
{
    BIO_ADDR *to = make(AF_INET, "127.0.0.1",
                        (unsigned short)atoi(BIO_get_accept_port(acpt)));
    int c = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);

    BIO_connect(c, to, 0);
    BIO_ADDR_free(to);
    return c;
}

/* BIO_s_accept on 127.0.0.1: listening, accepting into a pushed socket
 * BIO, I/O through it and through the accept BIO, non-blocking accepts,
 * the accept BIOs' chain, a port in use, the settings. */
static void bio_accept(void)
{
    BIO *a = BIO_new_accept("127.0.0.1:0"), *conn, *b, *m;
    char buf[64];
    int c, c2;
    long r;

    printf("== bio_accept\n");
    printf(" type %X name %s\n", BIO_method_type(a), BIO_method_name(a));
    printf("  name %s port %s\n",
           BIO_get_accept_name(a) ? BIO_get_accept_name(a) : "NULL",
           BIO_get_accept_port(a) ? BIO_get_accept_port(a) : "NULL");
    SAY(BIO_get_fd(a, NULL) < 0);
    SAY(BIO_get_bind_mode(a));
    SAY(BIO_set_bind_mode(a, BIO_BIND_REUSEADDR));
    SAY(BIO_do_accept(a));
    SAY(BIO_get_fd(a, NULL) >= 0);
    printf("  name %s port set %d\n", BIO_get_accept_name(a),
           atoi(BIO_get_accept_port(a)) > 0);
    SAY(BIO_get_accept_ip_family(a));
    SAY(BIO_get_peer_name(a) == NULL);
    c = client_of(a);
    SAY(BIO_do_accept(a));
    printf("  peer %s port set %d\n", BIO_get_peer_name(a),
           atoi(BIO_get_peer_port(a)) > 0);
    conn = BIO_pop(a);
    printf("  popped %X, next %d\n", BIO_method_type(conn),
           BIO_next(a) == NULL);
    SAY(write(c, "hello", 5));
    r = BIO_read(conn, buf, sizeof(buf));
    printf("  read %ld \"%.*s\"\n", r, r > 0 ? (int)r : 0, buf);
    SAY(BIO_puts(conn, "back"));
    SAY(read(c, buf, sizeof(buf)));
    BIO_free(conn);
    SAY(read(c, buf, sizeof(buf)));
    close(c);

    printf(" through the accept BIO\n");
    c2 = client_of(a);
    SAY(write(c2, "via accept", 10));
    r = BIO_read(a, buf, sizeof(buf));
    printf("  read %ld \"%.*s\"\n", r, r > 0 ? (int)r : 0, buf);
    SAY(BIO_write(a, "ok", 2));
    SAY(read(c2, buf, sizeof(buf)));
    SAY(BIO_eof(a));
    close(c2);
    SAY(BIO_read(a, buf, sizeof(buf)));
    SAY(BIO_eof(a));
    BIO_free_all(BIO_pop(a));

    printf(" non-blocking\n");
    b = BIO_new_accept("127.0.0.1:0");
    SAY(BIO_set_nbio_accept(b, 1));
    SAY(BIO_do_accept(b));
    retry_state("accept, none pending", b, (int)BIO_do_accept(b));
    SAY(BIO_get_retry_reason(b));
    c = client_of(b);
    {
        struct pollfd p;

        BIO_get_fd(b, &p.fd);
        p.events = POLLIN;
        poll(&p, 1, 5000);
    }
    SAY(BIO_set_nbio(b, 1));
    SAY(BIO_do_accept(b));
    conn = BIO_pop(b);
    retry_state("read, nothing sent", conn, BIO_read(conn, buf, 1));
    BIO_free(conn);
    close(c);

    printf(" accept BIOs\n");
    m = BIO_new(BIO_s_mem());
    SAY(BIO_set_accept_bios(b, m));
    c = client_of(b);
    {
        struct pollfd p;

        BIO_get_fd(b, &p.fd);
        p.events = POLLIN;
        poll(&p, 1, 5000);
    }
    SAY(BIO_do_accept(b));
    SAY(BIO_method_type(BIO_next(b)));
    SAY(BIO_method_type(BIO_next(BIO_next(b))));
    SAY(BIO_next(BIO_next(BIO_next(b))) == NULL);
    close(c);
    BIO_free_all(b);

    printf(" port in use\n");
    snprintf(buf, sizeof(buf), "127.0.0.1:%s", BIO_get_accept_port(a));
    b = BIO_new_accept(buf);
    SAY(BIO_do_accept(b));
    SAY(BIO_get_fd(b, NULL) < 0);
    BIO_free(b);

    printf(" settings\n");
    b = BIO_new(BIO_s_accept());
    SAY(BIO_get_accept_name(b) == NULL);
    SAY(BIO_get_accept_ip_family(b));
    SAY(BIO_read(b, buf, 1));
    SAY(BIO_set_accept_port(b, "4433"));
    printf("  name %s port %s\n",
           BIO_get_accept_name(b) ? BIO_get_accept_name(b) : "NULL",
           BIO_get_accept_port(b) ? BIO_get_accept_port(b) : "NULL");
    SAY(BIO_set_accept_name(b, "[::1]:80"));
    SAY(BIO_set_accept_name(b, "8080"));
    SAY(BIO_set_accept_name(b, "[::1"));
    SAY(BIO_set_accept_ip_family(b, 99));
    SAY(BIO_do_accept(b));
    SAY(BIO_ctrl(b, BIO_C_SET_ACCEPT, 5, NULL)); /* BIO_set_tfo_accept, 3.2 */
    SAY(BIO_set_nbio_accept(b, 0));
    SAY(BIO_get_bind_mode(b));
    SAY(BIO_ctrl(b, BIO_C_SET_ACCEPT, 9, "x"));
    SAY(BIO_ctrl(b, BIO_C_GET_ACCEPT, 9, NULL));
    SAY(BIO_pending(b));
    SAY(BIO_gets(b, buf, sizeof(buf)));
    SAY(BIO_new_accept("[::1") == NULL);
    BIO_free(b);
    BIO_free(a);
}

/* err.h as C code uses it: raising, peeking, data, marks, printing. */
static void errors_api(void)
{
    char buf[256], big[400];
    const char *file, *data;
    int line, flags, n = 0;
    unsigned long e;

    printf("== err.h\n");
    ERR_clear_error();
    raise_here(ERR_LIB_BIO, BIO_R_CONNECT_ERROR, "calling x()");
    raise_here(ERR_LIB_SYS, ECONNRESET, NULL);
    peek_all("peek", 0);
    peek_all("peek last", 1);
    e = ERR_get_error_line_data(&file, &line, &data, &flags);
    printf("  get_line_data: %08lX flags=%d data=\"%s\"\n", e, flags, data);
    queue();
    printf(" add_error_data with NULL, and long data\n");
    raise_here(ERR_LIB_BIO, BIO_R_ACCEPT_ERROR, "host=");
    ERR_add_error_data(3, "a", (char *)NULL, "b");
    peek_all("appended", 1);
    raise_here(ERR_LIB_BIO, BIO_R_ACCEPT_ERROR, NULL);
    ERR_add_error_data(2, "no data before, ", "then this");
    peek_all("added", 1);
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    ERR_add_error_data(1, big);
    ERR_peek_last_error_data(&data, &flags);
    printf("  long data: %zu bytes, flags=%d\n", strlen(data), flags);
    queue();
    printf(" entries without data in slots that held data\n");
    raise_here(ERR_LIB_BIO, BIO_R_IN_USE, NULL);
    raise_here(ERR_LIB_SYS, EPIPE, NULL);
    queue();
    printf(" marks\n");
    printf("  set_mark on empty = %d\n", ERR_set_mark());
    raise_here(ERR_LIB_BIO, BIO_R_IN_USE, "first");
    printf("  set_mark = %d\n", ERR_set_mark());
    raise_here(ERR_LIB_BIO, BIO_R_BROKEN_PIPE, "second");
    raise_here(ERR_LIB_BIO, BIO_R_NO_SUCH_FILE, "third");
    printf("  pop_to_mark = %d\n", ERR_pop_to_mark());
    printf("  pop_to_mark again = %d\n", ERR_pop_to_mark());
    printf("  set_mark = %d\n", ERR_set_mark());
    raise_here(ERR_LIB_BIO, BIO_R_BROKEN_PIPE, NULL);
    printf("  clear_last_mark = %d\n", ERR_clear_last_mark());
    printf("  clear_last_mark again = %d\n", ERR_clear_last_mark());
    printf("  pop_to_mark without mark = %d\n", ERR_pop_to_mark());
    queue();
    printf(" two marks on one entry\n");
    raise_here(ERR_LIB_BIO, BIO_R_IN_USE, NULL);
    printf("  set_mark = %d, set_mark = %d\n", ERR_set_mark(), ERR_set_mark());
    raise_here(ERR_LIB_BIO, BIO_R_BROKEN_PIPE, NULL);
    printf("  pop_to_mark = %d\n", ERR_pop_to_mark());
    printf("  pop_to_mark = %d\n", ERR_pop_to_mark());
    queue();
    printf(" many marks on one entry\n");
    {
        static const int counts[] = {1, 255, 256, 257, 10000};
        unsigned k;

        for (k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
            int i, set = 0, popped = 0;

            raise_here(ERR_LIB_BIO, BIO_R_IN_USE, "marked");
            for (i = 0; i < counts[k]; i++)
                set += ERR_set_mark();
            raise_here(ERR_LIB_BIO, BIO_R_BROKEN_PIPE, "above");
            for (i = 0; i < counts[k]; i++)
                popped += ERR_pop_to_mark();
            printf("  %d marks: set %d, %d pop_to_mark returned 1, left:\n",
                   counts[k], set, popped);
            peek_all("  after them", 1);
            printf("  one more pop_to_mark = %d\n", ERR_pop_to_mark());
            queue();
        }
    }
    printf(" ERR_error_string\n");
    e = ERR_PACK(ERR_LIB_BIO, 0, BIO_R_CONNECT_ERROR);
    printf("  %s\n", ERR_error_string(e, NULL));
    printf("  %s\n", ERR_error_string(e, buf));
    printf(" ERR_print_errors_cb\n");
    raise_here(ERR_LIB_BIO, BIO_R_CONNECT_ERROR, "with data");
    raise_here(ERR_LIB_SYS, ECONNREFUSED, NULL);
    raise_here(ERR_LIB_BIO, BIO_R_ACCEPT_ERROR, NULL);
    ERR_print_errors_cb(print_cb, &n);
    printf("  left after the callback stopped: %08lX\n", ERR_peek_error());
    ERR_clear_error();
    printf(" codes\n");
    {
        static const unsigned long codes[] = {
            ERR_PACK(ERR_LIB_SSL, 0, ERR_R_MALLOC_FAILURE),
            ERR_PACK(ERR_LIB_SSL, 0, 0),
            ERR_PACK(ERR_LIB_EVP, 0, ERR_R_PASSED_NULL_PARAMETER),
            ERR_PACK(ERR_LIB_BIO, 0, ERR_R_SYS_LIB),
            ERR_PACK(ERR_LIB_BIO, 0, ERR_R_UNSUPPORTED),
            ERR_PACK(ERR_LIB_USER, 0, 5),
            ERR_PACK(ERR_LIB_SYS, 0, 0),
            ERR_SYSTEM_FLAG | 9999,
            ERR_PACK(ERR_LIB_X509, 0, ERR_R_INTERNAL_ERROR),
            0x0A000000UL};
        unsigned k;

        for (k = 0; k < sizeof(codes) / sizeof(codes[0]); k++) {
            const char *r = ERR_reason_error_string(codes[k]);

            ERR_error_string_n(codes[k], buf, sizeof(buf));
            printf("  %08lX \"%s\" reason=%s rflags=%X fatal=%d\n", codes[k],
                   buf, r ? r : "NULL", (unsigned)ERR_GET_RFLAGS(codes[k]),
                   ERR_FATAL_ERROR(codes[k]));
        }
    }
    printf(" library names\n");
    {
        int lib;

        for (lib = 0; lib <= 130; lib++) {
            const char *ls = ERR_lib_error_string(ERR_PACK(lib, 0, 0));

            if (ls != NULL)
                printf("  lib %d: %s\n", lib, ls);
        }
    }
}

/* err.h's tables of the caller's own texts (ERR_load_strings), its own
 * library number, and data handed to the queue (ERR_set_error_data). */
static void error_strings(void)
{
    static ERR_STRING_DATA reasons[] = {
        {1, "first reason"}, {2, "second reason"}, {0, NULL}};
    static ERR_STRING_DATA name[2];
    int lib = ERR_get_next_error_library(),
        lib2 = ERR_get_next_error_library(), ok;
    const char *t;
    char buf[256];
    char *owned;

    printf("== err.h strings\n");
    printf("  next library: +%d\n", lib2 - lib);
    name[0].error = ERR_PACK(lib, 0, 0);
    name[0].string = "my library";
    printf("  load const: %d\n", ERR_load_strings_const(name));
    ok = ERR_load_strings(lib, reasons);
    printf("  load: %d, codes now %s\n", ok,
           reasons[0].error == ERR_PACK(lib, 0, 1)
                   && reasons[1].error == ERR_PACK(lib, 0, 2)
               ? "packed with the library"
               : "as given");
    t = ERR_lib_error_string(ERR_PACK(lib, 0, 2));
    printf("  lib string: %s\n", t != NULL ? t : "NULL");
    t = ERR_reason_error_string(ERR_PACK(lib, 0, 2));
    printf("  reason string: %s\n", t != NULL ? t : "NULL");
    t = ERR_reason_error_string(ERR_PACK(lib, 0, 3));
    printf("  unknown reason: %s\n", t != NULL ? t : "NULL");
    ERR_error_string_n(ERR_PACK(lib, 0, 1), buf, sizeof(buf));
    printf("  text: %s\n", strncmp(buf, "error:", 6) == 0 ? buf + 15 : buf);
    ERR_clear_error();
    raise_here(lib, 2, "loaded");
    peek_all("raised", 1);
    printf("  unload: %d\n", ERR_unload_strings(lib, reasons));
    t = ERR_reason_error_string(ERR_PACK(lib, 0, 2));
    printf("  reason after unload: %s\n", t != NULL ? t : "NULL");
    ERR_error_string_n(ERR_PACK(lib, 0, 2), buf, sizeof(buf));
    printf("  text after unload: %s\n",
           strncmp(buf, "error:", 6) == 0 ? buf + 15 : buf);
    /* A loaded text for a BIO reason comes before the built-in one. */
    {
        static ERR_STRING_DATA bio_text[] = {
            {BIO_R_CONNECT_ERROR, "our connect error"}, {0, NULL}};

        ERR_load_strings(ERR_LIB_BIO, bio_text);
        t = ERR_reason_error_string(
            ERR_PACK(ERR_LIB_BIO, 0, BIO_R_CONNECT_ERROR));
        printf("  BIO reason loaded: %s\n", t != NULL ? t : "NULL");
        ERR_unload_strings(ERR_LIB_BIO, bio_text);
    }
    printf(" add_error_txt\n");
    ERR_clear_error();
    ERR_add_error_txt(NULL, "into an empty queue");
    peek_all("empty queue", 1);
    queue();
    raise_here(ERR_LIB_BIO, BIO_R_ACCEPT_ERROR, "first");
    ERR_add_error_txt(", ", "a, b");
    peek_all("with separator", 1);
    raise_here(ERR_LIB_BIO, BIO_R_IN_USE, NULL);
    ERR_add_error_txt("; ", "one; two; ");
    peek_all("trailing separator", 1);
    ERR_add_error_txt("", "more");
    peek_all("no separator", 1);
    queue();
    printf(" set_error_data\n");
    ERR_clear_error();
    raise_here(ERR_LIB_BIO, BIO_R_ACCEPT_ERROR, NULL);
    owned = OPENSSL_malloc(16);
    strcpy(owned, "owned");
    ERR_set_error_data(owned, ERR_TXT_MALLOCED | ERR_TXT_STRING);
    peek_all("malloced", 1);
    ERR_set_error_data((char *)"static", ERR_TXT_STRING);
    peek_all("static", 1);
    ERR_set_error_data((char *)"not text", 0);
    {
        const char *data = NULL;
        int flags = -1;

        ERR_peek_last_error_data(&data, &flags);
        printf("  not text: flags=%d\n", flags);
    }
    ERR_add_error_data(1, "added");
    peek_all("then added", 1);
    queue();
}

static void error_states_3_5(void);

/* OSSL_ERR_STATE (3.2): entries saved out of the queue and restored. */
static void error_states(void)
{
    /* A fresh queue after it, in every build: the section changes what the
     * slots hold, which later sections show (flags). */
    if (since_3_5("OSSL_ERR_STATE"))
        error_states_3_5();
    OPENSSL_thread_stop();
}

static void error_states_3_5(void)
{
#if SINCE_3_5
    {
        ERR_STATE *es = OSSL_ERR_STATE_new(), *to_mark = OSSL_ERR_STATE_new();

        ERR_clear_error();
        raise_here(ERR_LIB_BIO, BIO_R_CONNECT_ERROR, "formatted");
        raise_here(ERR_LIB_SYS, ECONNREFUSED, NULL);
        OSSL_ERR_STATE_save(es);
        peek_all("after save", 1);
        raise_here(ERR_LIB_BIO, BIO_R_ACCEPT_ERROR, NULL);
        OSSL_ERR_STATE_restore(es);
        printf("  restored after a new one, count to mark %d\n",
               ERR_count_to_mark());
        queue();
        printf("  restored again\n");
        OSSL_ERR_STATE_restore(es);
        queue();
        raise_here(ERR_LIB_BIO, BIO_R_LISTEN_V6_ONLY, "kept");
        ERR_set_mark();
        raise_here(ERR_LIB_BIO, BIO_R_BROKEN_PIPE, "above");
        raise_here(ERR_LIB_BIO, BIO_R_IN_USE, NULL);
        OSSL_ERR_STATE_save_to_mark(to_mark);
        peek_all("after save_to_mark", 1);
        printf("  pop to mark: %d\n", ERR_pop_to_mark());
        peek_all("then", 1);
        OSSL_ERR_STATE_restore(to_mark);
        queue();
        OSSL_ERR_STATE_save_to_mark(to_mark); /* empty queue */
        OSSL_ERR_STATE_restore(to_mark);
        peek_all("nothing to restore", 1);
        OSSL_ERR_STATE_free(es);
        OSSL_ERR_STATE_free(to_mark);
        OSSL_ERR_STATE_free(NULL);
    }
#endif
}

/* What OpenSSL 3.5 added: the reasons and their text, the family names,
 * BIO_err_is_non_fatal, ERR_count_to_mark and ERR_pop. */
static void names(void)
{
    if (!since_3_5("names"))
        return;
#if SINCE_3_5
    {
        char buf[256];
        unsigned k;
        static const int reasons[] = {BIO_R_TFO_DISABLED,
                                      BIO_R_TFO_NO_KERNEL_SUPPORT,
                                      BIO_R_UNABLE_TO_TFO,
                                      BIO_R_LOCAL_ADDR_NOT_AVAILABLE,
                                      BIO_R_NON_FATAL,
                                      BIO_R_PORT_MISMATCH,
                                      BIO_R_PEER_ADDR_NOT_AVAILABLE};
        static const unsigned long codes[] = {
            ERR_PACK(ERR_LIB_BIO, 0, BIO_R_NON_FATAL),
            ERR_PACK(ERR_LIB_BIO, 0, BIO_R_CONNECT_ERROR),
            ERR_SYSTEM_FLAG | EAGAIN,
            ERR_SYSTEM_FLAG | EINTR,
            ERR_SYSTEM_FLAG | ECONNREFUSED,
            ERR_PACK(ERR_LIB_SSL, 0, BIO_R_NON_FATAL)};

        for (k = 0; k < sizeof(reasons) / sizeof(reasons[0]); k++) {
            ERR_error_string_n(ERR_PACK(ERR_LIB_BIO, 0, reasons[k]), buf,
                               sizeof(buf));
            printf("  %d \"%s\"\n", reasons[k], buf);
        }
        printf("  families %d %d %d, TFO 0x%x, NOCLOSE %d CLOSE %d\n",
               BIO_FAMILY_IPV4, BIO_FAMILY_IPV6, BIO_FAMILY_IPANY,
               BIO_SOCK_TFO, BIO_NOCLOSE, BIO_CLOSE);
        for (k = 0; k < sizeof(codes) / sizeof(codes[0]); k++)
            printf("  BIO_err_is_non_fatal(%08lX) = %d\n", codes[k],
                   BIO_err_is_non_fatal((unsigned int)codes[k]));
        raise_here(ERR_LIB_BIO, BIO_R_IN_USE, NULL);
        ERR_set_mark();
        raise_here(ERR_LIB_BIO, BIO_R_IN_USE, NULL);
        raise_here(ERR_LIB_BIO, BIO_R_IN_USE, NULL);
        printf("  count_to_mark = %d\n", ERR_count_to_mark());
        printf("  pop = %d, count_to_mark = %d\n", ERR_pop(),
               ERR_count_to_mark());
        ERR_clear_error();
        printf("  pop on empty = %d, count_to_mark = %d\n", ERR_pop(),
               ERR_count_to_mark());
    }
#endif
}

#if SINCE_3_5
/* Both ends of a TFO connection: what BIO_listen and BIO_connect set, and
 * data through it. */
static void tfo_family(const char *fam)
{
    int family = family_of(fam);
    BIO_ADDR *where = make(family, loopback(family), 0), *to;
    int l, c, a, ok;
    char got[8] = "";

    printf(" %s\n", fam);
    unlink("s.sock");
    CALL_FD(l, BIO_socket(family, SOCK_STREAM, 0, 0));
    CALL_ST(BIO_listen(l, where, BIO_SOCK_REUSEADDR | BIO_SOCK_TFO));
    if (family != AF_UNIX) {
        printf("  listener TCP_FASTOPEN=%d\n",
               getint(l, IPPROTO_TCP, TCP_FASTOPEN) > 0);
        to = bound(l);
        CALL_FD(c, BIO_socket(family, SOCK_STREAM, 0, 0));
        errno = 0;
        ok = BIO_connect(c, to, BIO_SOCK_TFO | BIO_SOCK_NODELAY);
        outcome("BIO_connect(c, to, TFO | NODELAY)", ok, !ok);
        printf("  client TCP_FASTOPEN_CONNECT=%d nodelay=%d\n",
               getint(c, IPPROTO_TCP, TCP_FASTOPEN_CONNECT),
               getint(c, IPPROTO_TCP, TCP_NODELAY));
        printf("  send %zd\n", send(c, "tfo!", 4, MSG_NOSIGNAL));
        CALL_FD(a, BIO_accept_ex(l, NULL, 0));
        printf("  recv %zd \"%s\"\n", recv(a, got, 4, MSG_WAITALL), got);
        BIO_closesocket(a);
        BIO_closesocket(c);
        BIO_ADDR_free(to);
    }
    BIO_closesocket(l);
    BIO_ADDR_free(where);
    unlink("s.sock");
}
#endif

static void tfo(void)
{
    if (!since_3_5("TCP Fast Open"))
        return;
#if SINCE_3_5
    tfo_family("v4");
    tfo_family("v6");
    tfo_family("unix");
#endif
}

/* Item by item: EINTR in a blocking accept, BIO_ADDR_rawmake's errno and
 * Unix lengths, BIO_get_accept_socket. */
static void details(void)
{
    BIO_ADDR *where = make(AF_INET, "127.0.0.1", 0), *a = BIO_ADDR_new();
    int l, fd, r;
    char path[8] = "/tmp/x";
    size_t len = 0;

    printf("== details\n");
    l = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    BIO_listen(l, where, 0);
    INTERRUPTED(BIO_accept_ex(l, NULL, 0), fd);
    printf("  blocking accept, signal: %d errno=%s should_retry=%d\n", fd,
           ename(errno), BIO_sock_should_retry(fd));
    queue();
    BIO_closesocket(l);

    errno = 12345;
    r = BIO_ADDR_rawmake(a, AF_INET, path, 3, 0);
    printf("  rawmake(AF_INET, len 3) = %d errno=%d\n", r, errno);
    errno = 12345;
    r = BIO_ADDR_rawmake(a, 12345, path, 4, 0);
    printf("  rawmake(12345) = %d errno=%d\n", r, errno);
    errno = 12345;
    r = BIO_ADDR_rawmake(a, AF_UNIX, path, 200, 0);
    printf("  rawmake(AF_UNIX, len 200) = %d errno=%d\n", r, errno);
    queue();
    r = BIO_ADDR_rawmake(a, AF_UNIX, path, 100, 0);
    BIO_ADDR_rawaddress(a, NULL, &len);
    printf("  rawmake(AF_UNIX, \"/tmp/x\", len 100) = %d len=%zu\n", r, len);
    print_str("path", BIO_ADDR_path_string(a));

    CALL_FD(fd, BIO_get_accept_socket("127.0.0.1:0", 1));
    if (fd >= 0) {
        state("accept socket", fd);
        BIO_closesocket(fd);
    }
    /* A port above 65535 wraps (here to 0: an ephemeral port). */
    CALL_FD(fd, BIO_get_accept_socket("127.0.0.1:65536", 0));
    if (fd >= 0) {
        state("accept socket, port 65536", fd);
        BIO_closesocket(fd);
    }
    CALL_FD(fd, BIO_get_accept_socket("[::1", 0));
    BIO_ADDR_free(a);
    BIO_ADDR_free(where);

    /* A forked child's queue starts as its parent's (the thread's state is
     * copied); what the child takes out stays in the parent. */
    raise_here(ERR_LIB_BIO, BIO_R_IN_USE, "raised before fork");
    fflush(stdout);
    if (fork() == 0) {
        printf("  forked child's queue:\n");
        queue();
        fflush(stdout);
        OPENSSL_thread_stop();
        exit(0); /* the library's exit-time cleanup runs, as in the parent */
    }
    wait(NULL);
    printf("  parent's queue after the fork:\n");
    queue();
}

int main(void)
{
    char dir[] = "/tmp/biosock-scenario-XXXXXX";

#ifdef ORACLE
    OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL);
#endif
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (mkdtemp(dir) == NULL || chdir(dir) != 0)
        return 2;
    socket_errors();
    lifecycle("v4");
    lifecycle("v6");
    lifecycle("unix");
    nonblocking_refused("v4");
    nonblocking_refused("v6");
    listen_options("v4");
    listen_options("v6");
    listen_options("unix");
    dual_stack();
    bad_fds();
    bind_errors();
    addrs();
    hostserv();
    lookups();
    helpers();
    legacy();
    queue_bounds();
    errors_api();
    bio_mem();
    bio_socket();
    bio_connect();
    bio_accept();
    bio_dgram();
    error_strings();
    error_states();
    details();
    names();
    tfo();
    unlink("s.sock");
    if (chdir("/") != 0 || rmdir(dir) != 0)
        return 2;
    OPENSSL_thread_stop();
    printf("== end\n");
    fprintf(stderr, "scenario: " IMPL " done\n");
    return 0;
}
