/* PCI configuration space layout (PCI Local Bus 3.0). */
#ifndef KELP_PCI_REGS_H
#define KELP_PCI_REGS_H
#define PCI_VENDOR_ID      0x00
#define PCI_DEVICE_ID      0x02
#define PCI_COMMAND        0x04
#define  PCI_COMMAND_IO     0x0001
#define  PCI_COMMAND_MEMORY 0x0002
#define  PCI_COMMAND_MASTER 0x0004
#define PCI_STATUS         0x06
#define  PCI_STATUS_CAP_LIST 0x0010
#define PCI_REVISION       0x08
#define PCI_CLASS_PROG     0x09
#define PCI_CLASS_DEVICE   0x0A     /* word: base class << 8 | sub class */
#define PCI_HEADER_TYPE    0x0E
#define  PCI_HEADER_MULTI   0x80
#define PCI_BAR0           0x10
#define  PCI_BAR_IO         0x01
#define  PCI_BAR_MEM64      0x04
#define  PCI_BAR_PREFETCH   0x08
#define PCI_SUBSYS_VENDOR  0x2C
#define PCI_ROM            0x30     /* type 0 */
#define  PCI_ROM_ENABLE     0x01
#define PCI_CAP_PTR        0x34
/* Capability list entries: ID at +0, next pointer at +1. */
#define  PCI_CAP_ID_VENDOR  0x09
#define PCI_INT_LINE       0x3C
#define PCI_INT_PIN        0x3D
/* Type 1 (PCI-PCI bridge) */
#define PCI_PRIMARY_BUS    0x18
#define PCI_SECONDARY_BUS  0x19
#define PCI_SUBORDINATE_BUS 0x1A
#define PCI_IO_BASE        0x1C
#define PCI_IO_LIMIT       0x1D
#define PCI_MEM_BASE       0x20
#define PCI_MEM_LIMIT      0x22
#define PCI_PREF_BASE      0x24
#define PCI_PREF_LIMIT     0x26
#define PCI_PREF_BASE_HI   0x28
#define PCI_PREF_LIMIT_HI  0x2C
#define PCI_IO_BASE_HI     0x30
#define PCI_IO_LIMIT_HI    0x32
#define PCI_ROM_BRIDGE     0x38
#define PCI_BRIDGE_CONTROL 0x3E
#define  PCI_BRIDGE_CTL_ISA 0x04
#define  PCI_BRIDGE_CTL_VGA 0x08

#define PCI_CLASS_STORAGE_IDE 0x0101
#define PCI_CLASS_DISPLAY_VGA 0x0300
#define PCI_CLASS_DISPLAY_OTHER 0x0380
#define PCI_CLASS_BRIDGE_PCI  0x0604
#endif
