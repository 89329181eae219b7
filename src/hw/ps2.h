/* i8042 keyboard controller. */
#ifndef KELP_PS2_H
#define KELP_PS2_H
#include "lib/types.h"
#define I8042_DATA   0x60
#define I8042_STATUS 0x64
#define I8042_CMD    0x64
#define I8042_OBF    0x01
#define I8042_IBF    0x02
#define I8042_AUXDATA 0x20
/* Send a controller command (and a data byte when data >= 0). */
int i8042_command(u8 cmd, int data);
/* Send a byte to the keyboard and return its answer (-1 on timeout). */
int ps2_kbd_send(u8 byte);
/* Read one byte from the output buffer within ms (-1 on timeout). */
int i8042_read(u32 ms);
#endif
