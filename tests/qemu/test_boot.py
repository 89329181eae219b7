"""Boot order: INT 18h and unbootable disks fall through to the next disk,
and a machine with nothing to boot says so and stays up.

The disks come from tests/payloads/bootchain.S (built by build.mk):
boot-int18.img prints "PROBE boot.first.dl=<DL>" and calls INT 18h;
boot-second.img prints "PROBE boot.second.dl=<DL>", reads its own sector 0
through INT 13h with that DL ("boot.second.readback=1" when it got itself
back) and exits QEMU with the OK status.

Kelp documents (README, docs/architecture.md) that INT 18h and a disk
that cannot be booted move on to the next hard disk.  SeaBIOS gives only
its first hard disk a boot entry, so these checks apply to Kelp alone.
"""
import os
import tempfile
import time

import harness
from harness import LiveQemu
from test_probe import build_image, firmware_path, mkimage, parse_probe

TEST_DIR = os.path.join(harness.OUT, "test")
INT18_IMG = os.path.join(TEST_DIR, "boot-int18.img")
SECOND_IMG = os.path.join(TEST_DIR, "boot-second.img")
TIMEOUT = 30
NO_BOOT_TIMEOUT = 15


def drive(path, index):
    return ["-drive", f"file={path},format=raw,if=ide,index={index},snapshot=on"]


def boot(args):
    """Boot Kelp with the given drives until the second disk has reported
    (then QEMU exits by itself) or Kelp has given up; the guest's PROBE
    values, QEMU's exit status (None if still running) and the end of the
    debug log."""
    build_image()
    q = LiveQemu(firmware_path("kelp"), args)
    try:
        q.wait_for(r"PROBE boot\.second\.readback=\S|No bootable device", TIMEOUT)
        status = q.finish(5) if q.proc.poll() is None and "boot.second" in q.debug() \
            else q.proc.poll()
        debug = q.debug()
    finally:
        q.close()
    values, _ = parse_probe(debug)
    return values, status, "\n".join(debug.splitlines()[-15:])


def check_second_booted(values, status, tail):
    assert "boot.second.dl" in values, f"the second disk was never booted:\n{tail}"
    dl = int(values["boot.second.dl"], 16)
    assert 0x80 <= dl <= 0x81, f"second disk started with DL={dl:02x}h:\n{tail}"
    assert values.get("boot.second.readback") == "1", \
        f"INT 13h with the DL it was started with did not read the second disk back:\n{tail}"
    assert status == harness.EXIT_OK_STATUS, f"exit status {status}:\n{tail}"


def test_int18_falls_through_to_next_disk():
    values, status, tail = boot(drive(INT18_IMG, 0) + drive(SECOND_IMG, 1))
    assert values.get("boot.first.dl") == "80", f"the first disk did not boot with DL=80h:\n{tail}"
    assert "boot.int18_returned" not in values, f"INT 18h returned to its caller:\n{tail}"
    check_second_booted(values, status, tail)


def test_unbootable_first_disk_is_skipped():
    with tempfile.TemporaryDirectory(prefix="kelp-boot-") as tmp:
        blank = os.path.join(tmp, "blank.img")     # no 55AAh signature
        with open(blank, "wb") as f:
            f.truncate(mkimage.BOOT_DISK_SIZE)
        values, status, tail = boot(drive(blank, 0) + drive(SECOND_IMG, 1))
    check_second_booted(values, status, tail)


def test_no_disk_says_so_and_stays_up():
    bios = firmware_path("kelp")
    q = LiveQemu(bios)
    try:
        m = q.wait_for(r"No bootable device", NO_BOOT_TIMEOUT)
        tail = "\n".join(q.debug().splitlines()[-15:])
        assert m, f"no \"No bootable device\" message within {NO_BOOT_TIMEOUT}s:\n{tail}"
        # it waits for the user instead of resetting or crashing (with
        # -no-reboot either would end QEMU)
        time.sleep(0.5)
        assert q.proc.poll() is None, f"QEMU ended (status {q.proc.returncode}):\n{tail}"
    finally:
        q.close()
