/* render.c: the console's screen from its view: the status bar, the
 * panes' title rows and separators, and each pane's body.
 *
 * Interface: ui_render() (include/storsim/ui.h); ui_pane_title() and
 * ui_irql_short() for the panes (ui_int.h).
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui_int.h"

static void (*const pane_fn[UI_PANE_COUNT])(struct ui_pane_ctx *) = {
    [UI_PANE_CPUS] = ui_pane_cpus, [UI_PANE_LOCKS] = ui_pane_locks,
    [UI_PANE_SRBS] = ui_pane_srbs, [UI_PANE_HBA] = ui_pane_hba,
    [UI_PANE_SOURCE] = ui_pane_source, [UI_PANE_TIMELINE] = ui_pane_timeline,
    [UI_PANE_EVENTS] = ui_pane_events, [UI_PANE_STATS] = ui_pane_stats,
};

/* The panes that scroll, and how far (see ui_pane_scroll_range). */
static void (*const scroll_fn[UI_PANE_COUNT])(const struct ui_pane_ctx *,
                                              int *, int *) = {
    [UI_PANE_CPUS] = ui_cpus_scroll_range,
    [UI_PANE_LOCKS] = ui_locks_scroll_range,
    [UI_PANE_SRBS] = ui_srbs_scroll_range,
    [UI_PANE_SOURCE] = ui_source_scroll_range,
    [UI_PANE_EVENTS] = ui_events_scroll_range,
};

void
ui_pane_scroll_range(const struct ui_pane_ctx *ctx, enum ui_pane p, int *lo,
                     int *hi)
{
    *lo = *hi = 0;
    if (ctx->attached && scroll_fn[p] != NULL && ctx->r.h > 0)
        scroll_fn[p](ctx, lo, hi);
    if (*lo > 0)
        *lo = 0;
    if (*hi < 0)
        *hi = 0;
}

const char *
ui_irql_short(int irql)
{
    static const char *const names[SIM_NUM_IRQLS] = {
        "PASSIVE", "APC", "DISPATCH", "DIRQL3", "DIRQL4", "DIRQL5", "DIRQL6",
        "DIRQL7", "DIRQL8", "DIRQL9", "DIRQL10", "DIRQL11", "IRQL12",
        "CLOCK", "IPI", "HIGH",
    };
    return irql >= 0 && irql < SIM_NUM_IRQLS ? names[irql] : "?";
}

static void
too_small(struct ui_grid *g)
{
    struct ui_rect all = { 0, 0, g->cols, g->rows };
    char line[160];
    int y = g->rows / 2 - 1;

    snprintf(line, sizeof line, "storsim needs a terminal of at least %dx%d;",
             UI_MIN_COLS, UI_MIN_ROWS);
    ui_grid_text(g, all, 1, y, UI_S_ERROR, line);
    snprintf(line, sizeof line, "this one is %dx%d. Make it larger.",
             g->cols, g->rows);
    ui_grid_text(g, all, 1, y + 1, UI_S_NORMAL, line);
    ui_grid_text(g, all, 1, y + 2, UI_S_DIM, "(q quits)");
}

static void
model_text(const struct cmd_session *s, char *buf, size_t len)
{
    const struct stack_config *c = &s->cfg;
    enum port_model model = s->st != NULL ? s->st->model : c->model;

    if (model == PORT_MODEL_SCSIPORT)
        snprintf(buf, len, "SCSI Port, %s interrupt",
                 c->hba.irq_mode == SIM_IRQ_LEVEL ? "level" : "MSI");
    else
        snprintf(buf, len, "Storport %s duplex, %s",
                 c->miniport.full_duplex ? "full" : "half",
                 c->miniport.work_in == MP_WORK_IN_BUILDIO ? "BuildIo"
                                                           : "StartIo");
}

static void
status_bar(const struct ui_view *v, struct ui_grid *g, struct ui_rect r)
{
    char model[96], line[512];
    const struct sim_bugcheck_info *bc;
    int x;

    ui_grid_fill(g, r, ' ', UI_S_STATUS);
    model_text(v->s, model, sizeof model);
    if (v->s->st == NULL || !sim_exists()) {
        snprintf(line, sizeof line, " storsim | %s | not booted | %s", model,
                 v->run_state);
    } else {
        snprintf(line, sizeof line, " storsim | %s | t=%.3fus | event %llu | "
                 "%s", model, (double)sim_now() / 1e3,
                 (unsigned long long)sim_trace_count(), v->run_state);
    }
    x = ui_grid_text(g, r, r.x, r.y, UI_S_STATUS, line);
    if (sim_exists() && (bc = sim_bugcheck_info()) != NULL)
        x = ui_grid_printf(g, r, x, r.y, UI_S_ERROR, " BUG CHECK 0x%X %s ",
                           bc->code, sim_bugcheck_name(bc->code));
    if (v->stop_text != NULL && v->stop_text[0] != '\0')
        ui_grid_printf(g, r, x, r.y, UI_S_STATUS, " | %s", v->stop_text);
}

static void
title_row(const struct ui_view *v, struct ui_grid *g, enum ui_pane p,
          struct ui_rect r, int scroll)
{
    bool focus = v->focus == p;
    int style = focus ? UI_S_TITLE_FOCUS : UI_S_TITLE;
    struct ui_rect row = { r.x, r.y, r.w, 1 };
    char title[512], text[600];

    ui_grid_fill(g, row, focus ? UI_G_HLINE_FOCUS : UI_G_HLINE, style);
    ui_pane_title(v, p, title, sizeof title);
    snprintf(text, sizeof text, focus ? "[ %s%s ]" : " %s%s ", title,
             scroll != 0 ? " (scrolled: Home)" : "");
    ui_grid_text(g, row, r.x + 1, r.y, style, text);
}

void
ui_render(const struct ui_view *v, struct ui_grid *g)
{
    struct ui_layout l;
    bool attached = ui_model_attached(v->m);
    int ncpus = attached ? v->m->ncpus : v->s->cfg.machine.ncpus;

    ui_grid_clear(g);
    ui_layout_compute(&l, g->cols, g->rows, ncpus, v->focus, v->zoom);
    if (l.too_small) {
        too_small(g);
        return;
    }
    status_bar(v, g, l.status);
    for (int i = 0; i < l.nseps; i++)
        ui_grid_fill(g, l.sep[i], UI_G_VLINE, UI_S_DIM);
    for (int p = 0; p < UI_PANE_COUNT; p++) {
        struct ui_pane_ctx c = { .v = v, .m = v->m, .g = g,
                                 .attached = attached };
        struct ui_rect r = l.pane[p];
        int lo, hi;
        if (r.w <= 0 || r.h <= 0)
            continue;
        c.r = (struct ui_rect){ r.x, r.y + 1, r.w, r.h - 1 };
        ui_pane_scroll_range(&c, (enum ui_pane)p, &lo, &hi);
        c.scroll = v->scroll[p] < lo ? lo : v->scroll[p] > hi ? hi
                                                             : v->scroll[p];
        title_row(v, g, (enum ui_pane)p, r, c.scroll);
        if (c.r.h <= 0)
            continue;
        if (!attached && p != UI_PANE_SOURCE) {
            ui_grid_text(g, c.r, c.r.x + 1, c.r.y, UI_S_DIM,
                         v->s->st == NULL ? "(not booted: 'boot', or step)"
                                          : "(the machine is gone)");
            continue;
        }
        pane_fn[p](&c);
    }
}
