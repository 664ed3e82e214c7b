/* fault.c: a miniport that touches memory it does not own, or loops. On Windows a
 * bad pointer in a driver is a bug check: PAGE_FAULT_IN_NONPAGED_AREA at
 * PASSIVE_LEVEL or APC_LEVEL, DRIVER_IRQL_NOT_LESS_OR_EQUAL at
 * DISPATCH_LEVEL and above. Here SIGSEGV and SIGBUS raised while a
 * simulated CPU runs (a callback on its fiber) become that bug check: the
 * run stops with the routine, CPU, IRQL, SRB and address, and the program
 * goes on. A fault outside the simulation is a real crash and is passed on.
 *
 * Interface: sim_unmapped_va() / sim_is_unmapped() (a reserved range that
 * is never mapped, for buffers a port does not map, such as Storport's
 * read/write DataBuffer); sim_fault_install(), called by sim_create().
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <pthread.h>
#include <time.h>
#include <ucontext.h>

#include "sim/internal.h"
#include "storsim/bugcheck.h"

#define UNMAPPED_SIZE   (1u << 20)
#define ALT_STACK_SIZE  (64u << 10)

static uint8_t *unmapped;               /* PROT_NONE, never mapped */
static unsigned hang_limit_ms = 5000;
static struct sigaction old_segv, old_bus;
static bool installed;

void *
sim_unmapped_va(size_t offset)
{
    if (unmapped == NULL) {
        void *p = mmap(NULL, UNMAPPED_SIZE, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            return NULL;
        unmapped = p;
    }
    return unmapped + offset % UNMAPPED_SIZE;
}

/* Reports show the range at a fixed, kernel-looking address, so that the
 * same run prints the same report whatever mmap() chose. */
#define UNMAPPED_SHOWN 0xFFFFC00000000000ull

static bool
in_range(uint64_t addr)
{
    return unmapped != NULL && addr >= (uintptr_t)unmapped &&
           addr < (uintptr_t)unmapped + UNMAPPED_SIZE;
}

bool
sim_is_unmapped(uint64_t addr)
{
    return in_range(addr) ||
           (addr >= UNMAPPED_SHOWN && addr < UNMAPPED_SHOWN + UNMAPPED_SIZE);
}

/* Was the access a write? x86-64 says so in the page-fault error code. */
static uint64_t
was_write(const void *uc_arg)
{
#if defined(__x86_64__) && defined(REG_ERR)
    const ucontext_t *uc = uc_arg;
    return (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
#else
    (void)uc_arg;
    return 0;
#endif
}

static void
pass_on(int sig, siginfo_t *si, void *uc)
{
    const struct sigaction *old = sig == SIGBUS ? &old_bus : &old_segv;

    if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction != NULL) {
        old->sa_sigaction(sig, si, uc);
        return;
    }
    if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN &&
        old->sa_handler != NULL) {
        old->sa_handler(sig);
        return;
    }
    signal(sig, SIG_DFL);             /* a real crash: let it happen */
    raise(sig);
}

static void
on_fault(int sig, siginfo_t *si, void *uc)
{
    struct sim_machine *m = sim_m;
    uint64_t addr = (uintptr_t)si->si_addr;
    struct sim_cpu *cpu;
    bool unmapped_buffer = in_range(addr);

    if (m == NULL || !m->in_run || m->dead || (cpu = m->current) == NULL ||
        m->running == &m->host) {
        pass_on(sig, si, uc);
        return;
    }
    if (unmapped_buffer)
        addr = UNMAPPED_SHOWN + (addr - (uintptr_t)unmapped);
    if (cpu->irql >= DISPATCH_LEVEL)
        sim_bugcheck(DRIVER_IRQL_NOT_LESS_OR_EQUAL, addr, cpu->irql,
                     was_write(uc), 0, NULL, 0,
                     "%s touched address %#llx at %s: %s",
                     sim_routine_current(), (unsigned long long)addr,
                     sim_irql_name(cpu->irql),
                     unmapped_buffer
                         ? "a buffer the port did not map"
                         : "memory it does not own (a bad pointer)");
    else
        sim_bugcheck(PAGE_FAULT_IN_NONPAGED_AREA, addr, was_write(uc), 0, 0,
                     NULL, 0, "%s touched address %#llx: %s",
                     sim_routine_current(), (unsigned long long)addr,
                     unmapped_buffer
                         ? "a buffer the port did not map"
                         : "memory it does not own (a bad pointer)");
    /* sim_bugcheck() left the fiber for good; it does not come back. */
    abort();
}

/* ---------- a routine that never returns ---------- */

/* A watcher thread looks at the trace's progress every tick while a run is
 * under way; when a run has made none for the limit, it signals the
 * simulation thread, whose handler ends the looping routine there. The
 * simulation thread pays one counter increment per trace event and two
 * flag stores per sim_run(): no system call. */
#define HANG_TICK_MS 100

static pthread_t sim_thread;
static bool watcher_started;
uint64_t sim_progress_count;            /* trace events, all machines */
static bool running;                    /* inside sim_run() */

void
sim_set_hang_limit(unsigned ms)
{
    __atomic_store_n(&hang_limit_ms, ms, __ATOMIC_RELAXED);
}

static void *
watch(void *arg)
{
    uint64_t seen = 0;
    unsigned still = 0;
    const struct timespec tick = { 0, HANG_TICK_MS * 1000000L };

    (void)arg;
    for (;;) {
        unsigned limit = __atomic_load_n(&hang_limit_ms, __ATOMIC_RELAXED);
        uint64_t now = __atomic_load_n(&sim_progress_count, __ATOMIC_RELAXED);

        nanosleep(&tick, NULL);
        if (!__atomic_load_n(&running, __ATOMIC_RELAXED) || limit == 0 ||
            now != __atomic_load_n(&sim_progress_count, __ATOMIC_RELAXED) ||
            now != seen) {
            seen = now;
            still = 0;
            continue;
        }
        if (++still * HANG_TICK_MS < limit)
            continue;
        still = 0;
        pthread_kill(sim_thread, SIGALRM);
    }
    return NULL;
}

static void
forget_watcher(void)
{
    watcher_started = false;        /* a forked child has no such thread */
}

/* Runs on the simulation thread, sent by the watcher. */
static void
on_stuck(int sig)
{
    struct sim_machine *m = sim_m;
    struct sim_cpu *cpu;
    unsigned limit = __atomic_load_n(&hang_limit_ms, __ATOMIC_RELAXED);

    (void)sig;
    if (m == NULL || !m->in_run || m->dead || (cpu = m->current) == NULL ||
        m->running == &m->host)
        return;                         /* not in simulated code after all */
    /* Interrupted in the looping code itself, on its fiber: end it there.
     * (The loop's own locks and state are abandoned with the machine.) */
    if (cpu->irql >= DISPATCH_LEVEL)
        sim_bugcheck(DPC_WATCHDOG_VIOLATION, 0, 0, 0, 0, NULL, 0,
                     "%s has not returned: no port call, no IRQL change, "
                     "no event for %u ms of host time at %s (an endless "
                     "loop?)", sim_routine_current(), limit,
                     sim_irql_name(cpu->irql));
    else
        sim_bugcheck(THREAD_STUCK_IN_DEVICE_DRIVER, 0, 0, 0, 0, NULL, 0,
                     "%s has not returned: no port call, no IRQL change, "
                     "no event for %u ms of host time (an endless loop?)",
                     sim_routine_current(), limit);
}

void
sim_hang_guard(bool on)
{
    if (on && !watcher_started) {
        pthread_t t;
        static bool atfork;
        sim_thread = pthread_self();
        if (!atfork)
            atfork = pthread_atfork(NULL, NULL, forget_watcher) == 0;
        if (pthread_create(&t, NULL, watch, NULL) == 0) {
            pthread_detach(t);
            watcher_started = true;
        }
    }
    if (on)
        sim_thread = pthread_self();
    __atomic_store_n(&running, on, __ATOMIC_RELAXED);
}

void
sim_fault_install(void)
{
    static uint8_t alt[ALT_STACK_SIZE];
    stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };
    struct sigaction sa;

    if (installed)
        return;
    installed = true;
    sigaltstack(&ss, NULL);           /* a fiber's stack may be what broke */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old_segv);
    sigaction(SIGBUS, &sa, &old_bus);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stuck;
    sa.sa_flags = SA_RESTART | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
}
