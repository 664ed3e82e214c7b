/* test_sim_cpu.c: IRQL rules, preemption of work, routine tracking and
 * CPU time accounting. */
#include <check.h>
#include <string.h>

#include "storsim/sim.h"
#include "tests/sim_helpers.h"

static struct sim_thread_item item;
static struct sim_dpc dpc;
static struct sim_interrupt intr;
static struct sim_event dev_ev;
static sim_time_t dpc_done_at, isr_at;
static int isr_cpu;

static void
raise_then_lower_to_passive(void *ctx)
{
    (void)ctx;
    sim_irql_raise(DISPATCH_LEVEL, SIM_HERE);
    sim_irql_raise(PASSIVE_LEVEL, SIM_HERE);   /* a raise that lowers */
}

START_TEST(test_raise_to_lower_bugchecks)
{
    const struct sim_bugcheck_info *bc;

    sim_test_begin(1, 0);
    sim_cpu_post(&item, 0, raise_then_lower_to_passive, NULL, "t", 0);
    bc = sim_test_expect_bugcheck(IRQL_NOT_GREATER_OR_EQUAL);
    ck_assert_uint_eq(bc->param[0], DISPATCH_LEVEL);
    ck_assert_uint_eq(bc->param[1], PASSIVE_LEVEL);
    ck_assert_int_eq(bc->cpu, 0);
    ck_assert_int_eq(bc->irql, DISPATCH_LEVEL);
    ck_assert_str_eq(bc->file, __FILE__);
    ck_assert_str_eq(sim_bugcheck_name(bc->code), "IRQL_NOT_GREATER_OR_EQUAL");
    sim_test_end();
}
END_TEST

static void
lower_above(void *ctx)
{
    (void)ctx;
    sim_irql_lower(DISPATCH_LEVEL, SIM_HERE);   /* at PASSIVE: lowering up */
}

START_TEST(test_lower_to_higher_bugchecks)
{
    const struct sim_bugcheck_info *bc;

    sim_test_begin(1, 0);
    sim_cpu_post(&item, 0, lower_above, NULL, "t", 0);
    bc = sim_test_expect_bugcheck(IRQL_NOT_LESS_OR_EQUAL);
    ck_assert_uint_eq(bc->param[0], DISPATCH_LEVEL);
    ck_assert_uint_eq(bc->param[1], PASSIVE_LEVEL);
    sim_test_end();
}
END_TEST

static void
return_raised(void *ctx)
{
    (void)ctx;
    sim_irql_raise(DISPATCH_LEVEL, SIM_HERE);
}

START_TEST(test_return_at_raised_irql)
{
    const struct sim_bugcheck_info *bc;

    sim_test_begin(1, 0);
    sim_cpu_post(&item, 0, return_raised, NULL, "Worker", 0);
    bc = sim_test_expect_bugcheck(IRQL_UNEXPECTED_VALUE);
    /* (current << 16) | (expected << 8) | unique */
    ck_assert_uint_eq(bc->param[0], (DISPATCH_LEVEL << 16) | (PASSIVE_LEVEL << 8));
    ck_assert_ptr_nonnull(strstr(bc->why, "Worker"));
    sim_test_end();
}
END_TEST

/* A DPC that works 10 us; an interrupt arrives 3 us into it. */
static void
long_dpc(struct sim_dpc *d, void *ctx, void *a1, void *a2)
{
    (void)d; (void)ctx; (void)a1; (void)a2;
    sim_work(SIM_US(10), SIM_HERE);
    dpc_done_at = sim_now();
}

static bool
isr_2us(void *ctx)
{
    (void)ctx;
    isr_at = sim_now();
    isr_cpu = sim_cpu_current();
    sim_work(SIM_US(2), SIM_HERE);
    return true;
}

static void
fire(struct sim_event *ev)
{
    (void)ev;
    sim_interrupt_signal(&intr);
}

static void
queue_long_dpc(void *ctx)
{
    (void)ctx;
    sim_dpc_queue(&dpc, NULL, NULL);
}

static sim_time_t preempt_left;

static void
watch_preempt(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == SIM_EV_PREEMPT)
        preempt_left = ev->arg;
}

START_TEST(test_interrupt_preempts_dpc_work)
{
    sim_test_begin(1, 1);
    sim_dpc_init(&dpc, "LongDpc", long_dpc, NULL);
    ck_assert_int_eq(sim_interrupt_connect(&intr, "dev", 5, SIM_IRQ_EDGE, 0,
                                           isr_2us, NULL), 0);
    sim_event_init(&dev_ev, fire, "device");
    sim_event_schedule(&dev_ev, SIM_US(3));
    sim_trace_subscribe(watch_preempt, NULL);
    sim_cpu_post(&item, 0, queue_long_dpc, NULL, "t", 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_uint_eq(isr_at, SIM_US(3));        /* taken mid-DPC, at once */
    ck_assert_int_eq(isr_cpu, 0);
    ck_assert_uint_eq(preempt_left, SIM_US(7));  /* 7 us of the DPC left */
    ck_assert_uint_eq(dpc_done_at, SIM_US(12));  /* 10 us + the 2 us ISR */
    ck_assert_uint_eq(sim_cpu_get(0)->busy_at[DISPATCH_LEVEL], SIM_US(10));
    ck_assert_uint_eq(sim_cpu_get(0)->busy_at[5], SIM_US(2));
    ck_assert_uint_eq(dpc.runs, 1);
    sim_test_end();
}
END_TEST

/* A run paused at an activation's retire event shows the CPU as it is
 * then: with nothing left on it, idle, not still "running". */
static bool
is_retire(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    return ev->kind == SIM_EV_RETIRE;
}

static void
short_work(void *ctx)
{
    (void)ctx;
    sim_work(SIM_US(1), SIM_HERE);
}

START_TEST(test_paused_at_retire_the_cpu_is_idle)
{
    struct sim_run_limits lim = { .match = is_retire };

    sim_test_begin(1, 1);
    sim_cpu_post(&item, 0, short_work, NULL, "t", 0);
    ck_assert_int_eq(sim_run(&lim), SIM_STOP_MATCH);
    ck_assert_int_eq(sim_cpu_get(0)->nframes, 0);
    ck_assert_int_eq(sim_cpu_get(0)->state, SIM_CPU_IDLE);
    ck_assert_str_eq(sim_cpu_routine(sim_cpu_get(0)), "(idle)");
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    sim_test_end();
}
END_TEST

/* At DIRQL 7 the DIRQL 5 interrupt waits; lowering lets it in. */
static sim_time_t lowered_at;

static void
high_then_low(void *ctx)
{
    (void)ctx;
    sim_irql_t old = sim_irql_raise(7, SIM_HERE);
    sim_work(SIM_US(10), SIM_HERE);
    lowered_at = sim_now();
    sim_irql_lower(old, SIM_HERE);
}

START_TEST(test_masked_by_irql_until_lowered)
{
    sim_test_begin(1, 1);
    sim_interrupt_connect(&intr, "dev", 5, SIM_IRQ_EDGE, 0, isr_2us, NULL);
    sim_event_init(&dev_ev, fire, "device");
    sim_event_schedule(&dev_ev, SIM_US(3));
    sim_cpu_post(&item, 0, high_then_low, NULL, "t", 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_uint_eq(lowered_at, SIM_US(10));
    ck_assert_uint_eq(isr_at, SIM_US(10));       /* latency 7 us */
    ck_assert_uint_eq(intr.latency_max, SIM_US(7));
    sim_test_end();
}
END_TEST

static const char *seen_routine;
static int seen_depth;

static void
nested_routines(void *ctx)
{
    (void)ctx;
    sim_routine_enter("HwStorBuildIo", SIM_HERE);
    seen_routine = sim_routine_current();
    seen_depth = sim_current_frame()->depth;
    sim_set_srb(42);
    ck_assert_uint_eq(sim_current_srb(), 42);
    sim_routine_exit(SIM_HERE);
}

START_TEST(test_routines)
{
    sim_test_begin(1, 0);
    sim_cpu_post(&item, 0, nested_routines, NULL, "Thread", 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_str_eq(seen_routine, "HwStorBuildIo");
    ck_assert_int_eq(seen_depth, 1);
    ck_assert_str_eq(sim_cpu_routine(sim_cpu_get(0)), "(idle)");
    sim_test_end();
}
END_TEST

static void
work_5us(void *ctx)
{
    (void)ctx;
    sim_work(SIM_US(5), SIM_HERE);
}

START_TEST(test_time_accounting)
{
    sim_time_t busy, spin, idle;
    static struct sim_thread_item later;

    sim_test_begin(2, 1);
    sim_cpu_post(&item, 0, work_5us, NULL, "t", 0);
    sim_cpu_post(&later, 1, work_5us, NULL, "t", SIM_US(20));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_uint_eq(sim_now(), SIM_US(25));
    sim_cpu_times(sim_cpu_get(0), &busy, &spin, &idle);
    ck_assert_uint_eq(busy, SIM_US(5));
    ck_assert_uint_eq(spin, 0);
    ck_assert_uint_eq(idle, SIM_US(20));
    ck_assert_uint_eq(sim_cpu_get(1)->busy_at[PASSIVE_LEVEL], SIM_US(5));
    ck_assert_uint_eq(sim_cpu_get(0)->threads, 1);
    sim_test_end();
}
END_TEST

START_TEST(test_irql_names)
{
    sim_irql_t v;
    char err[160];

    ck_assert_str_eq(sim_irql_name(DISPATCH_LEVEL), "DISPATCH_LEVEL");
    ck_assert_str_eq(sim_irql_name(5), "DIRQL5");
    ck_assert_int_eq(sim_irql_parse("dispatch", &v, err, sizeof err), 0);
    ck_assert_int_eq(v, DISPATCH_LEVEL);
    ck_assert_int_eq(sim_irql_parse("DIRQL7", &v, err, sizeof err), 0);
    ck_assert_int_eq(v, 7);
    ck_assert_int_eq(sim_irql_parse("15", &v, err, sizeof err), 0);
    ck_assert_int_eq(v, HIGH_LEVEL);
    ck_assert_int_lt(sim_irql_parse("16", &v, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "'16'"));
    ck_assert_ptr_nonnull(strstr(err, "0..15"));
    ck_assert_int_lt(sim_irql_parse("DIRQL12", &v, err, sizeof err), 0);
}
END_TEST

Suite *
sim_cpu_suite(void)
{
    Suite *s = suite_create("sim_cpu");
    TCase *tc = tcase_create("irql");

    tcase_add_test(tc, test_raise_to_lower_bugchecks);
    tcase_add_test(tc, test_lower_to_higher_bugchecks);
    tcase_add_test(tc, test_return_at_raised_irql);
    tcase_add_test(tc, test_irql_names);
    suite_add_tcase(s, tc);
    tc = tcase_create("preemption");
    tcase_add_test(tc, test_interrupt_preempts_dpc_work);
    tcase_add_test(tc, test_masked_by_irql_until_lowered);
    tcase_add_test(tc, test_paused_at_retire_the_cpu_is_idle);
    suite_add_tcase(s, tc);
    tc = tcase_create("accounting");
    tcase_add_test(tc, test_routines);
    tcase_add_test(tc, test_time_accounting);
    suite_add_tcase(s, tc);
    return s;
}
