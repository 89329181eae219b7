/* Unit tests for src/fw/smbios.c: walking QEMU's structure table, adding
 * a type 0, and rewriting the 2.1 and 3.0 entry points. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fw/smbios.h"

/* The module logs through dprintf(); stdio.h stays out (it has its own). */
static int warnings;
void dprintf(int level, const char *fmt, ...)
{
    (void)fmt;
    if (level <= 2)
        warnings++;
}

static const struct smbios_bios_info bios = {
    .vendor = "Kelp",
    .version = "0.1",
    .date = "11/25/2026",
    .start_segment = 0xF000,
    .rom_size = 1,
    .characteristics = SMBIOS_BIOS_PCI | SMBIOS_BIOS_EDD,
    .ext1 = SMBIOS_BIOS_EXT1_ACPI,
    .ext2 = SMBIOS_BIOS_EXT2_VM,
    .release_major = 0,
    .release_minor = 1,
};

/* ---- building QEMU-like input ---- */

struct blob {
    u8 b[4096];
    u32 len;
};

/* Append a structure: type, handle, formatted bytes after the header,
 * then the strings (a NULL-terminated list). */
static u32 add_struct(struct blob *t, u8 type, u16 handle, u8 extra, const char *const *strings)
{
    u32 start = t->len;
    u8 *p = t->b + t->len;
    p[0] = type;
    p[1] = 4 + extra;
    p[2] = handle;
    p[3] = handle >> 8;
    for (int i = 0; i < extra; i++)
        p[4 + i] = i + 1;               /* string numbers 1, 2, ... */
    t->len += 4 + extra;
    int n = 0;
    for (; strings && strings[n]; n++) {
        size_t l = strlen(strings[n]) + 1;
        memcpy(t->b + t->len, strings[n], l);
        t->len += l;
    }
    if (!n)
        t->b[t->len++] = 0;
    t->b[t->len++] = 0;
    return t->len - start;
}

static const char *const type1_strings[] = { "KelpTest", "TablesProduct", "1.0", "SER123", NULL };

static void qemu_tables(struct blob *t)
{
    t->len = 0;
    add_struct(t, 1, 0x100, 0x17, type1_strings);
    add_struct(t, 3, 0x300, 0x11, (const char *const[]){ "QEMU", "pc", NULL });
    add_struct(t, 127, 0x7F00, 0, NULL);
}

static u8 sum(const void *p, u32 n)
{
    const u8 *b = p;
    u8 s = 0;
    while (n--)
        s += *b++;
    return s;
}

static void anchor21(u8 *a, const struct blob *t)
{
    memset(a, 0, 0x1F);
    memcpy(a, "_SM_", 4);
    a[5] = 0x1F;
    a[6] = 2;
    a[7] = 8;
    memcpy(a + 0x10, "_DMI_", 5);
    a[0x16] = t->len;
    a[0x17] = t->len >> 8;
    a[0x1E] = 0x28;
    a[0x15] = -sum(a + 0x10, 0x0F);
    a[4] = -sum(a, 0x1F);
}

static void anchor30(u8 *a, const struct blob *t)
{
    memset(a, 0, 0x18);
    memcpy(a, "_SM3_", 5);
    a[6] = 0x18;
    a[7] = 3;
    a[8] = 0;
    a[10] = 1;
    a[12] = t->len;
    a[5] = -sum(a, 0x18);
}

static u32 le(const u8 *p, int n)
{
    u32 v = 0;
    while (n--)
        v = (v << 8) | p[n];
    return v;
}

/* Room + table, as the firmware lays them out. */
static u8 buf[SMBIOS_TYPE0_ROOM + 8192];

static void load(const struct blob *t)
{
    memset(buf, 0xCC, sizeof(buf));
    memcpy(buf + SMBIOS_TYPE0_ROOM, t->b, t->len);
}

/* The nth string of the structure at s. */
static const char *string_of(const u8 *s, int n)
{
    const char *p = (const char *)s + s[1];
    while (--n > 0)
        p += strlen(p) + 1;
    return p;
}

/* ---- tests ---- */

static void entry21_gets_table_address_count_and_both_checksums(void **state)
{
    (void)state;
    struct blob t;
    u8 a[0x1F], ep[SMBIOS_EP_MAX];
    struct smbios_layout l;
    qemu_tables(&t);
    anchor21(a, &t);
    load(&t);
    assert_true(smbios_assemble(a, sizeof(a), buf, t.len, 0x7FDE0000, &bios, ep, &l));

    assert_true(l.added_type0);
    assert_int_equal(l.ep_length, 0x1F);
    assert_int_equal(l.count, 4);
    assert_int_equal(l.table_offset + l.table_length, SMBIOS_TYPE0_ROOM + t.len);
    assert_memory_equal(ep, "_SM_", 4);
    assert_memory_equal(ep + 0x10, "_DMI_", 5);
    assert_int_equal(ep[5], 0x1F);
    assert_int_equal(ep[6], 2);                          /* version kept */
    assert_int_equal(ep[7], 8);
    assert_int_equal(ep[0x1E], 0x28);
    assert_int_equal(le(ep + 0x16, 2), l.table_length);
    assert_int_equal(le(ep + 0x18, 4), 0x7FDE0000 + l.table_offset);
    assert_int_equal(le(ep + 0x1C, 2), 4);
    assert_int_equal(le(ep + 0x08, 2), l.max_size);
    assert_int_equal(sum(ep, 0x1F), 0);
    assert_int_equal(sum(ep + 0x10, 0x0F), 0);

    /* The final table walks cleanly: 0, 1, 3, 127. */
    struct smbios_scan s;
    assert_int_equal(smbios_scan_table(buf + l.table_offset, l.table_length, &s), l.table_length);
    assert_int_equal(s.count, 4);
    assert_true(s.ended && !s.truncated && s.has_type0);
    assert_int_equal(s.max_size, l.max_size);
    assert_int_equal(buf[l.table_offset], 0);
    const u8 *t1 = buf + l.table_offset + (l.table_length - t.len);
    assert_memory_equal(t1, t.b, t.len);                 /* QEMU's bytes untouched */
    assert_string_equal(string_of(t1, t1[4]), "KelpTest");
    assert_string_equal(string_of(t1, t1[7]), "SER123");
}

static void type0_describes_the_bios(void **state)
{
    (void)state;
    struct blob t;
    u8 a[0x1F], ep[SMBIOS_EP_MAX];
    struct smbios_layout l;
    qemu_tables(&t);
    anchor21(a, &t);
    load(&t);
    assert_true(smbios_assemble(a, sizeof(a), buf, t.len, 0x100000, &bios, ep, &l));

    const u8 *t0 = buf + l.table_offset;
    assert_int_equal(t0[0], 0);
    assert_int_equal(t0[1], 0x18);
    assert_int_equal(le(t0 + 2, 2), 0);                  /* handle 0 was free */
    assert_string_equal(string_of(t0, t0[4]), "Kelp");
    assert_string_equal(string_of(t0, t0[5]), "0.1");
    assert_string_equal(string_of(t0, t0[8]), "11/25/2026");
    assert_int_equal(le(t0 + 6, 2), 0xF000);
    assert_int_equal(t0[9], 1);                          /* 128 KiB */
    assert_int_equal(le(t0 + 0x0A, 4), SMBIOS_BIOS_PCI | SMBIOS_BIOS_EDD);
    assert_int_equal(t0[0x12], SMBIOS_BIOS_EXT1_ACPI);
    assert_int_equal(t0[0x13], SMBIOS_BIOS_EXT2_VM);
    assert_int_equal(t0[0x14], 0);
    assert_int_equal(t0[0x15], 1);
    assert_int_equal(t0[0x16], 0xFF);
    assert_int_equal(t0[0x17], 0xFF);
}

static void qemu_type0_is_kept_as_is(void **state)
{
    (void)state;
    struct blob t = { .len = 0 };
    u8 a[0x1F], ep[SMBIOS_EP_MAX];
    struct smbios_layout l;
    add_struct(&t, 0, 0x000, 0x14, (const char *const[]){ "Vendor", NULL });
    add_struct(&t, 1, 0x100, 0x17, type1_strings);
    add_struct(&t, 127, 0x7F00, 0, NULL);
    anchor21(a, &t);
    load(&t);
    assert_true(smbios_assemble(a, sizeof(a), buf, t.len, 0x200000, &bios, ep, &l));
    assert_false(l.added_type0);
    assert_int_equal(l.table_offset, SMBIOS_TYPE0_ROOM);
    assert_int_equal(l.table_length, t.len);
    assert_int_equal(l.count, 3);
    assert_int_equal(le(ep + 0x18, 4), 0x200000 + SMBIOS_TYPE0_ROOM);
    assert_memory_equal(buf + SMBIOS_TYPE0_ROOM, t.b, t.len);
    assert_int_equal(buf[SMBIOS_TYPE0_ROOM - 1], 0xCC);  /* room untouched */
}

static void entry30_gets_64bit_address_and_size(void **state)
{
    (void)state;
    struct blob t;
    u8 a[0x18], ep[SMBIOS_EP_MAX];
    struct smbios_layout l;
    qemu_tables(&t);
    anchor30(a, &t);
    load(&t);
    assert_true(smbios_assemble(a, sizeof(a), buf, t.len, 0x123456780ull, &bios, ep, &l));
    assert_int_equal(l.ep_length, 0x18);
    assert_memory_equal(ep, "_SM3_", 5);
    assert_int_equal(ep[6], 0x18);
    assert_int_equal(ep[7], 3);
    assert_int_equal(le(ep + 0x0C, 4), l.table_length);
    assert_int_equal(le(ep + 0x10, 4), 0x23456780 + l.table_offset);
    assert_int_equal(le(ep + 0x14, 4), 1);
    assert_int_equal(sum(ep, 0x18), 0);
}

static void entry21_refuses_a_table_above_4gib(void **state)
{
    (void)state;
    struct blob t;
    u8 a[0x1F], ep[SMBIOS_EP_MAX];
    struct smbios_layout l;
    qemu_tables(&t);
    anchor21(a, &t);
    load(&t);
    memset(ep, 0xAB, sizeof(ep));
    assert_false(smbios_assemble(a, sizeof(a), buf, t.len, 0xFFFFFFC0u, &bios, ep, &l));
    assert_int_equal(ep[0], 0xAB);
}

static void type0_takes_a_free_handle(void **state)
{
    (void)state;
    struct blob t = { .len = 0 };
    u8 a[0x1F], ep[SMBIOS_EP_MAX];
    struct smbios_layout l;
    add_struct(&t, 1, 0x0000, 4, NULL);
    add_struct(&t, 4, 0x0401, 4, NULL);
    add_struct(&t, 127, 0x0012, 0, NULL);
    anchor21(a, &t);
    load(&t);
    assert_true(smbios_assemble(a, sizeof(a), buf, t.len, 0x100000, &bios, ep, &l));
    assert_int_equal(le(buf + l.table_offset + 2, 2), 0x0402);
}

static void bad_anchors_are_refused(void **state)
{
    (void)state;
    struct blob t;
    u8 a[0x1F], ep[SMBIOS_EP_MAX];
    struct smbios_layout l;
    qemu_tables(&t);
    load(&t);
    anchor21(a, &t);
    assert_false(smbios_assemble(a, 0x1E, buf, t.len, 0x100000, &bios, ep, &l));
    a[0x10] = 'X';
    assert_false(smbios_assemble(a, sizeof(a), buf, t.len, 0x100000, &bios, ep, &l));
    memcpy(a, "_SM4_", 5);
    assert_false(smbios_assemble(a, sizeof(a), buf, t.len, 0x100000, &bios, ep, &l));
    anchor30(a, &t);
    assert_false(smbios_assemble(a, 0x17, buf, t.len, 0x100000, &bios, ep, &l));
    assert_false(smbios_assemble(NULL, 0x20, buf, t.len, 0x100000, &bios, ep, &l));
}

static void malformed_structures_are_cut_off(void **state)
{
    (void)state;
    struct blob t;
    struct smbios_scan s;
    qemu_tables(&t);
    u32 first = add_struct(&(struct blob){ .len = 0 }, 1, 0x100, 0x17, type1_strings);

    /* Formatted length below the header size. */
    memcpy(buf, t.b, t.len);
    buf[first + 1] = 3;
    assert_int_equal(smbios_scan_table(buf, t.len, &s), first);
    assert_true(s.truncated);
    assert_int_equal(s.count, 1);

    /* Formatted area running past the end. */
    memcpy(buf, t.b, t.len);
    buf[first + 1] = 0xFF;
    assert_int_equal(smbios_scan_table(buf, first + 0x40, &s), first);
    assert_true(s.truncated);

    /* Strings never terminated. */
    memset(buf, 'x', 64);
    buf[0] = 1;
    buf[1] = 8;
    assert_int_equal(smbios_scan_table(buf, 64, &s), 0);
    assert_true(s.truncated);
    assert_int_equal(s.count, 0);

    /* Bytes after the end-of-table structure are not part of the table. */
    memcpy(buf, t.b, t.len);
    memset(buf + t.len, 0x55, 10);
    assert_int_equal(smbios_scan_table(buf, t.len + 10, &s), t.len);
    assert_true(s.ended && !s.truncated);
    assert_int_equal(s.count, 3);

    /* Tiny and empty inputs. */
    assert_int_equal(smbios_scan_table(buf, 5, &s), 0);
    assert_int_equal(smbios_scan_table(buf, 0, &s), 0);
    assert_int_equal(smbios_scan_table(NULL, 100, &s), 0);
}

static void structures_without_strings_end_with_two_nuls(void **state)
{
    (void)state;
    u8 t0[64];
    const struct smbios_bios_info none = { .vendor = "", .version = NULL };
    u32 n = smbios_build_type0(t0, sizeof(t0), 7, &none);
    assert_int_equal(n, 0x18 + 2);
    assert_int_equal(t0[4], 0);
    assert_int_equal(t0[5], 0);
    assert_int_equal(t0[8], 0);
    assert_int_equal(t0[0x18], 0);
    assert_int_equal(t0[0x19], 0);
    struct smbios_scan s;
    assert_int_equal(smbios_scan_table(t0, n, &s), n);
    assert_int_equal(s.count, 1);
}

static void type0_that_does_not_fit_is_not_written(void **state)
{
    (void)state;
    u8 t0[0x18 + 12];
    assert_int_equal(smbios_build_type0(t0, 0x19, 0, &bios), 0);
    assert_int_equal(smbios_build_type0(t0, sizeof(t0), 0, &bios), 0);
    /* Exactly enough: "Kelp\0" "0.1\0" "11/25/2026\0" + final NUL. */
    u8 big[0x18 + 5 + 4 + 11 + 1];
    assert_int_equal(smbios_build_type0(big, sizeof(big), 0, &bios), sizeof(big));
}

static u32 rng = 777;
static u32 rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Random and half-valid tables and anchors: nothing may read or write out
 * of bounds, and whatever is accepted must be self-consistent. */
static void random_input_is_handled_safely(void **state)
{
    (void)state;
    static u8 tbl[SMBIOS_TYPE0_ROOM + 600];
    for (int iter = 0; iter < 20000; iter++) {
        struct blob t;
        u8 a[SMBIOS_EP_MAX], ep[SMBIOS_EP_MAX + 8];
        struct smbios_layout l;
        qemu_tables(&t);
        u32 tlen = rnd() % 4 ? t.len : rnd() % 600;
        if (tlen > t.len)
            for (u32 i = 0; i < tlen; i++)
                t.b[i] = rnd() % 3 ? rnd() % 8 : rnd();
        else
            for (int k = rnd() % 4; k > 0; k--)
                t.b[rnd() % t.len] = rnd();
        if (rnd() % 2)
            anchor21(a, &t);
        else
            anchor30(a, &t);
        for (int k = rnd() % 3; k > 0; k--)
            a[rnd() % sizeof(a)] = rnd();
        u32 alen = rnd() % 8 ? 0x1F : rnd() % 33;
        memcpy(tbl + SMBIOS_TYPE0_ROOM, t.b, tlen);
        memset(ep + SMBIOS_EP_MAX, 0x77, 8);
        bool ok = smbios_assemble(a, alen, tbl, tlen, rnd() % 2 ? 0x7FDE0000 : 0x1FFFFF000ull,
                                  &bios, ep, &l);
        assert_memory_equal(ep + SMBIOS_EP_MAX, "\x77\x77\x77\x77\x77\x77\x77\x77", 8);
        if (!ok)
            continue;
        assert_true(l.table_offset + l.table_length <= sizeof(tbl));
        assert_int_equal(sum(ep, l.ep_length), 0);
        struct smbios_scan s;
        assert_int_equal(smbios_scan_table(tbl + l.table_offset, l.table_length, &s),
                         l.table_length);
        assert_int_equal(s.count, l.count);
    }
}

static void type0_handle_is_unique_when_handles_reach_feff(void **state)
{
    (void)state;
    struct blob t = { .len = 0 };
    u8 a[0x1F], ep[SMBIOS_EP_MAX];
    struct smbios_layout l;
    add_struct(&t, 1, 0x0000, 4, NULL);
    add_struct(&t, 3, 0xFEFF, 4, NULL);
    add_struct(&t, 127, 0x0001, 0, NULL);
    anchor21(a, &t);
    load(&t);
    assert_true(smbios_assemble(a, sizeof(a), buf, t.len, 0x100000, &bios, ep, &l));
    assert_int_equal(le(buf + l.table_offset + 2, 2), 0x0002);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(type0_handle_is_unique_when_handles_reach_feff),
        cmocka_unit_test(entry21_gets_table_address_count_and_both_checksums),
        cmocka_unit_test(type0_describes_the_bios),
        cmocka_unit_test(qemu_type0_is_kept_as_is),
        cmocka_unit_test(entry30_gets_64bit_address_and_size),
        cmocka_unit_test(entry21_refuses_a_table_above_4gib),
        cmocka_unit_test(type0_takes_a_free_handle),
        cmocka_unit_test(bad_anchors_are_refused),
        cmocka_unit_test(malformed_structures_are_cut_off),
        cmocka_unit_test(structures_without_strings_end_with_two_nuls),
        cmocka_unit_test(type0_that_does_not_fit_is_not_written),
        cmocka_unit_test(random_input_is_handled_safely),
    };
    return cmocka_run_group_tests_name("smbios", tests, NULL, NULL);
}
