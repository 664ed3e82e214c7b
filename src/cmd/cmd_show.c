/* cmd_show.c: commands that inspect the machine: show (CPUs, locks,
 * interrupts, LUNs, the HBA, the trace, the configuration, the bug check)
 * and trace (printing every event as it happens).
 *
 * Interface: cmd_show_entry, cmd_trace_entry.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "cmd/cmd_int.h"
#include "storport.h"
#include "storsim/hba.h"
#include "storsim/scsi_disk.h"
#include "storsim/sim.h"

static void
show_cpus(FILE *f)
{
    fprintf(f, "cpu  %-15s %-9s %-26s %6s  %s\n", "irql", "state", "routine",
            "srb", "locks held / spinning on");
    for (int i = 0; i < sim_ncpus(); i++) {
        const struct sim_cpu *c = sim_cpu_get(i);
        const struct sim_frame *top = c->nframes ? c->frames[c->nframes - 1]
                                                 : NULL;
        fprintf(f, "%-4d %-15s %-9s %-26s %6u ", i, sim_irql_name(c->irql),
                sim_cpu_state_name(c->state), sim_cpu_routine(c),
                top ? top->srb : 0);
        for (int k = 0; k < c->nheld && k < SIM_MAX_HELD; k++)
            fprintf(f, " %s", c->held[k]->name);
        if (top != NULL && top->spin_on != NULL)
            fprintf(f, "  (spinning on %s)", top->spin_on->name);
        fprintf(f, "\n");
    }
}

static void
show_locks(FILE *f)
{
    fprintf(f, "%-3s %-20s %-15s %-6s %10s %10s %12s %12s\n", "id", "lock",
            "irql", "owner", "acquires", "contended", "hold(us)", "spin(us)");
    for (int id = 1; id <= sim_lock_count(); id++) {
        const struct sim_spinlock *l = sim_lock_by_id(id);
        char owner[16] = "-";
        if (l == NULL)
            continue;
        if (l->owner >= 0)
            snprintf(owner, sizeof owner, "cpu%d", l->owner);
        fprintf(f, "%-3d %-20s %-15s %-6s %10" PRIu64 " %10" PRIu64
                " %12.1f %12.1f\n", id, l->name, sim_irql_name(l->irql), owner,
                l->acquisitions, l->contended, (double)l->hold_total / 1e3,
                (double)l->spin_total / 1e3);
    }
}

static void
show_interrupts(FILE *f)
{
    for (const struct sim_interrupt *i = sim_interrupt_first(); i;
         i = sim_interrupt_next(i))
        fprintf(f, "%-12s %-7s %-5s line %s%s  delivered %" PRIu64
                "  latency mean %.2f us max %.2f us\n", i->name,
                sim_irql_name(i->dirql), i->mode == SIM_IRQ_LEVEL ? "level"
                                                                  : "edge",
                i->level || i->latched ? "asserted" : "low",
                i->masked ? " (masked)" : "", i->delivered,
                i->delivered ? (double)i->latency_total / (double)i->delivered
                                   / 1e3 : 0.0,
                (double)i->latency_max / 1e3);
}

/* The adapter as the device sees it: every register a read would return
 * now (peeked: no trace event, no time), the rings, the counters. */
static void
show_hba(FILE *f, const struct hba *hba)
{
    const struct hba_config *c = hba_get_config(hba);
    struct hba_stats hs;
    int col = 0;

    hba_get_stats(hba, &hs);
    fprintf(f, "%s: %" PRIu64 " commands in the adapter (queue depth %u, "
            "most %" PRIu64 "), interrupt line %s\n", c->name,
            hs.occupancy.now, c->queue_depth, hs.occupancy.max,
            hba_irq_line(hba) ? "asserted" : "low");
    for (uint32_t off = 0; off < 0x100; off += 4) {
        const char *name = hba_reg_name(off);
        uint32_t v;
        int rc;

        if (name == NULL)
            continue;
        rc = hba_peek32(hba, off, &v);
        if (rc == 0)
            fprintf(f, "  %-16s 0x%08" PRIX32, name, v);
        else
            fprintf(f, "  %-16s %-10s", name, rc == -EPERM ? "write-only"
                                                            : "(data port)");
        if (++col % 3 == 0)
            fputc('\n', f);
    }
    if (col % 3 != 0)
        fputc('\n', f);
    fprintf(f, "commands %" PRIu64 ", completions %" PRIu64 ", interrupts %"
            PRIu64 ", errors %" PRIu64 ", register reads %" PRIu64
            ", writes %" PRIu64 "\n", hs.commands, hs.completions,
            hs.interrupts, hs.errors, hs.reg_reads, hs.reg_writes);
}

/* The requests the port driver has in flight, oldest first. */
static void
show_srbs(FILE *f, const struct port_adapter *pa)
{
    const struct port_request *r, *list[1024];
    size_t n = 0, more = 0;

    for (r = port_request_next(pa, NULL); r != NULL;
         r = port_request_next(pa, r))
        if (n < sizeof list / sizeof list[0])
            list[n++] = r;
        else
            more++;
    fprintf(f, "%" PRIu64 " in flight (of %" PRIu64 " submitted)\n",
            pa->outstanding, pa->submitted);
    if (n == 0)
        return;
    fprintf(f, "%6s  %-9s %-22s %3s %12s %8s  %s\n", "srb", "state", "what",
            "lun", "lba", "bytes", "age");
    while (n-- > 0) {
        PVOID srb = list[n]->srb;
        UCHAR function = (UCHAR)SrbGetSrbFunction(srb), lun = 0;
        const UCHAR *cdb = function == SRB_FUNCTION_EXECUTE_SCSI
                               ? (const UCHAR *)SrbGetCdb(srb) : NULL;
        uint64_t lba = 0;
        char what[32], lbatext[24] = "-";

        SrbGetPathTargetLun(srb, NULL, NULL, &lun);
        if (cdb != NULL) {
            snprintf(what, sizeof what, "%s", scsi_disk_opcode_name(cdb[0]));
            if ((scsi_disk_opcode_class(cdb[0]) & (SCSI_DISK_CLASS_READ |
                                                   SCSI_DISK_CLASS_WRITE |
                                                   SCSI_DISK_CLASS_VERIFY)) &&
                scsi_cdb_lba(cdb, &lba))
                snprintf(lbatext, sizeof lbatext, "%" PRIu64, lba);
        } else {
            snprintf(what, sizeof what, "function 0x%02X", function);
        }
        fprintf(f, "%6u  %-9s %-22s %3u %12s %8" PRIu32 "  %.3f us\n",
                list[n]->id,
                port_srb_state_name(port_request_state(list[n])), what, lun,
                lbatext, list[n]->length,
                (double)(sim_now() - port_request_submitted(list[n])) / 1e3);
    }
    if (more > 0)
        fprintf(f, "... and %zu more\n", more);
}

static void
show_luns(FILE *f, const struct port_adapter *pa)
{
    for (int i = 0; i < pa->nluns; i++)
        fprintf(f, "lun %d: target %u lun %u, %" PRIu64 " blocks of %u bytes "
                "(%.1f GiB)\n", i, pa->luns[i].target, pa->luns[i].lun,
                pa->luns[i].blocks, pa->luns[i].block_size,
                (double)pa->luns[i].blocks * pa->luns[i].block_size /
                    (1024.0 * 1024 * 1024));
}

static void
show_trace(FILE *f, uint64_t n)
{
    char line[320];

    for (uint64_t back = n; back-- > 0;) {
        const struct sim_trace_event *ev = sim_trace_recent(back);
        if (ev == NULL)
            continue;
        sim_trace_format(ev, line, sizeof line);
        fprintf(f, "%s\n", line);
    }
}

static void
show_config(struct cmd_session *s)
{
    const struct stack_config *c = &s->cfg;
    char wl[512];

    fprintf(s->out, "machine: %d CPUs, seed %" PRIu64 ", watchdog %.1f ms\n",
            c->machine.ncpus, c->machine.seed, (double)c->machine.watchdog / 1e6);
    fprintf(s->out, "adapter: %s, queue depth %u, %u SG elements, %u KiB "
            "transfers, DIRQL %u, %s interrupt, %zu LUN(s)\n",
            c->model == PORT_MODEL_STORPORT ? "storport" : "scsiport",
            c->hba.queue_depth, c->hba.max_sg, c->hba.max_transfer / 1024,
            c->dirql, c->hba.irq_mode == SIM_IRQ_LEVEL ? "level" : "msi",
            c->hba.nluns);
    fprintf(s->out, "miniport: %s duplex, per-SRB work in %s (%.2f us + "
            "%.2f us per SG element), bugs 0x%x\n",
            c->miniport.full_duplex ? "full" : "half",
            c->miniport.work_in == MP_WORK_IN_BUILDIO ? "BuildIo" : "StartIo",
            (double)c->miniport.cost_per_srb / 1e3,
            (double)c->miniport.cost_per_sg / 1e3, c->miniport.bugs);
    fprintf(s->out, "devices: mouse (DIRQL %u)", c->mouse.dirql);
    if (c->serial)
        fprintf(s->out, ", serial port (DIRQL %u, %u baud)",
                c->serial_port.dirql, c->serial_port.baud);
    if (c->parallel)
        fprintf(s->out, ", parallel port (DIRQL %u, %.0f KB/s)",
                c->parallel_port.dirql,
                1e6 / (double)c->parallel_port.byte_time);
    fputc('\n', s->out);
    wl_spec_format(&s->spec, wl, sizeof wl);
    fprintf(s->out, "workload: %s\n", wl);
}

void
cmd_report_bugcheck(struct cmd_session *s)
{
    char report[2048];
    const struct sim_bugcheck_info *bc = sim_bugcheck_info();

    if (bc == NULL)
        return;
    sim_bugcheck_format(bc, report, sizeof report);
    fputs(report, s->out);
    s->exit_status = CMD_EXIT_BUGCHECK;
}

static int
show_exec(struct cmd_session *s, int argc, char **argv)
{
    static const char *const what[] = { "cpus", "locks", "interrupts", "luns",
                                        "srbs", "hba", "trace", "config",
                                        "bugcheck", NULL };
    uint64_t n = 20;

    if (argc < 2)
        return cmd_error(s, -1, "expected 'show cpus|locks|interrupts|luns|"
                         "srbs|hba|trace [N]|config|bugcheck'");
    if (!strcmp(argv[1], "config")) {
        show_config(s);
        return 0;
    }
    for (int i = 0; what[i] != NULL; i++)
        if (!strcmp(argv[1], what[i]))
            goto known;
    {
        const char *hint = cmd_suggest(argv[1], what);
        return cmd_error(s, 1, "nothing called '%s' to show%s%s%s", argv[1],
                         hint ? ", did you mean '" : " (cpus, locks, "
                         "interrupts, luns, srbs, hba, trace, config, "
                         "bugcheck)",
                         hint ? hint : "", hint ? "'?" : "");
    }
known:
    if (s->st == NULL)
        return cmd_error(s, 1, "the machine is not booted ('boot' or 'run')");
    if (!strcmp(argv[1], "cpus"))
        show_cpus(s->out);
    else if (!strcmp(argv[1], "locks"))
        show_locks(s->out);
    else if (!strcmp(argv[1], "interrupts"))
        show_interrupts(s->out);
    else if (!strcmp(argv[1], "luns"))
        show_luns(s->out, s->st->pa);
    else if (!strcmp(argv[1], "srbs"))
        show_srbs(s->out, s->st->pa);
    else if (!strcmp(argv[1], "hba"))
        show_hba(s->out, s->st->hba);
    else if (!strcmp(argv[1], "bugcheck"))
        cmd_report_bugcheck(s);
    else {
        if (argc == 3 && cmd_parse_u64(argv[2], 1, 100000, &n) < 0)
            return cmd_error(s, 2, "'%s' is not a count (1..100000)", argv[2]);
        show_trace(s->out, n);
    }
    return 0;
}

const struct cmd_entry cmd_show_entry = {
    .name = "show", .alias = "i",
    .usage = "show cpus|locks|interrupts|luns|srbs|hba|trace [N]|config|"
             "bugcheck",
    .help = "inspect CPUs (IRQL, routine, locks), locks, interrupts, LUNs, "
            "the SRBs in flight, the HBA's registers and rings, the trace",
    .exec = show_exec,
};

int
cmd_trace_export_start(struct cmd_session *s, const char *path)
{
    if (s->exporter != NULL)
        return cmd_error(s, 2, "a trace export is running already");
    s->trace_file = fopen(path, "w");
    if (s->trace_file == NULL)
        return cmd_error(s, 2, "cannot write '%s': %s", path, strerror(errno));
    if (trace_export_start(s->trace_file, NULL, &s->exporter) < 0) {
        fclose(s->trace_file);
        s->trace_file = NULL;
        return cmd_error(s, 2, "cannot start the trace export");
    }
    return 0;
}

void
cmd_trace_export_stop(struct cmd_session *s)
{
    if (s->exporter != NULL) {
        trace_export_finish(s->exporter);
        s->exporter = NULL;
    }
    if (s->trace_file != NULL) {
        fclose(s->trace_file);
        s->trace_file = NULL;
    }
}

static int
trace_exec(struct cmd_session *s, int argc, char **argv)
{
    bool on;

    if (argc == 3 && !strcmp(argv[1], "export")) {
        if (s->st == NULL) {   /* from the boot on */
            snprintf(s->trace_path, sizeof s->trace_path, "%s", argv[2]);
            return 0;
        }
        return cmd_trace_export_start(s, argv[2]);
    }
    if (argc == 2 && !strcmp(argv[1], "stop")) {
        cmd_trace_export_stop(s);
        s->trace_path[0] = '\0';
        return 0;
    }
    if (argc != 3 || strcmp(argv[1], "print") || cmd_parse_bool(argv[2], &on))
        return cmd_error(s, argc > 1 ? 1 : -1, "expected 'trace print on|off', "
                         "'trace export FILE' or 'trace stop'");
    if (s->st != NULL && s->trace_out != NULL)
        sim_trace_unsubscribe(sim_trace_print, s->trace_out);
    s->trace_out = on ? s->out : NULL;
    if (s->st != NULL && on)
        sim_trace_subscribe(sim_trace_print, s->trace_out);
    return 0;
}

const struct cmd_entry cmd_trace_entry = {
    .name = "trace", .usage = "trace print on|off | export FILE | stop",
    .help = "print every trace event, or stream it as Chrome trace JSON",
    .long_help =
        "'trace export FILE' writes the Chrome trace-event format that\n"
        "Perfetto (ui.perfetto.dev) and chrome://tracing open: a track per\n"
        "CPU with each routine as a slice coloured by IRQL, a track per lock,\n"
        "the queue depth, and arrows following each SRB from BuildIo to its\n"
        "completion. Given before the machine boots, it includes the boot.",
    .exec = trace_exec,
};

static int
stats_exec(struct cmd_session *s, int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "json")))
        return cmd_error(s, 1, "expected 'stats' or 'stats json'");
    if (s->report == NULL)
        return cmd_error(s, 0, "no finished run yet: 'workload start' and "
                         "'run' first");
    if (argc == 2)
        stats_print_json(s->report, s->out);
    else
        stats_print_text(s->report, s->out);
    return 0;
}

const struct cmd_entry cmd_stats_entry = {
    .name = "stats", .usage = "stats [json]",
    .help = "the last run's statistics: CPUs by IRQL, locks, interrupts, SRBs",
    .long_help =
        "Per CPU and IRQL the time busy, spinning and idle; per lock the\n"
        "acquisitions, hold and spin time; interrupts and their latency;\n"
        "the time SRBs spent queued, in BuildIo, StartIo, on the HBA and in\n"
        "the DPC; queue depth over time; the workload's IOPS, latency\n"
        "percentiles and data check; the verifier's findings.",
    .exec = stats_exec,
};
