#!/usr/bin/env python3
"""Export the fixed-area symbols of the 16-bit runtime link (offsets in
segment F000, named fx_*) to the 32-bit POST link as linear addresses."""
import subprocess
import sys


def main():
    elf, out = sys.argv[1], sys.argv[2]
    nm = subprocess.run(["nm", elf], check=True, capture_output=True, text=True).stdout
    lines = []
    for line in nm.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2].startswith("fx_"):
            lines.append(f"{parts[2]} = 0x{0xF0000 + int(parts[0], 16):x};")
    with open(out, "w") as f:
        f.write("\n".join(sorted(lines)) + "\n")


if __name__ == "__main__":
    main()
