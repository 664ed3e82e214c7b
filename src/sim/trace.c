/* trace.c: the trace event stream (see include/storsim/trace.h).
 *
 * Every event goes into a power-of-two ring (the console's history), into
 * a running hash (the determinism check), and to each subscriber. Emitting
 * on a CPU is a yield point: the run may pause right after the event, and
 * if another event is due at this very instant the CPU lets it go first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

/* Strings are hashed by content, not address, so that the hash is the
 * same in every build; a small cache keyed by address avoids rehashing
 * the same static string for every event. */
#define STR_CACHE 1024
static struct { const char *p; uint64_t h; } str_cache[STR_CACHE];

static uint64_t __attribute__((noinline))
str_hash_miss(const char *s, uintptr_t slot)
{
    uint64_t h = 0xcbf29ce484222325ull;

    for (const char *c = s; *c; c++)
        h = (h ^ (unsigned char)*c) * 0x100000001b3ull;
    str_cache[slot].p = s;
    str_cache[slot].h = h;
    return h;
}

/* Three per event: the cached case is a few instructions, inline. NULL
 * sits in slot 0 with hash 0 from the start (see sim_trace_setup). */
static inline uint64_t
str_hash(const char *s)
{
    uintptr_t slot = ((uintptr_t)s >> 3) & (STR_CACHE - 1);

    if (__builtin_expect(str_cache[slot].p == s, 1))
        return str_cache[slot].h;
    if (s == NULL)
        return 0;
    return str_hash_miss(s, slot);
}

static inline uint64_t
mix(uint64_t h, uint64_t x)
{
    h = (h ^ x) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

int
sim_trace_setup(size_t ring)
{
    M->ring = calloc(ring, sizeof *M->ring);
    if (M->ring == NULL)
        return -ENOMEM;
    M->ring_mask = ring - 1;
    M->trace_hash = 0x84222325cbf29ce4ull;
    memset(str_cache, 0, sizeof str_cache);
    return 0;
}

void
sim_trace_teardown(void)
{
    free(M->ring);
    M->ring = NULL;
}

/* Fold one event into the running hash. The fields are multiplied by
 * distinct odd constants and summed -- independent multiplies the CPU
 * overlaps -- and only the sum goes through the serial mix, so the hash
 * costs a few cycles per event while any change to any field still
 * changes it. It detects divergence; it is not meant to resist an
 * adversary. */
static void
hash_event(const struct sim_trace_event *ev)
{
    uint64_t packed1 = ((uint64_t)(uint16_t)ev->cpu << 48) |
                       ((uint64_t)ev->lock << 32) | ev->srb;
    uint64_t packed2 = ((uint64_t)ev->kind << 48) |
                       ((uint64_t)ev->irql_before << 40) |
                       ((uint64_t)ev->irql_after << 32) | ev->line;
    uint64_t sum = ev->time * 0x9E3779B97F4A7C15ull +
                   ev->arg * 0xC2B2AE3D27D4EB4Full +
                   ev->arg2 * 0x165667B19E3779F9ull +
                   packed1 * 0xD6E8FEB86659FD93ull +
                   packed2 * 0xFF51AFD7ED558CCDull +
                   str_hash(ev->routine) * 0xC4CEB9FE1A85EC53ull +
                   str_hash(ev->file) * 0x94D049BB133111EBull +
                   str_hash(ev->detail) * 0xBF58476D1CE4E5B9ull;

    M->trace_hash = mix(M->trace_hash, sum);
}

void
sim_trace_emit_on(int cpu_id, const struct sim_trace_args *a)
{
    struct sim_cpu *cpu = cpu_id >= 0 ? &M->cpus[cpu_id] : NULL;
    struct sim_frame *f = cpu ? sim_top(cpu) : NULL;
    struct sim_trace_event *ev = &M->ring[M->trace_count & M->ring_mask];

    if (f != NULL && a->file != NULL) {
        f->site_file = a->file;    /* the console shows where each CPU is */
        f->site_line = a->line;
    }
    ev->time = M->now;
    ev->seq = M->trace_count;
    ev->arg = a->arg;
    ev->arg2 = a->arg2;
    ev->routine = a->routine ? a->routine
                             : cpu ? sim_cpu_routine(cpu) : "(device)";
    ev->file = a->file ? a->file : f ? f->site_file : NULL;
    ev->line = (uint32_t)(a->file ? a->line : f ? f->site_line : 0);
    ev->detail = a->detail;
    ev->srb = a->srb ? a->srb : f ? f->srb : 0;
    ev->cpu = (int16_t)cpu_id;
    ev->lock = a->lock;
    ev->kind = (uint8_t)a->kind;
    ev->irql_after = cpu ? cpu->irql : 0;
    ev->irql_before = a->irql_changed ? a->irql_before : ev->irql_after;
    hash_event(ev);
    M->trace_count++;
    sim_progress();                  /* for the hang guard (fault.c) */
    for (int i = 0; i < M->nsubs; i++)
        if (!M->subs[i].quiet)
            M->subs[i].fn(ev, M->subs[i].ctx);
    if (!M->in_run || M->dead)
        return;
    if (M->step_target != 0 && M->trace_count >= M->step_target)
        sim_pause(SIM_STOP_STEPS);
    else if (M->lim.match != NULL && M->lim.match(ev, M->lim.match_ctx))
        sim_pause(SIM_STOP_MATCH);
    else if (M->stop_requested) {
        M->stop_requested = false;
        sim_pause(SIM_STOP_REQUESTED);
    }
}

void
sim_trace_emit(const struct sim_trace_args *a)
{
    struct sim_cpu *cpu = M->current;

    sim_trace_emit_on(cpu ? cpu->id : -1, a);
    /* Only the CPU's own activation may yield; an event emitted on its
     * behalf from the scheduler (a switch hook) must not. */
    if (cpu != NULL && M->running != M->sched)
        sim_maybe_yield();
}

int
sim_trace_subscribe(sim_trace_fn *fn, void *ctx)
{
    if (M->nsubs == TRACE_SUBSCRIBERS)
        return -ENOSPC;
    M->subs[M->nsubs].fn = fn;
    M->subs[M->nsubs].ctx = ctx;
    M->subs[M->nsubs].quiet = false;
    M->nsubs++;
    return 0;
}

void
sim_trace_unsubscribe(sim_trace_fn *fn, void *ctx)
{
    for (int i = 0; i < M->nsubs; i++)
        if (M->subs[i].fn == fn && M->subs[i].ctx == ctx) {
            memmove(&M->subs[i], &M->subs[i + 1],
                    (size_t)(M->nsubs - i - 1) * sizeof M->subs[0]);
            M->nsubs--;
            return;
        }
}

void
sim_trace_quiet(sim_trace_fn *fn, void *ctx, bool quiet)
{
    for (int i = 0; i < M->nsubs; i++)
        if (M->subs[i].fn == fn && M->subs[i].ctx == ctx)
            M->subs[i].quiet = quiet;
}

size_t
sim_trace_ring_size(void)
{
    return M->ring_mask + 1;
}

uint64_t
sim_trace_count(void)
{
    return M->trace_count;
}

const struct sim_trace_event *
sim_trace_recent(uint64_t back)
{
    if (back >= M->trace_count || back > M->ring_mask)
        return NULL;
    return &M->ring[(M->trace_count - 1 - back) & M->ring_mask];
}

uint64_t
sim_trace_hash(void)
{
    return M->trace_hash;
}

const char *
sim_trace_kind_name(enum sim_trace_kind kind)
{
    static const char *const names[SIM_EV_KIND_COUNT] = {
        [SIM_EV_ENTER] = "enter", [SIM_EV_EXIT] = "exit",
        [SIM_EV_ACTIVATE] = "activate", [SIM_EV_RETIRE] = "retire",
        [SIM_EV_IRQL] = "irql", [SIM_EV_WORK] = "work",
        [SIM_EV_PREEMPT] = "preempt", [SIM_EV_LOCK_ACQUIRE] = "lock-acquire",
        [SIM_EV_LOCK_SPIN] = "lock-spin", [SIM_EV_LOCK_RELEASE] = "lock-release",
        [SIM_EV_INT_ASSERT] = "int-assert", [SIM_EV_INT_DELIVER] = "int-deliver",
        [SIM_EV_INT_RETURN] = "int-return", [SIM_EV_DPC_QUEUE] = "dpc-queue",
        [SIM_EV_DPC_RUN] = "dpc-run", [SIM_EV_TIMER_SET] = "timer-set",
        [SIM_EV_TIMER_FIRE] = "timer-fire", [SIM_EV_THREAD_POST] = "thread-post",
        [SIM_EV_POOL_ALLOC] = "pool-alloc", [SIM_EV_POOL_FREE] = "pool-free",
        [SIM_EV_POOL_LEAK] = "pool-leak", [SIM_EV_REG_READ] = "reg-read",
        [SIM_EV_REG_WRITE] = "reg-write", [SIM_EV_DMA] = "dma",
        [SIM_EV_PIO] = "pio", [SIM_EV_NOTIFY] = "notify", [SIM_EV_CALL] = "call", [SIM_EV_SRB] = "srb",
        [SIM_EV_DEVICE] = "device", [SIM_EV_MARK] = "mark",
        [SIM_EV_BUGCHECK] = "bugcheck",
    };
    return (unsigned)kind < SIM_EV_KIND_COUNT && names[kind] ? names[kind]
                                                            : "?";
}

int
sim_trace_format(const struct sim_trace_event *ev, char *buf, size_t len)
{
    char cpu[12], irql[40], where[96] = "", srb[24] = "";

    if (ev->cpu >= 0)
        snprintf(cpu, sizeof cpu, "cpu%d", ev->cpu);
    else
        snprintf(cpu, sizeof cpu, "dev");
    if (ev->cpu < 0)
        snprintf(irql, sizeof irql, "-");
    else if (ev->irql_before != ev->irql_after)
        snprintf(irql, sizeof irql, "%s>%s", sim_irql_name(ev->irql_before),
                 sim_irql_name(ev->irql_after));
    else
        snprintf(irql, sizeof irql, "%s", sim_irql_name(ev->irql_after));
    if (ev->file != NULL)
        snprintf(where, sizeof where, " %s:%u", ev->file, ev->line);
    if (ev->srb != 0)
        snprintf(srb, sizeof srb, " srb=%u", ev->srb);
    return snprintf(buf, len, "%8llu.%03llu us %-5s %-14s %-22s %-16s %-14s"
                    " arg=%llu%s%s",
                    (unsigned long long)(ev->time / 1000),
                    (unsigned long long)(ev->time % 1000), cpu, irql,
                    ev->routine ? ev->routine : "-",
                    sim_trace_kind_name((enum sim_trace_kind)ev->kind),
                    ev->detail ? ev->detail : "-",
                    (unsigned long long)ev->arg, srb, where);
}

void
sim_trace_print(const struct sim_trace_event *ev, void *ctx)
{
    char line[320];

    sim_trace_format(ev, line, sizeof line);
    fprintf(ctx, "%s\n", line);
}
