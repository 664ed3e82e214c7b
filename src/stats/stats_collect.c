/* stats_collect.c: turning a collector into a report, and the sums and
 * checks computed from a report (see include/storsim/stats.h).
 *
 * Interface: stats_collect(), stats_report_set_workload(),
 * stats_report_set_verifier(), stats_totals(), stats_little().
 *
 * stats_collect() reads the machine's counters and subtracts what they
 * were at attach; everything else comes from the collector. It does not
 * change the collector, so it may be called in the middle of a run (the
 * console's "stats" command) as well as at the end.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "stats/stats_int.h"

void
stats_latency_of(const struct hist *h, struct stats_latency *out)
{
    memset(out, 0, sizeof *out);
    if (h == NULL || h->count == 0)
        return;
    out->count = h->count;
    out->mean = hist_mean(h);
    out->min = hist_min(h);
    out->p50 = hist_quantile(h, 0.50);
    out->p90 = hist_quantile(h, 0.90);
    out->p99 = hist_quantile(h, 0.99);
    out->p999 = hist_quantile(h, 0.999);
    out->max = hist_max(h);
}

static void
collect_cpus(const struct stats *st, struct stats_report *r)
{
    r->ncpus = st->ncpus;
    for (int i = 0; i < st->ncpus; i++) {
        const struct sim_cpu *c = sim_cpu_get(i);
        const struct cpu_snap *s = &st->cpu0[i];
        struct stats_cpu *o = &r->cpu[i];
        sim_time_t used;

        o->id = i;
        for (int l = 0; l < SIM_NUM_IRQLS; l++) {
            o->busy_at[l] = c->busy_at[l] - s->busy_at[l];
            o->spin_at[l] = c->spin_at[l] - s->spin_at[l];
            o->busy += o->busy_at[l];
            o->spin += o->spin_at[l];
        }
        used = o->busy + o->spin;
        o->idle = used < r->elapsed ? r->elapsed - used : 0;
        o->interrupts = c->interrupts - s->interrupts;
        o->dpcs = c->dpcs - s->dpcs;
        o->threads = c->threads - s->threads;
        r->interrupts += o->interrupts;
    }
}

static void
collect_locks(const struct stats *st, struct stats_report *r)
{
    int nlocks = sim_lock_count();

    for (int id = 1; id <= nlocks && r->nlocks < SIM_MAX_LOCKS; id++) {
        const struct sim_spinlock *l = sim_lock_by_id(id);
        const struct lock_snap *s = &st->lock0[id];
        struct stats_lock *o;

        if (l == NULL || l->acquisitions == s->acquisitions)
            continue;           /* gone, or not used during the run */
        o = &r->lock[r->nlocks++];
        o->id = id;
        snprintf(o->name, sizeof o->name, "%s", l->name ? l->name : "?");
        o->irql = l->irql;
        o->acquisitions = l->acquisitions - s->acquisitions;
        o->contended = l->contended - s->contended;
        o->hold_total = l->hold_total - s->hold_total;
        o->spin_total = l->spin_total - s->spin_total;
        o->hold_max = st->hold_max[id];
        o->spin_max = st->spin_max[id];
    }
}

static const struct irq_snap *
irq_snap_of(const struct stats *st, const struct sim_interrupt *in)
{
    for (int i = 0; i < st->nirq0; i++)
        if (st->irq0[i].intr == in)
            return &st->irq0[i];
    return NULL;
}

static const struct named_hist *
irq_hist_of(const struct stats *st, const char *name)
{
    for (int i = 0; i < st->nirq; i++)
        if (st->irq[i].key == name || strcmp(st->irq[i].name, name) == 0)
            return &st->irq[i];
    return NULL;
}

static void
collect_interrupts(const struct stats *st, struct stats_report *r)
{
    for (const struct sim_interrupt *in = sim_interrupt_first();
         in != NULL && r->ninterrupts < STATS_MAX_INTERRUPTS;
         in = sim_interrupt_next(in)) {
        const struct irq_snap *s = irq_snap_of(st, in);
        const struct named_hist *h = irq_hist_of(st, in->name);
        struct stats_interrupt *o = &r->interrupt[r->ninterrupts++];

        snprintf(o->name, sizeof o->name, "%s", in->name ? in->name : "?");
        o->dirql = in->dirql;
        o->delivered = in->delivered - (s ? s->delivered : 0);
        o->unclaimed = in->unclaimed - (s ? s->unclaimed : 0);
        stats_latency_of(h ? h->h : NULL, &o->latency);
    }
    r->dpcs_queued = st->dpcs_queued;
    r->dpcs_run = st->dpcs_run;
}

static void
collect_srbs(const struct stats *st, struct stats_report *r)
{
    struct qd_series q = st->qd;    /* flushed to now in a copy */
    sim_time_t now = r->end;
    sim_time_t win_end = st->outstanding > 0 ? now : st->last_complete;
    uint64_t area = st->qd_area + st->outstanding * (now - st->last_change);

    r->srbs_seen = st->seen;
    r->srbs_completed = st->completed;
    r->srbs_in_flight = st->outstanding;
    stats_latency_of(st->latency, &r->srb_latency);
    for (int s = 0; s < PORT_SRB_STATE_COUNT; s++) {
        struct stats_residency *o = &r->residency[s];

        o->entries = st->res_entries[s];
        o->total = st->res_total[s];
        o->max = st->res_max[s];
        o->mean = o->entries ? (double)o->total / (double)o->entries : 0.0;
    }
    stats_qd_add(&q, st->last_change, now, st->outstanding);
    stats_qd_report(&q, now, &r->qd);
    r->qd.max = st->qd_max;
    r->qd.window = st->any_srb && win_end > st->first_srb
                       ? win_end - st->first_srb : 0;
    r->qd.mean = r->qd.window ? (double)area / (double)r->qd.window : 0.0;
}

static void
collect_series(const struct stats *st, struct stats_report *r)
{
    r->nseries = st->nseries;
    for (int i = 0; i < st->nseries; i++) {
        memcpy(r->series[i].name, st->series[i].name, STATS_NAME_LEN);
        stats_latency_of(st->series[i].h, &r->series[i].latency);
    }
}

int
stats_collect(const struct stats *st, struct stats_report *out)
{
    memset(out, 0, sizeof *out);
    if (!st->ever_attached)
        return -EINVAL;
    if (!sim_exists() || sim_machine_serial() != st->serial)
        return -ENODEV;
    out->start = st->start;
    out->end = sim_now();
    out->elapsed = out->end - out->start;
    out->trace_events = sim_trace_count();
    out->trace_hash = sim_trace_hash();
    collect_cpus(st, out);
    collect_locks(st, out);
    collect_interrupts(st, out);
    collect_srbs(st, out);
    collect_series(st, out);
    return st->out_of_memory ? -ENOMEM : 0;
}

void
stats_report_set_workload(struct stats_report *r, const struct wl_result *res)
{
    r->workload = *res;
    r->has_workload = true;
}

void
stats_report_set_verifier(struct stats_report *r, uint64_t findings)
{
    r->verifier_findings = findings;
    r->has_verifier = true;
}

void
stats_report_set_mouse(struct stats_report *r, const struct stats_mouse *m)
{
    r->mouse = *m;
    r->has_mouse = true;
}

void
stats_report_set_ports(struct stats_report *r, const struct stats_ports *p)
{
    r->ports = *p;
}

void
stats_totals(const struct stats_report *r, struct stats_totals *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < r->ncpus; i++) {
        const struct stats_cpu *c = &r->cpu[i];

        out->busy += c->busy;
        out->spin += c->spin;
        out->idle += c->idle;
        for (int l = 0; l < SIM_NUM_IRQLS; l++) {
            if (l < DISPATCH_LEVEL)
                out->at_passive += c->busy_at[l];
            else if (l == DISPATCH_LEVEL)
                out->at_dispatch += c->busy_at[l];
            else
                out->at_dirql += c->busy_at[l];
        }
    }
    if (r->ncpus > 0 && r->elapsed > 0)
        out->utilization = (double)(out->busy + out->spin) /
                           ((double)r->ncpus * (double)r->elapsed);
    for (int i = 0; i < r->nlocks; i++) {
        out->lock_spin += r->lock[i].spin_total;
        out->lock_contended += r->lock[i].contended;
    }
}

void
stats_little(const struct stats_report *r, struct stats_little *out)
{
    const struct wl_result *w = &r->workload;

    memset(out, 0, sizeof *out);
    out->l = r->qd.mean;
    out->w = r->srb_latency.mean / 1e9;
    /* The throughput is the workload's own count when it has one that
     * counts SRBs (no request was split): a measurement independent of
     * the collector's. The latency must be the port's, measured at the
     * same boundary as L (the workload's includes the class layer's own
     * time before the port sees the SRB and after it hands it back). */
    out->from_workload = r->has_workload && w->split == 0 && w->elapsed > 0;
    if (out->from_workload)
        out->lambda = (double)(w->all.requests + w->all.failed) /
                      ((double)w->elapsed / 1e9);
    else if (r->qd.window > 0)
        out->lambda = (double)r->srbs_completed / ((double)r->qd.window / 1e9);
    out->lambda_w = out->lambda * out->w;
    if (out->lambda_w > 0)
        out->rel_error = fabs(out->l - out->lambda_w) / out->lambda_w;
    else
        out->rel_error = out->l > 0 ? 1.0 : 0.0;
}

const struct stats_interrupt *
stats_find_interrupt(const struct stats_report *r, const char *name)
{
    for (int i = 0; i < r->ninterrupts; i++)
        if (strcmp(r->interrupt[i].name, name) == 0)
            return &r->interrupt[i];
    return NULL;
}
