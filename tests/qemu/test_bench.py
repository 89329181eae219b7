"""`make bench` in its smoke mode: scripts/bench.py boots the IDE machine
under Kelp and SeaBIOS, traces the port and MMIO accesses, reads a few MiB
through INT 13h and prints the table.  What is checked is that every
figure of that machine was measured on both firmwares and that the table,
the goals, results.json and the timeline are well formed; no time is
compared with anything."""
import json
import os
import re
import subprocess
import sys

import pytest

import harness

pytestmark = pytest.mark.skipif(not os.path.exists(harness.KELP),
                                reason="out/bios.bin not built")

BENCH = os.path.join(harness.ROOT, "scripts", "bench.py")
# Figures of the smoke run that both firmwares must have a number for.
BOTH = ["reset to 7C00, IDE (ms)", "port+MMIO accesses to 7C00, IDE",
        "INT 13h 42h read, IDE (ms/MiB)", "image size (KiB)",
        "conventional memory, INT 12h, IDE (KiB)", "option ROM space free, IDE (KiB)"]
NUMBER = re.compile(r"^\d+(\.\d+)?$")


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    p = subprocess.run([sys.executable, BENCH, "--smoke", "--out", str(out)],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
    return out, p.stdout


def table(text, header):
    """Rows of the Markdown table whose header row starts with header."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith(header))
    rows = []
    for l in lines[start + 2:]:
        if not l.startswith("|"):
            break
        rows.append([c.strip() for c in l.strip("|").split("|")])
    return rows


def test_every_figure_has_both_columns(smoke):
    _, text = smoke
    rows = {r[0]: r[1:] for r in table(text, "| figure | Kelp | SeaBIOS |")}
    for name in BOTH:
        assert name in rows, f"{name!r} missing from the table:\n{text}"
        kelp, seabios, ratio = rows[name]
        assert NUMBER.match(kelp) and NUMBER.match(seabios), f"{name}: {rows[name]}"
        assert float(seabios) > 0 and NUMBER.match(ratio), f"{name}: {rows[name]}"
    for name, cells in rows.items():
        assert len(cells) == 3, f"{name}: {cells}"


def test_goals_have_a_state(smoke):
    _, text = smoke
    goals = table(text, "| goal | state |")
    assert goals, text
    for name, state, _ in goals:
        assert state in ("met", "MISSED", "not measured"), (name, state)
    assert any(g[0].startswith("reset to 7C00 <= SeaBIOS / 5") and g[1] != "not measured"
               for g in goals), goals


def test_results_and_timeline(smoke):
    out, text = smoke
    with open(out / "results.json") as f:
        r = json.load(f)
    assert r["smoke"] and r["qemu"].startswith("QEMU emulator version")
    for fw in ("kelp", "seabios"):
        b = r["boot"]["IDE"][fw]
        assert b["ok"] and b["int12"] > 0, b
        e = r["exits"]["IDE"][fw]
        assert e["ok"] and e["total"] == e["pio"] + e["mmio"] > 0, e
        assert sum(e["regions"].values()) == e["total"], e
        assert r["read"]["IDE"][fw]["ok"], r["read"]["IDE"][fw]
    # Kelp's POST phases, in order, from its own log.
    phases = r["timeline"]["IDE"]["phases"]
    assert len(phases) >= 3, phases
    starts = [t for _, t in phases]
    assert starts == sorted(starts) and starts[-1] < r["boot"]["IDE"]["kelp"]["ms"], phases
    with open(out / "timeline.png", "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
