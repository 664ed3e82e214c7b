/* test_trace_export.c: the Chrome trace-event exporter on real runs of the
 * whole stack: the output is valid JSON, slices balance on every track,
 * every completed SRB has its flow, the exporter's memory does not grow
 * with the run, a run stopped midway still gives a closed document, and
 * two runs with one seed export the same bytes (and the same statistics)
 * while another seed does not.
 *
 * The structural checks read the output line by line: the exporter writes
 * one event per line, and json_check() has already proved it is JSON.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/stack.h"
#include "storsim/stats.h"
#include "storsim/trace_export.h"
#include "storsim/workload.h"

int json_check(const char *text, size_t len, char *err, size_t errlen);

static struct stack *st;
static struct trace_export *te;
static struct wl_result res;
static uint64_t completed;      /* PORT_SRB_COMPLETED events seen */
static char *text;              /* the exported document */
static size_t text_len;

static void
count_completions(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == SIM_EV_SRB && ev->arg == PORT_SRB_COMPLETED)
        completed++;
}

static void
boot_exporting(uint64_t seed, FILE *f, const struct trace_export_options *opt)
{
    struct stack_config cfg;
    char err[256];

    stack_config_default(&cfg);
    cfg.machine.seed = seed;
    ck_assert_msg(stack_create(&cfg, &st, err, sizeof err) == 0, "%s", err);
    completed = 0;
    ck_assert_int_eq(sim_trace_subscribe(count_completions, NULL), 0);
    ck_assert_int_eq(trace_export_start(f, opt, &te), 0);
    ck_assert_int_eq(stack_boot(st), 0);
}

static void
spec_of(struct wl_spec *spec, uint64_t count)
{
    char err[256];

    wl_spec_default(spec);
    ck_assert_int_eq(wl_spec_parse(spec, "pattern=random bs=4k qd=8 read=70 "
                                   "cpus=0-3 size=64M", err, sizeof err), 0);
    spec->count = count;
}

/* The default scenario, exported to f from before the boot. */
static void
export_run(uint64_t seed, uint64_t count, FILE *f,
           const struct trace_export_options *opt)
{
    struct wl_spec spec;
    char err[256];

    boot_exporting(seed, f, opt);
    spec_of(&spec, count);
    ck_assert_msg(wl_run(st->pa, &spec, &res, err, sizeof err) == 0, "%s", err);
    ck_assert(res.ok);
    ck_assert_int_eq(trace_export_finish(te), 0);
    te = NULL;
}

/* Read a whole temporary file into `text`. */
static void
slurp(FILE *f)
{
    long n;

    fflush(f);
    n = ftell(f);
    ck_assert_int_gt(n, 0);
    free(text);
    text = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(text);
    rewind(f);
    ck_assert_uint_eq(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    text_len = (size_t)n;
}

static void
export_to_text(uint64_t seed, uint64_t count)
{
    FILE *f = tmpfile();

    ck_assert_ptr_nonnull(f);
    export_run(seed, count, f, NULL);
    slurp(f);
    fclose(f);
}

static void
teardown(void)
{
    if (te != NULL)
        trace_export_finish(te);
    te = NULL;
    if (st != NULL)
        stack_destroy(st);
    st = NULL;
    free(text);
    text = NULL;
}

static void
assert_valid_json(void)
{
    char err[96];

    ck_assert_msg(json_check(text, text_len, err, sizeof err) == 0, "%s", err);
}

/* ---------- reading events back ---------- */

struct line_event {
    char ph;
    int pid, tid;
    double ts;
    long id;
};

static bool
parse_line(const char *line, struct line_event *e)
{
    const char *p = strstr(line, "\"ph\":\"");
    const char *q;

    if (p == NULL)
        return false;
    e->ph = p[6];
    e->pid = (q = strstr(line, "\"pid\":")) ? atoi(q + 6) : -1;
    e->tid = (q = strstr(line, "\"tid\":")) ? atoi(q + 6) : -1;
    e->ts = (q = strstr(line, "\"ts\":")) ? strtod(q + 5, NULL) : -1;
    e->id = (q = strstr(line, "\"id\":")) ? atol(q + 5) : -1;
    return true;
}

/* Call fn for every event line of `text`. */
static void
each_event(void (*fn)(const struct line_event *e, void *ctx), void *ctx)
{
    char *line = text;

    while (line != NULL && *line) {
        char *nl = strchr(line, '\n');
        struct line_event e;

        if (nl != NULL)
            *nl = '\0';
        if (parse_line(line, &e))
            fn(&e, ctx);
        if (nl != NULL)
            *nl = '\n';
        line = nl ? nl + 1 : NULL;
    }
}

enum { MAX_TID = SIM_MAX_LOCKS + 1 };

struct balance {
    int depth[4][MAX_TID];
    double last_ts[4][MAX_TID];
    int negative;               /* an E without its B */
    int backwards;              /* time went back on a track */
    long slices;
};

static void
check_balance(const struct line_event *e, void *ctx)
{
    struct balance *b = ctx;

    if (e->ph != 'B' && e->ph != 'E')
        return;
    ck_assert_int_ge(e->pid, 1);
    ck_assert_int_le(e->pid, 3);
    ck_assert_int_ge(e->tid, 0);
    ck_assert_int_lt(e->tid, MAX_TID);
    if (e->ts < b->last_ts[e->pid][e->tid])
        b->backwards++;
    b->last_ts[e->pid][e->tid] = e->ts;
    if (e->ph == 'B') {
        b->depth[e->pid][e->tid]++;
        b->slices++;
    } else if (--b->depth[e->pid][e->tid] < 0) {
        b->negative++;
    }
}

static void
assert_balanced(void)
{
    static struct balance b;

    memset(&b, 0, sizeof b);
    each_event(check_balance, &b);
    ck_assert_int_gt(b.slices, 1000);
    ck_assert_int_eq(b.negative, 0);
    ck_assert_int_eq(b.backwards, 0);
    for (int p = 0; p < 4; p++)
        for (int t = 0; t < MAX_TID; t++)
            ck_assert_msg(b.depth[p][t] == 0, "track %d/%d ends %d deep", p, t,
                          b.depth[p][t]);
}

/* ---------- the tests ---------- */

START_TEST(export_of_a_real_run_is_valid_json)
{
    export_to_text(1, 2000);
    assert_valid_json();
    ck_assert(strncmp(text, "{\n  \"displayTimeUnit\": \"ns\"", 27) == 0);
}
END_TEST

START_TEST(slices_balance_on_every_track)
{
    export_to_text(1, 2000);
    assert_balanced();
}
END_TEST

struct flows {
    uint8_t *state;            /* per SRB id: 0 none, 1 started, 2 finished */
    long max_id;
    long finishes, bad;
};

static void
check_flow(const struct line_event *e, void *ctx)
{
    struct flows *fl = ctx;

    if (e->ph != 's' && e->ph != 't' && e->ph != 'f')
        return;
    ck_assert_int_gt(e->id, 0);
    ck_assert_int_le(e->id, fl->max_id);
    if (e->ph == 's') {
        fl->bad += fl->state[e->id] != 0;
        fl->state[e->id] = 1;
    } else if (e->ph == 't') {
        fl->bad += fl->state[e->id] != 1;
    } else {
        fl->bad += fl->state[e->id] != 1;
        fl->state[e->id] = 2;
        fl->finishes++;
    }
}

START_TEST(every_completed_srb_has_a_flow)
{
    struct flows fl = { .max_id = 2000 + 1000 };

    export_to_text(1, 2000);
    fl.state = calloc((size_t)fl.max_id + 1, 1);
    each_event(check_flow, &fl);
    ck_assert_int_eq(fl.bad, 0);
    ck_assert_uint_ge(completed, 2000);            /* the workload and the scan */
    ck_assert_int_eq(fl.finishes, (long)completed);
    for (long id = 1; id <= fl.max_id; id++)
        ck_assert_msg(fl.state[id] != 1, "SRB %ld: a flow that never ends", id);
    free(fl.state);
}
END_TEST

START_TEST(tracks_are_named_and_coloured_by_irql)
{
    static const char *const wanted[] = {
        "\"name\":\"process_name\"", "\"name\":\"CPUs\"", "\"name\":\"CPU 3\"",
        "\"name\":\"StartIoLock\"", "\"name\":\"InterruptLock\"",
        "\"name\":\"HwStorBuildIo\"", "\"name\":\"HwStorStartIo\"",
        "\"cname\":\"good\"", "\"cname\":\"yellow\"", "\"cname\":\"terrible\"",
        "\"ph\":\"C\",\"pid\":3", "\"name\":\"queue depth\"",
        "\"name\":\"cmd-complete\"", "\"ph\":\"s\"", "\"ph\":\"f\"",
    };

    export_to_text(1, 500);
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++)
        ck_assert_msg(strstr(text, wanted[i]) != NULL, "no %s", wanted[i]);
    /* microseconds with three decimals: nanosecond resolution */
    ck_assert_ptr_nonnull(strstr(text, "\"ts\":"));
    for (const char *p = strstr(text, "\"ts\":"); p; p = strstr(p + 1, "\"ts\":")) {
        const char *dot = p + 5 + strspn(p + 5, "0123456789");
        ck_assert_msg(*dot == '.' && strspn(dot + 1, "0123456789") == 3,
                      "timestamp %.20s", p);
    }
    ck_assert_ptr_null(strstr(text, "reg-write"));  /* not unless asked */
}
END_TEST

START_TEST(options_add_register_events)
{
    struct trace_export_options opt;
    FILE *f = tmpfile();

    trace_export_options_default(&opt);
    opt.registers = true;
    opt.calls = true;
    export_run(1, 200, f, &opt);
    slurp(f);
    fclose(f);
    assert_valid_json();
    ck_assert_ptr_nonnull(strstr(text, "\"name\":\"reg-write"));
    ck_assert_ptr_nonnull(strstr(text, "\"name\":\"notify"));
}
END_TEST

/* Streamed: ten times the SRBs, ten times the events, the same memory. */
START_TEST(memory_does_not_grow_with_the_run)
{
    size_t peak[2], now;
    uint64_t events[2];
    uint64_t counts[2] = { 1000, 10000 };

    for (int i = 0; i < 2; i++) {
        FILE *devnull = fopen("/dev/null", "w");
        struct wl_spec spec;
        char err[256];

        ck_assert_ptr_nonnull(devnull);
        boot_exporting(1, devnull, NULL);
        spec_of(&spec, counts[i]);
        ck_assert_int_eq(wl_run(st->pa, &spec, &res, err, sizeof err), 0);
        now = trace_export_memory(te, &peak[i]);
        events[i] = trace_export_events(te);
        ck_assert_uint_le(now, peak[i]);
        ck_assert_int_eq(trace_export_finish(te), 0);
        te = NULL;
        fclose(devnull);
        stack_destroy(st);
        st = NULL;
    }
    ck_assert_uint_gt(events[1], events[0] * 8);
    ck_assert_uint_eq(peak[1], peak[0]);
    ck_assert_uint_lt(peak[1], 64 * 1024);
}
END_TEST

/* Finished in the middle of routines, with locks held and SRBs in
 * flight, the export still closes every slice, and the run goes on
 * without it. */
START_TEST(an_export_finished_midway_is_closed)
{
    struct sim_run_limits lim = { .steps = 20000 };
    struct wl_spec spec;
    struct wl *wl;
    char err[256];
    FILE *f = tmpfile();

    boot_exporting(1, f, NULL);
    spec_of(&spec, 3000);
    ck_assert_int_eq(wl_create(st->pa, &spec, &wl, err, sizeof err), 0);
    ck_assert_int_eq(wl_start(wl), 0);
    ck_assert_int_eq(sim_run(&lim), SIM_STOP_STEPS);
    ck_assert(!wl_done(wl));
    ck_assert_int_eq(trace_export_finish(te), 0);
    te = NULL;
    for (int i = 0; i < 100 && !wl_done(wl); i++) {
        lim = (struct sim_run_limits){ .until = sim_now() + SIM_MS(10) };
        sim_run(&lim);
    }
    ck_assert(wl_done(wl));
    wl_finish(wl, SIM_STOP_TIME);
    wl_get_result(wl, &res);
    ck_assert(res.ok);
    wl_destroy(wl);
    slurp(f);
    fclose(f);
    assert_valid_json();
    assert_balanced();
}
END_TEST

/* The machine may go first: finishing afterwards is safe. */
START_TEST(an_export_may_outlive_the_machine)
{
    struct wl_spec spec;
    char err[256];
    FILE *f = tmpfile();

    boot_exporting(1, f, NULL);
    spec_of(&spec, 300);
    ck_assert_int_eq(wl_run(st->pa, &spec, &res, err, sizeof err), 0);
    stack_destroy(st);
    st = NULL;
    ck_assert_int_eq(trace_export_finish(te), 0);
    te = NULL;
    slurp(f);
    fclose(f);
    assert_valid_json();
    assert_balanced();
}
END_TEST

START_TEST(start_needs_a_machine)
{
    ck_assert_int_eq(trace_export_start(stdout, NULL, &te), -ENODEV);
    ck_assert_ptr_null(te);
}
END_TEST

/* ---------- determinism through the export and the statistics ---------- */

struct outputs {
    char *trace;
    size_t trace_len;
    char *stats;
    size_t stats_len;
};

static void
run_both(uint64_t seed, struct outputs *o)
{
    struct stats *sc;
    struct stats_report *rep = calloc(1, sizeof *rep);
    FILE *sf = open_memstream(&o->stats, &o->stats_len);
    FILE *f = tmpfile();
    struct wl_spec spec;
    char err[256];

    ck_assert_ptr_nonnull(rep);
    boot_exporting(seed, f, NULL);
    ck_assert_int_eq(stats_create(&sc), 0);
    ck_assert_int_eq(stats_attach(sc), 0);
    spec_of(&spec, 1500);
    ck_assert_int_eq(wl_run(st->pa, &spec, &res, err, sizeof err), 0);
    ck_assert_int_eq(stats_collect(sc, rep), 0);
    stats_report_set_workload(rep, &res);
    ck_assert_int_eq(stats_print_json(rep, sf), 0);
    fclose(sf);
    ck_assert_int_eq(trace_export_finish(te), 0);
    te = NULL;
    stats_destroy(sc);
    stack_destroy(st);
    st = NULL;
    slurp(f);
    fclose(f);
    o->trace = text;
    o->trace_len = text_len;
    text = NULL;
    free(rep);
}

static bool
same(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen == blen && memcmp(a, b, alen) == 0;
}

START_TEST(same_seed_same_bytes_other_seed_other_bytes)
{
    struct outputs o[3];

    run_both(7, &o[0]);
    run_both(7, &o[1]);
    run_both(8, &o[2]);
    ck_assert_uint_gt(o[0].trace_len, 100000);
    ck_assert(same(o[0].trace, o[0].trace_len, o[1].trace, o[1].trace_len));
    ck_assert(same(o[0].stats, o[0].stats_len, o[1].stats, o[1].stats_len));
    ck_assert(!same(o[0].trace, o[0].trace_len, o[2].trace, o[2].trace_len));
    ck_assert(!same(o[0].stats, o[0].stats_len, o[2].stats, o[2].stats_len));
    for (int i = 0; i < 3; i++) {
        free(o[i].trace);
        free(o[i].stats);
    }
}
END_TEST

Suite *
trace_export_suite(void)
{
    Suite *s = suite_create("trace_export");
    TCase *out = tcase_create("output");
    TCase *stream = tcase_create("streaming");
    TCase *det = tcase_create("determinism");

    tcase_set_timeout(out, 120);
    tcase_set_timeout(stream, 240);
    tcase_set_timeout(det, 120);
    tcase_add_checked_fixture(out, NULL, teardown);
    tcase_add_checked_fixture(stream, NULL, teardown);
    tcase_add_checked_fixture(det, NULL, teardown);
    tcase_add_test(out, export_of_a_real_run_is_valid_json);
    tcase_add_test(out, slices_balance_on_every_track);
    tcase_add_test(out, every_completed_srb_has_a_flow);
    tcase_add_test(out, tracks_are_named_and_coloured_by_irql);
    tcase_add_test(out, options_add_register_events);
    tcase_add_test(stream, memory_does_not_grow_with_the_run);
    tcase_add_test(stream, an_export_finished_midway_is_closed);
    tcase_add_test(stream, an_export_may_outlive_the_machine);
    tcase_add_test(stream, start_needs_a_machine);
    tcase_add_test(det, same_seed_same_bytes_other_seed_other_bytes);
    suite_add_tcase(s, out);
    suite_add_tcase(s, stream);
    suite_add_tcase(s, det);
    return s;
}
