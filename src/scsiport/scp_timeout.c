/* scp_timeout.c: the port's one-second timer: request timeouts, the bus
 * reset they lead to, the reset hold, and the verifier's check that the
 * adapter has not stalled for want of a NextRequest.
 *
 * Interface: scp_tick_dpc() (the timer's DPC), scp_hold() and
 * scp_hold_dpc() for ResetDetected and the reset after a timeout.
 *
 * The timer is armed only while requests are active or could start (a
 * frozen queue waits for the class driver, not for the timer): one that
 * never stopped would keep the machine from ever going idle.
 */
#include <stdio.h>

#include "scsiport/scp_int.h"

/* ---------- the reset hold ---------- */

/* After a bus reset (requested or detected) no request starts for the
 * hold time, so that the devices can recover. */
void
scp_hold(struct scp_adapter *ad)
{
    sim_lock_acquire(&ad->port_lock, NULL, 0);
    ad->held = true;
    sim_lock_release(&ad->port_lock, NULL, 0);
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_MARK, .arg = ad->params.reset_hold,
        .detail = "reset hold: no request starts until it ends" });
    sim_timer_set(&ad->hold_timer, ad->params.reset_hold);
}

void
scp_hold_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2)
{
    struct scp_adapter *ad = ctx;

    (void)dpc; (void)a1; (void)a2;
    sim_lock_acquire(&ad->port_lock, NULL, 0);
    ad->held = false;
    sim_lock_release(&ad->port_lock, NULL, 0);
    scp_run(ad);
}

/* ---------- timeouts ---------- */

static bool
reset_bus_synchronized(void *ctx)
{
    struct scp_adapter *ad = ctx;
    BOOLEAN ok;

    scp_callback_enter(ad, CB_RESET_BUS, "HwScsiResetBus");
    ok = ad->init.HwResetBus(ad->ext, 0);
    scp_callback_exit(ad);
    return ok;
}

/* A request timed out: reset the bus (HwScsiResetBus, synchronized with
 * the ISR, which must complete what it had), then hold new requests. */
static void
reset_bus(struct scp_adapter *ad, struct port_request *late)
{
    if (!scp_gate_sync_enter(ad))
        return;                      /* the enable callback runs: next tick */
    sim_lock_acquire(&ad->port_lock, NULL, 0);
    ad->held = true;                 /* nothing new starts meanwhile */
    for (int i = 0; i < SCP_MAX_SLOTS; i++) {
        struct port_request *req = ad->slots[i].req;
        if (req != NULL && req->state < PORT_SRB_NOTIFIED &&
            sim_now() >= req->deadline)
            req->resets++;
    }
    sim_lock_release(&ad->port_lock, NULL, 0);
    ad->st.timeouts++;
    ad->st.bus_resets++;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_MARK, .srb = late->id,
        .detail = "request timed out: resetting the bus" });
    sim_sync_execution(&ad->intr, reset_bus_synchronized, ad, NULL, 0);
    scp_gate_sync_exit(ad);
    sim_lock_acquire(&ad->port_lock, NULL, 0);
    ad->ready = true;                /* the reset ended what it had */
    for (int i = 0; i < SCP_MAX_SLOTS; i++) {
        struct port_request *req = ad->slots[i].req;
        if (req != NULL && req->resets > 0)
            req->deadline = sim_now() + ad->params.reset_hold + SIM_SEC(1);
    }
    sim_lock_release(&ad->port_lock, NULL, 0);
    scp_hold(ad);
}

/* Timed out again after its bus reset: the miniport will never complete
 * it. The port ends it, so that nothing hangs. */
static void
give_up(struct scp_adapter *ad, struct port_request *late)
{
    ad->st.timeouts++;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_MARK, .srb = late->id,
        .detail = "the miniport never completed this request: "
                  "the port completes it with SRB_STATUS_TIMEOUT" });
    ((PSCSI_REQUEST_BLOCK)late->srb)->SrbStatus = SRB_STATUS_TIMEOUT;
    scp_record_complete(ad, late->srb);
}

static struct port_request *
find_late(struct scp_adapter *ad)
{
    for (int i = 0; i < SCP_MAX_SLOTS; i++) {
        struct port_request *req = ad->slots[i].req;
        if (req != NULL && req->state >= PORT_SRB_STARTIO &&
            req->state < PORT_SRB_NOTIFIED && sim_now() >= req->deadline)
            return req;
    }
    return NULL;
}

/* ---------- the verifier: a stalled adapter ---------- */

/* Nothing is active, requests wait, and the miniport has not asked for
 * the next one, with nothing left that could make it ask (no timer, no
 * callback, no notification on its way): it forgot NextRequest. Two
 * ticks in a row, so that it has had a whole second. Caller holds
 * port_lock. */
static void
check_stall(struct scp_adapter *ad)
{
    if (ad->ready || ad->active != 0 || ad->sync_busy != 0 || ad->held ||
        ad->callback_running || ad->enable_callback != NULL ||
        ad->idata.pending || ad->timer_due ||
        sim_event_pending(&ad->hw_timer.ev) || !scp_has_startable(ad)) {
        ad->stall_ticks = 0;
        return;
    }
    if (++ad->stall_ticks < 2)
        return;
    sim_set_srb(ad->last_startio);      /* the StartIo that did not ask */
    sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                 PORT_VIOLATION_NO_NEXT_REQUEST, ad->last_startio, ad->queued,
                 0, NULL, 0, "the adapter has stalled: since HwScsiStartIo "
                 "for SRB %u the miniport has not called "
                 "ScsiPortNotification(NextRequest) or NextLuRequest, no "
                 "request is active and %u wait", ad->last_startio,
                 ad->queued);
}

/* The port's one-second tick. */
void
scp_tick_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2)
{
    struct scp_adapter *ad = ctx;
    struct port_request *late;
    bool busy;

    (void)dpc; (void)a1; (void)a2;
    sim_lock_acquire(&ad->port_lock, NULL, 0);
    late = find_late(ad);
    if (late == NULL)
        check_stall(ad);
    busy = scp_needs_tick(ad);
    sim_lock_release(&ad->port_lock, NULL, 0);
    if (late != NULL && late->resets > 0)
        give_up(ad, late);
    else if (late != NULL)
        reset_bus(ad, late);
    if (busy)
        sim_timer_set(&ad->tick, SIM_SEC(1));
    scp_run(ad);
}
