/*
 * apps.h - a stand-in for OpenSSL's apps/include/apps.h, enough to build
 * apps/lib/s_socket.c unmodified (c/tests/openssl/s_socket_driver.c): the
 * error BIO it prints to, and the system headers OpenSSL's apps.h brings.
 */
#ifndef BIOSOCK_APPS_H
#define BIOSOCK_APPS_H
#include <sys/select.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/bio.h>

extern BIO *bio_err;
#endif
