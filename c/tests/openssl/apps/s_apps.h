/*
 * s_apps.h - a stand-in for OpenSSL's apps/include/s_apps.h: the socket
 * helpers of apps/lib/s_socket.c, as that file defines them.
 */
#ifndef BIOSOCK_S_APPS_H
#define BIOSOCK_S_APPS_H
#include <openssl/bio.h>
#include <openssl/ssl.h> /* do_ssl_shutdown(); left out at link time */

typedef int (*do_server_cb)(int s, int stype, int prot,
                            unsigned char *context);
int report_server_accept(BIO *out, int asock, int with_address, int with_pid);
/* 3.2 added TCP Fast Open to both, and init_client() a choice not to
 * connect and the address it used (S_SOCKET_TFO: tests/openssl/run.sh sets
 * it for those versions).  The driver calls them as 3.0 did through
 * DO_SERVER and INIT_CLIENT, TFO off. */
#ifdef S_SOCKET_TFO
int do_server(int *accept_sock, const char *host, const char *port, int family,
              int type, int protocol, do_server_cb cb, unsigned char *context,
              int naccept, BIO *bio_s_out, int tfo);
int init_client(int *sock, const char *host, const char *port,
                const char *bindhost, const char *bindport, int family,
                int type, int protocol, int tfo, int doconn,
                BIO_ADDR **ba_ret);
#define DO_SERVER(...) do_server(__VA_ARGS__, 0)
#define INIT_CLIENT(...) init_client(__VA_ARGS__, 0, 1, NULL)
#else
int do_server(int *accept_sock, const char *host, const char *port, int family,
              int type, int protocol, do_server_cb cb, unsigned char *context,
              int naccept, BIO *bio_s_out);
int init_client(int *sock, const char *host, const char *port,
                const char *bindhost, const char *bindport, int family,
                int type, int protocol);
#define DO_SERVER do_server
#define INIT_CLIENT init_client
#endif
#endif
