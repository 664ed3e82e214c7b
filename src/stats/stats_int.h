/* stats_int.h: the statistics collector's private state (src/stats only).
 *
 * Invariants:
 *  - outstanding == srbs.used: an SRB is counted from its first SIM_EV_SRB
 *    event to its PORT_SRB_COMPLETED;
 *  - qd_area is the integral of outstanding over time from the first SRB
 *    seen up to last_change, in SRB-nanoseconds;
 *  - the queue-depth series covers [qd.start, last_change) and its total
 *    area equals the integral of outstanding since qd.start.
 */
#ifndef STORSIM_STATS_INT_H
#define STORSIM_STATS_INT_H

#include "storsim/hist.h"
#include "storsim/stats.h"
#include "stats/srb_table.h"

/* The queue-depth series: STATS_QD_POINTS buckets of `interval` ns from
 * `start`; when the run outgrows them, pairs merge and the interval
 * doubles. */
struct qd_series {
    sim_time_t start;
    sim_time_t interval;
    int n;                                  /* buckets touched */
    uint64_t area[STATS_QD_POINTS];         /* SRB-ns in each bucket */
    uint32_t max[STATS_QD_POINTS];
};

/* A latency histogram with a name: per interrupt, or a named series. */
struct named_hist {
    const char *key;            /* interrupts: the name pointer in events */
    char name[STATS_NAME_LEN];
    struct hist *h;
    stats_probe_fn *probe;      /* series fed by a probe, else NULL */
    void *probe_ctx;
};

/* The machine's counters when the collector attached. */
struct lock_snap {
    uint64_t acquisitions, contended;
    sim_time_t hold_total, spin_total;
};

struct irq_snap {
    const struct sim_interrupt *intr;
    uint64_t delivered, unclaimed;
};

struct cpu_snap {
    sim_time_t busy_at[SIM_NUM_IRQLS];
    sim_time_t spin_at[SIM_NUM_IRQLS];
    uint64_t interrupts, dpcs, threads;
};

struct stats {
    bool attached;              /* subscribed to the machine below */
    bool ever_attached;
    bool out_of_memory;         /* a sample was dropped */
    uint64_t serial;            /* sim_machine_serial() at attach */
    sim_time_t start;
    sim_time_t last_event;

    int ncpus;
    struct cpu_snap cpu0[SIM_MAX_CPUS];
    struct lock_snap lock0[SIM_MAX_LOCKS + 1];     /* by lock id */
    struct irq_snap irq0[STATS_MAX_INTERRUPTS];
    int nirq0;

    sim_time_t hold_max[SIM_MAX_LOCKS + 1];        /* by lock id */
    sim_time_t spin_max[SIM_MAX_LOCKS + 1];
    struct named_hist irq[STATS_MAX_INTERRUPTS];   /* by interrupt name */
    int nirq;
    struct named_hist series[STATS_MAX_SERIES];
    int nseries;
    uint64_t dpcs_queued, dpcs_run;

    /* SRBs at the port boundary. */
    struct srb_table srbs;
    uint64_t seen, completed;
    uint64_t outstanding, qd_max;
    bool any_srb;
    sim_time_t first_srb, last_complete, last_change;
    uint64_t qd_area;
    struct hist *latency;
    uint64_t res_entries[PORT_SRB_STATE_COUNT];
    sim_time_t res_total[PORT_SRB_STATE_COUNT];
    sim_time_t res_max[PORT_SRB_STATE_COUNT];
    struct qd_series qd;
};

/* stats_qd.c */
void stats_qd_init(struct qd_series *q, sim_time_t start);
void stats_qd_add(struct qd_series *q, sim_time_t from, sim_time_t to,
                  uint64_t level);
void stats_qd_report(const struct qd_series *q, sim_time_t end,
                     struct stats_queue_depth *out);

/* stats_collect.c */
void stats_latency_of(const struct hist *h, struct stats_latency *out);

/* stats_report.c: names for the printers */
const char *stats_state_key(enum port_srb_state s);

#endif /* STORSIM_STATS_INT_H */
