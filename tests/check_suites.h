/*
 * check_suites.h -- declares every test suite, for the runner and the tests.
 *
 * Interface: the Makefile writes build/gen/suites.h, one X(NAME) line per
 * tests/test_NAME.c, and compiles every tests/ file with
 * `-include tests/check_suites.h`.  So each test file's
 * `Suite *NAME_suite(void)` has a prototype (as -Wmissing-prototypes wants)
 * and the compiler checks it against the type tests/check_main.c calls.
 */
#ifndef STORSIM_TESTS_CHECK_SUITES_H
#define STORSIM_TESTS_CHECK_SUITES_H

#include <check.h>

#define X(name) Suite *name##_suite(void);
#include "suites.h"
#undef X

#endif /* STORSIM_TESTS_CHECK_SUITES_H */
