/* internal.h: the simulated machine's private state, shared by src/sim only.
 *
 * Invariants (checked by sim_check_invariants() in the tests):
 *  - exactly one fiber runs at a time: the host (outside sim_run), the
 *    scheduler fiber (device context), or the top frame of M->current;
 *  - a CPU's resume event is pending iff its top frame is F_WORKING or
 *    F_READY-and-waiting-for-its-turn;
 *  - a spinning frame's CPU is in its lock's waiter list exactly once;
 *  - every lock with an owner appears in that owner CPU's held[] list.
 */
#ifndef STORSIM_SIM_INTERNAL_H
#define STORSIM_SIM_INTERNAL_H

#include "storsim/sim.h"
#include "sim/fiber.h"

/* Frame states (struct sim_frame.state). */
enum {
    F_NEW,        /* never ran: switching in starts its routine */
    F_READY,      /* at a yield point: switching in continues it */
    F_WORKING,    /* the CPU's resume event ends its work */
    F_SPINNING,   /* in a lock's waiter list */
    F_PREEMPTED,  /* an ISR or DPC is above it; work_left / spin_on tell what
                     it was doing */
};

/* Why a frame's fiber switched back to the scheduler. */
enum yield_reason {
    Y_WAIT,       /* something (an event, a lock) will resume it */
    Y_NOW,        /* look for DPCs/interrupts to run first, then resume it */
    Y_DONE,       /* the activation finished */
};

#define TRACE_SUBSCRIBERS 8

struct pool_block;

struct sim_machine {
    struct sim_config cfg;
    sim_time_t now;
    uint64_t event_seq;

    /* The event queue: a binary min-heap ordered by (time, seq). */
    struct sim_event **heap;
    uint32_t heap_len, heap_cap;

    struct sim_cpu cpus[SIM_MAX_CPUS];
    int ncpus;
    struct sim_cpu *current;        /* CPU whose fiber runs, else NULL */
    enum yield_reason yield;        /* set by a frame before it yields */
    sim_switch_hook_fn *switch_hook;
    void *switch_ctx;

    /* Fibers: the host (caller of sim_run), the scheduler, and a free
     * list of frame fibers with their frames. */
    struct sim_fiber host;
    struct sim_fiber *sched;
    struct sim_fiber *running;      /* the fiber executing now */
    struct sim_fiber *resume_to;    /* where the next sim_run continues */
    struct sim_frame *free_frames;  /* frames with fibers, ready for reuse */
    struct sim_frame **all_frames;
    int nall_frames, all_frames_cap;

    /* Run control. */
    bool in_run;
    uint64_t step_target;           /* stop when trace_count reaches it */
    struct sim_run_limits lim;
    bool stop_requested;
    enum sim_stop_reason stop_reason;
    bool dead;
    struct sim_bugcheck_info bc;

    /* Locks and interrupts. */
    struct sim_spinlock *locks[SIM_MAX_LOCKS + 1];  /* by id; [0] unused */
    int nlocks;
    struct sim_interrupt *intr_head;
    struct sim_event irq_event;     /* "look for interrupts to deliver" */
    struct sim_event kick[SIM_MAX_CPUS]; /* "this CPU has a DPC to run" */

    /* Trace. */
    struct sim_trace_event *ring;
    uint64_t ring_mask;
    uint64_t trace_count;
    uint64_t trace_hash;
    struct { sim_trace_fn *fn; void *ctx; bool quiet; } subs[TRACE_SUBSCRIBERS];
    int nsubs;

    /* Pool. */
    struct pool_block *pool_head;
    struct pool_block **freed;      /* quarantine of freed blocks */
    size_t nfreed, freed_cap;
    struct pool_tag { uint32_t tag; size_t bytes, blocks; } *tags;
    int ntags, tags_cap;
};

extern struct sim_machine *sim_m;
#define M sim_m

/* machine.c */
sim_time_t sim_heap_min_time(void);
void sim_switch_to(struct sim_fiber *to);
void sim_pause(enum sim_stop_reason why);
void sim_die(void) __attribute__((noreturn));
void sim_fault_install(void);           /* fault.c */
void sim_hang_guard(bool on);           /* fault.c: around sim_run() */
extern uint64_t sim_progress_count;     /* fault.c: read by its watcher */
/* A trace event happened (for the hang guard): a relaxed store, no more. */
static inline void
sim_progress(void)
{
    __atomic_store_n(&sim_progress_count, sim_progress_count + 1,
                     __ATOMIC_RELAXED);
}
void sim_check_invariants(void);

/* cpu.c and activation.c */
void sim_cpu_setup(struct sim_cpu *cpu, int id);
void sim_cpu_teardown(struct sim_cpu *cpu);
void sim_cpu_run(struct sim_cpu *cpu);
void sim_cpu_preempt(struct sim_cpu *cpu);
void sim_cpu_kick(struct sim_cpu *cpu);
void sim_cpu_push(struct sim_cpu *cpu, enum sim_frame_kind kind,
                  const char *name, void (*fn)(void *), void *ctx,
                  sim_irql_t irql);
void sim_advance(sim_time_t ns);
void sim_start_work(struct sim_cpu *cpu, struct sim_frame *f, sim_time_t ns);
void sim_yield(enum yield_reason why);
void sim_maybe_yield(void);
bool sim_cpu_has_work_above(const struct sim_cpu *cpu, sim_irql_t irql);
/* "acquired at FILE:LINE", or who took it when no miniport line did. */
const char *sim_lock_taken(const struct sim_spinlock *l, char *buf,
                           size_t len);
struct sim_frame *sim_top(const struct sim_cpu *cpu);
void sim_set_irql(struct sim_cpu *cpu, sim_irql_t irql);

/* spinlock.c */
void sim_lock_resume_spin(struct sim_cpu *cpu, struct sim_frame *f);
void sim_lock_cancel_spin(struct sim_cpu *cpu, struct sim_frame *f);

/* interrupt.c */
struct sim_interrupt *sim_irq_pending_for(const struct sim_cpu *cpu,
                                          sim_irql_t above);
void sim_irq_take(struct sim_cpu *cpu, struct sim_interrupt *intr);
void sim_irq_retired(struct sim_interrupt *intr);
void sim_irq_setup(void);

/* dpc.c */
struct sim_dpc *sim_dpc_pop(struct sim_cpu *cpu);
struct sim_thread_item *sim_thread_pop(struct sim_cpu *cpu);
void sim_dpc_run_frame(void *arg);

/* trace.c */
int sim_trace_setup(size_t ring);
void sim_trace_teardown(void);
void sim_trace_emit_on(int cpu, const struct sim_trace_args *a);

/* pool.c */
void sim_pool_teardown(void);

#endif /* STORSIM_SIM_INTERNAL_H */
