/* tests.c: lab 03, the completion DPC. Each test runs the whole simulator
 * with the student's MpHwCompletionDpc in place of the reference one,
 * counting simulated time only.
 */
#include <check.h>
#include <stdio.h>

#include "labs/grader/lab.h"

const char lab_name[] = "03-completion-dpc";

/* Interrupt coalescing: one interrupt, and one DPC, for up to 100
 * completions; the DPC must take every entry there is, a batch of 32 at a
 * time. */
START_TEST(test_takes_every_completion_of_a_coalesced_interrupt)
{
    static const char *const lines[] = {
        "set adapter.queue-depth=256", "set adapter.coalesce-count=100",
        "set adapter.coalesce-time=100us",
        "boot", "workload count=4000 qd=32 read=70 timeout=2",
        "workload start", "run", NULL };

    lab_expect_every_request(lab_run(lines), 4000);
    lab_end();
}
END_TEST

void
lab_register(struct lab *lab)
{
    lab_default_tests(lab, 4,
                      "the DPC takes the completions the ISR queued (under "
                      "the interrupt lock, MpTakeDone) and finishes each SRB "
                      "(MpFinish)",
                      2,
                      "a DPC runs at DISPATCH_LEVEL: locks it takes it "
                      "releases, in reverse order, and every SRB is completed "
                      "once, with a final status");
    LAB_TEST(lab, test_takes_every_completion_of_a_coalesced_interrupt, 4,
             "one DPC run may have to take several batches: loop until the "
             "queue is empty; the DPC is queued once however many "
             "completions wait");
}
