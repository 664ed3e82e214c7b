/* hba_irq.c - SIMHBA interrupts: status, mask, the line, coalescing, late interrupts. */
/*
 * Interface: hba_intr_raise(), hba_intr_ack() and hba_intr_set_mask() change
 * INTR_STATUS / INTR_MASK and drive the line; hba_irq_completion() is called
 * once per completion written and applies coalescing and the interrupt
 * faults; hba_coalesce_changed() and hba_coalesce_flush() for register
 * writes and resets.
 *
 * Level mode: the line is (INTR_STATUS AND INTR_MASK) != 0. Edge (MSI)
 * mode: a message is sent whenever a bit of (INTR_STATUS AND INTR_MASK)
 * becomes set, so a completion that arrives after the ISR acknowledged
 * CMPL sends a new message and nothing is lost.
 *
 * Lowering the line happens at once, even inside a register write on a
 * CPU (an ISR that acknowledged its status must not be re-entered for it).
 * Raising it from a register write is deferred to an event at the same
 * instant, so that the write stays one trace event and the interrupt is
 * taken at the CPU's next yield point, as a real posted write would be.
 */
#include <stdlib.h>

#include "hba/hba_int.h"

static void assert_event(struct sim_event *ev);
static void coalesce_event(struct sim_event *ev);

void
hba_irq_init(struct hba *h)
{
    sim_event_init(&h->irq_ev, assert_event, "hba-irq");
    sim_event_init(&h->coal_ev, coalesce_event, "hba-coalesce");
    h->coalesce_count = h->cfg.coalesce_count;
    h->coalesce_ns = h->cfg.coalesce_ns;
}

static uint32_t
pending_bits(const struct hba *h)
{
    return h->intr_status & h->intr_mask;
}

/* Drive the line now (device context). */
static void
assert_now(struct hba *h)
{
    if (h->cfg.irq_mode == SIM_IRQ_LEVEL) {
        if (pending_bits(h) == 0 || h->line)
            return;
        h->line = true;
        h->st.interrupts++;
        if (h->intr != NULL)
            sim_interrupt_set_level(h->intr, true);
        return;
    }
    if (!h->edge_owed)
        return;
    h->edge_owed = false;
    if (pending_bits(h) == 0)
        return;   /* acknowledged before the message left */
    h->st.interrupts++;
    if (h->intr != NULL)
        sim_interrupt_signal(h->intr);
}

static void
assert_event(struct sim_event *ev)
{
    assert_now((struct hba *)((char *)ev - offsetof(struct hba, irq_ev)));
}

static void
assert_soon(struct hba *h)
{
    if (sim_cpu_current() < 0)
        assert_now(h);
    else if (!sim_event_pending(&h->irq_ev))
        sim_event_schedule(&h->irq_ev, sim_now());
}

/* Make the line follow INTR_STATUS AND INTR_MASK; `before` is what that
 * was before the change. */
static void
update_line(struct hba *h, uint32_t before)
{
    uint32_t after = pending_bits(h);

    if (h->cfg.irq_mode == SIM_IRQ_LEVEL) {
        if (after == 0 && h->line) {
            h->line = false;
            if (h->intr != NULL)
                sim_interrupt_set_level(h->intr, false);
        } else if (after != 0 && !h->line) {
            assert_soon(h);
        }
        return;
    }
    if (after & ~before) {
        h->edge_owed = true;
        assert_soon(h);
    }
}

void
hba_intr_raise(struct hba *h, uint32_t bits)
{
    uint32_t before = pending_bits(h);

    h->intr_status |= bits & SIMHBA_INTR_ALL;
    update_line(h, before);
}

void
hba_intr_ack(struct hba *h, uint32_t bits)
{
    uint32_t before = pending_bits(h);

    h->intr_status &= ~bits;
    update_line(h, before);
}

void
hba_intr_set_mask(struct hba *h, uint32_t mask)
{
    uint32_t before = pending_bits(h);

    h->intr_mask = mask & SIMHBA_INTR_ALL;
    update_line(h, before);
}

/* A new interrupt object: whatever is pending shows on it at once. */
void
hba_irq_resync(struct hba *h)
{
    h->line = false;
    h->edge_owed = pending_bits(h) != 0;
    if (pending_bits(h) != 0)
        assert_soon(h);
}

bool
hba_irq_line(const struct hba *h)
{
    return h->cfg.irq_mode == SIM_IRQ_LEVEL ? h->line : pending_bits(h) != 0;
}

/* ---------- coalescing ---------- */

static void
coalesce_fire(struct hba *h)
{
    if (h->coal_pending > 1)
        h->st.completions_coalesced += h->coal_pending - 1;
    h->coal_pending = 0;
    sim_event_cancel(&h->coal_ev);
    hba_intr_raise(h, SIMHBA_INTR_CMPL);
}

static void
coalesce_event(struct sim_event *ev)
{
    struct hba *h = (struct hba *)((char *)ev - offsetof(struct hba, coal_ev));

    h->st.coalesce_timeouts++;
    coalesce_fire(h);
}

/* One more completion wants an interrupt. */
static void
coalesce_add(struct hba *h)
{
    h->coal_pending++;
    if (h->coalesce_count <= 1 || h->coal_pending >= h->coalesce_count) {
        coalesce_fire(h);
        return;
    }
    if (h->coal_pending == 1 && h->coalesce_ns != 0)
        sim_event_schedule(&h->coal_ev, sim_now() + h->coalesce_ns);
}

void
hba_coalesce_changed(struct hba *h)
{
    if (h->coal_pending == 0)
        return;
    if (h->coalesce_count <= 1 || h->coal_pending >= h->coalesce_count)
        coalesce_fire(h);
    else if (h->coalesce_ns == 0)
        sim_event_cancel(&h->coal_ev);
}

void
hba_coalesce_flush(struct hba *h)
{
    if (h->coal_pending != 0)
        coalesce_fire(h);
}

/* ---------- interrupt faults ---------- */

static void
late_event(struct sim_event *ev)
{
    struct hba_late_irq *late = (struct hba_late_irq *)ev;
    struct hba *h = late->hba;

    for (struct hba_late_irq **pp = &h->late; *pp != NULL; pp = &(*pp)->next)
        if (*pp == late) {
            *pp = late->next;
            break;
        }
    free(late);
    coalesce_add(h);
}

static void
schedule_late(struct hba *h, sim_time_t delay)
{
    struct hba_late_irq *late = calloc(1, sizeof *late);

    if (late == NULL) {
        coalesce_add(h);   /* no memory to be late with: be on time */
        return;
    }
    sim_event_init(&late->ev, late_event, "hba-late-irq");
    late->hba = h;
    late->next = h->late;
    h->late = late;
    sim_event_schedule(&late->ev, sim_now() + delay);
}

void
hba_irq_completion(struct hba *h, enum hba_irq_fault f, sim_time_t delay)
{
    switch (f) {
    case IRQF_DROP:
        h->st.dropped_interrupts++;
        return;
    case IRQF_DELAY:
        h->st.delayed_interrupts++;
        schedule_late(h, delay);
        return;
    default:
        coalesce_add(h);
    }
}

void
hba_irq_teardown(struct hba *h)
{
    sim_event_cancel(&h->irq_ev);
    sim_event_cancel(&h->coal_ev);
    while (h->late != NULL) {
        struct hba_late_irq *next = h->late->next;
        sim_event_cancel(&h->late->ev);
        free(h->late);
        h->late = next;
    }
}
