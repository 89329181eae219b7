#!/usr/bin/python3
"""Write the seed inputs of the fuzz targets: small, meaningful examples of
what each parser reads (QEMU's and hvmloader's layouts, a real iPXE ROM's
headers), in the input format each harness in tests/fuzz/ documents.

    mkseeds.py CORPUS_DIR [--rom FILE]

Seeds go to CORPUS_DIR/<target>/<name>; files of other names (inputs a
fuzzer once crashed on, kept as regression seeds) are left alone. --rom
(default: Debian's /usr/lib/ipxe/qemu/efi-e1000.rom when present) derives
a compact two-image seed from a real PCI ROM: the legacy image cut down to
its first 512 bytes, and the header of the EFI image after it."""
import argparse
import os
import struct
import sys

DEFAULT_ROM = "/usr/lib/ipxe/qemu/efi-e1000.rom"


def sum8(b):
    return sum(b) & 0xFF


def seal(img, at=None):
    """Make the bytes sum to zero by adjusting the byte at `at` (last byte
    by default)."""
    img = bytearray(img)
    at = len(img) - 1 if at is None else at
    img[at] = (img[at] - sum8(img)) & 0xFF
    return img


# ---- option ROMs ----

def pcir(vendor, device, image_len, code_type=0, last=True, revision=3, device_list=0):
    return struct.pack("<4sHHHHB3sHHBBHHH", b"PCIR", vendor, device, device_list, 0x1C,
                       revision, b"\x00\x00\x02", image_len, 1, code_type,
                       0x80 if last else 0, 0, 0, 0)


def pnp(next_off=0, bcv=0, bev=0, product=0, manufacturer=0):
    h = bytearray(struct.pack("<4sBBHBBIHH3sBHHHHH", b"$PnP", 1, 2, next_off, 0, 0,
                              0x0000D041, manufacturer, product, b"\x02\x00\x00",
                              0xF4 if bev else 0x44, bcv, 0, bev, 0, 0))
    h[9] = (-sum8(h)) & 0xFF
    return bytes(h)


def legacy_image(vendor, device, sectors=1, pnp_headers=(), pnp_at=0x40, pcir_at=0x1C,
                 last=True, extra=(), checksum=True, device_list=0, revision=3):
    img = bytearray(512 * sectors)
    img[0:3] = bytes([0x55, 0xAA, sectors])
    img[3:6] = b"\xE9\x00\x00"                       # jmp init
    struct.pack_into("<HH", img, 0x18, pcir_at, pnp_at if pnp_headers else 0)
    img[pcir_at:pcir_at + 0x1C] = pcir(vendor, device, sectors, last=last,
                                       device_list=device_list, revision=revision)
    at = pnp_at
    for h in pnp_headers:
        img[at:at + len(h)] = h
        at += 0x20
    for off, data in extra:
        img[off:off + len(data)] = data
    return seal(img) if checksum else img


def rom_input(flags, vendor, device, rom):
    return struct.pack("<BHH", flags, vendor, device) + bytes(rom)


def ipxe_seed(path):
    """The first image of a real iPXE ROM cut to one sector (PnP vector and
    device list moved inside it), then the EFI image's headers."""
    d = open(path, "rb").read()
    if d[:2] != b"\x55\xAA":
        return None
    p = struct.unpack_from("<H", d, 0x18)[0]
    if d[p:p + 4] != b"PCIR":
        return None
    vendor, device, dlist = struct.unpack_from("<HHH", d, p + 4)
    ilen = struct.unpack_from("<H", d, p + 0x10)[0]
    img = bytearray(d[:512])
    img[2] = 1
    struct.pack_into("<H", img, p + 0x10, 1)
    # The rev 3 device list: copy the real one (if any) near the end.
    ids = []
    if dlist:
        at = p + dlist
        while at + 2 <= len(d) and len(ids) < 16:
            i = struct.unpack_from("<H", d, at)[0]
            if not i:
                break
            ids.append(i)
            at += 2
    list_at = 0x1C0
    for k, i in enumerate(ids + [0]):
        struct.pack_into("<H", img, list_at + 2 * k, i)
    struct.pack_into("<H", img, p + 8, list_at - p if ids else 0)
    # Keep the PnP header, with its boot vector inside the sector.
    q = struct.unpack_from("<H", img, 0x1A)[0]
    if q and img[q:q + 4] == b"$PnP":
        for field in (0x16, 0x1A):
            v = struct.unpack_from("<H", img, q + field)[0]
            if v >= 512:
                struct.pack_into("<H", img, q + field, 0x1B0)
        img[q + 9] = 0
        img[q + 9] = (-sum8(img[q:q + img[q + 5] * 16])) & 0xFF
    img[0x1B0] = 0xCB                                  # retf
    img = seal(img, 0x1FF)
    second = ilen * 512
    efi = bytearray(d[second:second + 0x40])
    if efi[:2] == b"\x55\xAA":
        ep = struct.unpack_from("<H", efi, 0x18)[0]
        if ep + 0x1C <= len(efi):
            struct.pack_into("<H", efi, ep + 0x10, 1)
    else:
        efi = b""
    return rom_input(0, vendor, device, img + efi)


def rom_seeds(rom_path):
    s = {}
    name_at = 0x60
    bev = legacy_image(0x8086, 0x100E, pnp_headers=[pnp(bev=0x1B0, product=name_at)],
                       extra=[(name_at, b"iPXE (PCI 00:03.0)\x00"), (0x1B0, b"\xCB")])
    s["legacy-bev"] = rom_input(0, 0x8086, 0x100E, bev)
    # Rev 3 PCIR whose own device is another one: found through the list.
    lst = legacy_image(0x1AF4, 0x1000, device_list=0x40,
                       extra=[(0x1C + 0x40, struct.pack("<4H", 0x1041, 0x1001, 0x1042, 0))])
    s["pcir3-device-list"] = rom_input(0, 0x1AF4, 0x1001, lst)
    # Rev 0 PCIR: its device list field is not one.
    old = legacy_image(0x1AF4, 0x1000, device_list=0x40, revision=0,
                       extra=[(0x1C + 0x40, struct.pack("<2H", 0x1001, 0))])
    s["pcir0-list-ignored"] = rom_input(0, 0x1AF4, 0x1001, old)
    # An EFI image first, then the x86 one.
    efi = bytearray(512)
    efi[0:3] = b"\x55\xAA\x01"
    struct.pack_into("<H", efi, 0x18, 0x1C)
    efi[0x1C:0x38] = pcir(0x8086, 0x100E, 1, code_type=3, last=False)
    x86 = legacy_image(0x8086, 0x100E, pnp_headers=[pnp(bev=0x100)])
    s["efi-then-x86"] = rom_input(0, 0x8086, 0x100E, efi + x86)
    # Two x86 images for two devices; the second is the one asked for.
    a = legacy_image(0x10EC, 0x8139, last=False)
    b = legacy_image(0x10EC, 0x8029)
    s["two-images-second-matches"] = rom_input(0, 0x10EC, 0x8029, a + b)
    # PnP headers that point at each other, and a BCV (disk) ROM.
    loop = legacy_image(0x1000, 0x0012, pnp_headers=[pnp(next_off=0x60, bcv=0x180),
                                                     pnp(next_off=0x40, bcv=0x190)])
    s["pnp-loop"] = rom_input(0, 0x1000, 0x0012, loop)
    chain = legacy_image(0x1000, 0x0030, pnp_headers=[pnp(next_off=0x60, bev=0x180, product=0x1E0),
                                                      pnp(next_off=0, bcv=0x190)],
                         extra=[(0x1E0, b"disk\x00")])
    s["pnp-bev-then-bcv"] = rom_input(0, 0x1000, 0x0030, chain)
    # Broken ones: size beyond the ROM, bad checksum (sealed by the flag),
    # PCIR past the end, almost nothing.
    big = bytearray(legacy_image(0x8086, 0x100E, sectors=1))
    big[2] = 4
    s["size-beyond-rom"] = rom_input(1, 0x8086, 0x100E, big)
    bad = bytearray(legacy_image(0x8086, 0x100E))
    bad[0x100] ^= 0x5A
    s["bad-checksum"] = rom_input(0, 0x8086, 0x100E, bad)
    s["bad-checksum-sealed"] = rom_input(1, 0x8086, 0x100E, bad)
    far = bytearray(legacy_image(0x8086, 0x100E))
    struct.pack_into("<H", far, 0x18, 0x1F0)
    s["pcir-past-end"] = rom_input(1, 0x8086, 0x100E, far)
    s["three-bytes"] = rom_input(0, 0, 0, b"\x55\xAA\x01")
    if rom_path and os.path.exists(rom_path):
        seed = ipxe_seed(rom_path)
        if seed:
            s["ipxe-" + os.path.basename(rom_path).replace(".rom", "")] = seed
    return s


# ---- bootorder ----

def bootorder_input(devfns, text, style=0):
    return bytes([len(devfns), style]) + bytes(devfns) + text.encode()


def bootorder_seeds():
    q = "/pci@i0cf8/ethernet@3/ethernet-phy@0\n/pci@i0cf8/ide@1,1/drive@0/disk@0\n"
    return {
        "nic-slot3": bootorder_input([3 << 3], q),
        "ide-function1": bootorder_input([(1 << 3) | 1], q),
        "behind-bridge": bootorder_input(
            [2 << 3, 3 << 3], "/pci@i0cf8/pci-bridge@2/ethernet@3/ethernet-phy@0\n"),
        "bridge-two-levels": bootorder_input(
            [5 << 3, 1 << 3, 0], "/pci@i0cf8/pci-bridge@5/pci-bridge@1/scsi@0/channel@0/disk@0,0\n"),
        "roms-and-floppy": bootorder_input(
            [1 << 3], "/rom@genroms/linuxboot_dma.bin\n/pci@i0cf8/isa@1/fdc@03f0/floppy@0\n"),
        "odd-unit-addresses": bootorder_input(
            [3 << 3], "/pci@i0cf8/x@000000003\n/pci@i0cf8/x@20\n/pci@i0cf8/x@3,8\n/pci@i0cf8/x@3:0\n"),
        "no-device": bootorder_input([], q),
        "inserted-line": bootorder_input([4 << 3, 2], "HALT\n/pci@i0cf8/x@5", style=0x71),
        "empty": bootorder_input([3 << 3], ""),
    }


# ---- E820 ----

def e820_rec(base, length, typ):
    return struct.pack("<QQI", base, length, typ)


def e820_parse_op(records):
    data = b"".join(records)
    assert len(data) % 4 == 0 and len(data) // 4 < 64
    return bytes([2 | (len(data) // 4) << 2]) + data


def e820_op(kind, base, length, typ=None):
    """kind 'add' (any u32 type), 'set' (type 1-7) or 'remove', 64-bit operands."""
    if kind == "add":
        return bytes([0 | 2 << 2]) + struct.pack("<QQI", base, length, typ)
    if kind == "set":
        return bytes([3 | 2 << 2]) + struct.pack("<QQB", base, length, typ - 1)
    return bytes([1 | 2 << 2]) + struct.pack("<QQ", base, length)


def e820_seeds():
    G = 1 << 30
    qemu = e820_parse_op([e820_rec(0, 2 * G, 1), e820_rec(0xFEFFC000, 0x4000, 2),
                          e820_rec(4 * G, G, 1)])
    post = (e820_op("remove", 0xA0000, 0x50000) + e820_op("set", 0x9FC00, 0x400, 2)
            + e820_op("set", 0xF0000, 0x10000, 2) + e820_op("set", 4 * G - 0x40000, 0x40000, 2)
            + e820_op("set", 2 * G - 0x200000, 0x200000, 2))
    xen = e820_parse_op([e820_rec(0, 0x9F000, 1), e820_rec(0x9F000, 0x1000, 2),
                         e820_rec(0xF0000, 0x10000, 2), e820_rec(0x100000, 0x3FF00000, 1),
                         e820_rec(0xFC000000, 0x4000000, 2)])
    small = bytes([0x00]) + struct.pack("<HHI", 0x10, 0x20, 1)     # 16-bit operands, 4 KiB units
    many = b"".join(bytes([0x03]) + struct.pack("<HHB", 3 * i, 1, i % 2) for i in range(12))
    top = (e820_op("set", 0xFFFFFFFFFFFFF000, 0x2000, 1)
           + bytes([0x03 | 3 << 2]) + struct.pack("<HHB", 0x10, 0x40, 1)
           + e820_op("remove", 0xFFFFFFFFFFFFF800, 0x100))
    return {
        "qemu-then-post": bytes([31]) + qemu + post,
        "xen-hvmloader": bytes([31]) + xen + e820_op("remove", 0xA0000, 0x50000),
        "split-overflows-small-map": bytes([2]) + e820_op("set", 0, 0x100000, 1)
        + e820_op("remove", 0x1000, 0x1000) + e820_op("remove", 0x3000, 0x1000),
        "many-small-ranges": bytes([7]) + many,
        "wraps-at-top": bytes([15]) + top,
        "partial-record": bytes([4]) + e820_parse_op([e820_rec(0, 0x1000, 1)]) + bytes([0x02 | 3 << 2]) + b"\x00" * 12,
        "short-operands": bytes([3]) + small,
        "zero-length-and-any-type": bytes([8]) + e820_op("add", 0x1000, 0, 9)
        + e820_op("add", 0x2000, 0x1000, 0) + e820_op("add", 0x3000, 0x1000, 0xFFFFFFFF),
    }


# ---- Xen info block ----

def xen_block(tables_at, ntables, e820_at, ne820, length=32):
    b = bytearray(b"XenHVMSeaBIOS\x00" + bytes([length, 0])
                  + struct.pack("<IIII", tables_at, ntables, e820_at, ne820))
    b += bytes(length - len(b)) if length > len(b) else b""
    b[15] = (-sum8(b[:length])) & 0xFF
    return b


def xen_input(flags, base, at, mem):
    return struct.pack("<BIH", flags, base, at) + bytes(mem)


def xen_seeds():
    hvm = [e820_rec(0, 0x9F000, 1), e820_rec(0x9F000, 0x1000, 2), e820_rec(0xF0000, 0x10000, 2),
           e820_rec(0x100000, 0x3FF00000, 1), e820_rec(0xFC000000, 0x4000000, 2)]
    tables = struct.pack("<4I", 0xFC00A000, 0xFC00B000, 0xFC00C000, 0xFC00D000)
    base = 0x1000

    def view(block, tab=tables, recs=hvm):
        mem = bytearray(0x40 + len(tab) + 20 * len(recs))
        mem[0:len(block)] = block
        mem[0x40:0x40 + len(tab)] = tab
        mem[0x40 + len(tab):] = b"".join(recs)
        return mem

    good = view(xen_block(base + 0x40, 4, base + 0x50, 5))
    bad = bytearray(good)
    bad[15] ^= 1
    rel = view(xen_block(0x40, 4, 0x50, 5))
    many = view(xen_block(base + 0x40, 4, base + 0x50, 40), recs=hvm * 8)
    return {
        "hvmloader": xen_input(0, base, 0, good),
        "relative-pointers-sealed": xen_input(3, base, 0, rel),
        "bad-checksum": xen_input(0, base, 0, bad),
        "no-e820": xen_input(0, base, 0, view(xen_block(base + 0x40, 4, base + 0x50, 0))),
        "e820-past-view": xen_input(0, base, 0, view(xen_block(base + 0x40, 4, base + 0x58, 5))),
        "tables-outside-view": xen_input(0, base, 0, view(xen_block(0x90000, 4, base + 0x50, 5))),
        "more-than-32-entries": xen_input(0, base, 0, many),
        "long-block": xen_input(0, base, 0, view(xen_block(base + 0x40, 4, base + 0x50, 5, 40))),
        "block-not-at-start": xen_input(0, base - 0x10, 0x10,
                                        bytes(0x10) + view(xen_block(base + 0x40, 4, base + 0x50, 5))),
    }


# ---- ACPI table loader ----

def name(s):
    b = s.encode() + b"\x00"
    return b + bytes(56 - len(b))


def cmd(body):
    return body + bytes(128 - len(body))


def alloc(f, align, zone):
    return cmd(struct.pack("<I", 1) + name(f) + struct.pack("<IB", align, zone))


def add_pointer(dst, src, off, size):
    return cmd(struct.pack("<I", 2) + name(dst) + name(src) + struct.pack("<IB", off, size))


def add_checksum(f, off, start, length):
    return cmd(struct.pack("<I", 3) + name(f) + struct.pack("<III", off, start, length))


def write_pointer(dst, src, dst_off, src_off, size):
    return cmd(struct.pack("<I", 4) + name(dst) + name(src) + struct.pack("<IIB", dst_off, src_off, size))


# Index = position in the harness's name list.
LOADER_NAMES = ["etc/acpi/rsdp", "etc/acpi/tables", "etc/tpm/log", "etc/vmgenid_guid",
                "etc/vmgenid_addr", "a", "b"]


def loader_input(files, script, high=0x7FFE0000):
    """files: {index: (bytes, writable)}; the harness's files are the first
    n names, so every name up to the highest index is present."""
    n = max(files) + 1 if files else 0
    out = bytearray([n]) + struct.pack("<I", high)
    for i in range(n):
        data, w = files.get(i, (b"", False))
        out += struct.pack("<HB", len(data), 1 if w else 0) + data
    return bytes(out) + b"".join(script)


def loader_seeds():
    rsdp = bytearray(b"RSD PTR " + bytes(12))
    struct.pack_into("<I", rsdp, 16, 0x40)
    t = bytearray(0x100)
    t[0:4] = b"DSDT"
    struct.pack_into("<I", t, 4, 0x24)
    t[0x40:0x44] = b"RSDT"
    struct.pack_into("<I", t, 0x44, 0x28)
    struct.pack_into("<I", t, 0x40 + 36, 0x80)
    t[0x80:0x84] = b"FACP"
    struct.pack_into("<I", t, 0x84, 0x2C)
    R, T = "etc/acpi/rsdp", "etc/acpi/tables"
    qemu = [alloc(R, 16, 2), alloc(T, 64, 1),
            add_checksum(T, 0x09, 0, 0x24),
            add_pointer(T, T, 0x80 + 40, 4), add_checksum(T, 0x89, 0x80, 0x2C),
            add_pointer(T, T, 0x40 + 36, 4), add_checksum(T, 0x49, 0x40, 0x28),
            add_pointer(R, T, 16, 4), add_checksum(R, 8, 0, 20)]
    G, A = "etc/vmgenid_guid", "etc/vmgenid_addr"
    vmgenid = [alloc(G, 4096, 1), write_pointer(A, G, 0, 40, 8)]
    bad_allocs = [cmd(struct.pack("<I", 0x7777)), alloc("a", 3, 1), alloc("a", 8, 7),
                  alloc("a", 8, 1), alloc("a", 8, 1), alloc("c", 8, 1),
                  cmd(struct.pack("<I", 1) + b"n" * 56 + struct.pack("<IB", 1, 1)),
                  bytes(128), add_checksum("a", 0, 0, 32)]
    bad_ranges = [alloc("a", 8, 1), add_pointer("a", "a", 0xFFFFFFFE, 4), add_pointer("a", "b", 0, 4),
                  add_checksum("a", 0, 4, 0xFFFFFFFF), add_checksum("a", 32, 0, 1),
                  write_pointer("b", "a", 0, 0, 2), write_pointer("b", "a", 4, 0, 8),
                  add_pointer("a", "a", 28, 4), add_checksum("a", 0, 0, 32)]
    return {
        "qemu-rsdp-rsdt-facp-dsdt": loader_input({0: (bytes(rsdp), False), 1: (bytes(t), False)}, qemu),
        "vmgenid-write-pointer": loader_input({3: (bytes(16), False), 4: (bytes(8), True)}, vmgenid),
        "bad-allocations": loader_input({5: (bytes(32), False), 6: (bytes(8), True)}, bad_allocs),
        "bad-ranges": loader_input({5: (bytes(32), False), 6: (bytes(8), True)}, bad_ranges),
        "fseg-full": loader_input({0: (bytes(20), False)}, [alloc(R, 0x10000, 2), alloc(R, 16, 2)]),
        "stray-bytes": loader_input({0: (bytes(rsdp), False)}, [alloc(R, 16, 2), b"\x03\x00"]),
        "low-high-zone": loader_input({1: (bytes(t), False)}, [alloc(T, 64, 1), add_pointer(T, T, 0, 8)],
                                      high=0x1000),
    }


# ---- SMBIOS ----

def smbios_struct(typ, handle, formatted=b"", strings=()):
    b = bytes([typ, 4 + len(formatted)]) + struct.pack("<H", handle) + formatted
    if strings:
        b += b"".join(s.encode() + b"\x00" for s in strings) + b"\x00"
    else:
        b += b"\x00\x00"
    return b


def anchor21(tlen):
    a = bytearray(0x1F)
    a[0:4] = b"_SM_"
    a[5], a[6], a[7] = 0x1F, 2, 8
    a[0x10:0x15] = b"_DMI_"
    struct.pack_into("<H", a, 0x16, tlen)
    a[0x1E] = 0x28
    a[0x15] = (-sum8(a[0x10:0x1F])) & 0xFF
    a[4] = (-sum8(a)) & 0xFF
    return bytes(a)


def anchor30(tlen):
    a = bytearray(0x18)
    a[0:5] = b"_SM3_"
    a[6], a[7], a[10] = 0x18, 3, 1
    struct.pack_into("<I", a, 12, tlen)
    a[5] = (-sum8(a)) & 0xFF
    return bytes(a)


def smbios_input(flags, addr, anchor, table, strings=("Kelp", "0.1", "11/25/2026")):
    b = struct.pack("<BQB", flags, addr, len(anchor)) + anchor
    b += bytes(len(s) for s in strings) + b"".join(s.encode() for s in strings)
    return b + table


def smbios_seeds():
    qemu = (smbios_struct(1, 0x100, bytes(range(1, 0x18)), ["QEMU", "Standard PC", "pc-i440fx"])
            + smbios_struct(3, 0x300, bytes(0x11), ["QEMU", "pc"])
            + smbios_struct(4, 0x400, bytes(0x26), ["CPU 0", "QEMU", "pc-i440fx"])
            + smbios_struct(127, 0x7F00))
    with0 = smbios_struct(0, 0, bytes(0x14), ["SeaBIOS"]) + smbios_struct(127, 0x7F00)
    # Handles 0 and FEFFh in use: the type 0 must find another one.
    high = (smbios_struct(1, 0, bytes(0x17), ["A"]) + smbios_struct(3, 0xFEFF, bytes(0x11), ["B"])
            + smbios_struct(127, 0x7F00))
    return {
        "qemu-21": smbios_input(0, 0x7FFE0000, anchor21(len(qemu)), qemu),
        "qemu-30": smbios_input(0, 0x17FFE0000, anchor30(len(qemu)), qemu),
        "type0-present": smbios_input(0, 0x100000, anchor21(len(with0)), with0),
        "handles-reach-feff": smbios_input(0, 0x100000, anchor21(len(high)), high),
        "truncated": smbios_input(0, 0x100000, anchor21(len(qemu)), qemu[:40]),
        "no-bios-info": smbios_input(1, 0x100000, anchor30(len(qemu)), qemu),
        "above-4g-21": smbios_input(0, 0xFFFFFF00, anchor21(len(qemu)), qemu),
        "no-dmi-anchor": smbios_input(0, 0x100000, b"_SM_" + bytes(27), qemu),
        "long-strings": smbios_input(0, 0x100000, anchor21(len(qemu)), qemu,
                                     ("V" * 39, "1" * 39, "12/31/2099")),
    }


# ---- CHS ----

def chs_input(sectors, flags, phys, scheme, triples=(), raw=()):
    b = struct.pack("<QB3HB", sectors, flags, *phys, scheme)
    for (c, h, s), (cx, dx) in zip(triples, raw or [(0, 0)] * len(triples)):
        b += struct.pack("<3H2H", c, h, s, cx, dx)
    return b


def chs_seeds():
    return {
        "8g-lba": chs_input(16777216, 0, (16383, 16, 63), 3, [(0, 0, 1), (1023, 254, 63), (1024, 0, 1)],
                            [(0x0001, 0x0080), (0xFFFF, 0xFF80), (0x0041, 0x0180)]),
        "1g-large": chs_input(2097152, 0, (2080, 16, 63), 1, [(519, 31, 63), (520, 0, 1)]),
        "rechs-16-heads": chs_input(4194304, 0, (4161, 16, 63), 2, [(0, 0, 0), (10, 5, 7)]),
        "none-fits": chs_input(20160, 0, (20, 16, 63), 0, [(19, 15, 63), (20, 0, 1)]),
        "none-too-big": chs_input(8000000, 0, (7936, 16, 63), 0),
        "tiny-disk": chs_input(20, 0, (0, 0, 0), 3, [(0, 0, 20), (0, 0, 21)]),
        "under-one-cylinder": chs_input(700, 0, (1, 16, 63), 0, [(0, 10, 7)]),
        "huge-disk": chs_input(1 << 40, 0, (65535, 16, 63), 3),
        "bad-phys-unknown-scheme": chs_input(1000000, 4, (100, 300, 80), 9),
        # A triple with bit 15 of the cylinder set brings its own geometry.
        "raw-geometry": chs_input(5000, 0, (5, 16, 63), 0)
        + struct.pack("<3H3H2H", 0x8000 | 3, 2, 1, 65535, 65535, 65535, 0x0001, 0x0080),
    }


# ---- El Torito ----

def et_validation(platform):
    e = bytearray(32)
    e[0], e[1] = 1, platform
    e[4:4 + 8] = b"Kelp CD "
    e[0x1E], e[0x1F] = 0x55, 0xAA
    words = sum(struct.unpack("<16H", bytes(e))) & 0xFFFF
    struct.pack_into("<H", e, 0x1C, (-words) & 0xFFFF)
    return bytes(e)


def et_entry(boot, media, seg, count, lba, sys_type=0, more=False):
    return struct.pack("<BBHBBHI", boot, media | (0x20 if more else 0), seg, sys_type, 0,
                       count, lba) + bytes(20)


def et_section(last, platform, n):
    return struct.pack("<BBH", 0x91 if last else 0x90, platform, n) + bytes(28)


def et_input(flags, block):
    return bytes([flags]) + block


def eltorito_seeds():
    brvd = bytearray(0x60)
    brvd[1:6] = b"CD001"
    brvd[6] = 1
    brvd[7:7 + 23] = b"EL TORITO SPECIFICATION"
    struct.pack_into("<I", brvd, 0x47, 19)
    noemu = et_validation(0) + et_entry(0x88, 0, 0, 4, 20)
    hd = et_validation(0) + et_entry(0x88, 4, 0x7C0, 1, 30, sys_type=0x83)
    sections = (et_validation(0xEF) + et_entry(0x88, 0, 0, 1, 40)
                + et_section(False, 0xEF, 1) + et_entry(0x88, 0, 0, 1, 41)
                + et_section(True, 0, 2) + et_entry(0x00, 0, 0, 4, 50, more=True)
                + b"\x44" + bytes(31) + et_entry(0x88, 2, 0, 1, 60))
    bad_sum = bytearray(noemu)
    bad_sum[4] ^= 1
    no_key = bytearray(noemu)
    no_key[0x1F] = 0
    bad_media = et_validation(0) + et_entry(0x88, 7, 0, 4, 20)
    endless = et_validation(0x02) + et_entry(0x00, 0, 0, 0, 0) + et_section(False, 0, 0xFFFF)
    return {
        "boot-record": et_input(2, bytes(brvd)),
        "default-no-emulation": et_input(0, noemu),
        "default-hard-disk": et_input(0, hd),
        "sections-after-efi": et_input(0, sections),
        "bad-checksum": et_input(0, bad_sum),
        "bad-checksum-sealed": et_input(1, bad_sum),
        "no-key": et_input(0, no_key),
        "unknown-media": et_input(0, bad_media),
        "huge-section-count": et_input(0, endless),
    }


# ---- MBR partition tables ----

def mbr_entry(flag, typ, start, size):
    return struct.pack("<B3sB3sII", flag, bytes(3), typ, bytes(3), start, size)


def mbr_input(sectors, flags, entries, head=b"\xfa\x31\xc0"):
    sec = bytearray(512)
    sec[:len(head)] = head
    for i, e in enumerate(entries):
        sec[0x1BE + 16 * i:0x1BE + 16 * (i + 1)] = e
    sec[510:512] = b"\x55\xaa"
    return struct.pack("<QB", sectors, flags) + bytes(sec)


def mbr_seeds():
    disk = 1 << 20
    fat = b"\xeb\x3c\x90MSDOS5.0\x00\x02\x08"
    return {
        "linux": mbr_input(disk, 0, [mbr_entry(0x80, 0x83, 2048, 204800),
                                     mbr_entry(0, 0x82, 206848, 65536)]),
        "bad-flag": mbr_input(disk, 0, [mbr_entry(0x7F, 0x83, 2048, 2048)]),
        "past-end": mbr_input(disk, 0, [mbr_entry(0x80, 0x83, 2048, disk)]),
        "past-end-unknown-size": mbr_input(disk, 2, [mbr_entry(0x80, 0x83, 2048, disk)]),
        "overlap": mbr_input(disk, 0, [mbr_entry(0, 0x83, 2048, 10000),
                                       mbr_entry(0, 0x83, 10000, 10000)]),
        "hybrid-iso": mbr_input(600000, 0, [mbr_entry(0x80, 0x00, 0, 600000),
                                            mbr_entry(0, 0xEF, 1000, 5760)]),
        "gpt-protective": mbr_input(1 << 33, 0, [mbr_entry(0, 0xEE, 1, 0xFFFFFFFF)]),
        "above-2-32": mbr_input(0x100000100, 0, [mbr_entry(0, 0x83, 0xFFFFFF00, 0x200)]),
        "fat-volume": mbr_input(disk, 0, [b"N" * 16] * 4, head=fat),
    }


def nvme_ctrl(model=b"QEMU NVMe Ctrl", serial=b"KELP0001", mdts=7, nn=256, vwc=1):
    d = bytearray(526)
    d[4:24] = serial.ljust(20)
    d[24:64] = model.ljust(40)
    d[64:72] = b"7.2.22".ljust(8)
    d[77] = mdts
    struct.pack_into("<I", d, 516, nn)
    d[525] = vwc
    return d


def nvme_ns(blocks, flbas, formats, nlbaf=None):
    """formats: (metadata bytes, log2 block size) per LBA format."""
    d = bytearray(128 + 4 * len(formats))
    struct.pack_into("<QQ", d, 0, blocks, blocks)
    d[25] = len(formats) - 1 if nlbaf is None else nlbaf
    d[26] = flbas
    for i, (ms, lbads) in enumerate(formats):
        struct.pack_into("<I", d, 128 + 4 * i, lbads << 16 | ms)
    return d


def nvmeid_seeds():
    qemu = [(0, 9), (8, 9), (16, 9), (64, 9), (0, 12), (8, 12), (16, 12), (64, 12)]
    many = [(0, 9)] * 17 + [(0, 12)]
    return {
        "controller": bytes([0]) + nvme_ctrl(),
        "controller-no-limit": bytes([0]) + nvme_ctrl(mdts=0, vwc=0),
        "controller-16k-pages": bytes([2]) + nvme_ctrl(mdts=30),
        "namespace-512": bytes([0]) + nvme_ns(16384, 0, qemu),
        "namespace-4096": bytes([0]) + nvme_ns(256, 4, qemu),
        "namespace-metadata": bytes([0]) + nvme_ns(256, 5, qemu),
        "namespace-inactive": bytes([0]) + nvme_ns(0, 0, qemu),
        "namespace-format-17": bytes([0]) + nvme_ns(100, 0x21, many),
        "namespace-bad-format": bytes([0]) + nvme_ns(100, 3, qemu[:2]),
        "namespace-list": bytes([0]) + struct.pack("<6I", 1, 3, 5, 6, 0, 9),
    }


# ---- fw_cfg numbers ----

def fwcfg_int_seeds():
    return {
        "menu-wait-binary": struct.pack("<H", 2500),
        "fail-wait-minus-one": struct.pack("<i", -1),
        "port-text-hex": b"0x2f8",
        "port-text-decimal-nl": b"1016\n",
        "minus-one-text": b"-1\x00",
        "not-a-number": b"12a",
        "too-long": b"123456789012345678901",
    }


# ---- serial terminal keys ----

def keys_seeds():
    tick = b"\xff\x02"
    return {
        "arrows-and-fkeys": b"\x1b[A\x1b[B\x1bOP\x1b[24~\x1b[1;5C",
        "lone-escape": b"a\x1b" + tick + b"b",
        "escape-escape": b"\x1b\x1b[A\x1bx",
        "enter-kinds": b"\r\n\n\r\r\x00\x7f\x03",
        "mouse-report": b"\x1b[<0;123;45M" + b"z",
        "unfinished": b"\x1b[12" + tick + b"\x1b[3;",
        "byte-ff": b"\xff\xff\xfe",
    }


# ---- SCSI ----

def scsi_input(max_luns, status, data):
    return bytes([max_luns, status]) + data


def report_luns(entries, list_len=None):
    body = b"".join(e.ljust(8, b"\0") for e in entries)
    return struct.pack(">II", len(body) if list_len is None else list_len, 0) + body


def scsi_seeds():
    fixed = bytes([0x70, 0, 0x03, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x11, 0x04, 0, 0, 0, 0])
    return {
        "qemu-luns": scsi_input(15, 0, report_luns([b"\x00\x00", b"\x00\x02", b"\x40\x05"])),
        "flat-and-duplicates": scsi_input(2, 0, report_luns([b"\x41\x00", b"\x00\x07",
                                                             b"\x00\x07", b"\x00\x01"])),
        "two-level-and-bus": scsi_input(7, 0, report_luns([b"\x00\x01\x00\x02", b"\x01\x03",
                                                           b"\x80\x01"])),
        "truncated-list": scsi_input(7, 0, report_luns([b"\x00\x01", b"\x00\x02"], 64)),
        "odd-length": scsi_input(7, 0, report_luns([b"\x00\x01"], 12)),
        "fixed-sense-medium-error": scsi_input(0, 2, fixed),
        "descriptor-sense-lba-range": scsi_input(0, 2, bytes([0x72, 0x05, 0x21, 0x00, 0, 0, 0, 0])),
        "recovered-error": scsi_input(0, 2, bytes([0xF0, 0, 0x01, 0, 0, 0, 0, 10]) + bytes(10)),
        "busy": scsi_input(0, 8, b""),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--rom", default=DEFAULT_ROM)
    args = ap.parse_args()
    sets = {
        "romimage": rom_seeds(args.rom),
        "bootorder": bootorder_seeds(),
        "e820map": e820_seeds(),
        "xen_info": xen_seeds(),
        "acpi_loader": loader_seeds(),
        "smbios": smbios_seeds(),
        "chs": chs_seeds(),
        "eltorito": eltorito_seeds(),
        "mbr": mbr_seeds(),
        "nvmeid": nvmeid_seeds(),
        "fwcfg_int": fwcfg_int_seeds(),
        "keys": keys_seeds(),
        "scsi": scsi_seeds(),
    }
    for target, seeds in sets.items():
        d = os.path.join(args.corpus, target)
        os.makedirs(d, exist_ok=True)
        for n, data in seeds.items():
            # Small: two 512-byte ROM images, or a dozen 128-byte loader commands.
            assert len(data) <= 1600, (target, n, len(data))
            with open(os.path.join(d, n), "wb") as f:
                f.write(bytes(data))
        print(f"{target}: {len(seeds)} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
