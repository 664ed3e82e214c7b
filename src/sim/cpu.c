/* cpu.c: simulated CPUs: IRQL, work, yielding, routines and call sites.
 * The activation stacks and what a CPU runs next are in activation.c.
 *
 * Interface: include/storsim/cpu.h; sim_advance(), sim_yield() and
 * sim_start_work() for the rest of src/sim.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/internal.h"

static const char *const irql_names[SIM_NUM_IRQLS] = {
    "PASSIVE_LEVEL", "APC_LEVEL", "DISPATCH_LEVEL", "DIRQL3", "DIRQL4",
    "DIRQL5", "DIRQL6", "DIRQL7", "DIRQL8", "DIRQL9", "DIRQL10", "DIRQL11",
    "PROFILE_LEVEL", "CLOCK_LEVEL", "IPI_LEVEL", "HIGH_LEVEL",
};

const char *
sim_irql_name(sim_irql_t irql)
{
    return irql < SIM_NUM_IRQLS ? irql_names[irql] : "INVALID_IRQL";
}

int
sim_irql_parse(const char *text, sim_irql_t *out, char *err, size_t errlen)
{
    static const struct { const char *name; sim_irql_t irql; } aliases[] = {
        { "passive", PASSIVE_LEVEL }, { "apc", APC_LEVEL },
        { "dispatch", DISPATCH_LEVEL }, { "dpc", DISPATCH_LEVEL },
        { "clock", CLOCK_LEVEL }, { "ipi", IPI_LEVEL }, { "high", HIGH_LEVEL },
    };
    char *end;
    long v;

    for (int i = 0; i < SIM_NUM_IRQLS; i++)
        if (strcasecmp(text, irql_names[i]) == 0) {
            *out = (sim_irql_t)i;
            return 0;
        }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcasecmp(text, aliases[i].name) == 0) {
            *out = aliases[i].irql;
            return 0;
        }
    v = strtol(text, &end, 10);
    if (*text != '\0' && *end == '\0' && v >= 0 && v < SIM_NUM_IRQLS) {
        *out = (sim_irql_t)v;
        return 0;
    }
    snprintf(err, errlen, "'%s' is not an IRQL (0..15, or a name such as "
             "PASSIVE_LEVEL, DISPATCH_LEVEL, DIRQL5, HIGH_LEVEL)", text);
    return -EINVAL;
}

const char *
sim_cpu_state_name(enum sim_cpu_state s)
{
    static const char *const names[] = {
        [SIM_CPU_IDLE] = "idle", [SIM_CPU_RUNNING] = "running",
        [SIM_CPU_READY] = "ready", [SIM_CPU_WORKING] = "working",
        [SIM_CPU_SPINNING] = "spinning",
    };
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

/* ---------- lookup ---------- */

int
sim_ncpus(void)
{
    return M->ncpus;
}

const struct sim_cpu *
sim_cpu_get(int id)
{
    return id >= 0 && id < M->ncpus ? &M->cpus[id] : NULL;
}

int
sim_cpu_current(void)
{
    return M != NULL && M->current != NULL ? M->current->id : -1;
}

struct sim_frame *
sim_top(const struct sim_cpu *cpu)
{
    return cpu->nframes ? cpu->frames[cpu->nframes - 1] : NULL;
}

const struct sim_frame *
sim_current_frame(void)
{
    return M->current ? sim_top(M->current) : NULL;
}

sim_irql_t
sim_irql(void)
{
    return M->current ? M->current->irql : HIGH_LEVEL;
}

/* Code that must run on a CPU calls this; elsewhere it is a host bug, not
 * a simulated one, so it stops the program with the caller's location. */
static struct sim_cpu *
need_cpu(const char *what, const char *file, int line)
{
    if (M == NULL || M->current == NULL) {
        fprintf(stderr, "storsim: %s called outside any simulated CPU "
                "(%s:%d)\n", what, file ? file : "?", line);
        abort();
    }
    return M->current;
}

/* ---------- IRQL ---------- */

void
sim_set_irql(struct sim_cpu *cpu, sim_irql_t irql)
{
    if (cpu->irql < DISPATCH_LEVEL && irql >= DISPATCH_LEVEL)
        cpu->high_since = M->now;
    cpu->irql = irql;
}

sim_irql_t
sim_irql_raise(sim_irql_t irql, const char *file, int line)
{
    struct sim_cpu *cpu = need_cpu("sim_irql_raise", file, line);
    sim_irql_t old = cpu->irql;

    if (irql >= SIM_NUM_IRQLS || irql < old)
        sim_bugcheck(IRQL_NOT_GREATER_OR_EQUAL, old, irql, 0, 0, file, line,
                     "KeRaiseIrql to %s while at %s: raising may not lower "
                     "the IRQL", sim_irql_name(irql), sim_irql_name(old));
    sim_set_irql(cpu, irql);
    sim_advance(M->cfg.cost.irql_change);
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_IRQL, .file = file, .line = line,
        .irql_changed = 1, .irql_before = old });
    return old;
}

void
sim_irql_lower(sim_irql_t irql, const char *file, int line)
{
    struct sim_cpu *cpu = need_cpu("sim_irql_lower", file, line);
    sim_irql_t old = cpu->irql;

    if (irql > old)
        sim_bugcheck(IRQL_NOT_LESS_OR_EQUAL, irql, old, 0, 0, file, line,
                     "KeLowerIrql to %s while at %s: lowering may not raise "
                     "the IRQL", sim_irql_name(irql), sim_irql_name(old));
    sim_set_irql(cpu, irql);
    sim_advance(M->cfg.cost.irql_change);
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_IRQL, .file = file, .line = line,
        .irql_changed = 1, .irql_before = old });
    if (sim_cpu_has_work_above(cpu, irql))
        sim_yield(Y_NOW);
}

/* Whether something is waiting that a CPU at `irql` must run first. */
bool
sim_cpu_has_work_above(const struct sim_cpu *cpu, sim_irql_t irql)
{
    if (irql < DISPATCH_LEVEL && cpu->dpc_head != NULL)
        return true;
    return sim_irq_pending_for(cpu, irql) != NULL;
}

/* ---------- yielding and work ---------- */

void
sim_yield(enum yield_reason why)
{
    M->yield = why;
    sim_switch_to(M->sched);
}

/* An event is due now: let it run before this CPU continues. */
void
sim_maybe_yield(void)
{
    struct sim_cpu *cpu = M->current;
    struct sim_frame *f;

    if (cpu == NULL || sim_heap_min_time() > M->now)
        return;
    f = sim_top(cpu);
    f->state = F_READY;
    cpu->state = SIM_CPU_READY;
    sim_event_schedule(&cpu->resume, M->now);
    sim_yield(Y_WAIT);
}

static void
watchdog_check(struct sim_cpu *cpu, sim_time_t ns)
{
    sim_time_t high;

    if (cpu->irql < DISPATCH_LEVEL)
        return;
    high = M->now + ns - cpu->high_since;
    if (high > M->cfg.watchdog) {
        const struct sim_frame *f = sim_top(cpu);
        sim_bugcheck(DPC_WATCHDOG_VIOLATION, 1, high, M->cfg.watchdog, 0,
                     f ? f->site_file : NULL, f ? f->site_line : 0,
                     "CPU %d has been at %s or above for %llu ns, longer than "
                     "the %llu ns the watchdog allows: a routine at raised "
                     "IRQL runs too long or never returns",
                     cpu->id, sim_irql_name(DISPATCH_LEVEL),
                     (unsigned long long)high,
                     (unsigned long long)M->cfg.watchdog);
    }
}

void
sim_start_work(struct sim_cpu *cpu, struct sim_frame *f, sim_time_t ns)
{
    cpu->work_start = M->now;
    cpu->work_end = M->now + ns;
    f->state = F_WORKING;
    cpu->state = SIM_CPU_WORKING;
    sim_event_schedule(&cpu->resume, cpu->work_end);
}

/* Let `ns` of simulated time pass on the calling CPU, without a trace
 * event. If nothing else can happen before the work ends, just move the
 * clock (the common case, and the reason the simulator is fast); otherwise
 * wait for the resume event so that earlier events -- an interrupt that
 * preempts this work, for one -- run in order. */
void
sim_advance(sim_time_t ns)
{
    struct sim_cpu *cpu = M->current;
    sim_time_t end, limit;

    if (cpu == NULL || ns == 0)
        return;
    watchdog_check(cpu, ns);
    end = M->now + ns;
    limit = sim_heap_min_time();
    if (M->lim.until != 0 && M->lim.until < limit)
        limit = M->lim.until + 1;
    if (end < limit) {
        cpu->busy_at[cpu->irql] += ns;
        M->now = end;
        return;
    }
    sim_start_work(cpu, sim_top(cpu), ns);
    sim_yield(Y_WAIT);
}

void
sim_set_switch_hook(sim_switch_hook_fn *fn, void *ctx)
{
    M->switch_hook = fn;
    M->switch_ctx = ctx;
}

void
sim_spend(sim_time_t ns)
{
    if (M != NULL && M->current != NULL)
        sim_advance(ns);
}

void
sim_work(sim_time_t ns, const char *file, int line)
{
    need_cpu("sim_work", file, line);
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_WORK, .arg = ns, .file = file, .line = line });
    sim_advance(ns);
}

/* ---------- routines ---------- */

void
sim_routine_enter(const char *routine, const char *file, int line)
{
    struct sim_cpu *cpu = need_cpu("sim_routine_enter", file, line);
    struct sim_frame *f = sim_top(cpu);

    if (f->depth < SIM_MAX_ROUTINES) {
        f->routines[f->depth] = routine;
        f->routine_irql[f->depth] = cpu->irql;
    }
    f->depth++;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_ENTER, .routine = routine, .file = file, .line = line });
}

void
sim_routine_exit(const char *file, int line)
{
    struct sim_cpu *cpu = need_cpu("sim_routine_exit", file, line);
    struct sim_frame *f = sim_top(cpu);
    const char *routine = sim_routine_current();
    sim_irql_t entry_irql;

    if (f->depth == 0) {
        fprintf(stderr, "storsim: sim_routine_exit without enter (%s:%d)\n",
                file, line);
        abort();
    }
    entry_irql = f->depth <= SIM_MAX_ROUTINES
                     ? f->routine_irql[f->depth - 1] : cpu->irql;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_EXIT, .routine = routine, .arg = entry_irql,
        .file = file, .line = line });
    f->depth--;
}

static const char *
frame_routine(const struct sim_frame *f)
{
    if (f->depth == 0)
        return f->name;
    return f->routines[(f->depth <= SIM_MAX_ROUTINES ? f->depth
                                                     : SIM_MAX_ROUTINES) - 1];
}

const char *
sim_routine_current(void)
{
    if (M == NULL || M->current == NULL || M->current->nframes == 0)
        return "(idle)";
    return frame_routine(sim_top(M->current));
}

const char *
sim_cpu_routine(const struct sim_cpu *cpu)
{
    return cpu->nframes ? frame_routine(sim_top(cpu)) : "(idle)";
}

uint32_t
sim_set_srb(uint32_t srb)
{
    struct sim_frame *f = M->current ? sim_top(M->current) : NULL;
    uint32_t old;

    if (f == NULL)
        return 0;
    old = f->srb;
    f->srb = srb;
    return old;
}

void
storsim_call_site(const char *file, int line)
{
    struct sim_frame *f = M != NULL && M->current ? sim_top(M->current) : NULL;

    if (f != NULL) {
        f->site_file = file;
        f->site_line = line;
    }
}

uint32_t
sim_current_srb(void)
{
    struct sim_frame *f = M->current ? sim_top(M->current) : NULL;

    return f ? f->srb : 0;
}

void
sim_cpu_times(const struct sim_cpu *cpu, sim_time_t *busy, sim_time_t *spin,
              sim_time_t *idle)
{
    sim_time_t b = 0, s = 0;

    for (int i = 0; i < SIM_NUM_IRQLS; i++) {
        b += cpu->busy_at[i];
        s += cpu->spin_at[i];
    }
    /* Work or a spin in progress counts up to now. */
    if (cpu->state == SIM_CPU_WORKING)
        b += M->now - cpu->work_start;
    if (cpu->state == SIM_CPU_SPINNING)
        s += M->now - cpu->spin_start;
    *busy = b;
    *spin = s;
    *idle = M->now > b + s ? M->now - b - s : 0;
}
