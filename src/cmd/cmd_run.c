/* cmd_run.c: commands that run the machine: boot, reset, run, step,
 * until, break and delete (the workload command is in cmd_workload.c).
 *
 * Interface: the entries listed in cmd_int.h; cmd_run_machine() in cmd.h.
 *
 * Breakpoints are a predicate on the trace stream (sim_run_limits.match),
 * so the run stops right after the matching event, in the middle of the
 * routine that emitted it, and continues from there.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <srb.h>

#include "cmd/cmd_int.h"
#include "storsim/port.h"
#include "storsim/scsi_disk.h"
#include "storsim/sim.h"
#include "storsim/verifier.h"

/* ---------- boot and reset ---------- */

int
cmd_ensure_booted(struct cmd_session *s)
{
    char err[256];
    int rc;

    if (s->st != NULL)
        return 0;
    for (int i = 0; i < s->nforce; i++)
        if (cmd_set_value(s, s->force[i].key, s->force[i].value) < 0)
            return -EINVAL;
    if (stack_create(&s->cfg, &s->st, err, sizeof err) < 0)
        return cmd_error(s, 0, "cannot build the machine: %s", err);
    verifier_attach();
    s->findings_shown = 0;
    if (s->trace_path[0] != '\0' && cmd_trace_export_start(s, s->trace_path) < 0)
        return -EINVAL;
    if (s->trace_out != NULL)
        sim_trace_subscribe(sim_trace_print, s->trace_out);
    rc = stack_boot(s->st);
    if (rc == -EFAULT) {
        cmd_report_bugcheck(s);
        return cmd_error(s, 0, "the machine bug-checked while booting");
    }
    if (rc < 0)
        return cmd_error(s, 0, "the adapter did not start: %s", s->st->error);
    /* Statistics cover what runs after the boot. */
    if (stats_create(&s->stats) == 0)
        stats_attach(s->stats);
    return 0;
}

static int
boot_exec(struct cmd_session *s, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return cmd_error(s, 1, "'boot' takes no arguments");
    if (s->st != NULL)
        return cmd_error(s, 0, "already booted ('reset' first)");
    if (cmd_ensure_booted(s) < 0)
        return -EINVAL;
    fprintf(s->out, "booted: %d CPUs, %s, %d LUN(s) found, at %.3f us\n",
            sim_ncpus(), s->st->model == PORT_MODEL_STORPORT ? "Storport"
                                                             : "SCSI Port",
            s->st->pa->nluns, (double)sim_now() / 1e3);
    return 0;
}

const struct cmd_entry cmd_boot_entry = {
    .name = "boot", .usage = "boot",
    .help = "build the machine from the settings and initialise the adapter",
    .long_help = "Runs DriverEntry, HwFindAdapter, HwInitialize and the bus "
                 "scan in simulated\ntime; 'run' boots by itself if needed.",
    .exec = boot_exec,
};

static int
reset_exec(struct cmd_session *s, int argc, char **argv)
{
    (void)argc; (void)argv;
    cmd_session_free(s);
    s->hit_break = 0;
    return 0;
}

const struct cmd_entry cmd_reset_entry = {
    .name = "reset", .usage = "reset",
    .help = "throw the machine away (settings and breakpoints stay)",
    .exec = reset_exec,
};

/* ---------- breakpoints ---------- */

static bool
break_matches(const struct cmd_break *b, const struct sim_trace_event *ev)
{
    switch (b->kind) {
    case CMD_BREAK_ROUTINE:
        return (ev->kind == SIM_EV_ENTER || ev->kind == SIM_EV_ACTIVATE) &&
               ev->routine != NULL && strcmp(ev->routine, b->name) == 0;
    case CMD_BREAK_SRB:
        return ev->srb == b->value && ev->kind == SIM_EV_SRB;
    case CMD_BREAK_LOCK:
        return (ev->kind == SIM_EV_LOCK_ACQUIRE ||
                ev->kind == SIM_EV_LOCK_SPIN ||
                ev->kind == SIM_EV_LOCK_RELEASE) &&
               ev->detail != NULL && strcmp(ev->detail, b->name) == 0;
    case CMD_BREAK_IRQL:
        return ev->cpu >= 0 && ev->irql_before != ev->irql_after;
    case CMD_BREAK_BUGCHECK:
        return ev->kind == SIM_EV_BUGCHECK;
    case CMD_BREAK_OPCODE:
    case CMD_BREAK_LUN:
        /* A request entering the miniport: HwStorBuildIo or StartIo. */
        if (ev->kind != SIM_EV_SRB || (ev->arg != PORT_SRB_BUILDIO &&
                                       ev->arg != PORT_SRB_STARTIO))
            return false;
        if (b->kind == CMD_BREAK_LUN)
            return PORT_SRB_DESC_LUN(ev->arg2) == b->value;
        return PORT_SRB_DESC_FUNCTION(ev->arg2) == SRB_FUNCTION_EXECUTE_SCSI &&
               PORT_SRB_DESC_OPCODE(ev->arg2) == b->value;
    default:
        return false;
    }
}

bool
cmd_break_match(struct cmd_session *s, const struct sim_trace_event *ev)
{
    for (int i = 0; i < s->nbreaks; i++) {
        struct cmd_break *b = &s->breaks[i];
        if (b->enabled && break_matches(b, ev)) {
            b->hits++;
            s->hit_break = b->id;
            return true;
        }
    }
    return false;
}

static bool
any_break(const struct sim_trace_event *ev, void *ctx)
{
    return cmd_break_match(ctx, ev);
}

static void
print_stop(struct cmd_session *s, enum sim_stop_reason why)
{
    const struct sim_trace_event *ev = sim_trace_recent(0);
    char line[320] = "";

    if (ev != NULL)
        sim_trace_format(ev, line, sizeof line);
    if (why == SIM_STOP_MATCH && s->hit_break)
        fprintf(s->out, "breakpoint %d at %s\n", s->hit_break, line);
    else if (why == SIM_STOP_REQUESTED && verifier_count() > s->findings_shown
             && verifier_stop())
        fprintf(s->out, "stopped at a verifier finding at %.3f us ('run' "
                "goes on; 'verifier stop off' only counts them)\n",
                (double)sim_now() / 1e3);
    else if (why == SIM_STOP_STEPS)
        fprintf(s->out, "%s\n", line);
    else
        fprintf(s->out, "stopped (%s) at %.3f us\n", sim_stop_reason_name(why),
                (double)sim_now() / 1e3);
}

/* How much simulated time a plain 'run' covers at most without a
 * workload: a periodic device (the mouse) would otherwise keep the machine
 * from ever going idle. */
#define RUN_CAP SIM_SEC(10)
#define RUN_SLICE SIM_MS(1)

/* A plain 'run': in slices, so that it can end when the workload has
 * finished even if a periodic device keeps the machine busy. */
static enum sim_stop_reason
run_open_ended(struct cmd_session *s, struct sim_run_limits *l)
{
    /* A stop for time leaves the clock at the last event it ran, not at
     * the limit: the slices are counted from their own ends, or a quiet
     * stretch longer than a slice would never be crossed. */
    sim_time_t until = sim_now(), cap = until + RUN_CAP, progress_at = until;
    uint64_t seen = s->wl != NULL ? wl_completions(s->wl) : 0;
    enum sim_stop_reason why;

    for (;;) {
        l->until = until += RUN_SLICE;
        why = sim_run(l);
        if (why != SIM_STOP_TIME)
            return why;
        if (s->wl == NULL) {
            if (until >= cap) {
                fprintf(s->out, "ran %.0f s of simulated time without going "
                        "idle; 'run' again to go on\n", (double)RUN_CAP / 1e9);
                return SIM_STOP_TIME;
            }
            continue;
        }
        if (wl_done(s->wl))
            return SIM_STOP_IDLE;     /* done: what is left is periodic */
        if (wl_completions(s->wl) != seen) {
            seen = wl_completions(s->wl);
            progress_at = until;
        } else if (until - progress_at >= wl_stall_limit(&s->spec)) {
            /* Only periodic work (a timer, the mouse) and no completion
             * for longer than any timeout and its reset: what is still
             * outstanding will not complete. */
            return SIM_STOP_IDLE;
        }
    }
}

enum sim_stop_reason
cmd_run_machine(struct cmd_session *s, const struct sim_run_limits *lim)
{
    struct sim_run_limits l = *lim;
    enum sim_stop_reason why;

    s->hit_break = 0;
    if (s->nbreaks > 0) {
        l.match = any_break;
        l.match_ctx = s;
    }
    if (l.until == 0 && l.steps == 0)
        why = run_open_ended(s, &l);
    else
        why = sim_run(&l);
    if (why == SIM_STOP_BUGCHECK) {
        cmd_report_bugcheck(s);
        cmd_report_findings(s);
        return why;
    }
    if (!s->quiet || why != SIM_STOP_IDLE)
        print_stop(s, why);
    if (why == SIM_STOP_IDLE && s->wl != NULL)
        cmd_finish_workload(s, why);
    cmd_report_findings(s);
    return why;
}

static int
break_exec(struct cmd_session *s, int argc, char **argv)
{
    static const char *const kinds[] = { "routine", "srb", "lock", "irql",
                                         "bugcheck", "opcode", "lun", NULL };
    struct cmd_break *b;
    uint64_t v = 0;
    uint8_t op;
    bool takes_one;
    int k;

    if (argc == 1) {
        for (int i = 0; i < s->nbreaks; i++)
            fprintf(s->out, "  %d: %s %s%s (%lu hits)\n", s->breaks[i].id,
                    kinds[s->breaks[i].kind], s->breaks[i].name,
                    s->breaks[i].enabled ? "" : " [disabled]",
                    s->breaks[i].hits);
        return 0;
    }
    for (k = 0; kinds[k] != NULL && strcmp(kinds[k], argv[1]); k++)
        ;
    if (kinds[k] == NULL) {
        const char *hint = cmd_suggest(argv[1], kinds);
        return cmd_error(s, 1, "unknown breakpoint kind '%s'%s%s%s (routine, "
                         "srb, lock, irql, bugcheck, opcode, lun)", argv[1],
                         hint ? ", did you mean '" : "", hint ? hint : "",
                         hint ? "'?" : "");
    }
    takes_one = k != CMD_BREAK_IRQL && k != CMD_BREAK_BUGCHECK;
    if (takes_one != (argc == 3))
        return cmd_error(s, argc > 3 ? 3 : -1, "'break %s' takes %s",
                         kinds[k], takes_one ? "one argument" : "no argument");
    if (k == CMD_BREAK_SRB && cmd_parse_u64(argv[2], 1, UINT32_MAX, &v) < 0)
        return cmd_error(s, 2, "'%s' is not an SRB id (1 or more)", argv[2]);
    if (k == CMD_BREAK_OPCODE) {
        if (scsi_disk_opcode_parse(argv[2], &op) < 0)
            return cmd_error(s, 2, "'%s' is not an opcode (0x28, read10, "
                             "write16 ...)", argv[2]);
        v = op;
    }
    if (k == CMD_BREAK_LUN && cmd_parse_u64(argv[2], 0, 255, &v) < 0)
        return cmd_error(s, 2, "'%s' is not a LUN (0..255)", argv[2]);
    if (s->nbreaks == CMD_MAX_BREAKS)
        return cmd_error(s, 0, "too many breakpoints (at most %d)",
                         CMD_MAX_BREAKS);
    b = &s->breaks[s->nbreaks++];
    memset(b, 0, sizeof *b);
    b->id = s->next_break_id++;
    b->kind = (enum cmd_break_kind)k;
    b->value = (unsigned long)v;
    b->enabled = true;
    if (argc == 3)
        snprintf(b->name, sizeof b->name, "%s", argv[2]);
    fprintf(s->out, "breakpoint %d: %s %s\n", b->id, kinds[k], b->name);
    return 0;
}

const struct cmd_entry cmd_break_entry = {
    .name = "break", .alias = "b",
    .usage = "break [routine NAME|srb ID|lock NAME|irql|bugcheck|opcode OP|"
             "lun N]",
    .help = "stop the run at a routine, an SRB, a lock, an IRQL change, a "
            "bug check, an opcode or a LUN; list them",
    .long_help =
        "break routine NAME  entry into NAME (HwStorStartIo, MpHwInterrupt ...)\n"
        "break srb ID        SRB ID changes state\n"
        "break lock NAME     NAME is acquired, spun on or released\n"
        "break irql          any CPU's IRQL changes\n"
        "break bugcheck      the machine bug-checks\n"
        "break opcode OP     a request with CDB opcode OP (0x28, read10 ...)\n"
        "                    enters HwStorBuildIo or StartIo\n"
        "break lun N         a request to LUN N does\n"
        "With no argument, 'break' lists them; 'delete ID' removes one.",
    .exec = break_exec,
};

static int
delete_exec(struct cmd_session *s, int argc, char **argv)
{
    uint64_t id;

    if (argc != 2 || cmd_parse_u64(argv[1], 1, 1u << 30, &id) < 0)
        return cmd_error(s, argc == 2 ? 1 : -1, "expected 'delete ID'");
    for (int i = 0; i < s->nbreaks; i++)
        if ((uint64_t)s->breaks[i].id == id) {
            memmove(&s->breaks[i], &s->breaks[i + 1],
                    (size_t)(s->nbreaks - i - 1) * sizeof s->breaks[0]);
            s->nbreaks--;
            return 0;
        }
    return cmd_error(s, 1, "no breakpoint %s", argv[1]);
}

const struct cmd_entry cmd_delete_entry = {
    .name = "delete", .usage = "delete ID",
    .help = "remove a breakpoint",
    .exec = delete_exec,
};

/* ---------- run, step, until ---------- */

static int
run_exec(struct cmd_session *s, int argc, char **argv)
{
    struct sim_run_limits lim = { 0 };
    sim_time_t t;

    if (cmd_ensure_booted(s) < 0)
        return -EINVAL;
    if (argc == 3 && !strcmp(argv[1], "for")) {
        if (sim_parse_time(argv[2], &t) < 0)
            return cmd_error(s, 2, "'%s' is not a duration (e.g. 10ms)",
                             argv[2]);
        lim.until = sim_now() + t;
    } else if (argc != 1) {
        return cmd_error(s, 1, "expected 'run' or 'run for TIME'");
    }
    cmd_run_machine(s, &lim);
    return 0;
}

const struct cmd_entry cmd_run_entry = {
    .name = "run", .alias = "c", .usage = "run [for TIME]",
    .help = "run until idle, a breakpoint, a bug check, or for a simulated time",
    .exec = run_exec,
};

static int
step_exec(struct cmd_session *s, int argc, char **argv)
{
    struct sim_run_limits lim = { .steps = 1 };
    uint64_t n;

    if (argc > 2)
        return cmd_error(s, 2, "expected 'step [N]'");
    if (argc == 2) {
        if (cmd_parse_u64(argv[1], 1, 100000000, &n) < 0)
            return cmd_error(s, 1, "'%s' is not a step count (1..100000000)",
                             argv[1]);
        lim.steps = n;
    }
    if (cmd_ensure_booted(s) < 0)
        return -EINVAL;
    cmd_run_machine(s, &lim);
    return 0;
}

const struct cmd_entry cmd_step_entry = {
    .name = "step", .alias = "s", .usage = "step [N]",
    .help = "run one trace event (a yield point), or N",
    .exec = step_exec,
};

static int
until_exec(struct cmd_session *s, int argc, char **argv)
{
    struct sim_run_limits lim = { 0 };
    sim_time_t t;

    if (argc != 2 || sim_parse_time(argv[1], &t) < 0)
        return cmd_error(s, argc == 2 ? 1 : -1, "expected 'until TIME' "
                         "(a simulated time such as 2ms)");
    if (cmd_ensure_booted(s) < 0)
        return -EINVAL;
    if (t <= sim_now())
        return cmd_error(s, 1, "%s is not later than now (%.3f us)", argv[1],
                         (double)sim_now() / 1e3);
    lim.until = t;
    cmd_run_machine(s, &lim);
    return 0;
}

const struct cmd_entry cmd_until_entry = {
    .name = "until", .usage = "until TIME",
    .help = "run until an absolute simulated time",
    .exec = until_exec,
};

/* New verifier findings: print them, and a run with findings exits 4
 * unless something worse happened. */
void
cmd_report_findings(struct cmd_session *s)
{
    if (verifier_count() <= s->findings_shown)
        return;
    s->findings_shown = verifier_count();
    verifier_report(s->out);
    if (s->exit_status == CMD_EXIT_OK)
        s->exit_status = CMD_EXIT_FINDINGS;
}
