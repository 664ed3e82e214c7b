/* bench_sim.c: how fast the simulated machine runs.
 *
 * Measures the fiber switch round trip (the cost under every yield point)
 * and the trace events per host second of the synthetic 4-CPU workload.
 * Targets (issue 2): a round trip of at most 50 ns on x86-64, and at least
 * 5 million simulated events per host second. This is the only place that
 * reads the wall clock.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim/fiber.h"
#include "storsim/sim.h"
#include "storsim/synth.h"

static struct sim_fiber host, *peer;
static volatile uint64_t bounces;

static double
seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
bouncer(void *arg)
{
    (void)arg;
    for (;;) {
        bounces++;
        sim_fiber_switch(peer, &host);
    }
}

static void
bench_switch(void)
{
    const uint64_t n = 20000000;
    double t0, t1;

    sim_fiber_init_host(&host);
    peer = sim_fiber_create(64 * 1024, bouncer, NULL);
    if (peer == NULL) {
        fprintf(stderr, "cannot create a fiber\n");
        exit(1);
    }
    sim_fiber_switch(&host, peer);        /* warm up */
    t0 = seconds();
    for (uint64_t i = 0; i < n; i++)
        sim_fiber_switch(&host, peer);
    t1 = seconds();
    printf("fiber switch (%s): %.1f ns per round trip\n", sim_fiber_kind(),
           (t1 - t0) * 1e9 / (double)n);
    sim_fiber_destroy(peer);
}

static void
bench_events(void)
{
    struct sim_config cfg;
    struct sim_synth_config w;
    struct sim_synth_result r;
    char err[128];
    double t0, t1;

    sim_config_default(&cfg);
    cfg.ncpus = 4;
    if (sim_create(&cfg, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    sim_synth_config_default(&w);
    w.requests = 100000;
    sim_synth_start(&w);
    t0 = seconds();
    sim_run(NULL);
    t1 = seconds();
    sim_synth_result(&r);
    printf("synthetic 4-CPU workload: %" PRIu64 " events, %" PRIu64
           " requests in %.3f s host time\n", r.events, r.completed, t1 - t0);
    printf("machine events per host second: %.2f million\n",
           (double)r.events / (t1 - t0) / 1e6);
    printf("simulated time per host second: %.1f ms\n",
           (double)r.elapsed / 1e6 / (t1 - t0));
    sim_synth_stop();
    sim_destroy();
}

int
main(void)
{
    bench_switch();
    bench_events();
    return 0;
}
