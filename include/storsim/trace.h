/**
 * @file trace.h
 * @brief The trace event stream: one event per observable step.
 *
 * Interface: the machine and every layer above it emit events with
 * sim_trace_emit(); the console, statistics, exporters and the verifier
 * subscribe with sim_trace_subscribe() or read the ring of recent events.
 * Every event emitted on a CPU is a yield point, and one event is one step.
 */
#ifndef STORSIM_TRACE_H
#define STORSIM_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "storsim/types.h"

/**
 * @defgroup sim_trace Trace events
 * @ingroup sim
 * @brief The one stream that stepping, statistics and grading share.
 * @{
 */

/** @brief What happened. */
enum sim_trace_kind {
    SIM_EV_ENTER,         /**< routine entry; routine = its name */
    SIM_EV_EXIT,          /**< routine exit; arg = IRQL at entry */
    SIM_EV_ACTIVATE,      /**< an activation starts on a CPU; arg = frame kind */
    SIM_EV_RETIRE,        /**< an activation ends */
    SIM_EV_IRQL,          /**< IRQL raised or lowered */
    SIM_EV_WORK,          /**< work begins; arg = nanoseconds */
    SIM_EV_PREEMPT,       /**< work or a spin preempted; arg = ns left */
    SIM_EV_LOCK_ACQUIRE,  /**< a spin lock acquired; arg = ns spun */
    SIM_EV_LOCK_SPIN,     /**< a spin begins; arg = owner CPU */
    SIM_EV_LOCK_RELEASE,  /**< a spin lock released; arg = ns held */
    SIM_EV_INT_ASSERT,    /**< an interrupt line asserted (device context) */
    SIM_EV_INT_DELIVER,   /**< an interrupt taken by a CPU; arg = latency ns */
    SIM_EV_INT_RETURN,    /**< an ISR returned; arg = claimed (0/1) */
    SIM_EV_DPC_QUEUE,     /**< a DPC queued; arg = target CPU */
    SIM_EV_DPC_RUN,       /**< a DPC starts */
    SIM_EV_TIMER_SET,     /**< a timer set; arg = due time */
    SIM_EV_TIMER_FIRE,    /**< a timer fired */
    SIM_EV_THREAD_POST,   /**< passive work became due; arg = CPU */
    SIM_EV_POOL_ALLOC,    /**< pool allocated; arg = bytes, arg2 = tag */
    SIM_EV_POOL_FREE,     /**< pool freed; arg = bytes, arg2 = tag */
    SIM_EV_POOL_LEAK,     /**< pool leaked at shutdown; arg = bytes, arg2 = tag */
    SIM_EV_REG_READ,      /**< a device register read; arg = offset, arg2 = value */
    SIM_EV_REG_WRITE,     /**< a device register write; arg = offset, arg2 = value */
    SIM_EV_DMA,           /**< a DMA transfer; arg = bytes */
    SIM_EV_PIO,           /**< a programmed-I/O transfer; arg = bytes */
    SIM_EV_NOTIFY,        /**< a port-driver notification; arg = type */
    SIM_EV_CALL,          /**< a port-library call; detail = its name */
    SIM_EV_SRB,           /**< an SRB changed state; arg = new state, arg2 =
                               its function, LUN and opcode (PORT_SRB_DESC_*
                               in port.h) */
    SIM_EV_DEVICE,        /**< a device-side event (command done ...) */
    SIM_EV_MARK,          /**< anything else worth a line */
    SIM_EV_BUGCHECK,      /**< the machine bug-checked; arg = code */
    SIM_EV_KIND_COUNT     /**< number of kinds */
};

/** @brief One trace event. Strings are static; the event is 72 bytes. */
struct sim_trace_event {
    sim_time_t time;       /**< simulated time */
    uint64_t seq;          /**< 0-based position in the stream */
    uint64_t arg;          /**< kind-specific */
    uint64_t arg2;         /**< kind-specific */
    const char *routine;   /**< routine (or device) it happened in */
    const char *file;      /**< source file of the call site, or NULL */
    const char *detail;    /**< e.g. a register or lock name, or NULL */
    uint32_t line;         /**< source line, 0 if none */
    uint32_t srb;          /**< SRB id, 0 if none */
    int16_t cpu;           /**< CPU, or -1 for device context */
    uint16_t lock;         /**< lock id, 0 if none */
    uint8_t kind;          /**< enum sim_trace_kind */
    uint8_t irql_before;   /**< IRQL before the step */
    uint8_t irql_after;    /**< IRQL after the step */
};

/**
 * @brief What a caller supplies to sim_trace_emit(); the machine fills in
 *        time, sequence, CPU, IRQL and, when left zero, routine, SRB and
 *        call site from the current activation.
 */
struct sim_trace_args {
    enum sim_trace_kind kind; /**< what happened */
    uint64_t arg;             /**< kind-specific */
    uint64_t arg2;            /**< kind-specific */
    const char *routine;      /**< overrides the current routine */
    const char *file;         /**< overrides the recorded call site */
    int line;                 /**< line of @c file */
    const char *detail;       /**< extra static text */
    uint32_t srb;             /**< overrides the current SRB */
    uint16_t lock;            /**< lock id */
    sim_irql_t irql_before;   /**< IRQL before the step, if @c irql_changed */
    int irql_changed;         /**< nonzero: the step changed the IRQL, which
                                   was @c irql_before (emit after the change) */
};

/**
 * @brief Emit an event. On a CPU this is a yield point: the run may pause
 *        here (stepping, breakpoints) before the caller continues.
 * @param[in] a what happened
 */
void sim_trace_emit(const struct sim_trace_args *a);

/**
 * @brief Emit an event on behalf of CPU @p cpu (or -1) that is never a
 *        yield point: for checkers that report from inside a subscriber or
 *        a switch hook, where the run must not move on.
 * @param[in] cpu the CPU, or -1 for device context
 * @param[in] a   what happened
 */
void sim_trace_emit_on(int cpu, const struct sim_trace_args *a);

/** @brief A subscriber: called for every event, in order. */
typedef void sim_trace_fn(const struct sim_trace_event *ev, void *ctx);

/**
 * @brief Subscribe to the stream.
 * @param[in] fn  the callback
 * @param[in] ctx its context
 * @return 0, or -ENOSPC when too many subscribe
 */
int sim_trace_subscribe(sim_trace_fn *fn, void *ctx);

/**
 * @brief Unsubscribe.
 * @param[in] fn  the callback
 * @param[in] ctx its context
 */
void sim_trace_unsubscribe(sim_trace_fn *fn, void *ctx);

/**
 * @brief Stop calling a subscriber for a while, or start again. It keeps its
 *        place among the subscribers, so the order they are called in, and
 *        with it the trace, does not depend on when it was quiet.
 * @param[in] fn    the callback
 * @param[in] ctx   its context
 * @param[in] quiet true: not called until set false again
 */
void sim_trace_quiet(sim_trace_fn *fn, void *ctx, bool quiet);

/** @brief How many recent events sim_trace_recent() can reach. @return the
 *         ring's size */
size_t sim_trace_ring_size(void);

/** @brief Events emitted so far (the number of steps). @return the count */
uint64_t sim_trace_count(void);

/**
 * @brief A recent event from the ring.
 * @param[in] back 0 for the newest, 1 for the one before ...
 * @return the event, or NULL if it has left the ring
 */
const struct sim_trace_event *sim_trace_recent(uint64_t back);

/**
 * @brief A 64-bit hash of the whole stream so far (numbers and the text
 *        of every string, never pointers): equal hashes mean equal traces.
 * @return the hash
 */
uint64_t sim_trace_hash(void);

/** @brief The name of a kind. @param[in] kind the kind @return e.g. "lock-acquire" */
const char *sim_trace_kind_name(enum sim_trace_kind kind);

/**
 * @brief Format one event as a line of text (no newline).
 * @param[in]  ev  the event
 * @param[out] buf output
 * @param[in]  len its size
 * @return what snprintf returns
 */
int sim_trace_format(const struct sim_trace_event *ev, char *buf, size_t len);

/**
 * @brief A subscriber that prints every event to a FILE* (ctx).
 * @param[in] ev  the event
 * @param[in] ctx a FILE*
 */
void sim_trace_print(const struct sim_trace_event *ev, void *ctx);

/** @} */

#endif /* STORSIM_TRACE_H */
