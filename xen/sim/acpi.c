/* xen-sim: ACPI tables. hvmloader builds its own (libacpi); the simulator
 * instead runs QEMU's fw_cfg "etc/table-loader" script, which gives tables
 * that describe this very machine, and places them as hvmloader places
 * its own: the tables in the table area (Xen: from 0xFC001000), the RSDP
 * in low scratch memory.
 *
 * QEMU builds the tables when the first ACPI file is selected and takes
 * the PM I/O base from the PIIX4 function at that moment. pci_setup() has
 * already put it at 0xB000 as hvmloader does, so QEMU's FADT names the
 * same PM1a_EVT (0xB000), PM1a_CNT (0xB004), PM_TMR (0xB008) and GPE0
 * (0xAFE0) blocks as Xen's.
 *
 * One edit: QEMU's MADT gives the I/O APIC ID 0; hvmloader's tables and
 * the chip (apic_setup) say 1, so the MADT entry is set to 1. */
#include "xsim.h"

#define CMD_ALLOCATE      1
#define CMD_ADD_POINTER   2
#define CMD_ADD_CHECKSUM  3
#define CMD_WRITE_POINTER 4
#define ZONE_HIGH         1
#define ZONE_FSEG         2
#define NAME_LEN          56

struct loader_cmd {
    u32 command;
    union {
        struct { char file[NAME_LEN]; u32 align; u8 zone; } PACKED alloc;
        struct { char dst[NAME_LEN]; char src[NAME_LEN]; u32 offset; u8 size; } PACKED ptr;
        struct { char file[NAME_LEN]; u32 offset, start, length; } PACKED sum;
        struct { char dst[NAME_LEN]; char src[NAME_LEN]; u32 dst_off, src_off; u8 size; } PACKED wptr;
        u8 pad[124];
    };
} PACKED;

struct loaded {
    char name[NAME_LEN];
    u8 *addr;
    u32 size;
    u16 select;
};

static struct loader_cmd script[256];
static struct loaded files[16];
static unsigned nfiles;

static struct loaded *file_named(const char *name)
{
    for (unsigned i = 0; i < nfiles; i++)
        if (!strncmp(files[i].name, name, NAME_LEN))
            return &files[i];
    return NULL;
}

static u64 get_le(const u8 *p, unsigned size)
{
    u64 v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (u64)p[i] << (8 * i);
    return v;
}

static void put_le(u8 *p, unsigned size, u64 v)
{
    for (unsigned i = 0; i < size; i++)
        p[i] = (u8)(v >> (8 * i));
}

static void allocate(const struct loader_cmd *c)
{
    char name[NAME_LEN + 1];
    memcpy(name, c->alloc.file, NAME_LEN);
    name[NAME_LEN] = 0;
    if (nfiles == ARRAY_SIZE(files))
        fail("table-loader: too many files\n");
    struct loaded *f = &files[nfiles];
    int size = fwcfg_find(name, &f->select);
    if (size < 0)
        fail("table-loader: no fw_cfg file %s\n", name);
    u32 align = c->alloc.align;
    if (align & (align - 1))
        fail("table-loader: alignment %u of %s\n", align, name);
    /* FSEG-zone files (the RSDP) go to low scratch memory like
     * hvmloader's RSDP, everything else to the table area. */
    f->addr = c->alloc.zone == ZONE_FSEG ? scratch_alloc(size, align) : acpi_alloc(size, align);
    f->size = size;
    memcpy(f->name, c->alloc.file, NAME_LEN);
    fwcfg_read(f->select, f->addr, size);
    nfiles++;
}

u32 acpi_load_qemu_tables(void)
{
    u16 sel;
    int size = fwcfg_find("etc/table-loader", &sel);
    if (size <= 0)
        return 0;
    if ((u32)size > sizeof(script))
        fail("table-loader script too large (%d bytes)\n", size);
    fwcfg_read(sel, script, size);

    for (unsigned i = 0; i < (u32)size / sizeof(script[0]); i++) {
        const struct loader_cmd *c = &script[i];
        switch (c->command) {
        case CMD_ALLOCATE:
            allocate(c);
            break;
        case CMD_ADD_POINTER: {
            struct loaded *d = file_named(c->ptr.dst), *s = file_named(c->ptr.src);
            unsigned n = c->ptr.size;
            if (!d || !s || (n != 1 && n != 2 && n != 4 && n != 8) || c->ptr.offset + n > d->size)
                fail("table-loader: bad ADD_POINTER\n");
            u8 *p = d->addr + c->ptr.offset;
            put_le(p, n, get_le(p, n) + (u32)s->addr);
            break;
        }
        case CMD_ADD_CHECKSUM: {
            struct loaded *f = file_named(c->sum.file);
            if (!f || c->sum.offset >= f->size || c->sum.start + c->sum.length > f->size)
                fail("table-loader: bad ADD_CHECKSUM\n");
            u8 *p = f->addr + c->sum.offset;
            *p -= checksum8(f->addr + c->sum.start, c->sum.length);
            break;
        }
        case CMD_WRITE_POINTER: {
            /* Tell QEMU where a file landed (vmgenid, ghes). */
            struct loaded *s = file_named(c->wptr.src);
            char dst[NAME_LEN + 1];
            memcpy(dst, c->wptr.dst, NAME_LEN);
            dst[NAME_LEN] = 0;
            u16 dsel;
            unsigned n = c->wptr.size;
            if (!s || fwcfg_find(dst, &dsel) < 0 || n > 8)
                fail("table-loader: bad WRITE_POINTER\n");
            u8 buf[8];
            put_le(buf, n, (u32)s->addr + c->wptr.src_off);
            fwcfg_write_at(dsel, c->wptr.dst_off, buf, n);
            break;
        }
        case 0:
            break;
        default:
            log("table-loader: command %u ignored\n", c->command);
        }
    }

    struct loaded *rsdp = file_named("etc/acpi/rsdp");
    if (!rsdp || memcmp(rsdp->addr, "RSD PTR ", 8))
        fail("table-loader produced no RSDP\n");
    return (u32)rsdp->addr;
}

/* The RSDT (or XSDT) entries, in order, as physical addresses. */
static u32 sdt_entry(u32 rsdp, unsigned i, unsigned *count)
{
    const u8 *r = (const u8 *)rsdp;
    u32 xsdt = r[15] >= 2 ? rd32(rsdp + 24) : 0;
    u32 sdt = xsdt ? xsdt : rd32(rsdp + 16);
    unsigned width = xsdt ? 8 : 4;
    *count = (rd32(sdt + 4) - 36) / width;
    return i < *count ? rd32(sdt + 36 + i * width) : 0;
}

static u32 find_table(u32 rsdp, const char *sig)
{
    unsigned count = 1;
    for (unsigned i = 0; i < count; i++) {
        u32 t = sdt_entry(rsdp, i, &count);
        if (t && !memcmp((void *)t, sig, 4))
            return t;
    }
    return 0;
}

/* Fix the MADT's I/O APIC ID and collect the enabled CPUs' APIC IDs. */
void acpi_cpus(u32 rsdp, struct cpu_list *cpus)
{
    u32 madt = find_table(rsdp, "APIC");
    if (!madt)
        return;
    u8 *m = (u8 *)madt;
    u32 length = rd32(madt + 4);
    u32 n = 0;
    for (u32 off = 44; off + 2 <= length && m[off + 1] >= 2; off += m[off + 1]) {
        u8 *e = m + off;
        if (e[0] == 0 && (e[4] & 1) && n < ARRAY_SIZE(cpus->apic_id))
            cpus->apic_id[n++] = e[3];
        if (e[0] == 1)
            e[2] = IOAPIC_ID;
    }
    m[9] = 0;
    m[9] = -checksum8(m, length);
    if (n)
        cpus->count = n;

    u32 fadt = find_table(rsdp, "FACP");
    if (fadt)
        log("ACPI: FADT PM1a_EVT %x PM1a_CNT %x PM_TMR %x GPE0 %x SCI %u\n",
            rd32(fadt + 56), rd32(fadt + 64), rd32(fadt + 76), rd32(fadt + 80),
            *(u16 *)(fadt + 46));
}
