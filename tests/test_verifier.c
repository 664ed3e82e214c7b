/* test_verifier.c: every rule the bug catalogue exercises is caught by
 * exactly that rule; the reference miniport runs every built-in scenario
 * with no finding; the trace rules on hand-made callbacks. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/cmd.h"
#include "storsim/verifier.h"
#include "tests/sim_helpers.h"

/* ---------- through the command language, on the whole stack ---------- */

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

static void
run_lines(const char *const *lines)
{
    for (int i = 0; lines[i] != NULL; i++)
        ck_assert_msg(cmd_run_line(&s, lines[i], "t", i + 1) == 0, "%s: %s",
                      lines[i], s.error);
}

/* Exactly one finding, of rule `id`, in a miniport routine. */
static const struct verifier_finding *
expect_only(const char *id)
{
    const struct verifier_finding *f;

    fflush(out);
    ck_assert_msg(verifier_count() == 1, "%zu findings, expected 1 of %s:\n%s",
                  verifier_count(), id, outbuf);
    f = verifier_finding(0);
    ck_assert_str_eq(f->rule->id, id);
    return f;
}

static void
run_bug(const char *bug)
{
    char line[96];
    const char *lines[] = { "boot", line, "workload count=200 qd=4 timeout=2",
                            "workload start", "run", NULL };

    snprintf(line, sizeof line, "bug on %s", bug);
    run_lines(lines);
}

/* run_bug() with a setting first (NULL: none) and `count` SRBs: 150 make
 * a bug that hits every 100th SRB hit exactly once. */
static void
run_bug_with(const char *bug, const char *set, int count)
{
    char line[96], wl[96];
    const char *lines[] = { set ? set : "# defaults", "boot", line, wl,
                            "workload start", "run", NULL };

    snprintf(line, sizeof line, "bug on %s", bug);
    snprintf(wl, sizeof wl, "workload count=%d qd=4 timeout=2", count);
    run_lines(lines);
}

/* Exactly one bug-check finding of rule `id` in `routine`, in the miniport. */
static const struct verifier_finding *
expect_bugcheck(const char *id, const char *routine)
{
    const struct verifier_finding *f = expect_only(id);

    ck_assert_str_eq(f->routine, routine);
    ck_assert_ptr_nonnull(f->file);
    ck_assert_ptr_nonnull(strstr(f->file, "miniport/"));
    ck_assert_int_eq(f->rule->severity, VERIFIER_BUGCHECK);
    ck_assert_int_eq(s.exit_status, CMD_EXIT_BUGCHECK);
    return f;
}

START_TEST(test_dpc_lock_twice)
{
    const struct verifier_finding *f;

    run_bug("dpc-lock-twice");
    f = expect_bugcheck("lock-double-acquire", "HwStorDpcRoutine");
    ck_assert_ptr_nonnull(strstr(f->locks, "DpcLock"));
}
END_TEST

START_TEST(test_dpc_keeps_lock)
{
    const struct verifier_finding *f;

    run_bug("dpc-keeps-lock");
    f = expect_bugcheck("lock-held-at-return", "HwStorDpcRoutine");
    ck_assert_ptr_nonnull(strstr(f->why, "DpcLock"));
}
END_TEST

START_TEST(test_dpc_release_twice)
{
    run_bug("dpc-release-twice");
    expect_bugcheck("lock-release-not-held", "HwStorDpcRoutine");
}
END_TEST

START_TEST(test_complete_pending)
{
    const struct verifier_finding *f;

    run_bug("complete-pending");
    f = expect_bugcheck("srb-bad-status", "HwStorDpcRoutine");
    ck_assert_ptr_nonnull(strstr(f->why, "SRB_STATUS_PENDING"));
}
END_TEST

START_TEST(test_complete_unknown)
{
    run_bug("complete-unknown");
    expect_bugcheck("srb-unknown", "HwStorDpcRoutine");
}
END_TEST

START_TEST(test_slow_dpc)
{
    const struct verifier_finding *f;

    run_bug_with("slow-dpc", NULL, 150);
    f = expect_only("time-dpc");
    ck_assert_str_eq(f->routine, "HwStorDpcRoutine");
    ck_assert_int_eq(f->rule->severity, VERIFIER_WARNING);
    ck_assert_int_eq(s.exit_status, CMD_EXIT_FINDINGS);
}
END_TEST

START_TEST(test_long_stall)
{
    const struct verifier_finding *f;

    run_bug_with("long-stall", NULL, 150);
    f = expect_only("time-stall");
    ck_assert_str_eq(f->routine, "HwStorStartIo");
    ck_assert_ptr_nonnull(strstr(f->why, "StorPortStallExecution(200)"));
    ck_assert_uint_gt(f->srb, 0);
    ck_assert_int_eq(s.exit_status, CMD_EXIT_FINDINGS);
}
END_TEST

START_TEST(test_pool_in_isr)
{
    const struct verifier_finding *f;

    run_bug("pool-in-isr");
    f = expect_bugcheck("irql-pool", "HwStorInterrupt");
    ck_assert_int_gt(f->irql, DISPATCH_LEVEL);
}
END_TEST

START_TEST(test_startio_lock_in_startio)
{
    const struct verifier_finding *f;

    run_bug("startio-lock-in-startio");
    f = expect_bugcheck("lock-not-allowed", "HwStorStartIo");
    ck_assert_ptr_nonnull(strstr(f->why, "StartIoLock"));
}
END_TEST

START_TEST(test_half_duplex_lock)
{
    const struct verifier_finding *f;

    run_bug_with("half-duplex-lock", "set miniport.duplex half", 200);
    f = expect_bugcheck("lock-half-duplex-startio", "HwStorStartIo");
    ck_assert_ptr_nonnull(strstr(f->locks, "InterruptLock"));
}
END_TEST

START_TEST(test_half_duplex_lock_needs_half_duplex)
{
    run_bug("half-duplex-lock");        /* full duplex: the bug stays off */
    ck_assert_uint_eq(verifier_count(), 0);
    ck_assert_int_eq(s.exit_status, CMD_EXIT_OK);
}
END_TEST

START_TEST(test_complete_posted)
{
    const struct verifier_finding *f;

    run_bug("complete-posted");
    f = expect_bugcheck("srb-completed-hw-owned", "HwStorStartIo");
    ck_assert_uint_gt(f->srb, 0);
}
END_TEST

START_TEST(test_lose_srb)
{
    const struct verifier_finding *f;

    run_bug_with("lose-srb", NULL, 150);
    f = expect_only("srb-timeout");
    ck_assert_uint_gt(f->srb, 0);
    ck_assert_ptr_nonnull(strstr(f->why, "not completed"));
    ck_assert_int_eq(f->rule->severity, VERIFIER_WARNING);
    ck_assert_int_eq(s.exit_status, CMD_EXIT_FINDINGS);
}
END_TEST

START_TEST(test_bad_register)
{
    const struct verifier_finding *f;

    run_bug("bad-register");
    f = expect_bugcheck("port-misuse", "HwStorStartIo");
    ck_assert_ptr_nonnull(strstr(f->why, "StorPortReadRegisterUlong"));
}
END_TEST

/* Under Storport a DMA miniport's read/write DataBuffer is not mapped:
 * touching it stops the machine (0xD1 at DISPATCH_LEVEL), named. */
START_TEST(test_touch_data_buffer)
{
    const struct verifier_finding *f;
    const struct sim_bugcheck_info *bc;

    run_bug("touch-data-buffer");
    f = expect_only("srb-databuffer-unmapped");
    ck_assert_str_eq(f->routine, "HwStorStartIo");
    ck_assert_uint_gt(f->srb, 0);
    ck_assert_int_eq(s.exit_status, CMD_EXIT_BUGCHECK);
    bc = sim_bugcheck_info();
    ck_assert_ptr_nonnull(bc);
    ck_assert_uint_eq(bc->code, DRIVER_IRQL_NOT_LESS_OR_EQUAL);
    ck_assert(sim_is_unmapped(bc->param[0]));
}
END_TEST

START_TEST(test_bad_pointer)
{
    const struct verifier_finding *f;

    run_bug("bad-pointer");
    f = expect_only("memory-fault");
    ck_assert_str_eq(f->routine, "HwStorStartIo");
    ck_assert_ptr_nonnull(strstr(f->why, "bad pointer"));
    ck_assert_int_eq(s.exit_status, CMD_EXIT_BUGCHECK);
    ck_assert_uint_eq(sim_bugcheck_info()->param[0], 0x10);
}
END_TEST

START_TEST(test_raise_no_lower)
{
    const struct verifier_finding *f;

    run_bug("raise-no-lower");
    f = expect_bugcheck("irql-callback-return", "HwStorStartIo");
    ck_assert_ptr_nonnull(strstr(f->why, "DISPATCH_LEVEL"));
}
END_TEST

/* HwStorDpcRoutine is the DPC's own deferred routine, so the kernel, not
 * the port, finds the raised IRQL: when the DPC retires. */
START_TEST(test_dpc_raise_no_lower)
{
    const struct verifier_finding *f;

    run_bug("dpc-raise-no-lower");
    f = expect_bugcheck("irql-activation-return", "HwStorDpcRoutine");
    ck_assert_int_eq(sim_bugcheck_info()->code, IRQL_UNEXPECTED_VALUE);
    ck_assert_ptr_nonnull(strstr(f->why, "DISPATCH_LEVEL"));
}
END_TEST

/* StartIo: StartIoLock (the port's), then DpcLock; the DPC: DpcLock, then
 * StartIoLock. Each order is allowed alone ("DPC or StartIo" share a
 * place), so no order rule fires: the two CPUs deadlock. */
START_TEST(test_startio_dpc_abba)
{
    const struct verifier_finding *f;

    run_bug_with("startio-dpc-abba", "set miniport.duplex=full", 2000);
    f = expect_only("lock-deadlock");
    ck_assert_int_eq(f->rule->severity, VERIFIER_BUGCHECK);
    ck_assert_int_eq(s.exit_status, CMD_EXIT_BUGCHECK);
    ck_assert_ptr_nonnull(strstr(f->why, "StartIoLock"));
    ck_assert_ptr_nonnull(strstr(f->why, "DpcLock"));
}
END_TEST

/* An ISR that never dismisses its level-triggered interrupt: the machine
 * stops the storm instead of hanging. */
START_TEST(test_isr_never_claims)
{
    const struct verifier_finding *f;

    run_bug("isr-never-claims");
    f = expect_only("interrupt-storm");
    ck_assert_int_eq(sim_bugcheck_info()->code, HARDWARE_INTERRUPT_STORM);
    ck_assert_int_eq(s.exit_status, CMD_EXIT_BUGCHECK);
    ck_assert_ptr_nonnull(strstr(f->why, "returned FALSE"));
}
END_TEST

START_TEST(test_raise_to_lower)
{
    const struct verifier_finding *f;

    run_bug("raise-to-lower");
    f = expect_bugcheck("irql-raise-lower", "HwStorStartIo");
    ck_assert_int_eq(sim_bugcheck_info()->code, IRQL_NOT_GREATER_OR_EQUAL);
    ck_assert_ptr_nonnull(strstr(f->file, "miniport/io.c"));
}
END_TEST

START_TEST(test_release_out_of_order)
{
    const struct verifier_finding *f;

    run_bug("release-out-of-order");
    f = expect_bugcheck("lock-release-irql", "HwStorDpcRoutine");
    ck_assert_ptr_nonnull(strstr(f->why, "DpcLock"));
    ck_assert_int_gt(f->irql, DISPATCH_LEVEL);
}
END_TEST

START_TEST(test_dpc_spins)
{
    const struct verifier_finding *f;

    run_bug("dpc-spins");
    f = expect_bugcheck("watchdog", "HwStorDpcRoutine");
    ck_assert_ptr_nonnull(strstr(f->why, "DPC_WATCHDOG_VIOLATION"));
}
END_TEST

START_TEST(test_buildio_shared_write)
{
    const struct verifier_finding *f;

    run_bug("buildio-writes-shared");
    f = expect_only("buildio-shared-write");
    ck_assert_str_eq(f->routine, "HwStorBuildIo");
    ck_assert_ptr_nonnull(strstr(f->why, "SharedBuildIoCount"));
    ck_assert_ptr_nonnull(strstr(f->file, "miniport/"));
    ck_assert_int_ge(f->cpu, 0);
    ck_assert_uint_gt(f->srb, 0);
    ck_assert_int_eq(s.exit_status, CMD_EXIT_BUGCHECK);
}
END_TEST

START_TEST(test_lock_order)
{
    const struct verifier_finding *f;

    run_bug("lock-order");
    f = expect_only("lock-order");
    ck_assert_str_eq(f->routine, "HwStorDpcRoutine");
    ck_assert_ptr_nonnull(strstr(f->locks, "InterruptLock"));
}
END_TEST

START_TEST(test_complete_twice)
{
    run_bug("complete-twice");
    expect_only("srb-completed-twice");
}
END_TEST

START_TEST(test_buildio_false_no_complete)
{
    run_bug("buildio-false-no-complete");
    expect_only("buildio-false-no-complete");
    ck_assert_int_eq(verifier_finding(0)->rule->severity, VERIFIER_WARNING);
    ck_assert_int_eq(s.exit_status, CMD_EXIT_FINDINGS);
}
END_TEST

/* The SCSI Port side's deliberate bugs, each caught by exactly its rule. */
static void
run_scsiport_bug(const char *bug, bool pio)
{
    char line[96];
    const char *lines[] = { "set adapter.port scsiport",
                            pio ? "set miniport.pio on" : "# DMA",
                            "set miniport.tagged-queuing off", "boot", line,
                            "workload count=200 qd=4 timeout=2",
                            "workload start", "run", NULL };

    snprintf(line, sizeof line, "bug on %s", bug);
    run_lines(lines);
}

START_TEST(test_scsiport_forget_next_request)
{
    const struct verifier_finding *f;

    run_scsiport_bug("forget-next-request", false);
    f = expect_only("scsiport-next-request");
    ck_assert_uint_gt(f->srb, 0);           /* the StartIo that forgot */
    ck_assert_ptr_nonnull(strstr(f->why, "NextRequest"));
    ck_assert_int_eq(s.exit_status, CMD_EXIT_BUGCHECK);
}
END_TEST

START_TEST(test_scsiport_next_lu_untagged)
{
    const struct verifier_finding *f;

    run_scsiport_bug("next-lu-untagged", false);
    f = expect_only("scsiport-next-lu-untagged");
    ck_assert_ptr_nonnull(strstr(f->file, "miniport/"));
    ck_assert_int_ge(f->cpu, 0);
    ck_assert_int_eq(s.exit_status, CMD_EXIT_BUGCHECK);
}
END_TEST

START_TEST(test_scsiport_pio_poll_in_isr)
{
    const struct verifier_finding *f;

    run_scsiport_bug("pio-poll-in-isr", true);
    ck_assert_uint_ge(verifier_count(), 10);
    for (size_t i = 0; verifier_finding(i) != NULL; i++)
        ck_assert_str_eq(verifier_finding(i)->rule->id, "time-isr");
    f = verifier_finding(0);
    ck_assert_str_eq(f->routine, "HwScsiInterrupt");
    ck_assert_ptr_nonnull(strstr(f->file, "miniport/pio.c"));
    ck_assert_int_eq(s.exit_status, CMD_EXIT_FINDINGS);
    /* The report prints a few in full and counts the rest. */
    fflush(out);
    ck_assert_ptr_nonnull(strstr(outbuf, "more time-isr findings"));
}
END_TEST

START_TEST(test_scsiport_forget_disable_interrupts)
{
    const struct verifier_finding *f;

    run_scsiport_bug("forget-disable-interrupts", true);
    f = expect_only("scsiport-enable-no-disable");
    ck_assert_str_eq(f->routine, "HwScsiEnableInterruptsCallback");
    ck_assert_int_eq(s.exit_status, CMD_EXIT_BUGCHECK);
}
END_TEST

/* 'verifier stop on': a warning stops the run like a breakpoint, with the
 * finding reported; 'run' goes on to the next one. */
START_TEST(test_stop_on_warning)
{
    const char *lines[] = { "set adapter.port scsiport", "set miniport.pio on",
                            "boot", "bug on pio-poll-in-isr", "verifier stop on",
                            "workload count=200 qd=4", "workload start",
                            "run", NULL };
    sim_time_t first;

    run_lines(lines);
    ck_assert_uint_eq(verifier_count(), 1);
    ck_assert_ptr_nonnull(s.wl);              /* the workload is not done */
    first = sim_now();
    ck_assert_int_eq(cmd_run_line(&s, "run", "t", 9), 0);
    ck_assert_uint_eq(verifier_count(), 2);
    ck_assert_uint_gt(sim_now(), first);
    fflush(out);
    ck_assert_ptr_nonnull(strstr(outbuf, "stopped at a verifier finding"));
    ck_assert_int_eq(cmd_run_line(&s, "verifier stop off", "t", 10), 0);
    ck_assert(!verifier_stop());
    ck_assert_int_eq(cmd_run_line(&s, "run", "t", 11), 0);
    ck_assert_uint_gt(verifier_count(), 10);  /* counted to the end */
    ck_assert_ptr_null(s.wl);
}
END_TEST

START_TEST(test_disabled_rule_is_silent)
{
    const char *lines[] = { "verifier disable buildio-shared-write", NULL };

    run_lines(lines);
    run_bug("buildio-writes-shared");
    ck_assert_uint_eq(verifier_count(), 0);
    ck_assert_int_eq(s.exit_status, CMD_EXIT_OK);
    ck_assert_int_eq(verifier_set_enabled("buildio-shared-write", true), 0);
    ck_assert_int_eq(verifier_set_enabled("no-such-rule", true), -ENOENT);
}
END_TEST

START_TEST(test_scenarios_are_clean)
{
    const struct cmd_scenario *sc = &cmd_scenarios[_i];

    ck_assert_int_eq(cmd_run_scenario(&s, sc), 0);
    ck_assert_msg(verifier_count() == 0, "scenario %s: %zu findings",
                  sc->name, verifier_count());
    ck_assert_int_eq(s.exit_status, CMD_EXIT_OK);
}
END_TEST

/* ---------- trace rules on hand-made callbacks ---------- */

static struct sim_thread_item item;
static struct sim_spinlock lock;

static void
return_holding(void *ctx)
{
    (void)ctx;
    sim_routine_enter("HwTestRoutine", SIM_HERE);
    sim_lock_acquire(&lock, SIM_HERE);
    sim_routine_exit(SIM_HERE);
}

START_TEST(test_lock_held_at_return)
{
    sim_test_begin(1, 0);
    ck_assert_int_eq(verifier_attach(), 0);
    sim_lock_init(&lock, "TestLock", DISPATCH_LEVEL, 0);
    sim_cpu_post(&item, 0, return_holding, NULL, "t", 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_BUGCHECK);
    ck_assert_uint_eq(verifier_count(), 1);
    ck_assert_str_eq(verifier_finding(0)->rule->id, "lock-held-at-return");
    ck_assert_ptr_nonnull(strstr(verifier_finding(0)->why, "TestLock"));
    sim_test_end();
}
END_TEST

static void
slow_dpc_routine(struct sim_dpc *d, void *ctx, void *a1, void *a2)
{
    (void)d; (void)ctx; (void)a1; (void)a2;
    sim_routine_enter("HwStorDpcRoutine", SIM_HERE);
    sim_work(SIM_US(150), SIM_HERE);
    sim_routine_exit(SIM_HERE);
}

static struct sim_dpc dpc;

static void
queue_dpc(void *ctx)
{
    (void)ctx;
    sim_dpc_queue(&dpc, NULL, NULL);
}

START_TEST(test_time_dpc)
{
    sim_test_begin(1, 0);
    ck_assert_int_eq(verifier_attach(), 0);
    sim_dpc_init(&dpc, "SlowDpc", slow_dpc_routine, NULL);
    sim_cpu_post(&item, 0, queue_dpc, NULL, "t", 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);   /* a warning: runs on */
    ck_assert_uint_eq(verifier_count(), 1);
    ck_assert_str_eq(verifier_finding(0)->rule->id, "time-dpc");
    sim_test_end();
}
END_TEST

static struct sim_interrupt intr;
static struct sim_event fire_ev;

static bool
slow_isr(void *ctx)
{
    (void)ctx;
    sim_routine_enter("HwStorInterrupt", SIM_HERE);
    sim_work(SIM_US(80), SIM_HERE);
    sim_routine_exit(SIM_HERE);
    return true;
}

static void
fire(struct sim_event *ev)
{
    (void)ev;
    sim_interrupt_signal(&intr);
}

START_TEST(test_time_isr)
{
    sim_test_begin(1, 0);
    ck_assert_int_eq(verifier_attach(), 0);
    sim_interrupt_connect(&intr, "slow", 5, SIM_IRQ_EDGE, 0, slow_isr, NULL);
    sim_event_init(&fire_ev, fire, "fire");
    sim_event_schedule(&fire_ev, SIM_US(1));
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_uint_eq(verifier_count(), 1);
    ck_assert_str_eq(verifier_finding(0)->rule->id, "time-isr");
    ck_assert_int_eq(verifier_finding(0)->irql, 5);
    sim_test_end();
}
END_TEST

START_TEST(test_rules_documented)
{
    size_t n;
    const struct verifier_rule *r = verifier_rules(&n);

    ck_assert_uint_ge(n, 20);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(r[i].source != NULL && strlen(r[i].source) > 5, "%s",
                      r[i].id);
        ck_assert_msg(strlen(r[i].explain) > 40, "%s", r[i].id);
        for (size_t k = i + 1; k < n; k++)
            ck_assert_str_ne(r[i].id, r[k].id);
    }
}
END_TEST

Suite *
verifier_suite(void)
{
    Suite *su = suite_create("verifier");
    TCase *tc = tcase_create("catalogue");
    int nscen = 0;

    while (cmd_scenarios[nscen].name != NULL)
        nscen++;
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_buildio_shared_write);
    tcase_add_test(tc, test_lock_order);
    tcase_add_test(tc, test_complete_twice);
    tcase_add_test(tc, test_buildio_false_no_complete);
    tcase_add_test(tc, test_disabled_rule_is_silent);
    tcase_add_test(tc, test_stop_on_warning);
    tcase_add_test(tc, test_scsiport_forget_next_request);
    tcase_add_test(tc, test_scsiport_next_lu_untagged);
    tcase_add_test(tc, test_scsiport_pio_poll_in_isr);
    tcase_add_test(tc, test_scsiport_forget_disable_interrupts);
    tcase_add_test(tc, test_dpc_lock_twice);
    tcase_add_test(tc, test_dpc_keeps_lock);
    tcase_add_test(tc, test_dpc_release_twice);
    tcase_add_test(tc, test_complete_pending);
    tcase_add_test(tc, test_complete_unknown);
    tcase_add_test(tc, test_slow_dpc);
    tcase_add_test(tc, test_long_stall);
    tcase_add_test(tc, test_pool_in_isr);
    tcase_add_test(tc, test_startio_lock_in_startio);
    tcase_add_test(tc, test_half_duplex_lock);
    tcase_add_test(tc, test_half_duplex_lock_needs_half_duplex);
    tcase_add_test(tc, test_complete_posted);
    tcase_add_test(tc, test_lose_srb);
    tcase_add_test(tc, test_bad_register);
    tcase_add_test(tc, test_release_out_of_order);
    tcase_add_test(tc, test_touch_data_buffer);
    tcase_add_test(tc, test_bad_pointer);
    tcase_add_test(tc, test_raise_no_lower);
    tcase_add_test(tc, test_raise_to_lower);
    tcase_add_test(tc, test_dpc_raise_no_lower);
    tcase_add_test(tc, test_startio_dpc_abba);
    tcase_add_test(tc, test_isr_never_claims);
    tcase_add_test(tc, test_dpc_spins);
    tcase_add_loop_test(tc, test_scenarios_are_clean, 0, nscen);
    suite_add_tcase(su, tc);
    tc = tcase_create("trace-rules");
    tcase_add_test(tc, test_lock_held_at_return);
    tcase_add_test(tc, test_time_dpc);
    tcase_add_test(tc, test_time_isr);
    tcase_add_test(tc, test_rules_documented);
    suite_add_tcase(su, tc);
    return su;
}
