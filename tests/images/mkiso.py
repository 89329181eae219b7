#!/usr/bin/python3
"""Build the El Torito CD images of the CD boot tests (out/test by default).

  linux-cd.iso      ISOLINUX (no-emulation boot) starting the same kernel
                    and initramfs as linux-ide.img (tests/images/mklinux.py),
                    taken out of that disk image, so the CD boot prints the
                    same "KELP-INIT " report
  cdprobe.iso       a small boot program, no emulation, 8 virtual sectors
  cdprobe-fd.iso    the same program as the boot sector of a 1.44 MB
                    floppy image (floppy emulation)
  cdprobe-fd.img    that floppy image itself, for a diskette drive
  cdprobe-hd.iso    the same program as the MBR of a small hard disk image
                    (hard disk emulation; 16 heads, 63 sectors per track)

The boot program asks the BIOS about the drive it was started from (INT 13h
4B01h, 41h, 08h, 15h, 48h), reads through it (42h on a CD; CHS on an
emulated drive, across CD block boundaries), tries a write, looks at the
drive numbers around it and ends QEMU through isa-debug-exit. Every result
is a "PROBE key=value" line on the debug console (port 0x402); fields of a
value are separated by ':', the first two are CF and AH after the call.
Sectors of the emulated images after the program carry a tag: "KELPSECT"
and the sector's number (little-endian dword).

A stamp file records the inputs; an up-to-date set is left alone, and
parallel callers build it once (a lock file).
"""
import argparse
import fcntl
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import mklinux  # noqa: E402  (kernel command line and image name)

ISOLINUX = "/usr/lib/ISOLINUX/isolinux.bin"
LDLINUX = "/usr/lib/syslinux/modules/bios/ldlinux.c32"

LINUX_ISO = "linux-cd.iso"
PROBE_ISO = "cdprobe.iso"
FLOPPY_ISO = "cdprobe-fd.iso"
FLOPPY_IMG = "cdprobe-fd.img"
HDD_ISO = "cdprobe-hd.iso"

PROBE_SECTORS = 8           # the program's size in 512-byte sectors
FLOPPY_BYTES = 1474560      # 80 x 2 x 18 x 512
HDD_HEADS, HDD_SPT, HDD_CYLS = 16, 63, 20
TAG = b"KELPSECT"

ISOLINUX_CFG = f"""\
SERIAL 0 115200
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL /vmlinuz
  INITRD /initrd.gz
  APPEND {mklinux.CMDLINE}
"""

# Real-mode boot program, linked at 0000:7C00. The first sector is complete
# on its own (it ends in 55AAh, with room for a partition table at 1BEh);
# when started from an emulated floppy or disk it reads its other sectors
# with INT 13h 02h, from a CD the BIOS has loaded all of them already.
# Its variables live below 7C00h so that its image stays as loaded.
PROBE_ASM = r"""
	.code16
	.set	DEBUG_PORT, 0x402
	.set	EXIT_PORT, 0xf4
	.set	NSECT, @NSECT@
	.set	drive, 0x500
	.set	r_flags, 0x502
	.set	r_ax, 0x504
	.set	r_bx, 0x506
	.set	r_cx, 0x508
	.set	r_dx, 0x50a
	.set	r_di, 0x50c
	.set	r_es, 0x50e
	.set	PKT, 0x600
	.set	EDD, 0x700
	.set	DAP, 0x800
	.set	BUF, 0x1000

	.text
	.globl	_start
_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0x7c00, %sp
	ljmp	$0, $1f
1:	sti
	cld
	movb	%dl, drive
	cmpb	$0xe0, %dl
	jae	main
	movw	$(0x0200 + NSECT - 1), %ax	/* the rest of the program, by CHS */
	movw	$0x0002, %cx
	xorb	%dh, %dh
	movw	$0x7e00, %bx
	int	$0x13
	jnc	main
	movw	$s_stage2, %si
	call	puts
	jmp	finish

s_stage2: .asciz "PROBE cd.stage2=err\n"
putc:	pushw	%dx
	movw	$DEBUG_PORT, %dx
	outb	%al, %dx
	popw	%dx
	ret
puts:	lodsb
	testb	%al, %al
	jz	1f
	call	putc
	jmp	puts
1:	ret
finish:	movb	$0x10, %al
	outb	%al, $EXIT_PORT
2:	cli
	hlt
	jmp	2b

	.org	0x1b8, 0
	.org	0x1fe, 0
	.byte	0x55, 0xaa

main:
	movw	$k_dl, %si
	call	key
	movb	drive, %al
	call	hex8
	call	nl

	/* 4B01h: the specification packet, 20 bytes shown (13h + 1 untouched) */
	movw	$PKT, %di
	movw	$0x20, %cx
	movb	$0xcc, %al
	rep stosb
	movw	$0x4b01, %ax
	movb	drive, %dl
	movw	$PKT, %si
	int	$0x13
	call	save
	movw	$k_4b01, %si
	call	key
	call	cfah
	movw	$PKT, %si
	movw	$0x14, %cx
	call	dump
	call	nl

	movb	$0x41, %ah
	movw	$0x55aa, %bx
	movb	drive, %dl
	int	$0x13
	call	save
	movw	$k_41, %si
	call	key
	call	cfah
	movw	r_bx, %ax
	call	hex16c
	movw	r_cx, %ax
	call	hex16c
	call	nl

	movb	$0x08, %ah
	movb	drive, %dl
	xorw	%di, %di
	int	$0x13
	call	save
	movw	$k_08, %si
	call	key
	call	cfah
	call	colon
	movb	r_bx, %al
	call	hex8
	movw	r_cx, %ax
	call	hex16c
	movw	r_dx, %ax
	call	hex16c
	movw	r_es, %ax
	call	hex16c
	movw	r_di, %ax
	call	hex16c
	call	nl

	movb	$0x15, %ah
	movb	drive, %dl
	int	$0x13
	call	save
	movw	$k_15, %si
	call	key
	call	cfah
	movw	r_cx, %ax
	call	hex16c
	movw	r_dx, %ax
	call	hex16c
	call	nl

	/* 48h with a T13 EDD-3 buffer; 4Ch bytes shown (2 past the size) */
	movw	$EDD, %di
	movw	$0x50, %cx
	movb	$0xcc, %al
	rep stosb
	movw	$0x4a, EDD
	movb	$0x48, %ah
	movb	drive, %dl
	movw	$EDD, %si
	int	$0x13
	call	save
	movw	$k_48, %si
	call	key
	call	cfah
	movw	$EDD, %si
	movw	$0x4c, %cx
	call	dump
	call	nl

	cmpb	$0xe0, drive
	jb	emulated

	/* 42h: the primary volume descriptor (block 16) */
	movl	$16, %eax
	movw	$BUF, %bx
	call	setdap
	movb	$0x42, %ah
	movb	drive, %dl
	movw	$DAP, %si
	int	$0x13
	call	save
	movw	$k_42, %si
	call	key
	call	cfah
	movw	DAP+2, %ax
	call	hex16c
	movw	$BUF, %si
	movw	$6, %cx
	call	dump
	call	nl

	/* the first block of this program, at the LBA 4B01h gave, is what
	 * the BIOS loaded */
	movl	PKT+4, %eax
	movw	$BUF, %bx
	call	setdap
	movb	$0x42, %ah
	movb	drive, %dl
	movw	$DAP, %si
	int	$0x13
	call	save
	movw	$k_self, %si
	call	key
	call	cfah
	call	colon
	movw	$BUF, %si
	movw	$0x7c00, %di
	movw	$1024, %cx
	repe cmpsw
	movb	$1, %al
	je	1f
	movb	$0, %al
1:	call	digit
	call	nl

	/* 43h: a CD is read-only */
	movl	$16, %eax
	movw	$BUF, %bx
	call	setdap
	movw	$0x4300, %ax
	movb	drive, %dl
	movw	$DAP, %si
	int	$0x13
	call	save
	movw	$k_43, %si
	call	key
	call	cfah
	call	nl

	/* the first hard disk, if there is one: its MBR disk signature */
	movb	$0x80, %dl
	movw	$k_hd80, %si
	call	mbrsig
	movw	$k_bda, %si
	call	key
	movb	0x475, %al
	call	hex8
	movw	0x410, %ax
	call	hex16c
	call	nl
	jmp	finish

emulated:
	/* cylinder 1, head 1, sector 2, four sectors: their tags */
	movw	$0x0204, %ax
	movw	$0x0102, %cx
	movb	$1, %dh
	movb	drive, %dl
	movw	$BUF, %bx
	int	$0x13
	call	save
	movw	$k_chs, %si
	call	key
	call	cfah
	call	colon
	movb	r_ax, %al
	call	hex8
	movw	$BUF+8, %si
	movw	$4, %cx
1:	call	colon
	movl	(%si), %eax
	call	hex32
	addw	$512, %si
	loop	1b
	call	nl

	/* writes fail */
	movw	$0x0301, %ax
	movw	$0x0001, %cx
	xorb	%dh, %dh
	movb	drive, %dl
	movw	$BUF, %bx
	int	$0x13
	call	save
	movw	$k_03, %si
	call	key
	call	cfah
	call	nl

	movw	$k_bda, %si
	call	key
	movb	0x475, %al
	call	hex8
	movw	0x410, %ax
	call	hex16c
	call	nl

	/* the next drive of the same kind is the first real one */
	movb	drive, %dl
	incb	%dl
	movw	$k_next, %si
	call	mbrsig

	/* 4B00h ends the emulation; 4B01h afterwards */
	movw	$0x4b00, %ax
	movb	drive, %dl
	movw	$PKT, %si
	int	$0x13
	call	save
	movw	$k_4b00, %si
	call	key
	call	cfah
	call	colon
	movb	0x475, %al
	call	hex8
	movw	0x410, %ax
	call	hex16c
	movw	$0x4b01, %ax
	movb	drive, %dl
	movw	$PKT, %si
	int	$0x13
	call	save
	call	colon
	call	cfah
	call	nl
	jmp	finish

/* DL = drive: read its sector 0 by CHS; "key=cf:ah:signature" */
mbrsig:	pushw	%si
	movw	$0x0201, %ax
	movw	$0x0001, %cx
	xorb	%dh, %dh
	movw	$BUF, %bx
	int	$0x13
	call	save
	popw	%si
	call	key
	call	cfah
	call	colon
	movl	BUF+0x1b8, %eax
	call	hex32
	jmp	nl

/* DAP for one block at LBA eax into 0000:bx */
setdap:	movw	$0x0010, DAP
	movw	$1, DAP+2
	movw	%bx, DAP+4
	movw	$0, DAP+6
	movl	%eax, DAP+8
	movl	$0, DAP+12
	ret

/* keep what an INT 13h call returned */
save:	pushf
	popw	r_flags
	movw	%ax, r_ax
	movw	%bx, r_bx
	movw	%cx, r_cx
	movw	%dx, r_dx
	movw	%di, r_di
	movw	%es, r_es
	xorw	%ax, %ax
	movw	%ax, %es
	ret

key:	pushw	%si
	movw	$s_probe, %si
	call	puts
	popw	%si
	call	puts
	movb	$'=', %al
	jmp	putc
nl:	movb	$'\n', %al
	jmp	putc
colon:	movb	$':', %al
	jmp	putc
/* "cf:ah" */
cfah:	movb	r_flags, %al
	andb	$1, %al
	call	digit
	call	colon
	movb	r_ax+1, %al
	jmp	hex8
/* ":" and a word */
hex16c:	pushw	%ax
	call	colon
	popw	%ax
hex16:	pushw	%ax
	movb	%ah, %al
	call	hex8
	popw	%ax
hex8:	pushw	%ax
	shrb	$4, %al
	call	digit
	popw	%ax
	andb	$0x0f, %al
digit:	addb	$'0', %al
	cmpb	$'9', %al
	jbe	putc
	addb	$('a' - '9' - 1), %al
	jmp	putc
hex32:	pushl	%eax
	shrl	$16, %eax
	call	hex16
	popl	%eax
	jmp	hex16
/* ":" and cx bytes at si in hex */
dump:	call	colon
1:	lodsb
	call	hex8
	loop	1b
	ret

s_probe: .asciz "PROBE "
k_dl:	.asciz	"cd.dl"
k_4b01:	.asciz	"cd.4b01"
k_4b00:	.asciz	"cd.4b00"
k_41:	.asciz	"cd.41"
k_08:	.asciz	"cd.08"
k_15:	.asciz	"cd.15"
k_48:	.asciz	"cd.48"
k_42:	.asciz	"cd.42"
k_43:	.asciz	"cd.43"
k_03:	.asciz	"cd.03"
k_self:	.asciz	"cd.self"
k_hd80:	.asciz	"cd.hd80"
k_chs:	.asciz	"cd.chs"
k_bda:	.asciz	"cd.bda"
k_next:	.asciz	"cd.next"
"""


def log(msg):
    print(f"mkiso: {msg}", flush=True)


def die(msg):
    print(f"mkiso: error: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def run(cmd, **kw):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    except FileNotFoundError:
        die(f"{cmd[0]} not found (run scripts/deps.sh)")
    if p.returncode != 0:
        die(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return p


def build_probe(tmp):
    """The boot program, padded to PROBE_SECTORS sectors."""
    src = os.path.join(tmp, "cdprobe.S")
    with open(src, "w") as f:
        f.write(PROBE_ASM.replace("@NSECT@", str(PROBE_SECTORS)))
    obj, elf, binf = (os.path.join(tmp, "cdprobe" + e) for e in (".o", ".elf", ".bin"))
    run(["gcc", "-m16", "-march=i386", "-fno-pic", "-nostdlib", "-c", "-o", obj, src])
    run(["ld", "-m", "elf_i386", "-nostdlib", "-Ttext=0x7c00", "-e", "_start",
         "-z", "noexecstack", "--no-warn-rwx-segments", "-o", elf, obj])
    run(["objcopy", "-O", "binary", "-j", ".text", elf, binf])
    with open(binf, "rb") as f:
        code = f.read()
    if len(code) > PROBE_SECTORS * 512:
        die(f"the boot program has {len(code)} bytes, more than {PROBE_SECTORS} sectors")
    if code[510:512] != b"\x55\xaa":
        die("the boot program's first sector does not end in 55AAh")
    return code + bytes(PROBE_SECTORS * 512 - len(code))


def tagged(size, code):
    """An image of size bytes: the program, then tagged sectors."""
    img = bytearray(size)
    img[:len(code)] = code
    for n in range(len(code) // 512, size // 512):
        img[n * 512:n * 512 + 12] = TAG + struct.pack("<I", n)
    return img


def chs_bytes(lba):
    c, rem = divmod(lba, HDD_HEADS * HDD_SPT)
    h, s = divmod(rem, HDD_SPT)
    return bytes((h, ((c >> 2) & 0xC0) | (s + 1), c & 0xFF))


def hdd_image(code):
    sectors = HDD_HEADS * HDD_SPT * HDD_CYLS
    img = tagged(sectors * 512, code)
    # One partition from the second track to the end: its end CHS gives
    # the BIOS the emulated geometry.
    start = HDD_SPT
    entry = (b"\x80" + chs_bytes(start) + b"\x06" + chs_bytes(sectors - 1)
             + struct.pack("<II", start, sectors - start))
    img[0x1BE:0x1CE] = entry
    return img


def mkisofs(iso, root, boot_args):
    run(["xorriso", "-as", "mkisofs", "-quiet", "-o", iso, "-V", "KELPCD",
         "-c", "boot.cat"] + boot_args + ["-R", "-J", root])


def build(out):
    for f in (ISOLINUX, LDLINUX):
        if not os.path.exists(f):
            die(f"{f} is missing (run scripts/deps.sh: packages isolinux, syslinux-common)")
    if not shutil.which("xorriso"):
        die("xorriso is missing (run scripts/deps.sh)")
    image = mklinux.ensure_image(out, die)
    stamp = os.path.join(out, ".mkiso.json")
    isos = [os.path.join(out, n) for n in (LINUX_ISO, PROBE_ISO, FLOPPY_ISO, HDD_ISO, FLOPPY_IMG)]
    inputs = {
        "script": mklinux.sha256_file(os.path.abspath(__file__)),
        "image": mklinux.sha256_file(image),
        "isolinux": mklinux.sha256_file(ISOLINUX),
        "ldlinux": mklinux.sha256_file(LDLINUX),
    }
    try:
        with open(stamp) as f:
            if json.load(f).get("inputs") == inputs and all(map(os.path.exists, isos)):
                log(f"CD images in {out} are up to date")
                return isos
    except (OSError, ValueError):
        pass

    with tempfile.TemporaryDirectory(dir=out, prefix=".mkiso-") as tmp:
        code = build_probe(tmp)
        made = []

        root = os.path.join(tmp, "linux")
        os.makedirs(os.path.join(root, "isolinux"))
        shutil.copyfile(ISOLINUX, os.path.join(root, "isolinux", "isolinux.bin"))
        shutil.copyfile(LDLINUX, os.path.join(root, "isolinux", "ldlinux.c32"))
        with open(os.path.join(root, "isolinux", "isolinux.cfg"), "w") as f:
            f.write(ISOLINUX_CFG)
        for name in ("vmlinuz", "initrd.gz"):
            mklinux.extract(image, name, os.path.join(root, name), die)
        made.append(os.path.join(tmp, LINUX_ISO))
        mkisofs(made[-1], root, ["-b", "isolinux/isolinux.bin", "-no-emul-boot",
                                 "-boot-load-size", "4", "-boot-info-table"])

        for iso, name, data, args in (
                (PROBE_ISO, "cdprobe.bin", code,
                 ["-no-emul-boot", "-boot-load-size", str(PROBE_SECTORS)]),
                (FLOPPY_ISO, "floppy.img", tagged(FLOPPY_BYTES, code), []),
                (HDD_ISO, "disk.img", hdd_image(code), ["-hard-disk-boot"])):
            root = os.path.join(tmp, iso + ".d")
            os.makedirs(root)
            with open(os.path.join(root, name), "wb") as f:
                f.write(data)
            made.append(os.path.join(tmp, iso))
            mkisofs(made[-1], root, ["-b", name] + args)
        made.append(os.path.join(tmp, FLOPPY_ISO + ".d", "floppy.img"))

        for src, dst in zip(made, isos):
            os.replace(src, dst)
    with open(stamp, "w") as f:
        json.dump({"inputs": inputs}, f, indent=1)
    log(f"built {', '.join(os.path.basename(i) for i in isos)} in {out}")
    return isos


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "out", "test"),
                    help="output directory, also where linux-ide.img is (default: out/test)")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, ".mkiso.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        build(out)


if __name__ == "__main__":
    main()
