/* scp_init.c: SCSI Port adapter creation and initialisation: DriverEntry,
 * ScsiPortInitialize, HwScsiFindAdapter, HwScsiInitialize and the start
 * of the bus scan; the bookkeeping of which miniport callback each CPU is
 * in; finding the adapter from a HwDeviceExtension.
 *
 * Interface: scsiport_adapter_create() and friends
 * (include/storsim/scsiport_sim.h); ScsiPortInitialize() (include/wdk/srb.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "scsiport/scp_int.h"

#ifndef STATUS_INVALID_PARAMETER
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#endif
#ifndef STATUS_REVISION_MISMATCH
#define STATUS_REVISION_MISMATCH ((NTSTATUS)0xC0000059L)
#endif

static const struct port_ops scp_ops = { .submit = scp_submit };

/* The device extension is preceded by a header that leads back to the
 * adapter, so that every ScsiPort* call can find its adapter from the
 * HwDeviceExtension the miniport passes. Storport's header has another
 * magic, so handing one port's extension to the other is caught. */
struct ext_header {
    uint64_t magic;
    struct scp_adapter *ad;
    uint64_t pad[2];
};

void
scsiport_costs_default(struct scsiport_costs *c)
{
    c->submit = SIM_US(1);
    c->complete = SIM_US(1);
    c->library_call = 50;
}

void
scsiport_params_default(struct scsiport_params *p)
{
    memset(p, 0, sizeof *p);
    p->name = "scsiport0";
    scsiport_costs_default(&p->cost);
    p->reset_hold = SIM_SEC(4);
    p->isr_limit = SIM_US(50);
}

struct scp_adapter *
scp_from_ext(PVOID HwDeviceExtension, const char *what)
{
    struct ext_header *h;

    if (HwDeviceExtension != NULL) {
        h = (struct ext_header *)HwDeviceExtension - 1;
        if (h->magic == SCP_EXT_MAGIC)
            return h->ad;
    }
    sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                 PORT_VIOLATION_BAD_EXTENSION,
                 (uint64_t)(uintptr_t)HwDeviceExtension, 0, 0, NULL, 0,
                 "%s was passed %p, which is not the HwDeviceExtension the "
                 "SCSI Port driver gave the miniport", what, HwDeviceExtension);
    return NULL;
}

/* ---------- which callback each CPU is in ---------- */

void
scp_callback_enter(struct scp_adapter *ad, enum scp_callback cb,
                   const char *routine)
{
    int cpu = sim_cpu_current();

    if (cpu >= 0 && ad->cbdepth[cpu] < SCP_CB_DEPTH)
        ad->cb[cpu][ad->cbdepth[cpu]] = cb;
    if (cpu >= 0)
        ad->cbdepth[cpu]++;
    sim_routine_enter(routine, NULL, 0);
}

void
scp_callback_exit(struct scp_adapter *ad)
{
    int cpu = sim_cpu_current();

    sim_routine_exit(NULL, 0);
    if (cpu >= 0 && ad->cbdepth[cpu] > 0)
        ad->cbdepth[cpu]--;
}

enum scp_callback
scp_current_callback(struct scp_adapter *ad)
{
    int cpu = sim_cpu_current();
    int d;

    if (cpu < 0 || (d = ad->cbdepth[cpu]) == 0)
        return CB_NONE;
    return ad->cb[cpu][(d <= SCP_CB_DEPTH ? d : SCP_CB_DEPTH) - 1];
}

/* Every ScsiPort* routine is a yield point with a cost and a trace line
 * naming it, at the miniport line recorded by the call-site macro. */
void
scp_library_call(struct scp_adapter *ad, const char *name)
{
    if (sim_cpu_current() < 0)
        return;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_CALL, .detail = name });
    if (ad != NULL)
        sim_work(ad->params.cost.library_call, NULL, 0);
}

void
scp_site(const char **file, int *line)
{
    const struct sim_frame *f = sim_current_frame();

    *file = f ? f->site_file : NULL;
    *line = f ? f->site_line : 0;
}

void
scp_wrong_place(const char *routine, const char *rule)
{
    sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION, PORT_VIOLATION_WRONG_PLACE,
                 0, 0, 0, NULL, 0, "%s called from %s: %s", routine,
                 sim_routine_current(), rule);
}

/* ---------- ScsiPortInitialize ---------- */

static const char *
check_init_data(const HW_INITIALIZATION_DATA *d)
{
    if (d->HwInitializationDataSize <
        offsetof(HW_INITIALIZATION_DATA, HwBuildIo))
        return "ScsiPortInitialize: HwInitializationDataSize is smaller "
               "than the srb.h HW_INITIALIZATION_DATA";
    if (d->HwInitialize == NULL || d->HwStartIo == NULL ||
        d->HwFindAdapter == NULL || d->HwResetBus == NULL ||
        d->HwInterrupt == NULL)
        return "ScsiPortInitialize: a required routine is NULL (storsim "
               "needs HwInitialize, HwStartIo, HwInterrupt, HwFindAdapter "
               "and HwResetBus)";
    if (d->MultipleRequestPerLu && !d->TaggedQueuing)
        return "ScsiPortInitialize: MultipleRequestPerLu needs "
               "TaggedQueuing (several requests per LU are tagged ones)";
    return NULL;
}

ULONG
ScsiPortInitialize(PVOID Argument1, PVOID Argument2,
                   struct _HW_INITIALIZATION_DATA *HwInitializationData,
                   PVOID HwContext)
{
    struct scp_adapter *ad = Argument1;
    const char *bad;

    (void)Argument2;
    scp_library_call(ad, "ScsiPortInitialize");
    if (ad == NULL || ad->base.model != PORT_MODEL_SCSIPORT ||
        HwInitializationData == NULL)
        return (ULONG)STATUS_INVALID_PARAMETER;
    if ((bad = check_init_data(HwInitializationData)) != NULL) {
        snprintf(ad->error, sizeof ad->error, "%s", bad);
        return HwInitializationData->HwInitializationDataSize <
                       offsetof(HW_INITIALIZATION_DATA, HwBuildIo)
                   ? (ULONG)STATUS_REVISION_MISMATCH
                   : (ULONG)STATUS_INVALID_PARAMETER;
    }
    /* Only the srb.h part counts: HwBuildIo and the other Storport-only
     * members mean nothing to SCSI Port. */
    memcpy(&ad->init, HwInitializationData,
           offsetof(HW_INITIALIZATION_DATA, HwBuildIo));
    ad->hw_context = HwContext;
    ad->init_called = true;
    return STATUS_SUCCESS;
}

/* ---------- initialisation on CPU 0 ---------- */

static void
fail(struct scp_adapter *ad, const char *fmt, const char *detail)
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
start_scan(struct scp_adapter *ad)
{
    if (port_scan_begin(&ad->scan, &ad->base, scp_submit, ad->params.ready,
                        ad->params.ready_ctx,
                        (int)ad->config.MaximumNumberOfTargets) < 0)
        fail(ad, "no memory for the bus scan%s", "");
}

/* What both ports give HwFindAdapter (src/port/port_config.c), and then
 * SCSI Port's own: the initiator's bus ID and the SCSI LUN count. */
static void
config_defaults(struct scp_adapter *ad)
{
    PPORT_CONFIGURATION_INFORMATION c = &ad->config;

    port_config_defaults(c, &ad->range, &ad->params.hw, &ad->init);
    c->InitiatorBusId[0] = 7;
    c->MaximumNumberOfLogicalUnits = SCSI_MAXIMUM_LOGICAL_UNITS;
    c->Dma64BitAddresses = SCSI_DMA64_SYSTEM_SUPPORTED;
}

static bool
find_adapter(struct scp_adapter *ad)
{
    BOOLEAN again = FALSE;
    ULONG rc;

    config_defaults(ad);
    scp_callback_enter(ad, CB_FIND_ADAPTER, "HwScsiFindAdapter");
    rc = ad->init.HwFindAdapter(ad->ext, ad->hw_context, NULL, (PCHAR)"",
                                &ad->config, &again);
    scp_callback_exit(ad);
    if (rc != SP_RETURN_FOUND) {
        fail(ad, "HwScsiFindAdapter did not return SP_RETURN_FOUND%s", "");
        return false;
    }
    if (ad->config.MaximumTransferLength == 0 ||
        ad->config.NumberOfPhysicalBreaks == 0) {
        fail(ad, "%s", "HwScsiFindAdapter set MaximumTransferLength or "
             "NumberOfPhysicalBreaks to zero");
        return false;
    }
    /* Again = TRUE asks for another call for another HBA on the bus;
     * storsim binds one device per adapter, so there is none. */
    return true;
}

static void
apply_config(struct scp_adapter *ad)
{
    PPORT_CONFIGURATION_INFORMATION c = &ad->config;

    /* SP_UNINITIALIZED_VALUE means "no limit" to the class layer. */
    ad->base.max_transfer = c->MaximumTransferLength;
    ad->base.max_breaks = c->NumberOfPhysicalBreaks;
    ad->base.caches_data = c->CachesData;
    ad->base.uses_storage_request_block = false;   /* SCSI Port: never */
}

static int
make_slots(struct scp_adapter *ad)
{
    size_t ext = (ad->config.SrbExtensionSize + 63) & ~(size_t)63;

    for (int i = SCP_MAX_SLOTS; i-- > 0;) {
        struct scp_slot *s = &ad->slots[i];
        /* SrbExtensions are DMA-able, as SCSI Port's are: the miniport may
         * put descriptors there and ask their physical address. */
        s->srb_extension = ext ? physmem_alloc(ext, true) : NULL;
        if (ext && s->srb_extension == NULL)
            return -ENOMEM;
        s->next_free = ad->free_slots;
        ad->free_slots = s;
    }
    return 0;
}

static bool
isr_trampoline(void *ctx)
{
    struct scp_adapter *ad = ctx;
    sim_time_t start = sim_now(), took;
    BOOLEAN claimed;

    ad->st.interrupts++;
    scp_callback_enter(ad, CB_INTERRUPT, "HwScsiInterrupt");
    claimed = ad->init.HwInterrupt(ad->ext);
    scp_callback_exit(ad);
    took = sim_now() - start;
    if (took > ad->st.isr_max)
        ad->st.isr_max = took;
    if (ad->params.isr_limit != 0 && took > ad->params.isr_limit) {
        ad->st.long_isrs++;
        if (ad->params.isr_limit_bugcheck)
            sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION,
                         PORT_VIOLATION_LONG_ISR, took, ad->params.isr_limit,
                         0, NULL, 0, "HwScsiInterrupt kept the CPU at DIRQL "
                         "for %llu ns (the limit is %llu ns): defer long "
                         "work with ScsiPortNotification(CallEnableInterrupts)",
                         (unsigned long long)took,
                         (unsigned long long)ad->params.isr_limit);
    }
    scp_queue_dpc_if_pending(ad);
    return claimed;
}

static bool
initialize_synchronized(void *ctx)
{
    struct scp_adapter *ad = ctx;
    BOOLEAN ok;

    scp_callback_enter(ad, CB_INITIALIZE, "HwScsiInitialize");
    ok = ad->init.HwInitialize(ad->ext);
    scp_callback_exit(ad);
    scp_queue_dpc_if_pending(ad);
    return ok;
}

static bool
connect_interrupt(struct scp_adapter *ad)
{
    const struct port_hw *hw = &ad->params.hw;

    if (sim_interrupt_connect(&ad->intr, ad->params.name, hw->dirql,
                              hw->irq_mode, hw->irq_affinity,
                              isr_trampoline, ad) < 0) {
        fail(ad, "cannot connect the interrupt at DIRQL %s",
             sim_irql_name(hw->dirql));
        return false;
    }
    ad->intr_connected = true;
    ad->intr.lock.name = "InterruptLock";
    ad->intr.lock.rank = SCP_RANK_INTERRUPT;
    if (hw->attach_interrupt != NULL)
        hw->attach_interrupt(hw->dev, &ad->intr);
    return true;
}

static bool
call_driver_entry(struct scp_adapter *ad)
{
    ULONG status;

    sim_routine_enter("DriverEntry", NULL, 0);
    status = ad->params.driver_entry(&ad->base,
                                     (void *)"\\Registry\\Machine\\System");
    sim_routine_exit(NULL, 0);
    if (!ad->init_called || status != STATUS_SUCCESS) {
        fail(ad, "DriverEntry failed: %s", ad->init_called
             ? "ScsiPortInitialize returned an error"
             : "it did not call ScsiPortInitialize");
        return false;
    }
    ad->ext_alloc = calloc(1, sizeof(struct ext_header) +
                              ad->init.DeviceExtensionSize + 16);
    if (ad->ext_alloc == NULL) {
        fail(ad, "out of memory for %s", "the device extension");
        return false;
    }
    ad->ext = (struct ext_header *)ad->ext_alloc + 1;
    ((struct ext_header *)ad->ext - 1)->magic = SCP_EXT_MAGIC;
    ((struct ext_header *)ad->ext - 1)->ad = ad;
    return true;
}

static void
init_thread(void *ctx)
{
    struct scp_adapter *ad = ctx;

    if (!call_driver_entry(ad) || !find_adapter(ad))
        return;
    apply_config(ad);
    if (make_slots(ad) < 0) {
        fail(ad, "out of memory for %s", "SRB extensions");
        return;
    }
    if (!connect_interrupt(ad))
        return;
    if (!sim_sync_execution(&ad->intr, initialize_synchronized, ad, NULL, 0)) {
        fail(ad, "HwScsiInitialize returned FALSE%s", "");
        return;
    }
    /* The adapter starts out ready for its first request. */
    ad->ready = true;
    start_scan(ad);
}

/* ---------- creation ---------- */

static int
reserve_bar(struct scp_adapter *ad)
{
    /* The mapped register range is a real reservation of host addresses
     * with no access rights: the miniport gets a unique pointer per
     * register, and a miniport that dereferences one instead of calling
     * ScsiPortReadRegisterUlong crashes at once. */
    void *p = mmap(NULL, ad->params.hw.bar_size, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED)
        return -ENOMEM;
    ad->bar_base = p;
    return 0;
}

static void
init_machine_objects(struct scp_adapter *ad)
{
    sim_lock_init(&ad->port_lock, "ScsiPortSpinLock", DISPATCH_LEVEL,
                  SCP_RANK_PORT);
    sim_dpc_init(&ad->dpc, "ScsiPortCompletionDpc", scp_dpc, ad);
    sim_dpc_init(&ad->tick_dpc, "ScsiPortTickHandler", scp_tick_dpc, ad);
    sim_timer_init(&ad->tick, "ScsiPortTimer", &ad->tick_dpc);
    sim_dpc_init(&ad->hold_dpc, "ScsiPortResetHoldDpc", scp_hold_dpc, ad);
    sim_timer_init(&ad->hold_timer, "ScsiPortResetHold", &ad->hold_dpc);
    sim_dpc_init(&ad->hw_timer_dpc, "HwScsiTimerDpc", scp_hw_timer_dpc, ad);
    sim_timer_init(&ad->hw_timer, "HwScsiTimer", &ad->hw_timer_dpc);
}

int
scsiport_adapter_create(const struct scsiport_params *p,
                        struct port_adapter **out)
{
    struct scp_adapter *ad;

    if (p == NULL || p->driver_entry == NULL || p->hw.read32 == NULL ||
        p->hw.write32 == NULL || p->hw.bar_size == 0 || !sim_exists())
        return -EINVAL;
    ad = calloc(1, sizeof *ad);
    if (ad == NULL)
        return -ENOMEM;
    ad->params = *p;
    if (ad->params.name == NULL)
        ad->params.name = "scsiport0";
    ad->base.ops = &scp_ops;
    ad->base.model = PORT_MODEL_SCSIPORT;
    ad->base.name = ad->params.name;
    if (reserve_bar(ad) < 0) {
        free(ad);
        return -ENOMEM;
    }
    scp_map_register(ad);
    init_machine_objects(ad);
    sim_cpu_post(&ad->init_item, 0, init_thread, ad, "PnP:StartDevice", 0);
    *out = &ad->base;
    return 0;
}

static void
free_lus(struct scp_adapter *ad)
{
    for (int i = 0; i < SCP_MAX_LUS; i++) {
        struct scp_lu *lu = &ad->lus[i];
        free(lu->lu_extension);
        if (lu->sense != NULL) {
            physmem_free(lu->sense->buf);
            free(lu->sense);
        }
    }
}

void
scsiport_adapter_destroy(struct port_adapter *pa)
{
    struct scp_adapter *ad = (struct scp_adapter *)pa;

    if (ad == NULL)
        return;
    if (sim_exists()) {
        sim_timer_cancel(&ad->tick);
        sim_timer_cancel(&ad->hold_timer);
        sim_timer_cancel(&ad->hw_timer);
        if (ad->intr_connected)
            sim_interrupt_disconnect(&ad->intr);
        sim_lock_unregister(&ad->port_lock);
    }
    scp_unmap_register(ad);
    for (int i = 0; i < SCP_MAX_SLOTS; i++)
        if (ad->slots[i].srb_extension != NULL)
            physmem_free(ad->slots[i].srb_extension);
    free_lus(ad);
    if (ad->uncached != NULL)
        physmem_free(ad->uncached);
    port_scan_free(&ad->scan);
    if (ad->bar_base != NULL)
        munmap(ad->bar_base, ad->params.hw.bar_size);
    free(ad->ext_alloc);
    free(ad);
}

const char *
scsiport_adapter_error(const struct port_adapter *pa)
{
    const struct scp_adapter *ad = (const struct scp_adapter *)pa;

    return ad->error[0] ? ad->error : NULL;
}

void *
scsiport_device_extension(const struct port_adapter *pa)
{
    return ((const struct scp_adapter *)pa)->ext;
}

void
scsiport_get_stats(const struct port_adapter *pa, struct scsiport_stats *out)
{
    *out = ((const struct scp_adapter *)pa)->st;
}

/* ---------- logical units ---------- */

struct scp_lu *
scp_lu_find(struct scp_adapter *ad, UCHAR path, UCHAR target, UCHAR lun)
{
    for (int i = 0; i < SCP_MAX_LUS; i++) {
        struct scp_lu *lu = &ad->lus[i];
        if (lu->used && lu->path == path && lu->target == target &&
            lu->lun == lun)
            return lu;
    }
    return NULL;
}

/* Find or create; caller holds port_lock (or runs before any request). */
struct scp_lu *
scp_lu_get(struct scp_adapter *ad, UCHAR path, UCHAR target, UCHAR lun)
{
    struct scp_lu *lu = scp_lu_find(ad, path, target, lun);

    if (lu != NULL)
        return lu;
    for (int i = 0; i < SCP_MAX_LUS; i++) {
        lu = &ad->lus[i];
        if (lu->used)
            continue;
        lu->used = true;
        lu->index = i;
        lu->ad = ad;
        lu->path = path;
        lu->target = target;
        lu->lun = lun;
        if (ad->config.SpecificLuExtensionSize)
            lu->lu_extension = calloc(1, ad->config.SpecificLuExtensionSize);
        return lu;
    }
    return NULL;
}
