/* lab_cmd.c: running command lines for a lab's tests (see lab.h).
 *
 * Interface: lab_run(), lab_output(), lab_end().
 */
#include <stdio.h>
#include <stdlib.h>

#include "labs/grader/lab.h"

static struct cmd_session session;
static FILE *out;
static char *text;
static size_t len;
static int open;

struct cmd_session *
lab_run(const char *const *lines)
{
    lab_end();
    out = open_memstream(&text, &len);
    if (out == NULL)
        ck_abort_msg("no memory for the session's output");
    cmd_session_init(&session, out, out);
    open = 1;
    for (int i = 0; lines[i] != NULL; i++)
        if (cmd_run_line(&session, lines[i], "lab", i + 1) != 0)
            break;      /* a bug check or an error: the test says which */
    fflush(out);
    return &session;
}

const char *
lab_output(void)
{
    return text != NULL ? text : "";
}

void
lab_end(void)
{
    if (!open)
        return;
    cmd_session_free(&session);
    fclose(out);
    free(text);
    text = NULL;
    open = 0;
}
