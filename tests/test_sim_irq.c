/* test_sim_irq.c: interrupt lines, delivery policy, masking and the
 * interrupt spin lock. */
#include <check.h>
#include <errno.h>

#include "storsim/sim.h"
#include "tests/sim_helpers.h"

static struct sim_interrupt intr;
static struct sim_event dev_ev, drop_ev;
static struct sim_thread_item items[4];
static int isr_runs, isr_cpu;
static sim_time_t isr_at[8];
static int clear_after;

/* A level-triggered device: the ISR clears the condition only after
 * `clear_after` calls, so the line stays up and is delivered again. */
static bool
level_isr(void *ctx)
{
    (void)ctx;
    isr_at[isr_runs < 8 ? isr_runs : 7] = sim_now();
    isr_cpu = sim_cpu_current();
    ck_assert_int_eq(sim_irql(), intr.dirql);
    ck_assert(sim_lock_held(&intr.lock));
    sim_work(SIM_US(1), SIM_HERE);
    if (++isr_runs >= clear_after)
        sim_interrupt_set_level(&intr, false);
    return true;
}

static void
raise_line(struct sim_event *ev)
{
    (void)ev;
    sim_interrupt_set_level(&intr, true);
}

START_TEST(test_level_redelivered_while_asserted)
{
    sim_test_begin(1, 1);
    clear_after = 3;
    sim_interrupt_connect(&intr, "lvl", 6, SIM_IRQ_LEVEL, 0, level_isr, NULL);
    sim_event_init(&dev_ev, raise_line, "dev");
    sim_event_schedule(&dev_ev, SIM_US(2));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_int_eq(isr_runs, 3);
    ck_assert_uint_eq(isr_at[0], SIM_US(2));
    ck_assert_uint_eq(isr_at[1], SIM_US(3));
    ck_assert_uint_eq(isr_at[2], SIM_US(4));
    ck_assert_uint_eq(intr.delivered, 3);
    sim_test_end();
}
END_TEST

/* The ISR says "not mine" (false) without touching the device: the first
 * `claim_after` times, then it claims and clears. */
static int claim_after;

static bool
shy_isr(void *ctx)
{
    (void)ctx;
    if (++isr_runs < claim_after)
        return false;
    sim_interrupt_set_level(&intr, false);
    return true;
}

/* One short of the limit, then a claim: no storm. At the limit: 0xF2,
 * with parameters that do not depend on host addresses. */
START_TEST(test_unclaimed_level_line_is_a_storm)
{
    const struct sim_bugcheck_info *b;

    sim_test_begin(1, 1);
    isr_runs = 0;
    claim_after = SIM_STORM_LIMIT;
    sim_interrupt_connect(&intr, "lvl", 6, SIM_IRQ_LEVEL, 0, shy_isr, NULL);
    sim_event_init(&dev_ev, raise_line, "dev");
    sim_event_schedule(&dev_ev, SIM_US(2));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_int_eq(isr_runs, SIM_STORM_LIMIT);
    ck_assert_uint_eq(intr.unclaimed_run, 0);
    sim_test_end();

    sim_test_begin(1, 1);
    isr_runs = 0;
    claim_after = SIM_STORM_LIMIT + 1;
    sim_interrupt_connect(&intr, "lvl", 6, SIM_IRQ_LEVEL, 0, shy_isr, NULL);
    sim_event_init(&dev_ev, raise_line, "dev");
    sim_event_schedule(&dev_ev, SIM_US(2));
    b = sim_test_expect_bugcheck(HARDWARE_INTERRUPT_STORM);
    ck_assert_int_eq(isr_runs, SIM_STORM_LIMIT);
    ck_assert_uint_eq(b->param[0], intr.lock.id);
    ck_assert_uint_eq(b->param[1], 6);
    ck_assert_uint_eq(b->param[2], SIM_STORM_LIMIT);
    sim_test_end();
}
END_TEST

static void
unmask(struct sim_event *ev)
{
    (void)ev;
    sim_interrupt_mask(&intr, false);
}

START_TEST(test_masked_pends_until_unmasked)
{
    sim_test_begin(1, 1);
    clear_after = 1;
    sim_interrupt_connect(&intr, "lvl", 6, SIM_IRQ_LEVEL, 0, level_isr, NULL);
    sim_interrupt_mask(&intr, true);
    sim_event_init(&dev_ev, raise_line, "dev");
    sim_event_schedule(&dev_ev, SIM_US(2));
    sim_event_init(&drop_ev, unmask, "unmask");
    sim_event_schedule(&drop_ev, SIM_US(50));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_int_eq(isr_runs, 1);
    ck_assert_uint_eq(isr_at[0], SIM_US(50));
    sim_test_end();
}
END_TEST

/* Affinity: only CPU 2 may take it. */
START_TEST(test_affinity)
{
    sim_test_begin(4, 1);
    clear_after = 1;
    sim_interrupt_connect(&intr, "lvl", 6, SIM_IRQ_LEVEL, 1u << 2, level_isr,
                          NULL);
    sim_event_init(&dev_ev, raise_line, "dev");
    sim_event_schedule(&dev_ev, SIM_US(2));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_int_eq(isr_cpu, 2);
    ck_assert_uint_eq(sim_cpu_get(2)->interrupts, 1);
    sim_test_end();
}
END_TEST

/* Lowest IRQL: CPU 0 sits at DISPATCH_LEVEL, so CPU 1 (PASSIVE) takes it. */
static void
sit_at_dispatch(void *ctx)
{
    sim_irql_t old = sim_irql_raise(DISPATCH_LEVEL, SIM_HERE);

    (void)ctx;
    sim_work(SIM_US(20), SIM_HERE);
    sim_irql_lower(old, SIM_HERE);
}

static void
sit_at_passive(void *ctx)
{
    (void)ctx;
    sim_work(SIM_US(20), SIM_HERE);
}

START_TEST(test_lowest_irql_delivery)
{
    sim_test_begin(2, 1);
    clear_after = 1;
    sim_interrupt_connect(&intr, "lvl", 6, SIM_IRQ_LEVEL, 0, level_isr, NULL);
    sim_cpu_post(&items[0], 0, sit_at_dispatch, NULL, "t0", 0);
    sim_cpu_post(&items[1], 1, sit_at_passive, NULL, "t1", 0);
    sim_event_init(&dev_ev, raise_line, "dev");
    sim_event_schedule(&dev_ev, SIM_US(2));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_int_eq(isr_cpu, 1);
    sim_test_end();
}
END_TEST

/* KeSynchronizeExecution on CPU 0 holds the interrupt lock for 10 us; the
 * interrupt delivered to CPU 1 meanwhile spins until it is released. */
static bool
sync_10us(void *ctx)
{
    (void)ctx;
    ck_assert_int_eq(sim_irql(), intr.dirql);
    sim_work(SIM_US(10), SIM_HERE);
    return true;
}

static void
synchronize(void *ctx)
{
    (void)ctx;
    sim_sync_execution(&intr, sync_10us, NULL, SIM_HERE);
}

START_TEST(test_sync_execution_excludes_isr)
{
    sim_test_begin(2, 1);
    clear_after = 1;
    sim_interrupt_connect(&intr, "lvl", 6, SIM_IRQ_LEVEL, 1u << 1, level_isr,
                          NULL);
    sim_cpu_post(&items[0], 0, synchronize, NULL, "sync", 0);
    sim_event_init(&dev_ev, raise_line, "dev");
    sim_event_schedule(&dev_ev, SIM_US(2));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_int_eq(isr_cpu, 1);
    ck_assert_uint_eq(isr_at[0], SIM_US(10));   /* entered after the sync */
    ck_assert_uint_eq(intr.lock.spin_total, SIM_US(8));
    sim_test_end();
}
END_TEST

START_TEST(test_connect_rejects_bad_dirql)
{
    sim_test_begin(1, 1);
    ck_assert_int_eq(sim_interrupt_connect(&intr, "x", 2, SIM_IRQ_LEVEL, 0,
                                           level_isr, NULL), -EINVAL);
    ck_assert_int_eq(sim_interrupt_connect(&intr, "x", 12, SIM_IRQ_LEVEL, 0,
                                           level_isr, NULL), -EINVAL);
    sim_test_end();
}
END_TEST

Suite *
sim_irq_suite(void)
{
    Suite *s = suite_create("sim_irq");
    TCase *tc = tcase_create("lines");

    tcase_add_test(tc, test_level_redelivered_while_asserted);
    tcase_add_test(tc, test_unclaimed_level_line_is_a_storm);
    tcase_add_test(tc, test_masked_pends_until_unmasked);
    tcase_add_test(tc, test_connect_rejects_bad_dirql);
    suite_add_tcase(s, tc);
    tc = tcase_create("delivery");
    tcase_add_test(tc, test_affinity);
    tcase_add_test(tc, test_lowest_irql_delivery);
    tcase_add_test(tc, test_sync_execution_excludes_isr);
    suite_add_tcase(s, tc);
    return s;
}
