/*
 * bio_dgram_pair.c - datagrams in memory, as OpenSSL's bss_dgram_pair.c:
 * BIO_s_dgram_pair (two BIOs made one pair by BIO_new_bio_dgram_pair():
 * what one writes, the other reads, datagram by datagram) and BIO_s_dgram_mem
 * (one BIO that reads what it wrote).  Each datagram keeps its boundaries
 * and, through BIO_sendmmsg()/BIO_recvmmsg(), a source and a destination
 * address, where the capabilities (BIO_dgram_set_caps()) say the other side
 * handles them.  Each BIO's written datagrams wait in its ring buffer
 * (BIO_set_write_buf_size(); by default room for 9 datagrams of the MTU,
 * 1472, with their headers); a full buffer fails the write with the retry
 * flag, and BIO_s_dgram_mem's grows instead, until its size is set.  A read
 * shorter than the datagram drops the rest, or, with
 * BIO_dgram_set_no_trunc(), fails and leaves it.  A BIO's lock guards its
 * buffer, so one thread may write a pair's one end while another reads it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4 in sys.h */
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "biosock.h"
#include "bio_local.h"
#include "internal.h"
#include "sys.h"

#define DEFAULT_MTU 1472
#define MIN_BUF_LEN 1024

/* What goes in front of each datagram in the buffer. */
struct header {
    size_t len;
    BIO_ADDR src, dst; /* family 0: none */
};

/* A ring of bytes: data from head (the next to read) for count bytes. */
struct ring {
    unsigned char *start;
    size_t len, head, count;
};

struct pair {
    BIO *peer; /* the other end; NULL for BIO_s_dgram_mem or unpaired */
    struct ring ring;
    size_t buf_len; /* the size asked for (or grown to) */
    size_t mtu;
    uint32_t caps;
    BIO_ADDR *local; /* BIO_dgram_set0_local_addr()'s: the default source */
    bsock__sys_lock lock;
    int no_trunc, local_enable, grows;
};

/* ---------------------------------------------------------------------
 * The ring.
 */

static int ring_alloc(struct ring *r, size_t len)
{
    unsigned char *p = malloc(len);

    if (p == NULL)
        return 0;
    free(r->start);
    r->start = p;
    r->len = len;
    r->head = r->count = 0;
    return 1;
}

static void ring_free(struct ring *r)
{
    free(r->start);
    memset(r, 0, sizeof(*r));
}

/* Make the ring len bytes, keeping what it holds: 1, or 0 (without memory,
 * or smaller than what it holds). */
static int ring_resize(struct ring *r, size_t len)
{
    unsigned char *p;
    size_t first;

    if (r->start == NULL)
        return ring_alloc(r, len);
    if (len == r->len)
        return 1;
    if (len < r->count)
        return 0;
    if ((p = malloc(len)) == NULL)
        return 0;
    first = r->len - r->head < r->count ? r->len - r->head : r->count;
    memcpy(p, r->start + r->head, first);
    memcpy(p + first, r->start, r->count - first);
    free(r->start);
    r->start = p;
    r->len = len;
    r->head = 0;
    return 1;
}

/* Append n bytes (the caller has checked the room). */
static void ring_put(struct ring *r, const void *data, size_t n)
{
    size_t tail = (r->head + r->count) % r->len;
    size_t first = r->len - tail < n ? r->len - tail : n;

    memcpy(r->start + tail, data, first);
    memcpy(r->start, (const unsigned char *)data + first, n - first);
    r->count += n;
}

/* Copy n bytes from offset off past the head into out (NULL: skip them). */
static void ring_peek(const struct ring *r, size_t off, void *out, size_t n)
{
    size_t from = (r->head + off) % r->len;
    size_t first = r->len - from < n ? r->len - from : n;

    if (out == NULL)
        return;
    memcpy(out, r->start + from, first);
    memcpy((unsigned char *)out + first, r->start, n - first);
}

static void ring_drop(struct ring *r, size_t n)
{
    r->head = (r->head + n) % r->len;
    r->count -= n;
}

/* ---------------------------------------------------------------------
 * The BIOs.
 */

static int pair_create(BIO *b)
{
    struct pair *p = calloc(1, sizeof(*p));

    if (p == NULL)
        return 0;
    if (bsock__sys_lock_init(&p->lock) != 0) {
        free(p);
        return 0;
    }
    p->mtu = DEFAULT_MTU;
    p->buf_len = 9 * (sizeof(struct header) + p->mtu);
    b->ptr = p;
    b->init = 0;
    return 1;
}

/* Unmake the pair b is in (OpenSSL's BIO_destroy_bio_pair()): both ends'
 * buffers go, and both ends are uninitialised. */
static void unpair(BIO *b)
{
    struct pair *p = b->ptr;

    ring_free(&p->ring);
    b->init = 0;
    if (p->peer != NULL) {
        struct pair *q = p->peer->ptr;

        ring_free(&q->ring);
        p->peer->init = 0;
        q->peer = NULL;
        p->peer = NULL;
    }
}

static int pair_destroy(BIO *b)
{
    struct pair *p = b->ptr;

    unpair(b);
    BIO_ADDR_free(p->local);
    bsock__sys_lock_free(&p->lock);
    free(p);
    b->ptr = NULL;
    return 1;
}

static const BIO_METHOD pair_method, mem_method;

static int mem_create(BIO *b)
{
    struct pair *p;

    if (!pair_create(b))
        return 0;
    p = b->ptr;
    if (!ring_alloc(&p->ring, p->buf_len)) {
        pair_destroy(b);
        BSOCK_RAISE_IN("dgram_mem_init", ERR_LIB_BIO, ERR_R_BIO_LIB, NULL);
        return 0;
    }
    p->grows = 1;
    b->init = 1;
    return 1;
}

static int make_pair(BIO *b1, BIO *b2)
{
    const char *func = "dgram_pair_ctrl_make_bio_pair";
    struct pair *p1, *p2;

    if (b1 == NULL || b2 == NULL) {
        BSOCK_RAISE_IN(func, ERR_LIB_BIO, BIO_R_INVALID_ARGUMENT, NULL);
        return 0;
    }
    if (b1->method != &pair_method || b2->method != &pair_method) {
        BSOCK_BIO_RAISE_DATA(func, ERR_LIB_BIO, BIO_R_INVALID_ARGUMENT,
                             "both BIOs must be BIO_dgram_pair");
        return 0;
    }
    p1 = b1->ptr;
    p2 = b2->ptr;
    if (p1->peer != NULL || p2->peer != NULL) {
        BSOCK_BIO_RAISE_DATA(
            func, ERR_LIB_BIO, BIO_R_IN_USE,
            "cannot associate a BIO_dgram_pair which is already in use");
        return 0;
    }
    if ((p1->ring.len != p1->buf_len && !ring_alloc(&p1->ring, p1->buf_len))
        || (p2->ring.len != p2->buf_len
            && !ring_alloc(&p2->ring, p2->buf_len))) {
        ring_free(&p1->ring);
        BSOCK_RAISE_IN(func, ERR_LIB_BIO, ERR_R_BIO_LIB, NULL);
        return 0;
    }
    p1->peer = b2;
    p2->peer = b1;
    b1->init = b2->init = 1;
    return 1;
}

/* The BIO whose buffer b reads: its peer's in a pair, its own for a mem. */
static struct pair *read_side(const BIO *b)
{
    const struct pair *p = b->ptr;

    return p->peer != NULL ? p->peer->ptr : b->ptr;
}

static int set_buf_size(BIO *b, size_t len)
{
    struct pair *p = b->ptr;

    if (p->peer != NULL) {
        BSOCK_RAISE_IN("dgram_pair_ctrl_set_write_buf_size", ERR_LIB_BIO,
                       BIO_R_IN_USE, NULL);
        return 0;
    }
    if (len < MIN_BUF_LEN)
        len = MIN_BUF_LEN;
    if (p->ring.start != NULL && !ring_resize(&p->ring, len))
        return 0;
    p->buf_len = len;
    p->grows = 0;
    return 1;
}

/* The length of the next datagram to read, 0 when there is none. */
static long pending(BIO *b)
{
    struct pair *r;
    struct header h;
    long n = 0;

    if (!b->init)
        return 0;
    r = read_side(b);
    bsock__sys_lock_take(&r->lock);
    if (r->ring.count >= sizeof(h)) {
        ring_peek(&r->ring, 0, &h, sizeof(h));
        n = (long)h.len;
    }
    bsock__sys_lock_give(&r->lock);
    return n;
}

/* How much one write can be sure to fit: the room less one header, 0 when
 * that is less than the MTU. */
static long write_guarantee(BIO *b)
{
    struct pair *p = b->ptr;
    size_t room;

    bsock__sys_lock_take(&p->lock);
    room = p->ring.len - p->ring.count;
    if (room >= sizeof(struct header))
        room -= sizeof(struct header);
    bsock__sys_lock_give(&p->lock);
    return room < p->mtu ? 0 : (long)room;
}

/* Whether b may ask for local addresses: the side it reads from both
 * takes source addresses and gives destination addresses. */
static int local_addr_cap(const BIO *b)
{
    const struct pair *r;

    if (!b->init)
        return 0;
    r = read_side(b);
    return (~r->caps
            & (BIO_DGRAM_CAP_HANDLES_SRC_ADDR
               | BIO_DGRAM_CAP_PROVIDES_DST_ADDR))
           == 0;
}

static long mem_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    struct pair *p = b->ptr;

    switch (cmd) {
    case BIO_C_SET_WRITE_BUF_SIZE:
        return set_buf_size(b, (size_t)num);
    case BIO_C_GET_WRITE_BUF_SIZE:
        return (long)p->buf_len;
    case BIO_CTRL_RESET:
        bsock__sys_lock_take(&p->lock);
        p->ring.head = p->ring.count = 0;
        bsock__sys_lock_give(&p->lock);
        return 1;
    case BIO_C_GET_WRITE_GUARANTEE:
        return write_guarantee(b);
    case BIO_CTRL_PENDING:
        return pending(b);
    case BIO_CTRL_FLUSH:
        return 1;
    case BIO_CTRL_DGRAM_GET_NO_TRUNC:
        return p->no_trunc;
    case BIO_CTRL_DGRAM_SET_NO_TRUNC:
        p->no_trunc = num > 0;
        return 1;
    case BIO_CTRL_DGRAM_GET_LOCAL_ADDR_ENABLE:
        /* OpenSSL's answers 1 and leaves *ptr as it was; the flag is
         * written here too (better). */
        if (ptr != NULL)
            *(int *)ptr = p->local_enable;
        return 1;
    case BIO_CTRL_DGRAM_SET_LOCAL_ADDR_ENABLE:
        if (!local_addr_cap(b))
            return 0;
        p->local_enable = num != 0;
        return 1;
    case BIO_CTRL_DGRAM_GET_LOCAL_ADDR_CAP:
        return local_addr_cap(b);
    case BIO_CTRL_DGRAM_GET_EFFECTIVE_CAPS:
    case BIO_CTRL_DGRAM_GET_CAPS:
        return (long)p->caps;
    case BIO_CTRL_DGRAM_SET_CAPS:
        p->caps = (uint32_t)num;
        return 1;
    case BIO_CTRL_DGRAM_GET_MTU:
        return (long)p->mtu;
    case BIO_CTRL_DGRAM_SET_MTU:
        p->mtu = (uint32_t)num;
        if (p->peer != NULL)
            ((struct pair *)p->peer->ptr)->mtu = p->mtu;
        return 1;
    case BIO_CTRL_DGRAM_SET0_LOCAL_ADDR:
        BIO_ADDR_free(p->local);
        p->local = ptr;
        return 1;
    case BIO_CTRL_EOF:
        return !b->init;
    default:
        return 0;
    }
}

static long pair_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    struct pair *p = b->ptr;

    switch (cmd) {
    case BIO_C_MAKE_BIO_PAIR:
        return make_pair(b, ptr);
    case BIO_C_DESTROY_BIO_PAIR:
        unpair(b);
        return 1;
    case BIO_CTRL_DGRAM_GET_EFFECTIVE_CAPS: /* what the other end handles */
        return p->peer != NULL ? (long)((struct pair *)p->peer->ptr)->caps : 0;
    default:
        return mem_ctrl(b, cmd, num, ptr);
    }
}

/* ---------------------------------------------------------------------
 * Reading and writing: each returns the count or -reason (BIO_R_*), and
 * -BIO_R_NON_FATAL when it would block (no datagram, no room, or a
 * datagram longer than the room with no_trunc).
 */

static long read_one(BIO *b, void *buf, size_t size, BIO_ADDR *local,
                     BIO_ADDR *peer, int retry_flags)
{
    struct pair *p = b->ptr, *r;
    struct header h;
    size_t n;

    if (retry_flags)
        BIO_clear_retry_flags(b);
    if (!b->init)
        return -BIO_R_UNINITIALIZED;
    r = read_side(b);
    if (r->ring.start == NULL)
        return -BIO_R_TRANSFER_ERROR;
    if (size > 0 && buf == NULL)
        return -BIO_R_INVALID_ARGUMENT;
    if (local != NULL && !p->local_enable)
        return -BIO_R_LOCAL_ADDR_NOT_AVAILABLE;
    if (r->ring.count < sizeof(h)) {
        if (retry_flags)
            BIO_set_retry_read(b);
        return -BIO_R_NON_FATAL;
    }
    ring_peek(&r->ring, 0, &h, sizeof(h));
    if (size < h.len && p->no_trunc)
        return -BIO_R_NON_FATAL;
    n = size < h.len ? size : h.len;
    ring_peek(&r->ring, sizeof(h), buf, n);
    ring_drop(&r->ring, sizeof(h) + h.len);
    if (local != NULL)
        *local = h.dst;
    if (peer != NULL)
        *peer = h.src;
    return (long)n;
}

/* Room for n more bytes in p's buffer, growing it where it may (by 8/5
 * steps, as OpenSSL's). */
static int make_room(struct pair *p, size_t n)
{
    size_t len = p->ring.len;

    if (p->ring.len - p->ring.count >= n)
        return 1;
    if (!p->grows)
        return 0;
    while (len - p->ring.count < n) {
        if (len > SIZE_MAX / 16)
            return 0;
        len = len / 5 * 8 + 8;
    }
    if (!ring_resize(&p->ring, len))
        return 0;
    p->buf_len = len;
    return 1;
}

static long write_one(BIO *b, const void *buf, size_t size,
                      const BIO_ADDR *local, const BIO_ADDR *peer,
                      int retry_flags)
{
    struct pair *p = b->ptr;
    struct header h;

    if (retry_flags)
        BIO_clear_retry_flags(b);
    if (!b->init)
        return -BIO_R_UNINITIALIZED;
    if (p->ring.start == NULL)
        return -BIO_R_TRANSFER_ERROR;
    if (size > 0 && buf == NULL)
        return -BIO_R_INVALID_ARGUMENT;
    if (local != NULL && !p->local_enable)
        return -BIO_R_LOCAL_ADDR_NOT_AVAILABLE;
    if (peer != NULL
        && (read_side(b)->caps & BIO_DGRAM_CAP_HANDLES_DST_ADDR) == 0)
        return -BIO_R_PEER_ADDR_NOT_AVAILABLE;
    if (size > SIZE_MAX - sizeof(h) || !make_room(p, sizeof(h) + size)) {
        if (retry_flags)
            BIO_set_retry_write(b);
        return -BIO_R_NON_FATAL;
    }
    memset(&h, 0, sizeof(h));
    h.len = size;
    if (peer != NULL)
        h.dst = *peer;
    if (local == NULL)
        local = p->local;
    if (local != NULL)
        h.src = *local;
    ring_put(&p->ring, &h, sizeof(h));
    ring_put(&p->ring, buf, size);
    return (long)size;
}

/* BIO_read: one datagram, -1 with the retry flag when there is none (no
 * entry), -1 with an entry for a BIO that cannot read. */
static int pair_read(BIO *b, char *buf, int size)
{
    struct pair *p = b->ptr, *r;
    long n;

    if (size < 0) {
        BSOCK_RAISE_IN("dgram_pair_read", ERR_LIB_BIO, BIO_R_INVALID_ARGUMENT,
                       NULL);
        return -1;
    }
    if (b->method == &pair_method && p->peer == NULL) {
        BSOCK_RAISE_IN("dgram_pair_read", ERR_LIB_BIO, BIO_R_BROKEN_PIPE,
                       NULL);
        return -1;
    }
    r = read_side(b);
    bsock__sys_lock_take(&r->lock);
    n = read_one(b, buf, (size_t)size, NULL, NULL, 1);
    bsock__sys_lock_give(&r->lock);
    if (n < 0 && n != -BIO_R_NON_FATAL)
        BSOCK_RAISE_IN(b->method == &pair_method ? "dgram_pair_read"
                                                 : "dgram_mem_read",
                       ERR_LIB_BIO, (int)-n, NULL);
    return n < 0 ? -1 : (int)n;
}

/* BIO_write: one datagram, -1 with BIO_R_NON_FATAL and the retry flag
 * when the buffer is full. */
static int pair_write(BIO *b, const char *buf, int size)
{
    struct pair *p = b->ptr;
    long n;

    if (size < 0) {
        BSOCK_RAISE_IN("dgram_pair_write", ERR_LIB_BIO, BIO_R_INVALID_ARGUMENT,
                       NULL);
        return -1;
    }
    bsock__sys_lock_take(&p->lock);
    n = write_one(b, buf, (size_t)size, NULL, NULL, 1);
    bsock__sys_lock_give(&p->lock);
    if (n < 0)
        BSOCK_RAISE_IN("dgram_pair_write", ERR_LIB_BIO, (int)-n, NULL);
    return n < 0 ? -1 : (int)n;
}

/* The batches: as many as go, the first failure's reason raised only when
 * none went.  A send holds b's lock, a receive the lock of the side it
 * reads. */
static int pair_batch(BIO *b, BIO_MSG *msg, size_t stride, size_t num_msg,
                      size_t *processed, int send)
{
    struct pair *locked = send ? b->ptr : read_side(b);
    size_t i;
    long n = 0;

    if (num_msg == 0)
        return 1;
    bsock__sys_lock_take(&locked->lock);
    for (i = 0; i < num_msg; i++) {
        BIO_MSG *m = &BSOCK_BIO_MSG_N(msg, stride, i);

        n = send ? write_one(b, m->data, m->data_len, m->local, m->peer, 0)
                 : read_one(b, m->data, m->data_len, m->local, m->peer, 0);
        if (n < 0)
            break;
        if (!send)
            m->data_len = (size_t)n;
        m->flags = 0;
    }
    bsock__sys_lock_give(&locked->lock);
    *processed = i;
    if (i == 0 && n < 0) {
        BSOCK_RAISE_IN(send ? "dgram_pair_sendmmsg" : "dgram_pair_recvmmsg",
                       ERR_LIB_BIO, (int)-n, NULL);
        return 0;
    }
    return 1;
}

static int pair_sendmmsg(BIO *b, BIO_MSG *msg, size_t stride, size_t num_msg,
                         uint64_t flags, size_t *processed)
{
    (void)flags; /* none is defined */
    return pair_batch(b, msg, stride, num_msg, processed, 1);
}

static int pair_recvmmsg(BIO *b, BIO_MSG *msg, size_t stride, size_t num_msg,
                         uint64_t flags, size_t *processed)
{
    (void)flags;
    return pair_batch(b, msg, stride, num_msg, processed, 0);
}

static const BIO_METHOD pair_method = {BIO_TYPE_DGRAM_PAIR,
                                       "BIO dgram pair",
                                       pair_write,
                                       pair_read,
                                       NULL,
                                       NULL,
                                       pair_ctrl,
                                       pair_create,
                                       pair_destroy,
                                       NULL,
                                       pair_sendmmsg,
                                       pair_recvmmsg};

static const BIO_METHOD mem_method = {BIO_TYPE_DGRAM_MEM,
                                      "BIO dgram mem",
                                      pair_write,
                                      pair_read,
                                      NULL,
                                      NULL,
                                      mem_ctrl,
                                      mem_create,
                                      pair_destroy,
                                      NULL,
                                      pair_sendmmsg,
                                      pair_recvmmsg};

const BIO_METHOD *BIO_s_dgram_pair(void)
{
    return &pair_method;
}

const BIO_METHOD *BIO_s_dgram_mem(void)
{
    return &mem_method;
}

int BIO_new_bio_dgram_pair(BIO **bio1, size_t writebuf1, BIO **bio2,
                           size_t writebuf2)
{
    BIO *b1, *b2;

    if (bio1 == NULL || bio2 == NULL) { /* better: OpenSSL writes through */
        BSOCK_RAISE(ERR_LIB_BIO, ERR_R_PASSED_NULL_PARAMETER, NULL);
        return 0;
    }
    b1 = BIO_new(&pair_method);
    b2 = BIO_new(&pair_method);
    if (b1 == NULL || b2 == NULL
        || (writebuf1 > 0 && !BIO_set_write_buf_size(b1, (long)writebuf1))
        || (writebuf2 > 0 && !BIO_set_write_buf_size(b2, (long)writebuf2))
        || !BIO_make_bio_pair(b1, b2)) {
        BIO_free(b1);
        BIO_free(b2);
        b1 = b2 = NULL;
    }
    *bio1 = b1;
    *bio2 = b2;
    return b1 != NULL;
}
