/*
 * sys.h - the platform layer: the few system calls whose form differs
 * between platforms, as small inline functions.  Every platform #ifdef of
 * the library is here (TCP Fast Open's, which follow OpenSSL's bio_tfo.h,
 * are at the end); the other files call these.
 *
 * Conventions, the same everywhere: a function returns the fd or 0, or -1
 * with the error in bsock_errno().
 *
 *   Linux, FreeBSD, NetBSD, OpenBSD, DragonFly, illumos: socket() and
 *     accept4() with SOCK_CLOEXEC, so no fd can leak into a child between
 *     the call and a later fcntl().
 *   macOS: no SOCK_CLOEXEC and no accept4(): socket()/accept() and then
 *     fcntl(FD_CLOEXEC), and SO_NOSIGPIPE, since macOS has no MSG_NOSIGNAL.
 */
#ifndef BIOSOCK_SYS_H
#define BIOSOCK_SYS_H

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <time.h>

#ifdef _WIN32
/* ---------------------------------------------------------------------
 * Windows (winsock 2.2, Windows 10 and later for AF_UNIX): a socket is a
 * SOCKET cast to int, as OpenSSL does; the error is WSAGetLastError()'s (a
 * WSAE* value, which the error queue records, as OpenSSL's does);
 * WSA_FLAG_NO_HANDLE_INHERIT keeps sockets out of child processes.
 */
#include <windows.h>

#define BSOCK_EBADF WSAEBADF
#define BSOCK_EINVAL WSAEINVAL
#define BSOCK_ENAMETOOLONG WSAENAMETOOLONG
/* getaddrinfo() reports its errors itself on Windows: no EAI_SYSTEM. */
#define BSOCK_EAI_SYSTEM INT_MIN
#define BSOCK_EINTR WSAEINTR
#define BSOCK_ETIMEDOUT WSAETIMEDOUT
#define BSOCK_EHOSTUNREACH WSAEHOSTUNREACH

/* A non-blocking connect under way: WSAEWOULDBLOCK on Windows. */
static inline int bsock_sys_in_progress(int err)
{
    return err == WSAEWOULDBLOCK || err == WSAEINPROGRESS;
}

/* BIO_sock_non_fatal_error()'s winsock cases, beside the errno.h ones. */
#define BSOCK_SYS_NON_FATAL_CASES                                             \
    case WSAEWOULDBLOCK:                                                      \
    case WSAEINPROGRESS:                                                      \
    case WSAEALREADY:                                                         \
    case WSAENOTCONN:                                                         \
    case WSAEINTR:

static inline int bsock_errno(void)
{
    return WSAGetLastError();
}

static inline void bsock_set_errno(int err)
{
    WSASetLastError(err);
}

static inline int bsock_sys_close(int fd)
{
    return closesocket((SOCKET)fd) == 0 ? 0 : -1;
}

static inline void bsock_close_keep_errno(int fd)
{
    int saved = WSAGetLastError();

    (void)closesocket((SOCKET)fd);
    WSASetLastError(saved);
}

/* WSAStartup once per process, thread-safe (BIO_sock_init). */
int bsock__wsa_startup(void);

static inline int bsock_sys_socket(int domain, int type, int protocol)
{
    SOCKET s;

    if (!bsock__wsa_startup())
        return -1;
    s = WSASocketW(domain, type, protocol, NULL, 0,
                   WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    return s == INVALID_SOCKET ? -1 : (int)s;
}

static inline int bsock_sys_socket_plain(int domain, int type, int protocol)
{
    return bsock_sys_socket(domain, type, protocol);
}

/* After a failed socket creation: nothing to fall back on here (winsock
 * sets no-inherit atomically).  -1, the error as it was. */
static inline int bsock_sys_socket_fallback(int domain, int type, int protocol)
{
    (void)domain;
    (void)type;
    (void)protocol;
    return -1;
}

static inline int bsock_sys_ioctl(int fd, long type, void *arg)
{
    return ioctlsocket((SOCKET)fd, type, (u_long *)arg) == 0 ? 0 : -1;
}

/* accept(): not inheritable; non-blocking when nbio. */
static inline int bsock_sys_accept(int fd, struct sockaddr *sa, socklen_t *len,
                                   int nbio)
{
    SOCKET s = accept((SOCKET)fd, sa, len);
    u_long on = (u_long)nbio;

    if (s == INVALID_SOCKET)
        return -1;
    if (!SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0)
        || ioctlsocket(s, FIONBIO, &on) != 0) {
        bsock_close_keep_errno((int)s);
        return -1;
    }
    return (int)s;
}

static inline int bsock_sys_accept_plain(int fd, struct sockaddr *sa,
                                         socklen_t *len, int nbio)
{
    return bsock_sys_accept(fd, sa, len, nbio);
}

/* After a failed accept: nothing to fall back on here.  -1, the error as
 * it was. */
static inline int bsock_sys_accept_fallback(int fd, struct sockaddr *sa,
                                            socklen_t *len, int nbio)
{
    (void)fd;
    (void)sa;
    (void)len;
    (void)nbio;
    return -1;
}

static inline int bsock_sys_poll(struct pollfd *fds, unsigned n, int timeout)
{
    return WSAPoll(fds, (ULONG)n, timeout);
}

/* The system's text for an error: FormatMessage() for winsock and Windows
 * errors, the C library's for errno values; NULL when there is none. */
static inline const char *bsock_sys_strerror(int err, char *buf, size_t len)
{
    DWORD n;

    if (err > 0 && err < 10000)
        return strerror_s(buf, len, err) == 0 ? buf : NULL;
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM
                           | FORMAT_MESSAGE_IGNORE_INSERTS,
                       NULL, (DWORD)err, 0, buf, (DWORD)len, NULL);
    while (n > 0
           && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == '.'))
        buf[--n] = '\0';
    return n > 0 ? buf : NULL;
}

typedef DWORD bsock_thread_id;

static inline bsock_thread_id bsock_sys_thread_id(void)
{
    return GetCurrentThreadId();
}

/* A monotonic clock in microseconds (GetTickCount64 ticks every 10-16 ms,
 * too coarse for a 1 ms deadline). */
static inline long long bsock_sys_now_us(void)
{
    static LARGE_INTEGER freq; /* constant while the system runs */
    LARGE_INTEGER now;

    if (freq.QuadPart == 0)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&now);
    return (long long)(now.QuadPart / freq.QuadPart * 1000000
                       + now.QuadPart % freq.QuadPart * 1000000
                             / freq.QuadPart);
}

#else
/* ---------------------------------------------------------------------
 * POSIX.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <unistd.h>

#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__)         \
    || defined(__OpenBSD__) || defined(__DragonFly__) || defined(__sun)
#define BSOCK_HAVE_ACCEPT4 1
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

/* A non-blocking connect under way. */
static inline int bsock_sys_in_progress(int err)
{
    return err == EINPROGRESS;
}

/* BIO_sock_non_fatal_error()'s platform cases beside the errno.h ones:
 * none here. */
#define BSOCK_SYS_NON_FATAL_CASES

/* WSAStartup's place: nothing to start. */
static inline int bsock__wsa_startup(void)
{
    return 1;
}

/* The error of the last failed call, and setting it. */
static inline int bsock_errno(void)
{
    return errno;
}

static inline void bsock_set_errno(int err)
{
    errno = err;
}

/* close(), keeping the error of the call that failed before it. */
static inline void bsock_close_keep_errno(int fd)
{
    int saved = errno;

    (void)close(fd);
    errno = saved;
}

/* What every new socket gets where creation cannot do it atomically:
 * close-on-exec (and SIGPIPE off, on macOS).  0, or -1 after closing fd. */
static inline int bsock_sys_new_fd(int fd)
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
    bsock_close_keep_errno(fd);
    return -1;
}

/* socket() without SOCK_CLOEXEC, then fcntl(): where the flag does not
 * exist, and for kernels that refuse it (Linux before 2.6.27). */
static inline int bsock_sys_socket_plain(int domain, int type, int protocol)
{
    int fd = socket(domain, type, protocol);

    return fd < 0 || bsock_sys_new_fd(fd) != 0 ? -1 : fd;
}

/* socket(), close-on-exec. */
static inline int bsock_sys_socket(int domain, int type, int protocol)
{
#ifdef SOCK_CLOEXEC
    return socket(domain, type | SOCK_CLOEXEC, protocol);
#else
    return bsock_sys_socket_plain(domain, type, protocol);
#endif
}

#ifdef SOCK_CLOEXEC
/* Whether the kernel knows SOCK_CLOEXEC (Linux 2.6.27 and later): asked
 * once per process, and only after an EINVAL, so that a bad type or
 * protocol costs one socket() call, as in OpenSSL, not a second one. */
static inline int bsock_sys_kernel_knows_cloexec(void)
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
#endif

/* After bsock_sys_socket() failed: a kernel that refuses SOCK_CLOEXEC
 * (EINVAL) gets socket() + fcntl().  The new fd, or -1 with errno (the
 * first failure's when there is nothing to fall back on). */
static inline int bsock_sys_socket_fallback(int domain, int type, int protocol)
{
#ifdef SOCK_CLOEXEC
    if (errno == EINVAL && !bsock_sys_kernel_knows_cloexec())
        return bsock_sys_socket_plain(domain, type, protocol);
#endif
    (void)domain;
    (void)type;
    (void)protocol;
    return -1;
}

/* Set the blocking mode: FIONBIO, as OpenSSL's BIO_socket_ioctl() does. */
static inline int bsock_sys_ioctl(int fd, long type, void *arg)
{
    return ioctl(fd, (unsigned long)type, arg);
}

/* accept() + fcntl() + ioctl(): where there is no accept4, and for
 * kernels without it (ENOSYS).  The blocking mode is set both ways: BSD
 * accept() hands on the listener's O_NONBLOCK. */
static inline int bsock_sys_accept_plain(int fd, struct sockaddr *sa,
                                         socklen_t *len, int nbio)
{
    int s = accept(fd, sa, len);

    if (s < 0 || bsock_sys_new_fd(s) != 0)
        return -1;
    if (ioctl(s, FIONBIO, &nbio) != 0) {
        bsock_close_keep_errno(s);
        return -1;
    }
    return s;
}

/* accept(), close-on-exec, non-blocking when nbio. */
static inline int bsock_sys_accept(int fd, struct sockaddr *sa, socklen_t *len,
                                   int nbio)
{
#ifdef BSOCK_HAVE_ACCEPT4
    return accept4(fd, sa, len, SOCK_CLOEXEC | (nbio ? SOCK_NONBLOCK : 0));
#else
    return bsock_sys_accept_plain(fd, sa, len, nbio);
#endif
}

/* After bsock_sys_accept() failed: a kernel without accept4 (ENOSYS) gets
 * accept() + fcntl() + ioctl().  The new fd, or -1 with errno (the first
 * failure's when there is nothing to fall back on). */
static inline int bsock_sys_accept_fallback(int fd, struct sockaddr *sa,
                                            socklen_t *len, int nbio)
{
#ifdef BSOCK_HAVE_ACCEPT4
    if (errno == ENOSYS)
        return bsock_sys_accept_plain(fd, sa, len, nbio);
#endif
    (void)fd;
    (void)sa;
    (void)len;
    (void)nbio;
    return -1;
}

static inline int bsock_sys_close(int fd)
{
    return close(fd);
}

static inline int bsock_sys_poll(struct pollfd *fds, unsigned n, int timeout)
{
    return poll(fds, (nfds_t)n, timeout);
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

static inline const char *bsock_sys_strerror(int err, char *buf, size_t len)
{
    return BSOCK_XSI_STRERROR_R(err, buf, len) == 0 ? buf : NULL;
}

/* This thread's id, as libcrypto's CRYPTO_THREAD_get_current_id() has it
 * (printed byte by byte by ERR_print_errors_cb). */
typedef pthread_t bsock_thread_id;

static inline bsock_thread_id bsock_sys_thread_id(void)
{
    return pthread_self();
}

/* A monotonic clock in milliseconds. */
/* A monotonic clock in microseconds. */
static inline long long bsock_sys_now_us(void)
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

#endif /* _WIN32 */
/* Where OpenSSL's BIO_bind and BIO_listen leave an option alone
 * (bio_sock2.c): SO_REUSEADDR on Windows, where it lets another socket take
 * a port in use (BIO_SOCK_REUSEADDR is then ignored there); IPV6_V6ONLY on
 * OpenBSD, where IPv6 sockets are always IPv6-only and it is read-only. */
#ifdef _WIN32
#define BSOCK_SETS_REUSEADDR 0
#else
#define BSOCK_SETS_REUSEADDR 1
#endif
#ifdef __OpenBSD__
#define BSOCK_SETS_V6ONLY 0
#else
#define BSOCK_SETS_V6ONLY 1
#endif

/* EAGAIN as a case of its own where it is not EWOULDBLOCK's value. */
#if EAGAIN != EWOULDBLOCK
#define BSOCK_EAGAIN_CASE case EAGAIN:
#else
#define BSOCK_EAGAIN_CASE
#endif

#ifndef BSOCK_REUSEPORT_OPTION
#define BSOCK_REUSEPORT_OPTION 0 /* refused: no SO_REUSEPORT here */
#define BSOCK_SO_REUSEPORT 0
#endif

/* ---------------------------------------------------------------------
 * TCP Fast Open, as OpenSSL's include/internal/bio_tfo.h has it:
 *   Linux: TCP_FASTOPEN_CONNECT on the client before connect(), TCP_FASTOPEN
 *     (the backlog) on the server after listen(); no kernel switch asked.
 *   FreeBSD 12+: TCP_FASTOPEN on both, after checking the sysctls
 *     net.inet.tcp.fastopen.{client,server}_enable; the client does not
 *     connect (the first sendto() does).
 *   macOS: sysctl net.inet.tcp.fastopen (bit 1 client, bit 2 server); the
 *     client connects with connectx(CONNECT_DATA_IDEMPOTENT), the server sets
 *     TCP_FASTOPEN to 1.
 * Elsewhere BIO_SOCK_TFO is ignored, as in OpenSSL.
 * Every platform gets every name below, so that sock.c takes the steps with
 * plain ifs on constants (the compiler drops the steps a platform has not):
 *   BSOCK_TFO_CLIENT_OPT, BSOCK_TFO_SERVER_OPT: the TCP option, or -1;
 *   BSOCK_TFO_SERVER_QUEUE(backlog): the server option's value;
 *   BSOCK_TFO_HAS_SYSCTL: 1 where a sysctl says whether TFO is on (names
 *     and flag bits BSOCK_TFO_SYSCTL_CLIENT/_SERVER, _CLIENT/_SERVER_FLAG);
 *   BSOCK_TFO_USES_CONNECTX: 1 where the client connects with connectx();
 *   BSOCK_TFO_CONNECTS: 0 where the client's connect() is left to the
 *     platform (the first sendto(), or connectx()), 1 elsewhere.
 */
#if defined(TCP_FASTOPEN) && !defined(_WIN32)
#if defined(__linux__)
#define BSOCK_TFO_SERVER_OPT TCP_FASTOPEN
#define BSOCK_TFO_SERVER_QUEUE(backlog) (backlog)
#if defined(TCP_FASTOPEN_CONNECT)
#define BSOCK_TFO_CLIENT_OPT TCP_FASTOPEN_CONNECT
#endif
#elif defined(__FreeBSD__) && defined(TCP_FASTOPEN_PSK_LEN)
#include <sys/sysctl.h>
#define BSOCK_TFO_SYSCTL_CLIENT "net.inet.tcp.fastopen.client_enable"
#define BSOCK_TFO_SYSCTL_SERVER "net.inet.tcp.fastopen.server_enable"
#define BSOCK_TFO_CLIENT_FLAG 1
#define BSOCK_TFO_SERVER_FLAG 1
#define BSOCK_TFO_SERVER_OPT TCP_FASTOPEN
#define BSOCK_TFO_SERVER_QUEUE(backlog) (backlog)
#define BSOCK_TFO_CLIENT_OPT TCP_FASTOPEN
#define BSOCK_TFO_DO_NOT_CONNECT 1
#elif defined(__APPLE__)
#include <sys/sysctl.h>
#define BSOCK_TFO_SYSCTL_CLIENT "net.inet.tcp.fastopen"
#define BSOCK_TFO_SYSCTL_SERVER "net.inet.tcp.fastopen"
#define BSOCK_TFO_CLIENT_FLAG 1
#define BSOCK_TFO_SERVER_FLAG 2
#define BSOCK_TFO_SERVER_OPT TCP_FASTOPEN
#define BSOCK_TFO_SERVER_QUEUE(backlog) 1
#define BSOCK_TFO_CONNECTX 1
#define BSOCK_TFO_DO_NOT_CONNECT 1
#endif
#endif

#ifndef BSOCK_TFO_CLIENT_OPT
#define BSOCK_TFO_CLIENT_OPT (-1)
#endif
#ifndef BSOCK_TFO_SERVER_OPT
#define BSOCK_TFO_SERVER_OPT (-1)
#define BSOCK_TFO_SERVER_QUEUE(backlog) (backlog)
#endif
#ifdef BSOCK_TFO_DO_NOT_CONNECT
#define BSOCK_TFO_CONNECTS 0
#else
#define BSOCK_TFO_CONNECTS 1
#endif

#ifdef BSOCK_TFO_SYSCTL_CLIENT
#define BSOCK_TFO_HAS_SYSCTL 1
/* The TFO sysctl: 1 when flag is set, 0 when not, -1 when the kernel has
 * no such sysctl. */
static inline int bsock_sys_tfo_enabled(const char *name, int flag)
{
    int enabled = 0;
    size_t len = sizeof(enabled);

    if (sysctlbyname(name, &enabled, &len, NULL, 0) < 0)
        return -1;
    return (enabled & flag) != 0;
}
#else
#define BSOCK_TFO_HAS_SYSCTL 0
#define BSOCK_TFO_SYSCTL_CLIENT ""
#define BSOCK_TFO_SYSCTL_SERVER ""
#define BSOCK_TFO_CLIENT_FLAG 0
#define BSOCK_TFO_SERVER_FLAG 0
/* No such sysctl (never asked: BSOCK_TFO_HAS_SYSCTL is 0). */
static inline int bsock_sys_tfo_enabled(const char *name, int flag)
{
    (void)name;
    (void)flag;
    return -1;
}
#endif

#ifdef BSOCK_TFO_CONNECTX
#define BSOCK_TFO_USES_CONNECTX 1
/* connect() with data allowed in the SYN (macOS). */
static inline int bsock_sys_connectx_tfo(int fd, const struct sockaddr *sa,
                                         socklen_t len)
{
    sa_endpoints_t sae;

    memset(&sae, 0, sizeof(sae));
    sae.sae_dstaddr = sa;
    sae.sae_dstaddrlen = len;
    return connectx(fd, &sae, SAE_ASSOCID_ANY,
                    CONNECT_DATA_IDEMPOTENT | CONNECT_RESUME_ON_READ_WRITE,
                    NULL, 0, NULL, NULL);
}
#else
#define BSOCK_TFO_USES_CONNECTX 0
/* No connectx (never called: BSOCK_TFO_USES_CONNECTX is 0). */
static inline int bsock_sys_connectx_tfo(int fd, const struct sockaddr *sa,
                                         socklen_t len)
{
    (void)fd;
    (void)sa;
    (void)len;
    bsock_set_errno(BSOCK_EINVAL);
    return -1;
}
#endif

#endif
