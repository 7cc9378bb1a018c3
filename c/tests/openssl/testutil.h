/*
 * testutil.h - a small stand-in for OpenSSL's test/testutil, enough to
 * build OpenSSL's own test files unmodified against biosock and against
 * libcrypto (OpenSSL's testutil pulls in its providers, BIGNUM and X509
 * printing).  The TEST_* checks return 1 or 0 as OpenSSL's do and print
 * what failed; ADD_TEST/ADD_ALL_TESTS register; main() (testutil.c) runs
 * setup_tests() and then every test, one TAP-style line each.
 */
#ifndef BIOSOCK_TESTUTIL_H
#define BIOSOCK_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int setup_tests(void);
void cleanup_tests(void);

/* The options every OpenSSL test takes: none here (always 1). */
int test_skip_common_options(void);
/* A random number for a test's data, the same sequence every run (the
 * sequence OpenSSL's test_random() gives with its default seed is not
 * needed: no test prints it). */
uint32_t test_random(void);
/* Where OpenSSL's tests print (stderr), a BIO of the library under test:
 * set before setup_tests(). */
struct bio_st;
extern struct bio_st *bio_err, *bio_out;

#ifndef OSSL_NELEM
#define OSSL_NELEM(x) (sizeof(x) / sizeof((x)[0]))
#endif

void add_test(const char *name, int (*fn)(void));
void add_all_tests(const char *name, int (*fn)(int), int n, int subtest);
#define ADD_TEST(fn) add_test(#fn, fn)
#define ADD_ALL_TESTS(fn, n) add_all_tests(#fn, fn, n, 1)
#define ADD_ALL_TESTS_NOSUBTEST(fn, n) add_all_tests(#fn, fn, n, 0)

/* What a failed check prints: where, the expression, the values. */
void test_fail(const char *file, int line, const char *what, const char *a,
               const char *b, const char *values);
void test_info(const char *file, int line, const char *fmt, ...);
void test_note(const char *fmt, ...);
#define TEST_info(...) test_info(__FILE__, __LINE__, __VA_ARGS__)
#define TEST_note(...) test_note(__VA_ARGS__)
#define TEST_error(...) test_info(__FILE__, __LINE__, __VA_ARGS__)
#define TEST_skip(...) (test_note(__VA_ARGS__), 1)

int test_cmp_long(const char *file, int line, const char *op, const char *sa,
                  const char *sb, long long a, long long b);
int test_cmp_ulong(const char *file, int line, const char *op, const char *sa,
                   const char *sb, unsigned long long a, unsigned long long b);
int test_cmp_ptr(const char *file, int line, const char *op, const char *sa,
                 const char *sb, const void *a, const void *b);
int test_cmp_str(const char *file, int line, const char *op, const char *sa,
                 const char *sb, const char *a, const char *b, size_t n);
int test_cmp_mem(const char *file, int line, const char *op, const char *sa,
                 const char *sb, const void *a, size_t an, const void *b,
                 size_t bn);
int test_truth(const char *file, int line, const char *s, int want, int got);
/* 4.0's: whether an entry of the queue has lib and reason (test_err_r),
 * or data (test_err_s); the queue is left as it was. */
int test_err_r(const char *file, int line, int lib, int reason);
int test_err_s(const char *file, int line, const char *data);
#define TEST_err_r(a, b) test_err_r(__FILE__, __LINE__, a, b)
#define TEST_err_s(a) test_err_s(__FILE__, __LINE__, a)

#define TEST_CMP_(kind, op, a, b)                                             \
    test_cmp_##kind(__FILE__, __LINE__, #op, #a, #b, (a), (b))

#define TEST_int_eq(a, b) TEST_CMP_(long, ==, a, b)
#define TEST_int_ne(a, b) TEST_CMP_(long, !=, a, b)
#define TEST_int_lt(a, b) TEST_CMP_(long, <, a, b)
#define TEST_int_le(a, b) TEST_CMP_(long, <=, a, b)
#define TEST_int_gt(a, b) TEST_CMP_(long, >, a, b)
#define TEST_int_ge(a, b) TEST_CMP_(long, >=, a, b)
#define TEST_long_eq TEST_int_eq
#define TEST_long_ne TEST_int_ne
#define TEST_long_gt TEST_int_gt
#define TEST_long_ge TEST_int_ge
#define TEST_long_lt TEST_int_lt
#define TEST_long_le TEST_int_le
#define TEST_uint_eq(a, b) TEST_CMP_(ulong, ==, a, b)
#define TEST_uint_ne(a, b) TEST_CMP_(ulong, !=, a, b)
#define TEST_uint_gt(a, b) TEST_CMP_(ulong, >, a, b)
#define TEST_ulong_eq(a, b) TEST_CMP_(ulong, ==, a, b)
#define TEST_ulong_ne(a, b) TEST_CMP_(ulong, !=, a, b)
#define TEST_ulong_gt(a, b) TEST_CMP_(ulong, >, a, b)
#define TEST_ulong_ge(a, b) TEST_CMP_(ulong, >=, a, b)
#define TEST_ulong_lt(a, b) TEST_CMP_(ulong, <, a, b)
#define TEST_size_t_eq(a, b) TEST_CMP_(ulong, ==, a, b)
#define TEST_size_t_ne(a, b) TEST_CMP_(ulong, !=, a, b)
#define TEST_size_t_gt(a, b) TEST_CMP_(ulong, >, a, b)
#define TEST_size_t_ge(a, b) TEST_CMP_(ulong, >=, a, b)
#define TEST_size_t_lt(a, b) TEST_CMP_(ulong, <, a, b)
#define TEST_size_t_le(a, b) TEST_CMP_(ulong, <=, a, b)
#define TEST_uint64_t_eq(a, b) TEST_CMP_(ulong, ==, a, b)
#define TEST_uint64_t_gt(a, b) TEST_CMP_(ulong, >, a, b)
#define TEST_ptr_eq(a, b) TEST_CMP_(ptr, ==, a, b)
#define TEST_ptr_ne(a, b) TEST_CMP_(ptr, !=, a, b)
#define TEST_ptr(a)                                                           \
    test_cmp_ptr(__FILE__, __LINE__, "!=", #a, "NULL", (a), NULL)
#define TEST_ptr_null(a)                                                      \
    test_cmp_ptr(__FILE__, __LINE__, "==", #a, "NULL", (a), NULL)
#define TEST_true(a) test_truth(__FILE__, __LINE__, #a, 1, (a) != 0)
#define TEST_false(a) test_truth(__FILE__, __LINE__, #a, 0, (a) != 0)
#define TEST_str_eq(a, b)                                                     \
    test_cmp_str(__FILE__, __LINE__, "==", #a, #b, (a), (b), (size_t)-1)
#define TEST_str_ne(a, b)                                                     \
    test_cmp_str(__FILE__, __LINE__, "!=", #a, #b, (a), (b), (size_t)-1)
#define TEST_strn_eq(a, b, n)                                                 \
    test_cmp_str(__FILE__, __LINE__, "==", #a, #b, (a), (b), (n))
#define TEST_mem_eq(a, m, b, n)                                               \
    test_cmp_mem(__FILE__, __LINE__, "==", #a, #b, (a), (m), (b), (n))
#define TEST_mem_ne(a, m, b, n)                                               \
    test_cmp_mem(__FILE__, __LINE__, "!=", #a, #b, (a), (m), (b), (n))

#endif
