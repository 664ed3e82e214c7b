/* sp_int.h: the Storport-style port driver's private state.
 *
 * Locking inside the port (the miniport's locks are separate, below):
 *  - queue_lock (DISPATCH_LEVEL, unranked, never held across a call into
 *    the miniport) guards every LU queue, the outstanding counts, the
 *    busy/pause state and the dispatched list;
 *  - per-CPU completion lists are touched only by their own CPU, and only
 *    between yield points, so they need no lock.
 * The miniport's locks: startio_lock (rank 1), each STOR_DPC's lock
 * (rank 2), the interrupt lock (rank 3): StartIo before DPC before
 * Interrupt, the only order consistent with the table in the
 * StorPortAcquireSpinLock documentation.
 */
#ifndef STORSIM_SP_INT_H
#define STORSIM_SP_INT_H

#define STORSIM_NO_CALL_SITES 1
#include <storport.h>

#include "storsim/physmem.h"
#include "storsim/port.h"
#include "storsim/sim.h"
#include "storsim/storport_sim.h"
#include "port/port_config.h"
#include "port/port_scan.h"

#define SP_MAX_LUS    64
#define SP_MAX_DPCS   16
#define SP_EXT_MAGIC  0x53544f52504f5254ull   /* "STORPORT" */
#define SP_BUSY_RETRIES 20

/* Which miniport callback a CPU is in: decides which locks it may take. */
enum sp_callback {
    CB_NONE, CB_FIND_ADAPTER, CB_INITIALIZE, CB_PASSIVE_INIT, CB_BUILDIO,
    CB_STARTIO, CB_INTERRUPT, CB_TIMER, CB_RESET_BUS, CB_ADAPTER_CONTROL,
    CB_DPC, CB_COUNT
};

struct sp_adapter;

struct sp_lu {
    bool used;
    struct sp_adapter *ad;
    UCHAR path, target, lun;
    struct port_request *head, *tail;   /* queued, not yet dispatched */
    uint32_t outstanding;               /* dispatched to the miniport */
    uint32_t depth;                     /* queue depth */
    uint32_t busy_left;                 /* StorPortDeviceBusy: completions to wait */
    bool paused;
    struct sim_timer pause_timer;
    struct sim_dpc pause_dpc;
    void *lu_extension;
};

struct sp_dpc {
    PSTOR_DPC key;
    PHW_DPC_ROUTINE routine;
    struct sim_dpc dpc;
    struct sim_spinlock lock;
    struct sp_adapter *ad;
};

/* Per request, allocated with it: the SrbExtension and the SG list. */
struct sp_slot {
    struct sp_slot *next_free;
    void *srb_extension;
    PSTOR_SCATTER_GATHER_LIST sg;
    struct port_request *req;
};

struct sp_adapter {
    struct port_adapter base;          /* first: port_adapter * casts here */
    struct storport_params params;
    char error[256];

    /* The miniport. */
    HW_INITIALIZATION_DATA init;
    PVOID hw_context;              /* StorPortInitialize's HwContext, handed
                                      to HwStorFindAdapter */
    bool init_called;
    PORT_CONFIGURATION_INFORMATION config;
    ACCESS_RANGE range;
    void *ext;                         /* HwDeviceExtension */
    void *ext_alloc;
    PHW_PASSIVE_INITIALIZE_ROUTINE passive_init;
    bool full_duplex;
    uint8_t *bar_base;                 /* reserved, inaccessible host range */
    void *uncached;
    size_t uncached_size;

    /* Machine objects. */
    struct sim_interrupt intr;
    struct sim_spinlock startio_lock;
    struct sim_spinlock queue_lock;
    struct sim_dpc completion_dpc[SIM_MAX_CPUS];
    struct port_request *done_head[SIM_MAX_CPUS], *done_tail[SIM_MAX_CPUS];
    struct sp_dpc dpcs[SP_MAX_DPCS];
    int ndpcs;
    struct sim_timer hw_timer;
    struct sim_dpc hw_timer_dpc;
    PHW_TIMER hw_timer_routine;
    struct sim_timer tick;             /* 1 s timeout tick, armed while busy */
    struct sim_dpc tick_dpc;
    struct sim_timer hold_timer;       /* reset hold / adapter pause */
    struct sim_dpc hold_dpc;
    struct sim_thread_item init_item;

    /* Queues and state (queue_lock). */
    struct sp_lu lus[SP_MAX_LUS];
    uint32_t outstanding;              /* dispatched to the miniport */
    uint32_t queued;                   /* waiting in the LU queues */
    uint32_t busy_left;                /* StorPortBusy */
    bool paused;                       /* StorPortPause or reset hold */
    struct port_request **dispatched;  /* by slot */
    struct sp_slot *slots;
    struct sp_slot *free_slots;
    uint32_t nslots;

    /* Which callback each CPU is in (a small stack per CPU). */
    enum sp_callback cb[SIM_MAX_CPUS][6];
    int cbdepth[SIM_MAX_CPUS];

    int nlus;                          /* lus[0..nlus) are in use */
    int next_lu;                       /* round-robin start for dispatch */
    struct port_scan scan;             /* the bus scan (src/port) */

    /* Statistics. */
    uint64_t buildio_false, busy_retries, timeouts, resets;
};

/* sp_init.c */
struct sp_adapter *sp_from_ext(PVOID HwDeviceExtension, const char *what);
void sp_callback_enter(struct sp_adapter *ad, enum sp_callback cb,
                       const char *routine);
void sp_callback_exit(struct sp_adapter *ad);
enum sp_callback sp_current_callback(struct sp_adapter *ad);
void sp_library_call(struct sp_adapter *ad, const char *name);
struct sp_lu *sp_lu_get(struct sp_adapter *ad, UCHAR path, UCHAR target,
                        UCHAR lun);

/* sp_io.c */
int sp_submit(struct port_adapter *pa, struct port_request *req);
void sp_start_io(struct sp_adapter *ad);
void sp_request_complete(struct sp_adapter *ad, PVOID srb);
void sp_completion_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2);
void sp_to_completion_dpc(struct sp_adapter *ad, struct port_request *req);
struct port_request *sp_request_of(struct sp_adapter *ad, PVOID srb);

/* sp_timeout.c */
void sp_tick_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2);
void sp_hold_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2);
void sp_hold(struct sp_adapter *ad, sim_time_t how_long);
void sp_complete_matching(struct sp_adapter *ad, UCHAR path, UCHAR target,
                          UCHAR lun, UCHAR status);
void sp_hw_timer_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2);
void sp_pause_lu_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2);

/* sp_api.c */
void sp_site(const char **file, int *line);
void sp_kick(struct sp_adapter *ad);

/* sp_locks.c */
void sp_acquire(struct sp_adapter *ad, STOR_SPINLOCK which, PVOID ctx,
                PSTOR_LOCK_HANDLE h);
void sp_release(struct sp_adapter *ad, PSTOR_LOCK_HANDLE h);
struct sp_dpc *sp_dpc_find(struct sp_adapter *ad, PSTOR_DPC key);

#endif /* STORSIM_SP_INT_H */
