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

#endif
