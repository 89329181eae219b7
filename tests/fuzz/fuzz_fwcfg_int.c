/* Fuzz target: numbers in fw_cfg files (src/fw/fwcfg_int.c).
 *
 * Input: the file's bytes, given in an exact-size heap copy.
 *
 * Checked: no read past the bytes; a file of 1, 2, 4 or 8 bytes always
 * parses; a value read as text prints back (in decimal, or as "-1") to
 * text that parses to it again. */
#include <stdio.h>
#include "fuzz_input.h"
#include "fw/fwcfg_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    u8 *buf = fin_dup(data, size);
    u64 v = 0;
    bool ok = fwcfg_parse_int(buf, (u32)size, &v);
    if (size == 1 || size == 2 || size == 4 || size == 8)
        FUZZ_ASSERT(ok);
    if (ok) {
        char text[24];
        int n = v == ~0ull ? snprintf(text, sizeof(text), "-1")
                           : snprintf(text, sizeof(text), "%llu", (unsigned long long)v);
        u64 back = 0;
        if (n <= 19 || v == ~0ull) {
            FUZZ_ASSERT(fwcfg_parse_int((const u8 *)text, (u32)n, &back));
            FUZZ_ASSERT(back == v);
        }
    }
    free(buf);
    return 0;
}
