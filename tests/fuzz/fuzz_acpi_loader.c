/* Fuzz target: QEMU's "etc/table-loader" script runner (src/fw/acpi.c).
 *
 * Input: a small fw_cfg directory, then the script.
 *   u8  number of files (taken modulo 7)
 *   u32 base address of the high allocation zone
 *   per file: u16 size (modulo 1024), u8 flags (bit 0: writable), and
 *             that many content bytes (zeros when the input runs out)
 *   the rest: the script (128-byte commands)
 * The files have fixed names, those QEMU uses ("etc/acpi/rsdp",
 * "etc/acpi/tables", ...) plus short ones; tests/fuzz/dict/acpi_loader.dict
 * gives the fuzzer the names and command numbers.
 *
 * Checked: every loaded file is an exact-size heap block, so a pointer or
 * checksum written outside it is caught by AddressSanitizer; reads and
 * writes through the fw_cfg interface stay inside the files; the runner
 * counts every non-padding command once, loads at most LOADER_MAX_FILES
 * files, each once, with the size fw_cfg gave (high-zone files may give
 * back an unused tail through the shrink callback, which checks it is
 * asked only for the last block and a smaller size), into memory the
 * allocator handed out (asked for with a power-of-two alignment); every address
 * QEMU is told fits the field and points into a loaded file. */
#include "fuzz_input.h"
#include "fw/acpi.h"

static const char *const names[] = {
    "etc/acpi/rsdp", "etc/acpi/tables", "etc/tpm/log", "etc/vmgenid_guid",
    "etc/vmgenid_addr", "a", "b",
};
#define NNAMES 7

struct file {
    u8 *data;
    u32 size;
    bool writable;
};

struct fake {
    struct file files[NNAMES];
    int nfiles;
    u64 high_next, fseg_next;
    u8 *blocks[64];
    u32 block_size[64];
    u64 block_addr[64];
    int nblocks;
};

static u32 fake_find(void *ctx, const char *name, u32 *size)
{
    struct fake *fk = ctx;
    size_t len = strnlen(name, LOADER_NAME_SIZE);
    FUZZ_ASSERT(len < LOADER_NAME_SIZE);        /* the runner passes only terminated names */
    for (int i = 0; i < fk->nfiles; i++)
        if (!strcmp(names[i], name)) {
            *size = fk->files[i].size;
            return i + 1;
        }
    return 0;
}

static bool fake_read(void *ctx, u32 h, void *buf, u32 len)
{
    struct fake *fk = ctx;
    FUZZ_ASSERT(h >= 1 && h <= (u32)fk->nfiles);
    FUZZ_ASSERT(len <= fk->files[h - 1].size);
    memcpy(buf, fk->files[h - 1].data, len);
    return true;
}

static bool fake_write(void *ctx, u32 h, u32 offset, const void *buf, u32 len)
{
    struct fake *fk = ctx;
    FUZZ_ASSERT(h >= 1 && h <= (u32)fk->nfiles);
    struct file *f = &fk->files[h - 1];
    /* The runner checks the range before asking. */
    FUZZ_ASSERT(offset <= f->size && len <= f->size - offset);
    FUZZ_ASSERT(len == 1 || len == 2 || len == 4 || len == 8);
    if (!f->writable)
        return false;
    /* The value must be an address inside a loaded file. */
    u64 v = 0;
    for (u32 i = len; i-- > 0; )
        v = (v << 8) | ((const u8 *)buf)[i];
    bool inside = false;
    for (int i = 0; i < fk->nblocks; i++)
        inside |= v >= fk->block_addr[i] && v < fk->block_addr[i] + fk->block_size[i];
    FUZZ_ASSERT(inside);
    memcpy(f->data + offset, buf, len);
    return true;
}

static void *fake_alloc(void *ctx, u8 zone, u32 size, u32 align, u64 *addr)
{
    struct fake *fk = ctx;
    FUZZ_ASSERT(align && !(align & (align - 1)) && align <= 0x10000);
    FUZZ_ASSERT(zone == LOADER_ZONE_HIGH || zone == LOADER_ZONE_FSEG);
    FUZZ_ASSERT(size > 0);
    if (fk->nblocks == 64)
        return NULL;
    u64 a;
    if (zone == LOADER_ZONE_FSEG) {
        a = (fk->fseg_next + align - 1) & ~(u64)(align - 1);
        if (a + size > 0xFE000)
            return NULL;
        fk->fseg_next = a + size;
    } else {
        if (fk->high_next < size + align)
            return NULL;
        a = (fk->high_next - size) & ~(u64)(align - 1);
        fk->high_next = a;
    }
    u8 *p = malloc(size);
    if (!p)
        abort();
    memset(p, 0xDB, size);
    fk->blocks[fk->nblocks] = p;
    fk->block_size[fk->nblocks] = size;
    fk->block_addr[fk->nblocks] = a;
    fk->nblocks++;
    *addr = a;
    return p;
}

/* The block fake_alloc made last gives back its start: a new, smaller
 * block whose address moves up by the difference. */
static void *fake_shrink(void *ctx, u8 zone, void *block, u32 size, u32 new_size, u32 align,
                         u64 *addr)
{
    struct fake *fk = ctx;
    int last = fk->nblocks - 1;
    FUZZ_ASSERT(zone == LOADER_ZONE_HIGH);
    FUZZ_ASSERT(last >= 0 && fk->blocks[last] == block && fk->block_size[last] == size);
    FUZZ_ASSERT(new_size < size);
    u8 *p = malloc(new_size ? new_size : 1);
    if (!p)
        abort();
    memcpy(p, block, new_size);
    free(block);
    u64 a = (fk->block_addr[last] + size - new_size) & ~(u64)(align - 1);
    FUZZ_ASSERT(a >= fk->block_addr[last]);
    fk->blocks[last] = p;
    fk->block_size[last] = new_size;
    fk->block_addr[last] = a;
    fk->high_next = a;
    *addr = a;
    return p;
}

static struct loader_state st;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fake fk;
    memset(&fk, 0, sizeof(fk));
    struct fin f = { data, size };
    fk.nfiles = fin_u8(&f) % (NNAMES + 1);
    fk.high_next = fin_u32(&f);
    fk.fseg_next = 0xF5000;
    for (int i = 0; i < fk.nfiles; i++) {
        struct file *fl = &fk.files[i];
        fl->size = fin_u16(&f) % 1024;
        fl->writable = fin_u8(&f) & 1;
        fl->data = calloc(1, fl->size ? fl->size : 1);
        size_t got;
        const u8 *p = fin_bytes(&f, fl->size, &got);
        memcpy(fl->data, p, got);
    }
    u32 len = (u32)f.n;
    u8 *script = fin_dup(f.p, len);
    const struct loader_io io = { &fk, fake_find, fake_read, fake_write, fake_alloc,
                                  fake_shrink };

    acpi_loader_run(script, len, &io, &st);

    int commands = 0;
    for (u32 off = 0; off + LOADER_CMD_SIZE <= len; off += LOADER_CMD_SIZE)
        commands += script[off] || script[off + 1] || script[off + 2] || script[off + 3];
    FUZZ_ASSERT(st.done + st.skipped == commands);
    FUZZ_ASSERT(st.nfiles >= 0 && st.nfiles <= LOADER_MAX_FILES && st.nfiles <= fk.nblocks);
    for (int i = 0; i < st.nfiles; i++) {
        const struct loader_file *lf = &st.files[i];
        FUZZ_ASSERT(strnlen(lf->name, LOADER_NAME_SIZE) < LOADER_NAME_SIZE);
        FUZZ_ASSERT(acpi_loader_file(&st, lf->name) == &st.files[i]);
        int which = -1;
        for (int k = 0; k < fk.nfiles; k++)
            if (!strcmp(names[k], lf->name))
                which = k;
        FUZZ_ASSERT(lf->zone == LOADER_ZONE_HIGH || lf->zone == LOADER_ZONE_FSEG);
        /* Only high-zone files give back their unused tail. */
        FUZZ_ASSERT(which >= 0 && lf->size <= fk.files[which].size);
        FUZZ_ASSERT(lf->size == fk.files[which].size || lf->zone == LOADER_ZONE_HIGH);
        bool found = false;
        for (int b = 0; b < fk.nblocks; b++)
            found |= fk.blocks[b] == lf->data && fk.block_addr[b] == lf->addr
                     && fk.block_size[b] == lf->size;
        FUZZ_ASSERT(found);
    }
    /* Without commands, nothing at all. */
    if (!commands)
        FUZZ_ASSERT(st.nfiles == 0 && fk.nblocks == 0);

    for (int b = 0; b < fk.nblocks; b++)
        free(fk.blocks[b]);
    for (int i = 0; i < fk.nfiles; i++)
        free(fk.files[i].data);
    free(script);
    return 0;
}
