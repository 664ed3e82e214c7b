/* test_sim_dpc.c: DPC queuing semantics, targeted DPCs and one-shot timers. */
#include <check.h>
#include <errno.h>
#include <stdint.h>

#include "storsim/sim.h"
#include "tests/sim_helpers.h"

static struct sim_thread_item item;
static struct sim_dpc dpc;
static bool first_ok, second_ok;
static int runs_seen;
static sim_time_t ran_at;
static int ran_on;
static void *got_arg1;

static void
count_dpc(struct sim_dpc *d, void *ctx, void *a1, void *a2)
{
    (void)d; (void)ctx; (void)a2;
    runs_seen++;
    ran_at = sim_now();
    ran_on = sim_cpu_current();
    got_arg1 = a1;
    ck_assert_int_eq(sim_irql(), DISPATCH_LEVEL);
}

static void
queue_twice_at_dispatch(void *ctx)
{
    sim_irql_t old = sim_irql_raise(DISPATCH_LEVEL, SIM_HERE);

    (void)ctx;
    first_ok = sim_dpc_queue(&dpc, (void *)1, NULL);
    second_ok = sim_dpc_queue(&dpc, (void *)2, NULL);
    ck_assert_int_eq(runs_seen, 0);         /* masked at DISPATCH_LEVEL */
    sim_irql_lower(old, SIM_HERE);
    ck_assert_int_eq(runs_seen, 1);         /* ran as the IRQL dropped */
}

START_TEST(test_queued_twice_runs_once)
{
    sim_test_begin(1, 0);
    sim_dpc_init(&dpc, "Dpc", count_dpc, NULL);
    sim_cpu_post(&item, 0, queue_twice_at_dispatch, NULL, "t", 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert(first_ok);
    ck_assert(!second_ok);
    ck_assert_int_eq(runs_seen, 1);
    ck_assert_uint_eq(dpc.runs, 1);
    ck_assert_ptr_eq(got_arg1, (void *)1);  /* the first queuing's argument */
    sim_test_end();
}
END_TEST

static void
queue_to_cpu1(void *ctx)
{
    (void)ctx;
    sim_dpc_set_target(&dpc, 1);
    sim_dpc_queue(&dpc, NULL, NULL);
}

START_TEST(test_targeted_dpc_runs_there)
{
    sim_test_begin(2, 0);
    sim_dpc_init(&dpc, "Dpc", count_dpc, NULL);
    sim_cpu_post(&item, 0, queue_to_cpu1, NULL, "t", SIM_US(1));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_int_eq(runs_seen, 1);
    ck_assert_int_eq(ran_on, 1);
    ck_assert_uint_eq(sim_cpu_get(1)->dpcs, 1);
    ck_assert_uint_eq(sim_cpu_get(0)->dpcs, 0);
    sim_test_end();
}
END_TEST

/* A timer set for 10 us, reset at 5 us for 20 us more: fires once, at 25. */
static struct sim_timer timer;
static struct sim_event reset_ev;
static bool reset_saw_pending;

static void
reset_timer(struct sim_event *ev)
{
    (void)ev;
    reset_saw_pending = sim_timer_set(&timer, SIM_US(20));
}

START_TEST(test_timer_replaced_fires_once)
{
    sim_test_begin(1, 1);
    sim_dpc_init(&dpc, "TimerDpc", count_dpc, NULL);
    sim_timer_init(&timer, "timer", &dpc);
    ck_assert(!sim_timer_set(&timer, SIM_US(10)));
    sim_event_init(&reset_ev, reset_timer, "reset");
    sim_event_schedule(&reset_ev, SIM_US(5));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert(reset_saw_pending);
    ck_assert_uint_eq(timer.fired, 1);
    ck_assert_int_eq(runs_seen, 1);
    ck_assert_uint_eq(ran_at, SIM_US(25));
    sim_test_end();
}
END_TEST

START_TEST(test_timer_cancel)
{
    sim_test_begin(1, 1);
    sim_dpc_init(&dpc, "TimerDpc", count_dpc, NULL);
    sim_timer_init(&timer, "timer", &dpc);
    sim_timer_set(&timer, SIM_US(10));
    ck_assert(sim_timer_cancel(&timer));
    ck_assert(!sim_timer_cancel(&timer));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_uint_eq(timer.fired, 0);
    ck_assert_int_eq(runs_seen, 0);
    sim_test_end();
}
END_TEST

/* Thread items on one CPU run one after another, in order. */
static int order[3], norder;
static struct sim_thread_item items[3];

static void
record(void *ctx)
{
    order[norder++] = (int)(intptr_t)ctx;
    sim_work(SIM_US(3), SIM_HERE);
}

START_TEST(test_thread_items_in_order)
{
    sim_test_begin(1, 1);
    sim_cpu_post(&items[0], 0, record, (void *)0, "a", 0);
    sim_cpu_post(&items[1], 0, record, (void *)1, "b", SIM_US(1));
    sim_cpu_post(&items[2], 0, record, (void *)2, "c", SIM_US(1));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_int_eq(norder, 3);
    ck_assert_int_eq(order[0], 0);
    ck_assert_int_eq(order[1], 1);
    ck_assert_int_eq(order[2], 2);
    ck_assert_uint_eq(sim_now(), SIM_US(9));
    ck_assert_int_eq(sim_cpu_post(&items[0], 5, record, NULL, "x", 0), -EINVAL);
    sim_test_end();
}
END_TEST

/* An item that is due but waits behind another on its CPU may not be
 * posted again: it would be queued twice and run twice. */
static int repost_rc = 1;

static void
repost(struct sim_event *ev)
{
    (void)ev;
    repost_rc = sim_cpu_post(&items[1], 0, record, (void *)1, "b", sim_now());
}

START_TEST(test_repost_while_waiting)
{
    static struct sim_event ev;

    sim_test_begin(1, 1);
    norder = 0;
    sim_cpu_post(&items[0], 0, record, (void *)0, "a", 0);        /* 0..3 us */
    sim_cpu_post(&items[1], 0, record, (void *)1, "b", SIM_US(1)); /* waits */
    sim_event_init(&ev, repost, "repost");
    sim_event_schedule(&ev, SIM_US(2));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_int_eq(repost_rc, -EBUSY);
    ck_assert_int_eq(norder, 2);            /* b ran once, not twice */
    sim_test_end();
}
END_TEST

Suite *
sim_dpc_suite(void)
{
    Suite *s = suite_create("sim_dpc");
    TCase *tc = tcase_create("dpc");

    tcase_add_test(tc, test_queued_twice_runs_once);
    tcase_add_test(tc, test_targeted_dpc_runs_there);
    suite_add_tcase(s, tc);
    tc = tcase_create("timer");
    tcase_add_test(tc, test_timer_replaced_fires_once);
    tcase_add_test(tc, test_timer_cancel);
    suite_add_tcase(s, tc);
    tc = tcase_create("thread");
    tcase_add_test(tc, test_thread_items_in_order);
    tcase_add_test(tc, test_repost_while_waiting);
    suite_add_tcase(s, tc);
    return s;
}
