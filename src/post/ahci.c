/* AHCI controllers: find them on PCI, start every port that has a drive,
 * IDENTIFY the drive and register it for INT 13h (hard disks from 80h,
 * CD-ROMs from E0h). The runtime side is hw/ahci.c. */
#include "post/post.h"
#include "post/pci.h"
#include "post/alloc.h"
#include "rtdata.h"
#include "hw/ahci.h"
#include "hw/ata.h"
#include "hw/pci.h"
#include "hw/pci_regs.h"
#include "hw/timer.h"
#include "std/ahci.h"
#include "lib/flat.h"
#include "lib/output.h"
#include "lib/string.h"

#define PCI_CLASS_STORAGE_SATA 0x0106
#define AHCI_LINK_MS  50            /* a detected drive's link comes up in ~10 ms */
#define AHCI_READY_MS 10000         /* a drive spinning up after power-on */

/* Fill d from the IDENTIFY DEVICE data; false (logged) when INT 13h
 * cannot serve the disk. */
static bool parse_identify(struct disk *d, const u16 *id, const char *who)
{
    if (!(id[49] & (1 << 9))) {
        dprintf(LOG_WARN, "%s: drive without LBA, not served\n", who);
        return false;
    }
    d->lba48 = (id[83] & (1 << 10)) != 0;
    if (d->lba48)
        d->sectors = id[100] | (u32)id[101] << 16 | (u64)id[102] << 32 | (u64)id[103] << 48;
    else
        d->sectors = id[60] | (u32)id[61] << 16;
    /* Word 106 valid (bits 15-14 = 01) with bit 12: logical sectors of
     * words 117-118 words. */
    if ((id[106] & 0xC000) == 0x4000 && (id[106] & (1 << 12))) {
        u32 bytes = (id[117] | (u32)id[118] << 16) * 2;
        if (bytes != 512) {
            dprintf(LOG_WARN, "%s: %u-byte logical sectors, not served\n", who, bytes);
            return false;
        }
    }
    if (!d->sectors) {
        dprintf(LOG_WARN, "%s: drive reports no sectors, not served\n", who);
        return false;
    }
    d->blksize = 512;
    return true;
}

/* Start one port with a drive on it and register the drive; *bounce is
 * the controller's bounce buffer, allocated with its first drive. */
static void port_init(const struct pci_device *pd, int ctl, u32 abar, int port, bool spin_up,
                      u32 *bounce)
{
    u32 p = abar + AHCI_PORT(port);
    char who[16];
    snprintf(who, sizeof(who), "ahci%d-p%d", ctl, port);

    u32 det = flat_rd32(p + AHCI_PxSSTS) & AHCI_SSTS_DET;
    if (det == AHCI_DET_PRESENT || spin_up) {
        ahci_wait(p + AHCI_PxSSTS, AHCI_SSTS_DET, AHCI_DET_LINK, AHCI_LINK_MS);
        det = flat_rd32(p + AHCI_PxSSTS) & AHCI_SSTS_DET;
    }
    if (det != AHCI_DET_LINK) {
        if (det)
            dprintf(LOG_INFO, "%s: drive without a link (DET %u), skipped\n", who, det);
        return;
    }
    if (ahci_port_stop(p)) {
        dprintf(LOG_WARN, "%s: port does not stop (PxCMD %08x), skipped\n", who,
                flat_rd32(p + AHCI_PxCMD));
        return;
    }
    if (!*bounce)
        *bounce = (u32)high_alloc(AHCI_BOUNCE_SIZE, 16);
    u32 mem = (u32)high_alloc(AHCI_MEM_SIZE, AHCI_MEM_ALIGN);
    if (!mem || !*bounce)
        return;
    flat_wr32(mem + AHCI_MEM_BOUNCE_AT, *bounce);
    flat_wr32(p + AHCI_PxCLB, mem + AHCI_MEM_CLB);
    flat_wr32(p + AHCI_PxCLBU, 0);
    flat_wr32(p + AHCI_PxFB, mem + AHCI_MEM_FIS);
    flat_wr32(p + AHCI_PxFBU, 0);
    flat_wr32(p + AHCI_PxIE, 0);
    flat_wr32(p + AHCI_PxSERR, ~0u);
    flat_wr32(p + AHCI_PxIS, ~0u);
    flat_wr32(p + AHCI_PxCMD, flat_rd32(p + AHCI_PxCMD) | AHCI_PxCMD_FRE);
    /* The drive's first register FIS (its signature) arrives once FIS
     * receive runs; commands go in when it is neither busy nor asking
     * for data. */
    if (!ahci_wait(p + AHCI_PxTFD, ATA_ST_BSY | ATA_ST_DRQ, 0, AHCI_READY_MS)) {
        dprintf(LOG_WARN, "%s: drive stays busy (status %02x), skipped\n", who,
                flat_rd32(p + AHCI_PxTFD) & 0xFF);
        ahci_port_stop(p);
        return;
    }
    u32 sig = flat_rd32(p + AHCI_PxSIG);
    if (sig != AHCI_SIG_ATA && sig != AHCI_SIG_ATAPI) {
        dprintf(LOG_INFO, "%s: device with signature %08x, not served\n", who, sig);
        ahci_port_stop(p);
        return;
    }
    flat_wr32(p + AHCI_PxCMD, flat_rd32(p + AHCI_PxCMD) | AHCI_PxCMD_ST);

    struct disk d;
    memset(&d, 0, sizeof(d));
    d.type = DISK_AHCI;
    d.ctrl = abar;
    d.priv = mem;
    d.target = port;
    d.channel = ctl;
    d.pci_bus = pd->bdf >> 8;
    d.pci_devfn = pd->bdf;
    d.atapi = sig == AHCI_SIG_ATAPI;

    static u16 ident[256];
    ahci_fis(&d, d.atapi ? ATA_CMD_IDENTIFY_PACKET : ATA_CMD_IDENTIFY, 0, 0, 0);
    ahci_prd(&d, 0, *bounce, sizeof(ident));
    int ret = ahci_exec(&d, NULL, false, 1, AHCI_CMD_MS);
    if (ret) {
        dprintf(LOG_WARN, "%s: IDENTIFY failed (status %02x), skipped\n", who, ret);
        return;
    }
    flat_copy_in(ident, *bounce, sizeof(ident));
    char model[50];
    ident_string(ident, 27, 20, model);
    if (d.atapi) {
        d.blksize = ATAPI_BLOCK;
        cd_add(&d, who, ident[0], model);
        return;
    }
    if (!parse_identify(&d, ident, who))
        return;
    if (d.lba48)
        memcpy(model + strlen(model), " (lba48)", 9);
    disk_add(&d, who, model);
}

static void controller_init(const struct pci_device *pd, int ctl)
{
    u16 bdf = pd->bdf;
    u32 bar = pci_read32(bdf, AHCI_ABAR);
    u32 abar = bar & ~0xFu;
    if ((bar & PCI_BAR_IO) || (bar & 0x6) || !abar) {
        dprintf(LOG_WARN, "ahci%d: %02x:%02x.%x has no memory BAR5 below 4 GiB (%08x), "
                "skipped\n", ctl, bdf >> 8, (bdf >> 3) & 0x1F, bdf & 7, bar);
        return;
    }
    pci_write16(bdf, PCI_COMMAND,
                pci_read16(bdf, PCI_COMMAND) | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);

    /* AHCI mode, no interrupts: the drivers poll. */
    u32 ghc = flat_rd32(abar + AHCI_GHC);
    flat_wr32(abar + AHCI_GHC, ghc | AHCI_GHC_AE);
    flat_wr32(abar + AHCI_GHC, (ghc | AHCI_GHC_AE) & ~AHCI_GHC_IE);
    u32 cap = flat_rd32(abar + AHCI_CAP), pi = flat_rd32(abar + AHCI_PI);
    u32 vs = flat_rd32(abar + AHCI_VS);
    dprintf(LOG_INFO, "ahci%d: %02x:%02x.%x %04x:%04x, AHCI %x.%x, %u ports (%08x "
            "implemented), registers at %08x\n", ctl, bdf >> 8, (bdf >> 3) & 0x1F, bdf & 7,
            pd->vendor, pd->device, vs >> 16, (vs >> 8) & 0xFF, (cap & AHCI_CAP_NP) + 1, pi,
            abar);

    /* With staggered spin-up the drives wait for PxCMD.SUD. */
    bool spin_up = cap & AHCI_CAP_SSS;
    u32 bounce = 0;
    for (int port = 0; port < AHCI_MAX_PORTS; port++) {
        u32 p = abar + AHCI_PORT(port);
        if ((pi >> port) & 1 && spin_up)
            flat_wr32(p + AHCI_PxCMD, flat_rd32(p + AHCI_PxCMD) | AHCI_PxCMD_SUD |
                      AHCI_PxCMD_POD);
    }
    for (int port = 0; port < AHCI_MAX_PORTS; port++)
        if ((pi >> port) & 1)
            port_init(pd, ctl, abar, port, spin_up, &bounce);
}

void ahci_init(void)
{
    int ctl = 0;
    if (!CONFIG_AHCI)
        return;
    for (int i = 0; i < pci_count; i++) {
        struct pci_device *pd = &pci_devices[i];
        if (pd->class != PCI_CLASS_STORAGE_SATA || pd->prog_if != AHCI_PCI_PROG_IF)
            continue;
        char who[24];
        snprintf(who, sizeof(who), "ahci %02x:%02x.%x", pd->bdf >> 8, (pd->bdf >> 3) & 31,
                 pd->bdf & 7);
        if (pci_claim_native(pd, who))
            controller_init(pd, ctl++);
    }
}
