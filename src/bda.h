/* BIOS data area (segment 40h) and EBDA offsets, from bios-data.md. */
#ifndef KELP_BDA_H
#define KELP_BDA_H

#define BDA_COM_BASE     0x00   /* 4 words: COM1-4 I/O base */
#define BDA_LPT_BASE     0x08   /* 3 words: LPT1-3 I/O base */
#define BDA_EBDA_SEG     0x0E   /* word: EBDA segment */
#define BDA_EQUIPMENT    0x10   /* word: INT 11h result */
#define BDA_MEM_KB       0x13   /* word: INT 12h result */
#define BDA_KBD_FLAGS0   0x17
#define BDA_KBD_FLAGS1   0x18
#define BDA_KBD_ALTNUM   0x19
#define BDA_KBD_HEAD     0x1A
#define BDA_KBD_TAIL     0x1C
#define BDA_KBD_BUF      0x1E   /* default 32-byte ring */
#define BDA_FD_RECAL     0x3E
#define BDA_FD_MOTOR     0x3F
#define BDA_FD_MOTOR_TICKS 0x40
#define BDA_FD_STATUS    0x41
#define BDA_VIDEO_MODE   0x49
#define BDA_VIDEO_COLS   0x4A
#define BDA_VIDEO_PAGESZ 0x4C
#define BDA_VIDEO_PAGEOFF 0x4E
#define BDA_CURSOR_POS   0x50   /* 8 words */
#define BDA_CURSOR_SHAPE 0x60
#define BDA_VIDEO_PAGE   0x62
#define BDA_CRTC_BASE    0x63
#define BDA_RESUME_PTR   0x67
#define BDA_TICKS        0x6C   /* dword */
#define BDA_MIDNIGHT     0x70
#define BDA_BREAK        0x71
#define BDA_RESET_FLAG   0x72
#define BDA_HD_STATUS    0x74
#define BDA_HD_COUNT     0x75
#define BDA_HD_CONTROL   0x76
#define BDA_LPT_TIMEOUT  0x78
#define BDA_COM_TIMEOUT  0x7C
#define BDA_KBD_START    0x80
#define BDA_KBD_END      0x82
#define BDA_VIDEO_ROWS   0x84
#define BDA_CHAR_HEIGHT  0x85
#define BDA_HD_IRQ       0x8E
#define BDA_KBD_FLAGS3   0x96
#define BDA_KBD_LEDS     0x97
#define BDA_WAIT_PTR     0x98   /* INT 15h 83h user flag, far pointer */
#define BDA_WAIT_USEC    0x9C   /* dword */
#define BDA_WAIT_ACTIVE  0xA0

#define TICKS_PER_DAY    0x1800B0

/* EBDA */
#define EBDA_SIZE_FIELD  0x00   /* word: size in KiB */
#define EBDA_FDPT0       0x3D   /* fixed disk parameter table, drive 80h */
#define EBDA_FDPT1       0x4D   /* drive 81h */
#endif
