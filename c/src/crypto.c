/*
 * crypto.c - the few libcrypto utilities that socket code written for
 * OpenSSL uses beside the BIO calls: OPENSSL_malloc and friends (the C
 * allocator, so that either side may free what the other allocated) and
 * OPENSSL_assert's OPENSSL_die.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void *raise_if_null(void *p, const char *file, int line)
{
    if (p == NULL)
        bsock__err_put(BSOCK_PACK(ERR_LIB_CRYPTO, ERR_R_MALLOC_FAILURE), NULL,
                       "CRYPTO_malloc", file, line);
    return p;
}

void *CRYPTO_malloc(size_t num, const char *file, int line)
{
    return num == 0 ? NULL : raise_if_null(malloc(num), file, line);
}

void *CRYPTO_zalloc(size_t num, const char *file, int line)
{
    return num == 0 ? NULL : raise_if_null(calloc(1, num), file, line);
}

void *CRYPTO_realloc(void *addr, size_t num, const char *file, int line)
{
    if (addr == NULL)
        return CRYPTO_malloc(num, file, line);
    if (num == 0) {
        free(addr);
        return NULL;
    }
    return raise_if_null(realloc(addr, num), file, line);
}

char *CRYPTO_strdup(const char *str, const char *file, int line)
{
    return str == NULL ? NULL : raise_if_null(strdup(str), file, line);
}

/* strndup(), which not every C library has (Windows'). */
char *bsock__copy_n(const char *s, size_t n)
{
    const char *end = memchr(s, '\0', n);
    size_t len = end != NULL ? (size_t)(end - s) : n;
    char *r = malloc(len + 1);

    if (r != NULL) {
        memcpy(r, s, len);
        r[len] = '\0';
    }
    return r;
}

char *CRYPTO_strndup(const char *str, size_t s, const char *file, int line)
{
    return str == NULL ? NULL
                       : raise_if_null(bsock__copy_n(str, s), file, line);
}

void biosock_OPENSSL_free(void *addr)
{
    free(addr);
}

void CRYPTO_free(void *ptr, const char *file, int line)
{
    (void)file;
    (void)line;
    free(ptr);
}

void OPENSSL_die(const char *assertion, const char *file, int line)
{
    fprintf(stderr, "%s:%d: OpenSSL internal error: %s\n", file, line,
            assertion);
    abort();
}
