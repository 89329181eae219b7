# Disk I/O probe disk: $(OUT)/test/diskio.img
#
# The boot sector, entry, helpers and disk layout of the main probe
# (build.mk) with probe_diskio.c as the body; tests/qemu/test_nvme.py
# builds it with
#     make -f tests/payloads/diskio.mk [OUT=out]
# Variables are prefixed DISKIO_; compiler settings come from build.mk.

DISKIO_MK := $(lastword $(MAKEFILE_LIST))
DISKIO_DIR := $(patsubst %/,%,$(dir $(DISKIO_MK)))
include $(DISKIO_DIR)/build.mk

DISKIO_BUILD := $(OUT)/test/diskio
DISKIO_IMG := $(OUT)/test/diskio.img
DISKIO_OBJS := $(DISKIO_BUILD)/probe_entry.o $(DISKIO_BUILD)/probe_lib.o \
	$(DISKIO_BUILD)/probe_diskio.o

.PHONY: diskio
diskio: $(DISKIO_IMG)

$(DISKIO_IMG): $(PROBE_BUILD)/mbr.bin $(DISKIO_BUILD)/probe.bin $(PROBE_DIR)/mkimage.py
	$(PROBE_PYTHON) $(PROBE_DIR)/mkimage.py $(PROBE_BUILD)/mbr.bin $(DISKIO_BUILD)/probe.bin $@.tmp
	mv $@.tmp $@

$(DISKIO_BUILD)/probe.bin: $(DISKIO_OBJS) $(PROBE_DIR)/probe.ld
	$(PROBE_LD) $(PROBE_LDFLAGS) -T $(PROBE_DIR)/probe.ld -o $(DISKIO_BUILD)/probe.elf $(DISKIO_OBJS)
	$(PROBE_OBJCOPY) -O binary -R .bss $(DISKIO_BUILD)/probe.elf $@

$(DISKIO_BUILD)/%.o: $(PROBE_DIR)/%.S $(DISKIO_MK) | $(DISKIO_BUILD)
	$(PROBE_CC) $(PROBE_ASFLAGS) -c -o $@ $<

$(DISKIO_BUILD)/%.o: $(PROBE_DIR)/%.c $(PROBE_DIR)/probe.h $(DISKIO_MK) | $(DISKIO_BUILD)
	$(PROBE_CC) $(PROBE_CFLAGS) -c -o $@ $<

$(DISKIO_BUILD):
	mkdir -p $@

.DEFAULT_GOAL := diskio
