/* main.c: the storsim program: parses the command line and runs a
 * scenario.
 *
 * Until the console and the storage stack exist, every run is headless:
 * the default scenario is the synthetic workload on the bare simulated
 * machine, and the summary goes to standard output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/sim.h"
#include "storsim/synth.h"

#define STORSIM_VERSION "0.1.0"

/* Exit codes (also in --help). */
enum {
    EXIT_OK = 0,
    EXIT_USAGE = 2,
    EXIT_BUGCHECK = 3,
};

static void
usage(FILE *f)
{
    fprintf(f,
        "usage: storsim [run] [--set KEY=VALUE]... [--trace]\n"
        "       storsim --help | --version\n"
        "\n"
        "Runs the default scenario headless and prints a summary.\n"
        "\n"
        "  --set KEY=VALUE  a machine setting: cpus, seed, watchdog,\n"
        "                   irq-policy, trace-ring, fiber-stack, cost.*,\n"
        "                   or a workload setting: requests, queue-depth,\n"
        "                   latency-min, latency-max\n"
        "  --trace          print every trace event as it happens\n"
        "\n"
        "exit status: 0 success, 2 bad usage or value, 3 the simulated\n"
        "machine bug-checked (the report is printed)\n");
}

static int
set_workload(struct sim_synth_config *w, const char *key, const char *value,
             char *err, size_t errlen)
{
    char *end;

    if (strcmp(key, "requests") == 0 || strcmp(key, "queue-depth") == 0) {
        unsigned long long v;
        errno = 0;
        v = strtoull(value, &end, 0);
        if (errno || *end || *value == '-' ||
            (key[0] == 'q' ? (v < 1 || v > 256) : (v < 1 || v > 100000000))) {
            snprintf(err, errlen, "%s: '%s' is out of range (%s)", key, value,
                     key[0] == 'q' ? "1..256" : "1..100000000");
            return -EINVAL;
        }
        if (key[0] == 'q')
            w->queue_depth = (int)v;
        else
            w->requests = v;
        return 0;
    }
    if (strcmp(key, "latency-min") == 0 || strcmp(key, "latency-max") == 0) {
        sim_time_t *t = key[8] == 'm' && key[9] == 'i' ? &w->latency_min
                                                       : &w->latency_max;
        if (sim_parse_time(value, t) < 0) {
            snprintf(err, errlen, "%s: '%s' is not a duration (e.g. 80us)",
                     key, value);
            return -EINVAL;
        }
        return 0;
    }
    return -ENOENT;
}

static int
apply_set(struct sim_config *cfg, struct sim_synth_config *w, const char *kv)
{
    char key[64], err[256];
    const char *eq = strchr(kv, '=');
    int rc;

    if (eq == NULL || eq == kv || (size_t)(eq - kv) >= sizeof key) {
        fprintf(stderr, "storsim: --set '%s': expected KEY=VALUE\n", kv);
        return -EINVAL;
    }
    memcpy(key, kv, (size_t)(eq - kv));
    key[eq - kv] = '\0';
    rc = set_workload(w, key, eq + 1, err, sizeof err);
    if (rc == -ENOENT)
        rc = sim_config_set(cfg, key, eq + 1, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "storsim: --set %s\n", err);
    return rc;
}

static int
run_default(struct sim_config *cfg, struct sim_synth_config *w, bool trace)
{
    char err[256];
    enum sim_stop_reason why;
    int rc;

    if (sim_create(cfg, err, sizeof err) < 0) {
        fprintf(stderr, "storsim: %s\n", err);
        return EXIT_USAGE;
    }
    if (trace)
        sim_trace_subscribe(sim_trace_print, stdout);
    if ((rc = sim_synth_start(w)) < 0) {
        fprintf(stderr, "storsim: cannot start the workload: %s\n",
                strerror(-rc));
        sim_destroy();
        return EXIT_USAGE;
    }
    why = sim_run(NULL);
    rc = EXIT_OK;
    if (why == SIM_STOP_BUGCHECK) {
        char report[2048];
        sim_bugcheck_format(sim_bugcheck_info(), report, sizeof report);
        fputs(report, stdout);
        rc = EXIT_BUGCHECK;
    } else {
        sim_synth_print_summary(stdout);
    }
    sim_synth_stop();
    sim_destroy();
    return rc;
}

int
main(int argc, char **argv)
{
    struct sim_config cfg;
    struct sim_synth_config w;
    bool trace = false;
    int i = 1;

    sim_config_default(&cfg);
    sim_synth_config_default(&w);
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
            trace = true;
            continue;
        }
        if (strcmp(argv[i], "--set") == 0 && i + 1 < argc) {
            if (apply_set(&cfg, &w, argv[++i]) < 0)
                return EXIT_USAGE;
            continue;
        }
        fprintf(stderr, "storsim: unknown argument '%s' (try --help)\n",
                argv[i]);
        return EXIT_USAGE;
    }
    return run_default(&cfg, &w, trace);
}
