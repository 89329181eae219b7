#include "hw/ps2.h"
#include "hw/timer.h"
#include "lib/io.h"

static int i8042_wait_write(void)
{
    struct timeout t;
    timeout_start(&t, 100);
    while (inb(I8042_STATUS) & I8042_IBF)
        if (timeout_expired(&t))
            return -1;
    return 0;
}

int i8042_read(u32 ms)
{
    struct timeout t;
    timeout_start(&t, ms);
    while (!(inb(I8042_STATUS) & I8042_OBF))
        if (timeout_expired(&t))
            return -1;
    return inb(I8042_DATA);
}

int i8042_command(u8 cmd, int data)
{
    if (i8042_wait_write())
        return -1;
    outb(cmd, I8042_CMD);
    if (data >= 0) {
        if (i8042_wait_write())
            return -1;
        outb(data, I8042_DATA);
    }
    return 0;
}

int ps2_kbd_send(u8 byte)
{
    if (i8042_wait_write())
        return -1;
    outb(byte, I8042_DATA);
    return i8042_read(200);
}
