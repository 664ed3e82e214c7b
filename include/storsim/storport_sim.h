/**
 * @file storport_sim.h
 * @brief Creating a Storport-style adapter: how the simulated Storport port
 *        driver is bound to a device and a miniport, and its settings.
 *
 * Interface: fill a struct port_hw (how to reach the device's registers and
 * interrupt) and a struct storport_params, call storport_adapter_create(),
 * then run the machine: the adapter's initialisation (DriverEntry,
 * HwStorFindAdapter, HwStorInitialize, passive initialisation, bus scan)
 * runs on CPU 0 in simulated time, after which the adapter is ready and
 * the @c ready callback runs.
 */
#ifndef STORSIM_STORPORT_SIM_H
#define STORSIM_STORPORT_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "storsim/interrupt.h"
#include "storsim/port.h"

/**
 * @defgroup storport_sim Storport adapters
 * @ingroup port
 * @brief Binding the Storport-style port driver to a device and a miniport.
 * @{
 */

/**
 * @brief How a port driver reaches its device: the PCI function, as the
 *        PnP manager would describe it (one memory BAR, one interrupt).
 */
struct port_hw {
    void *dev;                 /**< the device model */
    uint64_t bar_phys;         /**< physical address of the register range */
    uint32_t bar_size;         /**< its length in bytes */
    /** read a 32-bit register at @p off (charges the access time) */
    uint32_t (*read32)(void *dev, uint32_t off, const char *file, int line);
    /** write a 32-bit register at @p off (charges the access time) */
    void (*write32)(void *dev, uint32_t off, uint32_t value, const char *file,
                    int line);
    /** tell the device which interrupt object to drive */
    void (*attach_interrupt)(void *dev, struct sim_interrupt *intr);
    /** whether the device still owns the command with this tag (for the
     *  verifier; may be NULL) */
    bool (*tag_busy)(void *dev, uint32_t tag);
    sim_irql_t dirql;          /**< the interrupt's DIRQL */
    enum sim_irq_mode irq_mode; /**< level or message-signalled */
    uint64_t irq_affinity;     /**< CPUs that may take it (0 = all) */
    uint8_t max_targets;       /**< targets the bus scan probes */
};

/** @brief The miniport's DriverEntry (DRIVER_INITIALIZE). */
typedef uint32_t port_driver_entry_fn(void *DriverObject, void *RegistryPath);

/** @brief Costs of the port driver's own work, in simulated nanoseconds. */
struct storport_costs {
    sim_time_t submit;         /**< accepting a request (IRP to SRB) */
    sim_time_t complete;       /**< finishing one request in the DPC */
    sim_time_t library_call;   /**< each StorPort* library routine */
};

/** @brief What to build. */
struct storport_params {
    const char *name;              /**< e.g. "storport0" */
    struct port_hw hw;             /**< the device */
    port_driver_entry_fn *driver_entry; /**< the miniport's DriverEntry */
    struct storport_costs cost;    /**< the port's own costs */
    /** called on CPU 0 at PASSIVE_LEVEL when the adapter is ready, or
     *  with ok = false when initialisation failed */
    void (*ready)(struct port_adapter *pa, bool ok, void *ctx);
    void *ready_ctx;               /**< passed to @c ready */
};

/**
 * @brief Default costs: 1 us to accept a request, 1 us to complete one,
 *        50 ns per library call.
 * @param[out] c the costs
 */
void storport_costs_default(struct storport_costs *c);

/**
 * @brief Create an adapter and schedule its initialisation on CPU 0.
 * @param[in]  p   what to build
 * @param[out] out the adapter (its @c ready flag turns true when done)
 * @return 0, -EINVAL for bad parameters, -ENOMEM
 */
int storport_adapter_create(const struct storport_params *p,
                            struct port_adapter **out);

/**
 * @brief Free an adapter (after the machine stopped).
 * @param[in] pa the adapter
 */
void storport_adapter_destroy(struct port_adapter *pa);

/**
 * @brief Why initialisation failed, if it did.
 * @param[in] pa the adapter
 * @return a message, or NULL
 */
const char *storport_adapter_error(const struct port_adapter *pa);

/**
 * @brief The miniport's device extension (for tests and the console).
 * @param[in] pa the adapter
 * @return the HwDeviceExtension
 */
void *storport_device_extension(const struct port_adapter *pa);

/** @brief Lock-order ranks of the Storport locks. StorPortAcquireSpinLock
 *         documents the order as "DPC or StartIo", then Interrupt: the first
 *         two share a rank, so either may be taken under the other, and two
 *         routines that do it in opposite orders can deadlock without any
 *         order being broken. */
enum storport_lock_rank {
    STORPORT_RANK_STARTIO = 1,   /**< StartIoLock */
    STORPORT_RANK_DPC = 1,       /**< a STOR_DPC's DpcLock */
    STORPORT_RANK_INTERRUPT = 2, /**< InterruptLock */
};

/** @} */

#endif /* STORSIM_STORPORT_SIM_H */
