/* tests.c: lab 05, deferring a PIO transfer out of HwScsiInterrupt (seed
 * 003). Each test runs the whole simulator, under SCSI Port with PIO, with
 * the student's MpPioInterrupt in place of the reference one, counting
 * simulated time only.
 */
#include <check.h>
#include <stdio.h>

#include "labs/grader/lab.h"
#include "storsim/hist.h"
#include "storsim/parport.h"
#include "storsim/serial.h"
#include "storsim/stack.h"

const char lab_name[] = "05-pio-defer";

/* 64 KiB PIO transfers, half reads, under SCSI Port, the transfers moved
 * as `strategy` says; one CPU, so the mouse, the serial port and the
 * parallel port have nowhere else to go. */
static const struct cmd_session *
run_pio(const char *strategy)
{
    char set[64];
    const char *lines[] = {
        "set adapter.port scsiport", "set miniport.pio on", set,
        "set machine.cpus 1", "set machine.watchdog 10s",
        "set machine.serial on", "set machine.parallel on", "boot",
        "workload pattern=random bs=64k qd=2 count=200 read=50 timeout=4",
        "workload start", "run", NULL };

    snprintf(set, sizeof set, "set miniport.pio-strategy %s", strategy);
    return lab_run(lines);
}

START_TEST(test_every_transfer_completes_with_its_data)
{
    lab_expect_every_request(run_pio("defer"), 200);
    lab_end();
}
END_TEST

START_TEST(test_no_verifier_findings)
{
    run_pio("defer");
    lab_expect_no_findings();
    lab_end();
}
END_TEST

/* The point of deferring: the devices below the HBA's DIRQL 5 -- the
 * mouse and the serial port at 4, the parallel port at 3 -- get their
 * interrupts in while the data moves. Seed 003: otherwise "the mouse
 * pointer becomes jumpy and serial and parallel throughput drops". */
START_TEST(test_the_mouse_stays_smooth)
{
    const struct cmd_session *s = run_pio("defer");
    struct serial_stats ss;
    struct parport_stats ps;
    sim_time_t p99;
    double rate;

    ck_assert_msg(s->st != NULL && s->st->mouse != NULL &&
                  s->st->serial != NULL && s->st->parallel != NULL &&
                  s->have_last, "the run did not finish:\n%s", lab_output());
    p99 = hist_quantile(mouse_latency(s->st->mouse), 0.99);
    ck_assert_msg(p99 <= SIM_US(50), "the mouse waited %.1f us for its ISR "
                  "(99th percentile); a deferred transfer lets it in within "
                  "50 us", (double)p99 / 1e3);
    serial_get_stats(s->st->serial, &ss);
    ck_assert_msg(ss.lost == 0, "the serial port lost %llu of %llu bytes: "
                  "its 16-byte FIFO overran while its interrupt waited",
                  (unsigned long long)ss.lost,
                  (unsigned long long)ss.offered);
    parport_get_stats(s->st->parallel, &ps);
    rate = ps.printing ? (double)ps.printed * 1e9 / (double)ps.printing : 0;
    ck_assert_msg(rate >= 0.95 * 1e5, "the printer ran at %.0f KB/s of its "
                  "100 KB/s: it stood still while its interrupt waited",
                  rate / 1e3);
    lab_end();
}
END_TEST

/* With MaximumTransferLength capped (the seed's other way out), the ISR
 * moves each short transfer itself. */
START_TEST(test_short_transfers_move_in_the_isr)
{
    lab_expect_every_request(run_pio("cap"), 200);
    lab_end();
}
END_TEST

void
lab_register(struct lab *lab)
{
    LAB_TEST(lab, test_every_transfer_completes_with_its_data, 4,
             "PIO_TAG names the request and PIO_STATUS the direction and "
             "the bytes left; the data goes through PIO_DATA to or from "
             "Srb->DataBuffer");
    LAB_TEST(lab, test_no_verifier_findings, 2,
             "an ISR longer than 50 us is a finding (time-isr); after "
             "CallEnableInterrupts the callback must call "
             "CallDisableInterrupts");
    LAB_TEST(lab, test_the_mouse_stays_smooth, 2,
             "so that the mouse, the serial and the parallel port get their "
             "interrupts in, defer (seed 003): mask the HBA's interrupts, keep the context "
             "in the device extension, ScsiPortNotification("
             "CallEnableInterrupts, ...), and return");
    LAB_TEST(lab, test_short_transfers_move_in_the_isr, 2,
             "when DevExt->Options.pio_strategy is not MP_PIO_DEFER, the "
             "transfer is short enough to move at once (MpPioTransfer)");
}
