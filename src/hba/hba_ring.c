/* hba_ring.c - the SIMHBA request and completion rings: doorbell, fetch, posting. */
/*
 * Interface: hba_rings_valid() when the driver sets CONTROL.ENABLE;
 * hba_doorbell() and hba_cmpl_consumed() for the REQ_DOORBELL and
 * CMPL_CONS registers; hba_cmpl_post() when a command is done;
 * hba_kick_fetch() when fetching may go on (a slot freed, a reset ended).
 *
 * Indices are free-running 32-bit counters; slot = index mod size, and the
 * sizes are powers of two so that the wrap at 2^32 is seamless. The device
 * copies a descriptor into one of its command slots when it fetches it, so
 * a request ring slot is free again as soon as REQ_CONS has passed it.
 * Fetching stops while every command slot is busy, and completions wait in
 * an overflow queue while the completion ring is full: the rings back up
 * instead of overwriting anything.
 */
#include <string.h>

#include "hba/hba_int.h"

static void fetch_event(struct sim_event *ev);
static void drain_event(struct sim_event *ev);

void
hba_ring_init(struct hba *h)
{
    sim_event_init(&h->fetch_ev, fetch_event, "hba-fetch");
    sim_event_init(&h->drain_ev, drain_event, "hba-cmpl-drain");
}

static bool
pow2_at_most(uint32_t v, uint32_t max)
{
    return v != 0 && (v & (v - 1)) == 0 && v <= max;
}

/* The host address of a whole ring, or NULL if it is not one contiguous
 * run of mapped physical memory. */
static void *
ring_host(struct hba *h, uint64_t base, size_t bytes)
{
    void *host;

    if (base == 0 || base % SIMHBA_RING_ALIGN != 0)
        return NULL;
    if (physmem_phys_run(base, bytes, &host) != bytes) {
        h->st.dma_faults++;
        return NULL;
    }
    return host;
}

bool
hba_rings_valid(struct hba *h)
{
    if (!pow2_at_most(h->req_size, h->cfg.queue_depth) ||
        !pow2_at_most(h->cmpl_size, SIMHBA_MAX_CMPL_RING))
        return false;
    h->req_ring = ring_host(h, h->req_base,
                            (size_t)h->req_size * sizeof *h->req_ring);
    h->cmpl_ring = ring_host(h, h->cmpl_base,
                             (size_t)h->cmpl_size * sizeof *h->cmpl_ring);
    return h->req_ring != NULL && h->cmpl_ring != NULL;
}

static bool
can_fetch(const struct hba *h)
{
    return (h->status & SIMHBA_STATUS_READY) &&
           !(h->status & SIMHBA_STATUS_RESETTING) &&
           h->req_cons != h->req_prod && h->free_cmds != NULL;
}

void
hba_kick_fetch(struct hba *h)
{
    if (can_fetch(h) && !sim_event_pending(&h->fetch_ev))
        sim_event_schedule(&h->fetch_ev, sim_now());
}

void
hba_doorbell(struct hba *h, uint32_t prod)
{
    h->req_prod = prod;
    if (!(h->status & SIMHBA_STATUS_READY))
        return;
    if (prod - h->req_cons > h->req_size) {
        /* More posted than the ring holds: the driver overwrote slots
         * the device had not read. Stop, as real hardware would. */
        h->status = (h->status & ~SIMHBA_STATUS_READY) | SIMHBA_STATUS_RING_ERROR;
        h->control &= ~SIMHBA_CONTROL_ENABLE;
        hba_intr_raise(h, SIMHBA_INTR_ERROR);
        return;
    }
    hba_kick_fetch(h);
}

static void
fetch_event(struct sim_event *ev)
{
    struct hba *h = (struct hba *)((char *)ev - offsetof(struct hba, fetch_ev));

    while (can_fetch(h)) {
        struct hba_cmd *cmd = h->free_cmds;

        h->free_cmds = cmd->next;
        cmd->next = NULL;
        memcpy(&cmd->d, &h->req_ring[h->req_cons & (h->req_size - 1)],
               sizeof cmd->d);
        h->req_cons++;
        hba_cmd_start(cmd);
    }
}

/* ---------- completions ---------- */

static bool
cmpl_room(const struct hba *h)
{
    return h->cmpl_ring != NULL && h->cmpl_prod - h->cmpl_cons < h->cmpl_size;
}

static void
write_cmpl(struct hba_cmd *cmd)
{
    struct hba *h = cmd->hba;
    enum hba_irq_fault f = cmd->irqf;
    sim_time_t delay = cmd->irq_delay;

    h->cmpl_ring[h->cmpl_prod & (h->cmpl_size - 1)] = cmd->c;
    h->cmpl_prod++;
    hba_stats_completion(cmd);
    hba_trace_device(h, "cmd-complete", cmd->c.tag, cmd->c.status);
    hba_cmd_release(cmd);
    hba_irq_completion(h, f, delay);
    hba_kick_fetch(h);
}

void
hba_cmpl_post(struct hba_cmd *cmd)
{
    struct hba *h = cmd->hba;

    if (h->ovf_head == NULL && cmpl_room(h)) {
        write_cmpl(cmd);
        return;
    }
    /* Keep completion order: once anything waits, everything queues. */
    h->st.cmpl_ring_full++;
    cmd->state = CMD_OVERFLOW;
    cmd->next = NULL;
    if (h->ovf_tail != NULL)
        h->ovf_tail->next = cmd;
    else
        h->ovf_head = cmd;
    h->ovf_tail = cmd;
}

static void
drain_event(struct sim_event *ev)
{
    struct hba *h = (struct hba *)((char *)ev - offsetof(struct hba, drain_ev));

    while (h->ovf_head != NULL && cmpl_room(h)) {
        struct hba_cmd *cmd = h->ovf_head;

        h->ovf_head = cmd->next;
        if (h->ovf_head == NULL)
            h->ovf_tail = NULL;
        write_cmpl(cmd);
    }
}

void
hba_cmpl_consumed(struct hba *h, uint32_t cons)
{
    /* A consumer index ahead of the producer (or too far behind) is a
     * driver bug; ignoring it keeps the ring consistent. */
    if (h->cmpl_prod - cons > h->cmpl_size) {
        h->st.bad_reg_writes++;
        return;
    }
    h->cmpl_cons = cons;
    if (h->ovf_head != NULL && !sim_event_pending(&h->drain_ev))
        sim_event_schedule(&h->drain_ev, sim_now());
}
