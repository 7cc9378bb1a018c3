# Join the fault transcripts of OpenSSL (first file) and biosock (second)
# by case ("op site errno"): count the cases, the differences (printed), the
# sites only one of them has, and biosock's leaks. Exit 1 on a difference
# or a leak.
FNR == NR && / -> / { split($0, p, " -> "); ossl[p[1]] = p[2]; next }
/ -> / {
    split($0, p, " -> ")
    cases++
    if (p[2] !~ /fds=\+0$/) { leaks++; print "leak: " $0 }
    if (!(p[1] in ossl)) { only_biosock++; next }
    seen[p[1]] = 1
    if (ossl[p[1]] != p[2]) {
        diffs++
        print "differs: " p[1] "\n  openssl " ossl[p[1]] "\n  biosock " p[2]
    }
}
END {
    for (k in ossl) if (!(k in seen)) only_ossl++
    printf "faults: %d cases, %d differences from OpenSSL, %d leaks; sites only OpenSSL has: %d cases, only biosock: %d\n", cases, diffs, leaks, only_ossl, only_biosock
    exit (diffs > 0 || leaks > 0)
}
