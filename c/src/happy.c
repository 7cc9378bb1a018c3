/*
 * happy.c - Happy Eyeballs (RFC 8305): connect to the first of several
 * addresses that answers, racing them instead of waiting out each one's
 * TCP timeout.  A biosock extension, built on BIO_socket and BIO_connect.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "internal.h"
#include "sys.h"

#define MAX_ATTEMPTS 64
#define DEFAULT_DELAY_MS 250
#define MIN_DELAY_MS 10 /* RFC 8305 section 5: MUST NOT be less */
#define HAPPY_OPTIONS                                                         \
    (BIO_SOCK_KEEPALIVE | BIO_SOCK_NONBLOCK | BIO_SOCK_NODELAY)

/* Times are microseconds of a monotonic clock: a deadline in whole
 * milliseconds of a clock rounded down could fall almost at once. */
static long long now_us(void)
{
    return bsock_sys_now_us();
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

/* RFC 8305 section 4: the first address's family first, then the families
 * alternate, each keeping its own order. */
static size_t interleave(const BIO_ADDR *const *addrs, size_t n,
                         const BIO_ADDR **out)
{
    size_t i, k = 0, taken[2] = {0, 0};
    int first = n > 0 ? BIO_ADDR_family(addrs[0]) : AF_UNSPEC, turn = 0;

    if (n > MAX_ATTEMPTS)
        n = MAX_ATTEMPTS;
    while (k < n) {
        int want_first = turn == 0, found = 0;

        for (i = taken[turn]; i < n; i++)
            if ((BIO_ADDR_family(addrs[i]) == first) == want_first) {
                out[k++] = addrs[i];
                taken[turn] = i + 1;
                found = 1;
                break;
            }
        if (!found)
            taken[turn] = n;
        turn = !turn;
    }
    return k;
}

struct race {
    struct pollfd pfd[MAX_ATTEMPTS];
    size_t pending;
    int last_errno;
};

/* A pending attempt failed with err: push its entries, close it. */
static void lost(struct race *r, size_t i, int err, int reason)
{
    const char *func = "biosock_connect_any";

    BSOCK_RAISE_SYS_BIO_IN(func, err, "connect", reason);
    bsock_close_keep_errno(r->pfd[i].fd);
    r->pfd[i] = r->pfd[--r->pending];
    r->last_errno = err;
}

/* Start one attempt; its fd when the connect completed at once, -1 when it
 * is pending or failed (entries pushed by BIO_socket/BIO_connect). */
static int start(struct race *r, const BIO_ADDR *addr, int options)
{
    int fd = BIO_socket(BIO_ADDR_family(addr), SOCK_STREAM, 0, 0);

    if (fd < 0) {
        r->last_errno = bsock_errno();
        return -1;
    }
    if (BIO_connect(fd, addr, options | BIO_SOCK_NONBLOCK))
        return fd;
    if (bsock_sys_in_progress(bsock_errno())) {
        r->pfd[r->pending].fd = fd;
        r->pfd[r->pending].events = POLLOUT;
        r->pfd[r->pending].revents = 0;
        r->pending++;
        return -1;
    }
    r->last_errno = bsock_errno();
    bsock_close_keep_errno(fd);
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

            r->pfd[i] = r->pfd[--r->pending];
            return fd;
        }
        lost(r, i, err, BIO_R_CONNECT_ERROR);
    }
    return -1;
}

int biosock_connect_any(const BIO_ADDR *const *addrs, size_t n, int options,
                        int attempt_delay_ms, int timeout_ms)
{
    const BIO_ADDR *order[MAX_ATTEMPTS];
    struct race r;
    size_t count, next = 0;
    long long deadline = timeout_ms > 0 ? now_us() + timeout_ms * 1000LL : -1;
    long long next_at = 0;
    int depth = bsock__err_depth(), winner = -1, poll_errno = 0;

    if (addrs == NULL && n != 0) {
        BSOCK_NULL_ARG();
        return BSOCK_INVALID_FD;
    }
    if ((options & ~HAPPY_OPTIONS) != 0) {
        BSOCK_BAD_ARG_IN(__func__);
        return BSOCK_INVALID_FD;
    }
    if (attempt_delay_ms < 0)
        attempt_delay_ms = DEFAULT_DELAY_MS;
    else if (attempt_delay_ms < MIN_DELAY_MS)
        attempt_delay_ms = MIN_DELAY_MS;
    count = interleave(addrs, n, order);
    r.pending = 0;
    r.last_errno = BSOCK_EHOSTUNREACH;
    while (winner < 0 && (next < count || r.pending > 0)) {
        long long now = now_us();
        /* At the deadline, one last look (poll with no wait) takes an
         * attempt that connected while this thread was not running. */
        int last = deadline >= 0 && now >= deadline, wait, ready;
        size_t before;

        if (last && r.pending == 0)
            break;
        if (!last && next < count && now >= next_at) {
            before = r.pending;
            winner = start(&r, order[next++], options);
            /* Pending: the next waits the delay; failed: it starts now. */
            next_at =
                r.pending > before ? now + attempt_delay_ms * 1000LL : now;
            continue;
        }
        wait = last ? 0
                    : min_wait(next < count ? ms_until(next_at, now) : -1,
                               ms_until(deadline, now));
        ready = bsock_sys_poll(r.pfd, (unsigned)r.pending, wait);
        if (ready < 0) {
            if (bsock_errno() == BSOCK_EINTR)
                continue;
            poll_errno = bsock_errno();
            BSOCK_RAISE_SYS(bsock_errno(), "poll");
            break;
        }
        before = r.pending;
        if (ready > 0 && (winner = reap(&r)) < 0 && r.pending < before)
            next_at = now_us(); /* one failed: the next starts now */
        if (last)
            break;
    }
    /* Still pending when the race ended: losers to a winner or to a failed
     * poll are just closed; those the timeout cut off are reported. */
    while (r.pending > 0) {
        if (winner >= 0 || poll_errno != 0) {
            bsock_close_keep_errno(r.pfd[--r.pending].fd);
            continue;
        }
        lost(&r, r.pending - 1, BSOCK_ETIMEDOUT, BIO_R_CONNECT_TIMEOUT);
    }
    if (winner < 0) {
        if (count == 0)
            BSOCK_RAISE(ERR_LIB_BIO, BIO_R_LOOKUP_RETURNED_NOTHING, NULL);
        bsock_set_errno(poll_errno != 0 ? poll_errno : r.last_errno);
        return BSOCK_INVALID_FD;
    }
    /* Won: the failed attempts' entries go, and the mode is the caller's. */
    bsock__err_pop_to_depth(depth);
    if (!(options & BIO_SOCK_NONBLOCK) && !BIO_socket_nbio(winner, 0)) {
        bsock_close_keep_errno(winner);
        return BSOCK_INVALID_FD;
    }
    return winner;
}

int biosock_connect_happy(const char *host, const char *service, int options,
                          int attempt_delay_ms, int timeout_ms)
{
    const BIO_ADDR *addrs[MAX_ATTEMPTS];
    BIO_ADDRINFO *res = NULL;
    const BIO_ADDRINFO *ai;
    size_t n = 0;
    int fd, err;

    if (!BIO_lookup_ex(host, service, BIO_LOOKUP_CLIENT, AF_UNSPEC,
                       SOCK_STREAM, 0, &res))
        return BSOCK_INVALID_FD;
    for (ai = res; ai != NULL && n < MAX_ATTEMPTS; ai = BIO_ADDRINFO_next(ai))
        addrs[n++] = BIO_ADDRINFO_address(ai);
    fd = biosock_connect_any(addrs, n, options, attempt_delay_ms, timeout_ms);
    err = bsock_errno();
    BIO_ADDRINFO_free(res);
    bsock_set_errno(err);
    return fd;
}
