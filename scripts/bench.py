#!/usr/bin/python3
"""Kelp against Debian's SeaBIOS on identical QEMU machines (`make bench`).

Every run is `-M pc -nodefaults -m 256M` under `-icount shift=0,sleep=off`:
one guest instruction is one nanosecond of guest time and the guest TSC
counts those nanoseconds from reset, so a program that reads the TSC first
thing measures the firmware in guest time, whatever the host does.

Figures, each for both firmwares:

- boot time: reset to the first instruction at 0000:7C00 (the boot sector
  tests/payloads/bench.S reads the TSC there) and to Linux's first
  instruction in /init (tests/payloads/bench_init.S, on a syslinux disk
  built with tests/images/mklinux.py's pieces), for each machine in
  MACHINES.  Firmware that waits for the device by polling spins for as
  long as the host takes, so each boot is run --repeat times and the
  fastest counts; all values are kept in the JSON results.
- exits: port I/O and MMIO accesses made by the CPU from reset to the
  boot sector (QEMU trace events memory_region_ops_read/write; the boot
  sector ends the run at once).  On Xen and KVM each one is a VM exit.
  These runs have no debug console, as in production.
- INT 13h throughput: the boot sector reads --mib MiB from a second disk on
  each controller in CONTROLLERS with INT 13h 42h, 64 KiB per call.
- footprint: image size, runtime code, resident bytes below 1 MiB, EBDA,
  INT 12h, free option ROM space with VGA + 3 NIC ROMs, NIC ROMs run with
  VGA + 24 NICs (tests/qemu/test_netboot.py's crowd), the largest
  conventional PMM block (tests/roms/pci3.S asks for it).
- the POST timeline from Kelp's "[kcycles] phase" log lines, drawn to
  timeline.png with matplotlib.

The boot runs have a debug console (its log gives the timeline and the
footprint lines; Debian's SeaBIOS spends about 2 us more writing to it),
the traced and the INT 13h runs do not.  A controller the firmware cannot
boot from or read is reported as n/a: a boot run stops as soon as the log
says "No bootable device", a read run when no drive has the size of the
disk under test, and every run has a wall-clock bound.  The table and the
goals go to stdout (Markdown); results.json (every value, every repeat)
and timeline.png go to --out (default out/bench).

--smoke runs one machine (IDE), both firmwares, a few MiB: the quick check
tests/qemu/test_bench.py makes that the script works.
"""
import argparse
import concurrent.futures
import datetime
import fcntl
import gzip
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
sys.path.insert(0, os.path.join(ROOT, "tests", "images"))
import harness      # noqa: E402
import mklinux      # noqa: E402
import test_netboot  # noqa: E402

FIRMWARES = {"kelp": harness.KELP, "seabios": harness.SEABIOS}
MEMORY = "256M"
SECTOR = 512
MIB = 1 << 20

# Wall-clock bounds of one QEMU run.
BOOT_TIMEOUT = 90
LINUX_TIMEOUT = 400
READ_TIMEOUT = 400
CROWD_NICS = 24
FOOTPRINT_NICS = 3

# tests/payloads/bench.S: parameter block and modes.
PARAMS_MAGIC = b"KBNC"
MODE_EXIT, MODE_REPORT, MODE_READ = 0, 1, 2
BOOT_DISK_BYTES = 1 * MIB
TARGET_SECTORS = 65 * 2048      # the disk read in MODE_READ: 65 MiB, sparse

NO_BOOT = r"No bootable device|Boot failed"
SEABIOS_NIC_BOOTORDER = re.compile(r"^Searching bootorder for: /pci@i0cf8/\*@([0-9a-f]+)$", re.M)


# ---------------------------------------------------------------- machines

def drive(path, n=0):
    return ["-drive", f"file={path},format=raw,if=none,id=d{n},snapshot=on"]


def ide_disk(path, bus="ide.0", n=0, bootindex=None):
    dev = f"ide-hd,drive=d{n},bus={bus}"
    if bootindex is not None:
        dev += f",bootindex={bootindex}"
    return drive(path, n) + ["-device", dev]


def ahci_disk(path, n=0):
    return ["-device", f"ahci,id=ahci{n}"] + drive(path, n) + \
        ["-device", f"ide-hd,drive=d{n},bus=ahci{n}.0"]


def virtio_blk_disk(path, n=0):
    return drive(path, n) + ["-device", f"virtio-blk-pci,drive=d{n}"]


def virtio_scsi_disk(path, n=0):
    return ["-device", f"virtio-scsi-pci,id=scsi{n}"] + drive(path, n) + \
        ["-device", f"scsi-hd,drive=d{n},bus=scsi{n}.0"]


def nvme_disk(path, n=0):
    return drive(path, n) + ["-device", f"nvme,drive=d{n},serial=kelpbench{n}"]


VGA = ["-device", "VGA,addr=0x2"]

# Boot machines: name -> boot disk path -> QEMU arguments.
MACHINES = {
    "IDE": lambda d: ide_disk(d),
    "IDE + VGA": lambda d: VGA + ide_disk(d),
    "IDE + VGA + 3 NIC ROMs": lambda d: VGA + ide_disk(d) + test_netboot.nic_args(FOOTPRINT_NICS),
    "AHCI": lambda d: ahci_disk(d),
    "virtio-blk": lambda d: virtio_blk_disk(d),
}
FOOTPRINT_MACHINE = "IDE + VGA + 3 NIC ROMs"

# Read targets: the bench disk boots from IDE, the disk under test is a
# second one on the controller (found by its size, whatever its number).
CONTROLLERS = {
    "IDE": lambda d: ide_disk(d, bus="ide.1", n=1),
    "AHCI": lambda d: ahci_disk(d, n=1),
    "virtio-blk": lambda d: virtio_blk_disk(d, n=1),
    "virtio-scsi": lambda d: virtio_scsi_disk(d, n=1),
    "NVMe": lambda d: nvme_disk(d, n=1),
}


# ---------------------------------------------------------------- running QEMU

class Run:
    """One QEMU run: what the guest printed and how it ended."""

    def __init__(self, serial, debug, status, timed_out, stopped, trace, wall):
        self.serial = serial
        self.debug = debug
        self.status = status
        self.timed_out = timed_out
        self.stopped = stopped      # ended early: the firmware found nothing to boot
        self.trace = trace          # access counts, when traced
        self.wall = wall

    def bench(self):
        """The BENCH key=value lines of the boot sector or init."""
        return dict(re.findall(r"BENCH (\w+)=(\S+)", self.serial))


def read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("latin-1")
    except FileNotFoundError:
        return ""


def qemu(bios, args, timeout, debugcon=True, trace=False, stop_on=NO_BOOT):
    with tempfile.TemporaryDirectory(prefix="kelp-bench-") as tmp:
        ser, dbg, trc = (os.path.join(tmp, n) for n in ("serial.log", "debug.log", "trace.log"))
        cmd = [harness.QEMU, "-M", "pc", "-bios", bios, "-m", MEMORY,
               "-display", "none", "-no-reboot", "-nodefaults", "-monitor", "none",
               "-icount", "shift=0,sleep=off",
               "-device", f"isa-debug-exit,iobase={harness.EXIT_PORT:#x},iosize=4",
               "-serial", f"file:{ser}"]
        if debugcon:
            cmd += ["-chardev", f"file,id=dbg,path={dbg}",
                    "-device", "isa-debugcon,iobase=0x402,chardev=dbg"]
        if trace:
            cmd += ["-trace", "memory_region_ops_read", "-trace", "memory_region_ops_write",
                    "-D", trc]
        cmd += list(args)
        start = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        timed_out = stopped = False
        rx = re.compile(stop_on) if stop_on and debugcon else None
        while p.poll() is None:
            if time.monotonic() - start > timeout:
                timed_out = True
                break
            if rx and rx.search(read_text(dbg)):
                stopped = True
                break
            time.sleep(0.1)
        if p.poll() is None:
            p.kill()
        out = p.communicate()[0].decode(errors="replace")
        status = None if (timed_out or stopped) else p.returncode
        if status not in (None, harness.EXIT_OK_STATUS) and out.strip():
            print(f"bench: qemu said: {out.strip()[:500]}", file=sys.stderr)
        counts = count_accesses(trc) if trace else None
        return Run(read_text(ser), read_text(dbg), status, timed_out, stopped, counts,
                   time.monotonic() - start)


TRACE_LINE = re.compile(r"^memory_region_ops_(read|write) cpu (-?\d+) .*?addr (0x[0-9a-f]+) "
                        r".*name '([^']*)'")


def count_accesses(path):
    """Port I/O and MMIO accesses the CPU made, in total and per region.
    Accesses QEMU makes itself (cpu -1, e.g. MSI delivery) are not exits."""
    pio = mmio = 0
    regions = {}
    try:
        f = open(path, errors="replace")
    except FileNotFoundError:
        return None
    with f:
        for line in f:
            m = TRACE_LINE.match(line)
            if not m or int(m.group(2)) < 0:
                continue
            if int(m.group(3), 16) < 0x10000:
                pio += 1
                kind = "pio"
            else:
                mmio += 1
                kind = "mmio"
            key = f"{kind}:{m.group(4)}"
            regions[key] = regions.get(key, 0) + 1
    return {"total": pio + mmio, "pio": pio, "mmio": mmio, "regions": regions}


# ---------------------------------------------------------------- disks

def build_payloads(out, roms):
    """The boot sector, the Linux init and (if roms) the test ROMs, built by
    their make fragments (a no-op when they are up to date).  The ROMs are
    built under the lock tests/qemu/test_roms.py takes for the same job."""
    todo = [("tests/payloads/build.mk", "bench-payloads")]
    if roms:
        todo.append(("tests/roms/build.mk", "roms"))
    with open(os.path.join(ROOT, out, ".roms-build.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for mk, target in todo:
            p = subprocess.run(["make", "--no-print-directory", "-f", mk, f"OUT={out}", target],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if p.returncode:
                sys.exit(f"bench: building {target} failed:\n{p.stdout.decode(errors='replace')}")


def bench_disk(path, code, mode, mib=0, sectors=0):
    """A 1 MiB disk booting the bench program (two sectors: the boot
    sector, whose partition table area stays empty, and the rest) with its
    parameters patched."""
    sec = bytearray(2 * SECTOR)
    sec[:len(code)] = code
    at = sec.find(PARAMS_MAGIC)
    if at < 0 or at + 12 > 0x1BE or len(code) > 2 * SECTOR or sec[510:512] != b"\x55\xaa":
        sys.exit("bench: bench.bin has no parameter block, or is not a 2-sector program")
    sec[at + 4] = mode
    struct.pack_into("<HI", sec, at + 6, mib, sectors)
    with open(path, "wb") as f:
        f.write(sec)
        f.truncate(BOOT_DISK_BYTES)
    return path


def sparse_disk(path, sectors):
    with open(path, "wb") as f:
        f.truncate(sectors * SECTOR)
    return path


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def linux_disk(path, init_path):
    """mklinux's syslinux disk, with the bench init as the whole initramfs."""
    cache = os.environ.get("KELP_CACHE") or os.path.expanduser("~/.cache/kelp")
    os.makedirs(cache, exist_ok=True)
    with open(os.path.join(cache, ".mklinux.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        deb = mklinux.fetch_kernel_deb(cache)
        vmlinuz = mklinux.unpack_kernel(deb, cache)[0]
    stamp = path + ".json"
    inputs = {"deb": os.path.basename(deb), "init": sha256(init_path),
              "mklinux": sha256(mklinux.__file__), "bench": sha256(__file__)}
    try:
        with open(stamp) as f:
            if json.load(f) == inputs and os.path.exists(path):
                return path
    except (OSError, ValueError):
        pass
    c = mklinux.Cpio()
    c.dir("dev")
    c.chardev("dev/console", 5, 1)
    with open(init_path, "rb") as f:
        c.file("init", f.read(), 0o755)
    initrd = gzip.compress(c.finish(), mtime=0)
    total = 32 * 2048
    with tempfile.TemporaryDirectory(dir=os.path.dirname(path), prefix=".linux-") as tmp:
        fs = os.path.join(tmp, "fs.img")
        mklinux.build_fs(fs, total - mklinux.PART_START, vmlinuz, initrd, tmp, "linux")
        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as d, open(fs, "rb") as f:
            d.write(mklinux.mbr_sector(total))
            d.seek(mklinux.PART_START * SECTOR)
            shutil.copyfileobj(f, d, MIB)
            d.truncate(total * SECTOR)
        os.replace(disk, path)
    with open(stamp, "w") as f:
        json.dump(inputs, f)
    return path


# ---------------------------------------------------------------- measurements

def ms(ticks):
    return ticks / 1e6


def boot_once(fw, machine, disk, extra=()):
    r = qemu(FIRMWARES[fw], MACHINES[machine](disk) + list(extra), BOOT_TIMEOUT)
    b = r.bench()
    if "tsc7c00" not in b:
        why = "no boot" if r.stopped else ("timeout" if r.timed_out else f"status {r.status}")
        return {"ok": False, "why": why, "debug": r.debug}
    return {"ok": True, "ms": ms(int(b["tsc7c00"], 16)), "int12": int(b["int12"], 16),
            "ebda_seg": int(b["ebda"].split(":")[0], 16),
            "ebda_kib": int(b["ebda"].split(":")[1], 16), "debug": r.debug}


def linux_once(fw, machine, disk):
    r = qemu(FIRMWARES[fw], MACHINES[machine](disk), LINUX_TIMEOUT)
    b = r.bench()
    if "tsc_init" not in b:
        why = "no boot" if r.stopped else ("timeout" if r.timed_out else f"status {r.status}")
        return {"ok": False, "why": why}
    return {"ok": True, "ms": ms(int(b["tsc_init"], 16))}


def exits_once(fw, machine, disk):
    r = qemu(FIRMWARES[fw], MACHINES[machine](disk), BOOT_TIMEOUT, debugcon=False, trace=True)
    if r.status != harness.EXIT_OK_STATUS or not r.trace:
        return {"ok": False, "why": "timeout" if r.timed_out else f"status {r.status}"}
    return dict(r.trace, ok=True)


def read_once(fw, controller, boot, target, mib):
    args = ide_disk(boot, bootindex=0) + CONTROLLERS[controller](target)
    r = qemu(FIRMWARES[fw], args, READ_TIMEOUT, debugcon=False)
    b = r.bench()
    if "read_tsc" in b:
        return {"ok": True, "ms_per_mib": ms(int(b["read_tsc"], 16)) / mib, "mib": mib,
                "drive": b.get("drive")}
    if b.get("read") == "none":
        return {"ok": False, "why": "no drive"}
    if "read_error" in b:
        return {"ok": False, "why": f"error {b['read_error']}"}
    return {"ok": False, "why": "timeout" if r.timed_out else f"status {r.status}"}


def crowd_once(fw, disk):
    """NIC ROMs run next to a VGA ROM with CROWD_NICS NICs."""
    r = qemu(FIRMWARES[fw], VGA + ide_disk(disk) + test_netboot.nic_args(CROWD_NICS),
             BOOT_TIMEOUT)
    slots = {test_netboot.FIRST_NIC_SLOT + i for i in range(CROWD_NICS)}
    if fw == "kelp":
        ran = {int(s, 16) for s in re.findall(r"rom: running ROM of 00:([0-9a-f]{2})\.0 ", r.debug)}
    else:
        ran = {int(s, 16) for s in SEABIOS_NIC_BOOTORDER.findall(r.debug)}
    if "tsc7c00" not in r.bench():
        return {"ok": False, "why": "no boot"}
    return {"ok": True, "count": len(ran & slots)}


def pmm_once(fw, disk):
    """The largest conventional block PMM offers, as tests/roms/pci3.S asks
    for it (function 0, length 0, flags 1).  The PMM specification answers
    in paragraphs; SeaBIOS answers in bytes."""
    name = "pci3" if fw == "kelp" else "pci3-direct"
    rom = os.path.join(harness.OUT, "roms", name + ".rom")
    r = qemu(FIRMWARES[fw], ["-device", f"e1000,romfile={rom},addr=5"] + ide_disk(disk),
             BOOT_TIMEOUT)
    m = re.search(rf"TESTROM {name} pmm\.query=ok val=([0-9a-f]+)", r.debug)
    if not m:
        return {"ok": False, "why": "no answer"}
    val = int(m.group(1), 16)
    return {"ok": True, "kib": (val * 16 if fw == "kelp" else val) / 1024}


def rom_space(fw, log):
    """Free option ROM space (KiB) after the ROMs ran, from the firmware log,
    and the top of the ROM window (where the firmware's own area starts)."""
    if fw == "kelp":
        m = re.search(r"rom: option ROM space used [0-9a-f]+-([0-9a-f]+), (\d+) KiB free", log)
        low = re.search(r"permanent low memory from ([0-9a-f]+)", log)
        if not m or not low:
            return None
        return {"free_kib": int(m.group(2)), "top": int(low.group(1), 16)}
    m = re.search(r"Space available for UMB: (.*)", log)
    if not m:
        return None
    ranges = [tuple(int(x, 16) for x in r.split("-"))
              for r in re.findall(r"[0-9a-f]+-[0-9a-f]+", m.group(1))]
    window = [r for r in ranges if r[1] <= 0xF0000]
    if not window:
        return None
    return {"free_kib": sum(e - s for s, e in window) / 1024, "top": max(e for _, e in window),
            "umb_above": sum(e - s for s, e in ranges if s >= max(e for _, e in window))}


def resident_kib(fw, log):
    """Bytes of C0000-FFFFF above the option ROM space that the firmware
    keeps after boot (code, data, tables, ROM stacks), less what it leaves
    free there."""
    space = rom_space(fw, log)
    if not space:
        return None
    if fw == "kelp":
        m = re.search(r"(\d+) bytes free in the F-segment", log)
        if not m:
            return None
        free = int(m.group(1))
    else:
        free = space["umb_above"]
    return (0x100000 - space["top"] - free) / 1024


def kelp_runtime_bytes():
    p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "layout.py"), "--report",
                        "--rt16-elf", os.path.join(harness.OUT, "rt16.elf"),
                        "--post32-elf", os.path.join(harness.OUT, "post32.elf")],
                       capture_output=True, text=True)
    code = re.search(r"runtime code\+constants:\s+(\d+) bytes", p.stdout)
    fixed = re.search(r"fixed area:\s+(\d+) bytes", p.stdout)
    if not code or not fixed:
        return None
    return int(code.group(1)), int(fixed.group(1))


def phases(log):
    """(name, start in ms since POST entry) of each "[kcycles] name" line."""
    return [(m.group(2), int(m.group(1)) * 1024 / 1e6)
            for m in re.finditer(r"^\[\s*(\d+)\] (.+)$", log, re.M)]


# ---------------------------------------------------------------- the run

class Bench:
    def __init__(self, a):
        self.a = a
        self.out = os.path.abspath(a.out)
        self.results = {}

    @staticmethod
    def best(runs, key="ms"):
        """The fastest (or least) of the runs that worked; else the first."""
        ok = [r for r in runs if r["ok"]]
        return min(ok, key=lambda r: r[key]) if ok else runs[0]

    def schedule(self, jobs, then):
        """Runs jobs ({key: (function, args)}, in their order), -j at a
        time; then(key, results) may return more jobs once one is done."""
        def timed(f, args):
            start = time.monotonic()
            res = f(*args)
            res["wall_s"] = round(time.monotonic() - start, 1)
            return res
        results = {}
        with concurrent.futures.ThreadPoolExecutor(self.a.jobs) as ex:
            pending = {ex.submit(timed, f, args): k for k, (f, args) in jobs.items()}
            while pending:
                done, _ = concurrent.futures.wait(pending,
                                                  return_when=concurrent.futures.FIRST_COMPLETED)
                for fut in done:
                    k = pending.pop(fut)
                    results[k] = fut.result()
                    for k2, (f, args) in then(k, results).items():
                        pending[ex.submit(timed, f, args)] = k2
        return results

    def main(self):
        a = self.a
        os.makedirs(self.out, exist_ok=True)
        for fw, path in FIRMWARES.items():
            if not os.path.exists(path):
                sys.exit(f"bench: {path} is missing ({'run make' if fw == 'kelp' else 'run make deps'})")
        build_payloads(os.path.relpath(harness.OUT, ROOT), roms=not a.smoke)
        pdir = os.path.join(harness.OUT, "test", "bench")
        with open(os.path.join(pdir, "bench.bin"), "rb") as f:
            code = f.read()
        d = lambda n: os.path.join(self.out, n)      # noqa: E731
        report = bench_disk(d("boot-report.img"), code, MODE_REPORT)
        exit_ = bench_disk(d("boot-exit.img"), code, MODE_EXIT)
        reader = bench_disk(d("boot-read.img"), code, MODE_READ, a.mib, TARGET_SECTORS)
        target = sparse_disk(d("target.img"), TARGET_SECTORS)
        linux = None if a.smoke else linux_disk(d("linux-bench.img"), os.path.join(pdir, "bench_init"))

        machines = ["IDE"] if a.smoke else list(MACHINES)
        controllers = ["IDE"] if a.smoke else list(CONTROLLERS)
        fws = list(FIRMWARES)
        n = range(a.repeat)
        t0 = time.monotonic()

        # The longest runs first: Linux, the reads, the crowded machine.
        # A Linux run stops early too when the firmware finds nothing to boot.
        jobs = {}
        if linux:
            for m in machines:
                for fw in fws:
                    jobs[("linux", m, fw)] = (linux_once, (fw, m, linux))
        for c in controllers:
            for fw in fws:
                jobs[("read", c, fw)] = (read_once, (fw, c, reader, target, a.mib))
        if not a.smoke:
            for fw in fws:
                jobs[("crowd", fw)] = (crowd_once, (fw, report))
                jobs[("pmm", fw)] = (pmm_once, (fw, report))
                for i in n:
                    jobs[("menu", fw, i)] = (boot_once, (fw, "IDE", report, ["-boot", "menu=off"]))
        for m in machines:
            for fw in fws:
                for i in n:
                    jobs[("boot", m, fw, i)] = (boot_once, (fw, m, report))

        def then(key, res):
            # The traced runs have no debug console to say "No bootable
            # device": only where the firmware booted.
            if key[0] != "boot":
                return {}
            _, m, fw, _ = key
            runs = [res.get(("boot", m, fw, i)) for i in n]
            if None in runs or not any(r["ok"] for r in runs):
                return {}
            return {("exits", m, fw, i): (exits_once, (fw, m, exit_)) for i in n}

        s = self.schedule(jobs, then)
        wall = time.monotonic() - t0
        boot = {(m, fw): self.best([s[("boot", m, fw, i)] for i in n])
                for m in machines for fw in fws}
        allboot = {(m, fw): [s[("boot", m, fw, i)].get("ms") for i in n]
                   for m in machines for fw in fws}
        na = {"ok": False, "why": "not run"}
        exits = {(m, fw): self.best([s.get(("exits", m, fw, i), na) for i in n], "total")
                 for m in machines for fw in fws}

        r = self.results
        r["date"] = datetime.date.today().isoformat()
        r["qemu"] = subprocess.run([harness.QEMU, "--version"], capture_output=True,
                                   text=True).stdout.splitlines()[0]
        r["smoke"] = a.smoke
        r["repeat"] = a.repeat
        r["mib"] = a.mib
        r["wall_s"] = round(wall, 1)
        r["boot"] = {m: {fw: {k: v for k, v in boot[(m, fw)].items() if k != "debug"}
                         | {"all_ms": allboot[(m, fw)]} for fw in fws} for m in machines}
        r["linux"] = {m: {fw: s.get(("linux", m, fw), na) for fw in fws} for m in machines}
        r["exits"] = {m: {fw: exits[(m, fw)] | {"all": [s.get(("exits", m, fw, i), na).get("total")
                                                        for i in n]}
                          for fw in fws} for m in machines}
        r["read"] = {c: {fw: s[("read", c, fw)] for fw in fws} for c in controllers}
        if not a.smoke:
            r["menu_off"] = {fw: {"ms": self.best([s[("menu", fw, i)] for i in n]).get("ms"),
                                  "all_ms": [s[("menu", fw, i)].get("ms") for i in n]}
                             for fw in fws}
            r["crowd"] = {fw: s[("crowd", fw)] for fw in fws}
            r["pmm"] = {fw: s[("pmm", fw)] for fw in fws}
        r["runs"] = len(s)
        r["qemu_wall_s"] = round(sum(v["wall_s"] for v in s.values()), 1)
        self.footprint(boot, machines)
        self.timeline_data = {m: (phases(boot[(m, "kelp")].get("debug", "")),
                                  boot[(m, "kelp")].get("ms"), boot[(m, "seabios")].get("ms"))
                              for m in machines if boot[(m, "kelp")]["ok"]}
        r["timeline"] = {m: {"phases": p, "kelp_ms": k, "seabios_ms": s}
                         for m, (p, k, s) in self.timeline_data.items()}
        with open(os.path.join(self.out, "results.json"), "w") as f:
            json.dump(r, f, indent=1, sort_keys=True)
        self.print_table()
        self.draw_timeline()

    def footprint(self, boot, machines):
        r = self.results
        fp = {}
        fp["image_kib"] = {fw: os.path.getsize(p) / 1024 for fw, p in FIRMWARES.items()}
        rt = kelp_runtime_bytes()
        fp["runtime_code_kib"] = {"kelp": (rt[0] + rt[1]) / 1024 if rt else None, "seabios": None}
        base = boot[("IDE", "kelp")], boot[("IDE", "seabios")]
        fp["ebda_kib"] = {fw: b.get("ebda_kib") for fw, b in zip(FIRMWARES, base)}
        m = FOOTPRINT_MACHINE if FOOTPRINT_MACHINE in machines else "IDE"
        fp["machine"] = m
        fp["int12_kib"] = {fw: boot[(m, fw)].get("int12") for fw in FIRMWARES}
        fp["rom_free_kib"] = {}
        fp["resident_kib"] = {}
        for fw in FIRMWARES:
            log = boot[(m, fw)].get("debug", "")
            space = rom_space(fw, log)
            fp["rom_free_kib"][fw] = space["free_kib"] if space else None
            fp["resident_kib"][fw] = resident_kib(fw, log)
        if "crowd" in r:
            fp["nic_roms"] = {fw: r["crowd"][fw].get("count") for fw in FIRMWARES}
        if "pmm" in r:
            fp["pmm_conv_kib"] = {fw: r["pmm"][fw].get("kib") for fw in FIRMWARES}
        r["footprint"] = fp

    # ------------------------------------------------------------ output

    def rows(self):
        """(figure, kelp, seabios, unit format, lower is better) for the table."""
        r = self.results
        out = []
        for m, v in r["boot"].items():
            out.append((f"reset to 7C00, {m} (ms)", v["kelp"].get("ms"), v["seabios"].get("ms"), "{:.3f}"))
        if "menu_off" in r:
            out.append(("reset to 7C00, IDE, -boot menu=off (ms)", r["menu_off"]["kelp"]["ms"],
                        r["menu_off"]["seabios"]["ms"], "{:.3f}"))
        for m, v in r["linux"].items():
            if v["kelp"].get("why") == "not run" and v["seabios"].get("why") == "not run":
                continue
            out.append((f"reset to Linux init, {m} (ms)", v["kelp"].get("ms"),
                        v["seabios"].get("ms"), "{:.1f}"))
        for m, v in r["exits"].items():
            out.append((f"port+MMIO accesses to 7C00, {m}", v["kelp"].get("total"),
                        v["seabios"].get("total"), "{:d}"))
            out.append((f"  of which MMIO, {m}", v["kelp"].get("mmio"), v["seabios"].get("mmio"), "{:d}"))
        for c, v in r["read"].items():
            out.append((f"INT 13h 42h read, {c} (ms/MiB)", v["kelp"].get("ms_per_mib"),
                        v["seabios"].get("ms_per_mib"), "{:.3f}"))
        fp = r["footprint"]
        out.append(("image size (KiB)", fp["image_kib"]["kelp"], fp["image_kib"]["seabios"], "{:.0f}"))
        out.append(("runtime code + fixed area, F-segment (KiB)", fp["runtime_code_kib"]["kelp"],
                    None, "{:.1f}"))
        out.append((f"resident above the ROM space, {fp['machine']} (KiB)", fp["resident_kib"]["kelp"],
                    fp["resident_kib"]["seabios"], "{:.1f}"))
        out.append(("EBDA (KiB)", fp["ebda_kib"]["kelp"], fp["ebda_kib"]["seabios"], "{:d}"))
        out.append((f"conventional memory, INT 12h, {fp['machine']} (KiB)", fp["int12_kib"]["kelp"],
                    fp["int12_kib"]["seabios"], "{:d}"))
        out.append((f"option ROM space free, {fp['machine']} (KiB)", fp["rom_free_kib"]["kelp"],
                    fp["rom_free_kib"]["seabios"], "{:.1f}"))
        if "nic_roms" in fp:
            out.append((f"NIC ROMs run, VGA + {CROWD_NICS} NICs", fp["nic_roms"]["kelp"],
                        fp["nic_roms"]["seabios"], "{:d}"))
        if "pmm_conv_kib" in fp:
            out.append(("PMM largest conventional block (KiB)", fp["pmm_conv_kib"]["kelp"],
                        fp["pmm_conv_kib"]["seabios"], "{:.1f}"))
        return out

    def cell(self, v, fmt):
        if v is None:
            return "n/a"
        return fmt.format(v)

    def goals(self):
        """(goal, state, detail): state is met, MISSED or not measured."""
        r = self.results
        g = []

        def add(name, ok, detail):
            g.append((name, "not measured" if ok is None else ("met" if ok else "MISSED"), detail))

        for m, v in r["boot"].items():
            k, s = v["kelp"].get("ms"), v["seabios"].get("ms")
            add(f"reset to 7C00 <= SeaBIOS / 5, {m}", None if s is None else (k is not None and k <= s / 5),
                f"{self.cell(k, '{:.3f}')} ms vs {self.cell(s, '{:.3f}')} / 5 = "
                f"{self.cell(s and s / 5, '{:.3f}')} ms")
        for m, v in r["exits"].items():
            k, s = v["kelp"].get("total"), v["seabios"].get("total")
            add(f"port+MMIO accesses <= SeaBIOS / 2, {m}",
                None if s is None else (k is not None and k <= s / 2),
                f"{self.cell(k, '{:d}')} vs {self.cell(s, '{:d}')} / 2")
        if "menu_off" in r:
            # Kelp's polling waits make single boots differ by the host's
            # speed: "equal" means the two sets of boots overlap (1%).
            off = [t for t in r["menu_off"]["kelp"]["all_ms"] if t is not None]
            on = [t for t in r["boot"]["IDE"]["kelp"]["all_ms"] if t is not None]
            ok = None if not off or not on else \
                min(off) <= max(on) * 1.01 and min(on) <= max(off) * 1.01
            add("boot menu off costs nothing (Kelp, IDE)", ok,
                f"{self.cell(off and min(off), '{:.3f}')}-{self.cell(off and max(off), '{:.3f}')} ms "
                f"with -boot menu=off, {self.cell(on and min(on), '{:.3f}')}-"
                f"{self.cell(on and max(on), '{:.3f}')} ms without")
        for c, v in r["read"].items():
            k, s = v["kelp"].get("ms_per_mib"), v["seabios"].get("ms_per_mib")
            factor = 2 if c == "IDE" else 1
            add(f"INT 13h read at least {factor}x SeaBIOS's speed, {c}",
                None if s is None else (k is not None and k * factor <= s),
                f"{self.cell(k, '{:.3f}')} vs {self.cell(s, '{:.3f}')} ms/MiB"
                + ("" if k is not None else f" (Kelp: {v['kelp'].get('why')})"))
        fp = r["footprint"]
        k, s = fp["int12_kib"]["kelp"], fp["int12_kib"]["seabios"]
        add("conventional memory >= SeaBIOS and 639 KiB",
            None if k is None or s is None else k >= max(s, 639), f"{k} vs {s} KiB")
        k, s = fp["rom_free_kib"]["kelp"], fp["rom_free_kib"]["seabios"]
        add("option ROM space free >= SeaBIOS + 40 KiB", None if k is None or s is None else k >= s + 40,
            f"{self.cell(k, '{:.1f}')} vs {self.cell(s, '{:.1f}')} KiB")
        if "nic_roms" in fp:
            k, s = fp["nic_roms"]["kelp"], fp["nic_roms"]["seabios"]
            add(f"more NIC ROMs next to VGA than SeaBIOS ({CROWD_NICS} NICs)",
                None if k is None or s is None else k > max(s, 13), f"{k} vs {s}")
        k = fp["image_kib"]["kelp"]
        add("the whole feature set in a 128 KiB image", k <= 128, f"{k:.0f} KiB")
        k = fp["runtime_code_kib"]["kelp"]
        add("runtime code below 1 MiB under 48 KiB", None if k is None else k < 48,
            f"{self.cell(k, '{:.1f}')} KiB")
        return g

    def print_table(self):
        r = self.results
        print(f"# Kelp vs SeaBIOS, {r['date']}, {r['qemu']}")
        print(f"# -icount shift=0,sleep=off, -m {MEMORY}; boot times and accesses: best of "
              f"{r['repeat']}; reads: {r['mib']} MiB; {r['runs']} QEMU runs in {r['wall_s']} s")
        print()
        print("| figure | Kelp | SeaBIOS | Kelp/SeaBIOS |")
        print("|---|---:|---:|---:|")
        for name, k, s, fmt in self.rows():
            ratio = f"{k / s:.2f}" if k is not None and s else "-"
            print(f"| {name} | {self.cell(k, fmt)} | {self.cell(s, fmt)} | {ratio} |")
        print()
        print("| goal | state | values |")
        print("|---|---|---|")
        for name, state, detail in self.goals():
            print(f"| {name} | {state} | {detail} |")
        print()
        print("Port and MMIO accesses by QEMU region (the fewest-access run):")
        for m, v in r["exits"].items():
            for fw in FIRMWARES:
                regions = v[fw].get("regions")
                if regions:
                    top = sorted(regions.items(), key=lambda kv: -kv[1])[:6]
                    print(f"  {m}, {fw}: " + ", ".join(f"{k} {c}" for k, c in top))
        print()
        for m in r["boot"]:
            for fw in FIRMWARES:
                b = r["boot"][m][fw]
                if not b["ok"]:
                    print(f"n/a: {fw} did not boot from {m} ({b['why']})")
        for c in r["read"]:
            for fw in FIRMWARES:
                b = r["read"][c][fw]
                if not b["ok"]:
                    print(f"n/a: {fw} did not read from {c} ({b['why']})")
        sys.stdout.flush()

    def draw_timeline(self):
        path = os.path.join(self.out, "timeline.png")
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            print("bench: no timeline, python3-matplotlib is missing (make deps)", file=sys.stderr)
            return
        data = self.timeline_data
        if not data:
            return
        names = []
        for ph, _, _ in data.values():
            for n, _ in ph:
                if n not in names:
                    names.append(n)
        colours = plt.get_cmap("tab10")
        fig, ax = plt.subplots(figsize=(10, 1.0 + 0.6 * len(data)))
        labels = []
        names.insert(0, "platform")
        for y, (m, (ph, total, sea)) in enumerate(data.items()):
            # POST logs from its entry (platform detection comes before the
            # first mark); the last phase runs on to 7C00 and so also holds
            # the few microseconds from reset to POST entry.
            ph = [("platform", 0.0)] + ph
            for i, (n, start) in enumerate(ph):
                end = ph[i + 1][1] if i + 1 < len(ph) else total
                ax.broken_barh([(start, end - start)], (y - 0.35, 0.7),
                               color=colours(names.index(n) % 10),
                               label=(n if i + 1 < len(ph) else f"{n} (to 7C00)") if y == 0 else None)
            if sea is not None:
                ax.plot([sea, sea], [y - 0.45, y + 0.45], color="black", linewidth=2,
                        label="SeaBIOS at 7C00" if y == 0 else None)
            labels.append(m)
        ax.set_yticks(range(len(labels)))
        ax.set_yticklabels(labels)
        ax.invert_yaxis()
        ax.set_xlabel("guest time since POST entry (ms, -icount shift=0)")
        ax.set_title(f"Kelp POST phases to the boot sector ({self.results['date']})")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.6 / len(data) - 0.1),
                  fontsize="small", ncol=5)
        fig.savefig(path, dpi=100, bbox_inches="tight")
        plt.close(fig)
        print(f"timeline: {os.path.relpath(path, os.getcwd())}")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true",
                    help="one machine (IDE), both firmwares, a few MiB, no Linux")
    ap.add_argument("--out", default=os.path.join(harness.OUT, "bench"),
                    help="results, disks and timeline.png (default out/bench)")
    ap.add_argument("--repeat", type=int, default=None,
                    help="boots per machine and firmware, the fastest counts (default 3, smoke 1)")
    ap.add_argument("--mib", type=int, default=None, help="MiB read per controller (default 64, smoke 4)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="QEMU runs at a time (default 2)")
    a = ap.parse_args(argv)
    if a.repeat is None:
        a.repeat = 1 if a.smoke else 3
    if a.mib is None:
        a.mib = 4 if a.smoke else 64
    if not 1 <= a.mib <= 64:
        ap.error("--mib must be 1..64")
    if a.repeat < 1 or a.jobs < 1:
        ap.error("--repeat and --jobs must be at least 1")
    Bench(a).main()


if __name__ == "__main__":
    main(sys.argv[1:])
