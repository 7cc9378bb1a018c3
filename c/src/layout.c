/*
 * layout.c - the layout of the types the Rust bindings share with C, as
 * this compiler lays them out for this target: the bindings' layout test
 * (src/ffi/mod.rs, module layout) compares each item with Rust's view.
 */
#include <stddef.h>

#include "internal.h"

size_t biosock_layout(enum biosock_layout_item item)
{
    switch (item) {
    case BIOSOCK_LAYOUT_BIO_ADDR_SIZE:
        return sizeof(BIO_ADDR);
    case BIOSOCK_LAYOUT_BIO_ADDR_ALIGN:
        return _Alignof(BIO_ADDR);
    case BIOSOCK_LAYOUT_UNIX_LEN_OFFSET:
        return offsetof(BIO_ADDR, biosock_.unix_len);
    case BIOSOCK_LAYOUT_SOCKADDR_UN_SIZE:
        return sizeof(struct sockaddr_un);
    case BIOSOCK_LAYOUT_SOCKADDR_IN6_SIZE:
        return sizeof(struct sockaddr_in6);
    case BIOSOCK_LAYOUT_SOCK_INFO_SIZE:
        return sizeof(union BIO_sock_info_u);
    case BIOSOCK_LAYOUT_ERR_ENTRY_SIZE:
        return sizeof(BIOSOCK_ERR_ENTRY);
    case BIOSOCK_LAYOUT_SOCKLEN_SIZE:
        return sizeof(socklen_t);
    case BIOSOCK_LAYOUT_ERR_ENTRY_CODE_OFFSET:
        return offsetof(BIOSOCK_ERR_ENTRY, code);
    case BIOSOCK_LAYOUT_ERR_ENTRY_DATA_OFFSET:
        return offsetof(BIOSOCK_ERR_ENTRY, data);
    case BIOSOCK_LAYOUT_ERR_ENTRY_DATA_IS_STATIC_OFFSET:
        return offsetof(BIOSOCK_ERR_ENTRY, data_is_static);
    case BIOSOCK_LAYOUT_ERR_ENTRY_ALIGN:
        return _Alignof(BIOSOCK_ERR_ENTRY);
    case BIOSOCK_LAYOUT_SOCK_INFO_ADDR_OFFSET:
        return offsetof(union BIO_sock_info_u, addr);
    case BIOSOCK_LAYOUT_SOCKADDR_IN_SIZE:
        return sizeof(struct sockaddr_in);
    case BIOSOCK_LAYOUT_RS_FAIL_SIZE:
        return sizeof(struct biosock_rs_fail);
    case BIOSOCK_LAYOUT_RS_FAIL_CALL_OFFSET:
        return offsetof(struct biosock_rs_fail, call);
    case BIOSOCK_LAYOUT_RS_FAIL_FUNC_OFFSET:
        return offsetof(struct biosock_rs_fail, func);
    case BIOSOCK_LAYOUT_RS_FAIL_CODE_OFFSET:
        return offsetof(struct biosock_rs_fail, code);
    }
    return 0;
}
