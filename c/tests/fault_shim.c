/*
 * fault_shim.c - an LD_PRELOAD library that makes a chosen socket syscall
 * fail.  The program under test arms it (fault_arm: fail the k-th wrapped
 * call from now on with err, k = 0 never) and disarms it (fault_disarm: how
 * many wrapped calls there were); fault_name(i) names the i-th of them.
 * Only the libc entry points a socket library calls are wrapped (poll and
 * select for the waits); the same
 * shim serves biosock and OpenSSL's libcrypto, neither of which is changed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_CALLS 64

static int armed, target, fail_errno, calls;
static const char *names[MAX_CALLS];

void fault_arm(int k, int err)
{
    armed = 1;
    target = k;
    fail_errno = err;
    calls = 0;
}

int fault_disarm(void)
{
    armed = 0;
    return calls;
}

const char *fault_name(int i)
{
    return i >= 0 && i < calls && i < MAX_CALLS ? names[i] : "";
}

/* Count a call; 1 when this one is to fail. */
static int hit(const char *name)
{
    if (!armed)
        return 0;
    if (calls < MAX_CALLS)
        names[calls] = name;
    return ++calls == target;
}

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))
#define FAIL_OR(name, call)                                                   \
    do {                                                                      \
        if (hit(#name)) {                                                     \
            errno = fail_errno;                                               \
            return -1;                                                        \
        }                                                                     \
        return call;                                                          \
    } while (0)

int socket(int d, int t, int p)
{
    FAIL_OR(socket, REAL(socket)(d, t, p));
}

int bind(int s, const struct sockaddr *a, socklen_t l)
{
    FAIL_OR(bind, REAL(bind)(s, a, l));
}

int connect(int s, const struct sockaddr *a, socklen_t l)
{
    FAIL_OR(connect, REAL(connect)(s, a, l));
}

int listen(int s, int n)
{
    FAIL_OR(listen, REAL(listen)(s, n));
}

int accept(int s, struct sockaddr *a, socklen_t *l)
{
    FAIL_OR(accept, REAL(accept)(s, a, l));
}

int accept4(int s, struct sockaddr *a, socklen_t *l, int f)
{
    FAIL_OR(accept4, REAL(accept4)(s, a, l, f));
}

int setsockopt(int s, int lv, int n, const void *v, socklen_t l)
{
    FAIL_OR(setsockopt, REAL(setsockopt)(s, lv, n, v, l));
}

int getsockopt(int s, int lv, int n, void *v, socklen_t *l)
{
    FAIL_OR(getsockopt, REAL(getsockopt)(s, lv, n, v, l));
}

int getsockname(int s, struct sockaddr *a, socklen_t *l)
{
    FAIL_OR(getsockname, REAL(getsockname)(s, a, l));
}

int poll(struct pollfd *f, nfds_t n, int t)
{
    FAIL_OR(poll, REAL(poll)(f, n, t));
}

int select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *t)
{
    FAIL_OR(select, REAL(select)(n, r, w, e, t));
}

int ioctl(int fd, unsigned long req, ...)
{
    va_list ap;
    void *arg;

    va_start(ap, req);
    arg = va_arg(ap, void *);
    va_end(ap);
    FAIL_OR(ioctl, REAL(ioctl)(fd, req, arg));
}

/* biosock makes its ioctl() calls through syscall(2) with glibc on Linux
 * (sys_posix.h): that one is ioctl too; any other syscall passes. */
long syscall(long n, ...)
{
    va_list ap;
    long a[6];
    int i;

    va_start(ap, n);
    for (i = 0; i < 6; i++)
        a[i] = va_arg(ap, long);
    va_end(ap);
    if (n == SYS_ioctl && hit("ioctl")) {
        errno = fail_errno;
        return -1;
    }
    return REAL(syscall)(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int fcntl(int fd, int cmd, ...)
{
    va_list ap;
    long arg;

    va_start(ap, cmd);
    arg = va_arg(ap, long);
    va_end(ap);
    FAIL_OR(fcntl, REAL(fcntl)(fd, cmd, arg));
}

int close(int fd)
{
    /* close: the fd is gone even when it "fails" (EINTR, EIO). */
    if (hit("close")) {
        REAL(close)(fd);
        errno = fail_errno;
        return -1;
    }
    return REAL(close)(fd);
}
