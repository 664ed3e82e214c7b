/* test_hba_irq.c: SIMHBA interrupts: the line is INTR_STATUS AND
 * INTR_MASK, INTR_STATUS is write-1-to-clear, edge (MSI) mode sends a
 * message per newly set bit, and coalescing by count and by time raises
 * the completion interrupt at exact simulated times. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "storsim/hba.h"
#include "storsim/physmem.h"
#include "storsim/sim.h"
#include "tests/hba_tdrv.h"

static struct td td;
static struct simhba_req_desc rd;

static void
make_read(uint32_t tag)
{
    td_rw(&rd, tag, SCSI_OP_READ_10, 0, 1);
    td_data(&rd, SIMHBA_DIR_IN, physmem_alloc(512, false), 512);
}

static void
post_reads(struct td *t, uint32_t first, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        make_read(first + i);
        td_post(t, &rd);
    }
    td_doorbell(t);
}

/* ---------- level, mask, write-1-to-clear ---------- */

static struct {
    uint32_t status1, status2, status3;
    bool line_masked, line_other_bit;
    uint32_t isr_before, isr_after;
} L;

static void
mask_script(struct td *t)
{
    td_init_hw(t, 8, 8, 0);                    /* everything masked */
    post_reads(t, 0, 1);
    sim_work(SIM_US(20), SIM_HERE);            /* done by now */
    L.status1 = td_rd(t, SIMHBA_REG_INTR_STATUS);
    L.line_masked = hba_irq_line(t->hba);
    hba_lun_remove(t->hba, 0, 1);              /* sets LUN_CHANGE */
    td_wr(t, SIMHBA_REG_INTR_STATUS, 0);       /* writing 0 clears nothing */
    td_wr(t, SIMHBA_REG_INTR_STATUS, SIMHBA_INTR_LUN_CHANGE | SIMHBA_INTR_PIO_READY);
    L.status2 = td_rd(t, SIMHBA_REG_INTR_STATUS);
    td_wr(t, SIMHBA_REG_INTR_MASK, SIMHBA_INTR_LUN_CHANGE);
    sim_work(SIM_US(1), SIM_HERE);
    L.line_other_bit = hba_irq_line(t->hba);
    L.isr_before = t->isr_runs;
    td_wr(t, SIMHBA_REG_INTR_MASK, SIMHBA_INTR_CMPL);
    sim_work(SIM_US(5), SIM_HERE);             /* the ISR runs in here */
    L.isr_after = t->isr_runs;
    L.status3 = td_rd(t, SIMHBA_REG_INTR_STATUS);
}

START_TEST(test_mask_and_write_one_to_clear)
{
    struct hba_config cfg;

    td_config(&cfg, 2);
    td_begin(&td, &cfg, true);
    td_start(&td, mask_script);
    td_run(&td);
    ck_assert_uint_eq(L.status1, SIMHBA_INTR_CMPL);
    ck_assert(!L.line_masked);                 /* status set, mask clear */
    ck_assert_uint_eq(L.status2, SIMHBA_INTR_CMPL);
    ck_assert(!L.line_other_bit);              /* mask on another bit */
    ck_assert_uint_eq(L.isr_before, 0);
    ck_assert_uint_eq(L.isr_after, 1);         /* unmasking raised it */
    ck_assert_uint_eq(td.ndone, 1);
    ck_assert_uint_eq(L.status3, 0);           /* the ISR acknowledged it */
    ck_assert(!hba_irq_line(td.hba));
    ck_assert_uint_eq(td.intr.unclaimed, 0);
    td_end(&td);
}
END_TEST

/* An ISR that does not acknowledge keeps a level line up: it is entered
 * again and again until it does (here: the third time). */
static int acks_skipped;

static bool
lazy_isr(void *ctx)
{
    struct td *t = ctx;

    t->isr_runs++;
    if (acks_skipped++ < 2)
        return true;
    return td_isr(ctx);
}

static void
lazy_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    post_reads(t, 0, 1);
    td_wait(t, 1);
}

START_TEST(test_level_line_stays_up_until_acknowledged)
{
    struct hba_config cfg;
    struct hba_stats st;

    td_config(&cfg, 1);
    td_begin(&td, &cfg, true);
    sim_interrupt_disconnect(&td.intr);
    sim_interrupt_connect(&td.intr, "simhba0", TD_DIRQL, SIM_IRQ_LEVEL, 0,
                          lazy_isr, &td);
    hba_attach_interrupt(td.hba, &td.intr);
    acks_skipped = 0;
    td_start(&td, lazy_script);
    td_run(&td);
    ck_assert_uint_eq(td.intr.delivered, 3);
    ck_assert_uint_eq(td.ndone, 1);
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.interrupts, 1);       /* one assertion, held */
    td_end(&td);
}
END_TEST

/* ---------- edge (MSI) ---------- */

static void
edge_script(struct td *t)
{
    td_init_hw(t, 8, 8, 0);
    post_reads(t, 0, 2);
    sim_work(SIM_US(30), SIM_HERE);            /* both done, masked */
    td_wr(t, SIMHBA_REG_INTR_MASK, SIMHBA_INTR_CMPL);
    td_wait(t, 2);
    post_reads(t, 2, 3);                       /* 1 us apart */
    td_wait(t, 5);
}

START_TEST(test_edge_mode)
{
    struct hba_config cfg;
    struct hba_stats st;
    struct sim_interrupt level;
    struct td other;

    td_config(&cfg, 1);
    cfg.irq_mode = SIM_IRQ_EDGE;
    td_begin(&td, &cfg, true);
    ck_assert(hba_read32(td.hba, SIMHBA_REG_CAPS, SIM_HERE) & SIMHBA_CAPS_MSI);
    ck_assert_int_eq(sim_interrupt_connect(&level, "x", 4, SIM_IRQ_LEVEL, 0,
                                           td_isr, &other), 0);
    ck_assert_int_eq(hba_attach_interrupt(td.hba, &level), -EINVAL);
    sim_interrupt_disconnect(&level);
    td_start(&td, edge_script);
    td_run(&td);
    ck_assert_uint_eq(td.ndone, 5);
    /* One message on unmasking the two waiting completions. Then the
     * reads complete 1 us apart while an ISR takes 1.56 us: the first
     * sends a message; the second lands after that ISR acknowledged CMPL,
     * so it sends another (latched, taken when the ISR returns); the
     * third finds CMPL still set and sends none, and the second ISR,
     * which reads CMPL_PROD after its acknowledgement, drains it. */
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.interrupts, 3);
    ck_assert_uint_eq(td.intr.delivered, 3);
    ck_assert_uint_eq(td.isr_empty, 0);
    td_end(&td);
}
END_TEST

/* ---------- coalescing ---------- */

static sim_time_t t_db, t_unblock;
static uint32_t coal_regs[2];

static void
count_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    td_wr(t, SIMHBA_REG_COALESCE_COUNT, 4);
    coal_regs[0] = td_rd(t, SIMHBA_REG_COALESCE_COUNT);
    t_db = sim_now();
    post_reads(t, 0, 4);
    td_wait(t, 4);
    post_reads(t, 4, 2);                       /* 2 < 4: they wait */
    sim_work(SIM_MS(1), SIM_HERE);
    coal_regs[1] = (uint32_t)t->ndone;
    t_unblock = sim_now();
    td_wr(t, SIMHBA_REG_COALESCE_COUNT, 1);    /* the pending two go now */
    td_wait(t, 6);
}

/* Four reads, 1 us of firmware apart, 10 us each: one interrupt, at the
 * fourth completion. */
START_TEST(test_coalesce_by_count)
{
    struct hba_config cfg;
    struct hba_stats st;

    td_config(&cfg, 1);
    td_begin(&td, &cfg, true);
    td_start(&td, count_script);
    td_run(&td);
    ck_assert_uint_eq(coal_regs[0], 4);
    ck_assert_uint_eq(td.isr_at[0], t_db + 4 * 1000 + SIM_US(10));
    ck_assert_uint_eq(coal_regs[1], 4);
    ck_assert_uint_eq(td.isr_runs, 2);
    ck_assert_uint_eq(td.isr_at[1], t_unblock);
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.interrupts, 2);
    ck_assert_uint_eq(st.completions_coalesced, 3 + 1);
    ck_assert_uint_eq(st.coalesce_timeouts, 0);
    td_end(&td);
}
END_TEST

static void
time_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    coal_regs[0] = td_rd(t, SIMHBA_REG_COALESCE_COUNT);
    coal_regs[1] = td_rd(t, SIMHBA_REG_COALESCE_TIME);
    t_db = sim_now();
    post_reads(t, 0, 2);
    td_wait(t, 2);
}

/* Count 8 never fills with two reads: the timer raises the interrupt
 * 20 us after the first completion, with both in the ring. */
START_TEST(test_coalesce_by_time)
{
    struct hba_config cfg;
    struct hba_stats st;

    td_config(&cfg, 1);
    cfg.coalesce_count = 8;                    /* reset values */
    cfg.coalesce_ns = SIM_US(20);
    td_begin(&td, &cfg, true);
    td_start(&td, time_script);
    td_run(&td);
    ck_assert_uint_eq(coal_regs[0], 8);
    ck_assert_uint_eq(coal_regs[1], SIM_US(20));
    ck_assert_uint_eq(td.isr_runs, 1);
    ck_assert_uint_eq(td.isr_at[0], t_db + 1000 + SIM_US(10) + SIM_US(20));
    ck_assert_uint_eq(td.ndone, 2);
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.coalesce_timeouts, 1);
    ck_assert_uint_eq(st.completions_coalesced, 1);
    td_end(&td);
}
END_TEST

Suite *
hba_irq_suite(void)
{
    Suite *s = suite_create("hba_irq");
    TCase *tc = tcase_create("line");

    tcase_add_test(tc, test_mask_and_write_one_to_clear);
    tcase_add_test(tc, test_level_line_stays_up_until_acknowledged);
    tcase_add_test(tc, test_edge_mode);
    suite_add_tcase(s, tc);
    tc = tcase_create("coalescing");
    tcase_add_test(tc, test_coalesce_by_count);
    tcase_add_test(tc, test_coalesce_by_time);
    suite_add_tcase(s, tc);
    return s;
}
