/* test_hist.c: the log-bucket histogram: bucket geometry, exact extremes,
 * and quantiles within 1% of the exact ones on known distributions.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "storsim/hist.h"
#include "storsim/sim.h"

static struct hist *h;

static void
setup(void)
{
    h = hist_create();
    ck_assert_ptr_nonnull(h);
}

static void
teardown(void)
{
    hist_destroy(h);
}

START_TEST(buckets_tile_the_whole_range)
{
    ck_assert_uint_eq(hist_bucket_low(0), 0);
    ck_assert_uint_eq(hist_bucket_high(HIST_BUCKETS - 1), UINT64_MAX);
    for (size_t i = 0; i < HIST_BUCKETS; i++) {
        uint64_t lo = hist_bucket_low(i), hi = hist_bucket_high(i);

        ck_assert_uint_eq(hist_bucket_of(lo), i);
        ck_assert_uint_eq(hist_bucket_of(hi), i);
        if (i + 1 < HIST_BUCKETS)
            ck_assert_uint_eq(hist_bucket_low(i + 1), hi + 1);
        /* a bucket is at most 1/128 of its lower bound wide */
        ck_assert_uint_le(hi - lo, lo / HIST_SUB);
    }
}
END_TEST

START_TEST(empty_histogram_reports_zero)
{
    ck_assert_uint_eq(hist_quantile(h, 0.5), 0);
    ck_assert_uint_eq(hist_min(h), 0);
    ck_assert_uint_eq(hist_max(h), 0);
    ck_assert(hist_mean(h) == 0.0);
}
END_TEST

START_TEST(small_values_are_exact)
{
    for (uint64_t v = 1; v <= 100; v++)
        hist_record(h, v);
    ck_assert_uint_eq(hist_quantile(h, 0.5), 50);
    ck_assert_uint_eq(hist_quantile(h, 0.99), 99);
    ck_assert_uint_eq(hist_quantile(h, 0.0), 1);
    ck_assert_uint_eq(hist_quantile(h, 1.0), 100);
    ck_assert(fabs(hist_mean(h) - 50.5) < 1e-9);
}
END_TEST

START_TEST(constant_values_report_themselves)
{
    hist_record_n(h, 123457, 1000);
    ck_assert_uint_eq(h->count, 1000);
    ck_assert_uint_eq(hist_quantile(h, 0.5), 123457);
    ck_assert_uint_eq(hist_quantile(h, 0.999), 123457);
    ck_assert_uint_eq(hist_min(h), 123457);
    ck_assert_uint_eq(hist_max(h), 123457);
}
END_TEST

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Record @n values, then compare quantiles with the exact order statistics. */
static void
check_against_exact(uint64_t *v, size_t n)
{
    static const double qs[] = { 0.1, 0.5, 0.9, 0.99, 0.999 };

    for (size_t i = 0; i < n; i++)
        hist_record(h, v[i]);
    qsort(v, n, sizeof *v, cmp_u64);
    for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
        size_t rank = (size_t)ceil(qs[k] * (double)n);
        double exact = (double)v[rank - 1];
        double got = (double)hist_quantile(h, qs[k]);

        ck_assert_msg(fabs(got - exact) <= 0.01 * exact,
                      "q%.3f: %.0f vs exact %.0f", qs[k], got, exact);
    }
    ck_assert_uint_eq(hist_min(h), v[0]);
    ck_assert_uint_eq(hist_max(h), v[n - 1]);
}

START_TEST(uniform_quantiles_within_one_percent)
{
    size_t n = 200000;
    uint64_t *v = malloc(n * sizeof *v);
    struct sim_rng rng;

    sim_rng_seed(&rng, 42);
    for (size_t i = 0; i < n; i++)
        v[i] = 1000 + sim_rng_below(&rng, 1000000);
    check_against_exact(v, n);
    free(v);
}
END_TEST

/* Latency-like: exponential with a long tail, and a lognormal spread over
 * four decades. */
START_TEST(skewed_quantiles_within_one_percent)
{
    size_t n = 200000;
    uint64_t *v = malloc(n * sizeof *v);
    struct sim_rng rng;

    sim_rng_seed(&rng, 7);
    for (size_t i = 0; i < n; i++) {
        double u = ((double)(sim_rng_next(&rng) >> 11) + 0.5) / 9007199254740992.0;
        v[i] = i % 2 ? (uint64_t)(20000.0 - 15000.0 * log(u))
                     : (uint64_t)exp(9.0 + 2.5 * sqrt(-2 * log(u)) * cos(6.283185 * u * 977));
    }
    check_against_exact(v, n);
    free(v);
}
END_TEST

START_TEST(merge_equals_recording_everything)
{
    struct hist *a = hist_create(), *b = hist_create();

    for (uint64_t i = 1; i <= 5000; i++) {
        hist_record(i % 3 ? a : b, i * 997);
        hist_record(h, i * 997);
    }
    hist_merge(a, b);
    ck_assert_uint_eq(a->count, h->count);
    ck_assert_uint_eq(hist_min(a), hist_min(h));
    ck_assert_uint_eq(hist_max(a), hist_max(h));
    ck_assert_uint_eq(hist_quantile(a, 0.9), hist_quantile(h, 0.9));
    ck_assert(fabs(hist_mean(a) - hist_mean(h)) < 1e-6);
    hist_destroy(a);
    hist_destroy(b);
}
END_TEST

Suite *
hist_suite(void)
{
    Suite *s = suite_create("hist");
    TCase *tc = tcase_create("hist");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, buckets_tile_the_whole_range);
    tcase_add_test(tc, empty_histogram_reports_zero);
    tcase_add_test(tc, small_values_are_exact);
    tcase_add_test(tc, constant_values_report_themselves);
    tcase_add_test(tc, uniform_quantiles_within_one_percent);
    tcase_add_test(tc, skewed_quantiles_within_one_percent);
    tcase_add_test(tc, merge_equals_recording_everything);
    suite_add_tcase(s, tc);
    return s;
}
