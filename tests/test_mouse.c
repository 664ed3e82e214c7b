/* test_mouse.c: the mouse device on a bare machine: it reports at its
 * rate, measures how long each interrupt waits, loses reports that wait
 * longer than a period, moves only when told to, and never keeps an idle
 * machine awake; and the stack creates one and starts its counters at
 * boot. */
#include <check.h>
#include <string.h>

#include "sim_helpers.h"
#include "storsim/mouse.h"
#include "storsim/stack.h"

static struct mouse *m;

static void
create(bool (*moving)(void *ctx))
{
    struct mouse_config cfg;

    mouse_config_default(&cfg);
    cfg.moving = moving;
    ck_assert_int_eq(mouse_create(&cfg, &m), 0);
}

static void
destroy(void)
{
    mouse_destroy(m);
    m = NULL;
    sim_test_end();
}

START_TEST(test_reports_at_its_rate_then_lets_the_machine_idle)
{
    struct mouse_stats ms;
    const struct hist *h;

    sim_test_begin(1, 1);                  /* no interrupt entry cost */
    create(NULL);
    /* Nothing else happens: it moves for idle_stop (2 s), then stops, and
     * the machine goes idle. */
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    mouse_get_stats(m, &ms);
    h = mouse_latency(m);
    ck_assert_uint_ge(ms.reports, 1999);
    ck_assert_uint_le(ms.reports, 2001);
    ck_assert_uint_eq(ms.serviced, ms.reports);
    ck_assert_uint_eq(ms.overruns, 0);
    ck_assert_uint_eq(hist_max(h), 0);     /* an idle CPU takes it at once */
    ck_assert_uint_le(sim_now(), SIM_SEC(2) + SIM_MS(2));
    destroy();
}
END_TEST

START_TEST(test_latency_is_the_wait_for_a_lower_irql)
{
    static struct sim_test_busy busy;    /* DIRQL 5, above the mouse's 4 */
    struct mouse_stats ms;

    sim_test_begin(1, 1);
    create(NULL);
    sim_test_busy_at(&busy, 0, 5, SIM_US(900), SIM_US(500));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    mouse_get_stats(m, &ms);
    /* The 1 ms report waited until 1.4 ms; the others did not wait. */
    ck_assert_uint_eq(hist_max(mouse_latency(m)), SIM_US(400));
    ck_assert_uint_eq(hist_quantile(mouse_latency(m), 0.5), 0);
    ck_assert_uint_eq(ms.overruns, 0);
    destroy();
}
END_TEST

START_TEST(test_reports_lost_while_blocked)
{
    static struct sim_test_busy busy;
    struct mouse_stats ms;

    sim_test_begin(1, 1);
    create(NULL);
    sim_test_busy_at(&busy, 0, 5, SIM_US(900), SIM_US(3500));  /* to 4.4 ms */
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    mouse_get_stats(m, &ms);
    /* The 1 ms report waits 3.4 ms; those at 2, 3 and 4 ms find it still
     * waiting: the pointer jumps. */
    ck_assert_uint_eq(ms.overruns, 3);
    ck_assert_uint_eq(ms.reports, ms.serviced + ms.overruns);
    ck_assert_uint_eq(hist_max(mouse_latency(m)), SIM_US(3400));
    destroy();
}
END_TEST

static bool user_moves;

static bool
moves(void *ctx)
{
    (void)ctx;
    return user_moves;
}

static void
some_work(void *ctx)
{
    (void)ctx;
    sim_work(SIM_MS(5), SIM_HERE);
}

START_TEST(test_moves_only_when_told)
{
    static struct sim_thread_item item;
    struct mouse_stats ms;

    sim_test_begin(1, 1);
    user_moves = false;
    create(moves);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    mouse_get_stats(m, &ms);
    ck_assert_uint_eq(ms.reports, 0);      /* still: no event, idle at once */
    ck_assert_uint_eq(sim_now(), 0);
    user_moves = true;                     /* the next step wakes it */
    sim_cpu_post(&item, 0, some_work, NULL, "work", SIM_MS(10));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    mouse_get_stats(m, &ms);
    ck_assert_uint_ge(ms.reports, 2000);   /* 5 ms of work, then 2 s more */
    user_moves = false;
    destroy();
}
END_TEST

START_TEST(test_stack_has_a_mouse)
{
    struct stack_config cfg;
    struct stack *st;
    struct mouse_stats ms;
    char err[256];

    stack_config_default(&cfg);
    ck_assert_int_eq(stack_create(&cfg, &st, err, sizeof err), 0);
    ck_assert_ptr_nonnull(st->mouse);
    ck_assert_int_eq(stack_boot(st), 0);
    mouse_get_stats(st->mouse, &ms);
    ck_assert_uint_eq(ms.reports, 0);      /* counters start at ready */
    ck_assert_uint_eq(mouse_latency(st->mouse)->count, 0);
    /* Nothing outstanding: the mouse lets the machine go idle. */
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    stack_destroy(st);
}
END_TEST

Suite *
mouse_suite(void)
{
    Suite *s = suite_create("mouse");
    TCase *tc = tcase_create("mouse");

    tcase_add_test(tc, test_reports_at_its_rate_then_lets_the_machine_idle);
    tcase_add_test(tc, test_latency_is_the_wait_for_a_lower_irql);
    tcase_add_test(tc, test_reports_lost_while_blocked);
    tcase_add_test(tc, test_moves_only_when_told);
    tcase_add_test(tc, test_stack_has_a_mouse);
    suite_add_tcase(s, tc);
    return s;
}
