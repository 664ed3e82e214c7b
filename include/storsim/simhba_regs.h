/* simhba_regs.h - SIMHBA hardware interface: registers, bits and descriptors. */
/**
 * @file simhba_regs.h
 * @brief The SIMHBA programming interface: register offsets and bit
 *        layouts, the request and completion descriptors, status codes.
 *
 * Interface: this is the "hardware" header a miniport includes, the way a
 * real driver includes its chip's register file. Every item cites the
 * section of the programming guide, docs/simhba.md, that explains it.
 * The adapter model (src/hba) implements exactly what is written here.
 *
 * All registers are 32 bits wide and little-endian; descriptors live in
 * host memory the driver allocates with physmem_alloc() and are
 * little-endian with the byte offsets asserted below.
 */
#ifndef STORSIM_SIMHBA_REGS_H
#define STORSIM_SIMHBA_REGS_H

#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the SIMHBA descriptor structs assume a little-endian host"
#endif

/**
 * @defgroup simhba_regs SIMHBA registers and descriptors
 * @brief The device's programming interface (see docs/simhba.md).
 * @{
 */

/** @name Register offsets (simhba.md section 2, the register map)
 *  @{ */
#define SIMHBA_REG_ID               0x000 /**< @brief RO: SIMHBA_ID_VALUE (section 2.1). */
#define SIMHBA_REG_VERSION          0x004 /**< @brief RO: major in [31:16], minor in [15:0] (section 2.1). */
#define SIMHBA_REG_CAPS             0x008 /**< @brief RO: capabilities, SIMHBA_CAPS_* (section 2.1). */
#define SIMHBA_REG_MAX_XFER         0x00C /**< @brief RO: largest data_length in bytes (section 2.1). */
#define SIMHBA_REG_TOPOLOGY         0x010 /**< @brief RO: SIMHBA_TOPO_* target and LUN limits (section 2.1). */
#define SIMHBA_REG_CONTROL          0x020 /**< @brief RW: SIMHBA_CONTROL_* (section 2.2). */
#define SIMHBA_REG_STATUS           0x024 /**< @brief RO: SIMHBA_STATUS_* (section 2.2). */
#define SIMHBA_REG_INTR_STATUS      0x028 /**< @brief RW1C: SIMHBA_INTR_* events (section 2.3). */
#define SIMHBA_REG_INTR_MASK        0x02C /**< @brief RW: 1 enables the SIMHBA_INTR_* bit (section 2.3). */
#define SIMHBA_REG_ADAPTER_RESET    0x030 /**< @brief WO: write SIMHBA_RESET_KEY (section 2.7, 7). */
#define SIMHBA_REG_BUS_RESET        0x034 /**< @brief WO: write SIMHBA_RESET_KEY (section 2.7, 7). */
#define SIMHBA_REG_REQ_BASE_LO      0x040 /**< @brief RW: request ring physical address [31:0] (section 2.4). */
#define SIMHBA_REG_REQ_BASE_HI      0x044 /**< @brief RW: request ring physical address [63:32] (section 2.4). */
#define SIMHBA_REG_REQ_SIZE         0x048 /**< @brief RW: request ring slots, a power of two (section 2.4). */
#define SIMHBA_REG_REQ_DOORBELL     0x04C /**< @brief RW: the driver's request producer index (section 2.4, 4). */
#define SIMHBA_REG_REQ_CONS         0x050 /**< @brief RO: the device's request consumer index (section 2.4, 4). */
#define SIMHBA_REG_CMPL_BASE_LO     0x060 /**< @brief RW: completion ring physical address [31:0] (section 2.4). */
#define SIMHBA_REG_CMPL_BASE_HI     0x064 /**< @brief RW: completion ring physical address [63:32] (section 2.4). */
#define SIMHBA_REG_CMPL_SIZE        0x068 /**< @brief RW: completion ring slots, a power of two (section 2.4). */
#define SIMHBA_REG_CMPL_PROD        0x06C /**< @brief RO: the device's completion producer index (section 2.4, 4). */
#define SIMHBA_REG_CMPL_CONS        0x070 /**< @brief RW: the driver's completion consumer index (section 2.4, 4). */
#define SIMHBA_REG_COALESCE_COUNT   0x080 /**< @brief RW: completions per interrupt, 0 or 1 = each (section 2.5, 6). */
#define SIMHBA_REG_COALESCE_TIME    0x084 /**< @brief RW: longest hold of a completion interrupt, ns; 0 = none (section 2.5, 6). */
#define SIMHBA_REG_PIO_DATA         0x090 /**< @brief RW: the PIO data port, one ULONG per access (section 2.6, 5). */
#define SIMHBA_REG_PIO_STATUS       0x094 /**< @brief RO: SIMHBA_PIO_* channel state (section 2.6, 5). */
#define SIMHBA_REG_PIO_TAG          0x098 /**< @brief RO: tag of the command on the PIO channel (section 2.6, 5). */
#define SIMHBA_REG_PIO_CONTROL      0x09C /**< @brief WO: SIMHBA_PIO_CTL_* (section 2.6, 5). */
/** @brief Size of the register window in bytes. */
#define SIMHBA_REG_WINDOW           0x100
/** @} */

/** @name Identification (section 2.1)
 *  @{ */
#define SIMHBA_ID_VALUE       0x53494D48u /**< @brief "SIMH" read as a little-endian ULONG. */
#define SIMHBA_VERSION_VALUE  0x00010000u /**< @brief Version 1.0. */
#define SIMHBA_CAPS_QUEUE_DEPTH(caps) ((caps) & 0xFFFFu)        /**< @brief Most request ring slots (and commands in flight). @param caps the CAPS value */
#define SIMHBA_CAPS_MAX_SG(caps)      (((caps) >> 16) & 0xFFFu) /**< @brief Most SG elements per request. @param caps the CAPS value */
#define SIMHBA_CAPS_PIO       (1u << 28) /**< @brief The PIO data port is implemented. */
#define SIMHBA_CAPS_COALESCE  (1u << 29) /**< @brief Interrupt coalescing is implemented. */
#define SIMHBA_CAPS_MSI       (1u << 30) /**< @brief The interrupt is edge/message signalled (else level). */
#define SIMHBA_CAPS_EXT_SG    (1u << 31) /**< @brief External SG lists (SIMHBA_REQ_F_EXT_SG) are accepted. */
#define SIMHBA_TOPO_TARGETS(topo)     ((topo) & 0xFFu)          /**< @brief Number of target ids. @param topo the TOPOLOGY value */
#define SIMHBA_TOPO_LUNS(topo)        (((topo) >> 8) & 0xFFu)   /**< @brief LUNs per target. @param topo the TOPOLOGY value */
/** @} */

/** @name CONTROL bits (section 2.2)
 *  @{ */
#define SIMHBA_CONTROL_ENABLE (1u << 0) /**< @brief 0 to 1: check the rings, zero the indices, start. */
/** @} */

/** @name STATUS bits (section 2.2)
 *  @{ */
#define SIMHBA_STATUS_READY        (1u << 0) /**< @brief Enabled with valid rings: doorbells are served. */
#define SIMHBA_STATUS_RESETTING    (1u << 1) /**< @brief An adapter or bus reset is in progress. */
#define SIMHBA_STATUS_RING_ERROR   (1u << 2) /**< @brief Bad ring setup or a doorbell overran the ring. */
#define SIMHBA_STATUS_PIO_ACTIVE   (1u << 3) /**< @brief A command holds the PIO channel. */
/** @} */

/** @name INTR_STATUS and INTR_MASK bits (section 2.3)
 *  The line is asserted while (INTR_STATUS AND INTR_MASK) is not zero.
 *  @{ */
#define SIMHBA_INTR_CMPL        (1u << 0) /**< @brief New completion descriptors (after coalescing). */
#define SIMHBA_INTR_PIO_READY   (1u << 1) /**< @brief The PIO channel waits for the driver. */
#define SIMHBA_INTR_RESET_DONE  (1u << 2) /**< @brief An adapter or bus reset finished. */
#define SIMHBA_INTR_BUS_RESET   (1u << 3) /**< @brief A bus reset the driver did not ask for happened. */
#define SIMHBA_INTR_LUN_CHANGE  (1u << 4) /**< @brief A logical unit arrived or went away. */
#define SIMHBA_INTR_ERROR       (1u << 5) /**< @brief STATUS.RING_ERROR was set. */
#define SIMHBA_INTR_ALL         0x3Fu     /**< @brief Every defined bit. */
/** @} */

/** @brief The value that starts a reset in ADAPTER_RESET or BUS_RESET (section 2.7). */
#define SIMHBA_RESET_KEY 0x52534554u

/** @name PIO_STATUS and PIO_CONTROL (section 2.6)
 *  @{ */
#define SIMHBA_PIO_REMAINING(st) ((st) & 0xFFFFFFu) /**< @brief Bytes left to move. @param st the PIO_STATUS value */
#define SIMHBA_PIO_ACTIVE   (1u << 24) /**< @brief A command holds the channel. */
#define SIMHBA_PIO_DIR_IN   (1u << 25) /**< @brief Device to host: read PIO_DATA (else write it). */
#define SIMHBA_PIO_CTL_END  (1u << 0)  /**< @brief End the transfer now; the rest is residual. */
/** @} */

/** @name Limits (section 3)
 *  @{ */
#define SIMHBA_INLINE_SG      12   /**< @brief SG elements embedded in a request descriptor. */
#define SIMHBA_MAX_CDB        16   /**< @brief Longest CDB. */
#define SIMHBA_MAX_SENSE      255  /**< @brief Most sense bytes the device returns. */
#define SIMHBA_MAX_QUEUE      1024 /**< @brief Largest request ring. */
#define SIMHBA_MAX_CMPL_RING  4096 /**< @brief Largest completion ring. */
#define SIMHBA_RING_ALIGN     64   /**< @brief Ring base alignment in bytes. */
/** @} */

/** @name Request direction (section 3.1)
 *  @{ */
#define SIMHBA_DIR_NONE 0 /**< @brief No data phase. */
#define SIMHBA_DIR_IN   1 /**< @brief Device to host memory (reads). */
#define SIMHBA_DIR_OUT  2 /**< @brief Host memory to device (writes). */
/** @} */

/** @name Request flags (section 3.1)
 *  @{ */
#define SIMHBA_REQ_F_PIO    (1u << 0) /**< @brief Data moves through PIO_DATA, not by DMA (section 5). */
#define SIMHBA_REQ_F_EXT_SG (1u << 1) /**< @brief The SG list is at ext_sg_addr, not in sg[] (section 3.2). */
/** @} */

/** @brief One scatter/gather element (section 3.2): 16 bytes. */
struct simhba_sg_elem {
    uint64_t addr;     /**< physical address of the first byte */
    uint32_t length;   /**< bytes, 1 or more */
    uint32_t reserved; /**< must be 0 */
};

/** @brief A request descriptor, one request ring slot (section 3.1): 256 bytes. */
struct simhba_req_desc {
    uint32_t tag;          /**< the driver's cookie, returned in the completion */
    uint8_t cdb_len;       /**< valid bytes in @c cdb, 1 to 16 */
    uint8_t target;        /**< target id */
    uint8_t lun;           /**< logical unit number */
    uint8_t direction;     /**< SIMHBA_DIR_* */
    uint32_t data_length;  /**< bytes of the data phase */
    uint32_t flags;        /**< SIMHBA_REQ_F_* */
    uint8_t cdb[SIMHBA_MAX_CDB]; /**< the command descriptor block */
    uint64_t sense_addr;   /**< physical address of the sense buffer, 0 = none */
    uint32_t sense_length; /**< its size in bytes */
    uint32_t sg_count;     /**< SG elements (in @c sg, or at @c ext_sg_addr) */
    uint64_t ext_sg_addr;  /**< physical address of an external SG list */
    uint64_t reserved;     /**< must be 0 */
    struct simhba_sg_elem sg[SIMHBA_INLINE_SG]; /**< the inline SG list */
};

/** @name Completion status, SRB style (section 3.4)
 *  The values equal the WDK's SRB_STATUS_xxx codes of the same name.
 *  @{ */
#define SIMHBA_CS_SUCCESS           0x01 /**< @brief GOOD; the data moved (residual may be non-zero). */
#define SIMHBA_CS_ERROR             0x04 /**< @brief The target returned a status other than GOOD. */
#define SIMHBA_CS_INVALID_REQUEST   0x06 /**< @brief A bad descriptor: never sent to the target. */
#define SIMHBA_CS_SELECTION_TIMEOUT 0x0A /**< @brief No such target id. */
#define SIMHBA_CS_BUS_RESET         0x0E /**< @brief Ended by an adapter or bus reset. */
#define SIMHBA_CS_DATA_OVERRUN      0x12 /**< @brief GOOD, but the target had more data than data_length. */
#define SIMHBA_CS_INVALID_LUN       0x20 /**< @brief No such (or no longer present) logical unit. */
/** @} */

/** @name Completion flags (section 3.3)
 *  @{ */
#define SIMHBA_CMPL_F_SENSE    (1u << 0) /**< @brief Sense data was written to the sense buffer. */
#define SIMHBA_CMPL_F_UNDERRUN (1u << 1) /**< @brief residual is not zero. */
#define SIMHBA_CMPL_F_PIO      (1u << 2) /**< @brief The data moved by PIO. */
/** @} */

/** @brief A completion descriptor, one completion ring slot (section 3.3): 16 bytes. */
struct simhba_cmpl_desc {
    uint32_t tag;          /**< the request's tag */
    uint8_t status;        /**< SIMHBA_CS_* */
    uint8_t scsi_status;   /**< the SCSI status byte (SCSI_STATUS_*) */
    uint8_t sense_length;  /**< sense bytes written (with SIMHBA_CMPL_F_SENSE) */
    uint8_t flags;         /**< SIMHBA_CMPL_F_* */
    uint32_t residual;     /**< data_length minus the bytes moved */
    uint32_t reserved;     /**< 0 */
};

/** @cond INTERNAL */
_Static_assert(sizeof(struct simhba_sg_elem) == 16, "SG element is 16 bytes");
_Static_assert(sizeof(struct simhba_req_desc) == 256, "request descriptor is 256 bytes");
_Static_assert(offsetof(struct simhba_req_desc, data_length) == 8, "data_length at 8");
_Static_assert(offsetof(struct simhba_req_desc, flags) == 12, "flags at 12");
_Static_assert(offsetof(struct simhba_req_desc, cdb) == 16, "cdb at 16");
_Static_assert(offsetof(struct simhba_req_desc, sense_addr) == 32, "sense_addr at 32");
_Static_assert(offsetof(struct simhba_req_desc, sense_length) == 40, "sense_length at 40");
_Static_assert(offsetof(struct simhba_req_desc, sg_count) == 44, "sg_count at 44");
_Static_assert(offsetof(struct simhba_req_desc, ext_sg_addr) == 48, "ext_sg_addr at 48");
_Static_assert(offsetof(struct simhba_req_desc, sg) == 64, "sg at 64");
_Static_assert(sizeof(struct simhba_cmpl_desc) == 16, "completion descriptor is 16 bytes");
_Static_assert(offsetof(struct simhba_cmpl_desc, status) == 4, "status at 4");
_Static_assert(offsetof(struct simhba_cmpl_desc, residual) == 8, "residual at 8");
/** @endcond */

/** @} */

#endif /* STORSIM_SIMHBA_REGS_H */
