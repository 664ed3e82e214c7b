/* test_ui_console.c: the console without a terminal: opening a scenario,
 * stepping commands, reverse stepping by replay (exactly the earlier
 * state), next, finish, watches, the bug-check screen, screen dumps, key
 * bindings and messages. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storsim/cmd.h"
#include "storsim/ui_cmd.h"
#include "storsim/ui.h"
#include "ui/ui_int.h"

static struct cmd_session s;
static struct ui_console *con;
static FILE *sink;

static void
up(void)
{
    sink = fopen("/dev/null", "w");
    cmd_session_init(&s, sink, sink);
    ck_assert_int_eq(ui_console_create(&s, false, &con), 0);
    ck_assert_int_eq(ui_console_load(con, "default"), 0);
}

static void
down(void)
{
    ui_console_destroy(con);
    cmd_console_free(&s);
    fclose(sink);
}

static void
run(const char *line)
{
    ck_assert_msg(ui_console_exec(con, line) == 0, "'%s': %s", line,
                  ui_console_message(con, NULL));
}

/* What "the same state" means here: the trace so far, and every CPU. */
struct state {
    uint64_t count, hash;
    sim_irql_t irql[SIM_MAX_CPUS];
    const char *routine[SIM_MAX_CPUS];
    int nheld[SIM_MAX_CPUS];
    uint32_t srbs_in_flight;
};

static void
take(struct state *st)
{
    memset(st, 0, sizeof *st);
    st->count = sim_trace_count();
    st->hash = sim_trace_hash();
    for (int i = 0; i < sim_ncpus(); i++) {
        st->irql[i] = sim_cpu_get(i)->irql;
        st->routine[i] = sim_cpu_routine(sim_cpu_get(i));
        st->nheld[i] = sim_cpu_get(i)->nheld;
    }
    st->srbs_in_flight = con->m->srb_used;
}

static void
same(const struct state *a, const struct state *b)
{
    ck_assert_uint_eq(a->count, b->count);
    ck_assert_uint_eq(a->hash, b->hash);
    for (int i = 0; i < sim_ncpus(); i++) {
        ck_assert_int_eq(a->irql[i], b->irql[i]);
        ck_assert_str_eq(a->routine[i], b->routine[i]);
        ck_assert_int_eq(a->nheld[i], b->nheld[i]);
    }
    ck_assert_uint_eq(a->srbs_in_flight, b->srbs_in_flight);
}

START_TEST(test_load_stops_before_the_run)
{
    ck_assert_ptr_nonnull(s.st);
    ck_assert_ptr_nonnull(s.wl);
    ck_assert(ui_model_attached(con->m));
    ck_assert_uint_lt(sim_trace_count(), 2000);     /* the boot, no more */
    ck_assert_ptr_nonnull(strstr(ui_console_message(con, NULL), "ready"));
    ck_assert_ptr_nonnull(strstr(con->overlay, "HwStorBuildIo"));
    ck_assert_int_eq(ui_console_create(&s, false, &con), -EBUSY);
    ck_assert_int_eq(ui_console_load(con, "no-such-scenario"), -ENOENT);
}
END_TEST

START_TEST(test_back_lands_on_exactly_the_earlier_state)
{
    struct state at, again;
    char line[64];

    run("step 400");
    take(&at);
    run("step 37");
    run("step 100");
    run("back 137");
    take(&again);
    same(&at, &again);
    /* and going on from there gives the same run as before */
    run("step 137");
    run("back 1");
    snprintf(line, sizeof line, "goto %llu", (unsigned long long)at.count);
    run(line);
    take(&again);
    same(&at, &again);
}
END_TEST

START_TEST(test_back_over_a_continue_to_a_breakpoint)
{
    struct state hit, again;
    uint64_t at;

    run("break routine HwStorStartIo");
    run("continue");
    ck_assert_int_eq(s.hit_break, 1);
    ck_assert_ptr_nonnull(strstr(con->stop_text, "breakpoint 1"));
    ck_assert_str_eq(sim_trace_recent(0)->routine, "HwStorStartIo");
    take(&hit);
    at = sim_trace_count();
    run("continue");                 /* the next StartIo */
    ck_assert_uint_gt(sim_trace_count(), at);
    run("step 5");
    ck_assert_uint_eq(s.breaks[0].hits, 2);
    run("goto 0");                   /* as far back as the boot allows */
    run("goto 20");
    run("back 1000000");
    run("continue");
    take(&again);
    same(&hit, &again);
    ck_assert_int_eq(s.nbreaks, 1);  /* breakpoints stay, hits counted */
}
END_TEST

START_TEST(test_next_moves_the_srb_one_stage)
{
    const struct sim_trace_event *ev;
    char text[64];
    uint32_t id;

    ck_assert_uint_eq(ui_model_current_srb(con->m), 0);  /* none yet: */
    run("next");                        /* the first SRB, at its first stage */
    ev = sim_trace_recent(0);
    ck_assert_int_eq(ev->kind, SIM_EV_SRB);
    ck_assert_int_eq(ev->arg, PORT_SRB_QUEUED);
    ck_assert_uint_eq(ui_model_current_srb(con->m), ev->srb);
    snprintf(text, sizeof text, "next: SRB %u is queued", ev->srb);
    ck_assert_str_eq(con->stop_text, text);
    run("step 60");
    id = ui_model_current_srb(con->m);
    ck_assert_uint_ne(id, 0);
    run("next");
    ev = sim_trace_recent(0);
    ck_assert_int_eq(ev->kind, SIM_EV_SRB);
    ck_assert_uint_eq(ev->srb, id);
    ck_assert_ptr_nonnull(strstr(con->stop_text, "next: SRB"));
}
END_TEST

START_TEST(test_finish_returns_from_the_routine)
{
    const struct sim_trace_event *ev;
    char line[64];
    const char *routine;
    int cpu = -1;

    run("break routine HwStorBuildIo");
    run("continue");
    cpu = sim_trace_recent(0)->cpu;
    routine = sim_cpu_routine(sim_cpu_get(cpu));
    ck_assert_str_eq(routine, "HwStorBuildIo");
    run("delete 1");
    snprintf(line, sizeof line, "select cpu %d", cpu);
    run(line);
    run("finish");
    ev = sim_trace_recent(0);
    ck_assert_int_eq(ev->cpu, cpu);
    ck_assert_int_eq(ev->kind, SIM_EV_EXIT);
    ck_assert_str_eq(ev->routine, "HwStorBuildIo");
}
END_TEST

START_TEST(test_watches_stop_where_they_say)
{
    const struct sim_trace_event *ev;
    const struct ui_srb *e;
    char line[64];

    run("break opcode write10");
    run("continue");
    ev = sim_trace_recent(0);
    ck_assert_int_eq(ev->kind, SIM_EV_SRB);
    e = ui_model_srb(con->m, ev->srb);
    ck_assert_uint_eq(e->opcode, 0x2A);
    ck_assert(ev->arg == PORT_SRB_BUILDIO || ev->arg == PORT_SRB_STARTIO);
    run("delete 1");
    snprintf(line, sizeof line, "watch srb %u state", ev->srb);
    run(line);
    run("continue");
    ck_assert_uint_eq(sim_trace_recent(0)->srb, e->id);
    ck_assert_int_eq(sim_trace_recent(0)->kind, SIM_EV_SRB);
    run("unwatch 1");
    run("watch reg REQ_DOORBELL");     /* a new value with every request */
    run("continue");
    ev = sim_trace_recent(0);
    ck_assert_uint_eq(ev->arg, SIMHBA_REG_REQ_DOORBELL);
    ck_assert_ptr_nonnull(strstr(con->stop_text, "watch 2: REQ_DOORBELL"));
    ck_assert_int_lt(ui_console_exec(con, "watch reg NO_SUCH"), 0);
    ck_assert_int_lt(ui_console_exec(con, "watch srb 999999 state"), 0);
}
END_TEST

START_TEST(test_continue_runs_the_workload_to_its_end)
{
    char *out;

    run("continue");
    ck_assert_ptr_null(s.wl);
    ck_assert(s.have_last);
    ck_assert(s.last.ok);
    out = ui_console_take_output(con);
    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_nonnull(strstr(out, "integrity"));
    free(out);
    ck_assert_ptr_nonnull(strstr(ui_console_message(con, NULL), "idle"));
}
END_TEST

START_TEST(test_bug_check_screen_and_back_out_of_it)
{
    struct ui_grid g;
    char row[256];
    bool found = false;

    run("bug on complete-twice");
    run("continue");
    ck_assert(sim_is_dead());
    ck_assert(ui_console_take_bugcheck(con));
    ck_assert(!ui_console_take_bugcheck(con));
    ck_assert_int_eq(s.exit_status, CMD_EXIT_BUGCHECK);
    ck_assert_int_eq(ui_grid_init(&g, 100, 30), 0);
    ui_console_render_bugcheck(con, &g);
    for (int y = 0; y < g.rows; y++) {
        ui_grid_row_text(&g, y, row, sizeof row);
        found |= strstr(row, "DRIVER_VERIFIER_DETECTED_VIOLATION") != NULL;
    }
    ck_assert(found);
    ck_assert_int_lt(ui_console_exec(con, "continue"), 0);
    ck_assert_ptr_nonnull(strstr(ui_console_message(con, NULL), "bug-checked"));
    run("back");
    ck_assert(!sim_is_dead());
    ui_grid_free(&g);
}
END_TEST

static char *
dump(int cols, int rows)
{
    char path[] = "/tmp/storsim-dump-XXXXXX", line[64], *text = NULL;
    size_t len = 0;
    int fd = mkstemp(path);
    FILE *f;

    ck_assert_int_ge(fd, 0);
    close(fd);
    snprintf(line, sizeof line, "screen dump %s %dx%d", path, cols, rows);
    run(line);
    f = fopen(path, "r");
    ck_assert_int_gt(getdelim(&text, &len, '\0', f), 0);
    fclose(f);
    unlink(path);
    return text;
}

START_TEST(test_screen_dump_is_the_screen_as_text)
{
    char *a, *b;
    int lines = 0;

    run("step 300");
    a = dump(200, 50);
    for (char *p = a; *p; p++)
        lines += *p == '\n';
    ck_assert_int_eq(lines, 50);
    ck_assert_ptr_nonnull(strstr(a, "event 1"));
    ck_assert_ptr_nonnull(strstr(a, "[ CPUs (4) ]"));
    ck_assert_ptr_nonnull(strstr(a, " Locks "));
    ck_assert_ptr_nonnull(strstr(a, "Source: src/"));
    run("back 10");
    run("step 10");
    b = dump(200, 50);
    ck_assert_str_eq(a, b);                   /* deterministic */
    free(b);
    b = dump(60, 20);
    ck_assert_ptr_nonnull(strstr(b, "needs a terminal of at least 80x24"));
    free(a);
    free(b);
}
END_TEST

START_TEST(test_view_commands_and_keys)
{
    char err[128];

    run("pane focus locks");
    ck_assert_int_eq(con->focus, UI_PANE_LOCKS);
    run("pane zoom");
    ck_assert_int_eq(con->zoom, UI_PANE_LOCKS);
    run("pane zoom");
    ck_assert_int_eq(con->zoom, -1);
    run("pane scale 1us");
    ck_assert_uint_eq(con->tl_bucket, 1000);
    ck_assert_int_lt(ui_console_exec(con, "pane focus nowhere"), 0);
    ck_assert_str_eq(ui_console_binding(con, 's'), "step");
    run("bind s step 3");
    ck_assert_str_eq(ui_console_binding(con, 's'), "step 3");
    run("bind C-x back 2");
    ck_assert_str_eq(ui_console_binding(con, 'X' & 0x1F), "back 2");
    run("unbind C-x");
    ck_assert_ptr_null(ui_console_binding(con, 'X' & 0x1F));
    ck_assert_int_lt(ui_do_bind(con, ":", "quit", err, sizeof err), 0);
    ck_assert_int_lt(ui_do_bind(con, "NoSuchKey", "quit", err, sizeof err),
                     0);
    ck_assert_int_eq(ui_key_parse("F5"), ui_key_parse("f5"));
    run("keys");
    ck_assert_ptr_nonnull(strstr(con->overlay, "step 3"));
}
END_TEST

/* The line the events pane shows for the event @back events ago. */
static void
event_line(uint64_t back, char *buf, size_t len)
{
    const struct sim_trace_event *ev = sim_trace_recent(back);
    char text[400];

    sim_trace_format(ev, text, sizeof text);
    snprintf(buf, len, "%8llu%s", (unsigned long long)ev->seq + 1, text);
}

START_TEST(test_panes_scroll_and_follow_the_machine_again)
{
    char newest[480], older[480], *a;
    int page, top;

    run("step 300");
    event_line(0, newest, sizeof newest);
    run("pane focus events");
    run("pane scroll pgup");
    page = -con->scroll[UI_PANE_EVENTS];
    ck_assert_int_gt(page, 1);
    event_line((uint64_t)page, older, sizeof older);
    a = dump(200, 50);
    ck_assert_ptr_null(strstr(a, newest));
    ck_assert_ptr_nonnull(strstr(a, older));
    ck_assert_ptr_nonnull(strstr(a, "(scrolled: Home)"));
    free(a);
    run("pane scroll down");
    ck_assert_int_eq(con->scroll[UI_PANE_EVENTS], 1 - page);
    run("pane scroll home");
    ck_assert_int_eq(con->scroll[UI_PANE_EVENTS], 0);
    do {                                 /* the ring's start stops it */
        top = con->scroll[UI_PANE_EVENTS];
        run("pane scroll pgup");
    } while (con->scroll[UI_PANE_EVENTS] != top);
    run("pane scroll up");
    ck_assert_int_eq(con->scroll[UI_PANE_EVENTS], top);
    ck_assert_uint_lt(sim_trace_count(), sim_trace_ring_size());
    event_line(sim_trace_count() - 1, older, sizeof older);   /* event 1 */
    a = dump(200, 50);
    ck_assert_ptr_nonnull(strstr(a, older));
    free(a);

    run("pane focus srbs");              /* down, as far as the list goes */
    run("pane scroll down");
    ck_assert_int_eq(con->scroll[UI_PANE_SRBS], 1);
    do {
        top = con->scroll[UI_PANE_SRBS];
        run("pane scroll pgdn");
    } while (con->scroll[UI_PANE_SRBS] != top);
    ck_assert_int_gt(top, 1);
    run("pane scroll up");
    ck_assert_int_eq(con->scroll[UI_PANE_SRBS], top - 1);

    run("pane focus source");
    run("pane scroll up");
    ck_assert_int_eq(con->scroll[UI_PANE_SOURCE], -1);

    run("step");                         /* the machine moved: follow it */
    a = dump(200, 50);
    ck_assert_ptr_null(strstr(a, "(scrolled: Home)"));
    event_line(0, newest, sizeof newest);
    ck_assert_ptr_nonnull(strstr(a, newest));
    free(a);
    ck_assert_int_eq(con->scroll[UI_PANE_SRBS], 0);

    run("pane focus hba");
    ck_assert_int_lt(ui_console_exec(con, "pane scroll down"), 0);
    ck_assert_str_eq(ui_console_message(con, NULL),
                     "the hba pane has nothing more to show");
    ck_assert_int_lt(ui_console_exec(con, "pane scroll sideways"), 0);
    ck_assert_str_eq(ui_console_binding(con, ui_key_parse("PgUp")),
                     "pane scroll pgup");
}
END_TEST

START_TEST(test_errors_are_shown_without_the_location)
{
    bool error;

    ck_assert_int_lt(ui_console_exec(con, "stpe 3"), 0);
    ck_assert_str_eq(ui_console_message(con, &error), "unknown command "
                     "'stpe', did you mean 'step'?");
    ck_assert(error);
    run("step");
    ui_console_message(con, &error);
    ck_assert(!error);
}
END_TEST

/* A workload in the middle of its run has events in the machine's queue:
 * 'reset' must take the machine down before the workload (ASan checks). */
START_TEST(test_reset_in_the_middle_of_a_run)
{
    run("step 2000");
    ck_assert_ptr_nonnull(s.wl);
    run("reset");
    ck_assert_ptr_null(s.st);
    ck_assert(!ui_model_attached(con->m));
    run("step");
    ck_assert(ui_model_attached(con->m));
    ck_assert_int_eq(con->m->generation, 2);
    run("back");                          /* back to the new boot's end */
    ck_assert(ui_model_attached(con->m));
}
END_TEST

START_TEST(test_console_commands_need_the_console)
{
    struct cmd_session plain;
    FILE *f = fopen("/dev/null", "w");

    ui_console_destroy(con);
    con = NULL;
    cmd_session_init(&plain, f, f);
    ck_assert_int_lt(cmd_run_line(&plain, "continue", "x", 1), 0);
    ck_assert_ptr_nonnull(strstr(plain.error, "works in the console"));
    cmd_session_free(&plain);
    fclose(f);
}
END_TEST

Suite *
ui_console_suite(void)
{
    Suite *su = suite_create("ui_console");
    TCase *tc = tcase_create("stepping");

    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, up, down);
    tcase_add_test(tc, test_load_stops_before_the_run);
    tcase_add_test(tc, test_back_lands_on_exactly_the_earlier_state);
    tcase_add_test(tc, test_back_over_a_continue_to_a_breakpoint);
    tcase_add_test(tc, test_next_moves_the_srb_one_stage);
    tcase_add_test(tc, test_finish_returns_from_the_routine);
    tcase_add_test(tc, test_watches_stop_where_they_say);
    tcase_add_test(tc, test_continue_runs_the_workload_to_its_end);
    tcase_add_test(tc, test_bug_check_screen_and_back_out_of_it);
    tcase_add_test(tc, test_reset_in_the_middle_of_a_run);
    suite_add_tcase(su, tc);
    tc = tcase_create("view");
    tcase_add_checked_fixture(tc, up, down);
    tcase_add_test(tc, test_screen_dump_is_the_screen_as_text);
    tcase_add_test(tc, test_view_commands_and_keys);
    tcase_add_test(tc, test_panes_scroll_and_follow_the_machine_again);
    tcase_add_test(tc, test_errors_are_shown_without_the_location);
    tcase_add_test(tc, test_console_commands_need_the_console);
    suite_add_tcase(su, tc);
    return su;
}
