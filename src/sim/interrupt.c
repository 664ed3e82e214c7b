/* interrupt.c: interrupt lines, delivery to CPUs, and the ISR activation
 * (see include/storsim/interrupt.h).
 *
 * Delivery is an event ("irq-deliver", scheduled at the current time when a
 * line asserts or an ISR retires with its line still up), so a device that
 * asserts a line from inside a register write on some CPU never switches
 * fibers underneath that CPU: the interrupt lands at its next yield point.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sim/internal.h"

static void deliver_event(struct sim_event *ev);

static bool
requesting(const struct sim_interrupt *intr)
{
    return !intr->masked && intr->in_service < 0 &&
           (intr->mode == SIM_IRQ_LEVEL ? intr->level : intr->latched);
}

static bool
eligible(const struct sim_interrupt *intr, const struct sim_cpu *cpu,
         sim_irql_t above)
{
    return (intr->affinity >> cpu->id & 1) && intr->dirql > above;
}

/* The highest-DIRQL interrupt a CPU at `above` would take now. */
struct sim_interrupt *
sim_irq_pending_for(const struct sim_cpu *cpu, sim_irql_t above)
{
    struct sim_interrupt *best = NULL;

    for (struct sim_interrupt *i = M->intr_head; i != NULL; i = i->next)
        if (requesting(i) && eligible(i, cpu, above) &&
            (best == NULL || i->dirql > best->dirql))
            best = i;
    return best;
}

/* An interrupt storm (Bug Check 0xF2): a level-triggered line that stays
 * asserted while its ISR keeps saying "not mine" would hang the machine,
 * so Windows stops it instead. Here: SIM_STORM_LIMIT unclaimed deliveries
 * in a row with the line still asserted after each. */
static void
check_storm(struct sim_interrupt *intr, bool claimed)
{
    const struct sim_frame *f;

    if (claimed || intr->mode != SIM_IRQ_LEVEL || !intr->level) {
        intr->unclaimed_run = 0;
        return;
    }
    if (++intr->unclaimed_run < SIM_STORM_LIMIT)
        return;
    /* Windows gives the ISR's and the interrupt object's addresses; here
     * the parameters must not depend on where the host loaded anything:
     * the interrupt's lock id, its DIRQL, the run, 1 (not chained). */
    f = sim_current_frame();
    sim_bugcheck(HARDWARE_INTERRUPT_STORM, intr->lock.id, intr->dirql,
                 intr->unclaimed_run, 1, f ? f->site_file : NULL,
                 f ? f->site_line : 0,
                 "interrupt storm: %s's line is level-triggered and stays "
                 "asserted, and its ISR returned FALSE (not mine) %llu times "
                 "in a row without dismissing it: it must read the device's "
                 "interrupt status, clear it and return TRUE", intr->name,
                 (unsigned long long)intr->unclaimed_run);
}

static void
isr_frame(void *arg)
{
    struct sim_interrupt *intr = arg;
    bool claimed;

    sim_advance(M->cfg.cost.interrupt_entry);
    sim_lock_acquire(&intr->lock, NULL, 0);
    claimed = intr->isr(intr->ctx);
    sim_lock_release(&intr->lock, NULL, 0);
    if (!claimed)
        intr->unclaimed++;
    check_storm(intr, claimed);
    sim_advance(M->cfg.cost.interrupt_exit);
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_INT_RETURN, .arg = claimed, .detail = intr->name });
}

/* Push the ISR activation for `intr` on `cpu` (already preempted). */
void
sim_irq_take(struct sim_cpu *cpu, struct sim_interrupt *intr)
{
    sim_time_t latency = M->now - intr->asserted_at;

    intr->in_service = cpu->id;
    intr->latched = false;
    intr->last_cpu = cpu->id;
    intr->delivered++;
    intr->latency_total += latency;
    if (latency > intr->latency_max)
        intr->latency_max = latency;
    cpu->interrupts++;
    sim_cpu_push(cpu, SIM_FRAME_ISR, intr->name, isr_frame, intr, intr->dirql);
    sim_trace_emit_on(cpu->id, &(struct sim_trace_args){
        .kind = SIM_EV_INT_DELIVER, .arg = latency, .detail = intr->name,
        .routine = intr->name });
}

static void
request_delivery(void)
{
    if (!sim_event_pending(&M->irq_event))
        sim_event_schedule(&M->irq_event, M->now);
}

void
sim_irq_retired(struct sim_interrupt *intr)
{
    intr->in_service = -1;
    if (requesting(intr)) {
        intr->asserted_at = M->now;
        request_delivery();
    }
}

static struct sim_cpu *
choose_cpu(struct sim_interrupt *intr)
{
    struct sim_cpu *best = NULL;
    int n = M->ncpus;

    for (int k = 0; k < n; k++) {
        /* Lowest-IRQL delivery rotates its starting point so that ties
         * spread over the CPUs instead of always landing on CPU 0. */
        int id = intr->policy == SIM_IRQ_LOWEST_IRQL
                     ? (intr->last_cpu + 1 + k) % n : k;
        struct sim_cpu *c = &M->cpus[id];
        if (!eligible(intr, c, c->irql))
            continue;
        if (intr->policy == SIM_IRQ_FIRST_CPU)
            return c;
        if (best == NULL || c->irql < best->irql)
            best = c;
    }
    return best;
}

void
sim_irq_setup(void)
{
    sim_event_init(&M->irq_event, deliver_event, "irq-deliver");
}

static void
deliver_event(struct sim_event *ev)
{
    (void)ev;
    for (;;) {
        struct sim_interrupt *pick = NULL;
        struct sim_cpu *cpu = NULL;

        for (struct sim_interrupt *i = M->intr_head; i != NULL; i = i->next) {
            struct sim_cpu *c;
            if (!requesting(i) || (pick != NULL && i->dirql <= pick->dirql))
                continue;
            if ((c = choose_cpu(i)) != NULL) {
                pick = i;
                cpu = c;
            }
        }
        if (pick == NULL)
            return;   /* still pending: taken when some CPU lowers its IRQL */
        sim_cpu_preempt(cpu);
        sim_irq_take(cpu, pick);
        sim_cpu_run(cpu);
    }
}

int
sim_interrupt_connect(struct sim_interrupt *intr, const char *name,
                      sim_irql_t dirql, enum sim_irq_mode mode,
                      uint64_t affinity, sim_isr_fn *isr, void *ctx)
{
    uint64_t all = M->ncpus == 64 ? UINT64_MAX : (1ull << M->ncpus) - 1;

    if (dirql < SIM_DIRQL_MIN || dirql > SIM_DIRQL_MAX)
        return -EINVAL;
    memset(intr, 0, sizeof *intr);
    intr->name = name;
    intr->dirql = dirql;
    intr->mode = mode;
    intr->affinity = affinity ? affinity & all : all;
    if (intr->affinity == 0)
        return -EINVAL;
    intr->policy = M->cfg.irq_policy;
    intr->isr = isr;
    intr->ctx = ctx;
    intr->in_service = -1;
    intr->last_cpu = -1;
    sim_lock_init(&intr->lock, name, dirql, 0);
    /* Append, so that delivery order among equal DIRQLs is connect order. */
    struct sim_interrupt **pp = &M->intr_head;
    while (*pp != NULL)
        pp = &(*pp)->next;
    *pp = intr;
    return 0;
}

void
sim_interrupt_disconnect(struct sim_interrupt *intr)
{
    for (struct sim_interrupt **pp = &M->intr_head; *pp; pp = &(*pp)->next)
        if (*pp == intr) {
            *pp = intr->next;
            break;
        }
    sim_lock_unregister(&intr->lock);
}

static void
assert_line(struct sim_interrupt *intr)
{
    intr->asserted_at = M->now;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_INT_ASSERT, .detail = intr->name,
        .arg = intr->dirql });
    if (requesting(intr))
        request_delivery();
}

void
sim_interrupt_set_level(struct sim_interrupt *intr, bool asserted)
{
    if (intr->level == asserted)
        return;
    intr->level = asserted;
    if (asserted)
        assert_line(intr);
}

void
sim_interrupt_signal(struct sim_interrupt *intr)
{
    if (intr->latched)
        return;   /* one latched message per vector, as in an APIC's IRR */
    intr->latched = true;
    assert_line(intr);
}

void
sim_interrupt_mask(struct sim_interrupt *intr, bool masked)
{
    intr->masked = masked;
    if (!masked && requesting(intr))
        request_delivery();
}

bool
sim_sync_execution(struct sim_interrupt *intr, bool (*fn)(void *),
                   void *ctx, const char *file, int line)
{
    bool r;

    sim_lock_acquire(&intr->lock, file, line);
    r = fn(ctx);
    sim_lock_release(&intr->lock, file, line);
    return r;
}

const struct sim_interrupt *
sim_interrupt_first(void)
{
    return M->intr_head;
}

const struct sim_interrupt *
sim_interrupt_next(const struct sim_interrupt *intr)
{
    return intr->next;
}
