/* chrome_trace.c: the trace stream as Chrome trace-event JSON, written as
 * the run goes (see include/storsim/trace_export.h).
 *
 * Interface: trace_export_start(), trace_export_finish(),
 * trace_export_events(), trace_export_memory().
 *
 * How events map. The machine's events nest per CPU the way the CPU's
 * activation stack does: an ACTIVATE pushes a frame, its ENTER/EXIT pairs
 * and lock spins nest inside it, an ISR that preempts the frame pushes
 * another frame on top, and RETIRE pops the top frame. So each CPU's track
 * is one stack of "B"/"E" slices, and the exporter keeps that stack (only
 * the kind of each open slice, a few bytes) to
 *  - end a frame's slice together with any routine slice a buggy routine
 *    left open, so B and E always balance, and
 *  - end every open slice when the export finishes mid-run.
 * Lock holds go on one track per lock (a lock has one owner at a time, so
 * its holds never overlap). An SRB's flow starts at its first state change
 * and ends at PORT_SRB_COMPLETED; the SRB table remembers which SRBs have
 * a flow open, and that table is the only thing that grows, with the most
 * SRBs in flight at once. Nothing per event is kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/port.h"
#include "storsim/sim.h"
#include "storsim/stats.h"
#include "storsim/trace_export.h"
#include "stats/srb_table.h"

enum {
    PID_CPUS = 1,
    PID_LOCKS = 2,
    PID_STORAGE = 3,
    TID_DEVICE = 1,
    TRACK_DEPTH = 128,      /* open slices per CPU track we keep */
};

/* Kinds of open slice on a CPU track. */
enum { SL_FRAME, SL_ROUTINE, SL_SPIN };

struct cpu_track {
    uint8_t kind[TRACK_DEPTH];
    int depth;              /* entries of kind[] in use */
    int overflow;           /* slices beyond TRACK_DEPTH, not written */
};

struct trace_export {
    struct stats_json w;
    struct trace_export_options opt;
    bool subscribed;
    uint64_t serial;        /* the machine subscribed to */
    int ncpus;
    sim_time_t last_time;   /* of the last event seen */
    uint64_t events;        /* JSON events written */
    uint64_t outstanding;   /* SRBs in the port: the counter track */
    size_t peak;
    struct cpu_track cpu[SIM_MAX_CPUS];
    int16_t lock_owner[SIM_MAX_LOCKS + 1];  /* CPU with a hold slice open, or -1 */
    uint8_t lock_named[SIM_MAX_LOCKS + 1];
    struct srb_table srbs;  /* SRBs with a flow open */
};

void
trace_export_options_default(struct trace_export_options *opt)
{
    memset(opt, 0, sizeof *opt);
}

/* The reserved colour names of the trace viewers, by IRQL. */
static const char *
irql_colour(sim_irql_t irql)
{
    if (irql == PASSIVE_LEVEL)
        return "good";              /* green */
    if (irql == APC_LEVEL)
        return "olive";
    if (irql == DISPATCH_LEVEL)
        return "yellow";
    if (irql <= SIM_DIRQL_MAX)
        return "terrible";          /* red */
    return "black";
}

/* ---------- writing one event ---------- */

static void
ev_open(struct trace_export *te, const char *ph, int pid, int tid,
        sim_time_t ts)
{
    struct stats_json *w = &te->w;

    stats_json_object_begin(w);
    stats_json_key(w, "ph");
    stats_json_string(w, ph);
    stats_json_key(w, "pid");
    stats_json_int(w, pid);
    stats_json_key(w, "tid");
    stats_json_int(w, tid);
    stats_json_key(w, "ts");
    stats_json_time_us(w, ts);
}

static void
ev_close(struct trace_export *te)
{
    stats_json_object_end(&te->w);
    te->events++;
}

static void
kv_str(struct trace_export *te, const char *k, const char *v)
{
    stats_json_key(&te->w, k);
    stats_json_string(&te->w, v ? v : "?");
}

static void
kv_uint(struct trace_export *te, const char *k, uint64_t v)
{
    stats_json_key(&te->w, k);
    stats_json_uint(&te->w, v);
}

static void
metadata(struct trace_export *te, const char *what, int pid, int tid,
         const char *name, int sort)
{
    ev_open(te, "M", pid, tid, 0);
    kv_str(te, "name", what);
    stats_json_key(&te->w, "args");
    stats_json_object_begin(&te->w);
    if (name != NULL)
        kv_str(te, "name", name);
    else
        kv_uint(te, "sort_index", (uint64_t)sort);
    stats_json_object_end(&te->w);
    ev_close(te);
}

static void
write_header(struct trace_export *te)
{
    static const char *const procs[] = { NULL, "CPUs", "Locks", "Storage" };
    char name[32];

    stats_json_object_begin(&te->w);
    kv_str(te, "displayTimeUnit", "ns");
    stats_json_key(&te->w, "otherData");
    stats_json_object_begin(&te->w);
    kv_str(te, "generator", "storsim");
    kv_uint(te, "cpus", (uint64_t)te->ncpus);
    kv_uint(te, "seed", sim_get_config()->seed);
    stats_json_object_end(&te->w);
    stats_json_key(&te->w, "traceEvents");
    stats_json_array_begin(&te->w);
    for (int p = PID_CPUS; p <= PID_STORAGE; p++) {
        metadata(te, "process_name", p, 0, procs[p], 0);
        metadata(te, "process_sort_index", p, 0, NULL, p);
    }
    for (int c = 0; c < te->ncpus; c++) {
        snprintf(name, sizeof name, "CPU %d", c);
        metadata(te, "thread_name", PID_CPUS, c, name, 0);
        metadata(te, "thread_sort_index", PID_CPUS, c, NULL, c);
    }
    metadata(te, "thread_name", PID_STORAGE, TID_DEVICE, "device", 0);
}

/* ---------- CPU tracks ---------- */

static int
tid_of(const struct sim_trace_event *ev)
{
    return ev->cpu >= 0 ? ev->cpu : -1;
}

static void
slice_begin(struct trace_export *te, const struct sim_trace_event *ev,
            int kind, const char *name, const char *cname)
{
    struct cpu_track *t = &te->cpu[ev->cpu];

    if (t->depth == TRACK_DEPTH) {
        t->overflow++;
        return;
    }
    t->kind[t->depth++] = (uint8_t)kind;
    ev_open(te, "B", PID_CPUS, ev->cpu, ev->time);
    kv_str(te, "name", name);
    kv_str(te, "cname", cname);
    if (kind == SL_ROUTINE && ev->srb == 0) {
        ev_close(te);
        return;
    }
    stats_json_key(&te->w, "args");
    stats_json_object_begin(&te->w);
    if (kind == SL_FRAME)
        kv_str(te, "irql", sim_irql_name(ev->irql_after));
    if (kind == SL_SPIN)
        kv_str(te, "lock", ev->detail);
    if (ev->srb != 0)
        kv_uint(te, "srb", ev->srb);
    stats_json_object_end(&te->w);
    ev_close(te);
}

static void
slice_end(struct trace_export *te, int cpu, sim_time_t ts)
{
    te->cpu[cpu].depth--;
    ev_open(te, "E", PID_CPUS, cpu, ts);
    ev_close(te);
}

static bool
top_is(const struct cpu_track *t, int kind)
{
    return t->overflow == 0 && t->depth > 0 && t->kind[t->depth - 1] == kind;
}

/* End the innermost open slice if it is of `kind`. */
static void
end_if(struct trace_export *te, const struct sim_trace_event *ev, int kind)
{
    struct cpu_track *t = &te->cpu[ev->cpu];

    if (t->overflow > 0)
        t->overflow--;
    else if (top_is(t, kind))
        slice_end(te, ev->cpu, ev->time);
}

/* A frame retires: end its slice and anything left open inside it. */
static void
end_frame(struct trace_export *te, const struct sim_trace_event *ev)
{
    struct cpu_track *t = &te->cpu[ev->cpu];

    t->overflow = 0;
    while (t->depth > 0) {
        bool frame = t->kind[t->depth - 1] == SL_FRAME;

        slice_end(te, ev->cpu, ev->time);
        if (frame)
            break;
    }
}

static void
on_lock_spin(struct trace_export *te, const struct sim_trace_event *ev)
{
    char name[64];

    if (top_is(&te->cpu[ev->cpu], SL_SPIN))
        return;             /* a spin resumed after an interrupt */
    snprintf(name, sizeof name, "spin on %s", ev->detail ? ev->detail : "?");
    slice_begin(te, ev, SL_SPIN, name, "bad");
}

/* ---------- lock tracks ---------- */

static void
end_hold(struct trace_export *te, int id, sim_time_t ts)
{
    ev_open(te, "E", PID_LOCKS, id, ts);
    ev_close(te);
    te->lock_owner[id] = -1;
}

/* A release hands a contended lock to its next waiter before the
 * releasing CPU's own event is emitted, so the new owner's acquire can
 * come first: the old hold ends where the new one begins, and the late
 * release is ignored, so holds on a lock's track never overlap. */
static void
on_lock(struct trace_export *te, const struct sim_trace_event *ev)
{
    char name[32];
    int id = ev->lock;

    if (id <= 0 || id > SIM_MAX_LOCKS || ev->cpu < 0)
        return;
    if (ev->kind == SIM_EV_LOCK_RELEASE) {
        if (te->lock_owner[id] == ev->cpu)
            end_hold(te, id, ev->time);
        return;
    }
    end_if(te, ev, SL_SPIN);
    if (te->lock_owner[id] >= 0)
        end_hold(te, id, ev->time);
    if (!te->lock_named[id]) {
        te->lock_named[id] = 1;
        metadata(te, "thread_name", PID_LOCKS, id, ev->detail, 0);
    }
    snprintf(name, sizeof name, "CPU %d", ev->cpu);
    ev_open(te, "B", PID_LOCKS, id, ev->time);
    kv_str(te, "name", name);
    kv_str(te, "cname", irql_colour(ev->irql_after));
    stats_json_key(&te->w, "args");
    stats_json_object_begin(&te->w);
    kv_str(te, "routine", ev->routine);
    stats_json_object_end(&te->w);
    ev_close(te);
    te->lock_owner[id] = ev->cpu;
}

/* ---------- SRBs: flows and the queue-depth counter ---------- */

static void
counter(struct trace_export *te, sim_time_t ts)
{
    ev_open(te, "C", PID_STORAGE, 0, ts);
    kv_str(te, "name", "queue depth");
    stats_json_key(&te->w, "args");
    stats_json_object_begin(&te->w);
    kv_uint(te, "outstanding", te->outstanding);
    stats_json_object_end(&te->w);
    ev_close(te);
}

static void
flow(struct trace_export *te, const struct sim_trace_event *ev, const char *ph)
{
    int tid = tid_of(ev);

    ev_open(te, ph, tid >= 0 ? PID_CPUS : PID_STORAGE,
            tid >= 0 ? tid : TID_DEVICE, ev->time);
    kv_str(te, "name", "SRB");
    kv_str(te, "cat", "srb");
    kv_uint(te, "id", ev->srb);
    kv_str(te, "bp", "e");
    stats_json_key(&te->w, "args");
    stats_json_object_begin(&te->w);
    kv_str(te, "state", port_srb_state_name((enum port_srb_state)ev->arg));
    stats_json_object_end(&te->w);
    ev_close(te);
}

static void
on_srb(struct trace_export *te, const struct sim_trace_event *ev)
{
    struct srb_entry *e;
    size_t now;

    if (ev->srb == 0)
        return;
    e = srb_table_find(&te->srbs, ev->srb);
    if (e == NULL) {
        if (srb_table_insert(&te->srbs, ev->srb) == NULL)
            te->w.error = -ENOMEM;
        now = sizeof *te + srb_table_bytes(&te->srbs);
        te->peak = now > te->peak ? now : te->peak;
        te->outstanding++;
        counter(te, ev->time);
        flow(te, ev, "s");
        e = srb_table_find(&te->srbs, ev->srb);
    } else if (ev->arg == PORT_SRB_BUILDIO || ev->arg == PORT_SRB_STARTIO ||
               ev->arg == PORT_SRB_NOTIFIED || ev->arg == PORT_SRB_QUEUED) {
        flow(te, ev, "t");
    }
    if (ev->arg != PORT_SRB_COMPLETED || e == NULL)
        return;
    flow(te, ev, "f");
    srb_table_remove(&te->srbs, e);
    te->outstanding--;
    counter(te, ev->time);
}

/* ---------- instants: the device track and the extras ---------- */

static void
instant(struct trace_export *te, const struct sim_trace_event *ev,
        const char *name, bool device)
{
    int tid = device ? -1 : tid_of(ev);

    ev_open(te, "i", tid >= 0 ? PID_CPUS : PID_STORAGE,
            tid >= 0 ? tid : TID_DEVICE, ev->time);
    kv_str(te, "name", name);
    kv_str(te, "s", "t");
    stats_json_key(&te->w, "args");
    stats_json_object_begin(&te->w);
    kv_str(te, "where", ev->routine);
    kv_uint(te, "arg", ev->arg);
    if (ev->arg2 != 0)
        kv_uint(te, "arg2", ev->arg2);
    if (ev->srb != 0)
        kv_uint(te, "srb", ev->srb);
    stats_json_object_end(&te->w);
    ev_close(te);
}

static void
on_other(struct trace_export *te, const struct sim_trace_event *ev)
{
    char name[64];
    enum sim_trace_kind k = (enum sim_trace_kind)ev->kind;

    if (k == SIM_EV_DEVICE) {
        instant(te, ev, ev->detail ? ev->detail : "device", true);
    } else if (k == SIM_EV_INT_ASSERT) {
        snprintf(name, sizeof name, "%s asserts its interrupt",
                 ev->detail ? ev->detail : "?");
        instant(te, ev, name, true);
    } else if (k == SIM_EV_BUGCHECK) {
        snprintf(name, sizeof name, "BUG CHECK 0x%llX",
                 (unsigned long long)ev->arg);
        instant(te, ev, name, ev->cpu < 0);
    } else if ((te->opt.registers &&
                (k == SIM_EV_REG_READ || k == SIM_EV_REG_WRITE ||
                 k == SIM_EV_DMA || k == SIM_EV_PIO)) ||
               (te->opt.calls && (k == SIM_EV_CALL || k == SIM_EV_NOTIFY))) {
        snprintf(name, sizeof name, "%s %s", sim_trace_kind_name(k),
                 ev->detail ? ev->detail : "");
        instant(te, ev, name, false);
    }
}

/* ---------- the subscriber ---------- */

static void
on_event(const struct sim_trace_event *ev, void *ctx)
{
    struct trace_export *te = ctx;
    bool on_cpu = ev->cpu >= 0 && ev->cpu < te->ncpus;

    te->last_time = ev->time;
    switch ((enum sim_trace_kind)ev->kind) {
    case SIM_EV_ACTIVATE:
        if (on_cpu)
            slice_begin(te, ev, SL_FRAME, ev->routine,
                        irql_colour(ev->irql_after));
        break;
    case SIM_EV_RETIRE:
        if (on_cpu)
            end_frame(te, ev);
        break;
    case SIM_EV_ENTER:
        if (on_cpu)
            slice_begin(te, ev, SL_ROUTINE, ev->routine,
                        irql_colour(ev->irql_after));
        break;
    case SIM_EV_EXIT:
        if (on_cpu)
            end_if(te, ev, SL_ROUTINE);
        break;
    case SIM_EV_LOCK_SPIN:
        if (on_cpu)
            on_lock_spin(te, ev);
        break;
    case SIM_EV_LOCK_ACQUIRE:
    case SIM_EV_LOCK_RELEASE:
        if (on_cpu)
            on_lock(te, ev);
        break;
    case SIM_EV_SRB:
        on_srb(te, ev);
        break;
    default:
        on_other(te, ev);
        break;
    }
}

/* ---------- start and finish ---------- */

int
trace_export_start(FILE *f, const struct trace_export_options *opt,
                   struct trace_export **out)
{
    struct trace_export *te;
    int rc;

    *out = NULL;
    if (!sim_exists())
        return -ENODEV;
    te = calloc(1, sizeof *te);
    if (te == NULL)
        return -ENOMEM;
    if (srb_table_init(&te->srbs) < 0) {
        free(te);
        return -ENOMEM;
    }
    if (opt != NULL)
        te->opt = *opt;
    te->ncpus = sim_ncpus();
    te->serial = sim_machine_serial();
    te->last_time = sim_now();
    memset(te->lock_owner, 0xff, sizeof te->lock_owner);    /* all -1 */
    te->peak = sizeof *te + srb_table_bytes(&te->srbs);
    stats_json_init(&te->w, f, 2);
    write_header(te);
    counter(te, te->last_time);
    rc = te->w.error ? -EIO : sim_trace_subscribe(on_event, te);
    if (rc < 0) {
        srb_table_free(&te->srbs);
        free(te);
        return rc;
    }
    te->subscribed = true;
    *out = te;
    return 0;
}

static void
close_open_slices(struct trace_export *te)
{
    for (int c = 0; c < te->ncpus; c++)
        while (te->cpu[c].depth > 0)
            slice_end(te, c, te->last_time);
    for (int id = 1; id <= SIM_MAX_LOCKS; id++)
        if (te->lock_owner[id] >= 0)
            end_hold(te, id, te->last_time);
}

int
trace_export_finish(struct trace_export *te)
{
    int rc;

    if (te->subscribed && sim_exists() && sim_machine_serial() == te->serial)
        sim_trace_unsubscribe(on_event, te);
    close_open_slices(te);
    stats_json_array_end(&te->w);
    stats_json_object_end(&te->w);
    rc = stats_json_finish(&te->w);
    srb_table_free(&te->srbs);
    free(te);
    return rc < 0 ? -EIO : 0;
}

uint64_t
trace_export_events(const struct trace_export *te)
{
    return te->events;
}

size_t
trace_export_memory(const struct trace_export *te, size_t *peak)
{
    if (peak != NULL)
        *peak = te->peak;
    return sizeof *te + srb_table_bytes(&te->srbs);
}
