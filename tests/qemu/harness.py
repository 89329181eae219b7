"""Run QEMU on a firmware image and collect what the guest printed.

Every integration test goes through run_qemu(): it adds the debug console
(port 0x402 by default), the isa-debug-exit device (port 0xf4) and a serial
file, and returns a Result with the texts and QEMU's exit status."""
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
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


class LiveQemu:
    """QEMU running in the background with a QMP socket; the guest's debug
    log (and serial log, when asked for) is read while it runs."""

    QMP_TIMEOUT = 10

    def __init__(self, bios, args=(), memory="128M", icount=False, serial=False):
        self.tmp = tempfile.mkdtemp(prefix="kelp-live-")
        self.debug_path = os.path.join(self.tmp, "debug.log")
        self.serial_path = os.path.join(self.tmp, "serial.log")
        self.qmp_path = os.path.join(self.tmp, "qmp.sock")
        cmd = [QEMU, "-M", "pc", "-bios", bios, "-m", memory,
               "-display", "none", "-no-reboot", "-nodefaults",
               "-chardev", f"file,id=dbg,path={self.debug_path}",
               "-device", "isa-debugcon,iobase=0x402,chardev=dbg",
               "-device", f"isa-debug-exit,iobase={EXIT_PORT:#x},iosize=4",
               "-serial", f"file:{self.serial_path}" if serial else "none",
               "-monitor", "none",
               "-qmp", f"unix:{self.qmp_path},server=on,wait=off"]
        if icount:
            cmd += ["-icount", "shift=0,sleep=off"]
        cmd += list(args)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.sock = None
        self.rfile = None

    @staticmethod
    def _read(path):
        try:
            with open(path, "rb") as f:
                return f.read().decode("latin-1")
        except FileNotFoundError:
            return ""

    def debug(self):
        return self._read(self.debug_path)

    def serial(self):
        return self._read(self.serial_path)

    def wait_for(self, pattern, timeout=10, serial=False):
        """Poll the debug log (or the serial log) until the regex matches;
        the match, or None when QEMU exits or the time is up first."""
        rx = re.compile(pattern)
        text = self.serial if serial else self.debug
        end = time.monotonic() + timeout
        while True:
            m = rx.search(text())
            if m:
                return m
            if self.proc.poll() is not None or time.monotonic() > end:
                m = rx.search(text())
                return m
            time.sleep(0.02)

    def qmp_connect(self):
        end = time.monotonic() + self.QMP_TIMEOUT
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.qmp_path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                s.close()
                if self.proc.poll() is not None or time.monotonic() > end:
                    raise RuntimeError("QMP socket did not come up")
                time.sleep(0.05)
        s.settimeout(self.QMP_TIMEOUT)
        self.sock = s
        self.rfile = s.makefile("r")
        json.loads(self.rfile.readline())          # greeting
        self.qmp("qmp_capabilities")

    def qmp(self, command, **arguments):
        if self.sock is None:
            self.qmp_connect()
        msg = {"execute": command}
        if arguments:
            msg["arguments"] = arguments
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            line = self.rfile.readline()
            if not line:
                raise RuntimeError(f"QMP closed during {command}")
            reply = json.loads(line)
            if "error" in reply:
                raise RuntimeError(f"QMP {command}: {reply['error']}")
            if "return" in reply:
                return reply["return"]
            # asynchronous events are skipped

    def send_key(self, keys, hold_ms=None):
        args = {"keys": [{"type": "qcode", "data": k} for k in keys]}
        if hold_ms is not None:
            args["hold-time"] = hold_ms
        self.qmp("send-key", **args)

    def key_event(self, key, down):
        self.qmp("input-send-event", events=[
            {"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": key}}}])

    def finish(self, timeout=10):
        """Wait for QEMU to exit; its status, or None if it had to be killed."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        shutil.rmtree(self.tmp, True)


def boot_sector_disk(src, directory, size=1024 * 1024):
    """Assemble a one-sector real-mode program (.S, linked at 7C00h, ending
    in 55AAh) and return the path of a raw disk of size bytes that starts
    with it."""
    base = os.path.join(directory, os.path.splitext(os.path.basename(src))[0])
    subprocess.run(["gcc", "-m16", "-c", src, "-o", base + ".o"], check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-Ttext", "0x7c00", "--oformat", "binary",
                    "-e", "_start", base + ".o", "-o", base + ".bin"], check=True)
    with open(base + ".bin", "rb") as f:
        code = f.read()
    if len(code) != 512 or code[510:] != b"\x55\xaa":
        raise ValueError(f"{src}: not a 512-byte boot sector")
    with open(base + ".img", "wb") as f:
        f.write(code + bytes(size - 512))
    return base + ".img"
