# libFuzzer harnesses for the parsers of outside input (clang, with
# AddressSanitizer and UndefinedBehaviorSanitizer). Each harness is
# compiled with the firmware module it tests, from the same sources.
#
#   make fuzz          build every harness and run each for $(FUZZ_SECONDS)
#                      seconds (default 60), starting from its checked-in
#                      corpus; new inputs go to $(FUZZ_OUT)/corpus/<target>/
#                      and crashes to $(FUZZ_OUT)/crashes/<target>/, never
#                      into the source tree
#   make fuzz-check    build every harness and run it once over each input
#                      of tests/fuzz/corpus/<target>/; fails on any crash,
#                      leak, sanitizer report or broken invariant
#   make fuzz-<target> / fuzz-check-<target>   the same for one target
#   make fuzz-seeds    regenerate the seed corpora (tests/fuzz/mkseeds.py)
#   make fuzz-targets  list the targets
#
# Included by the top Makefile; also works alone:
#   make -f tests/fuzz/build.mk fuzz-check
# All variables are prefixed FUZZ_ so they cannot clash with the includer.

# Keep the includer's default goal; used alone, `make -f ...` means `fuzz-check`.
FUZZ_SAVED_GOAL := $(.DEFAULT_GOAL)
ifeq ($(FUZZ_SAVED_GOAL)$(word 2,$(MAKEFILE_LIST)),)
FUZZ_SAVED_GOAL := fuzz-check
endif

FUZZ_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
FUZZ_TOP := $(abspath $(FUZZ_DIR)/../..)
OUT ?= out
FUZZ_OUT ?= $(OUT)/fuzz
FUZZ_SECONDS ?= 60
FUZZ_PYTHON ?= /usr/bin/python3

FUZZ_CC ?= clang
FUZZ_CFLAGS ?= -DKELP_HOST -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -I$(FUZZ_TOP)/src -I$(FUZZ_DIR)
# Leaks count as failures; each input gets at most 10 s and 2 GiB.
FUZZ_RUNFLAGS ?= -detect_leaks=1 -timeout=10 -rss_limit_mb=2048 -print_final_stats=0
FUZZ_CHECK_ENV ?= ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# target -> firmware sources it links with
FUZZ_SRC_romimage    := src/fw/romimage.c src/lib/checksum.c
FUZZ_SRC_bootorder   := src/fw/bootorder.c
FUZZ_SRC_e820map     := src/fw/e820map.c
FUZZ_SRC_xen_info    := src/fw/xen.c src/fw/e820map.c src/lib/checksum.c
FUZZ_SRC_acpi_loader := src/fw/acpi.c
FUZZ_SRC_smbios      := src/fw/smbios.c src/lib/checksum.c
FUZZ_SRC_chs         := src/lib/chs.c
FUZZ_SRC_mbr         := src/boot/mbr.c
FUZZ_SRC_fwcfg_int   := src/fw/fwcfg_int.c
FUZZ_SRC_keys        := src/lib/keys.c
FUZZ_TARGETS := romimage bootorder e820map xen_info acpi_loader smbios chs mbr fwcfg_int keys
# NVMe Identify data.
FUZZ_SRC_nvmeid      := src/fw/nvmeid.c
FUZZ_TARGETS += nvmeid
# SCSI REPORT LUNS answers and sense data.
FUZZ_SRC_scsi        := src/hw/scsi.c
FUZZ_TARGETS += scsi
# El Torito catalogs, where the firmware has the parser.
ifneq ($(wildcard $(FUZZ_TOP)/src/fw/eltorito.c),)
FUZZ_SRC_eltorito    := src/fw/eltorito.c
FUZZ_TARGETS += eltorito
endif

FUZZ_HEADERS := $(wildcard $(FUZZ_TOP)/src/lib/*.h $(FUZZ_TOP)/src/fw/*.h $(FUZZ_TOP)/src/boot/*.h \
	$(FUZZ_TOP)/src/std/*.h $(FUZZ_TOP)/src/post/alloc.h $(FUZZ_TOP)/src/hw/scsi.h \
	$(FUZZ_TOP)/src/hw/ata.h) $(FUZZ_DIR)/fuzz_input.h
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_OUT)/fuzz_%)

define FUZZ_TARGET_RULE
$(FUZZ_OUT)/fuzz_$(1): $(FUZZ_DIR)/fuzz_$(1).c $(FUZZ_DIR)/fuzz_stubs.c \
		$(addprefix $(FUZZ_TOP)/,$(FUZZ_SRC_$(1))) $(FUZZ_HEADERS)
	@mkdir -p $$(@D)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) -o $$@ $(FUZZ_DIR)/fuzz_$(1).c $(FUZZ_DIR)/fuzz_stubs.c \
		$(addprefix $(FUZZ_TOP)/,$(FUZZ_SRC_$(1)))

# Run once over every checked-in input (files given one by one: each is
# executed exactly once, and any report fails the run).
.PHONY: fuzz-check-$(1)
fuzz-check-$(1): $(FUZZ_OUT)/fuzz_$(1)
	@set -e; files=$$$$(find $(FUZZ_DIR)/corpus/$(1) -type f | sort); \
	if [ -z "$$$$files" ]; then echo "fuzz-check: $(1): empty corpus"; exit 1; fi; \
	if $(FUZZ_CHECK_ENV) $(FUZZ_OUT)/fuzz_$(1) $(FUZZ_RUNFLAGS) $$$$files \
		> $(FUZZ_OUT)/check-$(1).log 2>&1; then \
		echo "fuzz-check: $(1): $$$$(echo $$$$files | wc -w) inputs ok"; \
	else \
		cat $(FUZZ_OUT)/check-$(1).log; \
		echo "fuzz-check: $(1): FAILED"; exit 1; \
	fi

# Fuzz for $(FUZZ_SECONDS) s. The scratch corpus comes first, so new
# inputs are written there; the checked-in one is only read.
.PHONY: fuzz-$(1)
fuzz-$(1): $(FUZZ_OUT)/fuzz_$(1)
	@mkdir -p $(FUZZ_OUT)/corpus/$(1) $(FUZZ_OUT)/crashes/$(1)
	$(FUZZ_OUT)/fuzz_$(1) $(FUZZ_RUNFLAGS) -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(FUZZ_OUT)/crashes/$(1)/ \
		$$(if $$(wildcard $(FUZZ_DIR)/dict/$(1).dict),-dict=$(FUZZ_DIR)/dict/$(1).dict) \
		$(FUZZ_OUT)/corpus/$(1) $(FUZZ_DIR)/corpus/$(1)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_TARGET_RULE,$(t))))

.PHONY: fuzz fuzz-check fuzz-build fuzz-seeds fuzz-targets
fuzz-build: $(FUZZ_BINS)

fuzz-targets:
	@echo $(FUZZ_TARGETS)

fuzz-check: $(FUZZ_BINS)
	@fuzz_failed=; \
	for t in $(FUZZ_TARGETS); do \
		$(MAKE) --no-print-directory -f $(FUZZ_DIR)/build.mk OUT=$(OUT) FUZZ_OUT=$(FUZZ_OUT) \
			fuzz-check-$$t || fuzz_failed="$$fuzz_failed $$t"; \
	done; \
	if [ -n "$$fuzz_failed" ]; then echo "fuzz-check: FAILED:$$fuzz_failed"; exit 1; fi; \
	echo "fuzz-check: all $(words $(FUZZ_TARGETS)) targets clean on their corpora"

fuzz: $(FUZZ_BINS)
	@fuzz_failed=; \
	for t in $(FUZZ_TARGETS); do \
		$(MAKE) --no-print-directory -f $(FUZZ_DIR)/build.mk OUT=$(OUT) FUZZ_OUT=$(FUZZ_OUT) \
			FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz-$$t || fuzz_failed="$$fuzz_failed $$t"; \
	done; \
	if [ -n "$$fuzz_failed" ]; then \
		echo "fuzz: crashes in:$$fuzz_failed (inputs under $(FUZZ_OUT)/crashes/)"; exit 1; \
	fi; \
	echo "fuzz: all $(words $(FUZZ_TARGETS)) targets ran $(FUZZ_SECONDS) s without a crash"

fuzz-seeds:
	$(FUZZ_PYTHON) $(FUZZ_DIR)/mkseeds.py $(FUZZ_DIR)/corpus

.DEFAULT_GOAL := $(FUZZ_SAVED_GOAL)
