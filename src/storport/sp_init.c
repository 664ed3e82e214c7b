/* sp_init.c: Storport adapter creation and initialisation: DriverEntry,
 * StorPortInitialize, HwStorFindAdapter, HwStorInitialize, passive
 * initialisation and the bus scan; and the bookkeeping of which miniport
 * callback each CPU is in.
 *
 * Interface: storport_adapter_create() (include/storsim/storport_sim.h);
 * StorPortInitialize() and friends (include/wdk/storport.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "storport/sp_int.h"

#ifndef STATUS_INVALID_PARAMETER
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#endif
#ifndef STATUS_REVISION_MISMATCH
#define STATUS_REVISION_MISMATCH ((NTSTATUS)0xC0000059L)
#endif

static const struct port_ops sp_ops = { .submit = sp_submit };

/* The device extension is preceded by a header that leads back to the
 * adapter, so that every StorPort* call can find its adapter from the
 * HwDeviceExtension the miniport passes. */
struct ext_header {
    uint64_t magic;
    struct sp_adapter *ad;
    uint64_t pad;
    uint64_t pad2;
};

void
storport_costs_default(struct storport_costs *c)
{
    c->submit = SIM_US(1);
    c->complete = SIM_US(1);
    c->library_call = 50;
}

struct sp_adapter *
sp_from_ext(PVOID HwDeviceExtension, const char *what)
{
    struct ext_header *h;

    if (HwDeviceExtension != NULL) {
        h = (struct ext_header *)HwDeviceExtension - 1;
        if (h->magic == SP_EXT_MAGIC)
            return h->ad;
    }
    sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                 PORT_VIOLATION_BAD_EXTENSION,
                 (uint64_t)(uintptr_t)HwDeviceExtension, 0, 0, NULL, 0,
                 "%s was passed %p, which is not the HwDeviceExtension the "
                 "port driver gave the miniport", what, HwDeviceExtension);
    return NULL;
}

/* ---------- which callback each CPU is in ---------- */

void
sp_callback_enter(struct sp_adapter *ad, enum sp_callback cb,
                  const char *routine)
{
    int cpu = sim_cpu_current();

    if (cpu >= 0 && ad->cbdepth[cpu] < 6)
        ad->cb[cpu][ad->cbdepth[cpu]] = cb;
    if (cpu >= 0)
        ad->cbdepth[cpu]++;
    sim_routine_enter(routine, NULL, 0);
}

void
sp_callback_exit(struct sp_adapter *ad)
{
    int cpu = sim_cpu_current();

    sim_routine_exit(NULL, 0);
    if (cpu >= 0 && ad->cbdepth[cpu] > 0)
        ad->cbdepth[cpu]--;
}

enum sp_callback
sp_current_callback(struct sp_adapter *ad)
{
    int cpu = sim_cpu_current();
    int d;

    if (cpu < 0 || (d = ad->cbdepth[cpu]) == 0)
        return CB_NONE;
    return ad->cb[cpu][(d <= 6 ? d : 6) - 1];
}

/* Every StorPort* routine is a yield point with a cost and a trace line
 * naming it, at the miniport line recorded by the call-site macro. */
void
sp_library_call(struct sp_adapter *ad, const char *name)
{
    if (sim_cpu_current() < 0)
        return;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_CALL, .detail = name });
    if (ad != NULL)
        sim_spend(ad->params.cost.library_call);
}

/* ---------- StorPortInitialize ---------- */

ULONG
StorPortInitialize(PVOID Argument1, PVOID Argument2,
                   struct _HW_INITIALIZATION_DATA *HwInitializationData,
                   PVOID HwContext)
{
    struct sp_adapter *ad = Argument1;
    PHW_INITIALIZATION_DATA d = HwInitializationData;

    (void)Argument2;
    sp_library_call(ad, "StorPortInitialize");
    if (ad == NULL || ad->base.model != PORT_MODEL_STORPORT || d == NULL)
        return (ULONG)STATUS_INVALID_PARAMETER;
    if (d->HwInitializationDataSize < sizeof(HW_INITIALIZATION_DATA)) {
        snprintf(ad->error, sizeof ad->error, "StorPortInitialize: "
                 "HwInitializationDataSize is %lu, expected %zu",
                 (unsigned long)d->HwInitializationDataSize,
                 sizeof(HW_INITIALIZATION_DATA));
        return (ULONG)STATUS_REVISION_MISMATCH;
    }
    if (d->HwInitialize == NULL || d->HwStartIo == NULL ||
        d->HwFindAdapter == NULL || d->HwResetBus == NULL ||
        d->HwInterrupt == NULL) {
        snprintf(ad->error, sizeof ad->error, "StorPortInitialize: a "
                 "required routine is NULL (HwInitialize, HwStartIo, "
                 "HwInterrupt, HwFindAdapter and HwResetBus are required)");
        return (ULONG)STATUS_INVALID_PARAMETER;
    }
    if (!d->TaggedQueuing || !d->AutoRequestSense || !d->MultipleRequestPerLu) {
        snprintf(ad->error, sizeof ad->error, "StorPortInitialize: Storport "
                 "requires TaggedQueuing, AutoRequestSense and "
                 "MultipleRequestPerLu to be TRUE");
        return (ULONG)STATUS_INVALID_PARAMETER;
    }
    ad->init = *d;
    ad->hw_context = HwContext;
    ad->init_called = true;
    return STATUS_SUCCESS;
}

/* ---------- initialisation on CPU 0 ---------- */

static void
fail(struct sp_adapter *ad, const char *fmt, const char *detail)
{
    if (ad->error[0] == '\0')
        snprintf(ad->error, sizeof ad->error, fmt, detail);
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_MARK, .detail = "adapter initialisation failed" });
    if (ad->params.ready != NULL)
        ad->params.ready(&ad->base, false, ad->params.ready_ctx);
}

/* The bus scan (src/port/port_scan.c) through this port's request path;
 * it calls params.ready when the adapter's LUNs are known. */
static void
start_scan(struct sp_adapter *ad)
{
    if (port_scan_begin(&ad->scan, &ad->base, sp_submit, ad->params.ready,
                        ad->params.ready_ctx,
                        (int)ad->config.MaximumNumberOfTargets) < 0)
        fail(ad, "no memory for the bus scan%s", "");
}

/* What both ports give HwFindAdapter (src/port/port_config.c), and then
 * Storport's own: DMA with scatter/gather, 64-bit addresses, and half
 * duplex until the miniport asks for full. */
static void
config_defaults(struct sp_adapter *ad)
{
    PPORT_CONFIGURATION_INFORMATION c = &ad->config;

    port_config_defaults(c, &ad->range, &ad->params.hw, &ad->init);
    c->MaximumNumberOfLogicalUnits = 8;
    c->ScatterGather = TRUE;
    c->Master = TRUE;
    c->Dma64BitAddresses = 0x80;   /* SCSI_DMA64_SYSTEM_SUPPORTS_64BIT */
    c->SynchronizationModel = StorSynchronizeHalfDuplex;
    c->BusResetHoldTime = 4000000;   /* microseconds: Storport's default */
}

static const char *
check_config(struct sp_adapter *ad)
{
    PPORT_CONFIGURATION_INFORMATION c = &ad->config;

    if (c->MaximumTransferLength == SP_UNINITIALIZED_VALUE)
        return "HwStorFindAdapter left MaximumTransferLength at "
               "SP_UNINITIALIZED_VALUE; it must set it";
    if (c->NumberOfPhysicalBreaks == SP_UNINITIALIZED_VALUE)
        return "HwStorFindAdapter left NumberOfPhysicalBreaks at "
               "SP_UNINITIALIZED_VALUE; it must set it";
    if (c->MaximumTransferLength == 0 || c->NumberOfPhysicalBreaks == 0)
        return "MaximumTransferLength and NumberOfPhysicalBreaks must be "
               "greater than zero";
    if (c->SynchronizationModel != StorSynchronizeHalfDuplex &&
        c->SynchronizationModel != StorSynchronizeFullDuplex)
        return "SynchronizationModel is neither StorSynchronizeHalfDuplex "
               "nor StorSynchronizeFullDuplex";
    return NULL;
}

static int
make_slots(struct sp_adapter *ad)
{
    uint32_t n = ad->config.MaxNumberOfIO;
    size_t ext = (ad->config.SrbExtensionSize + 63) & ~(size_t)63;
    size_t sgsize = sizeof(STOR_SCATTER_GATHER_LIST) +
                    (ad->config.NumberOfPhysicalBreaks + 1) *
                        sizeof(STOR_SCATTER_GATHER_ELEMENT);

    ad->nslots = n;
    ad->slots = calloc(n, sizeof *ad->slots);
    ad->dispatched = calloc(n, sizeof *ad->dispatched);
    if (ad->slots == NULL || ad->dispatched == NULL)
        return -ENOMEM;
    for (uint32_t i = n; i-- > 0;) {
        struct sp_slot *s = &ad->slots[i];
        /* SrbExtensions are DMA-able memory, as Storport's are: the
         * miniport may put descriptors there and ask their physical
         * address. */
        s->srb_extension = ext ? physmem_alloc(ext, true) : NULL;
        s->sg = calloc(1, sgsize);
        if ((ext && s->srb_extension == NULL) || s->sg == NULL)
            return -ENOMEM;
        s->next_free = ad->free_slots;
        ad->free_slots = s;
    }
    return 0;
}

static bool
isr_trampoline(void *ctx)
{
    struct sp_adapter *ad = ctx;
    BOOLEAN claimed;

    sp_callback_enter(ad, CB_INTERRUPT, "HwStorInterrupt");
    claimed = ad->init.HwInterrupt(ad->ext);
    sp_callback_exit(ad);
    return claimed;
}

static bool
initialize_synchronized(void *ctx)
{
    struct sp_adapter *ad = ctx;
    BOOLEAN ok;

    sp_callback_enter(ad, CB_INITIALIZE, "HwStorInitialize");
    ok = ad->init.HwInitialize(ad->ext);
    sp_callback_exit(ad);
    return ok;
}

static bool
find_adapter(struct sp_adapter *ad)
{
    BOOLEAN again = FALSE;
    ULONG rc;
    const char *bad;

    config_defaults(ad);
    sp_callback_enter(ad, CB_FIND_ADAPTER, "HwStorFindAdapter");
    rc = ad->init.HwFindAdapter(ad->ext, ad->hw_context, NULL, (PCHAR)"", &ad->config,
                                &again);
    sp_callback_exit(ad);
    if (rc != SP_RETURN_FOUND) {
        fail(ad, "HwStorFindAdapter did not return SP_RETURN_FOUND%s", "");
        return false;
    }
    if ((bad = check_config(ad)) != NULL) {
        fail(ad, "%s", bad);
        return false;
    }
    return true;
}

static void
apply_config(struct sp_adapter *ad)
{
    PPORT_CONFIGURATION_INFORMATION c = &ad->config;

    if (c->MaxNumberOfIO == 0)
        c->MaxNumberOfIO = 1000;
    if (c->InitialLunQueueDepth == 0)
        c->InitialLunQueueDepth = 20;
    if (c->MaxIOsPerLun == 0)
        c->MaxIOsPerLun = c->MaxNumberOfIO;
    ad->full_duplex = c->SynchronizationModel == StorSynchronizeFullDuplex;
    ad->base.max_transfer = c->MaximumTransferLength;
    ad->base.max_breaks = c->NumberOfPhysicalBreaks;
    ad->base.max_outstanding = c->MaxNumberOfIO;
    ad->base.caches_data = c->CachesData;
    ad->base.uses_storage_request_block =
        (ad->init.SrbTypeFlags & SRB_TYPE_FLAG_STORAGE_REQUEST_BLOCK) != 0;
}

static bool
connect_interrupt(struct sp_adapter *ad)
{
    const struct port_hw *hw = &ad->params.hw;

    if (sim_interrupt_connect(&ad->intr, ad->params.name, hw->dirql,
                              hw->irq_mode, hw->irq_affinity,
                              isr_trampoline, ad) < 0) {
        fail(ad, "cannot connect the interrupt at DIRQL %s",
             sim_irql_name(hw->dirql));
        return false;
    }
    /* The interrupt lock is the last in Storport's lock order. */
    ad->intr.lock.name = "InterruptLock";
    ad->intr.lock.rank = STORPORT_RANK_INTERRUPT;
    if (hw->attach_interrupt != NULL)
        hw->attach_interrupt(hw->dev, &ad->intr);
    return true;
}

static void
init_thread(void *ctx)
{
    struct sp_adapter *ad = ctx;
    ULONG status;

    sim_routine_enter("DriverEntry", NULL, 0);
    status = ad->params.driver_entry(&ad->base,
                                     (void *)"\\Registry\\Machine\\System");
    sim_routine_exit(NULL, 0);
    if (!ad->init_called || status != STATUS_SUCCESS) {
        fail(ad, "DriverEntry failed: %s", ad->init_called
             ? "StorPortInitialize returned an error"
             : "it did not call StorPortInitialize");
        return;
    }
    ad->ext_alloc = calloc(1, sizeof(struct ext_header) +
                              ad->init.DeviceExtensionSize + 16);
    ad->ext = (struct ext_header *)ad->ext_alloc + 1;
    ((struct ext_header *)ad->ext - 1)->magic = SP_EXT_MAGIC;
    ((struct ext_header *)ad->ext - 1)->ad = ad;
    if (!find_adapter(ad))
        return;
    apply_config(ad);
    if (make_slots(ad) < 0) {
        fail(ad, "out of memory for %s", "request slots");
        return;
    }
    if (!connect_interrupt(ad))
        return;
    if (!sim_sync_execution(&ad->intr, initialize_synchronized, ad, NULL, 0)) {
        fail(ad, "HwStorInitialize returned FALSE%s", "");
        return;
    }
    if (ad->passive_init != NULL) {
        BOOLEAN ok;
        sp_callback_enter(ad, CB_PASSIVE_INIT, "HwStorPassiveInitializeRoutine");
        ok = ad->passive_init(ad->ext);
        sp_callback_exit(ad);
        if (!ok) {
            fail(ad, "HwStorPassiveInitializeRoutine returned FALSE%s", "");
            return;
        }
    }
    start_scan(ad);
}

BOOLEAN
StorPortEnablePassiveInitialization(PVOID DeviceExtension,
                                    PHW_PASSIVE_INITIALIZE_ROUTINE HwPassiveInitializeRoutine)
{
    struct sp_adapter *ad = sp_from_ext(DeviceExtension,
                                        "StorPortEnablePassiveInitialization");

    sp_library_call(ad, "StorPortEnablePassiveInitialization");
    if (sp_current_callback(ad) != CB_INITIALIZE)
        return FALSE;
    ad->passive_init = HwPassiveInitializeRoutine;
    return TRUE;
}

/* ---------- creation ---------- */

static int
reserve_bar(struct sp_adapter *ad)
{
    /* The mapped register range is a real reservation of host addresses
     * with no access rights: the miniport gets a unique pointer per
     * register, and a miniport that dereferences one instead of calling
     * StorPortReadRegisterUlong crashes at once. */
    void *p = mmap(NULL, ad->params.hw.bar_size, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED)
        return -ENOMEM;
    ad->bar_base = p;
    return 0;
}

int
storport_adapter_create(const struct storport_params *p,
                        struct port_adapter **out)
{
    struct sp_adapter *ad;

    if (p == NULL || p->driver_entry == NULL || p->hw.read32 == NULL ||
        p->hw.write32 == NULL || p->hw.bar_size == 0)
        return -EINVAL;
    ad = calloc(1, sizeof *ad);
    if (ad == NULL)
        return -ENOMEM;
    ad->params = *p;
    if (ad->params.name == NULL)
        ad->params.name = "storport0";
    ad->base.ops = &sp_ops;
    ad->base.model = PORT_MODEL_STORPORT;
    ad->base.name = ad->params.name;
    if (reserve_bar(ad) < 0) {
        free(ad);
        return -ENOMEM;
    }
    sim_lock_init(&ad->startio_lock, "StartIoLock", DISPATCH_LEVEL,
                  STORPORT_RANK_STARTIO);
    sim_lock_init(&ad->queue_lock, "StorPortQueueLock", DISPATCH_LEVEL, 0);
    for (int i = 0; i < sim_ncpus(); i++) {
        sim_dpc_init(&ad->completion_dpc[i], "StorPortCompletionDpc",
                     sp_completion_dpc, ad);
        sim_dpc_set_target(&ad->completion_dpc[i], i);
    }
    sim_dpc_init(&ad->tick_dpc, "StorPortTimeoutDpc", sp_tick_dpc, ad);
    sim_timer_init(&ad->tick, "StorPortTimeoutTick", &ad->tick_dpc);
    sim_dpc_init(&ad->hold_dpc, "StorPortResumeDpc", sp_hold_dpc, ad);
    sim_timer_init(&ad->hold_timer, "StorPortHoldTimer", &ad->hold_dpc);
    sim_dpc_init(&ad->hw_timer_dpc, "HwStorTimerDpc", sp_hw_timer_dpc, ad);
    sim_timer_init(&ad->hw_timer, "HwStorTimer", &ad->hw_timer_dpc);
    sim_cpu_post(&ad->init_item, 0, init_thread, ad, "PnP:StartDevice", 0);
    *out = &ad->base;
    return 0;
}

void
storport_adapter_destroy(struct port_adapter *pa)
{
    struct sp_adapter *ad = (struct sp_adapter *)pa;

    if (ad == NULL)
        return;
    for (uint32_t i = 0; i < ad->nslots; i++) {
        if (ad->slots[i].srb_extension != NULL)
            physmem_free(ad->slots[i].srb_extension);
        free(ad->slots[i].sg);
    }
    for (int i = 0; i < SP_MAX_LUS; i++)
        free(ad->lus[i].lu_extension);
    free(ad->slots);
    free(ad->dispatched);
    if (ad->uncached != NULL)
        physmem_free(ad->uncached);
    port_scan_free(&ad->scan);
    if (ad->bar_base != NULL)
        munmap(ad->bar_base, ad->params.hw.bar_size);
    free(ad->ext_alloc);
    free(ad);
}

const char *
storport_adapter_error(const struct port_adapter *pa)
{
    const struct sp_adapter *ad = (const struct sp_adapter *)pa;

    return ad->error[0] ? ad->error : NULL;
}

void *
storport_device_extension(const struct port_adapter *pa)
{
    return ((const struct sp_adapter *)pa)->ext;
}

struct sp_lu *
sp_lu_get(struct sp_adapter *ad, UCHAR path, UCHAR target, UCHAR lun)
{
    struct sp_lu *free_lu;

    for (int i = 0; i < ad->nlus; i++) {
        struct sp_lu *lu = &ad->lus[i];
        if (lu->path == path && lu->target == target && lu->lun == lun)
            return lu;
    }
    if (ad->nlus == SP_MAX_LUS)
        return NULL;
    free_lu = &ad->lus[ad->nlus++];    /* LUs are never given back */
    free_lu->used = true;
    free_lu->ad = ad;
    free_lu->path = path;
    free_lu->target = target;
    free_lu->lun = lun;
    free_lu->depth = ad->config.InitialLunQueueDepth;
    if (free_lu->depth > ad->config.MaxIOsPerLun)
        free_lu->depth = ad->config.MaxIOsPerLun;
    if (ad->config.SpecificLuExtensionSize)
        free_lu->lu_extension = calloc(1, ad->config.SpecificLuExtensionSize);
    sim_dpc_init(&free_lu->pause_dpc, "StorPortResumeDeviceDpc",
                 sp_pause_lu_dpc, free_lu);
    sim_timer_init(&free_lu->pause_timer, "StorPortPauseDevice",
                   &free_lu->pause_dpc);
    return free_lu;
}
