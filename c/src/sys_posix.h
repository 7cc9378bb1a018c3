/*
 * sys_posix.h - the platform layer's POSIX half (included by sys.h, never
 * on its own): Linux, the BSDs, macOS, illumos.
 */
#ifndef BIOSOCK_SYS_POSIX_H
#define BIOSOCK_SYS_POSIX_H
/* ---------------------------------------------------------------------
 * POSIX.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif
#include <sys/time.h>
#include <unistd.h>

#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__)         \
    || defined(__OpenBSD__) || defined(__DragonFly__) || defined(__sun)
#define BSOCK_HAVE_ACCEPT4 1
#endif

/* Datagram options (sys.h's batches): local addresses as IP_PKTINFO and
 * IPV6_PKTINFO; Linux's path MTU and MTU discovery; don't-fragment. */
#if defined(IP_PKTINFO) && defined(IPV6_RECVPKTINFO) && defined(IPV6_PKTINFO)
#define BSOCK_HAS_PKTINFO 1
#else
#define BSOCK_HAS_PKTINFO 0
#endif
#if defined(__linux__) && defined(IP_MTU) && defined(IPV6_MTU)                \
    && defined(IP_MTU_DISCOVER) && defined(IP_PMTUDISC_DO)                    \
    && defined(IPV6_MTU_DISCOVER) && defined(IPV6_PMTUDISC_DO)
#define BSOCK_HAS_PATH_MTU 1
#else
#define BSOCK_HAS_PATH_MTU 0
#endif
#if defined(IP_DONTFRAG) || defined(IPV6_DONTFRAG)                            \
    || (defined(__linux__) && defined(IP_PMTUDISC_PROBE))
#define BSOCK_HAS_DONT_FRAG 1
#else
#define BSOCK_HAS_DONT_FRAG 0
#endif

#if defined(__APPLE__) && defined(SO_NOSIGPIPE)
#define BSOCK_NOSIGPIPE_OPTION 1
#endif

/* Error numbers the library sets itself. */
#define BSOCK_EBADF EBADF
#define BSOCK_EINVAL EINVAL
#define BSOCK_ENAMETOOLONG ENAMETOOLONG
#define BSOCK_EAI_SYSTEM EAI_SYSTEM
#define BSOCK_EINTR EINTR
#define BSOCK_ETIMEDOUT ETIMEDOUT
#define BSOCK_EHOSTUNREACH EHOSTUNREACH
#define BSOCK_ENOPROTOOPT ENOPROTOOPT
#define BSOCK_EAFNOSUPPORT EAFNOSUPPORT
#define BSOCK_EMSGSIZE EMSGSIZE
#define BSOCK_ENOMEM ENOMEM

/* A non-blocking connect under way. */
static inline int bsock__sys_in_progress(int err)
{
    return err == EINPROGRESS;
}

/* BIO_sock_non_fatal_error()'s platform cases beside the errno.h ones:
 * none here. */
#define BSOCK_SYS_NON_FATAL_CASES
#define BSOCK_SYS_DGRAM_NON_FATAL_CASES

/* WSAStartup's place: nothing to start. */
static inline int bsock__wsa_startup(void)
{
    return 0;
}

/* The error of the last failed call, and setting it. */
static inline int bsock__errno(void)
{
    return errno;
}

static inline void bsock__set_errno(int err)
{
    errno = err;
}

/* -errno after a failed call: negative whatever errno holds (EIO should a
 * C library leave it 0), so that a caller that tests only the sign of a
 * result reads no errno. */
static inline int bsock__sys_error(void)
{
    int e = errno;

    return e > 0 ? -e : -EIO;
}

/* close(), keeping the error of the call that failed before it. */
static inline void bsock__close_keep_errno(int fd)
{
    int saved = errno;

    (void)close(fd);
    errno = saved;
}

/* What every new socket gets where creation cannot do it atomically:
 * close-on-exec (and SIGPIPE off, on macOS).  0, or -errno after closing
 * fd. */
static inline int bsock__sys_new_fd(int fd)
{
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
        goto fail;
#ifdef BSOCK_NOSIGPIPE_OPTION
    {
        int on = 1;

        if (setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof(on)) != 0)
            goto fail;
    }
#endif
    return 0;
fail:
    bsock__close_keep_errno(fd);
    return bsock__sys_error();
}

/* socket() without SOCK_CLOEXEC, then fcntl(): where the flag does not
 * exist, and for kernels that refuse it (Linux before 2.6.27).  The fd, or
 * -errno. */
static inline int bsock__sys_socket_plain(int domain, int type, int protocol)
{
    int fd = socket(domain, type, protocol), err;

    if (fd < 0)
        return bsock__sys_error();
    return (err = bsock__sys_new_fd(fd)) != 0 ? err : fd;
}

/* glibc 2.26 and later run on Linux 3.2 and later only, which has
 * SOCK_CLOEXEC (2.6.27) and accept4() (2.6.28): no kernel refuses them, so
 * there is no fallback to make (Rust's std makes none on Linux either),
 * and a failure needs none of the call's arguments kept for one. */
#if defined(__linux__) && defined(__GLIBC__)                                  \
    && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 26))
#define BSOCK_CLOEXEC_ALWAYS 1
#else
#define BSOCK_CLOEXEC_ALWAYS 0
#endif

#if defined(SOCK_CLOEXEC) && !BSOCK_CLOEXEC_ALWAYS
#define BSOCK_SOCKET_FALLBACK 1
/* Whether the kernel knows SOCK_CLOEXEC (Linux 2.6.27 and later): asked
 * once per process, and only after an EINVAL, so that a bad type or
 * protocol costs one socket() call, as in OpenSSL, not a second one. */
static inline int bsock__sys_kernel_knows_cloexec(void)
{
    static _Atomic int known = -1;
    int k = known;

    if (k < 0) {
        int saved = errno, p = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

        k = !(p == -1 && errno == EINVAL);
        if (p >= 0)
            (void)close(p);
        errno = saved;
        known = k;
    }
    return k;
}

/* After socket() with SOCK_CLOEXEC failed: a kernel that refuses the flag
 * (EINVAL) gets socket() + fcntl().  The fd, or -errno (the first
 * failure's when there is nothing to fall back on).  Out of line
 * (sys_posix.c): the common path stays short. */
BSOCK_COLD int bsock__sys_socket_retry(int domain, int type, int protocol);
#endif

/* socket(), close-on-exec.  The fd, or -errno. */
static inline int bsock__sys_socket(int domain, int type, int protocol)
{
#if BSOCK_CLOEXEC_ALWAYS
    int fd = socket(domain, type | SOCK_CLOEXEC, protocol);

    return fd >= 0 ? fd : bsock__sys_error();
#elif defined(BSOCK_SOCKET_FALLBACK)
    int fd = socket(domain, type | SOCK_CLOEXEC, protocol);

    return fd >= 0 ? fd : bsock__sys_socket_retry(domain, type, protocol);
#else
    return bsock__sys_socket_plain(domain, type, protocol);
#endif
}

/* ioctl(): what it returns, or -errno. */
static inline int bsock__sys_ioctl(int fd, long type, void *arg)
{
    int ret = ioctl(fd, (unsigned long)type, arg);

    return ret >= 0 ? ret : bsock__sys_error();
}

/* ioctl(FIONBIO) with glibc on Linux goes through syscall(2): glibc's
 * ioctl() is a variadic wrapper that sets up a va_list and a stack
 * protector around the syscall (21 instructions), syscall() is 11, and the
 * kernel sees the same call (BIO_connect makes it every time: the blocking
 * mode; FIONBIO's int needs none of the conversions glibc's ioctl() may
 * make for other requests).  An LD_PRELOAD shim that wraps ioctl() and not
 * syscall() does not see it. */
#if defined(__linux__) && defined(__GLIBC__) && defined(SYS_ioctl)
extern long syscall(long number, ...);
#define BSOCK_FIONBIO(fd, on) syscall(SYS_ioctl, (fd), FIONBIO, (on))
#else
#define BSOCK_FIONBIO(fd, on) ioctl((fd), FIONBIO, (on))
#endif

/* The blocking mode (FIONBIO; *on 0 or 1).  0, or -errno. */
static inline int bsock__sys_fionbio(int fd, const int *on)
{
    return (int)BSOCK_FIONBIO(fd, on) == 0 ? 0 : bsock__sys_error();
}

/* accept() + fcntl() + ioctl(): where there is no accept4, and for
 * kernels without it (ENOSYS).  The blocking mode is set both ways: BSD
 * accept() hands on the listener's O_NONBLOCK.  The fd, or -errno. */
static inline int bsock__sys_accept_plain(int fd, struct sockaddr *sa,
                                          socklen_t *len, int nbio)
{
    int s = accept(fd, sa, len), err;

    if (s < 0)
        return bsock__sys_error();
    if ((err = bsock__sys_new_fd(s)) != 0)
        return err;
    if (bsock__sys_fionbio(s, &nbio) != 0) {
        bsock__close_keep_errno(s);
        return bsock__sys_error();
    }
    return s;
}

#if defined(BSOCK_HAVE_ACCEPT4) && !BSOCK_CLOEXEC_ALWAYS
#define BSOCK_ACCEPT_FALLBACK 1
/* After accept4() failed: a kernel without it (ENOSYS) gets accept() +
 * fcntl() + ioctl().  The fd, or -errno (the first failure's when there
 * is nothing to fall back on).  Out of line, as for socket(). */
BSOCK_COLD int bsock__sys_accept_retry(int fd, struct sockaddr *sa,
                                       socklen_t *len, int nbio);
#endif

/* accept(), close-on-exec, non-blocking when nbio.  EINTR is returned, not
 * retried, as OpenSSL does: a signal handler can stop a blocking accept
 * loop.  The fd, or -errno. */
static inline int bsock__sys_accept(int fd, struct sockaddr *sa,
                                    socklen_t *len, int nbio)
{
#if BSOCK_CLOEXEC_ALWAYS
    int s = accept4(fd, sa, len, SOCK_CLOEXEC | (nbio ? SOCK_NONBLOCK : 0));

    return s >= 0 ? s : bsock__sys_error();
#elif defined(BSOCK_ACCEPT_FALLBACK)
    int s = accept4(fd, sa, len, SOCK_CLOEXEC | (nbio ? SOCK_NONBLOCK : 0));

    return s >= 0 ? s : bsock__sys_accept_retry(fd, sa, len, nbio);
#else
    return bsock__sys_accept_plain(fd, sa, len, nbio);
#endif
}

/* read() (OpenSSL's readsocket, so a pipe works too): the count, or
 * -errno. */
static inline int bsock__sys_read(int fd, void *buf, int len)
{
    ssize_t n = read(fd, buf, (size_t)len);

    return n >= 0 ? (int)n : bsock__sys_error();
}

/* sendto() (TFO's first write where connect() does not send the SYN):
 * the count, or -errno. */
static inline int bsock__sys_sendto(int fd, const void *buf, int len,
                                    const struct sockaddr *to, socklen_t tolen)
{
    ssize_t n = sendto(fd, buf, (size_t)len, 0, to, tolen);

    return n >= 0 ? (int)n : bsock__sys_error();
}

/* write() with no flags (OpenSSL's writesocket), send() with them (4.0's
 * writesocket_ex): the count, or -errno. */
static inline int bsock__sys_write(int fd, const void *buf, int len, int flags)
{
    ssize_t n = flags == 0 ? write(fd, buf, (size_t)len)
                           : send(fd, buf, (size_t)len, flags);

    return n >= 0 ? (int)n : bsock__sys_error();
}

/* close().  0, or -errno. */
static inline int bsock__sys_close(int fd)
{
    return close(fd) == 0 ? 0 : bsock__sys_error();
}

/* close() as BIO_closesocket reports it: 1, or 0 with errno set (close()
 * returns 0 or -1, so one more is the answer). */
static inline int bsock__sys_close_status(int fd)
{
    return close(fd) + 1;
}

/* poll().  How many are ready, or -errno. */
static inline int bsock__sys_poll(struct pollfd *fds, unsigned n, int timeout)
{
    int ready = poll(fds, (nfds_t)n, timeout);

    return ready >= 0 ? ready : bsock__sys_error();
}

/* The system's text for an error number, or NULL for one it does not
 * know, as libcrypto's openssl_strerror_r gives: the XSI strerror_r,
 * whatever the feature macros chose (with _GNU_SOURCE, glibc's strerror_r is
 * the GNU one, so its XSI entry point is called by name). */
#if defined(__GLIBC__)
extern int __xpg_strerror_r(int errnum, char *buf, size_t buflen);
#define BSOCK_XSI_STRERROR_R __xpg_strerror_r
#else
#define BSOCK_XSI_STRERROR_R strerror_r
#endif

static inline const char *bsock__sys_strerror(int err, char *buf, size_t len)
{
    return BSOCK_XSI_STRERROR_R(err, buf, len) == 0 ? buf : NULL;
}

/* This thread's id, as libcrypto's CRYPTO_THREAD_get_current_id() has it
 * (printed byte by byte by ERR_print_errors_cb). */
typedef pthread_t bsock__thread_id;

static inline bsock__thread_id bsock__sys_thread_id(void)
{
    return pthread_self();
}

/* The process's one lock (ERR_load_strings' table), and taking it. */
typedef pthread_mutex_t bsock__sys_lock;
#define BSOCK_SYS_LOCK_INIT PTHREAD_MUTEX_INITIALIZER

static inline void bsock__sys_lock_take(bsock__sys_lock *l)
{
    (void)pthread_mutex_lock(l);
}

static inline void bsock__sys_lock_give(bsock__sys_lock *l)
{
    (void)pthread_mutex_unlock(l);
}

/* A lock of an object's own (the datagram pair BIOs'): made and unmade. */
static inline int bsock__sys_lock_init(bsock__sys_lock *l)
{
    int err = pthread_mutex_init(l, NULL);

    return err == 0 ? 0 : -err;
}

static inline void bsock__sys_lock_free(bsock__sys_lock *l)
{
    (void)pthread_mutex_destroy(l);
}

/* recvfrom() (the datagram BIO's read), the sender's address into from:
 * the count, or -errno. */
static inline int bsock__sys_recvfrom(int fd, void *buf, int len, int peek,
                                      BIO_ADDR *from)
{
    socklen_t alen = (socklen_t)sizeof(*from);
    ssize_t n =
        recvfrom(fd, buf, (size_t)len, peek ? MSG_PEEK : 0, &from->sa, &alen);

    return n >= 0 ? (int)n : bsock__sys_error();
}

/* getsockopt() and setsockopt() of a struct timeval (SO_RCVTIMEO,
 * SO_SNDTIMEO): 0, or -errno. */
static inline int bsock__sys_get_timeval(int fd, int opt, struct timeval *tv)
{
    socklen_t len = (socklen_t)sizeof(*tv);

    return getsockopt(fd, SOL_SOCKET, opt, tv, &len) == 0 ? 0
                                                          : bsock__sys_error();
}

static inline int bsock__sys_set_timeval(int fd, int opt,
                                         const struct timeval *tv)
{
    return setsockopt(fd, SOL_SOCKET, opt, tv, (socklen_t)sizeof(*tv)) == 0
               ? 0
               : bsock__sys_error();
}

/* Sleep for ms milliseconds (BIO_wait's nap), a signal or not. */
static inline void bsock__sys_sleep_ms(unsigned int ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* A monotonic clock in microseconds. */
static inline long long bsock__sys_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* SO_REUSEPORT, for BIOSOCK_SOCK_REUSEPORT: the option bits a call knows. */
#ifdef SO_REUSEPORT
#define BSOCK_REUSEPORT_OPTION BIOSOCK_SOCK_REUSEPORT
#define BSOCK_SO_REUSEPORT SO_REUSEPORT
#endif

#endif
