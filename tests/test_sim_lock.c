/* test_sim_lock.c: spin locks: spin time, ownership bug checks, lock order
 * and deadlock detection. */
#include <check.h>
#include <string.h>

#include "storsim/sim.h"
#include "tests/sim_helpers.h"

static struct sim_spinlock lock_a, lock_b;
static struct sim_thread_item items[4];

/* Acquire A, hold it for 10 us, release. */
static void
hold_a_10us(void *ctx)
{
    (void)ctx;
    sim_lock_acquire(&lock_a, SIM_HERE);
    sim_work(SIM_US(10), SIM_HERE);
    sim_lock_release(&lock_a, SIM_HERE);
}

static void
take_a_briefly(void *ctx)
{
    (void)ctx;
    sim_lock_acquire(&lock_a, SIM_HERE);
    sim_work(SIM_US(1), SIM_HERE);
    sim_lock_release(&lock_a, SIM_HERE);
}

START_TEST(test_contended_spin_time)
{
    sim_test_begin(2, _i);   /* once with zero costs, once with defaults */
    sim_lock_init(&lock_a, "A", DISPATCH_LEVEL, 0);
    sim_cpu_post(&items[0], 0, hold_a_10us, NULL, "holder", 0);
    sim_cpu_post(&items[1], 1, take_a_briefly, NULL, "waiter", SIM_US(2));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    /* CPU 1 starts spinning 2 us after CPU 0 took the lock and gets it when
     * CPU 0 releases 10 us after taking it: 8 us, whatever the acquire cost
     * (both pay it before they look at the lock). */
    ck_assert_uint_eq(lock_a.spin_total, SIM_US(8));
    ck_assert_uint_eq(sim_cpu_get(1)->spin_at[DISPATCH_LEVEL], SIM_US(8));
    ck_assert_uint_eq(sim_cpu_get(0)->spin_at[DISPATCH_LEVEL], 0);
    ck_assert_uint_eq(lock_a.acquisitions, 2);
    ck_assert_uint_eq(lock_a.contended, 1);
    ck_assert_int_eq(lock_a.owner, -1);
    sim_test_end();
}
END_TEST

static void
acquire_twice(void *ctx)
{
    (void)ctx;
    sim_lock_acquire(&lock_a, SIM_HERE);
    sim_lock_acquire(&lock_a, SIM_HERE);
}

START_TEST(test_double_acquire)
{
    const struct sim_bugcheck_info *bc;

    sim_test_begin(1, 0);
    sim_lock_init(&lock_a, "A", DISPATCH_LEVEL, 0);
    sim_cpu_post(&items[0], 0, acquire_twice, NULL, "t", 0);
    bc = sim_test_expect_bugcheck(SPIN_LOCK_ALREADY_OWNED);
    ck_assert_int_eq(bc->cpu, 0);
    ck_assert_str_eq(bc->file, __FILE__);
    ck_assert_int_gt(bc->line, 0);
    ck_assert_ptr_nonnull(strstr(bc->why, "already holds"));
    sim_test_end();
}
END_TEST

static void
release_unowned(void *ctx)
{
    (void)ctx;
    sim_irql_raise(DISPATCH_LEVEL, SIM_HERE);
    sim_lock_release(&lock_a, SIM_HERE);
}

START_TEST(test_release_not_owned)
{
    sim_test_begin(1, 0);
    sim_lock_init(&lock_a, "A", DISPATCH_LEVEL, 0);
    sim_cpu_post(&items[0], 0, release_unowned, NULL, "t", 0);
    sim_test_expect_bugcheck(SPIN_LOCK_NOT_OWNED);
    sim_test_end();
}
END_TEST

static void
take_ab(void *ctx)
{
    (void)ctx;
    sim_lock_acquire(&lock_a, SIM_HERE);
    sim_work(SIM_US(5), SIM_HERE);
    sim_lock_acquire(&lock_b, SIM_HERE);
    sim_lock_release(&lock_b, SIM_HERE);
    sim_lock_release(&lock_a, SIM_HERE);
}

static void
take_ba(void *ctx)
{
    (void)ctx;
    sim_lock_acquire(&lock_b, SIM_HERE);
    sim_work(SIM_US(5), SIM_HERE);
    sim_lock_acquire(&lock_a, SIM_HERE);
    sim_lock_release(&lock_a, SIM_HERE);
    sim_lock_release(&lock_b, SIM_HERE);
}

START_TEST(test_abba_deadlock)
{
    const struct sim_bugcheck_info *bc;

    sim_test_begin(2, 0);
    sim_lock_init(&lock_a, "LockA", DISPATCH_LEVEL, 0);
    sim_lock_init(&lock_b, "LockB", DISPATCH_LEVEL, 0);
    sim_cpu_post(&items[0], 0, take_ab, NULL, "t0", 0);
    sim_cpu_post(&items[1], 1, take_ba, NULL, "t1", 0);
    bc = sim_test_expect_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION);
    ck_assert_uint_eq(bc->param[0], SIM_VERIFIER_DEADLOCK);
    /* The report names both CPUs and both locks. */
    ck_assert_ptr_nonnull(strstr(bc->why, "CPU 0"));
    ck_assert_ptr_nonnull(strstr(bc->why, "CPU 1"));
    ck_assert_ptr_nonnull(strstr(bc->why, "LockA"));
    ck_assert_ptr_nonnull(strstr(bc->why, "LockB"));
    ck_assert_ptr_nonnull(strstr(bc->why, __FILE__));
    /* The machine stopped at once: 5 us of work plus small costs. */
    ck_assert_uint_lt(sim_now(), SIM_US(6));
    sim_test_end();
}
END_TEST

START_TEST(test_lock_order)
{
    const struct sim_bugcheck_info *bc;

    sim_test_begin(1, 0);
    sim_lock_init(&lock_a, "LockA", DISPATCH_LEVEL, 2);
    sim_lock_init(&lock_b, "LockB", DISPATCH_LEVEL, 1);
    /* take_ab takes A (order 2) then B (order 1): against the order. */
    sim_cpu_post(&items[0], 0, take_ab, NULL, "t0", 0);
    bc = sim_test_expect_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION);
    ck_assert_uint_eq(bc->param[0], SIM_VERIFIER_DEADLOCK);
    ck_assert_ptr_nonnull(strstr(bc->why, "lock order"));
    sim_test_end();
}
END_TEST

START_TEST(test_order_respected)
{
    sim_test_begin(1, 0);
    sim_lock_init(&lock_a, "LockA", DISPATCH_LEVEL, 1);
    sim_lock_init(&lock_b, "LockB", DISPATCH_LEVEL, 2);
    sim_cpu_post(&items[0], 0, take_ab, NULL, "t0", 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_uint_eq(lock_b.acquisitions, 1);
    sim_test_end();
}
END_TEST

static void
acquire_from_dirql(void *ctx)
{
    (void)ctx;
    sim_irql_raise(5, SIM_HERE);
    sim_lock_acquire(&lock_a, SIM_HERE);
}

START_TEST(test_acquire_above_lock_irql)
{
    const struct sim_bugcheck_info *bc;

    sim_test_begin(1, 0);
    sim_lock_init(&lock_a, "A", DISPATCH_LEVEL, 0);
    sim_cpu_post(&items[0], 0, acquire_from_dirql, NULL, "t", 0);
    bc = sim_test_expect_bugcheck(IRQL_NOT_GREATER_OR_EQUAL);
    ck_assert_uint_eq(bc->param[0], 5);
    ck_assert_uint_eq(bc->param[1], DISPATCH_LEVEL);
    sim_test_end();
}
END_TEST

/* A DPC that takes a lock and returns without releasing it. */
static struct sim_dpc leaky_dpc;

static void
leaky(struct sim_dpc *d, void *ctx, void *a1, void *a2)
{
    (void)d; (void)ctx; (void)a1; (void)a2;
    sim_lock_acquire(&lock_a, SIM_HERE);
}

static void
queue_leaky(void *ctx)
{
    (void)ctx;
    sim_dpc_queue(&leaky_dpc, NULL, NULL);
}

START_TEST(test_watchdog_on_abandoned_lock)
{
    const struct sim_bugcheck_info *bc;

    sim_test_begin(2, 0);
    sim_lock_init(&lock_a, "A", DISPATCH_LEVEL, 0);
    sim_dpc_init(&leaky_dpc, "LeakyDpc", leaky, NULL);
    sim_cpu_post(&items[0], 0, queue_leaky, NULL, "t0", 0);
    sim_cpu_post(&items[1], 1, take_a_briefly, NULL, "t1", SIM_US(5));
    bc = sim_test_expect_bugcheck(DPC_WATCHDOG_VIOLATION);
    ck_assert_int_eq(bc->cpu, 1);
    ck_assert_ptr_nonnull(strstr(bc->why, "without releasing"));
    ck_assert_uint_ge(sim_now(), sim_get_config()->watchdog);
    sim_test_end();
}
END_TEST

Suite *
sim_lock_suite(void)
{
    Suite *s = suite_create("sim_lock");
    TCase *tc = tcase_create("spin");

    tcase_add_loop_test(tc, test_contended_spin_time, 0, 2);
    suite_add_tcase(s, tc);
    tc = tcase_create("ownership");
    tcase_add_test(tc, test_double_acquire);
    tcase_add_test(tc, test_release_not_owned);
    tcase_add_test(tc, test_acquire_above_lock_irql);
    suite_add_tcase(s, tc);
    tc = tcase_create("deadlock");
    tcase_add_test(tc, test_abba_deadlock);
    tcase_add_test(tc, test_lock_order);
    tcase_add_test(tc, test_order_respected);
    tcase_add_test(tc, test_watchdog_on_abandoned_lock);
    suite_add_tcase(s, tc);
    return s;
}
