"""Keyboard input through IRQ1 (INT 09h) and INT 16h, with keys typed over QMP.

The probe image in keyboard mode (mkimage.with_mode(..., MODE_KEYBOARD),
see keyboard_script() in tests/payloads/probe.c) waits for keys and prints
every key word it reads.  At each "PROBE kbd.ready=<phase>" line this test
types the keys of that phase through QEMU's QMP socket (send-key, or
input-send-event to hold a key down) and the tests below check the words
the guest printed:

  a  keys read with INT 16h 00h (grey and keypad keys translated)
  b  keys read with INT 16h 10h (enhanced key words kept)
  c  a shift key held down: 02h/12h show it, 01h finds no key
  d  20 keys typed without reading: the 16-word ring keeps the first 15

QEMU runs without -icount here, so guest time follows the host clock while
the test types; every wait of the test is bounded.
"""
import functools
import os
import tempfile

import pytest

import harness
from harness import LiveQemu
from test_probe import IMG, build_image, firmware_path, mkimage, parse_probe

STEP_TIMEOUT = 10       # seconds for any one thing the guest must print

# (QMP key names pressed together, expected key word)
PHASE_A = [
    (["a"], "1e61"),
    (["shift", "a"], "1e41"),
    (["ret"], "1c0d"),
    (["ctrl", "c"], "2e03"),
    (["f1"], "3b00"),
    (["esc"], "011b"),
    (["up"], "4800"),           # grey Up: E0h ASCII hidden by 00h
    (["kp_enter"], "1c0d"),     # keypad Enter looks like Enter to 00h
    (["kp_divide"], "352f"),    # keypad / looks like / to 00h
    (["shift", "f1"], "5400"),
    (["alt", "x"], "2d00"),
    (["tab"], "0f09"),
]
PHASE_B = [
    (["up"], "48e0"),
    (["kp_enter"], "e00d"),
    (["kp_divide"], "e02f"),
    (["f11"], "8500"),
    (["f12"], "8600"),
    (["a"], "1e61"),
]
# Phase d: typed ahead, never read until the end.
BURST = [
    ("a", "1e61"), ("b", "3062"), ("c", "2e63"), ("d", "2064"), ("e", "1265"),
    ("f", "2166"), ("g", "2267"), ("h", "2368"), ("i", "1769"), ("j", "246a"),
    ("k", "256b"), ("l", "266c"), ("m", "326d"), ("n", "316e"), ("o", "186f"),
    ("p", "1970"), ("q", "1071"), ("r", "1372"), ("s", "1f73"), ("t", "1474"),
]
RING_KEYS = 15          # a 32-byte ring holds one key less than its 16 slots


def keyboard_image():
    """A temporary copy of probe.img with the keyboard mode byte."""
    build_image()
    fd, path = tempfile.mkstemp(prefix="kelp-kbd-", suffix=".img")
    os.close(fd)
    mkimage.with_mode(IMG, path, mkimage.MODE_KEYBOARD)
    return path


class Incomplete(Exception):
    """The guest did not get to a step of the script."""


def expect(q, pattern, what):
    m = q.wait_for(pattern)
    if m is None:
        raise Incomplete(what)
    return m


def type_script(q):
    """Drive the guest through the keyboard script."""
    expect(q, r"PROBE irq\.delivered=1",
           "the guest saw no timer interrupt (irq.delivered is not 1)")
    for phase, keys in (("a", PHASE_A), ("b", PHASE_B)):
        n = int(expect(q, rf"PROBE kbd\.keys\.{phase}=(\d+)", "no key counts printed")[1])
        if n != len(keys):
            raise Incomplete(f"the guest reads {n} keys in phase {phase}, this test types "
                             f"{len(keys)}: probe.c and test_keyboard.py disagree")
    for phase, keys in (("a", PHASE_A), ("b", PHASE_B)):
        expect(q, rf"PROBE kbd\.ready={phase}", f"the guest never became ready for phase {phase}")
        for i, (combo, _) in enumerate(keys):
            q.send_key(combo)
            expect(q, rf"PROBE kbd\.{phase}\.{i}=",
                   f"no key word printed after typing {'+'.join(combo)} in phase {phase}")

    expect(q, r"PROBE kbd\.ready=c", "the guest never became ready for phase c")
    q.key_event("shift", True)
    try:
        expect(q, r"PROBE kbd\.c\.held=1", "a held shift key never showed in 40:17")
    finally:
        q.key_event("shift", False)
    expect(q, r"PROBE kbd\.c\.02\.released=", "releasing shift never showed in 40:17")

    expect(q, r"PROBE kbd\.ready=d", "the guest never became ready for phase d")
    for key, _ in BURST:
        q.send_key([key])
    # QMP delivers queued keys in order, so this shift press reaches the
    # guest after the burst and tells it to start reading.
    q.send_key(["shift"], hold_ms=300)
    expect(q, r"PROBE kbd\.end=1", "the guest did not finish reading the typed-ahead keys")


@functools.lru_cache(maxsize=None)
def run_keyboard(name):
    """Run the keyboard script once per firmware ("kelp" or "seabios");
    returns (the guest's key -> value dict, the step that did not happen or
    None, QEMU's exit status, the end of the debug log)."""
    bios = firmware_path(name)
    img = keyboard_image()
    q = LiveQemu(bios, ["-drive", f"file={img},format=raw,if=ide,snapshot=on"])
    problem, status = None, None
    try:
        type_script(q)
        status = q.finish()
    except (Incomplete, RuntimeError) as e:
        problem = str(e)
    finally:
        debug = q.debug()
        q.close()
        os.unlink(img)
    values, _ = parse_probe(debug)
    return values, problem, status, "\n".join(debug.splitlines()[-15:])


def keyboard(name):
    """The guest's values of a complete, cleanly ended keyboard run."""
    values, problem, status, tail = run_keyboard(name)
    if problem:
        pytest.fail(f"{name}: {problem}\n{tail}")
    if status != harness.EXIT_OK_STATUS or values.get("done") != "1":
        pytest.fail(f"{name}: keyboard script did not end cleanly (exit status {status})\n{tail}")
    return values


def check_words(v, fw, phase, keys):
    got = [v.get(f"kbd.{phase}.{i}") for i in range(len(keys))]
    bad = [f"{'+'.join(k)}: {g} (expected {w})" for (k, w), g in zip(keys, got) if g != w]
    assert not bad, f"{fw}: phase {phase} key words differ: " + "; ".join(bad)


firmware = pytest.mark.parametrize("fw", ["kelp", "seabios"])


@firmware
def test_keys_through_int16_00(fw):
    v = keyboard(fw)
    check_words(v, fw, "a", PHASE_A)


@firmware
def test_keys_through_int16_10(fw):
    v = keyboard(fw)
    check_words(v, fw, "b", PHASE_B)


@firmware
def test_shift_flags_while_held(fw):
    v = keyboard(fw)
    base = int(v["kbd.flags0"], 16)
    assert v["kbd.empty.01.zf"] == "1", f"{fw}: 01h found a key in an empty buffer"
    # QMP "shift" is the left shift key: 40:17 bit 1
    assert v["kbd.c.02"] == f"{base | 0x02:02x}", f"{fw}: 02h with shift held: {v['kbd.c.02']}"
    assert v["kbd.c.12"] == f"00{base | 0x02:02x}", f"{fw}: 12h with shift held: {v['kbd.c.12']}"
    assert v["kbd.c.01.zf"] == "1", f"{fw}: a shift key alone put a key into the buffer"
    assert v["kbd.c.02.released"] == f"{base:02x}", \
        f"{fw}: 02h after the release: {v['kbd.c.02.released']}"


@firmware
def test_typeahead_buffer_keeps_first_15(fw):
    v = keyboard(fw)
    assert v["kbd.d.01.zf"] == "0", f"{fw}: 01h found no key after 20 were typed"
    assert v["kbd.d.01.ax"] == BURST[0][1], f"{fw}: 01h shows {v['kbd.d.01.ax']} first"
    count = int(v["kbd.d.count"])
    got = [v.get(f"kbd.d.{i}") for i in range(count)]
    want = [word for _, word in BURST[:RING_KEYS]]
    assert got == want, f"{fw}: read back {count} keys {got}, expected the first 15 {want}"


def test_ctrl_alt_del_resets_the_machine():
    """While the probe waits for keys, Ctrl-Alt-Del makes the firmware
    reset the machine (FADT reset register, then port CF9h), which QEMU
    turns into an exit under -no-reboot."""
    img = keyboard_image()
    q = LiveQemu(harness.KELP, ["-drive", f"file={img},format=raw,if=ide,snapshot=on"])
    try:
        assert q.wait_for(r"PROBE kbd\.ready=a", STEP_TIMEOUT), q.debug()[-2000:]
        q.send_key(["ctrl", "alt", "delete"])
        status = q.finish()
        assert status == 0, (status, q.debug()[-2000:])
        assert "kbd: Ctrl-Alt-Del, resetting" in q.debug(), q.debug()[-2000:]
    finally:
        q.close()
        os.unlink(img)
