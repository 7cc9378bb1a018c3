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

int main(void)
{
    int i, k, n = 0, failed = 0;

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
    printf("# %d of %d passed\n", n - failed, n);
    return failed != 0;
}
