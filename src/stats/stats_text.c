/* stats_text.c: a report for people (see stats_print_text() in
 * include/storsim/stats.h).
 *
 * Interface: stats_print_text(); stats_state_key() names SRB states for
 * both printers.
 *
 * One section per subject, in the order a student reads a run: what the
 * workload got, where the CPUs spent their time and at which IRQL, which
 * locks were fought over, interrupts and DPCs, where SRBs waited, and the
 * queue depth with Little's law beside it. Times are scaled (ns, us, ms,
 * s) so columns stay short.
 */
#include <stdio.h>
#include <string.h>

#include "stats/stats_int.h"

const char *
stats_state_key(enum port_srb_state s)
{
    static const char *const keys[PORT_SRB_STATE_COUNT] = {
        [PORT_SRB_QUEUED] = "queued", [PORT_SRB_BUILDIO] = "buildio",
        [PORT_SRB_STARTIO] = "startio", [PORT_SRB_ON_HBA] = "on_hba",
        [PORT_SRB_NOTIFIED] = "notified", [PORT_SRB_DPC] = "dpc",
        [PORT_SRB_COMPLETED] = "completed",
    };
    return (unsigned)s < PORT_SRB_STATE_COUNT ? keys[s] : "?";
}

/* A duration in the largest unit that keeps it >= 1. */
static const char *
fmt_t(double ns, char *buf, size_t len)
{
    if (ns < 1e3)
        snprintf(buf, len, "%.0fns", ns);
    else if (ns < 1e6)
        snprintf(buf, len, "%.1fus", ns / 1e3);
    else if (ns < 1e9)
        snprintf(buf, len, "%.2fms", ns / 1e6);
    else
        snprintf(buf, len, "%.3fs", ns / 1e9);
    return buf;
}

static void
print_latency(FILE *f, const char *label, const struct stats_latency *l)
{
    char a[6][16];

    fprintf(f, "%s mean %s p50 %s p90 %s p99 %s p99.9 %s max %s\n", label,
            fmt_t(l->mean, a[0], 16), fmt_t((double)l->p50, a[1], 16),
            fmt_t((double)l->p90, a[2], 16), fmt_t((double)l->p99, a[3], 16),
            fmt_t((double)l->p999, a[4], 16), fmt_t((double)l->max, a[5], 16));
}

static void
print_workload(const struct stats_report *r, FILE *f)
{
    const struct wl_result *w = &r->workload;
    struct stats_latency l = {
        .count = w->all.requests, .mean = w->all.lat_mean, .min = w->all.lat_min,
        .p50 = w->all.p50, .p90 = w->all.p90, .p99 = w->all.p99,
        .p999 = w->all.p999, .max = w->all.lat_max,
    };

    if (!r->has_workload) {
        fprintf(f, "workload: (not given)\n");
        return;
    }
    fprintf(f, "workload: %llu requests (%llu reads, %llu writes, %llu failed), "
            "%.0f IOPS, %.2f MB/s\n",
            (unsigned long long)(w->all.requests + w->all.failed),
            (unsigned long long)w->read.requests,
            (unsigned long long)w->write.requests,
            (unsigned long long)w->all.failed, w->all.iops, w->all.mbps);
    print_latency(f, "  latency:", &l);
    fprintf(f, "  integrity: %llu lost, %llu duplicated, %llu corrupted, "
            "%llu unfinished -> %s\n", (unsigned long long)w->lost,
            (unsigned long long)w->duplicated, (unsigned long long)w->corrupted,
            (unsigned long long)w->unfinished, w->ok ? "OK" : "FAILED");
}

static void
print_cpus(const struct stats_report *r, FILE *f)
{
    char a[8][16];

    fprintf(f, "cpus:      busy     spin     idle  util  at PASSIVE  DISPATCH"
            "     DIRQL  ints  dpcs\n");
    for (int i = 0; i < r->ncpus; i++) {
        const struct stats_cpu *c = &r->cpu[i];
        sim_time_t lo = c->busy_at[PASSIVE_LEVEL] + c->busy_at[APC_LEVEL];
        sim_time_t hi = c->busy - lo - c->busy_at[DISPATCH_LEVEL];

        fprintf(f, "  cpu%-2d %8s %8s %8s %4.0f%%   %8s  %8s  %8s %5llu %5llu\n",
                c->id, fmt_t((double)c->busy, a[0], 16),
                fmt_t((double)c->spin, a[1], 16), fmt_t((double)c->idle, a[2], 16),
                r->elapsed ? 100.0 * (double)(c->busy + c->spin) /
                                 (double)r->elapsed : 0.0,
                fmt_t((double)lo, a[3], 16),
                fmt_t((double)c->busy_at[DISPATCH_LEVEL], a[4], 16),
                fmt_t((double)hi, a[5], 16), (unsigned long long)c->interrupts,
                (unsigned long long)c->dpcs);
    }
}

static void
print_locks(const struct stats_report *r, FILE *f)
{
    char a[5][16];

    fprintf(f, "locks:                 IRQL            acquired contended"
            "  hold mean    max   spin total    max\n");
    for (int i = 0; i < r->nlocks; i++) {
        const struct stats_lock *l = &r->lock[i];

        fprintf(f, "  %-20s %-15s %9llu %9llu %10s %6s %12s %6s\n", l->name,
                sim_irql_name(l->irql), (unsigned long long)l->acquisitions,
                (unsigned long long)l->contended,
                fmt_t((double)l->hold_total / (double)l->acquisitions, a[0], 16),
                fmt_t((double)l->hold_max, a[1], 16),
                fmt_t((double)l->spin_total, a[2], 16),
                fmt_t((double)l->spin_max, a[3], 16));
    }
}

static void
print_interrupts(const struct stats_report *r, FILE *f)
{
    fprintf(f, "interrupts: %llu ISRs run; DPCs: %llu queued, %llu run\n",
            (unsigned long long)r->interrupts,
            (unsigned long long)r->dpcs_queued, (unsigned long long)r->dpcs_run);
    for (int i = 0; i < r->ninterrupts; i++) {
        const struct stats_interrupt *in = &r->interrupt[i];
        char label[96];

        snprintf(label, sizeof label, "  %s (%s): %llu delivered, %llu "
                 "unclaimed; latency", in->name, sim_irql_name(in->dirql),
                 (unsigned long long)in->delivered,
                 (unsigned long long)in->unclaimed);
        print_latency(f, label, &in->latency);
    }
    for (int i = 0; i < r->nseries; i++) {
        char label[64];

        snprintf(label, sizeof label, "  %s: %llu samples;", r->series[i].name,
                 (unsigned long long)r->series[i].latency.count);
        print_latency(f, label, &r->series[i].latency);
    }
}

static void
print_srbs(const struct stats_report *r, FILE *f)
{
    char a[2][16];

    fprintf(f, "srbs: %llu seen, %llu completed, %llu in flight\n",
            (unsigned long long)r->srbs_seen,
            (unsigned long long)r->srbs_completed,
            (unsigned long long)r->srbs_in_flight);
    print_latency(f, "  in the port:", &r->srb_latency);
    fprintf(f, "  time in state (mean / max):");
    for (int s = 0; s < PORT_SRB_COMPLETED; s++)
        if (r->residency[s].entries > 0)
            fprintf(f, " %s %s/%s", port_srb_state_name((enum port_srb_state)s),
                    fmt_t(r->residency[s].mean, a[0], 16),
                    fmt_t((double)r->residency[s].max, a[1], 16));
    fprintf(f, "\n");
}

/* The series as one line of characters, darker for deeper. */
static void
print_sparkline(const struct stats_queue_depth *q, FILE *f)
{
    static const char shade[] = " .:-=+*#%@";
    enum { WIDTH = 64 };
    int per = (q->npoints + WIDTH - 1) / WIDTH;
    char a[16];

    if (q->npoints == 0 || q->max == 0)
        return;
    per = per < 1 ? 1 : per;
    fprintf(f, "  over time (%s a mark, '@' = %llu): |",
            fmt_t((double)q->interval * per, a, sizeof a),
            (unsigned long long)q->max);
    for (int i = 0; i < q->npoints; i += per) {
        double m = 0;
        int n = 0;

        for (int j = i; j < i + per && j < q->npoints; j++, n++)
            m += q->points[j].mean;
        m /= n;
        fputc(shade[(int)(m / (double)q->max * 9.0 + 0.5)], f);
    }
    fprintf(f, "|\n");
}

static void
print_queue_depth(const struct stats_report *r, FILE *f)
{
    struct stats_little lt;
    char a[16];

    stats_little(r, &lt);
    fprintf(f, "queue depth: mean %.2f, max %llu over %s; Little's law: "
            "%s %.2f (%.2f%% off)\n", r->qd.mean,
            (unsigned long long)r->qd.max, fmt_t((double)r->qd.window, a, 16),
            lt.from_workload ? "IOPS x mean time in port"
                             : "SRBs/s x mean time in port",
            lt.lambda_w, lt.rel_error * 100.0);
    print_sparkline(&r->qd, f);
}

void
stats_print_mouse(const struct stats_mouse *m, FILE *f)
{
    fprintf(f, "mouse: %llu interrupts, latency p50 %.1f us p99 %.1f us "
            "max %.1f us, %llu reports lost\n",
            (unsigned long long)m->interrupts, (double)m->p50 / 1e3,
            (double)m->p99 / 1e3, (double)m->max / 1e3,
            (unsigned long long)m->lost);
}

void
stats_print_ports(const struct stats_ports *p, const char *indent, FILE *f)
{
    if (p->has_serial)
        fprintf(f, "%sserial: %llu bytes offered, %llu received, %llu lost "
                "in %llu overruns (%.1f%% received), ISR latency p99 %.1f "
                "us\n", indent, (unsigned long long)p->serial_offered,
                (unsigned long long)p->serial_received,
                (unsigned long long)p->serial_lost,
                (unsigned long long)p->serial_overruns,
                p->serial_offered ? 100.0 * (double)p->serial_received /
                (double)p->serial_offered : 100.0,
                (double)p->serial_p99 / 1e3);
    if (p->has_parallel)
        fprintf(f, "%sparallel: %llu bytes printed at %.0f KB/s, %.1f%% of "
                "the printer's %.0f KB/s, ISR latency p99 %.1f us\n", indent,
                (unsigned long long)p->parallel_printed,
                p->parallel_rate / 1e3, p->parallel_ideal > 0 ? 100.0 *
                p->parallel_rate / p->parallel_ideal : 0.0,
                p->parallel_ideal / 1e3, (double)p->parallel_p99 / 1e3);
}

void
stats_print_text(const struct stats_report *r, FILE *f)
{
    char a[3][16];

    fprintf(f, "run: %s simulated (%s to %s)\n", fmt_t((double)r->elapsed, a[0], 16),
            fmt_t((double)r->start, a[1], 16), fmt_t((double)r->end, a[2], 16));
    print_workload(r, f);
    if (r->has_verifier)
        fprintf(f, "verifier: %llu findings\n",
                (unsigned long long)r->verifier_findings);
    if (r->has_mouse)
        stats_print_mouse(&r->mouse, f);
    stats_print_ports(&r->ports, "", f);
    fprintf(f, "trace: %llu events, hash %016llx\n",
            (unsigned long long)r->trace_events,
            (unsigned long long)r->trace_hash);
    print_cpus(r, f);
    print_locks(r, f);
    print_interrupts(r, f);
    print_srbs(r, f);
    print_queue_depth(r, f);
}
