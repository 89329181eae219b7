# Test option ROMs and the test disk program: $(OUT)/roms/*.rom,
# $(OUT)/roms/diskprobe.bin (see tests/roms/README.md).
#
# Included by the top-level Makefile, or used on its own:
#     make -f tests/roms/build.mk [OUT=out]
# Every variable is prefixed ROMS_ so nothing clashes with the firmware build.

ROMS_MK := $(lastword $(MAKEFILE_LIST))
ROMS_DIR := $(patsubst %/,%,$(dir $(ROMS_MK)))
ROMS_SAVED_GOAL := $(.DEFAULT_GOAL)

OUT ?= out

ROMS_CC ?= gcc
ROMS_LD ?= ld
ROMS_PYTHON ?= /usr/bin/python3
ROMS_OUT := $(OUT)/roms
ROMS_ASFLAGS ?= -m32 -nostdlib -I$(ROMS_DIR) -Wa,-I$(ROMS_OUT)
ROMS_LDFLAGS ?= -m elf_i386 -nostdlib -T $(ROMS_DIR)/rom.ld
ROMS_TOOL := $(ROMS_DIR)/romtool.py
ROMS_HDRS := $(ROMS_DIR)/testrom.h $(ROMS_DIR)/int13disk.h
ROMS_DEPS := $(ROMS_HDRS) $(ROMS_DIR)/rom.ld $(ROMS_TOOL) $(ROMS_MK)

ROMS_E1000_IDS := 8086:100e

# One word per ROM: name|source|preprocessor flags|romtool.py options,
# "~" standing for a space and "-" for nothing.
ROMS_TABLE := \
	virtio-blk|virtio_blk|-|--ids~1af4:1001 \
	bev|bev|-|- \
	bev-ret|bev|-DBEV_RETURNS|- \
	int19|int19|-|- \
	ramdisk|ramdisk|-|- \
	ramdisk-many|ramdisk|-DNDRIVES=126|- \
	pci3|pci3|-|--blocks~16 \
	pci3-direct|pci3|-DDIRECT_ID|--blocks~16 \
	tiny|tiny|-|- \
	services|services|-|- \
	bad-csum|bad|-DWITH_PCIR|--ids~$(ROMS_E1000_IDS)~--checksum~bad \
	bad-csum-opt|bad|-|--checksum~bad \
	size0|bad|-DWITH_PCIR|--ids~$(ROMS_E1000_IDS)~--size-byte~0 \
	size0-opt|bad|-|--size-byte~0 \
	oversize|bad|-DWITH_PCIR|--ids~$(ROMS_E1000_IDS)~--size-byte~200 \
	oversize-opt|bad|-|--size-byte~200 \
	pcir-out|bad|-DPCIR_OUTSIDE|- \
	pcir-past|bad|-DPCIR_PAST_IMAGE|--ids~$(ROMS_E1000_IDS)~--blocks~2~--file-size~2048 \
	pcir-mismatch|bad|-DWITH_PCIR|--ids~1234:5678 \
	efi-only|bad|-DWITH_PCIR~-DCODE_TYPE=3|--ids~$(ROMS_E1000_IDS) \
	pnp-badptr|bad|-DPNP_BADPTR|- \
	pnp-loop|bad|-DPNP_LOOP|- \
	hang|bad|-DHANG|- \
	scribble|bad|-DSCRIBBLE|- \
	scribble-code|bad|-DSCRIBBLE_CODE|- \
	ahci-rom|bad|-DWITH_PCIR|--ids~8086:2922 \
	hang-bcv|bad|-DHANG_BCV|- \
	big|bad|-DWITH_PCIR|--ids~$(ROMS_E1000_IDS)~--blocks~255

ROMS_FIELD = $(filter-out -,$(subst ~, ,$(word $(2),$(subst |, ,$(1)))))
ROMS_NAMES := $(foreach r,$(ROMS_TABLE),$(firstword $(subst |, ,$(r))))
ROMS_ALL := $(patsubst %,$(ROMS_OUT)/%.rom,$(ROMS_NAMES)) $(ROMS_OUT)/diskprobe.bin

.PHONY: roms roms-clean
roms: $(ROMS_ALL)

# name, source, cpp flags, romtool options
define ROMS_RULES
$(ROMS_OUT)/$(1).o: $(ROMS_DIR)/$(2).S $(ROMS_DEPS) | $(ROMS_OUT)
	$(ROMS_CC) $(ROMS_ASFLAGS) -DROM_NAME='"$(1)"' $(3) -c -o $$@ $$<
$(ROMS_OUT)/$(1).bin: $(ROMS_OUT)/$(1).o $(ROMS_DIR)/rom.ld
	$(ROMS_LD) $(ROMS_LDFLAGS) -o $$@ $$<
$(ROMS_OUT)/$(1).rom: $(ROMS_OUT)/$(1).bin $(ROMS_TOOL)
	$(ROMS_PYTHON) $(ROMS_TOOL) rom $(4) $$< $$@.tmp
	mv $$@.tmp $$@
endef

$(foreach r,$(ROMS_TABLE),$(eval $(call ROMS_RULES,$(call ROMS_FIELD,$(r),1),$(call ROMS_FIELD,$(r),2),$(call ROMS_FIELD,$(r),3),$(call ROMS_FIELD,$(r),4))))

# The disk program runs at 0000:7C00; the RAM disk ROM carries a 16 KiB
# disk made from it.
$(ROMS_OUT)/diskprobe.o: $(ROMS_DIR)/diskprobe.S $(ROMS_DEPS) | $(ROMS_OUT)
	$(ROMS_CC) $(ROMS_ASFLAGS) -c -o $@ $<
$(ROMS_OUT)/diskprobe.bin: $(ROMS_OUT)/diskprobe.o $(ROMS_DIR)/rom.ld
	$(ROMS_LD) $(ROMS_LDFLAGS) -Ttext=0x7c00 -o $@ $<
$(ROMS_OUT)/ramdisk.img: $(ROMS_OUT)/diskprobe.bin $(ROMS_TOOL)
	$(ROMS_PYTHON) $(ROMS_TOOL) disk $< $@ --label ramdisk --sectors 32
$(ROMS_OUT)/ramdisk.o $(ROMS_OUT)/ramdisk-many.o: $(ROMS_OUT)/ramdisk.img

$(ROMS_OUT):
	mkdir -p $@

roms-clean:
	rm -rf $(ROMS_OUT)

.SECONDARY: $(patsubst %,$(ROMS_OUT)/%.bin,$(ROMS_NAMES)) $(patsubst %,$(ROMS_OUT)/%.o,$(ROMS_NAMES))

# Standalone use builds everything; when included, leave the includer's
# default goal alone.
ifeq ($(firstword $(MAKEFILE_LIST)),$(ROMS_MK))
.DEFAULT_GOAL := roms
else
.DEFAULT_GOAL := $(ROMS_SAVED_GOAL)
endif
