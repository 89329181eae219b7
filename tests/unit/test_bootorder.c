/* Unit tests for src/fw/bootorder.c: does QEMU's "bootorder" text name a
 * PCI device, given the devfns on the way to it from bus 0, or a device
 * below one (a disk, given its path), and on which line? */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fw/bootorder.h"

#define DEVFN(slot, fn) (u8)(((slot) << 3) | (fn))

/* What QEMU writes for -device e1000,bootindex=1 and an IDE disk. */
static const char qemu[] =
    "/pci@i0cf8/ethernet@3/ethernet-phy@0\n"
    "/pci@i0cf8/ide@1,1/drive@0/disk@0\n";

static void device_on_root_bus_matches(void **state)
{
    (void)state;
    const u8 nic[] = { DEVFN(3, 0) };
    assert_true(bootorder_has_pci(qemu, nic, 1));
    const u8 other[] = { DEVFN(4, 0) };
    assert_false(bootorder_has_pci(qemu, other, 1));
}

static void function_number_must_match(void **state)
{
    (void)state;
    const u8 ide[] = { DEVFN(1, 1) };
    const u8 isa[] = { DEVFN(1, 0) };
    assert_true(bootorder_has_pci(qemu, ide, 1));
    assert_false(bootorder_has_pci(qemu, isa, 1));
    /* "@3" is function 0; "@3,0" says the same. */
    const u8 nic[] = { DEVFN(3, 0) };
    assert_true(bootorder_has_pci("/pci@i0cf8/ethernet@3,0\n", nic, 1));
    const u8 nic1[] = { DEVFN(3, 1) };
    assert_false(bootorder_has_pci("/pci@i0cf8/ethernet@3\n", nic1, 1));
}

static void bridge_path_matches_device_behind_it(void **state)
{
    (void)state;
    const char *text = "/pci@i0cf8/pci-bridge@2/ethernet@3/ethernet-phy@0\n";
    const u8 chain[] = { DEVFN(2, 0), DEVFN(3, 0) };
    assert_true(bootorder_has_pci(text, chain, 2));
    const u8 deeper[] = { DEVFN(5, 0), DEVFN(1, 0), DEVFN(0, 0) };
    assert_true(bootorder_has_pci("/pci@i0cf8/pci-bridge@5/pci-bridge@1/scsi@0/channel@0/disk@0,0",
                                  deeper, 3));
}

static void same_slot_behind_another_bridge_does_not_match(void **state)
{
    (void)state;
    const char *text = "/pci@i0cf8/pci-bridge@2/ethernet@3/ethernet-phy@0\n";
    const u8 chain[] = { DEVFN(4, 0), DEVFN(3, 0) };
    assert_false(bootorder_has_pci(text, chain, 2));
    /* Nor the slot on the root bus. */
    const u8 root[] = { DEVFN(3, 0) };
    assert_false(bootorder_has_pci(text, root, 1));
}

static void bridge_matches_a_line_for_a_device_below_it(void **state)
{
    (void)state;
    const char *text = "/pci@i0cf8/pci-bridge@2/ethernet@3/ethernet-phy@0\n";
    const u8 bridge[] = { DEVFN(2, 0) };
    assert_true(bootorder_has_pci(text, bridge, 1));
}

static void line_for_a_bridge_does_not_match_devices_behind_it(void **state)
{
    (void)state;
    const u8 chain[] = { DEVFN(2, 0), DEVFN(3, 0) };
    assert_false(bootorder_has_pci("/pci@i0cf8/pci-bridge@2\n", chain, 2));
}

static void any_line_may_match(void **state)
{
    (void)state;
    const char *text = "/rom@genroms/linuxboot_dma.bin\n"
                       "/pci@i0cf8/isa@1/fdc@03f0/floppy@0\n"
                       "/pci@i0cf8/scsi@5/channel@0/disk@0,0\n";
    const u8 scsi[] = { DEVFN(5, 0) };
    assert_true(bootorder_has_pci(text, scsi, 1));
    assert_true(bootorder_line_names_pci(text + strlen("/rom@genroms/linuxboot_dma.bin\n")
                                         + strlen("/pci@i0cf8/isa@1/fdc@03f0/floppy@0\n"), scsi, 1));
}

static void rom_and_other_roots_never_match(void **state)
{
    (void)state;
    const u8 any[] = { DEVFN(0, 0) };
    assert_false(bootorder_has_pci("/rom@genroms/linuxboot_dma.bin\n", any, 1));
    assert_false(bootorder_has_pci("/pci@i0cf9/x@0\n", any, 1));
    assert_false(bootorder_has_pci("pci@i0cf8/x@0\n", any, 1));
    assert_false(bootorder_has_pci("/pci@i0cf8x/x@0\n", any, 1));
}

static void slot_above_31_or_function_above_7_never_matches(void **state)
{
    (void)state;
    /* Slot 20h does not exist; function 8 would alias slot 1 function 0
     * if it were or-ed in blindly. */
    const u8 zero[] = { DEVFN(0, 0) };
    const u8 isa[] = { DEVFN(1, 0) };
    assert_false(bootorder_has_pci("/pci@i0cf8/x@20\n", zero, 1));
    assert_false(bootorder_has_pci("/pci@i0cf8/x@0,8\n", isa, 1));
    /* The floppy's I/O port is not a slot. */
    const u8 fdc[] = { DEVFN(1, 0), DEVFN(0x1f, 0) };
    assert_false(bootorder_has_pci("/pci@i0cf8/isa@1/fdc@03f0/floppy@0\n", fdc, 2));
}

static void unit_address_with_trailing_junk_does_not_match(void **state)
{
    (void)state;
    const u8 nic[] = { DEVFN(3, 0) };
    assert_false(bootorder_has_pci("/pci@i0cf8/ethernet@3x\n", nic, 1));
    assert_false(bootorder_has_pci("/pci@i0cf8/ethernet@3:0\n", nic, 1));
    assert_false(bootorder_has_pci("/pci@i0cf8/ethernet@\n", nic, 1));
    assert_false(bootorder_has_pci("/pci@i0cf8/ethernet\n", nic, 1));
    assert_false(bootorder_has_pci("/pci@i0cf8/ethernet@000000003\n", nic, 1));  /* 9 digits */
}

static void node_names_and_leading_zeros_do_not_matter(void **state)
{
    (void)state;
    const u8 nic[] = { DEVFN(3, 0) };
    assert_true(bootorder_has_pci("/pci@i0cf8/anything-at-all@03\n", nic, 1));
    assert_true(bootorder_has_pci("/pci@i0cf8/@00000003\n", nic, 1));
    const u8 hi[] = { DEVFN(0x1f, 7) };
    assert_true(bootorder_has_pci("/pci@i0cf8/x@1f,7", hi, 1));
}

static void line_ends_at_its_newline(void **state)
{
    (void)state;
    const u8 nic[] = { DEVFN(3, 0) };
    const u8 chain[] = { DEVFN(3, 0), DEVFN(4, 0) };
    const char *text = "/pci@i0cf8/ethernet@3\n/pci@i0cf8/x@4\n";
    assert_true(bootorder_line_names_pci(text, nic, 1));
    /* The next line is not a continuation of this one. */
    assert_false(bootorder_line_names_pci(text, chain, 2));
    assert_false(bootorder_has_pci(text, chain, 2));
}

static void empty_text_or_empty_chain_matches_nothing(void **state)
{
    (void)state;
    const u8 nic[] = { DEVFN(3, 0) };
    assert_false(bootorder_has_pci("", nic, 1));
    assert_false(bootorder_has_pci("\n\n", nic, 1));
    assert_false(bootorder_has_pci(qemu, nic, 0));
    assert_false(bootorder_has_pci(qemu, nic, -1));
}

/* What QEMU 7.2 writes for an e1000 (bootindex=3), an IDE disk on the
 * primary master (1), an IDE CD on the secondary master (2) and -boot
 * strict=on. */
static const char three[] =
    "/pci@i0cf8/ide@1,1/drive@0/disk@0\n"
    "/pci@i0cf8/ide@1,1/drive@1/disk@0\n"
    "/pci@i0cf8/ethernet@3/ethernet-phy@0\n"
    "HALT";

static void find_gives_the_line_number(void **state)
{
    (void)state;
    assert_int_equal(bootorder_find(three, "/pci@i0cf8/dev@1,1/drive@0/disk@0"), 0);
    assert_int_equal(bootorder_find(three, "/pci@i0cf8/dev@1,1/drive@1/disk@0"), 1);
    assert_int_equal(bootorder_find(three, "/pci@i0cf8/dev@3"), 2);
    /* The other positions on the IDE channels are not listed. */
    assert_int_equal(bootorder_find(three, "/pci@i0cf8/dev@1,1/drive@0/disk@1"), -1);
    assert_int_equal(bootorder_find(three, "/pci@i0cf8/dev@1,1/drive@1/disk@1"), -1);
    assert_int_equal(bootorder_find(three, "/pci@i0cf8/dev@4"), -1);
}

static void lines_that_match_nothing_still_count(void **state)
{
    (void)state;
    const char *text = "/pci@i0cf8/isa@1/fdc@03f0/floppy@0\n"
                       "\n"
                       "/pci@i0cf8/scsi@5/channel@0/disk@2,1\n";
    assert_int_equal(bootorder_find(text, "/pci@i0cf8/dev@5/channel@0/disk@2,1"), 2);
    /* Another target or LUN behind the same controller is not named. */
    assert_int_equal(bootorder_find(text, "/pci@i0cf8/dev@5/channel@0/disk@2,0"), -1);
    assert_int_equal(bootorder_find(text, "/pci@i0cf8/dev@5/channel@0/disk@1,1"), -1);
    /* The controller as a whole is: its ROM's boot entry may match. */
    assert_int_equal(bootorder_find(text, "/pci@i0cf8/dev@5"), 2);
}

static void line_must_name_the_device_not_just_its_controller(void **state)
{
    (void)state;
    assert_false(bootorder_line_names("/pci@i0cf8/ide@1,1\n", "/pci@i0cf8/dev@1,1/drive@0/disk@0"));
    assert_false(bootorder_line_names("/pci@i0cf8/ide@1,1/drive@0\n",
                                      "/pci@i0cf8/dev@1,1/drive@0/disk@0"));
    assert_true(bootorder_line_names("/pci@i0cf8/ahci@1f,2/drive@4/disk@0",
                                     "/pci@i0cf8/dev@1f,2/drive@4/disk@0"));
}

static void missing_second_number_is_zero(void **state)
{
    (void)state;
    /* virtio-scsi "disk@0,0" against a path written "disk@0", and back. */
    assert_true(bootorder_line_names("/pci@i0cf8/scsi@4/channel@0/disk@0,0\n",
                                     "/pci@i0cf8/dev@4/channel@0/disk@0"));
    assert_true(bootorder_line_names("/pci@i0cf8/scsi@4/channel@0/disk@0\n",
                                     "/pci@i0cf8/dev@4/channel@0/disk@0,0"));
    assert_false(bootorder_line_names("/pci@i0cf8/scsi@4/channel@0/disk@0,1\n",
                                      "/pci@i0cf8/dev@4/channel@0/disk@0"));
}

static void rom_paths_compare_whole_lines(void **state)
{
    (void)state;
    const char *text = "/rom@genroms/linuxboot_dma.bin\n/rom@genroms/multiboot.bin\n";
    assert_int_equal(bootorder_find(text, "/rom@genroms/linuxboot_dma.bin"), 0);
    assert_int_equal(bootorder_find(text, "/rom@genroms/multiboot.bin"), 1);
    assert_int_equal(bootorder_find(text, "/rom@genroms/linuxboot.bin"), -1);
    assert_int_equal(bootorder_find(text, "/rom@genroms/multiboot.bi"), -1);
    /* A ROM path never matches a PCI line, nor the other way round. */
    assert_int_equal(bootorder_find(qemu, "/rom@genroms/linuxboot_dma.bin"), -1);
    assert_int_equal(bootorder_find(text, "/pci@i0cf8/dev@3"), -1);
}

static void root_alone_or_odd_paths_name_nothing(void **state)
{
    (void)state;
    assert_int_equal(bootorder_find(qemu, "/pci@i0cf8"), -1);
    assert_int_equal(bootorder_find(qemu, ""), -1);
    assert_int_equal(bootorder_find(qemu, "/pci@i0cf8/dev@3x"), -1);
    assert_int_equal(bootorder_find(qemu, "/pci@i0cf8/dev"), -1);
    assert_int_equal(bootorder_find("", "/pci@i0cf8/dev@3"), -1);
}

static void halt_is_a_line_of_its_own(void **state)
{
    (void)state;
    assert_true(bootorder_halt(three));
    assert_true(bootorder_halt("HALT\n"));
    assert_true(bootorder_halt("/pci@i0cf8/ethernet@3\nHALT\r\n"));
    assert_false(bootorder_halt(qemu));
    assert_false(bootorder_halt(""));
    assert_false(bootorder_halt("HALTED\n"));
    assert_false(bootorder_halt("/pci@i0cf8/HALT@1\n"));
    assert_false(bootorder_halt(" HALT\n"));
}

static void pci_path_spells_slot_and_function(void **state)
{
    (void)state;
    char buf[64];
    const u8 ide[] = { DEVFN(1, 1) };
    assert_int_equal(bootorder_pci_path(buf, sizeof(buf), ide, 1), 18);
    assert_string_equal(buf, "/pci@i0cf8/dev@1,1");
    const u8 behind[] = { DEVFN(0x1e, 0), DEVFN(0, 0) };
    bootorder_pci_path(buf, sizeof(buf), behind, 2);
    assert_string_equal(buf, "/pci@i0cf8/dev@1e/dev@0");
    /* Exactly full (with its NUL) fits; one byte less does not. */
    assert_int_equal(bootorder_pci_path(buf, 19, ide, 1), 18);
    assert_int_equal(bootorder_pci_path(buf, 18, ide, 1), -1);
    assert_int_equal(bootorder_pci_path(buf, sizeof(buf), ide, 0), 10);
    assert_string_equal(buf, "/pci@i0cf8");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(device_on_root_bus_matches),
        cmocka_unit_test(function_number_must_match),
        cmocka_unit_test(bridge_path_matches_device_behind_it),
        cmocka_unit_test(same_slot_behind_another_bridge_does_not_match),
        cmocka_unit_test(bridge_matches_a_line_for_a_device_below_it),
        cmocka_unit_test(line_for_a_bridge_does_not_match_devices_behind_it),
        cmocka_unit_test(any_line_may_match),
        cmocka_unit_test(rom_and_other_roots_never_match),
        cmocka_unit_test(slot_above_31_or_function_above_7_never_matches),
        cmocka_unit_test(unit_address_with_trailing_junk_does_not_match),
        cmocka_unit_test(node_names_and_leading_zeros_do_not_matter),
        cmocka_unit_test(line_ends_at_its_newline),
        cmocka_unit_test(empty_text_or_empty_chain_matches_nothing),
        cmocka_unit_test(find_gives_the_line_number),
        cmocka_unit_test(lines_that_match_nothing_still_count),
        cmocka_unit_test(line_must_name_the_device_not_just_its_controller),
        cmocka_unit_test(missing_second_number_is_zero),
        cmocka_unit_test(rom_paths_compare_whole_lines),
        cmocka_unit_test(root_alone_or_odd_paths_name_nothing),
        cmocka_unit_test(halt_is_a_line_of_its_own),
        cmocka_unit_test(pci_path_spells_slot_and_function),
    };
    return cmocka_run_group_tests_name("bootorder", tests, NULL, NULL);
}
