/**
 * @file port.h
 * @brief What the layer above (the class-driver-like workload) sees of a
 *        port driver: an adapter object with its limits and LUNs, and a
 *        submit call that plays the part of IoCallDriver with IRP_MJ_SCSI.
 *
 * Interface: the workload fills a struct port_request (the IRP: the SRB, the
 * data buffer that plays the MDL, and a completion routine), calls
 * port_submit() on a simulated CPU at IRQL <= DISPATCH_LEVEL, and gets the
 * completion routine called exactly once, on some CPU at DISPATCH_LEVEL,
 * from the port driver's completion DPC. Both port drivers (SCSI Port and
 * Storport) implement struct port_ops; tests can supply their own.
 */
#ifndef STORSIM_PORT_H
#define STORSIM_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "storsim/types.h"

/**
 * @defgroup port Port-driver interface
 * @brief The boundary between requests from above and the port drivers.
 * @{
 */

/** @brief Which port-driver model an adapter runs under. */
enum port_model {
    PORT_MODEL_STORPORT, /**< Storport: push model, HwStorBuildIo */
    PORT_MODEL_SCSIPORT, /**< SCSI Port: pull model, NextRequest */
};

/** @brief Where a request is now (for the console and statistics). */
enum port_srb_state {
    PORT_SRB_QUEUED,     /**< in the port's queue for its LU */
    PORT_SRB_BUILDIO,    /**< in HwStorBuildIo */
    PORT_SRB_STARTIO,    /**< in HwStorStartIo / HwScsiStartIo */
    PORT_SRB_ON_HBA,     /**< StartIo returned; the miniport and device own it */
    PORT_SRB_NOTIFIED,   /**< the miniport said RequestComplete */
    PORT_SRB_DPC,        /**< in the port's completion DPC */
    PORT_SRB_COMPLETED,  /**< handed back to the class layer */
    PORT_SRB_STATE_COUNT /**< number of states */
};

/**
 * @brief storsim's own parameter-1 codes for DRIVER_VERIFIER_DETECTED_VIOLATION
 *        (0xC4) when a miniport misuses the port library. Windows' DDI
 *        compliance rules have codes of their own; these are storsim's.
 */
enum port_violation {
    PORT_VIOLATION_BAD_EXTENSION = 0x5001,  /**< not the HwDeviceExtension the port gave */
    PORT_VIOLATION_LOCK_NOT_ALLOWED = 0x5002, /**< a callback took a lock its table forbids */
    PORT_VIOLATION_DOUBLE_COMPLETE = 0x5003, /**< an SRB completed twice */
    PORT_VIOLATION_BAD_STATUS = 0x5004,     /**< completed with SRB_STATUS_PENDING or an invalid status */
    PORT_VIOLATION_UNKNOWN_SRB = 0x5005,    /**< completed an SRB the port never gave the miniport */
    PORT_VIOLATION_WRONG_PLACE = 0x5006,    /**< a routine called where it is not allowed */
    PORT_VIOLATION_BAD_REGISTER = 0x5007,   /**< a register address outside the mapped range */
    PORT_VIOLATION_NO_NEXT_REQUEST = 0x5008, /**< SCSI Port: the adapter stalled because the
                                                  miniport never asked for the next request */
    PORT_VIOLATION_UNTAGGED_ACTIVE = 0x5009, /**< SCSI Port: NextLuRequest for a logical unit
                                                  with an untagged request active */
    PORT_VIOLATION_LONG_ISR = 0x500A,        /**< SCSI Port: the ISR kept its CPU at DIRQL
                                                  longer than the verifier allows */
    PORT_VIOLATION_NO_DISABLE = 0x500B,      /**< SCSI Port: the enable callback returned
                                                  without CallDisableInterrupts */
};

/**
 * @brief The port model of a driver object, for a miniport's DriverEntry
 *        that supports both port drivers.
 * @param[in] DriverObject what DriverEntry received
 * @return the model
 */
enum port_model port_driver_model(const void *DriverObject);

/** @brief The name of a request state. @param[in] s the state @return e.g. "BuildIo" */
const char *port_srb_state_name(enum port_srb_state s);

struct port_request;

/**
 * @brief Completion routine: called once per request, at DISPATCH_LEVEL.
 * @param req the request (its SRB now carries SrbStatus, ScsiStatus,
 *            DataTransferLength and sense data)
 * @param ctx the context given in the request
 */
typedef void port_complete_fn(struct port_request *req, void *ctx);

/**
 * @brief One request from above: the simulated IRP.
 *
 * The class layer sets the public fields; the port driver owns the rest
 * from port_submit() until the completion routine runs.
 */
struct port_request {
    void *srb;               /**< a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK */
    void *data;              /**< the data buffer (physmem memory), or NULL:
                                  what the MDL describes */
    uint32_t length;         /**< bytes in @c data */
    port_complete_fn *complete; /**< called once, at DISPATCH_LEVEL */
    void *ctx;               /**< passed to @c complete */
    uint32_t id;             /**< SRB id in traces, assigned by port_submit() */
    /** @cond PORT_PRIVATE */
    enum port_srb_state state;
    struct port_request *next;
    sim_time_t submitted;
    sim_time_t deadline;
    void *saved_data_buffer;
    void *port_lu;
    uint32_t port_slot;
    int cpu;
    int retries;
    int resets;
    bool buildio_false;
    uint32_t desc_id;        /* the id @c desc was worked out for */
    uint32_t desc;           /* PORT_SRB_DESC_* of the SRB, for the trace */
    struct port_request *live_prev, *live_next; /* port_adapter::live */
    bool live;
    /** @endcond */
};

/** @brief A logical unit found by the port's bus scan. */
struct port_lun {
    uint8_t path;            /**< PathId */
    uint8_t target;          /**< TargetId */
    uint8_t lun;             /**< Lun */
    uint32_t block_size;     /**< from READ CAPACITY */
    uint64_t blocks;         /**< from READ CAPACITY */
};

/** @brief Most LUNs one adapter reports. */
#define PORT_MAX_LUNS 64

struct port_adapter;

/** @brief The operations every port driver provides. */
struct port_ops {
    /**
     * @brief Accept a request (IoCallDriver). On a CPU, IRQL <= DISPATCH_LEVEL.
     * @param pa  the adapter
     * @param req the request
     * @return 0, or a negative errno if the request is malformed (then the
     *         completion routine is not called)
     */
    int (*submit)(struct port_adapter *pa, struct port_request *req);
};

/** @brief The common part of every adapter, whatever its port model. */
struct port_adapter {
    const struct port_ops *ops;  /**< the port driver's operations */
    enum port_model model;       /**< which port driver */
    const char *name;            /**< e.g. "storport0" */
    bool ready;                  /**< initialised and scanned: accepts requests */
    /** @name Limits the miniport set in PORT_CONFIGURATION_INFORMATION */
    /** @{ */
    uint32_t max_transfer;       /**< MaximumTransferLength in bytes */
    uint32_t max_breaks;         /**< NumberOfPhysicalBreaks */
    uint32_t max_outstanding;    /**< MaxNumberOfIO: requests the adapter
                                      takes at once (more wait in its queues) */
    bool caches_data;            /**< CachesData: FLUSH and SHUTDOWN reach it */
    bool uses_storage_request_block; /**< the miniport takes STORAGE_REQUEST_BLOCKs */
    /** @} */
    struct port_lun luns[PORT_MAX_LUNS]; /**< from the bus scan */
    int nluns;                   /**< entries used in @c luns */
    /** @name Statistics */
    /** @{ */
    uint64_t submitted;          /**< requests accepted */
    uint64_t completed;          /**< completion routines called */
    uint64_t outstanding;        /**< submitted - completed */
    uint64_t outstanding_max;    /**< the most at once */
    /** @} */
    /** requests submitted and not completed, newest first (through
     *  port_request_next(); 'show srbs') */
    struct port_request *live;
};

/**
 * @brief The requests an adapter has in flight, newest first: @p req NULL
 *        for the first, then each one for the next.
 * @param[in] pa  the adapter
 * @param[in] req the previous one, or NULL
 * @return the next request, or NULL after the last
 */
const struct port_request *port_request_next(const struct port_adapter *pa,
                                             const struct port_request *req);

/**
 * @brief Where a request is now.
 * @param[in] req the request
 * @return its state
 */
enum port_srb_state port_request_state(const struct port_request *req);

/**
 * @brief When a request was submitted.
 * @param[in] req the request
 * @return the simulated time
 */
sim_time_t port_request_submitted(const struct port_request *req);

/**
 * @brief Submit a request to an adapter: sets req->id, then calls the port
 *        driver. Call on a simulated CPU at IRQL <= DISPATCH_LEVEL.
 * @param[in]     pa  the adapter
 * @param[in,out] req the request
 * @return what the port driver's submit returned
 */
int port_submit(struct port_adapter *pa, struct port_request *req);

/**
 * @brief Take a request in: give it an id, count it as outstanding and put
 *        it on the adapter's list of live requests. port_submit() does this
 *        before the port driver sees the request; a port driver's own
 *        requests (the bus scan) call it themselves.
 * @param[in,out] pa  the adapter
 * @param[in,out] req the request
 */
void port_accept(struct port_adapter *pa, struct port_request *req);

/**
 * @brief A fresh request id (ids restart at 1 on every new machine). For
 *        port drivers that issue requests of their own (the bus scan).
 * @return the id
 */
uint32_t port_next_id(void);

/** @name What a SIM_EV_SRB event's arg2 says about its SRB
 *  @{ */
#define PORT_SRB_DESC_FUNCTION(a2) ((uint8_t)(a2))        /**< SRB function */
#define PORT_SRB_DESC_LUN(a2)      ((uint8_t)((a2) >> 8))  /**< LUN */
#define PORT_SRB_DESC_OPCODE(a2)   ((uint8_t)((a2) >> 16)) /**< CDB opcode
                                          (SRB_FUNCTION_EXECUTE_SCSI only) */
/** @} */

/**
 * @brief Record a request's state change: emits a SIM_EV_SRB trace event
 *        whose arg2 holds the SRB's function, LUN and opcode (see
 *        PORT_SRB_DESC_FUNCTION()). For port drivers.
 * @param[in,out] req   the request
 * @param[in]     state the new state
 */
void port_set_state(struct port_request *req, enum port_srb_state state);

/**
 * @brief Hand a finished request back: bookkeeping, then its completion
 *        routine. For port drivers, at DISPATCH_LEVEL.
 * @param[in]     pa  the adapter
 * @param[in,out] req the request
 */
void port_complete(struct port_adapter *pa, struct port_request *req);

/** @} */

#endif /* STORSIM_PORT_H */
