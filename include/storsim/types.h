/**
 * @file types.h
 * @brief The basic types every part of the simulated machine shares:
 *        simulated time, IRQL, timed events and the interrupt policy.
 */
#ifndef STORSIM_TYPES_H
#define STORSIM_TYPES_H

#include <stdint.h>

/**
 * @addtogroup sim
 * @{
 */

/** @brief Simulated time in nanoseconds since the machine was created. */
typedef uint64_t sim_time_t;

/** @brief A time that is never reached ("no limit"). */
#define SIM_TIME_NEVER UINT64_MAX
/** @brief @p x nanoseconds as a sim_time_t. */
#define SIM_NS(x) ((sim_time_t)(x))
/** @brief @p x microseconds as a sim_time_t. */
#define SIM_US(x) ((sim_time_t)(x) * 1000u)
/** @brief @p x milliseconds as a sim_time_t. */
#define SIM_MS(x) ((sim_time_t)(x) * 1000000u)
/** @brief @p x seconds as a sim_time_t. */
#define SIM_SEC(x) ((sim_time_t)(x) * 1000000000u)

/** @brief The largest number of simulated CPUs. */
#define SIM_MAX_CPUS 64

/** @brief The source location of the caller, as two arguments (file, line). */
#define SIM_HERE __FILE__, __LINE__

/** @brief An interrupt request level (KIRQL). */
typedef uint8_t sim_irql_t;

#define PASSIVE_LEVEL  0  /**< threads */
#define APC_LEVEL      1  /**< asynchronous procedure calls */
#define DISPATCH_LEVEL 2  /**< the dispatcher, DPCs, spin locks */
#define SIM_DIRQL_MIN  3  /**< lowest device IRQL */
#define SIM_DIRQL_MAX  11 /**< highest device IRQL */
#define CLOCK_LEVEL    13 /**< the clock interrupt */
#define IPI_LEVEL      14 /**< inter-processor interrupts */
#define HIGH_LEVEL     15 /**< everything masked */
/** @brief Number of distinct IRQL values. */
#define SIM_NUM_IRQLS  16

/** @brief How an interrupt picks a CPU among those in its affinity. */
enum sim_irq_policy {
    SIM_IRQ_LOWEST_IRQL,  /**< the eligible CPU at the lowest IRQL; ties rotate */
    SIM_IRQ_FIRST_CPU,    /**< the first eligible CPU in affinity order */
};

/**
 * @brief A timed event: a function the machine calls at a simulated time,
 *        outside any CPU ("device context").
 *
 * Events are how devices and timers act. The callback may schedule events,
 * assert interrupts, queue DPCs and post thread work, but it runs on no CPU
 * and so may not take simulated time. Events at the same time run in the
 * order they were scheduled.
 */
struct sim_event {
    sim_time_t time;        /**< when it fires (valid while pending) */
    uint64_t seq;           /**< tie-break: scheduling order */
    uint32_t heap_index;    /**< position in the queue, or SIM_EVENT_IDLE */
    void (*fn)(struct sim_event *ev); /**< what to do */
    const char *name;       /**< for traces and the console */
};

/** @brief heap_index of an event that is not scheduled. */
#define SIM_EVENT_IDLE UINT32_MAX

/** @} */

#endif /* STORSIM_TYPES_H */
