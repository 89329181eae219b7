"""`make run`: scripts/run.py boots the demo guest with its serial console
on the terminal. Here the terminal is a pipe: the test waits for the
guest's shell prompt, types a command and `exit`, and expects the command's
output and a clean end of the run on its own (the guest powers off through
isa-debug-exit, which run.py turns into exit status 0)."""
import os
import re
import select
import signal
import subprocess
import time

import pytest

import harness

RUN = os.path.join(harness.ROOT, "scripts", "run.py")
MKLINUX = os.path.join(harness.ROOT, "tests", "images", "mklinux.py")
DEBUG_LOG = os.path.join(harness.OUT, "debug.log")
PY = "/usr/bin/python3"
BANNER = b"'exit' powers the machine off"
TIMEOUT = 120          # for the whole run once the disk image exists
BUILD_TIMEOUT = 900    # the first image build downloads a kernel


def tail(data, n=40):
    text = data.decode("utf-8", errors="replace").replace("\r", "")
    return "\n".join(text.splitlines()[-n:])


@pytest.fixture(scope="module")
def demo_image():
    """Build (or find up to date) the image run.py boots, so that the run
    itself is not charged with a first-time kernel download."""
    p = subprocess.run([PY, MKLINUX, "--out", os.path.join(harness.OUT, "test"), "--demo"],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=BUILD_TIMEOUT)
    image = os.path.join(harness.OUT, "test", "demo.img")
    if p.returncode != 0 or not os.path.exists(image):
        pytest.fail(f"mklinux.py --demo failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return image


def test_run_script_demo_shell(demo_image):
    if not os.path.exists(harness.KELP):
        pytest.skip("out/bios.bin does not exist yet (build the firmware with make)")
    try:
        os.unlink(DEBUG_LOG)
    except FileNotFoundError:
        pass

    # Own session, so that QEMU (run.py's child) can be stopped with it.
    proc = subprocess.Popen([PY, RUN], cwd=harness.ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    out = b""
    state = "boot"
    deadline = time.monotonic() + TIMEOUT
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"run.py still running after {TIMEOUT} s (at step '{state}'):\n"
                            + tail(out))
            ready, _, _ = select.select([proc.stdout], [], [], min(left, 1.0))
            if not ready:
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            out += chunk
            if state == "boot" and BANNER in out:
                state = "banner"
            if state == "banner" and re.search(rb"[#$] ", out.split(BANNER, 1)[1]):
                proc.stdin.write(b"echo DEMO-$((6*7))\n")
                proc.stdin.flush()
                state = "command"
            if state == "command" and re.search(rb"^DEMO-42\r?$", out, re.M):
                proc.stdin.write(b"exit\n")
                proc.stdin.flush()
                state = "exit"
        try:
            rc = proc.wait(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pytest.fail("run.py closed its output but did not exit\n" + tail(out))
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        proc.stdin.close()
        proc.stdout.close()

    assert state != "boot", "the demo shell's banner never appeared\n" + tail(out)
    assert state != "banner", "no shell prompt after the banner\n" + tail(out)
    assert state == "exit", "the shell did not print DEMO-42\n" + tail(out)
    assert rc == 0, f"run.py ended with status {rc}\n" + tail(out)
    assert b"KELP-INIT done" in out, "the guest did not finish its init after exit\n" + tail(out)
    with open(DEBUG_LOG, "rb") as f:
        log = f.read().decode("latin-1")
    assert "Kelp BIOS" in log, f"out/debug.log lacks Kelp's log:\n{log[:2000]}"
