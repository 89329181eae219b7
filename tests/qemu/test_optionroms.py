"""Option ROMs with real images: SeaVGABIOS behind a VGA ROM BAR, iPXE
behind a NIC's ROM BAR (a two-image ROM: x86 + EFI) booted through its
BEV over PXE, and QEMU's linuxboot ROM from fw_cfg genroms/ (-kernel)."""
import os
import re
import subprocess
import tempfile

import pytest

import harness

pytestmark = pytest.mark.skipif(not os.path.exists(harness.KELP),
                                reason="out/bios.bin not built")

IPXE_ROM = "/usr/lib/ipxe/qemu/efi-e1000.rom"
LINUX_IMG = os.path.join(harness.OUT, "test", "linux-ide.img")

# A boot program (boot sector or PXE network boot program, both start at
# 0000:7C00) that reports on the debug console and ends the run.
PAYLOAD = r"""
    .code16
    .globl _start
_start:
    cli
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %ss
    movw $0x7000, %sp
    movw $msg, %si
    call puts
    /* Teletype output through INT 10h 0Eh. */
    movw $tty, %si
7:  lodsb
    testb %al, %al
    jz 8f
    movb $0x0e, %ah
    movw $0x0007, %bx
    int $0x10
    jmp 7b
8:
    /* INT 10h 1A00h: a VGA BIOS answers AL=1Ah. */
    movw $0x1a00, %ax
    int $0x10
    movw $vga_no, %si
    cmpb $0x1a, %al
    jne 1f
    movw $vga_yes, %si
1:  call puts
    /* Look for the firmware's "Boot" message in colour text memory. */
    movw $0xb800, %ax
    movw %ax, %es
    xorw %di, %di
    movw $scr_no, %si
2:  cmpb $'B', %es:0(%di)
    jne 3f
    cmpb $'o', %es:2(%di)
    jne 3f
    cmpb $'o', %es:4(%di)
    jne 3f
    cmpb $'t', %es:6(%di)
    jne 3f
    movw $scr_yes, %si
    jmp 4f
3:  addw $2, %di
    cmpw $4000, %di
    jb 2b
4:  call puts
    movb $0x10, %al
    outb %al, $0xf4
5:  hlt
    jmp 5b
puts:
    lodsb
    testb %al, %al
    jz 6f
    movw $0x402, %dx
    outb %al, %dx
    jmp puts
6:  ret
msg:     .asciz "PAYLOAD-STARTED\n"
tty:     .asciz "TTY-OUT-VIA-INT10\r\n"
vga_yes: .asciz "PAYLOAD vga=1\n"
vga_no:  .asciz "PAYLOAD vga=0\n"
scr_yes: .asciz "PAYLOAD screen_boot_text=1\n"
scr_no:  .asciz "PAYLOAD screen_boot_text=0\n"
    .org 510
    .byte 0x55, 0xaa
"""


@pytest.fixture(scope="module")
def payload(tmp_path_factory):
    d = tmp_path_factory.mktemp("payload")
    src, obj, binf = d / "p.S", d / "p.o", d / "payload.bin"
    src.write_text(PAYLOAD)
    subprocess.run(["as", "--32", "-o", str(obj), str(src)], check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-Ttext", "0x7c00", "--oformat", "binary",
                    "-o", str(binf), str(obj)], check=True)
    disk = d / "disk.img"
    with open(disk, "wb") as f:
        f.write(binf.read_bytes())
        f.truncate(1 << 20)
    return {"dir": str(d), "bin": str(binf), "disk": str(disk)}


def payload_report(res):
    return dict(l.split("=", 1) for l in res.lines("PAYLOAD ") if "=" in l)


def test_vga_rom_runs_first_and_owns_int10(payload):
    res = harness.run_qemu(harness.KELP, [
        "-device", "VGA", "-drive", f"file={payload['disk']},format=raw,if=ide,snapshot=on"],
        timeout=60)
    assert res.status == harness.EXIT_OK_STATUS, res.debug[-3000:]
    assert "rom: running ROM of 00:02.0 at c000:0003" in res.debug
    assert "SeaVGABIOS" in res.debug
    rep = payload_report(res)
    assert rep.get("vga") == "1", "INT 10h 1A00h is not answered by the VGA BIOS"
    # Kelp's own messages reach the screen through the VGA BIOS.
    assert rep.get("screen_boot_text") == "1", "no 'Boot...' text on the VGA screen"


def test_without_vga_int10_is_not_a_vga_bios(payload):
    res = harness.run_qemu(harness.KELP, [
        "-drive", f"file={payload['disk']},format=raw,if=ide,snapshot=on"], timeout=60)
    assert res.status == harness.EXIT_OK_STATUS
    assert payload_report(res).get("vga") == "0"
    # With no VGA BIOS, INT 10h teletype output goes to the serial console,
    # and so do Kelp's own messages.
    assert "TTY-OUT-VIA-INT10" in res.serial, res.serial
    assert "Booting from Hard Disk" in res.serial


def test_pxe_boot_through_ipxe_bev(payload):
    """No disk: the NIC's iPXE ROM (x86 image of a two-image ROM) is
    initialised, shrinks to its runtime size using PMM, registers a BEV,
    and the BEV loads the boot program over TFTP from QEMU's user network."""
    tftp = payload["dir"]
    res = harness.run_qemu(harness.KELP, [
        "-netdev", f"user,id=n0,restrict=on,tftp={tftp},bootfile=payload.bin",
        "-device", f"e1000,netdev=n0,romfile={IPXE_ROM}"], timeout=120, icount=False)
    assert "PAYLOAD-STARTED" in res.debug, res.debug[-4000:] + res.serial[-2000:]
    assert res.status == harness.EXIT_OK_STATUS
    log = res.debug
    assert "boot entry (BEV)" in log and "iPXE" in log
    # iPXE keeps only its runtime part once PMM gave it memory.
    kept = re.search(r"rom: ROM of 00:02.0: (\d+) bytes at init, (\d+) kept", log)
    assert kept, log
    assert int(kept.group(1)) > 65536 and 0 < int(kept.group(2)) < 16384, kept.group(0)
    assert "pmm:" in log
    assert "Booting from iPXE" in log


def test_kernel_boot_through_linuxboot_rom(tmp_path):
    """QEMU -kernel: fw_cfg genroms/linuxboot_dma.bin is run, its BEV heads
    the boot list, and it starts the kernel, which reaches its init."""
    subprocess.run(["/usr/bin/python3", os.path.join(harness.ROOT, "tests/images/mklinux.py"),
                    "--out", os.path.dirname(LINUX_IMG)], check=True, capture_output=True)
    for name in ("vmlinuz", "initrd.gz"):
        subprocess.run(["mcopy", "-n", "-i", f"{LINUX_IMG}@@1M", f"::{name}",
                        str(tmp_path / name)], check=True)
    res = harness.run_qemu(harness.KELP, [
        "-kernel", str(tmp_path / "vmlinuz"), "-initrd", str(tmp_path / "initrd.gz"),
        "-append", "console=ttyS0,115200 panic=-1 quiet loglevel=3 nokaslr tsc=unstable"],
        timeout=150, memory="256M", icount=False)
    assert "KELP-INIT done" in res.serial, res.debug[-3000:] + res.serial[-3000:]
    assert "genroms/linuxboot" in res.debug
    first = [l for l in res.debug.splitlines() if l.startswith("boot 1:")]
    assert first and "BEV" in first[0], first


def nic_rom_ran(res):
    return "rom: running ROM of 00:03.0" in res.debug


@pytest.mark.parametrize("fwcfg,bootindex,runs", [
    ([], False, True),                                            # default: every ROM
    (["name=opt/kelp/rom-policy,string=vga"], False, False),      # VGA only
    (["name=opt/kelp/rom-policy,string=boot"], False, False),     # NIC not in the boot order
    (["name=opt/kelp/rom-policy,string=boot"], True, True),       # NIC in the boot order
    (["name=opt/kelp/rom/00:03.0,string=off"], False, False),     # per-device override
    (["name=opt/kelp/rom-policy,string=vga", "name=opt/kelp/rom/00:03.0,string=on"], False, True),
])
def test_rom_policy(payload, fwcfg, bootindex, runs):
    args = ["-device", "VGA", "-netdev", "user,id=n0,restrict=on",
            "-device", "e1000,netdev=n0,addr=3" + (",bootindex=1" if bootindex else ""),
            "-drive", f"file={payload['disk']},format=raw,if=ide,snapshot=on"]
    for f in fwcfg:
        args += ["-fw_cfg", f]
    res = harness.run_qemu(harness.KELP, args, timeout=60)
    assert res.status == harness.EXIT_OK_STATUS, res.debug[-2000:]
    assert "rom: running ROM of 00:02.0" in res.debug          # VGA always runs
    assert nic_rom_ran(res) == runs, [l for l in res.debug.splitlines() if l.startswith("rom:")]
    if not runs:
        assert "ROM not run (policy)" in res.debug
