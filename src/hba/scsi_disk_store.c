/* scsi_disk_store.c - sparse RAM backing store with an optional volatile write cache. */
/*
 * Interface: scsi_disk_store_read() and scsi_disk_store_write() move whole
 * blocks between the store and a command's segment list (through a
 * struct scsi_disk_cursor); scsi_disk_store_flush() and
 * scsi_disk_store_discard() implement SYNCHRONIZE CACHE and power loss.
 *
 * The disk is cut into 64 KiB chunks. A chunk is allocated only when data
 * is written, so a multi-terabyte disk costs nothing until it is used, and
 * an area never written reads as zeros. Chunks are found through an
 * open-addressing hash table (linear probing, load at most 1/2) keyed by
 * chunk index, with a one-entry cache in front because most I/O is
 * sequential or re-reads the chunk it just touched.
 *
 * With the write cache on, a write lands in the chunk's cache buffer and
 * sets one dirty bit per block; reads take dirty blocks from the cache and
 * the others from the media. A flush copies the dirty blocks to the media;
 * a power loss throws the cache buffers away. A write-through (FUA, or the
 * cache off) writes the media and clears the dirty bits of the blocks it
 * wrote, because the media then holds newer data than the cache.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hba/scsi_disk_int.h"

#define STORE_EMPTY   UINT64_MAX    /* no chunk index reaches this (max is 2^48) */
#define CHUNK_SHIFT   12
#define CHUNK_BYTES   ((size_t)SCSI_DISK_CHUNK_SIZE)
#define INITIAL_SLOTS 64u

struct scsi_disk_chunk {
    uint64_t index;
    uint8_t *media;                 /* NULL: reads as zeros */
    uint8_t *cache;                 /* NULL: no dirty blocks */
    uint64_t dirty[2];              /* one bit per block: 128 blocks of 512 B at most */
    uint32_t ndirty;                /* bits set in dirty[] */
    struct scsi_disk_chunk *next_dirty;
    struct scsi_disk_chunk **pprev_dirty;   /* the pointer that points at us */
};

/* ---- the segment cursor ---- */

void
scsi_disk_cursor_init(struct scsi_disk_cursor *c, const struct scsi_disk_iov *iov,
                      size_t count)
{
    c->iov = iov;
    c->count = iov ? count : 0;
    c->idx = 0;
    c->off = 0;
}

/* Copy n bytes into the segments (zeros when src is NULL); stops at their end. */
size_t
scsi_disk_cursor_put(struct scsi_disk_cursor *c, const void *src, size_t n)
{
    size_t done = 0;

    while (done < n && c->idx < c->count) {
        const struct scsi_disk_iov *v = &c->iov[c->idx];
        size_t k = v->len - c->off;

        if (k > n - done)
            k = n - done;
        if (src)
            memcpy((uint8_t *)v->base + c->off, (const uint8_t *)src + done, k);
        else
            memset((uint8_t *)v->base + c->off, 0, k);
        done += k;
        c->off += k;
        if (c->off == v->len) {
            c->idx++;
            c->off = 0;
        }
    }
    return done;
}

/* Copy n bytes out of the segments; stops at their end. */
size_t
scsi_disk_cursor_get(struct scsi_disk_cursor *c, void *dst, size_t n)
{
    size_t done = 0;

    while (done < n && c->idx < c->count) {
        const struct scsi_disk_iov *v = &c->iov[c->idx];
        size_t k = v->len - c->off;

        if (k > n - done)
            k = n - done;
        memcpy((uint8_t *)dst + done, (const uint8_t *)v->base + c->off, k);
        done += k;
        c->off += k;
        if (c->off == v->len) {
            c->idx++;
            c->off = 0;
        }
    }
    return done;
}

/* ---- the chunk table ---- */

static size_t
slot_of(const struct scsi_disk_store *s, uint64_t index)
{
    /* Fibonacci hashing: neighbouring chunks land far apart. */
    return (size_t)((index * 0x9E3779B97F4A7C15ull) >> s->shift);
}

static int
table_alloc(struct scsi_disk_store *s, size_t cap)
{
    unsigned bits = 0;

    s->keys = malloc(cap * sizeof *s->keys);
    s->vals = malloc(cap * sizeof *s->vals);
    if (!s->keys || !s->vals) {
        free(s->keys);
        free(s->vals);
        return -ENOMEM;
    }
    for (size_t i = 0; i < cap; i++)
        s->keys[i] = STORE_EMPTY;
    while (((size_t)1 << bits) < cap)
        bits++;
    s->cap = cap;
    s->shift = 64 - bits;
    return 0;
}

static void
table_put(struct scsi_disk_store *s, struct scsi_disk_chunk *ch)
{
    size_t mask = s->cap - 1;
    size_t i = slot_of(s, ch->index);

    while (s->keys[i] != STORE_EMPTY)
        i = (i + 1) & mask;
    s->keys[i] = ch->index;
    s->vals[i] = ch;
}

static int
table_grow(struct scsi_disk_store *s)
{
    uint64_t *old_keys = s->keys;
    struct scsi_disk_chunk **old_vals = s->vals;
    size_t old_cap = s->cap;

    if (table_alloc(s, old_cap * 2) < 0) {
        s->keys = old_keys;
        s->vals = old_vals;
        return -ENOMEM;
    }
    for (size_t i = 0; i < old_cap; i++)
        if (old_keys[i] != STORE_EMPTY)
            table_put(s, old_vals[i]);
    free(old_keys);
    free(old_vals);
    return 0;
}

static struct scsi_disk_chunk *
chunk_find(struct scsi_disk_store *s, uint64_t index)
{
    size_t mask = s->cap - 1;

    if (s->last && s->last->index == index)
        return s->last;
    for (size_t i = slot_of(s, index);; i = (i + 1) & mask) {
        if (s->keys[i] == index)
            return s->last = s->vals[i];
        if (s->keys[i] == STORE_EMPTY)
            return NULL;
    }
}

static struct scsi_disk_chunk *
chunk_get(struct scsi_disk_store *s, uint64_t index)
{
    struct scsi_disk_chunk *ch = chunk_find(s, index);

    if (ch)
        return ch;
    if ((s->used + 1) * 2 > s->cap && table_grow(s) < 0)
        return NULL;
    ch = calloc(1, sizeof *ch);
    if (!ch)
        return NULL;
    ch->index = index;
    table_put(s, ch);
    s->used++;
    return s->last = ch;
}

int
scsi_disk_store_init(struct scsi_disk_store *s, uint32_t block_size)
{
    memset(s, 0, sizeof *s);
    s->block_size = block_size;
    s->blocks_per_chunk = (uint32_t)(CHUNK_BYTES / block_size);
    return table_alloc(s, INITIAL_SLOTS);
}

void
scsi_disk_store_free(struct scsi_disk_store *s)
{
    for (size_t i = 0; s->keys && i < s->cap; i++) {
        if (s->keys[i] == STORE_EMPTY)
            continue;
        free(s->vals[i]->media);
        free(s->vals[i]->cache);
        free(s->vals[i]);
    }
    free(s->keys);
    free(s->vals);
    memset(s, 0, sizeof *s);
}

/* ---- dirty-block bookkeeping ---- */

static bool
is_dirty(const struct scsi_disk_chunk *ch, uint32_t b)
{
    return (ch->dirty[b >> 6] >> (b & 63)) & 1;
}

/* Free the cache buffer of a chunk and take it off the dirty list. */
static void
drop_cache(struct scsi_disk_store *s, struct scsi_disk_chunk *ch)
{
    *ch->pprev_dirty = ch->next_dirty;
    if (ch->next_dirty)
        ch->next_dirty->pprev_dirty = ch->pprev_dirty;
    ch->next_dirty = NULL;
    ch->pprev_dirty = NULL;
    free(ch->cache);
    ch->cache = NULL;
    s->dirty_blocks -= ch->ndirty;
    ch->ndirty = 0;
    ch->dirty[0] = ch->dirty[1] = 0;
    s->cache_chunks--;
}

static void
mark_dirty(struct scsi_disk_store *s, struct scsi_disk_chunk *ch, uint32_t b, uint32_t end)
{
    for (; b < end; b++) {
        if (!is_dirty(ch, b)) {
            ch->dirty[b >> 6] |= 1ull << (b & 63);
            ch->ndirty++;
            s->dirty_blocks++;
        }
    }
}

static void
mark_clean(struct scsi_disk_store *s, struct scsi_disk_chunk *ch, uint32_t b, uint32_t end)
{
    for (; b < end; b++) {
        if (is_dirty(ch, b)) {
            ch->dirty[b >> 6] &= ~(1ull << (b & 63));
            ch->ndirty--;
            s->dirty_blocks--;
        }
    }
    if (ch->ndirty == 0)
        drop_cache(s, ch);
}

/* Length of the run of blocks from b that share b's dirty state. */
static uint32_t
run_end(const struct scsi_disk_chunk *ch, uint32_t b, uint32_t end)
{
    bool d = is_dirty(ch, b);
    uint32_t e = b + 1;

    while (e < end && is_dirty(ch, e) == d)
        e++;
    return e;
}

/* ---- reads ---- */

/* Copy bytes [in, in + n) of one chunk (a whole number of blocks) out. */
static void
read_piece(struct scsi_disk_store *s, const struct scsi_disk_chunk *ch, size_t in, size_t n,
           struct scsi_disk_cursor *c)
{
    uint32_t bs = s->block_size;
    uint32_t b = (uint32_t)(in / bs), end = (uint32_t)((in + n) / bs);

    if (!ch || !ch->cache) {
        scsi_disk_cursor_put(c, ch && ch->media ? ch->media + in : NULL, n);
        return;
    }
    while (b < end) {
        uint32_t e = run_end(ch, b, end);
        const uint8_t *src = is_dirty(ch, b) ? ch->cache : ch->media;

        scsi_disk_cursor_put(c, src ? src + (size_t)b * bs : NULL, (size_t)(e - b) * bs);
        b = e;
    }
}

int
scsi_disk_store_read(struct scsi_disk_store *s, uint64_t lba, uint64_t blocks,
                     struct scsi_disk_cursor *c)
{
    uint64_t off = lba * s->block_size;
    uint64_t left = blocks * s->block_size;

    while (left > 0) {
        size_t in = (size_t)(off & (CHUNK_BYTES - 1));
        size_t n = CHUNK_BYTES - in;

        if (n > left)
            n = (size_t)left;
        read_piece(s, chunk_find(s, off >> CHUNK_SHIFT), in, n, c);
        off += n;
        left -= n;
    }
    return 0;
}

/* ---- writes ---- */

static int
write_media(struct scsi_disk_store *s, struct scsi_disk_chunk *ch, size_t in, size_t n,
            struct scsi_disk_cursor *c)
{
    if (!ch->media) {
        /* A write of the whole chunk need not pay for zeroing it first. */
        ch->media = n == CHUNK_BYTES ? malloc(CHUNK_BYTES) : calloc(1, CHUNK_BYTES);
        if (!ch->media)
            return -ENOMEM;
        s->media_chunks++;
    }
    scsi_disk_cursor_get(c, ch->media + in, n);
    if (ch->cache)
        mark_clean(s, ch, (uint32_t)(in / s->block_size),
                   (uint32_t)((in + n) / s->block_size));
    return 0;
}

static int
write_cache(struct scsi_disk_store *s, struct scsi_disk_chunk *ch, size_t in, size_t n,
            struct scsi_disk_cursor *c)
{
    if (!ch->cache) {
        /* Only dirty blocks of the buffer are ever read: no need to zero it. */
        ch->cache = malloc(CHUNK_BYTES);
        if (!ch->cache)
            return -ENOMEM;
        ch->next_dirty = s->dirty;
        if (s->dirty)
            s->dirty->pprev_dirty = &ch->next_dirty;
        ch->pprev_dirty = &s->dirty;
        s->dirty = ch;
        s->cache_chunks++;
    }
    scsi_disk_cursor_get(c, ch->cache + in, n);
    mark_dirty(s, ch, (uint32_t)(in / s->block_size), (uint32_t)((in + n) / s->block_size));
    return 0;
}

int
scsi_disk_store_write(struct scsi_disk_store *s, uint64_t lba, uint64_t blocks,
                      struct scsi_disk_cursor *c, bool cached)
{
    uint64_t off = lba * s->block_size;
    uint64_t left = blocks * s->block_size;

    while (left > 0) {
        size_t in = (size_t)(off & (CHUNK_BYTES - 1));
        size_t n = CHUNK_BYTES - in;
        struct scsi_disk_chunk *ch = chunk_get(s, off >> CHUNK_SHIFT);
        int rc;

        if (!ch)
            return -ENOMEM;
        if (n > left)
            n = (size_t)left;
        rc = cached ? write_cache(s, ch, in, n, c) : write_media(s, ch, in, n, c);
        if (rc < 0)
            return rc;
        off += n;
        left -= n;
    }
    return 0;
}

/* ---- flush and power loss ---- */

int64_t
scsi_disk_store_flush(struct scsi_disk_store *s)
{
    uint32_t bs = s->block_size;
    int64_t bytes = 0;

    while (s->dirty) {
        struct scsi_disk_chunk *ch = s->dirty;

        if (!ch->media) {
            ch->media = calloc(1, CHUNK_BYTES);
            if (!ch->media)
                return -ENOMEM;
            s->media_chunks++;
        }
        for (uint32_t b = 0; b < s->blocks_per_chunk;) {
            uint32_t e = run_end(ch, b, s->blocks_per_chunk);

            if (is_dirty(ch, b))
                memcpy(ch->media + (size_t)b * bs, ch->cache + (size_t)b * bs,
                       (size_t)(e - b) * bs);
            b = e;
        }
        bytes += (int64_t)ch->ndirty * bs;
        drop_cache(s, ch);
    }
    return bytes;
}

uint64_t
scsi_disk_store_discard(struct scsi_disk_store *s)
{
    uint64_t bytes = s->dirty_blocks * s->block_size;

    while (s->dirty)
        drop_cache(s, s->dirty);
    return bytes;
}

/* Verify the invariants listed in scsi_disk_int.h; 0 when they hold. */
int
scsi_disk_store_check(const struct scsi_disk_store *s)
{
    uint64_t media = 0, cached = 0, on_list = 0, dirty = 0;

    for (size_t i = 0; i < s->cap; i++) {
        if (s->keys[i] == STORE_EMPTY)
            continue;
        if (s->vals[i]->index != s->keys[i])
            return -EIO;
        media += s->vals[i]->media != NULL;
        cached += s->vals[i]->cache != NULL;
    }
    for (const struct scsi_disk_chunk *ch = s->dirty; ch; ch = ch->next_dirty) {
        if (!ch->cache || ch->ndirty == 0)
            return -EIO;
        on_list++;
        dirty += ch->ndirty;
    }
    if (media != s->media_chunks || cached != s->cache_chunks || on_list != cached ||
        dirty != s->dirty_blocks)
        return -EIO;
    return 0;
}
