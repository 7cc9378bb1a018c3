/*
 * faults.c - every syscall of every socket call, failed in turn with every
 * errno of the list, through fault_shim.so (LD_PRELOAD).  Built twice, like
 * scenario.c: against biosock and against OpenSSL's libcrypto (-DORACLE).
 * Each case prints one line keyed by operation, syscall site (its name and
 * which call of that name) and errno:
 *
 *   connect setsockopt#2 EPERM -> ret=0 errno=EPERM fds=+0 \
 *       queue=2:1:BIO_connect,32:138:BIO_connect
 *
 * ret is the call's result ("fd" for a descriptor), errno is printed when
 * the call failed, fds is the change in open descriptors once the case has
 * closed what it knows of (anything else is a leak), and queue lists the
 * entries (lib:reason:function).  c/tests/faults.awk joins the two
 * transcripts by key.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifdef ORACLE
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#else
#define BIOSOCK_SUPPRESS_DEPRECATED
#include "biosock.h"
#endif
#include "util.h"

static void (*arm)(int k, int err);
static int (*disarm)(void);
static const char *(*call_name)(int i);

static const int errnos[] = {EINTR, EAGAIN, ENOMEM, ENOBUFS, EACCES,
                             EPERM, EMFILE, EBADF,  EINVAL,  ECONNRESET};

static BIO_ADDR *loopback(int family)
{
    BIO_ADDR *a = BIO_ADDR_new();
    struct in_addr v4 = {htonl(INADDR_LOOPBACK)};

    if (family == AF_INET)
        BIO_ADDR_rawmake(a, AF_INET, &v4, sizeof(v4), 0);
    else
        BIO_ADDR_rawmake(a, AF_INET6, &in6addr_loopback,
                         sizeof(in6addr_loopback), 0);
    return a;
}

/* What a case sets up before the armed call, and cleans up after. */
struct fix {
    int s, l, c;
    BIO_ADDR *to, *peer;
    char *str;
};

static void listener(struct fix *f)
{
    union BIO_sock_info_u info;
    BIO_ADDR *where = loopback(AF_INET);

    f->l = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    BIO_listen(f->l, where, BIO_SOCK_REUSEADDR);
    info.addr = f->to = BIO_ADDR_new();
    BIO_sock_info(f->l, BIO_SOCK_INFO_ADDRESS, &info);
    BIO_ADDR_free(where);
}

static void setup(const char *op, struct fix *f)
{
    memset(f, 0, sizeof(*f));
    f->s = f->l = f->c = -1;
    f->peer = BIO_ADDR_new();
    if (strncmp(op, "connect", 7) == 0 || strncmp(op, "accept", 6) == 0)
        listener(f);
    if (strncmp(op, "accept", 6) == 0) {
        f->c = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
        BIO_connect(f->c, f->to, 0);
    }
    if (strcmp(op, "socket") != 0 && strncmp(op, "accept", 6) != 0
        && strcmp(op, "get_accept_socket") != 0)
        f->s = BIO_socket(strcmp(op, "listen6") == 0 ? AF_INET6 : AF_INET,
                          SOCK_STREAM, 0, 0);
    if (strcmp(op, "sock_info") == 0) {
        BIO_ADDR *where = loopback(AF_INET);

        BIO_bind(f->s, where, 0);
        BIO_ADDR_free(where);
    }
    ERR_clear_error();
}

/* The armed call; its result (an fd it made is kept in f->s to close). */
static long run(const char *op, struct fix *f)
{
    union BIO_sock_info_u info;
    BIO_ADDR *a;
    long r = -2;

    if (strcmp(op, "socket") == 0)
        r = f->s = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    else if (strcmp(op, "bind") == 0) {
        a = loopback(AF_INET);
        r = BIO_bind(f->s, a, BIO_SOCK_REUSEADDR);
        BIO_ADDR_free(a);
    } else if (strcmp(op, "connect") == 0)
        r = BIO_connect(f->s, f->to, BIO_SOCK_KEEPALIVE | BIO_SOCK_NODELAY);
    else if (strcmp(op, "connect_nbio") == 0)
        r = BIO_connect(f->s, f->to, BIO_SOCK_NONBLOCK);
    else if (strcmp(op, "listen4") == 0 || strcmp(op, "listen6") == 0) {
        a = loopback(strcmp(op, "listen6") == 0 ? AF_INET6 : AF_INET);
        r = BIO_listen(f->s, a,
                       BIO_SOCK_REUSEADDR | BIO_SOCK_KEEPALIVE
                           | BIO_SOCK_NODELAY | BIO_SOCK_V6_ONLY);
        BIO_ADDR_free(a);
    } else if (strcmp(op, "accept") == 0)
        r = f->s = BIO_accept_ex(f->l, f->peer, 0);
    else if (strcmp(op, "accept_nbio") == 0)
        r = f->s = BIO_accept_ex(f->l, NULL, BIO_SOCK_NONBLOCK);
    else if (strcmp(op, "accept_legacy") == 0)
        r = f->s = BIO_accept(f->l, &f->str);
    else if (strcmp(op, "sock_info") == 0) {
        info.addr = f->peer;
        r = BIO_sock_info(f->s, BIO_SOCK_INFO_ADDRESS, &info);
    } else if (strcmp(op, "nbio") == 0)
        r = BIO_socket_nbio(f->s, 1);
    else if (strcmp(op, "sock_error") == 0)
        r = BIO_sock_error(f->s);
    else if (strcmp(op, "socket_wait") == 0)
        r = BIO_socket_wait(f->s, 0, time(NULL) + 5);
    else if (strcmp(op, "closesocket") == 0) {
        r = BIO_closesocket(f->s);
        f->s = -1;
    } else if (strcmp(op, "get_accept_socket") == 0)
        r = f->s = BIO_get_accept_socket("127.0.0.1:0", 1);
    return r;
}

static void teardown(struct fix *f)
{
    int a;

    if (f->s >= 0)
        BIO_closesocket(f->s);
    if (f->c >= 0)
        BIO_closesocket(f->c);
    if (f->l >= 0) {
        BIO_socket_nbio(f->l, 1);
        while ((a = BIO_accept_ex(f->l, NULL, 0)) >= 0)
            BIO_closesocket(a);
        BIO_closesocket(f->l);
    }
    BIO_ADDR_free(f->to);
    BIO_ADDR_free(f->peer);
    OPENSSL_free(f->str);
    ERR_clear_error();
}

/* accept4 is biosock's accept, poll its select (BIO_socket_wait): one site
 * name for each pair. */
static const char *site_name(const char *name)
{
    if (strcmp(name, "accept4") == 0)
        return "accept";
    return strcmp(name, "select") == 0 ? "poll" : name;
}

static void one_case(const char *op, const char *site, int k, int err)
{
    struct fix f;
    unsigned long e;
    const char *func;
    int before = open_fds(), saved;
    long r;

    setup(op, &f);
    arm(k, err);
    errno = 0;
    r = run(op, &f);
    saved = errno;
    disarm();
    printf("%s %s %s -> ret=", op, site, strerrorname_np(err));
    if (r >= 3 && strcmp(op, "sock_error") != 0)
        printf("fd");
    else
        printf("%ld", r);
    printf(" errno=%s", saved ? strerrorname_np(saved) : "0");
    printf(" queue=");
    while ((e = ERR_get_error_all(NULL, NULL, &func, NULL, NULL)) != 0)
        printf("%d:%d:%s,", ERR_GET_LIB(e), ERR_GET_REASON(e), func);
    teardown(&f);
    printf(" fds=%+d\n", open_fds() - before);
}

int main(void)
{
    static const char *ops[] = {
        "socket",       "bind",        "connect",
        "connect_nbio", "listen4",     "listen6",
        "accept",       "accept_nbio", "accept_legacy",
        "sock_info",    "nbio",        "sock_error",
        "socket_wait",  "closesocket", "get_accept_socket"};
    unsigned o, e;
    int cases = 0;

    /* POSIX's way to take a function from dlsym. */
    *(void **)&arm = dlsym(RTLD_DEFAULT, "fault_arm");
    *(void **)&disarm = dlsym(RTLD_DEFAULT, "fault_disarm");
    *(void **)&call_name = dlsym(RTLD_DEFAULT, "fault_name");
    if (arm == NULL || disarm == NULL || call_name == NULL) {
        fprintf(stderr, "faults: run with LD_PRELOAD=fault_shim.so\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
        struct fix f;
        char names[64][16], site[48];
        int n, i, j, seen;

        /* A dry run names the syscalls the call makes. */
        setup(ops[o], &f);
        arm(0, 0);
        run(ops[o], &f);
        n = disarm();
        for (i = 0; i < n && i < 64; i++)
            snprintf(names[i], sizeof(names[i]), "%s",
                     site_name(call_name(i)));
        teardown(&f);
        printf("%s calls:", ops[o]);
        for (i = 0; i < n && i < 64; i++)
            printf(" %s", names[i]);
        printf("\n");
        for (i = 0; i < n && i < 64; i++) {
            for (seen = 0, j = 0; j <= i; j++)
                seen += strcmp(names[j], names[i]) == 0;
            snprintf(site, sizeof(site), "%.15s#%d", names[i], seen);
            for (e = 0; e < sizeof(errnos) / sizeof(errnos[0]); e++) {
                one_case(ops[o], site, i + 1, errnos[e]);
                cases++;
            }
        }
    }
    fprintf(stderr, "faults: %d cases\n", cases);
    return 0;
}
