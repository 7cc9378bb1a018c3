/*
 * sys_posix.c - what the POSIX platform layer keeps out of line: the
 * thread-exit hook of the error queue (a pthread key whose destructor frees
 * the queue), made once per process.  Empty on Windows (sys_win.c).
 */
#ifndef _WIN32
#include <pthread.h>

#include "internal.h"

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
typedef int bsock_sys_posix_is_empty_here;
#endif
