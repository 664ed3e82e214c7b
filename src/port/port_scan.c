/* port_scan.c: the bus scan after initialisation, shared by the Storport
 * and SCSI Port drivers: INQUIRY each target's LUN 0, REPORT LUNS on those
 * that answer, READ CAPACITY(16) on each LUN.
 *
 * Interface: port_scan_begin(), port_scan_start(), port_scan_free()
 * (port_scan.h).
 *
 * The scan's requests go through the port's ordinary request path, one at
 * a time: each completion (at DISPATCH_LEVEL) posts the next step back to
 * CPU 0 as passive work, the way a PnP enumeration thread waits for its
 * requests.
 */
#include <errno.h>
#include <string.h>

#include <storport.h>

#include "port/port_scan.h"
#include "storsim/physmem.h"

#define SCAN_BUF   4096
#define SCAN_SENSE 32

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
send(struct port_scan *sc, UCHAR lun, const uint8_t *cdb, UCHAR cdblen,
     ULONG len)
{
    PSCSI_REQUEST_BLOCK srb = sc->srb;

    memset(srb, 0, sizeof *srb);
    srb->Length = sizeof *srb;
    srb->Function = SRB_FUNCTION_EXECUTE_SCSI;
    srb->TargetId = (UCHAR)sc->target;
    srb->Lun = lun;
    srb->CdbLength = cdblen;
    memcpy(srb->Cdb, cdb, cdblen);
    /* As ClassSendSrbSynchronous: untagged, and an error must not freeze
     * the queue (a missing target is an ordinary answer here). */
    srb->SrbFlags = SRB_FLAGS_DATA_IN | SRB_FLAGS_NO_QUEUE_FREEZE |
                    SRB_FLAGS_DISABLE_SYNCH_TRANSFER;
    srb->DataTransferLength = len;
    srb->DataBuffer = sc->buf;
    srb->SenseInfoBuffer = sc->sense;
    srb->SenseInfoBufferLength = SCAN_SENSE;
    srb->TimeOutValue = 10;
    memset(sc->buf, 0, SCAN_BUF);
    sc->req.srb = srb;
    sc->req.data = sc->buf;
    sc->req.length = len;
    port_accept(sc->pa, &sc->req);
    sc->submit(sc->pa, &sc->req);
}

static void
scan_done(struct port_request *req, void *ctx)
{
    struct port_scan *sc = ctx;

    (void)req;
    sim_cpu_post(&sc->item, 0, scan_next, sc, "PnP:BusScan", sim_now());
}

static void
send_inquiry(struct port_scan *sc)
{
    const uint8_t cdb[6] = { SCSIOP_INQUIRY, 0, 0, 0, 96, 0 };

    sc->nluns = 0;
    sc->lun_index = 0;
    send(sc, 0, cdb, 6, 96);
}

static void
send_report_luns(struct port_scan *sc)
{
    const uint8_t cdb[12] = { SCSIOP_REPORT_LUNS, 0, 0, 0, 0, 0,
                              0, 0, 0x10, 0, 0, 0 };   /* 4096 bytes */

    send(sc, 0, cdb, 12, SCAN_BUF);
}

static void
send_capacity(struct port_scan *sc)
{
    const uint8_t cdb[16] = { SCSIOP_SERVICE_ACTION_IN16, 0x10, 0, 0, 0, 0,
                              0, 0, 0, 0, 0, 0, 0, 32, 0, 0 };

    send(sc, (UCHAR)sc->luns[sc->lun_index], cdb, 16, 32);
}

/* SRB_STATUS_DATA_OVERRUN with a shorter DataTransferLength is how an
 * underrun comes back (the LU returned less than was allocated): for a
 * scan command that is success, as it is for the class drivers. */
static bool
succeeded(const struct port_scan *sc)
{
    UCHAR s = SRB_STATUS(((PSCSI_REQUEST_BLOCK)sc->srb)->SrbStatus);

    return s == SRB_STATUS_SUCCESS || s == SRB_STATUS_DATA_OVERRUN;
}

static void
parse_luns(struct port_scan *sc)
{
    uint32_t bytes = be32(sc->buf);

    sc->nluns = 0;
    if (!succeeded(sc)) {           /* no REPORT LUNS: assume LUN 0 only */
        sc->luns[sc->nluns++] = 0;
        return;
    }
    for (uint32_t off = 8; off < 8 + bytes && off + 8 <= SCAN_BUF &&
                           sc->nluns < PORT_MAX_LUNS; off += 8)
        sc->luns[sc->nluns++] = (uint16_t)(sc->buf[off + 1]);
}

static void
record_lun(struct port_scan *sc)
{
    struct port_adapter *pa = sc->pa;
    struct port_lun *l;

    if (!succeeded(sc) || pa->nluns == PORT_MAX_LUNS)
        return;
    l = &pa->luns[pa->nluns++];
    l->path = 0;
    l->target = (uint8_t)sc->target;
    l->lun = (uint8_t)sc->luns[sc->lun_index];
    l->blocks = be64(sc->buf) + 1;
    l->block_size = be32(sc->buf + 8);
}

static void
finish(struct port_scan *sc)
{
    port_scan_free(sc);
    sc->pa->ready = true;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_MARK, .arg = (uint64_t)sc->pa->nluns,
        .detail = "bus scan done: adapter ready" });
    if (sc->ready != NULL)
        sc->ready(sc->pa, true, sc->ready_ctx);
}

/* Advance to the next target, or finish. */
static void
next_target(struct port_scan *sc)
{
    sc->target++;
    if (sc->target >= sc->max_targets)
        finish(sc);
    else
        send_inquiry(sc);
}

static void
scan_next(void *ctx)
{
    struct port_scan *sc = ctx;

    /* port_complete() already counted the request as completed. */
    switch (sc->phase) {
    case SCAN_INQUIRY:
        if (succeeded(sc) && (sc->buf[0] >> 5) == 0) {
            sc->phase = SCAN_REPORT_LUNS;
            send_report_luns(sc);
        } else {
            next_target(sc);
        }
        return;
    case SCAN_REPORT_LUNS:
        parse_luns(sc);
        sc->phase = SCAN_CAPACITY;
        send_capacity(sc);
        return;
    default:
        if (!succeeded(sc) && sc->tries++ < 3) {
            /* A fresh LU answers its first command with UNIT ATTENTION
             * (power on, or LUN inventory changed); ask again, as the
             * class driver does. */
            send_capacity(sc);
            return;
        }
        sc->tries = 0;
        record_lun(sc);
        if (++sc->lun_index < sc->nluns) {
            send_capacity(sc);
            return;
        }
        sc->phase = SCAN_INQUIRY;
        next_target(sc);
        return;
    }
}

int
port_scan_start(struct port_scan *sc)
{
    sc->buf = physmem_alloc(SCAN_BUF, false);
    sc->sense = physmem_alloc(SCAN_SENSE, true);
    sc->srb = physmem_alloc(sizeof(SCSI_REQUEST_BLOCK), true);
    if (sc->buf == NULL || sc->sense == NULL || sc->srb == NULL) {
        port_scan_free(sc);
        return -ENOMEM;
    }
    sc->target = 0;
    sc->tries = 0;
    sc->req.complete = scan_done;
    sc->req.ctx = sc;
    sc->phase = SCAN_INQUIRY;
    send_inquiry(sc);
    return 0;
}

void
port_scan_free(struct port_scan *sc)
{
    physmem_free(sc->buf);
    physmem_free(sc->sense);
    physmem_free(sc->srb);
    sc->buf = sc->sense = NULL;
    sc->srb = NULL;
}

int
port_scan_begin(struct port_scan *sc, struct port_adapter *pa,
                int (*submit)(struct port_adapter *pa, struct port_request *req),
                void (*ready)(struct port_adapter *pa, bool ok, void *ctx),
                void *ready_ctx, int max_targets)
{
    sc->pa = pa;
    sc->submit = submit;
    sc->ready = ready;
    sc->ready_ctx = ready_ctx;
    sc->max_targets = max_targets;
    return port_scan_start(sc);
}
