/*
 * sys_win.c - what the Windows platform layer (sys.h) keeps out of line:
 * WSAStartup, once per process, and the thread-exit hook of the error queue
 * (a fiber-local slot whose callback frees it), and datagrams one at a
 * time (sys.h).  Empty elsewhere.
 */
#ifdef _WIN32
#include "internal.h"
#include "sys.h"

static INIT_ONCE wsa_once = INIT_ONCE_STATIC_INIT;
static int wsa_error;

static BOOL CALLBACK wsa_start(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    WSADATA data;

    (void)once;
    (void)param;
    (void)ctx;
    wsa_error = WSAStartup(MAKEWORD(2, 2), &data);
    return TRUE;
}

/* WSAStartup's result, asked once: 0, or -error with the error set as the
 * last error (BIO_sock_init pushes SYS + BIO_R_WSASTARTUP for it, as
 * OpenSSL's does, every time it is asked). */
int bsock__wsa_startup(void)
{
    InitOnceExecuteOnce(&wsa_once, wsa_start, NULL, NULL);
    if (wsa_error != 0) {
        WSASetLastError(wsa_error);
        return -wsa_error;
    }
    return 0;
}

/* Datagrams one at a time (sys.h): sendto() and recvfrom(). */
static int peer_len(int family)
{
    return family == AF_INET    ? (int)sizeof(struct sockaddr_in)
           : family == AF_INET6 ? (int)sizeof(struct sockaddr_in6)
                                : 0;
}

int bsock__sys_send_dgrams(int fd, int family, struct bsock__dgram *d,
                           size_t n)
{
    int len = peer_len(family), sent;

    (void)n;
    if (d->local != NULL)
        return -WSAENOPROTOOPT;
    sent = d->peer != NULL && len != 0
               ? sendto((SOCKET)fd, d->data, (int)d->len, 0, &d->peer->sa, len)
               : send((SOCKET)fd, d->data, (int)d->len, 0);
    if (sent == SOCKET_ERROR)
        return bsock__sys_error();
    d->len = (size_t)sent;
    return 1;
}

int bsock__sys_recv_dgrams(int fd, int family, struct bsock__dgram *d,
                           size_t n)
{
    int len = peer_len(family), got;

    (void)n;
    if (d->local != NULL)
        return -WSAENOPROTOOPT;
    got =
        d->peer != NULL && len != 0
            ? recvfrom((SOCKET)fd, d->data, (int)d->len, 0, &d->peer->sa, &len)
            : recv((SOCKET)fd, d->data, (int)d->len, 0);
    if (got == SOCKET_ERROR)
        return bsock__sys_error();
    d->len = (size_t)got;
    return 1;
}

int bsock__sys_want_local(int fd, int family, int on)
{
    (void)fd;
    (void)family;
    (void)on;
    return -WSAENOPROTOOPT;
}

int bsock__sys_path_mtu(int fd, int family)
{
    (void)fd;
    (void)family;
    return -WSAENOPROTOOPT;
}

int bsock__sys_mtu_discover(int fd, int family)
{
    (void)fd;
    (void)family;
    return -WSAENOPROTOOPT;
}

int bsock__sys_dont_frag(int fd, int family, int on)
{
    DWORD v = on != 0;

    if (family != AF_INET)
        return -WSAENOPROTOOPT;
    return setsockopt((SOCKET)fd, IPPROTO_IP, IP_DONTFRAGMENT,
                      (const char *)&v, (int)sizeof(v))
                   == 0
               ? 0
               : bsock__sys_error();
}

static INIT_ONCE fls_once = INIT_ONCE_STATIC_INIT;
static DWORD fls_index = FLS_OUT_OF_INDEXES;

static VOID WINAPI free_queue(PVOID queue)
{
    if (queue != NULL)
        bsock__err_free(queue);
}

static BOOL CALLBACK make_fls(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once;
    (void)param;
    (void)ctx;
    fls_index = FlsAlloc(free_queue);
    return TRUE;
}

void bsock__at_thread_exit(void *queue)
{
    InitOnceExecuteOnce(&fls_once, make_fls, NULL, NULL);
    if (fls_index != FLS_OUT_OF_INDEXES)
        FlsSetValue(fls_index, queue);
}
#else
typedef int bsock__sys_win_is_empty_here;
#endif
