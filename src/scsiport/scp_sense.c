/* scp_sense.c: what happens to a request after the miniport completed it
 * (BUSY retries, freezing the LU queue on an error, the port's own
 * REQUEST SENSE when the HBA has no autosense), handing it back to the
 * class layer, and the SRB functions the port carries out itself
 * (RELEASE_QUEUE, FLUSH_QUEUE, FLUSH and SHUTDOWN without CachesData ...).
 *
 * Interface: scp_settle() and scp_finish() for the DPC (scp_notify.c),
 * scp_port_function() for scp_submit().
 */
#include <stdlib.h>
#include <string.h>

#include "scsiport/scp_int.h"

static void sense_done(struct port_request *req, void *ctx);

/* Give back the request's slot. Caller holds port_lock. */
static void
release_slot(struct scp_adapter *ad, struct port_request *req)
{
    struct scp_slot *slot = &ad->slots[req->port_slot];
    struct scp_lu *lu = req->port_lu;

    slot->req = NULL;
    slot->next_free = ad->free_slots;
    ad->free_slots = slot;
    req->port_slot = UINT32_MAX;
    ad->active--;
    lu->active--;
    if (!scp_is_tagged(req))
        lu->active_untagged--;
}

static bool
is_error(UCHAR status)
{
    /* DATA_OVERRUN is also how an underrun (a short transfer) is
     * reported: the data that came is good, so it does not freeze. */
    return status != SRB_STATUS_SUCCESS && status != SRB_STATUS_DATA_OVERRUN;
}

static bool
needs_sense(const struct scp_adapter *ad, const struct port_request *req)
{
    PSCSI_REQUEST_BLOCK srb = req->srb;

    return !ad->config.AutoRequestSense && req->complete != sense_done &&
           SRB_STATUS(srb->SrbStatus) == SRB_STATUS_ERROR &&
           srb->ScsiStatus == SCSISTAT_CHECK_CONDITION &&
           !(srb->SrbStatus & SRB_STATUS_AUTOSENSE_VALID) &&
           !(srb->SrbFlags & SRB_FLAGS_DISABLE_AUTOSENSE) &&
           srb->SenseInfoBuffer != NULL && srb->SenseInfoBufferLength > 0;
}

static struct scp_sense *
sense_of(struct scp_lu *lu)
{
    if (lu->sense == NULL) {
        lu->sense = calloc(1, sizeof *lu->sense);
        if (lu->sense != NULL)
            lu->sense->buf = physmem_alloc(SCP_SENSE_BYTES, false);
    }
    return lu->sense != NULL && lu->sense->buf != NULL ? lu->sense : NULL;
}

/* The HBA has no autosense (AutoRequestSense FALSE): the port asks the
 * LU for its sense data itself, before anything else reaches the LU,
 * since the next command would clear it. Caller holds port_lock. */
static bool
issue_sense(struct scp_adapter *ad, struct scp_lu *lu, struct port_request *req)
{
    struct scp_sense *s = sense_of(lu);
    PSCSI_REQUEST_BLOCK orig = req->srb, srb;
    UCHAR len = orig->SenseInfoBufferLength;

    if (s == NULL)
        return false;
    srb = &s->srb;
    memset(srb, 0, sizeof *srb);
    srb->Length = sizeof *srb;
    srb->Function = SRB_FUNCTION_EXECUTE_SCSI;
    srb->PathId = lu->path;
    srb->TargetId = lu->target;
    srb->Lun = lu->lun;
    srb->CdbLength = 6;
    srb->Cdb[0] = SCSIOP_REQUEST_SENSE;
    srb->Cdb[4] = len;
    srb->SrbFlags = SRB_FLAGS_DATA_IN | SRB_FLAGS_DISABLE_AUTOSENSE |
                    SRB_FLAGS_BYPASS_FROZEN_QUEUE | SRB_FLAGS_NO_QUEUE_FREEZE |
                    SRB_FLAGS_DISABLE_SYNCH_TRANSFER;
    srb->DataTransferLength = len;
    srb->DataBuffer = s->buf;
    srb->TimeOutValue = 2;
    srb->QueueTag = SP_UNTAGGED;
    srb->OriginalRequest = &s->req;
    memset(&s->req, 0, sizeof s->req);
    s->req.srb = srb;
    s->req.data = s->buf;
    s->req.length = len;
    s->req.complete = sense_done;
    s->req.ctx = lu;
    s->req.id = port_next_id();
    s->req.submitted = sim_now();
    s->req.port_lu = lu;
    s->req.port_slot = UINT32_MAX;
    lu->sense_for = req;
    ad->st.request_senses++;
    scp_enqueue(ad, lu, &s->req);
    port_set_state(&s->req, PORT_SRB_QUEUED);
    return true;
}

/* A request the miniport completed, seen by the DPC: give back its slot,
 * then send it again (BUSY), fetch its sense first, or let it finish
 * (true), freezing its LU's queue on an error. Caller holds port_lock. */
bool
scp_settle(struct scp_adapter *ad, struct port_request *req)
{
    PSCSI_REQUEST_BLOCK srb = req->srb;
    struct scp_lu *lu = req->port_lu;
    UCHAR status = SRB_STATUS(srb->SrbStatus);

    release_slot(ad, req);
    if (status == SRB_STATUS_BUSY && req->retries < SCP_BUSY_RETRIES &&
        req->complete != sense_done) {
        /* SRB_STATUS_BUSY: the port sends it again later. */
        req->retries++;
        ad->st.busy_retries++;
        scp_enqueue(ad, lu, req);
        port_set_state(req, PORT_SRB_QUEUED);
        return false;
    }
    if (is_error(status) && !(srb->SrbFlags & SRB_FLAGS_NO_QUEUE_FREEZE)) {
        /* The class driver must look at the error before anything else
         * goes to this LU: it releases the queue with RELEASE_QUEUE. */
        if (!lu->frozen)
            ad->st.queue_freezes++;
        lu->frozen = true;
        srb->SrbStatus |= SRB_STATUS_QUEUE_FROZEN;
    }
    if (needs_sense(ad, req) && issue_sense(ad, lu, req))
        return false;
    return true;
}

/* Hand a request back: the class driver's completion routine, or, for
 * the port's own REQUEST SENSE, the port's. At DISPATCH_LEVEL, no lock. */
void
scp_finish(struct scp_adapter *ad, struct port_request *req)
{
    uint32_t old = sim_set_srb(req->id);

    if (req->state != PORT_SRB_DPC)
        port_set_state(req, PORT_SRB_DPC);
    sim_work(ad->params.cost.complete, NULL, 0);
    if (req->complete == sense_done) {
        port_set_state(req, PORT_SRB_COMPLETED);
        req->complete(req, req->ctx);
    } else {
        port_complete(&ad->base, req);
    }
    sim_set_srb(old);
}

static void
sense_done(struct port_request *req, void *ctx)
{
    struct scp_lu *lu = ctx;
    struct scp_adapter *ad = lu->ad;
    PSCSI_REQUEST_BLOCK srb = req->srb, orig_srb;
    struct port_request *orig;
    UCHAR status = SRB_STATUS(srb->SrbStatus);

    sim_lock_acquire(&ad->port_lock, NULL, 0);
    orig = lu->sense_for;
    lu->sense_for = NULL;
    sim_lock_release(&ad->port_lock, NULL, 0);
    if (orig == NULL)
        return;
    orig_srb = orig->srb;
    if (status == SRB_STATUS_SUCCESS || status == SRB_STATUS_DATA_OVERRUN) {
        ULONG n = srb->DataTransferLength;
        if (n > orig_srb->SenseInfoBufferLength)
            n = orig_srb->SenseInfoBufferLength;
        memcpy(orig_srb->SenseInfoBuffer, lu->sense->buf, n);
        orig_srb->SenseInfoBufferLength = (UCHAR)n;
        orig_srb->SrbStatus |= SRB_STATUS_AUTOSENSE_VALID;
    }
    scp_finish(ad, orig);
}

/* ---------- functions the port carries out itself ---------- */

static void
flush_queue(struct scp_adapter *ad, struct scp_lu *lu)
{
    struct port_request *list, *keep = NULL, **tail = &keep;

    sim_lock_acquire(&ad->port_lock, NULL, 0);
    list = lu->head;
    lu->head = NULL;
    while (list != NULL) {           /* the port's own REQUEST SENSE stays */
        struct port_request *req = list;
        list = req->next;
        req->next = NULL;
        if (lu->sense != NULL && req == &lu->sense->req) {
            lu->head = req;
            continue;
        }
        ad->queued--;
        *tail = req;
        tail = &req->next;
    }
    lu->frozen = false;
    sim_lock_release(&ad->port_lock, NULL, 0);
    while (keep != NULL) {
        struct port_request *req = keep;
        keep = req->next;
        scp_end_by_port(ad, req, SRB_STATUS_REQUEST_FLUSHED);
    }
}

static void
release_queue(struct scp_adapter *ad, struct scp_lu *lu)
{
    sim_lock_acquire(&ad->port_lock, NULL, 0);
    lu->frozen = false;
    sim_lock_release(&ad->port_lock, NULL, 0);
}

/* True if the port handled the request itself (it completes through the
 * DPC); false if it goes to the miniport. */
bool
scp_port_function(struct scp_adapter *ad, struct port_request *req)
{
    PSCSI_REQUEST_BLOCK srb = req->srb;
    struct scp_lu *lu = req->port_lu;
    UCHAR status = SRB_STATUS_SUCCESS;

    switch (srb->Function) {
    case SRB_FUNCTION_STORAGE_REQUEST_BLOCK:
        status = SRB_STATUS_INVALID_REQUEST;   /* SCSI Port predates SRB_EX */
        break;
    case SRB_FUNCTION_FLUSH:
    case SRB_FUNCTION_SHUTDOWN:
        /* They reach the miniport only if it said CachesData. */
        if (ad->config.CachesData && lu != NULL)
            return false;
        break;
    case SRB_FUNCTION_RELEASE_QUEUE:
    case SRB_FUNCTION_FLUSH_QUEUE:
        if (lu == NULL)
            status = SRB_STATUS_NO_DEVICE;
        else if (srb->Function == SRB_FUNCTION_RELEASE_QUEUE)
            release_queue(ad, lu);
        else
            flush_queue(ad, lu);
        break;
    case SRB_FUNCTION_CLAIM_DEVICE:
    case SRB_FUNCTION_ATTACH_DEVICE:
    case SRB_FUNCTION_RELEASE_DEVICE:
    case SRB_FUNCTION_REMOVE_DEVICE:
    case SRB_FUNCTION_LOCK_QUEUE:
    case SRB_FUNCTION_UNLOCK_QUEUE:
        break;                                 /* port bookkeeping only */
    default:
        if (lu != NULL)
            return false;
        status = SRB_STATUS_NO_DEVICE;
        break;
    }
    scp_end_by_port(ad, req, status);
    return true;
}
