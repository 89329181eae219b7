"""Kelp's Xen path, tested without Xen.

xen/sim/ builds xen-sim.bin, a stand-in for Xen's hvmloader that runs as
QEMU's -bios on -M pc: it sets up PCI, the APICs, SMBIOS/MP/$PIR/ACPI
tables, the "XenHVMSeaBIOS" info block at 0x1000, the CMOS memory bytes
and the e820 the way hvmloader does, copies the BIOS image it finds in
fw_cfg (opt/xen-sim/bios) below 1 MiB and jumps to F000:FFF0 with
hvmloader's CPU state. Its own log lines on port 0xE9 start "xen-sim:".

Kelp takes the Xen path only on Xen's CPUID signature plus a valid info
block. TCG cannot show Xen's signature, so these tests build Kelp with the
test-only option XEN_TCG_TEST (TCG's signature counts as Xen's, still only
with the info block) into out/test/xen-tcg and skip while Kconfig does not
have that option.

The machine is laid out like a qemu-xen guest's: i440FX/PIIX3, no SMM, no
vmport, cirrus VGA at 03.0, an rtl8139 NIC, IDE disks, debug consoles on
ports 0xE9 (Xen's) and 0x402 (the probe's output).

The simulator reproduces hvmloader's APIC state exactly by default: LVT0
masked, 8259 through I/O APIC pin 0 as ExtINT. Xen delivers 8259
interrupts in that state; QEMU does not (nothing drives its I/O APIC pin
0). The tests that boot a BIOS therefore pass opt/xen-sim/lvt0=extint,
which opens LVT0 and so gives QEMU Xen's behaviour; the hand-off tests
check both settings (see xen/README.md).

What Kelp must show here: its log on port 0xE9, with a line containing
"Kelp" and one containing "Xen"; the MBR and Linux boot from an IDE disk
and from an AHCI disk; Linux finds the ACPI,
SMBIOS and MP tables and all the RAM of the simulator's e820; after the
hand-off no fw_cfg access, no PAM write and no word write to port 0x10;
the same image still takes the QEMU path on plain QEMU. Option ROMs come
from the ROM BARs the simulator assigned: the rtl8139's iPXE PXE-boots
Linux, a BCV ROM's disk boots, the cirrus VGA BIOS puts text on the
screen. After S3, the wake-up skips both hvmloader's work (the simulator
only maps C0000-FFFFF back as RAM, as Xen keeps it) and Kelp's POST."""
import fcntl
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

import pytest

import harness
import test_linux
import test_probe
import test_roms
import test_tables
from test_probe import mkimage
import test_vga
from test_linux import linux_image  # noqa: F401  (the disk image fixture)
from test_netboot import tftp_root  # noqa: F401  (the PXE tree fixture)
from test_vga import boot_disk  # noqa: F401  (the INT 10h boot sector)

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "images"))
import mklinux  # noqa: E402  (the disk's syslinux.cfg and partition)

SIM_MK = os.path.join("xen", "sim", "build.mk")
KCONFIG = os.path.join(harness.ROOT, "Kconfig")
XEN_TCG_OUT = os.path.join(harness.OUT, "test", "xen-tcg")
PYTHON = "/usr/bin/python3"
PROBE_TIMEOUT = 90
LINUX_TIMEOUT = 240

# The simulator's last I/O write before the jump (see xen/sim/xsim.h), as
# QEMU's memory_region_ops_write trace shows it.
MARKER_RE = re.compile(r"memory_region_ops_write .* addr 0xf0c value 0x5853494d size 4 ")

E820_SIM_RE = re.compile(r"^xen-sim: e820: ([0-9a-f]+)-([0-9a-f]+) type (\d)$")
BAR_SIM_RE = re.compile(r"^xen-sim: ([0-9a-f]{2}\.\d) BAR ([0-9a-f]{2}) size ([0-9a-f]+) "
                        r"at ([0-9a-f]+)$")


# ---------------------------------------------------------------- building

@pytest.fixture(scope="session")
def xen_sim(tmp_path_factory):
    """xen-sim.bin, built with the make fragment on its own."""
    out = tmp_path_factory.mktemp("xen-sim-out")
    p = subprocess.run(["make", "--no-print-directory", "-f", SIM_MK, f"OUT={out}"],
                       cwd=harness.ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    path = os.path.join(out, "xen-sim.bin")
    if p.returncode != 0 or not os.path.exists(path):
        pytest.fail("building xen-sim failed:\n" + p.stdout.decode(errors="replace"))
    return path


def kconfig_has_xen_tcg_test():
    with open(KCONFIG) as f:
        return re.search(r"^config XEN_TCG_TEST\b", f.read(), re.M) is not None


@pytest.fixture(scope="session")
def kelp_xen_tcg():
    """Kelp built with XEN_TCG_TEST=y in out/test/xen-tcg (its own OUT and
    .config); a lock keeps parallel workers from building at once, make
    keeps later builds incremental."""
    if not kconfig_has_xen_tcg_test():
        pytest.skip("Kconfig has no XEN_TCG_TEST option yet: Kelp cannot take its Xen "
                    "path under TCG")
    os.makedirs(XEN_TCG_OUT, exist_ok=True)
    config = os.path.join(XEN_TCG_OUT, ".config")
    env = dict(os.environ, KCONFIG_CONFIG=config)
    make = ["make", "--no-print-directory", f"OUT={XEN_TCG_OUT}", f"KCONFIG_CONFIG={config}"]
    log = []

    def run(cmd):
        p = subprocess.run(cmd, cwd=harness.ROOT, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        log.append(f"$ {' '.join(cmd)}\n{p.stdout.decode(errors='replace')}")
        if p.returncode != 0:
            pytest.fail("building Kelp with XEN_TCG_TEST=y failed:\n" + "\n".join(log))

    with open(os.path.join(harness.OUT, "test", ".xen-tcg-build.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = ""
        if os.path.exists(config):
            with open(config) as f:
                current = f.read()
        if "CONFIG_XEN_TCG_TEST=y" not in current:
            run(make + ["defconfig"])
            run([PYTHON, "-m", "setconfig", "--kconfig", "Kconfig", "XEN_TCG_TEST=y"])
        run(make)
    image = os.path.join(XEN_TCG_OUT, "bios.bin")
    with open(config) as f:
        assert "CONFIG_XEN_TCG_TEST=y" in f.read(), "setconfig did not take XEN_TCG_TEST=y"
    return image


@pytest.fixture(scope="session")
def probe_image():
    test_probe.build_image()
    return test_probe.IMG


# ------------------------------------------------------------- running QEMU

@dataclass
class Run:
    e9: str             # port 0xE9: the simulator's lines, then the BIOS's log
    d402: str           # port 0x402
    serial: str
    status: int
    timed_out: bool
    trace: str
    stdout: str

    def sim_lines(self):
        return [l for l in self.e9.splitlines() if l.startswith("xen-sim: ")]

    def bios_log(self):
        """What the loaded BIOS wrote to port 0xE9 after the simulator."""
        return "\n".join(l for l in self.e9.splitlines() if not l.startswith("xen-sim: "))

    def sim_e820(self):
        out = []
        for l in self.sim_lines():
            m = E820_SIM_RE.match(l)
            if m:
                out.append((int(m.group(1), 16), int(m.group(2), 16), int(m.group(3))))
        return out

    def sim_bar(self, fn, reg):
        """(address, size) the simulator gave BAR reg of function fn
        ("04.0"), None if it placed none."""
        for l in self.sim_lines():
            m = BAR_SIM_RE.match(l)
            if m and m.group(1) == fn and int(m.group(2), 16) == reg:
                return int(m.group(4), 16), int(m.group(3), 16)
        return None

    def describe(self):
        def tail(text, n=40):
            return "\n".join(text.replace("\r", "").splitlines()[-n:])
        return (f"\n--- QEMU status {self.status}, timed out {self.timed_out}\n{self.stdout}"
                f"--- port 0xE9 (tail) ---\n{tail(self.e9)}\n"
                f"--- port 0x402 (tail) ---\n{tail(self.d402, 15)}\n"
                f"--- serial (tail) ---\n{tail(self.serial, 30)}")


def machine(memory="256M", smp=1, net=""):
    """A qemu-xen-like machine (no firmware yet); net: more options of the
    NIC's user network (",tftp=...")."""
    return ["-M", "pc,smm=off,vmport=off", "-accel", "tcg", "-m", memory, "-smp", str(smp),
            "-nodefaults", "-display", "none", "-no-reboot", "-monitor", "none",
            "-device", "cirrus-vga,addr=03.0",
            "-netdev", f"user,id=n0,restrict=on{net}", "-device", "rtl8139,netdev=n0,addr=04.0",
            "-device", f"isa-debug-exit,iobase={harness.EXIT_PORT:#x},iosize=4"]


def under_sim(sim, image, lvt0="extint", options=()):
    """Arguments that make xen-sim the firmware and hand it image."""
    args = ["-bios", sim, "-fw_cfg", f"name=opt/xen-sim/bios,file={image}",
            "-fw_cfg", f"name=opt/xen-sim/lvt0,string={lvt0}"]
    for name, value in options:
        args += ["-fw_cfg", f"name=opt/xen-sim/{name},string={value}"]
    return args


def run_qemu(args, timeout, trace_events=()):
    with tempfile.TemporaryDirectory(prefix="kelp-xen-") as tmp:
        paths = {n: os.path.join(tmp, n) for n in ("e9", "402", "serial", "trace")}
        cmd = [harness.QEMU] + list(args) + [
            "-chardev", f"file,id=xe9,path={paths['e9']}",
            "-device", "isa-debugcon,iobase=0xe9,chardev=xe9",
            "-chardev", f"file,id=x402,path={paths['402']}",
            "-device", "isa-debugcon,iobase=0x402,chardev=x402",
            "-serial", f"file:{paths['serial']}"]
        for ev in trace_events:
            cmd += ["-trace", ev]
        if trace_events:
            cmd += ["-D", paths["trace"]]
        timed_out = False
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=timeout)
            status, out = p.returncode, p.stdout.decode(errors="replace")
        except subprocess.TimeoutExpired as e:
            status, timed_out = None, True
            out = (e.stdout or b"").decode(errors="replace")

        def read(name):
            try:
                with open(paths[name], "rb") as f:
                    return f.read().decode("latin-1")
            except FileNotFoundError:
                return ""
        return Run(read("e9"), read("402"), read("serial"), status, timed_out, read("trace"), out)


def probe_args(probe_image):
    return ["-drive", f"file={probe_image},format=raw,if=ide,snapshot=on",
            "-rtc", "clock=vm", "-icount", "shift=0,sleep=off"]


def probe_values(r, what):
    values, dups = test_probe.parse_probe(r.d402)
    assert not r.timed_out and values.get("done") == "1", \
        f"{what}: the probe did not finish" + r.describe()
    assert r.status == harness.EXIT_OK_STATUS, f"{what}: exit status {r.status}" + r.describe()
    assert not dups, f"{what}: keys printed twice: {dups}"
    return values


# ------------------------------------------------- the hand-off, inspected

# A 64 KiB "BIOS" for the simulator to load: it records the registers it is
# entered with, the CMOS bytes, the ELCR and bus 0's configuration space,
# then counts timer interrupts through the 8259 for 20M loop turns, sets a
# done flag and halts. Layout of what it writes:
#   0x600 EAX EBX ECX EDX ESI EDI EBP ESP, 0x620 CR0, 0x624 EFLAGS,
#   0x628 DS ES FS GS SS, 0x632 IDTR (6 bytes), 0x640 CMOS 15h 16h 17h 18h
#   30h 31h 34h 35h 38h 3Dh, 0x660 ELCR, 0x700 tick count, 0x702 done,
#   0x30000 config space of devfn 00-27h (256 bytes each).
INSPECT_S = r"""
	.code16
	.text
	.globl _start
_start:
	.org 0xE000
entry:
	movl %eax, 0x600
	movl %ebx, 0x604
	movl %ecx, 0x608
	movl %edx, 0x60c
	movl %esi, 0x610
	movl %edi, 0x614
	movl %ebp, 0x618
	movl %esp, 0x61c
	movl %cr0, %eax
	movl %eax, 0x620
	pushfl
	popl %eax
	movl %eax, 0x624
	movw %ds, 0x628
	movw %es, 0x62a
	movw %fs, 0x62c
	movw %gs, 0x62e
	movw %ss, 0x630
	sidtl 0x632
	movw $cmos_list, %si
	movw $0x640, %di
1:	movb %cs:(%si), %al
	cmpb $0xff, %al
	je 2f
	outb %al, $0x70
	inb $0x71, %al
	movb %al, (%di)
	incw %si
	incw %di
	jmp 1b
2:	movw $0x4d0, %dx
	inb %dx, %al
	movb %al, 0x660
	incw %dx
	inb %dx, %al
	movb %al, 0x661
	movw $0x3000, %ax
	movw %ax, %es
	xorw %di, %di
	movl $0x80000000, %ebx
3:	movl %ebx, %eax
	movw $0xcf8, %dx
	outl %eax, %dx
	movw $0xcfc, %dx
	inl %dx, %eax
	stosl
	addl $4, %ebx
	cmpl $0x80002800, %ebx
	jb 3b
	movw $0x7000, %sp
	movw $tick, 0x20
	movw $0xf000, 0x22
	movw $0, 0x700
	movb $0x11, %al
	outb %al, $0x20
	outb %al, $0xa0
	movb $0x08, %al
	outb %al, $0x21
	movb $0x70, %al
	outb %al, $0xa1
	movb $0x04, %al
	outb %al, $0x21
	movb $0x02, %al
	outb %al, $0xa1
	movb $0x01, %al
	outb %al, $0x21
	outb %al, $0xa1
	movb $0xfe, %al
	outb %al, $0x21
	movb $0xff, %al
	outb %al, $0xa1
	movb $0x34, %al
	outb %al, $0x43
	movb $0xa9, %al
	outb %al, $0x40
	movb $0x04, %al
	outb %al, $0x40
	sti
	movl $20000000, %ecx
4:	addr32 loop 4b
	cli
	movw $1, 0x702
5:	hlt
	jmp 5b
tick:
	incw 0x700
	pushw %ax
	movb $0x20, %al
	outb %al, $0x20
	popw %ax
	iret
cmos_list:
	.byte 0x15, 0x16, 0x17, 0x18, 0x30, 0x31, 0x34, 0x35, 0x38, 0x3d, 0xff
	.org 0xfff0
	ljmp $0xf000, $entry
	.org 0x10000
"""


@pytest.fixture(scope="session")
def inspect_image(tmp_path_factory):
    d = tmp_path_factory.mktemp("xen-inspect")
    src, obj, elf, img = (str(d / n) for n in ("inspect.S", "inspect.o", "inspect.elf",
                                               "inspect.bin"))
    with open(src, "w") as f:
        f.write(INSPECT_S)
    for cmd in (["gcc", "-m16", "-c", src, "-o", obj],
                ["ld", "-m", "elf_i386", "-Ttext=0", "-o", elf, obj],
                ["objcopy", "-O", "binary", "-j", ".text", elf, img]):
        subprocess.run(cmd, check=True)
    assert os.path.getsize(img) == 0x10000
    return img


class Guest:
    """QEMU under the simulator with a QMP socket, for reading memory,
    asking the monitor about CPU and interrupt controller state, taking
    screendumps and waking the machine; ports 0xE9 and 0x402 and COM1 are
    read while it runs."""

    def __init__(self, args):
        self.tmp = tempfile.TemporaryDirectory(prefix="kelp-xen-qmp-")
        self.sock_path = os.path.join(self.tmp.name, "qmp.sock")
        self.paths = {n: os.path.join(self.tmp.name, n) for n in ("e9", "402", "serial")}
        cmd = [harness.QEMU] + list(args) + [
            "-chardev", f"file,id=xe9,path={self.paths['e9']}",
            "-device", "isa-debugcon,iobase=0xe9,chardev=xe9",
            "-chardev", f"file,id=x402,path={self.paths['402']}",
            "-device", "isa-debugcon,iobase=0x402,chardev=x402",
            "-serial", f"file:{self.paths['serial']}",
            "-qmp", f"unix:{self.sock_path},server=on,wait=off"]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.sock = None
        for _ in range(200):
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.sock_path)
                self.sock = s
                break
            except OSError:
                s.close()
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        if not self.sock:
            out = self.proc.communicate()[0].decode(errors="replace")
            self.tmp.cleanup()
            raise AssertionError(f"QEMU did not start: {out}")
        self.rfile = self.sock.makefile("r")
        json.loads(self.rfile.readline())
        self.qmp("qmp_capabilities")

    def qmp(self, command, **arguments):
        msg = {"execute": command}
        if arguments:
            msg["arguments"] = arguments
        self.sock.sendall((json.dumps(msg) + "\n").encode())
        while True:
            reply = json.loads(self.rfile.readline())
            if "error" in reply:
                raise AssertionError(f"QMP {command}: {reply['error']}")
            if "return" in reply:
                return reply["return"]

    def hmp(self, line):
        return self.qmp("human-monitor-command", **{"command-line": line})

    def read(self, addr, size):
        path = os.path.join(self.tmp.name, "mem.bin")
        self.qmp("pmemsave", val=addr, size=size, filename=path)
        with open(path, "rb") as f:
            return f.read()

    def u32(self, addr):
        return struct.unpack("<I", self.read(addr, 4))[0]

    def text(self, name):
        try:
            with open(self.paths[name], "rb") as f:
                return f.read().decode("latin-1")
        except FileNotFoundError:
            return ""

    def e9(self):
        return self.text("e9")

    def wait_for(self, pattern, timeout, source="serial"):
        """Poll one output ("e9", "402" or "serial") until the regex
        matches; the match, or None once QEMU exits or the time is up."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.text(source))
            if m or self.proc.poll() is not None or time.monotonic() > deadline:
                return m or rx.search(self.text(source))
            time.sleep(0.1)

    def finish(self, timeout):
        """QEMU's exit status once the guest ends it, None if it does not."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def describe(self):
        def tail(text, n):
            return "\n".join(text.replace("\r", "").splitlines()[-n:])
        return (f"\n--- port 0xE9 (tail) ---\n{tail(self.e9(), 40)}"
                f"\n--- port 0x402 (tail) ---\n{tail(self.text('402'), 15)}"
                f"\n--- serial (tail) ---\n{tail(self.text('serial'), 30)}")

    def wait_flag(self, addr, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if struct.unpack("<H", self.read(addr, 2))[0] == 1:
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"the inspection payload did not finish:\n{self.e9()}")

    def close(self):
        try:
            self.qmp("quit")
        except (OSError, AssertionError, ValueError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.sock.close()
        self.tmp.cleanup()


@dataclass
class Handoff:
    regs: dict
    cmos: dict
    elcr: bytes
    pci: bytes          # 0x28 functions x 256 bytes
    ticks: int
    info: bytes
    tables: list        # (address, first 8 bytes)
    e820: list          # (base, length, type)
    registers: str      # HMP "info registers"
    lapic: str
    pic: str
    e9: str

    def cfg(self, dev, fn, reg, size=4):
        off = ((dev << 3) | fn) * 256 + reg
        return int.from_bytes(self.pci[off:off + size], "little")


def inspect(sim, image, memory="256M", smp=1, lvt0="masked", options=()):
    args = machine(memory, smp) + under_sim(sim, image, lvt0, options) + [
        "-boot", "order=dcn", "-icount", "shift=0,sleep=off",
        "-drive", "if=ide,format=raw,file=null-co://,size=1M"]
    g = Guest(args)
    try:
        g.wait_flag(0x702)
        raw = g.read(0x600, 0x40)
        names = ["eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp"]
        regs = dict(zip(names, struct.unpack_from("<8I", raw)))
        regs["cr0"], regs["eflags"] = struct.unpack_from("<II", raw, 0x20)
        for i, seg in enumerate(("ds", "es", "fs", "gs", "ss")):
            regs[seg] = struct.unpack_from("<H", raw, 0x28 + 2 * i)[0]
        regs["idt_limit"], regs["idt_base"] = struct.unpack_from("<HI", raw, 0x32)
        cmos = dict(zip((0x15, 0x16, 0x17, 0x18, 0x30, 0x31, 0x34, 0x35, 0x38, 0x3D),
                        g.read(0x640, 10)))
        info = g.read(0x1000, 32)
        tables_addr, tables_nr, e820_addr, e820_nr = struct.unpack_from("<IIII", info, 16)
        tables = []
        for i in range(min(tables_nr, 4)):
            a = g.u32(tables_addr + 4 * i)
            head = g.read(a, 8)
            tables.append((a, head))
        e820 = [struct.unpack_from("<QQI", g.read(e820_addr + 20 * i, 20))
                for i in range(min(e820_nr, 16))]
        h = Handoff(regs, cmos, g.read(0x660, 2), g.read(0x30000, 0x28 * 256),
                    struct.unpack("<H", g.read(0x700, 2))[0], info, tables, e820,
                    g.hmp("info registers"), g.hmp("info lapic"), g.hmp("info pic"), g.e9())
        h.guest = g
        h.read = g.read
        return h
    except BaseException:
        g.close()
        raise


@pytest.fixture(scope="module")
def handoff(xen_sim, inspect_image):
    h = inspect(xen_sim, inspect_image)
    yield h
    h.guest.close()


def table(h, sig):
    for addr, head in h.tables:
        if head.startswith(sig):
            return addr
    raise AssertionError(f"no {sig!r} in the info block's tables: {h.tables}")


def test_sim_builds_a_128k_image_with_a_reset_vector(xen_sim):
    with open(xen_sim, "rb") as f:
        data = f.read()
    assert len(data) == 128 * 1024
    assert data[-16] == 0xE9, "the reset vector should be a near jump"


def test_handoff_cpu_state_is_hvmloaders(handoff):
    r = handoff.regs
    for reg in ("eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp"):
        assert r[reg] == 0, f"{reg} = {r[reg]:#x} at entry"
    assert r["cr0"] & ~0x10 == 0, f"CR0 = {r['cr0']:#x} (only ET may read back set)"
    assert not r["eflags"] & (1 << 9), "IF set at entry"
    assert not r["eflags"] & (1 << 10), "DF set at entry"
    for seg in ("ds", "es", "fs", "gs", "ss"):
        assert r[seg] == 0, f"{seg} = {r[seg]:#x}"
    assert (r["idt_base"] & 0xFFFFFF, r["idt_limit"]) == (0, 0x3FF)
    regs = handoff.registers
    # Segments the payload did not reload keep hvmloader's 4 GiB limits.
    for seg in ("DS", "FS", "GS", "SS"):
        assert re.search(rf"^{seg} =0000 00000000 ffffffff ", regs, re.M), regs
    assert re.search(r"^CS =f000 000f0000 ", regs, re.M), regs
    gdt = int(re.search(r"^GDT=\s+([0-9a-f]+)", regs, re.M).group(1), 16)
    assert 0x100000 <= gdt < 0x200000, f"GDTR base {gdt:#x}: not in hvmloader's 1 MiB image"
    assert re.search(r"\bCR4=00000000\b", regs) and "EFER=0000000000000000" in regs
    # The trampoline overwrote the first IVT entries: it starts with
    # "mov %eax, %cr0".
    assert handoff.read(0, 3) == b"\x0f\x22\xc0"


def test_handoff_apic_state_is_hvmloaders(handoff):
    lapic = handoff.lapic
    assert re.search(r"LVT0\s+0x00010700 .*masked.*ExtINT", lapic), lapic
    assert re.search(r"LVT1\s+0x00000400 .*NMI", lapic), lapic
    assert re.search(r"SPIV\s+0x000001ff", lapic), lapic
    pic = handoff.pic
    assert re.search(r"pin 0\s+0x0000000000000700 dest=0 .*extINT", pic), pic
    # hvmloader writes the plain value 1 to the ID register, whose ID field
    # is bits 24-27: the chip keeps ID 0 while the tables say 1.
    assert re.search(r"ioapic0: ver=0x[0-9a-f]+ id=0x00", pic), pic


def test_exact_apic_state_keeps_8259_interrupts_from_the_cpu_on_qemu(handoff):
    """With LVT0 masked the 8259 could only reach the CPU through I/O APIC
    pin 0, which QEMU leaves undriven (Xen's vlapic accepts the 8259 in
    this state). The payload's PIT interrupts never arrive."""
    assert handoff.ticks == 0
    assert "LVT0 ExtINT masked" in handoff.e9


def test_lvt0_extint_lets_8259_interrupts_through(xen_sim, inspect_image):
    h = inspect(xen_sim, inspect_image, lvt0="extint")
    try:
        assert h.ticks > 0, "no timer interrupt with LVT0 open"
        assert re.search(r"LVT0\s+0x00000700 ", h.lapic), h.lapic
        assert re.search(r"pin 0\s+0x0000000000000700 ", h.pic), h.pic
    finally:
        h.guest.close()


def test_handoff_pci_is_set_up_like_hvmloader(handoff):
    h = handoff
    assert h.cfg(1, 0, 0x60) == 0x050B0A05, "PIRQ A-D should be IRQ 5, 10, 11, 5"
    assert h.elcr == b"\x20\x0c"
    # Every function present: bus master on, decode as its BARs need.
    for devfn in range(0x28):
        dev, fn = devfn >> 3, devfn & 7
        if h.cfg(dev, fn, 0, 2) in (0xFFFF, 0):
            continue
        assert h.cfg(dev, fn, 4, 2) & 4, f"{dev:02x}.{fn}: bus master off"
        pin = h.cfg(dev, fn, 0x3D, 1)
        if pin and (dev, fn) != (1, 3):
            link = (dev + pin - 1) & 3
            irq = (5, 10, 11, 5)[link]
            assert h.cfg(dev, fn, 0x3C, 1) == irq, f"{dev:02x}.{fn} Interrupt Line"
    # Largest first from 0xF0000000: the cirrus framebuffer (32 MiB).
    assert h.cfg(3, 0, 0x10) & ~0xF == 0xF0000000
    assert h.cfg(3, 0, 4, 2) & 3 == 3, "VGA: memory and I/O decode"
    for dev in (3, 4):
        rom = h.cfg(dev, 0, 0x30)
        assert rom & ~0x7FF, f"{dev:02x}.0 ROM BAR has no address"
        assert 0xF0000000 <= rom & ~0x7FF < 0xFC000000
        assert not rom & 1, f"{dev:02x}.0 ROM BAR is enabled"
    io = h.cfg(4, 0, 0x10)
    assert io & 1 and 0xC000 <= io & ~3 < 0x10000, f"rtl8139 I/O BAR {io:#x}"
    # PIIX4 PM: PM block at 0xB000 switched on; IDE legacy decode.
    assert h.cfg(1, 3, 0x40) == 0xB001 and h.cfg(1, 3, 0x80, 1) & 1
    assert h.cfg(1, 1, 0x40, 2) == 0x8000 and h.cfg(1, 1, 0x42, 2) == 0x8000
    # hvmloader's word write "at 0x3D" lands on the Interrupt Line (0x3C),
    # and the barber-pole mapping then overwrites it: INTA of device 1 is
    # link B, IRQ 10.
    assert h.cfg(1, 3, 0x3C, 1) == 10


def test_handoff_cmos_memory_bytes(handoff):
    c = handoff.cmos
    low_end = [b + length for b, length, t in handoff.e820 if t == 1 and b == 0x100000][0]
    assert c[0x15] | c[0x16] << 8 == 640
    ext = min((low_end - 0x100000) >> 10, 0xFFFF)
    assert c[0x17] | c[0x18] << 8 == ext
    assert c[0x30] | c[0x31] << 8 == ext
    assert c[0x34] | c[0x35] << 8 == (low_end - 0x1000000) >> 16
    # Boot order as QEMU wrote it for -boot order=dcn: CD, disk, network.
    assert c[0x3D] == 0x23 and c[0x38] >> 4 == 4


def check_e820(e820, qemu_low_end, high_end, acpi=True):
    """hvmloader's build_e820_table, with the table area at the top of
    QEMU's low RAM standing in for FC000000-FE000000."""
    types = [t for _, _, t in e820]
    bases = [b for b, _, _ in e820]
    assert bases == sorted(bases), e820
    assert e820[0] == (0, 0xA0000, 1)
    load = e820[1]
    assert load[2] == 2 and load[0] + load[1] == 0x100000 and load[0] >= 0xC0000
    ram = e820[2]
    assert ram[0] == 0x100000 and ram[2] == 1
    area = ram[0] + ram[1]
    assert area == qemu_low_end - 0x200000
    rest = e820[3:]
    if acpi:
        assert rest[0][0] == area and rest[0][2] == 4, "ACPI area should be NVS"
        rest = rest[1:]
    else:
        assert 4 not in types
    assert rest[0][2] == 2 and rest[0][0] + rest[0][1] == qemu_low_end
    assert rest[1] == (0xFC000000, 0x4000000, 2)
    if high_end:
        assert rest[2] == (0x100000000, high_end - 0x100000000, 1)
    else:
        assert len(rest) == 2


def test_handoff_info_block_and_e820(handoff):
    h = handoff
    assert h.info[:14] == b"XenHVMSeaBIOS\0"
    assert h.info[14] == 32 and sum(h.info) & 0xFF == 0
    check_e820(h.e820, 256 << 20, 0)
    # The table entry points sit in low scratch memory (>= 0x10000) except
    # the MP floating pointer, which hvmloader puts in its reserved area.
    assert [head[:4] for _, head in h.tables] == [b"_SM_", b"_MP_", b"$PIR", b"RSD "]
    for addr, head in h.tables:
        if head.startswith(b"_MP_"):
            assert addr >= (256 << 20) - 0x200000
        else:
            assert 0x10000 <= addr < 0x80000


def test_handoff_smbios(handoff):
    ep_addr = table(handoff, b"_SM_")
    ep = handoff.read(ep_addr, 0x1F)
    assert ep[5] == 0x1F and (ep[6], ep[7]) == (2, 4)
    assert sum(ep[:0x10]) & 0xFF == 0 and ep[0x10:0x15] == b"_DMI_"
    assert sum(ep[0x10:0x1F]) & 0xFF == 0
    length, addr, count = struct.unpack_from("<HIH", ep, 0x16)
    structs, used = test_tables.smbios_structures(handoff.read(addr, length), count)
    assert used == length and len(structs) == count
    types = [s[0] for s in structs]
    assert types[:4] == [0, 1, 3, 4] and types[-1] == 127
    assert {11, 16, 17, 19, 20, 32} <= set(types)
    assert test_tables.smbios_string(structs[0], 4) == "Xen"
    assert test_tables.smbios_string(structs[1], 4) == "Xen"
    assert test_tables.smbios_string(structs[1], 5) == "HVM domU"


def test_handoff_mp_table_and_pir(handoff):
    fp_addr = table(handoff, b"_MP_")
    fp = handoff.read(fp_addr, 16)
    assert sum(fp) & 0xFF == 0
    cfg_addr = struct.unpack_from("<I", fp, 4)[0]
    assert cfg_addr == fp_addr + 16
    head = handoff.read(cfg_addr, 44)
    length, count = struct.unpack_from("<H", head, 4)[0], struct.unpack_from("<H", head, 34)[0]
    cfg = handoff.read(cfg_addr, length)
    assert cfg[:4] == b"PCMP" and sum(cfg) & 0xFF == 0
    assert cfg[8:16] == b"_HVMCPU_" and count == 1 + 18
    off, entries = 44, []
    for _ in range(count):
        n = 20 if cfg[off] == 0 else 8
        entries.append(cfg[off:off + n])
        off += n
    ioapic = [e for e in entries if e[0] == 2]
    assert len(ioapic) == 1 and ioapic[0][1] == 1, "I/O APIC ID 1"
    ints = [e for e in entries if e[0] == 3]
    assert ints[0][1] == 3 and ints[0][7] == 0, "pin 0: ExtINT"
    isa = {e[5]: e for e in ints[1:]}
    assert sorted(isa) == [i for i in range(16) if i != 2]
    assert isa[0][7] == 2
    for irq, e in isa.items():
        flags = struct.unpack_from("<H", e, 2)[0]
        assert flags == (0x0F if irq in (5, 10, 11) else 0), f"IRQ {irq} flags {flags:#x}"

    pir_addr = table(handoff, b"$PIR")
    pir = handoff.read(pir_addr, 128)
    assert sum(pir) & 0xFF == 0 and struct.unpack_from("<HH", pir, 4) == (0x0100, 128)
    assert pir[9] == 0x08 and struct.unpack_from("<HH", pir, 12) == (0x8086, 0x122E)
    for i in range(6):
        slot = pir[32 + 16 * i:48 + 16 * i]
        assert slot[1] == i << 3
        # hvmloader's off-by-one: INTA of slot i names link (i + 1) & 3
        assert [slot[2 + 3 * p] for p in range(4)] == [0x60 + ((i + p + 1) & 3)
                                                        for p in range(4)]


def test_handoff_acpi_is_qemus_with_xens_pm_block(handoff):
    rsdp_addr = table(handoff, b"RSD PTR ")
    assert 0x10000 <= rsdp_addr < 0x80000
    rsdp = handoff.read(rsdp_addr, 20)
    assert sum(rsdp) & 0xFF == 0
    rsdt_addr = struct.unpack_from("<I", rsdp, 16)[0]
    area = (256 << 20) - 0x200000
    assert area + 0x1000 <= rsdt_addr < area + 0x100000
    rsdt = handoff.read(rsdt_addr, struct.unpack("<I", handoff.read(rsdt_addr + 4, 4))[0])
    assert rsdt[:4] == b"RSDT" and sum(rsdt) & 0xFF == 0
    found = {}
    for i in range((len(rsdt) - 36) // 4):
        a = struct.unpack_from("<I", rsdt, 36 + 4 * i)[0]
        t = handoff.read(a, struct.unpack("<I", handoff.read(a + 4, 4))[0])
        assert sum(t) & 0xFF == 0, f"{t[:4]} checksum"
        found[t[:4]] = t
    fadt = found[b"FACP"]
    pm1a_evt, pm1a_cnt, pm_tmr, gpe0 = (struct.unpack_from("<I", fadt, o)[0]
                                        for o in (56, 64, 76, 80))
    assert (pm1a_evt, pm1a_cnt, pm_tmr, gpe0) == (0xB000, 0xB004, 0xB008, 0xAFE0)
    assert struct.unpack_from("<H", fadt, 46)[0] == 9
    madt = found[b"APIC"]
    off = 44
    while off < len(madt):
        if madt[off] == 1:
            assert madt[off + 2] == 1, "MADT I/O APIC ID should be hvmloader's 1"
        off += madt[off + 1]
    # SCI_EN is on (hvmloader's acpi_enable_sci): not checked here, the
    # simulator stops with a FATAL line otherwise.
    assert "FATAL" not in handoff.e9


def test_handoff_without_apic_mode_or_acpi(xen_sim, inspect_image):
    """One vCPU, apic_mode off, ACPI off: only the SMBIOS entry point is
    handed over and the e820 has no NVS range."""
    h = inspect(xen_sim, inspect_image, options=(("apic-mode", "0"), ("acpi", "0")))
    try:
        assert [head[:4] for _, head in h.tables] == [b"_SM_"]
        check_e820(h.e820, 256 << 20, 0, acpi=False)
    finally:
        h.guest.close()


def test_handoff_with_ram_above_4g_and_two_cpus(xen_sim, inspect_image):
    h = inspect(xen_sim, inspect_image, memory="4608M", smp=2)
    try:
        # QEMU keeps 3 GiB below 4 GiB when there is this much RAM.
        check_e820(h.e820, 3 << 30, (4608 + 1024) << 20)
        fp = h.read(table(h, b"_MP_"), 16)
        cfg = h.read(struct.unpack_from("<I", fp, 4)[0], 44 + 40)
        cpus = [cfg[44 + 20 * i:64 + 20 * i] for i in range(2)]
        assert [c[0] for c in cpus] == [0, 0] and [c[1] for c in cpus] == [0, 1]
        assert [c[3] for c in cpus] == [3, 1], "enabled flags, BSP on the first"
    finally:
        h.guest.close()


def test_sim_refuses_an_image_over_256k(xen_sim, tmp_path):
    big = tmp_path / "big.bin"
    big.write_bytes(b"\xF4" * (256 * 1024 + 16))
    r = run_qemu(machine() + under_sim(xen_sim, str(big)), timeout=30)
    assert r.status == (0x7E << 1) | 1, r.describe()
    assert any("FATAL" in l and "256 KiB" in l for l in r.sim_lines()), r.describe()


# ------------------------------------------------------------ SeaBIOS

def test_seabios_under_the_sim_takes_its_qemu_path(xen_sim, probe_image):
    """Debian's bios-256k.bin detects Xen by CPUID too; under TCG it finds
    none, ignores the info block and runs as on plain QEMU (fw_cfg, its
    own PCI set-up and tables, log on port 0x402). It still boots the MBR
    from the image hvmloader's way put below 1 MiB."""
    if not os.path.exists(harness.SEABIOS):
        pytest.skip(f"{harness.SEABIOS} is not installed")
    r = run_qemu(machine() + under_sim(xen_sim, harness.SEABIOS) + probe_args(probe_image),
                 timeout=PROBE_TIMEOUT)
    probe_values(r, "SeaBIOS under xen-sim")
    assert "xen-sim: jumping to F000:FFF0" in r.e9
    assert not r.bios_log().strip(), "SeaBIOS wrote to port 0xE9" + r.describe()
    assert "No Xen hypervisor found" in r.d402 and "Running on QEMU" in r.d402


# ------------------------------------------------------------ Kelp

def check_kelp_on_xen_log(r):
    log = r.bios_log()
    assert "xen-sim: jumping to F000:FFF0" in r.e9, "the simulator did not hand over" + \
        r.describe()
    assert re.search(r"Kelp", log), "Kelp's log did not arrive on port 0xE9" + r.describe()
    assert re.search(r"Xen", log), "Kelp's log does not say it took the Xen path" + \
        r.describe()
    assert "Kelp" not in r.d402, "Kelp logged to port 0x402 on Xen" + r.describe()


@pytest.mark.parametrize("lvt0", ["masked", "extint"])
def test_kelp_boots_the_mbr_under_the_sim(xen_sim, kelp_xen_tcg, probe_image, lvt0):
    """Also from hvmloader's exact APIC state (LINT0 masked): Kelp opens
    LINT0 for the 8259 itself, so interrupts work on an emulated chipset."""
    r = run_qemu(machine() + under_sim(xen_sim, kelp_xen_tcg, lvt0) + probe_args(probe_image),
                 timeout=PROBE_TIMEOUT)
    values = probe_values(r, "Kelp under xen-sim")
    check_kelp_on_xen_log(r)
    assert values.get("irq.delivered") == "1", "no hardware interrupt reached the probe" + \
        r.describe()


def test_kelp_makes_no_fwcfg_pam_or_unplug_access_after_the_handoff(
        xen_sim, kelp_xen_tcg, probe_image):
    """Traced with QEMU's events; only what follows the simulator's marker
    write (port 0xF0C) is Kelp's (and the boot sector's). The disk is
    boot-second.img (tests/payloads): a whole POST, option ROMs, INT 13h
    and a boot, with little port traffic of its own."""
    events = ["fw_cfg_select", "fw_cfg_read", "pci_cfg_write", "memory_region_ops_write"]
    disk = os.path.join(harness.OUT, "test", "boot-second.img")
    r = run_qemu(machine() + under_sim(xen_sim, kelp_xen_tcg) + probe_args(disk),
                 timeout=PROBE_TIMEOUT, trace_events=events)
    values, _ = test_probe.parse_probe(r.d402)
    assert values.get("boot.second.readback") == "1", "the boot sector did not run" + \
        r.describe()
    assert r.status == harness.EXIT_OK_STATUS, r.describe()
    lines = r.trace.splitlines()
    marks = [i for i, l in enumerate(lines) if MARKER_RE.search(l)]
    assert len(marks) == 1, f"expected one hand-off marker in the trace, found {len(marks)}"
    before, after = lines[:marks[0]], lines[marks[0] + 1:]

    def fwcfg(l):
        return l.startswith(("fw_cfg_select", "fw_cfg_read")) or \
            re.search(r"name 'fwcfg(\.dma)?'$", l)

    def pam(l):
        m = re.match(r"pci_cfg_write \S+ 00:00\.0 @0x([0-9a-f]+) <- ", l)
        return m and 0x58 <= int(m.group(1), 16) <= 0x5F

    def unplug(l):
        m = re.match(r"memory_region_ops_write .* addr 0x([0-9a-f]+) value 0x[0-9a-f]+ "
                     r"size (\d+) name '([^']*)'$", l)
        if not m or m.group(3) in ("fwcfg", "fwcfg.dma"):
            return False
        addr, size = int(m.group(1), 16), int(m.group(2))
        return size >= 2 and addr <= 0x10 < addr + size

    # The trace does see such accesses: the simulator makes them itself.
    assert any(fwcfg(l) for l in before) and any(pam(l) for l in before)
    for name, bad in (("fw_cfg access", fwcfg), ("PAM write", pam),
                      ("word write to port 0x10", unplug)):
        hits = [l for l in after if bad(l)]
        assert not hits, f"Kelp made {len(hits)} {name}(s) after the hand-off, first: " + \
            "\n".join(hits[:5])


def ahci_args(image):
    """An AHCI controller (placed by the simulator as hvmloader would) with
    the disk on port 2."""
    return ["-device", "ahci,id=ahci,addr=05.0",
            "-drive", f"if=none,id=d0,file={image},format=raw,snapshot=on",
            "-device", "ide-hd,drive=d0,bus=ahci.2"]


def test_kelp_boots_the_mbr_from_ahci_under_the_sim(xen_sim, kelp_xen_tcg, probe_image):
    r = run_qemu(machine() + under_sim(xen_sim, kelp_xen_tcg) + ahci_args(probe_image) +
                 ["-rtc", "clock=vm", "-icount", "shift=0,sleep=off"], timeout=PROBE_TIMEOUT)
    values = probe_values(r, "Kelp under xen-sim, AHCI disk")
    check_kelp_on_xen_log(r)
    assert "ahci0-p2: QEMU HARDDISK" in r.bios_log(), r.describe()
    assert "ata0-" not in r.bios_log(), r.describe()
    test_probe.check_disk_reads(values, "kelp", test_probe.IMG, mkimage.TOTAL_SECTORS)


def test_kelp_boots_linux_from_ahci_under_the_sim(xen_sim, kelp_xen_tcg, linux_image):
    r = run_qemu(machine() + under_sim(xen_sim, kelp_xen_tcg) + ahci_args(linux_image),
                 timeout=LINUX_TIMEOUT)
    lines = test_linux.report(r.serial)
    log = r.describe()
    assert any(l.startswith("start") for l in lines), "the initramfs never ran" + log
    assert "done" in lines, "init did not finish" + log
    check_kelp_on_xen_log(r)
    edd = test_linux.edd_fields(lines, "int13_dev80")
    assert edd.get("interface") == "SATA device: 2", f"EDD: {edd}" + log


@pytest.mark.parametrize("memory,smp", [("256M", 1), ("4608M", 2)],
                         ids=["256M-1cpu", "4608M-2cpu"])
def test_kelp_boots_linux_under_the_sim(xen_sim, kelp_xen_tcg, linux_image, memory, smp):
    r = run_qemu(machine(memory, smp) + under_sim(xen_sim, kelp_xen_tcg) +
                 ["-drive", f"file={linux_image},format=raw,if=ide,snapshot=on"],
                 timeout=LINUX_TIMEOUT)
    lines = test_linux.report(r.serial)
    log = r.describe()
    assert any(l.startswith("start") for l in lines), "the initramfs never ran" + log
    assert "done" in lines, "init did not finish" + log
    check_kelp_on_xen_log(r)

    # ACPI (QEMU's tables, placed like hvmloader's), SMBIOS and the MP table.
    assert "acpi=present" in lines, log
    tables = {l.split()[2] for l in lines if l.startswith("acpi table ")}
    assert {"FACP", "APIC", "DSDT", "FACS"} <= tables, f"ACPI tables seen: {tables}" + log
    assert "dmi=present" in lines, log
    assert "dmi sys_vendor=Xen" in lines and "dmi product_name=HVM domU" in lines, log
    assert any(l.startswith("fw:") and "found SMP MP-table at" in l for l in lines), \
        "Linux did not find the MP table" + log
    assert f"cpus={smp}" in lines, log

    # All the RAM of the simulator's e820 reaches Linux, nothing more.
    sim_ram = [(b, e) for b, e, t in r.sim_e820() if t == 1]
    assert sim_ram, "no e820 lines from the simulator" + log
    usable = [(s, e) for s, e, t in test_linux.e820_ranges(lines) if t == "usable"]
    assert usable, "no usable e820 range reported by Linux" + log
    for s, e in usable:
        assert any(b <= s and e <= be for b, be in sim_ram), \
            f"usable {s:#x}-{e:#x} is not RAM in the simulator's e820 {sim_ram}" + log
    given = sum(e - b + 1 for b, e in sim_ram)
    got = sum(e - s + 1 for s, e in usable)
    # Kelp may keep the EBDA and its high table zone (at most 1 MiB).
    assert got >= given - (2 << 20), \
        f"Linux has {got:#x} usable bytes of the {given:#x} the simulator gave" + log


def test_kelp_xen_tcg_image_takes_the_qemu_path_on_plain_qemu(kelp_xen_tcg, probe_image):
    """No simulator, so no info block: TCG's signature alone must not make
    Kelp take the Xen path."""
    r = run_qemu(machine() + ["-bios", kelp_xen_tcg] + probe_args(probe_image),
                 timeout=PROBE_TIMEOUT)
    probe_values(r, "XEN_TCG_TEST Kelp on plain QEMU")
    assert not r.e9, "Kelp wrote to port 0xE9 on plain QEMU" + r.describe()
    assert "Kelp" in r.d402, "Kelp's log is not on port 0x402" + r.describe()


# ------------------------------------------- option ROMs, screen, network

def test_kelp_pxe_boots_linux_through_ipxe_on_rtl8139_under_the_sim(
        xen_sim, kelp_xen_tcg, tftp_root):  # noqa: F811
    """The emulated rtl8139's iPXE ROM (QEMU's default efi-rtl8139.rom,
    whose first image is the legacy one), behind the ROM BAR the simulator
    assigned as hvmloader does: Kelp runs it, its BEV is the only boot
    entry (no disk) and iPXE loads pxelinux, the kernel and the initramfs
    over TFTP from QEMU's user network."""
    r = run_qemu(machine(net=f",tftp={tftp_root},bootfile=pxelinux.0") +
                 under_sim(xen_sim, kelp_xen_tcg), timeout=LINUX_TIMEOUT)
    log = r.describe()
    check_kelp_on_xen_log(r)
    kelp = r.bios_log()
    assert re.search(r"rom: running ROM of 00:04\.0 at [0-9a-f]{4}:0003", kelp), log
    assert re.search(r'boot entry \(BEV\) [0-9a-f]{4}:[0-9a-f]{4} "iPXE \(PCI 00:04\.0\)',
                     kelp), "the NIC ROM left no BEV" + log
    assert "Booting from iPXE (PCI 00:04.0)" in kelp, log
    assert "PXELINUX" in r.serial, "pxelinux never started" + log
    lines = test_linux.report(r.serial)
    assert "done" in lines, "the network-booted Linux did not finish its init" + log
    assert r.status == harness.EXIT_OK_STATUS, log
    # The ROM BAR is still where the simulator put it when Linux looks.
    rom = r.sim_bar("04.0", 0x30)
    assert rom and 0xF0000000 <= rom[0] < 0xFC000000, "no ROM BAR for the NIC" + log
    nic = [l for l in lines if l.startswith("pci 0000:00:04.0 ")]
    assert nic and f"{rom[0]:#018x}-{rom[0] + rom[1] - 1:#018x}" in nic[0], \
        f"the NIC's ROM BAR moved from {rom[0]:#x}: {nic}" + log


def test_kelp_boots_the_disk_of_a_bcv_rom_under_the_sim(xen_sim, kelp_xen_tcg, tmp_path):
    """tests/roms' virtio-blk BCV ROM on a legacy virtio-blk device in the
    slot after the NIC: the simulator gives it its I/O BAR and ROM BAR,
    Kelp runs the ROM from the ROM BAR and calls its BCV, and the ROM's
    disk (no IDE disk here) becomes 80h and boots; the disk program checks
    every INT 13h answer through the ROM."""
    test_roms.build_roms()
    img = test_roms.disk(tmp_path, "virtio")
    r = run_qemu(machine() + under_sim(xen_sim, kelp_xen_tcg) + [
        "-drive", f"if=none,id=vd0,file={img},format=raw,snapshot=on",
        "-device", "virtio-blk-pci,disable-modern=on,drive=vd0,addr=05.0,"
                   f"romfile={test_roms.rom('virtio-blk')}",
        "-icount", "shift=0,sleep=off"], timeout=PROBE_TIMEOUT)
    log = r.describe()
    check_kelp_on_xen_log(r)
    kelp = r.bios_log()
    assert re.search(r"rom: running ROM of 00:05\.0 at [0-9a-f]{4}:0003", kelp), log
    assert re.search(r"rom: .*disk connection \(BCV\)", kelp), log
    assert re.search(r"rom: BCV .*connected 1 disk", kelp), log
    assert re.search(r"^boot 1: hard disk 80h", kelp, re.M), log
    # The ROM and the disk program report on port 0x402 (test_roms reads
    # the same lines from Result.debug).
    rom_out = harness.Result(r.d402, r.serial, r.status, r.timed_out)
    rom = test_roms.rom_report(rom_out, "virtio")
    assert rom.get("id") == "10011af4" and rom.get("drive") == "80", rom
    io, rom_bar = r.sim_bar("05.0", 0x10), r.sim_bar("05.0", 0x30)
    assert io and io[0] >= 0xC000 and rom_bar, "the simulator placed no I/O or ROM BAR" + log
    assert int(rom.get("io", "0"), 16) == io[0], \
        f"the ROM drove I/O {rom.get('io')}, the simulator placed the BAR at {io[0]:#x}"
    rep = test_roms.disk_report(rom_out)
    assert rep["boot"] == [("virtio", "80")], rep
    assert rep["drives"] == 1 and rep["done"], rep
    test_roms.check_drive(rep, "80", "virtio", test_roms.romtool.DEFAULT_SECTORS)
    assert r.status == harness.EXIT_OK_STATUS, log


def test_cirrus_vga_bios_puts_text_on_the_screen_under_the_sim(
        xen_sim, kelp_xen_tcg, boot_disk, tmp_path):  # noqa: F811
    """The cirrus VGA BIOS (QEMU's ROM behind the adapter's ROM BAR at
    03.0, where qemu-xen has it) runs under Kelp on the Xen path; the INT
    10h boot sector of tests/qemu/test_vga.py prints, and the screendump
    shows exactly the text memory's characters (test_vga's checks)."""
    g = Guest(machine() + under_sim(xen_sim, kelp_xen_tcg) + [
        "-drive", f"file={boot_disk},format=raw,if=ide,snapshot=on",
        "-icount", "shift=0,sleep=off"])
    try:
        assert g.wait_for(r"VGA-TEST ready", PROBE_TIMEOUT, "402"), \
            "the boot sector never said it was ready" + g.describe()
        ppm = str(tmp_path / "screen.ppm")
        g.qmp("screendump", filename=ppm)
        mem = g.read(0xB8000, test_vga.COLS * test_vga.ROWS * 2)
        bda = g.read(0x400, 0x100)
        pci = [(d["bus"], d["slot"], d["function"], d["id"]["vendor"], d["id"]["device"])
               for b in g.qmp("query-pci") for d in b["devices"]]
        kelp, vgabios = g.e9(), g.text("402")
    finally:
        g.close()
    w, h, rgb = test_vga.read_ppm(ppm)
    os.makedirs(os.path.join(harness.OUT, "test"), exist_ok=True)
    png = os.path.join(harness.OUT, "test", "vga-kelp-xen-sim-cirrus.png")
    test_vga.write_png(png, w, h, rgb)
    assert "Xen" in kelp and "xen-sim: jumping to F000:FFF0" in kelp, kelp[-3000:]
    # Kelp's log (port 0xE9) and the VGA BIOS's (port 0x402) together play
    # the single debug log test_vga reads on plain QEMU.
    s = {"w": w, "h": h, "rgb": rgb, "mem": mem, "bda": bda, "png": png, "pci": pci,
         "debug": kelp + "\n" + vgabios}
    test_vga.check_text_screen(s, "kelp", "cirrus", slot=3)


# ------------------------------------------------------------ S3

S3_STEP_TIMEOUT = 60


def s3_disk(linux_image, tmp_path):
    """A copy of the test disk whose syslinux.cfg boots the "s3" label
    (kernel command line with kelp.s3: the init suspends to RAM once)."""
    disk = str(tmp_path / "linux-s3.img")
    shutil.copyfile(linux_image, disk)
    cfg = tmp_path / "syslinux.cfg"
    cfg.write_text(mklinux.SYSLINUX_CFG.replace("@DEFAULT@", "s3"))
    p = subprocess.run(["mcopy", "-o", "-i", f"{disk}@@{mklinux.PART_START * 512}",
                        str(cfg), "::/syslinux.cfg"],
                       env=dict(os.environ, MTOOLS_SKIP_CHECK="1"),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert p.returncode == 0, "mcopy failed: " + p.stdout.decode(errors="replace")
    return disk


def test_s3_resume_under_the_sim_skips_hvmloader_and_post(
        xen_sim, kelp_xen_tcg, linux_image, tmp_path):  # noqa: F811
    """Linux suspends to RAM; QMP system_wakeup resets the machine with
    CMOS 0Fh = FEh. As on Xen, hvmloader's work is not redone: the
    simulator only maps C0000-FFFFF back to RAM and jumps to F000:FFF0,
    and Kelp, without a second POST, jumps to the kernel's waking vector."""
    g = Guest(machine() + under_sim(xen_sim, kelp_xen_tcg) + [
        "-drive", f"file={s3_disk(linux_image, tmp_path)},format=raw,if=ide",
        "-global", "PIIX4_PM.disable_s3=0"])
    try:
        m = g.wait_for(r"KELP-INIT s3 states=.*", LINUX_TIMEOUT)
        assert m and "mem" in m.group(0).split("mem_sleep")[0], \
            "Linux did not boot to its S3 step, or has no S3" + g.describe()
        assert g.wait_for(r"KELP-INIT s3 suspend", S3_STEP_TIMEOUT), g.describe()
        deadline = time.monotonic() + S3_STEP_TIMEOUT
        while g.qmp("query-status")["status"] != "suspended":
            assert time.monotonic() < deadline, "the guest never went to sleep" + g.describe()
            time.sleep(0.1)
        before = g.e9()
        assert "resume: FACS at" in before, "Kelp found no FACS on the Xen path" + g.describe()
        g.qmp("system_wakeup")
        assert g.wait_for(r"KELP-INIT s3 resumed", S3_STEP_TIMEOUT), \
            g.describe() + "\n--- port 0xE9 after the wake-up:\n" + g.e9()[len(before):]
        assert g.wait_for(r"KELP-INIT done", S3_STEP_TIMEOUT), g.describe()
        status = g.finish(S3_STEP_TIMEOUT)
        after = g.e9()[len(before):]
        assert status == harness.EXIT_OK_STATUS, f"exit status {status}" + g.describe()
    finally:
        g.close()
    assert "xen-sim: S3 wake-up" in after, after
    # hvmloader's work is not redone (it would rebuild the tables and the
    # info block in the sleeping OS's memory)...
    assert "hvmloader stand-in starting" not in after and "info block" not in after, after
    # ...and Kelp runs no second POST (it would overwrite the kernel at
    # 1 MiB) but jumps to the waking vector.
    assert re.search(r"resume: S3 wake-up, jumping to [0-9a-f]{4}:[0-9a-f]{4}", after), after
    assert "Kelp BIOS" not in after and "Xen HVM" not in after, after


def test_kelp_powers_off_through_xens_pm1a_cnt_under_the_sim(xen_sim, kelp_xen_tcg, tmp_path):
    """APM 5307h (all devices off) from a boot sector: Kelp writes the S5
    sleep type of hvmloader-style tables to their PM1a control register,
    and the machine goes off (QEMU exits with status 0)."""
    disk = harness.boot_sector_disk(os.path.join(harness.ROOT, "tests", "payloads", "apmoff.S"),
                                    str(tmp_path))
    r = run_qemu(machine() + under_sim(xen_sim, kelp_xen_tcg)
                 + ["-drive", f"file={disk},format=raw,if=ide,snapshot=on"], timeout=PROBE_TIMEOUT)
    check_kelp_on_xen_log(r)
    assert "APMOFF 5301 cf=0" in r.d402, r.describe()
    assert "APMOFF 5307" not in r.d402 and r.status == 0, r.describe()
    assert re.search(r"apm: power off \(PM1a_CNT [0-9a-f]+, S5 type \d\)", r.bios_log()), \
        r.describe()
