/* srb_table.c: the SRBs in flight, by id (see srb_table.h).
 *
 * Linear probing with backward-shift deletion, so there are no tombstones
 * and a table that sees a billion SRBs go through it stays as small as
 * the most that were in flight at once. The load is kept at or below one
 * half, so a probe is short.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stats/srb_table.h"

#define INITIAL_SLOTS 64u

static uint32_t
home_of(const struct srb_table *t, uint32_t id)
{
    uint32_t h = id * 0x9E3779B1u;   /* golden-ratio multiply, then fold */

    return (h ^ (h >> 16)) & t->mask;
}

int
srb_table_init(struct srb_table *t)
{
    t->slot = calloc(INITIAL_SLOTS, sizeof *t->slot);
    if (t->slot == NULL)
        return -ENOMEM;
    t->mask = INITIAL_SLOTS - 1;
    t->used = 0;
    return 0;
}

void
srb_table_free(struct srb_table *t)
{
    free(t->slot);
    memset(t, 0, sizeof *t);
}

struct srb_entry *
srb_table_find(struct srb_table *t, uint32_t id)
{
    for (uint32_t i = home_of(t, id);; i = (i + 1) & t->mask) {
        if (t->slot[i].id == id)
            return &t->slot[i];
        if (t->slot[i].id == 0)
            return NULL;
    }
}

static struct srb_entry *
place(struct srb_table *t, const struct srb_entry *e)
{
    uint32_t i = home_of(t, e->id);

    while (t->slot[i].id != 0)
        i = (i + 1) & t->mask;
    t->slot[i] = *e;
    t->used++;
    return &t->slot[i];
}

static int
grow(struct srb_table *t)
{
    struct srb_table bigger;
    uint32_t cap = (t->mask + 1) * 2;

    bigger.slot = calloc(cap, sizeof *bigger.slot);
    if (bigger.slot == NULL)
        return -ENOMEM;
    bigger.mask = cap - 1;
    bigger.used = 0;
    for (uint32_t i = 0; i <= t->mask; i++)
        if (t->slot[i].id != 0)
            place(&bigger, &t->slot[i]);
    free(t->slot);
    *t = bigger;
    return 0;
}

struct srb_entry *
srb_table_insert(struct srb_table *t, uint32_t id)
{
    struct srb_entry e = { .id = id };

    if ((t->used + 1) * 2 > t->mask + 1 && grow(t) < 0)
        return NULL;
    return place(t, &e);
}

void
srb_table_remove(struct srb_table *t, struct srb_entry *e)
{
    uint32_t hole = (uint32_t)(e - t->slot);

    /* Move later members of the probe run back into the hole, so that
     * find() never stops early at an empty slot. */
    for (uint32_t j = (hole + 1) & t->mask; t->slot[j].id != 0;
         j = (j + 1) & t->mask) {
        uint32_t home = home_of(t, t->slot[j].id);
        /* The entry at j may move to the hole if its home is not in the
         * cyclic range (hole, j]. */
        if (((j - home) & t->mask) >= ((j - hole) & t->mask)) {
            t->slot[hole] = t->slot[j];
            hole = j;
        }
    }
    t->slot[hole].id = 0;
    t->used--;
}

size_t
srb_table_bytes(const struct srb_table *t)
{
    return t->slot != NULL ? (size_t)(t->mask + 1) * sizeof *t->slot : 0;
}
