/* Diskette drives: CMOS 10h says which exist (the BDA equipment word got
 * them in bda_init); each becomes a boot entry, and IRQ 6 is opened for
 * the runtime driver (src/rt/floppy.c). */
#include "post/post.h"
#include "rtdata.h"
#include "hw/cmos.h"
#include "hw/pic.h"
#include "lib/output.h"

void floppy_init(void)
{
    static const char *const names[] = { "none", "360 KiB", "1.2 MiB", "720 KiB",
                                         "1.44 MiB", "2.88 MiB" };
    u8 types = cmos_read(CMOS_FLOPPY);
    int found = 0;
    for (int drive = 0; drive < 2; drive++) {
        u8 t = drive ? types & 15 : types >> 4;
        if (!t)
            continue;
        if (t >= ARRAY_SIZE(names)) {
            dprintf(LOG_WARN, "floppy %d: unknown CMOS drive type %u, not served\n", drive, t);
            continue;
        }
        dprintf(LOG_INFO, "floppy %d: %s drive, INT 13h drive %02xh\n", drive, names[t], drive);
        found++;
        /* QEMU names diskette drives in bootorder as /isa/fdc@03f0/floppy@N. */
        char name[40], path[32];
        snprintf(name, sizeof(name), "Floppy %02xh: %s drive", drive, names[t]);
        snprintf(path, sizeof(path), "/isa/fdc@03f0/floppy@%d", drive);
        bootlist_add(BOOT_FLOPPY, 0, drive, boot_prio(BOOT_CMOS_FLOPPY), path, name);
    }
    if (found)
        pic_unmask(6);
}
