/* pio.c: the SIMHBA miniport's PIO data phase under SCSI Port: what
 * HwScsiInterrupt does when the PIO channel is granted (PIO_READY), and
 * the HwScsiEnableInterruptsCallback / HwScsiDisableInterruptsCallback
 * pair that moves a long transfer with system interrupts enabled.
 *
 * Interface: MpPioInterrupt() for the ISR (intr.c); MpPioEnableCallback
 * and MpPioDisableCallback, which the port calls.
 *
 * Every ULONG through PIO_DATA costs the CPU the PIO time (500 ns by
 * default), so 4 KiB keeps it busy for about 512 us. Seed 003 ("Deferring
 * interrupt-driven I/O from HwScsiInterrupt"): an ISR must not poll for
 * more than 50 us. The three ways this miniport can go (mp_pio_strategy):
 *  - defer: disable the HBA's interrupts, save the context in the device
 *    extension, ScsiPortNotification(CallEnableInterrupts), return; the
 *    callback moves the data while other devices' interrupts get in;
 *  - cap: HwScsiFindAdapter limited MaximumTransferLength, so moving the
 *    data in the ISR stays short;
 *  - poll: move it all in the ISR at DIRQL (what the seed forbids; the
 *    mouse's interrupts wait meanwhile).
 */
#include <string.h>

#include "miniport/mp.h"

/* LAB: pio-transfer */
/* Move the saved transfer through PIO_DATA: whole ULONGs straight to or
 * from Srb->DataBuffer (SCSI Port maps it), then the last 1 to 3 bytes. */
static void
MpPioTransfer(PMP_DEVICE_EXTENSION DevExt)
{
    PSCSI_REQUEST_BLOCK Srb = DevExt->PioSrb;
    PULONG port = MpReg(DevExt, SIMHBA_REG_PIO_DATA);
    PUCHAR buf = Srb->DataBuffer;
    ULONG whole = DevExt->PioBytes / 4, tail = DevExt->PioBytes % 4;
    ULONG last = 0;

    if (DevExt->PioIn) {
        ScsiPortReadRegisterBufferUlong(port, (PULONG)buf, whole);
        if (tail != 0) {
            last = ScsiPortReadRegisterUlong(port);
            memcpy(buf + whole * 4, &last, tail);
        }
    } else {
        ScsiPortWriteRegisterBufferUlong(port, (PULONG)buf, whole);
        if (tail != 0) {
            memcpy(&last, buf + whole * 4, tail);
            ScsiPortWriteRegisterUlong(port, last);
        }
    }
    DevExt->PioSrb = NULL;
}
/* LAB-END: pio-transfer */

/* LAB: pio-interrupt */
/* PIO_READY: the channel is ours. Called from HwScsiInterrupt at DIRQL. */
void
MpPioInterrupt(PMP_DEVICE_EXTENSION DevExt)
{
    ULONG tag = MpRead(DevExt, SIMHBA_REG_PIO_TAG);
    ULONG status = MpRead(DevExt, SIMHBA_REG_PIO_STATUS);
    PSCSI_REQUEST_BLOCK Srb = DevExt->Slots[tag % MP_MAX_SLOTS];
    BOOLEAN poll;

    if (!(status & SIMHBA_PIO_ACTIVE))
        return;
    if (Srb == NULL) {                  /* not ours any more: end it */
        MpWrite(DevExt, SIMHBA_REG_PIO_CONTROL, SIMHBA_PIO_CTL_END);
        return;
    }
    DevExt->PioSrb = Srb;
    DevExt->PioBytes = SIMHBA_PIO_REMAINING(status);
    DevExt->PioIn = (status & SIMHBA_PIO_DIR_IN) != 0;
    poll = DevExt->Options.pio_strategy != MP_PIO_DEFER ||
           (DevExt->Options.bugs & MP_BUG_PIO_POLL_IN_ISR);
    if (poll) {
        MpPioTransfer(DevExt);          /* at DIRQL, the whole transfer */
        return;
    }
    /* Defer (seed 003): 1. disable the HBA's interrupts; 2. the context is
     * in the device extension; 3. ask for the callback; 4. return. */
    MpWrite(DevExt, SIMHBA_REG_INTR_MASK, 0);
    ScsiPortNotification(CallEnableInterrupts, DevExt, MpPioEnableCallback);
}
/* LAB-END: pio-interrupt */

/* Runs with system interrupts enabled, the HBA's ISR held off. */
BOOLEAN
MpPioEnableCallback(PVOID DeviceExtension)
{
    PMP_DEVICE_EXTENSION DevExt = DeviceExtension;

    if (DevExt->PioSrb != NULL)
        MpPioTransfer(DevExt);
    if ((DevExt->Options.bugs & MP_BUG_FORGET_DISABLE_INTERRUPTS) &&
        ++DevExt->BugCounter % DevExt->Options.bug_every == 0)
        return TRUE;                    /* BUG: the ISR stays blocked */
    ScsiPortNotification(CallDisableInterrupts, DevExt, MpPioDisableCallback);
    return TRUE;
}

/* Runs at DIRQL synchronized with the ISR: let the HBA interrupt again. */
BOOLEAN
MpPioDisableCallback(PVOID DeviceExtension)
{
    PMP_DEVICE_EXTENSION DevExt = DeviceExtension;

    MpWrite(DevExt, SIMHBA_REG_INTR_MASK, DevExt->IntrMask);
    return TRUE;
}
