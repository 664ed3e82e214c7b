/* sp_timeout.c: the Storport port's one-second timer (request timeouts,
 * then HwStorResetBus and the reset hold), pauses, completing the requests
 * of an address, and the miniport's RequestTimerCall timer.
 *
 * Interface: sp_tick_dpc(), sp_hold(), sp_hold_dpc(), sp_pause_lu_dpc(),
 * sp_complete_matching(), sp_hw_timer_dpc() (declared in sp_int.h).
 */
#include <stdio.h>
#include <string.h>

#include "storport/sp_int.h"
#include "storsim/verifier.h"

/* ---------- timeouts, resets, holds ---------- */

static bool
reset_bus_synchronized(void *ctx)
{
    struct sp_adapter *ad = ctx;
    BOOLEAN ok;

    sp_callback_enter(ad, CB_RESET_BUS, "HwStorResetBus");
    ok = ad->init.HwResetBus(ad->ext, 0);
    sp_callback_exit(ad);
    return ok;
}

static void
reset_bus(struct sp_adapter *ad)
{
    ad->resets++;
    sim_lock_acquire(&ad->startio_lock, NULL, 0);
    if (ad->full_duplex)
        reset_bus_synchronized(ad);
    else
        sim_sync_execution(&ad->intr, reset_bus_synchronized, ad, NULL, 0);
    sim_lock_release(&ad->startio_lock, NULL, 0);
    sp_hold(ad, SIM_US(ad->config.BusResetHoldTime));
}

/* The port's one-second tick, armed while requests are outstanding: a
 * request past its TimeOutValue escalates to HwStorResetBus. */
void
sp_tick_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2)
{
    struct sp_adapter *ad = ctx;
    struct port_request *late = NULL;

    (void)dpc; (void)a1; (void)a2;
    for (uint32_t i = 0; i < ad->nslots && late == NULL; i++) {
        struct port_request *req = ad->dispatched[i];
        if (req != NULL && req->state < PORT_SRB_NOTIFIED &&
            sim_now() >= req->deadline)
            late = req;
    }
    if (late != NULL && late->resets > 0) {
        /* Timed out again after its bus reset: the miniport will never
         * complete it (HwStorBuildIo returned FALSE without completing
         * it, or it lost the SRB). The port ends it so nothing hangs. */
        ad->timeouts++;
        sim_trace_emit(&(struct sim_trace_args){
            .kind = SIM_EV_MARK, .srb = late->id,
            .detail = "the miniport never completed this request: "
                      "the port completes it with SRB_STATUS_TIMEOUT" });
        SrbSetSrbStatus(late->srb, SRB_STATUS_TIMEOUT);
        port_set_state(late, PORT_SRB_NOTIFIED);
        sp_to_completion_dpc(ad, late);
        late = NULL;
    }
    if (late != NULL) {
        ad->timeouts++;
        if (late->buildio_false)
            verifier_hit("buildio-false-no-complete", late->id, "SRB %u: "
                         "HwStorBuildIo returned FALSE %.3f s ago and nobody "
                         "completed it", late->id,
                         (double)(sim_now() - late->submitted) / 1e9);
        else if (ad->params.hw.tag_busy == NULL ||
                 !ad->params.hw.tag_busy(ad->params.hw.dev, late->port_slot))
            verifier_hit("srb-timeout", late->id, "SRB %u was not completed "
                         "within its TimeOutValue of %u s, and the adapter "
                         "no longer has it: the miniport lost it", late->id,
                         (unsigned)SrbGetTimeOutValue(late->srb));
        /* else the device holds it (a lost command): the reset is the
         * documented recovery, and the miniport did nothing wrong. */
        for (uint32_t i = 0; i < ad->nslots; i++)
            if (ad->dispatched[i] != NULL &&
                ad->dispatched[i]->state < PORT_SRB_NOTIFIED &&
                sim_now() >= ad->dispatched[i]->deadline)
                ad->dispatched[i]->resets++;
        sim_trace_emit(&(struct sim_trace_args){
            .kind = SIM_EV_MARK, .srb = late->id,
            .detail = "request timed out: resetting the bus" });
        reset_bus(ad);
        for (uint32_t i = 0; i < ad->nslots; i++)
            if (ad->dispatched[i] != NULL && ad->dispatched[i]->resets > 0)
                ad->dispatched[i]->deadline = sim_now() +
                    SIM_US(ad->config.BusResetHoldTime) + SIM_SEC(1);
    }
    if (ad->outstanding > 0)
        sim_timer_set(&ad->tick, SIM_SEC(1));
}

void
sp_hold(struct sp_adapter *ad, sim_time_t how_long)
{
    ad->paused = true;
    sim_timer_set(&ad->hold_timer, how_long);
}

void
sp_hold_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2)
{
    struct sp_adapter *ad = ctx;

    (void)dpc; (void)a1; (void)a2;
    ad->paused = false;
    sp_start_io(ad);
}

void
sp_pause_lu_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2)
{
    struct sp_lu *lu = ctx;

    (void)dpc; (void)a1; (void)a2;
    lu->paused = false;
    sp_start_io(lu->ad);
}

static bool
address_matches(const struct port_request *req, UCHAR path, UCHAR target,
                UCHAR lun)
{
    PVOID srb = req->srb;

    return (path == SP_UNTAGGED || SrbGetPathId(srb) == path) &&
           (target == SP_UNTAGGED || SrbGetTargetId(srb) == target) &&
           (lun == SP_UNTAGGED || SrbGetLun(srb) == lun);
}

void
sp_complete_matching(struct sp_adapter *ad, UCHAR path, UCHAR target,
                     UCHAR lun, UCHAR status)
{
    for (uint32_t i = 0; i < ad->nslots; i++) {
        struct port_request *req = ad->dispatched[i];
        if (req == NULL || req->state >= PORT_SRB_NOTIFIED ||
            !address_matches(req, path, target, lun))
            continue;
        SrbSetSrbStatus(req->srb, status);
        sp_request_complete(ad, req->srb);
    }
}

static bool
timer_synchronized(void *ctx)
{
    struct sp_adapter *ad = ctx;
    PHW_TIMER routine = ad->hw_timer_routine;

    sp_callback_enter(ad, CB_TIMER, "HwStorTimer");
    routine(ad->ext);
    sp_callback_exit(ad);
    return true;
}

/* RequestTimerCall expired: HwStorTimer runs holding the StartIo lock,
 * and the interrupt lock too in half duplex. */
void
sp_hw_timer_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2)
{
    struct sp_adapter *ad = ctx;

    (void)dpc; (void)a1; (void)a2;
    if (ad->hw_timer_routine == NULL)
        return;
    sim_lock_acquire(&ad->startio_lock, NULL, 0);
    if (ad->full_duplex)
        timer_synchronized(ad);
    else
        sim_sync_execution(&ad->intr, timer_synchronized, ad, NULL, 0);
    sim_lock_release(&ad->startio_lock, NULL, 0);
}
