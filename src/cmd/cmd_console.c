/* cmd_console.c: the console's commands -- continue, next, finish, pause,
 * back, goto, speed, watch, unwatch, select, pane, screen, bind, unbind,
 * keys -- and the ways of running the machine the console needs.
 *
 * Interface: the cmd_*_entry objects listed in cmd_int.h (and so in
 * cmd_table[]); cmd_console_* (include/storsim/ui_cmd.h).
 *
 * The commands parse their words here and leave the doing to the console
 * (include/storsim/ui.h), so that keys, the console's command line and
 * scripts run one path. Outside the console (`storsim shell`, scripts run
 * headless) they say where they work.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/cmd_int.h"
#include "storsim/sim.h"
#include "storsim/ui.h"
#include "storsim/ui_cmd.h"

/* ---------- running the machine for the console ---------- */

int
cmd_console_boot(struct cmd_session *s)
{
    return cmd_ensure_booted(s);
}

void
cmd_console_free(struct cmd_session *s)
{
    cmd_session_free(s);
}

bool
cmd_console_break_match(struct cmd_session *s, const struct sim_trace_event *ev)
{
    return cmd_break_match(s, ev);
}

struct both {
    struct cmd_session *s;
    bool (*match)(const struct sim_trace_event *ev, void *ctx);
    void *ctx;
};

static bool
both_match(const struct sim_trace_event *ev, void *ctx)
{
    struct both *b = ctx;

    if (b->s->nbreaks > 0 && cmd_console_break_match(b->s, ev))
        return true;
    return b->match != NULL && b->match(ev, b->ctx);
}

enum sim_stop_reason
cmd_console_advance(struct cmd_session *s, const struct sim_run_limits *lim,
                    uint64_t *events)
{
    struct sim_run_limits l = { 0 };
    struct both b = { .s = s };
    uint64_t before = sim_trace_count();
    enum sim_stop_reason why;

    if (lim != NULL)
        l = *lim;
    b.match = l.match;
    b.ctx = l.match_ctx;
    s->hit_break = 0;
    if (s->nbreaks > 0 || l.match != NULL) {
        l.match = both_match;
        l.match_ctx = &b;
    }
    why = sim_run(&l);
    if (events != NULL)
        *events = sim_trace_count() - before;
    return why;
}

void
cmd_console_after(struct cmd_session *s, enum sim_stop_reason why)
{
    if (why == SIM_STOP_BUGCHECK)
        cmd_report_bugcheck(s);
    else if (why == SIM_STOP_IDLE && s->wl != NULL)
        cmd_finish_workload(s, why);
    cmd_report_findings(s);
}

enum sim_stop_reason
cmd_console_step_exact(struct cmd_session *s, uint64_t n)
{
    struct sim_run_limits lim = { .steps = n };

    (void)s;
    if (n == 0)
        return SIM_STOP_STEPS;
    return sim_run(&lim);
}

/* ---------- the commands ---------- */

/* The console, or an error saying where the command works. */
static struct ui_console *
console_of(struct cmd_session *s, const char *name)
{
    struct ui_console *con = ui_console_active();

    if (con == NULL)
        cmd_error(s, 0, "'%s' works in the console ('storsim' with no "
                  "arguments, on a terminal)", name);
    return con;
}

/* A console call's result as a command's: its message in place. */
static int
result(struct cmd_session *s, int rc, const char *err)
{
    return rc < 0 ? cmd_error(s, 0, "%s", err) : 0;
}

static int
continue_exec(struct cmd_session *s, int argc, char **argv)
{
    struct ui_console *con = console_of(s, argv[0]);
    sim_time_t span = 0;
    char err[256];

    if (con == NULL)
        return -EINVAL;
    if (argc == 3 && !strcmp(argv[1], "for")) {
        if (sim_parse_time(argv[2], &span) < 0 || span == 0)
            return cmd_error(s, 2, "'%s' is not a duration (e.g. 10us)",
                             argv[2]);
    } else if (argc != 1) {
        return cmd_error(s, 1, "expected 'continue' or 'continue for TIME'");
    }
    return result(s, ui_do_continue(con, span, err, sizeof err), err);
}

const struct cmd_entry cmd_continue_entry = {
    .name = "continue", .alias = "cont", .usage = "continue [for TIME]",
    .help = "console: run until a breakpoint, a watch or idle; animated, "
            "'pause' stops it",
    .long_help = "In the console the run is animated at the 'speed' setting "
                 "and redrawn at most 30\ntimes a second; keys still work "
                 "(p or Space pauses). Breakpoints and watches\nstop it; so "
                 "does the end of the workload.",
    .exec = continue_exec,
};

static int
next_exec(struct cmd_session *s, int argc, char **argv)
{
    struct ui_console *con = console_of(s, argv[0]);
    char err[256];

    if (con == NULL)
        return -EINVAL;
    if (argc != 1)
        return cmd_error(s, 1, "'next' takes no arguments");
    return result(s, ui_do_next(con, err, sizeof err), err);
}

const struct cmd_entry cmd_next_entry = {
    .name = "next", .alias = "n", .usage = "next",
    .help = "console: run until the followed SRB moves to its next stage",
    .long_help = "The followed SRB is the one chosen with 'select srb', else "
                 "the SRB of the\nfollowed CPU's activation, else the oldest "
                 "in flight (marked > in the SRBs\npane). With none in "
                 "flight, it runs until an SRB appears and stops at\nits "
                 "first stage. Breakpoints and watches stop it earlier.",
    .exec = next_exec,
};

static int
finish_exec(struct cmd_session *s, int argc, char **argv)
{
    struct ui_console *con = console_of(s, argv[0]);
    char err[256];

    if (con == NULL)
        return -EINVAL;
    if (argc != 1)
        return cmd_error(s, 1, "'finish' takes no arguments");
    return result(s, ui_do_finish(con, err, sizeof err), err);
}

const struct cmd_entry cmd_finish_entry = {
    .name = "finish", .alias = "fin", .usage = "finish",
    .help = "console: run until the followed CPU's routine returns",
    .exec = finish_exec,
};

static int
pause_exec(struct cmd_session *s, int argc, char **argv)
{
    struct ui_console *con = console_of(s, argv[0]);

    if (con == NULL)
        return -EINVAL;
    if (argc != 1)
        return cmd_error(s, 1, "'pause' takes no arguments");
    ui_do_pause(con);
    return 0;
}

const struct cmd_entry cmd_pause_entry = {
    .name = "pause", .usage = "pause",
    .help = "console: stop an animated run",
    .exec = pause_exec,
};

static int
back_exec(struct cmd_session *s, int argc, char **argv)
{
    struct ui_console *con = console_of(s, argv[0]);
    uint64_t n = 1;
    char err[256];

    if (con == NULL)
        return -EINVAL;
    if (argc > 2 || (argc == 2 && cmd_parse_u64(argv[1], 1, UINT64_MAX / 2,
                                                &n) < 0))
        return cmd_error(s, argc > 2 ? 2 : 1, "expected 'back [N]' (events, "
                         "1 or more)");
    return result(s, ui_do_back(con, n, err, sizeof err), err);
}

const struct cmd_entry cmd_back_entry = {
    .name = "back", .usage = "back [N]",
    .help = "console: step back N events (1), by replaying from the start",
    .long_help = "The machine is rebuilt from the configuration the console "
                 "started with and\nevery command since is run again, up to "
                 "N events before now; the run is\ndeterministic, so this is "
                 "exactly the earlier state (the trace hash is\nchecked after "
                 "every command). Breakpoints and watches stay as they are.",
    .exec = back_exec,
};

static int
goto_exec(struct cmd_session *s, int argc, char **argv)
{
    struct ui_console *con = console_of(s, argv[0]);
    uint64_t n;
    char err[256];

    if (con == NULL)
        return -EINVAL;
    if (argc != 2 || cmd_parse_u64(argv[1], 0, UINT64_MAX / 2, &n) < 0)
        return cmd_error(s, argc == 2 ? 1 : -1, "expected 'goto EVENT' (an "
                         "event number, as the events pane shows)");
    return result(s, ui_do_goto(con, n, err, sizeof err), err);
}

const struct cmd_entry cmd_goto_entry = {
    .name = "goto", .usage = "goto EVENT",
    .help = "console: go to just after event number EVENT, forwards or back",
    .exec = goto_exec,
};

static int
speed_exec(struct cmd_session *s, int argc, char **argv)
{
    struct ui_console *con = console_of(s, argv[0]);
    uint64_t eps;

    if (con == NULL)
        return -EINVAL;
    if (argc == 1) {
        eps = ui_console_speed(con);
        if (eps)
            fprintf(s->out, "speed %llu events per second\n",
                    (unsigned long long)eps);
        else
            fprintf(s->out, "speed max\n");
        return 0;
    }
    if (argc != 2)
        return cmd_error(s, 2, "expected 'speed N|max|faster|slower'");
    eps = ui_console_speed(con);
    if (!strcmp(argv[1], "max"))
        eps = 0;
    else if (!strcmp(argv[1], "faster"))
        eps = eps == 0 ? 0 : eps >= 1000000 ? 0 : eps * 10;
    else if (!strcmp(argv[1], "slower"))
        eps = eps == 0 ? 1000000 : eps > 1 ? eps / 10 : 1;
    else if (cmd_parse_u64(argv[1], 1, 1000000000, &eps) < 0)
        return cmd_error(s, 1, "'%s' is not a speed (events per second, "
                         "'max', 'faster', 'slower')", argv[1]);
    ui_do_speed(con, eps);
    return 0;
}

const struct cmd_entry cmd_speed_entry = {
    .name = "speed", .usage = "speed [N|max|faster|slower]",
    .help = "console: events per second of an animated run (or as fast as "
            "possible)",
    .exec = speed_exec,
};

/* A register by name ("INTR_STATUS", any case) or offset. */
static int
parse_reg(const char *text, uint64_t *off)
{
    for (uint32_t o = 0; o < 0x100; o += 4) {
        const char *name = hba_reg_name(o);
        if (name != NULL && strcasecmp(name, text) == 0) {
            *off = o;
            return 0;
        }
    }
    if (cmd_parse_u64(text, 0, 0xFC, off) == 0 && *off % 4 == 0 &&
        hba_reg_name((uint32_t)*off) != NULL)
        return 0;
    return -EINVAL;
}

static int
watch_exec(struct cmd_session *s, int argc, char **argv)
{
    struct ui_console *con = console_of(s, argv[0]);
    uint64_t v = 0;
    char err[256];
    int id;

    if (con == NULL)
        return -EINVAL;
    if (argc == 1) {
        ui_do_watch_list(con, s->out);
        return 0;
    }
    if (!strcmp(argv[1], "reg") && argc == 3) {
        if (parse_reg(argv[2], &v) < 0)
            return cmd_error(s, 2, "'%s' is not a SIMHBA register "
                             "(INTR_STATUS, REQ_DOORBELL ...)", argv[2]);
        id = ui_do_watch(con, UI_WATCH_REG, v, NULL, err, sizeof err);
    } else if (!strcmp(argv[1], "srb") && argc == 4) {
        if (cmd_parse_u64(argv[2], 1, UINT32_MAX, &v) < 0)
            return cmd_error(s, 2, "'%s' is not an SRB id", argv[2]);
        id = ui_do_watch(con, UI_WATCH_SRB, v, argv[3], err, sizeof err);
    } else {
        return cmd_error(s, 1, "expected 'watch reg NAME' or 'watch srb ID "
                         "state|status|scsi-status|length' (an opcode or a "
                         "LUN is 'break opcode OP', 'break lun N')");
    }
    if (id < 0)
        return cmd_error(s, 1, "%s", err);
    fprintf(s->out, "watch %d set\n", id);
    return 0;
}

const struct cmd_entry cmd_watch_entry = {
    .name = "watch",
    .usage = "watch [reg NAME|srb ID FIELD]",
    .help = "console: stop when a register or an SRB field changes",
    .long_help = "watch reg NAME    a SIMHBA register's value, as the driver "
                 "reads or writes\n                  it, changes "
                 "(INTR_STATUS, REQ_DOORBELL ...)\n"
                 "watch srb ID F    field F of SRB ID changes: state, status "
                 "(SrbStatus),\n                  scsi-status, length "
                 "(DataTransferLength)\n"
                 "They stop 'continue', 'next' and 'finish'; 'break' has "
                 "routines, SRBs, locks,\nIRQL changes, bug checks, opcodes "
                 "and LUNs.",
    .exec = watch_exec,
};

static int
unwatch_exec(struct cmd_session *s, int argc, char **argv)
{
    struct ui_console *con = console_of(s, argv[0]);
    uint64_t id;

    if (con == NULL)
        return -EINVAL;
    if (argc != 2 || cmd_parse_u64(argv[1], 1, 1u << 30, &id) < 0)
        return cmd_error(s, argc == 2 ? 1 : -1, "expected 'unwatch ID'");
    if (ui_do_unwatch(con, (int)id) < 0)
        return cmd_error(s, 1, "no watch %s ('watch' lists them)", argv[1]);
    return 0;
}

const struct cmd_entry cmd_unwatch_entry = {
    .name = "unwatch", .usage = "unwatch ID",
    .help = "console: remove a watch",
    .exec = unwatch_exec,
};

static int
select_exec(struct cmd_session *s, int argc, char **argv)
{
    struct ui_console *con = console_of(s, argv[0]);
    char err[256];

    if (con == NULL)
        return -EINVAL;
    if (argc != 3)
        return cmd_error(s, -1, "expected 'select cpu N|next|prev|auto' or "
                         "'select srb ID|auto'");
    return result(s, ui_do_select(con, argv[1], argv[2], err, sizeof err),
                  err);
}

const struct cmd_entry cmd_select_entry = {
    .name = "select", .usage = "select cpu N|next|prev|auto | srb ID|auto",
    .help = "console: which CPU the source pane and 'finish' follow, which "
            "SRB 'next' follows",
    .exec = select_exec,
};

static int
pane_exec(struct cmd_session *s, int argc, char **argv)
{
    struct ui_console *con = console_of(s, argv[0]);
    char err[256];

    if (con == NULL)
        return -EINVAL;
    if (argc < 2 || argc > 3)
        return cmd_error(s, -1, "expected 'pane focus NAME|next|prev', "
                         "'pane zoom [NAME]', 'pane scroll "
                         "up|down|pgup|pgdn|home' or 'pane scale TIME'");
    return result(s, ui_do_pane(con, argv[1], argc == 3 ? argv[2] : NULL,
                                err, sizeof err), err);
}

const struct cmd_entry cmd_pane_entry = {
    .name = "pane", .usage = "pane focus|zoom|scroll|scale [ARG]",
    .help = "console: focus a pane, zoom one to the whole screen, scroll "
            "one, scale the timeline",
    .long_help = "Panes: cpus, locks, srbs, hba, source, timeline, events, "
                 "stats.\npane focus NAME|next|prev   (Tab, Shift-Tab)\n"
                 "pane zoom [NAME]            the focused pane, or NAME; again "
                 "to unzoom (z)\npane scroll up|down|pgup|pgdn|home\n"
                 "                            the focused pane: a row, a page, "
                 "or back to\n                            following the machine "
                 "(Up, Down, PgUp,\n                            PgDn, Home). "
                 "The CPU, lock and SRB lists\n                            "
                 "scroll down, the events up into the trace\n"
                 "                            ring, the source either way. "
                 "The next step or\n                            run puts every "
                 "pane back.\npane scale TIME|finer|coarser   simulated "
                 "time per timeline column",
    .exec = pane_exec,
};

static int
screen_exec(struct cmd_session *s, int argc, char **argv)
{
    struct ui_console *con = console_of(s, argv[0]);
    int cols = 0, rows = 0;
    char err[256], x;

    if (con == NULL)
        return -EINVAL;
    if (argc == 2 && !strcmp(argv[1], "redraw")) {
        ui_console_request_redraw(con);
        return 0;
    }
    if (argc < 3 || argc > 4 || strcmp(argv[1], "dump"))
        return cmd_error(s, -1, "expected 'screen dump FILE [COLSxROWS]' or "
                         "'screen redraw'");
    if (argc == 4 && (sscanf(argv[3], "%d%c%d", &cols, &x, &rows) != 3 ||
                      x != 'x' || cols < 1 || rows < 1 || cols > 1000 ||
                      rows > 1000))
        return cmd_error(s, 3, "'%s' is not a size such as 200x50", argv[3]);
    return result(s, ui_do_dump(con, argv[2], cols, rows, err, sizeof err),
                  err);
}

const struct cmd_entry cmd_screen_entry = {
    .name = "screen", .usage = "screen dump FILE [COLSxROWS] | screen redraw",
    .help = "console: write the panes as text to FILE ('-': show them), or "
            "redraw",
    .exec = screen_exec,
};

static int
bind_exec(struct cmd_session *s, int argc, char **argv)
{
    struct ui_console *con = console_of(s, argv[0]);
    char line[1024] = "", err[256];
    size_t n = 0;

    if (con == NULL)
        return -EINVAL;
    if (argc < 3)
        return cmd_error(s, -1, "expected 'bind KEY COMMAND...'");
    for (int i = 2; i < argc && n < sizeof line; i++)
        n += (size_t)snprintf(line + n, sizeof line - n, "%s%s",
                              i > 2 ? " " : "", argv[i]);
    return result(s, ui_do_bind(con, argv[1], line, err, sizeof err), err);
}

const struct cmd_entry cmd_bind_entry = {
    .name = "bind", .usage = "bind KEY COMMAND...",
    .help = "console: make a key run a command line",
    .long_help = "Keys: a character (s, S, ?), C-x for Ctrl-x, F1..F12, Tab, "
                 "BTab, Space, Enter,\nEsc, Left, Right, Up, Down, PgUp, PgDn, "
                 "Home, End. ':' always opens the\ncommand line. 'keys' "
                 "lists the bindings. Bindings in ~/.storsimrc (or\n"
                 "$STORSIM_RC) are made each time the console opens.",
    .exec = bind_exec,
};

static int
unbind_exec(struct cmd_session *s, int argc, char **argv)
{
    struct ui_console *con = console_of(s, argv[0]);
    char err[256];

    if (con == NULL)
        return -EINVAL;
    if (argc != 2)
        return cmd_error(s, -1, "expected 'unbind KEY'");
    return result(s, ui_do_bind(con, argv[1], NULL, err, sizeof err), err);
}

const struct cmd_entry cmd_unbind_entry = {
    .name = "unbind", .usage = "unbind KEY",
    .help = "console: remove a key binding",
    .exec = unbind_exec,
};

static int
keys_exec(struct cmd_session *s, int argc, char **argv)
{
    struct ui_console *con = console_of(s, argv[0]);

    if (con == NULL)
        return -EINVAL;
    if (argc != 1)
        return cmd_error(s, 1, "'keys' takes no arguments");
    ui_do_keys(con, s->out);
    return 0;
}

const struct cmd_entry cmd_keys_entry = {
    .name = "keys", .usage = "keys",
    .help = "console: list the key bindings (the ? key)",
    .exec = keys_exec,
};
