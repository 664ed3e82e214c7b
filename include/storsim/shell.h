/**
 * @file shell.h
 * @brief `storsim shell`: a libedit command line over the command
 *        language, for scripts, screen readers and people who prefer a REPL.
 */
#ifndef STORSIM_SHELL_H
#define STORSIM_SHELL_H

#include "storsim/cmd.h"

/**
 * @defgroup shell Shell
 * @brief The plain REPL.
 * @{
 */

/**
 * @brief Read commands until end of input or `quit`. On a terminal it uses
 *        libedit: line editing, a history kept in $STORSIM_HISTORY or
 *        ~/.storsim_history, tab completion from the command table, and the
 *        user's EDITRC. With piped input it reads plain lines. An error is
 *        printed with its location and the shell goes on.
 * @param[in,out] s the session
 * @return an enum cmd_exit: the session's status, or CMD_EXIT_USAGE if a
 *         command failed and nothing worse happened
 */
int shell_run(struct cmd_session *s);

/** @} */

#endif /* STORSIM_SHELL_H */
