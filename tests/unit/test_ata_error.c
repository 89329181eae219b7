/* Unit tests for src/hw/ata_error.c: the INT 13h status of a failed ATA
 * command, for error register bits QEMU never reports (it aborts every
 * failed command with ABRT), as real drives do. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hw/ata.h"

#define ERR (ATA_ST_DRDY | ATA_ST_ERR)

static void read_errors_follow_the_at_bios(void **state)
{
    (void)state;
    assert_int_equal(ata_error_status(ERR, ATA_ER_UNC, ATA_OP_READ), 0x10);
    assert_int_equal(ata_error_status(ERR, ATA_ER_IDNF, ATA_OP_READ), 0x04);
    assert_int_equal(ata_error_status(ERR, ATA_ER_AMNF, ATA_OP_READ), 0x02);
    assert_int_equal(ata_error_status(ERR, ATA_ER_TK0NF, ATA_OP_READ), 0x40);
    assert_int_equal(ata_error_status(ERR, ATA_ER_BBK, ATA_OP_READ), 0x0A);
    assert_int_equal(ata_error_status(ERR, ATA_ER_MC, ATA_OP_READ), 0x06);
    assert_int_equal(ata_error_status(ERR, ATA_ER_MCR, ATA_OP_READ), 0x06);
    assert_int_equal(ata_error_status(ERR, ATA_ER_UNC, ATA_OP_VERIFY), 0x10);
}

static void abort_is_a_device_failure(void **state)
{
    (void)state;
    assert_int_equal(ata_error_status(ERR, ATA_ER_ABRT, ATA_OP_READ), 0x20);
    assert_int_equal(ata_error_status(ERR, ATA_ER_ABRT, ATA_OP_VERIFY), 0x20);
    assert_int_equal(ata_error_status(ERR, ATA_ER_ABRT, ATA_OP_WRITE), 0xCC);
    /* never 01h, which callers read as "function not supported" */
    for (int e = 0; e < 256; e++)
        for (int op = ATA_OP_READ; op <= ATA_OP_VERIFY; op++)
            assert_int_not_equal(ata_error_status(ERR, e, op), 0x01);
}

static void write_protect_on_writes(void **state)
{
    (void)state;
    assert_int_equal(ata_error_status(ERR, ATA_ER_WP, ATA_OP_WRITE), 0x03);
    assert_int_equal(ata_error_status(ERR, ATA_ER_WP | ATA_ER_ABRT, ATA_OP_WRITE), 0x03);
}

static void the_specific_bit_beats_abort(void **state)
{
    (void)state;
    /* a read past the end: IDNF and ABRT together */
    assert_int_equal(ata_error_status(ERR, ATA_ER_IDNF | ATA_ER_ABRT, ATA_OP_READ), 0x04);
    assert_int_equal(ata_error_status(ERR, ATA_ER_UNC | ATA_ER_ABRT, ATA_OP_READ), 0x10);
}

static void device_fault_is_a_write_fault(void **state)
{
    (void)state;
    assert_int_equal(ata_error_status(ATA_ST_DRDY | ATA_ST_DF, 0, ATA_OP_READ), 0xCC);
    assert_int_equal(ata_error_status(ERR | ATA_ST_DF, ATA_ER_UNC, ATA_OP_READ), 0xCC);
}

static void no_reason_given_is_undefined(void **state)
{
    (void)state;
    assert_int_equal(ata_error_status(ERR, 0, ATA_OP_READ), 0xBB);
    assert_int_equal(ata_error_status(ATA_ST_DRDY, ATA_ER_UNC, ATA_OP_READ), 0xBB);
    /* every failure is reported as one: nonzero */
    for (int st = 0; st < 256; st++)
        for (int e = 0; e < 256; e++)
            assert_int_not_equal(ata_error_status(st, e, ATA_OP_WRITE), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(read_errors_follow_the_at_bios),
        cmocka_unit_test(abort_is_a_device_failure),
        cmocka_unit_test(write_protect_on_writes),
        cmocka_unit_test(the_specific_bit_beats_abort),
        cmocka_unit_test(device_fault_is_a_write_fault),
        cmocka_unit_test(no_reason_given_is_undefined),
    };
    return cmocka_run_group_tests_name("ata_error", tests, NULL, NULL);
}
