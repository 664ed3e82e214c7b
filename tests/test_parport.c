/* test_parport.c: the parallel port on a bare machine: served at once the
 * printer never waits; held off by a higher DIRQL it stands still for
 * exactly the interrupt's wait, and nothing is lost; and the stack adds
 * one when asked. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "sim_helpers.h"
#include "storsim/parport.h"
#include "storsim/stack.h"

static struct parport *p;
static sim_time_t stop_at;

static bool
printing(void *ctx)
{
    (void)ctx;
    return sim_now() < stop_at;
}

static void
create(void)
{
    struct parport_config cfg;

    parport_config_default(&cfg);          /* a 16-byte FIFO */
    cfg.byte_time = SIM_US(2);             /* empty in 32 us */
    cfg.active = printing;
    ck_assert_int_eq(parport_create(&cfg, &p), 0);
    parport_start(p);
}

START_TEST(test_served_at_once_the_printer_never_waits)
{
    struct parport_stats st;

    sim_test_begin(1, 1);
    stop_at = SIM_MS(1);
    create();
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    parport_get_stats(p, &st);
    /* Empty every 32 us; the ISR at 1.024 ms ends the job. */
    ck_assert_uint_eq(st.interrupts, 32);
    ck_assert_uint_eq(st.printed, 32 * 16);
    ck_assert_uint_eq(st.printing, SIM_US(1024));
    ck_assert_uint_eq(hist_max(parport_latency(p)), 0);
    parport_destroy(p);
    sim_test_end();
}
END_TEST

START_TEST(test_held_off_the_printer_stands_still)
{
    static struct sim_test_busy busy;
    struct parport_stats st;

    sim_test_begin(1, 1);
    stop_at = SIM_MS(1);
    create();
    sim_test_busy_at(&busy, 0, 5, SIM_US(100), SIM_US(400));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    parport_get_stats(p, &st);
    /* Empty at 32, 64, 96 and 128 us; that one waits until 500 us; then
     * empty at 532 + 32k us up to 1012 us: 4 + 16 FIFO-fulls. */
    ck_assert_uint_eq(st.interrupts, 20);
    ck_assert_uint_eq(st.printed, 20 * 16);
    ck_assert_uint_eq(st.printing, SIM_US(1012));
    ck_assert_uint_eq(hist_max(parport_latency(p)), SIM_US(500 - 128));
    parport_reset_stats(p);
    parport_get_stats(p, &st);
    ck_assert_uint_eq(st.printed + st.interrupts, 0);
    parport_destroy(p);
    sim_test_end();
}
END_TEST

START_TEST(test_bad_configurations_are_refused)
{
    struct parport_config cfg;

    sim_test_begin(1, 1);
    parport_config_default(&cfg);
    cfg.fifo = 0;
    ck_assert_int_eq(parport_create(&cfg, &p), -EINVAL);
    parport_config_default(&cfg);
    cfg.dirql = 15;                        /* not a device IRQL */
    ck_assert_int_eq(parport_create(&cfg, &p), -EINVAL);
    sim_test_end();
    ck_assert_int_eq(parport_create(&cfg, &p), -ENODEV);
}
END_TEST

START_TEST(test_stack_adds_one_when_asked)
{
    struct stack_config cfg;
    struct stack *st;
    char err[256];

    stack_config_default(&cfg);
    cfg.parallel = true;
    ck_assert_int_eq(stack_create(&cfg, &st, err, sizeof err), 0);
    ck_assert_ptr_nonnull(st->parallel);
    ck_assert_ptr_null(st->serial);
    ck_assert_int_eq(stack_boot(st), 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    stack_destroy(st);
}
END_TEST

Suite *
parport_suite(void)
{
    Suite *su = suite_create("parport");
    TCase *tc = tcase_create("parport");

    tcase_add_test(tc, test_served_at_once_the_printer_never_waits);
    tcase_add_test(tc, test_held_off_the_printer_stands_still);
    tcase_add_test(tc, test_bad_configurations_are_refused);
    tcase_add_test(tc, test_stack_adds_one_when_asked);
    suite_add_tcase(su, tc);
    return su;
}
