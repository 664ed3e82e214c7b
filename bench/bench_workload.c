/* bench_workload.c: how fast the requests-from-above layer runs.
 *
 * Measures the pieces every request pays on the host: stamping a written
 * block, checking a read one, recording a latency; then whole workloads
 * through the default stack (Storport, the miniport, SIMHBA), every read
 * verified, in requests per host second. Reading the wall clock is allowed
 * here and nowhere else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "storsim/hist.h"
#include "storsim/physmem.h"
#include "storsim/stack.h"
#include "storsim/workload.h"
#include "workload/wl_int.h"

static double
seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
bench_stamps(void)
{
    enum { BLOCK = 4096, N = 200000 };
    static uint8_t block[BLOCK];
    uint32_t found;
    unsigned bad = 0;
    double t0 = seconds(), t1, t2;

    for (uint32_t i = 0; i < N; i++)
        wl_stamp_fill(block, BLOCK, 1, i, i + 1, i);
    t1 = seconds();
    for (uint32_t i = 0; i < N; i++)
        bad += wl_stamp_check(block, BLOCK, 1, N - 1, N, true, &found) != WL_V_STAMP;
    t2 = seconds();
    printf("stamp 4 KiB block: fill %.2f GB/s, check %.2f GB/s%s\n",
           (double)N * BLOCK / (t1 - t0) / 1e9, (double)N * BLOCK / (t2 - t1) / 1e9,
           bad ? " (CHECK FAILED)" : "");
}

static void
bench_hist(void)
{
    enum { N = 50000000 };
    struct hist *h = hist_create();
    uint64_t x = 1;
    double t0, t1;

    if (h == NULL)
        return;
    t0 = seconds();
    for (uint32_t i = 0; i < N; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        hist_record(h, x >> 40);
    }
    t1 = seconds();
    printf("hist_record: %.1f ns per value (p99 %llu)\n", (t1 - t0) * 1e9 / N,
           (unsigned long long)hist_quantile(h, 0.99));
    hist_destroy(h);
}

static void
bench_stack(const char *text)
{
    struct stack_config cfg;
    struct stack *st;
    struct wl_spec spec;
    struct wl_result res;
    char err[256];
    double t0;

    stack_config_default(&cfg);
    wl_spec_default(&spec);
    if (stack_create(&cfg, &st, err, sizeof err) < 0 || stack_boot(st) < 0 ||
        wl_spec_parse(&spec, text, err, sizeof err) < 0) {
        fprintf(stderr, "bench_workload: %s\n", err);
        exit(1);
    }
    t0 = seconds();
    if (wl_run(st->pa, &spec, &res, err, sizeof err) < 0) {
        fprintf(stderr, "bench_workload: %s\n", err);
        exit(1);
    }
    printf("%s\n  %.0f requests per host second, %.0f simulated IOPS, %s\n", text,
           (double)res.issued / (seconds() - t0), res.all.iops,
           res.ok ? "integrity OK" : "INTEGRITY FAILED");
    stack_destroy(st);
    physmem_reset();
}

int
main(void)
{
    bench_stamps();
    bench_hist();
    bench_stack("pattern=random bs=4k qd=8 count=200000 read=70 cpus=0-3 size=64M");
    bench_stack("pattern=seq bs=256k qd=4 count=5000 read=50 cpus=0-1 srb=ex");
    return 0;
}
