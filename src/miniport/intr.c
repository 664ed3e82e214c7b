/* intr.c: the SIMHBA miniport's interrupt side. Storport: HwStorInterrupt
 * drains the completion ring into the Done queue and issues the
 * completion DPC; the DPC takes the Done queue under the interrupt lock
 * and completes SRBs. SCSI Port: there is no miniport DPC; HwScsiInterrupt
 * completes SRBs itself (the port finishes them in its own DPC) and
 * hands PIO transfers to pio.c.
 */
#include <string.h>

#include "miniport/mp.h"
#include "storsim/cpu.h"

#define MP_DPC_BATCH 32

/* SCSI Port: complete the SRB of one completion descriptor, here in the
 * ISR, and pay a NextRequest we owe now that an HBA slot is free. */
static void
MpCompleteInIsr(PMP_DEVICE_EXTENSION DevExt, const struct simhba_cmpl_desc *c)
{
    PVOID Srb = DevExt->Slots[c->tag % MP_MAX_SLOTS];

    if (Srb == NULL)
        return;                         /* a stale completion after a reset */
    DevExt->Slots[c->tag % MP_MAX_SLOTS] = NULL;
    DevExt->Active--;
    MpFinish(DevExt, Srb, c);
    if ((DevExt->Options.bugs & MP_BUG_COMPLETE_TWICE) &&
        ++DevExt->BugCounter % DevExt->Options.bug_every == 0)
        ScsiPortNotification(RequestComplete, DevExt, Srb);   /* BUG */
    if (DevExt->NextRequestOwed) {
        DevExt->NextRequestOwed = FALSE;
        ScsiPortNotification(NextRequest, DevExt);
    }
}

static void
MpDrainCompletions(PMP_DEVICE_EXTENSION DevExt)
{
    ULONG prod = MpRead(DevExt, SIMHBA_REG_CMPL_PROD);

    while (DevExt->CmplCons != prod) {
        const struct simhba_cmpl_desc *c =
            &DevExt->CmplRing[DevExt->CmplCons & (DevExt->CmplSize - 1)];
        if (DevExt->Storport) {
            MP_DONE *done = &DevExt->Done[DevExt->DoneTail % MP_MAX_SLOTS];
            if ((DevExt->Options.bugs & MP_BUG_POOL_IN_ISR) &&
                ++DevExt->BugCounter % DevExt->Options.bug_every == 0) {
                PVOID p = NULL;
                /* BUG: pool at DIRQL; only DISPATCH_LEVEL or below. */
                StorPortAllocatePool(DevExt, sizeof *done, MP_TAG_POOL, &p);
                if (p != NULL)
                    StorPortFreePool(DevExt, p);
            }
            done->Cmpl = *c;
            done->Tag = c->tag;
            DevExt->DoneTail++;
        } else {
            MpCompleteInIsr(DevExt, c);   /* SCSI Port: no miniport DPC */
        }
        DevExt->CmplCons++;
    }
    MpWrite(DevExt, SIMHBA_REG_CMPL_CONS, DevExt->CmplCons);
    if (DevExt->Storport)
        StorPortIssueDpc(DevExt, &DevExt->CompletionDpc, NULL, NULL);
}

/* LAB: interrupt */
BOOLEAN
MpHwInterrupt(PVOID DeviceExtension)
{
    PMP_DEVICE_EXTENSION DevExt = DeviceExtension;
    ULONG status;

    if (DevExt->Options.bugs & MP_BUG_ISR_NEVER_CLAIMS)
        return FALSE;       /* BUG: the line stays asserted: a storm */
    status = MpRead(DevExt, SIMHBA_REG_INTR_STATUS);
    if (status == 0)
        return FALSE;                   /* not ours (a shared line) */
    MpWrite(DevExt, SIMHBA_REG_INTR_STATUS, status);   /* write 1 to clear */
    if (status & SIMHBA_INTR_CMPL)
        MpDrainCompletions(DevExt);
    if (status & SIMHBA_INTR_BUS_RESET) {
        if (DevExt->Storport)
            StorPortNotification(ResetDetected, DevExt);
        else
            ScsiPortNotification(ResetDetected, DevExt);
    }
    if ((status & SIMHBA_INTR_PIO_READY) && DevExt->Pio)
        MpPioInterrupt(DevExt);         /* SCSI Port PIO: pio.c */
    return TRUE;
}
/* LAB-END: interrupt */

static void
MpSetSenseLength(PVOID Srb, UCHAR Length)
{
    if (((PSCSI_REQUEST_BLOCK)Srb)->Function == SRB_FUNCTION_STORAGE_REQUEST_BLOCK)
        SrbSetScsiData(Srb, NULL, NULL, NULL, NULL, &Length);
    else
        ((PSCSI_REQUEST_BLOCK)Srb)->SenseInfoBufferLength = Length;
}

/* Turn one completion descriptor into the SRB's status and lengths. */
void
MpFinish(PMP_DEVICE_EXTENSION DevExt, PVOID Srb,
         const struct simhba_cmpl_desc *c)
{
    UCHAR status = c->status;
    UCHAR scsi = c->scsi_status;

    /* The residual counts only when the data phase ran; a BUSY or failed
     * command keeps its length, so that a retry asks for all of it. */
    if (status == SRB_STATUS_SUCCESS && c->residual != 0 &&
        c->residual <= SrbGetDataTransferLength(Srb)) {
        SrbSetDataTransferLength(Srb, SrbGetDataTransferLength(Srb) - c->residual);
        status = SRB_STATUS_DATA_OVERRUN;   /* Windows' name for underrun too */
    }
    SrbSetScsiStatus(Srb, scsi);
    if (status == SRB_STATUS_ERROR &&
        (scsi == SCSISTAT_BUSY || scsi == SCSISTAT_QUEUE_FULL)) {
        /* The target is busy: SRB_STATUS_BUSY makes the port send the
         * request again later instead of failing it. */
        status = SRB_STATUS_BUSY;
    }
    if (c->flags & SIMHBA_CMPL_F_SENSE) {
        status |= SRB_STATUS_AUTOSENSE_VALID;
        MpSetSenseLength(Srb, c->sense_length);
    }
    MpCompleteSrb(DevExt, Srb, status);
}

static ULONG
MpTakeDone(PMP_DEVICE_EXTENSION DevExt, PSTOR_DPC Dpc, MP_DONE *batch)
{
    STOR_LOCK_HANDLE intr, dpc;
    ULONG n = 0;

    if (DevExt->Options.bugs & MP_BUG_LOCK_ORDER) {
        /* BUG: InterruptLock first, then the DPC lock: against the order
         * "DPC or StartIo", then Interrupt. */
        StorPortAcquireSpinLock(DevExt, InterruptLock, NULL, &intr);
        StorPortAcquireSpinLock(DevExt, DpcLock, Dpc, &dpc);
        StorPortReleaseSpinLock(DevExt, &dpc);
    } else {
        StorPortAcquireSpinLock(DevExt, InterruptLock, NULL, &intr);
    }
    while (DevExt->DoneHead != DevExt->DoneTail && n < MP_DPC_BATCH)
        batch[n++] = DevExt->Done[DevExt->DoneHead++ % MP_MAX_SLOTS];
    StorPortReleaseSpinLock(DevExt, &intr);
    return n;
}

/* The DPC's deliberate bugs, on every Nth SRB it completes. */
static void
MpDpcBugs(PMP_DEVICE_EXTENSION DevExt, PSTOR_DPC Dpc)
{
    ULONG bugs = DevExt->Options.bugs;
    STOR_LOCK_HANDLE h, again;
    SCSI_REQUEST_BLOCK mine;

    /* On every SRB: it takes two CPUs at once to show. */
    if (bugs & MP_BUG_STARTIO_DPC_ABBA) {
        /* Allowed on its own (a DPC may take StartIoLock), but StartIo takes
         * the two the other way round: see MpStartIoBugs. */
        StorPortAcquireSpinLock(DevExt, DpcLock, Dpc, &h);
        sim_work(SIM_US(2), __FILE__, __LINE__);
        StorPortAcquireSpinLock(DevExt, StartIoLock, NULL, &again);
        StorPortReleaseSpinLock(DevExt, &again);
        StorPortReleaseSpinLock(DevExt, &h);
    }
    if (!(bugs & (MP_BUG_DPC_LOCK_TWICE | MP_BUG_DPC_KEEPS_LOCK |
                  MP_BUG_SLOW_DPC | MP_BUG_DPC_RELEASE_TWICE |
                  MP_BUG_COMPLETE_UNKNOWN | MP_BUG_RELEASE_OUT_OF_ORDER |
                  MP_BUG_DPC_SPINS | MP_BUG_DPC_RAISE_NO_LOWER)) ||
        ++DevExt->BugCounter % DevExt->Options.bug_every != 0)
        return;
    if (bugs & MP_BUG_DPC_LOCK_TWICE) {
        StorPortAcquireSpinLock(DevExt, DpcLock, Dpc, &h);
        /* BUG: spin locks are not recursive: this CPU spins on itself. */
        StorPortAcquireSpinLock(DevExt, DpcLock, Dpc, &again);
        StorPortReleaseSpinLock(DevExt, &again);
        StorPortReleaseSpinLock(DevExt, &h);
    }
    if (bugs & MP_BUG_DPC_KEEPS_LOCK)
        StorPortAcquireSpinLock(DevExt, DpcLock, Dpc, &h);   /* BUG: kept */
    if (bugs & MP_BUG_SLOW_DPC)
        sim_work(SIM_US(150), __FILE__, __LINE__);   /* BUG: > 100 us */
    if (bugs & MP_BUG_DPC_RELEASE_TWICE) {
        StorPortAcquireSpinLock(DevExt, DpcLock, Dpc, &h);
        StorPortReleaseSpinLock(DevExt, &h);
        StorPortReleaseSpinLock(DevExt, &h);    /* BUG: no longer held */
    }
    if (bugs & MP_BUG_COMPLETE_UNKNOWN) {
        memset(&mine, 0, sizeof mine);
        mine.Length = sizeof mine;
        /* BUG: only SRBs the port gave us may be completed. */
        MpCompleteSrb(DevExt, &mine, SRB_STATUS_SUCCESS);
    }
    if (bugs & MP_BUG_RELEASE_OUT_OF_ORDER) {
        StorPortAcquireSpinLock(DevExt, DpcLock, Dpc, &h);
        StorPortAcquireSpinLock(DevExt, InterruptLock, NULL, &again);
        /* BUG: DpcLock first, still at DIRQL: release in reverse order. */
        StorPortReleaseSpinLock(DevExt, &h);
        StorPortReleaseSpinLock(DevExt, &again);
    }
    if (bugs & MP_BUG_DPC_SPINS)
        sim_work(SIM_MS(150), __FILE__, __LINE__);   /* BUG: a 150 ms spin */
    if (bugs & MP_BUG_DPC_RAISE_NO_LOWER) {
        KIRQL old;
        KeRaiseIrql(DISPATCH_LEVEL + 1, &old);  /* BUG: never lowered */
    }
}

/* LAB: completion-dpc */
VOID
MpHwCompletionDpc(PSTOR_DPC Dpc, PVOID HwDeviceExtension, PVOID SystemArgument1,
                  PVOID SystemArgument2)
{
    PMP_DEVICE_EXTENSION DevExt = HwDeviceExtension;
    MP_DONE batch[MP_DPC_BATCH];
    ULONG n;

    (void)SystemArgument1; (void)SystemArgument2;
    while ((n = MpTakeDone(DevExt, Dpc, batch)) > 0) {
        for (ULONG i = 0; i < n; i++) {
            PVOID Srb = DevExt->Slots[batch[i].Tag % MP_MAX_SLOTS];
            if (Srb == NULL)
                continue;               /* a stale completion after a reset */
            DevExt->Slots[batch[i].Tag % MP_MAX_SLOTS] = NULL;
            if ((DevExt->Options.bugs & MP_BUG_COMPLETE_PENDING) &&
                ++DevExt->BugCounter % DevExt->Options.bug_every == 0) {
                /* BUG: PENDING is not a final status. */
                MpCompleteSrb(DevExt, Srb, SRB_STATUS_PENDING);
                continue;
            }
            MpFinish(DevExt, Srb, &batch[i].Cmpl);
            if ((DevExt->Options.bugs & MP_BUG_COMPLETE_TWICE) &&
                ++DevExt->BugCounter % DevExt->Options.bug_every == 0)
                StorPortNotification(RequestComplete, DevExt, Srb);  /* BUG */
            MpDpcBugs(DevExt, Dpc);
        }
    }
}
/* LAB-END: completion-dpc */
