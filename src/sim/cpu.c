/* cpu.c: simulated CPUs: activation stacks, preemption, work and IRQL.
 *
 * Interface: include/storsim/cpu.h; sim_cpu_run() and sim_cpu_preempt()
 * for the rest of src/sim.
 *
 * A CPU's activations form a stack (thread, DPC above it, ISRs above
 * that). sim_cpu_run() runs on the scheduler fiber: it chooses what the CPU
 * does next -- take a pending interrupt, drain a DPC, start a thread item,
 * or continue the top activation -- and switches into that activation's
 * fiber until it yields. An activation yields when it must wait (work in
 * progress, a contended lock, an event due at the same instant) or when it
 * lowered its IRQL and something it unmasked should run first.
 *
 * Cross-CPU effects never switch fibers directly: they schedule an event
 * (a lock hand-off resumes the waiter through its resume event, a DPC for
 * another CPU kicks it through its kick event), so the order of everything
 * is decided by the event queue alone and the run is deterministic.
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

static void
start_work(struct sim_cpu *cpu, struct sim_frame *f, sim_time_t ns)
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
    start_work(cpu, sim_top(cpu), ns);
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

/* ---------- activations ---------- */

static void
frame_entry(void *arg)
{
    struct sim_frame *f = arg;

    f->fn(f->ctx);
    M->yield = Y_DONE;
    M->running = M->sched;
    sim_fiber_switch_final(f->fiber, M->sched);
}

static struct sim_frame *
frame_get(void)
{
    struct sim_frame *f = M->free_frames;

    if (f != NULL) {
        M->free_frames = (struct sim_frame *)f->ctx;
        sim_fiber_reset(f->fiber, frame_entry, f);
        return f;
    }
    f = calloc(1, sizeof *f);
    if (f == NULL || (f->fiber = sim_fiber_create(M->cfg.fiber_stack,
                                                  frame_entry, f)) == NULL) {
        fprintf(stderr, "storsim: out of memory for an activation\n");
        abort();
    }
    if (M->nall_frames == M->all_frames_cap) {
        int cap = M->all_frames_cap ? M->all_frames_cap * 2 : 32;
        struct sim_frame **a = realloc(M->all_frames, cap * sizeof *a);
        if (a == NULL) {
            fprintf(stderr, "storsim: out of memory for an activation\n");
            abort();
        }
        M->all_frames = a;
        M->all_frames_cap = cap;
    }
    M->all_frames[M->nall_frames++] = f;
    return f;
}

static void
frame_put(struct sim_frame *f)
{
    struct sim_fiber *fiber = f->fiber;

    memset(f, 0, sizeof *f);
    f->fiber = fiber;
    f->ctx = M->free_frames;   /* the free list reuses ctx as its link */
    M->free_frames = f;
}

void
sim_cpu_push(struct sim_cpu *cpu, enum sim_frame_kind kind, const char *name,
             void (*fn)(void *), void *ctx, sim_irql_t irql)
{
    struct sim_frame *f;
    sim_irql_t old = cpu->irql;

    if (cpu->nframes == SIM_MAX_FRAMES) {
        fprintf(stderr, "storsim: CPU %d: activations nested too deeply\n",
                cpu->id);
        abort();
    }
    f = frame_get();
    f->kind = kind;
    f->name = name;
    f->fn = fn;
    f->ctx = ctx;
    f->state = F_NEW;
    f->saved_irql = old;
    f->base_irql = irql;
    f->started = M->now;
    cpu->frames[cpu->nframes++] = f;
    sim_set_irql(cpu, irql);
    sim_trace_emit_on(cpu->id, &(struct sim_trace_args){
        .kind = SIM_EV_ACTIVATE, .arg = kind, .routine = name,
        .irql_changed = 1, .irql_before = old });
}

static void
retire(struct sim_cpu *cpu, struct sim_frame *f)
{
    sim_irql_t now_irql = cpu->irql;

    if (now_irql != f->base_irql) {
        /* Windows checks this when a DPC or ISR returns (IRQL_UNEXPECTED_VALUE,
         * 0xC8); a thread returning at raised IRQL is the same mistake. */
        cpu->state = SIM_CPU_RUNNING;
        M->current = cpu;
        sim_bugcheck(IRQL_UNEXPECTED_VALUE,
                     ((uint64_t)now_irql << 16) | ((uint64_t)f->base_irql << 8)
                         | (f->kind == SIM_FRAME_ISR ? 3u : 0u),
                     0, 0, 0, f->site_file, f->site_line,
                     "%s returned at %s but runs at %s: it raised the IRQL "
                     "(or acquired a spin lock) without lowering it again",
                     f->name, sim_irql_name(now_irql),
                     sim_irql_name(f->base_irql));
    }
    cpu->nframes--;
    sim_set_irql(cpu, f->saved_irql);
    sim_trace_emit_on(cpu->id, &(struct sim_trace_args){
        .kind = SIM_EV_RETIRE, .routine = f->name, .srb = f->srb,
        .irql_changed = 1, .irql_before = now_irql });
    if (f->kind == SIM_FRAME_ISR)
        sim_irq_retired(f->ctx);
    frame_put(f);
}

static void
push_thread(struct sim_cpu *cpu, struct sim_thread_item *item)
{
    cpu->threads++;
    sim_cpu_push(cpu, SIM_FRAME_THREAD, item->name, item->fn, item->ctx,
                 PASSIVE_LEVEL);
}

/* Decide what the CPU runs next, pushing a new activation if one is due. */
static struct sim_frame *
pick_next(struct sim_cpu *cpu)
{
    struct sim_interrupt *intr = sim_irq_pending_for(cpu, cpu->irql);
    struct sim_frame *top = sim_top(cpu);

    if (top != NULL && (intr != NULL || (cpu->irql < DISPATCH_LEVEL &&
                                         cpu->dpc_head != NULL))) {
        if (top->state == F_READY || top->state == F_NEW)
            top->state = F_PREEMPTED;
    }
    if (intr != NULL) {
        sim_irq_take(cpu, intr);
    } else if (cpu->irql < DISPATCH_LEVEL && cpu->dpc_head != NULL) {
        struct sim_dpc *dpc = sim_dpc_pop(cpu);
        cpu->dpcs++;
        sim_cpu_push(cpu, SIM_FRAME_DPC, dpc->name, sim_dpc_run_frame, dpc,
                     DISPATCH_LEVEL);
    } else if (top == NULL && cpu->thr_head != NULL) {
        push_thread(cpu, sim_thread_pop(cpu));
    }
    return sim_top(cpu);
}

/* Continue a frame that something preempted; false if it must wait. */
static bool
resume_preempted(struct sim_cpu *cpu, struct sim_frame *f)
{
    if (f->work_left > 0) {
        sim_time_t left = f->work_left;
        f->work_left = 0;
        start_work(cpu, f, left);
        return false;
    }
    if (f->spin_on != NULL) {
        sim_lock_resume_spin(cpu, f);
        if (f->state == F_SPINNING)
            return false;
    }
    f->state = F_READY;
    return true;
}

void
sim_cpu_run(struct sim_cpu *cpu)
{
    for (;;) {
        struct sim_frame *f = pick_next(cpu);

        if (f == NULL) {
            cpu->state = SIM_CPU_IDLE;
            return;
        }
        if (f->state == F_PREEMPTED && !resume_preempted(cpu, f))
            return;
        cpu->state = SIM_CPU_RUNNING;
        M->current = cpu;
        if (M->switch_hook != NULL)
            M->switch_hook(cpu->id, true, M->switch_ctx);
        sim_switch_to(f->fiber);
        if (M->switch_hook != NULL && !M->dead)
            M->switch_hook(cpu->id, false, M->switch_ctx);
        M->current = NULL;
        switch (M->yield) {
        case Y_DONE:
            retire(cpu, f);
            break;
        case Y_NOW:
            f->state = F_READY;
            break;
        case Y_WAIT:
            return;
        }
    }
}

/* Stop what the CPU is doing so that an ISR or DPC can go on top. */
void
sim_cpu_preempt(struct sim_cpu *cpu)
{
    struct sim_frame *f = sim_top(cpu);

    if (f == NULL)
        return;
    switch (f->state) {
    case F_WORKING:
        sim_event_cancel(&cpu->resume);
        cpu->busy_at[cpu->irql] += M->now - cpu->work_start;
        f->work_left = cpu->work_end - M->now;
        f->state = F_PREEMPTED;
        sim_trace_emit_on(cpu->id, &(struct sim_trace_args){
            .kind = SIM_EV_PREEMPT, .arg = f->work_left, .srb = f->srb });
        break;
    case F_READY:
        sim_event_cancel(&cpu->resume);
        f->state = F_PREEMPTED;
        break;
    case F_SPINNING:
        sim_lock_cancel_spin(cpu, f);
        f->state = F_PREEMPTED;
        sim_trace_emit_on(cpu->id, &(struct sim_trace_args){
            .kind = SIM_EV_PREEMPT, .srb = f->srb,
            .lock = f->spin_on->id });
        break;
    default:
        break;
    }
}

static void
resume_event(struct sim_event *ev)
{
    struct sim_cpu *cpu = (struct sim_cpu *)((char *)ev -
                                             offsetof(struct sim_cpu, resume));
    struct sim_frame *f = sim_top(cpu);

    if (f->state == F_WORKING)
        cpu->busy_at[cpu->irql] += cpu->work_end - cpu->work_start;
    f->state = F_READY;
    sim_cpu_run(cpu);
}

/* A DPC was queued to this CPU from elsewhere: the DPC software interrupt. */
static void
kick_event(struct sim_event *ev)
{
    struct sim_cpu *cpu = &M->cpus[ev - M->kick];

    if (cpu->irql < DISPATCH_LEVEL && cpu->dpc_head != NULL) {
        sim_cpu_preempt(cpu);
        sim_cpu_run(cpu);
    }
}

void
sim_cpu_kick(struct sim_cpu *cpu)
{
    if (!sim_event_pending(&M->kick[cpu->id]))
        sim_event_schedule(&M->kick[cpu->id], M->now);
}

static void
watchdog_event(struct sim_event *ev)
{
    struct sim_cpu *cpu = (struct sim_cpu *)((char *)ev -
                                             offsetof(struct sim_cpu, watchdog));
    struct sim_frame *f = sim_top(cpu);
    struct sim_spinlock *l = f->spin_on;
    const struct sim_cpu *owner = l->owner >= 0 ? &M->cpus[l->owner] : NULL;

    M->current = cpu;
    sim_bugcheck(DPC_WATCHDOG_VIOLATION, 1, M->now - cpu->high_since,
                 M->cfg.watchdog, l->id, f->site_file, f->site_line,
                 "CPU %d has spun on %s for %llu ns. The lock is held by CPU %d "
                 "(acquired at %s:%d), which is %s in %s: %s",
                 cpu->id, l->name,
                 (unsigned long long)(M->now - cpu->spin_start), l->owner,
                 l->acq_file ? l->acq_file : "?", l->acq_line,
                 owner ? sim_cpu_state_name(owner->state) : "?",
                 owner ? sim_cpu_routine(owner) : "?",
                 owner && owner->state == SIM_CPU_IDLE
                     ? "a routine returned without releasing the lock"
                     : "the owner holds it far too long");
}

void
sim_cpu_setup(struct sim_cpu *cpu, int id)
{
    memset(cpu, 0, sizeof *cpu);
    cpu->id = id;
    cpu->irql = PASSIVE_LEVEL;
    sim_event_init(&cpu->resume, resume_event, "cpu-resume");
    sim_event_init(&cpu->watchdog, watchdog_event, "cpu-watchdog");
    sim_event_init(&M->kick[id], kick_event, "cpu-dpc-kick");
}

void
sim_cpu_teardown(struct sim_cpu *cpu)
{
    /* Frames still on the stack belong to a stopped run; their fibers are
     * freed with all_frames. */
    cpu->nframes = 0;
}
