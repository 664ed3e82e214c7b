/**
 * @file mouse.h
 * @brief A mouse: a device that interrupts at a fixed rate while the user
 *        moves it, and measures how long each of its interrupts waits for
 *        its ISR, the "interrupt latency" a jumpy pointer comes from.
 *
 * Interface: the stack creates one with every machine (mouse_create(),
 * after sim_create()), telling it when the user moves it; afterwards
 * mouse_latency() is the histogram of assert-to-ISR times in simulated
 * nanoseconds, and mouse_get_stats() counts reports. mouse_destroy()
 * before sim_destroy().
 *
 * Why it is here: the SCSI Port documentation (seed 003) warns that an
 * HwScsiInterrupt that polls a long PIO transfer makes "the mouse pointer
 * jumpy": the mouse's interrupt, at a lower DIRQL than the storage
 * adapter's, waits until the storage ISR returns. Every run reports this
 * mouse's latency, so the effect of each PIO strategy is a number.
 *
 * The mouse moves only while the @c moving predicate says so (the stack:
 * while the storage adapter has requests outstanding) and something other
 * than the mouse happened in the machine within the last
 * mouse_config::idle_stop, so it
 * never keeps an otherwise idle machine awake (not even one with a
 * request stuck in a frozen queue): it watches the trace stream and
 * starts reporting again at the next step of the machine.
 */
#ifndef STORSIM_MOUSE_H
#define STORSIM_MOUSE_H

#include <stdbool.h>
#include <stdint.h>

#include "storsim/hist.h"
#include "storsim/types.h"

/**
 * @defgroup mouse Mouse
 * @brief A periodic interrupt source that measures interrupt latency.
 * @{
 */

/** @brief How to build a mouse; fill with mouse_config_default() first. */
struct mouse_config {
    const char *name;          /**< static name, e.g. "mouse0" */
    sim_irql_t dirql;          /**< its DIRQL (default 4: below a storage
                                    adapter at 5, as an HBA on IRQ 11 was
                                    above a PS/2 mouse on IRQ 12 on a PC) */
    uint64_t affinity;         /**< CPUs that may take it (default 1: CPU 0) */
    sim_time_t period;         /**< time between reports while it moves
                                    (default 1 ms: a 1000 Hz mouse) */
    sim_time_t isr_cost;       /**< CPU time of its ISR (default 1 us) */
    sim_time_t idle_stop;      /**< it stops after this long with nothing
                                    but itself happening (default 2 s,
                                    longer than a port's 1 s tick) */
    /** whether the user moves it now; NULL: whenever the machine is
     *  doing something else */
    bool (*moving)(void *ctx);
    void *moving_ctx;          /**< passed to @c moving */
    /** names (compared by pointer, as routine or detail of an event) of
     *  other devices that run while the mouse moves: their events are no
     *  more a sign of life than the mouse's own; NULL-terminated, or NULL */
    const char *const *companions;
    /** called each time the reports start, after a stop (NULL: none) */
    void (*started)(void *ctx);
    void *started_ctx;         /**< passed to @c started */
};

/** @brief What a mouse counted. */
struct mouse_stats {
    uint64_t reports;          /**< movement reports (interrupts raised) */
    uint64_t serviced;         /**< ISRs run (each one latency sample) */
    uint64_t overruns;         /**< reports lost because the previous one
                                    was still waiting for its ISR: the
                                    pointer jumped */
};

/**
 * @brief The defaults: "mouse0", DIRQL 4, CPU 0, 1 ms, 1 us ISR, moving
 *        whenever the machine is busy, stopping after 2 s of nothing else.
 * @param[out] cfg the configuration
 */
void mouse_config_default(struct mouse_config *cfg);

/** @brief A mouse (opaque). */
struct mouse;

/**
 * @brief Create a mouse and connect its interrupt. A machine must exist.
 * @param[in]  cfg the configuration (copied)
 * @param[out] out the mouse
 * @return 0, -ENODEV without a machine, -EINVAL for a bad DIRQL or
 *         period, -ENOSPC when the trace has no room for its subscriber,
 *         -ENOMEM
 */
int mouse_create(const struct mouse_config *cfg, struct mouse **out);

/**
 * @brief Disconnect and free a mouse; call before sim_destroy().
 * @param[in] m the mouse, or NULL
 */
void mouse_destroy(struct mouse *m);

/**
 * @brief The latency histogram: for each serviced report, the simulated
 *        nanoseconds from raising the interrupt to entering its ISR.
 * @param[in] m the mouse
 * @return the histogram (valid until mouse_destroy())
 */
const struct hist *mouse_latency(const struct mouse *m);

/**
 * @brief Copy the counters.
 * @param[in]  m   the mouse
 * @param[out] out the counters
 */
void mouse_get_stats(const struct mouse *m, struct mouse_stats *out);

/**
 * @brief Empty the histogram and zero the counters (e.g. after boot, to
 *        measure only a workload).
 * @param[in,out] m the mouse
 */
void mouse_reset_stats(struct mouse *m);

/**
 * @brief Whether the mouse reports now: the user moves it and the machine
 *        is doing something besides the mouse and its companions. Devices
 *        that run "while the user works" follow this.
 * @param[in] m the mouse
 * @return true while its reports are scheduled
 */
bool mouse_reporting(const struct mouse *m);

/** @} */

#endif /* STORSIM_MOUSE_H */
