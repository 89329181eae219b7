/* Serial ATA AHCI 1.3.1: the HBA's memory-mapped registers (ABAR, PCI
 * BAR5), the structures it reads from and writes to memory, and the SATA
 * register FIS. A controller is PCI class 01h/06h, programming interface
 * 01h. Offsets are in bytes. */
#ifndef KELP_STD_AHCI_H
#define KELP_STD_AHCI_H

#define AHCI_PCI_PROG_IF   0x01
#define AHCI_ABAR          0x24     /* PCI configuration offset of BAR5 */

/* Generic host control. */
#define AHCI_CAP           0x00
#define  AHCI_CAP_NP        0x0000001F      /* ports - 1 */
#define  AHCI_CAP_SSS       (1u << 27)      /* staggered spin-up */
#define  AHCI_CAP_SCLO      (1u << 24)      /* command list override */
#define  AHCI_CAP_S64A      (1u << 31)
#define AHCI_GHC           0x04
#define  AHCI_GHC_HR        (1u << 0)
#define  AHCI_GHC_IE        (1u << 1)
#define  AHCI_GHC_AE        (1u << 31)      /* AHCI enable (no legacy task file) */
#define AHCI_IS            0x08
#define AHCI_PI            0x0C             /* ports implemented, one bit each */
#define AHCI_VS            0x10
#define AHCI_MAX_PORTS     32

/* Port registers: 80h bytes per port from 100h. */
#define AHCI_PORT(n)       (0x100 + (n) * 0x80)
#define AHCI_PxCLB         0x00             /* command list, 1 KiB aligned */
#define AHCI_PxCLBU        0x04
#define AHCI_PxFB          0x08             /* received FIS area, 256 B aligned */
#define AHCI_PxFBU         0x0C
#define AHCI_PxIS          0x10             /* interrupt status, write 1 to clear */
#define  AHCI_PxIS_TFES     (1u << 30)      /* task file error (ERR in the status) */
#define  AHCI_PxIS_HBFS     (1u << 29)      /* host bus fatal error */
#define  AHCI_PxIS_HBDS     (1u << 28)      /* host bus data error */
#define  AHCI_PxIS_IFS      (1u << 27)      /* interface fatal error */
#define  AHCI_PxIS_INFS     (1u << 26)      /* interface non-fatal error */
#define  AHCI_PxIS_OFS      (1u << 24)      /* overflow: more data than the PRDT holds */
#define  AHCI_PxIS_ERRORS   (AHCI_PxIS_TFES | AHCI_PxIS_HBFS | AHCI_PxIS_HBDS | \
                             AHCI_PxIS_IFS | AHCI_PxIS_OFS)
#define AHCI_PxIE          0x14
#define AHCI_PxCMD         0x18
#define  AHCI_PxCMD_ST      (1u << 0)       /* process the command list */
#define  AHCI_PxCMD_SUD     (1u << 1)       /* spin up device */
#define  AHCI_PxCMD_POD     (1u << 2)       /* power on device */
#define  AHCI_PxCMD_CLO     (1u << 3)       /* clear BSY/DRQ to issue a reset */
#define  AHCI_PxCMD_FRE     (1u << 4)       /* receive FISes */
#define  AHCI_PxCMD_FR      (1u << 14)      /* FIS receive running */
#define  AHCI_PxCMD_CR      (1u << 15)      /* command list running */
#define AHCI_PxTFD         0x20             /* bits 7-0 status, 15-8 error */
#define AHCI_PxSIG         0x24
#define  AHCI_SIG_ATA       0x00000101
#define  AHCI_SIG_ATAPI     0xEB140101
#define AHCI_PxSSTS        0x28
#define  AHCI_SSTS_DET      0x0F            /* 1 device, no link; 3 device and link */
#define  AHCI_DET_PRESENT   1
#define  AHCI_DET_LINK      3
#define AHCI_PxSCTL        0x2C
#define  AHCI_SCTL_DET_RESET 1              /* hold COMRESET while set */
#define AHCI_PxSERR        0x30             /* write 1 to clear */
#define AHCI_PxCI          0x38             /* command issued, one bit per slot */

/* Command header (one of 32 in the command list). */
#define AHCI_CH_SIZE       0x20
#define AHCI_CH_FLAGS      0x00     /* CFL 4-0 (FIS dwords), A 5, W 6, PRDTL 31-16 */
#define  AHCI_CH_ATAPI      (1u << 5)
#define  AHCI_CH_WRITE      (1u << 6)
#define AHCI_CH_PRDBC      0x04     /* bytes transferred, written by the HBA */
#define AHCI_CH_CTBA       0x08     /* command table, 128 B aligned */
#define AHCI_CH_CTBAU      0x0C

/* Command table. */
#define AHCI_CT_CFIS       0x00     /* command FIS, up to 64 bytes */
#define AHCI_CT_ACMD       0x40     /* ATAPI command, 12 or 16 bytes */
#define AHCI_CT_PRDT       0x80     /* physical region descriptors */
/* Physical region descriptor: a data block of up to 4 MiB at an even
 * address, even length. */
#define AHCI_PRD_SIZE      0x10
#define AHCI_PRD_DBA       0x00
#define AHCI_PRD_DBAU      0x04
#define AHCI_PRD_DBC       0x0C     /* bits 21-0: byte count - 1 */
#define AHCI_PRD_MAX_BYTES 0x400000

/* Received FIS area (256 bytes). */
#define AHCI_RFIS_SIZE     0x100

/* Register host-to-device FIS (SATA 3.x, 20 bytes). */
#define FIS_TYPE_REG_H2D   0x27
#define FIS_H2D_DWORDS     5
#define FIS_H2D_TYPE       0
#define FIS_H2D_FLAGS      1        /* bit 7: the command register is written */
#define  FIS_H2D_C          0x80
#define FIS_H2D_COMMAND    2
#define FIS_H2D_FEATURES   3
#define FIS_H2D_LBA0       4        /* 3 bytes: LBA 23-0 */
#define FIS_H2D_DEVICE     7
#define FIS_H2D_LBA3       8        /* 3 bytes: LBA 47-24 */
#define FIS_H2D_COUNT      12       /* word */

#endif
