/*
 * threads_rss.c - what a thread costs in resident memory: 1,000 threads
 * with 64 KiB stacks, each blocked on a barrier, and the growth of RSS
 * (/proc/self/statm) per thread.  Built three ways: plain (pthread only),
 * against biosock (-DWITH_BIOSOCK) and against OpenSSL's libcrypto
 * (-DORACLE).  With the argument "error", each thread first makes a
 * BIO_socket call that fails (two entries, SYS + BIO, as both libraries
 * push them), so the thread pays for an error queue; without it the
 * threads never call the library (which the main thread has used).
 * Prints "<KiB per thread>" (one decimal): a count of pages, not a time.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#if defined(ORACLE)
#include <openssl/bio.h>
#include <openssl/err.h>
#define HAVE_LIB 1
#elif defined(WITH_BIOSOCK)
#include "biosock.h"
#define HAVE_LIB 1
#else
#define HAVE_LIB 0
#endif

#define THREADS 1000

static pthread_barrier_t ready, done;
static int with_error;

static long rss_pages(void)
{
    long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");

    if (f == NULL || fscanf(f, "%ld %ld", &size, &resident) != 2)
        exit(2);
    fclose(f);
    return resident;
}

static void *idle(void *arg)
{
    (void)arg;
#if HAVE_LIB
    if (with_error && BIO_socket(AF_INET, 12345, 0, 0) != -1)
        exit(3);
#endif
    pthread_barrier_wait(&ready);
    pthread_barrier_wait(&done);
    return NULL;
}

int main(int argc, char **argv)
{
    static pthread_t t[THREADS];
    pthread_attr_t attr;
    long before, after;
    int i;

    with_error = argc > 1 && strcmp(argv[1], "error") == 0;
#if HAVE_LIB
    /* The library is in use in the process: the main thread has an error
     * queue of its own. */
    if (BIO_socket(AF_INET, 12345, 0, 0) != -1)
        return 3;
    ERR_clear_error();
#endif
    pthread_barrier_init(&ready, NULL, THREADS + 1);
    pthread_barrier_init(&done, NULL, THREADS + 1);
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    /* One thread first, so that what only the first thread pays (a pool,
     * a key) is not counted. */
    before = rss_pages();
    for (i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], &attr, idle, NULL) != 0)
            return 4;
    pthread_barrier_wait(&ready);
    after = rss_pages();
    pthread_barrier_wait(&done);
    for (i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    printf("%.1f\n",
           (double)(after - before) * sysconf(_SC_PAGESIZE) / 1024 / THREADS);
    return 0;
}
