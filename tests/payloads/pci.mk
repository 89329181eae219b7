# PCI BIOS probe disk: $(OUT)/test/pciprobe.img
#
# The boot sector, entry, helpers and disk layout of the main probe
# (build.mk) with probe_pci.c as the body; tests/qemu/test_pcibios.py
# builds it with
#     make -f tests/payloads/pci.mk [OUT=out]
# Variables are prefixed PCIPROBE_; compiler settings come from build.mk.

PCIPROBE_MK := $(lastword $(MAKEFILE_LIST))
PCIPROBE_DIR := $(patsubst %/,%,$(dir $(PCIPROBE_MK)))
include $(PCIPROBE_DIR)/build.mk

PCIPROBE_BUILD := $(OUT)/test/pciprobe
PCIPROBE_IMG := $(OUT)/test/pciprobe.img
PCIPROBE_OBJS := $(PCIPROBE_BUILD)/probe_entry.o $(PCIPROBE_BUILD)/probe_lib.o \
	$(PCIPROBE_BUILD)/probe_pci_main.o $(PCIPROBE_BUILD)/probe_pci.o $(PCIPROBE_BUILD)/probe_pci32.o
PCIPROBE_HDRS := $(PROBE_DIR)/probe.h $(PROBE_DIR)/probe_pci.h

.PHONY: pciprobe
pciprobe: $(PCIPROBE_IMG)

$(PCIPROBE_IMG): $(PROBE_BUILD)/mbr.bin $(PCIPROBE_BUILD)/probe.bin $(PROBE_DIR)/mkimage.py
	$(PROBE_PYTHON) $(PROBE_DIR)/mkimage.py $(PROBE_BUILD)/mbr.bin $(PCIPROBE_BUILD)/probe.bin $@.tmp
	mv $@.tmp $@

$(PCIPROBE_BUILD)/probe.bin: $(PCIPROBE_OBJS) $(PROBE_DIR)/probe.ld
	$(PROBE_LD) $(PROBE_LDFLAGS) -T $(PROBE_DIR)/probe.ld -o $(PCIPROBE_BUILD)/probe.elf $(PCIPROBE_OBJS)
	$(PROBE_OBJCOPY) -O binary -R .bss $(PCIPROBE_BUILD)/probe.elf $@

$(PCIPROBE_BUILD)/%.o: $(PROBE_DIR)/%.S $(PCIPROBE_MK) | $(PCIPROBE_BUILD)
	$(PROBE_CC) $(PROBE_ASFLAGS) -c -o $@ $<

$(PCIPROBE_BUILD)/%.o: $(PROBE_DIR)/%.c $(PCIPROBE_HDRS) $(PCIPROBE_MK) | $(PCIPROBE_BUILD)
	$(PROBE_CC) $(PROBE_CFLAGS) -c -o $@ $<

$(PCIPROBE_BUILD):
	mkdir -p $@

.DEFAULT_GOAL := pciprobe
