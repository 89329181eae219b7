/* Keyboard controller and keyboard bring-up. Every step has a bounded
 * wait; a missing or silent controller is logged and boot goes on. */
#include "post/post.h"
#include "hw/ps2.h"
#include "lib/io.h"
#include "lib/output.h"
#include "rtdata.h"

void kbd_init(void)
{
    i8042_command(0xAD, -1);            /* keyboard off while we work */
    i8042_command(0xA7, -1);            /* aux off */
    for (int i = 0; i < 16 && (inb(I8042_STATUS) & I8042_OBF); i++)
        inb(I8042_DATA);
    if (inb(I8042_STATUS) == 0xFF) {
        dprintf(LOG_WARN, "kbd: no i8042 controller\n");
        return;
    }
    i8042_command(0xAA, -1);
    int r = i8042_read(100);
    if (r != 0x55) {
        dprintf(LOG_WARN, "kbd: controller self-test answered %x\n", r);
        return;
    }
    i8042_command(0xAB, -1);
    r = i8042_read(100);
    if (r != 0x00)
        dprintf(LOG_WARN, "kbd: interface test answered %x\n", r);
    /* Command byte: keyboard IRQ, system flag, translation, aux clock off. */
    i8042_command(0x60, 0x65);
    i8042_command(0xAE, -1);            /* keyboard interface on */
    r = ps2_kbd_send(0xFF);
    if (r != 0xFA) {
        dprintf(LOG_WARN, "kbd: no keyboard (reset answered %x)\n", r);
        return;
    }
    r = i8042_read(1000);
    if (r != 0xAA)
        dprintf(LOG_WARN, "kbd: keyboard self-test answered %x\n", r);
    if (ps2_kbd_send(0xF5) != 0xFA || ps2_kbd_send(0xF0) != 0xFA
        || ps2_kbd_send(0x02) != 0xFA || ps2_kbd_send(0xF4) != 0xFA)
        dprintf(LOG_WARN, "kbd: keyboard did not take its setup\n");
    /* Keyboard ID for INT 16h 0Ah: an MF2 keyboard answers ABh then 41h
     * (translated) or 83h. */
    if (ps2_kbd_send(0xF2) == 0xFA) {
        int a = i8042_read(100), b = a >= 0 ? i8042_read(100) : -1;
        if (a >= 0 && b >= 0)
            rtdata.kbd_id = a | (b << 8);
    }
    dprintf(LOG_INFO, "kbd: PS/2 keyboard ready\n");
}
