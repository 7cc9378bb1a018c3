/*
 * bcryptprimitives.dll for wine 8 (Debian 12's), which lacks it: Rust's std
 * on Windows takes its random seed from ProcessPrng() there (Windows 10 and
 * later have the DLL).  Built and put in the test prefix by .ci/platforms;
 * not part of biosock.  RtlGenRandom (advapi32's SystemFunction036) fills
 * the buffer.
 */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;

        if (!RtlGenRandom(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
