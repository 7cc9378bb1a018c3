/*
 * util.h - test helpers that need no socket library, shared by the programs
 * built against biosock (test_biosock.c, through check.h) and against
 * OpenSSL's libcrypto as well (scenario.c, faults.c).  Include it after
 * defining _GNU_SOURCE.
 */
#ifndef BIOSOCK_TEST_UTIL_H
#define BIOSOCK_TEST_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

/* How many fds the process has open. */
static inline int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;

    while (d != NULL && readdir(d) != NULL)
        n++;
    if (d != NULL)
        closedir(d);
    return n - 3; /* ".", ".." and the DIR's own fd */
}

static inline void on_signal(int sig)
{
    (void)sig;
}

/* SIGUSR1 interrupts blocking calls: no SA_RESTART. */
static inline void install_handler(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
}

/* Interrupt the target thread with SIGUSR1 every 10 ms until it says done:
 * however the threads are scheduled, a signal arrives while the target is
 * blocked in its call, which then sees EINTR. */
struct poke {
    pthread_t target;
    atomic_int done;
};

static inline void *poke_thread(void *arg)
{
    struct poke *p = arg;

    while (!atomic_load(&p->done)) {
        pthread_kill(p->target, SIGUSR1);
        usleep(10 * 1000);
    }
    return NULL;
}

/* Run a blocking call while poke_thread interrupts it; result gets its
 * value, errno stays the call's. */
#define INTERRUPTED(call, result)                                             \
    do {                                                                      \
        struct poke p_ = {pthread_self(), 0};                                 \
        pthread_t t_;                                                         \
        int e_;                                                               \
        install_handler();                                                    \
        pthread_create(&t_, NULL, poke_thread, &p_);                          \
        errno = 0;                                                            \
        (result) = (call);                                                    \
        e_ = errno;                                                           \
        atomic_store(&p_.done, 1);                                            \
        pthread_join(t_, NULL);                                               \
        errno = e_;                                                           \
    } while (0)

#endif
