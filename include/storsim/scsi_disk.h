/* scsi_disk.h - the simulated SCSI direct-access disk (SPC-4 / SBC-3 device side). */
/**
 * @file scsi_disk.h
 * @brief The simulated SCSI direct-access block device behind the HBA.
 *
 * Interface: the adapter model creates one struct scsi_disk per logical unit
 * with scsi_disk_create(), hands every CDB it pulls off its command ring to
 * scsi_disk_execute() together with the command's data buffer (a list of
 * host memory segments, so a scatter/gather DMA needs no bounce copy), and
 * completes the request after the returned service time. It drives resets,
 * power loss and fault injection through the scsi_disk_reset(),
 * scsi_disk_power_loss() and scsi_disk_fault_add() families. The CLI uses
 * scsi_disk_parse_hex(), scsi_disk_hexdump() and the describe functions.
 *
 * The model is pure: it follows the SCSI standards (SPC-4, SBC-3), not
 * Windows, knows nothing about simulated time or CPUs, and is not
 * thread-safe (the simulator calls it from one event at a time).
 */
#ifndef STORSIM_SCSI_DISK_H
#define STORSIM_SCSI_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "storsim/scsi_text.h"   /* names, parsing, sense text, hex dumps */

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup scsi_disk SCSI disk model
 * @brief A sparse, RAM-backed SCSI disk with a latency model, a volatile
 *        write cache, unit attentions and fault injection.
 *
 * @code
 * struct scsi_disk_config cfg;
 * struct scsi_disk *disk;
 * struct scsi_disk_result res;
 * uint8_t cdb[10] = { SCSI_OP_READ_10, 0, 0, 0, 0, 8, 0, 0, 1, 0 };
 * uint8_t buf[512];
 *
 * scsi_disk_config_init(&cfg);
 * cfg.capacity_blocks = 1ULL << 31;            // 1 TiB of 512-byte blocks
 * scsi_disk_latency_preset("sas-ssd", &cfg.latency);
 * if (scsi_disk_create(&cfg, &disk) == 0) {
 *     scsi_disk_execute_buf(disk, cdb, sizeof cdb, buf, sizeof buf, &res);
 *     // res.status == SCSI_STATUS_GOOD, res.service_ns ~ 85 us
 *     scsi_disk_destroy(disk);
 * }
 * @endcode
 * @{
 */

/** @name Operation codes (SPC-4, SBC-3)
 *  @{ */
#define SCSI_OP_TEST_UNIT_READY      0x00 /**< @brief TEST UNIT READY (6). */
#define SCSI_OP_REQUEST_SENSE        0x03 /**< @brief REQUEST SENSE (6). */
#define SCSI_OP_READ_6               0x08 /**< @brief READ (6). */
#define SCSI_OP_WRITE_6              0x0A /**< @brief WRITE (6). */
#define SCSI_OP_INQUIRY              0x12 /**< @brief INQUIRY (6). */
#define SCSI_OP_MODE_SELECT_6        0x15 /**< @brief MODE SELECT (6) (named, not implemented). */
#define SCSI_OP_MODE_SENSE_6         0x1A /**< @brief MODE SENSE (6). */
#define SCSI_OP_START_STOP_UNIT      0x1B /**< @brief START STOP UNIT (named, not implemented). */
#define SCSI_OP_READ_CAPACITY_10     0x25 /**< @brief READ CAPACITY (10). */
#define SCSI_OP_READ_10              0x28 /**< @brief READ (10). */
#define SCSI_OP_WRITE_10             0x2A /**< @brief WRITE (10). */
#define SCSI_OP_VERIFY_10            0x2F /**< @brief VERIFY (10). */
#define SCSI_OP_SYNCHRONIZE_CACHE_10 0x35 /**< @brief SYNCHRONIZE CACHE (10). */
#define SCSI_OP_MODE_SENSE_10        0x5A /**< @brief MODE SENSE (10). */
#define SCSI_OP_READ_16              0x88 /**< @brief READ (16). */
#define SCSI_OP_WRITE_16             0x8A /**< @brief WRITE (16). */
#define SCSI_OP_SERVICE_ACTION_IN_16 0x9E /**< @brief SERVICE ACTION IN (16). */
#define SCSI_OP_REPORT_LUNS          0xA0 /**< @brief REPORT LUNS (12). */
/** @brief SERVICE ACTION IN (16) service action READ CAPACITY (16). */
#define SCSI_SA_READ_CAPACITY_16     0x10
/** @} */

/** @name Status codes (SAM-5)
 *  @{ */
#define SCSI_STATUS_GOOD                 0x00 /**< @brief GOOD. */
#define SCSI_STATUS_CHECK_CONDITION      0x02 /**< @brief CHECK CONDITION: sense data is valid. */
#define SCSI_STATUS_CONDITION_MET        0x04 /**< @brief CONDITION MET. */
#define SCSI_STATUS_BUSY                 0x08 /**< @brief BUSY: retry later. */
#define SCSI_STATUS_RESERVATION_CONFLICT 0x18 /**< @brief RESERVATION CONFLICT. */
#define SCSI_STATUS_TASK_SET_FULL        0x28 /**< @brief TASK SET FULL: queue depth exceeded. */
#define SCSI_STATUS_ACA_ACTIVE           0x30 /**< @brief ACA ACTIVE. */
#define SCSI_STATUS_TASK_ABORTED         0x40 /**< @brief TASK ABORTED. */
/** @} */

/** @name Sense keys (SPC-4 table 27)
 *  @{ */
#define SCSI_KEY_NO_SENSE        0x0 /**< @brief NO SENSE. */
#define SCSI_KEY_RECOVERED_ERROR 0x1 /**< @brief RECOVERED ERROR. */
#define SCSI_KEY_NOT_READY       0x2 /**< @brief NOT READY. */
#define SCSI_KEY_MEDIUM_ERROR    0x3 /**< @brief MEDIUM ERROR. */
#define SCSI_KEY_HARDWARE_ERROR  0x4 /**< @brief HARDWARE ERROR. */
#define SCSI_KEY_ILLEGAL_REQUEST 0x5 /**< @brief ILLEGAL REQUEST. */
#define SCSI_KEY_UNIT_ATTENTION  0x6 /**< @brief UNIT ATTENTION. */
#define SCSI_KEY_DATA_PROTECT    0x7 /**< @brief DATA PROTECT. */
#define SCSI_KEY_BLANK_CHECK     0x8 /**< @brief BLANK CHECK. */
#define SCSI_KEY_VENDOR_SPECIFIC 0x9 /**< @brief VENDOR SPECIFIC. */
#define SCSI_KEY_COPY_ABORTED    0xA /**< @brief COPY ABORTED. */
#define SCSI_KEY_ABORTED_COMMAND 0xB /**< @brief ABORTED COMMAND. */
#define SCSI_KEY_VOLUME_OVERFLOW 0xD /**< @brief VOLUME OVERFLOW. */
#define SCSI_KEY_MISCOMPARE      0xE /**< @brief MISCOMPARE. */
#define SCSI_KEY_COMPLETED       0xF /**< @brief COMPLETED. */
/** @} */

/** @name Additional sense code pairs
 *  Each value packs ASC in the high byte and ASCQ in the low byte; split
 *  them with SCSI_ASC_OF() and SCSI_ASCQ_OF().
 *  @{ */
#define SCSI_ASC_NO_ADDITIONAL_SENSE     0x0000 /**< @brief 00/00 NO ADDITIONAL SENSE INFORMATION. */
#define SCSI_ASC_LU_NOT_READY            0x0400 /**< @brief 04/00 LOGICAL UNIT NOT READY, CAUSE NOT REPORTABLE. */
#define SCSI_ASC_WRITE_ERROR             0x0C00 /**< @brief 0C/00 WRITE ERROR. */
#define SCSI_ASC_UNRECOVERED_READ_ERROR  0x1100 /**< @brief 11/00 UNRECOVERED READ ERROR. */
#define SCSI_ASC_INVALID_OPCODE          0x2000 /**< @brief 20/00 INVALID COMMAND OPERATION CODE. */
#define SCSI_ASC_LBA_OUT_OF_RANGE        0x2100 /**< @brief 21/00 LOGICAL BLOCK ADDRESS OUT OF RANGE. */
#define SCSI_ASC_INVALID_FIELD_IN_CDB    0x2400 /**< @brief 24/00 INVALID FIELD IN CDB. */
#define SCSI_ASC_LU_NOT_SUPPORTED        0x2500 /**< @brief 25/00 LOGICAL UNIT NOT SUPPORTED. */
#define SCSI_ASC_POWER_ON_RESET          0x2900 /**< @brief 29/00 POWER ON, RESET, OR BUS DEVICE RESET OCCURRED. */
#define SCSI_ASC_POWER_ON_OCCURRED       0x2901 /**< @brief 29/01 POWER ON OCCURRED. */
#define SCSI_ASC_BUS_RESET               0x2902 /**< @brief 29/02 SCSI BUS RESET OCCURRED. */
#define SCSI_ASC_BUS_DEVICE_RESET        0x2903 /**< @brief 29/03 BUS DEVICE RESET FUNCTION OCCURRED. */
#define SCSI_ASC_MODE_PARAMS_CHANGED     0x2A01 /**< @brief 2A/01 MODE PARAMETERS CHANGED. */
#define SCSI_ASC_CAPACITY_CHANGED        0x2A09 /**< @brief 2A/09 CAPACITY DATA HAS CHANGED. */
#define SCSI_ASC_REPORTED_LUNS_CHANGED   0x3F0E /**< @brief 3F/0E REPORTED LUNS DATA HAS CHANGED. */
#define SCSI_ASC_INTERNAL_TARGET_FAILURE 0x4400 /**< @brief 44/00 INTERNAL TARGET FAILURE. */
#define SCSI_ASC_DATA_PHASE_ERROR        0x4B00 /**< @brief 4B/00 DATA PHASE ERROR. */
#define SCSI_ASC_INSUFFICIENT_RESOURCES  0x5503 /**< @brief 55/03 INSUFFICIENT RESOURCES. */
/** @brief The ASC byte of a packed pair. @param v packed ASC/ASCQ pair. */
#define SCSI_ASC_OF(v)  ((uint8_t)(((v) >> 8) & 0xFF))
/** @brief The ASCQ byte of a packed pair. @param v packed ASC/ASCQ pair. */
#define SCSI_ASCQ_OF(v) ((uint8_t)((v) & 0xFF))
/** @} */

/** @name VPD and mode page codes this model serves
 *  @{ */
#define SCSI_VPD_SUPPORTED_PAGES 0x00 /**< @brief VPD page 00h: supported VPD pages. */
#define SCSI_VPD_UNIT_SERIAL     0x80 /**< @brief VPD page 80h: unit serial number. */
#define SCSI_VPD_DEVICE_ID       0x83 /**< @brief VPD page 83h: device identification. */
#define SCSI_MODE_PAGE_CACHING   0x08 /**< @brief Mode page 08h: caching. */
#define SCSI_MODE_PAGE_CONTROL   0x0A /**< @brief Mode page 0Ah: control. */
#define SCSI_MODE_PAGE_ALL       0x3F /**< @brief Mode page code 3Fh: return all pages. */
/** @} */

/** @brief Length of the fixed-format sense data this model returns. */
#define SCSI_DISK_SENSE_LEN 18
/** @brief Bytes per backing-store chunk; RAM is spent in these units. */
#define SCSI_DISK_CHUNK_SIZE 4096u
/** @brief Most LUN numbers a REPORT LUNS list may hold. */
#define SCSI_DISK_MAX_LUNS 256
/** @brief Highest LUN number REPORT LUNS can encode (flat space addressing). */
#define SCSI_DISK_MAX_LUN_NUMBER 16383
/** @brief Fault rules one disk holds at a time. */
#define SCSI_DISK_MAX_FAULTS 16
/** @brief Unit attention conditions one disk queues at a time. */
#define SCSI_DISK_MAX_UAS 8
/** @brief scsi_disk_fault_rule::opcode value that matches every opcode. */
#define SCSI_DISK_ANY_OPCODE (-1)

/** @brief Direction of a command's data phase, seen from the initiator. */
enum scsi_disk_dir {
    SCSI_DISK_DIR_NONE = 0, /**< @brief No data phase. */
    SCSI_DISK_DIR_IN,       /**< @brief Device to host (reads, INQUIRY ...). */
    SCSI_DISK_DIR_OUT       /**< @brief Host to device (writes). */
};

/** @brief What a service time is computed for (see scsi_disk_latency_ns()). */
enum scsi_disk_lat_kind {
    SCSI_DISK_LAT_CONTROL = 0, /**< @brief A command that does not touch the media. */
    SCSI_DISK_LAT_READ,        /**< @brief A media read (READ, VERIFY). */
    SCSI_DISK_LAT_WRITE,       /**< @brief A write that goes to the media. */
    SCSI_DISK_LAT_CACHED_WRITE,/**< @brief A write absorbed by the volatile cache. */
    SCSI_DISK_LAT_FLUSH        /**< @brief Writing dirty cache data to the media. */
};

/**
 * @brief One cost line of the latency model.
 *
 * The service time is fixed_ns + per_kib_ns * bytes / 1024 + a uniform
 * jitter in [0, jitter_ns], plus, when seek_max_ns is not zero and the
 * command does not start where the previous media access ended, a seek of
 * seek_min_ns + (seek_max_ns - seek_min_ns) * sqrt(distance / capacity)
 * and a rotational delay uniform in [0, scsi_disk_latency::rotation_ns).
 */
struct scsi_disk_cost {
    uint64_t fixed_ns;    /**< @brief Command overhead plus media access. */
    uint64_t per_kib_ns;  /**< @brief Transfer time per KiB (1/bandwidth). */
    uint64_t jitter_ns;   /**< @brief Upper bound of the uniform random extra. */
    uint64_t seek_min_ns; /**< @brief Single-track seek; 0 with seek_max_ns 0 = no seek model. */
    uint64_t seek_max_ns; /**< @brief Full-stroke seek; 0 = the device does not seek. */
};

/** @brief The latency model of one disk: a cost line per kind of work. */
struct scsi_disk_latency {
    struct scsi_disk_cost control;      /**< @brief Non-media commands (INQUIRY, TEST UNIT READY ...). */
    struct scsi_disk_cost read;         /**< @brief Media reads. */
    struct scsi_disk_cost write;        /**< @brief Writes to the media (no cache, or FUA). */
    struct scsi_disk_cost cached_write; /**< @brief Writes absorbed by the write cache. */
    struct scsi_disk_cost flush;        /**< @brief SYNCHRONIZE CACHE; bytes = dirty bytes flushed. */
    uint64_t rotation_ns;               /**< @brief One revolution; 0 for solid-state devices. */
};

/** @brief How to build a disk; fill with scsi_disk_config_init() first. */
struct scsi_disk_config {
    uint32_t block_size;       /**< @brief Logical block size: 512 or 4096. */
    uint64_t capacity_blocks;  /**< @brief Number of logical blocks (at least 1). */
    const char *vendor;        /**< @brief T10 vendor id, printable ASCII, at most 8 chars. */
    const char *product;       /**< @brief Product id, printable ASCII, at most 16 chars. */
    const char *revision;      /**< @brief Product revision, printable ASCII, at most 4 chars. */
    const char *serial;        /**< @brief Unit serial number, printable ASCII, 1 to 32 chars. */
    bool write_cache;          /**< @brief WCE: writes land in a volatile cache. */
    bool power_on_ua;          /**< @brief Post 29/00 at creation, as a real disk does at power on. */
    uint16_t lun;              /**< @brief This logical unit's number (for the default LUN list). */
    const uint16_t *luns;      /**< @brief LUNs REPORT LUNS lists, or NULL for just @c lun. */
    size_t lun_count;          /**< @brief Entries in @c luns (at most SCSI_DISK_MAX_LUNS). */
    uint64_t seed;             /**< @brief Seed of the jitter generator; same seed, same times. */
    struct scsi_disk_latency latency; /**< @brief The latency model (see scsi_disk_latency_preset()). */
};

/**
 * @brief One segment of a command's data buffer.
 *
 * A command's buffer is an array of segments, the host-memory view of the
 * adapter's scatter/gather list; the disk copies straight between its
 * backing store and the segments, so a DMA costs exactly one copy.
 */
struct scsi_disk_iov {
    void *base; /**< @brief Start of the segment (read for data-out, written for data-in). */
    size_t len; /**< @brief Length of the segment in bytes. */
};

/**
 * @brief The outcome of one command.
 *
 * Data-in commands move min(expected, buffer) bytes, where "expected" is
 * what the command wants to return (allocation length already applied).
 * Data-out commands need the whole transfer in the buffer: a short buffer
 * ends the command with CHECK CONDITION, ILLEGAL REQUEST, INVALID FIELD IN
 * CDB pointing at the TRANSFER LENGTH field and writes nothing (as the
 * Linux LIO target does); @c overrun says by how much the buffer was short.
 */
struct scsi_disk_result {
    uint8_t status;      /**< @brief SCSI status (SCSI_STATUS_*). */
    uint8_t sense_len;   /**< @brief Valid bytes in @c sense: 18 with CHECK CONDITION, else 0. */
    uint8_t sense[SCSI_DISK_SENSE_LEN]; /**< @brief Fixed-format sense data (response code 70h). */
    size_t transferred;  /**< @brief Bytes moved through the data buffer. */
    size_t residual;     /**< @brief Buffer bytes not used (underrun): buffer - transferred. */
    size_t overrun;      /**< @brief Bytes the command wanted beyond the buffer's end. */
    uint64_t service_ns; /**< @brief Simulated time the device took, in ns. */
};

/** @brief What a fault rule does when it fires. */
enum scsi_disk_fault_action {
    /** @brief MEDIUM ERROR: 11/00 for reads and VERIFY, 0C/00 for writes,
     *  with VALID and INFORMATION = the first bad LBA the command touches. */
    SCSI_DISK_FAULT_MEDIUM_ERROR = 0,
    /** @brief Return @c status (and with CHECK CONDITION the sense built
     *  from @c sense_key and @c asc_ascq): BUSY, TASK SET FULL, anything. */
    SCSI_DISK_FAULT_STATUS
};

/** @name Command classes a fault rule can match
 *  @{ */
#define SCSI_DISK_CLASS_READ   0x1u /**< @brief READ (6/10/16). */
#define SCSI_DISK_CLASS_WRITE  0x2u /**< @brief WRITE (6/10/16). */
#define SCSI_DISK_CLASS_VERIFY 0x4u /**< @brief VERIFY (10). */
#define SCSI_DISK_CLASS_OTHER  0x8u /**< @brief Every other command. */
#define SCSI_DISK_CLASS_ALL    0xFu /**< @brief Every command. */

/**
 * @brief The class of an operation code the disk implements.
 * @param[in] opcode operation code.
 * @return one SCSI_DISK_CLASS_* bit, or 0 if the disk does not implement it.
 */
unsigned scsi_disk_opcode_class(uint8_t opcode);
/** @} */

/**
 * @brief A fault-injection rule, checked on every command the disk accepts.
 *
 * A command matches when its opcode equals @c opcode (or @c opcode is
 * SCSI_DISK_ANY_OPCODE), its class is in @c classes, and, if @c lba_count is
 * not zero, its LBA range overlaps [lba_first, lba_first + lba_count).
 * Of the matching commands every @c every_nth-th one fails (0 or 1: each);
 * after @c count failures the rule removes itself (0: never). Rules are
 * checked after the CDB has been validated and unit attentions reported,
 * i.e. only commands that would otherwise have run can fail. The adapter's
 * own faults (dropped commands, lost interrupts) live in the adapter.
 */
struct scsi_disk_fault_rule {
    int opcode;            /**< @brief Opcode to match, or SCSI_DISK_ANY_OPCODE. */
    unsigned classes;      /**< @brief SCSI_DISK_CLASS_* bits; 0 means all. */
    uint64_t lba_first;    /**< @brief First LBA of the range to match. */
    uint64_t lba_count;    /**< @brief Blocks in the range; 0 = any command, LBA or not. */
    uint32_t every_nth;    /**< @brief Fail every Nth matching command (0 or 1: every one). */
    uint32_t count;        /**< @brief Failures before the rule is removed; 0 = unlimited. */
    enum scsi_disk_fault_action action; /**< @brief What happens when the rule fires. */
    uint8_t status;        /**< @brief SCSI status for SCSI_DISK_FAULT_STATUS. */
    uint8_t sense_key;     /**< @brief Sense key when @c status is CHECK CONDITION. */
    uint16_t asc_ascq;     /**< @brief Packed ASC/ASCQ when @c status is CHECK CONDITION. */
};

/** @brief Which reset a unit attention reports (see scsi_disk_reset()). */
enum scsi_disk_reset_kind {
    SCSI_DISK_RESET_LUN = 0, /**< @brief LOGICAL UNIT RESET: 29/00. */
    SCSI_DISK_RESET_TARGET,  /**< @brief I_T NEXUS / target reset: 29/03. */
    SCSI_DISK_RESET_BUS      /**< @brief SCSI bus reset: 29/02. */
};

/** @brief Counters of one disk since creation or scsi_disk_stats_reset(). */
struct scsi_disk_stats {
    uint64_t commands;            /**< @brief Commands executed. */
    uint64_t by_opcode[256];      /**< @brief Commands per operation code. */
    uint64_t bytes_read;          /**< @brief Bytes returned by READ commands. */
    uint64_t bytes_written;       /**< @brief Bytes accepted by WRITE commands. */
    uint64_t good;                /**< @brief Commands ended with GOOD. */
    uint64_t check_conditions;    /**< @brief Commands ended with CHECK CONDITION. */
    uint64_t busy;                /**< @brief Commands ended with BUSY. */
    uint64_t task_set_full;       /**< @brief Commands ended with TASK SET FULL. */
    uint64_t other_status;        /**< @brief Commands ended with any other status. */
    uint64_t by_sense_key[16];    /**< @brief CHECK CONDITIONs per sense key. */
    uint64_t invalid_opcode;      /**< @brief 20/00 returned. */
    uint64_t invalid_field;       /**< @brief 24/00 returned. */
    uint64_t lba_out_of_range;    /**< @brief 21/00 returned. */
    uint64_t unit_attentions;     /**< @brief Unit attentions reported (by CHECK CONDITION or REQUEST SENSE). */
    uint64_t medium_errors;       /**< @brief MEDIUM ERROR sense returned. */
    uint64_t injected_faults;     /**< @brief Fault rules that fired. */
    uint64_t overruns;            /**< @brief Commands whose buffer was too short. */
    uint64_t flushes;             /**< @brief SYNCHRONIZE CACHE commands that succeeded. */
    uint64_t flushed_bytes;       /**< @brief Dirty bytes written to the media by flushes. */
    uint64_t lost_bytes;          /**< @brief Dirty bytes discarded by power losses. */
    uint64_t media_chunks;        /**< @brief Backing-store chunks allocated now. */
    uint64_t cache_chunks;        /**< @brief Chunks holding dirty cache data now. */
};

/** @brief Public description of one implemented command (the table row). */
struct scsi_disk_cmd_info {
    uint8_t opcode;          /**< @brief Operation code. */
    uint8_t cdb_len;         /**< @brief CDB length in bytes. */
    enum scsi_disk_dir dir;  /**< @brief Data direction. */
    const char *name;        /**< @brief Name as in SPC/SBC, e.g. "READ(10)". */
    uint8_t mask[16];        /**< @brief Bits allowed to be set, per CDB byte (byte 0 unused). */
};

/** @brief An opaque simulated disk (one logical unit). */
struct scsi_disk;

/**
 * @brief Fill @p cfg with defaults: 512-byte blocks, 2097152 blocks (1 GiB),
 *        "STORSIM" / "SIMDISK" / "0001" / "SIM0000001", no write cache,
 *        LUN 0, seed 1, the "nvme" latency preset.
 * @param[out] cfg the configuration to fill.
 */
void scsi_disk_config_init(struct scsi_disk_config *cfg);

/**
 * @brief Create a disk from a configuration.
 * @param[in] cfg the configuration; its strings and LUN list are copied.
 * @param[out] out receives the new disk.
 * @return 0, -EINVAL for a bad configuration (block size, capacity, string
 *         length or characters, LUN list), or -ENOMEM.
 */
int scsi_disk_create(const struct scsi_disk_config *cfg, struct scsi_disk **out);

/**
 * @brief Free a disk and all its data. NULL is allowed.
 * @param[in] disk the disk to destroy.
 */
void scsi_disk_destroy(struct scsi_disk *disk);

/**
 * @brief Execute one CDB and run its data phase through @p iov.
 *
 * The opcode decides the direction: data-in commands write into the
 * segments, data-out commands read them. Bytes beyond the opcode's CDB
 * length are ignored (transports carry fixed 16-byte CDB fields); a CDB
 * shorter than its opcode needs gets INVALID FIELD IN CDB pointing at the
 * first missing byte.
 * @param[in] disk the disk.
 * @param[in] cdb the command descriptor block.
 * @param[in] cdb_len bytes valid in @p cdb (1 to 16).
 * @param[in] iov the data buffer segments (may be NULL when @p iov_count is 0).
 * @param[in] iov_count number of segments.
 * @param[out] res the status, sense, byte counts and service time.
 * @return 0 when the command was executed (whatever its SCSI status),
 *         -EINVAL for a NULL argument or a bad @p cdb_len, -ENOMEM when the
 *         host ran out of memory for the backing store (the write may be
 *         partly done).
 */
int scsi_disk_execute(struct scsi_disk *disk, const uint8_t *cdb, size_t cdb_len,
                      const struct scsi_disk_iov *iov, size_t iov_count,
                      struct scsi_disk_result *res);

/**
 * @brief scsi_disk_execute() with one flat buffer.
 * @param[in] disk the disk.
 * @param[in] cdb the command descriptor block.
 * @param[in] cdb_len bytes valid in @p cdb.
 * @param[in,out] buf the data buffer (may be NULL when @p len is 0).
 * @param[in] len its length in bytes.
 * @param[out] res the outcome.
 * @return as scsi_disk_execute().
 */
int scsi_disk_execute_buf(struct scsi_disk *disk, const uint8_t *cdb, size_t cdb_len,
                          void *buf, size_t len, struct scsi_disk_result *res);

/**
 * @brief Compute (and account) the service time of one piece of work.
 *
 * This advances the disk's jitter generator and, for a seeking device,
 * moves its head, so call it once per command; scsi_disk_execute() calls it
 * for you and stores the value in scsi_disk_result::service_ns.
 * @param[in] disk the disk.
 * @param[in] kind what kind of work.
 * @param[in] lba first LBA touched (for the seek model).
 * @param[in] bytes bytes transferred (or flushed).
 * @return the service time in nanoseconds.
 */
uint64_t scsi_disk_latency_ns(struct scsi_disk *disk, enum scsi_disk_lat_kind kind,
                              uint64_t lba, uint64_t bytes);

/**
 * @brief Fill a latency model from a named preset.
 * @param[in] name "nvme", "sas-ssd" or "hdd-15k".
 * @param[out] out the model.
 * @return 0, or -ENOENT for an unknown name (@p out untouched).
 */
int scsi_disk_latency_preset(const char *name, struct scsi_disk_latency *out);

/**
 * @brief Name of the i-th latency preset, for listings and completion.
 * @param[in] i index from 0.
 * @return the name, or NULL past the last preset.
 */
const char *scsi_disk_latency_preset_name(size_t i);

/**
 * @brief Write everything in the volatile cache to the backing store.
 * @param[in] disk the disk.
 * @return bytes flushed, or -ENOMEM.
 */
int64_t scsi_disk_flush(struct scsi_disk *disk);

/**
 * @brief Lose power: discard unflushed cached writes, pending sense and
 *        unit attentions, then post 29/01 POWER ON OCCURRED.
 * @param[in] disk the disk.
 * @return bytes of cached data lost.
 */
uint64_t scsi_disk_power_loss(struct scsi_disk *disk);

/**
 * @brief Reset the logical unit: drop pending sense and post the unit
 *        attention of @p kind. The write cache survives a reset.
 * @param[in] disk the disk.
 * @param[in] kind which reset happened.
 * @return 0, or -ENOSPC when the unit attention queue is full.
 */
int scsi_disk_reset(struct scsi_disk *disk, enum scsi_disk_reset_kind kind);

/**
 * @brief Post a unit attention condition (sense key UNIT ATTENTION).
 *
 * The next command other than INQUIRY, REPORT LUNS and REQUEST SENSE gets
 * CHECK CONDITION with it, and that clears it; REQUEST SENSE also reports
 * and clears it. Posting a condition already queued does nothing.
 * @param[in] disk the disk.
 * @param[in] asc_ascq packed ASC/ASCQ, e.g. SCSI_ASC_BUS_RESET.
 * @return 0, or -ENOSPC when SCSI_DISK_MAX_UAS are already queued.
 */
int scsi_disk_post_unit_attention(struct scsi_disk *disk, uint16_t asc_ascq);

/**
 * @brief Count the queued unit attention conditions.
 * @param[in] disk the disk.
 * @return the number queued.
 */
size_t scsi_disk_pending_unit_attentions(const struct scsi_disk *disk);

/**
 * @brief Replace the REPORT LUNS list and post 3F/0E REPORTED LUNS DATA HAS CHANGED.
 * @param[in] disk the disk.
 * @param[in] luns LUN numbers, each at most SCSI_DISK_MAX_LUN_NUMBER.
 * @param[in] count entries (at most SCSI_DISK_MAX_LUNS; 0 allowed).
 * @return 0, or -EINVAL.
 */
int scsi_disk_set_luns(struct scsi_disk *disk, const uint16_t *luns, size_t count);

/**
 * @brief Add a fault rule.
 * @param[in] disk the disk.
 * @param[in] rule the rule, copied.
 * @return the rule id (0 or more), -EINVAL for a bad rule, or -ENOSPC.
 */
int scsi_disk_fault_add(struct scsi_disk *disk, const struct scsi_disk_fault_rule *rule);

/**
 * @brief Remove a fault rule.
 * @param[in] disk the disk.
 * @param[in] id the id scsi_disk_fault_add() returned.
 * @return 0, or -ENOENT when no such rule is active.
 */
int scsi_disk_fault_remove(struct scsi_disk *disk, int id);

/**
 * @brief Remove every fault rule.
 * @param[in] disk the disk.
 */
void scsi_disk_fault_clear(struct scsi_disk *disk);

/**
 * @brief Make reads and VERIFYs of an LBA range fail with 03/11/00 until
 *        the rule is removed (a persistent SCSI_DISK_FAULT_MEDIUM_ERROR rule).
 * @param[in] disk the disk.
 * @param[in] lba first bad LBA.
 * @param[in] count number of bad blocks (at least 1).
 * @return the rule id, or a negative errno as scsi_disk_fault_add().
 */
int scsi_disk_inject_medium_error(struct scsi_disk *disk, uint64_t lba, uint64_t count);

/**
 * @brief Make the next accepted command end with @p status (and with CHECK
 *        CONDITION, the given sense), once.
 * @param[in] disk the disk.
 * @param[in] status the SCSI status, e.g. SCSI_STATUS_BUSY.
 * @param[in] key sense key (used with CHECK CONDITION).
 * @param[in] asc_ascq packed ASC/ASCQ (used with CHECK CONDITION).
 * @return the rule id, or a negative errno as scsi_disk_fault_add().
 */
int scsi_disk_inject_status(struct scsi_disk *disk, uint8_t status, uint8_t key,
                            uint16_t asc_ascq);

/**
 * @brief Copy the disk's counters.
 * @param[in] disk the disk.
 * @param[out] out the counters.
 */
void scsi_disk_get_stats(const struct scsi_disk *disk, struct scsi_disk_stats *out);

/**
 * @brief Zero the command and error counters (allocation counters stay).
 * @param[in] disk the disk.
 */
void scsi_disk_stats_reset(struct scsi_disk *disk);

/**
 * @brief Verify the model's internal invariants (store bookkeeping, dirty
 *        list, unit attention queue); meant for tests.
 * @param[in] disk the disk.
 * @return 0 when they hold, -EIO when one is broken.
 */
int scsi_disk_check(const struct scsi_disk *disk);

/**
 * @brief Block size of a disk.
 * @param[in] disk the disk.
 * @return 512 or 4096.
 */
uint32_t scsi_disk_block_size(const struct scsi_disk *disk);

/**
 * @brief Capacity of a disk.
 * @param[in] disk the disk.
 * @return the number of logical blocks.
 */
uint64_t scsi_disk_capacity(const struct scsi_disk *disk);

/**
 * @brief The table row of an implemented command.
 * @param[in] opcode operation code.
 * @return the row, or NULL when the model does not implement @p opcode.
 */
const struct scsi_disk_cmd_info *scsi_disk_command_info(uint8_t opcode);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* STORSIM_SCSI_DISK_H */
