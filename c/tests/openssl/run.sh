#!/bin/sh
# OpenSSL's own test files, unmodified, each built twice with the stand-in
# for test/testutil (this directory): against libcrypto, and against biosock
# with <openssl/bio.h> and <openssl/err.h> swapped for biosock.h (include/;
# also libcrypto's private internal/bio_addr.h, which spells out libcrypto's
# own BIO_ADDR).  Both must print the same lines and exit alike.  Then
# apps/lib/s_socket.c (s_client's and s_server's sockets), driven over
# loopback by s_socket_driver.c, its SSL helper left out at link time.
#
#   run.sh OUT SRC VERSION OSSL_INC OSSL_LIB LIBBIOSOCK TEST...
#
# OUT: a build directory; SRC: an OpenSSL source tree (its test/, apps/ and
# include/internal/); VERSION: what to call it; OSSL_INC: -I for the
# libcrypto's public headers (empty: the system's); OSSL_LIB: how to link
# it.  The biosock build links that libcrypto too, for what the tests use
# beyond BIO and ERR (bio_dgram_test's ChaCha20 from EVP); every BIO_ and
# ERR_ symbol its objects ask for must be biosock's (checked with nm).
set -eu
out=$1 src=$2 version=$3 ossl_inc=$4 ossl_lib=$5 libbiosock=$6
shift 6
here=$(dirname "$0")
cc=${CC:-cc}
warn="-std=c11 -Wall -Wextra -Wpedantic -Werror -Wno-unused-parameter"
mkdir -p "$out"

# No call of the test's (or the stand-in's) may reach libcrypto's BIO or
# ERR: their names must all have become biosock_ ones.
only_biosock() {
    left=$(nm -u "$@" | awk '{ print $NF }' | grep -E '^(BIO|ERR)_' || true)
    if [ -n "$left" ]; then
        echo "ossl-tests: $version: libcrypto's own symbols asked for: $left" >&2
        exit 1
    fi
}

for f in "$@"; do
    t=$(basename "$f" .c)
    cp "$src/$f" "$here/testutil.h" "$out/"
    cmp -s "$src/$f" "$out/$t.c" # unmodified
    $cc $warn -O2 -g -D_GNU_SOURCE -I"$here/include" -I"$here/../../include" $ossl_inc \
        -idirafter "$src/include" -c "$out/$t.c" -o "$out/$t-biosock.o"
    $cc $warn -O2 -g -D_GNU_SOURCE -I"$here/include" -I"$here/../../include" $ossl_inc \
        -c "$here/testutil.c" -o "$out/testutil-biosock.o"
    only_biosock "$out/$t-biosock.o" "$out/testutil-biosock.o"
    $cc "$out/$t-biosock.o" "$out/testutil-biosock.o" "$libbiosock" $ossl_lib -lpthread \
        -o "$out/$t-biosock"
    $cc $warn -O2 -g -D_GNU_SOURCE $ossl_inc -idirafter "$src/include" "$out/$t.c" \
        "$here/testutil.c" $ossl_lib -lpthread -o "$out/$t-openssl"
    r1=0 r2=0
    (cd "$out" && timeout 120 "./$t-openssl" >"$t.openssl" 2>"$t.openssl.err") || r1=$?
    (cd "$out" && timeout 120 "./$t-biosock" >"$t.biosock" 2>"$t.biosock.err") || r2=$?
    diff -u "$out/$t.openssl" "$out/$t.biosock"
    [ "$r1" = "$r2" ] || { echo "ossl-tests: $f: exit $r1 with libcrypto, $r2 with biosock" >&2; exit 1; }
    echo "ossl-tests: $version $f: $(tail -n 1 "$out/$t.biosock" | sed 's/^# //') with biosock, as with libcrypto"
done

cp "$src/apps/lib/s_socket.c" "$here"/apps/*.h "$out/"
# 3.2 and later: init_client() and do_server() take TCP Fast Open.
case $version in 3.0*) ;; *) warn="$warn -DS_SOCKET_TFO" ;; esac
$cc $warn -O2 -g -D_GNU_SOURCE -ffunction-sections -I"$here/include" -I"$here/../../include" \
    $ossl_inc -I"$out" -idirafter "$src/include" -c "$out/s_socket.c" -o "$out/s_socket-biosock.o"
$cc $warn -O2 -g -D_GNU_SOURCE -ffunction-sections -I"$here/include" -I"$here/../../include" \
    $ossl_inc -I"$out" -idirafter "$src/include" -c "$here/s_socket_driver.c" \
    -o "$out/s_socket_driver-biosock.o"
$cc "$out/s_socket-biosock.o" "$out/s_socket_driver-biosock.o" "$libbiosock" -lpthread \
    -Wl,--gc-sections -o "$out/s_socket-biosock"
$cc $warn -O2 -g -D_GNU_SOURCE -ffunction-sections $ossl_inc -I"$out" -idirafter "$src/include" \
    "$out/s_socket.c" "$here/s_socket_driver.c" $ossl_lib -lpthread -Wl,--gc-sections \
    -o "$out/s_socket-openssl"
timeout 60 "$out/s_socket-openssl" >"$out/s_socket.openssl"
timeout 60 "$out/s_socket-biosock" >"$out/s_socket.biosock"
diff -u "$out/s_socket.openssl" "$out/s_socket.biosock"
echo "ossl-tests: $version apps/lib/s_socket.c: $(grep -c '^== [^e]' "$out/s_socket.biosock") scenarios, $(wc -l <"$out/s_socket.biosock") lines, identical to libcrypto's"
