/* test_hba_pio.c: the SIMHBA PIO data port: real data moved one ULONG per
 * access at its time cost, the buffer helpers, odd lengths, early end,
 * protocol errors, and the channel passing between queued commands. */
#include <check.h>
#include <string.h>

#include "storsim/hba.h"
#include "storsim/physmem.h"
#include "storsim/sim.h"
#include "tests/hba_tdrv.h"

static struct td td;

/* What the ISR saw each time the channel was handed to it. */
static struct pio_seen {
    uint32_t tag, status, status_after;
    sim_time_t at, took;
} seen[4];
static int nseen;
static uint8_t pio_in[2][8192];
static uint32_t words_to_read;     /* 0: all that PIO_STATUS says */
static bool use_buffer_helper, end_early;

static void
pio_in_hook(struct td *t, uint32_t status)
{
    struct pio_seen *s = &seen[nseen];
    uint32_t n, *dst = (uint32_t *)pio_in[nseen & 1];
    sim_time_t t0;

    if (!(status & SIMHBA_INTR_PIO_READY))
        return;
    s->at = sim_now();
    ck_assert_int_eq(hba_check(t->hba), 0);    /* channel and its queue */
    s->tag = td_rd(t, SIMHBA_REG_PIO_TAG);
    s->status = td_rd(t, SIMHBA_REG_PIO_STATUS);
    n = (SIMHBA_PIO_REMAINING(s->status) + 3) / 4;
    if (words_to_read != 0)
        n = words_to_read;
    t0 = sim_now();
    if (use_buffer_helper)
        hba_pio_read_buffer(t->hba, dst, n, SIM_HERE);
    else
        for (uint32_t i = 0; i < n; i++)
            dst[i] = td_rd(t, SIMHBA_REG_PIO_DATA);
    s->took = sim_now() - t0;
    if (end_early)
        td_wr(t, SIMHBA_REG_PIO_CONTROL, SIMHBA_PIO_CTL_END);
    s->status_after = td_rd(t, SIMHBA_REG_PIO_STATUS);
    nseen++;
}

static uint8_t *pattern;
static struct simhba_req_desc pio_req[2];
static int npio;

static void
pio_read_script(struct td *t)
{
    struct simhba_req_desc d;

    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL | SIMHBA_INTR_PIO_READY);
    td_rw(&d, 100, SCSI_OP_WRITE_10, 8, 16);   /* the data, by DMA */
    td_data(&d, SIMHBA_DIR_OUT, pattern, 8192);
    td_post(t, &d);
    td_doorbell(t);
    td_wait(t, 1);
    for (int i = 0; i < npio; i++)
        td_post(t, &pio_req[i]);
    td_doorbell(t);
    td_wait(t, 1 + (size_t)npio);
}

static void
pio_read_setup(int n, uint16_t blocks)
{
    struct hba_config cfg;

    td_config(&cfg, 1);
    td_begin(&td, &cfg, true);
    pattern = physmem_alloc(8192, false);
    td_fill(pattern, 8192, 9);
    for (int i = 0; i < n; i++) {
        td_rw(&pio_req[i], (uint32_t)i + 1, SCSI_OP_READ_10,
              8 + (uint32_t)i * blocks, blocks);
        pio_req[i].direction = SIMHBA_DIR_IN;
        pio_req[i].data_length = blocks * 512u;
        pio_req[i].flags = SIMHBA_REQ_F_PIO;   /* no SG list at all */
    }
    npio = n;
    nseen = 0;
    td.on_status = pio_in_hook;
}

/* 4 KiB through PIO_DATA: 1024 reads of 500 ns each; the data is the data,
 * and the command completes through the ring as usual. */
START_TEST(test_pio_read_moves_data_at_its_cost)
{
    struct hba_stats st;
    const struct simhba_cmpl_desc *c;

    words_to_read = 0;
    use_buffer_helper = end_early = false;
    pio_read_setup(1, 8);
    td_start(&td, pio_read_script);
    td_run(&td);
    ck_assert_int_eq(nseen, 1);
    ck_assert_uint_eq(seen[0].tag, 1);
    ck_assert_uint_eq(seen[0].status,
                      4096u | SIMHBA_PIO_ACTIVE | SIMHBA_PIO_DIR_IN);
    ck_assert_uint_eq(seen[0].took, 1024 * 500);
    ck_assert_uint_eq(seen[0].status_after, 0);
    ck_assert_mem_eq(pio_in[0], pattern, 4096);
    c = td_find(&td, 1, NULL);
    ck_assert_uint_eq(c->status, SIMHBA_CS_SUCCESS);
    ck_assert_uint_eq(c->residual, 0);
    ck_assert(c->flags & SIMHBA_CMPL_F_PIO);
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.pio_bytes, 4096);
    ck_assert_uint_eq(st.bytes_read, 4096);
    ck_assert_uint_eq(st.pio_errors, 0);
    td_end(&td);
}
END_TEST

/* Two PIO reads: the second gets the channel when the first is done. */
START_TEST(test_pio_channel_passes_on)
{
    words_to_read = 0;
    use_buffer_helper = true;
    end_early = false;
    pio_read_setup(2, 8);
    td_start(&td, pio_read_script);
    td_run(&td);
    ck_assert_int_eq(nseen, 2);
    ck_assert_uint_eq(seen[0].tag, 1);
    ck_assert_uint_eq(seen[1].tag, 2);
    ck_assert_uint_eq(seen[0].took, 1024 * 500);   /* helper: same cost */
    ck_assert_uint_ge(seen[1].at, seen[0].at + seen[0].took);
    ck_assert_mem_eq(pio_in[0], pattern, 4096);
    ck_assert_mem_eq(pio_in[1], pattern + 4096, 4096);
    ck_assert_uint_eq(td.ndone, 3);
    td_end(&td);
}
END_TEST

/* PIO_CONTROL.END after two ULONGs: the rest is residual. */
START_TEST(test_pio_end_early)
{
    const struct simhba_cmpl_desc *c;

    words_to_read = 2;
    use_buffer_helper = false;
    end_early = true;
    pio_read_setup(1, 8);
    td_start(&td, pio_read_script);
    td_run(&td);
    c = td_find(&td, 1, NULL);
    ck_assert_uint_eq(c->status, SIMHBA_CS_SUCCESS);
    ck_assert_uint_eq(c->residual, 4096 - 8);
    ck_assert(c->flags & SIMHBA_CMPL_F_UNDERRUN);
    ck_assert_uint_eq(seen[0].status_after, 0);
    ck_assert_mem_eq(pio_in[0], pattern, 8);
    td_end(&td);
}
END_TEST

/* INQUIRY with allocation length 37: 10 reads, the last carrying one
 * byte in its low end; one more read is a protocol error. */
static uint32_t extra_read;

static void
inquiry_script(struct td *t)
{
    static const uint8_t inq[6] = { SCSI_OP_INQUIRY, 0, 0, 0, 37, 0 };
    struct simhba_req_desc d;

    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL | SIMHBA_INTR_PIO_READY);
    td_cdb(&d, 7, inq, sizeof inq);
    d.direction = SIMHBA_DIR_IN;
    d.data_length = 64;
    d.flags = SIMHBA_REQ_F_PIO;
    td_post(t, &d);
    td_doorbell(t);
    td_wait(t, 1);
    extra_read = td_rd(t, SIMHBA_REG_PIO_DATA);
}

START_TEST(test_pio_odd_length)
{
    struct hba_config cfg;
    struct hba_stats st;
    const struct simhba_cmpl_desc *c;

    td_config(&cfg, 1);
    td_begin(&td, &cfg, true);
    words_to_read = 0;
    use_buffer_helper = end_early = false;
    nseen = 0;
    memset(pio_in, 0xEE, sizeof pio_in);
    td.on_status = pio_in_hook;
    td_start(&td, inquiry_script);
    td_run(&td);
    ck_assert_uint_eq(SIMHBA_PIO_REMAINING(seen[0].status), 37);
    ck_assert_mem_eq(pio_in[0] + 8, "STORSIM ", 8);
    ck_assert_uint_eq(pio_in[0][37], 0);       /* padding of the last ULONG */
    ck_assert_uint_eq(pio_in[0][40], 0xEE);    /* nothing past it */
    ck_assert_uint_eq(extra_read, 0xFFFFFFFFu);
    c = td_find(&td, 7, NULL);
    ck_assert_uint_eq(c->residual, 64 - 37);
    hba_get_stats(td.hba, &st);
    ck_assert_uint_eq(st.pio_errors, 1);
    ck_assert_uint_eq(st.pio_bytes, 37);
    td_end(&td);
}
END_TEST

/* ---------- data-out ---------- */

static uint8_t *readback;
static sim_time_t write_took;
static uint32_t out_status;
static int pio_events;

static void
count_pio(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == SIM_EV_PIO && ev->arg == 512)
        pio_events++;
}

static void
pio_out_hook(struct td *t, uint32_t status)
{
    sim_time_t t0;

    if (!(status & SIMHBA_INTR_PIO_READY))
        return;
    out_status = td_rd(t, SIMHBA_REG_PIO_STATUS);
    t0 = sim_now();
    hba_pio_write_buffer(t->hba, (const uint32_t *)pattern, 128, SIM_HERE);
    write_took = sim_now() - t0;
}

static void
pio_write_script(struct td *t)
{
    struct simhba_req_desc d;

    td_init_hw(t, 8, 8, SIMHBA_INTR_CMPL | SIMHBA_INTR_PIO_READY);
    td_rw(&d, 1, SCSI_OP_WRITE_10, 16, 1);
    d.direction = SIMHBA_DIR_OUT;
    d.data_length = 512;
    d.flags = SIMHBA_REQ_F_PIO;
    td_post(t, &d);
    td_doorbell(t);
    td_wait(t, 1);
    td_rw(&d, 2, SCSI_OP_READ_10, 16, 1);      /* read it back by DMA */
    td_data(&d, SIMHBA_DIR_IN, readback, 512);
    td_post(t, &d);
    td_doorbell(t);
    td_wait(t, 2);
}

START_TEST(test_pio_write)
{
    struct hba_config cfg;

    td_config(&cfg, 1);
    td_begin(&td, &cfg, true);
    pattern = physmem_alloc(512, false);
    readback = physmem_alloc(512, false);
    td_fill(pattern, 512, 3);
    pio_events = 0;
    sim_trace_subscribe(count_pio, NULL);
    td.on_status = pio_out_hook;
    td_start(&td, pio_write_script);
    td_run(&td);
    ck_assert_uint_eq(out_status, 512u | SIMHBA_PIO_ACTIVE);   /* DIR_IN clear */
    ck_assert_uint_eq(write_took, 128 * 500);
    ck_assert_int_eq(pio_events, 1);           /* one event for the buffer */
    ck_assert_uint_eq(td_find(&td, 1, NULL)->status, SIMHBA_CS_SUCCESS);
    ck_assert(td_find(&td, 1, NULL)->flags & SIMHBA_CMPL_F_PIO);
    ck_assert_mem_eq(readback, pattern, 512);
    td_end(&td);
}
END_TEST

Suite *
hba_pio_suite(void)
{
    Suite *s = suite_create("hba_pio");
    TCase *tc = tcase_create("pio");

    tcase_add_test(tc, test_pio_read_moves_data_at_its_cost);
    tcase_add_test(tc, test_pio_channel_passes_on);
    tcase_add_test(tc, test_pio_end_early);
    tcase_add_test(tc, test_pio_odd_length);
    tcase_add_test(tc, test_pio_write);
    suite_add_tcase(s, tc);
    return s;
}
