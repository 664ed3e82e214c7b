/* main.c: the storsim program: its subcommands, all of which run through
 * the command language (src/cmd).
 *
 *   storsim                    the console on the default scenario (on a
 *                              terminal; headless when output is not one)
 *   storsim run [SCENARIO|FILE] [--set KEY=VALUE]... [--json] [--trace]
 *                              the console on a terminal without --json or
 *                              --trace, else headless
 *   storsim compare [SCENARIO] [--set KEY=VALUE]... [--json]
 *   storsim shell [FILE...]    the libedit REPL (after running the files)
 *   storsim scenarios          the built-in scenarios
 *   storsim synth [--set ...]  the synthetic workload on the bare machine
 *   storsim cdb ...            one raw CDB to a disk
 *   storsim help [COMMAND|--markdown]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storsim/cmd.h"
#include "storsim/hba.h"
#include "storsim/hist.h"
#include "storsim/mouse.h"
#include "storsim/shell.h"
#include "storsim/synth.h"
#include "storsim/trace.h"
#include "storsim/ui.h"

#define STORSIM_VERSION "0.2.0"

static void
usage(FILE *f)
{
    fprintf(f,
        "usage: storsim [run [SCENARIO|FILE]] [--set KEY=VALUE]... [--json]\n"
        "               [--trace]\n"
        "       storsim compare [SCENARIO] [--set KEY=VALUE]... [--json]\n"
        "       storsim trace [SCENARIO|FILE] -o FILE [--set KEY=VALUE]...\n"
        "       storsim shell [FILE...]\n"
        "       storsim scenarios\n"
        "       storsim synth [--set KEY=VALUE]...\n"
        "       storsim cdb [--lun N] [--data-out HEX...] [--response-hex |\n"
        "               --sense-hex] HEXBYTES...\n"
        "       storsim help [COMMAND | --markdown]\n"
        "       storsim --help | --version\n"
        "\n"
        "run       runs a built-in scenario (default: 'default') or a script\n"
        "          file headless and prints the summary; on a terminal,\n"
        "          without --json or --trace, opens the console on it\n"
        "          instead (so does 'storsim' alone)\n"
        "compare   runs a scenario under SCSI Port and Storport half and full\n"
        "          duplex, with the per-SRB work in StartIo and in BuildIo\n"
        "trace     runs a scenario and writes its trace as Chrome trace JSON\n"
        "          (Perfetto, chrome://tracing)\n"
        "shell     a command line over the same commands (try 'help')\n"
        "--set     the keys of the 'set' command, e.g. machine.cpus=8,\n"
        "          miniport.work=startio, workload.qd=16 ('storsim help set')\n"
        "\n"
        "exit status: 0 success; 1 the data check failed (lost, duplicated\n"
        "or corrupted requests); 2 bad usage, command or value; 3 the\n"
        "simulated machine bug-checked (the report is printed); 4 the\n"
        "verifier reported findings\n");
}

/* --set KEY=VALUE through the 'set' command's checks. */
static int
apply_set(struct cmd_session *s, const char *kv)
{
    char key[128];
    const char *eq = strchr(kv, '=');

    s->file = kv;
    s->line = 0;
    if (eq == NULL || eq == kv || (size_t)(eq - kv) >= sizeof key) {
        fprintf(stderr, "storsim: --set '%s': expected KEY=VALUE\n", kv);
        return -EINVAL;
    }
    memcpy(key, kv, (size_t)(eq - kv));
    key[eq - kv] = '\0';
    if (cmd_set_value(s, key, eq + 1) < 0) {
        fprintf(stderr, "storsim: --set %s\n", s->error);
        return -EINVAL;
    }
    /* The command line wins over the scenario's own settings: apply it
     * again at boot and when the workload starts. */
    if (s->nforce < 8) {
        snprintf(s->force[s->nforce].key, sizeof s->force[0].key, "%.47s", key);
        snprintf(s->force[s->nforce].value, sizeof s->force[0].value, "%.47s",
                 eq + 1);
        s->nforce++;
    }
    return 0;
}

static void
print_json_small(const struct cmd_session *s)
{
    const struct wl_result *r = &s->last;

    printf("{\"ok\": %s, \"requests\": %llu, \"iops\": %.1f, \"mbps\": %.3f, "
           "\"lat_mean_ns\": %.1f, \"lat_p50_ns\": %llu, \"lat_p90_ns\": %llu, "
           "\"lat_p99_ns\": %llu, \"lat_p999_ns\": %llu, \"lat_max_ns\": %llu, "
           "\"lost\": %llu, \"duplicated\": %llu, \"corrupted\": %llu, "
           "\"failed\": %llu, \"elapsed_ns\": %llu, \"trace_events\": %llu, "
           "\"trace_hash\": \"%016llx\"}\n",
           r->ok ? "true" : "false", (unsigned long long)r->all.requests,
           r->all.iops, r->all.mbps, r->all.lat_mean,
           (unsigned long long)r->all.p50, (unsigned long long)r->all.p90,
           (unsigned long long)r->all.p99, (unsigned long long)r->all.p999,
           (unsigned long long)r->all.lat_max, (unsigned long long)r->lost,
           (unsigned long long)r->duplicated, (unsigned long long)r->corrupted,
           (unsigned long long)r->srb_failed, (unsigned long long)r->elapsed,
           (unsigned long long)sim_trace_count(),
           (unsigned long long)sim_trace_hash());
}

static int
run_target(struct cmd_session *s, const char *target)
{
    const struct cmd_scenario *sc = cmd_scenario_find(target);

    if (sc != NULL)
        return cmd_run_scenario(s, sc);
    if (access(target, R_OK) == 0)
        return cmd_run_file(s, target);
    {
        const char *names[32];
        size_t n = 0;
        for (sc = cmd_scenarios; sc->name != NULL && n < 31; sc++)
            names[n++] = sc->name;
        names[n] = NULL;
        const char *hint = cmd_suggest(target, names);
        snprintf(s->error, sizeof s->error, "'%s' is neither a built-in "
                 "scenario nor a readable script file%s%s%s", target,
                 hint ? "; did you mean '" : " (storsim scenarios lists them)",
                 hint ? hint : "", hint ? "'?" : "");
    }
    return -ENOENT;
}

/* Options shared by run and compare; returns the index of the first word
 * that is not an option, or -1 after an error. */
static int
parse_common(int argc, char **argv, struct cmd_session *s, bool *json,
             char **sets, int *nsets)
{
    int i, first = -1;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            *json = true;
        } else if (!strcmp(argv[i], "--trace")) {
            s->trace_out = stdout;
        } else if (!strcmp(argv[i], "--set") && i + 1 < argc) {
            if (*nsets < 16)
                sets[(*nsets)++] = argv[i + 1];
            if (apply_set(s, argv[++i]) < 0)
                return -1;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "storsim: unknown option '%s' (try --help)\n",
                    argv[i]);
            return -1;
        } else if (first < 0) {
            first = i;
        } else {
            fprintf(stderr, "storsim: unexpected '%s' (try --help)\n", argv[i]);
            return -1;
        }
    }
    return first < 0 ? 0 : first;
}

static int
cli_run(int argc, char **argv)
{
    struct cmd_session s;
    char *sets[16];
    int nsets = 0, first, status;
    bool json = false;

    cmd_session_init(&s, stdout, stderr);
    if ((first = parse_common(argc, argv, &s, &json, sets, &nsets)) < 0)
        return CMD_EXIT_USAGE;
    s.quiet = json;
    if (json)
        s.out = stderr;         /* stdout carries the JSON alone */
    if (!json && s.trace_out == NULL && isatty(STDOUT_FILENO) &&
        isatty(STDIN_FILENO)) {          /* on a terminal: the console */
        status = ui_run(&s, first > 0 ? argv[first] : "default");
        cmd_session_free(&s);
        return status;
    }
    if (run_target(&s, first > 0 ? argv[first] : "default") < 0) {
        fprintf(stderr, "storsim: %s\n", s.error);
        cmd_session_free(&s);
        return CMD_EXIT_USAGE;
    }
    if (json && s.report != NULL)
        stats_print_json(s.report, stdout);
    else if (json && s.have_last)
        print_json_small(&s);
    status = s.exit_status;
    cmd_session_free(&s);
    return status;
}

/* storsim trace [SCENARIO|FILE] -o FILE [--set KEY=VALUE]... */
static int
cli_trace(int argc, char **argv)
{
    struct cmd_session s;
    const char *target = "default", *path = NULL;
    int status;

    cmd_session_init(&s, stdout, stderr);
    s.quiet = true;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            path = argv[++i];
        } else if (!strcmp(argv[i], "--set") && i + 1 < argc) {
            if (apply_set(&s, argv[++i]) < 0) {
                cmd_session_free(&s);
                return CMD_EXIT_USAGE;
            }
        } else if (argv[i][0] != '-') {
            target = argv[i];
        } else {
            fprintf(stderr, "storsim trace: unknown option '%s'\n", argv[i]);
            cmd_session_free(&s);
            return CMD_EXIT_USAGE;
        }
    }
    if (path == NULL) {
        fprintf(stderr, "storsim trace: expected -o FILE\n");
        cmd_session_free(&s);
        return CMD_EXIT_USAGE;
    }
    snprintf(s.trace_path, sizeof s.trace_path, "%s", path);
    if (run_target(&s, target) < 0) {
        fprintf(stderr, "storsim: %s\n", s.error);
        cmd_session_free(&s);
        return CMD_EXIT_USAGE;
    }
    status = s.exit_status;
    cmd_session_free(&s);
    fprintf(stderr, "storsim trace: wrote %s (open it in ui.perfetto.dev or "
            "chrome://tracing)\n", path);
    return status;
}

static int
cli_compare(int argc, char **argv)
{
    struct cmd_session s;
    char *sets[16];
    int nsets = 0, first;
    bool json = false;

    cmd_session_init(&s, stdout, stderr);   /* only to check the --set keys */
    first = parse_common(argc, argv, &s, &json, sets, &nsets);
    cmd_session_free(&s);
    if (first < 0)
        return CMD_EXIT_USAGE;
    return cmd_compare(first > 0 ? argv[first] : NULL, sets, nsets, json,
                       stdout, stderr);
}

static int
cli_shell(int argc, char **argv)
{
    struct cmd_session s;
    int status;

    cmd_session_init(&s, stdout, stderr);
    for (int i = 1; i < argc; i++)
        if (cmd_run_file(&s, argv[i]) < 0) {
            fprintf(stderr, "%s\n", s.error);
            cmd_session_free(&s);
            return CMD_EXIT_USAGE;
        }
    status = shell_run(&s);
    cmd_session_free(&s);
    return status;
}

static int
cli_synth(int argc, char **argv)
{
    struct sim_config cfg;
    struct sim_synth_config w;
    char err[256];
    int rc = CMD_EXIT_OK;

    sim_config_default(&cfg);
    sim_synth_config_default(&w);
    for (int i = 1; i < argc; i++) {
        const char *kv = i + 1 < argc ? argv[i + 1] : "";
        const char *eq = strchr(kv, '=');
        char key[64];

        if (strcmp(argv[i], "--set") || eq == NULL ||
            (size_t)(eq - kv) >= sizeof key) {
            fprintf(stderr, "storsim synth: expected --set KEY=VALUE\n");
            return CMD_EXIT_USAGE;
        }
        memcpy(key, kv, (size_t)(eq - kv));
        key[eq - kv] = '\0';
        if (sim_config_set(&cfg, key, eq + 1, err, sizeof err) < 0) {
            fprintf(stderr, "storsim synth: --set %s\n", err);
            return CMD_EXIT_USAGE;
        }
        i++;
    }
    if (sim_create(&cfg, err, sizeof err) < 0) {
        fprintf(stderr, "storsim synth: %s\n", err);
        return CMD_EXIT_USAGE;
    }
    sim_synth_start(&w);
    if (sim_run(NULL) == SIM_STOP_BUGCHECK) {
        char report[2048];
        sim_bugcheck_format(sim_bugcheck_info(), report, sizeof report);
        fputs(report, stdout);
        rc = CMD_EXIT_BUGCHECK;
    } else {
        sim_synth_print_summary(stdout);
    }
    sim_synth_stop();
    sim_destroy();
    return rc;
}

static int
cli_help(int argc, char **argv)
{
    if (argc < 2) {
        usage(stdout);
        printf("\n");
        cmd_print_help(stdout, NULL);
        return CMD_EXIT_OK;
    }
    if (!strcmp(argv[1], "--markdown")) {
        cmd_print_markdown(stdout);
        return CMD_EXIT_OK;
    }
    if (cmd_print_help(stdout, argv[1]) < 0) {
        fprintf(stderr, "storsim help: no command '%s'\n", argv[1]);
        return CMD_EXIT_USAGE;
    }
    return CMD_EXIT_OK;
}

int
main(int argc, char **argv)
{
    if (argc < 2)
        return cli_run(argc, argv);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return CMD_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("storsim %s\n", STORSIM_VERSION);
        return CMD_EXIT_OK;
    }
    if (!strcmp(argv[1], "run"))
        return cli_run(argc - 1, argv + 1);
    if (!strcmp(argv[1], "compare"))
        return cli_compare(argc - 1, argv + 1);
    if (!strcmp(argv[1], "shell"))
        return cli_shell(argc - 1, argv + 1);
    if (!strcmp(argv[1], "trace"))
        return cli_trace(argc - 1, argv + 1);
    if (!strcmp(argv[1], "synth"))
        return cli_synth(argc - 1, argv + 1);
    if (!strcmp(argv[1], "help"))
        return cli_help(argc - 1, argv + 1);
    if (!strcmp(argv[1], "cdb"))
        return hba_cdb_main(argc - 1, argv + 1);
    if (!strcmp(argv[1], "scenarios")) {
        for (const struct cmd_scenario *sc = cmd_scenarios; sc->name; sc++)
            printf("%-20s %s\n", sc->name, sc->summary);
        return CMD_EXIT_OK;
    }
    if (argv[1][0] == '-')       /* `storsim --set ...`: options of run */
        return cli_run(argc, argv);
    fprintf(stderr, "storsim: unknown command '%s' (try --help)\n", argv[1]);
    return CMD_EXIT_USAGE;
}
