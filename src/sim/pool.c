/* pool.c: simulated kernel pool with Driver Verifier's IRQL and misuse
 * checks and per-tag accounting (see include/storsim/pool.h).
 *
 * Each block carries a header (magic, tag, size, type, list links) in front
 * of the caller's memory, so a free can be checked and the blocks still
 * outstanding at shutdown can be listed by tag.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

#define POOL_MAGIC_LIVE 0x4c4f4f50u   /* "POOL" */
#define POOL_MAGIC_FREE 0x45455246u   /* "FREE" */

struct pool_block {
    uint32_t magic;
    uint32_t tag;
    size_t size;
    enum sim_pool_type type;
    const char *file;
    int line;
    struct pool_block *prev, *next;
    max_align_t payload[];
};

char *
sim_pool_tag_string(uint32_t tag, char *out)
{
    /* Tags are written as multi-character constants ('SimH'), whose first
     * character lands in the highest byte; print them in that order. */
    for (int i = 0; i < 4; i++) {
        unsigned char c = (unsigned char)(tag >> (24 - 8 * i));
        out[i] = (c >= 32 && c < 127) ? (char)c : '.';
    }
    out[4] = '\0';
    return out;
}

static struct pool_tag *
tag_entry(uint32_t tag)
{
    for (int i = 0; i < M->ntags; i++)
        if (M->tags[i].tag == tag)
            return &M->tags[i];
    if (M->ntags == M->tags_cap) {
        int cap = M->tags_cap ? M->tags_cap * 2 : 16;
        struct pool_tag *t = realloc(M->tags, (size_t)cap * sizeof *t);
        if (t == NULL) {
            fprintf(stderr, "storsim: out of memory for pool tags\n");
            abort();
        }
        M->tags = t;
        M->tags_cap = cap;
    }
    M->tags[M->ntags] = (struct pool_tag){ .tag = tag };
    return &M->tags[M->ntags++];
}

void *
sim_pool_alloc(enum sim_pool_type type, size_t size, uint32_t tag,
               const char *file, int line)
{
    sim_irql_t irql = sim_irql();
    sim_irql_t max = type == SIM_PAGED_POOL ? APC_LEVEL : DISPATCH_LEVEL;
    struct pool_block *b;
    struct pool_tag *t;

    if (M->current == NULL)
        irql = PASSIVE_LEVEL;   /* set-up code outside any CPU */
    if (size == 0)
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x00, irql, type, 0,
                     file, line, "a zero-byte pool allocation");
    if (irql > max)
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                     type == SIM_PAGED_POOL ? 0x01 : 0x02, irql, type, size,
                     file, line, "allocating %s pool at %s; it may only be "
                     "allocated at %s or below",
                     type == SIM_PAGED_POOL ? "paged" : "non-paged",
                     sim_irql_name(irql), sim_irql_name(max));
    b = calloc(1, sizeof *b + size);
    if (b == NULL) {
        fprintf(stderr, "storsim: host out of memory for %zu bytes of pool\n",
                size);
        abort();
    }
    b->magic = POOL_MAGIC_LIVE;
    b->tag = tag;
    b->size = size;
    b->type = type;
    b->file = file;
    b->line = line;
    b->next = M->pool_head;
    if (M->pool_head != NULL)
        M->pool_head->prev = b;
    M->pool_head = b;
    t = tag_entry(tag);
    t->bytes += size;
    t->blocks++;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_POOL_ALLOC, .arg = size, .arg2 = tag,
        .file = file, .line = line });
    return b->payload;
}

void
sim_pool_free(void *p, const char *file, int line)
{
    struct pool_block *b;
    sim_irql_t irql = M->current ? sim_irql() : PASSIVE_LEVEL;
    struct pool_tag *t;

    if (p == NULL)
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x10, 0, 0, 0, file,
                     line, "freeing a NULL pool address");
    b = (struct pool_block *)((char *)p - offsetof(struct pool_block, payload));
    if (b->magic == POOL_MAGIC_FREE)
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x13, 0,
                     (uint64_t)(uintptr_t)p, b->tag, file, line,
                     "freeing pool that was already freed");
    if (b->magic != POOL_MAGIC_LIVE)
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x10,
                     (uint64_t)(uintptr_t)p, 0, 0, file, line,
                     "freeing an address the pool never returned");
    if (irql > (b->type == SIM_PAGED_POOL ? APC_LEVEL : DISPATCH_LEVEL))
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                     b->type == SIM_PAGED_POOL ? 0x11 : 0x12, irql, b->type,
                     (uint64_t)(uintptr_t)p, file, line,
                     "freeing %s pool at %s",
                     b->type == SIM_PAGED_POOL ? "paged" : "non-paged",
                     sim_irql_name(irql));
    if (b->prev != NULL)
        b->prev->next = b->next;
    else
        M->pool_head = b->next;
    if (b->next != NULL)
        b->next->prev = b->prev;
    t = tag_entry(b->tag);
    t->bytes -= b->size;
    t->blocks--;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_POOL_FREE, .arg = b->size, .arg2 = b->tag,
        .file = file, .line = line });
    /* Keep the header marked free (and the block quarantined) so a second
     * free is recognised rather than corrupting the heap; released at
     * shutdown. */
    b->magic = POOL_MAGIC_FREE;
    b->prev = NULL;
    b->next = NULL;
    if (M->nfreed == M->freed_cap) {
        size_t cap = M->freed_cap ? M->freed_cap * 2 : 64;
        struct pool_block **q = realloc(M->freed, cap * sizeof *q);
        if (q == NULL) {
            free(b);
            return;
        }
        M->freed = q;
        M->freed_cap = cap;
    }
    M->freed[M->nfreed++] = b;
    if (M->nfreed > 4096) {
        /* Bounded quarantine: forget the oldest half. */
        for (size_t i = 0; i < 2048; i++)
            free(M->freed[i]);
        memmove(M->freed, M->freed + 2048, (M->nfreed - 2048) * sizeof *M->freed);
        M->nfreed -= 2048;
    }
}

size_t
sim_pool_outstanding(uint32_t tag, size_t *blocks)
{
    for (int i = 0; i < M->ntags; i++)
        if (M->tags[i].tag == tag) {
            if (blocks != NULL)
                *blocks = M->tags[i].blocks;
            return M->tags[i].bytes;
        }
    if (blocks != NULL)
        *blocks = 0;
    return 0;
}

void
sim_pool_teardown(void)
{
    for (int i = 0; i < M->ntags; i++)
        if (M->tags[i].bytes > 0)
            sim_trace_emit(&(struct sim_trace_args){
                .kind = SIM_EV_POOL_LEAK, .arg = M->tags[i].bytes,
                .arg2 = M->tags[i].tag, .detail = "pool leaked at shutdown" });
    while (M->pool_head != NULL) {
        struct pool_block *b = M->pool_head;
        M->pool_head = b->next;
        free(b);
    }
    for (size_t i = 0; i < M->nfreed; i++)
        free(M->freed[i]);
    free(M->freed);
}
