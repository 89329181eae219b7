/* 8259A pair: master at 20h (vectors 08h-0Fh), slave at A0h (70h-77h). */
#ifndef KELP_PIC_H
#define KELP_PIC_H
#include "lib/types.h"
#include "lib/io.h"
void pic_init(void);
void pic_unmask(u8 irq);
static inline void pic_eoi_master(void) { outb(0x20, 0x20); }
static inline void pic_eoi_slave(void) { outb(0x20, 0xA0); outb(0x20, 0x20); }
#endif
