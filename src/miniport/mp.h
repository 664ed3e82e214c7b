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
 */
#ifndef STORSIM_MP_H
#define STORSIM_MP_H

#include <storport.h>

#include "storsim/miniport_sim.h"
#include "storsim/simhba_regs.h"

#define MP_TAG_POOL 0x4D50484Du      /* 'MPHM' */
#define MP_MAX_SLOTS 1024
#define MP_MAX_SG 256

/* Per request: the SIMHBA descriptor built for it, and room for an
 * external SG list when it has more elements than fit inline. */
typedef struct _MP_SRB_EXTENSION {
    struct simhba_req_desc Desc;
    struct simhba_sg_elem ExtSg[MP_MAX_SG];
    BOOLEAN Built;              /* Desc is ready to post */
} MP_SRB_EXTENSION, *PMP_SRB_EXTENSION;

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
    BOOLEAN Storport;
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

    /* Only the deliberate MP_BUG_BUILDIO_WRITES_SHARED bug writes this
     * from HwStorBuildIo; nothing else may. */
    ULONG SharedBuildIoCount;
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

/* io.c */
BOOLEAN MpTranslate(PMP_DEVICE_EXTENSION DevExt, PVOID Srb);
void MpCompleteSrb(PMP_DEVICE_EXTENSION DevExt, PVOID Srb, UCHAR SrbStatus);

/* Register access through the port library. Macros rather than
 * functions so that the trace shows the line of the caller. */
#define MpRead(DevExt, Offset) \
    StorPortReadRegisterUlong((DevExt), (PULONG)((DevExt)->Regs + (Offset)))
#define MpWrite(DevExt, Offset, Value) \
    StorPortWriteRegisterUlong((DevExt), (PULONG)((DevExt)->Regs + (Offset)), \
                               (Value))

#endif /* STORSIM_MP_H */
