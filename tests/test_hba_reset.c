/* test_hba_reset.c: SIMHBA adapter and bus resets (every command in flight
 * completed with the reset status, the unit attention reported once
 * afterwards) and the write cache lost on power loss unless flushed. */
#include <check.h>
#include <string.h>

#include "storsim/hba.h"
#include "storsim/physmem.h"
#include "storsim/sim.h"
#include "tests/hba_tdrv.h"

static struct td td;
static uint8_t *sense[8];
static sim_time_t t_reset;
static uint32_t status_during, reset_reg;

/* One command, waited for: tag, op, LBA, blocks, data buffer. */
static void
one(struct td *t, uint32_t tag, uint8_t op, uint32_t lba, uint16_t blocks,
    void *buf)
{
    struct simhba_req_desc d;
    size_t want = t->ndone + 1;

    td_rw(&d, tag, op, lba, blocks);
    if (blocks != 0)
        td_data(&d, op == SCSI_OP_READ_10 ? SIMHBA_DIR_IN : SIMHBA_DIR_OUT,
                buf, blocks * 512u);
    if (tag < 8)
        td_sense(&d, sense[tag], 64);
    td_post(t, &d);
    td_doorbell(t);
    td_wait(t, want);
}

static void
reset_script(struct td *t)
{
    struct simhba_req_desc d;

    td_init_hw(t, 16, 16, SIMHBA_INTR_CMPL | SIMHBA_INTR_RESET_DONE);
    for (uint32_t i = 0; i < 5; i++) {
        td_rw(&d, 10 + i, SCSI_OP_READ_10, i, 1);
        td_data(&d, SIMHBA_DIR_IN, physmem_alloc(512, false), 512);
        td_post(t, &d);
    }
    td_doorbell(t);
    sim_work(SIM_US(100), SIM_HERE);
    t_reset = sim_now();
    td_wr(t, reset_reg, SIMHBA_RESET_KEY);
    status_during = td_rd(t, SIMHBA_REG_STATUS);
    /* Posted during the reset: fetched after it, so it sees the UA. */
    one(t, 0, SCSI_OP_READ_10, 0, 1, physmem_alloc(512, false));
    one(t, 1, SCSI_OP_READ_10, 0, 1, physmem_alloc(512, false));
}

static void
check_reset(uint8_t ascq)
{
    const struct simhba_cmpl_desc *c;
    sim_time_t at;

    ck_assert_uint_eq(status_during & SIMHBA_STATUS_RESETTING,
                      SIMHBA_STATUS_RESETTING);
    ck_assert_uint_eq(td.ndone, 7);
    for (uint32_t i = 0; i < 5; i++) {
        c = td_find(&td, 10 + i, &at);
        ck_assert_uint_eq(c->status, SIMHBA_CS_BUS_RESET);
        ck_assert_uint_eq(c->residual, 512);
    }
    ck_assert_uint_eq(td.isr_at[0], t_reset + SIM_US(50));
    ck_assert(td.status_seen & SIMHBA_INTR_RESET_DONE);
    ck_assert(!(td.status_seen & SIMHBA_INTR_BUS_RESET)); /* we asked */
    /* The unit attention, once: CHECK CONDITION 06/29/xx, then GOOD. */
    c = td_find(&td, 0, NULL);
    ck_assert_uint_eq(c->status, SIMHBA_CS_ERROR);
    ck_assert_uint_eq(c->scsi_status, SCSI_STATUS_CHECK_CONDITION);
    ck_assert(c->flags & SIMHBA_CMPL_F_SENSE);
    ck_assert_uint_eq(c->sense_length, SCSI_DISK_SENSE_LEN);
    ck_assert_uint_eq(sense[0][2] & 0x0F, SCSI_KEY_UNIT_ATTENTION);
    ck_assert_uint_eq(sense[0][12], 0x29);
    ck_assert_uint_eq(sense[0][13], ascq);
    ck_assert_uint_eq(td_find(&td, 1, NULL)->status, SIMHBA_CS_SUCCESS);
}

static void
slow_reads(struct hba_config *cfg)
{
    td_config(cfg, 1);
    cfg->luns[0].disk.latency.read.fixed_ns = SIM_MS(1);
}

START_TEST(test_adapter_reset)
{
    struct hba_config cfg;
    struct hba_stats st;

    slow_reads(&cfg);
    td_begin(&td, &cfg, true);
    for (int i = 0; i < 8; i++)
        sense[i] = physmem_alloc(64, false);
    reset_reg = SIMHBA_REG_ADAPTER_RESET;
    td_start(&td, reset_script);
    td_run(&td);
    check_reset(0x00);                         /* 29/00 power on, reset */
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.adapter_resets, 1);
    ck_assert_uint_eq(st.bus_resets, 0);
    ck_assert_uint_eq(st.reset_completions, 5);
    td_end(&td);
}
END_TEST

START_TEST(test_bus_reset)
{
    struct hba_config cfg;
    struct hba_stats st;

    slow_reads(&cfg);
    td_begin(&td, &cfg, true);
    for (int i = 0; i < 8; i++)
        sense[i] = physmem_alloc(64, false);
    reset_reg = SIMHBA_REG_BUS_RESET;
    td_start(&td, reset_script);
    td_run(&td);
    check_reset(0x02);                         /* 29/02 SCSI bus reset */
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.bus_resets, 1);
    ck_assert_uint_eq(st.reset_completions, 5);
    td_end(&td);
}
END_TEST

/* A wrong key does nothing; a reset while one runs is refused. */
static void
key_script(struct td *t)
{
    td_init_hw(t, 8, 8, 0);
    td_wr(t, SIMHBA_REG_BUS_RESET, 1);
    status_during = td_rd(t, SIMHBA_REG_STATUS);
    td_wr(t, SIMHBA_REG_ADAPTER_RESET, SIMHBA_RESET_KEY);
    td_wr(t, SIMHBA_REG_BUS_RESET, SIMHBA_RESET_KEY);
}

START_TEST(test_reset_key_and_overlap)
{
    struct hba_config cfg;
    struct hba_stats st;

    td_config(&cfg, 1);
    td_begin(&td, &cfg, true);
    td_start(&td, key_script);
    td_run(&td);
    ck_assert_uint_eq(status_during, SIMHBA_STATUS_READY);
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.adapter_resets, 1);
    ck_assert_uint_eq(st.bus_resets, 0);
    ck_assert_uint_eq(st.bad_reg_writes, 2);
    ck_assert_int_eq(hba_bus_reset(td.hba), 0);  /* over by now */
    td_end(&td);
}
END_TEST

/* ---------- write cache and power loss ---------- */

static uint8_t *pat_a, *pat_b, *back1, *back2;
static const uint8_t sync_cache[10] = { SCSI_OP_SYNCHRONIZE_CACHE_10 };

static void
power_script(struct td *t)
{
    struct simhba_req_desc d;

    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    one(t, 0, SCSI_OP_WRITE_10, 0, 8, pat_a);
    ck_assert_int_eq(hba_power_loss(t->hba, 0, 0), 4096);  /* all cached */
    one(t, 1, SCSI_OP_READ_10, 0, 8, back1);   /* the unit attention */
    one(t, 2, SCSI_OP_READ_10, 0, 8, back1);   /* what survived */
    one(t, 3, SCSI_OP_WRITE_10, 0, 8, pat_b);
    td_cdb(&d, 4, sync_cache, sizeof sync_cache);
    td_post(t, &d);
    td_doorbell(t);
    td_wait(t, 5);
    ck_assert_int_eq(hba_power_loss(t->hba, 0, 0), 0);     /* flushed */
    one(t, 5, SCSI_OP_READ_10, 0, 8, back2);
    one(t, 6, SCSI_OP_READ_10, 0, 8, back2);
}

START_TEST(test_write_cache_lost_unless_flushed)
{
    struct hba_config cfg;
    static const uint8_t zeros[4096];

    td_config(&cfg, 1);
    cfg.luns[0].disk.write_cache = true;
    td_begin(&td, &cfg, true);
    for (int i = 0; i < 8; i++)
        sense[i] = physmem_alloc(64, false);
    pat_a = physmem_alloc(4096, false);
    pat_b = physmem_alloc(4096, false);
    back1 = physmem_alloc(4096, false);
    back2 = physmem_alloc(4096, false);
    td_fill(pat_a, 4096, 1);
    td_fill(pat_b, 4096, 2);
    td_start(&td, power_script);
    td_run(&td);
    ck_assert_uint_eq(td_find(&td, 1, NULL)->scsi_status,
                      SCSI_STATUS_CHECK_CONDITION);
    ck_assert_uint_eq(sense[1][12], 0x29);     /* 29/01 power on occurred */
    ck_assert_uint_eq(sense[1][13], 0x01);
    ck_assert_uint_eq(td_find(&td, 2, NULL)->status, SIMHBA_CS_SUCCESS);
    ck_assert_mem_eq(back1, zeros, 4096);      /* the cached write is gone */
    ck_assert_uint_eq(td_find(&td, 4, NULL)->status, SIMHBA_CS_SUCCESS);
    ck_assert_uint_eq(td_find(&td, 5, NULL)->scsi_status,
                      SCSI_STATUS_CHECK_CONDITION);
    ck_assert_mem_eq(back2, pat_b, 4096);      /* the flushed one is not */
    td_end(&td);
}
END_TEST

Suite *
hba_reset_suite(void)
{
    Suite *s = suite_create("hba_reset");
    TCase *tc = tcase_create("reset");

    tcase_add_test(tc, test_adapter_reset);
    tcase_add_test(tc, test_bus_reset);
    tcase_add_test(tc, test_reset_key_and_overlap);
    suite_add_tcase(s, tc);
    tc = tcase_create("power");
    tcase_add_test(tc, test_write_cache_lost_unless_flushed);
    suite_add_tcase(s, tc);
    return s;
}
