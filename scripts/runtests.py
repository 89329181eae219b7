#!/usr/bin/env python3
"""make test: host unit tests (cmocka), the firmware-mode build checks and
the QEMU integration tests (pytest, in parallel). Ends with one line
"N passed, N failed" counting every test case run."""
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PY = "/usr/bin/python3"


def run_unit():
    """Build and run the cmocka programs; count their cases."""
    p = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "unit"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sys.stdout.write(p.stdout)
    passed = sum(int(n) for n in re.findall(r"^\[  PASSED  \] (\d+) test", p.stdout, re.M))
    failed = sum(int(n) for n in re.findall(r"^\[  FAILED  \] (\d+) test", p.stdout, re.M))
    if p.returncode and not failed:
        failed = 1          # a program that did not build or crashed
    return passed, failed


def run_check(target):
    p = subprocess.run(["make", "--no-print-directory", "-C", ROOT, target],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sys.stdout.write(p.stdout)
    return (1, 0) if p.returncode == 0 else (0, 1)


def run_pytest():
    jobs = os.environ.get("KELP_TEST_JOBS", str(max(2, os.cpu_count() or 2)))
    with tempfile.TemporaryDirectory() as tmp:
        xml = os.path.join(tmp, "junit.xml")
        cmd = [PY, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rfEs",
               "-n", jobs, f"--junitxml={xml}", os.path.join(ROOT, "tests")]
        rc = subprocess.call(cmd, cwd=ROOT)
        if not os.path.exists(xml):
            return 0, 1
        passed = failed = skipped = 0
        for case in ET.parse(xml).getroot().iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
            elif case.find("skipped") is not None:
                skipped += 1
            else:
                passed += 1
        if rc not in (0, 5) and not failed:
            failed = 1
        return passed, failed, skipped


def main():
    totals = [0, 0]
    for res in (run_unit(), run_check("unit-modes")):
        totals[0] += res[0]
        totals[1] += res[1]
    res = run_pytest()
    totals[0] += res[0]
    totals[1] += res[1]
    skipped = res[2] if len(res) > 2 else 0
    line = f"{totals[0]} passed, {totals[1]} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    sys.exit(1 if totals[1] or totals[0] == 0 else 0)


if __name__ == "__main__":
    main()
