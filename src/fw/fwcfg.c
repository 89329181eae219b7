#include "fw/fwcfg.h"
#include "fw/fwcfg_int.h"
#include "lib/io.h"
#include "lib/string.h"
#include "lib/output.h"

#define PORT_SEL  0x510
#define PORT_DATA 0x511
#define PORT_DMA_HI 0x514
#define PORT_DMA_LO 0x518

#define DMA_ERROR  0x01
#define DMA_READ   0x02
#define DMA_SKIP   0x04
#define DMA_SELECT 0x08
#define DMA_WRITE  0x10

static bool have_dma;

struct fwcfg_dma {
    u32 control;
    u32 length;
    u64 address;
} PACKED;

static inline u32 be32(u32 v) { return __builtin_bswap32(v); }
static inline u16 be16(u16 v) { return __builtin_bswap16(v); }

bool fwcfg_detect(void)
{
    char sig[4];
    outw(FWCFG_SIGNATURE, PORT_SEL);
    for (int i = 0; i < 4; i++)
        sig[i] = inb(PORT_DATA);
    if (memcmp(sig, "QEMU", 4))
        return false;
    u32 id;
    outw(FWCFG_ID, PORT_SEL);
    id = inb(PORT_DATA) | (inb(PORT_DATA) << 8);
    have_dma = (id & 2) != 0;
    return true;
}

/* One DMA transfer; control holds the operation bits (and the key with
 * DMA_SELECT). Returns false when the device reports an error. */
static bool dma_transfer(u32 control, void *buf, u32 len)
{
    static volatile struct fwcfg_dma d __attribute__((aligned(16)));
    d.control = be32(control);
    d.length = be32(len);
    d.address = (u64)be32((u32)buf) << 32;
    barrier();
    outl(0, PORT_DMA_HI);
    outl(be32((u32)&d), PORT_DMA_LO);
    /* QEMU completes the transfer within the port write; the loop is
     * bounded all the same. */
    for (u32 i = 0; i < 1000000 && (be32(d.control) & ~DMA_ERROR); i++)
        barrier();
    return be32(d.control) == 0;
}

void fwcfg_read(u16 key, void *buf, u32 len)
{
    if (have_dma) {
        if (dma_transfer(((u32)key << 16) | DMA_SELECT | DMA_READ, buf, len))
            return;
        dprintf(LOG_WARN, "fw_cfg: DMA read of key %04x failed, using ports\n", key);
    }
    outw(key, PORT_SEL);
    u8 *p = buf;
    while (len--)
        *p++ = inb(PORT_DATA);
}

bool fwcfg_write(u16 key, u32 offset, const void *buf, u32 len)
{
    /* Since QEMU 2.4 items can only be written through DMA: select the
     * item, skip to the offset, then write (the write must fit the item). */
    if (!have_dma) {
        dprintf(LOG_ERR, "fw_cfg: no DMA interface, cannot write key %04x\n", key);
        return false;
    }
    u32 select = ((u32)key << 16) | DMA_SELECT;
    if (offset && !dma_transfer(select | DMA_SKIP, NULL, offset))
        goto fail;
    if (!dma_transfer((offset ? 0 : select) | DMA_WRITE, (void *)buf, len))
        goto fail;
    return true;
fail:
    dprintf(LOG_ERR, "fw_cfg: write of %u bytes at %u to key %04x failed\n", len, offset, key);
    return false;
}

/* The file directory, read once (two transfers with DMA, instead of a port
 * access per byte at every lookup). QEMU's directory does not change
 * while the guest runs. */
struct fwcfg_file {
    u32 size;
    u16 key;
    u16 reserved;
    char name[56];
} PACKED;
#define DIR_MAX 256

static const struct fwcfg_file *directory(u32 *count)
{
    static struct { u32 count; struct fwcfg_file f[DIR_MAX]; } PACKED dir;
    static bool read;
    if (!read) {
        fwcfg_read(FWCFG_FILE_DIR, &dir.count, sizeof(dir.count));
        u32 n = be32(dir.count);
        if (n > DIR_MAX) {
            dprintf(LOG_WARN, "fw_cfg: %u files, only the first %u are used\n", n, DIR_MAX);
            n = DIR_MAX;
        }
        fwcfg_read(FWCFG_FILE_DIR, &dir, sizeof(dir.count) + n * sizeof(dir.f[0]));
        dir.count = n;
        for (u32 i = 0; i < n; i++)
            dir.f[i].name[55] = 0;
        read = true;
    }
    *count = dir.count;
    return dir.f;
}

u16 fwcfg_find(const char *name, u32 *size)
{
    u32 count;
    const struct fwcfg_file *f = directory(&count);
    for (u32 i = 0; i < count; i++) {
        if (!strcmp(f[i].name, name)) {
            *size = be32(f[i].size);
            return be16(f[i].key);
        }
    }
    return 0;
}

int fwcfg_read_file(const char *name, void *buf, u32 max)
{
    u32 size;
    u16 key = fwcfg_find(name, &size);
    if (!key)
        return -1;
    fwcfg_read(key, buf, MIN(size, max));
    return size;
}

bool fwcfg_read_int(const char *name, u64 *value)
{
    u8 buf[24];
    int n = fwcfg_read_file(name, buf, sizeof(buf));
    if (n < 0)
        return false;
    if (n > (int)sizeof(buf) || !fwcfg_parse_int(buf, n, value)) {
        dprintf(LOG_WARN, "fw_cfg: %s is not a number (%d bytes)\n", name, n);
        return false;
    }
    return true;
}

int fwcfg_list(const char *prefix, char (*names)[56], int max)
{
    u32 count;
    const struct fwcfg_file *f = directory(&count);
    int n = 0;
    size_t plen = strlen(prefix);
    for (u32 i = 0; i < count && n < max; i++)
        if (!strncmp(f[i].name, prefix, plen))
            memcpy(names[n++], f[i].name, 56);
    return n;
}
