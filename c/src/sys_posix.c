/*
 * sys_posix.c - what the POSIX platform layer keeps out of line: the
 * fallbacks for kernels without SOCK_CLOEXEC or accept4() (none with glibc
 * on Linux, sys_posix.h), and the
 * thread-exit hook of the error queue (a pthread key whose destructor frees
 * the queue), made once per process, and datagrams in batches with their
 * local addresses (sys.h).  Empty on Windows (sys_win.c).
 */
#ifndef _WIN32
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "internal.h"
#include "sys.h"

#ifdef BSOCK_SOCKET_FALLBACK
int bsock__sys_socket_retry(int domain, int type, int protocol)
{
    if (errno == EINVAL && !bsock__sys_kernel_knows_cloexec())
        return bsock__sys_socket_plain(domain, type, protocol);
    return bsock__sys_error();
}
#endif

#ifdef BSOCK_ACCEPT_FALLBACK
int bsock__sys_accept_retry(int fd, struct sockaddr *sa, socklen_t *len,
                            int nbio)
{
    if (errno == ENOSYS)
        return bsock__sys_accept_plain(fd, sa, len, nbio);
    return bsock__sys_error();
}
#endif

/* ---------------------------------------------------------------------
 * Datagrams (sys.h).
 */
#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__)
#define MMSG 1
#else
#define MMSG 0
struct mmsghdr {
    struct msghdr msg_hdr;
    unsigned int msg_len;
};
#endif

/* Room for one IP_PKTINFO or IPV6_PKTINFO message, aligned for it. */
union control {
    size_t align; /* a cmsghdr's (glibc's has a flexible array) */
    unsigned char buf[64];
};

/* The name length of a peer for a socket of family, as OpenSSL's
 * translate_msg: the family's sockaddr, none for any other family. */
static socklen_t peer_len(int family)
{
    return family == AF_INET    ? (socklen_t)sizeof(struct sockaddr_in)
           : family == AF_INET6 ? (socklen_t)sizeof(struct sockaddr_in6)
                                : 0;
}

static void make_msg(struct msghdr *mh, struct iovec *iov, union control *c,
                     int family, const struct bsock__dgram *d)
{
    memset(mh, 0, sizeof(*mh));
    iov->iov_base = d->data;
    iov->iov_len = d->len;
    if (d->peer != NULL && peer_len(family) != 0) {
        mh->msg_name = &d->peer->sa;
        mh->msg_namelen = peer_len(family);
    }
    mh->msg_iov = iov;
    mh->msg_iovlen = 1;
    if (d->local != NULL) {
        mh->msg_control = c->buf;
        mh->msg_controllen = sizeof(c->buf);
    }
}

/* The source address of d in its control message.  0, or -ENOPROTOOPT. */
static int pack_local(struct msghdr *mh, int family, const BIO_ADDR *local)
{
#if BSOCK_HAS_PKTINFO
    struct cmsghdr *cm = CMSG_FIRSTHDR(mh);

    memset(mh->msg_control, 0, mh->msg_controllen);
    if (family == AF_INET) {
        struct in_pktinfo info;

        memset(&info, 0, sizeof(info));
        info.ipi_spec_dst = local->s_in.sin_addr;
        cm->cmsg_level = IPPROTO_IP;
        cm->cmsg_type = IP_PKTINFO;
        cm->cmsg_len = CMSG_LEN(sizeof(info));
        memcpy(CMSG_DATA(cm), &info, sizeof(info));
        mh->msg_controllen = CMSG_SPACE(sizeof(info));
        return 0;
    }
    if (family == AF_INET6) {
        struct in6_pktinfo info;

        memset(&info, 0, sizeof(info));
        info.ipi6_addr = local->s_in6.sin6_addr;
        cm->cmsg_level = IPPROTO_IPV6;
        cm->cmsg_type = IPV6_PKTINFO;
        cm->cmsg_len = CMSG_LEN(sizeof(info));
        memcpy(CMSG_DATA(cm), &info, sizeof(info));
        mh->msg_controllen = CMSG_SPACE(sizeof(info));
        return 0;
    }
#else
    (void)mh;
    (void)family;
    (void)local;
#endif
    return -ENOPROTOOPT;
}

/* The destination address from a received datagram's control messages;
 * family 0 when there is none. */
static void unpack_local(struct msghdr *mh, int family, BIO_ADDR *local)
{
    memset(local, 0, sizeof(*local));
#if BSOCK_HAS_PKTINFO
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm != NULL;
         cm = CMSG_NXTHDR(mh, cm)) {
        if (family == AF_INET && cm->cmsg_level == IPPROTO_IP
            && cm->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo info;

            memcpy(&info, CMSG_DATA(cm), sizeof(info));
            local->s_in.sin_family = AF_INET;
            local->s_in.sin_addr = info.ipi_addr;
            return;
        }
        if (family == AF_INET6 && cm->cmsg_level == IPPROTO_IPV6
            && cm->cmsg_type == IPV6_PKTINFO) {
            struct in6_pktinfo info;

            memcpy(&info, CMSG_DATA(cm), sizeof(info));
            local->s_in6.sin6_family = AF_INET6;
            local->s_in6.sin6_addr = info.ipi6_addr;
            return;
        }
    }
#else
    (void)mh;
    (void)family;
#endif
}

/* sendmmsg()/recvmmsg(), or one sendmsg()/recvmsg() where there are none:
 * how many went, or -errno. */
static int batch(int fd, int send, struct mmsghdr *mh, size_t n)
{
#if MMSG
    int done = send ? sendmmsg(fd, mh, (unsigned)n, 0)
                    : recvmmsg(fd, mh, (unsigned)n, 0, NULL);

    return done >= 0 ? done : bsock__sys_error();
#else
    ssize_t len =
        send ? sendmsg(fd, &mh->msg_hdr, 0) : recvmsg(fd, &mh->msg_hdr, 0);

    (void)n;
    if (len < 0)
        return bsock__sys_error();
    mh->msg_len = (unsigned)len;
    return 1;
#endif
}

static int transfer(int fd, int send, int family, struct bsock__dgram *d,
                    size_t n)
{
    struct mmsghdr mh[BSOCK_DGRAMS_PER_CALL];
    struct iovec iov[BSOCK_DGRAMS_PER_CALL];
    union control control[BSOCK_DGRAMS_PER_CALL];
    int done, err;

    if (n > BSOCK_DGRAMS_PER_CALL)
        n = BSOCK_DGRAMS_PER_CALL;
    for (size_t i = 0; i < n; i++) {
        make_msg(&mh[i].msg_hdr, &iov[i], &control[i], family, &d[i]);
        mh[i].msg_len = 0;
        if (send && d[i].local != NULL
            && (err = pack_local(&mh[i].msg_hdr, family, d[i].local)) != 0)
            return err;
    }
    if ((done = batch(fd, send, mh, n)) < 0)
        return done;
    for (int i = 0; i < done; i++) {
        d[i].len = mh[i].msg_len;
        if (!send && d[i].local != NULL)
            unpack_local(&mh[i].msg_hdr, family, d[i].local);
        if (!send && d[i].peer != NULL && mh[i].msg_hdr.msg_name != NULL)
            bsock__addr_from_kernel(d[i].peer, mh[i].msg_hdr.msg_namelen);
    }
    return done;
}

int bsock__sys_send_dgrams(int fd, int family, struct bsock__dgram *d,
                           size_t n)
{
    return transfer(fd, 1, family, d, n);
}

int bsock__sys_recv_dgrams(int fd, int family, struct bsock__dgram *d,
                           size_t n)
{
    return transfer(fd, 0, family, d, n);
}

int bsock__sys_want_local(int fd, int family, int on)
{
#if BSOCK_HAS_PKTINFO
    if (family == AF_INET)
        return setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) == 0
                   ? 0
                   : bsock__sys_error();
    if (family == AF_INET6)
        return setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on))
                       == 0
                   ? 0
                   : bsock__sys_error();
#else
    (void)fd;
    (void)family;
    (void)on;
#endif
    return -ENOPROTOOPT;
}

static inline int set_int(int fd, int level, int opt, int value)
{
    return setsockopt(fd, level, opt, &value, sizeof(value)) == 0
               ? 0
               : bsock__sys_error();
}

int bsock__sys_path_mtu(int fd, int family)
{
#if BSOCK_HAS_PATH_MTU
    int mtu = 0;
    socklen_t len = sizeof(mtu);

    if (family != AF_INET && family != AF_INET6)
        return -ENOPROTOOPT;
    if (getsockopt(fd, family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
                   family == AF_INET ? IP_MTU : IPV6_MTU, &mtu, &len)
        != 0)
        return bsock__sys_error();
    return mtu;
#else
    (void)fd;
    (void)family;
    return -ENOPROTOOPT;
#endif
}

int bsock__sys_mtu_discover(int fd, int family)
{
#if BSOCK_HAS_PATH_MTU
    if (family == AF_INET)
        return set_int(fd, IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO);
    if (family == AF_INET6)
        return set_int(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DO);
#else
    (void)fd;
    (void)family;
#endif
    return -ENOPROTOOPT;
}

int bsock__sys_dont_frag(int fd, int family, int on)
{
#if defined(IP_DONTFRAG)
    if (family == AF_INET)
        return set_int(fd, IPPROTO_IP, IP_DONTFRAG, on != 0);
#elif defined(__linux__) && defined(IP_MTU_DISCOVER)                          \
    && defined(IP_PMTUDISC_PROBE)
    if (family == AF_INET)
        return set_int(fd, IPPROTO_IP, IP_MTU_DISCOVER,
                       on ? IP_PMTUDISC_PROBE : IP_PMTUDISC_DONT);
#endif
#if defined(IPV6_DONTFRAG)
    if (family == AF_INET6)
        return set_int(fd, IPPROTO_IPV6, IPV6_DONTFRAG, on != 0);
#elif defined(__linux__) && defined(IPV6_MTU_DISCOVER)                        \
    && defined(IPV6_PMTUDISC_PROBE)
    if (family == AF_INET6)
        return set_int(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER,
                       on ? IPV6_PMTUDISC_PROBE : IPV6_PMTUDISC_DONT);
#endif
    (void)fd;
    (void)family;
    (void)on;
    return -ENOPROTOOPT;
}

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t key;
static int have_key;

static void make_key(void)
{
    have_key = pthread_key_create(&key, bsock__err_free) == 0;
}

void bsock__at_thread_exit(void *queue)
{
    pthread_once(&key_once, make_key);
    if (have_key)
        pthread_setspecific(key, queue);
}
#else
typedef int bsock__sys_posix_is_empty_here;
#endif
