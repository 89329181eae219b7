/* NVMe controllers found on PCI (POST side; the runtime half is hw/nvme.c). */
#ifndef KELP_POST_NVME_H
#define KELP_POST_NVME_H
/* Bring up every NVMe controller and register its namespaces as disks. */
void nvme_init(void);
#endif
