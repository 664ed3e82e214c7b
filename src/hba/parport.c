/* parport.c: an ECP-style parallel port printing from an output FIFO
 * (see include/storsim/parport.h).
 *
 * Interface: parport_create() / parport_destroy(); parport_start();
 * parport_get_stats(), parport_latency() and parport_reset_stats().
 *
 * One event per FIFO-full: the printer empties the FIFO in
 * fifo * byte_time, the port raises its interrupt, and the ISR writes the
 * next FIFO-full, from which the printer goes on. The time between an
 * empty FIFO and the ISR is printing time with nothing printed.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "storsim/parport.h"
#include "storsim/sim.h"

const char parport_isr_name[] = "ParallelIsr";

struct parport {
    struct parport_config cfg;
    struct sim_interrupt intr;
    struct sim_event empty;        /* the printer took the last byte */
    bool running;                  /* a job prints */
    bool waiting;                  /* the interrupt waits for its ISR */
    sim_time_t raised_at;
    sim_time_t mark;               /* printing counted up to here */
    struct parport_stats st;
    struct hist *latency;
};

void
parport_config_default(struct parport_config *cfg)
{
    cfg->name = "lpt1";
    cfg->dirql = 3;
    cfg->affinity = 1;
    cfg->byte_time = SIM_US(10);
    cfg->fifo = 16;
    cfg->isr_cost = SIM_US(2);
    cfg->active = NULL;
    cfg->active_ctx = NULL;
}

static void
fill(struct parport *p)
{
    sim_event_schedule(&p->empty,
                       sim_now() + (sim_time_t)p->cfg.fifo * p->cfg.byte_time);
}

static void
empty_event(struct sim_event *ev)
{
    struct parport *p =
        (struct parport *)((char *)ev - offsetof(struct parport, empty));

    p->st.printed += p->cfg.fifo;
    p->st.printing += sim_now() - p->mark;
    p->mark = sim_now();
    p->waiting = true;
    p->raised_at = sim_now();
    p->st.interrupts++;
    sim_interrupt_signal(&p->intr);
}

/* Acknowledge the service request and write the next FIFO-full. */
static bool
parport_isr(void *ctx)
{
    struct parport *p = ctx;

    if (!p->waiting)
        return false;               /* not this device's interrupt */
    sim_routine_enter(parport_isr_name, NULL, 0);
    hist_record(p->latency, sim_now() - p->raised_at);
    p->waiting = false;
    if (p->cfg.active == NULL || p->cfg.active(p->cfg.active_ctx))
        fill(p);
    else
        p->running = false;         /* the job is done */
    sim_work(p->cfg.isr_cost, NULL, 0);
    sim_routine_exit(NULL, 0);
    return true;
}

int
parport_create(const struct parport_config *cfg, struct parport **out)
{
    struct parport *p;

    if (!sim_exists())
        return -ENODEV;
    if (cfg->byte_time == 0 || cfg->fifo == 0)
        return -EINVAL;
    p = calloc(1, sizeof *p);
    if (p == NULL || (p->latency = hist_create()) == NULL) {
        free(p);
        return -ENOMEM;
    }
    p->cfg = *cfg;
    if (sim_interrupt_connect(&p->intr, cfg->name, cfg->dirql, SIM_IRQ_EDGE,
                              cfg->affinity, parport_isr, p) < 0) {
        hist_destroy(p->latency);
        free(p);
        return -EINVAL;
    }
    sim_event_init(&p->empty, empty_event, "parallel-fifo-empty");
    *out = p;
    return 0;
}

void
parport_destroy(struct parport *p)
{
    if (p == NULL)
        return;
    if (sim_exists()) {
        sim_event_cancel(&p->empty);
        sim_interrupt_disconnect(&p->intr);
    }
    hist_destroy(p->latency);
    free(p);
}

void
parport_start(struct parport *p)
{
    if (p == NULL || p->running)
        return;
    p->running = true;              /* a job ends only at an ISR: none waits */
    p->mark = sim_now();
    fill(p);
}

const struct hist *
parport_latency(const struct parport *p)
{
    return p->latency;
}

void
parport_get_stats(const struct parport *p, struct parport_stats *out)
{
    *out = p->st;
}

void
parport_reset_stats(struct parport *p)
{
    hist_init(p->latency);
    p->st = (struct parport_stats){ 0 };
}
