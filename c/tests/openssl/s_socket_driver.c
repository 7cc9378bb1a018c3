/*
 * s_socket_driver.c - drives OpenSSL's apps/lib/s_socket.c (built
 * unmodified, twice: against libcrypto and against biosock with the
 * include swap) through loopback scenarios: do_server() in a thread with an
 * echo callback, init_client() from the main thread.  It prints what a user
 * of s_client/s_server sees: the results, the ACCEPT line, the echo, and
 * what went to bio_err (ERR_print_errors' lines with the thread id, file
 * and line, which differ between the two, shown as TID, FILE and LINE;
 * ports as P).  The two transcripts must be identical.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>

#include "s_apps.h"

BIO *bio_err;

/* Echo one message back: a connection's first read, or a datagram. */
static int echo(int s, int stype, int prot, unsigned char *context)
{
    char buf[256];
    ssize_t n;

    (void)prot;
    (void)context;
    if (stype == SOCK_STREAM) {
        if ((n = read(s, buf, sizeof(buf))) > 0
            && write(s, buf, (size_t)n) < 0)
            return -1;
    } else {
        struct sockaddr_storage from;
        socklen_t len = sizeof(from);

        n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
        if (n > 0)
            sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
    }
    return 1;
}

struct server {
    const char *host, *port;
    int family, type, out[2], ret;
};

static void *serve(void *arg)
{
    struct server *sv = arg;
    BIO *out = BIO_new_socket(sv->out[1], BIO_NOCLOSE);

    sv->ret = DO_SERVER(NULL, sv->host, sv->port, sv->family, sv->type, 0,
                        echo, NULL, 1, out);
    BIO_free(out);
    close(sv->out[1]);
    ERR_clear_error();
    return NULL;
}

/* text with every run of the port's digits shown as P. */
static void print_ported(const char *label, const char *text, const char *port)
{
    const char *at;

    printf("%s", label);
    while (port[0] != '\0' && (at = strstr(text, port)) != NULL) {
        printf("%.*sP", (int)(at - text), text);
        text = at + strlen(port);
    }
    printf("%s", text);
}

/* bio_err's lines, each error line's thread id, file and line replaced. */
static void print_errors(const char *port)
{
    char line[1024];

    while (BIO_gets(bio_err, line, sizeof(line)) > 0) {
        char *f[9], *p = line;
        int n = 0;

        if (strstr(line, ":error:") == NULL) {
            print_ported("  bio_err: ", line, port);
            continue;
        }
        while (n < 8 && (f[n] = p) != NULL && (p = strchr(p, ':')) != NULL) {
            *p++ = '\0';
            n++;
        }
        f[8] = p;
        if (n < 8 || p == NULL) {
            printf("  bio_err: (unparsed)\n");
            continue;
        }
        printf("  bio_err: TID:%s:%s:%s:%s:%s:FILE:LINE:", f[1], f[2], f[3],
               f[4], f[5]);
        print_ported("", f[8], port);
    }
    (void)BIO_reset(bio_err);
}

/* After the ACCEPT line: what comes after the last ':' (the port). */
static void port_of(const char *line, char *port, size_t n)
{
    const char *colon = strrchr(line, ':');
    size_t k = 0;

    if (colon != NULL)
        for (colon++; colon[k] >= '0' && colon[k] <= '9' && k + 1 < n; k++)
            port[k] = colon[k];
    port[k] = '\0';
}

/* One server (host/port NULL: none) and one client (to the server's port
 * when cport is NULL). */
static void scenario(const char *name, int family, int type, const char *host,
                     const char *port, const char *chost, const char *cport,
                     const char *bindhost, const char *bindport)
{
    struct server sv = {host, port, family, type, {-1, -1}, -99};
    char line[256] = "", got[256], seen[32] = "";
    pthread_t t;
    int sock = -1, ret;
    ssize_t n = 0;

    printf("== %s\n", name);
    if (host != NULL || port != NULL) {
        if (pipe(sv.out) != 0 || pthread_create(&t, NULL, serve, &sv) != 0)
            return;
        while (n < (ssize_t)sizeof(line) - 1
               && read(sv.out[0], line + n, 1) == 1 && line[n] != '\n')
            n++;
        line[n] = '\0';
        port_of(line, seen, sizeof(seen));
        print_ported("  server: ", line, seen);
        printf("\n");
    }
    if (chost != NULL || cport != NULL || seen[0] != '\0') {
        ret = INIT_CLIENT(&sock, chost, cport != NULL ? cport : seen, bindhost,
                          bindport, family, type, 0);
        printf("  init_client = %d, socket %s\n", ret,
               sock >= 0 ? "made" : "none");
        if (ret && sock >= 0) {
            if (write(sock, "ping", 4) != 4)
                printf("  write failed: %s\n", strerror(errno));
            n = read(sock, got, sizeof(got));
            printf("  echo: %.*s\n", n > 0 ? (int)n : 0, got);
        }
        if (sock >= 0)
            BIO_closesocket(sock);
        /* A client that failed leaves the server waiting: release it. */
        if (!ret && seen[0] != '\0'
            && INIT_CLIENT(&sock, chost, seen, NULL, NULL, family, type, 0))
            BIO_closesocket(sock);
        ERR_clear_error();
    }
    if (host != NULL || port != NULL) {
        pthread_join(t, NULL);
        close(sv.out[0]);
        printf("  do_server = %d\n", sv.ret);
    }
    print_errors(seen[0] != '\0' ? seen : "\1");
}

int main(void)
{
    char dir[] = "/tmp/biosock-s_socket-XXXXXX", path[64];
    int busy, port_taken;
    char taken[16];
    BIO_ADDR *any;
    union BIO_sock_info_u info;

    if (mkdtemp(dir) == NULL)
        return 2;
    bio_err = BIO_new(BIO_s_mem());
    scenario("stream v4", AF_INET, SOCK_STREAM, "127.0.0.1", "0", "127.0.0.1",
             NULL, NULL, NULL);
    scenario("stream v6", AF_INET6, SOCK_STREAM, "::1", "0", "::1", NULL, NULL,
             NULL);
    scenario("stream, any family", AF_UNSPEC, SOCK_STREAM, "127.0.0.1", "0",
             "127.0.0.1", NULL, NULL, NULL);
    /* do_server's report of a Unix listener fails (BIO_ADDR_hostname_string
     * has no text for it), so it stops before accepting: no client. */
    snprintf(path, sizeof(path), "%s/s.sock", dir);
    scenario("unix", AF_UNIX, SOCK_STREAM, path, NULL, NULL, NULL, NULL, NULL);
    scenario("datagram v4", AF_INET, SOCK_DGRAM, "127.0.0.1", "0", "127.0.0.1",
             NULL, NULL, NULL);
    scenario("bind before connect", AF_INET, SOCK_STREAM, "127.0.0.1", "0",
             "127.0.0.1", NULL, "127.0.0.1", "0");
    scenario("bind address of another family", AF_UNSPEC, SOCK_STREAM,
             "127.0.0.1", "0", "127.0.0.1", NULL, "::1", "0");
    scenario("refused", AF_INET, SOCK_STREAM, NULL, NULL, "127.0.0.1", "1",
             NULL, NULL);
    scenario("unknown service", AF_INET, SOCK_STREAM, NULL, NULL, "127.0.0.1",
             "no-such-service", NULL, NULL);
    scenario("server: unknown service", AF_INET, SOCK_STREAM, "127.0.0.1",
             "no-such-service", NULL, NULL, NULL, NULL);

    /* A port that a listener holds. */
    busy = BIO_socket(AF_INET, SOCK_STREAM, 0, 0);
    any = BIO_ADDR_new();
    BIO_ADDR_rawmake(any, AF_INET, "\177\0\0\1", 4, 0);
    BIO_listen(busy, any, 0);
    info.addr = any;
    BIO_sock_info(busy, BIO_SOCK_INFO_ADDRESS, &info);
    port_taken = ntohs(BIO_ADDR_rawport(any));
    snprintf(taken, sizeof(taken), "%d", port_taken);
    scenario("server: port in use", AF_INET, SOCK_STREAM, "127.0.0.1", taken,
             NULL, NULL, NULL, NULL);
    BIO_closesocket(busy);
    BIO_ADDR_free(any);

    BIO_free(bio_err);
    rmdir(dir);
    printf("== end\n");
    return 0;
}
