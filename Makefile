# Kelp build. `make` builds out/bios.bin; `make test` runs every test;
# `make run` boots the demo guest on the serial console; `make bench`
# measures Kelp against SeaBIOS (docs/performance.md).

OUT      ?= out
PYTHON   ?= /usr/bin/python3
CC       := gcc
LD       := ld
OBJCOPY  := objcopy
QEMU     ?= qemu-system-x86_64
export KCONFIG_CONFIG ?= .config

# Which directories are compiled for which mode is fixed by the directory:
#   src/entry/*32.S, src/post, src/fw     32-bit flat (POST)
#   src/entry/*16.S, src/rt, src/boot     16-bit real mode (runtime)
#   src/hw, src/lib                       both
SRC16 := $(wildcard src/rt/*.c src/boot/*.c src/hw/*.c src/lib/*.c)
SRC32 := $(wildcard src/post/*.c src/fw/*.c src/hw/*.c src/lib/*.c)
ASM16 := $(wildcard src/entry/*16.S)
ASM32 := $(wildcard src/entry/*32.S)

OBJ16 := $(patsubst %,$(OUT)/16/%.o,$(basename $(SRC16) $(ASM16)))
OBJ32 := $(patsubst %,$(OUT)/32/%.o,$(basename $(SRC32) $(ASM32)))

CFLAGS_COMMON := -Os -std=gnu11 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-delete-null-pointer-checks -fno-strict-aliasing -fno-common \
	-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-mregparm=3 -march=i686 -mno-sse -mno-mmx -mgeneral-regs-only \
	-Wall -Wextra -Wno-unused-parameter -Werror -Wno-address-of-packed-member \
	-Wno-array-bounds -Wno-stringop-overflow -Wno-stringop-overread \
	-Isrc -I$(OUT) -include $(OUT)/autoconf.h -MMD -MP
CFLAGS16 := $(CFLAGS_COMMON) -m16 -DMODE16 -mpreferred-stack-boundary=2
CFLAGS32 := $(CFLAGS_COMMON) -m32 -DMODE32

.PHONY: all clean run test bench unit qemu-test defconfig olddefconfig savedefconfig menuconfig deps size install
PREFIX ?= /usr
DESTDIR ?=
all: $(OUT)/bios.bin

deps:
	@sh scripts/deps.sh

# ---- configuration (Kconfig via python3-kconfiglib) ----
$(KCONFIG_CONFIG):
	@$(MAKE) --no-print-directory defconfig

defconfig:
	@mkdir -p $(dir $(KCONFIG_CONFIG))
	$(PYTHON) -m alldefconfig Kconfig
olddefconfig:
	$(PYTHON) -m olddefconfig Kconfig
savedefconfig:
	$(PYTHON) -m savedefconfig --kconfig Kconfig --out defconfig
menuconfig:
	$(PYTHON) -m menuconfig Kconfig

$(OUT)/autoconf.h: $(KCONFIG_CONFIG) Kconfig scripts/autoconf.py
	@mkdir -p $(OUT)
	$(PYTHON) -m olddefconfig Kconfig >/dev/null
	$(PYTHON) scripts/autoconf.py Kconfig $@

# ---- compiling ----
$(OUT)/16/%.o: %.c $(OUT)/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  CC16  $<"
	@$(CC) $(CFLAGS16) -c $< -o $@
$(OUT)/16/%.o: %.S $(OUT)/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  CC16  $<"
	@$(CC) $(CFLAGS16) -c $< -o $@
$(OUT)/32/%.o: %.c $(OUT)/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  CC32  $<"
	@$(CC) $(CFLAGS32) -c $< -o $@
$(OUT)/32/%.o: %.S $(OUT)/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  CC32  $<"
	@$(CC) $(CFLAGS32) -c $< -o $@

$(OUT)/%.lds: src/entry/%.lds.S src/layout.h
	@mkdir -p $(dir $@)
	$(CC) -E -P -x c -Isrc $< -o $@

# ---- linking: two programs, one image ----
$(OUT)/rt16.elf: $(OBJ16) $(OUT)/rt16.lds
	$(LD) -m elf_i386 -T $(OUT)/rt16.lds --gc-sections --no-check-sections -o $@ $(OBJ16)
$(OUT)/rt16-syms.lds: $(OUT)/rt16.elf scripts/rtsyms.py
	$(PYTHON) scripts/rtsyms.py $< $@
$(OUT)/post32.elf: $(OBJ32) $(OUT)/post32.lds $(OUT)/rt16-syms.lds
	$(LD) -m elf_i386 -L $(OUT) -T $(OUT)/post32.lds --gc-sections --no-warn-rwx-segments -o $@ $(OBJ32)

$(OUT)/%.bin: $(OUT)/%.elf
	$(OBJCOPY) -O binary $< $@

$(OUT)/bios.bin: $(OUT)/rt16.bin $(OUT)/post32.bin $(OUT)/rt16.elf $(OUT)/post32.elf scripts/layout.py
	$(PYTHON) scripts/layout.py --rt16 $(OUT)/rt16.bin --rt16-elf $(OUT)/rt16.elf \
		--post32 $(OUT)/post32.bin --post32-elf $(OUT)/post32.elf -o $@

size: $(OUT)/bios.bin
	$(PYTHON) scripts/layout.py --report --rt16-elf $(OUT)/rt16.elf --post32-elf $(OUT)/post32.elf

# The image where xen/*.cfg point bios_path_override.
install: $(OUT)/bios.bin
	install -d $(DESTDIR)$(PREFIX)/lib/kelp
	install -m 644 $(OUT)/bios.bin $(DESTDIR)$(PREFIX)/lib/kelp/kelp.bin

clean:
	rm -rf $(OUT)

-include $(OBJ16:.o=.d) $(OBJ32:.o=.d)
-include tests/payloads/build.mk
-include tests/unit/build.mk
-include tests/images/build.mk
-include tests/roms/build.mk
-include tests/fuzz/build.mk

# ---- running and testing ----
run: deps $(OUT)/bios.bin
	$(PYTHON) scripts/run.py

test: deps
	@$(MAKE) --no-print-directory all
	$(PYTHON) scripts/runtests.py

bench: deps
	@$(MAKE) --no-print-directory all
	$(PYTHON) scripts/bench.py
