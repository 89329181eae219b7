#include "fw/bootorder.h"
#include "lib/string.h"

#define PCI_ROOT "/pci@i0cf8"
#define ROM_ROOT "/rom@"

static bool line_end(char c)
{
    return c == 0 || c == '\n';
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A unit address "a[,b]" at *p (hex, at most 8 digits each): its numbers,
 * b = 0 when absent, and *p moved past it. */
static bool parse_unit(const char **p, u32 *a, u32 *b)
{
    const char *c = *p;
    u32 v[2] = { 0, 0 };
    for (int i = 0; i < 2; i++) {
        int h, digits = 0;
        while ((h = hexval(*c)) >= 0) {
            if (++digits > 8)
                return false;
            v[i] = v[i] * 16 + h;
            c++;
        }
        if (!digits)
            return false;
        if (i == 1 || *c != ',')
            break;
        c++;
    }
    *a = v[0];
    *b = v[1];
    *p = c;
    return true;
}

/* One "/name@unit" component of the line against one of the path: the
 * names may differ, the unit addresses may not. Both move past it. */
static bool same_component(const char **line, const char **path)
{
    const char *l = *line, *p = *path;
    if (*l++ != '/' || *p++ != '/')
        return false;
    while (!line_end(*l) && *l != '@' && *l != '/')
        l++;
    while (*p && *p != '@' && *p != '/')
        p++;
    if (*l++ != '@' || *p++ != '@')
        return false;
    u32 la, lb, pa, pb;
    if (!parse_unit(&l, &la, &lb) || !parse_unit(&p, &pa, &pb) || la != pa || lb != pb)
        return false;
    *line = l;
    *path = p;
    return true;
}

bool bootorder_line_names(const char *line, const char *path)
{
    if (!strncmp(path, ROM_ROOT, sizeof(ROM_ROOT) - 1)) {
        size_t n = strlen(path);
        return !strncmp(line, path, n) && line_end(line[n]);
    }
    size_t root = sizeof(PCI_ROOT) - 1;
    if (strncmp(path, PCI_ROOT, root) || strncmp(line, PCI_ROOT, root) || !path[root])
        return false;
    const char *l = line + root, *p = path + root;
    while (*p)
        if (!same_component(&l, &p))
            return false;
    return line_end(*l) || *l == '/';
}

static const char *next_line(const char *l)
{
    while (*l && *l != '\n')
        l++;
    return *l ? l + 1 : l;
}

int bootorder_find(const char *text, const char *path)
{
    int n = 0;
    for (const char *l = text; *l; l = next_line(l), n++)
        if (bootorder_line_names(l, path))
            return n;
    return -1;
}

bool bootorder_halt(const char *text)
{
    for (const char *l = text; *l; l = next_line(l))
        if (!strncmp(l, "HALT", 4) && (line_end(l[4]) || l[4] == '\r'))
            return true;
    return false;
}

static int put(char *buf, int at, int size, const char *s)
{
    while (*s && at < size)
        buf[at++] = *s++;
    return *s ? size : at;
}

static int put_hex(char *buf, int at, int size, u32 v)
{
    char d[9];
    int n = 0;
    do {
        d[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    while (n && at < size)
        buf[at++] = d[--n];
    return n ? size : at;
}

int bootorder_pci_path(char *buf, int size, const u8 *devfns, int depth)
{
    int at = put(buf, 0, size, PCI_ROOT);
    for (int i = 0; i < depth; i++) {
        at = put(buf, at, size, "/dev@");
        at = put_hex(buf, at, size, devfns[i] >> 3);
        if (devfns[i] & 7) {
            at = put(buf, at, size, ",");
            at = put_hex(buf, at, size, devfns[i] & 7);
        }
    }
    if (at >= size)
        return -1;
    buf[at] = 0;
    return at;
}

bool bootorder_line_names_pci(const char *line, const u8 *devfns, int depth)
{
    char path[128];
    return depth > 0 && bootorder_pci_path(path, sizeof(path), devfns, depth) > 0
           && bootorder_line_names(line, path);
}

bool bootorder_has_pci(const char *text, const u8 *devfns, int depth)
{
    char path[128];
    return depth > 0 && bootorder_pci_path(path, sizeof(path), devfns, depth) > 0
           && bootorder_find(text, path) >= 0;
}
