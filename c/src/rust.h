/*
 * rust.h - the Rust crate's entry points (src/error.rs), not part of the C
 * API: no C program includes this header; C calls the public functions,
 * which push what these describe.  Each runs the steps of the public
 * function it names and pushes nothing: it returns what those steps return
 * (an fd or 0, or -errno), and on failure *f says what the public
 * function pushes.  c/tests/test_biosock.c checks, failure by failure, that
 * this is what the public function pushes.
 */
#ifndef BIOSOCK_RUST_H
#define BIOSOCK_RUST_H

#include "biosock.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a failed entry point says the public function pushes: a system
 * entry for the errno, with the static text call ("calling connect()"),
 * when call is not NULL; then the packed entry code, when not 0.  func:
 * the public function those are raised in when it is not the one the entry
 * point is named for (BIO_listen's BIO_bind), else NULL.  Written only on
 * failure.  Inside the C library this is struct bsock__fail (internal.h). */
struct biosock_rs_fail {
    const char *call;
    const char *func;
    unsigned long code;
};

/** BIO_socket(domain, socktype, protocol, 0). */
BIOSOCK_API int biosock_rs_socket(int domain, int socktype, int protocol,
                                  struct biosock_rs_fail *f);
/** BIO_connect. */
BIOSOCK_API int biosock_rs_connect(int sock, const BIO_ADDR *addr, int options,
                                   struct biosock_rs_fail *f);
/** BIO_bind. */
BIOSOCK_API int biosock_rs_bind(int sock, const BIO_ADDR *addr, int options,
                                struct biosock_rs_fail *f);
/** biosock_listen_backlog; with fresh, biosock_listen_fresh. */
BIOSOCK_API int biosock_rs_listen(int sock, const BIO_ADDR *addr, int options,
                                  int backlog, int fresh,
                                  struct biosock_rs_fail *f);
/** BIO_socket(addr's family, SOCK_STREAM, 0, 0), then biosock_connect_fresh
 * on it: 0, or -errno with *f saying what the failed function pushes (func
 * "BIO_socket" when the socket could not be made).  *sock: the socket when
 * it is connected or its connect is under way (0, or a non-fatal error:
 * EINPROGRESS, EINTR, ...), else -1 with the socket closed. */
BIOSOCK_API int biosock_rs_connect_new(const BIO_ADDR *addr, int options,
                                       int *sock, struct biosock_rs_fail *f);
/** BIO_socket(addr's family, SOCK_STREAM, 0, 0), then biosock_listen_fresh
 * on it: the listening fd, or -errno with the socket closed and *f saying
 * what the failed function pushes (func "BIO_socket" when the socket could
 * not be made). */
BIOSOCK_API int biosock_rs_listen_new(const BIO_ADDR *addr, int options,
                                      int backlog, struct biosock_rs_fail *f);
/** BIO_accept_ex, peer not NULL. */
BIOSOCK_API int biosock_rs_accept(int sock, BIO_ADDR *peer, int options,
                                  struct biosock_rs_fail *f);
/** BIO_sock_info(sock, BIO_SOCK_INFO_ADDRESS) into addr. */
BIOSOCK_API int biosock_rs_sock_name(int sock, BIO_ADDR *addr,
                                     struct biosock_rs_fail *f);
/** BIO_socket_nbio. */
BIOSOCK_API int biosock_rs_nbio(int sock, int on, struct biosock_rs_fail *f);

#ifdef __cplusplus
}
#endif

#endif
