"""Power-off through APM (INT 15h 53h, the real-mode interface DOS-era
software uses), on plain QEMU; the same boot sector on SeaBIOS. Kelp powers off through the ACPI PM1a control register
with the S5 sleep type from the DSDT, so QEMU ends with status 0."""
import os

import pytest

import harness

SRC = os.path.join(harness.ROOT, "tests", "payloads", "apmoff.S")
FIRMWARES = {"kelp": harness.KELP, "seabios": harness.SEABIOS}


@pytest.fixture(scope="module")
def disk(tmp_path_factory):
    return harness.boot_sector_disk(SRC, str(tmp_path_factory.mktemp("apm")))


@pytest.mark.parametrize("fw", sorted(FIRMWARES))
def test_apm_power_off(fw, disk):
    res = harness.run_qemu(FIRMWARES[fw], [
        "-drive", f"file={disk},format=raw,if=ide,snapshot=on"], timeout=30)
    steps = dict(l.split(" ", 1) for l in res.lines("APMOFF "))
    assert steps.get("5300", "").startswith("cf=0 ax=0102"), res.debug[-2000:]
    assert steps.get("5301", "").startswith("cf=0"), res.debug[-2000:]
    assert steps.get("530e", "").startswith("cf=0 ax=0102"), res.debug[-2000:]
    # 5307h does not come back: QEMU powered off, with status 0.
    assert "5307" not in steps and res.status == 0, (res.status, res.debug[-2000:])
    if fw == "kelp":
        assert "apm: power off (PM1a_CNT 604, S5 type 0)" in res.debug, res.debug[-2000:]

