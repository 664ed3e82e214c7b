/* spinlock.c: simulated spin locks (see include/storsim/spinlock.h).
 *
 * A contended acquire puts the CPU in the lock's FIFO of waiters and
 * yields; it burns simulated time at the lock's IRQL until the owner's
 * release hands the lock over (waking the waiter through its resume event)
 * or an interrupt above that IRQL preempts the spin (the waiter leaves the
 * queue and rejoins at the back when the ISR is done).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

void
sim_lock_init(struct sim_spinlock *lock, const char *name, sim_irql_t irql,
              int rank)
{
    memset(lock, 0, sizeof *lock);
    lock->name = name;
    lock->irql = irql;
    lock->rank = rank;
    lock->owner = -1;
    if (M == NULL || M->nlocks == SIM_MAX_LOCKS) {
        fprintf(stderr, "storsim: cannot register lock %s (%s)\n", name,
                M == NULL ? "no machine" : "too many locks");
        abort();
    }
    lock->id = (uint16_t)++M->nlocks;
    M->locks[lock->id] = lock;
}

void
sim_lock_unregister(struct sim_spinlock *lock)
{
    if (M != NULL && lock->id != 0 && M->locks[lock->id] == lock)
        M->locks[lock->id] = NULL;
    lock->id = 0;
}

int
sim_lock_count(void)
{
    return M->nlocks;
}

const struct sim_spinlock *
sim_lock_by_id(int id)
{
    return id >= 1 && id <= M->nlocks ? M->locks[id] : NULL;
}

bool
sim_lock_held(const struct sim_spinlock *lock)
{
    return M->current != NULL && lock->owner == M->current->id;
}

static struct sim_cpu *
need_cpu(const char *what, const struct sim_spinlock *lock, const char *file,
         int line)
{
    if (M == NULL || M->current == NULL) {
        fprintf(stderr, "storsim: %s(%s) outside any simulated CPU (%s:%d)\n",
                what, lock->name, file ? file : "?", line);
        abort();
    }
    return M->current;
}

static void
take(struct sim_cpu *cpu, struct sim_spinlock *lock, sim_irql_t old,
     const char *file, int line)
{
    lock->owner = cpu->id;
    lock->old_irql = old;
    lock->acquired_at = M->now;
    lock->acq_file = file;
    lock->acq_line = line;
    lock->acquisitions++;
    if (cpu->nheld < SIM_MAX_HELD)
        cpu->held[cpu->nheld] = lock;
    cpu->nheld++;
}

/* Append a message line naming one link of a wait cycle. */
static size_t
describe_link(char *buf, size_t len, size_t at, const struct sim_cpu *c,
              const struct sim_spinlock *l, const struct sim_frame *f)
{
    int n;

    if (at >= len)
        return at;
    if (l->acq_file != NULL)
        n = snprintf(buf + at, len - at,
                     "\n  CPU %d in %s spins on %s at %s:%d; CPU %d acquired "
                     "it at %s:%d", c->id, sim_cpu_routine(c), l->name,
                     f->site_file ? f->site_file : "?", f->site_line,
                     l->owner, l->acq_file, l->acq_line);
    else    /* a port driver's own acquire: no source line to name */
        n = snprintf(buf + at, len - at,
                     "\n  CPU %d in %s spins on %s at %s:%d; CPU %d holds it, "
                     "taken by the port driver before the call",
                     c->id, sim_cpu_routine(c), l->name,
                     f->site_file ? f->site_file : "?", f->site_line,
                     l->owner);
    return n > 0 ? at + (size_t)n : at;
}

/* The CPU that `cpu` would wait for next in a chain of spinners, or NULL
 * when that CPU is not itself spinning (so the chain ends). */
static const struct sim_cpu *
next_in_chain(const struct sim_spinlock *l)
{
    const struct sim_cpu *o;
    const struct sim_frame *of;

    if (l->owner < 0)
        return NULL;
    o = &M->cpus[l->owner];
    of = sim_top(o);
    if (o->state != SIM_CPU_SPINNING || of == NULL || of->spin_on == NULL)
        return NULL;
    return o;
}

/* Follow "CPU spins on lock held by CPU ..." from `cpu`; bug-check on a
 * cycle, since none of those CPUs can ever go on. The chain is walked once
 * cheaply (this runs on every contended acquire) and again, to build the
 * report, only when it closes. */
static void
check_deadlock(struct sim_cpu *cpu, struct sim_spinlock *lock,
               const char *file, int line)
{
    const struct sim_spinlock *l = lock;
    const struct sim_cpu *o;
    char why[900];
    size_t at;
    int steps = 0;

    while ((o = next_in_chain(l)) != NULL && steps++ <= M->ncpus) {
        l = sim_top(o)->spin_on;
        if (l->owner == cpu->id)
            break;
    }
    if (o == NULL || l->owner != cpu->id)
        return;
    at = describe_link(why, sizeof why, 0, cpu, lock, sim_top(cpu));
    for (l = lock; (o = next_in_chain(l)) != NULL && o != cpu;) {
        l = sim_top(o)->spin_on;
        at = describe_link(why, sizeof why, at, o, l, sim_top(o));
    }
    sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION, SIM_VERIFIER_DEADLOCK,
                 lock->id, l->id, 0, file, line,
                 "deadlock: these CPUs spin on each other's locks and none "
                 "can go on:%s", why);
}

/* The two reports of sim_lock_acquire(), out of its way: only a broken
 * driver gets here, and on a CPU sim_bugcheck() does not return. */
static void __attribute__((noinline, cold))
order_violated(const struct sim_cpu *cpu, const struct sim_spinlock *lock,
               const struct sim_spinlock *h, const char *file, int line)
{
    char taken[160];

    sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION, SIM_VERIFIER_DEADLOCK,
                 lock->id, h->id, 1, file, line,
                 "lock order violated: CPU %d acquires %s (order %d) while "
                 "holding %s (order %d, %s); %s must be taken first, or two "
                 "CPUs taking them in opposite orders deadlock", cpu->id,
                 lock->name, lock->rank, h->name, h->rank,
                 sim_lock_taken(h, taken, sizeof taken), lock->name);
}

static void __attribute__((noinline, cold))
already_owned(const struct sim_cpu *cpu, const struct sim_spinlock *lock,
              const char *file, int line)
{
    char taken[160];

    sim_bugcheck(SPIN_LOCK_ALREADY_OWNED, lock->id, 0, 0, 0, file, line,
                 "CPU %d acquires %s, which it already holds (%s): it would "
                 "spin forever on itself", cpu->id, lock->name,
                 sim_lock_taken(lock, taken, sizeof taken));
}

static void
check_order(struct sim_cpu *cpu, struct sim_spinlock *lock, const char *file,
            int line)
{
    if (lock->rank == 0)
        return;
    for (int i = 0; i < cpu->nheld && i < SIM_MAX_HELD; i++)
        if (cpu->held[i]->rank > lock->rank)
            order_violated(cpu, lock, cpu->held[i], file, line);
}

const char *
sim_lock_taken(const struct sim_spinlock *l, char *buf, size_t len)
{
    if (l->acq_file != NULL)
        snprintf(buf, len, "acquired at %s:%d", l->acq_file, l->acq_line);
    else    /* a port driver's or the kernel's own acquire: no line */
        snprintf(buf, len, "taken by the port driver or the kernel, not by "
                 "a miniport line");
    return buf;
}

static void
start_spin(struct sim_cpu *cpu, struct sim_frame *f, struct sim_spinlock *lock)
{
    lock->waiters[lock->nwaiters++] = (int16_t)cpu->id;
    f->spin_on = lock;
    f->state = F_SPINNING;
    cpu->state = SIM_CPU_SPINNING;
    cpu->spin_start = M->now;
    sim_event_schedule(&cpu->watchdog, cpu->high_since + M->cfg.watchdog);
}

void
sim_lock_acquire(struct sim_spinlock *lock, const char *file, int line)
{
    struct sim_cpu *cpu = need_cpu("sim_lock_acquire", lock, file, line);
    struct sim_frame *f = sim_top(cpu);
    sim_irql_t old = cpu->irql;

    if (lock->owner == cpu->id)
        already_owned(cpu, lock, file, line);
    /* Order first: when a lower-order lock is taken under a higher one the
     * IRQL is usually wrong too, but the order is the rule that explains it. */
    check_order(cpu, lock, file, line);
    if (old > lock->irql)
        sim_bugcheck(IRQL_NOT_GREATER_OR_EQUAL, old, lock->irql, lock->id, 0,
                     file, line, "acquiring %s, which is held at %s, while at "
                     "%s: the acquire would have to lower the IRQL",
                     lock->name, sim_irql_name(lock->irql), sim_irql_name(old));
    f->site_file = file;
    f->site_line = line;
    sim_set_irql(cpu, lock->irql);
    sim_advance(M->cfg.cost.lock_acquire);
    if (lock->owner >= 0) {
        lock->contended++;
        f->spin_old_irql = old;
        check_deadlock(cpu, lock, file, line);
        start_spin(cpu, f, lock);
        sim_trace_emit_on(cpu->id, &(struct sim_trace_args){
            .kind = SIM_EV_LOCK_SPIN, .arg = (uint64_t)lock->owner,
            .lock = lock->id, .detail = lock->name, .file = file,
            .line = line, .srb = f->srb, .routine = sim_cpu_routine(cpu),
            .irql_changed = 1, .irql_before = old });
        sim_yield(Y_WAIT);
        /* The releasing CPU handed the lock to us. */
        sim_trace_emit(&(struct sim_trace_args){
            .kind = SIM_EV_LOCK_ACQUIRE, .arg = f->spun, .lock = lock->id,
            .detail = lock->name, .file = file, .line = line });
        return;
    }
    take(cpu, lock, old, file, line);
    f->spun = 0;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_LOCK_ACQUIRE, .arg = 0, .lock = lock->id,
        .detail = lock->name, .file = file, .line = line,
        .irql_changed = 1, .irql_before = old });
}

static void
drop_held(struct sim_cpu *cpu, struct sim_spinlock *lock)
{
    for (int i = 0; i < cpu->nheld && i < SIM_MAX_HELD; i++)
        if (cpu->held[i] == lock) {
            memmove(&cpu->held[i], &cpu->held[i + 1],
                    (size_t)(cpu->nheld - i - 1) * sizeof cpu->held[0]);
            break;
        }
    cpu->nheld--;
}

/* Give the lock to the first waiter; it resumes through its resume event. */
static void
hand_over(struct sim_spinlock *lock)
{
    struct sim_cpu *w = &M->cpus[lock->waiters[0]];
    struct sim_frame *wf = sim_top(w);
    sim_time_t spun = M->now - w->spin_start;

    memmove(&lock->waiters[0], &lock->waiters[1],
            (size_t)--lock->nwaiters * sizeof lock->waiters[0]);
    take(w, lock, wf->spin_old_irql, wf->site_file, wf->site_line);
    w->spin_at[w->irql] += spun;
    wf->spun += spun;
    lock->spin_total += spun;
    if (wf->spun > lock->spin_max)
        lock->spin_max = wf->spun;
    wf->spin_on = NULL;
    wf->state = F_READY;
    w->state = SIM_CPU_READY;
    sim_event_cancel(&w->watchdog);
    sim_event_schedule(&w->resume, M->now);
}

void
sim_lock_release(struct sim_spinlock *lock, const char *file, int line)
{
    struct sim_cpu *cpu = need_cpu("sim_lock_release", lock, file, line);
    sim_irql_t now_irql = cpu->irql, restore = lock->old_irql;
    sim_time_t held;

    if (lock->owner != cpu->id)
        sim_bugcheck(SPIN_LOCK_NOT_OWNED, lock->id, (uint64_t)(int64_t)lock->owner,
                     0, 0, file, line, "CPU %d releases %s, which %s", cpu->id,
                     lock->name, lock->owner < 0 ? "nobody holds"
                                                 : "another CPU holds");
    if (now_irql != lock->irql)
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                     SIM_VERIFIER_IRQL_RELEASE_SPINLOCK, lock->id, now_irql,
                     lock->irql, file, line, "releasing %s at %s, but it is "
                     "held at %s: the IRQL was changed while holding it, or "
                     "locks were released out of order", lock->name,
                     sim_irql_name(now_irql), sim_irql_name(lock->irql));
    held = M->now - lock->acquired_at;
    lock->hold_total += held;
    if (held > lock->hold_max)
        lock->hold_max = held;
    drop_held(cpu, lock);
    lock->owner = -1;
    if (lock->nwaiters > 0)
        hand_over(lock);
    sim_advance(M->cfg.cost.lock_release);
    sim_set_irql(cpu, restore);
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_LOCK_RELEASE, .arg = held, .lock = lock->id,
        .detail = lock->name, .file = file, .line = line,
        .irql_changed = 1, .irql_before = now_irql });
    if (sim_cpu_has_work_above(cpu, restore))
        sim_yield(Y_NOW);
}

/* A preempted spinner resumes: take the lock if it is free, else queue. */
void
sim_lock_resume_spin(struct sim_cpu *cpu, struct sim_frame *f)
{
    struct sim_spinlock *lock = f->spin_on;

    if (lock->owner < 0) {
        take(cpu, lock, f->spin_old_irql, f->site_file, f->site_line);
        f->spin_on = NULL;
        f->state = F_READY;
        sim_event_cancel(&cpu->watchdog);
        return;
    }
    start_spin(cpu, f, lock);
}

/* An interrupt preempts a spinner: it leaves the queue for now. */
void
sim_lock_cancel_spin(struct sim_cpu *cpu, struct sim_frame *f)
{
    struct sim_spinlock *lock = f->spin_on;
    sim_time_t spun = M->now - cpu->spin_start;

    for (int i = 0; i < lock->nwaiters; i++)
        if (lock->waiters[i] == cpu->id) {
            memmove(&lock->waiters[i], &lock->waiters[i + 1],
                    (size_t)(lock->nwaiters - i - 1) * sizeof lock->waiters[0]);
            lock->nwaiters--;
            break;
        }
    cpu->spin_at[cpu->irql] += spun;
    f->spun += spun;
    lock->spin_total += spun;
    sim_event_cancel(&cpu->watchdog);
}
