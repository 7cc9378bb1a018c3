/*
 * bio.c - the BIO object, as OpenSSL's bio_lib.c defines it for callers:
 * BIO_new/BIO_free and the chain (BIO_push, BIO_pop), the I/O calls
 * (BIO_read, BIO_write, BIO_puts, BIO_gets and their _ex forms, BIO_ctrl
 * and the flags behind BIO_should_retry), BIO_printf and friends, and one
 * method: BIO_s_mem (with BIO_new_mem_buf), what error printing writes to
 * (ERR_print_errors, ERR_add_error_mem_bio).  Results and error entries are
 * OpenSSL's (bio_lib.c, bss_mem.c), checked by the scenario against 3.0,
 * 3.5 and 4.0.  Not here: BIO callbacks, ex_data, BIO_meth_new.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4 in sys.h */
#endif
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "biosock.h"
#include "bio_local.h"
#include "internal.h"
#include "sys.h"

BIO *BIO_new(const BIO_METHOD *method)
{
    BIO *b;

    if (method == NULL) {
        BSOCK_RAISE(ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER, NULL);
        return NULL;
    }
    if ((b = calloc(1, sizeof(*b))) == NULL) {
        BSOCK_RAISE(ERR_LIB_BIO, ERR_R_MALLOC_FAILURE, NULL);
        return NULL;
    }
    b->method = method;
    b->shutdown = 1;
    b->references = 1;
    if (method->create != NULL && !method->create(b)) {
        BSOCK_RAISE(ERR_LIB_BIO, ERR_R_INIT_FAIL, NULL);
        free(b);
        return NULL;
    }
    if (method->create == NULL)
        b->init = 1;
    return b;
}

int BIO_free(BIO *b)
{
    if (b == NULL)
        return 0;
    if (--b->references > 0)
        return 1;
    if (b->method->destroy != NULL)
        b->method->destroy(b);
    free(b);
    return 1;
}

void BIO_vfree(BIO *b)
{
    BIO_free(b);
}

int BIO_up_ref(BIO *b)
{
    return b != NULL && ++b->references > 1;
}

void BIO_free_all(BIO *b)
{
    while (b != NULL) {
        BIO *next = b->next_bio;
        int shared = b->references > 1;

        BIO_free(b);
        if (shared) /* another holder keeps the rest of the chain */
            break;
        b = next;
    }
}

BIO *BIO_push(BIO *b, BIO *append)
{
    BIO *last;

    if (b == NULL)
        return append;
    for (last = b; last->next_bio != NULL; last = last->next_bio)
        ;
    last->next_bio = append;
    if (append != NULL)
        append->prev_bio = last;
    BIO_ctrl(b, BIO_CTRL_PUSH, 0, last);
    return b;
}

BIO *BIO_pop(BIO *b)
{
    BIO *next;

    if (b == NULL)
        return NULL;
    next = b->next_bio;
    BIO_ctrl(b, BIO_CTRL_POP, 0, b);
    if (b->prev_bio != NULL)
        b->prev_bio->next_bio = b->next_bio;
    if (b->next_bio != NULL)
        b->next_bio->prev_bio = b->prev_bio;
    b->next_bio = b->prev_bio = NULL;
    return next;
}

BIO *BIO_dup_chain(BIO *in)
{
    BIO *out = NULL, *last = NULL, *b;

    for (b = in; b != NULL; b = b->next_bio) {
        BIO *copy = BIO_new(b->method);

        if (copy == NULL)
            goto fail;
        copy->init = b->init;
        copy->shutdown = b->shutdown;
        copy->flags = b->flags;
        copy->num = b->num; /* as OpenSSL: the same fd */
        if (BIO_dup_state(b, copy) <= 0) {
            BIO_free(copy);
            goto fail;
        }
        if (out == NULL)
            out = copy;
        else
            BIO_push(last, copy);
        last = copy;
    }
    return out;
fail:
    BIO_free_all(out);
    return NULL;
}

void BIO_copy_next_retry(BIO *b)
{
    if (b == NULL || b->next_bio == NULL)
        return;
    BIO_set_flags(b, BIO_get_retry_flags(b->next_bio));
    b->retry_reason = b->next_bio->retry_reason;
}

BIO *BIO_next(BIO *b)
{
    return b != NULL ? b->next_bio : NULL;
}

/* The accessors take a NULL BIO as one with nothing set (OpenSSL's
 * crash): BIO_TYPE_NONE, no name, no flags, no retry reason. */
int BIO_method_type(const BIO *b)
{
    return b != NULL ? b->method->type : BIO_TYPE_NONE;
}

const char *BIO_method_name(const BIO *b)
{
    return b != NULL ? b->method->name : NULL;
}

void BIO_set_flags(BIO *b, int flags)
{
    if (b != NULL)
        b->flags |= flags;
}

int BIO_test_flags(const BIO *b, int flags)
{
    return b != NULL ? b->flags & flags : 0;
}

void BIO_clear_flags(BIO *b, int flags)
{
    if (b != NULL)
        b->flags &= ~flags;
}

int BIO_get_retry_reason(BIO *b)
{
    return b != NULL ? b->retry_reason : 0;
}

void BIO_set_retry_reason(BIO *b, int reason)
{
    if (b != NULL)
        b->retry_reason = reason;
}

uint64_t BIO_number_read(BIO *b)
{
    return b != NULL ? b->num_read : 0;
}

uint64_t BIO_number_written(BIO *b)
{
    return b != NULL ? b->num_write : 0;
}

/* Whether b can do the call: 1, or OpenSSL's failure result pushed (-1 for
 * no BIO or an uninitialised one, -2 for a method without the call) in
 * func's name (OpenSSL's: the function that raises it there). */
static int usable(const BIO *b, int has_call, const char *func)
{
    if (b == NULL) {
        BSOCK_RAISE_IN(func, ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER, NULL);
        return -1;
    }
    if (!has_call) {
        BSOCK_RAISE_IN(func, ERR_LIB_BIO, BIO_R_UNSUPPORTED_METHOD, NULL);
        return -2;
    }
    if (!b->init) {
        BSOCK_RAISE_IN(func, ERR_LIB_BIO, BIO_R_UNINITIALIZED, NULL);
        return -1;
    }
    return 1;
}

/* A method's count as bio_lib.c's bread_conv/bwrite_conv give it: 1 with
 * the count in *n, or the method's result <= 0 with *n 0. */
static int counted(int ret, size_t *n)
{
    *n = ret > 0 ? (size_t)ret : 0;
    return ret > 0 ? 1 : ret;
}

static int read_in(BIO *b, void *data, size_t len, size_t *readbytes,
                   const char *func)
{
    int ret = usable(b, b != NULL && b->method->bread != NULL, func);

    *readbytes = 0;
    if (ret <= 0)
        return ret;
    if (len == 0) /* 4.0's: 1, nothing read, the method not called */
        return 1;
    ret =
        counted(b->method->bread(b, data, len > INT_MAX ? INT_MAX : (int)len),
                readbytes);
    /* 4.0's: a method's 0 is the end, so BIO_eof() says so even where the
     * method's own end test does not. */
    b->flags &= ~BSOCK_BIO_FLAGS_AUTO_EOF;
    if (ret == 0 && BIO_ctrl(b, BIO_CTRL_EOF, 0, NULL) == 0)
        b->flags |= BSOCK_BIO_FLAGS_AUTO_EOF;
    b->num_read += *readbytes;
    return ret;
}

int BIO_read(BIO *b, void *data, int len)
{
    size_t n;
    int ret;

    if (len < 0) { /* 4.0's; 3.0 and 3.5 return 0 with no entry */
        BSOCK_RAISE(ERR_LIB_BIO, ERR_R_PASSED_INVALID_ARGUMENT, NULL);
        return -1;
    }
    ret = read_in(b, data, (size_t)len, &n, "bio_read_intern");
    return ret > 0 ? (int)n : ret;
}

int BIO_read_ex(BIO *b, void *data, size_t len, size_t *readbytes)
{
    size_t n = 0;
    int ret = read_in(b, data, len, &n, "bio_read_intern");

    if (readbytes != NULL)
        *readbytes = ret > 0 ? n : 0;
    return ret > 0;
}

/* No BIO writes nothing, as OpenSSL's: 0, with no entry. */
static int write_in(BIO *b, const void *data, size_t len, size_t *written,
                    const char *func)
{
    int ret;

    *written = 0;
    if (b == NULL)
        return 0;
    if ((ret = usable(b, b->method->bwrite != NULL, func)) <= 0)
        return ret;
    ret =
        counted(b->method->bwrite(b, data, len > INT_MAX ? INT_MAX : (int)len),
                written);
    b->num_write += *written;
    return ret;
}

int BIO_write(BIO *b, const void *data, int len)
{
    size_t n;
    int ret;

    if (len <= 0)
        return 0;
    ret = write_in(b, data, (size_t)len, &n, "bio_write_intern");
    return ret > 0 ? (int)n : ret;
}

int BIO_write_ex(BIO *b, const void *data, size_t len, size_t *written)
{
    size_t n;
    int ret = write_in(b, data, len, &n, "bio_write_intern");

    if (written != NULL)
        *written = n;
    return ret > 0 || (b != NULL && len == 0 && ret == 0);
}

int BIO_puts(BIO *b, const char *str)
{
    int ret = usable(b, b != NULL && b->method->bputs != NULL, __func__);

    if (ret <= 0)
        return ret;
    if (str == NULL) { /* OpenSSL's strlen(NULL) */
        BSOCK_RAISE(ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER, NULL);
        return -1;
    }
    ret = b->method->bputs(b, str);
    if (ret > 0)
        b->num_write += (uint64_t)ret;
    return ret;
}

int BIO_gets(BIO *b, char *buf, int size)
{
    if (b == NULL) {
        BSOCK_RAISE(ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER, NULL);
        return -1;
    }
    if (b->method->bgets == NULL) {
        BSOCK_RAISE(ERR_LIB_BIO, BIO_R_UNSUPPORTED_METHOD, NULL);
        return -2;
    }
    if (size < 0) {
        BSOCK_RAISE(ERR_LIB_BIO, BIO_R_INVALID_ARGUMENT, NULL);
        return -1;
    }
    if (!b->init) {
        BSOCK_RAISE(ERR_LIB_BIO, BIO_R_UNINITIALIZED, NULL);
        return -1;
    }
    if (buf == NULL) { /* OpenSSL's methods write through it */
        BSOCK_RAISE(ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER, NULL);
        return -1;
    }
    return b->method->bgets(b, buf, size);
}

/* BIO_sendmmsg and BIO_recvmmsg: the checks before the method's batch, as
 * OpenSSL's bio_lib.c makes them (each failure sets *processed to 0). */
static int batch(BIO *b, BIO_MSG *msg, size_t stride, size_t num_msg,
                 uint64_t flags, size_t *processed, int send, const char *func)
{
    int (*fn)(BIO *, BIO_MSG *, size_t, size_t, uint64_t, size_t *);

    if (processed == NULL) { /* better: OpenSSL writes through it */
        BSOCK_RAISE_IN(func, ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER, NULL);
        return 0;
    }
    *processed = 0;
    if (b == NULL) {
        BSOCK_RAISE_IN(func, ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER, NULL);
        return 0;
    }
    fn = send ? b->method->bsendmmsg : b->method->brecvmmsg;
    if (fn == NULL) {
        BSOCK_RAISE_IN(func, ERR_LIB_BIO, BIO_R_UNSUPPORTED_METHOD, NULL);
        return 0;
    }
    if (!b->init) {
        BSOCK_RAISE_IN(func, ERR_LIB_BIO, BIO_R_UNINITIALIZED, NULL);
        return 0;
    }
    if (num_msg > 0 && (msg == NULL || stride < sizeof(BIO_MSG))) {
        /* better: OpenSSL reads through them */
        BSOCK_RAISE_IN(func, ERR_LIB_BIO, BIO_R_INVALID_ARGUMENT, NULL);
        return 0;
    }
    return fn(b, msg, stride, num_msg, flags, processed);
}

int BIO_sendmmsg(BIO *b, BIO_MSG *msg, size_t stride, size_t num_msg,
                 uint64_t flags, size_t *msgs_processed)
{
    return batch(b, msg, stride, num_msg, flags, msgs_processed, 1, __func__);
}

int BIO_recvmmsg(BIO *b, BIO_MSG *msg, size_t stride, size_t num_msg,
                 uint64_t flags, size_t *msgs_processed)
{
    return batch(b, msg, stride, num_msg, flags, msgs_processed, 0, __func__);
}

/* OpenSSL's bio_wait: 1 when b may go on, 0 at max_time, -1 on a failed
 * wait.  A BIO with a socket waits on it; another naps, at most
 * nap_milliseconds and never past max_time. */
static int wait_for(BIO *b, time_t max_time, unsigned int nap_milliseconds)
{
    int fd;
    long left;

    if (max_time == 0)
        return 1;
    if (BIO_get_fd(b, &fd) > 0) {
        int ret = BIO_socket_wait(fd, BIO_should_read(b), max_time);

        if (ret != -1)
            return ret;
    }
    if ((left = (long)(max_time - time(NULL))) < 0)
        return 0;
    if (left == 0 && nap_milliseconds > 1000)
        nap_milliseconds = 1000;
    else if (left > 0 && (unsigned long)left * 1000 < nap_milliseconds)
        nap_milliseconds = (unsigned int)left * 1000;
    bsock__sys_sleep_ms(nap_milliseconds);
    return 1;
}

int BIO_wait(BIO *bio, time_t max_time, unsigned int nap_milliseconds)
{
    int ret;

    if (bio == NULL) { /* better: OpenSSL's reads through it */
        BSOCK_RAISE(ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER, NULL);
        return -1;
    }
    if ((ret = wait_for(bio, max_time, nap_milliseconds)) <= 0)
        BSOCK_RAISE(ERR_LIB_BIO,
                    ret == 0 ? BIO_R_TRANSFER_TIMEOUT : BIO_R_TRANSFER_ERROR,
                    NULL);
    return ret;
}

long BIO_ctrl(BIO *b, int cmd, long larg, void *parg)
{
    if (b == NULL)
        return -1;
    if (b->method->ctrl == NULL) {
        BSOCK_RAISE(ERR_LIB_BIO, BIO_R_UNSUPPORTED_METHOD, NULL);
        return -2;
    }
    return b->method->ctrl(b, cmd, larg, parg);
}

int BIO_eof(BIO *b)
{
    if (b != NULL && (b->flags & BSOCK_BIO_FLAGS_AUTO_EOF))
        return 1;
    return (int)BIO_ctrl(b, BIO_CTRL_EOF, 0, NULL);
}

long BIO_callback_ctrl(BIO *b, int cmd, BIO_info_cb *fp)
{
    if (b == NULL)
        return -2;
    if (b->method->callback_ctrl == NULL || cmd != BIO_CTRL_SET_CALLBACK) {
        BSOCK_RAISE(ERR_LIB_BIO, BIO_R_UNSUPPORTED_METHOD, NULL);
        return -2;
    }
    return b->method->callback_ctrl(b, cmd, fp);
}

long BIO_int_ctrl(BIO *b, int cmd, long larg, int iarg)
{
    int i = iarg;

    return BIO_ctrl(b, cmd, larg, &i);
}

void *BIO_ptr_ctrl(BIO *b, int cmd, long larg)
{
    void *p = NULL;

    if (BIO_ctrl(b, cmd, larg, &p) <= 0)
        return NULL;
    return p;
}

size_t BIO_ctrl_pending(BIO *b)
{
    long n = BIO_ctrl(b, BIO_CTRL_PENDING, 0, NULL);

    return n > 0 ? (size_t)n : 0;
}

size_t BIO_ctrl_wpending(BIO *b)
{
    long n = BIO_ctrl(b, BIO_CTRL_WPENDING, 0, NULL);

    return n > 0 ? (size_t)n : 0;
}

/* ---------------------------------------------------------------------
 * BIO_printf and friends: the C library's formatting.  BIO_snprintf and
 * BIO_vsnprintf return -1 when the text did not fit, as OpenSSL's do.
 */

int BIO_vsnprintf(char *buf, size_t n, const char *format, va_list args)
{
    int len;

    if (format == NULL || (buf == NULL && n > 0))
        return -1;
    len = vsnprintf(buf, n, format, args);

    return len < 0 || (size_t)len >= n ? -1 : len;
}

int BIO_snprintf(char *buf, size_t n, const char *format, ...)
{
    va_list args;
    int len;

    va_start(args, format);
    len = BIO_vsnprintf(buf, n, format, args);
    va_end(args);
    return len;
}

int BIO_vprintf(BIO *b, const char *format, va_list args)
{
    char small[512], *text = small;
    va_list again;
    int len, ret;

    if (format == NULL) {
        BSOCK_RAISE(ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER, NULL);
        return -1;
    }
    va_copy(again, args);
    len = vsnprintf(small, sizeof(small), format, args);
    if (len >= (int)sizeof(small)) {
        if ((text = malloc((size_t)len + 1)) == NULL) {
            va_end(again);
            BSOCK_RAISE(ERR_LIB_BIO, ERR_R_MALLOC_FAILURE, NULL);
            return -1;
        }
        vsnprintf(text, (size_t)len + 1, format, again);
    }
    va_end(again);
    ret = len < 0 ? -1 : BIO_write(b, text, len);
    if (text != small)
        free(text);
    return ret;
}

int BIO_printf(BIO *b, const char *format, ...)
{
    va_list args;
    int ret;

    va_start(args, format);
    ret = BIO_vprintf(b, format, args);
    va_end(args);
    return ret;
}

/* ---------------------------------------------------------------------
 * BIO_s_mem: a growing buffer read from the front.  Reading an empty one
 * returns the BIO's num (-1 unless BIO_set_mem_eof_return changed it) and
 * asks for a retry unless it is 0; BIO_new_mem_buf's read-only buffer
 * returns 0 (end of data).  BIO_reset empties a writable buffer and rewinds
 * a read-only one.
 */

struct mem {
    char *data;   /* the allocation, or the caller's read-only bytes */
    size_t start; /* where reading goes on */
    size_t end;   /* what was written (or given) */
    size_t cap;   /* the allocation's size */
};

static int mem_create(BIO *b)
{
    struct mem *m = calloc(1, sizeof(*m));

    if (m == NULL)
        return 0;
    b->ptr = m;
    b->init = 1;
    b->num = -1;
    return 1;
}

static int mem_destroy(BIO *b)
{
    struct mem *m = b->ptr;

    if (m != NULL && !(b->flags & BIO_FLAGS_MEM_RDONLY) && b->shutdown)
        free(m->data);
    free(m);
    b->ptr = NULL;
    return 1;
}

/* As bss_mem.c's mem_read, to the letter: with no place to copy to, the
 * count is returned and nothing is consumed; an empty buffer returns num. */
static int mem_read(BIO *b, char *out, int len)
{
    struct mem *m = b->ptr;
    size_t left = m->end - m->start;
    int n = len >= 0 && (size_t)len > left ? (int)left : len;

    BIO_clear_retry_flags(b);
    if (out != NULL && n > 0) {
        memcpy(out, m->data + m->start, (size_t)n);
        m->start += (size_t)n;
    } else if (left == 0) {
        n = b->num;
        if (n != 0)
            BIO_set_retry_read(b);
    }
    return n;
}

/* Room for more bytes after end, moving what is unread to the front
 * first (as OpenSSL's mem_buf_sync). */
static int mem_room(struct mem *m, size_t more)
{
    size_t need, cap;
    char *grown;

    if (m->start > 0) {
        memmove(m->data, m->data + m->start, m->end - m->start);
        m->end -= m->start;
        m->start = 0;
    }
    if (more > INT_MAX - m->end)
        return 0;
    need = m->end + more;
    if (need <= m->cap)
        return 1;
    cap = m->cap < 64 ? 64 : m->cap;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if ((grown = realloc(m->data, cap)) == NULL)
        return 0;
    m->data = grown;
    m->cap = cap;
    return 1;
}

static int mem_write(BIO *b, const char *in, int len)
{
    struct mem *m = b->ptr;

    if (b->flags & BIO_FLAGS_MEM_RDONLY) {
        BSOCK_RAISE_IN("mem_write", ERR_LIB_BIO, BIO_R_WRITE_TO_READ_ONLY_BIO,
                       NULL);
        return -1;
    }
    BIO_clear_retry_flags(b);
    if (len == 0)
        return 0;
    if (in == NULL) {
        BSOCK_RAISE_IN("mem_write", ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER,
                       NULL);
        return -1;
    }
    if (len < 0 || !mem_room(m, (size_t)len)) {
        BSOCK_RAISE_IN("mem_write", ERR_LIB_BIO, ERR_R_BUF_LIB, NULL);
        return -1;
    }
    memcpy(m->data + m->end, in, (size_t)len);
    m->end += (size_t)len;
    return len;
}

static int mem_puts(BIO *b, const char *str)
{
    size_t n = strlen(str);

    return mem_write(b, str, n > INT_MAX ? INT_MAX : (int)n);
}

/* A line: up to and with the first newline, at most size - 1 bytes, NUL
 * terminated. */
static int mem_gets(BIO *b, char *buf, int size)
{
    struct mem *m = b->ptr;
    size_t left = m->end - m->start, max, i, n;
    const char *nl;

    BIO_clear_retry_flags(b);
    if (size <= 1 || left == 0) {
        if (size > 0)
            *buf = '\0';
        return 0;
    }
    max = (size_t)size - 1 < left ? (size_t)size - 1 : left;
    nl = memchr(m->data + m->start, '\n', max);
    i = nl != NULL ? (size_t)(nl - (m->data + m->start)) + 1 : max;
    n = (size_t)mem_read(b, buf, (int)i);
    buf[n] = '\0';
    return (int)n;
}

static long mem_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    struct mem *m = b->ptr;

    switch (cmd) {
    case BIO_CTRL_RESET:
        if (b->flags & BIO_FLAGS_MEM_RDONLY) {
            m->start = 0;
        } else if (!(b->flags & BIO_FLAGS_NONCLEAR_RST)) {
            if (m->data != NULL)
                memset(m->data, 0, m->cap);
            m->start = m->end = 0;
        } else {
            m->start = 0;
        }
        return 1;
    case BIO_CTRL_EOF:
        return m->end == m->start;
    case BIO_C_SET_BUF_MEM_EOF_RETURN:
        b->num = (int)num;
        return 1;
    case BIO_CTRL_INFO:
        if (ptr != NULL)
            *(char **)ptr = m->data != NULL ? m->data + m->start : NULL;
        return (long)(m->end - m->start);
    case BIO_CTRL_GET_CLOSE:
        return b->shutdown;
    case BIO_CTRL_SET_CLOSE:
        b->shutdown = (int)num;
        return 1;
    case BIO_CTRL_WPENDING:
        return 0;
    case BIO_CTRL_PENDING:
        return (long)(m->end - m->start);
    case BIO_CTRL_DUP:
    case BIO_CTRL_FLUSH:
        return 1;
    default:
        return 0;
    }
}

static const BIO_METHOD mem_method = {
    BIO_TYPE_MEM, "memory buffer", mem_write,   mem_read, mem_puts, mem_gets,
    mem_ctrl,     mem_create,      mem_destroy, NULL,     NULL,     NULL};

const BIO_METHOD *BIO_s_mem(void)
{
    return &mem_method;
}

BIO *BIO_new_mem_buf(const void *buf, int len)
{
    struct mem *m;
    BIO *b;

    if (buf == NULL) {
        BSOCK_RAISE(ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER, NULL);
        return NULL;
    }
    if ((b = BIO_new(&mem_method)) == NULL)
        return NULL;
    m = b->ptr;
    /* Read only, as the flag says: the bytes stay the caller's. */
    m->data = (char *)(uintptr_t)buf;
    m->end = m->cap = len < 0 ? strlen(buf) : (size_t)len;
    b->flags |= BIO_FLAGS_MEM_RDONLY;
    b->num = 0; /* static data: retrying would not help */
    return b;
}

/* ---------------------------------------------------------------------
 * Error printing into a BIO (err_prn.c's).
 */

static int print_bio(const char *str, size_t len, void *b)
{
    return BIO_write(b, str, (int)len);
}

void ERR_print_errors(BIO *b)
{
    ERR_print_errors_cb(print_bio, b);
}

void ERR_add_error_mem_bio(const char *separator, BIO *b)
{
    char *str;
    long len;

    if (b == NULL || (len = BIO_get_mem_data(b, &str)) <= 0)
        return;
    if (str[len - 1] != '\0') {
        if (BIO_write(b, "", 1) <= 0)
            return;
        len = BIO_get_mem_data(b, &str);
    }
    if (len > 1)
        ERR_add_error_txt(separator, str);
}
