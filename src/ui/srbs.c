/* srbs.c: the SRB table of the console's model: where each SRB is, from
 * the SIM_EV_SRB events, and what it is, from a filter on the port
 * driver's submit.
 *
 * Interface: ui_model_srb(), ui_model_srb_list(), ui_model_current_srb(),
 * ui_srb_read(), ui_srb_field(), ui_srb_what()
 * (include/storsim/ui_model.h); ui_srbs_* for model.c (ui_int.h).
 *
 * The trace says only an SRB's id and state. What the request is (its
 * function, CDB, LUN, LBA and length) the console learns the way a filter
 * driver would: it sits in front of the adapter's port_ops::submit, reads
 * the SRB through the WDK accessors, and passes the request on untouched.
 * It emits nothing and takes no simulated time, so the trace is the same
 * with or without it. Requests the port driver makes itself (the bus
 * scan) do not pass the filter; for those, and for SRBs that ran before
 * the console attached, the SRB events' own description (function, LUN
 * and opcode: PORT_SRB_DESC_*) names them, and LBA and length show "?".
 *
 * The SRBs in flight are in an open-addressing table keyed by id, which
 * grows with the most SRBs in flight at once, never with the run; the
 * newest completed ones are kept in a small ring.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "storport.h"
#include "storsim/scsi_disk.h"
#include "ui/ui_int.h"

/* No state yet: seen by the filter, not yet by the trace. */
#define NO_STATE 0xFF

/* The model whose filter is in place (one machine at a time). */
static struct ui_model *filter_model;

int
ui_srbs_init(struct ui_model *m)
{
    m->srbs = calloc(64, sizeof *m->srbs);
    if (m->srbs == NULL)
        return -ENOMEM;
    m->srb_mask = 63;
    m->srb_used = 0;
    return 0;
}

void
ui_srbs_free(struct ui_model *m)
{
    free(m->srbs);
    m->srbs = NULL;
    m->srb_mask = 0;
    m->srb_used = 0;
}

static uint32_t
slot_of(const struct ui_model *m, uint32_t id)
{
    return (id * 2654435761u) & m->srb_mask;
}

static struct ui_srb *
lookup(const struct ui_model *m, uint32_t id)
{
    if (m->srbs == NULL || id == 0)
        return NULL;
    for (uint32_t i = slot_of(m, id);; i = (i + 1) & m->srb_mask) {
        if (m->srbs[i].id == id)
            return &m->srbs[i];
        if (m->srbs[i].id == 0)
            return NULL;
    }
}

static int
grow(struct ui_model *m)
{
    struct ui_srb *old = m->srbs;
    uint32_t n = m->srb_mask + 1;
    struct ui_srb *fresh = calloc((size_t)n * 2, sizeof *fresh);

    if (fresh == NULL)
        return -ENOMEM;
    m->srbs = fresh;
    m->srb_mask = n * 2 - 1;
    for (uint32_t i = 0; i < n; i++)
        if (old[i].id != 0) {
            uint32_t j = slot_of(m, old[i].id);
            while (m->srbs[j].id != 0)
                j = (j + 1) & m->srb_mask;
            m->srbs[j] = old[i];
        }
    free(old);
    return 0;
}

static struct ui_srb *
insert(struct ui_model *m, uint32_t id)
{
    uint32_t i;

    if (m->srbs == NULL || ((m->srb_used + 1) * 2 > m->srb_mask + 1 &&
                            grow(m) < 0))
        return NULL;
    for (i = slot_of(m, id); m->srbs[i].id != 0; i = (i + 1) & m->srb_mask)
        ;
    memset(&m->srbs[i], 0, sizeof m->srbs[i]);
    m->srbs[i].id = id;
    m->srbs[i].state = NO_STATE;
    m->srbs[i].cpu = -1;
    m->srbs[i].first = m->srbs[i].since = sim_now();
    m->srb_used++;
    m->nseen++;
    return &m->srbs[i];
}

/* Remove by shifting the rest of the probe run back (no tombstones). */
static void
remove_entry(struct ui_model *m, struct ui_srb *e)
{
    uint32_t i = (uint32_t)(e - m->srbs), j = i;

    m->srbs[i].id = 0;
    m->srb_used--;
    for (;;) {
        uint32_t home;
        j = (j + 1) & m->srb_mask;
        if (m->srbs[j].id == 0)
            return;
        home = slot_of(m, m->srbs[j].id);
        /* Move j into the hole at i if its home is not in (i, j]. */
        if ((j > i && (home <= i || home > j)) ||
            (j < i && (home <= i && home > j))) {
            m->srbs[i] = m->srbs[j];
            m->srbs[j].id = 0;
            i = j;
        }
    }
}

static void
completed(struct ui_model *m, struct ui_srb *e)
{
    sim_time_t lat = e->since - e->first;

    m->lat_total += lat;
    if (lat > m->lat_max)
        m->lat_max = lat;
    e->srb = NULL;       /* the class layer may reuse the memory now */
    m->done[m->ndone % UI_SRB_DONE_KEEP] = *e;
    m->ndone++;
    remove_entry(m, e);
}

void
ui_srbs_note(struct ui_model *m, const struct sim_trace_event *ev)
{
    struct ui_srb *e;

    if (ev->srb == 0 || ev->arg >= PORT_SRB_STATE_COUNT)
        return;
    e = lookup(m, ev->srb);
    if (e == NULL) {
        if ((e = insert(m, ev->srb)) == NULL)
            return;
        e->first = e->since = ev->time;  /* may be history (ui_model_sync) */
    }
    if (e->state != NO_STATE) {
        m->residency[e->state] += ev->time - e->since;
        m->res_count[e->state]++;
    }
    if (!e->named) {
        e->function = PORT_SRB_DESC_FUNCTION(ev->arg2);
        e->lun = PORT_SRB_DESC_LUN(ev->arg2);
        e->opcode = PORT_SRB_DESC_OPCODE(ev->arg2);
        e->named = true;
    }
    e->state = (uint8_t)ev->arg;
    e->since = ev->time;
    e->cpu = ev->cpu;
    e->changed_seq = ev->seq;
    if (e->state == PORT_SRB_COMPLETED)
        completed(m, e);
}

/* ---------- the filter in front of the port driver ---------- */

static int
filter_submit(struct port_adapter *pa, struct port_request *req)
{
    struct ui_model *m = filter_model;
    struct ui_srb *e;

    if (req->srb != NULL && req->id != 0 &&
        ((e = lookup(m, req->id)) != NULL ||
         (e = insert(m, req->id)) != NULL)) {
        ui_srb_read(req->srb, e);
        e->srb = req->srb;
    }
    return m->pa_ops->submit(pa, req);
}

void
ui_srbs_filter_install(struct ui_model *m)
{
    struct port_adapter *pa = m->st != NULL ? m->st->pa : NULL;

    if (pa == NULL || pa->ops == NULL || pa->ops->submit == NULL ||
        filter_model != NULL)
        return;
    m->pa = pa;
    m->pa_ops = pa->ops;
    m->filter_ops = *pa->ops;
    m->filter_ops.submit = filter_submit;
    pa->ops = &m->filter_ops;
    filter_model = m;
}

void
ui_srbs_filter_remove(struct ui_model *m, bool live)
{
    if (filter_model == m) {
        if (live && m->pa != NULL && m->pa->ops == &m->filter_ops)
            m->pa->ops = m->pa_ops;
        filter_model = NULL;
    }
    m->pa = NULL;
}

/* ---------- reading SRBs ---------- */

void
ui_srb_read(const void *srb, struct ui_srb *e)
{
    PVOID s = (PVOID)srb;
    const UCHAR *cdb;

    e->known = true;
    e->named = true;
    e->function = (uint8_t)SrbGetSrbFunction(s);
    SrbGetPathTargetLun(s, NULL, &e->target, &e->lun);
    e->length = SrbGetDataTransferLength(s);
    e->opcode = 0;
    e->lba = 0;
    cdb = (const UCHAR *)SrbGetCdb(s);
    if (e->function != SRB_FUNCTION_EXECUTE_SCSI || cdb == NULL)
        return;
    e->opcode = cdb[0];
    scsi_cdb_lba(cdb, &e->lba);
}

int
ui_srb_field(const struct ui_srb *e, const char *field, uint64_t *value)
{
    PVOID s = (PVOID)e->srb;

    if (strcmp(field, "status") && strcmp(field, "scsi-status") &&
        strcmp(field, "length"))
        return -ENOENT;
    if (s == NULL)
        return -ESRCH;
    if (!strcmp(field, "status"))
        *value = SrbGetSrbStatus(s);
    else if (!strcmp(field, "scsi-status"))
        *value = SrbGetScsiStatus(s);
    else
        *value = SrbGetDataTransferLength(s);
    return 0;
}

const char *
ui_srb_what(const struct ui_srb *e)
{
    static const struct { uint8_t fn; const char *name; } fns[] = {
        { SRB_FUNCTION_FLUSH, "FLUSH" }, { SRB_FUNCTION_SHUTDOWN, "SHUTDOWN" },
        { SRB_FUNCTION_RESET_BUS, "RESET_BUS" },
        { SRB_FUNCTION_RESET_DEVICE, "RESET_DEVICE" },
        { SRB_FUNCTION_RESET_LOGICAL_UNIT, "RESET_LU" },
        { SRB_FUNCTION_ABORT_COMMAND, "ABORT" },
        { SRB_FUNCTION_IO_CONTROL, "IO_CONTROL" },
        { SRB_FUNCTION_RELEASE_QUEUE, "RELEASE_QUEUE" },
        { SRB_FUNCTION_FLUSH_QUEUE, "FLUSH_QUEUE" },
    };

    /* The SRB table's column holds 9: the long names, shortened (TUR as
     * the SCSI texts write it, RDCAP for READ CAPACITY ...). */
    static const struct { uint8_t op; const char *name; } shorter[] = {
        { 0x00, "TUR" }, { 0x03, "REQ SENSE" }, { 0x1A, "MSENSE(6)" },
        { 0x1B, "STARTSTOP" }, { 0x25, "RDCAP(10)" }, { 0x35, "SYNC(10)" },
        { 0x5A, "MSNS(10)" }, { 0x91, "SYNC(16)" },
        { 0x9E, "RDCAP(16)" },      /* the one SERVICE ACTION IN served */
        { 0xA0, "RPT LUNS" },
    };

    if (!e->named)
        return "?";
    if (e->function == SRB_FUNCTION_EXECUTE_SCSI) {
        for (size_t i = 0; i < sizeof shorter / sizeof shorter[0]; i++)
            if (shorter[i].op == e->opcode)
                return shorter[i].name;
        return scsi_disk_opcode_name(e->opcode);
    }
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (fns[i].fn == e->function)
            return fns[i].name;
    return "FUNCTION?";
}

/* ---------- queries ---------- */

const struct ui_srb *
ui_model_srb(const struct ui_model *m, uint32_t id)
{
    const struct ui_srb *e = lookup(m, id);
    uint64_t n = m->ndone < UI_SRB_DONE_KEEP ? m->ndone : UI_SRB_DONE_KEEP;

    if (e != NULL || id == 0)
        return e;
    for (uint64_t i = 0; i < n; i++)
        if (m->done[(m->ndone - 1 - i) % UI_SRB_DONE_KEEP].id == id)
            return &m->done[(m->ndone - 1 - i) % UI_SRB_DONE_KEEP];
    return NULL;
}

static int
by_id(const void *a, const void *b)
{
    uint32_t x = (*(const struct ui_srb *const *)a)->id;
    uint32_t y = (*(const struct ui_srb *const *)b)->id;

    return x < y ? -1 : x > y;
}

int
ui_model_srb_list(const struct ui_model *m, const struct ui_srb **out,
                  int max, int *ninflight)
{
    const struct ui_srb **all = malloc((m->srb_used + 1) * sizeof *all);
    uint64_t ndone = m->ndone < UI_SRB_DONE_KEEP ? m->ndone : UI_SRB_DONE_KEEP;
    int n = 0, k = 0;

    if (ninflight != NULL)
        *ninflight = (int)m->srb_used;
    if (all == NULL)
        return 0;
    /* Sort them all, so that the lowest ids are shown whatever the hash
     * order; a few hundred at most, and only when drawing. */
    for (uint32_t i = 0; m->srbs != NULL && i <= m->srb_mask; i++)
        if (m->srbs[i].id != 0)
            all[k++] = &m->srbs[i];
    qsort(all, (size_t)k, sizeof *all, by_id);
    for (; n < k && n < max; n++)
        out[n] = all[n];
    free(all);
    for (uint64_t i = 0; i < ndone && n < max; i++)
        out[n++] = &m->done[(m->ndone - 1 - i) % UI_SRB_DONE_KEEP];
    return n;
}

uint32_t
ui_model_current_srb(const struct ui_model *m)
{
    const struct ui_srb *oldest = NULL;
    int cpu = ui_model_cpu(m);
    const struct sim_cpu *c;

    if (!ui_model_attached(m))
        return 0;
    if (m->sel_srb != 0 && lookup(m, m->sel_srb) != NULL)
        return m->sel_srb;
    c = sim_cpu_get(cpu);
    for (int i = c != NULL ? c->nframes : 0; i-- > 0;)
        if (c->frames[i]->srb != 0 && lookup(m, c->frames[i]->srb) != NULL)
            return c->frames[i]->srb;
    for (uint32_t i = 0; m->srbs != NULL && i <= m->srb_mask; i++)
        if (m->srbs[i].id != 0 && m->srbs[i].state != NO_STATE &&
            (oldest == NULL || m->srbs[i].id < oldest->id))
            oldest = &m->srbs[i];
    return oldest != NULL ? oldest->id : 0;
}
