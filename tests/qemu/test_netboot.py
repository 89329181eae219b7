"""Network boot of Linux through a NIC option ROM's boot entry (BEV), and a
machine crowded with NIC ROMs.

PXE boot: the NIC's iPXE ROM (Debian's ipxe-qemu) is initialised during
POST and leaves a BEV; with no disk the BEV is the only boot entry.  iPXE
asks QEMU's user network for an address (DHCP) and loads pxelinux.0 over
TFTP; pxelinux, through iPXE's PXE API, loads the Debian kernel and the
initramfs of the test disk (tests/images/mkpxe.py builds the TFTP root).
The initramfs prints "KELP-INIT done" on COM1 at the end, as in the disk
boot (tests/images/mklinux.py).

- e1000 with efi-e1000.rom: a two-image ROM (x86 image + EFI image).
- virtio-net-pci with pxe-virtio.rom: a single-image ROM.  Debian builds
  that ROM for the virtio 1.0 device ID 1af4:1041, so the NIC runs with
  disable-legacy=on to have that ID; QEMU patches the IDs only of the ROMs
  it loads by default, never of a romfile= given on the command line.
  test_rom_for_another_device_is_not_run shows what happens without it.

The PXE cases also run on SeaBIOS, which shows the setup itself is right.

A BEV may return (iPXE does when it finds nothing to boot): the firmware
must then go on with the next boot entry.  With two NICs, the first on a
network without a boot file, the second NIC's BEV must boot Linux.

Crowded machine (Kelp only, its log lines are checked): a VGA adapter, an
IDE disk holding the test Linux and many NICs, each with its iPXE ROM.
Every iPXE ROM needs its whole image (about 74 KiB) in the ROM window to
initialise and keeps 3.5 KiB afterwards.  With 6 NICs they all fit; with
24 they cannot (23 x 3.5 KiB + the VGA BIOS + one more 74 KiB image is
more than the whole C0000h-EFFFFh window), so some must be left out.
Either way: no crash, every ROM is either run or reported as not fitting,
each ROM that ran has a boot entry, and the disk still boots first.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

import pytest

import harness
from harness import LiveQemu

MKPXE = os.path.join(harness.ROOT, "tests", "images", "mkpxe.py")
IPXE = "/usr/lib/ipxe/qemu"
LINUX_IMG = os.path.join(harness.OUT, "test", "linux-ide.img")
FIRMWARES = {"kelp": harness.KELP, "seabios": harness.SEABIOS}
PXE_TIMEOUT = 180
MEMORY = "256M"

NICS = {
    "e1000": f"e1000,romfile={IPXE}/efi-e1000.rom",
    "virtio": f"virtio-net-pci,disable-legacy=on,romfile={IPXE}/pxe-virtio.rom",
}
# The ROMs of the crowded machine, used in turn.
CROWD = [
    f"e1000,romfile={IPXE}/efi-e1000.rom",
    f"virtio-net-pci,disable-legacy=on,romfile={IPXE}/pxe-virtio.rom",
    f"rtl8139,romfile={IPXE}/efi-rtl8139.rom",
    f"e1000,romfile={IPXE}/pxe-e1000.rom",
    f"virtio-net-pci,disable-legacy=on,romfile={IPXE}/efi-virtio.rom",
    f"rtl8139,romfile={IPXE}/pxe-rtl8139.rom",
]
FIRST_NIC_SLOT = 3          # 00:02.0 is the VGA adapter
# Sizes in KiB: the ISA ROM window C0000h-EFFFFh, the VGA BIOS, an iPXE
# ROM while it initialises and what it keeps afterwards.
WINDOW_KIB, VGA_KIB, IPXE_INIT_KIB, IPXE_KEPT_KIB = 192, 39, 73.5, 3.5


@pytest.fixture(scope="session")
def tftp_root():
    p = subprocess.run([sys.executable, MKPXE], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True)
    root = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
    if p.returncode != 0 or not os.path.isfile(os.path.join(root, "pxelinux.0")):
        pytest.fail(f"mkpxe.py failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return root


def tail(text, n=4000):
    return text[-n:]


@pytest.mark.parametrize("nic", sorted(NICS))
@pytest.mark.parametrize("fw", sorted(FIRMWARES))
def test_pxe_boot_linux_through_bev(fw, nic, tftp_root):
    if not os.path.exists(FIRMWARES[fw]):
        pytest.skip(f"{FIRMWARES[fw]} does not exist")
    res = harness.run_qemu(FIRMWARES[fw], [
        "-netdev", f"user,id=n0,restrict=on,tftp={tftp_root},bootfile=pxelinux.0",
        "-device", f"{NICS[nic]},netdev=n0"],
        timeout=PXE_TIMEOUT, memory=MEMORY, icount=False)
    where = f"\n--- debug log ---\n{tail(res.debug)}\n--- serial ---\n{tail(res.serial)}"
    assert "PXELINUX" in res.serial, "pxelinux never started" + where
    assert "KELP-INIT done" in res.serial, "Linux did not reach the end of its init" + where
    assert res.status == harness.EXIT_OK_STATUS, f"exit status {res.status}" + where
    if fw == "kelp":
        assert re.search(r'boot entry \(BEV\) c[0-9a-f]{3}:[0-9a-f]{4} "iPXE', res.debug), \
            "the NIC ROM left no BEV" + where
        assert "Booting from iPXE" in res.debug, where
        assert "Boot failed" not in res.debug, where


def test_rom_for_another_device_is_not_run():
    """A transitional virtio-net-pci (1af4:1000) given pxe-virtio.rom
    (built for 1af4:1041): the ROM does not name the device, so it is not
    run, nothing is left to boot and the firmware says so."""
    q = LiveQemu(harness.KELP, [
        "-netdev", "user,id=n0,restrict=on",
        "-device", f"virtio-net-pci,netdev=n0,romfile={IPXE}/pxe-virtio.rom"], icount=True)
    try:
        m = q.wait_for(r"No bootable device", 30)
        log = q.debug()
    finally:
        q.close()
    assert m, tail(log)
    assert "running ROM of 00:02.0" not in log, tail(log)
    assert "iPXE" not in log, tail(log)
    assert re.search(r"rom: .*00:02\.0.*1af4:1000", log), \
        "the skipped ROM is not mentioned in the log:\n" + tail(log)


@pytest.mark.parametrize("fw", ["kelp", "seabios"])
def test_failed_bev_falls_through_to_next_nic(fw, tftp_root):
    """Two NICs with iPXE.  The first one's network has no boot file, so
    its iPXE gives up and returns from the BEV (RETF, or INT 18h); the
    firmware then starts the second NIC's BEV, which PXE-boots Linux."""
    if not os.path.exists(FIRMWARES[fw]):
        pytest.skip(f"{FIRMWARES[fw]} does not exist")
    with tempfile.TemporaryDirectory(prefix="kelp-bev-") as tmp:
        dbg, ser = os.path.join(tmp, "debug.log"), os.path.join(tmp, "serial.log")
        cmd = [harness.QEMU, "-M", "pc", "-bios", FIRMWARES[fw], "-m", MEMORY,
               "-display", "none", "-no-reboot", "-nodefaults",
               "-chardev", f"file,id=dbg,path={dbg}",
               "-device", "isa-debugcon,iobase=0x402,chardev=dbg",
               "-device", f"isa-debug-exit,iobase={harness.EXIT_PORT:#x},iosize=4",
               "-serial", f"file:{ser}", "-monitor", "none",
               "-netdev", "user,id=n0,restrict=on",
               "-device", f"{NICS['e1000']},netdev=n0,addr=0x3",
               "-netdev", f"user,id=n1,restrict=on,tftp={tftp_root},bootfile=pxelinux.0",
               "-device", f"{NICS['virtio']},netdev=n1,addr=0x4"]

        def read(path):
            try:
                with open(path, "rb") as f:
                    return f.read().decode("latin-1")
            except FileNotFoundError:
                return ""
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        try:
            end = time.monotonic() + PXE_TIMEOUT
            gave_up = None
            while p.poll() is None and time.monotonic() < end:
                serial, debug = read(ser), read(dbg)
                if "KELP-INIT done" in serial:
                    break
                # Kelp shows iPXE's messages on COM1: once the first iPXE
                # has given up, the second BEV must follow soon.
                if gave_up is None and "No more network devices" in serial:
                    gave_up = time.monotonic()
                if (gave_up is not None and time.monotonic() - gave_up > 15
                        and "00:04.0)..." not in debug):
                    break
                time.sleep(0.2)
            try:
                status = p.wait(10)
            except subprocess.TimeoutExpired:
                status = None
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        serial, debug = read(ser), read(dbg)
    where = f"\n--- debug log ---\n{tail(debug)}\n--- serial ---\n{tail(serial)}"
    assert "KELP-INIT done" in serial, "the second NIC did not boot Linux" + where
    assert status == harness.EXIT_OK_STATUS, f"exit status {status}" + where
    if fw == "kelp":
        first = debug.find("Booting from iPXE (PCI 00:03.0)")
        second = debug.find("Booting from iPXE (PCI 00:04.0)")
        assert 0 <= first < second, where


def nic_args(count):
    args = []
    for i in range(count):
        slot = FIRST_NIC_SLOT + i
        args += ["-netdev", f"user,id=n{i},restrict=on",
                 "-device", f"{CROWD[i % len(CROWD)]},netdev=n{i},addr={slot:#x}"]
    return args


@pytest.mark.parametrize("count", [6, 24])
def test_crowded_rom_window(count):
    res = harness.run_qemu(harness.KELP, [
        "-device", "VGA,addr=0x2",
        "-drive", f"file={LINUX_IMG},format=raw,if=ide,snapshot=on"] + nic_args(count),
        timeout=PXE_TIMEOUT, memory=MEMORY, icount=False)
    log = res.debug
    where = f"\n--- debug log ---\n{tail(log, 6000)}\n--- serial ---\n{tail(res.serial, 2000)}"
    assert "KELP-INIT done" in res.serial, "the disk did not boot to the end" + where
    assert res.status == harness.EXIT_OK_STATUS, f"exit status {res.status}" + where
    assert "Booting from Hard Disk 80" in log, where
    assert "rom: running ROM of 00:02.0 at c000:0003" in log, "the VGA BIOS is not first" + where

    nics = [f"00:{FIRST_NIC_SLOT + i:02x}.0" for i in range(count)]
    ran = {n for n in nics if f"running ROM of {n} " in log}
    no_room = {n for n in nics if re.search(rf"rom: no room for .*ROM of {re.escape(n)}\b", log)}
    booted = {m.group(1).lower() for m in re.finditer(
        r"^boot \d+: iPXE \(PCI ([0-9A-Fa-f:.]+)\)", log, re.M)}
    assert not (ran & no_room), f"{sorted(ran & no_room)} both ran and did not fit" + where
    unaccounted = sorted(set(nics) - ran - no_room)
    assert not unaccounted, f"ROMs neither run nor reported: {unaccounted}" + where
    assert booted == ran, \
        f"boot entries {sorted(booted)} differ from the ROMs that ran {sorted(ran)}" + where
    first = re.search(r"^boot 1: (.*)$", log, re.M)
    assert first and "hard disk 80" in first.group(1).lower(), \
        f"first boot entry: {first and first.group(1)}" + where

    space = re.search(r"rom: option ROM space used ([0-9a-f]+)-([0-9a-f]+), (\d+) KiB free", log)
    conv = re.search(r"conventional memory: (\d+) KiB free", log)
    assert space and conv, "the ROM space or conventional memory summary is missing" + where
    top = int(space.group(2), 16)
    assert 0xC0000 < top <= 0xF0000, f"ROM space ends at {top:#x}" + where
    assert int(conv.group(1)) >= 512, f"only {conv.group(1)} KiB of conventional memory" + where
    if (count - 1) * IPXE_KEPT_KIB + VGA_KIB + IPXE_INIT_KIB > WINDOW_KIB:
        assert no_room, "more ROMs than the window can hold, yet none was left out" + where
    summary = (f"{count} NIC ROMs: {len(ran)} ran, did not fit: {sorted(no_room) or 'none'}; "
               f"option ROM space {space.group(1)}-{space.group(2)} used, "
               f"{space.group(3)} KiB free; conventional memory {conv.group(1)} KiB free")
    print(summary)
