/* timeline.c: each CPU's IRQL over recent simulated time, for the
 * timeline pane.
 *
 * Interface: ui_model_timeline() (include/storsim/ui_model.h);
 * ui_timeline_init/free/note() for model.c.
 *
 * Per CPU, a ring of "from this time on, this IRQL (and busy or idle)"
 * marks, appended only when the IRQL or the busy state changes, so a long
 * stretch at one level costs one mark. A query folds the marks into
 * buckets of equal simulated time, keeping the highest level of each, so
 * an ISR shorter than a column still shows.
 */
#include <errno.h>
#include <stdlib.h>

#include "ui/ui_int.h"

#define RING_MASK (UI_TIMELINE_RING - 1)

int
ui_timeline_init(struct ui_model *m)
{
    m->tl = calloc((size_t)m->ncpus * UI_TIMELINE_RING, sizeof *m->tl);
    if (m->tl == NULL)
        return -ENOMEM;
    m->tl_start = sim_now();
    for (int i = 0; i < m->ncpus; i++) {
        const struct sim_cpu *c = sim_cpu_get(i);
        m->tl[(size_t)i * UI_TIMELINE_RING] = (struct ui_irql_mark){
            .time = m->tl_start, .irql = c->irql, .busy = c->nframes > 0 };
        m->tl_n[i] = 1;
    }
    return 0;
}

void
ui_timeline_free(struct ui_model *m)
{
    free(m->tl);
    m->tl = NULL;
}

void
ui_timeline_note(struct ui_model *m, const struct sim_trace_event *ev)
{
    int cpu = ev->cpu;
    struct ui_irql_mark *ring, *last;
    uint8_t busy;

    if (m->tl == NULL || cpu >= m->ncpus)
        return;
    ring = &m->tl[(size_t)cpu * UI_TIMELINE_RING];
    last = &ring[(m->tl_n[cpu] - 1) & RING_MASK];
    busy = last->busy;
    if (ev->kind == SIM_EV_ACTIVATE || ev->kind == SIM_EV_RETIRE)
        busy = sim_cpu_get(cpu)->nframes > 0;
    if (last->irql == ev->irql_after && last->busy == busy)
        return;
    if (last->time != ev->time)       /* same instant: the last one wins */
        last = &ring[m->tl_n[cpu]++ & RING_MASK];
    *last = (struct ui_irql_mark){ ev->time, ev->irql_after, busy };
}

/* Raise the buckets that [from, to) overlaps to @level. Times are signed:
 * the window may begin before time 0 (those buckets stay unknown). */
static void
paint(int8_t *out, int n, int64_t start, int64_t bucket, int64_t from,
      int64_t to, int level)
{
    int64_t end = start + bucket * n;

    if (from < start)
        from = start;
    if (to > end)
        to = end;
    for (int64_t i = (from - start) / bucket; from < to && i < n &&
         start + i * bucket < to; i++)
        if (out[i] < level)
            out[i] = (int8_t)level;
}

void
ui_model_timeline(const struct ui_model *m, int cpu, sim_time_t end,
                  sim_time_t bucket, int n, int8_t *out)
{
    const struct ui_irql_mark *ring;
    int64_t start, seg_end = (int64_t)end;
    uint64_t count, oldest;

    for (int i = 0; i < n; i++)
        out[i] = -2;
    if (m->tl == NULL || cpu < 0 || cpu >= m->ncpus || bucket == 0 || n <= 0)
        return;
    start = (int64_t)end - (int64_t)bucket * n;
    ring = &m->tl[(size_t)cpu * UI_TIMELINE_RING];
    count = m->tl_n[cpu];
    oldest = count > UI_TIMELINE_RING ? count - UI_TIMELINE_RING : 0;
    for (uint64_t k = count; k-- > oldest && seg_end > start;) {
        const struct ui_irql_mark *mk = &ring[k & RING_MASK];
        int level = mk->busy || mk->irql > 0 ? mk->irql : -1;
        paint(out, n, start, (int64_t)bucket, (int64_t)mk->time, seg_end,
              level);
        seg_end = (int64_t)mk->time;
    }
}

int
ui_irql_style(int irql)
{
    if (irql <= PASSIVE_LEVEL)
        return UI_S_IRQL_PASSIVE;
    if (irql == APC_LEVEL)
        return UI_S_IRQL_APC;
    if (irql == DISPATCH_LEVEL)
        return UI_S_IRQL_DISPATCH;
    if (irql <= SIM_DIRQL_MAX)
        return UI_S_IRQL_DIRQL;
    return UI_S_IRQL_HIGH;
}

char
ui_irql_glyph(int level)
{
    static const char hex[] = "0123456789ABCDEF";

    if (level == -2)
        return ' ';
    if (level == -1)
        return '.';
    if (level == PASSIVE_LEVEL)
        return '_';
    if (level == APC_LEVEL)
        return 'a';
    if (level == DISPATCH_LEVEL)
        return 'd';
    return level < 16 ? hex[level] : '?';
}
