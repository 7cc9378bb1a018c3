/*
 * bio_local.h - the BIO object and its method table, which OpenSSL keeps
 * opaque (bio_local.h there too): shared by bio.c and the methods.
 */
#ifndef BIOSOCK_BIO_LOCAL_H
#define BIOSOCK_BIO_LOCAL_H

#include "biosock.h"

/* 4.0's internal flag: the last read returned 0, which is the end. */
#define BSOCK_BIO_FLAGS_AUTO_EOF 0x80

struct bio_method_st {
    int type;
    const char *name;
    /* OpenSSL's "old" forms: the count, or 0 / OpenSSL's failure value */
    int (*bwrite)(BIO *b, const char *data, int len);
    int (*bread)(BIO *b, char *data, int len);
    int (*bputs)(BIO *b, const char *str);
    int (*bgets)(BIO *b, char *buf, int size);
    long (*ctrl)(BIO *b, int cmd, long num, void *ptr);
    int (*create)(BIO *b);
    int (*destroy)(BIO *b);
    long (*callback_ctrl)(BIO *b, int cmd, BIO_info_cb *fp);
};

struct bio_st {
    const BIO_METHOD *method;
    int init, shutdown, flags, retry_reason, num, references;
    void *ptr;
    BIO *next_bio, *prev_bio;
    uint64_t num_read, num_write;
};

#endif
