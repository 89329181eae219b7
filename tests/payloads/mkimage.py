#!/usr/bin/python3
"""Assemble the probe boot disk.

Layout (512-byte sectors):
  LBA 0            boot sector: mbr.bin code, disk signature, one partition
                   entry, 55AAh
  LBA 1..64        probe body (probe.bin), zero padded to 32 KiB
  LBA 65..last     marker sectors (see marker_sector())

The probe body starts with a small header: "PMOD" at byte 4 and the mode
byte at byte 8 (0 = probe every service, 1 = keyboard script, see probe.h);
with_mode() writes a copy of an image with another mode.  large_copy()
makes a sparse copy grown to any size, with a marker in its new last
sector.  With --boot-sector the tool instead writes a small disk whose
sector 0 is the given code plus 55AAh (the boot-order test disks).

The geometry written into the partition entry (16 heads, 63 sectors per
track) is what QEMU derives the drive's CHS from, so it is part of what the
probe observes.  tests/qemu/test_probe.py imports this module to recompute
the expected contents of any sector.
"""
import argparse
import struct
import sys

SECTOR = 512
DISK_SIZE = 8 * 1024 * 1024
TOTAL_SECTORS = DISK_SIZE // SECTOR
PROBE_LBA = 1
PROBE_SECTORS = 64
FIRST_MARKER_LBA = PROBE_LBA + PROBE_SECTORS
HEADS = 16
SPT = 63
DISK_SIGNATURE = 0x4B504C4B
PART_START = 2048
# The partition ends on the last whole cylinder of the 16 x 63 geometry.
PART_END = (TOTAL_SECTORS // (HEADS * SPT)) * HEADS * SPT - 1
PART_TYPE = 0x83
MARKER_MAGIC = b"KPRBSECT"
MODE_MAGIC = b"PMOD"
MODE_MAGIC_OFFSET = 4
MODE_OFFSET = 8
MODE_PROBE = 0
MODE_KEYBOARD = 1
BOOT_DISK_SIZE = 1024 * 1024


def chs_bytes(lba):
    """The 3-byte CHS encoding used in partition entries (head, sector|cyl
    high bits, cylinder low byte), capped at 1023/254/63 as usual."""
    cyl, rem = divmod(lba, HEADS * SPT)
    head, sec = divmod(rem, SPT)
    if cyl > 1023:
        cyl, head, sec = 1023, HEADS - 1, SPT - 1
    return bytes([head, ((cyl >> 2) & 0xC0) | (sec + 1), cyl & 0xFF])


_FILL_BASE = bytes((i * 13) & 0xFF for i in range(SECTOR - 16))


def marker_sector(lba, total=TOTAL_SECTORS):
    """Contents of a sector past the probe body: 8-byte magic, the LBA as a
    little-endian dword (its low 32 bits on disks beyond 2 TiB), a 4-byte
    tag ("LAST" for the final sector of a disk of total sectors, "DATA"
    otherwise), then a filler derived from the LBA so that every sector
    has a different checksum."""
    tag = b"LAST" if lba == total - 1 else b"DATA"
    head = MARKER_MAGIC + struct.pack("<I", lba & 0xFFFFFFFF) + tag
    shift = (lba * 7 + (lba >> 8)) & 0xFF
    return head + _FILL_BASE.translate(bytes((b + shift) & 0xFF for b in range(256)))


def boot_sector(mbr_code):
    if len(mbr_code) > 0x1B8:
        raise SystemExit(f"mkimage: boot code is {len(mbr_code)} bytes, limit 440")
    sec = bytearray(SECTOR)
    sec[:len(mbr_code)] = mbr_code
    struct.pack_into("<I", sec, 0x1B8, DISK_SIGNATURE)
    entry = (bytes([0x80]) + chs_bytes(PART_START) + bytes([PART_TYPE]) + chs_bytes(PART_END)
             + struct.pack("<II", PART_START, PART_END - PART_START + 1))
    sec[0x1BE:0x1BE + 16] = entry
    sec[0x1FE] = 0x55
    sec[0x1FF] = 0xAA
    return bytes(sec)


def sector_sum(data):
    """32-bit sum of the sector read as 128 little-endian dwords (the probe
    prints the same value)."""
    return sum(struct.unpack("<128I", data[:SECTOR])) & 0xFFFFFFFF


def build(mbr_path, probe_path, out_path):
    with open(mbr_path, "rb") as f:
        mbr_code = f.read()
    with open(probe_path, "rb") as f:
        probe = f.read()
    limit = PROBE_SECTORS * SECTOR
    if len(probe) > limit:
        raise SystemExit(f"mkimage: probe body is {len(probe)} bytes, limit {limit}")
    with open(out_path, "wb") as f:
        f.write(boot_sector(mbr_code))
        f.write(probe.ljust(limit, b"\0"))
        for lba in range(FIRST_MARKER_LBA, TOTAL_SECTORS):
            f.write(marker_sector(lba))


def with_mode(src_path, out_path, mode):
    """Copy the probe image at src_path to out_path with another mode byte."""
    with open(src_path, "rb") as f:
        data = bytearray(f.read())
    base = PROBE_LBA * SECTOR
    magic = data[base + MODE_MAGIC_OFFSET:base + MODE_MAGIC_OFFSET + len(MODE_MAGIC)]
    if magic != MODE_MAGIC:
        raise ValueError(f"{src_path}: no probe header (found {bytes(magic)!r})")
    data[base + MODE_OFFSET] = mode
    with open(out_path, "wb") as f:
        f.write(data)


def large_copy(src_path, out_path, total_sectors):
    """Sparse copy of the probe image grown to total_sectors; its new last
    sector carries a marker tagged LAST for that size (the old last
    sector keeps its own)."""
    with open(src_path, "rb") as src, open(out_path, "wb") as out:
        while True:
            chunk = src.read(1 << 20)
            if not chunk:
                break
            out.write(chunk)
        out.truncate(total_sectors * SECTOR)
        out.seek((total_sectors - 1) * SECTOR)
        out.write(marker_sector(total_sectors - 1, total_sectors))


def boot_disk(code, out_path, size=BOOT_DISK_SIZE):
    """A disk whose sector 0 is code followed by 55AAh, the rest zero."""
    if len(code) > 0x1FE:
        raise SystemExit(f"mkimage: boot code is {len(code)} bytes, limit 510")
    sec = bytearray(SECTOR)
    sec[:len(code)] = code
    sec[0x1FE] = 0x55
    sec[0x1FF] = 0xAA
    with open(out_path, "wb") as f:
        f.write(sec)
        f.truncate(size)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--boot-sector", action="store_true",
                    help="write a small disk booting CODE: arguments CODE OUT")
    ap.add_argument("files", nargs="+", metavar="FILE",
                    help="MBR PROBE OUT (default) or CODE OUT (--boot-sector)")
    a = ap.parse_args(argv)
    if a.boot_sector:
        if len(a.files) != 2:
            ap.error("--boot-sector takes CODE OUT")
        with open(a.files[0], "rb") as f:
            boot_disk(f.read(), a.files[1])
    else:
        if len(a.files) != 3:
            ap.error("expected MBR PROBE OUT")
        build(*a.files)


if __name__ == "__main__":
    main(sys.argv[1:])
