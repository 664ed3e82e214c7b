/**
 * @file synth.h
 * @brief A synthetic workload for the bare simulated machine: submitter
 *        threads, spin locks, a device that completes requests after random
 *        latencies, an ISR and a completion DPC.
 *
 * Interface: sim_synth_start() after sim_create(), then sim_run() until
 * idle, then sim_synth_result(). It exercises every mechanism of the
 * machine with seeded random choices, which makes it the scenario for the
 * determinism test, the machine benchmark, and the headless run until the
 * storage stack exists.
 */
#ifndef STORSIM_SYNTH_H
#define STORSIM_SYNTH_H

#include <stdint.h>
#include <stdio.h>

#include "storsim/sim.h"

/**
 * @defgroup sim_synth Synthetic workload
 * @ingroup sim
 * @brief The I/O path's shape without a port driver.
 *
 * Each CPU runs a submitter thread that, per request, does some passive
 * work, raises to DISPATCH_LEVEL, takes one or two of three ranked locks,
 * hands the request to the device and lowers again. The device completes
 * each request after a random latency and asserts a level-triggered line;
 * the ISR (DIRQL 5) collects completions and queues a DPC on the
 * submitting CPU, which takes a lock, finishes the requests and restarts
 * the submitter when it was waiting for a free slot.
 * @{
 */

/** @brief What to run. */
struct sim_synth_config {
    uint64_t requests;    /**< requests per CPU */
    int queue_depth;      /**< outstanding requests per CPU (1..256) */
    sim_time_t latency_min; /**< device latency, lower bound */
    sim_time_t latency_max; /**< device latency, upper bound */
};

/** @brief What happened. */
struct sim_synth_result {
    uint64_t submitted;   /**< requests handed to the device */
    uint64_t completed;   /**< requests finished by the DPC */
    uint64_t interrupts;  /**< ISR invocations */
    uint64_t events;      /**< trace events */
    uint64_t trace_hash;  /**< sim_trace_hash() at the end */
    sim_time_t elapsed;   /**< simulated time */
};

/** @brief Defaults: 2000 requests per CPU, depth 8, 10..100 us latency.
 *  @param[out] cfg the configuration to fill */
void sim_synth_config_default(struct sim_synth_config *cfg);

/**
 * @brief Set up the workload on the current machine (call before sim_run).
 * @param[in] cfg what to run
 * @return 0, -EINVAL for a bad value, -ENOMEM
 */
int sim_synth_start(const struct sim_synth_config *cfg);

/** @brief The result so far. @param[out] out the result */
void sim_synth_result(struct sim_synth_result *out);

/**
 * @brief Print a human summary: per-CPU time by IRQL, lock statistics,
 *        interrupts and the trace hash.
 * @param[in] f where to print
 */
void sim_synth_print_summary(FILE *f);

/** @brief Free the workload's memory (call before sim_destroy). */
void sim_synth_stop(void);

/** @} */

#endif /* STORSIM_SYNTH_H */
