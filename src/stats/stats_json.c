/* stats_json.c: a report as JSON (see stats_print_json() and
 * stats_report_write_json() in include/storsim/stats.h).
 *
 * Interface: stats_report_write_json() writes one object into a writer;
 * stats_print_json() wraps it for a whole document.
 *
 * The layout is part of the interface (scripts and the compare table read
 * it), so keys come in a fixed order, every time is an integer number of
 * nanoseconds with an "_ns" suffix, means are numbers with a fraction,
 * and a changed layout bumps STATS_JSON_VERSION.
 */
#include <errno.h>

#include "stats/stats_int.h"

static void
kv_u(struct stats_json *w, const char *k, uint64_t v)
{
    stats_json_key(w, k);
    stats_json_uint(w, v);
}

static void
kv_d(struct stats_json *w, const char *k, double v)
{
    stats_json_key(w, k);
    stats_json_double(w, v);
}

static void
kv_s(struct stats_json *w, const char *k, const char *v)
{
    stats_json_key(w, k);
    stats_json_string(w, v);
}

static void
write_latency(struct stats_json *w, const char *key, const struct stats_latency *l)
{
    stats_json_key(w, key);
    stats_json_object_begin(w);
    kv_u(w, "count", l->count);
    kv_d(w, "mean_ns", l->mean);
    kv_u(w, "min_ns", l->min);
    kv_u(w, "p50_ns", l->p50);
    kv_u(w, "p90_ns", l->p90);
    kv_u(w, "p99_ns", l->p99);
    kv_u(w, "p999_ns", l->p999);
    kv_u(w, "max_ns", l->max);
    stats_json_object_end(w);
}

static void
write_dir(struct stats_json *w, const char *key, const struct wl_dir_result *d)
{
    struct stats_latency l = {
        .count = d->requests + d->failed, .mean = d->lat_mean, .min = d->lat_min,
        .p50 = d->p50, .p90 = d->p90, .p99 = d->p99, .p999 = d->p999,
        .max = d->lat_max,
    };

    stats_json_key(w, key);
    stats_json_object_begin(w);
    kv_u(w, "requests", d->requests);
    kv_u(w, "failed", d->failed);
    kv_u(w, "bytes", d->bytes);
    kv_d(w, "iops", d->iops);
    kv_d(w, "mbps", d->mbps);
    write_latency(w, "latency", &l);
    stats_json_object_end(w);
}

static void
write_workload(struct stats_json *w, const struct stats_report *r)
{
    const struct wl_result *res = &r->workload;

    stats_json_key(w, "workload");
    if (!r->has_workload) {
        stats_json_null(w);
        return;
    }
    stats_json_object_begin(w);
    kv_u(w, "elapsed_ns", res->elapsed);
    kv_u(w, "requests", res->issued);
    kv_u(w, "srbs", res->srbs);
    kv_u(w, "split", res->split);
    kv_d(w, "iops", res->all.iops);
    kv_d(w, "mbps", res->all.mbps);
    write_dir(w, "read", &res->read);
    write_dir(w, "write", &res->write);
    write_dir(w, "all", &res->all);
    stats_json_key(w, "integrity");
    stats_json_object_begin(w);
    kv_u(w, "lost", res->lost);
    kv_u(w, "duplicated", res->duplicated);
    kv_u(w, "corrupted", res->corrupted);
    kv_u(w, "unfinished", res->unfinished);
    kv_u(w, "blocks_verified", res->blocks_verified);
    kv_u(w, "blocks_corrupt", res->blocks_corrupt);
    kv_s(w, "first_problem", res->first_problem);
    stats_json_key(w, "ok");
    stats_json_bool(w, res->ok);
    stats_json_object_end(w);
    stats_json_object_end(w);
}

static void
write_cpu(struct stats_json *w, const struct stats_report *r,
          const struct stats_cpu *c)
{
    stats_json_object_begin(w);
    kv_u(w, "cpu", (uint64_t)c->id);
    kv_u(w, "busy_ns", c->busy);
    kv_u(w, "spin_ns", c->spin);
    kv_u(w, "idle_ns", c->idle);
    kv_d(w, "utilization", r->elapsed ? (double)(c->busy + c->spin) /
                                            (double)r->elapsed : 0.0);
    kv_u(w, "interrupts", c->interrupts);
    kv_u(w, "dpcs", c->dpcs);
    kv_u(w, "threads", c->threads);
    stats_json_key(w, "by_irql");
    stats_json_array_begin(w);
    for (int l = 0; l < SIM_NUM_IRQLS; l++) {
        if (c->busy_at[l] == 0 && c->spin_at[l] == 0)
            continue;
        stats_json_object_begin(w);
        kv_s(w, "irql", sim_irql_name((sim_irql_t)l));
        kv_u(w, "level", (uint64_t)l);
        kv_u(w, "busy_ns", c->busy_at[l]);
        kv_u(w, "spin_ns", c->spin_at[l]);
        stats_json_object_end(w);
    }
    stats_json_array_end(w);
    stats_json_object_end(w);
}

static void
write_lock(struct stats_json *w, const struct stats_lock *l)
{
    stats_json_object_begin(w);
    kv_u(w, "id", (uint64_t)l->id);
    kv_s(w, "name", l->name);
    kv_s(w, "irql", sim_irql_name(l->irql));
    kv_u(w, "acquisitions", l->acquisitions);
    kv_u(w, "contended", l->contended);
    kv_u(w, "hold_ns", l->hold_total);
    kv_d(w, "hold_mean_ns", l->acquisitions ? (double)l->hold_total /
                                                  (double)l->acquisitions : 0.0);
    kv_u(w, "hold_max_ns", l->hold_max);
    kv_u(w, "spin_ns", l->spin_total);
    kv_u(w, "spin_max_ns", l->spin_max);
    stats_json_object_end(w);
}

static void
write_interrupts(struct stats_json *w, const struct stats_report *r)
{
    stats_json_key(w, "interrupts");
    stats_json_object_begin(w);
    kv_u(w, "isrs", r->interrupts);
    kv_u(w, "dpcs_queued", r->dpcs_queued);
    kv_u(w, "dpcs_run", r->dpcs_run);
    stats_json_key(w, "lines");
    stats_json_array_begin(w);
    for (int i = 0; i < r->ninterrupts; i++) {
        const struct stats_interrupt *in = &r->interrupt[i];

        stats_json_object_begin(w);
        kv_s(w, "name", in->name);
        kv_s(w, "dirql", sim_irql_name(in->dirql));
        kv_u(w, "delivered", in->delivered);
        kv_u(w, "unclaimed", in->unclaimed);
        write_latency(w, "latency", &in->latency);
        stats_json_object_end(w);
    }
    stats_json_array_end(w);
    stats_json_object_end(w);
}

static void
write_srbs(struct stats_json *w, const struct stats_report *r)
{
    stats_json_key(w, "srbs");
    stats_json_object_begin(w);
    kv_u(w, "seen", r->srbs_seen);
    kv_u(w, "completed", r->srbs_completed);
    kv_u(w, "in_flight", r->srbs_in_flight);
    write_latency(w, "latency", &r->srb_latency);
    stats_json_key(w, "residency");
    stats_json_object_begin(w);
    for (int s = 0; s < PORT_SRB_COMPLETED; s++) {
        const struct stats_residency *res = &r->residency[s];

        stats_json_key(w, stats_state_key((enum port_srb_state)s));
        stats_json_object_begin(w);
        kv_u(w, "entries", res->entries);
        kv_d(w, "mean_ns", res->mean);
        kv_u(w, "max_ns", res->max);
        kv_u(w, "total_ns", res->total);
        stats_json_object_end(w);
    }
    stats_json_object_end(w);
    stats_json_object_end(w);
}

static void
write_queue_depth(struct stats_json *w, const struct stats_report *r)
{
    struct stats_little lt;

    stats_little(r, &lt);
    stats_json_key(w, "queue_depth");
    stats_json_object_begin(w);
    kv_d(w, "mean", r->qd.mean);
    kv_u(w, "max", r->qd.max);
    kv_u(w, "window_ns", r->qd.window);
    stats_json_key(w, "little");
    stats_json_object_begin(w);
    kv_d(w, "throughput_per_s", lt.lambda);
    kv_d(w, "latency_mean_ns", lt.w * 1e9);
    kv_d(w, "throughput_x_latency", lt.lambda_w);
    kv_d(w, "relative_error", lt.rel_error);
    kv_s(w, "source", lt.from_workload ? "workload" : "port");
    stats_json_object_end(w);
    kv_u(w, "interval_ns", r->qd.interval);
    stats_json_key(w, "series");
    stats_json_array_begin(w);
    for (int i = 0; i < r->qd.npoints; i++) {
        stats_json_array_begin(w);      /* [start_ns, mean, max]: compact */
        stats_json_uint(w, r->qd.points[i].start);
        stats_json_double(w, r->qd.points[i].mean);
        stats_json_uint(w, r->qd.points[i].max);
        stats_json_array_end(w);
    }
    stats_json_array_end(w);
    stats_json_object_end(w);
}

static void
write_series(struct stats_json *w, const struct stats_report *r)
{
    stats_json_key(w, "latency_series");
    stats_json_array_begin(w);
    for (int i = 0; i < r->nseries; i++) {
        stats_json_object_begin(w);
        kv_s(w, "name", r->series[i].name);
        write_latency(w, "latency", &r->series[i].latency);
        stats_json_object_end(w);
    }
    stats_json_array_end(w);
}

void
stats_report_write_json(const struct stats_report *r, struct stats_json *w)
{
    stats_json_object_begin(w);
    kv_u(w, "storsim_stats", STATS_JSON_VERSION);
    kv_u(w, "start_ns", r->start);
    kv_u(w, "end_ns", r->end);
    kv_u(w, "elapsed_ns", r->elapsed);
    {
        char hash[17];

        kv_u(w, "trace_events", r->trace_events);
        snprintf(hash, sizeof hash, "%016llx", (unsigned long long)r->trace_hash);
        kv_s(w, "trace_hash", hash);   /* a string: JSON numbers are doubles */
    }
    write_workload(w, r);
    stats_json_key(w, "verifier_findings");
    if (r->has_verifier)
        stats_json_uint(w, r->verifier_findings);
    else
        stats_json_null(w);
    stats_json_key(w, "mouse");
    if (r->has_mouse) {
        stats_json_object_begin(w);
        kv_u(w, "interrupts", r->mouse.interrupts);
        kv_u(w, "lost", r->mouse.lost);
        kv_u(w, "p50_ns", r->mouse.p50);
        kv_u(w, "p99_ns", r->mouse.p99);
        kv_u(w, "max_ns", r->mouse.max);
        stats_json_object_end(w);
    } else {
        stats_json_null(w);
    }
    stats_json_key(w, "serial");
    if (r->ports.has_serial) {
        stats_json_object_begin(w);
        kv_u(w, "offered", r->ports.serial_offered);
        kv_u(w, "received", r->ports.serial_received);
        kv_u(w, "lost", r->ports.serial_lost);
        kv_u(w, "overruns", r->ports.serial_overruns);
        kv_u(w, "p99_ns", r->ports.serial_p99);
        stats_json_object_end(w);
    } else {
        stats_json_null(w);
    }
    stats_json_key(w, "parallel");
    if (r->ports.has_parallel) {
        stats_json_object_begin(w);
        kv_u(w, "printed", r->ports.parallel_printed);
        kv_u(w, "printing_ns", r->ports.parallel_printing);
        kv_d(w, "bytes_per_s", r->ports.parallel_rate);
        kv_d(w, "printer_bytes_per_s", r->ports.parallel_ideal);
        kv_u(w, "p99_ns", r->ports.parallel_p99);
        stats_json_object_end(w);
    } else {
        stats_json_null(w);
    }
    stats_json_key(w, "cpus");
    stats_json_array_begin(w);
    for (int i = 0; i < r->ncpus; i++)
        write_cpu(w, r, &r->cpu[i]);
    stats_json_array_end(w);
    stats_json_key(w, "locks");
    stats_json_array_begin(w);
    for (int i = 0; i < r->nlocks; i++)
        write_lock(w, &r->lock[i]);
    stats_json_array_end(w);
    write_interrupts(w, r);
    write_srbs(w, r);
    write_queue_depth(w, r);
    write_series(w, r);
    stats_json_object_end(w);
}

int
stats_print_json(const struct stats_report *r, FILE *f)
{
    struct stats_json w;
    int rc;

    stats_json_init(&w, f, 3);
    stats_report_write_json(r, &w);
    rc = stats_json_finish(&w);
    return rc == -EINVAL ? -EIO : rc;
}
