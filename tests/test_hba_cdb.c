/* test_hba_cdb.c: `storsim cdb`: its output, its hex-only modes and its
 * exit codes, with stdout and stderr captured in memory. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/hba.h"
#include "storsim/sim.h"

static char *out_text, *err_text;

/* Run `storsim cdb ARGS...` (NULL-terminated) and capture its output. */
static int
run_cdb(const char *first, ...)
{
    char *argv[32];
    size_t out_len, err_len;
    FILE *out, *err;
    va_list ap;
    int argc = 0, rc;

    argv[argc++] = (char *)"cdb";
    va_start(ap, first);
    for (const char *a = first; a != NULL; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    free(out_text);
    free(err_text);
    out = open_memstream(&out_text, &out_len);
    err = open_memstream(&err_text, &err_len);
    rc = hba_cdb_run(argc, argv, out, err);
    fclose(out);
    fclose(err);
    ck_assert(!sim_exists());                 /* it cleaned up */
    return rc;
}

static void
has(const char *text, const char *part)
{
    ck_assert_msg(strstr(text, part) != NULL, "expected '%s' in:\n%s", part,
                  text);
}

START_TEST(test_inquiry)
{
    ck_assert_int_eq(run_cdb("12", "00", "00", "00", "24", "00", NULL), 0);
    has(out_text, "LUN 0: opcode 0x12 INQUIRY\n");
    has(out_text, "status: GOOD (0x00)\n");
    has(out_text, "sense: none\n");
    has(out_text, "data-in: 36 bytes\n");
    has(out_text, "|....[...STORSIM |");
    ck_assert_str_eq(err_text, "");
}
END_TEST

/* The response bytes only, 16 a line; compared with the disk model
 * answering the same CDB directly. */
START_TEST(test_response_hex)
{
    static const uint8_t cdb[6] = { 0x12, 0, 0, 0, 36, 0 };
    struct scsi_disk_config dc;
    struct scsi_disk *disk;
    struct scsi_disk_result res;
    uint8_t buf[36];
    char want[200] = "";

    scsi_disk_config_init(&dc);
    ck_assert_int_eq(scsi_disk_create(&dc, &disk), 0);
    scsi_disk_execute_buf(disk, cdb, sizeof cdb, buf, sizeof buf, &res);
    scsi_disk_destroy(disk);
    for (int i = 0; i < 36; i++)
        sprintf(want + strlen(want), "%02x%s", buf[i],
                i % 16 == 15 || i == 35 ? "\n" : " ");
    ck_assert_int_eq(run_cdb("--response-hex", "12 00 00 00 24 00", NULL), 0);
    ck_assert_str_eq(out_text, want);
}
END_TEST

START_TEST(test_check_condition)
{
    ck_assert_int_eq(run_cdb("ff", "00", "00", "00", "00", "00", NULL), 1);
    has(out_text, "status: CHECK CONDITION (0x02)\n");
    has(out_text, "sense: ILLEGAL REQUEST: INVALID COMMAND OPERATION CODE "
                  "(key 0x5, ASC 0x20, ASCQ 0x00)\n");
    has(out_text, "sense data: 18 bytes\n");
    ck_assert_int_eq(run_cdb("--sense-hex", "ff 00 00 00 00 00", NULL), 1);
    ck_assert_str_eq(out_text, "70 00 05 00 00 00 00 0a 00 00 00 00 20 00 00 00\n"
                               "00 00\n");
    /* READ CAPACITY(10) with a bad bit: sense with a field pointer. */
    ck_assert_int_eq(run_cdb("25 ff 00 00 00 00 00 00 00 00", NULL), 1);
    has(out_text, "INVALID FIELD IN CDB");
}
END_TEST

START_TEST(test_data_out_and_lun)
{
    char block[512 * 3 + 1];

    for (int i = 0; i < 512; i++)
        memcpy(block + i * 3, i == 511 ? "5a" : "5a ", i == 511 ? 3 : 3);
    block[512 * 3 - 1] = '\0';
    ck_assert_int_eq(run_cdb("--lun", "0", "--data-out", block,
                             "2a 00 00 00 00 10 00 00 01 00", NULL), 0);
    has(out_text, "opcode 0x2A WRITE(10)");
    has(out_text, "data-out: 512 bytes sent\n");
    ck_assert_int_eq(run_cdb("--lun=0", "00 00 00 00 00 00", NULL), 0);
    has(out_text, "status: GOOD");
    /* Data-out for a READ: the adapter refuses the descriptor. */
    ck_assert_int_eq(run_cdb("--data-out", "00 11", "28 00 00 00 00 00 00 00 01 00",
                             NULL), 1);
    has(out_text, "adapter status: INVALID_REQUEST (0x06)\n");
}
END_TEST

START_TEST(test_usage_errors)
{
    ck_assert_int_eq(run_cdb("12", "0g", NULL), 2);
    has(err_text, "\"0g\"");
    has(err_text, "usage: storsim cdb");
    ck_assert_int_eq(run_cdb("12 00 00 00 24 00 00 00 00 00 00 00 00 00 00 00 00",
                             NULL), 2);
    has(err_text, "longer than 16 bytes");
    ck_assert_int_eq(run_cdb("--lun", "9", "00", NULL), 2);
    has(err_text, "--lun: '9' is not a LUN number");
    ck_assert_int_eq(run_cdb("--lun", "3", "00 00 00 00 00 00", NULL), 2);
    has(err_text, "--lun 3: no such LUN");
    ck_assert_int_eq(run_cdb("--lun", NULL), 2);
    has(err_text, "--lun needs a LUN number");
    ck_assert_int_eq(run_cdb("--frob", "00", NULL), 2);
    has(err_text, "unknown option '--frob'");
    ck_assert_int_eq(run_cdb(NULL), 2);
    has(err_text, "no CDB given");
    ck_assert_int_eq(run_cdb("--response-hex", "--sense-hex", "00", NULL), 2);
    has(err_text, "only one of");
    ck_assert_int_eq(run_cdb("--data-out", "zz", "2a", NULL), 2);
    has(err_text, "--data-out");
    ck_assert_str_eq(out_text, "");
}
END_TEST

static void
free_text(void)
{
    free(out_text);
    free(err_text);
    out_text = err_text = NULL;
}

Suite *
hba_cdb_suite(void)
{
    Suite *s = suite_create("hba_cdb");
    TCase *tc = tcase_create("cdb");

    tcase_add_unchecked_fixture(tc, NULL, free_text);
    tcase_add_checked_fixture(tc, NULL, free_text);
    tcase_add_test(tc, test_inquiry);
    tcase_add_test(tc, test_response_hex);
    tcase_add_test(tc, test_check_condition);
    tcase_add_test(tc, test_data_out_and_lun);
    tcase_add_test(tc, test_usage_errors);
    suite_add_tcase(s, tc);
    return s;
}
