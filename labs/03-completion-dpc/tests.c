/* tests.c: lab 03, the completion DPC. Each test runs the whole simulator
 * with the student's MpHwCompletionDpc in place of the reference one,
 * counting simulated time only.
 */
#include <check.h>
#include <stdio.h>

#include "labs/grader/lab.h"
#include "storsim/verifier.h"

const char lab_name[] = "03-completion-dpc";

static void
expect_every_request(const char *const *lines, unsigned long long count)
{
    const struct cmd_session *s = lab_run(lines);

    ck_assert_msg(s->have_last, "the workload never finished:\n%s",
                  lab_output());
    ck_assert_msg(s->last.ok && s->last.lost == 0 && s->last.duplicated == 0 &&
                  s->last.all.failed == 0 && s->last.all.requests == count,
                  "%llu of %llu requests completed (%llu failed), %llu lost, "
                  "%llu completed twice: %s",
                  (unsigned long long)s->last.all.requests, count,
                  (unsigned long long)s->last.all.failed,
                  (unsigned long long)s->last.lost,
                  (unsigned long long)s->last.duplicated,
                  s->last.first_problem);
    lab_end();
}

START_TEST(test_every_request_completes_with_its_data)
{
    static const char *const lines[] = {
        "boot", "workload count=2000 qd=8 read=70 timeout=2",
        "workload start", "run", NULL };

    expect_every_request(lines, 2000);
}
END_TEST

START_TEST(test_no_verifier_findings)
{
    static const char *const lines[] = {
        "boot", "workload count=2000 qd=8 read=70 timeout=2",
        "workload start", "run", NULL };

    lab_run(lines);
    ck_assert_msg(verifier_count() == 0, "the verifier reported %zu "
                  "finding(s); the first: %s: %s", verifier_count(),
                  verifier_count() ? verifier_finding(0)->rule->id : "",
                  verifier_count() ? verifier_finding(0)->why : "");
    lab_end();
}
END_TEST

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

    expect_every_request(lines, 4000);
}
END_TEST

void
lab_register(struct lab *lab)
{
    LAB_TEST(lab, test_every_request_completes_with_its_data, 4,
             "the DPC takes the completions the ISR queued (under the "
             "interrupt lock, MpTakeDone) and finishes each SRB (MpFinish)");
    LAB_TEST(lab, test_no_verifier_findings, 2,
             "a DPC runs at DISPATCH_LEVEL: locks it takes it releases, in "
             "reverse order, and every SRB is completed once, with a final "
             "status");
    LAB_TEST(lab, test_takes_every_completion_of_a_coalesced_interrupt, 4,
             "one DPC run may have to take several batches: loop until the "
             "queue is empty; the DPC is queued once however many "
             "completions wait");
}
