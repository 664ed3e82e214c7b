/* test_workload_spec.c: workload definitions as text: defaults, units,
 * every error message, suggestions, and formatting back to text.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "storsim/workload.h"
#include "workload/wl_int.h"

static struct wl_spec spec;
static char err[256];

static void
setup(void)
{
    wl_spec_default(&spec);
    err[0] = '\0';
}

static void
parse_ok(const char *text)
{
    ck_assert_msg(wl_spec_parse(&spec, text, err, sizeof err) == 0, "%s: %s", text, err);
}

START_TEST(defaults)
{
    ck_assert_int_eq(spec.pattern, WL_RANDOM);
    ck_assert_uint_eq(spec.bs, 4096);
    ck_assert_uint_eq(spec.qd, 1);
    ck_assert_uint_eq(spec.count, 1000);
    ck_assert_uint_eq(spec.read_pct, 100);
    ck_assert_int_eq(spec.srb, WL_SRB_SCSI);
    ck_assert_uint_eq(spec.timeout, WL_DEFAULT_TIMEOUT);
    ck_assert(spec.fresh);
    ck_assert_int_eq(wl_spec_check(&spec, err, sizeof err), 0);
}
END_TEST

START_TEST(the_example_parses)
{
    parse_ok("pattern=random bs=4k qd=8 count=1000 read=70 luns=0,1 cpus=0-3 seed=5 srb=ex");
    ck_assert_int_eq(spec.pattern, WL_RANDOM);
    ck_assert_uint_eq(spec.bs, 4096);
    ck_assert_uint_eq(spec.qd, 8);
    ck_assert_uint_eq(spec.count, 1000);
    ck_assert_uint_eq(spec.read_pct, 70);
    ck_assert_uint_eq(spec.luns, 0x3);
    ck_assert_uint_eq(spec.cpus, 0xF);
    ck_assert_uint_eq(spec.seed, 5);
    ck_assert_int_eq(spec.srb, WL_SRB_EX);
}
END_TEST

START_TEST(units_and_forms)
{
    parse_ok("  pattern=seq\tbs=1M duration=80us submit-cost=500ns read=25% "
             "timeout=30s luns=all cpus=0,2,4-5 size=2g offset=4KiB track=1m fresh=no");
    ck_assert_int_eq(spec.pattern, WL_SEQUENTIAL);
    ck_assert_uint_eq(spec.bs, 1u << 20);
    ck_assert_uint_eq(spec.duration, SIM_US(80));
    ck_assert_uint_eq(spec.submit_cost, 500);
    ck_assert_uint_eq(spec.read_pct, 25);
    ck_assert_uint_eq(spec.timeout, 30);
    ck_assert_uint_eq(spec.luns, 0);
    ck_assert_uint_eq(spec.cpus, 0x35);
    ck_assert_uint_eq(spec.size, 2ull << 30);
    ck_assert_uint_eq(spec.offset, 4096);
    ck_assert_uint_eq(spec.track_bytes, 1u << 20);
    ck_assert(!spec.fresh);
    parse_ok("duration=10ms bs=512 pattern=sequential");
    ck_assert_uint_eq(spec.duration, SIM_MS(10));
    ck_assert_uint_eq(spec.bs, 512);
}
END_TEST

/* text -> error message, exactly as the user sees it */
static const struct {
    const char *text;
    int rc;
    const char *message;
} errors[] = {
    { "paattern=seq", -ENOENT, "unknown key 'paattern', did you mean 'pattern'?" },
    { "durration=1ms", -ENOENT, "unknown key 'durration', did you mean 'duration'?" },
    { "sed=4", -ENOENT, "unknown key 'sed', did you mean 'seed'?" },
    { "submit=1us", -ENOENT, "unknown key 'submit', did you mean 'submit-cost'?" },
    { "xyzzy=1", -ENOENT, "unknown key 'xyzzy' (keys: pattern, bs, qd, count, duration, "
      "read, luns, cpus, seed, srb, timeout, offset, size, fresh, submit-cost, track)" },
    { "pattern=rnadom", -EINVAL,
      "pattern: 'rnadom' is not one of seq, random; did you mean 'random'?" },
    { "pattern=zigzag", -EINVAL, "pattern: 'zigzag' is not one of seq, random" },
    { "srb=storage", -EINVAL, "srb: 'storage' is not one of scsi (SCSI_REQUEST_BLOCK), "
      "ex (STORAGE_REQUEST_BLOCK)" },
    { "fresh=maybe", -EINVAL, "fresh: 'maybe' is not one of yes, no" },
    { "bs=4x", -EINVAL, "bs: '4x' is not a size (examples: 512, 4k, 1M, 2g)" },
    { "bs=1000", -EINVAL, "bs: 1000 is not a multiple of 512" },
    { "bs=32M", -EINVAL, "bs: 32M is out of range (512..16M)" },
    { "bs=256", -EINVAL, "bs: 256 is out of range (512..16M)" },
    { "qd=0", -EINVAL, "qd: 0 is out of range (1..1024)" },
    { "qd=many", -EINVAL, "qd: 'many' is not a number (1..1024)" },
    { "read=120", -EINVAL, "read: 120 is out of range (0..100)" },
    { "timeout=0", -EINVAL, "timeout: 0 is out of range (1..3600)" },
    { "luns=0-", -EINVAL, "luns: '0-' is not a list (examples: 0  0,1  0-3  all)" },
    { "cpus=3-1", -EINVAL, "cpus: '3-1' is out of range (numbers 0..63, ranges low-high)" },
    { "cpus=70", -EINVAL, "cpus: '70' is out of range (numbers 0..63, ranges low-high)" },
    { "duration=5parsecs", -EINVAL, "duration: '5parsecs' is not a duration "
      "(a number with ns, us, ms or s, e.g. 80us, 10ms)" },
    { "qd", -EINVAL, "'qd' has no value (write qd=VALUE)" },
    { "qd=", -EINVAL, "qd: missing value (write qd=VALUE)" },
    { "track=1k", -EINVAL, "track: 1k is out of range (64k..1T)" },
};

START_TEST(each_error_names_key_value_and_what_is_allowed)
{
    int rc = wl_spec_parse(&spec, errors[_i].text, err, sizeof err);

    ck_assert_int_eq(rc, errors[_i].rc);
    ck_assert_str_eq(err, errors[_i].message);
}
END_TEST

START_TEST(check_wants_a_stop_condition)
{
    parse_ok("count=0");
    ck_assert_int_eq(wl_spec_check(&spec, err, sizeof err), -EINVAL);
    ck_assert_str_eq(err, "count or duration must be set (e.g. count=1000 or duration=10ms)");
    parse_ok("duration=1ms");
    ck_assert_int_eq(wl_spec_check(&spec, err, sizeof err), 0);
}
END_TEST

START_TEST(format_reads_back_the_same)
{
    struct wl_spec again;
    char text[256], text2[256];

    parse_ok("pattern=seq bs=64k qd=8 count=0 duration=3ms read=70 luns=0,2-3 "
             "cpus=1-2 seed=9 srb=ex timeout=20 offset=1M size=8M fresh=no "
             "submit-cost=2us track=1M");
    wl_spec_format(&spec, text, sizeof text);
    ck_assert_str_eq(text, "pattern=seq bs=64k qd=8 count=0 duration=3ms read=70 "
                     "luns=0,2-3 cpus=1-2 seed=9 srb=ex timeout=20 offset=1M size=8M "
                     "fresh=no submit-cost=2us track=1M");
    wl_spec_default(&again);
    ck_assert_int_eq(wl_spec_parse(&again, text, err, sizeof err), 0);
    wl_spec_format(&again, text2, sizeof text2);
    ck_assert_str_eq(text, text2);
    ck_assert_uint_eq(again.duration, spec.duration);
    ck_assert_uint_eq(again.luns, spec.luns);
    /* a short buffer is cut, and the full length still reported */
    ck_assert_int_eq(wl_spec_format(&spec, text2, 10), (int)strlen(text));
    ck_assert_str_eq(text2, "pattern=s");
}
END_TEST

START_TEST(nearest_word)
{
    static const char *const words[] = { "pattern", "bs", "qd", "duration" };

    ck_assert_uint_eq(wl_edit_distance("kitten", "sitting"), 3);
    ck_assert_uint_eq(wl_edit_distance("rnadom", "random"), 1);
    ck_assert_uint_eq(wl_edit_distance("", "abc"), 3);
    ck_assert_str_eq(wl_nearest("q", words, 4), "qd");
    ck_assert_str_eq(wl_nearest("dur", words, 4), "duration");
    ck_assert_ptr_null(wl_nearest("zz", words, 4));
    ck_assert_str_eq(wl_nearest("pd", words, 4), "qd");
}
END_TEST

Suite *
workload_spec_suite(void)
{
    Suite *s = suite_create("workload_spec");
    TCase *tc = tcase_create("spec");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, defaults);
    tcase_add_test(tc, the_example_parses);
    tcase_add_test(tc, units_and_forms);
    tcase_add_loop_test(tc, each_error_names_key_value_and_what_is_allowed, 0,
                        (int)(sizeof errors / sizeof errors[0]));
    tcase_add_test(tc, check_wants_a_stop_condition);
    tcase_add_test(tc, format_reads_back_the_same);
    tcase_add_test(tc, nearest_word);
    suite_add_tcase(s, tc);
    return s;
}
