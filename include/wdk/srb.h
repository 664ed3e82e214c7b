/**
 * @file srb.h
 * @brief The SCSI request block, the miniport registration structures, the
 *        miniport role types and the SCSI Port library (WDK srb.h).
 *
 * Interface: included by storport.h; a SCSI Port-only miniport may include
 * it directly. storsim drives ONE miniport source from both a SCSI
 * Port-style and a Storport-style port driver, so the structures that the
 * two WDK headers both define are defined here once, as a superset:
 *
 * - HW_INITIALIZATION_DATA: the SCSI Port (srb.h) fields in WDK order,
 *   followed by the Storport-only fields in Storport (storport.h) order.
 * - PORT_CONFIGURATION_INFORMATION: the storport.h layout, whose members are
 *   the srb.h members plus Storport-only ones. Where the two headers name
 *   the same bytes differently both names are given (an anonymous union).
 * - SCSI_NOTIFICATION_TYPE: the srb.h values, plus the Storport-only ones
 *   at their storport.h values; storport.h adds STORPORT_NOTIFICATION_TYPE.
 * - The miniport role types (HW_STARTIO and so on) are shared; each one's
 *   comment gives the IRQL and lock rules of both port drivers.
 *
 * Every ScsiPortXxx routine is declared with its WDK prototype and then,
 * unless STORSIM_NO_CALL_SITES is defined, wrapped in a macro of the same
 * name that records the caller's file and line (storsim_call_site()).
 */
#ifndef STORSIM_WDK_SRB_H
#define STORSIM_WDK_SRB_H

#include "miniport.h"

/**
 * @defgroup wdk_srb SCSI request block and SCSI Port library (srb.h)
 * @brief SCSI_REQUEST_BLOCK, HW_INITIALIZATION_DATA,
 *        PORT_CONFIGURATION_INFORMATION, the miniport role types and the
 *        ScsiPortXxx routines.
 *
 * Microsoft documents these on the "srb.h header" pages of the Windows
 * driver API reference (SCSI_REQUEST_BLOCK structure (srb.h),
 * HW_INITIALIZATION_DATA structure (srb.h) and (storport.h),
 * PORT_CONFIGURATION_INFORMATION structure (srb.h) and (storport.h),
 * ScsiPortNotification function (srb.h), ...), and on the "SCSI Port I/O
 * Model" and "Storport I/O Model" pages of the storage driver design guide.
 * @{
 */

/* ------------------------------------------------------------------------ */
/** @name SCSI configuration limits */
/** @{ */

#define SCSI_MAXIMUM_BUSES_PER_ADAPTER 255 /**< @brief Most buses a Storport adapter may report. */
#define SCSI_MAXIMUM_TARGETS_PER_BUS 128   /**< @brief Most targets per bus (SCSI Port; Storport allows 255). */
#define SCSI_MAXIMUM_LUNS_PER_TARGET 255   /**< @brief Most logical units per target. */
#define SCSI_MINIMUM_PHYSICAL_BREAKS 16    /**< @brief Smallest NumberOfPhysicalBreaks a port accepts. */
#define SCSI_MAXIMUM_PHYSICAL_BREAKS 255   /**< @brief Largest NumberOfPhysicalBreaks a port accepts. */
#define SCSI_MAXIMUM_BUSES 8               /**< @brief Old maximum number of buses (compatibility). */
#define SCSI_MAXIMUM_TARGETS 8             /**< @brief Old maximum number of targets (compatibility). */
#define SCSI_MAXIMUM_LOGICAL_UNITS 8       /**< @brief Default MaximumNumberOfLogicalUnits. */

#define SCSI_DMA64_MINIPORT_SUPPORTED 0x01           /**< @brief Dma64BitAddresses: the miniport handles 64-bit data addresses. */
#define SCSI_DMA64_MINIPORT_FULL64BIT_SUPPORTED 0x02 /**< @brief Dma64BitAddresses: extensions and sense may lie above 4 GB too. */
#define SCSI_DMA64_SYSTEM_SUPPORTED 0x80             /**< @brief Dma64BitAddresses: set by the port when the system has 64-bit addresses. */

/** @brief "Not set yet" value the port driver puts in ULONG configuration fields. */
#define SP_UNINITIALIZED_VALUE ((ULONG)~0)
/** @brief QueueTag value of an untagged request. */
#define SP_UNTAGGED ((UCHAR)~0)

#define SRBEV_BUS_RESET 0x0001               /**< @brief Asynchronous event: bus reset. */
#define SRBEV_SCSI_ASYNC_NOTIFICATION 0x0002 /**< @brief Asynchronous event: SCSI asynchronous notification. */

/** @brief Largest CDB of the original SCSI-2 SRB interface. */
#define MAXIMUM_CDB_SIZE 12

/** @} */

/* ------------------------------------------------------------------------ */

/**
 * @brief One SCSI request as the port driver hands it to the miniport
 *        (SCSI_REQUEST_BLOCK structure, srb.h).
 *
 * The port driver fills the request fields; the miniport reads them and,
 * before it completes the request with RequestComplete, sets SrbStatus (and
 * ScsiStatus, sense data and DataTransferLength as the outcome requires).
 * Under Storport the same pointer may instead address a
 * STORAGE_REQUEST_BLOCK: check Function == SRB_FUNCTION_STORAGE_REQUEST_BLOCK
 * or use the SrbGetXxx accessors of storport.h, which handle both.
 *
 * Field order and the x64-only Reserved field are those of the WDK, so the
 * offsets are the Windows x64 ones (Cdb at 0x48, size 0x58).
 */
typedef struct _SCSI_REQUEST_BLOCK {
    USHORT Length;                /**< size of this structure in bytes */
    UCHAR Function;               /**< SRB_FUNCTION_xxx: the operation requested */
    UCHAR SrbStatus;              /**< SRB_STATUS_xxx: set by the miniport at completion */
    UCHAR ScsiStatus;             /**< SCSISTAT_xxx status returned by the target */
    UCHAR PathId;                 /**< SCSI bus (path) number, zero-based */
    UCHAR TargetId;               /**< target on the bus */
    UCHAR Lun;                    /**< logical unit of the target */
    UCHAR QueueTag;               /**< tag the port assigned, or SP_UNTAGGED */
    UCHAR QueueAction;            /**< SRB_SIMPLE_TAG_REQUEST etc. when SRB_FLAGS_QUEUE_ACTION_ENABLE is set */
    UCHAR CdbLength;              /**< length of the CDB in bytes */
    UCHAR SenseInfoBufferLength;  /**< size of the sense buffer; updated on underrun */
    ULONG SrbFlags;               /**< SRB_FLAGS_xxx */
    ULONG DataTransferLength;     /**< bytes to transfer; updated to the bytes moved on underrun */
    ULONG TimeOutValue;           /**< seconds the port waits before it times the request out */
    PVOID DataBuffer;             /**< data buffer (NULL for Storport reads and writes: use the SG list) */
    PVOID SenseInfoBuffer;        /**< where autosense data goes */
    struct _SCSI_REQUEST_BLOCK *NextSrb; /**< request to abort, for SRB_FUNCTION_ABORT_COMMAND */
    PVOID OriginalRequest;        /**< the IRP the request came from (opaque to the miniport) */
    PVOID SrbExtension;           /**< per-request miniport storage of SrbExtensionSize bytes */
    union {
        ULONG InternalStatus;     /**< port-internal status when SrbStatus is SRB_STATUS_INTERNAL_ERROR */
        ULONG QueueSortKey;       /**< key the port sorts its queue by (starting LBA) */
        ULONG LinkTimeoutValue;   /**< link timeout for SRB_FUNCTION_SET_LINK_TIMEOUT */
    };
    ULONG Reserved;               /**< 64-bit Windows only: keeps Cdb pointer-aligned */
    UCHAR Cdb[16];                /**< the SCSI command descriptor block */
} SCSI_REQUEST_BLOCK;
/** @brief Pointer to SCSI_REQUEST_BLOCK. */
typedef SCSI_REQUEST_BLOCK *PSCSI_REQUEST_BLOCK;

/**
 * @brief The header at the start of an SRB_FUNCTION_IO_CONTROL data buffer
 *        (SRB_IO_CONTROL structure, ntddscsi.h); the miniport-defined
 *        payload follows it.
 */
typedef struct _SRB_IO_CONTROL {
    ULONG HeaderLength;  /**< sizeof(SRB_IO_CONTROL) */
    UCHAR Signature[8];  /**< identifies the miniport the request is for */
    ULONG Timeout;       /**< seconds */
    ULONG ControlCode;   /**< the miniport-defined operation */
    ULONG ReturnCode;    /**< set by the miniport */
    ULONG Length;        /**< bytes of payload after the header */
} SRB_IO_CONTROL;
/** @brief Pointer to SRB_IO_CONTROL. */
typedef SRB_IO_CONTROL *PSRB_IO_CONTROL;

/** @cond STORSIM_LAYOUT_CHECKS */
_Static_assert(sizeof(SRB_IO_CONTROL) == 28, "SRB_IO_CONTROL size");
/** @endcond */

/** @brief Size of a SCSI_REQUEST_BLOCK. */
#define SCSI_REQUEST_BLOCK_SIZE sizeof(SCSI_REQUEST_BLOCK)

/** @cond STORSIM_LAYOUT_CHECKS */
_Static_assert(offsetof(SCSI_REQUEST_BLOCK, DataBuffer) == 0x18, "SRB DataBuffer offset (x64)");
_Static_assert(offsetof(SCSI_REQUEST_BLOCK, Cdb) == 0x48, "SRB Cdb offset (x64)");
_Static_assert(sizeof(SCSI_REQUEST_BLOCK) == 0x58, "SRB size (x64)");
/** @endcond */

/* ------------------------------------------------------------------------ */
/** @name SRB functions (SCSI_REQUEST_BLOCK.Function) */
/** @{ */

#define SRB_FUNCTION_EXECUTE_SCSI 0x00           /**< @brief Send the CDB to the target/LUN. */
#define SRB_FUNCTION_CLAIM_DEVICE 0x01           /**< @brief Class driver claims the LU (port-internal). */
#define SRB_FUNCTION_IO_CONTROL 0x02             /**< @brief Miniport-defined I/O control (SRB_IO_CONTROL header in DataBuffer). */
#define SRB_FUNCTION_RECEIVE_EVENT 0x03          /**< @brief Prepare to receive an asynchronous event. */
#define SRB_FUNCTION_RELEASE_QUEUE 0x04          /**< @brief Unfreeze the LU queue (port-internal). */
#define SRB_FUNCTION_ATTACH_DEVICE 0x05          /**< @brief Attach a class driver (port-internal). */
#define SRB_FUNCTION_RELEASE_DEVICE 0x06         /**< @brief Release a claimed LU (port-internal). */
#define SRB_FUNCTION_SHUTDOWN 0x07               /**< @brief Flush and prepare for shutdown (only if CachesData). */
#define SRB_FUNCTION_FLUSH 0x08                  /**< @brief Flush cached data (only if CachesData). */
#define SRB_FUNCTION_PROTOCOL_COMMAND 0x09       /**< @brief Protocol pass-through command. */
#define SRB_FUNCTION_EXECUTE_NVME 0x0A           /**< @brief NVMe command (StorMQ). */
#define SRB_FUNCTION_ABORT_COMMAND 0x10          /**< @brief Abort the request at NextSrb. */
#define SRB_FUNCTION_RELEASE_RECOVERY 0x11       /**< @brief Send RELEASE RECOVERY to the target. */
#define SRB_FUNCTION_RESET_BUS 0x12              /**< @brief Reset the bus given by PathId. */
#define SRB_FUNCTION_RESET_DEVICE 0x13           /**< @brief Reset the target (Storport only). */
#define SRB_FUNCTION_TERMINATE_IO 0x14           /**< @brief Terminate the request at NextSrb. */
#define SRB_FUNCTION_FLUSH_QUEUE 0x15            /**< @brief Flush the LU queue (port-internal). */
#define SRB_FUNCTION_REMOVE_DEVICE 0x16          /**< @brief Remove the LU (port-internal). */
#define SRB_FUNCTION_WMI 0x17                    /**< @brief WMI request (SCSI_WMI_REQUEST_BLOCK). */
#define SRB_FUNCTION_LOCK_QUEUE 0x18             /**< @brief Hold the LU queue (port-internal). */
#define SRB_FUNCTION_UNLOCK_QUEUE 0x19           /**< @brief Release a locked LU queue (port-internal). */
#define SRB_FUNCTION_QUIESCE_DEVICE 0x1a         /**< @brief Quiesce the device. */
#define SRB_FUNCTION_RESET_LOGICAL_UNIT 0x20     /**< @brief Reset the LU (Storport only). */
#define SRB_FUNCTION_SET_LINK_TIMEOUT 0x21       /**< @brief Set the link timeout. */
#define SRB_FUNCTION_LINK_TIMEOUT_OCCURRED 0x22  /**< @brief The link timed out. */
#define SRB_FUNCTION_LINK_TIMEOUT_COMPLETE 0x23  /**< @brief Link timeout handling finished. */
#define SRB_FUNCTION_POWER 0x24                  /**< @brief Power request (SCSI_POWER_REQUEST_BLOCK). */
#define SRB_FUNCTION_PNP 0x25                    /**< @brief Plug and Play request (SCSI_PNP_REQUEST_BLOCK). */
#define SRB_FUNCTION_DUMP_POINTERS 0x26          /**< @brief Crash-dump and hibernation information (Storport). */
#define SRB_FUNCTION_FREE_DUMP_POINTERS 0x27     /**< @brief Free what DUMP_POINTERS allocated (Storport). */
#define SRB_FUNCTION_STORAGE_REQUEST_BLOCK 0x28  /**< @brief The SRB is a STORAGE_REQUEST_BLOCK; see its SrbFunction. */
#define SRB_FUNCTION_CRYPTO_OPERATION 0x29       /**< @brief Inline-encryption key operation. */
#define SRB_FUNCTION_GET_DUMP_INFO 0x2a          /**< @brief Dump information request. */
#define SRB_FUNCTION_FREE_DUMP_INFO 0x2b         /**< @brief Free dump information. */

/** @} */

/* ------------------------------------------------------------------------ */
/** @name SRB status (SCSI_REQUEST_BLOCK.SrbStatus) */
/** @{ */

#define SRB_STATUS_PENDING 0x00                /**< @brief In progress; the port's initial value. */
#define SRB_STATUS_SUCCESS 0x01                /**< @brief Completed successfully. */
#define SRB_STATUS_ABORTED 0x02                /**< @brief Aborted at the port's request. */
#define SRB_STATUS_ABORT_FAILED 0x03           /**< @brief The request to abort was not found. */
#define SRB_STATUS_ERROR 0x04                  /**< @brief Completed with a SCSI status other than GOOD. */
#define SRB_STATUS_BUSY 0x05                   /**< @brief Miniport or device busy; the port retries later. */
#define SRB_STATUS_INVALID_REQUEST 0x06        /**< @brief The miniport does not support this request. */
#define SRB_STATUS_INVALID_PATH_ID 0x07        /**< @brief No such PathId. */
#define SRB_STATUS_NO_DEVICE 0x08              /**< @brief The device did not respond. */
#define SRB_STATUS_TIMEOUT 0x09                /**< @brief The request timed out. */
#define SRB_STATUS_SELECTION_TIMEOUT 0x0A      /**< @brief Selection of the target timed out (no such target). */
#define SRB_STATUS_COMMAND_TIMEOUT 0x0B        /**< @brief The target did not finish in time. */
#define SRB_STATUS_MESSAGE_REJECTED 0x0D       /**< @brief The target rejected a message. */
#define SRB_STATUS_BUS_RESET 0x0E              /**< @brief A bus reset happened during the request. */
#define SRB_STATUS_PARITY_ERROR 0x0F           /**< @brief Bus parity error; retry failed. */
#define SRB_STATUS_REQUEST_SENSE_FAILED 0x10   /**< @brief Autosense failed. */
#define SRB_STATUS_NO_HBA 0x11                 /**< @brief The HBA does not respond. */
#define SRB_STATUS_DATA_OVERRUN 0x12           /**< @brief Over- or underrun; DataTransferLength gives bytes moved. */
#define SRB_STATUS_UNEXPECTED_BUS_FREE 0x13    /**< @brief The target disconnected unexpectedly. */
#define SRB_STATUS_PHASE_SEQUENCE_FAILURE 0x14 /**< @brief Illegal bus phase sequence. */
#define SRB_STATUS_BAD_SRB_BLOCK_LENGTH 0x15   /**< @brief Bad SRB length. */
#define SRB_STATUS_REQUEST_FLUSHED 0x16        /**< @brief The request was flushed. */
#define SRB_STATUS_ACCESS_DENIED 0x17          /**< @brief Access denied. */
#define SRB_STATUS_OPERATION_IN_PROGRESS 0x18  /**< @brief Operation already in progress. */
#define SRB_STATUS_INVALID_LUN 0x20            /**< @brief No such Lun. */
#define SRB_STATUS_INVALID_TARGET_ID 0x21      /**< @brief No such TargetId. */
#define SRB_STATUS_BAD_FUNCTION 0x22           /**< @brief Function code not supported. */
#define SRB_STATUS_ERROR_RECOVERY 0x23         /**< @brief Error with INITIATE RECOVERY received. */
#define SRB_STATUS_NOT_POWERED 0x24            /**< @brief The device is not powered. */
#define SRB_STATUS_LINK_DOWN 0x25              /**< @brief The link to the device is down. */
#define SRB_STATUS_INSUFFICIENT_RESOURCES 0x26 /**< @brief Out of resources. */
#define SRB_STATUS_THROTTLED_REQUEST 0x27      /**< @brief Throttled; retry later. */
#define SRB_STATUS_INVALID_PARAMETER 0x28      /**< @brief Invalid parameter. */
#define SRB_STATUS_INTERNAL_ERROR 0x30         /**< @brief Port-internal failure; miniports never return it. */
#define SRB_STATUS_QUEUE_FROZEN 0x40           /**< @brief Flag: the port froze the LU queue (never set by a miniport). */
#define SRB_STATUS_AUTOSENSE_VALID 0x80        /**< @brief Flag: SenseInfoBuffer holds valid sense data. */

/**
 * @brief SrbStatus without the QUEUE_FROZEN and AUTOSENSE_VALID flag bits.
 *
 * Compare SRB_STATUS(Srb->SrbStatus) == SRB_STATUS_SUCCESS, never the raw
 * field. (The WDK macro leaves @p Status unparenthesized; here it is
 * parenthesized, which changes nothing for a plain field or variable.)
 */
#define SRB_STATUS(Status) ((Status) & ~(SRB_STATUS_AUTOSENSE_VALID | SRB_STATUS_QUEUE_FROZEN))

/** @} */

/* ------------------------------------------------------------------------ */
/** @name SRB flags (SCSI_REQUEST_BLOCK.SrbFlags) */
/** @{ */

#define SRB_FLAGS_QUEUE_ACTION_ENABLE 0x00000002      /**< @brief Use QueueAction as the tag message. */
#define SRB_FLAGS_DISABLE_DISCONNECT 0x00000004       /**< @brief The target must not disconnect. */
#define SRB_FLAGS_DISABLE_SYNCH_TRANSFER 0x00000008   /**< @brief Use asynchronous transfers. */
#define SRB_FLAGS_BYPASS_FROZEN_QUEUE 0x00000010      /**< @brief Run even though the queue is frozen. */
#define SRB_FLAGS_DISABLE_AUTOSENSE 0x00000020        /**< @brief Do not return sense data. */
#define SRB_FLAGS_DATA_IN 0x00000040                  /**< @brief Data moves from the device to memory. */
#define SRB_FLAGS_DATA_OUT 0x00000080                 /**< @brief Data moves from memory to the device. */
#define SRB_FLAGS_NO_DATA_TRANSFER 0x00000000         /**< @brief No data moves. */
#define SRB_FLAGS_UNSPECIFIED_DIRECTION (SRB_FLAGS_DATA_IN | SRB_FLAGS_DATA_OUT) /**< @brief Direction not known in advance. */
#define SRB_FLAGS_NO_QUEUE_FREEZE 0x00000100          /**< @brief Do not freeze the queue on error. */
#define SRB_FLAGS_ADAPTER_CACHE_ENABLE 0x00000200     /**< @brief The adapter may cache the data. */
#define SRB_FLAGS_FREE_SENSE_BUFFER 0x00000400        /**< @brief Port frees the sense buffer (port-internal). */
#define SRB_FLAGS_D3_PROCESSING 0x00000800            /**< @brief Part of the D3 power-down workflow. */
#define SRB_FLAGS_SEQUENTIAL_REQUIRED 0x00001000      /**< @brief The LBA range is in a sequential-write-required zone. */
#define SRB_FLAGS_IS_ACTIVE 0x00010000                /**< @brief Port-internal: the SRB is active. */
#define SRB_FLAGS_ALLOCATED_FROM_ZONE 0x00020000      /**< @brief Port-internal allocation flag. */
#define SRB_FLAGS_SGLIST_FROM_POOL 0x00040000         /**< @brief Port-internal: SG list allocated from pool. */
#define SRB_FLAGS_BYPASS_LOCKED_QUEUE 0x00080000      /**< @brief Run even though the queue is locked. */
#define SRB_FLAGS_NO_KEEP_AWAKE 0x00100000            /**< @brief Do not power the device up for this request. */
#define SRB_FLAGS_PORT_DRIVER_ALLOCSENSE 0x00200000   /**< @brief The port allocated the sense buffer. */
#define SRB_FLAGS_PORT_DRIVER_SENSEHASPORT 0x00400000 /**< @brief The sense buffer carries the port number. */
#define SRB_FLAGS_DONT_START_NEXT_PACKET 0x00800000   /**< @brief Do not start the next packet (port-internal). */
#define SRB_FLAGS_PORT_DRIVER_RESERVED 0x0F000000     /**< @brief Bits reserved for the port driver. */
#define SRB_FLAGS_CLASS_DRIVER_RESERVED 0xF0000000    /**< @brief Bits reserved for the class driver. */

#define SRB_SIMPLE_TAG_REQUEST 0x20        /**< @brief QueueAction: simple queue tag. */
#define SRB_HEAD_OF_QUEUE_TAG_REQUEST 0x21 /**< @brief QueueAction: head-of-queue tag. */
#define SRB_ORDERED_QUEUE_TAG_REQUEST 0x22 /**< @brief QueueAction: ordered queue tag. */

#define SRB_WMI_FLAGS_ADAPTER_REQUEST 0x01      /**< @brief WMI SRB addressed to the adapter. */
#define SRB_POWER_FLAGS_ADAPTER_REQUEST 0x01    /**< @brief Power SRB addressed to the adapter. */
#define SRB_PNP_FLAGS_ADAPTER_REQUEST 0x01      /**< @brief PnP SRB addressed to the adapter. */
#define SRB_IOCTL_FLAGS_ADAPTER_REQUEST 0x01    /**< @brief I/O control SRB addressed to the adapter. */
#define SRB_PROTOCOL_FLAGS_ADAPTER_REQUEST 0x01 /**< @brief Protocol SRB addressed to the adapter. */

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Types PORT_CONFIGURATION_INFORMATION needs (storport.h in the WDK) */
/** @{ */

/**
 * @brief How Storport synchronizes StartIo with the ISR
 *        (STOR_SYNCHRONIZATION_MODEL enumeration, storport.h).
 *
 * Half duplex: HwStorStartIo runs at DIRQL holding the interrupt spin
 * lock, so it never overlaps the ISR. Full duplex: HwStorStartIo runs at
 * DISPATCH_LEVEL holding the StartIo lock and can overlap the ISR; the
 * miniport takes InterruptLock itself where it shares state with the ISR.
 */
typedef enum _STOR_SYNCHRONIZATION_MODEL {
    StorSynchronizeHalfDuplex, /**< 0: StartIo synchronized with the ISR */
    StorSynchronizeFullDuplex  /**< 1: StartIo and the ISR run concurrently */
} STOR_SYNCHRONIZATION_MODEL;

/** @brief How message-signaled interrupts are synchronized
 *         (INTERRUPT_SYNCHRONIZATION_MODE enumeration, storport.h). */
typedef enum _INTERRUPT_SYNCHRONIZATION_MODE {
    InterruptSupportNone,          /**< 0: no MSI support */
    InterruptSynchronizeAll,       /**< 1: one lock for all messages */
    InterruptSynchronizePerMessage /**< 2: one lock per message */
} INTERRUPT_SYNCHRONIZATION_MODE;

/** @brief A virtually and physically addressed memory region
 *         (MEMORY_REGION structure, storport.h). */
typedef struct _MEMORY_REGION {
    PUCHAR VirtualBase;            /**< virtual address of the region */
    PHYSICAL_ADDRESS PhysicalBase; /**< physical address of the region */
    ULONG Length;                  /**< length in bytes */
} MEMORY_REGION;
/** @brief Pointer to MEMORY_REGION. */
typedef MEMORY_REGION *PMEMORY_REGION;

/**
 * @brief Role type of a Storport message-signaled interrupt routine
 *        (HW_MESSAGE_SIGNALED_INTERRUPT_ROUTINE, storport.h).
 *
 * Called at DIRQL holding the interrupt (MSI) spin lock; may not acquire
 * any Storport spin lock.
 *
 * @param[in] HwDeviceExtension the per-adapter device extension
 * @param[in] MessageId         which message interrupted
 * @return TRUE if the adapter raised the interrupt
 */
typedef BOOLEAN HW_MESSAGE_SIGNALED_INTERRUPT_ROUTINE(_In_ PVOID HwDeviceExtension,
                                                      _In_ ULONG MessageId);
/** @brief Pointer to an HW_MESSAGE_SIGNALED_INTERRUPT_ROUTINE. */
typedef HW_MESSAGE_SIGNALED_INTERRUPT_ROUTINE *PHW_MESSAGE_SIGNALED_INTERRUPT_ROUTINE;

/** @} */

/* ------------------------------------------------------------------------ */

/**
 * @brief Configuration of one HBA, filled by the port driver and completed
 *        by HwFindAdapter (PORT_CONFIGURATION_INFORMATION structure, srb.h
 *        and storport.h).
 *
 * This is the storport.h layout. Its members are those of srb.h (which
 * ends at WmiDataProvider) plus: MiniportDumpData, the Storport name of the
 * pointer srb.h calls Reserved (both names are given); SrbType and
 * AddressType, which srb.h counts as reserved bytes; and everything after
 * WmiDataProvider. A SCSI Port-style port driver leaves the Storport-only
 * members zero and ignores them.
 *
 * Fields HwFindAdapter typically sets: MaximumTransferLength,
 * NumberOfPhysicalBreaks, NumberOfBuses, InitiatorBusId, ScatterGather,
 * Master, CachesData, MapBuffers, TaggedQueuing, AutoRequestSense,
 * MultipleRequestPerLu, MaximumNumberOfTargets,
 * MaximumNumberOfLogicalUnits, and under Storport SynchronizationModel and
 * the queue-depth fields.
 */
typedef struct _PORT_CONFIGURATION_INFORMATION {
    ULONG Length;                   /**< size of this structure (set by the port) */
    ULONG SystemIoBusNumber;        /**< system number of the I/O bus */
    INTERFACE_TYPE AdapterInterfaceType; /**< bus type, from HW_INITIALIZATION_DATA */
    ULONG BusInterruptLevel;        /**< bus-relative interrupt level */
    ULONG BusInterruptVector;       /**< bus-relative interrupt vector */
    KINTERRUPT_MODE InterruptMode;  /**< LevelSensitive or Latched */
    ULONG MaximumTransferLength;    /**< largest transfer in bytes; SP_UNINITIALIZED_VALUE = no limit */
    ULONG NumberOfPhysicalBreaks;   /**< scatter/gather elements minus one the HBA accepts */
    ULONG DmaChannel;               /**< system DMA channel (subordinate DMA only) */
    ULONG DmaPort;                  /**< system DMA port (MicroChannel only) */
    DMA_WIDTH DmaWidth;             /**< system DMA width */
    DMA_SPEED DmaSpeed;             /**< system DMA timing */
    ULONG AlignmentMask;            /**< buffer alignment the HBA needs (0, 1, 3 or 7) */
    ULONG NumberOfAccessRanges;     /**< elements in AccessRanges */
    ACCESS_RANGE (*AccessRanges)[]; /**< the adapter's register and memory ranges */
    union {
        PVOID Reserved;             /**< srb.h name: reserved for the system */
        PVOID MiniportDumpData;     /**< storport.h name: data the miniport keeps for dump mode */
    };
    UCHAR NumberOfBuses;            /**< SCSI buses on the HBA */
    UCHAR InitiatorBusId[8];        /**< the HBA's own ID on each bus (CCHAR in storport.h) */
    BOOLEAN ScatterGather;          /**< TRUE: the HBA does scatter/gather */
    BOOLEAN Master;                 /**< TRUE: the HBA is a bus master */
    BOOLEAN CachesData;             /**< TRUE: the HBA caches data, so it receives FLUSH and SHUTDOWN */
    BOOLEAN AdapterScansDown;       /**< TRUE: the BIOS scans targets from 7 down to 0 */
    BOOLEAN AtdiskPrimaryClaimed;   /**< the primary AT disk range is claimed */
    BOOLEAN AtdiskSecondaryClaimed; /**< the secondary AT disk range is claimed */
    BOOLEAN Dma32BitAddresses;      /**< TRUE: 32 DMA address lines */
    BOOLEAN DemandMode;             /**< demand-mode system DMA */
    UCHAR MapBuffers;               /**< map data buffers to virtual addresses (BOOLEAN in srb.h; STOR_MAP_xxx in Storport) */
    BOOLEAN NeedPhysicalAddresses;  /**< TRUE: the miniport translates addresses to physical */
    BOOLEAN TaggedQueuing;          /**< TRUE: the HBA supports tagged queuing */
    BOOLEAN AutoRequestSense;       /**< TRUE: the HBA returns sense data automatically */
    BOOLEAN MultipleRequestPerLu;   /**< TRUE: several outstanding requests per LU */
    BOOLEAN ReceiveEvent;           /**< TRUE: supports SRB_FUNCTION_RECEIVE_EVENT */
    BOOLEAN RealModeInitialized;    /**< the real-mode driver initialized the card */
    BOOLEAN BufferAccessScsiPortControlled; /**< the miniport never touches data buffers directly */
    UCHAR MaximumNumberOfTargets;   /**< targets per bus the HBA can address */
    UCHAR SrbType;                  /**< SRB_TYPE_xxx the miniport wants (Storport; reserved in srb.h) */
    UCHAR AddressType;              /**< STORAGE_ADDRESS_TYPE_xxx (Storport; reserved in srb.h) */
    UCHAR ReservedUchars[2];        /**< reserved */
    ULONG SlotNumber;               /**< adapter slot number */
    ULONG BusInterruptLevel2;       /**< second interrupt: level */
    ULONG BusInterruptVector2;      /**< second interrupt: vector */
    KINTERRUPT_MODE InterruptMode2; /**< second interrupt: mode */
    ULONG DmaChannel2;              /**< second DMA channel */
    ULONG DmaPort2;                 /**< second DMA port */
    DMA_WIDTH DmaWidth2;            /**< second DMA width */
    DMA_SPEED DmaSpeed2;            /**< second DMA timing */
    ULONG DeviceExtensionSize;      /**< per-HBA extension size (may be raised for large transfers) */
    ULONG SpecificLuExtensionSize;  /**< per-LU extension size */
    ULONG SrbExtensionSize;         /**< per-request extension size */
    UCHAR Dma64BitAddresses;        /**< SCSI_DMA64_xxx flags */
    BOOLEAN ResetTargetSupported;   /**< obsolete under SCSI Port */
    UCHAR MaximumNumberOfLogicalUnits; /**< LUs per target (default SCSI_MAXIMUM_LOGICAL_UNITS) */
    BOOLEAN WmiDataProvider;        /**< TRUE: the miniport answers WMI requests (last srb.h member) */
    STOR_SYNCHRONIZATION_MODEL SynchronizationModel; /**< Storport: half or full duplex */
    PHW_MESSAGE_SIGNALED_INTERRUPT_ROUTINE HwMSInterruptRoutine; /**< Storport: MSI routine */
    INTERRUPT_SYNCHRONIZATION_MODE InterruptSynchronizationMode; /**< Storport: MSI locking */
    MEMORY_REGION DumpRegion;       /**< Storport: memory for dump mode */
    ULONG RequestedDumpBufferSize;  /**< Storport: dump buffer size wanted */
    BOOLEAN VirtualDevice;          /**< Storport: the adapter is virtual */
    UCHAR DumpMode;                 /**< Storport: DUMP_MODE_xxx when loaded for dump */
    ULONG ExtendedFlags1;           /**< Storport: extended flags */
    ULONG MaxNumberOfIO;            /**< Storport: most outstanding requests on the adapter */
    ULONG MaxIOsPerLun;             /**< Storport: most outstanding requests per LU */
    ULONG InitialLunQueueDepth;     /**< Storport: starting queue depth of each LU */
    ULONG BusResetHoldTime;         /**< Storport: microseconds to hold requests after a bus reset */
    ULONG FeatureSupport;           /**< Storport: feature flags */
} PORT_CONFIGURATION_INFORMATION;
/** @brief Pointer to PORT_CONFIGURATION_INFORMATION. */
typedef PORT_CONFIGURATION_INFORMATION *PPORT_CONFIGURATION_INFORMATION;

/** @brief Version of the configuration structure: its size (srb.h). */
#define CONFIG_INFO_VERSION_2 sizeof(PORT_CONFIGURATION_INFORMATION)

/** @cond STORSIM_LAYOUT_CHECKS */
_Static_assert(offsetof(PORT_CONFIGURATION_INFORMATION, MaximumTransferLength) == 24,
               "PORT_CONFIGURATION_INFORMATION.MaximumTransferLength offset (x64)");
_Static_assert(offsetof(PORT_CONFIGURATION_INFORMATION, WmiDataProvider) == 151,
               "PORT_CONFIGURATION_INFORMATION.WmiDataProvider offset (x64)");
_Static_assert(sizeof(PORT_CONFIGURATION_INFORMATION) == 232,
               "PORT_CONFIGURATION_INFORMATION size (x64)");
/** @endcond */

/* ------------------------------------------------------------------------ */
/** @name Adapter and unit control */
/** @{ */

/**
 * @brief Operation requested of HwAdapterControl
 *        (SCSI_ADAPTER_CONTROL_TYPE enumeration, srb.h and storport.h).
 *
 * The first five values are shared; the rest exist only in Storport. In
 * srb.h ScsiAdapterControlMax is 5 (just after ScsiSetRunningConfig); here
 * it has its storport.h value. The WDK's MakeAdapterControlTypeSizeOfUlong
 * (0xffffffff) is left out: ISO C enumerators must fit in an int, and the
 * enumeration is four bytes without it.
 */
typedef enum _SCSI_ADAPTER_CONTROL_TYPE {
    ScsiQuerySupportedControlTypes = 0, /**< 0: report supported types (PASSIVE_LEVEL) */
    ScsiStopAdapter,                    /**< 1: stop the HBA (DIRQL, interrupt lock held under Storport) */
    ScsiRestartAdapter,                 /**< 2: restart the HBA (DIRQL, interrupt lock held under Storport) */
    ScsiSetBootConfig,                  /**< 3: restore the BIOS configuration (PASSIVE_LEVEL) */
    ScsiSetRunningConfig,               /**< 4: restore the running configuration (PASSIVE_LEVEL) */
    ScsiPowerSettingNotification,       /**< 5: Storport: power setting changed */
    ScsiAdapterPower,                   /**< 6: Storport: adapter power transition */
    ScsiAdapterPoFxPowerRequired,       /**< 7: Storport: PoFx power required */
    ScsiAdapterPoFxPowerActive,         /**< 8: Storport: PoFx component active/idle */
    ScsiAdapterPoFxPowerSetFState,      /**< 9: Storport: PoFx F-state */
    ScsiAdapterPoFxPowerControl,        /**< 10: Storport: PoFx power control */
    ScsiAdapterPrepareForBusReScan,     /**< 11: Storport: about to rescan the bus */
    ScsiAdapterSystemPowerHints,        /**< 12: Storport: system power hints */
    ScsiAdapterFilterResourceRequirements, /**< 13: Storport: filter resource requirements */
    ScsiAdapterPoFxMaxOperationalPower, /**< 14: Storport: maximum operational power */
    ScsiAdapterPoFxSetPerfState,        /**< 15: Storport: set performance state */
    ScsiAdapterSurpriseRemoval,         /**< 16: Storport: surprise removal */
    ScsiAdapterSerialNumber,            /**< 17: Storport: report the serial number */
    ScsiAdapterCryptoOperation,         /**< 18: Storport: inline crypto operation */
    ScsiAdapterControlMax               /**< 19: number of control types (storport.h value) */
} SCSI_ADAPTER_CONTROL_TYPE;
/** @brief Pointer to SCSI_ADAPTER_CONTROL_TYPE. */
typedef SCSI_ADAPTER_CONTROL_TYPE *PSCSI_ADAPTER_CONTROL_TYPE;

/** @brief Result of HwAdapterControl (SCSI_ADAPTER_CONTROL_STATUS enumeration). */
typedef enum _SCSI_ADAPTER_CONTROL_STATUS {
    ScsiAdapterControlSuccess = 0, /**< the operation succeeded */
    ScsiAdapterControlUnsuccessful /**< the operation failed */
} SCSI_ADAPTER_CONTROL_STATUS;
/** @brief Pointer to SCSI_ADAPTER_CONTROL_STATUS. */
typedef SCSI_ADAPTER_CONTROL_STATUS *PSCSI_ADAPTER_CONTROL_STATUS;

/**
 * @brief Parameters of ScsiQuerySupportedControlTypes
 *        (SCSI_SUPPORTED_CONTROL_TYPE_LIST structure).
 *
 * The miniport sets SupportedTypeList[t] to TRUE for each control type t it
 * handles, for t < MaxControlType.
 */
typedef struct _SCSI_SUPPORTED_CONTROL_TYPE_LIST {
    ULONG MaxControlType;         /**< entries in SupportedTypeList (set by the port) */
    BOOLEAN SupportedTypeList[];  /**< TRUE for each supported control type */
} SCSI_SUPPORTED_CONTROL_TYPE_LIST;
/** @brief Pointer to SCSI_SUPPORTED_CONTROL_TYPE_LIST. */
typedef SCSI_SUPPORTED_CONTROL_TYPE_LIST *PSCSI_SUPPORTED_CONTROL_TYPE_LIST;

/**
 * @brief Operation requested of HwUnitControl (SCSI_UNIT_CONTROL_TYPE
 *        enumeration, storport.h). The WDK's MakeUnitControlTypeSizeOfUlong
 *        (0xffffffff) is left out, as for SCSI_ADAPTER_CONTROL_TYPE.
 */
typedef enum _SCSI_UNIT_CONTROL_TYPE {
    ScsiQuerySupportedUnitControlTypes = 0, /**< 0: report supported types */
    ScsiUnitUsage,                          /**< 1: the unit's use (paging, dump ...) changed */
    ScsiUnitStart,                          /**< 2: start the unit */
    ScsiUnitPower,                          /**< 3: unit power transition */
    ScsiUnitPoFxPowerInfo,                  /**< 4: PoFx power information */
    ScsiUnitPoFxPowerRequired,              /**< 5: PoFx power required */
    ScsiUnitPoFxPowerActive,                /**< 6: PoFx component active/idle */
    ScsiUnitPoFxPowerSetFState,             /**< 7: PoFx F-state */
    ScsiUnitPoFxPowerControl,               /**< 8: PoFx power control */
    ScsiUnitRemove,                         /**< 9: the unit is removed */
    ScsiUnitSurpriseRemoval,                /**< 10: the unit was surprise-removed */
    ScsiUnitRichDescription,                /**< 11: report a rich description */
    ScsiUnitControlMax                      /**< 12: number of unit control types */
} SCSI_UNIT_CONTROL_TYPE;
/** @brief Pointer to SCSI_UNIT_CONTROL_TYPE. */
typedef SCSI_UNIT_CONTROL_TYPE *PSCSI_UNIT_CONTROL_TYPE;

/** @brief Result of HwUnitControl (SCSI_UNIT_CONTROL_STATUS enumeration). */
typedef enum _SCSI_UNIT_CONTROL_STATUS {
    ScsiUnitControlSuccess = 0,  /**< the operation succeeded */
    ScsiUnitControlUnsuccessful  /**< the operation failed */
} SCSI_UNIT_CONTROL_STATUS;
/** @brief Pointer to SCSI_UNIT_CONTROL_STATUS. */
typedef SCSI_UNIT_CONTROL_STATUS *PSCSI_UNIT_CONTROL_STATUS;

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Storport DPC object (storport.h in the WDK) */
/** @{ */

/**
 * @brief Storage for a kernel DPC object (DPC_BUFFER, storport.h): the
 *        layout of a KDPC, 64 bytes on x64.
 *
 * Opaque to the miniport; the port driver owns every field.
 */
typedef struct _DPC_BUFFER {
    CSHORT Type;           /**< object type */
    UCHAR Number;          /**< target processor */
    UCHAR Importance;      /**< queueing importance */
    /** @brief Links in the per-CPU DPC queue. */
    struct {
        PVOID F;           /**< forward link */
        PVOID B;           /**< backward link */
    };
    PVOID DeferredRoutine; /**< routine to run */
    PVOID DeferredContext; /**< its context */
    PVOID SystemArgument1; /**< first argument given when queued */
    PVOID SystemArgument2; /**< second argument given when queued */
    PVOID DpcData;         /**< queue the DPC is on, when queued */
} DPC_BUFFER;

/**
 * @brief A Storport DPC object (STOR_DPC structure, storport.h).
 *
 * The miniport allocates one (usually in its device extension),
 * initializes it with StorPortInitializeDpc() from its
 * HwStorPassiveInitializeRoutine and queues it with StorPortIssueDpc().
 * Its contents are opaque to the miniport.
 */
typedef struct _STOR_DPC {
    DPC_BUFFER Dpc; /**< the kernel DPC object */
    ULONG_PTR Lock; /**< the DPC's spin lock (taken with DpcLock) */
} STOR_DPC;
/** @brief Pointer to STOR_DPC. */
typedef STOR_DPC *PSTOR_DPC;

/** @} */

/* ------------------------------------------------------------------------ */
/**
 * @name Miniport role types
 *
 * Declare each miniport routine with its role type, the WDK way:
 * @code
 * HW_STARTIO MyHwStartIo;          // declaration: the role type gives the prototype
 *
 * _Use_decl_annotations_
 * BOOLEAN
 * MyHwStartIo(PVOID DeviceExtension, PSCSI_REQUEST_BLOCK Srb)
 * {
 *     ...
 * }
 * @endcode
 * Storport documents the routines as HwStorXxx, SCSI Port as HwScsiXxx;
 * both use the same role type. Lock names are Storport's STOR_SPINLOCK
 * values; the lock order is DpcLock or StartIoLock before InterruptLock.
 */
/** @{ */

/**
 * @brief Role type of HwScsiFindAdapter / HwStorFindAdapter
 *        (HW_FIND_ADAPTER callback function).
 *
 * Called at PASSIVE_LEVEL with no spin lock held, once per HBA, after
 * DriverEntry registered with ScsiPortInitialize() / StorPortInitialize().
 * Finds the HBA (mapping its AccessRanges with ScsiPortGetDeviceBase() /
 * StorPortGetDeviceBase()) and fills in @p ConfigInfo. May not acquire any
 * Storport spin lock.
 *
 * @param[in]     DeviceExtension the zero-filled per-HBA extension (Storport
 *                                zeroes it only the first time)
 * @param[in]     HwContext       the HwContext given to ScsiPortInitialize()
 *                                / StorPortInitialize()
 * @param[in]     BusInformation  bus-specific information (unused by PnP miniports)
 * @param[in]     ArgumentString  NUL-terminated options from the registry, or NULL
 * @param[in,out] ConfigInfo      the configuration to complete
 * @param[out]    Again           SCSI Port: set TRUE to be called again for
 *                                another HBA; Storport names it Reserved3
 *                                and ignores it
 * @return SP_RETURN_FOUND, SP_RETURN_NOT_FOUND, SP_RETURN_ERROR or
 *         SP_RETURN_BAD_CONFIG
 */
typedef ULONG HW_FIND_ADAPTER(_In_ PVOID DeviceExtension, _In_ PVOID HwContext,
                              _In_ PVOID BusInformation, _In_z_ PCHAR ArgumentString,
                              _Inout_ PPORT_CONFIGURATION_INFORMATION ConfigInfo,
                              _Out_ PBOOLEAN Again);
/** @brief Pointer to an HW_FIND_ADAPTER routine. */
typedef HW_FIND_ADAPTER *PHW_FIND_ADAPTER;

/**
 * @brief Role type of HwScsiInitialize / HwStorInitialize
 *        (HW_INITIALIZE callback function).
 *
 * Called after HwFindAdapter to initialize the HBA and enable its
 * interrupts. SCSI Port: at DIRQL, synchronized with the ISR
 * (KeSynchronizeExecution). Storport: at DIRQL holding the interrupt spin
 * lock (physical miniports); it may acquire no other lock. Work that needs
 * PASSIVE_LEVEL, such as StorPortInitializeDpc(), goes in an
 * HW_PASSIVE_INITIALIZE_ROUTINE requested here with
 * StorPortEnablePassiveInitialization().
 *
 * @param[in] DeviceExtension the per-HBA extension
 * @return TRUE if the HBA is initialized
 */
typedef BOOLEAN HW_INITIALIZE(_In_ PVOID DeviceExtension);
/** @brief Pointer to an HW_INITIALIZE routine. */
typedef HW_INITIALIZE *PHW_INITIALIZE;

/**
 * @brief Role type of HwStorBuildIo (HW_BUILDIO callback function,
 *        storport.h); Storport only.
 *
 * Storport calls it just before HwStorStartIo, at DISPATCH_LEVEL with no
 * spin lock held, so it may call StorPortAllocatePool() and
 * StorPortAcquireSpinLock() (any of DpcLock, StartIoLock, InterruptLock).
 * On a multiprocessor several HwStorBuildIo calls can be active at once:
 * touch only the SRB, its SrbExtension, or a part of the device extension
 * no other call changes. Do the per-SRB work here (translate the SRB, build
 * the scatter/gather list) so that StartIo, which holds a lock, stays short;
 * best combined with full-duplex mode.
 *
 * For reads and writes DataBuffer is NULL: use StorPortGetScatterGatherList()
 * (DMA) or StorPortGetSystemAddress() (PIO). FLUSH and SHUTDOWN arrive only
 * if CachesData is TRUE. @p Srb may be a STORAGE_REQUEST_BLOCK (Function ==
 * SRB_FUNCTION_STORAGE_REQUEST_BLOCK).
 *
 * @param[in] DeviceExtension the per-HBA extension
 * @param[in] Srb             the request
 * @return TRUE: Storport calls HwStorStartIo when the LU is ready. FALSE:
 *         the SRB must not go to StartIo; the miniport has completed it, or
 *         will complete it with RequestComplete before its TimeOutValue.
 */
typedef BOOLEAN HW_BUILDIO(_In_ PVOID DeviceExtension, _In_ PSCSI_REQUEST_BLOCK Srb);
/** @brief Pointer to an HW_BUILDIO routine. */
typedef HW_BUILDIO *PHW_BUILDIO;

/**
 * @brief Role type of HwScsiStartIo / HwStorStartIo (HW_STARTIO callback
 *        function).
 *
 * Starts one request on the hardware, and should do so quickly.
 *
 * SCSI Port: called at DIRQL holding the interrupt spin lock (the port
 * calls it through KeSynchronizeExecution), so it never overlaps the ISR
 * and only one StartIo runs at a time. The port sends the next request only
 * after the miniport calls ScsiPortNotification(NextRequest) (or
 * NextLuRequest); forgetting it stalls the adapter.
 *
 * Storport: full duplex, at DISPATCH_LEVEL holding the StartIo spin lock;
 * half duplex, at DIRQL holding the interrupt spin lock. It may acquire
 * DpcLock and InterruptLock (not StartIoLock, which it holds). Storport
 * keeps sending requests up to the queue depth, without NextRequest.
 *
 * @param[in] DeviceExtension the per-HBA extension
 * @param[in] Srb             the request to start
 * @return TRUE once the request is accepted (started or completed)
 */
typedef BOOLEAN HW_STARTIO(_In_ PVOID DeviceExtension, _In_ PSCSI_REQUEST_BLOCK Srb);
/** @brief Pointer to an HW_STARTIO routine. */
typedef HW_STARTIO *PHW_STARTIO;

/**
 * @brief Role type of HwScsiInterrupt / HwStorInterrupt (HW_INTERRUPT
 *        callback function); also the type of the SCSI Port
 *        HwScsiEnableInterruptsCallback and HwScsiDisableInterruptsCallback.
 *
 * The ISR runs at DIRQL holding the interrupt spin lock and may acquire no
 * Storport lock. It acknowledges the HBA, records completions with
 * RequestComplete, and returns quickly. Under SCSI Port, work that would
 * keep it busy for more than about 50 microseconds (PIO, polling) is
 * deferred: disable the HBA's interrupts, save the state in the device
 * extension, call ScsiPortNotification(CallEnableInterrupts, callback) and
 * return; the callback then runs with system interrupts enabled but the ISR
 * held off, and ends with CallDisableInterrupts. Under Storport the
 * deferral is a DPC (StorPortIssueDpc()).
 *
 * @param[in] DeviceExtension the per-HBA extension
 * @return TRUE if this HBA raised the interrupt, FALSE if not
 */
typedef BOOLEAN HW_INTERRUPT(_In_ PVOID DeviceExtension);
/** @brief Pointer to an HW_INTERRUPT routine. */
typedef HW_INTERRUPT *PHW_INTERRUPT;

/**
 * @brief Role type of HwScsiTimer / HwStorTimer (HW_TIMER callback
 *        function): the one-shot timer requested with
 *        ScsiPortNotification(RequestTimerCall, ...) or
 *        StorPortNotification(RequestTimerCall, ...).
 *
 * SCSI Port: runs synchronized with the ISR. Storport: half duplex, with
 * the StartIo and interrupt spin locks held; full duplex, with the StartIo
 * lock held, and it may acquire InterruptLock.
 *
 * @param[in] DeviceExtension the per-HBA extension
 */
typedef VOID HW_TIMER(_In_ PVOID DeviceExtension);
/** @brief Pointer to an HW_TIMER routine. */
typedef HW_TIMER *PHW_TIMER;

/**
 * @brief Role type of HwScsiDmaStarted (HW_DMA_STARTED callback function);
 *        SCSI Port system-DMA HBAs only; must be NULL under Storport.
 *
 * @param[in] DeviceExtension the per-HBA extension
 */
typedef VOID HW_DMA_STARTED(_In_ PVOID DeviceExtension);
/** @brief Pointer to an HW_DMA_STARTED routine. */
typedef HW_DMA_STARTED *PHW_DMA_STARTED;

/**
 * @brief Role type of HwScsiResetBus / HwStorResetBus (HW_RESET_BUS
 *        callback function).
 *
 * Resets the bus and completes every outstanding request on it (for
 * example with ScsiPortCompleteRequest() / StorPortCompleteRequest() and
 * SRB_STATUS_BUS_RESET). The port calls it when a request times out.
 * SCSI Port: synchronized with the ISR. Storport: half duplex, with the
 * StartIo and interrupt spin locks held; full duplex, with the StartIo
 * lock held, and it may acquire InterruptLock.
 *
 * @param[in] DeviceExtension the per-HBA extension
 * @param[in] PathId          the bus to reset
 * @return TRUE if the bus was reset
 */
typedef BOOLEAN HW_RESET_BUS(_In_ PVOID DeviceExtension, _In_ ULONG PathId);
/** @brief Pointer to an HW_RESET_BUS routine. */
typedef HW_RESET_BUS *PHW_RESET_BUS;

/**
 * @brief Role type of HwScsiAdapterState (HW_ADAPTER_STATE callback
 *        function); legacy x86 SCSI Port HBAs with a BIOS only; must be
 *        NULL under Storport.
 *
 * @param[in] DeviceExtension the per-HBA extension
 * @param[in] Context         port-supplied context
 * @param[in] SaveState       TRUE to save the state, FALSE to restore it
 * @return TRUE on success
 */
typedef BOOLEAN HW_ADAPTER_STATE(_In_ PVOID DeviceExtension, _In_ PVOID Context,
                                 _In_ BOOLEAN SaveState);
/** @brief Pointer to an HW_ADAPTER_STATE routine. */
typedef HW_ADAPTER_STATE *PHW_ADAPTER_STATE;

/**
 * @brief Role type of HwScsiAdapterControl / HwStorAdapterControl
 *        (HW_ADAPTER_CONTROL callback function).
 *
 * Stops, restarts or reconfigures the HBA. The port first asks with
 * ScsiQuerySupportedControlTypes and afterwards calls only for supported
 * types. Storport: ScsiQuerySupportedControlTypes, ScsiSetBootConfig and
 * ScsiSetRunningConfig at PASSIVE_LEVEL with no lock held;
 * ScsiStopAdapter and ScsiRestartAdapter at DIRQL holding the interrupt
 * spin lock. When no lock is held it may acquire DpcLock, StartIoLock and
 * InterruptLock.
 *
 * @param[in] DeviceExtension the per-HBA extension
 * @param[in] ControlType     the operation
 * @param[in] Parameters      operation-specific data (e.g. a
 *                            SCSI_SUPPORTED_CONTROL_TYPE_LIST), or NULL
 * @return ScsiAdapterControlSuccess or ScsiAdapterControlUnsuccessful
 */
typedef SCSI_ADAPTER_CONTROL_STATUS HW_ADAPTER_CONTROL(_In_ PVOID DeviceExtension,
                                                       _In_ SCSI_ADAPTER_CONTROL_TYPE ControlType,
                                                       _In_ PVOID Parameters);
/** @brief Pointer to an HW_ADAPTER_CONTROL routine. */
typedef HW_ADAPTER_CONTROL *PHW_ADAPTER_CONTROL;

/**
 * @brief Role type of HwStorUnitControl (HW_UNIT_CONTROL callback
 *        function, storport.h); Storport only.
 *
 * Called with no spin lock held; it may acquire DpcLock, StartIoLock and
 * InterruptLock.
 *
 * @param[in] DeviceExtension the per-HBA extension
 * @param[in] ControlType     the operation
 * @param[in] Parameters      operation-specific data, or NULL
 * @return ScsiUnitControlSuccess or ScsiUnitControlUnsuccessful
 */
typedef SCSI_UNIT_CONTROL_STATUS HW_UNIT_CONTROL(_In_ PVOID DeviceExtension,
                                                 _In_ SCSI_UNIT_CONTROL_TYPE ControlType,
                                                 _In_ PVOID Parameters);
/** @brief Pointer to an HW_UNIT_CONTROL routine. */
typedef HW_UNIT_CONTROL *PHW_UNIT_CONTROL;

/**
 * @brief Role type of HwStorPassiveInitializeRoutine
 *        (HW_PASSIVE_INITIALIZE_ROUTINE callback function, storport.h);
 *        Storport only.
 *
 * Requested from HwStorInitialize with StorPortEnablePassiveInitialization();
 * Storport calls it afterwards at PASSIVE_LEVEL with no spin lock held and
 * interrupts enabled. It initializes the miniport's DPCs with
 * StorPortInitializeDpc().
 *
 * @param[in] DeviceExtension the per-HBA extension
 * @return TRUE if the DPCs were initialized
 */
typedef BOOLEAN HW_PASSIVE_INITIALIZE_ROUTINE(_In_ PVOID DeviceExtension);
/** @brief Pointer to an HW_PASSIVE_INITIALIZE_ROUTINE. */
typedef HW_PASSIVE_INITIALIZE_ROUTINE *PHW_PASSIVE_INITIALIZE_ROUTINE;

/**
 * @brief Role type of HwStorDpcRoutine (HW_DPC_ROUTINE callback function,
 *        storport.h); Storport only.
 *
 * Runs at DISPATCH_LEVEL with no spin lock held, after StorPortIssueDpc()
 * queued it. It may acquire DpcLock (pass its own STOR_DPC as LockContext),
 * StartIoLock and InterruptLock, in that order. A DPC already queued is not
 * queued again, so one STOR_DPC never runs twice at once.
 *
 * @param[in] Dpc               the DPC object that was issued
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] SystemArgument1   first argument given to StorPortIssueDpc()
 * @param[in] SystemArgument2   second argument given to StorPortIssueDpc()
 */
typedef VOID HW_DPC_ROUTINE(_In_ PSTOR_DPC Dpc, _In_ PVOID HwDeviceExtension,
                            _In_opt_ PVOID SystemArgument1, _In_opt_ PVOID SystemArgument2);
/** @brief Pointer to an HW_DPC_ROUTINE. */
typedef HW_DPC_ROUTINE *PHW_DPC_ROUTINE;

/**
 * @brief Role type of HwStorFreeAdapterResources (HW_FREE_ADAPTER_RESOURCES
 *        callback function, storport.h); virtual miniports only.
 *
 * @param[in] DeviceExtension the per-HBA extension
 */
typedef VOID HW_FREE_ADAPTER_RESOURCES(_In_ PVOID DeviceExtension);
/** @brief Pointer to an HW_FREE_ADAPTER_RESOURCES routine. */
typedef HW_FREE_ADAPTER_RESOURCES *PHW_FREE_ADAPTER_RESOURCES;

/**
 * @brief Role type of HwStorProcessServiceRequest
 *        (HW_PROCESS_SERVICE_REQUEST callback function, storport.h);
 *        virtual miniports only.
 *
 * @param[in] DeviceExtension the per-HBA extension
 * @param[in] Irp             the service IRP
 */
typedef VOID HW_PROCESS_SERVICE_REQUEST(_In_ PVOID DeviceExtension, _In_ PVOID Irp);
/** @brief Pointer to an HW_PROCESS_SERVICE_REQUEST routine. */
typedef HW_PROCESS_SERVICE_REQUEST *PHW_PROCESS_SERVICE_REQUEST;

/**
 * @brief Role type of HwStorCompleteServiceIrp (HW_COMPLETE_SERVICE_IRP
 *        callback function, storport.h); virtual miniports only.
 *
 * @param[in] DeviceExtension the per-HBA extension
 */
typedef VOID HW_COMPLETE_SERVICE_IRP(_In_ PVOID DeviceExtension);
/** @brief Pointer to an HW_COMPLETE_SERVICE_IRP routine. */
typedef HW_COMPLETE_SERVICE_IRP *PHW_COMPLETE_SERVICE_IRP;

/**
 * @brief Role type of HwStorInitializeTracing (HW_INITIALIZE_TRACING
 *        callback function, storport.h); virtual miniports only.
 *
 * @param[in] Arg1 the driver object
 * @param[in] Arg2 the registry path
 */
typedef VOID HW_INITIALIZE_TRACING(_In_ PVOID Arg1, _In_ PVOID Arg2);
/** @brief Pointer to an HW_INITIALIZE_TRACING routine. */
typedef HW_INITIALIZE_TRACING *PHW_INITIALIZE_TRACING;

/**
 * @brief Role type of HwStorCleanupTracing (HW_CLEANUP_TRACING callback
 *        function, storport.h); virtual miniports only.
 *
 * @param[in] Arg1 the driver object
 */
typedef VOID HW_CLEANUP_TRACING(_In_ PVOID Arg1);
/** @brief Pointer to an HW_CLEANUP_TRACING routine. */
typedef HW_CLEANUP_TRACING *PHW_CLEANUP_TRACING;

/**
 * @brief Role type of HwStorTracingEnabled (HW_TRACING_ENABLED callback
 *        function, storport.h).
 *
 * Called with no spin lock held; it may acquire DpcLock, StartIoLock and
 * InterruptLock.
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Enabled           TRUE when tracing is turned on
 */
typedef VOID HW_TRACING_ENABLED(_In_ PVOID HwDeviceExtension, _In_ BOOLEAN Enabled);
/** @brief Pointer to an HW_TRACING_ENABLED routine. */
typedef HW_TRACING_ENABLED *PHW_TRACING_ENABLED;

/** @} */

/* ------------------------------------------------------------------------ */

/**
 * @brief What a miniport's DriverEntry tells the port driver about itself
 *        (HW_INITIALIZATION_DATA structure, srb.h and storport.h).
 *
 * Zero it, fill it and pass it to ScsiPortInitialize() or
 * StorPortInitialize(). The members up to HwAdapterControl are the srb.h
 * structure in WDK order; HwBuildIo and the members after it exist only in
 * storport.h, in its order, and a SCSI Port-style port ignores them.
 * storport.h declares HwFindAdapter as PVOID; it is typed here as srb.h
 * types it, so assigning a HW_FIND_ADAPTER routine needs no cast.
 */
typedef struct _HW_INITIALIZATION_DATA {
    ULONG HwInitializationDataSize;       /**< sizeof(HW_INITIALIZATION_DATA): the structure version */
    INTERFACE_TYPE AdapterInterfaceType;  /**< bus the HBA sits on */
    PHW_INITIALIZE HwInitialize;          /**< required: HwScsiInitialize / HwStorInitialize */
    PHW_STARTIO HwStartIo;                /**< required: HwScsiStartIo / HwStorStartIo */
    PHW_INTERRUPT HwInterrupt;            /**< the ISR, or NULL if the HBA does not interrupt */
    PHW_FIND_ADAPTER HwFindAdapter;       /**< required: HwScsiFindAdapter / HwStorFindAdapter */
    PHW_RESET_BUS HwResetBus;             /**< required: HwScsiResetBus / HwStorResetBus */
    PHW_DMA_STARTED HwDmaStarted;         /**< system-DMA HBAs only (NULL for Storport) */
    PHW_ADAPTER_STATE HwAdapterState;     /**< legacy x86 BIOS HBAs only (NULL for Storport) */
    ULONG DeviceExtensionSize;            /**< bytes of per-HBA extension */
    ULONG SpecificLuExtensionSize;        /**< bytes of per-LU extension */
    ULONG SrbExtensionSize;               /**< bytes of per-request extension */
    ULONG NumberOfAccessRanges;           /**< register/memory ranges the HBA uses */
    PVOID Reserved;                       /**< reserved */
    UCHAR MapBuffers;                     /**< SCSI Port: TRUE to map buffers; Storport: STOR_MAP_xxx */
    BOOLEAN NeedPhysicalAddresses;        /**< TRUE: the miniport needs physical addresses */
    BOOLEAN TaggedQueuing;                /**< TRUE: supports tagged queuing (required by Storport) */
    BOOLEAN AutoRequestSense;             /**< TRUE: the HBA returns sense data itself (required by Storport) */
    BOOLEAN MultipleRequestPerLu;         /**< TRUE: several requests per LU (required by Storport) */
    BOOLEAN ReceiveEvent;                 /**< TRUE: supports SRB_FUNCTION_RECEIVE_EVENT */
    USHORT VendorIdLength;                /**< length of VendorId (legacy SCSI Port) */
    PVOID VendorId;                       /**< vendor ID string (legacy SCSI Port) */
    union {
        USHORT ReservedUshort;            /**< reserved */
        USHORT PortVersionFlags;          /**< SP_VER_xxx flags */
    };
    USHORT DeviceIdLength;                /**< length of DeviceId (legacy SCSI Port) */
    PVOID DeviceId;                       /**< device ID string (legacy SCSI Port) */
    PHW_ADAPTER_CONTROL HwAdapterControl; /**< HwAdapterControl (required for PnP; last srb.h member) */
    PHW_BUILDIO HwBuildIo;                /**< Storport: optional HwStorBuildIo */
    PHW_FREE_ADAPTER_RESOURCES HwFreeAdapterResources;   /**< Storport virtual miniports */
    PHW_PROCESS_SERVICE_REQUEST HwProcessServiceRequest; /**< Storport virtual miniports */
    PHW_COMPLETE_SERVICE_IRP HwCompleteServiceIrp;       /**< Storport virtual miniports */
    PHW_INITIALIZE_TRACING HwInitializeTracing;          /**< Storport virtual miniports */
    PHW_CLEANUP_TRACING HwCleanupTracing;                /**< Storport virtual miniports */
    PHW_TRACING_ENABLED HwTracingEnabled; /**< Storport: optional tracing notification */
    ULONG FeatureSupport;                 /**< Storport: STOR_FEATURE_xxx flags */
    ULONG SrbTypeFlags;                   /**< Storport: SRB_TYPE_FLAG_xxx the miniport accepts */
    ULONG AddressTypeFlags;               /**< Storport: ADDRESS_TYPE_FLAG_xxx */
    ULONG Reserved1;                      /**< reserved, zero */
    PHW_UNIT_CONTROL HwUnitControl;       /**< Storport: optional HwStorUnitControl */
} HW_INITIALIZATION_DATA;
/** @brief Pointer to HW_INITIALIZATION_DATA. */
typedef HW_INITIALIZATION_DATA *PHW_INITIALIZATION_DATA;

/** @cond STORSIM_LAYOUT_CHECKS */
_Static_assert(offsetof(HW_INITIALIZATION_DATA, HwAdapterControl) == 120,
               "HW_INITIALIZATION_DATA.HwAdapterControl offset (x64)");
_Static_assert(offsetof(HW_INITIALIZATION_DATA, HwUnitControl) == 200,
               "HW_INITIALIZATION_DATA.HwUnitControl offset (x64)");
_Static_assert(sizeof(HW_INITIALIZATION_DATA) == 208, "HW_INITIALIZATION_DATA size (x64)");
/** @endcond */

/* ------------------------------------------------------------------------ */
/** @name Return values of HwFindAdapter, error codes, version flags */
/** @{ */

#define SP_RETURN_NOT_FOUND 0  /**< @brief HwFindAdapter: no supported HBA here. */
#define SP_RETURN_FOUND 1      /**< @brief HwFindAdapter: HBA found and configured. */
#define SP_RETURN_ERROR 2      /**< @brief HwFindAdapter: error while setting up the HBA. */
#define SP_RETURN_BAD_CONFIG 3 /**< @brief HwFindAdapter: the configuration is invalid. */

#define SP_BUS_PARITY_ERROR 0x0001          /**< @brief Error log code: bus parity error. */
#define SP_UNEXPECTED_DISCONNECT 0x0002     /**< @brief Error log code: unexpected disconnect. */
#define SP_INVALID_RESELECTION 0x0003       /**< @brief Error log code: invalid reselection. */
#define SP_BUS_TIME_OUT 0x0004              /**< @brief Error log code: bus time-out. */
#define SP_PROTOCOL_ERROR 0x0005            /**< @brief Error log code: protocol error. */
#define SP_INTERNAL_ADAPTER_ERROR 0x0006    /**< @brief Error log code: internal adapter error. */
#define SP_REQUEST_TIMEOUT 0x0007           /**< @brief Error log code: request timed out. */
#define SP_IRQ_NOT_RESPONDING 0x0008        /**< @brief Error log code: interrupt not responding. */
#define SP_BAD_FW_WARNING 0x0009            /**< @brief Error log code: firmware warning. */
#define SP_BAD_FW_ERROR 0x000a              /**< @brief Error log code: firmware error. */
#define SP_LOST_WMI_MINIPORT_REQUEST 0x000b /**< @brief Error log code: lost WMI request. */

#define SP_VER_TRACE_SUPPORT 0x0010 /**< @brief PortVersionFlags: the miniport supports tracing. */

/** @} */

/* ------------------------------------------------------------------------ */

/**
 * @brief What a miniport tells the port driver with ScsiPortNotification()
 *        or StorPortNotification() (SCSI_NOTIFICATION_TYPE enumeration,
 *        srb.h; STORPORT_NOTIFICATION_TYPE, storport.h).
 *
 * Values 0 to 14 are those of srb.h; Storport keeps their numbers but
 * calls 4 and 5 `_obsolete1` and `_obsolete2`, because Storport has no
 * CallDisableInterrupts / CallEnableInterrupts. GetExtendedFunctionTable
 * and the values from 0x1000 up exist only in storport.h. The extra
 * arguments each notification takes are given with it.
 */
typedef enum _SCSI_NOTIFICATION_TYPE {
    RequestComplete,             /**< 0: (PSCSI_REQUEST_BLOCK Srb) the SRB is finished; the port owns it again */
    NextRequest,                 /**< 1: () SCSI Port: ready for another request to a not-busy target */
    NextLuRequest,               /**< 2: (UCHAR PathId, UCHAR TargetId, UCHAR Lun) SCSI Port: ready for another request to that LU */
    ResetDetected,               /**< 3: () the HBA saw a bus reset; the port holds off new requests */
    CallDisableInterrupts,       /**< 4: (PHW_INTERRUPT callback) SCSI Port: call it at DIRQL to re-enable HBA interrupts */
    CallEnableInterrupts,        /**< 5: (PHW_INTERRUPT callback) SCSI Port: call it with system interrupts on, ISR held off */
    RequestTimerCall,            /**< 6: (PHW_TIMER HwTimer, ULONG MiniportTimerValue) call HwTimer after that many microseconds */
    BusChangeDetected,           /**< 7: (UCHAR PathId) a target may have come or gone; rescan the bus */
    WMIEvent,                    /**< 8: (PVOID WMIEvent, UCHAR PathId [, UCHAR TargetId, UCHAR Lun]) a WMI event */
    WMIReregister,               /**< 9: (UCHAR PathId [, UCHAR TargetId, UCHAR Lun]) WMI data blocks changed */
    LinkUp,                      /**< 10: () the link to the devices came up */
    LinkDown,                    /**< 11: () the link to the devices went down */
    QueryTickCount,              /**< 12: (PLARGE_INTEGER TickCount) read the tick count */
    BufferOverrunDetected,       /**< 13: (PSCSI_REQUEST_BLOCK Srb) a buffer overrun occurred */
    TraceNotification,           /**< 14: (PVOID) tracing notification */
    GetExtendedFunctionTable,    /**< 15: Storport: get the extended function table */
    EnablePassiveInitialization = 0x1000, /**< Storport: what StorPortEnablePassiveInitialization() sends */
    InitializeDpc,               /**< 0x1001 Storport: what StorPortInitializeDpc() sends */
    IssueDpc,                    /**< 0x1002 Storport: what StorPortIssueDpc() sends */
    AcquireSpinLock,             /**< 0x1003 Storport: what StorPortAcquireSpinLock() sends */
    ReleaseSpinLock,             /**< 0x1004 Storport: what StorPortReleaseSpinLock() sends */
    StateChangeDetectedCall,     /**< 0x1005 Storport: a state change was detected */
    IoTargetRequestServiceTime,  /**< 0x1006 Storport: report request service time */
    AsyncNotificationDetected,   /**< 0x1007 Storport: asynchronous notification */
    RequestDirectComplete,       /**< 0x1008 Storport: complete the SRB directly */
    InitializeDpcWithContext,    /**< 0x1009 Storport: initialize a DPC with context */
    InitializeThreadedDpc,       /**< 0x100A Storport: initialize a threaded DPC */
    SetTargetProcessorDpc,       /**< 0x100B Storport: set a DPC's target processor */
    MarkDeviceFailed             /**< 0x100C Storport: mark the device failed */
} SCSI_NOTIFICATION_TYPE;
/** @brief Pointer to SCSI_NOTIFICATION_TYPE. */
typedef SCSI_NOTIFICATION_TYPE *PSCSI_NOTIFICATION_TYPE;

/* ------------------------------------------------------------------------ */
/**
 * @name SCSI Port library routines
 *
 * Implemented by storsim's SCSI Port-style port driver. In the WDK most of
 * them are in scsiport.sys (srb.h); the register and port accessors are
 * plain macros on x64 Windows, here they are routines so that each access
 * is a simulated, timed event. A miniport's call is recorded with its file
 * and line (see storsim_call_site()).
 */
/** @{ */

/**
 * @brief Registers the miniport with the SCSI Port driver; called from
 *        DriverEntry (ScsiPortInitialize function, srb.h).
 *
 * IRQL: PASSIVE_LEVEL.
 *
 * @param[in] Argument1            DriverEntry's first argument (the driver object)
 * @param[in] Argument2            DriverEntry's second argument (the registry path)
 * @param[in] HwInitializationData the miniport's filled-in description
 * @param[in] HwContext            passed on to HwFindAdapter
 * @return STATUS_SUCCESS (0), or an error status that DriverEntry returns
 */
_Must_inspect_result_
ULONG ScsiPortInitialize(_In_ PVOID Argument1, _In_ PVOID Argument2,
                         _In_ struct _HW_INITIALIZATION_DATA *HwInitializationData,
                         _In_ PVOID HwContext);

/**
 * @brief Tells the port driver of an event: a completed request, readiness
 *        for another request, a bus reset, a timer request ...
 *        (ScsiPortNotification function, srb.h).
 *
 * The arguments after @p HwDeviceExtension depend on @p NotificationType;
 * see SCSI_NOTIFICATION_TYPE. For each SRB it completes successfully from
 * StartIo a SCSI Port miniport calls it twice: RequestComplete with the SRB,
 * then NextRequest (or NextLuRequest).
 *
 * @param[in] NotificationType  what happened
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] ...               the notification's arguments
 * @return None.
 */
VOID ScsiPortNotification(_In_ SCSI_NOTIFICATION_TYPE NotificationType,
                          _In_ PVOID HwDeviceExtension, ...);

/**
 * @brief Translates a virtual address in the SRB data buffer, the sense
 *        buffer, the SRB extension or the uncached extension to a physical
 *        address (ScsiPortGetPhysicalAddress function, srb.h).
 *
 * @param[in]  HwDeviceExtension the per-HBA extension
 * @param[in]  Srb               the SRB whose buffer holds @p VirtualAddress,
 *                               or NULL for the uncached extension
 * @param[in]  VirtualAddress    the address to translate
 * @param[out] Length            bytes physically contiguous from there
 * @return the physical address
 */
_Must_inspect_result_
SCSI_PHYSICAL_ADDRESS ScsiPortGetPhysicalAddress(_In_ PVOID HwDeviceExtension,
                                                 _In_ PSCSI_REQUEST_BLOCK Srb,
                                                 _In_ PVOID VirtualAddress,
                                                 _Out_ ULONG *Length);

/**
 * @brief Translates a physical address inside the uncached extension back
 *        to a virtual address (ScsiPortGetVirtualAddress function, srb.h).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] PhysicalAddress   the address to translate
 * @return the virtual address, or NULL if it is not in the uncached extension
 */
_Must_inspect_result_
PVOID ScsiPortGetVirtualAddress(_In_ PVOID HwDeviceExtension,
                                _In_ SCSI_PHYSICAL_ADDRESS PhysicalAddress);

/**
 * @brief Finds the active SRB with the given address and queue tag
 *        (ScsiPortGetSrb function, srb.h).
 *
 * @param[in] DeviceExtension the per-HBA extension
 * @param[in] PathId          bus of the SRB
 * @param[in] TargetId        target of the SRB
 * @param[in] Lun             logical unit of the SRB
 * @param[in] QueueTag        its queue tag, or SP_UNTAGGED
 * @return the SRB, or NULL if there is none
 */
_Must_inspect_result_
PSCSI_REQUEST_BLOCK ScsiPortGetSrb(_In_ PVOID DeviceExtension, _In_ UCHAR PathId,
                                   _In_ UCHAR TargetId, _In_ UCHAR Lun, _In_ LONG QueueTag);

/**
 * @brief Busy-waits, spending the CPU's time at its current IRQL
 *        (ScsiPortStallExecution function, srb.h).
 *
 * Stalls above a few microseconds in the ISR or StartIo delay every other
 * device; the documentation asks for deferral beyond about 50 microseconds.
 *
 * @param[in] Delay microseconds to wait
 * @return None.
 */
VOID ScsiPortStallExecution(_In_ ULONG Delay);

/**
 * @brief Reads a byte from a mapped memory register
 *        (ScsiPortReadRegisterUchar function, srb.h).
 * @param[in] Register the mapped register address
 * @return the value read
 */
_Must_inspect_result_
UCHAR ScsiPortReadRegisterUchar(_In_ PUCHAR Register);

/**
 * @brief Reads a 16-bit mapped memory register
 *        (ScsiPortReadRegisterUshort function, srb.h).
 * @param[in] Register the mapped register address
 * @return the value read
 */
_Must_inspect_result_
USHORT ScsiPortReadRegisterUshort(_In_ PUSHORT Register);

/**
 * @brief Reads a 32-bit mapped memory register
 *        (ScsiPortReadRegisterUlong function, srb.h).
 * @param[in] Register the mapped register address
 * @return the value read
 */
_Must_inspect_result_
ULONG ScsiPortReadRegisterUlong(_In_ PULONG Register);

/**
 * @brief Reads @p Count ULONGs from a mapped memory register into a buffer
 *        (ScsiPortReadRegisterBufferUlong function, srb.h).
 * @param[in]  Register the mapped register address
 * @param[out] Buffer   where the values go
 * @param[in]  Count    number of ULONGs
 * @return None.
 */
VOID ScsiPortReadRegisterBufferUlong(_In_ PULONG Register, _In_ PULONG Buffer,
                                     _In_ ULONG Count);

/**
 * @brief Writes a byte to a mapped memory register
 *        (ScsiPortWriteRegisterUchar function, srb.h).
 * @param[in] Register the mapped register address
 * @param[in] Value    the value to write
 * @return None.
 */
VOID ScsiPortWriteRegisterUchar(_In_ PUCHAR Register, _In_ UCHAR Value);

/**
 * @brief Writes a 16-bit mapped memory register
 *        (ScsiPortWriteRegisterUshort function, srb.h).
 * @param[in] Register the mapped register address
 * @param[in] Value    the value to write
 * @return None.
 */
VOID ScsiPortWriteRegisterUshort(_In_ PUSHORT Register, _In_ USHORT Value);

/**
 * @brief Writes a 32-bit mapped memory register
 *        (ScsiPortWriteRegisterUlong function, srb.h).
 * @param[in] Register the mapped register address
 * @param[in] Value    the value to write
 * @return None.
 */
VOID ScsiPortWriteRegisterUlong(_In_ PULONG Register, _In_ ULONG Value);

/**
 * @brief Writes @p Count ULONGs from a buffer to a mapped memory register
 *        (ScsiPortWriteRegisterBufferUlong function, srb.h).
 * @param[in] Register the mapped register address
 * @param[in] Buffer   the values to write
 * @param[in] Count    number of ULONGs
 * @return None.
 */
VOID ScsiPortWriteRegisterBufferUlong(_In_ PULONG Register, _In_ PULONG Buffer,
                                      _In_ ULONG Count);

/**
 * @brief Reads a byte from a mapped I/O port (ScsiPortReadPortUchar
 *        function, srb.h).
 * @param[in] Port the mapped port address
 * @return the value read
 */
_Must_inspect_result_
UCHAR ScsiPortReadPortUchar(_In_ PUCHAR Port);

/**
 * @brief Reads a 16-bit mapped I/O port (ScsiPortReadPortUshort function,
 *        srb.h).
 * @param[in] Port the mapped port address
 * @return the value read
 */
_Must_inspect_result_
USHORT ScsiPortReadPortUshort(_In_ PUSHORT Port);

/**
 * @brief Reads a 32-bit mapped I/O port (ScsiPortReadPortUlong function,
 *        srb.h).
 * @param[in] Port the mapped port address
 * @return the value read
 */
_Must_inspect_result_
ULONG ScsiPortReadPortUlong(_In_ PULONG Port);

/**
 * @brief Reads @p Count ULONGs from a mapped I/O port into a buffer: the
 *        PIO data-in loop (ScsiPortReadPortBufferUlong function, srb.h).
 * @param[in]  Port   the mapped port address
 * @param[out] Buffer where the values go
 * @param[in]  Count  number of ULONGs
 * @return None.
 */
VOID ScsiPortReadPortBufferUlong(_In_ PULONG Port, _In_ PULONG Buffer, _In_ ULONG Count);

/**
 * @brief Writes a byte to a mapped I/O port (ScsiPortWritePortUchar
 *        function, srb.h).
 * @param[in] Port  the mapped port address
 * @param[in] Value the value to write
 * @return None.
 */
VOID ScsiPortWritePortUchar(_In_ PUCHAR Port, _In_ UCHAR Value);

/**
 * @brief Writes a 16-bit mapped I/O port (ScsiPortWritePortUshort
 *        function, srb.h).
 * @param[in] Port  the mapped port address
 * @param[in] Value the value to write
 * @return None.
 */
VOID ScsiPortWritePortUshort(_In_ PUSHORT Port, _In_ USHORT Value);

/**
 * @brief Writes a 32-bit mapped I/O port (ScsiPortWritePortUlong function,
 *        srb.h).
 * @param[in] Port  the mapped port address
 * @param[in] Value the value to write
 * @return None.
 */
VOID ScsiPortWritePortUlong(_In_ PULONG Port, _In_ ULONG Value);

/**
 * @brief Writes @p Count ULONGs from a buffer to a mapped I/O port: the PIO
 *        data-out loop (ScsiPortWritePortBufferUlong function, srb.h).
 * @param[in] Port   the mapped port address
 * @param[in] Buffer the values to write
 * @param[in] Count  number of ULONGs
 * @return None.
 */
VOID ScsiPortWritePortBufferUlong(_In_ PULONG Port, _In_ PULONG Buffer, _In_ ULONG Count);

/**
 * @brief Allocates memory that both the CPU and the HBA (by DMA) can
 *        access, typically for rings and mailboxes; called from
 *        HwScsiFindAdapter (ScsiPortGetUncachedExtension function, srb.h).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] ConfigInfo        the configuration passed to HwFindAdapter
 * @param[in] NumberOfBytes     bytes wanted
 * @return the virtual address of the memory, or NULL
 */
_Must_inspect_result_
PVOID ScsiPortGetUncachedExtension(_In_ PVOID HwDeviceExtension,
                                   _In_ PPORT_CONFIGURATION_INFORMATION ConfigInfo,
                                   _In_ ULONG NumberOfBytes);

/**
 * @brief Completes every active request for a bus, target or LU with the
 *        given status, e.g. after a reset (ScsiPortCompleteRequest
 *        function, srb.h).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] PathId            bus
 * @param[in] TargetId          target, or SP_UNTAGGED for every target
 * @param[in] Lun               logical unit, or SP_UNTAGGED for every LU
 * @param[in] SrbStatus         the SRB_STATUS_xxx to complete them with
 * @return None.
 */
VOID ScsiPortCompleteRequest(_In_ PVOID HwDeviceExtension, _In_ UCHAR PathId,
                             _In_ UCHAR TargetId, _In_ UCHAR Lun, _In_ UCHAR SrbStatus);

/**
 * @brief Maps a bus-relative address range (an ACCESS_RANGE) into the
 *        address space the miniport uses (ScsiPortGetDeviceBase function,
 *        srb.h).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] BusType           the bus (AdapterInterfaceType)
 * @param[in] SystemIoBusNumber the bus number
 * @param[in] IoAddress         start of the range
 * @param[in] NumberOfBytes     length of the range
 * @param[in] InIoSpace         TRUE for I/O port space, FALSE for memory
 * @return the mapped base address, or NULL
 */
_Must_inspect_result_
PVOID ScsiPortGetDeviceBase(_In_ PVOID HwDeviceExtension, _In_ INTERFACE_TYPE BusType,
                            _In_ ULONG SystemIoBusNumber, _In_ SCSI_PHYSICAL_ADDRESS IoAddress,
                            _In_ ULONG NumberOfBytes, _In_ BOOLEAN InIoSpace);

/**
 * @brief Unmaps a range mapped by ScsiPortGetDeviceBase()
 *        (ScsiPortFreeDeviceBase function, srb.h).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] MappedAddress     the address ScsiPortGetDeviceBase() returned
 * @return None.
 */
VOID ScsiPortFreeDeviceBase(_In_ PVOID HwDeviceExtension, _In_ PVOID MappedAddress);

/**
 * @brief Reads bus configuration data, e.g. PCI configuration space
 *        (ScsiPortGetBusData function, srb.h).
 *
 * @param[in]  DeviceExtension   the per-HBA extension
 * @param[in]  BusDataType       the kind of bus data (PCIConfiguration = 4)
 * @param[in]  SystemIoBusNumber the bus number
 * @param[in]  SlotNumber        the slot
 * @param[out] Buffer            where the data goes
 * @param[in]  Length            bytes wanted
 * @return bytes read (0 if the slot is empty)
 */
_Must_inspect_result_
ULONG ScsiPortGetBusData(_In_ PVOID DeviceExtension, _In_ ULONG BusDataType,
                         _In_ ULONG SystemIoBusNumber, _In_ ULONG SlotNumber,
                         _In_reads_bytes_(Length) PVOID Buffer, _In_ ULONG Length);

/**
 * @brief Writes an entry to the system error log (ScsiPortLogError
 *        function, srb.h).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Srb               the SRB concerned, or NULL
 * @param[in] PathId            bus
 * @param[in] TargetId          target
 * @param[in] Lun               logical unit
 * @param[in] ErrorCode         SP_xxx error code
 * @param[in] UniqueId          miniport-chosen value identifying the call site
 * @return None.
 */
VOID ScsiPortLogError(_In_ PVOID HwDeviceExtension, _In_opt_ PSCSI_REQUEST_BLOCK Srb,
                      _In_ UCHAR PathId, _In_ UCHAR TargetId, _In_ UCHAR Lun,
                      _In_ ULONG ErrorCode, _In_ ULONG UniqueId);

/**
 * @brief Copies memory, like memmove (ScsiPortMoveMemory function, srb.h).
 *
 * @param[out] WriteBuffer destination
 * @param[in]  ReadBuffer  source
 * @param[in]  Length      bytes to copy
 * @return None.
 */
VOID ScsiPortMoveMemory(_In_ PVOID WriteBuffer, _In_ PVOID ReadBuffer, _In_ ULONG Length);

/**
 * @brief Returns the miniport's per-LU extension of a logical unit
 *        (ScsiPortGetLogicalUnit function, srb.h).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] PathId            bus
 * @param[in] TargetId          target
 * @param[in] Lun               logical unit
 * @return the LU extension, or NULL if the LU does not exist
 */
_Must_inspect_result_
PVOID ScsiPortGetLogicalUnit(_In_ PVOID HwDeviceExtension, _In_ UCHAR PathId,
                             _In_ UCHAR TargetId, _In_ UCHAR Lun);

/**
 * @brief Widens a ULONG_PTR address to a SCSI_PHYSICAL_ADDRESS
 *        (ScsiPortConvertUlongToPhysicalAddress function, srb.h).
 *
 * @param[in] UlongAddress the address
 * @return the same address as a SCSI_PHYSICAL_ADDRESS
 */
_Must_inspect_result_
SCSI_PHYSICAL_ADDRESS ScsiPortConvertUlongToPhysicalAddress(_In_ ULONG_PTR UlongAddress);

/**
 * @brief Truncates a SCSI_PHYSICAL_ADDRESS to its low 32 bits
 *        (ScsiPortConvertPhysicalAddressToUlong function, srb.h).
 *
 * @param[in] Address the address
 * @return its LowPart
 */
_Must_inspect_result_
ULONG ScsiPortConvertPhysicalAddressToUlong(_In_ SCSI_PHYSICAL_ADDRESS Address);

/** @} */

/*
 * Call sites. Each macro below has the name of the routine it wraps: it
 * records the caller's file and line, then calls the routine. A function-like
 * macro does not expand inside its own expansion, so the inner name is the
 * real routine. Port-driver files define STORSIM_NO_CALL_SITES to see the
 * bare declarations. Doxygen skips this block (the routines are documented
 * above).
 */
#ifndef STORSIM_NO_CALL_SITES
/** @cond STORSIM_CALL_SITES */
#define ScsiPortInitialize(Argument1, Argument2, HwInitializationData, HwContext) \
    (STORSIM_CALL_SITE(), ScsiPortInitialize(Argument1, Argument2, HwInitializationData, HwContext))
#define ScsiPortNotification(...) \
    (STORSIM_CALL_SITE(), ScsiPortNotification(__VA_ARGS__))
#define ScsiPortGetPhysicalAddress(HwDeviceExtension, Srb, VirtualAddress, Length) \
    (STORSIM_CALL_SITE(), ScsiPortGetPhysicalAddress(HwDeviceExtension, Srb, VirtualAddress, Length))
#define ScsiPortGetVirtualAddress(HwDeviceExtension, PhysicalAddress) \
    (STORSIM_CALL_SITE(), ScsiPortGetVirtualAddress(HwDeviceExtension, PhysicalAddress))
#define ScsiPortGetSrb(DeviceExtension, PathId, TargetId, Lun, QueueTag) \
    (STORSIM_CALL_SITE(), ScsiPortGetSrb(DeviceExtension, PathId, TargetId, Lun, QueueTag))
#define ScsiPortStallExecution(Delay) \
    (STORSIM_CALL_SITE(), ScsiPortStallExecution(Delay))
#define ScsiPortReadRegisterUchar(Register) \
    (STORSIM_CALL_SITE(), ScsiPortReadRegisterUchar(Register))
#define ScsiPortReadRegisterUshort(Register) \
    (STORSIM_CALL_SITE(), ScsiPortReadRegisterUshort(Register))
#define ScsiPortReadRegisterUlong(Register) \
    (STORSIM_CALL_SITE(), ScsiPortReadRegisterUlong(Register))
#define ScsiPortReadRegisterBufferUlong(Register, Buffer, Count) \
    (STORSIM_CALL_SITE(), ScsiPortReadRegisterBufferUlong(Register, Buffer, Count))
#define ScsiPortWriteRegisterUchar(Register, Value) \
    (STORSIM_CALL_SITE(), ScsiPortWriteRegisterUchar(Register, Value))
#define ScsiPortWriteRegisterUshort(Register, Value) \
    (STORSIM_CALL_SITE(), ScsiPortWriteRegisterUshort(Register, Value))
#define ScsiPortWriteRegisterUlong(Register, Value) \
    (STORSIM_CALL_SITE(), ScsiPortWriteRegisterUlong(Register, Value))
#define ScsiPortWriteRegisterBufferUlong(Register, Buffer, Count) \
    (STORSIM_CALL_SITE(), ScsiPortWriteRegisterBufferUlong(Register, Buffer, Count))
#define ScsiPortReadPortUchar(Port) \
    (STORSIM_CALL_SITE(), ScsiPortReadPortUchar(Port))
#define ScsiPortReadPortUshort(Port) \
    (STORSIM_CALL_SITE(), ScsiPortReadPortUshort(Port))
#define ScsiPortReadPortUlong(Port) \
    (STORSIM_CALL_SITE(), ScsiPortReadPortUlong(Port))
#define ScsiPortReadPortBufferUlong(Port, Buffer, Count) \
    (STORSIM_CALL_SITE(), ScsiPortReadPortBufferUlong(Port, Buffer, Count))
#define ScsiPortWritePortUchar(Port, Value) \
    (STORSIM_CALL_SITE(), ScsiPortWritePortUchar(Port, Value))
#define ScsiPortWritePortUshort(Port, Value) \
    (STORSIM_CALL_SITE(), ScsiPortWritePortUshort(Port, Value))
#define ScsiPortWritePortUlong(Port, Value) \
    (STORSIM_CALL_SITE(), ScsiPortWritePortUlong(Port, Value))
#define ScsiPortWritePortBufferUlong(Port, Buffer, Count) \
    (STORSIM_CALL_SITE(), ScsiPortWritePortBufferUlong(Port, Buffer, Count))
#define ScsiPortGetUncachedExtension(HwDeviceExtension, ConfigInfo, NumberOfBytes) \
    (STORSIM_CALL_SITE(), ScsiPortGetUncachedExtension(HwDeviceExtension, ConfigInfo, NumberOfBytes))
#define ScsiPortCompleteRequest(HwDeviceExtension, PathId, TargetId, Lun, SrbStatus) \
    (STORSIM_CALL_SITE(), ScsiPortCompleteRequest(HwDeviceExtension, PathId, TargetId, Lun, SrbStatus))
#define ScsiPortGetDeviceBase(HwDeviceExtension, BusType, SystemIoBusNumber, IoAddress, NumberOfBytes, InIoSpace) \
    (STORSIM_CALL_SITE(), ScsiPortGetDeviceBase(HwDeviceExtension, BusType, SystemIoBusNumber, IoAddress, NumberOfBytes, InIoSpace))
#define ScsiPortFreeDeviceBase(HwDeviceExtension, MappedAddress) \
    (STORSIM_CALL_SITE(), ScsiPortFreeDeviceBase(HwDeviceExtension, MappedAddress))
#define ScsiPortGetBusData(DeviceExtension, BusDataType, SystemIoBusNumber, SlotNumber, Buffer, Length) \
    (STORSIM_CALL_SITE(), ScsiPortGetBusData(DeviceExtension, BusDataType, SystemIoBusNumber, SlotNumber, Buffer, Length))
#define ScsiPortLogError(HwDeviceExtension, Srb, PathId, TargetId, Lun, ErrorCode, UniqueId) \
    (STORSIM_CALL_SITE(), ScsiPortLogError(HwDeviceExtension, Srb, PathId, TargetId, Lun, ErrorCode, UniqueId))
#define ScsiPortMoveMemory(WriteBuffer, ReadBuffer, Length) \
    (STORSIM_CALL_SITE(), ScsiPortMoveMemory(WriteBuffer, ReadBuffer, Length))
#define ScsiPortGetLogicalUnit(HwDeviceExtension, PathId, TargetId, Lun) \
    (STORSIM_CALL_SITE(), ScsiPortGetLogicalUnit(HwDeviceExtension, PathId, TargetId, Lun))
#define ScsiPortConvertUlongToPhysicalAddress(UlongAddress) \
    (STORSIM_CALL_SITE(), ScsiPortConvertUlongToPhysicalAddress(UlongAddress))
#define ScsiPortConvertPhysicalAddressToUlong(Address) \
    (STORSIM_CALL_SITE(), ScsiPortConvertPhysicalAddressToUlong(Address))
/** @endcond */
#endif /* STORSIM_NO_CALL_SITES */

/** @} */ /* wdk_srb */

#endif /* STORSIM_WDK_SRB_H */
