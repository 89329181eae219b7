/*
 * Body of the PCI BIOS probe disk (pciprobe.img, built by pci.mk): the
 * probe's entry and output helpers around probe_pci() alone.  It has an
 * image of its own because the main probe fills the 32 KiB its boot
 * sector loads.
 */
#include "probe.h"
#include "probe_pci.h"

u8 probe_boot_drive;

void probe_main(void)
{
    P("begin=1");
    P("boot.dl=%02x", probe_boot_drive);
    probe_pci();
    P("done=1");
}
