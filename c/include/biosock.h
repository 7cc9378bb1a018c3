/*
 * biosock.h - OpenSSL's BIO socket API, implemented from scratch.
 *
 * Source written for OpenSSL 3.0, 3.5 or 4.0 (the socket and address layer
 * of <openssl/bio.h>, and <openssl/err.h>) compiles against this header
 * unchanged.  Every exported symbol carries the prefix
 * "biosock_" at link level (biosock_BIO_connect, ...), and the macros below
 * map the OpenSSL names onto them, so this library and OpenSSL's libcrypto can
 * live in one process without interposing on each other.
 *
 * Conventions, as in OpenSSL 3.0:
 *   - ports and raw addresses are in network byte order;
 *   - functions returning an int status give 1 on success and 0 on failure;
 *     functions returning a socket give the fd, or INVALID_SOCKET (-1);
 *   - on failure errno holds the failing syscall's value and the thread's
 *     error queue holds the entries OpenSSL 3.0 pushes: a system error
 *     (ERR_LIB_SYS, reason = errno, data "calling connect()") and then the
 *     BIO reason.
 *
 * Where biosock does better than OpenSSL 3.0, the doc block says "Better:".
 * Across the whole API, a NULL pointer or an out-of-range argument gives a
 * failure return, errno EINVAL and an ERR_R_PASSED_NULL_PARAMETER or
 * ERR_R_PASSED_INVALID_ARGUMENT entry, never a crash; option bits other than
 * the BIO_SOCK_* flags are refused the same way instead of being ignored.
 */
#ifndef BIOSOCK_H
#define BIOSOCK_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#ifdef _WIN32
/* Winsock, as OpenSSL on Windows: sockets are ints here too (a SOCKET cast,
 * as OpenSSL does), errors are WSAGetLastError()'s, and AF_UNIX is
 * Windows 10's. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <afunix.h>
#else
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#endif

/*
 * With OpenSSL's headers in the same translation unit, either order:
 * biosock.h stands for <openssl/bio.h> and <openssl/err.h> (with
 * <openssl/bioerr.h>).  Included before them, it takes their include
 * guards, so that OpenSSL's other headers (ssl.h, evp.h, x509.h, ...),
 * which include them, find biosock's declarations instead.  Included after
 * them, it keeps OpenSSL's types, enums and inline functions
 * (BIOSOCK_AFTER_OPENSSL_BIO / _ERR) and adds the rest.  Either way every
 * function name maps onto its biosock_ symbol (below), so the calls are
 * biosock's.
 */
#if defined(OPENSSL_BIO_H) || defined(HEADER_BIO_H)
#define BIOSOCK_AFTER_OPENSSL_BIO 1
#else
#define OPENSSL_BIO_H
#define HEADER_BIO_H
#endif
#if defined(OPENSSL_ERR_H) || defined(HEADER_ERR_H)
#define BIOSOCK_AFTER_OPENSSL_ERR 1
#else
#define OPENSSL_ERR_H
#define HEADER_ERR_H
#endif
#ifndef OPENSSL_BIOERR_H
#define OPENSSL_BIOERR_H
#endif

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define BIOSOCK_API __attribute__((visibility("default")))
#define BIOSOCK_DEPRECATED __attribute__((deprecated))
#else
#define BIOSOCK_API
#define BIOSOCK_DEPRECATED
#endif
/* printf-style arguments checked (format string at f, arguments from a). */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(_WIN32)
#define BIOSOCK_PRINTF(f, a) __attribute__((__format__(__printf__, f, a)))
#else
#define BIOSOCK_PRINTF(f, a)
#endif
#if defined(OPENSSL_SUPPRESS_DEPRECATED)                                      \
    || defined(BIOSOCK_SUPPRESS_DEPRECATED)
#undef BIOSOCK_DEPRECATED
#define BIOSOCK_DEPRECATED
#endif

/* Where an entry or an allocation is recorded, as <openssl/macros.h> has it
 * (which keeps these when they are defined). */
#ifndef OPENSSL_FILE
#ifdef OPENSSL_NO_FILENAMES
#define OPENSSL_FILE ""
#define OPENSSL_LINE 0
#else
#define OPENSSL_FILE __FILE__
#define OPENSSL_LINE __LINE__
#endif
#endif
#ifndef OPENSSL_FUNC
#if defined(__STDC_VERSION__)
#if __STDC_VERSION__ >= 199901L
#define OPENSSL_FUNC __func__
#elif defined(__GNUC__) && __GNUC__ >= 2
#define OPENSSL_FUNC __FUNCTION__
#endif
#elif defined(_MSC_VER)
#define OPENSSL_FUNC __FUNCTION__
#endif
#ifndef OPENSSL_FUNC
#define OPENSSL_FUNC "(unknown function)"
#endif
#endif

/* ---------------------------------------------------------------------
 * Link-level names: every OpenSSL name maps onto a biosock_ symbol.  The Rust
 * crate's bindgen run defines BIOSOCK_BINDGEN to see the plain names (so the
 * doc comments below stay attached) and links them to biosock_* itself.
 */
#ifndef BIOSOCK_BINDGEN
#define BIO_socket biosock_BIO_socket
#define ERR_load_BIO_strings biosock_ERR_load_BIO_strings
#define ERR_get_state biosock_ERR_get_state
#define OSSL_ERR_STATE_new biosock_OSSL_ERR_STATE_new
#define OSSL_ERR_STATE_save biosock_OSSL_ERR_STATE_save
#define OSSL_ERR_STATE_save_to_mark biosock_OSSL_ERR_STATE_save_to_mark
#define OSSL_ERR_STATE_restore biosock_OSSL_ERR_STATE_restore
#define OSSL_ERR_STATE_free biosock_OSSL_ERR_STATE_free
#define ERR_remove_thread_state biosock_ERR_remove_thread_state
#define ERR_remove_state biosock_ERR_remove_state
#define ERR_set_error_data biosock_ERR_set_error_data
#define ERR_add_error_txt biosock_ERR_add_error_txt
#define ERR_load_strings biosock_ERR_load_strings
#define ERR_load_strings_const biosock_ERR_load_strings_const
#define ERR_unload_strings biosock_ERR_unload_strings
#define ERR_get_next_error_library biosock_ERR_get_next_error_library
#define BIO_bind biosock_BIO_bind
#define BIO_connect biosock_BIO_connect
#define BIO_listen biosock_BIO_listen
#define BIO_accept_ex biosock_BIO_accept_ex
#define BIO_closesocket biosock_BIO_closesocket
#define BIO_sock_error biosock_BIO_sock_error
#define BIO_socket_ioctl biosock_BIO_socket_ioctl
#define BIO_socket_nbio biosock_BIO_socket_nbio
#define BIO_sock_should_retry biosock_BIO_sock_should_retry
#define BIO_sock_non_fatal_error biosock_BIO_sock_non_fatal_error
#define BIO_sock_init biosock_BIO_sock_init
#define BIO_set_tcp_ndelay biosock_BIO_set_tcp_ndelay
#define BIO_sock_info biosock_BIO_sock_info
#define BIO_socket_wait biosock_BIO_socket_wait
#define BIO_ADDR_new biosock_BIO_ADDR_new
#define BIO_ADDR_free biosock_BIO_ADDR_free
#define BIO_ADDR_clear biosock_BIO_ADDR_clear
#define BIO_ADDR_copy biosock_BIO_ADDR_copy
#define BIO_ADDR_dup biosock_BIO_ADDR_dup
#define BIO_ADDR_rawmake biosock_BIO_ADDR_rawmake
#define BIO_ADDR_family biosock_BIO_ADDR_family
#define BIO_ADDR_rawaddress biosock_BIO_ADDR_rawaddress
#define BIO_ADDR_rawport biosock_BIO_ADDR_rawport
#define BIO_ADDR_hostname_string biosock_BIO_ADDR_hostname_string
#define BIO_ADDR_service_string biosock_BIO_ADDR_service_string
#define BIO_ADDR_path_string biosock_BIO_ADDR_path_string
#define BIO_ADDR_sockaddr biosock_BIO_ADDR_sockaddr
#define BIO_ADDR_sockaddr_size biosock_BIO_ADDR_sockaddr_size
#define BIO_ADDRINFO_next biosock_BIO_ADDRINFO_next
#define BIO_ADDRINFO_family biosock_BIO_ADDRINFO_family
#define BIO_ADDRINFO_socktype biosock_BIO_ADDRINFO_socktype
#define BIO_ADDRINFO_protocol biosock_BIO_ADDRINFO_protocol
#define BIO_ADDRINFO_address biosock_BIO_ADDRINFO_address
#define BIO_ADDRINFO_free biosock_BIO_ADDRINFO_free
#define BIO_parse_hostserv biosock_BIO_parse_hostserv
#define BIO_lookup biosock_BIO_lookup
#define BIO_lookup_ex biosock_BIO_lookup_ex
#define BIO_get_host_ip biosock_BIO_get_host_ip
#define BIO_get_port biosock_BIO_get_port
#define BIO_get_accept_socket biosock_BIO_get_accept_socket
#define BIO_accept biosock_BIO_accept
#define BIO_gethostbyname biosock_BIO_gethostbyname
#define ERR_get_error biosock_ERR_get_error
#define ERR_get_error_all biosock_ERR_get_error_all
#define ERR_peek_error biosock_ERR_peek_error
#define ERR_peek_last_error biosock_ERR_peek_last_error
#define ERR_clear_error biosock_ERR_clear_error
#define ERR_error_string_n biosock_ERR_error_string_n
#define ERR_lib_error_string biosock_ERR_lib_error_string
#define ERR_reason_error_string biosock_ERR_reason_error_string
#define ERR_print_errors_fp biosock_ERR_print_errors_fp
#define ERR_add_error_data biosock_ERR_add_error_data
#define ERR_add_error_vdata biosock_ERR_add_error_vdata
#define ERR_get_error_line biosock_ERR_get_error_line
#define ERR_get_error_line_data biosock_ERR_get_error_line_data
#define ERR_peek_error_line biosock_ERR_peek_error_line
#define ERR_peek_error_func biosock_ERR_peek_error_func
#define ERR_peek_error_data biosock_ERR_peek_error_data
#define ERR_peek_error_all biosock_ERR_peek_error_all
#define ERR_peek_error_line_data biosock_ERR_peek_error_line_data
#define ERR_peek_last_error_line biosock_ERR_peek_last_error_line
#define ERR_peek_last_error_func biosock_ERR_peek_last_error_func
#define ERR_peek_last_error_data biosock_ERR_peek_last_error_data
#define ERR_peek_last_error_all biosock_ERR_peek_last_error_all
#define ERR_peek_last_error_line_data biosock_ERR_peek_last_error_line_data
#define ERR_error_string biosock_ERR_error_string
#define ERR_func_error_string biosock_ERR_func_error_string
#define ERR_print_errors_cb biosock_ERR_print_errors_cb
#define BIO_new biosock_BIO_new
#define BIO_free biosock_BIO_free
#undef BIO_eof /* 3.x <openssl/bio.h> has it as a macro */
#define BIO_eof biosock_BIO_eof
#define BIO_vfree biosock_BIO_vfree
#define BIO_up_ref biosock_BIO_up_ref
#define BIO_free_all biosock_BIO_free_all
#define BIO_push biosock_BIO_push
#define BIO_pop biosock_BIO_pop
#define BIO_next biosock_BIO_next
#define BIO_method_type biosock_BIO_method_type
#define BIO_method_name biosock_BIO_method_name
#define BIO_set_flags biosock_BIO_set_flags
#define BIO_test_flags biosock_BIO_test_flags
#define BIO_clear_flags biosock_BIO_clear_flags
#define BIO_get_retry_reason biosock_BIO_get_retry_reason
#define BIO_set_retry_reason biosock_BIO_set_retry_reason
#define BIO_number_read biosock_BIO_number_read
#define BIO_number_written biosock_BIO_number_written
#define BIO_read biosock_BIO_read
#define BIO_read_ex biosock_BIO_read_ex
#define BIO_write biosock_BIO_write
#define BIO_write_ex biosock_BIO_write_ex
#define BIO_puts biosock_BIO_puts
#define BIO_gets biosock_BIO_gets
#define BIO_ctrl biosock_BIO_ctrl
#define BIO_int_ctrl biosock_BIO_int_ctrl
#define BIO_ptr_ctrl biosock_BIO_ptr_ctrl
#define BIO_ctrl_pending biosock_BIO_ctrl_pending
#define BIO_ctrl_wpending biosock_BIO_ctrl_wpending
#define BIO_vsnprintf biosock_BIO_vsnprintf
#define BIO_snprintf biosock_BIO_snprintf
#define BIO_vprintf biosock_BIO_vprintf
#define BIO_printf biosock_BIO_printf
#define BIO_s_mem biosock_BIO_s_mem
#define BIO_new_mem_buf biosock_BIO_new_mem_buf
#define ERR_print_errors biosock_ERR_print_errors
#define ERR_add_error_mem_bio biosock_ERR_add_error_mem_bio
#define BIO_dup_chain biosock_BIO_dup_chain
#define BIO_copy_next_retry biosock_BIO_copy_next_retry
#define BIO_s_accept biosock_BIO_s_accept
#define BIO_new_accept biosock_BIO_new_accept
#define BIO_callback_ctrl biosock_BIO_callback_ctrl
#define BIO_s_connect biosock_BIO_s_connect
#define BIO_new_connect biosock_BIO_new_connect
#define BIO_s_socket biosock_BIO_s_socket
#define BIO_new_socket biosock_BIO_new_socket
#define BIO_set_send_flags biosock_BIO_set_send_flags
#define BIO_get_rpoll_descriptor biosock_BIO_get_rpoll_descriptor
#define BIO_get_wpoll_descriptor biosock_BIO_get_wpoll_descriptor
#define BIO_wait biosock_BIO_wait
#define BIO_s_datagram biosock_BIO_s_datagram
#define BIO_new_dgram biosock_BIO_new_dgram
#define BIO_dgram_non_fatal_error biosock_BIO_dgram_non_fatal_error
#define BIO_sendmmsg biosock_BIO_sendmmsg
#define BIO_recvmmsg biosock_BIO_recvmmsg
#define BIO_s_dgram_pair biosock_BIO_s_dgram_pair
#define BIO_s_dgram_mem biosock_BIO_s_dgram_mem
#define BIO_new_bio_dgram_pair biosock_BIO_new_bio_dgram_pair
#define ERR_new biosock_ERR_new
#define ERR_set_debug biosock_ERR_set_debug
#define ERR_set_error biosock_ERR_set_error
#define ERR_vset_error biosock_ERR_vset_error
#define ERR_set_mark biosock_ERR_set_mark
#define ERR_pop biosock_ERR_pop
#define ERR_pop_to_mark biosock_ERR_pop_to_mark
#define ERR_count_to_mark biosock_ERR_count_to_mark
#define ERR_clear_last_mark biosock_ERR_clear_last_mark
#define BIO_err_is_non_fatal biosock_BIO_err_is_non_fatal
#define CRYPTO_malloc biosock_CRYPTO_malloc
#define CRYPTO_zalloc biosock_CRYPTO_zalloc
#define CRYPTO_realloc biosock_CRYPTO_realloc
#define CRYPTO_strdup biosock_CRYPTO_strdup
#define CRYPTO_strndup biosock_CRYPTO_strndup
#define CRYPTO_free biosock_CRYPTO_free
#define OPENSSL_die biosock_OPENSSL_die
#define OPENSSL_thread_stop biosock_OPENSSL_thread_stop
#endif

/* ---------------------------------------------------------------------
 * Constants, with OpenSSL 3.0's values.
 */
#ifndef INVALID_SOCKET /* winsock's is (SOCKET)~0, which is -1 as an int */
#define INVALID_SOCKET (-1)
#endif

/* The platform, as OpenSSL's <openssl/e_os2.h> names it. */
#if defined(_WIN32)
#ifndef OPENSSL_SYS_WINDOWS
#define OPENSSL_SYS_WINDOWS
#endif
#ifndef OPENSSL_SYS_WIN32
#define OPENSSL_SYS_WIN32
#endif
#else
#ifndef OPENSSL_SYS_UNIX
#define OPENSSL_SYS_UNIX
#endif
#if defined(__linux__) && !defined(OPENSSL_SYS_LINUX)
#define OPENSSL_SYS_LINUX
#endif
#if defined(__APPLE__) && !defined(OPENSSL_SYS_MACOSX)
#define OPENSSL_SYS_MACOSX
#endif
#endif

/*
 * What biosock's socket layer does not provide, named as a libcrypto built
 * without it would name it, so that "#ifndef OPENSSL_NO_SCTP" blocks drop
 * out: SCTP and kTLS.  Nothing above the socket layer (engines, SSL
 * tracing, QUIC): that is libcrypto's and libssl's, whose own headers say
 * whether they have it.  (Not OPENSSL_NO_DGRAM: datagram sockets are
 * biosock's; code written for the datagram BIO fails to compile against
 * it, rather than compiling to nothing.)
 */
#ifndef OPENSSL_NO_SCTP
#define OPENSSL_NO_SCTP
#endif
#ifndef OPENSSL_NO_KTLS
#define OPENSSL_NO_KTLS
#endif

#define BIO_NOCLOSE 0x00
#define BIO_CLOSE 0x01

#define BIO_SOCK_REUSEADDR 0x01
#define BIO_SOCK_V6_ONLY 0x02
#define BIO_SOCK_KEEPALIVE 0x04
#define BIO_SOCK_NONBLOCK 0x08
#define BIO_SOCK_NODELAY 0x10
#define BIO_SOCK_TFO 0x20
/* A biosock extension: SO_REUSEPORT (several sockets on one address and
 * port, the kernel spreading connections among the listeners), applied by
 * BIO_bind and BIO_listen as BIO_SOCK_REUSEADDR is (UNABLE_TO_REUSEADDR on
 * failure) and ignored by BIO_connect; refused (ERR_R_PASSED_INVALID_ARGUMENT)
 * where the platform has no SO_REUSEPORT (Windows).  Not an OpenSSL bit. */
#define BIOSOCK_SOCK_REUSEPORT 0x10000
/* What each call applies of the BIO_SOCK_* options: biosock extensions, the
 * one place these sets are written (the library checks against them, the
 * Rust bindings take them from here).  As in OpenSSL, a C call ignores the
 * options it does not apply; the Rust layer refuses them. */
#define BIOSOCK_BIND_OPTIONS (BIO_SOCK_REUSEADDR | BIOSOCK_SOCK_REUSEPORT)
#define BIOSOCK_CONNECT_OPTIONS                                               \
    (BIO_SOCK_KEEPALIVE | BIO_SOCK_NONBLOCK | BIO_SOCK_NODELAY | BIO_SOCK_TFO)
#define BIOSOCK_LISTEN_OPTIONS                                                \
    (BIOSOCK_BIND_OPTIONS | BIOSOCK_CONNECT_OPTIONS | BIO_SOCK_V6_ONLY)
#define BIOSOCK_ACCEPT_OPTIONS BIO_SOCK_NONBLOCK
/* biosock_connect_any() and biosock_connect_happy(), which refuse others. */
#define BIOSOCK_HAPPY_OPTIONS                                                 \
    (BIO_SOCK_KEEPALIVE | BIO_SOCK_NONBLOCK | BIO_SOCK_NODELAY)
#define BIO_BIND_REUSEADDR BIO_SOCK_REUSEADDR
#define BIO_BIND_REUSEADDR_IF_UNUSED BIO_SOCK_REUSEADDR
#define BIO_BIND_NORMAL 0

#define BIO_FAMILY_IPV4 4
#define BIO_FAMILY_IPV6 6
#define BIO_FAMILY_IPANY 256

#define ERR_LIB_NONE 1
#define ERR_LIB_SYS 2
#define ERR_LIB_BN 3
#define ERR_LIB_RSA 4
#define ERR_LIB_DH 5
#define ERR_LIB_EVP 6
#define ERR_LIB_BUF 7
#define ERR_LIB_OBJ 8
#define ERR_LIB_PEM 9
#define ERR_LIB_DSA 10
#define ERR_LIB_X509 11
#define ERR_LIB_ASN1 13
#define ERR_LIB_CONF 14
#define ERR_LIB_CRYPTO 15
#define ERR_LIB_EC 16
#define ERR_LIB_SSL 20
#define ERR_LIB_BIO 32
#define ERR_LIB_PKCS7 33
#define ERR_LIB_X509V3 34
#define ERR_LIB_PKCS12 35
#define ERR_LIB_RAND 36
#define ERR_LIB_DSO 37
#define ERR_LIB_ENGINE 38
#define ERR_LIB_OCSP 39
#define ERR_LIB_UI 40
#define ERR_LIB_COMP 41
#define ERR_LIB_ECDSA 42
#define ERR_LIB_ECDH 43
#define ERR_LIB_OSSL_STORE 44
#define ERR_LIB_FIPS 45
#define ERR_LIB_CMS 46
#define ERR_LIB_TS 47
#define ERR_LIB_HMAC 48
#define ERR_LIB_CT 50
#define ERR_LIB_ASYNC 51
#define ERR_LIB_KDF 52
#define ERR_LIB_SM2 53
#define ERR_LIB_ESS 54
#define ERR_LIB_PROP 55
#define ERR_LIB_CRMF 56
#define ERR_LIB_PROV 57
#define ERR_LIB_CMP 58
#define ERR_LIB_OSSL_ENCODER 59
#define ERR_LIB_OSSL_DECODER 60
#define ERR_LIB_HTTP 61
#define ERR_LIB_USER 128

#define ERR_LIB_OFFSET 23L
#define ERR_LIB_MASK 0xFF
#ifndef BIOSOCK_AFTER_OPENSSL_ERR /* else <openssl/err.h>'s, the same */
#define ERR_REASON_MASK 0x7FFFFF
#define ERR_SYSTEM_FLAG ((unsigned int)2147483647 + 1)
#define ERR_SYSTEM_MASK ((unsigned int)2147483647)
#endif
#define ERR_RFLAGS_OFFSET 18L
#define ERR_RFLAGS_MASK 0x1F
#define ERR_RFLAG_FATAL (0x1 << ERR_RFLAGS_OFFSET)
#define ERR_RFLAG_COMMON (0x2 << ERR_RFLAGS_OFFSET)

#define ERR_R_SYS_LIB (ERR_LIB_SYS | ERR_RFLAG_COMMON)
#define ERR_R_BN_LIB (ERR_LIB_BN | ERR_RFLAG_COMMON)
#define ERR_R_RSA_LIB (ERR_LIB_RSA | ERR_RFLAG_COMMON)
#define ERR_R_DH_LIB (ERR_LIB_DH | ERR_RFLAG_COMMON)
#define ERR_R_EVP_LIB (ERR_LIB_EVP | ERR_RFLAG_COMMON)
#define ERR_R_BUF_LIB (ERR_LIB_BUF | ERR_RFLAG_COMMON)
#define ERR_R_OBJ_LIB (ERR_LIB_OBJ | ERR_RFLAG_COMMON)
#define ERR_R_PEM_LIB (ERR_LIB_PEM | ERR_RFLAG_COMMON)
#define ERR_R_DSA_LIB (ERR_LIB_DSA | ERR_RFLAG_COMMON)
#define ERR_R_X509_LIB (ERR_LIB_X509 | ERR_RFLAG_COMMON)
#define ERR_R_ASN1_LIB (ERR_LIB_ASN1 | ERR_RFLAG_COMMON)
#define ERR_R_CONF_LIB (ERR_LIB_CONF | ERR_RFLAG_COMMON)
#define ERR_R_CRYPTO_LIB (ERR_LIB_CRYPTO | ERR_RFLAG_COMMON)
#define ERR_R_EC_LIB (ERR_LIB_EC | ERR_RFLAG_COMMON)
#define ERR_R_SSL_LIB (ERR_LIB_SSL | ERR_RFLAG_COMMON)
#define ERR_R_BIO_LIB (ERR_LIB_BIO | ERR_RFLAG_COMMON)
#define ERR_R_PKCS7_LIB (ERR_LIB_PKCS7 | ERR_RFLAG_COMMON)
#define ERR_R_X509V3_LIB (ERR_LIB_X509V3 | ERR_RFLAG_COMMON)
#define ERR_R_PKCS12_LIB (ERR_LIB_PKCS12 | ERR_RFLAG_COMMON)
#define ERR_R_RAND_LIB (ERR_LIB_RAND | ERR_RFLAG_COMMON)
#define ERR_R_DSO_LIB (ERR_LIB_DSO | ERR_RFLAG_COMMON)
#define ERR_R_ENGINE_LIB (ERR_LIB_ENGINE | ERR_RFLAG_COMMON)
#define ERR_R_UI_LIB (ERR_LIB_UI | ERR_RFLAG_COMMON)
#define ERR_R_ECDSA_LIB (ERR_LIB_ECDSA | ERR_RFLAG_COMMON)
#define ERR_R_OSSL_STORE_LIB (ERR_LIB_OSSL_STORE | ERR_RFLAG_COMMON)
#define ERR_R_CMS_LIB (ERR_LIB_CMS | ERR_RFLAG_COMMON)
#define ERR_R_TS_LIB (ERR_LIB_TS | ERR_RFLAG_COMMON)
#define ERR_R_CT_LIB (ERR_LIB_CT | ERR_RFLAG_COMMON)
#define ERR_R_PROV_LIB (ERR_LIB_PROV | ERR_RFLAG_COMMON)
#define ERR_R_ESS_LIB (ERR_LIB_ESS | ERR_RFLAG_COMMON)
#define ERR_R_CMP_LIB (ERR_LIB_CMP | ERR_RFLAG_COMMON)
#define ERR_R_OSSL_ENCODER_LIB (ERR_LIB_OSSL_ENCODER | ERR_RFLAG_COMMON)
#define ERR_R_OSSL_DECODER_LIB (ERR_LIB_OSSL_DECODER | ERR_RFLAG_COMMON)
#define ERR_R_FATAL (ERR_RFLAG_FATAL | ERR_RFLAG_COMMON)
#define ERR_R_MALLOC_FAILURE (256 | ERR_R_FATAL)
#define ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED (257 | ERR_R_FATAL)
#define ERR_R_PASSED_NULL_PARAMETER (258 | ERR_R_FATAL)
#define ERR_R_INTERNAL_ERROR (259 | ERR_R_FATAL)
#define ERR_R_DISABLED (260 | ERR_R_FATAL)
#define ERR_R_INIT_FAIL (261 | ERR_R_FATAL)
#define ERR_R_PASSED_INVALID_ARGUMENT (262 | ERR_RFLAG_COMMON)
#define ERR_R_OPERATION_FAIL (263 | ERR_R_FATAL)
#define ERR_R_INVALID_PROVIDER_FUNCTIONS (264 | ERR_R_FATAL)
#define ERR_R_INTERRUPTED_OR_CANCELLED (265 | ERR_RFLAG_COMMON)
#define ERR_R_NESTED_ASN1_ERROR (266 | ERR_RFLAG_COMMON)
#define ERR_R_MISSING_ASN1_EOS (267 | ERR_RFLAG_COMMON)
#define ERR_R_UNSUPPORTED (268 | ERR_RFLAG_COMMON)
#define ERR_R_FETCH_FAILED (269 | ERR_RFLAG_COMMON)
#define ERR_R_INVALID_PROPERTY_DEFINITION (270 | ERR_RFLAG_COMMON)
#define ERR_R_UNABLE_TO_GET_READ_LOCK (271 | ERR_R_FATAL)
#define ERR_R_UNABLE_TO_GET_WRITE_LOCK (272 | ERR_R_FATAL)

#define ERR_TXT_MALLOCED 0x01
#define ERR_TXT_STRING 0x02
#define ERR_FLAG_MARK 0x01
#define ERR_FLAG_CLEAR 0x02
#define ERR_NUM_ERRORS 16
#define ERR_MAX_DATA_SIZE 1024
#ifndef BIOSOCK_AFTER_OPENSSL_ERR /* else <openssl/err.h>'s, the same */
#define ERR_PACK(lib, func, reason)                                           \
    ((((unsigned long)(lib)&ERR_LIB_MASK) << ERR_LIB_OFFSET)                  \
     | (((unsigned long)(reason)&ERR_REASON_MASK)))
#endif

#define BIO_R_ACCEPT_ERROR 100
#define BIO_R_BAD_FOPEN_MODE 101
#define BIO_R_LENGTH_TOO_LONG 102
#define BIO_R_CONNECT_ERROR 103
#define BIO_R_TRANSFER_ERROR 104
#define BIO_R_TRANSFER_TIMEOUT 105
#define BIO_R_TFO_DISABLED 106
#define BIO_R_GETHOSTBYNAME_ADDR_IS_NOT_AF_INET 107
#define BIO_R_TFO_NO_KERNEL_SUPPORT 108
#define BIO_R_UNABLE_TO_TFO 109
#define BIO_R_NBIO_CONNECT_ERROR 110
#define BIO_R_LOCAL_ADDR_NOT_AVAILABLE 111
#define BIO_R_NON_FATAL 112
#define BIO_R_NO_PORT_DEFINED 113
#define BIO_R_NULL_PARAMETER 115
#define BIO_R_UNABLE_TO_BIND_SOCKET 117
#define BIO_R_UNABLE_TO_CREATE_SOCKET 118
#define BIO_R_UNABLE_TO_LISTEN_SOCKET 119
#define BIO_R_UNINITIALIZED 120
#define BIO_R_UNSUPPORTED_METHOD 121
#define BIO_R_WSASTARTUP 122
#define BIO_R_IN_USE 123
#define BIO_R_BROKEN_PIPE 124
#define BIO_R_INVALID_ARGUMENT 125
#define BIO_R_WRITE_TO_READ_ONLY_BIO 126
#define BIO_R_NO_SUCH_FILE 128
#define BIO_R_AMBIGUOUS_HOST_OR_SERVICE 129
#define BIO_R_MALFORMED_HOST_OR_SERVICE 130
#define BIO_R_UNSUPPORTED_PROTOCOL_FAMILY 131
#define BIO_R_GETSOCKNAME_ERROR 132
#define BIO_R_GETSOCKNAME_TRUNCATED_ADDRESS 133
#define BIO_R_GETTING_SOCKTYPE 134
#define BIO_R_INVALID_SOCKET 135
#define BIO_R_LISTEN_V6_ONLY 136
#define BIO_R_UNABLE_TO_KEEPALIVE 137
#define BIO_R_UNABLE_TO_NODELAY 138
#define BIO_R_UNABLE_TO_REUSEADDR 139
#define BIO_R_UNKNOWN_INFO_TYPE 140
#define BIO_R_ADDRINFO_ADDR_IS_NOT_AF_INET 141
#define BIO_R_LOOKUP_RETURNED_NOTHING 142
#define BIO_R_NO_ACCEPT_ADDR_OR_SERVICE_SPECIFIED 143
#define BIO_R_NO_HOSTNAME_OR_SERVICE_SPECIFIED 144
#define BIO_R_UNAVAILABLE_IP_FAMILY 145
#define BIO_R_UNSUPPORTED_IP_FAMILY 146
#define BIO_R_CONNECT_TIMEOUT 147
#define BIO_R_PORT_MISMATCH 150
#define BIO_R_PEER_ADDR_NOT_AVAILABLE 151

/* ---------------------------------------------------------------------
 * Types.
 */

/** biosock's bookkeeping in a BIO_ADDR (private): it places unix_len past
 * the largest sockaddr. */
struct biosock_addr_st {
    struct sockaddr_un sockaddr_;
    socklen_t unix_len;
};
/**
 * A socket address: IPv4, IPv6 or Unix; union bio_addr_st, as in OpenSSL.
 * OpenSSL keeps the type opaque; here it is complete so that it can live on
 * the stack or inline in another object (the Rust BioAddr stores one with no
 * heap allocation).  Its members are private: use the BIO_ADDR_* functions.
 * The last member only places biosock's bookkeeping beyond the largest
 * sockaddr: for AF_UNIX, the address length the kernel gave or will be given.
 */
typedef union bio_addr_st {
    struct sockaddr sa;
    struct sockaddr_in s_in;
    struct sockaddr_in6 s_in6;
    struct sockaddr_un s_un;
    struct biosock_addr_st biosock_;
} BIO_ADDR;

/** A list of addresses from BIO_lookup_ex(); opaque. */
typedef struct bio_addrinfo_st BIO_ADDRINFO;

#ifndef OPENSSL_TYPES_H
/** A thread's error queue, opaque (ERR_get_state()), as <openssl/types.h>
 * names it. */
typedef struct err_state_st ERR_STATE;
#endif

#ifndef BIOSOCK_AFTER_OPENSSL_BIO /* else <openssl/bio.h>'s, the same */
enum BIO_hostserv_priorities { BIO_PARSE_PRIO_HOST, BIO_PARSE_PRIO_SERV };
enum BIO_lookup_type { BIO_LOOKUP_CLIENT, BIO_LOOKUP_SERVER };
union BIO_sock_info_u {
    BIO_ADDR *addr;
};
enum BIO_sock_info_type { BIO_SOCK_INFO_ADDRESS };

#ifndef BIOSOCK_BINDGEN /* not biosock's API: only for OpenSSL's headers */
/** The BIO object and its method table, as OpenSSL's headers name them
 * (<openssl/types.h>, <openssl/bio.h>); their layer is libcrypto's. */
#ifndef OPENSSL_TYPES_H
typedef struct bio_st BIO;
#endif
typedef struct bio_method_st BIO_METHOD;

/** The types of <openssl/bio.h> (3.2 and later) that OpenSSL's other
 * headers use (ssl.h's poll descriptors), as OpenSSL defines them. */
typedef struct bio_msg_st {
    void *data;
    size_t data_len;
    BIO_ADDR *peer, *local;
    uint64_t flags;
} BIO_MSG;

typedef struct bio_mmsg_cb_args_st {
    BIO_MSG *msg;
    size_t stride, num_msg;
    uint64_t flags;
    size_t *msgs_processed;
} BIO_MMSG_CB_ARGS;

#define BIO_POLL_DESCRIPTOR_TYPE_NONE 0
#define BIO_POLL_DESCRIPTOR_TYPE_SOCK_FD 1
#define BIO_POLL_DESCRIPTOR_TYPE_SSL 2
#define BIO_POLL_DESCRIPTOR_CUSTOM_START 8192

typedef struct bio_poll_descriptor_st {
    uint32_t type;
    union {
        int fd;
        void *custom;
        uintptr_t custom_ui;
        struct ssl_st *ssl;
    } value;
} BIO_POLL_DESCRIPTOR;
#endif /* BIOSOCK_BINDGEN */
#endif

/* ---------------------------------------------------------------------
 * The six socket functions.
 */

/**
 * BIO_socket - socket(domain, socktype, protocol).  options: BIO_SOCK_* bits,
 * unused (as in OpenSSL).
 * Returns the fd, or INVALID_SOCKET with errno set and SYS +
 * BIO_R_UNABLE_TO_CREATE_SOCKET pushed.
 * Better: the fd is close-on-exec, atomically (SOCK_CLOEXEC).
 */
BIOSOCK_API int BIO_socket(int domain, int socktype, int protocol,
                           int options);

/**
 * BIO_bind - bind sock to addr; BIO_SOCK_REUSEADDR sets SO_REUSEADDR first
 * (not on Windows, as OpenSSL: winsock's SO_REUSEADDR lets another socket
 * take a port in use).  Returns 1, or 0 with: BIO_R_INVALID_SOCKET (sock ==
 * -1); SYS + BIO_R_UNABLE_TO_REUSEADDR; SYS + BIO_R_UNABLE_TO_BIND_SOCKET.
 */
BIOSOCK_API int BIO_bind(int sock, const BIO_ADDR *addr, int options);

/**
 * BIO_connect - connect sock to addr.  options: BIO_SOCK_KEEPALIVE,
 * BIO_SOCK_NONBLOCK, BIO_SOCK_NODELAY, BIO_SOCK_TFO (TCP Fast Open:
 * TCP_FASTOPEN_CONNECT on Linux, as OpenSSL 3.5/4.0 built with enable-tfo;
 * ignored where the platform lacks it); the blocking mode is set both ways.
 * Returns 1, or 0 with: BIO_R_INVALID_SOCKET (sock == -1); SYS alone (setting
 * the blocking mode failed); SYS + BIO_R_UNABLE_TO_KEEPALIVE,
 * BIO_R_UNABLE_TO_NODELAY or BIO_R_UNABLE_TO_TFO; SYS + BIO_R_CONNECT_ERROR.
 * A retryable errno (EINPROGRESS on a non-blocking socket, EINTR) returns 0
 * with nothing pushed: poll the socket, then read BIO_sock_error().  The
 * socket is never closed.
 */
BIOSOCK_API int BIO_connect(int sock, const BIO_ADDR *addr, int options);

/**
 * BIO_listen - read SO_TYPE, set the blocking mode, KEEPALIVE, NODELAY,
 * IPV6_V6ONLY (always, to 1 or 0, for an AF_INET6 addr; not on OpenBSD,
 * where it is read-only, as OpenSSL), bind (REUSEADDR),
 * then listen(SOMAXCONN) unless the socket is SOCK_DGRAM; with BIO_SOCK_TFO,
 * then TCP_FASTOPEN with a queue of SOMAXCONN (Linux, as OpenSSL 3.5/4.0
 * built with enable-tfo; a Unix socket fails there, as in OpenSSL).
 * Returns 1, or 0 with: BIO_R_INVALID_SOCKET; SYS + BIO_R_GETTING_SOCKTYPE;
 * SYS alone (blocking mode); SYS + BIO_R_UNABLE_TO_KEEPALIVE / _NODELAY;
 * SYS + BIO_R_LISTEN_V6_ONLY; the BIO_bind() entries; SYS +
 * BIO_R_UNABLE_TO_LISTEN_SOCKET; SYS + BIO_R_UNABLE_TO_TFO.
 */
BIOSOCK_API int BIO_listen(int sock, const BIO_ADDR *addr, int options);

/**
 * BIO_accept_ex - accept a connection on accept_sock; the peer's address goes
 * to peer when it is not NULL.  options: 0 or BIO_SOCK_NONBLOCK, applied to
 * the new socket.
 * Returns the new fd, or INVALID_SOCKET: with nothing pushed for a retryable
 * errno (EAGAIN on an empty non-blocking listener, EINTR when a signal
 * interrupted a blocking accept: BIO_sock_should_retry() is then true), else
 * SYS + BIO_R_ACCEPT_ERROR.
 * Better: one accept4(SOCK_CLOEXEC [| SOCK_NONBLOCK]) call instead of accept
 * + ioctl; the new fd is close-on-exec; the peer's address is zeroed past
 * what the kernel wrote (OpenSSL leaves a stale path behind an unnamed Unix
 * peer in a reused BIO_ADDR).
 */
BIOSOCK_API int BIO_accept_ex(int accept_sock, BIO_ADDR *peer, int options);

/**
 * BIO_closesocket - close(sock).  Returns 1; 0 when sock < 0 (errno is left
 * as it was, as OpenSSL does) or when close fails (errno set).  Never pushes;
 * never retries close (on Linux EINTR from close means the fd is closed).
 */
BIOSOCK_API int BIO_closesocket(int sock);

/* ---------------------------------------------------------------------
 * Socket helpers.
 */

/** BIO_sock_error - the pending SO_ERROR of sock (reading clears it), or
 * errno when getsockopt fails. */
BIOSOCK_API int BIO_sock_error(int sock);

/** BIO_socket_ioctl - ioctl(fd, type, arg); returns its result.  On failure
 * SYS ("calling ioctlsocket()") is pushed. */
BIOSOCK_API int BIO_socket_ioctl(int fd, long type, void *arg);

/** BIO_socket_nbio - make fd non-blocking (mode != 0) or blocking (mode == 0).
 * Returns 1, or 0 with SYS pushed. */
BIOSOCK_API int BIO_socket_nbio(int fd, int mode);

/** BIO_sock_should_retry - for i == 0 or -1: whether errno is retryable. */
BIOSOCK_API int BIO_sock_should_retry(int i);

/** BIO_sock_non_fatal_error - 1 for EWOULDBLOCK, EAGAIN, ENOTCONN, EINTR,
 * EPROTO, EINPROGRESS, EALREADY; else 0. */
BIOSOCK_API int BIO_sock_non_fatal_error(int error);

/** BIO_sock_init - on Windows, WSAStartup(2.2) once per process (thread-safe;
 * BIO_socket() and BIO_lookup_ex() call it, as OpenSSL's do): 1, or -1 with
 * SYS + BIO_R_WSASTARTUP pushed.  Nothing to initialise on POSIX: 1. */
BIOSOCK_API int BIO_sock_init(void);
#define BIO_sock_cleanup()                                                    \
    while (0)                                                                 \
    continue

/** BIO_set_tcp_ndelay - TCP_NODELAY on or off; 1 on success, 0 on failure
 * (errno set, nothing pushed). */
BIOSOCK_API int BIO_set_tcp_ndelay(int sock, int turn_on);

/**
 * BIO_sock_info - BIO_SOCK_INFO_ADDRESS: getsockname into info->addr.
 * Returns 1, or 0 with: BIO_R_UNKNOWN_INFO_TYPE; SYS +
 * BIO_R_GETSOCKNAME_ERROR; BIO_R_GETSOCKNAME_TRUNCATED_ADDRESS.
 */
BIOSOCK_API int BIO_sock_info(int sock, enum BIO_sock_info_type type,
                              union BIO_sock_info_u *info);

/**
 * BIO_socket_wait - wait until fd is readable (for_read) or writable, at most
 * until max_time (a time(NULL) value).  Returns -1 for a negative fd or an
 * error, 1 at once when max_time == 0, 0 when max_time has passed or the wait
 * timed out, else 1.
 * Better: poll(), so fds at or above FD_SETSIZE work (OpenSSL returns -1).
 */
BIOSOCK_API int BIO_socket_wait(int fd, int for_read, time_t max_time);

/* ---------------------------------------------------------------------
 * biosock extensions: not in OpenSSL, hence the biosock_ name.
 */

/**
 * biosock_listen_backlog - BIO_listen() with the listen(2) backlog given
 * instead of SOMAXCONN (4096 with glibc, 128 with musl; the kernel caps
 * both at net.core.somaxconn).  Same options, returns and error entries
 * as BIO_listen(); BIO_listen(s, a, o) is biosock_listen_backlog(s, a, o,
 * SOMAXCONN).
 */
BIOSOCK_API int biosock_listen_backlog(int sock, const BIO_ADDR *addr,
                                       int options, int backlog);

/**
 * biosock_connect_fresh - BIO_connect() on a socket fresh from BIO_socket()
 * (blocking, no option set yet), which saves a syscall: the blocking mode
 * is set only when BIO_SOCK_NONBLOCK asks to leave it, so a blocking
 * connect is socket + connect (+ one setsockopt per option), as with raw
 * syscalls.  The entries are BIO_connect()'s, in this function's name.
 * A biosock extension.
 */
BIOSOCK_API int biosock_connect_fresh(int sock, const BIO_ADDR *addr,
                                      int options);
/**
 * biosock_listen_fresh - biosock_listen_backlog() on a SOCK_STREAM socket
 * fresh from BIO_socket(): it neither asks the socket's type (SO_TYPE) nor
 * sets the blocking mode unless BIO_SOCK_NONBLOCK asks for it, so an IPv4
 * listener is socket + bind + listen.  The entries are BIO_listen()'s, in
 * this function's name.  A biosock extension.
 */
BIOSOCK_API int biosock_listen_fresh(int sock, const BIO_ADDR *addr,
                                     int options, int backlog);
/**
 * biosock_socket_wait_ms - wait until fd is readable (for_read) or
 * writable, at most timeout_ms milliseconds (negative: no limit; 0: poll
 * once).  BIO_socket_wait() counts whole seconds against a time(NULL)
 * deadline; this is the same wait with a millisecond timeout.
 * Returns 1 when ready (an error or hang-up on the socket counts: read it
 * with BIO_sock_error()), 0 when the time ran out, -1 with errno set and SYS
 * ("calling poll()") pushed on failure: EINTR when a signal came (not
 * retried), EBADF for a closed fd; a negative fd pushes
 * BIO_R_INVALID_SOCKET instead.
 */
BIOSOCK_API int biosock_socket_wait_ms(int fd, int for_read, int timeout_ms);

/** Happy Eyeballs' attempt delay: the default (RFC 8305 section 5's
 * recommendation) and the least a race waits (its MUST NOT be less).  The
 * Rust crate's races, sync and tokio, take theirs from here. */
#define BIOSOCK_HE_DEFAULT_DELAY_MS 250
#define BIOSOCK_HE_MIN_DELAY_MS 10

/**
 * biosock_connect_any - connect to the first of addrs[0..n) that answers,
 * the Happy Eyeballs way (RFC 8305): the addresses are interleaved by family
 * (the first one's family first, then alternating, each family in its
 * order); one non-blocking BIO_connect starts every attempt_delay_ms (< 0:
 * BIOSOCK_HE_DEFAULT_DELAY_MS; at least BIOSOCK_HE_MIN_DELAY_MS), or at
 * once when the previous
 * attempt failed; the first connection that completes wins and the others
 * are closed.  Any number of addresses: at most 64 attempts are in flight
 * at once (a further one starts when one of them ends), so memory does not
 * grow with n.  timeout_ms > 0 bounds the whole race (microsecond clock;
 * the race never ends before timeout_ms, and an attempt that connected by
 * then wins); <= 0: each attempt ends with TCP's own timeout.  options:
 * BIO_SOCK_KEEPALIVE, BIO_SOCK_NODELAY (applied to every attempt) and
 * BIO_SOCK_NONBLOCK (the mode of the socket returned; it is connected
 * either way).
 * Returns the connected fd, the error queue exactly as the caller left it
 * (the failed attempts' entries are never queued); or INVALID_SOCKET, errno
 * the last failure's, and after the caller's entries, per address
 * attempted, in the order they failed: SYS + BIO_R_CONNECT_ERROR (refused,
 * unreachable, ...), or SYS ETIMEDOUT + BIO_R_CONNECT_TIMEOUT for those still
 * pending when timeout_ms ran out (the queue keeps the newest 15 of all, as
 * always); when poll() itself fails, its errno and a SYS entry ("calling
 * poll()"), the attempts still pending closed.  n == 0: errno EINVAL and
 * BIO_R_INVALID_ARGUMENT ("no address to connect to"); addrs NULL with
 * n > 0: ERR_R_PASSED_NULL_PARAMETER.
 * errs: NULL, or room for n ints, which say how each address fared: the
 * errno its attempt ended with (ETIMEDOUT when timeout_ms cut it off), or 0
 * when it was not attempted, won, or was closed unfinished when the race
 * ended; so a failed race names each address with its own reason.
 * A biosock extension; not in OpenSSL.
 */
BIOSOCK_API int biosock_connect_any(const BIO_ADDR *const *addrs, size_t n,
                                    int options, int attempt_delay_ms,
                                    int timeout_ms, int *errs);

/**
 * biosock_connect_order - the order biosock_connect_any() tries addrs[0..n)
 * in (RFC 8305 section 4: the first address's family first, then the
 * families alternate, each in its own order; when one runs out, the rest of
 * the other): order[k] is the index of the k-th address tried.  Returns n,
 * or 0 with ERR_R_PASSED_NULL_PARAMETER for a NULL array with n > 0.  A
 * biosock extension, so that other Happy Eyeballs implementations (the
 * Rust crate's tokio layer) follow the same rule.
 */
BIOSOCK_API size_t biosock_connect_order(const BIO_ADDR *const *addrs,
                                         size_t n, size_t *order);

/**
 * biosock_connect_happy - BIO_lookup_ex(host, service) for stream sockets,
 * then biosock_connect_any() over its results: the lookup's entries when it
 * fails, else biosock_connect_any()'s.  A biosock extension.
 */
BIOSOCK_API int biosock_connect_happy(const char *host, const char *service,
                                      int options, int attempt_delay_ms,
                                      int timeout_ms);

/* ---------------------------------------------------------------------
 * BIO_ADDR.
 */

/** BIO_ADDR_new - a zeroed address of family AF_UNSPEC; NULL without memory
 * (ERR_R_MALLOC_FAILURE). */
BIOSOCK_API BIO_ADDR *BIO_ADDR_new(void);
/** BIO_ADDR_free - free an address from BIO_ADDR_new(); NULL is fine. */
BIOSOCK_API void BIO_ADDR_free(BIO_ADDR *ap);
/** BIO_ADDR_clear - reset ap to AF_UNSPEC. */
BIOSOCK_API void BIO_ADDR_clear(BIO_ADDR *ap);
/** BIO_ADDR_copy - copy src into dst (OpenSSL 3.2's API); 1, or 0 for NULL. */
BIOSOCK_API int BIO_ADDR_copy(BIO_ADDR *dst, const BIO_ADDR *src);
/** BIO_ADDR_dup - a new copy of ap (OpenSSL 3.2's API); NULL for NULL. */
BIOSOCK_API BIO_ADDR *BIO_ADDR_dup(const BIO_ADDR *ap);

/**
 * BIO_ADDR_rawmake - fill ap.  AF_INET: where is 4 bytes (in_addr);
 * AF_INET6: 16 bytes (in6_addr); AF_UNIX: a path of wherelen bytes with
 * wherelen + 1 <= sizeof(sun_path), ending at its first NUL as in OpenSSL.
 * port is in network byte order.
 * Returns 1, or 0 for any other family or length, with nothing pushed and
 * errno untouched, as in OpenSSL.
 * Better: nothing past wherelen or past the path's first NUL is read
 * (OpenSSL's strncpy reads up to 107 bytes whatever wherelen says); a name
 * that starts with a NUL byte is a Linux abstract address of exactly
 * wherelen bytes (OpenSSL turns it into an empty path).
 */
BIOSOCK_API int BIO_ADDR_rawmake(BIO_ADDR *ap, int family, const void *where,
                                 size_t wherelen, unsigned short port);

/** BIO_ADDR_family - AF_INET, AF_INET6, AF_UNIX or AF_UNSPEC (also for
 * NULL). */
BIOSOCK_API int BIO_ADDR_family(const BIO_ADDR *ap);

/**
 * BIO_ADDR_rawaddress - copy the raw address to p (when p is not NULL) and
 * its length to *l (when l is not NULL): 4, 16, or the Unix path length
 * (for an abstract name, its length counting the leading NUL).
 * Returns 1, or 0 for AF_UNSPEC.
 */
BIOSOCK_API int BIO_ADDR_rawaddress(const BIO_ADDR *ap, void *p, size_t *l);

/** BIO_ADDR_rawport - the port in network byte order, 0 for non-IP. */
BIOSOCK_API unsigned short BIO_ADDR_rawport(const BIO_ADDR *ap);

/**
 * BIO_ADDR_hostname_string, BIO_ADDR_service_string - getnameinfo() of ap,
 * numeric or by name; IPv6 without brackets.  Free with OPENSSL_free().
 * NULL on failure with BIO + ERR_R_SYS_LIB (the gai text as data) or SYS
 * (EAI_SYSTEM) pushed.
 */
BIOSOCK_API char *BIO_ADDR_hostname_string(const BIO_ADDR *ap, int numeric);
/** BIO_ADDR_service_string - the port of ap, numeric or its service name,
 * as BIO_ADDR_hostname_string() above; free with OPENSSL_free(). */
BIOSOCK_API char *BIO_ADDR_service_string(const BIO_ADDR *ap, int numeric);

/** BIO_ADDR_path_string - the Unix path (free with OPENSSL_free()), else
 * NULL.  An abstract name is given as "@name". */
BIOSOCK_API char *BIO_ADDR_path_string(const BIO_ADDR *ap);

/** BIO_ADDR_sockaddr, BIO_ADDR_sockaddr_size - the struct sockaddr inside ap
 * and its length (16, 28, or the Unix length), for direct syscalls. */
BIOSOCK_API const struct sockaddr *BIO_ADDR_sockaddr(const BIO_ADDR *ap);
/** BIO_ADDR_sockaddr_size - the length of BIO_ADDR_sockaddr(ap): 16, 28, or
 * the Unix length; 0 for AF_UNSPEC. */
BIOSOCK_API socklen_t BIO_ADDR_sockaddr_size(const BIO_ADDR *ap);

/* ---------------------------------------------------------------------
 * BIO_ADDRINFO and lookups.
 */
BIOSOCK_API const BIO_ADDRINFO *BIO_ADDRINFO_next(const BIO_ADDRINFO *bai);
/** BIO_ADDRINFO_family - the entry's AF_INET, AF_INET6 or AF_UNIX; 0 for a
 * NULL bai. */
BIOSOCK_API int BIO_ADDRINFO_family(const BIO_ADDRINFO *bai);
/** BIO_ADDRINFO_socktype - the entry's SOCK_STREAM or SOCK_DGRAM; 0 for a
 * NULL bai. */
BIOSOCK_API int BIO_ADDRINFO_socktype(const BIO_ADDRINFO *bai);
/** BIO_ADDRINFO_protocol - IPPROTO_TCP/UDP for stream/dgram when the resolver
 * left it 0; 0 for AF_UNIX. */
BIOSOCK_API int BIO_ADDRINFO_protocol(const BIO_ADDRINFO *bai);
/** BIO_ADDRINFO_address - the entry's address, owned by the list; NULL for
 * a NULL bai. */
BIOSOCK_API const BIO_ADDR *BIO_ADDRINFO_address(const BIO_ADDRINFO *bai);
/** BIO_ADDRINFO_free - free a whole list from BIO_lookup(); NULL is fine. */
BIOSOCK_API void BIO_ADDRINFO_free(BIO_ADDRINFO *bai);

/**
 * BIO_parse_hostserv - split "host:service", "[v6]:service", "host" or
 * "service" (by prio).  An empty part or "*" gives NULL; a part that is
 * absent leaves the caller's pointer untouched; host or service may be NULL
 * to skip it.  Free results with OPENSSL_free().
 * Returns 1, or 0 with BIO_R_AMBIGUOUS_HOST_OR_SERVICE (more than one ':'
 * outside brackets) or BIO_R_MALFORMED_HOST_OR_SERVICE.
 */
BIOSOCK_API int BIO_parse_hostserv(const char *hostserv, char **host,
                                   char **service,
                                   enum BIO_hostserv_priorities hostserv_prio);

/**
 * BIO_lookup_ex - resolve host and service (getaddrinfo; AI_PASSIVE for
 * BIO_LOOKUP_SERVER).  family: AF_INET, AF_INET6, AF_UNIX or AF_UNSPEC, else
 * BIO_R_UNSUPPORTED_PROTOCOL_FAMILY.  AF_UNIX: one entry with host as the
 * path.  Returns 1 with *res set (free with BIO_ADDRINFO_free()), or 0 with
 * BIO + ERR_R_SYS_LIB and the gai text pushed.
 * A numeric service is read as getaddrinfo reads it, as in OpenSSL: as
 * strtoul() would (white space and a sign allowed) and cut to 16 bits, so
 * "+111043" and " 111043" are port 45507 and "-1" is 65535 (the Rust
 * layer refuses those).
 * Better: an AF_UNIX path too long for sun_path fails
 * (BIO_R_LENGTH_TOO_LONG) instead of giving a zeroed address.
 */
BIOSOCK_API int BIO_lookup_ex(const char *host, const char *service,
                              int lookup_type, int family, int socktype,
                              int protocol, BIO_ADDRINFO **res);
/** BIO_lookup - BIO_lookup_ex() with protocol 0. */
BIOSOCK_API int BIO_lookup(const char *host, const char *service,
                           enum BIO_lookup_type lookup_type, int family,
                           int socktype, BIO_ADDRINFO **res);

/* ---------------------------------------------------------------------
 * Deprecated since OpenSSL 1.1.0, kept for source compatibility.
 */
#ifndef OPENSSL_NO_DEPRECATED_1_1_0
/** BIO_gethostbyname - gethostbyname(name). */
BIOSOCK_DEPRECATED BIOSOCK_API struct hostent *
BIO_gethostbyname(const char *name);
/** BIO_get_port - the port of service str, in host byte order.  NULL str:
 * BIO_R_NO_PORT_DEFINED. */
BIOSOCK_DEPRECATED BIOSOCK_API int BIO_get_port(const char *str,
                                                unsigned short *port_ptr);
/** BIO_get_host_ip - the IPv4 address of str into ip[4]. */
BIOSOCK_DEPRECATED BIOSOCK_API int BIO_get_host_ip(const char *str,
                                                   unsigned char *ip);
/** BIO_get_accept_socket - a listening socket for "host:port" (REUSEADDR when
 * bind_mode), or -1 with the parse or lookup error pushed. */
BIOSOCK_DEPRECATED BIOSOCK_API int BIO_get_accept_socket(char *host_port,
                                                         int bind_mode);
/** BIO_accept - BIO_accept_ex(); -2 when retryable; *ip_port gets the numeric
 * "host:port" of the peer (free with OPENSSL_free()). */
BIOSOCK_DEPRECATED BIOSOCK_API int BIO_accept(int sock, char **ip_port);
#endif

/* ---------------------------------------------------------------------
 * The error queue: thread-local, at most ERR_NUM_ERRORS entries (the oldest
 * is dropped), nothing to free at thread exit.  Same packing as OpenSSL 3.
 */
BIOSOCK_API unsigned long ERR_get_error(void);
/** ERR_get_error_all - pop the oldest entry with its origin and data (data
 * stays valid until this thread's next error-queue call that reuses the
 * slot).  func is the API function that raised it ("BIO_connect"); flags is
 * ERR_TXT_MALLOCED | ERR_TXT_STRING when there is data, as OpenSSL's. */
BIOSOCK_API unsigned long ERR_get_error_all(const char **file, int *line,
                                            const char **func,
                                            const char **data, int *flags);
/** ERR_peek_error - the oldest entry's code, without popping; 0 when the
 * queue is empty. */
BIOSOCK_API unsigned long ERR_peek_error(void);
/** ERR_peek_error_func - ERR_peek_error(), and *func (when func is not
 * NULL) the API function that raised the entry. */
BIOSOCK_API unsigned long ERR_peek_error_func(const char **func);
/** ERR_peek_error_data - ERR_peek_error(), and the entry's data and flags
 * (when not NULL) as ERR_get_error_all() gives them. */
BIOSOCK_API unsigned long ERR_peek_error_data(const char **data, int *flags);
/** ERR_peek_error_all - ERR_get_error_all() without popping. */
BIOSOCK_API unsigned long ERR_peek_error_all(const char **file, int *line,
                                             const char **func,
                                             const char **data, int *flags);
/** ERR_peek_last_error - the newest entry's code, without popping; 0 when
 * the queue is empty. */
BIOSOCK_API unsigned long ERR_peek_last_error(void);
/** ERR_peek_last_error_func - ERR_peek_last_error() and the function that
 * raised it, as ERR_peek_error_func(). */
BIOSOCK_API unsigned long ERR_peek_last_error_func(const char **func);
/** ERR_peek_last_error_data - ERR_peek_last_error() and its data and
 * flags, as ERR_peek_error_data(). */
BIOSOCK_API unsigned long ERR_peek_last_error_data(const char **data,
                                                   int *flags);
/** ERR_peek_last_error_all - the newest entry, without popping. */
BIOSOCK_API unsigned long ERR_peek_last_error_all(const char **file, int *line,
                                                  const char **func,
                                                  const char **data,
                                                  int *flags);
/** ERR_clear_error - empty this thread's queue. */
BIOSOCK_API void ERR_clear_error(void);

/**
 * OPENSSL_thread_stop - free this thread's error queue now, as OpenSSL frees
 * its thread-local state: what it held is gone, and the next entry raised
 * on this thread starts a new one.  Threads need not call it (their queue is
 * freed when they end); a program's main thread may, so that a leak checker
 * finds nothing left at exit.
 */
BIOSOCK_API void OPENSSL_thread_stop(void);

/** What biosock_layout() reports. */
enum biosock_layout_item {
    BIOSOCK_LAYOUT_BIO_ADDR_SIZE,
    BIOSOCK_LAYOUT_BIO_ADDR_ALIGN,
    BIOSOCK_LAYOUT_UNIX_LEN_OFFSET,
    BIOSOCK_LAYOUT_SOCKADDR_UN_SIZE,
    BIOSOCK_LAYOUT_SOCKADDR_IN6_SIZE,
    BIOSOCK_LAYOUT_SOCK_INFO_SIZE,
    BIOSOCK_LAYOUT_ERR_ENTRY_SIZE,
    BIOSOCK_LAYOUT_SOCKLEN_SIZE,
    /* Field by field, for the structs the Rust side reads and writes. */
    BIOSOCK_LAYOUT_ERR_ENTRY_CODE_OFFSET,
    BIOSOCK_LAYOUT_ERR_ENTRY_DATA_OFFSET,
    BIOSOCK_LAYOUT_ERR_ENTRY_DATA_IS_STATIC_OFFSET,
    BIOSOCK_LAYOUT_ERR_ENTRY_ALIGN,
    BIOSOCK_LAYOUT_SOCK_INFO_ADDR_OFFSET,
    BIOSOCK_LAYOUT_SOCKADDR_IN_SIZE,
    /* The Rust crate's struct biosock_rs_fail (c/src/rust.h). */
    BIOSOCK_LAYOUT_RS_FAIL_SIZE,
    BIOSOCK_LAYOUT_RS_FAIL_CALL_OFFSET,
    BIOSOCK_LAYOUT_RS_FAIL_FUNC_OFFSET,
    BIOSOCK_LAYOUT_RS_FAIL_CODE_OFFSET
};

/**
 * biosock_layout - the size, alignment or offset item of the types this
 * header shares with other languages, as the C compiler laid them out for
 * this target; 0 for an unknown item.  A biosock extension: the Rust
 * crate's bindings are target-independent and checked against it.
 */
BIOSOCK_API size_t biosock_layout(enum biosock_layout_item item);

/** One entry as biosock_err_drain() takes it. */
typedef struct biosock_err_entry {
    /** The packed code, as ERR_get_error() returns it. */
    unsigned long code;
    /** The entry's data, or NULL when it has none. */
    const char *data;
    /** 1 when data is one of the library's own texts, with static storage
     * ("calling connect()"); 0 when it was formatted into the queue
     * (ERR_add_error_data(), a resolver's message) and is valid only until
     * this thread's next error-queue call: copy it before. */
    int data_is_static;
} BIOSOCK_ERR_ENTRY;

/**
 * biosock_err_drain - take this thread's entries, oldest first, into out
 * (at most max of them), in one call, and empty the queue.  Returns how
 * many were written.  A biosock extension: what the Rust crate uses to
 * take a failure's entries without a call per entry.
 */
BIOSOCK_API size_t biosock_err_drain(BIOSOCK_ERR_ENTRY *out, size_t max);

/* Deprecated in OpenSSL 3.0, still declared there. */
#ifndef OPENSSL_NO_DEPRECATED_3_0
BIOSOCK_DEPRECATED BIOSOCK_API unsigned long
ERR_get_error_line(const char **file, int *line);
BIOSOCK_DEPRECATED BIOSOCK_API unsigned long
ERR_get_error_line_data(const char **file, int *line, const char **data,
                        int *flags);
BIOSOCK_DEPRECATED BIOSOCK_API unsigned long
ERR_peek_error_line(const char **file, int *line);
BIOSOCK_DEPRECATED BIOSOCK_API unsigned long
ERR_peek_error_line_data(const char **file, int *line, const char **data,
                         int *flags);
BIOSOCK_DEPRECATED BIOSOCK_API unsigned long
ERR_peek_last_error_line(const char **file, int *line);
BIOSOCK_DEPRECATED BIOSOCK_API unsigned long
ERR_peek_last_error_line_data(const char **file, int *line, const char **data,
                              int *flags);
/** ERR_func_error_string - NULL, as in OpenSSL 3. */
BIOSOCK_DEPRECATED BIOSOCK_API const char *
ERR_func_error_string(unsigned long e);
/* ERR_put_error - push lib/reason with file and line, recording the
 * calling function: OpenSSL 3's macro, token for token (<openssl/err.h>'s
 * when that came first). */
#ifndef BIOSOCK_AFTER_OPENSSL_ERR
#ifndef OPENSSL_NO_FILENAMES
#define ERR_PUT_error(l, f, r, fn, ln) ERR_put_error(l, f, r, fn, ln)
#else
#define ERR_PUT_error(l, f, r, fn, ln) ERR_put_error(l, f, r, NULL, 0)
#endif
#define ERR_put_error(lib, func, reason, file, line)                          \
    (ERR_new(), ERR_set_debug((file), (line), OPENSSL_FUNC),                  \
     ERR_set_error((lib), (reason), NULL))
#endif
#define ERR_GET_FUNC(e) 0
/** ERR_get_state - this thread's error queue (allocated when it has
 * none); NULL without memory.  Opaque, as in OpenSSL; not an
 * OSSL_ERR_STATE_new() state (pass it to nothing). */
BIOSOCK_DEPRECATED BIOSOCK_API ERR_STATE *ERR_get_state(void);
#endif
#ifndef OPENSSL_NO_DEPRECATED_1_1_0
/** ERR_remove_thread_state - nothing, as in OpenSSL 1.1.0 and later (a
 * thread's queue is freed when it ends). */
BIOSOCK_DEPRECATED BIOSOCK_API void ERR_remove_thread_state(void *unused);
#endif
#ifndef OPENSSL_NO_DEPRECATED_1_0_0
/** ERR_remove_state - nothing, as in OpenSSL 1.1.0 and later. */
BIOSOCK_DEPRECATED BIOSOCK_API void ERR_remove_state(unsigned long pid);
#endif

#if !defined(OPENSSL_NO_DEPRECATED_3_0) && !defined(BIOSOCK_AFTER_OPENSSL_ERR)
/* OpenSSL 1.1's raising macros, <openssl/err.h>'s in 3.0 (deprecated): the
 * function code is dropped, as there. */
#define ASN1err(f, r) ERR_raise_data(ERR_LIB_ASN1, (r), NULL)
#define ASYNCerr(f, r) ERR_raise_data(ERR_LIB_ASYNC, (r), NULL)
#define BIOerr(f, r) ERR_raise_data(ERR_LIB_BIO, (r), NULL)
#define BNerr(f, r) ERR_raise_data(ERR_LIB_BN, (r), NULL)
#define BUFerr(f, r) ERR_raise_data(ERR_LIB_BUF, (r), NULL)
#define CMPerr(f, r) ERR_raise_data(ERR_LIB_CMP, (r), NULL)
#define CMSerr(f, r) ERR_raise_data(ERR_LIB_CMS, (r), NULL)
#define COMPerr(f, r) ERR_raise_data(ERR_LIB_COMP, (r), NULL)
#define CONFerr(f, r) ERR_raise_data(ERR_LIB_CONF, (r), NULL)
#define CRMFerr(f, r) ERR_raise_data(ERR_LIB_CRMF, (r), NULL)
#define CRYPTOerr(f, r) ERR_raise_data(ERR_LIB_CRYPTO, (r), NULL)
#define CTerr(f, r) ERR_raise_data(ERR_LIB_CT, (r), NULL)
#define DHerr(f, r) ERR_raise_data(ERR_LIB_DH, (r), NULL)
#define DSAerr(f, r) ERR_raise_data(ERR_LIB_DSA, (r), NULL)
#define DSOerr(f, r) ERR_raise_data(ERR_LIB_DSO, (r), NULL)
#define ECDHerr(f, r) ERR_raise_data(ERR_LIB_ECDH, (r), NULL)
#define ECDSAerr(f, r) ERR_raise_data(ERR_LIB_ECDSA, (r), NULL)
#define ECerr(f, r) ERR_raise_data(ERR_LIB_EC, (r), NULL)
#define ENGINEerr(f, r) ERR_raise_data(ERR_LIB_ENGINE, (r), NULL)
#define ESSerr(f, r) ERR_raise_data(ERR_LIB_ESS, (r), NULL)
#define EVPerr(f, r) ERR_raise_data(ERR_LIB_EVP, (r), NULL)
#define FIPSerr(f, r) ERR_raise_data(ERR_LIB_FIPS, (r), NULL)
#define HMACerr(f, r) ERR_raise_data(ERR_LIB_HMAC, (r), NULL)
#define HTTPerr(f, r) ERR_raise_data(ERR_LIB_HTTP, (r), NULL)
#define KDFerr(f, r) ERR_raise_data(ERR_LIB_KDF, (r), NULL)
#define OBJerr(f, r) ERR_raise_data(ERR_LIB_OBJ, (r), NULL)
#define OCSPerr(f, r) ERR_raise_data(ERR_LIB_OCSP, (r), NULL)
#define OSSL_STOREerr(f, r) ERR_raise_data(ERR_LIB_OSSL_STORE, (r), NULL)
#define PEMerr(f, r) ERR_raise_data(ERR_LIB_PEM, (r), NULL)
#define PKCS12err(f, r) ERR_raise_data(ERR_LIB_PKCS12, (r), NULL)
#define PKCS7err(f, r) ERR_raise_data(ERR_LIB_PKCS7, (r), NULL)
#define PROPerr(f, r) ERR_raise_data(ERR_LIB_PROP, (r), NULL)
#define PROVerr(f, r) ERR_raise_data(ERR_LIB_PROV, (r), NULL)
#define RANDerr(f, r) ERR_raise_data(ERR_LIB_RAND, (r), NULL)
#define RSAerr(f, r) ERR_raise_data(ERR_LIB_RSA, (r), NULL)
#define SM2err(f, r) ERR_raise_data(ERR_LIB_SM2, (r), NULL)
#define SSLerr(f, r) ERR_raise_data(ERR_LIB_SSL, (r), NULL)
#define SYSerr(f, r) ERR_raise_data(ERR_LIB_SYS, (r), NULL)
#define TSerr(f, r) ERR_raise_data(ERR_LIB_TS, (r), NULL)
#define UIerr(f, r) ERR_raise_data(ERR_LIB_UI, (r), NULL)
#define X509V3err(f, r) ERR_raise_data(ERR_LIB_X509V3, (r), NULL)
#define X509err(f, r) ERR_raise_data(ERR_LIB_X509, (r), NULL)
/* The system function codes, all 0 since OpenSSL 3.0. */
#define SYS_F_FOPEN 0
#define SYS_F_CONNECT 0
#define SYS_F_GETSERVBYNAME 0
#define SYS_F_SOCKET 0
#define SYS_F_IOCTLSOCKET 0
#define SYS_F_BIND 0
#define SYS_F_LISTEN 0
#define SYS_F_ACCEPT 0
#define SYS_F_WSASTARTUP 0
#define SYS_F_OPENDIR 0
#define SYS_F_FREAD 0
#define SYS_F_GETADDRINFO 0
#define SYS_F_GETNAMEINFO 0
#define SYS_F_SETSOCKOPT 0
#define SYS_F_GETSOCKOPT 0
#define SYS_F_GETSOCKNAME 0
#define SYS_F_GETHOSTBYNAME 0
#define SYS_F_FFLUSH 0
#define SYS_F_OPEN 0
#define SYS_F_CLOSE 0
#define SYS_F_IOCTL 0
#define SYS_F_STAT 0
#define SYS_F_FCNTL 0
#define SYS_F_FSTAT 0
#define SYS_F_SENDFILE 0
#endif

/** ERR_error_string_n - "error:%08lX:lib::reason" as OpenSSL 3 writes it;
 * the short form "err:%lx:%lx:%lx:%lx" when that does not fit. */
BIOSOCK_API void ERR_error_string_n(unsigned long e, char *buf, size_t len);
/** ERR_error_string - ERR_error_string_n() into buf, which must hold 256
 * bytes; buf NULL uses one static buffer shared by every thread, as in
 * OpenSSL (not thread-safe: prefer ERR_error_string_n()). */
BIOSOCK_API char *ERR_error_string(unsigned long e, char *buf);
/** ERR_lib_error_string - "BIO routines", "SSL routines", ... for every
 * library OpenSSL 4.0 names; NULL for others. */
BIOSOCK_API const char *ERR_lib_error_string(unsigned long e);
/** ERR_reason_error_string - the text of a BIO reason or of a reason common
 * to all libraries (ERR_R_*); NULL for system errors, as in OpenSSL 3. */
BIOSOCK_API const char *ERR_reason_error_string(unsigned long e);
/** ERR_print_errors_cb - pop every entry and give cb one line per entry, as
 * OpenSSL formats it: "<thread id>:error:...:<func>:<reason>:<file>:<line>:
 * <data>\n" (file and line are biosock's); stops when cb returns <= 0. */
BIOSOCK_API void
ERR_print_errors_cb(int (*cb)(const char *str, size_t len, void *u), void *u);
/** ERR_print_errors_fp - ERR_print_errors_cb() writing to fp. */
BIOSOCK_API void ERR_print_errors_fp(FILE *fp);
/** ERR_add_error_data - append num strings to the newest entry's data
 * ("<NULL>" for a NULL one), up to ERR_MAX_DATA_SIZE - 1 bytes in all
 * (OpenSSL grows it without bound). */
BIOSOCK_API void ERR_add_error_data(int num, ...);
/** ERR_add_error_vdata - ERR_add_error_data() with a va_list of num
 * strings. */
BIOSOCK_API void ERR_add_error_vdata(int num, va_list args);
/** ERR_add_error_txt - add txt to the newest entry's data after separator
 * (NULL: none), as OpenSSL's: where the data would grow past what one
 * entry holds, the rest goes into copies of that entry (same code, file,
 * line and function), split after a separator where txt has one; with an
 * empty queue, into a new entry of library ERR_LIB_NONE.  An entry holds
 * up to ERR_MAX_DATA_SIZE - 1 bytes here, 3,996 in OpenSSL, so long texts
 * split sooner (nothing is lost). */
BIOSOCK_API void ERR_add_error_txt(const char *separator, const char *txt);
/** ERR_set_error_data - make data, with flags (ERR_TXT_STRING: it is
 * text; ERR_TXT_MALLOCED: it is the queue's to free), the newest entry's
 * data, as OpenSSL's.  The queue owns ERR_TXT_MALLOCED data from here: it
 * copies it (up to ERR_MAX_DATA_SIZE - 1 bytes) into the entry's buffer and
 * frees it at once, so data is not valid after the call either way. */
BIOSOCK_API void ERR_set_error_data(char *data, int flags);

#ifndef BIOSOCK_AFTER_OPENSSL_ERR /* else <openssl/err.h>'s, the same */
/** A text for an error code, for ERR_load_strings(): a table ends with an
 * entry whose error is 0. */
typedef struct ERR_string_data_st {
    unsigned long error;
    const char *string;
} ERR_STRING_DATA;
#endif
/**
 * ERR_load_strings - give the codes of str, packed with library lib (a
 * library's own text is ERR_PACK(lib, 0, 0), a reason's ERR_PACK(lib, 0,
 * reason)), their texts for ERR_lib_error_string(),
 * ERR_reason_error_string() and ERR_error_string_n(), as OpenSSL's: str's
 * codes are rewritten with the library, and the table is used where it is
 * (it must outlive its use).  A code loaded again takes the newer text;
 * loaded texts come before biosock's own.  Returns 1, or 0 without memory.
 */
BIOSOCK_API int ERR_load_strings(int lib, ERR_STRING_DATA *str);
/** ERR_load_strings_const - ERR_load_strings() of codes already packed. */
BIOSOCK_API int ERR_load_strings_const(const ERR_STRING_DATA *str);
/** ERR_unload_strings - forget the texts of str's (packed) codes; lib is
 * not used, as in OpenSSL.  Returns 1.  biosock's own texts stay. */
BIOSOCK_API int ERR_unload_strings(int lib, ERR_STRING_DATA *str);
/**
 * OSSL_ERR_STATE_new, _save, _save_to_mark, _restore, _free - entries taken
 * out of this thread's queue and put back later, as OpenSSL 3.2's: save
 * moves all of them into es (the queue is then empty), save_to_mark those
 * above the newest mark (the marked entry stays, with its mark); restore
 * pushes es's entries, oldest first, onto the queue (marks are not kept,
 * as OpenSSL drops them), and es keeps them; new gives an empty es (NULL
 * without memory), free frees one (NULL is fine).  es's data is its own
 * copy, so it outlives what the queue does with its entries.
 */
BIOSOCK_API ERR_STATE *OSSL_ERR_STATE_new(void);
BIOSOCK_API void OSSL_ERR_STATE_save(ERR_STATE *es);
BIOSOCK_API void OSSL_ERR_STATE_save_to_mark(ERR_STATE *es);
BIOSOCK_API void OSSL_ERR_STATE_restore(const ERR_STATE *es);
BIOSOCK_API void OSSL_ERR_STATE_free(ERR_STATE *es);

/** ERR_get_next_error_library - a library number of the caller's own: 128
 * (ERR_LIB_USER) first, then one more each call, as OpenSSL's. */
BIOSOCK_API int ERR_get_next_error_library(void);

/** ERR_new - start a new entry: with ERR_set_debug() and ERR_set_error()
 * below, what ERR_raise() and ERR_raise_data() expand to (data
 * printf-formatted, up to ERR_MAX_DATA_SIZE - 1 bytes). */
BIOSOCK_API void ERR_new(void);
/** ERR_set_debug - record file, line and func as the origin of the entry
 * ERR_new() started. */
BIOSOCK_API void ERR_set_debug(const char *file, int line, const char *func);
/** ERR_set_error - set the code (lib, reason) and the printf-formatted data
 * (fmt may be NULL) of the entry ERR_new() started. */
BIOSOCK_API void ERR_set_error(int lib, int reason, const char *fmt, ...);
/** ERR_vset_error - ERR_set_error() with a va_list. */
BIOSOCK_API void ERR_vset_error(int lib, int reason, const char *fmt,
                                va_list args);
#ifndef BIOSOCK_AFTER_OPENSSL_ERR /* else <openssl/err.h>'s, the same */
#define ERR_raise(lib, reason) ERR_raise_data((lib), (reason), NULL)
#define ERR_raise_data                                                        \
    (ERR_new(), ERR_set_debug(OPENSSL_FILE, OPENSSL_LINE, OPENSSL_FUNC),      \
     ERR_set_error)
#endif

/** ERR_set_mark - mark the newest entry; 0 when the queue is empty.  Marks
 * count per entry, as in OpenSSL (3.0.19, 3.5.5 and 4.0.3 alike). */
BIOSOCK_API int ERR_set_mark(void);
/** ERR_pop_to_mark - drop the entries above the newest mark, and that mark;
 * returns 0 when there is none (the queue is then empty), else 1. */
BIOSOCK_API int ERR_pop_to_mark(void);
/** ERR_clear_last_mark - remove the newest mark, keeping the entries;
 * returns 0 when there is none. */
BIOSOCK_API int ERR_clear_last_mark(void);
/** ERR_count_to_mark - the number of entries above the newest mark (all of
 * them when there is none). */
BIOSOCK_API int ERR_count_to_mark(void);
/** ERR_pop - drop the newest entry; returns 0 when the queue is empty. */
BIOSOCK_API int ERR_pop(void);

/** ERR_load_BIO_strings - nothing to load (the texts are built in): 1.
 * Deprecated in OpenSSL 3.0, a function there too. */
BIOSOCK_API int ERR_load_BIO_strings(void);

#ifndef BIOSOCK_AFTER_OPENSSL_ERR /* else <openssl/err.h>'s */
#define ERR_load_crypto_strings() 1
#define ERR_free_strings() ((void)0)

#define ERR_SYSTEM_ERROR(errcode) (((errcode)&ERR_SYSTEM_FLAG) != 0)

static inline int ERR_GET_LIB(unsigned long errcode)
{
    if (ERR_SYSTEM_ERROR(errcode))
        return ERR_LIB_SYS;
    return (int)((errcode >> ERR_LIB_OFFSET) & ERR_LIB_MASK);
}

static inline int ERR_GET_RFLAGS(unsigned long errcode)
{
    if (ERR_SYSTEM_ERROR(errcode))
        return 0;
    return (int)(errcode & (ERR_RFLAGS_MASK << ERR_RFLAGS_OFFSET));
}

static inline int ERR_GET_REASON(unsigned long errcode)
{
    if (ERR_SYSTEM_ERROR(errcode))
        return (int)(errcode & ERR_SYSTEM_MASK);
    return (int)(errcode & ERR_REASON_MASK);
}

static inline int ERR_FATAL_ERROR(unsigned long errcode)
{
    return (ERR_GET_RFLAGS(errcode) & ERR_RFLAG_FATAL) != 0;
}

static inline int ERR_COMMON_ERROR(unsigned long errcode)
{
    return (ERR_GET_RFLAGS(errcode) & ERR_RFLAG_COMMON) != 0;
}
#endif

/** OPENSSL_free - free a string this library returned; NULL is fine. */
BIOSOCK_API void biosock_OPENSSL_free(void *addr);

/**
 * OPENSSL_malloc, OPENSSL_zalloc, OPENSSL_realloc, OPENSSL_strdup,
 * OPENSSL_strndup, OPENSSL_free - the C allocator, as OpenSSL's default
 * one; memory from either side can be freed by the other.  On failure they
 * return NULL with ERR_R_MALLOC_FAILURE pushed.
 */
BIOSOCK_API void *CRYPTO_malloc(size_t num, const char *file, int line);
/** CRYPTO_zalloc - calloc(1, num) behind OPENSSL_zalloc(); NULL for 0
 * bytes, and NULL with ERR_R_MALLOC_FAILURE pushed on failure. */
BIOSOCK_API void *CRYPTO_zalloc(size_t num, const char *file, int line);
/** CRYPTO_realloc - realloc() behind OPENSSL_realloc(): CRYPTO_malloc()
 * for a NULL addr, free() and NULL for 0 bytes; NULL with
 * ERR_R_MALLOC_FAILURE pushed on failure (addr is then still valid). */
BIOSOCK_API void *CRYPTO_realloc(void *addr, size_t num, const char *file,
                                 int line);
/** CRYPTO_strdup - strdup() behind OPENSSL_strdup(); NULL with
 * ERR_R_MALLOC_FAILURE pushed on failure. */
BIOSOCK_API char *CRYPTO_strdup(const char *str, const char *file, int line);
/** CRYPTO_strndup - a copy of at most s bytes of str, NUL-terminated,
 * behind OPENSSL_strndup(); NULL with ERR_R_MALLOC_FAILURE pushed. */
BIOSOCK_API char *CRYPTO_strndup(const char *str, size_t s, const char *file,
                                 int line);
/** CRYPTO_free - free() behind OPENSSL_free(); NULL is fine. */
BIOSOCK_API void CRYPTO_free(void *ptr, const char *file, int line);
/* Token for token as <openssl/crypto.h> has them (3.0, 3.5 and 4.0 alike),
 * so that either header may come first without a redefinition. */
#define OPENSSL_malloc(num) CRYPTO_malloc(num, OPENSSL_FILE, OPENSSL_LINE)
#define OPENSSL_zalloc(num) CRYPTO_zalloc(num, OPENSSL_FILE, OPENSSL_LINE)
#define OPENSSL_realloc(addr, num)                                            \
    CRYPTO_realloc(addr, num, OPENSSL_FILE, OPENSSL_LINE)
#define OPENSSL_free(addr) CRYPTO_free(addr, OPENSSL_FILE, OPENSSL_LINE)
#define OPENSSL_strdup(str) CRYPTO_strdup(str, OPENSSL_FILE, OPENSSL_LINE)
#define OPENSSL_strndup(str, n)                                               \
    CRYPTO_strndup(str, n, OPENSSL_FILE, OPENSSL_LINE)

/** OPENSSL_die - print "<file>:<line>: OpenSSL internal error: <assertion>"
 * to stderr and abort(), as OpenSSL does. */
BIOSOCK_API void OPENSSL_die(const char *assertion, const char *file,
                             int line);
#define OPENSSL_assert(e)                                                     \
    (void)((e) ? 0                                                            \
               : (OPENSSL_die("assertion failed: " #e, OPENSSL_FILE,          \
                              OPENSSL_LINE),                                  \
                  1))

#ifndef BIOSOCK_BINDGEN /* C code's BIO objects; the Rust crate has Socket */
/* ---------------------------------------------------------------------
 * The BIO object (bio.c), as <openssl/bio.h> has it: BIO_new/BIO_free, the
 * chain, the I/O calls with the retry flags, BIO_ctrl and its macros,
 * BIO_printf, and the memory method (BIO_s_mem, BIO_new_mem_buf) that
 * error printing writes to.  Results and error entries are OpenSSL's.
 * Not here: BIO callbacks, ex_data and BIO_meth_new.
 */
#ifndef BIOSOCK_AFTER_OPENSSL_BIO /* else <openssl/bio.h>'s, the same */
#define BIO_TYPE_DESCRIPTOR 0x0100
#define BIO_TYPE_FILTER 0x0200
#define BIO_TYPE_SOURCE_SINK 0x0400
#define BIO_TYPE_NONE 0
#define BIO_TYPE_MEM (1 | BIO_TYPE_SOURCE_SINK)
#define BIO_TYPE_SOCKET (5 | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR)
#define BIO_TYPE_CONNECT (12 | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR)
#define BIO_TYPE_ACCEPT (13 | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR)

#define BIO_CTRL_RESET 1
#define BIO_CTRL_EOF 2
#define BIO_CTRL_INFO 3
#define BIO_CTRL_SET 4
#define BIO_CTRL_GET 5
#define BIO_CTRL_PUSH 6
#define BIO_CTRL_POP 7
#define BIO_CTRL_GET_CLOSE 8
#define BIO_CTRL_SET_CLOSE 9
#define BIO_CTRL_PENDING 10
#define BIO_CTRL_FLUSH 11
#define BIO_CTRL_DUP 12
#define BIO_CTRL_WPENDING 13
#define BIO_CTRL_SET_CALLBACK 14
#define BIO_CTRL_GET_CALLBACK 15
#define BIO_C_SET_CONNECT 100
#define BIO_C_DO_STATE_MACHINE 101
#define BIO_C_SET_NBIO 102
#define BIO_C_SET_FD 104
#define BIO_C_GET_FD 105
#define BIO_C_SET_ACCEPT 118
#define BIO_C_GET_CONNECT 123
#define BIO_C_GET_ACCEPT 124
#define BIO_C_SET_BUF_MEM_EOF_RETURN 130
#define BIO_C_SET_BIND_MODE 131
#define BIO_C_GET_BIND_MODE 132
#define BIO_C_SET_CONNECT_MODE 155

#define BIO_RR_SSL_X509_LOOKUP 0x01
#define BIO_RR_CONNECT 0x02
#define BIO_RR_ACCEPT 0x03

/** The info callback of the connect and accept BIOs: (bio, state, ret). */
typedef int BIO_info_cb(BIO *, int, int);
typedef BIO_info_cb bio_info_cb;

#define BIO_FLAGS_READ 0x01
#define BIO_FLAGS_WRITE 0x02
#define BIO_FLAGS_IO_SPECIAL 0x04
#define BIO_FLAGS_RWS (BIO_FLAGS_READ | BIO_FLAGS_WRITE | BIO_FLAGS_IO_SPECIAL)
#define BIO_FLAGS_SHOULD_RETRY 0x08
#define BIO_FLAGS_MEM_RDONLY 0x200
#define BIO_FLAGS_NONCLEAR_RST 0x400
#define BIO_FLAGS_IN_EOF 0x800

#define BIO_get_flags(b) BIO_test_flags(b, ~(0x0))
#define BIO_set_retry_special(b)                                              \
    BIO_set_flags(b, (BIO_FLAGS_IO_SPECIAL | BIO_FLAGS_SHOULD_RETRY))
#define BIO_set_retry_read(b)                                                 \
    BIO_set_flags(b, (BIO_FLAGS_READ | BIO_FLAGS_SHOULD_RETRY))
#define BIO_set_retry_write(b)                                                \
    BIO_set_flags(b, (BIO_FLAGS_WRITE | BIO_FLAGS_SHOULD_RETRY))
#define BIO_clear_retry_flags(b)                                              \
    BIO_clear_flags(b, (BIO_FLAGS_RWS | BIO_FLAGS_SHOULD_RETRY))
#define BIO_get_retry_flags(b)                                                \
    BIO_test_flags(b, (BIO_FLAGS_RWS | BIO_FLAGS_SHOULD_RETRY))
#define BIO_should_read(a) BIO_test_flags(a, BIO_FLAGS_READ)
#define BIO_should_write(a) BIO_test_flags(a, BIO_FLAGS_WRITE)
#define BIO_should_io_special(a) BIO_test_flags(a, BIO_FLAGS_IO_SPECIAL)
#define BIO_retry_type(a) BIO_test_flags(a, BIO_FLAGS_RWS)
#define BIO_should_retry(a) BIO_test_flags(a, BIO_FLAGS_SHOULD_RETRY)

#define BIO_get_mem_data(b, pp) BIO_ctrl(b, BIO_CTRL_INFO, 0, (char *)(pp))
#define BIO_set_mem_eof_return(b, v)                                          \
    BIO_ctrl(b, BIO_C_SET_BUF_MEM_EOF_RETURN, v, NULL)
#define BIO_reset(b) (int)BIO_ctrl(b, BIO_CTRL_RESET, 0, NULL)
#define BIO_set_close(b, c) (int)BIO_ctrl(b, BIO_CTRL_SET_CLOSE, (c), NULL)
#define BIO_get_close(b) (int)BIO_ctrl(b, BIO_CTRL_GET_CLOSE, 0, NULL)
#define BIO_pending(b) (int)BIO_ctrl(b, BIO_CTRL_PENDING, 0, NULL)
#define BIO_wpending(b) (int)BIO_ctrl(b, BIO_CTRL_WPENDING, 0, NULL)
#define BIO_flush(b) (int)BIO_ctrl(b, BIO_CTRL_FLUSH, 0, NULL)
#define BIO_set_fd(b, fd, c) BIO_int_ctrl(b, BIO_C_SET_FD, c, fd)
#define BIO_get_fd(b, c) BIO_ctrl(b, BIO_C_GET_FD, 0, (char *)(c))
#define BIO_set_nbio(b, n) BIO_ctrl(b, BIO_C_SET_NBIO, (n), NULL)
#define BIO_set_conn_hostname(b, name)                                        \
    BIO_ctrl(b, BIO_C_SET_CONNECT, 0, (char *)(name))
#define BIO_set_conn_port(b, port)                                            \
    BIO_ctrl(b, BIO_C_SET_CONNECT, 1, (char *)(port))
#define BIO_set_conn_address(b, addr)                                         \
    BIO_ctrl(b, BIO_C_SET_CONNECT, 2, (char *)(addr))
#define BIO_set_conn_ip_family(b, f) BIO_int_ctrl(b, BIO_C_SET_CONNECT, 3, f)
#define BIO_get_conn_hostname(b)                                              \
    ((const char *)BIO_ptr_ctrl(b, BIO_C_GET_CONNECT, 0))
#define BIO_get_conn_port(b)                                                  \
    ((const char *)BIO_ptr_ctrl(b, BIO_C_GET_CONNECT, 1))
#define BIO_get_conn_address(b)                                               \
    ((const BIO_ADDR *)BIO_ptr_ctrl(b, BIO_C_GET_CONNECT, 2))
#define BIO_get_conn_ip_family(b) BIO_ctrl(b, BIO_C_GET_CONNECT, 3, NULL)
#define BIO_set_conn_mode(b, n) BIO_ctrl(b, BIO_C_SET_CONNECT_MODE, (n), NULL)
#define BIO_do_connect(b) BIO_do_handshake(b)
#define BIO_do_handshake(b) BIO_ctrl(b, BIO_C_DO_STATE_MACHINE, 0, NULL)
#define BIO_get_info_callback(b, cbp)                                         \
    (int)BIO_ctrl(b, BIO_CTRL_GET_CALLBACK, 0, cbp)
#define BIO_set_info_callback(b, cb)                                          \
    (int)BIO_callback_ctrl(b, BIO_CTRL_SET_CALLBACK, cb)
#define BIO_dup_state(b, ret) BIO_ctrl(b, BIO_CTRL_DUP, 0, (char *)(ret))
#define BIO_set_accept_name(b, name)                                          \
    BIO_ctrl(b, BIO_C_SET_ACCEPT, 0, (char *)(name))
#define BIO_set_accept_port(b, port)                                          \
    BIO_ctrl(b, BIO_C_SET_ACCEPT, 1, (char *)(port))
#define BIO_get_accept_name(b)                                                \
    ((const char *)BIO_ptr_ctrl(b, BIO_C_GET_ACCEPT, 0))
#define BIO_get_accept_port(b)                                                \
    ((const char *)BIO_ptr_ctrl(b, BIO_C_GET_ACCEPT, 1))
#define BIO_get_peer_name(b)                                                  \
    ((const char *)BIO_ptr_ctrl(b, BIO_C_GET_ACCEPT, 2))
#define BIO_get_peer_port(b)                                                  \
    ((const char *)BIO_ptr_ctrl(b, BIO_C_GET_ACCEPT, 3))
#define BIO_set_nbio_accept(b, n)                                             \
    BIO_ctrl(b, BIO_C_SET_ACCEPT, 2, (n) ? (void *)"a" : NULL)
#define BIO_set_accept_bios(b, bio)                                           \
    BIO_ctrl(b, BIO_C_SET_ACCEPT, 3, (char *)(bio))
#define BIO_set_accept_ip_family(b, f) BIO_int_ctrl(b, BIO_C_SET_ACCEPT, 4, f)
#define BIO_get_accept_ip_family(b) BIO_ctrl(b, BIO_C_GET_ACCEPT, 4, NULL)
#define BIO_BIND_NORMAL 0
#define BIO_BIND_REUSEADDR BIO_SOCK_REUSEADDR
#define BIO_BIND_REUSEADDR_IF_UNUSED BIO_SOCK_REUSEADDR
#define BIO_set_bind_mode(b, mode) BIO_ctrl(b, BIO_C_SET_BIND_MODE, mode, NULL)
#define BIO_get_bind_mode(b) BIO_ctrl(b, BIO_C_GET_BIND_MODE, 0, NULL)
#define BIO_do_accept(b) BIO_do_handshake(b)

/* The datagram BIOs' controls (bio_dgram.c, bio_dgram_pair.c). */
#define BIO_TYPE_DGRAM (21 | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR)
#define BIO_CTRL_DGRAM_CONNECT 31
#define BIO_CTRL_DGRAM_SET_CONNECTED 32
#define BIO_CTRL_DGRAM_SET_RECV_TIMEOUT 33
#define BIO_CTRL_DGRAM_GET_RECV_TIMEOUT 34
#define BIO_CTRL_DGRAM_SET_SEND_TIMEOUT 35
#define BIO_CTRL_DGRAM_GET_SEND_TIMEOUT 36
#define BIO_CTRL_DGRAM_GET_RECV_TIMER_EXP 37
#define BIO_CTRL_DGRAM_GET_SEND_TIMER_EXP 38
#define BIO_CTRL_DGRAM_MTU_DISCOVER 39
#define BIO_CTRL_DGRAM_QUERY_MTU 40
#define BIO_CTRL_DGRAM_GET_MTU 41
#define BIO_CTRL_DGRAM_SET_MTU 42
#define BIO_CTRL_DGRAM_MTU_EXCEEDED 43
#define BIO_CTRL_DGRAM_SET_PEER 44
#define BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT 45
#define BIO_CTRL_DGRAM_GET_PEER 46
#define BIO_CTRL_DGRAM_GET_FALLBACK_MTU 47
#define BIO_CTRL_DGRAM_SET_DONT_FRAG 48
#define BIO_CTRL_DGRAM_GET_MTU_OVERHEAD 49
#define BIO_CTRL_DGRAM_SCTP_SET_IN_HANDSHAKE 50
#define BIO_CTRL_DGRAM_SET_PEEK_MODE 71
#define BIO_C_SET_WRITE_BUF_SIZE 136
#define BIO_C_GET_WRITE_BUF_SIZE 137
#define BIO_C_MAKE_BIO_PAIR 138
#define BIO_C_DESTROY_BIO_PAIR 139
#define BIO_C_GET_WRITE_GUARANTEE 140
#define BIO_set_write_buf_size(b, size)                                       \
    (int)BIO_ctrl(b, BIO_C_SET_WRITE_BUF_SIZE, size, NULL)
#define BIO_get_write_buf_size(b, size)                                       \
    (size_t) BIO_ctrl(b, BIO_C_GET_WRITE_BUF_SIZE, size, NULL)
#define BIO_make_bio_pair(b1, b2) (int)BIO_ctrl(b1, BIO_C_MAKE_BIO_PAIR, 0, b2)
#define BIO_destroy_bio_pair(b)                                               \
    (int)BIO_ctrl(b, BIO_C_DESTROY_BIO_PAIR, 0, NULL)
#define BIO_get_write_guarantee(b)                                            \
    (int)BIO_ctrl(b, BIO_C_GET_WRITE_GUARANTEE, 0, NULL)
#define BIO_ctrl_dgram_connect(b, peer)                                       \
    (int)BIO_ctrl(b, BIO_CTRL_DGRAM_CONNECT, 0, (char *)(peer))
#define BIO_ctrl_set_connected(b, peer)                                       \
    (int)BIO_ctrl(b, BIO_CTRL_DGRAM_SET_CONNECTED, 0, (char *)(peer))
#define BIO_dgram_recv_timedout(b)                                            \
    (int)BIO_ctrl(b, BIO_CTRL_DGRAM_GET_RECV_TIMER_EXP, 0, NULL)
#define BIO_dgram_send_timedout(b)                                            \
    (int)BIO_ctrl(b, BIO_CTRL_DGRAM_GET_SEND_TIMER_EXP, 0, NULL)
#define BIO_dgram_get_peer(b, peer)                                           \
    (int)BIO_ctrl(b, BIO_CTRL_DGRAM_GET_PEER, 0, (char *)(peer))
#define BIO_dgram_set_peer(b, peer)                                           \
    (int)BIO_ctrl(b, BIO_CTRL_DGRAM_SET_PEER, 0, (char *)(peer))
#define BIO_dgram_get_mtu_overhead(b)                                         \
    (unsigned int)BIO_ctrl((b), BIO_CTRL_DGRAM_GET_MTU_OVERHEAD, 0, NULL)
#endif                                    /* BIOSOCK_AFTER_OPENSSL_BIO */
#ifndef BIO_CTRL_DGRAM_GET_LOCAL_ADDR_CAP /* 3.2's datagram controls */
#define BIO_TYPE_DGRAM_PAIR (26 | BIO_TYPE_SOURCE_SINK)
#define BIO_TYPE_DGRAM_MEM (27 | BIO_TYPE_SOURCE_SINK)
#define BIO_CTRL_DGRAM_GET_LOCAL_ADDR_CAP 82
#define BIO_CTRL_DGRAM_GET_LOCAL_ADDR_ENABLE 83
#define BIO_CTRL_DGRAM_SET_LOCAL_ADDR_ENABLE 84
#define BIO_CTRL_DGRAM_GET_EFFECTIVE_CAPS 85
#define BIO_CTRL_DGRAM_GET_CAPS 86
#define BIO_CTRL_DGRAM_SET_CAPS 87
#define BIO_CTRL_DGRAM_GET_NO_TRUNC 88
#define BIO_CTRL_DGRAM_SET_NO_TRUNC 89
#define BIO_CTRL_DGRAM_DETECT_PEER_ADDR 93
#define BIO_CTRL_DGRAM_SET0_LOCAL_ADDR 94
#define BIO_DGRAM_CAP_NONE 0U
#define BIO_DGRAM_CAP_HANDLES_SRC_ADDR (1U << 0)
#define BIO_DGRAM_CAP_HANDLES_DST_ADDR (1U << 1)
#define BIO_DGRAM_CAP_PROVIDES_SRC_ADDR (1U << 2)
#define BIO_DGRAM_CAP_PROVIDES_DST_ADDR (1U << 3)
#define BIO_dgram_detect_peer_addr(b, peer)                                   \
    (int)BIO_ctrl(b, BIO_CTRL_DGRAM_DETECT_PEER_ADDR, 0, (char *)(peer))
#define BIO_dgram_get_local_addr_cap(b)                                       \
    (int)BIO_ctrl((b), BIO_CTRL_DGRAM_GET_LOCAL_ADDR_CAP, 0, NULL)
#define BIO_dgram_get_local_addr_enable(b, penable)                           \
    (int)BIO_ctrl((b), BIO_CTRL_DGRAM_GET_LOCAL_ADDR_ENABLE, 0,               \
                  (char *)(penable))
#define BIO_dgram_set_local_addr_enable(b, enable)                            \
    (int)BIO_ctrl((b), BIO_CTRL_DGRAM_SET_LOCAL_ADDR_ENABLE, (enable), NULL)
#define BIO_dgram_get_effective_caps(b)                                       \
    (uint32_t) BIO_ctrl((b), BIO_CTRL_DGRAM_GET_EFFECTIVE_CAPS, 0, NULL)
#define BIO_dgram_get_caps(b)                                                 \
    (uint32_t) BIO_ctrl((b), BIO_CTRL_DGRAM_GET_CAPS, 0, NULL)
#define BIO_dgram_set_caps(b, caps)                                           \
    (int)BIO_ctrl((b), BIO_CTRL_DGRAM_SET_CAPS, (long)(caps), NULL)
#define BIO_dgram_get_no_trunc(b)                                             \
    (unsigned int)BIO_ctrl((b), BIO_CTRL_DGRAM_GET_NO_TRUNC, 0, NULL)
#define BIO_dgram_set_no_trunc(b, enable)                                     \
    (int)BIO_ctrl((b), BIO_CTRL_DGRAM_SET_NO_TRUNC, (enable), NULL)
#define BIO_dgram_get_mtu(b)                                                  \
    (unsigned int)BIO_ctrl((b), BIO_CTRL_DGRAM_GET_MTU, 0, NULL)
#define BIO_dgram_set_mtu(b, mtu)                                             \
    (int)BIO_ctrl((b), BIO_CTRL_DGRAM_SET_MTU, (mtu), NULL)
#define BIO_dgram_set0_local_addr(b, addr)                                    \
    (int)BIO_ctrl((b), BIO_CTRL_DGRAM_SET0_LOCAL_ADDR, 0, (addr))
#endif
/* Newer than some <openssl/bio.h> that may have come first (3.2, 4.0). */
#ifndef BIO_CTRL_GET_RPOLL_DESCRIPTOR
#define BIO_CTRL_GET_RPOLL_DESCRIPTOR 91
#define BIO_CTRL_GET_WPOLL_DESCRIPTOR 92
#endif
#ifndef BIO_C_SET_SEND_FLAGS
#define BIO_C_SET_SEND_FLAGS 160
#endif
#ifndef BIO_C_SET_TFO /* 3.2 */
#define BIO_C_SET_TFO 156
#define BIO_set_tfo(b, n) BIO_ctrl(b, BIO_C_SET_TFO, (n), NULL)
#endif
#ifndef BIO_C_SET_SOCK_TYPE /* 3.2 */
#define BIO_C_SET_SOCK_TYPE 157
#define BIO_C_GET_SOCK_TYPE 158
#define BIO_set_sock_type(b, t) BIO_ctrl(b, BIO_C_SET_SOCK_TYPE, (t), NULL)
#define BIO_get_sock_type(b) BIO_ctrl(b, BIO_C_GET_SOCK_TYPE, 0, NULL)
#endif
#ifndef BIO_set_tfo_accept /* 3.2 */
#define BIO_set_tfo_accept(b, n)                                              \
    BIO_ctrl(b, BIO_C_SET_ACCEPT, 5, (n) ? (void *)"a" : NULL)
#endif
#ifndef BIO_C_GET_DGRAM_BIO /* 3.2 */
#define BIO_C_GET_DGRAM_BIO 159
#define BIO_get0_dgram_bio(b, p)                                              \
    BIO_ctrl(b, BIO_C_GET_DGRAM_BIO, 0, (void *)(BIO **)(p))
#endif
#ifndef BIO_get_conn_mode /* 3.2 */
#define BIO_get_conn_mode(b) BIO_ctrl(b, BIO_C_GET_CONNECT, 4, NULL)
#endif

/** BIO_new - a BIO of the method; NULL with an entry pushed on failure.
 * Better: a NULL method is ERR_R_PASSED_NULL_PARAMETER, not a crash. */
BIOSOCK_API BIO *BIO_new(const BIO_METHOD *type);
/** BIO_free - drop one reference, freeing at the last: 1, or 0 for NULL. */
BIOSOCK_API int BIO_free(BIO *a);
/** BIO_vfree - BIO_free() without a result. */
BIOSOCK_API void BIO_vfree(BIO *a);
/** BIO_up_ref - one more reference: 1. */
BIOSOCK_API int BIO_up_ref(BIO *a);
/** BIO_free_all - free the chain from a, stopping after a BIO that others
 * still hold. */
BIOSOCK_API void BIO_free_all(BIO *a);
/** BIO_push - append the chain b to a's; returns a (b when a is NULL). */
BIOSOCK_API BIO *BIO_push(BIO *b, BIO *append);
/** BIO_pop - take b out of its chain; returns the BIO after it. */
BIOSOCK_API BIO *BIO_pop(BIO *b);
/** BIO_next - the BIO after b, or NULL. */
BIOSOCK_API BIO *BIO_next(BIO *b);
/** BIO_method_type, BIO_method_name - the method's BIO_TYPE_* and name. */
BIOSOCK_API int BIO_method_type(const BIO *b);
BIOSOCK_API const char *BIO_method_name(const BIO *b);
/** BIO_set_flags, BIO_test_flags, BIO_clear_flags - the BIO_FLAGS_* bits
 * behind BIO_should_retry() and its kin. */
BIOSOCK_API void BIO_set_flags(BIO *b, int flags);
BIOSOCK_API int BIO_test_flags(const BIO *b, int flags);
BIOSOCK_API void BIO_clear_flags(BIO *b, int flags);
/** BIO_get_retry_reason, BIO_set_retry_reason - a BIO_RR_* value. */
BIOSOCK_API int BIO_get_retry_reason(BIO *bio);
BIOSOCK_API void BIO_set_retry_reason(BIO *bio, int reason);
/** BIO_number_read, BIO_number_written - bytes moved so far. */
BIOSOCK_API uint64_t BIO_number_read(BIO *bio);
BIOSOCK_API uint64_t BIO_number_written(BIO *bio);
/** BIO_read - up to dlen bytes: the count, 0 (end, or dlen < 0) or < 0
 * (see BIO_should_retry()); -2 for a method that cannot read. */
BIOSOCK_API int BIO_read(BIO *b, void *data, int dlen);
/** BIO_read_ex - as BIO_read() with the count in *readbytes: 1 or 0. */
BIOSOCK_API int BIO_read_ex(BIO *b, void *data, size_t dlen,
                            size_t *readbytes);
/** BIO_write - dlen bytes: the count written, 0 for dlen <= 0 or a NULL
 * BIO (no entry), < 0 on failure. */
BIOSOCK_API int BIO_write(BIO *b, const void *data, int dlen);
/** BIO_write_ex - as BIO_write(), count in *written: 1 (also for 0 bytes)
 * or 0. */
BIOSOCK_API int BIO_write_ex(BIO *b, const void *data, size_t dlen,
                             size_t *written);
/** BIO_puts - the string without its NUL: the count, or < 0. */
BIOSOCK_API int BIO_puts(BIO *bp, const char *buf);
/** BIO_gets - one line, with its newline, at most size - 1 bytes, NUL
 * terminated: the count, 0 at the end, < 0 on failure. */
BIOSOCK_API int BIO_gets(BIO *bp, char *buf, int size);
/** BIO_eof - whether b is at its end: 1 after a read that returned 0,
 * else the method's BIO_CTRL_EOF (a function, as in 4.0; a macro over
 * BIO_ctrl() in 3.x). */
BIOSOCK_API int BIO_eof(BIO *b);
/** BIO_ctrl - the method's control call (BIO_CTRL_*, and the macros
 * above); -1 for a NULL BIO, 0 for what the method does not know. */
BIOSOCK_API long BIO_ctrl(BIO *bp, int cmd, long larg, void *parg);
BIOSOCK_API long BIO_int_ctrl(BIO *bp, int cmd, long larg, int iarg);
BIOSOCK_API void *BIO_ptr_ctrl(BIO *bp, int cmd, long larg);
/** BIO_callback_ctrl - a method's callback control: only
 * BIO_CTRL_SET_CALLBACK (BIO_set_info_callback()), on the connect BIO;
 * -2 with BIO_R_UNSUPPORTED_METHOD elsewhere, -2 for a NULL BIO. */
BIOSOCK_API long BIO_callback_ctrl(BIO *b, int cmd, BIO_info_cb *fp);
/** BIO_dup_chain - a copy of the chain from in: each BIO a new one of its
 * method, with its flags, fd number and close flag and what its
 * BIO_CTRL_DUP copies (a memory BIO's contents are not); NULL on failure. */
BIOSOCK_API BIO *BIO_dup_chain(BIO *in);
/** BIO_copy_next_retry - take the retry flags and reason of the BIO after
 * b (for a BIO that passes its I/O on). */
BIOSOCK_API void BIO_copy_next_retry(BIO *b);
/** BIO_ctrl_pending, BIO_ctrl_wpending - BIO_pending() and BIO_wpending()
 * as a size_t. */
BIOSOCK_API size_t BIO_ctrl_pending(BIO *b);
BIOSOCK_API size_t BIO_ctrl_wpending(BIO *b);
/** BIO_printf, BIO_vprintf - format (the C library's printf) and write:
 * the count written, or -1. */
BIOSOCK_API int BIO_printf(BIO *bio, const char *format, ...)
    BIOSOCK_PRINTF(2, 3);
BIOSOCK_API int BIO_vprintf(BIO *bio, const char *format, va_list args)
    BIOSOCK_PRINTF(2, 0);
/** BIO_snprintf, BIO_vsnprintf - format into buf: the length, or -1 when
 * it did not fit in n bytes (as OpenSSL's). */
BIOSOCK_API int BIO_snprintf(char *buf, size_t n, const char *format, ...)
    BIOSOCK_PRINTF(3, 4);
BIOSOCK_API int BIO_vsnprintf(char *buf, size_t n, const char *format,
                              va_list args) BIOSOCK_PRINTF(3, 0);
/** BIO_s_mem - a memory buffer: writes append, reads take from the front;
 * reading it empty returns -1 and asks for a retry (BIO_set_mem_eof_return
 * changes the -1; 0 is end of data). */
BIOSOCK_API const BIO_METHOD *BIO_s_mem(void);
/** BIO_new_mem_buf - a read-only memory BIO over len bytes of buf (len -1:
 * strlen(buf)), which stay the caller's; reading it empty is end of data,
 * a write fails with BIO_R_WRITE_TO_READ_ONLY_BIO. */
BIOSOCK_API BIO *BIO_new_mem_buf(const void *buf, int len);
/** BIO_s_socket - a BIO over a connected socket (or any fd: reads are
 * read(), writes write()): a read or write that would block sets the retry
 * flags, a read of 0 is the end (BIO_eof()).  No BIO_gets. */
BIOSOCK_API const BIO_METHOD *BIO_s_socket(void);
/** BIO_new_socket - a socket BIO over sock; close_flag BIO_CLOSE closes it
 * with the BIO. */
BIOSOCK_API BIO *BIO_new_socket(int sock, int close_flag);
/** BIO_set_send_flags - send() flags for the socket BIO's writes (4.0);
 * 1, or 0 with BIO_R_INVALID_ARGUMENT past an int. */
BIOSOCK_API long BIO_set_send_flags(BIO *b, int flags);
#if !defined(BIOSOCK_AFTER_OPENSSL_BIO)                                       \
    || defined(BIO_POLL_DESCRIPTOR_TYPE_NONE) /* 3.2's type */
/** BIO_get_rpoll_descriptor, BIO_get_wpoll_descriptor - the fd to poll
 * before reading or writing: 1, or 0 for a BIO without one. */
BIOSOCK_API int BIO_get_rpoll_descriptor(BIO *b, BIO_POLL_DESCRIPTOR *desc);
BIOSOCK_API int BIO_get_wpoll_descriptor(BIO *b, BIO_POLL_DESCRIPTOR *desc);
#endif
/** BIO_wait - wait until bio may be read or written (as BIO_should_read()
 * says), at most until max_time (time(NULL) seconds; 0: no wait): a BIO
 * with a socket waits on it (BIO_socket_wait()), another sleeps at most
 * nap_milliseconds.  1, or 0 at max_time (BIO_R_TRANSFER_TIMEOUT), or -1
 * (BIO_R_TRANSFER_ERROR). */
BIOSOCK_API int BIO_wait(BIO *bio, time_t max_time,
                         unsigned int nap_milliseconds);
/** BIO_s_datagram - a BIO over a datagram socket, as OpenSSL's: a write
 * sends one datagram to the peer (BIO_dgram_set_peer(), or the connected
 * one), a read receives one and, on an unconnected socket, makes its sender
 * the peer; a read or write that would block sets the retry flags.  The
 * BIO_CTRL_DGRAM_* controls: peer, MTU (BIO_dgram_set_mtu(), the queried
 * path MTU on Linux, the fallback, the overhead), timeouts and
 * BIO_dgram_recv_timedout(), peek mode, local addresses (IP_PKTINFO on
 * Linux and macOS) and the capabilities.
 * Not here: SCTP, and BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT (DTLS's timer: 0). */
BIOSOCK_API const BIO_METHOD *BIO_s_datagram(void);
/** BIO_new_dgram - a datagram BIO over fd; close_flag BIO_CLOSE closes it
 * with the BIO. */
BIOSOCK_API BIO *BIO_new_dgram(int fd, int close_flag);
/** BIO_dgram_non_fatal_error - 1 for an errno after which a datagram read
 * or write may be retried (EWOULDBLOCK, EAGAIN, EINTR, EPROTO, EINPROGRESS,
 * EALREADY; WSAEWOULDBLOCK on Windows), else 0. */
BIOSOCK_API int BIO_dgram_non_fatal_error(int error);
#if !defined(BIOSOCK_AFTER_OPENSSL_BIO)                                       \
    || defined(BIO_POLL_DESCRIPTOR_TYPE_NONE) /* 3.2's BIO_MSG */
/** BIO_sendmmsg, BIO_recvmmsg - send or receive up to num_msg datagrams,
 * the BIO_MSGs stride bytes apart (each: data, data_len, peer, local;
 * flags 0): 1 with *msgs_processed set to how many went (at least 1 unless
 * num_msg is 0), or 0 with it 0 and an entry pushed (SYS for a failed
 * call, BIO_R_LOCAL_ADDR_NOT_AVAILABLE for a local address that was not
 * enabled, BIO_R_UNSUPPORTED_METHOD for a BIO without them).  As many per
 * call as one sendmmsg()/recvmmsg() takes (64); call again for the rest.
 * Better: a NULL msgs_processed, or msg, is an entry, not a crash. */
BIOSOCK_API int BIO_sendmmsg(BIO *b, BIO_MSG *msg, size_t stride,
                             size_t num_msg, uint64_t flags,
                             size_t *msgs_processed);
BIOSOCK_API int BIO_recvmmsg(BIO *b, BIO_MSG *msg, size_t stride,
                             size_t num_msg, uint64_t flags,
                             size_t *msgs_processed);
/** BIO_s_dgram_pair - one end of a pair of BIOs in memory (made by
 * BIO_new_bio_dgram_pair()): datagrams written to one are read from the
 * other, whole, with their addresses where BIO_dgram_set_caps() allows;
 * a full buffer fails the write with the retry flag. */
BIOSOCK_API const BIO_METHOD *BIO_s_dgram_pair(void);
/** BIO_s_dgram_mem - one BIO that reads back the datagrams written to it;
 * its buffer grows until BIO_set_write_buf_size() fixes it. */
BIOSOCK_API const BIO_METHOD *BIO_s_dgram_mem(void);
/** BIO_new_bio_dgram_pair - a pair of datagram BIOs, each buffering
 * writebufN bytes of what it writes (0: room for 9 datagrams of the MTU):
 * 1, or 0 with both set to NULL. */
BIOSOCK_API int BIO_new_bio_dgram_pair(BIO **bio1, size_t writebuf1,
                                       BIO **bio2, size_t writebuf2);
#endif
/** BIO_s_connect - a BIO that connects on first use or BIO_do_connect():
 * BIO_set_conn_hostname() ("host" or "host:service"), _port, _address,
 * _ip_family (BIO_FAMILY_*), BIO_set_nbio(), BIO_set_tfo(); each address of
 * the lookup is tried in turn, as OpenSSL's.  Then reads and writes as
 * BIO_s_socket, plus BIO_gets.
 * Better: a non-blocking connect in progress returns 0 with
 * BIO_should_retry() (BIO_RR_CONNECT) each time, instead of spinning until
 * it ends.
 * 3.2's datagram mode: BIO_set_sock_type(b, SOCK_DGRAM) connects a UDP
 * socket and does the I/O through a datagram BIO over it
 * (BIO_get0_dgram_bio()), BIO_sendmmsg()/BIO_recvmmsg() included. */
BIOSOCK_API const BIO_METHOD *BIO_s_connect(void);
/** BIO_new_connect - a connect BIO for host_port ("host:service"). */
BIOSOCK_API BIO *BIO_new_connect(const char *host_port);
/** BIO_s_accept - a BIO that listens on BIO_set_accept_name() ("host:port",
 * "port", "*:port") or BIO_set_accept_port() at its first BIO_do_accept()
 * (BIO_set_bind_mode(): BIO_BIND_*, BIO_SOCK_* bits; BIO_set_nbio_accept(),
 * BIO_set_tfo_accept(), BIO_set_accept_ip_family()), then accepts one
 * connection per BIO_do_accept() and pushes a socket BIO for it after
 * itself (after a copy of BIO_set_accept_bios()'s chain); BIO_pop() takes
 * it.  BIO_set_nbio() makes the accepted sockets non-blocking.  Reads and
 * writes go to the connection, accepting one first. */
BIOSOCK_API const BIO_METHOD *BIO_s_accept(void);
/** BIO_new_accept - an accept BIO for host_port. */
BIOSOCK_API BIO *BIO_new_accept(const char *host_port);
/** ERR_print_errors - ERR_print_errors_cb() writing to bp. */
BIOSOCK_API void ERR_print_errors(BIO *bp);
/** ERR_add_error_mem_bio - add the text held by the memory BIO bio (made
 * NUL-terminated) to the newest entry's data, after separator, as
 * ERR_add_error_txt(). */
BIOSOCK_API void ERR_add_error_mem_bio(const char *separator, BIO *bio);
#endif /* BIOSOCK_BINDGEN */

/** BIO_err_is_non_fatal - 1 for a system error whose errno is retryable
 * (BIO_sock_non_fatal_error()) and for BIO_R_NON_FATAL; else 0. */
BIOSOCK_API int BIO_err_is_non_fatal(unsigned int errcode);

#ifdef __cplusplus
}
#endif
#endif /* BIOSOCK_H */
