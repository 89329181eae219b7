"""virtio-blk and virtio-scsi disks, over the legacy and the virtio 1.0 PCI
transports.

- Linux (tests/images/mklinux.py, as in test_linux.py) boots through
  syslinux from a legacy virtio-blk disk, a virtio 1.0 one, and from LUN 2
  of target 1 of a virtio-scsi host that has blank disks and a CD-ROM
  before it; the kernel's EDD data must name each disk.
- The disk I/O boot sector (tests/payloads/blkio.S) writes, reads back and
  verifies through INT 13h on every transport; sectors the block layer is
  told to fail (QEMU's blkdebug driver) must come back as INT 13h errors,
  and the host finds the written sectors in the image afterwards. On a
  disk past 2 TiB it also reads a block beyond 2^32.
- A modern-only device whose registers end up above 4 GiB is left alone,
  a transitional one there falls back to its legacy registers, and a small
  64-bit BAR stays below 4 GiB when a big one has to move up.
"""
import json
import os
import re
import shutil
import struct
import tempfile

import pytest

import harness
from test_linux import MEMORY_MIB, TIMEOUT, edd_fields, linux_image, report, tail  # noqa: F401
from test_probe import build_image, firmware_path, parse_probe

TEST_DIR = os.path.join(harness.OUT, "test")
DISKIO_IMG = os.path.join(TEST_DIR, "boot-blkio.img")
SECOND_IMG = os.path.join(TEST_DIR, "boot-second.img")
SECTOR = 512
PAYLOAD_TIMEOUT = 30

# What blkio.S writes: 512 words counting up from 4B45h (two sectors).
PATTERN = b"".join(struct.pack("<H", (0x4B45 + i) & 0xFFFF) for i in range(512))
BAD_READ_LBA = 300
BAD_WRITE_LBA = 400


def disk_lines(debug, kind):
    """Kelp's registration lines of one driver: (who, rest) pairs."""
    out = []
    for l in debug.splitlines():
        m = re.match(rf"({kind} [0-9a-f]{{2}}:[0-9a-f]{{2}}\.[0-7][^:]*): (.*)$", l)
        if m:
            out.append((m.group(1), m.group(2)))
    return out


def run_linux(image, args):
    r = harness.run_qemu(firmware_path("kelp"), args + [
        "-drive", f"file={image},format=raw,if=none,id=boot,snapshot=on"],
        timeout=TIMEOUT, memory=f"{MEMORY_MIB}M", icount=False)
    log = f"\n--- serial (tail) ---\n{tail(r.serial)}\n--- debug (tail) ---\n{tail(r.debug, 30)}"
    lines = report(r.serial)
    assert any(l.startswith("start") for l in lines), \
        "the initramfs /init never ran (firmware, syslinux or kernel setup failed)" + log
    assert "done" in lines, "init did not finish" + log
    assert not any(l.startswith("insmod:") for l in lines), "edd.ko failed to load" + log
    return r, lines, log


def image_facts(image):
    with open(image, "rb") as f:
        mbr = f.read(SECTOR)
    return os.path.getsize(image) // SECTOR, struct.unpack_from("<I", mbr, 440)[0]


@pytest.mark.parametrize("transport,option,kind", [
    pytest.param("legacy", "disable-modern=on", "legacy virtio disk", id="legacy"),
    pytest.param("modern", "disable-legacy=on", "virtio 1.0 disk", id="modern"),
])
def test_linux_boots_from_virtio_blk(transport, option, kind, linux_image):
    sectors, signature = image_facts(linux_image)
    r, lines, log = run_linux(linux_image, [
        "-device", f"virtio-blk-pci,drive=boot,addr=5,{option}"])
    disks = disk_lines(r.debug, "virtio-blk")
    assert len(disks) == 1, f"expected one virtio-blk disk in Kelp's log: {disks}" + log
    who, rest = disks[0]
    assert who == "virtio-blk 00:05.0", disks
    assert rest.startswith(kind + ", 512-byte blocks,"), f"{transport} transport not used: {rest}"
    assert f" {sectors} sectors," in rest and rest.endswith("drive 80h"), rest

    edd = edd_fields(lines, "int13_dev80")
    assert edd, "no EDD entry for drive 80h" + log
    assert int(edd["sectors"], 0) == sectors, edd
    assert int(edd.get("mbr_signature", "0"), 0) == signature, edd
    # EDD has no virtio interface type: SCSI target 0, LUN 0 of the function.
    assert edd.get("host_bus") == "PCI 00:05.0 channel: 0", edd
    assert edd.get("interface") == "SCSI id: 0 lun: 0", edd


def test_linux_boots_from_a_scsi_lun_behind_blank_ones(linux_image):
    """Blank disks at target 0 LUN 0 and target 1 LUN 0 take drives 80h and
    81h; they have no boot signature, so INT 19h goes on to 82h, LUN 2 of
    target 1, which holds the Linux disk. The devices are given in another
    order than target/LUN order on purpose; a CD-ROM LUN is logged, not
    served."""
    sectors, signature = image_facts(linux_image)
    with tempfile.TemporaryDirectory(prefix="kelp-virtio-") as tmp:
        blank0 = os.path.join(tmp, "blank0.img")
        blank1 = os.path.join(tmp, "blank1.img")
        for path, size in ((blank0, 1 << 20), (blank1, 2 << 20)):
            with open(path, "wb") as f:
                f.truncate(size)
        r, lines, log = run_linux(linux_image, [
            "-device", "virtio-scsi-pci,id=s,addr=6",
            "-drive", f"file={blank0},format=raw,if=none,id=b0",
            "-drive", f"file={blank1},format=raw,if=none,id=b1",
            "-device", "scsi-hd,bus=s.0,scsi-id=1,lun=2,drive=boot",
            "-device", "scsi-cd,bus=s.0,scsi-id=2,lun=0",
            "-device", "scsi-hd,bus=s.0,scsi-id=1,lun=0,drive=b1",
            "-device", "scsi-hd,bus=s.0,scsi-id=0,lun=0,drive=b0"])

    # Kelp's log lists every LUN, with its size and drive number.
    luns = disk_lines(r.debug, "virtio-scsi")
    host = "virtio-scsi 00:06.0"
    expect = [(0, 0, 2048, 0x80), (1, 0, 4096, 0x81), (1, 2, sectors, 0x82)]
    for target, lun, n, drive in expect:
        who = f"{host} target {target} lun {lun}"
        found = [rest for w, rest in luns if w == who]
        assert found, f"{who} missing from Kelp's log: {luns}" + log
        assert f"{n * SECTOR >> 20} MiB, {n} sectors," in found[0], found[0]
        assert found[0].endswith(f"drive {drive:02x}h"), found[0]
    cd = [rest for w, rest in luns if w == f"{host} target 2 lun 0"]
    assert cd and "CD-ROM, not served" in cd[0], luns

    # The disk that boots (82h) answers as 80h from then on, 80h as 82h:
    # that is what Linux sees.
    assert "boot: drive 82h answers as 80h, 80h as 82h" in r.debug, log
    booted = {0x80: 0x82, 0x81: 0x81, 0x82: 0x80}
    for target, lun, n, drive in expect:
        edd = edd_fields(lines, f"int13_dev{booted[drive]:02x}")
        assert edd, f"no EDD entry for drive {booted[drive]:02x}h" + log
        assert int(edd["sectors"], 0) == n, edd
        assert edd.get("host_bus") == "PCI 00:06.0 channel: 0", edd
        assert edd.get("interface") == f"SCSI id: {target} lun: {lun}", edd
    assert int(edd_fields(lines, "int13_dev80").get("mbr_signature", "0"), 0) == signature


# ---- INT 13h I/O through the diskio boot sector ----

def blkdebug_drive(path, node="d0"):
    """A raw drive whose sector BAD_READ_LBA fails to read and sector
    BAD_WRITE_LBA fails to write (EIO), as a broken medium would."""
    spec = {"driver": "raw", "node-name": node, "file": {
        "driver": "blkdebug",
        "image": {"driver": "file", "filename": path},
        "inject-error": [
            {"event": "read_aio", "sector": BAD_READ_LBA, "errno": 5},
            {"event": "write_aio", "sector": BAD_WRITE_LBA, "errno": 5}]}}
    return ["-blockdev", json.dumps(spec)]


DISKIO_SETUPS = {
    "blk-legacy": (["-device", "virtio-blk-pci,drive=d0,disable-modern=on"], "04"),
    "blk-modern": (["-device", "virtio-blk-pci,drive=d0,disable-legacy=on"], "04"),
    # QEMU answers a failed read with ABORTED COMMAND: a controller error.
    "scsi-legacy": (["-device", "virtio-scsi-pci,id=s,disable-modern=on",
                     "-device", "scsi-hd,bus=s.0,scsi-id=3,lun=5,drive=d0"], "20"),
    "scsi-modern": (["-device", "virtio-scsi-pci,id=s,disable-legacy=on",
                     "-device", "scsi-hd,bus=s.0,scsi-id=0,lun=0,drive=d0"], "20"),
}


@pytest.mark.parametrize("setup", list(DISKIO_SETUPS))
def test_int13_writes_reach_the_disk_and_errors_are_reported(setup):
    build_image()
    args, bad_read_status = DISKIO_SETUPS[setup]
    with tempfile.TemporaryDirectory(prefix="kelp-virtio-") as tmp:
        disk = os.path.join(tmp, "diskio.img")
        shutil.copyfile(DISKIO_IMG, disk)
        with open(disk, "rb") as f:
            before = f.read()
        r = harness.run_qemu(firmware_path("kelp"), blkdebug_drive(disk) + args,
                             timeout=PAYLOAD_TIMEOUT)
        with open(disk, "rb") as f:
            after = f.read()
    values, _ = parse_probe(r.debug)
    log = "\n" + tail(r.debug, 25)
    assert r.status == harness.EXIT_OK_STATUS, f"exit status {r.status}" + log
    # Values are AH/CF.
    assert values.get("io.w43") == "00/0", values
    assert values.get("io.n43") == "02/0", "AH=43h did not report 2 blocks done"
    assert values.get("io.r42") == "00/0", values
    assert values.get("io.same") == "01/0", "AH=42h read back something else than was written"
    assert values.get("io.w03") == "00/0", values
    assert values.get("io.v44") == "00/0", values
    assert values.get("io.bad") == f"{bad_read_status}/1", \
        f"a failed read must be an error, not success: {values}" + log
    assert values.get("io.bw") == "cc/1", \
        f"a failed write must be reported as a write fault: {values}" + log
    assert values.get("io.end") == "01/1", values
    assert values.get("io.hi") == "01/1", values

    def sectors(data, lba, n=1):
        return data[lba * SECTOR:(lba + n) * SECTOR]
    assert sectors(after, 100, 2) == PATTERN, "the AH=43h write is not in the image"
    assert sectors(after, 1) == PATTERN[:SECTOR], "the AH=03h write is not in the image"
    assert sectors(after, 0) == sectors(before, 0), "the boot sector changed"
    changed = [lba for lba in range(len(after) // SECTOR)
               if sectors(after, lba) != sectors(before, lba)]
    assert changed == [1, 100, 101], f"sectors written: {changed}"


@pytest.mark.parametrize("setup", ["blk", "scsi"])
def test_disk_past_2tib_reads_beyond_32bit_lbas(setup):
    """A sparse disk of 2^32 + 2048 blocks: virtio-blk's 64-bit capacity,
    and for SCSI READ CAPACITY (16) and READ (16). blkio.S reads block
    100000005h, which holds "KELPHIGH"."""
    build_image()
    total = (1 << 32) + 2048
    device = {"blk": ["-device", "virtio-blk-pci,drive=d0"],
              "scsi": ["-device", "virtio-scsi-pci,id=s",
                       "-device", "scsi-hd,bus=s.0,drive=d0"]}[setup]
    with tempfile.TemporaryDirectory(prefix="kelp-virtio-") as tmp:
        disk = os.path.join(tmp, "big.img")
        shutil.copyfile(DISKIO_IMG, disk)
        with open(disk, "r+b") as f:
            f.truncate(total * SECTOR)
            f.seek(((1 << 32) + 5) * SECTOR)
            f.write(b"KELPHIGH".ljust(SECTOR, b"\0"))
        r = harness.run_qemu(firmware_path("kelp"), [
            "-drive", f"file={disk},format=raw,if=none,id=d0"] + device,
            timeout=PAYLOAD_TIMEOUT)
        with open(disk, "rb") as f:
            f.seek(100 * SECTOR)
            written = f.read(2 * SECTOR)
    values, _ = parse_probe(r.debug)
    log = "\n" + tail(r.debug, 25)
    assert r.status == harness.EXIT_OK_STATUS, f"exit status {r.status}" + log
    disks = disk_lines(r.debug, "virtio-" + setup)
    assert disks and f" {total} sectors," in disks[0][1], disks
    assert values.get("io.end") == "00/0", "LBA FFFFFFF0h is on this disk" + log
    assert values.get("io.hi") == "00/0", log
    assert values.get("io.hs") == "01/0", "block 100000005h read back wrong" + log
    assert values.get("io.same") == "01/0", log
    assert written == PATTERN


# ---- where the registers are ----

def boot_second(args, memory="128M"):
    """Boot Kelp on boot-second.img (which reads its own sector 0 back
    through INT 13h and exits) plus the given devices."""
    build_image()
    r = harness.run_qemu(firmware_path("kelp"), args, timeout=PAYLOAD_TIMEOUT, memory=memory)
    values, _ = parse_probe(r.debug)
    return r, values, "\n" + tail(r.debug, 25)


def test_4k_block_virtio_blk_disk_boots():
    r, values, log = boot_second([
        "-drive", f"file={SECOND_IMG},format=raw,if=none,id=d0,snapshot=on",
        "-device", "virtio-blk-pci,drive=d0,addr=4,logical_block_size=4096,"
                   "physical_block_size=4096"])
    disks = disk_lines(r.debug, "virtio-blk")
    size = os.path.getsize(SECOND_IMG)
    assert disks and disks[0][1].startswith("virtio 1.0 disk, 4096-byte blocks, "), disks
    assert f" {size // 4096} sectors," in disks[0][1], disks
    assert values.get("boot.second.dl") == "80", log
    assert values.get("boot.second.readback") == "1", log


def test_registers_above_4g_are_skipped_or_reached_through_legacy():
    """3.5 GiB of RAM leave a PCI hole too small for two 1 GiB BARs. The one
    on bus 0 moves above 4 GiB alone: the small BAR of the virtio 1.0 disk
    next to it stays below and is served. Behind the bridge everything
    moves with the bridge's 64-bit window: the modern-only disk there is
    logged and skipped, the transitional one is driven through its legacy
    I/O registers and boots (the disk on bus 0 is blank, so INT 19h moves
    on to it)."""
    with tempfile.TemporaryDirectory(prefix="kelp-virtio-") as tmp:
        blank = os.path.join(tmp, "blank.img")
        with open(blank, "wb") as f:
            f.truncate(1 << 20)
        r, values, log = boot_second([
            "-object", "memory-backend-ram,id=m0,size=1G",
            "-object", "memory-backend-ram,id=m1,size=1G",
            "-device", "ivshmem-plain,memdev=m0,addr=3",
            "-drive", f"file={blank},format=raw,if=none,id=d0,snapshot=on",
            "-device", "virtio-blk-pci,drive=d0,addr=4,disable-legacy=on",
            "-device", "pci-bridge,id=br1,chassis_nr=1,addr=5",
            "-device", "ivshmem-plain,memdev=m1,bus=br1,addr=1",
            "-drive", f"file={blank},format=raw,if=none,id=d1,snapshot=on",
            "-device", "virtio-blk-pci,drive=d1,bus=br1,addr=2,disable-legacy=on",
            "-drive", f"file={SECOND_IMG},format=raw,if=none,id=d2,snapshot=on",
            "-device", "virtio-blk-pci,drive=d2,bus=br1,addr=3"], memory="3584M")
    disks = dict(disk_lines(r.debug, "virtio-blk"))
    assert disks.get("virtio-blk 00:04.0", "").startswith("virtio 1.0 disk,"), disks
    assert disks.get("virtio-blk 00:04.0", "").endswith("drive 80h"), disks
    assert disks.get("virtio-blk 01:02.0") == "registers in a BAR above 4 GiB, not used", disks
    assert disks.get("virtio-blk 01:03.0", "").startswith("legacy virtio disk,"), disks
    assert disks.get("virtio-blk 01:03.0", "").endswith("drive 81h"), disks
    # The disk that boots answers as 80h for its boot (the one before, 81h).
    assert "boot: drive 81h answers as 80h" in r.debug, log
    assert values.get("boot.second.dl") == "80", log
    assert values.get("boot.second.readback") == "1", log
