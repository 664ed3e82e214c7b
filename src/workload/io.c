/* io.c: the request path of a workload: the submitting thread picks a
 * range, stamps the data, splits the request into SRBs and submits them;
 * the completion routine verifies, accounts and wakes the thread.
 *
 * Interface: wl_pump() is the passive-level thread routine of a submitting
 * CPU; wl_kick() posts it; workload.c starts and stops them.
 *
 * Why the completion routine does not submit: it runs at DISPATCH_LEVEL in
 * the port's completion DPC. A class driver may call the port from there,
 * but the lessons model requests coming from threads, and a DPC that
 * submits the next request would keep a CPU at DISPATCH_LEVEL for as long
 * as requests keep completing. So it posts the submitting CPU's thread.
 *
 * Why no two requests overlap: a read racing a write of the same blocks
 * may legally return either the old or the new data, so its result could
 * not be checked. Each request reserves its range in wl->busy until it
 * completes; a submitter that finds its range taken draws another (random)
 * or waits for a completion (sequential).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/physmem.h"
#include "workload/wl_int.h"

static void child_done(struct port_request *req, void *ctx);
static void duplicate(struct wl *wl, struct wl_child *c);

bool
wl_may_issue(const struct wl *wl, const struct wl_submitter *s)
{
    const struct wl_spec *sp = &wl->spec;

    return !wl->stopping && s->inflight < sp->qd &&
           (sp->count == 0 || wl->issued < sp->count) &&
           (sp->duration == 0 || sim_now() < wl->deadline);
}

/* Post the submitter's thread, unless it is already posted or running
 * (a running pump looks again after each submit). */
void
wl_kick(struct wl_submitter *s)
{
    if (s->blocked) {
        s->blocked = false;
        s->wl->blocked--;
    }
    if (s->posted || s->running || !wl_may_issue(s->wl, s))
        return;
    s->posted = sim_cpu_post(&s->item, s->cpu, wl_pump, s, "Workload", sim_now()) == 0;
}

static uint64_t
busy_key(const struct wl_lun *l, uint64_t unit)
{
    return (uint64_t)(l->index + 1) << 56 | unit;
}

/* Choose a LUN and a free unit of its region, and reserve it. */
static bool
pick_range(struct wl *wl, struct wl_submitter *s, struct wl_lun **lp,
           uint64_t *unit)
{
    struct wl_lun *l;

    if (wl->spec.pattern == WL_SEQUENTIAL) {
        l = &wl->luns[wl->next_lun % (uint64_t)wl->nluns];
        if (!wl_busy_add(&wl->busy, busy_key(l, l->cursor)))
            return false;
        *unit = l->cursor;
        l->cursor = (l->cursor + 1) % l->units;
        wl->next_lun++;
        *lp = l;
        return true;
    }
    l = &wl->luns[sim_rng_below(&s->rng, (uint64_t)wl->nluns)];
    for (int tries = 0; tries < 8; tries++) {
        *unit = sim_rng_below(&s->rng, l->units);
        if (wl_busy_add(&wl->busy, busy_key(l, *unit))) {
            *lp = l;
            return true;
        }
    }
    return false;
}

/* Fill a write's buffer: one stamp per block. */
static void
stamp_io(struct wl *wl, struct wl_io *io)
{
    uint32_t bsz = io->lun->block_size;

    io->gen = wl_model_next_gen(wl->model);
    for (uint32_t b = 0; b < io->blocks; b++)
        wl_stamp_fill(io->buf + (size_t)b * bsz, bsz, (uint32_t)io->lun->index,
                      io->lba + b, io->gen, io->id);
}

/* Data buffers are reused: a fresh physmem buffer of a large size costs
 * the host a zeroed mapping and its page faults, every time. */
static uint8_t *
buf_get(struct wl *wl)
{
    if (wl->nspare > 0)
        return wl->spare[--wl->nspare];
    return physmem_alloc(wl->spec.bs, false);
}

static void
buf_put(struct wl *wl, uint8_t *buf)
{
    if (buf != NULL && wl->nspare < wl->spare_cap)
        wl->spare[wl->nspare++] = buf;
    else
        physmem_free(buf);
}

static struct wl_io *
io_new(struct wl *wl, struct wl_submitter *s, struct wl_lun *l, uint64_t unit)
{
    struct wl_io *io = calloc(1, sizeof *io);

    if (io == NULL || (io->buf = buf_get(wl)) == NULL) {
        free(io);
        return NULL;
    }
    io->sub = s;
    io->lun = l;
    io->id = ++wl->issued;
    io->busy_key = busy_key(l, unit);
    io->lba = l->first + unit * l->per_unit;
    io->blocks = l->per_unit;
    io->length = wl->spec.bs;
    io->write = sim_rng_below(&s->rng, 100) >= wl->spec.read_pct;
    if (io->write)
        stamp_io(wl, io);
    else
        for (uint32_t b = 0; b < io->blocks; b++)
            wl_stamp_poison(io->buf + (size_t)b * l->block_size, l->block_size);
    return io;
}

/* Bytes the SRB starting @off bytes into the buffer may carry, as ClassPnP
 * works it out without looking at the physical layout: at most
 * MaximumTransferLength, and at most NumberOfPhysicalBreaks + 1 pages
 * counting the partial first page, in whole blocks. */
static uint32_t
child_length(const struct wl *wl, const struct wl_io *io, uint32_t off)
{
    uint32_t left = io->length - off, bsz = io->lun->block_size;
    uint64_t room = left;

    if (wl->max_bytes != 0 && wl->max_bytes < room)
        room = wl->max_bytes;
    if (wl->max_pages != 0) {
        uint64_t pages = (uint64_t)wl->max_pages * PHYSMEM_PAGE_SIZE -
                         off % PHYSMEM_PAGE_SIZE;
        if (pages < room)
            room = pages;
    }
    return (uint32_t)(room - room % bsz);
}

static void
build_child(struct wl *wl, struct wl_io *io, struct wl_child *c)
{
    UCHAR cdb[16];
    struct wl_srb_desc d = {
        .kind = wl->spec.srb, .function = SRB_FUNCTION_EXECUTE_SCSI,
        .lun = &wl->pa->luns[io->lun->index], .cdb = cdb,
        .flags = (io->write ? SRB_FLAGS_DATA_OUT : SRB_FLAGS_DATA_IN) |
                 SRB_FLAGS_ADAPTER_CACHE_ENABLE,
        .data = io->buf + c->offset, .length = c->blocks * io->lun->block_size,
        .timeout = wl->spec.timeout, .sort_key = (ULONG)c->lba,
    };

    d.cdb_length = wl_cdb_rw(cdb, io->write, c->lba, c->blocks);
    wl_srb_fill(c->mem, &d, &c->req);
    c->req.srb = c->mem;
    c->req.data = d.data;
    c->req.length = d.length;
    c->req.complete = child_done;
    c->req.ctx = c;
}

/* Make the children (SRBs) of a request, all before the first is submitted. */
static int
split_io(struct wl *wl, struct wl_io *io)
{
    struct wl_child **tail = &io->children;

    for (uint32_t off = 0, len; off < io->length; off += len) {
        struct wl_child *c = wl_child_get(&wl->pool);

        if (c == NULL)
            return -1;
        len = child_length(wl, io, off);
        c->owner = wl;
        c->io = io;
        c->offset = off;
        c->lba = io->lba + off / io->lun->block_size;
        c->blocks = len / io->lun->block_size;
        build_child(wl, io, c);
        *tail = c;
        tail = &c->sibling;
        io->pending++;
    }
    if (io->pending > 1)
        wl->stats.split++;
    return 0;
}

static void
list_add(struct wl *wl, struct wl_io *io)
{
    io->next = &wl->list;
    io->prev = wl->list.prev;
    wl->list.prev->next = io;
    wl->list.prev = io;
}

void
wl_io_free(struct wl *wl, struct wl_io *io)
{
    while (io->children != NULL) {
        struct wl_child *c = io->children;
        io->children = c->sibling;
        wl_child_free(c);
    }
    buf_put(wl, io->buf);
    free(io);
}

/* The last child is done: account, release the range, wake submitters. */
static void
io_complete(struct wl *wl, struct wl_io *io)
{
    sim_time_t now = sim_now();
    struct wl_submitter *s = io->sub;

    io->prev->next = io->next;
    io->next->prev = io->prev;
    wl_stats_queue(&wl->stats, now, -1);
    if (io->corrupt)
        wl->stats.corrupted++;
    wl_stats_done(&wl->stats, io->write, !io->failed, io->length,
                  now - io->submitted, now);
    wl_busy_del(&wl->busy, io->busy_key);
    s->inflight--;
    wl_io_free(wl, io);
    wl_kick(s);
    for (int i = 0; wl->blocked > 0 && i < wl->nsubs; i++)
        if (wl->subs[i].blocked)
            wl_kick(&wl->subs[i]);
}

static void
unlink_child(struct wl_io *io, struct wl_child *c)
{
    struct wl_child **p = &io->children;

    while (*p != c)
        p = &(*p)->sibling;
    *p = c->sibling;
}

/* A child that will never complete through the port (refused, or never
 * submitted because a sibling was refused). */
static void
child_refused(struct wl *wl, struct wl_io *io, struct wl_child *c)
{
    wl->stats.submit_errors++;
    io->failed = true;
    if (io->write)
        wl_model_store(wl->model, (uint32_t)io->lun->index, c->lba, c->blocks,
                       WL_GEN_UNKNOWN);
    unlink_child(io, c);
    wl_child_retire(&wl->pool, c);
    if (--io->pending == 0)
        io_complete(wl, io);
}

/* Submit every child. Once the last is submitted the request may complete
 * (and be freed) at any yield point, so nothing here touches @io after the
 * last port_submit() returns 0. */
static void
submit_io(struct wl *wl, struct wl_io *io)
{
    struct wl_child *c, *next;

    for (c = io->children; c != NULL; c = next) {
        next = c->sibling;
        c->state = WL_CHILD_INFLIGHT;
        wl->stats.srbs++;
        if (port_submit(wl->pa, &c->req) == 0)
            continue;
        wl->stats.srbs--;
        /* Refused: fail it and the rest, as ClassPnP fails the IRP. */
        if (c->state != WL_CHILD_INFLIGHT)
            duplicate(wl, c);          /* refused, yet completed: a port bug */
        else
            child_refused(wl, io, c);
        for (c = next; c != NULL; c = next) {
            next = c->sibling;
            child_refused(wl, io, c);
        }
        return;
    }
}

/* Start one request: reserve, build, account, then submit. */
static bool
issue_one(struct wl *wl, struct wl_submitter *s)
{
    struct wl_lun *l;
    struct wl_io *io;
    uint64_t unit;

    if (!pick_range(wl, s, &l, &unit)) {
        s->blocked = true;
        wl->blocked++;
        return false;
    }
    io = io_new(wl, s, l, unit);
    if (io == NULL || split_io(wl, io) < 0) {
        wl_stats_problem(&wl->stats, "out of memory: the workload stopped");
        wl->stopping = true;
        wl_busy_del(&wl->busy, busy_key(l, unit));
        if (io != NULL)
            wl_io_free(wl, io);
        return false;
    }
    s->inflight++;
    list_add(wl, io);
    /* The CPU time of building the request; a yield point, but nothing of
     * @io is visible to a completion yet. */
    sim_work(wl->spec.submit_cost, SIM_HERE);
    io->submitted = sim_now();
    wl_stats_queue(&wl->stats, io->submitted, +1);
    submit_io(wl, io);
    return true;
}

void
wl_pump(void *ctx)
{
    struct wl_submitter *s = ctx;
    struct wl *wl = s->wl;

    s->posted = false;
    s->running = true;
    while (wl_may_issue(wl, s) && issue_one(wl, s))
        continue;
    s->running = false;
}

/* ---------- completion, at DISPATCH_LEVEL ---------- */

static void
report_corrupt(struct wl *wl, struct wl_io *io, struct wl_child *c, uint64_t lba,
               enum wl_verdict v, uint32_t expect, uint32_t found)
{
    char what[48];

    if (expect == WL_GEN_NONE)
        snprintf(what, sizeof what, "expected zeros");
    else if (expect == WL_GEN_UNKNOWN)
        snprintf(what, sizeof what, "expected zeros or its own stamp");
    else
        snprintf(what, sizeof what, "expected generation %u, found %u", expect, found);
    wl_stats_problem(&wl->stats, "request %llu (SRB %u) read LUN %d LBA %llu: %s (%s)",
                     (unsigned long long)io->id, c->req.id, io->lun->index,
                     (unsigned long long)lba, wl_verdict_name(v), what);
}

static void
verify_child(struct wl *wl, struct wl_io *io, struct wl_child *c)
{
    uint32_t bsz = io->lun->block_size, lun = (uint32_t)io->lun->index;

    for (uint32_t b = 0; b < c->blocks; b++) {
        uint64_t lba = c->lba + b;
        uint32_t expect = wl_model_expect(wl->model, lun, lba), found;
        enum wl_verdict v = wl_stamp_check(io->buf + c->offset + (size_t)b * bsz,
                                           bsz, lun, lba, expect,
                                           wl->model->fresh, &found);

        wl->stats.blocks[v]++;
        if (v >= WL_V_BAD_SUM) {
            io->corrupt = true;
            report_corrupt(wl, io, c, lba, v, expect, found);
        }
    }
}

static void
duplicate(struct wl *wl, struct wl_child *c)
{
    wl->stats.duplicated++;
    wl_stats_problem(&wl->stats, "SRB %u (LBA %llu) completed twice",
                     c->req.id, (unsigned long long)c->lba);
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_MARK, .srb = c->req.id,
        .detail = "workload: SRB completed twice" });
}

static void
release_unlink(struct wl_release *r)
{
    if (r->prev != NULL)
        r->prev->next = r->next;
    else
        r->wl->releases = r->next;
    if (r->next != NULL)
        r->next->prev = r->prev;
}

static void
release_done(struct port_request *req, void *ctx)
{
    struct wl_release *r = ctx;

    (void)req;
    if (r->wl != NULL)
        release_unlink(r);
    physmem_free(r->mem);
    free(r);
}

/* The port froze the LU's queue after an error (SCSI Port does, unless the
 * SRB said SRB_FLAGS_NO_QUEUE_FREEZE): release it, as ClassPnP does once
 * it has looked at the sense data. Every frozen completion gets its own
 * release: an earlier one still on its way may have been handled before
 * this freeze. */
static void
release_queue(struct wl *wl, struct wl_lun *lun)
{
    struct wl_release *r;
    struct wl_srb_desc d = {
        .kind = wl->spec.srb, .function = SRB_FUNCTION_RELEASE_QUEUE,
        .lun = &wl->pa->luns[lun->index],
        .flags = SRB_FLAGS_BYPASS_FROZEN_QUEUE | SRB_FLAGS_NO_QUEUE_FREEZE,
        .timeout = wl->spec.timeout,
    };

    if ((r = calloc(1, sizeof *r)) == NULL ||
        (r->mem = physmem_alloc(sizeof *r->mem, false)) == NULL) {
        free(r);
        wl_stats_problem(&wl->stats, "out of memory for RELEASE_QUEUE on "
                         "LUN %d", lun->index);
        return;
    }
    wl_srb_fill(r->mem, &d, &r->req);
    r->req.srb = r->mem;
    r->req.id = port_next_id();
    r->req.submitted = sim_now();
    r->req.complete = release_done;
    r->req.ctx = r;
    r->wl = wl;
    r->next = wl->releases;
    if (r->next != NULL)
        r->next->prev = r;
    wl->releases = r;
    if (port_submit(wl->pa, &r->req) != 0) {
        release_unlink(r);
        physmem_free(r->mem);
        free(r);
        wl_stats_problem(&wl->stats, "RELEASE_QUEUE on LUN %d was refused",
                         lun->index);
    }
}

static void
child_done(struct port_request *req, void *ctx)
{
    struct wl_child *c = ctx;
    struct wl *wl = c->owner;
    struct wl_io *io = c->io;
    bool ok, corrupt_before;

    (void)req;
    if (c->state != WL_CHILD_INFLIGHT) {
        duplicate(wl, c);
        return;
    }
    wl->completions++;
    ok = SRB_STATUS(SrbGetSrbStatus(c->mem)) == SRB_STATUS_SUCCESS;
    corrupt_before = io->corrupt;
    if (!ok) {
        io->failed = true;
        wl_stats_srb_failed(&wl->stats, c->mem);
        if (SrbGetSrbStatus(c->mem) & SRB_STATUS_QUEUE_FROZEN)
            release_queue(wl, io->lun);
    }
    if (io->write)
        wl_model_store(wl->model, (uint32_t)io->lun->index, c->lba, c->blocks,
                       ok ? io->gen : WL_GEN_UNKNOWN);
    else if (ok)
        verify_child(wl, io, c);
    unlink_child(io, c);
    wl_child_retire(&wl->pool, c);
    if (!corrupt_before && io->corrupt)
        sim_trace_emit(&(struct sim_trace_args){
            .kind = SIM_EV_MARK, .srb = c->req.id,
            .detail = "workload: data corrupt" });
    /* The trace event above may yield; completions of the other children
     * cannot free @io meanwhile, because this one is still pending. */
    if (--io->pending == 0)
        io_complete(wl, io);
}
