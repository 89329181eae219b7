"""Fuzz regression check: each libFuzzer harness of tests/fuzz/ is built and
run once over its checked-in corpus (seeds and every input a fuzzer ever
crashed on). A crash, leak, sanitizer report or broken invariant fails the
target's test. Takes seconds; the long runs are `make fuzz`."""
import os
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD_MK = os.path.join(ROOT, "tests", "fuzz", "build.mk")


def targets():
    p = subprocess.run(["make", "--no-print-directory", "-s", "-C", ROOT, "-f", BUILD_MK,
                        "fuzz-targets"], stdout=subprocess.PIPE, text=True, check=True)
    return p.stdout.split()


@pytest.mark.parametrize("target", targets())
def test_corpus_runs_clean(target):
    p = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "-f", BUILD_MK,
                        f"fuzz-check-{target}"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=600)
    assert p.returncode == 0, f"fuzz-check-{target} failed:\n{p.stdout[-8000:]}"
