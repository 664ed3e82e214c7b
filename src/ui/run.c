/* run.c: how the console runs the machine: continue (animated on a
 * terminal), next, finish, goto, pause and speed.
 *
 * Interface: ui_do_continue(), ui_do_next(), ui_do_finish(), ui_do_goto(),
 * ui_do_pause(), ui_do_speed(), ui_console_tick() ... (include/storsim/
 * ui.h); ui_run_predicate(), ui_run_stop() (ui_int.h).
 *
 * A run goes in batches. At "speed max" a batch is sized to take about a
 * frame of host time, so the screen is redrawn at a bounded rate however
 * fast the machine runs; at N events per second each frame runs the events
 * owed since the last. Between batches the terminal loop reads keys, so
 * `pause` works. The run is logged, when it ends, as the exact number of
 * events it took: that is what `back` replays.
 */
#include <errno.h>
#include <string.h>

#include "storsim/ui_cmd.h"
#include "ui/ui_int.h"

static void
error_text(struct ui_console *con, char *err, size_t len)
{
    const char *p = con->s->error;

    if (strncmp(p, "<console>:", 10) == 0 && strstr(p, ": ") != NULL)
        p = strstr(p, ": ") + 2;
    snprintf(err, len, "%s", p);
}

/* Boot if needed (logged as 'boot'), and refuse a dead machine. */
static int
ensure_machine(struct ui_console *con, char *err, size_t len)
{
    struct cmd_session *s = con->s;

    if (s->st == NULL) {
        int gen = con->m->generation, rc = cmd_console_boot(s);
        ui_console_sync(con);
        ui_console_log_line(con, "boot", false, 0, gen);
        if (rc < 0) {
            error_text(con, err, len);
            return rc;
        }
    }
    if (!ui_model_attached(con->m)) {
        snprintf(err, len, "the console cannot follow this machine (too many "
                 "trace subscribers)");
        return -EBUSY;
    }
    if (sim_is_dead()) {
        snprintf(err, len, "the machine has bug-checked ('back' steps back "
                 "from the bug check; 'reset' throws the machine away)");
        return -EINVAL;
    }
    return 0;
}

static void
start_run(struct ui_console *con, sim_time_t span)
{
    struct cmd_session *s = con->s;

    memset(&con->run, 0, sizeof con->run);
    con->run.active = true;
    con->run.until = span ? sim_now() + span : 0;
    con->run.cap = s->wl == NULL ? sim_now() + UI_RUN_CAP : 0;
    con->run.count0 = sim_trace_count();
    con->run.gen0 = con->m->generation;
    con->run.batch = 20000;
    con->run.last_tick = ui_host_seconds();
    con->hit_watch = 0;
    con->stop_text[0] = '\0';
    s->hit_break = 0;
    ui_model_mark(con->m);
}

/* Run to the end now (scripts, tests, next and finish). */
static void
run_through(struct ui_console *con)
{
    while (ui_console_tick(con, 0.05))
        ;
}

int
ui_do_continue(struct ui_console *con, sim_time_t span, char *err,
               size_t errlen)
{
    int rc = ensure_machine(con, err, errlen);

    if (rc < 0)
        return rc;
    con->goal = UI_GOAL_NONE;
    start_run(con, span);
    if (!con->interactive || con->s->depth > 0 || con->exec_depth > 1)
        run_through(con);
    return 0;
}

int
ui_do_next(struct ui_console *con, char *err, size_t errlen)
{
    int rc = ensure_machine(con, err, errlen);
    uint32_t id;

    if (rc < 0)
        return rc;
    /* None in flight: the next SRB to appear, at its first stage. */
    id = ui_model_current_srb(con->m);
    con->goal = UI_GOAL_NEXT;
    con->goal_srb = id;
    start_run(con, 0);
    run_through(con);
    return 0;
}

int
ui_do_finish(struct ui_console *con, char *err, size_t errlen)
{
    int rc = ensure_machine(con, err, errlen), cpu;
    const struct sim_cpu *c;
    const struct sim_frame *top;

    if (rc < 0)
        return rc;
    cpu = ui_model_cpu(con->m);
    c = sim_cpu_get(cpu);
    if (c->nframes == 0) {
        snprintf(err, errlen, "cpu%d is idle: no routine to finish", cpu);
        return -ESRCH;
    }
    top = c->frames[c->nframes - 1];
    con->goal = UI_GOAL_FINISH;
    con->goal_cpu = cpu;
    con->goal_frame = top;
    con->goal_nframes = c->nframes;
    con->goal_depth = top->depth;
    start_run(con, 0);
    run_through(con);
    return 0;
}

static bool
finished(const struct ui_console *con, const struct sim_trace_event *ev)
{
    const struct sim_cpu *c = sim_cpu_get(con->goal_cpu);
    const struct sim_frame *f;

    if (ev->cpu != con->goal_cpu)
        return false;
    if (c->nframes < con->goal_nframes)
        return true;                       /* the activation retired */
    f = c->frames[con->goal_nframes - 1];
    if (f != con->goal_frame)
        return true;
    /* SIM_EV_EXIT comes before the routine's depth goes down. */
    return con->goal_depth > 0 && ev->kind == SIM_EV_EXIT &&
           c->nframes == con->goal_nframes && f->depth == con->goal_depth;
}

bool
ui_run_predicate(const struct sim_trace_event *ev, void *ctx)
{
    struct ui_console *con = ctx;

    if (con->nwatches > 0 && ui_watch_hit(con, ev))
        return true;
    switch (con->goal) {
    case UI_GOAL_NEXT:
        if (ev->kind != SIM_EV_SRB ||
            (con->goal_srb != 0 && ev->srb != con->goal_srb))
            return false;
        con->goal_srb = ev->srb;
        return true;
    case UI_GOAL_FINISH:
        return finished(con, ev);
    default:
        return false;
    }
}

bool
ui_console_tick(struct ui_console *con, double budget)
{
    struct sim_run_limits lim = { .match = ui_run_predicate, .match_ctx = con };
    uint64_t speed = con->interactive && con->goal == UI_GOAL_NONE
                         ? con->speed : 0, ran;
    enum sim_stop_reason why;
    double t0;

    if (!con->run.active)
        return false;
    if (!ui_model_attached(con->m) || sim_is_dead()) {
        ui_run_stop(con, SIM_STOP_BUGCHECK);
        return false;
    }
    t0 = ui_host_seconds();
    if (speed != 0) {
        con->run.debt += (t0 - con->run.last_tick) * (double)speed;
        con->run.last_tick = t0;
        if (con->run.debt > (double)speed)
            con->run.debt = (double)speed;    /* a second's worth at most */
        if (con->run.debt < 1)
            return true;
        lim.steps = (uint64_t)con->run.debt;
        con->run.debt -= (double)lim.steps;
    } else {
        lim.steps = con->run.batch;
    }
    lim.until = con->run.until;
    if (con->run.cap != 0 && (lim.until == 0 || con->run.cap < lim.until))
        lim.until = con->run.cap;
    why = cmd_console_advance(con->s, &lim, &ran);
    con->run.events += ran;
    if (speed == 0 && ran == lim.steps) {
        double k = budget / (ui_host_seconds() - t0 + 1e-9);
        k = k < 0.5 ? 0.5 : k > 2 ? 2 : k;
        con->run.batch = (uint64_t)((double)con->run.batch * k);
        if (con->run.batch < 1000)
            con->run.batch = 1000;
    }
    if (why == SIM_STOP_STEPS) {
        if (con->s->wl == NULL || !wl_done(con->s->wl))
            return true;
        why = SIM_STOP_IDLE;       /* done: what is left is periodic */
    }
    ui_run_stop(con, why);
    return false;
}

void
ui_run_stop(struct ui_console *con, int why)
{
    if (!con->run.active)
        return;
    con->run.active = false;
    if (ui_model_attached(con->m))
        cmd_console_after(con->s, (enum sim_stop_reason)why);
    ui_run_describe_stop(con, why);
    ui_console_log_advance(con, con->run.events, why, con->run.count0,
                           con->run.gen0);
    con->goal = UI_GOAL_NONE;
    if (con->exec_depth == 0)
        ui_console_collect(con, 0);
}

void
ui_do_pause(struct ui_console *con)
{
    ui_run_stop(con, SIM_STOP_REQUESTED);
}

int
ui_do_goto(struct ui_console *con, uint64_t target, char *err, size_t errlen)
{
    uint64_t now, before;
    int gen, rc = ensure_machine(con, err, errlen);
    enum sim_stop_reason why;

    if (rc < 0 && !(ui_model_attached(con->m) && sim_is_dead()))
        return rc;
    ui_run_stop(con, SIM_STOP_REQUESTED);
    now = sim_trace_count();
    if (target == now) {
        fprintf(con->s->out, "at event %llu already\n",
                (unsigned long long)now);
        return 0;
    }
    if (target < now)
        return ui_replay_to(con, con->m->generation, target, err, errlen);
    if (rc < 0)
        return rc;                  /* dead: only backwards */
    before = now;
    gen = con->m->generation;
    ui_model_mark(con->m);
    if (target > now + 1) {
        cmd_console_step_exact(con->s, target - now - 1);
        ui_model_mark(con->m);
    }
    why = cmd_console_step_exact(con->s, target - sim_trace_count());
    cmd_console_after(con->s, why);
    ui_console_log_advance(con, sim_trace_count() - before, why, before, gen);
    fprintf(con->s->out, "at event %llu\n",
            (unsigned long long)sim_trace_count());
    return 0;
}

void
ui_do_speed(struct ui_console *con, uint64_t eps)
{
    con->speed = eps;
    con->run.debt = 0;
    con->run.last_tick = ui_host_seconds();
}

uint64_t
ui_console_speed(const struct ui_console *con)
{
    return con->speed;
}

bool
ui_console_running(const struct ui_console *con)
{
    return con->run.active;
}

double
ui_console_frame_wait(const struct ui_console *con)
{
    double wait;

    if (!con->run.active || con->speed == 0)
        return 0;
    wait = (1.0 - con->run.debt) / (double)con->speed;
    return wait < 0 ? 0 : wait;
}
