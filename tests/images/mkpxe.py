#!/usr/bin/python3
"""Build a TFTP root that network-boots the test Linux through pxelinux.

The directory (out/test/pxe by default) holds:

  pxelinux.0            syslinux's PXE boot program (Debian package pxelinux)
  ldlinux.c32           its core module (syslinux-common)
  pxelinux.cfg/default  serial console on COM1, then the kernel and initramfs
  vmlinuz, initrd.gz    taken out of linux-ide.img (tests/images/mklinux.py),
                        so the network boot runs the same init as the disk
                        boot and prints the same "KELP-INIT " report

QEMU's user network serves it with
`-netdev user,...,tftp=DIR,bootfile=pxelinux.0`.  pxelinux asks for
several configuration file names before `default`; QEMU answers the
missing ones with a TFTP error at once.

Like mklinux.py, a stamp file records the inputs and an up-to-date tree is
left alone; parallel callers build it once (a lock file).
"""
import argparse
import fcntl
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import mklinux  # noqa: E402  (kernel command line and image name)

PXELINUX = "/usr/lib/PXELINUX/pxelinux.0"
LDLINUX = "/usr/lib/syslinux/modules/bios/ldlinux.c32"

PXE_CFG = f"""\
SERIAL 0 115200
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL vmlinuz
  INITRD initrd.gz
  APPEND {mklinux.CMDLINE}
"""


def log(msg):
    print(f"mkpxe: {msg}", flush=True)


def die(msg):
    print(f"mkpxe: error: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def build(out, tftp):
    for f in (PXELINUX, LDLINUX):
        if not os.path.exists(f):
            die(f"{f} is missing (run scripts/deps.sh: packages pxelinux, syslinux-common)")
    image = mklinux.ensure_image(out, die)
    stamp = os.path.join(tftp, ".mkpxe.json")
    inputs = {
        "script": mklinux.sha256_file(os.path.abspath(__file__)),
        "image": mklinux.sha256_file(image),
        "pxelinux": mklinux.sha256_file(PXELINUX),
        "ldlinux": mklinux.sha256_file(LDLINUX),
    }
    try:
        with open(stamp) as f:
            if json.load(f).get("inputs") == inputs:
                log(f"{tftp} is up to date")
                return tftp
    except (OSError, ValueError):
        pass

    parent = os.path.dirname(tftp)
    os.makedirs(parent, exist_ok=True)
    new = tempfile.mkdtemp(dir=parent, prefix=".mkpxe-")
    os.chmod(new, 0o755)
    shutil.copyfile(PXELINUX, os.path.join(new, "pxelinux.0"))
    shutil.copyfile(LDLINUX, os.path.join(new, "ldlinux.c32"))
    os.makedirs(os.path.join(new, "pxelinux.cfg"))
    with open(os.path.join(new, "pxelinux.cfg", "default"), "w") as f:
        f.write(PXE_CFG)
    for name in ("vmlinuz", "initrd.gz"):
        mklinux.extract(image, name, os.path.join(new, name), die)
    with open(os.path.join(new, ".mkpxe.json"), "w") as f:
        json.dump({"inputs": inputs}, f, indent=1)
    old = None
    if os.path.exists(tftp):
        old = tftp + ".old"
        shutil.rmtree(old, ignore_errors=True)
        os.rename(tftp, old)
    os.rename(new, tftp)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    log(f"built {tftp}")
    return tftp


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "out", "test"),
                    help="directory of linux-ide.img (default: out/test)")
    ap.add_argument("--tftp", help="TFTP root to build (default: OUT/pxe)")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    tftp = os.path.abspath(a.tftp or os.path.join(out, "pxe"))
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, ".mkpxe.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        build(out, tftp)
    print(tftp)


if __name__ == "__main__":
    main()
