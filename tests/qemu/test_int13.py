"""INT 13h on the IDE path: big disks, writes, I/O errors, request checks,
and boot devices that must be skipped.

out/test/int13.img has the probe disk's layout (tests/payloads/README.md:
marker sectors from LBA 65 on) with tests/payloads/int13.c as the body; its
mode byte picks the script, and every result comes back as a "PROBE
<key>=<cf>:<ah>:..." line (see int13.c). I/O errors come from QEMU's
blkdebug driver (rules in a config file, `-drive file=blkdebug:RULES:IMAGE`).
QEMU's IDE model fails every such request with ABRT in the error register,
so the statuses checked here are the ones Kelp gives an aborted command
(20h for reads, CCh for writes, hw/ata_error.c); the other error register
bits are covered by tests/unit/test_ata_error.c.

QEMU will not attach a read-only image as an IDE hard disk ("Block node is
read-only"), so a write-protected disk is one whose every write fails with
EROFS, through blkdebug.

The boot tests put a disk or CD Kelp must refuse first and
boot-second.img (tests/payloads/bootchain.S) after it; the refused device,
if started, would print "PROBE boot.first.dl" (its boot code is
boot-int18.img's).
"""
import fcntl
import functools
import os
import shutil
import struct
import subprocess
import tempfile

import pytest

import harness
from test_boot import INT18_IMG, SECOND_IMG, check_second_booted, drive
from test_keyboard import LiveQemu
from test_probe import build_image, firmware_path, mkimage, parse_probe

IMG = os.path.join(harness.OUT, "test", "int13.img")
BIG_IMG = os.path.join(harness.OUT, "test", "int13-3t.img")
INT18_BIN = os.path.join(harness.OUT, "test", "probe", "boot-int18.bin")
VBR_IMG = os.path.join(harness.OUT, "test", "boot-vbr.img")
TIMEOUT = 60
SECTOR = mkimage.SECTOR

# Mode bytes of int13.c
MODE_BIG, MODE_WRITE, MODE_FAULTS, MODE_REQUESTS = 2, 3, 4, 5

# The 3 TiB disk: beyond LBA28, 2^32 sectors and 2 TiB.
BIG_SECTORS = 3 * 2**40 // SECTOR
# Sectors int13.c reads on it (two across each limit, one far above 2^32);
# the test writes a marker naming the full 64-bit LBA into each.
BIG_MARKED = [0x0FFFFFFF, 0x10000000, 0xFFFFFFFF, 0x100000000, 0x100002345]

# int13.c's write targets (LBA -> tag) and the faulty sectors of MODE_FAULTS.
WRITES = {100: "C", 101: "C", 200: "E", 201: "E", 202: "E", 300: "V"}
FLT_FLUSH, FLT_READ_ONCE, FLT_READ_BAD, FLT_WRITE_ONCE = 4000, 1000, 2000, 3000


# ---------------------------------------------------------------- helpers

def marker_sum(lba, total=mkimage.TOTAL_SECTORS):
    return f"{mkimage.sector_sum(mkimage.marker_sector(lba, total)):08x}"


def high_marker(lba):
    return b"KI13HIGH" + struct.pack("<Q", lba) + bytes(SECTOR - 16)


def written(lba, tag):
    """The sector int13.c's pattern() writes to lba with tag."""
    t = ord(tag)
    body = bytes(((i * 5 + lba + t) & 0xFF) for i in range(13, SECTOR))
    return b"KI13WRIT" + struct.pack("<I", lba) + bytes([t]) + body


def image_with_mode(tmp, mode, src=IMG):
    build_image()
    path = os.path.join(tmp, f"int13-mode{mode}.img")
    mkimage.with_mode(src, path, mode)
    return path


def run(args):
    """Boot int13.c under Kelp; its values, split into fields, and the log.
    Fails unless it ran to the end and exited through isa-debug-exit."""
    res = harness.run_qemu(firmware_path("kelp"), args, timeout=TIMEOUT)
    values, dups = parse_probe(res.debug)
    tail = "\n".join(res.debug.splitlines()[-30:])
    assert not res.timed_out, f"timed out after {TIMEOUT}s:\n{tail}"
    assert res.status == harness.EXIT_OK_STATUS and values.get("done") == "1", \
        f"exit status {res.status}:\n{tail}"
    assert not dups, f"keys printed twice: {dups}"
    return {k: v.split(":") for k, v in values.items()}, res.debug


def ide(path, extra=""):
    return ["-drive", f"file={path},format=raw,if=ide,index=0{extra}"]


def blkdebug(tmp, path, rules):
    """-drive arguments for path behind blkdebug with these rules, each a
    dict of one [inject-error] section."""
    conf = os.path.join(tmp, "rules.conf")
    with open(conf, "w") as f:
        for rule in rules:
            f.write("[inject-error]\n")
            for k, v in rule.items():
                f.write(f'{k} = "{v}"\n')
    return ["-drive", f"file=blkdebug:{conf}:{path},format=raw,if=ide,index=0"]


def sectors_of(path):
    with open(path, "rb") as f:
        data = f.read()
    return [data[i:i + SECTOR] for i in range(0, len(data), SECTOR)]


# ---------------------------------------------------------------- big disk

@functools.lru_cache(maxsize=None)
def big_image():
    """out/test/int13-3t.img: int13.img in MODE_BIG grown (sparse) to 3 TiB,
    markers in BIG_MARKED; remade whenever int13.img is newer."""
    build_image()
    with open(os.path.join(harness.OUT, "test", ".probe-build.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(BIG_IMG) or os.path.getmtime(BIG_IMG) < os.path.getmtime(IMG):
            tmp = BIG_IMG + ".tmp"
            mkimage.with_mode(IMG, tmp + ".small", MODE_BIG)
            mkimage.large_copy(tmp + ".small", tmp, BIG_SECTORS)
            os.unlink(tmp + ".small")
            with open(tmp, "r+b") as f:
                for lba in BIG_MARKED:
                    f.seek(lba * SECTOR)
                    f.write(high_marker(lba))
            os.replace(tmp, BIG_IMG)
    return BIG_IMG


def test_3tib_disk_full_size_and_sectors_above_2_32():
    v, log = run(ide(big_image(), ",snapshot=on"))
    assert f"{BIG_SECTORS} sectors" in log
    cf, ah, bx, cx = v["big.41"]
    assert (cf, ah, bx) == ("0", "30", "aa55") and int(cx, 16) & 1, v["big.41"]
    assert v["big.48"] == ["0", "00", f"{BIG_SECTORS:016x}", "0200"]
    for lba, count in ((0x0FFFFFFF, 2), (0xFFFFFFFF, 2), (0x100002345, 1)):
        key = f"{lba >> 32:x}{lba & 0xFFFFFFFF:08x}"
        assert v[f"big.42.{key}"] == ["0", "00", f"{count:x}"], key
    for lba in BIG_MARKED:
        sec = high_marker(lba)
        key = f"big.sec.{lba >> 32:x}{lba & 0xFFFFFFFF:08x}"
        assert v[key] == [sec[:16].hex(), f"{mkimage.sector_sum(sec):08x}"], key
    last = mkimage.marker_sector(BIG_SECTORS - 1, BIG_SECTORS)
    assert last[12:16] == b"LAST"
    assert v["big.42.last"] == ["0", "00", "1"]
    assert v["big.sec.last"] == [last[:16].hex(), f"{mkimage.sector_sum(last):08x}"]
    assert v["big.42.beyond"] == ["1", "01", "0"]


# ---------------------------------------------------------------- writes

def test_chs_and_edd_writes_land_exactly_where_asked():
    with tempfile.TemporaryDirectory(prefix="kelp-int13-") as tmp:
        img = image_with_mode(tmp, MODE_WRITE)
        before = sectors_of(img)
        v, _ = run(ide(img))
        after = sectors_of(img)
    assert v["wr.geometry"] == ["16", "63"]
    assert v["wr.03"] == ["0", "00", "2"]           # AL = sectors written
    assert v["wr.43"] == ["0", "00", "3"]
    assert v["wr.43v"] == ["0", "00", "1"]          # AL = 2: with verify
    assert v["wr.43wrap"] == ["1", "09", "0"]       # buffer past FFFF:FFFF
    changed = {lba for lba, (a, b) in enumerate(zip(before, after)) if a != b}
    assert changed == set(WRITES), f"sectors changed: {sorted(changed)}"
    for lba, tag in WRITES.items():
        assert after[lba] == written(lba, tag), lba
    # what the guest read back through 42h is what is on the image
    for first, count in ((100, 2), (200, 3), (300, 1)):
        assert v[f"wr.back.{first}"] == ["0", "00", f"{count:x}"]
        for i in range(count):
            assert v[f"wr.back.{first}.{i}"] == [f"{mkimage.sector_sum(after[first + i]):08x}"]
    assert v["wr.back.400.0"] == [marker_sum(400)]


def test_write_protected_disk_refuses_every_write():
    with tempfile.TemporaryDirectory(prefix="kelp-int13-") as tmp:
        img = image_with_mode(tmp, MODE_WRITE)
        with open(img, "rb") as f:
            before = f.read()
        # every write fails with EROFS (30); reads are left alone
        v, log = run(blkdebug(tmp, img, [{"event": "write_aio", "iotype": "write",
                                          "errno": 30}]))
        with open(img, "rb") as f:
            after = f.read()
    for key in ("wr.03", "wr.43", "wr.43v"):
        cf, ah, count = v[key]
        assert cf == "1" and ah != "00" and count == "0", (key, v[key])
        assert ah == "cc", (key, ah)        # an aborted write: write fault
    assert after == before
    for first, count in ((100, 2), (200, 3), (300, 1)):
        assert v[f"wr.back.{first}"] == ["0", "00", f"{count:x}"]
        for i in range(count):
            assert v[f"wr.back.{first}.{i}"] == [marker_sum(first + i)]
    assert "ata0-0: write at lba 100 failed" in log
    assert "ata0-0: write at lba 200 failed" in log


# ---------------------------------------------------------------- faults

def test_io_errors_are_reported_and_a_retry_succeeds():
    rules = [
        {"event": "flush_to_disk", "errno": 5, "once": "on"},
        {"event": "read_aio", "errno": 5, "sector": FLT_READ_ONCE, "once": "on"},
        {"event": "read_aio", "iotype": "read", "errno": 5, "sector": FLT_READ_BAD},
        {"event": "write_aio", "errno": 5, "sector": FLT_WRITE_ONCE, "once": "on"},
    ]
    with tempfile.TemporaryDirectory(prefix="kelp-int13-") as tmp:
        img = image_with_mode(tmp, MODE_FAULTS)
        v, log = run(blkdebug(tmp, img, rules))
        after = sectors_of(img)
    # A write whose cache flush fails is not reported as done; the retry is.
    assert v["flt.flush.1"] == ["1", "cc", "0"]
    assert v["flt.flush.2"] == ["0", "00", "1"]
    assert "ata0-0: write (cache flush) at lba 4000 failed" in log
    # A read error, then the same read once the fault has cleared.
    assert v["flt.read.1"] == ["1", "20", "0", "00000000"]
    assert v["flt.read.2"] == ["0", "00", "1", marker_sum(FLT_READ_ONCE)]
    assert f"ata0-0: read at lba {FLT_READ_ONCE} failed" in log
    # Four sectors, the third bad: the first two arrive and are counted.
    assert v["flt.multi"] == ["1", "20", "2", marker_sum(FLT_READ_BAD - 2),
                              marker_sum(FLT_READ_BAD - 1)]
    assert v["flt.status"] == ["1", "20"]           # 01h: the last status
    # A write error is reported, the retry lands.
    assert v["flt.write.1"] == ["1", "cc", "0"]
    assert v["flt.write.2"] == ["0", "00", "1"]
    assert after[FLT_WRITE_ONCE] == written(FLT_WRITE_ONCE, "2")
    assert after[FLT_FLUSH] == written(FLT_FLUSH, "F")


# ---------------------------------------------------------------- requests

def test_request_validation():
    with tempfile.TemporaryDirectory(prefix="kelp-int13-") as tmp:
        img = image_with_mode(tmp, MODE_REQUESTS)
        v, log = run(ide(img, ",snapshot=on"))
    # EDD allows 127 blocks; 128 (64 KiB) is served too, 256 (a word) is
    # refused and nothing moves
    assert v["rq.count128"] == ["0", "00", "80", "0"]
    assert v["rq.count256"] == ["1", "01", "0", "1"]
    assert v["rq.count127"] == ["0", "00", "7f", marker_sum(65), marker_sum(65 + 126)]
    assert v["rq.size0f"] == ["1", "01", "0"]
    # 64-bit flat buffer: honoured below 1 MiB, refused without the field
    # (10h packet) or out of real mode's reach
    assert v["rq.flat"] == ["0", "00", "1", marker_sum(70)]
    assert v["rq.flat10"] == ["1", "01", "0"]
    assert v["rq.flathigh"] == ["1", "01", "0"]
    assert v["rq.flat64"] == ["1", "01", "0"]
    # across a segment's end: on at the next linear address, the start of
    # the segment untouched
    assert v["rq.cross"] == ["0", "00", "2", marker_sum(80), marker_sum(81), "1"]
    # FFFF:0010 is 100000h, not 0000:0000
    assert v["rq.hma"] == ["0", "00", "1", marker_sum(90), "1"]
    # past FFFF:FFFF: 09h, nothing written anywhere
    assert v["rq.wrap"] == ["1", "09", "0", "1", "1"]
    assert v["rq.chswrap"] == ["1", "09", "0", "1", "1"]
    assert v["rq.seek"] == ["0", "00"]
    # drive left with DRQ set by a program of its own: reset, right sector
    cf, ah, count, got, st = v["rq.stale"]
    assert int(st, 16) & 0x88 == 0x08, "the guest did not leave the drive in a data phase"
    assert [cf, ah, count, got] == ["0", "00", "1", marker_sum(600)]
    assert "ata0-0: in the middle of a transfer" in log


# ---------------------------------------------------------------- boot

BOOT_TIMEOUT = 30


def boot(args):
    """Boot Kelp until the second disk has reported (QEMU then exits) or
    Kelp has given up; the guest's PROBE values, QEMU's exit status and
    the whole debug log."""
    build_image()
    q = LiveQemu(firmware_path("kelp"), args)
    try:
        q.wait_for(r"PROBE boot\.second\.readback=\S|No bootable device", BOOT_TIMEOUT)
        status = q.finish(5) if q.proc.poll() is None and "boot.second" in q.debug() \
            else q.proc.poll()
        debug = q.debug()
    finally:
        q.close()
    values, _ = parse_probe(debug)
    return values, status, debug

def mbr_entry(flag, typ, start, size):
    return struct.pack("<B3sB3sII", flag, bytes(3), typ, bytes(3), start, size)


def first_disk(tmp, entries=(), src=INT18_IMG):
    """A copy of src (boot-int18.img) with these partition entries."""
    path = os.path.join(tmp, "first.img")
    shutil.copy(src, path)
    with open(path, "r+b") as f:
        sec = bytearray(f.read(SECTOR))
        for i, e in enumerate(entries):
            sec[0x1BE + 16 * i:0x1BE + 16 * (i + 1)] = e
        f.seek(0)
        f.write(sec)
    return path


DISK1 = mkimage.BOOT_DISK_SIZE // SECTOR        # sectors of the boot test disks

CORRUPT_TABLES = {
    "bad-boot-flag": ([mbr_entry(0x80, 0x83, 2048, 0), mbr_entry(0x7F, 0x83, 1, 100)],
                      "entry 2: boot indicator not 00h or 80h"),
    "past-the-end": ([mbr_entry(0x80, 0x83, 63, DISK1)],
                     "entry 1: partition past the end of the disk"),
    "overlap": ([mbr_entry(0x80, 0x83, 63, 1000), mbr_entry(0, 0x83, 1000, 500)],
                "entry 2: overlapping partitions"),
}


@pytest.mark.parametrize("case", sorted(CORRUPT_TABLES))
def test_corrupt_partition_table_falls_through(case):
    entries, why = CORRUPT_TABLES[case]
    with tempfile.TemporaryDirectory(prefix="kelp-int13-") as tmp:
        values, status, log = boot(drive(first_disk(tmp, entries), 0) + drive(SECOND_IMG, 1))
    assert "boot.first.dl" not in values, f"the corrupt disk was started:\n{log}"
    assert f"disk 80h: invalid partition table ({why})" in log, log
    check_second_booted(values, status, log)
    # The disk that boots answers as 80h (the corrupt one as 81h).
    assert "boot: drive 81h answers as 80h, 80h as 81h" in log, log
    assert values["boot.second.dl"] == "80"


SOUND_TABLES = {
    # a hybrid ISO: active type 00h entry over everything, EFI image inside
    "hybrid": ([mbr_entry(0x80, 0x00, 0, DISK1), mbr_entry(0, 0xEF, 100, 200)], INT18_IMG),
    # isohybrid: type 17h over everything, the EFI image nested in it
    "isohybrid": ([mbr_entry(0x80, 0x17, 0, DISK1), mbr_entry(0, 0xEF, 100, 200)], INT18_IMG),
    # GPT protective entry of FFFFFFFFh sectors on a small disk
    "gpt": ([mbr_entry(0, 0xEE, 1, 0xFFFFFFFF)], INT18_IMG),
    # a FAT volume without partitions: its BPB says so, whatever is at 1BEh
    "fat-volume": ([b"\x4e" * 16] * 4, VBR_IMG),
}


@pytest.mark.parametrize("case", sorted(SOUND_TABLES))
def test_sound_partition_tables_still_boot(case):
    entries, src = SOUND_TABLES[case]
    with tempfile.TemporaryDirectory(prefix="kelp-int13-") as tmp:
        values, status, log = boot(drive(first_disk(tmp, entries, src), 0)
                                    + drive(SECOND_IMG, 1))
    assert values.get("boot.first.dl") == "80", f"the disk was not started:\n{log}"
    assert "invalid partition table" not in log
    check_second_booted(values, status, log)


def test_zero_sized_disk_is_skipped():
    with tempfile.TemporaryDirectory(prefix="kelp-int13-") as tmp:
        empty = os.path.join(tmp, "empty.img")
        open(empty, "wb").close()
        values, status, log = boot(drive(empty, 0) + drive(SECOND_IMG, 1))
    check_second_booted(values, status, log)
    assert values["boot.second.dl"] == "80"       # the empty disk got no number


# ---------------------------------------------------------------- CDs

def iso_with(tmp, patch):
    """An El Torito ISO (no emulation, boot-int18's code as the image)
    changed by patch(data, catalog_lba, image_lba) -> data."""
    root = os.path.join(tmp, "root")
    os.makedirs(root)
    with open(INT18_BIN, "rb") as f:
        code = f.read()
    with open(os.path.join(root, "boot.bin"), "wb") as f:
        f.write(code.ljust(2048, b"\0"))
    iso = os.path.join(tmp, "cd.iso")
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-o", iso, "-b", "boot.bin",
                    "-no-emul-boot", "-boot-load-size", "4", root],
                   check=True, capture_output=True)
    with open(iso, "rb") as f:
        data = bytearray(f.read())
    brvd = 17 * 2048
    assert data[brvd + 7:brvd + 30] == b"EL TORITO SPECIFICATION"
    catalog = struct.unpack_from("<I", data, brvd + 0x47)[0]
    image = struct.unpack_from("<I", data, catalog * 2048 + 32 + 8)[0]
    data = patch(data, catalog, image)
    with open(iso, "wb") as f:
        f.write(data)
    return iso


def set_catalog(lba):
    def patch(data, catalog, image):
        struct.pack_into("<I", data, 17 * 2048 + 0x47, lba(data))
        return data
    return patch


def endless_sections(data, catalog, image):
    """A catalog for another platform whose sections never end: each header
    claims FFFFh entries, each entry says more extensions follow."""
    c = catalog * 2048
    v = bytearray(32)
    v[0], v[1] = 0x01, 0xEF
    v[0x1E], v[0x1F] = 0x55, 0xAA
    struct.pack_into("<H", v, 0x1C, -sum(struct.unpack("<16H", bytes(v))) & 0xFFFF)
    data[c:c + 32] = v
    data[c + 32] = 0x00                             # default entry not bootable
    for off in range(64, 2048, 64):
        data[c + off:c + off + 4] = struct.pack("<BBH", 0x90, 0xEF, 0xFFFF)
        data[c + off + 32:c + off + 34] = bytes([0x88, 0x20])
    return data


def image_past_end(data, catalog, image):
    struct.pack_into("<I", data, catalog * 2048 + 32 + 8, len(data) // 2048 - 1)
    struct.pack_into("<H", data, catalog * 2048 + 32 + 6, 16)   # 4 blocks, 3 past the end
    return data


CDS = {
    "catalog-past-end": (set_catalog(lambda d: len(d) // 2048 + 100),
                         "no El Torito boot image (error 3)"),
    "catalog-is-the-boot-record": (set_catalog(lambda d: 17),
                                   "no El Torito boot image (error 4)"),
    "endless-sections": (endless_sections, "no El Torito boot image (error 7)"),
    "image-past-end": (image_past_end, "Boot failed: could not read the CD (status 04)"),
}


@pytest.mark.parametrize("case", sorted(CDS))
def test_broken_cd_falls_through(case):
    patch, said = CDS[case]
    with tempfile.TemporaryDirectory(prefix="kelp-int13-") as tmp:
        iso = iso_with(tmp, patch)
        values, status, log = boot(drive(SECOND_IMG, 0) + [
            "-drive", f"file={iso},format=raw,if=ide,index=2,media=cdrom",
            "-boot", "order=dc"])
    assert "boot.first.dl" not in values, f"the broken CD was started:\n{log}"
    assert "boot 1: CD-ROM e0h" in log or "Booting from CD-ROM e0" in log, log
    assert said in log, log
    check_second_booted(values, status, log)
