/* synth.c: a synthetic workload for the bare simulated machine
 * (see include/storsim/synth.h).
 *
 * Every random choice comes from sim_rng streams named per CPU, so the run
 * is a pure function of the machine seed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/synth.h"

#define NLOCKS 3

struct synth_req {
    struct sim_event done;        /* the device finishes it */
    struct synth_cpu *owner;
    struct synth_req *next;
};

struct synth_cpu {
    int id;
    uint64_t left;                /* requests still to submit */
    struct synth_req *free;       /* free slots */
    struct synth_req *finished;   /* handed over by the ISR, for the DPC */
    struct sim_thread_item submit;
    struct sim_dpc dpc;
    struct sim_rng rng;
    bool waiting;                 /* submitter stopped: no free slot */
};

static struct {
    struct sim_synth_config cfg;
    struct synth_cpu *cpus;
    struct synth_req *reqs;
    struct synth_req *device_done;  /* completed, not yet seen by the ISR */
    struct sim_spinlock locks[NLOCKS];
    struct sim_interrupt intr;
    struct sim_rng dev_rng;
    uint64_t submitted, completed;
    int ncpus;
} S;

static const char *const lock_names[NLOCKS] = { "QueueLock", "StartIoLock",
                                                "CompletionLock" };

void
sim_synth_config_default(struct sim_synth_config *cfg)
{
    cfg->requests = 2000;
    cfg->queue_depth = 8;
    cfg->latency_min = SIM_US(10);
    cfg->latency_max = SIM_US(100);
}

static sim_time_t
between(struct sim_rng *rng, sim_time_t lo, sim_time_t hi)
{
    return lo + (hi > lo ? sim_rng_below(rng, hi - lo + 1) : 0);
}

/* Device side: a request finished; put it where the ISR finds it. */
static void
device_done(struct sim_event *ev)
{
    struct synth_req *r = (struct synth_req *)ev;

    r->next = S.device_done;
    S.device_done = r;
    sim_trace_emit(&(struct sim_trace_args){
        .kind = SIM_EV_DEVICE, .detail = "request done" });
    sim_interrupt_set_level(&S.intr, true);
}

static void submit_loop(void *ctx);

static void
submit_one(struct synth_cpu *c, struct synth_req *r)
{
    int first = (int)sim_rng_below(&c->rng, NLOCKS);
    int second = first + 1 + (int)sim_rng_below(&c->rng, NLOCKS);
    sim_irql_t old;

    sim_work(between(&c->rng, SIM_US(1), SIM_US(5)), SIM_HERE);
    old = sim_irql_raise(DISPATCH_LEVEL, SIM_HERE);
    sim_lock_acquire(&S.locks[first], SIM_HERE);
    if (second < NLOCKS)   /* ranks ascend with the index: a legal order */
        sim_lock_acquire(&S.locks[second], SIM_HERE);
    sim_work(between(&c->rng, 500, SIM_US(2)), SIM_HERE);
    sim_event_schedule(&r->done, sim_now() + between(&c->rng,
                       S.cfg.latency_min, S.cfg.latency_max));
    S.submitted++;
    if (second < NLOCKS)
        sim_lock_release(&S.locks[second], SIM_HERE);
    sim_lock_release(&S.locks[first], SIM_HERE);
    sim_irql_lower(old, SIM_HERE);
}

static void
submit_loop(void *ctx)
{
    struct synth_cpu *c = ctx;

    sim_routine_enter("Submitter", SIM_HERE);
    while (c->left > 0 && c->free != NULL) {
        struct synth_req *r = c->free;
        c->free = r->next;
        c->left--;
        sim_set_srb((uint32_t)(r - S.reqs) + 1);
        submit_one(c, r);
    }
    sim_set_srb(0);
    c->waiting = c->left > 0;
    sim_routine_exit(SIM_HERE);
}

static bool
synth_isr(void *ctx)
{
    (void)ctx;
    if (S.device_done == NULL)
        return false;
    sim_work(SIM_US(1), SIM_HERE);
    while (S.device_done != NULL) {
        struct synth_req *r = S.device_done;
        struct synth_cpu *c = r->owner;
        S.device_done = r->next;
        r->next = c->finished;
        c->finished = r;
        sim_dpc_queue(&c->dpc, NULL, NULL);
    }
    sim_interrupt_set_level(&S.intr, false);
    return true;
}

static void
completion_dpc(struct sim_dpc *dpc, void *ctx, void *a1, void *a2)
{
    struct synth_cpu *c = ctx;
    struct synth_req *list;

    (void)dpc; (void)a1; (void)a2;
    /* Take the list from the ISR's side under the interrupt lock, as a
     * port driver's DPC snapshots its interrupt data. */
    sim_lock_acquire(&S.intr.lock, SIM_HERE);
    list = c->finished;
    c->finished = NULL;
    sim_lock_release(&S.intr.lock, SIM_HERE);
    sim_lock_acquire(&S.locks[2], SIM_HERE);
    while (list != NULL) {
        struct synth_req *r = list;
        list = r->next;
        sim_work(between(&c->rng, 300, SIM_US(1)), SIM_HERE);
        r->next = c->free;
        c->free = r;
        S.completed++;
    }
    sim_lock_release(&S.locks[2], SIM_HERE);
    if (c->waiting) {
        c->waiting = false;
        sim_cpu_post(&c->submit, c->id, submit_loop, c, "Submitter",
                     sim_now());
    }
}

int
sim_synth_start(const struct sim_synth_config *cfg)
{
    int qd = cfg->queue_depth;

    if (qd < 1 || qd > 256 || cfg->latency_max < cfg->latency_min)
        return -EINVAL;
    memset(&S, 0, sizeof S);
    S.cfg = *cfg;
    S.ncpus = sim_ncpus();
    S.cpus = calloc((size_t)S.ncpus, sizeof *S.cpus);
    S.reqs = calloc((size_t)S.ncpus * (size_t)qd, sizeof *S.reqs);
    if (S.cpus == NULL || S.reqs == NULL) {
        sim_synth_stop();
        return -ENOMEM;
    }
    for (int i = 0; i < NLOCKS; i++)
        sim_lock_init(&S.locks[i], lock_names[i], DISPATCH_LEVEL, i + 1);
    sim_interrupt_connect(&S.intr, "synthdev", 5, SIM_IRQ_LEVEL, 0, synth_isr,
                          NULL);
    for (int i = 0; i < S.ncpus; i++) {
        struct synth_cpu *c = &S.cpus[i];
        char name[32];
        c->id = i;
        c->left = cfg->requests;
        snprintf(name, sizeof name, "synth.cpu%d", i);
        sim_rng_init(&c->rng, name);
        sim_dpc_init(&c->dpc, "CompletionDpc", completion_dpc, c);
        sim_dpc_set_target(&c->dpc, i);
        for (int k = 0; k < qd; k++) {
            struct synth_req *r = &S.reqs[i * qd + k];
            sim_event_init(&r->done, device_done, "request-done");
            r->owner = c;
            r->next = c->free;
            c->free = r;
        }
        sim_cpu_post(&c->submit, i, submit_loop, c, "Submitter",
                     SIM_US(1) * (sim_time_t)i);
    }
    return 0;
}

void
sim_synth_result(struct sim_synth_result *out)
{
    out->submitted = S.submitted;
    out->completed = S.completed;
    out->interrupts = S.intr.delivered;
    out->events = sim_trace_count();
    out->trace_hash = sim_trace_hash();
    out->elapsed = sim_now();
}

void
sim_synth_print_summary(FILE *f)
{
    struct sim_synth_result r;
    double secs;

    sim_synth_result(&r);
    secs = (double)r.elapsed / 1e9;
    fprintf(f, "synthetic workload: %d CPUs, %" PRIu64 " requests submitted, "
            "%" PRIu64 " completed in %.3f ms simulated (%.0f per second)\n",
            S.ncpus, r.submitted, r.completed, secs * 1e3,
            secs > 0 ? (double)r.completed / secs : 0.0);
    fprintf(f, "\n%-5s %10s %10s %10s %10s %8s %8s\n", "cpu", "passive%",
            "dispatch%", "dirql%", "spin%", "isrs", "dpcs");
    for (int i = 0; i < S.ncpus; i++) {
        const struct sim_cpu *c = sim_cpu_get(i);
        sim_time_t dirql = 0, spin = 0;
        for (int l = SIM_DIRQL_MIN; l < SIM_NUM_IRQLS; l++)
            dirql += c->busy_at[l];
        for (int l = 0; l < SIM_NUM_IRQLS; l++)
            spin += c->spin_at[l];
        fprintf(f, "cpu%-2d %9.1f%% %9.1f%% %9.1f%% %9.1f%% %8" PRIu64
                " %8" PRIu64 "\n", i,
                100.0 * (double)c->busy_at[PASSIVE_LEVEL] / (double)r.elapsed,
                100.0 * (double)c->busy_at[DISPATCH_LEVEL] / (double)r.elapsed,
                100.0 * (double)dirql / (double)r.elapsed,
                100.0 * (double)spin / (double)r.elapsed, c->interrupts,
                c->dpcs);
    }
    fprintf(f, "\n%-16s %10s %10s %12s %12s\n", "lock", "acquires",
            "contended", "hold(us)", "spin(us)");
    for (int id = 1; id <= sim_lock_count(); id++) {
        const struct sim_spinlock *l = sim_lock_by_id(id);
        if (l == NULL)
            continue;
        fprintf(f, "%-16s %10" PRIu64 " %10" PRIu64 " %12.1f %12.1f\n",
                l->name, l->acquisitions, l->contended,
                (double)l->hold_total / 1e3, (double)l->spin_total / 1e3);
    }
    fprintf(f, "\ninterrupts %" PRIu64 " (mean latency %.2f us, max %.2f us)\n",
            r.interrupts, r.interrupts ? (double)S.intr.latency_total /
            (double)r.interrupts / 1e3 : 0.0, (double)S.intr.latency_max / 1e3);
    fprintf(f, "trace: %" PRIu64 " events, hash %016" PRIx64 "\n", r.events,
            r.trace_hash);
}

void
sim_synth_stop(void)
{
    if (S.ncpus > 0 && sim_exists()) {
        for (int i = 0; i < S.ncpus * S.cfg.queue_depth; i++)
            sim_event_cancel(&S.reqs[i].done);
        sim_interrupt_disconnect(&S.intr);
    }
    free(S.cpus);
    free(S.reqs);
    memset(&S, 0, sizeof S);
}
