/* srb_table.h: the SRBs in flight, by id, for the statistics collector
 * and the trace exporter (private to src/stats).
 *
 * Interface: srb_table_init(), then srb_table_find() / srb_table_insert()
 * / srb_table_remove() as SIM_EV_SRB events arrive; srb_table_free() at
 * the end. An open-addressing hash table with linear probing: it grows
 * with the most SRBs in flight at once, never with the length of the run,
 * and srb_table_bytes() says how much memory it holds (the exporter's
 * "streamed, bounded memory" test reads it).
 */
#ifndef STORSIM_STATS_SRB_TABLE_H
#define STORSIM_STATS_SRB_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "storsim/types.h"

/* One SRB in flight. id 0 marks an empty slot (SRB ids start at 1). */
struct srb_entry {
    uint32_t id;
    uint8_t state;        /* enum port_srb_state it is in */
    uint8_t flags;        /* the user's (the exporter: flow started) */
    sim_time_t since;     /* when it entered that state */
    sim_time_t first;     /* when it was first seen */
};

struct srb_table {
    struct srb_entry *slot;
    uint32_t mask;        /* capacity - 1; capacity is a power of two */
    uint32_t used;
};

int srb_table_init(struct srb_table *t);
void srb_table_free(struct srb_table *t);
struct srb_entry *srb_table_find(struct srb_table *t, uint32_t id);
/* Insert a new id (not present): returns the entry, zeroed but for id,
 * or NULL when out of memory. */
struct srb_entry *srb_table_insert(struct srb_table *t, uint32_t id);
void srb_table_remove(struct srb_table *t, struct srb_entry *e);
size_t srb_table_bytes(const struct srb_table *t);

#endif /* STORSIM_STATS_SRB_TABLE_H */
