/* NVMe controllers: one admin and one I/O queue pair per controller,
 * polled, one command in flight. The controller state lives in the high
 * zone (POST allocates it, struct disk's ctrl field holds its physical
 * address) and is reached through lib/flat.h from either mode. */
#ifndef KELP_HW_NVME_H
#define KELP_HW_NVME_H
#include "rtdata.h"
#include "std/nvme.h"

/* One submission/completion queue pair. */
struct nvme_queue {
    u32 sq, cq;                 /* physical addresses of the entry arrays */
    u16 size;                   /* entries in each, a power of two */
    u16 tail;                   /* next free SQ slot */
    u16 head;                   /* next CQ slot to look at */
    u16 sq_head;                /* controller's SQ head, from the last completion */
    u16 cid;                    /* identifier of the last command submitted */
    u8 phase;                   /* phase tag that marks a new completion */
    u8 qid;
} PACKED;

/* A controller, in its memory block (NVME_CTL_*). The admin queue pair is
 * POST's: only POST sends admin commands. */
struct nvme_ctl {
    u32 regs;                   /* BAR0 */
    u32 db_stride;              /* bytes between doorbells */
    u32 prp_list;               /* one PRP list for the command in flight */
    u32 bounce;                 /* one page for buffers the device cannot reach */
    u32 max_bytes;              /* largest transfer of one command */
    u8 write_cache;             /* volatile write cache: flush after writes */
    struct nvme_queue admin, io;
} PACKED;

/* Layout of the memory block POST allocates in the high zone per
 * controller (page aligned; each queue starts on a page as the controller
 * requires, the rest of its page holds the smaller things). */
#define NVME_CTL_IO_SQ      0x0000      /* NVME_IO_ENTRIES * 64 */
#define NVME_CTL_STATE      0x0400      /* struct nvme_ctl */
#define NVME_CTL_PRP_LIST   0x0800      /* NVME_PRP_ENTRIES * 8 */
#define NVME_CTL_IO_CQ      0x1000      /* NVME_IO_ENTRIES * 16 */
#define NVME_CTL_BOUNCE     0x2000      /* a whole page */
#define NVME_CTL_SIZE       0x3000
#define NVME_ADMIN_ENTRIES  8
#define NVME_IO_ENTRIES     16
#define NVME_PRP_ENTRIES    256         /* 1 MiB beyond the first page */
#define NVME_MAX_BYTES      (NVME_PRP_ENTRIES * NVME_PAGE_SIZE)

#define NVME_CMD_TIMEOUT_MS 5000
#define NVME_TIMEOUT        (-1)        /* nvme_cmd(): no completion in time */
#define NVME_QUEUE_FULL     (-2)        /* nvme_cmd(): earlier commands never completed */

/* Submit cmd (its identifier is filled in) on q and wait, bounded, for its
 * completion. Returns the status (0 = success, else type << 8 | code) or
 * NVME_TIMEOUT / NVME_QUEUE_FULL. Completions of commands that timed out
 * earlier are consumed and skipped. */
int nvme_cmd(struct nvme_ctl *c, struct nvme_queue *q, struct nvme_sqe *cmd);

/* INT 13h transfer for a namespace (ATA_OP_*): lba and count in the
 * namespace's blocks, buffer at seg:off. Verify is the range check only.
 * Returns a DISK_RET_ status, *done the blocks that completed. */
int nvme_transfer(struct disk *d, int op, u64 lba, u32 count, u16 seg, u16 off, u32 *done);
#endif
