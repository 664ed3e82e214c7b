/* wl_int.h: what the files of src/workload share; not a public interface.
 *
 * Interface: srb.c builds SRBs and keeps the pool of per-SRB records;
 * stamp.c writes and checks block stamps; model.c remembers what every LBA
 * must hold and which ranges are in flight; stats.c accounts and prints;
 * workload.c runs the submitting threads and the completion routine;
 * cmd.c sends one-off requests; spec.c parses definitions.
 *
 * Concurrency: the workload's state is touched from passive-level thread
 * items and from completion routines at DISPATCH_LEVEL on any CPU. The
 * simulated CPUs interleave only at yield points (trace events, sim_work(),
 * port calls), so each stretch of bookkeeping between two yield points is
 * atomic; the code keeps every update of shared state in such a stretch
 * and never holds a pointer across a yield that a completion could free.
 */
#ifndef STORSIM_WORKLOAD_WL_INT_H
#define STORSIM_WORKLOAD_WL_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "storport.h"
#include "storsim/hist.h"
#include "storsim/workload.h"

/* ---------- srb.c: SRBs, CDBs, and the records that carry them ---------- */

/* A STORAGE_REQUEST_BLOCK as ClassPnP lays one out for EXECUTE_SCSI: the
 * fixed part (with room for one SrbExDataOffset), the BTL8 address, then
 * one SRBEX_DATA_SCSI_CDB16. SrbLength is the size of this struct. */
struct wl_srb_ex {
    STORAGE_REQUEST_BLOCK srb;
    STOR_ADDR_BTL8 addr;
    SRBEX_DATA_SCSI_CDB16 cdb;
};

/* The SRB and its sense buffer share one physmem page, so that a miniport
 * can take the physical address of either (autosense by DMA). */
struct wl_srb_mem {
    union {
        SCSI_REQUEST_BLOCK scsi;
        struct wl_srb_ex ex;
    } u;
    UCHAR sense[WL_SENSE_LENGTH];
};


/* What to put in an SRB. */
struct wl_srb_desc {
    enum wl_srb_kind kind;
    UCHAR function;            /* SRB_FUNCTION_xxx */
    const struct port_lun *lun;
    const UCHAR *cdb;          /* EXECUTE_SCSI only */
    UCHAR cdb_length;
    ULONG flags;               /* SRB_FLAGS_xxx */
    void *data;
    ULONG length;
    ULONG timeout;             /* seconds */
    ULONG sort_key;            /* QueueSortKey: the LBA */
};

void wl_srb_fill(struct wl_srb_mem *m, const struct wl_srb_desc *d,
                 void *original_request);
UCHAR wl_cdb_rw(UCHAR cdb[16], bool write, uint64_t lba, uint32_t blocks);
bool wl_srb_sense(void *srb, UCHAR *key, UCHAR *asc, UCHAR *ascq);

enum wl_child_state {
    WL_CHILD_IDLE,     /* in the pool's free list */
    WL_CHILD_BUILT,    /* filled, not yet submitted */
    WL_CHILD_INFLIGHT, /* the port owns it */
    WL_CHILD_DONE,     /* completed; kept a while to catch a 2nd completion */
};

struct wl_io;

/* One SRB of a request: the port_request (IRP), the SRB page, and which
 * part of the parent's buffer it moves. */
struct wl_child {
    struct port_request req;
    struct wl_srb_mem *mem;
    struct wl_io *io;
    void *owner;               /* the struct wl or struct wl_cmd */
    uint64_t lba;
    uint32_t blocks;
    uint32_t offset;           /* bytes into the parent's buffer */
    enum wl_child_state state;
    struct wl_child *sibling;  /* next child of the same parent */
    struct wl_child *next;     /* free list */
};

/* Completed records wait in a ring of this many before reuse, so that a
 * port completing one twice finds it marked DONE, not reused. */
#define WL_QUARANTINE 256

struct wl_pool {
    struct wl_child *free;
    struct wl_child *ring[WL_QUARANTINE];
    size_t head, n;
};

struct wl_child *wl_child_get(struct wl_pool *p);
void wl_child_retire(struct wl_pool *p, struct wl_child *c);
void wl_child_free(struct wl_child *c);
void wl_pool_drain(struct wl_pool *p);

/* ---------- stamp.c: what a written block holds ---------- */

#define WL_GEN_NONE 0             /* never written */
#define WL_GEN_UNKNOWN UINT32_MAX /* written, outcome unknown */

enum wl_verdict {
    WL_V_STAMP,     /* the stamp expected */
    WL_V_ZERO,      /* zeros, as expected */
    WL_V_WEAK,      /* acceptable, but the model could not pin it down */
    WL_V_BAD_SUM,   /* a stamp whose checksum does not match the block */
    WL_V_BAD_WHERE, /* a valid stamp of another LUN or LBA (misdirected) */
    WL_V_BAD_GEN,   /* a valid stamp of another write (stale or lost write) */
    WL_V_NOT_ZERO,  /* data where nothing was ever written */
    WL_V_ZERO_BAD,  /* zeros where a write completed */
    WL_V_GARBAGE,   /* neither zeros nor a stamp */
};

void wl_stamp_fill(void *block, uint32_t size, uint32_t lun, uint64_t lba,
                   uint32_t gen, uint64_t request);
void wl_stamp_poison(void *block, uint32_t size);
enum wl_verdict wl_stamp_check(const void *block, uint32_t size, uint32_t lun,
                               uint64_t lba, uint32_t expect, bool fresh,
                               uint32_t *found);
const char *wl_verdict_name(enum wl_verdict v);

/* ---------- model.c: expected generations and ranges in flight ---------- */

struct wl_leaf;

struct wl_model {
    uint64_t limit;        /* bytes of leaves allowed */
    uint64_t bytes;        /* bytes in use (leaves and table) */
    bool fresh;
    bool overflowed;       /* some write went untracked */
    uint32_t gen;          /* last generation handed out */
    uint64_t untracked;    /* blocks written while over the limit */
    struct wl_leaf **slots; /* open addressing by (lun, lba / leaf) */
    size_t cap, used;
    int users;             /* running workloads */
};

uint32_t wl_model_expect(const struct wl_model *m, uint32_t lun, uint64_t lba);
void wl_model_store(struct wl_model *m, uint32_t lun, uint64_t lba,
                    uint32_t blocks, uint32_t gen);
uint32_t wl_model_next_gen(struct wl_model *m);

/* A set of (LUN, unit) keys in flight; open addressing, no deletion marks. */
struct wl_busy {
    uint64_t *keys;        /* 0 = empty */
    size_t cap;
};

int wl_busy_init(struct wl_busy *b, size_t max_entries);
void wl_busy_free(struct wl_busy *b);
bool wl_busy_add(struct wl_busy *b, uint64_t key);
void wl_busy_del(struct wl_busy *b, uint64_t key);

/* ---------- stats.c: measurements ---------- */

struct wl_stats {
    struct hist lat[3];    /* read, write, all */
    uint64_t ok[2], bytes[2], failed[2];
    sim_time_t start, end;
    uint64_t srbs, split;
    uint64_t outstanding, qd_max;
    sim_time_t qd_last;
    double qd_area;        /* integral of outstanding over time, ns */
    uint64_t blocks[WL_V_GARBAGE + 1]; /* per verdict */
    uint64_t corrupted, lost, unfinished, duplicated, submit_errors;
    uint64_t srb_failed, by_status[64], by_key[16];
    char first_problem[160];
};

void wl_stats_init(struct wl_stats *st, sim_time_t now);
void wl_stats_queue(struct wl_stats *st, sim_time_t now, int delta);
void wl_stats_done(struct wl_stats *st, bool write, bool ok, uint32_t bytes,
                   sim_time_t latency, sim_time_t now);
void wl_stats_srb_failed(struct wl_stats *st, void *srb);
void wl_stats_problem(struct wl_stats *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void wl_stats_result(const struct wl_stats *st, const struct wl_model *m,
                     struct wl_result *out);

/* ---------- workload.c and io.c: the engine ---------- */

/* A LUN the workload uses, and its region. */
struct wl_lun {
    int index;                 /* in the adapter's luns[] */
    uint32_t block_size;
    uint32_t per_unit;         /* blocks per request (bs / block_size) */
    uint64_t first;            /* first LBA of the region */
    uint64_t units;            /* bs-sized units in the region */
    uint64_t cursor;           /* next unit of the sequential pattern */
};

/* A RELEASE_QUEUE SRB the workload sends, as a class driver does, after an
 * SRB came back with SRB_STATUS_QUEUE_FROZEN. It frees itself when it
 * completes; a workload destroyed before then only lets go of it. */
struct wl_release {
    struct port_request req;
    struct wl_srb_mem *mem;
    struct wl *wl;             /* NULL once the workload let go */
    struct wl_release *prev, *next;
};

/* A submitting CPU: its thread item, its random stream, its requests.
 * posted/running/blocked and inflight change in its thread (PASSIVE_LEVEL)
 * and in completion routines (DISPATCH_LEVEL, any CPU), each time within
 * one stretch between yield points. */
struct wl_submitter {
    struct wl *wl;
    int cpu;
    struct sim_thread_item item;
    struct sim_rng rng;
    uint32_t inflight;         /* its requests not yet completed */
    bool posted;               /* item posted, not started */
    bool running;              /* the pump is running (maybe preempted) */
    bool blocked;              /* stopped on a range in flight */
};

/* One request of the workload: what a class driver gets as one IRP and
 * may split into several SRBs (its children). The submitting thread owns
 * it until its last child is submitted; completion routines update it as
 * children complete, and the last one frees it. */
struct wl_io {
    struct wl_io *prev, *next; /* the outstanding list */
    struct wl_submitter *sub;
    struct wl_lun *lun;
    uint64_t id;
    uint64_t lba;
    uint64_t busy_key;
    uint32_t blocks, length;
    uint32_t gen;              /* generation written (writes) */
    uint32_t pending;          /* children not yet completed */
    bool write, failed, corrupt;
    uint8_t *buf;              /* physmem, non-contiguous */
    struct wl_child *children; /* not yet completed, by sibling */
    sim_time_t submitted;
};

struct wl {
    struct port_adapter *pa;
    struct wl_spec spec;
    struct wl_lun luns[PORT_MAX_LUNS];
    int nluns;
    struct wl_submitter subs[SIM_MAX_CPUS];
    int nsubs;
    uint32_t max_bytes;        /* bytes per SRB at most (0 = no limit) */
    uint32_t max_pages;        /* pages per SRB at most (0 = no limit) */
    uint64_t issued;           /* requests started */
    uint64_t completions;      /* SRB completions so far (progress) */
    struct wl_release *releases; /* RELEASE_QUEUE SRBs in flight */
    uint64_t next_lun;         /* sequential: LUN rotation */
    sim_time_t deadline;
    bool started, stopping, finished;
    struct wl_io list;         /* outstanding requests (circular) */
    uint32_t blocked;          /* submitters blocked */
    struct wl_model *model;
    bool own_model;
    struct wl_busy busy;
    struct wl_pool pool;
    uint8_t **spare;           /* data buffers kept for reuse */
    uint32_t nspare, spare_cap;
    struct wl_stats stats;
};

void wl_kick(struct wl_submitter *s);
bool wl_may_issue(const struct wl *wl, const struct wl_submitter *s);
void wl_pump(void *ctx);
void wl_io_free(struct wl *wl, struct wl_io *io);

/* ---------- spec.c and spec_format.c ---------- */

size_t wl_edit_distance(const char *a, const char *b);
const char *wl_nearest(const char *word, const char *const *words, size_t n);
int wl_format_mask(uint64_t mask, char *buf, size_t len);
int wl_format_size(uint64_t n, char *buf, size_t len);

#endif /* STORSIM_WORKLOAD_WL_INT_H */
