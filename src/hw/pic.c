#include "hw/pic.h"

void pic_init(void)
{
    outb(0x11, 0x20);   /* ICW1: edge, cascade, ICW4 follows */
    outb(0x11, 0xA0);
    outb(0x08, 0x21);   /* ICW2: vector bases */
    outb(0x70, 0xA1);
    outb(0x04, 0x21);   /* ICW3: slave on IR2 */
    outb(0x02, 0xA1);
    outb(0x01, 0x21);   /* ICW4: 8086 mode */
    outb(0x01, 0xA1);
    outb(0xFB, 0x21);   /* everything masked but the cascade */
    outb(0xFF, 0xA1);
}

void pic_unmask(u8 irq)
{
    u16 port = irq < 8 ? 0x21 : 0xA1;
    outb(inb(port) & ~(1 << (irq & 7)), port);
}
