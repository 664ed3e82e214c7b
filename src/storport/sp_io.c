/* sp_io.c: the Storport request path: accepting requests, per-LU queues,
 * dispatch through HwStorBuildIo and HwStorStartIo, completion in the
 * port's DPC, BUSY reissue. Timeouts, resets and holds are in
 * sp_timeout.c.
 *
 * Interface: sp_submit() is the adapter's port_ops.submit; the rest is
 * used by the library routines in sp_api.c.
 *
 * The push model: a submitting CPU dispatches its own request at once if
 * the adapter and the LU have room, so HwStorBuildIo runs on every
 * submitting CPU concurrently, holding no lock. Requests that find no room
 * wait in their LU's queue and are dispatched by whichever CPU frees room
 * (a completion DPC).
 */
#include <stdio.h>
#include <string.h>

#include "storport/sp_int.h"
#include "storsim/verifier.h"

static bool
is_read_write(PVOID srb)
{
    PCDB cdb = SrbGetCdb(srb);

    if (SrbGetSrbFunction(srb) != SRB_FUNCTION_EXECUTE_SCSI || cdb == NULL)
        return false;
    switch (cdb->AsByte[0]) {
    case SCSIOP_READ6: case SCSIOP_WRITE6:
    case SCSIOP_READ: case SCSIOP_WRITE:
    case SCSIOP_READ12: case SCSIOP_WRITE12:
    case SCSIOP_READ16: case SCSIOP_WRITE16:
        return true;
    default:
        return false;
    }
}

static void
set_original(PVOID srb, struct port_request *req)
{
    if (SrbGetSrbFunction(srb) == SRB_FUNCTION_STORAGE_REQUEST_BLOCK ||
        ((PSCSI_REQUEST_BLOCK)srb)->Function ==
            SRB_FUNCTION_STORAGE_REQUEST_BLOCK)
        ((PSTORAGE_REQUEST_BLOCK)srb)->OriginalRequest = req;
    else
        ((PSCSI_REQUEST_BLOCK)srb)->OriginalRequest = req;
}

static bool
is_srb_ex(PVOID srb)
{
    return ((PSCSI_REQUEST_BLOCK)srb)->Function ==
           SRB_FUNCTION_STORAGE_REQUEST_BLOCK;
}

static void
set_extension(PVOID srb, void *ext)
{
    if (is_srb_ex(srb))
        ((PSTORAGE_REQUEST_BLOCK)srb)->MiniportContext = ext;
    else
        ((PSCSI_REQUEST_BLOCK)srb)->SrbExtension = ext;
}

static void
set_queue_tag(PVOID srb, uint32_t tag)
{
    if (is_srb_ex(srb))
        ((PSTORAGE_REQUEST_BLOCK)srb)->RequestTag = tag;
    else
        ((PSCSI_REQUEST_BLOCK)srb)->QueueTag = (UCHAR)tag;
}

struct port_request *
sp_request_of(struct sp_adapter *ad, PVOID srb)
{
    struct port_request *req = srb ? SrbGetOriginalRequest(srb) : NULL;

    if (req == NULL || req->port_slot >= ad->nslots ||
        ad->dispatched[req->port_slot] != req || req->srb != srb)
        return NULL;
    return req;
}

/* ---------- finishing ---------- */

/* Queue a finished request on this CPU's completion list; the port's DPC
 * on this CPU completes it. */
void
sp_to_completion_dpc(struct sp_adapter *ad, struct port_request *req)
{
    int cpu = sim_cpu_current() >= 0 ? sim_cpu_current() : 0;

    req->next = NULL;
    if (ad->done_tail[cpu] != NULL)
        ad->done_tail[cpu]->next = req;
    else
        ad->done_head[cpu] = req;
    ad->done_tail[cpu] = req;
    sim_dpc_queue(&ad->completion_dpc[cpu], NULL, NULL);
}

void
sp_request_complete(struct sp_adapter *ad, PVOID srb)
{
    struct port_request *req = sp_request_of(ad, srb);
    UCHAR status;

    if (req == NULL) {
        struct port_request *orig = srb ? SrbGetOriginalRequest(srb) : NULL;
        bool twice = orig != NULL && orig->srb == srb &&
                     orig->state >= PORT_SRB_NOTIFIED;
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                     twice ? PORT_VIOLATION_DOUBLE_COMPLETE
                           : PORT_VIOLATION_UNKNOWN_SRB,
                     (uint64_t)(uintptr_t)srb, orig ? orig->id : 0, 0, NULL, 0,
                     twice ? "StorPortNotification(RequestComplete) for SRB %u, "
                             "which was already completed"
                           : "StorPortNotification(RequestComplete) for an SRB "
                             "the port never gave the miniport (%u)",
                     orig ? orig->id : 0);
        return;
    }
    if (req->state >= PORT_SRB_NOTIFIED)
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                     PORT_VIOLATION_DOUBLE_COMPLETE, (uint64_t)(uintptr_t)srb,
                     req->id, 0, NULL, 0, "SRB %u was completed twice: "
                     "StorPortNotification(RequestComplete) again after the "
                     "first completion", req->id);
    status = SRB_STATUS(SrbGetSrbStatus(srb));
    if (status == SRB_STATUS_PENDING)
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                     PORT_VIOLATION_BAD_STATUS, (uint64_t)(uintptr_t)srb,
                     req->id, status, NULL, 0, "SRB %u completed with "
                     "SRB_STATUS_PENDING: set its final SrbStatus before "
                     "StorPortNotification(RequestComplete)", req->id);
    /* On the HBA: since StartIo returned, or already inside StartIo once
     * the miniport posted it (the tag is busy only then). */
    if (ad->params.hw.tag_busy != NULL &&
        (req->state == PORT_SRB_ON_HBA || req->state == PORT_SRB_STARTIO) &&
        ad->params.hw.tag_busy(ad->params.hw.dev, req->port_slot))
        verifier_hit("srb-completed-hw-owned", req->id, "SRB %u completed "
                     "while the adapter still works on it (tag %u)", req->id,
                     req->port_slot);
    port_set_state(req, PORT_SRB_NOTIFIED);
    sp_to_completion_dpc(ad, req);
}

static void
release_slot(struct sp_adapter *ad, struct port_request *req)
{
    struct sp_slot *slot = &ad->slots[req->port_slot];
    struct sp_lu *lu = req->port_lu;

    ad->dispatched[req->port_slot] = NULL;
    slot->req = NULL;
    slot->next_free = ad->free_slots;
    ad->free_slots = slot;
    ad->outstanding--;
    if (lu != NULL) {
        lu->outstanding--;
        if (lu->busy_left > 0)
            lu->busy_left--;
    }
    if (ad->busy_left > 0)
        ad->busy_left--;
}

static void
requeue_front(struct sp_adapter *ad, struct port_request *req)
{
    struct sp_lu *lu = req->port_lu;

    (void)ad;
    req->next = lu->head;
    lu->head = req;
    if (lu->tail == NULL)
        lu->tail = req;
    ad->queued++;
    port_set_state(req, PORT_SRB_QUEUED);
}

static void
finish_one(struct sp_adapter *ad, struct port_request *req)
{
    PVOID srb = req->srb;
    bool dispatched = req->port_slot != UINT32_MAX;
    UCHAR status;

    sim_set_srb(req->id);
    port_set_state(req, PORT_SRB_DPC);
    sim_spend(ad->params.cost.complete);
    if (req->saved_data_buffer != NULL) {
        SrbSetDataBuffer(srb, req->saved_data_buffer);
        req->saved_data_buffer = NULL;
    }
    status = SRB_STATUS(SrbGetSrbStatus(srb));
    sim_lock_acquire(&ad->queue_lock, NULL, 0);
    if (dispatched)
        release_slot(ad, req);
    if (dispatched && status == SRB_STATUS_BUSY &&
        req->retries < SP_BUSY_RETRIES) {
        /* SRB_STATUS_BUSY: the port sends it again, through HwStorBuildIo
         * and HwStorStartIo, as Storport does. */
        req->retries++;
        ad->busy_retries++;
        set_extension(srb, NULL);
        requeue_front(ad, req);
        sim_lock_release(&ad->queue_lock, NULL, 0);
        return;
    }
    sim_lock_release(&ad->queue_lock, NULL, 0);
    port_complete(&ad->base, req);
}

void
sp_completion_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2)
{
    struct sp_adapter *ad = ctx;
    int cpu = sim_cpu_current();
    struct port_request *list = ad->done_head[cpu];

    (void)dpc; (void)a1; (void)a2;
    ad->done_head[cpu] = ad->done_tail[cpu] = NULL;
    while (list != NULL) {
        struct port_request *req = list;
        list = req->next;
        finish_one(ad, req);
    }
    sim_set_srb(0);
    sp_start_io(ad);
    if (ad->outstanding == 0)
        sim_timer_cancel(&ad->tick);
}

/* ---------- dispatch ---------- */

static bool
lu_can_start(const struct sp_adapter *ad, const struct sp_lu *lu)
{
    return lu->used && lu->head != NULL && !lu->paused &&
           lu->busy_left == 0 && lu->outstanding < lu->depth &&
           ad->outstanding < ad->config.MaxNumberOfIO &&
           ad->free_slots != NULL;
}

/* Take the next request that may start, round-robin over the LUs.
 * Caller holds queue_lock. */
static struct port_request *
take_next(struct sp_adapter *ad)
{
    int start = ad->next_lu < ad->nlus ? ad->next_lu : 0;

    if (ad->paused || ad->busy_left > 0)
        return NULL;
    for (int k = 0; k < ad->nlus; k++) {
        int i = (start + k) % ad->nlus;
        struct sp_lu *lu = &ad->lus[i];
        struct port_request *req;
        struct sp_slot *slot;
        if (!lu_can_start(ad, lu))
            continue;
        req = lu->head;
        lu->head = req->next;
        if (lu->head == NULL)
            lu->tail = NULL;
        ad->queued--;
        slot = ad->free_slots;
        ad->free_slots = slot->next_free;
        slot->req = req;
        req->port_slot = (uint32_t)(slot - ad->slots);
        ad->dispatched[req->port_slot] = req;
        lu->outstanding++;
        ad->outstanding++;
        ad->next_lu = i + 1;    /* may be nlus: start again at 0 */
        return req;
    }
    return NULL;
}

static void
arm_timeout(struct sp_adapter *ad, struct port_request *req)
{
    ULONG secs = SrbGetTimeOutValue(req->srb);

    req->deadline = sim_now() + SIM_SEC(secs ? secs : 10);
    if (!sim_event_pending(&ad->tick.ev))
        sim_timer_set(&ad->tick, SIM_SEC(1));
}

static void
prepare(struct sp_adapter *ad, struct port_request *req)
{
    PVOID srb = req->srb;

    set_extension(srb, ad->slots[req->port_slot].srb_extension);
    set_queue_tag(srb, req->port_slot);
    /* Storport does not map read and write buffers unless the miniport
     * asked for STOR_MAP_ALL_BUFFERS_INCLUDING_READ_WRITE: DataBuffer is
     * an address that is not mapped (touching it bug-checks), and the
     * miniport must use StorPortGetScatterGatherList (DMA) or
     * StorPortGetSystemAddress (PIO). */
    if (is_read_write(srb) &&
        ad->config.MapBuffers != STOR_MAP_ALL_BUFFERS_INCLUDING_READ_WRITE) {
        req->saved_data_buffer = SrbGetDataBuffer(srb);
        SrbSetDataBuffer(srb, sim_unmapped_va((size_t)req->port_slot << 12));
    }
    arm_timeout(ad, req);
}

static void
call_startio(struct sp_adapter *ad, struct port_request *req)
{
    sim_lock_acquire(&ad->startio_lock, NULL, 0);
    if (!ad->full_duplex)   /* half duplex: synchronized with the ISR */
        sim_lock_acquire(&ad->intr.lock, NULL, 0);
    port_set_state(req, PORT_SRB_STARTIO);
    sp_callback_enter(ad, CB_STARTIO, "HwStorStartIo");
    ad->init.HwStartIo(ad->ext, req->srb);
    sp_callback_exit(ad);
    if (!ad->full_duplex)
        sim_lock_release(&ad->intr.lock, NULL, 0);
    sim_lock_release(&ad->startio_lock, NULL, 0);
}

static void
dispatch(struct sp_adapter *ad, struct port_request *req)
{
    BOOLEAN go = TRUE;

    sim_set_srb(req->id);
    prepare(ad, req);
    if (ad->init.HwBuildIo != NULL) {
        port_set_state(req, PORT_SRB_BUILDIO);
        sp_callback_enter(ad, CB_BUILDIO, "HwStorBuildIo");
        go = ad->init.HwBuildIo(ad->ext, req->srb);
        sp_callback_exit(ad);
    }
    if (!go) {
        /* FALSE: the SRB must not reach HwStorStartIo; the miniport
         * completes it itself. */
        ad->buildio_false++;
        req->buildio_false = true;
        if (req->state == PORT_SRB_BUILDIO)
            port_set_state(req, PORT_SRB_ON_HBA);
        sim_set_srb(0);
        return;
    }
    call_startio(ad, req);
    if (req->state == PORT_SRB_STARTIO)
        port_set_state(req, PORT_SRB_ON_HBA);
    sim_set_srb(0);
}

void
sp_start_io(struct sp_adapter *ad)
{
    for (;;) {
        struct port_request *req;

        /* Nothing waiting (read without the lock: a request queued right
         * after this look is dispatched by the CPU that queues it). */
        if (ad->queued == 0)
            return;
        sim_lock_acquire(&ad->queue_lock, NULL, 0);
        req = take_next(ad);
        sim_lock_release(&ad->queue_lock, NULL, 0);
        if (req == NULL)
            return;
        dispatch(ad, req);
    }
}

/* ---------- accepting requests ---------- */

static bool
port_handles(struct sp_adapter *ad, struct port_request *req)
{
    ULONG fn = SrbGetSrbFunction(req->srb);

    /* FLUSH and SHUTDOWN reach the miniport only if it said CachesData. */
    if ((fn == SRB_FUNCTION_FLUSH || fn == SRB_FUNCTION_SHUTDOWN) &&
        !ad->config.CachesData) {
        SrbSetSrbStatus(req->srb, SRB_STATUS_SUCCESS);
        return true;
    }
    if (req->port_lu == NULL) {
        SrbSetSrbStatus(req->srb, SRB_STATUS_NO_DEVICE);
        return true;
    }
    return false;
}

int
sp_submit(struct port_adapter *pa, struct port_request *req)
{
    struct sp_adapter *ad = (struct sp_adapter *)pa;
    sim_irql_t old = sim_irql();
    struct sp_lu *lu;

    if (old < DISPATCH_LEVEL)
        sim_irql_raise(DISPATCH_LEVEL, NULL, 0);
    sim_set_srb(req->id);
    sim_spend(ad->params.cost.submit);
    req->port_slot = UINT32_MAX;
    req->saved_data_buffer = NULL;
    req->buildio_false = false;
    req->port_lu = sp_lu_get(ad, SrbGetPathId(req->srb),
                             SrbGetTargetId(req->srb), SrbGetLun(req->srb));
    set_original(req->srb, req);
    if (port_handles(ad, req)) {
        port_set_state(req, PORT_SRB_NOTIFIED);
        sp_to_completion_dpc(ad, req);
    } else {
        lu = req->port_lu;
        sim_lock_acquire(&ad->queue_lock, NULL, 0);
        req->next = NULL;
        if (lu->tail != NULL)
            lu->tail->next = req;
        else
            lu->head = req;
        lu->tail = req;
        ad->queued++;
        /* Queued before the lock goes: once it does, another CPU may take
         * the request and start it. */
        port_set_state(req, PORT_SRB_QUEUED);
        sim_lock_release(&ad->queue_lock, NULL, 0);
        sp_start_io(ad);
    }
    sim_set_srb(0);
    if (old < DISPATCH_LEVEL)
        sim_irql_lower(old, NULL, 0);
    return 0;
}
