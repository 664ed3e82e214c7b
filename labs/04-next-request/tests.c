/* tests.c: lab 04, asking SCSI Port for the next request. Each test runs
 * the whole simulator, under the SCSI Port model, with the student's
 * MpAskForNextRequest in place of the reference one, counting simulated
 * time only.
 */
#include <check.h>
#include <stdio.h>

#include "labs/grader/lab.h"
#include "storsim/port.h"

const char lab_name[] = "04-next-request";

/* The most requests of LUN 0 the HBA had at once. */
static int on_hba, on_hba_max;

static void
count_on_hba(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind != SIM_EV_SRB || PORT_SRB_DESC_LUN(ev->arg2) != 0)
        return;
    if (ev->arg == PORT_SRB_ON_HBA && ++on_hba > on_hba_max)
        on_hba_max = on_hba;
    else if (ev->arg == PORT_SRB_NOTIFIED && on_hba > 0)
        on_hba--;
}

/* A SCSI Port workload of `count` requests on LUN 0 (and LUN 1 unless
 * `one_lun`), watched from the first request. */
static const struct cmd_session *
run_scsiport(unsigned count, int one_lun)
{
    static const char *const boot[] = { "set adapter.port scsiport", "boot",
                                        NULL };
    char wl[128];
    const char *rest[] = { wl, "workload start", "run", NULL };
    struct cmd_session *s = lab_run(boot);

    snprintf(wl, sizeof wl, "workload count=%u qd=8 read=70 timeout=2%s",
             count, one_lun ? " luns=0" : "");
    on_hba = on_hba_max = 0;
    sim_trace_subscribe(count_on_hba, NULL);
    for (int i = 0; rest[i] != NULL; i++)
        if (cmd_run_line(s, rest[i], "lab", i + 3) != 0)
            break;
    return s;
}

START_TEST(test_every_request_completes)
{
    lab_expect_every_request(run_scsiport(1000, 0), 1000);
    lab_end();
}
END_TEST

START_TEST(test_no_verifier_findings)
{
    run_scsiport(1000, 0);
    lab_expect_no_findings();
    lab_end();
}
END_TEST

/* Tagged requests to one LU may overlap on the HBA, if the miniport says
 * so with NextLuRequest. */
START_TEST(test_tagged_requests_overlap_on_one_lu)
{
    const struct cmd_session *s = run_scsiport(1000, 1);

    ck_assert_msg(s->have_last && s->last.ok, "the workload did not finish "
                  "cleanly:\n%s", lab_output());
    ck_assert_msg(on_hba_max >= 4, "at most %d requests of LUN 0 were on the "
                  "HBA at once; with tagged queuing and 8 per CPU there "
                  "should be at least 4", on_hba_max);
    lab_end();
}
END_TEST

void
lab_register(struct lab *lab)
{
    LAB_TEST(lab, test_every_request_completes, 4,
             "SCSI Port sends nothing more until the miniport asks "
             "(ScsiPortNotification NextRequest or NextLuRequest); when the "
             "HBA is full, ask later, when a completion frees a slot");
    LAB_TEST(lab, test_no_verifier_findings, 2,
             "NextLuRequest is for tagged requests only: an LU with an "
             "untagged request active takes nothing more");
    LAB_TEST(lab, test_tagged_requests_overlap_on_one_lu, 4,
             "after a tagged request, NextLuRequest lets the same LU have "
             "another; NextRequest alone keeps one request per LU");
}
