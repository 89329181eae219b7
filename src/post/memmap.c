/* The memory map: where RAM is (fw_cfg "etc/e820", hvmloader's table, or
 * the CMOS as a last resort) and what the firmware keeps for itself. */
#include "post/post.h"
#include "fw/e820map.h"
#include "fw/fwcfg.h"
#include "fw/xen.h"
#include "hw/cmos.h"
#include "rtdata.h"
#include "bda.h"
#include "lib/far.h"
#include "lib/output.h"
#include "lib/string.h"

extern u8 post_platform;
u32 ram_below_4g;
u64 ram_above_4g;

static struct e820_entry entries[MAX_E820];
static struct e820_map map = { entries, 0, MAX_E820 };

static void map_from_cmos(void)
{
    u32 low;
    u16 ext64k = cmos_read(CMOS_MEM16M_LO) | (cmos_read(CMOS_MEM16M_HI) << 8);
    if (ext64k)
        low = ext64k * 65536u + 16 * 1024 * 1024;
    else
        low = ((cmos_read(CMOS_EXTMEM_LO) | (cmos_read(CMOS_EXTMEM_HI) << 8)) + 1024) * 1024u;
    u64 high = ((u64)cmos_read(CMOS_MEM4G_0) | ((u32)cmos_read(CMOS_MEM4G_1) << 8)
                | ((u32)cmos_read(CMOS_MEM4G_2) << 16)) << 16;
    e820_add(&map, 0, low, E820_RAM);
    if (high)
        e820_add(&map, 0x100000000ull, high, E820_RAM);
    /* The flash alias below 4 GiB. */
    e820_add(&map, 0x100000000ull - 0x40000, 0x40000, E820_RESERVED);
}

/* Xen: hvmloader's map is the only source of the RAM layout. */
static void map_from_xen(void)
{
    const struct xen_handoff *h = xen_handoff();
    for (int i = 0; i < h->ne820; i++)
        if (e820_add(&map, h->e820[i].base, h->e820[i].length, h->e820[i].type))
            dprintf(LOG_ERR, "Xen: e820 entry %d does not fit\n", i);
}

static void map_from_qemu(void)
{
    static u8 buf[MAX_E820 * 20];
    int size = fwcfg_read_file("etc/e820", buf, sizeof(buf));
    if (size <= 0 || e820_parse_qemu(&map, buf, MIN((u32)size, sizeof(buf))) <= 0) {
        dprintf(LOG_WARN, "fw_cfg etc/e820 missing or unusable: sizing from CMOS\n");
        map.count = 0;
        map_from_cmos();
        return;
    }
    /* QEMU's map leaves out the flash alias below 4 GiB. */
    e820_add(&map, 0x100000000ull - 0x40000, 0x40000, E820_RESERVED);
}

void memmap_init(void)
{
    if (post_platform == PLATFORM_XEN)
        map_from_xen();
    else
        map_from_qemu();
    if (!e820_ram_total(&map, 0x100000, 0x100000000ull)) {
        dprintf(LOG_ERR, "e820: no RAM above 1 MiB in the map given; sizing from CMOS\n");
        map.count = 0;
        map_from_cmos();
    }
    /* Below 1 MiB: RAM up to the EBDA, the EBDA reserved, nothing for the
     * video and option ROM window, the F-segment reserved. */
    e820_remove(&map, 0xA0000, 0x50000);
    e820_add(&map, EBDA_SEG_DEFAULT * 16, (0xA000 - EBDA_SEG_DEFAULT) * 16, E820_RESERVED);
    e820_add(&map, 0xF0000, 0x10000, E820_RESERVED);
    ram_below_4g = e820_find_ram_top(&map, 0x100000000ull);
    ram_above_4g = e820_ram_total(&map, 0x100000000ull, ~0ull);
    dprintf(LOG_INFO, "RAM: %u MiB below 4 GiB, %u MiB above\n",
            ram_below_4g >> 20, (u32)(ram_above_4g >> 20));
}

void memmap_reserve(u64 base, u64 length)
{
    if (e820_add(&map, base, length, E820_RESERVED))
        dprintf(LOG_ERR, "e820: no room to reserve %llx+%llx\n", base, length);
}

/* Hand the current map to the runtime (INT 15h E820h/E801h/88h answer
 * from it while option ROMs run, and at boot). */
void memmap_publish(void)
{
    memcpy(rtdata.e820, entries, map.count * sizeof(entries[0]));
    rtdata.e820_count = map.count;
}

void memmap_finalize(void)
{
    /* Conventional memory option ROMs took (40:13h lowered) is no longer
     * the OS's. */
    u32 low = bda16(BDA_MEM_KB) * 1024u;
    if (low < EBDA_SEG_DEFAULT * 16u && low >= 0x10000)
        memmap_reserve(low, EBDA_SEG_DEFAULT * 16u - low);
    memmap_publish();
    for (int i = 0; i < map.count; i++)
        dprintf(LOG_INFO, "e820: %016llx-%016llx type %u\n", entries[i].base,
                entries[i].base + entries[i].length - 1, entries[i].type);
}
