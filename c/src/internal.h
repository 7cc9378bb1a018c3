/*
 * internal.h - what the files of c/src share; nothing here is exported.
 *
 * Inside the library, syscall helpers return 0 or -errno (and leave errno
 * set); the public functions translate that into OpenSSL's contract.
 */
#ifndef BIOSOCK_INTERNAL_H
#define BIOSOCK_INTERNAL_H

#include "biosock.h"

/* Push one entry: lib/reason as OpenSSL packs them, data a static string or
 * NULL.  errno is preserved. */
void bsock__err_put(int lib, int reason, const char *data, const char *func,
                    const char *file, int line);

/* The function recorded is the public function raising it (its link name's
 * prefix is dropped); helpers raise "in" the public function they serve,
 * naming it as the _IN forms' first argument. */
#define BSOCK_RAISE_IN(func, lib, reason, data)                               \
    bsock__err_put((lib), (reason), (data), (func), __FILE__, __LINE__)
#define BSOCK_RAISE(lib, reason, data)                                        \
    BSOCK_RAISE_IN(__func__, lib, reason, data)

/* A failed syscall: the system error (errno) with "calling <what>()". */
#define BSOCK_RAISE_SYS_IN(func, err, what)                                   \
    BSOCK_RAISE_IN(func, ERR_LIB_SYS, (err), "calling " what "()")
#define BSOCK_RAISE_SYS(err, what) BSOCK_RAISE_SYS_IN(__func__, err, what)

/* A failed syscall followed by the BIO reason, as OpenSSL pushes them. */
#define BSOCK_RAISE_SYS_BIO_IN(func, err, what, bio_reason)                   \
    do {                                                                      \
        BSOCK_RAISE_SYS_IN(func, (err), what);                                \
        BSOCK_RAISE_IN(func, ERR_LIB_BIO, (bio_reason), NULL);                \
    } while (0)
#define BSOCK_RAISE_SYS_BIO(err, what, bio_reason)                            \
    BSOCK_RAISE_SYS_BIO_IN(__func__, err, what, bio_reason)

/* Refuse a bad argument: push the reason, set errno to EINVAL. */
void bsock__err_arg(int reason, const char *func, const char *file, int line);
#define BSOCK_NULL_ARG_IN(func)                                               \
    bsock__err_arg(ERR_R_PASSED_NULL_PARAMETER, (func), __FILE__, __LINE__)
#define BSOCK_NULL_ARG() BSOCK_NULL_ARG_IN(__func__)
#define BSOCK_BAD_ARG_IN(func)                                                \
    bsock__err_arg(ERR_R_PASSED_INVALID_ARGUMENT, (func), __FILE__, __LINE__)

/* How many entries the queue holds now, and dropping the newest down to
 * such a count (entries pushed since, and not already dropped by the ring's
 * bound, go). */
int bsock__err_depth(void);
void bsock__err_pop_to_depth(int depth);

/* Close fd keeping errno as it was (close is never retried). */
void bsock__close_keep_errno(int fd);

/* How many bytes of a BIO_ADDR a syscall may write: the sockaddrs, not
 * biosock's bookkeeping after them. */
#define BSOCK_ADDR_CAP offsetof(BIO_ADDR, biosock_.unix_len)

/* The length of the struct sockaddr inside ap, for the kernel. */
socklen_t bsock__addr_len(const BIO_ADDR *ap);

/* Fill ap from a sockaddr of len bytes that the kernel wrote into it. */
void bsock__addr_from_kernel(BIO_ADDR *ap, socklen_t len);

/* strdup/strndup with ERR_R_MALLOC_FAILURE pushed on failure. */
char *bsock__strndup(const char *s, size_t n);

#endif
