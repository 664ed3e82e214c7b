/*
 * check_main.c -- the one test runner: runs every Check suite in tests/.
 *
 * Interface: each tests/test_NAME.c defines `Suite *NAME_suite(void)`; the
 * Makefile lists them in build/gen/suites.h as X(NAME) lines, and here every
 * one is added to a single SRunner.  A new test file needs no edit anywhere.
 *
 * Check's own environment variables work as usual:
 *   CK_RUN_SUITE=NAME   run only that suite (NAME as in test_NAME.c)
 *   CK_RUN_CASE=NAME    run only the test cases of that name
 *   CK_FORK=no          run tests in this process, e.g. under gdb
 *
 * Exit status: 0 when every test passed, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>

#include <check.h>

#include "check_suites.h"

int
main(void)
{
    SRunner *runner = srunner_create(NULL);

#define X(name) srunner_add_suite(runner, name##_suite());
#include "suites.h"
#undef X

    /* CK_NORMAL prints each failure and the summary line. */
    srunner_run_all(runner, CK_NORMAL);
    int ran = srunner_ntests_run(runner);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);

    /*
     * A misspelt CK_RUN_SUITE or CK_RUN_CASE selects nothing, and Check calls
     * that a success; say so and fail, so it is not mistaken for a pass.
     */
    if (ran == 0 && (getenv("CK_RUN_SUITE") != NULL || getenv("CK_RUN_CASE") != NULL)) {
        fprintf(stderr, "check_main: CK_RUN_SUITE/CK_RUN_CASE selected no test\n");
        return EXIT_FAILURE;
    }
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
