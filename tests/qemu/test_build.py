"""The build: Kconfig targets, configuration effects, the link-time limits
and the POST log's phase timestamps.

Every build here goes to a private directory (make OUT=<dir>
KCONFIG_CONFIG=<dir>/.config), so tests running in parallel, and the
developer's own out/ and .config, never share a file. Targets that write
into the source tree itself (savedefconfig writes ./defconfig) run in a
private copy of the tree.
"""
import os
import re
import shlex
import shutil
import subprocess

import kconfiglib
import pytest

import harness

ROOT = harness.ROOT
PY = "/usr/bin/python3"
IMAGE_SIZE = 0x20000
SEG = 0x10000

# Settings that the make we start must not inherit from a make that runs
# the test suite (`make test` exports KCONFIG_CONFIG, and MAKEFLAGS may name
# a jobserver whose descriptors we do not pass on).
_DROP_ENV = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "KCONFIG_CONFIG")

POST_PHASES = ["shadow", "hardware", "memory", "keyboard", "disks", "boot"]
PHASE_RE = re.compile(r"^\[ *(\d+)\] (\S+)$", re.M)


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in _DROP_ENV}
    env.update(extra)
    return env


def make(out, *targets, tree=ROOT, config=None, check=True, extra=(), jobs=2):
    """make OUT=out KCONFIG_CONFIG=config targets..., in tree."""
    config = config or os.path.join(out, ".config")
    cmd = ["make", "--no-print-directory", f"-j{jobs}", f"OUT={out}",
           f"KCONFIG_CONFIG={config}", *extra, *targets]
    p = subprocess.run(cmd, cwd=tree, env=clean_env(), stdin=subprocess.DEVNULL,
                       capture_output=True, text=True)
    if check and p.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return p


def setconfig(config, *assignments, tree=ROOT):
    p = subprocess.run([PY, "-m", "setconfig", "--kconfig", "Kconfig", *assignments],
                       cwd=tree, env=clean_env(KCONFIG_CONFIG=config),
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert p.returncode == 0, f"setconfig {assignments} failed:\n{p.stdout}{p.stderr}"


def read_config(path):
    """CONFIG_ name (without prefix) -> value; 'n' for '# ... is not set'."""
    vals = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            m = re.fullmatch(r"CONFIG_(\w+)=(.*)", line)
            if m:
                vals[m.group(1)] = m.group(2).strip('"')
                continue
            m = re.fullmatch(r"# CONFIG_(\w+) is not set", line)
            if m:
                vals[m.group(1)] = "n"
    return vals


def kconfig_symbols():
    """The symbols Kconfig declares, with their default values."""
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        kconf = kconfiglib.Kconfig("Kconfig", warn_to_stderr=False)
    finally:
        os.chdir(old)
    return {s.name: (s.type, s.str_value) for s in kconf.unique_defined_syms}


def read_autoconf(path):
    with open(path) as f:
        return dict(re.findall(r"^#define (CONFIG_\w+) (.*)$", f.read(), re.M))


def make_var(out, name):
    """The value make gives a variable of the Makefile for this OUT."""
    p = make(out, f"kelp-print-{name}",
             extra=["--eval", "kelp-print-%: ; @:$(info $($*))"])
    return p.stdout.strip()


def exit_disk(path):
    """A 1 MiB disk whose boot sector ends QEMU through isa-debug-exit:
    mov al,10h / out 0F4h,al / 1: hlt / jmp 1b. QEMU's status then says the
    firmware finished POST and ran the boot sector."""
    code = bytes([0xB0, harness.EXIT_OK_VALUE, 0xE6, harness.EXIT_PORT, 0xF4, 0xEB, 0xFD])
    disk = bytearray(1 << 20)
    disk[:len(code)] = code
    disk[510:512] = b"\x55\xaa"
    with open(path, "wb") as f:
        f.write(disk)
    return ["-drive", f"file={path},format=raw,if=ide"]


def boot(bios, tmp, **kw):
    return harness.run_qemu(bios, exit_disk(os.path.join(tmp, "exit.img")), timeout=60, **kw)


def link_command(out, elf):
    """The Makefile's command that links <out>/<elf>, as a list."""
    target = os.path.join(out, elf)
    lds = os.path.join(out, elf.replace(".elf", ".lds"))
    p = make(out, "-n", "-W", lds, target)
    lines = [l for l in p.stdout.splitlines() if f"-o {target}" in l]
    assert len(lines) == 1, f"no single link command for {elf} in:\n{p.stdout}"
    return shlex.split(lines[0])


class Build(str):
    """A build directory; .link[elf] is the link command make used there."""
    link = None


@pytest.fixture(scope="module")
def default_build(tmp_path_factory):
    """A complete build with the default configuration, private to this worker."""
    build = Build(tmp_path_factory.mktemp("kelp-default"))
    make(build, "defconfig")
    # The link commands are taken right after the build, so that they name
    # exactly the objects built (sources may come and go meanwhile); rebuild
    # if a source appeared in between.
    for _ in range(3):
        make(build, "all")
        build.link = {elf: link_command(build, elf) for elf in ("rt16.elf", "post32.elf")}
        if all(os.path.exists(a) for cmd in build.link.values() for a in cmd if a.endswith(".o")):
            break
    assert os.path.getsize(os.path.join(build, "bios.bin")) == IMAGE_SIZE
    return build


# ---- (a) Kconfig targets -----------------------------------------------

def test_defconfig_writes_every_default(tmp_path):
    config = str(tmp_path / ".config")
    make(str(tmp_path), "defconfig")
    assert os.path.exists(config), "make defconfig did not write KCONFIG_CONFIG"
    vals = read_config(config)
    for name, (typ, default) in kconfig_symbols().items():
        assert name in vals, f"CONFIG_{name} missing from the default configuration"
        assert vals[name] == default, f"CONFIG_{name}={vals[name]}, Kconfig default {default}"
    assert vals["QEMU"] == "y" and vals["DEBUG_PORT"] == "0x402"


def test_olddefconfig_keeps_values(tmp_path):
    config = str(tmp_path / ".config")
    make(str(tmp_path), "defconfig")
    setconfig(config, "DEBUG_PORT=0x403", "DEBUG_LEVEL=5", "XEN=n", "SERIAL_PORT=0x2f8")
    # An old configuration: one symbol missing, one Kconfig no longer has.
    with open(config) as f:
        text = f.read()
    text = re.sub(r"^CONFIG_ATA=y\n", "", text, flags=re.M) + "CONFIG_KELP_GONE=y\n"
    with open(config, "w") as f:
        f.write(text)

    make(str(tmp_path), "olddefconfig")
    vals = read_config(config)
    assert vals["DEBUG_PORT"] == "0x403"
    assert vals["DEBUG_LEVEL"] == "5"
    assert vals["XEN"] == "n"
    assert vals["SERIAL_PORT"] == "0x2f8"
    assert vals["QEMU"] == "y"
    assert vals.get("ATA") == "y", "olddefconfig did not fill in a missing symbol"
    assert "KELP_GONE" not in vals, "olddefconfig kept a symbol Kconfig does not declare"


def copy_tree(dest):
    """A private copy of the source tree (the files git knows or would add)."""
    files = subprocess.run(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others",
                            "--exclude-standard"], check=True, capture_output=True).stdout
    for rel in files.decode().split("\0"):
        src = os.path.join(ROOT, rel)
        if not rel or not os.path.isfile(src):
            continue
        os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
        shutil.copy2(src, os.path.join(dest, rel))
    return dest


def test_savedefconfig_writes_minimal_defconfig(tmp_path):
    tree = copy_tree(str(tmp_path / "tree"))
    out = str(tmp_path / "out")
    os.makedirs(out)
    config = os.path.join(out, ".config")
    make(out, "defconfig", tree=tree)
    setconfig(config, "DEBUG_PORT=0x403", "XEN=n", tree=tree)

    make(out, "savedefconfig", tree=tree)
    defconfig = os.path.join(tree, "defconfig")
    assert os.path.exists(defconfig), "make savedefconfig did not write ./defconfig"
    with open(defconfig) as f:
        lines = {l.strip() for l in f if l.strip()}
    assert lines == {"CONFIG_DEBUG_PORT=0x403", "# CONFIG_XEN is not set"}, \
        f"defconfig should list only the two changed symbols, has {sorted(lines)}"

    # The minimal file expands back to the same full configuration.
    again = os.path.join(out, "again.config")
    shutil.copy(defconfig, again)
    make(out, "olddefconfig", tree=tree, config=again)
    assert read_config(again) == read_config(config)


def test_autoconf_defines_every_symbol(tmp_path):
    out = str(tmp_path)
    config = os.path.join(out, ".config")
    make(out, "defconfig")
    setconfig(config, "XEN=n", "DEBUG_PORT=0x403", "DEBUG_LEVEL=4")
    make(out, os.path.join(out, "autoconf.h"))
    defs = read_autoconf(os.path.join(out, "autoconf.h"))

    syms = kconfig_symbols()
    for name in ("QEMU", "XEN", "DEBUG_LEVEL", "DEBUG_PORT", "DEBUG_SERIAL",
                 "SERIAL_CONSOLE", "SERIAL_PORT", "SERIAL_BAUD", "ATA"):
        assert name in syms, f"Kconfig no longer declares {name}"
    vals = read_config(config)
    for name, (typ, _) in syms.items():
        key = "CONFIG_" + name
        assert key in defs, f"{key} is not defined in autoconf.h"
        if typ == kconfiglib.BOOL:
            # A symbol whose dependencies are off is not written to .config: n.
            assert defs[key] == ("1" if vals.get(name, "n") == "y" else "0"), f"{key} = {defs[key]}"
        elif typ == kconfiglib.HEX:
            assert re.fullmatch(r"0x[0-9a-fA-F]+", defs[key]), f"{key} = {defs[key]}"
            assert int(defs[key], 16) == int(vals[name], 16)
        elif typ == kconfiglib.INT:
            assert int(defs[key]) == int(vals[name])

    # C code can use every symbol in a plain expression.
    probe = tmp_path / "probe.c"
    probe.write_text(
        "_Static_assert(CONFIG_XEN == 0, \"XEN\");\n"
        "_Static_assert(CONFIG_QEMU == 1, \"QEMU\");\n"
        "_Static_assert(CONFIG_DEBUG_PORT == 0x403, \"DEBUG_PORT\");\n"
        "_Static_assert(CONFIG_DEBUG_LEVEL == 4, \"DEBUG_LEVEL\");\n"
        "_Static_assert(CONFIG_SERIAL_PORT == 0x3f8, \"SERIAL_PORT\");\n"
        "int f(void) { if (CONFIG_DEBUG_SERIAL || CONFIG_SERIAL_CONSOLE) return 1; return 0; }\n")
    p = subprocess.run(["gcc", "-fsyntax-only", "-Wall", "-Werror", "-include",
                        os.path.join(out, "autoconf.h"), str(probe)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_build_into_new_directory(tmp_path):
    """The documented way to keep a build apart from out/: a directory
    that does not exist yet, holding its own configuration."""
    out = str(tmp_path / "new" / "build")
    # One job, as typed by hand: with more, another rule may happen to
    # create the directory first.
    p = make(out, check=False, jobs=1)
    assert p.returncode == 0, \
        f"make OUT={out} KCONFIG_CONFIG={out}/.config failed:\n{p.stdout[-1500:]}{p.stderr[-1500:]}"
    assert os.path.getsize(os.path.join(out, "bios.bin")) == IMAGE_SIZE
    assert os.path.exists(os.path.join(out, ".config"))


def test_finished_build_is_up_to_date(default_build):
    """Right after a build, make has nothing left to do (no rule that
    always runs). Asked twice, so a source edited meanwhile does not count."""
    for _ in range(2):
        make(default_build, "all")
        if make(default_build, "-q", "all", check=False).returncode == 0:
            return
    p = make(default_build, "-n", "all")
    pytest.fail(f"make would still run after a build:\n{p.stdout}")


# ---- (b) a configuration change has its effect -------------------------

def test_debug_port_setting(tmp_path):
    out = str(tmp_path / "out")
    os.makedirs(out)
    config = os.path.join(out, ".config")
    bios = os.path.join(out, "bios.bin")
    make(out, "defconfig")
    make(out, "all")
    with open(bios, "rb") as f:
        before = f.read()

    # Change the setting in an already built tree: make must rebuild.
    setconfig(config, "DEBUG_PORT=0x403")
    make(out, "all")
    assert read_autoconf(os.path.join(out, "autoconf.h"))["CONFIG_DEBUG_PORT"] == "0x403"
    with open(bios, "rb") as f:
        assert f.read() != before, "changing DEBUG_PORT did not change bios.bin"

    # Listen on both ports: the log must come out on 0x403 only.
    old_port_log = tmp_path / "port402.log"
    r = harness.run_qemu(
        bios, exit_disk(str(tmp_path / "exit.img")) + [
            "-chardev", f"file,id=old,path={old_port_log}",
            "-device", "isa-debugcon,iobase=0x402,chardev=old"],
        timeout=60, debug_port=0x403)
    assert r.status == harness.EXIT_OK_STATUS, \
        f"boot did not reach the boot sector (status {r.status})\n{r.debug}"
    assert "Kelp BIOS" in r.debug, f"no log on port 0x403:\n{r.debug!r}"
    assert old_port_log.read_bytes() == b"", "log still written to port 0x402"


def test_debug_level_zero_is_silent(tmp_path):
    out = str(tmp_path / "out")
    os.makedirs(out)
    make(out, "defconfig")
    setconfig(os.path.join(out, ".config"), "DEBUG_LEVEL=0")
    make(out, "all")
    r = boot(os.path.join(out, "bios.bin"), str(tmp_path))
    assert r.status == harness.EXIT_OK_STATUS, \
        f"boot did not reach the boot sector (status {r.status})\n{r.serial}"
    assert r.debug == "", f"DEBUG_LEVEL=0 still logs:\n{r.debug[:2000]}"


# ---- (c) link-time limits ----------------------------------------------

def lds_message(lds, needle):
    """The message of the linker script's ASSERT whose condition mentions needle."""
    with open(lds) as f:
        text = f.read()
    for cond, msg in re.findall(r"ASSERT\s*\((.*?),\s*\"([^\"]*)\"\s*\)", text, re.S):
        if needle in cond:
            return msg
    pytest.fail(f"{lds} has no ASSERT about {needle}")


def compile_extra(build, tmp, name, source, mode):
    """Compile source with the Makefile's own CFLAGS16 or CFLAGS32."""
    flags = shlex.split(make_var(build, f"CFLAGS{mode}"))
    assert f"-m{mode}" in flags, f"CFLAGS{mode} = {flags}"
    src = os.path.join(tmp, name + ".c")
    obj = os.path.join(tmp, name + ".o")
    with open(src, "w") as f:
        f.write(source)
    p = subprocess.run(["gcc", *flags, "-c", src, "-o", obj], cwd=ROOT,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return obj


def link_with(build, tmp, elf, obj, keep):
    """Run the Makefile's own link command for <build>/<elf> with one more
    object, into a scratch output. --gc-sections would drop an object nothing
    refers to, so -u names its symbol as a caller would."""
    cmd = list(build.link[elf])
    output = os.path.join(tmp, "extra-" + elf)
    cmd[cmd.index("-o") + 1] = output
    cmd += [obj, "-u", keep]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    return r, output


LIMITS = {
    # name: (mode, source, symbol, elf, words of the ASSERT condition)
    "runtime-too-big": (16, "const unsigned char kelp_extra[60000] = { 1 };\n",
                        "kelp_extra", "rt16.elf", "rt_code_end"),
    "post-too-big": (32, "const unsigned char kelp_extra[70000] = { 1 };\n",
                     "kelp_extra", "post32.elf", "post_image_end"),
    "runtime-initialised-variable": (16, "int kelp_extra = 5;\n",
                                     "kelp_extra", "rt16.elf", "SIZEOF(.data)"),
}


@pytest.mark.parametrize("case", sorted(LIMITS))
def test_link_limit_fails_clearly(default_build, tmp_path, case):
    mode, source, sym, elf, needle = LIMITS[case]
    obj = compile_extra(default_build, str(tmp_path), case, source, mode)
    r, output = link_with(default_build, str(tmp_path), elf, obj, sym)
    msg = lds_message(os.path.join(default_build, elf.replace(".elf", ".lds")), needle)
    assert r.returncode != 0, f"{case}: the link succeeded"
    assert msg in r.stderr + r.stdout, \
        f"{case}: ld did not say {msg!r}; it said:\n{r.stderr}{r.stdout}"
    assert not os.path.exists(output), "a failed link left its output behind"


@pytest.mark.parametrize("mode,elf", [(16, "rt16.elf"), (32, "post32.elf")])
def test_link_with_small_constant_succeeds(default_build, tmp_path, mode, elf):
    """The same link with a small constant table works, so the failures
    above come from the sizes and the variable, not from the method."""
    obj = compile_extra(default_build, str(tmp_path), "small",
                        "const unsigned char kelp_extra[64] = { 1 };\n", mode)
    r, output = link_with(default_build, str(tmp_path), elf, obj, "kelp_extra")
    assert r.returncode == 0, r.stderr
    syms = subprocess.run(["nm", output], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^[0-9a-f]+ \w kelp_extra$", syms, re.M), "the extra table was not linked in"


def layout(build, tmp, rt16=None, post32=None):
    out = os.path.join(tmp, "bios.bin")
    cmd = [PY, os.path.join(ROOT, "scripts", "layout.py"),
           "--rt16", rt16 or os.path.join(build, "rt16.bin"),
           "--post32", post32 or os.path.join(build, "post32.bin"), "-o", out]
    return subprocess.run(cmd, capture_output=True, text=True), out


def test_layout_reproduces_the_image(default_build, tmp_path):
    p, out = layout(default_build, str(tmp_path))
    assert p.returncode == 0, p.stderr
    with open(out, "rb") as a, open(os.path.join(default_build, "bios.bin"), "rb") as b:
        assert a.read() == b.read()


def doctored(build, tmp, case):
    with open(os.path.join(build, "rt16.bin"), "rb") as f:
        rt = bytearray(f.read())
    rt_path = os.path.join(tmp, "rt16.bin")
    post_path = None
    if case == "fseg-short":
        rt = rt[:-1]
    elif case == "fseg-long":
        rt += b"\0"
    elif case == "no-reset-jump":
        rt[0xFFF0] = 0x90
    elif case == "post-too-big":
        post_path = os.path.join(tmp, "post32.bin")
        with open(post_path, "wb") as f:
            f.write(bytes(SEG + 1))
    with open(rt_path, "wb") as f:
        f.write(rt)
    return rt_path, post_path


@pytest.mark.parametrize("case", ["fseg-short", "fseg-long", "no-reset-jump", "post-too-big"])
def test_layout_rejects_bad_input(default_build, tmp_path, case):
    rt, post = doctored(default_build, str(tmp_path), case)
    p, out = layout(default_build, str(tmp_path), rt, post)
    assert p.returncode != 0, f"layout.py accepted {case}"
    assert "layout: error" in p.stderr, f"no 'layout: error' message:\n{p.stderr}"
    if case.startswith("fseg"):
        assert "F-segment" in p.stderr and str(SEG) in p.stderr, p.stderr
    assert not os.path.exists(out), "layout.py wrote an image from bad input"


# ---- (d) POST phase timestamps ------------------------------------------

def test_post_log_times_each_phase(default_build, tmp_path):
    r = boot(os.path.join(default_build, "bios.bin"), str(tmp_path))
    assert r.status == harness.EXIT_OK_STATUS, \
        f"boot did not reach the boot sector (status {r.status})\n{r.debug}"
    phases = [(name, int(t)) for t, name in PHASE_RE.findall(r.debug)]
    names = [n for n, _ in phases]
    # These phases, in this order; more may be logged between them.
    assert [n for n in names if n in POST_PHASES] == POST_PHASES, f"phase lines:\n{r.debug}"
    stamps = [t for _, t in phases]
    assert stamps == sorted(stamps), f"timestamps go backwards: {phases}"
    assert stamps[-1] > stamps[0], f"time does not advance during POST: {phases}"
