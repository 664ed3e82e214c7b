/**
 * @file bugcheck.h
 * @brief Bug checks: the simulated machine's "blue screen".
 *
 * Interface: sim_bugcheck() stops the machine for good; sim_bugcheck_info()
 * tells what happened; sim_bugcheck_format() renders the report the console
 * and batch runs print.
 */
#ifndef STORSIM_BUGCHECK_H
#define STORSIM_BUGCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storsim/types.h"

/**
 * @defgroup sim_bugcheck Bug checks
 * @ingroup sim
 * @brief Windows stop codes with their parameters, plus where and why.
 * @{
 */

#define IRQL_NOT_GREATER_OR_EQUAL          0x09  /**< raised to a lower IRQL */
#define IRQL_NOT_LESS_OR_EQUAL             0x0A  /**< lowered to a higher IRQL */
#define PAGE_FAULT_IN_NONPAGED_AREA        0x50  /**< a bad address below DISPATCH_LEVEL */
#define DRIVER_IRQL_NOT_LESS_OR_EQUAL      0xD1  /**< a bad address at DISPATCH_LEVEL or above */
#define THREAD_STUCK_IN_DEVICE_DRIVER      0xEA  /**< a routine that never returns (below DISPATCH_LEVEL) */
#define SPIN_LOCK_ALREADY_OWNED            0x0F  /**< acquired a lock it holds */
#define SPIN_LOCK_NOT_OWNED                0x10  /**< released a lock it does not hold */
#define DRIVER_VERIFIER_DETECTED_VIOLATION 0xC4  /**< a verifier rule; P1 says which */
#define IRQL_UNEXPECTED_VALUE              0xC8  /**< an activation returned at the wrong IRQL */
#define DPC_WATCHDOG_VIOLATION             0x133 /**< too long at or above DISPATCH_LEVEL */
#define HARDWARE_INTERRUPT_STORM           0xF2  /**< a level-triggered line nobody dismisses */

/** @brief 0xC4 parameter 1: a deadlock or lock-order violation. */
#define SIM_VERIFIER_DEADLOCK              0x1001
/** @brief 0xC4 parameter 1: KeReleaseSpinLock at the wrong IRQL. */
#define SIM_VERIFIER_IRQL_RELEASE_SPINLOCK 0x20015

/** @brief Everything known about a bug check. */
struct sim_bugcheck_info {
    uint32_t code;          /**< the stop code */
    uint64_t param[4];      /**< its four parameters */
    sim_time_t time;        /**< when */
    int cpu;                /**< on which CPU (-1: device context) */
    sim_irql_t irql;        /**< the CPU's IRQL then */
    const char *routine;    /**< the routine it was in */
    const char *file;       /**< source file of the offending call */
    int line;               /**< its line */
    uint32_t srb;           /**< the SRB being worked on, 0 if none */
    char why[1024];         /**< what happened, in words */
};

/**
 * @brief Stop the machine. From CPU context this never returns; from
 *        device context it returns and the machine stops after the current
 *        event.
 * @param[in] code the stop code
 * @param[in] p1   parameter 1
 * @param[in] p2   parameter 2
 * @param[in] p3   parameter 3
 * @param[in] p4   parameter 4
 * @param[in] file source file of the offending call
 * @param[in] line its line
 * @param[in] fmt  printf-style explanation
 */
void sim_bugcheck(uint32_t code, uint64_t p1, uint64_t p2, uint64_t p3,
                  uint64_t p4, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

/** @brief The bug check, if one happened. @return the info or NULL */
const struct sim_bugcheck_info *sim_bugcheck_info(void);

/**
 * @brief The symbolic name of a stop code.
 * @param[in] code the code
 * @return e.g. "SPIN_LOCK_ALREADY_OWNED", or "UNKNOWN_BUGCHECK"
 */
const char *sim_bugcheck_name(uint32_t code);

/**
 * @brief Render the bug-check report (several lines).
 * @param[in]  info the bug check
 * @param[out] buf  output buffer
 * @param[in]  len  its size
 * @return the length the full report needs (like snprintf)
 */
int sim_bugcheck_format(const struct sim_bugcheck_info *info, char *buf,
                        size_t len);

/**
 * @brief An address in a range that is never mapped, for a buffer a port
 *        hands over without mapping it (Storport's read/write DataBuffer):
 *        touching it bug-checks, as on Windows.
 * @param[in] offset where in the range (taken modulo its 1 MiB size)
 * @return the address, or NULL if the range could not be reserved
 */
void *sim_unmapped_va(size_t offset);

/**
 * @brief Whether an address lies in the sim_unmapped_va() range, as the
 *        host sees it or as a bug-check report shows it (reports show the
 *        range at 0xFFFFC00000000000, the same in every run).
 * @param[in] addr the address (a bug check's first parameter)
 * @return true if it does
 */
bool sim_is_unmapped(uint64_t addr);

/**
 * @brief How long simulated code may run without a trace event (no port
 *        call, no IRQL change, nothing) before it counts as looping: a
 *        routine that never returns is then a bug check
 *        (DPC_WATCHDOG_VIOLATION at DISPATCH_LEVEL or above,
 *        THREAD_STUCK_IN_DEVICE_DRIVER below) instead of a hung program.
 *        This is the one guard measured in host time; it never fires for
 *        code that makes progress, so it cannot change a trace.
 * @param[in] ms the limit in host milliseconds (0 turns the guard off;
 *               the default is 5000)
 */
void sim_set_hang_limit(unsigned ms);

/** @} */

#endif /* STORSIM_BUGCHECK_H */
