/* mp.h: the SIMHBA miniport's private definitions: its device extension,
 * its SRB extension, and the routines it declares by role type.
 *
 * One miniport serves both port drivers; where the models differ the code
 * says so in a branch marked "Storport:" or "SCSI Port:".
 *
 * Locking of the device extension (Storport):
 *  - set once in HwFindAdapter, read-only afterwards: Regs, rings, sizes,
 *    Options, FullDuplex;
 *  - StartIo side (HwStorStartIo, under StartIoLock): ReqProd, ReqPending;
 *  - ISR side (HwStorInterrupt, under InterruptLock): CmplCons, and the
 *    Done queue, which the DPC empties holding InterruptLock;
 *  - Slots[tag]: written by StartIo for its own tag, cleared by the DPC for
 *    a completed tag; the port never reuses a tag before completion, so
 *    the two never touch the same entry at once;
 *  - HwStorBuildIo holds no lock: it may change only the SRB and its SRB
 *    extension (the seeds: "the miniport driver should access no data
 *    other than that in the SRB and the SRB extension").
 *
 * Locking of the device extension (SCSI Port): HwScsiStartIo, HwScsiInterrupt,
 * HwScsiTimer, HwScsiResetBus and the disable-interrupts callback all run
 * at DIRQL holding the interrupt spin lock, so they never overlap: the
 * StartIo side and the ISR side share Active, NextRequestOwed, Slots and
 * the PIO context without a lock of their own. The enable-interrupts
 * callback runs without that lock, but the port runs none of the others
 * meanwhile (and the ISR is held off), so it owns the PIO context.
 */
#ifndef STORSIM_MP_H
#define STORSIM_MP_H

#include <storport.h>

#include "storsim/miniport_sim.h"
#include "storsim/simhba_regs.h"

#define MP_TAG_POOL 0x4D50484Du      /* 'MPHM' */
#define MP_MAX_SLOTS 256     /* tags; the miniport caps QueueDepth at this */
#define MP_MAX_SG 256

/* Per request: the SIMHBA descriptor built for it, and room for an
 * external SG list when it has more elements than fit inline. */
typedef struct _MP_SRB_EXTENSION {
    struct simhba_req_desc Desc;
    struct simhba_sg_elem ExtSg[MP_MAX_SG];
    BOOLEAN Built;              /* Desc is ready to post (Storport) */
    ULONG HwTag;                /* SCSI Port: the SIMHBA tag it was posted with */
} MP_SRB_EXTENSION, *PMP_SRB_EXTENSION;

/* What DriverEntry passes as HwContext, so that HwFindAdapter knows which
 * port driver loaded it (a NULL HwContext means Storport). */
typedef struct _MP_PORT_CONTEXT {
    BOOLEAN Storport;
} MP_PORT_CONTEXT, *PMP_PORT_CONTEXT;

typedef struct _MP_DONE {
    ULONG Tag;
    struct simhba_cmpl_desc Cmpl;
} MP_DONE;

typedef struct _MP_DEVICE_EXTENSION {
    /* Set in HwFindAdapter, read-only afterwards. */
    PUCHAR Regs;
    struct simhba_req_desc *ReqRing;
    struct simhba_cmpl_desc *CmplRing;
    ULONG QueueDepth;
    ULONG MaxSg;
    ULONG CmplSize;
    BOOLEAN FullDuplex;
    BOOLEAN Storport;           /* FALSE: SCSI Port */
    BOOLEAN Pio;                /* SCSI Port: data through PIO_DATA */
    BOOLEAN AutoSense;          /* the HBA returns sense data itself */
    ULONG IntrMask;             /* INTR_MASK while interrupts are enabled */
    struct mp_options Options;

    /* StartIo side. */
    ULONG ReqProd;

    /* ISR side; Done is shared with the DPC under InterruptLock. */
    ULONG CmplCons;
    MP_DONE Done[MP_MAX_SLOTS];
    ULONG DoneHead, DoneTail;

    /* One entry per tag. */
    PVOID Slots[MP_MAX_SLOTS];

    STOR_DPC CompletionDpc;

    /* SCSI Port (all under the interrupt lock, see above). */
    ULONG Active;               /* posted and not yet completed */
    BOOLEAN NextRequestOwed;    /* NextRequest waits for a free HBA slot */
    ULONG NextHwTag;            /* where the search for a free tag starts */
    PSCSI_REQUEST_BLOCK PioSrb; /* the PIO transfer to move */
    ULONG PioBytes;
    BOOLEAN PioIn;

    /* Only the deliberate MP_BUG_BUILDIO_WRITES_SHARED bug writes this
     * from HwStorBuildIo; nothing else may. */
    ULONG SharedBuildIoCount;
    UCHAR BugSink;              /* where the memory bugs' reads go */
    PVOID BugNullPointer;       /* never set: the bad-pointer bug */
    ULONG BugCounter;           /* StartIo side: picks every Nth SRB */
} MP_DEVICE_EXTENSION, *PMP_DEVICE_EXTENSION;

/* Role-type declarations, the WDK way. */
HW_FIND_ADAPTER MpHwFindAdapter;
HW_INITIALIZE MpHwInitialize;
HW_BUILDIO MpHwBuildIo;
HW_STARTIO MpHwStartIo;
HW_INTERRUPT MpHwInterrupt;
HW_RESET_BUS MpHwResetBus;
HW_ADAPTER_CONTROL MpHwAdapterControl;
HW_PASSIVE_INITIALIZE_ROUTINE MpHwPassiveInitialize;
HW_DPC_ROUTINE MpHwCompletionDpc;
/* SCSI Port: HwScsiEnableInterruptsCallback, HwScsiDisableInterruptsCallback */
HW_INTERRUPT MpPioEnableCallback;
HW_INTERRUPT MpPioDisableCallback;

/* mp_verify.c (simulation only): the extension's layout for the verifier. */
void MpDeclareExtensionLayout(PMP_DEVICE_EXTENSION DevExt);

/* io.c */
BOOLEAN MpTranslate(PMP_DEVICE_EXTENSION DevExt, PVOID Srb);
void MpCompleteSrb(PMP_DEVICE_EXTENSION DevExt, PVOID Srb, UCHAR SrbStatus);
void MpAskForNextRequest(PMP_DEVICE_EXTENSION DevExt, PSCSI_REQUEST_BLOCK Srb);

/* intr.c */
void MpFinish(PMP_DEVICE_EXTENSION DevExt, PVOID Srb,
              const struct simhba_cmpl_desc *c);

/* pio.c (SCSI Port) */
void MpPioInterrupt(PMP_DEVICE_EXTENSION DevExt);

/* Register access through the library of whichever port driver loaded
 * us: Storport's accessors take the device extension, SCSI Port's only
 * the register address. Macros rather than functions so that the trace
 * shows the line of the caller. */
#define MpReg(DevExt, Offset) ((PULONG)((DevExt)->Regs + (Offset)))
#define MpRead(DevExt, Offset) \
    ((DevExt)->Storport \
         ? StorPortReadRegisterUlong((DevExt), MpReg(DevExt, Offset)) \
         : ScsiPortReadRegisterUlong(MpReg(DevExt, Offset)))
#define MpWrite(DevExt, Offset, Value) \
    ((DevExt)->Storport \
         ? StorPortWriteRegisterUlong((DevExt), MpReg(DevExt, Offset), (Value)) \
         : ScsiPortWriteRegisterUlong(MpReg(DevExt, Offset), (Value)))
#define MpGetPhysicalAddress(DevExt, Srb, Va, Length) \
    ((DevExt)->Storport \
         ? StorPortGetPhysicalAddress((DevExt), (Srb), (Va), (Length)) \
         : ScsiPortGetPhysicalAddress((DevExt), (Srb), (Va), (Length)))

#endif /* STORSIM_MP_H */
