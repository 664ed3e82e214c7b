/* scp_notify.c: ScsiPortNotification and what the port does with it: the
 * interrupt data the miniport's notifications fill, the DPC's snapshot of
 * it, the CallEnableInterrupts / CallDisableInterrupts handshake, the
 * miniport timer (RequestTimerCall), and ScsiPortCompleteRequest.
 *
 * Interface: ScsiPortNotification() and ScsiPortCompleteRequest()
 * (include/wdk/srb.h); scp_process_idata(), scp_try_callback() and
 * scp_try_timer() for scp_run().
 *
 * As in SCSI Port, a notification does nothing at once: it is recorded in
 * the interrupt data, under the interrupt spin lock, and the port's DPC
 * takes a snapshot of it under that lock and acts on it at DISPATCH_LEVEL.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scsiport/scp_int.h"

/* ---------- recording (interrupt lock) ---------- */

/* The interrupt data is guarded by the interrupt lock. Most callers are
 * miniport routines that hold it already; the enable callback and
 * callers outside the miniport do not, so the port takes it for them. */
static bool
idata_lock(struct scp_adapter *ad)
{
    if (sim_lock_held(&ad->intr.lock))
        return false;
    sim_lock_acquire(&ad->intr.lock, NULL, 0);
    return true;
}

static void
idata_unlock(struct scp_adapter *ad, bool took)
{
    if (took)
        sim_lock_release(&ad->intr.lock, NULL, 0);
}

void
scp_queue_dpc_if_pending(struct scp_adapter *ad)
{
    if (ad->idata.pending)
        sim_dpc_queue(&ad->dpc, NULL, NULL);
}

static void
bad_completion(struct scp_adapter *ad, PVOID srb)
{
    PSCSI_REQUEST_BLOCK s = srb;
    struct port_request *orig = s ? s->OriginalRequest : NULL;
    bool twice = orig != NULL && orig->srb == srb &&
                 orig->state >= PORT_SRB_NOTIFIED;

    (void)ad;
    sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                 twice ? PORT_VIOLATION_DOUBLE_COMPLETE
                       : PORT_VIOLATION_UNKNOWN_SRB,
                 (uint64_t)(uintptr_t)srb, orig ? orig->id : 0, 0, NULL, 0,
                 twice ? "ScsiPortNotification(RequestComplete) for SRB %u, "
                         "which was already completed"
                       : "ScsiPortNotification(RequestComplete) for an SRB "
                         "the port never gave the miniport (%u)",
                 orig ? orig->id : 0);
}

/* RequestComplete: check it, then queue it for the DPC. */
void
scp_record_complete(struct scp_adapter *ad, PVOID srb)
{
    struct port_request *req = scp_request_of(ad, srb);
    struct scp_lu *lu;
    bool took;

    /* Only a request the miniport was given (StartIo began) and has not
     * completed yet may be completed. */
    if (req == NULL || req->state < PORT_SRB_STARTIO ||
        req->state >= PORT_SRB_NOTIFIED) {
        bad_completion(ad, srb);
        return;
    }
    if (SRB_STATUS(((PSCSI_REQUEST_BLOCK)srb)->SrbStatus) == SRB_STATUS_PENDING)
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                     PORT_VIOLATION_BAD_STATUS, (uint64_t)(uintptr_t)srb,
                     req->id, 0, NULL, 0, "SRB %u completed with "
                     "SRB_STATUS_PENDING: set its final SrbStatus before "
                     "ScsiPortNotification(RequestComplete)", req->id);
    took = idata_lock(ad);
    port_set_state(req, PORT_SRB_NOTIFIED);
    lu = req->port_lu;
    if (lu != NULL && lu->untagged == req)
        lu->untagged = NULL;
    req->next = NULL;
    if (ad->idata.done_tail != NULL)
        ad->idata.done_tail->next = req;
    else
        ad->idata.done_head = req;
    ad->idata.done_tail = req;
    ad->idata.pending = true;
    idata_unlock(ad, took);
}

static void
record_next_lu(struct scp_adapter *ad, UCHAR path, UCHAR target, UCHAR lun)
{
    struct scp_lu *lu = scp_lu_find(ad, path, target, lun);
    bool took;

    if (lu != NULL && lu->untagged != NULL)
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                     PORT_VIOLATION_UNTAGGED_ACTIVE, path, target, lun, NULL, 0,
                     "ScsiPortNotification(NextLuRequest) for %u:%u:%u while "
                     "its untagged SRB %u is active: an LU takes one untagged "
                     "request at a time; ask with NextRequest", path, target,
                     lun, lu->untagged->id);
    took = idata_lock(ad);
    ad->st.next_lu_requests++;
    ad->idata.next_request = true;   /* NextLuRequest implies NextRequest */
    if (lu != NULL)
        ad->idata.next_lu |= 1ull << lu->index;
    ad->idata.pending = true;
    idata_unlock(ad, took);
}

static void
record_enable(struct scp_adapter *ad, PHW_INTERRUPT callback)
{
    bool took;

    if (callback == NULL)
        scp_wrong_place("ScsiPortNotification(CallEnableInterrupts)",
                        "the callback routine is NULL");
    took = idata_lock(ad);
    if (ad->isr_blocked)
        scp_wrong_place("ScsiPortNotification(CallEnableInterrupts)",
                        "an earlier CallEnableInterrupts has not yet ended "
                        "with CallDisableInterrupts");
    /* The ISR is held off from now until the disable callback has run:
     * the interrupt is masked at the controller, so it stays pending. */
    ad->isr_blocked = true;
    sim_interrupt_mask(&ad->intr, true);
    ad->idata.enable_callback = callback;
    ad->idata.pending = true;
    idata_unlock(ad, took);
}

static void
record_disable(struct scp_adapter *ad, PHW_INTERRUPT callback)
{
    if (scp_current_callback(ad) != CB_ENABLE_INTERRUPTS)
        scp_wrong_place("ScsiPortNotification(CallDisableInterrupts)",
                        "only the HwScsiEnableInterruptsCallback routine may "
                        "ask for it");
    if (callback == NULL)
        scp_wrong_place("ScsiPortNotification(CallDisableInterrupts)",
                        "the callback routine is NULL");
    ad->disable_callback = callback;
}

static void
record_flag(struct scp_adapter *ad, SCSI_NOTIFICATION_TYPE type)
{
    bool took = idata_lock(ad);

    if (type == NextRequest) {
        ad->st.next_requests++;
        ad->idata.next_request = true;
    } else {
        ad->st.resets_detected++;
        ad->idata.reset_detected = true;
    }
    ad->idata.pending = true;
    idata_unlock(ad, took);
}

static void
record_timer(struct scp_adapter *ad, PHW_TIMER routine, ULONG usecs)
{
    bool took = idata_lock(ad);

    ad->idata.timer_request = true;
    ad->idata.timer_routine = routine;
    ad->idata.timer_usecs = usecs;
    ad->idata.pending = true;
    idata_unlock(ad, took);
}

static void
notify(struct scp_adapter *ad, SCSI_NOTIFICATION_TYPE type, va_list ap)
{
    switch (type) {
    case RequestComplete:
        scp_record_complete(ad, va_arg(ap, PVOID));
        break;
    case NextRequest:
    case ResetDetected:
        record_flag(ad, type);
        break;
    case NextLuRequest: {
        UCHAR p = (UCHAR)va_arg(ap, int), t = (UCHAR)va_arg(ap, int);
        record_next_lu(ad, p, t, (UCHAR)va_arg(ap, int));
        break;
    }
    case CallEnableInterrupts:
        record_enable(ad, va_arg(ap, PHW_INTERRUPT));
        break;
    case CallDisableInterrupts:
        record_disable(ad, va_arg(ap, PHW_INTERRUPT));
        break;
    case RequestTimerCall: {
        PHW_TIMER routine = va_arg(ap, PHW_TIMER);
        record_timer(ad, routine, va_arg(ap, ULONG));
        break;
    }
    case QueryTickCount: {
        PLARGE_INTEGER ticks = va_arg(ap, PLARGE_INTEGER);
        ticks->QuadPart = (LONGLONG)(sim_now() / 15625000u);  /* 15.625 ms */
        break;
    }
    case BusChangeDetected:
    case WMIEvent:
    case WMIReregister:
    case LinkUp:
    case LinkDown:
    case BufferOverrunDetected:
    case TraceNotification:
        break;   /* recorded in the trace; nothing to simulate */
    default:
        scp_wrong_place("ScsiPortNotification",
                        "not a SCSI Port notification type (a Storport-only "
                        "value?)");
    }
}

VOID
ScsiPortNotification(SCSI_NOTIFICATION_TYPE NotificationType,
                     PVOID HwDeviceExtension, ...)
{
    struct scp_adapter *ad = scp_from_ext(HwDeviceExtension,
                                          "ScsiPortNotification");
    va_list ap;

    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_NOTIFY, .arg = NotificationType,
        .detail = "ScsiPortNotification" });
    sim_work(ad->params.cost.library_call, NULL, 0);
    va_start(ap, HwDeviceExtension);
    notify(ad, NotificationType, ap);
    va_end(ap);
    /* Miniport routines the port wraps queue the DPC when they return;
     * anyone else gets it queued now. */
    if (scp_current_callback(ad) == CB_NONE)
        scp_queue_dpc_if_pending(ad);
}

/* ---------- the DPC's side ---------- */

static bool
take_idata(void *ctx)
{
    struct scp_adapter *ad = ((void **)ctx)[0];
    struct scp_idata *snap = ((void **)ctx)[1];

    *snap = ad->idata;
    memset(&ad->idata, 0, sizeof ad->idata);
    return true;
}

static void
apply_timer(struct scp_adapter *ad, const struct scp_idata *s)
{
    if (!s->timer_request)
        return;
    if (s->timer_routine == NULL || s->timer_usecs == 0) {
        sim_timer_cancel(&ad->hw_timer);   /* a zero time cancels */
        ad->hw_timer_routine = NULL;
        return;
    }
    ad->hw_timer_routine = s->timer_routine;   /* a new request replaces */
    sim_timer_set(&ad->hw_timer, SIM_US(s->timer_usecs));
}

/* Settle the completed requests and the flags; caller holds port_lock.
 * Requests to finish now are returned in *finish. */
static void
apply_locked(struct scp_adapter *ad, const struct scp_idata *s,
             struct port_request **finish)
{
    struct port_request *req = s->done_head, **tail = finish;

    while (req != NULL) {
        struct port_request *next = req->next;
        req->next = NULL;
        if (scp_settle(ad, req)) {
            *tail = req;
            tail = &req->next;
        }
        req = next;
    }
    if (s->next_request)
        ad->ready = true;
    for (int i = 0; i < SCP_MAX_LUS; i++)
        if (s->next_lu >> i & 1)
            ad->lus[i].lu_ready = true;
    if (s->enable_callback != NULL)
        ad->enable_callback = s->enable_callback;
}

void
scp_process_idata(struct scp_adapter *ad)
{
    struct scp_idata snap;
    void *args[2] = { ad, &snap };
    struct port_request *finish = NULL;

    sim_sync_execution(&ad->intr, take_idata, args, NULL, 0);
    if (!snap.pending)
        return;
    for (struct port_request *r = snap.done_head; r != NULL; r = r->next)
        port_set_state(r, PORT_SRB_DPC);
    sim_lock_acquire(&ad->port_lock, NULL, 0);
    apply_locked(ad, &snap, &finish);
    sim_lock_release(&ad->port_lock, NULL, 0);
    if (snap.reset_detected)
        scp_hold(ad);
    apply_timer(ad, &snap);
    while (finish != NULL) {
        struct port_request *req = finish;
        finish = req->next;
        scp_finish(ad, req);
    }
}

/* ---------- CallEnableInterrupts / CallDisableInterrupts ---------- */

static bool
disable_synchronized(void *ctx)
{
    struct scp_adapter *ad = ctx;
    PHW_INTERRUPT callback = ad->disable_callback;

    ad->disable_callback = NULL;
    scp_callback_enter(ad, CB_DISABLE_INTERRUPTS,
                       "HwScsiDisableInterruptsCallback");
    callback(ad->ext);
    scp_callback_exit(ad);
    ad->isr_blocked = false;
    return true;
}

/* Seed 003: the callback runs with system interrupts enabled (here at
 * DISPATCH_LEVEL, from the port's DPC) while the adapter's ISR is held
 * off; it ends with CallDisableInterrupts, whose routine the port then
 * runs synchronized with the ISR before letting the ISR in again. */
static void
run_enable_callback(struct scp_adapter *ad, PHW_INTERRUPT callback)
{
    ad->st.enable_callbacks++;
    ad->disable_callback = NULL;
    scp_callback_enter(ad, CB_ENABLE_INTERRUPTS,
                       "HwScsiEnableInterruptsCallback");
    callback(ad->ext);
    /* Checked while the callback is still the current routine, so that
     * the report names it and its last line. */
    if (ad->disable_callback == NULL)
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                     PORT_VIOLATION_NO_DISABLE, 0, 0, 0, NULL, 0,
                     "HwScsiEnableInterruptsCallback returned without "
                     "ScsiPortNotification(CallDisableInterrupts): the "
                     "adapter's ISR would stay blocked");
    scp_callback_exit(ad);
    sim_sync_execution(&ad->intr, disable_synchronized, ad, NULL, 0);
    sim_interrupt_mask(&ad->intr, false);   /* pending interrupts come in */
}

bool
scp_try_callback(struct scp_adapter *ad)
{
    PHW_INTERRUPT callback = NULL;

    if (ad->enable_callback == NULL)   /* a hint; taken under port_lock */
        return false;
    sim_lock_acquire(&ad->port_lock, NULL, 0);
    if (ad->enable_callback != NULL && ad->sync_busy == 0 &&
        !ad->callback_running) {
        callback = ad->enable_callback;
        ad->enable_callback = NULL;
        ad->callback_running = true;
    }
    sim_lock_release(&ad->port_lock, NULL, 0);
    if (callback == NULL)
        return false;
    run_enable_callback(ad, callback);
    sim_lock_acquire(&ad->port_lock, NULL, 0);
    ad->callback_running = false;
    sim_lock_release(&ad->port_lock, NULL, 0);
    return true;
}

/* ---------- the miniport timer ---------- */

static bool
timer_synchronized(void *ctx)
{
    struct scp_adapter *ad = ctx;
    PHW_TIMER routine = ad->hw_timer_routine;

    ad->hw_timer_routine = NULL;       /* one-shot; it may ask again */
    ad->st.timer_calls++;
    scp_callback_enter(ad, CB_TIMER, "HwScsiTimer");
    routine(ad->ext);
    scp_callback_exit(ad);
    scp_queue_dpc_if_pending(ad);
    return true;
}

/* HwScsiTimer runs synchronized with the ISR, but not while the enable
 * callback runs (the gate); then it waits for the callback to end. */
bool
scp_try_timer(struct scp_adapter *ad)
{
    if (!ad->timer_due)
        return false;
    if (!scp_gate_sync_enter(ad))
        return false;
    ad->timer_due = false;
    if (ad->hw_timer_routine != NULL)
        sim_sync_execution(&ad->intr, timer_synchronized, ad, NULL, 0);
    scp_gate_sync_exit(ad);
    return true;
}

void
scp_hw_timer_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2)
{
    struct scp_adapter *ad = ctx;

    (void)dpc; (void)a1; (void)a2;
    ad->timer_due = true;
    scp_run(ad);
}

/* ---------- ScsiPortCompleteRequest ---------- */

static bool
address_matches(const PSCSI_REQUEST_BLOCK srb, UCHAR path, UCHAR target,
                UCHAR lun)
{
    return (path == SP_UNTAGGED || srb->PathId == path) &&
           (target == SP_UNTAGGED || srb->TargetId == target) &&
           (lun == SP_UNTAGGED || srb->Lun == lun);
}

VOID
ScsiPortCompleteRequest(PVOID HwDeviceExtension, UCHAR PathId, UCHAR TargetId,
                        UCHAR Lun, UCHAR SrbStatus)
{
    struct scp_adapter *ad = scp_from_ext(HwDeviceExtension,
                                          "ScsiPortCompleteRequest");

    scp_library_call(ad, "ScsiPortCompleteRequest");
    for (int i = 0; i < SCP_MAX_SLOTS; i++) {
        struct port_request *req = ad->slots[i].req;
        PSCSI_REQUEST_BLOCK srb = req ? req->srb : NULL;
        /* Slots are port_lock's, which a routine at DIRQL cannot take:
         * the state, set under the interrupt lock, says which requests
         * the miniport holds. */
        if (srb == NULL || req->state < PORT_SRB_STARTIO ||
            req->state >= PORT_SRB_NOTIFIED ||
            !address_matches(srb, PathId, TargetId, Lun))
            continue;
        srb->SrbStatus = SrbStatus;
        scp_record_complete(ad, srb);
    }
    if (scp_current_callback(ad) == CB_NONE)
        scp_queue_dpc_if_pending(ad);
}
