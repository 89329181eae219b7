/* Core chipset devices: interrupt controllers, timer, RTC, PM timer,
 * serial and parallel ports, shadow RAM. */
#include "post/post.h"
#include "rtdata.h"
#include "bda.h"
#include "hw/pic.h"
#include "hw/pci.h"
#include "hw/cmos.h"
#include "hw/serial.h"
#include "lib/far.h"
#include "lib/io.h"
#include "lib/string.h"
#include "lib/output.h"

extern u8 post_platform;
extern u16 post_debug_port;

#define I440FX_BDF PCI_BDF(0, 0, 0)
#define PIIX_ISA_BDF PCI_BDF(0, 1, 0)
#define PIIX_IDE_BDF PCI_BDF(0, 1, 1)
#define PIIX_PM_BDF PCI_BDF(0, 1, 3)
#define I440FX_PAM0 0x59
#define PM_BASE 0x600

void shadow_unlock(void)
{
    if (post_platform != PLATFORM_QEMU) {
        /* Xen: C0000-FFFFF is plain RAM and hvmloader put the image
         * there; the option ROM window and the RW zone start empty. */
        memset((void *)0xC0000, 0, RT_ZONE + RT_ZONE_SIZE - 0xC0000);
        return;
    }
    if (pci_read32(I440FX_BDF, 0) != 0x12378086) {
        dprintf(LOG_ERR, "no i440FX host bridge: shadow RAM not set up\n");
        return;
    }
    for (int r = 1; r < 7; r++)
        pci_write8(I440FX_BDF, I440FX_PAM0 + r, 0x33);
    /* F-segment: make it RAM and fill it from the pristine image at the
     * 4 GiB alias (QEMU does not implement the write-only PAM mode). */
    pci_write8(I440FX_BDF, I440FX_PAM0, 0x30);
    memcpy((void *)0xF0000, (void *)(0x100000000ull - 0x10000), 0x10000);
    /* After a reboot the window still holds the last boot's ROMs. */
    memset((void *)0xC0000, 0, RT_ZONE + RT_ZONE_SIZE - 0xC0000);
}

void shadow_lock(void)
{
    if (post_platform != PLATFORM_QEMU)
        return;
    asm volatile("wbinvd" ::: "memory");
    /* The F-segment and every 16 KiB chunk that holds option ROM code
     * become read-only; the RW zone's chunk (EC000-EFFFF) and the free
     * option ROM space stay writable. */
    pci_write8(I440FX_BDF, I440FX_PAM0, 0x10);
    for (u32 chunk = 0xC0000; chunk < 0xEC000; chunk += 0x4000) {
        if (chunk >= rtdata.rom_end)
            break;
        u8 reg = I440FX_PAM0 + 1 + (chunk - 0xC0000) / 0x8000;
        u8 shift = (chunk & 0x4000) ? 4 : 0;
        u8 v = pci_read8(I440FX_BDF, reg);
        pci_write8(I440FX_BDF, reg, (v & ~(0x0F << shift)) | (0x01 << shift));
    }
}

/* The local APIC in virtual-wire mode: the 8259's output reaches the CPU
 * through LINT0 (ExtINT) and NMIs through LINT1. After reset LINT0 is
 * masked, and nothing from the PIC would get through. */
#define LAPIC_BASE 0xFEE00000
#define LAPIC_SVR 0xF0
#define LAPIC_LINT0 0x350
#define LAPIC_LINT1 0x360

static void lapic_virtual_wire(void)
{
    u32 a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    if (!(d & (1 << 9)))
        return;                 /* no local APIC */
    volatile u32 *apic = (u32 *)LAPIC_BASE;
    apic[LAPIC_SVR / 4] = 0x1FF;                /* enabled, spurious vector FFh */
    apic[LAPIC_LINT0 / 4] = 0x700;              /* ExtINT */
    apic[LAPIC_LINT1 / 4] = 0x400;              /* NMI */
}

static void timers_init(void)
{
    outb(0x34, 0x43);           /* PIT ch0: lo/hi, mode 2, binary */
    outb(0x00, 0x40);
    outb(0x00, 0x40);
    cmos_write(CMOS_STATUS_A, 0x26);
    cmos_write(CMOS_STATUS_B, (cmos_read(CMOS_STATUS_B) & 0x01) | 0x02);
    cmos_read(CMOS_STATUS_C);
    cmos_read(CMOS_STATUS_D);

    if (post_platform == PLATFORM_XEN) {
        rtdata.pmtimer_port = 0xB008;
    } else if (pci_read32(PIIX_PM_BDF, 0) == 0x71138086) {
        pci_write32(PIIX_PM_BDF, 0x40, PM_BASE | 1);
        pci_write8(PIIX_PM_BDF, 0x80, pci_read8(PIIX_PM_BDF, 0x80) | 1);
        rtdata.pmtimer_port = PM_BASE + 8;
    }
}

static void ports_init(void)
{
    static const u16 com[] = { 0x3F8, 0x2F8, 0x3E8, 0x2E8 };
    static const u16 lpt[] = { 0x378, 0x278, 0x3BC };
    int ncom = 0, nlpt = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(com); i++)
        if (uart_present(com[i]))
            bda_set16(BDA_COM_BASE + 2 * ncom++, com[i]);
    for (unsigned i = 0; i < ARRAY_SIZE(lpt); i++) {
        outb(0xAA, lpt[i]);
        if (inb(lpt[i]) == 0xAA)
            bda_set16(BDA_LPT_BASE + 2 * nlpt++, lpt[i]);
    }
    bda_set16(BDA_EQUIPMENT, bda16(BDA_EQUIPMENT) | (ncom << 9) | (nlpt << 14));
}

static void ide_init(void)
{
    if (post_platform != PLATFORM_QEMU || pci_read16(PIIX_IDE_BDF, 0) != 0x8086)
        return;
    /* Legacy decode of both channels, I/O space and bus mastering on. */
    pci_write16(PIIX_IDE_BDF, 0x40, pci_read16(PIIX_IDE_BDF, 0x40) | 0x8000);
    pci_write16(PIIX_IDE_BDF, 0x42, pci_read16(PIIX_IDE_BDF, 0x42) | 0x8000);
    pci_write16(PIIX_IDE_BDF, 0x04, pci_read16(PIIX_IDE_BDF, 0x04) | 0x05);
}

void hw_init(void)
{
    rtdata.platform = post_platform;
    rtdata.debug_port = post_debug_port;
    pic_init();
    /* Also on Xen: hvmloader routes the 8259 through I/O APIC pin 0 and
     * masks LINT0; Xen takes either route, an emulated chipset only this. */
    lapic_virtual_wire();
    timers_init();
    ports_init();
    console_init();         /* the serial console */
    ide_init();
}
