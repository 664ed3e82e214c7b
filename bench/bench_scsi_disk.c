/* bench_scsi_disk.c: how many commands per host second the SCSI disk model executes.
 *
 * Runs scsi_disk_execute() in a loop for 4 KiB READ(10)s that hit written
 * memory, 4 KiB READ(10)s of never-written (zero) areas, 4 KiB WRITE(10)s
 * through to the store and into the write cache, and prints commands per
 * host second and ns per command. Target: a 4 KiB read that hits memory
 * well under 1 us. This program reads the wall clock; the model never does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "storsim/scsi_disk.h"

#define REGION_BLOCKS (16384u * 8u)     /* 64 MiB of 512-byte blocks, pre-written */
#define COMMANDS      2000000u

static double
seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
cdb10(uint8_t *cdb, uint8_t op, uint32_t lba, uint16_t blocks)
{
    cdb[0] = op;
    cdb[1] = 0;
    cdb[2] = (uint8_t)(lba >> 24);
    cdb[3] = (uint8_t)(lba >> 16);
    cdb[4] = (uint8_t)(lba >> 8);
    cdb[5] = (uint8_t)lba;
    cdb[6] = 0;
    cdb[7] = (uint8_t)(blocks >> 8);
    cdb[8] = (uint8_t)blocks;
    cdb[9] = 0;
}

static struct scsi_disk *
make(bool wce)
{
    struct scsi_disk_config cfg;
    struct scsi_disk *d;

    scsi_disk_config_init(&cfg);
    cfg.capacity_blocks = 1ull << 31;   /* 1 TiB */
    cfg.write_cache = wce;
    if (scsi_disk_create(&cfg, &d) < 0) {
        fprintf(stderr, "cannot create a disk\n");
        exit(1);
    }
    return d;
}

/* Run COMMANDS 4 KiB commands of one opcode at random 8-aligned LBAs below span. */
static void
run(const char *what, struct scsi_disk *d, uint8_t op, uint32_t base, uint32_t span)
{
    static uint8_t buf[4096];
    struct scsi_disk_result res;
    uint64_t rng = 88172645463325252ull, bad = 0;
    uint8_t cdb[10];
    double t0, t1;

    t0 = seconds();
    for (uint32_t i = 0; i < COMMANDS; i++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        cdb10(cdb, op, base + (uint32_t)(rng % (span / 8)) * 8, 8);
        scsi_disk_execute_buf(d, cdb, sizeof cdb, buf, sizeof buf, &res);
        bad += res.status != SCSI_STATUS_GOOD;
    }
    t1 = seconds();
    printf("scsi_disk %-28s %6.2f M commands per host second (%5.0f ns each)%s\n", what,
           COMMANDS / (t1 - t0) / 1e6, (t1 - t0) * 1e9 / COMMANDS,
           bad ? "  SOME FAILED" : "");
    if (bad)
        exit(1);
}

int
main(void)
{
    struct scsi_disk *d = make(false), *c = make(true);
    static uint8_t buf[64 * 1024];
    struct scsi_disk_result res;
    uint8_t cdb[10];

    /* fill the region so reads hit allocated memory */
    for (uint32_t lba = 0; lba < REGION_BLOCKS; lba += 128) {
        cdb10(cdb, SCSI_OP_WRITE_10, lba, 128);
        scsi_disk_execute_buf(d, cdb, sizeof cdb, buf, sizeof buf, &res);
    }
    run("4 KiB READ(10), written", d, SCSI_OP_READ_10, 0, REGION_BLOCKS);
    run("4 KiB READ(10), never written", d, SCSI_OP_READ_10, 1u << 30, REGION_BLOCKS);
    run("4 KiB WRITE(10), write-through", d, SCSI_OP_WRITE_10, 0, REGION_BLOCKS);
    run("4 KiB WRITE(10), write cache", c, SCSI_OP_WRITE_10, 0, REGION_BLOCKS);
    scsi_disk_destroy(d);
    scsi_disk_destroy(c);
    return 0;
}
