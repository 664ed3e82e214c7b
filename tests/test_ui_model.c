/* test_ui_model.c: what the console's panes show, without a terminal: the
 * SRB table, the IRQL timeline, the "changed in the last step" flags,
 * reading SRBs, and finding source files. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storport.h"
#include "storsim/cmd.h"
#include "storsim/scsi_text.h"
#include "storsim/ui_cmd.h"
#include "tests/sim_helpers.h"
#include "ui/ui_int.h"

static struct ui_model *m;

static void
model_up(void)
{
    sim_test_begin(1, 1);
    ck_assert_int_eq(ui_model_create(&m), 0);
}

static void
model_down(void)
{
    ui_model_destroy(m);
    sim_test_end();
}

static struct sim_trace_event
srb_event(uint32_t id, enum port_srb_state st, sim_time_t t, uint64_t seq)
{
    return (struct sim_trace_event){ .kind = SIM_EV_SRB, .srb = id,
                                     .arg = st, .time = t, .seq = seq,
                                     .cpu = 0 };
}

START_TEST(test_srb_table_follows_states_and_residency)
{
    struct sim_trace_event ev;
    const struct ui_srb *e;

    ck_assert_int_eq(ui_srbs_init(m), 0);
    ev = srb_event(7, PORT_SRB_QUEUED, 0, 1);
    ui_srbs_note(m, &ev);
    ev = srb_event(7, PORT_SRB_BUILDIO, 10, 2);
    ui_srbs_note(m, &ev);
    ev = srb_event(7, PORT_SRB_STARTIO, 30, 3);
    ui_srbs_note(m, &ev);
    e = ui_model_srb(m, 7);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(e->state, PORT_SRB_STARTIO);
    ck_assert_uint_eq(e->changed_seq, 3);
    ck_assert_uint_eq(m->srb_used, 1);
    ev = srb_event(7, PORT_SRB_COMPLETED, 100, 4);
    ui_srbs_note(m, &ev);
    ck_assert_uint_eq(m->srb_used, 0);
    ck_assert_uint_eq(m->ndone, 1);
    ck_assert_uint_eq(m->residency[PORT_SRB_QUEUED], 10);
    ck_assert_uint_eq(m->residency[PORT_SRB_BUILDIO], 20);
    ck_assert_uint_eq(m->residency[PORT_SRB_STARTIO], 70);
    ck_assert_uint_eq(m->lat_total, 100);
    e = ui_model_srb(m, 7);               /* from the completed ring */
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(e->state, PORT_SRB_COMPLETED);
    ck_assert_ptr_null(e->srb);
}
END_TEST

/* Thousands of SRBs completing out of order: the table grows, removes
 * without losing a neighbour, and lists what is in flight by id. */
START_TEST(test_srb_table_survives_churn)
{
    enum { N = 5000 };
    static uint8_t live[N + 1];
    const struct ui_srb *list[64];
    struct sim_trace_event ev;
    uint64_t seq = 0, x = 12345;
    int inflight = 0, n, listed;

    ck_assert_int_eq(ui_srbs_init(m), 0);
    for (uint32_t id = 1; id <= N; id++) {
        ev = srb_event(id, PORT_SRB_QUEUED, seq, seq);
        seq++;
        ui_srbs_note(m, &ev);
        live[id] = 1;
        inflight++;
        for (int k = 0; k < 2; k++) {          /* complete two at random */
            uint32_t v;
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            v = (uint32_t)(x >> 33) % id + 1;
            if (!live[v])
                continue;
            ev = srb_event(v, PORT_SRB_COMPLETED, seq, seq);
            seq++;
            ui_srbs_note(m, &ev);
            live[v] = 0;
            inflight--;
        }
    }
    ck_assert_uint_eq(m->srb_used, (uint32_t)inflight);
    for (uint32_t id = 1; id <= N; id++)
        if (live[id])
            ck_assert_ptr_nonnull(ui_model_srb(m, id));
    n = ui_model_srb_list(m, list, 64, &listed);
    ck_assert_int_eq(n, 64);
    ck_assert_int_eq(listed, inflight);
    for (int i = 1; i < n; i++)                  /* the lowest ids, sorted */
        ck_assert_uint_lt(list[i - 1]->id, list[i]->id);
    for (uint32_t id = 1; id < list[0]->id; id++)
        ck_assert(!live[id]);
}
END_TEST

static void
irql_at(sim_time_t t, sim_irql_t irql)
{
    struct sim_trace_event ev = { .kind = SIM_EV_IRQL, .cpu = 0, .time = t,
                                  .irql_after = irql };
    ui_timeline_note(m, &ev);
}

START_TEST(test_timeline_keeps_the_highest_level_per_column)
{
    int8_t out[8];

    m->ncpus = 1;
    ck_assert_int_eq(ui_timeline_init(m), 0);       /* idle at time 0 */
    irql_at(100, DISPATCH_LEVEL);
    irql_at(150, 5);                                /* a short ISR */
    irql_at(160, DISPATCH_LEVEL);
    irql_at(300, PASSIVE_LEVEL);
    ui_model_timeline(m, 0, 400, 100, 4, out);
    ck_assert_int_eq(out[0], -1);                   /* idle */
    ck_assert_int_eq(out[1], 5);                    /* the ISR shows */
    ck_assert_int_eq(out[2], DISPATCH_LEVEL);
    ck_assert_int_eq(out[3], -1);
    ui_model_timeline(m, 0, 400, 100, 8, out);      /* before time 0 */
    ck_assert_int_eq(out[0], -2);
    ck_assert_int_eq(out[3], -2);
    ck_assert_int_eq(out[5], 5);
    ck_assert_int_eq(ui_irql_glyph(out[5]), '5');
    ck_assert_int_eq(ui_irql_glyph(DISPATCH_LEVEL), 'd');
    ck_assert_int_eq(ui_irql_glyph(-1), '.');
    ck_assert_int_eq(ui_irql_glyph(-2), ' ');
    ui_timeline_free(m);
}
END_TEST

START_TEST(test_srb_read_both_cdb_sizes)
{
    SCSI_REQUEST_BLOCK srb;
    struct ui_srb e;

    memset(&srb, 0, sizeof srb);
    srb.Length = sizeof srb;
    srb.Function = SRB_FUNCTION_EXECUTE_SCSI;
    srb.Lun = 1;
    srb.TargetId = 2;
    srb.CdbLength = 10;
    srb.DataTransferLength = 4096;
    srb.Cdb[0] = 0x2A;                       /* WRITE(10), LBA 0x01020304 */
    srb.Cdb[2] = 1, srb.Cdb[3] = 2, srb.Cdb[4] = 3, srb.Cdb[5] = 4;
    memset(&e, 0, sizeof e);
    ui_srb_read(&srb, &e);
    ck_assert(e.known);
    ck_assert_uint_eq(e.opcode, 0x2A);
    ck_assert_uint_eq(e.lba, 0x01020304);
    ck_assert_uint_eq(e.lun, 1);
    ck_assert_uint_eq(e.target, 2);
    ck_assert_uint_eq(e.length, 4096);
    ck_assert_str_eq(ui_srb_what(&e), "WRITE(10)");
    srb.CdbLength = 16;
    memset(srb.Cdb, 0, sizeof srb.Cdb);
    srb.Cdb[0] = 0x88;                       /* READ(16), a 40-bit LBA */
    srb.Cdb[5] = 0x12, srb.Cdb[9] = 0x34;
    ui_srb_read(&srb, &e);
    ck_assert_uint_eq(e.lba, 0x1200000034ull);
    srb.Function = SRB_FUNCTION_FLUSH;
    ui_srb_read(&srb, &e);
    ck_assert_str_eq(ui_srb_what(&e), "FLUSH");
}
END_TEST

START_TEST(test_source_files_found_or_said_missing)
{
    const struct ui_source *src;
    char dir[] = "/tmp/storsim-src-XXXXXX", path[256];
    FILE *f;

    src = ui_model_source(m, "src/miniport/io.c");
    ck_assert_ptr_nonnull(src->text);
    ck_assert_int_gt(src->nlines, 100);
    src = ui_model_source(m, "src/miniport/no-such-file.c");
    ck_assert_ptr_null(src->text);
    ck_assert_str_eq(src->path, "");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/only-here.c", dir);
    f = fopen(path, "w");
    fputs("line one\nline two\n", f);
    fclose(f);
    setenv("STORSIM_SRCDIR", dir, 1);
    src = ui_model_source(m, "only-here.c");
    unsetenv("STORSIM_SRCDIR");
    ck_assert_ptr_nonnull(src->text);
    ck_assert_int_eq(src->nlines, 2);
    ck_assert_str_eq(src->lines[1], "line two");
    unlink(path);
    rmdir(dir);
}
END_TEST

/* ---------- on a real stack ---------- */

static struct cmd_session s;
static FILE *sink;

static void
stack_up(void)
{
    sink = fopen("/dev/null", "w");
    cmd_session_init(&s, sink, sink);
    ck_assert_int_eq(ui_model_create(&m), 0);
    ck_assert_int_eq(cmd_run_line(&s, "workload count=200", "t", 1), 0);
    ck_assert_int_eq(cmd_run_line(&s, "boot", "t", 2), 0);
    ck_assert(ui_model_sync(m, s.st));
    ck_assert(ui_model_attached(m));
    ck_assert(!ui_model_sync(m, s.st));
    ck_assert_int_eq(cmd_run_line(&s, "workload start", "t", 3), 0);
}

static void
stack_down(void)
{
    ui_model_destroy(m);
    cmd_console_free(&s);
    fclose(sink);
}

/* The state of an SRB is the one its newest SIM_EV_SRB event says. */
static int
state_in_trace(uint32_t id)
{
    for (uint64_t back = 0;; back++) {
        const struct sim_trace_event *ev = sim_trace_recent(back);
        if (ev == NULL)
            return -1;
        if (ev->kind == SIM_EV_SRB && ev->srb == id)
            return (int)ev->arg;
    }
}

START_TEST(test_srb_table_agrees_with_the_trace)
{
    const struct ui_srb *list[256];
    int n, inflight, known = 0;

    ck_assert_int_eq(cmd_run_line(&s, "step 1500", "t", 4), 0);
    n = ui_model_srb_list(m, list, 256, &inflight);
    ck_assert_int_gt(inflight, 0);
    for (int i = 0; i < n; i++) {
        int st = state_in_trace(list[i]->id);
        if (list[i]->state < PORT_SRB_STATE_COUNT)
            ck_assert_int_eq(list[i]->state, st);
        if (i < inflight && list[i]->known) {
            known++;
            ck_assert(list[i]->opcode == 0x28 || list[i]->opcode == 0x2A);
            ck_assert_uint_eq(list[i]->length, 4096);
        }
    }
    ck_assert_int_gt(known, 0);
    ck_assert_uint_eq(ui_model_current_srb(m) != 0, 1);
}
END_TEST

/* "Changed" compares with the state at the mark. (One step is one event,
 * but other CPUs may move too: a CPU raises its IRQL, then spends the
 * raise's cost, and emits the event after; so compare with a snapshot
 * rather than expect only the event's CPU to change.) */
START_TEST(test_changed_flags_cover_exactly_the_last_step)
{
    const struct sim_trace_event *ev;
    sim_irql_t before[SIM_MAX_CPUS];

    for (int i = 0; i < 5000; i++) {
        ui_model_mark(m);
        for (int c = 0; c < m->ncpus; c++)
            before[c] = sim_cpu_get(c)->irql;
        ck_assert_int_eq(cmd_run_line(&s, "step", "t", 5), 0);
        ev = sim_trace_recent(0);
        for (int c = 0; c < m->ncpus; c++)
            ck_assert_int_eq(ui_model_cpu_changed(m, c, UI_CPU_IRQL),
                             before[c] != sim_cpu_get(c)->irql);
        if (ev->cpu >= 0 && ev->irql_before != ev->irql_after &&
            before[ev->cpu] != ev->irql_after)
            break;
    }
    ck_assert(ev->irql_before != ev->irql_after);
    ck_assert(ui_model_cpu_changed(m, ev->cpu, UI_CPU_IRQL));
    ck_assert_int_eq(m->last_cpu, ev->cpu);
    ck_assert_int_eq(ui_model_cpu(m), ev->cpu);
    m->sel_cpu = (ev->cpu + 1) % m->ncpus;
    ck_assert_int_eq(ui_model_cpu(m), (ev->cpu + 1) % m->ncpus);
    ui_model_mark(m);
    for (int c = 0; c < m->ncpus; c++)
        ck_assert(!ui_model_cpu_changed(m, c, UI_CPU_IRQL));
}
END_TEST

/* The boot ran before the console attached: its bus scan is in the table,
 * completed, named from the trace (the scan bypasses the filter), with the
 * times it really had. */
START_TEST(test_boot_srbs_are_in_the_table)
{
    bool inquiry = false, capacity = false;
    uint64_t boot_done = 0;

    ck_assert_uint_gt(m->ndone, 0);
    for (uint64_t i = 0; i < m->ndone && i < UI_SRB_DONE_KEEP; i++) {
        const struct ui_srb *e = &m->done[i];

        ck_assert(e->named);
        ck_assert(!e->known);
        ck_assert_uint_le(e->first, e->since);
        if (e->function != SRB_FUNCTION_EXECUTE_SCSI)
            continue;
        inquiry |= e->opcode == 0x12;
        capacity |= e->opcode == 0x25 || e->opcode == 0x9E;
        if (e->opcode == 0x9E)          /* short enough for the column */
            ck_assert_str_eq(ui_srb_what(e), "RDCAP(16)");
        ck_assert_uint_le(strlen(ui_srb_what(e)), 9);
        boot_done++;
    }
    ck_assert(inquiry);
    ck_assert(capacity);
    ck_assert_uint_gt(boot_done, 0);
    ck_assert_str_eq(ui_srb_what(&m->done[0]), scsi_disk_opcode_name(
                     m->done[0].opcode));
    ck_assert_uint_eq(m->srb_used, 0);           /* nothing left in flight */
    ck_assert_uint_eq(m->ndone_before, m->ndone); /* the stats pane's rate */
    ck_assert_uint_eq(m->lat_total, 0);           /* counts from attaching */
    ck_assert(m->reg_seen[0] || m->reg_seen[1] || m->reg_seen[2]);
}
END_TEST

START_TEST(test_model_forgets_a_machine_that_is_gone)
{
    cmd_run_line(&s, "step 500", "t", 6);
    ck_assert_int_gt(m->nseen, 0);
    cmd_run_line(&s, "reset", "t", 7);
    ck_assert(ui_model_sync(m, s.st));
    ck_assert(!ui_model_attached(m));
    ck_assert_uint_eq(m->nseen, 0);
    ck_assert_int_eq(cmd_run_line(&s, "boot", "t", 8), 0);
    ck_assert(ui_model_sync(m, s.st));
    ck_assert_int_eq(m->generation, 2);
}
END_TEST

Suite *
ui_model_suite(void)
{
    Suite *su = suite_create("ui_model");
    TCase *tc = tcase_create("synthetic");

    tcase_add_checked_fixture(tc, model_up, model_down);
    tcase_add_test(tc, test_srb_table_follows_states_and_residency);
    tcase_add_test(tc, test_srb_table_survives_churn);
    tcase_add_test(tc, test_timeline_keeps_the_highest_level_per_column);
    tcase_add_test(tc, test_srb_read_both_cdb_sizes);
    tcase_add_test(tc, test_source_files_found_or_said_missing);
    suite_add_tcase(su, tc);
    tc = tcase_create("stack");
    tcase_add_checked_fixture(tc, stack_up, stack_down);
    tcase_add_test(tc, test_srb_table_agrees_with_the_trace);
    tcase_add_test(tc, test_boot_srbs_are_in_the_table);
    tcase_add_test(tc, test_changed_flags_cover_exactly_the_last_step);
    tcase_add_test(tc, test_model_forgets_a_machine_that_is_gone);
    suite_add_tcase(su, tc);
    return su;
}
