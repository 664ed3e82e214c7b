/* pane_misc.c: the source, timeline, events and stats panes, and every
 * pane's title.
 *
 * Interface: ui_pane_source(), ui_pane_timeline(), ui_pane_events(),
 * ui_pane_stats(), ui_pane_title() (ui_int.h).
 *
 * Source: the file and line the followed CPU is at -- the last port-library
 * call site its activations recorded (the WDK headers' call-site macros
 * pass __FILE__ and __LINE__), or else the newest event of that CPU that
 * names a line -- with the line highlighted.
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui_int.h"

static const char *
frame_routine(const struct sim_frame *f)
{
    if (f->depth == 0)
        return f->name;
    return f->routines[(f->depth < SIM_MAX_ROUTINES ? f->depth
                                                    : SIM_MAX_ROUTINES) - 1];
}

/* Where the followed CPU is: the call site its newest activation that has
 * one recorded (the top one, unless that runs port-driver code), else the
 * newest event of that CPU naming a line. @who: the routine it is in. */
static bool
cpu_site(int cpu, const char **file, int *line, const char **who)
{
    const struct sim_cpu *c = sim_cpu_get(cpu);

    for (int i = c != NULL ? c->nframes : 0; i-- > 0;)
        if (c->frames[i]->site_file != NULL && c->frames[i]->site_line > 0) {
            *file = c->frames[i]->site_file;
            *line = c->frames[i]->site_line;
            *who = frame_routine(c->frames[i]);
            return true;
        }
    for (uint64_t back = 0; back < 4096; back++) {
        const struct sim_trace_event *ev = sim_trace_recent(back);
        if (ev == NULL)
            break;
        if (ev->cpu == cpu && ev->file != NULL && ev->line > 0) {
            *file = ev->file;
            *line = (int)ev->line;
            *who = ev->routine != NULL ? ev->routine : "?";
            return true;
        }
    }
    return false;
}

/* The first line shown when the pane follows the CPU: @line in the middle,
 * as far as the file allows. */
static int
source_first(int line, int rows, int nlines)
{
    int first = line - rows / 2;

    if (first + rows > nlines)
        first = nlines - rows + 1;
    return first < 1 ? 1 : first;
}

void
ui_source_scroll_range(const struct ui_pane_ctx *ctx, int *lo, int *hi)
{
    const struct ui_source *src;
    const char *file, *who;
    int line, first;

    *lo = *hi = 0;
    if (!cpu_site(ui_model_cpu(ctx->m), &file, &line, &who) ||
        (src = ui_model_source(ctx->m, file))->text == NULL)
        return;
    first = source_first(line, ctx->r.h, src->nlines);
    *lo = 1 - first;
    *hi = src->nlines - ctx->r.h + 1 - first;
}

void
ui_pane_source(struct ui_pane_ctx *ctx)
{
    struct ui_rect r = ctx->r;
    const struct ui_source *src;
    const char *file, *who;
    char dirs[2048];
    int line, cpu = ui_model_cpu(ctx->m), first;

    if (!ctx->attached) {
        ui_grid_text(ctx->g, r, r.x + 1, r.y, UI_S_DIM,
                     "(the source appears when a CPU runs driver code)");
        return;
    }
    if (!cpu_site(cpu, &file, &line, &who)) {
        ui_grid_printf(ctx->g, r, r.x + 1, r.y, UI_S_DIM, "cpu%d has not "
                       "reached a line of driver code yet", cpu);
        return;
    }
    src = ui_model_source(ctx->m, file);
    if (src->text == NULL) {
        ui_source_dirs(dirs, sizeof dirs);
        ui_grid_printf(ctx->g, r, r.x + 1, r.y, UI_S_ERROR, "%s: not found",
                       file);
        ui_grid_printf(ctx->g, r, r.x + 1, r.y + 1, UI_S_NORMAL,
                       "looked in: %s", dirs);
        ui_grid_text(ctx->g, r, r.x + 1, r.y + 2, UI_S_NORMAL, "set "
                     "STORSIM_SRCDIR to the top of the storsim source tree");
        return;
    }
    first = source_first(line, r.h, src->nlines) + ctx->scroll;
    for (int i = 0; i < r.h && first + i <= src->nlines; i++) {
        int n = first + i, style = n == line ? UI_S_CURRENT : UI_S_NORMAL;
        char text[1200];
        snprintf(text, sizeof text, "%c%5d  %s", n == line ? '>' : ' ', n,
                 src->lines[n - 1]);
        for (char *p = text; *p != '\0'; p++)
            if (*p == '\t')
                *p = ' ';
        if (n == line)
            ui_grid_fill(ctx->g, (struct ui_rect){ r.x, r.y + i, r.w, 1 },
                         ' ', style);
        ui_grid_text(ctx->g, r, r.x, r.y + i, style, text);
    }
}

void
ui_pane_timeline(struct ui_pane_ctx *ctx)
{
    struct ui_rect r = ctx->r;
    int8_t levels[512];
    int w = r.w - 7 < 512 ? r.w - 7 : 512;

    for (int cpu = 0; cpu < ctx->m->ncpus && cpu < r.h; cpu++) {
        int y = r.y + cpu;
        ui_grid_printf(ctx->g, r, r.x, y, cpu == ui_model_cpu(ctx->m)
                       ? UI_S_NORMAL : UI_S_DIM, "%ccpu%-2d", cpu ==
                       ui_model_cpu(ctx->m) ? '>' : ' ', cpu);
        ui_model_timeline(ctx->m, cpu, sim_now() + 1, ctx->v->tl_bucket, w,
                          levels);
        for (int i = 0; i < w; i++) {
            char cell[2] = { ui_irql_glyph(levels[i]), '\0' };
            ui_grid_text(ctx->g, r, r.x + 7 + i, y, levels[i] < 0 ? UI_S_DIM
                         : ui_irql_style(levels[i]), cell);
        }
    }
}

void
ui_pane_events(struct ui_pane_ctx *ctx)
{
    struct ui_rect r = ctx->r;
    char line[400];
    int x;

    for (int i = 0; i < r.h; i++) {
        const struct sim_trace_event *ev = sim_trace_recent((uint64_t)(r.h -
                                                    1 - i - ctx->scroll));
        if (ev == NULL)
            continue;
        x = ui_grid_printf(ctx->g, r, r.x, r.y + i, ev->seq >= ctx->m->mark_seq
                           ? UI_S_CHANGED : UI_S_DIM, "%8llu",
                           (unsigned long long)ev->seq + 1);
        sim_trace_format(ev, line, sizeof line);
        ui_grid_text(ctx->g, r, x, r.y + i, ev->kind == SIM_EV_BUGCHECK
                     ? UI_S_ERROR : UI_S_NORMAL, line);
    }
}

/* Up into the trace ring's history, newest last. */
void
ui_events_scroll_range(const struct ui_pane_ctx *ctx, int *lo, int *hi)
{
    uint64_t kept = sim_trace_count() < sim_trace_ring_size()
                    ? sim_trace_count() : sim_trace_ring_size();

    *hi = 0;
    *lo = kept > (uint64_t)ctx->r.h ? -(int)(kept - (uint64_t)ctx->r.h) : 0;
}

static void
stats_cpus(struct ui_pane_ctx *ctx, int *y)
{
    struct ui_rect r = ctx->r;
    sim_time_t busy, spin, idle, total;

    ui_grid_text(ctx->g, r, r.x + 1, (*y)++, UI_S_DIM,
                 "CPU  busy  spin  idle   ISRs   DPCs");
    for (int i = 0; i < ctx->m->ncpus && *y < r.y + r.h; i++) {
        const struct sim_cpu *c = sim_cpu_get(i);
        sim_cpu_times(c, &busy, &spin, &idle);
        total = busy + spin + idle ? busy + spin + idle : 1;
        ui_grid_printf(ctx->g, r, r.x + 1, (*y)++, UI_S_NORMAL, "%-3d %4.0f%% "
                       "%4.0f%% %4.0f%% %6llu %6llu", i,
                       100.0 * (double)busy / (double)total,
                       100.0 * (double)spin / (double)total,
                       100.0 * (double)idle / (double)total,
                       (unsigned long long)c->interrupts,
                       (unsigned long long)c->dpcs);
    }
}

void
ui_pane_stats(struct ui_pane_ctx *ctx)
{
    const struct ui_model *m = ctx->m;
    struct ui_rect r = ctx->r;
    sim_time_t span = sim_now() - m->tl_start;
    uint64_t done = m->ndone - m->ndone_before;
    char t1[32], t2[32], text[512];
    size_t n = 0;
    int y = r.y;

    ui_grid_printf(ctx->g, r, r.x + 1, y++, UI_S_NORMAL, "watched %s: %llu "
                   "SRBs done, %u in flight, %.0f IOPS",
                   ui_fmt_time(span, t1, sizeof t1),
                   (unsigned long long)done, m->srb_used,
                   span ? (double)done * 1e9 / (double)span : 0.0);
    ui_grid_printf(ctx->g, r, r.x + 1, y++, UI_S_NORMAL, "latency in the port:"
                   " mean %s, max %s", ui_fmt_time(done ? m->lat_total /
                   done : 0, t1, sizeof t1),
                   ui_fmt_time(m->lat_max, t2, sizeof t2));
    for (int s = 0; s < PORT_SRB_COMPLETED && n < sizeof text; s++)
        if (m->res_count[s] != 0)
            n += (size_t)snprintf(text + n, sizeof text - n, "%s %s  ",
                                  port_srb_state_name((enum port_srb_state)s),
                                  ui_fmt_time(m->residency[s] /
                                              m->res_count[s], t1, sizeof t1));
    ui_grid_text(ctx->g, r, r.x + 1, y++, UI_S_DIM, "mean time in state:");
    ui_grid_text(ctx->g, r, r.x + 2, y++, UI_S_NORMAL, n ? text : "-");
    stats_cpus(ctx, &y);
}

void
ui_pane_title(const struct ui_view *v, enum ui_pane p, char *buf, size_t len)
{
    const struct ui_model *m = v->m;
    char t[32];
    const char *file, *who;
    int line;

    switch (p) {
    case UI_PANE_CPUS:
        snprintf(buf, len, "CPUs (%d)", m->ncpus);
        break;
    case UI_PANE_LOCKS:
        snprintf(buf, len, "Locks");
        break;
    case UI_PANE_SRBS:
        snprintf(buf, len, "SRBs (%u in flight)", m->srb_used);
        break;
    case UI_PANE_HBA:
        snprintf(buf, len, "HBA");
        break;
    case UI_PANE_SOURCE:
        if (ui_model_attached(m) &&
            cpu_site(ui_model_cpu(m), &file, &line, &who))
            snprintf(buf, len, "Source: %s:%d (cpu%d, %s)", file, line,
                     ui_model_cpu(m), who);
        else
            snprintf(buf, len, "Source");
        break;
    case UI_PANE_TIMELINE:
        snprintf(buf, len, "IRQL timeline, %s per column, now at the right: "
                 "_ passive  d dispatch  3-B device  . idle",
                 ui_fmt_time(v->tl_bucket, t, sizeof t));
        break;
    case UI_PANE_EVENTS:
        snprintf(buf, len, "Events (newest last; those of the last step "
                 "highlighted)");
        break;
    default:
        snprintf(buf, len, "Stats");
        break;
    }
}
