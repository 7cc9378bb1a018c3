/*
 * err.c - the thread-local error queue, kept, packed and printed as OpenSSL
 * 3 does: a ring of ERR_NUM_ERRORS slots in thread-local storage (so at most
 * 15 entries; the oldest is dropped), marks, and per-entry data.
 *
 * It never allocates.  Data that biosock raises is a pointer to a static
 * string; data that ERR_add_error_data() builds lives in the slot's own
 * buffer of ERR_MAX_DATA_SIZE bytes (OpenSSL grows it with realloc; here
 * longer data is cut at ERR_MAX_DATA_SIZE - 1 bytes).  The flags reported
 * follow OpenSSL's, whose data is always malloc'd: ERR_TXT_MALLOCED |
 * ERR_TXT_STRING for an entry with data, ERR_TXT_MALLOCED for one without
 * in a slot that once held data, 0 otherwise.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sys.h"

#define N ERR_NUM_ERRORS
#define PREFIX "biosock_"

_Static_assert((N & (N - 1)) == 0, "the ring's size is a power of two");

struct queue {
    unsigned long code[N];
    const char *func[N]; /* as raised: api_name() is applied on reading */
    const char *file[N];
    int line[N];
    const char *data[N]; /* NULL, a static string, or buf[i] */
    int data_flags[N];   /* what OpenSSL's err_data_flags would hold */
    int marks[N];        /* as OpenSSL's err_marks: no wrap at 256 */
    /* A slot's buffer for data built here (ERR_add_error_data, a format):
     * allocated the first time the slot needs one, as OpenSSL allocates
     * its err_data, and kept until the thread ends. */
    char *buf[N];
};

/* Each thread's queue is allocated by its first push, not laid out in
 * static TLS for every thread of the process: a thread that never raises
 * an error pays these 16 bytes and nothing else.  The queue is freed when
 * the thread ends (bsock__err_free, called by the platform's thread-exit
 * hook).  The ring's indices stay here, in the thread's own storage: a
 * call after the hook finds no queue (or makes a new one) and indices that
 * read as empty. */
static _Thread_local BSOCK_TLS_ANCHOR struct {
    struct queue *q; /* NULL: none yet */
    struct {
        int top;    /* the newest entry's slot */
        int bottom; /* the slot before the oldest; empty when equal */
    } ring;
} tls;

/* This thread's queue, or NULL when it has none (nothing was raised): for
 * the functions that only read or remove entries.  Taken once per
 * function. */
static inline struct queue *queue_if_any(void)
{
    return tls.q;
}

/* This thread's first queue: NULL when it cannot be allocated. */
BSOCK_NOINLINE BSOCK_COLD static struct queue *new_queue(void)
{
    struct queue *q = calloc(1, sizeof(*q));

    if (q != NULL) {
        tls.ring.top = tls.ring.bottom = 0;
        tls.q = q;
        bsock__at_thread_exit(q);
    }
    return q;
}

/* This thread's queue, allocated on first use; NULL only when that
 * allocation failed (the entry is then dropped, as OpenSSL drops it when
 * it cannot get its ERR_STATE). */
static inline struct queue *this_queue(void)
{
    struct queue *q = tls.q;

    if (BSOCK_UNLIKELY(q == NULL))
        q = new_queue();
    return q;
}

void bsock__err_free(void *queue)
{
    struct queue *q = queue;
    int i;

    if (q == tls.q) {
        tls.q = NULL;
        tls.ring.top = tls.ring.bottom = 0;
    }
    for (i = 0; i < N; i++)
        free(q->buf[i]);
    free(q);
}

void OPENSSL_thread_stop(void)
{
    struct queue *q = tls.q;

    if (q != NULL) {
        bsock__at_thread_exit(NULL);
        bsock__err_free(q);
    }
}

/* The slot's data buffer, allocated when first needed; NULL if it cannot
 * be. */
static char *slot_buf(struct queue *q, int i)
{
    if (q->buf[i] == NULL)
        q->buf[i] = malloc(ERR_MAX_DATA_SIZE);
    return q->buf[i];
}

/* ---------------------------------------------------------------------
 * Slots, as OpenSSL's err_local.h handles them.
 */

static void clear_data(struct queue *q, int i)
{
    /* OpenSSL keeps a slot's buffer, emptied, and its flag: the data reads
     * as "" with ERR_TXT_MALLOCED (the buffer, if any, is reset when it is
     * next written, since its flags then say it holds no string). */
    int malloced = q->data_flags[i] & ERR_TXT_MALLOCED;

    q->data[i] = malloced ? "" : NULL;
    q->data_flags[i] = malloced;
}

static void clear_slot(struct queue *q, int i)
{
    clear_data(q, i);
    q->marks[i] = 0;
    q->code[i] = 0;
    q->line[i] = -1;
    q->file[i] = NULL;
    q->func[i] = NULL;
}

/* The slot after i in the ring (N is a power of two). */
static int next(int i)
{
    return (i + 1) & (N - 1);
}

/* The slot of a new entry at the top, dropping the oldest when the ring is
 * full; its contents are the caller's to set. */
static int advance_top(void)
{
    tls.ring.top = next(tls.ring.top);
    if (tls.ring.top == tls.ring.bottom)
        tls.ring.bottom = next(tls.ring.bottom);
    return tls.ring.top;
}

/* A new, cleared entry at the top. */
static int new_slot(struct queue *q)
{
    int i = advance_top();

    clear_slot(q, i);
    return i;
}

/* The API name for a function: an OpenSSL name's link name
 * ("biosock_BIO_connect") without the prefix; biosock's own extensions
 * ("biosock_listen_backlog") keep it. */
static const char *api_name(const char *func)
{
    const size_t n = sizeof(PREFIX) - 1;

    if (func != NULL && strncmp(func, PREFIX, n) == 0 && func[n] >= 'A'
        && func[n] <= 'Z')
        return func + n;
    return func;
}

/* An entry into q's new top slot. */
static inline void put_in(struct queue *q, unsigned long code,
                          const char *data, const char *func, const char *file,
                          int line)
{
    int i = advance_top();

    /* Every field written once (clear_slot's, with the entry's values). */
    q->marks[i] = 0;
    q->code[i] = code;
    q->func[i] = func;
    q->file[i] = file;
    q->line[i] = line;
    if (data != NULL) {
        q->data[i] = data;
        q->data_flags[i] = ERR_TXT_MALLOCED | ERR_TXT_STRING;
    } else {
        clear_data(q, i);
    }
}

/* A push without a queue: the thread's first, which allocates it. */
BSOCK_NOINLINE BSOCK_COLD static void put_slow(unsigned long code,
                                               const char *data,
                                               const char *func,
                                               const char *file, int line)
{
    struct queue *const q = new_queue();

    if (q != NULL)
        put_in(q, code, data, func, file, line);
}

void bsock__err_put(unsigned long code, const char *data, const char *func,
                    const char *file, int line)
{
    struct queue *const q = tls.q;

    if (BSOCK_UNLIKELY(q == NULL)) {
        put_slow(code, data, func, file, line);
        return;
    }
    put_in(q, code, data, func, file, line);
}

void bsock__err_put_pair(unsigned long sys_code, const char *data,
                         unsigned long bio_code, const char *func,
                         const char *file, int line)
{
    struct queue *const q = tls.q;

    if (BSOCK_UNLIKELY(q == NULL)) {
        /* The first allocates the queue. */
        put_slow(sys_code, data, func, file, line);
        bsock__err_put(bio_code, NULL, func, file, line);
        return;
    }
    put_in(q, sys_code, data, func, file, line);
    put_in(q, bio_code, NULL, func, file, line);
}

void bsock__err_arg(int reason, const char *func, const char *file, int line)
{
    bsock__err_put(BSOCK_PACK(ERR_LIB_BIO, reason), NULL, func, file, line);
    bsock__set_errno(BSOCK_EINVAL);
}

/* ---------------------------------------------------------------------
 * Reading the queue.
 */

enum get { POP, PEEK, PEEK_LAST };

static unsigned long get(struct queue *q, enum get g, const char **file,
                         int *line, const char **func, const char **data,
                         int *flags)
{
    unsigned long code;
    int i;

    if (q == NULL || tls.ring.bottom == tls.ring.top)
        return 0;
    i = g == PEEK_LAST ? tls.ring.top : next(tls.ring.bottom);
    code = q->code[i];
    if (g == POP) {
        tls.ring.bottom = i;
        q->code[i] = 0;
    }
    if (file != NULL)
        *file = q->file[i] != NULL ? q->file[i] : "";
    if (line != NULL)
        *line = q->line[i];
    if (func != NULL)
        *func = q->func[i] != NULL ? api_name(q->func[i]) : "";
    if (flags != NULL)
        *flags = q->data_flags[i];
    if (data == NULL) {
        if (g == POP)
            clear_data(q, i);
    } else {
        *data = q->data[i];
        if (*data == NULL) {
            *data = "";
            if (flags != NULL)
                *flags = 0;
        }
    }
    return code;
}

unsigned long ERR_get_error(void)
{
    return get(queue_if_any(), POP, NULL, NULL, NULL, NULL, NULL);
}

unsigned long ERR_get_error_all(const char **file, int *line,
                                const char **func, const char **data,
                                int *flags)
{
    return get(queue_if_any(), POP, file, line, func, data, flags);
}

unsigned long ERR_get_error_line(const char **file, int *line)
{
    return get(queue_if_any(), POP, file, line, NULL, NULL, NULL);
}

unsigned long ERR_get_error_line_data(const char **file, int *line,
                                      const char **data, int *flags)
{
    return get(queue_if_any(), POP, file, line, NULL, data, flags);
}

unsigned long ERR_peek_error(void)
{
    return get(queue_if_any(), PEEK, NULL, NULL, NULL, NULL, NULL);
}

unsigned long ERR_peek_error_line(const char **file, int *line)
{
    return get(queue_if_any(), PEEK, file, line, NULL, NULL, NULL);
}

unsigned long ERR_peek_error_func(const char **func)
{
    return get(queue_if_any(), PEEK, NULL, NULL, func, NULL, NULL);
}

unsigned long ERR_peek_error_data(const char **data, int *flags)
{
    return get(queue_if_any(), PEEK, NULL, NULL, NULL, data, flags);
}

unsigned long ERR_peek_error_all(const char **file, int *line,
                                 const char **func, const char **data,
                                 int *flags)
{
    return get(queue_if_any(), PEEK, file, line, func, data, flags);
}

unsigned long ERR_peek_error_line_data(const char **file, int *line,
                                       const char **data, int *flags)
{
    return get(queue_if_any(), PEEK, file, line, NULL, data, flags);
}

unsigned long ERR_peek_last_error(void)
{
    return get(queue_if_any(), PEEK_LAST, NULL, NULL, NULL, NULL, NULL);
}

unsigned long ERR_peek_last_error_line(const char **file, int *line)
{
    return get(queue_if_any(), PEEK_LAST, file, line, NULL, NULL, NULL);
}

unsigned long ERR_peek_last_error_func(const char **func)
{
    return get(queue_if_any(), PEEK_LAST, NULL, NULL, func, NULL, NULL);
}

unsigned long ERR_peek_last_error_data(const char **data, int *flags)
{
    return get(queue_if_any(), PEEK_LAST, NULL, NULL, NULL, data, flags);
}

unsigned long ERR_peek_last_error_all(const char **file, int *line,
                                      const char **func, const char **data,
                                      int *flags)
{
    return get(queue_if_any(), PEEK_LAST, file, line, func, data, flags);
}

unsigned long ERR_peek_last_error_line_data(const char **file, int *line,
                                            const char **data, int *flags)
{
    return get(queue_if_any(), PEEK_LAST, file, line, NULL, data, flags);
}

size_t biosock_err_drain(BIOSOCK_ERR_ENTRY *out, size_t max)
{
    struct queue *const q = queue_if_any();
    size_t n = 0;

    if (q == NULL)
        return 0;
    while (tls.ring.bottom != tls.ring.top && n < max) {
        int i = next(tls.ring.bottom);

        out[n].code = q->code[i];
        out[n].data =
            q->data[i] != NULL && q->data[i][0] != '\0' ? q->data[i] : NULL;
        out[n].data_is_static = q->data[i] != q->buf[i];
        n++;
        tls.ring.bottom = i;
    }
    ERR_clear_error();
    return n;
}

/* OpenSSL clears every slot and restarts the ring at 0.  Only the indices
 * matter here: no slot outside (bottom, top] can be read, new_slot(q) clears
 * a slot as it takes it, and what survives a clear in OpenSSL (a slot's
 * ERR_TXT_MALLOCED) survives here too.  So a clear is two stores, and a
 * failing call's entries cost nothing until they are pushed. */
void ERR_clear_error(void)
{
    struct queue *const q = queue_if_any();
    if (q != NULL)
        tls.ring.top = tls.ring.bottom = 0;
}

/* ---------------------------------------------------------------------
 * Raising from C code, as OpenSSL's ERR_raise / ERR_raise_data do.
 */

void ERR_new(void)
{
    struct queue *const q = this_queue();
    if (q != NULL)
        new_slot(q);
}

void ERR_set_debug(const char *file, int line, const char *func)
{
    struct queue *const q = queue_if_any();
    if (q == NULL)
        return;
    q->file[tls.ring.top] = file;
    q->line[tls.ring.top] = line;
    q->func[tls.ring.top] = func;
}

void ERR_vset_error(int lib, int reason, const char *fmt, va_list args)
{
    struct queue *const q = queue_if_any();
    char *buf;
    int i;

    if (q == NULL)
        return;
    i = tls.ring.top;
    clear_data(q, i);
    q->code[i] = BSOCK_PACK(lib, reason);
    if (fmt != NULL && (buf = slot_buf(q, i)) != NULL) {
        vsnprintf(buf, ERR_MAX_DATA_SIZE, fmt, args);
        q->data[i] = buf;
        q->data_flags[i] = ERR_TXT_MALLOCED | ERR_TXT_STRING;
    }
}

void ERR_set_error(int lib, int reason, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ERR_vset_error(lib, reason, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------------
 * Data.
 */

/* Append s to the top slot's buffer, cut at its size. */
static void append(char *buf, const char *s)
{
    size_t used = strlen(buf);

    if (used < ERR_MAX_DATA_SIZE - 1)
        snprintf(buf + used, ERR_MAX_DATA_SIZE - used, "%s", s);
}

void ERR_add_error_vdata(int num, va_list args)
{
    struct queue *const q = queue_if_any();
    int i, flags = ERR_TXT_MALLOCED | ERR_TXT_STRING;
    char *buf;

    if (q == NULL || (buf = slot_buf(q, i = tls.ring.top)) == NULL)
        return;
    /* OpenSSL appends to data it allocated (all raised data is), else it
     * starts afresh. */
    if ((q->data_flags[i] & flags) == flags) {
        if (q->data[i] != buf)
            snprintf(buf, ERR_MAX_DATA_SIZE, "%s", q->data[i]);
    } else {
        buf[0] = '\0';
    }
    while (--num >= 0) {
        const char *arg = va_arg(args, const char *);

        append(buf, arg != NULL ? arg : "<NULL>");
    }
    q->data[i] = buf;
    q->data_flags[i] = flags;
}

/* ERR_add_error_txt's room in one entry's data: biosock's limit, where
 * OpenSSL's is 3,996 bytes (what ERR_print_errors_cb prints whole). */
#define TXT_ROOM (ERR_MAX_DATA_SIZE - 1)

void ERR_add_error_txt(const char *separator, const char *txt)
{
    const char *file = NULL, *func = NULL, *data = NULL;
    unsigned long err = ERR_peek_last_error();
    int line = 0, flags = 0;

    if (separator == NULL)
        separator = "";
    if (err == 0) { /* an entry to add to, as OpenSSL makes */
        ERR_new();
        ERR_set_debug("", 0, NULL);
        ERR_set_error(ERR_LIB_NONE, 0, NULL);
    }
    /* As OpenSSL's: txt goes into the newest entry's data, after
     * separator; what does not fit continues in copies of that entry
     * (same code, file, line and function), split at a separator where
     * there is one. */
    do {
        const char *curr = txt, *next = txt, *lead = separator;
        size_t room, data_len, sep_len = strlen(separator);
        int trailing = 0;
        char *tmp;

        err = ERR_peek_last_error_all(&file, &line, &func, &data, &flags);
        if ((flags & ERR_TXT_STRING) == 0) {
            data = "";
            lead = "";
        }
        data_len = strlen(data);
        room = data_len >= TXT_ROOM || sep_len >= TXT_ROOM - data_len
                   ? 0
                   : TXT_ROOM - data_len - sep_len - 1;
        if (*separator == '\0') {
            size_t len = strlen(next);

            next += len <= room ? len : room;
            curr = len <= room ? NULL : next;
        } else {
            while (*next != '\0' && (size_t)(next - txt) <= room) {
                curr = next;
                next = strstr(curr, separator);
                if (next != NULL) {
                    next += sep_len;
                    trailing = *next == '\0';
                } else {
                    next = curr + strlen(curr);
                }
            }
            if ((size_t)(next - txt) <= room)
                curr = NULL;
        }
        if (curr != NULL) { /* split at curr: the rest in a new entry */
            if (curr != txt) {
                if ((tmp = bsock__copy_n(txt, (size_t)(curr - txt))) == NULL)
                    return;
                ERR_add_error_data(2, separator, tmp);
                free(tmp);
            }
            ERR_new();
            ERR_set_debug(file, line, func);
            ERR_set_error(ERR_GET_LIB(err), ERR_GET_REASON(err), NULL);
            txt = curr;
        } else {
            if (trailing) { /* without its trailing separator */
                if ((tmp = bsock__copy_n(txt, (size_t)(next - sep_len - txt)))
                    == NULL)
                    return;
                ERR_add_error_data(2, lead, tmp);
                free(tmp);
            } else {
                ERR_add_error_data(2, lead, txt);
            }
            txt = next;
        }
    } while (*txt != '\0');
}

void ERR_set_error_data(char *data, int flags)
{
    struct queue *const q = queue_if_any();
    int i;

    if (q == NULL || tls.ring.top == tls.ring.bottom) {
        if (flags & ERR_TXT_MALLOCED)
            free(data);
        return;
    }
    i = tls.ring.top;
    clear_data(q, i);
    if ((flags & ERR_TXT_MALLOCED) == 0) {
        q->data[i] = data;
        q->data_flags[i] = flags;
        return;
    }
    /* The queue's to free: copied into the slot's buffer, freed now. */
    if (slot_buf(q, i) != NULL) {
        snprintf(q->buf[i], ERR_MAX_DATA_SIZE, "%s", data);
        q->data[i] = q->buf[i];
        q->data_flags[i] = flags;
    }
    free(data);
}

void ERR_add_error_data(int num, ...)
{
    va_list ap;

    va_start(ap, num);
    ERR_add_error_vdata(num, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------------
 * Marks, counted per entry as in OpenSSL (3.0.19, 3.5.5, 4.0.3 alike).
 */

int ERR_set_mark(void)
{
    struct queue *const q = queue_if_any();
    if (q == NULL || tls.ring.bottom == tls.ring.top)
        return 0;
    q->marks[tls.ring.top]++;
    return 1;
}

static int down(int i)
{
    return i > 0 ? i - 1 : N - 1;
}

int ERR_pop(void)
{
    struct queue *const q = queue_if_any();
    if (q == NULL || tls.ring.bottom == tls.ring.top)
        return 0;
    clear_slot(q, tls.ring.top);
    tls.ring.top = down(tls.ring.top);
    return 1;
}

int ERR_pop_to_mark(void)
{
    struct queue *const q = queue_if_any();
    if (q == NULL)
        return 0;
    while (tls.ring.bottom != tls.ring.top && q->marks[tls.ring.top] == 0) {
        clear_slot(q, tls.ring.top);
        tls.ring.top = down(tls.ring.top);
    }
    if (tls.ring.bottom == tls.ring.top)
        return 0;
    q->marks[tls.ring.top]--;
    return 1;
}

int ERR_count_to_mark(void)
{
    struct queue *const q = queue_if_any();
    int count = 0, top;

    if (q == NULL)
        return 0;
    top = tls.ring.top;
    while (tls.ring.bottom != top && q->marks[top] == 0) {
        count++;
        top = down(top);
    }
    return count;
}

int ERR_clear_last_mark(void)
{
    struct queue *const q = queue_if_any();
    int top;

    if (q == NULL)
        return 0;
    top = tls.ring.top;
    while (tls.ring.bottom != top && q->marks[top] == 0)
        top = down(top);
    if (tls.ring.bottom == top)
        return 0;
    q->marks[top]--;
    return 1;
}

/* ---------------------------------------------------------------------
 * Text: OpenSSL 4.0's library and reason strings.
 */

struct text {
    unsigned long code;
    const char *text;
};

static const struct text libraries[] = {
    {ERR_LIB_NONE, "unknown library"},
    {ERR_LIB_SYS, "system library"},
    {ERR_LIB_BN, "bignum routines"},
    {ERR_LIB_RSA, "rsa routines"},
    {ERR_LIB_DH, "Diffie-Hellman routines"},
    {ERR_LIB_EVP, "digital envelope routines"},
    {ERR_LIB_BUF, "memory buffer routines"},
    {ERR_LIB_OBJ, "object identifier routines"},
    {ERR_LIB_PEM, "PEM routines"},
    {ERR_LIB_DSA, "dsa routines"},
    {ERR_LIB_X509, "x509 certificate routines"},
    {ERR_LIB_ASN1, "asn1 encoding routines"},
    {ERR_LIB_CONF, "configuration file routines"},
    {ERR_LIB_CRYPTO, "common libcrypto routines"},
    {ERR_LIB_EC, "elliptic curve routines"},
    {ERR_LIB_ECDSA, "ECDSA routines"},
    {ERR_LIB_ECDH, "ECDH routines"},
    {ERR_LIB_SSL, "SSL routines"},
    {ERR_LIB_BIO, "BIO routines"},
    {ERR_LIB_PKCS7, "PKCS7 routines"},
    {ERR_LIB_X509V3, "X509 V3 routines"},
    {ERR_LIB_PKCS12, "PKCS12 routines"},
    {ERR_LIB_RAND, "random number generator"},
    {ERR_LIB_DSO, "DSO support routines"},
    {ERR_LIB_TS, "time stamp routines"},
    {ERR_LIB_ENGINE, "engine routines"},
    {ERR_LIB_OCSP, "OCSP routines"},
    {ERR_LIB_UI, "UI routines"},
    {ERR_LIB_FIPS, "FIPS routines"},
    {ERR_LIB_CMS, "CMS routines"},
    {ERR_LIB_CRMF, "CRMF routines"},
    {ERR_LIB_CMP, "CMP routines"},
    {ERR_LIB_HMAC, "HMAC routines"},
    {ERR_LIB_CT, "CT routines"},
    {ERR_LIB_ASYNC, "ASYNC routines"},
    {ERR_LIB_KDF, "KDF routines"},
    {ERR_LIB_OSSL_STORE, "STORE routines"},
    {ERR_LIB_SM2, "SM2 routines"},
    {ERR_LIB_ESS, "ESS routines"},
    {ERR_LIB_PROV, "Provider routines"},
    {ERR_LIB_OSSL_ENCODER, "ENCODER routines"},
    {ERR_LIB_OSSL_DECODER, "DECODER routines"},
    {ERR_LIB_HTTP, "HTTP routines"},
};

/* The reasons common to every library (OpenSSL's ERR_str_reasons). */
static const struct text common_reasons[] = {
    {ERR_R_SYS_LIB, "system lib"},
    {ERR_R_BN_LIB, "BN lib"},
    {ERR_R_RSA_LIB, "RSA lib"},
    {ERR_R_DH_LIB, "DH lib"},
    {ERR_R_EVP_LIB, "EVP lib"},
    {ERR_R_BUF_LIB, "BUF lib"},
    {ERR_R_OBJ_LIB, "OBJ lib"},
    {ERR_R_PEM_LIB, "PEM lib"},
    {ERR_R_DSA_LIB, "DSA lib"},
    {ERR_R_X509_LIB, "X509 lib"},
    {ERR_R_ASN1_LIB, "ASN1 lib"},
    {ERR_R_CRYPTO_LIB, "CRYPTO lib"},
    {ERR_R_EC_LIB, "EC lib"},
    {ERR_R_BIO_LIB, "BIO lib"},
    {ERR_R_PKCS7_LIB, "PKCS7 lib"},
    {ERR_R_X509V3_LIB, "X509V3 lib"},
    {ERR_R_ENGINE_LIB, "ENGINE lib"},
    {ERR_R_UI_LIB, "UI lib"},
    {ERR_R_ECDSA_LIB, "ECDSA lib"},
    {ERR_R_OSSL_STORE_LIB, "OSSL_STORE lib"},
    {ERR_R_OSSL_DECODER_LIB, "OSSL_DECODER lib"},
    {ERR_R_FATAL, "fatal"},
    {ERR_R_MALLOC_FAILURE, "malloc failure"},
    {ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED,
     "called a function you should not call"},
    {ERR_R_PASSED_NULL_PARAMETER, "passed a null parameter"},
    {ERR_R_INTERNAL_ERROR, "internal error"},
    {ERR_R_DISABLED, "called a function that was disabled at compile-time"},
    {ERR_R_INIT_FAIL, "init fail"},
    {ERR_R_PASSED_INVALID_ARGUMENT, "passed invalid argument"},
    {ERR_R_OPERATION_FAIL, "operation fail"},
    {ERR_R_INVALID_PROVIDER_FUNCTIONS, "invalid provider functions"},
    {ERR_R_INTERRUPTED_OR_CANCELLED, "interrupted or cancelled"},
    {ERR_R_NESTED_ASN1_ERROR, "nested asn1 error"},
    {ERR_R_MISSING_ASN1_EOS, "missing asn1 eos"},
    {ERR_R_UNSUPPORTED, "unsupported"},
    {ERR_R_FETCH_FAILED, "fetch failed"},
    {ERR_R_INVALID_PROPERTY_DEFINITION, "invalid property definition"},
    {ERR_R_UNABLE_TO_GET_READ_LOCK, "unable to get read lock"},
    {ERR_R_UNABLE_TO_GET_WRITE_LOCK, "unable to get write lock"},
};

/* The BIO library's reasons (OpenSSL's bio_err.c). */
static const struct text bio_reasons[] = {
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
    {BIO_R_LOCAL_ADDR_NOT_AVAILABLE, "local address not available"},
    {BIO_R_LOOKUP_RETURNED_NOTHING, "lookup returned nothing"},
    {BIO_R_MALFORMED_HOST_OR_SERVICE, "malformed host or service"},
    {BIO_R_NBIO_CONNECT_ERROR, "nbio connect error"},
    {BIO_R_NON_FATAL, "non-fatal or transient error"},
    {BIO_R_NO_ACCEPT_ADDR_OR_SERVICE_SPECIFIED,
     "no accept addr or service specified"},
    {BIO_R_NO_HOSTNAME_OR_SERVICE_SPECIFIED,
     "no hostname or service specified"},
    {BIO_R_NO_PORT_DEFINED, "no port defined"},
    {BIO_R_NO_SUCH_FILE, "no such file"},
    {BIO_R_PEER_ADDR_NOT_AVAILABLE, "peer address not available"},
    {BIO_R_PORT_MISMATCH, "port mismatch"},
    {BIO_R_TFO_DISABLED, "tfo disabled"},
    {BIO_R_TFO_NO_KERNEL_SUPPORT, "tfo no kernel support"},
    {BIO_R_TRANSFER_ERROR, "transfer error"},
    {BIO_R_TRANSFER_TIMEOUT, "transfer timeout"},
    {BIO_R_UNABLE_TO_BIND_SOCKET, "unable to bind socket"},
    {BIO_R_UNABLE_TO_CREATE_SOCKET, "unable to create socket"},
    {BIO_R_UNABLE_TO_KEEPALIVE, "unable to keepalive"},
    {BIO_R_UNABLE_TO_LISTEN_SOCKET, "unable to listen socket"},
    {BIO_R_UNABLE_TO_NODELAY, "unable to nodelay"},
    {BIO_R_UNABLE_TO_REUSEADDR, "unable to reuseaddr"},
    {BIO_R_UNABLE_TO_TFO, "unable to tfo"},
    {BIO_R_UNAVAILABLE_IP_FAMILY, "unavailable ip family"},
    {BIO_R_UNINITIALIZED, "uninitialized"},
    {BIO_R_UNKNOWN_INFO_TYPE, "unknown info type"},
    {BIO_R_UNSUPPORTED_IP_FAMILY, "unsupported ip family"},
    {BIO_R_UNSUPPORTED_METHOD, "unsupported method"},
    {BIO_R_UNSUPPORTED_PROTOCOL_FAMILY, "unsupported protocol family"},
    {BIO_R_WRITE_TO_READ_ONLY_BIO, "write to read only BIO"},
    {BIO_R_WSASTARTUP, "WSAStartup"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *find(const struct text *t, size_t n, unsigned long code)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (t[i].code == code)
            return t[i].text;
    return NULL;
}

/* ---------------------------------------------------------------------
 * ERR_load_strings: the caller's texts by packed code, under the process's
 * lock.  A code unloaded stays in the table with no text: OpenSSL's one
 * table forgets it, built-in text and all.  loaded_any lets the lookups
 * skip the lock while nothing was ever loaded (biosock's own texts are the
 * static tables).
 */
static bsock__sys_lock strings_lock = BSOCK_SYS_LOCK_INIT;
static struct text *loaded; /* text NULL: unloaded */
static size_t n_loaded, cap_loaded;
static _Atomic int loaded_any;
static int next_library = ERR_LIB_USER;

/* The loaded text of code in *text (NULL for an unloaded one): 1 when code
 * is in the table, 0 when the built-in tables say. */
static int loaded_text(unsigned long code, const char **text)
{
    int found = 0;
    size_t i;

    *text = NULL;
    if (!loaded_any)
        return 0;
    bsock__sys_lock_take(&strings_lock);
    for (i = 0; i < n_loaded && !found; i++)
        if (loaded[i].code == code) {
            *text = loaded[i].text;
            found = 1;
        }
    bsock__sys_lock_give(&strings_lock);
    return found;
}

/* The table goes with the library, as OpenSSL frees its own at cleanup
 * (a leak checker then finds nothing). */
BSOCK_AT_UNLOAD static void free_loaded(void)
{
    free(loaded);
    loaded = NULL;
    n_loaded = cap_loaded = 0;
}

/* Give code the text (NULL: unloaded), in place or appended; 0 without
 * memory.  Under the lock. */
static int set_locked(unsigned long code, const char *text)
{
    size_t i;

    for (i = 0; i < n_loaded; i++)
        if (loaded[i].code == code) {
            loaded[i].text = text;
            return 1;
        }
    if (n_loaded == cap_loaded) {
        size_t cap = cap_loaded != 0 ? 2 * cap_loaded : 16;
        struct text *grown = realloc(loaded, cap * sizeof(*loaded));

        if (grown == NULL)
            return 0;
        loaded = grown;
        cap_loaded = cap;
    }
    loaded[n_loaded].code = code;
    loaded[n_loaded++].text = text;
    return 1;
}

/* Set each of str's codes to its text, or (unload) to none. */
static int set_all(const ERR_STRING_DATA *str, int unload)
{
    int ok = 1;

    bsock__sys_lock_take(&strings_lock);
    for (; ok && str->error != 0; str++)
        ok = set_locked(str->error, unload ? NULL : str->string);
    loaded_any = 1;
    bsock__sys_lock_give(&strings_lock);
    return ok;
}

int ERR_load_strings(int lib, ERR_STRING_DATA *str)
{
    ERR_STRING_DATA *p;

    for (p = str; p->error != 0; p++)
        p->error |= ERR_PACK(lib, 0, 0);
    return set_all(str, 0);
}

int ERR_load_strings_const(const ERR_STRING_DATA *str)
{
    return set_all(str, 0);
}

int ERR_unload_strings(int lib, ERR_STRING_DATA *str)
{
    (void)lib;
    (void)set_all(str, 1);
    return 1;
}

int ERR_get_next_error_library(void)
{
    int lib;

    bsock__sys_lock_take(&strings_lock);
    lib = next_library++;
    bsock__sys_lock_give(&strings_lock);
    return lib;
}

const char *ERR_lib_error_string(unsigned long e)
{
    unsigned long lib = (unsigned long)ERR_GET_LIB(e);
    const char *s;

    if (loaded_text(ERR_PACK(lib, 0, 0), &s))
        return s;
    return find(libraries, COUNT(libraries), lib);
}

const char *ERR_reason_error_string(unsigned long e)
{
    unsigned long r = (unsigned long)ERR_GET_REASON(e);
    const char *s = NULL;

    /* OpenSSL gives no text for system errors here: it needs a buffer. */
    if (ERR_SYSTEM_ERROR(e))
        return NULL;
    /* OpenSSL keeps library and reason texts in one table, so reason 0
     * finds the library's own entry. */
    if (r == 0)
        return ERR_lib_error_string(e);
    /* As OpenSSL's one table: the library's reason, then the common one;
     * a code in the loaded table (unloaded too) decides for its key. */
    if (!loaded_text(ERR_PACK(ERR_GET_LIB(e), 0, r), &s)
        && ERR_GET_LIB(e) == ERR_LIB_BIO)
        s = find(bio_reasons, COUNT(bio_reasons), r);
    if (s != NULL)
        return s;
    if (loaded_text(ERR_PACK(0, 0, r), &s))
        return s;
    return find(common_reasons, COUNT(common_reasons), r);
}

const char *ERR_func_error_string(unsigned long e)
{
    (void)e;
    return NULL;
}

static const char *sys_text(int err, char *buf, size_t len)
{
    return bsock__sys_strerror(err, buf, len);
}

static void err_string(unsigned long e, const char *func, char *buf,
                       size_t len)
{
    char lsbuf[64], rsbuf[256];
    const char *ls, *rs;
    int reason = ERR_GET_REASON(e);
    int n;

    if (buf == NULL || len == 0)
        return;
    ls = ERR_lib_error_string(e);
    if (ls == NULL) {
        snprintf(lsbuf, sizeof(lsbuf), "lib(%d)", ERR_GET_LIB(e));
        ls = lsbuf;
    }
    rs = ERR_reason_error_string(e);
    if (rs == NULL && ERR_SYSTEM_ERROR(e))
        rs = sys_text(reason, rsbuf, sizeof(rsbuf));
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

char *ERR_error_string(unsigned long e, char *buf)
{
    static char shared[256];

    if (buf == NULL)
        buf = shared;
    ERR_error_string_n(e, buf, sizeof(shared));
    return buf;
}

/* ---------------------------------------------------------------------
 * Printing: one line per entry, as OpenSSL's ERR_print_errors_cb writes it
 * (the thread id in hex, the error string with the function, file, line,
 * data).
 */

void ERR_print_errors_cb(int (*cb)(const char *str, size_t len, void *u),
                         void *u)
{
    const char *file, *func, *data;
    unsigned long e;
    int line, flags;
    bsock__thread_id tid = bsock__sys_thread_id();
    const unsigned char *t = (const unsigned char *)&tid;
    char hex[2 * sizeof(tid) + 1], buf[4096];
    size_t i, off;

    for (i = 0; i < sizeof(tid); i++)
        snprintf(hex + 2 * i, 3, "%02X", t[i]);
    if (cb == NULL) {
        ERR_clear_error();
        return;
    }
    while ((e = ERR_get_error_all(&file, &line, &func, &data, &flags)) != 0) {
        if ((flags & ERR_TXT_STRING) == 0)
            data = "";
        off = (size_t)snprintf(buf, sizeof(buf), "%s:", hex);
        err_string(e, func, buf + off, sizeof(buf) - off);
        off += strlen(buf + off);
        snprintf(buf + off, sizeof(buf) - off, ":%s:%d:%s\n", file, line,
                 data);
        if (cb(buf, strlen(buf), u) <= 0)
            break;
    }
}

static int print_fp(const char *str, size_t len, void *fp)
{
    return fwrite(str, 1, len, fp) == len;
}

void ERR_print_errors_fp(FILE *fp)
{
    if (fp == NULL) {
        ERR_clear_error();
        return;
    }
    ERR_print_errors_cb(print_fp, fp);
}

int ERR_load_BIO_strings(void)
{
    return 1;
}

/* The thread's queue itself, opaque: nothing takes an ERR_STATE from
 * ERR_get_state() (OpenSSL 3.0 has no such function; OSSL_ERR_STATE_* take
 * their own). */
ERR_STATE *ERR_get_state(void)
{
    return (ERR_STATE *)(void *)this_queue();
}

void ERR_remove_thread_state(void *unused)
{
    (void)unused;
}

void ERR_remove_state(unsigned long pid)
{
    (void)pid;
}

/* ---------------------------------------------------------------------
 * OSSL_ERR_STATE: entries taken out of this thread's queue and put back
 * (OpenSSL 3.2).  A saved state holds its entries oldest first, their data
 * its own copies (static texts by pointer); marks are not kept (OpenSSL's
 * restore drops them too).
 */
struct err_state_st {
    int n;
    struct saved_entry {
        unsigned long code;
        const char *func, *file, *data;
        int line, data_flags;
        char *owned; /* data, when it is a copy of the state's own */
    } e[N];
};

static void state_clear(ERR_STATE *es)
{
    int k;

    for (k = 0; k < es->n; k++)
        free(es->e[k].owned);
    es->n = 0;
}

ERR_STATE *OSSL_ERR_STATE_new(void)
{
    return calloc(1, sizeof(ERR_STATE));
}

void OSSL_ERR_STATE_free(ERR_STATE *es)
{
    if (es == NULL)
        return;
    state_clear(es);
    free(es);
}

/* Move the queue's entries above slot `from` (oldest first) into es, and
 * make `from` the top. */
static void state_take(ERR_STATE *es, struct queue *q, int from)
{
    int i = from;

    state_clear(es);
    while (i != tls.ring.top) {
        struct saved_entry *x = &es->e[es->n];

        i = next(i);
        x->code = q->code[i];
        x->func = q->func[i];
        x->file = q->file[i];
        x->line = q->line[i];
        x->data_flags = q->data_flags[i];
        x->owned = NULL;
        x->data = q->data[i];
        if (q->data[i] != NULL && q->data[i] == q->buf[i]) {
            x->owned = bsock__copy_n(q->buf[i], ERR_MAX_DATA_SIZE);
            x->data = x->owned != NULL ? x->owned : "";
        }
        es->n++;
        /* The data went with the entry: the slot holds none, not even an
         * emptied buffer (OpenSSL hands its buffers over). */
        clear_slot(q, i);
        q->data[i] = NULL;
        q->data_flags[i] = 0;
    }
    tls.ring.top = from;
}

void OSSL_ERR_STATE_save(ERR_STATE *es)
{
    struct queue *const q = queue_if_any();
    int i;

    if (es == NULL)
        return;
    if (q == NULL) {
        state_clear(es);
        return;
    }
    state_take(es, q, tls.ring.bottom);
    tls.ring.top = tls.ring.bottom = 0;
    /* OpenSSL's save takes the whole state over, every slot's buffer with
     * it: no slot has data afterwards. */
    for (i = 0; i < N; i++) {
        q->data[i] = NULL;
        q->data_flags[i] = 0;
    }
}

void OSSL_ERR_STATE_save_to_mark(ERR_STATE *es)
{
    struct queue *const q = queue_if_any();
    int top;

    if (es == NULL)
        return;
    if (q == NULL) {
        state_clear(es);
        return;
    }
    top = tls.ring.top;
    while (top != tls.ring.bottom && q->marks[top] == 0)
        top = down(top);
    state_take(es, q, top);
}

void OSSL_ERR_STATE_restore(const ERR_STATE *es)
{
    int k;

    if (es == NULL)
        return;
    for (k = 0; k < es->n; k++) {
        const struct saved_entry *x = &es->e[k];
        struct queue *q = this_queue();
        int i;
        char *buf;

        if (q == NULL)
            return;
        i = new_slot(q);
        q->code[i] = x->code;
        q->func[i] = x->func;
        q->file[i] = x->file;
        q->line[i] = x->line;
        if (x->owned != NULL && (buf = slot_buf(q, i)) != NULL) {
            snprintf(buf, ERR_MAX_DATA_SIZE, "%s", x->owned);
            q->data[i] = buf;
            q->data_flags[i] = x->data_flags;
        } else if (x->owned == NULL && x->data != NULL) {
            q->data[i] = x->data;
            q->data_flags[i] = x->data_flags;
        }
    }
}
