/* What the PCI BIOS serves from: the $PIR table, the BIOS32 "_32_" header
 * that leads protected-mode callers to the 32-bit interface, and the record
 * in the F-segment both interfaces read (rt/pcibios.h). */
#include "post/pcibios.h"
#include "post/pirtable.h"
#include "post/pci.h"
#include "post/alloc.h"
#include "rt/pcibios.h"
#include "std/pcibios.h"
#include "lib/checksum.h"
#include "lib/output.h"

static void bios32_setup(void)
{
    struct bios32_header *h = fseg_alloc(sizeof(*h), 16);
    if (!h)
        return;
    h->signature = BIOS32_SIGNATURE;
    h->entry = (u32)fx_bios32_entry;
    h->revision = 0;
    h->length = sizeof(*h) / 16;
    h->checksum = checksum_fix(h, sizeof(*h));
    dprintf(LOG_INFO, "pcibios: _32_ at %p, directory %p, $PCI entry %p\n",
            h, fx_bios32_entry, fx_pci32_entry);
}

void pcibios_setup(void)
{
    struct pcibios_info *info = &fx_pcibios_info;
    info->last_bus = pci_last_bus;
    info->pir = (u32)pirtable_build();
    bios32_setup();
}
