"""Platform tables on QEMU: ACPI (through the fw_cfg table loader), SMBIOS
and the MP table, checked from the guest's memory.

Each test boots the firmware without a boot disk, waits until it has given
up booting (every table is final by then), and reads guest memory through
QMP (`pmemsave` into a scratch file). The tables are then parsed and
checked here: signatures, checksums, the pointers between them, and the
values QEMU's command line asked for. The same checks run on SeaBIOS, which
shows the checks themselves are right; a few Kelp-specific properties are
checked on Kelp only.

Linux boots (the disk and initramfs of tests/images/mklinux.py) show the
tables reaching an OS: with ACPI, the /init report names the DMI strings
and the ACPI tables Linux found; with acpi=off, Linux must start the second
CPU and receive a PCI NIC's interrupts from what the MP table says.

Guest memory is read through QMP's pmemsave on a local UNIX socket."""
import json
import os
import socket
import struct
import subprocess
import tempfile
import time
import uuid

import pytest

import harness
import test_linux
from test_linux import linux_image  # noqa: F401  (the disk image fixture)

MEMORY_MIB = 128
BOOT_TIMEOUT = 60

# Lines that show the firmware has finished POST (tables final) and found
# nothing to boot.
DONE_MARKERS = ("No bootable device", "Boot failed", "INT 19h returned")

FIRMWARES = [
    pytest.param(harness.KELP, id="kelp"),
    pytest.param(harness.SEABIOS, id="seabios"),
]

SMBIOS_ARGS = ["-smbios", "type=1,manufacturer=KelpTest,product=TablesProduct,"
               "version=V1.2,serial=SER-4711,uuid=4b454c50-0000-4000-8000-000000000001"]


def need(bios):
    if not os.path.exists(bios):
        pytest.skip(f"{bios} is missing (run make, or install seabios)")


def is_kelp(bios):
    return bios == harness.KELP


class Guest:
    """A QEMU run that stops at the boot failure and lets us read memory."""

    def __init__(self, bios, args=(), memory=MEMORY_MIB, smp=1, incoming=None, reboot=False):
        self.tmp = tempfile.TemporaryDirectory(prefix="kelp-tables-")
        self.debug_path = os.path.join(self.tmp.name, "debug.log")
        self.sock_path = os.path.join(self.tmp.name, "qmp.sock")
        self.memory = memory
        cmd = [harness.QEMU, "-M", "pc", "-bios", bios, "-m", f"{memory}M",
               "-smp", str(smp), "-display", "none", "-nodefaults",
               "-chardev", f"file,id=dbg,path={self.debug_path}",
               "-device", "isa-debugcon,iobase=0x402,chardev=dbg",
               "-qmp", f"unix:{self.sock_path},server=on,wait=off",
               "-serial", "null", "-monitor", "none"] + list(args)
        if not reboot:
            cmd += ["-no-reboot"]
        if incoming:
            cmd += ["-incoming", incoming]
        self.incoming = incoming
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.sock = None
        self.cache = {}

    def debug(self):
        try:
            with open(self.debug_path, "rb") as f:
                return f.read().decode("latin-1")
        except FileNotFoundError:
            return ""

    def wait_done(self, since=0):
        """Wait for a boot-failure line after offset since of the log."""
        deadline = time.monotonic() + BOOT_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                out = self.proc.stdout.read().decode(errors="replace")
                raise AssertionError(f"QEMU exited ({self.proc.returncode}): {out}\n"
                                     f"{self.debug()[-2000:]}")
            text = self.debug()
            if any(m in text[since:] for m in DONE_MARKERS):
                time.sleep(0.2)
                return text
            time.sleep(0.1)
        raise AssertionError(f"firmware did not finish POST in {BOOT_TIMEOUT} s:\n"
                             f"{self.debug()[-3000:]}")

    def connect(self):
        for _ in range(100):
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(self.sock_path)
                break
            except OSError:
                self.sock.close()
                self.sock = None
                time.sleep(0.05)
        assert self.sock, "cannot connect to QMP"
        self.rfile = self.sock.makefile("r")
        json.loads(self.rfile.readline())          # greeting
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

    def read(self, addr, size):
        """size bytes of guest-physical memory at addr."""
        key = (addr, size)
        if key not in self.cache:
            path = os.path.join(self.tmp.name, "mem.bin")
            self.qmp("pmemsave", val=addr, size=size, filename=path)
            with open(path, "rb") as f:
                self.cache[key] = f.read()
            assert len(self.cache[key]) == size
        return self.cache[key]

    def forget(self):
        self.cache.clear()

    def close(self):
        try:
            if self.sock:
                self.qmp("quit")
        except (OSError, AssertionError, ValueError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.sock:
            self.sock.close()
        self.tmp.cleanup()

    def wait_migration(self):
        """Wait until the outgoing or incoming migration has completed."""
        deadline = time.monotonic() + BOOT_TIMEOUT
        while time.monotonic() < deadline:
            status = self.qmp("query-migrate").get("status")
            if status == "completed":
                return
            assert status in (None, "setup", "active", "device", "pre-switchover"), \
                f"migration {status}"
            time.sleep(0.1)
        raise AssertionError("migration did not complete")

    def __enter__(self):
        try:
            if self.incoming:
                self.log = ""
                self.connect()
                self.wait_migration()
                return self
            self.log = self.wait_done()
            self.connect()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()


def csum(data):
    return sum(data) & 0xFF


def scan_fseg(guest, signature, step=16):
    """Addresses in F0000-FFFFF, step-aligned, where signature starts."""
    fseg = guest.read(0xF0000, 0x10000)
    hits = []
    for off in range(0, len(fseg), step):
        if fseg[off:off + len(signature)] == signature:
            hits.append(0xF0000 + off)
    return hits


# ---------------------------------------------------------------- ACPI

class Acpi:
    """The tables reachable from the RSDP, each checked on the way."""

    def __init__(self, guest):
        self.g = guest
        hits = [a for a in scan_fseg(guest, b"RSD PTR ")
                if csum(guest.read(a, 20)) == 0]
        assert len(hits) == 1, f"expected one valid RSDP in the F-segment, found {hits}"
        self.rsdp_addr = hits[0]
        rsdp = guest.read(self.rsdp_addr, 36)
        self.revision = rsdp[15]
        self.rsdt = struct.unpack_from("<I", rsdp, 16)[0]
        self.xsdt = 0
        if self.revision >= 2:
            length = struct.unpack_from("<I", rsdp, 20)[0]
            assert length >= 36 and csum(guest.read(self.rsdp_addr, length)) == 0, \
                "RSDP extended checksum"
            self.xsdt = struct.unpack_from("<Q", rsdp, 24)[0]
        self.tables = {}                                # signature -> [(addr, bytes)]
        rsdt = self.table(self.rsdt, b"RSDT")
        self.entries = [struct.unpack_from("<I", rsdt, 36 + 4 * i)[0]
                        for i in range((len(rsdt) - 36) // 4)]
        if self.xsdt:
            xsdt = self.table(self.xsdt, b"XSDT")
            x = [struct.unpack_from("<Q", xsdt, 36 + 8 * i)[0]
                 for i in range((len(xsdt) - 36) // 8)]
            assert x == self.entries, "XSDT and RSDT disagree"
        for addr in self.entries:
            self.table(addr)
        facp = self.get(b"FACP")
        self.facs = struct.unpack_from("<I", facp, 36)[0]
        self.dsdt = struct.unpack_from("<I", facp, 40)[0]
        self.table(self.dsdt, b"DSDT")
        assert self.facs, "FADT has no FACS"
        facs = guest.read(self.facs, 64)
        assert facs[:4] == b"FACS", f"no FACS at {self.facs:#x}"

    def table(self, addr, signature=None):
        assert 0x100000 <= addr < MEMORY_MIB << 20, f"table address {addr:#x} outside RAM"
        head = self.g.read(addr, 36)
        length = struct.unpack_from("<I", head, 4)[0]
        if signature:
            assert head[:4] == signature, f"{signature} expected at {addr:#x}, found {head[:4]}"
        assert 36 <= length < 1 << 20, f"{head[:4]} at {addr:#x}: bad length {length}"
        data = self.g.read(addr, length)
        assert csum(data) == 0, f"{head[:4]} at {addr:#x}: bad checksum"
        self.tables.setdefault(bytes(head[:4]), []).append((addr, data))
        return data

    def get(self, signature):
        found = self.tables.get(signature)
        assert found, f"no {signature} table"
        return found[0][1]


@pytest.mark.parametrize("bios", FIRMWARES)
def test_acpi_tables_are_linked_and_checksummed(bios):
    need(bios)
    with Guest(bios) as g:
        acpi = Acpi(g)
        sigs = set(acpi.tables)
        for s in (b"RSDT", b"FACP", b"DSDT", b"APIC"):
            assert s in sigs, f"{s} missing; found {sorted(sigs)}"
        facp = acpi.get(b"FACP")
        sci, = struct.unpack_from("<H", facp, 46)
        pm1a_evt, pm1a_cnt, pm_tmr = (struct.unpack_from("<I", facp, o)[0] for o in (56, 64, 76))
        # QEMU fills these from the PIIX4 PM base the firmware programmed.
        assert (pm1a_evt, pm1a_cnt, pm_tmr) == (0x600, 0x604, 0x608), \
            f"FADT PM blocks {pm1a_evt:#x}/{pm1a_cnt:#x}/{pm_tmr:#x}: PM base not 600h"
        assert sci == 9
        if is_kelp(bios):
            assert f"ACPI: RSDP at {acpi.rsdp_addr:x}" in g.log


def test_acpi_tables_match_seabios():
    """QEMU generates the tables from the machine state the firmware set
    up; apart from where they were placed, Kelp's must equal SeaBIOS's."""
    need(harness.KELP)
    need(harness.SEABIOS)
    result = {}
    for name, bios in (("kelp", harness.KELP), ("seabios", harness.SEABIOS)):
        with Guest(bios, ["-device", "e1000,addr=5,romfile=", "-device", "virtio-blk-pci,addr=7,drive=d0",
                          "-drive", "if=none,id=d0,format=raw,file=null-co://,size=1M"]) as g:
            acpi = Acpi(g)
            result[name] = {sig: [data for _, data in found] for sig, found in acpi.tables.items()}
    kelp, sea = result["kelp"], result["seabios"]
    assert sorted(kelp) == sorted(sea), "different table sets"
    for sig in kelp:
        if sig in (b"RSDT", b"XSDT", b"FACP"):
            continue            # hold addresses, which differ
        assert kelp[sig] == sea[sig], f"{sig.decode()} differs from SeaBIOS's"
    # The FADT with its pointers (FACS, DSDT, X_FACS, X_DSDT) blanked.
    def blank(f):
        f = bytearray(f)
        f[9] = 0
        for off, size in ((36, 4), (40, 4), (132, 8), (140, 8)):
            f[off:off + size] = bytes(size)
        return bytes(f)
    assert blank(kelp[b"FACP"][0]) == blank(sea[b"FACP"][0]), "FADT differs from SeaBIOS's"


@pytest.mark.parametrize("bios", FIRMWARES)
def test_write_pointer_tells_qemu_where_vmgenid_lives(bios):
    """vmgenid's part of the script ends with WRITE_POINTER: QEMU learns
    where the firmware loaded the GUID buffer. When the VM is restored
    under a new generation ID (a migration to a file, loaded by a second
    QEMU with another guid), QEMU writes the new GUID there, but only if it
    received that address."""
    need(bios)
    first = uuid.UUID("4b454c50-1111-4222-8333-444455556666")
    second = uuid.UUID("4b454c50-aaaa-4bbb-8ccc-ddddeeeeffff")
    top = (MEMORY_MIB << 20) - (2 << 20)
    with tempfile.TemporaryDirectory(prefix="kelp-vmgenid-") as tmp:
        state = os.path.join(tmp, "state")
        with Guest(bios, ["-device", f"vmgenid,id=vmgid,guid={first}"]) as g:
            window = g.read(top, 2 << 20)
            at = window.find(first.bytes_le)
            assert at >= 0, "vmgenid GUID buffer not found in the top 2 MiB of RAM"
            assert window.find(first.bytes_le, at + 1) < 0, "GUID found twice"
            g.qmp("migrate", uri=f"exec:cat > {state}")
            g.wait_migration()
        with Guest(bios, ["-device", f"vmgenid,id=vmgid,guid={second}"],
                   incoming=f"exec:cat {state}") as g:
            assert g.read(top + at, 16) == second.bytes_le, \
                "QEMU did not write the new GUID: it never got the buffer's address"


@pytest.mark.parametrize("bios", FIRMWARES)
def test_tables_are_rebuilt_cleanly_after_a_reset(bios):
    """After a reset POST runs again: one RSDP, one SMBIOS entry point and
    one MP floating pointer, all valid, and no leftovers of the first boot."""
    need(bios)
    with Guest(bios, ["-device", "vmgenid,id=vmgid"], smp="2,sockets=2", reboot=True) as g:
        before = Acpi(g).rsdp_addr
        mark = len(g.debug())
        g.qmp("system_reset")
        g.wait_done(since=mark)
        g.forget()
        acpi = Acpi(g)
        if is_kelp(bios):
            assert acpi.rsdp_addr == before
        read_smbios(g)
        read_mptable(g)


# ---------------------------------------------------------------- SMBIOS

def smbios_structures(table, count=None):
    """[(type, handle, formatted bytes, [strings], size)] of a table."""
    out = []
    off = 0
    while off + 4 <= len(table) and (count is None or len(out) < count):
        stype, flen, handle = struct.unpack_from("<BBH", table, off)
        assert flen >= 4, f"structure at {off} has length {flen}"
        end = table.index(b"\0\0", off + flen)
        strings = table[off + flen:end].split(b"\0") if end > off + flen else []
        out.append((stype, handle, table[off:off + flen], [s.decode() for s in strings],
                    end + 2 - off))
        off = end + 2
        if stype == 127:
            break
    return out, off


def smbios_string(struct_, index_offset):
    _, _, fmt, strings, _ = struct_
    n = fmt[index_offset]
    return strings[n - 1] if n else ""


def read_smbios(g):
    """Entry point, then the structures it describes, all checked."""
    sm2 = scan_fseg(g, b"_SM_")
    sm3 = scan_fseg(g, b"_SM3_")
    assert len(sm2) + len(sm3) == 1, f"entry points: _SM_ at {sm2}, _SM3_ at {sm3}"
    if sm2:
        ep = g.read(sm2[0], 0x1F)
        assert ep[5] == 0x1F and csum(ep) == 0, "2.1 entry point length/checksum"
        assert ep[0x10:0x15] == b"_DMI_" and csum(ep[0x10:0x1F]) == 0, "_DMI_ checksum"
        max_size, = struct.unpack_from("<H", ep, 8)
        length, addr, count = struct.unpack_from("<HIH", ep, 0x16)
        table = g.read(addr, length)
        structs, used = smbios_structures(table, count)
        assert len(structs) == count, f"entry point says {count} structures, found {len(structs)}"
        assert used == length, f"entry point says {length} bytes, structures take {used}"
        assert max(s[4] for s in structs) == max_size, "maximum structure size"
        version = (ep[6], ep[7])
    else:
        ep = g.read(sm3[0], 0x18)
        assert ep[6] == 0x18 and csum(ep) == 0, "3.0 entry point length/checksum"
        max_len, addr = struct.unpack_from("<IQ", ep, 0x0C)
        table = g.read(addr, max_len)
        structs, used = smbios_structures(table)
        assert used <= max_len
        version = (ep[7], ep[8])
    assert structs[-1][0] == 127, "no end-of-table structure"
    return version, structs


@pytest.mark.parametrize("bios", FIRMWARES)
@pytest.mark.parametrize("entry", ["32", "64"])
def test_smbios_carries_qemu_system_strings(bios, entry):
    need(bios)
    args = SMBIOS_ARGS + ["-machine", f"smbios-entry-point-type={entry}"]
    with Guest(bios, args) as g:
        sm2, sm3 = scan_fseg(g, b"_SM_"), scan_fseg(g, b"_SM3_")
        if entry == "64" and not sm3 and not is_kelp(bios):
            pytest.skip("this SeaBIOS does not publish SMBIOS 3.0 entry points")
        assert (sm3 if entry == "64" else sm2), f"no {'_SM3_' if entry == '64' else '_SM_'}"
        version, structs = read_smbios(g)
        assert version >= (2, 4)
        types = [s[0] for s in structs]
        assert types[0] == 0, f"type 0 should come first: {types}"
        assert types.count(0) == 1 and types.count(1) == 1
        handles = [s[1] for s in structs]
        assert len(set(handles)) == len(handles), f"duplicate handles {handles}"
        t1 = structs[types.index(1)]
        assert smbios_string(t1, 4) == "KelpTest"
        assert smbios_string(t1, 5) == "TablesProduct"
        assert smbios_string(t1, 6) == "V1.2"
        assert smbios_string(t1, 7) == "SER-4711"
        assert t1[2][8:24] == uuid.UUID("4b454c50-0000-4000-8000-000000000001").bytes_le
        t0 = structs[0]
        assert smbios_string(t0, 4), "type 0 without a vendor"
        assert len(smbios_string(t0, 8)) == 10, "release date is not mm/dd/yyyy"
        if is_kelp(bios):
            assert smbios_string(t0, 4) == "Kelp"
            assert struct.unpack_from("<H", t0[2], 6)[0] == 0xF000
            assert t0[2][9] == 1                        # 128 KiB
            assert t0[1] not in handles[1:]


def test_smbios_type0_from_qemu_is_not_duplicated():
    need(harness.KELP)
    with Guest(harness.KELP, ["-smbios", "type=0,vendor=GivenVendor,version=9.9"]) as g:
        _, structs = read_smbios(g)
        t0 = [s for s in structs if s[0] == 0]
        assert len(t0) == 1
        assert smbios_string(t0[0], 4) == "GivenVendor"


# ---------------------------------------------------------------- MP table

def read_mptable(g):
    fps = [a for a in scan_fseg(g, b"_MP_") if csum(g.read(a, 16)) == 0]
    assert len(fps) == 1, f"expected one valid MP floating pointer, found {fps}"
    fp = g.read(fps[0], 16)
    addr, length, rev = struct.unpack_from("<IBB", fp, 4)
    assert length == 1 and rev == 4 and fp[11] == 0
    head = g.read(addr, 44)
    assert head[:4] == b"PCMP"
    size, spec = struct.unpack_from("<HB", head, 4)
    assert spec == 4
    table = g.read(addr, size)
    assert csum(table) == 0, "MP configuration table checksum"
    count, lapic = struct.unpack_from("<HI", table, 34)
    assert lapic == 0xFEE00000
    entries = []
    off = 44
    for _ in range(count):
        kind = table[off]
        n = 20 if kind == 0 else 8
        assert off + n <= size, "entries run past the table"
        entries.append(table[off:off + n])
        off += n
    assert off == size, "entry count and table length disagree"
    kinds = [e[0] for e in entries]
    assert kinds == sorted(kinds), f"entries not in type order: {kinds}"
    return addr, entries


def pci_devices(g):
    """(bus, slot, function, pin, irq line, vendor, device) for every device."""
    out = []

    def walk(devices):
        for d in devices:
            out.append((d["bus"], d["slot"], d["function"], d.get("irq_pin", 0),
                        d.get("irq"), d["id"]["vendor"], d["id"]["device"]))
            bridge = d.get("pci_bridge")
            if bridge:
                walk(bridge.get("devices", []))
    for bus in g.qmp("query-pci"):
        walk(bus["devices"])
    return out


@pytest.mark.parametrize("bios", FIRMWARES)
def test_mptable_lists_four_cpus_and_the_interrupt_wiring(bios):
    need(bios)
    args = ["-device", "e1000,addr=4,romfile=", "-device", "pci-bridge,id=br1,chassis_nr=1,addr=6",
            "-device", "edu,bus=br1,addr=3", "-device", "edu,bus=br1,addr=2"]
    # SeaBIOS lists one CPU per package; give it four packages.
    with Guest(bios, args, smp="4" if is_kelp(bios) else "4,sockets=4") as g:
        addr, entries = read_mptable(g)
        cpus = [e for e in entries if e[0] == 0]
        assert [c[1] for c in cpus] == [0, 1, 2, 3], "APIC ids"
        assert [c[3] for c in cpus] == [3, 1, 1, 1], "enabled flags / BSP flag on CPU 0 only"
        buses = {e[1]: e[2:8] for e in entries if e[0] == 1}
        isa = [b for b, t in buses.items() if t == b"ISA   "]
        assert len(isa) == 1 and buses.get(0) == b"PCI   "
        isa = isa[0]
        ioapics = [e for e in entries if e[0] == 2]
        assert len(ioapics) == 1
        ioapic_id, ioapic_ver, ioapic_flags, ioapic_addr = struct.unpack_from("<BBBI", ioapics[0], 1)
        assert ioapic_addr == 0xFEC00000 and ioapic_flags & 1
        ints = [struct.unpack_from("<BBHBBBB", e) for e in entries if e[0] == 3]
        isa_ints = {i[4]: i for i in ints if i[3] == isa and i[0] == 3}
        assert isa_ints[0][6] == 2, "ISA IRQ 0 must reach I/O APIC pin 2"
        assert 2 not in isa_ints, "ISA IRQ 2 (the cascade) has no entry"
        for irq in (1, 3, 4, 8, 12, 14, 15):
            assert isa_ints[irq][6] == irq, f"ISA IRQ {irq}"
        assert all(i[5] == ioapic_id for i in ints)
        local = [e for e in entries if e[0] == 4]
        assert sorted((e[1], e[7]) for e in local) == [(1, 1), (3, 0)], \
            "ExtINT on LINT0 and NMI on LINT1"

        # Every PCI interrupt pin reaches the I/O APIC pin of the ISA IRQ
        # its PIIX link carries, which is the Interrupt Line programmed.
        pci_ints = {(i[3], i[4]): i for i in ints if i[3] != isa}
        devs = pci_devices(g)
        checked = 0
        for bus, slot, fn, pin, line, vendor, device in devs:
            if not pin or (bus != 0 and not is_kelp(bios)):
                continue
            key = (bus, (slot << 2) | (pin - 1))
            assert key in pci_ints, f"no MP entry for {bus:02x}:{slot:02x}.{fn} INT{'ABCD'[pin - 1]}#"
            e = pci_ints[key]
            assert e[6] == line, (f"{bus:02x}:{slot:02x}.{fn} routed to pin {e[6]}, "
                                  f"Interrupt Line says {line}")
            assert e[1] in (0, 0x0D, 0x01), "PCI interrupts are active-high, level"
            checked += 1
        assert checked >= (5 if is_kelp(bios) else 3)
        if is_kelp(bios):
            assert ioapic_id == 4 and ioapic_ver == 0x11
            assert isa == max(buses) and sorted(buses) == [0, 1, 2]
            # Behind the bridge in slot 6 the swizzle shifts by the slot.
            lines = {(b, s): l for b, s, f, p, l, *_ in devs if p}
            swz = {0: 10, 1: 10, 2: 11, 3: 11}
            for s in (2, 3):
                assert lines[(1, s)] == swz[(6 - 1 + s) & 3], f"bridge swizzle for 01:{s:02x}"
            assert "MP: floating pointer at" in g.log


def test_single_cpu_gets_no_mptable():
    need(harness.KELP)
    with Guest(harness.KELP) as g:
        assert scan_fseg(g, b"_MP_") == []


# ---------------------------------------------------------------- Linux

def test_linux_sees_acpi_and_smbios(linux_image):
    """What reaches the OS: the init reports the DMI strings, the ACPI
    tables Linux found, the CPUs it started, and kernel complaints."""
    need(harness.KELP)
    r = harness.run_qemu(harness.KELP, ["-drive", f"file={linux_image},format=raw,if=ide",
                                        "-snapshot", "-smp", "2"] + SMBIOS_ARGS,
                         timeout=test_linux.TIMEOUT, memory="256M", icount=False)
    lines = test_linux.report(r.serial)
    log = (f"\n--- serial ---\n{test_linux.tail(r.serial)}\n"
           f"--- debug ---\n{test_linux.tail(r.debug, 30)}")
    assert "done" in lines, "init did not finish" + log
    dmi = {}
    for l in lines:
        if l.startswith("dmi ") and "=" in l:
            k, _, v = l[4:].partition("=")
            dmi[k] = v
    assert "dmi=present" in lines, log
    assert dmi.get("sys_vendor") == "KelpTest", log
    assert dmi.get("product_name") == "TablesProduct", log
    assert dmi.get("product_version") == "V1.2", log
    assert dmi.get("product_serial") == "SER-4711", log
    assert dmi.get("bios_vendor") == "Kelp", log
    assert len(dmi.get("bios_date", "")) == 10, "bios_date is not mm/dd/yyyy" + log
    assert "acpi=present" in lines, log
    tables = {l.split()[2] for l in lines if l.startswith("acpi table ")}
    assert {"FACP", "DSDT", "FACS", "APIC"} <= tables, f"ACPI tables seen: {tables}" + log
    assert "cpus=2" in lines, log
    complaints = [l for l in lines if l.startswith("warn:")
                  and any(k in l for k in ("ACPI", "DMI", "SMBIOS", "MP", "APIC"))]
    assert not complaints, f"kernel complaints: {complaints}" + log
    # Lines a later init may add; each is checked once it is printed.
    for l in lines:
        if l.startswith("dmi product_uuid="):
            assert l.split("=", 1)[1] == "4b454c50-0000-4000-8000-000000000001", log
        if l.startswith("cpus online="):
            assert l == "cpus online=0-1", log


@pytest.mark.parametrize("bios", FIRMWARES)
def test_linux_without_acpi_runs_on_the_mp_table(bios, linux_image, tmp_path):
    """With acpi=off Linux takes CPUs and interrupt routing from the MP
    table: both CPUs must come up, and the e1000's PCI interrupt must
    arrive through the I/O APIC pin the table names for it."""
    need(bios)
    for name in ("vmlinuz", "initrd.gz"):
        subprocess.run(["mcopy", "-n", "-i", f"{linux_image}@@1M", f"::{name}",
                        str(tmp_path / name)], check=True)
    smp = "2" if is_kelp(bios) else "2,sockets=2"   # SeaBIOS: one CPU per package
    r = harness.run_qemu(bios, [
        "-kernel", str(tmp_path / "vmlinuz"), "-initrd", str(tmp_path / "initrd.gz"),
        "-append", "console=ttyS0,115200 panic=-1 quiet loglevel=3 nokaslr tsc=unstable acpi=off",
        "-smp", smp, "-netdev", "user,id=n0,restrict=on",
        "-device", "e1000,netdev=n0,romfile=,addr=5"],
        timeout=test_linux.TIMEOUT, memory="256M", icount=False)
    lines = test_linux.report(r.serial)
    log = (f"\n--- serial ---\n{test_linux.tail(r.serial)}\n"
           f"--- debug ---\n{test_linux.tail(r.debug, 30)}")
    assert "done" in lines, "init did not finish" + log
    assert "acpi=absent" in lines, log
    assert "cpus=2" in lines, "the second CPU from the MP table did not come up" + log
    nic = [l for l in lines if l.startswith("nic eth0 ")]
    assert nic, "the e1000 did not come up" + log
    fields = dict(f.split("=", 1) for f in nic[0].split()[2:])
    assert int(fields["interrupts"]) > 0, f"no e1000 interrupt arrived: {nic[0]}" + log
    # 00:05.0 INTA# -> PIIX link (5 - 1 + 0) & 3 = A -> ISA IRQ 10.
    assert fields["irq"] == "10", nic[0] + log
