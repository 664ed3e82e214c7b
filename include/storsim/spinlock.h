/**
 * @file spinlock.h
 * @brief Simulated spin locks with owner, IRQL, hold and spin accounting,
 *        lock-order checking and deadlock detection.
 *
 * Interface: sim_lock_init() once, then sim_lock_acquire() and
 * sim_lock_release() from CPU context. The console lists every lock with
 * sim_lock_count()/sim_lock_by_id().
 */
#ifndef STORSIM_SPINLOCK_H
#define STORSIM_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "storsim/types.h"

/**
 * @defgroup sim_lock Spin locks
 * @ingroup sim
 * @brief KSPIN_LOCK semantics in simulated time.
 *
 * Acquiring raises the CPU to the lock's IRQL (DISPATCH_LEVEL for ordinary
 * locks, the DIRQL for an interrupt lock); a contended acquire spins,
 * burning the CPU's simulated time at that IRQL while interrupts above it
 * are still taken. Waiters are served first come, first served (as Windows
 * queued spin locks are). Violations are bug checks with the Windows codes:
 * - acquiring a lock this CPU already holds: SPIN_LOCK_ALREADY_OWNED (0x0F);
 * - releasing a lock this CPU does not hold: SPIN_LOCK_NOT_OWNED (0x10);
 * - acquiring from above the lock's IRQL: IRQL_NOT_GREATER_OR_EQUAL (0x09);
 * - releasing at an IRQL other than the lock's: DRIVER_VERIFIER_DETECTED_VIOLATION
 *   (0xC4, 0x20015, the IrqlKeReleaseSpinLock rule);
 * - a cycle of CPUs spinning on each other's locks, or taking locks against
 *   their declared order: DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4, 0x1001),
 *   naming every CPU, lock and source line.
 * @{
 */

/** @brief Most locks one machine may register. */
#define SIM_MAX_LOCKS 256

/**
 * @brief A spin lock. The fields are read-only outside src/sim.
 */
struct sim_spinlock {
    const char *name;       /**< for traces and the console */
    uint16_t id;            /**< 1-based id in traces (0 = none) */
    sim_irql_t irql;        /**< the IRQL the lock is held at */
    int rank;               /**< order: a lock may not be taken while holding
                                 one of higher rank; locks of equal rank have
                                 no order between them (0 = unordered) */
    int owner;              /**< owning CPU, or -1 */
    sim_irql_t old_irql;    /**< IRQL to restore at release */
    sim_time_t acquired_at; /**< when the owner got it */
    const char *acq_file;   /**< where the owner acquired it */
    int acq_line;           /**< line of @c acq_file */
    /** @name Statistics */
    /** @{ */
    uint64_t acquisitions;  /**< successful acquires */
    uint64_t contended;     /**< acquires that had to spin */
    sim_time_t hold_total;  /**< total hold time */
    sim_time_t hold_max;    /**< longest hold */
    sim_time_t spin_total;  /**< total time CPUs spun on it */
    sim_time_t spin_max;    /**< longest single spin */
    /** @} */
    /** @cond INTERNAL */
    int16_t waiters[SIM_MAX_CPUS];
    int nwaiters;
    /** @endcond */
};

/**
 * @brief Register a lock with the machine.
 * @param[out] lock the lock
 * @param[in]  name a static name, e.g. "StartIoLock"
 * @param[in]  irql the IRQL it is held at (DISPATCH_LEVEL or a DIRQL)
 * @param[in]  rank its place in the lock order (0 = not ordered; equal
 *                  ranks may be taken in either order)
 */
void sim_lock_init(struct sim_spinlock *lock, const char *name,
                   sim_irql_t irql, int rank);

/**
 * @brief Acquire @p lock on the calling CPU, raising to its IRQL and
 *        spinning while another CPU holds it.
 * @param[in,out] lock the lock
 * @param[in]     file caller's source file
 * @param[in]     line caller's source line
 */
void sim_lock_acquire(struct sim_spinlock *lock, const char *file, int line);

/**
 * @brief Release @p lock and restore the IRQL saved at acquire. A waiter,
 *        if any, gets the lock next.
 * @param[in,out] lock the lock
 * @param[in]     file caller's source file
 * @param[in]     line caller's source line
 */
void sim_lock_release(struct sim_spinlock *lock, const char *file, int line);

/**
 * @brief Whether the calling CPU holds @p lock.
 * @param[in] lock the lock
 * @return true if held by this CPU
 */
bool sim_lock_held(const struct sim_spinlock *lock);

/** @brief Number of registered locks. @return the count */
int sim_lock_count(void);

/**
 * @brief A registered lock by id.
 * @param[in] id 1..sim_lock_count()
 * @return the lock or NULL
 */
const struct sim_spinlock *sim_lock_by_id(int id);

/**
 * @brief Remove a lock from the registry (when its owner goes away).
 * @param[in,out] lock the lock; it must not be held
 */
void sim_lock_unregister(struct sim_spinlock *lock);

/** @} */

#endif /* STORSIM_SPINLOCK_H */
