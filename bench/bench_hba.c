/* bench_hba.c: how fast the SIMHBA model runs: device commands completed
 * per host second.
 *
 * A trivial driver keeps 32 4 KiB reads in flight on one adapter (NVMe-like
 * disk): a thread posts the first 32, and the ISR drains the completion
 * ring and reposts each finished descriptor in the slot it came from, with
 * one doorbell and one CMPL_CONS write per interrupt. Run with and without
 * interrupt coalescing, each three times (the host is shared and noisy;
 * the best run is the one least disturbed). The reads hit blocks never
 * written (the disk fills them with zeros); the last run writes them first,
 * to show what the disk's backing store adds. Target: at least 3 million
 * device commands per host second. This is the only place that reads the
 * wall clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storsim/hba.h"
#include "storsim/physmem.h"
#include "storsim/sim.h"

#define QD 32
#define XFER 4096

static struct {
    struct hba *hba;
    struct sim_interrupt intr;
    struct sim_thread_item item;
    struct simhba_req_desc *req, tmpl[QD];
    struct simhba_cmpl_desc *cmpl;
    uint32_t prod, cons;
    uint64_t posted, done, total, isrs;
} b;

static double
seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
post(uint32_t tag)
{
    if (b.posted == b.total)
        return;
    b.req[b.prod & (QD - 1)] = b.tmpl[tag];
    b.prod++;
    b.posted++;
}

static bool
isr(void *ctx)
{
    uint32_t st = hba_read32(b.hba, SIMHBA_REG_INTR_STATUS, SIM_HERE);
    uint32_t prod;

    (void)ctx;
    if (st == 0)
        return false;
    b.isrs++;
    hba_write32(b.hba, SIMHBA_REG_INTR_STATUS, st, SIM_HERE);
    prod = hba_read32(b.hba, SIMHBA_REG_CMPL_PROD, SIM_HERE);
    while (b.cons != prod) {
        post(b.cmpl[b.cons & (QD - 1)].tag);
        b.cons++;
        b.done++;
    }
    hba_write32(b.hba, SIMHBA_REG_CMPL_CONS, b.cons, SIM_HERE);
    hba_write32(b.hba, SIMHBA_REG_REQ_DOORBELL, b.prod, SIM_HERE);
    return true;
}

static void
wr(uint32_t off, uint32_t v)
{
    hba_write32(b.hba, off, v, SIM_HERE);
}

static void
start(void *ctx)
{
    uint64_t req = physmem_virt_to_phys(b.req);
    uint64_t cmpl = physmem_virt_to_phys(b.cmpl);

    (void)ctx;
    wr(SIMHBA_REG_REQ_BASE_LO, (uint32_t)req);
    wr(SIMHBA_REG_REQ_BASE_HI, (uint32_t)(req >> 32));
    wr(SIMHBA_REG_REQ_SIZE, QD);
    wr(SIMHBA_REG_CMPL_BASE_LO, (uint32_t)cmpl);
    wr(SIMHBA_REG_CMPL_BASE_HI, (uint32_t)(cmpl >> 32));
    wr(SIMHBA_REG_CMPL_SIZE, QD);
    wr(SIMHBA_REG_INTR_MASK, SIMHBA_INTR_CMPL);
    wr(SIMHBA_REG_CONTROL, SIMHBA_CONTROL_ENABLE);
    for (uint32_t i = 0; i < QD; i++)
        post(i);
    wr(SIMHBA_REG_REQ_DOORBELL, b.prod);
}

static void
make_template(uint32_t tag)
{
    struct simhba_req_desc *d = &b.tmpl[tag];
    uint8_t *buf = physmem_alloc(XFER, false);
    struct physmem_extent ext[SIMHBA_INLINE_SG];
    size_t n;
    uint32_t lba = tag * 8;

    memset(d, 0, sizeof *d);
    d->tag = tag;
    d->cdb_len = 10;
    d->cdb[0] = SCSI_OP_READ_10;
    d->cdb[2] = (uint8_t)(lba >> 24);
    d->cdb[3] = (uint8_t)(lba >> 16);
    d->cdb[4] = (uint8_t)(lba >> 8);
    d->cdb[5] = (uint8_t)lba;
    d->cdb[8] = XFER / 512;
    d->direction = SIMHBA_DIR_IN;
    d->data_length = XFER;
    physmem_build_sg(buf, XFER, ext, SIMHBA_INLINE_SG, 0, &n);
    for (size_t i = 0; i < n; i++)
        d->sg[i] = (struct simhba_sg_elem){ ext[i].phys, ext[i].length, 0 };
    d->sg_count = (uint32_t)n;
}

/* Write the blocks the reads will read, so they come from the disk's
 * store rather than its zero-fill path. */
static void
prefill(void)
{
    static uint8_t data[XFER];
    struct scsi_disk *disk = hba_lun_disk(b.hba, 0, 0);
    struct scsi_disk_result res;

    memset(data, 0x5A, sizeof data);
    for (uint32_t tag = 0; tag < QD; tag++) {
        uint32_t lba = tag * 8;
        uint8_t cdb[10] = { SCSI_OP_WRITE_10, 0, (uint8_t)(lba >> 24),
                            (uint8_t)(lba >> 16), (uint8_t)(lba >> 8),
                            (uint8_t)lba, 0, 0, XFER / 512, 0 };
        scsi_disk_execute_buf(disk, cdb, sizeof cdb, data, sizeof data, &res);
    }
}

static void
setup(uint32_t coalesce_count, uint32_t coalesce_ns, uint64_t total)
{
    struct sim_config mc;
    struct hba_config cfg;

    memset(&b, 0, sizeof b);
    b.total = total;
    sim_config_default(&mc);
    mc.ncpus = 1;
    if (sim_create(&mc, NULL, 0) < 0)
        exit(1);
    hba_config_default(&cfg);
    cfg.queue_depth = QD;
    cfg.coalesce_count = coalesce_count;
    cfg.coalesce_ns = coalesce_ns;
    if (hba_create(&cfg, &b.hba) < 0 ||
        sim_interrupt_connect(&b.intr, "simhba0", 5, SIM_IRQ_LEVEL, 0, isr,
                              NULL) < 0 ||
        hba_attach_interrupt(b.hba, &b.intr) < 0)
        exit(1);
    b.req = physmem_alloc(QD * sizeof *b.req, true);
    b.cmpl = physmem_alloc(QD * sizeof *b.cmpl, true);
    for (uint32_t i = 0; i < QD; i++)
        make_template(i);
}

static void
teardown(void)
{
    hba_destroy(b.hba);
    sim_destroy();
    physmem_reset();
}

/* One run: host seconds for `total` commands. */
static double
run_once(uint32_t count, uint32_t ns, uint64_t total, bool written,
         double *per_irq, double *iops)
{
    double t0, t1;
    struct hba_stats st;

    setup(count, ns, total);
    if (written)
        prefill();
    sim_cpu_post(&b.item, 0, start, NULL, "driver", 0);
    t0 = seconds();
    sim_run(NULL);
    t1 = seconds();
    hba_get_stats(b.hba, &st);
    if (b.done != total || st.completions != total) {
        fprintf(stderr, "only %llu of %llu completed\n",
                (unsigned long long)b.done, (unsigned long long)total);
        exit(1);
    }
    *per_irq = (double)total / (double)b.isrs;
    *iops = (double)total / ((double)sim_now() / 1e9);
    teardown();
    return t1 - t0;
}

static void
bench(const char *name, uint32_t count, uint32_t ns, bool written,
      uint64_t total)
{
    double best = 1e9, per_irq = 0, iops = 0;

    for (int i = 0; i < 3; i++) {
        double t = run_once(count, ns, total, written, &per_irq, &iops);
        if (t < best)
            best = t;
    }
    printf("hba %s: %.2f million device commands per host second\n", name,
           (double)total / best / 1e6);
    printf("hba %s: %.1f completions per interrupt\n", name, per_irq);
    printf("hba %s: %.0f thousand simulated IOPS\n", name, iops / 1e3);
}

int
main(void)
{
    const uint64_t total = 400000;

    bench("4KiB reads qd32 no coalescing", 0, 0, false, total);
    bench("4KiB reads qd32 coalesce 16/20us", 16, 20000, false, total);
    bench("4KiB reads of written data qd32 coalesce 16/20us", 16, 20000,
          true, total);
    return 0;
}
