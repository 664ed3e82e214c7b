/**
 * @file stack.h
 * @brief The whole simulated storage stack in one call: the machine, a
 *        SIMHBA with its disks, a port driver (Storport or SCSI Port), the
 *        miniport, and a mouse whose interrupt latency every run reports,
 *        booted until the adapter is ready.
 *
 * Interface: stack_config_default(), adjust, stack_create(), stack_boot(),
 * then submit requests to stack->pa (port_submit) or run a workload;
 * stack->mouse measures interrupt latency meanwhile (it moves while the
 * adapter has requests outstanding); stack_destroy() tears everything
 * down, the machine included.
 */
#ifndef STORSIM_STACK_H
#define STORSIM_STACK_H

#include <stdbool.h>
#include <stddef.h>

#include "storsim/hba.h"
#include "storsim/miniport_sim.h"
#include "storsim/mouse.h"
#include "storsim/parport.h"
#include "storsim/port.h"
#include "storsim/scsiport_sim.h"
#include "storsim/serial.h"
#include "storsim/sim.h"
#include "storsim/storport_sim.h"

/**
 * @defgroup stack The storage stack
 * @brief Machine, HBA, port driver and miniport, wired together.
 * @{
 */

/** @brief Everything the stack is built from. */
struct stack_config {
    struct sim_config machine;     /**< the simulated machine */
    struct hba_config hba;         /**< the adapter and its disks */
    struct mp_options miniport;    /**< the miniport's options */
    enum port_model model;         /**< which port driver */
    struct storport_costs storport_cost; /**< Storport's own costs */
    struct scsiport_costs scsiport_cost; /**< SCSI Port's own costs */
    bool scsiport_verify_isr;      /**< SCSI Port: an ISR longer than 50 us
                                        stops the machine (verifier) */
    sim_irql_t dirql;              /**< the adapter's DIRQL */
    struct mouse_config mouse;     /**< the mouse (its @c moving predicate
                                        is the stack's own) */
    bool serial;                   /**< add a serial port receiving while
                                        the mouse moves (default off) */
    struct serial_config serial_port; /**< its configuration */
    bool parallel;                 /**< add a parallel port printing while
                                        the mouse moves (default off) */
    struct parport_config parallel_port; /**< its configuration */
};

/** @brief A built stack. */
struct stack {
    struct hba *hba;               /**< the device */
    struct port_adapter *pa;       /**< the port driver's adapter */
    enum port_model model;         /**< which port driver */
    struct mouse *mouse;           /**< the mouse: mouse_latency(st->mouse) */
    struct serial *serial;         /**< the serial port, or NULL */
    struct parport *parallel;      /**< the parallel port, or NULL */
    const char *companions[5];     /**< their names, for the mouse */
    bool ready;                    /**< the adapter finished initialising */
    bool failed;                   /**< initialisation failed */
    char error[256];               /**< why, when @c failed */
};

/** @brief Defaults: 4 CPUs, the default SIMHBA with 2 LUNs, Storport,
 *  the default miniport options, DIRQL 5, the default mouse (DIRQL 4,
 *  CPU 0, 1 ms). @param[out] cfg the configuration */
void stack_config_default(struct stack_config *cfg);

/**
 * @brief Create the machine and the stack (the adapter initialises when
 *        the machine runs).
 * @param[in]  cfg    what to build
 * @param[out] out    the stack
 * @param[out] err    on error, what was wrong
 * @param[in]  errlen size of @p err
 * @return 0 or a negative errno
 */
int stack_create(const struct stack_config *cfg, struct stack **out,
                 char *err, size_t errlen);

/**
 * @brief Run the machine until the adapter is ready (or failed, or the
 *        machine bug-checked). When it is ready the counters of the mouse
 *        and the other legacy ports start again, so that they measure only
 *        what runs afterwards.
 * @param[in,out] st the stack
 * @return 0 when ready, -EIO when initialisation failed (see st->error),
 *         -EFAULT after a bug check
 */
int stack_boot(struct stack *st);

/**
 * @brief Start the counters of the mouse and the serial and parallel ports
 *        again (at boot, and when a workload starts).
 * @param[in,out] st the stack
 */
void stack_reset_device_stats(struct stack *st);

/**
 * @brief The miniport's device extension, whichever the port driver (for
 *        mp_set_bugs() and tests).
 * @param[in] st the stack
 * @return the HwDeviceExtension, or NULL before initialisation
 */
void *stack_device_extension(const struct stack *st);

/** @brief Destroy the stack and the machine. @param[in] st the stack */
void stack_destroy(struct stack *st);

/** @} */

#endif /* STORSIM_STACK_H */
