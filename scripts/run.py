#!/usr/bin/env python3
"""make run: boot the demo guest (Linux from an IDE disk through syslinux)
on Kelp, with the serial console in this terminal. Kelp's debug log goes to
out/debug.log. Leave the guest's shell with 'exit', or QEMU with Ctrl-A X."""
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "out")


def main():
    subprocess.run([sys.executable, os.path.join(ROOT, "tests/images/mklinux.py"),
                    "--out", os.path.join(OUT, "test"), "--demo"], check=True)
    cmd = [os.environ.get("QEMU", "qemu-system-x86_64"), "-M", "pc", "-m", "256M",
           "-bios", os.path.join(OUT, "bios.bin"), "-nodefaults", "-display", "none",
           "-serial", "mon:stdio",
           "-chardev", "file,id=dbg,path=" + os.path.join(OUT, "debug.log"),
           "-device", "isa-debugcon,iobase=0x402,chardev=dbg",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
           "-drive", "file=" + os.path.join(OUT, "test", "demo.img")
           + ",format=raw,if=ide,snapshot=on"]
    print("Starting QEMU (Ctrl-A X quits; debug log in out/debug.log)", flush=True)
    rc = subprocess.call(cmd)
    # 33 is the guest's own "done" through isa-debug-exit.
    sys.exit(0 if rc in (0, 33) else rc)


if __name__ == "__main__":
    main()
