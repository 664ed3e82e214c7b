/* machine.c: the simulated machine's lifecycle, event queue and run loop.
 *
 * Interface: see include/storsim/sim.h.
 *
 * The run loop lives on its own fiber (the scheduler) rather than on the
 * caller's stack. That is what makes pausing exact: a pause switches from
 * whatever fiber is running (a CPU's activation, or the scheduler in the
 * middle of a device event) straight back to the caller of sim_run(), and
 * the next sim_run() switches straight back to it. Nothing is unwound, so
 * a paused run continues exactly as an unpaused one would have.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"
#include "storsim/physmem.h"

struct sim_machine *sim_m;
static uint64_t machine_serial;

static void sched_main(void *arg);

/* ---------- configuration ---------- */

void
sim_config_default(struct sim_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->ncpus = 4;
    cfg->seed = 1;
    cfg->trace_ring = 4096;
    cfg->fiber_stack = 64 * 1024;
    cfg->watchdog = SIM_MS(100);
    cfg->irq_policy = SIM_IRQ_LOWEST_IRQL;
    /* Typical x64 figures: an interrupt costs about a microsecond to
     * dispatch and dismiss; lock and IRQL operations tens of nanoseconds. */
    cfg->cost.interrupt_entry = 600;
    cfg->cost.interrupt_exit = 300;
    cfg->cost.dpc_dispatch = 150;
    cfg->cost.lock_acquire = 20;
    cfg->cost.lock_release = 10;
    cfg->cost.irql_change = 5;
}

int
sim_parse_time(const char *text, sim_time_t *out)
{
    static const struct { const char *unit; double scale; } units[] = {
        { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "", 1 },
    };
    char *end;
    double v;

    if (text == NULL || *text == '\0')
        return -EINVAL;
    errno = 0;
    v = strtod(text, &end);
    if (errno != 0 || end == text || v < 0 || v > 1.8e19)
        return -EINVAL;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(end, units[i].unit) == 0) {
            double ns = v * units[i].scale;
            if (ns > 1.8e19)
                return -EINVAL;
            *out = (sim_time_t)(ns + 0.5);
            return 0;
        }
    }
    return -EINVAL;
}

static int
parse_u64(const char *text, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (text == NULL || *text == '\0' || *text == '-')
        return -EINVAL;
    errno = 0;
    v = strtoull(text, &end, 0);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return -EINVAL;
    *out = v;
    return 0;
}

static int
set_time(sim_time_t *field, const char *key, const char *value, char *err,
         size_t errlen)
{
    if (sim_parse_time(value, field) < 0) {
        snprintf(err, errlen, "%s: '%s' is not a duration "
                 "(a number with ns, us, ms or s)", key, value);
        return -EINVAL;
    }
    return 0;
}

int
sim_config_set(struct sim_config *cfg, const char *key, const char *value,
               char *err, size_t errlen)
{
    static const struct { const char *key; size_t off; } costs[] = {
        { "cost.interrupt-entry", offsetof(struct sim_costs, interrupt_entry) },
        { "cost.interrupt-exit", offsetof(struct sim_costs, interrupt_exit) },
        { "cost.dpc-dispatch", offsetof(struct sim_costs, dpc_dispatch) },
        { "cost.lock-acquire", offsetof(struct sim_costs, lock_acquire) },
        { "cost.lock-release", offsetof(struct sim_costs, lock_release) },
        { "cost.irql-change", offsetof(struct sim_costs, irql_change) },
    };
    uint64_t v;

    if (strcmp(key, "cpus") == 0) {
        if (parse_u64(value, 1, SIM_MAX_CPUS, &v) < 0) {
            snprintf(err, errlen, "cpus: '%s' is out of range (1..%d)",
                     value, SIM_MAX_CPUS);
            return -EINVAL;
        }
        cfg->ncpus = (int)v;
        return 0;
    }
    if (strcmp(key, "seed") == 0) {
        if (parse_u64(value, 0, UINT64_MAX, &v) < 0) {
            snprintf(err, errlen, "seed: '%s' is not a number "
                     "(0..18446744073709551615)", value);
            return -EINVAL;
        }
        cfg->seed = v;
        return 0;
    }
    if (strcmp(key, "trace-ring") == 0) {
        if (parse_u64(value, 16, 1u << 26, &v) < 0 || (v & (v - 1)) != 0) {
            snprintf(err, errlen, "trace-ring: '%s' must be a power of two "
                     "(16..67108864)", value);
            return -EINVAL;
        }
        cfg->trace_ring = (size_t)v;
        return 0;
    }
    if (strcmp(key, "fiber-stack") == 0) {
        if (parse_u64(value, 16384, 16u << 20, &v) < 0) {
            snprintf(err, errlen, "fiber-stack: '%s' is out of range "
                     "(16384..16777216 bytes)", value);
            return -EINVAL;
        }
        cfg->fiber_stack = (size_t)v;
        return 0;
    }
    if (strcmp(key, "watchdog") == 0) {
        sim_time_t t;
        if (set_time(&t, key, value, err, errlen) < 0)
            return -EINVAL;
        if (t < SIM_US(100)) {
            snprintf(err, errlen, "watchdog: '%s' is too short (at least 100us)",
                     value);
            return -EINVAL;
        }
        cfg->watchdog = t;
        return 0;
    }
    if (strcmp(key, "irq-policy") == 0) {
        if (strcmp(value, "lowest-irql") == 0)
            cfg->irq_policy = SIM_IRQ_LOWEST_IRQL;
        else if (strcmp(value, "first-cpu") == 0)
            cfg->irq_policy = SIM_IRQ_FIRST_CPU;
        else {
            snprintf(err, errlen, "irq-policy: '%s' is not a policy "
                     "(lowest-irql, first-cpu)", value);
            return -EINVAL;
        }
        return 0;
    }
    for (size_t i = 0; i < sizeof costs / sizeof costs[0]; i++)
        if (strcmp(key, costs[i].key) == 0)
            return set_time((sim_time_t *)((char *)&cfg->cost + costs[i].off),
                            key, value, err, errlen);
    snprintf(err, errlen, "unknown machine setting '%s' (cpus, seed, "
             "trace-ring, fiber-stack, watchdog, irq-policy, cost.*)", key);
    return -ENOENT;
}

static int
validate(const struct sim_config *cfg, char *err, size_t errlen)
{
    if (cfg->ncpus < 1 || cfg->ncpus > SIM_MAX_CPUS) {
        snprintf(err, errlen, "cpus: %d is out of range (1..%d)", cfg->ncpus,
                 SIM_MAX_CPUS);
        return -EINVAL;
    }
    if (cfg->trace_ring < 16 || (cfg->trace_ring & (cfg->trace_ring - 1))) {
        snprintf(err, errlen, "trace-ring: %zu must be a power of two >= 16",
                 cfg->trace_ring);
        return -EINVAL;
    }
    if (cfg->fiber_stack < 16384) {
        snprintf(err, errlen, "fiber-stack: %zu is too small (>= 16384)",
                 cfg->fiber_stack);
        return -EINVAL;
    }
    return 0;
}

/* ---------- lifecycle ---------- */

int
sim_create(const struct sim_config *cfg, char *err, size_t errlen)
{
    char dummy[8];
    int rc;

    if (err == NULL) {
        err = dummy;
        errlen = sizeof dummy;
    }
    if (M != NULL) {
        snprintf(err, errlen, "a machine already exists");
        return -EBUSY;
    }
    if ((rc = validate(cfg, err, errlen)) < 0)
        return rc;
    sim_fault_install();
    M = calloc(1, sizeof *M);
    if (M == NULL)
        return -ENOMEM;
    M->cfg = *cfg;
    machine_serial++;
#if defined(__SANITIZE_ADDRESS__)
    /* ASan's redzones make frames several times larger. */
    if (M->cfg.fiber_stack < 256 * 1024)
        M->cfg.fiber_stack = 256 * 1024;
#endif
    M->ncpus = cfg->ncpus;
    if (sim_trace_setup(cfg->trace_ring) < 0)
        goto nomem;
    sim_fiber_init_host(&M->host);
    M->running = &M->host;
    M->sched = sim_fiber_create(M->cfg.fiber_stack, sched_main, NULL);
    if (M->sched == NULL)
        goto nomem;
    M->resume_to = M->sched;
    for (int i = 0; i < M->ncpus; i++)
        sim_cpu_setup(&M->cpus[i], i);
    sim_irq_setup();
    return 0;
nomem:
    snprintf(err, errlen, "out of memory");
    sim_destroy();
    return -ENOMEM;
}

void
sim_destroy(void)
{
    if (M == NULL)
        return;
    sim_pool_teardown();
    for (int i = 0; i < M->ncpus; i++)
        sim_cpu_teardown(&M->cpus[i]);
    for (int i = 0; i < M->nall_frames; i++) {
        sim_fiber_destroy(M->all_frames[i]->fiber);
        free(M->all_frames[i]);
    }
    free(M->all_frames);
    sim_fiber_destroy(M->sched);
    sim_trace_teardown();
    free(M->heap);
    free(M->tags);
    free(M);
    M = NULL;
    /* A new machine starts with an empty physical address space, so that
     * the same scenario gets the same physical addresses (and trace) in
     * every run, even several in one process. */
    physmem_reset();
}

uint64_t
sim_machine_serial(void)
{
    return machine_serial;
}

bool
sim_exists(void)
{
    return M != NULL;
}

const struct sim_config *
sim_get_config(void)
{
    return &M->cfg;
}

sim_time_t
sim_now(void)
{
    return M != NULL ? M->now : 0;
}

bool
sim_is_dead(void)
{
    return M != NULL && M->dead;
}

/* ---------- the event queue ---------- */

static inline bool
earlier(const struct sim_event *a, const struct sim_event *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void
heap_place(uint32_t i, struct sim_event *ev)
{
    M->heap[i] = ev;
    ev->heap_index = i;
}

static void
sift_up(uint32_t i)
{
    struct sim_event *ev = M->heap[i];

    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!earlier(ev, M->heap[parent]))
            break;
        heap_place(i, M->heap[parent]);
        i = parent;
    }
    heap_place(i, ev);
}

static void
sift_down(uint32_t i)
{
    struct sim_event *ev = M->heap[i];

    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= M->heap_len)
            break;
        if (c + 1 < M->heap_len && earlier(M->heap[c + 1], M->heap[c]))
            c++;
        if (!earlier(M->heap[c], ev))
            break;
        heap_place(i, M->heap[c]);
        i = c;
    }
    heap_place(i, ev);
}

static void
heap_remove(struct sim_event *ev)
{
    uint32_t i = ev->heap_index;
    struct sim_event *last = M->heap[--M->heap_len];

    ev->heap_index = SIM_EVENT_IDLE;
    if (last == ev)
        return;
    heap_place(i, last);
    if (i > 0 && earlier(last, M->heap[(i - 1) / 2]))
        sift_up(i);
    else
        sift_down(i);
}

void
sim_event_init(struct sim_event *ev, void (*fn)(struct sim_event *),
               const char *name)
{
    memset(ev, 0, sizeof *ev);
    ev->fn = fn;
    ev->name = name;
    ev->heap_index = SIM_EVENT_IDLE;
}

void
sim_event_schedule(struct sim_event *ev, sim_time_t when)
{
    if (when < M->now)
        when = M->now;
    if (ev->heap_index != SIM_EVENT_IDLE)
        heap_remove(ev);
    if (M->heap_len == M->heap_cap) {
        uint32_t cap = M->heap_cap ? M->heap_cap * 2 : 256;
        struct sim_event **h = realloc(M->heap, cap * sizeof *h);
        if (h == NULL) {
            fprintf(stderr, "storsim: out of memory growing the event queue\n");
            abort();
        }
        M->heap = h;
        M->heap_cap = cap;
    }
    ev->time = when;
    ev->seq = M->event_seq++;
    heap_place(M->heap_len++, ev);
    sift_up(ev->heap_index);
}

void
sim_event_cancel(struct sim_event *ev)
{
    /* After sim_destroy() the queue is gone, and so is every event in it:
     * a device torn down after the machine cancels nothing. */
    if (M == NULL) {
        ev->heap_index = SIM_EVENT_IDLE;
        return;
    }
    if (ev->heap_index != SIM_EVENT_IDLE)
        heap_remove(ev);
}

bool
sim_event_pending(const struct sim_event *ev)
{
    return ev->heap_index != SIM_EVENT_IDLE;
}

sim_time_t
sim_heap_min_time(void)
{
    return M->heap_len ? M->heap[0]->time : SIM_TIME_NEVER;
}

/* ---------- fibers and run control ---------- */

void
sim_switch_to(struct sim_fiber *to)
{
    struct sim_fiber *from = M->running;

    M->running = to;
    sim_fiber_switch(from, to);
    /* Back on `from`: whoever switched here already set M->running. */
}

/* Return to the caller of sim_run(); the next sim_run() resumes here. */
void
sim_pause(enum sim_stop_reason why)
{
    if (!M->in_run || M->running == &M->host)
        return;
    M->stop_reason = why;
    M->resume_to = M->running;
    sim_switch_to(&M->host);
}

/* After a bug check: leave the running fiber for good. */
void
sim_die(void)
{
    struct sim_fiber *from = M->running;

    M->stop_reason = SIM_STOP_BUGCHECK;
    M->resume_to = NULL;
    M->running = &M->host;
    sim_fiber_switch_final(from, &M->host);
    abort();  /* not reached: a dead machine is never resumed */
}

static void
sched_main(void *arg)
{
    (void)arg;
    for (;;) {
        struct sim_event *ev;

        if (M->heap_len == 0) {
            sim_pause(SIM_STOP_IDLE);
            continue;
        }
        ev = M->heap[0];
        if (M->lim.until != 0 && ev->time > M->lim.until) {
            /* Nothing happens until then: the clock reaches the limit. */
            if (M->now < M->lim.until)
                M->now = M->lim.until;
            sim_pause(SIM_STOP_TIME);
            continue;
        }
        heap_remove(ev);
        M->now = ev->time;
        ev->fn(ev);
    }
}

enum sim_stop_reason
sim_run(const struct sim_run_limits *lim)
{
    static const struct sim_run_limits none;

    if (M->dead)
        return SIM_STOP_BUGCHECK;
    if (M->in_run)
        return SIM_STOP_REQUESTED;   /* re-entered from a subscriber: refuse */
    M->lim = lim != NULL ? *lim : none;
    M->step_target = M->lim.steps ? M->trace_count + M->lim.steps : 0;
    M->stop_requested = false;
    M->in_run = true;
    sim_hang_guard(true);
    sim_switch_to(M->resume_to);
    sim_hang_guard(false);
    M->in_run = false;
    return M->stop_reason;
}

void
sim_request_stop(void)
{
    if (M != NULL)
        M->stop_requested = true;
}

const char *
sim_stop_reason_name(enum sim_stop_reason r)
{
    static const char *const names[] = {
        [SIM_STOP_IDLE] = "idle", [SIM_STOP_TIME] = "time limit",
        [SIM_STOP_STEPS] = "step limit", [SIM_STOP_MATCH] = "match",
        [SIM_STOP_REQUESTED] = "stop requested",
        [SIM_STOP_BUGCHECK] = "bug check",
    };
    return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "?";
}

/* ---------- random numbers ---------- */

static uint64_t
splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void
sim_rng_seed(struct sim_rng *rng, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&seed);
}

void
sim_rng_init(struct sim_rng *rng, const char *name)
{
    uint64_t h = 0xcbf29ce484222325ull;   /* FNV-1a of the name */

    for (const char *p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
    sim_rng_seed(rng, h ^ (M != NULL ? M->cfg.seed : 0));
}

static inline uint64_t
rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t
sim_rng_next(struct sim_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t
sim_rng_below(struct sim_rng *rng, uint64_t bound)
{
    /* Lemire's multiply-shift; the tiny bias is irrelevant here and the
     * result is deterministic, which is what matters. */
    return (uint64_t)(((unsigned __int128)sim_rng_next(rng) * bound) >> 64);
}
