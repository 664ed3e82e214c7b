/* rules.c: the verifier's rule table, with where each rule comes from and
 * a paragraph a student can read.
 *
 * Interface: vf_rules[] and vf_rule() for src/verifier.
 */
#include <string.h>

#include "verifier/vf_int.h"

#define WDK_LOCKS "WDK: StorPortAcquireSpinLock function (storport.h)"
#define SEED_BUILDIO "seed 002/000: Unsynchronized HwStorBuildIo Routine"

struct verifier_rule vf_rules[] = {
    { "irql-callback-return", "a callback returned at another IRQL than it "
      "was called at", "WDK: KeRaiseIrql / KeLowerIrql; IrqlKeRaiseLower rule",
      VERIFIER_BUGCHECK,
      "A miniport routine must give the processor back at the IRQL it got "
      "it at. Raising without lowering (or a spin lock taken and kept) leaves "
      "the port running at the wrong level.", true, 0 },
    { "irql-raise-lower", "KeRaiseIrql to a lower level, or KeLowerIrql to "
      "a higher one", "WDK: KeRaiseIrql function (wdm.h)", VERIFIER_BUGCHECK,
      "Raising may only raise and lowering only lower; Windows bug-checks "
      "with IRQL_NOT_GREATER_OR_EQUAL or IRQL_NOT_LESS_OR_EQUAL.", true, 0 },
    { "irql-activation-return", "a DPC, ISR or thread ended at the wrong "
      "IRQL", "WDK: Bug Check 0xC8 IRQL_UNEXPECTED_VALUE", VERIFIER_BUGCHECK,
      "A DPC must return at DISPATCH_LEVEL and an ISR at its DIRQL; a raised "
      "IRQL or a spin lock left behind is caught when it returns.", true, 0 },
    { "irql-pool", "pool allocated or freed above its IRQL",
      "WDK: StorPortAllocatePool; Bug Check 0xC4 parameters 0x01, 0x02",
      VERIFIER_BUGCHECK,
      "Non-paged pool may be allocated at DISPATCH_LEVEL or below, never at "
      "DIRQL (in the ISR, or in half-duplex StartIo).", true, 0 },
    { "lock-half-duplex-startio", "StorPortAcquireSpinLock in half-duplex "
      "HwStorStartIo", WDK_LOCKS, VERIFIER_BUGCHECK,
      "In half duplex the port calls HwStorStartIo at DIRQL holding the "
      "interrupt lock: the interrupt lock is already held, and the DPC lock "
      "would be taken against the order (DPC before Interrupt).", true, 0 },
    { "lock-double-acquire", "a spin lock acquired by the CPU that holds it",
      "WDK: Bug Check 0xF SPIN_LOCK_ALREADY_OWNED", VERIFIER_BUGCHECK,
      "Spin locks are not recursive: the CPU would spin on itself forever.",
      true, 0 },
    { "lock-release-not-held", "a spin lock released by a CPU that does not "
      "hold it", "WDK: Bug Check 0x10 SPIN_LOCK_NOT_OWNED", VERIFIER_BUGCHECK,
      "Only the holder may release a lock, once.", true, 0 },
    { "lock-release-irql", "a spin lock released at the wrong IRQL",
      "WDK: IrqlKeReleaseSpinLock rule", VERIFIER_BUGCHECK,
      "A lock must be released at the IRQL it holds; changing the IRQL while "
      "holding it, or releasing locks out of order, breaks that.", true, 0 },
    { "lock-held-at-return", "a callback returned holding a spin lock it "
      "took", WDK_LOCKS, VERIFIER_BUGCHECK,
      "Every StorPortAcquireSpinLock in a routine needs its "
      "StorPortReleaseSpinLock before the routine returns; otherwise the "
      "next CPU that wants the lock spins forever.", true, 0 },
    { "lock-not-allowed", "a callback took a lock its table forbids",
      WDK_LOCKS, VERIFIER_BUGCHECK,
      "HwStorFindAdapter, HwStorInitialize, HwStorInterrupt and passive "
      "initialisation may take no lock; HwStorStartIo may take DpcLock and "
      "InterruptLock; HwStorTimer and HwStorResetBus only InterruptLock, and "
      "not in half duplex.", true, 0 },
    { "lock-order", "spin locks taken against their order", WDK_LOCKS,
      VERIFIER_BUGCHECK,
      "Locks must be taken in the documented order, DPC or StartIo first, "
      "then Interrupt: two CPUs taking two locks in opposite orders "
      "deadlock.", true, 0 },
    { "lock-deadlock", "CPUs spinning on each other's locks",
      "WDK: StorPortAcquireSpinLock; Driver Verifier Deadlock Detection "
      "(0xC4/0x1001)", VERIFIER_BUGCHECK,
      "A cycle of CPUs, each spinning on a lock another holds: none can "
      "ever go on. The documented order leaves DpcLock and StartIoLock "
      "unordered, so a routine that takes one under the other must agree "
      "with every routine that takes both.", true, 0 },
    { "buildio-shared-write", "HwStorBuildIo wrote shared device-extension "
      "state", SEED_BUILDIO, VERIFIER_BUGCHECK,
      "HwStorBuildIo runs with no lock held, on several CPUs at once. It may "
      "change the SRB, its SRB extension and the parts of the device "
      "extension that belong to it alone; anything shared must wait for "
      "HwStorStartIo, which runs under the StartIo lock.", true, 0 },
    { "srb-completed-twice", "an SRB completed twice",
      "WDK: StorPortNotification RequestComplete", VERIFIER_BUGCHECK,
      "After RequestComplete the SRB belongs to the port again; completing "
      "it again completes someone else's request.", true, 0 },
    { "srb-bad-status", "an SRB completed with SRB_STATUS_PENDING",
      "WDK: SCSI_REQUEST_BLOCK SrbStatus", VERIFIER_BUGCHECK,
      "SRB_STATUS_PENDING means 'still running': a completed SRB needs its "
      "final status.", true, 0 },
    { "srb-unknown", "an SRB completed that the port never gave",
      "WDK: StorPortNotification RequestComplete", VERIFIER_BUGCHECK,
      "Only SRBs the port passed to the miniport may be completed.", true, 0 },
    { "srb-timeout", "an SRB not completed before its TimeOutValue",
      "WDK: SCSI_REQUEST_BLOCK TimeOutValue", VERIFIER_WARNING,
      "Each SRB must complete within TimeOutValue seconds. When the adapter "
      "still holds it, the device lost it and the port's bus reset is the "
      "recovery; when the adapter does not, the miniport lost it.", true, 0 },
    { "srb-completed-hw-owned", "an SRB completed while the adapter still "
      "works on it", "WDK: StorPortNotification RequestComplete",
      VERIFIER_BUGCHECK,
      "The miniport may complete an SRB only when the hardware is done with "
      "it (its completion arrived); otherwise the device may still DMA into "
      "a buffer that belongs to someone else.", true, 0 },
    { "buildio-false-no-complete", "HwStorBuildIo returned FALSE and nobody "
      "completed the SRB", "seed 001: HW_BUILDIO callback function",
      VERIFIER_WARNING,
      "FALSE tells the port not to call HwStorStartIo; the miniport must then "
      "complete the SRB itself (StorPortNotification RequestComplete) before "
      "its TimeOutValue.", true, 0 },
    { "scsiport-next-request", "SCSI Port: the miniport never asked for "
      "the next request", "seed 004: ScsiPortNotification NextRequest",
      VERIFIER_BUGCHECK,
      "SCSI Port hands the miniport one request at a time and starts the "
      "next only after ScsiPortNotification(NextRequest) (or NextLuRequest). "
      "A HwScsiStartIo that forgets it stalls the adapter: requests wait, "
      "nothing is active, nothing will start.", true, 0 },
    { "scsiport-next-lu-untagged", "SCSI Port: NextLuRequest while the LU "
      "has an untagged request active", "WDK: ScsiPortNotification "
      "(NextLuRequest)", VERIFIER_BUGCHECK,
      "NextLuRequest lets the port send another request to the same logical "
      "unit; a logical unit works on one untagged request at a time, so with "
      "one active the miniport must ask with NextRequest instead.", true, 0 },
    { "scsiport-enable-no-disable", "SCSI Port: CallEnableInterrupts "
      "without CallDisableInterrupts", "seed 003: Deferring interrupt-driven "
      "I/O from HwScsiInterrupt", VERIFIER_BUGCHECK,
      "While HwScsiEnableInterruptsCallback runs, the port keeps the "
      "adapter's ISR blocked; the callback must end the deferred work with "
      "ScsiPortNotification(CallDisableInterrupts), whose routine runs "
      "synchronized with the ISR and lets it in again.", true, 0 },
    { "srb-databuffer-unmapped", "Srb->DataBuffer of a read or write "
      "touched under Storport", "WDK: PORT_CONFIGURATION_INFORMATION "
      "(storport.h), MapBuffers", VERIFIER_BUGCHECK,
      "Storport maps a read or write SRB's data buffer only for a miniport "
      "that set MapBuffers to STOR_MAP_ALL_BUFFERS_INCLUDING_READ_WRITE. "
      "Otherwise DataBuffer is not a usable address: a DMA miniport uses "
      "StorPortGetScatterGatherList, a PIO one StorPortGetSystemAddress.",
      true, 0 },
    { "memory-fault", "a miniport routine touched memory it does not own",
      "WDK: Bug Check 0xD1 DRIVER_IRQL_NOT_LESS_OR_EQUAL; 0x50 "
      "PAGE_FAULT_IN_NONPAGED_AREA", VERIFIER_BUGCHECK,
      "A bad pointer in a driver stops Windows: 0xD1 at DISPATCH_LEVEL or "
      "above, 0x50 below. The report names the routine, the CPU, its IRQL "
      "and the address.", true, 0 },
    { "time-isr", "an ISR ran longer than 50 microseconds",
      "seed 003: Deferring interrupt-driven I/O from HwScsiInterrupt",
      VERIFIER_WARNING,
      "An interrupt routine that runs long keeps every lower interrupt (the "
      "mouse, the serial port) waiting: defer the work (CallEnableInterrupts, "
      "a DPC) or make the transfers smaller.", true, 0 },
    { "time-dpc", "a DPC ran longer than 100 microseconds",
      "WDK: DPC guidelines (Introduction to DPC objects)", VERIFIER_WARNING,
      "A DPC routine should not run longer than 100 microseconds: it holds "
      "its CPU at DISPATCH_LEVEL, away from every thread.", true, 0 },
    { "time-stall", "a stall longer than 100 microseconds",
      "WDK: StorPortStallExecution function", VERIFIER_WARNING,
      "StorPortStallExecution busy-waits; Microsoft limits it to 100 "
      "microseconds (use a timer for longer waits).", true, 0 },
    { "port-misuse", "a port-library routine misused",
      "WDK: the StorPort / ScsiPort routine's page", VERIFIER_BUGCHECK,
      "A routine called where it is not allowed, a register outside the "
      "mapped range, or a wrong HwDeviceExtension.", true, 0 },
    { "watchdog", "too long at DISPATCH_LEVEL or above",
      "WDK: Bug Check 0x133 DPC_WATCHDOG_VIOLATION", VERIFIER_BUGCHECK,
      "A routine at raised IRQL ran (or spun) far too long.", true, 0 },
    { "interrupt-storm", "a level-triggered interrupt nobody dismisses",
      "WDK: Bug Check 0xF2 HARDWARE_INTERRUPT_STORM", VERIFIER_BUGCHECK,
      "A level-triggered line stays asserted until the device is told to "
      "drop it. An ISR that returns FALSE (not mine) without reading and "
      "clearing its device's interrupt status is called again at once, "
      "forever.", true, 0 },
};

const size_t vf_nrules = sizeof vf_rules / sizeof vf_rules[0];

struct verifier_rule *
vf_rule(const char *id)
{
    for (size_t i = 0; i < vf_nrules; i++)
        if (strcmp(vf_rules[i].id, id) == 0)
            return &vf_rules[i];
    return NULL;
}
