# Probe boot disk: $(OUT)/test/probe.img
# Boot-order test disks: $(OUT)/test/boot-int18.img, $(OUT)/test/boot-second.img,
#   $(OUT)/test/boot-vbr.img
# INT 13h test disk: $(OUT)/test/int13.img (the probe's layout, int13.c as the body)
# Serial console test disk: $(OUT)/test/boot-keyecho.img
# Disk I/O test disk: $(OUT)/test/boot-blkio.img
# `make bench` programs: $(OUT)/test/bench/bench.bin (boot sector code) and
# $(OUT)/test/bench/bench_init (x86-64 Linux /init); scripts/bench.py makes
# the disks.
#
# Included by the top-level Makefile, or used on its own:
#     make -f tests/payloads/build.mk [OUT=out]
# Every variable is prefixed PROBE_ so nothing clashes with the firmware build.

PROBE_MK := $(lastword $(MAKEFILE_LIST))
PROBE_DIR := $(patsubst %/,%,$(dir $(PROBE_MK)))
PROBE_SAVED_GOAL := $(.DEFAULT_GOAL)

OUT ?= out

PROBE_CC ?= gcc
PROBE_LD ?= ld
PROBE_OBJCOPY ?= objcopy
PROBE_PYTHON ?= /usr/bin/python3
PROBE_CFLAGS ?= -m16 -march=i386 -ffreestanding -fno-pic -fno-stack-protector -Os -nostdlib \
	-fno-asynchronous-unwind-tables -fno-common -mno-mmx -mno-sse -mno-sse2 \
	-Wall -Wextra
PROBE_ASFLAGS ?= -m16 -march=i386 -fno-pic -nostdlib
PROBE_LDFLAGS ?= -m elf_i386 -nostdlib --no-dynamic-linker -z noexecstack --no-warn-rwx-segments

PROBE_BUILD := $(OUT)/test/probe
PROBE_IMG := $(OUT)/test/probe.img
PROBE_OBJS := $(PROBE_BUILD)/probe_entry.o $(PROBE_BUILD)/probe.o $(PROBE_BUILD)/probe_lib.o
PROBE_HDRS := $(PROBE_DIR)/probe.h
PROBE_BOOT_IMGS := $(OUT)/test/boot-int18.img $(OUT)/test/boot-second.img \
	$(OUT)/test/boot-vbr.img $(OUT)/test/boot-keyecho.img \
	$(OUT)/test/boot-blkio.img
PROBE_INT13_IMG := $(OUT)/test/int13.img
PROBE_INT13_OBJS := $(PROBE_BUILD)/probe_entry.o $(PROBE_BUILD)/int13.o $(PROBE_BUILD)/probe_lib.o

.PHONY: probe probe-clean bench-payloads
probe: $(PROBE_IMG) $(PROBE_BOOT_IMGS) $(PROBE_INT13_IMG)

$(PROBE_IMG): $(PROBE_BUILD)/mbr.bin $(PROBE_BUILD)/probe.bin $(PROBE_DIR)/mkimage.py
	$(PROBE_PYTHON) $(PROBE_DIR)/mkimage.py $(PROBE_BUILD)/mbr.bin $(PROBE_BUILD)/probe.bin $@.tmp
	mv $@.tmp $@

$(PROBE_BUILD)/mbr.bin: $(PROBE_BUILD)/mbr.o
	$(PROBE_LD) $(PROBE_LDFLAGS) -Ttext=0x7c00 -e _start -o $(PROBE_BUILD)/mbr.elf $<
	$(PROBE_OBJCOPY) -O binary -j .text $(PROBE_BUILD)/mbr.elf $@

$(PROBE_BUILD)/probe.bin: $(PROBE_OBJS) $(PROBE_DIR)/probe.ld
	$(PROBE_LD) $(PROBE_LDFLAGS) -T $(PROBE_DIR)/probe.ld -o $(PROBE_BUILD)/probe.elf $(PROBE_OBJS)
	$(PROBE_OBJCOPY) -O binary -R .bss $(PROBE_BUILD)/probe.elf $@

$(PROBE_INT13_IMG): $(PROBE_BUILD)/mbr.bin $(PROBE_BUILD)/int13.bin $(PROBE_DIR)/mkimage.py
	$(PROBE_PYTHON) $(PROBE_DIR)/mkimage.py $(PROBE_BUILD)/mbr.bin $(PROBE_BUILD)/int13.bin $@.tmp
	mv $@.tmp $@

$(PROBE_BUILD)/int13.bin: $(PROBE_INT13_OBJS) $(PROBE_DIR)/probe.ld
	$(PROBE_LD) $(PROBE_LDFLAGS) -T $(PROBE_DIR)/probe.ld -o $(PROBE_BUILD)/int13.elf $(PROBE_INT13_OBJS)
	$(PROBE_OBJCOPY) -O binary -R .bss $(PROBE_BUILD)/int13.elf $@

# bootchain.S, once per role
$(PROBE_BUILD)/boot-int18.o: $(PROBE_DIR)/bootchain.S $(PROBE_DIR)/dbgout.h $(PROBE_MK) | $(PROBE_BUILD)
	$(PROBE_CC) $(PROBE_ASFLAGS) -DFIRST -c -o $@ $<
$(PROBE_BUILD)/boot-second.o: $(PROBE_DIR)/bootchain.S $(PROBE_DIR)/dbgout.h $(PROBE_MK) | $(PROBE_BUILD)
	$(PROBE_CC) $(PROBE_ASFLAGS) -c -o $@ $<
$(PROBE_BUILD)/boot-vbr.o: $(PROBE_DIR)/bootchain.S $(PROBE_DIR)/dbgout.h $(PROBE_MK) | $(PROBE_BUILD)
	$(PROBE_CC) $(PROBE_ASFLAGS) -DFIRST -DVBR -c -o $@ $<

$(PROBE_BUILD)/boot-blkio.o: $(PROBE_DIR)/blkio.S $(PROBE_DIR)/dbgout.h $(PROBE_MK) | $(PROBE_BUILD)
	$(PROBE_CC) $(PROBE_ASFLAGS) -c -o $@ $<

$(PROBE_BUILD)/boot-%.bin: $(PROBE_BUILD)/boot-%.o
	$(PROBE_LD) $(PROBE_LDFLAGS) -Ttext=0x7c00 -e _start -o $(PROBE_BUILD)/boot-$*.elf $<
	$(PROBE_OBJCOPY) -O binary -j .text $(PROBE_BUILD)/boot-$*.elf $@

$(PROBE_BUILD)/boot-keyecho.o: $(PROBE_DIR)/keyecho.S $(PROBE_DIR)/dbgout.h $(PROBE_MK) | $(PROBE_BUILD)
	$(PROBE_CC) $(PROBE_ASFLAGS) -c -o $@ $<

.SECONDARY: $(PROBE_BUILD)/boot-int18.bin $(PROBE_BUILD)/boot-second.bin \
	$(PROBE_BUILD)/boot-vbr.bin $(PROBE_BUILD)/boot-keyecho.bin \
	$(PROBE_BUILD)/boot-blkio.bin

$(OUT)/test/boot-%.img: $(PROBE_BUILD)/boot-%.bin $(PROBE_DIR)/mkimage.py
	$(PROBE_PYTHON) $(PROBE_DIR)/mkimage.py --boot-sector $< $@.tmp
	mv $@.tmp $@

# The bench programs read the TSC: i686, not i386.
PROBE_BENCH := $(OUT)/test/bench
bench-payloads: $(PROBE_BENCH)/bench.bin $(PROBE_BENCH)/bench_init

$(PROBE_BENCH)/bench.bin: $(PROBE_DIR)/bench.S $(PROBE_MK)
	@mkdir -p $(PROBE_BENCH)
	$(PROBE_CC) -m16 -march=i686 -fno-pic -nostdlib -c -o $(PROBE_BENCH)/bench.o $<
	$(PROBE_LD) $(PROBE_LDFLAGS) -Ttext=0x7c00 -e _start -o $(PROBE_BENCH)/bench.elf $(PROBE_BENCH)/bench.o
	$(PROBE_OBJCOPY) -O binary -j .text $(PROBE_BENCH)/bench.elf $@

$(PROBE_BENCH)/bench_init: $(PROBE_DIR)/bench_init.S $(PROBE_MK)
	@mkdir -p $(PROBE_BENCH)
	$(PROBE_CC) -m64 -nostdlib -static -s -Wl,--build-id=none -o $@ $<

$(PROBE_BUILD)/%.o: $(PROBE_DIR)/%.S $(PROBE_MK) | $(PROBE_BUILD)
	$(PROBE_CC) $(PROBE_ASFLAGS) -c -o $@ $<

$(PROBE_BUILD)/%.o: $(PROBE_DIR)/%.c $(PROBE_HDRS) $(PROBE_MK) | $(PROBE_BUILD)
	$(PROBE_CC) $(PROBE_CFLAGS) -c -o $@ $<

$(PROBE_BUILD):
	mkdir -p $@

probe-clean:
	rm -rf $(PROBE_BUILD) $(PROBE_IMG) $(PROBE_BOOT_IMGS) $(PROBE_INT13_IMG) $(PROBE_BENCH)

# Standalone use builds the image; when included, leave the includer's
# default goal alone.
ifeq ($(firstword $(MAKEFILE_LIST)),$(PROBE_MK))
.DEFAULT_GOAL := probe
else
.DEFAULT_GOAL := $(PROBE_SAVED_GOAL)
endif
