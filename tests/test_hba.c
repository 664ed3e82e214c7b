/* test_hba.c: the SIMHBA adapter's basic paths: registers and their cost,
 * data through DMA over fragmented SG lists, residuals, bad descriptors,
 * ring wrap-around under a full queue, completion ring overflow, out-of-
 * order completions and per-LUN statistics. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "storsim/hba.h"
#include "storsim/physmem.h"
#include "storsim/sim.h"
#include "tests/hba_tdrv.h"

static struct td td;

/* ---------- registers ---------- */

static struct {
    uint32_t id, ver, caps, xfer, topo, bad1, bad2, mask, status;
    sim_time_t rd_ns, wr_ns;
} R;
static int nreads, nwrites, nwork;
static struct sim_trace_event first_read;

static void
count_events(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == SIM_EV_REG_READ && nreads++ == 0)
        first_read = *ev;
    nwrites += ev->kind == SIM_EV_REG_WRITE;
    nwork += ev->kind == SIM_EV_WORK;
}

static void
regs_script(struct td *t)
{
    sim_time_t t0 = sim_now();

    R.id = td_rd(t, SIMHBA_REG_ID);
    R.rd_ns = sim_now() - t0;
    t0 = sim_now();
    td_wr(t, SIMHBA_REG_INTR_MASK, SIMHBA_INTR_CMPL | 0x80000000u);
    R.wr_ns = sim_now() - t0;
    R.ver = td_rd(t, SIMHBA_REG_VERSION);
    R.caps = td_rd(t, SIMHBA_REG_CAPS);
    R.xfer = td_rd(t, SIMHBA_REG_MAX_XFER);
    R.topo = td_rd(t, SIMHBA_REG_TOPOLOGY);
    R.bad1 = td_rd(t, 0x0F0);                  /* nothing there */
    R.bad2 = td_rd(t, 0x002);                  /* unaligned */
    td_wr(t, SIMHBA_REG_ID, 1);                /* read-only: ignored */
    td_wr(t, SIMHBA_REG_CMPL_PROD, 7);
    td_wr(t, 0x0F4, 1);
    R.mask = td_rd(t, SIMHBA_REG_INTR_MASK);
    R.status = td_rd(t, SIMHBA_REG_STATUS);
}

START_TEST(test_registers)
{
    struct hba_config cfg;
    struct hba_stats st;

    td_config(&cfg, 1);
    cfg.queue_depth = 48;
    cfg.max_sg = 33;
    td_begin(&td, &cfg, true);
    nreads = nwrites = nwork = 0;
    sim_trace_subscribe(count_events, NULL);
    td_start(&td, regs_script);
    td_run(&td);
    ck_assert_uint_eq(R.id, SIMHBA_ID_VALUE);
    ck_assert_uint_eq(R.ver, SIMHBA_VERSION_VALUE);
    ck_assert_uint_eq(SIMHBA_CAPS_QUEUE_DEPTH(R.caps), 48);
    ck_assert_uint_eq(SIMHBA_CAPS_MAX_SG(R.caps), 33);
    ck_assert(R.caps & SIMHBA_CAPS_PIO);
    ck_assert(!(R.caps & SIMHBA_CAPS_MSI));
    ck_assert_uint_eq(R.xfer, 256 * 1024);
    ck_assert_uint_eq(SIMHBA_TOPO_TARGETS(R.topo), HBA_MAX_TARGETS);
    ck_assert_uint_eq(R.bad1, 0xFFFFFFFFu);
    ck_assert_uint_eq(R.bad2, 0xFFFFFFFFu);
    ck_assert_uint_eq(R.mask, SIMHBA_INTR_CMPL);  /* undefined bits dropped */
    ck_assert_uint_eq(R.status, 0);
    ck_assert_uint_eq(R.rd_ns, 700);              /* uncached read */
    ck_assert_uint_eq(R.wr_ns, 80);               /* posted write */
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.bad_reg_reads, 2);
    ck_assert_uint_eq(st.bad_reg_writes, 3);
    /* Each access is exactly one trace event, and no SIM_EV_WORK. */
    ck_assert_int_eq(nreads, 9);
    ck_assert_int_eq(nwrites, 4);
    ck_assert_int_eq(nwork, 0);
    ck_assert_uint_eq(first_read.arg, SIMHBA_REG_ID);
    ck_assert_uint_eq(first_read.arg2, SIMHBA_ID_VALUE);
    ck_assert_str_eq(first_read.detail, "ID");
    ck_assert_int_eq(first_read.cpu, 0);
    ck_assert_str_eq(hba_reg_name(SIMHBA_REG_CMPL_CONS), "CMPL_CONS");
    ck_assert_ptr_null(hba_reg_name(0x0F0));
    td_end(&td);
}
END_TEST

static void
bad_ring_script(struct td *t)
{
    td_wr(t, SIMHBA_REG_INTR_MASK, SIMHBA_INTR_ERROR);
    td_wr(t, SIMHBA_REG_REQ_SIZE, 6);          /* not a power of two */
    td_wr(t, SIMHBA_REG_CONTROL, SIMHBA_CONTROL_ENABLE);
    R.status = td_rd(t, SIMHBA_REG_STATUS);
    R.mask = td_rd(t, SIMHBA_REG_CONTROL);
}

START_TEST(test_bad_ring_setup)
{
    struct hba_config cfg;

    td_config(&cfg, 1);
    td_begin(&td, &cfg, true);
    td_start(&td, bad_ring_script);
    td_run(&td);
    ck_assert_uint_eq(R.status, SIMHBA_STATUS_RING_ERROR);
    ck_assert_uint_eq(R.mask, 0);              /* ENABLE did not stick */
    ck_assert_uint_eq(td.isr_runs, 1);
    ck_assert_uint_eq(td.status_seen, SIMHBA_INTR_ERROR);
    td_end(&td);
}
END_TEST

/* ---------- data through DMA ---------- */

static uint8_t *wbuf, *rbuf;
static uint32_t xfer_len, xfer_lba;
static int sg_used;

static void
write_read_script(struct td *t)
{
    struct simhba_req_desc d;
    uint16_t blocks = (uint16_t)(xfer_len / 512);

    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    td_rw(&d, 1, SCSI_OP_WRITE_10, xfer_lba, blocks);
    sg_used = td_data(&d, SIMHBA_DIR_OUT, wbuf, xfer_len);
    td_post(t, &d);
    td_doorbell(t);
    td_wait(t, 1);
    td_rw(&d, 2, SCSI_OP_READ_10, xfer_lba, blocks);
    td_data(&d, SIMHBA_DIR_IN, rbuf, xfer_len);
    td_post(t, &d);
    td_doorbell(t);
    td_wait(t, 2);
}

static void
roundtrip(uint32_t len, size_t offset)
{
    struct hba_config cfg;
    struct hba_stats st;

    td_config(&cfg, 1);
    td_begin(&td, &cfg, true);
    wbuf = (uint8_t *)physmem_alloc(len + offset, false) + offset;
    rbuf = (uint8_t *)physmem_alloc(len + offset, false) + offset;
    td_fill(wbuf, len, len);
    xfer_len = len;
    xfer_lba = 100;
    td_start(&td, write_read_script);
    td_run(&td);
    ck_assert_uint_eq(td.ndone, 2);
    for (int i = 0; i < 2; i++) {
        ck_assert_uint_eq(td.done[i].tag, (uint32_t)i + 1);
        ck_assert_uint_eq(td.done[i].status, SIMHBA_CS_SUCCESS);
        ck_assert_uint_eq(td.done[i].scsi_status, SCSI_STATUS_GOOD);
        ck_assert_uint_eq(td.done[i].residual, 0);
    }
    ck_assert_mem_eq(rbuf, wbuf, len);
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.bytes_written, len);
    ck_assert_uint_eq(st.bytes_read, len);
    ck_assert_uint_eq(st.by_opcode[SCSI_OP_WRITE_10], 1);
    ck_assert_uint_eq(st.by_opcode[SCSI_OP_READ_10], 1);
    td_end(&td);
}

START_TEST(test_write_then_read_back)
{
    roundtrip(8192, 0);
    ck_assert_int_gt(sg_used, 1);              /* scattered pages */
}
END_TEST

/* 64 KiB from an unaligned start: 17 pages, an external SG list. */
START_TEST(test_fragmented_sg_external_list)
{
    roundtrip(65536, 100);
    ck_assert_int_gt(sg_used, SIMHBA_INLINE_SG);
}
END_TEST

/* ---------- residuals and bad descriptors ---------- */

static struct simhba_req_desc reqs[16];
static int nreqs;

static void
post_all_script(struct td *t)
{
    td_init_hw(t, 16, 16, SIMHBA_INTR_CMPL);
    for (int i = 0; i < nreqs; i++)
        td_post(t, &reqs[i]);
    td_doorbell(t);
    td_wait(t, (size_t)nreqs);
}

static uint8_t *
data_req(int i, uint8_t op, uint32_t lba, uint16_t blocks, uint8_t dir,
         uint32_t len)
{
    uint8_t *buf = physmem_alloc(len ? len : 1, false);

    td_rw(&reqs[i], (uint32_t)i, op, lba, blocks);
    td_data(&reqs[i], dir, buf, len);
    return buf;
}

START_TEST(test_residual_and_overrun)
{
    static const uint8_t inquiry[6] = { SCSI_OP_INQUIRY, 0, 0, 0, 36, 0 };
    struct hba_config cfg;
    uint8_t *inq;

    td_config(&cfg, 1);
    td_begin(&td, &cfg, true);
    inq = data_req(0, 0, 0, 0, SIMHBA_DIR_IN, 96);
    td_cdb(&reqs[0], 0, inquiry, sizeof inquiry);
    td_data(&reqs[0], SIMHBA_DIR_IN, inq, 96);
    data_req(1, SCSI_OP_READ_10, 0, 1, SIMHBA_DIR_IN, 1024);  /* underrun */
    data_req(2, SCSI_OP_READ_10, 0, 2, SIMHBA_DIR_IN, 512);   /* overrun */
    nreqs = 3;
    td_start(&td, post_all_script);
    td_run(&td);
    ck_assert_uint_eq(td_find(&td, 0, NULL)->status, SIMHBA_CS_SUCCESS);
    ck_assert_uint_eq(td_find(&td, 0, NULL)->residual, 60);
    ck_assert(td_find(&td, 0, NULL)->flags & SIMHBA_CMPL_F_UNDERRUN);
    ck_assert_mem_eq(inq + 8, "STORSIM ", 8);
    ck_assert_uint_eq(td_find(&td, 1, NULL)->residual, 512);
    ck_assert_uint_eq(td_find(&td, 1, NULL)->status, SIMHBA_CS_SUCCESS);
    ck_assert_uint_eq(td_find(&td, 2, NULL)->status, SIMHBA_CS_DATA_OVERRUN);
    ck_assert_uint_eq(td_find(&td, 2, NULL)->residual, 0);
    td_end(&td);
}
END_TEST

START_TEST(test_sg_list_too_short)
{
    struct hba_config cfg;
    struct hba_stats st;
    uint8_t *buf;

    td_config(&cfg, 1);
    td_begin(&td, &cfg, true);
    buf = data_req(0, SCSI_OP_READ_10, 0, 8, SIMHBA_DIR_IN, 4096);
    memset(buf, 0xAA, 4096);
    reqs[0].sg[0].length = 2048;               /* covers half */
    reqs[0].sg_count = 1;
    nreqs = 1;
    td_start(&td, post_all_script);
    td_run(&td);
    ck_assert_uint_eq(td.done[0].status, SIMHBA_CS_INVALID_REQUEST);
    ck_assert_uint_eq(td.done[0].residual, 4096);
    ck_assert_uint_eq(buf[0], 0xAA);           /* nothing moved */
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.sg_short, 1);
    ck_assert_uint_eq(st.invalid_requests, 1);
    ck_assert_uint_eq(st.errors, 1);
    td_end(&td);
}
END_TEST

START_TEST(test_bad_descriptors)
{
    struct hba_config cfg;

    td_config(&cfg, 1);
    cfg.max_sg = 4;
    td_begin(&td, &cfg, true);
    data_req(0, SCSI_OP_READ_10, 0, 1, SIMHBA_DIR_OUT, 512);  /* wrong way */
    data_req(1, SCSI_OP_READ_10, 0, 1, SIMHBA_DIR_IN, 512);
    reqs[1].cdb_len = 0;
    data_req(2, SCSI_OP_READ_10, 0, 128, SIMHBA_DIR_IN, 65536); /* > 4 SG */
    data_req(3, SCSI_OP_READ_10, 0, 1, SIMHBA_DIR_IN, 512);
    reqs[3].target = 5;                                       /* no target */
    data_req(4, SCSI_OP_READ_10, 0, 1, SIMHBA_DIR_IN, 512);
    reqs[4].lun = 3;                                          /* no LUN */
    data_req(5, SCSI_OP_READ_10, 0, 1, SIMHBA_DIR_IN, 512);
    reqs[5].sg[0].addr = 0x1000;                              /* unmapped */
    nreqs = 6;
    td_start(&td, post_all_script);
    td_run(&td);
    for (uint32_t i = 0; i < 3; i++)
        ck_assert_uint_eq(td_find(&td, i, NULL)->status, SIMHBA_CS_INVALID_REQUEST);
    ck_assert_uint_eq(td_find(&td, 3, NULL)->status, SIMHBA_CS_SELECTION_TIMEOUT);
    ck_assert_uint_eq(td_find(&td, 4, NULL)->status, SIMHBA_CS_INVALID_LUN);
    ck_assert_uint_eq(td_find(&td, 5, NULL)->status, SIMHBA_CS_INVALID_REQUEST);
    td_end(&td);
}
END_TEST

/* ---------- rings ---------- */

static struct simhba_req_desc tmpl;
static uint32_t next_tag, total;

static void
refill(struct td *t, const struct simhba_cmpl_desc *c)
{
    (void)c;
    if (next_tag < total) {
        tmpl.tag = next_tag++;
        td_post(t, &tmpl);
        td_doorbell(t);
    }
}

static void
full_queue_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    for (int i = 0; i < 8; i++) {
        tmpl.tag = next_tag++;
        td_post(t, &tmpl);
    }
    td_doorbell(t);
    td_wait(t, total);
}

/* 100 commands through an 8-slot ring kept full: the indices wrap twelve
 * times, every command completes once, the adapter is never over-full. */
START_TEST(test_ring_wraps_under_full_queue)
{
    struct hba_config cfg;
    struct hba_stats st;
    uint8_t seen[100] = { 0 };

    td_config(&cfg, 1);
    cfg.queue_depth = 8;
    td_begin(&td, &cfg, true);
    td_rw(&tmpl, 0, SCSI_OP_READ_10, 0, 8);
    td_data(&tmpl, SIMHBA_DIR_IN, physmem_alloc(4096, false), 4096);
    next_tag = 0;
    total = 100;
    td.on_cmpl = refill;
    td_start(&td, full_queue_script);
    td_run(&td);
    ck_assert_uint_eq(td.ndone, 100);
    for (size_t i = 0; i < td.ndone; i++) {
        ck_assert_uint_eq(td.done[i].status, SIMHBA_CS_SUCCESS);
        ck_assert_uint_lt(td.done[i].tag, 100);
        ck_assert_uint_eq(seen[td.done[i].tag]++, 0);
    }
    ck_assert_uint_eq(hba_read32(td.hba, SIMHBA_REG_REQ_CONS, SIM_HERE), 100);
    ck_assert_uint_eq(hba_read32(td.hba, SIMHBA_REG_CMPL_PROD, SIM_HERE), 100);
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.commands, 100);
    ck_assert_uint_eq(st.completions, 100);
    ck_assert_uint_eq(st.occupancy.max, 8);
    ck_assert_uint_eq(st.occupancy.now, 0);
    ck_assert_double_gt(st.occupancy.mean, 6.0);
    ck_assert_double_lt(st.occupancy.mean, 8.0);
    td_end(&td);
}
END_TEST

static uint32_t prod_while_masked;

static void
overflow_script(struct td *t)
{
    td_init_hw(t, 8, 4, 0);                    /* interrupts masked */
    for (uint32_t i = 0; i < 8; i++) {
        tmpl.tag = i;
        td_post(t, &tmpl);
    }
    td_doorbell(t);
    sim_work(SIM_US(100), SIM_HERE);           /* all eight are done */
    ck_assert_int_eq(hba_check(t->hba), 0);    /* four on the overflow queue */
    prod_while_masked = td_rd(t, SIMHBA_REG_CMPL_PROD);
    td_wr(t, SIMHBA_REG_INTR_MASK, SIMHBA_INTR_CMPL);
    td_wait(t, 8);
}

/* A 4-slot completion ring for 8 commands: four wait, in order, until the
 * driver frees slots; none is lost or overwritten. */
START_TEST(test_completion_ring_overflow)
{
    struct hba_config cfg;
    struct hba_stats st;

    td_config(&cfg, 1);
    cfg.queue_depth = 8;
    td_begin(&td, &cfg, true);
    td_rw(&tmpl, 0, SCSI_OP_READ_10, 0, 1);
    td_data(&tmpl, SIMHBA_DIR_IN, physmem_alloc(512, false), 512);
    td_start(&td, overflow_script);
    td_run(&td);
    ck_assert_uint_eq(prod_while_masked, 4);
    ck_assert_uint_eq(td.ndone, 8);
    for (uint32_t i = 0; i < 8; i++)
        ck_assert_uint_eq(td.done[i].tag, i);
    ck_assert_uint_eq(td.isr_runs, 2);
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.cmpl_ring_full, 4);
    td_end(&td);
}
END_TEST

/* ---------- timing and order ---------- */

static sim_time_t t_db;

static void
two_luns_script(struct td *t)
{
    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL);
    td_post(t, &reqs[0]);
    td_post(t, &reqs[1]);
    t_db = sim_now();
    td_doorbell(t);
    td_wait(t, 2);
}

/* LUN 0 takes 50 us, LUN 1 10 us: posted 0 then 1, they complete 1 then
 * 0, each at doorbell + serialised firmware time + its disk time. */
START_TEST(test_out_of_order_completion_times)
{
    struct hba_config cfg;
    struct hba_lun_stats ls;

    td_config(&cfg, 2);
    cfg.luns[0].disk.latency.read.fixed_ns = SIM_US(50);
    td_begin(&td, &cfg, true);
    data_req(0, SCSI_OP_READ_10, 0, 1, SIMHBA_DIR_IN, 512);
    data_req(1, SCSI_OP_READ_10, 0, 1, SIMHBA_DIR_IN, 512);
    reqs[1].lun = 1;
    td_start(&td, two_luns_script);
    td_run(&td);
    ck_assert_uint_eq(td.done[0].tag, 1);
    ck_assert_uint_eq(td.done[1].tag, 0);
    ck_assert_uint_eq(td.isr_at[0], t_db + 2000 + SIM_US(10));
    ck_assert_uint_eq(td.isr_at[1], t_db + 1000 + SIM_US(50));
    ck_assert_int_eq(hba_get_lun_stats(td.hba, 0, 1, &ls), 0);
    ck_assert(ls.present);
    ck_assert_uint_eq(ls.commands, 1);
    ck_assert_uint_eq(ls.by_opcode[SCSI_OP_READ_10], 1);
    ck_assert_uint_eq(ls.bytes_read, 512);
    ck_assert_uint_eq(ls.occupancy.max, 1);
    /* In flight from the fetch to the completion: exactly 12 us. */
    ck_assert_double_eq_tol(ls.occupancy.mean * (double)sim_now(),
                            (double)(2000 + SIM_US(10)), 0.5);
    ck_assert_int_eq(hba_get_lun_stats(td.hba, 1, 0, &ls), -ENOENT);
    td_end(&td);
}
END_TEST

Suite *
hba_suite(void)
{
    Suite *s = suite_create("hba");
    TCase *tc = tcase_create("registers");

    tcase_add_test(tc, test_registers);
    tcase_add_test(tc, test_bad_ring_setup);
    suite_add_tcase(s, tc);
    tc = tcase_create("dma");
    tcase_add_test(tc, test_write_then_read_back);
    tcase_add_test(tc, test_fragmented_sg_external_list);
    tcase_add_test(tc, test_residual_and_overrun);
    tcase_add_test(tc, test_sg_list_too_short);
    tcase_add_test(tc, test_bad_descriptors);
    suite_add_tcase(s, tc);
    tc = tcase_create("rings");
    tcase_add_test(tc, test_ring_wraps_under_full_queue);
    tcase_add_test(tc, test_completion_ring_overflow);
    tcase_add_test(tc, test_out_of_order_completion_times);
    suite_add_tcase(s, tc);
    return s;
}
