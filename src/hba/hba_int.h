/* hba_int.h - the SIMHBA adapter model's private state, shared by src/hba/hba*.c. */
/*
 * Interface: one struct hba per adapter; one struct hba_cmd per command
 * slot (queue_depth of them); one struct hba_lun per configured LUN. The
 * files split by concern:
 *   hba.c         configuration, creation, LUN lookup, accessors
 *   hba_mmio.c    the register file: hba_read32 / hba_write32
 *   hba_ring.c    doorbell, descriptor fetch, completion ring
 *   hba_cmd.c     a command's life: checks, faults, execution, completion
 *   hba_dma.c     SG lists to host memory segments; sense by DMA
 *   hba_pio.c     the PIO channel and data port
 *   hba_irq.c     interrupt status, mask, line, coalescing
 *   hba_reset.c   adapter and bus resets, LUN removal/arrival, power loss
 *   hba_fault.c   the fault rule engine; hba_fault_parse.c its text form
 *   hba_stats.c   counters and time-weighted occupancy
 *
 * Context: register accessors run on a simulated CPU (or on the host
 * between runs); everything else runs in device context, inside events.
 * The simulator is single-threaded, so no locks: the machine never runs
 * two of these at once.
 *
 * Invariants (hba_check(), public, verifies them in tests):
 *  - a slot is on the free list iff its state is CMD_FREE, on the overflow
 *    queue iff CMD_OVERFLOW, on the PIO queue iff CMD_PIO_WAIT, and is
 *    pio_cur iff CMD_PIO; the other states (RUNNING, PIO_PREP: event
 *    pending; DROPPED) are on no list;
 *  - active == the number of slots not CMD_FREE;
 *  - cmpl_prod - cmpl_cons <= cmpl_size while the rings are valid.
 */
#ifndef STORSIM_HBA_INT_H
#define STORSIM_HBA_INT_H

#include "storsim/hba.h"
#include "storsim/physmem.h"
#include "storsim/sim.h"

/* Where a command slot is in its life. */
enum hba_cmd_state {
    CMD_FREE,      /* on the free list */
    CMD_RUNNING,   /* its event posts its completion */
    CMD_PIO_PREP,  /* its event queues it for the PIO channel */
    CMD_DROPPED,   /* swallowed by a fault: only a reset ends it */
    CMD_PIO_WAIT,  /* queued for the PIO channel */
    CMD_PIO,       /* holds the PIO channel */
    CMD_OVERFLOW,  /* completed, waiting for completion ring room */
};

/* What happens to the interrupt of a command's completion. */
enum hba_irq_fault { IRQF_NONE, IRQF_DROP, IRQF_DELAY };

/* Time-weighted occupancy: area under the count since `since`. */
struct hba_occ {
    uint64_t now, max;
    sim_time_t since, last;
    double area;
};

struct hba;
struct hba_fault_slot;

struct hba_lun {
    struct hba *hba;
    struct scsi_disk *disk;
    uint8_t target, lun;
    bool present;
    struct sim_event arrive_ev;     /* lun-remove with a delay: comes back */
    struct hba_lun_stats st;        /* occupancy fields filled on read */
    struct hba_occ occ;
};

struct hba_cmd {
    struct sim_event ev;            /* first member: events cast back */
    struct hba *hba;
    struct hba_cmd *next;           /* free list, PIO queue, overflow queue */
    enum hba_cmd_state state;
    struct hba_lun *lun;            /* NULL if it never reached a LUN */
    struct simhba_req_desc d;       /* the fetched descriptor */
    struct simhba_cmpl_desc c;      /* the completion being built */
    uint8_t opcode;
    bool started;                   /* its start is in the trace */
    struct hba_fault_slot *fault;   /* the rule that triggered, or NULL */
    enum hba_irq_fault irqf;
    sim_time_t irq_delay;
    uint8_t *pio_buf;               /* PIO: the device-side data */
    uint32_t pio_len, pio_pos;      /* PIO: bytes to move, bytes moved */
};

struct hba_fault_slot {
    struct hba_fault_rule rule;
    bool active;
    uint64_t matches, fired;
};

/* A completion interrupt raised late (delay-interrupt fault). */
struct hba_late_irq {
    struct sim_event ev;            /* first member */
    struct hba *hba;
    struct hba_late_irq *next;
};

struct hba {
    struct hba_config cfg;
    struct sim_rng rng;
    struct sim_interrupt *intr;

    /* Registers (simhba_regs.h). */
    uint32_t control, status, intr_status, intr_mask;
    uint64_t req_base, cmpl_base;
    uint32_t req_size, cmpl_size;
    uint32_t req_prod, req_cons, cmpl_prod, cmpl_cons;
    uint32_t coalesce_count, coalesce_ns;

    /* Rings, translated once when the driver sets CONTROL.ENABLE. */
    struct simhba_req_desc *req_ring;
    struct simhba_cmpl_desc *cmpl_ring;
    struct sim_event fetch_ev;      /* fetch descriptors up to req_prod */
    struct sim_event drain_ev;      /* move overflow into the ring */
    struct hba_cmd *ovf_head, *ovf_tail;

    /* Command slots. */
    struct hba_cmd *cmds;
    struct hba_cmd *free_cmds;
    uint32_t active;
    sim_time_t fw_free;             /* firmware busy until then */

    /* DMA scratch: segments for scsi_disk_execute, an external SG list. */
    struct scsi_disk_iov *iov;
    size_t iov_cap;
    struct simhba_sg_elem *sg_buf;

    /* Interrupt line. */
    bool line;                      /* level we drive (level mode) */
    bool edge_owed;                 /* edge mode: a message to send */
    struct sim_event irq_ev;        /* assert from device context */
    struct sim_event coal_ev;       /* coalescing timer */
    uint32_t coal_pending;
    struct hba_late_irq *late;      /* delayed interrupts in flight */

    /* PIO channel. */
    struct hba_cmd *pio_cur, *pio_head, *pio_tail;

    /* Resets. */
    struct sim_event reset_ev;
    bool reset_adapter;             /* adapter (else bus) reset running */
    bool reset_external;            /* not asked for by the driver */

    /* Logical units. */
    struct hba_lun *lun_at[HBA_MAX_TARGETS][HBA_MAX_LUNS_PER_TARGET];
    struct hba_lun luns[HBA_MAX_LUNS];
    size_t nluns;

    struct hba_fault_slot faults[HBA_MAX_FAULTS];
    int nfaults;                    /* active rules: 0 skips matching */

    struct hba_stats st;            /* occupancy filled on read */
    struct hba_occ occ;
};

/* hba.c */
struct hba_lun *hba_find_lun(struct hba *h, unsigned target, unsigned lun);
bool hba_target_exists(const struct hba *h, unsigned target);
void hba_trace_device(struct hba *h, const char *what, uint64_t arg,
                      uint64_t arg2);
void hba_update_report_luns(struct hba *h, unsigned target);

/* hba_ring.c */
bool hba_rings_valid(struct hba *h);
void hba_doorbell(struct hba *h, uint32_t prod);
void hba_kick_fetch(struct hba *h);
void hba_cmpl_post(struct hba_cmd *cmd);
void hba_cmpl_consumed(struct hba *h, uint32_t cons);
void hba_ring_init(struct hba *h);

/* hba_cmd.c */
void hba_cmd_start(struct hba_cmd *cmd);
void hba_cmd_finish(struct hba_cmd *cmd, uint8_t status, sim_time_t when);
void hba_cmd_result(struct hba_cmd *cmd, const struct scsi_disk_result *res);
void hba_cmd_exec(struct hba_cmd *cmd, const struct scsi_disk_iov *iov,
                  size_t niov, struct scsi_disk_result *res);
void hba_cmd_event(struct sim_event *ev);
sim_time_t hba_fw_slot(struct hba *h);
void hba_cmd_release(struct hba_cmd *cmd);
void hba_cmd_trace_start(struct hba_cmd *cmd);

/* hba_dma.c */
enum hba_dma_rc { DMA_OK, DMA_SHORT, DMA_BAD };
enum hba_dma_rc hba_dma_map(struct hba *h, const struct simhba_req_desc *d,
                            size_t *niov);
void hba_dma_sense(struct hba_cmd *cmd, const struct scsi_disk_result *res);

/* hba_pio.c */
void hba_pio_begin(struct hba_cmd *cmd);
void hba_pio_ready(struct hba_cmd *cmd);
uint32_t hba_pio_status(const struct hba *h);
uint32_t hba_pio_read(struct hba *h);
void hba_pio_write(struct hba *h, uint32_t v);
void hba_pio_end(struct hba *h);
void hba_pio_abort_all(struct hba *h);

/* hba_irq.c */
void hba_irq_init(struct hba *h);
void hba_intr_raise(struct hba *h, uint32_t bits);
void hba_intr_ack(struct hba *h, uint32_t bits);
void hba_intr_set_mask(struct hba *h, uint32_t mask);
void hba_irq_completion(struct hba *h, enum hba_irq_fault f, sim_time_t delay);
void hba_coalesce_changed(struct hba *h);
void hba_coalesce_flush(struct hba *h);
void hba_irq_teardown(struct hba *h);
void hba_irq_resync(struct hba *h);

/* hba_reset.c */
void hba_reset_init(struct hba *h);
int hba_reset_start(struct hba *h, bool adapter, bool external);
void hba_lun_event_init(struct hba_lun *l);

/* hba_fault.c */
struct hba_fault_slot *hba_fault_match(struct hba *h, struct hba_cmd *cmd);
void hba_fault_fired(struct hba *h, struct hba_fault_slot *slot,
                     struct hba_lun *lun);
int hba_fault_apply_disk(struct hba_fault_slot *slot, struct hba_cmd *cmd,
                         const struct scsi_disk_iov *iov, size_t niov,
                         struct scsi_disk_result *res, bool *fired);
bool hba_cdb_lba_range(const uint8_t *cdb, uint64_t *lba, uint64_t *blocks);
int hba_fault_rule_check(const struct hba_fault_rule *r);

/* hba_stats.c */
void hba_occ_init(struct hba_occ *o);
void hba_occ_read(const struct hba_occ *o, struct hba_occupancy *out);
void hba_stats_command(struct hba_cmd *cmd);
void hba_stats_completion(struct hba_cmd *cmd);

/* Count `delta` more in a queue at time t (called twice per command: an
 * inline, because it is on the hot path). */
static inline void
hba_occ_add(struct hba_occ *o, int delta, sim_time_t t)
{
    o->area += (double)o->now * (double)(t - o->last);
    o->last = t;
    o->now = (uint64_t)((int64_t)o->now + delta);
    if (o->now > o->max)
        o->max = o->now;
}

#endif /* STORSIM_HBA_INT_H */
