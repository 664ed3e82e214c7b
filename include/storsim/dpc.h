/**
 * @file dpc.h
 * @brief Deferred procedure calls, one-shot timers, and passive-level work
 *        items (the simulated threads).
 *
 * Interface: sim_dpc_init() and sim_dpc_queue() (KeInitializeDpc and
 * KeInsertQueueDpc); sim_timer_init(), sim_timer_set(), sim_timer_cancel()
 * (KeSetTimer with a DPC); sim_cpu_post() to run a routine at PASSIVE_LEVEL
 * on a CPU at a given time.
 */
#ifndef STORSIM_DPC_H
#define STORSIM_DPC_H

#include <stdbool.h>
#include <stdint.h>

#include "storsim/types.h"

/**
 * @defgroup sim_dpc DPCs, timers and thread work
 * @ingroup sim
 * @brief Per-CPU DPC queues drained below DISPATCH_LEVEL, one-shot timers,
 *        and passive-level work items.
 *
 * Queuing a DPC that is already queued does nothing and returns false, as
 * KeInsertQueueDpc does. A CPU runs its DPCs, in queue order, whenever its
 * IRQL drops below DISPATCH_LEVEL. A timer that is set again before it
 * fires fires once, at the new time.
 * @{
 */

struct sim_dpc;

/**
 * @brief A DPC routine (KDEFERRED_ROUTINE).
 * @param dpc  the DPC object
 * @param ctx  the context given at init
 * @param arg1 first argument given at queue time
 * @param arg2 second argument given at queue time
 */
typedef void sim_dpc_fn(struct sim_dpc *dpc, void *ctx, void *arg1, void *arg2);

/** @brief A DPC object (KDPC). */
struct sim_dpc {
    const char *name;   /**< for traces */
    sim_dpc_fn *fn;     /**< the routine */
    void *ctx;          /**< its context */
    void *arg1;         /**< SystemArgument1 */
    void *arg2;         /**< SystemArgument2 */
    int target;         /**< CPU to run on, or -1 for the queuing CPU */
    bool queued;        /**< on a CPU's queue now */
    uint64_t runs;      /**< times it ran */
    /** @cond INTERNAL */
    struct sim_dpc *next;
    int queued_on;
    /** @endcond */
};

/**
 * @brief Initialise a DPC (KeInitializeDpc).
 * @param[out] dpc  the DPC
 * @param[in]  name a static name
 * @param[in]  fn   the routine
 * @param[in]  ctx  its context
 */
void sim_dpc_init(struct sim_dpc *dpc, const char *name, sim_dpc_fn *fn,
                  void *ctx);

/**
 * @brief Run the DPC on a given CPU (KeSetTargetProcessorDpc).
 * @param[in,out] dpc the DPC
 * @param[in]     cpu the processor, or -1 for the queuing CPU
 */
void sim_dpc_set_target(struct sim_dpc *dpc, int cpu);

/**
 * @brief Queue a DPC (KeInsertQueueDpc). From device context it goes to
 *        its target CPU, or CPU 0.
 * @param[in,out] dpc  the DPC
 * @param[in]     arg1 SystemArgument1
 * @param[in]     arg2 SystemArgument2
 * @return true if queued, false if it was already queued
 */
bool sim_dpc_queue(struct sim_dpc *dpc, void *arg1, void *arg2);

/** @brief A one-shot timer that queues a DPC when it expires (KTIMER). */
struct sim_timer {
    struct sim_event ev; /**< the expiry event */
    struct sim_dpc *dpc; /**< queued when it fires */
    uint64_t fired;      /**< times it fired */
};

/**
 * @brief Initialise a timer.
 * @param[out] t    the timer
 * @param[in]  name a static name
 * @param[in]  dpc  the DPC to queue when it fires
 */
void sim_timer_init(struct sim_timer *t, const char *name, struct sim_dpc *dpc);

/**
 * @brief Set (or reset) the timer to fire @p delay from now.
 * @param[in,out] t     the timer
 * @param[in]     delay relative time
 * @return true if the timer was already pending (it is replaced)
 */
bool sim_timer_set(struct sim_timer *t, sim_time_t delay);

/**
 * @brief Cancel the timer.
 * @param[in,out] t the timer
 * @return true if it was pending
 */
bool sim_timer_cancel(struct sim_timer *t);

/**
 * @brief A passive-level work item; embed it where the work lives.
 */
struct sim_thread_item {
    struct sim_event ev;        /**< the start event */
    void (*fn)(void *ctx);      /**< the routine */
    void *ctx;                  /**< its argument */
    const char *name;           /**< activation name */
    int cpu;                    /**< where it runs */
    /** @cond INTERNAL */
    struct sim_thread_item *next;
    bool queued;
    uint64_t machine;
    /** @endcond */
};

/**
 * @brief Run @p fn at PASSIVE_LEVEL on @p cpu at absolute time @p when (or
 *        now, if earlier). Items on one CPU run one after another, in the
 *        order they became due.
 * @param[out] item storage for the item (must live until it has run)
 * @param[in]  cpu  the processor
 * @param[in]  fn   the routine
 * @param[in]  ctx  its argument
 * @param[in]  name a static name for traces
 * @param[in]  when absolute start time
 * @return 0, -EINVAL for a bad CPU, -EBUSY if the item is still pending
 *         (due or waiting for its CPU: it may be posted again once it
 *         has started running)
 */
int sim_cpu_post(struct sim_thread_item *item, int cpu, void (*fn)(void *ctx),
                 void *ctx, const char *name, sim_time_t when);

/** @} */

#endif /* STORSIM_DPC_H */
