#!/usr/bin/python3
"""Finish the test option ROMs and build the test disks.

    romtool.py rom IN OUT [--ids VVVV:DDDD] [--blocks N] [--size-byte B]
                          [--checksum fix|bad] [--file-size BYTES]
    romtool.py disk PROGRAM OUT --label NAME [--mode M] [--sectors N]

rom: pads the linked image to whole 512-byte blocks (or to N blocks), sets
the size byte, puts the PCI vendor and device IDs into the PCI data
structure (QEMU leaves a romfile= image as it is), fills a zero PCIR image
length, sets the checksum of every PnP expansion header reachable from
offset 1Ah, and last makes the 8-bit sum of the image zero through the
byte at offset 6. The other options spoil a field on purpose: a size byte
that differs from the image, a wrong checksum, or a file longer than the
image.

disk: writes a raw disk image holding the test disk program (diskprobe.S)
with its label and mode byte, followed by pattern sectors: "KSEC", the
LBA as a little-endian dword, then the label.

The test code imports this module for the same jobs."""
import argparse
import struct
import sys

BLOCK = 512
CSUM_BYTE = 6
LABEL_OFF = 0x1A0
LABEL_MAX = 15
MODE_OFF = 0x1B0
FIRST_PATTERN = 5
DEFAULT_SECTORS = 2048


def _u16(b, off):
    return struct.unpack_from("<H", b, off)[0]


def pnp_headers(img, limit):
    """Offsets of the $PnP headers chained from offset 1Ah that lie inside
    the first limit bytes, each visited once."""
    seen, out = set(), []
    off = _u16(img, 0x1A) if len(img) >= 0x1C else 0
    while off and off not in seen and off + 32 <= limit and img[off:off + 4] == b"$PnP":
        seen.add(off)
        out.append(off)
        off = _u16(img, off + 6)
    return out


def pcir_offset(img):
    off = _u16(img, 0x18) if len(img) >= 0x1A else 0
    if off and off + 0x18 <= len(img) and img[off:off + 4] == b"PCIR":
        return off
    return None


def finish_rom(data, ids=None, blocks=None, size_byte=None, checksum="fix", file_size=None):
    """The finished ROM file for a linked image, as bytes."""
    img = bytearray(data)
    if img[:2] != b"\x55\xaa":
        raise ValueError("no 55AAh signature")
    if blocks is None:
        blocks = (len(img) + BLOCK - 1) // BLOCK
    image_len = blocks * BLOCK
    if image_len < len(img) and file_size is None:
        raise ValueError(f"image of {len(img)} bytes does not fit in {blocks} blocks")
    total = max(image_len, len(img), file_size or 0)
    img.extend(b"\0" * (total - len(img)))
    if blocks > 255:
        raise ValueError("more than 255 blocks")
    img[2] = blocks
    pcir = pcir_offset(img)
    if pcir is not None:
        if ids:
            vendor, device = ids
            struct.pack_into("<HH", img, pcir + 4, vendor, device)
        if _u16(img, pcir + 0x10) == 0:
            struct.pack_into("<H", img, pcir + 0x10, blocks)
    for off in pnp_headers(img, total):
        img[off + 9] = 0
        img[off + 9] = -sum(img[off:off + 32]) & 0xFF
    img[CSUM_BYTE] = 0
    img[CSUM_BYTE] = -sum(img[:image_len]) & 0xFF
    if checksum == "bad":
        img[CSUM_BYTE] = (img[CSUM_BYTE] + 0x5A) & 0xFF
    if size_byte is not None:
        img[2] = size_byte
    return bytes(img)


def make_disk(program, label, mode=0, sectors=DEFAULT_SECTORS):
    """A raw disk image for the test disk program, as bytes."""
    prog = bytearray(program)
    if len(prog) > FIRST_PATTERN * BLOCK or prog[0x1FE:0x200] != b"\x55\xaa":
        raise ValueError("not the test disk program")
    name = label.encode()[:LABEL_MAX]
    prog[LABEL_OFF:LABEL_OFF + LABEL_MAX + 1] = name.ljust(LABEL_MAX + 1, b"\0")
    prog[MODE_OFF] = mode
    disk = bytearray(sectors * BLOCK)
    disk[:len(prog)] = prog
    for lba in range(FIRST_PATTERN, sectors):
        struct.pack_into("<4sI16s", disk, lba * BLOCK, b"KSEC", lba, name)
    return bytes(disk)


def parse_ids(text):
    v, d = text.split(":")
    return int(v, 16), int(d, 16)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("rom")
    r.add_argument("input")
    r.add_argument("output")
    r.add_argument("--ids", type=parse_ids)
    r.add_argument("--blocks", type=int)
    r.add_argument("--size-byte", type=int)
    r.add_argument("--checksum", choices=("fix", "bad"), default="fix")
    r.add_argument("--file-size", type=int)
    d = sub.add_parser("disk")
    d.add_argument("program")
    d.add_argument("output")
    d.add_argument("--label", required=True)
    d.add_argument("--mode", type=int, default=0)
    d.add_argument("--sectors", type=int, default=DEFAULT_SECTORS)
    a = ap.parse_args(argv)
    with open(a.input if a.cmd == "rom" else a.program, "rb") as f:
        data = f.read()
    try:
        if a.cmd == "rom":
            out = finish_rom(data, a.ids, a.blocks, a.size_byte, a.checksum, a.file_size)
        else:
            out = make_disk(data, a.label, a.mode, a.sectors)
    except ValueError as e:
        sys.exit(f"romtool: {a.input if a.cmd == 'rom' else a.program}: {e}")
    with open(a.output, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
