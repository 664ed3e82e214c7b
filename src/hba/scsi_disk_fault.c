/* scsi_disk_fault.c - fault-injection rules: medium errors and forced status per command. */
/*
 * Interface: scsi_disk_fault_add() / _remove() / _clear() manage the rules,
 * scsi_disk_inject_medium_error() and scsi_disk_inject_status() are the
 * two common shapes; the dispatcher calls scsi_disk_fault_apply() for each
 * command that passed CDB and unit attention checks.
 *
 * Rules are tried in slot order and the first that fires decides the
 * command's fate; a rule that does not fire still counts the match, so
 * "every Nth" counts matching commands, not all commands.
 */
#include <errno.h>
#include <string.h>

#include "hba/scsi_disk_int.h"

static bool
rule_ok(const struct scsi_disk_fault_rule *r)
{
    if (r->opcode < SCSI_DISK_ANY_OPCODE || r->opcode > 0xFF)
        return false;
    if (r->classes & ~SCSI_DISK_CLASS_ALL)
        return false;
    if (r->lba_count && r->lba_first > UINT64_MAX - r->lba_count)
        return false;
    return r->action == SCSI_DISK_FAULT_MEDIUM_ERROR || r->action == SCSI_DISK_FAULT_STATUS;
}

int
scsi_disk_fault_add(struct scsi_disk *disk, const struct scsi_disk_fault_rule *rule)
{
    if (!rule || !rule_ok(rule))
        return -EINVAL;
    for (int i = 0; i < SCSI_DISK_MAX_FAULTS; i++) {
        struct scsi_disk_fault_slot *slot = &disk->faults[i];

        if (slot->active)
            continue;
        memset(slot, 0, sizeof *slot);
        slot->rule = *rule;
        slot->active = true;
        disk->fault_count++;
        return i;
    }
    return -ENOSPC;
}

int
scsi_disk_fault_remove(struct scsi_disk *disk, int id)
{
    if (id < 0 || id >= SCSI_DISK_MAX_FAULTS || !disk->faults[id].active)
        return -ENOENT;
    disk->faults[id].active = false;
    disk->fault_count--;
    return 0;
}

void
scsi_disk_fault_clear(struct scsi_disk *disk)
{
    for (int i = 0; i < SCSI_DISK_MAX_FAULTS; i++)
        disk->faults[i].active = false;
    disk->fault_count = 0;
}

int
scsi_disk_inject_medium_error(struct scsi_disk *disk, uint64_t lba, uint64_t count)
{
    struct scsi_disk_fault_rule r = {
        .opcode = SCSI_DISK_ANY_OPCODE,
        .classes = SCSI_DISK_CLASS_READ | SCSI_DISK_CLASS_VERIFY,
        .lba_first = lba, .lba_count = count,
        .action = SCSI_DISK_FAULT_MEDIUM_ERROR,
    };

    if (count == 0)
        return -EINVAL;
    return scsi_disk_fault_add(disk, &r);
}

int
scsi_disk_inject_status(struct scsi_disk *disk, uint8_t status, uint8_t key,
                        uint16_t asc_ascq)
{
    struct scsi_disk_fault_rule r = {
        .opcode = SCSI_DISK_ANY_OPCODE, .classes = SCSI_DISK_CLASS_ALL, .count = 1,
        .action = SCSI_DISK_FAULT_STATUS,
        .status = status, .sense_key = key, .asc_ascq = asc_ascq,
    };

    return scsi_disk_fault_add(disk, &r);
}

static bool
matches(const struct scsi_disk_fault_rule *r, const struct scsi_disk_cmd *c)
{
    unsigned classes = r->classes ? r->classes : SCSI_DISK_CLASS_ALL;

    if (r->opcode != SCSI_DISK_ANY_OPCODE && r->opcode != c->cdb[0])
        return false;
    if (!(classes & c->entry->cls))
        return false;
    if (r->lba_count == 0)
        return true;
    if (!c->has_range || c->blocks == 0)
        return false;
    return c->lba < r->lba_first + r->lba_count && r->lba_first < c->lba + c->blocks;
}

static void
fire(struct scsi_disk_cmd *c, const struct scsi_disk_fault_rule *r)
{
    uint16_t asc_ascq;
    uint64_t bad;

    if (r->action == SCSI_DISK_FAULT_STATUS) {
        c->res->status = r->status;
        if (r->status == SCSI_STATUS_CHECK_CONDITION)
            scsi_disk_cmd_check(c, r->sense_key, r->asc_ascq);
        return;
    }
    asc_ascq = c->entry->cls == SCSI_DISK_CLASS_WRITE ? SCSI_ASC_WRITE_ERROR
                                                      : SCSI_ASC_UNRECOVERED_READ_ERROR;
    if (!c->has_range) {
        scsi_disk_cmd_check(c, SCSI_KEY_MEDIUM_ERROR, asc_ascq);
        return;
    }
    /* INFORMATION names the first bad block the command reached */
    bad = r->lba_count && r->lba_first > c->lba ? r->lba_first : c->lba;
    scsi_disk_cmd_medium_error(c, asc_ascq, bad);
    /* the drive went to the media (and retried) before giving up */
    c->lat_kind = c->entry->cls == SCSI_DISK_CLASS_WRITE ? SCSI_DISK_LAT_WRITE
                                                         : SCSI_DISK_LAT_READ;
    c->lat_lba = c->lba;
    c->lat_bytes = (bad - c->lba + 1) * c->disk->block_size;
}

/* Returns 1 when a rule failed the command (the result is set), else 0. */
int
scsi_disk_fault_apply(struct scsi_disk_cmd *c)
{
    struct scsi_disk *d = c->disk;

    for (int i = 0; d->fault_count && i < SCSI_DISK_MAX_FAULTS; i++) {
        struct scsi_disk_fault_slot *slot = &d->faults[i];
        uint32_t nth = slot->rule.every_nth ? slot->rule.every_nth : 1;

        if (!slot->active || !matches(&slot->rule, c))
            continue;
        if (++slot->matches % nth)
            continue;
        fire(c, &slot->rule);
        d->stats.injected_faults++;
        if (slot->rule.count && ++slot->fired >= slot->rule.count) {
            slot->active = false;
            d->fault_count--;
        }
        return 1;
    }
    return 0;
}
