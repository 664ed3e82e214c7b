/* sp_hw.c: Storport library routines for hardware access (registers and
 * ports, the mapped register range) and for the queue-control state the
 * miniport sets (busy, pause, queue depth, completing in bulk).
 *
 * Interface: include/wdk/storport.h.
 *
 * SIMHBA has 32-bit registers only: an 8- or 16-bit access reads or writes
 * the 32-bit register that contains it.
 */
#include <stdio.h>
#include <string.h>

#include "storport/sp_int.h"

/* ---------- registers ---------- */

static uint32_t
reg_offset(struct sp_adapter *ad, const void *reg, const char *routine)
{
    uintptr_t off = (uintptr_t)reg - (uintptr_t)ad->bar_base;

    if ((uintptr_t)reg < (uintptr_t)ad->bar_base ||
        off >= ad->params.hw.bar_size)
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                     PORT_VIOLATION_BAD_REGISTER, (uint64_t)(uintptr_t)reg,
                     (uint64_t)(uintptr_t)ad->bar_base, ad->params.hw.bar_size,
                     NULL, 0, "%s: %p is not inside the register range that "
                     "StorPortGetDeviceBase mapped (%p, %u bytes)", routine,
                     reg, (void *)ad->bar_base, ad->params.hw.bar_size);
    return (uint32_t)off & ~3u;
}

static uint32_t
rd(PVOID ext, const void *reg, const char *routine)
{
    struct sp_adapter *ad = sp_from_ext(ext, routine);
    const char *file;
    int line;

    sp_site(&file, &line);
    return ad->params.hw.read32(ad->params.hw.dev,
                                reg_offset(ad, reg, routine), file, line);
}

static void
wr(PVOID ext, const void *reg, uint32_t value, const char *routine)
{
    struct sp_adapter *ad = sp_from_ext(ext, routine);
    const char *file;
    int line;

    sp_site(&file, &line);
    ad->params.hw.write32(ad->params.hw.dev, reg_offset(ad, reg, routine),
                          value, file, line);
}

static unsigned
shift_of(const void *reg)
{
    return ((uintptr_t)reg & 3u) * 8;
}

UCHAR
StorPortReadRegisterUchar(PVOID HwDeviceExtension, PUCHAR Register)
{
    return (UCHAR)(rd(HwDeviceExtension, Register,
                      "StorPortReadRegisterUchar") >> shift_of(Register));
}

USHORT
StorPortReadRegisterUshort(PVOID HwDeviceExtension, PUSHORT Register)
{
    return (USHORT)(rd(HwDeviceExtension, Register,
                       "StorPortReadRegisterUshort") >> shift_of(Register));
}

ULONG
StorPortReadRegisterUlong(PVOID HwDeviceExtension, PULONG Register)
{
    return rd(HwDeviceExtension, Register, "StorPortReadRegisterUlong");
}

VOID
StorPortReadRegisterBufferUlong(PVOID HwDeviceExtension, PULONG Register,
                                PULONG Buffer, ULONG Count)
{
    for (ULONG i = 0; i < Count; i++)
        Buffer[i] = rd(HwDeviceExtension, Register,
                       "StorPortReadRegisterBufferUlong");
}

VOID
StorPortWriteRegisterUchar(PVOID HwDeviceExtension, PUCHAR Register,
                           UCHAR Value)
{
    wr(HwDeviceExtension, Register, (uint32_t)Value << shift_of(Register),
       "StorPortWriteRegisterUchar");
}

VOID
StorPortWriteRegisterUshort(PVOID HwDeviceExtension, PUSHORT Register,
                            USHORT Value)
{
    wr(HwDeviceExtension, Register, (uint32_t)Value << shift_of(Register),
       "StorPortWriteRegisterUshort");
}

VOID
StorPortWriteRegisterUlong(PVOID HwDeviceExtension, PULONG Register,
                           ULONG Value)
{
    wr(HwDeviceExtension, Register, Value, "StorPortWriteRegisterUlong");
}

VOID
StorPortWriteRegisterBufferUlong(PVOID HwDeviceExtension, PULONG Register,
                                 PULONG Buffer, ULONG Count)
{
    for (ULONG i = 0; i < Count; i++)
        wr(HwDeviceExtension, Register, Buffer[i],
           "StorPortWriteRegisterBufferUlong");
}

/* SIMHBA decodes its I/O-port range like its memory range. */
UCHAR
StorPortReadPortUchar(PVOID HwDeviceExtension, PUCHAR Port)
{
    return (UCHAR)(rd(HwDeviceExtension, Port, "StorPortReadPortUchar")
                   >> shift_of(Port));
}

USHORT
StorPortReadPortUshort(PVOID HwDeviceExtension, PUSHORT Port)
{
    return (USHORT)(rd(HwDeviceExtension, Port, "StorPortReadPortUshort")
                    >> shift_of(Port));
}

ULONG
StorPortReadPortUlong(PVOID HwDeviceExtension, PULONG Port)
{
    return rd(HwDeviceExtension, Port, "StorPortReadPortUlong");
}

VOID
StorPortReadPortBufferUlong(PVOID HwDeviceExtension, PULONG Port,
                            PULONG Buffer, ULONG Count)
{
    for (ULONG i = 0; i < Count; i++)
        Buffer[i] = rd(HwDeviceExtension, Port, "StorPortReadPortBufferUlong");
}

VOID
StorPortWritePortUchar(PVOID HwDeviceExtension, PUCHAR Port, UCHAR Value)
{
    wr(HwDeviceExtension, Port, (uint32_t)Value << shift_of(Port),
       "StorPortWritePortUchar");
}

VOID
StorPortWritePortUshort(PVOID HwDeviceExtension, PUSHORT Port, USHORT Value)
{
    wr(HwDeviceExtension, Port, (uint32_t)Value << shift_of(Port),
       "StorPortWritePortUshort");
}

VOID
StorPortWritePortUlong(PVOID HwDeviceExtension, PULONG Port, ULONG Value)
{
    wr(HwDeviceExtension, Port, Value, "StorPortWritePortUlong");
}

VOID
StorPortWritePortBufferUlong(PVOID HwDeviceExtension, PULONG Port,
                             PULONG Buffer, ULONG Count)
{
    for (ULONG i = 0; i < Count; i++)
        wr(HwDeviceExtension, Port, Buffer[i], "StorPortWritePortBufferUlong");
}

PVOID
StorPortGetDeviceBase(PVOID HwDeviceExtension, INTERFACE_TYPE BusType,
                      ULONG SystemIoBusNumber, STOR_PHYSICAL_ADDRESS IoAddress,
                      ULONG NumberOfBytes, BOOLEAN InIoSpace)
{
    struct sp_adapter *ad = sp_from_ext(HwDeviceExtension,
                                        "StorPortGetDeviceBase");
    uint64_t base = ad->params.hw.bar_phys;
    uint64_t at = (uint64_t)IoAddress.QuadPart;

    (void)BusType; (void)SystemIoBusNumber; (void)InIoSpace;
    sp_library_call(ad, "StorPortGetDeviceBase");
    if (sp_current_callback(ad) != CB_FIND_ADAPTER)
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                     PORT_VIOLATION_WRONG_PLACE, 0, 0, 0, NULL, 0,
                     "StorPortGetDeviceBase called from %s: it may be called "
                     "only from HwStorFindAdapter", sim_routine_current());
    if (at < base || at + NumberOfBytes > base + ad->params.hw.bar_size)
        return NULL;   /* not one of this adapter's access ranges */
    return ad->bar_base + (at - base);
}

VOID
StorPortFreeDeviceBase(PVOID HwDeviceExtension, PVOID MappedAddress)
{
    (void)MappedAddress;
    sp_library_call(sp_from_ext(HwDeviceExtension, "StorPortFreeDeviceBase"),
                    "StorPortFreeDeviceBase");
}

/* ---------- queue control ---------- */

BOOLEAN
StorPortBusy(PVOID HwDeviceExtension, ULONG RequestsToComplete)
{
    struct sp_adapter *ad = sp_from_ext(HwDeviceExtension, "StorPortBusy");

    sp_library_call(ad, "StorPortBusy");
    ad->busy_left = RequestsToComplete ? RequestsToComplete : 1;
    return TRUE;
}

BOOLEAN
StorPortReady(PVOID HwDeviceExtension)
{
    struct sp_adapter *ad = sp_from_ext(HwDeviceExtension, "StorPortReady");

    sp_library_call(ad, "StorPortReady");
    ad->busy_left = 0;
    sp_kick(ad);
    return TRUE;
}

BOOLEAN
StorPortPause(PVOID HwDeviceExtension, ULONG Timeout)
{
    struct sp_adapter *ad = sp_from_ext(HwDeviceExtension, "StorPortPause");

    sp_library_call(ad, "StorPortPause");
    sp_hold(ad, SIM_SEC(Timeout));
    return TRUE;
}

BOOLEAN
StorPortResume(PVOID HwDeviceExtension)
{
    struct sp_adapter *ad = sp_from_ext(HwDeviceExtension, "StorPortResume");

    sp_library_call(ad, "StorPortResume");
    sim_timer_cancel(&ad->hold_timer);
    ad->paused = false;
    sp_kick(ad);
    return TRUE;
}

static struct sp_lu *
lu_of(PVOID ext, UCHAR path, UCHAR target, UCHAR lun, const char *routine,
      struct sp_adapter **adp)
{
    struct sp_adapter *ad = sp_from_ext(ext, routine);

    sp_library_call(ad, routine);
    *adp = ad;
    return sp_lu_get(ad, path, target, lun);
}

BOOLEAN
StorPortDeviceBusy(PVOID HwDeviceExtension, UCHAR PathId, UCHAR TargetId,
                   UCHAR Lun, ULONG RequestsToComplete)
{
    struct sp_adapter *ad;
    struct sp_lu *lu = lu_of(HwDeviceExtension, PathId, TargetId, Lun,
                             "StorPortDeviceBusy", &ad);

    if (lu == NULL)
        return FALSE;
    lu->busy_left = RequestsToComplete ? RequestsToComplete : 1;
    return TRUE;
}

BOOLEAN
StorPortDeviceReady(PVOID HwDeviceExtension, UCHAR PathId, UCHAR TargetId,
                    UCHAR Lun)
{
    struct sp_adapter *ad;
    struct sp_lu *lu = lu_of(HwDeviceExtension, PathId, TargetId, Lun,
                             "StorPortDeviceReady", &ad);

    if (lu == NULL)
        return FALSE;
    lu->busy_left = 0;
    sp_kick(ad);
    return TRUE;
}

BOOLEAN
StorPortPauseDevice(PVOID HwDeviceExtension, UCHAR PathId, UCHAR TargetId,
                    UCHAR Lun, ULONG Timeout)
{
    struct sp_adapter *ad;
    struct sp_lu *lu = lu_of(HwDeviceExtension, PathId, TargetId, Lun,
                             "StorPortPauseDevice", &ad);

    if (lu == NULL)
        return FALSE;
    lu->paused = true;
    sim_timer_set(&lu->pause_timer, SIM_SEC(Timeout));
    return TRUE;
}

BOOLEAN
StorPortResumeDevice(PVOID HwDeviceExtension, UCHAR PathId, UCHAR TargetId,
                     UCHAR Lun)
{
    struct sp_adapter *ad;
    struct sp_lu *lu = lu_of(HwDeviceExtension, PathId, TargetId, Lun,
                             "StorPortResumeDevice", &ad);

    if (lu == NULL)
        return FALSE;
    sim_timer_cancel(&lu->pause_timer);
    lu->paused = false;
    sp_kick(ad);
    return TRUE;
}

BOOLEAN
StorPortSetDeviceQueueDepth(PVOID HwDeviceExtension, UCHAR PathId,
                            UCHAR TargetId, UCHAR Lun, ULONG Depth)
{
    struct sp_adapter *ad;
    struct sp_lu *lu = lu_of(HwDeviceExtension, PathId, TargetId, Lun,
                             "StorPortSetDeviceQueueDepth", &ad);

    if (lu == NULL || Depth == 0 || Depth > ad->config.MaxIOsPerLun)
        return FALSE;
    lu->depth = Depth;
    sp_kick(ad);
    return TRUE;
}

VOID
StorPortCompleteRequest(PVOID HwDeviceExtension, UCHAR PathId, UCHAR TargetId,
                        UCHAR Lun, UCHAR SrbStatus)
{
    struct sp_adapter *ad = sp_from_ext(HwDeviceExtension,
                                        "StorPortCompleteRequest");

    sp_library_call(ad, "StorPortCompleteRequest");
    sp_complete_matching(ad, PathId, TargetId, Lun, SrbStatus);
}

PVOID
StorPortGetLogicalUnit(PVOID HwDeviceExtension, UCHAR PathId, UCHAR TargetId,
                       UCHAR Lun)
{
    struct sp_adapter *ad;
    struct sp_lu *lu = lu_of(HwDeviceExtension, PathId, TargetId, Lun,
                             "StorPortGetLogicalUnit", &ad);

    return lu ? lu->lu_extension : NULL;
}

PSCSI_REQUEST_BLOCK
StorPortGetSrb(PVOID DeviceExtension, UCHAR PathId, UCHAR TargetId, UCHAR Lun,
               LONG QueueTag)
{
    struct sp_adapter *ad = sp_from_ext(DeviceExtension, "StorPortGetSrb");
    struct port_request *req;

    sp_library_call(ad, "StorPortGetSrb");
    if (QueueTag < 0 || (ULONG)QueueTag >= ad->nslots)
        return NULL;
    req = ad->dispatched[QueueTag];
    if (req == NULL || SrbGetPathId(req->srb) != PathId ||
        SrbGetTargetId(req->srb) != TargetId || SrbGetLun(req->srb) != Lun)
        return NULL;
    return req->srb;
}

VOID
StorPortLogError(PVOID HwDeviceExtension, PSCSI_REQUEST_BLOCK Srb,
                 UCHAR PathId, UCHAR TargetId, UCHAR Lun, ULONG ErrorCode,
                 ULONG UniqueId)
{
    (void)Srb; (void)PathId; (void)TargetId; (void)Lun; (void)UniqueId;
    sp_library_call(sp_from_ext(HwDeviceExtension, "StorPortLogError"),
                    "StorPortLogError");
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_MARK, .arg = ErrorCode, .detail = "error logged" });
}

struct sync_ctx {
    struct sp_adapter *ad;
    PSTOR_SYNCHRONIZED_ACCESS routine;
    PVOID context;
};

static bool
synchronized(void *p)
{
    struct sync_ctx *c = p;

    return c->routine(c->ad->ext, c->context);
}

BOOLEAN
StorPortSynchronizeAccess(PVOID HwDeviceExtension,
                          PSTOR_SYNCHRONIZED_ACCESS SynchronizedAccessRoutine,
                          PVOID Context)
{
    struct sp_adapter *ad = sp_from_ext(HwDeviceExtension,
                                        "StorPortSynchronizeAccess");
    struct sync_ctx c = { ad, SynchronizedAccessRoutine, Context };
    const char *file;
    int line;

    sp_library_call(ad, "StorPortSynchronizeAccess");
    sp_site(&file, &line);
    return sim_sync_execution(&ad->intr, synchronized, &c, file, line);
}

STOR_PHYSICAL_ADDRESS
StorPortConvertUlongToPhysicalAddress(ULONG_PTR UlongAddress)
{
    STOR_PHYSICAL_ADDRESS pa = { .QuadPart = (LONGLONG)UlongAddress };

    return pa;
}

ULONG
StorPortConvertPhysicalAddressToUlong(STOR_PHYSICAL_ADDRESS Address)
{
    return (ULONG)Address.LowPart;
}
