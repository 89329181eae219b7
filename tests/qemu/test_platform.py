"""Linux on the machines QEMU users run: several CPUs, RAM above 4 GiB, a
PCI bridge with devices behind it, and the PCI hole edge cases. The
guest's init (tests/images/mklinux.py) reports what the kernel found."""
import os
import re
import subprocess

import pytest

import harness

pytestmark = pytest.mark.skipif(not os.path.exists(harness.KELP),
                                reason="out/bios.bin not built")

IMAGE = os.path.join(harness.OUT, "test", "linux-ide.img")
PROBE_IMG = os.path.join(harness.OUT, "test", "probe.img")
SMBIOS = "type=1,manufacturer=Kelp Test Works,product=Platform Check,serial=KT-0042"
# Kernel messages that mean the firmware got something wrong.
BAD = re.compile(r"can't claim|no compatible bridge window|firmware bug|BIOS BUG|"
                 r"ACPI BIOS Error|failed to assign", re.I)


@pytest.fixture(scope="module")
def image():
    subprocess.run(["/usr/bin/python3", os.path.join(harness.ROOT, "tests/images/mklinux.py"),
                    "--out", os.path.dirname(IMAGE)], check=True, capture_output=True)
    return IMAGE


def boot(image, memory, smp, extra=()):
    res = harness.run_qemu(harness.KELP, [
        "-drive", f"file={image},format=raw,if=ide,snapshot=on", "-smp", str(smp)] + list(extra),
        timeout=240, memory=memory, icount=False)
    lines = [l[len("KELP-INIT "):] for l in res.serial.splitlines() if l.startswith("KELP-INIT ")]
    assert "done" in lines, (res.debug[-2000:], res.serial[-3000:])
    return res, lines


def value(lines, key):
    for l in lines:
        if l.startswith(key + "="):
            return l[len(key) + 1:]
    return None


def usable_ram(lines):
    total = 0
    for l in lines:
        m = re.search(r"BIOS-e820: \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] usable", l)
        if m:
            total += int(m.group(2), 16) - int(m.group(1), 16) + 1
    return total


def pci_devices(lines):
    devs = {}
    for l in lines:
        m = re.match(r"pci (\S+) (\S+) class=(\S+) irq=(\d+) res=(.*)$", l)
        if m:
            devs[m.group(1)] = {"id": m.group(2), "class": m.group(3), "irq": int(m.group(4)),
                                "res": m.group(5).split()}
    return devs


def test_smp4_6g_bridge_machine(image):
    res, lines = boot(image, "6G", 4, [
        "-device", "pci-bridge,chassis_nr=1,id=b1",
        "-device", "e1000,bus=b1,addr=3,netdev=n1", "-netdev", "user,id=n1,restrict=on",
        "-device", "virtio-blk-pci,bus=b1,addr=4,drive=vb",
        "-drive", f"if=none,id=vb,file={PROBE_IMG},format=raw,snapshot=on",
        "-device", "virtio-rng-pci", "-smbios", SMBIOS])
    assert value(lines, "cpus") == "4"
    assert value(lines, "cpus online") == "0-3"
    # All 6 GiB, less what firmware and the low holes keep.
    assert usable_ram(lines) > 6 * 1024**3 - 64 * 1024**2
    assert any("[mem 0x0000000100000000-" in l and "usable" in l for l in lines)
    assert value(lines, "acpi") == "present"
    assert {"acpi table FACP", "acpi table APIC", "acpi table DSDT"} <= set(lines)
    warnings = [l for l in lines if l.startswith("warn:") and BAD.search(l)]
    assert not warnings, warnings
    assert value(lines, "dmi sys_vendor") == "Kelp Test Works"
    assert value(lines, "dmi product_name") == "Platform Check"
    assert value(lines, "dmi product_serial") == "KT-0042"
    devs = pci_devices(lines)
    bridge = [b for b, d in devs.items() if d["class"] == "0x060400"]
    assert bridge, devs
    behind = [b for b in devs if b.startswith("0000:01:")]
    assert len(behind) == 2, devs
    for bdf in behind + ["0000:00:03.0"]:
        assert devs[bdf]["res"], f"{bdf} has no resources: {devs[bdf]}"
        assert devs[bdf]["irq"] > 0, devs[bdf]
    nic = [l for l in lines if l.startswith("nic eth0")]
    assert nic, lines
    assert int(nic[0].split("interrupts=")[1]) > 0, nic


@pytest.mark.parametrize("memory,smp", [("128M", 1), ("3584M", 2)])
def test_pci_hole_edges(image, memory, smp):
    res, lines = boot(image, memory, smp, [
        "-device", "e1000,netdev=n1", "-netdev", "user,id=n1,restrict=on"])
    assert value(lines, "cpus") == str(smp)
    want = int(memory[:-1]) * 1024**2
    assert want - 8 * 1024**2 < usable_ram(lines) <= want
    warnings = [l for l in lines if l.startswith("warn:") and BAD.search(l)]
    assert not warnings, warnings
    nic = [l for l in lines if l.startswith("nic eth0")]
    assert nic and int(nic[0].split("interrupts=")[1]) > 0, lines
    # Every memory BAR lies outside RAM: in the hole below 4 GiB.
    low_top = max(int(m.group(2), 16) for l in lines
                  for m in [re.search(r"\[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] usable", l)] if m
                  and int(m.group(2), 16) < 1 << 32)
    for bdf, d in pci_devices(lines).items():
        for r in d["res"]:
            start = int(r.split("-")[0], 16)
            if start >= 0x100000:
                assert start > low_top, f"{bdf} BAR {r} overlaps RAM (top {low_top:#x})"


def test_big_64bit_bar_goes_above_4g(image):
    """A 1 GiB prefetchable 64-bit BAR does not fit the hole left by 3.5 GiB
    of RAM: it is placed above RAM beyond 4 GiB, and Linux accepts it."""
    res, lines = boot(image, "3584M", 1, [
        "-object", "memory-backend-ram,id=m1,size=1G", "-device", "ivshmem-plain,memdev=m1"])
    warnings = [l for l in lines if l.startswith("warn:") and BAD.search(l)]
    assert not warnings, warnings
    ivshmem = [d for d in pci_devices(lines).values() if d["id"] == "0x1af4:0x1110"]
    assert ivshmem, lines
    starts = [int(r.split("-")[0], 16) for r in ivshmem[0]["res"]]
    ram_end = max(int(m.group(2), 16) for l in lines
                  for m in [re.search(r"\[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] usable", l)] if m)
    assert any(s > ram_end and s >= 1 << 32 for s in starts), ivshmem
