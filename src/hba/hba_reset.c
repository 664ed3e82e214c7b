/* hba_reset.c - SIMHBA resets and logical unit changes: bus and adapter resets, LUN removal, power loss. */
/*
 * Interface: hba_reset_start() for the ADAPTER_RESET and BUS_RESET
 * registers and the bus-reset fault; hba_bus_reset(), hba_lun_remove(),
 * hba_lun_arrive() and hba_power_loss() (include/storsim/hba.h) for the
 * command language and the fault rules.
 *
 * A reset (docs/simhba.md section 7) ends every command in flight: each
 * gets a completion with SIMHBA_CS_BUS_RESET when the reset is over, in
 * slot order, before RESET_DONE is raised; dropped commands included, which
 * is how a driver recovers them. Fetching pauses meanwhile (doorbells are
 * remembered). Then every logical unit posts its unit attention: 29/00 for
 * an adapter reset, 29/02 for a bus reset, reported once, by the next
 * command to that LUN. The ring setup survives both kinds; an adapter
 * reset also clears INTR_STATUS, the coalescing registers and a ring error.
 */
#include <errno.h>

#include "hba/hba_int.h"

static void reset_done_event(struct sim_event *ev);
static void arrive_event(struct sim_event *ev);

void
hba_reset_init(struct hba *h)
{
    sim_event_init(&h->reset_ev, reset_done_event, "hba-reset");
}

void
hba_lun_event_init(struct hba_lun *l)
{
    sim_event_init(&l->arrive_ev, arrive_event, "hba-lun-arrive");
}

static bool
in_flight(const struct hba_cmd *c)
{
    return c->state != CMD_FREE && c->state != CMD_OVERFLOW;
}

static void
abort_all(struct hba *h, sim_time_t when)
{
    for (uint32_t i = 0; i < h->cfg.queue_depth; i++) {
        struct hba_cmd *c = &h->cmds[i];

        if (!in_flight(c))
            continue;
        sim_event_cancel(&c->ev);
        c->irqf = IRQF_NONE;
        c->fault = NULL;
        h->st.reset_completions++;
        hba_cmd_finish(c, SIMHBA_CS_BUS_RESET, when);
    }
}

int
hba_reset_start(struct hba *h, bool adapter, bool external)
{
    sim_time_t end = sim_now() + h->cfg.reset_ns;

    if (h->status & SIMHBA_STATUS_RESETTING)
        return -EBUSY;
    h->status |= SIMHBA_STATUS_RESETTING;
    h->reset_adapter = adapter;
    h->reset_external = external;
    if (adapter)
        h->st.adapter_resets++;
    else
        h->st.bus_resets++;
    hba_trace_device(h, adapter ? "adapter-reset" : "bus-reset", external, 0);
    hba_pio_abort_all(h);
    if (adapter) {
        hba_intr_ack(h, SIMHBA_INTR_ALL);
        h->status &= ~SIMHBA_STATUS_RING_ERROR;
        h->coalesce_count = h->cfg.coalesce_count;
        h->coalesce_ns = h->cfg.coalesce_ns;
    }
    /* Same time, scheduled first: the aborted completions are posted
     * before reset_done_event raises RESET_DONE. */
    abort_all(h, end);
    sim_event_schedule(&h->reset_ev, end);
    return 0;
}

static void
reset_done_event(struct sim_event *ev)
{
    struct hba *h = (struct hba *)((char *)ev - offsetof(struct hba, reset_ev));
    enum scsi_disk_reset_kind kind = h->reset_adapter ? SCSI_DISK_RESET_LUN
                                                      : SCSI_DISK_RESET_BUS;
    uint32_t bits = SIMHBA_INTR_RESET_DONE;

    h->status &= ~SIMHBA_STATUS_RESETTING;
    for (size_t i = 0; i < h->nluns; i++)
        scsi_disk_reset(h->luns[i].disk, kind);
    hba_coalesce_flush(h);
    if (h->reset_external)
        bits |= SIMHBA_INTR_BUS_RESET;
    hba_trace_device(h, "reset-done", h->reset_adapter, h->reset_external);
    hba_intr_raise(h, bits);
    hba_kick_fetch(h);
}

int
hba_bus_reset(struct hba *h)
{
    return hba_reset_start(h, false, true);
}

/* ---------- logical units ---------- */

static int
set_present(struct hba *h, unsigned target, unsigned lun, bool present)
{
    struct hba_lun *l = hba_find_lun(h, target, lun);

    if (l == NULL)
        return -ENOENT;
    if (l->present == present)
        return -EALREADY;
    l->present = present;
    if (present)
        scsi_disk_reset(l->disk, SCSI_DISK_RESET_LUN);
    else
        sim_event_cancel(&l->arrive_ev);
    hba_update_report_luns(h, target);
    hba_trace_device(h, present ? "lun-arrive" : "lun-remove",
                     target, lun);
    hba_intr_raise(h, SIMHBA_INTR_LUN_CHANGE);
    return 0;
}

int
hba_lun_remove(struct hba *h, unsigned target, unsigned lun)
{
    return set_present(h, target, lun, false);
}

int
hba_lun_arrive(struct hba *h, unsigned target, unsigned lun)
{
    return set_present(h, target, lun, true);
}

static void
arrive_event(struct sim_event *ev)
{
    struct hba_lun *l = (struct hba_lun *)((char *)ev -
                                           offsetof(struct hba_lun, arrive_ev));

    hba_lun_arrive(l->hba, l->target, l->lun);
}

int64_t
hba_power_loss(struct hba *h, unsigned target, unsigned lun)
{
    struct hba_lun *l = hba_find_lun(h, target, lun);

    if (l == NULL)
        return -ENOENT;
    hba_trace_device(h, "power-loss", target, lun);
    return (int64_t)scsi_disk_power_loss(l->disk);
}
