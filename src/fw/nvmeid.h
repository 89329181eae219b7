/* What Kelp takes from an NVMe controller's Identify data: the controller's
 * names and transfer limit, the active namespace list, and a namespace's
 * size and block format. Pure functions of the bytes they are given (the
 * device is outside input), every offset checked against the length, so
 * the host unit tests and fuzzers call them directly. */
#ifndef KELP_NVMEID_H
#define KELP_NVMEID_H
#include "../lib/types.h"

struct nvme_ctrl_info {
    char model[41];             /* trimmed, printable ASCII, NUL-terminated */
    char serial[21];
    char firmware[9];
    u32 max_bytes;              /* largest transfer (MDTS), 0 = no limit */
    u32 namespaces;             /* NN: highest namespace ID */
    bool write_cache;           /* a volatile write cache: writes need a flush */
};

/* Fill *ci from Identify Controller data; min_page is the controller's
 * minimum memory page size (MDTS counts in those). 0, or -1 if len is too
 * short to hold the fields. */
int nvme_parse_ctrl(const u8 *id, u32 len, u32 min_page, struct nvme_ctrl_info *ci);

/* Why a namespace is not served (0 = it is). */
enum {
    NVME_NS_OK = 0,
    NVME_NS_SHORT,              /* fewer bytes than the structure needs */
    NVME_NS_INACTIVE,           /* size 0: no namespace behind that ID */
    NVME_NS_BAD_FORMAT,         /* the format in use is not among those listed */
    NVME_NS_BLOCK_SIZE,         /* blocks other than 512 to 4096 bytes */
    NVME_NS_METADATA,           /* blocks carry metadata */
};

struct nvme_ns_info {
    u64 blocks;
    u32 block_size;
    u16 meta_size;              /* per block, with the format in use */
    u8 format;                  /* index of the LBA format in use */
};

/* Fill *ns from Identify Namespace data; returns NVME_NS_*. Fields are
 * filled as far as they were read, also when the namespace is refused. */
int nvme_parse_ns(const u8 *id, u32 len, struct nvme_ns_info *ns);

/* Number of entries of an active namespace ID list: IDs in ascending
 * order up to the first 0 (or the first that does not ascend). */
u32 nvme_ns_list_count(const u8 *list, u32 len);
/* The i-th ID of such a list. */
u32 nvme_ns_list_get(const u8 *list, u32 i);
#endif
