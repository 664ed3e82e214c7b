/* view.c: the console's view: what the panes are drawn from, the
 * bug-check screen, and the commands that change the view (pane, select,
 * screen dump).
 *
 * Interface: ui_console_render(), ui_console_render_bugcheck(),
 * ui_do_pane(), ui_do_select(), ui_do_dump() (include/storsim/ui.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"

static void
run_state(struct ui_console *con, char *buf, size_t len)
{
    const struct cmd_session *s = con->s;

    if (con->run.active && con->interactive && con->speed != 0)
        snprintf(buf, len, "running %llu events/s",
                 (unsigned long long)con->speed);
    else if (con->run.active)
        snprintf(buf, len, "running");
    else if (s->st == NULL || !sim_exists())
        snprintf(buf, len, "stopped");
    else if (sim_is_dead())
        snprintf(buf, len, "dead");
    else if (s->wl != NULL)
        snprintf(buf, len, "paused");
    else
        snprintf(buf, len, "paused, no workload");
}

/* Scrolled panes follow the machine again once it moves. */
static void
scroll_forget_if_moved(struct ui_console *con)
{
    if (!ui_model_attached(con->m) || sim_trace_count() != con->scroll_events)
        memset(con->scroll, 0, sizeof con->scroll);
}

void
ui_console_render(struct ui_console *con, struct ui_grid *g)
{
    struct ui_view v = {
        .m = con->m, .s = con->s, .focus = con->focus, .zoom = con->zoom,
        .tl_bucket = con->tl_bucket, .run_state = con->run_state,
        .stop_text = con->stop_text,
    };

    scroll_forget_if_moved(con);
    memcpy(v.scroll, con->scroll, sizeof v.scroll);
    run_state(con, con->run_state, sizeof con->run_state);
    ui_render(&v, g);
}

/* Write @text's lines from row @y, wrapped at the width; returns the row
 * after them. */
static int
text_lines(struct ui_grid *g, struct ui_rect r, int y, int style,
           const char *text)
{
    char line[1024];

    while (*text != '\0' && y < r.y + r.h) {
        size_t n = strcspn(text, "\n"), w = (size_t)(r.w - 4);
        if (n > w)
            n = w;
        snprintf(line, sizeof line, "%.*s", (int)n, text);
        ui_grid_text(g, r, r.x + 2, y++, style, line);
        text += n;
        if (*text == '\n')
            text++;
    }
    return y;
}

void
ui_console_render_bugcheck(struct ui_console *con, struct ui_grid *g)
{
    const struct sim_bugcheck_info *bc = sim_exists() ? sim_bugcheck_info()
                                                      : NULL;
    struct ui_rect all = { 0, 0, g->cols, g->rows };
    const struct ui_srb *e;
    char report[4096];
    int y = 1;

    ui_grid_fill(g, all, ' ', UI_S_BUGCHECK);
    if (bc == NULL)
        return;
    y = text_lines(g, all, y, UI_S_BUGCHECK, "The simulated machine has "
                   "stopped (a bug check), as Windows would:");
    sim_bugcheck_format(bc, report, sizeof report);
    y = text_lines(g, all, y + 1, UI_S_BUGCHECK, report);
    if (bc->srb != 0 && (e = ui_model_srb(con->m, bc->srb)) != NULL &&
        e->known)
        ui_grid_printf(g, all, 2, y++, UI_S_BUGCHECK, "SRB %u: %s, LUN %u, "
                       "LBA %llu, %u bytes, was %s", e->id, ui_srb_what(e),
                       e->lun, (unsigned long long)e->lba, e->length,
                       port_srb_state_name((enum port_srb_state)e->state));
    text_lines(g, all, y + 1, UI_S_BUGCHECK, "b: back one event, to just "
               "before it    any other key: the panes, as they were    "
               "q: quit");
}

static int
cycle(int v, int n, int dir)
{
    return ((v + dir) % n + n) % n;
}

static int
pane_scale(struct ui_console *con, const char *arg, char *err, size_t len)
{
    sim_time_t t;

    if (arg != NULL && !strcmp(arg, "finer"))
        t = con->tl_bucket > 10 ? con->tl_bucket / 2 : 10;
    else if (arg != NULL && !strcmp(arg, "coarser"))
        t = con->tl_bucket < SIM_MS(100) ? con->tl_bucket * 2 : SIM_MS(100);
    else if (arg == NULL || sim_parse_time(arg, &t) < 0 || t < 1) {
        snprintf(err, len, "expected 'pane scale TIME|finer|coarser' (e.g. "
                 "250ns per column)");
        return -EINVAL;
    }
    con->tl_bucket = t;
    return 0;
}

/* 'pane scroll up|down|pgup|pgdn|home': the focused pane, as far as its
 * contents go in the size it has on the screen now. */
static int
pane_scroll(struct ui_console *con, const char *how, char *err, size_t len)
{
    /* rows: one, or a page (the pane's height less one) */
    static const struct { const char *name; int rows; bool page; } moves[] = {
        { "up", -1, false }, { "down", 1, false }, { "pgup", -1, true },
        { "pgdn", 1, true }, { "home", 0, false },
    };
    struct ui_layout l;
    struct ui_pane_ctx c = { .m = con->m, .attached = ui_model_attached(con->m) };
    enum ui_pane p = con->focus;
    size_t k = 0;
    int lo, hi, want;

    while (k < sizeof moves / sizeof moves[0] &&
           (how == NULL || strcmp(how, moves[k].name)))
        k++;
    if (k == sizeof moves / sizeof moves[0]) {
        snprintf(err, len, "expected 'pane scroll up|down|pgup|pgdn|home'");
        return -EINVAL;
    }
    ui_layout_compute(&l, con->cols, con->rows, c.attached ? con->m->ncpus
                      : con->s->cfg.machine.ncpus, con->focus, con->zoom);
    c.r = (struct ui_rect){ l.pane[p].x, l.pane[p].y + 1, l.pane[p].w,
                            l.pane[p].h - 1 };
    scroll_forget_if_moved(con);
    ui_pane_scroll_range(&c, p, &lo, &hi);
    if (lo == 0 && hi == 0 && moves[k].rows != 0) {
        snprintf(err, len, "the %s pane has nothing more to show%s",
                 ui_pane_name(p), c.attached ? "" : " (not booted)");
        return -ERANGE;
    }
    want = moves[k].rows == 0 ? 0 : con->scroll[p] + moves[k].rows *
           (moves[k].page && c.r.h > 2 ? c.r.h - 1 : 1);
    con->scroll[p] = want < lo ? lo : want > hi ? hi : want;
    con->scroll_events = c.attached ? sim_trace_count() : 0;
    return 0;
}

int
ui_do_pane(struct ui_console *con, const char *what, const char *arg,
           char *err, size_t errlen)
{
    int p = arg != NULL ? ui_pane_parse(arg) : (int)con->focus;

    if (!strcmp(what, "scale"))
        return pane_scale(con, arg, err, errlen);
    if (!strcmp(what, "scroll"))
        return pane_scroll(con, arg, err, errlen);
    if (arg != NULL && !strcmp(what, "focus") && !strcmp(arg, "next"))
        p = cycle((int)con->focus, UI_PANE_COUNT, 1);
    else if (arg != NULL && !strcmp(what, "focus") && !strcmp(arg, "prev"))
        p = cycle((int)con->focus, UI_PANE_COUNT, -1);
    if (p < 0 || (strcmp(what, "focus") && strcmp(what, "zoom")) ||
        (arg == NULL && strcmp(what, "zoom"))) {
        snprintf(err, errlen, "expected 'pane focus NAME|next|prev', 'pane "
                 "zoom [NAME]', 'pane scroll up|down|pgup|pgdn|home' or "
                 "'pane scale TIME' (panes: cpus, locks, srbs, hba, source, "
                 "timeline, events, stats)");
        return -EINVAL;
    }
    if (!strcmp(what, "zoom")) {
        con->zoom = con->zoom == p ? -1 : p;
        if (con->zoom >= 0)
            con->focus = (enum ui_pane)p;
    } else {
        con->focus = (enum ui_pane)p;
        if (con->zoom >= 0)
            con->zoom = p;            /* zoomed: Tab shows the next pane */
    }
    return 0;
}

int
ui_do_select(struct ui_console *con, const char *what, const char *arg,
             char *err, size_t errlen)
{
    struct ui_model *m = con->m;
    int ncpus = m->ncpus > 0 ? m->ncpus : con->s->cfg.machine.ncpus;
    char *end;
    unsigned long v = strtoul(arg, &end, 10);

    if (!strcmp(what, "cpu")) {
        if (!strcmp(arg, "auto"))
            m->sel_cpu = -1;
        else if (!strcmp(arg, "next") || !strcmp(arg, "prev"))
            m->sel_cpu = cycle(ui_model_cpu(m), ncpus, arg[0] == 'n' ? 1 : -1);
        else if (*arg != '\0' && *end == '\0' && v < (unsigned long)ncpus)
            m->sel_cpu = (int)v;
        else
            goto bad;
        return 0;
    }
    if (!strcmp(what, "srb")) {
        if (!strcmp(arg, "auto"))
            m->sel_srb = 0;
        else if (*arg != '\0' && *end == '\0' && v > 0 && v <= UINT32_MAX)
            m->sel_srb = (uint32_t)v;
        else
            goto bad;
        return 0;
    }
bad:
    snprintf(err, errlen, "expected 'select cpu 0..%d|next|prev|auto' or "
             "'select srb ID|auto'", ncpus - 1);
    return -EINVAL;
}

int
ui_do_dump(struct ui_console *con, const char *path, int cols, int rows,
           char *err, size_t errlen)
{
    struct ui_grid g;
    bool own = strcmp(path, "-") != 0;
    FILE *f;
    int rc;

    if (cols == 0 || rows == 0) {
        cols = con->cols;
        rows = con->rows;
    }
    if ((rc = ui_grid_init(&g, cols, rows)) < 0) {
        snprintf(err, errlen, "cannot make a %dx%d screen", cols, rows);
        return rc;
    }
    ui_console_render(con, &g);
    f = own ? fopen(path, "w") : con->s->out;
    if (f == NULL) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        ui_grid_free(&g);
        return -errno;
    }
    rc = ui_grid_dump(&g, f);
    if (own && fclose(f) != 0)
        rc = -EIO;
    ui_grid_free(&g);
    if (rc < 0)
        snprintf(err, errlen, "writing '%s' failed", path);
    else if (own)
        fprintf(con->s->out, "wrote %dx%d screen to %s\n", cols, rows, path);
    return rc;
}
