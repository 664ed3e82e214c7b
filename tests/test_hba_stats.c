/* test_hba_stats.c: SIMHBA odds and ends: determinism (same seed, same
 * trace), configuration checks, statistics reset, status names, sense
 * truncation and unreachable SG lists. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "storsim/hba.h"
#include "storsim/physmem.h"
#include "storsim/sim.h"
#include "tests/hba_tdrv.h"
#include "tests/sim_helpers.h"

static struct td td;
static struct simhba_req_desc tmpl;
static uint32_t next_tag, total;
static uint8_t *rbuf;

/* ---------- determinism ---------- */

static uint32_t lcg;

static void
random_refill(struct td *t, const struct simhba_cmpl_desc *c)
{
    (void)c;
    if (next_tag >= total)
        return;
    lcg = lcg * 1664525u + 1013904223u;
    td_rw(&tmpl, next_tag++, SCSI_OP_READ_10, lcg >> 12, 8);
    td_data(&tmpl, SIMHBA_DIR_IN, rbuf, 4096);
    tmpl.lun = (uint8_t)(lcg >> 31);
    td_post(t, &tmpl);
    td_doorbell(t);
}

static void
random_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    for (int i = 0; i < 8; i++)
        random_refill(t, NULL);
    td_wait(t, total);
}

static uint64_t
random_run(uint64_t seed, sim_time_t *end)
{
    struct hba_config cfg;
    uint64_t hash;

    hba_config_default(&cfg);
    hba_config_add_lun(&cfg, 0, 1, NULL);
    scsi_disk_latency_preset("sas-ssd", &cfg.luns[1].disk.latency);
    td_begin_seed(&td, &cfg, false, seed);
    rbuf = physmem_alloc(4096, false);
    next_tag = 0;
    total = 200;
    lcg = 12345;
    td.on_cmpl = random_refill;
    td_start(&td, random_script);
    td_run(&td);
    ck_assert_uint_eq(td.ndone, 200);
    hash = sim_trace_hash();
    *end = sim_now();
    td_end(&td);
    return hash;
}

START_TEST(test_deterministic)
{
    sim_time_t e1, e2, e3;
    uint64_t h1 = random_run(1, &e1), h2 = random_run(1, &e2);
    uint64_t h3 = random_run(2, &e3);

    ck_assert_uint_eq(h1, h2);
    ck_assert_uint_eq(e1, e2);
    ck_assert_uint_ne(h1, h3);                 /* the seed moves the jitter */
    ck_assert_uint_ne(e1, e3);
}
END_TEST

START_TEST(test_config_checks)
{
    struct hba_config cfg;
    struct hba *h;

    td_config(&cfg, 1);
    ck_assert_int_eq(hba_create(&cfg, &h), -ENODEV);  /* no machine yet */
    sim_test_begin(1, 1);
    cfg.queue_depth = 0;
    ck_assert_int_eq(hba_create(&cfg, &h), -EINVAL);
    td_config(&cfg, 1);
    ck_assert_int_eq(hba_config_add_lun(&cfg, 16, 0, NULL), -EINVAL);
    ck_assert_int_eq(hba_config_add_lun(&cfg, 0, 0, NULL), 0);  /* replaces */
    ck_assert_uint_eq(cfg.nluns, 1);
    cfg.luns[0].disk.block_size = 1000;
    ck_assert_int_eq(hba_create(&cfg, &h), -EINVAL);
    ck_assert_ptr_null(h);
    sim_test_end();
}
END_TEST

/* ---------- sense truncation, unreachable SG, counters ---------- */

static uint8_t *sense6;

static void
misc_script(struct td *t)
{
    static const uint8_t bad_op[6] = { 0xFF };
    struct simhba_req_desc d;

    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    td_cdb(&d, 1, bad_op, sizeof bad_op);
    td_sense(&d, sense6, 6);                   /* smaller than 18 */
    td_post(t, &d);
    td_rw(&d, 2, SCSI_OP_READ_10, 0, 1);
    d.direction = SIMHBA_DIR_IN;
    d.data_length = 512;
    d.flags = SIMHBA_REQ_F_EXT_SG;
    d.sg_count = 1;
    d.ext_sg_addr = 0x2000;                    /* not host memory */
    td_post(t, &d);
    td_doorbell(t);
    td_wait(t, 2);
}

START_TEST(test_sense_truncated_and_bad_ext_sg)
{
    struct hba_config cfg;
    struct hba_stats st;
    const struct simhba_cmpl_desc *c;

    td_config(&cfg, 1);
    td_begin(&td, &cfg, true);
    sense6 = physmem_alloc(64, false);
    memset(sense6, 0xEE, 64);
    td_start(&td, misc_script);
    td_run(&td);
    c = td_find(&td, 1, NULL);
    ck_assert_uint_eq(c->sense_length, 6);
    ck_assert_uint_eq(sense6[0], 0x70);
    ck_assert_uint_eq(sense6[2], SCSI_KEY_ILLEGAL_REQUEST);
    ck_assert_uint_eq(sense6[6], 0xEE);        /* nothing past 6 bytes */
    ck_assert_uint_eq(td_find(&td, 2, NULL)->status, SIMHBA_CS_INVALID_REQUEST);
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.dma_faults, 1);
    ck_assert_uint_eq(st.by_opcode[0xFF], 1);
    ck_assert_uint_eq(st.errors, 2);
    hba_stats_reset(td.hba);
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.commands, 0);
    ck_assert_uint_eq(st.by_opcode[0xFF], 0);
    ck_assert_uint_eq(st.occupancy.max, 0);
    td_end(&td);
}
END_TEST

START_TEST(test_status_names)
{
    ck_assert_str_eq(hba_cmpl_status_name(SIMHBA_CS_SUCCESS), "SUCCESS");
    ck_assert_str_eq(hba_cmpl_status_name(SIMHBA_CS_INVALID_LUN), "INVALID_LUN");
    ck_assert_str_eq(hba_cmpl_status_name(0x77), "UNKNOWN");
    ck_assert_str_eq(hba_reg_name(SIMHBA_REG_PIO_DATA), "PIO_DATA");
}
END_TEST

Suite *
hba_stats_suite(void)
{
    Suite *s = suite_create("hba_stats");
    TCase *tc = tcase_create("misc");

    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_config_checks);
    tcase_add_test(tc, test_sense_truncated_and_bad_ext_sg);
    tcase_add_test(tc, test_status_names);
    suite_add_tcase(s, tc);
    return s;
}
