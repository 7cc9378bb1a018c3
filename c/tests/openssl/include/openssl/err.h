/* The include swap: <openssl/err.h> is biosock.h (c/tests/openssl/). */
#include "biosock.h"
