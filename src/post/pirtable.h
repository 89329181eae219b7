/* The $PIR table for the PCI devices POST found (src/post/pirtable.c). */
#ifndef KELP_POST_PIRTABLE_H
#define KELP_POST_PIRTABLE_H
#include "std/pirtable.h"

/* Build it in the F-segment pool; NULL if there is no room or no PIIX
 * interrupt router. Needs pci_setup() to have run. */
struct pir_header *pirtable_build(void);
#endif
