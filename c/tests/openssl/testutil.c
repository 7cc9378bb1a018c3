/*
 * testutil.c - the stand-in's runner and checks (testutil.h).  Built once
 * with OpenSSL's headers and libcrypto, once with biosock's (the include
 * swap in include/openssl/): the same lines come out of both, one per test
 * ("ok 3 - raised_error"), then a summary; the exit status is 1 when a test
 * failed.  After each test the error queue is emptied, as OpenSSL's driver
 * does (printed first when the test failed).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>

#include "testutil.h"

#define MAX_TESTS 256

static struct {
    const char *name;
    int (*fn)(void);
    int (*fn_i)(int);
    int n;
} tests[MAX_TESTS];
static int count;

void add_test(const char *name, int (*fn)(void))
{
    if (count < MAX_TESTS) {
        tests[count].name = name;
        tests[count].fn = fn;
        tests[count].n = 1;
        count++;
    }
}

void add_all_tests(const char *name, int (*fn)(int), int n, int subtest)
{
    (void)subtest;
    if (count < MAX_TESTS) {
        tests[count].name = name;
        tests[count].fn_i = fn;
        tests[count].n = n;
        count++;
    }
}

void test_fail(const char *file, int line, const char *what, const char *a,
               const char *b, const char *values)
{
    const char *base = strrchr(file, '/');

    fprintf(stdout, "# %s:%d: %s(%s, %s) failed%s%s\n",
            base != NULL ? base + 1 : file, line, what, a, b,
            values[0] ? ": " : "", values);
}

void test_info(const char *file, int line, const char *fmt, ...)
{
    const char *base = strrchr(file, '/');
    va_list ap;

    printf("# INFO @ %s:%d: ", base != NULL ? base + 1 : file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

void test_note(const char *fmt, ...)
{
    va_list ap;

    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static int holds(const char *op, int cmp)
{
    if (strcmp(op, "==") == 0)
        return cmp == 0;
    if (strcmp(op, "!=") == 0)
        return cmp != 0;
    if (strcmp(op, "<") == 0)
        return cmp < 0;
    if (strcmp(op, "<=") == 0)
        return cmp <= 0;
    if (strcmp(op, ">") == 0)
        return cmp > 0;
    return cmp >= 0;
}

int test_cmp_long(const char *file, int line, const char *op, const char *sa,
                  const char *sb, long long a, long long b)
{
    char v[96];

    if (holds(op, a < b ? -1 : a > b))
        return 1;
    snprintf(v, sizeof(v), "%lld %s %lld", a, op, b);
    test_fail(file, line, "TEST_int", sa, sb, v);
    return 0;
}

int test_cmp_ulong(const char *file, int line, const char *op, const char *sa,
                   const char *sb, unsigned long long a, unsigned long long b)
{
    char v[96];

    if (holds(op, a < b ? -1 : a > b))
        return 1;
    snprintf(v, sizeof(v), "%llu %s %llu", a, op, b);
    test_fail(file, line, "TEST_ulong", sa, sb, v);
    return 0;
}

int test_cmp_ptr(const char *file, int line, const char *op, const char *sa,
                 const char *sb, const void *a, const void *b)
{
    if (holds(op, a != b))
        return 1;
    test_fail(file, line, "TEST_ptr", sa, sb, a == NULL ? "NULL" : "");
    return 0;
}

int test_cmp_str(const char *file, int line, const char *op, const char *sa,
                 const char *sb, const char *a, const char *b, size_t n)
{
    int cmp;
    char v[512];

    if (a == NULL || b == NULL)
        cmp = a != b;
    else
        cmp = n == (size_t)-1 ? strcmp(a, b) : strncmp(a, b, n);
    if (holds(op, cmp))
        return 1;
    snprintf(v, sizeof(v), "\"%s\" %s \"%s\"", a ? a : "NULL", op,
             b ? b : "NULL");
    test_fail(file, line, "TEST_str", sa, sb, v);
    return 0;
}

int test_cmp_mem(const char *file, int line, const char *op, const char *sa,
                 const char *sb, const void *a, size_t an, const void *b,
                 size_t bn)
{
    int cmp = an != bn || (an > 0 && memcmp(a, b, an) != 0);

    if (holds(op, cmp))
        return 1;
    test_fail(file, line, "TEST_mem", sa, sb, "");
    return 0;
}

int test_truth(const char *file, int line, const char *s, int want, int got)
{
    if (want == got)
        return 1;
    test_fail(file, line, want ? "TEST_true" : "TEST_false", s, "", "");
    return 0;
}

/* Take every entry off the queue, look for a match, and push them back in
 * their order (data copied: the queue owns it while it is taken off). */
static int queue_has(int lib, int reason, const char *want)
{
    struct {
        unsigned long code;
        char *file, *fn, *data;
        int line;
    } e[16];
    int n = 0, found = 0;

    for (; n < 16; n++) {
        const char *file = NULL, *fn = NULL, *data = NULL;

        e[n].code = ERR_get_error_all(&file, &e[n].line, &fn, &data, NULL);
        if (e[n].code == 0)
            break;
        e[n].file = file != NULL ? strdup(file) : NULL;
        e[n].fn = fn != NULL ? strdup(fn) : NULL;
        e[n].data = data != NULL ? strdup(data) : NULL;
    }
    for (int i = 0; i < n; i++) {
        if (want != NULL ? e[i].data != NULL && strcmp(e[i].data, want) == 0
                         : (int)ERR_GET_LIB(e[i].code) == lib
                               && ERR_GET_REASON(e[i].code) == reason)
            found = 1;
        ERR_new();
        ERR_set_debug(e[i].file, e[i].line, e[i].fn);
        if (e[i].data != NULL)
            ERR_set_error((int)ERR_GET_LIB(e[i].code),
                          ERR_GET_REASON(e[i].code), "%s", e[i].data);
        else
            ERR_set_error((int)ERR_GET_LIB(e[i].code),
                          ERR_GET_REASON(e[i].code), NULL);
        free(e[i].file);
        free(e[i].fn);
        free(e[i].data);
    }
    return found;
}

int test_err_r(const char *file, int line, int lib, int reason)
{
    (void)file;
    (void)line;
    return queue_has(lib, reason, NULL);
}

int test_err_s(const char *file, int line, const char *data)
{
    (void)file;
    (void)line;
    return queue_has(0, 0, data);
}

static int print_error(const char *str, size_t len, void *u)
{
    (void)u;
    printf("# %.*s", (int)len, str);
    return 1;
}

/* After a test: its errors printed when it failed, the queue empty. */
static void finalize(int ok)
{
    if (ok)
        ERR_clear_error();
    else
        ERR_print_errors_cb(print_error, NULL);
}

void __attribute__((weak)) cleanup_tests(void)
{
}

struct bio_st *bio_err, *bio_out;

int test_skip_common_options(void)
{
    return 1;
}

uint32_t test_random(void)
{
    static uint64_t state = 0x853c49e6748fea9bULL;

    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(state >> 33);
}

int main(void)
{
    int i, k, n = 0, failed = 0;

    /* A socket BIO over fd 2 writes with write(), as a file's would. */
    bio_err = BIO_new_socket(2, BIO_NOCLOSE);
    bio_out = BIO_new_socket(1, BIO_NOCLOSE);
    if (!setup_tests()) {
        printf("not ok - setup_tests\n");
        return 1;
    }
    for (i = 0; i < count; i++) {
        for (k = 0; k < tests[i].n; k++) {
            int ok = tests[i].fn != NULL ? tests[i].fn() : tests[i].fn_i(k);

            finalize(ok);
            n++;
            failed += !ok;
            if (tests[i].fn != NULL)
                printf("%s %d - %s\n", ok ? "ok" : "not ok", n, tests[i].name);
            else
                printf("%s %d - %s #%d\n", ok ? "ok" : "not ok", n,
                       tests[i].name, k);
        }
    }
    cleanup_tests();
    BIO_free(bio_err);
    BIO_free(bio_out);
    printf("# %d of %d passed\n", n - failed, n);
    return failed != 0;
}
