/* Option ROM images as bytes: header, PCI data structure, multi-image
 * walk, PnP expansion headers. Pure functions of the bytes they are given
 * (host tests and fuzzers call them directly): every offset is checked
 * against the length before it is followed. */
#include "fw/romimage.h"
#include "lib/checksum.h"

/* A legacy image of at most avail bytes: its size and checksum. */
u32 rom_image_size(const u8 *p, u32 avail, bool want_checksum)
{
    const struct rom_header *h = (const void *)p;
    if (avail < sizeof(*h) || h->signature != ROM_SIGNATURE || !h->size)
        return 0;
    u32 size = h->size * 512u;
    if (size > avail)
        return 0;
    if (want_checksum && checksum8(p, size))
        return 0;
    return size;
}

const struct pcir *rom_pcir(const u8 *p, u32 avail)
{
    const struct rom_header *h = (const void *)p;
    if (avail < sizeof(*h))
        return NULL;
    u32 off = h->pcir_offset;
    if (!off || off + sizeof(struct pcir) > avail)
        return NULL;
    const struct pcir *r = (const void *)(p + off);
    return r->signature == PCIR_SIGNATURE ? r : NULL;
}

bool pcir_matches(const struct pcir *r, const u8 *img, u32 avail, u16 vendor, u16 device)
{
    if (r->vendor != vendor)
        return false;
    if (r->device == device)
        return true;
    if (r->revision < 3 || !r->device_list)
        return false;
    u32 off = (u32)((const u8 *)r - img) + r->device_list;
    for (int i = 0; i < 64 && off + 2 <= avail; i++, off += 2) {
        u16 id = img[off] | (img[off + 1] << 8);     /* the list may be at an odd offset */
        if (!id)
            break;
        if (id == device)
            return true;
    }
    return false;
}

/* Pick the x86 image for vendor:device in a (possibly multi-image) ROM. */
const u8 *pci_rom_select(const u8 *rom, u32 romlen, u16 vendor, u16 device, u32 *size)
{
    u32 off = 0;
    for (int n = 0; n < 8 && off < romlen; n++) {
        const u8 *img = rom + off;
        u32 avail = romlen - off;
        if (avail < sizeof(struct rom_header) || ((const struct rom_header *)img)->signature != ROM_SIGNATURE)
            break;
        const struct pcir *r = rom_pcir(img, avail);
        if (!r)
            break;
        if (r->code_type == PCIR_CODE_X86 && pcir_matches(r, img, avail, vendor, device)) {
            u32 s = rom_image_size(img, avail, true);
            /* The PCIR must lie inside the image it describes. */
            if (s && (u32)((const u8 *)r - img) + sizeof(*r) > s)
                s = 0;
            if (s) {
                *size = s;
                return img;
            }
            rom_log_bad_image(n, vendor, device);
        }
        if ((r->indicator & PCIR_LAST_IMAGE) || !r->image_length)
            break;
        off += r->image_length * 512u;
    }
    return NULL;
}

int rom_pnp_walk(const u8 *img, u32 size, struct rom_boot_vector *out, int max)
{
    if (size < sizeof(struct rom_header))
        return 0;
    u32 off = ((const struct rom_header *)img)->pnp_offset;
    int n = 0;
    /* At most 16 headers: a chain that loops or runs on is cut. */
    for (int hops = 0; hops < 16 && n < max && off && off + sizeof(struct pnp_header) <= size; hops++) {
        const struct pnp_header *h = (const void *)(img + off);
        if (h->signature != PNP_SIGNATURE)
            break;
        u16 desc = h->product < size ? h->product : 0;
        if (h->bev && h->bev < size) {
            out[n].bev = true;
            out[n].vector = h->bev;
        } else if (h->bcv && h->bcv < size) {
            out[n].bev = false;
            out[n].vector = h->bcv;
        } else {
            break;
        }
        out[n].product = desc;
        n++;
        if (h->next <= off)
            break;
        off = h->next;
    }
    return n;
}

int rom_pnp_headers(const u8 *img, u32 size)
{
    if (size < sizeof(struct rom_header))
        return 0;
    u32 off = ((const struct rom_header *)img)->pnp_offset;
    int n = 0;
    for (int hops = 0; hops < 16 && off && off + sizeof(struct pnp_header) <= size; hops++) {
        const struct pnp_header *h = (const void *)(img + off);
        if (h->signature != PNP_SIGNATURE)
            break;
        n++;
        if (h->next <= off)
            break;
        off = h->next;
    }
    return n;
}
