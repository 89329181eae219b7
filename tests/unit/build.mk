# Host unit tests for the pure-logic firmware modules (cmocka).
#
#   make unit         build every test under $(OUT)/unit/ and run them all
#   make unit-modes   compile the modules as firmware (-m32 and -m16) and fail
#                     if an object needs any outside symbol (__udivdi3,
#                     __umoddi3, memcpy, memset, ...)
#
# Included by the top Makefile; also works alone:
#   make -f tests/unit/build.mk unit
# All variables are prefixed UNIT_ so they cannot clash with the includer.

# Keep the includer's default goal; used alone, `make -f ...` means `unit`.
UNIT_SAVED_GOAL := $(.DEFAULT_GOAL)
ifeq ($(UNIT_SAVED_GOAL)$(word 2,$(MAKEFILE_LIST)),)
UNIT_SAVED_GOAL := unit
endif

UNIT_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
UNIT_TOP := $(abspath $(UNIT_DIR)/../..)
OUT ?= out
UNIT_OUT := $(OUT)/unit

UNIT_HOSTCC ?= gcc
UNIT_CFLAGS ?= -DKELP_HOST -std=gnu11 -Wall -Wextra -Werror -g -O1 \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -I$(UNIT_TOP)/src
UNIT_LDLIBS ?= -lcmocka

UNIT_HEADERS := $(addprefix $(UNIT_TOP)/src/, lib/types.h lib/div64.h \
	lib/chs.h lib/checksum.h fw/e820map.h)

# test name -> module sources it links with
UNIT_SRC_checksum := $(UNIT_TOP)/src/lib/checksum.c
UNIT_SRC_chs      := $(UNIT_TOP)/src/lib/chs.c
UNIT_SRC_e820map  := $(UNIT_TOP)/src/fw/e820map.c
UNIT_SRC_div64    :=
UNIT_SRC_acpi_loader := $(UNIT_TOP)/src/fw/acpi.c
UNIT_SRC_smbios   := $(UNIT_TOP)/src/fw/smbios.c $(UNIT_TOP)/src/lib/checksum.c
UNIT_SRC_eltorito := $(UNIT_TOP)/src/fw/eltorito.c
UNIT_HEADERS += $(addprefix $(UNIT_TOP)/src/, fw/acpi.h std/acpi.h fw/smbios.h std/smbios.h)
UNIT_HEADERS += $(UNIT_TOP)/src/fw/eltorito.h
UNIT_TESTS := checksum chs e820map div64 acpi_loader smbios eltorito
# Option ROM images, QEMU's bootorder, hvmloader's info block.
UNIT_SRC_romimage  := $(UNIT_TOP)/src/fw/romimage.c $(UNIT_TOP)/src/lib/checksum.c
UNIT_SRC_bootorder := $(UNIT_TOP)/src/fw/bootorder.c
UNIT_SRC_xen_info  := $(UNIT_TOP)/src/fw/xen.c $(UNIT_TOP)/src/fw/e820map.c \
	$(UNIT_TOP)/src/lib/checksum.c
UNIT_HEADERS += $(addprefix $(UNIT_TOP)/src/, fw/romimage.h std/optionrom.h fw/bootorder.h fw/xen.h)
UNIT_TESTS += romimage bootorder xen_info
# The boot sector's partition table, a failed ATA command's INT 13h status.
UNIT_SRC_mbr       := $(UNIT_TOP)/src/boot/mbr.c
UNIT_SRC_ata_error := $(UNIT_TOP)/src/hw/ata_error.c
UNIT_HEADERS += $(addprefix $(UNIT_TOP)/src/, boot/mbr.h hw/ata.h)
UNIT_TESTS += mbr ata_error
# NVMe Identify data.
UNIT_SRC_nvmeid := $(UNIT_TOP)/src/fw/nvmeid.c
UNIT_HEADERS += $(addprefix $(UNIT_TOP)/src/, fw/nvmeid.h std/nvme.h)
UNIT_TESTS += nvmeid
# Numbers in fw_cfg files; a serial terminal's keys.
UNIT_SRC_fwcfg_int := $(UNIT_TOP)/src/fw/fwcfg_int.c
UNIT_SRC_keys      := $(UNIT_TOP)/src/lib/keys.c
UNIT_HEADERS += $(UNIT_TOP)/src/fw/fwcfg_int.h $(UNIT_TOP)/src/lib/keys.h
UNIT_TESTS += fwcfg_int keys
# SCSI command blocks, sense data and REPORT LUNS answers.
UNIT_SRC_scsi := $(UNIT_TOP)/src/hw/scsi.c
UNIT_HEADERS += $(addprefix $(UNIT_TOP)/src/, hw/scsi.h hw/ata.h)
UNIT_TESTS += scsi
UNIT_BINS  := $(UNIT_TESTS:%=$(UNIT_OUT)/test_%)

define UNIT_TEST_RULE
$(UNIT_OUT)/test_$(1): $(UNIT_DIR)/test_$(1).c $(UNIT_SRC_$(1)) $(UNIT_HEADERS)
	@mkdir -p $$(@D)
	$$(UNIT_HOSTCC) $$(UNIT_CFLAGS) -o $$@ $(UNIT_DIR)/test_$(1).c $(UNIT_SRC_$(1)) $$(UNIT_LDLIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call UNIT_TEST_RULE,$(t))))

.PHONY: unit unit-modes
unit: $(UNIT_BINS)
	@unit_failed=; \
	for t in $(UNIT_BINS); do \
		$$t || unit_failed="$$unit_failed $${t##*/}"; \
	done; \
	if [ -n "$$unit_failed" ]; then echo "unit: FAILED:$$unit_failed"; exit 1; fi; \
	echo "unit: all $(words $(UNIT_BINS)) test programs passed"

# ---- firmware-mode compile check ----
# Objects must be self-contained: no libgcc helpers (64-bit division), no
# libc (memcpy/memset that gcc may emit for copies and loops). Checked at
# -Os (the firmware's level) and -O2 (where gcc turns more loops into calls).
UNIT_MODES_SRCS := $(UNIT_TOP)/src/lib/checksum.c $(UNIT_TOP)/src/lib/chs.c \
	$(UNIT_TOP)/src/fw/e820map.c $(UNIT_DIR)/modes_div64.c \
	$(UNIT_TOP)/src/fw/eltorito.c $(UNIT_TOP)/src/boot/mbr.c $(UNIT_TOP)/src/hw/ata_error.c $(UNIT_TOP)/src/fw/nvmeid.c \
	$(UNIT_TOP)/src/fw/fwcfg_int.c $(UNIT_TOP)/src/lib/keys.c
UNIT_MODES_CFLAGS ?= -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-std=gnu11 -march=i686 -mregparm=3 -mgeneral-regs-only \
	-Wall -Wextra -Werror -I$(UNIT_TOP)/src

unit-modes: $(UNIT_MODES_SRCS) $(UNIT_HEADERS)
	@set -e; unit_bad=0; \
	for mode in 32-Os 16-Os 32-O2 16-O2; do \
		case $$mode in 32-*) bits=-m32;; *) bits=-m16;; esac; \
		opt=-$${mode#*-}; \
		mkdir -p $(UNIT_OUT)/modes/$$mode; \
		for src in $(UNIT_MODES_SRCS); do \
			obj=$(UNIT_OUT)/modes/$$mode/$$(basename $$src .c).o; \
			$(UNIT_HOSTCC) $$bits $$opt $(UNIT_MODES_CFLAGS) -c $$src -o $$obj; \
			undef=$$(nm -u $$obj | awk '{print $$NF}' | tr '\n' ' '); \
			if [ -n "$$undef" ]; then \
				echo "unit-modes: $$mode $${src#$(UNIT_TOP)/} needs: $$undef"; \
				unit_bad=1; \
			fi; \
		done; \
	done; \
	if [ $$unit_bad != 0 ]; then exit 1; fi; \
	echo "unit-modes: all modules self-contained in -m32/-m16 at -Os and -O2"

.DEFAULT_GOAL := $(UNIT_SAVED_GOAL)
