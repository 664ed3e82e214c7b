/* cmd.c: one-off requests: TEST UNIT READY, INQUIRY, READ CAPACITY,
 * SYNCHRONIZE CACHE, single READ/WRITE, and the non-SCSI SRB functions
 * (FLUSH, SHUTDOWN, the resets, IO_CONTROL), so that port-driver tests can
 * push every SRB function.
 *
 * Interface: wl_cmd_create(), wl_cmd_post() or wl_cmd_submit(),
 * wl_cmd_result(), wl_cmd_free() (see include/storsim/workload.h).
 *
 * These are the requests ClassPnP sends with ClassSendSrbSynchronous, and
 * get its flags: DISABLE_SYNCH_TRANSFER and NO_QUEUE_FREEZE. Unlike
 * workload requests they are never split and never checked against the
 * adapter's limits, so a test can send a request the port must refuse.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/physmem.h"
#include "workload/wl_int.h"

struct wl_cmd {
    struct port_adapter *pa;
    struct wl_cmd_args args;
    struct wl_child *child;
    uint8_t *data;
    uint32_t length;
    struct sim_thread_item item;
    bool submitted;
    sim_time_t submit_time;
    struct wl_cmd_result result;
};

static const struct {
    const char *name;
    UCHAR function;
} kinds[WL_CMD_KIND_COUNT] = {
    [WL_CMD_TEST_UNIT_READY] = { "test-unit-ready", SRB_FUNCTION_EXECUTE_SCSI },
    [WL_CMD_INQUIRY] = { "inquiry", SRB_FUNCTION_EXECUTE_SCSI },
    [WL_CMD_READ_CAPACITY] = { "read-capacity", SRB_FUNCTION_EXECUTE_SCSI },
    [WL_CMD_READ_CAPACITY16] = { "read-capacity16", SRB_FUNCTION_EXECUTE_SCSI },
    [WL_CMD_SYNCHRONIZE_CACHE] = { "synchronize-cache", SRB_FUNCTION_EXECUTE_SCSI },
    [WL_CMD_READ] = { "read", SRB_FUNCTION_EXECUTE_SCSI },
    [WL_CMD_WRITE] = { "write", SRB_FUNCTION_EXECUTE_SCSI },
    [WL_CMD_FLUSH] = { "flush", SRB_FUNCTION_FLUSH },
    [WL_CMD_SHUTDOWN] = { "shutdown", SRB_FUNCTION_SHUTDOWN },
    [WL_CMD_RESET_LOGICAL_UNIT] = { "reset-lun", SRB_FUNCTION_RESET_LOGICAL_UNIT },
    [WL_CMD_RESET_DEVICE] = { "reset-device", SRB_FUNCTION_RESET_DEVICE },
    [WL_CMD_RESET_BUS] = { "reset-bus", SRB_FUNCTION_RESET_BUS },
    [WL_CMD_IO_CONTROL] = { "io-control", SRB_FUNCTION_IO_CONTROL },
};

const char *
wl_cmd_kind_name(enum wl_cmd_kind k)
{
    return (unsigned)k < WL_CMD_KIND_COUNT ? kinds[k].name : "?";
}

/* The CDB and data length of an EXECUTE_SCSI kind; returns the CDB length. */
static UCHAR
make_cdb(const struct wl_cmd_args *a, uint32_t block_size, UCHAR cdb[16],
         uint32_t *length, ULONG *dir)
{
    memset(cdb, 0, 16);
    *dir = SRB_FLAGS_DATA_IN;
    switch (a->kind) {
    case WL_CMD_INQUIRY:
        *length = a->vpd ? 255 : INQUIRYDATABUFFERSIZE;
        cdb[0] = SCSIOP_INQUIRY;
        cdb[1] = a->vpd ? 1 : 0;                /* EVPD */
        cdb[2] = a->vpd ? a->page : 0;
        cdb[4] = (UCHAR)*length;                /* allocation length */
        return 6;
    case WL_CMD_READ_CAPACITY:
        *length = sizeof(READ_CAPACITY_DATA);
        cdb[0] = SCSIOP_READ_CAPACITY;
        return 10;
    case WL_CMD_READ_CAPACITY16:
        *length = sizeof(READ_CAPACITY16_DATA);
        cdb[0] = SCSIOP_READ_CAPACITY16;
        cdb[1] = SERVICE_ACTION_READ_CAPACITY16;
        cdb[13] = (UCHAR)*length;               /* allocation length, LSB */
        return 16;
    case WL_CMD_READ:
    case WL_CMD_WRITE:
        *length = a->blocks * block_size;
        *dir = a->kind == WL_CMD_WRITE ? SRB_FLAGS_DATA_OUT : SRB_FLAGS_DATA_IN;
        return wl_cdb_rw(cdb, a->kind == WL_CMD_WRITE, a->lba, a->blocks);
    case WL_CMD_SYNCHRONIZE_CACHE:
        cdb[0] = SCSIOP_SYNCHRONIZE_CACHE;     /* LBA 0, count 0: everything */
        *length = 0;
        *dir = SRB_FLAGS_NO_DATA_TRANSFER;
        return 10;
    default:                                   /* TEST UNIT READY */
        *length = 0;
        *dir = SRB_FLAGS_NO_DATA_TRANSFER;
        return 6;
    }
}

/* The SRB_IO_CONTROL header at the start of the buffer, then the payload. */
static void
fill_io_control(struct wl_cmd *cmd, ULONG timeout)
{
    SRB_IO_CONTROL h = {
        .HeaderLength = sizeof h, .Timeout = timeout,
        .ControlCode = cmd->args.control_code, .Length = cmd->args.payload,
    };

    memcpy(h.Signature, cmd->args.signature, strnlen(cmd->args.signature, 8));
    memcpy(cmd->data, &h, sizeof h);
}

static int
build(struct wl_cmd *cmd)
{
    const struct wl_cmd_args *a = &cmd->args;
    const struct port_lun *lun = &cmd->pa->luns[a->lun];
    UCHAR cdb[16] = { 0 }, cdb_length = 0;
    ULONG dir = SRB_FLAGS_NO_DATA_TRANSFER;
    struct wl_srb_desc d = {
        .kind = a->srb, .function = kinds[a->kind].function, .lun = lun,
        .cdb = cdb, .timeout = a->timeout != 0 ? a->timeout : WL_DEFAULT_TIMEOUT,
        .sort_key = (ULONG)a->lba,
    };

    if (d.function == SRB_FUNCTION_EXECUTE_SCSI)
        cdb_length = make_cdb(a, lun->block_size, cdb, &cmd->length, &dir);
    if (a->kind == WL_CMD_IO_CONTROL) {
        cmd->length = (uint32_t)sizeof(SRB_IO_CONTROL) + a->payload;
        dir = SRB_FLAGS_DATA_IN | SRB_FLAGS_DATA_OUT;
    }
    if (cmd->length != 0 && (cmd->data = physmem_alloc(cmd->length, false)) == NULL)
        return -ENOMEM;
    if (a->kind == WL_CMD_IO_CONTROL)
        fill_io_control(cmd, d.timeout);
    d.cdb_length = cdb_length;
    d.flags = dir | SRB_FLAGS_DISABLE_SYNCH_TRANSFER | SRB_FLAGS_NO_QUEUE_FREEZE;
    d.data = cmd->data;
    d.length = cmd->length;
    wl_srb_fill(cmd->child->mem, &d, &cmd->child->req);
    return 0;
}

static void cmd_done(struct port_request *req, void *ctx);

int
wl_cmd_create(struct port_adapter *pa, const struct wl_cmd_args *args,
              struct wl_cmd **out)
{
    struct wl_pool none = { 0 };
    struct wl_cmd *cmd;

    if (pa == NULL || !pa->ready)
        return -ENODEV;
    if ((unsigned)args->kind >= WL_CMD_KIND_COUNT || args->lun < 0 ||
        args->lun >= pa->nluns || args->payload > (1u << 20) ||
        ((args->kind == WL_CMD_READ || args->kind == WL_CMD_WRITE) &&
         (args->blocks == 0 || (uint64_t)args->blocks *
          pa->luns[args->lun].block_size > (16u << 20))))
        return -EINVAL;
    if ((cmd = calloc(1, sizeof *cmd)) == NULL)
        return -ENOMEM;
    cmd->pa = pa;
    cmd->args = *args;
    if ((cmd->child = wl_child_get(&none)) == NULL || build(cmd) < 0) {
        wl_cmd_free(cmd);
        return -ENOMEM;
    }
    cmd->child->owner = cmd;
    cmd->child->req.srb = cmd->child->mem;
    cmd->child->req.data = cmd->data;
    cmd->child->req.length = cmd->length;
    cmd->child->req.complete = cmd_done;
    cmd->child->req.ctx = cmd;
    *out = cmd;
    return 0;
}

static uint64_t
get_be(const uint8_t *p, int bytes)
{
    uint64_t v = 0;

    for (int i = 0; i < bytes; i++)
        v = v << 8 | p[i];
    return v;
}

static void
copy_trimmed(char *dst, const uint8_t *src, size_t n)
{
    memcpy(dst, src, n);
    dst[n] = '\0';
    while (n > 0 && (dst[n - 1] == ' ' || dst[n - 1] == '\0'))
        dst[--n] = '\0';
}

/* What the data says, for the kinds whose data a class driver reads. */
static void
parse_data(struct wl_cmd *cmd)
{
    struct wl_cmd_result *r = &cmd->result;
    const uint8_t *d = cmd->data;

    if (cmd->args.kind == WL_CMD_READ_CAPACITY && r->transferred >= 8) {
        r->capacity_blocks = get_be(d, 4) + 1;
        r->block_size = (uint32_t)get_be(d + 4, 4);
    } else if (cmd->args.kind == WL_CMD_READ_CAPACITY16 && r->transferred >= 12) {
        r->capacity_blocks = get_be(d, 8) + 1;
        r->block_size = (uint32_t)get_be(d + 8, 4);
    } else if (cmd->args.kind == WL_CMD_INQUIRY && !cmd->args.vpd &&
               r->transferred >= 32) {
        copy_trimmed(r->vendor, d + 8, 8);
        copy_trimmed(r->product, d + 16, 16);
    }
}

static void
cmd_done(struct port_request *req, void *ctx)
{
    struct wl_cmd *cmd = ctx;
    struct wl_cmd_result *r = &cmd->result;
    void *srb = cmd->child->mem;
    UCHAR key, asc, ascq;

    (void)req;
    if (++r->completions > 1)
        return;
    r->completed = true;
    r->latency = sim_now() - cmd->submit_time;
    r->srb_status = SrbGetSrbStatus(srb);
    r->scsi_status = SrbGetScsiStatus(srb);
    r->transferred = SrbGetDataTransferLength(srb);
    if (wl_srb_sense(srb, &key, &asc, &ascq)) {
        r->sense_key = key;
        r->asc = asc;
        r->ascq = ascq;
    }
    if (SRB_STATUS(r->srb_status) == SRB_STATUS_SUCCESS)
        parse_data(cmd);
    if (cmd->args.done != NULL)
        cmd->args.done(cmd, cmd->args.ctx);
}

int
wl_cmd_submit(struct wl_cmd *cmd)
{
    int rc;

    if (cmd->submitted)
        return -EALREADY;
    cmd->submitted = true;
    cmd->submit_time = sim_now();
    cmd->child->state = WL_CHILD_INFLIGHT;
    rc = port_submit(cmd->pa, &cmd->child->req);
    if (rc < 0)
        cmd->result.submit_error = rc;
    return rc;
}

static void
cmd_thread(void *ctx)
{
    (void)wl_cmd_submit(ctx);
}

int
wl_cmd_post(struct wl_cmd *cmd, int cpu)
{
    if (cmd->submitted)
        return -EALREADY;
    return sim_cpu_post(&cmd->item, cpu, cmd_thread, cmd, "WorkloadCmd", sim_now());
}

struct port_request *
wl_cmd_request(struct wl_cmd *cmd)
{
    return &cmd->child->req;
}

void *
wl_cmd_srb(struct wl_cmd *cmd)
{
    return cmd->child->mem;
}

void *
wl_cmd_data(struct wl_cmd *cmd, uint32_t *length)
{
    if (length != NULL)
        *length = cmd->length;
    return cmd->data;
}

const struct wl_cmd_result *
wl_cmd_result(const struct wl_cmd *cmd)
{
    return &cmd->result;
}

void
wl_cmd_free(struct wl_cmd *cmd)
{
    if (cmd == NULL)
        return;
    wl_child_free(cmd->child);
    physmem_free(cmd->data);
    free(cmd);
}
