/**
 * @file parport.h
 * @brief A parallel port printing: an ECP-style output FIFO that the
 *        printer drains at its own rate and the port's ISR refills, so the
 *        printer stands still while that interrupt waits.
 *
 * Interface: the stack creates one when asked (stack_config::parallel),
 * after sim_create(); parport_start() begins a print job, which goes on
 * while the @c active predicate holds (the stack: while the mouse
 * reports); parport_get_stats() and parport_latency() give what it
 * measured. parport_destroy() before sim_destroy().
 *
 * Why it is here: the other half of seed 003's warning that a polling
 * HwScsiInterrupt makes "serial and parallel throughput drop". The printer
 * takes a byte every @c byte_time; when the FIFO runs empty the port asks
 * for service with an interrupt, and ParallelIsr writes the next FIFO-full.
 * Nothing is lost, but every nanosecond the interrupt waits is one the
 * printer prints nothing, so the throughput is
 * fifo / (fifo * byte_time + latency).
 */
#ifndef STORSIM_PARPORT_H
#define STORSIM_PARPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "storsim/hist.h"
#include "storsim/types.h"

/**
 * @defgroup parport Parallel port
 * @brief An output FIFO that stands empty while its interrupt waits.
 * @{
 */

/** @brief What the parallel port is like. */
struct parport_config {
    const char *name;          /**< static name, e.g. "lpt1" */
    sim_irql_t dirql;          /**< its DIRQL (default 3: the lowest, as
                                    IRQ 7 was on a PC) */
    uint64_t affinity;         /**< CPUs that may take it (default 1) */
    sim_time_t byte_time;      /**< the printer takes a byte in this long
                                    (default 10 us: 100 KB/s) */
    uint32_t fifo;             /**< output FIFO bytes (default 16) */
    sim_time_t isr_cost;       /**< CPU time of ParallelIsr (default 2 us) */
    /** whether there is more to print; NULL: always once started */
    bool (*active)(void *ctx);
    void *active_ctx;          /**< passed to @c active */
};

/** @brief What the parallel port counted. */
struct parport_stats {
    uint64_t printed;          /**< bytes the printer took */
    sim_time_t printing;       /**< time from each job's start to its last
                                    byte: printing, or waiting for a refill */
    uint64_t interrupts;       /**< FIFO-empty service requests */
};

/** @brief "ParallelIsr": the routine its interrupt runs (as in the trace) */
extern const char parport_isr_name[];

/** @brief The defaults above. @param[out] cfg the configuration */
void parport_config_default(struct parport_config *cfg);

/** @brief A parallel port (opaque). */
struct parport;

/**
 * @brief Connect a parallel port's interrupt; it is idle until
 *        parport_start().
 * @param[in]  cfg its configuration (copied)
 * @param[out] out the port
 * @return 0, -ENODEV without a machine, -EINVAL for a bad configuration,
 *         -ENOMEM
 */
int parport_create(const struct parport_config *cfg, struct parport **out);

/** @brief Disconnect and free. @param[in] p the port, or NULL */
void parport_destroy(struct parport *p);

/**
 * @brief A print job starts: the driver fills the FIFO (nothing if one
 *        runs). It ends by itself when @c active says so at an ISR.
 * @param[in,out] p the port
 */
void parport_start(struct parport *p);

/** @brief The FIFO-empty-to-ISR latency histogram (ns). @param[in] p the
 *  port @return the histogram, owned by the port */
const struct hist *parport_latency(const struct parport *p);

/**
 * @brief The counters.
 * @param[in]  p   the port
 * @param[out] out the counters
 */
void parport_get_stats(const struct parport *p, struct parport_stats *out);

/** @brief Zero the counters and the histogram. @param[in,out] p the port */
void parport_reset_stats(struct parport *p);

/** @} */

#endif /* STORSIM_PARPORT_H */
