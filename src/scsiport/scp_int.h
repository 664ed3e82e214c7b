/* scp_int.h: the SCSI Port-style port driver's private state.
 *
 * Locking inside the port:
 *  - port_lock ("ScsiPortSpinLock", DISPATCH_LEVEL, rank 1) guards the LU
 *    queues, the active-request slots, the "ready" flag, the reset hold,
 *    the gate and the list of requests the port ends itself. It is never
 *    held across a call into the miniport.
 *  - the interrupt spin lock (rank 2, at DIRQL) guards the interrupt data
 *    (struct scp_idata), each LU's active untagged request, and the state
 *    of the CallEnableInterrupts handshake. Every miniport routine that
 *    records a notification runs holding it (StartIo, the ISR, HwScsiTimer,
 *    HwScsiResetBus, HwScsiInitialize, the disable callback); anything else
 *    (the enable callback, a test thread) makes the port take it briefly.
 * Order: port_lock before the interrupt lock, never the other way.
 *
 * The gate (port_lock): the miniport routines synchronized with the ISR
 * that the port starts itself (HwScsiStartIo, HwScsiTimer, HwScsiResetBus)
 * and the HwScsiEnableInterruptsCallback exclude each other, because the
 * callback runs without the interrupt lock: sync_busy counts the first
 * kind in progress, callback_running says the callback is.
 */
#ifndef STORSIM_SCP_INT_H
#define STORSIM_SCP_INT_H

#define STORSIM_NO_CALL_SITES 1
#include <srb.h>
#include <scsi.h>

#include "storsim/physmem.h"
#include "storsim/port.h"
#include "storsim/scsiport_sim.h"
#include "storsim/sim.h"
#include "port/port_config.h"
#include "port/port_scan.h"

#define SCP_MAX_LUS    64
#define SCP_MAX_SLOTS  254            /* QueueTag = slot + 1: 1..254 */
#define SCP_EXT_MAGIC  0x5343534950525430ull   /* "SCSIPRT0" */
#define SCP_BUSY_RETRIES 20
#define SCP_SENSE_BYTES 255
#define SCP_CB_DEPTH   6

enum scp_lock_rank { SCP_RANK_PORT = 1, SCP_RANK_INTERRUPT = 2 };

/* Which miniport callback a CPU is in: decides what it may call. */
enum scp_callback {
    CB_NONE, CB_FIND_ADAPTER, CB_INITIALIZE, CB_STARTIO, CB_INTERRUPT,
    CB_TIMER, CB_RESET_BUS, CB_ENABLE_INTERRUPTS, CB_DISABLE_INTERRUPTS,
    CB_ADAPTER_CONTROL, CB_COUNT
};

struct scp_adapter;

/* The port's own REQUEST SENSE for one LU (AutoRequestSense FALSE). */
struct scp_sense {
    struct port_request req;
    SCSI_REQUEST_BLOCK srb;
    uint8_t *buf;                       /* physmem, SCP_SENSE_BYTES */
};

struct scp_lu {
    bool used;
    int index;
    struct scp_adapter *ad;
    UCHAR path, target, lun;
    void *lu_extension;
    struct scp_sense *sense;            /* allocated when first needed */

    /* port_lock */
    struct port_request *head;          /* queued, sorted by QueueSortKey */
    ULONG cursor;                       /* the elevator: last key started */
    uint32_t active;                    /* requests the miniport holds */
    uint32_t active_untagged;           /* of those, untagged (0 or 1) */
    bool lu_ready;                      /* NextLuRequest: may take another
                                           tagged request while active */
    bool frozen;                        /* error seen; until RELEASE_QUEUE */
    struct port_request *sense_for;     /* waits for the port's REQUEST SENSE */

    /* interrupt lock */
    struct port_request *untagged;      /* the active untagged request */
};

/* One active request: its SrbExtension; QueueTag = index + 1. */
struct scp_slot {
    struct scp_slot *next_free;
    void *srb_extension;
    struct port_request *req;
};

/* Interrupt data: what the miniport said since the DPC last looked. */
struct scp_idata {
    bool pending;                       /* something below is set */
    struct port_request *done_head, *done_tail;   /* RequestComplete */
    bool next_request;                  /* NextRequest or NextLuRequest */
    uint64_t next_lu;                   /* NextLuRequest: bit per LU index */
    bool reset_detected;                /* ResetDetected */
    bool timer_request;                 /* RequestTimerCall (last one wins) */
    PHW_TIMER timer_routine;
    ULONG timer_usecs;
    PHW_INTERRUPT enable_callback;      /* CallEnableInterrupts */
};

struct scp_adapter {
    struct port_adapter base;           /* first: port_adapter * casts here */
    struct scsiport_params params;
    char error[256];
    struct scp_adapter *next_mapped;    /* register-range registry */

    /* The miniport. */
    HW_INITIALIZATION_DATA init;
    bool init_called;
    PVOID hw_context;
    PORT_CONFIGURATION_INFORMATION config;
    ACCESS_RANGE range;
    void *ext;                          /* HwDeviceExtension */
    void *ext_alloc;
    uint8_t *bar_base;                  /* reserved, inaccessible host range */
    void *uncached;

    /* Machine objects. */
    struct sim_interrupt intr;
    bool intr_connected;
    struct sim_spinlock port_lock;
    struct sim_dpc dpc;                 /* ScsiPortCompletionDpc */
    struct sim_timer tick;              /* 1 s, armed while busy */
    struct sim_dpc tick_dpc;
    struct sim_timer hold_timer;        /* reset hold */
    struct sim_dpc hold_dpc;
    struct sim_timer hw_timer;          /* RequestTimerCall */
    struct sim_dpc hw_timer_dpc;
    struct sim_thread_item init_item;

    /* Interrupt lock. */
    struct scp_idata idata;
    bool isr_blocked;                   /* CallEnableInterrupts until the
                                           disable callback has run */
    PHW_INTERRUPT disable_callback;     /* CallDisableInterrupts */

    /* port_lock. */
    struct scp_lu lus[SCP_MAX_LUS];
    int next_lu;                        /* round-robin start */
    struct scp_slot slots[SCP_MAX_SLOTS];
    struct scp_slot *free_slots;
    uint32_t active;                    /* requests the miniport holds */
    uint32_t queued;                    /* requests in LU queues */
    bool ready;                         /* the miniport asked for another */
    bool held;                          /* reset hold */
    int sync_busy;                      /* the gate (see above) */
    bool callback_running;
    PHW_INTERRUPT enable_callback;      /* taken from idata, not yet run */
    PHW_TIMER hw_timer_routine;
    bool timer_due;                     /* HwScsiTimer expired, not yet run */
    struct port_request *done_head, *done_tail;   /* ended by the port */
    int stall_ticks;                    /* verifier: ticks with no progress */
    uint32_t last_startio;              /* SRB id of the last StartIo */

    /* Which callback each CPU is in (a small stack per CPU). */
    enum scp_callback cb[SIM_MAX_CPUS][SCP_CB_DEPTH];
    int cbdepth[SIM_MAX_CPUS];

    struct port_scan scan;              /* the bus scan (src/port) */

    struct scsiport_stats st;
};

/* scp_init.c */
struct scp_adapter *scp_from_ext(PVOID HwDeviceExtension, const char *what);
void scp_callback_enter(struct scp_adapter *ad, enum scp_callback cb,
                        const char *routine);
void scp_callback_exit(struct scp_adapter *ad);
enum scp_callback scp_current_callback(struct scp_adapter *ad);
void scp_library_call(struct scp_adapter *ad, const char *name);
void scp_site(const char **file, int *line);
void scp_wrong_place(const char *routine, const char *rule);
struct scp_lu *scp_lu_get(struct scp_adapter *ad, UCHAR path, UCHAR target,
                          UCHAR lun);
struct scp_lu *scp_lu_find(struct scp_adapter *ad, UCHAR path, UCHAR target,
                           UCHAR lun);

/* scp_io.c */
int scp_submit(struct port_adapter *pa, struct port_request *req);
void scp_run(struct scp_adapter *ad);
void scp_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2);
void scp_arm_tick(struct scp_adapter *ad);
bool scp_has_startable(const struct scp_adapter *ad);
bool scp_needs_tick(const struct scp_adapter *ad);
bool scp_is_tagged(const struct port_request *req);
void scp_enqueue(struct scp_adapter *ad, struct scp_lu *lu,
                 struct port_request *req);
struct port_request *scp_request_of(struct scp_adapter *ad, PVOID srb);
void scp_end_by_port(struct scp_adapter *ad, struct port_request *req,
                     UCHAR status);
bool scp_gate_sync_enter(struct scp_adapter *ad);
void scp_gate_sync_exit(struct scp_adapter *ad);

/* scp_notify.c */
void scp_process_idata(struct scp_adapter *ad);
bool scp_try_callback(struct scp_adapter *ad);
bool scp_try_timer(struct scp_adapter *ad);
void scp_hw_timer_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2);
void scp_record_complete(struct scp_adapter *ad, PVOID srb);
void scp_queue_dpc_if_pending(struct scp_adapter *ad);

/* scp_sense.c */
bool scp_settle(struct scp_adapter *ad, struct port_request *req);
bool scp_port_function(struct scp_adapter *ad, struct port_request *req);
void scp_finish(struct scp_adapter *ad, struct port_request *req);

/* scp_timeout.c */
void scp_tick_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2);
void scp_hold_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2);
void scp_hold(struct scp_adapter *ad);

/* scp_hw.c */
void scp_map_register(struct scp_adapter *ad);
void scp_unmap_register(struct scp_adapter *ad);

#endif /* STORSIM_SCP_INT_H */
