/**
 * @file scsiport_sim.h
 * @brief Creating a SCSI Port-style adapter: how the simulated SCSI Port
 *        port driver is bound to a device and a miniport, its settings and
 *        its statistics.
 *
 * Interface: fill a struct scsiport_params (start from
 * scsiport_params_default(), then set the device binding, a struct port_hw,
 * and the miniport's DriverEntry), call scsiport_adapter_create(), then run
 * the machine: the adapter's initialisation (DriverEntry,
 * ScsiPortInitialize, HwScsiFindAdapter, HwScsiInitialize, the bus scan)
 * runs on CPU 0 in simulated time, after which the adapter is ready and
 * the @c ready callback runs. Requests then go in with port_submit()
 * (include/storsim/port.h), exactly as for a Storport adapter.
 *
 * The model (docs/scsiport.md): requests from above are queued per logical
 * unit, sorted by QueueSortKey; the port calls HwScsiStartIo for one
 * request at a time, at DIRQL holding the interrupt spin lock, and starts
 * no other until the miniport asks with ScsiPortNotification(NextRequest)
 * or NextLuRequest; notifications are recorded as "interrupt data" and
 * carried out by the port's DPC.
 */
#ifndef STORSIM_SCSIPORT_SIM_H
#define STORSIM_SCSIPORT_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storsim/port.h"
#include "storsim/storport_sim.h"

/**
 * @defgroup scsiport_sim SCSI Port adapters
 * @ingroup port
 * @brief Binding the SCSI Port-style port driver to a device and a miniport.
 * @{
 */

/** @brief Costs of the port driver's own work, in simulated nanoseconds. */
struct scsiport_costs {
    sim_time_t submit;         /**< accepting a request (IRP to SRB) */
    sim_time_t complete;       /**< finishing one request in the DPC */
    sim_time_t library_call;   /**< each ScsiPort* library routine */
};

/**
 * @brief Move @p count ULONGs through one register (the PIO data port):
 *        what ScsiPortReadRegisterBufferUlong() does in one device access.
 * @param dev   the device model
 * @param off   the register offset
 * @param buf   where the values go
 * @param count number of ULONGs
 * @param file  the miniport's source file
 * @param line  its line
 */
typedef void port_read_buffer_fn(void *dev, uint32_t off, uint32_t *buf,
                                 size_t count, const char *file, int line);

/**
 * @brief Write @p count ULONGs to one register (the PIO data port).
 * @param dev   the device model
 * @param off   the register offset
 * @param buf   the values
 * @param count number of ULONGs
 * @param file  the miniport's source file
 * @param line  its line
 */
typedef void port_write_buffer_fn(void *dev, uint32_t off, const uint32_t *buf,
                                  size_t count, const char *file, int line);

/** @brief What to build. Start from scsiport_params_default(). */
struct scsiport_params {
    const char *name;              /**< e.g. "scsiport0" */
    struct port_hw hw;             /**< the device (a PCI function) */
    /** optional: buffer reads of one register; NULL = one read32 per ULONG */
    port_read_buffer_fn *read_buffer32;
    /** optional: buffer writes of one register; NULL = one write32 per ULONG */
    port_write_buffer_fn *write_buffer32;
    port_driver_entry_fn *driver_entry; /**< the miniport's DriverEntry */
    struct scsiport_costs cost;    /**< the port's own costs */
    sim_time_t reset_hold;         /**< how long new requests wait after a bus
                                        reset or ResetDetected (default 4 s) */
    sim_time_t isr_limit;          /**< an HwScsiInterrupt longer than this is
                                        counted as a long ISR (default 50 us,
                                        the documentation's limit; 0 = never) */
    bool isr_limit_bugcheck;       /**< verifier: a long ISR stops the machine
                                        with 0xC4 / PORT_VIOLATION_LONG_ISR */
    /** called on CPU 0 at PASSIVE_LEVEL when the adapter is ready, or
     *  with ok = false when initialisation failed */
    void (*ready)(struct port_adapter *pa, bool ok, void *ctx);
    void *ready_ctx;               /**< passed to @c ready */
};

/**
 * @brief Default costs: 1 us to accept a request, 1 us to complete one,
 *        50 ns per library call (the same as Storport's).
 * @param[out] c the costs
 */
void scsiport_costs_default(struct scsiport_costs *c);

/**
 * @brief Defaults: name "scsiport0", the default costs, a 4 s reset hold,
 *        a 50 us ISR limit that is counted but does not stop the machine;
 *        no device and no DriverEntry yet.
 * @param[out] p the parameters
 */
void scsiport_params_default(struct scsiport_params *p);

/**
 * @brief Create an adapter and schedule its initialisation on CPU 0.
 * @param[in]  p   what to build
 * @param[out] out the adapter (its @c ready flag turns true when done)
 * @return 0, -EINVAL for bad parameters, -ENOMEM
 */
int scsiport_adapter_create(const struct scsiport_params *p,
                            struct port_adapter **out);

/**
 * @brief Free an adapter (before the machine is destroyed: it disconnects
 *        its interrupt and unregisters its locks).
 * @param[in] pa the adapter, or NULL
 */
void scsiport_adapter_destroy(struct port_adapter *pa);

/**
 * @brief Why initialisation failed, if it did.
 * @param[in] pa the adapter
 * @return a message, or NULL
 */
const char *scsiport_adapter_error(const struct port_adapter *pa);

/**
 * @brief The miniport's device extension (for tests and the console).
 * @param[in] pa the adapter
 * @return the HwDeviceExtension
 */
void *scsiport_device_extension(const struct port_adapter *pa);

/** @brief What a SCSI Port adapter counted. */
struct scsiport_stats {
    uint64_t startios;          /**< HwScsiStartIo calls */
    uint64_t interrupts;        /**< HwScsiInterrupt calls */
    uint64_t long_isrs;         /**< of those, longer than the ISR limit */
    sim_time_t isr_max;         /**< the longest HwScsiInterrupt */
    uint64_t next_requests;     /**< NextRequest notifications */
    uint64_t next_lu_requests;  /**< NextLuRequest notifications */
    uint64_t enable_callbacks;  /**< HwScsiEnableInterruptsCallback calls */
    uint64_t timer_calls;       /**< HwScsiTimer calls */
    uint64_t timeouts;          /**< requests past their TimeOutValue */
    uint64_t bus_resets;        /**< HwScsiResetBus calls */
    uint64_t resets_detected;   /**< ResetDetected notifications */
    uint64_t busy_retries;      /**< SRB_STATUS_BUSY requests sent again */
    uint64_t request_senses;    /**< REQUEST SENSE commands the port issued */
    uint64_t queue_freezes;     /**< logical-unit queues frozen by an error */
};

/**
 * @brief Copy an adapter's counters.
 * @param[in]  pa  the adapter
 * @param[out] out the counters
 */
void scsiport_get_stats(const struct port_adapter *pa,
                        struct scsiport_stats *out);

/** @} */

#endif /* STORSIM_SCSIPORT_SIM_H */
