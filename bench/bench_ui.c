/* bench_ui.c: how fast the console is.
 *
 * Measures, on the default scenario:
 *   - a step's redraw at 200x50: the step, the panes drawn into a grid
 *     (the model), and the grid copied to an ncurses screen that writes
 *     its escape sequences to /dev/null (newterm, so no terminal needed);
 *     target (issue 7): at most 5 ms;
 *   - a continuous run: the machine's events per host second headless
 *     (cmd_run_line "run") and under the console's animated `continue`,
 *     redrawn 30 times a second; target: at least 80% of headless;
 *   - reverse stepping: `back 1` after a whole run (about a million
 *     events) and after 100,000 events, replayed from the start.
 * This is the only place the console's speed is timed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/ui.h"
#include "storsim/ui_cmd.h"
#include "ui/ui_int.h"

static FILE *devnull;

static void
die(const char *what)
{
    fprintf(stderr, "bench_ui: %s\n", what);
    exit(1);
}

static struct ui_console *
console(struct cmd_session *s, bool interactive)
{
    struct ui_console *con;

    cmd_session_init(s, devnull, devnull);
    if (ui_console_create(s, interactive, &con) < 0 ||
        ui_console_load(con, "default") < 0)
        die("cannot open the default scenario");
    return con;
}

static void
done(struct cmd_session *s, struct ui_console *con)
{
    ui_console_destroy(con);
    cmd_console_free(s);
}

static void
bench_redraw(struct ui_term *t)
{
    enum { STEPS = 2000 };
    struct cmd_session s;
    struct ui_console *con = console(&s, true);
    struct ui_grid g;
    double t0, t_step = 0, t_render = 0, t_draw = 0, worst = 0;

    if (ui_grid_init(&g, 200, 50) < 0)
        die("no memory");
    ui_console_exec(con, "step 100");
    for (int i = 0; i < STEPS; i++) {
        double a = ui_host_seconds(), b, c, d;
        ui_console_exec(con, "step");
        b = ui_host_seconds();
        ui_console_render(con, &g);
        c = ui_host_seconds();
        ui_term_draw(t, &g, -1, 0);
        d = ui_host_seconds();
        t_step += b - a;
        t_render += c - b;
        t_draw += d - c;
        if (d - a > worst)
            worst = d - a;
    }
    t0 = (t_step + t_render + t_draw) / STEPS;
    printf("ui step and redraw at 200x50: %.3f ms\n", t0 * 1e3);
    printf("ui step and redraw at 200x50, worst of %d: %.3f ms\n", STEPS,
           worst * 1e3);
    printf("ui step (the command): %.3f ms\n", t_step / STEPS * 1e3);
    printf("ui render 200x50 (model to grid): %.3f ms\n",
           t_render / STEPS * 1e3);
    printf("ui draw 200x50 (grid to ncurses): %.3f ms\n", t_draw / STEPS * 1e3);
    ui_grid_free(&g);
    done(&s, con);
}

/* Events per host second of the default scenario's run, headless. */
static double
headless_rate(void)
{
    struct cmd_session s;
    double t0, t1;
    uint64_t c0;

    cmd_session_init(&s, devnull, devnull);
    s.quiet = true;
    cmd_run_line(&s, "workload pattern=random bs=4k qd=8 count=20000 read=70",
                 "bench", 1);
    cmd_run_line(&s, "workload start", "bench", 2);
    c0 = sim_trace_count();
    t0 = ui_host_seconds();
    cmd_run_line(&s, "run", "bench", 3);
    t1 = ui_host_seconds();
    c0 = sim_trace_count() - c0;
    cmd_console_free(&s);
    return (double)c0 / (t1 - t0);
}

/* The same run as the console's animated `continue`, drawn 30 times a
 * second at 200x50. */
static double
console_rate(struct ui_term *t, uint64_t *frames)
{
    struct cmd_session s;
    struct ui_console *con = console(&s, true);
    struct ui_grid g;
    double t0, t1, last = 0;
    uint64_t c0 = sim_trace_count();

    if (ui_grid_init(&g, 200, 50) < 0)
        die("no memory");
    *frames = 0;
    t0 = ui_host_seconds();
    ui_console_exec(con, "continue");
    while (ui_console_tick(con, 1.0 / 30)) {
        if (ui_host_seconds() - last >= 1.0 / 30) {
            ui_console_render(con, &g);
            ui_term_draw(t, &g, -1, 0);
            last = ui_host_seconds();
            ++*frames;
        }
    }
    t1 = ui_host_seconds();
    c0 = sim_trace_count() - c0;
    ui_grid_free(&g);
    done(&s, con);
    return (double)c0 / (t1 - t0);
}

static void
bench_continuous(struct ui_term *t)
{
    double head = 0, cons = 0;
    uint64_t frames = 0;

    for (int i = 0; i < 3; i++) {          /* the best of three, each */
        double h = headless_rate(), c = console_rate(t, &frames);
        head = h > head ? h : head;
        cons = c > cons ? c : cons;
    }
    printf("headless run of the default scenario: %.2f million events/s\n",
           head / 1e6);
    printf("console continue, redrawn 30/s at 200x50: %.2f million "
           "events/s\n", cons / 1e6);
    printf("console continue, share of headless speed: %.1f %%\n",
           100.0 * cons / head);
    printf("console continue, frames drawn: %llu frames\n",
           (unsigned long long)frames);
}

static void
bench_back(const char *go, const char *what)
{
    struct cmd_session s;
    struct ui_console *con = console(&s, false);
    uint64_t at;
    double t0;

    ui_console_exec(con, go);
    at = sim_trace_count();
    t0 = ui_host_seconds();
    if (ui_console_exec(con, "back") < 0 || sim_trace_count() != at - 1)
        die("back did not land one event earlier");
    printf("back 1 after %s (%llu events): %.1f ms\n", what,
           (unsigned long long)at, (ui_host_seconds() - t0) * 1e3);
    done(&s, con);
}

int
main(void)
{
    struct ui_term t;
    FILE *in;

    devnull = fopen("/dev/null", "w");
    in = fopen("/dev/null", "r");
    if (devnull == NULL || in == NULL)
        die("cannot open /dev/null");
    setenv("COLUMNS", "200", 1);      /* the screen ncurses believes in */
    setenv("LINES", "50", 1);
    if (ui_term_open(&t, "xterm-256color", devnull, in) < 0)
        die("cannot open an ncurses screen for xterm-256color");
    bench_redraw(&t);
    bench_continuous(&t);
    ui_term_close(&t);
    bench_back("goto 100000", "100,000 events");
    bench_back("goto 100000000", "the whole run");
    fclose(in);
    fclose(devnull);
    return 0;
}
