# NVMe I/O probe disk: $(OUT)/test/nvmeio.img
#
# The boot sector, entry, helpers and disk layout of the main probe
# (build.mk) with nvmeio.c as the body; tests/qemu/test_nvme.py
# builds it with
#     make -f tests/payloads/nvmeio.mk [OUT=out]
# Variables are prefixed NVMEIO_; compiler settings come from build.mk.

NVMEIO_MK := $(lastword $(MAKEFILE_LIST))
NVMEIO_DIR := $(patsubst %/,%,$(dir $(NVMEIO_MK)))
include $(NVMEIO_DIR)/build.mk

NVMEIO_BUILD := $(OUT)/test/nvmeio
NVMEIO_IMG := $(OUT)/test/nvmeio.img
NVMEIO_OBJS := $(NVMEIO_BUILD)/probe_entry.o $(NVMEIO_BUILD)/probe_lib.o \
	$(NVMEIO_BUILD)/nvmeio.o

.PHONY: nvmeio
nvmeio: $(NVMEIO_IMG)

$(NVMEIO_IMG): $(PROBE_BUILD)/mbr.bin $(NVMEIO_BUILD)/probe.bin $(PROBE_DIR)/mkimage.py
	$(PROBE_PYTHON) $(PROBE_DIR)/mkimage.py $(PROBE_BUILD)/mbr.bin $(NVMEIO_BUILD)/probe.bin $@.tmp
	mv $@.tmp $@

$(NVMEIO_BUILD)/probe.bin: $(NVMEIO_OBJS) $(PROBE_DIR)/probe.ld
	$(PROBE_LD) $(PROBE_LDFLAGS) -T $(PROBE_DIR)/probe.ld -o $(NVMEIO_BUILD)/probe.elf $(NVMEIO_OBJS)
	$(PROBE_OBJCOPY) -O binary -R .bss $(NVMEIO_BUILD)/probe.elf $@

$(NVMEIO_BUILD)/%.o: $(PROBE_DIR)/%.S $(NVMEIO_MK) | $(NVMEIO_BUILD)
	$(PROBE_CC) $(PROBE_ASFLAGS) -c -o $@ $<

$(NVMEIO_BUILD)/%.o: $(PROBE_DIR)/%.c $(PROBE_DIR)/probe.h $(NVMEIO_MK) | $(NVMEIO_BUILD)
	$(PROBE_CC) $(PROBE_CFLAGS) -c -o $@ $<

$(NVMEIO_BUILD):
	mkdir -p $@

.DEFAULT_GOAL := nvmeio
