/* scp_api.c: the SCSI Port library routines for memory, addresses and
 * lookups: uncached extension, physical and virtual addresses, the SRB of
 * a tag, the LU extension, error log, stall, bus data.
 *
 * Interface: include/wdk/srb.h. Each routine that takes a device
 * extension finds its adapter from it, is one trace event (a yield point)
 * at the miniport's call site, and charges the port's per-call cost.
 */
#include <string.h>

#include "scsiport/scp_int.h"

PVOID
ScsiPortGetUncachedExtension(PVOID HwDeviceExtension,
                             PPORT_CONFIGURATION_INFORMATION ConfigInfo,
                             ULONG NumberOfBytes)
{
    struct scp_adapter *ad = scp_from_ext(HwDeviceExtension,
                                          "ScsiPortGetUncachedExtension");

    (void)ConfigInfo;
    scp_library_call(ad, "ScsiPortGetUncachedExtension");
    if (scp_current_callback(ad) != CB_FIND_ADAPTER)
        scp_wrong_place("ScsiPortGetUncachedExtension",
                        "it may be called only from HwScsiFindAdapter");
    if (ad->uncached != NULL)
        return NULL;   /* one uncached extension per adapter */
    ad->uncached = physmem_alloc(NumberOfBytes, true);
    return ad->uncached;
}

/* Bytes from VirtualAddress to the end of the SRB's data buffer, if it is
 * inside it; else 0 (no limit from the buffer). */
static ULONG
left_in_buffer(PSCSI_REQUEST_BLOCK Srb, const void *va)
{
    const UCHAR *b = Srb ? Srb->DataBuffer : NULL;

    if (b == NULL || (const UCHAR *)va < b ||
        (const UCHAR *)va >= b + Srb->DataTransferLength)
        return 0;
    return (ULONG)(b + Srb->DataTransferLength - (const UCHAR *)va);
}

/* SCSI Port maps every buffer, so the miniport names memory by virtual
 * address and asks for the physical address of each piece: the length is
 * how far the memory stays physically contiguous (and, inside the data
 * buffer, at most what is left of it). A DMA miniport builds its
 * scatter/gather list by walking the buffer with these lengths. */
SCSI_PHYSICAL_ADDRESS
ScsiPortGetPhysicalAddress(PVOID HwDeviceExtension, PSCSI_REQUEST_BLOCK Srb,
                           PVOID VirtualAddress, ULONG *Length)
{
    SCSI_PHYSICAL_ADDRESS pa = { .QuadPart = 0 };
    ULONG limit = left_in_buffer(Srb, VirtualAddress);
    uint64_t phys;
    void *host;

    scp_library_call(scp_from_ext(HwDeviceExtension,
                                  "ScsiPortGetPhysicalAddress"),
                     "ScsiPortGetPhysicalAddress");
    phys = physmem_virt_to_phys(VirtualAddress);
    if (Length != NULL)
        *Length = phys ? (ULONG)physmem_phys_run(phys, limit ? limit : 1u << 30,
                                                 &host)
                       : 0;
    pa.QuadPart = (LONGLONG)phys;
    return pa;
}

PVOID
ScsiPortGetVirtualAddress(PVOID HwDeviceExtension,
                          SCSI_PHYSICAL_ADDRESS PhysicalAddress)
{
    scp_library_call(scp_from_ext(HwDeviceExtension,
                                  "ScsiPortGetVirtualAddress"),
                     "ScsiPortGetVirtualAddress");
    return physmem_phys_to_virt((uint64_t)PhysicalAddress.QuadPart);
}

/* The active SRB with this address and tag. The slots and the LU's
 * untagged request are read without port_lock: the miniport calls this
 * at DIRQL, where the port's spin lock cannot be taken, and the requests
 * it may ask about do not change hands while it holds the interrupt lock. */
PSCSI_REQUEST_BLOCK
ScsiPortGetSrb(PVOID DeviceExtension, UCHAR PathId, UCHAR TargetId, UCHAR Lun,
               LONG QueueTag)
{
    struct scp_adapter *ad = scp_from_ext(DeviceExtension, "ScsiPortGetSrb");
    struct port_request *req;
    struct scp_lu *lu;
    PSCSI_REQUEST_BLOCK srb;

    scp_library_call(ad, "ScsiPortGetSrb");
    if (QueueTag == SP_UNTAGGED) {
        lu = scp_lu_find(ad, PathId, TargetId, Lun);
        return lu && lu->untagged ? lu->untagged->srb : NULL;
    }
    if (QueueTag < 1 || QueueTag > SCP_MAX_SLOTS)
        return NULL;
    req = ad->slots[QueueTag - 1].req;
    srb = req ? req->srb : NULL;
    if (srb == NULL || req->state < PORT_SRB_STARTIO ||
        req->state >= PORT_SRB_NOTIFIED || srb->PathId != PathId ||
        srb->TargetId != TargetId || srb->Lun != Lun)
        return NULL;
    return srb;
}

PVOID
ScsiPortGetLogicalUnit(PVOID HwDeviceExtension, UCHAR PathId, UCHAR TargetId,
                       UCHAR Lun)
{
    struct scp_adapter *ad = scp_from_ext(HwDeviceExtension,
                                          "ScsiPortGetLogicalUnit");
    struct scp_lu *lu;

    scp_library_call(ad, "ScsiPortGetLogicalUnit");
    lu = scp_lu_find(ad, PathId, TargetId, Lun);
    return lu ? lu->lu_extension : NULL;
}

ULONG
ScsiPortGetBusData(PVOID DeviceExtension, ULONG BusDataType,
                   ULONG SystemIoBusNumber, ULONG SlotNumber, PVOID Buffer,
                   ULONG Length)
{
    (void)BusDataType; (void)SystemIoBusNumber; (void)SlotNumber;
    (void)Buffer; (void)Length;
    scp_library_call(scp_from_ext(DeviceExtension, "ScsiPortGetBusData"),
                     "ScsiPortGetBusData");
    return 0;   /* a PnP miniport gets its resources in ConfigInfo */
}

VOID
ScsiPortLogError(PVOID HwDeviceExtension, PSCSI_REQUEST_BLOCK Srb,
                 UCHAR PathId, UCHAR TargetId, UCHAR Lun, ULONG ErrorCode,
                 ULONG UniqueId)
{
    (void)Srb; (void)PathId; (void)TargetId; (void)Lun; (void)UniqueId;
    scp_library_call(scp_from_ext(HwDeviceExtension, "ScsiPortLogError"),
                     "ScsiPortLogError");
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_MARK, .arg = ErrorCode, .detail = "error logged" });
}

VOID
ScsiPortMoveMemory(PVOID WriteBuffer, PVOID ReadBuffer, ULONG Length)
{
    memmove(WriteBuffer, ReadBuffer, Length);
}

VOID
ScsiPortStallExecution(ULONG Delay)
{
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_CALL, .arg = Delay,
        .detail = "ScsiPortStallExecution" });
    sim_work(SIM_US(Delay), NULL, 0);
}

SCSI_PHYSICAL_ADDRESS
ScsiPortConvertUlongToPhysicalAddress(ULONG_PTR UlongAddress)
{
    SCSI_PHYSICAL_ADDRESS pa = { .QuadPart = (LONGLONG)UlongAddress };

    return pa;
}

ULONG
ScsiPortConvertPhysicalAddressToUlong(SCSI_PHYSICAL_ADDRESS Address)
{
    return (ULONG)Address.LowPart;
}
