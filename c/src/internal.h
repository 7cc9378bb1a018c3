/*
 * internal.h - what the files of c/src share; nothing here is exported.
 *
 * The error convention, one for the whole library:
 *   - Every internal function (static helpers, the bsock__sys_* platform
 *     layer, the bsock__* functions shared between files) returns 0 (or an
 *     fd, a count, a pointer) on success and -errno on failure (on Windows
 *     -WSAGetLastError()), with errno (the last error) left set as well, and
 *     pushes no error-queue entry.
 *   - Only the public functions (the OpenSSL API and biosock_*) push
 *     entries, and only they give OpenSSL's results: 1/0, an fd or -1,
 *     NULL.  Where a public function needs more than the errno to push what
 *     OpenSSL pushes (which call failed, the BIO reason), the helper says it
 *     in a struct bsock__fail, which the public function pushes with
 *     BSOCK_PUSH_FAIL.
 *   - What pushes says so in its name: err.c (the queue) and its
 *     bsock__err_* functions; the BSOCK_RAISE*, BSOCK_*_ARG and
 *     BSOCK_PUSH_FAIL macros; the few static helpers that public functions
 *     share to push one failure, named raise_* (raise_strings, raise_lost,
 *     raise_lookup_inet, raise_if_null).  Each is given, or knows, the
 *     public function it raises in.
 * The exceptions to "errno left set" are OpenSSL's own: what it refuses
 * without a failed call leaves errno as it was (an invalid socket: -EBADF;
 * TCP Fast Open switched off: -ENOPROTOOPT; a pure helper such as
 * make_unix never touches errno).
 */
#ifndef BIOSOCK_INTERNAL_H
#define BIOSOCK_INTERNAL_H

#include "biosock.h"
#include "rust.h"

/* Failure paths moved out of a function (BSOCK_NOINLINE) and out of the
 * way (BSOCK_COLD): the success path then saves fewer registers.  The
 * steps the public functions share are inlined into each (BSOCK_INLINE):
 * a call between them costs more than the step. */
#if defined(__GNUC__)
#define BSOCK_COLD __attribute__((cold))
#define BSOCK_NOINLINE __attribute__((noinline))
#define BSOCK_INLINE inline __attribute__((always_inline))
/* Run when the library goes (exit, or dlclose of a shared build). */
#define BSOCK_AT_UNLOAD __attribute__((destructor))
#define BSOCK_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define BSOCK_COLD
#define BSOCK_NOINLINE
#define BSOCK_INLINE inline
#define BSOCK_AT_UNLOAD /* not run: what it frees is left to the system */
#define BSOCK_UNLIKELY(x) (x)
#endif

/* The error queue's thread-local anchor (err.c, 16 bytes) in the
 * initial-exec model on ELF: in position-independent code the default
 * (dynamic) model reaches it through a call to __tls_get_addr, which makes
 * every function that touches it save its arguments around that call; the
 * linker relaxes the call away in an executable, but not the saves.
 * Initial-exec is one %fs-relative load.  A shared library that is
 * dlopen()ed takes it from the static TLS surplus glibc and musl keep for
 * such libraries (glibc: 512 bytes, rtld.optional_static_tls), which 16
 * bytes fit. */
#if defined(__ELF__) && defined(__GNUC__)
#define BSOCK_TLS_ANCHOR __attribute__((tls_model("initial-exec")))
#else
#define BSOCK_TLS_ANCHOR
#endif

/* lib and reason packed as OpenSSL packs them (ERR_SYSTEM_FLAG | errno
 * for ERR_LIB_SYS); a constant where both are. */
#define BSOCK_PACK(lib, reason)                                               \
    ((lib) == ERR_LIB_SYS                                                     \
         ? ERR_SYSTEM_FLAG | ((unsigned long)(reason)&ERR_SYSTEM_MASK)        \
         : ERR_PACK((lib), 0, (reason)))

/* Push one entry of code (BSOCK_PACK), data a static string or NULL.
 * errno is left alone.  The code comes packed (a constant at most call
 * sites), one argument fewer to pass and no packing on each push. */
void bsock__err_put(unsigned long code, const char *data, const char *func,
                    const char *file, int line);

/* The function recorded is the public function raising it (its link name's
 * prefix is dropped); helpers raise "in" the public function they serve,
 * naming it as the _IN forms' first argument. */
#define BSOCK_RAISE_IN(func, lib, reason, data)                               \
    bsock__err_put(BSOCK_PACK(lib, reason), (data), (func), __FILE__, __LINE__)
#define BSOCK_RAISE(lib, reason, data)                                        \
    BSOCK_RAISE_IN(__func__, lib, reason, data)

/* A failed syscall: the system error (errno) with "calling <what>()". */
#define BSOCK_RAISE_SYS_IN(func, err, what)                                   \
    BSOCK_RAISE_IN(func, ERR_LIB_SYS, (err), "calling " what "()")
#define BSOCK_RAISE_SYS(err, what) BSOCK_RAISE_SYS_IN(__func__, err, what)

/* Push the pair a failed socket call pushes: the system error sys_code
 * with its data, then bio_code (no data), both from func, file and line.
 * One call: every failing socket call pushes such a pair. */
void bsock__err_put_pair(unsigned long sys_code, const char *data,
                         unsigned long bio_code, const char *func,
                         const char *file, int line);

/* A failed syscall followed by the BIO reason, as OpenSSL pushes them. */
#define BSOCK_RAISE_SYS_BIO_IN(func, err, what, bio_reason)                   \
    bsock__err_put_pair(BSOCK_PACK(ERR_LIB_SYS, (err)), "calling " what "()", \
                        BSOCK_PACK(ERR_LIB_BIO, (bio_reason)), (func),        \
                        __FILE__, __LINE__)
#define BSOCK_RAISE_SYS_BIO(err, what, bio_reason)                            \
    BSOCK_RAISE_SYS_BIO_IN(__func__, err, what, bio_reason)

/* A resolver's failure: ERR_R_SYS_LIB with gai_strerror()'s text, copied
 * into the entry (the text is the C library's, not biosock's). */
#define BSOCK_RAISE_RESOLVER_IN(func, code)                                   \
    do {                                                                      \
        BSOCK_RAISE_IN(func, ERR_LIB_BIO, ERR_R_SYS_LIB, NULL);               \
        ERR_add_error_data(1, gai_strerror(code));                            \
    } while (0)
#define BSOCK_RAISE_RESOLVER(code) BSOCK_RAISE_RESOLVER_IN(__func__, code)

/* Refuse a bad argument: push the reason, set errno to EINVAL. */
void bsock__err_arg(int reason, const char *func, const char *file, int line);
#define BSOCK_NULL_ARG_IN(func)                                               \
    bsock__err_arg(ERR_R_PASSED_NULL_PARAMETER, (func), __FILE__, __LINE__)
#define BSOCK_NULL_ARG() BSOCK_NULL_ARG_IN(__func__)
#define BSOCK_BAD_ARG_IN(func)                                                \
    bsock__err_arg(ERR_R_PASSED_INVALID_ARGUMENT, (func), __FILE__, __LINE__)

/* Why a helper failed, for the public function to push (BSOCK_PUSH_FAIL):
 * a system entry for the errno, with the text call ("calling connect()"),
 * when call is set; then the entry code (a packed BIO or ERR_R_* reason),
 * when not 0; nothing when neither (a non-fatal connect: EINPROGRESS).
 * Raised in func when set (a public function that another calls:
 * BIO_listen's BIO_bind), else in the public function pushing it.  The
 * struct is the Rust crate's struct biosock_rs_fail (rust.h): its entry
 * points hand it over as the steps filled it. */
#define bsock__fail biosock_rs_fail

/* Fill f with call and the BIO reason (0: none) and return err (-errno):
 * "return bsock__failed(f, ...);".  Inline: the code is then a constant. */
static inline int bsock__failed(struct bsock__fail *f, const char *call,
                                int reason, int err)
{
    f->call = call;
    f->func = NULL;
    f->code = reason != 0 ? BSOCK_PACK(ERR_LIB_BIO, reason) : 0;
    return err;
}
#define BSOCK_CALLING(what) ("calling " what "()")

/* Push what f says about a failure with err (-errno), in func unless f
 * names its own.  Inline: each public function calls the push it needs
 * with no call in between. */
static inline void bsock__err_put_fail(int err, const struct bsock__fail *f,
                                       const char *func, const char *file,
                                       int line)
{
    if (f->func != NULL)
        func = f->func;
    if (f->call == NULL) {
        if (f->code != 0)
            bsock__err_put(f->code, NULL, func, file, line);
    } else if (f->code == 0) {
        bsock__err_put(BSOCK_PACK(ERR_LIB_SYS, -err), f->call, func, file,
                       line);
    } else {
        bsock__err_put_pair(BSOCK_PACK(ERR_LIB_SYS, -err), f->call, f->code,
                            func, file, line);
    }
}
#define BSOCK_PUSH_FAIL(err, f)                                               \
    bsock__err_put_fail((err), (f), __func__, __FILE__, __LINE__)

/* BIO_connect's steps (sock.c), for Happy Eyeballs' attempts: 0, or
 * -errno with f saying what BIO_connect would push (f->func NULL: in
 * BIO_connect's name). */
int bsock__connect_steps(int sock, const BIO_ADDR *addr, int options,
                         struct bsock__fail *f);
/* BIO_socket's step (no options), for the same attempts: the fd, or
 * -errno with f saying what BIO_socket would push (f->func NULL). */
int bsock__socket_steps(int domain, int socktype, int protocol,
                        struct bsock__fail *f);
/* BIO_socket_nbio's step: 0, or -errno with f saying what it would push. */
int bsock__set_nbio(int sock, int on, struct bsock__fail *f);

/* The thread-exit hook of the error queue: after bsock__at_thread_exit(q),
 * the platform calls bsock__err_free(q) when this thread ends (a pthread
 * key's destructor; a fiber-local slot's callback on Windows); NULL takes
 * the hook off again.  Without a hook (none could be made), the queue is
 * not freed at thread exit. */
void bsock__at_thread_exit(void *queue);
void bsock__err_free(void *queue);

/* What the functions returning a socket give on failure: INVALID_SOCKET as
 * an int (winsock's INVALID_SOCKET is a SOCKET, ~0). */
#define BSOCK_INVALID_FD (-1)

/* How many bytes of a BIO_ADDR a syscall may write: the sockaddrs, not
 * biosock's bookkeeping after them. */
#define BSOCK_ADDR_CAP offsetof(BIO_ADDR, biosock_.unix_len)

#define SUN_PATH_OFFSET offsetof(struct sockaddr_un, sun_path)

/* Whether ap is an abstract Unix name (its length is then unix_len). */
static inline int bsock__is_abstract(const BIO_ADDR *ap)
{
    return ap->sa.sa_family == AF_UNIX && ap->s_un.sun_path[0] == '\0'
           && ap->biosock_.unix_len > (socklen_t)SUN_PATH_OFFSET
           && ap->biosock_.unix_len <= (socklen_t)sizeof(struct sockaddr_un);
}

/* The length of the struct sockaddr inside ap, for the kernel (inline:
 * every connect, bind and listen asks). */
static inline socklen_t bsock__addr_len(const BIO_ADDR *ap)
{
    switch (ap->sa.sa_family) {
    case AF_INET:
        return (socklen_t)sizeof(struct sockaddr_in);
    case AF_INET6:
        return (socklen_t)sizeof(struct sockaddr_in6);
    case AF_UNIX:
        return bsock__is_abstract(ap) ? ap->biosock_.unix_len
                                      : (socklen_t)sizeof(struct sockaddr_un);
    default:
        return (socklen_t)BSOCK_ADDR_CAP;
    }
}

/* Fill ap from a sockaddr of len bytes that the kernel wrote into it, so
 * that every byte a reader of its family reads is written: a sockaddr_in or
 * sockaddr_in6 comes whole from the kernel, and nothing reads past it (the
 * Rust crate's accept and local_addr do not zero the union first); any
 * other name gets the rest of the union zeroed (_rest, out of line). */
void bsock__addr_from_kernel_rest(BIO_ADDR *ap, socklen_t len);

static inline void bsock__addr_from_kernel(BIO_ADDR *ap, socklen_t len)
{
    if ((ap->sa.sa_family == AF_INET
         && len >= (socklen_t)sizeof(struct sockaddr_in))
        || (ap->sa.sa_family == AF_INET6
            && len >= (socklen_t)sizeof(struct sockaddr_in6)))
        ap->biosock_.unix_len = 0;
    else
        bsock__addr_from_kernel_rest(ap, len);
}

/* strndup(), portably: NULL (errno ENOMEM) without memory. */
char *bsock__copy_n(const char *s, size_t n);

#endif
