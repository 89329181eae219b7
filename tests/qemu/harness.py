"""Run QEMU on a firmware image and collect what the guest printed.

Every integration test goes through run_qemu(): it adds the debug console
(port 0x402 by default), the isa-debug-exit device (port 0xf4) and a serial
file, and returns a Result with the texts and QEMU's exit status."""
import os
import subprocess
import tempfile
from dataclasses import dataclass

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "out")
KELP = os.path.join(OUT, "bios.bin")
SEABIOS = "/usr/share/seabios/bios-256k.bin"
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")

# A guest ends a test by writing this byte to port 0xf4; QEMU then exits with
# (value << 1) | 1.
EXIT_PORT = 0xF4
EXIT_OK_VALUE = 0x10
EXIT_OK_STATUS = (EXIT_OK_VALUE << 1) | 1


@dataclass
class Result:
    debug: str          # everything written to the debug console port
    serial: str         # everything written to COM1
    status: int         # QEMU's exit status (None on timeout)
    timed_out: bool

    def lines(self, prefix):
        """Lines of the debug log that start with prefix, prefix removed."""
        return [l[len(prefix):] for l in self.debug.splitlines() if l.startswith(prefix)]


def run_qemu(bios, args=(), timeout=60, debug_port=0x402, machine="pc",
             defaults=False, memory="128M", icount=True):
    with tempfile.TemporaryDirectory(prefix="kelp-qemu-") as tmp:
        dbg = os.path.join(tmp, "debug.log")
        ser = os.path.join(tmp, "serial.log")
        cmd = [QEMU, "-M", machine, "-bios", bios, "-m", memory,
               "-display", "none", "-no-reboot",
               "-chardev", f"file,id=dbg,path={dbg}",
               "-device", f"isa-debugcon,iobase={debug_port:#x},chardev=dbg",
               "-device", f"isa-debug-exit,iobase={EXIT_PORT:#x},iosize=4",
               "-serial", f"file:{ser}", "-monitor", "none"]
        if not defaults:
            cmd += ["-nodefaults"]
        if icount:
            cmd += ["-icount", "shift=0,sleep=off"]
        cmd += list(args)
        timed_out = False
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=timeout)
            status = p.returncode
            out = p.stdout.decode(errors="replace")
        except subprocess.TimeoutExpired as e:
            status, timed_out = None, True
            out = (e.stdout or b"").decode(errors="replace")
        if status not in (None, 0, EXIT_OK_STATUS) and out.strip():
            print("qemu said:", out)

        def read(path):
            try:
                with open(path, "rb") as f:
                    return f.read().decode("latin-1")
            except FileNotFoundError:
                return ""
        return Result(read(dbg), read(ser), status, timed_out)
