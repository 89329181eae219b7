/* Unit tests for the table-loader script runner in src/fw/acpi.c, driven
 * by a fake fw_cfg (named in-memory files, some writable) and a fake
 * allocator that hands out host memory with made-up guest addresses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fw/acpi.h"

/* The module logs through dprintf(); count the warnings. stdio.h is left
 * out on purpose: it declares a dprintf() of its own. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
static int warnings;
static char last_log[256];
void dprintf(int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_log, sizeof(last_log), fmt, ap);
    va_end(ap);
    if (level <= 2)
        warnings++;
}

/* ---- fake fw_cfg ---- */

#define MAX_FILES 8
struct fake_file {
    const char *name;
    u8 data[512];
    const u8 *big;              /* contents of files larger than data[] */
    u32 size;
    bool writable;
    int writes;
};

#define MAX_BLOCKS 64
struct fake {
    struct fake_file files[MAX_FILES];
    int nfiles;
    void *blocks[MAX_BLOCKS];
    int nblocks;
    u64 high_next;              /* grows down */
    u64 fseg_next;              /* grows up */
    u64 fseg_end;
    int alloc_calls;
    bool alloc_fails;
    u32 any_name_size;          /* nonzero: every unknown name exists */
};

#define ANY_HANDLE (MAX_FILES + 1)

static struct fake fk;

static struct fake_file *add_file(const char *name, const void *data, u32 size)
{
    struct fake_file *f = &fk.files[fk.nfiles++];
    f->name = name;
    if (data && size > sizeof(f->data))
        f->big = data;
    else if (data)
        memcpy(f->data, data, size);
    f->size = size;
    return f;
}

static u32 fake_find(void *ctx, const char *name, u32 *size)
{
    assert_ptr_equal(ctx, &fk);
    for (int i = 0; i < fk.nfiles; i++)
        if (!strcmp(fk.files[i].name, name)) {
            *size = fk.files[i].size;
            return i + 1;
        }
    if (fk.any_name_size) {
        *size = fk.any_name_size;
        return ANY_HANDLE;
    }
    return 0;
}

static bool fake_read(void *ctx, u32 h, void *buf, u32 len)
{
    assert_ptr_equal(ctx, &fk);
    if (h == ANY_HANDLE) {
        assert_true(len <= fk.any_name_size);
        memset(buf, 0x5A, len);
        return true;
    }
    assert_true(h >= 1 && h <= (u32)fk.nfiles);
    assert_true(len <= fk.files[h - 1].size);
    memcpy(buf, fk.files[h - 1].big ? fk.files[h - 1].big : fk.files[h - 1].data, len);
    return true;
}

static bool fake_write(void *ctx, u32 h, u32 offset, const void *buf, u32 len)
{
    assert_ptr_equal(ctx, &fk);
    assert_true(h >= 1 && h <= (u32)fk.nfiles);
    struct fake_file *f = &fk.files[h - 1];
    /* Like QEMU: only writable files, and the write must fit. */
    if (!f->writable || offset > f->size || len > f->size - offset)
        return false;
    memcpy(f->data + offset, buf, len);
    f->writes++;
    return true;
}

static void *fake_alloc(void *ctx, u8 zone, u32 size, u32 align, u64 *addr)
{
    assert_ptr_equal(ctx, &fk);
    fk.alloc_calls++;
    assert_true(align && !(align & (align - 1)));
    assert_true(zone == LOADER_ZONE_HIGH || zone == LOADER_ZONE_FSEG);
    if (fk.alloc_fails || fk.nblocks == MAX_BLOCKS || size > 1 << 20)
        return NULL;
    if (zone == LOADER_ZONE_FSEG) {
        u64 a = (fk.fseg_next + align - 1) & ~(u64)(align - 1);
        if (a + size > fk.fseg_end)
            return NULL;
        fk.fseg_next = a + size;
        *addr = a;
    } else {
        fk.high_next = (fk.high_next - size) & ~(u64)(align - 1);
        *addr = fk.high_next;
    }
    void *p = calloc(1, size);
    fk.blocks[fk.nblocks++] = p;
    return p;
}

static const struct loader_io fake_io = { &fk, fake_find, fake_read, fake_write, fake_alloc,
                                          NULL };

/* Like the firmware's high zone: the block moves up by what it gives back. */
static void *fake_shrink(void *ctx, u8 zone, void *block, u32 size, u32 new_size, u32 align,
                         u64 *addr)
{
    assert_ptr_equal(ctx, &fk);
    assert_true(zone == LOADER_ZONE_HIGH && new_size < size);
    u8 *p = calloc(1, new_size);
    memcpy(p, block, new_size);
    fk.blocks[fk.nblocks++] = p;
    fk.high_next = (fk.high_next + size - new_size) & ~(u64)(align - 1);
    *addr = fk.high_next;
    return p;
}

static const struct loader_io shrink_io = { &fk, fake_find, fake_read, fake_write, fake_alloc,
                                            fake_shrink };

static int setup(void **state)
{
    (void)state;
    memset(&fk, 0, sizeof(fk));
    fk.high_next = 0x7FFE0000;
    fk.fseg_next = 0xF5000;
    fk.fseg_end = 0xFE000;
    warnings = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < fk.nblocks; i++)
        free(fk.blocks[i]);
    return 0;
}

/* ---- building scripts ---- */

struct script {
    u8 bytes[64 * LOADER_CMD_SIZE];
    u32 len;
};

static u8 *new_cmd(struct script *s, u32 command)
{
    u8 *c = s->bytes + s->len;
    memset(c, 0, LOADER_CMD_SIZE);
    memcpy(c, &command, 4);
    s->len += LOADER_CMD_SIZE;
    return c;
}

static void put32(u8 *p, u32 v)
{
    memcpy(p, &v, 4);
}

static void cmd_alloc(struct script *s, const char *file, u32 align, u8 zone)
{
    u8 *c = new_cmd(s, LOADER_ALLOCATE);
    strcpy((char *)c + 4, file);
    put32(c + 60, align);
    c[64] = zone;
}

static void cmd_pointer(struct script *s, const char *dst, const char *src, u32 off, u8 size)
{
    u8 *c = new_cmd(s, LOADER_ADD_POINTER);
    strcpy((char *)c + 4, dst);
    strcpy((char *)c + 60, src);
    put32(c + 116, off);
    c[120] = size;
}

static void cmd_checksum(struct script *s, const char *file, u32 off, u32 start, u32 len)
{
    u8 *c = new_cmd(s, LOADER_ADD_CHECKSUM);
    strcpy((char *)c + 4, file);
    put32(c + 60, off);
    put32(c + 64, start);
    put32(c + 68, len);
}

static void cmd_write(struct script *s, const char *dst, const char *src, u32 dst_off,
                      u32 src_off, u8 size)
{
    u8 *c = new_cmd(s, LOADER_WRITE_POINTER);
    strcpy((char *)c + 4, dst);
    strcpy((char *)c + 60, src);
    put32(c + 116, dst_off);
    put32(c + 120, src_off);
    c[124] = size;
}

static struct loader_state st;

static void run(struct script *s)
{
    acpi_loader_run(s->bytes, s->len, &fake_io, &st);
}

static u8 sum(const u8 *p, u32 n)
{
    u8 s = 0;
    while (n--)
        s += *p++;
    return s;
}

static u64 le(const u8 *p, int n)
{
    u64 v = 0;
    while (n--)
        v = (v << 8) | p[n];
    return v;
}

/* ---- tests ---- */

static void allocate_loads_each_file_into_its_zone_aligned(void **state)
{
    (void)state;
    u8 rsdp[20] = "RSD PTR ", tables[300];
    for (int i = 0; i < 300; i++)
        tables[i] = i * 7;
    add_file("etc/acpi/rsdp", rsdp, sizeof(rsdp));
    add_file("etc/acpi/tables", tables, sizeof(tables));
    struct script s = { .len = 0 };
    cmd_alloc(&s, "etc/acpi/rsdp", 16, LOADER_ZONE_FSEG);
    cmd_alloc(&s, "etc/acpi/tables", 64, LOADER_ZONE_HIGH);
    run(&s);

    assert_int_equal(st.done, 2);
    assert_int_equal(st.skipped, 0);
    assert_int_equal(st.nfiles, 2);
    struct loader_file *r = acpi_loader_file(&st, "etc/acpi/rsdp");
    struct loader_file *t = acpi_loader_file(&st, "etc/acpi/tables");
    assert_non_null(r);
    assert_non_null(t);
    assert_int_equal(r->zone, LOADER_ZONE_FSEG);
    assert_true(r->addr >= 0xF0000 && r->addr < 0x100000 && r->addr % 16 == 0);
    assert_int_equal(t->zone, LOADER_ZONE_HIGH);
    assert_true(t->addr % 64 == 0 && t->addr < 0x80000000);
    assert_int_equal(t->size, 300);
    assert_memory_equal(t->data, tables, 300);
    assert_memory_equal(r->data, rsdp, 20);
}

static void add_pointer_adds_source_address_little_endian(void **state)
{
    (void)state;
    u8 dst[32] = { 0 };
    dst[0] = 0x10;                      /* 1 byte: 0x10 */
    dst[2] = 0x34; dst[3] = 0x12;       /* 2 bytes: 0x1234 */
    put32(dst + 4, 0x100);              /* 4 bytes: 0x100 */
    dst[8] = 0x24;                      /* 8 bytes: 0x24 */
    add_file("dst", dst, sizeof(dst));
    add_file("src", NULL, 64);
    struct script s = { .len = 0 };
    cmd_alloc(&s, "src", 4096, LOADER_ZONE_HIGH);
    cmd_alloc(&s, "dst", 8, LOADER_ZONE_HIGH);
    cmd_pointer(&s, "dst", "src", 0, 1);
    cmd_pointer(&s, "dst", "src", 2, 2);
    cmd_pointer(&s, "dst", "src", 4, 4);
    cmd_pointer(&s, "dst", "src", 8, 8);
    run(&s);

    assert_int_equal(st.done, 6);
    u64 a = acpi_loader_file(&st, "src")->addr;
    const u8 *d = acpi_loader_file(&st, "dst")->data;
    assert_int_equal(d[0], (u8)(0x10 + a));
    assert_int_equal(le(d + 2, 2), (u16)(0x1234 + a));
    assert_int_equal(le(d + 4, 4), (u32)(0x100 + a));
    assert_int_equal(le(d + 8, 8), 0x24 + a);
    assert_int_equal(d[16], 0);
}

static void add_checksum_makes_the_range_sum_to_zero(void **state)
{
    (void)state;
    u8 t[64];
    for (int i = 0; i < 64; i++)
        t[i] = 3 * i + 1;
    t[9] = 0;
    add_file("t", t, sizeof(t));
    struct script s = { .len = 0 };
    cmd_alloc(&s, "t", 1, LOADER_ZONE_HIGH);
    cmd_checksum(&s, "t", 9, 0, 40);
    run(&s);

    assert_int_equal(st.done, 2);
    const u8 *d = acpi_loader_file(&st, "t")->data;
    assert_int_equal(sum(d, 40), 0);
    assert_memory_equal(d + 40, t + 40, 24);      /* nothing else touched */
}

/* RSDP (F-segment) -> RSDT -> FACP -> DSDT, like QEMU's script. */
static void linked_tables_end_with_valid_checksums_and_pointers(void **state)
{
    (void)state;
    u8 rsdp[20] = "RSD PTR ";
    rsdp[15] = 0;
    put32(rsdp + 16, 0x40);                      /* RSDT at tables+0x40 */
    u8 tables[0x100] = { 0 };
    memcpy(tables, "DSDT", 4);
    put32(tables + 4, 0x24);
    memcpy(tables + 0x40, "RSDT", 4);
    put32(tables + 0x44, 0x28);
    put32(tables + 0x40 + 36, 0x80);             /* FACP at tables+0x80 */
    memcpy(tables + 0x80, "FACP", 4);
    put32(tables + 0x84, 0x2C);
    put32(tables + 0x80 + 40, 0x0);              /* DSDT at tables+0 */
    add_file("etc/acpi/rsdp", rsdp, sizeof(rsdp));
    add_file("etc/acpi/tables", tables, sizeof(tables));
    add_file("etc/table-loader", NULL, 0);       /* present, not loaded */

    struct script s = { .len = 0 };
    cmd_alloc(&s, "etc/acpi/rsdp", 16, LOADER_ZONE_FSEG);
    cmd_alloc(&s, "etc/acpi/tables", 64, LOADER_ZONE_HIGH);
    cmd_checksum(&s, "etc/acpi/tables", 0x09, 0x00, 0x24);
    cmd_pointer(&s, "etc/acpi/tables", "etc/acpi/tables", 0x80 + 40, 4);
    cmd_checksum(&s, "etc/acpi/tables", 0x89, 0x80, 0x2C);
    cmd_pointer(&s, "etc/acpi/tables", "etc/acpi/tables", 0x40 + 36, 4);
    cmd_checksum(&s, "etc/acpi/tables", 0x49, 0x40, 0x28);
    cmd_pointer(&s, "etc/acpi/rsdp", "etc/acpi/tables", 16, 4);
    cmd_checksum(&s, "etc/acpi/rsdp", 8, 0, 20);
    run(&s);

    assert_int_equal(st.done, 9);
    assert_int_equal(st.skipped, 0);
    assert_int_equal(warnings, 0);
    struct loader_file *r = acpi_loader_file(&st, "etc/acpi/rsdp");
    struct loader_file *t = acpi_loader_file(&st, "etc/acpi/tables");
    assert_int_equal(sum(r->data, 20), 0);
    u32 rsdt = le(r->data + 16, 4);
    assert_int_equal(rsdt, t->addr + 0x40);
    const u8 *rs = t->data + (rsdt - t->addr);
    assert_memory_equal(rs, "RSDT", 4);
    assert_int_equal(sum(rs, 0x28), 0);
    u32 facp = le(rs + 36, 4);
    const u8 *fa = t->data + (facp - t->addr);
    assert_memory_equal(fa, "FACP", 4);
    assert_int_equal(sum(fa, 0x2C), 0);
    assert_int_equal(le(fa + 40, 4), t->addr);
    assert_int_equal(sum(t->data, 0x24), 0);
}

/* QEMU's padded table blob: tables in the first bytes, the FACS (zeros
 * after its header) last among them, then padding up to 128 KiB; a stray
 * nonzero byte no pointer reaches lies in the padding. */
static void padded_blob(u8 *tables, u8 *rsdp)
{
    memcpy(rsdp, "RSD PTR ", 8);
    put32(rsdp + 16, 0x40);                      /* RSDT */
    memcpy(tables, "DSDT", 4);
    put32(tables + 4, 0x24);
    memcpy(tables + 0x40, "RSDT", 4);
    put32(tables + 0x44, 0x28);
    put32(tables + 0x40 + 36, 0x80);             /* FACP */
    memcpy(tables + 0x80, "FACP", 4);
    put32(tables + 0x84, 0x2C);
    put32(tables + 0x80 + 36, 0xC0);             /* FIRMWARE_CTRL: FACS */
    put32(tables + 0x80 + 40, 0x0);              /* DSDT */
    memcpy(tables + 0xC0, "FACS", 4);
    put32(tables + 0xC4, 0x40);
    tables[0x800] = 0x5A;
}

static void padded_script(struct script *s)
{
    cmd_alloc(s, "etc/acpi/rsdp", 16, LOADER_ZONE_FSEG);
    cmd_alloc(s, "etc/acpi/tables", 64, LOADER_ZONE_HIGH);
    cmd_pointer(s, "etc/acpi/tables", "etc/acpi/tables", 0x80 + 36, 4);
    cmd_pointer(s, "etc/acpi/tables", "etc/acpi/tables", 0x80 + 40, 4);
    cmd_checksum(s, "etc/acpi/tables", 0x89, 0x80, 0x2C);
    cmd_pointer(s, "etc/acpi/tables", "etc/acpi/tables", 0x40 + 36, 4);
    cmd_checksum(s, "etc/acpi/tables", 0x49, 0x40, 0x28);
    cmd_pointer(s, "etc/acpi/rsdp", "etc/acpi/tables", 16, 4);
    cmd_checksum(s, "etc/acpi/rsdp", 8, 0, 20);
}

static void padding_after_the_tables_is_given_back(void **state)
{
    (void)state;
    static u8 tables[0x20000];
    u8 rsdp[20] = { 0 };
    memset(tables, 0, sizeof(tables));
    padded_blob(tables, rsdp);
    add_file("etc/acpi/rsdp", rsdp, sizeof(rsdp));
    add_file("etc/acpi/tables", tables, sizeof(tables));
    struct script s = { .len = 0 };
    padded_script(&s);
    acpi_loader_run(s.bytes, s.len, &shrink_io, &st);
    assert_int_equal(st.skipped, 0);
    struct loader_file *t = acpi_loader_file(&st, "etc/acpi/tables");
    struct loader_file *r = acpi_loader_file(&st, "etc/acpi/rsdp");
    /* The FACS (0xC0 + 0x40) is the farthest thing reached. */
    assert_int_equal(t->size, 0x100);
    assert_int_equal(t->addr, 0x7FFE0000 - 0x100);
    /* Every pointer uses the address the block ended up at. */
    assert_int_equal(le(r->data + 16, 4), t->addr + 0x40);
    assert_int_equal(le(t->data + 0x80 + 36, 4), t->addr + 0xC0);
    assert_int_equal(le(t->data + 0x80 + 40, 4), t->addr);
    assert_memory_equal(t->data + 0xC0, "FACS", 4);
    assert_int_equal(sum(t->data + 0x80, 0x2C), 0);
    assert_int_equal(sum(r->data, 20), 0);
}

static void extent_is_unknown_when_qemu_gets_the_address(void **state)
{
    (void)state;
    static u8 tables[0x1000];
    u8 rsdp[20] = { 0 };
    memset(tables, 0, sizeof(tables));
    padded_blob(tables, rsdp);
    add_file("etc/acpi/rsdp", rsdp, sizeof(rsdp));
    add_file("etc/acpi/tables", tables, sizeof(tables));
    add_file("etc/addr", NULL, 8)->writable = true;
    struct script s = { .len = 0 };
    padded_script(&s);
    cmd_write(&s, "etc/addr", "etc/acpi/tables", 0, 0x800, 8);
    acpi_loader_run(s.bytes, s.len, &shrink_io, &st);
    assert_int_equal(acpi_loader_file(&st, "etc/acpi/tables")->size, sizeof(tables));
}

static void extent_is_unknown_when_a_pointer_comes_from_a_later_file(void **state)
{
    (void)state;
    static u8 tables[0x1000];
    u8 rsdp[20] = { 0 };
    memset(tables, 0, sizeof(tables));
    padded_blob(tables, rsdp);
    add_file("etc/acpi/tables", tables, sizeof(tables));
    add_file("etc/acpi/rsdp", rsdp, sizeof(rsdp));
    struct script s = { .len = 0 };
    cmd_alloc(&s, "etc/acpi/tables", 64, LOADER_ZONE_HIGH);     /* before rsdp */
    cmd_alloc(&s, "etc/acpi/rsdp", 16, LOADER_ZONE_FSEG);
    cmd_pointer(&s, "etc/acpi/rsdp", "etc/acpi/tables", 16, 4);
    acpi_loader_run(s.bytes, s.len, &shrink_io, &st);
    assert_int_equal(acpi_loader_file(&st, "etc/acpi/tables")->size, sizeof(tables));
}

static void write_pointer_sends_address_plus_offset_to_qemu(void **state)
{
    (void)state;
    add_file("etc/vmgenid_guid", NULL, 4096);
    struct fake_file *addr = add_file("etc/vmgenid_addr", NULL, 16);
    addr->writable = true;
    memset(addr->data, 0xEE, 16);
    struct script s = { .len = 0 };
    cmd_alloc(&s, "etc/vmgenid_guid", 4096, LOADER_ZONE_HIGH);
    cmd_write(&s, "etc/vmgenid_addr", "etc/vmgenid_guid", 4, 40, 8);
    run(&s);

    assert_int_equal(st.done, 2);
    assert_int_equal(addr->writes, 1);
    u64 a = acpi_loader_file(&st, "etc/vmgenid_guid")->addr;
    assert_int_equal(le(addr->data + 4, 8), a + 40);
    assert_int_equal(addr->data[3], 0xEE);       /* bytes around it untouched */
    assert_int_equal(addr->data[12], 0xEE);
}

static void write_pointer_refuses_what_qemu_could_not_take(void **state)
{
    (void)state;
    add_file("blob", NULL, 100);
    struct fake_file *ro = add_file("readonly", NULL, 8);
    struct fake_file *w = add_file("small", NULL, 8);
    w->writable = true;
    struct script s = { .len = 0 };
    cmd_alloc(&s, "blob", 16, LOADER_ZONE_HIGH);
    cmd_write(&s, "small", "blob", 4, 0, 8);     /* runs past the file */
    cmd_write(&s, "small", "blob", 0, 100, 4);   /* source offset past the blob */
    cmd_write(&s, "small", "blob", 0, 0, 3);     /* bad size */
    cmd_write(&s, "missing", "blob", 0, 0, 4);   /* no such fw_cfg file */
    cmd_write(&s, "small", "nothere", 0, 0, 4);  /* source never allocated */
    cmd_write(&s, "small", "blob", 0, 0, 2);     /* address does not fit 2 bytes */
    cmd_write(&s, "readonly", "blob", 0, 0, 4);  /* QEMU says no */
    run(&s);

    assert_int_equal(st.done, 1);
    assert_int_equal(st.skipped, 7);
    assert_int_equal(w->writes, 0);
    assert_int_equal(ro->writes, 0);
    assert_int_equal(warnings, 7);
}

static void bad_commands_are_skipped_and_the_rest_still_runs(void **state)
{
    (void)state;
    u8 t[32] = { 0 };
    add_file("t", t, sizeof(t));
    add_file("u", t, sizeof(t));
    add_file("empty", NULL, 0);
    struct script s = { .len = 0 };
    new_cmd(&s, 0x7777);                                  /* unknown */
    cmd_alloc(&s, "t", 8, LOADER_ZONE_HIGH);
    cmd_alloc(&s, "t", 8, LOADER_ZONE_HIGH);              /* twice */
    cmd_alloc(&s, "nofile", 8, LOADER_ZONE_HIGH);         /* missing */
    cmd_alloc(&s, "empty", 8, LOADER_ZONE_HIGH);          /* empty */
    cmd_alloc(&s, "u", 3, LOADER_ZONE_HIGH);              /* alignment */
    cmd_alloc(&s, "u", 8, 7);                             /* zone */
    cmd_pointer(&s, "t", "t", 29, 4);                     /* past the end */
    cmd_pointer(&s, "t", "t", 0xFFFFFFFE, 4);             /* wraps */
    cmd_pointer(&s, "t", "t", 0, 5);                      /* size */
    cmd_pointer(&s, "t", "u", 0, 4);                      /* u not loaded */
    cmd_checksum(&s, "t", 32, 0, 4);                      /* byte outside */
    cmd_checksum(&s, "t", 0, 4, 0xFFFFFFFF);              /* range wraps */
    cmd_checksum(&s, "t", 0, 33, 0);                      /* start outside */
    u8 *c = new_cmd(&s, LOADER_ALLOCATE);                 /* unterminated name */
    memset(c + 4, 'a', LOADER_NAME_SIZE);
    c[64] = LOADER_ZONE_HIGH;
    cmd_checksum(&s, "", 0, 0, 1);                        /* empty name */
    cmd_pointer(&s, "t", "t", 28, 4);                     /* fine */
    cmd_checksum(&s, "t", 0, 0, 32);                      /* fine */
    run(&s);

    assert_int_equal(st.done, 3);
    assert_int_equal(st.skipped, 15);
    assert_int_equal(st.nfiles, 1);
    const u8 *d = acpi_loader_file(&st, "t")->data;
    assert_int_equal(le(d + 28, 4), acpi_loader_file(&st, "t")->addr);
    assert_int_equal(sum(d, 32), 0);
}

static void names_filling_the_whole_field_are_refused(void **state)
{
    (void)state;
    char name[LOADER_NAME_SIZE + 1];
    memset(name, 'n', LOADER_NAME_SIZE);
    name[LOADER_NAME_SIZE] = 0;
    add_file(name, NULL, 8);
    struct script s = { .len = 0 };
    u8 *c = new_cmd(&s, LOADER_ALLOCATE);
    memcpy(c + 4, name, LOADER_NAME_SIZE);
    c[64] = LOADER_ZONE_HIGH;
    run(&s);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(fk.alloc_calls, 0);
}

static void failed_allocation_leaves_file_unloaded(void **state)
{
    (void)state;
    add_file("t", NULL, 16);
    fk.alloc_fails = true;
    struct script s = { .len = 0 };
    cmd_alloc(&s, "t", 8, LOADER_ZONE_FSEG);
    cmd_checksum(&s, "t", 0, 0, 16);
    run(&s);
    assert_int_equal(st.nfiles, 0);
    assert_int_equal(st.skipped, 2);
}

static void partial_trailing_command_is_ignored(void **state)
{
    (void)state;
    add_file("t", NULL, 16);
    struct script s = { .len = 0 };
    cmd_alloc(&s, "t", 8, LOADER_ZONE_HIGH);
    cmd_alloc(&s, "t", 8, LOADER_ZONE_HIGH);
    acpi_loader_run(s.bytes, LOADER_CMD_SIZE + 100, &fake_io, &st);
    assert_int_equal(st.done, 1);
    assert_int_equal(st.skipped, 0);
    acpi_loader_run(NULL, 4096, &fake_io, &st);
    assert_int_equal(st.done + st.skipped, 0);
}

static void file_table_limit_is_respected(void **state)
{
    (void)state;
    static char names[LOADER_MAX_FILES + 2][8];
    struct script s = { .len = 0 };
    fk.any_name_size = 8;
    for (int i = 0; i < LOADER_MAX_FILES + 2; i++) {
        names[i][0] = 'f';
        names[i][1] = 'A' + i;
        cmd_alloc(&s, names[i], 8, LOADER_ZONE_HIGH);
    }
    run(&s);
    assert_int_equal(st.nfiles, LOADER_MAX_FILES);
    assert_int_equal(st.done, LOADER_MAX_FILES);
    assert_int_equal(st.skipped, 2);
    assert_non_null(acpi_loader_file(&st, names[LOADER_MAX_FILES - 1]));
    assert_null(acpi_loader_file(&st, names[LOADER_MAX_FILES]));
}

/* Deterministic fuzzing: scripts of random commands over a few real file
 * names, random offsets and sizes, and plain random bytes. Under ASan and
 * UBSan any out-of-bounds access or overflow aborts the test. */
static u32 rng = 12345;
static u32 rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static void random_scripts_never_break_bounds(void **state)
{
    (void)state;
    static const char *const names[] = { "a", "b", "c", "w", "zz" };
    static const u32 interesting[] = { 0, 1, 2, 7, 8, 15, 16, 31, 32, 33, 63, 64, 255, 256,
                                       0x7FFFFFFF, 0x80000000, 0xFFFFFFF8, 0xFFFFFFFF };
    for (int iter = 0; iter < 3000; iter++) {
        teardown(state);
        setup(state);
        add_file("a", NULL, 1 + rnd() % 64);
        add_file("b", NULL, 1 + rnd() % 300);
        add_file("c", NULL, rnd() % 3);
        struct fake_file *w = add_file("w", NULL, rnd() % 20);
        w->writable = true;
        for (int i = 0; i < fk.nfiles; i++)
            for (u32 j = 0; j < fk.files[i].size; j++)
                fk.files[i].data[j] = rnd();
        struct script s = { .len = 0 };
        int n = rnd() % 40;
        for (int i = 0; i < n; i++) {
            u32 r = rnd();
#define N(x) names[(x) % 5]
#define V(x) ((x) & 1 ? interesting[(x >> 1) % 18] : (x >> 1) % 400)
            switch (r % 6) {
            case 0: cmd_alloc(&s, N(rnd()), 1u << (rnd() % 14), rnd() % 4); break;
            case 1: cmd_pointer(&s, N(rnd()), N(rnd()), V(rnd()), rnd() % 10); break;
            case 2: cmd_checksum(&s, N(rnd()), V(rnd()), V(rnd()), V(rnd())); break;
            case 3: cmd_write(&s, N(rnd()), N(rnd()), V(rnd()), V(rnd()), rnd() % 10); break;
            case 4: {
                u8 *c = new_cmd(&s, rnd() % 6);
                for (int k = 4; k < LOADER_CMD_SIZE; k++)
                    c[k] = rnd() % 4 ? rnd() : 0;
                break;
            }
            default:
                new_cmd(&s, rnd());
                break;
            }
        }
        u32 len = s.len;
        if (rnd() % 4 == 0 && len)
            len -= rnd() % LOADER_CMD_SIZE;
        run(&s);
        acpi_loader_run(s.bytes, len, &fake_io, &st);
        assert_true(st.nfiles <= LOADER_MAX_FILES);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(allocate_loads_each_file_into_its_zone_aligned),
        T(add_pointer_adds_source_address_little_endian),
        T(add_checksum_makes_the_range_sum_to_zero),
        T(linked_tables_end_with_valid_checksums_and_pointers),
        T(padding_after_the_tables_is_given_back),
        T(extent_is_unknown_when_qemu_gets_the_address),
        T(extent_is_unknown_when_a_pointer_comes_from_a_later_file),
        T(write_pointer_sends_address_plus_offset_to_qemu),
        T(write_pointer_refuses_what_qemu_could_not_take),
        T(bad_commands_are_skipped_and_the_rest_still_runs),
        T(names_filling_the_whole_field_are_refused),
        T(failed_allocation_leaves_file_unloaded),
        T(partial_trailing_command_is_ignored),
        T(file_table_limit_is_respected),
        T(random_scripts_never_break_bounds),
    };
    return cmocka_run_group_tests_name("acpi_loader", tests, NULL, NULL);
}
