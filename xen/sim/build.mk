# xen-sim: the hvmloader stand-in used by the Xen tests: $(OUT)/xen-sim.bin
#
# Included by the top-level Makefile, or used on its own:
#     make -f xen/sim/build.mk [OUT=out]
# Every variable is prefixed XSIM_ so nothing clashes with the firmware build.

XSIM_MK := $(lastword $(MAKEFILE_LIST))
XSIM_DIR := $(patsubst %/,%,$(dir $(XSIM_MK)))
XSIM_SAVED_GOAL := $(.DEFAULT_GOAL)

OUT ?= out

XSIM_CC ?= gcc
XSIM_LD ?= ld
XSIM_OBJCOPY ?= objcopy
XSIM_CFLAGS ?= -m32 -march=i686 -Os -std=gnu11 -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-common -fno-asynchronous-unwind-tables \
	-fno-tree-loop-distribute-patterns -fno-strict-aliasing \
	-mno-sse -mno-mmx -mgeneral-regs-only -nostdlib \
	-Wall -Wextra -Wno-unused-parameter -Werror
XSIM_LDFLAGS ?= -m elf_i386 -nostdlib --no-dynamic-linker -z noexecstack --no-warn-rwx-segments

XSIM_BUILD := $(OUT)/xen-sim
XSIM_BIN := $(OUT)/xen-sim.bin
XSIM_SRCS := $(wildcard $(XSIM_DIR)/*.c)
XSIM_OBJS := $(XSIM_BUILD)/entry.o $(patsubst $(XSIM_DIR)/%.c,$(XSIM_BUILD)/%.o,$(XSIM_SRCS)) \
	$(XSIM_BUILD)/string.o

.PHONY: xen-sim xen-sim-clean
xen-sim: $(XSIM_BIN)

$(XSIM_BIN): $(XSIM_OBJS) $(XSIM_DIR)/xsim.lds
	$(XSIM_LD) $(XSIM_LDFLAGS) -T $(XSIM_DIR)/xsim.lds -o $(XSIM_BUILD)/xen-sim.elf $(XSIM_OBJS)
	$(XSIM_OBJCOPY) -O binary $(XSIM_BUILD)/xen-sim.elf $@.tmp
	@size=$$(stat -c %s $@.tmp); if [ $$size -ne 131072 ]; then \
		echo "xen-sim: image is $$size bytes, expected 131072" >&2; rm -f $@.tmp; exit 1; fi
	mv $@.tmp $@

$(XSIM_BUILD)/%.o: $(XSIM_DIR)/%.c $(XSIM_DIR)/xsim.h $(XSIM_MK) | $(XSIM_BUILD)
	$(XSIM_CC) $(XSIM_CFLAGS) -c -o $@ $<

# The memory and string routines are the firmware's own.
$(XSIM_BUILD)/string.o: src/lib/string.c src/lib/string.h $(XSIM_MK) | $(XSIM_BUILD)
	$(XSIM_CC) $(XSIM_CFLAGS) -Isrc -c -o $@ $<

$(XSIM_BUILD)/entry.o: $(XSIM_DIR)/entry.S $(XSIM_DIR)/xsim.h $(XSIM_MK) | $(XSIM_BUILD)
	$(XSIM_CC) -m32 -c -o $@ $<

$(XSIM_BUILD):
	mkdir -p $@

xen-sim-clean:
	rm -rf $(XSIM_BUILD) $(XSIM_BIN)

# Standalone use builds the image; when included, leave the includer's
# default goal alone.
ifeq ($(firstword $(MAKEFILE_LIST)),$(XSIM_MK))
.DEFAULT_GOAL := xen-sim
else
.DEFAULT_GOAL := $(XSIM_SAVED_GOAL)
endif
