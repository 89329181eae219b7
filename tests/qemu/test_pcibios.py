"""PCI BIOS: INT 1Ah AH=B1h, the $PIR and _32_ tables, and the 32-bit
interface found through the BIOS32 directory, on Kelp and on SeaBIOS.

out/test/pciprobe.img (tests/payloads/pci.mk, body tests/payloads/probe_pci.c)
boots on a machine with a PCI-PCI bridge and a few devices, calls every
B1xxh function in real mode, reads the tables from the F-segment, then calls
the 32-bit interface from protected mode in three set-ups: flat (EIP = the
physical address), paged (the BIOS mapped at C0000000h too and called there,
as a 32-bit Linux kernel does) and seg (a code segment based at F0000h, the
BIOS32 specification's model). It prints "PROBE <key>=<value>" lines.

- test_pcibios_matches_seabios compares both firmwares key by key; accepted
  differences are listed, with reasons, in pcibios_allowlist.txt.
- The other tests check the specified behaviour on each firmware. Where
  SeaBIOS departs from it the key is in SEABIOS_DEVIATIONS and the check is
  skipped for SeaBIOS only.
- test_linux_routes_irqs_with_the_pir_table boots Debian's kernel (the disk
  of test_linux.py, command line changed to acpi=off noapic) so that it
  routes PCI interrupts with $PIR and the PIIX router, and checks that it
  found both and that the NIC behind the bridge gets interrupts.
"""
import fcntl
import fnmatch
import functools
import os
import re
import shutil
import subprocess
import sys

import pytest

import harness
import test_probe
from test_probe import finished_values, firmware_path

IMG = os.path.join(harness.OUT, "test", "pciprobe.img")
ALLOWLIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pcibios_allowlist.txt")
TIMEOUT = 60

SETUPS = ["flat", "paged", "seg"]

# The machine the probe expects (see probe_pci.c). The NICs have no option
# ROM and no network; the virtio disk is an empty null device.
MACHINE = [
    "-drive", f"file={IMG},format=raw,if=none,id=hd0,snapshot=on",
    "-device", "ide-hd,drive=hd0,bootindex=0",
    "-device", "VGA,addr=2",
    "-blockdev", "driver=null-co,node-name=vd0,size=1048576",
    "-device", "virtio-blk-pci,drive=vd0,addr=3",
    "-netdev", "user,id=n0,restrict=on",
    "-device", "e1000,netdev=n0,addr=4,romfile=",
    "-device", "pci-bridge,id=br1,chassis_nr=1,addr=5",
    "-netdev", "user,id=n1,restrict=on",
    "-device", "e1000,netdev=n1,bus=br1,addr=3,romfile=",
    "-device", "virtio-rng-pci,addr=6.0,multifunction=on",
    "-device", "virtio-rng-pci,addr=6.1",
]

# Where the devices end up (bus << 8 | device << 3 | function).
HOST, PIIX, IDE, ACPI = 0x0000, 0x0008, 0x0009, 0x000B
VGA, VIRTIO_BLK, NIC0, BRIDGE, RNG0, RNG1 = 0x0010, 0x0018, 0x0020, 0x0028, 0x0030, 0x0031
NIC1 = 0x0118                            # bus 1, device 3

# PIIX3 PIRQ link register -> ISA IRQ, as POST routes them on both firmwares.
LINK_IRQ = {0x60: 0x0A, 0x61: 0x0A, 0x62: 0x0B, 0x63: 0x0B}

# Specified behaviour SeaBIOS 1.16 does not follow (see pcibios_allowlist.txt
# for what each one is); Kelp is held to the specification.
SEABIOS_DEVIATIONS = [
    "pci.b102.ffff.*",
    "pci.b10?.bad???.*",
    "pci32.*.b109.bad.*",
    "pci.b103.top_byte_set.*",
    "pci32.*.b10e.same_as_pir",
    "pci32.paged.b10e.*",
    "pci32.seg.b101.cl",
    "pci32.seg.b102.*",
    "pci32.seg.b10e.*",
    "pci.pir.slot.0118",
]


# ---------------------------------------------------------------- helpers

def build_image():
    """make -f tests/payloads/pci.mk; it shares the boot sector with the main
    probe, so take the same lock as test_probe.py."""
    os.makedirs(os.path.join(harness.OUT, "test"), exist_ok=True)
    with open(os.path.join(harness.OUT, "test", ".probe-build.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        p = subprocess.run(["make", "--no-print-directory", "-f", "tests/payloads/pci.mk",
                            f"OUT={harness.OUT}", "pciprobe"],
                           cwd=harness.ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0 or not os.path.exists(IMG):
        pytest.fail("building the PCI probe image failed:\n" + p.stdout.decode(errors="replace"))


@functools.lru_cache(maxsize=None)
def _run(bios):
    build_image()
    return harness.run_qemu(bios, MACHINE, timeout=TIMEOUT)


def run_probe(name):
    """key -> value of the probe under one firmware; fails unless it ran to
    the end and exited through isa-debug-exit."""
    return finished_values(name, _run(firmware_path(name)))


def load_allowlist(path=ALLOWLIST):
    return test_probe.load_allowlist(path)


def deviates(fw, key):
    return fw == "seabios" and any(fnmatch.fnmatchcase(key, g) for g in SEABIOS_DEVIATIONS)


class Checker:
    """Collects every mismatch of one firmware, so a test reports them all."""

    def __init__(self, v, fw):
        self.v, self.fw, self.errors = v, fw, []

    def __call__(self, key, expect):
        if deviates(self.fw, key):
            return
        got = self.v.get(key)
        if got != expect:
            self.errors.append(f"{key}: got {got}, expected {expect}")

    def done(self):
        assert not self.errors, f"{self.fw}:\n  " + "\n  ".join(self.errors)


def pir_slots(v):
    """(bus, device) -> (list of 4 (link, bitmap), slot number) from the
    $PIR dump."""
    slots = {}
    for key, val in v.items():
        m = re.fullmatch(r"pci\.pir\.slot\.([0-9a-f]{2})([0-9a-f]{2})", key)
        if not m:
            continue
        b = bytes.fromhex(val)
        pins = [(b[3 * p], b[3 * p + 1] | b[3 * p + 2] << 8) for p in range(4)]
        slots[(int(m.group(1), 16), int(m.group(2), 16) >> 3)] = (pins, b[12])
    return slots


fw_params = pytest.mark.parametrize("fw", ["kelp", "seabios"])


# ---------------------------------------------------------------- tests

def test_pcibios_matches_seabios():
    kelp, sea = run_probe("kelp"), run_probe("seabios")
    allow = load_allowlist()
    bad = []
    for key in sorted(set(kelp) | set(sea)):
        if kelp.get(key) == sea.get(key):
            continue
        if any(fnmatch.fnmatchcase(key, glob) for glob, _ in allow):
            continue
        bad.append(f"{key}: kelp={kelp.get(key)} seabios={sea.get(key)}")
    assert not bad, "differences not in pcibios_allowlist.txt:\n  " + "\n  ".join(bad)


@fw_params
def test_installation_check_reports_pci_210_and_last_bus(fw):
    v = run_probe(fw)
    c = Checker(v, fw)
    for key, expect in [("ah", "00"), ("cf", "0"), ("al", "01"), ("bx", "0210"),
                        ("cl", "01"), ("edx", "20494350"), ("edi_in_fseg", "1"),
                        ("clobbered", "none")]:
        c(f"pci.b101.{key}", expect)
    c.done()


@fw_params
def test_find_device_counts_bus_0_first_and_functions_of_multifunction_devices(fw):
    v = run_probe(fw)
    c = Checker(v, fw)
    found = {"80861237": [HOST], "80867000": [PIIX], "80867010": [IDE], "80867113": [ACPI],
             "12341111": [VGA], "1af41001": [VIRTIO_BLK], "1b360001": [BRIDGE],
             "8086100e": [NIC0, NIC1], "1af41005": [RNG0, RNG1], "12345678": []}
    for ident, bdfs in found.items():
        for idx, bdf in enumerate(bdfs):
            c(f"pci.b102.{ident}.{idx}.ax", "0002")
            c(f"pci.b102.{ident}.{idx}.cf", "0")
            c(f"pci.b102.{ident}.{idx}.bx", f"{bdf:04x}")
        c(f"pci.b102.{ident}.{len(bdfs)}.ax", "8602")
        c(f"pci.b102.{ident}.{len(bdfs)}.cf", "1")
        c(f"pci.b102.{ident}.{len(bdfs)}.bx", "b1b1")
    c("pci.b102.clobbered", "none")
    c("pci.b102.ffff.ah", "83")
    c("pci.b102.ffff.cf", "1")
    c.done()


@fw_params
def test_find_class_matches_class_subclass_and_interface(fw):
    v = run_probe(fw)
    c = Checker(v, fw)
    found = {"060000": [HOST], "060100": [PIIX], "010180": [IDE], "030000": [VGA],
             "020000": [NIC0, NIC1], "060400": [BRIDGE], "ff0000": []}
    for cls, bdfs in found.items():
        for idx in range(2):
            if idx < len(bdfs):
                c(f"pci.b103.{cls}.{idx}.ax", "0003")
                c(f"pci.b103.{cls}.{idx}.bx", f"{bdfs[idx]:04x}")
            else:
                c(f"pci.b103.{cls}.{idx}.ax", "8603")
    c("pci.b103.clobbered", "none")
    c("pci.b103.top_byte_set.ax", "0003")
    c("pci.b103.top_byte_set.bx", f"{BRIDGE:04x}")
    c.done()


@fw_params
def test_config_reads_and_writes_reach_the_register(fw):
    v = run_probe(fw)
    c = Checker(v, fw)
    c("pci.b10a.hostid", "12378086")
    c("pci.b109.bridge_class", "0604")
    c("pci.b108.piix_header", "80")
    c("pci.b108.secondary", "01")
    c("pci.b108.subordinate", "01")
    for fn in ("b10a", "b109", "b108", "b10b"):
        c(f"pci.{fn}.clobbered", "none")
    for fn in ("b10b", "b10c", "b10d"):
        c(f"pci.{fn}.ah", "00")
        c(f"pci.{fn}.cf", "0")
    c("pci.b10b.readback", "5a")
    c("pci.b10c.readback", "010b")         # the pin byte is read-only
    c("pci.b10d.readback", "77")
    c("pci.b10b.restored", "1")
    for key in ("b108.bad100", "b109.bad003", "b10a.bad002", "b10b.bad1ff",
                "b10c.bad03d", "b10d.bad03e"):
        c(f"pci.{key}.ah", "87")
        c(f"pci.{key}.cf", "1")
    for fn in ("00", "04", "06", "10", "81"):
        c(f"pci.b1{fn}.ah", "81")
        c(f"pci.b1{fn}.cf", "1")
    c.done()


@fw_params
def test_pir_table_is_valid_and_names_the_links_devices_are_routed_through(fw):
    v = run_probe(fw)
    c = Checker(v, fw)
    for key, expect in [("found", "1"), ("version", "0100"), ("size_ok", "1"),
                        ("router", "0008"), ("exclusive", "0000"), ("compat", "122e8086"),
                        ("miniport", "00000000"), ("checksum_ok", "1")]:
        c(f"pci.pir.{key}", expect)
    c.done()
    slots = pir_slots(v)
    assert int(v["pci.pir.size"], 16) == 32 + 16 * len(slots)
    errors = []
    # Bus 0: the i440FX wiring, link 60h + (device - 1 + pin) mod 4, IRQs
    # 3-7, 9-12, 14, 15; the PIIX's own device is "embedded".
    for (bus, dev), (pins, slot_nr) in slots.items():
        if bus != 0:
            continue
        want = [(0x60 + (dev - 1 + p) % 4, 0xDEF8) for p in range(4)]
        if pins != want or slot_nr != dev - 1:
            errors.append(f"slot 00:{dev:02x}: {pins} #{slot_nr}, expected {want} #{dev - 1}")
    # Every device with an interrupt pin has an entry whose link is routed
    # to the IRQ its interrupt line register holds.
    for key, val in v.items():
        m = re.fullmatch(r"pci\.irq\.([0-9a-f]{4})", key)
        if not m or deviates(fw, f"pci.pir.slot.{int(m.group(1), 16) & 0xFFF8:04x}"):
            continue
        bdf = int(m.group(1), 16)
        if bdf == ACPI:
            continue        # its line is the SCI on SeaBIOS (pcibios_allowlist.txt)
        pin, line = int(val[:2], 16), int(val[2:], 16)
        entry = slots.get((bdf >> 8, (bdf >> 3) & 0x1F))
        if entry is None:
            errors.append(f"{bdf:04x}: no $PIR entry")
            continue
        link = entry[0][pin - 1][0]
        if LINK_IRQ.get(link) != line:
            errors.append(f"{bdf:04x}: INT{'ABCD'[pin - 1]}# on link {link:02x}, line {line:02x}")
    assert not errors, f"{fw}:\n  " + "\n  ".join(errors)


@fw_params
def test_bios32_header_is_valid(fw):
    v = run_probe(fw)
    c = Checker(v, fw)
    for key, expect in [("found", "1"), ("revision", "00"), ("length", "01"),
                        ("checksum_ok", "1"), ("entry_in_fseg", "1")]:
        c(f"pci.bios32.{key}", expect)
    c.done()


@fw_params
def test_routing_options_copy_the_pir_slots_and_report_the_size_needed(fw):
    v = run_probe(fw)
    c = Checker(v, fw)
    need = f"{int(v['pci.pir.size'], 16) - 32:04x}"
    c("pci.b10e.small.ah", "89")
    c("pci.b10e.small.cf", "1")
    c("pci.b10e.small.size", need)
    c("pci.b10e.small.clobbered", "none")
    c("pci.b10e.ah", "00")
    c("pci.b10e.cf", "0")
    c("pci.b10e.size", need)
    c("pci.b10e.bx", "0000")
    c("pci.b10e.same_as_pir", "1")
    c("pci.b10e.clobbered", "none")
    c.done()


def test_set_irq_programs_the_link_behind_the_pin():
    """Kelp only: SeaBIOS does not offer B10Fh (81h)."""
    v = run_probe("kelp")
    c = Checker(v, "kelp")
    c("pci.b10f.link", "63")               # 00:04 INTA#
    c("pci.b10f.0a05.ah", "00")
    c("pci.b10f.0a05.cf", "0")
    c("pci.b10f.0a05.router", "05")
    c("pci.b10f.elcr5", "1")
    for key in ("0a02", "0e05", "0905"):   # IRQ not allowed, pins out of range
        c(f"pci.b10f.{key}.ah", "88")
        c(f"pci.b10f.{key}.cf", "1")
        c(f"pci.b10f.{key}.router", "05")
    c("pci.b10f.nodev.ah", "88")
    c("pci.b10f.nodev.cf", "1")
    c.done()


@fw_params
@pytest.mark.parametrize("setup", SETUPS)
def test_32bit_interface_works_wherever_the_caller_runs_it(fw, setup):
    v = run_probe(fw)
    c = Checker(v, fw)
    p = f"pci32.{setup}"
    need = f"{int(v['pci.pir.size'], 16) - 32:04x}"
    faults = [k for k in v if k.startswith(p) and k.endswith(".fault") and not deviates(fw, k)]
    expect = [
        ("dir.al", "00"), ("dir.ebx", "000f0000"), ("dir.ecx", "00010000"),
        ("dir.entry_is_b101_edi", "1"), ("dir.clobbered", "none"),
        ("dir.unknown.al", "80"), ("dir.unknown.clobbered", "none"),
        ("b101.ax", "0001"), ("b101.cf", "0"), ("b101.bx", "0210"), ("b101.cl", "01"),
        ("b101.edx", "20494350"), ("b101.edi_is_b101_edi", "1"), ("b101.clobbered", "none"),
        ("b102.ax", "0002"), ("b102.cf", "0"), ("b102.bx", f"{NIC1:04x}"),
        ("b102.clobbered", "none"), ("b102.none.ax", "8602"), ("b102.none.cf", "1"),
        ("b103.ax", "0003"), ("b103.bx", f"{BRIDGE:04x}"),
        ("b10a.ax", "000a"), ("b10a.ecx", "12378086"), ("b10a.clobbered", "none"),
        ("b109.ax", "0009"), ("b109.ecx", "c2c20600"),
        ("b108.ax", "0008"), ("b108.ecx", "c2c2c280"),
        ("b109.bad.ax", "8709"), ("b109.bad.cf", "1"), ("b109.bad.ecx", "c2c2c2c2"),
        ("b10e.small.ax", "890e"), ("b10e.small.cf", "1"), ("b10e.small.size", need),
        ("b10e.ax", "000e"), ("b10e.cf", "0"), ("b10e.bx", "0000"),
        ("b10e.same_as_pir", "1"), ("b10e.clobbered", "none"),
        ("b120.ax", "8120"), ("b120.cf", "1"),
    ]
    setup_index = SETUPS.index(setup)
    for i, fn in enumerate(("b10b", "b10c", "b10d")):
        expect += [(f"{fn}.ax", f"00{fn[2:]}"), (f"{fn}.cf", "0"), (f"{fn}.clobbered", "none"),
                   (f"{fn}.readback", f"{0x40 + setup_index * 4 + i:02x}")]
    for key, val in expect:
        c(f"{p}.{key}", val)
    if faults:
        c.errors.append(f"exceptions in the firmware: {faults}")
    c.done()


# ---------------------------------------------------------------- Linux

MKLINUX = os.path.join(harness.ROOT, "tests", "images", "mklinux.py")
LINUX_IMAGE = os.path.join(harness.OUT, "test", "linux-ide.img")
# Same length replacements in the image's syslinux.cfg: no ACPI and no I/O
# APIC, so the kernel routes PCI interrupts through the PIIX with $PIR;
# its informational messages on the console.
CMDLINE_EDITS = [(b"quiet loglevel=3", b"loglevel=7      "),
                 (b"mitigations=off", b"acpi=off noapic")]
LINUX_MACHINE = [
    "-device", "pci-bridge,id=br1,chassis_nr=1,addr=5",
    "-netdev", "user,id=n1,restrict=on",
    "-device", "e1000,netdev=n1,bus=br1,addr=3,romfile=",
    "-device", "virtio-rng-pci,addr=6.0",
]


@pytest.fixture(scope="module")
def pir_linux_image(tmp_path_factory):
    with open(os.path.join(harness.OUT, "test", ".linux-build.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        p = subprocess.run([sys.executable, MKLINUX, "--out", os.path.dirname(LINUX_IMAGE)],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if p.returncode != 0 or not os.path.exists(LINUX_IMAGE):
        pytest.fail(f"mklinux.py failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    path = str(tmp_path_factory.mktemp("pir-linux") / "linux-pir.img")
    shutil.copyfile(LINUX_IMAGE, path)
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        for old, new in CMDLINE_EDITS:
            assert len(old) == len(new) and data.count(old) >= 1, old
            data = data.replace(old, new)
        f.seek(0)
        f.write(data)
    return path


@fw_params
def test_linux_routes_irqs_with_the_pir_table(fw, pir_linux_image):
    bios = firmware_path(fw)
    r = harness.run_qemu(bios, ["-drive", f"file={pir_linux_image},format=raw,if=ide,snapshot=on"]
                         + LINUX_MACHINE, timeout=150, memory="256M", icount=False)
    serial = r.serial.replace("\r", "")
    log = "\n--- serial (tail) ---\n" + "\n".join(serial.splitlines()[-40:])
    assert "KELP-INIT done" in serial, "the Linux run did not finish" + log
    assert "acpi=off noapic" in serial, "the command line edit did not reach the kernel" + log
    assert "PIIX/ICH IRQ router [8086:7000]" in serial, \
        "the kernel found no $PIR table or no PIIX router in it" + log
    nic = re.search(r"KELP-INIT nic eth0 irq=(\d+) interrupts=(\d+)", serial)
    assert nic and int(nic.group(1)) in (10, 11) and int(nic.group(2)) > 0, \
        "the e1000 behind the bridge got no working interrupt" + log
    # Kelp's table has an entry for the device behind the bridge; SeaBIOS's
    # fixed one does not, and the kernel falls back to the bridge's pin.
    fallback = re.search(r"01:03\.0: using bridge .* to get INT", serial)
    if fw == "kelp":
        assert not fallback, "the kernel found no $PIR entry for 01:03.0" + log
