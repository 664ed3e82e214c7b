/**
 * @file ui_model.h
 * @brief What the console's panes show, computed from the machine and a
 *        little state of the console's own, without a terminal: the SRBs
 *        in flight (from SIM_EV_SRB events), each CPU's IRQL over recent
 *        time, the adapter registers as the driver last saw them, the
 *        values that changed in the last step, and the source files.
 *
 * Interface: ui_model_create(); after every command that may have built,
 * replaced or destroyed the machine, ui_model_sync() with the session's
 * stack (it attaches a trace subscriber to a new machine and forgets a
 * gone one); ui_model_mark() before each step, so that the ui_model_*
 * "changed" queries compare with the state before it. Everything here
 * reads the machine; nothing changes what it does, so a run with the
 * console attached gives the same trace as one without.
 *
 * To know each SRB's function, CDB, LUN, LBA and length, the model puts a
 * filter in front of the port driver, as a filter driver sits on a device
 * stack: it wraps the adapter's port_ops::submit, reads the SRB, and
 * passes the request on unchanged (no event, no simulated time).
 */
#ifndef STORSIM_UI_MODEL_H
#define STORSIM_UI_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "storsim/port.h"
#include "storsim/sim.h"
#include "storsim/stack.h"

/**
 * @addtogroup ui
 * @{
 */

/** @brief Completed SRBs the model remembers (the newest). */
#define UI_SRB_DONE_KEEP 64
/** @brief IRQL changes remembered per CPU for the timeline. */
#define UI_TIMELINE_RING 2048
/** @brief Register slots (the SIMHBA window is 0x100 bytes). */
#define UI_REGS 64
/** @brief Source files kept in memory at once. */
#define UI_SOURCE_CACHE 8

/** @brief One SRB as the console knows it. */
struct ui_srb {
    uint32_t id;            /**< the SRB id of the trace (0: empty slot) */
    uint8_t state;          /**< enum port_srb_state it is in */
    bool known;             /**< the fields below were read at submission */
    bool named;             /**< function, opcode and lun are known: read at
                                 submission, or from the SRB events'
                                 PORT_SRB_DESC_* when the request bypassed
                                 the console's filter (the bus scan, or SRBs
                                 before the console attached) */
    uint8_t function;       /**< SRB function (SRB_FUNCTION_*) */
    uint8_t opcode;         /**< CDB byte 0 (EXECUTE_SCSI only) */
    uint8_t target;         /**< TargetId */
    uint8_t lun;            /**< Lun */
    uint64_t lba;           /**< LBA of a READ, WRITE or VERIFY CDB, else 0 */
    uint32_t length;        /**< DataTransferLength at submission */
    int cpu;                /**< CPU of its last state change (-1: device) */
    sim_time_t first;       /**< when the console first saw it */
    sim_time_t since;       /**< when it entered @c state */
    uint64_t changed_seq;   /**< event number of its last state change */
    const void *srb;        /**< the SRB itself while in flight (to read
                                 SrbStatus and such live), else NULL */
};

/** @brief One IRQL change of a CPU, for the timeline. */
struct ui_irql_mark {
    sim_time_t time;  /**< when */
    uint8_t irql;     /**< the IRQL from then on */
    uint8_t busy;     /**< 1 if the CPU had an activation */
};

/** @brief What the "changed" queries compare a CPU with. */
struct ui_cpu_snap {
    sim_irql_t irql;           /**< IRQL */
    int state;                 /**< enum sim_cpu_state */
    const char *routine;       /**< innermost routine */
    uint32_t srb;              /**< SRB of the top activation */
    int nheld;                 /**< locks held */
    const void *spin_on;       /**< lock spun on */
    int nframes;               /**< activations */
};

/** @brief One source file, read whole. */
struct ui_source {
    char name[256];       /**< the file as the trace names it */
    char path[1024];      /**< where it was found, or "" */
    char *text;           /**< its content (lines end with NUL), or NULL */
    char **lines;         /**< line i + 1 at lines[i] */
    int nlines;           /**< lines */
    uint64_t used;        /**< for replacement: the newest use */
};

/**
 * @brief The console's model. Read-only outside src/ui, apart from the
 *        selection fields.
 */
struct ui_model {
    /** @name The machine it follows */
    /** @{ */
    uint64_t serial;          /**< sim_machine_serial() attached, 0 if none */
    struct stack *st;         /**< its stack */
    int ncpus;                /**< its CPUs */
    int generation;           /**< machines attached so far */
    /** @} */
    /** @name SRBs (open addressing by id; the newest completed in a ring) */
    /** @{ */
    struct ui_srb *srbs;      /**< in flight */
    uint32_t srb_mask;        /**< capacity - 1 */
    uint32_t srb_used;        /**< entries in use */
    struct ui_srb done[UI_SRB_DONE_KEEP]; /**< completed, ring */
    uint64_t ndone;           /**< SRBs completed, history included */
    uint64_t nseen;           /**< SRBs seen, history included */
    uint64_t ndone_before;    /**< of ndone, those before attaching (from
                                   the trace ring; not in the figures below
                                   nor in the stats pane's rate) */
    sim_time_t lat_total;     /**< sum of first-seen-to-completion times,
                                   since attaching */
    sim_time_t lat_max;       /**< the longest, since attaching */
    sim_time_t residency[PORT_SRB_STATE_COUNT]; /**< time spent per state,
                                                     since attaching */
    uint64_t res_count[PORT_SRB_STATE_COUNT];   /**< stays per state */
    /** @} */
    /** @name The IRQL timeline */
    /** @{ */
    struct ui_irql_mark *tl;  /**< ncpus rings of UI_TIMELINE_RING */
    uint64_t tl_n[SIM_MAX_CPUS];    /**< marks recorded per CPU */
    sim_time_t tl_start;      /**< when recording began */
    /** @} */
    /** @name Registers as the driver last read or wrote them */
    /** @{ */
    uint32_t reg[UI_REGS];          /**< value by offset / 4 */
    bool reg_seen[UI_REGS];         /**< seen at all */
    uint64_t reg_changed_seq[UI_REGS]; /**< event number of the last change */
    /** @} */
    /** @name The last step */
    /** @{ */
    uint64_t mark_seq;        /**< sim_trace_count() at ui_model_mark() */
    struct ui_cpu_snap cpu_prev[SIM_MAX_CPUS]; /**< CPUs then */
    int16_t lock_owner_prev[SIM_MAX_LOCKS + 1]; /**< lock owners then, by id */
    uint8_t lock_spin_prev[SIM_MAX_LOCKS + 1];  /**< spinners then, by id */
    /** @} */
    /** @name Following and selection */
    /** @{ */
    int last_cpu;             /**< CPU of the newest CPU event, or -1 */
    int sel_cpu;              /**< the CPU chosen with `select cpu`, or -1 */
    uint32_t sel_srb;         /**< the SRB chosen with `select srb`, or 0 */
    /** @} */
    /** @name Source files */
    /** @{ */
    struct ui_source src[UI_SOURCE_CACHE]; /**< the cache */
    uint64_t src_clock;       /**< uses so far */
    /** @} */
    /** @cond INTERNAL */
    struct port_adapter *pa;
    const struct port_ops *pa_ops;
    struct port_ops filter_ops;
    /** @endcond */
};

/**
 * @brief Allocate a model that follows no machine yet.
 * @param[out] out the model
 * @return 0 or -ENOMEM
 */
int ui_model_create(struct ui_model **out);

/** @brief Detach and free. NULL is allowed. @param[in] m the model */
void ui_model_destroy(struct ui_model *m);

/**
 * @brief Follow the session's machine: attach to a new one (subscribe,
 *        put the SRB filter in front of the port driver), forget one that
 *        is gone. Cheap when nothing changed.
 * @param[in,out] m  the model
 * @param[in]     st the session's stack, or NULL
 * @return true if the model now follows a different machine than before
 */
bool ui_model_sync(struct ui_model *m, struct stack *st);

/**
 * @brief Stop following the machine (unsubscribe, take the filter away)
 *        and forget everything learnt from it.
 * @param[in,out] m the model
 */
void ui_model_detach(struct ui_model *m);

/** @brief Whether the model follows a machine that exists.
 *  @param[in] m the model @return true if attached */
bool ui_model_attached(const struct ui_model *m);

/**
 * @brief Remember the machine's state now, before a step; the "changed"
 *        queries then tell what the step changed.
 * @param[in,out] m the model
 */
void ui_model_mark(struct ui_model *m);

/** @brief Fields of a CPU for ui_model_cpu_changed(). */
enum ui_cpu_field {
    UI_CPU_IRQL,     /**< the IRQL */
    UI_CPU_STATE,    /**< the state */
    UI_CPU_ROUTINE,  /**< the routine (or the activation stack) */
    UI_CPU_SRB,      /**< the SRB */
    UI_CPU_LOCKS,    /**< the locks held or spun on */
};

/**
 * @brief Whether a CPU's field changed since ui_model_mark().
 * @param[in] m     the model
 * @param[in] cpu   the CPU
 * @param[in] field which field
 * @return true if it changed
 */
bool ui_model_cpu_changed(const struct ui_model *m, int cpu,
                          enum ui_cpu_field field);

/**
 * @brief Whether a lock's owner or spinners changed since ui_model_mark().
 * @param[in] m  the model
 * @param[in] id the lock's id
 * @return true if it changed
 */
bool ui_model_lock_changed(const struct ui_model *m, int id);

/**
 * @brief CPUs spinning on a lock now.
 * @param[in] id the lock's id
 * @return the count
 */
int ui_lock_spinners(int id);

/**
 * @brief An SRB the model knows, in flight or recently completed.
 * @param[in] m  the model
 * @param[in] id the SRB id
 * @return the entry or NULL
 */
const struct ui_srb *ui_model_srb(const struct ui_model *m, uint32_t id);

/**
 * @brief The SRBs to list: those in flight by id, then the most recently
 *        completed, newest first.
 * @param[in]  m   the model
 * @param[out] out the entries
 * @param[in]  max room in @p out
 * @param[out] ninflight how many SRBs are in flight (all of them: the
 *                       first min(@p max, that) entries of @p out)
 * @return the number written
 */
int ui_model_srb_list(const struct ui_model *m, const struct ui_srb **out,
                      int max, int *ninflight);

/**
 * @brief The CPU the console follows: the one chosen with `select cpu`,
 *        else the CPU of the newest event on a CPU, else 0.
 * @param[in] m the model
 * @return the CPU
 */
int ui_model_cpu(const struct ui_model *m);

/**
 * @brief The SRB `next` follows: the one chosen with `select srb` while
 *        it is in flight, else the SRB of the followed CPU's activation,
 *        else the oldest SRB in flight.
 * @param[in] m the model
 * @return the id, or 0 when there is none
 */
uint32_t ui_model_current_srb(const struct ui_model *m);

/**
 * @brief A CPU's IRQL over time, for the timeline: for each of @p n
 *        intervals of @p bucket ns ending at @p end, the highest IRQL the
 *        CPU was at, -1 if it was idle throughout, -2 if unknown (before
 *        the console was watching).
 * @param[in]  m      the model
 * @param[in]  cpu    the CPU
 * @param[in]  end    end of the last interval
 * @param[in]  bucket length of an interval (> 0)
 * @param[in]  n      intervals
 * @param[out] out    @p n values, oldest first
 */
void ui_model_timeline(const struct ui_model *m, int cpu, sim_time_t end,
                       sim_time_t bucket, int n, int8_t *out);

/**
 * @brief A register as the driver last read or wrote it.
 * @param[in]  m       the model
 * @param[in]  offset  the register offset
 * @param[out] value   its value
 * @param[out] changed whether that changed in the last step (may be NULL)
 * @return false if the driver has not touched it since the console attached
 */
bool ui_model_reg(const struct ui_model *m, uint32_t offset, uint32_t *value,
                  bool *changed);

/**
 * @brief Read an SRB's details (function, CDB, LUN, LBA, length) into an
 *        entry, through the WDK accessors (both SRB formats).
 * @param[in]  srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @param[out] e   the entry to fill
 */
void ui_srb_read(const void *srb, struct ui_srb *e);

/**
 * @brief A live field of an SRB in flight.
 * @param[in] e     the entry (its @c srb must be set)
 * @param[in] field "status", "scsi-status" or "length"
 * @param[out] value the value
 * @return 0, -ENOENT for an unknown field, -ESRCH when not in flight
 */
int ui_srb_field(const struct ui_srb *e, const char *field, uint64_t *value);

/**
 * @brief A short name for an SRB: the CDB opcode for EXECUTE_SCSI
 *        ("READ(10)"), else the function ("FLUSH").
 * @param[in] e the entry
 * @return a static string
 */
const char *ui_srb_what(const struct ui_srb *e);

/**
 * @brief Look a source file up: STORSIM_SRCDIR, the tree the program was
 *        built in, the current directory, then the installed data
 *        directory. Files found are kept in the model's cache.
 * @param[in,out] m    the model
 * @param[in]     name the file as the trace names it ("src/miniport/io.c")
 * @return the file; its @c text is NULL if it was not found
 */
const struct ui_source *ui_model_source(struct ui_model *m, const char *name);

/**
 * @brief A duration for the panes: "850ns", "12.3us", "4.56ms", "1.20s".
 * @param[in]  ns  the duration
 * @param[out] buf output
 * @param[in]  len its size
 * @return @p buf
 */
char *ui_fmt_time(sim_time_t ns, char *buf, size_t len);

/** @} */

#endif /* STORSIM_UI_MODEL_H */
