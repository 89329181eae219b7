#!/usr/bin/env python3
"""Write out/autoconf.h from the configuration: every symbol is defined,
booleans as 1 or 0, so C code can test them with a plain if()."""
import sys
import kconfiglib


def main():
    kconf = kconfiglib.Kconfig(sys.argv[1], warn_to_stderr=False)
    kconf.load_config()
    lines = ["/* Generated from the Kconfig configuration; do not edit. */",
             "#ifndef KELP_AUTOCONF_H", "#define KELP_AUTOCONF_H"]
    for sym in kconf.unique_defined_syms:
        if sym.type in (kconfiglib.BOOL, kconfiglib.TRISTATE):
            val = "1" if sym.str_value in ("y", "m") else "0"
        elif sym.type == kconfiglib.STRING:
            val = '"' + sym.str_value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        elif sym.type == kconfiglib.HEX:
            val = sym.str_value if sym.str_value.startswith("0x") else "0x" + (sym.str_value or "0")
        else:
            val = sym.str_value or "0"
        lines.append(f"#define CONFIG_{sym.name} {val}")
    lines.append("#endif")
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    import os
    os.replace(tmp, sys.argv[2])


if __name__ == "__main__":
    main()
