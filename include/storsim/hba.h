/* hba.h - the simulated host bus adapter (SIMHBA): creation, registers, faults, statistics. */
/**
 * @file hba.h
 * @brief The simulated host bus adapter: a register-level device with a
 *        request ring, a completion ring, DMA over scatter/gather lists, a
 *        PIO data port, interrupt coalescing, resets, fault injection and
 *        SCSI disks behind it.
 *
 * Interface: the machine's owner creates an adapter with hba_create()
 * (after sim_create()); the port driver connects its interrupt with
 * sim_interrupt_connect() and hands it over with hba_attach_interrupt();
 * from then on the miniport programs the device only through hba_read32()
 * and hba_write32() (and the PIO buffer helpers), called through the port
 * library's register accessors on a simulated CPU. Everything the device
 * does on its own happens in simulated-time events. The command language
 * injects faults with hba_fault_parse() and hba_fault_add(), and the
 * console reads hba_get_stats(). The programming interface a miniport
 * sees (registers, descriptors) is in simhba_regs.h and docs/simhba.md.
 *
 * @code
 * struct hba_config cfg;
 * struct hba *hba;
 * hba_config_default(&cfg);            // one LUN: target 0, LUN 0
 * cfg.queue_depth = 64;
 * if (hba_create(&cfg, &hba) == 0) {
 *     hba_attach_interrupt(hba, &intr); // intr connected by the port driver
 *     ...                              // sim_run(), the miniport does the rest
 *     hba_destroy(hba);                // before sim_destroy()
 * }
 * @endcode
 */
#ifndef STORSIM_HBA_H
#define STORSIM_HBA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "storsim/interrupt.h"
#include "storsim/scsi_disk.h"
#include "storsim/simhba_regs.h"
#include "storsim/types.h"

/**
 * @defgroup hba Simulated host bus adapter
 * @brief The SIMHBA device model (src/hba).
 *
 * The device is deterministic: its only randomness (the disks' latency
 * jitter) comes from sim_rng streams named after the adapter, so the same
 * machine seed, configuration and driver give the same trace.
 * @{
 */

/** @brief Target ids per adapter (0..15). */
#define HBA_MAX_TARGETS 16
/** @brief LUNs per target (0..7). */
#define HBA_MAX_LUNS_PER_TARGET 8
/** @brief Logical units per adapter. */
#define HBA_MAX_LUNS 32
/** @brief Adapter-level fault rules held at once. */
#define HBA_MAX_FAULTS 32
/** @brief "Any" for the target, LUN and opcode of a fault rule. */
#define HBA_ANY (-1)

/** @brief One logical unit: where it is and the disk behind it. */
struct hba_lun_config {
    uint8_t target;                /**< target id, below HBA_MAX_TARGETS */
    uint8_t lun;                   /**< LUN, below HBA_MAX_LUNS_PER_TARGET */
    struct scsi_disk_config disk;  /**< the disk (its lun, luns and seed
                                        fields are set by the adapter) */
};

/** @brief How to build an adapter; fill with hba_config_default() first. */
struct hba_config {
    const char *name;          /**< static name, e.g. "simhba0" (traces, rng streams) */
    uint32_t queue_depth;      /**< commands in flight and most request ring
                                    slots, 1..SIMHBA_MAX_QUEUE (default 32) */
    uint32_t max_sg;           /**< SG elements per request, 1..4095 (default 64) */
    uint32_t max_transfer;     /**< largest data_length, 512..8 MiB (default 256 KiB) */
    sim_time_t mmio_read_ns;   /**< an uncached register read (default 700) */
    sim_time_t mmio_write_ns;  /**< a posted register write (default 80) */
    sim_time_t pio_ns;         /**< one ULONG through PIO_DATA (default 500) */
    sim_time_t command_ns;     /**< firmware time per command, serialised
                                    over all commands (default 1000) */
    sim_time_t reset_ns;       /**< how long an adapter or bus reset takes
                                    (default 50 us) */
    enum sim_irq_mode irq_mode;/**< SIM_IRQ_LEVEL (default) or SIM_IRQ_EDGE (MSI) */
    uint32_t coalesce_count;   /**< reset value of COALESCE_COUNT (default 0: off) */
    uint32_t coalesce_ns;      /**< reset value of COALESCE_TIME (default 0: off) */
    size_t nluns;              /**< entries used in @c luns */
    struct hba_lun_config luns[HBA_MAX_LUNS]; /**< the logical units */
};

/**
 * @brief Fill @p cfg with the defaults: "simhba0", queue depth 32, 64 SG
 *        elements, 256 KiB transfers, 700 ns reads, 80 ns writes, 500 ns
 *        PIO accesses, 1 us per command, level interrupt, no coalescing,
 *        and one LUN (target 0, LUN 0) with scsi_disk_config_init()'s disk.
 * @param[out] cfg the configuration
 */
void hba_config_default(struct hba_config *cfg);

/**
 * @brief Add (or replace) a logical unit in a configuration.
 * @param[in,out] cfg    the configuration
 * @param[in]     target target id
 * @param[in]     lun    LUN
 * @param[in]     disk   the disk, or NULL for scsi_disk_config_init()'s
 * @return 0, -EINVAL for an id out of range, -ENOSPC when full
 */
int hba_config_add_lun(struct hba_config *cfg, unsigned target, unsigned lun,
                       const struct scsi_disk_config *disk);

/** @brief An adapter (opaque). */
struct hba;

/**
 * @brief Create an adapter and its disks. A machine must exist.
 * @param[in]  cfg the configuration (copied)
 * @param[out] out the adapter
 * @return 0, -ENODEV without a machine, -EINVAL for a bad configuration,
 *         -ENOMEM
 */
int hba_create(const struct hba_config *cfg, struct hba **out);

/**
 * @brief Destroy an adapter, its disks and every command in flight (their
 *        events are cancelled). Call before sim_destroy(). NULL is allowed.
 * @param[in] hba the adapter
 */
void hba_destroy(struct hba *hba);

/**
 * @brief Tell the adapter which connected interrupt to drive.
 * @param[in,out] hba  the adapter
 * @param[in]     intr the interrupt, connected with the mode the adapter
 *                     was configured for (SIMHBA_CAPS_MSI tells which)
 * @return 0, or -EINVAL when the interrupt's mode does not match
 */
int hba_attach_interrupt(struct hba *hba, struct sim_interrupt *intr);

/** @brief The configuration an adapter was built with. @param[in] hba the adapter @return it */
const struct hba_config *hba_get_config(const struct hba *hba);

/**
 * @brief Read a register. On a CPU this costs the configured read time
 *        (PIO_DATA: the PIO time) and is one SIM_EV_REG_READ trace event
 *        (arg = offset, arg2 = value, detail = register name).
 * @param[in,out] hba    the adapter
 * @param[in]     offset register offset (SIMHBA_REG_*)
 * @param[in]     file   caller's source file
 * @param[in]     line   caller's source line
 * @return the value; 0xFFFFFFFF for an offset with no register
 */
uint32_t hba_read32(struct hba *hba, uint32_t offset, const char *file, int line);

/**
 * @brief Write a register: one SIM_EV_REG_WRITE trace event and the
 *        configured write time. Writes to read-only or missing registers
 *        are ignored (and counted).
 * @param[in,out] hba    the adapter
 * @param[in]     offset register offset (SIMHBA_REG_*)
 * @param[in]     value  the value
 * @param[in]     file   caller's source file
 * @param[in]     line   caller's source line
 */
void hba_write32(struct hba *hba, uint32_t offset, uint32_t value,
                 const char *file, int line);

/**
 * @brief Read @p count ULONGs from PIO_DATA (READ_PORT_BUFFER_ULONG): one
 *        SIM_EV_PIO trace event (arg = bytes) and @p count PIO times.
 * @param[in,out] hba   the adapter
 * @param[out]    buf   where the data goes
 * @param[in]     count ULONGs to read
 * @param[in]     file  caller's source file
 * @param[in]     line  caller's source line
 */
void hba_pio_read_buffer(struct hba *hba, uint32_t *buf, size_t count,
                         const char *file, int line);

/**
 * @brief Write @p count ULONGs to PIO_DATA (WRITE_PORT_BUFFER_ULONG): one
 *        SIM_EV_PIO trace event (arg = bytes) and @p count PIO times.
 * @param[in,out] hba   the adapter
 * @param[in]     buf   the data
 * @param[in]     count ULONGs to write
 * @param[in]     file  caller's source file
 * @param[in]     line  caller's source line
 */
void hba_pio_write_buffer(struct hba *hba, const uint32_t *buf, size_t count,
                          const char *file, int line);

/**
 * @brief The name of a register.
 * @param[in] offset a register offset
 * @return e.g. "INTR_STATUS", or NULL when no register is there
 */
const char *hba_reg_name(uint32_t offset);

/**
 * @brief A register's value as a read would return it now, without the
 *        read: no trace event, no time, no side effect (for 'show hba').
 * @param[in]  hba    the adapter
 * @param[in]  offset the register's offset
 * @param[out] value  its value
 * @return 0; -EINVAL if no register is there; -EPERM for a write-only
 *         register; -EAGAIN for PIO_DATA, whose reads consume data
 */
int hba_peek32(const struct hba *hba, uint32_t offset, uint32_t *value);

/**
 * @brief Whether the adapter is interrupting: in level mode the level it
 *        drives, which follows (INTR_STATUS AND INTR_MASK) != 0 (a raise
 *        caused by a register write takes effect at the writing CPU's next
 *        yield point); in edge mode whether (INTR_STATUS AND INTR_MASK) != 0.
 * @param[in] hba the adapter
 * @return true when asserted
 */
bool hba_irq_line(const struct hba *hba);

/**
 * @brief The disk behind a logical unit, to inspect or preload it.
 * @param[in] hba    the adapter
 * @param[in] target target id
 * @param[in] lun    LUN
 * @return the disk, or NULL when no such LUN is configured
 */
struct scsi_disk *hba_lun_disk(struct hba *hba, unsigned target, unsigned lun);

/** @name Events from outside the driver (the command language, faults)
 *  @{ */

/**
 * @brief A bus reset the driver did not ask for (another initiator, a
 *        cable): as BUS_RESET, plus SIMHBA_INTR_BUS_RESET when it is done.
 * @param[in,out] hba the adapter
 * @return 0, or -EBUSY while a reset is in progress
 */
int hba_bus_reset(struct hba *hba);

/**
 * @brief A logical unit goes away: commands to it end with
 *        SIMHBA_CS_INVALID_LUN, the other LUNs of its target report 3F/0E,
 *        and SIMHBA_INTR_LUN_CHANGE is raised.
 * @param[in,out] hba    the adapter
 * @param[in]     target target id
 * @param[in]     lun    LUN
 * @return 0, -ENOENT if not configured, -EALREADY if already absent
 */
int hba_lun_remove(struct hba *hba, unsigned target, unsigned lun);

/**
 * @brief A logical unit (re)appears: it reports 29/00, its target's LUNs
 *        report 3F/0E, and SIMHBA_INTR_LUN_CHANGE is raised.
 * @param[in,out] hba    the adapter
 * @param[in]     target target id
 * @param[in]     lun    LUN
 * @return 0, -ENOENT if not configured, -EALREADY if already present
 */
int hba_lun_arrive(struct hba *hba, unsigned target, unsigned lun);

/**
 * @brief The disk of a logical unit loses power: its unflushed write
 *        cache is lost and it reports 29/01.
 * @param[in,out] hba    the adapter
 * @param[in]     target target id
 * @param[in]     lun    LUN
 * @return bytes of cached data lost, or -ENOENT
 */
int64_t hba_power_loss(struct hba *hba, unsigned target, unsigned lun);

/** @} */

/** @brief What an adapter-level fault rule does (see docs/simhba.md section 8). */
enum hba_fault_kind {
    HBA_FAULT_MEDIUM_ERROR,    /**< "medium-error": 03/11/00 (reads) or 03/0C/00 (writes) */
    HBA_FAULT_STATUS,          /**< "status": any SCSI status, with sense for CHECK CONDITION */
    HBA_FAULT_BUSY,            /**< "busy": SCSI status BUSY */
    HBA_FAULT_TASK_SET_FULL,   /**< "task-set-full": SCSI status TASK SET FULL */
    HBA_FAULT_DROP_COMMAND,    /**< "drop-command": never completes (until a reset) */
    HBA_FAULT_DROP_INTERRUPT,  /**< "drop-interrupt": completion posted, no interrupt for it */
    HBA_FAULT_DELAY_INTERRUPT, /**< "delay-interrupt": its interrupt comes @c delay late */
    HBA_FAULT_BUS_RESET,       /**< "bus-reset": the bus resets when the command arrives */
    HBA_FAULT_LUN_REMOVE,      /**< "lun-remove": the LUN goes away (back after @c delay if set) */
    HBA_FAULT_LUN_ARRIVE,      /**< "lun-arrive": the absent LUN appears before the command */
    HBA_FAULT_POWER_LOSS,      /**< "power-loss": the LUN's write cache is lost first */
    HBA_FAULT_KIND_COUNT       /**< number of kinds */
};

/**
 * @brief An adapter-level fault rule. A command matches when its target,
 *        LUN and opcode match (HBA_ANY matches all) and, if @c lba_count is
 *        not zero, its LBA range overlaps [lba_first, lba_first + lba_count)
 *        (so only READ, WRITE and VERIFY commands). Every @c every-th
 *        matching command triggers the rule; after @c count triggers it is
 *        removed (0: never). The first rule that triggers decides.
 */
struct hba_fault_rule {
    enum hba_fault_kind kind; /**< what happens */
    int target;               /**< target id or HBA_ANY */
    int lun;                  /**< LUN or HBA_ANY */
    int opcode;               /**< operation code or HBA_ANY */
    uint64_t lba_first;       /**< first LBA of the range */
    uint64_t lba_count;       /**< blocks in the range; 0 = no LBA condition */
    uint32_t every;           /**< every Nth matching command (0 or 1: each) */
    uint32_t count;           /**< triggers before the rule goes (0: unlimited) */
    uint8_t status;           /**< HBA_FAULT_STATUS: the SCSI status */
    uint8_t sense_key;        /**< HBA_FAULT_STATUS with CHECK CONDITION: the key */
    uint16_t asc_ascq;        /**< HBA_FAULT_STATUS with CHECK CONDITION: ASC/ASCQ */
    sim_time_t delay;         /**< delay-interrupt: how late; lun-remove: back after (0: never) */
};

/**
 * @brief Initialise a rule of @p kind matching every command, each time,
 *        forever.
 * @param[out] rule the rule
 * @param[in]  kind what it does
 */
void hba_fault_rule_init(struct hba_fault_rule *rule, enum hba_fault_kind kind);

/**
 * @brief Parse a rule from text, e.g. "medium-error lun=0 lba=1000-2000
 *        every=3 count=5". Keys: target=, lun=, op= (a number or a name
 *        such as read10), lba=N or lba=FIRST-LAST, every=, count=,
 *        status= (a number or good, check-condition, busy, task-set-full,
 *        reservation-conflict, task-aborted), key= (a number or a sense key
 *        name such as medium-error), asc=AA/QQ, delay= (a time such as 50us).
 * @param[in]  text   the rule
 * @param[out] rule   the parsed rule
 * @param[out] err    on error, a message naming the bad token
 * @param[in]  errlen size of @p err
 * @return 0 or -EINVAL
 */
int hba_fault_parse(const char *text, struct hba_fault_rule *rule, char *err,
                    size_t errlen);

/**
 * @brief Format a rule in the syntax hba_fault_parse() reads.
 * @param[in]  rule the rule
 * @param[out] buf  output
 * @param[in]  len  its size
 * @return what snprintf returns
 */
int hba_fault_format(const struct hba_fault_rule *rule, char *buf, size_t len);

/** @brief The name of a fault kind. @param[in] kind the kind @return e.g. "drop-command" */
const char *hba_fault_kind_name(enum hba_fault_kind kind);

/**
 * @brief Add a fault rule to an adapter.
 * @param[in,out] hba  the adapter
 * @param[in]     rule the rule (copied)
 * @return its id (0 or more), -EINVAL for a bad rule, -ENOSPC when full
 */
int hba_fault_add(struct hba *hba, const struct hba_fault_rule *rule);

/**
 * @brief Remove a fault rule.
 * @param[in,out] hba the adapter
 * @param[in]     id  what hba_fault_add() returned
 * @return 0, or -ENOENT
 */
int hba_fault_remove(struct hba *hba, int id);

/** @brief Remove every fault rule. @param[in,out] hba the adapter */
void hba_fault_clear(struct hba *hba);

/** @brief Occupancy of a queue over time. */
struct hba_occupancy {
    uint64_t now;   /**< commands in it now */
    uint64_t max;   /**< most at any time */
    double mean;    /**< time-weighted mean since creation or the last reset */
};

/** @brief Counters of one logical unit. */
struct hba_lun_stats {
    bool present;             /**< the LUN is there now */
    uint64_t commands;        /**< commands sent to it */
    uint64_t by_opcode[256];  /**< commands per operation code */
    uint64_t bytes_read;      /**< data bytes moved to the host */
    uint64_t bytes_written;   /**< data bytes moved to the disk */
    uint64_t errors;          /**< completions other than SIMHBA_CS_SUCCESS */
    uint64_t faults_injected; /**< fault rules that triggered on it */
    struct hba_occupancy occupancy; /**< its commands in flight */
};

/** @brief Counters of one adapter. */
struct hba_stats {
    uint64_t commands;            /**< request descriptors fetched */
    uint64_t completions;         /**< completion descriptors written */
    uint64_t by_opcode[256];      /**< commands per operation code */
    uint64_t bytes_read;          /**< data bytes moved to the host */
    uint64_t bytes_written;       /**< data bytes moved from the host */
    uint64_t pio_bytes;           /**< of those, bytes moved through PIO_DATA */
    uint64_t errors;              /**< completions other than SIMHBA_CS_SUCCESS */
    uint64_t invalid_requests;    /**< SIMHBA_CS_INVALID_REQUEST completions */
    uint64_t sg_short;            /**< SG lists shorter than data_length */
    uint64_t dma_faults;          /**< SG, sense or ring addresses not in physmem */
    uint64_t faults_injected;     /**< fault rules that triggered */
    uint64_t dropped_commands;    /**< commands swallowed by drop-command */
    uint64_t dropped_interrupts;  /**< completions whose interrupt was dropped */
    uint64_t delayed_interrupts;  /**< completions whose interrupt was delayed */
    uint64_t interrupts;          /**< line assertions (level) or messages (edge) */
    uint64_t completions_coalesced; /**< completions that shared an interrupt
                                         with an earlier one */
    uint64_t coalesce_timeouts;   /**< completion interrupts raised by the timer */
    uint64_t cmpl_ring_full;      /**< completions that waited for ring room */
    uint64_t reg_reads;           /**< register reads */
    uint64_t reg_writes;          /**< register writes */
    uint64_t bad_reg_reads;       /**< reads of offsets with no register */
    uint64_t bad_reg_writes;      /**< writes ignored (read-only, missing,
                                       ring setup while enabled) */
    uint64_t pio_errors;          /**< PIO_DATA accesses with nothing to move */
    uint64_t adapter_resets;      /**< adapter resets */
    uint64_t bus_resets;          /**< bus resets */
    uint64_t reset_completions;   /**< commands ended with SIMHBA_CS_BUS_RESET */
    struct hba_occupancy occupancy; /**< commands in flight in the adapter */
};

/**
 * @brief Copy an adapter's counters.
 * @param[in]  hba the adapter
 * @param[out] out the counters
 */
void hba_get_stats(const struct hba *hba, struct hba_stats *out);

/**
 * @brief Copy a logical unit's counters.
 * @param[in]  hba    the adapter
 * @param[in]  target target id
 * @param[in]  lun    LUN
 * @param[out] out    the counters
 * @return 0, or -ENOENT when no such LUN is configured
 */
int hba_get_lun_stats(const struct hba *hba, unsigned target, unsigned lun,
                      struct hba_lun_stats *out);

/**
 * @brief The name of a completion status.
 * @param[in] status a SIMHBA_CS_* value
 * @return e.g. "INVALID_REQUEST", or "UNKNOWN"
 */
const char *hba_cmpl_status_name(uint8_t status);

/** @brief Zero every counter and restart the occupancy means. @param[in,out] hba the adapter */
void hba_stats_reset(struct hba *hba);

/**
 * @brief Whether the adapter holds a command with this tag: its descriptor
 *        waits in the request ring, or the device is working on it (a
 *        dropped command counts until a reset). Once its completion is
 *        posted, the command is the driver's again. For checkers; no cost.
 * @param[in] hba the adapter
 * @param[in] tag the descriptor's tag
 * @return true while the hardware owns it
 */
bool hba_tag_busy(const struct hba *hba, uint32_t tag);

/**
 * @brief Verify the adapter's internal invariants (command slot lists,
 *        ring indices); meant for tests.
 * @param[in] hba the adapter
 * @return 0 when they hold, -EIO when one is broken
 */
int hba_check(const struct hba *hba);

/**
 * @brief `storsim cdb`: send one raw CDB to a LUN of a fresh default
 *        adapter and print the status, the sense in words and the data.
 *
 * Usage: `cdb [--lun N] [--data-out HEX] [--response-hex | --sense-hex]
 * HEXBYTES...`, where @p argv[0] is the command name. --data-out may be
 * repeated; each HEX argument holds one or more hex bytes.
 * @param[in] argc argument count
 * @param[in] argv arguments, argv[0] = "cdb"
 * @return 0 for GOOD, 1 for any other SCSI status, 2 for bad usage
 */
int hba_cdb_main(int argc, char **argv);

/**
 * @brief hba_cdb_main() writing to given streams (for tests and the console).
 * @param[in] argc argument count
 * @param[in] argv arguments, argv[0] = "cdb"
 * @param[in] out  where results go
 * @param[in] err  where usage errors go
 * @return as hba_cdb_main()
 */
int hba_cdb_run(int argc, char **argv, FILE *out, FILE *err);

/** @} */

#endif /* STORSIM_HBA_H */
