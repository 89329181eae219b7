/* Option ROM dispatch and the services ROMs use during POST. */
#ifndef KELP_POST_OPTIONROM_H
#define KELP_POST_OPTIONROM_H
/* Build $PMM and $PnP and set up the PMM pools (after alloc_init). */
void pmm_setup(void);
/* Withdraw PMM before boot. */
void pmm_teardown(void);
/* Run the VGA ROM, then the other PCI ROMs and QEMU's genroms/. */
void optionroms_run(void);
/* Call the BCVs found in PnP headers. */
void optionroms_bcv(void);
#endif
