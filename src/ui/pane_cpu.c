/* pane_cpu.c: the CPUs pane and the locks pane.
 *
 * Interface: ui_pane_cpus(), ui_pane_locks() (ui_int.h).
 *
 * CPUs: each CPU's IRQL (named and coloured by level), state, SRB, the
 * routine it is in, the locks it holds and what it spins on, and on wide
 * screens its activation stack (thread, DPC, ISR). Locks: each lock's
 * holder and IRQL (and the IRQL the holder came from), how long it has
 * been held, where it was taken, and who spins on it and for how long.
 * A value that changed in the last step is highlighted.
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui_int.h"

static int
changed_or(const struct ui_model *m, int cpu, enum ui_cpu_field f, int style)
{
    return ui_model_cpu_changed(m, cpu, f) ? UI_S_CHANGED : style;
}

/* Column widths of the CPU table: routine, locks held, spinning on; the
 * activation stack takes the rest on wide panes. */
struct cpu_cols {
    int routine, held, spin;
    bool stack;
};

static void
cpu_columns(int w, struct cpu_cols *c)
{
    c->stack = w >= 110;
    if (c->stack) {
        c->routine = 24;
        c->held = 22;
        c->spin = 26;
        return;
    }
    c->routine = (w - 30) * 2 / 5;
    c->routine = c->routine < 14 ? 14 : c->routine > 24 ? 24 : c->routine;
    c->held = (w - 30 - c->routine) / 2;
    c->spin = w - 30 - c->routine - c->held;
}

static void
cpu_held(const struct sim_cpu *c, char *buf, size_t len)
{
    size_t n = 0;

    snprintf(buf, len, "-");
    for (int k = 0; k < c->nheld && k < SIM_MAX_HELD && n < len; k++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s", k ? " " : "",
                              c->held[k]->name);
}

static void
cpu_stack(const struct sim_cpu *c, char *buf, size_t len)
{
    size_t n = 0;

    buf[0] = '\0';
    for (int k = 0; k < c->nframes && n < len; k++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s", k ? " > " : "",
                              c->frames[k]->name);
}

static void
cpu_row(struct ui_pane_ctx *ctx, int i, int y, const struct cpu_cols *w)
{
    const struct sim_cpu *c = sim_cpu_get(i);
    const struct sim_frame *top = c->nframes ? c->frames[c->nframes - 1]
                                             : NULL;
    struct ui_grid *g = ctx->g;
    struct ui_rect r = ctx->r;
    char text[512], t[32];
    int x = r.x + 30;

    ui_grid_printf(g, r, r.x, y, UI_S_NORMAL, "%c%-3d",
                   i == ui_model_cpu(ctx->m) ? '>' : ' ', i);
    ui_grid_text(g, r, r.x + 4, y, changed_or(ctx->m, i, UI_CPU_IRQL,
                 ui_irql_style(c->irql)), ui_irql_short(c->irql));
    ui_grid_text(g, r, r.x + 14, y, changed_or(ctx->m, i, UI_CPU_STATE,
                 UI_S_NORMAL), sim_cpu_state_name(c->state));
    if (top != NULL && top->srb != 0)
        snprintf(text, sizeof text, "%5u", top->srb);
    else
        snprintf(text, sizeof text, "    -");
    ui_grid_text(g, r, r.x + 23, y, changed_or(ctx->m, i, UI_CPU_SRB,
                 UI_S_NORMAL), text);
    snprintf(text, sizeof text, "%.*s", w->routine - 1, sim_cpu_routine(c));
    ui_grid_text(g, r, x, y, changed_or(ctx->m, i, UI_CPU_ROUTINE,
                 UI_S_NORMAL), text);
    x += w->routine;
    cpu_held(c, text, sizeof text);
    ui_grid_printf(g, r, x, y, changed_or(ctx->m, i, UI_CPU_LOCKS,
                   UI_S_NORMAL), "%.*s", w->held - 1, text);
    x += w->held;
    if (top != NULL && top->spin_on != NULL) {
        snprintf(text, sizeof text, "%s %s", top->spin_on->name,
                 ui_fmt_time(sim_now() - c->spin_start, t, sizeof t));
        ui_grid_printf(g, r, x, y, UI_S_ERROR, "%.*s", w->spin - 1, text);
    } else {
        ui_grid_text(g, r, x, y, UI_S_NORMAL, "-");
    }
    x += w->spin;
    if (w->stack) {
        cpu_stack(c, text, sizeof text);
        ui_grid_text(g, r, x, y, UI_S_DIM, text);
    }
}

void
ui_pane_cpus(struct ui_pane_ctx *ctx)
{
    struct ui_rect r = ctx->r;
    struct cpu_cols w;
    int n = ctx->m->ncpus, rows = r.h - 1, x = r.x + 30;

    cpu_columns(r.w, &w);
    ui_grid_text(ctx->g, r, r.x, r.y, UI_S_DIM,
                 " CPU IRQL      STATE      SRB");
    ui_grid_text(ctx->g, r, x, r.y, UI_S_DIM, "ROUTINE");
    ui_grid_text(ctx->g, r, x += w.routine, r.y, UI_S_DIM, "LOCKS HELD");
    ui_grid_text(ctx->g, r, x += w.held, r.y, UI_S_DIM, "SPINNING ON");
    if (w.stack)
        ui_grid_text(ctx->g, r, x + w.spin, r.y, UI_S_DIM,
                     "ACTIVATIONS");
    for (int k = 0; k < rows && ctx->scroll + k < n; k++) {
        if (k == rows - 1 && n - ctx->scroll > rows) {
            ui_grid_printf(ctx->g, r, r.x + 1, r.y + 1 + k, UI_S_DIM,
                           "... %d more CPUs (PgDn, z)",
                           n - ctx->scroll - k);
            break;
        }
        cpu_row(ctx, ctx->scroll + k, r.y + 1 + k, &w);
    }
}

void
ui_cpus_scroll_range(const struct ui_pane_ctx *ctx, int *lo, int *hi)
{
    *lo = 0;
    *hi = ctx->m->ncpus - (ctx->r.h - 1);
}

/* "cpu0 1.2us, cpu3 400ns" for the CPUs spinning on a lock. */
static void
spinners(int id, char *buf, size_t len)
{
    size_t n = 0;
    char t[32];

    buf[0] = '\0';
    for (int i = 0; i < sim_ncpus() && n < len; i++) {
        const struct sim_cpu *c = sim_cpu_get(i);
        const struct sim_frame *top = c->nframes ? c->frames[c->nframes - 1]
                                                 : NULL;
        if (top != NULL && top->spin_on != NULL && top->spin_on->id == id)
            n += (size_t)snprintf(buf + n, len - n, "%scpu%d %s",
                                  n ? ", " : "", i,
                                  ui_fmt_time(sim_now() - c->spin_start, t,
                                              sizeof t));
    }
}

static const char *
base_name(const char *path)
{
    const char *s = path != NULL ? strrchr(path, '/') : NULL;

    return s != NULL ? s + 1 : path != NULL ? path : "";
}

/* One lock: name, [IRQL], holder and for how long, [the IRQL it came
 * from, where it was taken], and who spins. */
static void
lock_row(struct ui_pane_ctx *ctx, const struct sim_spinlock *l, int y,
         bool wide, bool where)
{
    struct ui_grid *g = ctx->g;
    struct ui_rect r = ctx->r;
    int style = ui_model_lock_changed(ctx->m, l->id) ? UI_S_CHANGED
                                                     : UI_S_NORMAL;
    char text[512], t[32];
    int x = r.x + 18;

    ui_grid_printf(g, r, r.x, y, UI_S_NORMAL, " %-16.16s", l->name);
    if (wide) {
        ui_grid_text(g, r, x, y, ui_irql_style(l->irql),
                     ui_irql_short(l->irql));
        x += 9;
    }
    if (l->owner >= 0)
        ui_grid_printf(g, r, x, y, style, "cpu%-3d %s", l->owner,
                       ui_fmt_time(sim_now() - l->acquired_at, t, sizeof t));
    else
        ui_grid_text(g, r, x, y, style, "-");
    x += 16;
    if (wide && l->owner >= 0)
        ui_grid_text(g, r, x, y, UI_S_DIM, ui_irql_short(l->old_irql));
    x += wide ? 9 : 0;
    if (where && l->owner >= 0 && l->acq_file != NULL)
        ui_grid_printf(g, r, x, y, UI_S_DIM, "%s:%d", base_name(l->acq_file),
                       l->acq_line);
    x += where ? 18 : 0;
    spinners(l->id, text, sizeof text);
    ui_grid_text(g, r, x, y, UI_S_ERROR, text);
}

void
ui_pane_locks(struct ui_pane_ctx *ctx)
{
    struct ui_rect r = ctx->r;
    bool wide = r.w >= 60, where = r.w >= 100;
    int y = r.y + 1;

    ui_grid_printf(ctx->g, r, r.x, r.y, UI_S_DIM, " LOCK             %s"
                   "HOLDER HELD     %s%sSPINNING", wide ? "IRQL     " : "",
                   wide ? "FROM     " : "", where ? "TAKEN AT          " : "");
    for (int id = 1 + ctx->scroll; id <= sim_lock_count() && y < r.y + r.h;
         id++) {
        const struct sim_spinlock *l = sim_lock_by_id(id);
        if (l != NULL)
            lock_row(ctx, l, y++, wide, where);
    }
}

void
ui_locks_scroll_range(const struct ui_pane_ctx *ctx, int *lo, int *hi)
{
    *lo = 0;
    *hi = sim_lock_count() - (ctx->r.h - 1);
}
