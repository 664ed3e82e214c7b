/* grade.c: the lab grader. Runs a lab's Check tests, each in its own
 * process, and reports them four ways: a line per test and "Score: x/y" on
 * standard output, and results.json (Gradescope), results.tap (TAP 13) and
 * results.xml (JUnit) in the directory given as its argument.
 *
 * Interface: `grade [OUTDIR]`, linked with one lab's tests.c (see lab.h)
 * and the simulator built around the student's file. Exit status: 0 when
 * every test passed, 1 when some failed, 2 when the grader itself could
 * not run or write its results.
 *
 * Grading is deterministic: the tests count simulated time only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labs/grader/lab.h"

#define LAB_MAX_TESTS 32

struct lab_entry {
    const char *name;
    int points;
    const char *hint;
    int passed;                 /* -1 until the run reports it */
    const char *message;        /* Check's message when it failed */
};

struct lab {
    Suite *suite;
    int ntests;
    struct lab_entry tests[LAB_MAX_TESTS];
};

TCase *
lab_tcase(struct lab *lab, const char *name, int points, const char *hint)
{
    TCase *tc = tcase_create(name);
    struct lab_entry *e;

    if (lab->ntests == LAB_MAX_TESTS) {
        fprintf(stderr, "grade: more than %d tests\n", LAB_MAX_TESTS);
        exit(2);
    }
    e = &lab->tests[lab->ntests++];
    e->name = name;
    e->points = points;
    e->hint = hint;
    e->passed = -1;
    /* Simulated time bounds every test; this is only a guard against a
     * student's routine that never returns (the machine's own watchdog
     * catches that first). */
    tcase_set_timeout(tc, 120);
    suite_add_tcase(lab->suite, tc);
    return tc;
}

static struct lab_entry *
entry_of(struct lab *lab, const char *name)
{
    for (int i = 0; i < lab->ntests; i++)
        if (strcmp(lab->tests[i].name, name) == 0)
            return &lab->tests[i];
    return NULL;
}

/* Write s with the characters JSON or XML would mind escaped. */
static void
put_escaped(FILE *f, const char *s, int xml)
{
    for (; s != NULL && *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (xml && c == '<')
            fputs("&lt;", f);
        else if (xml && c == '>')
            fputs("&gt;", f);
        else if (xml && c == '&')
            fputs("&amp;", f);
        else if (xml && c == '"')
            fputs("&quot;", f);
        else if (!xml && (c == '"' || c == '\\'))
            fprintf(f, "\\%c", c);
        else if (!xml && c == '\n')
            fputs("\\n", f);
        else if (c < 0x20 && c != '\n')
            fputc(' ', f);
        else
            fputc(c, f);
    }
}

static FILE *
open_out(const char *dir, const char *file)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, file);
    if ((f = fopen(path, "w")) == NULL) {
        fprintf(stderr, "grade: cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
    return f;
}

static void
close_out(FILE *f, const char *file)
{
    if (ferror(f) || fclose(f) != 0) {
        fprintf(stderr, "grade: error writing %s\n", file);
        exit(2);
    }
}

static void
write_json(const struct lab *lab, const char *dir, int score, int max)
{
    FILE *f = open_out(dir, "results.json");

    fprintf(f, "{\n  \"score\": %d,\n  \"max_score\": %d,\n"
            "  \"tests\": [", score, max);
    for (int i = 0; i < lab->ntests; i++) {
        const struct lab_entry *e = &lab->tests[i];
        fprintf(f, "%s\n    {\"name\": \"", i ? "," : "");
        put_escaped(f, e->name, 0);
        fprintf(f, "\", \"score\": %d, \"max_score\": %d, \"status\": \"%s\"",
                e->passed == 1 ? e->points : 0, e->points,
                e->passed == 1 ? "passed" : "failed");
        if (e->passed != 1) {
            fputs(", \"output\": \"", f);
            put_escaped(f, e->message, 0);
            fputs("\\nHint: ", f);
            put_escaped(f, e->hint, 0);
            fputc('"', f);
        }
        fputc('}', f);
    }
    fputs("\n  ]\n}\n", f);
    close_out(f, "results.json");
}

static void
write_tap(const struct lab *lab, const char *dir)
{
    FILE *f = open_out(dir, "results.tap");

    fprintf(f, "TAP version 13\n1..%d\n", lab->ntests);
    for (int i = 0; i < lab->ntests; i++) {
        const struct lab_entry *e = &lab->tests[i];
        fprintf(f, "%s %d - %s (%d point%s)\n",
                e->passed == 1 ? "ok" : "not ok", i + 1, e->name, e->points,
                e->points == 1 ? "" : "s");
        if (e->passed != 1)
            fprintf(f, "  ---\n  message: \"%s\"\n  hint: \"%s\"\n  ...\n",
                    e->message ? e->message : "", e->hint);
    }
    close_out(f, "results.tap");
}

static void
write_junit(const struct lab *lab, const char *dir, int failed)
{
    FILE *f = open_out(dir, "results.xml");

    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\">\n", lab_name,
            lab->ntests, failed);
    for (int i = 0; i < lab->ntests; i++) {
        const struct lab_entry *e = &lab->tests[i];
        fprintf(f, "  <testcase classname=\"%s\" name=\"%s\"", lab_name,
                e->name);
        if (e->passed == 1) {
            fputs("/>\n", f);
            continue;
        }
        fputs(">\n    <failure message=\"", f);
        put_escaped(f, e->message, 1);
        fputs("\">Hint: ", f);
        put_escaped(f, e->hint, 1);
        fputs("</failure>\n  </testcase>\n", f);
    }
    fputs("</testsuite>\n", f);
    close_out(f, "results.xml");
}

int
main(int argc, char **argv)
{
    static struct lab lab;
    const char *dir = argc > 1 ? argv[1] : ".";
    SRunner *sr;
    TestResult **results;
    int n, score = 0, max = 0, failed = 0;

    lab.suite = suite_create(lab_name);
    lab_register(&lab);
    sr = srunner_create(lab.suite);
    srunner_set_fork_status(sr, CK_FORK);     /* a crash fails one test */
    srunner_run_all(sr, CK_SILENT);
    n = srunner_ntests_run(sr);
    results = srunner_results(sr);
    for (int i = 0; i < n; i++) {
        struct lab_entry *e = entry_of(&lab, tr_tcname(results[i]));
        if (e == NULL)
            continue;
        if (tr_rtype(results[i]) == CK_PASS) {
            if (e->passed != 0)
                e->passed = 1;
        } else {
            e->passed = 0;
            e->message = tr_msg(results[i]);
        }
    }
    printf("%s\n", lab_name);
    for (int i = 0; i < lab.ntests; i++) {
        struct lab_entry *e = &lab.tests[i];
        int got = e->passed == 1 ? e->points : 0;
        if (e->passed != 1) {
            failed++;
            if (e->message == NULL)
                e->message = "the test did not run";
        }
        score += got;
        max += e->points;
        printf("  %-4s %-44s %d/%d\n", e->passed == 1 ? "PASS" : "FAIL",
               e->name, got, e->points);
        if (e->passed != 1)
            printf("       why:  %s\n       hint: %s\n", e->message, e->hint);
    }
    printf("Score: %d/%d\n", score, max);
    write_json(&lab, dir, score, max);
    write_tap(&lab, dir);
    write_junit(&lab, dir, failed);
    srunner_free(sr);
    return failed ? 1 : 0;
}
