/**
 * @file sim.h
 * @brief The simulated machine: configuration, simulated time, the event
 *        queue, run control and seeded random numbers.
 *
 * Interface: a program creates one machine with sim_create(), sets up its
 * devices (interrupts, DPCs, timers, passive-level work), then calls
 * sim_run() as often as it likes; each call returns when a stop condition
 * is met (the machine went idle, a time or step limit was reached, a trace
 * event matched, a bug check happened, or a subscriber asked to stop).
 * Nothing reads the wall clock: the same configuration and seed give the
 * same trace, byte for byte.
 *
 * @code
 * struct sim_config cfg;
 * char err[128];
 * sim_config_default(&cfg);
 * cfg.ncpus = 4;
 * if (sim_create(&cfg, err, sizeof err) < 0)
 *     fprintf(stderr, "%s\n", err);
 * sim_cpu_post(&item, 0, my_thread_routine, ctx, "Thread", 0);
 * struct sim_run_limits lim = { .until = SIM_MS(10) };
 * enum sim_stop_reason why = sim_run(&lim);
 * sim_destroy();
 * @endcode
 */
#ifndef STORSIM_SIM_H
#define STORSIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storsim/types.h"

/**
 * @defgroup sim The simulated machine
 * @brief CPUs, IRQL, spin locks, interrupts, DPCs, timers, pool, bug checks
 *        and the trace stream, in simulated time.
 *
 * The machine is a discrete-event simulation. Each CPU runs a stack of
 * activations (a passive-level thread item, a DPC above it, an ISR above
 * that), each on its own fiber, so CPUs interleave at yield points: every
 * trace event emitted from CPU context is one. Time only passes when code
 * says it takes time (sim_work()) or spins on a lock; an interrupt whose
 * DIRQL is above the CPU's IRQL preempts the work in progress, and the rest
 * of the work resumes after the ISR returns.
 * @{
 */

/**
 * @brief Costs, in simulated nanoseconds, of what the machine itself does.
 *
 * These model the kernel's own overhead; the port drivers and devices add
 * their own costs on top.
 */
struct sim_costs {
    sim_time_t interrupt_entry;  /**< interrupt dispatch before the ISR runs */
    sim_time_t interrupt_exit;   /**< end-of-interrupt after the ISR returns */
    sim_time_t dpc_dispatch;     /**< taking one DPC off the queue */
    sim_time_t lock_acquire;     /**< an uncontended spin-lock acquire */
    sim_time_t lock_release;     /**< a spin-lock release */
    sim_time_t irql_change;      /**< one KeRaiseIrql or KeLowerIrql */
};

/** @brief Everything needed to create a machine. */
struct sim_config {
    int ncpus;                  /**< number of CPUs, 1..SIM_MAX_CPUS */
    uint64_t seed;              /**< seed for every random stream */
    size_t trace_ring;          /**< trace events kept in memory (power of two) */
    size_t fiber_stack;         /**< bytes of stack per activation */
    sim_time_t watchdog;        /**< longest time a CPU may stay at or above
                                     DISPATCH_LEVEL before DPC_WATCHDOG_VIOLATION */
    enum sim_irq_policy irq_policy; /**< default interrupt delivery policy */
    struct sim_costs cost;      /**< the machine's own costs */
};

/**
 * @brief Fill @p cfg with the defaults: 4 CPUs, seed 1, a 4096-event ring,
 *        a 100 ms watchdog and typical x64 costs.
 * @param[out] cfg the configuration to fill
 */
void sim_config_default(struct sim_config *cfg);

/**
 * @brief Set one configuration value by name, validating it.
 *
 * Keys: cpus, seed, trace-ring, fiber-stack, watchdog, irq-policy,
 * cost.interrupt-entry, cost.interrupt-exit, cost.dpc-dispatch,
 * cost.lock-acquire, cost.lock-release, cost.irql-change. Times accept
 * units (ns, us, ms, s; a bare number is nanoseconds).
 *
 * @param[in,out] cfg   the configuration to change
 * @param[in]     key   the key, e.g. "cpus"
 * @param[in]     value the value as text, e.g. "4"
 * @param[out]    err   on error, a message naming the value and the allowed
 *                      range, e.g. "cpus: 65 is out of range (1..64)"
 * @param[in]     errlen size of @p err
 * @return 0, or -EINVAL for a bad value or -ENOENT for an unknown key
 */
int sim_config_set(struct sim_config *cfg, const char *key, const char *value,
                   char *err, size_t errlen);

/**
 * @brief Parse a duration such as "80us", "1.5ms", "250" (nanoseconds).
 * @param[in]  text the text to parse
 * @param[out] out  the duration
 * @return 0, or -EINVAL if @p text is not a duration
 */
int sim_parse_time(const char *text, sim_time_t *out);

/**
 * @brief Create the machine. Only one machine exists at a time.
 * @param[in]  cfg    the configuration (validated again here)
 * @param[out] err    on error, what was wrong
 * @param[in]  errlen size of @p err
 * @return 0, -EINVAL for a bad configuration, -EBUSY if a machine exists,
 *         -ENOMEM when out of memory
 */
int sim_create(const struct sim_config *cfg, char *err, size_t errlen);

/**
 * @brief Destroy the machine, freeing every fiber and reporting pool leaks
 *        to the trace (one SIM_EV_POOL_LEAK event per leaking tag).
 */
void sim_destroy(void);

/**
 * @brief A number that changes with every sim_create(), so that layers
 *        above can tell a new machine (and restart their own counters).
 * @return the serial of the current machine (0 if none was created yet)
 */
uint64_t sim_machine_serial(void);

/** @brief Whether a machine exists. @return true between sim_create() and sim_destroy() */
bool sim_exists(void);

/** @brief The configuration the machine was created with. @return a pointer valid until sim_destroy() */
const struct sim_config *sim_get_config(void);

/** @brief The current simulated time. @return nanoseconds since sim_create() */
sim_time_t sim_now(void);

/**
 * @brief Prepare an event. Call once before the first schedule.
 * @param[out] ev   the event
 * @param[in]  fn   the callback
 * @param[in]  name a static name for traces
 */
void sim_event_init(struct sim_event *ev, void (*fn)(struct sim_event *ev),
                    const char *name);

/**
 * @brief Schedule @p ev at absolute time @p when (not before now). A
 *        pending event is moved.
 * @param[in,out] ev   the event
 * @param[in]     when the absolute simulated time
 */
void sim_event_schedule(struct sim_event *ev, sim_time_t when);

/** @brief Cancel @p ev if it is pending. @param[in,out] ev the event */
void sim_event_cancel(struct sim_event *ev);

/** @brief Whether @p ev is scheduled. @param[in] ev the event @return true if pending */
bool sim_event_pending(const struct sim_event *ev);

/** @brief Why sim_run() returned. */
enum sim_stop_reason {
    SIM_STOP_IDLE,      /**< nothing left to do: no events, every CPU idle */
    SIM_STOP_TIME,      /**< the next event is later than the time limit */
    SIM_STOP_STEPS,     /**< the step limit was reached */
    SIM_STOP_MATCH,     /**< a trace event matched the predicate */
    SIM_STOP_REQUESTED, /**< sim_request_stop() was called */
    SIM_STOP_BUGCHECK,  /**< the machine bug-checked; it cannot run again */
};

struct sim_trace_event;

/**
 * @brief Limits for one sim_run() call. Zero-initialise, then set what you
 *        need: a zero field means "no limit".
 */
struct sim_run_limits {
    sim_time_t until;     /**< stop before running events later than this
                               (0 = no limit) */
    uint64_t steps;       /**< stop after this many trace events (0 = none) */
    /** stop after an event for which this returns true (NULL = none) */
    bool (*match)(const struct sim_trace_event *ev, void *ctx);
    void *match_ctx;      /**< passed to @c match */
};

/**
 * @brief Run the machine until a limit is met.
 *
 * Stepping is exact: with steps = 1 the run pauses right after the next
 * trace event, in the middle of whatever routine emitted it, and the next
 * call continues from there. Pausing never changes what the machine does,
 * so a run in single steps produces the same trace as one long run.
 *
 * @param[in] lim the limits, or NULL for "until idle"
 * @return why it stopped
 */
enum sim_stop_reason sim_run(const struct sim_run_limits *lim);

/** @brief Ask the running machine to pause after the current trace event
 *         (for subscribers such as breakpoints). */
void sim_request_stop(void);

/** @brief Whether the machine has bug-checked. @return true after a bug check */
bool sim_is_dead(void);

/** @brief The name of a stop reason. @param[in] r the reason @return e.g. "idle" */
const char *sim_stop_reason_name(enum sim_stop_reason r);

/**
 * @brief A deterministic random stream (xoshiro256**), one per user so
 *        that adding a consumer does not change the others' numbers.
 */
struct sim_rng {
    uint64_t s[4]; /**< the generator state */
};

/**
 * @brief Seed a stream from the machine seed and a stream name.
 * @param[out] rng  the stream
 * @param[in]  name a name unique to the user, e.g. "hba0.latency"
 */
void sim_rng_init(struct sim_rng *rng, const char *name);

/**
 * @brief Seed a stream from an explicit seed (no machine needed).
 * @param[out] rng  the stream
 * @param[in]  seed the seed
 */
void sim_rng_seed(struct sim_rng *rng, uint64_t seed);

/** @brief The next 64 random bits. @param[in,out] rng the stream @return the bits */
uint64_t sim_rng_next(struct sim_rng *rng);

/**
 * @brief A uniform integer in [0, @p bound).
 * @param[in,out] rng   the stream
 * @param[in]     bound the exclusive upper bound (> 0)
 * @return the number
 */
uint64_t sim_rng_below(struct sim_rng *rng, uint64_t bound);

/** @} */

#include "storsim/cpu.h"
#include "storsim/spinlock.h"
#include "storsim/interrupt.h"
#include "storsim/dpc.h"
#include "storsim/pool.h"
#include "storsim/bugcheck.h"
#include "storsim/trace.h"

#endif /* STORSIM_SIM_H */
