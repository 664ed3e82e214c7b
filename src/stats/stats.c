/* stats.c: the statistics collector: a trace subscriber on the running
 * machine (see include/storsim/stats.h).
 *
 * Interface: stats_create(), stats_attach(), stats_add_probe() and
 * stats_record_latency() here; stats_collect() and the report helpers are
 * in stats_collect.c, the printers in stats_text.c and stats_json.c.
 *
 * What comes from where. The machine already counts CPU time per IRQL,
 * lock acquisitions, hold and spin time, and interrupt deliveries; the
 * collector snapshots those counters at attach and reports differences,
 * rather than recomputing them from events (one source of truth). From
 * the trace stream it measures only what the machine does not keep: the
 * SRBs at the port boundary (queue depth over time, time in each state,
 * latency), interrupt-latency distributions, the longest lock hold and
 * spin within the run, DPC counts, and the named series of probes.
 *
 * The subscriber runs for every event of the run, so it does O(1) work
 * per event and allocates only when an SRB table grows or a histogram is
 * first needed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats_int.h"

int
stats_create(struct stats **out)
{
    struct stats *st = calloc(1, sizeof *st);

    *out = NULL;
    if (st == NULL)
        return -ENOMEM;
    st->latency = hist_create();
    if (st->latency == NULL || srb_table_init(&st->srbs) < 0) {
        hist_destroy(st->latency);
        free(st);
        return -ENOMEM;
    }
    *out = st;
    return 0;
}

static void
free_hists(struct named_hist *h, int n)
{
    for (int i = 0; i < n; i++) {
        hist_destroy(h[i].h);
        h[i].h = NULL;
    }
}

void
stats_destroy(struct stats *st)
{
    if (st == NULL)
        return;
    stats_detach(st);
    free_hists(st->irq, st->nirq);
    free_hists(st->series, st->nseries);
    hist_destroy(st->latency);
    srb_table_free(&st->srbs);
    free(st);
}

/* ---------- what the machine counts: snapshots at attach ---------- */

static void
snapshot_machine(struct stats *st)
{
    int nlocks = sim_lock_count();
    int n = 0;

    st->ncpus = sim_ncpus();
    for (int i = 0; i < st->ncpus; i++) {
        const struct sim_cpu *c = sim_cpu_get(i);
        struct cpu_snap *s = &st->cpu0[i];

        if (c == NULL)
            break;
        memcpy(s->busy_at, c->busy_at, sizeof s->busy_at);
        memcpy(s->spin_at, c->spin_at, sizeof s->spin_at);
        s->interrupts = c->interrupts;
        s->dpcs = c->dpcs;
        s->threads = c->threads;
    }
    memset(st->lock0, 0, sizeof st->lock0);
    for (int id = 1; id <= nlocks; id++) {
        const struct sim_spinlock *l = sim_lock_by_id(id);

        if (l == NULL)
            continue;
        st->lock0[id] = (struct lock_snap){ l->acquisitions, l->contended,
                                            l->hold_total, l->spin_total };
    }
    for (const struct sim_interrupt *in = sim_interrupt_first();
         in != NULL && n < STATS_MAX_INTERRUPTS; in = sim_interrupt_next(in))
        st->irq0[n++] = (struct irq_snap){ in, in->delivered, in->unclaimed };
    st->nirq0 = n;
}

static void
reset_measurements(struct stats *st)
{
    free_hists(st->irq, st->nirq);
    st->nirq = 0;
    for (int i = 0; i < st->nseries; i++)
        hist_init(st->series[i].h);
    memset(st->hold_max, 0, sizeof st->hold_max);
    memset(st->spin_max, 0, sizeof st->spin_max);
    st->dpcs_queued = st->dpcs_run = 0;
    srb_table_free(&st->srbs);
    st->out_of_memory = srb_table_init(&st->srbs) < 0;
    st->seen = st->completed = st->outstanding = st->qd_max = 0;
    st->any_srb = false;
    st->first_srb = st->last_complete = st->last_change = st->start;
    st->qd_area = 0;
    hist_init(st->latency);
    memset(st->res_entries, 0, sizeof st->res_entries);
    memset(st->res_total, 0, sizeof st->res_total);
    memset(st->res_max, 0, sizeof st->res_max);
    stats_qd_init(&st->qd, st->start);
}

/* ---------- what the trace tells ---------- */

static void
on_srb_change(struct stats *st, const struct sim_trace_event *ev)
{
    sim_time_t now = ev->time;

    st->qd_area += st->outstanding * (now - st->last_change);
    stats_qd_add(&st->qd, st->last_change, now, st->outstanding);
    st->last_change = now;
}

static void
srb_first_seen(struct stats *st, const struct sim_trace_event *ev,
               struct srb_entry *e)
{
    on_srb_change(st, ev);
    if (!st->any_srb) {
        st->any_srb = true;
        st->first_srb = ev->time;
    }
    st->seen++;
    st->outstanding++;
    if (st->outstanding > st->qd_max)
        st->qd_max = st->outstanding;
    e->first = ev->time;
    e->since = ev->time;
    e->state = (uint8_t)ev->arg;
}

static void
srb_leave_state(struct stats *st, struct srb_entry *e, sim_time_t now)
{
    sim_time_t stay = now - e->since;

    if (e->state >= PORT_SRB_STATE_COUNT)
        return;
    st->res_entries[e->state]++;
    st->res_total[e->state] += stay;
    if (stay > st->res_max[e->state])
        st->res_max[e->state] = stay;
}

static void
on_srb(struct stats *st, const struct sim_trace_event *ev)
{
    struct srb_entry *e;

    if (ev->srb == 0)
        return;
    e = srb_table_find(&st->srbs, ev->srb);
    if (e == NULL) {
        e = srb_table_insert(&st->srbs, ev->srb);
        if (e == NULL) {
            st->out_of_memory = true;
            return;
        }
        srb_first_seen(st, ev, e);
    } else {
        srb_leave_state(st, e, ev->time);
        e->state = (uint8_t)ev->arg;
        e->since = ev->time;
    }
    if (ev->arg != PORT_SRB_COMPLETED)
        return;
    on_srb_change(st, ev);
    st->outstanding--;
    st->completed++;
    st->last_complete = ev->time;
    hist_record(st->latency, ev->time - e->first);
    srb_table_remove(&st->srbs, e);
}

static struct named_hist *
irq_hist(struct stats *st, const char *name)
{
    for (int i = 0; i < st->nirq; i++)
        if (st->irq[i].key == name ||
            (name && strcmp(st->irq[i].name, name) == 0))
            return &st->irq[i];
    if (st->nirq == STATS_MAX_INTERRUPTS)
        return NULL;
    st->irq[st->nirq].h = hist_create();
    if (st->irq[st->nirq].h == NULL) {
        st->out_of_memory = true;
        return NULL;
    }
    st->irq[st->nirq].key = name;
    snprintf(st->irq[st->nirq].name, STATS_NAME_LEN, "%s", name ? name : "?");
    return &st->irq[st->nirq++];
}

static void
on_lock(struct stats *st, const struct sim_trace_event *ev)
{
    sim_time_t *max = ev->kind == SIM_EV_LOCK_ACQUIRE ? st->spin_max
                                                      : st->hold_max;

    if (ev->lock <= SIM_MAX_LOCKS && ev->arg > max[ev->lock])
        max[ev->lock] = ev->arg;
}

static void
run_probes(struct stats *st, const struct sim_trace_event *ev)
{
    for (int i = 0; i < st->nseries; i++) {
        sim_time_t ns;

        if (st->series[i].probe != NULL &&
            st->series[i].probe(ev, st->series[i].probe_ctx, &ns))
            hist_record(st->series[i].h, ns);
    }
}

static void
on_event(const struct sim_trace_event *ev, void *ctx)
{
    struct stats *st = ctx;
    struct named_hist *h;

    st->last_event = ev->time;
    switch ((enum sim_trace_kind)ev->kind) {
    case SIM_EV_SRB:
        on_srb(st, ev);
        break;
    case SIM_EV_LOCK_ACQUIRE:
    case SIM_EV_LOCK_RELEASE:
        on_lock(st, ev);
        break;
    case SIM_EV_INT_DELIVER:
        if ((h = irq_hist(st, ev->detail)) != NULL)
            hist_record(h->h, ev->arg);
        break;
    case SIM_EV_DPC_QUEUE:
        st->dpcs_queued++;
        break;
    case SIM_EV_DPC_RUN:
        st->dpcs_run++;
        break;
    default:
        break;
    }
    if (st->nseries > 0)
        run_probes(st, ev);
}

/* ---------- attaching ---------- */

int
stats_attach(struct stats *st)
{
    int rc;

    if (!sim_exists())
        return -ENODEV;
    stats_detach(st);
    rc = sim_trace_subscribe(on_event, st);
    if (rc < 0)
        return rc;
    st->attached = true;
    st->ever_attached = true;
    st->serial = sim_machine_serial();
    st->start = sim_now();
    st->last_event = st->start;
    snapshot_machine(st);
    reset_measurements(st);
    return 0;
}

void
stats_detach(struct stats *st)
{
    if (!st->attached)
        return;
    /* The subscriber list belongs to the machine: if it is gone, so is
     * the subscription. */
    if (sim_exists() && sim_machine_serial() == st->serial)
        sim_trace_unsubscribe(on_event, st);
    st->attached = false;
}

/* ---------- named series ---------- */

static struct named_hist *
series_slot(struct stats *st, const char *name, bool create)
{
    for (int i = 0; i < st->nseries; i++)
        if (strncmp(st->series[i].name, name, STATS_NAME_LEN - 1) == 0)
            return &st->series[i];
    if (!create || st->nseries == STATS_MAX_SERIES)
        return NULL;
    st->series[st->nseries].h = hist_create();
    if (st->series[st->nseries].h == NULL)
        return NULL;
    snprintf(st->series[st->nseries].name, STATS_NAME_LEN, "%s", name);
    return &st->series[st->nseries++];
}

int
stats_add_probe(struct stats *st, const char *name, stats_probe_fn *fn,
                void *ctx)
{
    struct named_hist *s;

    if (name == NULL || name[0] == '\0' || fn == NULL)
        return -EINVAL;
    s = series_slot(st, name, true);
    if (s == NULL)
        return st->nseries == STATS_MAX_SERIES ? -ENOSPC : -ENOMEM;
    s->probe = fn;
    s->probe_ctx = ctx;
    return 0;
}

int
stats_record_latency(struct stats *st, const char *name, sim_time_t ns)
{
    struct named_hist *s;

    if (name == NULL || name[0] == '\0')
        return -EINVAL;
    s = series_slot(st, name, true);
    if (s == NULL)
        return st->nseries == STATS_MAX_SERIES ? -ENOSPC : -ENOMEM;
    hist_record(s->h, ns);
    return 0;
}
