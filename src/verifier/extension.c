/* extension.c: the buildio-shared-write rule: HwStorBuildIo may change the
 * SRB, its extension and the unique parts of the device extension, nothing
 * else of it.
 *
 * The machine runs one CPU at a time between yield points, so a change to
 * the device extension between two moments when the same CPU was the only
 * one running was made by that CPU. The verifier takes a snapshot when a
 * CPU in HwStorBuildIo starts running (its entry, or the machine switching
 * it in) and compares when it stops (its exit, or the machine switching it
 * out); the changed bytes are named by field.
 */
#include <stdlib.h>
#include <string.h>

#include "verifier/vf_int.h"

static struct {
    const uint8_t *ext;
    size_t size;
    const struct verifier_field *fields;
    size_t nfields;
    uint8_t *snap;
    int snap_cpu;        /* whose run the snapshot starts, or -1 */
    const char *since_file; /* the call site when the snapshot was taken */
    int since_line;
    /* The activation each CPU runs HwStorBuildIo in (from its ENTER to its
     * EXIT event), or NULL: an ISR on top of it is not BuildIo. */
    const struct sim_frame *bio_frame[SIM_MAX_CPUS];
} X = { .snap_cpu = -1 };

void
vf_ext_reset(void)
{
    free(X.snap);
    memset(&X, 0, sizeof X);
    X.snap_cpu = -1;
}

void
verifier_watch_extension(const void *ext, size_t size,
                         const struct verifier_field *fields, size_t nfields)
{
    free(X.snap);
    X.ext = ext;
    X.size = size;
    X.fields = fields;
    X.nfields = nfields;
    X.snap = malloc(size);
    X.snap_cpu = -1;
}

static bool
in_buildio(int cpu)
{
    const struct sim_cpu *c = sim_cpu_get(cpu);

    return X.bio_frame[cpu] != NULL && c->nframes > 0 &&
           c->frames[c->nframes - 1] == X.bio_frame[cpu];
}

static void
snapshot(int cpu)
{
    const struct sim_frame *f = sim_cpu_get(cpu)->nframes
        ? sim_cpu_get(cpu)->frames[sim_cpu_get(cpu)->nframes - 1] : NULL;

    memcpy(X.snap, X.ext, X.size);
    X.snap_cpu = cpu;
    X.since_file = f ? f->site_file : NULL;
    X.since_line = f ? f->site_line : 0;
}

static void
compare(int cpu)
{
    if (X.snap_cpu != cpu || memcmp(X.snap, X.ext, X.size) == 0)
        return;
    for (size_t i = 0; i < X.nfields; i++) {
        const struct verifier_field *f = &X.fields[i];
        if (f->unique || memcmp(X.snap + f->offset, X.ext + f->offset,
                                f->size) == 0)
            continue;
        char where[160];
        memcpy(X.snap, X.ext, X.size);   /* report each write once */
        if (X.since_file != NULL)
            snprintf(where, sizeof where, "%s:%d", X.since_file, X.since_line);
        else
            snprintf(where, sizeof where, "the start of HwStorBuildIo");
        verifier_hit("buildio-shared-write", 0, "HwStorBuildIo changed "
                     "DeviceExtension->%s (offset 0x%zx, %zu bytes), shared "
                     "state, while holding no lock -- somewhere between %s "
                     "and the line below (its last port-library call)",
                     f->name, f->offset, f->size, where);
        return;
    }
    memcpy(X.snap, X.ext, X.size);
}

void
vf_ext_event(const struct sim_trace_event *ev)
{
    if (X.ext == NULL || ev->cpu < 0)
        return;
    if (ev->kind == SIM_EV_ENTER && strcmp(ev->routine, "HwStorBuildIo") == 0) {
        const struct sim_cpu *c = sim_cpu_get(ev->cpu);
        X.bio_frame[ev->cpu] = c->frames[c->nframes - 1];
        snapshot(ev->cpu);
    } else if (ev->kind == SIM_EV_EXIT &&
               strcmp(ev->routine, "HwStorBuildIo") == 0) {
        compare(ev->cpu);
        X.snap_cpu = -1;
        X.bio_frame[ev->cpu] = NULL;
    }
}

void
vf_ext_switch(int cpu, bool in, void *ctx)
{
    (void)ctx;
    if (X.ext == NULL || !in_buildio(cpu))
        return;
    if (in)
        snapshot(cpu);
    else {
        compare(cpu);
        X.snap_cpu = -1;
    }
}
