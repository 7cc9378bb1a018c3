/*
 * fuzz_addr.c - libFuzzer target: BIO_ADDR_rawmake with any family, length
 * and bytes, then every BIO_ADDR function on the result (numeric strings
 * only: a reverse lookup would leave the machine).  Checks that a Unix path
 * is never truncated and that lengths stay inside the address.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "biosock.h"

static const int families[] = {AF_INET,   AF_INET6, AF_UNIX,
                               AF_UNSPEC, -1,       AF_APPLETALK};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    BIO_ADDR a, *d;
    unsigned char raw[sizeof(a)];
    size_t len = 0, wherelen;
    int family, ok;
    unsigned short port;
    char *s;

    if (size < 4)
        return 0;
    family = families[data[0] % (sizeof(families) / sizeof(families[0]))];
    port = (unsigned short)(data[1] << 8 | data[2]);
    /* Mostly the true length; sometimes a lie, to test the bounds checks
     * (never longer than the data, which the caller must guarantee). */
    wherelen = size - 4;
    if (data[3] & 1 && wherelen > 0)
        wherelen--;
    memset(&a, 0xa5, sizeof(a));
    BIO_ADDR_clear(&a);
    ok = BIO_ADDR_rawmake(&a, family, data + 4, wherelen, port);
    ERR_clear_error();
    if (!ok) {
        assert(BIO_ADDR_family(&a) == AF_UNSPEC);
    } else if (family == AF_UNIX) {
        assert(wherelen < sizeof(a.s_un.sun_path));
        assert(BIO_ADDR_rawaddress(&a, raw, &len) == 1);
        assert(len <= wherelen);
        assert(memcmp(raw, data + 4, len) == 0);
    } else {
        assert(BIO_ADDR_rawaddress(&a, raw, &len) == 1);
        assert(len == (family == AF_INET ? 4u : 16u));
        assert(BIO_ADDR_rawport(&a) == port);
    }
    assert(BIO_ADDR_sockaddr_size(&a)
           <= offsetof(BIO_ADDR, biosock_.unix_len));
    s = BIO_ADDR_hostname_string(&a, 1);
    OPENSSL_free(s);
    s = BIO_ADDR_service_string(&a, 1);
    OPENSSL_free(s);
    s = BIO_ADDR_path_string(&a);
    if (s != NULL)
        assert(strlen(s) < sizeof(a.s_un.sun_path));
    OPENSSL_free(s);
    d = BIO_ADDR_dup(&a);
    assert(d != NULL && BIO_ADDR_family(d) == BIO_ADDR_family(&a));
    assert(BIO_ADDR_copy(d, &a) == 1);
    BIO_ADDR_free(d);
    ERR_clear_error();
    return 0;
}
