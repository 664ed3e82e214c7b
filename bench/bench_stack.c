/* bench_stack.c: how fast and how lean the whole simulated stack runs.
 *
 * Interface: `make bench` runs it with no arguments: the default scenario
 * of src/main.c (4 CPUs, Storport full duplex with the per-SRB work in
 * HwStorBuildIo, random 4 KiB, queue depth 8 per CPU, 70% reads) with
 * 100,000 and with 1,000,000 SRBs, each in a fresh child process so its
 * peak RSS is its own; the same 100,000 with the statistics collector and
 * with the Chrome exporter (to /dev/null) attached, to show what they
 * cost; and, when valgrind is installed, instructions per SRB under
 * callgrind (two short runs, so the boot's instructions cancel out).
 * `bench_stack --run N [--size 16M] [--with stats|export]` runs one
 * scenario and prints its figures: the callgrind runs use it, and so can
 * a person (`valgrind --tool=callgrind build/bench/bench_stack --run
 * 20000`, then callgrind_annotate on the callgrind.out file).
 *
 * Output is "name: value unit" lines. The workload region is limited to
 * 16 MiB per LUN (size=16M): the disk model keeps written data in RAM, so
 * an unlimited region would make RSS a measure of how much was written
 * rather than of the simulator; 30% of 100,000 random 4 KiB writes
 * already cover such a region, so RSS must be flat from there on.
 *
 * Targets (issue 6): at least 500,000 SRBs per host second on one core;
 * peak RSS at most 64 MiB and flat as the SRB count grows 10x. Reading
 * the wall clock is allowed here and nowhere else.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "storsim/stack.h"
#include "storsim/stats.h"
#include "storsim/trace_export.h"
#include "storsim/workload.h"

#define SCENARIO "pattern=random bs=4k qd=8 read=70 cpus=0-3"
#define REGION "16M"

enum with { WITH_NOTHING, WITH_STATS, WITH_EXPORT };

/* What one run measured; sent from the child to the parent. */
struct figures {
    uint64_t srbs;
    uint64_t events;
    double host_seconds;     /* wl_run only, not the boot */
    long peak_rss_kib;
    int ok;
};

static double
seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* VmHWM from /proc/self/status, else getrusage's ru_maxrss (both KiB). */
static long
peak_rss_kib(void)
{
    char line[128];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");
    struct rusage ru;

    while (f != NULL && fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
            break;
    if (f != NULL)
        fclose(f);
    if (kib < 0 && getrusage(RUSAGE_SELF, &ru) == 0)
        kib = ru.ru_maxrss;
    return kib;
}

static void
die(const char *what, const char *err)
{
    fprintf(stderr, "bench_stack: %s: %s\n", what, err);
    exit(1);
}

static void
run_scenario(uint64_t count, const char *region, enum with with,
             struct figures *out)
{
    struct stack_config cfg;
    struct stack *st;
    struct wl_spec spec;
    struct wl_result res;
    struct stats *sc = NULL;
    struct trace_export *te = NULL;
    FILE *devnull = NULL;
    char err[256];
    double t0;

    stack_config_default(&cfg);
    wl_spec_default(&spec);
    if (wl_spec_parse(&spec, SCENARIO, err, sizeof err) < 0 ||
        wl_spec_set(&spec, "size", region, err, sizeof err) < 0)
        die("workload", err);
    spec.count = count;
    if (stack_create(&cfg, &st, err, sizeof err) < 0)
        die("stack", err);
    if (stack_boot(st) < 0)
        die("boot", st->error);
    if (with == WITH_STATS && (stats_create(&sc) < 0 || stats_attach(sc) < 0))
        die("stats", "cannot attach");
    if (with == WITH_EXPORT && ((devnull = fopen("/dev/null", "w")) == NULL ||
                                trace_export_start(devnull, NULL, &te) < 0))
        die("export", "cannot start");
    out->events = sim_trace_count();
    t0 = seconds();
    if (wl_run(st->pa, &spec, &res, err, sizeof err) < 0)
        die("run", err);
    out->host_seconds = seconds() - t0;
    out->events = sim_trace_count() - out->events;
    out->srbs = res.srbs;
    out->ok = res.ok;
    if (te != NULL && trace_export_finish(te) < 0)
        die("export", "write error");
    if (devnull != NULL)
        fclose(devnull);
    stats_destroy(sc);
    stack_destroy(st);
    out->peak_rss_kib = peak_rss_kib();
}

/* Run in a child process, so that its peak RSS is its own. */
static void
run_isolated(uint64_t count, enum with with, struct figures *out)
{
    int fd[2], status;
    pid_t pid;

    fflush(stdout);
    if (pipe(fd) < 0 || (pid = fork()) < 0)
        die("fork", strerror(errno));
    if (pid == 0) {
        close(fd[0]);
        run_scenario(count, REGION, with, out);
        _exit(write(fd[1], out, sizeof *out) == (ssize_t)sizeof *out ? 0 : 1);
    }
    close(fd[1]);
    if (read(fd[0], out, sizeof *out) != (ssize_t)sizeof *out)
        die("child", "no figures");
    close(fd[0]);
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("child", "failed");
}

static void
print_run(const char *name, const struct figures *f)
{
    printf("%s_srbs_per_host_second: %.0f SRB/s\n", name,
           (double)f->srbs / f->host_seconds);
    printf("%s_peak_rss: %.1f MiB\n", name, (double)f->peak_rss_kib / 1024.0);
    printf("%s_trace_events_per_srb: %.1f events\n", name,
           (double)f->events / (double)f->srbs);
    if (!f->ok)
        printf("%s_integrity: FAILED\n", name);
}

/* Instructions callgrind counted for `--run count`, or 0 if it failed. */
static uint64_t
callgrind_instructions(const char *self, uint64_t count)
{
    char cmd[1024], line[512];
    uint64_t ir = 0;
    FILE *p;

    snprintf(cmd, sizeof cmd, "valgrind --tool=callgrind "
             "--callgrind-out-file=/dev/null '%s' --run %" PRIu64
             " --size 1M 2>&1", self, count);
    if ((p = popen(cmd, "r")) == NULL)
        return 0;
    while (fgets(line, sizeof line, p) != NULL) {
        const char *c = strstr(line, "Collected : ");
        if (c != NULL)
            ir = strtoull(c + 12, NULL, 10);
    }
    return pclose(p) == 0 ? ir : 0;
}

/* Under callgrind the region is 1 MiB per LUN, so that its blocks have
 * all been written (and the disk model's memory allocated) within the
 * first few thousand SRBs: the difference between the two runs is then
 * the steady state, SRB for SRB the same code as the long runs. */
static void
bench_callgrind(void)
{
    enum { SMALL = 5000, LARGE = 15000 };
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    uint64_t a, b;

    if (system("command -v valgrind >/dev/null 2>&1") != 0) {
        printf("# valgrind is not installed: no instructions per SRB\n");
        return;
    }
    if (n <= 0)
        return;
    self[n] = '\0';
    a = callgrind_instructions(self, SMALL);
    b = callgrind_instructions(self, LARGE);
    if (a == 0 || b <= a) {
        printf("# callgrind did not run\n");
        return;
    }
    /* The difference of two runs: the boot and set-up cancel out. */
    printf("stack_instructions_per_srb: %.0f instructions\n",
           (double)(b - a) / (LARGE - SMALL));
}

/* bench_stack --run N [--size 16M] [--with stats|export] */
static int
run_one(int argc, char **argv)
{
    struct figures f;
    enum with with = WITH_NOTHING;
    const char *region = REGION;
    uint64_t count = strtoull(argv[2], NULL, 10);

    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--size") == 0)
            region = argv[i + 1];
        else if (strcmp(argv[i], "--with") == 0)
            with = strcmp(argv[i + 1], "stats") == 0 ? WITH_STATS
                 : strcmp(argv[i + 1], "export") == 0 ? WITH_EXPORT
                 : WITH_NOTHING;
    }
    run_scenario(count, region, with, &f);
    print_run("run", &f);
    return f.ok ? 0 : 1;
}

int
main(int argc, char **argv)
{
    struct figures small, large, with_stats, with_export;

    if (argc > 2 && strcmp(argv[1], "--run") == 0)
        return run_one(argc, argv);
    printf("# default scenario: %s size=%s, 4 CPUs, Storport full duplex, "
           "BuildIo\n", SCENARIO, REGION);
    run_isolated(100000, WITH_NOTHING, &small);
    print_run("stack_100k", &small);
    run_isolated(1000000, WITH_NOTHING, &large);
    print_run("stack_1m", &large);
    printf("stack_rss_growth_1m_over_100k: %.3f x\n",
           (double)large.peak_rss_kib / (double)small.peak_rss_kib);
    run_isolated(100000, WITH_STATS, &with_stats);
    printf("stack_100k_with_stats_srbs_per_host_second: %.0f SRB/s\n",
           (double)with_stats.srbs / with_stats.host_seconds);
    run_isolated(100000, WITH_EXPORT, &with_export);
    printf("stack_100k_with_export_srbs_per_host_second: %.0f SRB/s\n",
           (double)with_export.srbs / with_export.host_seconds);
    bench_callgrind();
    printf("# targets: >= 500000 SRB/s (%s), peak RSS <= 64 MiB (%s), flat "
           "over 10x (%s)\n",
           (double)large.srbs / large.host_seconds >= 500000 ? "met" : "MISSED",
           large.peak_rss_kib <= 64 * 1024 ? "met" : "MISSED",
           large.peak_rss_kib <= small.peak_rss_kib * 11 / 10 ? "met" : "MISSED");
    return small.ok && large.ok ? 0 : 1;
}
