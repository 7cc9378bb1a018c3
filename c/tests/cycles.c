/*
 * cycles.c - N connect/accept/close cycles on IPv4, IPv6 and Unix, for the
 * heap check: under valgrind, the total allocation count must not grow with
 * N (the library allocates nothing per cycle).
 */
#include "check.h"

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1, i;
    int f;

    FOR_EACH_FAMILY(f)
    {
        BIO_ADDR *to, peer;
        int l = listener(f, 0, &to);

        for (i = 0; i < n; i++) {
            int c = BIO_socket(f, SOCK_STREAM, 0, 0), a;

            CHECK(BIO_connect(c, to, f == AF_UNIX ? 0 : BIO_SOCK_NODELAY)
                  == 1);
            a = BIO_accept_ex(l, &peer, 0);
            CHECK(a >= 0);
            BIO_closesocket(a);
            BIO_closesocket(c);
        }
        BIO_closesocket(l);
        BIO_ADDR_free(to);
    }
    unix_path("l");
    rmdir(unix_path(""));
    return checks_failed != 0;
}
