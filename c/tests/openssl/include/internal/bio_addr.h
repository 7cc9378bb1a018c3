/*
 * The include swap for libcrypto's private header (include/internal/ of
 * OpenSSL's tree), which spells out libcrypto's own union bio_addr_st:
 * biosock's BIO_ADDR is the library's own, complete in biosock.h.  The
 * other private headers the tests include (internal/e_os.h, sockets.h,
 * bio_tfo.h) are platform glue and come from OpenSSL's tree unchanged.
 */
#ifndef OSSL_BIO_ADDR_H
#define OSSL_BIO_ADDR_H
#include "internal/e_os.h"
#include "internal/sockets.h"
#include "biosock.h"
#endif
