/* serial.c: a 16550-style UART receiving at line rate
 * (see include/storsim/serial.h).
 *
 * Interface: serial_create() / serial_destroy(); serial_start();
 * serial_get_stats(), serial_latency() and serial_reset_stats().
 *
 * Byte k of a stream (k = 1, 2, ...) arrives at start + k * byte_time.
 * `taken` counts the bytes gone from the line into the FIFO or lost, so
 * the FIFO holds arrivals(now) - taken, never more than its size: an ISR
 * that finds more than that knows how many found it full. The only event
 * is the moment the FIFO reaches the trigger level; it raises the
 * interrupt, and the ISR schedules the next one after emptying the FIFO.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "storsim/serial.h"
#include "storsim/sim.h"

/* SerialISR: the interrupt service routine of the WDK's serial sample. */
const char serial_isr_name[] = "SerialISR";

struct serial {
    struct serial_config cfg;
    sim_time_t byte_time;          /* 10 bit times */
    struct sim_interrupt intr;
    struct sim_event trigger;      /* the FIFO reaches the trigger level */
    bool running;                  /* the far end sends */
    sim_time_t start;              /* byte base + k arrives at start + k */
    uint64_t base;                 /* bytes arrived before this stream */
    uint64_t taken;                /* bytes read or lost, all streams */
    bool waiting;                  /* the interrupt waits for its ISR */
    sim_time_t raised_at;
    uint64_t offered_from;         /* `taken` when the counters were reset */
    struct serial_stats st;
    struct hist *latency;
};

void
serial_config_default(struct serial_config *cfg)
{
    cfg->name = "com1";
    cfg->dirql = 4;
    cfg->affinity = 1;
    cfg->baud = 115200;
    cfg->fifo = 16;
    cfg->trigger = 14;
    cfg->isr_cost = SIM_US(2);
    cfg->active = NULL;
    cfg->active_ctx = NULL;
}

static uint64_t
arrivals(const struct serial *s)
{
    if (!s->running)
        return s->base;
    return s->base + (sim_now() - s->start) / s->byte_time;
}

/* When the FIFO, emptied at `taken` bytes, holds the trigger level. */
static void
schedule_trigger(struct serial *s)
{
    uint64_t due = s->taken + s->cfg.trigger;
    sim_time_t when = due <= s->base ? sim_now()
                      : s->start + (due - s->base) * s->byte_time;

    sim_event_schedule(&s->trigger, when);
}

static void
trigger_event(struct sim_event *ev)
{
    struct serial *s =
        (struct serial *)((char *)ev - offsetof(struct serial, trigger));

    s->waiting = true;              /* scheduled only when it was not */
    s->raised_at = sim_now();
    s->st.interrupts++;
    sim_interrupt_signal(&s->intr);
}

static bool
far_end_sends(const struct serial *s)
{
    return s->cfg.active == NULL || s->cfg.active(s->cfg.active_ctx);
}

/* Read IIR and LSR, then every byte in the FIFO. */
static bool
serial_isr(void *ctx)
{
    struct serial *s = ctx;
    uint64_t in;

    if (!s->waiting)
        return false;               /* not this device's interrupt */
    sim_routine_enter(serial_isr_name, NULL, 0);
    in = arrivals(s) - s->taken;
    if (in > s->cfg.fifo) {
        s->st.lost += in - s->cfg.fifo;
        s->st.overruns++;
    }
    s->st.received += in < s->cfg.fifo ? in : s->cfg.fifo;
    s->taken += in;
    hist_record(s->latency, sim_now() - s->raised_at);
    s->waiting = false;
    sim_work(s->cfg.isr_cost, NULL, 0);
    sim_routine_exit(NULL, 0);
    if (far_end_sends(s)) {
        schedule_trigger(s);
    } else {
        s->base = arrivals(s);      /* the stream ends here */
        s->running = false;
    }
    return true;
}

int
serial_create(const struct serial_config *cfg, struct serial **out)
{
    struct serial *s;

    if (!sim_exists())
        return -ENODEV;
    if (cfg->baud < 300 || cfg->baud > 4000000 || cfg->fifo == 0 ||
        cfg->trigger == 0 || cfg->trigger > cfg->fifo)
        return -EINVAL;
    s = calloc(1, sizeof *s);
    if (s == NULL || (s->latency = hist_create()) == NULL) {
        free(s);
        return -ENOMEM;
    }
    s->cfg = *cfg;
    s->byte_time = SIM_SEC(10) / cfg->baud;
    if (sim_interrupt_connect(&s->intr, cfg->name, cfg->dirql, SIM_IRQ_EDGE,
                              cfg->affinity, serial_isr, s) < 0) {
        hist_destroy(s->latency);
        free(s);
        return -EINVAL;
    }
    sim_event_init(&s->trigger, trigger_event, "serial-fifo-trigger");
    *out = s;
    return 0;
}

void
serial_destroy(struct serial *s)
{
    if (s == NULL)
        return;
    if (sim_exists()) {
        sim_event_cancel(&s->trigger);
        sim_interrupt_disconnect(&s->intr);
    }
    hist_destroy(s->latency);
    free(s);
}

void
serial_start(struct serial *s)
{
    if (s == NULL || s->running)
        return;
    s->running = true;
    s->start = sim_now();
    schedule_trigger(s);          /* a stream ends only at an ISR: none waits */
}

const struct hist *
serial_latency(const struct serial *s)
{
    return s->latency;
}

void
serial_get_stats(const struct serial *s, struct serial_stats *out)
{
    *out = s->st;
    out->offered = arrivals(s) - s->offered_from;
}

void
serial_reset_stats(struct serial *s)
{
    hist_init(s->latency);
    s->st = (struct serial_stats){ 0 };
    s->offered_from = s->taken;     /* what the FIFO holds is still to come */
}
