/* test_sim_machine.c: configuration, the event queue, run control, and
 * determinism (same seed, same trace; stepping never changes the run). */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "storsim/sim.h"
#include "storsim/synth.h"
#include "tests/sim_helpers.h"

START_TEST(test_config_validation)
{
    struct sim_config cfg;
    char err[256];

    sim_config_default(&cfg);
    ck_assert_int_eq(sim_config_set(&cfg, "cpus", "65", err, sizeof err),
                     -EINVAL);
    ck_assert_str_eq(err, "cpus: '65' is out of range (1..64)");
    ck_assert_int_eq(sim_config_set(&cfg, "cpus", "0", err, sizeof err),
                     -EINVAL);
    ck_assert_int_eq(sim_config_set(&cfg, "cpus", "four", err, sizeof err),
                     -EINVAL);
    ck_assert_int_eq(sim_config_set(&cfg, "cpus", "8", err, sizeof err), 0);
    ck_assert_int_eq(cfg.ncpus, 8);
    ck_assert_int_eq(sim_config_set(&cfg, "watchdog", "2ms", err, sizeof err),
                     0);
    ck_assert_uint_eq(cfg.watchdog, SIM_MS(2));
    ck_assert_int_eq(sim_config_set(&cfg, "watchdog", "5 parsecs", err,
                                    sizeof err), -EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "'5 parsecs'"));
    ck_assert_int_eq(sim_config_set(&cfg, "trace-ring", "1000", err,
                                    sizeof err), -EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "power of two"));
    ck_assert_int_eq(sim_config_set(&cfg, "cpu", "4", err, sizeof err),
                     -ENOENT);
    ck_assert_ptr_nonnull(strstr(err, "'cpu'"));
    cfg.ncpus = 100;
    ck_assert_int_eq(sim_create(&cfg, err, sizeof err), -EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "100"));
    ck_assert(!sim_exists());
}
END_TEST

START_TEST(test_parse_time)
{
    sim_time_t t;

    ck_assert_int_eq(sim_parse_time("80us", &t), 0);
    ck_assert_uint_eq(t, 80000);
    ck_assert_int_eq(sim_parse_time("1.5ms", &t), 0);
    ck_assert_uint_eq(t, 1500000);
    ck_assert_int_eq(sim_parse_time("250", &t), 0);
    ck_assert_uint_eq(t, 250);
    ck_assert_int_eq(sim_parse_time("2s", &t), 0);
    ck_assert_uint_eq(t, SIM_SEC(2));
    ck_assert_int_eq(sim_parse_time("-1us", &t), -EINVAL);
    ck_assert_int_eq(sim_parse_time("3 weeks", &t), -EINVAL);
    ck_assert_int_eq(sim_parse_time("", &t), -EINVAL);
}
END_TEST

static int fired[8], nfired;

static void
note(struct sim_event *ev)
{
    fired[nfired++] = (int)(ev->name[0] - '0');
}

START_TEST(test_event_order)
{
    static struct sim_event ev[5];
    const char *names[5] = { "0", "1", "2", "3", "4" };

    sim_test_begin(1, 0);
    for (int i = 0; i < 5; i++)
        sim_event_init(&ev[i], note, names[i]);
    /* Same time: scheduling order. Earlier time first. Rescheduling moves. */
    sim_event_schedule(&ev[0], SIM_US(5));
    sim_event_schedule(&ev[1], SIM_US(5));
    sim_event_schedule(&ev[2], SIM_US(1));
    sim_event_schedule(&ev[3], SIM_US(9));
    sim_event_schedule(&ev[4], SIM_US(2));
    sim_event_schedule(&ev[3], SIM_US(5));   /* now after 0 and 1 */
    sim_event_cancel(&ev[4]);
    ck_assert(!sim_event_pending(&ev[4]));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_int_eq(nfired, 4);
    ck_assert_int_eq(fired[0], 2);
    ck_assert_int_eq(fired[1], 0);
    ck_assert_int_eq(fired[2], 1);
    ck_assert_int_eq(fired[3], 3);
    ck_assert_uint_eq(sim_now(), SIM_US(5));
    sim_test_end();
}
END_TEST

/* Run the synthetic workload and return its trace hash. `chunk` > 0 runs
 * it in steps of that many events instead of in one go. */
static uint64_t
synth_hash(uint64_t seed, uint64_t chunk, uint64_t *events)
{
    struct sim_config cfg;
    struct sim_synth_config w;
    struct sim_synth_result r;
    enum sim_stop_reason why;
    char err[128];

    sim_config_default(&cfg);
    cfg.seed = seed;
    ck_assert_int_eq(sim_create(&cfg, err, sizeof err), 0);
    sim_synth_config_default(&w);
    w.requests = 150;
    ck_assert_int_eq(sim_synth_start(&w), 0);
    if (chunk == 0) {
        why = sim_run(NULL);
    } else {
        struct sim_run_limits lim = { .steps = chunk };
        uint64_t before;
        do {
            before = sim_trace_count();
            why = sim_run(&lim);
            if (why == SIM_STOP_STEPS)
                ck_assert_uint_eq(sim_trace_count() - before, chunk);
        } while (why == SIM_STOP_STEPS);
    }
    ck_assert_int_eq(why, SIM_STOP_IDLE);
    sim_synth_result(&r);
    ck_assert_uint_eq(r.completed, 4 * 150);
    *events = r.events;
    sim_synth_stop();
    sim_destroy();
    return r.trace_hash;
}

START_TEST(test_same_seed_same_trace)
{
    uint64_t e1, e2, e3;
    uint64_t h1 = synth_hash(7, 0, &e1);
    uint64_t h2 = synth_hash(7, 0, &e2);
    uint64_t h3 = synth_hash(8, 0, &e3);

    ck_assert_uint_gt(e1, 10000);
    ck_assert_uint_eq(h1, h2);
    ck_assert_uint_eq(e1, e2);
    ck_assert_uint_ne(h1, h3);   /* another seed, another run */
}
END_TEST

START_TEST(test_stepping_changes_nothing)
{
    uint64_t e0, e1, e7;
    uint64_t whole = synth_hash(3, 0, &e0);

    ck_assert_uint_eq(synth_hash(3, 1, &e1), whole);
    ck_assert_uint_eq(synth_hash(3, 7, &e7), whole);
    ck_assert_uint_eq(e1, e0);
    ck_assert_uint_eq(e7, e0);
}
END_TEST

static bool
is_bugcheck_or_dpc(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    return ev->kind == SIM_EV_DPC_RUN;
}

START_TEST(test_run_until_time_and_match)
{
    struct sim_synth_config w;
    struct sim_run_limits lim = { .until = SIM_US(200) };
    const struct sim_trace_event *last;

    sim_test_begin(2, 0);
    sim_synth_config_default(&w);
    w.requests = 50;
    ck_assert_int_eq(sim_synth_start(&w), 0);
    ck_assert_int_eq(sim_run(&lim), SIM_STOP_TIME);
    ck_assert_uint_le(sim_now(), SIM_US(200));
    lim = (struct sim_run_limits){ .match = is_bugcheck_or_dpc };
    ck_assert_int_eq(sim_run(&lim), SIM_STOP_MATCH);
    last = sim_trace_recent(0);
    ck_assert_ptr_nonnull(last);
    ck_assert_int_eq(last->kind, SIM_EV_DPC_RUN);
    ck_assert_str_eq(last->detail, "CompletionDpc");
    /* Paused inside the DPC, on a CPU, at DISPATCH_LEVEL. */
    ck_assert_int_ge(last->cpu, 0);
    ck_assert_int_eq(sim_cpu_get(last->cpu)->irql, DISPATCH_LEVEL);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    sim_synth_stop();
    sim_test_end();
}
END_TEST

/* Destroying a machine paused in the middle of a routine (after a step)
 * leaves no trace: a new machine runs normally, also under ASan. */
START_TEST(test_destroy_while_paused)
{
    struct sim_synth_config w;
    uint64_t e1, e2;

    /* Every pause point of the first 80 steps: in a thread, a DPC, an
     * ISR, spinning, or in device context. */
    for (uint64_t n = 1; n <= 80; n++) {
        struct sim_run_limits lim = { .steps = n };
        sim_test_begin(2, 0);
        sim_synth_config_default(&w);
        w.requests = 20;
        ck_assert_int_eq(sim_synth_start(&w), 0);
        ck_assert_int_eq(sim_run(&lim), SIM_STOP_STEPS);
        sim_synth_stop();
        sim_test_end();
    }
    synth_hash(5, 0, &e1);
    synth_hash(5, 3, &e2);
    ck_assert_uint_eq(e1, e2);
}
END_TEST

START_TEST(test_trace_ring)
{
    struct sim_synth_config w;
    char line[320];

    sim_test_begin(2, 0);
    sim_synth_config_default(&w);
    w.requests = 200;
    sim_synth_start(&w);
    sim_run(NULL);
    ck_assert_uint_gt(sim_trace_count(), 4096);
    ck_assert_ptr_nonnull(sim_trace_recent(4095));
    ck_assert_ptr_null(sim_trace_recent(4096));   /* left the ring */
    ck_assert_uint_eq(sim_trace_recent(0)->seq, sim_trace_count() - 1);
    sim_trace_format(sim_trace_recent(0), line, sizeof line);
    ck_assert_ptr_nonnull(strstr(line, " us "));
    sim_synth_stop();
    sim_test_end();
}
END_TEST

START_TEST(test_rng_streams)
{
    struct sim_rng a, b;

    sim_rng_seed(&a, 42);
    sim_rng_seed(&b, 42);
    for (int i = 0; i < 100; i++)
        ck_assert_uint_eq(sim_rng_next(&a), sim_rng_next(&b));
    for (int i = 0; i < 1000; i++)
        ck_assert_uint_lt(sim_rng_below(&a, 7), 7);
}
END_TEST

/* A quiet subscriber is skipped, and called again, in its old place,
 * once it is not quiet; the others go on being called throughout. */
static char calls[16];
static int ncalls;

static void
note_call(const struct sim_trace_event *ev, void *ctx)
{
    (void)ev;
    if (ncalls < (int)sizeof calls - 1)
        calls[ncalls++] = *(const char *)ctx;
}

START_TEST(test_quiet_subscriber_keeps_its_place)
{
    static const char a = 'a', b = 'b', c = 'c';

    sim_test_begin(1, 1);
    ncalls = 0;
    ck_assert_int_eq(sim_trace_subscribe(note_call, (void *)&a), 0);
    ck_assert_int_eq(sim_trace_subscribe(note_call, (void *)&b), 0);
    ck_assert_int_eq(sim_trace_subscribe(note_call, (void *)&c), 0);
    sim_trace_emit(&(struct sim_trace_args){ .kind = SIM_EV_MARK });
    sim_trace_quiet(note_call, (void *)&b, true);
    sim_trace_emit(&(struct sim_trace_args){ .kind = SIM_EV_MARK });
    sim_trace_quiet(note_call, (void *)&b, false);
    sim_trace_emit(&(struct sim_trace_args){ .kind = SIM_EV_MARK });
    calls[ncalls] = '\0';
    ck_assert_str_eq(calls, "abcacabc");
    ck_assert_uint_ge(sim_trace_ring_size(), 16);
    sim_test_end();
}
END_TEST

Suite *
sim_machine_suite(void)
{
    Suite *s = suite_create("sim_machine");
    TCase *tc = tcase_create("config");

    tcase_add_test(tc, test_config_validation);
    tcase_add_test(tc, test_quiet_subscriber_keeps_its_place);
    tcase_add_test(tc, test_parse_time);
    tcase_add_test(tc, test_rng_streams);
    suite_add_tcase(s, tc);
    tc = tcase_create("events");
    tcase_add_test(tc, test_event_order);
    tcase_add_test(tc, test_run_until_time_and_match);
    tcase_add_test(tc, test_trace_ring);
    suite_add_tcase(s, tc);
    tc = tcase_create("determinism");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_same_seed_same_trace);
    tcase_add_test(tc, test_stepping_changes_nothing);
    tcase_add_test(tc, test_destroy_while_paused);
    suite_add_tcase(s, tc);
    return s;
}
