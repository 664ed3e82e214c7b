/* cmd_workload.c: the workload command, and the summary that ends every
 * workload: the workload's figures, the mouse's interrupt latency, the
 * serial and parallel ports' throughput (seed 003), and the trace's event
 * count and hash.
 *
 * Interface: cmd_workload_entry; cmd_finish_workload() (cmd_int.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd_int.h"
#include "storsim/mouse.h"
#include "storsim/parport.h"
#include "storsim/serial.h"
#include "storsim/sim.h"
#include "storsim/verifier.h"

/* The mouse's interrupt latency over the run (seed 003): what a long ISR
 * does to the pointer, reported after every workload. */
static bool
mouse_figures(const struct cmd_session *s, struct stats_mouse *m)
{
    const struct hist *h;
    struct mouse_stats ms;

    if (s->st == NULL || s->st->mouse == NULL)
        return false;
    h = mouse_latency(s->st->mouse);
    mouse_get_stats(s->st->mouse, &ms);
    m->interrupts = ms.serviced;
    m->lost = ms.overruns;
    m->p50 = hist_quantile(h, 0.5);
    m->p99 = hist_quantile(h, 0.99);
    m->max = hist_max(h);
    return true;
}

/* The serial and parallel ports, when the machine has them (seed 003's
 * "serial and parallel throughput drops"). */
static void
port_figures(const struct cmd_session *s, struct stats_ports *p)
{
    struct serial_stats ss;
    struct parport_stats ps;

    memset(p, 0, sizeof *p);
    if (s->st != NULL && s->st->serial != NULL) {
        serial_get_stats(s->st->serial, &ss);
        p->has_serial = true;
        p->serial_offered = ss.offered;
        p->serial_received = ss.received;
        p->serial_lost = ss.lost;
        p->serial_overruns = ss.overruns;
        p->serial_p99 = hist_quantile(serial_latency(s->st->serial), 0.99);
    }
    if (s->st != NULL && s->st->parallel != NULL) {
        parport_get_stats(s->st->parallel, &ps);
        p->has_parallel = true;
        p->parallel_printed = ps.printed;
        p->parallel_printing = ps.printing;
        p->parallel_rate = ps.printing ? (double)ps.printed * 1e9 /
                                         (double)ps.printing : 0.0;
        p->parallel_ideal = 1e9 / (double)s->cfg.parallel_port.byte_time;
        p->parallel_p99 = hist_quantile(parport_latency(s->st->parallel),
                                        0.99);
    }
}

void
cmd_finish_workload(struct cmd_session *s, enum sim_stop_reason why)
{
    struct wl_result res;
    struct stats_mouse mouse;
    struct stats_ports ports;
    bool have_mouse;

    wl_finish(s->wl, why);
    wl_get_result(s->wl, &res);
    have_mouse = mouse_figures(s, &mouse);
    port_figures(s, &ports);
    if (s->stats != NULL) {
        if (s->report == NULL)
            s->report = calloc(1, sizeof *s->report);
        if (s->report != NULL && stats_collect(s->stats, s->report) == 0) {
            stats_report_set_workload(s->report, &res);
            stats_report_set_verifier(s->report, verifier_count());
            if (have_mouse)
                stats_report_set_mouse(s->report, &mouse);
            stats_report_set_ports(s->report, &ports);
        }
    }
    if (!s->quiet) {
        wl_print_result(&res, &s->spec, s->out);
        if (have_mouse) {
            fputs("  ", s->out);
            stats_print_mouse(&mouse, s->out);
        }
        stats_print_ports(&ports, "  ", s->out);
        /* Same scenario and seed, same line: the determinism a student
         * can check by eye. */
        fprintf(s->out, "  trace: %llu events, hash %016llx\n",
                (unsigned long long)sim_trace_count(),
                (unsigned long long)sim_trace_hash());
    }
    s->last = res;
    s->have_last = true;
    if (!res.ok && s->exit_status == CMD_EXIT_OK)
        s->exit_status = CMD_EXIT_INTEGRITY;
    wl_destroy(s->wl);
    s->wl = NULL;
}

static int
workload_start(struct cmd_session *s)
{
    char err[256];
    int rc;

    if (s->wl != NULL)
        return cmd_error(s, 1, "a workload is running ('run' finishes it)");
    if (cmd_ensure_booted(s) < 0)
        return -EINVAL;
    for (int i = 0; i < s->nforce; i++)
        if (!strncmp(s->force[i].key, "workload.", 9) &&
            cmd_set_value(s, s->force[i].key, s->force[i].value) < 0)
            return -EINVAL;
    if ((rc = wl_create(s->st->pa, &s->spec, &s->wl, err, sizeof err)) < 0)
        return cmd_error(s, 1, "%s", err);
    stack_reset_device_stats(s->st);    /* this run's figures only */
    if ((rc = wl_start(s->wl)) < 0) {
        wl_destroy(s->wl);
        s->wl = NULL;
        return cmd_error(s, 1, "cannot start: %s", strerror(-rc));
    }
    return 0;
}

static int
workload_exec(struct cmd_session *s, int argc, char **argv)
{
    char text[1024] = "", err[256];

    if (argc == 2 && !strcmp(argv[1], "start"))
        return workload_start(s);
    if (argc == 1 || (argc == 2 && !strcmp(argv[1], "show"))) {
        wl_spec_format(&s->spec, text, sizeof text);
        fprintf(s->out, "workload: %s%s\n", text,
                s->wl != NULL ? " (running)" : "");
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        strncat(text, argv[i], sizeof text - strlen(text) - 2);
        strcat(text, " ");
    }
    if (wl_spec_parse(&s->spec, text, err, sizeof err) < 0)
        return cmd_error(s, 1, "%s", err);
    return 0;
}

const struct cmd_entry cmd_workload_entry = {
    .name = "workload", .alias = "wl",
    .usage = "workload KEY=VALUE... | workload start | workload show",
    .help = "define the fio-like workload, or start it",
    .long_help =
        "Keys: pattern=seq|random, bs=4k, qd=8 (per CPU), count=N,\n"
        "duration=10ms, read=70 (percent), luns=0,1, cpus=0-3, seed=N,\n"
        "srb=scsi|ex, timeout=10 (seconds), offset=, size=, fresh=yes|no,\n"
        "submit-cost=1us, track=64M. 'workload start' boots if needed and\n"
        "posts the submitting threads; 'run' then runs it to the end and\n"
        "prints IOPS, latency percentiles and the integrity check.",
    .exec = workload_exec,
};
