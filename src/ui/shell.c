/* shell.c: `storsim shell`, a libedit REPL over the command language.
 *
 * Interface: shell_run() (include/storsim/shell.h).
 */
#include <histedit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storsim/shell.h"

static const char *
prompt(EditLine *el)
{
    (void)el;
    return "storsim> ";
}

/* Complete the first word from the command names; list them if several. */
static unsigned char
complete(EditLine *el, int ch)
{
    const LineInfo *li = el_line(el);
    const char *start = li->cursor, *match = NULL;
    size_t len;
    int n = 0;

    (void)ch;
    while (start > li->buffer && start[-1] != ' ')
        start--;
    if (start != li->buffer)
        return CC_ERROR;           /* only command names are completed */
    len = (size_t)(li->cursor - start);
    for (const struct cmd_entry *const *e = cmd_table; *e; e++)
        if (strncmp((*e)->name, start, len) == 0) {
            match = (*e)->name;
            n++;
        }
    if (n == 1) {
        el_insertstr(el, match + len);
        el_insertstr(el, " ");
        return CC_REFRESH;
    }
    if (n > 1) {
        fprintf(stdout, "\n");
        for (const struct cmd_entry *const *e = cmd_table; *e; e++)
            if (strncmp((*e)->name, start, len) == 0)
                fprintf(stdout, "%s  ", (*e)->name);
        fprintf(stdout, "\n");
        return CC_REDISPLAY;
    }
    return CC_ERROR;
}

static void
history_path(char *buf, size_t len)
{
    const char *env = getenv("STORSIM_HISTORY"), *home = getenv("HOME");

    if (env != NULL && *env != '\0')
        snprintf(buf, len, "%s", env);
    else
        snprintf(buf, len, "%s/.storsim_history", home ? home : ".");
}

static int
run_one(struct cmd_session *s, const char *line, const char *file, int n,
        bool *failed)
{
    if (cmd_run_line(s, line, file, n) < 0) {
        fprintf(s->err, "%s\n", s->error);
        *failed = true;
    }
    return 0;
}

static int
status_of(struct cmd_session *s, bool failed)
{
    if (s->exit_status != CMD_EXIT_OK)
        return s->exit_status;
    return failed ? CMD_EXIT_USAGE : CMD_EXIT_OK;
}

static int
piped(struct cmd_session *s)
{
    char line[4096];
    int n = 0;
    bool failed = false;

    while (!s->quit && fgets(line, sizeof line, stdin) != NULL)
        run_one(s, line, "<stdin>", ++n, &failed);
    return status_of(s, failed);
}

int
shell_run(struct cmd_session *s)
{
    EditLine *el;
    History *h;
    HistEvent ev;
    char path[1024];
    const char *line;
    int count, n = 0;
    bool failed = false;

    if (!isatty(STDIN_FILENO))
        return piped(s);
    el = el_init("storsim", stdin, stdout, stderr);
    h = history_init();
    history(h, &ev, H_SETSIZE, 1000);
    history_path(path, sizeof path);
    history(h, &ev, H_LOAD, path);
    el_set(el, EL_PROMPT, prompt);
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_HIST, history, h);
    el_set(el, EL_ADDFN, "storsim-complete", "complete a command", complete);
    el_set(el, EL_BIND, "^I", "storsim-complete", NULL);
    el_source(el, NULL);   /* $EDITRC or ~/.editrc */
    fprintf(stdout, "storsim shell: 'help' lists the commands, 'quit' leaves\n");
    while (!s->quit && (line = el_gets(el, &count)) != NULL) {
        if (strspn(line, " \t\r\n") != strlen(line))
            history(h, &ev, H_ENTER, line);
        run_one(s, line, "<shell>", ++n, &failed);
    }
    history(h, &ev, H_SAVE, path);
    history_end(h);
    el_end(el);
    return status_of(s, failed);
}
