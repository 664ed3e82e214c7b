/* test_stats.c: the statistics collector on real runs of the whole stack
 * (machine, SIMHBA, Storport, the miniport, the workload), and its pieces
 * on their own: Little's law, CPU time that adds up, lock figures against
 * the machine's registry, interrupts and DPCs, SRB state residency, the
 * queue-depth series, probes, and the text and JSON reports.
 *
 * The runs are the default scenario of src/main.c (4 CPUs, Storport full
 * duplex, random 4 KiB, queue depth 8 per CPU, 70% reads) made shorter.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/physmem.h"
#include "storsim/stack.h"
#include "storsim/stats.h"
#include "storsim/workload.h"
#include "stats/stats_int.h"

int json_check(const char *text, size_t len, char *err, size_t errlen);

static struct stack *st;
static struct stats *sc;
static struct stats_report *rep;
static struct wl_result res;

static void
start_stack(uint64_t seed)
{
    struct stack_config cfg;
    char err[256];

    stack_config_default(&cfg);
    cfg.machine.seed = seed;
    ck_assert_msg(stack_create(&cfg, &st, err, sizeof err) == 0, "%s", err);
}

static void
run_workload_on(uint64_t count, bool fresh)
{
    struct wl_spec spec;
    char err[256];

    wl_spec_default(&spec);
    ck_assert_int_eq(wl_spec_parse(&spec, "pattern=random bs=4k qd=8 read=70 "
                                   "cpus=0-3 size=64M", err, sizeof err), 0);
    spec.count = count;
    spec.fresh = fresh;
    ck_assert_msg(wl_run(st->pa, &spec, &res, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(res.ok, "integrity: %s", res.first_problem);
}

static void
run_workload(uint64_t count)
{
    run_workload_on(count, true);
}

/* The default scenario, measured from after the boot. */
static void
default_run(uint64_t count, bool attach_before_boot)
{
    start_stack(1);
    ck_assert_int_eq(stats_create(&sc), 0);
    if (attach_before_boot)
        ck_assert_int_eq(stats_attach(sc), 0);
    ck_assert_int_eq(stack_boot(st), 0);
    if (!attach_before_boot)
        ck_assert_int_eq(stats_attach(sc), 0);
    run_workload(count);
    rep = calloc(1, sizeof *rep);
    ck_assert_ptr_nonnull(rep);
    ck_assert_int_eq(stats_collect(sc, rep), 0);
    stats_report_set_workload(rep, &res);
}

static void
teardown(void)
{
    stats_destroy(sc);
    sc = NULL;
    if (st != NULL)
        stack_destroy(st);
    st = NULL;
    free(rep);
    rep = NULL;
}

static const struct stats_lock *
lock_named(const struct stats_report *r, const char *name)
{
    for (int i = 0; i < r->nlocks; i++)
        if (strcmp(r->lock[i].name, name) == 0)
            return &r->lock[i];
    return NULL;
}

/* ---------- Little's law ---------- */

/* L = lambda * W at the port boundary: L is the collector's time-weighted
 * count of SRBs in the port, lambda the workload's IOPS (its own count of
 * completions over its own window), W the collector's mean time in the
 * port. Independent counters, so they agree only within a tolerance: 1%
 * (the windows differ by the class layer's time before the first SRB and
 * after the last; here they differ by about 0.02%). */
START_TEST(littles_law_holds_on_a_real_run)
{
    struct stats_little lt;
    double wl_lw;

    default_run(8000, false);
    stats_little(rep, &lt);
    ck_assert(lt.from_workload);
    ck_assert_double_gt(lt.l, 4.0);         /* the queue really was deep */
    ck_assert_double_eq_tol(lt.lambda, res.all.iops, res.all.iops * 1e-9);
    ck_assert_msg(lt.rel_error < 0.01, "L %.4f, IOPS x W %.4f (%.2f%%)",
                  lt.l, lt.lambda_w, lt.rel_error * 100);
    /* At the wider boundary of the workload (submit to completion
     * routine) the law holds with the workload's own figures, and L is
     * larger there by the class layer's share of the latency. */
    wl_lw = res.all.iops * res.all.lat_mean / 1e9;
    ck_assert_msg(fabs(res.qd_mean - wl_lw) / wl_lw < 0.01,
                  "workload: L %.4f, IOPS x latency %.4f", res.qd_mean, wl_lw);
    ck_assert_double_gt(res.qd_mean, lt.l);
}
END_TEST

/* Measured entirely at the port, the law is an identity: the area under
 * the outstanding curve is the sum of the SRBs' times in the port. */
START_TEST(littles_law_is_exact_at_the_port)
{
    struct stats_little lt;
    double sum_lat;

    default_run(3000, false);
    rep->has_workload = false;
    stats_little(rep, &lt);
    ck_assert(!lt.from_workload);
    ck_assert_msg(lt.rel_error < 1e-9, "L %.9f vs %.9f", lt.l, lt.lambda_w);
    sum_lat = rep->srb_latency.mean * (double)rep->srb_latency.count;
    ck_assert_double_eq_tol(rep->qd.mean * (double)rep->qd.window, sum_lat,
                            sum_lat * 1e-9);
}
END_TEST

/* ---------- CPUs ---------- */

START_TEST(cpu_time_adds_up_to_the_run)
{
    sim_time_t dirql = 0;

    default_run(3000, false);
    ck_assert_int_eq(rep->ncpus, 4);
    ck_assert_uint_gt(rep->elapsed, 0);
    for (int i = 0; i < rep->ncpus; i++) {
        const struct stats_cpu *c = &rep->cpu[i];
        sim_time_t busy = 0, spin = 0;

        for (int l = 0; l < SIM_NUM_IRQLS; l++) {
            busy += c->busy_at[l];
            spin += c->spin_at[l];
        }
        ck_assert_uint_eq(busy, c->busy);
        ck_assert_uint_eq(spin, c->spin);
        ck_assert_uint_eq(c->busy + c->spin + c->idle, rep->elapsed);
        ck_assert_uint_gt(c->busy_at[PASSIVE_LEVEL], 0);   /* submitting */
        ck_assert_uint_gt(c->busy_at[DISPATCH_LEVEL], 0);  /* BuildIo, DPCs */
        for (int l = SIM_DIRQL_MIN; l <= SIM_DIRQL_MAX; l++)
            dirql += c->busy_at[l];
    }
    ck_assert_uint_gt(dirql, 0);                           /* the ISR */
}
END_TEST

START_TEST(totals_sum_the_cpus_and_locks)
{
    struct stats_totals t;
    sim_time_t busy = 0;
    uint64_t contended = 0;

    default_run(3000, false);
    stats_totals(rep, &t);
    for (int i = 0; i < rep->ncpus; i++)
        busy += rep->cpu[i].busy;
    for (int i = 0; i < rep->nlocks; i++)
        contended += rep->lock[i].contended;
    ck_assert_uint_eq(t.busy, busy);
    ck_assert_uint_eq(t.at_passive + t.at_dispatch + t.at_dirql, t.busy);
    ck_assert_uint_eq(t.lock_contended, contended);
    ck_assert_double_gt(t.utilization, 0.0);
    ck_assert_double_le(t.utilization, 1.0);
}
END_TEST

/* ---------- locks ---------- */

/* Attached before the boot, the run's longest hold and spin (from trace
 * events) must equal the registry's lifetime maxima: two independent
 * sources agreeing. */
START_TEST(lock_figures_agree_with_the_registry)
{
    const struct stats_lock *sio;
    int checked = 0;

    default_run(3000, true);
    sio = lock_named(rep, "StartIoLock");
    ck_assert_ptr_nonnull(sio);
    ck_assert_uint_ge(sio->acquisitions, 3000);
    ck_assert_ptr_nonnull(lock_named(rep, "InterruptLock"));
    for (int i = 0; i < rep->nlocks; i++) {
        const struct stats_lock *l = &rep->lock[i];
        const struct sim_spinlock *reg = sim_lock_by_id(l->id);

        ck_assert_ptr_nonnull(reg);
        ck_assert_uint_eq(l->acquisitions, reg->acquisitions);
        ck_assert_uint_eq(l->hold_total, reg->hold_total);
        ck_assert_uint_eq(l->hold_max, reg->hold_max);
        ck_assert_uint_eq(l->spin_max, reg->spin_max);
        ck_assert_uint_le(l->contended, l->acquisitions);
        ck_assert_uint_le(l->hold_max, l->hold_total);
        checked++;
    }
    ck_assert_int_ge(checked, 3);
}
END_TEST

/* ---------- interrupts and DPCs ---------- */

START_TEST(interrupts_and_dpcs_are_counted)
{
    const struct stats_interrupt *in, *mouse;
    uint64_t dpcs = 0, delivered = 0;

    default_run(3000, false);
    in = stats_find_interrupt(rep, st->pa->name);
    ck_assert_ptr_nonnull(in);
    ck_assert_uint_gt(in->delivered, 0);
    ck_assert_uint_eq(in->latency.count, in->delivered);
    ck_assert_uint_le(in->latency.p50, in->latency.p99);
    ck_assert_uint_le(in->latency.p99, in->latency.max);
    /* the mouse, if the stack has one, is reported like any interrupt */
    mouse = stats_find_interrupt(rep, "mouse0");
    if (mouse != NULL)
        ck_assert_uint_eq(mouse->latency.count, mouse->delivered);
    for (int i = 0; i < rep->ninterrupts; i++)
        delivered += rep->interrupt[i].delivered;
    ck_assert_uint_eq(delivered, rep->interrupts);
    for (int i = 0; i < rep->ncpus; i++)
        dpcs += rep->cpu[i].dpcs;
    ck_assert_uint_eq(rep->dpcs_run, dpcs);
    ck_assert_uint_gt(rep->dpcs_run, 0);
    ck_assert_uint_le(rep->dpcs_run, rep->dpcs_queued);
    ck_assert_ptr_null(stats_find_interrupt(rep, "no-such-line"));
}
END_TEST

/* ---------- SRBs ---------- */

START_TEST(every_srb_is_followed_through_the_port)
{
    sim_time_t total = 0;
    double sum_lat;

    default_run(3000, false);
    ck_assert_uint_eq(rep->srbs_seen, res.srbs);
    ck_assert_uint_eq(rep->srbs_completed, res.srbs);
    ck_assert_uint_eq(rep->srbs_in_flight, 0);
    ck_assert_uint_eq(rep->srb_latency.count, res.srbs);
    /* full duplex, BuildIo: each SRB passes each state once */
    ck_assert_uint_eq(rep->residency[PORT_SRB_QUEUED].entries, res.srbs);
    ck_assert_uint_eq(rep->residency[PORT_SRB_BUILDIO].entries, res.srbs);
    ck_assert_uint_eq(rep->residency[PORT_SRB_STARTIO].entries, res.srbs);
    ck_assert_uint_eq(rep->residency[PORT_SRB_DPC].entries, res.srbs);
    ck_assert_uint_eq(rep->residency[PORT_SRB_COMPLETED].entries, 0);
    /* the device takes longer than any step of the port's own */
    ck_assert_double_gt(rep->residency[PORT_SRB_ON_HBA].mean,
                        rep->residency[PORT_SRB_STARTIO].mean);
    /* time in the states adds up to time in the port */
    for (int s = 0; s < PORT_SRB_STATE_COUNT; s++)
        total += rep->residency[s].total;
    sum_lat = rep->srb_latency.mean * (double)rep->srb_latency.count;
    ck_assert_double_eq_tol((double)total, sum_lat, sum_lat * 1e-9);
}
END_TEST

START_TEST(a_report_covers_only_its_own_run)
{
    default_run(1000, false);
    ck_assert_uint_eq(rep->srbs_seen, 1000);
    /* attach again: a new measurement from here */
    ck_assert_int_eq(stats_attach(sc), 0);
    run_workload_on(2000, false);   /* the disks hold the first run's data */
    ck_assert_int_eq(stats_collect(sc, rep), 0);
    ck_assert_uint_eq(rep->srbs_seen, 2000);
    ck_assert_uint_ge(rep->lock[0].acquisitions, 1);
    ck_assert(!rep->has_workload);
}
END_TEST

/* ---------- queue depth ---------- */

START_TEST(queue_depth_series_matches_the_mean)
{
    double area = 0;
    uint32_t max = 0;

    default_run(8000, false);
    ck_assert_int_gt(rep->qd.npoints, 8);
    ck_assert_int_le(rep->qd.npoints, STATS_QD_POINTS);
    ck_assert_uint_le(rep->qd.max, 32);        /* 4 CPUs x qd 8 */
    for (int i = 0; i < rep->qd.npoints; i++) {
        const struct stats_qd_point *p = &rep->qd.points[i];
        sim_time_t end = p->start + rep->qd.interval;

        if (end > rep->end)
            end = rep->end;
        area += p->mean * (double)(end - p->start);
        max = p->max > max ? p->max : max;
        ck_assert_double_le(p->mean, (double)p->max + 1e-9);
    }
    ck_assert_uint_eq(max, rep->qd.max);
    ck_assert_double_eq_tol(area, rep->qd.mean * (double)rep->qd.window,
                            area * 1e-9);
}
END_TEST

START_TEST(queue_depth_series_keeps_constant_memory)
{
    struct qd_series q;
    struct stats_queue_depth out;

    stats_qd_init(&q, 1000);
    stats_qd_add(&q, 1000, 1500, 3);           /* a short burst of 3 */
    stats_qd_add(&q, 1500, SIM_SEC(10), 1);    /* then 1 for ten seconds */
    stats_qd_report(&q, SIM_SEC(10), &out);
    ck_assert_int_le(out.npoints, STATS_QD_POINTS);
    ck_assert_int_gt(out.npoints, STATS_QD_POINTS / 2);
    ck_assert_uint_ge(out.interval * STATS_QD_POINTS, SIM_SEC(10) - 1000);
    ck_assert_uint_eq(out.points[0].max, 3);
    ck_assert_uint_eq(out.points[1].max, 1);
    ck_assert_double_eq_tol(out.points[1].mean, 1.0, 1e-12);
    ck_assert_double_eq_tol(out.points[out.npoints - 1].mean, 1.0, 1e-12);
}
END_TEST

/* ---------- probes and named series ---------- */

/* A probe of the kind a device such as the mouse would supply: interrupt
 * assert to ISR, from the trace alone. */
static sim_time_t asserted_at;

static bool
assert_to_isr(const struct sim_trace_event *ev, void *ctx, sim_time_t *ns)
{
    const char *line = ctx;

    if (ev->detail == NULL || strcmp(ev->detail, line) != 0)
        return false;
    if (ev->kind == SIM_EV_INT_ASSERT) {
        asserted_at = ev->time;
    } else if (ev->kind == SIM_EV_INT_DELIVER) {
        *ns = ev->time - asserted_at;
        return true;
    }
    return false;
}

START_TEST(probes_feed_named_series)
{
    const struct stats_interrupt *in;
    char name[16];

    start_stack(1);
    ck_assert_int_eq(stack_boot(st), 0);
    ck_assert_int_eq(stats_create(&sc), 0);
    ck_assert_int_eq(stats_add_probe(sc, "assert-to-isr", assert_to_isr,
                                     (void *)st->pa->name), 0);
    ck_assert_int_eq(stats_record_latency(sc, "by-hand", 100), 0);
    ck_assert_int_eq(stats_record_latency(sc, "by-hand", 300), 0);
    ck_assert_int_eq(stats_record_latency(sc, "", 1), -EINVAL);
    ck_assert_int_eq(stats_add_probe(sc, "x", NULL, NULL), -EINVAL);
    ck_assert_int_eq(stats_attach(sc), 0);
    run_workload(1000);
    rep = calloc(1, sizeof *rep);
    ck_assert_int_eq(stats_collect(sc, rep), 0);
    in = stats_find_interrupt(rep, st->pa->name);
    ck_assert_ptr_nonnull(in);
    ck_assert_int_eq(rep->nseries, 2);
    ck_assert_str_eq(rep->series[0].name, "assert-to-isr");
    ck_assert_uint_eq(rep->series[0].latency.count, in->delivered);
    /* a level-triggered line is re-delivered without a new assert, so the
     * probe's "since the last assert" is never shorter than the machine's */
    ck_assert_uint_ge(rep->series[0].latency.max, in->latency.max);
    /* attach starts the series afresh: the hand-made samples are gone */
    ck_assert_uint_eq(rep->series[1].latency.count, 0);
    for (int i = 2; i < STATS_MAX_SERIES; i++) {
        snprintf(name, sizeof name, "s%d", i);
        ck_assert_int_eq(stats_record_latency(sc, name, 5), 0);
    }
    ck_assert_int_eq(stats_record_latency(sc, "one-too-many", 5), -ENOSPC);
    ck_assert_int_eq(stats_record_latency(sc, "by-hand", 200), 0);
    ck_assert_int_eq(stats_collect(sc, rep), 0);
    ck_assert_uint_eq(rep->series[1].latency.count, 1);
    ck_assert_uint_eq(rep->series[1].latency.p50, 200);
}
END_TEST

/* ---------- lifecycle errors ---------- */

START_TEST(collector_reports_misuse)
{
    struct stats_report *r = calloc(1, sizeof *r);

    ck_assert_int_eq(stats_create(&sc), 0);
    ck_assert_int_eq(stats_attach(sc), -ENODEV);       /* no machine */
    ck_assert_int_eq(stats_collect(sc, r), -EINVAL);    /* never attached */
    start_stack(1);
    ck_assert_int_eq(stats_attach(sc), 0);
    ck_assert_int_eq(stack_boot(st), 0);
    ck_assert_int_eq(stats_collect(sc, r), 0);
    ck_assert_uint_gt(r->srbs_seen, 0);                 /* the bus scan */
    stack_destroy(st);
    st = NULL;
    ck_assert_int_eq(stats_collect(sc, r), -ENODEV);    /* machine gone */
    stats_detach(sc);                                   /* harmless now */
    free(r);
}
END_TEST

/* ---------- reports ---------- */

static char *
print_to_string(bool json, int *rc)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    ck_assert_ptr_nonnull(f);
    if (json)
        *rc = stats_print_json(rep, f);
    else
        stats_print_text(rep, f);
    fclose(f);
    return text;
}

START_TEST(text_report_has_every_section)
{
    int rc = 0;
    char *text;

    default_run(2000, false);
    stats_report_set_verifier(rep, 0);
    text = print_to_string(false, &rc);
    ck_assert_ptr_nonnull(strstr(text, "workload: 2000 requests"));
    ck_assert_ptr_nonnull(strstr(text, "0 lost, 0 duplicated, 0 corrupted"));
    ck_assert_ptr_nonnull(strstr(text, "verifier: 0 findings"));
    ck_assert_ptr_nonnull(strstr(text, "cpu3"));
    ck_assert_ptr_nonnull(strstr(text, "StartIoLock"));
    ck_assert_ptr_nonnull(strstr(text, "time in state"));
    ck_assert_ptr_nonnull(strstr(text, "Little's law"));
    ck_assert_ptr_nonnull(strstr(text, "trace: "));
    ck_assert_uint_eq(rep->trace_events, sim_trace_count());
    free(text);
}
END_TEST

START_TEST(json_report_is_valid_with_stable_keys)
{
    static const char *const order[] = {
        "\"storsim_stats\": 1", "\"workload\"", "\"p999_ns\"", "\"integrity\"",
        "\"verifier_findings\": 3", "\"mouse\"", "\"p99_ns\": 1500",
        "\"cpus\"", "\"by_irql\"", "\"locks\"",
        "\"interrupts\"", "\"srbs\"", "\"residency\"", "\"queue_depth\"",
        "\"little\"", "\"series\"", "\"latency_series\"",
    };
    char err[96];
    const char *at;
    int rc = -1;
    char *text;

    default_run(2000, false);
    stats_report_set_verifier(rep, 3);
    stats_report_set_mouse(rep, &(struct stats_mouse){
        .interrupts = 10, .p50 = 600, .p99 = 1500, .max = 2000 });
    text = print_to_string(true, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_msg(json_check(text, strlen(text), err, sizeof err) == 0, "%s", err);
    at = text;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *p = strstr(at, order[i]);
        ck_assert_msg(p != NULL, "%s missing or out of order", order[i]);
        at = p;
    }
    ck_assert_ptr_null(strstr(text, "\"iops\": \""));    /* numbers, not strings */
    {
        char want[48];

        snprintf(want, sizeof want, "\"trace_hash\": \"%016llx\"",
                 (unsigned long long)sim_trace_hash());
        ck_assert_msg(strstr(text, want) != NULL, "%s missing", want);
    }
    free(text);
}
END_TEST

Suite *
stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *run = tcase_create("run");
    TCase *pieces = tcase_create("pieces");
    TCase *report = tcase_create("report");

    tcase_set_timeout(run, 120);
    tcase_set_timeout(pieces, 120);
    tcase_set_timeout(report, 120);
    tcase_add_checked_fixture(run, NULL, teardown);
    tcase_add_checked_fixture(pieces, NULL, teardown);
    tcase_add_checked_fixture(report, NULL, teardown);
    tcase_add_test(run, littles_law_holds_on_a_real_run);
    tcase_add_test(run, littles_law_is_exact_at_the_port);
    tcase_add_test(run, cpu_time_adds_up_to_the_run);
    tcase_add_test(run, totals_sum_the_cpus_and_locks);
    tcase_add_test(run, lock_figures_agree_with_the_registry);
    tcase_add_test(run, interrupts_and_dpcs_are_counted);
    tcase_add_test(run, every_srb_is_followed_through_the_port);
    tcase_add_test(run, a_report_covers_only_its_own_run);
    tcase_add_test(run, queue_depth_series_matches_the_mean);
    tcase_add_test(pieces, queue_depth_series_keeps_constant_memory);
    tcase_add_test(pieces, probes_feed_named_series);
    tcase_add_test(pieces, collector_reports_misuse);
    tcase_add_test(report, text_report_has_every_section);
    tcase_add_test(report, json_report_is_valid_with_stable_keys);
    suite_add_tcase(s, run);
    suite_add_tcase(s, pieces);
    suite_add_tcase(s, report);
    return s;
}
