/* sp_scan.c: the bus scan after initialisation: INQUIRY each target's
 * LUN 0, REPORT LUNS on those that answer, READ CAPACITY(16) on each LUN.
 *
 * Interface: sp_scan_start(), called on CPU 0 at PASSIVE_LEVEL when
 * HwStorInitialize (and passive initialisation) succeeded.
 *
 * The scan's requests go through the ordinary request path, one at a
 * time: each completion (at DISPATCH_LEVEL) posts the next step back to
 * CPU 0 as passive work, the way a PnP enumeration thread waits for its
 * requests.
 */
#include <stdio.h>
#include <string.h>

#include "storport/sp_int.h"

enum scan_phase { SCAN_INQUIRY, SCAN_REPORT_LUNS, SCAN_CAPACITY };

static void scan_next(void *ctx);

static uint32_t
be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static uint64_t
be64(const uint8_t *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static void
send(struct sp_adapter *ad, UCHAR lun, const uint8_t *cdb, UCHAR cdblen,
     ULONG len)
{
    PSCSI_REQUEST_BLOCK srb = &ad->scan_srb;

    memset(srb, 0, sizeof *srb);
    srb->Length = sizeof *srb;
    srb->Function = SRB_FUNCTION_EXECUTE_SCSI;
    srb->TargetId = (UCHAR)ad->scan_target;
    srb->Lun = lun;
    srb->CdbLength = cdblen;
    memcpy(srb->Cdb, cdb, cdblen);
    srb->SrbFlags = SRB_FLAGS_DATA_IN;
    srb->DataTransferLength = len;
    srb->DataBuffer = ad->scan_buf;
    srb->SenseInfoBuffer = ad->scan_sense;
    srb->SenseInfoBufferLength = sizeof ad->scan_sense;
    srb->TimeOutValue = 10;
    memset(ad->scan_buf, 0, 4096);
    ad->scan_req.srb = srb;
    ad->scan_req.data = ad->scan_buf;
    ad->scan_req.length = len;
    ad->scan_req.id = port_next_id();
    ad->scan_req.submitted = sim_now();
    ad->base.submitted++;
    ad->base.outstanding++;
    sp_submit(&ad->base, &ad->scan_req);
}

static void
scan_done(struct port_request *req, void *ctx)
{
    struct sp_adapter *ad = ctx;

    (void)req;
    sim_cpu_post(&ad->scan_item, 0, scan_next, ad, "PnP:BusScan", sim_now());
}

static void
send_inquiry(struct sp_adapter *ad)
{
    const uint8_t cdb[6] = { SCSIOP_INQUIRY, 0, 0, 0, 96, 0 };

    ad->scan_nluns = 0;
    ad->scan_lun_index = 0;
    send(ad, 0, cdb, 6, 96);
}

static void
send_report_luns(struct sp_adapter *ad)
{
    const uint8_t cdb[12] = { SCSIOP_REPORT_LUNS, 0, 0, 0, 0, 0,
                              0, 0, 0x10, 0, 0, 0 };   /* 4096 bytes */

    send(ad, 0, cdb, 12, 4096);
}

static void
send_capacity(struct sp_adapter *ad)
{
    const uint8_t cdb[16] = { SCSIOP_SERVICE_ACTION_IN16, 0x10, 0, 0, 0, 0,
                              0, 0, 0, 0, 0, 0, 0, 32, 0, 0 };

    send(ad, (UCHAR)ad->scan_luns[ad->scan_lun_index], cdb, 16, 32);
}

/* SRB_STATUS_DATA_OVERRUN with a shorter DataTransferLength is how an
 * underrun comes back (the LU returned less than was allocated): for a
 * scan command that is success, as it is for the class drivers. */
static bool
succeeded(struct sp_adapter *ad)
{
    UCHAR s = SRB_STATUS(ad->scan_srb.SrbStatus);

    return s == SRB_STATUS_SUCCESS || s == SRB_STATUS_DATA_OVERRUN;
}

static void
parse_luns(struct sp_adapter *ad)
{
    uint32_t bytes = be32(ad->scan_buf);

    ad->scan_nluns = 0;
    if (!succeeded(ad)) {           /* no REPORT LUNS: assume LUN 0 only */
        ad->scan_luns[ad->scan_nluns++] = 0;
        return;
    }
    for (uint32_t off = 8; off < 8 + bytes && off + 8 <= 4096 &&
                           ad->scan_nluns < PORT_MAX_LUNS; off += 8)
        ad->scan_luns[ad->scan_nluns++] = (uint16_t)(ad->scan_buf[off + 1]);
}

static void
record_lun(struct sp_adapter *ad)
{
    struct port_lun *l;

    if (!succeeded(ad) || ad->base.nluns == PORT_MAX_LUNS)
        return;
    l = &ad->base.luns[ad->base.nluns++];
    l->path = 0;
    l->target = (uint8_t)ad->scan_target;
    l->lun = (uint8_t)ad->scan_luns[ad->scan_lun_index];
    l->blocks = be64(ad->scan_buf) + 1;
    l->block_size = be32(ad->scan_buf + 8);
}

static void
finish(struct sp_adapter *ad)
{
    physmem_free(ad->scan_buf);
    ad->scan_buf = NULL;
    ad->base.ready = true;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_MARK, .arg = (uint64_t)ad->base.nluns,
        .detail = "bus scan done: adapter ready" });
    if (ad->params.ready != NULL)
        ad->params.ready(&ad->base, true, ad->params.ready_ctx);
}

/* Advance to the next target, or finish. */
static void
next_target(struct sp_adapter *ad)
{
    ad->scan_target++;
    if (ad->scan_target >= ad->config.MaximumNumberOfTargets)
        finish(ad);
    else
        send_inquiry(ad);
}

static void
scan_next(void *ctx)
{
    struct sp_adapter *ad = ctx;
    int phase = ad->scan_phase;

    switch (phase) {
    case SCAN_INQUIRY:
        if (succeeded(ad) && (ad->scan_buf[0] >> 5) == 0) {
            ad->scan_phase = SCAN_REPORT_LUNS;
            send_report_luns(ad);
        } else {
            next_target(ad);
        }
        return;
    case SCAN_REPORT_LUNS:
        parse_luns(ad);
        ad->scan_phase = SCAN_CAPACITY;
        send_capacity(ad);
        return;
    default:
        if (!succeeded(ad) && ad->scan_tries++ < 3) {
            /* A fresh LU answers its first command with UNIT ATTENTION
             * (power on, or LUN inventory changed); ask again, as the
             * class driver does. */
            send_capacity(ad);
            return;
        }
        ad->scan_tries = 0;
        record_lun(ad);
        if (++ad->scan_lun_index < ad->scan_nluns) {
            send_capacity(ad);
            return;
        }
        ad->scan_phase = SCAN_INQUIRY;
        next_target(ad);
        return;
    }
}

void
sp_scan_start(struct sp_adapter *ad)
{
    ad->scan_buf = physmem_alloc(4096, false);
    ad->scan_target = 0;
    ad->scan_req.complete = scan_done;
    ad->scan_req.ctx = ad;
    ad->scan_phase = SCAN_INQUIRY;
    send_inquiry(ad);
}
