/* hba_cmd.c - one SIMHBA command's life: checks, faults, execution, completion. */
/*
 * Interface: hba_cmd_start() for each descriptor fetched; hba_cmd_event()
 * is every command slot's event; hba_cmd_exec(), hba_cmd_result() and
 * hba_cmd_finish() are shared with the PIO path; hba_cmd_release() frees
 * the slot once the completion is in the ring.
 *
 * The steps, in the order a real firmware would take them:
 *   1. the descriptor is checked (CDB length, direction, SG count, size);
 *   2. fault rules are matched (some act before the LUN is looked up);
 *   3. the target and LUN are looked up;
 *   4. the data phase is mapped (DMA) or handed to the PIO channel;
 *   5. the disk executes the CDB; sense goes to the sense buffer;
 *   6. the completion is posted after firmware time + the disk's time.
 * The firmware is one processor: per-command overhead is serialised over
 * all commands (fw_free), while the disks work in parallel.
 *
 * The disk executes when the command starts, so data moves then (a real
 * device may DMA at any time before it completes the command, and a driver
 * may not look at the buffer until the completion).
 */
#include <stdlib.h>
#include <string.h>

#include "hba/hba_int.h"

sim_time_t
hba_fw_slot(struct hba *h)
{
    sim_time_t now = sim_now();

    h->fw_free = (now > h->fw_free ? now : h->fw_free) + h->cfg.command_ns;
    return h->fw_free;
}

/* One trace event marks a command's start: its DMA event when data moves
 * (the common case, so a 4 KiB read costs two events, not three), else a
 * "cmd-start" device event. */
void
hba_cmd_trace_start(struct hba_cmd *cmd)
{
    if (cmd->started)
        return;
    cmd->started = true;
    hba_trace_device(cmd->hba, "cmd-start", cmd->d.tag, cmd->opcode);
}

void
hba_cmd_release(struct hba_cmd *cmd)
{
    struct hba *h = cmd->hba;
    sim_time_t now = sim_now();

    free(cmd->pio_buf);
    cmd->pio_buf = NULL;
    if (cmd->lun != NULL)
        hba_occ_add(&cmd->lun->occ, -1, now);
    hba_occ_add(&h->occ, -1, now);
    cmd->state = CMD_FREE;
    cmd->next = h->free_cmds;
    h->free_cmds = cmd;
    h->active--;
}

/* Complete without touching the target (bad descriptor, no such LUN,
 * reset): nothing moved. */
void
hba_cmd_finish(struct hba_cmd *cmd, uint8_t status, sim_time_t when)
{
    cmd->c.status = status;
    cmd->c.scsi_status = 0;
    cmd->c.sense_length = 0;
    cmd->c.residual = cmd->d.data_length;
    cmd->c.flags = cmd->d.data_length ? SIMHBA_CMPL_F_UNDERRUN : 0;
    cmd->state = CMD_RUNNING;
    sim_event_schedule(&cmd->ev, when);
}

/* The completion of a command the target executed. */
void
hba_cmd_result(struct hba_cmd *cmd, const struct scsi_disk_result *res)
{
    cmd->c.scsi_status = res->status;
    cmd->c.residual = (uint32_t)(cmd->d.data_length - res->transferred);
    if (res->status != SCSI_STATUS_GOOD)
        cmd->c.status = SIMHBA_CS_ERROR;
    else
        cmd->c.status = res->overrun ? SIMHBA_CS_DATA_OVERRUN : SIMHBA_CS_SUCCESS;
    if (cmd->c.residual != 0)
        cmd->c.flags |= SIMHBA_CMPL_F_UNDERRUN;
}

/* Run the CDB on the LUN's disk, through a disk-level fault if one
 * triggered for this command. */
void
hba_cmd_exec(struct hba_cmd *cmd, const struct scsi_disk_iov *iov, size_t niov,
             struct scsi_disk_result *res)
{
    struct scsi_disk *disk = cmd->lun->disk;
    bool fired = false;
    int rc;

    if (cmd->fault != NULL)
        rc = hba_fault_apply_disk(cmd->fault, cmd, iov, niov, res, &fired);
    else
        rc = scsi_disk_execute(disk, cmd->d.cdb, cmd->d.cdb_len, iov, niov, res);
    if (fired)
        hba_fault_fired(cmd->hba, cmd->fault, cmd->lun);
    if (rc < 0) {
        /* Host memory ran out in the backing store: a target failure. */
        memset(res, 0, sizeof *res);
        res->status = SCSI_STATUS_CHECK_CONDITION;
        res->sense_len = SCSI_DISK_SENSE_LEN;
        scsi_disk_sense_fixed(res->sense, SCSI_KEY_HARDWARE_ERROR,
                              SCSI_ASC_INTERNAL_TARGET_FAILURE);
    }
}

static bool
direction_ok(const struct simhba_req_desc *d)
{
    const struct scsi_disk_cmd_info *info = scsi_disk_command_info(d->cdb[0]);

    if (d->direction > SIMHBA_DIR_OUT)
        return false;
    if ((d->data_length == 0) != (d->direction == SIMHBA_DIR_NONE))
        return false;
    /* A known command must move data the way the descriptor says, or the
     * disk would write into a buffer the driver thinks it is reading. */
    return info == NULL || info->dir == SCSI_DISK_DIR_NONE ||
           (unsigned)info->dir == d->direction;
}

static bool
desc_valid(const struct hba *h, const struct simhba_req_desc *d)
{
    bool ext = d->flags & SIMHBA_REQ_F_EXT_SG;

    if (d->cdb_len == 0 || d->cdb_len > SIMHBA_MAX_CDB || !direction_ok(d))
        return false;
    if (d->flags & ~(SIMHBA_REQ_F_PIO | SIMHBA_REQ_F_EXT_SG))
        return false;
    if (d->data_length > h->cfg.max_transfer || d->sg_count > h->cfg.max_sg)
        return false;
    if (!ext && d->sg_count > SIMHBA_INLINE_SG)
        return false;
    return true;
}

/* Step 3: the LUN, or a completion saying there is none. */
static bool
route(struct hba_cmd *cmd)
{
    struct hba *h = cmd->hba;
    struct hba_lun *l = hba_find_lun(h, cmd->d.target, cmd->d.lun);

    if (!hba_target_exists(h, cmd->d.target) || l == NULL || !l->present)
        hba_cmd_trace_start(cmd);
    if (!hba_target_exists(h, cmd->d.target)) {
        hba_cmd_finish(cmd, SIMHBA_CS_SELECTION_TIMEOUT, hba_fw_slot(h));
        return false;
    }
    if (l == NULL || !l->present) {
        hba_cmd_finish(cmd, SIMHBA_CS_INVALID_LUN, hba_fw_slot(h));
        return false;
    }
    cmd->lun = l;
    l->st.commands++;
    l->st.by_opcode[cmd->opcode]++;
    hba_occ_add(&l->occ, 1, sim_now());
    return true;
}

static void
exec_dma(struct hba_cmd *cmd)
{
    struct hba *h = cmd->hba;
    struct scsi_disk_result res;
    size_t niov = 0;
    enum hba_dma_rc rc = hba_dma_map(h, &cmd->d, &niov);

    if (rc != DMA_OK) {
        hba_cmd_trace_start(cmd);
        h->st.sg_short += rc == DMA_SHORT;
        hba_cmd_finish(cmd, SIMHBA_CS_INVALID_REQUEST, hba_fw_slot(h));
        return;
    }
    hba_cmd_exec(cmd, h->iov, niov, &res);
    if (res.transferred != 0 && !cmd->started) {
        cmd->started = true;
        sim_trace_emit(&(struct sim_trace_args){
            .kind = SIM_EV_DMA, .arg = res.transferred, .arg2 = cmd->d.tag,
            .routine = h->cfg.name,
            .detail = cmd->d.direction == SIMHBA_DIR_IN ? "dma-to-host"
                                                        : "dma-from-host" });
    } else {
        hba_cmd_trace_start(cmd);
    }
    hba_dma_sense(cmd, &res);
    hba_cmd_result(cmd, &res);
    cmd->state = CMD_RUNNING;
    sim_event_schedule(&cmd->ev, hba_fw_slot(h) + res.service_ns);
}

static void
init_cmd(struct hba_cmd *cmd)
{
    struct hba *h = cmd->hba;

    h->active++;
    cmd->state = CMD_RUNNING;
    cmd->lun = NULL;
    cmd->fault = NULL;
    cmd->irqf = IRQF_NONE;
    cmd->irq_delay = 0;
    cmd->opcode = cmd->d.cdb[0];
    cmd->started = false;
    memset(&cmd->c, 0, sizeof cmd->c);
    cmd->c.tag = cmd->d.tag;
    hba_stats_command(cmd);
}

/* Faults that act before the LUN is looked up. Returns false when the
 * command is no longer ours to run (a bus reset took it). */
static bool
early_fault(struct hba_cmd *cmd, struct hba_fault_slot *slot)
{
    struct hba *h = cmd->hba;
    const struct hba_fault_rule *r = &slot->rule;
    unsigned t = cmd->d.target, l = cmd->d.lun;
    struct hba_lun *lun = hba_find_lun(h, t, l);

    switch (r->kind) {
    case HBA_FAULT_LUN_ARRIVE:
        if (hba_lun_arrive(h, t, l) == 0)
            hba_fault_fired(h, slot, lun);
        return true;
    case HBA_FAULT_LUN_REMOVE:
        if (hba_lun_remove(h, t, l) == 0) {
            hba_fault_fired(h, slot, lun);
            if (r->delay != 0)
                sim_event_schedule(&lun->arrive_ev, sim_now() + r->delay);
        }
        return true;
    case HBA_FAULT_POWER_LOSS:
        if (hba_power_loss(h, t, l) >= 0)
            hba_fault_fired(h, slot, lun);
        return true;
    case HBA_FAULT_BUS_RESET:
        hba_fault_fired(h, slot, lun);
        /* The reset ends every command in flight, this one included. */
        return hba_reset_start(h, false, true) < 0;
    default:
        cmd->fault = slot;   /* the rest act once the LUN is known */
        return true;
    }
}

/* Faults that act on a routed command. Returns false if it was dropped. */
static bool
late_fault(struct hba_cmd *cmd)
{
    struct hba *h = cmd->hba;
    struct hba_fault_slot *slot = cmd->fault;

    switch (slot->rule.kind) {
    case HBA_FAULT_DROP_COMMAND:
        cmd->state = CMD_DROPPED;
        h->st.dropped_commands++;
        hba_fault_fired(h, slot, cmd->lun);
        hba_trace_device(h, "cmd-dropped", cmd->d.tag, cmd->opcode);
        return false;
    case HBA_FAULT_DROP_INTERRUPT:
    case HBA_FAULT_DELAY_INTERRUPT:
        cmd->irqf = slot->rule.kind == HBA_FAULT_DROP_INTERRUPT ? IRQF_DROP
                                                                 : IRQF_DELAY;
        cmd->irq_delay = slot->rule.delay;
        hba_fault_fired(h, slot, cmd->lun);
        cmd->fault = NULL;
        return true;
    default:
        return true;   /* disk-level: hba_cmd_exec() applies it */
    }
}

void
hba_cmd_start(struct hba_cmd *cmd)
{
    struct hba *h = cmd->hba;
    struct hba_fault_slot *slot;

    init_cmd(cmd);
    if (!desc_valid(h, &cmd->d)) {
        hba_cmd_trace_start(cmd);
        hba_cmd_finish(cmd, SIMHBA_CS_INVALID_REQUEST, hba_fw_slot(h));
        return;
    }
    slot = hba_fault_match(h, cmd);
    if (slot != NULL) {
        hba_cmd_trace_start(cmd);   /* before what the fault does */
        if (!early_fault(cmd, slot))
            return;
    }
    if (!route(cmd))
        return;
    if (cmd->fault != NULL && !late_fault(cmd))
        return;
    if ((cmd->d.flags & SIMHBA_REQ_F_PIO) && cmd->d.data_length != 0) {
        hba_cmd_trace_start(cmd);
        hba_pio_begin(cmd);
    }
    else
        exec_dma(cmd);
}

void
hba_cmd_event(struct sim_event *ev)
{
    struct hba_cmd *cmd = (struct hba_cmd *)ev;

    if (cmd->state == CMD_PIO_PREP)
        hba_pio_ready(cmd);
    else
        hba_cmpl_post(cmd);
}
