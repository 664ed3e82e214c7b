/* lab.h: what a lab's tests.c includes to declare its tests to the grader
 * (labs/grader/grade.c).
 *
 * Interface: a lab defines lab_name[] and lab_register(), which calls
 * LAB_TEST(test, points, hint) once per Check test, in the order the
 * results are reported. The hint is printed when the test fails: it names
 * the concept the failure points at, not the fix. lab_run() runs command
 * lines (grader/lab_cmd.c), as a script would.
 */
#ifndef STORSIM_LAB_H
#define STORSIM_LAB_H

#include <check.h>

#include "storsim/cmd.h"

/** The grader's record of a lab: opaque to the lab. */
struct lab;

/** The lab's name, e.g. "01-build-io" (defined by the lab). */
extern const char lab_name[];

/** Declare the lab's tests with LAB_TEST (defined by the lab). */
void lab_register(struct lab *lab);

/** A TCase of its own for one test, worth @p points, with @p hint. */
TCase *lab_tcase(struct lab *lab, const char *name, int points,
                 const char *hint);

/** Declare one Check test (a START_TEST name) worth @p points. */
#define LAB_TEST(lab, test, points, hint) \
    tcase_add_test(lab_tcase((lab), #test, (points), (hint)), test)

/** Run command lines in a fresh session, stopping at the first that fails
 *  (its message is in the session's error and in lab_output()). */
struct cmd_session *lab_run(const char *const *lines);

/** What the last lab_run() printed. */
const char *lab_output(void);

/** Free the last lab_run()'s session (lab_run() does it too). */
void lab_end(void);

/** The default machine and a random 4 KiB workload of 2,000 requests on
 *  4 CPUs (70% reads), run to its end: what most labs grade first. */
extern const char *const lab_default_run[];

/** Fail the test unless the last run's workload finished with @p count
 *  requests all completed once, successfully, with their data. */
void lab_expect_every_request(const struct cmd_session *s,
                              unsigned long long count);

/** Fail the test if the verifier reported anything, naming the first. */
void lab_expect_no_findings(void);

/** Declare the two tests most labs start with, on lab_default_run:
 *  test_every_request_completes_with_its_data (lab_expect_every_request)
 *  and test_no_verifier_findings (lab_expect_no_findings). */
void lab_default_tests(struct lab *lab, int complete_points,
                       const char *complete_hint, int clean_points,
                       const char *clean_hint);

#endif /* STORSIM_LAB_H */
