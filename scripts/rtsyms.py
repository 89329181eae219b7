#!/usr/bin/env python3
"""Export symbols of the 16-bit runtime link to the 32-bit POST link as
linear addresses: the fixed-area ones (offsets in segment F000, named fx_*)
and a few markers in the runtime segment (named <symbol>_lin there)."""
import subprocess
import sys


def main():
    elf, out = sys.argv[1], sys.argv[2]
    nm = subprocess.run(["nm", elf], check=True, capture_output=True, text=True).stdout
    lines = []
    for line in nm.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        if parts[2].startswith("fx_"):
            lines.append(f"{parts[2]} = 0x{0xF0000 + int(parts[0], 16):x};")
        elif parts[2] in ("rt_code_end",):
            # Offsets in RTSEG, exported as linear addresses.
            lines.append(f"{parts[2]}_lin = 0x{0xEE000 + int(parts[0], 16):x};")
    with open(out, "w") as f:
        f.write("\n".join(sorted(lines)) + "\n")


if __name__ == "__main__":
    main()
