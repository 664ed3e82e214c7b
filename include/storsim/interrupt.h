/**
 * @file interrupt.h
 * @brief Simulated interrupt lines and connected interrupts (KINTERRUPT):
 *        DIRQL, level or edge signalling, masking, delivery policy and the
 *        interrupt spin lock with synchronize-execution semantics.
 *
 * Interface: a device model connects an interrupt with sim_interrupt_connect(),
 * then drives its line with sim_interrupt_set_level() (level-triggered) or
 * sim_interrupt_signal() (edge, MSI-like). Port drivers synchronize with the
 * ISR through sim_sync_execution().
 */
#ifndef STORSIM_INTERRUPT_H
#define STORSIM_INTERRUPT_H

#include <stdbool.h>
#include <stdint.h>

#include "storsim/types.h"
#include "storsim/spinlock.h"

/**
 * @defgroup sim_irq Interrupts
 * @ingroup sim
 * @brief Lines, delivery and the interrupt spin lock.
 *
 * An asserted line is delivered to an eligible CPU (in the affinity mask,
 * IRQL below the DIRQL) chosen by the policy; if none is eligible it stays
 * pending until one lowers its IRQL. The ISR runs at the DIRQL holding the
 * interrupt's spin lock, so it never overlaps sim_sync_execution() on the
 * same interrupt. A level-triggered line that is still asserted when the
 * ISR returns is delivered again; an edge is latched once while in service.
 * @{
 */

/** @brief How the line signals. */
enum sim_irq_mode {
    SIM_IRQ_LEVEL, /**< level-sensitive (LevelSensitive) */
    SIM_IRQ_EDGE,  /**< edge / message signalled (Latched) */
};

/**
 * @brief The service routine: returns true if the device was interrupting.
 * @param ctx the context given at connect time
 */
typedef bool sim_isr_fn(void *ctx);

/** @brief Unclaimed deliveries in a row of a level-triggered line that stays
 *         asserted before the machine stops with HARDWARE_INTERRUPT_STORM. */
#define SIM_STORM_LIMIT 1000

/**
 * @brief A connected interrupt. Read-only outside src/sim.
 */
struct sim_interrupt {
    const char *name;          /**< e.g. "simhba0" */
    sim_irql_t dirql;          /**< device IRQL, SIM_DIRQL_MIN..SIM_DIRQL_MAX */
    enum sim_irq_mode mode;    /**< level or edge */
    uint64_t affinity;         /**< CPUs that may take it (bit per CPU) */
    enum sim_irq_policy policy;/**< how a CPU is chosen */
    sim_isr_fn *isr;           /**< the service routine */
    void *ctx;                 /**< its context */
    struct sim_spinlock lock;  /**< the interrupt spin lock, at @c dirql */
    bool level;                /**< level mode: the line is asserted */
    bool latched;              /**< edge mode: a signal is waiting */
    bool masked;               /**< masked at the controller */
    int in_service;            /**< CPU running the ISR, or -1 */
    sim_time_t asserted_at;    /**< when the pending request began */
    /** @name Statistics */
    /** @{ */
    uint64_t delivered;        /**< ISR invocations */
    uint64_t unclaimed;        /**< ISRs that returned false */
    uint64_t unclaimed_run;    /**< ISRs in a row that returned false with
                                    the level line still asserted after */
    sim_time_t latency_total;  /**< sum of assert-to-ISR-entry times */
    sim_time_t latency_max;    /**< largest assert-to-ISR-entry time */
    /** @} */
    /** @cond INTERNAL */
    struct sim_interrupt *next;
    int last_cpu;
    /** @endcond */
};

/**
 * @brief Connect an interrupt (IoConnectInterrupt).
 * @param[out] intr     the interrupt
 * @param[in]  name     a static name
 * @param[in]  dirql    its DIRQL (SIM_DIRQL_MIN..SIM_DIRQL_MAX)
 * @param[in]  mode     level or edge
 * @param[in]  affinity CPUs that may take it, 0 for all
 * @param[in]  isr      the service routine
 * @param[in]  ctx      its context
 * @return 0, or -EINVAL for a DIRQL out of range
 */
int sim_interrupt_connect(struct sim_interrupt *intr, const char *name,
                          sim_irql_t dirql, enum sim_irq_mode mode,
                          uint64_t affinity, sim_isr_fn *isr, void *ctx);

/** @brief Disconnect an interrupt. @param[in,out] intr the interrupt */
void sim_interrupt_disconnect(struct sim_interrupt *intr);

/**
 * @brief Drive a level-triggered line.
 * @param[in,out] intr     the interrupt
 * @param[in]     asserted the new line level
 */
void sim_interrupt_set_level(struct sim_interrupt *intr, bool asserted);

/** @brief Send one edge (message-signalled) interrupt. @param[in,out] intr the interrupt */
void sim_interrupt_signal(struct sim_interrupt *intr);

/**
 * @brief Mask or unmask the interrupt at the controller.
 * @param[in,out] intr   the interrupt
 * @param[in]     masked true to mask
 */
void sim_interrupt_mask(struct sim_interrupt *intr, bool masked);

/**
 * @brief Run @p fn synchronized with the ISR (KeSynchronizeExecution): at
 *        the DIRQL, holding the interrupt spin lock.
 * @param[in,out] intr the interrupt
 * @param[in]     fn   the routine
 * @param[in]     ctx  its argument
 * @param[in]     file caller's source file
 * @param[in]     line caller's source line
 * @return what @p fn returned
 */
bool sim_sync_execution(struct sim_interrupt *intr, bool (*fn)(void *ctx),
                        void *ctx, const char *file, int line);

/** @brief First connected interrupt, for listing. @return the interrupt or NULL */
const struct sim_interrupt *sim_interrupt_first(void);

/** @brief Next connected interrupt. @param[in] intr the current one @return the next or NULL */
const struct sim_interrupt *sim_interrupt_next(const struct sim_interrupt *intr);

/** @} */

#endif /* STORSIM_INTERRUPT_H */
