/* scsi_disk_int.h - internals shared by the scsi_disk*.c files; not for other modules. */
/*
 * Interface: scsi_disk.c owns struct scsi_disk and the dispatcher; the
 * command table (scsi_disk_table.c) names a handler per opcode; handlers
 * (scsi_disk_cmds.c, scsi_disk_mode.c, scsi_disk_rw.c) see one command
 * through struct scsi_disk_cmd and finish it with the scsi_disk_cmd_*
 * helpers; the sparse store (scsi_disk_store.c), the latency model
 * (scsi_disk_latency.c), the fault rules (scsi_disk_fault.c) and the sense
 * builder (scsi_disk_sense.c) are leaves.
 *
 * Invariants (scsi_disk_check() verifies them; the tests call it):
 *   - store.media_chunks counts chunks whose media pointer is set;
 *   - a chunk is on the dirty list iff its cache pointer is set, and then
 *     at least one of its dirty bits is set;
 *   - ua_count <= SCSI_DISK_MAX_UAS and the queue holds no duplicates.
 */
#ifndef STORSIM_SCSI_DISK_INT_H
#define STORSIM_SCSI_DISK_INT_H

#include "storsim/scsi_disk.h"

/* Big-endian field access: every multi-byte SCSI field is big-endian. */
static inline uint16_t
get_be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
get_be64(const uint8_t *p)
{
    return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static inline void
put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void
put_be32(uint8_t *p, uint32_t v)
{
    put_be16(p, (uint16_t)(v >> 16));
    put_be16(p + 2, (uint16_t)v);
}

static inline void
put_be64(uint8_t *p, uint64_t v)
{
    put_be32(p, (uint32_t)(v >> 32));
    put_be32(p + 4, (uint32_t)v);
}

/* ---- data buffer cursor (scsi_disk_store.c) ---- */

/* A position inside a command's segment list. */
struct scsi_disk_cursor {
    const struct scsi_disk_iov *iov;
    size_t count;   /* segments */
    size_t idx;     /* current segment */
    size_t off;     /* offset inside it */
};

void scsi_disk_cursor_init(struct scsi_disk_cursor *c, const struct scsi_disk_iov *iov,
                           size_t count);
size_t scsi_disk_cursor_put(struct scsi_disk_cursor *c, const void *src, size_t n);
size_t scsi_disk_cursor_get(struct scsi_disk_cursor *c, void *dst, size_t n);

/* ---- sparse backing store + volatile cache (scsi_disk_store.c) ---- */

struct scsi_disk_chunk;

/* Chunks live in an open-addressing hash table keyed by chunk index. */
struct scsi_disk_store {
    uint64_t *keys;                 /* STORE_EMPTY or a chunk index */
    struct scsi_disk_chunk **vals;
    size_t cap;                     /* power of two */
    size_t used;
    unsigned shift;                 /* 64 - log2(cap), for the hash */
    struct scsi_disk_chunk *last;   /* last chunk found: sequential I/O hits it */
    struct scsi_disk_chunk *dirty;  /* chunks with cached (unflushed) blocks */
    uint32_t block_size;
    uint32_t blocks_per_chunk;      /* 128 (512 B) or 16 (4 KiB) */
    uint64_t media_chunks;
    uint64_t cache_chunks;
    uint64_t dirty_blocks;
};

int scsi_disk_store_init(struct scsi_disk_store *s, uint32_t block_size);
void scsi_disk_store_free(struct scsi_disk_store *s);
int scsi_disk_store_read(struct scsi_disk_store *s, uint64_t lba, uint64_t blocks,
                         struct scsi_disk_cursor *c);
int scsi_disk_store_write(struct scsi_disk_store *s, uint64_t lba, uint64_t blocks,
                          struct scsi_disk_cursor *c, bool cached);
int64_t scsi_disk_store_flush(struct scsi_disk_store *s);
uint64_t scsi_disk_store_discard(struct scsi_disk_store *s);
int scsi_disk_store_check(const struct scsi_disk_store *s);

/* ---- the disk ---- */

struct scsi_disk_fault_slot {
    struct scsi_disk_fault_rule rule;
    bool active;
    uint32_t matches;               /* matching commands seen, for every_nth */
    uint32_t fired;                 /* failures caused, for count */
};

/*
 * One logical unit. No lock guards it: the adapter calls a disk from one
 * simulated event at a time, and the model never runs on its own.
 */
struct scsi_disk {
    /* identity and geometry: fixed at creation */
    uint32_t block_size;
    uint64_t capacity;              /* blocks */
    char vendor[9];
    char product[17];
    char revision[5];
    char serial[33];
    uint64_t naa_id;                /* NAA 3 (locally assigned) designator */
    bool write_cache;               /* WCE */
    struct scsi_disk_latency lat;

    /* REPORT LUNS list: scsi_disk_set_luns() replaces it */
    uint16_t luns[SCSI_DISK_MAX_LUNS];
    size_t lun_count;

    /* latency state: advances with every command */
    uint64_t rng;                   /* splitmix64 state */
    uint64_t head;                  /* LBA after the last media access */

    struct scsi_disk_store store;

    /* sense state: unit attention queue (FIFO) and the last CHECK CONDITION */
    uint16_t ua[SCSI_DISK_MAX_UAS];
    size_t ua_count;
    uint8_t last_sense[SCSI_DISK_SENSE_LEN];
    bool last_sense_valid;

    struct scsi_disk_fault_slot faults[SCSI_DISK_MAX_FAULTS];
    size_t fault_count;             /* active slots: 0 skips the rule loop */
    struct scsi_disk_stats stats;
};

/* ---- one command in flight ---- */

struct scsi_disk_cmd_entry;

struct scsi_disk_cmd {
    struct scsi_disk *disk;
    const uint8_t *cdb;
    const struct scsi_disk_cmd_entry *entry;
    const struct scsi_disk_iov *iov;
    size_t iov_count;
    size_t buf_len;                 /* sum of the segment lengths */
    struct scsi_disk_result *res;
    bool has_range;                 /* lba/blocks decoded from the CDB */
    uint64_t lba;
    uint64_t blocks;
    enum scsi_disk_lat_kind lat_kind;
    uint64_t lat_lba;
    uint64_t lat_bytes;
};

typedef int (*scsi_disk_handler)(struct scsi_disk_cmd *c);

/* Where a media command keeps its LBA and length. */
enum scsi_disk_layout {
    LAYOUT_NONE = 0,
    LAYOUT_6,                       /* 21-bit LBA in bytes 1-3, length byte 4 (0 = 256) */
    LAYOUT_10,                      /* LBA bytes 2-5, length bytes 7-8 */
    LAYOUT_16                       /* LBA bytes 2-9, length bytes 10-13 */
};

#define ENTRY_UA_EXEMPT  0x1u       /* INQUIRY, REPORT LUNS, REQUEST SENSE (SAM-5 5.14) */
#define ENTRY_LEN0_ALL   0x2u       /* length 0 means "to the last LBA" (SYNCHRONIZE CACHE) */

/* One row of the command table (scsi_disk_table.c). */
struct scsi_disk_cmd_entry {
    struct scsi_disk_cmd_info info;
    uint8_t cont[16];               /* bits that continue a field to their left */
    scsi_disk_handler handler;
    uint8_t layout;                 /* enum scsi_disk_layout */
    uint8_t flags;                  /* ENTRY_* */
    uint8_t cls;                    /* SCSI_DISK_CLASS_* for fault rules */
};

const struct scsi_disk_cmd_entry *scsi_disk_table_lookup(uint8_t opcode);

/* Handlers (scsi_disk_cmds.c, scsi_disk_mode.c, scsi_disk_rw.c). */
int scsi_disk_cmd_tur(struct scsi_disk_cmd *c);
int scsi_disk_cmd_request_sense(struct scsi_disk_cmd *c);
int scsi_disk_cmd_inquiry(struct scsi_disk_cmd *c);
int scsi_disk_cmd_read_capacity10(struct scsi_disk_cmd *c);
int scsi_disk_cmd_service_action_in(struct scsi_disk_cmd *c);
int scsi_disk_cmd_report_luns(struct scsi_disk_cmd *c);
int scsi_disk_cmd_mode_sense6(struct scsi_disk_cmd *c);
int scsi_disk_cmd_mode_sense10(struct scsi_disk_cmd *c);
int scsi_disk_cmd_read(struct scsi_disk_cmd *c);
int scsi_disk_cmd_write(struct scsi_disk_cmd *c);
int scsi_disk_cmd_verify(struct scsi_disk_cmd *c);
int scsi_disk_cmd_sync_cache(struct scsi_disk_cmd *c);

/* Finishing a command (scsi_disk.c). */
void scsi_disk_cmd_check(struct scsi_disk_cmd *c, uint8_t key, uint16_t asc_ascq);
void scsi_disk_cmd_invalid_field(struct scsi_disk_cmd *c, unsigned byte, unsigned bit);
void scsi_disk_cmd_medium_error(struct scsi_disk_cmd *c, uint16_t asc_ascq, uint64_t lba);
void scsi_disk_cmd_data_in(struct scsi_disk_cmd *c, const void *data, size_t avail,
                           size_t alloc_len);
int scsi_disk_ua_pop(struct scsi_disk *d, uint16_t *asc_ascq);
void scsi_disk_ua_drop(struct scsi_disk *d, uint16_t asc_ascq);

/* ---- sense data (scsi_disk_sense.c) ---- */

/* Everything fixed-format sense can say. */
struct scsi_disk_sense_spec {
    uint8_t key;
    uint16_t asc_ascq;
    bool info_valid;                /* VALID bit + INFORMATION */
    uint64_t info;
    bool sks_valid;                 /* sense-key specific field pointer */
    bool sks_cdb;                   /* C/D: the error is in the CDB */
    bool sks_bpv;                   /* bit pointer valid */
    uint8_t sks_bit;
    uint16_t sks_field;
};

void scsi_disk_sense_build(uint8_t *buf, const struct scsi_disk_sense_spec *spec);

/* ---- latency (scsi_disk_latency.c) and faults (scsi_disk_fault.c) ---- */

uint64_t scsi_disk_rng_next(uint64_t *state);
int scsi_disk_fault_apply(struct scsi_disk_cmd *c);

#endif /* STORSIM_SCSI_DISK_INT_H */
