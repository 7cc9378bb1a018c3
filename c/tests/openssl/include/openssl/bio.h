/* The include swap: <openssl/bio.h> is biosock.h (c/tests/openssl/). */
#include "biosock.h"
