/* cmd_misc.c: help, echo, source, quit and scenario, and the table of
 * every command.
 *
 * Interface: cmd_table[] (include/storsim/cmd.h).
 */
#include <errno.h>
#include <string.h>

#include "cmd/cmd_int.h"

static int
help_exec(struct cmd_session *s, int argc, char **argv)
{
    if (argc > 2)
        return cmd_error(s, 2, "expected 'help [COMMAND]'");
    if (argc == 2 && !strcmp(argv[1], "--markdown")) {
        cmd_print_markdown(s->out);
        return 0;
    }
    if (cmd_print_help(s->out, argc == 2 ? argv[1] : NULL) < 0)
        return cmd_error(s, 1, "no command '%s' (try 'help')", argv[1]);
    return 0;
}

const struct cmd_entry cmd_help_entry = {
    .name = "help", .alias = "?", .usage = "help [COMMAND]",
    .help = "list the commands, or explain one",
    .exec = help_exec,
};

static int
echo_exec(struct cmd_session *s, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        fprintf(s->out, "%s%s", argv[i], i + 1 < argc ? " " : "");
    fprintf(s->out, "\n");
    return 0;
}

const struct cmd_entry cmd_echo_entry = {
    .name = "echo", .usage = "echo TEXT...",
    .help = "print a line (for scripts)",
    .exec = echo_exec,
};

static int
source_exec(struct cmd_session *s, int argc, char **argv)
{
    const char *file = s->file;
    int line = s->line, rc;

    if (argc != 2)
        return cmd_error(s, -1, "expected 'source FILE'");
    rc = cmd_run_file(s, argv[1]);
    if (rc == 0) {
        s->file = file;
        s->line = line;
    }
    return rc;
}

const struct cmd_entry cmd_source_entry = {
    .name = "source", .usage = "source FILE",
    .help = "run the commands of a script file",
    .exec = source_exec,
};

static int
quit_exec(struct cmd_session *s, int argc, char **argv)
{
    (void)argc; (void)argv;
    s->quit = true;
    return 0;
}

const struct cmd_entry cmd_quit_entry = {
    .name = "quit", .alias = "q", .usage = "quit",
    .help = "leave (the shell or the console)",
    .exec = quit_exec,
};

static int
scenario_exec(struct cmd_session *s, int argc, char **argv)
{
    const struct cmd_scenario *sc;

    if (argc == 1) {
        for (sc = cmd_scenarios; sc->name != NULL; sc++)
            fprintf(s->out, "  %-20s %s\n", sc->name, sc->summary);
        return 0;
    }
    if (argc != 2)
        return cmd_error(s, 2, "expected 'scenario [NAME]'");
    if ((sc = cmd_scenario_find(argv[1])) == NULL) {
        const char *names[32];
        size_t n = 0;
        for (sc = cmd_scenarios; sc->name != NULL && n < 31; sc++)
            names[n++] = sc->name;
        names[n] = NULL;
        const char *hint = cmd_suggest(argv[1], names);
        return cmd_error(s, 1, "no scenario '%s'%s%s%s ('scenario' lists "
                         "them)", argv[1], hint ? ", did you mean '" : "",
                         hint ? hint : "", hint ? "'?" : "");
    }
    return cmd_run_scenario(s, sc);
}

const struct cmd_entry cmd_scenario_entry = {
    .name = "scenario", .usage = "scenario [NAME]",
    .help = "list the built-in scenarios, or run one",
    .exec = scenario_exec,
};

const struct cmd_entry *const cmd_table[] = {
    &cmd_help_entry, &cmd_set_entry, &cmd_lun_entry, &cmd_bug_entry,
    &cmd_fault_entry, &cmd_boot_entry, &cmd_reset_entry,
    &cmd_workload_entry, &cmd_run_entry, &cmd_step_entry, &cmd_until_entry,
    &cmd_continue_entry, &cmd_next_entry, &cmd_finish_entry,
    &cmd_pause_entry, &cmd_back_entry, &cmd_goto_entry, &cmd_speed_entry,
    &cmd_break_entry, &cmd_delete_entry, &cmd_watch_entry,
    &cmd_unwatch_entry, &cmd_show_entry, &cmd_trace_entry,
    &cmd_select_entry, &cmd_pane_entry, &cmd_screen_entry, &cmd_bind_entry,
    &cmd_unbind_entry, &cmd_keys_entry,
    &cmd_stats_entry, &cmd_scenario_entry, &cmd_verifier_entry,
    &cmd_source_entry,
    &cmd_echo_entry, &cmd_quit_entry, NULL,
};
