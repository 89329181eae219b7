#!/usr/bin/python3
"""Build linux-ide.img: a raw hard disk that boots Debian's kernel via syslinux.

Layout of the disk (32 MiB by default):

  sector 0         syslinux's MBR boot code, a fixed disk signature and a
                   partition table with one active FAT16 partition
  sector 2048..    the FAT16 file system: ldlinux.sys (syslinux), syslinux.cfg,
                   vmlinuz and initrd.gz

syslinux.cfg boots the label "linux"; "demo" (the --demo image) and "s3" (the
init suspends to RAM once, for firmware without -kernel: a test boots a copy
whose DEFAULT it changes) add a word to the kernel command line.

The initramfs holds a static busybox and an /init script that reports, on the
serial console, what the kernel learned from the firmware: the e820 memory map,
the EDD (int 13h extensions) data of each BIOS disk and whether DMI tables were
found. Every report line starts with "KELP-INIT ". The guest then ends the run
by writing to QEMU's isa-debug-exit port, falling back to an ACPI power off or
a kernel panic (boot with -no-reboot so either ends QEMU).

Nothing here needs root: the kernel comes from `apt-get download`, the cpio
archive is written by this script, the file system is made by mkfs.fat in a
separate file, filled with mtools, made bootable by `syslinux --install` and
then copied into the disk image.

The kernel package is cached in $KELP_CACHE (default ~/.cache/kelp), so only
the first run needs the Debian mirror. A stamp file next to the image records
the inputs; when nothing changed the script returns at once.
"""
import argparse
import fcntl
import glob
import gzip
import hashlib
import io
import json
import lzma
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

IMAGE_NAME = "linux-ide.img"
# The NIC driver the init loads to see a PCI interrupt arrive (QEMU e1000).
NIC_MODULE = "drivers/net/ethernet/intel/e1000/e1000.ko"

BUSYBOX = "/bin/busybox"
SYSLINUX_MBR = "/usr/lib/syslinux/mbr/mbr.bin"

# Partition geometry. 16 heads and 63 sectors per track is what QEMU picks for
# a small IDE disk, so the CHS fields below agree with what the BIOS reports.
HEADS = 16
SPT = 63
PART_START = 2048                 # 1 MiB
DISK_SIGNATURE = 0x504C454B       # "KELP" in the MBR, read back through EDD
VOLUME_ID = "4b454c50"
PREFIX = "KELP-INIT"
# Writing this value to the isa-debug-exit port makes QEMU exit with status
# (0x10 << 1) | 1 = 33, which the test harness treats as success.
EXIT_PORT = 0xF4
EXIT_VALUE = 0x10

# no_timer_check: the kernel's check of the timer IRQ through the I/O APIC
# times out spuriously on a loaded TCG host and then reports a firmware bug.
CMDLINE = ("console=ttyS0,115200 panic=-1 quiet loglevel=3 "
           "nokaslr mitigations=off tsc=unstable 8250.nr_uarts=1 no_timer_check")

SYSLINUX_CFG = f"""\
SERIAL 0 115200
DEFAULT @DEFAULT@
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL /vmlinuz
  INITRD /initrd.gz
  APPEND {CMDLINE}
LABEL demo
  KERNEL /vmlinuz
  INITRD /initrd.gz
  APPEND {CMDLINE} kelp.demo
LABEL s3
  KERNEL /vmlinuz
  INITRD /initrd.gz
  APPEND {CMDLINE} kelp.s3
"""

INIT_SCRIPT = r"""#!/bin/busybox sh
# Report what the kernel learned from the BIOS, then stop the machine.
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# Keep kernel messages from splitting our lines.
echo 1 > /proc/sys/kernel/printk

P="@PREFIX@"
say() { echo "$P $*"; }

say start kernel=$(uname -r)
say cmdline $(cat /proc/cmdline)

dmesg | grep -E 'BIOS-(e820|e801|88):' | sed -e 's/^\[[^]]*\] *//' |
    while read -r line; do say "e820: $line"; done

if [ -f /lib/modules/edd.ko ]; then
    insmod /lib/modules/edd.ko 2>&1 | while read -r l; do say "insmod: $l"; done
fi
found=0
for d in /sys/firmware/edd/int13_dev*; do
    [ -d "$d" ] || continue
    found=1
    dev=${d##*/}
    for f in "$d"/*; do
        [ -f "$f" ] || continue
        name=${f##*/}
        if [ "$name" = raw_data ]; then
            v=$(od -An -tx1 -v "$f" | tr -d ' \n')
        else
            # Multi-line values are joined with ';', runs of blanks squeezed.
            v=$(sed -E 's/[[:space:]]+/ /g; s/^ //; s/ $//' "$f" | tr '\n' ';' |
                sed -e 's/;$//')
        fi
        say "edd $dev $name=$v"
    done
done
[ $found = 1 ] || say "edd none"

if [ -e /sys/firmware/dmi/tables/DMI ] || [ -d /sys/class/dmi/id ]; then
    say dmi=present
    for f in sys_vendor product_name product_serial product_version bios_vendor bios_version bios_date; do
        [ -r /sys/class/dmi/id/$f ] && say "dmi $f=$(cat /sys/class/dmi/id/$f)"
    done
else
    say dmi=absent
fi
if [ -d /sys/firmware/acpi/tables ]; then say acpi=present; else say acpi=absent; fi
for t in /sys/firmware/acpi/tables/*; do
    [ -f "$t" ] && say "acpi table ${t##*/}"
done

say cpus=$(grep -c ^processor /proc/cpuinfo)
say "cpus online=$(cat /sys/devices/system/cpu/online)"
[ -r /sys/class/dmi/id/product_uuid ] && say "dmi product_uuid=$(cat /sys/class/dmi/id/product_uuid)"
[ -r /sys/class/dmi/id/bios_release ] && say "dmi bios_release=$(cat /sys/class/dmi/id/bios_release)"
# The kernel's own view of the firmware tables.
dmesg | grep -E "found SMP MP-table at|SMBIOS [0-9.]+ present|DMI: |ACPI: RSDP 0x|ACPI: (RSDT|XSDT) 0x" |
    sed -e 's/^\[[^]]*\] *//' | while read -r l; do say "fw: $l"; done
say memtotal_kb=$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)
# Kernel complaints about what the firmware set up.
dmesg | grep -iE "firmware bug|BIOS BUG|can't claim|no compatible bridge window|ACPI (BIOS )?(Error|Warning)|failed to assign|not enough|bogus" |
    sed -e 's/^\[[^]]*\] *//' | while read -r l; do say "warn: $l"; done
for d in /sys/bus/pci/devices/*; do
    [ -d "$d" ] || continue
    res=$(awk '$1 != "0x0000000000000000" {printf "%s-%s ", $1, $2}' "$d/resource" | sed 's/ $//')
    say "pci ${d##*/} $(cat $d/vendor):$(cat $d/device) class=$(cat $d/class) irq=$(cat $d/irq) res=$res"
done
if [ -f /lib/modules/e1000.ko ] && grep -q 0x8086 /sys/bus/pci/devices/*/vendor 2>/dev/null; then
    insmod /lib/modules/e1000.ko 2>/dev/null
    if ip link set eth0 up 2>/dev/null; then
        n=0
        for i in $(seq 1 50); do
            n=$(awk '/eth0/ {s=0; for (i=2; i<=NF; i++) if ($i ~ /^[0-9]+$/) s+=$i; print s}' /proc/interrupts)
            [ -n "$n" ] && [ "$n" -gt 0 ] && break
            usleep 100000
        done
        say "nic eth0 irq=$(cat /sys/class/net/eth0/device/irq 2>/dev/null) interrupts=${n:-0}"
    fi
fi

if grep -qw kelp.demo /proc/cmdline; then
    echo
    echo "This Linux was booted by Kelp from an IDE disk through syslinux."
    echo "You are in a busybox shell; 'exit' powers the machine off."
    setsid cttyhack sh
fi

# kelp.s3: suspend to RAM once; the test wakes the machine over QMP.
if grep -qw kelp.s3 /proc/cmdline; then
    say "s3 states=$(cat /sys/power/state) mem_sleep=$(cat /sys/power/mem_sleep 2>/dev/null)"
    echo deep > /sys/power/mem_sleep 2>/dev/null
    say "s3 suspend"
    if echo mem > /sys/power/state; then say "s3 resumed"; else say "s3 failed"; fi
fi

say done
sync
# 1. QEMU's isa-debug-exit device: ends QEMU at once with a known status.
printf '\@EXIT_VALUE@' | dd of=/dev/port bs=1 seek=@EXIT_PORT@ count=1 2>/dev/null
sleep 1
# 2. ACPI power off. Without ACPI the kernel would only halt, so skip it then.
if [ -d /sys/firmware/acpi/tables ]; then
    poweroff -f
    sleep 2
fi
# 3. Let init exit: the kernel panics and, with panic=-1, reboots at once,
#    which QEMU turns into an exit under -no-reboot.
say "poweroff did not work, panicking"
exit 1
"""


def log(msg):
    print(f"mklinux: {msg}", flush=True)


def die(msg):
    print(f"mklinux: error: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def run(cmd, **kw):
    kw.setdefault("check", True)
    try:
        return subprocess.run(cmd, **kw)
    except FileNotFoundError:
        die(f"{cmd[0]} not found (run scripts/deps.sh)")
    except subprocess.CalledProcessError as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        die(f"{' '.join(cmd)} failed ({e.returncode}):\n{out}{err}")


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------
# Kernel package

def kernel_package_name():
    """Name of the package linux-image-amd64 currently depends on, or None."""
    def ask():
        try:
            p = subprocess.run(["apt-cache", "depends", "linux-image-amd64"],
                               capture_output=True, text=True)
        except FileNotFoundError:
            return None
        m = re.search(r"Depends:\s*(linux-image-[0-9][^\s]*-amd64)\b", p.stdout)
        return m.group(1) if m else None

    name = ask()
    if name is None and shutil.which("apt-get"):
        log("apt-cache knows no linux-image-amd64; running apt-get update")
        subprocess.run(["apt-get", "update", "-qq"], stdin=subprocess.DEVNULL)
        name = ask()
    return name


def fetch_kernel_deb(cache):
    os.makedirs(cache, exist_ok=True)
    pkg = kernel_package_name()
    if pkg is None:
        debs = sorted(glob.glob(os.path.join(cache, "linux-image-*-amd64_*.deb")))
        if not debs:
            die("cannot find the kernel package name and nothing is cached")
        log(f"apt-cache unavailable; using cached {os.path.basename(debs[-1])}")
        return debs[-1]
    debs = sorted(glob.glob(os.path.join(cache, f"{pkg}_*_amd64.deb")))
    if debs:
        return debs[-1]
    log(f"downloading {pkg} into {cache}")
    with tempfile.TemporaryDirectory(dir=cache, prefix="dl-") as tmp:
        # apt downloads as its own user when it can; let it write here.
        os.chmod(tmp, 0o777)
        run(["apt-get", "download", "-q", pkg], cwd=tmp, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        got = glob.glob(os.path.join(tmp, f"{pkg}_*.deb"))
        if len(got) != 1:
            die(f"apt-get download {pkg} produced {got}")
        dest = os.path.join(cache, os.path.basename(got[0]))
        os.replace(got[0], dest)
    return dest


def unpack_kernel(deb, cache):
    """Extract only the pieces needed (kernel, config, edd module) of the .deb.

    Returns (vmlinuz, config, edd_ko or None, version)."""
    base = os.path.basename(deb)[:-len(".deb")]
    dest = os.path.join(cache, base)
    done = os.path.join(dest, ".unpacked-2")
    if not os.path.exists(done):
        log(f"unpacking {os.path.basename(deb)}")
        shutil.rmtree(dest, ignore_errors=True)
        os.makedirs(dest)
        # Same result as `dpkg -x` for these paths, without writing the
        # few hundred megabytes of other modules to disk.
        fsys = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
        tar = subprocess.run(["tar", "-x", "-C", dest, "--wildcards", "--no-same-owner",
                              "./boot/vmlinuz-*", "./boot/config-*",
                              "./lib/modules/*/kernel/drivers/firmware/edd.ko*",
                              "./lib/modules/*/kernel/" + NIC_MODULE + "*"],
                             stdin=fsys.stdout, capture_output=True)
        fsys.stdout.close()
        if fsys.wait() != 0 or tar.returncode != 0:
            die(f"could not unpack {deb}: {tar.stderr.decode(errors='replace')}")
        open(done, "w").close()
    vmlinuz = glob.glob(os.path.join(dest, "boot", "vmlinuz-*"))
    config = glob.glob(os.path.join(dest, "boot", "config-*"))
    if len(vmlinuz) != 1 or len(config) != 1:
        die(f"unexpected contents in {dest}: {vmlinuz} {config}")
    version = os.path.basename(vmlinuz[0])[len("vmlinuz-"):]
    edd = None
    with open(config[0]) as f:
        cfg = f.read()
    if re.search(r"^CONFIG_EDD=m$", cfg, re.M):
        mods = glob.glob(os.path.join(dest, "lib", "modules", version, "kernel",
                                      "drivers", "firmware", "edd.ko*"))
        if not mods:
            die("CONFIG_EDD=m but edd.ko is not in the package")
        edd = mods[0]
    elif not re.search(r"^CONFIG_EDD=y$", cfg, re.M):
        log("warning: this kernel has no EDD support; the EDD report will be empty")
    nic = glob.glob(os.path.join(dest, "lib", "modules", version, "kernel", NIC_MODULE + "*"))
    return vmlinuz[0], config[0], edd, nic[0] if nic else None, version


def module_bytes(path):
    """The module as busybox insmod can load it (plain ELF)."""
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".xz"):
        data = lzma.decompress(data)
    elif path.endswith(".gz"):
        data = gzip.decompress(data)
    elif path.endswith(".zst"):
        die("zstd-compressed modules are not handled")
    if not data.startswith(b"\x7fELF"):
        die(f"{path} is not an ELF module")
    return data


# --------------------------------------------------------------------------
# initramfs (newc cpio, written directly so that device nodes need no root)

class Cpio:
    def __init__(self):
        self.buf = io.BytesIO()
        self.ino = 1

    def _entry(self, name, mode, data=b"", rdev=(0, 0), nlink=1):
        name_b = name.encode() + b"\0"
        hdr = "070701" + "".join(f"{v:08x}" for v in (
            self.ino, mode, 0, 0, nlink, 0, len(data), 0, 0,
            rdev[0], rdev[1], len(name_b), 0))
        self.ino += 1
        self.buf.write(hdr.encode() + name_b)
        self.buf.write(b"\0" * (-(110 + len(name_b)) % 4))
        self.buf.write(data)
        self.buf.write(b"\0" * (-len(data) % 4))

    def dir(self, name):
        self._entry(name, stat.S_IFDIR | 0o755, nlink=2)

    def file(self, name, data, perm=0o644):
        self._entry(name, stat.S_IFREG | perm, data)

    def symlink(self, name, target):
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name, major, minor, perm=0o600):
        self._entry(name, stat.S_IFCHR | perm, rdev=(major, minor))

    def finish(self):
        self.ino = 0
        self._entry("TRAILER!!!", 0, nlink=1)
        data = self.buf.getvalue()
        return data + b"\0" * (-len(data) % 512)


def build_initrd(edd_ko, nic_ko):
    with open(BUSYBOX, "rb") as f:
        busybox = f.read()
    if b"ld-linux" in busybox[:4096]:
        die(f"{BUSYBOX} is dynamically linked; install busybox-static")
    init = (INIT_SCRIPT.replace("@PREFIX@", PREFIX)
            .replace("@EXIT_VALUE@", f"{EXIT_VALUE:03o}")
            .replace("@EXIT_PORT@", str(EXIT_PORT)))
    c = Cpio()
    for d in ("bin", "dev", "proc", "sys", "tmp", "lib", "lib/modules"):
        c.dir(d)
    # The kernel opens /dev/console for init before anything is mounted.
    c.chardev("dev/console", 5, 1)
    c.chardev("dev/null", 1, 3, 0o666)
    c.file("bin/busybox", busybox, 0o755)
    c.symlink("bin/sh", "busybox")
    c.file("init", init.encode(), 0o755)
    if edd_ko:
        c.file("lib/modules/edd.ko", module_bytes(edd_ko))
    if nic_ko:
        c.file("lib/modules/e1000.ko", module_bytes(nic_ko))
    return gzip.compress(c.finish(), compresslevel=9, mtime=0)


# --------------------------------------------------------------------------
# Disk

def chs(lba):
    """CHS triple for a partition entry (saturated beyond 1024 cylinders)."""
    c, rem = divmod(lba, HEADS * SPT)
    h, s = divmod(rem, SPT)
    if c > 1023:
        return bytes((0xFE, 0xFF, 0xFF))
    return bytes((h, ((c >> 2) & 0xC0) | (s + 1), c & 0xFF))


def mbr_sector(total_sectors):
    with open(SYSLINUX_MBR, "rb") as f:
        code = f.read()
    if len(code) > 440:
        die(f"{SYSLINUX_MBR} is larger than 440 bytes")
    count = total_sectors - PART_START
    last = total_sectors - 1
    entry = (bytes((0x80,)) + chs(PART_START) + bytes((0x06,)) + chs(last)
             + struct.pack("<II", PART_START, count))
    sec = bytearray(512)
    sec[:len(code)] = code
    struct.pack_into("<I", sec, 440, DISK_SIGNATURE)
    sec[446:462] = entry
    sec[510:512] = b"\x55\xaa"
    return bytes(sec)


def build_fs(path, sectors, vmlinuz, initrd, workdir, default_label):
    if os.path.exists(path):
        os.unlink(path)
    run(["mkfs.fat", "-C", "-F", "16", "-h", str(PART_START), "-g", f"{HEADS}/{SPT}",
         "-n", "KELPLINUX", "-i", VOLUME_ID, "--invariant", path, str(sectors // 2)],
        capture_output=True)
    cfg = os.path.join(workdir, "syslinux.cfg")
    with open(cfg, "w") as f:
        f.write(SYSLINUX_CFG.replace("@DEFAULT@", default_label))
    rd = os.path.join(workdir, "initrd.gz")
    with open(rd, "wb") as f:
        f.write(initrd)
    kern = os.path.join(workdir, "vmlinuz")
    shutil.copyfile(vmlinuz, kern)
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    run(["mcopy", "-o", "-i", path, cfg, rd, kern, "::/"], env=env, capture_output=True)
    # syslinux writes its boot sector (keeping the BPB, hidden sectors
    # included) and ldlinux.sys/ldlinux.c32 through mtools.
    run(["syslinux", "--install", path], env=env, capture_output=True)


def build(out, cache, size_mib, force, demo=False):
    os.makedirs(out, exist_ok=True)
    name = "demo" if demo else IMAGE_NAME[:-4]
    image = os.path.join(out, name + ".img")
    stamp = os.path.join(out, name + ".json")

    deb = fetch_kernel_deb(cache)
    vmlinuz, config, edd_ko, nic_ko, version = unpack_kernel(deb, cache)
    total = size_mib * 2048
    inputs = {
        "script": sha256_file(os.path.abspath(__file__)),
        "deb": os.path.basename(deb),
        "busybox": sha256_file(BUSYBOX),
        "mbr": sha256_file(SYSLINUX_MBR),
        "syslinux": sha256_file(shutil.which("syslinux") or "/usr/bin/syslinux"),
        "size_mib": size_mib,
        "demo": demo,
    }
    if not force and os.path.exists(image) and os.path.exists(stamp):
        try:
            with open(stamp) as f:
                old = json.load(f)
        except (OSError, ValueError):
            old = {}
        if old.get("inputs") == inputs and os.path.getsize(image) == total * 512:
            log(f"{image} is up to date ({version})")
            return image

    initrd = build_initrd(edd_ko, nic_ko)
    with tempfile.TemporaryDirectory(dir=out, prefix=".mklinux-") as tmp:
        fs = os.path.join(tmp, "fs.img")
        build_fs(fs, total - PART_START, vmlinuz, initrd, tmp, "demo" if demo else "linux")
        disk = os.path.join(tmp, name + ".img")
        with open(disk, "wb") as d:
            d.write(mbr_sector(total))
            d.seek(PART_START * 512)
            with open(fs, "rb") as f:
                shutil.copyfileobj(f, d, 1 << 20)
            d.truncate(total * 512)
        if os.path.getsize(disk) != total * 512:
            die("disk image has the wrong size")
        os.replace(disk, image)

    info = {
        "inputs": inputs,
        "kernel": version,
        "size_bytes": total * 512,
        "sectors": total,
        "partition_start": PART_START,
        "mbr_signature": f"0x{DISK_SIGNATURE:08x}",
        "edd_module": bool(edd_ko),
        "prefix": PREFIX,
        "cmdline": CMDLINE,
    }
    with open(stamp + ".tmp", "w") as f:
        json.dump(info, f, indent=1)
    os.replace(stamp + ".tmp", stamp)
    log(f"built {image}: {size_mib} MiB, {total} sectors, kernel {version}, "
        f"initrd {len(initrd) // 1024} KiB, edd module {'yes' if edd_ko else 'no'}")
    return image


# ---- for the scripts that reuse the disk (mkiso.py, mkpxe.py) ----

def ensure_image(out, die):
    """linux-ide.img in out, built or refreshed by this script (run as a
    program, so its log stays its own); die(message) on failure."""
    p = subprocess.run([sys.executable, os.path.abspath(__file__), "--out", out],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    image = os.path.join(out, IMAGE_NAME)
    if p.returncode != 0 or not os.path.exists(image):
        die(f"mklinux.py failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return image


def extract(image, name, dest, die):
    """Copy file name out of the FAT partition of the disk image."""
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    p = subprocess.run(["mcopy", "-n", "-i", f"{image}@@{PART_START * 512}", "::" + name, dest],
                       env=env, capture_output=True, text=True)
    if p.returncode != 0:
        die(f"cannot take {name} out of {image}: {p.stderr}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "out", "test"),
                    help="output directory (default: out/test)")
    ap.add_argument("--cache", default=os.environ.get("KELP_CACHE")
                    or os.path.expanduser("~/.cache/kelp"),
                    help="download cache (default: $KELP_CACHE or ~/.cache/kelp)")
    ap.add_argument("--size-mib", type=int, default=32, help="disk size in MiB")
    ap.add_argument("--force", action="store_true", help="rebuild even if up to date")
    ap.add_argument("--demo", action="store_true",
                    help="build demo.img, whose init ends in an interactive shell")
    a = ap.parse_args()
    if a.size_mib < 16 or a.size_mib > 2000:
        die("--size-mib must be between 16 and 2000")
    out, cache = os.path.abspath(a.out), os.path.abspath(a.cache)
    os.makedirs(out, exist_ok=True)
    os.makedirs(cache, exist_ok=True)
    # Parallel test workers may all ask for the image; build it once.
    with open(os.path.join(cache, ".mklinux.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        build(out, cache, a.size_mib, a.force, a.demo)


if __name__ == "__main__":
    main()
