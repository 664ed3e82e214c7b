/* entrypts.c: the SIMHBA miniport's entry points called at load and
 * initialisation: DriverEntry, HwFindAdapter, HwInitialize, passive
 * initialisation, HwResetBus and HwAdapterControl.
 *
 * Interface: mp_driver_entry() (the DriverEntry a port driver calls) and
 * the options of include/storsim/miniport_sim.h.
 */
#include <string.h>

#include "miniport/mp.h"
#include "storsim/port.h"

static struct mp_options options = {
    .work_in = MP_WORK_IN_BUILDIO, .full_duplex = true,
    .cost_per_srb = 2000, .cost_per_sg = 100, .srb_ex = true,
    .bug_every = 100, .pio_strategy = MP_PIO_DEFER, .pio_cap = 512,
    .tagged_queuing = true, .auto_request_sense = true,
};

/* HwContext for each port driver (see MP_PORT_CONTEXT). */
static MP_PORT_CONTEXT MpStorportContext = { .Storport = TRUE };
static MP_PORT_CONTEXT MpScsiPortContext = { .Storport = FALSE };

void
mp_options_default(struct mp_options *o)
{
    memset(o, 0, sizeof *o);
    o->work_in = MP_WORK_IN_BUILDIO;
    o->full_duplex = true;
    o->cost_per_srb = 2000;
    o->cost_per_sg = 100;
    o->srb_ex = true;
    o->bug_every = 100;
    o->pio_strategy = MP_PIO_DEFER;
    o->pio_cap = 512;
    o->tagged_queuing = true;
    o->auto_request_sense = true;
}

const char *
mp_pio_strategy_name(enum mp_pio_strategy s)
{
    switch (s) {
    case MP_PIO_DEFER: return "defer";
    case MP_PIO_POLL: return "poll";
    case MP_PIO_CAP: return "cap";
    default: return "?";
    }
}

void
mp_set_options(const struct mp_options *o)
{
    options = *o;
    if (options.bug_every == 0)
        options.bug_every = 100;
    if (options.pio_cap == 0)
        options.pio_cap = 512;
}

const struct mp_options *
mp_get_options(void)
{
    return &options;
}

void
mp_set_bugs(void *DeviceExtension, uint32_t bugs, uint32_t every)
{
    PMP_DEVICE_EXTENSION DevExt = DeviceExtension;

    DevExt->Options.bugs = bugs;
    if (every != 0)
        DevExt->Options.bug_every = every;
}

uint32_t
mp_driver_entry(void *DriverObject, void *RegistryPath)
{
    HW_INITIALIZATION_DATA init;

    memset(&init, 0, sizeof init);
    init.HwInitializationDataSize = sizeof init;
    init.AdapterInterfaceType = PCIBus;
    init.HwInitialize = MpHwInitialize;
    init.HwStartIo = MpHwStartIo;
    init.HwInterrupt = MpHwInterrupt;
    init.HwFindAdapter = MpHwFindAdapter;
    init.HwResetBus = MpHwResetBus;
    init.HwAdapterControl = MpHwAdapterControl;
    init.DeviceExtensionSize = sizeof(MP_DEVICE_EXTENSION);
    init.SrbExtensionSize = sizeof(MP_SRB_EXTENSION);
    init.NumberOfAccessRanges = 1;
    init.NeedPhysicalAddresses = TRUE;
    init.TaggedQueuing = TRUE;
    init.AutoRequestSense = TRUE;
    init.MultipleRequestPerLu = TRUE;
    if (port_driver_model(DriverObject) == PORT_MODEL_STORPORT) {
        /* Storport: HwStorBuildIo, unmapped read/write buffers, and
         * extended SRBs if the options say so. */
        init.HwBuildIo = MpHwBuildIo;
        init.MapBuffers = STOR_MAP_NON_READ_WRITE_BUFFERS;
        init.SrbTypeFlags = SRB_TYPE_FLAG_SCSI_REQUEST_BLOCK |
                            (options.srb_ex ? SRB_TYPE_FLAG_STORAGE_REQUEST_BLOCK
                                            : 0);
        return StorPortInitialize(DriverObject, RegistryPath, &init,
                                  &MpStorportContext);
    }
    /* SCSI Port: no HwBuildIo; every buffer mapped (PIO reads and writes
     * Srb->DataBuffer itself); tagged queuing and autosense as the
     * options say (Storport requires both). */
    init.MapBuffers = TRUE;
    init.TaggedQueuing = options.tagged_queuing;
    init.AutoRequestSense = options.auto_request_sense;
    init.MultipleRequestPerLu = options.tagged_queuing;
    return ScsiPortInitialize(DriverObject, RegistryPath, &init,
                              &MpScsiPortContext);
}

/* Allocate both rings in one uncached extension, 64-byte aligned. */
static BOOLEAN
MpAllocateRings(PMP_DEVICE_EXTENSION DevExt,
                PPORT_CONFIGURATION_INFORMATION ConfigInfo)
{
    ULONG reqBytes = DevExt->QueueDepth * sizeof(struct simhba_req_desc);
    ULONG cmplBytes = DevExt->CmplSize * sizeof(struct simhba_cmpl_desc);
    ULONG bytes = reqBytes + cmplBytes + 64;
    PUCHAR mem = DevExt->Storport
                     ? StorPortGetUncachedExtension(DevExt, ConfigInfo, bytes)
                     : ScsiPortGetUncachedExtension(DevExt, ConfigInfo, bytes);

    if (mem == NULL)
        return FALSE;
    DevExt->ReqRing = (struct simhba_req_desc *)mem;
    DevExt->CmplRing = (struct simhba_cmpl_desc *)(mem + reqBytes);
    return TRUE;
}

/* Map the register range through the library of our port driver. */
static PUCHAR
MpMapRegisters(PMP_DEVICE_EXTENSION DevExt,
               PPORT_CONFIGURATION_INFORMATION ConfigInfo)
{
    ACCESS_RANGE *range = &(*ConfigInfo->AccessRanges)[0];

    if (DevExt->Storport)
        return StorPortGetDeviceBase(DevExt, ConfigInfo->AdapterInterfaceType,
                                     ConfigInfo->SystemIoBusNumber,
                                     range->RangeStart, range->RangeLength,
                                     !range->RangeInMemory);
    return ScsiPortGetDeviceBase(DevExt, ConfigInfo->AdapterInterfaceType,
                                 ConfigInfo->SystemIoBusNumber,
                                 range->RangeStart, range->RangeLength,
                                 !range->RangeInMemory);
}

/* Storport: queue depths and the synchronization model. */
static void
MpConfigureStorport(PMP_DEVICE_EXTENSION DevExt,
                    PPORT_CONFIGURATION_INFORMATION ConfigInfo)
{
    ConfigInfo->MaxNumberOfIO = DevExt->QueueDepth;
    ConfigInfo->MaxIOsPerLun = DevExt->QueueDepth;
    ConfigInfo->InitialLunQueueDepth = DevExt->QueueDepth;
    DevExt->FullDuplex = DevExt->Options.full_duplex;
    ConfigInfo->SynchronizationModel = DevExt->Options.full_duplex
                                           ? StorSynchronizeFullDuplex
                                           : StorSynchronizeHalfDuplex;
}

/* Read the HBA's limits, allocate the rings and fill in ConfigInfo. */
static ULONG
MpConfigure(PMP_DEVICE_EXTENSION DevExt,
            PPORT_CONFIGURATION_INFORMATION ConfigInfo)
{
    ULONG caps = MpRead(DevExt, SIMHBA_REG_CAPS);
    ULONG maxXfer = MpRead(DevExt, SIMHBA_REG_MAX_XFER);

    DevExt->QueueDepth = SIMHBA_CAPS_QUEUE_DEPTH(caps);
    if (DevExt->QueueDepth > MP_MAX_SLOTS)
        DevExt->QueueDepth = MP_MAX_SLOTS;
    DevExt->MaxSg = SIMHBA_CAPS_MAX_SG(caps);
    if (DevExt->MaxSg > MP_MAX_SG)
        DevExt->MaxSg = MP_MAX_SG;
    DevExt->CmplSize = DevExt->QueueDepth * 2;
    if (!MpAllocateRings(DevExt, ConfigInfo))
        return SP_RETURN_ERROR;
    if (options.max_transfer != 0 && options.max_transfer < maxXfer)
        maxXfer = options.max_transfer;
    if (DevExt->Pio && options.pio_strategy == MP_PIO_CAP &&
        options.pio_cap < maxXfer) {
        /* SCSI Port, seed 003: an ISR that moves the data itself must keep
         * each interrupt-driven transfer short: cap what we accept. */
        maxXfer = options.pio_cap;
    }
    ConfigInfo->MaximumTransferLength = maxXfer;
    ConfigInfo->NumberOfPhysicalBreaks = DevExt->MaxSg - 1;
    ConfigInfo->CachesData = options.caches_data;
    ConfigInfo->ScatterGather = TRUE;
    ConfigInfo->Master = TRUE;
    if (DevExt->Storport)
        MpConfigureStorport(DevExt, ConfigInfo);
    return SP_RETURN_FOUND;
}

ULONG
MpHwFindAdapter(PVOID DeviceExtension, PVOID HwContext, PVOID BusInformation,
                PCHAR ArgumentString,
                PPORT_CONFIGURATION_INFORMATION ConfigInfo, PBOOLEAN Again)
{
    PMP_DEVICE_EXTENSION DevExt = DeviceExtension;
    PMP_PORT_CONTEXT port = HwContext;

    (void)BusInformation; (void)ArgumentString;
    *Again = FALSE;
    DevExt->Options = options;
    MpDeclareExtensionLayout(DevExt);   /* simulation only: for the verifier */
    DevExt->Storport = port == NULL || port->Storport;
    DevExt->Pio = !DevExt->Storport && options.pio;
    DevExt->AutoSense = DevExt->Storport || options.auto_request_sense;
    DevExt->Regs = MpMapRegisters(DevExt, ConfigInfo);
    if (DevExt->Regs == NULL || MpRead(DevExt, SIMHBA_REG_ID) != SIMHBA_ID_VALUE)
        return SP_RETURN_NOT_FOUND;
    return MpConfigure(DevExt, ConfigInfo);
}

/* Called at DIRQL holding the interrupt lock: program the rings, unmask
 * the interrupts we handle, enable the adapter. */
BOOLEAN
MpHwInitialize(PVOID DeviceExtension)
{
    PMP_DEVICE_EXTENSION DevExt = DeviceExtension;
    STOR_PHYSICAL_ADDRESS pa;
    ULONG len;

    pa = MpGetPhysicalAddress(DevExt, NULL, DevExt->ReqRing, &len);
    MpWrite(DevExt, SIMHBA_REG_REQ_BASE_LO, pa.LowPart);
    MpWrite(DevExt, SIMHBA_REG_REQ_BASE_HI, (ULONG)pa.HighPart);
    MpWrite(DevExt, SIMHBA_REG_REQ_SIZE, DevExt->QueueDepth);
    pa = MpGetPhysicalAddress(DevExt, NULL, DevExt->CmplRing, &len);
    MpWrite(DevExt, SIMHBA_REG_CMPL_BASE_LO, pa.LowPart);
    MpWrite(DevExt, SIMHBA_REG_CMPL_BASE_HI, (ULONG)pa.HighPart);
    MpWrite(DevExt, SIMHBA_REG_CMPL_SIZE, DevExt->CmplSize);
    DevExt->IntrMask = SIMHBA_INTR_CMPL | SIMHBA_INTR_BUS_RESET |
                       SIMHBA_INTR_ERROR;
    if (DevExt->Pio)
        DevExt->IntrMask |= SIMHBA_INTR_PIO_READY;   /* SCSI Port PIO */
    MpWrite(DevExt, SIMHBA_REG_INTR_MASK, DevExt->IntrMask);
    MpWrite(DevExt, SIMHBA_REG_CONTROL, SIMHBA_CONTROL_ENABLE);
    DevExt->ReqProd = 0;
    DevExt->CmplCons = 0;
    if (!DevExt->Storport)
        return TRUE;            /* SCSI Port: no DPCs to set up */
    /* Storport: DPCs are initialised at passive level. */
    return StorPortEnablePassiveInitialization(DevExt, MpHwPassiveInitialize);
}

BOOLEAN
MpHwPassiveInitialize(PVOID DeviceExtension)
{
    PMP_DEVICE_EXTENSION DevExt = DeviceExtension;

    StorPortInitializeDpc(DevExt, &DevExt->CompletionDpc, MpHwCompletionDpc);
    return TRUE;
}

/* The port calls this for a timed-out request: reset the SCSI bus. The
 * adapter then ends every outstanding command with a bus-reset status.
 * Storport: those completions come back through the interrupt as usual.
 * SCSI Port: HwScsiResetBus completes what it holds itself (at DIRQL,
 * synchronized with the ISR); the adapter's late completions then find
 * no SRB in Slots and are dropped. */
BOOLEAN
MpHwResetBus(PVOID DeviceExtension, ULONG PathId)
{
    PMP_DEVICE_EXTENSION DevExt = DeviceExtension;

    MpWrite(DevExt, SIMHBA_REG_BUS_RESET, SIMHBA_RESET_KEY);
    if (DevExt->Storport)
        return TRUE;
    ScsiPortCompleteRequest(DevExt, (UCHAR)PathId, SP_UNTAGGED, SP_UNTAGGED,
                            SRB_STATUS_BUS_RESET);
    memset(DevExt->Slots, 0, sizeof DevExt->Slots);
    DevExt->Active = 0;
    DevExt->NextRequestOwed = FALSE;
    DevExt->PioSrb = NULL;
    return TRUE;
}

SCSI_ADAPTER_CONTROL_STATUS
MpHwAdapterControl(PVOID DeviceExtension, SCSI_ADAPTER_CONTROL_TYPE ControlType,
                   PVOID Parameters)
{
    PSCSI_SUPPORTED_CONTROL_TYPE_LIST list = Parameters;

    (void)DeviceExtension;
    if (ControlType == ScsiQuerySupportedControlTypes) {
        for (ULONG i = 0; i < list->MaxControlType; i++)
            list->SupportedTypeList[i] = i == ScsiQuerySupportedControlTypes ||
                                         i == ScsiStopAdapter;
        return ScsiAdapterControlSuccess;
    }
    return ScsiAdapterControlSuccess;
}
