/* stats_qd.c: the queue-depth time series (SRBs outstanding over time) in
 * constant memory.
 *
 * Interface: stats_qd_init() at attach, stats_qd_add() for every interval
 * during which the number outstanding was constant, stats_qd_report() to
 * turn the buckets into the report's points.
 *
 * The series has STATS_QD_POINTS buckets of equal length, starting at
 * 1 us each. When an interval reaches past the last bucket, neighbouring
 * buckets merge in pairs and the length doubles, as often as needed: a
 * 10-second run ends with buckets of about 80 ms, a 10-ms run with
 * buckets of about 80 us, and both cost the same memory. Each bucket
 * keeps the integral of the depth over it (so its mean is exact) and the
 * deepest the queue was in it.
 */
#include <string.h>

#include "stats/stats_int.h"

#define FIRST_INTERVAL SIM_US(1)

void
stats_qd_init(struct qd_series *q, sim_time_t start)
{
    memset(q, 0, sizeof *q);
    q->start = start;
    q->interval = FIRST_INTERVAL;
}

static void
halve_resolution(struct qd_series *q)
{
    for (int i = 0; i < STATS_QD_POINTS / 2; i++) {
        q->area[i] = q->area[2 * i] + q->area[2 * i + 1];
        q->max[i] = q->max[2 * i] > q->max[2 * i + 1] ? q->max[2 * i]
                                                      : q->max[2 * i + 1];
    }
    memset(&q->area[STATS_QD_POINTS / 2], 0,
           sizeof q->area / 2);
    memset(&q->max[STATS_QD_POINTS / 2], 0, sizeof q->max / 2);
    q->interval *= 2;
    q->n = (q->n + 1) / 2;
}

static void
note_max(struct qd_series *q, int i, uint64_t level)
{
    uint32_t l = level > UINT32_MAX ? UINT32_MAX : (uint32_t)level;

    if (l > q->max[i])
        q->max[i] = l;
    if (i + 1 > q->n)
        q->n = i + 1;
}

/* The depth was `level` from `from` to `to` (from <= to, both >= start). */
void
stats_qd_add(struct qd_series *q, sim_time_t from, sim_time_t to,
             uint64_t level)
{
    if (from < q->start)
        from = q->start;
    if (to < from)
        return;
    while (to - q->start >= q->interval * STATS_QD_POINTS)
        halve_resolution(q);
    note_max(q, (int)((from - q->start) / q->interval), level);
    while (from < to) {
        int i = (int)((from - q->start) / q->interval);
        sim_time_t bucket_end = q->start + (sim_time_t)(i + 1) * q->interval;
        sim_time_t seg_end = to < bucket_end ? to : bucket_end;

        q->area[i] += level * (seg_end - from);
        note_max(q, i, level);
        from = seg_end;
    }
}

void
stats_qd_report(const struct qd_series *q, sim_time_t end,
                struct stats_queue_depth *out)
{
    out->interval = q->interval;
    out->npoints = q->n;
    for (int i = 0; i < q->n; i++) {
        sim_time_t b = q->start + (sim_time_t)i * q->interval;
        sim_time_t len = q->interval;

        if (end > b && end - b < len)
            len = end - b;          /* the last bucket may be partial */
        out->points[i].start = b;
        out->points[i].mean = len ? (double)q->area[i] / (double)len : 0.0;
        out->points[i].max = q->max[i];
    }
}
