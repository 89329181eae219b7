/* 16550 UART. */
#ifndef KELP_SERIAL_H
#define KELP_SERIAL_H
#include "lib/types.h"
#define UART_DATA 0
#define UART_IER  1
#define UART_FCR  2
#define UART_LCR  3
#define UART_MCR  4
#define UART_LSR  5
#define UART_MSR  6
#define UART_SCR  7
#define UART_LSR_DR   0x01
#define UART_LSR_THRE 0x20
/* Program base for baud (8N1, FIFO on). */
void uart_init(u16 base, u32 baud);
/* True when a UART answers at base. */
bool uart_present(u16 base);
/* Send one byte, waiting (bounded) for room. False on timeout. */
bool uart_putc(u16 base, u8 c);
#endif
