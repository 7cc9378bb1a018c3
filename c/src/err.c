/*
 * err.c - the thread-local error queue, packed and printed as OpenSSL 3.0
 * does.  The queue is a fixed ring of ERR_NUM_ERRORS entries in thread-local
 * storage: it never allocates, the oldest entry is dropped when it is full
 * (at 15 entries, as in OpenSSL),
 * and nothing needs freeing at thread exit.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define DATA_MAX 160

struct entry {
    unsigned long code;
    const char *func;
    const char *file;
    int line;
    char data[DATA_MAX];
};

/* OpenSSL's ring of ERR_NUM_ERRORS slots holds one entry less than that. */
#define QUEUE_MAX (ERR_NUM_ERRORS - 1)

struct queue {
    struct entry e[ERR_NUM_ERRORS];
    unsigned top;   /* index of the newest entry */
    unsigned count; /* entries held, at most QUEUE_MAX */
};

static _Thread_local struct queue q;

static unsigned long pack(int lib, int reason)
{
    if (lib == ERR_LIB_SYS)
        return ERR_SYSTEM_FLAG | ((unsigned long)reason & ERR_SYSTEM_MASK);
    return ERR_PACK(lib, 0, reason);
}

void bsock__err_put(int lib, int reason, const char *data, const char *func,
                    const char *file, int line)
{
    int saved = errno;
    struct entry *e;

    q.top = (q.top + 1) % ERR_NUM_ERRORS;
    if (q.count < QUEUE_MAX)
        q.count++;
    e = &q.e[q.top];
    e->code = pack(lib, reason);
    e->func = func;
    e->file = file;
    e->line = line;
    snprintf(e->data, sizeof(e->data), "%s", data != NULL ? data : "");
    errno = saved;
}

void bsock__err_arg(int reason, const char *func, const char *file, int line)
{
    bsock__err_put(ERR_LIB_BIO, reason, NULL, func, file, line);
    errno = EINVAL;
}

static struct entry *oldest(void)
{
    if (q.count == 0)
        return NULL;
    return &q.e[(q.top + ERR_NUM_ERRORS + 1 - q.count) % ERR_NUM_ERRORS];
}

unsigned long ERR_get_error_all(const char **file, int *line,
                                const char **func, const char **data,
                                int *flags)
{
    struct entry *e = oldest();

    if (e == NULL)
        return 0;
    q.count--;
    if (file != NULL)
        *file = e->file;
    if (line != NULL)
        *line = e->line;
    if (func != NULL)
        *func = e->func;
    if (data != NULL)
        *data = e->data;
    if (flags != NULL)
        *flags = e->data[0] != '\0' ? ERR_TXT_STRING : 0;
    return e->code;
}

unsigned long ERR_get_error(void)
{
    return ERR_get_error_all(NULL, NULL, NULL, NULL, NULL);
}

unsigned long ERR_peek_error(void)
{
    struct entry *e = oldest();

    return e != NULL ? e->code : 0;
}

unsigned long ERR_peek_last_error(void)
{
    return q.count != 0 ? q.e[q.top].code : 0;
}

void ERR_clear_error(void)
{
    q.count = 0;
}

void ERR_add_error_data(int num, ...)
{
    va_list ap;
    struct entry *e;
    size_t used;

    if (q.count == 0 || num <= 0)
        return;
    e = &q.e[q.top];
    used = strlen(e->data);
    va_start(ap, num);
    while (num-- > 0) {
        const char *s = va_arg(ap, const char *);

        if (s == NULL)
            continue;
        used +=
            (size_t)snprintf(e->data + used, sizeof(e->data) - used, "%s", s);
        if (used >= sizeof(e->data) - 1)
            break;
    }
    va_end(ap);
}

const char *ERR_lib_error_string(unsigned long e)
{
    switch (ERR_GET_LIB(e)) {
    case ERR_LIB_SYS:
        return "system library";
    case ERR_LIB_BIO:
        return "BIO routines";
    default:
        return NULL;
    }
}

static const struct {
    int reason;
    const char *text;
} reasons[] = {
    {ERR_R_SYS_LIB, "system lib"},
    {ERR_R_BIO_LIB, "BIO lib"},
    {ERR_R_MALLOC_FAILURE, "malloc failure"},
    {ERR_R_PASSED_NULL_PARAMETER, "passed a null parameter"},
    {ERR_R_INTERNAL_ERROR, "internal error"},
    {ERR_R_PASSED_INVALID_ARGUMENT, "passed invalid argument"},
    {BIO_R_ACCEPT_ERROR, "accept error"},
    {BIO_R_ADDRINFO_ADDR_IS_NOT_AF_INET, "addrinfo addr is not af inet"},
    {BIO_R_AMBIGUOUS_HOST_OR_SERVICE, "ambiguous host or service"},
    {BIO_R_BAD_FOPEN_MODE, "bad fopen mode"},
    {BIO_R_BROKEN_PIPE, "broken pipe"},
    {BIO_R_CONNECT_ERROR, "connect error"},
    {BIO_R_CONNECT_TIMEOUT, "connect timeout"},
    {BIO_R_GETHOSTBYNAME_ADDR_IS_NOT_AF_INET,
     "gethostbyname addr is not af inet"},
    {BIO_R_GETSOCKNAME_ERROR, "getsockname error"},
    {BIO_R_GETSOCKNAME_TRUNCATED_ADDRESS, "getsockname truncated address"},
    {BIO_R_GETTING_SOCKTYPE, "getting socktype"},
    {BIO_R_INVALID_ARGUMENT, "invalid argument"},
    {BIO_R_INVALID_SOCKET, "invalid socket"},
    {BIO_R_IN_USE, "in use"},
    {BIO_R_LENGTH_TOO_LONG, "length too long"},
    {BIO_R_LISTEN_V6_ONLY, "listen v6 only"},
    {BIO_R_LOOKUP_RETURNED_NOTHING, "lookup returned nothing"},
    {BIO_R_MALFORMED_HOST_OR_SERVICE, "malformed host or service"},
    {BIO_R_NBIO_CONNECT_ERROR, "nbio connect error"},
    {BIO_R_NO_ACCEPT_ADDR_OR_SERVICE_SPECIFIED,
     "no accept addr or service specified"},
    {BIO_R_NO_HOSTNAME_OR_SERVICE_SPECIFIED,
     "no hostname or service specified"},
    {BIO_R_NO_PORT_DEFINED, "no port defined"},
    {BIO_R_NO_SUCH_FILE, "no such file"},
    {BIO_R_TRANSFER_ERROR, "transfer error"},
    {BIO_R_TRANSFER_TIMEOUT, "transfer timeout"},
    {BIO_R_UNABLE_TO_BIND_SOCKET, "unable to bind socket"},
    {BIO_R_UNABLE_TO_CREATE_SOCKET, "unable to create socket"},
    {BIO_R_UNABLE_TO_KEEPALIVE, "unable to keepalive"},
    {BIO_R_UNABLE_TO_LISTEN_SOCKET, "unable to listen socket"},
    {BIO_R_UNABLE_TO_NODELAY, "unable to nodelay"},
    {BIO_R_UNABLE_TO_REUSEADDR, "unable to reuseaddr"},
    {BIO_R_UNAVAILABLE_IP_FAMILY, "unavailable ip family"},
    {BIO_R_UNINITIALIZED, "uninitialized"},
    {BIO_R_UNKNOWN_INFO_TYPE, "unknown info type"},
    {BIO_R_UNSUPPORTED_IP_FAMILY, "unsupported ip family"},
    {BIO_R_UNSUPPORTED_METHOD, "unsupported method"},
    {BIO_R_UNSUPPORTED_PROTOCOL_FAMILY, "unsupported protocol family"},
    {BIO_R_WRITE_TO_READ_ONLY_BIO, "write to read only BIO"},
    {BIO_R_WSASTARTUP, "WSAStartup"},
};

const char *ERR_reason_error_string(unsigned long e)
{
    int reason = ERR_GET_REASON(e);
    size_t i;

    /* Common reasons read the same in every library; BIO ones in BIO. */
    if (ERR_SYSTEM_ERROR(e)
        || ((reason & ERR_RFLAG_COMMON) == 0 && ERR_GET_LIB(e) != ERR_LIB_BIO))
        return NULL;
    for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (reasons[i].reason == reason)
            return reasons[i].text;
    return NULL;
}

static void err_string(unsigned long e, const char *func, char *buf,
                       size_t len)
{
    char lsbuf[64], rsbuf[256];
    const char *ls, *rs = NULL;
    int reason = ERR_GET_REASON(e);
    int n;

    if (buf == NULL || len == 0)
        return;
    ls = ERR_lib_error_string(e);
    if (ls == NULL) {
        snprintf(lsbuf, sizeof(lsbuf), "lib(%d)", ERR_GET_LIB(e));
        ls = lsbuf;
    }
    if (ERR_SYSTEM_ERROR(e)) {
        if (strerror_r(reason, rsbuf, sizeof(rsbuf)) == 0)
            rs = rsbuf;
    } else {
        rs = ERR_reason_error_string(e);
    }
    if (rs == NULL) {
        snprintf(rsbuf, sizeof(rsbuf), "reason(%d)", reason);
        rs = rsbuf;
    }
    n = snprintf(buf, len, "error:%08lX:%s:%s:%s", e, ls, func, rs);
    if (n >= 0 && (size_t)n >= len - 1)
        /* Did not fit (or only just): OpenSSL's short form. */
        snprintf(buf, len, "err:%lx:%lx:%lx:%lx", e,
                 (unsigned long)ERR_GET_LIB(e), 0UL, (unsigned long)reason);
}

void ERR_error_string_n(unsigned long e, char *buf, size_t len)
{
    err_string(e, "", buf, len);
}

void ERR_print_errors_fp(FILE *fp)
{
    const char *file, *func, *data;
    unsigned long e;
    int line;
    char buf[512];

    if (fp == NULL) {
        ERR_clear_error();
        return;
    }
    while ((e = ERR_get_error_all(&file, &line, &func, &data, NULL)) != 0) {
        err_string(e, func, buf, sizeof(buf));
        fprintf(fp, "biosock:%s:%s:%d:%s\n", buf, file, line, data);
    }
}
