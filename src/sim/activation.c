/* activation.c: a simulated CPU's activations (thread, DPC above it, ISRs
 * above that), preemption, and what the CPU runs next.
 *
 * Interface: sim_cpu_run(), sim_cpu_preempt(), sim_cpu_kick() and
 * sim_cpu_push() for the rest of src/sim (sim/internal.h).
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

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
    if (cpu->nframes == 0)
        cpu->state = SIM_CPU_IDLE;   /* as a pause at this event shows it */
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
        sim_start_work(cpu, f, left);
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
    char taken[160];

    M->current = cpu;
    sim_bugcheck(DPC_WATCHDOG_VIOLATION, 1, M->now - cpu->high_since,
                 M->cfg.watchdog, l->id, f->site_file, f->site_line,
                 "CPU %d has spun on %s for %llu ns. The lock is held by CPU %d "
                 "(%s), which is %s in %s: %s",
                 cpu->id, l->name,
                 (unsigned long long)(M->now - cpu->spin_start), l->owner,
                 sim_lock_taken(l, taken, sizeof taken),
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
