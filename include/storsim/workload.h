/* workload.h - requests from above: a class-driver-like layer that turns
 * fio-like workloads and one-off commands into SRBs. */
/**
 * @file workload.h
 * @brief Requests from above: fio-like workloads of reads and writes, and
 *        one-off commands (TEST UNIT READY, INQUIRY, resets ...), turned
 *        into SCSI_REQUEST_BLOCKs or STORAGE_REQUEST_BLOCKs and submitted
 *        with port_submit() from passive-level threads, with every read
 *        verified and every request accounted for.
 *
 * Interface: the command language and the tests describe a workload with a
 * struct wl_spec (wl_spec_default(), wl_spec_parse() from text such as
 * "pattern=random bs=4k qd=8 count=1000 read=70 luns=0,1 cpus=0-3"), create
 * it on a scanned adapter with wl_create(), start it with wl_start(), run
 * the machine, then call wl_finish() and read the outcome with
 * wl_get_result() or wl_print_summary(). wl_run() does all of that in one
 * call. Port-driver tests send single requests of any SRB function with
 * wl_cmd_create() and wl_cmd_post().
 *
 * What the layer does per request, as ClassPnP does for a disk:
 * - takes the data buffer from physmem_alloc(len, false), so its
 *   scatter/gather list has real breaks (buffers are reused between
 *   requests, as the host pays for every fresh mapping), and the SRB with
 *   its sense buffer (WL_SENSE_LENGTH bytes) in one physmem page, so both
 *   have physical addresses; the port allocates the SrbExtension;
 * - builds READ(10)/WRITE(10), or READ(16)/WRITE(16) when the LBA or the
 *   block count does not fit, with SrbFlags DATA_IN or DATA_OUT plus
 *   ADAPTER_CACHE_ENABLE (one-off commands get DISABLE_SYNCH_TRANSFER and
 *   NO_QUEUE_FREEZE, as ClassSendSrbSynchronous sets), TimeOutValue,
 *   QueueSortKey = the LBA, QueueTag = SP_UNTAGGED and QueueAction =
 *   SRB_SIMPLE_TAG_REQUEST (tagging is the port's business), and
 *   OriginalRequest = the struct port_request (the IRP);
 * - splits a request larger than MaximumTransferLength, or spanning more
 *   than NumberOfPhysicalBreaks + 1 pages, into child SRBs, and completes
 *   the request when the last child completes;
 * - submits at PASSIVE_LEVEL from a thread item on each chosen CPU; the
 *   completion routine (DISPATCH_LEVEL, any CPU) verifies, accounts, and
 *   posts the submitting CPU's thread to issue the next request.
 *
 * Data integrity: every written block carries a stamp (LUN, LBA,
 * generation, request id, checksum of the block), and a sparse model
 * remembers the generation each LBA must hold, so every read block is
 * checked; never-written blocks must read as zeros (wl_spec::fresh). A
 * read buffer is poisoned before it is submitted, so a read that
 * "succeeds" without moving data is caught too. The layer never has two
 * requests in flight to the same block range, so what a read must return
 * is never ambiguous. Every SRB must complete exactly once: lost,
 * duplicated and corrupted requests are counted, and so are failures by
 * SRB status and sense key (see wl_result).
 *
 * Limits of the checking, by design:
 * - after a failed write, and for writes the model had no memory for
 *   (wl_spec::track_bytes), the blocks are "unknown": a read of them must
 *   hold zeros or a good stamp of that very block, and counts as
 *   plausible (wl_result::blocks_weak), never as verified;
 * - a second completion is recognised while the SRB's record waits in a
 *   quarantine of the last 256 completed SRBs; a later one would touch a
 *   reused record (as a use-after-free would in Windows);
 * - one-off WRITEs (wl_cmd) are not stamped or tracked: verify such a disk
 *   with fresh=no;
 * - the model is keyed by the index in the adapter's luns[], so a shared
 *   model (wl_model_create()) belongs to one adapter, and one running
 *   workload at a time.
 *
 * @code
 * struct wl_spec spec;
 * struct wl_result res;
 * char err[160];
 * wl_spec_default(&spec);
 * if (wl_spec_parse(&spec, "pattern=random bs=4k qd=8 count=1000 read=70",
 *                   err, sizeof err) < 0)
 *     puts(err);
 * else if (wl_run(adapter, &spec, &res, err, sizeof err) == 0 && !res.ok)
 *     puts("integrity check failed");
 * @endcode
 */
#ifndef STORSIM_WORKLOAD_H
#define STORSIM_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "storsim/port.h"
#include "storsim/sim.h"

/**
 * @defgroup workload Requests from above
 * @brief The class-driver-like layer: workloads, SRB building, splitting,
 *        data verification and statistics.
 * @{
 */

/** @brief Bytes of the sense buffer given with every SRB (18 is the
 *         fixed-format minimum; more lets a port show it honours
 *         SenseInfoBufferLength). */
#define WL_SENSE_LENGTH 32

/** @brief The default TimeOutValue, in seconds (as disk.sys uses). */
#define WL_DEFAULT_TIMEOUT 10

/** @brief wl_spec::cpus value of "cpus=all": every CPU of the machine. */
#define WL_ALL_CPUS UINT64_MAX

/** @brief How a workload picks its LBAs. */
enum wl_pattern {
    WL_SEQUENTIAL, /**< one cursor per LUN, shared by every submitting CPU */
    WL_RANDOM,     /**< uniform over the region, aligned to the block size */
};

/** @brief Which SRB format requests use. */
enum wl_srb_kind {
    WL_SRB_SCSI, /**< SCSI_REQUEST_BLOCK */
    WL_SRB_EX,   /**< STORAGE_REQUEST_BLOCK (SRB_FUNCTION_STORAGE_REQUEST_BLOCK) */
};

/**
 * @brief A workload definition, fio-like. Fill with wl_spec_default(),
 *        then set fields or call wl_spec_parse().
 *
 * The text keys of wl_spec_parse() are given with each field.
 */
struct wl_spec {
    enum wl_pattern pattern; /**< pattern=seq|random */
    uint32_t bs;             /**< bs=4k: bytes per request, a multiple of
                                  every chosen LUN's block size */
    uint32_t qd;             /**< qd=8: outstanding requests per submitting CPU */
    uint64_t count;          /**< count=1000: requests in all (0 = no limit) */
    sim_time_t duration;     /**< duration=10ms: issue no request after this
                                  much simulated time (0 = no limit) */
    unsigned read_pct;       /**< read=70: percentage of reads, 0..100 */
    uint64_t luns;           /**< luns=0,1: bit i selects adapter LUN i
                                  (its luns[i]); 0 = every LUN */
    uint64_t cpus;           /**< cpus=0-3: bit i makes CPU i submit; 0 = CPU 0;
                                  WL_ALL_CPUS = every CPU */
    uint64_t seed;           /**< seed=5: the random streams' seed (0 = derive
                                  from the machine seed) */
    enum wl_srb_kind srb;    /**< srb=scsi|ex */
    uint32_t timeout;        /**< timeout=10: TimeOutValue in seconds */
    uint64_t offset;         /**< offset=1M: where the region starts on each LUN, bytes */
    uint64_t size;           /**< size=64M: bytes of the region (0 = to the end) */
    bool fresh;              /**< fresh=yes: the disks were never written, so
                                  unwritten blocks must read as zeros; with
                                  no, they may also hold any valid stamp */
    sim_time_t submit_cost;  /**< submit-cost=1us: CPU time to build a request */
    uint64_t track_bytes;    /**< track=64M: memory the integrity model may
                                  use; beyond it, blocks are checked only for
                                  a self-consistent stamp */
};

/**
 * @brief Fill @p spec with the defaults: random, 4 KiB, qd 1, count 1000,
 *        100% reads, every LUN, CPU 0, seed 0, SCSI_REQUEST_BLOCK, timeout
 *        10 s, the whole LUN, fresh, submit cost 1 us, 64 MiB of tracking.
 * @param[out] spec the definition to fill
 */
void wl_spec_default(struct wl_spec *spec);

/**
 * @brief Set one key of a definition from text.
 * @param[in,out] spec   the definition
 * @param[in]     key    e.g. "bs"
 * @param[in]     value  e.g. "4k" (sizes take k, m, g; times ns, us, ms, s)
 * @param[out]    err    on error, a message naming the key, the bad value and
 *                       what is allowed, with a suggestion for misspellings:
 *                       "unknown key 'qdepth', did you mean 'qd'?"
 * @param[in]     errlen size of @p err
 * @return 0, -ENOENT for an unknown key, -EINVAL for a bad value
 */
int wl_spec_set(struct wl_spec *spec, const char *key, const char *value,
                char *err, size_t errlen);

/**
 * @brief Parse a definition: whitespace-separated key=value pairs, applied
 *        in order on top of what @p spec holds.
 * @param[in,out] spec   the definition
 * @param[in]     text   e.g. "pattern=random bs=4k qd=8 count=1000 read=70"
 * @param[out]    err    on error, as wl_spec_set() says
 * @param[in]     errlen size of @p err
 * @return 0, -ENOENT or -EINVAL (then @p spec may be partly changed)
 */
int wl_spec_parse(struct wl_spec *spec, const char *text, char *err,
                  size_t errlen);

/**
 * @brief Check the parts of a definition that need no adapter: a count or
 *        a duration, sizes that are multiples of 512.
 * @param[in]  spec   the definition
 * @param[out] err    on error, what is wrong
 * @param[in]  errlen size of @p err
 * @return 0 or -EINVAL
 */
int wl_spec_check(const struct wl_spec *spec, char *err, size_t errlen);

/**
 * @brief Write a definition as the text wl_spec_parse() reads back
 *        (only the keys that differ from the defaults, plus pattern and bs).
 * @param[in]  spec the definition
 * @param[out] buf  the text
 * @param[in]  len  size of @p buf
 * @return what snprintf returns for the whole text
 */
int wl_spec_format(const struct wl_spec *spec, char *buf, size_t len);

/**
 * @brief The keys wl_spec_parse() knows, for help and completion.
 * @param[out] n the number of keys
 * @return the key names
 */
const char *const *wl_spec_keys(size_t *n);

/** @brief Latency and throughput of one direction (or of both). */
struct wl_dir_result {
    uint64_t requests;   /**< requests completed successfully */
    uint64_t bytes;      /**< bytes they moved */
    uint64_t failed;     /**< requests completed with an error */
    double iops;         /**< requests per simulated second */
    double mbps;         /**< MB (10^6 bytes) per simulated second */
    sim_time_t lat_min;  /**< latency, submit to completion, ns: minimum */
    double lat_mean;     /**< mean */
    sim_time_t p50;      /**< median */
    sim_time_t p90;      /**< 90th percentile */
    sim_time_t p99;      /**< 99th percentile */
    sim_time_t p999;     /**< 99.9th percentile */
    sim_time_t lat_max;  /**< maximum */
};

/** @brief Everything a run measured: plain numbers, ready for JSON. */
struct wl_result {
    sim_time_t start;          /**< when wl_start() ran */
    sim_time_t end;            /**< when the last request completed */
    sim_time_t elapsed;        /**< end - start */
    struct wl_dir_result read; /**< reads */
    struct wl_dir_result write; /**< writes */
    struct wl_dir_result all;  /**< both */
    uint64_t issued;           /**< requests started (each may be several SRBs) */
    uint64_t srbs;             /**< SRBs submitted */
    uint64_t split;            /**< requests that needed more than one SRB */
    double qd_mean;            /**< requests outstanding, time-weighted mean */
    uint64_t qd_max;           /**< requests outstanding, most at once */
    /** @name Integrity */
    /** @{ */
    uint64_t blocks_verified;  /**< read blocks that held the stamp the model expected */
    uint64_t blocks_zero;      /**< read blocks that were zero, as expected */
    uint64_t blocks_weak;      /**< read blocks the model could not pin down
                                    (untracked, or after a failed write):
                                    checked only for a self-consistent stamp */
    uint64_t blocks_corrupt;   /**< read blocks that did not match */
    uint64_t corrupted;        /**< requests with at least one corrupt block */
    uint64_t lost;             /**< SRBs never completed although the machine went idle */
    uint64_t unfinished;       /**< SRBs still in flight when the run was stopped early */
    uint64_t duplicated;       /**< completion routine calls for an SRB already completed */
    uint64_t submit_errors;    /**< port_submit() refusals */
    uint64_t srb_failed;       /**< SRBs completed with a status other than SUCCESS */
    uint64_t by_srb_status[64]; /**< failed SRBs per SRB_STATUS() value */
    uint64_t by_sense_key[16]; /**< failed SRBs with valid sense, per sense key */
    uint64_t untracked_blocks; /**< written blocks the model had no room for */
    uint64_t model_bytes;      /**< memory the model uses */
    char first_problem[160];   /**< the first corruption, loss or duplicate, in words */
    bool ok;                   /**< no corruption, loss or duplicate */
    /** @} */
};

struct wl;
struct wl_model;

/**
 * @brief Create a workload on an adapter, checking the definition against
 *        it (LUNs, block sizes, region, CPUs, transfer limits, and, as
 *        ClassPnP does, srb=ex only if the miniport takes
 *        STORAGE_REQUEST_BLOCKs). A machine must exist.
 * @param[in]  pa     the adapter, scanned (pa->ready)
 * @param[in]  spec   the definition (copied)
 * @param[out] out    the workload
 * @param[out] err    on error, what is wrong, e.g. "luns: 3 does not exist
 *                    (the adapter has LUNs 0..1)"
 * @param[in]  errlen size of @p err
 * @return 0, -EINVAL, -ENODEV (adapter not ready) or -ENOMEM
 */
int wl_create(struct port_adapter *pa, const struct wl_spec *spec,
              struct wl **out, char *err, size_t errlen);

/**
 * @brief Verify against a model shared with other workloads on the same
 *        adapter (e.g. a write pass, then a read pass), instead of a model
 *        of the workload's own. Call before wl_start().
 * @param[in,out] wl    the workload
 * @param[in]     model the model; it must outlive the workload
 * @return 0, or -EBUSY if another running workload uses @p model
 */
int wl_use_model(struct wl *wl, struct wl_model *model);

/**
 * @brief Start: post each submitting CPU's thread for now. Returns at once;
 *        the requests flow while the machine runs.
 * @param[in,out] wl the workload
 * @return 0, -EALREADY if started, or what sim_cpu_post() returned
 */
int wl_start(struct wl *wl);

/**
 * @brief Whether the workload has issued everything it will and every
 *        request has completed.
 * @param[in] wl the workload
 * @return true when done
 */
bool wl_done(const struct wl *wl);

/**
 * @brief SRB completions so far: a run loop's measure of progress.
 * @param[in] wl the workload
 * @return completions counted since wl_start()
 */
uint64_t wl_completions(const struct wl *wl);

/**
 * @brief How long a run loop waits without a completion before it calls
 *        what is outstanding lost: two timeouts, a bus-reset hold (4 s) and
 *        the port's one-second timer between them, with room to spare.
 * @param[in] spec the workload's settings (its timeout)
 * @return simulated nanoseconds
 */
sim_time_t wl_stall_limit(const struct wl_spec *spec);

/**
 * @brief Stop issuing and close the books. SRBs still outstanding count as
 *        lost when the machine stopped because it was idle, otherwise as
 *        unfinished; either way the workload lets go of them (its buffers
 *        stay allocated until wl_destroy()).
 * @param[in,out] wl  the workload
 * @param[in]     why why sim_run() returned
 */
void wl_finish(struct wl *wl, enum sim_stop_reason why);

/**
 * @brief The measurements so far.
 * @param[in]  wl  the workload
 * @param[out] out the figures
 */
void wl_get_result(const struct wl *wl, struct wl_result *out);

/**
 * @brief Print a human summary of a result, fio-like.
 * @param[in] res  the result
 * @param[in] spec the definition it came from (for the heading), or NULL
 * @param[in] f    where to print
 */
void wl_print_result(const struct wl_result *res, const struct wl_spec *spec,
                     FILE *f);

/**
 * @brief Print a human summary of a workload's measurements so far.
 * @param[in] wl the workload
 * @param[in] f  where to print
 */
void wl_print_summary(const struct wl *wl, FILE *f);

/**
 * @brief Free a workload and every request it still has, lost ones
 *        included. Call it when wl_done() is true, after the machine went
 *        idle, or after sim_destroy(): a port that still holds a request,
 *        or a submitting thread still posted, would touch freed memory
 *        when the machine runs again.
 * @param[in] wl the workload, or NULL
 */
void wl_destroy(struct wl *wl);

/**
 * @brief Create, start, run the machine until the workload is done,
 *        finish, and destroy.
 *
 * The machine runs in slices of 10 ms of simulated time until it is idle
 * or, if the port keeps it busy (a periodic timer), until 1 ms after the
 * workload is done; it never stops on a trace event, which would leave an
 * activation paused mid-routine. If nothing completes for twice the SRB
 * timeout plus one second, what the port still holds is counted as lost:
 * it should have timed the requests out by then.
 *
 * @param[in]  pa     the adapter
 * @param[in]  spec   the definition
 * @param[out] res    the measurements
 * @param[out] err    on error, what is wrong
 * @param[in]  errlen size of @p err
 * @return 0 (look at res->ok for the integrity verdict), or a negative
 *         errno from wl_create() or wl_start(); -EFAULT if the machine
 *         bug-checked
 */
int wl_run(struct port_adapter *pa, const struct wl_spec *spec,
           struct wl_result *res, char *err, size_t errlen);

/**
 * @brief Create an integrity model to share between workloads.
 * @param[in]  track_bytes memory the model may use (0 = the default, 64 MiB)
 * @param[in]  fresh       the disks were never written: unwritten blocks
 *                         must read as zeros
 * @param[out] out         the model
 * @return 0 or -ENOMEM
 */
int wl_model_create(uint64_t track_bytes, bool fresh, struct wl_model **out);

/** @brief Free a model. NULL is allowed. @param[in] model the model */
void wl_model_destroy(struct wl_model *model);

/* ---------------------------------------------------------------------- */

/** @brief The one-off requests wl_cmd_create() builds. */
enum wl_cmd_kind {
    WL_CMD_TEST_UNIT_READY,    /**< EXECUTE_SCSI, TEST UNIT READY */
    WL_CMD_INQUIRY,            /**< EXECUTE_SCSI, INQUIRY (standard or a VPD page) */
    WL_CMD_READ_CAPACITY,      /**< EXECUTE_SCSI, READ CAPACITY(10) */
    WL_CMD_READ_CAPACITY16,    /**< EXECUTE_SCSI, READ CAPACITY(16) */
    WL_CMD_SYNCHRONIZE_CACHE,  /**< EXECUTE_SCSI, SYNCHRONIZE CACHE(10), whole LUN */
    WL_CMD_READ,               /**< EXECUTE_SCSI, READ(10) or READ(16), not split */
    WL_CMD_WRITE,              /**< EXECUTE_SCSI, WRITE(10) or WRITE(16), not split */
    WL_CMD_FLUSH,              /**< SRB_FUNCTION_FLUSH */
    WL_CMD_SHUTDOWN,           /**< SRB_FUNCTION_SHUTDOWN */
    WL_CMD_RESET_LOGICAL_UNIT, /**< SRB_FUNCTION_RESET_LOGICAL_UNIT */
    WL_CMD_RESET_DEVICE,       /**< SRB_FUNCTION_RESET_DEVICE */
    WL_CMD_RESET_BUS,          /**< SRB_FUNCTION_RESET_BUS */
    WL_CMD_IO_CONTROL,         /**< SRB_FUNCTION_IO_CONTROL with an SRB_IO_CONTROL header */
    WL_CMD_KIND_COUNT          /**< number of kinds */
};

/** @brief The name of a one-off kind. @param[in] k the kind @return e.g. "inquiry" */
const char *wl_cmd_kind_name(enum wl_cmd_kind k);

struct wl_cmd;

/** @brief What a one-off request is. Zero-initialise, then set. */
struct wl_cmd_args {
    enum wl_cmd_kind kind;  /**< what to send */
    int lun;                /**< index in the adapter's luns[] */
    enum wl_srb_kind srb;   /**< SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK */
    uint32_t timeout;       /**< TimeOutValue in seconds (0 = WL_DEFAULT_TIMEOUT) */
    uint64_t lba;           /**< READ/WRITE: first block */
    uint32_t blocks;        /**< READ/WRITE: block count (the data buffer is
                                 blocks * the LUN's block size) */
    bool vpd;               /**< INQUIRY: ask for a VPD page (EVPD = 1) */
    uint8_t page;           /**< INQUIRY: the VPD page code */
    uint32_t control_code;  /**< IO_CONTROL: SRB_IO_CONTROL.ControlCode */
    char signature[9];      /**< IO_CONTROL: SRB_IO_CONTROL.Signature (8 chars) */
    uint32_t payload;       /**< IO_CONTROL: bytes after the header */
    /** called once the request completes, at DISPATCH_LEVEL (may be NULL) */
    void (*done)(struct wl_cmd *cmd, void *ctx);
    void *ctx;              /**< passed to @c done */
};

/** @brief How a one-off request ended. */
struct wl_cmd_result {
    bool completed;            /**< the completion routine ran */
    uint32_t completions;      /**< times it ran (more than 1 is a port bug) */
    int submit_error;          /**< what port_submit() returned, if it refused */
    uint8_t srb_status;        /**< SrbStatus as returned (flag bits included) */
    uint8_t scsi_status;       /**< ScsiStatus */
    uint32_t transferred;      /**< DataTransferLength after completion */
    uint8_t sense_key;         /**< sense key, if SRB_STATUS_AUTOSENSE_VALID */
    uint8_t asc;               /**< additional sense code */
    uint8_t ascq;              /**< additional sense code qualifier */
    sim_time_t latency;        /**< submit to completion, ns */
    uint64_t capacity_blocks;  /**< READ CAPACITY: blocks (last LBA + 1) */
    uint32_t block_size;       /**< READ CAPACITY: bytes per block */
    char vendor[9];            /**< INQUIRY (standard): VendorId, trimmed */
    char product[17];          /**< INQUIRY (standard): ProductId, trimmed */
};

/**
 * @brief Build a one-off request: its SRB, sense buffer and data buffer
 *        (physmem). Needs no CPU; nothing is submitted yet.
 * @param[in]  pa   the adapter (ready; args->lun must exist)
 * @param[in]  args what to send
 * @param[out] out  the request
 * @return 0, -EINVAL for bad arguments, -ENODEV, or -ENOMEM
 */
int wl_cmd_create(struct port_adapter *pa, const struct wl_cmd_args *args,
                  struct wl_cmd **out);

/**
 * @brief Submit from a thread item at PASSIVE_LEVEL on @p cpu, now.
 * @param[in,out] cmd the request (not yet submitted)
 * @param[in]     cpu the CPU
 * @return 0, -EALREADY if already submitted, or what sim_cpu_post() returned
 */
int wl_cmd_post(struct wl_cmd *cmd, int cpu);

/**
 * @brief Submit now, from the calling activation (IRQL <= DISPATCH_LEVEL),
 *        for callers that are already running on a CPU.
 * @param[in,out] cmd the request (not yet submitted)
 * @return what port_submit() returned, or -EALREADY
 */
int wl_cmd_submit(struct wl_cmd *cmd);

/** @brief The request as submitted: the IRP. @param[in] cmd the request @return it */
struct port_request *wl_cmd_request(struct wl_cmd *cmd);

/**
 * @brief The SRB, to inspect or change before submitting.
 * @param[in] cmd the request
 * @return a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 */
void *wl_cmd_srb(struct wl_cmd *cmd);

/**
 * @brief The data buffer (physmem), e.g. to fill before a WRITE.
 * @param[in]  cmd    the request
 * @param[out] length its length, may be NULL
 * @return the buffer, or NULL if the request moves no data
 */
void *wl_cmd_data(struct wl_cmd *cmd, uint32_t *length);

/**
 * @brief How it ended (valid once the result says completed).
 * @param[in] cmd the request
 * @return the result
 */
const struct wl_cmd_result *wl_cmd_result(const struct wl_cmd *cmd);

/**
 * @brief Free a request and its buffers. Free only completed (or never
 *        submitted) requests: the port may still touch the others.
 * @param[in] cmd the request, or NULL
 */
void wl_cmd_free(struct wl_cmd *cmd);

/** @} */

#endif /* STORSIM_WORKLOAD_H */
