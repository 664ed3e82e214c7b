/* model.c: the console's model: following the machine, the trace
 * subscriber, and what changed in the last step.
 *
 * Interface: include/storsim/ui_model.h. The SRB table is in srbs.c, the
 * IRQL timeline in timeline.c, source files in source.c.
 *
 * The model is fed by one trace subscriber and otherwise reads the
 * machine's public state when asked. The subscriber runs for every event
 * of a run, so it does as little as it can: a switch on the kind and, for
 * most events, one comparison of the CPU's IRQL.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"

int
ui_model_create(struct ui_model **out)
{
    struct ui_model *m = calloc(1, sizeof *m);

    if (m == NULL)
        return -ENOMEM;
    m->last_cpu = -1;
    m->sel_cpu = -1;
    *out = m;
    return 0;
}

void
ui_model_destroy(struct ui_model *m)
{
    if (m == NULL)
        return;
    ui_model_detach(m);
    ui_source_free(m);
    free(m);
}

bool
ui_model_attached(const struct ui_model *m)
{
    return m->serial != 0 && sim_exists() && sim_machine_serial() == m->serial;
}

static void
note_reg(struct ui_model *m, const struct sim_trace_event *ev)
{
    uint64_t i = ev->arg / 4;

    if (i >= UI_REGS)
        return;
    if (!m->reg_seen[i] || m->reg[i] != (uint32_t)ev->arg2)
        m->reg_changed_seq[i] = ev->seq;
    m->reg[i] = (uint32_t)ev->arg2;
    m->reg_seen[i] = true;
}

static void
on_event(const struct sim_trace_event *ev, void *ctx)
{
    struct ui_model *m = ctx;

    if (ev->cpu >= 0) {
        m->last_cpu = ev->cpu;
        ui_timeline_note(m, ev);
    }
    switch (ev->kind) {
    case SIM_EV_SRB:
        ui_srbs_note(m, ev);
        break;
    case SIM_EV_REG_READ:
    case SIM_EV_REG_WRITE:
        note_reg(m, ev);
        break;
    default:
        break;
    }
}

/* What happened before the console attached -- the boot's bus scan, say
 * -- is still in the trace ring: the SRB table and the registers learn it
 * from there, oldest first. (The timeline does not: it would need each
 * CPU's activation count as it was then.) */
static void
replay_history(struct ui_model *m)
{
    uint64_t kept = sim_trace_count();

    if (kept > sim_trace_ring_size())
        kept = sim_trace_ring_size();
    for (uint64_t back = kept; back-- > 0;) {
        const struct sim_trace_event *ev = sim_trace_recent(back);

        if (ev->kind == SIM_EV_SRB)
            ui_srbs_note(m, ev);
        else if (ev->kind == SIM_EV_REG_READ || ev->kind == SIM_EV_REG_WRITE)
            note_reg(m, ev);
    }
    m->ndone_before = m->ndone;    /* the stats pane watches from now on */
    m->lat_total = m->lat_max = 0;
    memset(m->residency, 0, sizeof m->residency);
    memset(m->res_count, 0, sizeof m->res_count);
}

void
ui_model_detach(struct ui_model *m)
{
    bool live = ui_model_attached(m);

    if (live)
        sim_trace_unsubscribe(on_event, m);
    ui_srbs_filter_remove(m, live);
    ui_srbs_free(m);
    ui_timeline_free(m);
    m->serial = 0;
    m->st = NULL;
    m->ncpus = 0;
    m->ndone = m->nseen = m->ndone_before = 0;
    m->lat_total = m->lat_max = 0;
    memset(m->done, 0, sizeof m->done);
    memset(m->residency, 0, sizeof m->residency);
    memset(m->res_count, 0, sizeof m->res_count);
    memset(m->reg_seen, 0, sizeof m->reg_seen);
    m->mark_seq = 0;
    m->last_cpu = -1;
    m->sel_srb = 0;       /* SRB ids start again with a new machine */
}

bool
ui_model_sync(struct ui_model *m, struct stack *st)
{
    uint64_t serial = st != NULL && sim_exists() ? sim_machine_serial() : 0;

    if (serial == m->serial && st == m->st)
        return false;
    ui_model_detach(m);
    if (serial == 0)
        return true;
    m->serial = serial;
    m->st = st;
    m->ncpus = sim_ncpus();
    m->generation++;
    if (m->sel_cpu >= m->ncpus)
        m->sel_cpu = -1;
    if (ui_srbs_init(m) < 0 || ui_timeline_init(m) < 0 ||
        sim_trace_subscribe(on_event, m) < 0) {
        ui_srbs_free(m);
        ui_timeline_free(m);
        m->serial = 0;       /* the panes say "not followed" */
        return true;
    }
    ui_srbs_filter_install(m);
    replay_history(m);
    ui_model_mark(m);
    return true;
}

int
ui_lock_spinners(int id)
{
    int n = 0;

    for (int i = 0; i < sim_ncpus(); i++) {
        const struct sim_cpu *c = sim_cpu_get(i);
        const struct sim_frame *top = c->nframes ? c->frames[c->nframes - 1]
                                                 : NULL;
        if (top != NULL && top->spin_on != NULL && top->spin_on->id == id)
            n++;
    }
    return n;
}

static void
snap_cpu(const struct sim_cpu *c, struct ui_cpu_snap *p)
{
    const struct sim_frame *top = c->nframes ? c->frames[c->nframes - 1]
                                             : NULL;

    p->irql = c->irql;
    p->state = (int)c->state;
    p->routine = sim_cpu_routine(c);
    p->srb = top != NULL ? top->srb : 0;
    p->nheld = c->nheld;
    p->spin_on = top != NULL ? top->spin_on : NULL;
    p->nframes = c->nframes;
}

void
ui_model_mark(struct ui_model *m)
{
    if (!ui_model_attached(m))
        return;
    m->mark_seq = sim_trace_count();
    for (int i = 0; i < m->ncpus && i < SIM_MAX_CPUS; i++)
        snap_cpu(sim_cpu_get(i), &m->cpu_prev[i]);
    for (int id = 1; id <= sim_lock_count() && id <= SIM_MAX_LOCKS; id++) {
        const struct sim_spinlock *l = sim_lock_by_id(id);
        m->lock_owner_prev[id] = (int16_t)(l != NULL ? l->owner : -1);
        m->lock_spin_prev[id] = (uint8_t)ui_lock_spinners(id);
    }
}

bool
ui_model_cpu_changed(const struct ui_model *m, int cpu,
                     enum ui_cpu_field field)
{
    struct ui_cpu_snap now;
    const struct ui_cpu_snap *was;

    if (!ui_model_attached(m) || cpu < 0 || cpu >= m->ncpus)
        return false;
    snap_cpu(sim_cpu_get(cpu), &now);
    was = &m->cpu_prev[cpu];
    switch (field) {
    case UI_CPU_IRQL:
        return now.irql != was->irql;
    case UI_CPU_STATE:
        return now.state != was->state;
    case UI_CPU_ROUTINE:
        return now.routine != was->routine || now.nframes != was->nframes;
    case UI_CPU_SRB:
        return now.srb != was->srb;
    case UI_CPU_LOCKS:
        return now.nheld != was->nheld || now.spin_on != was->spin_on;
    }
    return false;
}

bool
ui_model_lock_changed(const struct ui_model *m, int id)
{
    const struct sim_spinlock *l;

    if (!ui_model_attached(m) || id < 1 || id > SIM_MAX_LOCKS ||
        (l = sim_lock_by_id(id)) == NULL)
        return false;
    return l->owner != m->lock_owner_prev[id] ||
           ui_lock_spinners(id) != m->lock_spin_prev[id];
}

bool
ui_model_reg(const struct ui_model *m, uint32_t offset, uint32_t *value,
             bool *changed)
{
    uint32_t i = offset / 4;

    if (i >= UI_REGS || !m->reg_seen[i])
        return false;
    *value = m->reg[i];
    if (changed != NULL)
        *changed = m->reg_changed_seq[i] >= m->mark_seq &&
                   m->reg_changed_seq[i] < sim_trace_count();
    return true;
}

int
ui_model_cpu(const struct ui_model *m)
{
    if (m->sel_cpu >= 0 && m->sel_cpu < m->ncpus)
        return m->sel_cpu;
    if (m->last_cpu >= 0 && m->last_cpu < m->ncpus)
        return m->last_cpu;
    return 0;
}

char *
ui_fmt_time(sim_time_t ns, char *buf, size_t len)
{
    if (ns < 1000)
        snprintf(buf, len, "%lluns", (unsigned long long)ns);
    else if (ns < 1000000)
        snprintf(buf, len, "%.3gus", (double)ns / 1e3);
    else if (ns < 1000000000)
        snprintf(buf, len, "%.3gms", (double)ns / 1e6);
    else
        snprintf(buf, len, "%.3gs", (double)ns / 1e9);
    return buf;
}
