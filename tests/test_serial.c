/* test_serial.c: the serial port on a bare machine: served at once it
 * receives every byte, one interrupt per 14; held off by a higher DIRQL it
 * loses exactly the bytes that found its FIFO full; and the stack adds one
 * when asked, with its counters starting at boot. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "sim_helpers.h"
#include "storsim/serial.h"
#include "storsim/stack.h"

static struct serial *s;
static sim_time_t stop_at;

static bool
sending(void *ctx)
{
    (void)ctx;
    return sim_now() < stop_at;
}

static void
create(void)
{
    struct serial_config cfg;

    serial_config_default(&cfg);
    cfg.active = sending;
    ck_assert_int_eq(serial_create(&cfg, &s), 0);
    serial_start(s);
}

/* 115200 baud: a byte every 86805 ns; the FIFO reaches 14 every 14 of them. */
#define BYTE 86805u
#define TRIGGER (14u * BYTE)

START_TEST(test_served_at_once_it_loses_nothing)
{
    struct serial_stats st;

    sim_test_begin(1, 1);
    stop_at = SIM_MS(10);
    create();
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    serial_get_stats(s, &st);
    /* Triggers at k * 1.215 ms; the one at or after 10 ms is the last. */
    ck_assert_uint_eq(st.interrupts, 9);
    ck_assert_uint_eq(st.received, 9 * 14);
    ck_assert_uint_eq(st.offered, st.received);
    ck_assert_uint_eq(st.lost, 0);
    ck_assert_uint_eq(st.overruns, 0);
    ck_assert_uint_eq(hist_max(serial_latency(s)), 0);
    ck_assert_uint_eq(sim_now(), 9 * TRIGGER + SIM_US(2));  /* + its ISR */
    serial_destroy(s);
    sim_test_end();
}
END_TEST

START_TEST(test_held_off_it_overruns)
{
    static struct sim_test_busy busy;
    struct serial_stats st;

    sim_test_begin(1, 1);
    stop_at = SIM_MS(10);
    create();
    sim_test_busy_at(&busy, 0, 5, SIM_US(900), SIM_US(3500));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    serial_get_stats(s, &st);
    /* The first trigger (1.215 ms) waits until 4.4 ms, when 50 bytes have
     * arrived: 16 fit in the FIFO, 34 found it full. */
    ck_assert_uint_eq(st.lost, 50 - 16);
    ck_assert_uint_eq(st.overruns, 1);
    ck_assert_uint_eq(hist_max(serial_latency(s)), SIM_US(4400) - TRIGGER);
    ck_assert_uint_eq(st.offered, st.received + st.lost);
    serial_reset_stats(s);
    serial_get_stats(s, &st);
    ck_assert_uint_eq(st.offered + st.received + st.lost, 0);
    serial_destroy(s);
    sim_test_end();
}
END_TEST

START_TEST(test_bad_configurations_are_refused)
{
    struct serial_config cfg;

    sim_test_begin(1, 1);
    serial_config_default(&cfg);
    cfg.trigger = 17;                      /* more than the FIFO holds */
    ck_assert_int_eq(serial_create(&cfg, &s), -EINVAL);
    serial_config_default(&cfg);
    cfg.baud = 10;
    ck_assert_int_eq(serial_create(&cfg, &s), -EINVAL);
    sim_test_end();
    ck_assert_int_eq(serial_create(&cfg, &s), -ENODEV);
}
END_TEST

START_TEST(test_stack_adds_one_when_asked)
{
    struct stack_config cfg;
    struct stack *st;
    struct serial_stats ss;
    char err[256];

    stack_config_default(&cfg);
    ck_assert_int_eq(stack_create(&cfg, &st, err, sizeof err), 0);
    ck_assert_ptr_null(st->serial);
    stack_destroy(st);
    cfg.serial = true;
    ck_assert_int_eq(stack_create(&cfg, &st, err, sizeof err), 0);
    ck_assert_ptr_nonnull(st->serial);
    ck_assert_int_eq(stack_boot(st), 0);
    serial_get_stats(st->serial, &ss);
    ck_assert_uint_eq(ss.received + ss.lost, 0);     /* counters at ready */
    ck_assert_uint_le(ss.offered, 16);     /* what the FIFO held then */
    /* Nothing outstanding: the mouse stops, so does the far end, and the
     * machine goes idle. */
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    stack_destroy(st);
}
END_TEST

Suite *
serial_suite(void)
{
    Suite *su = suite_create("serial");
    TCase *tc = tcase_create("serial");

    tcase_add_test(tc, test_served_at_once_it_loses_nothing);
    tcase_add_test(tc, test_held_off_it_overruns);
    tcase_add_test(tc, test_bad_configurations_are_refused);
    tcase_add_test(tc, test_stack_adds_one_when_asked);
    suite_add_tcase(su, tc);
    return su;
}
