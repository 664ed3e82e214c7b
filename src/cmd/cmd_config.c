/* cmd_config.c: commands that describe the machine before it runs: set
 * and lun (what goes wrong on purpose, bug and fault, is in
 * cmd_faults.c).
 *
 * Interface: cmd_set_entry, cmd_lun_entry (listed in cmd_misc.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/cmd_int.h"
#include "storsim/scsi_disk.h"

/* ---------- set ---------- */

static const char *const set_keys[] = {
    "machine.cpus", "machine.seed", "machine.watchdog", "machine.irq-policy",
    "machine.trace-ring", "machine.cost.interrupt-entry",
    "machine.cost.interrupt-exit", "machine.cost.dpc-dispatch",
    "machine.cost.lock-acquire", "machine.cost.lock-release",
    "machine.cost.irql-change", "machine.serial", "machine.serial-baud",
    "machine.parallel", "machine.parallel-byte-time",
    "adapter.port", "adapter.queue-depth", "adapter.max-sg",
    "adapter.max-transfer", "adapter.dirql", "adapter.irq",
    "adapter.coalesce-count", "adapter.coalesce-time", "adapter.command-time",
    "miniport.duplex", "miniport.work", "miniport.cost-per-srb",
    "miniport.cost-per-sg", "miniport.max-transfer", "miniport.caches-data",
    "miniport.srb-ex", "miniport.bug-every", "miniport.pio",
    "miniport.pio-strategy", "miniport.pio-cap", "miniport.tagged-queuing",
    "miniport.auto-request-sense",
    "storport.cost.submit", "storport.cost.complete",
    "storport.cost.library-call", "scsiport.verify-isr",
    NULL,
};

int
cmd_parse_bool(const char *v, bool *out)
{
    if (!strcasecmp(v, "on") || !strcasecmp(v, "yes") || !strcmp(v, "1") ||
        !strcasecmp(v, "true")) {
        *out = true;
        return 0;
    }
    if (!strcasecmp(v, "off") || !strcasecmp(v, "no") || !strcmp(v, "0") ||
        !strcasecmp(v, "false")) {
        *out = false;
        return 0;
    }
    return -EINVAL;
}

int
cmd_parse_u64(const char *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end;
    unsigned long long x;
    uint64_t mult = 1;

    if (v == NULL || *v == '\0' || *v == '-')
        return -EINVAL;
    errno = 0;
    x = strtoull(v, &end, 0);
    if (errno)
        return -EINVAL;
    if (*end == 'k' || *end == 'K')
        mult = 1024, end++;
    else if (*end == 'm' || *end == 'M')
        mult = 1024 * 1024, end++;
    else if (*end == 'g' || *end == 'G')
        mult = 1024ull * 1024 * 1024, end++;
    else if (*end == 't' || *end == 'T')
        mult = 1024ull * 1024 * 1024 * 1024, end++;
    if (*end != '\0' || x > hi / mult || x * mult < lo)
        return -EINVAL;
    *out = x * mult;
    return 0;
}

static int
bad_value(struct cmd_session *s, const char *key, const char *v,
          const char *allowed)
{
    return cmd_error(s, 2, "%s: '%s' is not allowed (%s)", key, v, allowed);
}

static int
set_time(struct cmd_session *s, const char *key, const char *v,
         sim_time_t *out)
{
    if (sim_parse_time(v, out) < 0)
        return bad_value(s, key, v, "a duration such as 80us, 1.5ms, 250ns");
    return 0;
}

static int
set_number(struct cmd_session *s, const char *key, const char *v, uint64_t lo,
           uint64_t hi, uint64_t *out)
{
    char range[96];

    if (cmd_parse_u64(v, lo, hi, out) < 0) {
        snprintf(range, sizeof range, "%llu..%llu", (unsigned long long)lo,
                 (unsigned long long)hi);
        return bad_value(s, key, v, range);
    }
    return 0;
}

static int
set_adapter(struct cmd_session *s, const char *k, const char *v)
{
    struct hba_config *h = &s->cfg.hba;
    uint64_t x;
    int rc = 0;

    if (!strcmp(k, "port")) {
        if (!strcmp(v, "storport"))
            s->cfg.model = PORT_MODEL_STORPORT;
        else if (!strcmp(v, "scsiport"))
            s->cfg.model = PORT_MODEL_SCSIPORT;
        else
            return bad_value(s, "adapter.port", v, "storport, scsiport");
    } else if (!strcmp(k, "queue-depth")) {
        if ((rc = set_number(s, "adapter.queue-depth", v, 1, 1024, &x)) == 0)
            h->queue_depth = (uint32_t)x;
    } else if (!strcmp(k, "max-sg")) {
        if ((rc = set_number(s, "adapter.max-sg", v, 1, 256, &x)) == 0)
            h->max_sg = (uint32_t)x;
    } else if (!strcmp(k, "max-transfer")) {
        if ((rc = set_number(s, "adapter.max-transfer", v, 512, 8u << 20,
                             &x)) == 0)
            h->max_transfer = (uint32_t)x;
    } else if (!strcmp(k, "dirql")) {
        if ((rc = set_number(s, "adapter.dirql", v, SIM_DIRQL_MIN,
                             SIM_DIRQL_MAX, &x)) == 0)
            s->cfg.dirql = (sim_irql_t)x;
    } else if (!strcmp(k, "irq")) {
        if (!strcmp(v, "level"))
            h->irq_mode = SIM_IRQ_LEVEL;
        else if (!strcmp(v, "msi"))
            h->irq_mode = SIM_IRQ_EDGE;
        else
            return bad_value(s, "adapter.irq", v, "level, msi");
    } else if (!strcmp(k, "coalesce-count")) {
        if ((rc = set_number(s, "adapter.coalesce-count", v, 0, 1024, &x)) == 0)
            h->coalesce_count = (uint32_t)x;
    } else if (!strcmp(k, "coalesce-time")) {
        sim_time_t t;
        if ((rc = set_time(s, "adapter.coalesce-time", v, &t)) == 0)
            h->coalesce_ns = (uint32_t)t;
    } else if (!strcmp(k, "command-time")) {
        rc = set_time(s, "adapter.command-time", v, &h->command_ns);
    } else {
        return -ENOENT;
    }
    return rc;
}

static int
set_miniport(struct cmd_session *s, const char *k, const char *v)
{
    struct mp_options *m = &s->cfg.miniport;
    uint64_t x;
    bool b;

    if (!strcmp(k, "duplex")) {
        if (strcmp(v, "full") && strcmp(v, "half"))
            return bad_value(s, "miniport.duplex", v, "full, half");
        m->full_duplex = v[0] == 'f';
    } else if (!strcmp(k, "work")) {
        if (strcmp(v, "buildio") && strcmp(v, "startio"))
            return bad_value(s, "miniport.work", v, "buildio, startio");
        m->work_in = v[0] == 'b' ? MP_WORK_IN_BUILDIO : MP_WORK_IN_STARTIO;
    } else if (!strcmp(k, "cost-per-srb")) {
        return set_time(s, "miniport.cost-per-srb", v, &m->cost_per_srb);
    } else if (!strcmp(k, "cost-per-sg")) {
        return set_time(s, "miniport.cost-per-sg", v, &m->cost_per_sg);
    } else if (!strcmp(k, "max-transfer")) {
        if (set_number(s, "miniport.max-transfer", v, 0, 8u << 20, &x) < 0)
            return -EINVAL;
        m->max_transfer = (uint32_t)x;
    } else if (!strcmp(k, "caches-data") || !strcmp(k, "srb-ex") ||
               !strcmp(k, "pio") || !strcmp(k, "tagged-queuing") ||
               !strcmp(k, "auto-request-sense")) {
        if (cmd_parse_bool(v, &b) < 0)
            return bad_value(s, k, v, "on, off");
        if (!strcmp(k, "caches-data"))
            m->caches_data = b;
        else if (!strcmp(k, "srb-ex"))
            m->srb_ex = b;
        else if (!strcmp(k, "pio"))
            m->pio = b;
        else if (!strcmp(k, "tagged-queuing"))
            m->tagged_queuing = b;
        else
            m->auto_request_sense = b;
    } else if (!strcmp(k, "pio-strategy")) {
        if (!strcmp(v, "defer"))
            m->pio_strategy = MP_PIO_DEFER;
        else if (!strcmp(v, "poll"))
            m->pio_strategy = MP_PIO_POLL;
        else if (!strcmp(v, "cap"))
            m->pio_strategy = MP_PIO_CAP;
        else
            return bad_value(s, "miniport.pio-strategy", v, "defer, poll, cap");
    } else if (!strcmp(k, "pio-cap")) {
        if (set_number(s, "miniport.pio-cap", v, 512, 8u << 20, &x) < 0)
            return -EINVAL;
        if (x % 512 != 0)
            return bad_value(s, "miniport.pio-cap", v, "a multiple of 512");
        m->pio_cap = (uint32_t)x;
    } else if (!strcmp(k, "bug-every")) {
        if (set_number(s, "miniport.bug-every", v, 1, 1000000, &x) < 0)
            return -EINVAL;
        m->bug_every = (uint32_t)x;
    } else {
        return -ENOENT;
    }
    return 0;
}

static int
set_storport(struct cmd_session *s, const char *k, const char *v)
{
    struct storport_costs *c = &s->cfg.storport_cost;

    if (!strcmp(k, "cost.submit"))
        return set_time(s, "storport.cost.submit", v, &c->submit);
    if (!strcmp(k, "cost.complete"))
        return set_time(s, "storport.cost.complete", v, &c->complete);
    if (!strcmp(k, "cost.library-call"))
        return set_time(s, "storport.cost.library-call", v, &c->library_call);
    return -ENOENT;
}

/* The legacy ports beside the mouse (seed 003's serial and parallel
 * throughput); -ENOENT for any other key. */
static int
set_legacy(struct cmd_session *s, const char *k, const char *v)
{
    uint64_t x;
    sim_time_t t;
    bool b;

    if (!strcmp(k, "serial") || !strcmp(k, "parallel")) {
        if (cmd_parse_bool(v, &b) < 0)
            return bad_value(s, k[0] == 's' ? "machine.serial"
                             : "machine.parallel", v, "on, off");
        *(k[0] == 's' ? &s->cfg.serial : &s->cfg.parallel) = b;
        return 0;
    }
    if (!strcmp(k, "serial-baud")) {
        if (set_number(s, "machine.serial-baud", v, 300, 4000000, &x) < 0)
            return -EINVAL;
        s->cfg.serial_port.baud = (uint32_t)x;
        return 0;
    }
    if (!strcmp(k, "parallel-byte-time")) {
        if (set_time(s, "machine.parallel-byte-time", v, &t) < 0)
            return -EINVAL;
        if (t == 0 || t > SIM_MS(10))
            return bad_value(s, "machine.parallel-byte-time", v,
                             "1ns..10ms");
        s->cfg.parallel_port.byte_time = t;
        return 0;
    }
    return -ENOENT;
}

/* A machine key: sim_config_set() validates and words the message. */
static int
set_machine(struct cmd_session *s, const char *k, const char *v)
{
    char err[256];
    int rc = set_legacy(s, k, v);

    if (rc != -ENOENT)
        return rc;
    rc = sim_config_set(&s->cfg.machine, k, v, err, sizeof err);

    if (rc == -EINVAL)
        return cmd_error(s, 2, "machine.%s", err);
    if (rc == 0 && !strcmp(k, "cpus"))
        s->spec.cpus = s->cfg.machine.ncpus >= 64
                           ? UINT64_MAX : (1ull << s->cfg.machine.ncpus) - 1;
    return rc;
}

static int
unknown_key(struct cmd_session *s, const char *key)
{
    const char *hint = cmd_suggest(key, set_keys);

    if (hint != NULL)
        return cmd_error(s, 1, "unknown key '%s', did you mean '%s'?", key,
                         hint);
    return cmd_error(s, 1, "unknown key '%s' (keys: machine.*, adapter.*, "
                     "miniport.*, storport.*, scsiport.*, workload.*; 'help set' lists "
                     "them)", key);
}

int
cmd_set_value(struct cmd_session *s, const char *key, const char *value)
{
    int rc = -ENOENT;
    const char *dot = strchr(key, '.');

    if (dot == NULL)
        return unknown_key(s, key);
    if (!strncmp(key, "workload.", 9)) {
        char err[256];
        rc = wl_spec_set(&s->spec, key + 9, value, err, sizeof err);
        if (rc == -EINVAL || rc == -ENOENT)
            return cmd_error(s, rc == -ENOENT ? 1 : 2, "workload: %s", err);
        return rc;
    }
    if (s->st != NULL && strncmp(key, "miniport.bug", 12) != 0)
        return cmd_error(s, 1, "'%s' describes the machine, which is "
                         "already booted ('reset' first)", key);
    if (!strncmp(key, "machine.", 8))
        rc = set_machine(s, key + 8, value);
    else if (!strncmp(key, "adapter.", 8))
        rc = set_adapter(s, key + 8, value);
    else if (!strncmp(key, "miniport.", 9))
        rc = set_miniport(s, key + 9, value);
    else if (!strncmp(key, "storport.", 9))
        rc = set_storport(s, key + 9, value);
    else if (!strcmp(key, "scsiport.verify-isr")) {
        bool b;
        if (cmd_parse_bool(value, &b) < 0)
            return bad_value(s, key, value, "on, off");
        s->cfg.scsiport_verify_isr = b;
        rc = 0;
    }
    return rc == -ENOENT ? unknown_key(s, key) : rc;
}

static int
set_exec(struct cmd_session *s, int argc, char **argv)
{
    char key[128];
    const char *eq;

    if (argc == 2 && (eq = strchr(argv[1], '=')) != NULL &&
        (size_t)(eq - argv[1]) < sizeof key) {
        memcpy(key, argv[1], (size_t)(eq - argv[1]));
        key[eq - argv[1]] = '\0';
        s->col[2] = s->col[1] + (int)(eq - argv[1]) + 1;
        return cmd_set_value(s, key, eq + 1);
    }
    if (argc != 3)
        return cmd_error(s, argc > 3 ? 3 : -1, "expected 'set KEY VALUE' "
                         "or 'set KEY=VALUE'");
    return cmd_set_value(s, argv[1], argv[2]);
}

const struct cmd_entry cmd_set_entry = {
    .name = "set", .usage = "set KEY VALUE",
    .help = "change a setting of the machine, adapter, miniport or workload",
    .long_help =
        "Keys (values take units: 4k, 1M, 80us, 2ms):\n"
        "  machine.cpus 1..64, machine.seed, machine.watchdog,\n"
        "  machine.irq-policy lowest-irql|first-cpu, machine.cost.* (times)\n"
        "  machine.serial on|off, machine.serial-baud 300..4000000,\n"
        "  machine.parallel on|off, machine.parallel-byte-time: a serial\n"
        "  port receiving and a parallel port printing while the mouse\n"
        "  moves, to measure what a long ISR costs them\n"
        "  adapter.port storport|scsiport, adapter.queue-depth 1..1024,\n"
        "  adapter.max-sg, adapter.max-transfer, adapter.dirql 3..11,\n"
        "  adapter.irq level|msi, adapter.coalesce-count,\n"
        "  adapter.coalesce-time, adapter.command-time\n"
        "  miniport.duplex full|half, miniport.work buildio|startio,\n"
        "  miniport.cost-per-srb, miniport.cost-per-sg,\n"
        "  miniport.max-transfer, miniport.caches-data on|off,\n"
        "  miniport.srb-ex on|off, miniport.bug-every N\n"
        "  miniport.pio on|off, miniport.pio-strategy defer|poll|cap,\n"
        "  miniport.pio-cap BYTES, miniport.tagged-queuing on|off,\n"
        "  miniport.auto-request-sense on|off (the last five: SCSI Port)\n"
        "  storport.cost.submit|complete|library-call\n"
        "  scsiport.verify-isr on|off: bug-check on an ISR over 50 us\n"
        "  workload.KEY: the keys of 'workload' (bs, qd, count, read ...)\n"
        "Machine, adapter and miniport settings apply at the next 'boot'.",
    .exec = set_exec,
};

/* ---------- lun ---------- */

static int
lun_option(struct cmd_session *s, int word, const char *opt,
           struct scsi_disk_config *d)
{
    static const char *const keys[] = { "size", "block-size", "latency",
                                         "write-cache", NULL };
    const char *eq = strchr(opt, '=');
    char k[32];
    uint64_t x;
    bool b;

    if (eq == NULL || (size_t)(eq - opt) >= sizeof k)
        return cmd_error(s, word, "expected KEY=VALUE, got '%s'", opt);
    memcpy(k, opt, (size_t)(eq - opt));
    k[eq - opt] = '\0';
    if (!strcmp(k, "block-size")) {
        if (cmd_parse_u64(eq + 1, 512, 4096, &x) < 0 || (x != 512 && x != 4096))
            return cmd_error(s, word, "block-size: '%s' is not 512 or 4096",
                             eq + 1);
        d->capacity_blocks = d->capacity_blocks * d->block_size / x;
        d->block_size = (uint32_t)x;
    } else if (!strcmp(k, "size")) {
        if (cmd_parse_u64(eq + 1, d->block_size, 1ull << 50, &x) < 0)
            return cmd_error(s, word, "size: '%s' is not a size (e.g. 64G, "
                             "up to 1024T)", eq + 1);
        d->capacity_blocks = x / d->block_size;
    } else if (!strcmp(k, "latency")) {
        if (scsi_disk_latency_preset(eq + 1, &d->latency) < 0)
            return cmd_error(s, word, "latency: '%s' is not a preset (nvme, "
                             "sas-ssd, hdd-15k)", eq + 1);
    } else if (!strcmp(k, "write-cache")) {
        if (cmd_parse_bool(eq + 1, &b) < 0)
            return cmd_error(s, word, "write-cache: '%s' is not on or off",
                             eq + 1);
        d->write_cache = b;
    } else {
        const char *hint = cmd_suggest(k, keys);
        return cmd_error(s, word, "unknown lun option '%s'%s%s%s", k,
                         hint ? ", did you mean '" : " (size, block-size, "
                         "latency, write-cache)", hint ? hint : "",
                         hint ? "'?" : "");
    }
    return 0;
}

static int
lun_exec(struct cmd_session *s, int argc, char **argv)
{
    struct scsi_disk_config d;
    uint64_t t, l;

    if (argc >= 2 && !strcmp(argv[1], "clear")) {
        s->cfg.hba.nluns = 0;
        return 0;
    }
    if (argc < 4 || strcmp(argv[1], "add"))
        return cmd_error(s, argc > 1 ? 1 : -1, "expected 'lun add TARGET LUN "
                         "[size=..] [block-size=..] [latency=..] "
                         "[write-cache=..]' or 'lun clear'");
    if (s->st != NULL)
        return cmd_error(s, 0, "the machine is booted ('reset' first)");
    if (cmd_parse_u64(argv[2], 0, 7, &t) < 0)
        return cmd_error(s, 2, "target '%s' is out of range (0..7)", argv[2]);
    if (cmd_parse_u64(argv[3], 0, 7, &l) < 0)
        return cmd_error(s, 3, "LUN '%s' is out of range (0..7)", argv[3]);
    scsi_disk_config_init(&d);
    for (int i = 4; i < argc; i++)
        if (lun_option(s, i, argv[i], &d) < 0)
            return -EINVAL;
    if (hba_config_add_lun(&s->cfg.hba, (unsigned)t, (unsigned)l, &d) < 0)
        return cmd_error(s, 1, "too many LUNs on the adapter");
    return 0;
}

const struct cmd_entry cmd_lun_entry = {
    .name = "lun", .usage = "lun add T L [size=..]... | lun clear",
    .help = "add a disk (target T, LUN L) to the adapter, or remove them all",
    .long_help =
        "Options: size=1G (up to terabytes; only written data uses memory),\n"
        "block-size=512|4096, latency=nvme|sas-ssd|hdd-15k,\n"
        "write-cache=on|off (SYNCHRONIZE CACHE flushes it; a power-loss\n"
        "fault loses it).",
    .exec = lun_exec,
};
