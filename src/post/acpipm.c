/* What the runtime needs from the ACPI tables (whoever built them: QEMU's
 * table loader or hvmloader), read once at the end of POST:
 *
 *  - S3 resume: after a wake-up from S3 the CPU starts at the reset vector
 *    with memory intact and POST must not run again (it would overwrite
 *    the sleeping OS at 1 MiB). The reset code (src/entry/fixed16.S) looks
 *    at CMOS 0Fh; for FEh it makes the shadow RAM readable and lets the
 *    runtime (src/rt/resume.c) jump to the waking vector the OS left in the
 *    FACS. POST records where the FACS is and how the PAM registers were
 *    set, and clears CMOS 0Fh so that a later plain reset never resumes.
 *  - Reset: the FADT's reset register (I/O space), tried first.
 *  - Power-off (APM 5307h): PM1a_CNT and the S5 sleep type from the DSDT's
 *    \_S5 package. */
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

/* A 32- or 64-bit address field of the FADT: the X_ form (at xoff) when
 * the table is long enough and it is set, else the 32-bit one (at off). */
static u64 fadt_addr(const struct acpi_table_header *fadt, u32 off, u32 xoff)
{
    const u8 *f = (const u8 *)fadt;
    u64 x = fadt->length >= xoff + 8 ? *(const u64 *)(f + xoff) : 0;
    return x ? x : *(const u32 *)(f + off);
}

/* FACP -> FACS (FIRMWARE_CTRL at 36, X_FIRMWARE_CTRL at 132). */
static u32 facs_of(const struct acpi_table_header *fadt)
{
    u64 a = fadt_addr(fadt, 36, 132);
    if (a && a < 0x100000000ull && !memcmp((const void *)(u32)a, "FACS", 4))
        return (u32)a;
    return 0;
}

/* SLP_TYPa of \_S5: the first element of the package named _S5_ in the
 * DSDT's AML (NameOp, the name, PackageOp, PkgLength, NumElements, then a
 * ByteConst or one of the constants Zero/One). 0xFF when not found. */
static u8 s5_type(const struct acpi_table_header *dsdt)
{
    const u8 *a = (const u8 *)dsdt;
    u32 len = dsdt->length;
    for (u32 i = sizeof(*dsdt); i + 12 < len; i++) {
        if (memcmp(a + i, "_S5_", 4) || a[i + 4] != 0x12)
            continue;
        u32 p = i + 5;
        p += 1 + (a[p] >> 6);               /* PkgLength */
        p += 1;                             /* NumElements */
        if (p + 1 >= len)
            break;
        if (a[p] == 0x0A)
            return a[p + 1] & 7;            /* BytePrefix */
        if (a[p] == 0x00 || a[p] == 0x01)
            return a[p];                    /* Zero, One */
        break;
    }
    return 0xFF;
}

/* The FADT's power-off and reset facts. */
static void power_facts(const struct acpi_table_header *fadt)
{
    const u8 *f = (const u8 *)fadt;
    rtdata.pm1a_cnt = 0;
    rtdata.acpi_reset_port = 0;
    u32 pm1a = fadt->length >= 68 ? *(const u32 *)(f + 64) : 0;
    const struct acpi_table_header *dsdt = table(fadt_addr(fadt, 40, 140), "DSDT");
    u8 typ = dsdt ? s5_type(dsdt) : 0xFF;
    if (pm1a && pm1a < 0x10000 && typ != 0xFF) {
        rtdata.pm1a_cnt = pm1a;
        rtdata.s5_type = typ;
    }
    /* RESET_REG (a GAS at 116, value at 128) when FADT flag 10 says it
     * works; only the I/O-space form is used. */
    u32 flags = fadt->length >= 116 ? *(const u32 *)(f + 112) : 0;
    if (fadt->length >= 129 && (flags & (1 << 10)) && f[116] == 1) {
        u64 port = *(const u64 *)(f + 120);
        if (port && port < 0x10000) {
            rtdata.acpi_reset_port = port;
            rtdata.acpi_reset_value = f[128];
        }
    }
    dprintf(LOG_INFO, "acpi: PM1a_CNT %x, S5 type %u, reset register %x (value %02x)\n",
            rtdata.pm1a_cnt, rtdata.s5_type, rtdata.acpi_reset_port, rtdata.acpi_reset_value);
}

void acpi_pm_setup(void)
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
            power_facts(fadt);
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
