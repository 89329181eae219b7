/* Unit tests for src/fw/romimage.c: legacy image sizes and checksums, the
 * PCI data structure, choosing the x86 image of a multi-image ROM, and the
 * PnP expansion header chain. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fw/romimage.h"

/* The firmware logs images that matched but failed their checks. */
static int bad_images, last_bad;
void rom_log_bad_image(int n, u16 vendor, u16 device)
{
    (void)vendor;
    (void)device;
    bad_images++;
    last_bad = n;
}

/* ---- building ROMs ---- */

#define SECTOR 512
static u8 rom[16 * SECTOR];

static void put16(u8 *p, u16 v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static u8 sum(const u8 *p, u32 n)
{
    u8 s = 0;
    while (n--)
        s += *p++;
    return s;
}

/* Make the image sum to zero through its last byte. */
static void seal(u8 *img)
{
    u32 size = img[2] * SECTOR;
    img[size - 1] = 0;
    img[size - 1] = -sum(img, size);
}

struct img_opts {
    u16 vendor, device;
    u8 sectors;
    u8 code_type;
    bool last;
    u8 revision;
    u16 device_list;            /* offset from the PCIR */
};

/* A legacy image at p: header, PCIR at 1Ch, sealed. */
static u8 *image(u8 *p, struct img_opts o)
{
    u8 sectors = o.sectors ? o.sectors : 1;
    memset(p, 0, sectors * SECTOR);
    p[0] = 0x55;
    p[1] = 0xAA;
    p[2] = sectors;
    p[3] = 0xCB;
    put16(p + 0x18, 0x1C);
    u8 *r = p + 0x1C;
    memcpy(r, "PCIR", 4);
    put16(r + 4, o.vendor);
    put16(r + 6, o.device);
    put16(r + 8, o.device_list);
    put16(r + 0x0A, 0x1C);
    r[0x0C] = o.revision;
    put16(r + 0x10, sectors);
    r[0x14] = o.code_type;
    r[0x15] = o.last ? 0x80 : 0;
    seal(p);
    return p;
}

static const u8 *choose(u32 len, u16 vendor, u16 device, u32 *size)
{
    *size = 0;
    return pci_rom_select(rom, len, vendor, device, size);
}

static int setup(void **state)
{
    (void)state;
    memset(rom, 0, sizeof(rom));
    bad_images = 0;
    last_bad = -1;
    return 0;
}

/* ---- sizes and checksums ---- */

static void legacy_image_with_valid_checksum_has_its_size(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .vendor = 0x8086, .device = 0x100E, .sectors = 3, .last = true });
    assert_int_equal(rom_image_size(rom, sizeof(rom), true), 3 * SECTOR);
    assert_int_equal(rom_image_size(rom, 3 * SECTOR, true), 3 * SECTOR);
}

static void image_longer_than_what_was_read_is_refused(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .sectors = 3, .last = true });
    assert_int_equal(rom_image_size(rom, 3 * SECTOR - 1, false), 0);
    assert_int_equal(rom_image_size(rom, 2, false), 0);
}

static void bad_checksum_is_refused_only_when_checked(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .sectors = 2, .last = true });
    rom[100] ^= 0x40;
    assert_int_equal(rom_image_size(rom, sizeof(rom), true), 0);
    assert_int_equal(rom_image_size(rom, sizeof(rom), false), 2 * SECTOR);
}

static void missing_signature_or_zero_size_is_not_an_image(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .last = true });
    rom[0] = 0x56;
    assert_int_equal(rom_image_size(rom, sizeof(rom), false), 0);
    image(rom, (struct img_opts){ .last = true });
    rom[2] = 0;
    assert_int_equal(rom_image_size(rom, sizeof(rom), false), 0);
}

/* ---- the PCI data structure ---- */

static void pcir_past_the_end_is_not_found(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .last = true });
    assert_non_null(rom_pcir(rom, SECTOR));
    assert_null(rom_pcir(rom, 0x1C + 0x1B));             /* one byte short */
    put16(rom + 0x18, SECTOR - 8);
    assert_null(rom_pcir(rom, SECTOR));
    put16(rom + 0x18, 0);
    assert_null(rom_pcir(rom, SECTOR));
}

/* Found by fuzzing: the header's own fields were read before the length
 * was checked. */
static void header_shorter_than_its_fields_has_no_pcir(void **state)
{
    (void)state;
    static const u8 three[3] = { 0x55, 0xAA, 0x01 };
    assert_null(rom_pcir(three, sizeof(three)));
    assert_null(rom_pcir(rom, 0));
}

static void pcir_without_its_signature_is_not_found(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .last = true });
    rom[0x1C] = 'X';
    assert_null(rom_pcir(rom, SECTOR));
}

/* ---- matching a device ---- */

static void pcir_device_matches_directly(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .vendor = 0x1234, .device = 0x1111, .last = true });
    const struct pcir *r = rom_pcir(rom, SECTOR);
    assert_true(pcir_matches(r, rom, SECTOR, 0x1234, 0x1111));
    assert_false(pcir_matches(r, rom, SECTOR, 0x1234, 0x1112));
    assert_false(pcir_matches(r, rom, SECTOR, 0x1235, 0x1111));
}

static void device_list_in_pcir_rev3_matches(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .vendor = 0x1AF4, .device = 0x1000, .revision = 3,
                                  .device_list = 0x40, .last = true });
    u8 *list = rom + 0x1C + 0x40;
    put16(list, 0x1041);
    put16(list + 2, 0x1001);
    put16(list + 4, 0);
    put16(list + 6, 0x1099);                             /* after the end marker */
    seal(rom);
    const struct pcir *r = rom_pcir(rom, SECTOR);
    assert_true(pcir_matches(r, rom, SECTOR, 0x1AF4, 0x1001));
    assert_true(pcir_matches(r, rom, SECTOR, 0x1AF4, 0x1041));
    assert_false(pcir_matches(r, rom, SECTOR, 0x1AF4, 0x1099));
    assert_false(pcir_matches(r, rom, SECTOR, 0x8086, 0x1001));   /* vendor first */
    u32 size;
    assert_ptr_equal(choose(SECTOR, 0x1AF4, 0x1001, &size), rom);
    assert_int_equal(size, SECTOR);
}

/* Found by fuzzing: the list was read as aligned 16-bit words. */
static void device_list_at_an_odd_offset_matches(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .vendor = 0x1AF4, .device = 0x1000, .revision = 3,
                                  .device_list = 0x41, .last = true });
    put16(rom + 0x1C + 0x41, 0x1001);
    seal(rom);
    assert_true(pcir_matches(rom_pcir(rom, SECTOR), rom, SECTOR, 0x1AF4, 0x1001));
}

static void device_list_ignored_before_rev3(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .vendor = 0x1AF4, .device = 0x1000, .revision = 0,
                                  .device_list = 0x40, .last = true });
    put16(rom + 0x1C + 0x40, 0x1001);
    seal(rom);
    assert_false(pcir_matches(rom_pcir(rom, SECTOR), rom, SECTOR, 0x1AF4, 0x1001));
}

static void device_list_running_off_the_image_stops_there(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .vendor = 0x1AF4, .device = 0x1000, .revision = 3,
                                  .device_list = SECTOR - 0x1C - 2, .last = true });
    put16(rom + SECTOR - 2, 0x1005);                     /* last word, no end marker */
    const struct pcir *r = rom_pcir(rom, SECTOR);
    assert_true(pcir_matches(r, rom, SECTOR, 0x1AF4, 0x1005));
    assert_false(pcir_matches(r, rom, SECTOR - 1, 0x1AF4, 0x1005));
}

/* ---- choosing the image ---- */

static void efi_image_is_never_chosen(void **state)
{
    (void)state;
    u32 size;
    image(rom, (struct img_opts){ .vendor = 0x8086, .device = 0x100E, .code_type = 3, .last = true });
    assert_null(choose(sizeof(rom), 0x8086, 0x100E, &size));
    /* EFI first, then the x86 image: the x86 one. */
    image(rom, (struct img_opts){ .vendor = 0x8086, .device = 0x100E, .code_type = 3 });
    image(rom + SECTOR, (struct img_opts){ .vendor = 0x8086, .device = 0x100E, .sectors = 2,
                                           .last = true });
    assert_ptr_equal(choose(sizeof(rom), 0x8086, 0x100E, &size), rom + SECTOR);
    assert_int_equal(size, 2 * SECTOR);
    assert_int_equal(bad_images, 0);
}

static void image_for_another_device_is_skipped(void **state)
{
    (void)state;
    u32 size;
    image(rom, (struct img_opts){ .vendor = 0x10EC, .device = 0x8139 });
    image(rom + SECTOR, (struct img_opts){ .vendor = 0x10EC, .device = 0x8029, .last = true });
    assert_ptr_equal(choose(sizeof(rom), 0x10EC, 0x8029, &size), rom + SECTOR);
    assert_ptr_equal(choose(sizeof(rom), 0x10EC, 0x8139, &size), rom);
    assert_null(choose(sizeof(rom), 0x10EC, 0x1234, &size));
}

static void last_image_flag_ends_the_walk(void **state)
{
    (void)state;
    u32 size;
    image(rom, (struct img_opts){ .vendor = 0x1000, .device = 1, .last = true });
    image(rom + SECTOR, (struct img_opts){ .vendor = 0x1000, .device = 2, .last = true });
    assert_null(choose(sizeof(rom), 0x1000, 2, &size));
}

static void zero_image_length_ends_the_walk(void **state)
{
    (void)state;
    u32 size;
    image(rom, (struct img_opts){ .vendor = 0x1000, .device = 1 });
    put16(rom + 0x1C + 0x10, 0);
    seal(rom);
    image(rom + SECTOR, (struct img_opts){ .vendor = 0x1000, .device = 2, .last = true });
    assert_null(choose(sizeof(rom), 0x1000, 2, &size));
}

static void image_past_the_rom_is_not_read(void **state)
{
    (void)state;
    u32 size;
    image(rom, (struct img_opts){ .vendor = 0x1000, .device = 1 });
    image(rom + SECTOR, (struct img_opts){ .vendor = 0x1000, .device = 2, .last = true });
    assert_null(choose(SECTOR + 0x1C, 0x1000, 2, &size));       /* no room for its PCIR */
    assert_null(choose(SECTOR + 0x100, 0x1000, 2, &size));      /* PCIR there, image cut */
    assert_int_equal(bad_images, 1);
    assert_int_equal(size, 0);
}

static void bad_image_is_logged_and_the_walk_goes_on(void **state)
{
    (void)state;
    u32 size;
    image(rom, (struct img_opts){ .vendor = 0x1000, .device = 7 });
    rom[200] ^= 1;                                        /* checksum broken */
    image(rom + SECTOR, (struct img_opts){ .vendor = 0x1000, .device = 7, .last = true });
    assert_ptr_equal(choose(sizeof(rom), 0x1000, 7, &size), rom + SECTOR);
    assert_int_equal(bad_images, 1);
    assert_int_equal(last_bad, 0);
}

static void walk_stops_after_eight_images(void **state)
{
    (void)state;
    u32 size;
    for (int i = 0; i < 9; i++)
        image(rom + i * SECTOR, (struct img_opts){ .vendor = 0x1000, .device = 0x100 + i,
                                                   .last = i == 8 });
    assert_ptr_equal(choose(sizeof(rom), 0x1000, 0x107, &size), rom + 7 * SECTOR);
    assert_null(choose(sizeof(rom), 0x1000, 0x108, &size));
}

/* ---- PnP expansion headers ---- */

static void pnp_header(u8 *img, u16 at, u16 next, u16 bcv, u16 bev, u16 product)
{
    u8 *h = img + at;
    memset(h, 0, 0x20);
    memcpy(h, "$PnP", 4);
    h[4] = 1;
    h[5] = 2;
    put16(h + 6, next);
    put16(h + 0x10, product);
    put16(h + 0x16, bcv);
    put16(h + 0x1A, bev);
}

static void pnp_bev_and_bcv_are_collected_in_order(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .last = true });
    put16(rom + 0x1A, 0x40);
    pnp_header(rom, 0x40, 0x60, 0, 0x180, 0x1E0);
    pnp_header(rom, 0x60, 0x80, 0x190, 0, 0);
    pnp_header(rom, 0x80, 0, 0x1A0, 0x1B0, 0);           /* both: the BEV counts */
    struct rom_boot_vector v[4];
    assert_int_equal(rom_pnp_walk(rom, SECTOR, v, 4), 3);
    assert_true(v[0].bev);
    assert_int_equal(v[0].vector, 0x180);
    assert_int_equal(v[0].product, 0x1E0);
    assert_false(v[1].bev);
    assert_int_equal(v[1].vector, 0x190);
    assert_int_equal(v[1].product, 0);
    assert_true(v[2].bev);
    assert_int_equal(v[2].vector, 0x1B0);
}

static void pnp_chain_that_loops_is_cut(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .last = true });
    put16(rom + 0x1A, 0x60);
    pnp_header(rom, 0x60, 0x40, 0x180, 0, 0);            /* points back */
    pnp_header(rom, 0x40, 0x60, 0x190, 0, 0);
    struct rom_boot_vector v[16];
    assert_int_equal(rom_pnp_walk(rom, SECTOR, v, 16), 1);
    /* A chain to itself ends too. */
    pnp_header(rom, 0x60, 0x60, 0x180, 0, 0);
    assert_int_equal(rom_pnp_walk(rom, SECTOR, v, 16), 1);
}

static void pnp_chain_is_cut_after_sixteen_headers(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .sectors = 2, .last = true });
    put16(rom + 0x1A, 0x40);
    for (int i = 0; i < 20; i++)
        pnp_header(rom, 0x40 + 0x20 * i, 0x60 + 0x20 * i, 0x3F0, 0, 0);
    struct rom_boot_vector v[32];
    assert_int_equal(rom_pnp_walk(rom, 2 * SECTOR, v, 32), 16);
    assert_int_equal(rom_pnp_walk(rom, 2 * SECTOR, v, 5), 5);
}

static void pnp_header_without_vectors_ends_the_walk(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .last = true });
    put16(rom + 0x1A, 0x40);
    pnp_header(rom, 0x40, 0x60, 0, 0, 0);
    pnp_header(rom, 0x60, 0, 0x180, 0, 0);
    struct rom_boot_vector v[4];
    assert_int_equal(rom_pnp_walk(rom, SECTOR, v, 4), 0);
}

static void pnp_vectors_outside_the_image_are_ignored(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .last = true });
    put16(rom + 0x1A, 0x40);
    pnp_header(rom, 0x40, 0, 0x100, SECTOR, SECTOR + 4);  /* BEV and product outside */
    struct rom_boot_vector v[4];
    assert_int_equal(rom_pnp_walk(rom, SECTOR, v, 4), 1);
    assert_false(v[0].bev);                               /* falls back to the BCV */
    assert_int_equal(v[0].vector, 0x100);
    assert_int_equal(v[0].product, 0);
}

static void pnp_header_past_the_image_or_without_signature_is_not_read(void **state)
{
    (void)state;
    image(rom, (struct img_opts){ .last = true });
    put16(rom + 0x1A, SECTOR - 0x10);
    struct rom_boot_vector v[4];
    assert_int_equal(rom_pnp_walk(rom, SECTOR, v, 4), 0);
    put16(rom + 0x1A, 0x40);
    pnp_header(rom, 0x40, 0, 0x100, 0, 0);
    rom[0x40] = '#';
    assert_int_equal(rom_pnp_walk(rom, SECTOR, v, 4), 0);
    assert_int_equal(rom_pnp_walk(rom, 0x10, v, 4), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, setup)
        T(legacy_image_with_valid_checksum_has_its_size),
        T(image_longer_than_what_was_read_is_refused),
        T(bad_checksum_is_refused_only_when_checked),
        T(missing_signature_or_zero_size_is_not_an_image),
        T(pcir_past_the_end_is_not_found),
        T(header_shorter_than_its_fields_has_no_pcir),
        T(pcir_without_its_signature_is_not_found),
        T(pcir_device_matches_directly),
        T(device_list_in_pcir_rev3_matches),
        T(device_list_at_an_odd_offset_matches),
        T(device_list_ignored_before_rev3),
        T(device_list_running_off_the_image_stops_there),
        T(efi_image_is_never_chosen),
        T(image_for_another_device_is_skipped),
        T(last_image_flag_ends_the_walk),
        T(zero_image_length_ends_the_walk),
        T(image_past_the_rom_is_not_read),
        T(bad_image_is_logged_and_the_walk_goes_on),
        T(walk_stops_after_eight_images),
        T(pnp_bev_and_bcv_are_collected_in_order),
        T(pnp_chain_that_loops_is_cut),
        T(pnp_chain_is_cut_after_sixteen_headers),
        T(pnp_header_without_vectors_ends_the_walk),
        T(pnp_vectors_outside_the_image_are_ignored),
        T(pnp_header_past_the_image_or_without_signature_is_not_read),
    };
    return cmocka_run_group_tests_name("romimage", tests, NULL, NULL);
}
