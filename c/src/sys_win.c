/*
 * sys_win.c - what the Windows platform layer (sys.h) keeps out of line:
 * WSAStartup, once per process, and the thread-exit hook of the error queue
 * (a fiber-local slot whose callback frees it).  Empty elsewhere.
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
