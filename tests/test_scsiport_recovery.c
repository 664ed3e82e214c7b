/* test_scsiport_recovery.c: the SCSI Port-style port driver when things
 * go wrong or need the port itself: timeouts, the bus reset and the reset
 * hold, ResetDetected, BUSY retries, frozen queues and RELEASE_QUEUE,
 * REQUEST SENSE issued by the port when the HBA has no autosense, the
 * functions the port completes itself, double completion; and, when
 * nothing goes wrong, 100,000 verified requests and a deterministic run. */
#include <check.h>
#include <string.h>

#include <storport.h>

#include "storsim/physmem.h"
#include "storsim/stack.h"
#include "storsim/workload.h"

static struct stack *st;

static void
boot_with(const struct stack_config *cfg, uint32_t bugs)
{
    char err[256];

    ck_assert_msg(stack_create(cfg, &st, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(stack_boot(st), 0);
    mp_set_bugs(stack_device_extension(st), bugs, 1);
    ck_assert_int_eq(st->pa->nluns, 2);
}

static void
boot(uint32_t bugs)
{
    struct stack_config cfg;

    stack_config_default(&cfg);
    cfg.model = PORT_MODEL_SCSIPORT;
    boot_with(&cfg, bugs);
}

static void
teardown(void)
{
    stack_destroy(st);
    st = NULL;
}

static void
add_fault(const char *text)
{
    struct hba_fault_rule rule;
    char err[160];

    ck_assert_msg(hba_fault_parse(text, &rule, err, sizeof err) == 0, "%s", err);
    ck_assert_int_ge(hba_fault_add(st->hba, &rule), 0);
}

/* The bug-check report, for failure messages. */
static const char *
why_dead(void)
{
    static char text[2048];
    const struct sim_bugcheck_info *bc = sim_bugcheck_info();

    if (bc == NULL)
        return "(no bug check)";
    sim_bugcheck_format(bc, text, sizeof text);
    return text;
}

static void
run_idle(void)
{
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
}

/* ---------- requests from a thread ---------- */

struct io {
    struct port_request req;
    SCSI_REQUEST_BLOCK srb;
    struct sim_thread_item item;
    uint8_t *buf;
    uint8_t *sense;
    int done;
    UCHAR status;        /* SrbStatus as completed, flag bits included */
};

static void
io_done(struct port_request *req, void *ctx)
{
    struct io *io = ctx;

    (void)req;
    io->done++;
    io->status = io->srb.SrbStatus;
}

static void
io_submit(void *ctx)
{
    struct io *io = ctx;

    ck_assert_int_eq(port_submit(st->pa, &io->req), 0);
}

static void
io_init(struct io *io, UCHAR fn, UCHAR lun, uint32_t len, ULONG flags)
{
    memset(io, 0, sizeof *io);
    io->buf = len ? physmem_alloc(len, false) : NULL;
    io->sense = physmem_alloc(32, true);
    io->srb.Length = sizeof io->srb;
    io->srb.Function = fn;
    io->srb.Lun = lun;
    io->srb.SrbFlags = flags;
    io->srb.QueueAction = SRB_SIMPLE_TAG_REQUEST;
    io->srb.DataTransferLength = len;
    io->srb.DataBuffer = io->buf;
    io->srb.SenseInfoBuffer = io->sense;
    io->srb.SenseInfoBufferLength = 18;
    io->srb.TimeOutValue = 10;
    io->req.srb = &io->srb;
    io->req.data = io->buf;
    io->req.length = len;
    io->req.complete = io_done;
    io->req.ctx = io;
}

static void
rw10(struct io *io, UCHAR lun, bool write, uint32_t lba, ULONG extra_flags)
{
    io_init(io, SRB_FUNCTION_EXECUTE_SCSI, lun, 8 * 512,
            (write ? SRB_FLAGS_DATA_OUT : SRB_FLAGS_DATA_IN) | extra_flags);
    io->srb.CdbLength = 10;
    io->srb.Cdb[0] = write ? SCSIOP_WRITE : SCSIOP_READ;
    io->srb.Cdb[2] = (UCHAR)(lba >> 24);
    io->srb.Cdb[3] = (UCHAR)(lba >> 16);
    io->srb.Cdb[4] = (UCHAR)(lba >> 8);
    io->srb.Cdb[5] = (UCHAR)lba;
    io->srb.Cdb[8] = 8;
    io->srb.QueueSortKey = lba;
}

static void
io_free(struct io *io)
{
    physmem_free(io->buf);
    physmem_free(io->sense);
}

static void
post_at(struct io *io, int cpu, sim_time_t when)
{
    sim_cpu_post(&io->item, cpu, io_submit, io, "ClassThread", when);
}

/* ---------- when HwScsiStartIo and HwScsiResetBus ran ---------- */

static sim_time_t startio_at[64];
static int resets, reset_synchronized;

static bool
holds_interrupt_lock(const struct sim_cpu *c)
{
    for (int i = 0; i < c->nheld && i < SIM_MAX_HELD; i++)
        if (strcmp(c->held[i]->name, "InterruptLock") == 0)
            return true;
    return false;
}

static void
watch(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind != SIM_EV_ENTER)
        return;
    if (strcmp(ev->routine, "HwScsiStartIo") == 0 && ev->srb < 64 &&
        startio_at[ev->srb] == 0)
        startio_at[ev->srb] = ev->time;
    if (strcmp(ev->routine, "HwScsiResetBus") == 0) {
        resets++;
        reset_synchronized += ev->irql_after == 5 &&
                              holds_interrupt_lock(sim_cpu_get(ev->cpu));
    }
}

static void
start_watching(void)
{
    memset(startio_at, 0, sizeof startio_at);
    resets = reset_synchronized = 0;
    sim_trace_subscribe(watch, NULL);
}

/* ---------- timeouts and resets ---------- */

START_TEST(test_timeout_resets_bus_and_holds)
{
    static struct io ios[8], late[2];
    struct scsiport_stats ss;
    sim_time_t t0;
    int reset = 0;

    boot(0);
    start_watching();
    add_fault("drop-command count=1");
    t0 = sim_now();
    for (int i = 0; i < 8; i++) {
        rw10(&ios[i], (UCHAR)(i & 1), i & 2, (uint32_t)i * 100,
             SRB_FLAGS_NO_QUEUE_FREEZE);
        ios[i].srb.TimeOutValue = 2;
        post_at(&ios[i], i % 4, t0);
    }
    /* Two more while the port holds requests after the reset. */
    for (int i = 0; i < 2; i++) {
        rw10(&late[i], 0, false, 5000 + (uint32_t)i * 8,
             SRB_FLAGS_NO_QUEUE_FREEZE);
        post_at(&late[i], 1, t0 + SIM_MS(3500));
    }
    run_idle();
    for (int i = 0; i < 8; i++) {
        ck_assert_int_eq(ios[i].done, 1);      /* each exactly once */
        if (SRB_STATUS(ios[i].status) == SRB_STATUS_BUS_RESET)
            reset++;
        else
            ck_assert_int_eq(SRB_STATUS(ios[i].status), SRB_STATUS_SUCCESS);
    }
    ck_assert_int_eq(reset, 1);                /* the dropped one */
    ck_assert_int_eq(resets, 1);
    ck_assert_int_eq(reset_synchronized, 1);   /* DIRQL, interrupt lock */
    scsiport_get_stats(st->pa, &ss);
    ck_assert_uint_eq(ss.timeouts, 1);
    /* The timeout came after 2 s (the tick is per second), the hold lasted
     * 4 s, and the late requests started only after it. */
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(late[i].done, 1);
        ck_assert_uint_ge(startio_at[late[i].req.id], t0 + SIM_SEC(2 + 4));
        ck_assert_uint_lt(startio_at[late[i].req.id], t0 + SIM_SEC(3 + 4) +
                          SIM_MS(10));
    }
    ck_assert_uint_eq(st->pa->outstanding, 0);
    for (int i = 0; i < 8; i++)
        io_free(&ios[i]);
    io_free(&late[0]);
    io_free(&late[1]);
    teardown();
}
END_TEST

static struct sim_event reset_ev;

static void
external_reset(struct sim_event *ev)
{
    (void)ev;
    ck_assert_int_eq(hba_bus_reset(st->hba), 0);
}

START_TEST(test_reset_detected_holds_requests)
{
    static struct io a, b;
    struct scsiport_stats ss;
    sim_time_t t0;

    boot(0);
    start_watching();
    add_fault("delay-interrupt delay=1ms count=1");   /* keep a in flight */
    t0 = sim_now();
    rw10(&a, 0, false, 0, SRB_FLAGS_NO_QUEUE_FREEZE);
    rw10(&b, 1, false, 0, SRB_FLAGS_NO_QUEUE_FREEZE);
    post_at(&a, 0, t0);
    post_at(&b, 2, t0 + SIM_US(500));
    sim_event_init(&reset_ev, external_reset, "another-initiator");
    sim_event_schedule(&reset_ev, t0 + SIM_US(200));
    run_idle();
    scsiport_get_stats(st->pa, &ss);
    ck_assert_uint_eq(ss.resets_detected, 1);
    ck_assert_int_eq(resets, 0);               /* nobody asked for it */
    ck_assert_int_eq(a.done, 1);
    ck_assert_int_eq(b.done, 1);
    /* b waited for the hold (4 s from the reset's end). */
    ck_assert_uint_ge(startio_at[b.req.id], t0 + SIM_SEC(4));
    io_free(&a);
    io_free(&b);
    teardown();
}
END_TEST

START_TEST(test_busy_is_sent_again)
{
    static struct io a;
    struct scsiport_stats ss;

    boot(0);
    add_fault("busy count=2");
    rw10(&a, 0, false, 0, 0);
    post_at(&a, 0, sim_now());
    run_idle();
    scsiport_get_stats(st->pa, &ss);
    ck_assert_int_eq(a.done, 1);
    ck_assert_int_eq(SRB_STATUS(a.status), SRB_STATUS_SUCCESS);
    ck_assert_uint_eq(ss.busy_retries, 2);
    ck_assert_uint_eq(ss.queue_freezes, 0);
    io_free(&a);
    teardown();
}
END_TEST

/* ---------- sense data and frozen queues ---------- */

static void
medium_error_read(bool autosense, ULONG flags, struct io *a)
{
    struct stack_config cfg;

    stack_config_default(&cfg);
    cfg.model = PORT_MODEL_SCSIPORT;
    cfg.miniport.auto_request_sense = autosense;
    boot_with(&cfg, 0);
    add_fault("medium-error op=read10 lun=0 count=1");
    rw10(a, 0, false, 2000, flags);
    post_at(a, 0, sim_now());
    run_idle();
    ck_assert_int_eq(a->done, 1);
    ck_assert_int_eq(SRB_STATUS(a->status), SRB_STATUS_ERROR);
    ck_assert_int_eq(a->srb.ScsiStatus, SCSISTAT_CHECK_CONDITION);
    /* Either way the class driver gets the sense: MEDIUM ERROR 11/00. */
    ck_assert(a->status & SRB_STATUS_AUTOSENSE_VALID);
    ck_assert_int_eq(a->sense[0] & 0x7F, 0x70);
    ck_assert_int_eq(a->sense[2] & 0x0F, SCSI_SENSE_MEDIUM_ERROR);
    ck_assert_int_eq(a->sense[12], 0x11);
}

START_TEST(test_port_requests_sense_without_autosense)
{
    static struct io a;
    struct scsiport_stats ss;

    medium_error_read(false, SRB_FLAGS_NO_QUEUE_FREEZE, &a);
    scsiport_get_stats(st->pa, &ss);
    ck_assert_uint_ge(ss.request_senses, 1);
    ck_assert(!(a.status & SRB_STATUS_QUEUE_FROZEN));
    io_free(&a);
    teardown();
}
END_TEST

START_TEST(test_autosense_needs_no_request_sense)
{
    static struct io a;
    struct scsiport_stats ss;

    medium_error_read(true, SRB_FLAGS_NO_QUEUE_FREEZE, &a);
    scsiport_get_stats(st->pa, &ss);
    ck_assert_uint_eq(ss.request_senses, 0);
    io_free(&a);
    teardown();
}
END_TEST

START_TEST(test_frozen_queue_waits_for_release)
{
    static struct io a, b, bypass, release;

    medium_error_read(true, 0, &a);
    ck_assert(a.status & SRB_STATUS_QUEUE_FROZEN);
    rw10(&b, 0, false, 3000, 0);
    post_at(&b, 1, sim_now());
    run_idle();                          /* idle: nothing may start */
    ck_assert_int_eq(b.done, 0);
    rw10(&bypass, 0, false, 4000, SRB_FLAGS_BYPASS_FROZEN_QUEUE);
    post_at(&bypass, 2, sim_now());
    run_idle();
    ck_assert_int_eq(bypass.done, 1);    /* it goes past the frozen queue */
    ck_assert_int_eq(b.done, 0);
    io_init(&release, SRB_FUNCTION_RELEASE_QUEUE, 0, 0, 0);
    post_at(&release, 3, sim_now());
    run_idle();
    ck_assert_int_eq(release.done, 1);
    ck_assert_int_eq(SRB_STATUS(release.status), SRB_STATUS_SUCCESS);
    ck_assert_int_eq(b.done, 1);
    ck_assert_int_eq(SRB_STATUS(b.status), SRB_STATUS_SUCCESS);
    io_free(&a);
    io_free(&b);
    io_free(&bypass);
    io_free(&release);
    teardown();
}
END_TEST

START_TEST(test_port_completes_what_it_owns)
{
    static struct io flush, ex, ioctl;

    boot(0);                             /* CachesData FALSE */
    io_init(&flush, SRB_FUNCTION_FLUSH, 0, 0, 0);
    io_init(&ex, SRB_FUNCTION_STORAGE_REQUEST_BLOCK, 0, 0, 0);
    io_init(&ioctl, SRB_FUNCTION_IO_CONTROL, 0, 0, 0);
    post_at(&flush, 0, sim_now());
    post_at(&ex, 1, sim_now());
    post_at(&ioctl, 2, sim_now());
    run_idle();
    ck_assert_int_eq(SRB_STATUS(flush.status), SRB_STATUS_SUCCESS);
    ck_assert_int_eq(SRB_STATUS(ex.status), SRB_STATUS_INVALID_REQUEST);
    /* IO_CONTROL reaches HwScsiStartIo (there is no BuildIo), which
     * refuses it. */
    ck_assert_int_eq(SRB_STATUS(ioctl.status), SRB_STATUS_INVALID_REQUEST);
    ck_assert_int_eq(flush.done + ex.done + ioctl.done, 3);
    io_free(&flush);
    io_free(&ex);
    io_free(&ioctl);
    teardown();
}
END_TEST

START_TEST(test_complete_twice_bugchecks)
{
    static struct io a;
    const struct sim_bugcheck_info *bc;

    boot(MP_BUG_COMPLETE_TWICE);
    rw10(&a, 0, false, 0, 0);
    post_at(&a, 0, sim_now());
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_BUGCHECK);
    bc = sim_bugcheck_info();
    ck_assert_uint_eq(bc->code, DRIVER_VERIFIER_DETECTED_VIOLATION);
    ck_assert_uint_eq(bc->param[0], PORT_VIOLATION_DOUBLE_COMPLETE);
    ck_assert_str_eq(bc->routine, "HwScsiInterrupt");
    ck_assert_ptr_nonnull(strstr(bc->file, "intr.c"));
    io_free(&a);
    teardown();
}
END_TEST

/* ---------- a lot of requests ---------- */

START_TEST(test_100k_dma)
{
    struct wl_spec spec;
    struct wl_result res;
    char err[256];

    boot(0);
    wl_spec_default(&spec);
    spec.count = 100000;
    spec.qd = 8;
    spec.read_pct = 50;
    spec.cpus = 0xF;
    spec.size = 32ull << 20;    /* a small region: reads hit written data */
    ck_assert_msg(wl_run(st->pa, &spec, &res, err, sizeof err) == 0, "%s: %s",
                  err, why_dead());
    ck_assert_msg(res.ok, "%s", res.first_problem);
    ck_assert_uint_eq(res.all.requests, 100000);
    ck_assert_uint_eq(res.srb_failed, 0);
    ck_assert_uint_eq(res.lost + res.duplicated + res.corrupted, 0);
    ck_assert_uint_gt(res.blocks_verified, 100000);
    teardown();
}
END_TEST

static uint64_t
run_hash(uint64_t seed, uint64_t *events)
{
    struct stack_config cfg;
    struct wl_spec spec;
    struct wl_result res;
    char err[256];
    uint64_t h;

    stack_config_default(&cfg);
    cfg.model = PORT_MODEL_SCSIPORT;
    cfg.machine.seed = seed;
    boot_with(&cfg, 0);
    wl_spec_default(&spec);
    spec.count = 3000;
    spec.qd = 4;
    spec.read_pct = 60;
    spec.cpus = 0xF;
    ck_assert_int_eq(wl_run(st->pa, &spec, &res, err, sizeof err), 0);
    ck_assert(res.ok);
    h = sim_trace_hash();
    *events = sim_trace_count();
    teardown();
    return h;
}

START_TEST(test_deterministic)
{
    uint64_t e1, e2, e3;
    uint64_t h1 = run_hash(21, &e1);
    uint64_t h2 = run_hash(21, &e2);
    uint64_t h3 = run_hash(22, &e3);

    ck_assert_uint_gt(e1, 50000);
    ck_assert_uint_eq(e1, e2);
    ck_assert_uint_eq(h1, h2);
    ck_assert_uint_ne(h1, h3);
}
END_TEST

Suite *
scsiport_recovery_suite(void)
{
    Suite *s = suite_create("scsiport_recovery");
    TCase *tc = tcase_create("resets");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_timeout_resets_bus_and_holds);
    tcase_add_test(tc, test_reset_detected_holds_requests);
    tcase_add_test(tc, test_busy_is_sent_again);
    suite_add_tcase(s, tc);
    tc = tcase_create("queue");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_port_requests_sense_without_autosense);
    tcase_add_test(tc, test_autosense_needs_no_request_sense);
    tcase_add_test(tc, test_frozen_queue_waits_for_release);
    tcase_add_test(tc, test_port_completes_what_it_owns);
    tcase_add_test(tc, test_complete_twice_bugchecks);
    suite_add_tcase(s, tc);
    tc = tcase_create("integrity");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_100k_dma);
    tcase_add_test(tc, test_deterministic);
    suite_add_tcase(s, tc);
    return s;
}
