#include "fw/bootorder.h"
#include "lib/string.h"

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool bootorder_line_names_pci(const char *line, const u8 *devfns, int depth)
{
    if (depth <= 0 || strncmp(line, "/pci@i0cf8", 10))
        return false;
    const char *c = line + 10;
    for (int i = 0; i < depth; i++) {
        if (*c++ != '/')
            return false;
        while (*c && *c != '@' && *c != '/' && *c != '\n')
            c++;
        if (*c != '@')
            return false;
        c++;
        u32 slot = 0, fn = 0;
        int h, digits = 0;
        while ((h = hexval(*c)) >= 0 && digits < 8) {
            slot = slot * 16 + h;
            c++;
            digits++;
        }
        if (!digits)
            return false;
        if (*c == ',') {
            c++;
            digits = 0;
            while ((h = hexval(*c)) >= 0 && digits < 8) {
                fn = fn * 16 + h;
                c++;
                digits++;
            }
        }
        if (slot > 31 || fn > 7 || ((slot << 3) | fn) != devfns[i])
            return false;
    }
    return *c == '/' || *c == '\n' || *c == 0;
}

bool bootorder_has_pci(const char *text, const u8 *devfns, int depth)
{
    for (const char *l = text; *l; ) {
        if (bootorder_line_names_pci(l, devfns, depth))
            return true;
        while (*l && *l != '\n')
            l++;
        if (*l)
            l++;
    }
    return false;
}
