/* compare.c: `storsim compare`: one workload under every port-driver
 * model, with the miniport's per-SRB work in StartIo and in BuildIo, as
 * one table -- the seeds' performance claims as numbers.
 *
 * Interface: cmd_compare() (include/storsim/cmd.h).
 */
#include <errno.h>
#include <string.h>

#include "cmd/cmd_int.h"

struct variant {
    const char *port, *duplex, *work;
    const char *label;
};

static const struct variant variants[] = {
    { "scsiport", "half", "startio", "SCSI Port, work in HwScsiStartIo" },
    { "storport", "half", "startio", "Storport half duplex, work in StartIo" },
    { "storport", "half", "buildio", "Storport half duplex, work in BuildIo" },
    { "storport", "full", "startio", "Storport full duplex, work in StartIo" },
    { "storport", "full", "buildio", "Storport full duplex, work in BuildIo" },
};
#define NVARIANTS (sizeof variants / sizeof variants[0])

struct outcome {
    bool ok;
    char why[512];
    struct wl_result res;
};

static void
force(struct cmd_session *s, const char *key, const char *value)
{
    snprintf(s->force[s->nforce].key, sizeof s->force[0].key, "%s", key);
    snprintf(s->force[s->nforce].value, sizeof s->force[0].value, "%s", value);
    s->nforce++;
}

static void
run_variant(const struct cmd_scenario *sc, const struct variant *v,
            char *const *sets, int nsets, struct outcome *o, FILE *err)
{
    struct cmd_session s;
    FILE *null = fopen("/dev/null", "w");

    cmd_session_init(&s, null ? null : stdout, err);
    s.quiet = true;
    force(&s, "adapter.port", v->port);
    force(&s, "miniport.duplex", v->duplex);
    force(&s, "miniport.work", v->work);
    o->ok = false;
    for (int i = 0; i < nsets && s.nforce < 8; i++) {
        const char *eq = strchr(sets[i], '=');
        char key[48];
        if (eq == NULL || (size_t)(eq - sets[i]) >= sizeof key)
            continue;
        memcpy(key, sets[i], (size_t)(eq - sets[i]));
        key[eq - sets[i]] = '\0';
        force(&s, key, eq + 1);
    }
    if (cmd_run_scenario(&s, sc) < 0)
        snprintf(o->why, sizeof o->why, "%s", s.error);
    else if (s.exit_status == CMD_EXIT_BUGCHECK)
        snprintf(o->why, sizeof o->why, "the machine bug-checked");
    else if (!s.have_last)
        snprintf(o->why, sizeof o->why, "the scenario ran no workload");
    else {
        o->ok = true;
        o->res = s.last;
    }
    cmd_session_free(&s);
    if (null != NULL)
        fclose(null);
}

static void
print_text(FILE *out, const char *scenario, const struct outcome *o)
{
    double base = o[0].ok ? o[0].res.all.iops : 0;

    fprintf(out, "compare: scenario %s\n\n%-40s %10s %9s %10s %10s %8s\n",
            scenario, "", "IOPS", "MB/s", "mean(us)", "p99(us)", "vs SCSI");
    for (size_t i = 0; i < NVARIANTS; i++) {
        if (!o[i].ok) {
            fprintf(out, "%-40s not run: %s\n", variants[i].label, o[i].why);
            continue;
        }
        fprintf(out, "%-40s %10.0f %9.1f %10.1f %10.1f ", variants[i].label,
                o[i].res.all.iops, o[i].res.all.mbps,
                o[i].res.all.lat_mean / 1e3,
                (double)o[i].res.all.p99 / 1e3);
        if (base > 0)
            fprintf(out, "%7.2fx\n", o[i].res.all.iops / base);
        else
            fprintf(out, "%8s\n", "-");
    }
}

static void
print_json(FILE *out, const char *scenario, const struct outcome *o)
{
    fprintf(out, "{\"scenario\": \"%s\", \"runs\": [", scenario);
    for (size_t i = 0; i < NVARIANTS; i++) {
        fprintf(out, "%s\n  {\"port\": \"%s\", \"duplex\": \"%s\", "
                "\"work\": \"%s\", \"ok\": %s", i ? "," : "", variants[i].port,
                variants[i].duplex, variants[i].work,
                o[i].ok ? "true" : "false");
        if (o[i].ok)
            fprintf(out, ", \"requests\": %llu",
                    (unsigned long long)o[i].res.all.requests);
        if (o[i].ok)
            fprintf(out, ", \"iops\": %.1f, \"mbps\": %.3f, \"lat_mean_ns\": "
                    "%.1f, \"lat_p99_ns\": %llu, \"integrity_ok\": %s",
                    o[i].res.all.iops, o[i].res.all.mbps,
                    o[i].res.all.lat_mean,
                    (unsigned long long)o[i].res.all.p99,
                    o[i].res.ok ? "true" : "false");
        fprintf(out, "}");
    }
    fprintf(out, "\n]}\n");
}

int
cmd_compare(const char *scenario, char *const *sets, int nsets, bool json,
            FILE *out, FILE *err)
{
    struct outcome o[NVARIANTS];
    const struct cmd_scenario *sc;
    int status = CMD_EXIT_OK;

    if (scenario == NULL)
        scenario = "buildio-vs-startio";
    if ((sc = cmd_scenario_find(scenario)) == NULL) {
        fprintf(err, "storsim compare: no scenario '%s' (storsim scenarios "
                "lists them)\n", scenario);
        return CMD_EXIT_USAGE;
    }
    for (size_t i = 0; i < NVARIANTS; i++) {
        run_variant(sc, &variants[i], sets, nsets, &o[i], err);
        if (o[i].ok && !o[i].res.ok)
            status = CMD_EXIT_INTEGRITY;
    }
    if (json)
        print_json(out, scenario, o);
    else
        print_text(out, scenario, o);
    return status;
}
