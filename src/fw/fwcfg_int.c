/* Numbers in fw_cfg files (see fw/fwcfg_int.h). No library calls: the
 * module links alone in every build. */
#include "fwcfg_int.h"

static int digit(u8 c, unsigned base)
{
    int v = c >= '0' && c <= '9' ? c - '0'
          : c >= 'a' && c <= 'f' ? c - 'a' + 10
          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
    return v < (int)base ? v : -1;
}

static bool parse_text(const u8 *s, u32 len, u64 *value)
{
    while (len && (s[len - 1] == '\n' || s[len - 1] == 0 || s[len - 1] == '\r'))
        len--;
    bool neg = len && s[0] == '-';
    if (neg) {
        s++;
        len--;
    }
    unsigned base = 10;
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        len -= 2;
    }
    /* 19 decimal or 16 hex digits cannot overflow 64 bits. */
    if (!len || len > (base == 16 ? 16u : 19u))
        return false;
    u64 v = 0;
    for (u32 i = 0; i < len; i++) {
        int d = digit(s[i], base);
        if (d < 0)
            return false;
        v = v * base + d;
    }
    *value = neg ? -v : v;
    return true;
}

bool fwcfg_parse_int(const u8 *buf, u32 len, u64 *value)
{
    if (parse_text(buf, len, value))
        return true;
    if (len != 1 && len != 2 && len != 4 && len != 8)
        return false;
    u64 v = 0;
    for (u32 i = len; i--; )
        v = (v << 8) | buf[i];
    *value = v;
    return true;
}
