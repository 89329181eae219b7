"""Boot manager and serial console.

The machine of most tests has three boot devices, each of which says who
it is when started:

  disk  IDE primary master, boot-second.img (tests/payloads/bootchain.S):
        prints "PROBE boot.second.dl=80" and exits QEMU with the OK status
  cd    IDE secondary master, cdprobe.iso (tests/images/mkiso.py): its El
        Torito boot program prints "PROBE cd.<name>=..." lines and exits OK
  nic   an e1000 at 00:03.0 with Debian's iPXE ROM, which leaves a boot
        entry (BEV); on a network without a boot file iPXE gives up and
        returns, and the firmware goes on with the next entry

The firmware logs the device it starts ("Booting from <name>...") on the
debug console; the first such line is the device picked.

- Boot order: QEMU's bootindex= (the fw_cfg "bootorder" file) puts each
  device first in turn, also against a CMOS order (-boot order=) that
  names another one; without bootindex the CMOS order picks each; with
  -boot strict=on (a HALT line) the devices not listed are not booted.
- Boot menu (-boot menu=on): the prompt, the list naming every device, a
  pick by digit (keys typed over QMP) and by arrows and Enter (typed on the
  serial line, as ANSI sequences); without a key the default order boots.
- Serial console: with no VGA the firmware's and iPXE's banners reach the
  serial line; a boot sector's INT 10h drawing (tests/payloads/keyecho.S)
  arrives as ANSI cursor and colour sequences, with a VGA adapter too
  (where the VGA BIOS still draws the screen); keys typed on the serial
  line, escape sequences included, reach INT 16h as the keyboard's words.
  fw_cfg etc/sercon-port moves the console to another port or turns it
  off.
- Fallbacks: with nothing to boot the firmware says so and, after QEMU's
  reboot-timeout, resets (QEMU -no-reboot then exits); an unbootable disk
  first in the order falls through to the CD.
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest

import harness
from test_keyboard import LiveQemu
from test_probe import build_image, firmware_path, parse_probe

TEST_DIR = os.path.join(harness.OUT, "test")
DISK_IMG = os.path.join(TEST_DIR, "boot-second.img")
KEYECHO_IMG = os.path.join(TEST_DIR, "boot-keyecho.img")
CD_ISO = os.path.join(TEST_DIR, "cdprobe.iso")
MKISO = os.path.join(harness.ROOT, "tests", "images", "mkiso.py")
IPXE_ROM = "/usr/lib/ipxe/qemu/pxe-e1000.rom"
TIMEOUT = 60            # seconds for a whole boot under -icount
STEP = 20               # seconds for any one thing a live guest must show

# What the firmware calls each device, and the line it logs when it starts it.
NAMES = {
    "disk": "Hard Disk 80h: ata0-0 QEMU HARDDISK (lba48)",
    "cd": "CD-ROM e0h: ata1-0 QEMU DVD-ROM",
    "nic": "iPXE (PCI 00:03.0)",
}
CMOS_LETTER = {"disk": "c", "cd": "d", "nic": "n"}


@pytest.fixture(scope="module")
def images():
    build_image()
    p = subprocess.run([sys.executable, MKISO, "--out", TEST_DIR],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if p.returncode != 0 or not os.path.exists(CD_ISO):
        pytest.fail(f"mkiso.py failed ({p.returncode}):\n{p.stdout}{p.stderr}")


def devices(bootindex=None, disk=DISK_IMG):
    """The three boot devices; bootindex maps device names to QEMU's
    bootindex= (those not in it get none)."""
    bi = lambda name: f",bootindex={bootindex[name]}" if bootindex and name in bootindex else ""
    return ["-drive", f"file={disk},format=raw,if=none,id=hd,snapshot=on",
            "-device", f"ide-hd,drive=hd,bus=ide.0,unit=0{bi('disk')}",
            "-drive", f"file={CD_ISO},format=raw,if=none,id=cd,media=cdrom,readonly=on",
            "-device", f"ide-cd,drive=cd,bus=ide.1,unit=0{bi('cd')}",
            "-netdev", "user,id=n0,restrict=on",
            "-device", f"e1000,netdev=n0,romfile={IPXE_ROM},addr=0x3{bi('nic')}"]


def started(debug):
    """Names of the boot entries the firmware started, in order."""
    return re.findall(r"^Booting from (.*)\.\.\.$", debug, re.M)


def tail(text, n=3000):
    return text[-n:]


def check_ran(dev, res_debug, res_serial, status):
    """The device's own program shows that it ran."""
    where = f"\n--- debug ---\n{tail(res_debug)}\n--- serial ---\n{tail(res_serial, 1500)}"
    values, _ = parse_probe(res_debug)
    if dev == "disk":
        assert values.get("boot.second.dl") == "80", "the disk's boot sector did not run" + where
        assert status == harness.EXIT_OK_STATUS, f"status {status}" + where
    elif dev == "cd":
        assert "jumping to 07c0:0000 with DL=e0" in res_debug, "the CD was not started" + where
        assert any(k.startswith("cd.") for k in values), "the CD's program did not run" + where
        assert status == harness.EXIT_OK_STATUS, f"status {status}" + where
    else:
        # iPXE announces itself on the console once its BEV runs.
        after = res_serial[res_serial.find("Booting from iPXE"):]
        assert "Booting from iPXE" in res_serial and "iPXE initialising devices" in after, \
            "iPXE's boot entry did not run" + where


def boot(args, nic_boots=False):
    """Run to the end; iPXE's network boot runs in real time (under -icount
    its DHCP can stall), like the PXE tests of test_netboot.py."""
    res = harness.run_qemu(firmware_path("kelp"), args, timeout=2 * TIMEOUT if nic_boots else TIMEOUT,
                           icount=not nic_boots)
    return res, started(res.debug)


# ---- 1. boot order ----

@pytest.mark.parametrize("first", ["disk", "cd", "nic"])
def test_bootindex_picks_the_device(first, images):
    others = [d for d in ("nic", "cd", "disk") if d != first]
    order = {first: 1, others[0]: 2, others[1]: 3}
    # The CMOS order names another device first: bootindex wins over it.
    cmos = CMOS_LETTER[others[0]]
    res, booted = boot(devices(order) + ["-boot", f"order={cmos}"], nic_boots=first == "nic")
    where = f"\n{tail(res.debug)}"
    assert booted and booted[0] == NAMES[first], f"started {booted}" + where
    assert re.search(r"^boot: bootorder names 3 of 3 boot entries$", res.debug, re.M), where
    # The whole list follows the bootindex order.
    details = re.findall(r'^  "(.*)" \S+, (bootorder|CMOS order)', res.debug, re.M)
    want = [NAMES[d] for d in sorted(order, key=order.get)]
    assert [n for n, _ in details] == want, details
    assert all(src == "bootorder" for _, src in details), details
    check_ran(first, res.debug, res.serial, res.status)
    assert "Press ESC" not in res.debug, "a boot menu prompt without -boot menu=on"


@pytest.mark.parametrize("first", ["disk", "cd", "nic"])
def test_cmos_order_picks_the_device(first, images):
    res, booted = boot(devices() + ["-boot", f"order={CMOS_LETTER[first]}"],
                       nic_boots=first == "nic")
    where = f"\n{tail(res.debug)}"
    assert booted and booted[0] == NAMES[first], f"started {booted}" + where
    assert "bootorder names" not in res.debug, where
    check_ran(first, res.debug, res.serial, res.status)


def test_strict_bootorder_boots_only_listed_devices(images):
    """-boot strict=on: only the NIC is listed; once iPXE gives up, the
    disk and the CD are not tried (and, with reboot-timeout=0, the machine
    resets at once, which ends QEMU)."""
    res, booted = boot(devices({"nic": 1}) + ["-boot", "strict=on,reboot-timeout=0"],
                       nic_boots=True)
    where = f"\n{tail(res.debug)}"
    assert not res.timed_out, "QEMU did not end" + where
    assert "HALT: the others are not booted" in res.debug, where
    assert booted == [NAMES["nic"]], f"started {booted}" + where
    assert "No bootable device." in res.debug, where
    assert "boot.second" not in res.debug and "PROBE cd." not in res.debug, where


def test_nic_that_returns_falls_through_to_next_device(images):
    res, booted = boot(devices({"nic": 1, "cd": 2, "disk": 3}), nic_boots=True)
    where = f"\n{tail(res.debug)}"
    assert booted[:2] == [NAMES["nic"], NAMES["cd"]], f"started {booted}" + where
    assert "Boot failed: the boot ROM returned" in res.debug or "INT 18h" in res.debug, where
    check_ran("cd", res.debug, res.serial, res.status)


# ---- the serial line of a live guest ----

class SerialLine:
    """COM1 of a LiveQemu guest as a Unix socket: what the guest writes is
    collected in the background, what the test sends is typed on it. QEMU
    waits for the connection before it starts the guest, so nothing the
    firmware writes is missed."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="kelp-com1-")
        self.path = os.path.join(self.tmp, "com1.sock")
        self.sock = None
        self.data = bytearray()
        self.lock = threading.Lock()
        self.thread = None

    def args(self):
        return ["-chardev", f"socket,id=com1,path={self.path},server=on,wait=on",
                "-device", "isa-serial,chardev=com1,iobase=0x3f8,irq=4"]

    def connect(self, proc):
        end = time.monotonic() + STEP
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                s.close()
                if proc.poll() is not None or time.monotonic() > end:
                    raise RuntimeError("the serial socket did not come up")
                time.sleep(0.02)
        self.sock = s
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while True:
            try:
                b = self.sock.recv(4096)
            except OSError:
                return
            if not b:
                return
            with self.lock:
                self.data += b

    def text(self):
        with self.lock:
            return bytes(self.data).decode("latin-1")

    def wait_for(self, needle, timeout=STEP):
        end = time.monotonic() + timeout
        while needle not in self.text():
            if time.monotonic() > end:
                return False
            time.sleep(0.02)
        return True

    def type(self, data):
        self.sock.sendall(data)

    def close(self):
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()
        if self.thread is not None:
            self.thread.join(2)
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        os.rmdir(self.tmp)


def live(args, serial=None):
    """A LiveQemu guest; with serial, COM1 is that SerialLine."""
    extra = serial.args() if serial else []
    q = LiveQemu(firmware_path("kelp"), extra + list(args))
    if serial:
        serial.connect(q.proc)
    return q


def ansi_stripped(text):
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def expect(q, pattern, what, timeout=STEP):
    m = q.wait_for(pattern, timeout)
    assert m, f"{what}\n{tail(q.debug())}"
    return m


# ---- 2. boot menu ----

MENU = ["-boot", "menu=on,splash-time=15000"]


def menu_entries(debug):
    """The boot menu's lines "  <digit>. <name>" from the debug log."""
    menu = debug[debug.rfind("Boot menu:"):]
    return re.findall(r"^  (\d)\. (.*)$", menu, re.M)


def check_menu_lists_all(entries, debug):
    names = [n for _, n in entries]
    for dev, name in NAMES.items():
        assert name in names, \
            f"the menu does not list the {dev} ({name}): {names}\n{tail(debug)}"
    assert [d for d, _ in entries] == ["1", "2", "3"], entries


def screen_text(q, path):
    """The VGA text screen, one string per row (saved over QMP)."""
    q.qmp("pmemsave", val=0xB8000, size=80 * 25 * 2, filename=path)
    mem = open(path, "rb").read()
    return ["".join(chr(mem[(r * 80 + c) * 2]) for c in range(80)).rstrip() for r in range(25)]


def test_boot_menu_pick_by_keyboard_digit(images, tmp_path):
    """On a VGA screen: ESC at the prompt, then "2" (the CD; the disk is
    the default)."""
    q = live(["-device", "VGA"] + devices() + MENU)
    try:
        expect(q, r"Press ESC or F12 for the boot menu", "no boot menu prompt")
        q.send_key(["esc"])
        expect(q, r"(?m)^  3\. ", "the boot menu did not show three entries")
        rows = screen_text(q, str(tmp_path / "text.bin"))
        for i, name in enumerate(NAMES.values()):
            assert any(r.endswith(name) for r in rows), f"{name!r} not on the screen: {rows}"
        entries = menu_entries(q.debug())
        check_menu_lists_all(entries, q.debug())
        cd = next(d for d, n in entries if n == NAMES["cd"])
        assert cd != "1", f"the CD is already the default: {entries}"
        q.send_key([cd])
        expect(q, r"PROBE cd\.", "the CD picked in the menu did not boot")
        status = q.finish()
        debug = q.debug()
    finally:
        q.close()
    assert f"boot menu: entry {cd} picked: {NAMES['cd']}" in debug, tail(debug)
    assert started(debug)[0] == NAMES["cd"], started(debug)
    assert status == harness.EXIT_OK_STATUS, f"status {status}\n{tail(debug)}"


def test_boot_menu_pick_on_serial_line_with_arrows(images):
    """ESC typed on the serial line, then Down, Down, Up (as a terminal
    sends them) and Enter: the second entry, the CD, boots. The menu is
    drawn on the serial line too."""
    ser = SerialLine()
    q = live(devices() + MENU, ser)
    try:
        assert ser.wait_for("Press ESC or F12 for the boot menu"), \
            f"no prompt on the serial line:\n{ser.text()[-2000:]!r}"
        ser.type(b"\x1b")               # alone: the ESC key after two ticks
        assert ser.wait_for("Boot menu:"), f"no menu on the serial line:\n{ser.text()[-2000:]!r}"
        expect(q, r"(?m)^  3\. ", "the boot menu did not show three entries")
        ser.type(b"\x1b[B")
        ser.type(b"\x1b[B")
        ser.type(b"\x1b[A")
        ser.type(b"\r")
        expect(q, r"PROBE cd\.", "the entry picked on the serial line did not boot")
        status = q.finish()
        debug, shown = q.debug(), ansi_stripped(ser.text())
    finally:
        q.close()
        ser.close()
    check_menu_lists_all(menu_entries(debug), debug)
    for name in NAMES.values():
        assert name in shown, f"{name!r} not shown on the serial line:\n{shown[-2000:]!r}"
    assert f"boot menu: entry 2 picked: {NAMES['cd']}" in debug, tail(debug)
    assert status == harness.EXIT_OK_STATUS, f"status {status}\n{tail(debug)}"


def test_boot_menu_prompt_without_key_boots_default(images):
    res, booted = boot(devices() + ["-boot", "menu=on,splash-time=300"])
    assert "boot: boot menu on, the prompt waits 300 ms" in res.debug, tail(res.debug)
    assert "Press ESC or F12 for the boot menu" in res.serial, tail(res.serial)
    assert "Boot menu:" not in res.debug, tail(res.debug)
    assert booted and booted[0] == NAMES["disk"], booted
    check_ran("disk", res.debug, res.serial, res.status)


# ---- 3. serial console ----

# Keys typed on the serial line (one at a time) and the key words
# INT 16h 10h must give for them.
SERIAL_KEYS = [
    (b"a", "1e61"),
    (b"\x1b[A", "48e0"),        # Up (grey cursor key)
    (b"\x1bOP", "3b00"),        # F1
    (b"\x1b[24~", "8600"),      # F12
    (b"\x1b[3~", "53e0"),       # Delete
    (b"\r\n", "1c0d"),          # Enter, once: the LF after CR is no key
    (b"\x7f", "0e08"),          # Backspace
    (b"\x03", "2e03"),          # Ctrl-C
    (b"A", "1e41"),
    (b"\x1b", "011b"),          # ESC with nothing after it
]

# keyecho.S's drawing as the terminal must receive it.
DRAWN = [
    "\x1b[0m\x1b[2J",                           # 00h: mode 3 clears
    "\x1b[0;1;37;44m\x1b[6;11HXXX",             # 09h: "X" x 3 at 5,10 in 1Fh
    "\x1b[0;1;33;41m\x1b[8;1Hhi",               # 13h: "hi" at 7,0 in 4Eh
    "hiok\r\n",                                 # 0Eh from where 13h left the cursor
]


def keyecho_session(extra):
    ser = SerialLine()
    q = live(["-drive", f"file={KEYECHO_IMG},format=raw,if=ide,snapshot=on"] + extra, ser)
    try:
        expect(q, r"PROBE keyecho\.ready=1", "the key echo sector did not start")
        got = {}
        for i, (data, _) in enumerate(SERIAL_KEYS):
            ser.type(data)
            m = q.wait_for(rf"PROBE key\.{i}=(\w+)", STEP)
            if not m:
                break
            got[i] = m.group(1)
        status = q.finish()
        result = (got, ser.text(), q.debug(), status)
    finally:
        q.close()
        ser.close()
    return result


def check_keys(got, debug):
    want = {i: w for i, (_, w) in enumerate(SERIAL_KEYS)}
    bad = [f"{SERIAL_KEYS[i][0]!r}: {got.get(i)} (expected {w})" for i, w in want.items()
           if got.get(i) != w]
    assert not bad, "key words differ: " + "; ".join(bad) + f"\n{tail(debug)}"


def test_serial_console_without_vga(images):
    got, serial, debug, status = keyecho_session([
        "-netdev", "user,id=n0,restrict=on",
        "-device", f"e1000,netdev=n0,romfile={IPXE_ROM},addr=0x3", "-boot", "order=c"])
    shown = ansi_stripped(serial)
    assert "Kelp BIOS" in shown, f"no firmware banner on the serial line:\n{serial[:1000]!r}"
    assert "iPXE (http://ipxe.org)" in shown, f"no iPXE banner on the serial line:\n{serial[:2000]!r}"
    for seq in DRAWN:
        assert seq in serial, f"{seq!r} not on the serial line:\n{serial[-1500:]!r}"
    check_keys(got, debug)
    assert status == harness.EXIT_OK_STATUS, f"status {status}\n{tail(debug)}"


def test_serial_console_mirrors_vga(images, tmp_path):
    """With a VGA adapter the same drawing reaches the terminal and the VGA
    BIOS still draws the screen (text memory saved over QMP)."""
    textmem = str(tmp_path / "text.bin")
    ser = SerialLine()
    q = live(["-device", "VGA", "-drive", f"file={KEYECHO_IMG},format=raw,if=ide,snapshot=on"],
             ser)
    try:
        expect(q, r"PROBE keyecho\.ready=1", "the key echo sector did not start")
        q.qmp("pmemsave", val=0xB8000, size=80 * 25 * 2, filename=textmem)
        ser.type(b"\x1b[B")
        m = q.wait_for(r"PROBE key\.0=(\w+)", STEP)
        serial, debug = ser.text(), q.debug()
    finally:
        q.close()
        ser.close()
    assert "console: INT 10h goes to the serial console, then to the VGA BIOS" in debug, tail(debug)
    assert "Kelp BIOS" in ansi_stripped(serial), serial[:1000]
    for seq in DRAWN:
        assert seq in serial, f"{seq!r} not on the serial line:\n{serial[-1500:]!r}"
    mem = open(textmem, "rb").read()
    cell = lambda row, col: mem[(row * 80 + col) * 2:(row * 80 + col) * 2 + 2]
    assert [cell(5, 10 + i) for i in range(3)] == [b"X\x1f"] * 3, mem[800:840]
    assert cell(7, 0) + cell(7, 1) == b"h\x4ei\x4e", mem[1120:1130]
    assert cell(7, 2)[:1] + cell(7, 3)[:1] == b"ok", mem[1120:1130]
    assert m and m.group(1) == "50e0", f"Down typed on the serial line gave {m and m.group(1)}"


def test_fwcfg_sercon_port_moves_the_console(images, tmp_path):
    """etc/sercon-port=0x2f8 (text): the console is COM2; COM1 stays quiet."""
    com2 = tmp_path / "com2.log"
    res = harness.run_qemu(firmware_path("kelp"), [
        "-chardev", f"file,id=com2,path={com2}",
        "-device", "isa-serial,chardev=com2,iobase=0x2f8,irq=3",
        "-fw_cfg", "name=etc/sercon-port,string=0x2f8",
        "-drive", f"file={DISK_IMG},format=raw,if=ide,snapshot=on"], timeout=TIMEOUT)
    text = com2.read_bytes().decode("latin-1")
    assert "console: serial console on port 2f8" in res.debug, tail(res.debug)
    assert "Kelp BIOS" in text and "Booting from Hard Disk 80h" in text, repr(text[:500])
    assert "Kelp BIOS" not in res.serial, repr(res.serial[:500])
    check_ran("disk", res.debug, res.serial, res.status)


def test_fwcfg_sercon_port_zero_turns_it_off(images, tmp_path):
    port = tmp_path / "port.bin"
    port.write_bytes(b"\x00\x00")           # QEMU-style binary, 2 bytes
    res = harness.run_qemu(firmware_path("kelp"), [
        "-fw_cfg", f"name=etc/sercon-port,file={port}",
        "-drive", f"file={DISK_IMG},format=raw,if=ide,snapshot=on"], timeout=TIMEOUT)
    assert "console: no serial console" in res.debug, tail(res.debug)
    assert res.serial == "", repr(res.serial[:500])
    check_ran("disk", res.debug, res.serial, res.status)


# ---- 4. fallbacks ----

def test_nothing_to_boot_resets_after_reboot_timeout():
    """-boot reboot-timeout=1000: the message, then a reset, which QEMU
    (-no-reboot) turns into its exit."""
    res = harness.run_qemu(firmware_path("kelp"), ["-boot", "reboot-timeout=1000"],
                           timeout=TIMEOUT)
    assert not res.timed_out, "QEMU did not exit: no reset\n" + tail(res.debug)
    assert "boot: when nothing boots, reset after 1000 ms" in res.debug, tail(res.debug)
    assert "No bootable device." in res.serial and "Retrying in 1 seconds." in res.serial, \
        repr(res.serial)
    assert res.debug.rstrip().endswith("boot: nothing booted, resetting"), tail(res.debug)
    assert res.status == 0, f"status {res.status}\n{tail(res.debug)}"


def test_unbootable_disk_first_falls_through_to_cd(images, tmp_path):
    blank = tmp_path / "blank.img"          # no 55AAh signature
    with open(blank, "wb") as f:
        f.truncate(1 << 20)
    res, booted = boot(devices(disk=str(blank)) + ["-boot", "order=cd"])
    assert booted[:2] == [NAMES["disk"], NAMES["cd"]], booted
    assert "Boot failed: not a bootable disk" in res.debug, tail(res.debug)
    check_ran("cd", res.debug, res.serial, res.status)


def test_second_disk_picked_boots_as_80h(images, tmp_path):
    """bootindex on the second IDE disk: its boot sector runs from drive
    80h (DOS-era boot code assumes it), the first disk answering as 81h."""
    blank = tmp_path / "blank.img"
    blank.write_bytes(bytes(1024 * 1024))
    res = harness.run_qemu(harness.KELP, [
        "-drive", f"file={blank},format=raw,if=none,id=d0",
        "-device", "ide-hd,drive=d0,bus=ide.0,unit=0",
        "-drive", f"file={DISK_IMG},format=raw,if=none,id=d1,snapshot=on",
        "-device", "ide-hd,drive=d1,bus=ide.0,unit=1,bootindex=0"], timeout=TIMEOUT)
    where = "\n" + tail(res.debug)
    assert "boot: drive 81h answers as 80h, 80h as 81h" in res.debug, where
    values, _ = parse_probe(res.debug)
    assert values.get("boot.second.dl") == "80", where
    assert res.status == harness.EXIT_OK_STATUS, where
