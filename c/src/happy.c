/*
 * happy.c - Happy Eyeballs (RFC 8305): connect to the first of several
 * addresses that answers, racing them instead of waiting out each one's
 * TCP timeout.  A biosock extension, built on BIO_socket's and
 * BIO_connect's steps: an attempt that fails pushes nothing while the race
 * runs; the race keeps what each would have pushed and the public function
 * pushes it only when the race is lost.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "internal.h"
#include "sys.h"

/* Attempts in flight at once: a new one waits for a slot beyond that, so
 * memory is bounded however many addresses there are. */
#define MAX_IN_FLIGHT 64

/* Times are microseconds of a monotonic clock: a deadline in whole
 * milliseconds of a clock rounded down could fall almost at once. */
static long long now_us(void)
{
    return bsock__sys_now_us();
}

/* A poll timeout until `until` (-1: none): whole milliseconds rounded up,
 * so that poll never returns before it; at least 0. */
static int ms_until(long long until, long long now)
{
    long long left;

    if (until < 0)
        return -1;
    left = until - now;
    if (left <= 0)
        return 0;
    left = (left + 999) / 1000;
    return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

/* The smaller of two poll timeouts, where -1 is "none". */
static int min_wait(int a, int b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

/* Where the addresses come from: an array, or a lookup's list. */
struct source {
    const BIO_ADDR *const *addrs; /* NULL: list */
    size_t n;
    const BIO_ADDRINFO *list;
};

/* A place in a source: an index into the array, or a node of the list. */
struct cursor {
    size_t i;
    const BIO_ADDRINFO *ai;
};

static const BIO_ADDR *at(const struct source *src, const struct cursor *c)
{
    if (src->addrs != NULL)
        return c->i < src->n ? src->addrs[c->i] : NULL;
    return c->ai != NULL ? BIO_ADDRINFO_address(c->ai) : NULL;
}

static void advance(const struct source *src, struct cursor *c)
{
    c->i++;
    if (src->addrs == NULL)
        c->ai = BIO_ADDRINFO_next(c->ai);
}

/* RFC 8305 section 4, taken one address at a time: the first address's
 * family first, then the families alternate, each keeping its own order.
 * Each family has its cursor, which only moves forward. */
struct order {
    const struct source *src;
    struct cursor at[2]; /* [0]: the first family's, [1]: the others' */
    int first, turn;
};

static void order_init(struct order *o, const struct source *src)
{
    struct cursor start = {0, src->list};
    const BIO_ADDR *a = at(src, &start);

    o->src = src;
    o->at[0] = o->at[1] = start;
    o->first = a != NULL ? BIO_ADDR_family(a) : AF_UNSPEC;
    o->turn = 0;
}

/* The next address to try, its index in *index; NULL when there is none
 * left. */
static const BIO_ADDR *next_addr(struct order *o, size_t *index)
{
    int tries;

    for (tries = 0; tries < 2; tries++, o->turn = !o->turn) {
        struct cursor *c = &o->at[o->turn];
        const BIO_ADDR *a;

        for (; (a = at(o->src, c)) != NULL; advance(o->src, c))
            if ((BIO_ADDR_family(a) == o->first) == (o->turn == 0)) {
                *index = c->i;
                advance(o->src, c);
                o->turn = !o->turn;
                return a;
            }
    }
    return NULL;
}

/* The newest failures of a race: each pushes one or two entries, so the
 * newest ERR_NUM_ERRORS - 1 cover every entry the queue can keep. */
#define KEPT (ERR_NUM_ERRORS - 1)

struct race {
    struct pollfd pfd[MAX_IN_FLIGHT];
    size_t addr_index[MAX_IN_FLIGHT]; /* pfd[i]'s address */
    size_t pending;
    int last_errno;
    int *errs; /* NULL, or each address's errno (biosock_connect_any) */
    struct failure {
        int err;
        struct bsock__fail f; /* f.func always set */
    } failed[KEPT];
    size_t n_failed; /* in all; failed[] keeps the newest */
};

/* Keep a failure err (-errno) for the push if the race is lost. */
static void keep(struct race *r, int err, const struct bsock__fail *f,
                 const char *func)
{
    struct failure *x = &r->failed[r->n_failed++ % KEPT];

    x->err = err;
    x->f = *f;
    if (x->f.func == NULL)
        x->f.func = func;
}

/* The attempt on address index ended with err (0: not a failure). */
static void ended(struct race *r, size_t index, int err)
{
    r->last_errno = err;
    if (r->errs != NULL)
        r->errs[index] = err;
}

/* A pending attempt failed with err: keep its entries, close it. */
static void lost(struct race *r, size_t i, int err, int reason)
{
    struct bsock__fail f;

    keep(r, bsock__failed(&f, BSOCK_CALLING("connect"), reason, -err), &f,
         "biosock_connect_any");
    bsock__close_keep_errno(r->pfd[i].fd);
    ended(r, r->addr_index[i], err);
    r->pending--;
    r->pfd[i] = r->pfd[r->pending];
    r->addr_index[i] = r->addr_index[r->pending];
}

/* Start one attempt, as BIO_socket and BIO_connect would: its fd when the
 * connect completed at once, -1 when it is pending or failed. */
static int start(struct race *r, const BIO_ADDR *addr, size_t index,
                 int options)
{
    struct bsock__fail f;
    int fd = bsock__socket_steps(BIO_ADDR_family(addr), SOCK_STREAM, 0, &f);
    int err;

    if (fd < 0) {
        keep(r, fd, &f, "BIO_socket");
        ended(r, index, -fd);
        return -1;
    }
    err = bsock__connect_steps(fd, addr, options | BIO_SOCK_NONBLOCK, &f);
    if (err == 0)
        return fd;
    if (bsock__sys_in_progress(-err)) {
        r->pfd[r->pending].fd = fd;
        r->pfd[r->pending].events = POLLOUT;
        r->pfd[r->pending].revents = 0;
        r->addr_index[r->pending] = index;
        r->pending++;
        return -1;
    }
    keep(r, err, &f, "BIO_connect");
    ended(r, index, -err);
    bsock__close_keep_errno(fd);
    return -1;
}

/* Reap the attempts poll reported: the first that connected wins. */
static int reap(struct race *r)
{
    size_t i = 0;

    while (i < r->pending) {
        int err;

        if (r->pfd[i].revents == 0) {
            i++;
            continue;
        }
        err = BIO_sock_error(r->pfd[i].fd);
        if (err == 0) {
            int fd = r->pfd[i].fd;

            r->pending--;
            r->pfd[i] = r->pfd[r->pending];
            r->addr_index[i] = r->addr_index[r->pending];
            return fd;
        }
        lost(r, i, err, BIO_R_CONNECT_ERROR);
    }
    return -1;
}

/* The race over src: the winner's fd, or -errno with r->failed holding
 * what to push (raise_lost). */
static int race(struct race *r, const struct source *src, int options,
                int attempt_delay_ms, int timeout_ms, int *errs)
{
    struct order o;
    struct bsock__fail f;
    const BIO_ADDR *upcoming;
    size_t upcoming_index = 0;
    long long deadline = timeout_ms > 0 ? now_us() + timeout_ms * 1000LL : -1;
    long long next_at = 0;
    int winner = -1, poll_errno = 0, started = 0;

    if (attempt_delay_ms < 0)
        attempt_delay_ms = BIOSOCK_HE_DEFAULT_DELAY_MS;
    else if (attempt_delay_ms < BIOSOCK_HE_MIN_DELAY_MS)
        attempt_delay_ms = BIOSOCK_HE_MIN_DELAY_MS;
    order_init(&o, src);
    upcoming = next_addr(&o, &upcoming_index);
    r->pending = 0;
    r->last_errno = BSOCK_EHOSTUNREACH;
    r->errs = errs;
    r->n_failed = 0;
    while (winner < 0 && (upcoming != NULL || r->pending > 0)) {
        long long now = now_us();
        /* At the deadline, one last look (poll with no wait) takes an
         * attempt that connected while this thread was not running.  The
         * first attempt starts even when the deadline has passed already
         * (this thread was preempted): a race tries at least once. */
        int last = deadline >= 0 && now >= deadline && started, wait, ready;
        int can_start = upcoming != NULL && r->pending < MAX_IN_FLIGHT;
        size_t before;

        if (last && r->pending == 0)
            break;
        if (!last && can_start && now >= next_at) {
            before = r->pending;
            winner = start(r, upcoming, upcoming_index, options);
            started = 1;
            upcoming = next_addr(&o, &upcoming_index);
            /* Pending: the next waits the delay; failed: it starts now. */
            next_at =
                r->pending > before ? now + attempt_delay_ms * 1000LL : now;
            continue;
        }
        wait = last ? 0
                    : min_wait(can_start ? ms_until(next_at, now) : -1,
                               ms_until(deadline, now));
        ready = bsock__sys_poll(r->pfd, (unsigned)r->pending, wait);
        if (ready < 0) {
            if (-ready == BSOCK_EINTR)
                continue;
            poll_errno = -ready;
            keep(r, bsock__failed(&f, BSOCK_CALLING("poll"), 0, ready), &f,
                 "biosock_connect_any");
            break;
        }
        before = r->pending;
        if (ready > 0 && (winner = reap(r)) < 0 && r->pending < before)
            next_at = now_us(); /* one failed: the next starts now */
        if (last)
            break;
    }
    /* Still pending when the race ended: losers to a winner or to a failed
     * poll are just closed; those the timeout cut off are reported. */
    while (r->pending > 0) {
        if (winner >= 0 || poll_errno != 0) {
            bsock__close_keep_errno(r->pfd[--r->pending].fd);
            continue;
        }
        lost(r, r->pending - 1, BSOCK_ETIMEDOUT, BIO_R_CONNECT_TIMEOUT);
    }
    if (winner < 0) {
        int err = poll_errno != 0 ? poll_errno : r->last_errno;

        bsock__set_errno(err);
        return -err;
    }
    /* Won: the mode is the caller's.  Only that failure is then pushed. */
    if (!(options & BIO_SOCK_NONBLOCK)) {
        int err = bsock__set_nbio(winner, 0, &f);

        if (err != 0) {
            bsock__close_keep_errno(winner);
            r->n_failed = 0;
            keep(r, err, &f, NULL);
            return err;
        }
    }
    return winner;
}

/* Push a lost race's failures, oldest first (the queue keeps the newest,
 * as always). */
static BSOCK_NOINLINE BSOCK_COLD void raise_lost(const struct race *r)
{
    size_t k = r->n_failed > KEPT ? r->n_failed - KEPT : 0;

    for (; k < r->n_failed; k++) {
        const struct failure *x = &r->failed[k % KEPT];

        bsock__err_put_fail(x->err, &x->f, x->f.func, __FILE__, __LINE__);
    }
}

/* What no race can take: options beyond BIOSOCK_HAPPY_OPTIONS. */
static int options_bad(int options)
{
    return (options & ~BIOSOCK_HAPPY_OPTIONS) != 0;
}

size_t biosock_connect_order(const BIO_ADDR *const *addrs, size_t n,
                             size_t *order)
{
    struct source src = {addrs, n, NULL};
    struct order o;
    size_t k = 0, index;

    if (n != 0 && (addrs == NULL || order == NULL)) {
        BSOCK_NULL_ARG();
        return 0;
    }
    order_init(&o, &src);
    while (k < n && next_addr(&o, &index) != NULL)
        order[k++] = index;
    return k;
}

int biosock_connect_any(const BIO_ADDR *const *addrs, size_t n, int options,
                        int attempt_delay_ms, int timeout_ms, int *errs)
{
    struct source src = {addrs, n, NULL};
    struct race r;
    size_t i;
    int fd;

    if (addrs == NULL && n != 0) {
        BSOCK_NULL_ARG();
        return BSOCK_INVALID_FD;
    }
    if (options_bad(options)) {
        BSOCK_BAD_ARG_IN(__func__);
        return BSOCK_INVALID_FD;
    }
    if (n == 0) {
        BSOCK_RAISE(ERR_LIB_BIO, BIO_R_INVALID_ARGUMENT,
                    "no address to connect to");
        bsock__set_errno(BSOCK_EINVAL);
        return BSOCK_INVALID_FD;
    }
    for (i = 0; errs != NULL && i < n; i++)
        errs[i] = 0;
    if ((fd = race(&r, &src, options, attempt_delay_ms, timeout_ms, errs))
        < 0) {
        raise_lost(&r);
        return BSOCK_INVALID_FD;
    }
    return fd;
}

int biosock_connect_happy(const char *host, const char *service, int options,
                          int attempt_delay_ms, int timeout_ms)
{
    BIO_ADDRINFO *res = NULL;
    struct source src = {NULL, 0, NULL};
    struct race r;
    int fd, err;

    if (options_bad(options)) {
        BSOCK_BAD_ARG_IN(__func__);
        return BSOCK_INVALID_FD;
    }
    if (!BIO_lookup_ex(host, service, BIO_LOOKUP_CLIENT, AF_UNSPEC,
                       SOCK_STREAM, 0, &res))
        return BSOCK_INVALID_FD;
    src.list = res;
    fd = race(&r, &src, options, attempt_delay_ms, timeout_ms, NULL);
    err = bsock__errno();
    BIO_ADDRINFO_free(res);
    if (fd < 0)
        raise_lost(&r);
    bsock__set_errno(err);
    return fd < 0 ? BSOCK_INVALID_FD : fd;
}
