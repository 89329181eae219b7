"""El Torito boot from an ATAPI CD-ROM on the PIIX IDE channels.

The images come from tests/images/mkiso.py: linux-cd.iso boots the test
Linux through ISOLINUX (no emulation); cdprobe*.iso hold a small boot
program that reports, as "PROBE cd.<name>=<cf>:<ah>:..." lines on the
debug console, what INT 13h says about the drive it was started from, then
exits QEMU. The same program runs from a no-emulation image, a 1.44 MB
floppy image and a hard disk image (16 heads, 63 sectors per track).

Where SeaBIOS gets a value right, Kelp must give the same one; where it
does not (the geometry bytes of the 4B01h packet, which SeaBIOS stores in
partition-table order, and its drive count in 08h under hard disk
emulation) the El Torito specification decides.
"""
import os
import re
import subprocess
import sys
import tempfile

import pytest

import harness
from harness import LiveQemu
from test_probe import firmware_path, parse_probe

MKISO = os.path.join(harness.ROOT, "tests", "images", "mkiso.py")
IMAGE_DIR = os.path.join(harness.OUT, "test")
LINUX_ISO = os.path.join(IMAGE_DIR, "linux-cd.iso")
PROBE_ISO = os.path.join(IMAGE_DIR, "cdprobe.iso")
FLOPPY_ISO = os.path.join(IMAGE_DIR, "cdprobe-fd.iso")
HDD_ISO = os.path.join(IMAGE_DIR, "cdprobe-hd.iso")
FLOPPY_IMG = os.path.join(IMAGE_DIR, "cdprobe-fd.img")
LINUX_DISK = os.path.join(IMAGE_DIR, "linux-ide.img")
LINUX_TIMEOUT = 150
PROBE_TIMEOUT = 30
NO_BOOT_TIMEOUT = 20
DISK_SIGNATURE = "504c454b"     # linux-ide.img's MBR disk signature

FIRMWARES = [
    pytest.param("kelp", id="kelp"),
    pytest.param("seabios", id="seabios"),
]


@pytest.fixture(scope="module")
def isos():
    p = subprocess.run([sys.executable, MKISO, "--out", IMAGE_DIR],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if p.returncode != 0 or not os.path.exists(HDD_ISO):
        pytest.fail(f"mkiso.py failed ({p.returncode}):\n{p.stdout}{p.stderr}")


def hard_disk(path, index=0):
    return ["-drive", f"file={path},format=raw,if=ide,index={index},snapshot=on"]


def probe(fw, iso, extra=()):
    """Run the boot program of iso (None: boot from what extra gives); its
    PROBE values split into fields."""
    r = harness.run_qemu(firmware_path(fw), (["-cdrom", iso] if iso else []) + list(extra),
                         timeout=PROBE_TIMEOUT)
    values, dups = parse_probe(r.debug)
    tail = "\n".join(r.debug.splitlines()[-20:])
    assert not dups, f"PROBE keys printed twice: {dups}\n{tail}"
    assert r.status == harness.EXIT_OK_STATUS, f"status {r.status}:\n{tail}"
    return {k[3:]: v.split(":") for k, v in values.items() if k.startswith("cd.")}, tail


def packet(fields):
    """Fields of the 4B01h packet dump (20 bytes: the packet and one more)."""
    b = bytes.fromhex(fields[2])
    assert len(b) == 20
    return b


def iso_blocks(path):
    return os.path.getsize(path) // 2048


@pytest.mark.parametrize("fw", FIRMWARES)
def test_linux_boots_from_cd(fw, isos):
    r = harness.run_qemu(firmware_path(fw), ["-cdrom", LINUX_ISO],
                         timeout=LINUX_TIMEOUT, memory="256M", icount=False)
    tail = "\n".join(r.serial.replace("\r", "").splitlines()[-20:])
    assert "KELP-INIT start" in r.serial, f"the kernel's init never ran:\n{tail}"
    assert "KELP-INIT done" in r.serial, f"init did not finish:\n{tail}"
    assert r.status == harness.EXIT_OK_STATUS, f"status {r.status}:\n{tail}"


def test_boot_order_d_boots_cd_before_hard_disk(isos):
    """A bootable hard disk is present, but -boot order=d puts the CD first."""
    r = harness.run_qemu(firmware_path("kelp"),
                         hard_disk(LINUX_DISK) + ["-cdrom", LINUX_ISO, "-boot", "order=d"],
                         timeout=LINUX_TIMEOUT, memory="256M", icount=False)
    tail = "\n".join(r.debug.splitlines()[-20:])
    assert "boot 1: CD-ROM e0h" in r.debug, f"the CD is not first in the boot list:\n{tail}"
    assert "jumping to 07c0:0000 with DL=e0" in r.debug, f"the CD was not booted:\n{tail}"
    assert "Booting from Hard Disk" not in r.debug, f"the hard disk was booted:\n{tail}"
    assert "KELP-INIT done" in r.serial, "init did not finish"
    assert r.status == harness.EXIT_OK_STATUS


@pytest.fixture(scope="module")
def no_emulation(isos):
    return {fw: probe(fw, PROBE_ISO, hard_disk(LINUX_DISK) + ["-boot", "order=d"])[0]
            for fw in ("kelp", "seabios")}


def test_no_emulation_drive_is_e0_and_packet_matches_seabios(no_emulation):
    kelp, sea = no_emulation["kelp"], no_emulation["seabios"]
    assert kelp["dl"] == ["e0"]
    assert kelp["4b01"][:2] == ["0", "00"]
    p = packet(kelp["4b01"])
    assert p[0x00] == 0x13                      # packet size
    assert p[0x01] == 0x00                      # no emulation
    assert p[0x02] == 0xE0                      # the CD's drive number
    assert p[0x03] == 0x01                      # secondary IDE channel (-cdrom)
    assert p[0x08:0x0A] == b"\x00\x00"          # master
    assert p[0x0C:0x10] == bytes.fromhex("c0070800")   # 07C0h, 8 sectors
    assert p[0x10:0x13] == b"\x00\x00\x00"      # no geometry
    assert p[0x13] == 0xCC, "4B01h wrote past the 13h-byte packet"
    assert kelp["4b01"] == sea["4b01"]


def test_no_emulation_reads_2048_byte_blocks(no_emulation):
    kelp, sea = no_emulation["kelp"], no_emulation["seabios"]
    assert kelp["41"] == ["0", "30", "aa55", "0007"] == sea["41"]
    # Block 16 is the primary volume descriptor: type 1, "CD001".
    assert kelp["42"] == ["0", "00", "0001", "014344303031"] == sea["42"]
    # The image's block at the 4B01h LBA is what the BIOS loaded at 7C00h.
    assert kelp["self"] == ["0", "00", "1"] == sea["self"]
    assert kelp["43"] == ["1", "03"] == sea["43"]       # write protected
    assert kelp["08"][:2] == ["1", "01"] == sea["08"][:2]   # no CHS on a CD
    # The hard disk is still 80h and counted.
    assert kelp["hd80"] == ["0", "00", DISK_SIGNATURE] == sea["hd80"]
    assert kelp["bda"][0] == "01"


def test_no_emulation_edd_parameters(no_emulation):
    kelp, sea = no_emulation["kelp"], no_emulation["seabios"]
    assert kelp["48"][:2] == ["0", "00"]
    b = bytes.fromhex(kelp["48"][2])
    s = bytes.fromhex(sea["48"][2])
    assert int.from_bytes(b[0:2], "little") == 0x4A
    assert b[0x4A:0x4C] == b"\xcc\xcc", "48h wrote past the caller's buffer"
    flags = int.from_bytes(b[2:4], "little")
    assert flags & 0x74 == 0x74 == int.from_bytes(s[2:4], "little") & 0x74   # removable etc.
    assert b[0x18:0x1A] == s[0x18:0x1A] == b"\x00\x08"         # 2048 bytes per block
    assert int.from_bytes(b[0x10:0x18], "little") == iso_blocks(PROBE_ISO)
    assert b[0x1E:0x20] == b"\xdd\xbe" and b[0x20] == 0x2C
    assert b[0x24:0x28] == b"PCI "
    assert b[0x28:0x30] == b"ATAPI   "
    assert b[0x30:0x34] == bytes((0, 1, 1, 1))      # 00:01.1, secondary channel
    assert b[0x38] == 0 and b[0x39] == 0            # master, LUN 0
    assert sum(b[0x1E:0x4A]) % 256 == 0, "device path checksum"


@pytest.mark.parametrize("fw", FIRMWARES)
def test_floppy_emulation(fw, isos):
    v, tail = probe(fw, FLOPPY_ISO)
    assert v["dl"] == ["00"], tail
    p = packet(v["4b01"])
    assert v["4b01"][:2] == ["0", "00"]
    assert p[0x01] == 0x02 and p[0x02] == 0x00      # 1.44 MB image is drive 00h
    assert p[0x0C:0x10] == bytes.fromhex("c0070100")
    if fw == "kelp":
        # 10h-12h as INT 13h 08h gives them: CH, CL, DH.
        assert p[0x10:0x13] == bytes((79, 18, 1))
        assert v["08"] == ["0", "00", "04", "4f12", "0101", "f000", "efc7"]
        assert int(v["bda"][1], 16) & 0xC1 == 0x01   # one diskette drive
        # 4B00h ends the emulation: no diskette any more, 4B01h fails.
        assert v["4b00"][:2] == ["0", "00"]
        assert int(v["4b00"][3], 16) & 0x01 == 0
        assert v["4b00"][4:] == ["1", "01"]
    else:
        assert v["08"][:5] == ["0", "00", "04", "4f12", "0101"]
    # Cylinder 1, head 1, sector 2 is virtual sector 55: its CD block starts
    # with sector 52, and the four sectors cross into the next block.
    assert v["chs"] == ["0", "00", "04", "00000037", "00000038", "00000039", "0000003a"]
    assert v["03"] == ["1", "03"]
    assert v["41"][:2] == ["1", "01"] and v["48"][:2] == ["1", "01"]


@pytest.mark.parametrize("fw", FIRMWARES)
def test_floppy_image_boots_from_the_diskette_drive(fw, isos):
    """The floppy-emulation image, this time in a real (QEMU i82078)
    diskette drive, read-only: the same program boots from drive 00h and
    reads across tracks through the controller and DMA."""
    v, tail = probe(fw, None, ["-drive", f"if=floppy,file={FLOPPY_IMG},format=raw,readonly=on"])
    assert v["dl"] == ["00"], tail
    assert v["08"][:5] == ["0", "00", "04", "4f12", "0101"], tail
    if fw == "kelp":
        # SeaBIOS answers 4B01h for any drive with an empty packet.
        assert v["4b01"][:2] == ["1", "01"], tail        # not a CD
        assert v["08"][5:] == ["f000", "efc7"], tail
        assert int(v["bda"][1], 16) & 0xC1 == 0x01       # one diskette drive
    assert v["chs"] == ["0", "00", "04", "00000037", "00000038", "00000039", "0000003a"], tail
    assert v["03"] == ["1", "03"], tail                  # write-protected medium
    assert v["41"][:2] == ["1", "01"] and v["48"][:2] == ["1", "01"], tail


@pytest.mark.parametrize("fw", FIRMWARES)
def test_hard_disk_emulation_shifts_the_real_disk(fw, isos):
    v, tail = probe(fw, HDD_ISO, hard_disk(LINUX_DISK) + ["-boot", "order=d"])
    assert v["dl"] == ["80"], tail
    p = packet(v["4b01"])
    assert p[0x01] == 0x04 and p[0x02] == 0x80
    # The real disk answers as 81h and the count in 40:75 includes the image.
    assert v["next"] == ["0", "00", DISK_SIGNATURE]
    assert v["bda"][0] == "02"
    # Sector 2 of head 1, cylinder 1 with 63 sectors and 16 heads: 1072.
    assert v["chs"] == ["0", "00", "04", "00000430", "00000431", "00000432", "00000433"]
    assert v["03"] == ["1", "03"]
    if fw == "kelp":
        assert p[0x10:0x13] == bytes((19, 63, 15))
        assert v["08"][:5] == ["0", "00", "aa", "133f", "0f02"]   # 20 cyl, 16 heads, 2 disks
        assert v["15"] == ["0", "03", "0000", "4ec0"]              # 20 x 16 x 63 sectors
        assert v["4b00"][:4] == ["0", "00", "01", v["bda"][1]]     # the image is gone
        assert v["4b00"][4:] == ["1", "01"]


def test_cd_after_unbootable_disk(isos):
    """A disk without a boot signature falls through to the CD."""
    with tempfile.TemporaryDirectory(prefix="kelp-cd-") as tmp:
        blank = os.path.join(tmp, "blank.img")
        with open(blank, "wb") as f:
            f.truncate(1 << 20)
        v, tail = probe("kelp", PROBE_ISO, hard_disk(blank) + ["-boot", "order=cd"])
    assert v["dl"] == ["e0"], tail


def no_boot(args):
    q = LiveQemu(firmware_path("kelp"), args)
    try:
        m = q.wait_for(r"No bootable device", NO_BOOT_TIMEOUT)
        return m, q.debug()
    finally:
        q.close()


def test_empty_cd_drive_is_skipped(isos):
    m, debug = no_boot(["-drive", "if=ide,index=2,media=cdrom"])
    tail = "\n".join(debug.splitlines()[-15:])
    assert m, f"Kelp did not give up:\n{tail}"
    assert "no medium" in debug and "boot 1: CD-ROM e0h" in debug, tail
    assert "could not read the CD (status 31)" in debug, tail


def plain_iso(tmp):
    """An ISO 9660 image without El Torito records."""
    os.makedirs(os.path.join(tmp, "root"))
    with open(os.path.join(tmp, "root", "README"), "w") as f:
        f.write("not bootable\n")
    iso = os.path.join(tmp, "plain.iso")
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-o", iso,
                    os.path.join(tmp, "root")], check=True, capture_output=True)
    return iso


def test_cd_without_el_torito_is_skipped(isos):
    with tempfile.TemporaryDirectory(prefix="kelp-cd-") as tmp:
        m, debug = no_boot(["-cdrom", plain_iso(tmp)])
    tail = "\n".join(debug.splitlines()[-15:])
    assert m, f"Kelp did not give up:\n{tail}"
    assert "no El Torito boot image (error 2)" in debug, tail


def test_slave_cd_behind_master_cd_boots_as_e1(isos):
    """Two CD drives on the secondary channel, the master's disc not
    bootable: the slave (found although the master was talked to first)
    is drive E1h and its packet says so."""
    with tempfile.TemporaryDirectory(prefix="kelp-cd-") as tmp:
        r = harness.run_qemu(firmware_path("kelp"),
                             ["-drive", f"file={plain_iso(tmp)},if=ide,index=2,media=cdrom",
                              "-drive", f"file={PROBE_ISO},if=ide,index=3,media=cdrom"],
                             timeout=PROBE_TIMEOUT)
    values, _ = parse_probe(r.debug)
    tail = "\n".join(r.debug.splitlines()[-20:])
    assert "boot 2: CD-ROM e1h" in r.debug, tail
    assert values.get("cd.dl") == "e1", tail
    p = bytes.fromhex(values["cd.4b01"].split(":")[2])
    assert p[0x02] == 0xE1 and p[0x03] == 0x01 and p[0x08] == 0x01   # secondary slave
    assert r.status == harness.EXIT_OK_STATUS, tail


GRUB_CFG = """serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
echo "KELP-GRUB root=$root"
ls
echo "KELP-GRUB halting"
halt
"""


@pytest.fixture(scope="module")
def grub_iso(tmp_path_factory):
    """A GRUB rescue CD (grub-mkrescue, i386-pc) whose grub.cfg reports on
    COM1, lists the drives GRUB found through INT 13h and powers off."""
    d = tmp_path_factory.mktemp("grub")
    os.makedirs(d / "iso" / "boot" / "grub")
    (d / "iso" / "boot" / "grub" / "grub.cfg").write_text(GRUB_CFG)
    iso = d / "grub.iso"
    p = subprocess.run(["grub-mkrescue", "-o", str(iso), str(d / "iso")],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert p.returncode == 0 and iso.exists(), p.stdout + p.stderr
    return str(iso)


@pytest.mark.parametrize("fw", FIRMWARES)
def test_grub_rescue_cd_boots(fw, grub_iso):
    r = harness.run_qemu(firmware_path(fw), ["-cdrom", grub_iso], timeout=LINUX_TIMEOUT)
    serial = r.serial.replace("\r", "")
    assert "KELP-GRUB root=" in serial, serial[-2000:] + r.debug[-2000:]
    # GRUB's own view of the BIOS drives: the CD it booted from.
    assert re.search(r"\(cd\)", serial), serial[-2000:]
    assert "KELP-GRUB halting" in serial, serial[-2000:]
    # GRUB's halt switches the machine off through ACPI or APM.
    assert r.status == 0, (r.status, serial[-2000:])
