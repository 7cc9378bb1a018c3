/*
 * sys_win.h - the platform layer's Windows half (included by sys.h, never
 * on its own): winsock 2.2.
 */
#ifndef BIOSOCK_SYS_WIN_H
#define BIOSOCK_SYS_WIN_H
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
#define BSOCK_ENOPROTOOPT WSAENOPROTOOPT
#define BSOCK_EAFNOSUPPORT WSAEAFNOSUPPORT
#define BSOCK_EMSGSIZE WSAEMSGSIZE
/* Out of memory: the C library's number (winsock has none). */
#define BSOCK_ENOMEM ENOMEM

/* Datagram options (sys.h's batches): no local addresses, no path MTU;
 * don't-fragment as IP_DONTFRAGMENT. */
#define BSOCK_HAS_PKTINFO 0
#define BSOCK_HAS_PATH_MTU 0
#define BSOCK_HAS_DONT_FRAG 1

/* A non-blocking connect under way: WSAEWOULDBLOCK on Windows. */
static inline int bsock__sys_in_progress(int err)
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
/* BIO_dgram_non_fatal_error()'s, as OpenSSL's: winsock's would-block. */
#define BSOCK_SYS_DGRAM_NON_FATAL_CASES case WSAEWOULDBLOCK:

/* The error of the last failed call, and setting it. */
static inline int bsock__errno(void)
{
    return WSAGetLastError();
}

/* -WSAGetLastError() after a failed call: negative whatever it holds. */
static inline int bsock__sys_error(void)
{
    int e = WSAGetLastError();

    return e > 0 ? -e : -WSAEINVAL;
}

static inline void bsock__set_errno(int err)
{
    WSASetLastError(err);
}

/* recv() and send() (OpenSSL's readsocket, writesocket_ex): the count,
 * or -error. */
static inline int bsock__sys_read(int fd, void *buf, int len)
{
    int n = recv((SOCKET)fd, buf, len, 0);

    return n != SOCKET_ERROR ? n : bsock__sys_error();
}

static inline int bsock__sys_sendto(int fd, const void *buf, int len,
                                    const struct sockaddr *to, int tolen)
{
    int n = sendto((SOCKET)fd, buf, len, 0, to, tolen);

    return n != SOCKET_ERROR ? n : bsock__sys_error();
}

static inline int bsock__sys_write(int fd, const void *buf, int len, int flags)
{
    int n = send((SOCKET)fd, buf, len, flags);

    return n != SOCKET_ERROR ? n : bsock__sys_error();
}

/* closesocket().  0, or -error. */
static inline int bsock__sys_close(int fd)
{
    return closesocket((SOCKET)fd) == 0 ? 0 : bsock__sys_error();
}

/* closesocket() as BIO_closesocket reports it: 1, or 0 with the error set
 * (closesocket() returns 0 or SOCKET_ERROR, -1). */
static inline int bsock__sys_close_status(int fd)
{
    return closesocket((SOCKET)fd) + 1;
}

static inline void bsock__close_keep_errno(int fd)
{
    int saved = WSAGetLastError();

    (void)closesocket((SOCKET)fd);
    WSASetLastError(saved);
}

/* WSAStartup once per process, thread-safe (BIO_sock_init): 0, or -error
 * (the error set as the last error too). */
int bsock__wsa_startup(void);

/* A socket, not inheritable.  The fd, or -error. */
static inline int bsock__sys_socket(int domain, int type, int protocol)
{
    SOCKET s;
    int err;

    if ((err = bsock__wsa_startup()) != 0)
        return err;
    s = WSASocketW(domain, type, protocol, NULL, 0,
                   WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    return s == INVALID_SOCKET ? bsock__sys_error() : (int)s;
}

/* ioctlsocket().  0, or -error. */
static inline int bsock__sys_ioctl(int fd, long type, void *arg)
{
    return ioctlsocket((SOCKET)fd, type, (u_long *)arg) == 0
               ? 0
               : bsock__sys_error();
}

/* The blocking mode (FIONBIO; *on 0 or 1, a u_long's size).  0, or
 * -error. */
static inline int bsock__sys_fionbio(int fd, const int *on)
{
    return bsock__sys_ioctl(fd, (long)FIONBIO, (void *)on);
}

/* accept(): not inheritable; non-blocking when nbio.  The fd, or -error. */
static inline int bsock__sys_accept(int fd, struct sockaddr *sa,
                                    socklen_t *len, int nbio)
{
    SOCKET s = accept((SOCKET)fd, sa, len);
    u_long on = (u_long)nbio;

    if (s == INVALID_SOCKET)
        return bsock__sys_error();
    if (!SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0)
        || ioctlsocket(s, FIONBIO, &on) != 0) {
        int err = bsock__sys_error();

        bsock__close_keep_errno((int)s);
        return err;
    }
    return (int)s;
}

/* WSAPoll().  How many are ready, or -error. */
static inline int bsock__sys_poll(struct pollfd *fds, unsigned n, int timeout)
{
    int ready = WSAPoll(fds, (ULONG)n, timeout);

    return ready >= 0 ? ready : bsock__sys_error();
}

/* The system's text for an error: FormatMessage() for winsock and Windows
 * errors, the C library's for errno values; NULL when there is none. */
static inline const char *bsock__sys_strerror(int err, char *buf, size_t len)
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

typedef DWORD bsock__thread_id;

static inline bsock__thread_id bsock__sys_thread_id(void)
{
    return GetCurrentThreadId();
}

/* The process's one lock (ERR_load_strings' table), and taking it. */
typedef SRWLOCK bsock__sys_lock;
#define BSOCK_SYS_LOCK_INIT SRWLOCK_INIT

static inline void bsock__sys_lock_take(bsock__sys_lock *l)
{
    AcquireSRWLockExclusive(l);
}

static inline void bsock__sys_lock_give(bsock__sys_lock *l)
{
    ReleaseSRWLockExclusive(l);
}

static inline int bsock__sys_lock_init(bsock__sys_lock *l)
{
    InitializeSRWLock(l);
    return 0;
}

static inline void bsock__sys_lock_free(bsock__sys_lock *l)
{
    (void)l; /* an SRWLOCK holds nothing to free */
}

static inline int bsock__sys_recvfrom(int fd, void *buf, int len, int peek,
                                      BIO_ADDR *from)
{
    int alen = (int)sizeof(*from);
    int n =
        recvfrom((SOCKET)fd, buf, len, peek ? MSG_PEEK : 0, &from->sa, &alen);

    return n != SOCKET_ERROR ? n : bsock__sys_error();
}

/* Winsock's SO_RCVTIMEO and SO_SNDTIMEO are a DWORD of milliseconds. */
static inline int bsock__sys_get_timeval(int fd, int opt, struct timeval *tv)
{
    DWORD ms = 0;
    int len = (int)sizeof(ms);

    if (getsockopt((SOCKET)fd, SOL_SOCKET, opt, (char *)&ms, &len) != 0)
        return bsock__sys_error();
    tv->tv_sec = (long)(ms / 1000);
    tv->tv_usec = (long)(ms % 1000) * 1000;
    return 0;
}

static inline int bsock__sys_set_timeval(int fd, int opt,
                                         const struct timeval *tv)
{
    DWORD ms = (DWORD)(tv->tv_sec * 1000 + tv->tv_usec / 1000);

    return setsockopt((SOCKET)fd, SOL_SOCKET, opt, (const char *)&ms,
                      (int)sizeof(ms))
                   == 0
               ? 0
               : bsock__sys_error();
}

static inline void bsock__sys_sleep_ms(unsigned int ms)
{
    Sleep(ms);
}

/* A monotonic clock in microseconds (GetTickCount64 ticks every 10-16 ms,
 * too coarse for a 1 ms deadline). */
static inline long long bsock__sys_now_us(void)
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

#endif
