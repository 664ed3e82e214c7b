/* tests.c: lab 01, HwStorBuildIo. Each test runs the whole simulator with
 * the student's MpHwBuildIo in place of the reference one; all of them
 * count simulated time only, so a grade is the same on every run.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <storport.h>

#include "labs/grader/lab.h"
#include "storsim/physmem.h"
#include "storsim/stack.h"
#include "storsim/storport_sim.h"

const char lab_name[] = "01-build-io";

/* The default machine: 4 CPUs, Storport in full duplex, the per-SRB work
 * in HwStorBuildIo; a random 4 KiB workload that checks every read. */
/* IOPS of a CPU-heavy miniport (8 us of work per SRB) with that work in
 * `where`, on 4 CPUs. */
static double
iops_with_work_in(const char *where)
{
    char work[64];
    const char *lines[] = { "set miniport.cost-per-srb=8us", work, "boot",
                            "workload count=4000 qd=16 read=100 timeout=2",
                            "workload start", "run", NULL };
    const struct cmd_session *s;
    double iops;

    snprintf(work, sizeof work, "set miniport.work=%s", where);
    s = lab_run(lines);
    iops = s->have_last && s->last.ok ? s->last.all.iops : 0;
    lab_end();
    return iops;
}

/* The seeds' claim: the per-SRB work in HwStorBuildIo, which runs on every
 * CPU at once with no lock, at least doubles the IOPS of the same work in
 * HwStorStartIo, which runs one CPU at a time under the StartIo lock. */
START_TEST(test_work_in_buildio_runs_on_every_cpu)
{
    double buildio = iops_with_work_in("buildio");
    double startio = iops_with_work_in("startio");

    ck_assert_msg(buildio > 0 && startio > 0, "a run did not complete all "
                  "its requests (IOPS with the work in BuildIo %.0f, in "
                  "StartIo %.0f)", buildio, startio);
    ck_assert_msg(buildio >= 2.0 * startio, "with the work in BuildIo %.0f "
                  "IOPS, in StartIo %.0f: BuildIo should give at least "
                  "twice as many", buildio, startio);
}
END_TEST

/* ---------- one SRB of a given function ---------- */

static struct stack *st;
static int startio_entries;

static void
count_startio(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == SIM_EV_ENTER && ev->routine != NULL &&
        strcmp(ev->routine, "HwStorStartIo") == 0)
        startio_entries++;
}

struct one {
    struct port_request req;
    SCSI_REQUEST_BLOCK srb;
    struct sim_thread_item item;
    uint8_t *sense;
    int done;
};

static void
one_done(struct port_request *req, void *ctx)
{
    (void)req;
    ((struct one *)ctx)->done++;
}

static void
one_submit(void *ctx)
{
    struct one *o = ctx;

    ck_assert_int_eq(port_submit(st->pa, &o->req), 0);
}

/* Send one SRB of `function` to LUN 0 and run until the machine is idle. */
static void
send_one(struct one *o, UCHAR function)
{
    struct stack_config cfg;
    char err[256];

    stack_config_default(&cfg);
    ck_assert_msg(stack_create(&cfg, &st, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(stack_boot(st), 0);
    memset(o, 0, sizeof *o);
    o->sense = physmem_alloc(32, true);
    o->srb.Length = sizeof o->srb;
    o->srb.Function = function;
    o->srb.SenseInfoBuffer = o->sense;
    o->srb.SenseInfoBufferLength = 18;
    o->srb.TimeOutValue = 2;
    o->req.srb = &o->srb;
    o->req.complete = one_done;
    o->req.ctx = o;
    startio_entries = 0;
    sim_trace_subscribe(count_startio, NULL);
    sim_cpu_post(&o->item, 0, one_submit, o, "ClassThread", sim_now());
    sim_run(NULL);
}

static void
end_one(struct one *o)
{
    physmem_free(o->sense);
    stack_destroy(st);
    st = NULL;
}

/* The miniport has no private IOCTLs: BuildIo itself completes one with
 * SRB_STATUS_INVALID_REQUEST and returns FALSE, so StartIo never sees it. */
START_TEST(test_refuses_an_ioctl_without_startio)
{
    static struct one o;

    send_one(&o, SRB_FUNCTION_IO_CONTROL);
    ck_assert_msg(o.done == 1, "the IOCTL SRB was completed %d times", o.done);
    ck_assert_msg(SRB_STATUS(o.srb.SrbStatus) == SRB_STATUS_INVALID_REQUEST,
                  "completed with SrbStatus 0x%02X, not SRB_STATUS_INVALID_"
                  "REQUEST (0x06)", SRB_STATUS(o.srb.SrbStatus));
    ck_assert_msg(startio_entries == 0, "HwStorStartIo ran %d times for it",
                  startio_entries);
    end_one(&o);
}
END_TEST

/* A LUN reset needs the hardware: BuildIo leaves it to StartIo. */
START_TEST(test_leaves_a_reset_to_startio)
{
    static struct one o;

    send_one(&o, SRB_FUNCTION_RESET_LOGICAL_UNIT);
    ck_assert_msg(o.done == 1, "the reset SRB was completed %d times", o.done);
    ck_assert_msg(startio_entries == 1, "HwStorStartIo ran %d times for it, "
                  "not once", startio_entries);
    ck_assert_msg(SRB_STATUS(o.srb.SrbStatus) == SRB_STATUS_SUCCESS,
                  "completed with SrbStatus 0x%02X, not SRB_STATUS_SUCCESS",
                  SRB_STATUS(o.srb.SrbStatus));
    end_one(&o);
}
END_TEST

void
lab_register(struct lab *lab)
{
    lab_default_tests(lab, 4,
                      "HwStorBuildIo returns TRUE for a request StartIo must "
                      "send to the HBA; FALSE means BuildIo completed it "
                      "itself",
                      2,
                      "BuildIo holds no lock: it may change the SRB and its "
                      "SRB extension, never the shared device extension; the "
                      "finding names the rule");
    LAB_TEST(lab, test_work_in_buildio_runs_on_every_cpu, 2,
             "the per-SRB translation (MpTranslate) belongs in BuildIo when "
             "DevExt->Options.work_in says so: there it runs on every CPU "
             "at once");
    LAB_TEST(lab, test_refuses_an_ioctl_without_startio, 1,
             "a request BuildIo cannot serve is completed there, with "
             "StorPortNotification(RequestComplete), and FALSE returned");
    LAB_TEST(lab, test_leaves_a_reset_to_startio, 1,
             "resets need the hardware, which only StartIo may touch");
}
