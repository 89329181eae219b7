"""SAN boot: Linux from an iSCSI disk, through iPXE's INT 13h.

A Linux iSCSI target (tgtd from Debian's tgt) serves a copy of the test
disk (out/test/linux-ide.img, tests/images/mklinux.py) as LUN 1.  The test
starts its own tgtd and stops it again:

- the portal is 127.0.0.1 on a free port (`--iscsi portal=...`), and the
  fixture checks that nothing of it listens on any other address;
- the management socket is a private one (`-C N`: /var/run/tgtd/socket.N),
  so a tgtd of the system, if any, is neither used nor disturbed;
- only initiators connecting from 127.0.0.1 are let in.

The guest has one NIC with iPXE's ROM and no disk.  QEMU's user network
(restricted) forwards 10.0.2.100:3260 inside the guest network to the
portal (guestfwd) and serves a TFTP directory whose boot file is an iPXE
script; iPXE runs scripts it downloads:

    #!ipxe
    sanboot iscsi:10.0.2.100:::1:<iqn>

iPXE logs in, hooks INT 13h with the LUN as drive 80h and boots its MBR:
syslinux's MBR, boot sector and ldlinux.sys load the kernel and initramfs
through that INT 13h.  The init reports the EDD data of drive 80h (the
disk signature of the image shows the LUN is the disk) and prints
"KELP-INIT done".  The same run on SeaBIOS shows the setup is right.

A second case puts an IDE disk without a boot signature in front: the
firmware skips it, runs the BEV, and iPXE makes the LUN drive 80h and the
IDE disk drive 81h (still served by the firmware's INT 13h behind iPXE's).

tgtd must run as root.  The tests are skipped, with the reason, only when
tgt is not installed or tgtd cannot be started here.
"""
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

import harness

MKLINUX = os.path.join(harness.ROOT, "tests", "images", "mklinux.py")
LINUX_IMG = os.path.join(harness.OUT, "test", "linux-ide.img")
IPXE_ROM = "/usr/lib/ipxe/qemu/efi-e1000.rom"
TGTD = "/usr/sbin/tgtd"
TGTADM = "/usr/sbin/tgtadm"
TGTD_RUN = "/var/run/tgtd"
IQN = "iqn.2005-01.org.kelp.test:linux-ide"
LUN = 1
GUEST_ADDR = "10.0.2.100"       # inside QEMU's user network only
GUEST_PORT = 3260
DISK_SIGNATURE = "0x504c454b"   # mklinux.py's MBR signature, "KELP"
FIRMWARES = {"kelp": harness.KELP, "seabios": harness.SEABIOS}
START_TIMEOUT = 10
# 127.0.0.1 as /proc/net/tcp and /proc/net/tcp6 (v4-mapped) write it.
LOOPBACK_HEX = ("0100007F", "0000000000000000FFFF00000100007F")
BOOT_TIMEOUT = 180


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listeners(port):
    """Local addresses (hex, as in /proc/net/tcp*) listening on port."""
    found = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    addr, p = fields[1].rsplit(":", 1)
                    if int(p, 16) == port and fields[3] == "0A":      # LISTEN
                        found.append(addr)
        except OSError:
            pass
    return found


class Tgtd:
    """A private tgtd: own management port, one portal on 127.0.0.1."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.proc = None
        self.ctl = None
        self.port = None
        self.logpath = os.path.join(workdir, "tgtd.log")

    def log(self):
        try:
            with open(self.logpath, errors="replace") as f:
                return f.read()[-3000:]
        except OSError:
            return ""

    def adm(self, *args, check=True, timeout=20):
        p = subprocess.run([TGTADM, "-C", str(self.ctl), "--lld", "iscsi", *args],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=timeout)
        if check and p.returncode != 0:
            raise RuntimeError(f"tgtadm {' '.join(args)} failed ({p.returncode}): "
                               f"{p.stdout}{p.stderr}\ntgtd log:\n{self.log()}")
        return p

    def _sockets(self, ctl):
        base = os.path.join(TGTD_RUN, f"socket.{ctl}")
        return [base, base + ".lock"]

    def start(self):
        """Start tgtd; a reason string if it cannot run here, else None."""
        first = 20000 + os.getpid() % 12000     # tgtd takes at most 32767
        for ctl in range(first, first + 20):
            if any(os.path.exists(p) for p in self._sockets(ctl)):
                continue
            self.ctl, self.port = ctl, free_port()
            with open(self.logpath, "ab") as log:
                self.proc = subprocess.Popen(
                    [TGTD, "-f", "-C", str(ctl), "--iscsi", f"portal=127.0.0.1:{self.port}"],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True)
            end = time.monotonic() + START_TIMEOUT
            while time.monotonic() < end and self.proc.poll() is None:
                try:
                    p = self.adm("--op", "show", "--mode", "target", check=False, timeout=5)
                    if p.returncode == 0 and listeners(self.port):
                        return None
                except subprocess.TimeoutExpired:
                    pass
                time.sleep(0.1)
            self.stop()
        return f"tgtd did not start: {self.log()}"

    def stop(self):
        if self.proc is not None:
            if self.proc.poll() is None:
                # tgtd ignores SIGTERM; it is told over its socket to drop
                # the target, then to stop.
                for args in (["--lld", "iscsi", "--op", "delete", "--force", "--mode", "target",
                              "--tid", "1"], ["--op", "delete", "--mode", "system"]):
                    try:
                        subprocess.run([TGTADM, "-C", str(self.ctl), *args],
                                       stdin=subprocess.DEVNULL, capture_output=True, timeout=10)
                    except subprocess.TimeoutExpired:
                        pass
                try:
                    self.proc.wait(5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            self.proc = None
            for p in self._sockets(self.ctl):
                try:
                    os.unlink(p)
                except OSError:
                    pass


@pytest.fixture(scope="module")
def iscsi_target(tmp_path_factory):
    if not (os.access(TGTD, os.X_OK) and os.access(TGTADM, os.X_OK)):
        pytest.skip("tgt is not installed (scripts/deps.sh installs the Debian package tgt)")
    if os.geteuid() != 0:
        pytest.skip("tgtd needs root")
    p = subprocess.run([sys.executable, MKLINUX, "--out", os.path.dirname(LINUX_IMG)],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if p.returncode != 0:
        pytest.fail(f"mklinux.py failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    work = tmp_path_factory.mktemp("san")
    lun = str(work / "lun.img")
    shutil.copyfile(LINUX_IMG, lun)
    t = Tgtd(str(work))
    why = t.start()
    if why:
        pytest.skip(why)
    try:
        bad = [a for a in listeners(t.port) if a not in LOOPBACK_HEX]
        assert not bad, f"tgtd listens on more than 127.0.0.1:{t.port}: {bad}"
        t.adm("--op", "new", "--mode", "target", "--tid", "1", "-T", IQN)
        t.adm("--op", "new", "--mode", "logicalunit", "--tid", "1", "--lun", str(LUN), "-b", lun)
        t.adm("--op", "bind", "--mode", "target", "--tid", "1", "-I", "127.0.0.1")
        tftp = work / "tftp"
        tftp.mkdir()
        (tftp / "boot.ipxe").write_text(
            "#!ipxe\n"
            "echo KELP-SAN script started\n"
            f"sanboot iscsi:{GUEST_ADDR}:::{LUN}:{IQN}\n")
        yield {"port": t.port, "tftp": str(tftp), "tgtd": t}
    finally:
        t.stop()


def san_boot(fw, target, extra=()):
    port, tftp = target["port"], target["tftp"]
    res = harness.run_qemu(FIRMWARES[fw], [
        "-netdev", f"user,id=n0,restrict=on,tftp={tftp},bootfile=boot.ipxe,"
                   f"guestfwd=tcp:{GUEST_ADDR}:{GUEST_PORT}-tcp:127.0.0.1:{port}",
        "-device", f"e1000,netdev=n0,romfile={IPXE_ROM}", *extra],
        timeout=BOOT_TIMEOUT, memory="256M", icount=False)
    where = (f"\n--- debug log ---\n{res.debug[-4000:]}\n--- serial ---\n{res.serial[-4000:]}"
             f"\n--- tgtd ---\n{target['tgtd'].log()}")
    assert "KELP-INIT done" in res.serial, "Linux did not reach the end of its init" + where
    assert res.status == harness.EXIT_OK_STATUS, f"exit status {res.status}" + where
    edd = {}
    for l in res.serial.replace("\r", "").splitlines():
        i = l.find("KELP-INIT edd int13_dev")
        if i >= 0:
            dev, kv = l[i + len("KELP-INIT edd int13_dev"):].split(" ", 1)
            k, _, v = kv.partition("=")
            edd.setdefault(int(dev, 16), {})[k] = v
    return res, edd, where


@pytest.mark.parametrize("fw", sorted(FIRMWARES))
def test_linux_boots_from_iscsi_lun(fw, iscsi_target):
    if not os.path.exists(FIRMWARES[fw]):
        pytest.skip(f"{FIRMWARES[fw]} does not exist")
    res, edd, where = san_boot(fw, iscsi_target)
    # Drive 80h, as Linux saw it through EDD, is the LUN: the image's MBR
    # signature and its size in sectors.  There is no other disk.
    lun_sectors = str(os.path.getsize(LINUX_IMG) // 512)
    assert edd.get(0x80, {}).get("mbr_signature") == DISK_SIGNATURE, \
        "drive 80h does not carry the LUN's MBR signature" + where
    assert edd[0x80].get("sectors") == lun_sectors, where
    assert sorted(edd) == [0x80], f"BIOS disks seen: {sorted(edd)}" + where
    if fw == "kelp":
        assert "Booting from iPXE" in res.debug, where
        # Kelp's INT 10h serial console shows what iPXE printed.
        assert "KELP-SAN script started" in res.serial, where
        assert "Booting from SAN device 0x80" in res.serial, where


@pytest.mark.parametrize("fw", sorted(FIRMWARES))
def test_iscsi_lun_beside_unbootable_ide_disk(fw, iscsi_target, tmp_path):
    """An IDE disk without a boot signature comes first in the boot order:
    it is skipped, the NIC's BEV runs, and iPXE puts the LUN at 80h and the
    IDE disk, still reachable through INT 13h, at 81h."""
    if not os.path.exists(FIRMWARES[fw]):
        pytest.skip(f"{FIRMWARES[fw]} does not exist")
    blank = tmp_path / "blank.img"
    with open(blank, "wb") as f:
        f.truncate(8 << 20)
    res, edd, where = san_boot(fw, iscsi_target, [
        "-drive", f"file={blank},format=raw,if=ide,snapshot=on"])
    assert edd.get(0x80, {}).get("mbr_signature") == DISK_SIGNATURE, where
    assert edd.get(0x81, {}).get("sectors") == str((8 << 20) // 512), \
        "the IDE disk is not drive 81h" + where
    assert sorted(edd) == [0x80, 0x81], f"BIOS disks seen: {sorted(edd)}" + where
    if fw == "kelp":
        first = res.debug.find("Booting from Hard Disk 80")
        failed = res.debug.find("Boot failed: not a bootable disk")
        bev = res.debug.find("Booting from iPXE")
        assert 0 <= first < failed < bev, where
