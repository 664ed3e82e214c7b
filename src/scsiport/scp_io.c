/* scp_io.c: the SCSI Port request path: accepting requests, the per-LU
 * queues sorted by QueueSortKey, starting one request at a time through
 * HwScsiStartIo, and the loop that the port's DPC runs.
 *
 * Interface: scp_submit() is the adapter's port_ops.submit; scp_run() is
 * the body of the port's DPC and of every submit; the rest is shared with
 * the other scp_*.c files.
 *
 * The pull model (seed 004, "SCSI Port I/O model"): requests from above
 * are queued at once, asynchronously; the port calls HwScsiStartIo at
 * DIRQL holding the interrupt spin lock (KeSynchronizeExecution), one
 * request at a time, and then starts nothing more until the miniport says
 * it is ready with ScsiPortNotification(NextRequest) or NextLuRequest.
 * Which request comes next: the logical units take turns; within one, an
 * elevator over QueueSortKey (the LBA) takes the first key at or after
 * the last one started, wrapping around, as KeRemoveByKeyDeviceQueue does.
 */
#include <stdio.h>
#include <string.h>

#include "scsiport/scp_int.h"

bool
scp_is_tagged(const struct port_request *req)
{
    return (((PSCSI_REQUEST_BLOCK)req->srb)->SrbFlags &
            SRB_FLAGS_QUEUE_ACTION_ENABLE) != 0;
}

/* The request of an SRB the miniport names, if the port gave it a slot.
 * Called at DIRQL under the interrupt lock, so without port_lock: a slot
 * cannot change hands while the miniport holds the request in it. */
struct port_request *
scp_request_of(struct scp_adapter *ad, PVOID srb)
{
    struct port_request *req = srb ? ((PSCSI_REQUEST_BLOCK)srb)->OriginalRequest
                                   : NULL;

    if (req == NULL || req->port_slot >= SCP_MAX_SLOTS ||
        ad->slots[req->port_slot].req != req || req->srb != srb)
        return NULL;
    return req;
}

/* Requests wait in a queue that is not frozen. Caller holds port_lock. */
bool
scp_has_startable(const struct scp_adapter *ad)
{
    if (ad->queued == 0)
        return false;
    for (int i = 0; i < SCP_MAX_LUS; i++) {
        const struct scp_lu *lu = &ad->lus[i];
        if (lu->used && lu->head != NULL &&
            (!lu->frozen || lu->sense_for != NULL))
            return true;
    }
    return false;
}

/* The one-second timer has work: active requests to time, or waiting
 * ones whose start it must watch for. Caller holds port_lock. */
bool
scp_needs_tick(const struct scp_adapter *ad)
{
    return ad->active > 0 || ad->done_head != NULL || scp_has_startable(ad);
}

void
scp_arm_tick(struct scp_adapter *ad)
{
    if (!sim_event_pending(&ad->tick.ev))
        sim_timer_set(&ad->tick, SIM_SEC(1));
}

/* ---------- the gate (see scp_int.h) ---------- */

bool
scp_gate_sync_enter(struct scp_adapter *ad)
{
    bool ok;

    sim_lock_acquire(&ad->port_lock, NULL, 0);
    ok = !ad->callback_running;
    if (ok)
        ad->sync_busy++;
    sim_lock_release(&ad->port_lock, NULL, 0);
    return ok;
}

void
scp_gate_sync_exit(struct scp_adapter *ad)
{
    sim_lock_acquire(&ad->port_lock, NULL, 0);
    ad->sync_busy--;
    sim_lock_release(&ad->port_lock, NULL, 0);
}

/* ---------- the LU queues (port_lock) ---------- */

static ULONG
sort_key(const struct port_request *req)
{
    return ((PSCSI_REQUEST_BLOCK)req->srb)->QueueSortKey;
}

/* Insert after every request with a key not above this one's, so that
 * equal keys keep their arrival order. Caller holds port_lock. */
void
scp_enqueue(struct scp_adapter *ad, struct scp_lu *lu, struct port_request *req)
{
    struct port_request **pp = &lu->head;

    while (*pp != NULL && sort_key(*pp) <= sort_key(req))
        pp = &(*pp)->next;
    req->next = *pp;
    *pp = req;
    ad->queued++;
}

static bool
may_start_on(const struct scp_adapter *ad, const struct scp_lu *lu,
             const struct port_request *req)
{
    if (lu->sense_for != NULL)         /* only the port's REQUEST SENSE */
        return lu->sense != NULL && req == &lu->sense->req && lu->active == 0;
    if (lu->frozen && !(((PSCSI_REQUEST_BLOCK)req->srb)->SrbFlags &
                        SRB_FLAGS_BYPASS_FROZEN_QUEUE))
        return false;
    if (lu->active == 0)
        return true;
    /* Busy: only another tagged request, only after NextLuRequest, and
     * never next to an untagged one. */
    return scp_is_tagged(req) && lu->lu_ready && lu->active_untagged == 0 &&
           ad->config.MultipleRequestPerLu;
}

/* The request the elevator would take from this LU, or NULL. */
static struct port_request **
elevator_pick(const struct scp_adapter *ad, struct scp_lu *lu)
{
    struct port_request **pp, **first = NULL;

    for (pp = &lu->head; *pp != NULL; pp = &(*pp)->next) {
        bool bypass = lu->frozen || lu->sense_for != NULL;
        if (bypass) {                  /* frozen: queue order, bypassers only */
            if (may_start_on(ad, lu, *pp))
                return pp;
            continue;
        }
        if (first == NULL)
            first = pp;
        if (sort_key(*pp) >= lu->cursor)
            return may_start_on(ad, lu, *pp) ? pp : NULL;
    }
    return first != NULL && may_start_on(ad, lu, *first) ? first : NULL;
}

/* Take the next request to start and give it a slot. Caller holds
 * port_lock and has checked that the adapter is ready. */
static struct port_request *
take_next(struct scp_adapter *ad)
{
    for (int k = 0; k < SCP_MAX_LUS; k++) {
        int i = (ad->next_lu + k) % SCP_MAX_LUS;
        struct scp_lu *lu = &ad->lus[i];
        struct port_request **pp, *req;
        struct scp_slot *slot;

        if (!lu->used || lu->head == NULL ||
            (pp = elevator_pick(ad, lu)) == NULL)
            continue;
        req = *pp;
        *pp = req->next;
        req->next = NULL;
        ad->queued--;
        slot = ad->free_slots;
        ad->free_slots = slot->next_free;
        slot->req = req;
        req->port_slot = (uint32_t)(slot - ad->slots);
        lu->cursor = sort_key(req);
        lu->active++;
        if (!scp_is_tagged(req))
            lu->active_untagged++;
        lu->lu_ready = false;
        ad->active++;
        ad->next_lu = (i + 1) % SCP_MAX_LUS;
        return req;
    }
    return NULL;
}

/* ---------- starting a request ---------- */

static void
prepare(struct scp_adapter *ad, struct port_request *req)
{
    PSCSI_REQUEST_BLOCK srb = req->srb;
    ULONG secs = srb->TimeOutValue;

    srb->SrbExtension = ad->slots[req->port_slot].srb_extension;
    srb->QueueTag = scp_is_tagged(req) ? (UCHAR)(req->port_slot + 1)
                                       : SP_UNTAGGED;
    srb->SrbStatus = SRB_STATUS_PENDING;
    /* SCSI Port maps every buffer: DataBuffer stays the class driver's
     * virtual address, so PIO can use it directly. */
    req->deadline = sim_now() + SIM_SEC(secs ? secs : 10);
}

struct startio_call {
    struct scp_adapter *ad;
    struct port_request *req;
};

static bool
startio_synchronized(void *ctx)
{
    struct startio_call *c = ctx;
    struct scp_adapter *ad = c->ad;
    struct port_request *req = c->req;
    struct scp_lu *lu = req->port_lu;

    if (!scp_is_tagged(req))
        lu->untagged = req;            /* for ScsiPortGetSrb(SP_UNTAGGED) */
    ad->st.startios++;
    ad->last_startio = req->id;
    port_set_state(req, PORT_SRB_STARTIO);
    scp_callback_enter(ad, CB_STARTIO, "HwScsiStartIo");
    ad->init.HwStartIo(ad->ext, req->srb);
    scp_callback_exit(ad);
    if (req->state == PORT_SRB_STARTIO)
        port_set_state(req, PORT_SRB_ON_HBA);
    return true;
}

/* Start one request if the miniport is ready for one. Called at
 * DISPATCH_LEVEL with no lock held. */
static bool
start_one(struct scp_adapter *ad)
{
    struct startio_call c = { ad, NULL };

    sim_lock_acquire(&ad->port_lock, NULL, 0);
    if (ad->ready && !ad->held && !ad->callback_running &&
        ad->free_slots != NULL && ad->queued > 0 &&
        (c.req = take_next(ad)) != NULL) {
        ad->ready = false;             /* until NextRequest / NextLuRequest */
        ad->sync_busy++;               /* the gate: StartIo is under way */
    }
    sim_lock_release(&ad->port_lock, NULL, 0);
    if (c.req == NULL)
        return false;
    sim_set_srb(c.req->id);
    prepare(ad, c.req);
    scp_arm_tick(ad);
    sim_sync_execution(&ad->intr, startio_synchronized, &c, NULL, 0);
    sim_set_srb(0);
    scp_gate_sync_exit(ad);
    return true;
}

/* ---------- the port's DPC ---------- */

static bool
complete_port_done(struct scp_adapter *ad)
{
    struct port_request *list;

    if (ad->done_head == NULL)       /* a hint; the list is taken locked */
        return false;
    sim_lock_acquire(&ad->port_lock, NULL, 0);
    list = ad->done_head;
    ad->done_head = ad->done_tail = NULL;
    sim_lock_release(&ad->port_lock, NULL, 0);
    while (list != NULL) {
        struct port_request *req = list;
        list = req->next;
        scp_finish(ad, req);
    }
    return true;
}

static void
maybe_stop_tick(struct scp_adapter *ad)
{
    bool idle;

    sim_lock_acquire(&ad->port_lock, NULL, 0);
    idle = !scp_needs_tick(ad);
    sim_lock_release(&ad->port_lock, NULL, 0);
    if (idle)
        sim_timer_cancel(&ad->tick);
}

/* After an enable callback: whatever is left goes to a fresh DPC. */
static void
requeue_if_work(struct scp_adapter *ad)
{
    bool work;

    sim_lock_acquire(&ad->port_lock, NULL, 0);
    work = ad->done_head != NULL || (ad->ready && scp_has_startable(ad));
    sim_lock_release(&ad->port_lock, NULL, 0);
    if (work || ad->idata.pending)
        sim_dpc_queue(&ad->dpc, NULL, NULL);
}

/* Carry out what the miniport said, finish requests, run a deferred
 * timer, start requests; until nothing is left to do. At DISPATCH_LEVEL,
 * no lock held. Several CPUs may run it at once: every piece of state it
 * touches is under port_lock or the interrupt lock.
 *
 * An enable-interrupts callback ends the pass: it may keep the CPU busy
 * for a long time, and the next one comes with an interrupt of its own,
 * whose DPC runs it (on whichever CPU took the interrupt). What is left
 * (what the callback itself said, requests to start) goes to a fresh DPC. */
void
scp_run(struct scp_adapter *ad)
{
    bool progress;

    do {
        progress = false;
        if (ad->idata.pending) {       /* a hint; the snapshot is locked */
            scp_process_idata(ad);
            progress = true;
        }
        progress |= complete_port_done(ad);
        if (scp_try_callback(ad)) {
            requeue_if_work(ad);
            break;
        }
        progress |= scp_try_timer(ad);
        progress |= start_one(ad);
    } while (progress);
    maybe_stop_tick(ad);
}

void
scp_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2)
{
    (void)dpc; (void)a1; (void)a2;
    scp_run(ctx);
}

/* ---------- accepting requests ---------- */

/* Requests the port ends itself go through the DPC, as a completion
 * from the miniport would. */
void
scp_end_by_port(struct scp_adapter *ad, struct port_request *req, UCHAR status)
{
    ((PSCSI_REQUEST_BLOCK)req->srb)->SrbStatus = status;
    port_set_state(req, PORT_SRB_NOTIFIED);
    sim_lock_acquire(&ad->port_lock, NULL, 0);
    req->next = NULL;
    if (ad->done_tail != NULL)
        ad->done_tail->next = req;
    else
        ad->done_head = req;
    ad->done_tail = req;
    sim_lock_release(&ad->port_lock, NULL, 0);
    sim_dpc_queue(&ad->dpc, NULL, NULL);
}

/* Tagging is the port's decision (the class layer asks for a simple tag
 * in QueueAction): tagged when the miniport said TaggedQueuing and the
 * request is a SCSI command with a queue action. */
static void
decide_tagging(struct scp_adapter *ad, PSCSI_REQUEST_BLOCK srb)
{
    bool tag = ad->config.TaggedQueuing &&
               srb->Function == SRB_FUNCTION_EXECUTE_SCSI &&
               srb->QueueAction >= SRB_SIMPLE_TAG_REQUEST &&
               srb->QueueAction <= SRB_ORDERED_QUEUE_TAG_REQUEST;

    if (tag)
        srb->SrbFlags |= SRB_FLAGS_QUEUE_ACTION_ENABLE;
    else
        srb->SrbFlags &= ~(ULONG)SRB_FLAGS_QUEUE_ACTION_ENABLE;
}

int
scp_submit(struct port_adapter *pa, struct port_request *req)
{
    struct scp_adapter *ad = (struct scp_adapter *)pa;
    PSCSI_REQUEST_BLOCK srb = req->srb;
    sim_irql_t old = sim_irql();

    if (old < DISPATCH_LEVEL)
        sim_irql_raise(DISPATCH_LEVEL, NULL, 0);
    sim_set_srb(req->id);
    sim_work(ad->params.cost.submit, NULL, 0);
    req->port_slot = UINT32_MAX;
    req->next = NULL;
    sim_lock_acquire(&ad->port_lock, NULL, 0);
    req->port_lu = srb->Function == SRB_FUNCTION_STORAGE_REQUEST_BLOCK
                       ? NULL
                       : scp_lu_get(ad, srb->PathId, srb->TargetId, srb->Lun);
    sim_lock_release(&ad->port_lock, NULL, 0);
    if (!scp_port_function(ad, req)) {
        srb->OriginalRequest = req;
        decide_tagging(ad, srb);
        /* The state first: once queued, another CPU may start it at once. */
        port_set_state(req, PORT_SRB_QUEUED);
        sim_lock_acquire(&ad->port_lock, NULL, 0);
        scp_enqueue(ad, req->port_lu, req);
        sim_lock_release(&ad->port_lock, NULL, 0);
        scp_arm_tick(ad);
        scp_run(ad);
    }
    sim_set_srb(0);
    if (old < DISPATCH_LEVEL)
        sim_irql_lower(old, NULL, 0);
    return 0;
}
