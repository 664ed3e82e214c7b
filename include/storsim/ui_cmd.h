/**
 * @file ui_cmd.h
 * @brief What the console needs from the command language to run the
 *        machine its own way: with a stop condition of its own besides the
 *        breakpoints, for an exact number of events (reverse stepping),
 *        and the bookkeeping a run ends with.
 *
 * Interface: implemented in src/cmd/cmd_console.c, next to the console's
 * commands (continue, next, finish, back, goto, watch, pane, screen ...),
 * because they use the command language's internals (booting, the
 * workload's summary, the bug-check report). cmd_run_machine() in cmd.h
 * is the same run for the other commands.
 */
#ifndef STORSIM_UI_CMD_H
#define STORSIM_UI_CMD_H

#include <stdbool.h>
#include <stdint.h>

#include "storsim/cmd.h"

/**
 * @addtogroup ui
 * @{
 */

/**
 * @brief Boot the session's machine if it is not booted.
 * @param[in,out] s the session
 * @return 0, or a negative errno with s->error set
 */
int cmd_console_boot(struct cmd_session *s);

/**
 * @brief Tear down the session's machine and workload, the machine first
 *        (safe while a workload is in the middle of its run).
 * @param[in,out] s the session
 */
void cmd_console_free(struct cmd_session *s);

/**
 * @brief Whether an event matches one of the session's enabled
 *        breakpoints; counts the hit and sets s->hit_break if so.
 * @param[in,out] s  the session
 * @param[in]     ev the event
 * @return true on a match
 */
bool cmd_console_break_match(struct cmd_session *s,
                             const struct sim_trace_event *ev);

/**
 * @brief Run the booted machine until a limit, a breakpoint or the
 *        caller's own predicate (lim->match) stops it. Prints nothing and
 *        does none of the bookkeeping of the end of a run: call
 *        cmd_console_after() for that.
 * @param[in,out] s      the session (booted)
 * @param[in]     lim    the limits and the caller's predicate (may be NULL)
 * @param[out]    events trace events the run took (may be NULL)
 * @return why it stopped; SIM_STOP_MATCH with s->hit_break set for a
 *         breakpoint, with s->hit_break 0 for the caller's predicate
 */
enum sim_stop_reason cmd_console_advance(struct cmd_session *s,
                                         const struct sim_run_limits *lim,
                                         uint64_t *events);

/**
 * @brief What the end of a run does: after a bug check, print the report
 *        and set the exit status; when the machine went idle with a
 *        workload, print its summary and close it; then print new
 *        verifier findings.
 * @param[in,out] s   the session
 * @param[in]     why why the run stopped
 */
void cmd_console_after(struct cmd_session *s, enum sim_stop_reason why);

/**
 * @brief Run exactly @p n events, breakpoints ignored (reverse stepping
 *        replays with this).
 * @param[in,out] s the session (booted)
 * @param[in]     n events (0 does nothing)
 * @return why it stopped (SIM_STOP_STEPS when all @p n ran)
 */
enum sim_stop_reason cmd_console_step_exact(struct cmd_session *s,
                                            uint64_t n);

/** @} */

#endif /* STORSIM_UI_CMD_H */
