/* io.c: the SIMHBA miniport's request path: HwStorBuildIo and
 * HwStorStartIo / HwScsiStartIo, the translation of an SRB into a SIMHBA
 * request descriptor, and (SCSI Port) asking for the next request.
 *
 * The translation (CDB, addresses, the SG list, and the per-SRB work the
 * options say it costs) is the work the seeds move from StartIo to
 * BuildIo: done in BuildIo it runs on every submitting CPU at once,
 * holding no lock; done in StartIo it runs one CPU at a time under the
 * StartIo lock (and at DIRQL under the interrupt lock in half duplex).
 * SCSI Port has no BuildIo: all of it runs in HwScsiStartIo, at DIRQL
 * holding the interrupt lock, one request at a time on the machine.
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
    if (DevExt->Storport)
        StorPortNotification(RequestComplete, DevExt, Srb);
    else
        ScsiPortNotification(RequestComplete, DevExt, Srb);
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

/* Put an SG list that does not fit in the descriptor where the device
 * reads it by DMA: the SRB extension. */
static void
MpUseExtSg(PMP_DEVICE_EXTENSION DevExt, PMP_SRB_EXTENSION X, PVOID Srb)
{
    STOR_PHYSICAL_ADDRESS pa;
    ULONG len;

    pa = MpGetPhysicalAddress(DevExt, Srb, X->ExtSg, &len);
    X->Desc.ext_sg_addr = (uint64_t)pa.QuadPart;
    X->Desc.flags |= SIMHBA_REQ_F_EXT_SG;
}

/* LAB: scsiport-sg-list */
/* SCSI Port: DataBuffer is a mapped virtual address; walk it with
 * ScsiPortGetPhysicalAddress, one physically contiguous piece at a time. */
static ULONG
MpScsiPortSgList(PMP_DEVICE_EXTENSION DevExt, PMP_SRB_EXTENSION X,
                 PSCSI_REQUEST_BLOCK Srb)
{
    struct simhba_req_desc *d = &X->Desc;
    PUCHAR va = Srb->DataBuffer;
    ULONG left = d->data_length, n = 0, len;
    SCSI_PHYSICAL_ADDRESS pa;

    while (left > 0 && n < DevExt->MaxSg) {
        pa = ScsiPortGetPhysicalAddress(DevExt, Srb, va, &len);
        if (len == 0)
            break;
        if (len > left)
            len = left;
        X->ExtSg[n].addr = (uint64_t)pa.QuadPart;
        X->ExtSg[n].length = len;
        X->ExtSg[n].reserved = 0;
        n++;
        va += len;
        left -= len;
    }
    if (n <= SIMHBA_INLINE_SG)
        memcpy(d->sg, X->ExtSg, n * sizeof d->sg[0]);
    else
        MpUseExtSg(DevExt, X, Srb);
    d->sg_count = n;
    return n;
}
/* LAB-END: scsiport-sg-list */

static ULONG
MpSetSgList(PMP_DEVICE_EXTENSION DevExt, PMP_SRB_EXTENSION X, PVOID Srb)
{
    struct simhba_req_desc *d = &X->Desc;
    PSTOR_SCATTER_GATHER_LIST sg;
    struct simhba_sg_elem *out = d->sg;

    if (d->data_length == 0)
        return 0;
    if (DevExt->Pio) {
        /* SCSI Port PIO: the data goes through PIO_DATA; no SG list. */
        d->flags |= SIMHBA_REQ_F_PIO;
        return 0;
    }
    if (!DevExt->Storport)
        return MpScsiPortSgList(DevExt, X, Srb);
    sg = StorPortGetScatterGatherList(DevExt, Srb);
    if (sg == NULL)
        return 0;
    if (sg->NumberOfElements > SIMHBA_INLINE_SG) {
        /* Too many for the descriptor: the list goes in the SRB
         * extension, which the device reads by DMA. */
        out = X->ExtSg;
        MpUseExtSg(DevExt, X, Srb);
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
    /* Storport's queue tag is unique per adapter; SCSI Port's is not
     * there for untagged requests, so StartIo chose a SIMHBA tag. */
    d->tag = DevExt->Storport ? SrbGetQueueTag(Srb) : X->HwTag;
    d->target = SrbGetTargetId(Srb);
    d->lun = SrbGetLun(Srb);
    d->direction = MpDirection(Srb);
    d->data_length = SrbGetDataTransferLength(Srb);
    MpSetCdb(d, Srb);
    if (DevExt->AutoSense && sense != NULL &&
        SrbGetSenseInfoBufferLength(Srb) > 0) {
        pa = MpGetPhysicalAddress(DevExt, Srb, sense, &len);
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

/* LAB: next-request */
/* SCSI Port: the port sends nothing more until we ask. Ask now if the
 * HBA has a free command slot, else when a completion frees one (the
 * ISR pays the debt). After a tagged request, NextLuRequest: the same LU
 * may then get another tagged request; an LU with an untagged request
 * active takes nothing more, so after one of those, NextRequest. */
void
MpAskForNextRequest(PMP_DEVICE_EXTENSION DevExt, PSCSI_REQUEST_BLOCK Srb)
{
    ULONG bugs = DevExt->Options.bugs;

    if ((bugs & MP_BUG_FORGET_NEXT_REQUEST) &&
        ++DevExt->BugCounter % DevExt->Options.bug_every == 0)
        return;                         /* BUG: the adapter stalls */
    if (DevExt->Active >= DevExt->QueueDepth) {
        DevExt->NextRequestOwed = TRUE;
        return;
    }
    if (Srb->QueueTag != SP_UNTAGGED || (bugs & MP_BUG_NEXT_LU_UNTAGGED))
        ScsiPortNotification(NextLuRequest, DevExt, Srb->PathId,
                             Srb->TargetId, Srb->Lun);
    else
        ScsiPortNotification(NextRequest, DevExt);
}
/* LAB-END: next-request */

/* SCSI Port: a free SIMHBA tag. There is one: StartIo is called only
 * after we asked, and we ask only while Active < QueueDepth. */
static ULONG
MpAllocateHwTag(PMP_DEVICE_EXTENSION DevExt)
{
    for (ULONG i = 0; i < DevExt->QueueDepth; i++) {
        ULONG tag = (DevExt->NextHwTag + i) % DevExt->QueueDepth;
        if (DevExt->Slots[tag] == NULL) {
            DevExt->NextHwTag = tag + 1;
            return tag;
        }
    }
    return 0;
}

/* Requests that need no command on the HBA. TRUE if handled. */
static BOOLEAN
MpStartSpecial(PMP_DEVICE_EXTENSION DevExt, PSCSI_REQUEST_BLOCK Srb)
{
    switch (SrbGetSrbFunction(Srb)) {
    case SRB_FUNCTION_EXECUTE_SCSI:
    case SRB_FUNCTION_FLUSH:
    case SRB_FUNCTION_SHUTDOWN:
        return FALSE;
    case SRB_FUNCTION_RESET_LOGICAL_UNIT:
    case SRB_FUNCTION_RESET_DEVICE:
    case SRB_FUNCTION_RESET_BUS:
        /* SIMHBA resets the whole bus; the outstanding commands come back
         * with a bus-reset status through the completion ring. */
        MpWrite(DevExt, SIMHBA_REG_BUS_RESET, SIMHBA_RESET_KEY);
        MpCompleteSrb(DevExt, Srb, SRB_STATUS_SUCCESS);
        return TRUE;
    default:
        /* SCSI Port (Storport's BuildIo filtered these): no private
         * IOCTLs, nothing else supported. */
        MpCompleteSrb(DevExt, Srb, SRB_STATUS_INVALID_REQUEST);
        return TRUE;
    }
}

/* Storport: HwStorStartIo's deliberate bugs, on every Nth SRB, right
 * after the SRB went to the HBA. */
static void
MpStartIoBugs(PMP_DEVICE_EXTENSION DevExt, PVOID Srb)
{
    ULONG bugs = DevExt->Options.bugs;
    STOR_LOCK_HANDLE h;

    /* On every SRB: it takes two CPUs at once to show. */
    if ((bugs & MP_BUG_STARTIO_DPC_ABBA) && DevExt->FullDuplex) {
        /* BUG: the port holds StartIoLock; taking DpcLock under it is
         * allowed, but the DPC takes StartIoLock under DpcLock. Both orders
         * keep "DPC or StartIo, then Interrupt", and together they deadlock. */
        StorPortAcquireSpinLock(DevExt, DpcLock, &DevExt->CompletionDpc, &h);
        sim_work(SIM_US(2), __FILE__, __LINE__);
        StorPortReleaseSpinLock(DevExt, &h);
    }
    if (!(bugs & (MP_BUG_LONG_STALL | MP_BUG_STARTIO_LOCK_IN_STARTIO |
                  MP_BUG_HALF_DUPLEX_LOCK | MP_BUG_COMPLETE_POSTED |
                  MP_BUG_BAD_REGISTER | MP_BUG_TOUCH_DATA_BUFFER |
                  MP_BUG_BAD_POINTER | MP_BUG_RAISE_NO_LOWER |
                  MP_BUG_RAISE_TO_LOWER)) ||
        ++DevExt->BugCounter % DevExt->Options.bug_every != 0)
        return;
    if (bugs & MP_BUG_LONG_STALL)
        StorPortStallExecution(200);    /* BUG: the limit is 100 us */
    if (bugs & MP_BUG_STARTIO_LOCK_IN_STARTIO) {
        /* BUG: the port holds StartIoLock for us; StartIo may not take it. */
        StorPortAcquireSpinLock(DevExt, StartIoLock, NULL, &h);
        StorPortReleaseSpinLock(DevExt, &h);
    }
    if ((bugs & MP_BUG_HALF_DUPLEX_LOCK) && !DevExt->FullDuplex) {
        /* BUG: half duplex: at DIRQL under the interrupt lock already. */
        StorPortAcquireSpinLock(DevExt, DpcLock, &DevExt->CompletionDpc, &h);
        StorPortReleaseSpinLock(DevExt, &h);
    }
    if (bugs & MP_BUG_BAD_REGISTER)
        (void)MpRead(DevExt, 0x10000);  /* BUG: SIMHBA maps only 4 KiB */
    if ((bugs & MP_BUG_TOUCH_DATA_BUFFER) && SrbGetDataTransferLength(Srb)) {
        /* BUG: Storport maps no read/write buffer for a DMA miniport. */
        volatile UCHAR *va = SrbGetDataBuffer(Srb);
        DevExt->BugSink = va[0];
    }
    if (bugs & MP_BUG_RAISE_NO_LOWER) {
        KIRQL old;
        KeRaiseIrql(DISPATCH_LEVEL + 1, &old);  /* BUG: never lowered */
    }
    if (bugs & MP_BUG_RAISE_TO_LOWER) {
        KIRQL old;
        KeRaiseIrql(PASSIVE_LEVEL, &old);       /* BUG: below DISPATCH */
    }
    if (bugs & MP_BUG_BAD_POINTER) {
        /* BUG: a field of a structure whose pointer was never set. */
        volatile ULONG *p =
            (volatile ULONG *)((ULONG_PTR)DevExt->BugNullPointer + 0x10);
        DevExt->BugSink = (UCHAR)*p;
    }
    if (bugs & MP_BUG_COMPLETE_POSTED)
        MpCompleteSrb(DevExt, Srb, SRB_STATUS_SUCCESS);  /* BUG: HBA owns it */
}

/* LAB: start-io */
BOOLEAN
MpHwStartIo(PVOID DeviceExtension, PSCSI_REQUEST_BLOCK Srb)
{
    PMP_DEVICE_EXTENSION DevExt = DeviceExtension;
    PMP_SRB_EXTENSION X = SrbGetMiniportContext(Srb);

    if (MpStartSpecial(DevExt, Srb)) {
        if (!DevExt->Storport)
            MpAskForNextRequest(DevExt, Srb);   /* SCSI Port */
        return TRUE;
    }
    if (!DevExt->Storport) {
        /* SCSI Port: no BuildIo ran; translate here, under the lock. */
        X->HwTag = MpAllocateHwTag(DevExt);
        X->Built = FALSE;
        DevExt->Active++;
    }
    if (!X->Built)
        MpTranslate(DevExt, Srb);
    if (DevExt->Storport && (DevExt->Options.bugs & MP_BUG_LOSE_SRB) &&
        ++DevExt->BugCounter % DevExt->Options.bug_every == 0)
        return TRUE;                    /* BUG: never posted, never completed */
    MpPost(DevExt, Srb);
    if (!DevExt->Storport)
        MpAskForNextRequest(DevExt, Srb);       /* SCSI Port */
    else if (DevExt->Options.bugs)
        MpStartIoBugs(DevExt, Srb);
    return TRUE;
}
/* LAB-END: start-io */
