/**
 * @file verifier.h
 * @brief The run-time verifier: a registry of rules from the Microsoft
 *        documentation and the seeds, each turning a miniport mistake into
 *        a named finding with the CPU, IRQL, routine, source line, SRB,
 *        the locks held, and the reason.
 *
 * Interface: verifier_attach() after the machine is created (the command
 * language and tests do it); the rules then watch the trace stream and the
 * port drivers' hook calls. verifier_count()/verifier_finding() and
 * verifier_report() give the findings; verifier_set_enabled() switches a
 * rule; verifier_rules() lists them.
 */
#ifndef STORSIM_VERIFIER_H
#define STORSIM_VERIFIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "storsim/types.h"

/**
 * @defgroup verifier Verifier
 * @brief Named rules, findings and the report.
 *
 * A rule of severity VERIFIER_BUGCHECK stops the machine (as Driver
 * Verifier does); the machine's own bug checks for the same mistakes are
 * reported as findings of the rule they break. A VERIFIER_WARNING rule is
 * counted and reported and the run goes on.
 * @{
 */

/** @brief What a finding does to the run. */
enum verifier_severity {
    VERIFIER_BUGCHECK, /**< the machine stops (DRIVER_VERIFIER_DETECTED_VIOLATION) */
    VERIFIER_WARNING,  /**< counted and reported; the run goes on */
};

/** @brief One rule. */
struct verifier_rule {
    const char *id;        /**< e.g. "buildio-shared-write" */
    const char *name;      /**< one line */
    const char *source;    /**< the document it comes from */
    enum verifier_severity severity; /**< what a finding does */
    const char *explain;   /**< a paragraph for students */
    bool enabled;          /**< checked in this run */
    uint64_t hits;         /**< findings so far */
};

/** @brief One finding. */
struct verifier_finding {
    const struct verifier_rule *rule; /**< the rule broken */
    sim_time_t time;       /**< when */
    int cpu;               /**< on which CPU (-1: none) */
    sim_irql_t irql;       /**< its IRQL */
    const char *routine;   /**< the routine it was in */
    const char *file;      /**< the miniport source file */
    int line;              /**< its line */
    uint32_t srb;          /**< the SRB, 0 if none */
    char locks[128];       /**< the locks the CPU held */
    char why[512];         /**< what happened */
};

/** @brief A field of a device extension, so changes can be named. */
struct verifier_field {
    const char *name;      /**< e.g. "ReqProd" */
    size_t offset;         /**< offsetof in the extension */
    size_t size;           /**< bytes */
    bool unique;           /**< belongs to one CPU or request: BuildIo may
                                write it */
};

/** @brief Most findings kept (later ones are counted, not stored). */
#define VERIFIER_MAX_FINDINGS 64

/**
 * @brief Start watching the current machine with every rule enabled
 *        (clears the findings of any earlier machine).
 * @return 0, or -ENOSPC if the trace has no room for another subscriber
 */
int verifier_attach(void);

/**
 * @brief The rules.
 * @param[out] n how many
 * @return the array
 */
const struct verifier_rule *verifier_rules(size_t *n);

/**
 * @brief Enable or disable a rule for the following runs.
 * @param[in] id the rule id
 * @param[in] on enable or disable
 * @return 0, or -ENOENT for an unknown id
 */
int verifier_set_enabled(const char *id, bool on);

/**
 * @brief Whether a warning finding stops the run, like a breakpoint (a
 *        bug-check finding always does). Off by default; the console
 *        turns it on. The run stops with SIM_STOP_REQUESTED at the next
 *        event, and the finding is reported.
 * @param[in] on stop or only count
 */
void verifier_set_stop(bool on);

/** @brief Whether warning findings stop the run. @return the setting */
bool verifier_stop(void);

/** @brief Findings so far (all, also those not stored). @return the count */
size_t verifier_count(void);

/**
 * @brief A stored finding.
 * @param[in] i 0 .. min(verifier_count(), VERIFIER_MAX_FINDINGS) - 1
 * @return the finding, or NULL
 */
const struct verifier_finding *verifier_finding(size_t i);

/**
 * @brief Print the findings report ("verifier: no findings" when clean).
 * @param[in] f where to print
 */
void verifier_report(FILE *f);

/**
 * @brief Record a finding of rule @p id on the calling CPU (for the port
 *        drivers' hook points). A bug-check rule then stops the machine.
 * @param[in] id   the rule id
 * @param[in] srb  the SRB, 0 if none
 * @param[in] fmt  printf-style reason
 * @return true if the rule is enabled (and so the finding was made)
 */
bool verifier_hit(const char *id, uint32_t srb, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * @brief Tell the verifier the layout of the miniport's device extension,
 *        so that writes by HwStorBuildIo outside its unique parts are
 *        caught and named (rule buildio-shared-write).
 * @param[in] ext     the device extension
 * @param[in] size    its size
 * @param[in] fields  its fields
 * @param[in] nfields how many
 */
void verifier_watch_extension(const void *ext, size_t size,
                              const struct verifier_field *fields,
                              size_t nfields);

/** @} */

#endif /* STORSIM_VERIFIER_H */
