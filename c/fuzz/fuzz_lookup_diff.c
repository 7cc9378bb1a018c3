/*
 * fuzz_lookup_diff.c - differential libFuzzer target: BIO_lookup_ex answers
 * numeric hosts and services itself, without the resolver; its answers must
 * be getaddrinfo's with AI_NUMERICHOST | AI_NUMERICSERV, entry for entry.
 * And where that getaddrinfo refuses a host made only of what numeric
 * hosts are made of (hex digits, '.', ':', '%'), BIO_lookup_ex must fail
 * too.  .ci/fuzz runs it in a private network namespace: a string that
 * reaches the resolver fails there without leaving the machine.
 *
 * Input: one byte of selectors (family, socket type, server or client, NULL
 * host or service), then "host\0service".
 */
#define _GNU_SOURCE
#include <netdb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "biosock.h"

static int numeric_chars(const char *s)
{
    return s == NULL || strspn(s, "0123456789abcdefABCDEF.:%") == strlen(s);
}

static int same_addr(const struct sockaddr *a, const BIO_ADDR *b)
{
    const struct sockaddr *s = BIO_ADDR_sockaddr(b);

    if (a->sa_family != s->sa_family)
        return 0;
    if (a->sa_family == AF_INET)
        return memcmp(a, s, sizeof(struct sockaddr_in)) == 0;
    return memcmp(a, s, sizeof(struct sockaddr_in6)) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int families[] = {AF_UNSPEC, AF_INET, AF_INET6, AF_UNSPEC};
    char buf[512], *host, *serv;
    const char *nul;
    struct addrinfo hints, *ref = NULL, *r;
    BIO_ADDRINFO *res = NULL;
    const BIO_ADDRINFO *b;
    int family, socktype, server, ok, gai;
    size_t n;

    if (size < 2 || size - 1 >= sizeof(buf))
        return 0;
    family = families[data[0] & 3];
    socktype = (data[0] & 4) ? SOCK_DGRAM : SOCK_STREAM;
    server = (data[0] & 8) != 0;
    n = size - 1;
    memcpy(buf, data + 1, n);
    buf[n] = '\0';
    nul = memchr(buf, '\0', n);
    host = (data[0] & 16) ? NULL : buf;
    serv = (data[0] & 32) ? NULL : nul != NULL ? (char *)nul + 1 : NULL;
    if (host == NULL && serv == NULL)
        return 0;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = socktype;
    hints.ai_flags =
        AI_NUMERICHOST | AI_NUMERICSERV | (server ? AI_PASSIVE : 0);
    gai = getaddrinfo(host, serv, &hints, &ref);
    if (gai != 0 && !(numeric_chars(host) && numeric_chars(serv)))
        return 0; /* a name: the resolver's business, not the fast path's */
    ok = BIO_lookup_ex(host, serv,
                       server ? BIO_LOOKUP_SERVER : BIO_LOOKUP_CLIENT, family,
                       socktype, 0, &res);
    ERR_clear_error();
    if (gai != 0) {
        if (ok)
            abort(); /* biosock accepted what getaddrinfo refuses */
        return 0;
    }
    if (!ok)
        abort(); /* getaddrinfo answered, biosock did not */
    for (r = ref, b = res; r != NULL && b != NULL;
         r = r->ai_next, b = BIO_ADDRINFO_next(b))
        if (r->ai_family != BIO_ADDRINFO_family(b)
            || r->ai_socktype != BIO_ADDRINFO_socktype(b)
            || !same_addr(r->ai_addr, BIO_ADDRINFO_address(b)))
            abort();
    if ((r == NULL) != (b == NULL))
        abort(); /* not as many entries */
    freeaddrinfo(ref);
    BIO_ADDRINFO_free(res);
    return 0;
}
