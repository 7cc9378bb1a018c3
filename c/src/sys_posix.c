/*
 * sys_posix.c - what the POSIX platform layer keeps out of line: the
 * fallbacks for kernels without SOCK_CLOEXEC or accept4(), and the
 * thread-exit hook of the error queue (a pthread key whose destructor frees
 * the queue), made once per process.  Empty on Windows (sys_win.c).
 */
#ifndef _WIN32
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>

#include "internal.h"
#include "sys.h"

#ifdef SOCK_CLOEXEC
int bsock__sys_socket_retry(int domain, int type, int protocol)
{
    if (errno == EINVAL && !bsock__sys_kernel_knows_cloexec())
        return bsock__sys_socket_plain(domain, type, protocol);
    return bsock__sys_error();
}
#endif

#ifdef BSOCK_HAVE_ACCEPT4
int bsock__sys_accept_retry(int fd, struct sockaddr *sa, socklen_t *len,
                            int nbio)
{
    if (errno == ENOSYS)
        return bsock__sys_accept_plain(fd, sa, len, nbio);
    return bsock__sys_error();
}
#endif

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t key;
static int have_key;

static void make_key(void)
{
    have_key = pthread_key_create(&key, bsock__err_free) == 0;
}

void bsock__at_thread_exit(void *queue)
{
    pthread_once(&key_once, make_key);
    if (have_key)
        pthread_setspecific(key, queue);
}
#else
typedef int bsock__sys_posix_is_empty_here;
#endif
