/* replay.c: reverse stepping by deterministic replay.
 *
 * Interface: ui_do_back() (include/storsim/ui.h), ui_replay_to()
 * (ui_int.h; `goto` uses it to go backwards).
 *
 * There is no way to undo an event, and no need for one: the machine is
 * deterministic (the same configuration and seed give the same trace), so
 * the state N events ago is the state after running the same commands
 * again, stopped N events earlier. So `back`:
 *   1. throws the machine away and restores the session as the console
 *      found it (the configuration, before any command);
 *   2. runs the log again -- each line as it was, each advance as its
 *      exact number of events -- checking after every entry that the trace
 *      count and hash are the ones recorded (they always are, unless a
 *      script file changed meanwhile; then it says so and stops);
 *   3. at the entry that went past the target, steps exactly the events
 *      left, and forgets the rest of the log.
 * Breakpoints and watches are the debugger's, not the machine's: they are
 * put back as they were before `back`, hit counts included.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/ui_cmd.h"
#include "ui/ui_int.h"

struct saved_breaks {
    struct cmd_break breaks[CMD_MAX_BREAKS];
    int nbreaks, next_break_id;
};

static void
replay_entry(struct ui_console *con, const struct ui_log_entry *e)
{
    if (e->line != NULL) {
        ui_console_run_line(con, e->line);
        return;
    }
    if (!ui_model_attached(con->m))
        return;                      /* verify() will say it diverged */
    cmd_console_step_exact(con->s, e->events);
    cmd_console_after(con->s, (enum sim_stop_reason)e->reason);
}

static bool
same_as_recorded(const struct ui_console *con, const struct ui_log_entry *e)
{
    bool attached = ui_model_attached(con->m);

    if (attached != e->machine_after || con->m->generation != e->gen_after)
        return false;
    return !attached || (sim_trace_count() == e->count_after &&
                         sim_trace_hash() == e->hash_after);
}

/* Step from where the replay is to @target within the entry that went
 * past it (a run or an advance), booting first if the entry booted. */
static int
partial(struct ui_console *con, const struct ui_log_entry *e, int gen,
        uint64_t target, char *err, size_t errlen)
{
    uint64_t now;
    int g;

    if (e->line != NULL && !e->run_type)
        return 0;                /* land before it: it cannot be cut */
    if (con->s->st == NULL && e->gen_after == gen) {
        g = con->m->generation;
        if (cmd_console_boot(con->s) < 0) {
            snprintf(err, errlen, "replaying the boot failed: %s",
                     con->s->error);
            return -EIO;
        }
        ui_console_sync(con);
        ui_console_log_line(con, "boot", false, 0, g);
    }
    if (!ui_model_attached(con->m) || con->m->generation != gen)
        return 0;
    now = sim_trace_count();
    if (now >= target)
        return 0;
    g = con->m->generation;
    if (target - now > 1)
        cmd_console_step_exact(con->s, target - now - 1);
    ui_model_mark(con->m);
    cmd_console_step_exact(con->s, 1);
    cmd_console_after(con->s, SIM_STOP_STEPS);
    ui_console_log_advance(con, sim_trace_count() - now, SIM_STOP_STEPS, now,
                           g);
    return 0;
}

static void
forget_from(struct ui_console *con, size_t i)
{
    for (size_t k = i; k < con->nlog; k++)
        free(con->log[k].line);
    con->nlog = i;
}

/* Throw the machine away; the session as the console found it. */
static void
restart(struct ui_console *con, struct saved_breaks *sb)
{
    struct cmd_session *s = con->s;
    FILE *out = s->out, *err = s->err;

    memcpy(sb->breaks, s->breaks, sizeof sb->breaks);
    sb->nbreaks = s->nbreaks;
    sb->next_break_id = s->next_break_id;
    ui_model_detach(con->m);
    cmd_console_free(s);
    *s = con->base;
    s->out = out;
    s->err = err;
    con->m->generation = 0;
}

static void
restore_breaks(struct cmd_session *s, const struct saved_breaks *sb)
{
    memcpy(s->breaks, sb->breaks, sizeof s->breaks);
    s->nbreaks = sb->nbreaks;
    s->next_break_id = sb->next_break_id;
    s->hit_break = 0;
}

int
ui_replay_to(struct ui_console *con, int gen, uint64_t target, char *err,
             size_t errlen)
{
    struct saved_breaks sb;
    struct ui_log_entry cross = { 0 };
    double t0 = ui_host_seconds();
    size_t i, n = con->nlog;
    int rc = 0;

    ui_run_stop(con, SIM_STOP_REQUESTED);
    con->stop_text[0] = '\0';
    fflush(con->out);
    con->discard = true;
    restart(con, &sb);
    for (i = 0; i < n; i++) {
        const struct ui_log_entry *e = &con->log[i];
        bool before = e->gen_after < gen || (e->gen_after == gen &&
                                             e->count_after <= target);
        /* A command that built the machine without running it (boot,
         * workload start) cannot be cut: the earliest point there is. */
        bool builds = e->gen_before < gen && e->gen_after == gen &&
                      e->line != NULL && !e->run_type;
        if (!before && !builds)
            break;
        replay_entry(con, e);
        if (!same_as_recorded(con, e)) {
            snprintf(err, errlen, "the replay went another way at '%s' "
                     "(did a script file change?); stopped there",
                     e->line != NULL ? e->line : "continue");
            rc = -EIO;
            i++;
            break;
        }
        if (!before) {
            i++;
            break;
        }
    }
    if (rc == 0 && i < n) {
        cross = con->log[i];
        cross.line = cross.line != NULL ? strdup(cross.line) : NULL;
    }
    forget_from(con, i);
    if (rc == 0 && i < n)
        rc = partial(con, &cross, gen, target, err, errlen);
    free(cross.line);
    restore_breaks(con->s, &sb);
    fflush(con->out);
    con->discard = false;
    if (rc == 0)
        fprintf(con->s->out, "at event %llu (replayed %zu commands in "
                "%.0f ms)\n", ui_model_attached(con->m)
                ? (unsigned long long)sim_trace_count() : 0ull, i,
                (ui_host_seconds() - t0) * 1e3);
    return rc;
}

int
ui_do_back(struct ui_console *con, uint64_t n, char *err, size_t errlen)
{
    uint64_t now;

    if (con->run.active)
        ui_run_stop(con, SIM_STOP_REQUESTED);
    if (!ui_model_attached(con->m)) {
        snprintf(err, errlen, "no machine to step back on");
        return -ESRCH;
    }
    now = sim_trace_count();
    return ui_replay_to(con, con->m->generation, n >= now ? 0 : now - n, err,
                        errlen);
}
