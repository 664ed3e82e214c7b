/**
 * @file trace_export.h
 * @brief Streaming export of the trace to Chrome trace-event JSON, the
 *        format that Perfetto (ui.perfetto.dev) and chrome://tracing open.
 *
 * Interface: trace_export_start() on a machine that exists writes the
 * header and subscribes; every trace event is then turned into JSON and
 * written as the run goes; trace_export_finish() closes what is still
 * open, ends the document and frees the exporter. Nothing is kept per
 * event: memory stays the same however long the run (the exporter holds
 * its track state and a table of the SRBs in flight, which grows only
 * with the most in flight at once). trace_export_memory() says how much.
 *
 * What the file shows:
 * - process "CPUs": one track per CPU, with a slice per activation (the
 *   thread item, DPC or ISR) and, nested in it, a slice per routine
 *   (HwStorBuildIo, HwStorStartIo ...) and per lock spin, each coloured by
 *   its IRQL (PASSIVE green, APC olive, DISPATCH yellow, DIRQL red, above
 *   that black; spins orange);
 * - process "Locks": one track per spin lock, a slice per hold, named
 *   after the CPU that held it;
 * - process "Storage": a "queue depth" counter (SRBs outstanding in the
 *   port) and a device track with the HBA's events and interrupt asserts;
 * - flow arrows, one per SRB (id = the SRB id), from where it entered the
 *   port through HwStorBuildIo, StartIo and the ISR's completion notice to
 *   the DPC that completed it.
 *
 * Timestamps are microseconds with three decimals (nanosecond
 * resolution); the output depends only on the trace, so two runs with
 * the same seed export byte-identical files.
 *
 * @code
 * FILE *f = fopen("run.json", "w");
 * struct trace_export *te;
 * stack_create(&cfg, &st, err, sizeof err);
 * trace_export_start(f, NULL, &te);
 * stack_boot(st);
 * wl_run(st->pa, &spec, &res, err, sizeof err);
 * if (trace_export_finish(te) < 0)
 *     perror("run.json");
 * fclose(f);
 * @endcode
 */
#ifndef STORSIM_TRACE_EXPORT_H
#define STORSIM_TRACE_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/**
 * @defgroup trace_export Trace export
 * @ingroup sim_trace
 * @brief Chrome trace-event JSON, streamed.
 * @{
 */

/** @brief What to include beyond the default tracks. */
struct trace_export_options {
    bool registers;     /**< register reads and writes, DMA and PIO as
                             instant events on the CPU tracks (large) */
    bool calls;         /**< port-library calls and notifications as
                             instant events (large) */
};

/**
 * @brief Fill @p opt with the defaults (nothing extra).
 * @param[out] opt the options
 */
void trace_export_options_default(struct trace_export_options *opt);

struct trace_export;

/**
 * @brief Start exporting the current machine's trace to @p f: write the
 *        header and the track names, then subscribe.
 * @param[in]  f   where to write (the caller opens and closes it)
 * @param[in]  opt the options, or NULL for the defaults
 * @param[out] out the exporter
 * @return 0, -ENODEV if there is no machine, -ENOSPC if the machine has
 *         no room for another subscriber, -ENOMEM, or -EIO if the header
 *         could not be written
 */
int trace_export_start(FILE *f, const struct trace_export_options *opt,
                       struct trace_export **out);

/**
 * @brief Finish: end every slice still open at the time of the last
 *        event, close the document, flush, unsubscribe and free the
 *        exporter. Safe after the machine was destroyed.
 * @param[in] te the exporter (freed, whatever the result)
 * @return 0, or -EIO if anything could not be written
 */
int trace_export_finish(struct trace_export *te);

/**
 * @brief JSON events written so far.
 * @param[in] te the exporter
 * @return the count
 */
uint64_t trace_export_events(const struct trace_export *te);

/**
 * @brief Memory the exporter holds: its own state and its table of SRBs
 *        in flight (the FILE's buffer is the C library's).
 * @param[in]  te   the exporter
 * @param[out] peak the most it held at any time so far (may be NULL)
 * @return the bytes held now
 */
size_t trace_export_memory(const struct trace_export *te, size_t *peak);

/** @} */

#endif /* STORSIM_TRACE_EXPORT_H */
