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
void *ossl_mem_new(void);
int ossl_bio_puts(void *b, const char *s);
long ossl_mem_data(void *b, char **p);
void ossl_bio_free(void *b);
int ossl_bio_method_type(const void *b);
void *ossl_socket_bio(int fd);
int ossl_bio_read(void *b, void *buf, int n);
void ossl_print_errors(void *b);
/* libcrypto's datagram BIO over fd (not closed with it), and BIO_write. */
void *ossl_dgram_bio(int fd);
int ossl_bio_write(void *b, const void *buf, int n);
#endif
