/* loop.c: the console on the terminal: read keys, run what they are bound
 * to, tick an animated run, draw at a bounded rate.
 *
 * Interface: ui_run() (include/storsim/ui.h).
 *
 * Three things can cover the panes: the command line at the bottom (':'),
 * an overlay with a command's output of more than one line (help, keys,
 * show, a workload's summary, a scenario's lesson), and the full-screen
 * bug-check report. Every other key runs its binding. An animated run
 * ticks between keys and is redrawn at most 30 times a second.
 */
#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storsim/ui_cmd.h"
#include "storsim/verifier.h"
#include "ui/ui_int.h"

#define FRAME (1.0 / 30)

struct loop {
    struct ui_console *con;
    struct ui_term t;
    struct ui_grid g;
    struct ui_cmdline cl;
    char *overlay;          /* text shown over the panes, or NULL */
    int overlay_top;        /* its first line shown */
    bool bugcheck;          /* the bug-check screen is up */
    bool dirty;             /* draw before waiting */
    double last_draw;
};

static int
count_lines(const char *text, int *widest)
{
    int n = 0, w;

    *widest = 0;
    for (const char *p = text; *p != '\0'; n++) {
        w = (int)strcspn(p, "\n");
        if (w > *widest)
            *widest = w;
        p += w + (p[w] == '\n');
    }
    return n;
}

static void
draw_overlay(struct loop *l)
{
    struct ui_grid *g = &l->g;
    int widest, n = count_lines(l->overlay, &widest);
    int w = widest + 4 < g->cols - 4 ? widest + 4 : g->cols - 4;
    int h = n + 2 < g->rows - 4 ? n + 2 : g->rows - 4;
    struct ui_rect box = { (g->cols - w) / 2, (g->rows - h) / 2, w, h };
    struct ui_rect in = { box.x + 2, box.y + 1, w - 4, h - 2 };
    const char *p = l->overlay;

    if (l->overlay_top > n - in.h)
        l->overlay_top = n - in.h > 0 ? n - in.h : 0;
    ui_grid_fill(g, box, ' ', UI_S_OVERLAY);
    ui_grid_fill(g, (struct ui_rect){ box.x, box.y, w, 1 }, UI_G_HLINE,
                 UI_S_OVERLAY);
    ui_grid_fill(g, (struct ui_rect){ box.x, box.y + h - 1, w, 1 },
                 UI_G_HLINE, UI_S_OVERLAY);
    for (int i = 0; i < n; i++) {
        size_t len = strcspn(p, "\n");
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)len, p);
        if (i >= l->overlay_top)
            ui_grid_text(g, in, in.x, in.y + i - l->overlay_top, UI_S_OVERLAY,
                         line);
        p += len + (p[len] == '\n');
    }
    if (n > in.h)
        ui_grid_text(g, box, box.x + 2, box.y + h - 1, UI_S_OVERLAY,
                     " Up/Down/PgUp/PgDn scroll; any other key closes ");
}

static void
bottom_line(struct loop *l, int y)
{
    struct ui_rect row = { 0, y, l->g.cols, 1 };
    bool error;
    const char *msg = ui_console_message(l->con, &error);

    if (msg[0] == '\0')
        ui_grid_text(&l->g, row, 0, y, UI_S_DIM, "? keys  : command  s step  "
                     "n next  f finish  c continue  b back  Tab pane  "
                     "z zoom  q quit");
    else
        ui_grid_text(&l->g, row, 0, y, error ? UI_S_ERROR : UI_S_NORMAL, msg);
}

static void
draw(struct loop *l)
{
    int cols, rows, cx = -1, cy = 0;

    ui_term_size(&l->t, &cols, &rows);
    if ((cols != l->g.cols || rows != l->g.rows) &&
        ui_grid_resize(&l->g, cols, rows) < 0)
        return;
    ui_console_set_size(l->con, cols, rows);
    if (l->bugcheck) {
        ui_console_render_bugcheck(l->con, &l->g);
    } else {
        ui_console_render(l->con, &l->g);
        if (cols >= UI_MIN_COLS && rows >= UI_MIN_ROWS) {
            if (l->overlay != NULL)
                draw_overlay(l);
            if (l->cl.active) {
                cy = rows - 1;
                cx = ui_cmdline_render(&l->cl, &l->g, cy);
            } else {
                bottom_line(l, rows - 1);
            }
        }
    }
    ui_term_draw(&l->t, &l->g, cx, cy);
    l->last_draw = ui_host_seconds();
    l->dirty = false;
}

/* After a command or a run: what it left to show. */
static void
after(struct loop *l)
{
    char *out = ui_console_take_output(l->con);

    if (out != NULL) {
        free(l->overlay);
        l->overlay = out;
        l->overlay_top = 0;
    }
    if (ui_console_take_bugcheck(l->con))
        l->bugcheck = true;
    if (ui_console_take_redraw(l->con))
        ui_term_force_redraw(&l->t);
    l->dirty = true;
}

static void
exec(struct loop *l, const char *line)
{
    char copy[1024];

    snprintf(copy, sizeof copy, "%s", line);  /* a binding may be rebound */
    ui_console_exec(l->con, copy);
    after(l);
}

static void
on_key(struct loop *l, int key)
{
    const char *line;

    l->dirty = true;
    if (key == KEY_RESIZE)
        return;
    if (l->bugcheck) {
        l->bugcheck = false;
        if (key == 'b' || key == 'q')
            exec(l, key == 'b' ? "back" : "quit");
        return;
    }
    if (l->overlay != NULL) {
        if (key == KEY_UP || key == KEY_DOWN || key == KEY_PPAGE ||
            key == KEY_NPAGE) {
            int step = key == KEY_UP ? -1 : key == KEY_DOWN ? 1
                       : key == KEY_PPAGE ? -10 : 10;
            l->overlay_top = l->overlay_top + step < 0 ? 0
                                                       : l->overlay_top + step;
            return;
        }
        free(l->overlay);
        l->overlay = NULL;
        if (key == 27 || key == '\n' || key == '\r' || key == ' ' ||
            key == 'q' || key == KEY_ENTER)
            return;           /* these only close it; others also act */
    }
    if (l->cl.active) {
        if (ui_cmdline_key(&l->cl, key) == 1)
            exec(l, l->cl.buf);
        return;
    }
    if (key == ':') {
        ui_cmdline_open(&l->cl);
        return;
    }
    if ((line = ui_console_binding(l->con, key)) != NULL) {
        exec(l, line);
    } else if (key > 0 && key < KEY_MIN) {
        char name[32];
        ui_key_name(key, name, sizeof name);
        snprintf(l->con->message, sizeof l->con->message, "'%s' is not bound "
                 "to anything ('?' lists the keys)", name);
        l->con->msg_error = true;
    }
}

static int
wait_ms(const struct loop *l)
{
    double w;

    if (!ui_console_running(l->con))
        return 250;
    if (ui_console_speed(l->con) == 0)
        return 0;
    w = ui_console_frame_wait(l->con);
    return w > FRAME ? (int)(FRAME * 1000) : (int)(w * 1000);
}

static void
interrupted(struct loop *l)
{
    ui_term_interrupted = 0;
    if (ui_console_running(l->con)) {
        ui_do_pause(l->con);
    } else {
        snprintf(l->con->message, sizeof l->con->message, "interrupted: 'q' "
                 "or ':quit' leaves the console");
        l->con->msg_error = false;
    }
    after(l);
}

static void
run_loop(struct loop *l)
{
    int key;

    while (!l->con->s->quit) {
        if (l->dirty || (ui_console_running(l->con) &&
                         ui_host_seconds() - l->last_draw >= FRAME))
            draw(l);
        key = ui_term_key(&l->t, wait_ms(l));
        for (int k = 0; key != ERR && !l->con->s->quit; k++) {
            on_key(l, key);
            if (k == 63)
                break;          /* typed ahead: draw, then read on */
            key = ui_term_key(&l->t, 0);
        }
        if (ui_term_interrupted)
            interrupted(l);
        if (ui_console_running(l->con) && !ui_console_tick(l->con, FRAME))
            after(l);
    }
}

/* After leaving the screen: a bug check's report stays in the terminal. */
static void
print_bugcheck(void)
{
    char report[4096];

    if (!sim_exists() || sim_bugcheck_info() == NULL)
        return;
    sim_bugcheck_format(sim_bugcheck_info(), report, sizeof report);
    fputs(report, stdout);
}

/* $STORSIM_RC, else ~/.storsimrc: console commands run once the scenario
 * is loaded, the place for key bindings ("bind F5 continue") and other
 * settings that should last from one session to the next. A line that
 * fails is reported with its file and line; the others still run. */
static void
run_rc(struct loop *l)
{
    const char *env = getenv("STORSIM_RC"), *home = getenv("HOME");
    char path[1024], line[1024], first[sizeof l->con->message] = "";
    FILE *f;
    int n = 0;

    if (env != NULL && env[0] != '\0')
        snprintf(path, sizeof path, "%s", env);
    else if (home != NULL && home[0] != '\0')
        snprintf(path, sizeof path, "%s/.storsimrc", home);
    else
        return;
    if ((f = fopen(path, "r")) == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL) {
        const char *p = line + strspn(line, " \t");
        n++;
        line[strcspn(line, "\r\n")] = '\0';
        if (*p == '\0' || *p == '#')
            continue;
        if (ui_console_exec(l->con, p) != 0 && first[0] == '\0') {
            /* The file's line, not the console's: "<console>:L:C: why". */
            const char *why = l->con->s->error, *at = strstr(why, ": ");
            if (strncmp(why, "<console>:", 10) == 0 && at != NULL)
                why = at + 2;
            snprintf(first, sizeof first, "%.200s:%d: %.280s", path, n, why);
        }
    }
    fclose(f);
    if (first[0] != '\0') {
        snprintf(l->con->message, sizeof l->con->message, "%s", first);
        l->con->msg_error = true;
    }
}

int
ui_run(struct cmd_session *s, const char *target)
{
    struct loop l;
    int status;

    memset(&l, 0, sizeof l);
    setlocale(LC_CTYPE, "");      /* UTF-8 or not; numbers stay C */
    if (ui_console_create(s, true, &l.con) < 0) {
        fprintf(stderr, "storsim: the console needs a session that is not "
                "booted yet\n");
        return CMD_EXIT_USAGE;
    }
    if (ui_console_load(l.con, target != NULL ? target : "default") == -ENOENT
        || ui_grid_init(&l.g, 80, 24) < 0 ||
        ui_term_open(&l.t, NULL, stdout, stdin) < 0) {
        fprintf(stderr, "storsim: %s\n", l.con->message[0] ? l.con->message
                : "cannot open the terminal");
        ui_console_destroy(l.con);
        ui_grid_free(&l.g);
        return CMD_EXIT_USAGE;
    }
    ui_cmdline_init(&l.cl);
    verifier_set_stop(true);      /* a finding pauses the run, shown at once */
    run_rc(&l);
    after(&l);
    run_loop(&l);
    ui_cmdline_free(&l.cl);
    ui_term_close(&l.t);
    ui_grid_free(&l.g);
    free(l.overlay);
    print_bugcheck();
    ui_console_destroy(l.con);
    status = s->exit_status;
    cmd_console_free(s);          /* safe in the middle of a workload */
    return status;
}
