/* io.c: the SIMHBA miniport's request path: HwStorBuildIo and
 * HwStorStartIo, and the translation of an SRB into a SIMHBA request
 * descriptor.
 *
 * The translation (CDB, addresses, the SG list, and the per-SRB work the
 * options say it costs) is the work the seeds move from StartIo to
 * BuildIo: done in BuildIo it runs on every submitting CPU at once,
 * holding no lock; done in StartIo it runs one CPU at a time under the
 * StartIo lock (and at DIRQL under the interrupt lock in half duplex).
 */
#include <string.h>

#include "miniport/mp.h"
#include "storsim/cpu.h"

/* Simulation only: the CPU time the code above it takes on real hardware. */
#define MP_CPU_TIME(ns) sim_work((ns), __FILE__, __LINE__)

void
MpCompleteSrb(PMP_DEVICE_EXTENSION DevExt, PVOID Srb, UCHAR SrbStatus)
{
    SrbSetSrbStatus(Srb, SrbStatus);
    StorPortNotification(RequestComplete, DevExt, Srb);
}

static UCHAR
MpDirection(PVOID Srb)
{
    ULONG flags = SrbGetSrbFlags(Srb);

    if (flags & SRB_FLAGS_DATA_IN)
        return SIMHBA_DIR_IN;
    if (flags & SRB_FLAGS_DATA_OUT)
        return SIMHBA_DIR_OUT;
    return SIMHBA_DIR_NONE;
}

/* FLUSH and SHUTDOWN become a SYNCHRONIZE CACHE(10) of the whole LU. */
static void
MpSetCdb(struct simhba_req_desc *d, PVOID Srb)
{
    ULONG fn = SrbGetSrbFunction(Srb);

    if (fn == SRB_FUNCTION_FLUSH || fn == SRB_FUNCTION_SHUTDOWN) {
        d->cdb[0] = SCSIOP_SYNCHRONIZE_CACHE;
        d->cdb_len = 10;
        d->direction = SIMHBA_DIR_NONE;
        d->data_length = 0;
        return;
    }
    d->cdb_len = SrbGetCdbLength(Srb);
    if (d->cdb_len > SIMHBA_MAX_CDB)
        d->cdb_len = SIMHBA_MAX_CDB;
    memcpy(d->cdb, (PUCHAR)SrbGetCdb(Srb), d->cdb_len);
}

static ULONG
MpSetSgList(PMP_DEVICE_EXTENSION DevExt, PMP_SRB_EXTENSION X, PVOID Srb)
{
    struct simhba_req_desc *d = &X->Desc;
    PSTOR_SCATTER_GATHER_LIST sg;
    struct simhba_sg_elem *out = d->sg;
    STOR_PHYSICAL_ADDRESS pa;
    ULONG len;

    if (d->data_length == 0)
        return 0;
    sg = StorPortGetScatterGatherList(DevExt, Srb);
    if (sg == NULL)
        return 0;
    if (sg->NumberOfElements > SIMHBA_INLINE_SG) {
        /* Too many for the descriptor: the list goes in the SRB
         * extension, which the device reads by DMA. */
        out = X->ExtSg;
        pa = StorPortGetPhysicalAddress(DevExt, Srb, X->ExtSg, &len);
        d->ext_sg_addr = (uint64_t)pa.QuadPart;
        d->flags |= SIMHBA_REQ_F_EXT_SG;
    }
    for (ULONG i = 0; i < sg->NumberOfElements; i++) {
        out[i].addr = (uint64_t)sg->List[i].PhysicalAddress.QuadPart;
        out[i].length = sg->List[i].Length;
        out[i].reserved = 0;
    }
    d->sg_count = sg->NumberOfElements;
    return sg->NumberOfElements;
}

/* LAB: translate-srb */
BOOLEAN
MpTranslate(PMP_DEVICE_EXTENSION DevExt, PVOID Srb)
{
    PMP_SRB_EXTENSION X = SrbGetMiniportContext(Srb);
    struct simhba_req_desc *d = &X->Desc;
    PVOID sense = SrbGetSenseInfoBuffer(Srb);
    STOR_PHYSICAL_ADDRESS pa;
    ULONG len, elements;

    memset(d, 0, sizeof *d);
    d->tag = SrbGetQueueTag(Srb);
    d->target = SrbGetTargetId(Srb);
    d->lun = SrbGetLun(Srb);
    d->direction = MpDirection(Srb);
    d->data_length = SrbGetDataTransferLength(Srb);
    MpSetCdb(d, Srb);
    if (sense != NULL && SrbGetSenseInfoBufferLength(Srb) > 0) {
        pa = StorPortGetPhysicalAddress(DevExt, Srb, sense, &len);
        d->sense_addr = (uint64_t)pa.QuadPart;
        d->sense_length = d->sense_addr ? SrbGetSenseInfoBufferLength(Srb) : 0;
    }
    elements = MpSetSgList(DevExt, X, Srb);
    MP_CPU_TIME(DevExt->Options.cost_per_srb +
                elements * DevExt->Options.cost_per_sg);
    X->Built = TRUE;
    return TRUE;
}
/* LAB-END: translate-srb */

static ULONG
MpCdbLba(PVOID Srb)
{
    PUCHAR cdb = (PUCHAR)SrbGetCdb(Srb);

    return cdb ? ((ULONG)cdb[2] << 24 | (ULONG)cdb[3] << 16 |
                  (ULONG)cdb[4] << 8 | cdb[5]) : 0;
}

/* LAB: build-io */
BOOLEAN
MpHwBuildIo(PVOID DeviceExtension, PSCSI_REQUEST_BLOCK Srb)
{
    PMP_DEVICE_EXTENSION DevExt = DeviceExtension;
    PMP_SRB_EXTENSION X = SrbGetMiniportContext(Srb);

    switch (SrbGetSrbFunction(Srb)) {
    case SRB_FUNCTION_EXECUTE_SCSI:
    case SRB_FUNCTION_FLUSH:
    case SRB_FUNCTION_SHUTDOWN:
        X->Built = FALSE;
        if ((DevExt->Options.bugs & MP_BUG_BUILDIO_FALSE_NO_COMPLETE) &&
            MpCdbLba(Srb) % DevExt->Options.bug_every == 0)
            return FALSE;               /* BUG: nobody completes it */
        if (DevExt->Options.bugs & MP_BUG_BUILDIO_WRITES_SHARED)
            DevExt->SharedBuildIoCount++;   /* BUG: shared, and no lock */
        if (DevExt->Options.work_in == MP_WORK_IN_BUILDIO)
            MpTranslate(DevExt, Srb);
        return TRUE;
    case SRB_FUNCTION_RESET_LOGICAL_UNIT:
    case SRB_FUNCTION_RESET_DEVICE:
    case SRB_FUNCTION_RESET_BUS:
        return TRUE;                    /* needs the hardware: StartIo */
    case SRB_FUNCTION_DUMP_POINTERS:
    case SRB_FUNCTION_FREE_DUMP_POINTERS:
        /* Not a crash-dump miniport: nothing to provide or free. */
        MpCompleteSrb(DevExt, Srb, SRB_STATUS_SUCCESS);
        return FALSE;
    case SRB_FUNCTION_IO_CONTROL:
    default:
        /* No private IOCTLs: refuse without bothering StartIo. */
        MpCompleteSrb(DevExt, Srb, SRB_STATUS_INVALID_REQUEST);
        return FALSE;
    }
}
/* LAB-END: build-io */

/* Caller holds the StartIo lock (and the interrupt lock in half duplex). */
static void
MpPost(PMP_DEVICE_EXTENSION DevExt, PVOID Srb)
{
    PMP_SRB_EXTENSION X = SrbGetMiniportContext(Srb);
    ULONG slot = DevExt->ReqProd & (DevExt->QueueDepth - 1);

    DevExt->Slots[X->Desc.tag] = Srb;
    memcpy(&DevExt->ReqRing[slot], &X->Desc, sizeof X->Desc);
    DevExt->ReqProd++;
    MpWrite(DevExt, SIMHBA_REG_REQ_DOORBELL, DevExt->ReqProd);
}

/* LAB: start-io */
BOOLEAN
MpHwStartIo(PVOID DeviceExtension, PSCSI_REQUEST_BLOCK Srb)
{
    PMP_DEVICE_EXTENSION DevExt = DeviceExtension;
    PMP_SRB_EXTENSION X = SrbGetMiniportContext(Srb);

    switch (SrbGetSrbFunction(Srb)) {
    case SRB_FUNCTION_RESET_LOGICAL_UNIT:
    case SRB_FUNCTION_RESET_DEVICE:
    case SRB_FUNCTION_RESET_BUS:
        /* SIMHBA resets the whole bus; the outstanding commands come back
         * with a bus-reset status through the completion ring. */
        MpWrite(DevExt, SIMHBA_REG_BUS_RESET, SIMHBA_RESET_KEY);
        MpCompleteSrb(DevExt, Srb, SRB_STATUS_SUCCESS);
        return TRUE;
    default:
        break;
    }
    if (!X->Built)
        MpTranslate(DevExt, Srb);
    MpPost(DevExt, Srb);
    return TRUE;
}
/* LAB-END: start-io */
