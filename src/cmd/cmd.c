/* cmd.c: the command language's core: words, dispatch, errors with their
 * location, suggestions for misspellings, help and the Markdown reference.
 *
 * Interface: include/storsim/cmd.h. The commands themselves live in one
 * file per family (cmd_config.c, cmd_run.c, cmd_show.c, ...), each
 * contributing entries to cmd_table[] (cmd_misc.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/cmd.h"
#include "storsim/physmem.h"
#include "cmd/cmd_int.h"

void
cmd_session_init(struct cmd_session *s, FILE *out, FILE *err)
{
    memset(s, 0, sizeof *s);
    stack_config_default(&s->cfg);
    wl_spec_default(&s->spec);
    s->spec.qd = 8;
    s->spec.count = 20000;
    s->spec.read_pct = 70;
    s->spec.cpus = (1u << s->cfg.machine.ncpus) - 1;
    s->out = out;
    s->err = err;
    s->next_break_id = 1;
    s->file = "<command>";
}

void
cmd_session_free(struct cmd_session *s)
{
    cmd_trace_export_stop(s);
    if (s->stats != NULL) {
        stats_destroy(s->stats);
        s->stats = NULL;
    }
    free(s->report);
    s->report = NULL;
    /* The machine first: a workload in the middle of its run still has
     * events and work items in the machine's queues, which destroying the
     * machine cancels; freed first, they would be cancelled after. */
    if (s->st != NULL) {
        stack_destroy(s->st);
        s->st = NULL;
    }
    if (s->wl != NULL) {
        wl_destroy(s->wl);
        s->wl = NULL;
    }
}

int
cmd_error(struct cmd_session *s, int word, const char *fmt, ...)
{
    int n, col = word >= 0 && word < CMD_MAX_ARGS ? s->col[word] : 1;
    va_list ap;

    if (s->line > 0)
        n = snprintf(s->error, sizeof s->error, "%s:%d:%d: ", s->file,
                     s->line, col > 0 ? col : 1);
    else        /* not from a file: the command line's own option */
        n = snprintf(s->error, sizeof s->error, "%s: ", s->file);
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof s->error)
        vsnprintf(s->error + n, sizeof s->error - (size_t)n, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

/* Edit distance (Levenshtein) between two short words. */
static int
distance(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    int row[64], prev;

    if (la > 62 || lb > 62)
        return 99;
    for (int j = 0; j <= lb; j++)
        row[j] = j;
    for (int i = 1; i <= la; i++) {
        prev = row[0];
        row[0] = i;
        for (int j = 1; j <= lb; j++) {
            int cur = row[j];
            int best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

const char *
cmd_suggest(const char *word, const char *const *candidates)
{
    const char *best = NULL;
    int best_d = 99, limit = (int)strlen(word) / 3 + 1;

    for (const char *const *c = candidates; *c != NULL; c++) {
        int d = distance(word, *c);
        if (d < best_d) {
            best_d = d;
            best = *c;
        }
    }
    return best_d <= (limit < 3 ? limit : 3) ? best : NULL;
}

const struct cmd_entry *
cmd_find(const char *name)
{
    for (const struct cmd_entry *const *e = cmd_table; *e != NULL; e++)
        if (strcmp((*e)->name, name) == 0 ||
            ((*e)->alias != NULL && strcmp((*e)->alias, name) == 0))
            return *e;
    return NULL;
}

static int
unknown_command(struct cmd_session *s, const char *name)
{
    const char *names[128];
    size_t n = 0;
    const char *hint;

    for (const struct cmd_entry *const *e = cmd_table; *e && n < 127; e++)
        names[n++] = (*e)->name;
    names[n] = NULL;
    hint = cmd_suggest(name, names);
    if (hint != NULL)
        return cmd_error(s, 0, "unknown command '%s', did you mean '%s'?",
                         name, hint);
    return cmd_error(s, 0, "unknown command '%s' (try 'help')", name);
}

/* Split a line into words, keeping each word's column. Double quotes group
 * words; '#' outside quotes starts a comment. Modifies buf. */
static int
split(struct cmd_session *s, char *buf, char **argv)
{
    int argc = 0;
    char *p = buf;

    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        if (*p == '\0' || *p == '#')
            return argc;
        if (argc == CMD_MAX_ARGS)
            return cmd_error(s, CMD_MAX_ARGS - 1, "too many words on one line "
                             "(at most %d)", CMD_MAX_ARGS);
        s->col[argc] = (int)(p - buf) + 1;
        if (*p == '"') {
            argv[argc++] = ++p;
            while (*p != '\0' && *p != '"')
                p++;
            if (*p != '"')
                return cmd_error(s, argc - 1, "unterminated quote");
        } else {
            argv[argc++] = p;
            while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r' &&
                   *p != '\n')
                p++;
        }
        if (*p == '\0')
            return argc;
        *p++ = '\0';
    }
}

int
cmd_run_line(struct cmd_session *s, const char *line, const char *file,
             int lineno)
{
    char buf[4096];
    char *argv[CMD_MAX_ARGS + 1];
    const struct cmd_entry *e;
    int argc;

    s->file = file;
    s->line = lineno;
    s->error[0] = '\0';
    if (strlen(line) >= sizeof buf)
        return cmd_error(s, -1, "line too long (at most %zu characters)",
                         sizeof buf - 1);
    strcpy(buf, line);
    argc = split(s, buf, argv);
    if (argc <= 0)
        return argc;
    argv[argc] = NULL;
    e = cmd_find(argv[0]);
    if (e == NULL)
        return unknown_command(s, argv[0]);
    return e->exec(s, argc, argv);
}

int
cmd_run_stream(struct cmd_session *s, FILE *f, const char *name)
{
    char line[4096];
    int lineno = 0, rc;

    while (!s->quit && fgets(line, sizeof line, f) != NULL) {
        lineno++;
        if ((rc = cmd_run_line(s, line, name, lineno)) < 0)
            return rc;
    }
    return 0;
}

int
cmd_run_file(struct cmd_session *s, const char *path)
{
    FILE *f;
    int rc;

    if (s->depth >= 8)
        return cmd_error(s, 1, "scripts nested too deeply (at most 8)");
    f = fopen(path, "r");
    if (f == NULL)
        return cmd_error(s, 1, "cannot open script '%s': %s", path,
                         strerror(errno)), -ENOENT;
    s->depth++;
    rc = cmd_run_stream(s, f, path);
    s->depth--;
    fclose(f);
    return rc;
}

/* ---------- help ---------- */

int
cmd_print_help(FILE *f, const char *name)
{
    const struct cmd_entry *e;

    if (name == NULL) {
        fprintf(f, "Commands (help COMMAND for details):\n");
        for (const struct cmd_entry *const *p = cmd_table; *p; p++)
            fprintf(f, "  %-34s %s\n", (*p)->usage, (*p)->help);
        return 0;
    }
    if ((e = cmd_find(name)) == NULL)
        return -ENOENT;
    fprintf(f, "usage: %s\n\n%s\n", e->usage, e->help);
    if (e->alias != NULL)
        fprintf(f, "(short form: %s)\n", e->alias);
    if (e->long_help != NULL)
        fprintf(f, "\n%s\n", e->long_help);
    return 0;
}

void
cmd_print_markdown(FILE *f)
{
    fprintf(f, "# Command reference {#command_reference}\n\n"
            "Every command works the same in the console line, in script "
            "files, in `storsim shell` and in key bindings. Lines starting "
            "with `#` are comments. Generated by `storsim help --markdown`.\n");
    for (const struct cmd_entry *const *p = cmd_table; *p; p++) {
        const struct cmd_entry *e = *p;
        fprintf(f, "\n## %s\n\n`%s`\n\n%s\n", e->name, e->usage, e->help);
        if (e->alias != NULL)
            fprintf(f, "\nShort form: `%s`.\n", e->alias);
        if (e->long_help != NULL)
            fprintf(f, "\n```\n%s\n```\n", e->long_help);
    }
}
