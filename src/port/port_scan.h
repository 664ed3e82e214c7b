/* port_scan.h: the bus scan both port drivers run after initialisation
 * (src/port/port_scan.c): INQUIRY each target's LUN 0, REPORT LUNS on
 * those that answer, READ CAPACITY(16) on each LUN, filling the adapter's
 * luns[].
 *
 * Interface: port_scan_start() with the adapter, its submit routine and
 * its ready callback; port_scan_free() if the adapter goes away first.
 * Internal to the port drivers.
 */
#ifndef STORSIM_PORT_SCAN_H
#define STORSIM_PORT_SCAN_H

#include "storsim/port.h"
#include "storsim/sim.h"

struct port_scan {
    struct port_adapter *pa;
    int (*submit)(struct port_adapter *pa, struct port_request *req);
    void (*ready)(struct port_adapter *pa, bool ok, void *ctx);
    void *ready_ctx;
    int max_targets;

    struct sim_thread_item item;      /* the next step, posted to CPU 0 */
    int target, lun_index, nluns, phase, tries;
    uint16_t luns[PORT_MAX_LUNS];
    struct port_request req;
    void *srb;                        /* a SCSI_REQUEST_BLOCK */
    uint8_t *sense;                   /* physical memory: the port may DMA */
    uint8_t *buf;                     /* 4 KiB of answers */
};

/* Start the scan on CPU 0 at PASSIVE_LEVEL; the steps run as passive work
 * on CPU 0, each posted by the previous request's completion. When done,
 * pa->ready is set and @c ready is called (if not NULL). Returns 0, or
 * -ENOMEM. The fields before @c item must be set by the caller. */
int port_scan_start(struct port_scan *sc);

/* Set the fields before @c item and start: what both port drivers do once
 * HwInitialize has returned. Returns what port_scan_start() returns. */
int port_scan_begin(struct port_scan *sc, struct port_adapter *pa,
                    int (*submit)(struct port_adapter *pa,
                                  struct port_request *req),
                    void (*ready)(struct port_adapter *pa, bool ok, void *ctx),
                    void *ready_ctx, int max_targets);

/* Free what a scan that did not finish still holds. */
void port_scan_free(struct port_scan *sc);

#endif /* STORSIM_PORT_SCAN_H */
