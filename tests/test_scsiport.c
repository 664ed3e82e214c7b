/* test_scsiport.c: the SCSI Port-style port driver with the SIMHBA
 * miniport, DMA mode: HwScsiStartIo at DIRQL under the interrupt lock and
 * never beside the ISR or another StartIo, NextRequest / NextLuRequest
 * gating, the QueueSortKey elevator, the miniport timer, timeouts, bus
 * resets and the reset hold, port-issued REQUEST SENSE, frozen queues,
 * and the verifier's catches. Every check reads the trace or the results
 * of a real run of the whole stack. */
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
    /* Bugs go on after the bus scan, so that the scan itself is clean. */
    mp_set_bugs(stack_device_extension(st), bugs, 1);
    ck_assert(st->pa->ready);
    ck_assert_int_eq(st->pa->nluns, 2);
}

static void
scsiport_config(struct stack_config *cfg)
{
    stack_config_default(cfg);
    cfg->model = PORT_MODEL_SCSIPORT;
}

static void
boot(uint32_t bugs)
{
    struct stack_config cfg;

    scsiport_config(&cfg);
    boot_with(&cfg, bugs);
}

static void
teardown(void)
{
    stack_destroy(st);
    st = NULL;
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

/* A READ(10) or WRITE(10) to LU `lun` (0 or 1), tagged or not. */
static void
rw10(struct io *io, UCHAR lun, bool write, uint32_t lba, uint16_t blocks,
     bool tagged)
{
    uint32_t len = blocks * 512u;

    memset(io, 0, sizeof *io);
    io->buf = physmem_alloc(len, false);
    io->sense = physmem_alloc(32, true);
    io->srb.Length = sizeof io->srb;
    io->srb.Function = SRB_FUNCTION_EXECUTE_SCSI;
    io->srb.Lun = lun;
    io->srb.CdbLength = 10;
    io->srb.Cdb[0] = write ? SCSIOP_WRITE : SCSIOP_READ;
    io->srb.Cdb[2] = (UCHAR)(lba >> 24);
    io->srb.Cdb[3] = (UCHAR)(lba >> 16);
    io->srb.Cdb[4] = (UCHAR)(lba >> 8);
    io->srb.Cdb[5] = (UCHAR)lba;
    io->srb.Cdb[7] = (UCHAR)(blocks >> 8);
    io->srb.Cdb[8] = (UCHAR)blocks;
    io->srb.SrbFlags = write ? SRB_FLAGS_DATA_OUT : SRB_FLAGS_DATA_IN;
    io->srb.QueueAction = tagged ? SRB_SIMPLE_TAG_REQUEST : 0;
    io->srb.QueueSortKey = lba;
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
io_free(struct io *io)
{
    physmem_free(io->buf);
    physmem_free(io->sense);
}

static void
post(struct io *io, int cpu)
{
    sim_cpu_post(&io->item, cpu, io_submit, io, "ClassThread", sim_now());
}

static void
post_at(struct io *io, int cpu, sim_time_t when)
{
    sim_cpu_post(&io->item, cpu, io_submit, io, "ClassThread", when);
}

static void
run_idle(void)
{
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
}

/* ---------- a recording of the interesting trace events ---------- */

enum rec_kind { R_STARTIO, R_NOTIFIED, R_NEXT, R_NEXT_LU, R_RESET_BUS };

struct rec {
    enum rec_kind kind;
    uint32_t srb;
    sim_time_t time;
};

static struct rec recs[512];
static int nrecs;

static void
record(const struct sim_trace_event *ev, void *ctx)
{
    enum rec_kind k;

    (void)ctx;
    if (ev->kind == SIM_EV_ENTER && strcmp(ev->routine, "HwScsiStartIo") == 0)
        k = R_STARTIO;
    else if (ev->kind == SIM_EV_ENTER && strcmp(ev->routine, "HwScsiResetBus") == 0)
        k = R_RESET_BUS;
    else if (ev->kind == SIM_EV_SRB && ev->arg == PORT_SRB_NOTIFIED)
        k = R_NOTIFIED;
    else if (ev->kind == SIM_EV_NOTIFY && ev->arg == NextRequest)
        k = R_NEXT;
    else if (ev->kind == SIM_EV_NOTIFY && ev->arg == NextLuRequest)
        k = R_NEXT_LU;
    else
        return;
    if (nrecs < (int)(sizeof recs / sizeof recs[0]))
        recs[nrecs++] = (struct rec){ k, ev->srb, ev->time };
}

static void
start_recording(void)
{
    nrecs = 0;
    sim_trace_subscribe(record, NULL);
}

/* Index of the first record of `kind` for `srb`, or -1. */
static int
find(enum rec_kind kind, uint32_t srb)
{
    for (int i = 0; i < nrecs; i++)
        if (recs[i].kind == kind && recs[i].srb == srb)
            return i;
    return -1;
}

static int
count_between(enum rec_kind kind, int from, int to)
{
    int n = 0;

    for (int i = from + 1; i < to; i++)
        n += recs[i].kind == kind;
    return n;
}

/* ---------- StartIo and the ISR, checked on every entry ---------- */

struct sync_watch {
    int in_startio[SIM_MAX_CPUS], in_isr[SIM_MAX_CPUS];
    bool token;                   /* a NextRequest since the last StartIo */
    int startios, isrs, bad;
    uint64_t startio_cpus, isr_cpus;
    char why[256];
};

static struct sync_watch W;

static bool
holds(const struct sim_cpu *c, const char *name)
{
    for (int i = 0; i < c->nheld && i < SIM_MAX_HELD; i++)
        if (strcmp(c->held[i]->name, name) == 0)
            return true;
    return false;
}

static void
expect(bool ok, const struct sim_trace_event *ev, const char *what)
{
    if (!ok && W.bad++ == 0)
        snprintf(W.why, sizeof W.why, "%s on CPU %d at %llu ns: %s",
                 ev->routine, ev->cpu, (unsigned long long)ev->time, what);
}

static bool
others_in(const int *in, int self)
{
    for (int i = 0; i < sim_ncpus(); i++)
        if (i != self && in[i] > 0)
            return true;
    return false;
}

static void
on_startio(const struct sim_trace_event *ev, const struct sim_cpu *c)
{
    W.startios++;
    W.startio_cpus |= 1ull << ev->cpu;
    expect(ev->irql_after == 5, ev, "HwScsiStartIo not at DIRQL");
    expect(holds(c, "InterruptLock"), ev, "interrupt lock not held");
    expect(!others_in(W.in_startio, ev->cpu), ev, "another StartIo runs");
    expect(!others_in(W.in_isr, ev->cpu), ev, "the ISR runs meanwhile");
    expect(W.token, ev, "StartIo without NextRequest since the last one");
    W.token = false;
    W.in_startio[ev->cpu]++;
}

static void
on_isr(const struct sim_trace_event *ev, const struct sim_cpu *c)
{
    W.isrs++;
    W.isr_cpus |= 1ull << ev->cpu;
    expect(ev->irql_after == 5 && holds(c, "InterruptLock"), ev,
           "HwScsiInterrupt not at DIRQL under the interrupt lock");
    expect(!others_in(W.in_startio, ev->cpu), ev, "StartIo runs meanwhile");
    W.in_isr[ev->cpu]++;
}

static void
check_sync(const struct sim_trace_event *ev, void *ctx)
{
    const struct sim_cpu *c;

    (void)ctx;
    if (ev->cpu < 0)
        return;
    c = sim_cpu_get(ev->cpu);
    if (ev->kind == SIM_EV_NOTIFY &&
        (ev->arg == NextRequest || ev->arg == NextLuRequest))
        W.token = true;
    if (ev->kind == SIM_EV_EXIT && strcmp(ev->routine, "HwScsiStartIo") == 0)
        W.in_startio[ev->cpu]--;
    if (ev->kind == SIM_EV_EXIT && strcmp(ev->routine, "HwScsiInterrupt") == 0)
        W.in_isr[ev->cpu]--;
    if (ev->kind != SIM_EV_ENTER)
        return;
    if (strcmp(ev->routine, "HwScsiStartIo") == 0)
        on_startio(ev, c);
    else if (strcmp(ev->routine, "HwScsiInterrupt") == 0)
        on_isr(ev, c);
    else if (strcmp(ev->routine, "HwScsiInitialize") == 0)
        expect(ev->irql_after == 5 && holds(c, "InterruptLock"), ev,
               "HwScsiInitialize not synchronized with the ISR");
    else if (strcmp(ev->routine, "HwScsiFindAdapter") == 0)
        expect(ev->irql_after == PASSIVE_LEVEL && c->nheld == 0, ev,
               "HwScsiFindAdapter not at PASSIVE_LEVEL without locks");
}

START_TEST(test_startio_synchronized_on_every_entry)
{
    struct stack_config cfg;
    struct wl_spec spec;
    struct wl_result res;
    char err[256];

    memset(&W, 0, sizeof W);
    W.token = true;               /* the adapter starts out ready */
    scsiport_config(&cfg);
    ck_assert_int_eq(stack_create(&cfg, &st, err, sizeof err), 0);
    sim_trace_subscribe(check_sync, NULL);
    ck_assert_int_eq(stack_boot(st), 0);
    wl_spec_default(&spec);
    spec.count = 4000;
    spec.qd = 8;
    spec.read_pct = 50;
    spec.cpus = 0xF;
    ck_assert_msg(wl_run(st->pa, &spec, &res, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(res.ok, "%s", res.first_problem);
    ck_assert_msg(W.bad == 0, "%d violations; first: %s", W.bad, W.why);
    ck_assert_int_ge(W.startios, 4000);
    ck_assert_int_ge(W.isrs, 100);
    /* A multi-CPU run: StartIo and the ISR each ran on several CPUs. */
    ck_assert_int_ge(__builtin_popcountll(W.startio_cpus), 2);
    ck_assert_int_ge(__builtin_popcountll(W.isr_cpus), 2);
    teardown();
}
END_TEST

/* ---------- NextRequest and NextLuRequest ---------- */

START_TEST(test_no_second_startio_before_next_request)
{
    static struct io ios[4];
    const struct sim_bugcheck_info *bc;

    boot(MP_BUG_FORGET_NEXT_REQUEST);      /* every StartIo forgets */
    start_recording();
    for (int i = 0; i < 4; i++) {
        rw10(&ios[i], (UCHAR)(i & 1), false, (uint32_t)i * 64, 8, true);
        post(&ios[i], i);
    }
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_BUGCHECK);
    bc = sim_bugcheck_info();
    ck_assert_uint_eq(bc->code, DRIVER_VERIFIER_DETECTED_VIOLATION);
    ck_assert_uint_eq(bc->param[0], PORT_VIOLATION_NO_NEXT_REQUEST);
    ck_assert_int_eq(count_between(R_STARTIO, -1, nrecs), 1);
    ck_assert_int_eq(count_between(R_NEXT, -1, nrecs) +
                     count_between(R_NEXT_LU, -1, nrecs), 0);
    /* The one request that started completed; the rest never started. */
    ck_assert_int_eq(ios[0].done + ios[1].done + ios[2].done + ios[3].done, 1);
    for (int i = 0; i < 4; i++)
        io_free(&ios[i]);
    teardown();
}
END_TEST

START_TEST(test_next_lu_request_lets_another_lu_start)
{
    static struct io a, b;
    int sa, sb;

    boot(0);
    start_recording();
    rw10(&a, 0, false, 0, 8, true);        /* tagged, LU 0 */
    rw10(&b, 1, false, 0, 8, true);        /* tagged, LU 1 */
    post(&a, 0);
    post_at(&b, 0, sim_now() + SIM_NS(1)); /* a is active by then */
    run_idle();
    ck_assert_int_eq(a.done + b.done, 2);
    sa = find(R_STARTIO, a.req.id);
    sb = find(R_STARTIO, b.req.id);
    ck_assert_int_ge(sa, 0);
    ck_assert_int_gt(sb, sa);
    /* Only NextLuRequest (for LU 0) came between the two starts, and LU 1
     * started while a was still active. */
    ck_assert_int_ge(count_between(R_NEXT_LU, sa, sb), 1);
    ck_assert_int_eq(count_between(R_NEXT, sa, sb), 0);
    ck_assert_int_gt(find(R_NOTIFIED, a.req.id), sb);
    io_free(&a);
    io_free(&b);
    teardown();
}
END_TEST

/* Two requests to one LU: tagged ones overlap, untagged ones do not. */
static void
two_on_one_lu(bool tagged)
{
    static struct io a, b;
    int sb;

    boot(0);
    start_recording();
    rw10(&a, 0, false, 0, 8, tagged);
    rw10(&b, 0, false, 64, 8, tagged);
    post(&a, 0);
    post_at(&b, 1, sim_now() + SIM_NS(1));
    run_idle();
    ck_assert_int_eq(a.done + b.done, 2);
    sb = find(R_STARTIO, b.req.id);
    ck_assert_int_gt(sb, find(R_STARTIO, a.req.id));
    if (tagged)
        ck_assert_int_lt(sb, find(R_NOTIFIED, a.req.id));
    else
        ck_assert_int_gt(sb, find(R_NOTIFIED, a.req.id));
    io_free(&a);
    io_free(&b);
    teardown();
}

START_TEST(test_tagged_requests_overlap_on_one_lu)
{
    two_on_one_lu(true);
}
END_TEST

START_TEST(test_untagged_requests_wait_on_one_lu)
{
    two_on_one_lu(false);
}
END_TEST

START_TEST(test_next_lu_request_while_untagged_bugchecks)
{
    static struct io a;
    const struct sim_bugcheck_info *bc;

    boot(MP_BUG_NEXT_LU_UNTAGGED);
    rw10(&a, 0, false, 0, 8, false);       /* untagged */
    post(&a, 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_BUGCHECK);
    bc = sim_bugcheck_info();
    ck_assert_uint_eq(bc->code, DRIVER_VERIFIER_DETECTED_VIOLATION);
    ck_assert_uint_eq(bc->param[0], PORT_VIOLATION_UNTAGGED_ACTIVE);
    ck_assert_str_eq(bc->routine, "HwScsiStartIo");
    ck_assert_ptr_nonnull(strstr(bc->file, "io.c"));
    io_free(&a);
    teardown();
}
END_TEST

/* Untagged requests queue behind a busy LU; the elevator then takes the
 * first QueueSortKey at or after the last one started, and wraps. */
struct elevator_batch {
    struct io ios[5];
};

static void
submit_batch(void *ctx)
{
    struct elevator_batch *b = ctx;

    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(port_submit(st->pa, &b->ios[i].req), 0);
}

START_TEST(test_queue_sort_key_elevator)
{
    static struct elevator_batch b;
    static struct sim_thread_item item;
    const uint32_t keys[5] = { 500, 900, 100, 700, 300 };
    const int order[5] = { 0, 3, 1, 2, 4 };   /* 500, 700, 900, 100, 300 */
    int prev = -1;

    boot(0);
    start_recording();
    for (int i = 0; i < 5; i++)
        rw10(&b.ios[i], 0, false, keys[i], 8, false);
    sim_cpu_post(&item, 0, submit_batch, &b, "ClassThread", sim_now());
    run_idle();
    for (int k = 0; k < 5; k++) {
        int s = find(R_STARTIO, b.ios[order[k]].req.id);
        ck_assert_msg(s > prev, "request with key %u started out of order",
                      keys[order[k]]);
        prev = s;
    }
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(b.ios[i].done, 1);
        io_free(&b.ios[i]);
    }
    teardown();
}
END_TEST

/* ---------- the miniport timer ---------- */

static sim_time_t fired_a, fired_b;
static int calls_a, calls_b;
static bool timer_synchronized;

static void
note_timer(void)
{
    const struct sim_cpu *c = sim_cpu_get(sim_cpu_current());

    timer_synchronized = sim_irql() == 5 && holds(c, "InterruptLock");
}

static VOID
TestTimerA(PVOID DeviceExtension)
{
    (void)DeviceExtension;
    calls_a++;
    fired_a = sim_now();
    note_timer();
}

static VOID
TestTimerB(PVOID DeviceExtension)
{
    (void)DeviceExtension;
    calls_b++;
    fired_b = sim_now();
    note_timer();
}

enum timer_script { REPLACE_AT_ONCE, CANCEL, ARM_A_500, REPLACE_WITH_B_100 };

static void
timer_thread(void *ctx)
{
    PVOID ext = stack_device_extension(st);

    switch ((enum timer_script)(uintptr_t)ctx) {
    case REPLACE_AT_ONCE:
        ScsiPortNotification(RequestTimerCall, ext, TestTimerA, (ULONG)100);
        ScsiPortNotification(RequestTimerCall, ext, TestTimerB, (ULONG)300);
        break;
    case CANCEL:
        ScsiPortNotification(RequestTimerCall, ext, TestTimerA, (ULONG)200);
        ScsiPortNotification(RequestTimerCall, ext, TestTimerA, (ULONG)0);
        break;
    case ARM_A_500:
        ScsiPortNotification(RequestTimerCall, ext, TestTimerA, (ULONG)500);
        break;
    case REPLACE_WITH_B_100:
        ScsiPortNotification(RequestTimerCall, ext, TestTimerB, (ULONG)100);
        break;
    }
}

static void
run_timer_script(enum timer_script script, sim_time_t when)
{
    static struct sim_thread_item items[2];
    static int next;

    sim_cpu_post(&items[next++ % 2], 1, timer_thread,
                 (void *)(uintptr_t)script, "timer", when);
}

START_TEST(test_timer_replace_and_cancel)
{
    sim_time_t t0;

    boot(0);
    calls_a = calls_b = 0;
    t0 = sim_now();
    run_timer_script(REPLACE_AT_ONCE, t0);
    run_idle();
    ck_assert_int_eq(calls_a, 0);          /* replaced before it fired */
    ck_assert_int_eq(calls_b, 1);
    ck_assert_uint_ge(fired_b, t0 + SIM_US(300));
    ck_assert_uint_lt(fired_b, t0 + SIM_US(320));
    ck_assert(timer_synchronized);         /* DIRQL, interrupt lock */

    calls_a = calls_b = 0;
    run_timer_script(CANCEL, sim_now());
    run_idle();
    ck_assert_int_eq(calls_a + calls_b, 0);   /* 0 microseconds cancels */

    /* A pending timer replaced later: A asked for +500 us, then at
     * +100 us B for 100 us more: B fires at about +200 us, A never. */
    t0 = sim_now();
    run_timer_script(ARM_A_500, t0);
    run_timer_script(REPLACE_WITH_B_100, t0 + SIM_US(100));
    run_idle();
    ck_assert_int_eq(calls_a, 0);
    ck_assert_int_eq(calls_b, 1);
    ck_assert_uint_ge(fired_b, t0 + SIM_US(200));
    ck_assert_uint_lt(fired_b, t0 + SIM_US(220));
    teardown();
}
END_TEST

/* ---------- ScsiPortGetSrb and the register range ---------- */

static bool
went_to_hba(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    return ev->kind == SIM_EV_SRB && ev->detail != NULL &&
           !strcmp(ev->detail, "on HBA");
}

/* ScsiPortGetSrb finds an active request by its queue tag, and an untagged
 * one by SP_UNTAGGED; not a tag of another LU, a tag out of range, nor a
 * request that has completed. */
START_TEST(test_get_srb_finds_active_requests)
{
    struct sim_run_limits lim = { .match = went_to_hba };
    struct io tagged, untagged;
    void *ext;
    UCHAR tag;

    boot(0);
    ext = stack_device_extension(st);
    rw10(&tagged, 0, false, 0, 8, true);
    rw10(&untagged, 1, false, 0, 8, false);
    post(&tagged, 0);
    post(&untagged, 1);
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(sim_run(&lim), SIM_STOP_MATCH);
    ck_assert_int_eq(tagged.done + untagged.done, 0);
    tag = tagged.srb.QueueTag;
    ck_assert_uint_ne(tag, SP_UNTAGGED);
    ck_assert_ptr_eq(ScsiPortGetSrb(ext, 0, 0, 0, tag), &tagged.srb);
    ck_assert_ptr_eq(ScsiPortGetSrb(ext, 0, 0, 1, SP_UNTAGGED), &untagged.srb);
    ck_assert_ptr_null(ScsiPortGetSrb(ext, 0, 0, 1, tag));   /* another LU */
    ck_assert_ptr_null(ScsiPortGetSrb(ext, 0, 0, 0, SP_UNTAGGED));
    ck_assert_ptr_null(ScsiPortGetSrb(ext, 0, 0, 0, 0));
    ck_assert_ptr_null(ScsiPortGetSrb(ext, 0, 0, 0, 10000));
    run_idle();
    ck_assert_int_eq(tagged.done, 1);
    ck_assert_int_eq(untagged.done, 1);
    ck_assert_ptr_null(ScsiPortGetSrb(ext, 0, 0, 0, tag));
    ck_assert_ptr_null(ScsiPortGetSrb(ext, 0, 0, 1, SP_UNTAGGED));
    io_free(&tagged);
    io_free(&untagged);
    teardown();
}
END_TEST

static void
read_unmapped_register(void *ctx)
{
    (void)ctx;
    (void)ScsiPortReadRegisterUlong((PULONG)(uintptr_t)0x1000);
}

/* A register address outside what ScsiPortGetDeviceBase mapped stops the
 * machine with the port's violation, naming the routine. */
START_TEST(test_register_outside_mapped_range_bugchecks)
{
    struct sim_thread_item item;
    const struct sim_bugcheck_info *b;

    boot(0);
    memset(&item, 0, sizeof item);
    sim_cpu_post(&item, 0, read_unmapped_register, NULL, "ClassThread",
                 sim_now());
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_BUGCHECK);
    b = sim_bugcheck_info();
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(b->code, DRIVER_VERIFIER_DETECTED_VIOLATION);
    ck_assert_uint_eq(b->param[0], PORT_VIOLATION_BAD_REGISTER);
    ck_assert_uint_eq(b->param[1], 0x1000);
    ck_assert_ptr_nonnull(strstr(b->why, "ScsiPortReadRegisterUlong"));
    teardown();
}
END_TEST

Suite *
scsiport_suite(void)
{
    Suite *s = suite_create("scsiport");
    TCase *tc = tcase_create("sync");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_startio_synchronized_on_every_entry);
    suite_add_tcase(s, tc);
    tc = tcase_create("gating");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_no_second_startio_before_next_request);
    tcase_add_test(tc, test_next_lu_request_lets_another_lu_start);
    tcase_add_test(tc, test_tagged_requests_overlap_on_one_lu);
    tcase_add_test(tc, test_untagged_requests_wait_on_one_lu);
    tcase_add_test(tc, test_next_lu_request_while_untagged_bugchecks);
    tcase_add_test(tc, test_queue_sort_key_elevator);
    tcase_add_test(tc, test_timer_replace_and_cancel);
    tcase_add_test(tc, test_get_srb_finds_active_requests);
    tcase_add_test(tc, test_register_outside_mapped_range_bugchecks);
    suite_add_tcase(s, tc);
    return s;
}
