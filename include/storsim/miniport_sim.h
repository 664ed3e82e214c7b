/**
 * @file miniport_sim.h
 * @brief The simulator's handle on the one miniport: its run-time options
 *        and its catalogue of deliberate bugs.
 *
 * Interface: set options with mp_set_options() before the adapter
 * initialises (HwFindAdapter copies them into the device extension), then
 * hand DriverEntry to a port driver. Options exist for the lessons: where
 * the per-SRB work happens, full or half duplex, the CPU cost of that
 * work, and switchable bugs that the verifier must catch.
 */
#ifndef STORSIM_MINIPORT_SIM_H
#define STORSIM_MINIPORT_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "storsim/types.h"

/**
 * @defgroup miniport_sim Miniport options
 * @brief Run-time switches of the SIMHBA miniport.
 * @{
 */

/** @brief Where the per-SRB translation work runs (the seeds' lesson). */
enum mp_work_where {
    MP_WORK_IN_BUILDIO, /**< HwStorBuildIo: no lock, concurrent (Storport) */
    MP_WORK_IN_STARTIO, /**< HwStorStartIo / HwScsiStartIo: under the lock */
};

/** @brief Deliberate bugs, one bit each. */
enum mp_bug {
    MP_BUG_BUILDIO_WRITES_SHARED = 1u << 0, /**< HwStorBuildIo updates a shared
                                                 DeviceExtension counter */
    MP_BUG_LOCK_ORDER = 1u << 1,           /**< the DPC takes InterruptLock,
                                                then its DpcLock */
    MP_BUG_COMPLETE_TWICE = 1u << 2,       /**< the DPC completes an SRB twice */
    MP_BUG_BUILDIO_FALSE_NO_COMPLETE = 1u << 3, /**< HwStorBuildIo returns FALSE
                                                and never completes the SRB */
};

/** @brief The options. */
struct mp_options {
    enum mp_work_where work_in;  /**< where the per-SRB work runs */
    bool full_duplex;            /**< StorSynchronizeFullDuplex */
    sim_time_t cost_per_srb;     /**< CPU time of translating one SRB */
    sim_time_t cost_per_sg;      /**< CPU time per SG element */
    uint32_t max_transfer;       /**< MaximumTransferLength (0: the HBA's) */
    bool srb_ex;                 /**< accept STORAGE_REQUEST_BLOCKs too */
    bool caches_data;            /**< CachesData: receive FLUSH/SHUTDOWN */
    uint32_t bugs;               /**< enum mp_bug bits */
    uint32_t bug_every;          /**< a bug hits every Nth SRB (default 100) */
};

/** @brief Defaults: work in BuildIo, full duplex, 2 us per SRB, 100 ns
 *  per SG element, the HBA's limits, both SRB kinds, no bugs.
 *  @param[out] o the options */
void mp_options_default(struct mp_options *o);

/** @brief Set the options the next HwFindAdapter uses.
 *  @param[in] o the options */
void mp_set_options(const struct mp_options *o);

/** @brief The options the next HwFindAdapter uses.
 *  @return a pointer to them */
const struct mp_options *mp_get_options(void);

/**
 * @brief Switch deliberate bugs on or off in a running adapter.
 * @param[in,out] DeviceExtension the adapter's HwDeviceExtension
 * @param[in]     bugs            enum mp_bug bits
 * @param[in]     every           a bug hits every Nth SRB (0 keeps the value)
 */
void mp_set_bugs(void *DeviceExtension, uint32_t bugs, uint32_t every);

/**
 * @brief The miniport's DriverEntry, for a port driver to call.
 * @param[in] DriverObject what the port driver passes
 * @param[in] RegistryPath what the port driver passes
 * @return what StorPortInitialize (or ScsiPortInitialize) returned
 */
uint32_t mp_driver_entry(void *DriverObject, void *RegistryPath);

/** @} */

#endif /* STORSIM_MINIPORT_SIM_H */
