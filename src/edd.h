/* INT 13h extensions (EDD 3.0 / T13 EDD): structures the caller passes in. */
#ifndef KELP_EDD_H
#define KELP_EDD_H
#include "lib/types.h"

/* Disk address packet (INT 13h 42h-44h, 47h). */
struct edd_dap {
    u8 size;            /* 00h: 10h, or 18h with the flat buffer below */
    u8 reserved;
    u16 count;          /* 02h: blocks; rewritten with blocks done */
    u16 buf_off;        /* 04h */
    u16 buf_seg;        /* 06h */
    u64 lba;            /* 08h */
    u64 buf_flat;       /* 10h: used when buf is FFFF:FFFF */
} PACKED;

/* Result buffer of INT 13h 48h. */
struct edd_params {
    u16 size;           /* 00h */
    u16 flags;          /* 02h */
    u32 cyls;           /* 04h */
    u32 heads;          /* 08h */
    u32 spt;            /* 0Ch */
    u64 sectors;        /* 10h */
    u16 blksize;        /* 18h */
    u16 dpte_off;       /* 1Ah */
    u16 dpte_seg;       /* 1Ch */
    u16 key;            /* 1Eh: BEDDh */
    u8 path_len;        /* 20h: 24h Phoenix, 2Ch T13 */
    u8 reserved1[3];
    char host_bus[4];   /* 24h */
    char iface[8];      /* 28h */
    u8 iface_path[8];   /* 30h */
    u8 dev_path[16];    /* 38h (T13: 16 bytes; Phoenix: 8) */
    u8 reserved2;       /* 48h */
    u8 checksum;        /* 49h */
} PACKED;
STATIC_ASSERT(sizeof(struct edd_params) == 0x4A, "EDD 3.0 T13 layout");

#define EDD_FLAG_DMA_BOUNDARY 0x0001
#define EDD_FLAG_CHS_VALID    0x0002
#define EDD_FLAG_REMOVABLE    0x0004

/* Device parameter table extension (ATA). */
struct edd_dpte {
    u16 iobase;
    u16 ctlbase;
    u8 head_prefix;
    u8 vendor;
    u8 irq;
    u8 multi;
    u8 dma;
    u8 pio;
    u16 options;
    u16 reserved;
    u8 revision;        /* 11h */
    u8 checksum;
} PACKED;
#endif
