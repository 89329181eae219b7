"""Text on a real VGA screen: a boot sector prints through INT 10h, QEMU
takes a screendump, and the picture is checked against the text memory.

Two display adapters, each with the VGA BIOS QEMU puts behind its ROM BAR:
`-device VGA` (SeaVGABIOS for the Bochs/QEMU standard VGA) and `-vga cirrus`
(SeaVGABIOS for the Cirrus Logic GD5446).  The same runs on SeaBIOS show that
the boot sector and the checks are right.

For each run:
- the boot sector prints a few lines with INT 10h 0Eh (teletype) and one
  line at a fixed place (02h set cursor, 09h character with attribute),
  then says "VGA-TEST ready" on the debug console and waits;
- the test saves the screen over QMP (screendump, a PPM file), writes it
  out as out/test/vga-<firmware>-<adapter>.png for a person to look at, and
  reads the text memory at B8000h and the cursor position from the BDA
  (pmemsave);
- the text memory must hold the boot sector's lines and the firmware's
  "Booting from Hard Disk" line, and the picture must show a glyph in
  exactly the character cells that hold a visible character (the cursor's
  cell aside), so the screen really shows what the text memory says.

Also: with two legacy VGA adapters only one VGA BIOS may own INT 10h (the
text must still reach text memory and a screen), and without any VGA
adapter the firmware's INT 10h on the serial console must show coloured
text (AH=09h, then AH=0Eh on the same character) once, not twice.
"""
import os
import re
import struct
import subprocess
import zlib

import pytest

import harness
from harness import LiveQemu

FIRMWARES = {"kelp": harness.KELP, "seabios": harness.SEABIOS}
ADAPTERS = {
    "stdvga": ["-device", "VGA"],
    "cirrus": ["-vga", "cirrus"],
}
# PCI vendor:device each adapter shows at 00:02.0.
ADAPTER_IDS = {"stdvga": (0x1234, 0x1111), "cirrus": (0x1013, 0x00B8)}
COLS, ROWS = 80, 25
READY_TIMEOUT = 30

# What the boot sector prints; checked in the text memory.
TELETYPE_LINES = [
    "KELP-VGA line one: printed with INT 10h AH=0Eh",
    "KELP-VGA line two: 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "KELP-VGA line three: the quick brown fox jumps over the lazy dog",
]
PLACED_ROW, PLACED_COL = 20, 10
PLACED_TEXT = "KELP-VGA placed at row 20"
PLACED_ATTR = 0x1E          # yellow on blue
CURSOR_ROW = 22             # where the boot sector leaves the cursor

BOOT_SECTOR = r"""
    .code16
    .globl _start
_start:
    cli
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw $0x7000, %sp
    sti
    movw $lines, %si
    call teletype
    /* AH=02h: cursor to the fixed place, then AH=09h one character at a
     * time with an attribute, moving the cursor by hand. */
    movb $@COL@, %dl
    movw $placed, %si
1:  lodsb
    testb %al, %al
    jz 2f
    pushw %ax
    movb $0x02, %ah
    xorb %bh, %bh
    movb $@ROW@, %dh
    int $0x10
    popw %ax
    movb $0x09, %ah
    xorb %bh, %bh
    movb $@ATTR@, %bl
    movw $1, %cx
    int $0x10
    incb %dl
    jmp 1b
2:  /* Leave the cursor on the line after the teletype text. */
    movb $0x02, %ah
    xorb %bh, %bh
    movw $0x0000, %dx
    movb $@CURSOR_ROW@, %dh
    int $0x10
    movw $ready, %si
3:  lodsb
    testb %al, %al
    jz 4f
    movw $0x402, %dx
    outb %al, %dx
    jmp 3b
4:  hlt
    jmp 4b

teletype:
    lodsb
    testb %al, %al
    jz 5f
    movb $0x0e, %ah
    movw $0x0007, %bx
    int $0x10
    jmp teletype
5:  ret

lines:  .ascii "@LINES@"
        .byte 0
placed: .asciz "@PLACED@"
ready:  .asciz "VGA-TEST ready\n"
    .org 510
    .byte 0x55, 0xaa
"""


@pytest.fixture(scope="module")
def boot_disk(tmp_path_factory):
    d = tmp_path_factory.mktemp("vga")
    lines = "".join(l + "\\r\\n" for l in TELETYPE_LINES)
    src = (BOOT_SECTOR.replace("@LINES@", lines).replace("@PLACED@", PLACED_TEXT)
           .replace("@ROW@", str(PLACED_ROW)).replace("@COL@", str(PLACED_COL))
           .replace("@ATTR@", f"{PLACED_ATTR:#x}").replace("@CURSOR_ROW@", str(CURSOR_ROW)))
    (d / "b.S").write_text(src)
    subprocess.run(["as", "--32", "-o", str(d / "b.o"), str(d / "b.S")], check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-Ttext", "0x7c00", "--oformat", "binary",
                    "-o", str(d / "b.bin"), str(d / "b.o")], check=True)
    disk = d / "disk.img"
    with open(disk, "wb") as f:
        f.write((d / "b.bin").read_bytes())
        f.truncate(1 << 20)
    return str(disk)


# ---- pictures ----

def read_ppm(path):
    """(width, height, RGB bytes) of a binary PPM (P6, maxval 255)."""
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1                    # the single blank after maxval
    magic, w, h, maxval = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    assert magic == b"P6" and maxval == 255, f"unexpected PPM header {fields}"
    pixels = data[pos:pos + w * h * 3]
    assert len(pixels) == w * h * 3, "short PPM file"
    return w, h, pixels


def write_png(path, w, h, rgb):
    """An 8-bit RGB PNG, every row with filter type 0."""
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    stride = w * 3
    raw = b"".join(b"\0" + rgb[y * stride:(y + 1) * stride] for y in range(h))
    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9))
           + chunk(b"IEND", b""))
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(png)
    os.replace(tmp, path)


def inked_cells(w, h, rgb):
    """Set of (row, col) text cells whose pixels are not all one colour,
    i.e. cells where a glyph (or the cursor) is drawn."""
    cw, ch = w // COLS, h // ROWS
    stride = w * 3
    cells = set()
    for r in range(ROWS):
        for c in range(COLS):
            first = None
            for y in range(r * ch, (r + 1) * ch):
                row = rgb[y * stride + c * cw * 3:y * stride + (c + 1) * cw * 3]
                if first is None:
                    first = row[:3]
                if row != first * cw:
                    cells.add((r, c))
                    break
    return cells


# ---- the text screen ----

def text_screen(mem):
    """The 25 rows of the colour text page: (characters, attributes)."""
    chars = [bytes(mem[(r * COLS + c) * 2] for c in range(COLS)) for r in range(ROWS)]
    attrs = [bytes(mem[(r * COLS + c) * 2 + 1] for c in range(COLS)) for r in range(ROWS)]
    return chars, attrs


def visible_cells(chars, attrs):
    """Cells that must show ink: a character with a glyph, drawn in a
    foreground colour different from its background."""
    cells = set()
    for r in range(ROWS):
        for c in range(COLS):
            ch, at = chars[r][c], attrs[r][c]
            if ch in (0x00, 0x20, 0xFF):
                continue
            if (at & 0x0F) == ((at >> 4) & 0x07):
                continue
            cells.add((r, c))
    return cells


def screen_text(chars):
    return [r.decode("cp437").rstrip() for r in chars]


def grab(fw, adapter, disk, tmp_path, args=None, screen=None):
    """Boot, wait for the boot sector, then dump the screen (of the display
    device with id screen, or the first one) and memory."""
    if args is None:
        args = ADAPTERS[adapter]
    q = LiveQemu(FIRMWARES[fw], args + [
        "-drive", f"file={disk},format=raw,if=ide,snapshot=on"], icount=True)
    try:
        if not q.wait_for(r"VGA-TEST ready", READY_TIMEOUT):
            pytest.fail(f"the boot sector never said it was ready:\n{q.debug()[-3000:]}")
        ppm = str(tmp_path / "screen.ppm")
        textmem = str(tmp_path / "text.bin")
        bda = str(tmp_path / "bda.bin")
        if screen:
            q.qmp("screendump", filename=ppm, device=screen)
        else:
            q.qmp("screendump", filename=ppm)
        q.qmp("pmemsave", val=0xB8000, size=COLS * ROWS * 2, filename=textmem)
        q.qmp("pmemsave", val=0x400, size=0x100, filename=bda)
        pci = [(d["bus"], d["slot"], d["function"], d["id"]["vendor"], d["id"]["device"])
               for b in q.qmp("query-pci") for d in b["devices"]]
        debug = q.debug()
    finally:
        q.close()
    with open(textmem, "rb") as f:
        mem = f.read()
    with open(bda, "rb") as f:
        bdamem = f.read()
    w, h, rgb = read_ppm(ppm)
    os.makedirs(os.path.join(harness.OUT, "test"), exist_ok=True)
    png = os.path.join(harness.OUT, "test", f"vga-{fw}-{adapter}.png")
    write_png(png, w, h, rgb)
    return {"w": w, "h": h, "rgb": rgb, "mem": mem, "bda": bdamem, "png": png,
            "debug": debug, "pci": pci}


@pytest.mark.parametrize("adapter", sorted(ADAPTERS))
@pytest.mark.parametrize("fw", sorted(FIRMWARES))
def test_boot_sector_text_on_screen(fw, adapter, boot_disk, tmp_path):
    if not os.path.exists(FIRMWARES[fw]):
        pytest.skip(f"{FIRMWARES[fw]} does not exist")
    s = grab(fw, adapter, boot_disk, tmp_path)
    check_text_screen(s, fw, adapter)


def check_text_screen(s, fw, adapter, slot=2):
    """The checks of one grab() result; slot is the adapter's PCI device
    number. Also used by the Xen tests (tests/qemu/test_xen.py)."""
    chars, attrs = text_screen(s["mem"])
    text = screen_text(chars)
    shown = "\n".join(f"{i:2d}|{t}" for i, t in enumerate(text))
    where = f"(screen saved as {s['png']})\ntext memory:\n{shown}"

    vendor, device = ADAPTER_IDS[adapter]
    assert (0, slot, 0, vendor, device) in s["pci"], \
        f"no {adapter} at 00:{slot:02x}.0: {s['pci']}"
    if fw == "kelp":
        assert f"rom: running ROM of 00:{slot:02x}.0 at c000:0003" in s["debug"], \
            s["debug"][-3000:]
        assert "SeaVGABIOS" in s["debug"]

    # The adapter is in 80x25 text mode: BDA mode byte 3, 80 columns, and
    # a picture whose size is a whole number of character cells.
    assert s["bda"][0x49] == 0x03, f"video mode {s['bda'][0x49]:#x}, not 03h {where}"
    assert struct.unpack_from("<H", s["bda"], 0x4A)[0] == COLS
    assert s["w"] % COLS == 0 and s["h"] % ROWS == 0 and s["h"] // ROWS >= 8, \
        f"screendump is {s['w']}x{s['h']}, not a text screen {where}"

    # The text memory holds what was printed, in order and in place.
    rows = {}
    for line in TELETYPE_LINES:
        hits = [i for i, t in enumerate(text) if t == line]
        assert hits, f"{line!r} is not on the screen {where}"
        rows[line] = hits[0]
    order = [rows[l] for l in TELETYPE_LINES]
    assert order == list(range(order[0], order[0] + len(order))), \
        f"the teletype lines are not on consecutive rows: {order} {where}"
    placed = text[PLACED_ROW][PLACED_COL:PLACED_COL + len(PLACED_TEXT)]
    assert placed == PLACED_TEXT, f"row {PLACED_ROW} holds {placed!r} {where}"
    assert set(attrs[PLACED_ROW][PLACED_COL:PLACED_COL + len(PLACED_TEXT)]) == {PLACED_ATTR}
    booting = [i for i, t in enumerate(text) if "Booting from Hard Disk" in t]
    assert booting, f"the firmware's 'Booting from Hard Disk' line is not on the screen {where}"
    assert booting[0] < order[0], \
        f"'Booting from Hard Disk' (row {booting[0]}) is not above the boot sector's text {where}"
    if fw == "kelp":
        assert any(t.startswith("Kelp BIOS") for t in text), f"no Kelp banner {where}"

    # The picture shows ink in exactly the cells that hold a visible
    # character; only the cursor's cell may differ.
    want = visible_cells(chars, attrs)
    got = inked_cells(s["w"], s["h"], s["rgb"])
    cursor = (s["bda"][0x51], s["bda"][0x50])
    missing = sorted(want - got - {cursor})
    extra = sorted(got - want - {cursor})
    assert not missing, f"cells with a character but no ink: {missing[:20]} {where}"
    assert not extra, f"cells with ink but no character: {extra[:20]} {where}"
    ink_rows = sorted({r for r, _ in got - {cursor}})
    text_rows = sorted({r for r, _ in want})
    assert ink_rows == text_rows
    needed = {rows[l] for l in TELETYPE_LINES} | {PLACED_ROW, booting[0]}
    assert needed <= set(ink_rows), f"rows {sorted(needed - set(ink_rows))} are blank {where}"
    print(f"{fw}/{adapter}: {s['w']}x{s['h']} screen, {len(ink_rows)} rows of text, "
          f"{len(got)} inked cells; saved {s['png']}")


SECOND_VGA_BUG = ("Kelp runs the ROM of every VGA-class device, not only the first "
                  "(src/post/optionroms.c, optionroms_run); the second VGA BIOS takes "
                  "INT 10h over and the boot sector's text never reaches text memory")


@pytest.mark.parametrize("fw", [
    "kelp",
    "seabios"])
def test_two_vga_adapters_one_vga_bios(fw, boot_disk, tmp_path):
    """Two legacy VGA adapters (stdvga, then Cirrus): one VGA BIOS serves
    INT 10h, and the text printed through it is in text memory and on one
    of the two screens."""
    if not os.path.exists(FIRMWARES[fw]):
        pytest.skip(f"{FIRMWARES[fw]} does not exist")
    args = ["-device", "VGA,id=vga0", "-device", "cirrus-vga,id=vga1"]
    shots = {}
    for scr in ("vga0", "vga1"):
        d = tmp_path / scr
        d.mkdir()
        shots[scr] = grab(fw, f"two-{scr}", boot_disk, d, args=args, screen=scr)
    s = shots["vga0"]
    if fw == "kelp":
        ran = re.findall(r"rom: running ROM of (\S+) ", s["debug"])
        assert ran == ["00:02.0"], f"VGA ROMs run: {ran}"
    chars, attrs = text_screen(s["mem"])
    text = screen_text(chars)
    shown = "\n".join(f"{i:2d}|{t}" for i, t in enumerate(text))
    for line in TELETYPE_LINES:
        assert line in text, f"{line!r} is not in text memory:\n{shown}"
    want = visible_cells(chars, attrs)
    cursor = (s["bda"][0x51], s["bda"][0x50])
    on = [scr for scr, g in shots.items()
          if g["w"] % COLS == 0 and g["h"] % ROWS == 0
          and inked_cells(g["w"], g["h"], g["rgb"]) - {cursor} == want - {cursor}]
    assert on, f"neither screen shows the text memory (saved {[g['png'] for g in shots.values()]})"


# ---- INT 10h on the serial console (no VGA adapter) ----

# Coloured text the way iPXE's console and other programs print it: for each
# character, AH=09h writes it with an attribute at the cursor (which does
# not move), then AH=0Eh writes it again and moves the cursor on.  On a
# screen the second write lands on the same cell.
COLOUR_TEXT = "KELP-COLOUR"
SERIAL_SECTOR = r"""
    .code16
    .globl _start
_start:
    cli
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %ss
    movw $0x7000, %sp
    sti
    movw $text, %si
1:  lodsb
    testb %al, %al
    jz 2f
    movb $0x09, %ah
    movw $0x000f, %bx
    movw $1, %cx
    int $0x10
    movb $0x0e, %ah
    movw $0x0007, %bx
    int $0x10
    jmp 1b
2:  movw $tail, %si
3:  lodsb
    testb %al, %al
    jz 4f
    movb $0x0e, %ah
    movw $0x0007, %bx
    int $0x10
    jmp 3b
4:  movb $0x10, %al
    outb %al, $0xf4
5:  hlt
    jmp 5b
text: .asciz "@TEXT@"
tail: .asciz " plain\r\n"
    .org 510
    .byte 0x55, 0xaa
"""


def terminal_lines(data):
    """What a terminal shows for this output: carriage return, line feed,
    backspace and the CSI cursor moves left/right (ESC [ n D / C) are
    followed, other escape sequences dropped; later characters overwrite
    earlier ones."""
    lines, line, col, i = [], [], 0, 0
    while i < len(data):
        c = data[i]
        i += 1
        if c == "\r":
            col = 0
        elif c == "\n":
            lines.append("".join(line).rstrip())
            line, col = [], 0
        elif c == "\b":
            col = max(col - 1, 0)
        elif c == "\x1b":
            if i < len(data) and data[i] == "[":
                j = i + 1
                while j < len(data) and not data[j].isalpha():
                    j += 1
                arg, cmd = data[i + 1:j], data[j:j + 1]
                n = int(arg) if arg.isdigit() else 1
                if cmd == "D":
                    col = max(col - n, 0)
                elif cmd == "C":
                    col += n
                i = j + 1
        elif c >= " ":
            line += [" "] * (col + 1 - len(line))
            line[col] = c
            col += 1
    if line:
        lines.append("".join(line).rstrip())
    return lines


def test_serial_console_colour_text_once(tmp_path):
    src = SERIAL_SECTOR.replace("@TEXT@", COLOUR_TEXT)
    (tmp_path / "s.S").write_text(src)
    subprocess.run(["as", "--32", "-o", str(tmp_path / "s.o"), str(tmp_path / "s.S")],
                   check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-Ttext", "0x7c00", "--oformat", "binary",
                    "-o", str(tmp_path / "s.bin"), str(tmp_path / "s.o")], check=True)
    disk = tmp_path / "disk.img"
    with open(disk, "wb") as f:
        f.write((tmp_path / "s.bin").read_bytes())
        f.truncate(1 << 20)
    res = harness.run_qemu(harness.KELP, [
        "-drive", f"file={disk},format=raw,if=ide,snapshot=on"], timeout=30)
    assert res.status == harness.EXIT_OK_STATUS, res.debug[-2000:]
    shown = terminal_lines(res.serial)
    want = COLOUR_TEXT + " plain"
    assert want in shown, f"the terminal shows {shown[-5:]!r}, not {want!r}"
