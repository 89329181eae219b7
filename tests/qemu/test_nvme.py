"""NVMe namespaces served through INT 13h.

out/test/nvmeio.img (tests/payloads/nvmeio.mk, body nvmeio.c) boots
from namespace 1 of a controller whose transfers are limited to 16 KiB
(mdts=2), with more namespaces behind it (IDs 3, 5 and 6: a gap in the
active list, 4096-byte blocks, blocks with metadata) and a second
controller. The probe reads and writes every disk through INT 13h and
prints what it got; the expected data comes from the image files, which
are checked again after QEMU exits for what the writes left on them.
Reads of sector ERR_READ_LBA and writes of ERR_WRITE_LBA of the boot
namespace fail in QEMU's block layer (blkdebug), and so does every cache
flush of namespace 3. QEMU's trace of the commands it received shows the
data pointers and flushes the driver sent. A second boot throttles the
second controller's namespace so that its commands never complete in
time.

test_linux_boots_from_nvme boots the syslinux + Linux disk of
test_linux.py from an NVMe namespace with no other disk, and checks what
the kernel learned through EDD."""
import fcntl
import os
import random
import re
import shutil
import struct
import subprocess
import time

import pytest

import harness
from test_linux import linux_image, report, edd_fields, tail  # noqa: F401 (fixture)

IMG = os.path.join(harness.OUT, "test", "nvmeio.img")
TIMEOUT = 90
SECTOR = 512
ERR_READ_LBA = 3040             # as in nvmeio.c
ERR_WRITE_LBA = 3100
BLKDEBUG = f"""\
[inject-error]
event = "read_aio"
errno = "5"
sector = "{ERR_READ_LBA}"

[inject-error]
event = "write_aio"
errno = "5"
sector = "{ERR_WRITE_LBA}"
"""
BLKDEBUG_FLUSH = """\
[inject-error]
event = "flush_to_disk"
iotype = "flush"
errno = "5"
"""

# The other namespaces: (drive, controller, nsid, block size, bytes).
OTHERS = [
    (0x81, "nvme0", 3, 512, 1 << 20),
    (0x82, "nvme0", 5, 4096, 1 << 20),
    (0x83, "nvme1", 1, 512, 1 << 20),
]
PCI_SLOT = {"nvme0": 2, "nvme1": 3}


def build_image():
    """make -f tests/payloads/nvmeio.mk; it shares the boot sector with the
    main probe, so take the same lock as test_probe.py."""
    os.makedirs(os.path.join(harness.OUT, "test"), exist_ok=True)
    with open(os.path.join(harness.OUT, "test", ".probe-build.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        p = subprocess.run(["make", "--no-print-directory", "-f", "tests/payloads/nvmeio.mk",
                            f"OUT={harness.OUT}", "nvmeio"],
                           cwd=harness.ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0 or not os.path.exists(IMG):
        pytest.fail("building the disk I/O probe failed:\n" + p.stdout.decode(errors="replace"))


def dword_sum(block):
    return sum(struct.unpack(f"<{len(block) // 4}I", block)) & 0xFFFFFFFF


def sums(data, bs):
    return [f"{dword_sum(data[i:i + bs]):08x}" for i in range(0, len(data), bs)]


def pattern(lba, bs):
    """The block nvmeio.c writes to lba (its pattern())."""
    return bytes((lba * 13 + i * 7 + 0x21 + (i >> 8)) & 0xFF for i in range(bs))


def block(data, lba, bs, count=1):
    return data[lba * bs:(lba + count) * bs]


class Run:
    """One boot of the probe: its PROBE values, Kelp's log, the disk images
    before and after, and the data pointers of every command QEMU saw.

    slow: the second controller's namespace is throttled to 20 bytes/s, so
    every command on it after the first waits far longer than the driver
    does (real time: no -icount)."""

    def __init__(self, tmp, slow=False):
        if not os.path.exists(harness.KELP):
            pytest.skip("out/bios.bin does not exist yet (build the firmware with make)")
        build_image()
        self.files = {}
        boot = os.path.join(tmp, "boot.img")
        shutil.copyfile(IMG, boot)
        self.files[0x80] = boot
        conf = os.path.join(tmp, "blkdebug.conf")
        with open(conf, "w") as f:
            f.write(BLKDEBUG)
        flush_conf = os.path.join(tmp, "blkdebug-flush.conf")
        with open(flush_conf, "w") as f:
            f.write(BLKDEBUG_FLUSH)
        rnd = random.Random(0x4E564D45)
        others = OTHERS[2:] if slow else OTHERS
        for drive, _, nsid, bs, size in others:
            drive = 0x81 if slow else drive
            path = os.path.join(tmp, f"d{drive:02x}.img")
            with open(path, "wb") as f:
                f.write(rnd.randbytes(size))
            self.files[drive] = path
        self.before = {d: open(p, "rb").read() for d, p in self.files.items()}
        trace = os.path.join(tmp, "trace.log")

        def drive(name, path, extra=""):
            return ["-drive", f"if=none,id={name},format=raw,file={path}{extra}"]
        args = ["-device", "nvme,id=nvme0,serial=KELPNV0,mdts=2,addr=2"]
        if slow:
            args += drive("ns1", boot)
            args += ["-device", "nvme-ns,drive=ns1,bus=nvme0,nsid=1"]
            args += drive("q1", self.files[0x81], ",bps=20")
            args += ["-device", "nvme,serial=KELPSLOW,drive=q1,addr=3"]
        else:
            args += drive("ns1", f"blkdebug:{conf}:{boot}")
            args += ["-device", "nvme-ns,drive=ns1,bus=nvme0,nsid=1"]
            args += drive("ns3", f"blkdebug:{flush_conf}:{self.files[0x81]}")
            args += ["-device", "nvme-ns,drive=ns3,bus=nvme0,nsid=3"]
            args += drive("ns5", self.files[0x82])
            args += ["-device", "nvme-ns,drive=ns5,bus=nvme0,nsid=5,"
                     "logical_block_size=4096,physical_block_size=4096"]
            meta = os.path.join(tmp, "meta.img")
            with open(meta, "wb") as f:
                f.truncate(1 << 20)
            args += drive("ns6", meta)
            args += ["-device", "nvme-ns,drive=ns6,bus=nvme0,nsid=6,ms=8"]
            args += drive("q1", self.files[0x83])
            args += ["-device", "nvme,serial=KELPNV1,drive=q1,addr=3"]
            args += ["-trace", "pci_nvme_map_prp", "-trace", "pci_nvme_io_cmd",
                     "-trace", "pci_nvme_write", "-D", trace]
        self.res = harness.run_qemu(harness.KELP, args, timeout=TIMEOUT, icount=not slow)
        self.after = {d: open(p, "rb").read() for d, p in self.files.items()}
        self.v = {}
        for m in re.finditer(r"^PROBE ([^=\s]+)=(\S*)$", self.res.debug, re.M):
            self.v[m.group(1)] = m.group(2)
        self.log = "\n".join(l for l in self.res.debug.splitlines()
                             if not l.startswith("PROBE "))
        # (bytes in the first page, length, PRP1, PRP2) per data transfer,
        # [namespace, opcode, first LBA of a write] per I/O command
        self.prps, self.cmds = [], []
        if os.path.exists(trace):
            with open(trace) as f:
                text = f.read()
            for m in re.finditer(r"pci_nvme_map_prp trans_len (\d+) len (\d+) "
                                 r"prp1 (0x[0-9a-f]+) prp2 (0x[0-9a-f]+)", text):
                self.prps.append(tuple(int(x, 0) for x in m.groups()))
            for m in re.finditer(r"pci_nvme_io_cmd cid \d+ nsid (0x[0-9a-f]+) sqid \d+ "
                                 r"opc (0x[0-9a-f]+)|pci_nvme_write .* lba (0x[0-9a-f]+)", text):
                if m.group(3):
                    self.cmds[-1][2] = int(m.group(3), 0)
                else:
                    self.cmds.append([int(m.group(1), 0), int(m.group(2), 0), None])
        tail_ = "\n".join(self.res.debug.splitlines()[-30:])
        if self.res.timed_out or self.res.status != harness.EXIT_OK_STATUS \
                or self.v.get("done") != "1":
            pytest.fail(f"probe did not finish (status {self.res.status}, "
                        f"timed out {self.res.timed_out})\n{tail_}")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return Run(str(tmp_path_factory.mktemp("nvme")))


@pytest.fixture(scope="module")
def slow_run(tmp_path_factory):
    return Run(str(tmp_path_factory.mktemp("nvme-slow")), slow=True)


def ok(v, name, count):
    assert v[f"{name}.cf"] == "0" and v[f"{name}.ah"] == "00", \
        f"{name}: cf={v[name + '.cf']} ah={v[name + '.ah']}"
    assert int(v[f"{name}.count"], 16) == count


# ---------------------------------------------------------------- POST

def test_log_lists_namespaces_with_size_and_model(run):
    log = run.log
    assert re.search(r"^nvme0: QEMU NVMe Ctrl \(serial KELPNV0, firmware \S+\) at 00:02\.0, "
                     r"NVMe 1\.\d+, 4 active namespaces, 16 KiB per command, write cache$",
                     log, re.M), log
    expect = [
        ("nvme0 n1", "QEMU NVMe Ctrl", 8, 16384, 0x80),
        ("nvme0 n3", "QEMU NVMe Ctrl", 1, 2048, 0x81),
        ("nvme0 n5", r"QEMU NVMe Ctrl \(4096-byte blocks\)", 1, 256, 0x82),
        ("nvme1 n1", "QEMU NVMe Ctrl", 1, 2048, 0x83),
    ]
    for who, model, mib, sectors, drive in expect:
        assert re.search(rf"^{who}: {model}, {mib} MiB, {sectors} sectors, .* "
                         rf"drive {drive:02x}h$", log, re.M), f"no line for {who}:\n{log}"
    assert re.search(r"^nvme0 n6: blocks carry 8 bytes of metadata \(LBA format \d+\), "
                     r"not served$", log, re.M), log
    assert int(run.v["disks"]) == 4


def test_edd_describes_each_namespace(run):
    v = run.v
    for drive, ctrl, nsid, bs, size in [(0x80, "nvme0", 1, 512, 8 << 20)] + OTHERS:
        d = f"d{drive:02x}.48"
        assert v[f"{d}.cf"] == "0" and v[f"{d}.size"] == "004a"
        assert int(v[f"{d}.sectors"], 16) == size // bs
        assert int(v[f"{d}.bps"], 16) == bs
        assert v[f"{d}.key"] == "bedd" and v[f"{d}.path_len"] == "2c"
        assert v[f"{d}.host_bus"] == "PCI" and v[f"{d}.iface"] == "NVME"
        # bus 0, the controller's slot, function 0, channel 0
        assert v[f"{d}.iface_path"] == f"00{PCI_SLOT[ctrl]:02x}000000000000"
        # the namespace ID, a little-endian dword, then zeros
        assert v[f"{d}.dev_path"] == struct.pack("<I", nsid).hex() + "00" * 12
        assert v[f"{d}.dpte"] == "ffff:ffff", "a DPTE describes ATA registers only"
        assert v[f"{d}.checksum_ok"] == "1"


# ---------------------------------------------------------------- reads

@pytest.mark.parametrize("name,lba,count", [
    ("aligned", 65, 24),        # 12 KiB from a page: a PRP list
    ("offset", 100, 17),        # from 3000:0204: first PRP at a page offset
    ("odd", 130, 20),           # from an odd address: through the bounce page
    ("big", 200, 128),          # 64 KiB: four commands of 16 KiB
])
def test_reads_return_the_sectors_on_disk(run, name, lba, count):
    v, disk = run.v, run.before[0x80]
    ok(v, f"read.{name}", count)
    assert v[f"read.{name}.sums"].split(",") == sums(block(disk, lba, SECTOR, count), SECTOR)


def test_chs_read_crosses_a_track(run):
    v, disk = run.v, run.before[0x80]
    assert v["read.chs.spt"] == "63"
    ok(v, "read.chs", 6)
    # cylinder 0, head 0, sector 61 is LBA 60; six sectors run into head 1
    assert v["read.chs.sums"].split(",") == sums(block(disk, 60, SECTOR, 6), SECTOR)


@pytest.mark.parametrize("drive", [d[0] for d in OTHERS])
def test_other_namespaces_read_their_own_data(run, drive):
    bs = next(o[3] for o in OTHERS if o[0] == drive)
    v, disk = run.v, run.before[drive]
    for name in ("read.aligned", "read.odd"):
        key = f"d{drive:02x}.{name}"
        ok(v, key, 2)
        assert v[f"{key}.sums"].split(",") == sums(block(disk, 0, bs, 2), bs), key


def test_data_pointers_follow_the_rules(run):
    """What QEMU tolerates but the specification forbids: PRP1 off a
    dword boundary, a second entry that is not a page, more bytes in one
    command than MDTS allows (16 KiB on nvme0; nvme1 only moves 2 blocks)."""
    assert run.prps, "no data transfer traced (QEMU trace events missing?)"
    for first, length, prp1, prp2 in run.prps:
        assert prp1 % 4 == 0, hex(prp1)
        assert length <= 16384, (length, hex(prp1))
        if length > first:
            assert prp2 % (4096 if length - first <= 4096 else 8) == 0, hex(prp2)


def test_multi_page_reads_use_a_prp_list(run):
    # 12 KiB into 2000:0000: one command, PRP2 a list (not the next page)
    aligned = [p for p in run.prps if p[2] == 0x20000 and p[1] == 24 * SECTOR]
    assert len(aligned) == 1 and aligned[0][3] >= 0x110000, aligned
    # 64 KiB into 5000:0000: four commands of 16 KiB
    big = [p for p in run.prps if 0x50000 <= p[2] < 0x60000]
    assert [(p[1], p[2]) for p in big] == [(16384, 0x50000 + i * 16384) for i in range(4)]


def test_odd_buffers_go_through_the_bounce_page(run):
    # The read into 2000:0001 follows the one into 3000:0204: 20 sectors
    # in page-sized pieces, each into the same page above real-mode memory.
    i = next(i for i, p in enumerate(run.prps) if p[2] == 0x30204)
    odd = run.prps[i + 1:i + 4]
    assert [p[1] for p in odd] == [4096, 4096, 2048], odd
    assert len({p[2] for p in odd}) == 1 and odd[0][2] % 4096 == 0 and odd[0][2] >= 0x110000


# ---------------------------------------------------------------- writes

@pytest.mark.parametrize("name,lba,count", [
    ("aligned", 1000, 10),
    ("odd", 1100, 3),
    ("offset", 1200, 20),
])
def test_writes_land_on_the_image(run, name, lba, count):
    v = run.v
    ok(v, f"write.{name}", count)
    assert v[f"write.{name}.readback"] == "1"
    want = b"".join(pattern(lba + i, SECTOR) for i in range(count))
    assert block(run.after[0x80], lba, SECTOR, count) == want
    # and nothing next to them
    assert block(run.after[0x80], lba - 1, SECTOR) == block(run.before[0x80], lba - 1, SECTOR)
    assert block(run.after[0x80], lba + count, SECTOR) == \
        block(run.before[0x80], lba + count, SECTOR)


def test_every_write_is_flushed(run):
    """QEMU's controller has a volatile write cache: a write counts as done
    only after a flush of its namespace succeeded."""
    writes = [i for i, (ns, op, lba) in enumerate(run.cmds) if op == 0x01]
    assert len(writes) == 7, run.cmds          # three, err.write and one per other disk
    for i in writes:
        ns, _, lba = run.cmds[i]
        if ns == 1 and lba == ERR_WRITE_LBA:
            continue                # failed: nothing to flush
        assert i + 1 < len(run.cmds) and run.cmds[i + 1][:2] == [ns, 0x00], \
            f"write of namespace {ns} at lba {lba} not followed by its flush"


def test_failed_flush_fails_the_write(run):
    # namespace 3 (drive 81h): the data reached QEMU but not the medium
    v = run.v
    assert v["d81.write.odd.cf"] == "1" and v["d81.write.odd.ah"] == "cc"
    assert v["d81.write.odd.count"] == "0000" and "d81.write.odd.readback" not in v
    assert re.search(r"^nvme 00:02\.0 n3: write of 1 blocks at lba 2 failed, status \w+, "
                     r"int13 cc$", run.log, re.M), run.log


@pytest.mark.parametrize("drive", [0x82, 0x83])
def test_other_namespaces_take_writes(run, drive):
    bs = next(o[3] for o in OTHERS if o[0] == drive)
    key = f"d{drive:02x}.write.odd"
    ok(run.v, key, 1)
    assert run.v[f"{key}.readback"] == "1"
    after, before = run.after[drive], run.before[drive]
    assert block(after, 2, bs) == pattern(2, bs)
    assert after[:2 * bs] == before[:2 * bs] and after[3 * bs:] == before[3 * bs:]


# ---------------------------------------------------------------- errors

def test_verify_and_range_checks(run):
    v = run.v
    assert v["verify.cf"] == "0" and v["verify.ah"] == "00"
    assert v["past_end.cf"] == "1" and v["past_end.ah"] == "01"
    assert v["past_end.count"] == "0000"


def test_failed_read_is_an_error_with_the_blocks_done(run):
    v = run.v
    # 48 sectors from ERR_READ_LBA - 40: the first command of 32 completes,
    # the second fails with an unrecovered read error (status 10h).
    assert v["err.read.cf"] == "1" and v["err.read.ah"] == "10"
    assert v["err.read.count"] == "0020"
    assert re.search(rf"^nvme 00:02\.0 n1: read of 16 blocks at lba {ERR_READ_LBA - 8} failed, "
                     r"status 281, int13 10$", run.log, re.M), run.log


def test_failed_write_is_reported_never_success(run):
    v = run.v
    assert v["err.write.cf"] == "1" and v["err.write.ah"] == "cc"
    assert v["err.write.count"] == "0000"
    assert re.search(rf"^nvme 00:02\.0 n1: write of 4 blocks at lba {ERR_WRITE_LBA} failed, "
                     r"status 280, int13 cc$", run.log, re.M), run.log
    assert block(run.after[0x80], ERR_WRITE_LBA, SECTOR, 4) == \
        block(run.before[0x80], ERR_WRITE_LBA, SECTOR, 4)


def test_a_controller_that_never_answers_gives_timeouts(slow_run):
    """Commands on the throttled namespace would take minutes: each read or
    write is given up after the driver's bound and reported as a timeout
    (80h), a write never as done, and the boot goes on."""
    v = slow_run.v
    ok(v, "d81.read.aligned", 2)      # the first one passes the throttle at once
    for name in ("d81.read.odd", "d81.write.odd"):
        assert v[f"{name}.cf"] == "1" and v[f"{name}.ah"] == "80", name
        assert v[f"{name}.count"] == "0000", name
    assert "d81.write.odd.readback" not in v
    assert len(re.findall(r"^nvme 00:03\.0 n1: (read|write) of \d+ blocks at lba \d+ "
                          r"got no answer in 5000 ms, int13 80$", slow_run.log, re.M)) == 2, \
        slow_run.log
    ok(v, "read.aligned", 24)         # the other controller is not held up


# ---------------------------------------------------------------- Linux

def test_linux_boots_from_nvme(linux_image, tmp_path):
    if not os.path.exists(harness.KELP):
        pytest.skip("out/bios.bin does not exist yet (build the firmware with make)")
    size = os.path.getsize(linux_image)
    with open(linux_image, "rb") as f:
        signature = struct.unpack_from("<I", f.read(512), 440)[0]
    start = time.monotonic()
    r = harness.run_qemu(harness.KELP, [
        "-drive", f"if=none,id=nv0,format=raw,file={linux_image},snapshot=on",
        "-device", "nvme,serial=KELPLINUX,drive=nv0,addr=4",
    ], timeout=150, memory="256M", icount=False)
    print(f"Linux from NVMe took {time.monotonic() - start:.1f} s, QEMU status {r.status}")
    log = f"\n--- serial (tail) ---\n{tail(r.serial)}\n--- debug (tail) ---\n{tail(r.debug, 30)}"
    lines = report(r.serial)
    assert any(l.startswith("start") for l in lines), \
        "the initramfs /init never ran (firmware, syslinux or kernel setup failed)" + log
    assert re.search(r"^nvme0 n1: QEMU NVMe Ctrl, 32 MiB, \d+ sectors, .* drive 80h$",
                     r.debug, re.M), log
    edd = edd_fields(lines, "int13_dev80")
    assert edd, "no /sys/firmware/edd/int13_dev80: int 13h extensions missing" + log
    assert int(edd["sectors"], 0) == size // 512, f"EDD: {edd}" + log
    assert int(edd.get("mbr_signature", "0"), 0) == signature, f"EDD: {edd}" + log
    # Linux knows no NVMe interface type and shows the raw device path:
    # namespace 1, then zeros.
    assert edd.get("interface", "").split() == ["NVME", "unknown:", "1", "0"], f"EDD: {edd}" + log
    assert edd.get("host_bus", "").split()[:2] == ["PCI", "00:04.0"], f"EDD: {edd}" + log
    assert "done" in lines, "init did not finish" + log
    assert not r.timed_out and r.status == harness.EXIT_OK_STATUS, log
    # The controller's queues join the high zone, which must stay within
    # the 160 KiB QEMU keeps free of a -initrd.
    zone = re.search(r"^alloc: (\d+) KiB of tables at the top of RAM", r.debug, re.M)
    assert zone and int(zone.group(1)) <= 160, log
