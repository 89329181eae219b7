/* xen-sim: QEMU's fw_cfg interface (selector 0x510, data 0x511, DMA
 * address 0x514/0x518). Only the simulator uses it: the BIOS it loads runs
 * as if on Xen, where fw_cfg does not exist. */
#include "xsim.h"

#define FW_CTL      0x510
#define FW_DATA     0x511
#define FW_DMA_HI   0x514
#define FW_DMA_LO   0x518
#define SEL_SIG     0x0000
#define SEL_ID      0x0001
#define SEL_DIR     0x0019
#define ID_DMA      (1u << 1)

#define DMA_ERROR   0x01
#define DMA_READ    0x02
#define DMA_SKIP    0x04
#define DMA_SELECT  0x08
#define DMA_WRITE   0x10

struct dma_req {
    u32 control;        /* big-endian, as every field */
    u32 length;
    u32 addr_hi;
    u32 addr_lo;
} __attribute__((aligned(16)));

static bool have_dma;
static struct dma_req req;

static void dma(u32 control, void *buf, u32 len)
{
    req.control = bswap32(control);
    req.length = bswap32(len);
    req.addr_hi = 0;
    req.addr_lo = bswap32((u32)buf);
    asm volatile("" ::: "memory");
    outl(FW_DMA_HI, 0);
    outl(FW_DMA_LO, bswap32((u32)&req));     /* this write starts it */
    u32 c;
    while ((c = bswap32(*(volatile u32 *)&req.control)) & ~DMA_ERROR)
        ;
    if (c & DMA_ERROR)
        fail("fw_cfg DMA error (control %x)\n", control);
}

bool fwcfg_init(void)
{
    outw(FW_CTL, SEL_SIG);
    char sig[4];
    for (int i = 0; i < 4; i++)
        sig[i] = inb(FW_DATA);
    if (memcmp(sig, "QEMU", 4))
        return false;
    outw(FW_CTL, SEL_ID);
    u32 id = inb(FW_DATA);
    have_dma = (id & ID_DMA) != 0;
    return true;
}

void fwcfg_read(u16 select, void *dst, u32 len)
{
    if (have_dma) {
        dma(((u32)select << 16) | DMA_SELECT | DMA_READ, dst, len);
        return;
    }
    outw(FW_CTL, select);
    u8 *p = dst;
    while (len--)
        *p++ = inb(FW_DATA);
}

void fwcfg_write_at(u16 select, u32 offset, const void *src, u32 len)
{
    if (!have_dma)
        fail("fw_cfg write needs the DMA interface\n");
    dma(((u32)select << 16) | DMA_SELECT | DMA_SKIP, NULL, offset);
    dma(DMA_WRITE, (void *)src, len);
}

u32 fwcfg_read_u32(u16 select)
{
    u32 v = 0;
    fwcfg_read(select, &v, 4);
    return v;
}

u16 fwcfg_read_u16(u16 select)
{
    u16 v = 0;
    fwcfg_read(select, &v, 2);
    return v;
}

struct dir_entry {
    u32 size;           /* big-endian */
    u16 select;         /* big-endian */
    u16 reserved;
    char name[56];
} PACKED;

int fwcfg_find(const char *name, u16 *select)
{
    u32 count;
    /* The directory is read entry by entry through the data port, so no
     * buffer for all of it is needed. */
    outw(FW_CTL, SEL_DIR);
    u8 *p = (u8 *)&count;
    for (int i = 0; i < 4; i++)
        p[i] = inb(FW_DATA);
    count = bswap32(count);
    for (u32 n = 0; n < count; n++) {
        struct dir_entry e;
        p = (u8 *)&e;
        for (u32 i = 0; i < sizeof(e); i++)
            p[i] = inb(FW_DATA);
        if (!strncmp(e.name, name, sizeof(e.name))) {
            *select = bswap16(e.select);
            return (int)bswap32(e.size);
        }
    }
    return -1;
}

const char *fwcfg_option(const char *name, const char *def)
{
    static char buf[8][32];
    static int next;
    char path[64];
    u16 sel;
    snprintf(path, sizeof(path), "opt/xen-sim/%s", name);
    int size = fwcfg_find(path, &sel);
    if (size < 0)
        return def;
    char *b = buf[next++ & 7];
    if (size > (int)sizeof(buf[0]) - 1)
        size = sizeof(buf[0]) - 1;
    fwcfg_read(sel, b, size);
    b[size] = 0;
    /* -fw_cfg file= contents may end with a newline */
    while (size && (b[size - 1] == '\n' || b[size - 1] == '\r'))
        b[--size] = 0;
    return b;
}
