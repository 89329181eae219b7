"""Static checks of the firmware image out/bios.bin (built by `make test`).

The image is 128 KiB: the 32-bit POST blob in the first 64 KiB, the
F-segment in the last 64 KiB. Old software reaches the BIOS at IBM's fixed
F000 offsets (docs: bios-data.md section 5), so each of those offsets must
hold either the entry code itself, a jump that ends in a far jump into the
runtime segment, or the documented table. The linker's symbol tables
(out/rt16.elf, out/post32.elf) are used to check that the jumps land where
the runtime's entry stubs really are.
"""
import os
import re
import struct
import subprocess

import pytest

import harness

RT16_ELF = os.path.join(harness.OUT, "rt16.elf")
RT16_BIN = os.path.join(harness.OUT, "rt16.bin")
POST32_ELF = os.path.join(harness.OUT, "post32.elf")
POST32_BIN = os.path.join(harness.OUT, "post32.bin")
LAYOUT_H = os.path.join(harness.ROOT, "src", "layout.h")

IMAGE_SIZE = 0x20000
SEG = 0x10000
RTSEG = 0xEE00
RT_CODE_OFF = 0x2000         # RTSEG offset of F000:0000
POST_BASE = 0x100000

# Fixed entry point -> interrupt vector it serves (bios-data.md, sections 2
# and 5). Every one of them must reach the runtime through a far jump.
ENTRIES = {
    0xE2C3: "02",   # NMI
    0xE3FE: "13",   # hard disk
    0xE6F2: "19",   # bootstrap
    0xE739: "14",   # serial
    0xE82E: "16",   # keyboard
    0xE987: "09",   # keyboard IRQ
    0xEC59: "40",   # diskette
    0xEF57: "0e",   # diskette IRQ
    0xEFD2: "17",   # printer
    0xF065: "10",   # video
    0xF841: "12",   # memory size
    0xF84D: "11",   # equipment
    0xF859: "15",   # system services
    0xFE6E: "1a",   # time of day
    0xFEA5: "08",   # timer IRQ
    0xFF54: "05",   # print screen
}
RESET_ENTRY = 0xE05B
DUMMY_IRET = 0xFF53


@pytest.fixture(scope="module")
def image():
    if not os.path.exists(harness.KELP):
        pytest.skip("out/bios.bin does not exist yet (build the firmware with make)")
    with open(harness.KELP, "rb") as f:
        return f.read()


@pytest.fixture(scope="module")
def fseg(image):
    return image[SEG:]


def nm(elf):
    """name -> (address, type letter) from the ELF's symbol table."""
    if not os.path.exists(elf):
        pytest.skip(f"{elf} does not exist yet (build the firmware with make)")
    out = subprocess.run(["nm", elf], check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = (int(parts[0], 16), parts[1])
    return syms


@pytest.fixture(scope="module")
def rt_syms():
    return nm(RT16_ELF)


@pytest.fixture(scope="module")
def post_syms():
    return nm(POST32_ELF)


def layout_define(name):
    with open(LAYOUT_H) as f:
        m = re.search(r"^#define\s+%s\s+(\S+)" % re.escape(name), f.read(), re.M)
    assert m, f"{name} is not defined in src/layout.h"
    return m.group(1)


def follow(fseg, off, max_hops=4):
    """Decode the 16-bit instruction at F000:off, following short and near
    jumps. Returns ("far", seg, offset, path), ("iret", None, None, path) or
    ("other", opcode, None, path); path lists every offset visited."""
    path = [off]
    for _ in range(max_hops + 1):
        op = fseg[off]
        if op == 0xEB:                                  # JMP rel8
            off = (off + 2 + struct.unpack_from("<b", fseg, off + 1)[0]) & 0xFFFF
        elif op == 0xE9:                                # JMP rel16
            off = (off + 3 + struct.unpack_from("<h", fseg, off + 1)[0]) & 0xFFFF
        elif op == 0xEA:                                # JMP ptr16:16
            target, seg = struct.unpack_from("<HH", fseg, off + 1)
            return "far", seg, target, path
        elif op == 0xCF:
            return "iret", None, None, path
        else:
            return "other", op, None, path
        path.append(off)
    return "loop", None, None, path


def hexpath(path):
    return " -> ".join(f"F000:{p:04X}" for p in path)


# ---- whole image ------------------------------------------------------

def test_image_size(image):
    assert len(image) == IMAGE_SIZE


def test_fsegment_checksum(fseg):
    assert sum(fseg) % 256 == 0, f"F-segment sums to {sum(fseg) % 256:#04x}, not 0"


def test_fsegment_is_the_runtime_link(fseg):
    """The F-segment is out/rt16.bin unchanged but for the checksum byte."""
    if not os.path.exists(RT16_BIN):
        pytest.skip("out/rt16.bin does not exist")
    with open(RT16_BIN, "rb") as f:
        rt = f.read()
    assert len(rt) == SEG
    diff = [i for i in range(SEG - 1) if rt[i] != fseg[i]]
    assert not diff, f"F-segment differs from rt16.bin at {len(diff)} offsets, first {diff[0]:#x}"


# ---- reset vector, date, model ---------------------------------------

def test_reset_vector_far_jumps_to_e05b(fseg):
    assert fseg[0xFFF0] == 0xEA, f"F000:FFF0 holds {fseg[0xFFF0]:#04x}, not a far jump"
    off, seg = struct.unpack_from("<HH", fseg, 0xFFF1)
    assert (seg, off) == (0xF000, RESET_ENTRY), f"reset vector jumps to {seg:04X}:{off:04X}"


def test_reset_entry_symbol(rt_syms, post_syms):
    """fx_reset is linked at F000:E05B, and POST sees it at its linear address."""
    assert rt_syms["fx_reset"][0] == RESET_ENTRY
    assert post_syms["fx_reset"][0] == 0xF0000 + RESET_ENTRY


def test_reset_code_starts_with_cli(fseg):
    assert fseg[RESET_ENTRY] == 0xFA, \
        f"F000:E05B starts with {fseg[RESET_ENTRY]:#04x}, expected CLI (FAh)"


def test_bios_date(fseg):
    date = fseg[0xFFF5:0xFFFD].decode("ascii")
    m = re.fullmatch(r"(\d\d)/(\d\d)/(\d\d)", date)
    assert m, f"F000:FFF5 holds {date!r}, not MM/DD/YY"
    month, day = int(m.group(1)), int(m.group(2))
    assert 1 <= month <= 12 and 1 <= day <= 31, f"impossible date {date!r}"
    assert f'"{date}"' == layout_define("BIOS_DATE"), "date differs from BIOS_DATE in layout.h"


def test_model_byte(fseg):
    assert fseg[0xFFFE] == 0xFC, f"model byte is {fseg[0xFFFE]:#04x}, expected FCh (AT)"


# ---- fixed entry points ----------------------------------------------

@pytest.mark.parametrize("off", sorted(ENTRIES), ids=lambda o: f"F000_{o:04X}")
def test_fixed_entry_reaches_runtime(fseg, rt_syms, off):
    kind, seg, target, path = follow(fseg, off)
    assert kind == "far", f"{hexpath(path)} does not end in a far jump ({kind}, {seg})"
    assert seg == RTSEG, f"{hexpath(path)} jumps to segment {seg:04X}, not {RTSEG:04X}"
    code_end = rt_syms["rt_code_end"][0]
    assert RT_CODE_OFF <= target < code_end, \
        f"{hexpath(path)} jumps to {seg:04X}:{target:04X}, outside the runtime code " \
        f"({RTSEG:04X}:{RT_CODE_OFF:04X}-{code_end:04X})"


@pytest.mark.parametrize("off", sorted(ENTRIES), ids=lambda o: f"F000_{o:04X}")
def test_fixed_entry_serves_its_vector(fseg, rt_syms, off):
    """The far jump lands on the runtime stub of the entry's own vector
    (rt_vec_<vector> in the runtime link)."""
    kind, seg, target, path = follow(fseg, off)
    assert kind == "far"
    name = "rt_vec_" + ENTRIES[off]
    assert name in rt_syms, f"the runtime link has no {name}"
    at = [n for n, (a, t) in rt_syms.items() if a == target and t in "Tt"]
    assert rt_syms[name][0] == target, \
        f"F000:{off:04X} (INT {ENTRIES[off]}h) reaches {seg:04X}:{target:04X} " \
        f"({', '.join(at) or 'no symbol'}), expected {name} at {rt_syms[name][0]:04X}"


def test_dummy_iret(fseg, rt_syms):
    assert fseg[DUMMY_IRET] == 0xCF, f"F000:FF53 holds {fseg[DUMMY_IRET]:#04x}, not IRET"
    assert rt_syms["fx_iret"][0] == DUMMY_IRET


def test_runtime_stubs_lie_in_the_fsegment(fseg, rt_syms):
    """The RTSEG stubs the entry points reach are inside the image: RTSEG
    offset X is F-segment offset X - 2000h, and that byte is real code."""
    for off in ENTRIES:
        _, _, target, _ = follow(fseg, off)
        img_off = target - RT_CODE_OFF
        assert 0 <= img_off < 0xE000
        assert fseg[img_off] not in (0x00, 0xFF), \
            f"runtime stub for F000:{off:04X} at F000:{img_off:04X} is blank"


# ---- fixed tables ----------------------------------------------------

def test_system_configuration_table(fseg, rt_syms):
    """INT 15h C0h table at F000:E6F5: length word 8, model FCh, submodel
    0, and feature byte 1 naming the slave PIC, the RTC and the EBDA."""
    assert rt_syms["fx_sysconf"][0] == 0xE6F5
    length, model, submodel, rev, feat1 = struct.unpack_from("<HBBBB", fseg, 0xE6F5)
    assert length == 8
    assert model == 0xFC == fseg[0xFFFE], "C0h table model differs from F000:FFFE"
    assert submodel == 0x00
    assert feat1 & 0x40, "feature byte 1 lacks the second interrupt controller"
    assert feat1 & 0x20, "feature byte 1 lacks the real-time clock"
    assert feat1 & 0x04, "feature byte 1 lacks the EBDA"
    assert not feat1 & 0x80, "feature byte 1 claims a dual-bus (Micro Channel) machine"


def test_diskette_parameter_table(fseg, rt_syms):
    """11-byte table at F000:EFC7 describing a 1.44 MB 3.5" diskette."""
    assert rt_syms["fx_dpt"][0] == 0xEFC7
    dpt = fseg[0xEFC7:0xEFC7 + 11]
    assert dpt[0] & 0x0F, "head unload time is zero"
    assert dpt[1] & 0x01 == 0, "DPT selects non-DMA mode"
    assert dpt[2] > 0, "motor-off delay is zero"
    assert dpt[3] == 2, f"bytes per sector code {dpt[3]}, expected 2 (512)"
    assert dpt[4] == 18, f"{dpt[4]} sectors per track, expected 18"
    assert dpt[5] == 0x1B, f"gap length {dpt[5]:#x}, expected 1Bh"
    assert dpt[6] == 0xFF, f"data length {dpt[6]:#x}, expected FFh"
    assert dpt[7] == 0x6C, f"format gap {dpt[7]:#x}, expected 6Ch"
    assert dpt[8] == 0xF6, f"format fill byte {dpt[8]:#x}, expected F6h"
    assert 0 < dpt[9] <= 0x0F, f"head settle time {dpt[9]} ms"
    assert 0 < dpt[10] <= 0x10, f"motor start time {dpt[10]}/8 s"


def test_baud_rate_divisors(fseg):
    """F000:E729: 8250 divisors for 110, 150, 300, ... 9600 baud."""
    divisors = struct.unpack_from("<8H", fseg, 0xE729)
    for baud, div in zip((110, 150, 300, 600, 1200, 2400, 4800, 9600), divisors):
        assert div == round(115200 / baud), f"{baud} baud divisor {div:#x}"


def test_fixed_symbols_exported_to_post(rt_syms, post_syms):
    """Every fx_* symbol of the runtime link appears in the POST link at
    F0000h plus its F000 offset; rtdata is at the same place in both."""
    fx = {n: a for n, (a, t) in rt_syms.items() if n.startswith("fx_")}
    assert fx
    for name, addr in fx.items():
        assert name in post_syms, f"{name} is not visible to POST"
        assert post_syms[name][0] == 0xF0000 + addr, f"{name}: POST sees {post_syms[name][0]:#x}"
    assert post_syms["rtdata"][0] == RTSEG * 16 + rt_syms["rtdata"][0]


# ---- POST blob --------------------------------------------------------

def test_post_blob_header(image, post_syms):
    length, magic = struct.unpack_from("<I4s", image, 4)
    assert magic == b"KELP", f"POST blob magic is {magic!r}"
    assert 0 < length <= SEG, f"POST blob length {length:#x} does not fit in 64 KiB"
    assert post_syms["post_start"][0] == POST_BASE
    assert length == post_syms["post_image_end"][0] - POST_BASE, \
        "blob length differs from the link's post_image_end"
    # The blob starts with a short jump over its header.
    assert image[0] == 0xEB and 12 <= 2 + image[1] < length, \
        f"POST blob starts with {image[0]:#04x} {image[1]:#04x}, not a jump over the header"


def test_post_blob_is_the_post_link(image):
    if not os.path.exists(POST32_BIN):
        pytest.skip("out/post32.bin does not exist")
    with open(POST32_BIN, "rb") as f:
        post = f.read()
    length = struct.unpack_from("<I", image, 4)[0]
    assert len(post) == length, f"post32.bin is {len(post)} bytes, header says {length}"
    assert image[:length] == post
    assert not any(image[length:SEG]), "bytes after the POST blob are not zero"
