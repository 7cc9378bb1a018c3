/*
 * bio_sock.c - BIO_s_socket: a BIO over a connected socket (OpenSSL's
 * bss_sock.c).  Reads are read() (recv() on Windows), writes write(), or
 * send() with the flags BIO_set_send_flags() gave (4.0's); a read or write
 * that would block sets the retry flags, a read of 0 bytes marks the end
 * (BIO_eof()).  With BIO_CLOSE the fd is closed with the BIO or when
 * another replaces it.  Not here: kTLS, and TFO's first sendto() (biosock's
 * BIO_connect connects TFO sockets itself on Linux).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4 in sys.h */
#endif
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "biosock.h"
#include "bio_local.h"
#include "internal.h"
#include "sys.h"

/* Each failed call's errno, as the call left it for BIO_sock_should_retry()
 * to read. */
static int sys_result(int n)
{
    if (n >= 0)
        return n;
    bsock__set_errno(-n);
    return -1;
}

static int sock_create(BIO *b)
{
    int *send_flags = calloc(1, sizeof(*send_flags));

    if (send_flags == NULL)
        return 0;
    b->ptr = send_flags;
    b->init = 0;
    b->num = 0;
    b->flags = 0;
    return 1;
}

void bsock__bio_fd_release(BIO *b)
{
    if (b->shutdown) {
        if (b->init)
            BIO_closesocket(b->num);
        b->init = 0;
        b->flags = 0;
    }
}

int bsock__bio_fd_destroy(BIO *b)
{
    bsock__bio_fd_release(b);
    free(b->ptr);
    b->ptr = NULL;
    return 1;
}

int bsock__bio_fd_read(BIO *b, char *out, int len)
{
    int n;

    bsock__set_errno(0);
    b->flags &= ~BIO_FLAGS_IN_EOF;
    n = sys_result(bsock__sys_read(b->num, out, len));
    BIO_clear_retry_flags(b);
    if (n <= 0) {
        if (BIO_sock_should_retry(n))
            BIO_set_retry_read(b);
        else if (n == 0)
            b->flags |= BIO_FLAGS_IN_EOF;
    }
    return n;
}

int bsock__bio_fd_wrote(BIO *b, int n)
{
    n = sys_result(n);
    BIO_clear_retry_flags(b);
    if (n <= 0 && BIO_sock_should_retry(n))
        BIO_set_retry_write(b);
    return n;
}

int bsock__bio_lookup(int bio_family, const char *host, const char *service,
                      enum BIO_lookup_type type, int socktype,
                      BIO_ADDRINFO **res, const char *func)
{
    int family;

    switch (bio_family) {
    case BIO_FAMILY_IPV6:
        family = AF_INET6;
        break;
    case BIO_FAMILY_IPV4:
        family = AF_INET;
        break;
    case BIO_FAMILY_IPANY:
        family = AF_UNSPEC;
        break;
    default:
        BSOCK_BIO_RAISE_DATA(func, ERR_LIB_BIO, BIO_R_UNSUPPORTED_IP_FAMILY,
                             NULL);
        return 0;
    }
    if (BIO_lookup(host, service, type, family, socktype, res) == 0)
        return 0;
    if (*res == NULL) {
        BSOCK_BIO_RAISE_DATA(func, ERR_LIB_BIO, BIO_R_LOOKUP_RETURNED_NOTHING,
                             NULL);
        return 0;
    }
    return 1;
}

long bsock__bio_fd_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    switch (cmd) {
    case BIO_C_GET_FD:
        if (!b->init)
            return -1;
        if (ptr != NULL)
            *(int *)ptr = b->num;
        return b->num;
    case BIO_CTRL_GET_CLOSE:
        return b->shutdown;
    case BIO_CTRL_SET_CLOSE:
        b->shutdown = (int)num;
        return 1;
    case BIO_CTRL_DUP:
    case BIO_CTRL_FLUSH:
        return 1;
    default: /* BIO_CTRL_PENDING, _WPENDING and what the BIO does not know */
        return 0;
    }
}

static int sock_read(BIO *b, char *out, int len)
{
    return out != NULL && len > 0 ? bsock__bio_fd_read(b, out, len) : 0;
}

static int sock_write(BIO *b, const char *in, int len)
{
    bsock__set_errno(0);
    return bsock__bio_fd_wrote(
        b, bsock__sys_write(b->num, in, len, *(int *)b->ptr));
}

int bsock__bio_puts_via(BIO *b, const char *str,
                        int (*write_fn)(BIO *, const char *, int))
{
    size_t n = strlen(str);

    return n > INT_MAX ? -1 : write_fn(b, str, (int)n);
}

static int sock_puts(BIO *b, const char *str)
{
    return bsock__bio_puts_via(b, str, sock_write);
}

long bsock__bio_fd_set(BIO *b, long num, void *ptr)
{
    if (ptr == NULL) /* BIO_set_fd() always passes one */
        return 0;
    bsock__bio_fd_release(b);
    b->num = *(int *)ptr;
    b->shutdown = (int)num;
    b->init = 1;
    return 1;
}

static long sock_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    switch (cmd) {
    case BIO_C_SET_FD:
        return bsock__bio_fd_set(b, num, ptr);
    case BIO_CTRL_GET_RPOLL_DESCRIPTOR:
    case BIO_CTRL_GET_WPOLL_DESCRIPTOR: {
        BIO_POLL_DESCRIPTOR *pd = ptr;

        if (!b->init || pd == NULL)
            return 0;
        pd->type = BIO_POLL_DESCRIPTOR_TYPE_SOCK_FD;
        pd->value.fd = b->num;
        return 1;
    }
    case BIO_CTRL_EOF:
        return (b->flags & BIO_FLAGS_IN_EOF) != 0;
    case BIO_C_SET_SEND_FLAGS:
        if (num > INT_MAX || num < INT_MIN) {
            BSOCK_RAISE_IN("sock_ctrl", ERR_LIB_BIO, BIO_R_INVALID_ARGUMENT,
                           NULL);
            return 0;
        }
        *(int *)b->ptr = (int)num;
        return 1;
    default:
        return bsock__bio_fd_ctrl(b, cmd, num, ptr);
    }
}

static const BIO_METHOD sock_method = {BIO_TYPE_SOCKET,
                                       "socket",
                                       sock_write,
                                       sock_read,
                                       sock_puts,
                                       NULL,
                                       sock_ctrl,
                                       sock_create,
                                       bsock__bio_fd_destroy,
                                       NULL,
                                       NULL,
                                       NULL};

const BIO_METHOD *BIO_s_socket(void)
{
    return &sock_method;
}

BIO *bsock__bio_new_fd(const BIO_METHOD *method, int fd, int close_flag)
{
    BIO *b = BIO_new(method);

    if (b != NULL)
        BIO_set_fd(b, fd, close_flag);
    return b;
}

BIO *BIO_new_socket(int sock, int close_flag)
{
    return bsock__bio_new_fd(&sock_method, sock, close_flag);
}

long BIO_set_send_flags(BIO *b, int flags)
{
    return BIO_ctrl(b, BIO_C_SET_SEND_FLAGS, (long)flags, NULL);
}

int BIO_get_rpoll_descriptor(BIO *b, BIO_POLL_DESCRIPTOR *desc)
{
    return (int)BIO_ctrl(b, BIO_CTRL_GET_RPOLL_DESCRIPTOR, 0, desc);
}

int BIO_get_wpoll_descriptor(BIO *b, BIO_POLL_DESCRIPTOR *desc)
{
    return (int)BIO_ctrl(b, BIO_CTRL_GET_WPOLL_DESCRIPTOR, 0, desc);
}
