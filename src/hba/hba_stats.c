/* hba_stats.c - SIMHBA statistics: counters per adapter and LUN, time-weighted occupancy. */
/*
 * Interface: hba_get_stats(), hba_get_lun_stats(), hba_stats_reset()
 * (include/storsim/hba.h); hba_stats_command() and hba_stats_completion()
 * at the two ends of a command's life; hba_occ_*() for occupancy.
 *
 * Occupancy is an integral over simulated time: each change adds
 * count * (time since the last change) to the area, so the mean is
 * area / elapsed, exact however unevenly the changes are spaced.
 */
#include <errno.h>
#include <string.h>

#include "hba/hba_int.h"

void
hba_occ_init(struct hba_occ *o)
{
    uint64_t keep = o->now;

    memset(o, 0, sizeof *o);
    o->now = o->max = keep;
    o->since = o->last = sim_now();
}

void
hba_occ_read(const struct hba_occ *o, struct hba_occupancy *out)
{
    sim_time_t t = sim_now();
    double area = o->area + (double)o->now * (double)(t - o->last);

    out->now = o->now;
    out->max = o->max;
    out->mean = t > o->since ? area / (double)(t - o->since) : (double)o->now;
}

void
hba_stats_command(struct hba_cmd *cmd)
{
    struct hba *h = cmd->hba;

    h->st.commands++;
    h->st.by_opcode[cmd->opcode]++;
    hba_occ_add(&h->occ, 1, sim_now());
}

static void
count_bytes(uint64_t *rd, uint64_t *wr, uint8_t dir, uint64_t moved)
{
    if (dir == SIMHBA_DIR_IN)
        *rd += moved;
    else if (dir == SIMHBA_DIR_OUT)
        *wr += moved;
}

void
hba_stats_completion(struct hba_cmd *cmd)
{
    struct hba *h = cmd->hba;
    struct hba_lun *l = cmd->lun;
    uint64_t moved = cmd->d.data_length - cmd->c.residual;
    bool error = cmd->c.status != SIMHBA_CS_SUCCESS;

    h->st.completions++;
    h->st.errors += error;
    h->st.invalid_requests += cmd->c.status == SIMHBA_CS_INVALID_REQUEST;
    count_bytes(&h->st.bytes_read, &h->st.bytes_written, cmd->d.direction, moved);
    if (l == NULL)
        return;
    l->st.errors += error;
    count_bytes(&l->st.bytes_read, &l->st.bytes_written, cmd->d.direction, moved);
}

void
hba_get_stats(const struct hba *h, struct hba_stats *out)
{
    *out = h->st;
    hba_occ_read(&h->occ, &out->occupancy);
}

int
hba_get_lun_stats(const struct hba *h, unsigned target, unsigned lun,
                  struct hba_lun_stats *out)
{
    const struct hba_lun *l;

    if (target >= HBA_MAX_TARGETS || lun >= HBA_MAX_LUNS_PER_TARGET ||
        (l = h->lun_at[target][lun]) == NULL)
        return -ENOENT;
    *out = l->st;
    out->present = l->present;
    hba_occ_read(&l->occ, &out->occupancy);
    return 0;
}

void
hba_stats_reset(struct hba *h)
{
    memset(&h->st, 0, sizeof h->st);
    hba_occ_init(&h->occ);
    for (size_t i = 0; i < h->nluns; i++) {
        memset(&h->luns[i].st, 0, sizeof h->luns[i].st);
        hba_occ_init(&h->luns[i].occ);
    }
}
