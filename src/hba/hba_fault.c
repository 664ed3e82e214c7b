/* hba_fault.c - the SIMHBA fault rule engine: matching commands, firing rules. */
/*
 * Interface: hba_fault_add(), hba_fault_remove(), hba_fault_clear() and
 * hba_fault_rule_init() (include/storsim/hba.h); hba_fault_match() for
 * each command the adapter starts, hba_fault_fired() when a rule acted,
 * hba_fault_apply_disk() for the kinds the disk carries out.
 *
 * The adapter owns the rules, so "every Nth" and "count" are counted over
 * the whole adapter (or the LUNs a rule names), before the disk has seen
 * the command. The disk-level kinds (medium error, status, BUSY, TASK SET
 * FULL) are then carried out by a one-shot scsi_disk fault rule wrapped
 * around that one command: the disk applies it only if the command would
 * otherwise have run (a unit attention or a bad CDB wins, as on a real
 * target), and a rule that did not get to act is not counted as fired.
 */
#include <errno.h>
#include <string.h>

#include "hba/hba_int.h"

void
hba_fault_rule_init(struct hba_fault_rule *r, enum hba_fault_kind kind)
{
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->target = HBA_ANY;
    r->lun = HBA_ANY;
    r->opcode = HBA_ANY;
}

int
hba_fault_rule_check(const struct hba_fault_rule *r)
{
    if ((unsigned)r->kind >= HBA_FAULT_KIND_COUNT)
        return -EINVAL;
    if (r->target < HBA_ANY || r->target >= HBA_MAX_TARGETS ||
        r->lun < HBA_ANY || r->lun >= HBA_MAX_LUNS_PER_TARGET ||
        r->opcode < HBA_ANY || r->opcode > 0xFF)
        return -EINVAL;
    if (r->lba_count != 0 && r->lba_first > UINT64_MAX - r->lba_count)
        return -EINVAL;
    if (r->kind == HBA_FAULT_DELAY_INTERRUPT && r->delay == 0)
        return -EINVAL;
    return 0;
}

int
hba_fault_add(struct hba *h, const struct hba_fault_rule *rule)
{
    if (hba_fault_rule_check(rule) < 0)
        return -EINVAL;
    for (int i = 0; i < HBA_MAX_FAULTS; i++) {
        struct hba_fault_slot *s = &h->faults[i];

        if (s->active)
            continue;
        memset(s, 0, sizeof *s);
        s->rule = *rule;
        s->active = true;
        h->nfaults++;
        return i;
    }
    return -ENOSPC;
}

int
hba_fault_remove(struct hba *h, int id)
{
    if (id < 0 || id >= HBA_MAX_FAULTS || !h->faults[id].active)
        return -ENOENT;
    h->faults[id].active = false;
    h->nfaults--;
    return 0;
}

void
hba_fault_clear(struct hba *h)
{
    for (int i = 0; i < HBA_MAX_FAULTS; i++)
        h->faults[i].active = false;
    h->nfaults = 0;
}

static uint32_t
be_get(const uint8_t *p, int n)
{
    uint32_t v = 0;

    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* The LBA range of a media command (SBC-3), false for other commands. */
bool
hba_cdb_lba_range(const uint8_t *cdb, uint64_t *lba, uint64_t *blocks)
{
    switch (cdb[0]) {
    case SCSI_OP_READ_6:
    case SCSI_OP_WRITE_6:
        *lba = (uint64_t)(cdb[1] & 0x1F) << 16 | be_get(cdb + 2, 2);
        *blocks = cdb[4] ? cdb[4] : 256;
        return true;
    case SCSI_OP_READ_10:
    case SCSI_OP_WRITE_10:
    case SCSI_OP_VERIFY_10:
        *lba = be_get(cdb + 2, 4);
        *blocks = be_get(cdb + 7, 2);
        return true;
    case SCSI_OP_READ_16:
    case SCSI_OP_WRITE_16:
        *lba = (uint64_t)be_get(cdb + 2, 4) << 32 | be_get(cdb + 6, 4);
        *blocks = be_get(cdb + 10, 4);
        return true;
    default:
        return false;
    }
}

static bool
matches(const struct hba_fault_rule *r, const struct simhba_req_desc *d,
        bool media, uint64_t lba, uint64_t blocks)
{
    if ((r->target != HBA_ANY && r->target != d->target) ||
        (r->lun != HBA_ANY && r->lun != d->lun) ||
        (r->opcode != HBA_ANY && r->opcode != d->cdb[0]))
        return false;
    if (r->kind == HBA_FAULT_MEDIUM_ERROR && !media)
        return false;
    if (r->lba_count == 0)
        return true;
    return media && blocks != 0 && lba < r->lba_first + r->lba_count &&
           r->lba_first < lba + blocks;
}

struct hba_fault_slot *
hba_fault_match(struct hba *h, struct hba_cmd *cmd)
{
    uint64_t lba = 0, blocks = 0;
    bool media;

    if (h->nfaults == 0)
        return NULL;   /* the common case, on every command */
    media = hba_cdb_lba_range(cmd->d.cdb, &lba, &blocks);
    for (int i = 0; i < HBA_MAX_FAULTS; i++) {
        struct hba_fault_slot *s = &h->faults[i];
        uint32_t nth = s->rule.every ? s->rule.every : 1;

        if (!s->active || !matches(&s->rule, &cmd->d, media, lba, blocks))
            continue;
        if (++s->matches % nth == 0)
            return s;
    }
    return NULL;
}

void
hba_fault_fired(struct hba *h, struct hba_fault_slot *s, struct hba_lun *lun)
{
    s->fired++;
    h->st.faults_injected++;
    if (lun != NULL)
        lun->st.faults_injected++;
    if (s->rule.count != 0 && s->fired >= s->rule.count) {
        s->active = false;
        h->nfaults--;
    }
    hba_trace_device(h, hba_fault_kind_name(s->rule.kind),
                     (uint64_t)(s - h->faults), s->fired);
}

/* The one-shot disk rule that carries out a disk-level kind. */
static void
disk_rule(const struct hba_fault_rule *r, uint8_t opcode,
          struct scsi_disk_fault_rule *out)
{
    memset(out, 0, sizeof *out);
    out->opcode = opcode;
    out->classes = SCSI_DISK_CLASS_ALL;
    out->lba_first = r->lba_first;
    out->lba_count = r->lba_count;
    out->count = 1;
    out->action = SCSI_DISK_FAULT_STATUS;
    switch (r->kind) {
    case HBA_FAULT_MEDIUM_ERROR:
        out->action = SCSI_DISK_FAULT_MEDIUM_ERROR;
        break;
    case HBA_FAULT_BUSY:
        out->status = SCSI_STATUS_BUSY;
        break;
    case HBA_FAULT_TASK_SET_FULL:
        out->status = SCSI_STATUS_TASK_SET_FULL;
        break;
    default:
        out->status = r->status;
        out->sense_key = r->sense_key;
        out->asc_ascq = r->asc_ascq;
        break;
    }
}

int
hba_fault_apply_disk(struct hba_fault_slot *s, struct hba_cmd *cmd,
                     const struct scsi_disk_iov *iov, size_t niov,
                     struct scsi_disk_result *res, bool *fired)
{
    struct scsi_disk *disk = cmd->lun->disk;
    struct scsi_disk_fault_rule r;
    int id, rc;

    disk_rule(&s->rule, cmd->opcode, &r);
    id = scsi_disk_fault_add(disk, &r);
    rc = scsi_disk_execute(disk, cmd->d.cdb, cmd->d.cdb_len, iov, niov, res);
    /* A one-shot rule that fired has removed itself. */
    *fired = id >= 0 && scsi_disk_fault_remove(disk, id) == -ENOENT;
    return rc;
}
