/* POST: the whole power-on sequence, top to bottom. */
#include "post/post.h"
#include "rtdata.h"
#include "post/alloc.h"
#include "post/pcibios.h"
#include "post/optionrom.h"
#include "fw/acpi.h"
#include "fw/smbios.h"
#include "fw/mptable.h"
#include "fw/xen.h"
#include "lib/output.h"
#include "lib/string.h"
#include "lib/io.h"

static u64 post_t0;

void post_phase(const char *name)
{
    u64 now = rdtsc();
    dprintf(LOG_INFO, "[%8u] %s\n", (u32)((now - post_t0) >> 10), name);
}

void post_main(void)
{
    post_t0 = rdtsc();
    platform_init();        /* QEMU or Xen, debug port */
    dprintf(LOG_INFO, "Kelp BIOS (built " BIOS_DATE ")\n");
    resume_clear();         /* a later reset is a reset, not an S3 wake-up */
    post_phase("shadow");
    shadow_unlock();        /* C0000-FFFFF writable RAM holding our image */
    ivt_init();
    bda_init();             /* BDA and EBDA */
    post_phase("hardware");
    hw_init();              /* PIC, PIT, RTC, serial, PM timer */
    post_phase("memory");
    memmap_init();          /* E820 from fw_cfg / CMOS / hvmloader */
    alloc_init();           /* F-segment pool and high table zone */
    post_phase("pci");
    if (rtdata.platform == PLATFORM_QEMU) {
        pci_setup();        /* buses, BARs, windows, interrupt routing */
        pcibios_setup();    /* $PIR, BIOS32 directory, PCI BIOS data */
        post_phase("tables");
        acpi_setup();       /* QEMU's ACPI tables through the table loader */
        smbios_setup();     /* SMBIOS structures and entry point */
        mptable_setup();    /* MP 1.4 tables when there are several CPUs */
    } else {
        pci_scan();         /* Xen: PCI exactly as hvmloader left it */
        pcibios_setup();    /* $PIR from Xen's real wiring */
        xen_tables_setup(); /* hvmloader's ACPI, SMBIOS and MP entry points */
    }
    post_phase("keyboard");
    kbd_init();
    post_phase("disks");
    disks_init();
    floppy_init();
    post_phase("option ROMs");
    pic_open_irqs();        /* ROMs wait on the timer and keyboard */
    pmm_setup();
    memmap_publish();       /* ROMs may ask INT 15h for the memory map */
    optionroms_run();       /* VGA first, then the others */
    optionroms_bcv();       /* ROM disks after the BIOS's own */
    bootlist_add_hd();
    pmm_teardown();
    alloc_finalize();
    memmap_finalize();
    post_phase("boot");
    shadow_lock();
    acpi_pm_setup();        /* for S3 resume, reset, power-off: FACS, PAM, FADT */
    boot_start();
}
