/* S3 resume, runtime side (see src/post/resume.c): entered from the reset
 * code with the shadow RAM readable again; jumps to the OS's waking vector,
 * or returns to let the reset code run a normal POST. */
#include "rtdata.h"
#include "hw/pci.h"
#include "lib/flat.h"
#include "lib/output.h"

#define I440FX_PAM0 0x59

void NORETURN rt_wake(u32 vector);

void rt_resume(void)
{
    u32 facs = rtdata.facs;
    if (!facs || flat_enter() || flat_rd32(facs) != 0x53434146) {       /* "FACS" */
        dprintf(LOG_WARN, "resume: no FACS to resume from; booting\n");
        return;
    }
    u32 vector = flat_rd32(facs + 12);  /* firmware waking vector */
    if (!vector || vector >= 0x100000) {
        dprintf(LOG_WARN, "resume: no real-mode waking vector (%x); booting\n", vector);
        return;
    }
    dprintf(LOG_INFO, "resume: S3 wake-up, jumping to %04x:%04x\n", vector >> 4, vector & 15);
    /* The shadow RAM as POST left it: F-segment and ROMs read-only. */
    if (rtdata.platform == PLATFORM_QEMU)
        for (int i = 0; i < 7; i++)
            pci_write8(0, I440FX_PAM0 + i, rtdata.pam[i]);
    rt_wake(vector);
}
