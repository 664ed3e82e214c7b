/* cmd_int.h: what the command families share inside src/cmd. */
#ifndef STORSIM_CMD_INT_H
#define STORSIM_CMD_INT_H

#include <stdint.h>

#include "storsim/cmd.h"

/* Parsers for values, with the allowed forms: on/off/yes/no/1/0, and
 * numbers with an optional k/M/G/T suffix (powers of 1024). */
int cmd_parse_bool(const char *v, bool *out);
int cmd_parse_u64(const char *v, uint64_t lo, uint64_t hi, uint64_t *out);

/* Boot the configured stack if it is not booted yet. */
int cmd_ensure_booted(struct cmd_session *s);

/* Close a finished workload: print its result, set the exit status. */
void cmd_finish_workload(struct cmd_session *s, enum sim_stop_reason why);

/* Start or stop the Chrome trace export of the session. */
int cmd_trace_export_start(struct cmd_session *s, const char *path);
void cmd_trace_export_stop(struct cmd_session *s);

/* Print new verifier findings and set the exit status. */
void cmd_report_findings(struct cmd_session *s);

/* Whether an event hits an enabled breakpoint (its hit count and
 * s->hit_break are updated); the matcher of run, step and the console. */
bool cmd_break_match(struct cmd_session *s, const struct sim_trace_event *ev);

/* Print the bug-check report and set the exit status. */
void cmd_report_bugcheck(struct cmd_session *s);

extern const struct cmd_entry cmd_set_entry, cmd_lun_entry, cmd_bug_entry,
    cmd_fault_entry, cmd_boot_entry, cmd_reset_entry, cmd_run_entry,
    cmd_step_entry, cmd_until_entry, cmd_break_entry, cmd_delete_entry,
    cmd_workload_entry, cmd_show_entry, cmd_trace_entry, cmd_help_entry,
    cmd_echo_entry, cmd_source_entry, cmd_quit_entry, cmd_scenario_entry,
    cmd_verifier_entry, cmd_stats_entry;

/* The console's commands (cmd_console.c). */
extern const struct cmd_entry cmd_continue_entry, cmd_next_entry,
    cmd_finish_entry, cmd_pause_entry, cmd_back_entry, cmd_goto_entry,
    cmd_speed_entry, cmd_watch_entry, cmd_unwatch_entry, cmd_select_entry,
    cmd_pane_entry, cmd_screen_entry, cmd_bind_entry, cmd_unbind_entry,
    cmd_keys_entry;

#endif /* STORSIM_CMD_INT_H */
