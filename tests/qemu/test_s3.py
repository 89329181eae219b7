"""ACPI S3: suspend to RAM and wake up again.

The test Linux (the kernel and initramfs of tests/images/mkpxe.py's tree,
booted with -kernel) sees "kelp.s3" on its command line, writes "mem" to
/sys/power/state and reports "s3 resumed" once it runs again. QEMU puts
the machine to sleep and sets CMOS 0Fh to FEh; the test wakes it over QMP
(system_wakeup), which resets the CPU into the firmware's reset vector with
memory intact. The firmware must not run POST again but jump to the waking
vector the kernel stored in the FACS."""
import os
import sys
import time

import pytest

import harness
from harness import LiveQemu
from test_netboot import tftp_root  # noqa: F401  (fixture)

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "images"))
import mklinux  # noqa: E402  (the kernel command line)

FIRMWARES = {"kelp": harness.KELP, "seabios": harness.SEABIOS}
BOOT_TIMEOUT = 180
STEP_TIMEOUT = 60


@pytest.mark.parametrize("fw", sorted(FIRMWARES))
def test_s3_resume_to_the_waking_vector(fw, tftp_root):  # noqa: F811
    q = LiveQemu(FIRMWARES[fw], [
        "-kernel", f"{tftp_root}/vmlinuz", "-initrd", f"{tftp_root}/initrd.gz",
        "-append", mklinux.CMDLINE + " kelp.s3",
        "-global", "PIIX4_PM.disable_s3=0"], memory="256M", serial=True)
    try:
        m = q.wait_for(r"KELP-INIT s3 states=.*", BOOT_TIMEOUT, serial=True)
        assert m and "mem" in m.group(0), q.serial()[-3000:]
        assert q.wait_for(r"KELP-INIT s3 suspend", STEP_TIMEOUT, serial=True), q.serial()[-3000:]
        end = time.monotonic() + STEP_TIMEOUT
        while q.qmp("query-status")["status"] != "suspended":
            assert time.monotonic() < end, "the guest never went to sleep:\n" + q.serial()[-3000:]
            time.sleep(0.1)
        before = q.debug()
        q.qmp("system_wakeup")
        assert q.wait_for(r"KELP-INIT s3 resumed", STEP_TIMEOUT, serial=True), \
            q.serial()[-3000:] + "\n--- firmware log after wake-up:\n" + q.debug()[len(before):]
        assert q.wait_for(r"KELP-INIT done", STEP_TIMEOUT, serial=True), q.serial()[-3000:]
        status = q.finish(STEP_TIMEOUT)
        assert status == harness.EXIT_OK_STATUS, q.serial()[-3000:]
        if fw == "kelp":
            after = q.debug()[len(before):]
            assert "resume: S3 wake-up, jumping to" in after, after
            # No second POST: it would have overwritten the sleeping kernel.
            assert "Kelp BIOS" not in after, after
            assert "resume: FACS at" in before, before[-3000:]
    finally:
        q.close()
