/* test_sim_fault.c: a bad pointer in simulated code is a bug check, as on
 * Windows, and the program goes on: PAGE_FAULT_IN_NONPAGED_AREA below
 * DISPATCH_LEVEL, DRIVER_IRQL_NOT_LESS_OR_EQUAL at or above it, with the
 * routine, CPU, IRQL and address; then a fresh machine runs normally. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "storsim/bugcheck.h"
#include "storsim/sim.h"
#include "tests/sim_helpers.h"

static struct sim_thread_item item;
static struct sim_dpc dpc;
static volatile uint8_t sink;
static volatile unsigned after;  /* unsigned: the loops may wrap it */

static void
touch_unmapped(void *ctx)
{
    volatile uint8_t *p = sim_unmapped_va(4096);

    (void)ctx;
    sink = *p;                       /* faults: the machine bug-checks */
    after++;                         /* never reached */
}

START_TEST(test_passive_fault_is_page_fault)
{
    const struct sim_bugcheck_info *bc;

    sim_test_begin(2, 0);
    sim_cpu_post(&item, 1, touch_unmapped, NULL, "Student", 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_BUGCHECK);
    bc = sim_bugcheck_info();
    ck_assert_ptr_nonnull(bc);
    ck_assert_uint_eq(bc->code, PAGE_FAULT_IN_NONPAGED_AREA);
    ck_assert_int_eq(bc->cpu, 1);
    ck_assert_str_eq(bc->routine, "Student");
    ck_assert(sim_is_unmapped(bc->param[0]));
    /* Shown at a fixed address, the same in every run. */
    ck_assert_uint_eq(bc->param[0], 0xFFFFC00000000000ull + 4096);
    ck_assert_ptr_nonnull(strstr(bc->why, "0xffffc00000001000"));
    ck_assert_ptr_nonnull(strstr(bc->why, "did not map"));
    ck_assert_uint_eq(after, 0);
    sim_test_end();
}
END_TEST

/* A field at offset 0x10 of a structure whose pointer is NULL (made from
 * an integer, so that UBSan's null check leaves the fault to the MMU). */
static void
null_in_dpc(struct sim_dpc *d, void *ctx, void *a1, void *a2)
{
    volatile uint32_t *p = (volatile uint32_t *)((uintptr_t)a1 + 0x10);

    (void)d; (void)ctx; (void)a2;
    *p = 1;
    after++;
}

static void
queue_it(void *ctx)
{
    (void)ctx;
    sim_dpc_queue(&dpc, NULL, NULL);
}

START_TEST(test_dispatch_fault_is_irql_not_less_or_equal)
{
    const struct sim_bugcheck_info *bc;

    sim_test_begin(1, 0);
    sim_dpc_init(&dpc, "StudentDpc", null_in_dpc, NULL);
    sim_cpu_post(&item, 0, queue_it, NULL, "t", 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_BUGCHECK);
    bc = sim_bugcheck_info();
    ck_assert_uint_eq(bc->code, DRIVER_IRQL_NOT_LESS_OR_EQUAL);
    ck_assert_uint_eq(bc->param[0], 0x10);       /* the address */
    ck_assert_uint_eq(bc->param[1], DISPATCH_LEVEL);
    ck_assert_int_eq(bc->irql, DISPATCH_LEVEL);
    ck_assert_str_eq(bc->routine, "StudentDpc");
    ck_assert(!sim_is_unmapped(bc->param[0]));
    ck_assert_ptr_nonnull(strstr(bc->why, "bad pointer"));
    ck_assert_uint_eq(after, 0);
    sim_test_end();
}
END_TEST

static void
fine(void *ctx)
{
    (void)ctx;
    after++;
}

/* The process survived the fault: a new machine runs as usual. */
START_TEST(test_machine_after_a_fault)
{
    sim_test_begin(1, 0);
    sim_cpu_post(&item, 0, touch_unmapped, NULL, "Student", 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_BUGCHECK);
    sim_test_end();
    sim_test_begin(1, 0);
    sim_cpu_post(&item, 0, fine, NULL, "Fine", 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_uint_eq(after, 1);
    ck_assert_ptr_null(sim_bugcheck_info());
    sim_test_end();
}
END_TEST

static void
loop_forever(void *ctx)
{
    (void)ctx;
    for (;;)
        after++;                     /* no port call: nothing to yield at */
}

static void
loop_in_dpc(struct sim_dpc *d, void *ctx, void *a1, void *a2)
{
    (void)d; (void)ctx; (void)a1; (void)a2;
    for (;;)
        after++;
}

/* A routine that never returns stops the machine with the routine named,
 * instead of hanging the program. */
START_TEST(test_endless_loop_is_a_bug_check)
{
    const struct sim_bugcheck_info *bc;

    sim_set_hang_limit(300);
    sim_test_begin(2, 0);
    sim_cpu_post(&item, 1, loop_forever, NULL, "StudentThread", 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_BUGCHECK);
    bc = sim_bugcheck_info();
    ck_assert_uint_eq(bc->code, THREAD_STUCK_IN_DEVICE_DRIVER);
    ck_assert_str_eq(bc->routine, "StudentThread");
    ck_assert_int_eq(bc->cpu, 1);
    ck_assert_ptr_nonnull(strstr(bc->why, "has not returned"));
    sim_test_end();

    sim_test_begin(1, 0);
    sim_dpc_init(&dpc, "StudentDpc", loop_in_dpc, NULL);
    sim_cpu_post(&item, 0, queue_it, NULL, "t", 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_BUGCHECK);
    bc = sim_bugcheck_info();
    ck_assert_uint_eq(bc->code, DPC_WATCHDOG_VIOLATION);
    ck_assert_str_eq(bc->routine, "StudentDpc");
    sim_test_end();
    sim_set_hang_limit(5000);
}
END_TEST

Suite *
sim_fault_suite(void)
{
    Suite *s = suite_create("sim_fault");
    TCase *tc = tcase_create("fault");

    tcase_add_test(tc, test_passive_fault_is_page_fault);
    tcase_add_test(tc, test_dispatch_fault_is_irql_not_less_or_equal);
    tcase_add_test(tc, test_machine_after_a_fault);
    tcase_add_test(tc, test_endless_loop_is_a_bug_check);
    suite_add_tcase(s, tc);
    return s;
}
