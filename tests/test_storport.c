/* test_storport.c: the Storport-style port driver with the SIMHBA miniport
 * on the simulated machine: documented IRQLs and locks for every callback,
 * concurrent HwStorBuildIo, the BuildIo-FALSE path, unmapped read/write
 * buffers, data integrity, FLUSH gating and extended SRBs. */
#include <check.h>
#include <stddef.h>
#include <string.h>

#include <storport.h>

#include "storsim/physmem.h"
#include "storsim/stack.h"
#include "storsim/workload.h"

static struct stack *st;

static void
boot(bool full_duplex, enum mp_work_where where, uint32_t bugs)
{
    struct stack_config cfg;
    char err[256];

    stack_config_default(&cfg);
    cfg.miniport.full_duplex = full_duplex;
    cfg.miniport.work_in = where;
    ck_assert_msg(stack_create(&cfg, &st, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(stack_boot(st), 0);
    /* Bugs go on after the bus scan, so that the scan itself is clean. */
    mp_set_bugs(storport_device_extension(st->pa), bugs, 1);
    ck_assert(st->pa->ready);
    ck_assert_int_ge(st->pa->nluns, 1);
}

static void
teardown(void)
{
    stack_destroy(st);
    st = NULL;
}

/* ---------- issuing requests from a thread ---------- */

struct io {
    struct port_request req;
    SCSI_REQUEST_BLOCK srb;
    struct sim_thread_item item;
    uint8_t *buf;
    uint8_t *sense;
    int done;
    UCHAR status;
};

static void
io_done(struct port_request *req, void *ctx)
{
    struct io *io = ctx;

    (void)req;
    io->done++;
    io->status = SRB_STATUS(io->srb.SrbStatus);
}

static void
io_submit(void *ctx)
{
    struct io *io = ctx;

    ck_assert_int_eq(port_submit(st->pa, &io->req), 0);
}

static void
io_init(struct io *io, UCHAR fn, const uint8_t *cdb, UCHAR cdblen,
        uint32_t len, ULONG flags)
{
    memset(io, 0, sizeof *io);
    io->buf = len ? physmem_alloc(len, false) : NULL;
    io->sense = physmem_alloc(32, true);
    io->srb.Length = sizeof io->srb;
    io->srb.Function = fn;
    io->srb.CdbLength = cdblen;
    memcpy(io->srb.Cdb, cdb, cdblen);
    io->srb.SrbFlags = flags;
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
rw10(struct io *io, bool write, uint32_t lba, uint16_t blocks)
{
    uint8_t cdb[10] = { write ? SCSIOP_WRITE : SCSIOP_READ, 0,
                        (uint8_t)(lba >> 24), (uint8_t)(lba >> 16),
                        (uint8_t)(lba >> 8), (uint8_t)lba, 0,
                        (uint8_t)(blocks >> 8), (uint8_t)blocks, 0 };

    io_init(io, SRB_FUNCTION_EXECUTE_SCSI, cdb, 10, blocks * 512u,
            write ? SRB_FLAGS_DATA_OUT : SRB_FLAGS_DATA_IN);
}

static void
post(struct io *io, int cpu)
{
    sim_cpu_post(&io->item, cpu, io_submit, io, "ClassThread", sim_now());
}

static void
run_idle(void)
{
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
}

/* ---------- invariants from the trace ---------- */

struct watch {
    int enters[16];
    int buildio_now, buildio_max;
    int bad;
    char why[256];
};

static struct watch W;

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
        snprintf(W.why, sizeof W.why, "%s: %s at IRQL %s", ev->routine, what,
                 sim_irql_name(ev->irql_after));
}

/* Every callback entry is checked against the tables of the Storport
 * documentation (StorPortAcquireSpinLock) and the seeds. */
static void
check_callback(const struct sim_trace_event *ev, void *ctx)
{
    const struct sim_cpu *c;
    bool full = *(bool *)ctx;

    if (ev->cpu < 0)
        return;
    c = sim_cpu_get(ev->cpu);
    if (ev->kind == SIM_EV_EXIT && strcmp(ev->routine, "HwStorBuildIo") == 0)
        W.buildio_now--;
    if (ev->kind != SIM_EV_ENTER)
        return;
    if (strcmp(ev->routine, "HwStorBuildIo") == 0) {
        W.enters[0]++;
        expect(ev->irql_after == DISPATCH_LEVEL, ev, "not DISPATCH_LEVEL");
        expect(c->nheld == 0, ev, "holds a lock");
        if (++W.buildio_now > W.buildio_max)
            W.buildio_max = W.buildio_now;
    } else if (strcmp(ev->routine, "HwStorStartIo") == 0) {
        W.enters[1]++;
        expect(holds(c, "StartIoLock"), ev, "StartIoLock not held");
        expect(full ? ev->irql_after == DISPATCH_LEVEL
                    : ev->irql_after == 5, ev, "wrong IRQL");
        expect(full ? !holds(c, "InterruptLock") : holds(c, "InterruptLock"),
               ev, "interrupt lock state wrong for the duplex mode");
    } else if (strcmp(ev->routine, "HwStorInterrupt") == 0) {
        W.enters[2]++;
        expect(ev->irql_after == 5, ev, "not at DIRQL");
        expect(holds(c, "InterruptLock") && c->nheld == 1, ev,
               "not exactly the interrupt lock");
    } else if (strcmp(ev->routine, "HwStorDpcRoutine") == 0) {
        W.enters[3]++;
        expect(ev->irql_after == DISPATCH_LEVEL && c->nheld == 0, ev,
               "DPC not at DISPATCH_LEVEL without locks");
    } else if (strcmp(ev->routine, "HwStorInitialize") == 0) {
        W.enters[4]++;
        expect(ev->irql_after == 5 && holds(c, "InterruptLock"), ev,
               "HwStorInitialize not at DIRQL under the interrupt lock");
    } else if (strcmp(ev->routine, "HwStorResetBus") == 0 ||
               strcmp(ev->routine, "HwStorTimer") == 0) {
        W.enters[5]++;
        expect(holds(c, "StartIoLock"), ev, "StartIoLock not held");
        expect(full ? ev->irql_after == DISPATCH_LEVEL && !holds(c, "InterruptLock")
                    : ev->irql_after == 5 && holds(c, "InterruptLock"),
               ev, "wrong IRQL or interrupt lock for the duplex mode");
    } else if (strcmp(ev->routine, "HwStorFindAdapter") == 0) {
        expect(ev->irql_after == PASSIVE_LEVEL && c->nheld == 0, ev,
               "HwStorFindAdapter not at PASSIVE_LEVEL without locks");
    }
}

static bool duplex_flag;

static void
run_mixed(bool full, enum mp_work_where where)
{
    static struct io ios[32];

    memset(&W, 0, sizeof W);
    duplex_flag = full;
    {
        struct stack_config cfg;
        char err[256];
        stack_config_default(&cfg);
        cfg.miniport.full_duplex = full;
        cfg.miniport.work_in = where;
        ck_assert_int_eq(stack_create(&cfg, &st, err, sizeof err), 0);
        sim_trace_subscribe(check_callback, &duplex_flag);
        ck_assert_int_eq(stack_boot(st), 0);
    }
    for (int i = 0; i < 32; i++) {
        rw10(&ios[i], i % 3 == 0, (uint32_t)(i * 64), 16);
        post(&ios[i], i % 4);
    }
    run_idle();
    for (int i = 0; i < 32; i++) {
        ck_assert_int_eq(ios[i].done, 1);
        ck_assert_int_eq(ios[i].status, SRB_STATUS_SUCCESS);
        physmem_free(ios[i].buf);
        physmem_free(ios[i].sense);
    }
    ck_assert_msg(W.bad == 0, "%d violations; first: %s", W.bad, W.why);
    ck_assert_int_ge(W.enters[0], 32);
    ck_assert_int_ge(W.enters[1], 32);
    ck_assert_int_ge(W.enters[2], 1);
    ck_assert_int_ge(W.enters[3], 1);
    ck_assert_int_eq(W.enters[4], 1);
}

START_TEST(test_locks_and_irql_full_duplex)
{
    run_mixed(true, MP_WORK_IN_BUILDIO);
    /* Four CPUs submitting at once: BuildIo ran on several at the same time. */
    ck_assert_int_ge(W.buildio_max, 2);
    teardown();
}
END_TEST

START_TEST(test_locks_and_irql_half_duplex)
{
    run_mixed(false, MP_WORK_IN_STARTIO);
    teardown();
}
END_TEST

/* ---------- data ---------- */

START_TEST(test_write_then_read_back)
{
    static struct io w, r;

    boot(true, MP_WORK_IN_BUILDIO, 0);
    rw10(&w, true, 1000, 128);               /* 64 KiB: a real SG list */
    for (uint32_t i = 0; i < 128 * 512; i++)
        w.buf[i] = (uint8_t)(i * 7 + 3);
    post(&w, 1);
    run_idle();
    ck_assert_int_eq(w.status, SRB_STATUS_SUCCESS);
    rw10(&r, false, 1000, 128);
    post(&r, 2);
    run_idle();
    ck_assert_int_eq(r.status, SRB_STATUS_SUCCESS);
    ck_assert_int_eq(r.srb.DataTransferLength, 128 * 512);
    ck_assert_mem_eq(r.buf, w.buf, 128 * 512);
    ck_assert_ptr_eq(r.srb.DataBuffer, r.buf);   /* restored for the class */
    physmem_free(w.buf); physmem_free(w.sense);
    physmem_free(r.buf); physmem_free(r.sense);
    teardown();
}
END_TEST

static void *seen_buffer;
static bool saw_buildio;

static void
watch_buildio_buffer(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == SIM_EV_ENTER && strcmp(ev->routine, "HwStorBuildIo") == 0 &&
        ev->srb != 0) {
        const struct sim_frame *f = sim_current_frame();
        (void)f;
        saw_buildio = true;
    }
}

START_TEST(test_read_write_buffer_unmapped)
{
    static struct io r;

    boot(true, MP_WORK_IN_BUILDIO, 0);
    sim_trace_subscribe(watch_buildio_buffer, NULL);
    rw10(&r, false, 0, 8);
    seen_buffer = (void *)1;
    post(&r, 0);
    /* Stop inside HwStorBuildIo and look at the SRB the miniport sees. */
    {
        struct sim_run_limits lim = { .steps = 1 };
        while (sim_run(&lim) == SIM_STOP_STEPS) {
            const struct sim_trace_event *ev = sim_trace_recent(0);
            if (ev->kind == SIM_EV_ENTER &&
                strcmp(ev->routine, "HwStorBuildIo") == 0) {
                seen_buffer = r.srb.DataBuffer;
                break;
            }
        }
    }
    run_idle();
    ck_assert(saw_buildio);
    /* For a READ: an address that is never mapped (touching it is a bug
     * check), not the class driver's buffer. */
    ck_assert(sim_is_unmapped((uintptr_t)seen_buffer));
    ck_assert_ptr_ne(seen_buffer, r.buf);
    ck_assert_ptr_eq(r.srb.DataBuffer, r.buf);   /* and given back after */
    physmem_free(r.buf); physmem_free(r.sense);
    teardown();
}
END_TEST

/* ---------- special paths ---------- */

START_TEST(test_buildio_false_path)
{
    static struct io io;
    const uint8_t cdb[6] = { 0 };

    boot(true, MP_WORK_IN_BUILDIO, 0);
    /* IO_CONTROL: the miniport has no private IOCTLs; HwStorBuildIo
     * completes it and returns FALSE, so it never reaches StartIo. */
    io_init(&io, SRB_FUNCTION_IO_CONTROL, cdb, 6, 0, 0);
    memset(&W, 0, sizeof W);
    duplex_flag = true;
    sim_trace_subscribe(check_callback, &duplex_flag);
    post(&io, 0);
    run_idle();
    ck_assert_int_eq(io.done, 1);
    ck_assert_int_eq(io.status, SRB_STATUS_INVALID_REQUEST);
    ck_assert_int_eq(W.enters[0], 1);   /* BuildIo */
    ck_assert_int_eq(W.enters[1], 0);   /* no StartIo */
    physmem_free(io.sense);
    teardown();
}
END_TEST

START_TEST(test_flush_needs_caches_data)
{
    static struct io io;
    const uint8_t cdb[6] = { 0 };

    boot(true, MP_WORK_IN_BUILDIO, 0);   /* CachesData FALSE by default */
    io_init(&io, SRB_FUNCTION_FLUSH, cdb, 6, 0, 0);
    memset(&W, 0, sizeof W);
    sim_trace_subscribe(check_callback, &duplex_flag);
    post(&io, 0);
    run_idle();
    ck_assert_int_eq(io.done, 1);
    ck_assert_int_eq(io.status, SRB_STATUS_SUCCESS);
    ck_assert_int_eq(W.enters[0], 0);   /* the miniport never saw it */
    physmem_free(io.sense);
    teardown();
}
END_TEST

START_TEST(test_complete_twice_bugchecks)
{
    static struct io io;
    const struct sim_bugcheck_info *bc;

    boot(true, MP_WORK_IN_BUILDIO, MP_BUG_COMPLETE_TWICE);
    rw10(&io, false, 0, 8);
    post(&io, 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_BUGCHECK);
    bc = sim_bugcheck_info();
    ck_assert_uint_eq(bc->code, DRIVER_VERIFIER_DETECTED_VIOLATION);
    ck_assert_uint_eq(bc->param[0], PORT_VIOLATION_DOUBLE_COMPLETE);
    ck_assert_str_eq(bc->routine, "HwStorDpcRoutine");
    ck_assert_ptr_nonnull(strstr(bc->file, "intr.c"));
    physmem_free(io.buf); physmem_free(io.sense);
    teardown();
}
END_TEST

START_TEST(test_lock_order_bug_bugchecks)
{
    static struct io io;
    const struct sim_bugcheck_info *bc;

    boot(true, MP_WORK_IN_BUILDIO, MP_BUG_LOCK_ORDER);
    rw10(&io, false, 0, 8);
    post(&io, 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_BUGCHECK);
    bc = sim_bugcheck_info();
    ck_assert_uint_eq(bc->code, DRIVER_VERIFIER_DETECTED_VIOLATION);
    ck_assert_uint_eq(bc->param[0], SIM_VERIFIER_DEADLOCK);
    ck_assert_ptr_nonnull(strstr(bc->why, "lock order"));
    physmem_free(io.buf); physmem_free(io.sense);
    teardown();
}
END_TEST


/* ---------- recovery and queue control ---------- */

static void
add_fault(const char *text)
{
    struct hba_fault_rule rule;
    char err[160];

    ck_assert_msg(hba_fault_parse(text, &rule, err, sizeof err) == 0, "%s", err);
    ck_assert_int_ge(hba_fault_add(st->hba, &rule), 0);
}

static int buildio_of[64];

static void
count_buildio(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == SIM_EV_ENTER && strcmp(ev->routine, "HwStorBuildIo") == 0 &&
        ev->srb < 64)
        buildio_of[ev->srb]++;
}

START_TEST(test_busy_is_reissued_through_buildio)
{
    static struct io io;

    boot(true, MP_WORK_IN_BUILDIO, 0);
    memset(buildio_of, 0, sizeof buildio_of);
    sim_trace_subscribe(count_buildio, NULL);
    add_fault("busy count=2");
    rw10(&io, false, 0, 8);
    post(&io, 0);
    run_idle();
    ck_assert_int_eq(io.done, 1);
    ck_assert_int_eq(io.status, SRB_STATUS_SUCCESS);
    ck_assert_uint_lt(io.req.id, 64);
    ck_assert_int_eq(buildio_of[io.req.id], 3);   /* once, then twice more */
    physmem_free(io.buf); physmem_free(io.sense);
    teardown();
}
END_TEST

START_TEST(test_timeout_resets_bus_nothing_lost)
{
    static struct io ios[8];

    boot(true, MP_WORK_IN_BUILDIO, 0);
    memset(&W, 0, sizeof W);
    duplex_flag = true;
    sim_trace_subscribe(check_callback, &duplex_flag);
    add_fault("drop-command count=1");
    for (int i = 0; i < 8; i++) {
        rw10(&ios[i], i & 1, (uint32_t)(i * 100), 8);
        ios[i].srb.TimeOutValue = 2;
        post(&ios[i], i % 4);
    }
    run_idle();
    int reset = 0;
    for (int i = 0; i < 8; i++) {
        ck_assert_int_eq(ios[i].done, 1);          /* each exactly once */
        if (ios[i].status == SRB_STATUS_BUS_RESET)
            reset++;
        else
            ck_assert_int_eq(ios[i].status, SRB_STATUS_SUCCESS);
        physmem_free(ios[i].buf); physmem_free(ios[i].sense);
    }
    ck_assert_int_eq(reset, 1);                    /* the dropped one */
    ck_assert_int_eq(W.enters[5], 1);              /* one HwStorResetBus */
    ck_assert_msg(W.bad == 0, "%s", W.why);
    ck_assert_uint_ge(sim_now(), SIM_SEC(2));      /* after its timeout */
    ck_assert_uint_lt(sim_now(), SIM_SEC(10));     /* plus the reset hold */
    teardown();
}
END_TEST

static int inflight, inflight_max;

static void
count_inflight(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind != SIM_EV_SRB)
        return;
    if (ev->arg == PORT_SRB_BUILDIO && ++inflight > inflight_max)
        inflight_max = inflight;
    if (ev->arg == PORT_SRB_DPC)
        inflight--;
}

static void
set_depth(void *ctx)
{
    (void)ctx;
    ck_assert(StorPortSetDeviceQueueDepth(storport_device_extension(st->pa),
                                          0, 0, 0, 4));
}

START_TEST(test_lu_queue_depth_respected)
{
    static struct io ios[40];
    static struct sim_thread_item depth_item;

    boot(true, MP_WORK_IN_BUILDIO, 0);
    sim_cpu_post(&depth_item, 0, set_depth, NULL, "set-depth", sim_now());
    run_idle();
    inflight = inflight_max = 0;
    sim_trace_subscribe(count_inflight, NULL);
    for (int i = 0; i < 40; i++) {
        rw10(&ios[i], false, (uint32_t)(i * 8), 8);
        post(&ios[i], i % 4);
    }
    run_idle();
    ck_assert_int_eq(inflight_max, 4);
    for (int i = 0; i < 40; i++) {
        ck_assert_int_eq(ios[i].done, 1);
        physmem_free(ios[i].buf); physmem_free(ios[i].sense);
    }
    teardown();
}
END_TEST

static sim_time_t first_buildio;

static void
note_first_buildio(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == SIM_EV_ENTER && strcmp(ev->routine, "HwStorBuildIo") == 0 &&
        first_buildio == 0)
        first_buildio = ev->time;
}

static void
pause_adapter(void *ctx)
{
    (void)ctx;
    ck_assert(StorPortPause(storport_device_extension(st->pa), 1));
}

START_TEST(test_pause_holds_requests)
{
    static struct io io;
    static struct sim_thread_item pause_item;
    sim_time_t paused_at;

    boot(true, MP_WORK_IN_BUILDIO, 0);
    paused_at = sim_now();
    sim_cpu_post(&pause_item, 0, pause_adapter, NULL, "pause", sim_now());
    run_idle();   /* idle while paused: only the resume timer is pending */
    first_buildio = 0;
    sim_trace_subscribe(note_first_buildio, NULL);
    rw10(&io, false, 0, 8);
    post(&io, 1);
    run_idle();
    ck_assert_int_eq(io.done, 1);
    ck_assert_uint_ge(first_buildio, paused_at + SIM_SEC(1));
    physmem_free(io.buf); physmem_free(io.sense);
    teardown();
}
END_TEST

/* An extended SRB built by hand: header, a BTL8 address, one CDB16 block. */
struct srb_ex_image {
    STORAGE_REQUEST_BLOCK srb;
    ULONG more_offsets[3];
    STOR_ADDR_BTL8 addr;
    SRBEX_DATA_SCSI_CDB16 cdb16;
};

START_TEST(test_storage_request_block)
{
    static struct srb_ex_image ex;
    static struct io io;
    const uint8_t cdb[10] = { SCSIOP_READ, 0, 0, 0, 0, 64, 0, 0, 8, 0 };

    boot(true, MP_WORK_IN_BUILDIO, 0);
    ck_assert(st->pa->uses_storage_request_block);
    rw10(&io, false, 64, 8);
    memset(&ex, 0, sizeof ex);
    ex.srb.Length = sizeof(STORAGE_REQUEST_BLOCK_HEADER);
    ex.srb.Function = SRB_FUNCTION_STORAGE_REQUEST_BLOCK;
    ex.srb.Signature = SRB_SIGNATURE;
    ex.srb.Version = STORAGE_REQUEST_BLOCK_VERSION_1;
    ex.srb.SrbLength = sizeof ex;
    ex.srb.SrbFunction = SRB_FUNCTION_EXECUTE_SCSI;
    ex.srb.SrbFlags = SRB_FLAGS_DATA_IN;
    ex.srb.TimeOutValue = 10;
    ex.srb.DataTransferLength = 8 * 512;
    ex.srb.DataBuffer = io.buf;
    ex.srb.AddressOffset = offsetof(struct srb_ex_image, addr);
    ex.srb.NumSrbExData = 1;
    ex.srb.SrbExDataOffset[0] = offsetof(struct srb_ex_image, cdb16);
    ex.addr.Type = STOR_ADDRESS_TYPE_BTL8;
    ex.addr.AddressLength = STOR_ADDR_BTL8_ADDRESS_LENGTH;
    ex.cdb16.Type = SrbExDataTypeScsiCdb16;
    ex.cdb16.Length = SRBEX_DATA_SCSI_CDB16_LENGTH;
    ex.cdb16.CdbLength = 10;
    ex.cdb16.SenseInfoBuffer = io.sense;
    ex.cdb16.SenseInfoBufferLength = 18;
    memcpy(ex.cdb16.Cdb, cdb, 10);
    io.req.srb = &ex.srb;
    post(&io, 2);
    run_idle();
    ck_assert_int_eq(io.done, 1);
    ck_assert_int_eq(SRB_STATUS(SrbGetSrbStatus(&ex.srb)), SRB_STATUS_SUCCESS);
    ck_assert_uint_eq(SrbGetDataTransferLength(&ex.srb), 8 * 512);
    ck_assert_ptr_eq(SrbGetDataBuffer(&ex.srb), io.buf);
    physmem_free(io.buf); physmem_free(io.sense);
    teardown();
}
END_TEST

START_TEST(test_buildio_false_without_completion_ends)
{
    static struct io io;

    boot(true, MP_WORK_IN_BUILDIO, MP_BUG_BUILDIO_FALSE_NO_COMPLETE);
    rw10(&io, false, 0, 8);          /* LBA 0: the bug hits it */
    io.srb.TimeOutValue = 2;
    post(&io, 0);
    run_idle();                      /* ends: no endless resets */
    ck_assert_int_eq(io.done, 1);
    ck_assert_int_eq(io.status, SRB_STATUS_TIMEOUT);
    physmem_free(io.buf); physmem_free(io.sense);
    teardown();
}
END_TEST

/* 100,000 mixed reads and writes from 4 CPUs, every read verified. */
static void
hundred_thousand(bool full)
{
    struct wl_spec spec;
    struct wl_result res;
    char err[256];

    boot(full, MP_WORK_IN_BUILDIO, 0);
    wl_spec_default(&spec);
    spec.count = 100000;
    spec.qd = 8;
    spec.read_pct = 50;
    spec.cpus = 0xF;
    spec.size = 32ull << 20;    /* a small region: reads hit written data */
    ck_assert_msg(wl_run(st->pa, &spec, &res, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(res.ok, "%s", res.first_problem);
    ck_assert_uint_eq(res.all.requests, 100000);
    ck_assert_uint_eq(res.srb_failed, 0);
    ck_assert_uint_eq(res.lost + res.duplicated + res.corrupted, 0);
    ck_assert_uint_gt(res.blocks_verified, 100000);   /* real data compared */
    teardown();
}

START_TEST(test_100k_full_duplex)
{
    hundred_thousand(true);
}
END_TEST

START_TEST(test_100k_half_duplex)
{
    hundred_thousand(false);
}
END_TEST

static uint64_t
stack_run_hash(uint64_t seed, uint64_t *events)
{
    struct stack_config cfg;
    struct wl_spec spec;
    struct wl_result res;
    char err[256];
    uint64_t h;

    stack_config_default(&cfg);
    cfg.machine.seed = seed;
    ck_assert_int_eq(stack_create(&cfg, &st, err, sizeof err), 0);
    ck_assert_int_eq(stack_boot(st), 0);
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

START_TEST(test_stack_is_deterministic)
{
    uint64_t e1, e2, e3;
    uint64_t h1 = stack_run_hash(11, &e1);
    uint64_t h2 = stack_run_hash(11, &e2);
    uint64_t h3 = stack_run_hash(12, &e3);

    ck_assert_uint_gt(e1, 50000);
    ck_assert_uint_eq(e1, e2);
    ck_assert_uint_eq(h1, h2);     /* same seed: the same trace, event for event */
    ck_assert_uint_ne(h1, h3);     /* another seed: another run */
}
END_TEST

/* RequestTimerCall: one-shot, replaced by a new request, 0 cancels. */
static int timer_runs;
static sim_time_t timer_at;

static VOID
test_timer(PVOID DeviceExtension)
{
    (void)DeviceExtension;
    timer_runs++;
    timer_at = sim_now();
}

static int timer_step;

static void
timer_thread(void *ctx)
{
    PVOID ext = storport_device_extension(st->pa);

    (void)ctx;
    if (timer_step == 0) {
        StorPortNotification(RequestTimerCall, ext, test_timer, (ULONG)100);
        StorPortNotification(RequestTimerCall, ext, test_timer, (ULONG)300);
    } else {
        StorPortNotification(RequestTimerCall, ext, test_timer, (ULONG)50);
        StorPortNotification(RequestTimerCall, ext, test_timer, (ULONG)0);
    }
}

static void
timer_case(bool full)
{
    static struct sim_thread_item item;
    sim_time_t t0;

    boot(full, MP_WORK_IN_BUILDIO, 0);
    memset(&W, 0, sizeof W);
    duplex_flag = full;
    sim_trace_subscribe(check_callback, &duplex_flag);
    timer_runs = 0;
    timer_step = 0;
    t0 = sim_now();
    sim_cpu_post(&item, 1, timer_thread, NULL, "t", t0);
    run_idle();
    ck_assert_int_eq(timer_runs, 1);               /* replaced: runs once */
    ck_assert_uint_ge(timer_at, t0 + SIM_US(300)); /* at the new time */
    ck_assert_uint_lt(timer_at, t0 + SIM_US(310));
    timer_step = 1;
    sim_cpu_post(&item, 1, timer_thread, NULL, "t", sim_now());
    run_idle();
    ck_assert_int_eq(timer_runs, 1);               /* 0 cancelled it */
    ck_assert_int_eq(W.enters[5], 1);
    ck_assert_msg(W.bad == 0, "%s", W.why);
    teardown();
}

START_TEST(test_request_timer_call)
{
    timer_case(_i == 0);
}
END_TEST

/* Every SRB function the seeds list reaches the miniport and completes,
 * in both SRB formats, with the status the SIMHBA miniport gives it. */
static const struct {
    enum wl_cmd_kind kind;
    UCHAR status;
} functions[] = {
    { WL_CMD_INQUIRY, SRB_STATUS_SUCCESS },
    { WL_CMD_TEST_UNIT_READY, SRB_STATUS_SUCCESS },
    { WL_CMD_READ, SRB_STATUS_SUCCESS },
    { WL_CMD_WRITE, SRB_STATUS_SUCCESS },
    { WL_CMD_FLUSH, SRB_STATUS_SUCCESS },       /* CachesData TRUE below */
    { WL_CMD_SHUTDOWN, SRB_STATUS_SUCCESS },
    { WL_CMD_IO_CONTROL, SRB_STATUS_INVALID_REQUEST }, /* no private IOCTLs */
    { WL_CMD_RESET_LOGICAL_UNIT, SRB_STATUS_SUCCESS },
    { WL_CMD_RESET_DEVICE, SRB_STATUS_SUCCESS },
    { WL_CMD_RESET_BUS, SRB_STATUS_SUCCESS },
};

START_TEST(test_every_srb_function)
{
    struct stack_config cfg;
    char err[256];
    enum wl_srb_kind kind = _i ? WL_SRB_EX : WL_SRB_SCSI;

    stack_config_default(&cfg);
    cfg.miniport.caches_data = true;
    ck_assert_int_eq(stack_create(&cfg, &st, err, sizeof err), 0);
    ck_assert_int_eq(stack_boot(st), 0);
    memset(&W, 0, sizeof W);
    duplex_flag = true;
    sim_trace_subscribe(check_callback, &duplex_flag);
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
        struct wl_cmd_args a = { .kind = functions[i].kind, .lun = 0,
                                 .srb = kind, .blocks = 8, .lba = 16 };
        struct wl_cmd *cmd;
        const struct wl_cmd_result *r;
        int before = W.enters[0];
        ck_assert_int_eq(wl_cmd_create(st->pa, &a, &cmd), 0);
        ck_assert_int_eq(wl_cmd_post(cmd, (int)(i % 4)), 0);
        run_idle();
        r = wl_cmd_result(cmd);
        ck_assert_msg(r->completed && r->completions == 1, "%s",
                      wl_cmd_kind_name(functions[i].kind));
        ck_assert_msg(SRB_STATUS(r->srb_status) == functions[i].status,
                      "%s: status 0x%x", wl_cmd_kind_name(functions[i].kind),
                      r->srb_status);
        ck_assert_int_eq(W.enters[0], before + 1);  /* it reached BuildIo */
        wl_cmd_free(cmd);
    }
    ck_assert_msg(W.bad == 0, "%s", W.why);
    teardown();
}
END_TEST

static void
resume_adapter(void *ctx)
{
    (void)ctx;
    ck_assert(StorPortResume(storport_device_extension(st->pa)));
}

START_TEST(test_resume_ends_pause_early)
{
    static struct io io;
    static struct sim_thread_item pause_item, resume_item;
    sim_time_t t0;

    boot(true, MP_WORK_IN_BUILDIO, 0);
    t0 = sim_now();
    sim_cpu_post(&pause_item, 0, pause_adapter, NULL, "pause", t0);
    sim_cpu_post(&resume_item, 2, resume_adapter, NULL, "resume",
                 t0 + SIM_MS(100));
    first_buildio = 0;
    sim_trace_subscribe(note_first_buildio, NULL);
    rw10(&io, false, 0, 8);
    sim_cpu_post(&io.item, 1, io_submit, &io, "ClassThread", t0 + SIM_MS(1));
    run_idle();
    ck_assert_int_eq(io.done, 1);
    ck_assert_uint_ge(first_buildio, t0 + SIM_MS(100));   /* held ... */
    ck_assert_uint_lt(first_buildio, t0 + SIM_MS(101));   /* ... until resumed */
    physmem_free(io.buf); physmem_free(io.sense);
    teardown();
}
END_TEST

Suite *
storport_suite(void)
{
    Suite *s = suite_create("storport");
    TCase *tc = tcase_create("locks");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_locks_and_irql_full_duplex);
    tcase_add_test(tc, test_locks_and_irql_half_duplex);
    suite_add_tcase(s, tc);
    tc = tcase_create("data");
    tcase_add_test(tc, test_write_then_read_back);
    tcase_add_test(tc, test_read_write_buffer_unmapped);
    suite_add_tcase(s, tc);
    tc = tcase_create("paths");
    tcase_add_test(tc, test_buildio_false_path);
    tcase_add_test(tc, test_flush_needs_caches_data);
    tcase_add_test(tc, test_complete_twice_bugchecks);
    tcase_add_test(tc, test_lock_order_bug_bugchecks);
    tcase_add_test(tc, test_storage_request_block);
    tcase_add_loop_test(tc, test_every_srb_function, 0, 2);
    suite_add_tcase(s, tc);
    tc = tcase_create("recovery");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_busy_is_reissued_through_buildio);
    tcase_add_test(tc, test_timeout_resets_bus_nothing_lost);
    tcase_add_test(tc, test_lu_queue_depth_respected);
    tcase_add_test(tc, test_pause_holds_requests);
    tcase_add_test(tc, test_resume_ends_pause_early);
    tcase_add_test(tc, test_buildio_false_without_completion_ends);
    tcase_add_loop_test(tc, test_request_timer_call, 0, 2);
    suite_add_tcase(s, tc);
    tc = tcase_create("integrity");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_100k_full_duplex);
    tcase_add_test(tc, test_100k_half_duplex);
    tcase_add_test(tc, test_stack_is_deterministic);
    suite_add_tcase(s, tc);
    return s;
}
