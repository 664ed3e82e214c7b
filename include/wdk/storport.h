/**
 * @file storport.h
 * @brief The Storport miniport interface: locks, DPCs, scatter/gather lists,
 *        the extended SRB (STORAGE_REQUEST_BLOCK), the SrbGetXxx accessors
 *        and the StorPortXxx library (WDK storport.h and srbhelper.h).
 *
 * Interface: the one header storsim's miniport includes. It includes srb.h
 * (the SRB, the registration structures, the role types, SCSI Port) and
 * scsi.h (CDBs and SCSI data), so a single miniport source can register
 * with either port driver.
 *
 * Every StorPortXxx routine is declared with its WDK prototype and then,
 * unless STORSIM_NO_CALL_SITES is defined, wrapped in a macro of the same
 * name that records the caller's file and line (storsim_call_site()). In
 * the WDK several of them (StorPortAcquireSpinLock, StorPortIssueDpc,
 * StorPortAllocatePool, StorPortGetSystemAddress ...) are inline wrappers
 * around StorPortNotification or StorPortExtendedFunction; here every one
 * is a routine of the port driver, with the documented prototype.
 *
 * The SrbGetXxx / SrbSetXxx accessors are static inline functions, like
 * srbhelper.h's: they accept a pointer to either a SCSI_REQUEST_BLOCK or a
 * STORAGE_REQUEST_BLOCK and tell them apart by Function ==
 * SRB_FUNCTION_STORAGE_REQUEST_BLOCK.
 */
#ifndef STORSIM_WDK_STORPORT_H
#define STORSIM_WDK_STORPORT_H

#include "srb.h"
#include "scsi.h"

/**
 * @defgroup wdk_storport Storport miniport interface (storport.h, srbhelper.h)
 * @brief STOR_SPINLOCK, STOR_DPC use, scatter/gather lists,
 *        STORAGE_REQUEST_BLOCK, the SrbGetXxx accessors and the StorPortXxx
 *        routines.
 *
 * Microsoft documents these on the "storport.h header" pages of the Windows
 * driver API reference (StorPortNotification function (storport.h),
 * StorPortAcquireSpinLock function, STOR_SPINLOCK enumeration,
 * STORAGE_REQUEST_BLOCK structure (srb.h), STOR_ADDR_BTL8 structure,
 * SRBEX_DATA_SCSI_CDB16 structure, HW_BUILDIO callback function, ...), in
 * the "Storport Driver" and "Unsynchronized HwStorBuildIo Routine" pages of
 * the storage design guide, and in the WDK header srbhelper.h for the
 * SrbGetXxx accessors.
 * @{
 */

/** @brief The Storport name of the notification enumeration
 *         (STORPORT_NOTIFICATION_TYPE); see SCSI_NOTIFICATION_TYPE. */
typedef SCSI_NOTIFICATION_TYPE STORPORT_NOTIFICATION_TYPE;

/* ------------------------------------------------------------------------ */
/** @name Storport status codes (returned by the extended StorPortXxx routines) */
/** @{ */

#define STOR_STATUS_SUCCESS ((ULONG)0x00000000L)                /**< @brief The routine succeeded. */
#define STOR_STATUS_UNSUCCESSFUL ((ULONG)0xC1000001L)           /**< @brief The routine failed. */
#define STOR_STATUS_NOT_IMPLEMENTED ((ULONG)0xC1000002L)        /**< @brief Not implemented on this system. */
#define STOR_STATUS_INSUFFICIENT_RESOURCES ((ULONG)0xC1000003L) /**< @brief Out of memory or other resources. */
#define STOR_STATUS_BUFFER_TOO_SMALL ((ULONG)0xC1000004L)       /**< @brief The buffer given is too small. */
#define STOR_STATUS_ACCESS_DENIED ((ULONG)0xC1000005L)          /**< @brief Access denied. */
#define STOR_STATUS_INVALID_PARAMETER ((ULONG)0xC1000006L)      /**< @brief A parameter is invalid. */
#define STOR_STATUS_INVALID_DEVICE_REQUEST ((ULONG)0xC1000007L) /**< @brief Invalid request for this device. */
#define STOR_STATUS_INVALID_IRQL ((ULONG)0xC1000008L)           /**< @brief Called at an IRQL the routine does not allow. */
#define STOR_STATUS_INVALID_DEVICE_STATE ((ULONG)0xC1000009L)   /**< @brief The device is not in a state that allows this. */
#define STOR_STATUS_INVALID_BUFFER_SIZE ((ULONG)0xC100000AL)    /**< @brief The buffer size is invalid. */
#define STOR_STATUS_UNSUPPORTED_VERSION ((ULONG)0xC100000BL)    /**< @brief Structure version not supported. */
#define STOR_STATUS_BUSY ((ULONG)0xC100000CL)                   /**< @brief Busy; try again. */

/** @} */

/* ------------------------------------------------------------------------ */
/** @name HW_INITIALIZATION_DATA and PORT_CONFIGURATION_INFORMATION values */
/** @{ */

#define STOR_MAP_NO_BUFFERS (0)                       /**< @brief MapBuffers: map only IO_CONTROL and WMI buffers. */
#define STOR_MAP_ALL_BUFFERS (1)                      /**< @brief MapBuffers: obsolete, same as STOR_MAP_NON_READ_WRITE_BUFFERS. */
#define STOR_MAP_NON_READ_WRITE_BUFFERS (2)           /**< @brief MapBuffers: map every buffer except read and write data. */
#define STOR_MAP_ALL_BUFFERS_INCLUDING_READ_WRITE (3) /**< @brief MapBuffers: map every buffer, reads and writes too. */

#define STOR_FEATURE_VIRTUAL_MINIPORT 0x00000001                 /**< @brief FeatureSupport: a virtual miniport. */
#define STOR_FEATURE_ATA_PASS_THROUGH 0x00000002                 /**< @brief FeatureSupport: supports ATA PASS-THROUGH(16). */
#define STOR_FEATURE_FULL_PNP_DEVICE_CAPABILITIES 0x00000004     /**< @brief FeatureSupport: fills STOR_DEVICE_CAPABILITIES_EX completely. */
#define STOR_FEATURE_DUMP_POINTERS 0x00000008                    /**< @brief FeatureSupport: a physical miniport that accepts the dump-pointer SRBs. */
#define STOR_FEATURE_DEVICE_NAME_NO_SUFFIX 0x00000010            /**< @brief FeatureSupport: no "SCSI <type> Device" name suffix. */
#define STOR_FEATURE_DUMP_RESUME_CAPABLE 0x00000020              /**< @brief FeatureSupport: dump stack works after hibernation resume. */
#define STOR_FEATURE_DEVICE_DESCRIPTOR_FROM_ATA_INFO_VPD 0x00000040 /**< @brief FeatureSupport: device descriptor from the ATA Information VPD page. */
#define STOR_FEATURE_EXTRA_IO_INFORMATION 0x00000080             /**< @brief FeatureSupport: wants SRBEX_DATA_IO_INFO. */
#define STOR_FEATURE_ADAPTER_CONTROL_PRE_FINDADAPTER 0x00000100  /**< @brief FeatureSupport: AdapterControl may come before HwFindAdapter. */
#define STOR_FEATURE_ADAPTER_NOT_REQUIRE_IO_PORT 0x00000200      /**< @brief FeatureSupport: no I/O port resource needed. */
#define STOR_FEATURE_DUMP_16_BYTE_ALIGNMENT 0x00000400           /**< @brief FeatureSupport: 16-byte aligned extension in dump mode. */
#define STOR_FEATURE_SET_ADAPTER_INTERFACE_TYPE 0x00000800       /**< @brief FeatureSupport: Storport sets the adapter interface type. */
#define STOR_FEATURE_DUMP_INFO 0x00001000                        /**< @brief FeatureSupport: supports the dump-info SRBs. */
#define STOR_FEATURE_DMA_ALLOCATION_NO_BOUNDARY 0x00002000       /**< @brief FeatureSupport: DMA allocations need no boundary. */

#define SRB_TYPE_FLAG_SCSI_REQUEST_BLOCK 0x1    /**< @brief SrbTypeFlags: accepts SCSI_REQUEST_BLOCK. */
#define SRB_TYPE_FLAG_STORAGE_REQUEST_BLOCK 0x2 /**< @brief SrbTypeFlags: accepts STORAGE_REQUEST_BLOCK (extended SRBs). */
#define ADDRESS_TYPE_FLAG_BTL8 0x1              /**< @brief AddressTypeFlags: 8-bit bus/target/LUN addresses. */

#define SRB_TYPE_SCSI_REQUEST_BLOCK 0     /**< @brief PORT_CONFIGURATION_INFORMATION.SrbType: SCSI_REQUEST_BLOCK. */
#define SRB_TYPE_STORAGE_REQUEST_BLOCK 1  /**< @brief PORT_CONFIGURATION_INFORMATION.SrbType: STORAGE_REQUEST_BLOCK. */
#define STORAGE_ADDRESS_TYPE_BTL8 0       /**< @brief PORT_CONFIGURATION_INFORMATION.AddressType: BTL8. */

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Spin locks */
/** @{ */

/**
 * @brief Which Storport spin lock to acquire (STOR_SPINLOCK enumeration).
 *
 * Acquire in this order: DpcLock or StartIoLock first, InterruptLock last;
 * when both StartIoLock and InterruptLock are needed, StartIoLock first.
 * Never acquire a lock already held (the port may hold one on entry: see
 * each role type). Which locks each routine may take (StorPortAcquireSpinLock
 * function page): HwStorStartIo DpcLock, InterruptLock; HwStorBuildIo,
 * HwStorAdapterControl, HwStorUnitControl, HwStorTracingEnabled and
 * HwStorDpcRoutine all three; HwStorTimer, HwStorResetBus and
 * HwStorStateChange InterruptLock, and only when not in half duplex;
 * HwStorFindAdapter, HwStorInitialize, HwStorInterrupt and
 * HwStorPassiveInitializeRoutine none.
 */
typedef enum _STOR_SPINLOCK {
    DpcLock = 1,     /**< 1: the lock of one STOR_DPC (LockContext = the STOR_DPC); DISPATCH_LEVEL */
    StartIoLock,     /**< 2: the lock HwStorStartIo runs under in full duplex; DISPATCH_LEVEL */
    InterruptLock,   /**< 3: the interrupt spin lock; raises to DIRQL, synchronizes with the ISR */
    ThreadedDpcLock, /**< 4: lock of a threaded DPC */
    DpcLevelLock     /**< 5: DPC-level lock */
} STOR_SPINLOCK;

/**
 * @brief What StorPortAcquireSpinLock() returns and
 *        StorPortReleaseSpinLock() takes back (STOR_LOCK_HANDLE structure).
 *
 * Lives on the acquiring routine's stack; its Context is the port driver's.
 */
typedef struct _STOR_LOCK_HANDLE {
    STOR_SPINLOCK Lock;      /**< which lock is held */
    /** @brief Port-driver state of the acquisition. */
    struct {
        /** @brief Queued spin lock entry. */
        struct {
            PVOID Next;      /**< next waiter */
            PVOID Lock;      /**< the lock */
        } LockQueue;         /**< queued spin lock entry */
        KIRQL OldIrql;       /**< the IRQL to return to on release */
    } Context;               /**< port-driver state of the acquisition */
} STOR_LOCK_HANDLE;
/** @brief Pointer to STOR_LOCK_HANDLE. */
typedef STOR_LOCK_HANDLE *PSTOR_LOCK_HANDLE;

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Scatter/gather lists */
/** @{ */

/** @brief One physically contiguous piece of a data buffer
 *         (STOR_SCATTER_GATHER_ELEMENT structure). */
typedef struct _STOR_SCATTER_GATHER_ELEMENT {
    STOR_PHYSICAL_ADDRESS PhysicalAddress; /**< physical start of the piece */
    ULONG Length;                          /**< bytes in the piece */
    ULONG_PTR Reserved;                    /**< reserved */
} STOR_SCATTER_GATHER_ELEMENT;
/** @brief Pointer to STOR_SCATTER_GATHER_ELEMENT. */
typedef STOR_SCATTER_GATHER_ELEMENT *PSTOR_SCATTER_GATHER_ELEMENT;

/**
 * @brief The physical pieces of an SRB's data buffer, as
 *        StorPortGetScatterGatherList() returns them
 *        (STOR_SCATTER_GATHER_LIST structure).
 *
 * NumberOfElements is at most NumberOfPhysicalBreaks + 1 and the total
 * length at most MaximumTransferLength, as the miniport configured.
 */
typedef struct _STOR_SCATTER_GATHER_LIST {
    ULONG NumberOfElements;             /**< elements in List */
    ULONG_PTR Reserved;                 /**< reserved */
    STOR_SCATTER_GATHER_ELEMENT List[]; /**< the pieces, in buffer order */
} STOR_SCATTER_GATHER_LIST;
/** @brief Pointer to STOR_SCATTER_GATHER_LIST. */
typedef STOR_SCATTER_GATHER_LIST *PSTOR_SCATTER_GATHER_LIST;

/** @} */

/* ------------------------------------------------------------------------ */

/** @brief Storport device power state (STOR_DEVICE_POWER_STATE enumeration). */
typedef enum _STOR_DEVICE_POWER_STATE {
    StorPowerDeviceUnspecified = 0, /**< not specified */
    StorPowerDeviceD0,              /**< 1: fully on */
    StorPowerDeviceD1,              /**< 2: light sleep */
    StorPowerDeviceD2,              /**< 3: deeper sleep */
    StorPowerDeviceD3,              /**< 4: off */
    StorPowerDeviceMaximum          /**< one past the last valid value */
} STOR_DEVICE_POWER_STATE;
/** @brief Pointer to STOR_DEVICE_POWER_STATE. */
typedef STOR_DEVICE_POWER_STATE *PSTOR_DEVICE_POWER_STATE;

/* ------------------------------------------------------------------------ */
/** @name Storage addresses (STOR_ADDRESS) */
/** @{ */

#define STOR_ADDRESS_TYPE_UNKNOWN 0x0   /**< @brief STOR_ADDRESS.Type: unknown. */
#define STOR_ADDRESS_TYPE_BTL8 0x1      /**< @brief STOR_ADDRESS.Type: STOR_ADDR_BTL8. */
#define STOR_ADDRESS_TYPE_MAX 0xffff    /**< @brief Largest STOR_ADDRESS.Type. */
#define STOR_ADDR_BTL8_ADDRESS_LENGTH 4 /**< @brief AddressLength of a STOR_ADDR_BTL8. */

/** @brief The generic head of every storage address (STOR_ADDRESS
 *         structure); 8-byte aligned on 64-bit Windows. */
typedef struct _STOR_ADDRESS {
    _Alignas(8) USHORT Type; /**< STOR_ADDRESS_TYPE_xxx */
    USHORT Port;             /**< port number */
    ULONG AddressLength;     /**< bytes of AddressData */
    UCHAR AddressData[ANYSIZE_ARRAY]; /**< the address */
} STOR_ADDRESS;
/** @brief Pointer to STOR_ADDRESS. */
typedef STOR_ADDRESS *PSTOR_ADDRESS;

/** @brief An 8-bit bus (path), target and LUN address (STOR_ADDR_BTL8
 *         structure). */
typedef struct _STOR_ADDR_BTL8 {
    _Alignas(8) USHORT Type; /**< STOR_ADDRESS_TYPE_BTL8 */
    USHORT Port;             /**< port number */
    ULONG AddressLength;     /**< STOR_ADDR_BTL8_ADDRESS_LENGTH */
    UCHAR Path;              /**< bus: the SCSI_REQUEST_BLOCK PathId */
    UCHAR Target;            /**< target: the TargetId */
    UCHAR Lun;               /**< logical unit: the Lun */
    UCHAR Reserved;          /**< reserved */
} STOR_ADDR_BTL8;
/** @brief Pointer to STOR_ADDR_BTL8. */
typedef STOR_ADDR_BTL8 *PSTOR_ADDR_BTL8;

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Extended SRB data (SRBEX_DATA) */
/** @{ */

/**
 * @brief Kind of an SRBEX_DATA block (SRBEXDATATYPE enumeration).
 *
 * The WDK's SrbExDataTypeMSReservedStart (0xf0000000) and
 * SrbExDataTypeReserved (0xffffffff) are left out: ISO C enumerators must
 * fit in an int. The NVMe types are left out too.
 */
typedef enum _SRBEXDATATYPE {
    SrbExDataTypeUnknown = 0,   /**< unknown */
    SrbExDataTypeBidirectional, /**< 1: SRBEX_DATA_BIDIRECTIONAL */
    SrbExDataTypeScsiCdb16 = 0x40, /**< SRBEX_DATA_SCSI_CDB16 */
    SrbExDataTypeScsiCdb32,     /**< 0x41: SRBEX_DATA_SCSI_CDB32 */
    SrbExDataTypeScsiCdbVar,    /**< 0x42: SRBEX_DATA_SCSI_CDB_VAR */
    SrbExDataTypeWmi = 0x60,    /**< SRBEX_DATA_WMI */
    SrbExDataTypePower,         /**< 0x61: SRBEX_DATA_POWER */
    SrbExDataTypePnP,           /**< 0x62: SRBEX_DATA_PNP */
    SrbExDataTypeIoInfo = 0x80  /**< SRBEX_DATA_IO_INFO */
} SRBEXDATATYPE;
/** @brief Pointer to SRBEXDATATYPE. */
typedef SRBEXDATATYPE *PSRBEXDATATYPE;

/** @brief The generic head of every extended-SRB data block (SRBEX_DATA
 *         structure). */
typedef struct _SRBEX_DATA {
    _Alignas(8) SRBEXDATATYPE Type;  /**< what the block is */
    ULONG Length;                    /**< bytes of Data */
    UCHAR Data[ANYSIZE_ARRAY];       /**< the block's contents */
} SRBEX_DATA;
/** @brief Pointer to SRBEX_DATA. */
typedef SRBEX_DATA *PSRBEX_DATA;

/** @brief Length field of an SRBEX_DATA_SCSI_CDB16. */
#define SRBEX_DATA_SCSI_CDB16_LENGTH ((20 * sizeof(UCHAR)) + sizeof(ULONG) + sizeof(PVOID))

/**
 * @brief The SCSI part of an extended EXECUTE_SCSI SRB with a CDB of up to
 *        16 bytes (SRBEX_DATA_SCSI_CDB16 structure): what
 *        SCSI_REQUEST_BLOCK keeps in ScsiStatus, CdbLength, sense and Cdb.
 */
typedef struct _SRBEX_DATA_SCSI_CDB16 {
    SRBEXDATATYPE Type;          /**< SrbExDataTypeScsiCdb16 */
    ULONG Length;                /**< SRBEX_DATA_SCSI_CDB16_LENGTH */
    UCHAR ScsiStatus;            /**< SCSISTAT_xxx returned by the target */
    UCHAR SenseInfoBufferLength; /**< size of the sense buffer */
    UCHAR CdbLength;             /**< bytes of Cdb in use */
    UCHAR Reserved;              /**< reserved */
    ULONG Reserved1;             /**< reserved */
    PVOID SenseInfoBuffer;       /**< where autosense data goes */
    UCHAR Cdb[16];               /**< the CDB */
} SRBEX_DATA_SCSI_CDB16;
/** @brief Pointer to SRBEX_DATA_SCSI_CDB16. */
typedef SRBEX_DATA_SCSI_CDB16 *PSRBEX_DATA_SCSI_CDB16;

/** @brief Length field of an SRBEX_DATA_SCSI_CDB32. */
#define SRBEX_DATA_SCSI_CDB32_LENGTH ((36 * sizeof(UCHAR)) + sizeof(ULONG) + sizeof(PVOID))

/** @brief As SRBEX_DATA_SCSI_CDB16 for CDBs of up to 32 bytes
 *         (SRBEX_DATA_SCSI_CDB32 structure). */
typedef struct _SRBEX_DATA_SCSI_CDB32 {
    SRBEXDATATYPE Type;          /**< SrbExDataTypeScsiCdb32 */
    ULONG Length;                /**< SRBEX_DATA_SCSI_CDB32_LENGTH */
    UCHAR ScsiStatus;            /**< SCSISTAT_xxx returned by the target */
    UCHAR SenseInfoBufferLength; /**< size of the sense buffer */
    UCHAR CdbLength;             /**< bytes of Cdb in use */
    UCHAR Reserved;              /**< reserved */
    ULONG Reserved1;             /**< reserved */
    PVOID SenseInfoBuffer;       /**< where autosense data goes */
    UCHAR Cdb[32];               /**< the CDB */
} SRBEX_DATA_SCSI_CDB32;
/** @brief Pointer to SRBEX_DATA_SCSI_CDB32. */
typedef SRBEX_DATA_SCSI_CDB32 *PSRBEX_DATA_SCSI_CDB32;

/** @brief Smallest Length field of an SRBEX_DATA_SCSI_CDB_VAR. */
#define SRBEX_DATA_SCSI_CDB_VAR_LENGTH_MIN ((4 * sizeof(UCHAR)) + (3 * sizeof(ULONG)) + sizeof(PVOID))
/** @brief Largest Length field of an SRBEX_DATA_SCSI_CDB_VAR. */
#define SRBEX_DATA_SCSI_CDB_VAR_LENGTH_MAX 0xffffffffUL

/** @brief As SRBEX_DATA_SCSI_CDB16 for a CDB of any length
 *         (SRBEX_DATA_SCSI_CDB_VAR structure). */
typedef struct _SRBEX_DATA_SCSI_CDB_VAR {
    SRBEXDATATYPE Type;          /**< SrbExDataTypeScsiCdbVar */
    ULONG Length;                /**< SRBEX_DATA_SCSI_CDB_VAR_LENGTH_MIN + CdbLength, or more */
    UCHAR ScsiStatus;            /**< SCSISTAT_xxx returned by the target */
    UCHAR SenseInfoBufferLength; /**< size of the sense buffer */
    UCHAR Reserved[2];           /**< reserved */
    ULONG CdbLength;             /**< bytes of Cdb */
    ULONG Reserved1[2];          /**< reserved */
    PVOID SenseInfoBuffer;       /**< where autosense data goes */
    UCHAR Cdb[ANYSIZE_ARRAY];    /**< the CDB (CdbLength bytes) */
} SRBEX_DATA_SCSI_CDB_VAR;
/** @brief Pointer to SRBEX_DATA_SCSI_CDB_VAR. */
typedef SRBEX_DATA_SCSI_CDB_VAR *PSRBEX_DATA_SCSI_CDB_VAR;

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Extended SRB (STORAGE_REQUEST_BLOCK) */
/** @{ */

/** @brief STORAGE_REQUEST_BLOCK.Signature: "SRBX" in ASCII. */
#define SRB_SIGNATURE 0x53524258
/** @brief STORAGE_REQUEST_BLOCK.Version of the current layout. */
#define STORAGE_REQUEST_BLOCK_VERSION_1 0x1

/**
 * @brief The bytes every SRB kind shares, 8-aligned
 *        (STORAGE_REQUEST_BLOCK_HEADER structure): its size is what
 *        STORAGE_REQUEST_BLOCK.Length holds.
 */
typedef struct _STORAGE_REQUEST_BLOCK_HEADER {
    _Alignas(8) USHORT Length; /**< size of this header */
    UCHAR Function;            /**< SRB_FUNCTION_STORAGE_REQUEST_BLOCK */
    UCHAR SrbStatus;           /**< SRB_STATUS_xxx */
} STORAGE_REQUEST_BLOCK_HEADER;
/** @brief Pointer to STORAGE_REQUEST_BLOCK_HEADER. */
typedef STORAGE_REQUEST_BLOCK_HEADER *PSTORAGE_REQUEST_BLOCK_HEADER;

/**
 * @brief The extended-format SRB (STORAGE_REQUEST_BLOCK structure, srb.h
 *        and storport.h).
 *
 * Function is SRB_FUNCTION_STORAGE_REQUEST_BLOCK and the real function is
 * in SrbFunction. The address (a STOR_ADDR_BTL8 at AddressOffset) and the
 * extended data blocks (SRBEX_DATA at each SrbExDataOffset[i]) follow the
 * structure in the same allocation, SrbLength bytes in all. Storport sends
 * these only to miniports that set SRB_TYPE_FLAG_STORAGE_REQUEST_BLOCK.
 * Read it through the SrbGetXxx accessors.
 */
typedef struct _STORAGE_REQUEST_BLOCK {
    USHORT Length;           /**< sizeof(STORAGE_REQUEST_BLOCK_HEADER): the offset of Signature */
    UCHAR Function;          /**< SRB_FUNCTION_STORAGE_REQUEST_BLOCK */
    UCHAR SrbStatus;         /**< SRB_STATUS_xxx, as in SCSI_REQUEST_BLOCK */
    ULONG ReservedUlong1;    /**< reserved, zero */
    ULONG Signature;         /**< SRB_SIGNATURE */
    ULONG Version;           /**< STORAGE_REQUEST_BLOCK_VERSION_1 */
    ULONG SrbLength;         /**< bytes of this SRB including address and extended data */
    ULONG SrbFunction;       /**< the SRB_FUNCTION_xxx of the request */
    ULONG SrbFlags;          /**< SRB_FLAGS_xxx */
    ULONG ReservedUlong2;    /**< reserved, zero */
    ULONG RequestTag;        /**< queue tag (SCSI_REQUEST_BLOCK QueueTag) */
    USHORT RequestPriority;  /**< task priority */
    USHORT RequestAttribute; /**< task attribute (SCSI_REQUEST_BLOCK QueueAction) */
    ULONG TimeOutValue;      /**< timeout in seconds */
    union {
        ULONG SystemStatus;         /**< port status when SrbStatus is SRB_STATUS_INTERNAL_ERROR */
        ULONG RequestTagHigh4Bytes; /**< high half of a 64-bit unique tag */
    };
    ULONG ZeroGuard1;        /**< always zero */
    ULONG AddressOffset;     /**< offset of the STOR_ADDRESS from the SRB start */
    ULONG NumSrbExData;      /**< entries in SrbExDataOffset */
    ULONG DataTransferLength; /**< bytes to transfer */
    PVOID DataBuffer;        /**< data buffer (as in SCSI_REQUEST_BLOCK) */
    PVOID ZeroGuard2;        /**< always NULL */
    PVOID OriginalRequest;   /**< the IRP */
    PVOID ClassContext;      /**< class driver's context */
    PVOID PortContext;       /**< port driver's context */
    PVOID MiniportContext;   /**< the miniport's per-request storage (its SRB extension) */
    struct _STORAGE_REQUEST_BLOCK *NextSrb; /**< request to abort, for ABORT_COMMAND */
    ULONG SrbExDataOffset[ANYSIZE_ARRAY];   /**< offsets of the SRBEX_DATA blocks from the SRB start */
} STORAGE_REQUEST_BLOCK;
/** @brief Pointer to STORAGE_REQUEST_BLOCK. */
typedef STORAGE_REQUEST_BLOCK *PSTORAGE_REQUEST_BLOCK;

/** @brief Size of @p x rounded up to a multiple of the pointer size, as
 *         extended-SRB pieces are laid out (srbhelper.h). */
#define SRB_ALIGN_SIZEOF(x) (((ULONG_PTR)(sizeof(x) + sizeof(PVOID) - 1)) & ~(sizeof(PVOID) - 1))

/** @} */

/** @cond STORSIM_LAYOUT_CHECKS */
_Static_assert(sizeof(STORAGE_REQUEST_BLOCK_HEADER) == 8, "STORAGE_REQUEST_BLOCK_HEADER size (x64)");
_Static_assert(offsetof(STORAGE_REQUEST_BLOCK, Signature) == 8, "SRB_EX Signature offset");
_Static_assert(offsetof(STORAGE_REQUEST_BLOCK, DataBuffer) == 64, "SRB_EX DataBuffer offset (x64)");
_Static_assert(offsetof(STORAGE_REQUEST_BLOCK, MiniportContext) == 104, "SRB_EX MiniportContext offset (x64)");
_Static_assert(offsetof(STORAGE_REQUEST_BLOCK, SrbExDataOffset) == 120, "SRB_EX SrbExDataOffset offset (x64)");
_Static_assert(sizeof(STORAGE_REQUEST_BLOCK) == 128, "SRB_EX size (x64)");
_Static_assert(sizeof(STOR_ADDR_BTL8) == 16, "STOR_ADDR_BTL8 size (x64)");
_Static_assert(offsetof(SRBEX_DATA_SCSI_CDB16, Cdb) == 24, "SRBEX_DATA_SCSI_CDB16 Cdb offset (x64)");
_Static_assert(sizeof(SRBEX_DATA_SCSI_CDB16) == 8 + SRBEX_DATA_SCSI_CDB16_LENGTH, "SRBEX_DATA_SCSI_CDB16 size");
_Static_assert(sizeof(SRBEX_DATA_SCSI_CDB32) == 8 + SRBEX_DATA_SCSI_CDB32_LENGTH, "SRBEX_DATA_SCSI_CDB32 size");
_Static_assert(offsetof(SRBEX_DATA_SCSI_CDB_VAR, Cdb) == 8 + SRBEX_DATA_SCSI_CDB_VAR_LENGTH_MIN, "SRBEX_DATA_SCSI_CDB_VAR Cdb offset");
_Static_assert(sizeof(STOR_DPC) == 72, "STOR_DPC size (x64)");
_Static_assert(sizeof(STOR_LOCK_HANDLE) == 32, "STOR_LOCK_HANDLE size (x64)");
_Static_assert(sizeof(STOR_SCATTER_GATHER_ELEMENT) == 24, "STOR_SCATTER_GATHER_ELEMENT size (x64)");
/** @endcond */

/* ------------------------------------------------------------------------ */

/**
 * @brief Role type of the routine StorPortSynchronizeAccess() runs
 *        (STOR_SYNCHRONIZED_ACCESS callback function).
 *
 * Runs synchronized with HwStorInterrupt: at DIRQL holding the interrupt
 * spin lock. Use it, from a routine that does not hold that lock, to touch
 * state the ISR also touches.
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Context           the Context given to StorPortSynchronizeAccess()
 * @return the value StorPortSynchronizeAccess() returns
 */
typedef BOOLEAN STOR_SYNCHRONIZED_ACCESS(_In_ PVOID HwDeviceExtension, _In_ PVOID Context);
/** @brief Pointer to a STOR_SYNCHRONIZED_ACCESS routine. */
typedef STOR_SYNCHRONIZED_ACCESS *PSTOR_SYNCHRONIZED_ACCESS;

/* ------------------------------------------------------------------------ */
/**
 * @name Storport library routines
 *
 * Implemented by storsim's Storport-style port driver. A miniport's call
 * is recorded with its file and line (see storsim_call_site()).
 */
/** @{ */

/**
 * @brief Registers the miniport with Storport; called from DriverEntry
 *        (StorPortInitialize function).
 *
 * IRQL: PASSIVE_LEVEL.
 *
 * @param[in] Argument1            DriverEntry's first argument (the driver object)
 * @param[in] Argument2            DriverEntry's second argument (the registry path)
 * @param[in] HwInitializationData the miniport's filled-in description
 * @param[in] HwContext            passed on to HwStorFindAdapter, or NULL
 * @return STATUS_SUCCESS (0), or an error status that DriverEntry returns
 */
ULONG StorPortInitialize(_In_ PVOID Argument1, _In_ PVOID Argument2,
                         _In_ struct _HW_INITIALIZATION_DATA *HwInitializationData,
                         _In_opt_ PVOID HwContext);

/**
 * @brief Tells Storport of an event: a completed request, a timer request,
 *        a bus change ... (StorPortNotification function).
 *
 * The arguments after @p HwDeviceExtension depend on @p NotificationType;
 * see SCSI_NOTIFICATION_TYPE. Storport has no NextRequest gating: a
 * miniport completes each SRB with RequestComplete only. IRQL: any level
 * at which the miniport runs; the completion itself is finished later in
 * the port's DPC.
 *
 * @param[in] NotificationType  what happened
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] ...               the notification's arguments
 * @return None.
 */
VOID StorPortNotification(_In_ SCSI_NOTIFICATION_TYPE NotificationType,
                          _In_ PVOID HwDeviceExtension, ...);

/**
 * @brief Asks Storport to call an HW_PASSIVE_INITIALIZE_ROUTINE at
 *        PASSIVE_LEVEL after HwStorInitialize returns
 *        (StorPortEnablePassiveInitialization function).
 *
 * Call only from HwStorInitialize.
 *
 * @param[in] DeviceExtension            the per-HBA extension
 * @param[in] HwPassiveInitializeRoutine the routine to call
 * @return TRUE if the routine will be called, FALSE if not (for example
 *         when called from anywhere but HwStorInitialize)
 */
BOOLEAN StorPortEnablePassiveInitialization(_In_ PVOID DeviceExtension,
                                            _In_ PHW_PASSIVE_INITIALIZE_ROUTINE HwPassiveInitializeRoutine);

/**
 * @brief Acquires a Storport spin lock (StorPortAcquireSpinLock function).
 *
 * Raises the IRQL to the lock's level (DISPATCH_LEVEL for DpcLock and
 * StartIoLock, DIRQL for InterruptLock) and spins until the lock is free.
 * Acquiring a lock already held, or out of order, deadlocks; see
 * STOR_SPINLOCK for which routine may take which lock.
 *
 * @param[in]     DeviceExtension the per-HBA extension
 * @param[in]     SpinLock        which lock
 * @param[in]     LockContext     the STOR_DPC for DpcLock; NULL otherwise
 * @param[in,out] LockHandle      receives the handle to release with
 * @return None.
 */
VOID StorPortAcquireSpinLock(_In_ PVOID DeviceExtension, _In_ STOR_SPINLOCK SpinLock,
                             _In_opt_ PVOID LockContext, _Inout_ PSTOR_LOCK_HANDLE LockHandle);

/**
 * @brief Releases a lock taken with StorPortAcquireSpinLock() and returns
 *        to the IRQL it was taken from (StorPortReleaseSpinLock function).
 *
 * @param[in]     DeviceExtension the per-HBA extension
 * @param[in,out] LockHandle      the handle StorPortAcquireSpinLock() filled
 * @return None.
 */
VOID StorPortReleaseSpinLock(_In_ PVOID DeviceExtension, _Inout_ PSTOR_LOCK_HANDLE LockHandle);

/**
 * @brief Initializes a STOR_DPC (StorPortInitializeDpc function).
 *
 * Call from the HW_PASSIVE_INITIALIZE_ROUTINE (PASSIVE_LEVEL).
 *
 * @param[in]  DeviceExtension the per-HBA extension
 * @param[out] Dpc             the DPC object to initialize
 * @param[in]  HwDpcRoutine    the routine the DPC runs
 * @return None.
 */
VOID StorPortInitializeDpc(_In_ PVOID DeviceExtension, _Out_ PSTOR_DPC Dpc,
                           _In_ PHW_DPC_ROUTINE HwDpcRoutine);

/**
 * @brief Queues a DPC initialized with StorPortInitializeDpc()
 *        (StorPortIssueDpc function).
 *
 * The DPC runs at DISPATCH_LEVEL when the CPU's IRQL drops below it.
 * Queuing a DPC that is already queued does nothing (and returns FALSE),
 * so one STOR_DPC never runs twice at once.
 *
 * @param[in] DeviceExtension the per-HBA extension
 * @param[in] Dpc             the DPC to queue
 * @param[in] SystemArgument1 passed to the DPC routine
 * @param[in] SystemArgument2 passed to the DPC routine
 * @return TRUE if the DPC was queued, FALSE if it already was
 */
BOOLEAN StorPortIssueDpc(_In_ PVOID DeviceExtension, _In_ PSTOR_DPC Dpc,
                         _In_opt_ PVOID SystemArgument1, _In_opt_ PVOID SystemArgument2);

/**
 * @brief Allocates non-paged pool (StorPortAllocatePool function).
 *
 * IRQL: at most DISPATCH_LEVEL, so allowed in HwStorBuildIo and DPCs but
 * not in the ISR.
 *
 * @param[in]  HwDeviceExtension the per-HBA extension
 * @param[in]  NumberOfBytes     bytes wanted
 * @param[in]  Tag               four characters that name the allocation in
 *                               pool statistics, e.g. 0x706D6953 (MSVC code
 *                               writes 'pmiS'; tools show it as "Simp")
 * @param[out] BufferPointer     receives the memory, or NULL
 * @return STOR_STATUS_SUCCESS, or STOR_STATUS_INSUFFICIENT_RESOURCES etc.
 */
ULONG StorPortAllocatePool(_In_ PVOID HwDeviceExtension, _In_ ULONG NumberOfBytes,
                           _In_ ULONG Tag, _Out_ PVOID *BufferPointer);

/**
 * @brief Frees memory from StorPortAllocatePool() (StorPortFreePool
 *        function).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] BufferPointer     the memory to free
 * @return STOR_STATUS_SUCCESS or an error STOR_STATUS_xxx
 */
ULONG StorPortFreePool(_In_ PVOID HwDeviceExtension, _In_ PVOID BufferPointer);

/**
 * @brief Returns the scatter/gather list of an SRB's data buffer, for DMA
 *        (StorPortGetScatterGatherList function).
 *
 * Valid from HwStorBuildIo or HwStorStartIo until the SRB completes. Read
 * and write SRBs have DataBuffer NULL: this list is how the miniport finds
 * their data.
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Srb               the request
 * @return the list, or NULL if the SRB has no data
 */
PSTOR_SCATTER_GATHER_LIST StorPortGetScatterGatherList(_In_ PVOID HwDeviceExtension,
                                                       _In_ PSCSI_REQUEST_BLOCK Srb);

/**
 * @brief Maps an SRB's data buffer to a system virtual address, for PIO
 *        (StorPortGetSystemAddress function).
 *
 * @param[in]  HwDeviceExtension the per-HBA extension
 * @param[in]  Srb               the request
 * @param[out] SystemAddress     receives the virtual address
 * @return STOR_STATUS_SUCCESS, or STOR_STATUS_INSUFFICIENT_RESOURCES etc.
 */
ULONG StorPortGetSystemAddress(_In_ PVOID HwDeviceExtension, _In_ PSCSI_REQUEST_BLOCK Srb,
                               _Outptr_ PVOID *SystemAddress);

/**
 * @brief Translates a virtual address in an SRB's buffers, its extension,
 *        or the uncached extension to a physical address
 *        (StorPortGetPhysicalAddress function).
 *
 * @param[in]  HwDeviceExtension the per-HBA extension
 * @param[in]  Srb               the SRB whose buffer holds @p VirtualAddress,
 *                               or NULL for the uncached extension
 * @param[in]  VirtualAddress    the address to translate
 * @param[out] Length            bytes physically contiguous from there
 * @return the physical address
 */
STOR_PHYSICAL_ADDRESS StorPortGetPhysicalAddress(_In_ PVOID HwDeviceExtension,
                                                 _In_opt_ PSCSI_REQUEST_BLOCK Srb,
                                                 _In_ PVOID VirtualAddress, _Out_ ULONG *Length);

/**
 * @brief Translates a physical address inside the uncached extension to a
 *        virtual address (StorPortGetVirtualAddress function).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] PhysicalAddress   the address to translate
 * @return the virtual address, or NULL
 */
PVOID StorPortGetVirtualAddress(_In_ PVOID HwDeviceExtension,
                                _In_ STOR_PHYSICAL_ADDRESS PhysicalAddress);

/**
 * @brief Allocates memory shared with the HBA by DMA; called from
 *        HwStorFindAdapter (StorPortGetUncachedExtension function).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] ConfigInfo        the configuration passed to HwStorFindAdapter
 * @param[in] NumberOfBytes     bytes wanted
 * @return the virtual address of the memory, or NULL
 */
PVOID StorPortGetUncachedExtension(_In_ PVOID HwDeviceExtension,
                                   _In_ PPORT_CONFIGURATION_INFORMATION ConfigInfo,
                                   _In_ ULONG NumberOfBytes);

/**
 * @brief Busy-waits, spending the CPU's time at its current IRQL
 *        (StorPortStallExecution function).
 *
 * @param[in] Delay microseconds to wait
 * @return None.
 */
VOID StorPortStallExecution(_In_ ULONG Delay);

/**
 * @brief Reads a byte from a mapped memory register
 *        (StorPortReadRegisterUchar function).
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Register          the mapped register address
 * @return the value read
 */
UCHAR StorPortReadRegisterUchar(_In_ PVOID HwDeviceExtension, _In_ PUCHAR Register);

/**
 * @brief Reads a 16-bit mapped memory register
 *        (StorPortReadRegisterUshort function).
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Register          the mapped register address
 * @return the value read
 */
USHORT StorPortReadRegisterUshort(_In_ PVOID HwDeviceExtension, _In_ PUSHORT Register);

/**
 * @brief Reads a 32-bit mapped memory register
 *        (StorPortReadRegisterUlong function).
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Register          the mapped register address
 * @return the value read
 */
ULONG StorPortReadRegisterUlong(_In_ PVOID HwDeviceExtension, _In_ PULONG Register);

/**
 * @brief Reads @p Count ULONGs from a mapped memory register into a buffer
 *        (StorPortReadRegisterBufferUlong function).
 * @param[in]  HwDeviceExtension the per-HBA extension
 * @param[in]  Register          the mapped register address
 * @param[out] Buffer            where the values go
 * @param[in]  Count             number of ULONGs
 * @return None.
 */
VOID StorPortReadRegisterBufferUlong(_In_ PVOID HwDeviceExtension, _In_ PULONG Register,
                                     _In_reads_(Count) PULONG Buffer, _In_ ULONG Count);

/**
 * @brief Writes a byte to a mapped memory register
 *        (StorPortWriteRegisterUchar function).
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Register          the mapped register address
 * @param[in] Value             the value to write
 * @return None.
 */
VOID StorPortWriteRegisterUchar(_In_ PVOID HwDeviceExtension, _In_ PUCHAR Register,
                                _In_ UCHAR Value);

/**
 * @brief Writes a 16-bit mapped memory register
 *        (StorPortWriteRegisterUshort function).
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Register          the mapped register address
 * @param[in] Value             the value to write
 * @return None.
 */
VOID StorPortWriteRegisterUshort(_In_ PVOID HwDeviceExtension, _In_ PUSHORT Register,
                                 _In_ USHORT Value);

/**
 * @brief Writes a 32-bit mapped memory register
 *        (StorPortWriteRegisterUlong function).
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Register          the mapped register address
 * @param[in] Value             the value to write
 * @return None.
 */
VOID StorPortWriteRegisterUlong(_In_ PVOID HwDeviceExtension, _In_ PULONG Register,
                                _In_ ULONG Value);

/**
 * @brief Writes @p Count ULONGs from a buffer to a mapped memory register
 *        (StorPortWriteRegisterBufferUlong function).
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Register          the mapped register address
 * @param[in] Buffer            the values to write
 * @param[in] Count             number of ULONGs
 * @return None.
 */
VOID StorPortWriteRegisterBufferUlong(_In_ PVOID HwDeviceExtension, _In_ PULONG Register,
                                      _In_reads_(Count) PULONG Buffer, _In_ ULONG Count);

/**
 * @brief Reads a byte from a mapped I/O port (StorPortReadPortUchar
 *        function).
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Port              the mapped port address
 * @return the value read
 */
UCHAR StorPortReadPortUchar(_In_ PVOID HwDeviceExtension, _In_ PUCHAR Port);

/**
 * @brief Reads a 16-bit mapped I/O port (StorPortReadPortUshort function).
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Port              the mapped port address
 * @return the value read
 */
USHORT StorPortReadPortUshort(_In_ PVOID HwDeviceExtension, _In_ PUSHORT Port);

/**
 * @brief Reads a 32-bit mapped I/O port (StorPortReadPortUlong function).
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Port              the mapped port address
 * @return the value read
 */
ULONG StorPortReadPortUlong(_In_ PVOID HwDeviceExtension, _In_ PULONG Port);

/**
 * @brief Reads @p Count ULONGs from a mapped I/O port into a buffer: the
 *        PIO data-in loop (StorPortReadPortBufferUlong function).
 * @param[in]  HwDeviceExtension the per-HBA extension
 * @param[in]  Port              the mapped port address
 * @param[out] Buffer            where the values go
 * @param[in]  Count             number of ULONGs
 * @return None.
 */
VOID StorPortReadPortBufferUlong(_In_ PVOID HwDeviceExtension, _In_ PULONG Port,
                                 _In_reads_(Count) PULONG Buffer, _In_ ULONG Count);

/**
 * @brief Writes a byte to a mapped I/O port (StorPortWritePortUchar
 *        function).
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Port              the mapped port address
 * @param[in] Value             the value to write
 * @return None.
 */
VOID StorPortWritePortUchar(_In_ PVOID HwDeviceExtension, _In_ PUCHAR Port, _In_ UCHAR Value);

/**
 * @brief Writes a 16-bit mapped I/O port (StorPortWritePortUshort
 *        function).
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Port              the mapped port address
 * @param[in] Value             the value to write
 * @return None.
 */
VOID StorPortWritePortUshort(_In_ PVOID HwDeviceExtension, _In_ PUSHORT Port,
                             _In_ USHORT Value);

/**
 * @brief Writes a 32-bit mapped I/O port (StorPortWritePortUlong function).
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Port              the mapped port address
 * @param[in] Value             the value to write
 * @return None.
 */
VOID StorPortWritePortUlong(_In_ PVOID HwDeviceExtension, _In_ PULONG Port, _In_ ULONG Value);

/**
 * @brief Writes @p Count ULONGs from a buffer to a mapped I/O port: the
 *        PIO data-out loop (StorPortWritePortBufferUlong function).
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Port              the mapped port address
 * @param[in] Buffer            the values to write
 * @param[in] Count             number of ULONGs
 * @return None.
 */
VOID StorPortWritePortBufferUlong(_In_ PVOID HwDeviceExtension, _In_ PULONG Port,
                                  _In_reads_(Count) PULONG Buffer, _In_ ULONG Count);

/**
 * @brief Tells Storport the adapter is busy: hold new requests until
 *        @p RequestsToComplete outstanding ones complete or StorPortReady()
 *        (StorPortBusy function).
 *
 * @param[in] HwDeviceExtension  the per-HBA extension
 * @param[in] RequestsToComplete completions to wait for before resuming
 * @return TRUE on success
 */
BOOLEAN StorPortBusy(_In_ PVOID HwDeviceExtension, _In_ ULONG RequestsToComplete);

/**
 * @brief Ends a StorPortBusy() state at once (StorPortReady function).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @return TRUE on success
 */
BOOLEAN StorPortReady(_In_ PVOID HwDeviceExtension);

/**
 * @brief Stops all I/O to the adapter for @p Timeout seconds or until
 *        StorPortResume() (StorPortPause function).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] Timeout           seconds to pause
 * @return TRUE on success
 */
BOOLEAN StorPortPause(_In_ PVOID HwDeviceExtension, _In_ ULONG Timeout);

/**
 * @brief Resumes I/O after StorPortPause() (StorPortResume function).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @return TRUE on success
 */
BOOLEAN StorPortResume(_In_ PVOID HwDeviceExtension);

/**
 * @brief Tells Storport one LU is busy: hold its new requests until
 *        @p RequestsToComplete of its requests complete or
 *        StorPortDeviceReady() (StorPortDeviceBusy function).
 *
 * @param[in] HwDeviceExtension  the per-HBA extension
 * @param[in] PathId             bus
 * @param[in] TargetId           target
 * @param[in] Lun                logical unit
 * @param[in] RequestsToComplete completions to wait for before resuming
 * @return TRUE on success
 */
BOOLEAN StorPortDeviceBusy(_In_ PVOID HwDeviceExtension, _In_ UCHAR PathId,
                           _In_ UCHAR TargetId, _In_ UCHAR Lun, _In_ ULONG RequestsToComplete);

/**
 * @brief Ends a StorPortDeviceBusy() state of one LU (StorPortDeviceReady
 *        function).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] PathId            bus
 * @param[in] TargetId          target
 * @param[in] Lun               logical unit
 * @return TRUE on success
 */
BOOLEAN StorPortDeviceReady(_In_ PVOID HwDeviceExtension, _In_ UCHAR PathId,
                            _In_ UCHAR TargetId, _In_ UCHAR Lun);

/**
 * @brief Stops I/O to one LU for @p Timeout seconds or until
 *        StorPortResumeDevice() (StorPortPauseDevice function).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] PathId            bus
 * @param[in] TargetId          target
 * @param[in] Lun               logical unit
 * @param[in] Timeout           seconds to pause
 * @return TRUE on success
 */
BOOLEAN StorPortPauseDevice(_In_ PVOID HwDeviceExtension, _In_ UCHAR PathId,
                            _In_ UCHAR TargetId, _In_ UCHAR Lun, _In_ ULONG Timeout);

/**
 * @brief Resumes I/O to one LU after StorPortPauseDevice()
 *        (StorPortResumeDevice function).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] PathId            bus
 * @param[in] TargetId          target
 * @param[in] Lun               logical unit
 * @return TRUE on success
 */
BOOLEAN StorPortResumeDevice(_In_ PVOID HwDeviceExtension, _In_ UCHAR PathId,
                             _In_ UCHAR TargetId, _In_ UCHAR Lun);

/**
 * @brief Sets how many requests Storport keeps outstanding to one LU
 *        (StorPortSetDeviceQueueDepth function).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] PathId            bus
 * @param[in] TargetId          target
 * @param[in] Lun               logical unit
 * @param[in] Depth             the new queue depth
 * @return TRUE if the depth was set
 */
BOOLEAN StorPortSetDeviceQueueDepth(_In_ PVOID HwDeviceExtension, _In_ UCHAR PathId,
                                    _In_ UCHAR TargetId, _In_ UCHAR Lun, _In_ ULONG Depth);

/**
 * @brief Completes every outstanding request for a bus, target or LU with
 *        the given status, e.g. from HwStorResetBus
 *        (StorPortCompleteRequest function).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] PathId            bus
 * @param[in] TargetId          target, or SP_UNTAGGED for every target
 * @param[in] Lun               logical unit, or SP_UNTAGGED for every LU
 * @param[in] SrbStatus         the SRB_STATUS_xxx to complete them with
 * @return None.
 */
VOID StorPortCompleteRequest(_In_ PVOID HwDeviceExtension, _In_ UCHAR PathId,
                             _In_ UCHAR TargetId, _In_ UCHAR Lun, _In_ UCHAR SrbStatus);

/**
 * @brief Maps a bus-relative address range (an ACCESS_RANGE) into the
 *        address space the miniport uses (StorPortGetDeviceBase function).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] BusType           the bus (AdapterInterfaceType)
 * @param[in] SystemIoBusNumber the bus number
 * @param[in] IoAddress         start of the range
 * @param[in] NumberOfBytes     length of the range
 * @param[in] InIoSpace         TRUE for I/O port space, FALSE for memory
 * @return the mapped base address, or NULL
 */
PVOID StorPortGetDeviceBase(_In_ PVOID HwDeviceExtension, _In_ INTERFACE_TYPE BusType,
                            _In_ ULONG SystemIoBusNumber, _In_ STOR_PHYSICAL_ADDRESS IoAddress,
                            _In_ ULONG NumberOfBytes, _In_ BOOLEAN InIoSpace);

/**
 * @brief Unmaps a range mapped by StorPortGetDeviceBase()
 *        (StorPortFreeDeviceBase function).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] MappedAddress     the address StorPortGetDeviceBase() returned
 * @return None.
 */
VOID StorPortFreeDeviceBase(_In_ PVOID HwDeviceExtension, _In_ PVOID MappedAddress);

/**
 * @brief Returns the miniport's per-LU extension of a logical unit
 *        (StorPortGetLogicalUnit function).
 *
 * @param[in] HwDeviceExtension the per-HBA extension
 * @param[in] PathId            bus
 * @param[in] TargetId          target
 * @param[in] Lun               logical unit
 * @return the LU extension, or NULL if the LU does not exist
 */
PVOID StorPortGetLogicalUnit(_In_ PVOID HwDeviceExtension, _In_ UCHAR PathId,
                             _In_ UCHAR TargetId, _In_ UCHAR Lun);

/**
 * @brief Finds the outstanding SRB with the given address and queue tag
 *        (StorPortGetSrb function).
 *
 * @param[in] DeviceExtension the per-HBA extension
 * @param[in] PathId          bus of the SRB
 * @param[in] TargetId        target of the SRB
 * @param[in] Lun             logical unit of the SRB
 * @param[in] QueueTag        its queue tag
 * @return the SRB, or NULL if there is none
 */
PSCSI_REQUEST_BLOCK StorPortGetSrb(_In_ PVOID DeviceExtension, _In_ UCHAR PathId,
                                   _In_ UCHAR TargetId, _In_ UCHAR Lun, _In_ LONG QueueTag);

/**
 * @brief Copies memory, like memmove (StorPortMoveMemory function).
 *
 * @param[out] WriteBuffer destination
 * @param[in]  ReadBuffer  source
 * @param[in]  Length      bytes to copy
 * @return None.
 */
VOID StorPortMoveMemory(_Out_writes_bytes_(Length) PVOID WriteBuffer,
                        _In_reads_bytes_(Length) PVOID ReadBuffer, _In_ ULONG Length);

/**
 * @brief Writes an entry to the system error log (StorPortLogError
 *        function).
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
VOID StorPortLogError(_In_ PVOID HwDeviceExtension, _In_opt_ PSCSI_REQUEST_BLOCK Srb,
                      _In_ UCHAR PathId, _In_ UCHAR TargetId, _In_ UCHAR Lun,
                      _In_ ULONG ErrorCode, _In_ ULONG UniqueId);

/**
 * @brief Runs a routine synchronized with HwStorInterrupt
 *        (StorPortSynchronizeAccess function).
 *
 * @param[in] HwDeviceExtension         the per-HBA extension
 * @param[in] SynchronizedAccessRoutine the routine to run at DIRQL holding
 *                                      the interrupt spin lock
 * @param[in] Context                   passed to the routine
 * @return what the routine returned
 */
BOOLEAN StorPortSynchronizeAccess(_In_ PVOID HwDeviceExtension,
                                  _In_ PSTOR_SYNCHRONIZED_ACCESS SynchronizedAccessRoutine,
                                  _In_opt_ PVOID Context);

/**
 * @brief Widens a ULONG_PTR address to a STOR_PHYSICAL_ADDRESS
 *        (StorPortConvertUlongToPhysicalAddress function).
 *
 * @param[in] UlongAddress the address
 * @return the same address as a STOR_PHYSICAL_ADDRESS
 */
STOR_PHYSICAL_ADDRESS StorPortConvertUlongToPhysicalAddress(_In_ ULONG_PTR UlongAddress);

/**
 * @brief Truncates a STOR_PHYSICAL_ADDRESS to its low 32 bits
 *        (StorPortConvertPhysicalAddressToUlong function).
 *
 * @param[in] Address the address
 * @return its LowPart
 */
ULONG StorPortConvertPhysicalAddressToUlong(_In_ STOR_PHYSICAL_ADDRESS Address);

/** @} */

/* ------------------------------------------------------------------------ */
/**
 * @name SRB accessors (srbhelper.h)
 *
 * Each takes either SRB kind and decides by the Function byte, which both
 * kinds keep at offset 2: SRB_FUNCTION_STORAGE_REQUEST_BLOCK means a
 * STORAGE_REQUEST_BLOCK. For that kind the address comes from its
 * STOR_ADDR_BTL8 and the SCSI fields (CDB, SCSI status, sense buffer) from
 * its first SRBEX_DATA_SCSI_CDB16, _CDB32 or _CDB_VAR block. Only the
 * Function byte is read before the kind is known, so a SCSI_REQUEST_BLOCK
 * is never read past its end. These are not port-library calls: they cost
 * no simulated time and are not recorded as call sites.
 */
/** @{ */

/*
 * Two things about GCC shape this block. Its type-based alias analysis
 * assumes that two different structure types never overlap, but an SRB
 * pointer may address either kind: so the Function byte is read as a plain
 * byte, the SRBEX_DATA Type with memcpy, and a field is read through the
 * SRB type the Function byte announced. And its -Warray-bounds reports the
 * STORAGE_REQUEST_BLOCK branch whenever it can see that the object is a
 * (smaller) SCSI_REQUEST_BLOCK, though that branch never runs for one; the
 * warning is off for this block.
 */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#endif

/**
 * @brief Whether @p Srb is a STORAGE_REQUEST_BLOCK: its Function byte is
 *        SRB_FUNCTION_STORAGE_REQUEST_BLOCK (storsim helper; srbhelper.h
 *        writes the same test inline in every accessor).
 *
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return TRUE for a STORAGE_REQUEST_BLOCK, FALSE for a SCSI_REQUEST_BLOCK
 */
static inline BOOLEAN
storsim_srb_is_extended(_In_ PVOID Srb)
{
    /* Function is byte 2 of both kinds; a character read may alias either. */
    return ((PUCHAR)Srb)[offsetof(SCSI_REQUEST_BLOCK, Function)] == SRB_FUNCTION_STORAGE_REQUEST_BLOCK;
}

/**
 * @brief Returns extended data block @p SrbExDataIndex of an extended SRB
 *        (SrbGetSrbExDataByIndex, srbhelper.h).
 *
 * @param[in] Srb            the extended SRB
 * @param[in] SrbExDataIndex index into SrbExDataOffset
 * @return the block, or NULL if @p Srb is not an extended SRB or the index
 *         or its offset is out of range
 */
static inline PSRBEX_DATA
SrbGetSrbExDataByIndex(_In_ PSTORAGE_REQUEST_BLOCK Srb, _In_ ULONG SrbExDataIndex)
{
    ULONG offset;

    if (!storsim_srb_is_extended(Srb) || SrbExDataIndex >= Srb->NumSrbExData)
        return NULL;
    offset = Srb->SrbExDataOffset[SrbExDataIndex];
    /* An offset must point past the fixed part and inside the SRB. */
    if (offset < sizeof(STORAGE_REQUEST_BLOCK) || offset >= Srb->SrbLength)
        return NULL;
    return (PSRBEX_DATA)((PUCHAR)Srb + offset);
}

/**
 * @brief Returns the STOR_ADDRESS of an extended SRB (SrbGetAddress,
 *        srbhelper.h).
 *
 * @param[in] Srb the extended SRB
 * @return its address, or NULL if it is not an extended SRB or has none
 */
static inline PSTOR_ADDRESS
SrbGetAddress(_In_ PSTORAGE_REQUEST_BLOCK Srb)
{
    if (!storsim_srb_is_extended(Srb) || Srb->AddressOffset == 0)
        return NULL;
    return (PSTOR_ADDRESS)((PUCHAR)Srb + Srb->AddressOffset);
}

/**
 * @brief Reads the SCSI fields of an extended EXECUTE_SCSI SRB from its
 *        first CDB data block (SrbGetScsiData, srbhelper.h).
 *
 * Each output pointer may be NULL. If @p SrbEx is not an extended
 * EXECUTE_SCSI SRB the outputs are set to 0, SCSISTAT_GOOD and NULL.
 *
 * @param[in]  SrbEx                 the extended SRB
 * @param[out] CdbLength8            CDB length of a CDB16 or CDB32 block
 * @param[out] CdbLength32           CDB length of a CDB_VAR block
 * @param[out] ScsiStatus            the SCSI status
 * @param[out] SenseInfoBuffer       the sense buffer
 * @param[out] SenseInfoBufferLength the sense buffer length
 * @return the CDB, or NULL if there is none
 */
static inline PCDB
SrbGetScsiData(_In_ PSTORAGE_REQUEST_BLOCK SrbEx, _Out_opt_ PUCHAR CdbLength8,
               _Out_opt_ PULONG CdbLength32, _Out_opt_ PUCHAR ScsiStatus,
               _Out_opt_ PVOID *SenseInfoBuffer, _Out_opt_ PUCHAR SenseInfoBufferLength)
{
    ULONG i;

    if (storsim_srb_is_extended(SrbEx) && SrbEx->SrbFunction == SRB_FUNCTION_EXECUTE_SCSI) {
        for (i = 0; i < SrbEx->NumSrbExData; i++) {
            PSRBEX_DATA data = SrbGetSrbExDataByIndex(SrbEx, i);
            SRBEXDATATYPE type;
            ULONG room;

            if (data == NULL)
                continue;
            memcpy(&type, data, sizeof(type));   /* the Type field of any SRBEX_DATA_xxx */
            room = SrbEx->SrbLength - SrbEx->SrbExDataOffset[i];
            if (type == SrbExDataTypeScsiCdb16 && room >= sizeof(SRBEX_DATA_SCSI_CDB16)) {
                PSRBEX_DATA_SCSI_CDB16 d = (PSRBEX_DATA_SCSI_CDB16)data;
                if (CdbLength8) *CdbLength8 = d->CdbLength;
                if (ScsiStatus) *ScsiStatus = d->ScsiStatus;
                if (SenseInfoBuffer) *SenseInfoBuffer = d->SenseInfoBuffer;
                if (SenseInfoBufferLength) *SenseInfoBufferLength = d->SenseInfoBufferLength;
                return d->CdbLength > 0 ? (PCDB)d->Cdb : NULL;
            }
            if (type == SrbExDataTypeScsiCdb32 && room >= sizeof(SRBEX_DATA_SCSI_CDB32)) {
                PSRBEX_DATA_SCSI_CDB32 d = (PSRBEX_DATA_SCSI_CDB32)data;
                if (CdbLength8) *CdbLength8 = d->CdbLength;
                if (ScsiStatus) *ScsiStatus = d->ScsiStatus;
                if (SenseInfoBuffer) *SenseInfoBuffer = d->SenseInfoBuffer;
                if (SenseInfoBufferLength) *SenseInfoBufferLength = d->SenseInfoBufferLength;
                return d->CdbLength > 0 ? (PCDB)d->Cdb : NULL;
            }
            if (type == SrbExDataTypeScsiCdbVar && room >= sizeof(SRBEX_DATA_SCSI_CDB_VAR)) {
                PSRBEX_DATA_SCSI_CDB_VAR d = (PSRBEX_DATA_SCSI_CDB_VAR)data;
                if (CdbLength32) *CdbLength32 = d->CdbLength;
                if (ScsiStatus) *ScsiStatus = d->ScsiStatus;
                if (SenseInfoBuffer) *SenseInfoBuffer = d->SenseInfoBuffer;
                if (SenseInfoBufferLength) *SenseInfoBufferLength = d->SenseInfoBufferLength;
                return d->CdbLength > 0 ? (PCDB)d->Cdb : NULL;
            }
        }
        return NULL;
    }
    if (CdbLength8) *CdbLength8 = 0;
    if (CdbLength32) *CdbLength32 = 0;
    if (ScsiStatus) *ScsiStatus = SCSISTAT_GOOD;
    if (SenseInfoBuffer) *SenseInfoBuffer = NULL;
    if (SenseInfoBufferLength) *SenseInfoBufferLength = 0;
    return NULL;
}

/**
 * @brief Writes the SCSI fields of an extended EXECUTE_SCSI SRB into its
 *        first CDB data block (SrbSetScsiData, srbhelper.h).
 *
 * Each input pointer may be NULL, meaning "leave that field alone".
 *
 * @param[in] SrbEx                 the extended SRB
 * @param[in] CdbLength8            new CDB length of a CDB16 or CDB32 block
 * @param[in] CdbLength32           new CDB length of a CDB_VAR block
 * @param[in] ScsiStatus            new SCSI status
 * @param[in] SenseInfoBuffer       new sense buffer
 * @param[in] SenseInfoBufferLength new sense buffer length
 * @return None.
 */
static inline VOID
SrbSetScsiData(_In_ PSTORAGE_REQUEST_BLOCK SrbEx, _In_opt_ PUCHAR CdbLength8,
               _In_opt_ PULONG CdbLength32, _In_opt_ PUCHAR ScsiStatus,
               _In_opt_ PVOID *SenseInfoBuffer, _In_opt_ PUCHAR SenseInfoBufferLength)
{
    ULONG i;

    if (!storsim_srb_is_extended(SrbEx) || SrbEx->SrbFunction != SRB_FUNCTION_EXECUTE_SCSI)
        return;
    for (i = 0; i < SrbEx->NumSrbExData; i++) {
        PSRBEX_DATA data = SrbGetSrbExDataByIndex(SrbEx, i);
        SRBEXDATATYPE type;
        ULONG room;

        if (data == NULL)
            continue;
        memcpy(&type, data, sizeof(type));   /* the Type field of any SRBEX_DATA_xxx */
        room = SrbEx->SrbLength - SrbEx->SrbExDataOffset[i];
        if (type == SrbExDataTypeScsiCdb16 && room >= sizeof(SRBEX_DATA_SCSI_CDB16)) {
            PSRBEX_DATA_SCSI_CDB16 d = (PSRBEX_DATA_SCSI_CDB16)data;
            if (CdbLength8) d->CdbLength = *CdbLength8;
            if (ScsiStatus) d->ScsiStatus = *ScsiStatus;
            if (SenseInfoBuffer) d->SenseInfoBuffer = *SenseInfoBuffer;
            if (SenseInfoBufferLength) d->SenseInfoBufferLength = *SenseInfoBufferLength;
            return;
        }
        if (type == SrbExDataTypeScsiCdb32 && room >= sizeof(SRBEX_DATA_SCSI_CDB32)) {
            PSRBEX_DATA_SCSI_CDB32 d = (PSRBEX_DATA_SCSI_CDB32)data;
            if (CdbLength8) d->CdbLength = *CdbLength8;
            if (ScsiStatus) d->ScsiStatus = *ScsiStatus;
            if (SenseInfoBuffer) d->SenseInfoBuffer = *SenseInfoBuffer;
            if (SenseInfoBufferLength) d->SenseInfoBufferLength = *SenseInfoBufferLength;
            return;
        }
        if (type == SrbExDataTypeScsiCdbVar && room >= sizeof(SRBEX_DATA_SCSI_CDB_VAR)) {
            PSRBEX_DATA_SCSI_CDB_VAR d = (PSRBEX_DATA_SCSI_CDB_VAR)data;
            if (CdbLength32) d->CdbLength = *CdbLength32;
            if (ScsiStatus) d->ScsiStatus = *ScsiStatus;
            if (SenseInfoBuffer) d->SenseInfoBuffer = *SenseInfoBuffer;
            if (SenseInfoBufferLength) d->SenseInfoBufferLength = *SenseInfoBufferLength;
            return;
        }
    }
}

/**
 * @brief The SRB function of either SRB kind (SrbGetSrbFunction).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return Function, or SrbFunction for an extended SRB
 */
static inline ULONG
SrbGetSrbFunction(_In_ PVOID Srb)
{
    if (storsim_srb_is_extended(Srb))
        return ((PSTORAGE_REQUEST_BLOCK)Srb)->SrbFunction;
    return ((PSCSI_REQUEST_BLOCK)Srb)->Function;
}

/**
 * @brief The CDB of either SRB kind (SrbGetCdb).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return the CDB, or NULL if an extended SRB carries none
 */
static inline PCDB
SrbGetCdb(_In_ PVOID Srb)
{
    if (storsim_srb_is_extended(Srb))
        return SrbGetScsiData((PSTORAGE_REQUEST_BLOCK)Srb, NULL, NULL, NULL, NULL, NULL);
    return (PCDB)((PSCSI_REQUEST_BLOCK)Srb)->Cdb;
}

/**
 * @brief The CDB length of either SRB kind (SrbGetCdbLength).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return CdbLength (0 for an extended SRB with a variable-length CDB)
 */
static inline UCHAR
SrbGetCdbLength(_In_ PVOID Srb)
{
    UCHAR length = 0;

    if (storsim_srb_is_extended(Srb))
        (void)SrbGetScsiData((PSTORAGE_REQUEST_BLOCK)Srb, &length, NULL, NULL, NULL, NULL);
    else
        length = ((PSCSI_REQUEST_BLOCK)Srb)->CdbLength;
    return length;
}

/**
 * @brief The data buffer of either SRB kind (SrbGetDataBuffer).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return DataBuffer
 */
static inline PVOID
SrbGetDataBuffer(_In_ PVOID Srb)
{
    if (storsim_srb_is_extended(Srb))
        return ((PSTORAGE_REQUEST_BLOCK)Srb)->DataBuffer;
    return ((PSCSI_REQUEST_BLOCK)Srb)->DataBuffer;
}

/**
 * @brief Sets the data buffer of either SRB kind (SrbSetDataBuffer).
 * @param[in] Srb        a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @param[in] DataBuffer the new buffer
 * @return None.
 */
static inline VOID
SrbSetDataBuffer(_In_ PVOID Srb, _In_opt_ PVOID DataBuffer)
{
    if (storsim_srb_is_extended(Srb))
        ((PSTORAGE_REQUEST_BLOCK)Srb)->DataBuffer = DataBuffer;
    else
        ((PSCSI_REQUEST_BLOCK)Srb)->DataBuffer = DataBuffer;
}

/**
 * @brief The transfer length of either SRB kind (SrbGetDataTransferLength).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return DataTransferLength
 */
static inline ULONG
SrbGetDataTransferLength(_In_ PVOID Srb)
{
    if (storsim_srb_is_extended(Srb))
        return ((PSTORAGE_REQUEST_BLOCK)Srb)->DataTransferLength;
    return ((PSCSI_REQUEST_BLOCK)Srb)->DataTransferLength;
}

/**
 * @brief Sets the transfer length of either SRB kind, e.g. to the bytes
 *        actually moved on an underrun (SrbSetDataTransferLength).
 * @param[in] Srb                a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @param[in] DataTransferLength the new length
 * @return None.
 */
static inline VOID
SrbSetDataTransferLength(_In_ PVOID Srb, _In_ ULONG DataTransferLength)
{
    if (storsim_srb_is_extended(Srb))
        ((PSTORAGE_REQUEST_BLOCK)Srb)->DataTransferLength = DataTransferLength;
    else
        ((PSCSI_REQUEST_BLOCK)Srb)->DataTransferLength = DataTransferLength;
}

/**
 * @brief The SRB status of either SRB kind (SrbGetSrbStatus).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return SrbStatus, flag bits included (mask with SRB_STATUS())
 */
static inline UCHAR
SrbGetSrbStatus(_In_ PVOID Srb)
{
    if (storsim_srb_is_extended(Srb))
        return ((PSTORAGE_REQUEST_BLOCK)Srb)->SrbStatus;
    return ((PSCSI_REQUEST_BLOCK)Srb)->SrbStatus;
}

/**
 * @brief Sets the SRB status of either SRB kind (SrbSetSrbStatus).
 *
 * As in srbhelper.h, an SRB_STATUS_AUTOSENSE_VALID bit already set is kept.
 *
 * @param[in] Srb    a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @param[in] status the new SRB_STATUS_xxx
 * @return None.
 */
static inline VOID
SrbSetSrbStatus(_In_ PVOID Srb, _In_ UCHAR status)
{
    PUCHAR field = storsim_srb_is_extended(Srb) ? &((PSTORAGE_REQUEST_BLOCK)Srb)->SrbStatus
                                                : &((PSCSI_REQUEST_BLOCK)Srb)->SrbStatus;

    if (*field & SRB_STATUS_AUTOSENSE_VALID)
        *field = (UCHAR)(status | SRB_STATUS_AUTOSENSE_VALID);
    else
        *field = status;
}

/**
 * @brief The SCSI status of either SRB kind (SrbGetScsiStatus).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return ScsiStatus (SCSISTAT_GOOD if an extended SRB has no CDB block)
 */
static inline UCHAR
SrbGetScsiStatus(_In_ PVOID Srb)
{
    UCHAR status = SCSISTAT_GOOD;

    if (storsim_srb_is_extended(Srb))
        (void)SrbGetScsiData((PSTORAGE_REQUEST_BLOCK)Srb, NULL, NULL, &status, NULL, NULL);
    else
        status = ((PSCSI_REQUEST_BLOCK)Srb)->ScsiStatus;
    return status;
}

/**
 * @brief Sets the SCSI status of either SRB kind (SrbSetScsiStatus).
 * @param[in] Srb        a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @param[in] ScsiStatus the new SCSISTAT_xxx
 * @return None.
 */
static inline VOID
SrbSetScsiStatus(_In_ PVOID Srb, _In_ UCHAR ScsiStatus)
{
    if (storsim_srb_is_extended(Srb))
        SrbSetScsiData((PSTORAGE_REQUEST_BLOCK)Srb, NULL, NULL, &ScsiStatus, NULL, NULL);
    else
        ((PSCSI_REQUEST_BLOCK)Srb)->ScsiStatus = ScsiStatus;
}

/**
 * @brief The sense buffer of either SRB kind (SrbGetSenseInfoBuffer).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return SenseInfoBuffer, or NULL
 */
static inline PVOID
SrbGetSenseInfoBuffer(_In_ PVOID Srb)
{
    PVOID buffer = NULL;

    if (storsim_srb_is_extended(Srb))
        (void)SrbGetScsiData((PSTORAGE_REQUEST_BLOCK)Srb, NULL, NULL, NULL, &buffer, NULL);
    else
        buffer = ((PSCSI_REQUEST_BLOCK)Srb)->SenseInfoBuffer;
    return buffer;
}

/**
 * @brief The sense buffer length of either SRB kind
 *        (SrbGetSenseInfoBufferLength).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return SenseInfoBufferLength
 */
static inline UCHAR
SrbGetSenseInfoBufferLength(_In_ PVOID Srb)
{
    UCHAR length = 0;

    if (storsim_srb_is_extended(Srb))
        (void)SrbGetScsiData((PSTORAGE_REQUEST_BLOCK)Srb, NULL, NULL, NULL, NULL, &length);
    else
        length = ((PSCSI_REQUEST_BLOCK)Srb)->SenseInfoBufferLength;
    return length;
}

/**
 * @brief The flags of either SRB kind (SrbGetSrbFlags).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return SrbFlags
 */
static inline ULONG
SrbGetSrbFlags(_In_ PVOID Srb)
{
    if (storsim_srb_is_extended(Srb))
        return ((PSTORAGE_REQUEST_BLOCK)Srb)->SrbFlags;
    return ((PSCSI_REQUEST_BLOCK)Srb)->SrbFlags;
}

/**
 * @brief The timeout of either SRB kind (SrbGetTimeOutValue).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return TimeOutValue in seconds
 */
static inline ULONG
SrbGetTimeOutValue(_In_ PVOID Srb)
{
    if (storsim_srb_is_extended(Srb))
        return ((PSTORAGE_REQUEST_BLOCK)Srb)->TimeOutValue;
    return ((PSCSI_REQUEST_BLOCK)Srb)->TimeOutValue;
}

/**
 * @brief The miniport's per-request storage of either SRB kind: the
 *        SrbExtension of a SCSI_REQUEST_BLOCK, the MiniportContext of a
 *        STORAGE_REQUEST_BLOCK (SrbGetMiniportContext).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return the SRB extension
 */
static inline PVOID
SrbGetMiniportContext(_In_ PVOID Srb)
{
    if (storsim_srb_is_extended(Srb))
        return ((PSTORAGE_REQUEST_BLOCK)Srb)->MiniportContext;
    return ((PSCSI_REQUEST_BLOCK)Srb)->SrbExtension;
}

/**
 * @brief Bus, target and LU of either SRB kind in one call
 *        (SrbGetPathTargetLun). Each output pointer may be NULL.
 * @param[in]  Srb      a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @param[out] PathId   receives the bus
 * @param[out] TargetId receives the target
 * @param[out] Lun      receives the logical unit
 * @return None.
 */
static inline VOID
SrbGetPathTargetLun(_In_ PVOID Srb, _Out_opt_ PUCHAR PathId, _Out_opt_ PUCHAR TargetId,
                    _Out_opt_ PUCHAR Lun)
{
    if (storsim_srb_is_extended(Srb)) {
        /* BTL8 is the only address scheme; anything else leaves the outputs alone. */
        PSTOR_ADDR_BTL8 btl = (PSTOR_ADDR_BTL8)SrbGetAddress((PSTORAGE_REQUEST_BLOCK)Srb);

        if (btl != NULL && btl->Type == STOR_ADDRESS_TYPE_BTL8) {
            if (PathId) *PathId = btl->Path;
            if (TargetId) *TargetId = btl->Target;
            if (Lun) *Lun = btl->Lun;
        }
        return;
    }
    if (PathId) *PathId = ((PSCSI_REQUEST_BLOCK)Srb)->PathId;
    if (TargetId) *TargetId = ((PSCSI_REQUEST_BLOCK)Srb)->TargetId;
    if (Lun) *Lun = ((PSCSI_REQUEST_BLOCK)Srb)->Lun;
}

/**
 * @brief The bus (path) of either SRB kind (SrbGetPathId).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return PathId (0 if an extended SRB has no BTL8 address)
 */
static inline UCHAR
SrbGetPathId(_In_ PVOID Srb)
{
    UCHAR path = 0;

    SrbGetPathTargetLun(Srb, &path, NULL, NULL);
    return path;
}

/**
 * @brief The target of either SRB kind (SrbGetTargetId).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return TargetId (0 if an extended SRB has no BTL8 address)
 */
static inline UCHAR
SrbGetTargetId(_In_ PVOID Srb)
{
    UCHAR target = 0;

    SrbGetPathTargetLun(Srb, NULL, &target, NULL);
    return target;
}

/**
 * @brief The logical unit of either SRB kind (SrbGetLun).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return Lun (0 if an extended SRB has no BTL8 address)
 */
static inline UCHAR
SrbGetLun(_In_ PVOID Srb)
{
    UCHAR lun = 0;

    SrbGetPathTargetLun(Srb, NULL, NULL, &lun);
    return lun;
}

/**
 * @brief The queue tag of either SRB kind (SrbGetQueueTag).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return QueueTag, or RequestTag for an extended SRB
 */
static inline ULONG
SrbGetQueueTag(_In_ PVOID Srb)
{
    if (storsim_srb_is_extended(Srb))
        return ((PSTORAGE_REQUEST_BLOCK)Srb)->RequestTag;
    return ((PSCSI_REQUEST_BLOCK)Srb)->QueueTag;
}

/**
 * @brief The queue action of either SRB kind (SrbGetRequestAttribute).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return QueueAction, or RequestAttribute for an extended SRB
 */
static inline ULONG
SrbGetRequestAttribute(_In_ PVOID Srb)
{
    if (storsim_srb_is_extended(Srb))
        return ((PSTORAGE_REQUEST_BLOCK)Srb)->RequestAttribute;
    return ((PSCSI_REQUEST_BLOCK)Srb)->QueueAction;
}

/**
 * @brief The IRP behind either SRB kind (SrbGetOriginalRequest).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return OriginalRequest
 */
static inline PVOID
SrbGetOriginalRequest(_In_ PVOID Srb)
{
    if (storsim_srb_is_extended(Srb))
        return ((PSTORAGE_REQUEST_BLOCK)Srb)->OriginalRequest;
    return ((PSCSI_REQUEST_BLOCK)Srb)->OriginalRequest;
}

/**
 * @brief The size of either SRB kind (SrbGetSrbLength).
 * @param[in] Srb a SCSI_REQUEST_BLOCK or STORAGE_REQUEST_BLOCK
 * @return SrbLength, or sizeof(SCSI_REQUEST_BLOCK)
 */
static inline ULONG
SrbGetSrbLength(_In_ PVOID Srb)
{
    if (storsim_srb_is_extended(Srb))
        return ((PSTORAGE_REQUEST_BLOCK)Srb)->SrbLength;
    return (ULONG)sizeof(SCSI_REQUEST_BLOCK);
}

#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

/** @} */

/*
 * Call sites: as in srb.h, each macro records the caller's file and line and
 * then calls the routine of the same name. Doxygen skips this block.
 */
#ifndef STORSIM_NO_CALL_SITES
/** @cond STORSIM_CALL_SITES */
#define StorPortInitialize(Argument1, Argument2, HwInitializationData, HwContext) \
    (STORSIM_CALL_SITE(), StorPortInitialize(Argument1, Argument2, HwInitializationData, HwContext))
#define StorPortNotification(...) \
    (STORSIM_CALL_SITE(), StorPortNotification(__VA_ARGS__))
#define StorPortEnablePassiveInitialization(DeviceExtension, HwPassiveInitializeRoutine) \
    (STORSIM_CALL_SITE(), StorPortEnablePassiveInitialization(DeviceExtension, HwPassiveInitializeRoutine))
#define StorPortAcquireSpinLock(DeviceExtension, SpinLock, LockContext, LockHandle) \
    (STORSIM_CALL_SITE(), StorPortAcquireSpinLock(DeviceExtension, SpinLock, LockContext, LockHandle))
#define StorPortReleaseSpinLock(DeviceExtension, LockHandle) \
    (STORSIM_CALL_SITE(), StorPortReleaseSpinLock(DeviceExtension, LockHandle))
#define StorPortInitializeDpc(DeviceExtension, Dpc, HwDpcRoutine) \
    (STORSIM_CALL_SITE(), StorPortInitializeDpc(DeviceExtension, Dpc, HwDpcRoutine))
#define StorPortIssueDpc(DeviceExtension, Dpc, SystemArgument1, SystemArgument2) \
    (STORSIM_CALL_SITE(), StorPortIssueDpc(DeviceExtension, Dpc, SystemArgument1, SystemArgument2))
#define StorPortAllocatePool(HwDeviceExtension, NumberOfBytes, Tag, BufferPointer) \
    (STORSIM_CALL_SITE(), StorPortAllocatePool(HwDeviceExtension, NumberOfBytes, Tag, BufferPointer))
#define StorPortFreePool(HwDeviceExtension, BufferPointer) \
    (STORSIM_CALL_SITE(), StorPortFreePool(HwDeviceExtension, BufferPointer))
#define StorPortGetScatterGatherList(HwDeviceExtension, Srb) \
    (STORSIM_CALL_SITE(), StorPortGetScatterGatherList(HwDeviceExtension, Srb))
#define StorPortGetSystemAddress(HwDeviceExtension, Srb, SystemAddress) \
    (STORSIM_CALL_SITE(), StorPortGetSystemAddress(HwDeviceExtension, Srb, SystemAddress))
#define StorPortGetPhysicalAddress(HwDeviceExtension, Srb, VirtualAddress, Length) \
    (STORSIM_CALL_SITE(), StorPortGetPhysicalAddress(HwDeviceExtension, Srb, VirtualAddress, Length))
#define StorPortGetVirtualAddress(HwDeviceExtension, PhysicalAddress) \
    (STORSIM_CALL_SITE(), StorPortGetVirtualAddress(HwDeviceExtension, PhysicalAddress))
#define StorPortGetUncachedExtension(HwDeviceExtension, ConfigInfo, NumberOfBytes) \
    (STORSIM_CALL_SITE(), StorPortGetUncachedExtension(HwDeviceExtension, ConfigInfo, NumberOfBytes))
#define StorPortStallExecution(Delay) \
    (STORSIM_CALL_SITE(), StorPortStallExecution(Delay))
#define StorPortReadRegisterUchar(HwDeviceExtension, Register) \
    (STORSIM_CALL_SITE(), StorPortReadRegisterUchar(HwDeviceExtension, Register))
#define StorPortReadRegisterUshort(HwDeviceExtension, Register) \
    (STORSIM_CALL_SITE(), StorPortReadRegisterUshort(HwDeviceExtension, Register))
#define StorPortReadRegisterUlong(HwDeviceExtension, Register) \
    (STORSIM_CALL_SITE(), StorPortReadRegisterUlong(HwDeviceExtension, Register))
#define StorPortReadRegisterBufferUlong(HwDeviceExtension, Register, Buffer, Count) \
    (STORSIM_CALL_SITE(), StorPortReadRegisterBufferUlong(HwDeviceExtension, Register, Buffer, Count))
#define StorPortWriteRegisterUchar(HwDeviceExtension, Register, Value) \
    (STORSIM_CALL_SITE(), StorPortWriteRegisterUchar(HwDeviceExtension, Register, Value))
#define StorPortWriteRegisterUshort(HwDeviceExtension, Register, Value) \
    (STORSIM_CALL_SITE(), StorPortWriteRegisterUshort(HwDeviceExtension, Register, Value))
#define StorPortWriteRegisterUlong(HwDeviceExtension, Register, Value) \
    (STORSIM_CALL_SITE(), StorPortWriteRegisterUlong(HwDeviceExtension, Register, Value))
#define StorPortWriteRegisterBufferUlong(HwDeviceExtension, Register, Buffer, Count) \
    (STORSIM_CALL_SITE(), StorPortWriteRegisterBufferUlong(HwDeviceExtension, Register, Buffer, Count))
#define StorPortReadPortUchar(HwDeviceExtension, Port) \
    (STORSIM_CALL_SITE(), StorPortReadPortUchar(HwDeviceExtension, Port))
#define StorPortReadPortUshort(HwDeviceExtension, Port) \
    (STORSIM_CALL_SITE(), StorPortReadPortUshort(HwDeviceExtension, Port))
#define StorPortReadPortUlong(HwDeviceExtension, Port) \
    (STORSIM_CALL_SITE(), StorPortReadPortUlong(HwDeviceExtension, Port))
#define StorPortReadPortBufferUlong(HwDeviceExtension, Port, Buffer, Count) \
    (STORSIM_CALL_SITE(), StorPortReadPortBufferUlong(HwDeviceExtension, Port, Buffer, Count))
#define StorPortWritePortUchar(HwDeviceExtension, Port, Value) \
    (STORSIM_CALL_SITE(), StorPortWritePortUchar(HwDeviceExtension, Port, Value))
#define StorPortWritePortUshort(HwDeviceExtension, Port, Value) \
    (STORSIM_CALL_SITE(), StorPortWritePortUshort(HwDeviceExtension, Port, Value))
#define StorPortWritePortUlong(HwDeviceExtension, Port, Value) \
    (STORSIM_CALL_SITE(), StorPortWritePortUlong(HwDeviceExtension, Port, Value))
#define StorPortWritePortBufferUlong(HwDeviceExtension, Port, Buffer, Count) \
    (STORSIM_CALL_SITE(), StorPortWritePortBufferUlong(HwDeviceExtension, Port, Buffer, Count))
#define StorPortBusy(HwDeviceExtension, RequestsToComplete) \
    (STORSIM_CALL_SITE(), StorPortBusy(HwDeviceExtension, RequestsToComplete))
#define StorPortReady(HwDeviceExtension) \
    (STORSIM_CALL_SITE(), StorPortReady(HwDeviceExtension))
#define StorPortPause(HwDeviceExtension, Timeout) \
    (STORSIM_CALL_SITE(), StorPortPause(HwDeviceExtension, Timeout))
#define StorPortResume(HwDeviceExtension) \
    (STORSIM_CALL_SITE(), StorPortResume(HwDeviceExtension))
#define StorPortDeviceBusy(HwDeviceExtension, PathId, TargetId, Lun, RequestsToComplete) \
    (STORSIM_CALL_SITE(), StorPortDeviceBusy(HwDeviceExtension, PathId, TargetId, Lun, RequestsToComplete))
#define StorPortDeviceReady(HwDeviceExtension, PathId, TargetId, Lun) \
    (STORSIM_CALL_SITE(), StorPortDeviceReady(HwDeviceExtension, PathId, TargetId, Lun))
#define StorPortPauseDevice(HwDeviceExtension, PathId, TargetId, Lun, Timeout) \
    (STORSIM_CALL_SITE(), StorPortPauseDevice(HwDeviceExtension, PathId, TargetId, Lun, Timeout))
#define StorPortResumeDevice(HwDeviceExtension, PathId, TargetId, Lun) \
    (STORSIM_CALL_SITE(), StorPortResumeDevice(HwDeviceExtension, PathId, TargetId, Lun))
#define StorPortSetDeviceQueueDepth(HwDeviceExtension, PathId, TargetId, Lun, Depth) \
    (STORSIM_CALL_SITE(), StorPortSetDeviceQueueDepth(HwDeviceExtension, PathId, TargetId, Lun, Depth))
#define StorPortCompleteRequest(HwDeviceExtension, PathId, TargetId, Lun, SrbStatus) \
    (STORSIM_CALL_SITE(), StorPortCompleteRequest(HwDeviceExtension, PathId, TargetId, Lun, SrbStatus))
#define StorPortGetDeviceBase(HwDeviceExtension, BusType, SystemIoBusNumber, IoAddress, NumberOfBytes, InIoSpace) \
    (STORSIM_CALL_SITE(), StorPortGetDeviceBase(HwDeviceExtension, BusType, SystemIoBusNumber, IoAddress, NumberOfBytes, InIoSpace))
#define StorPortFreeDeviceBase(HwDeviceExtension, MappedAddress) \
    (STORSIM_CALL_SITE(), StorPortFreeDeviceBase(HwDeviceExtension, MappedAddress))
#define StorPortGetLogicalUnit(HwDeviceExtension, PathId, TargetId, Lun) \
    (STORSIM_CALL_SITE(), StorPortGetLogicalUnit(HwDeviceExtension, PathId, TargetId, Lun))
#define StorPortGetSrb(DeviceExtension, PathId, TargetId, Lun, QueueTag) \
    (STORSIM_CALL_SITE(), StorPortGetSrb(DeviceExtension, PathId, TargetId, Lun, QueueTag))
#define StorPortMoveMemory(WriteBuffer, ReadBuffer, Length) \
    (STORSIM_CALL_SITE(), StorPortMoveMemory(WriteBuffer, ReadBuffer, Length))
#define StorPortLogError(HwDeviceExtension, Srb, PathId, TargetId, Lun, ErrorCode, UniqueId) \
    (STORSIM_CALL_SITE(), StorPortLogError(HwDeviceExtension, Srb, PathId, TargetId, Lun, ErrorCode, UniqueId))
#define StorPortSynchronizeAccess(HwDeviceExtension, SynchronizedAccessRoutine, Context) \
    (STORSIM_CALL_SITE(), StorPortSynchronizeAccess(HwDeviceExtension, SynchronizedAccessRoutine, Context))
#define StorPortConvertUlongToPhysicalAddress(UlongAddress) \
    (STORSIM_CALL_SITE(), StorPortConvertUlongToPhysicalAddress(UlongAddress))
#define StorPortConvertPhysicalAddressToUlong(Address) \
    (STORSIM_CALL_SITE(), StorPortConvertPhysicalAddressToUlong(Address))
/** @endcond */
#endif /* STORSIM_NO_CALL_SITES */

/** @} */ /* wdk_storport */

#endif /* STORSIM_WDK_STORPORT_H */
