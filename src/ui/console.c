/* console.c: the console object: a command session whose output it
 * captures, the log of commands that `back` replays, and opening a
 * scenario.
 *
 * Interface: ui_console_create(), ui_console_destroy(), ui_console_exec(),
 * ui_console_load(), ui_console_message() ... (include/storsim/ui.h);
 * the log and the line runner for run.c and replay.c (ui_int.h).
 *
 * Every line goes through cmd_run_line(), whether typed, bound to a key or
 * read from a scenario. Lines that can change the machine are logged with
 * where the trace was before and after them; lines that only look
 * (show, help, pane ...) are not, and neither are continue/next/finish/
 * goto, which log what they did as an exact number of events.
 */
#define _GNU_SOURCE      /* fopencookie: the session's output, captured */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/ui_int.h"

/* Most output kept from one command (`trace print on` can print a lot). */
#define OUT_MAX (1u << 20)

static struct ui_console *active;

double
ui_host_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static ssize_t
out_write(void *cookie, const char *buf, size_t n)
{
    struct ui_console *con = cookie;
    size_t room;

    if (con->discard || con->outlen >= OUT_MAX)
        return (ssize_t)n;
    if (con->outlen + n + 1 > con->outcap) {
        size_t cap = con->outcap ? con->outcap : 4096;
        char *p;
        while (cap < con->outlen + n + 1 && cap < OUT_MAX + 1)
            cap *= 2;
        if ((p = realloc(con->outbuf, cap)) == NULL)
            return (ssize_t)n;
        con->outbuf = p;
        con->outcap = cap;
    }
    room = con->outcap - con->outlen - 1;
    memcpy(con->outbuf + con->outlen, buf, n < room ? n : room);
    con->outlen += n < room ? n : room;
    con->outbuf[con->outlen] = '\0';
    return (ssize_t)n;
}

int
ui_console_create(struct cmd_session *s, bool interactive,
                  struct ui_console **out)
{
    cookie_io_functions_t io = { .write = out_write };
    struct ui_console *con;

    if (active != NULL)
        return -EBUSY;
    if (s->st != NULL)
        return -EINVAL;
    if ((con = calloc(1, sizeof *con)) == NULL)
        return -ENOMEM;
    if (ui_model_create(&con->m) < 0 ||
        (con->out = fopencookie(con, "w", io)) == NULL) {
        ui_model_destroy(con->m);
        free(con);
        return -ENOMEM;
    }
    con->s = s;
    con->interactive = interactive;
    con->saved_out = s->out;
    con->saved_err = s->err;
    s->out = s->err = con->out;
    con->base = *s;
    con->focus = UI_PANE_CPUS;
    con->zoom = -1;
    con->tl_bucket = 250;
    con->cols = 200;
    con->rows = 50;
    con->next_watch_id = 1;
    ui_keys_default(con);
    active = con;
    *out = con;
    return 0;
}

void
ui_console_destroy(struct ui_console *con)
{
    struct cmd_session *s;

    if (con == NULL)
        return;
    s = con->s;
    ui_run_stop(con, SIM_STOP_REQUESTED);
    ui_model_destroy(con->m);
    if (s->trace_out == con->out) {
        if (s->st != NULL && sim_exists())
            sim_trace_unsubscribe(sim_trace_print, con->out);
        s->trace_out = NULL;
    }
    s->out = con->saved_out;
    s->err = con->saved_err;
    fclose(con->out);
    for (size_t i = 0; i < con->nlog; i++)
        free(con->log[i].line);
    free(con->log);
    free(con->outbuf);
    free(con->overlay);
    ui_keys_free(con);
    if (active == con)
        active = NULL;
    free(con);
}

struct ui_console *
ui_console_active(void)
{
    return active;
}

void
ui_console_sync(struct ui_console *con)
{
    if (ui_model_sync(con->m, con->s->st))
        con->bugcheck_seen = false;
}

static const char *command_of(const char *line, char *word, size_t len);

int
ui_console_run_line(struct ui_console *con, const char *line)
{
    char word[64];
    int rc;

    /* 'reset' frees the workload before the machine, whose queue may
     * still hold the workload's events mid-run; take the machine down
     * first here (cmd_console_free's order) until cmd_session_free() does. */
    if (!strcmp(command_of(line, word, sizeof word), "reset") &&
        con->s->st != NULL) {
        ui_model_detach(con->m);
        stack_destroy(con->s->st);
        con->s->st = NULL;
    }
    rc = cmd_run_line(con->s, line, "<console>", ++con->lineno);
    ui_console_sync(con);
    return rc;
}

/* ---------- the log ---------- */

static struct ui_log_entry *
log_add(struct ui_console *con, uint64_t count_before, int gen_before)
{
    struct ui_log_entry *e;

    if (con->nlog == con->caplog) {
        size_t cap = con->caplog ? con->caplog * 2 : 64;
        struct ui_log_entry *p = realloc(con->log, cap * sizeof *p);
        if (p == NULL)
            return NULL;
        con->log = p;
        con->caplog = cap;
    }
    e = &con->log[con->nlog++];
    memset(e, 0, sizeof *e);
    e->count_before = count_before;
    e->gen_before = gen_before;
    e->gen_after = con->m->generation;
    e->machine_after = ui_model_attached(con->m);
    if (e->machine_after) {
        e->count_after = sim_trace_count();
        e->hash_after = sim_trace_hash();
    }
    return e;
}

void
ui_console_log_advance(struct ui_console *con, uint64_t events, int reason,
                       uint64_t count_before, int gen_before)
{
    struct ui_log_entry *e = log_add(con, count_before, gen_before);

    if (e != NULL) {
        e->events = events;
        e->reason = reason;
    }
}

void
ui_console_log_line(struct ui_console *con, const char *line, bool run_type,
                    uint64_t count_before, int gen_before)
{
    struct ui_log_entry *e = log_add(con, count_before, gen_before);

    if (e != NULL) {
        e->line = strdup(line);
        e->run_type = run_type;
    }
}

/* The command a line runs, by its table name ("" for none). */
static const char *
command_of(const char *line, char *word, size_t len)
{
    const struct cmd_entry *e;
    size_t n = 0;

    line += strspn(line, " \t");
    while (line[n] != '\0' && line[n] != ' ' && line[n] != '\t' &&
           line[n] != '\n' && n + 1 < len) {
        word[n] = line[n];
        n++;
    }
    word[n] = '\0';
    e = n > 0 && word[0] != '#' ? cmd_find(word) : NULL;
    return e != NULL ? e->name : "";
}

static bool
in_list(const char *name, const char *const *list)
{
    for (; *list != NULL; list++)
        if (strcmp(name, *list) == 0)
            return true;
    return false;
}

/* Commands that only look or change the console's view: never logged,
 * and allowed while an animated run goes on. */
static const char *const view_commands[] = {
    "help", "show", "echo", "pane", "select", "screen", "bind", "unbind",
    "keys", "speed", "pause", "watch", "unwatch", "quit", NULL,
};
/* Commands that log what they did themselves. */
static const char *const self_logged[] = {
    "continue", "next", "finish", "goto", "back", NULL,
};

/* ---------- output and messages ---------- */

static void
set_message(struct ui_console *con, const char *text, bool error)
{
    const char *p = text;

    /* "<console>:3:7: unknown command" -> "unknown command" */
    if (strncmp(p, "<console>:", 10) == 0 && (p = strstr(p, ": ")) != NULL)
        text = p + 2;
    snprintf(con->message, sizeof con->message, "%s", text);
    con->msg_error = error;
}

void
ui_console_collect(struct ui_console *con, int rc)
{
    char *last;

    fflush(con->out);
    while (con->outlen > 0 && con->outbuf[con->outlen - 1] == '\n')
        con->outbuf[--con->outlen] = '\0';
    if (rc < 0) {
        set_message(con, con->s->error, true);
    } else if (con->outlen > 0) {
        last = strrchr(con->outbuf, '\n');
        set_message(con, last ? last + 1 : con->outbuf, false);
        if (last != NULL) {
            free(con->overlay);
            con->overlay = strdup(con->outbuf);
        }
    }
    con->outlen = 0;
    if (con->outbuf != NULL)
        con->outbuf[0] = '\0';
}

int
ui_console_exec(struct ui_console *con, const char *line)
{
    struct cmd_session *s = con->s;
    char word[64];
    const char *name = command_of(line, word, sizeof word);
    bool view = in_list(name, view_commands);
    uint64_t count = ui_model_attached(con->m) ? sim_trace_count() : 0;
    int gen = con->m->generation, rc;

    if (con->run.active && !view)
        ui_run_stop(con, SIM_STOP_REQUESTED);
    ui_console_collect(con, 0);       /* what a finished run left behind */
    con->message[0] = '\0';
    if (!view)
        ui_model_mark(con->m);
    if (!view && !in_list(name, self_logged))
        con->stop_text[0] = '\0';
    con->exec_depth++;
    rc = ui_console_run_line(con, line);
    con->exec_depth--;
    if (name[0] != '\0' && !view && !in_list(name, self_logged))
        ui_console_log_line(con, line, !strcmp(name, "run") ||
                            !strcmp(name, "step") || !strcmp(name, "until"),
                            count, gen);
    if (s->hit_break != 0 && !in_list(name, self_logged))
        ui_break_text(s, s->hit_break, con->stop_text, sizeof con->stop_text);
    ui_console_collect(con, rc);
    return rc;
}

/* ---------- opening a scenario or script ---------- */

static bool
runs_machine(const char *line)
{
    static const char *const running[] = { "run", "step", "until",
        "continue", "next", "finish", "goto", NULL };
    char word[64];

    return in_list(command_of(line, word, sizeof word), running);
}

/* The script's text: a built-in scenario's, or a file's. */
static char *
script_text(const char *target)
{
    const struct cmd_scenario *sc = cmd_scenario_find(target);
    FILE *f;
    char *text = NULL;
    size_t len = 0;

    if (sc != NULL)
        return strdup(sc->script);
    if ((f = fopen(target, "r")) == NULL)
        return NULL;
    if (getdelim(&text, &len, '\0', f) < 0) {
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}

int
ui_console_load(struct ui_console *con, const char *target)
{
    char *text = script_text(target), *line, *save = NULL;
    char lesson[1024] = "";
    size_t n = 0;
    int rc = 0;

    if (text == NULL) {
        snprintf(con->s->error, sizeof con->s->error, "'%s' is neither a "
                 "built-in scenario nor a readable script file", target);
        set_message(con, con->s->error, true);
        return -ENOENT;
    }
    for (line = strtok_r(text, "\n", &save); line != NULL && rc == 0;
         line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' && n < sizeof lesson)
            n += (size_t)snprintf(lesson + n, sizeof lesson - n, "%s\n",
                                  line + (line[1] == ' ' ? 2 : 1));
        if (runs_machine(line))
            break;
        rc = ui_console_exec(con, line);
    }
    free(text);
    if (rc < 0)
        return rc;
    free(con->overlay);
    con->overlay = lesson[0] != '\0' ? strdup(lesson) : NULL;
    set_message(con, "ready: s steps, n next stage, c continues, b steps "
                "back, : commands, ? keys", false);
    return 0;
}

const char *
ui_console_message(const struct ui_console *con, bool *is_error)
{
    if (is_error != NULL)
        *is_error = con->msg_error;
    return con->message;
}

char *
ui_console_take_output(struct ui_console *con)
{
    char *p = con->overlay;

    con->overlay = NULL;
    return p;
}

bool
ui_console_take_bugcheck(struct ui_console *con)
{
    if (ui_model_attached(con->m) && sim_is_dead() && !con->bugcheck_seen) {
        con->bugcheck_seen = true;
        return true;
    }
    return false;
}

void
ui_console_request_redraw(struct ui_console *con)
{
    con->redraw = true;
}

bool
ui_console_take_redraw(struct ui_console *con)
{
    bool r = con->redraw;

    con->redraw = false;
    return r;
}

void
ui_console_set_size(struct ui_console *con, int cols, int rows)
{
    con->cols = cols;
    con->rows = rows;
}
