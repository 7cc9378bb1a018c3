/* coexist.h - what coexist_openssl.c offers coexist.c. */
#ifndef BIOSOCK_COEXIST_H
#define BIOSOCK_COEXIST_H
void *ossl_addr_new(void);
void ossl_addr_free(void *a);
int ossl_addr_family(const void *a);
int ossl_listen_loopback(unsigned short *port);
int ossl_accept(int l);
int ossl_fail_connect(void);
unsigned long ossl_get_error(void);
#endif
