/*
 * test_build.c -- checks that storsim is compiled the way it is written for.
 *
 * The code is C11 (the Makefile passes -std=c11), and the simulator targets
 * 64-bit hosts: its fast fiber switch is designed for x86-64 and aarch64, and
 * the simulated machine uses the x64 IRQL numbering.  A build that is not
 * C11 or not 64-bit fails here first, with a clear message, instead of
 * somewhere obscure later.
 */
#include <check.h>

START_TEST(test_c11)
{
    ck_assert_msg(__STDC_VERSION__ >= 201112L,
                  "compiled as C %ld, storsim needs C11 (201112L) or later",
                  (long)__STDC_VERSION__);
}
END_TEST

START_TEST(test_64bit_pointers)
{
    ck_assert_uint_eq(sizeof(void *), 8);
}
END_TEST

Suite *
build_suite(void)
{
    Suite *s = suite_create("build");

    TCase *tc = tcase_create("language");
    tcase_add_test(tc, test_c11);
    suite_add_tcase(s, tc);

    tc = tcase_create("abi");
    tcase_add_test(tc, test_64bit_pointers);
    suite_add_tcase(s, tc);

    return s;
}
