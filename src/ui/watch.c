/* watch.c: the console's watches, and saying why a run stopped.
 *
 * Interface: ui_do_watch(), ui_do_unwatch(), ui_do_watch_list()
 * (include/storsim/ui.h); ui_watch_hit(), ui_run_describe_stop(),
 * ui_break_text() (ui_int.h).
 *
 * Watches are checked in the run's match predicate, which the machine
 * calls after the trace subscribers: so the model has already seen the
 * event (an SRB's new state, a register's value) when a watch asks it.
 * Breakpoints belong to the session (`break`); watches to the console,
 * and they cover what the trace alone cannot say: which opcode and LUN a
 * request is for, and a value that changed.
 */
#include <errno.h>
#include <string.h>

#include "storport.h"
#include "ui/ui_int.h"

static void
describe(const struct ui_watch *w, char *buf, size_t len)
{
    switch (w->kind) {
    case UI_WATCH_REG:
        snprintf(buf, len, "reg %s", hba_reg_name((uint32_t)w->value));
        break;
    default:
        snprintf(buf, len, "srb %llu %s", (unsigned long long)w->value,
                 w->field);
        break;
    }
}

/* The value an SRB watch compares: its state, or a live field. */
static bool
srb_value(const struct ui_console *con, const struct ui_watch *w,
          uint64_t *v)
{
    const struct ui_srb *e = ui_model_srb(con->m, (uint32_t)w->value);

    if (e == NULL)
        return false;
    if (strcmp(w->field, "state") == 0) {
        *v = e->state;
        return true;
    }
    return ui_srb_field(e, w->field, v) == 0;
}

int
ui_do_watch(struct ui_console *con, enum ui_watch_kind kind, uint64_t value,
            const char *field, char *err, size_t errlen)
{
    struct ui_watch *w;
    uint64_t v;

    if (con->nwatches == UI_MAX_WATCHES) {
        snprintf(err, errlen, "too many watches (at most %d)", UI_MAX_WATCHES);
        return -ENOSPC;
    }
    w = &con->watches[con->nwatches];
    memset(w, 0, sizeof *w);
    w->kind = kind;
    w->value = value;
    if (kind == UI_WATCH_SRB) {
        if (strcmp(field, "state") && strcmp(field, "status") &&
            strcmp(field, "scsi-status") && strcmp(field, "length")) {
            snprintf(err, errlen, "'%s' is not an SRB field (state, status, "
                     "scsi-status, length)", field);
            return -EINVAL;
        }
        snprintf(w->field, sizeof w->field, "%s", field);
        if (!srb_value(con, w, &v)) {
            snprintf(err, errlen, "SRB %llu is not in flight",
                     (unsigned long long)value);
            return -ESRCH;
        }
        w->last = v;
    }
    w->id = con->next_watch_id++;
    con->nwatches++;
    return w->id;
}

int
ui_do_unwatch(struct ui_console *con, int id)
{
    for (int i = 0; i < con->nwatches; i++)
        if (con->watches[i].id == id) {
            memmove(&con->watches[i], &con->watches[i + 1],
                    (size_t)(con->nwatches - i - 1) * sizeof con->watches[0]);
            con->nwatches--;
            return 0;
        }
    return -ENOENT;
}

void
ui_do_watch_list(const struct ui_console *con, FILE *f)
{
    char text[128];

    if (con->nwatches == 0)
        fprintf(f, "no watches ('help watch')\n");
    for (int i = 0; i < con->nwatches; i++) {
        describe(&con->watches[i], text, sizeof text);
        fprintf(f, "  %d: %s (%lu hits)\n", con->watches[i].id, text,
                con->watches[i].hits);
    }
}

static bool
one_hit(struct ui_console *con, struct ui_watch *w,
        const struct sim_trace_event *ev)
{
    uint64_t v;

    switch (w->kind) {
    case UI_WATCH_REG:
        if ((ev->kind != SIM_EV_REG_READ && ev->kind != SIM_EV_REG_WRITE) ||
            ev->arg != w->value ||
            con->m->reg_changed_seq[w->value / 4] != ev->seq)
            return false;
        snprintf(con->hit_text, sizeof con->hit_text, "%s became 0x%08llX "
                 "(%s)", hba_reg_name((uint32_t)w->value),
                 (unsigned long long)ev->arg2,
                 ev->kind == SIM_EV_REG_READ ? "read" : "written");
        return true;
    default:
        if (!srb_value(con, w, &v) || v == w->last)
            return false;
        snprintf(con->hit_text, sizeof con->hit_text, "SRB %llu %s %llu -> "
                 "%llu", (unsigned long long)w->value, w->field,
                 (unsigned long long)w->last, (unsigned long long)v);
        w->last = v;
        return true;
    }
}

bool
ui_watch_hit(struct ui_console *con, const struct sim_trace_event *ev)
{
    for (int i = 0; i < con->nwatches; i++)
        if (one_hit(con, &con->watches[i], ev)) {
            con->watches[i].hits++;
            con->hit_watch = con->watches[i].id;
            return true;
        }
    return false;
}

void
ui_break_text(const struct cmd_session *s, int id, char *buf, size_t len)
{
    static const char *const kinds[] = { "routine", "srb", "lock", "irql",
                                         "bugcheck", "opcode", "lun" };

    snprintf(buf, len, "breakpoint %d", id);
    for (int i = 0; i < s->nbreaks; i++) {
        const struct cmd_break *b = &s->breaks[i];
        if (b->id != id || (unsigned)b->kind >= sizeof kinds / sizeof *kinds)
            continue;
        if (b->kind == CMD_BREAK_SRB)
            snprintf(buf, len, "breakpoint %d: srb %lu", id, b->value);
        else
            snprintf(buf, len, "breakpoint %d: %s%s%s", id, kinds[b->kind],
                     b->name[0] ? " " : "", b->name);
    }
}

static void
goal_text(struct ui_console *con, char *buf, size_t len)
{
    const struct ui_srb *e;

    if (con->goal == UI_GOAL_NEXT) {
        e = ui_model_srb(con->m, con->goal_srb);
        snprintf(buf, len, "next: SRB %u is %s", con->goal_srb,
                 e != NULL ? port_srb_state_name((enum port_srb_state)e->state)
                           : "gone");
    } else {
        snprintf(buf, len, "finish: cpu%d returned", con->goal_cpu);
    }
}

void
ui_run_describe_stop(struct ui_console *con, int why)
{
    struct cmd_session *s = con->s;
    const struct sim_trace_event *ev = sim_exists() ? sim_trace_recent(0)
                                                    : NULL;
    char line[400] = "", *st = con->stop_text;
    size_t len = sizeof con->stop_text;

    if (ev != NULL)
        sim_trace_format(ev, line, sizeof line);
    st[0] = '\0';
    if (why == SIM_STOP_MATCH && s->hit_break != 0)
        ui_break_text(s, s->hit_break, st, len);
    else if (why == SIM_STOP_MATCH && con->hit_watch != 0)
        snprintf(st, len, "watch %d: %s", con->hit_watch, con->hit_text);
    else if (why == SIM_STOP_MATCH)
        goal_text(con, st, len);
    if (st[0] != '\0')
        fprintf(s->out, "%s, at %s\n", st, line);
    else if (why == SIM_STOP_IDLE)
        fprintf(s->out, "stopped (idle) at %.3f us\n", (double)sim_now() / 1e3);
    else if (why == SIM_STOP_TIME && con->run.until == 0)
        fprintf(s->out, "ran %.0f s of simulated time without going idle; "
                "'continue' goes on\n", (double)UI_RUN_CAP / 1e9);
    else if (why == SIM_STOP_TIME)
        fprintf(s->out, "stopped at %.3f us\n", (double)sim_now() / 1e3);
    else if (why != SIM_STOP_BUGCHECK && ev != NULL)
        fprintf(s->out, "paused at event %llu: %s\n",
                (unsigned long long)ev->seq + 1, line);
}
