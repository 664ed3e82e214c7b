/**
 * @file ui.h
 * @brief The console: a session of the command language with panes that
 *        show the machine, key bindings, an animated run, reverse
 *        stepping by deterministic replay, and `screen dump`.
 *
 * Interface: ui_run() is the whole console on the terminal (`storsim` with
 * no arguments). Underneath it, and usable without a terminal (tests,
 * benchmarks), a struct ui_console wraps a struct cmd_session:
 * ui_console_create(), ui_console_load() a scenario or script, then
 * ui_console_exec() command lines -- keys are bound to command lines too,
 * so everything goes through cmd_run_line() -- and ui_console_render()
 * the panes into a struct ui_grid. Only src/ui/term.c talks to the
 * terminal.
 *
 * Reverse stepping: the console logs every command line that can change
 * the machine, with the number of trace events before and after it and
 * the trace hash after it. `back N` throws the machine away, restores the
 * session's configuration as it was when the console started, and runs
 * the log again up to N events before the present, ending with an exact
 * step count. The machine is deterministic, so this lands in exactly the
 * earlier state; the recorded hashes prove it at every command.
 *
 * @code
 * struct cmd_session s;
 * struct ui_console *con;
 * struct ui_grid g;
 * cmd_session_init(&s, stdout, stderr);
 * ui_console_create(&s, false, &con);
 * ui_console_load(con, "default");
 * ui_console_exec(con, "step 100");
 * ui_grid_init(&g, 200, 50);
 * ui_console_render(con, &g);
 * ui_grid_dump(&g, stdout);
 * @endcode
 */
#ifndef STORSIM_UI_H
#define STORSIM_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "storsim/cmd.h"
#include "storsim/ui_grid.h"
#include "storsim/ui_model.h"

/**
 * @addtogroup ui
 * @{
 */

/** @brief Everything the panes are drawn from. */
struct ui_view {
    struct ui_model *m;           /**< the model */
    const struct cmd_session *s;  /**< the session (configuration, stack,
                                       breakpoints) */
    enum ui_pane focus;           /**< the focused pane */
    int zoom;                     /**< the zoomed pane, or -1 */
    sim_time_t tl_bucket;         /**< timeline: simulated ns per column */
    int scroll[UI_PANE_COUNT];    /**< rows each pane is scrolled down from
                                       where it follows the machine
                                       (negative: up); see 'pane scroll' */
    const char *run_state;        /**< e.g. "paused", "running max" */
    const char *stop_text;        /**< the active breakpoint or watch, or "" */
};

/**
 * @brief Draw the status bar and every pane the layout shows into a grid
 *        the size of the screen (the command-line row is left blank).
 * @param[in]     v the view
 * @param[in,out] g the grid
 */
void ui_render(const struct ui_view *v, struct ui_grid *g);

/** @brief A console (opaque). */
struct ui_console;

/**
 * @brief Create a console over a session. The session must not be booted
 *        yet: its configuration now is what `back` rebuilds from.
 * @param[in,out] s           the session; its output is captured by the
 *                            console from now on
 * @param[in]     interactive true on a terminal: `continue` then runs in
 *                            the background, animated, until paused
 * @param[out]    out         the console
 * @return 0, -EBUSY if another console exists, -EINVAL if the session is
 *         already booted, -ENOMEM
 */
int ui_console_create(struct cmd_session *s, bool interactive,
                      struct ui_console **out);

/**
 * @brief Free a console; the session gets its own output streams back
 *        (the machine, if any, stays). NULL is allowed.
 * @param[in] con the console
 */
void ui_console_destroy(struct ui_console *con);

/**
 * @brief The console that exists, for the console's commands.
 * @return it, or NULL (in `storsim shell` and scripts)
 */
struct ui_console *ui_console_active(void);

/**
 * @brief Open a built-in scenario or a script file: run its lines up to
 *        (not including) the first that runs the machine (run, step,
 *        until ...), so that the console starts at the beginning of the
 *        interesting part.
 * @param[in,out] con    the console
 * @param[in]     target a scenario name or a script file
 * @return 0, -ENOENT when it is neither, or a command's error (see
 *         ui_console_message())
 */
int ui_console_load(struct ui_console *con, const char *target);

/**
 * @brief Run one command line as the console's prompt does: through
 *        cmd_run_line(), logged for `back`, its output kept as the message.
 * @param[in,out] con  the console
 * @param[in]     line the line
 * @return 0, or the command's negative errno (the message says why)
 */
int ui_console_exec(struct ui_console *con, const char *line);

/**
 * @brief The message to show under the panes: the last line of output or
 *        the last error.
 * @param[in]  con      the console
 * @param[out] is_error whether it is an error (may be NULL)
 * @return the text ("" if none)
 */
const char *ui_console_message(const struct ui_console *con, bool *is_error);

/**
 * @brief Output of the last command when it was more than one line (help,
 *        show ...), for an overlay; taken once.
 * @param[in,out] con the console
 * @return the text (the caller frees it), or NULL
 */
char *ui_console_take_output(struct ui_console *con);

/**
 * @brief Whether an animated run is in progress.
 * @param[in] con the console
 * @return true while running
 */
bool ui_console_running(const struct ui_console *con);

/**
 * @brief Advance an animated run by one frame's worth of events: at the
 *        `speed` setting, or as many as fit in @p budget host seconds.
 * @param[in,out] con    the console
 * @param[in]     budget host seconds to spend at most (max speed)
 * @return true if the run is still going
 */
bool ui_console_tick(struct ui_console *con, double budget);

/**
 * @brief The pace of animated runs.
 * @param[in] con the console
 * @return events per host second, 0 for as fast as possible
 */
uint64_t ui_console_speed(const struct ui_console *con);

/**
 * @brief Host seconds until the next frame of a speed-limited run.
 * @param[in] con the console
 * @return seconds (0 at max speed or when not running)
 */
double ui_console_frame_wait(const struct ui_console *con);

/**
 * @brief Draw the console's panes into a grid the size of the screen.
 * @param[in,out] con the console
 * @param[in,out] g   the grid
 */
void ui_console_render(struct ui_console *con, struct ui_grid *g);

/**
 * @brief Whether the machine has bug-checked and the report has not been
 *        shown yet; clears the flag.
 * @param[in,out] con the console
 * @return true once per bug check
 */
bool ui_console_take_bugcheck(struct ui_console *con);

/**
 * @brief Draw the full-screen bug-check report (sim_bugcheck_format() and
 *        the SRB's details) into a grid.
 * @param[in,out] con the console
 * @param[in,out] g   the grid
 */
void ui_console_render_bugcheck(struct ui_console *con, struct ui_grid *g);

/**
 * @brief The help text: every key binding and what it runs.
 * @param[in] con the console
 * @return the text (the caller frees it)
 */
char *ui_console_help_text(const struct ui_console *con);

/**
 * @brief The command bound to a key.
 * @param[in] con the console
 * @param[in] key an ncurses key code
 * @return the command line, or NULL
 */
const char *ui_console_binding(const struct ui_console *con, int key);

/**
 * @brief Ask the terminal loop to redraw everything (`screen redraw`,
 *        Ctrl-L).
 * @param[in,out] con the console
 */
void ui_console_request_redraw(struct ui_console *con);

/**
 * @brief Whether a full redraw was requested; clears the request.
 * @param[in,out] con the console
 * @return true once per request
 */
bool ui_console_take_redraw(struct ui_console *con);

/**
 * @brief Tell the console the screen size (for `screen dump` without a
 *        size, and the layout).
 * @param[in,out] con  the console
 * @param[in]     cols width
 * @param[in]     rows height
 */
void ui_console_set_size(struct ui_console *con, int cols, int rows);

/** @name What the console's commands do (src/cmd/cmd_console.c parses them)
 *  Each returns 0, or a negative errno with a message in @p err.
 *  @{ */

/**
 * @brief `continue [for TIME]`: run until a breakpoint, a watch, a bug
 *        check or idle; animated on a terminal.
 * @param[in,out] con    the console
 * @param[in]     span   simulated time to run at most (0: no limit)
 * @param[out]    err    the message on error
 * @param[in]     errlen its size
 * @return 0 or a negative errno
 */
int ui_do_continue(struct ui_console *con, sim_time_t span, char *err,
                   size_t errlen);

/**
 * @brief `next`: run until the followed SRB changes state.
 * @param[in,out] con    the console
 * @param[out]    err    the message on error
 * @param[in]     errlen its size
 * @return 0 or a negative errno
 */
int ui_do_next(struct ui_console *con, char *err, size_t errlen);

/**
 * @brief `finish`: run until the followed CPU's current routine returns.
 * @param[in,out] con    the console
 * @param[out]    err    the message on error
 * @param[in]     errlen its size
 * @return 0 or a negative errno
 */
int ui_do_finish(struct ui_console *con, char *err, size_t errlen);

/** @brief `pause`: stop an animated run. @param[in,out] con the console */
void ui_do_pause(struct ui_console *con);

/**
 * @brief `back [N]`: go back N events by replaying from the start.
 * @param[in,out] con    the console
 * @param[in]     n      events to go back (at least 1)
 * @param[out]    err    the message on error
 * @param[in]     errlen its size
 * @return 0 or a negative errno
 */
int ui_do_back(struct ui_console *con, uint64_t n, char *err, size_t errlen);

/**
 * @brief `goto EVENT`: go to just after event number @p target of this
 *        machine, forwards (stepping, breakpoints ignored) or backwards.
 * @param[in,out] con    the console
 * @param[in]     target the event count to reach
 * @param[out]    err    the message on error
 * @param[in]     errlen its size
 * @return 0 or a negative errno
 */
int ui_do_goto(struct ui_console *con, uint64_t target, char *err,
               size_t errlen);

/**
 * @brief `speed EPS|max`: the pace of an animated run.
 * @param[in,out] con the console
 * @param[in]     eps events per host second, 0 for as fast as possible
 */
void ui_do_speed(struct ui_console *con, uint64_t eps);

/** @brief What a watch stops on (an opcode or a LUN is a breakpoint:
 *         `break opcode`, `break lun`). */
enum ui_watch_kind {
    UI_WATCH_REG,    /**< a register's value (as the driver sees it) changes */
    UI_WATCH_SRB,    /**< a field of one SRB changes */
};

/**
 * @brief `watch ...`: add a watch.
 * @param[in,out] con    the console
 * @param[in]     kind   what it stops on
 * @param[in]     value  the register offset or SRB id
 * @param[in]     field  for UI_WATCH_SRB: "state", "status", "scsi-status"
 *                       or "length"; else NULL
 * @param[out]    err    the message on error
 * @param[in]     errlen its size
 * @return the watch's id, or a negative errno
 */
int ui_do_watch(struct ui_console *con, enum ui_watch_kind kind,
                uint64_t value, const char *field, char *err, size_t errlen);

/**
 * @brief `unwatch ID`: remove a watch.
 * @param[in,out] con the console
 * @param[in]     id  its id
 * @return 0, or -ENOENT
 */
int ui_do_unwatch(struct ui_console *con, int id);

/**
 * @brief `watch` with no arguments: list the watches.
 * @param[in] con the console
 * @param[in] f   where to print
 */
void ui_do_watch_list(const struct ui_console *con, FILE *f);

/**
 * @brief `pane focus|zoom ...`, `pane scale TIME`: the console's view.
 * @param[in,out] con    the console
 * @param[in]     what   "focus", "zoom" or "scale"
 * @param[in]     arg    a pane name, "next", "prev", a time, or NULL
 * @param[out]    err    the message on error
 * @param[in]     errlen its size
 * @return 0 or a negative errno
 */
int ui_do_pane(struct ui_console *con, const char *what, const char *arg,
               char *err, size_t errlen);

/**
 * @brief `select cpu N|auto`, `select srb ID|auto`.
 * @param[in,out] con    the console
 * @param[in]     what   "cpu" or "srb"
 * @param[in]     arg    a number or "auto"
 * @param[out]    err    the message on error
 * @param[in]     errlen its size
 * @return 0 or a negative errno
 */
int ui_do_select(struct ui_console *con, const char *what, const char *arg,
                 char *err, size_t errlen);

/**
 * @brief `screen dump FILE [COLSxROWS]`: render the panes as text.
 * @param[in,out] con    the console
 * @param[in]     path   the file ("-" for the command's output)
 * @param[in]     cols   width (0: the screen's, else 200)
 * @param[in]     rows   height (0: the screen's, else 50)
 * @param[out]    err    the message on error
 * @param[in]     errlen its size
 * @return 0 or a negative errno
 */
int ui_do_dump(struct ui_console *con, const char *path, int cols, int rows,
               char *err, size_t errlen);

/**
 * @brief `bind KEY COMMAND...`: bind a key to a command line.
 * @param[in,out] con    the console
 * @param[in]     key    a key name: "s", "C-l", "F5", "Tab", "Space",
 *                       "Left", "PgUp" ...
 * @param[in]     line   the command line, or NULL to unbind
 * @param[out]    err    the message on error
 * @param[in]     errlen its size
 * @return 0 or a negative errno
 */
int ui_do_bind(struct ui_console *con, const char *key, const char *line,
               char *err, size_t errlen);

/**
 * @brief `keys`: list the key bindings.
 * @param[in] con the console
 * @param[in] f   where to print
 */
void ui_do_keys(const struct ui_console *con, FILE *f);

/** @} */

/**
 * @brief The console on the terminal, until `quit`: opens @p target
 *        (ui_console_load()), then draws the panes, reads keys and the
 *        command line (history in $STORSIM_HISTORY or ~/.storsim_history,
 *        as `storsim shell`), and restores the terminal on exit, on a bug
 *        check and on a crash signal. The machine is torn down before it
 *        returns (the session is left unbooted).
 *
 * The environment: NO_COLOR (set and not empty) asks for the monochrome
 * scheme, as does a terminal without colour; STORSIM_ASCII (not empty)
 * asks for ASCII line drawing, as does a locale that is not UTF-8;
 * STORSIM_HISTORY names the history file; STORSIM_RC names the file of
 * console commands run once the scenario is open (default ~/.storsimrc:
 * key bindings and the like; a failing line is reported with its file and
 * line); STORSIM_SRCDIR says where the sources are for the source pane.
 * @param[in,out] s      a session that is not booted yet
 * @param[in]     target a scenario or script file (NULL: "default")
 * @return an enum cmd_exit status
 */
int ui_run(struct cmd_session *s, const char *target);

/** @} */

#endif /* STORSIM_UI_H */
