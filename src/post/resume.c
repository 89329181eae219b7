/* S3 resume, POST side: after a wake-up from S3 the CPU starts at the
 * reset vector with memory intact and POST must not run again (it would
 * overwrite the sleeping OS at 1 MiB). The reset code (src/entry/fixed16.S)
 * looks at CMOS 0Fh; for FEh it makes the shadow RAM readable and lets the
 * runtime (src/rt/resume.c) jump to the waking vector the OS left in the
 * FACS. Here POST records where the FACS is and how the PAM registers were
 * set, and clears CMOS 0Fh so that a later plain reset never resumes. */
#include "post/post.h"
#include "rtdata.h"
#include "std/acpi.h"
#include "hw/cmos.h"
#include "hw/pci.h"
#include "lib/checksum.h"
#include "lib/string.h"
#include "lib/output.h"

#define I440FX_BDF 0
#define I440FX_PAM0 0x59

void resume_clear(void)
{
    cmos_write(CMOS_SHUTDOWN, 0);
}

static const struct acpi_rsdp *find_rsdp(void)
{
    for (u32 a = 0xE0000; a < 0x100000; a += 16) {
        const struct acpi_rsdp *r = (const void *)a;
        if (!memcmp(r->signature, "RSD PTR ", 8) && !checksum8(r, 20))
            return r;
    }
    return NULL;
}

static const struct acpi_table_header *table(u64 addr, const char *sig)
{
    if (!addr || addr >= 0x100000000ull)
        return NULL;
    const struct acpi_table_header *t = (const void *)(u32)addr;
    if (memcmp(t->signature, sig, 4) || t->length < sizeof(*t))
        return NULL;
    return t;
}

/* FACP -> FACS: X_FIRMWARE_CTRL (offset 132) when the FADT has it, else
 * FIRMWARE_CTRL (offset 36). */
static u32 facs_of(const struct acpi_table_header *fadt)
{
    const u8 *f = (const u8 *)fadt;
    u64 x = fadt->length >= 140 ? *(const u64 *)(f + 132) : 0;
    u64 a = x ? x : *(const u32 *)(f + 36);
    const struct acpi_table_header *facs = NULL;
    if (a && a < 0x100000000ull && !memcmp((const void *)(u32)a, "FACS", 4))
        facs = (const void *)(u32)a;
    return (u32)facs;
}

void resume_prepare(void)
{
    rtdata.resume_magic = 0;
    rtdata.facs = 0;
    const struct acpi_rsdp *r = find_rsdp();
    if (!r) {
        dprintf(LOG_INFO, "resume: no ACPI tables, S3 resume not possible\n");
        return;
    }
    const struct acpi_table_header *sdt = NULL;
    int width = 4;
    if (r->revision >= 2 && r->xsdt_address && (sdt = table(r->xsdt_address, "XSDT")))
        width = 8;
    else
        sdt = table(r->rsdt_address, "RSDT");
    u32 n = sdt ? (sdt->length - sizeof(*sdt)) / width : 0;
    for (u32 i = 0; i < n; i++) {
        const u8 *e = (const u8 *)(sdt + 1) + i * width;
        u64 a = width == 8 ? *(const u64 *)e : *(const u32 *)e;
        const struct acpi_table_header *fadt = table(a, "FACP");
        if (fadt) {
            rtdata.facs = facs_of(fadt);
            break;
        }
    }
    if (!rtdata.facs) {
        dprintf(LOG_INFO, "resume: no FACS, S3 resume not possible\n");
        return;
    }
    if (rtdata.platform == PLATFORM_QEMU)
        for (int i = 0; i < 7; i++)
            rtdata.pam[i] = pci_read8(I440FX_BDF, I440FX_PAM0 + i);
    rtdata.resume_magic = RESUME_MAGIC;
    dprintf(LOG_INFO, "resume: FACS at %x\n", rtdata.facs);
}
