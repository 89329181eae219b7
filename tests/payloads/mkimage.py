#!/usr/bin/python3
"""Assemble the probe boot disk.

Layout (512-byte sectors):
  LBA 0            boot sector: mbr.bin code, disk signature, one partition
                   entry, 55AAh
  LBA 1..64        probe body (probe.bin), zero padded to 32 KiB
  LBA 65..last     marker sectors (see marker_sector())

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


def chs_bytes(lba):
    """The 3-byte CHS encoding used in partition entries (head, sector|cyl
    high bits, cylinder low byte), capped at 1023/254/63 as usual."""
    cyl, rem = divmod(lba, HEADS * SPT)
    head, sec = divmod(rem, SPT)
    if cyl > 1023:
        cyl, head, sec = 1023, HEADS - 1, SPT - 1
    return bytes([head, ((cyl >> 2) & 0xC0) | (sec + 1), cyl & 0xFF])


_FILL_BASE = bytes((i * 13) & 0xFF for i in range(SECTOR - 16))


def marker_sector(lba):
    """Contents of a sector past the probe body: 8-byte magic, the LBA as a
    little-endian dword, a 4-byte tag ("LAST" for the final sector of the
    disk, "DATA" otherwise), then a filler derived from the LBA so that
    every sector has a different checksum."""
    tag = b"LAST" if lba == TOTAL_SECTORS - 1 else b"DATA"
    head = MARKER_MAGIC + struct.pack("<I", lba) + tag
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


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mbr")
    ap.add_argument("probe")
    ap.add_argument("out")
    a = ap.parse_args(argv)
    build(a.mbr, a.probe, a.out)


if __name__ == "__main__":
    main(sys.argv[1:])
