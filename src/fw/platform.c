/* Which machine are we on? QEMU (fw_cfg) or Xen HVM (CPUID signature and
 * hvmloader's info block). Sets the debug port accordingly. */
#include "post/post.h"
#include "fw/fwcfg.h"
#include "fw/xen.h"
#include "rtdata.h"
#include "lib/io.h"
#include "lib/string.h"
#include "lib/output.h"

u16 post_debug_port = CONFIG_DEBUG_PORT;
u8 post_platform;

static bool xen_cpuid(void)
{
    for (u32 base = 0x40000000; base < 0x40010000; base += 0x100) {
        u32 a, b, c, d;
        cpuid(base, &a, &b, &c, &d);
        char sig[13];
        memcpy(sig, &b, 4);
        memcpy(sig + 4, &c, 4);
        memcpy(sig + 8, &d, 4);
        sig[12] = 0;
        if (!strcmp(sig, "XenVMMXenVMM") && a >= base + 2)
            return true;
        if (CONFIG_XEN_TCG_TEST && !strcmp(sig, "TCGTCGTCGTCG"))
            return true;
    }
    return false;
}

void platform_init(void)
{
    if (CONFIG_XEN && xen_cpuid() && xen_info_valid()) {
        post_platform = PLATFORM_XEN;
        post_debug_port = 0xE9;
        xen_info_save();
        return;
    }
    post_platform = PLATFORM_QEMU;
    /* QEMU's isa-debugcon reads back E9h; with nothing at the port every
     * log byte would be a wasted exit (a VM exit under KVM). */
    if (post_debug_port && inb(post_debug_port) != 0xE9)
        post_debug_port = 0;
    if (!fwcfg_detect())
        dprintf(LOG_WARN, "fw_cfg not found: sizing memory from CMOS\n");
}
