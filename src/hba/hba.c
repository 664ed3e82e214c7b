/* hba.c - the SIMHBA adapter model: configuration, creation, logical units. */
/*
 * Interface: include/storsim/hba.h (hba_config_default, hba_create,
 * hba_destroy, hba_attach_interrupt, LUN lookup); hba_find_lun() and
 * hba_trace_device() for the rest of src/hba.
 *
 * An adapter owns its disks, its command slots and the events they use.
 * It must be destroyed while the machine still exists, because destroying
 * it cancels those events in the machine's queue.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hba/hba_int.h"

#define MAX_XFER_LIMIT (8u << 20)  /* PIO_STATUS.REMAINING has 24 bits */

void
hba_config_default(struct hba_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->name = "simhba0";
    cfg->queue_depth = 32;
    cfg->max_sg = 64;
    cfg->max_transfer = 256 * 1024;
    /* An uncached PCIe read is a round trip (~0.5-1 us); a posted write
     * leaves the CPU after ~50-100 ns; an I/O-port ULONG ~0.5 us. */
    cfg->mmio_read_ns = 700;
    cfg->mmio_write_ns = 80;
    cfg->pio_ns = 500;
    cfg->command_ns = 1000;
    cfg->reset_ns = SIM_US(50);
    cfg->irq_mode = SIM_IRQ_LEVEL;
    hba_config_add_lun(cfg, 0, 0, NULL);
}

int
hba_config_add_lun(struct hba_config *cfg, unsigned target, unsigned lun,
                   const struct scsi_disk_config *disk)
{
    struct hba_lun_config *slot = NULL;

    if (target >= HBA_MAX_TARGETS || lun >= HBA_MAX_LUNS_PER_TARGET)
        return -EINVAL;
    for (size_t i = 0; i < cfg->nluns; i++)
        if (cfg->luns[i].target == target && cfg->luns[i].lun == lun)
            slot = &cfg->luns[i];
    if (slot == NULL) {
        if (cfg->nluns == HBA_MAX_LUNS)
            return -ENOSPC;
        slot = &cfg->luns[cfg->nluns++];
    }
    slot->target = (uint8_t)target;
    slot->lun = (uint8_t)lun;
    if (disk != NULL)
        slot->disk = *disk;
    else
        scsi_disk_config_init(&slot->disk);
    return 0;
}

static bool
in_range(uint64_t v, uint64_t lo, uint64_t hi)
{
    return v >= lo && v <= hi;
}

static int
config_check(const struct hba_config *cfg)
{
    if (cfg->name == NULL || !in_range(cfg->queue_depth, 1, SIMHBA_MAX_QUEUE) ||
        !in_range(cfg->max_sg, 1, 4095) ||
        !in_range(cfg->max_transfer, 512, MAX_XFER_LIMIT) ||
        cfg->nluns > HBA_MAX_LUNS ||
        (cfg->irq_mode != SIM_IRQ_LEVEL && cfg->irq_mode != SIM_IRQ_EDGE))
        return -EINVAL;
    for (size_t i = 0; i < cfg->nluns; i++) {
        if (cfg->luns[i].target >= HBA_MAX_TARGETS ||
            cfg->luns[i].lun >= HBA_MAX_LUNS_PER_TARGET)
            return -EINVAL;
        for (size_t j = 0; j < i; j++)
            if (cfg->luns[j].target == cfg->luns[i].target &&
                cfg->luns[j].lun == cfg->luns[i].lun)
                return -EINVAL;
    }
    return 0;
}

/* The LUN numbers of a target's present units, for REPORT LUNS. */
static size_t
target_luns(const struct hba *h, unsigned target, uint16_t *out)
{
    size_t n = 0;

    for (unsigned l = 0; l < HBA_MAX_LUNS_PER_TARGET; l++)
        if (h->lun_at[target][l] != NULL && h->lun_at[target][l]->present)
            out[n++] = (uint16_t)l;
    return n;
}

static int
create_disk(struct hba *h, struct hba_lun *l, const struct hba_lun_config *lc)
{
    struct scsi_disk_config dc = lc->disk;
    uint16_t list[HBA_MAX_LUNS_PER_TARGET];

    dc.lun = lc->lun;
    dc.lun_count = target_luns(h, lc->target, list);
    dc.luns = list;
    /* The jitter stream is the adapter's, so the machine seed moves it. */
    dc.seed = lc->disk.seed ^ sim_rng_next(&h->rng);
    return scsi_disk_create(&dc, &l->disk);
}

static int
create_luns(struct hba *h)
{
    /* Mark every LUN present first, so each REPORT LUNS list is complete. */
    for (size_t i = 0; i < h->cfg.nluns; i++) {
        const struct hba_lun_config *lc = &h->cfg.luns[i];
        struct hba_lun *l = &h->luns[i];

        l->hba = h;
        l->target = lc->target;
        l->lun = lc->lun;
        l->present = true;
        hba_occ_init(&l->occ);
        hba_lun_event_init(l);
        h->lun_at[lc->target][lc->lun] = l;
    }
    h->nluns = h->cfg.nluns;
    for (size_t i = 0; i < h->nluns; i++) {
        int rc = create_disk(h, &h->luns[i], &h->cfg.luns[i]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int
alloc_slots(struct hba *h)
{
    uint32_t qd = h->cfg.queue_depth;

    h->cmds = calloc(qd, sizeof *h->cmds);
    /* Host segments: a run per page touched plus two per SG element. */
    h->iov_cap = h->cfg.max_transfer / PHYSMEM_PAGE_SIZE + 2 * h->cfg.max_sg + 2;
    h->iov = calloc(h->iov_cap, sizeof *h->iov);
    h->sg_buf = calloc(h->cfg.max_sg, sizeof *h->sg_buf);
    if (h->cmds == NULL || h->iov == NULL || h->sg_buf == NULL)
        return -ENOMEM;
    for (uint32_t i = qd; i-- > 0;) {
        struct hba_cmd *c = &h->cmds[i];
        sim_event_init(&c->ev, hba_cmd_event, "hba-cmd");
        c->hba = h;
        c->state = CMD_FREE;
        c->next = h->free_cmds;
        h->free_cmds = c;
    }
    return 0;
}

int
hba_create(const struct hba_config *cfg, struct hba **out)
{
    struct hba *h;
    int rc;

    *out = NULL;
    if (!sim_exists())
        return -ENODEV;
    if ((rc = config_check(cfg)) < 0)
        return rc;
    h = calloc(1, sizeof *h);
    if (h == NULL)
        return -ENOMEM;
    h->cfg = *cfg;
    sim_rng_init(&h->rng, cfg->name);
    hba_ring_init(h);
    hba_irq_init(h);
    hba_reset_init(h);
    hba_occ_init(&h->occ);
    if ((rc = alloc_slots(h)) < 0 || (rc = create_luns(h)) < 0) {
        hba_destroy(h);
        return rc;
    }
    *out = h;
    return 0;
}

void
hba_destroy(struct hba *h)
{
    if (h == NULL)
        return;
    for (uint32_t i = 0; h->cmds != NULL && i < h->cfg.queue_depth; i++) {
        sim_event_cancel(&h->cmds[i].ev);
        free(h->cmds[i].pio_buf);
    }
    for (size_t i = 0; i < h->nluns; i++) {
        sim_event_cancel(&h->luns[i].arrive_ev);
        scsi_disk_destroy(h->luns[i].disk);
    }
    sim_event_cancel(&h->fetch_ev);
    sim_event_cancel(&h->drain_ev);
    sim_event_cancel(&h->reset_ev);
    hba_irq_teardown(h);
    free(h->cmds);
    free(h->iov);
    free(h->sg_buf);
    free(h);
}

int
hba_attach_interrupt(struct hba *h, struct sim_interrupt *intr)
{
    if (intr != NULL && intr->mode != h->cfg.irq_mode)
        return -EINVAL;
    h->intr = intr;
    hba_irq_resync(h);
    return 0;
}

const struct hba_config *
hba_get_config(const struct hba *h)
{
    return &h->cfg;
}

struct hba_lun *
hba_find_lun(struct hba *h, unsigned target, unsigned lun)
{
    if (target >= HBA_MAX_TARGETS || lun >= HBA_MAX_LUNS_PER_TARGET)
        return NULL;
    return h->lun_at[target][lun];
}

bool
hba_target_exists(const struct hba *h, unsigned target)
{
    if (target >= HBA_MAX_TARGETS)
        return false;
    for (unsigned l = 0; l < HBA_MAX_LUNS_PER_TARGET; l++)
        if (h->lun_at[target][l] != NULL)
            return true;
    return false;
}

struct scsi_disk *
hba_lun_disk(struct hba *h, unsigned target, unsigned lun)
{
    struct hba_lun *l = hba_find_lun(h, target, lun);

    return l != NULL ? l->disk : NULL;
}

/* Refresh the REPORT LUNS list of every unit of a target after a change. */
void
hba_update_report_luns(struct hba *h, unsigned target)
{
    uint16_t list[HBA_MAX_LUNS_PER_TARGET];
    size_t n = target_luns(h, target, list);

    for (unsigned l = 0; l < HBA_MAX_LUNS_PER_TARGET; l++)
        if (h->lun_at[target][l] != NULL)
            scsi_disk_set_luns(h->lun_at[target][l]->disk, list, n);
}

const char *
hba_cmpl_status_name(uint8_t status)
{
    switch (status) {
    case SIMHBA_CS_SUCCESS:           return "SUCCESS";
    case SIMHBA_CS_ERROR:             return "ERROR";
    case SIMHBA_CS_INVALID_REQUEST:   return "INVALID_REQUEST";
    case SIMHBA_CS_SELECTION_TIMEOUT: return "SELECTION_TIMEOUT";
    case SIMHBA_CS_BUS_RESET:         return "BUS_RESET";
    case SIMHBA_CS_DATA_OVERRUN:      return "DATA_OVERRUN";
    case SIMHBA_CS_INVALID_LUN:       return "INVALID_LUN";
    default:                          return "UNKNOWN";
    }
}

/* A device-side trace line: no CPU, the adapter as the routine. */
void
hba_trace_device(struct hba *h, const char *what, uint64_t arg, uint64_t arg2)
{
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_DEVICE, .routine = h->cfg.name, .detail = what,
        .arg = arg, .arg2 = arg2 });
}

/* Length of a command list whose members must all be in `state`, or -1. */
static int
list_len(const struct hba_cmd *c, enum hba_cmd_state state, uint32_t max)
{
    int n = 0;

    for (; c != NULL; c = c->next)
        if (c->state != state || (uint32_t)++n > max)
            return -1;
    return n;
}

int
hba_check(const struct hba *h)
{
    uint32_t qd = h->cfg.queue_depth, busy = 0, ovf = 0, wait = 0;
    int nfree = list_len(h->free_cmds, CMD_FREE, qd);

    for (uint32_t i = 0; i < qd; i++) {
        busy += h->cmds[i].state != CMD_FREE;
        ovf += h->cmds[i].state == CMD_OVERFLOW;
        wait += h->cmds[i].state == CMD_PIO_WAIT;
    }
    if (nfree < 0 || busy != h->active || (uint32_t)nfree + busy != qd)
        return -EIO;
    if (list_len(h->ovf_head, CMD_OVERFLOW, qd) != (int)ovf ||
        list_len(h->pio_head, CMD_PIO_WAIT, qd) != (int)wait)
        return -EIO;
    if (h->pio_cur != NULL && h->pio_cur->state != CMD_PIO)
        return -EIO;
    if (h->cmpl_ring != NULL && h->cmpl_prod - h->cmpl_cons > h->cmpl_size)
        return -EIO;
    return 0;
}

bool
hba_tag_busy(const struct hba *h, uint32_t tag)
{
    for (uint32_t i = 0; i < h->cfg.queue_depth; i++)
        if (h->cmds[i].state != CMD_FREE && h->cmds[i].d.tag == tag)
            return true;
    for (uint32_t i = h->req_cons; h->req_ring != NULL && i != h->req_prod; i++)
        if (h->req_ring[i & (h->req_size - 1)].tag == tag)
            return true;
    return false;
}
