/* test_cmd.c: the command language: words and locations, errors with
 * suggestions, settings, scripts, breakpoints, scenarios, help. */
#include <check.h>
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/cmd.h"
#include "storsim/scsiport_sim.h"
#include "storsim/simhba_regs.h"
#include "storsim/stack.h"

static struct cmd_session s;
static FILE *out;
static char *outbuf;
static size_t outlen;

static void
setup(void)
{
    out = open_memstream(&outbuf, &outlen);
    cmd_session_init(&s, out, out);
}

static void
teardown(void)
{
    cmd_session_free(&s);
    fclose(out);
    free(outbuf);
}

static const char *
output(void)
{
    fflush(out);
    return outbuf;
}

START_TEST(test_error_location_and_suggestion)
{
    ck_assert_int_lt(cmd_run_line(&s, "   stpe 3", "lab.cmd", 7), 0);
    ck_assert_str_eq(s.error, "lab.cmd:7:4: unknown command 'stpe', did you "
                              "mean 'step'?");
    ck_assert_int_lt(cmd_run_line(&s, "set machine.cpu 8", "x", 2), 0);
    ck_assert_str_eq(s.error, "x:2:5: unknown key 'machine.cpu', did you "
                              "mean 'machine.cpus'?");
    ck_assert_int_lt(cmd_run_line(&s, "set machine.cpus 65", "x", 3), 0);
    ck_assert_ptr_nonnull(strstr(s.error, "x:3:18: "));
    ck_assert_ptr_nonnull(strstr(s.error, "'65' is out of range (1..64)"));
}
END_TEST

START_TEST(test_comments_quotes_blank)
{
    ck_assert_int_eq(cmd_run_line(&s, "# only a comment", "x", 1), 0);
    ck_assert_int_eq(cmd_run_line(&s, "   ", "x", 2), 0);
    ck_assert_int_eq(cmd_run_line(&s, "echo \"two words\" # and a comment",
                                  "x", 3), 0);
    ck_assert_str_eq(output(), "two words\n");
    ck_assert_int_lt(cmd_run_line(&s, "echo \"open", "x", 4), 0);
    ck_assert_ptr_nonnull(strstr(s.error, "unterminated quote"));
}
END_TEST

START_TEST(test_set_forms_and_values)
{
    ck_assert_int_eq(cmd_run_line(&s, "set machine.cpus 8", "x", 1), 0);
    ck_assert_int_eq(s.cfg.machine.ncpus, 8);
    ck_assert_int_eq(cmd_run_line(&s, "set miniport.work=startio", "x", 2), 0);
    ck_assert_int_eq(s.cfg.miniport.work_in, MP_WORK_IN_STARTIO);
    ck_assert_int_eq(cmd_run_line(&s, "set miniport.cost-per-srb 8us", "x",
                                  3), 0);
    ck_assert_uint_eq(s.cfg.miniport.cost_per_srb, 8000);
    ck_assert_int_eq(cmd_run_line(&s, "set adapter.queue-depth 64", "x", 4), 0);
    ck_assert_uint_eq(s.cfg.hba.queue_depth, 64);
    ck_assert_int_lt(cmd_run_line(&s, "set miniport.duplex quarter", "x", 5),
                     0);
    ck_assert_ptr_nonnull(strstr(s.error, "full, half"));
    ck_assert_int_eq(cmd_run_line(&s, "set workload.bs 64k", "x", 6), 0);
    ck_assert_uint_eq(s.spec.bs, 65536);
    ck_assert_int_lt(cmd_run_line(&s, "lun add 0 9", "x", 7), 0);
    ck_assert_ptr_nonnull(strstr(s.error, "x:7:11: "));
}
END_TEST

START_TEST(test_script_stops_at_first_error)
{
    char path[] = "/tmp/storsim-cmd-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");

    fprintf(f, "# a lab script\nset machine.cpus 2\nset machine.sed 4\n"
               "set machine.cpus 3\n");
    fclose(f);
    ck_assert_int_lt(cmd_run_file(&s, path), 0);
    ck_assert_ptr_nonnull(strstr(s.error, ":3:5: unknown key 'machine.sed', "
                                          "did you mean 'machine.seed'?"));
    ck_assert_int_eq(s.cfg.machine.ncpus, 2);   /* line 4 never ran */
    unlink(path);
}
END_TEST

START_TEST(test_breakpoint_stops_in_startio)
{
    const struct sim_trace_event *ev;

    ck_assert_int_eq(cmd_run_line(&s, "boot", "x", 1), 0);
    ck_assert_int_eq(cmd_run_line(&s, "break routine HwStorStartIo", "x", 2),
                     0);
    ck_assert_int_eq(cmd_run_line(&s, "workload count=20 qd=2", "x", 3), 0);
    ck_assert_int_eq(cmd_run_line(&s, "workload start", "x", 4), 0);
    ck_assert_int_eq(cmd_run_line(&s, "run", "x", 5), 0);
    ck_assert_int_eq(s.hit_break, 1);
    ev = sim_trace_recent(0);
    ck_assert_str_eq(ev->routine, "HwStorStartIo");
    ck_assert_int_eq(ev->kind, SIM_EV_ENTER);
    /* Stopped inside StartIo: that CPU holds the StartIo lock right now. */
    ck_assert_int_eq(sim_cpu_get(ev->cpu)->nheld, 1);
    ck_assert_int_eq(cmd_run_line(&s, "delete 1", "x", 6), 0);
    ck_assert_int_eq(cmd_run_line(&s, "run", "x", 7), 0);
    ck_assert(s.have_last);
    ck_assert(s.last.ok);
    ck_assert_uint_eq(s.last.all.requests, 20);
}
END_TEST

/* 'break opcode' and 'break lun' stop where a matching request enters the
 * miniport, headless, from the trace alone; bad values are refused. */
START_TEST(test_breakpoints_on_opcode_and_lun)
{
    const struct sim_trace_event *ev;

    ck_assert_int_eq(cmd_run_line(&s, "boot", "x", 1), 0);
    ck_assert_int_eq(cmd_run_line(&s, "break opcode write10", "x", 2), 0);
    ck_assert_int_eq(cmd_run_line(&s, "workload count=40 qd=2 read=50", "x",
                                  3), 0);
    ck_assert_int_eq(cmd_run_line(&s, "workload start", "x", 4), 0);
    ck_assert_int_eq(cmd_run_line(&s, "run", "x", 5), 0);
    ck_assert_int_eq(s.hit_break, 1);
    ev = sim_trace_recent(0);
    ck_assert_int_eq(ev->kind, SIM_EV_SRB);
    ck_assert(ev->arg == PORT_SRB_BUILDIO || ev->arg == PORT_SRB_STARTIO);
    ck_assert_uint_eq(PORT_SRB_DESC_OPCODE(ev->arg2), 0x2A);
    ck_assert_int_eq(cmd_run_line(&s, "delete 1", "x", 6), 0);
    ck_assert_int_eq(cmd_run_line(&s, "break lun 1", "x", 7), 0);
    ck_assert_int_eq(cmd_run_line(&s, "run", "x", 8), 0);
    ck_assert_int_eq(s.hit_break, 2);
    ev = sim_trace_recent(0);
    ck_assert_int_eq(ev->kind, SIM_EV_SRB);
    ck_assert_uint_eq(PORT_SRB_DESC_LUN(ev->arg2), 1);
    ck_assert_int_lt(cmd_run_line(&s, "break opcode write11", "x", 9), 0);
    ck_assert_ptr_nonnull(strstr(s.error, "not an opcode"));
    ck_assert_int_lt(cmd_run_line(&s, "break lun 300", "x", 10), 0);
    ck_assert_ptr_nonnull(strstr(s.error, "not a LUN"));
    ck_assert_int_lt(cmd_run_line(&s, "break lun", "x", 11), 0);
    ck_assert_ptr_nonnull(strstr(s.error, "one argument"));
}
END_TEST

/* 'run' crosses a quiet stretch longer than its slice (each command takes
 * 5 ms on the device, with nothing else to do meanwhile) and finishes. */
START_TEST(test_run_crosses_quiet_stretches)
{
    ck_assert_int_eq(cmd_run_line(&s, "set adapter.command-time 5ms", "x", 1),
                     0);
    ck_assert_int_eq(cmd_run_line(&s, "set machine.cpus 1", "x", 2), 0);
    ck_assert_int_eq(cmd_run_line(&s, "workload count=10 qd=1", "x", 3), 0);
    ck_assert_int_eq(cmd_run_line(&s, "workload start", "x", 4), 0);
    ck_assert_int_eq(cmd_run_line(&s, "run", "x", 5), 0);
    ck_assert(s.have_last);
    ck_assert(s.last.ok);
    ck_assert_uint_eq(s.last.all.requests, 10);
    ck_assert_uint_ge(sim_now(), SIM_MS(50));
}
END_TEST

/* 'reset' in the middle of a workload throws both away cleanly (the
 * sanitizer build checks that nothing is touched after it is freed), and
 * the next boot runs a fresh workload. */
START_TEST(test_reset_mid_workload)
{
    ck_assert_int_eq(cmd_run_line(&s, "workload count=500 qd=8", "x", 1), 0);
    ck_assert_int_eq(cmd_run_line(&s, "workload start", "x", 2), 0);
    ck_assert_int_eq(cmd_run_line(&s, "step 3000", "x", 3), 0);
    ck_assert_ptr_nonnull(s.wl);
    ck_assert_int_eq(cmd_run_line(&s, "reset", "x", 4), 0);
    ck_assert_ptr_null(s.wl);
    ck_assert_ptr_null(s.st);
    ck_assert_int_eq(cmd_run_line(&s, "workload count=50 qd=2", "x", 5), 0);
    ck_assert_int_eq(cmd_run_line(&s, "workload start", "x", 6), 0);
    ck_assert_int_eq(cmd_run_line(&s, "run", "x", 7), 0);
    ck_assert(s.last.ok);
    ck_assert_uint_eq(s.last.all.requests, 50);
}
END_TEST

START_TEST(test_step_counts_events)
{
    uint64_t before;

    ck_assert_int_eq(cmd_run_line(&s, "boot", "x", 1), 0);
    ck_assert_int_eq(cmd_run_line(&s, "workload count=5", "x", 2), 0);
    ck_assert_int_eq(cmd_run_line(&s, "workload start", "x", 3), 0);
    before = sim_trace_count();
    ck_assert_int_eq(cmd_run_line(&s, "step 17", "x", 4), 0);
    ck_assert_uint_eq(sim_trace_count() - before, 17);
    ck_assert_int_lt(cmd_run_line(&s, "step zero", "x", 5), 0);
}
END_TEST

/* 'show srbs' lists exactly the requests in flight; 'show hba' reads every
 * register without a trace event or a side effect. */
START_TEST(test_show_srbs_and_hba)
{
    uint64_t before;
    uint32_t doorbell;
    char want[64];
    const char *p;
    int rows = 0;

    ck_assert_int_eq(cmd_run_line(&s, "workload count=200", "x", 1), 0);
    ck_assert_int_eq(cmd_run_line(&s, "boot", "x", 2), 0);
    ck_assert_int_eq(cmd_run_line(&s, "workload start", "x", 3), 0);
    ck_assert_int_eq(cmd_run_line(&s, "step 900", "x", 4), 0);
    ck_assert_uint_gt(s.st->pa->outstanding, 0);
    fflush(out);
    before = outlen;
    ck_assert_int_eq(cmd_run_line(&s, "show srbs", "x", 5), 0);
    for (p = output() + before; (p = strstr(p, " us\n")) != NULL; p++)
        rows++;                           /* each SRB's line ends in its age */
    ck_assert_int_eq(rows, (int)s.st->pa->outstanding);
    ck_assert_ptr_nonnull(strstr(output() + before, "READ(10)"));
    before = sim_trace_count();
    ck_assert_int_eq(cmd_run_line(&s, "show hba", "x", 6), 0);
    ck_assert_uint_eq(sim_trace_count(), before);        /* no reads */
    ck_assert_int_eq(hba_peek32(s.st->hba, SIMHBA_REG_REQ_DOORBELL,
                                &doorbell), 0);
    snprintf(want, sizeof want, "REQ_DOORBELL     0x%08X", doorbell);
    ck_assert_ptr_nonnull(strstr(output(), want));
    ck_assert_ptr_nonnull(strstr(output(), "PIO_DATA         (data port)"));
    ck_assert_int_eq(hba_peek32(s.st->hba, SIMHBA_REG_PIO_DATA, &doorbell),
                     -EAGAIN);
    ck_assert_int_eq(hba_peek32(s.st->hba, SIMHBA_REG_BUS_RESET, &doorbell),
                     -EPERM);
    ck_assert_int_eq(hba_peek32(s.st->hba, 0x3FC, &doorbell), -EINVAL);
    ck_assert_int_lt(cmd_run_line(&s, "show srb", "x", 7), 0);
    ck_assert_ptr_nonnull(strstr(s.error, "did you mean 'srbs'"));
}
END_TEST

START_TEST(test_scenarios_run)
{
    const struct cmd_scenario *sc = cmd_scenario_find("errors");

    ck_assert_ptr_nonnull(sc);
    ck_assert_int_eq(strncmp(sc->script, "# ", 2), 0);   /* what to watch */
    ck_assert_int_eq(cmd_run_scenario(&s, sc), 0);
    ck_assert(s.have_last);
    ck_assert(s.last.ok);                 /* errors, but nothing lost */
    ck_assert_uint_gt(s.last.srb_failed, 0);
    for (sc = cmd_scenarios; sc->name != NULL; sc++)
        ck_assert_msg(sc->script[0] == '#', "%s", sc->name);
}
END_TEST

/* Seed 003 as numbers: with the PIO deferred the serial port loses
 * nothing and the printer runs near its rate; with short transfers still
 * done in the ISR (the 'cap' fallback) the serial port overruns and the
 * printer waits. */
static void
pio_ports(const char *strategy, struct serial_stats *ss,
          struct parport_stats *ps)
{
    const struct cmd_scenario *sc = cmd_scenario_find("pio-mouse");

    snprintf(s.force[0].key, sizeof s.force[0].key, "miniport.pio-strategy");
    snprintf(s.force[0].value, sizeof s.force[0].value, "%s", strategy);
    s.nforce = 1;
    ck_assert_int_eq(cmd_run_scenario(&s, sc), 0);
    ck_assert(s.have_last && s.last.ok);
    ck_assert_ptr_nonnull(s.st->serial);
    ck_assert_ptr_nonnull(s.st->parallel);
    serial_get_stats(s.st->serial, ss);
    parport_get_stats(s.st->parallel, ps);
}

START_TEST(test_pio_scenario_serial_and_parallel_throughput)
{
    struct serial_stats defer_s, cap_s;
    struct parport_stats defer_p, cap_p;
    double defer_rate, cap_rate;

    pio_ports("defer", &defer_s, &defer_p);
    ck_assert_ptr_nonnull(strstr(output(), " lost in 0 overruns (100.0% "
                                           "received)"));
    ck_assert_ptr_nonnull(strstr(output(), "  parallel: "));
    ck_assert_ptr_nonnull(strstr(output(), "\ncom1         DIRQL4  edge  "));
    ck_assert_ptr_nonnull(strstr(output(), "\nlpt1         DIRQL3  edge  "));
    ck_assert_int_eq(cmd_run_line(&s, "show config", "x", 1), 0);
    ck_assert_ptr_nonnull(strstr(output(), "\ndevices: mouse (DIRQL 4), "
                                 "serial port (DIRQL 4, 115200 baud), "
                                 "parallel port (DIRQL 3, 100 KB/s)\n"));
    cmd_run_line(&s, "reset", "x", 1);
    pio_ports("cap", &cap_s, &cap_p);
    ck_assert_uint_gt(defer_s.received, 10000);
    ck_assert_uint_eq(defer_s.lost, 0);
    ck_assert_uint_gt(cap_s.lost, cap_s.offered / 20);   /* over 5% lost */
    ck_assert_uint_le(cap_s.offered - cap_s.received - cap_s.lost, 16);
    defer_rate = (double)defer_p.printed / (double)defer_p.printing;
    cap_rate = (double)cap_p.printed / (double)cap_p.printing;
    ck_assert_double_gt(defer_rate, 0.95 * 0.0001);   /* 100 KB/s in B/ns */
    ck_assert_double_lt(cap_rate, 0.85 * defer_rate);
}
END_TEST

/* Polled in the ISR, the PIO starves the other CPUs of the interrupt
 * lock until the DPC watchdog fires. The holder took it in port-driver
 * code and the spinner is in it too: the report says so rather than
 * "?:0". */
START_TEST(test_pio_polled_in_the_isr_trips_the_watchdog)
{
    const struct cmd_scenario *sc = cmd_scenario_find("pio-mouse");
    const struct sim_bugcheck_info *bc;
    char report[2048];

    snprintf(s.force[0].key, sizeof s.force[0].key, "miniport.pio-strategy");
    snprintf(s.force[0].value, sizeof s.force[0].value, "poll");
    s.nforce = 1;
    cmd_run_scenario(&s, sc);
    ck_assert_int_eq(s.exit_status, CMD_EXIT_BUGCHECK);
    bc = sim_bugcheck_info();
    ck_assert_ptr_nonnull(bc);
    ck_assert_uint_eq(bc->code, DPC_WATCHDOG_VIOLATION);
    sim_bugcheck_format(bc, report, sizeof report);
    ck_assert_ptr_nonnull(strstr(report, "source none (not in miniport "
                                         "code)"));
    ck_assert_ptr_nonnull(strstr(report, "(taken by the port driver or the "
                                         "kernel, not by a miniport line), "
                                         "which is working in "
                                         "HwScsiInterrupt"));
    ck_assert_ptr_null(strstr(report, "?:0"));
}
END_TEST

/* Under SCSI Port an error freezes the LU's queue; the workload, as a
 * class driver, releases it with SRB_FUNCTION_RELEASE_QUEUE, so the errors
 * scenario loses nothing there either. */
START_TEST(test_errors_scenario_under_scsiport)
{
    const struct cmd_scenario *sc = cmd_scenario_find("errors");
    struct scsiport_stats ss;

    snprintf(s.force[0].key, sizeof s.force[0].key, "adapter.port");
    snprintf(s.force[0].value, sizeof s.force[0].value, "scsiport");
    s.nforce = 1;
    ck_assert_int_eq(cmd_run_scenario(&s, sc), 0);
    ck_assert(s.have_last);
    ck_assert_msg(s.last.ok, "%s", s.last.first_problem);
    ck_assert_uint_eq(s.last.lost, 0);
    ck_assert_uint_gt(s.last.srb_failed, 100);
    ck_assert_ptr_nonnull(s.st);
    ck_assert_int_eq(s.st->model, PORT_MODEL_SCSIPORT);
    scsiport_get_stats(s.st->pa, &ss);
    ck_assert_uint_gt(ss.queue_freezes, 100);
}
END_TEST

START_TEST(test_help_and_markdown)
{
    ck_assert_int_eq(cmd_print_help(out, "set"), 0);
    ck_assert_ptr_nonnull(strstr(output(), "usage: set KEY VALUE"));
    ck_assert_int_eq(cmd_print_help(out, "nosuch"), -ENOENT);
    cmd_print_markdown(out);
    for (const struct cmd_entry *const *e = cmd_table; *e; e++) {
        char heading[64];
        snprintf(heading, sizeof heading, "\n## %s\n", (*e)->name);
        ck_assert_msg(strstr(output(), heading) != NULL, "%s", (*e)->name);
        ck_assert_ptr_nonnull((*e)->help);
        ck_assert_ptr_nonnull((*e)->usage);
    }
}
END_TEST

START_TEST(test_stats_and_trace_export)
{
    char path[] = "/tmp/storsim-trace-XXXXXX";
    int fd = mkstemp(path);
    char line[300];
    FILE *f;
    long size;

    close(fd);
    snprintf(line, sizeof line, "trace export %s", path);
    ck_assert_int_eq(cmd_run_line(&s, line, "x", 1), 0);
    ck_assert_int_lt(cmd_run_line(&s, "stats", "x", 2), 0);   /* no run yet */
    ck_assert_int_eq(cmd_run_line(&s, "workload count=200 qd=2", "x", 3), 0);
    ck_assert_int_eq(cmd_run_line(&s, "workload start", "x", 4), 0);
    ck_assert_int_eq(cmd_run_line(&s, "run", "x", 5), 0);
    ck_assert_ptr_nonnull(s.report);
    ck_assert_int_eq(cmd_run_line(&s, "stats json", "x", 6), 0);
    ck_assert_ptr_nonnull(strstr(output(), "\"storsim_stats\": 1"));
    ck_assert_int_eq(cmd_run_line(&s, "trace stop", "x", 7), 0);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    ck_assert_int_gt(size, 10000);               /* the whole run, with boot */
    ck_assert_int_eq(fgetc(f), '{');
    fclose(f);
    unlink(path);
}
END_TEST

/* docs/commands.md is `storsim help --markdown`: regenerate it when a
 * command changes (build/storsim help --markdown > docs/commands.md). */
START_TEST(test_reference_is_current)
{
    FILE *f = fopen("docs/commands.md", "r");
    char *want = NULL;
    size_t wantlen = 0;
    FILE *w = open_memstream(&want, &wantlen);
    char *have;
    long n;

    ck_assert_msg(f != NULL, "docs/commands.md is missing");
    cmd_print_markdown(w);
    fclose(w);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    have = calloc(1, (size_t)n + 1);
    ck_assert_uint_eq(fread(have, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    ck_assert_msg(strcmp(have, want) == 0, "docs/commands.md is out of date: "
                  "run build/storsim help --markdown > docs/commands.md");
    free(have);
    free(want);
}
END_TEST

START_TEST(test_suggest)
{
    const char *const words[] = { "latency", "bs", "qd", "count", NULL };

    ck_assert_str_eq(cmd_suggest("latncy", words), "latency");
    ck_assert_str_eq(cmd_suggest("cuont", words), "count");
    ck_assert_ptr_null(cmd_suggest("zebra", words));
}
END_TEST

Suite *
cmd_suite(void)
{
    Suite *su = suite_create("cmd");
    TCase *tc = tcase_create("language");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_error_location_and_suggestion);
    tcase_add_test(tc, test_comments_quotes_blank);
    tcase_add_test(tc, test_set_forms_and_values);
    tcase_add_test(tc, test_script_stops_at_first_error);
    tcase_add_test(tc, test_help_and_markdown);
    tcase_add_test(tc, test_suggest);
    tcase_add_test(tc, test_reference_is_current);
    suite_add_tcase(su, tc);
    tc = tcase_create("running");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_breakpoint_stops_in_startio);
    tcase_add_test(tc, test_breakpoints_on_opcode_and_lun);
    tcase_add_test(tc, test_step_counts_events);
    tcase_add_test(tc, test_show_srbs_and_hba);
    tcase_add_test(tc, test_scenarios_run);
    tcase_add_test(tc, test_errors_scenario_under_scsiport);
    tcase_add_test(tc, test_pio_scenario_serial_and_parallel_throughput);
    tcase_add_test(tc, test_pio_polled_in_the_isr_trips_the_watchdog);
    tcase_add_test(tc, test_run_crosses_quiet_stretches);
    tcase_add_test(tc, test_reset_mid_workload);
    tcase_add_test(tc, test_stats_and_trace_export);
    suite_add_tcase(su, tc);
    return su;
}
