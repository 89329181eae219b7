"""Boot Debian's Linux kernel from an IDE disk through syslinux.

The disk is built by tests/images/mklinux.py. Its initramfs prints, on COM1,
lines starting with "KELP-INIT " that describe what the kernel got from the
firmware (e820 map, EDD data, DMI), then ends QEMU through isa-debug-exit.

The same checks run on Kelp and on SeaBIOS; the SeaBIOS run shows that the
image and the checks themselves are right."""
import os
import re
import struct
import subprocess
import sys
import time

import pytest

import harness

MKLINUX = os.path.join(harness.ROOT, "tests", "images", "mklinux.py")
IMAGE_DIR = os.path.join(harness.OUT, "test")
IMAGE = os.path.join(IMAGE_DIR, "linux-ide.img")
PREFIX = "KELP-INIT "
MEMORY_MIB = 256
TIMEOUT = 150

E820_RE = re.compile(r"BIOS-e820: \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] (.+)$")


@pytest.fixture(scope="session")
def linux_image():
    """Path of the disk image, (re)built if missing or out of date."""
    p = subprocess.run([sys.executable, MKLINUX, "--out", IMAGE_DIR],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if p.returncode != 0 or not os.path.exists(IMAGE):
        pytest.fail(f"mklinux.py failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return IMAGE


def report(serial):
    """The init's report lines, prefix removed, in order."""
    out = []
    for line in serial.replace("\r", "").splitlines():
        i = line.find(PREFIX)
        if i >= 0:
            out.append(line[i + len(PREFIX):].strip())
    return out


def e820_ranges(lines):
    """(start, end_inclusive, type) for each BIOS-e820 line the kernel logged."""
    ranges = []
    for l in lines:
        if not l.startswith("e820: "):
            continue
        m = E820_RE.search(l)
        if m:
            ranges.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3).strip()))
    return ranges


def edd_fields(lines, dev):
    """name -> value for one int13_devXX directory."""
    fields = {}
    head = f"edd {dev} "
    for l in lines:
        if l.startswith(head) and "=" in l:
            name, _, value = l[len(head):].partition("=")
            fields[name] = value
    return fields


def tail(text, n=60):
    return "\n".join(text.replace("\r", "").splitlines()[-n:])


FIRMWARES = [
    pytest.param(harness.KELP, id="kelp"),
    pytest.param(harness.SEABIOS, id="seabios"),
]


@pytest.mark.parametrize("bios", FIRMWARES)
def test_linux_boots_from_ide(bios, linux_image):
    if bios == harness.KELP and not os.path.exists(bios):
        pytest.skip(f"{bios} has not been built (run make)")
    if not os.path.exists(bios):
        pytest.skip(f"reference firmware {bios} is not installed")

    size = os.path.getsize(linux_image)
    with open(linux_image, "rb") as f:
        mbr = f.read(512)
    signature = struct.unpack_from("<I", mbr, 440)[0]

    start = time.monotonic()
    r = harness.run_qemu(bios, ["-drive", f"file={linux_image},format=raw,if=ide",
                                "-snapshot"],
                         timeout=TIMEOUT, memory=f"{MEMORY_MIB}M", icount=False)
    elapsed = time.monotonic() - start
    print(f"{os.path.basename(bios)}: Linux run took {elapsed:.1f} s, "
          f"QEMU status {r.status}")
    log = f"\n--- serial (tail) ---\n{tail(r.serial)}\n--- debug (tail) ---\n{tail(r.debug, 30)}"

    lines = report(r.serial)
    assert any(l.startswith("start") for l in lines), \
        "the initramfs /init never ran (firmware, syslinux or kernel setup failed)" + log

    # e820: the map must exist, describe low memory and most of the RAM given.
    ranges = e820_ranges(lines)
    assert ranges, "no BIOS-e820 lines: int 15h/e820 was not used by the kernel" + log
    usable = [(s, e) for s, e, t in ranges if t == "usable"]
    assert usable, "e820 map has no usable RAM" + log
    ram = MEMORY_MIB << 20
    assert any(s == 0 and e >= 0x7FFFF for s, e in usable), \
        "e820 map lacks usable conventional memory starting at 0" + log
    biggest = max(e - s + 1 for s, e in usable)
    assert biggest >= ram * 3 // 4, \
        f"largest usable e820 range is {biggest:#x} bytes, expected most of {ram:#x}" + log
    total = sum(e - s + 1 for s, e in usable)
    assert total <= ram, f"e820 reports {total:#x} usable bytes, more than {ram:#x}" + log

    # EDD: the kernel setup code asks int 13h about drive 80h.
    assert not any(l.startswith("insmod:") for l in lines), "edd.ko failed to load" + log
    edd = edd_fields(lines, "int13_dev80")
    assert edd, "no /sys/firmware/edd/int13_dev80: int 13h extensions missing" + log
    assert "sectors" in edd, f"EDD entry has no sector count: {edd}" + log
    assert int(edd["sectors"], 0) == size // 512, \
        f"EDD reports {edd['sectors']} sectors, the disk has {size // 512}" + log
    assert int(edd.get("mbr_signature", "0"), 0) == signature, \
        f"EDD mbr_signature {edd.get('mbr_signature')} != {signature:#010x}" + log

    assert any(l.startswith("dmi=") for l in lines), "init stopped before the DMI check" + log
    assert "done" in lines, "init did not finish" + log
    assert not r.timed_out, f"QEMU did not exit within {TIMEOUT} s" + log
