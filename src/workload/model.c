/* model.c: what every LBA must hold (the generation of the last completed
 * write), and which block ranges are in flight.
 *
 * Interface: wl_model_create()/wl_model_destroy() (public);
 * wl_model_expect(), wl_model_store() and wl_model_next_gen() for the
 * workload; wl_busy_xxx() is the set of ranges in flight.
 *
 * The model is sparse: leaves of 4096 consecutive LBAs (16 KiB of 32-bit
 * generations) in a hash table, made when an LBA in them is first written.
 * A sequential pass over N blocks costs 4 bytes per block; a random
 * workload over a huge disk touches a leaf per write at worst, so memory is
 * capped (track_bytes). A write the model has no room for leaves its blocks
 * "unknown": later reads of them are only checked for a self-consistent
 * stamp of that very block, or zeros, and counted as weak, never as good.
 */
#include <errno.h>
#include <stdlib.h>

#include "workload/wl_int.h"

#define LEAF_SHIFT 12
#define LEAF_LBAS (1u << LEAF_SHIFT)
#define DEFAULT_TRACK (64ull << 20)

struct wl_leaf {
    uint64_t key;              /* lun << 52 | lba >> LEAF_SHIFT */
    uint32_t gen[LEAF_LBAS];
};

static uint64_t
mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ull;
    return x ^ (x >> 33);
}

static uint64_t
leaf_key(uint32_t lun, uint64_t lba)
{
    return (uint64_t)lun << 52 | lba >> LEAF_SHIFT;
}

int
wl_model_create(uint64_t track_bytes, bool fresh, struct wl_model **out)
{
    struct wl_model *m = calloc(1, sizeof *m);

    if (m == NULL)
        return -ENOMEM;
    m->limit = track_bytes != 0 ? track_bytes : DEFAULT_TRACK;
    m->fresh = fresh;
    *out = m;
    return 0;
}

void
wl_model_destroy(struct wl_model *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i]);
    free(m->slots);
    free(m);
}

static struct wl_leaf **
slot_of(struct wl_leaf **slots, size_t cap, uint64_t key)
{
    size_t i = mix(key) & (cap - 1);

    while (slots[i] != NULL && slots[i]->key != key)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static struct wl_leaf *
find(const struct wl_model *m, uint64_t key)
{
    return m->cap == 0 ? NULL : *slot_of(m->slots, m->cap, key);
}

/* Double the table (or make the first one), keeping it at most half full. */
static int
grow(struct wl_model *m)
{
    size_t cap = m->cap != 0 ? m->cap * 2 : 64;
    struct wl_leaf **slots = calloc(cap, sizeof *slots);

    if (slots == NULL)
        return -ENOMEM;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i] != NULL)
            *slot_of(slots, cap, m->slots[i]->key) = m->slots[i];
    m->bytes += (cap - m->cap) * sizeof *slots;
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

/* The leaf of @key, made if needed; NULL when over the limit. */
static struct wl_leaf *
leaf_for(struct wl_model *m, uint64_t key)
{
    struct wl_leaf *leaf = find(m, key), **slot;

    if (leaf != NULL)
        return leaf;
    if (m->bytes + sizeof *leaf > m->limit)
        return NULL;
    if ((m->used + 1) * 2 > m->cap && grow(m) < 0)
        return NULL;
    leaf = calloc(1, sizeof *leaf);
    if (leaf == NULL)
        return NULL;
    leaf->key = key;
    slot = slot_of(m->slots, m->cap, key);
    *slot = leaf;
    m->used++;
    m->bytes += sizeof *leaf;
    return leaf;
}

uint32_t
wl_model_expect(const struct wl_model *m, uint32_t lun, uint64_t lba)
{
    const struct wl_leaf *leaf = find(m, leaf_key(lun, lba));

    if (leaf != NULL)
        return leaf->gen[lba & (LEAF_LBAS - 1)];
    /* No leaf: never written, unless writes have gone untracked. */
    return m->overflowed ? WL_GEN_UNKNOWN : WL_GEN_NONE;
}

void
wl_model_store(struct wl_model *m, uint32_t lun, uint64_t lba,
               uint32_t blocks, uint32_t gen)
{
    while (blocks > 0) {
        uint32_t first = (uint32_t)(lba & (LEAF_LBAS - 1));
        uint32_t n = LEAF_LBAS - first < blocks ? LEAF_LBAS - first : blocks;
        struct wl_leaf *leaf = leaf_for(m, leaf_key(lun, lba));

        if (leaf != NULL) {
            for (uint32_t i = 0; i < n; i++)
                leaf->gen[first + i] = gen;
        } else {
            m->overflowed = true;
            m->untracked += n;
        }
        lba += n;
        blocks -= n;
    }
}

uint32_t
wl_model_next_gen(struct wl_model *m)
{
    /* 0 and UINT32_MAX are reserved; four billion writes later, wrap. */
    if (++m->gen == WL_GEN_UNKNOWN)
        m->gen = 1;
    return m->gen;
}

/* ---------- ranges in flight ---------- */

int
wl_busy_init(struct wl_busy *b, size_t max_entries)
{
    size_t cap = 16;

    while (cap < max_entries * 2)
        cap *= 2;
    b->keys = calloc(cap, sizeof *b->keys);
    b->cap = cap;
    return b->keys != NULL ? 0 : -ENOMEM;
}

void
wl_busy_free(struct wl_busy *b)
{
    free(b->keys);
    b->keys = NULL;
}

bool
wl_busy_add(struct wl_busy *b, uint64_t key)
{
    size_t i = mix(key) & (b->cap - 1);

    while (b->keys[i] != 0) {
        if (b->keys[i] == key)
            return false;
        i = (i + 1) & (b->cap - 1);
    }
    b->keys[i] = key;
    return true;
}

/* Linear-probing delete: empty the slot, then move back any later entry of
 * the same run that would no longer be found past the hole. */
void
wl_busy_del(struct wl_busy *b, uint64_t key)
{
    size_t mask = b->cap - 1, i = mix(key) & mask, j;

    while (b->keys[i] != key) {
        if (b->keys[i] == 0)
            return;
        i = (i + 1) & mask;
    }
    b->keys[i] = 0;
    for (j = (i + 1) & mask; b->keys[j] != 0; j = (j + 1) & mask) {
        size_t home = mix(b->keys[j]) & mask;
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);

        if (!stays) {
            b->keys[i] = b->keys[j];
            b->keys[j] = 0;
            i = j;
        }
    }
}
