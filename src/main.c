/* main.c: the storsim program: parses the command line and runs a
 * scenario headless, printing a summary.
 *
 * The default scenario is the whole storage stack: a 4-CPU machine, a
 * SIMHBA with two disks, the Storport-style port driver and the miniport
 * (full duplex, per-SRB work in HwStorBuildIo), running a random 4 KiB
 * workload from every CPU with every read verified. `--scenario synth`
 * runs the synthetic workload on the bare machine instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/hba.h"
#include "storsim/sim.h"
#include "storsim/stack.h"
#include "storsim/synth.h"
#include "storsim/workload.h"

#define STORSIM_VERSION "0.1.0"

/* Exit codes (also in --help). */
enum {
    EXIT_OK = 0,
    EXIT_INTEGRITY = 1,
    EXIT_USAGE = 2,
    EXIT_BUGCHECK = 3,
};

struct options {
    struct stack_config stack;
    struct wl_spec wl;
    struct sim_synth_config synth;
    bool synth_scenario;
    bool trace;
};

static void
usage(FILE *f)
{
    fprintf(f,
        "usage: storsim [run] [--scenario default|synth] [--set KEY=VALUE]...\n"
        "               [--trace]\n"
        "       storsim cdb [--lun N] [--data-out HEX...] [--response-hex |\n"
        "               --sense-hex] HEXBYTES...\n"
        "       storsim --help | --version\n"
        "\n"
        "Runs a scenario headless and prints a summary. The default scenario\n"
        "is the whole storage stack (Storport, full duplex, per-SRB work in\n"
        "HwStorBuildIo) under a random 4 KiB workload on every CPU.\n"
        "\n"
        "  --set KEY=VALUE  machine: cpus, seed, watchdog, irq-policy, cost.*\n"
        "                   miniport: duplex=full|half, work=buildio|startio,\n"
        "                     cost-per-srb=2us\n"
        "                   workload: pattern, bs, qd, count, duration, read,\n"
        "                     luns, cpus-submit, srb, timeout, size\n"
        "  --trace          print every trace event as it happens\n"
        "\n"
        "exit status: 0 success; 1 the data check failed (lost, duplicated or\n"
        "corrupted requests); 2 bad usage or value; 3 the simulated machine\n"
        "bug-checked (the report is printed)\n");
}

static int
set_miniport(struct mp_options *mp, const char *key, const char *value,
             char *err, size_t errlen)
{
    if (strcmp(key, "duplex") == 0) {
        if (strcmp(value, "full") && strcmp(value, "half")) {
            snprintf(err, errlen, "duplex: '%s' is not full or half", value);
            return -EINVAL;
        }
        mp->full_duplex = value[0] == 'f';
        return 0;
    }
    if (strcmp(key, "work") == 0) {
        if (strcmp(value, "buildio") && strcmp(value, "startio")) {
            snprintf(err, errlen, "work: '%s' is not buildio or startio", value);
            return -EINVAL;
        }
        mp->work_in = value[0] == 'b' ? MP_WORK_IN_BUILDIO : MP_WORK_IN_STARTIO;
        return 0;
    }
    if (strcmp(key, "cost-per-srb") == 0) {
        if (sim_parse_time(value, &mp->cost_per_srb) < 0) {
            snprintf(err, errlen, "cost-per-srb: '%s' is not a duration", value);
            return -EINVAL;
        }
        return 0;
    }
    return -ENOENT;
}

static int
apply_set(struct options *o, const char *kv)
{
    char key[64], err[256];
    const char *eq = strchr(kv, '=');
    const char *value;
    int rc;

    if (eq == NULL || eq == kv || (size_t)(eq - kv) >= sizeof key) {
        fprintf(stderr, "storsim: --set '%s': expected KEY=VALUE\n", kv);
        return -EINVAL;
    }
    memcpy(key, kv, (size_t)(eq - kv));
    key[eq - kv] = '\0';
    value = eq + 1;
    err[0] = '\0';
    rc = set_miniport(&o->stack.miniport, key, value, err, sizeof err);
    if (rc == -ENOENT && strcmp(key, "cpus-submit") == 0)
        rc = wl_spec_set(&o->wl, "cpus", value, err, sizeof err);
    if (rc == -ENOENT)
        rc = sim_config_set(&o->stack.machine, key, value, err, sizeof err);
    if (rc == -ENOENT)
        rc = wl_spec_set(&o->wl, key, value, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "storsim: --set %s\n", err);
    return rc;
}

static int
report_bugcheck(void)
{
    char report[2048];

    sim_bugcheck_format(sim_bugcheck_info(), report, sizeof report);
    fputs(report, stdout);
    return EXIT_BUGCHECK;
}

static int
run_synth(struct options *o)
{
    char err[256];
    int rc;

    o->stack.machine.ncpus = o->stack.machine.ncpus ? o->stack.machine.ncpus : 4;
    if (sim_create(&o->stack.machine, err, sizeof err) < 0) {
        fprintf(stderr, "storsim: %s\n", err);
        return EXIT_USAGE;
    }
    if (o->trace)
        sim_trace_subscribe(sim_trace_print, stdout);
    sim_synth_start(&o->synth);
    rc = sim_run(NULL) == SIM_STOP_BUGCHECK ? report_bugcheck() : EXIT_OK;
    if (rc == EXIT_OK)
        sim_synth_print_summary(stdout);
    sim_synth_stop();
    sim_destroy();
    return rc;
}

static int
run_stack(struct options *o)
{
    struct stack *st;
    struct wl_result res;
    char err[256];
    int rc;

    if (stack_create(&o->stack, &st, err, sizeof err) < 0) {
        fprintf(stderr, "storsim: %s\n", err);
        return EXIT_USAGE;
    }
    if (o->trace)
        sim_trace_subscribe(sim_trace_print, stdout);
    rc = stack_boot(st);
    if (rc == -EFAULT) {
        rc = report_bugcheck();
    } else if (rc < 0) {
        fprintf(stderr, "storsim: the adapter did not start: %s\n", st->error);
        rc = EXIT_USAGE;
    } else if ((rc = wl_run(st->pa, &o->wl, &res, err, sizeof err)) == -EFAULT) {
        rc = report_bugcheck();
    } else if (rc < 0) {
        fprintf(stderr, "storsim: workload: %s\n", err);
        rc = EXIT_USAGE;
    } else {
        printf("storsim: %s, %s duplex, per-SRB work in %s, %d CPUs\n",
               st->model == PORT_MODEL_STORPORT ? "Storport" : "SCSI Port",
               o->stack.miniport.full_duplex ? "full" : "half",
               o->stack.miniport.work_in == MP_WORK_IN_BUILDIO
                   ? "HwStorBuildIo" : "HwStorStartIo",
               o->stack.machine.ncpus);
        wl_print_result(&res, &o->wl, stdout);
        printf("trace: %llu events, hash %016llx\n",
               (unsigned long long)sim_trace_count(),
               (unsigned long long)sim_trace_hash());
        rc = res.ok ? EXIT_OK : EXIT_INTEGRITY;
    }
    stack_destroy(st);
    return rc;
}

static void
defaults(struct options *o)
{
    memset(o, 0, sizeof *o);
    stack_config_default(&o->stack);
    wl_spec_default(&o->wl);
    o->wl.qd = 8;
    o->wl.count = 20000;
    o->wl.read_pct = 70;
    o->wl.cpus = (1u << o->stack.machine.ncpus) - 1;
    sim_synth_config_default(&o->synth);
}

int
main(int argc, char **argv)
{
    struct options o;
    int i = 1;

    if (argc > 1 && strcmp(argv[1], "cdb") == 0)
        return hba_cdb_main(argc - 1, argv + 1);
    defaults(&o);
    if (i < argc && strcmp(argv[i], "run") == 0)
        i++;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("storsim %s\n", STORSIM_VERSION);
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--trace") == 0) {
            o.trace = true;
        } else if (strcmp(argv[i], "--scenario") == 0 && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "synth") == 0) {
                o.synth_scenario = true;
            } else if (strcmp(argv[i], "default") != 0) {
                fprintf(stderr, "storsim: unknown scenario '%s' (default, "
                        "synth)\n", argv[i]);
                return EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--set") == 0 && i + 1 < argc) {
            if (apply_set(&o, argv[++i]) < 0)
                return EXIT_USAGE;
        } else {
            fprintf(stderr, "storsim: unknown argument '%s' (try --help)\n",
                    argv[i]);
            return EXIT_USAGE;
        }
    }
    return o.synth_scenario ? run_synth(&o) : run_stack(&o);
}
