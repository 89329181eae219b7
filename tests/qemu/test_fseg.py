"""After POST the F-segment and the option ROM shadow are read-only
(i440FX PAM): a boot sector that writes over them finds them unchanged,
while the runtime's RW zone stays writable (which shows the probe would
see a write that took). Same probe on SeaBIOS."""
import os

import pytest

import harness

SRC = os.path.join(harness.ROOT, "tests", "payloads", "fsegwrite.S")
FIRMWARES = {"kelp": harness.KELP, "seabios": harness.SEABIOS}


@pytest.fixture(scope="module")
def disk(tmp_path_factory):
    return harness.boot_sector_disk(SRC, str(tmp_path_factory.mktemp("fseg")))


@pytest.mark.parametrize("fw", sorted(FIRMWARES))
def test_boot_sector_cannot_write_the_firmware(fw, disk):
    res = harness.run_qemu(FIRMWARES[fw], [
        "-drive", f"file={disk},format=raw,if=ide,snapshot=on", "-device", "VGA"], timeout=30)
    assert res.status == harness.EXIT_OK_STATUS, res.debug[-3000:]
    got = dict(l.split(" ", 1) for l in res.lines("FSEGWRITE "))
    assert got == {
        "f000:0000": "unchanged",       # runtime code
        "f000:8000": "unchanged",
        "f000:e05b": "unchanged",       # reset entry
        "f000:fff0": "unchanged",       # reset vector
        "c000:0000": "unchanged",       # VGA ROM header
        "ee00:1000": "changed",         # Kelp's RW zone (SeaBIOS: free UMB)
    }, res.debug[-3000:]
