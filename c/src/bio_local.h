/*
 * bio_local.h - the BIO object and its method table, which OpenSSL keeps
 * opaque (bio_local.h there too): shared by bio.c and the methods.
 */
#ifndef BIOSOCK_BIO_LOCAL_H
#define BIOSOCK_BIO_LOCAL_H

#include "biosock.h"

/* 4.0's internal flag: the last read returned 0, which is the end. */
#define BSOCK_BIO_FLAGS_AUTO_EOF 0x80

struct bio_method_st {
    int type;
    const char *name;
    /* OpenSSL's "old" forms: the count, or 0 / OpenSSL's failure value */
    int (*bwrite)(BIO *b, const char *data, int len);
    int (*bread)(BIO *b, char *data, int len);
    int (*bputs)(BIO *b, const char *str);
    int (*bgets)(BIO *b, char *buf, int size);
    long (*ctrl)(BIO *b, int cmd, long num, void *ptr);
    int (*create)(BIO *b);
    int (*destroy)(BIO *b);
    long (*callback_ctrl)(BIO *b, int cmd, BIO_info_cb *fp);
    /* 3.2's datagram batches (NULL: BIO_R_UNSUPPORTED_METHOD) */
    int (*bsendmmsg)(BIO *b, BIO_MSG *msg, size_t stride, size_t num_msg,
                     uint64_t flags, size_t *msgs_processed);
    int (*brecvmmsg)(BIO *b, BIO_MSG *msg, size_t stride, size_t num_msg,
                     uint64_t flags, size_t *msgs_processed);
};

/* The message n of an array of BIO_MSG-led structs stride bytes apart. */
#define BSOCK_BIO_MSG_N(msg, stride, n)                                       \
    (*(BIO_MSG *)((char *)(msg) + (n) * (stride)))

struct bio_st {
    const BIO_METHOD *method;
    int init, shutdown, flags, retry_reason, num;
    /* BIO_up_ref and BIO_free may run on different threads, as with
     * OpenSSL's CRYPTO_UP_REF/DOWN_REF: ++ and -- on it are atomic. */
    _Atomic int references;
    void *ptr;
    BIO *next_bio, *prev_bio;
    uint64_t num_read, num_write;
};

/* The socket BIOs' shared steps (bio_sock.c). */

/* Close b's fd if the BIO owns one (OpenSSL's "minimal sock_free"), and
 * that, then free b->ptr (the socket and datagram BIOs' destroy). */
void bsock__bio_fd_release(BIO *b);
int bsock__bio_fd_destroy(BIO *b);

/* BIO_C_SET_FD as the socket and datagram BIOs take it: the fd held
 * before closed if the BIO owned it, then *fd (ptr) held, closed with the
 * BIO when num is BIO_CLOSE.  1, or 0 for a NULL ptr. */
long bsock__bio_fd_set(BIO *b, long num, void *ptr);

/* BIO_puts for the socket BIOs: the string through their write, -1 past
 * an int's length. */
int bsock__bio_puts_via(BIO *b, const char *str,
                        int (*write_fn)(BIO *, const char *, int));

/* A BIO of method over fd (BIO_new_socket, BIO_new_dgram): NULL without
 * memory. */
BIO *bsock__bio_new_fd(const BIO_METHOD *method, int fd, int close_flag);

/* read() of at most len bytes from b's fd, as OpenSSL's socket BIOs read:
 * errno cleared first, the retry flags set when it would block, the end
 * marked when it returned 0.  The count, 0 or -1. */
int bsock__bio_fd_read(BIO *b, char *out, int len);

/* A write's result n (a count or -errno, from the sys layer) as OpenSSL's
 * socket BIOs give it: -1 with errno set on failure, the retry flags set
 * when it would block. */
int bsock__bio_fd_wrote(BIO *b, int n);

/* BIO_lookup for the connect and accept BIOs: the BIO_FAMILY_* choice
 * mapped to a family, the failures raised in func's name (OpenSSL's
 * conn_state or acpt_state).  1 with *res set, or 0. */
int bsock__bio_lookup(int bio_family, const char *host, const char *service,
                      enum BIO_lookup_type type, int socktype,
                      BIO_ADDRINFO **res, const char *func);

/* The controls the socket, connect and accept BIOs share, as OpenSSL's:
 * BIO_C_GET_FD (b's fd, -1 until it has one), BIO_CTRL_GET_CLOSE and
 * _SET_CLOSE, BIO_CTRL_FLUSH and _DUP (1), _PENDING and _WPENDING (0); any
 * other is 0. */
long bsock__bio_fd_ctrl(BIO *b, int cmd, long num, void *ptr);

/* A text for "%s" in an entry's data, as 4.0 shows none: "(null)" (3.x's
 * own formatter said "<NULL>"). */
static inline const char *bsock__bio_shown(const char *s)
{
    return s != NULL ? s : "(null)";
}

/* An entry with formatted data, raised in func's name. */
#define BSOCK_BIO_RAISE_DATA(func, lib, reason, ...)                          \
    (ERR_new(), ERR_set_debug(__FILE__, __LINE__, (func)),                    \
     ERR_set_error((lib), (reason), __VA_ARGS__))

#endif
