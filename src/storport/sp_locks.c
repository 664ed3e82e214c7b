/* sp_locks.c: StorPortAcquireSpinLock and StorPortReleaseSpinLock, with
 * the table of which callback may take which lock.
 *
 * Interface: sp_acquire()/sp_release() for sp_api.c.
 *
 * From the StorPortAcquireSpinLock documentation: HwStorFindAdapter,
 * HwStorInitialize, HwStorInterrupt and the passive initialisation routine
 * may take no lock; HwStorStartIo may take DpcLock and InterruptLock;
 * HwStorBuildIo, HwStorDpcRoutine and HwStorAdapterControl may take all
 * three; HwStorTimer and HwStorResetBus may take InterruptLock only when
 * the adapter is not in half duplex (in half duplex the port already holds
 * it for them).
 */
#include "storport/sp_int.h"
#include "storsim/verifier.h"

#define L_DPC (1u << DpcLock)
#define L_STARTIO (1u << StartIoLock)
#define L_INTERRUPT (1u << InterruptLock)

static const char *const cb_names[CB_COUNT] = {
    [CB_NONE] = "(port)", [CB_FIND_ADAPTER] = "HwStorFindAdapter",
    [CB_INITIALIZE] = "HwStorInitialize",
    [CB_PASSIVE_INIT] = "HwStorPassiveInitializeRoutine",
    [CB_BUILDIO] = "HwStorBuildIo", [CB_STARTIO] = "HwStorStartIo",
    [CB_INTERRUPT] = "HwStorInterrupt", [CB_TIMER] = "HwStorTimer",
    [CB_RESET_BUS] = "HwStorResetBus",
    [CB_ADAPTER_CONTROL] = "HwStorAdapterControl",
    [CB_DPC] = "HwStorDpcRoutine",
};

static unsigned
allowed(const struct sp_adapter *ad, enum sp_callback cb)
{
    switch (cb) {
    case CB_NONE:
    case CB_BUILDIO:
    case CB_ADAPTER_CONTROL:
    case CB_DPC:
        return L_DPC | L_STARTIO | L_INTERRUPT;
    case CB_STARTIO:
        return L_DPC | L_INTERRUPT;
    case CB_TIMER:
    case CB_RESET_BUS:
        return ad->full_duplex ? L_INTERRUPT : 0;
    default:
        return 0;
    }
}

static const char *
lock_name(STOR_SPINLOCK which)
{
    switch (which) {
    case DpcLock: return "DpcLock";
    case StartIoLock: return "StartIoLock";
    case InterruptLock: return "InterruptLock";
    default: return "an unsupported lock type";
    }
}

struct sp_dpc *
sp_dpc_find(struct sp_adapter *ad, PSTOR_DPC key)
{
    for (int i = 0; i < ad->ndpcs; i++)
        if (ad->dpcs[i].key == key)
            return &ad->dpcs[i];
    return NULL;
}

static struct sim_spinlock *
lock_of(struct sp_adapter *ad, STOR_SPINLOCK which, PVOID ctx)
{
    struct sp_dpc *d;

    switch (which) {
    case StartIoLock:
        return &ad->startio_lock;
    case InterruptLock:
        return &ad->intr.lock;
    case DpcLock:
        d = sp_dpc_find(ad, ctx);
        return d ? &d->lock : NULL;
    default:
        return NULL;
    }
}

void
sp_acquire(struct sp_adapter *ad, STOR_SPINLOCK which, PVOID ctx,
           PSTOR_LOCK_HANDLE h)
{
    enum sp_callback cb = sp_current_callback(ad);
    struct sim_spinlock *lock = lock_of(ad, which, ctx);
    const char *file;
    int line;

    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_CALL, .arg = which,
        .detail = "StorPortAcquireSpinLock" });
    if (cb == CB_STARTIO && !ad->full_duplex)
        verifier_hit("lock-half-duplex-startio", 0, "HwStorStartIo asked for "
                     "%s in half duplex, where it already runs at DIRQL "
                     "holding the interrupt lock", lock_name(which));
    if (lock == NULL || (which >= DpcLock && which <= InterruptLock &&
                         !(allowed(ad, cb) & (1u << which))))
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                     PORT_VIOLATION_LOCK_NOT_ALLOWED, which, cb, 0, NULL, 0,
                     lock == NULL
                         ? "StorPortAcquireSpinLock(%s) from %s: no such lock "
                           "(a DpcLock needs the STOR_DPC as LockContext)"
                         : "%s may not acquire %s (the table in the "
                           "StorPortAcquireSpinLock documentation)",
                     lock == NULL ? lock_name(which) : cb_names[cb],
                     lock == NULL ? cb_names[cb] : lock_name(which));
    h->Lock = which;
    h->Context.LockQueue.Lock = lock;
    h->Context.LockQueue.Next = NULL;
    h->Context.OldIrql = sim_irql();
    sp_site(&file, &line);
    sim_lock_acquire(lock, file, line);
}

void
sp_release(struct sp_adapter *ad, PSTOR_LOCK_HANDLE h)
{
    struct sim_spinlock *lock = h->Context.LockQueue.Lock;
    const char *file;
    int line;

    (void)ad;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_CALL, .arg = h->Lock,
        .detail = "StorPortReleaseSpinLock" });
    sp_site(&file, &line);
    if (lock == NULL)
        sim_bugcheck(SPIN_LOCK_NOT_OWNED, 0, 0, 0, 0, file, line,
                     "StorPortReleaseSpinLock with a lock handle that holds "
                     "no lock");
    sim_lock_release(lock, file, line);
}
