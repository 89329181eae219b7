"""Option ROM dispatch, one path at a time, with the small test ROMs of
tests/roms (built into out/roms by tests/roms/build.mk):

- a PnP BCV ROM that drives a legacy virtio-blk device and boots from it;
- a BEV-only PnP ROM; a legacy ROM hooking INT 19h; a legacy ROM hooking
  INT 13h at init and serving a RAM disk;
- a PCI 3.0 ROM (device list, runtime size) that checks its init registers,
  the $PnP structure and PMM, then shrinks;
- a ROM calling INT 10h/15h/16h/1Ah during init;
- malformed ROMs that must be skipped while a disk still boots.

The ROMs print "TESTROM <name> key=value" lines on the debug console; the
test disk program (tests/roms/diskprobe.S) prints "TESTDISK <label> ..."
lines for every hard disk. Where it makes sense the same case also runs on
Debian's SeaBIOS as a reference, without requiring identical logs."""
import fcntl
import os
import re
import subprocess
import sys

import pytest

import harness

ROMS = os.path.join(harness.OUT, "roms")
sys.path.insert(0, os.path.join(harness.ROOT, "tests", "roms"))
import romtool  # noqa: E402

FIRMWARE = {"kelp": harness.KELP, "seabios": harness.SEABIOS}
E1000 = "8086:100e"

pytestmark = pytest.mark.skipif(not os.path.exists(harness.KELP),
                                reason="out/bios.bin not built")


# ---------------------------------------------------------------- helpers

@pytest.fixture(scope="session", autouse=True)
def roms_built():
    build_roms()


def build_roms():
    """Run the make fragment once per worker (a no-op when up to date); a
    lock keeps parallel workers from building at the same time."""
    os.makedirs(harness.OUT, exist_ok=True)
    with open(os.path.join(harness.OUT, ".roms-build.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        p = subprocess.run(["make", "--no-print-directory", "-f", "tests/roms/build.mk",
                            f"OUT={harness.OUT}", "roms"], cwd=harness.ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        pytest.fail("building the test ROMs failed:\n" + p.stdout.decode(errors="replace"))


def rom(name):
    return os.path.join(ROMS, name + ".rom")


def disk(tmp_path, label, mode=0, sectors=romtool.DEFAULT_SECTORS):
    """A test disk: the disk program labelled label; mode 1 = INT 18h right
    after the boot line, 2 = end the run right after it."""
    with open(os.path.join(ROMS, "diskprobe.bin"), "rb") as f:
        prog = f.read()
    path = tmp_path / f"{label}.img"
    path.write_bytes(romtool.make_disk(prog, label, mode, sectors))
    return str(path)


def ide(path):
    return ["-drive", f"file={path},format=raw,if=ide,snapshot=on"]


def virtio_blk(path, romfile, n=0, rom_on=True):
    """A legacy virtio-blk device carrying romfile. Kelp drives virtio-blk
    itself and then does not run the device's ROM; rom_on forces the ROM
    on for the device (opt/kelp/rom/BB:DD.F), which leaves it to the ROM."""
    slot = 0x0A + n
    args = ["-drive", f"if=none,id=vd{n},file={path},format=raw,snapshot=on",
            "-device", f"virtio-blk-pci,disable-modern=on,drive=vd{n},romfile={romfile},"
                       f"addr={slot:#x}"]
    if rom_on:
        args += ["-fw_cfg", f"name=opt/kelp/rom/00:{slot:02x}.0,string=on"]
    return args


def e1000(romfile, addr=None):
    dev = f"e1000,romfile={romfile}"
    if addr is not None:
        dev += f",addr={addr}"
    return ["-device", dev]


def firmware(name):
    path = FIRMWARE[name]
    if not os.path.exists(path):
        pytest.skip(f"{path} is not installed")
    return path


def run(fw, args, timeout=20):
    res = harness.run_qemu(firmware(fw), args, timeout=timeout)
    assert not res.timed_out, f"QEMU timed out on {fw}:\n" + res.debug[-3000:]
    return res


def rom_report(res, name):
    """The key=value pairs of the TESTROM lines of one ROM; a bare word
    counts as key=True. Keys seen twice keep their first value; the
    "_lines" entry holds every line."""
    out = {"_lines": []}
    for line in res.debug.splitlines():
        m = re.match(rf"TESTROM {re.escape(name)} (.*)$", line)
        if not m:
            continue
        out["_lines"].append(m.group(1))
        for tok in m.group(1).split():
            k, sep, v = tok.partition("=")
            out.setdefault(k, v if sep else True)
    return out


def disk_report(res):
    """What the disk program reported: {"boot": [(label, dl)], "label": the
    label of the disk that ran the probe, "drives": count, "done": bool,
    "info": {key: value} of the mem/e820 line, "drv": {drive: {fn: {k: v}}}}."""
    out = {"boot": [], "label": None, "drives": None, "done": False, "info": {}, "drv": {}}
    for line in res.debug.splitlines():
        m = re.match(r"TESTDISK (\S+) (.*)$", line)
        if not m:
            continue
        label, rest = m.groups()
        kv = dict(t.partition("=")[::2] for t in rest.split() if "=" in t)
        if rest.startswith("boot "):
            out["boot"].append((label, kv["dl"]))
            continue
        out["label"] = label
        if rest == "done":
            out["done"] = True
        elif "drives" in kv:
            out["drives"] = int(kv["drives"], 16)
        elif "drv" in kv:
            out["drv"].setdefault(kv.pop("drv"), {})[kv.pop("fn")] = kv
        else:
            out["info"].update(kv)
    return out


def ok_status(res):
    return res.status == harness.EXIT_OK_STATUS


def check_drive(rep, drv, label, sectors):
    """Every INT 13h answer of one drive in a probe report is right for a
    test disk with this label and size."""
    d = rep["drv"].get(drv)
    assert d, f"no report for drive {drv}: {rep}"
    assert d["00"]["cf"] == "0" and d["00"]["ah"] == "00", d["00"]
    assert d["08"]["cf"] == "0" and d["08"]["ah"] == "00", d["08"]
    assert d["15"]["cf"] == "0" and d["15"]["ah"] == "03", d["15"]
    assert d["41"]["cf"] == "0" and d["41"]["bx"] == "aa55", d["41"]
    assert int(d["41"]["cx"], 16) & 1, d["41"]
    assert d["48"]["cf"] == "0" and int(d["48"]["sectors"], 16) == sectors, d["48"]
    assert d["48"]["bps"] == "0200", d["48"]
    assert d["02"]["cf"] == "0" and d["02"]["al"] == "01", d["02"]
    assert d["02"]["lbl"] == label, d["02"]
    assert d["02"].get("h1", "ok") == "ok" and d["02"]["last"] == "ok", d["02"]
    assert d["42"]["cf"] == "0" and d["42"]["count"] == "0004", d["42"]
    assert d["42"]["data"] == "ok" and d["42"]["beyond"] == "ok", d["42"]


def kelp_lines(res, pattern):
    return [l for l in res.debug.splitlines() if re.search(pattern, l)]


def rom_ran(res, name):
    return bool(rom_report(res, name).get("ran"))


# ------------------------------------------- 1. PnP BCV driving virtio-blk

def test_virtio_bcv_disk_boots(tmp_path):
    """No IDE disk: the BCV's virtio disk becomes 80h, gets a boot entry
    and boots; every INT 13h function the ROM serves answers right."""
    img = disk(tmp_path, "virtio")
    res = run("kelp", virtio_blk(img, rom("virtio-blk")))
    assert ok_status(res), res.debug[-3000:]
    r = rom_report(res, "virtio")
    assert r.get("ax") == "0050" and r.get("id") == "10011af4", r     # 00:0a.0
    assert r.get("drive") == "80" and r.get("qsize") not in (None, "0000"), r
    assert int(r["sectors"], 16) == romtool.DEFAULT_SECTORS, r
    assert kelp_lines(res, r"rom: .*disk connection \(BCV\)"), res.debug
    assert kelp_lines(res, r"rom: BCV .*connected 1 disk"), res.debug
    assert kelp_lines(res, r"^boot 1: hard disk 80h"), res.debug
    rep = disk_report(res)
    assert rep["boot"] == [("virtio", "80")], rep
    assert rep["drives"] == 1 and rep["done"], rep
    check_drive(rep, "80", "virtio", romtool.DEFAULT_SECTORS)


def test_virtio_disk_kelp_drives_is_not_given_to_its_rom(tmp_path):
    """Without the override Kelp's own virtio-blk driver takes the device
    and its ROM is not run: two drivers would reset each other's queue."""
    res = run("kelp", virtio_blk(disk(tmp_path, "virtio"), rom("virtio-blk"), rom_on=False))
    assert ok_status(res), res.debug[-3000:]
    assert not rom_report(res, "virtio")["_lines"], "the ROM ran although Kelp drives the device"
    assert kelp_lines(res, r"^rom: 00:0a\.0 1af4:1001: served by Kelp's own driver; ROM not run"), \
        res.debug
    assert kelp_lines(res, r"^virtio-blk 00:0a\.0: legacy virtio disk, .*drive 80h"), res.debug
    rep = disk_report(res)
    assert rep["boot"] == [("virtio", "80")] and rep["drives"] == 1 and rep["done"], rep
    check_drive(rep, "80", "virtio", romtool.DEFAULT_SECTORS)


@pytest.mark.parametrize("fw", ["kelp", "seabios"])
def test_virtio_bcv_disk_after_ide(tmp_path, fw):
    """With an IDE disk the ROM's disk is 81h, reached through the ROM's
    INT 13h hook while 80h is passed on to the firmware. (SeaBIOS drives
    virtio-blk itself and never runs the ROM: reference for the probe.)"""
    ide_img, vio_img = disk(tmp_path, "ide"), disk(tmp_path, "virtio")
    res = run(fw, ide(ide_img) + virtio_blk(vio_img, rom("virtio-blk")))
    assert ok_status(res), res.debug[-3000:]
    if fw == "kelp":
        assert rom_report(res, "virtio").get("drive") == "81"
    rep = disk_report(res)
    assert rep["boot"] == [("ide", "80")] and rep["drives"] == 2, rep
    check_drive(rep, "80", "ide", romtool.DEFAULT_SECTORS)
    check_drive(rep, "81", "virtio", romtool.DEFAULT_SECTORS)


@pytest.mark.parametrize("fw", [
    "kelp",
    "seabios"])
def test_int13_08_counts_every_disk(tmp_path, fw):
    """INT 13h AH=08h must give the same drive count (40:75h) for every
    hard disk, the firmware's own ones included."""
    ide_img, vio_img = disk(tmp_path, "ide"), disk(tmp_path, "virtio")
    res = run(fw, ide(ide_img) + virtio_blk(vio_img, rom("virtio-blk")))
    rep = disk_report(res)
    assert rep["drives"] == 2, rep
    for drv in ("80", "81"):
        assert rep["drv"][drv]["08"]["dl"] == "02", (drv, rep["drv"][drv]["08"])


def test_bcv_base_memory_left_out_of_e820(tmp_path):
    """The BCV takes base memory for its virtqueue by lowering 40:13h; the
    boot program must see the same top in INT 12h and in E820."""
    res = run("kelp", virtio_blk(disk(tmp_path, "virtio"), rom("virtio-blk")))
    r = rom_report(res, "virtio")
    rep = disk_report(res)
    mem_kb = int(rep["info"]["mem"], 16)
    assert mem_kb == int(r["mem"], 16) and mem_kb < 639, (r, rep["info"])
    base, _, rest = rep["info"]["e820.0"].partition("+")
    length, _, typ = rest.partition(":")
    assert int(base, 16) == 0 and typ == "01", rep["info"]
    assert int(length, 16) <= mem_kb * 1024, rep["info"]


# ------------------------------------------------------ 2. BEV-only ROM

@pytest.mark.parametrize("fw", ["kelp", "seabios"])
def test_bev_rom_boots_without_disk(fw):
    res = run(fw, ["-option-rom", rom("bev")])
    assert ok_status(res), res.debug[-3000:]
    r = rom_report(res, "bev")
    assert r.get("init") and r.get("boot"), r
    assert r["pmm"] == "gone", "PMM must be withdrawn before boot"
    assert r["if"] == "01", r
    if fw == "kelp":
        assert r["pnp"] == "ok", r
        assert kelp_lines(res, r'rom: .*boot entry \(BEV\).*"Kelp test BEV"'), res.debug
        assert kelp_lines(res, r"^boot 1: Kelp test BEV \(BEV [0-9a-f]{4}:[0-9a-f]{4}\)"), res.debug
        assert "Booting from Kelp test BEV" in res.debug


def test_bev_that_returns_falls_through_to_disk(tmp_path):
    """A BEV that returns is a failed boot: the next entry (the disk) runs.
    (CMOS boot order network, then disk: the BEV is tried first.)"""
    res = run("kelp", ["-boot", "order=nc", "-option-rom", rom("bev-ret")]
              + ide(disk(tmp_path, "ide", mode=2)))
    assert ok_status(res), res.debug[-3000:]
    log = res.debug
    bev = log.find("TESTROM bev-ret boot")
    boot = log.find("TESTDISK ide boot dl=80")
    assert 0 <= bev < boot, log[-3000:]
    assert log.count("TESTROM bev-ret boot") == 1


# ------------------------------------------- 3. legacy ROM hooking INT 19h

@pytest.mark.parametrize("fw", ["kelp", "seabios"])
def test_legacy_rom_int19_hook_runs(tmp_path, fw):
    """The hook is left in place, INT 19h runs it, and its chaining to the
    old vector still boots the disk."""
    res = run(fw, ["-option-rom", rom("int19")] + ide(disk(tmp_path, "ide", mode=2)))
    assert ok_status(res), res.debug[-3000:]
    r = rom_report(res, "int19")
    assert r.get("init") and r.get("called"), r
    assert r["old"].startswith("f000:"), r
    log = res.debug
    assert 0 <= log.find("TESTROM int19 called") < log.find("TESTDISK ide boot dl=80")
    if fw == "kelp":
        assert kelp_lines(res, r"rom: genroms/int19\.rom took over INT 19h"), log


# -------------------------- 4. legacy ROM hooking INT 13h with a RAM disk

RAMDISK_SECTORS = 32


@pytest.mark.parametrize("fw", ["kelp", "seabios"])
def test_legacy_int13_rom_disk_boots_alone(fw):
    res = run(fw, ["-option-rom", rom("ramdisk")])
    assert ok_status(res), res.debug[-3000:]
    assert rom_report(res, "ramdisk").get("drive") == "80"
    if fw == "kelp":
        assert kelp_lines(res, r"rom: genroms/ramdisk\.rom added 1 disk"), res.debug
    rep = disk_report(res)
    assert rep["boot"] == [("ramdisk", "80")] and rep["drives"] == 1 and rep["done"], rep
    check_drive(rep, "80", "ramdisk", RAMDISK_SECTORS)


@pytest.mark.parametrize("fw", ["kelp", "seabios"])
def test_legacy_int13_rom_disk_numbered_after_ide(tmp_path, fw):
    res = run(fw, ["-option-rom", rom("ramdisk")] + ide(disk(tmp_path, "ide")))
    assert ok_status(res), res.debug[-3000:]
    assert rom_report(res, "ramdisk").get("drive") == "81"
    rep = disk_report(res)
    assert rep["boot"] == [("ide", "80")] and rep["drives"] == 2, rep
    check_drive(rep, "80", "ide", romtool.DEFAULT_SECTORS)
    check_drive(rep, "81", "ramdisk", RAMDISK_SECTORS)


def test_legacy_int13_rom_disk_is_a_boot_device(tmp_path):
    """Kelp gives the ROM's 81h its own boot entry after its IDE disk: when
    the IDE boot sector gives up (INT 18h), the RAM disk boots with DL=81h."""
    res = run("kelp", ["-option-rom", rom("ramdisk")] + ide(disk(tmp_path, "ide", mode=1)))
    assert ok_status(res), res.debug[-3000:]
    assert kelp_lines(res, r"^boot 1: hard disk 80h") and kelp_lines(res, r"^boot 2: hard disk 81h")
    rep = disk_report(res)
    assert rep["boot"] == [("ide", "80"), ("ramdisk", "81")], rep
    assert rep["done"], rep
    check_drive(rep, "81", "ramdisk", RAMDISK_SECTORS)


# --------------------------------------- 5. PCI 3.0 ROM: PMM, $PnP, shrink

# Checks SeaBIOS 1.16 fails on purpose-neutral grounds: it does not refuse
# a second block with a handle in use, so the later find of that handle
# still succeeds.
SEABIOS_PMM_DEVIATIONS = {"pmm.dup", "pmm.gone.conv"}


@pytest.mark.parametrize("fw", ["kelp", "seabios"])
def test_pci3_rom_pmm_pnp_and_shrink(tmp_path, fw):
    """e1000 at 00:05.0 with a PCI 3.0 ROM (matched by its device list on
    Kelp; SeaBIOS ignores device lists, so it gets the variant whose primary
    ID is the e1000's). Every check the ROM makes passes, and the next ROM
    goes right after the 1.5 KiB it kept."""
    name = "pci3" if fw == "kelp" else "pci3-direct"
    res = run(fw, e1000(rom(name), addr=5) + ["-option-rom", rom("tiny")]
              + ide(disk(tmp_path, "ide", mode=2)))
    assert ok_status(res), res.debug[-3000:]
    r = rom_report(res, name)
    assert r.get("done"), res.debug[-3000:]
    assert r["ax"] == "0028" and r["bdf"] == "ok", r
    assert r["bx"] == "ffff" and r["dx"] == "ffff", r
    assert r["pnp"] == "ok" and r["pmm"] == "ok", r
    bad = [k for k, v in r.items() if k.startswith("pmm.") and v != "ok"]
    if fw == "seabios":
        bad = [k for k in bad if k not in SEABIOS_PMM_DEVIATIONS]
    assert not bad, r["_lines"]
    assert r["shrunk"] and r["size"] == "03", r
    assert "fault" not in r, r
    # The window as the last ROM saw it: the shrunk ROM, checksum valid.
    t = rom_report(res, "tiny")
    assert "c000:03:ok" in t["roms"].split(","), t
    if fw == "kelp":
        log = res.debug.splitlines()
        i = next(i for i, l in enumerate(log) if "rom: running ROM of 00:05.0 at c000:0003" in l)
        kept = next(l for l in log[i:] if "window free from" in l)
        assert "8192" in kept and "1536" in kept, kept
        free = int(re.search(r"window free from ([0-9a-f]+)", kept).group(1), 16)
        assert free == 0xC0800, kept
        nxt = next(l for l in log[i + 1:] if re.search(r"rom: running .* at [0-9a-f]{4}:0003", l))
        seg = int(re.search(r"at ([0-9a-f]{4}):0003", nxt).group(1), 16)
        assert seg * 16 == free, nxt
    else:
        runs = re.findall(r"Running option rom at ([0-9a-f]{4}):0003", res.debug)
        assert runs[:2] == ["c000", "c080"], runs


# ------------------------------------------ 6. BIOS services during init

SERVICES_BASIC = ["int10.0f", "int10.0e", "int10.03", "int16.01", "int16.02",
                  "int15.c0", "int1a.00", "int1a.b101"]
SERVICES_MEMORY = ["int15.e820", "int15.88"]
SERVICE_RUNS = {
    "kelp": [],                     # no VGA: Kelp's serial console answers INT 10h
    "kelp-vga": ["-device", "VGA"],
    "seabios-vga": ["-device", "VGA"],
}


@pytest.mark.parametrize("run_name", list(SERVICE_RUNS))
def test_services_answer_during_init(tmp_path, run_name):
    fw = run_name.split("-")[0]
    res = run(fw, SERVICE_RUNS[run_name] + ["-option-rom", rom("services")]
              + ide(disk(tmp_path, "ide", mode=2)))
    assert ok_status(res), res.debug[-3000:]
    r = rom_report(res, "services")
    assert r.get("entry") and r["ax"] == "0000" and r["if"] == "01", r
    bad = {k: r.get(k) for k in SERVICES_BASIC if r.get(k) != "ok"}
    assert not bad, r["_lines"]


@pytest.mark.parametrize("fw", [
    "kelp",
    "seabios"])
def test_memory_services_during_init(tmp_path, fw):
    """INT 15h E820h and 88h must describe the memory while ROMs run."""
    extra = ["-device", "VGA"] if fw == "seabios" else []
    res = run(fw, extra + ["-option-rom", rom("services")] + ide(disk(tmp_path, "ide", mode=2)))
    r = rom_report(res, "services")
    bad = {k: r.get(k) for k in SERVICES_MEMORY if r.get(k) != "ok"}
    assert not bad, r["_lines"]


# ------------------------------------------------ 7. malformed ROMs

MALFORMED_PCI = {
    "bad-csum": "checksum of the image is not 0",
    "size0": "size byte 0",
    "oversize": "size byte larger than the ROM BAR",
    "pcir-out": "PCIR offset beyond the image and the BAR",
    # QEMU does not patch the IDs of a romfile= given by the user (only of
    # its own default ROMs), so this one reaches the firmware as built.
    "pcir-mismatch": "PCIR vendor/device 1234:5678 on an e1000",
    "efi-only": "the only image has code type 3 (EFI)",
}


@pytest.mark.parametrize("fw", ["kelp", "seabios"])
@pytest.mark.parametrize("name", list(MALFORMED_PCI))
def test_malformed_pci_rom_skipped(tmp_path, name, fw):
    res = run(fw, e1000(rom(name)) + ide(disk(tmp_path, "ide", mode=2)))
    assert ok_status(res), res.debug[-3000:]
    assert not rom_ran(res, name), MALFORMED_PCI[name]
    assert disk_report(res)["boot"] == [("ide", "80")]
    if fw == "kelp":
        assert kelp_lines(res, rf"rom: .*(00:02\.0|{E1000})"), res.debug


def test_pcir_after_image_end_skipped(tmp_path):
    """The PCIR lies in the ROM file but after the image's last byte (size
    byte 2, PCIR at 400h): a pointer outside the image."""
    res = run("kelp", e1000(rom("pcir-past")) + ide(disk(tmp_path, "ide", mode=2)))
    assert disk_report(res)["boot"] == [("ide", "80")]
    assert not rom_ran(res, "pcir-past")


MALFORMED_OPT = {
    "size0-opt": "size byte 0",
    "oversize-opt": "size byte larger than the file",
    "bad-csum-opt": "checksum of the image is not 0",
}


def _opt_params():
    for name in MALFORMED_OPT:
        for fw in ("kelp", "seabios"):
            yield pytest.param(name, fw, id=f"{name}-{fw}")


@pytest.mark.parametrize("name,fw", list(_opt_params()))
def test_malformed_option_rom_skipped(tmp_path, name, fw):
    """Through QEMU -option-rom (fw_cfg genroms/)."""
    res = run(fw, ["-option-rom", rom(name)] + ide(disk(tmp_path, "ide", mode=2)))
    assert ok_status(res), res.debug[-3000:]
    assert disk_report(res)["boot"] == [("ide", "80")]
    assert not rom_ran(res, name), MALFORMED_OPT[name]
    if fw == "kelp":
        assert kelp_lines(res, rf"rom: .*genroms/{re.escape(name)}\.rom"), res.debug


def _badptr_run(tmp_path):
    res = run("kelp", ["-option-rom", rom("pnp-badptr")] + ide(disk(tmp_path, "ide", mode=2)))
    assert ok_status(res), res.debug[-3000:]
    return res


def test_pnp_header_with_bad_pointers_ignored(tmp_path):
    """A PnP header whose BEV, BCV, product name and next header all lie
    beyond the image: the ROM runs (its image is fine), nothing from the
    header reaches the boot list, and the disk boots."""
    res = _badptr_run(tmp_path)
    seg = rom_report(res, "pnp-badptr").get("seg")
    assert seg, res.debug[-3000:]
    boots = kelp_lines(res, r"^boot \d+:")
    assert boots == ["boot 1: hard disk 80h"], boots
    assert not kelp_lines(res, rf"rom: {seg}: (boot entry|disk connection)")
    assert not kelp_lines(res, rf"rom: BCV {seg}:")
    assert disk_report(res)["boot"] == [("ide", "80")]


def test_pnp_header_with_bad_pointers_logged(tmp_path):
    res = _badptr_run(tmp_path)
    seg = rom_report(res, "pnp-badptr")["seg"]
    said = [l for l in kelp_lines(res, rf"^rom: .*(pnp-badptr|{seg})")
            if re.search(r"(?i)pnp|bev|bcv|vector|header", l.replace("pnp-badptr", ""))]
    assert said, res.debug


def test_pnp_header_loop(tmp_path):
    """Two PnP headers naming each other as next: each BEV is listed and
    tried once (both return), then the disk boots."""
    res = run("kelp", ["-option-rom", rom("pnp-loop")] + ide(disk(tmp_path, "ide", mode=2)))
    assert ok_status(res), res.debug[-3000:]
    boots = kelp_lines(res, r"^boot \d+:")
    assert len(boots) == 3 and "Kelp test loop A" in boots[0] and "Kelp test loop B" in boots[1], boots
    assert boots[2] == "boot 3: hard disk 80h", boots
    assert rom_report(res, "pnp-loop")["_lines"][1:] == ["bev=a", "bev=b"], res.debug[-3000:]
    assert disk_report(res)["boot"] == [("ide", "80")]


@pytest.mark.parametrize("fw", ["kelp", "seabios"])
def test_rom_too_big_for_the_window(tmp_path, fw):
    """Two e1000s with 127.5 KiB ROMs: the first fills C0000-DFFFF, the
    second no longer fits and is skipped."""
    res = run(fw, e1000(rom("big")) + e1000(rom("big")) + ide(disk(tmp_path, "ide", mode=2)))
    assert ok_status(res), res.debug[-3000:]
    assert rom_report(res, "big")["_lines"] == ["ran seg=c000"], res.debug[-3000:]
    assert disk_report(res)["boot"] == [("ide", "80")]
    if fw == "kelp":
        assert kelp_lines(res, r"rom: .*no room.*00:03\.0"), res.debug


# ------------------------------------------------ ROMs that never return

ROM_TIMEOUT = ["-fw_cfg", "name=opt/kelp/rom-timeout,string=300"]


def test_rom_init_that_never_returns_is_abandoned(tmp_path):
    """A legacy ROM whose init hooks INT 13h and 19h, takes 1 KiB of base
    memory and then spins with interrupts on: after the watchdog's time
    Kelp puts the vectors and 40:13h back, drops the ROM and boots the
    disk through its own INT 19h and INT 13h."""
    res = run("kelp", ROM_TIMEOUT + ["-option-rom", rom("hang")]
              + ide(disk(tmp_path, "ide", mode=2)), timeout=30)
    assert ok_status(res), res.debug[-3000:]
    assert rom_report(res, "hang")["_lines"] == ["hang"], res.debug[-3000:]
    assert kelp_lines(res, r"rom: genroms/hang\.rom at [0-9a-f]{4}:0003 did not return "
                      r"within 300 ms; abandoned"), res.debug[-3000:]
    assert not kelp_lines(res, r"took over INT 19h"), res.debug[-3000:]
    assert kelp_lines(res, r"^conventional memory: 639 KiB free"), res.debug[-3000:]
    assert disk_report(res)["boot"] == [("ide", "80")]


def test_bcv_that_never_returns_is_abandoned(tmp_path):
    """A PnP ROM whose BCV hooks INT 13h and spins: the hook is undone and
    the IDE disk still boots and reads through Kelp's INT 13h."""
    res = run("kelp", ROM_TIMEOUT + ["-option-rom", rom("hang-bcv")]
              + ide(disk(tmp_path, "ide", mode=2)), timeout=30)
    assert ok_status(res), res.debug[-3000:]
    assert rom_report(res, "hang-bcv")["_lines"] == ["ran seg=" + rom_report(res, "hang-bcv")["seg"], "bcv"], res.debug[-3000:]
    assert kelp_lines(res, r"rom: BCV at [0-9a-f]{4}:[0-9a-f]{4} did not return within 300 ms"), \
        res.debug[-3000:]
    assert disk_report(res)["boot"] == [("ide", "80")]


# ------------------------------------------- ROMs that break what Kelp owns

def test_rom_that_cuts_off_int13_and_int16_and_scribbles_on_the_bda(tmp_path):
    """A legacy ROM replaces INT 13h and INT 16h with handlers that fail
    every call and never chain, and writes 20h into 40:75h. Kelp finds out
    (INT 16h is a vector it keeps; an INT 13h call for drive 7Fh never
    reaches Kelp's handler; drive 81h does not answer), says so, undoes all
    three and boots the IDE disk, whose program reads through INT 13h."""
    res = run("kelp", ["-option-rom", rom("scribble")] + ide(disk(tmp_path, "ide")))
    assert ok_status(res), res.debug[-3000:]
    assert rom_report(res, "scribble")["_lines"] == ["scribble"], res.debug[-3000:]
    what = r"rom: genroms/scribble\.rom"
    assert kelp_lines(res, what + r" replaced INT 16h \([0-9a-f]{8}\); restored"), res.debug[-3000:]
    assert kelp_lines(res, what + r" took INT 13h \([0-9a-f]{8}\) without passing on the "
                      r"drives it does not own; restored, 40:75h back from 32 to 1"), \
        res.debug[-3000:]
    rep = disk_report(res)
    assert rep["boot"] == [("ide", "80")] and rep["drives"] == 1, rep
    check_drive(rep, "80", "ide", romtool.DEFAULT_SECTORS)


def test_rom_disk_that_answers_is_kept(tmp_path):
    """The RAM disk ROM hooks INT 13h the right way (it chains) and serves
    the drive it adds to 40:75h: the checks above leave both alone."""
    res = run("kelp", ["-option-rom", rom("ramdisk")] + ide(disk(tmp_path, "ide", mode=2)))
    assert ok_status(res), res.debug[-3000:]
    assert not kelp_lines(res, r"does not answer|without passing on"), res.debug[-3000:]
    assert kelp_lines(res, r"rom: genroms/ramdisk\.rom added 1 disk"), res.debug[-3000:]


# --------------------------------------- a native driver or the device's ROM

def ahci_with_rom(path):
    return ["-device", f"ahci,id=ahci,addr=5,romfile={rom('ahci-rom')}",
            "-drive", f"if=none,id=sata,file={path},format=raw,snapshot=on",
            "-device", "ide-hd,drive=sata,bus=ahci.0"]


def test_native_driver_wins_over_the_device_rom(tmp_path):
    """An AHCI controller with an option ROM: by default Kelp drives it and
    the ROM does not run, so the two never serve the same disk."""
    res = run("kelp", ahci_with_rom(disk(tmp_path, "sata", mode=2)))
    assert ok_status(res), res.debug[-3000:]
    assert not rom_ran(res, "ahci-rom"), res.debug[-3000:]
    assert kelp_lines(res, r"rom: 00:05\.0 8086:2922: served by Kelp's own driver; ROM not run")
    assert disk_report(res)["boot"] == [("sata", "80")]


def test_device_rom_preferred_over_the_native_driver(tmp_path):
    """opt/kelp/rom/00:05.0=prefer: the ROM runs and Kelp leaves the
    controller alone (its disk is not served by Kelp; the IDE disk boots)."""
    res = run("kelp", ahci_with_rom(disk(tmp_path, "sata", mode=2))
              + ["-fw_cfg", "name=opt/kelp/rom/00:05.0,string=prefer"]
              + ide(disk(tmp_path, "ide", mode=2)))
    assert ok_status(res), res.debug[-3000:]
    assert rom_ran(res, "ahci-rom"), res.debug[-3000:]
    assert kelp_lines(res, r"ahci 00:05\.0: its option ROM is preferred; not driven by Kelp")
    assert not kelp_lines(res, r"^ahci0-p"), res.debug[-3000:]
    assert disk_report(res)["boot"] == [("ide", "80")]


def test_rom_that_writes_over_kelps_code_is_undone(tmp_path):
    """A ROM writes over the start of Kelp's runtime code and over the
    reset entry point while the F-segment is still writable: Kelp notices
    after the ROM returns, puts its code back and serves the disk."""
    res = run("kelp", ["-option-rom", rom("scribble-code")] + ide(disk(tmp_path, "ide")))
    assert ok_status(res), res.debug[-3000:]
    assert rom_report(res, "scribble-code")["_lines"] == ["scribble-code"], res.debug[-3000:]
    what = r"rom: genroms/scribble-code\.rom wrote over"
    assert kelp_lines(res, what + r" \d+ bytes of Kelp's runtime code at f0000; restored")
    assert kelp_lines(res, what + r" \d+ bytes of Kelp's fixed entry points at fe000; restored")
    rep = disk_report(res)
    assert rep["boot"] == [("ide", "80")] and rep["done"], rep
    check_drive(rep, "80", "ide", romtool.DEFAULT_SECTORS)


def test_rom_with_126_drives_gives_127_hard_disks(tmp_path):
    """A SAN-like ROM whose one disk answers as 126 drives (81h-FEh) next
    to an IDE disk: every drive number up to FEh is counted in 40:75h
    (INT 13h 08h says 127), each drive is checked to answer, and each gets
    a boot entry."""
    res = run("kelp", ["-option-rom", rom("ramdisk-many")] + ide(disk(tmp_path, "ide")),
              timeout=60)
    assert ok_status(res), res.debug[-3000:]
    assert kelp_lines(res, r"rom: genroms/ramdisk-many\.rom added 126 disk\(s\)"), res.debug[-3000:]
    assert not kelp_lines(res, r"does not answer|without passing on"), res.debug[-3000:]
    boots = kelp_lines(res, r"^boot \d+: hard disk")
    assert len(boots) == 127 and boots[-1] == "boot 127: hard disk feh", boots[-3:]
    rep = disk_report(res)
    assert rep["boot"] == [("ide", "80")] and rep["drives"] == 127 and rep["done"], rep
    check_drive(rep, "80", "ide", romtool.DEFAULT_SECTORS)
