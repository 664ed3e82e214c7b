/* hist.h - a log-bucket histogram of 64-bit values (latencies in ns). */
/**
 * @file hist.h
 * @brief A histogram of unsigned 64-bit values with logarithmic buckets:
 *        constant memory, O(1) recording, and quantiles within 0.4% of the
 *        true value.
 *
 * Interface: whoever measures something (the workload layer records each
 * request's latency in simulated ns) calls hist_init() once, then
 * hist_record() per value, and reads hist_quantile(), hist_mean(),
 * hist_min() and hist_max(). hist_merge() adds one histogram into another
 * (per-CPU histograms into a total). A struct hist is about 59 KiB: keep it
 * in static or heap memory (hist_create()), never on a fiber's stack.
 *
 * How the buckets work: values below 128 have a bucket each. Above, each
 * power of two [2^e, 2^(e+1)) is split into 128 equal buckets, so a bucket
 * is at most 1/128 of its lower bound wide. A quantile is reported as the
 * middle of its bucket (clamped to the exact min and max), which is within
 * 1/256 (0.39%) of any value in the bucket. This is the scheme of
 * HdrHistogram with two significant decimal digits.
 *
 * @code
 * struct hist *h = hist_create();
 * for (int i = 1; i <= 1000; i++)
 *     hist_record(h, (uint64_t)i * 1000);
 * printf("p99 %llu ns\n", (unsigned long long)hist_quantile(h, 0.99));
 * hist_destroy(h);
 * @endcode
 */
#ifndef STORSIM_HIST_H
#define STORSIM_HIST_H

#include <stddef.h>
#include <stdint.h>

/**
 * @defgroup hist Histograms
 * @brief Log-bucket histograms with bounded relative error.
 * @{
 */

/** @brief log2 of the number of buckets per power of two. */
#define HIST_SUB_BITS 7
/** @brief Buckets per power of two (and the number of exact buckets). */
#define HIST_SUB (1u << HIST_SUB_BITS)
/** @brief Total number of buckets: every uint64_t value has one. */
#define HIST_BUCKETS (HIST_SUB + (64 - HIST_SUB_BITS) * HIST_SUB)

/** @brief A histogram. Zero it with hist_init() before use. */
struct hist {
    uint64_t count;                 /**< values recorded */
    uint64_t min;                   /**< smallest value (UINT64_MAX if none) */
    uint64_t max;                   /**< largest value (0 if none) */
    double sum;                     /**< sum of the values, for the mean */
    uint64_t buckets[HIST_BUCKETS]; /**< values per bucket */
};

/** @brief Empty a histogram. @param[out] h the histogram */
void hist_init(struct hist *h);

/** @brief Allocate an empty histogram. @return it, or NULL when out of memory */
struct hist *hist_create(void);

/** @brief Free a histogram from hist_create(). NULL is allowed. @param[in] h the histogram */
void hist_destroy(struct hist *h);

/**
 * @brief Record one value.
 * @param[in,out] h the histogram
 * @param[in]     v the value
 */
void hist_record(struct hist *h, uint64_t v);

/**
 * @brief Record a value @p n times.
 * @param[in,out] h the histogram
 * @param[in]     v the value
 * @param[in]     n how many times
 */
void hist_record_n(struct hist *h, uint64_t v, uint64_t n);

/**
 * @brief Add every value of @p src to @p dst.
 * @param[in,out] dst the total
 * @param[in]     src the part
 */
void hist_merge(struct hist *dst, const struct hist *src);

/**
 * @brief The value at quantile @p q: the smallest recorded value v such
 *        that at least q * count values are <= v, to within 1/256 of it.
 * @param[in] h the histogram
 * @param[in] q the quantile, 0.0 to 1.0 (0.5 for the median, 0.999 for
 *              p99.9); 1.0 gives the exact maximum, 0.0 the exact minimum
 * @return the value, or 0 for an empty histogram
 */
uint64_t hist_quantile(const struct hist *h, double q);

/** @brief The mean. @param[in] h the histogram @return the mean, 0 if empty */
double hist_mean(const struct hist *h);

/** @brief The smallest value. @param[in] h the histogram @return it, 0 if empty */
uint64_t hist_min(const struct hist *h);

/** @brief The largest value. @param[in] h the histogram @return it, 0 if empty */
uint64_t hist_max(const struct hist *h);

/**
 * @brief The bucket a value falls in.
 * @param[in] v the value
 * @return its index, 0 to HIST_BUCKETS - 1
 */
size_t hist_bucket_of(uint64_t v);

/**
 * @brief The smallest value of a bucket.
 * @param[in] i the bucket index (< HIST_BUCKETS)
 * @return its lower bound
 */
uint64_t hist_bucket_low(size_t i);

/**
 * @brief The largest value of a bucket.
 * @param[in] i the bucket index (< HIST_BUCKETS)
 * @return its upper bound (inclusive)
 */
uint64_t hist_bucket_high(size_t i);

/** @} */

#endif /* STORSIM_HIST_H */
