"""Disks and CD drives on an AHCI controller (QEMU's ich9-ahci, -device ahci).

The controller sits at 00:05.0 and the drive on a port other than 0, with
no IDE drive at all, so everything INT 13h does goes through the AHCI
driver:

- the syslinux Linux disk (tests/images/mklinux.py) boots on Kelp and on
  SeaBIOS, and the kernel's EDD data says SATA, port 2, on 00:05.0;
- the service probe (tests/payloads/probe.c) reads the disk as it does on
  IDE, from the 8 MiB image and from a sparse 200 GiB copy (LBA48);
- the disk I/O probe (tests/payloads/diskio.c) writes and reads with
  buffers across 64 KiB and at odd addresses; blkdebug makes two sectors
  fail, and what INT 13h reported is checked against the image file;
- the El Torito images of tests/images/mkiso.py boot from an AHCI CD drive,
  and an empty one is skipped;
- with an IDE disk and six AHCI drives the drive numbers follow IDE and
  port order, and the driver's memory leaves room for QEMU's -initrd.
"""
import functools
import os
import re
import shutil
import struct
import subprocess

import pytest

import harness
import test_linux
import test_probe
from test_cdboot import isos, LINUX_ISO, PROBE_ISO, FLOPPY_ISO  # noqa: F401 (fixture)
from test_keyboard import LiveQemu
from test_linux import linux_image  # noqa: F401  (the disk image fixture)
from test_probe import firmware_path, parse_probe, mkimage

AHCI_ADDR = "05.0"
PORT = 2
LINUX_TIMEOUT = 150
PROBE_TIMEOUT = 60
DISKIO_MK = os.path.join("tests", "payloads", "diskio.mk")
DISKIO_IMG = os.path.join(harness.OUT, "test", "diskio.img")

# What tests/payloads/diskio.c reads and writes (keep in step with it).
READ_LBA = 100
WRITE_EXT_LBA, WRITE_ODD_LBA, WRITE_AFTER_LBA = 4000, 4100, 4200
ERR_READ_LBA, ERR_WRITE_LBA = 6000, 6100

FIRMWARES = [pytest.param("kelp", id="kelp"), pytest.param("seabios", id="seabios")]


def ahci(path, port=PORT, cd=False, drive_opts="format=raw,snapshot=on"):
    """An AHCI controller with one drive on the given port."""
    kind = "ide-cd" if cd else "ide-hd"
    media = ",media=cdrom,readonly=on" if cd else ""
    return ["-device", f"ahci,id=ahci,addr={AHCI_ADDR}",
            "-drive", f"if=none,id=d0,file={path},{drive_opts}{media}",
            "-device", f"{kind},drive=d0,bus=ahci.{port}"]


def tail(text, n=30):
    return "\n".join(text.replace("\r", "").splitlines()[-n:])


# ------------------------------------------------------------ Linux

@pytest.mark.parametrize("fw", FIRMWARES)
def test_linux_boots_from_ahci_port_2(fw, linux_image):
    r = harness.run_qemu(firmware_path(fw), ahci(linux_image),
                         timeout=LINUX_TIMEOUT, memory="256M", icount=False)
    log = f"\n--- serial ---\n{tail(r.serial)}\n--- debug ---\n{tail(r.debug)}"
    lines = test_linux.report(r.serial)
    assert any(l.startswith("start") for l in lines), "the kernel's init never ran" + log
    assert "done" in lines, "init did not finish" + log
    assert r.status == harness.EXIT_OK_STATUS, log

    edd = test_linux.edd_fields(lines, "int13_dev80")
    assert int(edd.get("sectors", "0"), 0) == os.path.getsize(linux_image) // 512, \
        f"EDD: {edd}" + log
    if fw == "kelp":
        with open(linux_image, "rb") as f:
            signature = struct.unpack_from("<I", f.read(512), 440)[0]
        assert int(edd.get("mbr_signature", "0"), 0) == signature, f"EDD: {edd}" + log
        assert edd.get("interface") == f"SATA device: {PORT}", f"EDD: {edd}" + log
        assert edd.get("host_bus") == f"PCI 00:{AHCI_ADDR[:2]}.0 channel: 255", \
            f"EDD: {edd}" + log
        sectors = os.path.getsize(linux_image) // 512
        assert re.search(rf"^ahci0-p{PORT}: QEMU HARDDISK \(lba48\), "
                         rf"{sectors * 512 >> 20} MiB, {sectors} sectors, .*drive 80h$",
                         r.debug, re.M), "Kelp's log does not name the disk" + log
        assert "ata0-" not in r.debug, "an IDE drive was found" + log


# ------------------------------------------------------------ the service probe

@functools.lru_cache(maxsize=None)
def run_probe(fw, img):
    r = harness.run_qemu(firmware_path(fw), ahci(img) + ["-rtc", "clock=vm"],
                         timeout=PROBE_TIMEOUT)
    values, dups = parse_probe(r.debug)
    assert not dups, f"keys printed twice: {dups}"
    assert values.get("done") == "1" and r.status == harness.EXIT_OK_STATUS, \
        f"{fw}: the probe did not finish (status {r.status})\n{tail(r.debug)}"
    return values, r.debug


@pytest.mark.parametrize("fw", FIRMWARES)
def test_probe_reads_match_the_image(fw):
    test_probe.build_image()
    v, _ = run_probe(fw, test_probe.IMG)
    test_probe.check_disk_reads(v, fw, test_probe.IMG, mkimage.TOTAL_SECTORS)
    test_probe.check_chs_reads(v, fw, test_probe.IMG, mkimage.TOTAL_SECTORS)
    assert v["boot.dl"] == "80"


def test_edd_names_the_sata_port():
    test_probe.build_image()
    v, _ = run_probe("kelp", test_probe.IMG)
    for size, pathlen in (("42", "24"), ("4a", "2c")):
        k = f"int13.80.48.{size}"
        assert v[k + ".cf"] == "0"
        assert v[k + ".dpte"] == "none", "an AHCI disk has no IDE parameter table"
        assert v[k + ".key"] == "bedd" and v[k + ".pathlen"] == pathlen
        assert v[k + ".hostbus"] == "PCI" and v[k + ".iface"] == "SATA"
        # bus 0, device 5, function 0, channel FFh (AHCI mode: EDD-4)
        assert v[k + ".ifpath"] == "000500ff00000000"
        # port 2, no port multiplier
        assert v[k + ".devpath"].startswith("0200") and not v[k + ".devpath"][4:].strip("0")
        assert v[k + ".sum_ok"] == "1"


def test_lba48_reads_of_a_200g_disk():
    img = test_probe.large_image()
    v, debug = run_probe("kelp", img)
    test_probe.check_disk_reads(v, "kelp", img, test_probe.LARGE_SECTORS)
    assert int(v["int13.80.42.last.lba"], 16) >= 1 << 28, "the last sector needs LBA48"
    assert f"ahci0-p{PORT}: QEMU HARDDISK (lba48), 204800 MiB" in debug


# ------------------------------------------------------------ writes and errors

BLKDEBUG = f"""\
[inject-error]
event = "read_aio"
iotype = "read"
errno = "5"
sector = "{ERR_READ_LBA}"

[inject-error]
event = "write_aio"
iotype = "write"
errno = "5"
sector = "{ERR_WRITE_LBA}"
"""


@pytest.fixture(scope="module")
def diskio_image():
    p = subprocess.run(["make", "--no-print-directory", "-f", DISKIO_MK, f"OUT={harness.OUT}"],
                       cwd=harness.ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0 or not os.path.exists(DISKIO_IMG):
        pytest.fail("building the disk I/O probe failed:\n" + p.stdout.decode(errors="replace"))
    return DISKIO_IMG


def run_diskio(fw, image, tmp_path):
    """Boot the disk I/O probe from a copy of image with two poisoned
    sectors; returns its values, the debug log and the copy's bytes."""
    disk = tmp_path / f"{fw}.img"
    shutil.copyfile(image, disk)
    cfg = tmp_path / "blkdebug.cfg"
    cfg.write_text(BLKDEBUG)
    r = harness.run_qemu(firmware_path(fw),
                         ahci(f"blkdebug:{cfg}:{disk}", drive_opts="format=raw"),
                         timeout=PROBE_TIMEOUT)
    values, dups = parse_probe(r.debug)
    assert not dups
    assert r.status == harness.EXIT_OK_STATUS, f"{fw}: status {r.status}\n{tail(r.debug)}"
    return {k[3:]: v for k, v in values.items() if k.startswith("io.")}, r.debug, \
        disk.read_bytes()


def sector(data, lba):
    return data[lba * 512:(lba + 1) * 512]


def written(lba, tag):
    """What diskio.c writes at lba (its write_byte())."""
    head = b"KIOW" + struct.pack("<I", lba) + tag
    return head + bytes((i * 7 + lba * 3) & 0xFF for i in range(12, 512))


@pytest.fixture(scope="module")
def diskio_runs(diskio_image, tmp_path_factory):
    return {fw: run_diskio(fw, diskio_image, tmp_path_factory.mktemp(f"diskio-{fw}"))
            for fw in ("kelp", "seabios") if os.path.exists(test_probe.FIRMWARES[fw])}


def test_reads_into_any_buffer(diskio_runs):
    v, _, _ = diskio_runs["kelp"]
    assert v["drive"] == "80"
    assert v["read.ext"] == "0:00:60:96"           # 96 sectors at 20000h
    assert v["read.cross"] == "0:00:10:16"         # across 20000h
    assert v["read.odd"] == "0:00:9:9"             # to 3000:0001
    assert v["read.chs.odd"] == "0:00:3:3"
    assert v["read.127"] == "0:00:7f:127"
    assert v["verify.ext"] == "0:00:10:0" and v["verify.chs"] == "0:00:1:0"


def test_writes_reach_the_disk(diskio_runs):
    v, _, data = diskio_runs["kelp"]
    assert v["write.ext"] == "0:00:8:8"
    assert v["write.odd"] == "0:00:6:6"
    assert v["write.chs"] == "0:00:2:2"
    chs_lba = int(v["write.chs.lba"])
    for lba, n, tag in ((WRITE_EXT_LBA, 8, b"EXT "), (WRITE_ODD_LBA, 6, b"ODD "),
                        (chs_lba, 2, b"CHS "), (WRITE_AFTER_LBA, 1, b"AFTR")):
        for i in range(n):
            assert sector(data, lba + i) == written(lba + i, tag), f"sector {lba + i}"
    # Nothing else changed.
    assert sector(data, WRITE_EXT_LBA + 8) == mkimage.marker_sector(WRITE_EXT_LBA + 8)


def test_failed_commands_report_and_recover(diskio_runs):
    v, debug, data = diskio_runs["kelp"]
    # The read covering the bad sector fails as a read error, 01h says so
    # too, and the next read works.
    assert v["err.read"] == "1:04:0:0"
    assert v["err.read.status01"] == "04"
    assert v["err.read.after"] == "0:00:1:1"
    # A failed write is reported, never taken for done, and the disk still
    # holds what was there; the next write lands.
    assert v["err.write"] == "1:cc:0:0"
    assert sector(data, ERR_WRITE_LBA) == mkimage.marker_sector(ERR_WRITE_LBA)
    assert v["err.write.after"] == "0:00:1:1"
    assert re.search(rf"^ahci0-p{PORT}: command 25 failed: status 41 error 04", debug, re.M)
    assert re.search(rf"^ahci0-p{PORT}: command 35 failed: status 41 error 04", debug, re.M)


def test_diskio_matches_seabios(diskio_runs):
    if "seabios" not in diskio_runs:
        pytest.skip(f"{harness.SEABIOS} is not installed")
    kelp, sea = diskio_runs["kelp"][0], diskio_runs["seabios"][0]
    for k in kelp:
        if k.startswith("err.") and k != "err.read.after" and k != "err.write.after":
            # Both fail; the status byte is each BIOS's choice.
            if k != "err.read.status01":
                assert kelp[k].split(":")[0] == sea[k].split(":")[0] == "1", k
        else:
            assert kelp[k] == sea[k], k


# ------------------------------------------------------------ CD drives

def test_linux_boots_from_an_ahci_cd(isos):
    r = harness.run_qemu(firmware_path("kelp"), ahci(LINUX_ISO, port=1, cd=True),
                         timeout=LINUX_TIMEOUT, memory="256M", icount=False)
    log = f"\n--- serial ---\n{tail(r.serial, 20)}\n--- debug ---\n{tail(r.debug)}"
    assert "ahci0-p1: ATAPI QEMU DVD-ROM, CD-ROM e0h" in r.debug, log
    assert "boot: El Torito image at" in r.debug and "with DL=e0" in r.debug, log
    assert "KELP-INIT done" in r.serial, log
    assert r.status == harness.EXIT_OK_STATUS, log


def cd_probe(iso):
    r = harness.run_qemu(firmware_path("kelp"), ahci(iso, port=3, cd=True),
                         timeout=PROBE_TIMEOUT)
    values, _ = parse_probe(r.debug)
    assert r.status == harness.EXIT_OK_STATUS, tail(r.debug)
    return {k[3:]: v.split(":") for k, v in values.items() if k.startswith("cd.")}


def test_cd_reads_and_edd(isos):
    v = cd_probe(PROBE_ISO)
    assert v["dl"] == ["e0"]
    p = bytes.fromhex(v["4b01"][2])
    assert p[0x02] == 0xE0 and p[0x08] == 3, "device specification: the port"
    assert v["42"] == ["0", "00", "0001", "014344303031"]     # the PVD, "CD001"
    assert v["self"] == ["0", "00", "1"]
    assert v["43"] == ["1", "03"]                             # write protected
    b = bytes.fromhex(v["48"][2])
    assert b[0x18:0x1A] == b"\x00\x08"                         # 2048-byte blocks
    assert int.from_bytes(b[0x10:0x18], "little") == os.path.getsize(PROBE_ISO) // 2048
    assert b[0x28:0x30] == b"SATA    " and b[0x30:0x34] == bytes((0, 5, 0, 0xFF))
    assert b[0x38] == 3
    assert sum(b[0x1E:0x4A]) % 256 == 0


def test_cd_floppy_emulation(isos):
    """512-byte sectors out of 2048-byte blocks (skip and partial blocks
    through the driver's bounce buffer)."""
    v = cd_probe(FLOPPY_ISO)
    assert v["dl"] == ["00"]
    assert v["chs"] == ["0", "00", "04", "00000037", "00000038", "00000039", "0000003a"]


def test_empty_cd_drive_is_skipped(isos):
    q = LiveQemu(firmware_path("kelp"), ["-device", f"ahci,id=ahci,addr={AHCI_ADDR}",
                                         "-drive", "if=none,id=cd,media=cdrom",
                                         "-device", "ide-cd,drive=cd,bus=ahci.1"])
    try:
        m = q.wait_for(r"No bootable device", PROBE_TIMEOUT)
        debug = q.debug()
    finally:
        q.close()
    assert m, f"Kelp did not give up:\n{tail(debug)}"
    assert "ahci0-p1: ATAPI QEMU DVD-ROM, CD-ROM e0h, no medium (status 31)" in debug, \
        tail(debug)


# ------------------------------------------------------------ a full controller

def test_full_controller_after_ide(isos):
    """An IDE disk and six AHCI drives: IDE's disk stays 80h, the AHCI disks
    follow in port order, the CD gets E0h, and the ports' memory keeps the
    high zone within the top 160 KiB of RAM, which QEMU keeps free of
    -initrd."""
    test_probe.build_image()
    boot = os.path.join(harness.OUT, "test", "boot-second.img")
    args = ["-drive", f"file={boot},format=raw,if=ide,snapshot=on",
            "-device", f"ahci,id=ahci,addr={AHCI_ADDR}"]
    for port in range(5):
        args += ["-drive", f"if=none,id=d{port},file={test_probe.IMG},format=raw,snapshot=on",
                 "-device", f"ide-hd,drive=d{port},bus=ahci.{port}"]
    args += ["-drive", f"if=none,id=cd,file={PROBE_ISO},format=raw,media=cdrom,readonly=on",
             "-device", "ide-cd,drive=cd,bus=ahci.5"]
    r = harness.run_qemu(firmware_path("kelp"), args, timeout=PROBE_TIMEOUT)
    values, _ = parse_probe(r.debug)
    assert values.get("boot.second.readback") == "1", tail(r.debug)
    assert re.search(r"^ata0-0: .* drive 80h$", r.debug, re.M), tail(r.debug)
    for port in range(5):
        assert re.search(rf"^ahci0-p{port}: QEMU HARDDISK .* drive {0x81 + port:02x}h$",
                         r.debug, re.M), tail(r.debug)
    assert "ahci0-p5: ATAPI QEMU DVD-ROM, CD-ROM e0h" in r.debug
    m = re.search(r"^alloc: (\d+) KiB of tables at the top of RAM", r.debug, re.M)
    assert m and int(m.group(1)) <= 160, m and m.group(0)
