/* INT 15h 53h: APM 1.2, real-mode interface only, enough for the DOS-era
 * way of switching the machine off (connect, then 5307h "all devices off").
 * Power-off goes through the ACPI PM1a control register with the S5 sleep
 * type POST found in the DSDT (src/post/acpipm.c). No protected-mode
 * interfaces, no events, no standby or suspend. */
#include "rt/bregs.h"
#include "rt/rt.h"
#include "rtdata.h"
#include "lib/io.h"
#include "hw/timer.h"
#include "lib/output.h"

#define APM_VERSION      0x0102
#define APM_ERR_NOT_CONNECTED  0x03
#define APM_ERR_NO_16BIT_PM    0x06
#define APM_ERR_NO_32BIT_PM    0x08
#define APM_ERR_DEVICE         0x09
#define APM_ERR_PARAM          0x0A
#define APM_ERR_UNSUPPORTED    0x0C
#define APM_ERR_STATE          0x60
#define APM_ERR_NO_EVENTS      0x80
#define APM_ERR_ABSENT         0x86

#define PM1_SLP_EN (1 << 13)

static bool apm_connected;

static void power_off(void)
{
    if (!rtdata.pm1a_cnt)
        return;
    dprintf(LOG_INFO, "apm: power off (PM1a_CNT %x, S5 type %u)\n", rtdata.pm1a_cnt,
            rtdata.s5_type);
    outw((rtdata.s5_type & 7) << 10 | PM1_SLP_EN, rtdata.pm1a_cnt);
    /* The machine is off once the write lands; a hypervisor or emulator
     * may take a moment to act on it. Still running after two seconds:
     * the state could not be reached. */
    struct timeout t;
    timeout_start(&t, 2000);
    while (!timeout_expired(&t))
        ;
}

void handle_apm(struct bregs *r)
{
    if (!rtdata.pm1a_cnt) {
        ret_err(r, APM_ERR_ABSENT);
        return;
    }
    switch (r->al) {
    case 0x00:                  /* installation check */
        if (r->bx) {
            ret_err(r, APM_ERR_DEVICE);
            return;
        }
        r->ax = APM_VERSION;
        r->bx = 0x504D;         /* "PM" */
        r->cx = 0;              /* no protected-mode interfaces */
        clear_cf(r);
        return;
    case 0x01:                  /* connect the real-mode interface */
        apm_connected = true;
        ret_ok(r);
        return;
    case 0x02:
        ret_err(r, APM_ERR_NO_16BIT_PM);
        return;
    case 0x03:
        ret_err(r, APM_ERR_NO_32BIT_PM);
        return;
    case 0x04:                  /* disconnect */
        if (!apm_connected) {
            ret_err(r, APM_ERR_NOT_CONNECTED);
            return;
        }
        apm_connected = false;
        ret_ok(r);
        return;
    case 0x05:                  /* CPU idle */
    case 0x06:                  /* CPU busy */
        ret_ok(r);
        return;
    case 0x07:                  /* set power state */
        if (r->bx != 0x0001 && r->bx != 0x0000) {
            ret_err(r, APM_ERR_DEVICE);
            return;
        }
        if (r->cx != 0x0003) {
            ret_err(r, r->cx <= 0x0002 ? APM_ERR_STATE : APM_ERR_PARAM);
            return;
        }
        power_off();
        ret_err(r, APM_ERR_STATE);
        return;
    case 0x08:                  /* enable/disable power management */
    case 0x0D:                  /* ... per device */
    case 0x0F:                  /* engage/disengage */
        ret_ok(r);
        return;
    case 0x0A:                  /* power status: on line, battery unknown */
        r->bx = 0x01FF;
        r->cx = 0x80FF;
        r->dx = 0xFFFF;
        ret_ok(r);
        return;
    case 0x0B:                  /* get PM event */
        ret_err(r, APM_ERR_NO_EVENTS);
        return;
    case 0x0E:                  /* driver version */
        r->ax = APM_VERSION;
        clear_cf(r);
        return;
    default:
        ret_err(r, APM_ERR_UNSUPPORTED);
        return;
    }
}
