/* mouse.c: a mouse that interrupts every period while it moves and
 * records how long each interrupt waited for its ISR
 * (see include/storsim/mouse.h).
 *
 * Interface: mouse_create() / mouse_destroy(); mouse_latency() and
 * mouse_get_stats() for the summary.
 *
 * A report is a device event: it raises the mouse's (edge) interrupt and,
 * while the mouse moves, schedules the next one on a fixed grid of
 * periods, as the mouse's own clock would. It moves while the predicate
 * holds and something other than the mouse happened in the machine within
 * the last idle_stop: a request stuck in a frozen queue keeps the
 * predicate true, and the mouse must still let the machine go idle; a
 * port's one-second tick during a reset hold keeps it going. When it stops,
 * no event stays pending; a trace subscriber sees the next step of the
 * machine and starts the reports again if the mouse moves.
 *
 * While it reports, the subscriber is quiet: each report looks back over
 * the events since the last one (a handful of its own at most, so the ring
 * holds them) for the newest that was not its own. Being called for every
 * event of a busy machine would cost more than all the rest of the mouse.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "storsim/mouse.h"
#include "storsim/sim.h"

/* One string, so that the trace subscriber can tell the mouse's own
 * events by pointer. */
static const char isr_name[] = "I8042MouseInterruptService";

struct mouse {
    struct mouse_config cfg;
    sim_time_t last_activity;      /* last trace event not the mouse's */
    uint64_t looked_upto;          /* events up to here are in last_activity */
    bool lazy;                     /* the ring is large enough to look back */
    struct sim_interrupt intr;
    struct sim_event report;       /* the next movement report */
    bool reporting;                /* @c report is scheduled */
    bool waiting;                  /* a report waits for the ISR */
    sim_time_t raised_at;          /* when the waiting one was raised */
    struct mouse_stats st;
    struct hist *latency;
};

void
mouse_config_default(struct mouse_config *cfg)
{
    cfg->name = "mouse0";
    cfg->dirql = 4;
    cfg->affinity = 1;
    cfg->period = SIM_MS(1);
    cfg->isr_cost = SIM_US(1);
    cfg->idle_stop = SIM_SEC(2);
    cfg->moving = NULL;
    cfg->moving_ctx = NULL;
    cfg->companions = NULL;
    cfg->started = NULL;
    cfg->started_ctx = NULL;
}

static bool
moving(const struct mouse *m)
{
    return m->cfg.moving == NULL || m->cfg.moving(m->cfg.moving_ctx);
}

static bool
own_event(const struct mouse *m, const struct sim_trace_event *ev)
{
    if (ev->routine == m->cfg.name || ev->routine == isr_name ||
        ev->detail == m->cfg.name)
        return true;
    for (const char *const *c = m->cfg.companions; c != NULL && *c != NULL;
         c++)
        if (ev->routine == *c || ev->detail == *c)
            return true;
    return false;
}

static void watch(const struct sim_trace_event *ev, void *ctx);

/* Bring last_activity up to date from the events the quiet subscriber did
 * not see: the newest since the last look that was not the mouse's own. */
static void
look_back(struct mouse *m)
{
    uint64_t n = sim_trace_count();

    if (!m->lazy)
        return;
    for (uint64_t back = 0; n - back > m->looked_upto; back++) {
        const struct sim_trace_event *ev = sim_trace_recent(back);
        if (ev != NULL && !own_event(m, ev)) {
            m->last_activity = ev->time;
            break;
        }
    }
    m->looked_upto = n;
}

/* Keep reporting: the user moves it, and the machine is not idle apart
 * from the mouse itself. */
static bool
keeps_moving(struct mouse *m)
{
    look_back(m);
    return moving(m) && sim_now() - m->last_activity <= m->cfg.idle_stop;
}

static void
schedule_next(struct mouse *m)
{
    sim_time_t p = m->cfg.period;
    bool was = m->reporting;

    sim_event_schedule(&m->report, (sim_now() / p + 1) * p);
    m->reporting = true;
    if (!was && m->cfg.started != NULL)
        m->cfg.started(m->cfg.started_ctx);
    if (m->lazy) {
        m->looked_upto = sim_trace_count();
        sim_trace_quiet(watch, m, true);
    }
}

static void
report(struct sim_event *ev)
{
    struct mouse *m =
        (struct mouse *)((char *)ev - offsetof(struct mouse, report));

    m->st.reports++;
    if (m->waiting) {
        m->st.overruns++;          /* the last one was never serviced */
    } else {
        m->waiting = true;
        m->raised_at = sim_now();
        sim_interrupt_signal(&m->intr);
    }
    if (keeps_moving(m)) {
        schedule_next(m);
    } else {
        m->reporting = false;      /* until watch() sees it move again */
        sim_trace_quiet(watch, m, false);
    }
}

/* I8042MouseInterruptService, roughly: read the data port, queue the
 * packet for the DPC. Here: record the wait and spend the ISR's time. */
static bool
mouse_isr(void *ctx)
{
    struct mouse *m = ctx;

    sim_routine_enter(isr_name, NULL, 0);
    if (m->waiting) {
        hist_record(m->latency, sim_now() - m->raised_at);
        m->st.serviced++;
        m->waiting = false;
    }
    sim_work(m->cfg.isr_cost, NULL, 0);
    sim_routine_exit(NULL, 0);
    return true;
}


/* Any step of the machine may be the moment the user starts moving. */
static void
watch(const struct sim_trace_event *ev, void *ctx)
{
    struct mouse *m = ctx;

    if (own_event(m, ev))
        return;
    m->last_activity = ev->time;
    if (!m->reporting && moving(m))
        schedule_next(m);
}

int
mouse_create(const struct mouse_config *cfg, struct mouse **out)
{
    struct mouse *m;

    if (!sim_exists())
        return -ENODEV;
    if (cfg->period == 0)
        return -EINVAL;
    m = calloc(1, sizeof *m);
    if (m == NULL || (m->latency = hist_create()) == NULL) {
        free(m);
        return -ENOMEM;
    }
    m->cfg = *cfg;
    if (sim_interrupt_connect(&m->intr, cfg->name, cfg->dirql, SIM_IRQ_EDGE,
                              cfg->affinity, mouse_isr, m) < 0) {
        hist_destroy(m->latency);
        free(m);
        return -EINVAL;
    }
    sim_event_init(&m->report, report, "mouse-report");
    if (sim_trace_subscribe(watch, m) < 0) {
        sim_interrupt_disconnect(&m->intr);
        hist_destroy(m->latency);
        free(m);
        return -ENOSPC;
    }
    m->last_activity = sim_now();
    m->lazy = sim_trace_ring_size() >= 256;   /* room for its own events */
    if (moving(m))
        schedule_next(m);
    *out = m;
    return 0;
}

void
mouse_destroy(struct mouse *m)
{
    if (m == NULL)
        return;
    if (sim_exists()) {
        sim_trace_unsubscribe(watch, m);
        sim_event_cancel(&m->report);
        sim_interrupt_disconnect(&m->intr);
    }
    hist_destroy(m->latency);
    free(m);
}

bool
mouse_reporting(const struct mouse *m)
{
    return m->reporting;
}

const struct hist *
mouse_latency(const struct mouse *m)
{
    return m->latency;
}

void
mouse_get_stats(const struct mouse *m, struct mouse_stats *out)
{
    *out = m->st;
}

void
mouse_reset_stats(struct mouse *m)
{
    hist_init(m->latency);
    m->st = (struct mouse_stats){ 0 };
}
