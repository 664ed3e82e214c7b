/* dpc.c: DPCs, one-shot timers and passive-level work items
 * (see include/storsim/dpc.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sim/internal.h"

void
sim_dpc_init(struct sim_dpc *dpc, const char *name, sim_dpc_fn *fn, void *ctx)
{
    memset(dpc, 0, sizeof *dpc);
    dpc->name = name;
    dpc->fn = fn;
    dpc->ctx = ctx;
    dpc->target = -1;
    dpc->queued_on = -1;
}

void
sim_dpc_set_target(struct sim_dpc *dpc, int cpu)
{
    dpc->target = cpu >= 0 && cpu < M->ncpus ? cpu : -1;
}

bool
sim_dpc_queue(struct sim_dpc *dpc, void *arg1, void *arg2)
{
    struct sim_cpu *self = M->current;
    struct sim_cpu *cpu;

    if (dpc->queued)
        return false;
    if (dpc->target >= 0)
        cpu = &M->cpus[dpc->target];
    else
        cpu = self != NULL ? self : &M->cpus[0];
    dpc->queued = true;
    dpc->queued_on = cpu->id;
    dpc->arg1 = arg1;
    dpc->arg2 = arg2;
    dpc->next = NULL;
    if (cpu->dpc_tail != NULL)
        cpu->dpc_tail->next = dpc;
    else
        cpu->dpc_head = dpc;
    cpu->dpc_tail = dpc;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_DPC_QUEUE, .arg = (uint64_t)cpu->id,
        .detail = dpc->name });
    if (cpu != self)
        sim_cpu_kick(cpu);          /* the DPC software interrupt */
    else if (cpu->irql < DISPATCH_LEVEL)
        sim_yield(Y_NOW);           /* queued at PASSIVE: it runs at once */
    return true;
}

struct sim_dpc *
sim_dpc_pop(struct sim_cpu *cpu)
{
    struct sim_dpc *dpc = cpu->dpc_head;

    cpu->dpc_head = dpc->next;
    if (cpu->dpc_head == NULL)
        cpu->dpc_tail = NULL;
    /* Dequeued before it runs, so the routine may queue itself again. */
    dpc->queued = false;
    dpc->queued_on = -1;
    dpc->next = NULL;
    return dpc;
}

void
sim_dpc_run_frame(void *arg)
{
    struct sim_dpc *dpc = arg;
    void *a1 = dpc->arg1, *a2 = dpc->arg2;

    sim_advance(M->cfg.cost.dpc_dispatch);
    dpc->runs++;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_DPC_RUN, .detail = dpc->name });
    dpc->fn(dpc, dpc->ctx, a1, a2);
}

/* ---------- timers ---------- */

static void
timer_fire(struct sim_event *ev)
{
    struct sim_timer *t = (struct sim_timer *)ev;

    t->fired++;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_TIMER_FIRE, .detail = ev->name });
    if (t->dpc != NULL)
        sim_dpc_queue(t->dpc, NULL, NULL);
}

void
sim_timer_init(struct sim_timer *t, const char *name, struct sim_dpc *dpc)
{
    sim_event_init(&t->ev, timer_fire, name);
    t->dpc = dpc;
    t->fired = 0;
}

bool
sim_timer_set(struct sim_timer *t, sim_time_t delay)
{
    bool was = sim_event_pending(&t->ev);

    sim_event_schedule(&t->ev, M->now + delay);
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_TIMER_SET, .arg = M->now + delay,
        .arg2 = was, .detail = t->ev.name });
    return was;
}

bool
sim_timer_cancel(struct sim_timer *t)
{
    bool was = sim_event_pending(&t->ev);

    sim_event_cancel(&t->ev);
    return was;
}

/* ---------- passive-level work ---------- */

static void
thread_due(struct sim_event *ev)
{
    struct sim_thread_item *item = (struct sim_thread_item *)ev;
    struct sim_cpu *cpu = &M->cpus[item->cpu];

    item->next = NULL;
    if (cpu->thr_tail != NULL)
        cpu->thr_tail->next = item;
    else
        cpu->thr_head = item;
    cpu->thr_tail = item;
    sim_trace_emit_on(item->cpu, &(struct sim_trace_args){
        .kind = SIM_EV_THREAD_POST, .arg = (uint64_t)item->cpu,
        .detail = item->name, .routine = item->name });
    if (cpu->nframes == 0)
        sim_cpu_run(cpu);
}

int
sim_cpu_post(struct sim_thread_item *item, int cpu, void (*fn)(void *),
             void *ctx, const char *name, sim_time_t when)
{
    if (cpu < 0 || cpu >= M->ncpus)
        return -EINVAL;
    /* Queued means due or waiting on its CPU's list: posting it again
     * would link it twice. It may be posted again once it has started. */
    if (item->queued && item->machine == sim_machine_serial())
        return -EBUSY;
    sim_event_init(&item->ev, thread_due, name);
    item->fn = fn;
    item->ctx = ctx;
    item->name = name;
    item->cpu = cpu;
    item->queued = true;
    item->machine = sim_machine_serial();
    sim_event_schedule(&item->ev, when);
    return 0;
}

struct sim_thread_item *
sim_thread_pop(struct sim_cpu *cpu)
{
    struct sim_thread_item *item = cpu->thr_head;

    cpu->thr_head = item->next;
    if (cpu->thr_head == NULL)
        cpu->thr_tail = NULL;
    item->queued = false;
    item->next = NULL;
    return item;
}
