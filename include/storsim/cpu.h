/**
 * @file cpu.h
 * @brief Simulated CPUs: IRQL, activations (thread, DPC, ISR), routines,
 *        work that takes simulated time, and what the console shows.
 *
 * Interface: code running on a CPU (inside an activation) calls
 * sim_irql_raise()/sim_irql_lower(), sim_work() and
 * sim_routine_enter()/sim_routine_exit(); code outside (the console, the
 * statistics) reads the state through sim_cpu_get().
 */
#ifndef STORSIM_CPU_H
#define STORSIM_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storsim/types.h"

/**
 * @defgroup sim_cpu CPUs and IRQL
 * @ingroup sim
 * @brief x64 IRQLs, per-CPU activation stacks and simulated work.
 *
 * IRQL rules are the Windows ones: raising to a level below the current
 * one bug-checks with IRQL_NOT_GREATER_OR_EQUAL (0x09); lowering to a
 * level above the current one bug-checks with IRQL_NOT_LESS_OR_EQUAL (0x0A).
 * Lowering below DISPATCH_LEVEL runs the CPU's queued DPCs first; lowering
 * below an interrupt's DIRQL takes that interrupt if it is pending.
 * @{
 */

/**
 * @brief The name of an IRQL ("PASSIVE_LEVEL", "DIRQL5" ...).
 * @param[in] irql the level
 * @return a static string
 */
const char *sim_irql_name(sim_irql_t irql);

/**
 * @brief Parse an IRQL by name ("DISPATCH_LEVEL", "dispatch", "DIRQL5")
 *        or number ("2").
 * @param[in]  text   the text
 * @param[out] out    the level
 * @param[out] err    on error, a message naming the value and what is allowed
 * @param[in]  errlen size of @p err
 * @return 0 or -EINVAL
 */
int sim_irql_parse(const char *text, sim_irql_t *out, char *err, size_t errlen);

/** @brief What kind of activation a frame is. */
enum sim_frame_kind {
    SIM_FRAME_THREAD, /**< passive-level work posted with sim_cpu_post() */
    SIM_FRAME_DPC,    /**< a deferred procedure call at DISPATCH_LEVEL */
    SIM_FRAME_ISR,    /**< an interrupt service routine at DIRQL */
};

/** @brief What a CPU is doing right now. */
enum sim_cpu_state {
    SIM_CPU_IDLE,     /**< no activation */
    SIM_CPU_RUNNING,  /**< executing code (only while its fiber runs) */
    SIM_CPU_READY,    /**< at a yield point, waiting for its turn */
    SIM_CPU_WORKING,  /**< busy with work until work_end */
    SIM_CPU_SPINNING, /**< spinning on a lock */
};

/** @brief Deepest routine nesting shown per activation. */
#define SIM_MAX_ROUTINES 8
/** @brief Deepest activation stack per CPU (thread, DPC, ISRs). */
#define SIM_MAX_FRAMES 12
/** @brief Most spin locks one CPU may hold at once. */
#define SIM_MAX_HELD 8

struct sim_spinlock;
struct sim_fiber;

/**
 * @brief One activation on a CPU. Read-only outside src/sim.
 */
struct sim_frame {
    enum sim_frame_kind kind;   /**< thread, DPC or ISR */
    const char *name;           /**< the activation's name, e.g. "DPC:StorPortDpc" */
    const char *routines[SIM_MAX_ROUTINES]; /**< routine nesting, outermost first */
    sim_irql_t routine_irql[SIM_MAX_ROUTINES]; /**< IRQL at each routine's entry */
    int depth;                  /**< entries used in @c routines */
    uint32_t srb;               /**< SRB id this activation works on (0 = none) */
    const char *site_file;      /**< last recorded miniport call site */
    int site_line;              /**< line of @c site_file */
    sim_irql_t base_irql;       /**< IRQL the activation runs at and must
                                     return at (PASSIVE, DISPATCH or DIRQL) */
    sim_irql_t saved_irql;      /**< CPU IRQL to restore when it retires */
    sim_time_t work_left;       /**< unfinished work when preempted */
    sim_time_t started;         /**< when the activation began */
    struct sim_spinlock *spin_on; /**< lock this frame waits for, or NULL */
    sim_irql_t spin_old_irql;   /**< IRQL before the pending acquire */
    sim_time_t spun;            /**< time spent spinning in the current acquire */
    /** @cond INTERNAL */
    struct sim_fiber *fiber;
    void (*fn)(void *ctx);
    void *ctx;
    int state;
    /** @endcond */
};

/**
 * @brief One simulated processor. Read-only outside src/sim.
 */
struct sim_cpu {
    int id;                          /**< 0-based processor number */
    sim_irql_t irql;                 /**< current IRQL */
    enum sim_cpu_state state;        /**< what it is doing */
    struct sim_frame *frames[SIM_MAX_FRAMES]; /**< activations, bottom first */
    int nframes;                     /**< entries used in @c frames */
    struct sim_spinlock *held[SIM_MAX_HELD]; /**< locks held, in acquire order */
    int nheld;                       /**< entries used in @c held */
    sim_time_t work_start;           /**< start of the current work segment */
    sim_time_t work_end;             /**< end of the current work segment */
    sim_time_t spin_start;           /**< start of the current spin */
    sim_time_t high_since;           /**< when it rose to DISPATCH_LEVEL or above */
    /** @name Accounting (simulated nanoseconds) */
    /** @{ */
    sim_time_t busy_at[SIM_NUM_IRQLS]; /**< time working, per IRQL */
    sim_time_t spin_at[SIM_NUM_IRQLS]; /**< time spinning, per IRQL */
    uint64_t interrupts;             /**< ISRs run */
    uint64_t dpcs;                   /**< DPCs run */
    uint64_t threads;                /**< thread items run */
    /** @} */
    /** @cond INTERNAL */
    struct sim_event resume;
    struct sim_dpc *dpc_head, *dpc_tail;
    struct sim_thread_item *thr_head, *thr_tail;
    struct sim_event watchdog;
    /** @endcond */
};

/** @brief Number of CPUs. @return the configured count */
int sim_ncpus(void);

/**
 * @brief A CPU's state, for display and statistics.
 * @param[in] id the processor number
 * @return the CPU, or NULL if @p id is out of range
 */
const struct sim_cpu *sim_cpu_get(int id);

/**
 * @brief The CPU running the calling code.
 * @return its number, or -1 outside any CPU (device context or setup)
 */
int sim_cpu_current(void);

/** @brief The calling CPU's IRQL (HIGH_LEVEL outside any CPU). @return the IRQL */
sim_irql_t sim_irql(void);

/**
 * @brief Raise the calling CPU's IRQL (KeRaiseIrql).
 * @param[in] irql the new level; below the current one bug-checks 0x09
 * @param[in] file caller's source file
 * @param[in] line caller's source line
 * @return the previous IRQL, to pass to sim_irql_lower()
 */
sim_irql_t sim_irql_raise(sim_irql_t irql, const char *file, int line);

/**
 * @brief Lower the calling CPU's IRQL (KeLowerIrql). Pending DPCs and
 *        interrupts that the new level unmasks run before this returns.
 * @param[in] irql the new level; above the current one bug-checks 0x0A
 * @param[in] file caller's source file
 * @param[in] line caller's source line
 */
void sim_irql_lower(sim_irql_t irql, const char *file, int line);

/**
 * @brief Spend @p ns of simulated time on the calling CPU at its IRQL.
 *        Interrupts above that IRQL preempt the work; the rest of it runs
 *        after the ISR returns.
 * @param[in] ns   the duration
 * @param[in] file caller's source file
 * @param[in] line caller's source line
 */
void sim_work(sim_time_t ns, const char *file, int line);

/**
 * @brief Spend @p ns of simulated time on the calling CPU without a trace
 *        event of its own: for a device model whose access already emitted
 *        one (a register read). Preemptible like sim_work(); does nothing
 *        outside a CPU.
 * @param[in] ns the duration
 */
void sim_spend(sim_time_t ns);

/**
 * @brief Mark entry into a routine (a callback such as "HwStorStartIo").
 *        Emits SIM_EV_ENTER and records the IRQL at entry.
 * @param[in] routine a static name
 * @param[in] file    caller's source file
 * @param[in] line    caller's source line
 */
void sim_routine_enter(const char *routine, const char *file, int line);

/**
 * @brief Mark return from the innermost routine. Emits SIM_EV_EXIT with
 *        the entry IRQL in @c arg, so checkers can compare.
 * @param[in] file caller's source file
 * @param[in] line caller's source line
 */
void sim_routine_exit(const char *file, int line);

/**
 * @brief The routine the calling CPU is in.
 * @return the innermost routine name, the activation name, or "(idle)"
 */
const char *sim_routine_current(void);

/**
 * @brief The innermost routine of a CPU, for display.
 * @param[in] cpu the CPU
 * @return the name, or "(idle)"
 */
const char *sim_cpu_routine(const struct sim_cpu *cpu);

/**
 * @brief Set the SRB id the calling activation works on (shown in traces).
 * @param[in] srb the id, 0 for none
 * @return the previous id
 */
uint32_t sim_set_srb(uint32_t srb);

/**
 * @brief Record the source location of a miniport's port-library call on
 *        the calling CPU. The WDK headers' call-site macros call it before
 *        every ScsiPort and StorPort routine (declared in wdk/miniport.h too).
 * @param[in] file the miniport's source file
 * @param[in] line the line of the call
 */
void storsim_call_site(const char *file, int line);

/** @brief The SRB id of the calling activation. @return the id, 0 for none */
uint32_t sim_current_srb(void);

/**
 * @brief The top activation of the calling CPU.
 * @return the frame, or NULL outside any CPU
 */
const struct sim_frame *sim_current_frame(void);

/**
 * @brief Total time a CPU spent working, spinning, and idle so far.
 * @param[in]  cpu  the CPU
 * @param[out] busy time working (all IRQLs)
 * @param[out] spin time spinning
 * @param[out] idle the rest of the time since the machine started
 */
void sim_cpu_times(const struct sim_cpu *cpu, sim_time_t *busy,
                   sim_time_t *spin, sim_time_t *idle);

/**
 * @brief A function told whenever a CPU starts or stops running code: just
 *        before the machine switches into one of its activations (@p in
 *        true) and just after that activation yields (@p in false).
 *        Between an "in" and the next "out" only that CPU runs, which lets
 *        a checker attribute every change to memory to one CPU.
 * @param cpu the processor
 * @param in  true when it starts running, false when it stops
 * @param ctx the context given to sim_set_switch_hook()
 */
typedef void sim_switch_hook_fn(int cpu, bool in, void *ctx);

/**
 * @brief Install the switch hook (one at a time; NULL removes it).
 * @param[in] fn  the hook
 * @param[in] ctx its context
 */
void sim_set_switch_hook(sim_switch_hook_fn *fn, void *ctx);

/** @brief The name of a CPU state. @param[in] s the state @return e.g. "spinning" */
const char *sim_cpu_state_name(enum sim_cpu_state s);

/** @} */

#endif /* STORSIM_CPU_H */
