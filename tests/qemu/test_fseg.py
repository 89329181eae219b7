"""After POST the F-segment and the option ROM shadow are read-only
(i440FX PAM): a boot sector that writes over them finds them unchanged,
while the runtime's RW zone stays writable (which shows the probe would
see a write that took). Same probe on SeaBIOS."""
import os
import subprocess

import pytest

import harness

SRC = os.path.join(harness.ROOT, "tests", "payloads", "fsegwrite.S")
FIRMWARES = {"kelp": harness.KELP, "seabios": harness.SEABIOS}


@pytest.fixture(scope="module")
def disk(tmp_path_factory):
    d = tmp_path_factory.mktemp("fseg")
    obj, binary, img = d / "fseg.o", d / "fseg.bin", d / "disk.img"
    subprocess.run(["gcc", "-m16", "-c", SRC, "-o", str(obj)], check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-Ttext", "0x7c00", "--oformat", "binary",
                    "-e", "_start", str(obj), "-o", str(binary)], check=True)
    code = binary.read_bytes()
    assert len(code) == 512 and code[510:] == b"\x55\xaa"
    img.write_bytes(code + bytes(1024 * 1024 - 512))
    return str(img)


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
