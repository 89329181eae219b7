/* Fuzz target: option ROM images (src/fw/romimage.c).
 *
 * Input: flags (u8), vendor (u16), device (u16), then the ROM bytes as a
 * PCI ROM BAR would show them. Flag bit 0 seals the checksum of every
 * image the harness can walk, so the fuzzer gets past the checksum test
 * and the oracles see images that are actually chosen.
 *
 * Checked: nothing is read outside the ROM (AddressSanitizer, exact-size
 * heap copy); the image pci_rom_select() returns starts on a 512-byte
 * boundary inside the ROM, is an x86 image for the right vendor:device,
 * fits and sums to zero; rom_pnp_walk() returns only vectors inside the
 * image, never more than asked for and no more than rom_pnp_headers()
 * counts headers. */
#include "fuzz_input.h"
#include "fw/romimage.h"
#include "lib/checksum.h"

static u16 get16(const u8 *p)
{
    return p[0] | (p[1] << 8);
}

/* Make each image (as pci_rom_select walks them) sum to zero by
 * adjusting its last byte. */
static void seal_images(u8 *rom, u32 len)
{
    u32 off = 0;
    for (int n = 0; n < 8 && off < len; n++) {
        u8 *img = rom + off;
        u32 avail = len - off;
        if (avail < sizeof(struct rom_header))
            return;
        u32 size = img[2] * 512u;
        if (size && size <= avail)
            img[size - 1] -= fz_sum8(img, size);
        u32 pcir = get16(img + 0x18);
        if (!pcir || pcir + sizeof(struct pcir) > avail)
            return;
        const u8 *r = img + pcir;
        u16 ilen = get16(r + 0x10);
        if ((r[0x15] & PCIR_LAST_IMAGE) || !ilen)
            return;
        off += ilen * 512u;
    }
}

/* Does the PCIR at r (in img, avail bytes) name vendor:device? Written
 * out again from the PCI Firmware 3.0 text, for the oracle. */
static bool names_device(const u8 *img, u32 avail, const u8 *r, u16 vendor, u16 device)
{
    if (get16(r + 4) != vendor)
        return false;
    if (get16(r + 6) == device)
        return true;
    u16 list = get16(r + 8);
    if (r[0x0C] < 3 || !list)
        return false;
    u32 at = (u32)(r - img) + list;
    for (int i = 0; i < 64 && at + 2 <= avail; i++, at += 2) {
        u16 id = get16(img + at);
        if (!id)
            break;
        if (id == device)
            return true;
    }
    return false;
}

static void check_pnp(const u8 *img, u32 size)
{
    struct rom_boot_vector v[17];
    int max = (int)(size % 17);
    memset(v, 0xEE, sizeof(v));
    int n = rom_pnp_walk(img, size, v, max);
    FUZZ_ASSERT(n >= 0 && n <= max && n <= 16);
    for (int i = 0; i < n; i++) {
        FUZZ_ASSERT(v[i].vector && v[i].vector < size);
        FUZZ_ASSERT(v[i].product < size);
    }
    /* Nothing written past what was returned. */
    for (int i = n; i < 17; i++)
        FUZZ_ASSERT(v[i].vector == 0xEEEE);
    /* Every header that gave a vector is a header; both walks are cut at
     * 16 headers. */
    int h = rom_pnp_headers(img, size);
    FUZZ_ASSERT(h >= n && h <= 16);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    u8 flags = fin_u8(&f);
    u16 vendor = fin_u16(&f), device = fin_u16(&f);
    u32 len = (u32)f.n;
    u8 *rom = fin_dup(f.p, len);
    if (flags & 1)
        seal_images(rom, len);

    u32 isize = 0x12345678;
    const u8 *img = pci_rom_select(rom, len, vendor, device, &isize);
    if (img) {
        u32 off = (u32)(img - rom);
        FUZZ_ASSERT(img >= rom && off < len && off % 512 == 0);
        FUZZ_ASSERT(isize >= 512 && isize % 512 == 0 && isize <= len - off);
        FUZZ_ASSERT(get16(img) == ROM_SIGNATURE && img[2] * 512u == isize);
        FUZZ_ASSERT(checksum8(img, isize) == 0);
        u32 pcir = get16(img + 0x18);
        FUZZ_ASSERT(pcir && pcir + sizeof(struct pcir) <= len - off);
        const u8 *r = img + pcir;
        FUZZ_ASSERT(!memcmp(r, "PCIR", 4) && r[0x14] == PCIR_CODE_X86);
        FUZZ_ASSERT(names_device(img, len - off, r, vendor, device));
    } else {
        FUZZ_ASSERT(isize == 0x12345678);
    }

    /* Each function on its own, at every 512-byte step of the ROM, with
     * every length up to what is there (short lengths included). */
    for (u32 off = 0; off < len; off += 512) {
        const u8 *p = rom + off;
        u32 avail = len - off;
        u32 lens[3] = { avail, avail % 64, avail > 512 ? 512 : avail };
        for (int k = 0; k < 3; k++) {
            u32 a = lens[k];
            u32 s1 = rom_image_size(p, a, false);
            u32 s2 = rom_image_size(p, a, true);
            FUZZ_ASSERT(s1 <= a && s2 <= a && s1 % 512 == 0);
            FUZZ_ASSERT(!s2 || (s2 == s1 && checksum8(p, s2) == 0));
            const struct pcir *r = rom_pcir(p, a);
            if (r) {
                const u8 *rb = (const u8 *)r;
                FUZZ_ASSERT(rb > p && rb + sizeof(*r) <= p + a);
                FUZZ_ASSERT(!memcmp(rb, "PCIR", 4));
                bool m = pcir_matches(r, p, a, vendor, device);
                FUZZ_ASSERT(m == names_device(p, a, rb, vendor, device));
            }
            check_pnp(p, a);
        }
    }
    free(rom);
    return 0;
}
