/* Fuzz target: QEMU's "bootorder" text (src/fw/bootorder.c).
 *
 * Input: depth (u8, taken modulo 10, so 0-9 including the "nothing to
 * match" cases), flags (u8), depth devfn bytes, then the text. The text
 * is given NUL-terminated in an exact-size heap copy, as the firmware
 * reads it into a zeroed buffer.
 *
 * Checked: no read past the terminating NUL; the answer for the whole
 * text is the OR of the answers for its lines; a match at depth n is a
 * match for every shorter chain; with flag bit 0 a line that names the
 * device (built here from the devfns, in QEMU's own spelling) is inserted
 * among the fuzzed lines and must be found; any line of the text used as
 * a device path (fuzzed paths) is found at a line no later than its own,
 * and HALT detection reads nothing past the text. */
#include <stdio.h>
#include "fuzz_input.h"
#include "fw/bootorder.h"

static bool lines_or(const char *text, const u8 *devfns, int depth)
{
    bool any = false;
    for (const char *l = text; *l; ) {
        any |= bootorder_line_names_pci(l, devfns, depth);
        const char *nl = strchr(l, '\n');
        if (!nl)
            break;
        l = nl + 1;
    }
    return any;
}

/* "/pci@i0cf8/x@S[,F]/..." for the chain; the style of each unit address
 * (function shown or not, padding) comes from the flags. */
static size_t make_path(char *out, size_t cap, const u8 *devfns, int depth, u8 style)
{
    static const char *const names[] = { "pci-bridge", "ethernet", "scsi", "ide", "x" };
    size_t at = (size_t)snprintf(out, cap, "/pci@i0cf8");
    for (int i = 0; i < depth && at < cap; i++) {
        u8 slot = devfns[i] >> 3, fn = devfns[i] & 7;
        const char *name = names[(style + i) % 5];
        if (fn || (style & 0x10))
            at += (size_t)snprintf(out + at, cap - at, "/%s@%x,%x", name, slot, fn);
        else
            at += (size_t)snprintf(out + at, cap - at, (style & 0x20) ? "/%s@%02x" : "/%s@%x",
                                   name, slot);
    }
    if ((style & 0x40) && at < cap)
        at += (size_t)snprintf(out + at, cap - at, "/disk@0,0");
    return at < cap ? at : cap - 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    int depth = fin_u8(&f) % 10;
    u8 style = fin_u8(&f);
    u8 chain[9] = { 0 };
    for (int i = 0; i < depth; i++)
        chain[i] = fin_u8(&f);
    size_t tlen = f.n;

    /* Exact-size copies: the chain (so a read of devfns[depth] is caught)
     * and the text with its NUL. */
    u8 *devfns = fin_dup(chain, (size_t)depth);
    char *text = malloc(tlen + 1);
    if (!text)
        abort();
    memcpy(text, f.p, tlen);
    text[tlen] = 0;

    bool whole = bootorder_has_pci(text, devfns, depth);
    FUZZ_ASSERT(whole == lines_or(text, devfns, depth));
    if (depth <= 0)
        FUZZ_ASSERT(!whole);
    for (int d = 1; whole && d < depth; d++)
        FUZZ_ASSERT(bootorder_has_pci(text, devfns, d));
    bootorder_halt(text);

    /* Each line as a path: it names itself unless it is not a path Kelp
     * would write; wherever it is found, it is not after its own line. */
    int line = 0;
    for (const char *l = text; *l && line < 64; line++) {
        const char *nl = strchr(l, '\n');
        size_t n = nl ? (size_t)(nl - l) : strlen(l);
        char *path = malloc(n + 1);
        if (!path)
            abort();
        memcpy(path, l, n);
        path[n] = 0;
        int found = bootorder_find(text, path);
        FUZZ_ASSERT(found <= line);
        if (found >= 0)
            FUZZ_ASSERT(bootorder_line_names(path, path));
        free(path);
        if (!nl)
            break;
        l = nl + 1;
    }

    if ((style & 1) && depth > 0) {
        /* The fuzzed text up to its first NUL, then our line, then the
         * fuzzed text again. */
        size_t plen = strlen(text);
        char path[160];
        size_t n = make_path(path, sizeof(path), devfns, depth, style);
        char *both = malloc(2 * plen + n + 3);
        if (!both)
            abort();
        memcpy(both, text, plen);
        size_t at = plen;
        if (style & 2)
            both[at++] = '\n';
        memcpy(both + at, path, n);
        at += n;
        both[at++] = '\n';
        memcpy(both + at, text, plen);
        at += plen;
        both[at] = 0;
        /* With bit 1 clear the line is glued to the fuzzed text's last
         * line: found only when that text was empty or ended its line. */
        bool own_line = (style & 2) || plen == 0 || text[plen - 1] == '\n';
        if (own_line)
            FUZZ_ASSERT(bootorder_has_pci(both, devfns, depth));
        free(both);
    }
    free(text);
    free(devfns);
    return 0;
}
