/* NVM Express (base specification 1.4 / 2.0, NVM command set): the
 * controller registers in BAR0, queue entries, and the Identify data the
 * firmware reads. All integers are little-endian. */
#ifndef KELP_STD_NVME_H
#define KELP_STD_NVME_H
#include "../lib/types.h"

/* PCI class code of an NVMe controller: mass storage, non-volatile memory,
 * programming interface 02h (NVM Express). */
#define NVME_PCI_CLASS          0x0108
#define NVME_PCI_PROG_IF        0x02

/* ---- controller registers (offsets in BAR0) ---- */
#define NVME_REG_CAP            0x00    /* 64-bit capabilities */
#define  NVME_CAP_MQES(c)       ((u32)(c) & 0xFFFF)        /* max queue entries - 1 */
#define  NVME_CAP_TO(c)         (((u32)(c) >> 24) & 0xFF)  /* ready timeout, 500 ms units */
#define  NVME_CAP_DSTRD(c)      ((u32)((c) >> 32) & 0xF)   /* doorbell stride: 4 << n bytes */
#define  NVME_CAP_CSS_NVM(c)    ((u32)((c) >> 37) & 1)     /* NVM command set supported */
#define  NVME_CAP_MPSMIN(c)     ((u32)((c) >> 48) & 0xF)   /* min page size: 4 KiB << n */
#define NVME_REG_VS             0x08    /* version: major 31:16, minor 15:8 */
#define NVME_REG_INTMS          0x0C    /* interrupt mask set (pin-based, MSI) */
#define NVME_REG_CC             0x14    /* controller configuration */
#define  NVME_CC_EN             0x00000001
#define  NVME_CC_CSS_NVM        (0 << 4)
#define  NVME_CC_MPS_4K         (0 << 7)
#define  NVME_CC_IOSQES(n)      ((n) << 16)                /* SQ entry size 2^n */
#define  NVME_CC_IOCQES(n)      ((n) << 20)                /* CQ entry size 2^n */
#define NVME_REG_CSTS           0x1C    /* controller status */
#define  NVME_CSTS_RDY          0x00000001
#define  NVME_CSTS_CFS          0x00000002                 /* fatal status */
#define NVME_REG_AQA            0x24    /* admin queue sizes - 1: CQ 27:16, SQ 11:0 */
#define NVME_REG_ASQ            0x28    /* 64-bit admin SQ base (page aligned) */
#define NVME_REG_ACQ            0x30    /* 64-bit admin CQ base (page aligned) */
/* Doorbells: SQ y tail at 1000h + 2y strides, CQ y head at 1000h + (2y+1). */
#define NVME_REG_DOORBELLS      0x1000

#define NVME_PAGE_SIZE          4096    /* the memory page size Kelp programs (MPS 0) */

/* ---- submission queue entry (64 bytes) ---- */
struct nvme_sqe {
    u32 cdw0;                   /* 00h opcode 7:0, command identifier 31:16 */
    u32 nsid;                   /* 04h namespace */
    u32 cdw2, cdw3;             /* 08h */
    u64 mptr;                   /* 10h metadata pointer */
    u64 prp1;                   /* 18h data pointer: first PRP entry */
    u64 prp2;                   /* 20h second page, or the PRP list */
    u32 cdw10;                  /* 28h command specific from here on */
    u32 cdw11;                  /* 2Ch */
    u32 cdw12;                  /* 30h */
    u32 cdw13;                  /* 34h */
    u32 cdw14;                  /* 38h */
    u32 cdw15;                  /* 3Ch */
} PACKED;
STATIC_ASSERT(sizeof(struct nvme_sqe) == 64, "NVMe submission queue entry is 64 bytes");
#define NVME_SQES_LOG2          6

/* ---- completion queue entry (16 bytes) ---- */
#define NVME_CQE_SIZE           16
#define NVME_CQE_DW2            8       /* SQ head pointer 15:0, SQ identifier 31:16 */
#define NVME_CQE_DW3            12      /* command identifier 15:0, phase 16, status 31:17 */
#define NVME_CQES_LOG2          4
#define NVME_CQE_PHASE(dw3)     (((dw3) >> 16) & 1)
#define NVME_CQE_STATUS(dw3)    (((dw3) >> 17) & 0x7FF)    /* type 10:8, code 7:0 */
#define NVME_SC_TYPE(st)        ((st) >> 8)
#define NVME_SC_CODE(st)        ((st) & 0xFF)
#define NVME_SCT_GENERIC        0
#define NVME_SCT_MEDIA          2
#define NVME_SC_LBA_RANGE       0x80    /* generic: LBA out of range */
#define NVME_SC_WRITE_PROTECTED 0x20    /* generic: namespace is write protected */

/* ---- admin commands ---- */
#define NVME_ADMIN_CREATE_SQ    0x01
#define NVME_ADMIN_CREATE_CQ    0x05
#define NVME_ADMIN_IDENTIFY     0x06
/* Create I/O SQ/CQ: CDW10 = size - 1 << 16 | queue id; CDW11 below. */
#define NVME_QUEUE_CONTIG       0x0001  /* physically contiguous (both) */
#define NVME_CQ_IRQ_ENABLE      0x0002  /* create CQ: raise interrupts */
#define NVME_SQ_CQID(id)        ((u32)(id) << 16)          /* create SQ: its CQ */
/* Identify: CDW10 CNS. */
#define NVME_CNS_NAMESPACE      0x00
#define NVME_CNS_CONTROLLER     0x01
#define NVME_CNS_ACTIVE_NSIDS   0x02    /* active NSIDs above CDW1's, ascending, 0-ended */
#define NVME_IDENTIFY_SIZE      4096

/* ---- NVM commands ---- */
#define NVME_CMD_FLUSH          0x00    /* volatile write cache to the medium */
#define NVME_CMD_WRITE          0x01
#define NVME_CMD_READ           0x02
/* Read/Write: CDW10/11 = starting LBA, CDW12 = blocks - 1 (15:0). */

/* ---- Identify Controller data (offsets) ---- */
#define NVME_IDCTL_SN           4       /* 20 bytes ASCII, space padded */
#define NVME_IDCTL_SN_LEN       20
#define NVME_IDCTL_MN           24      /* 40 bytes ASCII, space padded */
#define NVME_IDCTL_MN_LEN       40
#define NVME_IDCTL_FR           64      /* 8 bytes firmware revision */
#define NVME_IDCTL_MDTS         77      /* max transfer 2^n min pages, 0 = no limit */
#define NVME_IDCTL_NN           516     /* dword: number of namespaces */
#define NVME_IDCTL_VWC          525     /* bit 0: volatile write cache present */

/* ---- Identify Namespace data (offsets) ---- */
#define NVME_IDNS_NSZE          0       /* qword: size in logical blocks */
#define NVME_IDNS_NLBAF         25      /* number of LBA formats - 1 */
#define NVME_IDNS_FLBAS         26      /* format in use: 3:0 (and 6:5 above 16) */
#define NVME_IDNS_EUI64         120
#define NVME_IDNS_LBAF          128     /* dword per format: metadata size 15:0, */
#define  NVME_LBAF_MS(f)        ((f) & 0xFFFF)             /* data size 2^n 23:16 */
#define  NVME_LBAF_LBADS(f)     (((f) >> 16) & 0xFF)
#define NVME_MAX_LBAF           64

#endif
