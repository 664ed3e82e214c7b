/* test_sim_pool.c: pool IRQL rules, misuse, and per-tag accounting. */
#include <check.h>
#include <string.h>

#include "storsim/sim.h"
#include "tests/sim_helpers.h"

#define TAG_TEST 0x54657374u   /* 'Test' */

static struct sim_thread_item item;
static void *block;

static void
alloc_at_dirql(void *ctx)
{
    (void)ctx;
    sim_irql_raise(5, SIM_HERE);
    sim_pool_alloc(SIM_NONPAGED_POOL, 64, TAG_TEST, SIM_HERE);
}

START_TEST(test_alloc_above_dispatch)
{
    const struct sim_bugcheck_info *bc;

    sim_test_begin(1, 0);
    sim_cpu_post(&item, 0, alloc_at_dirql, NULL, "t", 0);
    bc = sim_test_expect_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION);
    ck_assert_uint_eq(bc->param[0], 0x02);   /* non-paged above DISPATCH */
    ck_assert_uint_eq(bc->param[1], 5);      /* the current IRQL */
    ck_assert_uint_eq(bc->param[3], 64);     /* the size */
    sim_test_end();
}
END_TEST

static void
paged_at_dispatch(void *ctx)
{
    (void)ctx;
    sim_irql_raise(DISPATCH_LEVEL, SIM_HERE);
    sim_pool_alloc(SIM_PAGED_POOL, 64, TAG_TEST, SIM_HERE);
}

START_TEST(test_paged_above_apc)
{
    const struct sim_bugcheck_info *bc;

    sim_test_begin(1, 0);
    sim_cpu_post(&item, 0, paged_at_dispatch, NULL, "t", 0);
    bc = sim_test_expect_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION);
    ck_assert_uint_eq(bc->param[0], 0x01);
    sim_test_end();
}
END_TEST

static void
alloc_free_twice(void *ctx)
{
    (void)ctx;
    block = sim_pool_alloc(SIM_NONPAGED_POOL, 100, TAG_TEST, SIM_HERE);
    ck_assert_uint_eq(sim_pool_outstanding(TAG_TEST, NULL), 100);
    sim_pool_free(block, SIM_HERE);
    ck_assert_uint_eq(sim_pool_outstanding(TAG_TEST, NULL), 0);
    sim_pool_free(block, SIM_HERE);
}

START_TEST(test_double_free)
{
    const struct sim_bugcheck_info *bc;

    sim_test_begin(1, 0);
    sim_cpu_post(&item, 0, alloc_free_twice, NULL, "t", 0);
    bc = sim_test_expect_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION);
    ck_assert_uint_eq(bc->param[0], 0x13);
    sim_test_end();
}
END_TEST

static uint64_t leaked_bytes, leaked_tag;

static void
watch_leaks(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == SIM_EV_POOL_LEAK) {
        leaked_bytes += ev->arg;
        leaked_tag = ev->arg2;
    }
}

static void
leak(void *ctx)
{
    char *p;

    (void)ctx;
    p = sim_pool_alloc(SIM_NONPAGED_POOL, 48, TAG_TEST, SIM_HERE);
    ck_assert_int_eq(p[0], 0);               /* zeroed */
    memset(p, 0xAB, 48);                     /* really 48 usable bytes */
    sim_pool_alloc(SIM_PAGED_POOL, 16, TAG_TEST, SIM_HERE);
}

START_TEST(test_leak_report)
{
    size_t blocks;
    char tag[5];

    sim_test_begin(1, 0);
    sim_trace_subscribe(watch_leaks, NULL);
    sim_cpu_post(&item, 0, leak, NULL, "t", 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_uint_eq(sim_pool_outstanding(TAG_TEST, &blocks), 64);
    ck_assert_uint_eq(blocks, 2);
    ck_assert_str_eq(sim_pool_tag_string(TAG_TEST, tag), "Test");
    sim_test_end();   /* reports the leak through the trace */
    ck_assert_uint_eq(leaked_bytes, 64);
    ck_assert_uint_eq(leaked_tag, TAG_TEST);
}
END_TEST

Suite *
sim_pool_suite(void)
{
    Suite *s = suite_create("sim_pool");
    TCase *tc = tcase_create("irql");

    tcase_add_test(tc, test_alloc_above_dispatch);
    tcase_add_test(tc, test_paged_above_apc);
    suite_add_tcase(s, tc);
    tc = tcase_create("misuse");
    tcase_add_test(tc, test_double_free);
    tcase_add_test(tc, test_leak_report);
    suite_add_tcase(s, tc);
    return s;
}
