/*
 * fuzz_parse_diff.c - differential libFuzzer target: BIO_parse_hostserv of
 * biosock against OpenSSL's libcrypto on the same input must give the same
 * return value, the same strings (or NULL, or untouched) and the same error
 * reason.  This file sees only <openssl/bio.h>; biosock's function is
 * declared here by its link-level name.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

int biosock_BIO_parse_hostserv(const char *hostserv, char **host,
                               char **service, int prio);
unsigned long biosock_ERR_get_error(void);
void biosock_OPENSSL_free(void *p);

static char untouched[] = "untouched";

static int same(const char *a, const char *b)
{
    if (a == untouched || b == untouched || a == NULL || b == NULL)
        return (a == untouched) == (b == untouched)
               && (a == NULL) == (b == NULL);
    return strcmp(a, b) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    int prio;

    memcpy(s, data, size);
    s[size] = '\0';
    for (prio = 0; prio < 2; prio++) {
        char *oh = untouched, *op = untouched, *bh = untouched,
             *bp = untouched;
        int o = BIO_parse_hostserv(s, &oh, &op, prio);
        int b = biosock_BIO_parse_hostserv(s, &bh, &bp, prio);
        unsigned long oe = ERR_get_error(), be = biosock_ERR_get_error();

        assert(o == b);
        assert(ERR_GET_REASON(oe) == ERR_GET_REASON(be));
        assert(same(oh, bh) && same(op, bp));
        if (oh != untouched)
            OPENSSL_free(oh);
        if (op != untouched)
            OPENSSL_free(op);
        if (bh != untouched)
            biosock_OPENSSL_free(bh);
        if (bp != untouched)
            biosock_OPENSSL_free(bp);
        ERR_clear_error();
    }
    free(s);
    return 0;
}
