/* test_workload_fake.c: the fake port driver of test_workload_fake.h, and
 * a suite that checks the fake itself (so a workload test failure points at
 * the workload, not at its test double).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/physmem.h"
#include "storsim/workload.h"
#include "tests/sim_helpers.h"
#include "tests/test_workload_fake.h"

#define CHUNK (64u << 10)

/* The fake's own sanity checks: silent when they hold (Check's ck_assert
 * would record a checkpoint, which needs a running test). */
#define fake_check(cond) \
    do { if (!(cond)) ck_abort_msg("fake port: %s failed", #cond); } while (0)

struct fake_chunk {
    uint64_t key;              /* (lun << 48 | byte offset / CHUNK) + 1; 0 = empty */
    uint8_t *data;
};

/* ---------- the RAM disks: 64 KiB chunks in a hash table ---------- */

static size_t
chunk_slot(const struct fake_port *fp, uint64_t key)
{
    size_t i = (size_t)(key * 0x9E3779B97F4A7C15ull) & (fp->cap - 1);

    while (fp->chunks[i].key != 0 && fp->chunks[i].key != key)
        i = (i + 1) & (fp->cap - 1);
    return i;
}

static void
grow_chunks(struct fake_port *fp)
{
    struct fake_chunk *old = fp->chunks;
    size_t old_cap = fp->cap;

    fp->cap = old_cap ? old_cap * 2 : 64;
    fp->chunks = calloc(fp->cap, sizeof *fp->chunks);
    fake_check(fp->chunks != NULL);
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key != 0)
            fp->chunks[chunk_slot(fp, old[i].key)] = old[i];
    free(old);
}

static uint8_t *
chunk_of(struct fake_port *fp, int lun, uint64_t byte)
{
    uint64_t key = ((uint64_t)lun << 48 | byte / CHUNK) + 1;
    size_t i;

    if ((fp->nchunks + 1) * 2 > fp->cap)
        grow_chunks(fp);
    i = chunk_slot(fp, key);
    if (fp->chunks[i].key == 0) {
        fp->chunks[i].key = key;
        fp->chunks[i].data = calloc(1, CHUNK);
        fake_check(fp->chunks[i].data != NULL);
        fp->nchunks++;
    }
    return fp->chunks[i].data + byte % CHUNK;
}

/* Move @len bytes between disk byte @pos and physical address @phys. */
static void
dma(struct fake_port *fp, int lun, uint64_t pos, uint64_t phys, uint32_t len,
    bool to_disk)
{
    while (len > 0) {
        uint32_t n = CHUNK - (uint32_t)(pos % CHUNK);
        uint8_t *ram;

        if (n > len)
            n = len;
        ram = chunk_of(fp, lun, pos);
        if (to_disk)
            fake_check(physmem_read(phys, ram, n) == 0);
        else
            fake_check(physmem_write(phys, ram, n) == 0);
        pos += n;
        phys += n;
        len -= n;
    }
}

void
fake_disk_read(struct fake_port *fp, int lun, uint64_t lba, void *buf,
               uint32_t bytes)
{
    uint64_t pos = lba * fp->pa.luns[lun].block_size;

    for (uint32_t done = 0; done < bytes;) {
        uint32_t n = CHUNK - (uint32_t)((pos + done) % CHUNK);
        if (n > bytes - done)
            n = bytes - done;
        memcpy((uint8_t *)buf + done, chunk_of(fp, lun, pos + done), n);
        done += n;
    }
}

/* ---------- executing one SRB (device context) ---------- */

static void
check_condition(void *srb, UCHAR key, UCHAR asc)
{
    UCHAR *sense = SrbGetSenseInfoBuffer(srb);

    SrbSetScsiStatus(srb, SCSISTAT_CHECK_CONDITION);
    SrbSetDataTransferLength(srb, 0);
    SrbSetSrbStatus(srb, SRB_STATUS_ERROR);
    if (sense == NULL || SrbGetSenseInfoBufferLength(srb) < 18)
        return;
    memset(sense, 0, 18);
    sense[0] = SCSI_SENSE_ERRORCODE_FIXED_CURRENT;
    sense[2] = key;
    sense[7] = 10;
    sense[12] = asc;
    SrbSetSrbStatus(srb, SRB_STATUS_ERROR | SRB_STATUS_AUTOSENSE_VALID);
}

static uint64_t
be(const UCHAR *p, int n)
{
    uint64_t v = 0;

    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* READ/WRITE(10/16): move the data over the buffer's real SG list. */
static void
read_write(struct fake_port *fp, struct port_request *req, int lun,
           struct fake_rec *rec)
{
    void *srb = req->srb;
    const UCHAR *cdb = (const UCHAR *)SrbGetCdb(srb);
    bool write = cdb[0] == SCSIOP_WRITE || cdb[0] == SCSIOP_WRITE16;
    bool ten = cdb[0] == SCSIOP_READ || cdb[0] == SCSIOP_WRITE;
    uint64_t lba = ten ? be(cdb + 2, 4) : be(cdb + 2, 8);
    uint32_t blocks = (uint32_t)(ten ? be(cdb + 7, 2) : be(cdb + 10, 4));
    uint32_t bsz = fp->pa.luns[lun].block_size, len = blocks * bsz;
    struct physmem_extent sg[SCSI_MAXIMUM_PHYSICAL_BREAKS + 1];
    size_t n = 0, max = (size_t)fp->pa.max_breaks + 1;
    uint64_t pos = lba * bsz;

    if (rec != NULL) {
        rec->lba = lba;
        rec->blocks = blocks;
    }
    if (lba + blocks > fp->pa.luns[lun].blocks || len != SrbGetDataTransferLength(srb))
        return check_condition(srb, SCSI_SENSE_ILLEGAL_REQUEST, SCSI_ADSENSE_ILLEGAL_BLOCK);
    if (len > fp->pa.max_transfer)
        fp->len_violations++;
    if (max > SCSI_MAXIMUM_PHYSICAL_BREAKS + 1)
        max = SCSI_MAXIMUM_PHYSICAL_BREAKS + 1;
    if (physmem_build_sg(req->data, len, sg, max, 0, &n) == -E2BIG) {
        fp->sg_violations++;
        return SrbSetSrbStatus(srb, SRB_STATUS_INVALID_REQUEST);
    }
    if (n > fp->max_sg)
        fp->max_sg = n;
    if (rec != NULL)
        rec->sg_elements = n;
    write ? fp->writes++ : fp->reads++;
    for (size_t i = 0; i < n; pos += sg[i].length, i++)
        if (write || fp->reads != fp->no_data_read_nth)
            dma(fp, lun, pos, sg[i].phys, sg[i].length, write);
    if (!write && fp->reads == fp->corrupt_read_nth)
        ((uint8_t *)req->data)[100] ^= 0x40;
    SrbSetSrbStatus(srb, SRB_STATUS_SUCCESS);
}

static void
small_data(void *srb, const void *data, uint32_t n)
{
    uint32_t len = SrbGetDataTransferLength(srb);

    if (n > len)
        n = len;
    memcpy(SrbGetDataBuffer(srb), data, n);
    SrbSetDataTransferLength(srb, n);
    SrbSetSrbStatus(srb, SRB_STATUS_SUCCESS);
}

static void
execute_scsi(struct fake_port *fp, struct port_request *req, int lun,
             struct fake_rec *rec)
{
    void *srb = req->srb;
    const UCHAR *cdb = (const UCHAR *)SrbGetCdb(srb);
    const struct port_lun *pl = &fp->pa.luns[lun];
    UCHAR data[36] = { 0 };

    switch (cdb[0]) {
    case SCSIOP_READ: case SCSIOP_WRITE: case SCSIOP_READ16: case SCSIOP_WRITE16:
        return read_write(fp, req, lun, rec);
    case SCSIOP_TEST_UNIT_READY: case SCSIOP_SYNCHRONIZE_CACHE:
        SrbSetDataTransferLength(srb, 0);
        return SrbSetSrbStatus(srb, SRB_STATUS_SUCCESS);
    case SCSIOP_INQUIRY:
        memcpy(data + 8, "FAKE    RAMDISK         0001", 28);
        return small_data(srb, data, 36);
    case SCSIOP_READ_CAPACITY:
        for (int i = 0; i < 4; i++) {
            data[i] = (UCHAR)((pl->blocks - 1) >> (24 - 8 * i));
            data[4 + i] = (UCHAR)(pl->block_size >> (24 - 8 * i));
        }
        return small_data(srb, data, 8);
    case SCSIOP_READ_CAPACITY16:
        for (int i = 0; i < 8; i++)
            data[i] = (UCHAR)((pl->blocks - 1) >> (56 - 8 * i));
        for (int i = 0; i < 4; i++)
            data[8 + i] = (UCHAR)(pl->block_size >> (24 - 8 * i));
        return small_data(srb, data, 32);
    default:
        return check_condition(srb, SCSI_SENSE_ILLEGAL_REQUEST, SCSI_ADSENSE_ILLEGAL_COMMAND);
    }
}

static int
find_lun(const struct fake_port *fp, void *srb)
{
    UCHAR path = 0xFF, target = 0xFF, lun = 0xFF;

    SrbGetPathTargetLun(srb, &path, &target, &lun);
    for (int i = 0; i < fp->pa.nluns; i++)
        if (fp->pa.luns[i].path == path && fp->pa.luns[i].target == target &&
            fp->pa.luns[i].lun == lun)
            return i;
    return -1;
}

static void
execute(struct fake_port *fp, struct port_request *req, uint64_t nth,
        struct fake_rec *rec)
{
    void *srb = req->srb;
    ULONG fn = SrbGetSrbFunction(srb);
    int lun = find_lun(fp, srb);

    fp->by_function[fn & 255]++;
    if (lun < 0)
        return SrbSetSrbStatus(srb, SRB_STATUS_NO_DEVICE);
    if (nth == fp->check_nth)
        return check_condition(srb, fp->check_key, fp->check_asc);
    if (fn == SRB_FUNCTION_EXECUTE_SCSI)
        return execute_scsi(fp, req, lun, rec);
    SrbSetSrbStatus(srb, SRB_STATUS_SUCCESS);
}

/* ---------- the port side: queue, device event, completion DPC ---------- */

static struct fake_port *
of_event(struct sim_event *ev)
{
    return (struct fake_port *)((char *)ev - offsetof(struct fake_port, ev));
}

static void
device_event(struct sim_event *ev)
{
    struct fake_port *fp = of_event(ev);

    while (fp->pending != NULL && fp->pending->deadline <= sim_now()) {
        struct port_request *req = fp->pending;
        int cpu = fp->dpc_cpu >= 0 ? fp->dpc_cpu : req->cpu;
        /* retries (a port-private field) carries the SRB's 1-based number */
        uint64_t nth = (uint64_t)req->retries;

        fp->pending = req->next;
        execute(fp, req, nth, nth <= FAKE_RECS ? &fp->recs[nth - 1] : NULL);
        port_set_state(req, PORT_SRB_NOTIFIED);
        req->next = fp->done[cpu];
        fp->done[cpu] = req;
        sim_dpc_queue(&fp->dpc[cpu], NULL, NULL);
    }
    if (fp->pending != NULL)
        sim_event_schedule(&fp->ev, fp->pending->deadline);
}

static void
completion_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2)
{
    struct fake_port *fp = ctx;
    int cpu = sim_cpu_current();

    (void)dpc; (void)a1; (void)a2;
    while (fp->done[cpu] != NULL) {
        struct port_request *req = fp->done[cpu];
        bool twice = (uint64_t)req->retries == fp->dup_nth;

        fp->done[cpu] = req->next;
        port_complete(&fp->pa, req);
        if (twice)
            port_complete(&fp->pa, req);
    }
}

static void
record(struct fake_port *fp, struct port_request *req, struct fake_rec *r)
{
    void *srb = req->srb;

    memset(r, 0, sizeof *r);
    r->ex = ((PSTORAGE_REQUEST_BLOCK)srb)->Function == SRB_FUNCTION_STORAGE_REQUEST_BLOCK;
    r->function = SrbGetSrbFunction(srb);
    SrbGetPathTargetLun(srb, &r->path, &r->target, &r->lun);
    r->cdb_length = SrbGetCdbLength(srb);
    if (SrbGetCdb(srb) != NULL)
        memcpy(r->cdb, SrbGetCdb(srb), r->cdb_length);
    r->flags = SrbGetSrbFlags(srb);
    r->length = SrbGetDataTransferLength(srb);
    r->timeout = SrbGetTimeOutValue(srb);
    r->cpu = req->cpu;
    r->irql = sim_irql();
    (void)fp;
}

/* Insert by deadline, after any request due at the same time (FIFO). */
static void
enqueue(struct fake_port *fp, struct port_request *req)
{
    struct port_request **p = &fp->pending;

    while (*p != NULL && (*p)->deadline <= req->deadline)
        p = &(*p)->next;
    req->next = *p;
    *p = req;
    if (!sim_event_pending(&fp->ev) || fp->ev.time > fp->pending->deadline)
        sim_event_schedule(&fp->ev, fp->pending->deadline);
}

/* Like a port's periodic timer: the machine never goes idle. */
static void
tick_event(struct sim_event *ev)
{
    struct fake_port *fp = (struct fake_port *)((char *)ev - offsetof(struct fake_port, tick_ev));

    sim_event_schedule(ev, sim_now() + fp->tick);
}

static int
fake_submit(struct port_adapter *pa, struct port_request *req)
{
    struct fake_port *fp = (struct fake_port *)pa;
    uint64_t nth = ++fp->nsrbs;

    if (fp->tick != 0 && !sim_event_pending(&fp->tick_ev))
        sim_event_schedule(&fp->tick_ev, sim_now() + fp->tick);

    if (nth <= FAKE_RECS)
        record(fp, req, &fp->recs[nth - 1]);
    if (nth == fp->refuse_nth)
        return -EIO;
    port_set_state(req, PORT_SRB_QUEUED);
    if (nth == fp->drop_nth)
        return 0;
    req->retries = (int)nth;
    req->deadline = sim_now() + fp->latency +
                    (fp->jitter ? sim_rng_below(&fp->rng, fp->jitter) : 0);
    if (SrbGetSrbFlags(req->srb) & SRB_FLAGS_DATA_OUT)
        req->deadline += fp->write_extra;
    enqueue(fp, req);
    return 0;
}

static const struct port_ops fake_ops = { .submit = fake_submit };

void
fake_port_init(struct fake_port *fp, int nluns, uint32_t block_size,
               uint64_t blocks)
{
    memset(fp, 0, sizeof *fp);
    fp->pa.ops = &fake_ops;
    fp->pa.model = PORT_MODEL_STORPORT;
    fp->pa.name = "fake0";
    fp->pa.ready = true;
    fp->pa.max_transfer = 1u << 20;
    fp->pa.max_breaks = 255;
    fp->pa.uses_storage_request_block = true;
    fp->pa.nluns = nluns;
    for (int i = 0; i < nluns; i++) {
        fp->pa.luns[i].target = (uint8_t)(i / 2);
        fp->pa.luns[i].lun = (uint8_t)(i % 2);
        fp->pa.luns[i].block_size = block_size;
        fp->pa.luns[i].blocks = blocks;
    }
    fp->latency = SIM_US(20);
    fp->dpc_cpu = -1;
    sim_rng_init(&fp->rng, "fake.jitter");
    sim_event_init(&fp->ev, device_event, "fake.device");
    sim_event_init(&fp->tick_ev, tick_event, "fake.tick");
    for (int i = 0; i < SIM_MAX_CPUS; i++) {
        sim_dpc_init(&fp->dpc[i], "DPC:FakeComplete", completion_dpc, fp);
        sim_dpc_set_target(&fp->dpc[i], i);
    }
}

void
fake_port_fini(struct fake_port *fp)
{
    for (size_t i = 0; i < fp->cap; i++)
        free(fp->chunks[i].data);
    free(fp->chunks);
    fp->chunks = NULL;
    fp->cap = fp->nchunks = 0;
}

/* ---------- the fake's own tests ---------- */

static struct fake_port fp;

static void
setup(void)
{
    sim_test_begin(2, 0);
    fake_port_init(&fp, 2, 512, 1u << 20);
}

static void
teardown(void)
{
    fake_port_fini(&fp);
    sim_test_end();
    physmem_reset();
}

static struct wl_cmd *
cmd_new(enum wl_cmd_kind kind, uint64_t lba, uint32_t blocks)
{
    struct wl_cmd_args a = { .kind = kind, .lun = 1, .lba = lba, .blocks = blocks };
    struct wl_cmd *cmd;

    ck_assert_int_eq(wl_cmd_create(&fp.pa, &a, &cmd), 0);
    return cmd;
}

/* A 64 KiB write lands on the RAM disk, through a scatter/gather list of
 * several elements, and a read brings the same bytes back. */
START_TEST(fake_write_then_read_round_trips)
{
    struct wl_cmd *w = cmd_new(WL_CMD_WRITE, 1000, 128);
    struct wl_cmd *r = cmd_new(WL_CMD_READ, 1000, 128);
    uint32_t len;
    uint8_t *data = wl_cmd_data(w, &len), check[512];

    ck_assert_uint_eq(len, 65536);
    for (uint32_t i = 0; i < len; i++)
        data[i] = (uint8_t)(i * 7 + 3);
    ck_assert_int_eq(wl_cmd_post(w, 0), 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert(wl_cmd_result(w)->completed);
    ck_assert_int_eq(wl_cmd_post(r, 1), 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_uint_eq(SRB_STATUS(wl_cmd_result(r)->srb_status), SRB_STATUS_SUCCESS);
    ck_assert_mem_eq(wl_cmd_data(r, NULL), data, len);
    fake_disk_read(&fp, 1, 1001, check, 512);
    ck_assert_mem_eq(check, data + 512, 512);
    ck_assert_uint_gt(fp.max_sg, 1);
    ck_assert_uint_gt(fp.recs[0].sg_elements, 1);
    ck_assert_uint_eq(fp.recs[1].lba, 1000);
    wl_cmd_free(w);
    wl_cmd_free(r);
}
END_TEST

START_TEST(fake_faults_fire_once_each)
{
    struct wl_cmd *a = cmd_new(WL_CMD_TEST_UNIT_READY, 0, 0);
    struct wl_cmd *b = cmd_new(WL_CMD_TEST_UNIT_READY, 0, 0);
    struct wl_cmd *c = cmd_new(WL_CMD_TEST_UNIT_READY, 0, 0);

    fp.drop_nth = 1;
    fp.dup_nth = 2;
    fp.check_nth = 3;
    fp.check_key = SCSI_SENSE_MEDIUM_ERROR;
    fp.check_asc = SCSI_ADSENSE_UNRECOVERED_ERROR;
    wl_cmd_post(a, 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    wl_cmd_post(b, 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    wl_cmd_post(c, 1);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert(!wl_cmd_result(a)->completed);
    ck_assert_uint_eq(wl_cmd_result(b)->completions, 2);
    ck_assert_uint_eq(wl_cmd_result(c)->scsi_status, SCSISTAT_CHECK_CONDITION);
    ck_assert_uint_eq(wl_cmd_result(c)->sense_key, SCSI_SENSE_MEDIUM_ERROR);
    ck_assert_uint_eq(wl_cmd_result(c)->asc, SCSI_ADSENSE_UNRECOVERED_ERROR);
    /* 20 us in the device, plus the machine's DPC costs */
    ck_assert_uint_ge(wl_cmd_result(b)->latency, SIM_US(20));
    ck_assert_uint_lt(wl_cmd_result(b)->latency, SIM_US(21));
    wl_cmd_free(a);
    wl_cmd_free(b);
    wl_cmd_free(c);
}
END_TEST

Suite *
workload_fake_suite(void)
{
    Suite *s = suite_create("workload_fake");
    TCase *tc = tcase_create("fake");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, fake_write_then_read_round_trips);
    tcase_add_test(tc, fake_faults_fire_once_each);
    suite_add_tcase(s, tc);
    return s;
}
