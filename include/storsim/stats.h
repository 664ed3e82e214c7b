/**
 * @file stats.h
 * @brief Per-run statistics: a trace subscriber that measures a run of the
 *        machine (CPU time per IRQL, locks, interrupts and DPCs, queue depth
 *        over time, SRB state residency), a report of plain numbers with the
 *        workload's results and the verifier's findings beside them, and
 *        text and JSON printers.
 *
 * Interface: create a collector with stats_create(), attach it to the
 * running machine with stats_attach() (after stack_boot() to measure only
 * the workload, right after stack_create() to include the boot), run, then
 * call stats_collect() while the machine still exists: it reads the
 * machine's own counters (CPU time, lock and interrupt statistics) as
 * differences from the moment of attaching, and adds what the subscriber
 * measured from the trace stream. Put the workload's results into the
 * report with stats_report_set_workload() and the verifier's count into
 * stats_report::verifier_findings, then print it with stats_print_text()
 * or stats_print_json(). stats_little() checks Little's law on a report.
 *
 * @code
 * struct stats *sc;
 * struct stats_report *rep = calloc(1, sizeof *rep);
 * stack_create(&cfg, &st, err, sizeof err);
 * stack_boot(st);
 * stats_create(&sc);
 * stats_attach(sc);
 * wl_run(st->pa, &spec, &res, err, sizeof err);
 * stats_collect(sc, rep);              // before stack_destroy()
 * stats_report_set_workload(rep, &res);
 * stack_destroy(st);
 * stats_destroy(sc);
 * stats_print_json(rep, stdout);
 * @endcode
 *
 * A report is about 50 KiB (fixed arrays, no pointers, so it can be copied
 * and compared): keep it on the heap or in static memory. The collector
 * itself uses a fixed amount of memory plus a table of the SRBs in flight,
 * so it costs the same for a run of a thousand SRBs as for a billion.
 *
 * The JSON writer (stats_json_*) is public so that other reports (the
 * compare table) can write JSON with the same escaping and number rules.
 */
#ifndef STORSIM_STATS_H
#define STORSIM_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "storsim/port.h"
#include "storsim/sim.h"
#include "storsim/workload.h"

/**
 * @defgroup stats Statistics
 * @brief What a run measured, as numbers, text and JSON.
 * @{
 */

/** @brief Version of the JSON layout (the "storsim_stats" key). */
#define STATS_JSON_VERSION 1
/** @brief Points in the queue-depth time series (stats_queue_depth). */
#define STATS_QD_POINTS 128
/** @brief Most connected interrupts a report lists. */
#define STATS_MAX_INTERRUPTS 16
/** @brief Most named latency series (probes and stats_record_latency()). */
#define STATS_MAX_SERIES 8
/** @brief Room for a name in a report, terminating NUL included. */
#define STATS_NAME_LEN 32

/** @brief A latency distribution, summarised (nanoseconds). */
struct stats_latency {
    uint64_t count;   /**< values recorded */
    double mean;      /**< exact mean */
    sim_time_t min;   /**< exact minimum */
    sim_time_t p50;   /**< median, within 0.4% (hist.h) */
    sim_time_t p90;   /**< 90th percentile */
    sim_time_t p99;   /**< 99th percentile */
    sim_time_t p999;  /**< 99.9th percentile */
    sim_time_t max;   /**< exact maximum */
};

/** @brief One CPU over the run (simulated nanoseconds). */
struct stats_cpu {
    int id;                            /**< processor number */
    sim_time_t busy;                   /**< working, all IRQLs */
    sim_time_t spin;                   /**< spinning on locks, all IRQLs */
    sim_time_t idle;                   /**< the rest of the run */
    sim_time_t busy_at[SIM_NUM_IRQLS]; /**< working, per IRQL */
    sim_time_t spin_at[SIM_NUM_IRQLS]; /**< spinning, per IRQL */
    uint64_t interrupts;               /**< ISRs run */
    uint64_t dpcs;                     /**< DPCs run */
    uint64_t threads;                  /**< passive-level thread items run */
};

/** @brief One spin lock over the run. */
struct stats_lock {
    int id;                        /**< the lock's id in traces */
    char name[STATS_NAME_LEN];     /**< e.g. "StartIoLock" */
    sim_irql_t irql;               /**< the IRQL it is held at */
    uint64_t acquisitions;         /**< successful acquires */
    uint64_t contended;            /**< acquires that had to spin */
    sim_time_t hold_total;         /**< total time held */
    sim_time_t hold_max;           /**< longest hold seen in the run */
    sim_time_t spin_total;         /**< total time CPUs spun on it */
    sim_time_t spin_max;           /**< longest spin seen in the run */
};

/** @brief One connected interrupt over the run. */
struct stats_interrupt {
    char name[STATS_NAME_LEN];     /**< e.g. "simhba0" or "mouse" */
    sim_irql_t dirql;              /**< its DIRQL */
    uint64_t delivered;            /**< ISR invocations */
    uint64_t unclaimed;            /**< ISRs that returned FALSE */
    struct stats_latency latency;  /**< line asserted to ISR entry */
};

/** @brief Time an SRB spends in one port state (enum port_srb_state). */
struct stats_residency {
    uint64_t entries;   /**< times an SRB left this state */
    sim_time_t total;   /**< time spent in it, all SRBs */
    sim_time_t max;     /**< the longest single stay */
    double mean;        /**< total / entries */
};

/** @brief One point of the queue-depth series: an interval of the run. */
struct stats_qd_point {
    sim_time_t start;   /**< when the interval begins */
    double mean;        /**< SRBs outstanding, time-weighted mean over it */
    uint32_t max;       /**< the most outstanding at once in it */
};

/**
 * @brief SRBs outstanding in the port (from the first SIM_EV_SRB of an SRB
 *        to its PORT_SRB_COMPLETED) over time.
 *
 * The mean is taken over the busy window, from the first SRB seen to the
 * last completion, which is the window the workload's IOPS are measured
 * in. The series covers the run from stats_attach() in at most
 * STATS_QD_POINTS intervals of equal length (the length doubles as the
 * run grows, so the series costs the same for any run length).
 */
struct stats_queue_depth {
    double mean;             /**< time-weighted mean over the busy window */
    uint64_t max;            /**< the most at once */
    sim_time_t window;       /**< length of the busy window */
    sim_time_t interval;     /**< length of one series point */
    int npoints;             /**< points used */
    struct stats_qd_point points[STATS_QD_POINTS]; /**< the series */
};

/** @brief A named latency series (a probe, or stats_record_latency()). */
struct stats_series {
    char name[STATS_NAME_LEN];    /**< e.g. "mouse" */
    struct stats_latency latency; /**< its distribution */
};

/** @brief The mouse's interrupt latency over a run (seed 003: a long ISR
 *  makes the pointer jumpy), in nanoseconds. */
struct stats_mouse {
    uint64_t interrupts;    /**< reports serviced */
    uint64_t lost;          /**< reports overwritten before being read */
    sim_time_t p50;         /**< median latency, assert to ISR entry */
    sim_time_t p99;         /**< 99th percentile latency */
    sim_time_t max;         /**< worst latency */
};

/** @brief The serial and parallel ports' figures (seed 003's "serial and
 *  parallel throughput"), for those the machine has. */
struct stats_ports {
    bool has_serial;          /**< the serial fields are valid */
    uint64_t serial_offered;  /**< bytes the far end sent */
    uint64_t serial_received; /**< bytes SerialISR read */
    uint64_t serial_lost;     /**< bytes that found the FIFO full */
    uint64_t serial_overruns; /**< ISRs that found bytes lost */
    sim_time_t serial_p99;    /**< 99th percentile trigger-to-ISR time */
    bool has_parallel;        /**< the parallel fields are valid */
    uint64_t parallel_printed;    /**< bytes printed */
    sim_time_t parallel_printing; /**< time the jobs took */
    double parallel_rate;     /**< bytes per simulated second */
    double parallel_ideal;    /**< what the printer could take */
    sim_time_t parallel_p99;  /**< 99th percentile empty-to-ISR time */
};

/** @brief Everything a run measured: plain numbers, ready for JSON. */
struct stats_report {
    sim_time_t start;       /**< when the collector attached */
    sim_time_t end;         /**< when the report was collected */
    sim_time_t elapsed;     /**< end - start */
    uint64_t trace_events;  /**< trace events since the machine booted */
    uint64_t trace_hash;    /**< the trace's running hash: same scenario and
                                 seed, same hash */
    /** @name CPUs */
    /** @{ */
    int ncpus;                          /**< entries used in @c cpu */
    struct stats_cpu cpu[SIM_MAX_CPUS]; /**< per CPU */
    /** @} */
    /** @name Locks that were acquired during the run, by id */
    /** @{ */
    int nlocks;                              /**< entries used in @c lock */
    struct stats_lock lock[SIM_MAX_LOCKS];   /**< per lock */
    /** @} */
    /** @name Interrupts and DPCs */
    /** @{ */
    int ninterrupts;                                    /**< entries used */
    struct stats_interrupt interrupt[STATS_MAX_INTERRUPTS]; /**< per interrupt */
    uint64_t interrupts;    /**< ISRs run, all CPUs */
    uint64_t dpcs_queued;   /**< DPCs queued (a DPC already queued is not) */
    uint64_t dpcs_run;      /**< DPCs run */
    /** @} */
    /** @name SRBs at the port boundary */
    /** @{ */
    uint64_t srbs_seen;         /**< SRBs that entered the port */
    uint64_t srbs_completed;    /**< SRBs handed back (PORT_SRB_COMPLETED) */
    uint64_t srbs_in_flight;    /**< seen but not completed when collected */
    struct stats_latency srb_latency; /**< first port state to completion */
    struct stats_residency residency[PORT_SRB_STATE_COUNT]; /**< per state
                                      (PORT_SRB_COMPLETED stays zero) */
    struct stats_queue_depth qd;      /**< outstanding SRBs over time */
    /** @} */
    /** @name Named latency series */
    /** @{ */
    int nseries;                                   /**< entries used */
    struct stats_series series[STATS_MAX_SERIES];  /**< per name */
    /** @} */
    /** @name Filled by the caller */
    /** @{ */
    bool has_workload;           /**< @c workload is valid */
    struct wl_result workload;   /**< see stats_report_set_workload() */
    bool has_verifier;           /**< @c verifier_findings is valid */
    uint64_t verifier_findings;  /**< violations the verifier reported */
    bool has_mouse;              /**< @c mouse is valid */
    struct stats_mouse mouse;    /**< see stats_report_set_mouse() */
    struct stats_ports ports;    /**< see stats_report_set_ports() */
    /** @} */
};

/** @brief Sums over every CPU of a report, for tables such as compare. */
struct stats_totals {
    sim_time_t busy;          /**< working, all CPUs */
    sim_time_t spin;          /**< spinning, all CPUs */
    sim_time_t idle;          /**< idle, all CPUs */
    sim_time_t at_passive;    /**< working at PASSIVE_LEVEL and APC_LEVEL */
    sim_time_t at_dispatch;   /**< working at DISPATCH_LEVEL */
    sim_time_t at_dirql;      /**< working at a device IRQL or above */
    double utilization;       /**< (busy + spin) / (ncpus * elapsed), 0..1 */
    sim_time_t lock_spin;     /**< time spun on all locks */
    uint64_t lock_contended;  /**< contended acquires, all locks */
};

/**
 * @brief Little's law on a report: L = lambda * W, at the port boundary.
 *
 * L is the time-weighted mean of SRBs outstanding in the port and W the
 * mean time an SRB spends in the port (both measured by the collector);
 * lambda is the workload's throughput when the report has a workload
 * whose requests were not split (an independent count), else the port's
 * completions per second. The workload's own latency is not used for W:
 * it also counts the class layer's time before the port sees an SRB and
 * after it hands it back, so it belongs to a wider boundary (where the
 * law holds with the workload's wl_result::qd_mean as L).
 */
struct stats_little {
    double l;            /**< mean SRBs outstanding in the port */
    double lambda;       /**< throughput, SRBs per simulated second */
    double w;            /**< mean time in the port, seconds */
    double lambda_w;     /**< lambda * w */
    double rel_error;    /**< |l - lambda_w| / lambda_w (0 if both are 0) */
    bool from_workload;  /**< lambda is the workload's figure */
};

/**
 * @brief Extracts a latency from the trace stream, for devices the stats
 *        do not know (a mouse's input-to-DPC time, say): called for every
 *        event while attached.
 * @param ev  the event
 * @param ctx the context given to stats_add_probe()
 * @param ns  out: the latency, when the event completes a sample
 * @return true when @p ns holds a sample
 */
typedef bool stats_probe_fn(const struct sim_trace_event *ev, void *ctx,
                            sim_time_t *ns);

struct stats;

/**
 * @brief Allocate a collector (not yet attached).
 * @param[out] out the collector
 * @return 0 or -ENOMEM
 */
int stats_create(struct stats **out);

/**
 * @brief Free a collector, detaching it first if needed. NULL is allowed.
 * @param[in] st the collector
 */
void stats_destroy(struct stats *st);

/**
 * @brief Start measuring the current machine: remember its counters (the
 *        report gives differences from now) and subscribe to its trace.
 *        Attaching again restarts the measurement.
 * @param[in,out] st the collector
 * @return 0, -ENODEV if there is no machine, or -ENOSPC if the machine
 *         has no room for another trace subscriber
 */
int stats_attach(struct stats *st);

/**
 * @brief Stop listening to the trace (what was measured is kept). Safe to
 *        call after the machine was destroyed, or when not attached.
 * @param[in,out] st the collector
 */
void stats_detach(struct stats *st);

/**
 * @brief Add a latency probe: a named series fed by @p fn from every trace
 *        event. For optional devices (the mouse): the stats need not know
 *        them, and they need not know the stats.
 * @param[in,out] st   the collector
 * @param[in]     name the series' name (copied, at most STATS_NAME_LEN - 1 chars)
 * @param[in]     fn   the probe
 * @param[in]     ctx  its context
 * @return 0, -EINVAL for an empty name or NULL @p fn, or -ENOSPC when
 *         STATS_MAX_SERIES series exist
 */
int stats_add_probe(struct stats *st, const char *name, stats_probe_fn *fn,
                    void *ctx);

/**
 * @brief Record one latency in a named series, creating the series on
 *        first use.
 * @param[in,out] st   the collector
 * @param[in]     name the series' name
 * @param[in]     ns   the latency
 * @return 0, -EINVAL for an empty name, or -ENOSPC when the series is new
 *         and STATS_MAX_SERIES exist
 */
int stats_record_latency(struct stats *st, const char *name, sim_time_t ns);

/**
 * @brief The report so far: the machine's counters since stats_attach()
 *        and what the subscriber measured. Call while the machine that was
 *        attached still exists (before stack_destroy()); may be called
 *        more than once. The caller-filled fields (workload, verifier)
 *        are cleared.
 * @param[in]  st  the collector
 * @param[out] out the report
 * @return 0, -EINVAL if the collector was never attached, or -ENODEV if
 *         the machine it was attached to is gone
 */
int stats_collect(const struct stats *st, struct stats_report *out);

/**
 * @brief Put a workload's results into a report.
 * @param[in,out] r   the report
 * @param[in]     res the results (copied)
 */
void stats_report_set_workload(struct stats_report *r,
                               const struct wl_result *res);

/**
 * @brief Put the verifier's findings into a report.
 * @param[in,out] r        the report
 * @param[in]     findings the number of violations reported
 */
void stats_report_set_verifier(struct stats_report *r, uint64_t findings);

/**
 * @brief Put the mouse's interrupt latency into a report.
 * @param[in,out] r the report
 * @param[in]     m the figures (copied)
 */
void stats_report_set_mouse(struct stats_report *r, const struct stats_mouse *m);

/**
 * @brief Put the serial and parallel ports' figures into a report.
 * @param[in,out] r the report
 * @param[in]     p the figures (copied)
 */
void stats_report_set_ports(struct stats_report *r, const struct stats_ports *p);

/**
 * @brief Print a line for each port present ("serial: ...", "parallel:
 *        ..."), each after @p indent.
 * @param[in] p      the figures
 * @param[in] indent printed before each line
 * @param[in] f      where to
 */
void stats_print_ports(const struct stats_ports *p, const char *indent,
                       FILE *f);

/**
 * @brief Print the mouse's line ("mouse: N interrupts, latency p50 ...").
 * @param[in] m the figures
 * @param[in] f where to
 */
void stats_print_mouse(const struct stats_mouse *m, FILE *f);

/**
 * @brief Sums over every CPU and lock of a report.
 * @param[in]  r   the report
 * @param[out] out the sums
 */
void stats_totals(const struct stats_report *r, struct stats_totals *out);

/**
 * @brief Little's law on a report (see struct stats_little).
 * @param[in]  r   the report
 * @param[out] out the three figures and their relative difference
 */
void stats_little(const struct stats_report *r, struct stats_little *out);

/**
 * @brief A connected interrupt of a report by name ("mouse0", the
 *        adapter's name ...).
 * @param[in] r    the report
 * @param[in] name the interrupt's name
 * @return its figures, or NULL if the report has no such interrupt
 */
const struct stats_interrupt *
stats_find_interrupt(const struct stats_report *r, const char *name);

/**
 * @brief Print a report for people: sections for the workload, CPUs,
 *        locks, interrupts, SRB states and queue depth.
 * @param[in] r the report
 * @param[in] f where to print
 */
void stats_print_text(const struct stats_report *r, FILE *f);

/**
 * @brief Print a report as one JSON object and a newline: stable key
 *        order, numbers as numbers, times in nanoseconds.
 * @param[in] r the report
 * @param[in] f where to print
 * @return 0, or -EIO if writing failed
 */
int stats_print_json(const struct stats_report *r, FILE *f);

/* ---------------------------------------------------------------------- */

/** @brief Deepest nesting of objects and arrays a stats_json writes. */
#define STATS_JSON_MAX_DEPTH 32
/** @brief Bytes a stats_json collects before it writes them to its FILE. */
#define STATS_JSON_BUFFER 4096

/**
 * @brief A streaming JSON writer: values are written as they are given,
 *        with commas, indentation and string escaping done for you.
 *
 * Strings are escaped as RFC 8259 requires (quote, backslash, control
 * characters), and bytes that are not valid UTF-8 become U+FFFD, so the
 * output is valid JSON whatever the input. Non-finite doubles are written
 * as null; numbers never depend on the locale. Fill with stats_json_init().
 *
 * The writer collects its output in a buffer of its own (a C library
 * fwrite() per token costs more than all the rest of the exporter), so
 * call stats_json_flush() before writing to the FILE directly, and end
 * with stats_json_finish().
 */
struct stats_json {
    FILE *f;            /**< where to write */
    int depth;          /**< open objects and arrays */
    int pretty_depth;   /**< containers deeper than this are written on one line */
    bool first[STATS_JSON_MAX_DEPTH]; /**< no element yet at this depth */
    bool is_object[STATS_JSON_MAX_DEPTH]; /**< the container at this depth is an object */
    bool after_key;     /**< a key was written; its value comes next */
    int error;          /**< 0, or the first error (-EIO, -EINVAL) */
    size_t len;         /**< bytes waiting in @c buf */
    char buf[STATS_JSON_BUFFER]; /**< output not yet given to @c f */
};

/**
 * @brief Start a writer.
 * @param[out] w            the writer
 * @param[in]  f            where to write
 * @param[in]  pretty_depth elements of containers nested up to this depth
 *                          go on lines of their own, indented two spaces
 *                          per level (0: everything on one line)
 */
void stats_json_init(struct stats_json *w, FILE *f, int pretty_depth);

/** @brief Open an object. @param[in,out] w the writer */
void stats_json_object_begin(struct stats_json *w);

/** @brief Close the innermost object. @param[in,out] w the writer */
void stats_json_object_end(struct stats_json *w);

/** @brief Open an array. @param[in,out] w the writer */
void stats_json_array_begin(struct stats_json *w);

/** @brief Close the innermost array. @param[in,out] w the writer */
void stats_json_array_end(struct stats_json *w);

/**
 * @brief Write an object key; the next call writes its value.
 * @param[in,out] w   the writer
 * @param[in]     key the key (escaped like any string)
 */
void stats_json_key(struct stats_json *w, const char *key);

/**
 * @brief Write a string value.
 * @param[in,out] w the writer
 * @param[in]     s the string (NULL is written as null)
 */
void stats_json_string(struct stats_json *w, const char *s);

/** @brief Write an unsigned integer. @param[in,out] w the writer @param[in] v the value */
void stats_json_uint(struct stats_json *w, uint64_t v);

/** @brief Write a signed integer. @param[in,out] w the writer @param[in] v the value */
void stats_json_int(struct stats_json *w, int64_t v);

/**
 * @brief Write a floating-point number with up to 10 significant digits
 *        (null if it is not finite).
 * @param[in,out] w the writer
 * @param[in]     v the value
 */
void stats_json_double(struct stats_json *w, double v);

/** @brief Write true or false. @param[in,out] w the writer @param[in] v the value */
void stats_json_bool(struct stats_json *w, bool v);

/** @brief Write null. @param[in,out] w the writer */
void stats_json_null(struct stats_json *w);

/**
 * @brief Write a time in microseconds with its nanoseconds as three
 *        decimals (12345 ns is 12.345), as the Chrome trace format wants.
 * @param[in,out] w  the writer
 * @param[in]     ns the time in nanoseconds
 */
void stats_json_time_us(struct stats_json *w, sim_time_t ns);

/**
 * @brief Write what the writer has buffered to its FILE and flush that.
 * @param[in,out] w the writer
 * @return 0, or -EIO if writing failed
 */
int stats_json_flush(struct stats_json *w);

/**
 * @brief Finish: check that every container was closed and the output
 *        was written; ends the text with a newline and flushes.
 * @param[in,out] w the writer
 * @return 0, -EINVAL if containers are left open or were misused, or
 *         -EIO if writing failed
 */
int stats_json_finish(struct stats_json *w);

/**
 * @brief Write a report as one JSON value into a writer (for embedding a
 *        report in a larger document, as compare --json does).
 * @param[in]     r the report
 * @param[in,out] w the writer, where a value may come next
 */
void stats_report_write_json(const struct stats_report *r,
                             struct stats_json *w);

/** @} */

#endif /* STORSIM_STATS_H */
