/* physmem.c - simulated physical memory: page frames behind host buffers. */
/*
 * Interface: see include/storsim/physmem.h.
 *
 * Three hash maps hold the whole state:
 *   pages   host page number (address >> 12) -> frame number
 *   frames  frame number -> host page number
 *   allocs  host page number of an allocation's first page -> its size
 * Invariants: pages and frames are inverse bijections; every page of a
 * live allocation is in both; frame 0 and host page 0 are never used, so
 * 0 can mark an empty map slot.
 *
 * The maps use open addressing with linear probing and backward-shift
 * deletion (no tombstones), so a lookup is a multiply and, at the load we
 * keep (at most one half), one or two probes: DMA translates every page
 * of every transfer, so this is on the simulator's hot path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/physmem.h"
#include "storsim/sim.h"

/* One in ADJACENT_ONE_IN scattered pages lands right after its
 * predecessor, so scattered buffers still have multi-page extents. */
#define ADJACENT_ONE_IN 4
/* Random tries at placing a contiguous run before giving up. */
#define CONTIG_TRIES 64
#define ALLOC_CONTIG_BIT (1ull << 63)

struct slot {
    uint64_t key;
    uint64_t val;
};

struct u64map {
    struct slot *slots;
    size_t cap;     /* a power of two, or 0 */
    size_t len;
    int shift;      /* 64 - log2(cap): the hash keeps the product's top bits */
};

static struct {
    struct u64map pages, frames, allocs;
    struct sim_rng rng;
    bool seeded;
    size_t npages, ncontig;
} pm;

/* ---------- the hash map ---------- */

static inline size_t
map_home(const struct u64map *m, uint64_t key)
{
    return (size_t)((key * 0x9E3779B97F4A7C15ull) >> m->shift);
}

static struct slot *
map_find(const struct u64map *m, uint64_t key)
{
    if (m->cap == 0)
        return NULL;
    for (size_t i = map_home(m, key);; i = (i + 1) & (m->cap - 1)) {
        if (m->slots[i].key == key)
            return &m->slots[i];
        if (m->slots[i].key == 0)
            return NULL;
    }
}

static void map_insert_fresh(struct u64map *m, uint64_t key, uint64_t val);

static int
map_grow(struct u64map *m)
{
    struct u64map bigger = { NULL, m->cap ? m->cap * 2 : 1024, 0, 0 };

    bigger.shift = 64 - __builtin_ctzll(bigger.cap);
    bigger.slots = calloc(bigger.cap, sizeof *bigger.slots);
    if (bigger.slots == NULL)
        return -ENOMEM;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key != 0)
            map_insert_fresh(&bigger, m->slots[i].key, m->slots[i].val);
    free(m->slots);
    *m = bigger;
    return 0;
}

/* Insert a key known to be absent, with room known to be there. */
static void
map_insert_fresh(struct u64map *m, uint64_t key, uint64_t val)
{
    size_t i = map_home(m, key);

    while (m->slots[i].key != 0)
        i = (i + 1) & (m->cap - 1);
    m->slots[i].key = key;
    m->slots[i].val = val;
    m->len++;
}

static int
map_put(struct u64map *m, uint64_t key, uint64_t val)
{
    struct slot *s = map_find(m, key);

    if (s != NULL) {
        s->val = val;
        return 0;
    }
    if (2 * (m->len + 1) > m->cap && map_grow(m) < 0)
        return -ENOMEM;
    map_insert_fresh(m, key, val);
    return 0;
}

/* Backward-shift deletion: pull later members of the probe run into the
 * hole when their home slot allows it, so no tombstones are needed. */
static void
map_del(struct u64map *m, uint64_t key)
{
    struct slot *s = map_find(m, key);
    size_t hole, i, mask = m->cap - 1;

    if (s == NULL)
        return;
    hole = (size_t)(s - m->slots);
    for (i = (hole + 1) & mask; m->slots[i].key != 0; i = (i + 1) & mask) {
        size_t home = map_home(m, m->slots[i].key);
        /* Movable if its home is not in the cyclic range (hole, i]. */
        if (((i - home) & mask) >= ((i - hole) & mask)) {
            m->slots[hole] = m->slots[i];
            hole = i;
        }
    }
    m->slots[hole].key = 0;
    m->len--;
}

static void
map_free(struct u64map *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* ---------- frames ---------- */

static inline uint64_t
page_of(const void *p)
{
    return (uint64_t)(uintptr_t)p >> PHYSMEM_PAGE_SHIFT;
}

static bool
frame_free(uint64_t pfn)
{
    return pfn != 0 && pfn < PHYSMEM_FRAMES && map_find(&pm.frames, pfn) == NULL;
}

static void
seed_once(void)
{
    if (!pm.seeded) {
        sim_rng_init(&pm.rng, "physmem");
        pm.seeded = true;
    }
}

static uint64_t
random_frame(void)
{
    return 1 + sim_rng_below(&pm.rng, PHYSMEM_FRAMES - 1);
}

/* A frame for the next page of a scattered allocation. */
static uint64_t
pick_scattered(uint64_t prev)
{
    uint64_t pfn;

    if (prev != 0 && sim_rng_below(&pm.rng, ADJACENT_ONE_IN) == 0 &&
        frame_free(prev + 1))
        return prev + 1;
    do
        pfn = random_frame();
    while (!frame_free(pfn));
    return pfn;
}

static bool
run_free(uint64_t first, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!frame_free(first + i))
            return false;
    return true;
}

/* The first frame of n consecutive free ones, or 0. */
static uint64_t
pick_contiguous(size_t n)
{
    if (n >= PHYSMEM_FRAMES)
        return 0;
    for (int t = 0; t < CONTIG_TRIES; t++) {
        uint64_t first = 1 + sim_rng_below(&pm.rng, PHYSMEM_FRAMES - n);
        if (run_free(first, n))
            return first;
    }
    return 0;
}

static int
map_page(uint64_t page, uint64_t pfn)
{
    if (map_put(&pm.pages, page, pfn) < 0)
        return -ENOMEM;
    if (map_put(&pm.frames, pfn, page) < 0) {
        map_del(&pm.pages, page);
        return -ENOMEM;
    }
    return 0;
}

static void
unmap_pages(uint64_t first_page, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct slot *s = map_find(&pm.pages, first_page + i);
        if (s == NULL)
            continue;
        map_del(&pm.frames, s->val);
        map_del(&pm.pages, first_page + i);
    }
}

static int
map_all(uint64_t first_page, size_t n, bool contiguous)
{
    uint64_t pfn = contiguous ? pick_contiguous(n) : 0;

    if (contiguous && pfn == 0)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++) {
        uint64_t f = contiguous ? pfn + i : pick_scattered(pfn);
        if (map_page(first_page + i, f) < 0) {
            unmap_pages(first_page, i);
            return -ENOMEM;
        }
        pfn = contiguous ? pfn : f;
    }
    return 0;
}

/* ---------- the interface ---------- */

void *
physmem_alloc(size_t size, bool contiguous)
{
    size_t n;
    void *p;

    if (size == 0 || size > PHYSMEM_MAX_ALLOC)
        return NULL;
    seed_once();
    n = (size + PHYSMEM_PAGE_SIZE - 1) >> PHYSMEM_PAGE_SHIFT;
    p = aligned_alloc(PHYSMEM_PAGE_SIZE, n << PHYSMEM_PAGE_SHIFT);
    if (p == NULL)
        return NULL;
    memset(p, 0, n << PHYSMEM_PAGE_SHIFT);
    if (map_all(page_of(p), n, contiguous) < 0 ||
        map_put(&pm.allocs, page_of(p),
                n | (contiguous ? ALLOC_CONTIG_BIT : 0)) < 0) {
        unmap_pages(page_of(p), n);
        free(p);
        return NULL;
    }
    pm.npages += n;
    pm.ncontig += contiguous;
    return p;
}

int
physmem_free(void *p)
{
    struct slot *s;
    size_t n;

    if (p == NULL)
        return 0;
    s = map_find(&pm.allocs, page_of(p));
    if (s == NULL || ((uintptr_t)p & (PHYSMEM_PAGE_SIZE - 1)) != 0)
        return -EINVAL;
    n = (size_t)(s->val & ~ALLOC_CONTIG_BIT);
    pm.ncontig -= (s->val & ALLOC_CONTIG_BIT) != 0;
    pm.npages -= n;
    map_del(&pm.allocs, page_of(p));
    unmap_pages(page_of(p), n);
    free(p);
    return 0;
}

uint64_t
physmem_virt_to_phys(const void *p)
{
    struct slot *s = map_find(&pm.pages, page_of(p));

    if (s == NULL)
        return 0;
    return s->val << PHYSMEM_PAGE_SHIFT |
           ((uintptr_t)p & (PHYSMEM_PAGE_SIZE - 1));
}

void *
physmem_phys_to_virt(uint64_t pa)
{
    struct slot *s = map_find(&pm.frames, pa >> PHYSMEM_PAGE_SHIFT);

    if (s == NULL)
        return NULL;
    return (char *)(uintptr_t)(s->val << PHYSMEM_PAGE_SHIFT) +
           (pa & (PHYSMEM_PAGE_SIZE - 1));
}

size_t
physmem_phys_run(uint64_t pa, size_t len, void **host)
{
    uint64_t pfn = pa >> PHYSMEM_PAGE_SHIFT;
    struct slot *s = map_find(&pm.frames, pfn);
    size_t run;

    *host = NULL;
    if (s == NULL || len == 0)
        return 0;
    *host = (char *)(uintptr_t)(s->val << PHYSMEM_PAGE_SHIFT) +
            (pa & (PHYSMEM_PAGE_SIZE - 1));
    run = PHYSMEM_PAGE_SIZE - (pa & (PHYSMEM_PAGE_SIZE - 1));
    /* Extend while the next frame's page follows in host memory too. */
    for (uint64_t page = s->val; run < len; run += PHYSMEM_PAGE_SIZE) {
        struct slot *next = map_find(&pm.frames, ++pfn);
        if (next == NULL || next->val != ++page)
            break;
    }
    return run < len ? run : len;
}

int
physmem_read(uint64_t pa, void *dst, size_t len)
{
    char *d = dst;

    while (len > 0) {
        void *host;
        size_t n = physmem_phys_run(pa, len, &host);
        if (n == 0)
            return -EFAULT;
        memcpy(d, host, n);
        d += n;
        pa += n;
        len -= n;
    }
    return 0;
}

static bool
phys_range_mapped(uint64_t pa, size_t len)
{
    while (len > 0) {
        void *host;
        size_t n = physmem_phys_run(pa, len, &host);
        if (n == 0)
            return false;
        pa += n;
        len -= n;
    }
    return true;
}

int
physmem_write(uint64_t pa, const void *src, size_t len)
{
    const char *s = src;

    if (!phys_range_mapped(pa, len))
        return -EFAULT;
    while (len > 0) {
        void *host;
        size_t n = physmem_phys_run(pa, len, &host);
        memcpy(host, s, n);
        s += n;
        pa += n;
        len -= n;
    }
    return 0;
}

/* Builds an SG list one page piece at a time. Past max extents it only
 * counts, so the caller learns how many the buffer needs. */
struct sg_builder {
    struct physmem_extent *out;
    size_t max, count;
    uint64_t limit;              /* most bytes per extent */
    uint64_t cur_pa, cur_len;    /* the extent being grown */
};

static void
sg_flush(struct sg_builder *b)
{
    if (b->cur_len == 0)
        return;
    if (b->count < b->max)
        b->out[b->count] = (struct physmem_extent){ b->cur_pa,
                                                    (uint32_t)b->cur_len };
    b->count++;
    b->cur_len = 0;
}

static void
sg_append(struct sg_builder *b, uint64_t pa, uint64_t n)
{
    while (n > 0) {
        uint64_t take;

        if (b->cur_len != 0 && b->cur_pa + b->cur_len == pa &&
            b->cur_len < b->limit) {
            take = n < b->limit - b->cur_len ? n : b->limit - b->cur_len;
            b->cur_len += take;
        } else {
            sg_flush(b);
            take = n < b->limit ? n : b->limit;
            b->cur_pa = pa;
            b->cur_len = take;
        }
        pa += take;
        n -= take;
    }
}

int
physmem_build_sg(const void *p, size_t len, struct physmem_extent *out,
                 size_t max_elems, uint32_t max_len, size_t *count)
{
    struct sg_builder b = { out, max_elems, 0, max_len ? max_len : UINT32_MAX,
                            0, 0 };
    const char *c = p;

    *count = 0;
    while (len > 0) {
        uint64_t pa = physmem_virt_to_phys(c);
        size_t in_page = PHYSMEM_PAGE_SIZE - ((uintptr_t)c & (PHYSMEM_PAGE_SIZE - 1));
        size_t n = len < in_page ? len : in_page;

        if (pa == 0)
            return -EFAULT;
        sg_append(&b, pa, n);
        c += n;
        len -= n;
    }
    sg_flush(&b);
    *count = b.count;
    return b.count > max_elems ? -E2BIG : 0;
}

void
physmem_reset(void)
{
    for (size_t i = 0; i < pm.allocs.cap; i++)
        if (pm.allocs.slots[i].key != 0)
            free((void *)(uintptr_t)(pm.allocs.slots[i].key << PHYSMEM_PAGE_SHIFT));
    map_free(&pm.pages);
    map_free(&pm.frames);
    map_free(&pm.allocs);
    memset(&pm, 0, sizeof pm);
}

void
physmem_get_stats(struct physmem_stats *out)
{
    out->allocations = pm.allocs.len;
    out->pages = pm.npages;
    out->contiguous = pm.ncontig;
}
