/* sp_api.c: the StorPort* library routines a miniport calls.
 *
 * Interface: include/wdk/storport.h. Each routine finds its adapter from
 * the HwDeviceExtension, is one trace event (a yield point) at the
 * miniport's call site, and charges the port's per-call cost.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "storport/sp_int.h"

void
sp_site(const char **file, int *line)
{
    const struct sim_frame *f = sim_current_frame();

    *file = f ? f->site_file : NULL;
    *line = f ? f->site_line : 0;
}

/* Start whatever can start, from a DPC rather than from inside the
 * miniport routine that made room (Storport never re-enters the miniport
 * from a library call). */
void
sp_kick(struct sp_adapter *ad)
{
    int cpu = sim_cpu_current() >= 0 ? sim_cpu_current() : 0;

    sim_dpc_queue(&ad->completion_dpc[cpu], NULL, NULL);
}

static void
wrong_place(const char *routine, const char *rule)
{
    sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION, PORT_VIOLATION_WRONG_PLACE,
                 0, 0, 0, NULL, 0, "%s called from %s: %s", routine,
                 sim_routine_current(), rule);
}

/* ---------- notifications ---------- */

static void
notify_timer(struct sp_adapter *ad, PHW_TIMER routine, ULONG usecs)
{
    if (usecs == 0 || routine == NULL) {
        sim_timer_cancel(&ad->hw_timer);
        ad->hw_timer_routine = NULL;
        return;
    }
    ad->hw_timer_routine = routine;
    sim_timer_set(&ad->hw_timer, SIM_US(usecs));
}

VOID
StorPortNotification(SCSI_NOTIFICATION_TYPE NotificationType,
                     PVOID HwDeviceExtension, ...)
{
    struct sp_adapter *ad = sp_from_ext(HwDeviceExtension,
                                        "StorPortNotification");
    va_list ap;

    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_NOTIFY, .arg = NotificationType,
        .detail = "StorPortNotification" });
    sim_spend(ad->params.cost.library_call);
    va_start(ap, HwDeviceExtension);
    switch (NotificationType) {
    case RequestComplete:
        sp_request_complete(ad, va_arg(ap, PVOID));
        break;
    case ResetDetected:
        sp_hold(ad, SIM_US(ad->config.BusResetHoldTime));
        break;
    case RequestTimerCall: {
        PHW_TIMER routine = va_arg(ap, PHW_TIMER);
        notify_timer(ad, routine, va_arg(ap, ULONG));
        break;
    }
    case EnablePassiveInitialization:
        StorPortEnablePassiveInitialization(HwDeviceExtension,
                                            va_arg(ap, PHW_PASSIVE_INITIALIZE_ROUTINE));
        break;
    case InitializeDpc: {
        PSTOR_DPC dpc = va_arg(ap, PSTOR_DPC);
        StorPortInitializeDpc(HwDeviceExtension, dpc,
                              va_arg(ap, PHW_DPC_ROUTINE));
        break;
    }
    case IssueDpc: {
        PSTOR_DPC dpc = va_arg(ap, PSTOR_DPC);
        PVOID a1 = va_arg(ap, PVOID), a2 = va_arg(ap, PVOID);
        PBOOLEAN result = va_arg(ap, PBOOLEAN);
        BOOLEAN r = StorPortIssueDpc(HwDeviceExtension, dpc, a1, a2);
        if (result != NULL)
            *result = r;
        break;
    }
    case AcquireSpinLock: {
        STOR_SPINLOCK which = (STOR_SPINLOCK)va_arg(ap, int);
        PVOID ctx = va_arg(ap, PVOID);
        sp_acquire(ad, which, ctx, va_arg(ap, PSTOR_LOCK_HANDLE));
        break;
    }
    case ReleaseSpinLock:
        sp_release(ad, va_arg(ap, PSTOR_LOCK_HANDLE));
        break;
    case BusChangeDetected:
    case NextRequest:
    case NextLuRequest:
    default:
        /* Storport needs no NextRequest: it pushes requests itself. A bus
         * change would trigger a rescan; the trace records it. */
        break;
    }
    va_end(ap);
}

/* ---------- locks and DPCs ---------- */

VOID
StorPortAcquireSpinLock(PVOID DeviceExtension, STOR_SPINLOCK SpinLock,
                        PVOID LockContext, PSTOR_LOCK_HANDLE LockHandle)
{
    struct sp_adapter *ad = sp_from_ext(DeviceExtension,
                                        "StorPortAcquireSpinLock");

    sp_acquire(ad, SpinLock, LockContext, LockHandle);
}

VOID
StorPortReleaseSpinLock(PVOID DeviceExtension, PSTOR_LOCK_HANDLE LockHandle)
{
    sp_release(sp_from_ext(DeviceExtension, "StorPortReleaseSpinLock"),
               LockHandle);
}

static void
dpc_trampoline(struct sim_dpc *dpc, void *ctx, void *a1, void *a2)
{
    struct sp_dpc *d = ctx;

    (void)dpc;
    sp_callback_enter(d->ad, CB_DPC, "HwStorDpcRoutine");
    d->routine(d->key, d->ad->ext, a1, a2);
    sp_callback_exit(d->ad);
}

VOID
StorPortInitializeDpc(PVOID DeviceExtension, PSTOR_DPC Dpc,
                      PHW_DPC_ROUTINE HwDpcRoutine)
{
    struct sp_adapter *ad = sp_from_ext(DeviceExtension,
                                        "StorPortInitializeDpc");
    struct sp_dpc *d = sp_dpc_find(ad, Dpc);

    sp_library_call(ad, "StorPortInitializeDpc");
    if (d == NULL) {
        if (ad->ndpcs == SP_MAX_DPCS)
            wrong_place("StorPortInitializeDpc", "too many STOR_DPC objects");
        d = &ad->dpcs[ad->ndpcs++];
        sim_lock_init(&d->lock, "DpcLock", DISPATCH_LEVEL, STORPORT_RANK_DPC);
    }
    d->key = Dpc;
    d->routine = HwDpcRoutine;
    d->ad = ad;
    sim_dpc_init(&d->dpc, "HwStorDpcRoutine", dpc_trampoline, d);
}

BOOLEAN
StorPortIssueDpc(PVOID DeviceExtension, PSTOR_DPC Dpc, PVOID SystemArgument1,
                 PVOID SystemArgument2)
{
    struct sp_adapter *ad = sp_from_ext(DeviceExtension, "StorPortIssueDpc");
    struct sp_dpc *d = sp_dpc_find(ad, Dpc);

    sp_library_call(ad, "StorPortIssueDpc");
    if (d == NULL)
        wrong_place("StorPortIssueDpc", "the STOR_DPC was never initialized "
                    "with StorPortInitializeDpc");
    return sim_dpc_queue(&d->dpc, SystemArgument1, SystemArgument2);
}

/* ---------- memory ---------- */

ULONG
StorPortAllocatePool(PVOID HwDeviceExtension, ULONG NumberOfBytes, ULONG Tag,
                     PVOID *BufferPointer)
{
    const char *file;
    int line;

    sp_library_call(sp_from_ext(HwDeviceExtension, "StorPortAllocatePool"),
                    "StorPortAllocatePool");
    sp_site(&file, &line);
    *BufferPointer = sim_pool_alloc(SIM_NONPAGED_POOL, NumberOfBytes, Tag,
                                    file, line);
    return STOR_STATUS_SUCCESS;
}

ULONG
StorPortFreePool(PVOID HwDeviceExtension, PVOID BufferPointer)
{
    const char *file;
    int line;

    sp_library_call(sp_from_ext(HwDeviceExtension, "StorPortFreePool"),
                    "StorPortFreePool");
    sp_site(&file, &line);
    sim_pool_free(BufferPointer, file, line);
    return STOR_STATUS_SUCCESS;
}

PVOID
StorPortGetUncachedExtension(PVOID HwDeviceExtension,
                             PPORT_CONFIGURATION_INFORMATION ConfigInfo,
                             ULONG NumberOfBytes)
{
    struct sp_adapter *ad = sp_from_ext(HwDeviceExtension,
                                        "StorPortGetUncachedExtension");

    (void)ConfigInfo;
    sp_library_call(ad, "StorPortGetUncachedExtension");
    if (sp_current_callback(ad) != CB_FIND_ADAPTER)
        wrong_place("StorPortGetUncachedExtension",
                    "it may be called only from HwStorFindAdapter");
    if (ad->uncached != NULL)
        return NULL;   /* one uncached extension per adapter */
    ad->uncached = physmem_alloc(NumberOfBytes, true);
    ad->uncached_size = NumberOfBytes;
    return ad->uncached;
}

STOR_PHYSICAL_ADDRESS
StorPortGetPhysicalAddress(PVOID HwDeviceExtension, PSCSI_REQUEST_BLOCK Srb,
                           PVOID VirtualAddress, PULONG Length)
{
    STOR_PHYSICAL_ADDRESS pa = { .QuadPart = 0 };
    uint64_t phys;
    void *host;

    (void)Srb;
    sp_library_call(sp_from_ext(HwDeviceExtension,
                                "StorPortGetPhysicalAddress"),
                    "StorPortGetPhysicalAddress");
    phys = physmem_virt_to_phys(VirtualAddress);
    if (Length != NULL)
        *Length = phys ? (ULONG)physmem_phys_run(phys, 1u << 30, &host) : 0;
    pa.QuadPart = (LONGLONG)phys;
    return pa;
}

PVOID
StorPortGetVirtualAddress(PVOID HwDeviceExtension,
                          STOR_PHYSICAL_ADDRESS PhysicalAddress)
{
    sp_library_call(sp_from_ext(HwDeviceExtension, "StorPortGetVirtualAddress"),
                    "StorPortGetVirtualAddress");
    return physmem_phys_to_virt((uint64_t)PhysicalAddress.QuadPart);
}

PSTOR_SCATTER_GATHER_LIST
StorPortGetScatterGatherList(PVOID HwDeviceExtension, PSCSI_REQUEST_BLOCK Srb)
{
    struct sp_adapter *ad = sp_from_ext(HwDeviceExtension,
                                        "StorPortGetScatterGatherList");
    struct port_request *req = sp_request_of(ad, Srb);
    struct physmem_extent ext[257];
    PSTOR_SCATTER_GATHER_LIST sg;
    size_t n = 0, max = ad->config.NumberOfPhysicalBreaks + 1;
    ULONG len = SrbGetDataTransferLength(Srb);

    sp_library_call(ad, "StorPortGetScatterGatherList");
    if (req == NULL || req->data == NULL || len == 0)
        return NULL;
    if (max > sizeof ext / sizeof ext[0])
        max = sizeof ext / sizeof ext[0];
    if (physmem_build_sg(req->data, len, ext, max, 0, &n) < 0)
        return NULL;
    sg = ad->slots[req->port_slot].sg;
    sg->NumberOfElements = (ULONG)n;
    for (size_t i = 0; i < n; i++) {
        sg->List[i].PhysicalAddress.QuadPart = (LONGLONG)ext[i].phys;
        sg->List[i].Length = ext[i].length;
        sg->List[i].Reserved = 0;
    }
    return sg;
}

ULONG
StorPortGetSystemAddress(PVOID HwDeviceExtension, PSCSI_REQUEST_BLOCK Srb,
                         PVOID *SystemAddress)
{
    struct sp_adapter *ad = sp_from_ext(HwDeviceExtension,
                                        "StorPortGetSystemAddress");
    struct port_request *req = sp_request_of(ad, Srb);

    sp_library_call(ad, "StorPortGetSystemAddress");
    if (req == NULL || req->data == NULL)
        return STOR_STATUS_INVALID_PARAMETER;
    *SystemAddress = req->data;
    return STOR_STATUS_SUCCESS;
}

VOID
StorPortMoveMemory(PVOID WriteBuffer, PVOID ReadBuffer, ULONG Length)
{
    memmove(WriteBuffer, ReadBuffer, Length);
}

/* ---------- time ---------- */

VOID
StorPortStallExecution(ULONG Delay)
{
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_CALL, .arg = Delay, .detail = "StorPortStallExecution" });
    sim_work(SIM_US(Delay), NULL, 0);
}
