/**
 * @file cmd.h
 * @brief The command language: one table of commands that the console
 *        line, script files, `storsim shell`, the CLI subcommands and key
 *        bindings all run through.
 *
 * Interface: cmd_session_init() a session, then cmd_run_line() for each
 * line (or cmd_run_file() / cmd_run_stream() for scripts); each returns 0
 * or a negative errno and leaves the message in the session, formatted as
 * "file:line:column: what was wrong". cmd_session_free() at the end.
 *
 * @code
 * struct cmd_session s;
 * cmd_session_init(&s, stdout, stderr);
 * if (cmd_run_line(&s, "set machine.cpus 8", "<cli>", 1) < 0)
 *     fprintf(stderr, "%s\n", s.error);
 * cmd_session_free(&s);
 * @endcode
 */
#ifndef STORSIM_CMD_H
#define STORSIM_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "storsim/stack.h"
#include "storsim/stats.h"
#include "storsim/trace_export.h"
#include "storsim/workload.h"

/**
 * @defgroup cmd Command language
 * @brief Commands, scripts, help and errors with locations.
 * @{
 */

/** @brief Most words in one command line. */
#define CMD_MAX_ARGS 48
/** @brief Most breakpoints at once. */
#define CMD_MAX_BREAKS 32

/** @brief Exit status of the program and of scripts (also in --help). */
enum cmd_exit {
    CMD_EXIT_OK = 0,        /**< success */
    CMD_EXIT_INTEGRITY = 1, /**< the data check failed (lost, duplicated or
                                 corrupted requests) */
    CMD_EXIT_USAGE = 2,     /**< a bad command, option or value */
    CMD_EXIT_BUGCHECK = 3,  /**< the simulated machine bug-checked */
    CMD_EXIT_FINDINGS = 4,  /**< the verifier reported findings */
};

/** @brief What a breakpoint stops on. */
enum cmd_break_kind {
    CMD_BREAK_ROUTINE,  /**< entry into a routine, by name */
    CMD_BREAK_SRB,      /**< any event of one SRB */
    CMD_BREAK_LOCK,     /**< acquire, spin or release of a lock, by name */
    CMD_BREAK_IRQL,     /**< any IRQL change */
    CMD_BREAK_BUGCHECK, /**< a bug check */
    CMD_BREAK_OPCODE,   /**< a request with this CDB opcode reaching BuildIo
                             or StartIo */
    CMD_BREAK_LUN,      /**< a request to this LUN reaching BuildIo or StartIo */
};

/** @brief One breakpoint. */
struct cmd_break {
    int id;                    /**< number shown to the user */
    enum cmd_break_kind kind;  /**< what it stops on */
    char name[48];             /**< routine or lock name */
    unsigned long value;       /**< SRB id, opcode or LUN */
    bool enabled;              /**< whether it is armed */
    unsigned long hits;        /**< times it stopped the run */
};

/** @brief One command session: the configuration being built, the booted
 *         stack, breakpoints, and where output goes. */
struct cmd_session {
    struct stack_config cfg;   /**< what `boot` builds */
    struct wl_spec spec;       /**< what `workload start` runs */
    struct stack *st;          /**< the booted stack, or NULL */
    struct wl *wl;             /**< the running workload, or NULL */
    struct cmd_break breaks[CMD_MAX_BREAKS]; /**< breakpoints */
    int nbreaks;               /**< entries used in @c breaks */
    int next_break_id;         /**< id of the next breakpoint */
    int hit_break;             /**< id of the breakpoint that stopped the run, or 0 */
    FILE *out;                 /**< normal output */
    FILE *err;                 /**< error output */
    FILE *trace_out;           /**< `trace print on`: where events go, or NULL */
    char error[512];           /**< the last error, with its location */
    int exit_status;           /**< enum cmd_exit for the program */
    bool quit;                 /**< `quit` was given */
    bool json;                 /**< summaries as JSON */
    bool quiet;                /**< print no workload summary (compare) */
    struct wl_result last;     /**< the last finished workload's result */
    /** settings applied at boot, after the script's own (for compare) */
    struct { char key[48]; char value[48]; } force[8];
    int nforce;                /**< entries used in @c force */
    bool have_last;            /**< whether @c last is set */
    size_t findings_shown;     /**< verifier findings already printed */
    struct stats *stats;       /**< run statistics of the booted machine */
    struct stats_report *report; /**< the last finished run's statistics */
    char trace_path[256];      /**< export the trace here from boot on ("" = no) */
    FILE *trace_file;          /**< the export's file while it runs */
    struct trace_export *exporter; /**< the running export, or NULL */
    int depth;                 /**< `source` nesting */
    const char *file;          /**< where the current line comes from */
    int line;                  /**< its line number */
    int col[CMD_MAX_ARGS];     /**< 1-based column of each word of the line */
};

/**
 * @brief One command of the table.
 *
 * @c exec gets the words of the line (argv[0] is the command) and returns
 * 0 or a negative errno after cmd_error() said what was wrong; it never
 * exits the program.
 */
struct cmd_entry {
    const char *name;      /**< e.g. "set" */
    const char *alias;     /**< a short form, or NULL */
    const char *usage;     /**< e.g. "set KEY VALUE" */
    const char *help;      /**< one line */
    const char *long_help; /**< paragraphs for `help COMMAND` */
    /** run the command */
    int (*exec)(struct cmd_session *s, int argc, char **argv);
};

/** @brief The command table, NULL-terminated. */
extern const struct cmd_entry *const cmd_table[];

/**
 * @brief Prepare a session with the default configuration.
 * @param[out] s   the session
 * @param[in]  out where normal output goes
 * @param[in]  err where errors go
 */
void cmd_session_init(struct cmd_session *s, FILE *out, FILE *err);

/** @brief Tear down the stack (if booted) and free the session.
 *  @param[in,out] s the session */
void cmd_session_free(struct cmd_session *s);

/**
 * @brief What the `set` command does, for code (the CLI's --set).
 * @param[in,out] s     the session
 * @param[in]     key   e.g. "machine.cpus"
 * @param[in]     value e.g. "8"
 * @return 0, or -EINVAL with s->error naming the key, the value and what
 *         is allowed (with a suggestion for a misspelt key)
 */
int cmd_set_value(struct cmd_session *s, const char *key, const char *value);

/**
 * @brief Run one line: comments (#) and blank lines do nothing.
 * @param[in,out] s      the session
 * @param[in]     line   the text
 * @param[in]     file   where it comes from (for messages), e.g. "<stdin>"
 * @param[in]     lineno its line number
 * @return 0, or a negative errno with s->error set
 */
int cmd_run_line(struct cmd_session *s, const char *line, const char *file,
                 int lineno);

/**
 * @brief Run every line of a stream; stop at the first error.
 * @param[in,out] s    the session
 * @param[in]     f    the stream
 * @param[in]     name its name for messages
 * @return 0, or the first error (s->error names file:line:column)
 */
int cmd_run_stream(struct cmd_session *s, FILE *f, const char *name);

/**
 * @brief Run a script file (cmd_run_stream on the opened file).
 * @param[in,out] s    the session
 * @param[in]     path the file
 * @return 0, -ENOENT if it cannot be opened, or the first error
 */
int cmd_run_file(struct cmd_session *s, const char *path);

/**
 * @brief Record an error about word @p word of the current line, with the
 *        location prefix "file:line:column: ".
 * @param[in,out] s    the session
 * @param[in]     word index of the word (column of its first character),
 *                     or -1 for the line as a whole
 * @param[in]     fmt  printf-style message
 * @return -EINVAL, so that commands can `return cmd_error(...)`
 */
int cmd_error(struct cmd_session *s, int word, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * @brief The candidate nearest to @p word by edit distance, if close
 *        enough to be a likely misspelling.
 * @param[in] word       what was typed
 * @param[in] candidates NULL-terminated list
 * @return the suggestion, or NULL
 */
const char *cmd_suggest(const char *word, const char *const *candidates);

/**
 * @brief Find a command by name or alias.
 * @param[in] name the name
 * @return the entry, or NULL
 */
const struct cmd_entry *cmd_find(const char *name);

/**
 * @brief Print help: the list of commands, or one command in full.
 * @param[in] f    where to print
 * @param[in] name a command, or NULL for the list
 * @return 0, or -ENOENT for an unknown command
 */
int cmd_print_help(FILE *f, const char *name);

/** @brief Write the full command reference as Markdown (for the docs).
 *  @param[in] f where to write */
void cmd_print_markdown(FILE *f);

/**
 * @brief Run the machine, honouring breakpoints; prints why it stopped.
 * @param[in,out] s   the session (booted)
 * @param[in]     lim the limits
 * @return why it stopped
 */
enum sim_stop_reason cmd_run_machine(struct cmd_session *s,
                                     const struct sim_run_limits *lim);

/** @brief A built-in scenario: a name, a line of description, a script. */
struct cmd_scenario {
    const char *name;        /**< e.g. "default" */
    const char *summary;     /**< what it shows, one line */
    const char *script;      /**< the commands, starting with a comment */
};

/** @brief The built-in scenarios, NULL-name-terminated. */
extern const struct cmd_scenario cmd_scenarios[];

/**
 * @brief Find a built-in scenario.
 * @param[in] name its name
 * @return the scenario or NULL
 */
const struct cmd_scenario *cmd_scenario_find(const char *name);

/**
 * @brief Run a built-in scenario's script in a session.
 * @param[in,out] s  the session
 * @param[in]     sc the scenario
 * @return 0 or the first error
 */
int cmd_run_scenario(struct cmd_session *s, const struct cmd_scenario *sc);

/**
 * @brief Run a scenario under SCSI Port, Storport half duplex and Storport
 *        full duplex, each with the per-SRB work in StartIo and in BuildIo
 *        (SCSI Port has no BuildIo), and print one table.
 * @param[in] scenario a built-in scenario name, or NULL for
 *                     "buildio-vs-startio"
 * @param[in] sets     extra "KEY=VALUE" settings for every run (may be NULL)
 * @param[in] nsets    entries in @p sets
 * @param[in] json     print JSON instead of a text table
 * @param[in] out      where the table goes
 * @param[in] err      where errors go
 * @return an enum cmd_exit status
 */
int cmd_compare(const char *scenario, char *const *sets, int nsets, bool json,
                FILE *out, FILE *err);

/** @} */

#endif /* STORSIM_CMD_H */
