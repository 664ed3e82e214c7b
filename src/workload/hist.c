/* hist.c: log-bucket histograms (see include/storsim/hist.h).
 *
 * Bucket i < HIST_SUB holds exactly the value i. Above that, a value v with
 * its highest set bit at position e (e >= HIST_SUB_BITS) keeps its top
 * HIST_SUB_BITS + 1 bits: the leading 1 says which power of two, the next
 * HIST_SUB_BITS bits which of its HIST_SUB slices. So bucket widths grow
 * with the value and the relative width never exceeds 1 / HIST_SUB.
 */
#include <stdlib.h>
#include <string.h>

#include "storsim/hist.h"

void
hist_init(struct hist *h)
{
    memset(h, 0, sizeof *h);
    h->min = UINT64_MAX;
}

struct hist *
hist_create(void)
{
    struct hist *h = malloc(sizeof *h);

    if (h != NULL)
        hist_init(h);
    return h;
}

void
hist_destroy(struct hist *h)
{
    free(h);
}

static int
top_bit(uint64_t v)
{
    return 63 - __builtin_clzll(v);
}

size_t
hist_bucket_of(uint64_t v)
{
    int shift;

    if (v < HIST_SUB)
        return (size_t)v;
    shift = top_bit(v) - HIST_SUB_BITS;
    /* (v >> shift) is in [HIST_SUB, 2 * HIST_SUB): the leading 1 and the
     * slice; each power of two above the exact range adds HIST_SUB. */
    return (size_t)(shift + 1) * HIST_SUB + (size_t)((v >> shift) - HIST_SUB);
}

uint64_t
hist_bucket_low(size_t i)
{
    size_t shift;

    if (i < HIST_SUB)
        return i;
    shift = i / HIST_SUB - 1;
    return (uint64_t)(HIST_SUB + i % HIST_SUB) << shift;
}

uint64_t
hist_bucket_high(size_t i)
{
    size_t shift;

    if (i < HIST_SUB)
        return i;
    shift = i / HIST_SUB - 1;
    return hist_bucket_low(i) + (((uint64_t)1 << shift) - 1);
}

void
hist_record_n(struct hist *h, uint64_t v, uint64_t n)
{
    if (n == 0)
        return;
    h->buckets[hist_bucket_of(v)] += n;
    h->count += n;
    h->sum += (double)v * (double)n;
    if (v < h->min)
        h->min = v;
    if (v > h->max)
        h->max = v;
}

void
hist_record(struct hist *h, uint64_t v)
{
    hist_record_n(h, v, 1);
}

void
hist_merge(struct hist *dst, const struct hist *src)
{
    if (src->count == 0)
        return;
    for (size_t i = 0; i < HIST_BUCKETS; i++)
        dst->buckets[i] += src->buckets[i];
    dst->count += src->count;
    dst->sum += src->sum;
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
}

uint64_t
hist_quantile(const struct hist *h, double q)
{
    uint64_t rank, seen = 0;

    if (h->count == 0)
        return 0;
    if (q <= 0.0)
        return h->min;
    if (q >= 1.0)
        return h->max;
    /* The rank-th smallest value, rank = ceil(q * count), at least 1. */
    rank = (uint64_t)(q * (double)h->count);
    if ((double)rank < q * (double)h->count)
        rank++;
    if (rank == 0)
        rank = 1;
    for (size_t i = 0; i < HIST_BUCKETS; i++) {
        seen += h->buckets[i];
        if (seen >= rank) {
            uint64_t lo = hist_bucket_low(i), hi = hist_bucket_high(i);
            uint64_t mid = lo + (hi - lo) / 2;
            /* The true value is in [lo, hi] and in [min, max]. */
            if (mid < h->min)
                mid = h->min;
            if (mid > h->max)
                mid = h->max;
            return mid;
        }
    }
    return h->max;
}

double
hist_mean(const struct hist *h)
{
    return h->count == 0 ? 0.0 : h->sum / (double)h->count;
}

uint64_t
hist_min(const struct hist *h)
{
    return h->count == 0 ? 0 : h->min;
}

uint64_t
hist_max(const struct hist *h)
{
    return h->max;
}
