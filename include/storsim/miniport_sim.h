/**
 * @file miniport_sim.h
 * @brief The simulator's handle on the one miniport: its run-time options
 *        and its catalogue of deliberate bugs.
 *
 * Interface: set options with mp_set_options() before the adapter
 * initialises (HwFindAdapter copies them into the device extension), then
 * hand DriverEntry to a port driver. Options exist for the lessons: where
 * the per-SRB work happens, full or half duplex, the CPU cost of that
 * work, DMA or PIO and how long PIO transfers are handled (SCSI Port),
 * and switchable bugs that the verifier must catch.
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
    MP_BUG_FORGET_NEXT_REQUEST = 1u << 4,  /**< SCSI Port: HwScsiStartIo does not
                                                ask for the next request */
    MP_BUG_NEXT_LU_UNTAGGED = 1u << 5,     /**< SCSI Port: NextLuRequest while an
                                                untagged request is active */
    MP_BUG_FORGET_DISABLE_INTERRUPTS = 1u << 7, /**< SCSI Port: the enable
                                                callback returns without
                                                CallDisableInterrupts */
    MP_BUG_PIO_POLL_IN_ISR = 1u << 6,      /**< SCSI Port: the ISR moves a whole
                                                PIO transfer itself, whatever the
                                                PIO strategy says */
    MP_BUG_DPC_LOCK_TWICE = 1u << 8,       /**< the DPC acquires its DpcLock
                                                twice */
    MP_BUG_DPC_KEEPS_LOCK = 1u << 9,       /**< the DPC returns holding its
                                                DpcLock */
    MP_BUG_COMPLETE_PENDING = 1u << 10,    /**< the DPC completes an SRB with
                                                SRB_STATUS_PENDING */
    MP_BUG_SLOW_DPC = 1u << 11,            /**< the DPC works 150 us on one
                                                SRB */
    MP_BUG_LONG_STALL = 1u << 12,          /**< HwStorStartIo calls
                                                StorPortStallExecution(200) */
    MP_BUG_POOL_IN_ISR = 1u << 13,         /**< HwStorInterrupt calls
                                                StorPortAllocatePool at DIRQL */
    MP_BUG_STARTIO_LOCK_IN_STARTIO = 1u << 14, /**< HwStorStartIo acquires
                                                StartIoLock */
    MP_BUG_HALF_DUPLEX_LOCK = 1u << 15,    /**< half-duplex HwStorStartIo
                                                acquires DpcLock */
    MP_BUG_COMPLETE_POSTED = 1u << 16,     /**< HwStorStartIo completes an SRB
                                                it just gave the HBA */
    MP_BUG_DPC_RELEASE_TWICE = 1u << 17,   /**< the DPC releases its DpcLock
                                                twice */
    MP_BUG_COMPLETE_UNKNOWN = 1u << 18,    /**< the DPC completes an SRB the
                                                port never gave it */
    MP_BUG_LOSE_SRB = 1u << 19,            /**< HwStorStartIo neither posts nor
                                                completes an SRB */
    MP_BUG_BAD_REGISTER = 1u << 20,        /**< HwStorStartIo reads a register
                                                outside the mapped range */
    MP_BUG_RELEASE_OUT_OF_ORDER = 1u << 21, /**< the DPC releases its DpcLock
                                                before InterruptLock */
    MP_BUG_DPC_SPINS = 1u << 22,           /**< the DPC busy-waits 150 ms at
                                                DISPATCH_LEVEL */
    MP_BUG_TOUCH_DATA_BUFFER = 1u << 23,   /**< HwStorStartIo reads a read or
                                                write SRB's DataBuffer */
    MP_BUG_BAD_POINTER = 1u << 24,         /**< HwStorStartIo follows a
                                                pointer it never set */
    MP_BUG_RAISE_NO_LOWER = 1u << 25,      /**< HwStorStartIo raises the IRQL
                                                and returns without lowering */
    MP_BUG_RAISE_TO_LOWER = 1u << 26,      /**< HwStorStartIo "raises" to
                                                PASSIVE_LEVEL */
    MP_BUG_DPC_RAISE_NO_LOWER = 1u << 27,  /**< the DPC raises the IRQL and
                                                returns without lowering */
    MP_BUG_STARTIO_DPC_ABBA = 1u << 28,    /**< full-duplex HwStorStartIo takes
                                                DpcLock under StartIoLock; the
                                                DPC takes StartIoLock under
                                                DpcLock */
    MP_BUG_ISR_NEVER_CLAIMS = 1u << 29,    /**< the ISR returns FALSE without
                                                reading or clearing the HBA */
};

/**
 * @brief SCSI Port, PIO mode: how the miniport deals with a transfer that
 *        keeps the CPU busy longer than the 50 microseconds the
 *        documentation allows in HwScsiInterrupt (seed 003).
 */
enum mp_pio_strategy {
    MP_PIO_DEFER, /**< the ISR disables the HBA's interrupts and asks for
                       ScsiPortNotification(CallEnableInterrupts); the
                       callback moves the data with system interrupts on */
    MP_PIO_POLL,  /**< the ISR moves the whole transfer at DIRQL: the
                       mistake the documentation warns about */
    MP_PIO_CAP,   /**< the ISR moves the data, but HwScsiFindAdapter caps
                       MaximumTransferLength so that each transfer is short */
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
    bool pio;                    /**< SCSI Port: data through the PIO data
                                      port instead of DMA (Storport: ignored) */
    enum mp_pio_strategy pio_strategy; /**< SCSI Port PIO: long transfers */
    uint32_t pio_cap;            /**< MP_PIO_CAP: MaximumTransferLength in
                                      bytes (default 512, one block) */
    bool tagged_queuing;         /**< SCSI Port: TaggedQueuing (default true) */
    bool auto_request_sense;     /**< SCSI Port: AutoRequestSense (default
                                      true); false makes the port issue
                                      REQUEST SENSE itself */
};

/** @brief Defaults: work in BuildIo, full duplex, 2 us per SRB, 100 ns
 *  per SG element, the HBA's limits, both SRB kinds, no bugs; under SCSI
 *  Port DMA, tagged queuing and autosense (PIO, if chosen, deferred with
 *  CallEnableInterrupts; a 512-byte cap for MP_PIO_CAP).
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
 * @brief The name of a PIO strategy.
 * @param[in] s the strategy
 * @return "defer", "poll" or "cap"
 */
const char *mp_pio_strategy_name(enum mp_pio_strategy s);

/**
 * @brief The miniport's DriverEntry, for a port driver to call.
 * @param[in] DriverObject what the port driver passes
 * @param[in] RegistryPath what the port driver passes
 * @return what StorPortInitialize (or ScsiPortInitialize) returned
 */
uint32_t mp_driver_entry(void *DriverObject, void *RegistryPath);

/** @} */

#endif /* STORSIM_MINIPORT_SIM_H */
