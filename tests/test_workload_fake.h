/* test_workload_fake.h: a fake port driver over RAM disks, for testing the
 * workload layer while the real port drivers are being written.
 *
 * Interface: fake_port_init() sets up an adapter (fp->pa) with LUNs of the
 * given geometry, already "scanned"; the workload submits to it with
 * port_submit(). Each request is executed after fp->latency (+ jitter) in
 * device context against a sparse RAM disk, by DMA over the data buffer's
 * real scatter/gather list (physmem_build_sg()), and completed from a DPC
 * with port_complete(), as a port driver does. Knobs inject the faults the
 * workload must catch: corrupt a read, drop, duplicate or refuse a request,
 * fail one with CHECK CONDITION. fake_port_fini() frees the RAM disks.
 */
#ifndef STORSIM_TESTS_WORKLOAD_FAKE_H
#define STORSIM_TESTS_WORKLOAD_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "storport.h"
#include "storsim/port.h"
#include "storsim/sim.h"

/* What the fake saw of one SRB (the first FAKE_RECS are kept). */
struct fake_rec {
    bool ex;                   /* a STORAGE_REQUEST_BLOCK */
    ULONG function;            /* SrbGetSrbFunction() */
    UCHAR path, target, lun;
    UCHAR cdb[16], cdb_length;
    ULONG flags, length, timeout;
    uint64_t lba;              /* READ/WRITE */
    uint32_t blocks;
    size_t sg_elements;        /* of the data buffer */
    int cpu;                   /* where port_submit() was called */
    sim_irql_t irql;           /* at what IRQL */
};

#define FAKE_RECS 256

struct fake_chunk;

struct fake_port {
    struct port_adapter pa;    /* first: what the workload sees */
    /* behaviour */
    sim_time_t latency;        /* device time per request (default 20 us) */
    sim_time_t jitter;         /* plus uniform [0, jitter) */
    sim_time_t write_extra;    /* plus this for a WRITE */
    int dpc_cpu;               /* CPU of the completion DPC; -1 = submitter's */
    sim_time_t tick;           /* a periodic device event that keeps the
                                  machine from ever going idle (0 = none) */
    uint64_t corrupt_read_nth; /* flip a byte in the Nth READ's data (1-based) */
    uint64_t no_data_read_nth; /* the Nth READ succeeds without moving data */
    uint64_t drop_nth;         /* never complete the Nth SRB */
    uint64_t dup_nth;          /* complete the Nth SRB twice */
    uint64_t refuse_nth;       /* port_submit() of the Nth SRB fails */
    uint64_t check_nth;        /* fail the Nth SRB with CHECK CONDITION */
    UCHAR check_key, check_asc;
    /* what it saw */
    uint64_t nsrbs, reads, writes;
    uint64_t by_function[256];
    uint64_t sg_violations, len_violations;
    size_t max_sg;
    struct fake_rec recs[FAKE_RECS];
    /* internals */
    struct sim_event ev;
    struct sim_event tick_ev;
    struct sim_rng rng;
    struct port_request *pending;
    struct port_request *done[SIM_MAX_CPUS];
    struct sim_dpc dpc[SIM_MAX_CPUS];
    struct fake_chunk *chunks;
    size_t nchunks, cap;
};

void fake_port_init(struct fake_port *fp, int nluns, uint32_t block_size,
                    uint64_t blocks);
void fake_port_fini(struct fake_port *fp);
/* Copy blocks out of the RAM disk of LUN index @lun. */
void fake_disk_read(struct fake_port *fp, int lun, uint64_t lba, void *buf,
                    uint32_t bytes);

#endif /* STORSIM_TESTS_WORKLOAD_FAKE_H */
