/**
 * @file serial.h
 * @brief A serial port receiving at line rate: a 16550-style UART whose
 *        16-byte receive FIFO overruns when its interrupt waits too long.
 *
 * Interface: the stack creates one when asked (stack_config::serial),
 * after sim_create(); serial_start() begins a stream of bytes from the
 * far end, which goes on while the @c active predicate holds (the stack:
 * while the mouse reports); serial_get_stats() and serial_latency() give
 * what it measured. serial_destroy() before sim_destroy().
 *
 * Why it is here: the SCSI Port documentation (seed 003) says that an
 * HwScsiInterrupt which polls a long programmed-I/O transfer makes "serial
 * and parallel throughput drop". This is the serial half: bytes arrive
 * every 10 bit times; the UART interrupts when its FIFO holds @c trigger
 * bytes (14 of 16), and its ISR, SerialISR, empties it. If the ISR starts
 * later than the FIFO's remaining room lasts (two bytes: 174 us at 115200
 * baud), every byte that arrives into the full FIFO is lost: an overrun.
 *
 * The model is lazy and exact: bytes arrive on a fixed grid from the
 * stream's start, so the ISR works out how many arrived and how many of
 * them found the FIFO full, and the only events are the trigger-level
 * interrupts (one per 14 bytes).
 */
#ifndef STORSIM_SERIAL_H
#define STORSIM_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

#include "storsim/hist.h"
#include "storsim/types.h"

/**
 * @defgroup serial Serial port
 * @brief A UART whose receive FIFO overruns when its interrupt waits.
 * @{
 */

/** @brief What the serial port is like. */
struct serial_config {
    const char *name;          /**< static name, e.g. "com1" */
    sim_irql_t dirql;          /**< its DIRQL (default 4: below a storage
                                    adapter at 5, like the mouse) */
    uint64_t affinity;         /**< CPUs that may take it (default 1) */
    uint32_t baud;             /**< line rate (default 115200); a byte is
                                    10 bits (8N1) */
    uint32_t fifo;             /**< receive FIFO bytes (default 16) */
    uint32_t trigger;          /**< interrupt at this many (default 14) */
    sim_time_t isr_cost;       /**< CPU time of SerialISR (default 2 us) */
    /** whether the far end keeps sending; NULL: always once started */
    bool (*active)(void *ctx);
    void *active_ctx;          /**< passed to @c active */
};

/** @brief What the serial port counted. */
struct serial_stats {
    uint64_t offered;          /**< bytes the far end sent */
    uint64_t received;         /**< bytes SerialISR read */
    uint64_t lost;             /**< bytes that found the FIFO full */
    uint64_t interrupts;       /**< trigger-level interrupts */
    uint64_t overruns;         /**< ISRs that found bytes lost */
};

/** @brief "SerialISR": the routine its interrupt runs (as in the trace) */
extern const char serial_isr_name[];

/** @brief The defaults above. @param[out] cfg the configuration */
void serial_config_default(struct serial_config *cfg);

/** @brief A serial port (opaque). */
struct serial;

/**
 * @brief Connect a serial port's interrupt; it is quiet until
 *        serial_start().
 * @param[in]  cfg its configuration (copied)
 * @param[out] out the port
 * @return 0, -ENODEV without a machine, -EINVAL for a bad configuration,
 *         -ENOMEM
 */
int serial_create(const struct serial_config *cfg, struct serial **out);

/** @brief Disconnect and free. @param[in] s the port, or NULL */
void serial_destroy(struct serial *s);

/**
 * @brief The far end starts sending (nothing if it already does). It
 *        stops by itself when @c active says so at an ISR.
 * @param[in,out] s the port
 */
void serial_start(struct serial *s);

/** @brief The trigger-to-ISR latency histogram (ns). @param[in] s the port
 *  @return the histogram, owned by the port */
const struct hist *serial_latency(const struct serial *s);

/**
 * @brief The counters, bytes still in the FIFO counted as offered.
 * @param[in]  s   the port
 * @param[out] out the counters
 */
void serial_get_stats(const struct serial *s, struct serial_stats *out);

/** @brief Zero the counters and the histogram. @param[in,out] s the port */
void serial_reset_stats(struct serial *s);

/** @} */

#endif /* STORSIM_SERIAL_H */
