#!/usr/bin/env python3
"""Assemble out/bios.bin from the two links and check that everything fits.

Image (128 KiB, mapped at E0000-FFFFF):
  0x00000-0x0FFFF  POST blob (32-bit, copied to RAM at 1 MiB and run there)
  0x10000-0x1FFFF  the F-segment: runtime code and constants (F000:0000-DFFF)
                   and the fixed IBM entry points (F000:E000-FFFF)
The last byte makes the F-segment sum to zero."""
import argparse
import subprocess
import sys

IMAGE_SIZE = 0x20000
SEG = 0x10000


def die(msg):
    print(f"layout: error: {msg}", file=sys.stderr)
    sys.exit(1)


def symbols(elf):
    out = subprocess.run(["nm", elf], check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3:
            syms[p[2]] = int(p[0], 16)
    return syms


def report(rt_elf, post_elf):
    rt = symbols(rt_elf)
    post = symbols(post_elf)
    code = rt["rt_code_end"] - 0x2000
    zone = rt["rt_zone_end"]
    post_size = post["post_image_end"] - 0x100000
    print(f"runtime code+constants: {code:6d} bytes of {0xE000} (F000:0000-DFFF)")
    print(f"fixed area:             {0x2000:6d} bytes (F000:E000-FFFF)")
    print(f"runtime variables:      {zone - 0x100:6d} bytes; runtime stack {0x2000 - zone} bytes")
    print(f"POST blob:              {post_size:6d} bytes of {SEG}")
    return code, post_size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rt16")
    ap.add_argument("--rt16-elf")
    ap.add_argument("--post32")
    ap.add_argument("--post32-elf")
    ap.add_argument("-o", "--output")
    ap.add_argument("--report", action="store_true")
    a = ap.parse_args()
    if a.report:
        report(a.rt16_elf, a.post32_elf)
        return
    rt = open(a.rt16, "rb").read()
    post = open(a.post32, "rb").read()
    if len(rt) != SEG:
        die(f"F-segment image is {len(rt)} bytes, expected {SEG}")
    if len(post) > SEG:
        die(f"POST blob is {len(post)} bytes, more than its {SEG} bytes")
    if rt[0xFFF0] != 0xEA:
        die("no far jump at the reset vector F000:FFF0")
    img = bytearray(post + bytes(SEG - len(post)) + rt)
    img[-1] = 0
    img[-1] = (-sum(img[SEG:])) & 0xFF
    assert len(img) == IMAGE_SIZE and sum(img[SEG:]) & 0xFF == 0
    with open(a.output, "wb") as f:
        f.write(img)
    if a.rt16_elf and a.post32_elf:
        report(a.rt16_elf, a.post32_elf)
    print(f"layout: wrote {a.output} ({IMAGE_SIZE // 1024} KiB)")


if __name__ == "__main__":
    main()
