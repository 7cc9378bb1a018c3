/*
 * fuzz_parse_hostserv.c - libFuzzer target: BIO_parse_hostserv on any
 * string, with each priority and each combination of NULL outputs.  The
 * results are checked against the rules of the spec: a result is NULL or a
 * non-empty string other than "*", and an absent part is left untouched.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "biosock.h"

static char untouched[] = "untouched";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    int mode;

    memcpy(s, data, size);
    s[size] = '\0';
    for (mode = 0; mode < 8; mode++) {
        char *h = untouched, *p = untouched;
        int ok = BIO_parse_hostserv(
            s, mode & 1 ? NULL : &h, mode & 2 ? NULL : &p,
            mode & 4 ? BIO_PARSE_PRIO_SERV : BIO_PARSE_PRIO_HOST);
        unsigned long e = ERR_get_error();

        assert(ok == 0 || ok == 1);
        assert(ok ? e == 0 : e != 0);
        assert(ERR_get_error() == 0);
        if (h != untouched && h != NULL) {
            assert(h[0] != '\0' && strcmp(h, "*") != 0);
            assert(strstr(s, h) != NULL);
            OPENSSL_free(h);
        }
        if (p != untouched && p != NULL) {
            assert(p[0] != '\0' && strcmp(p, "*") != 0);
            assert(strchr(p, ':') == NULL);
            OPENSSL_free(p);
        }
    }
    free(s);
    return 0;
}
