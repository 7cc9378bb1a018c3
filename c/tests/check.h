/*
 * check.h - the C tests' tiny harness: CHECK counts, the error-queue
 * expectations, and the loopback helpers every test file uses.
 */
#ifndef BIOSOCK_CHECK_H
#define BIOSOCK_CHECK_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BIOSOCK_SUPPRESS_DEPRECATED
#include "biosock.h"
#include "util.h"

/* Atomic: CHECK runs on the test threads too. */
static _Atomic int checks_passed, checks_failed;

/* sun_path's size (108 on Linux, 104 on the BSDs and macOS): the longest
 * Unix path is one byte less, for its NUL. */
#define SUN_PATH_SIZE (sizeof(((struct sockaddr_un *)0)->sun_path))

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (cond) {                                                           \
            checks_passed++;                                                  \
        } else {                                                              \
            checks_failed++;                                                  \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,  \
                    #cond);                                                   \
        }                                                                     \
    } while (0)

/* The queue holds exactly these (lib, reason) pairs, oldest first; it is
 * drained either way.  Returns whether it matched. */
static inline int queue_is_(const char *where, int n, ...)
{
    va_list ap;
    int i, ok = 1;
    unsigned long e;

    va_start(ap, n);
    for (i = 0; i < n; i++) {
        int lib = va_arg(ap, int), reason = va_arg(ap, int);

        e = ERR_get_error();
        if (e == 0 || ERR_GET_LIB(e) != lib || ERR_GET_REASON(e) != reason) {
            fprintf(stderr, "%s: entry %d is %d:%d, expected %d:%d\n", where,
                    i, e ? ERR_GET_LIB(e) : 0, e ? ERR_GET_REASON(e) : 0, lib,
                    reason);
            ok = 0;
        }
    }
    va_end(ap);
    while ((e = ERR_get_error()) != 0) {
        fprintf(stderr, "%s: extra entry %d:%d\n", where, ERR_GET_LIB(e),
                ERR_GET_REASON(e));
        ok = 0;
    }
    return ok;
}

#define STR_(x) #x
#define STR(x) STR_(x)
#define QUEUE_IS(...) queue_is_(__FILE__ ":" STR(__LINE__), __VA_ARGS__)
#define QUEUE_EMPTY() QUEUE_IS(0)
#define NULL_PARAM 1, ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER
#define BAD_PARAM 1, ERR_LIB_BIO, ERR_R_PASSED_INVALID_ARGUMENT
#define SYS_BIO(err, reason) 2, ERR_LIB_SYS, (err), ERR_LIB_BIO, (reason)
#define SYS_BIO_REVERSED(err, reason)                                         \
    2, ERR_LIB_BIO, (reason), ERR_LIB_SYS, (err)

static inline BIO_ADDR *addr_of(int family, const char *text,
                                unsigned short port)
{
    BIO_ADDR *a = BIO_ADDR_new();
    unsigned char raw[16];

    if (family == AF_UNIX) {
        CHECK(BIO_ADDR_rawmake(a, AF_UNIX, text, strlen(text), 0) == 1);
    } else {
        CHECK(inet_pton(family, text, raw) == 1);
        CHECK(BIO_ADDR_rawmake(a, family, raw, family == AF_INET ? 4 : 16,
                               htons(port))
              == 1);
    }
    return a;
}

/* A fresh Unix socket path in a per-process directory. */
static inline const char *unix_path(const char *name)
{
    static char dir[64], path[128];

    if (dir[0] == '\0') {
        snprintf(dir, sizeof(dir), "/tmp/biosock-test-%d", (int)getpid());
        mkdir(dir, 0700);
    }
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    unlink(path);
    return path;
}

/* A listening socket on the loopback of family; *to gets its address. */
static inline int listener(int family, int options, BIO_ADDR **to)
{
    BIO_ADDR *where = addr_of(family,
                              family == AF_INET    ? "127.0.0.1"
                              : family == AF_INET6 ? "::1"
                                                   : unix_path("l"),
                              0);
    union BIO_sock_info_u info;
    int l = BIO_socket(family, SOCK_STREAM, 0, 0);

    CHECK(l >= 0);
    CHECK(BIO_listen(l, where, options) == 1);
    info.addr = BIO_ADDR_new();
    CHECK(BIO_sock_info(l, BIO_SOCK_INFO_ADDRESS, &info) == 1);
    *to = info.addr;
    BIO_ADDR_free(where);
    return l;
}

static inline int getint(int fd, int level, int name)
{
    int v = -1;
    socklen_t l = sizeof(v);

    return getsockopt(fd, level, name, &v, &l) == 0 ? v : -errno;
}

static inline int is_cloexec(int fd)
{
    return (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
}

static inline int is_nonblock(int fd)
{
    return (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0;
}

static const int families[] = {AF_INET, AF_INET6, AF_UNIX};
#define FOR_EACH_FAMILY(f)                                                    \
    for (unsigned fi_ = 0; fi_ < 3 && ((f) = families[fi_], 1); fi_++)

static inline int finish(const char *name)
{
    OPENSSL_thread_stop(); /* the main thread's queue: nothing left at exit */
    printf("%s: %d passed, %d failed\n", name, checks_passed, checks_failed);
    return checks_failed != 0;
}

#endif
