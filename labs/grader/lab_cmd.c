/* lab_cmd.c: running command lines for a lab's tests (see lab.h).
 *
 * Interface: lab_run(), lab_output(), lab_end(), and what most labs
 * share: lab_expect_every_request(), lab_expect_no_findings(),
 * lab_default_tests().
 */
#include <stdio.h>
#include <stdlib.h>

#include "labs/grader/lab.h"
#include "storsim/verifier.h"

const char *const lab_default_run[] = {
    "boot", "workload count=2000 qd=8 read=70 timeout=2", "workload start",
    "run", NULL };

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

void
lab_expect_every_request(const struct cmd_session *s, unsigned long long count)
{
    ck_assert_msg(s->have_last, "the workload never finished:\n%s",
                  lab_output());
    ck_assert_msg(s->last.ok && s->last.lost == 0 && s->last.duplicated == 0 &&
                  s->last.all.failed == 0 && s->last.all.requests == count,
                  "%llu of %llu requests completed (%llu failed), %llu lost, "
                  "%llu completed twice: %s",
                  (unsigned long long)s->last.all.requests, count,
                  (unsigned long long)s->last.all.failed,
                  (unsigned long long)s->last.lost,
                  (unsigned long long)s->last.duplicated,
                  s->last.first_problem);
}

void
lab_expect_no_findings(void)
{
    ck_assert_msg(verifier_count() == 0, "the verifier reported %zu "
                  "finding(s); the first: %s: %s", verifier_count(),
                  verifier_count() ? verifier_finding(0)->rule->id : "",
                  verifier_count() ? verifier_finding(0)->why : "");
}

START_TEST(test_every_request_completes_with_its_data)
{
    lab_expect_every_request(lab_run(lab_default_run), 2000);
    lab_end();
}
END_TEST

START_TEST(test_no_verifier_findings)
{
    lab_run(lab_default_run);
    lab_expect_no_findings();
    lab_end();
}
END_TEST

void
lab_default_tests(struct lab *lab, int complete_points,
                  const char *complete_hint, int clean_points,
                  const char *clean_hint)
{
    LAB_TEST(lab, test_every_request_completes_with_its_data,
             complete_points, complete_hint);
    LAB_TEST(lab, test_no_verifier_findings, clean_points, clean_hint);
}
