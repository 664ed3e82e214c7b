/* tests.c: lab 02, the interrupt service routine. Each test runs the whole
 * simulator with the student's MpHwInterrupt in place of the reference
 * one, counting simulated time only.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "labs/grader/lab.h"

const char lab_name[] = "02-interrupt";

/* The same ISR serves SCSI Port, where StartIo waits for the interrupt to
 * free a slot before it asks for the next request. */
START_TEST(test_scsiport_requests_complete)
{
    static const char *const lines[] = {
        "set adapter.port scsiport", "boot",
        "workload count=1000 qd=4 read=70 timeout=2", "workload start", "run",
        NULL };

    lab_expect_every_request(lab_run(lines), 1000);
    lab_end();
}
END_TEST

/* The bus resets under the HBA's feet (not at the port's request). The
 * HBA says so with SIMHBA_INTR_BUS_RESET; the ISR must tell the port
 * (ResetDetected), which holds its queues for the reset hold time. */
static int holds;

static void
count_holds(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == SIM_EV_TIMER_SET && ev->detail != NULL &&
        strcmp(ev->detail, "StorPortHoldTimer") == 0)
        holds++;
}

START_TEST(test_passes_on_a_bus_reset)
{
    static const char *const boot[] = { "boot", NULL };
    static const char *const rest[] = {
        "fault add bus-reset count=1", "workload count=1000 qd=4 timeout=2",
        "workload start", "run", NULL };
    struct cmd_session *s = lab_run(boot);

    holds = 0;
    sim_trace_subscribe(count_holds, NULL);
    for (int i = 0; rest[i] != NULL; i++)
        ck_assert_msg(cmd_run_line(s, rest[i], "lab", i + 2) == 0, "%s: %s",
                      rest[i], s->error);
    ck_assert_msg(holds >= 1, "the port never heard of the bus reset: it "
                  "did not hold its queues");
    ck_assert_msg(s->have_last && s->last.ok && s->last.lost == 0,
                  "requests were lost or damaged after the reset: %s",
                  s->have_last ? s->last.first_problem : lab_output());
    lab_end();
}
END_TEST

void
lab_register(struct lab *lab)
{
    lab_default_tests(lab, 4,
                      "the ISR reads INTR_STATUS, clears what it read (write "
                      "1 to clear), takes the completion ring's new entries "
                      "and queues the DPC that finishes them",
                      2,
                      "an ISR runs at DIRQL holding the interrupt lock: "
                      "short, no pool, no other locks; returning FALSE means "
                      "'not mine'");
    LAB_TEST(lab, test_scsiport_requests_complete, 2,
             "one ISR for both ports: under SCSI Port the miniport finishes "
             "requests from the ISR itself (there is no miniport DPC)");
    LAB_TEST(lab, test_passes_on_a_bus_reset, 2,
             "INTR_STATUS has more than completions in it: a bus reset must "
             "be passed on with ResetDetected");
}
