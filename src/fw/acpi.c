/* ACPI tables on QEMU: the fw_cfg table-loader script.
 *
 * QEMU builds the tables itself and describes, in "etc/table-loader", how
 * the firmware must place them: ALLOCATE loads a fw_cfg file into memory,
 * ADD_POINTER adds the address where one file landed to a field of
 * another, ADD_CHECKSUM fixes a table's checksum once its pointers are
 * final, and WRITE_POINTER sends an address back to QEMU through a
 * writable fw_cfg file (used by devices such as vmgenid that share memory
 * with the guest). Everything in the script is checked before it is used:
 * names must be terminated, offsets and sizes must stay inside the file
 * they refer to, and a bad command is logged and skipped. */
#include "fw/acpi.h"
#include "lib/string.h"
#include "lib/output.h"

/* A name field is usable when it is non-empty and ends inside its field. */
static bool name_ok(const char *name)
{
    if (!name[0])
        return false;
    for (int i = 0; i < LOADER_NAME_SIZE; i++)
        if (!name[i])
            return true;
    return false;
}

static bool same_name(const char *a, const char *b)
{
    for (int i = 0; i < LOADER_NAME_SIZE; i++) {
        if (a[i] != b[i])
            return false;
        if (!a[i])
            return true;
    }
    return true;
}

struct loader_file *acpi_loader_file(struct loader_state *st, const char *name)
{
    for (int i = 0; i < st->nfiles; i++)
        if (same_name(st->files[i].name, name))
            return &st->files[i];
    return NULL;
}

/* [offset, offset + size) lies inside a file of file_size bytes. */
static bool range_ok(u32 offset, u32 size, u32 file_size)
{
    return offset <= file_size && size <= file_size - offset;
}

static bool pointer_size_ok(u8 size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

static u64 get_le(const u8 *p, u8 size)
{
    u64 v = 0;
    for (int i = size - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static void put_le(u8 *p, u8 size, u64 v)
{
    for (int i = 0; i < size; i++, v >>= 8)
        p[i] = (u8)v;
}

/* ACPI table headers hold their length at offset 4; the FACS too. */
#define TABLE_LENGTH_OFF 4

u32 acpi_loader_extent(const u8 *script, u32 len, const struct loader_state *st,
                       const char *name, const u8 *data, u32 size)
{
    /* Only what commands touch and pointers reach counts: nothing else in
     * the file can be found by the OS. */
    u32 need = 0;
    for (u32 off = 0; script && off + LOADER_CMD_SIZE <= len; off += LOADER_CMD_SIZE) {
        union {
            u8 raw[LOADER_CMD_SIZE];
            u32 command;
            struct loader_add_pointer pointer;
            struct loader_add_checksum checksum;
            struct loader_write_pointer write;
        } c;
        memcpy(c.raw, script + off, LOADER_CMD_SIZE);
        u64 end = 0;
        if (c.command == LOADER_ADD_POINTER) {
            if (same_name(c.pointer.dest_file, name))
                end = (u64)c.pointer.offset + c.pointer.size;
            if (same_name(c.pointer.src_file, name)) {
                /* The field's value is an offset into this file, where a
                 * table starts: keep the whole table. */
                const struct loader_file *d = acpi_loader_file((struct loader_state *)st,
                                                               c.pointer.dest_file);
                const u8 *dd = same_name(c.pointer.dest_file, name) ? data : d ? d->data : NULL;
                u32 dsize = same_name(c.pointer.dest_file, name) ? size : d ? d->size : 0;
                if (!dd || !pointer_size_ok(c.pointer.size) ||
                    !range_ok(c.pointer.offset, c.pointer.size, dsize))
                    return size;
                u64 at = get_le(dd + c.pointer.offset, c.pointer.size);
                if (!range_ok(at, TABLE_LENGTH_OFF + 4, size))
                    return size;
                u64 t = at + get_le(data + at + TABLE_LENGTH_OFF, 4);
                end = MAX(end, t);
            }
        } else if (c.command == LOADER_ADD_CHECKSUM && same_name(c.checksum.file, name)) {
            end = MAX((u64)c.checksum.start + c.checksum.length, (u64)c.checksum.offset + 1);
        } else if (c.command == LOADER_WRITE_POINTER && same_name(c.write.src_file, name)) {
            return size;        /* QEMU will use this memory: keep all of it */
        }
        if (end > size)
            return size;
        need = MAX(need, (u32)end);
    }
    return ALIGN_UP(need, 16) < size ? ALIGN_UP(need, 16) : size;
}

static bool cmd_allocate(const struct loader_allocate *c, const struct loader_io *io,
                         struct loader_state *st, const u8 *script, u32 len)
{
    if (!name_ok(c->file)) {
        dprintf(LOG_WARN, "ACPI loader: ALLOCATE with a bad file name\n");
        return false;
    }
    u32 align = c->align ? c->align : 1;
    if ((align & (align - 1)) || align > 0x10000) {
        dprintf(LOG_WARN, "ACPI loader: %s: bad alignment %u\n", c->file, c->align);
        return false;
    }
    if (c->zone != LOADER_ZONE_HIGH && c->zone != LOADER_ZONE_FSEG) {
        dprintf(LOG_WARN, "ACPI loader: %s: unknown zone %u\n", c->file, c->zone);
        return false;
    }
    if (acpi_loader_file(st, c->file)) {
        dprintf(LOG_WARN, "ACPI loader: %s allocated twice\n", c->file);
        return false;
    }
    if (st->nfiles >= LOADER_MAX_FILES) {
        dprintf(LOG_WARN, "ACPI loader: more than %d files, %s left out\n",
                LOADER_MAX_FILES, c->file);
        return false;
    }
    u32 size = 0;
    u32 handle = io->find(io->ctx, c->file, &size);
    if (!handle || !size) {
        dprintf(LOG_WARN, "ACPI loader: fw_cfg file %s missing or empty\n", c->file);
        return false;
    }
    u64 addr = 0;
    u8 *data = io->alloc(io->ctx, c->zone, size, align, &addr);
    if (!data) {
        dprintf(LOG_WARN, "ACPI loader: no memory for %s (%u bytes)\n", c->file, size);
        return false;
    }
    if (!io->read(io->ctx, handle, data, size)) {
        dprintf(LOG_WARN, "ACPI loader: cannot read %s\n", c->file);
        return false;
    }
    if (c->zone == LOADER_ZONE_HIGH && io->shrink) {
        u32 need = acpi_loader_extent(script, len, st, c->file, data, size);
        u64 naddr;
        u8 *moved = need < size ? io->shrink(io->ctx, c->zone, data, size, need, align, &naddr)
                                : NULL;
        if (moved) {
            dprintf(LOG_DEBUG, "ACPI loader: %s needs %u of its %u bytes\n", c->file, need, size);
            data = moved;
            addr = naddr;
            size = need;
        }
    }
    struct loader_file *f = &st->files[st->nfiles++];
    memcpy(f->name, c->file, LOADER_NAME_SIZE);
    f->data = data;
    f->addr = addr;
    f->size = size;
    f->zone = c->zone;
    dprintf(LOG_DEBUG, "ACPI loader: %s at %llx, %u bytes\n", f->name, addr, size);
    return true;
}

/* The loaded file a command names, or NULL (logged). */
static struct loader_file *loaded(struct loader_state *st, const char *name, const char *what)
{
    if (!name_ok(name)) {
        dprintf(LOG_WARN, "ACPI loader: %s with a bad file name\n", what);
        return NULL;
    }
    struct loader_file *f = acpi_loader_file(st, name);
    if (!f)
        dprintf(LOG_WARN, "ACPI loader: %s names %s, which was not allocated\n", what, name);
    return f;
}

static bool cmd_add_pointer(const struct loader_add_pointer *c, struct loader_state *st)
{
    struct loader_file *dst = loaded(st, c->dest_file, "ADD_POINTER");
    struct loader_file *src = loaded(st, c->src_file, "ADD_POINTER");
    if (!dst || !src)
        return false;
    if (!pointer_size_ok(c->size) || !range_ok(c->offset, c->size, dst->size)) {
        dprintf(LOG_WARN, "ACPI loader: ADD_POINTER of %u bytes at %u is outside %s\n",
                c->size, c->offset, dst->name);
        return false;
    }
    u8 *p = dst->data + c->offset;
    put_le(p, c->size, get_le(p, c->size) + src->addr);
    return true;
}

static bool cmd_add_checksum(const struct loader_add_checksum *c, struct loader_state *st)
{
    struct loader_file *f = loaded(st, c->file, "ADD_CHECKSUM");
    if (!f)
        return false;
    if (!range_ok(c->offset, 1, f->size) || !range_ok(c->start, c->length, f->size)) {
        dprintf(LOG_WARN, "ACPI loader: ADD_CHECKSUM range %u+%u or byte %u outside %s\n",
                c->start, c->length, c->offset, f->name);
        return false;
    }
    u8 sum = 0;
    for (u32 i = 0; i < c->length; i++)
        sum += f->data[c->start + i];
    f->data[c->offset] -= sum;
    return true;
}

static bool cmd_write_pointer(const struct loader_write_pointer *c, const struct loader_io *io,
                              struct loader_state *st)
{
    struct loader_file *src = loaded(st, c->src_file, "WRITE_POINTER");
    if (!src)
        return false;
    if (!name_ok(c->dest_file)) {
        dprintf(LOG_WARN, "ACPI loader: WRITE_POINTER with a bad file name\n");
        return false;
    }
    u32 dest_size = 0;
    u32 handle = io->find(io->ctx, c->dest_file, &dest_size);
    if (!handle) {
        dprintf(LOG_WARN, "ACPI loader: WRITE_POINTER to missing fw_cfg file %s\n", c->dest_file);
        return false;
    }
    if (!pointer_size_ok(c->size) || !range_ok(c->dest_offset, c->size, dest_size)
        || c->src_offset >= src->size) {
        dprintf(LOG_WARN, "ACPI loader: WRITE_POINTER %s+%u -> %s+%u (%u bytes) out of range\n",
                src->name, c->src_offset, c->dest_file, c->dest_offset, c->size);
        return false;
    }
    u64 value = src->addr + c->src_offset;
    if (c->size < 8 && (value >> (8 * c->size))) {
        dprintf(LOG_WARN, "ACPI loader: address %llx does not fit %u bytes of %s\n",
                value, c->size, c->dest_file);
        return false;
    }
    u8 bytes[8];
    put_le(bytes, c->size, value);
    if (!io->write(io->ctx, handle, c->dest_offset, bytes, c->size)) {
        dprintf(LOG_WARN, "ACPI loader: writing %s failed\n", c->dest_file);
        return false;
    }
    dprintf(LOG_DEBUG, "ACPI loader: told QEMU %s+%u is at %llx\n", src->name,
            c->src_offset, value);
    return true;
}

void acpi_loader_run(const u8 *script, u32 len, const struct loader_io *io,
                     struct loader_state *st)
{
    memset(st, 0, sizeof(*st));
    if (!script)
        len = 0;
    if (len % LOADER_CMD_SIZE)
        dprintf(LOG_WARN, "ACPI loader: %u stray bytes at the end of the script\n",
                len % LOADER_CMD_SIZE);
    for (u32 off = 0; off + LOADER_CMD_SIZE <= len; off += LOADER_CMD_SIZE) {
        union {
            u8 raw[LOADER_CMD_SIZE];
            u32 command;
            struct loader_allocate alloc;
            struct loader_add_pointer pointer;
            struct loader_add_checksum checksum;
            struct loader_write_pointer write;
        } c;
        memcpy(c.raw, script + off, LOADER_CMD_SIZE);
        bool ok;
        switch (c.command) {
        case LOADER_ALLOCATE:
            ok = cmd_allocate(&c.alloc, io, st, script, len);
            break;
        case LOADER_ADD_POINTER:
            ok = cmd_add_pointer(&c.pointer, st);
            break;
        case LOADER_ADD_CHECKSUM:
            ok = cmd_add_checksum(&c.checksum, st);
            break;
        case LOADER_WRITE_POINTER:
            ok = cmd_write_pointer(&c.write, io, st);
            break;
        case 0:
            /* Padding: QEMU never emits it, but it harms nobody. */
            continue;
        default:
            dprintf(LOG_DEBUG, "ACPI loader: unknown command %u skipped\n", c.command);
            ok = false;
            break;
        }
        if (ok)
            st->done++;
        else
            st->skipped++;
    }
}

#ifndef KELP_HOST
/* ---- the firmware side: real fw_cfg, real memory ---- */
#include "fw/fwcfg.h"
#include "post/alloc.h"
#include "post/post.h"
#include "lib/checksum.h"

#define SCRIPT_MAX (512 * LOADER_CMD_SIZE)

static u32 fw_find(void *ctx, const char *name, u32 *size)
{
    return fwcfg_find(name, size);
}

static bool fw_read(void *ctx, u32 handle, void *buf, u32 len)
{
    fwcfg_read(handle, buf, len);
    return true;
}

static bool fw_write(void *ctx, u32 handle, u32 offset, const void *buf, u32 len)
{
    return fwcfg_write(handle, offset, buf, len);
}

static void *fw_alloc(void *ctx, u8 zone, u32 size, u32 align, u64 *addr)
{
    void *p = zone == LOADER_ZONE_FSEG ? fseg_alloc(size, align) : high_alloc(size, align);
    *addr = (u32)p;
    return p;
}

static void *fw_shrink(void *ctx, u8 zone, void *block, u32 size, u32 new_size, u32 align,
                       u64 *addr)
{
    void *p = high_shrink(block, size, new_size, align);
    *addr = (u32)p;
    return p;
}

static const struct loader_io fw_io = { NULL, fw_find, fw_read, fw_write, fw_alloc, fw_shrink };

static struct acpi_rsdp *find_rsdp(void)
{
    for (u32 a = 0xF0000; a < 0x100000; a += 16) {
        struct acpi_rsdp *r = (void *)a;
        if (!memcmp(r->signature, RSDP_SIGNATURE, 8) && !checksum8(r, RSDP_V1_LENGTH))
            return r;
    }
    return NULL;
}

/* One line naming the tables the RSDT lists, for the log. */
static void log_tables(u32 rsdt)
{
    const struct acpi_table_header *h = (void *)rsdt;
    if (!rsdt || rsdt >= ram_below_4g || memcmp(h->signature, "RSDT", 4)
        || h->length < sizeof(*h) || h->length > 4096)
        return;
    char line[4 * 5 * 32 + 1];
    u32 n = (h->length - sizeof(*h)) / 4, at = 0;
    const u32 *entry = (const u32 *)(h + 1);
    for (u32 i = 0; i < n && at + 5 < sizeof(line); i++) {
        const char *sig = entry[i] && entry[i] < ram_below_4g ? (const char *)entry[i] : "????";
        memcpy(line + at, sig, 4);
        line[at + 4] = ' ';
        at += 5;
    }
    line[at] = 0;
    dprintf(LOG_INFO, "ACPI: RSDT at %x lists %s\n", rsdt, line);
}

void acpi_setup(void)
{
    static u8 script[SCRIPT_MAX];
    static struct loader_state st;
    u32 size;
    u16 key = fwcfg_find("etc/table-loader", &size);
    if (!key) {
        dprintf(LOG_WARN, "ACPI: fw_cfg has no etc/table-loader, no ACPI tables\n");
        return;
    }
    if (size > SCRIPT_MAX) {
        dprintf(LOG_ERR, "ACPI: table-loader script of %u bytes cut to %u\n", size, SCRIPT_MAX);
        size = SCRIPT_MAX;
    }
    fwcfg_read(key, script, size);
    acpi_loader_run(script, size, &fw_io, &st);
    struct acpi_rsdp *rsdp = find_rsdp();
    dprintf(LOG_INFO, "ACPI: %d loader commands run, %d skipped, %d files loaded\n",
            st.done, st.skipped, st.nfiles);
    if (!rsdp) {
        dprintf(LOG_ERR, "ACPI: no RSDP in the F-segment after the table loader\n");
        return;
    }
    dprintf(LOG_INFO, "ACPI: RSDP at %x (revision %u), RSDT %x, XSDT %llx\n", (u32)rsdp,
            rsdp->revision, rsdp->rsdt_address, rsdp->revision >= 2 ? rsdp->xsdt_address : 0);
    log_tables(rsdp->rsdt_address);
}
#endif
