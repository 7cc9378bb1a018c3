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

#define BSOCK_RAISE(lib, reason, data)                                        \
    bsock__err_put((lib), (reason), (data), __func__, __FILE__, __LINE__)

/* A failed syscall: the system error (errno) with "calling <what>()". */
#define BSOCK_RAISE_SYS(err, what)                                            \
    BSOCK_RAISE(ERR_LIB_SYS, (err), "calling " what "()")

/* A failed syscall followed by the BIO reason, as OpenSSL pushes them. */
#define BSOCK_RAISE_SYS_BIO(err, what, bio_reason)                            \
    do {                                                                      \
        BSOCK_RAISE_SYS((err), what);                                         \
        BSOCK_RAISE(ERR_LIB_BIO, (bio_reason), NULL);                         \
    } while (0)

/* Refuse a bad argument: push the reason, set errno to EINVAL. */
void bsock__err_arg(int reason, const char *func, const char *file, int line);
#define BSOCK_NULL_ARG()                                                      \
    bsock__err_arg(ERR_R_PASSED_NULL_PARAMETER, __func__, __FILE__, __LINE__)
#define BSOCK_BAD_ARG()                                                       \
    bsock__err_arg(ERR_R_PASSED_INVALID_ARGUMENT, __func__, __FILE__, __LINE__)

/* Close fd keeping errno as it was (close is never retried). */
void bsock__close_keep_errno(int fd);

/* The length of the struct sockaddr inside ap, for the kernel. */
socklen_t bsock__addr_len(const BIO_ADDR *ap);

/* Fill ap from a sockaddr of len bytes that the kernel wrote into it. */
void bsock__addr_from_kernel(BIO_ADDR *ap, socklen_t len);

/* strdup/strndup with ERR_R_MALLOC_FAILURE pushed on failure. */
char *bsock__strndup(const char *s, size_t n);

#endif
