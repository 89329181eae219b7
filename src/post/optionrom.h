/* Option ROM dispatch and the services ROMs use during POST. */
#ifndef KELP_POST_OPTIONROM_H
#define KELP_POST_OPTIONROM_H
#include "lib/types.h"
/* Build $PMM and $PnP and set up the PMM pools (after alloc_init). */
void pmm_setup(void);
/* Withdraw PMM before boot. */
void pmm_teardown(void);
/* Run the VGA ROM, then the other PCI ROMs and QEMU's genroms/. */
void optionroms_run(void);
/* Call the BCVs found in PnP headers. */
void optionroms_bcv(void);
struct pci_device;
/* The user asked for this device's ROM to run (opt/kelp/rom/BB:DD.F=on):
 * Kelp's own driver leaves the device to it. */
bool rom_forced_on(const struct pci_device *d);
#endif
