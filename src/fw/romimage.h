/* Option ROM images as bytes (see std/optionrom.h for the layouts). */
#ifndef KELP_ROMIMAGE_H
#define KELP_ROMIMAGE_H
#include "lib/types.h"
#include "std/optionrom.h"

/* Size of a legacy image within avail bytes (0 if not a valid image);
 * with want_checksum the bytes must also sum to zero. */
u32 rom_image_size(const u8 *p, u32 avail, bool want_checksum);
/* The image's PCI data structure, or NULL. */
const struct pcir *rom_pcir(const u8 *p, u32 avail);
/* Does the PCIR name vendor:device (directly or in a rev 3 device list)? */
bool pcir_matches(const struct pcir *r, const u8 *img, u32 avail, u16 vendor, u16 device);
/* The valid x86 image for vendor:device in a (multi-image) ROM, or NULL. */
const u8 *pci_rom_select(const u8 *rom, u32 romlen, u16 vendor, u16 device, u32 *size);
/* Logs an image that matched but failed its checks (the caller provides it). */
void rom_log_bad_image(int n, u16 vendor, u16 device);

/* A boot or connection vector from a PnP expansion header. */
struct rom_boot_vector {
    bool bev;               /* true: BEV, false: BCV */
    u16 vector;             /* offset in the image */
    u16 product;            /* offset of the product string, 0 = none */
};
/* Walk the PnP headers of an image of size bytes; returns how many
 * vectors were stored (at most max). */
int rom_pnp_walk(const u8 *img, u32 size, struct rom_boot_vector *out, int max);
/* How many "$PnP" headers the chain holds (at most 16 followed). */
int rom_pnp_headers(const u8 *img, u32 size);
#endif
