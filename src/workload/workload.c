/* workload.c: a workload's life: checking a definition against the
 * adapter, starting the submitting threads, closing the books (lost and
 * unfinished SRBs) and freeing everything.
 *
 * Interface: wl_create(), wl_use_model(), wl_start(), wl_done(),
 * wl_finish(), wl_get_result(), wl_print_summary(), wl_destroy(), wl_run()
 * (see include/storsim/workload.h). The request path is in io.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/physmem.h"
#include "workload/wl_int.h"

static int fail(char *err, size_t len, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
fail(char *err, size_t len, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
    return rc;
}

/* The adapter's limits as a class driver reads them; SP_UNINITIALIZED_VALUE
 * (or 0) for MaximumTransferLength means no limit. */
static int
check_limits(struct wl *wl, char *err, size_t len)
{
    const struct port_adapter *pa = wl->pa;

    wl->max_bytes = pa->max_transfer == SP_UNINITIALIZED_VALUE ? 0 : pa->max_transfer;
    wl->max_pages = pa->max_breaks == SP_UNINITIALIZED_VALUE ? 0 : pa->max_breaks + 1;
    for (int i = 0; i < wl->nluns; i++) {
        uint32_t bsz = wl->luns[i].block_size;

        if (wl->max_bytes != 0 && wl->max_bytes < bsz)
            return fail(err, len, -EINVAL, "the adapter's MaximumTransferLength "
                        "(%u) is smaller than LUN %d's block size (%u)",
                        wl->max_bytes, wl->luns[i].index, bsz);
        if (wl->max_pages != 0 && (uint64_t)wl->max_pages * PHYSMEM_PAGE_SIZE < bsz)
            return fail(err, len, -EINVAL, "the adapter's NumberOfPhysicalBreaks "
                        "(%u) cannot map one block of LUN %d", pa->max_breaks,
                        wl->luns[i].index);
    }
    return 0;
}

/* One LUN and its region [offset, offset + size). */
static int
add_lun(struct wl *wl, int index, char *err, size_t len)
{
    const struct port_lun *pl = &wl->pa->luns[index];
    const struct wl_spec *sp = &wl->spec;
    struct wl_lun *l = &wl->luns[wl->nluns];
    uint64_t bytes = pl->blocks * pl->block_size, size;

    if (pl->block_size < 64 || pl->block_size % 8 != 0)
        return fail(err, len, -EINVAL, "LUN %d: block size %u is not supported",
                    index, pl->block_size);
    if (sp->bs % pl->block_size != 0)
        return fail(err, len, -EINVAL, "bs: %u is not a multiple of LUN %d's "
                    "block size (%u)", sp->bs, index, pl->block_size);
    if (sp->offset % pl->block_size != 0 || sp->offset >= bytes)
        return fail(err, len, -EINVAL, "offset: %llu is not a block boundary "
                    "inside LUN %d (%llu bytes)", (unsigned long long)sp->offset,
                    index, (unsigned long long)bytes);
    size = sp->size != 0 ? sp->size : bytes - sp->offset;
    if (size > bytes - sp->offset || size < sp->bs)
        return fail(err, len, -EINVAL, "size: %llu bytes from offset %llu do not "
                    "fit LUN %d (%llu bytes) or hold one request of %u bytes",
                    (unsigned long long)size, (unsigned long long)sp->offset,
                    index, (unsigned long long)bytes, sp->bs);
    l->index = index;
    l->block_size = pl->block_size;
    l->per_unit = sp->bs / pl->block_size;
    l->first = sp->offset / pl->block_size;
    l->units = size / sp->bs;
    wl->nluns++;
    return 0;
}

static int
choose_luns(struct wl *wl, char *err, size_t len)
{
    uint64_t mask = wl->spec.luns;
    int rc;

    if (wl->pa->nluns == 0)
        return fail(err, len, -EINVAL, "the adapter found no LUNs");
    if (mask == 0)
        mask = wl->pa->nluns >= 64 ? UINT64_MAX : (1ull << wl->pa->nluns) - 1;
    for (int i = 0; i < 64; i++) {
        if (!(mask >> i & 1))
            continue;
        if (i >= wl->pa->nluns)
            return fail(err, len, -EINVAL, "luns: %d does not exist (the adapter "
                        "has LUNs 0..%d)", i, wl->pa->nluns - 1);
        if ((rc = add_lun(wl, i, err, len)) < 0)
            return rc;
    }
    return 0;
}

/* Each submitter gets its own random stream, so the numbers one CPU draws
 * do not depend on how the others interleave. */
static int
choose_cpus(struct wl *wl, char *err, size_t len)
{
    uint64_t mask = wl->spec.cpus == 0 ? 1 : wl->spec.cpus;
    int n = sim_ncpus();
    char name[48];

    for (int i = 0; i < 64; i++) {
        struct wl_submitter *s = &wl->subs[wl->nsubs];

        if (!(mask >> i & 1) || (i >= n && mask == WL_ALL_CPUS))
            continue;
        if (i >= n)
            return fail(err, len, -EINVAL, "cpus: %d does not exist (the machine "
                        "has CPUs 0..%d)", i, n - 1);
        s->wl = wl;
        s->cpu = i;
        snprintf(name, sizeof name, "workload.cpu%d", i);
        if (wl->spec.seed != 0)
            sim_rng_seed(&s->rng, wl->spec.seed * 0x9E3779B97F4A7C15ull + (uint64_t)i);
        else
            sim_rng_init(&s->rng, name);
        wl->nsubs++;
    }
    return 0;
}

int
wl_create(struct port_adapter *pa, const struct wl_spec *spec, struct wl **out,
          char *err, size_t len)
{
    struct wl *wl;
    int rc;

    if (!sim_exists())
        return fail(err, len, -EINVAL, "no machine: create one first");
    if (pa == NULL || !pa->ready)
        return fail(err, len, -ENODEV, "the adapter is not ready (not scanned)");
    if ((rc = wl_spec_check(spec, err, len)) < 0)
        return rc;
    /* ClassPnP sends STORAGE_REQUEST_BLOCKs only to a port that says its
     * miniport takes them (the adapter descriptor's SrbType). */
    if (spec->srb == WL_SRB_EX && !pa->uses_storage_request_block)
        return fail(err, len, -EINVAL, "srb: ex needs a miniport that takes "
                    "STORAGE_REQUEST_BLOCKs; %s takes SCSI_REQUEST_BLOCKs only",
                    pa->name != NULL ? pa->name : "this adapter");
    wl = calloc(1, sizeof *wl);
    if (wl == NULL)
        return fail(err, len, -ENOMEM, "out of memory");
    wl->pa = pa;
    wl->spec = *spec;
    wl->list.next = wl->list.prev = &wl->list;
    if ((rc = choose_luns(wl, err, len)) < 0 || (rc = choose_cpus(wl, err, len)) < 0 ||
        (rc = check_limits(wl, err, len)) < 0)
        goto out;
    rc = -ENOMEM;
    wl->spare_cap = (uint32_t)wl->nsubs * spec->qd;
    wl->spare = calloc(wl->spare_cap, sizeof *wl->spare);
    if (wl->spare == NULL || wl_busy_init(&wl->busy, (size_t)wl->nsubs * spec->qd) < 0 ||
        wl_model_create(spec->track_bytes, spec->fresh, &wl->model) < 0) {
        fail(err, len, rc, "out of memory");
        goto out;
    }
    wl->own_model = true;
    wl_stats_init(&wl->stats, sim_now());
    *out = wl;
    return 0;
out:
    wl_destroy(wl);
    return rc;
}

int
wl_use_model(struct wl *wl, struct wl_model *model)
{
    if (model->users > 0 || wl->started)
        return -EBUSY;
    if (wl->own_model)
        wl_model_destroy(wl->model);
    wl->model = model;
    wl->own_model = false;
    return 0;
}

int
wl_start(struct wl *wl)
{
    if (wl->started)
        return -EALREADY;
    if (wl->model->users > 0)
        return -EBUSY;
    wl->model->users++;
    wl->started = true;
    wl_stats_init(&wl->stats, sim_now());
    wl->deadline = sim_now() + wl->spec.duration;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_MARK, .routine = "Workload", .detail = "workload: start" });
    for (int i = 0; i < wl->nsubs; i++)
        wl_kick(&wl->subs[i]);
    return 0;
}

bool
wl_done(const struct wl *wl)
{
    const struct wl_spec *sp = &wl->spec;

    if (!wl->started || wl->list.next != &wl->list ||
        wl->releases != NULL)
        return false;
    /* A posted thread item lives in the workload: not done until it ran. */
    for (int i = 0; i < wl->nsubs; i++)
        if (wl->subs[i].posted || wl->subs[i].running)
            return false;
    return wl->stopping || (sp->count != 0 && wl->issued >= sp->count) ||
           (sp->duration != 0 && sim_now() >= wl->deadline);
}

uint64_t
wl_completions(const struct wl *wl)
{
    return wl->completions;
}

sim_time_t
wl_stall_limit(const struct wl_spec *spec)
{
    return SIM_SEC(2 * (uint64_t)spec->timeout + 10);
}

/* Every SRB still in the port's hands is lost (the machine went idle
 * without completing it) or unfinished (the run was stopped early). */
static void
count_outstanding(struct wl *wl, bool idle)
{
    for (struct wl_io *io = wl->list.next; io != &wl->list; io = io->next) {
        for (struct wl_child *c = io->children; c != NULL; c = c->sibling) {
            if (c->state != WL_CHILD_INFLIGHT)
                continue;
            if (!idle) {
                wl->stats.unfinished++;
                continue;
            }
            wl->stats.lost++;
            wl_stats_problem(&wl->stats, "SRB %u (request %llu, LUN %d LBA %llu) "
                             "never completed", c->req.id,
                             (unsigned long long)io->id, io->lun->index,
                             (unsigned long long)c->lba);
            if (sim_exists())
                sim_trace_emit(&(struct sim_trace_args){
                    .kind = SIM_EV_MARK, .routine = "Workload", .srb = c->req.id,
                    .detail = "workload: SRB lost" });
        }
    }
}

void
wl_finish(struct wl *wl, enum sim_stop_reason why)
{
    if (wl->finished)
        return;
    wl->finished = true;
    wl->stopping = true;
    count_outstanding(wl, why == SIM_STOP_IDLE);
    if (wl->started)
        wl->model->users--;
    if (sim_exists())
        sim_trace_emit(&(struct sim_trace_args){
            .kind = SIM_EV_MARK, .routine = "Workload", .detail = "workload: finish" });
}

void
wl_get_result(const struct wl *wl, struct wl_result *out)
{
    wl_stats_result(&wl->stats, wl->model, out);
    out->issued = wl->issued;
}

void
wl_print_summary(const struct wl *wl, FILE *f)
{
    struct wl_result *r = malloc(sizeof *r);

    if (r == NULL)
        return;
    wl_get_result(wl, r);
    wl_print_result(r, &wl->spec, f);
    free(r);
}

void
wl_destroy(struct wl *wl)
{
    if (wl == NULL)
        return;
    if (wl->started && !wl->finished)
        wl->model->users--;
    for (struct wl_release *r = wl->releases; r != NULL; r = r->next)
        r->wl = NULL;                 /* it frees itself when it completes */
    while (wl->list.next != NULL && wl->list.next != &wl->list) {
        struct wl_io *io = wl->list.next;
        wl->list.next = io->next;
        wl_io_free(wl, io);
    }
    while (wl->nspare > 0)
        physmem_free(wl->spare[--wl->nspare]);
    free(wl->spare);
    wl_pool_drain(&wl->pool);
    wl_busy_free(&wl->busy);
    if (wl->own_model)
        wl_model_destroy(wl->model);
    free(wl);
}

/* Run until the workload is done, in slices, and until the machine goes
 * idle when it can. It never stops on a trace event: that would leave an
 * activation paused in the middle of its routine for whoever destroys the
 * machine next. A port that keeps the machine busy (a periodic timer) but
 * completes nothing for twice the SRB timeout plus a second has lost what
 * it holds: it should have timed the requests out by then. */
static enum sim_stop_reason
run_until_done(struct wl *wl)
{
    sim_time_t stall = wl_stall_limit(&wl->spec);
    /* Slices are counted from their own end: a stop for time does not
     * move the clock to the limit, only to the last event it ran. */
    sim_time_t until = sim_now(), progress_at = until;
    uint64_t seen = wl->completions;
    enum sim_stop_reason why;

    for (;;) {
        struct sim_run_limits lim = { .until = until + SIM_MS(10) };

        until = lim.until;
        if ((why = sim_run(&lim)) != SIM_STOP_TIME)
            return why;
        if (wl_done(wl)) {
            /* let what is in progress (the port's DPC) finish */
            lim.until = until + SIM_MS(1);
            why = sim_run(&lim);
            return why == SIM_STOP_TIME ? SIM_STOP_IDLE : why;
        }
        if (wl->completions != seen) {
            seen = wl->completions;
            progress_at = until;
        } else if (until - progress_at >= stall) {
            return SIM_STOP_IDLE;
        }
    }
}

int
wl_run(struct port_adapter *pa, const struct wl_spec *spec,
       struct wl_result *res, char *err, size_t len)
{
    struct wl *wl = NULL;
    enum sim_stop_reason why;
    int rc = wl_create(pa, spec, &wl, err, len);

    if (rc < 0)
        return rc;
    if ((rc = wl_start(wl)) < 0) {
        wl_destroy(wl);
        return fail(err, len, rc, "the workload could not start");
    }
    why = run_until_done(wl);
    wl_finish(wl, why);
    wl_get_result(wl, res);
    wl_destroy(wl);
    if (why == SIM_STOP_BUGCHECK)
        return fail(err, len, -EFAULT, "the machine bug-checked");
    return 0;
}
