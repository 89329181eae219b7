/* xen-sim: the hand-off sequence of Xen's hvmloader for a SeaBIOS-type
 * BIOS (xen: tools/firmware/hvmloader/hvmloader.c main(), seabios.c),
 * replayed on QEMU -M pc. See xen/README.md for what is and is not
 * reproduced. */
#include "xsim.h"

#define E820_RAM      1
#define E820_RESERVED 2
#define E820_NVS      4

struct e820 {
    u64 base, length;
    u32 type;
} PACKED;

struct info {
    char signature[14];
    u8 length;
    u8 checksum;
    u32 tables;
    u32 tables_nr;
    u32 e820;
    u32 e820_nr;
} PACKED;

static struct info *const info = (struct info *)INFO_ADDR;

/* QEMU's RAM layout, from fw_cfg etc/e820. */
static u32 qemu_low_end;
static u64 qemu_high_end;

static bool option_on(const char *name, bool def)
{
    const char *v = fwcfg_option(name, def ? "1" : "0");
    return !(v[0] == '0' || !strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "n"));
}

static void read_qemu_ram(void)
{
    u16 sel;
    int size = fwcfg_find("etc/e820", &sel);
    static struct e820 map[32];
    if (size <= 0 || (u32)size > sizeof(map))
        fail("fw_cfg etc/e820 missing\n");
    fwcfg_read(sel, map, size);
    for (u32 i = 0; i < (u32)size / sizeof(map[0]); i++) {
        if (map[i].type != E820_RAM)
            continue;
        u64 end = map[i].base + map[i].length;
        if (map[i].base < 0x100000000ull && end <= 0x100000000ull) {
            if (end > qemu_low_end)
                qemu_low_end = (u32)end;
        } else if (end > qemu_high_end) {
            qemu_high_end = end;
        }
    }
    if (qemu_low_end < 16u << 20)
        fail("needs at least 16 MiB of RAM below 4 GiB\n");
}

/* hvm_info_table at 0x9F800: written by the toolstack (libxc) before
 * hvmloader runs; the simulator plays both parts. */
static void write_hvm_info(u32 vcpus, bool apic_mode, u32 low_end, u64 high_end)
{
    u8 *t = (u8 *)HVM_INFO_ADDR;
    memset(t, 0, 48);
    memcpy(t, "HVM INFO", 8);
    *(u32 *)(t + 8) = 48;
    t[13] = apic_mode;
    *(u32 *)(t + 16) = vcpus;
    *(u32 *)(t + 20) = low_end >> 12;
    *(u32 *)(t + 24) = 0xFEFF8;                 /* special pages */
    *(u32 *)(t + 28) = (u32)(high_end >> 12);
    for (u32 i = 0; i < vcpus && i < 128; i++)
        t[32 + i / 8] |= 1 << (i % 8);
    t[12] = -checksum8(t, 48);
}

static void ioapic_write(u32 reg, u32 v)
{
    wr32(IOAPIC_BASE, reg);
    wr32(IOAPIC_BASE + 0x10, v);
}

/* hvmloader's apic_setup(): NMIs straight to the BSP, the 8259 through
 * I/O APIC pin 0 (ExtINT) with LVT0 masked. Note the ID write: hvmloader
 * writes the plain value 1 to the ID register, whose ID field is bits
 * 24-27, so the chip keeps ID 0 (on Xen as on QEMU) while the MP and ACPI
 * tables say 1. The same value is written here.
 *
 * On QEMU nothing drives I/O APIC pin 0 (QEMU routes ISA IRQ 0 to pin 2
 * and does not wire the 8259's output to the I/O APIC), so with this
 * state no 8259 interrupt reaches the CPU, whereas Xen's virtual wire
 * still delivers them (its vlapic accepts 8259 interrupts when I/O APIC
 * pin 0 is an unmasked ExtINT aimed at the BSP). opt/xen-sim/lvt0=extint
 * leaves LVT0 unmasked instead, which gives QEMU Xen's behaviour. */
static void apic_setup(bool lvt0_open)
{
    volatile u32 *lapic = (volatile u32 *)LAPIC_BASE;
    ioapic_write(0x00, IOAPIC_ID);
    lapic[0xF0 / 4] = 0x100 | 0xFF;             /* SVR: enabled, vector FFh */
    lapic[0x350 / 4] = 0x700 | (lvt0_open ? 0 : 0x10000);   /* LVT0 ExtINT */
    lapic[0x360 / 4] = 0x400;                   /* LVT1 NMI */
    ioapic_write(0x10, 0x700);                  /* pin 0: ExtINT, unmasked */
    ioapic_write(0x11, 0 << 24);                /* to APIC ID 0, the BSP */
    log("APIC: LVT0 %s, I/O APIC pin 0 ExtINT\n",
        lvt0_open ? "ExtINT unmasked (opt/xen-sim/lvt0=extint)" : "ExtINT masked");
}

/* hvmloader's cacheattr_init() on the BSP: WB by default, the legacy
 * ranges fixed, UC over the PCI holes. QEMU's APs keep their reset MTRRs
 * (they are not started). */
static void mtrr_setup(void)
{
    u32 a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    if (!(d & (1u << 12)))
        return;
    cpuid(0x80000000, &a, &b, &c, &d);
    unsigned bits = 36;
    if (a >= 0x80000008) {
        cpuid(0x80000008, &a, &b, &c, &d);
        bits = a & 0xFF;
    }
    u64 addr_mask = ((1ull << bits) - 1) & ~0xFFFull;
    u64 cap = rdmsr(0xFE);
    u64 def = (1u << 11) | 6;
    if (cap & (1u << 8)) {
        u64 wb = 0x0606060606060606ull;
        wrmsr(0x250, wb);
        wrmsr(0x258, wb);
        wrmsr(0x259, (cap & (1u << 10)) ? 0x0101010101010101ull : wb);
        for (u32 i = 0; i < 8; i++)
            wrmsr(0x268 + i, wb);
        def |= 1u << 10;
    }
    unsigned nvar = cap & 0xFF, i = 0;
    for (u64 base = pci_mem_start; !(base >> 32) && i < nvar; i++) {
        u64 size = 0x1000;
        while (!(base & size))
            size <<= 1;
        while ((base + size - 1) >> 32)
            size >>= 1;
        wrmsr(0x200 + 2 * i, base);
        wrmsr(0x201 + 2 * i, (~(size - 1) & addr_mask) | (1u << 11));
        base += size;
    }
    for (u64 base = pci_hi_mem_start; base != pci_hi_mem_end && i < nvar; i++) {
        u64 size = 0x1000;
        while (!(base & size))
            size <<= 1;
        while (base + size > pci_hi_mem_end)
            size >>= 1;
        wrmsr(0x200 + 2 * i, base);
        wrmsr(0x201 + 2 * i, (~(size - 1) & addr_mask) | (1u << 11));
        base += size;
    }
    wrmsr(0x2FF, def);
}

/* CPU MHz for SMBIOS type 4: TSC against the ACPI PM timer (now at
 * 0xB008), over about 10 ms. */
static u32 cpu_mhz(void)
{
    u32 t0 = inl(PM_IO_BASE + 8) & 0xFFFFFF, t;
    u64 c0 = rdtsc();
    do
        t = inl(PM_IO_BASE + 8) & 0xFFFFFF;
    while (((t - t0) & 0xFFFFFF) < 35795);
    u64 cycles = rdtsc() - c0;
    return (u32)udiv64(cycles, 10000);
}

static void add_table(u32 addr)
{
    u32 *list = (u32 *)info->tables;
    if (info->tables_nr >= 4)
        fail("more than 4 tables\n");
    list[info->tables_nr++] = addr;
}

static void load_bios(u32 *load_addr)
{
    u16 sel;
    int size = fwcfg_find("opt/xen-sim/bios", &sel);
    if (size <= 0)
        fail("no BIOS image: pass -fw_cfg name=opt/xen-sim/bios,file=PATH\n");
    /* hvmloader copies first and complains afterwards (seabios_setup_e820
     * BUGs below C0000); refusing first keeps low memory intact. */
    if ((u32)size > BIOS_MAX)
        fail("BIOS image of %d bytes: hvmloader takes at most 256 KiB\n", size);
    /* Under Xen C0000-FFFFF is plain RAM. On QEMU the i440FX PAM registers
     * must say so: read and write to DRAM for all seven. */
    pci_write8(HOST_DEVFN, 0x59, 0x30);
    for (u32 r = 0x5A; r <= 0x5F; r++)
        pci_write8(HOST_DEVFN, r, 0x33);
    *load_addr = BIOS_TOP - size;
    fwcfg_read(sel, (void *)*load_addr, size);
    log("BIOS image: %d bytes at %x-%x\n", size, *load_addr, BIOS_TOP - 1);
}

/* SCI_EN on, as hvmloader's acpi_enable_sci() does through the PIIX4
 * SMI command port. */
static void acpi_enable_sci(void)
{
    if (!(inb(PM_IO_BASE + 4) & 1))
        outb(0xB2, 0xF1);
    if (!(inb(PM_IO_BASE + 4) & 1))
        fail("SCI_EN did not come on\n");
}

static void cmos_write(u8 idx, u8 v)
{
    outb(0x70, idx);
    outb(0x71, v);
}

/* cmos_write_memory_size(): 640 KiB base; KiB above 1 MiB (capped); 64 KiB
 * units above 16 MiB. Not 0x5B-0x5D. */
static void cmos_memory(u32 low_end)
{
    u32 ext = low_end > 0x100000 ? (low_end - 0x100000) >> 10 : 0;
    u32 alt = low_end > 0x1000000 ? (low_end - 0x1000000) >> 16 : 0;
    if (ext > 0xFFFF)
        ext = 0xFFFF;
    cmos_write(0x15, 640 & 0xFF);
    cmos_write(0x16, 640 >> 8);
    cmos_write(0x17, ext);
    cmos_write(0x18, ext >> 8);
    cmos_write(0x30, ext);
    cmos_write(0x31, ext >> 8);
    cmos_write(0x34, alt);
    cmos_write(0x35, alt >> 8);
}

static u32 e820_add(struct e820 *map, u32 n, u64 base, u64 end, u32 type)
{
    if (end <= base)
        return n;
    map[n].base = base;
    map[n].length = end - base;
    map[n].type = type;
    return n + 1;
}

/* build_e820_table(e820, 0, bios_load_addr) plus the ACPI NVS split:
 * here the table area at the top of QEMU's low RAM stands for Xen's
 * FC000000 region, and FC000000-4G stays reserved as on Xen. */
static void setup_e820(u32 load_addr, u32 low_end, bool acpi)
{
    struct e820 *map = scratch_alloc(16 * sizeof(struct e820), 16);
    u32 n = 0;
    n = e820_add(map, n, 0, 0xA0000, E820_RAM);
    n = e820_add(map, n, load_addr, BIOS_TOP, E820_RESERVED);
    n = e820_add(map, n, BIOS_TOP, low_end, E820_RAM);
    u32 nvs_end = area_base;
    if (acpi) {
        nvs_end = ALIGN_UP(acpi_top ? acpi_top : area_base + AREA_ACPI_OFF, 0x1000);
        n = e820_add(map, n, area_base, nvs_end, E820_NVS);
    }
    n = e820_add(map, n, nvs_end, qemu_low_end, E820_RESERVED);
    n = e820_add(map, n, XEN_RESERVED, 0x100000000ull, E820_RESERVED);
    if (qemu_high_end)
        n = e820_add(map, n, 0x100000000ull, qemu_high_end, E820_RAM);
    info->e820 = (u32)map;
    info->e820_nr = n;
    for (u32 i = 0; i < n; i++)
        log("e820: %llx-%llx type %u\n", map[i].base, map[i].base + map[i].length - 1,
            map[i].type);
}

void xsim_main(void)
{
    log("hvmloader stand-in starting\n");
    /* hvmloader fills its hypercall page with RET before Xen fills it in;
     * without Xen the RETs stay. */
    memset((void *)HYPERCALL_PAGE, 0xC3, 0x1000);

    if (!fwcfg_init())
        fail("QEMU fw_cfg not found: run this as QEMU's -bios\n");
    bool apic_mode = option_on("apic-mode", true);
    bool acpi = option_on("acpi", true);
    bool lvt0_open = !strcmp(fwcfg_option("lvt0", "masked"), "extint");

    read_qemu_ram();
    area_base = (qemu_low_end - AREA_SIZE) & ~0xFFFu;
    u32 low_end = area_base;        /* what the guest sees as low RAM */
    log("QEMU RAM: low end %x, high end %llx; table area %x-%x\n", qemu_low_end,
        qemu_high_end, area_base, qemu_low_end - 1);

    struct cpu_list cpus;
    cpus.count = fwcfg_read_u16(0x0005);           /* boot CPUs */
    if (!cpus.count || cpus.count > ARRAY_SIZE(cpus.apic_id))
        cpus.count = 1;
    for (u32 i = 0; i < cpus.count; i++)
        cpus.apic_id[i] = i;

    apic_setup(lvt0_open);
    pci_setup(qemu_low_end, qemu_high_end);
    mtrr_setup();
    u32 mhz = cpu_mhz();

    /* ACPI comes first here (hvmloader builds it last) so that the MP
     * table and SMBIOS can list the APIC IDs from QEMU's MADT. Only the
     * order of the scratch allocations differs. */
    u32 rsdp = 0;
    if (acpi) {
        rsdp = acpi_load_qemu_tables();
        if (rsdp)
            acpi_cpus(rsdp, &cpus);
        else
            log("no etc/table-loader: no ACPI tables\n");
    }
    write_hvm_info(cpus.count, apic_mode, low_end, qemu_high_end);

    memset(info, 0, sizeof(*info));
    memcpy(info->signature, "XenHVMSeaBIOS", 14);
    info->length = sizeof(*info);
    info->tables = (u32)scratch_alloc(4 * sizeof(u32), 16);

    u64 ram = (u64)low_end + (qemu_high_end ? qemu_high_end - 0x100000000ull : 0);
    add_table(smbios_build(&cpus, ram, mhz));

    u32 load_addr;
    load_bios(&load_addr);

    if (cpus.count > 1 || apic_mode) {
        add_table(mptable_build(&cpus));
        add_table(pir_build());
    }
    if (rsdp) {
        add_table(rsdp);
        acpi_enable_sci();
        log("ACPI: RSDP at %x, tables from %x\n", rsdp, area_base + AREA_ACPI_OFF);
    }
    cmos_memory(low_end);
    setup_e820(load_addr, low_end, rsdp != 0);
    info->checksum = 0;
    info->checksum = -checksum8(info, info->length);

    log("info block at %x: %u tables, %u e820 entries\n", INFO_ADDR, info->tables_nr,
        info->e820_nr);
    log("jumping to F000:FFF0\n");
    outl(MARKER_PORT, MARKER_VALUE);
    xsim_handoff();
}
