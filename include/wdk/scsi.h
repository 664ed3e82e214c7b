/**
 * @file scsi.h
 * @brief SCSI command descriptor blocks, operation codes, status codes,
 *        sense data and the data-in structures of the commands storsim's
 *        disks implement (WDK scsi.h).
 *
 * Interface: included by storport.h; the simulated HBA and disks include it
 * to decode CDBs and build INQUIRY, READ CAPACITY, MODE SENSE, REPORT LUNS
 * and sense data. Names, field order and values are the WDK's.
 *
 * Multi-byte numbers inside CDBs and SCSI data are big-endian; the
 * structures keep them as byte arrays (or, as in the WDK, as ULONGs that
 * hold big-endian bytes) and REVERSE_BYTES() and friends convert. The WDK
 * bit-field layouts are kept: every bit-field here is a UCHAR bit-field,
 * which GCC and MSVC both allocate from the least significant bit of each
 * byte on little-endian targets, so the bytes match the SCSI standard.
 */
#ifndef STORSIM_WDK_SCSI_H
#define STORSIM_WDK_SCSI_H

#include "miniport.h"

/**
 * @defgroup wdk_scsi SCSI commands and data (scsi.h)
 * @brief CDB, SCSIOP_xxx, SCSISTAT_xxx, SENSE_DATA, INQUIRYDATA, VPD pages,
 *        READ_CAPACITY_DATA, mode pages and REPORT LUNS data.
 *
 * Microsoft documents these on the "scsi.h header" and "minitape.h header"
 * pages of the Windows driver API reference (CDB union (scsi.h),
 * SENSE_DATA structure (scsi.h), INQUIRYDATA structure (scsi.h),
 * READ_CAPACITY_DATA structure (scsi.h), MODE_PARAMETER_HEADER structure,
 * ...). The command set itself is the T10 SCSI standard (SPC, SBC).
 * @{
 */

/* ------------------------------------------------------------------------ */
/** @name CDB lengths */
/** @{ */

#define CDB6GENERIC_LENGTH 6   /**< @brief Length of a 6-byte CDB. */
#define CDB10GENERIC_LENGTH 10 /**< @brief Length of a 10-byte CDB. */
#define CDB12GENERIC_LENGTH 12 /**< @brief Length of a 12-byte CDB. */
#define CDB16GENERIC_LENGTH 16 /**< @brief Length of a 16-byte CDB. */

/** @} */

#pragma pack(push, 1)

/**
 * @brief A SCSI command descriptor block seen through the layout of each
 *        command (CDB union, scsi.h).
 *
 * Only the member views storsim's disks use are declared; the WDK union has
 * many more (tape, optical, changer). TEST UNIT READY and REQUEST SENSE use
 * CDB6GENERIC; READ CAPACITY(10), READ(10), WRITE(10) and VERIFY(10) use
 * CDB10.
 */
typedef union _CDB {
    /** @brief Generic 6-byte CDB (TEST UNIT READY, REQUEST SENSE ...). */
    struct _CDB6GENERIC {
        UCHAR OperationCode;        /**< byte 0: SCSIOP_xxx */
        UCHAR Immediate : 1;        /**< byte 1 bit 0: immediate */
        UCHAR CommandUniqueBits : 4; /**< byte 1 bits 1-4: command specific */
        UCHAR LogicalUnitNumber : 3; /**< byte 1 bits 5-7: obsolete LUN field */
        UCHAR CommandUniqueBytes[3]; /**< bytes 2-4: command specific (REQUEST SENSE: [2] = allocation length) */
        UCHAR Link : 1;             /**< byte 5 bit 0: link */
        UCHAR Flag : 1;             /**< byte 5 bit 1: flag */
        UCHAR Reserved : 4;         /**< byte 5 bits 2-5: reserved */
        UCHAR VendorUnique : 2;     /**< byte 5 bits 6-7: vendor specific */
    } CDB6GENERIC; /**< the CDB6GENERIC view of the CDB */

    /** @brief READ(6) / WRITE(6). */
    struct _CDB6READWRITE {
        UCHAR OperationCode;         /**< byte 0: SCSIOP_READ6 or SCSIOP_WRITE6 */
        UCHAR LogicalBlockMsb1 : 5;  /**< byte 1 bits 0-4: LBA bits 16-20 */
        UCHAR LogicalUnitNumber : 3; /**< byte 1 bits 5-7: obsolete LUN field */
        UCHAR LogicalBlockMsb0;      /**< byte 2: LBA bits 8-15 */
        UCHAR LogicalBlockLsb;       /**< byte 3: LBA bits 0-7 */
        UCHAR TransferBlocks;        /**< byte 4: blocks (0 means 256) */
        UCHAR Control;               /**< byte 5: control */
    } CDB6READWRITE; /**< the CDB6READWRITE view of the CDB */

    /** @brief INQUIRY, SCSI-2 view. */
    struct _CDB6INQUIRY {
        UCHAR OperationCode;         /**< byte 0: SCSIOP_INQUIRY */
        UCHAR Reserved1 : 5;         /**< byte 1 bits 0-4: reserved (bit 0 is EVPD) */
        UCHAR LogicalUnitNumber : 3; /**< byte 1 bits 5-7: obsolete LUN field */
        UCHAR PageCode;              /**< byte 2: VPD page code */
        UCHAR IReserved;             /**< byte 3: reserved */
        UCHAR AllocationLength;      /**< byte 4: bytes the initiator accepts */
        UCHAR Control;               /**< byte 5: control */
    } CDB6INQUIRY; /**< the CDB6INQUIRY view of the CDB */

    /** @brief INQUIRY, SPC-3 view with the EVPD bit. */
    struct _CDB6INQUIRY3 {
        UCHAR OperationCode;              /**< byte 0: SCSIOP_INQUIRY */
        UCHAR EnableVitalProductData : 1; /**< byte 1 bit 0: EVPD, return the page PageCode */
        UCHAR CommandSupportData : 1;     /**< byte 1 bit 1: CmdDt (obsolete) */
        UCHAR Reserved1 : 6;              /**< byte 1 bits 2-7: reserved */
        UCHAR PageCode;                   /**< byte 2: VPD page code */
        UCHAR Reserved2;                  /**< byte 3: allocation length MSB in SPC-3 */
        UCHAR AllocationLength;           /**< byte 4: bytes the initiator accepts */
        UCHAR Control;                    /**< byte 5: control */
    } CDB6INQUIRY3; /**< the CDB6INQUIRY3 view of the CDB */

    /** @brief 10-byte CDB: READ(10), WRITE(10), VERIFY(10), READ CAPACITY(10). */
    struct _CDB10 {
        UCHAR OperationCode;         /**< byte 0: SCSIOP_xxx */
        UCHAR RelativeAddress : 1;   /**< byte 1 bit 0: obsolete RelAdr */
        UCHAR Reserved1 : 2;         /**< byte 1 bits 1-2: reserved */
        UCHAR ForceUnitAccess : 1;   /**< byte 1 bit 3: FUA, bypass the volatile cache */
        UCHAR DisablePageOut : 1;    /**< byte 1 bit 4: DPO */
        UCHAR LogicalUnitNumber : 3; /**< byte 1 bits 5-7: obsolete LUN field */
        UCHAR LogicalBlockByte0;     /**< byte 2: LBA bits 24-31 */
        UCHAR LogicalBlockByte1;     /**< byte 3: LBA bits 16-23 */
        UCHAR LogicalBlockByte2;     /**< byte 4: LBA bits 8-15 */
        UCHAR LogicalBlockByte3;     /**< byte 5: LBA bits 0-7 */
        UCHAR Reserved2;             /**< byte 6: reserved / group number */
        UCHAR TransferBlocksMsb;     /**< byte 7: block count bits 8-15 */
        UCHAR TransferBlocksLsb;     /**< byte 8: block count bits 0-7 */
        UCHAR Control;               /**< byte 9: control */
    } CDB10; /**< the CDB10 view of the CDB */

    /** @brief 12-byte CDB: READ(12), WRITE(12), VERIFY(12). */
    struct _CDB12 {
        UCHAR OperationCode;         /**< byte 0: SCSIOP_xxx */
        UCHAR RelativeAddress : 1;   /**< byte 1 bit 0: obsolete RelAdr */
        UCHAR Reserved1 : 2;         /**< byte 1 bits 1-2: reserved */
        UCHAR ForceUnitAccess : 1;   /**< byte 1 bit 3: FUA */
        UCHAR DisablePageOut : 1;    /**< byte 1 bit 4: DPO */
        UCHAR LogicalUnitNumber : 3; /**< byte 1 bits 5-7: obsolete LUN field */
        UCHAR LogicalBlock[4];       /**< bytes 2-5: LBA, big-endian */
        UCHAR TransferLength[4];     /**< bytes 6-9: block count, big-endian */
        UCHAR Reserved2;             /**< byte 10: reserved / group number */
        UCHAR Control;               /**< byte 11: control */
    } CDB12; /**< the CDB12 view of the CDB */

    /** @brief Generic 16-byte CDB: READ(16), WRITE(16), VERIFY(16). */
    struct _CDB16 {
        UCHAR OperationCode;       /**< byte 0: SCSIOP_xxx */
        UCHAR Reserved1 : 3;       /**< byte 1 bits 0-2: reserved */
        UCHAR ForceUnitAccess : 1; /**< byte 1 bit 3: FUA */
        UCHAR DisablePageOut : 1;  /**< byte 1 bit 4: DPO */
        UCHAR Protection : 3;      /**< byte 1 bits 5-7: RDPROTECT / WRPROTECT */
        UCHAR LogicalBlock[8];     /**< bytes 2-9: LBA, big-endian */
        UCHAR TransferLength[4];   /**< bytes 10-13: block count, big-endian */
        UCHAR Reserved2;           /**< byte 14: reserved / group number */
        UCHAR Control;             /**< byte 15: control */
    } CDB16; /**< the CDB16 view of the CDB */

    /** @brief MODE SENSE(6). */
    struct _MODE_SENSE {
        UCHAR OperationCode;  /**< byte 0: SCSIOP_MODE_SENSE */
        UCHAR Reserved1 : 3;  /**< byte 1 bits 0-2: reserved */
        UCHAR Dbd : 1;        /**< byte 1 bit 3: disable block descriptors */
        UCHAR Reserved2 : 4;  /**< byte 1 bits 4-7: reserved */
        UCHAR PageCode : 6;   /**< byte 2 bits 0-5: MODE_PAGE_xxx or MODE_SENSE_RETURN_ALL */
        UCHAR Pc : 2;         /**< byte 2 bits 6-7: page control (current, changeable, default, saved) */
        UCHAR SubPageCode;    /**< byte 3: subpage */
        UCHAR AllocationLength; /**< byte 4: bytes the initiator accepts */
        UCHAR Control;        /**< byte 5: control */
    } MODE_SENSE; /**< the MODE_SENSE view of the CDB */

    /** @brief MODE SENSE(10). */
    struct _MODE_SENSE10 {
        UCHAR OperationCode;       /**< byte 0: SCSIOP_MODE_SENSE10 */
        UCHAR Reserved1 : 3;       /**< byte 1 bits 0-2: reserved */
        UCHAR Dbd : 1;             /**< byte 1 bit 3: disable block descriptors */
        UCHAR LongLBAAccepted : 1; /**< byte 1 bit 4: LLBAA */
        UCHAR Reserved2 : 3;       /**< byte 1 bits 5-7: reserved */
        UCHAR PageCode : 6;        /**< byte 2 bits 0-5: page code */
        UCHAR Pc : 2;              /**< byte 2 bits 6-7: page control */
        UCHAR SubPageCode;         /**< byte 3: subpage */
        UCHAR Reserved3[3];        /**< bytes 4-6: reserved */
        UCHAR AllocationLength[2]; /**< bytes 7-8: bytes the initiator accepts, big-endian */
        UCHAR Control;             /**< byte 9: control */
    } MODE_SENSE10; /**< the MODE_SENSE10 view of the CDB */

    /** @brief START STOP UNIT. */
    struct _START_STOP {
        UCHAR OperationCode;         /**< byte 0: SCSIOP_START_STOP_UNIT */
        UCHAR Immediate : 1;         /**< byte 1 bit 0: return before the operation ends */
        UCHAR Reserved1 : 4;         /**< byte 1 bits 1-4: reserved */
        UCHAR LogicalUnitNumber : 3; /**< byte 1 bits 5-7: obsolete LUN field */
        UCHAR Reserved2[2];          /**< bytes 2-3: reserved */
        UCHAR Start : 1;             /**< byte 4 bit 0: start (1) or stop (0) */
        UCHAR LoadEject : 1;         /**< byte 4 bit 1: load or eject the medium */
        UCHAR Reserved3 : 6;         /**< byte 4 bits 2-7: reserved / power condition */
        UCHAR Control;               /**< byte 5: control */
    } START_STOP; /**< the START_STOP view of the CDB */

    /** @brief SYNCHRONIZE CACHE(10). */
    struct _SYNCHRONIZE_CACHE10 {
        UCHAR OperationCode;          /**< byte 0: SCSIOP_SYNCHRONIZE_CACHE */
        UCHAR RelAddr : 1;            /**< byte 1 bit 0: obsolete RelAdr */
        UCHAR Immediate : 1;          /**< byte 1 bit 1: return before the flush ends */
        UCHAR Reserved : 3;           /**< byte 1 bits 2-4: reserved */
        UCHAR Lun : 3;                /**< byte 1 bits 5-7: obsolete LUN field */
        UCHAR LogicalBlockAddress[4]; /**< bytes 2-5: first LBA, big-endian */
        UCHAR Reserved2;              /**< byte 6: reserved / group number */
        UCHAR BlockCount[2];          /**< bytes 7-8: blocks (0 = to the end), big-endian */
        UCHAR Control;                /**< byte 9: control */
    } SYNCHRONIZE_CACHE10; /**< the SYNCHRONIZE_CACHE10 view of the CDB */

    /** @brief REPORT LUNS. */
    struct _REPORT_LUNS {
        UCHAR OperationCode;       /**< byte 0: SCSIOP_REPORT_LUNS */
        UCHAR Reserved1[5];        /**< bytes 1-5: reserved (byte 2 is SELECT REPORT) */
        UCHAR AllocationLength[4]; /**< bytes 6-9: bytes the initiator accepts, big-endian */
        UCHAR Reserved2[1];        /**< byte 10: reserved */
        UCHAR Control;             /**< byte 11: control */
    } REPORT_LUNS; /**< the REPORT_LUNS view of the CDB */

    /** @brief READ(16). */
    struct _READ16 {
        UCHAR OperationCode;       /**< byte 0: SCSIOP_READ16 */
        UCHAR Reserved1 : 3;       /**< byte 1 bits 0-2: reserved */
        UCHAR ForceUnitAccess : 1; /**< byte 1 bit 3: FUA */
        UCHAR DisablePageOut : 1;  /**< byte 1 bit 4: DPO */
        UCHAR ReadProtect : 3;     /**< byte 1 bits 5-7: RDPROTECT */
        UCHAR LogicalBlock[8];     /**< bytes 2-9: LBA, big-endian */
        UCHAR TransferLength[4];   /**< bytes 10-13: block count, big-endian */
        UCHAR Reserved2 : 7;       /**< byte 14 bits 0-6: reserved / group number */
        UCHAR Streaming : 1;       /**< byte 14 bit 7: streaming */
        UCHAR Control;             /**< byte 15: control */
    } READ16; /**< the READ16 view of the CDB */

    /** @brief WRITE(16). */
    struct _WRITE16 {
        UCHAR OperationCode;       /**< byte 0: SCSIOP_WRITE16 */
        UCHAR Reserved1 : 3;       /**< byte 1 bits 0-2: reserved */
        UCHAR ForceUnitAccess : 1; /**< byte 1 bit 3: FUA */
        UCHAR DisablePageOut : 1;  /**< byte 1 bit 4: DPO */
        UCHAR WriteProtect : 3;    /**< byte 1 bits 5-7: WRPROTECT */
        UCHAR LogicalBlock[8];     /**< bytes 2-9: LBA, big-endian */
        UCHAR TransferLength[4];   /**< bytes 10-13: block count, big-endian */
        UCHAR Reserved2 : 7;       /**< byte 14 bits 0-6: reserved / group number */
        UCHAR Streaming : 1;       /**< byte 14 bit 7: streaming */
        UCHAR Control;             /**< byte 15: control */
    } WRITE16; /**< the WRITE16 view of the CDB */

    /** @brief VERIFY(16). */
    struct _VERIFY16 {
        UCHAR OperationCode;         /**< byte 0: SCSIOP_VERIFY16 */
        UCHAR Reserved1 : 1;         /**< byte 1 bit 0: reserved */
        UCHAR ByteCheck : 1;         /**< byte 1 bit 1: BYTCHK, compare with data sent */
        UCHAR BlockVerify : 1;       /**< byte 1 bit 2: BLKVFY */
        UCHAR Reserved2 : 1;         /**< byte 1 bit 3: reserved */
        UCHAR DisablePageOut : 1;    /**< byte 1 bit 4: DPO */
        UCHAR VerifyProtect : 3;     /**< byte 1 bits 5-7: VRPROTECT */
        UCHAR LogicalBlock[8];       /**< bytes 2-9: LBA, big-endian */
        UCHAR VerificationLength[4]; /**< bytes 10-13: block count, big-endian */
        UCHAR Reserved3 : 7;         /**< byte 14 bits 0-6: reserved / group number */
        UCHAR Streaming : 1;         /**< byte 14 bit 7: streaming */
        UCHAR Control;               /**< byte 15: control */
    } VERIFY16; /**< the VERIFY16 view of the CDB */

    /** @brief SYNCHRONIZE CACHE(16). */
    struct _SYNCHRONIZE_CACHE16 {
        UCHAR OperationCode;   /**< byte 0: SCSIOP_SYNCHRONIZE_CACHE16 */
        UCHAR Reserved1 : 1;   /**< byte 1 bit 0: reserved */
        UCHAR Immediate : 1;   /**< byte 1 bit 1: return before the flush ends */
        UCHAR Reserved2 : 6;   /**< byte 1 bits 2-7: reserved */
        UCHAR LogicalBlock[8]; /**< bytes 2-9: first LBA, big-endian */
        UCHAR BlockCount[4];   /**< bytes 10-13: blocks, big-endian */
        UCHAR Reserved3;       /**< byte 14: reserved / group number */
        UCHAR Control;         /**< byte 15: control */
    } SYNCHRONIZE_CACHE16; /**< the SYNCHRONIZE_CACHE16 view of the CDB */

    /** @brief READ CAPACITY(16): SERVICE ACTION IN(16) with
     *         SERVICE_ACTION_READ_CAPACITY16. */
    struct _READ_CAPACITY16 {
        UCHAR OperationCode;       /**< byte 0: SCSIOP_READ_CAPACITY16 (SERVICE ACTION IN(16)) */
        UCHAR ServiceAction : 5;   /**< byte 1 bits 0-4: SERVICE_ACTION_READ_CAPACITY16 */
        UCHAR Reserved1 : 3;       /**< byte 1 bits 5-7: reserved */
        UCHAR LogicalBlock[8];     /**< bytes 2-9: obsolete LBA, big-endian */
        UCHAR AllocationLength[4]; /**< bytes 10-13: bytes the initiator accepts, big-endian */
        UCHAR PMI : 1;             /**< byte 14 bit 0: obsolete partial medium indicator */
        UCHAR Reserved2 : 7;       /**< byte 14 bits 1-7: reserved */
        UCHAR Control;             /**< byte 15: control */
    } READ_CAPACITY16; /**< the READ_CAPACITY16 view of the CDB */

    ULONG AsUlong[4];  /**< the CDB as four ULONGs */
    UCHAR AsByte[16];  /**< the CDB as bytes */
} CDB;
/** @brief Pointer to CDB. */
typedef CDB *PCDB;

/* ------------------------------------------------------------------------ */

/**
 * @brief Fixed-format sense data, response codes 0x70 and 0x71
 *        (SENSE_DATA structure, scsi.h); 18 bytes.
 */
typedef struct _SENSE_DATA {
    UCHAR ErrorCode : 7;                 /**< byte 0 bits 0-6: SCSI_SENSE_ERRORCODE_FIXED_xxx */
    UCHAR Valid : 1;                     /**< byte 0 bit 7: Information holds a valid value */
    UCHAR SegmentNumber;                 /**< byte 1: obsolete */
    UCHAR SenseKey : 4;                  /**< byte 2 bits 0-3: SCSI_SENSE_xxx */
    UCHAR Reserved : 1;                  /**< byte 2 bit 4: reserved */
    UCHAR IncorrectLength : 1;           /**< byte 2 bit 5: ILI */
    UCHAR EndOfMedia : 1;                /**< byte 2 bit 6: EOM */
    UCHAR FileMark : 1;                  /**< byte 2 bit 7: filemark */
    UCHAR Information[4];                /**< bytes 3-6: information (e.g. the failing LBA), big-endian */
    UCHAR AdditionalSenseLength;         /**< byte 7: bytes that follow (10 for 18-byte sense) */
    UCHAR CommandSpecificInformation[4]; /**< bytes 8-11: command specific */
    UCHAR AdditionalSenseCode;           /**< byte 12: ASC, SCSI_ADSENSE_xxx */
    UCHAR AdditionalSenseCodeQualifier;  /**< byte 13: ASCQ, SCSI_SENSEQ_xxx */
    UCHAR FieldReplaceableUnitCode;      /**< byte 14: FRU code */
    UCHAR SenseKeySpecific[3];           /**< bytes 15-17: sense-key specific (SKSV in bit 7 of byte 15) */
} SENSE_DATA;
/** @brief Pointer to SENSE_DATA. */
typedef SENSE_DATA *PSENSE_DATA;
/** @brief Another WDK name of SENSE_DATA. */
typedef SENSE_DATA FIXED_SENSE_DATA;
/** @brief Pointer to FIXED_SENSE_DATA. */
typedef FIXED_SENSE_DATA *PFIXED_SENSE_DATA;

/** @brief Size of fixed-format sense data (scsi.h). */
#define SENSE_BUFFER_SIZE sizeof(SENSE_DATA)
/** @brief Largest sense buffer a request may carry. */
#define MAX_SENSE_BUFFER_SIZE 255

/* ------------------------------------------------------------------------ */

/** @brief An INQUIRY version descriptor (VERSION_DESCRIPTOR). */
typedef USHORT VERSION_DESCRIPTOR;
/** @brief Pointer to VERSION_DESCRIPTOR. */
typedef VERSION_DESCRIPTOR *PVERSION_DESCRIPTOR;

/**
 * @brief Standard INQUIRY data (INQUIRYDATA structure, scsi.h).
 *
 * The first INQUIRYDATABUFFERSIZE (36) bytes are what every target must
 * return; the whole structure is 104 bytes.
 */
typedef struct _INQUIRYDATA {
    UCHAR DeviceType : 5;          /**< byte 0 bits 0-4: peripheral device type, e.g. DIRECT_ACCESS_DEVICE */
    UCHAR DeviceTypeQualifier : 3; /**< byte 0 bits 5-7: DEVICE_QUALIFIER_xxx */
    UCHAR DeviceTypeModifier : 7;  /**< byte 1 bits 0-6: device type modifier */
    UCHAR RemovableMedia : 1;      /**< byte 1 bit 7: RMB, removable medium */
    UCHAR Versions;                /**< byte 2: version of the standard claimed (5 = SPC-3) */
    UCHAR ResponseDataFormat : 4;  /**< byte 3 bits 0-3: 2 for current targets */
    UCHAR HiSupport : 1;           /**< byte 3 bit 4: HiSup, hierarchical LUNs */
    UCHAR NormACA : 1;             /**< byte 3 bit 5: NormACA */
    UCHAR ReservedBit : 1;         /**< byte 3 bit 6: reserved */
    UCHAR AERC : 1;                /**< byte 3 bit 7: obsolete AERC */
    UCHAR AdditionalLength;        /**< byte 4: bytes that follow (total - 5) */
    UCHAR Reserved[2];             /**< bytes 5-6: SCCS, ACC, TPGS, 3PC, PROTECT / EncServ, MultiP ... */
    UCHAR SoftReset : 1;           /**< byte 7 bit 0: obsolete soft reset */
    UCHAR CommandQueue : 1;        /**< byte 7 bit 1: CmdQue, tagged queuing supported */
    UCHAR Reserved2 : 1;           /**< byte 7 bit 2: reserved */
    UCHAR LinkedCommands : 1;      /**< byte 7 bit 3: obsolete linked commands */
    UCHAR Synchronous : 1;         /**< byte 7 bit 4: obsolete synchronous transfer */
    UCHAR Wide16Bit : 1;           /**< byte 7 bit 5: obsolete 16-bit wide */
    UCHAR Wide32Bit : 1;           /**< byte 7 bit 6: obsolete 32-bit wide */
    UCHAR RelativeAddressing : 1;  /**< byte 7 bit 7: obsolete relative addressing */
    UCHAR VendorId[8];             /**< bytes 8-15: T10 vendor identification, ASCII, space padded */
    UCHAR ProductId[16];           /**< bytes 16-31: product identification, ASCII */
    UCHAR ProductRevisionLevel[4]; /**< bytes 32-35: product revision, ASCII */
    UCHAR VendorSpecific[20];      /**< bytes 36-55: vendor specific */
    UCHAR Reserved3[2];            /**< bytes 56-57: reserved */
    VERSION_DESCRIPTOR VersionDescriptors[8]; /**< bytes 58-73: version descriptors, big-endian */
    UCHAR Reserved4[30];           /**< bytes 74-103: reserved */
} INQUIRYDATA;
/** @brief Pointer to INQUIRYDATA. */
typedef INQUIRYDATA *PINQUIRYDATA;

/** @brief Bytes of standard INQUIRY data every target returns. */
#define INQUIRYDATABUFFERSIZE 36

/* ------------------------------------------------------------------------ */
/** @name Vital product data pages */
/** @{ */

#define VPD_SUPPORTED_PAGES 0x00    /**< @brief VPD page: list of supported pages. */
#define VPD_SERIAL_NUMBER 0x80      /**< @brief VPD page: unit serial number. */
#define VPD_DEVICE_IDENTIFIERS 0x83 /**< @brief VPD page: device identification. */

/** @brief VPD page 0x00: the supported page codes
 *         (VPD_SUPPORTED_PAGES_PAGE structure). */
typedef struct _VPD_SUPPORTED_PAGES_PAGE {
    UCHAR DeviceType : 5;          /**< byte 0 bits 0-4: peripheral device type */
    UCHAR DeviceTypeQualifier : 3; /**< byte 0 bits 5-7: peripheral qualifier */
    UCHAR PageCode;                /**< byte 1: VPD_SUPPORTED_PAGES */
    UCHAR Reserved;                /**< byte 2: reserved */
    UCHAR PageLength;              /**< byte 3: number of page codes that follow */
    UCHAR SupportedPageList[];     /**< the page codes, ascending */
} VPD_SUPPORTED_PAGES_PAGE;
/** @brief Pointer to VPD_SUPPORTED_PAGES_PAGE. */
typedef VPD_SUPPORTED_PAGES_PAGE *PVPD_SUPPORTED_PAGES_PAGE;

/** @brief VPD page 0x80: the unit serial number
 *         (VPD_SERIAL_NUMBER_PAGE structure). */
typedef struct _VPD_SERIAL_NUMBER_PAGE {
    UCHAR DeviceType : 5;          /**< byte 0 bits 0-4: peripheral device type */
    UCHAR DeviceTypeQualifier : 3; /**< byte 0 bits 5-7: peripheral qualifier */
    UCHAR PageCode;                /**< byte 1: VPD_SERIAL_NUMBER */
    UCHAR Reserved;                /**< byte 2: reserved */
    UCHAR PageLength;              /**< byte 3: length of SerialNumber */
    UCHAR SerialNumber[];          /**< the serial number, ASCII */
} VPD_SERIAL_NUMBER_PAGE;
/** @brief Pointer to VPD_SERIAL_NUMBER_PAGE. */
typedef VPD_SERIAL_NUMBER_PAGE *PVPD_SERIAL_NUMBER_PAGE;

/** @brief Code set of an identification descriptor (VPD_CODE_SET). */
typedef enum _VPD_CODE_SET {
    VpdCodeSetReserved = 0, /**< reserved */
    VpdCodeSetBinary = 1,   /**< binary identifier */
    VpdCodeSetAscii = 2,    /**< ASCII identifier */
    VpdCodeSetUTF8 = 3      /**< UTF-8 identifier */
} VPD_CODE_SET;
/** @brief Pointer to VPD_CODE_SET. */
typedef VPD_CODE_SET *PVPD_CODE_SET;

/** @brief What an identification descriptor identifies (VPD_ASSOCIATION). */
typedef enum _VPD_ASSOCIATION {
    VpdAssocDevice = 0,    /**< the logical unit */
    VpdAssocPort = 1,      /**< the target port */
    VpdAssocTarget = 2,    /**< the target device */
    VpdAssocReserved1 = 3, /**< reserved */
    VpdAssocReserved2 = 4  /**< reserved */
} VPD_ASSOCIATION;
/** @brief Pointer to VPD_ASSOCIATION. */
typedef VPD_ASSOCIATION *PVPD_ASSOCIATION;

/** @brief Kind of identifier in an identification descriptor
 *         (VPD_IDENTIFIER_TYPE). */
typedef enum _VPD_IDENTIFIER_TYPE {
    VpdIdentifierTypeVendorSpecific = 0,   /**< vendor specific */
    VpdIdentifierTypeVendorId = 1,         /**< T10 vendor ID based */
    VpdIdentifierTypeEUI64 = 2,            /**< EUI-64 */
    VpdIdentifierTypeFCPHName = 3,         /**< NAA name */
    VpdIdentifierTypePortRelative = 4,     /**< relative target port */
    VpdIdentifierTypeTargetPortGroup = 5,  /**< target port group */
    VpdIdentifierTypeLogicalUnitGroup = 6, /**< logical unit group */
    VpdIdentifierTypeMD5LogicalUnitId = 7, /**< MD5 logical unit identifier */
    VpdIdentifierTypeSCSINameString = 8    /**< SCSI name string */
} VPD_IDENTIFIER_TYPE;
/** @brief Pointer to VPD_IDENTIFIER_TYPE. */
typedef VPD_IDENTIFIER_TYPE *PVPD_IDENTIFIER_TYPE;

/** @brief One identification descriptor of VPD page 0x83
 *         (VPD_IDENTIFICATION_DESCRIPTOR structure). */
typedef struct _VPD_IDENTIFICATION_DESCRIPTOR {
    UCHAR CodeSet : 4;        /**< byte 0 bits 0-3: VPD_CODE_SET */
    UCHAR Reserved : 4;       /**< byte 0 bits 4-7: protocol identifier */
    UCHAR IdentifierType : 4; /**< byte 1 bits 0-3: VPD_IDENTIFIER_TYPE */
    UCHAR Association : 2;    /**< byte 1 bits 4-5: VPD_ASSOCIATION */
    UCHAR Reserved2 : 2;      /**< byte 1 bits 6-7: reserved / PIV */
    UCHAR Reserved3;          /**< byte 2: reserved */
    UCHAR IdentifierLength;   /**< byte 3: length of Identifier */
    UCHAR Identifier[];       /**< the identifier */
} VPD_IDENTIFICATION_DESCRIPTOR;
/** @brief Pointer to VPD_IDENTIFICATION_DESCRIPTOR. */
typedef VPD_IDENTIFICATION_DESCRIPTOR *PVPD_IDENTIFICATION_DESCRIPTOR;

/** @brief VPD page 0x83: device identification
 *         (VPD_IDENTIFICATION_PAGE structure). */
typedef struct _VPD_IDENTIFICATION_PAGE {
    UCHAR DeviceType : 5;          /**< byte 0 bits 0-4: peripheral device type */
    UCHAR DeviceTypeQualifier : 3; /**< byte 0 bits 5-7: peripheral qualifier */
    UCHAR PageCode;                /**< byte 1: VPD_DEVICE_IDENTIFIERS */
    UCHAR Reserved;                /**< byte 2: page length MSB in SPC-3 */
    UCHAR PageLength;              /**< byte 3: bytes of descriptors that follow */
    UCHAR Descriptors[];           /**< VPD_IDENTIFICATION_DESCRIPTORs, back to back */
} VPD_IDENTIFICATION_PAGE;
/** @brief Pointer to VPD_IDENTIFICATION_PAGE. */
typedef VPD_IDENTIFICATION_PAGE *PVPD_IDENTIFICATION_PAGE;

/** @} */

/* ------------------------------------------------------------------------ */

/**
 * @brief READ CAPACITY(10) data (READ_CAPACITY_DATA structure, scsi.h).
 *
 * Both fields hold big-endian bytes: store them with REVERSE_BYTES().
 */
typedef struct _READ_CAPACITY_DATA {
    ULONG LogicalBlockAddress; /**< last LBA (0xFFFFFFFF: use READ CAPACITY(16)), big-endian */
    ULONG BytesPerBlock;       /**< block length in bytes, big-endian */
} READ_CAPACITY_DATA;
/** @brief Pointer to READ_CAPACITY_DATA. */
typedef READ_CAPACITY_DATA *PREAD_CAPACITY_DATA;

/**
 * @brief The first 12 bytes of READ CAPACITY(16) data
 *        (READ_CAPACITY_DATA_EX structure, scsi.h); big-endian fields.
 */
typedef struct _READ_CAPACITY_DATA_EX {
    LARGE_INTEGER LogicalBlockAddress; /**< last LBA, big-endian (REVERSE_BYTES_QUAD) */
    ULONG BytesPerBlock;               /**< block length in bytes, big-endian */
} READ_CAPACITY_DATA_EX;
/** @brief Pointer to READ_CAPACITY_DATA_EX. */
typedef READ_CAPACITY_DATA_EX *PREAD_CAPACITY_DATA_EX;

/**
 * @brief Full READ CAPACITY(16) data, 32 bytes (READ_CAPACITY16_DATA
 *        structure, scsi.h); big-endian fields.
 */
typedef struct _READ_CAPACITY16_DATA {
    LARGE_INTEGER LogicalBlockAddress;    /**< bytes 0-7: last LBA, big-endian */
    ULONG BytesPerBlock;                  /**< bytes 8-11: block length, big-endian */
    UCHAR ProtectionEnable : 1;           /**< byte 12 bit 0: PROT_EN */
    UCHAR ProtectionType : 3;             /**< byte 12 bits 1-3: P_TYPE */
    UCHAR RcBasis : 2;                    /**< byte 12 bits 4-5: RC BASIS */
    UCHAR Reserved : 2;                   /**< byte 12 bits 6-7: reserved */
    UCHAR LogicalPerPhysicalExponent : 4; /**< byte 13 bits 0-3: logical blocks per physical block exponent */
    UCHAR ProtectionInfoExponent : 4;     /**< byte 13 bits 4-7: P_I_EXPONENT */
    UCHAR LowestAlignedBlock_MSB : 6;     /**< byte 14 bits 0-5: lowest aligned LBA, high bits */
    UCHAR LBPRZ : 1;                      /**< byte 14 bit 6: unmapped blocks read as zero */
    UCHAR LBPME : 1;                      /**< byte 14 bit 7: logical block provisioning enabled */
    UCHAR LowestAlignedBlock_LSB;         /**< byte 15: lowest aligned LBA, low bits */
    UCHAR Reserved3[16];                  /**< bytes 16-31: reserved */
} READ_CAPACITY16_DATA;
/** @brief Pointer to READ_CAPACITY16_DATA. */
typedef READ_CAPACITY16_DATA *PREAD_CAPACITY16_DATA;

/* ------------------------------------------------------------------------ */
/** @name Mode parameters */
/** @{ */

/** @brief Header of MODE SENSE(6) data (MODE_PARAMETER_HEADER structure). */
typedef struct _MODE_PARAMETER_HEADER {
    UCHAR ModeDataLength;          /**< bytes that follow this byte */
    UCHAR MediumType;              /**< medium type (0 for disks) */
    UCHAR DeviceSpecificParameter; /**< MODE_DSP_xxx bits */
    UCHAR BlockDescriptorLength;   /**< bytes of block descriptors that follow (0 or 8) */
} MODE_PARAMETER_HEADER;
/** @brief Pointer to MODE_PARAMETER_HEADER. */
typedef MODE_PARAMETER_HEADER *PMODE_PARAMETER_HEADER;

/** @brief Header of MODE SENSE(10) data (MODE_PARAMETER_HEADER10 structure). */
typedef struct _MODE_PARAMETER_HEADER10 {
    UCHAR ModeDataLength[2];        /**< bytes that follow these two, big-endian */
    UCHAR MediumType;               /**< medium type */
    UCHAR DeviceSpecificParameter;  /**< MODE_DSP_xxx bits */
    UCHAR Reserved[2];              /**< reserved (bit 0 of [0] is LONGLBA) */
    UCHAR BlockDescriptorLength[2]; /**< bytes of block descriptors that follow, big-endian */
} MODE_PARAMETER_HEADER10;
/** @brief Pointer to MODE_PARAMETER_HEADER10. */
typedef MODE_PARAMETER_HEADER10 *PMODE_PARAMETER_HEADER10;

/** @brief A short block descriptor (MODE_PARAMETER_BLOCK structure). */
typedef struct _MODE_PARAMETER_BLOCK {
    UCHAR DensityCode;       /**< density code (0 for disks) */
    UCHAR NumberOfBlocks[3]; /**< number of blocks, big-endian (0 = all) */
    UCHAR Reserved;          /**< reserved */
    UCHAR BlockLength[3];    /**< block length, big-endian */
} MODE_PARAMETER_BLOCK;
/** @brief Pointer to MODE_PARAMETER_BLOCK. */
typedef MODE_PARAMETER_BLOCK *PMODE_PARAMETER_BLOCK;

/**
 * @brief The caching mode page, page code 0x08 (MODE_CACHING_PAGE
 *        structure, scsi.h): the first 12 bytes of the SBC page.
 */
typedef struct _MODE_CACHING_PAGE {
    UCHAR PageCode : 6;               /**< byte 0 bits 0-5: MODE_PAGE_CACHING */
    UCHAR Reserved : 1;               /**< byte 0 bit 6: SPF */
    UCHAR PageSavable : 1;            /**< byte 0 bit 7: PS */
    UCHAR PageLength;                 /**< byte 1: bytes that follow (0x12 in SBC) */
    UCHAR ReadDisableCache : 1;       /**< byte 2 bit 0: RCD, read cache disabled */
    UCHAR MultiplicationFactor : 1;   /**< byte 2 bit 1: MF */
    UCHAR WriteCacheEnable : 1;       /**< byte 2 bit 2: WCE, volatile write cache enabled */
    UCHAR Reserved2 : 5;              /**< byte 2 bits 3-7: other flags */
    UCHAR WriteRetensionPriority : 4; /**< byte 3 bits 0-3: write retention priority */
    UCHAR ReadRetensionPriority : 4;  /**< byte 3 bits 4-7: read retention priority */
    UCHAR DisablePrefetchTransfer[2]; /**< bytes 4-5: disable prefetch transfer length */
    UCHAR MinimumPrefetch[2];         /**< bytes 6-7: minimum prefetch */
    UCHAR MaximumPrefetch[2];         /**< bytes 8-9: maximum prefetch */
    UCHAR MaximumPrefetchCeiling[2];  /**< bytes 10-11: maximum prefetch ceiling */
} MODE_CACHING_PAGE;
/** @brief Pointer to MODE_CACHING_PAGE. */
typedef MODE_CACHING_PAGE *PMODE_CACHING_PAGE;

#define MODE_PAGE_CACHING 0x08            /**< @brief Mode page: caching. */
#define MODE_PAGE_CONTROL 0x0A            /**< @brief Mode page: control. */
#define MODE_SENSE_RETURN_ALL 0x3f        /**< @brief MODE SENSE page code: return every page. */
#define MODE_SENSE_CURRENT_VALUES 0x00    /**< @brief MODE SENSE page control: current values. */
#define MODE_SENSE_CHANGEABLE_VALUES 0x40 /**< @brief MODE SENSE page control: changeable values. */
#define MODE_SENSE_DEFAULT_VAULES 0x80    /**< @brief MODE SENSE page control: default values (WDK spelling). */
#define MODE_SENSE_SAVED_VALUES 0xc0      /**< @brief MODE SENSE page control: saved values. */
#define MODE_DSP_FUA_SUPPORTED 0x10       /**< @brief DeviceSpecificParameter: DPO and FUA supported. */
#define MODE_DSP_WRITE_PROTECT 0x80       /**< @brief DeviceSpecificParameter: the medium is write protected. */

/** @} */

/* ------------------------------------------------------------------------ */

/**
 * @brief REPORT LUNS data (LUN_LIST structure, scsi.h): a header followed
 *        by one 8-byte LUN per logical unit.
 *
 * For LUN numbers below 256 with peripheral addressing, byte 1 of each
 * entry is the LUN and the other bytes are zero.
 */
typedef struct _LUN_LIST {
    UCHAR LunListLength[4]; /**< bytes of LUN entries (8 x count), big-endian */
    UCHAR Reserved[4];      /**< reserved */
    UCHAR Lun[][8];         /**< the LUN entries */
} LUN_LIST;
/** @brief Pointer to LUN_LIST. */
typedef LUN_LIST *PLUN_LIST;

/* ------------------------------------------------------------------------ */
/** @name Byte-order helpers */
/** @{ */

/** @brief A ULONGLONG seen as its eight bytes (EIGHT_BYTE union). */
typedef union _EIGHT_BYTE {
    struct {
        UCHAR Byte0; /**< least significant byte on little-endian */
        UCHAR Byte1; /**< byte 1 */
        UCHAR Byte2; /**< byte 2 */
        UCHAR Byte3; /**< byte 3 */
        UCHAR Byte4; /**< byte 4 */
        UCHAR Byte5; /**< byte 5 */
        UCHAR Byte6; /**< byte 6 */
        UCHAR Byte7; /**< most significant byte on little-endian */
    };
    ULONGLONG AsULongLong; /**< the value */
} EIGHT_BYTE;
/** @brief Pointer to EIGHT_BYTE. */
typedef EIGHT_BYTE *PEIGHT_BYTE;

/** @brief A ULONG seen as its four bytes (FOUR_BYTE union). */
typedef union _FOUR_BYTE {
    struct {
        UCHAR Byte0; /**< least significant byte on little-endian */
        UCHAR Byte1; /**< byte 1 */
        UCHAR Byte2; /**< byte 2 */
        UCHAR Byte3; /**< most significant byte on little-endian */
    };
    ULONG AsULong; /**< the value */
} FOUR_BYTE;
/** @brief Pointer to FOUR_BYTE. */
typedef FOUR_BYTE *PFOUR_BYTE;

/** @brief A USHORT seen as its two bytes (TWO_BYTE union). */
typedef union _TWO_BYTE {
    struct {
        UCHAR Byte0; /**< least significant byte on little-endian */
        UCHAR Byte1; /**< most significant byte on little-endian */
    };
    USHORT AsUShort; /**< the value */
} TWO_BYTE;
/** @brief Pointer to TWO_BYTE. */
typedef TWO_BYTE *PTWO_BYTE;

/**
 * @brief Copies the 8 bytes at @p Source to @p Destination in reverse
 *        order (little-endian <-> big-endian), e.g. a ULONGLONG LBA into
 *        READ_CAPACITY_DATA_EX or out of CDB16.LogicalBlock.
 */
#define REVERSE_BYTES_QUAD(Destination, Source) do {   \
        PEIGHT_BYTE d_ = (PEIGHT_BYTE)(Destination);   \
        PEIGHT_BYTE s_ = (PEIGHT_BYTE)(Source);        \
        d_->Byte7 = s_->Byte0; d_->Byte6 = s_->Byte1;  \
        d_->Byte5 = s_->Byte2; d_->Byte4 = s_->Byte3;  \
        d_->Byte3 = s_->Byte4; d_->Byte2 = s_->Byte5;  \
        d_->Byte1 = s_->Byte6; d_->Byte0 = s_->Byte7;  \
    } while (0)

/** @brief Copies the 4 bytes at @p Source to @p Destination in reverse
 *         order, e.g. a ULONG into READ_CAPACITY_DATA. */
#define REVERSE_BYTES(Destination, Source) do {        \
        PFOUR_BYTE d_ = (PFOUR_BYTE)(Destination);     \
        PFOUR_BYTE s_ = (PFOUR_BYTE)(Source);          \
        d_->Byte3 = s_->Byte0; d_->Byte2 = s_->Byte1;  \
        d_->Byte1 = s_->Byte2; d_->Byte0 = s_->Byte3;  \
    } while (0)

/** @brief Copies the 2 bytes at @p Source to @p Destination in reverse order. */
#define REVERSE_BYTES_SHORT(Destination, Source) do {  \
        PTWO_BYTE d_ = (PTWO_BYTE)(Destination);       \
        PTWO_BYTE s_ = (PTWO_BYTE)(Source);            \
        d_->Byte1 = s_->Byte0; d_->Byte0 = s_->Byte1;  \
    } while (0)

/** @brief Reverses the two bytes of the USHORT at @p Short in place. */
#define REVERSE_SHORT(Short) do {                      \
        PTWO_BYTE w_ = (PTWO_BYTE)(Short);             \
        UCHAR t_ = w_->Byte0;                          \
        w_->Byte0 = w_->Byte1; w_->Byte1 = t_;         \
    } while (0)

/** @brief Reverses the four bytes of the ULONG at @p Long in place. */
#define REVERSE_LONG(Long) do {                        \
        PFOUR_BYTE l_ = (PFOUR_BYTE)(Long);            \
        UCHAR t_ = l_->Byte3;                          \
        l_->Byte3 = l_->Byte0; l_->Byte0 = t_;         \
        t_ = l_->Byte2;                                \
        l_->Byte2 = l_->Byte1; l_->Byte1 = t_;         \
    } while (0)

/** @} */

#pragma pack(pop)

/** @cond STORSIM_LAYOUT_CHECKS */
_Static_assert(sizeof(CDB) == 16, "CDB size");
_Static_assert(sizeof(((CDB *)0)->CDB10) == 10, "CDB10 size");
_Static_assert(sizeof(((CDB *)0)->CDB16) == 16, "CDB16 size");
_Static_assert(sizeof(SENSE_DATA) == 18, "SENSE_DATA size");
_Static_assert(offsetof(SENSE_DATA, AdditionalSenseCode) == 12, "SENSE_DATA ASC offset");
_Static_assert(sizeof(INQUIRYDATA) == 104, "INQUIRYDATA size");
_Static_assert(offsetof(INQUIRYDATA, VendorId) == 8, "INQUIRYDATA VendorId offset");
_Static_assert(sizeof(READ_CAPACITY_DATA) == 8, "READ_CAPACITY_DATA size");
_Static_assert(sizeof(READ_CAPACITY_DATA_EX) == 12, "READ_CAPACITY_DATA_EX size");
_Static_assert(sizeof(READ_CAPACITY16_DATA) == 32, "READ_CAPACITY16_DATA size");
_Static_assert(sizeof(MODE_PARAMETER_HEADER10) == 8, "MODE_PARAMETER_HEADER10 size");
_Static_assert(sizeof(LUN_LIST) == 8, "LUN_LIST header size");
/** @endcond */

/* ------------------------------------------------------------------------ */
/** @name Operation codes (CDB byte 0) */
/** @{ */

#define SCSIOP_TEST_UNIT_READY 0x00         /**< @brief TEST UNIT READY. */
#define SCSIOP_REZERO_UNIT 0x01             /**< @brief REZERO UNIT (obsolete). */
#define SCSIOP_REQUEST_SENSE 0x03           /**< @brief REQUEST SENSE. */
#define SCSIOP_FORMAT_UNIT 0x04             /**< @brief FORMAT UNIT. */
#define SCSIOP_READ_BLOCK_LIMITS 0x05       /**< @brief READ BLOCK LIMITS (tape). */
#define SCSIOP_REASSIGN_BLOCKS 0x07         /**< @brief REASSIGN BLOCKS. */
#define SCSIOP_READ6 0x08                   /**< @brief READ(6). */
#define SCSIOP_WRITE6 0x0A                  /**< @brief WRITE(6). */
#define SCSIOP_SEEK6 0x0B                   /**< @brief SEEK(6) (obsolete). */
#define SCSIOP_INQUIRY 0x12                 /**< @brief INQUIRY. */
#define SCSIOP_VERIFY6 0x13                 /**< @brief VERIFY(6) (tape). */
#define SCSIOP_MODE_SELECT 0x15             /**< @brief MODE SELECT(6). */
#define SCSIOP_RESERVE_UNIT 0x16            /**< @brief RESERVE(6). */
#define SCSIOP_RELEASE_UNIT 0x17            /**< @brief RELEASE(6). */
#define SCSIOP_MODE_SENSE 0x1A              /**< @brief MODE SENSE(6). */
#define SCSIOP_START_STOP_UNIT 0x1B         /**< @brief START STOP UNIT. */
#define SCSIOP_RECEIVE_DIAGNOSTIC 0x1C      /**< @brief RECEIVE DIAGNOSTIC RESULTS. */
#define SCSIOP_SEND_DIAGNOSTIC 0x1D         /**< @brief SEND DIAGNOSTIC. */
#define SCSIOP_MEDIUM_REMOVAL 0x1E          /**< @brief PREVENT ALLOW MEDIUM REMOVAL. */
#define SCSIOP_READ_FORMATTED_CAPACITY 0x23 /**< @brief READ FORMAT CAPACITIES. */
#define SCSIOP_READ_CAPACITY 0x25           /**< @brief READ CAPACITY(10). */
#define SCSIOP_READ 0x28                    /**< @brief READ(10). */
#define SCSIOP_WRITE 0x2A                   /**< @brief WRITE(10). */
#define SCSIOP_SEEK 0x2B                    /**< @brief SEEK(10). */
#define SCSIOP_WRITE_VERIFY 0x2E            /**< @brief WRITE AND VERIFY(10). */
#define SCSIOP_VERIFY 0x2F                  /**< @brief VERIFY(10). */
#define SCSIOP_SYNCHRONIZE_CACHE 0x35       /**< @brief SYNCHRONIZE CACHE(10). */
#define SCSIOP_WRITE_DATA_BUFF 0x3B         /**< @brief WRITE BUFFER. */
#define SCSIOP_READ_DATA_BUFF 0x3C          /**< @brief READ BUFFER. */
#define SCSIOP_WRITE_SAME 0x41              /**< @brief WRITE SAME(10). */
#define SCSIOP_LOG_SELECT 0x4C              /**< @brief LOG SELECT. */
#define SCSIOP_LOG_SENSE 0x4D               /**< @brief LOG SENSE. */
#define SCSIOP_MODE_SELECT10 0x55           /**< @brief MODE SELECT(10). */
#define SCSIOP_MODE_SENSE10 0x5A            /**< @brief MODE SENSE(10). */
#define SCSIOP_PERSISTENT_RESERVE_IN 0x5E   /**< @brief PERSISTENT RESERVE IN. */
#define SCSIOP_PERSISTENT_RESERVE_OUT 0x5F  /**< @brief PERSISTENT RESERVE OUT. */
#define SCSIOP_READ16 0x88                  /**< @brief READ(16). */
#define SCSIOP_WRITE16 0x8A                 /**< @brief WRITE(16). */
#define SCSIOP_VERIFY16 0x8F                /**< @brief VERIFY(16). */
#define SCSIOP_SYNCHRONIZE_CACHE16 0x91     /**< @brief SYNCHRONIZE CACHE(16). */
#define SCSIOP_WRITE_SAME16 0x93            /**< @brief WRITE SAME(16). */
#define SCSIOP_READ_CAPACITY16 0x9E         /**< @brief READ CAPACITY(16): SERVICE ACTION IN(16) + SERVICE_ACTION_READ_CAPACITY16. */
#define SCSIOP_SERVICE_ACTION_IN16 0x9E     /**< @brief SERVICE ACTION IN(16). */
#define SCSIOP_SERVICE_ACTION_OUT16 0x9F    /**< @brief SERVICE ACTION OUT(16). */
#define SCSIOP_REPORT_LUNS 0xA0             /**< @brief REPORT LUNS. */
#define SCSIOP_READ12 0xA8                  /**< @brief READ(12). */
#define SCSIOP_WRITE12 0xAA                 /**< @brief WRITE(12). */
#define SCSIOP_VERIFY12 0xAF                /**< @brief VERIFY(12). */

/** @brief SERVICE ACTION IN(16) service action of READ CAPACITY(16). */
#define SERVICE_ACTION_READ_CAPACITY16 0x10

/** @} */

/* ------------------------------------------------------------------------ */
/** @name SCSI status (SCSI_REQUEST_BLOCK.ScsiStatus) */
/** @{ */

#define SCSISTAT_GOOD 0x00                  /**< @brief The command succeeded. */
#define SCSISTAT_CHECK_CONDITION 0x02       /**< @brief Failed; sense data describes why. */
#define SCSISTAT_CONDITION_MET 0x04         /**< @brief Condition met (PRE-FETCH). */
#define SCSISTAT_BUSY 0x08                  /**< @brief The target is busy; retry later. */
#define SCSISTAT_INTERMEDIATE 0x10          /**< @brief Intermediate (obsolete, linked commands). */
#define SCSISTAT_INTERMEDIATE_COND_MET 0x14 /**< @brief Intermediate, condition met (obsolete). */
#define SCSISTAT_RESERVATION_CONFLICT 0x18  /**< @brief Another initiator holds a reservation. */
#define SCSISTAT_COMMAND_TERMINATED 0x22    /**< @brief Command terminated (obsolete). */
#define SCSISTAT_QUEUE_FULL 0x28            /**< @brief TASK SET FULL: the LU's queue is full. */

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Peripheral device types and qualifiers (INQUIRYDATA byte 0) */
/** @{ */

#define DIRECT_ACCESS_DEVICE 0x00            /**< @brief Disk (SBC). */
#define SEQUENTIAL_ACCESS_DEVICE 0x01        /**< @brief Tape. */
#define PRINTER_DEVICE 0x02                  /**< @brief Printer. */
#define PROCESSOR_DEVICE 0x03                /**< @brief Processor. */
#define WRITE_ONCE_READ_MULTIPLE_DEVICE 0x04 /**< @brief Write-once (WORM). */
#define READ_ONLY_DIRECT_ACCESS_DEVICE 0x05  /**< @brief CD/DVD. */
#define SCANNER_DEVICE 0x06                  /**< @brief Scanner. */
#define OPTICAL_DEVICE 0x07                  /**< @brief Optical memory. */
#define MEDIUM_CHANGER 0x08                  /**< @brief Medium changer (jukebox). */
#define COMMUNICATION_DEVICE 0x09            /**< @brief Communication device. */
#define ARRAY_CONTROLLER_DEVICE 0x0C         /**< @brief Storage array controller. */
#define SCSI_ENCLOSURE_DEVICE 0x0D           /**< @brief Enclosure services. */
#define REDUCED_BLOCK_DEVICE 0x0E            /**< @brief Simplified direct access. */
#define OPTICAL_CARD_READER_WRITER_DEVICE 0x0F /**< @brief Optical card reader/writer. */
#define BRIDGE_CONTROLLER_DEVICE 0x10        /**< @brief Bridge controller. */
#define OBJECT_BASED_STORAGE_DEVICE 0x11     /**< @brief Object-based storage. */
#define LOGICAL_UNIT_NOT_PRESENT_DEVICE 0x7F /**< @brief No logical unit at this LUN. */

#define DEVICE_QUALIFIER_ACTIVE 0x00        /**< @brief A device of this type is connected to this LU. */
#define DEVICE_QUALIFIER_NOT_ACTIVE 0x01    /**< @brief Supported, but not connected now. */
#define DEVICE_QUALIFIER_NOT_SUPPORTED 0x03 /**< @brief No device can be supported at this LU. */
#define DEVICE_CONNECTED 0x00               /**< @brief Older name of DEVICE_QUALIFIER_ACTIVE. */

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Sense data: response codes, sense keys, ASC and ASCQ */
/** @{ */

#define SCSI_SENSE_ERRORCODE_FIXED_CURRENT 0x70       /**< @brief Fixed format, current error. */
#define SCSI_SENSE_ERRORCODE_FIXED_DEFERRED 0x71      /**< @brief Fixed format, deferred error. */
#define SCSI_SENSE_ERRORCODE_DESCRIPTOR_CURRENT 0x72  /**< @brief Descriptor format, current error. */
#define SCSI_SENSE_ERRORCODE_DESCRIPTOR_DEFERRED 0x73 /**< @brief Descriptor format, deferred error. */

#define SCSI_SENSE_NO_SENSE 0x00        /**< @brief Sense key: no error. */
#define SCSI_SENSE_RECOVERED_ERROR 0x01 /**< @brief Sense key: recovered error. */
#define SCSI_SENSE_NOT_READY 0x02       /**< @brief Sense key: the LU is not ready. */
#define SCSI_SENSE_MEDIUM_ERROR 0x03    /**< @brief Sense key: unrecovered medium error. */
#define SCSI_SENSE_HARDWARE_ERROR 0x04  /**< @brief Sense key: hardware failure. */
#define SCSI_SENSE_ILLEGAL_REQUEST 0x05 /**< @brief Sense key: bad CDB or parameter. */
#define SCSI_SENSE_UNIT_ATTENTION 0x06  /**< @brief Sense key: reset, medium change, parameters changed. */
#define SCSI_SENSE_DATA_PROTECT 0x07    /**< @brief Sense key: write protected. */
#define SCSI_SENSE_BLANK_CHECK 0x08     /**< @brief Sense key: blank medium. */
#define SCSI_SENSE_UNIQUE 0x09          /**< @brief Sense key: vendor specific. */
#define SCSI_SENSE_COPY_ABORTED 0x0A    /**< @brief Sense key: copy aborted. */
#define SCSI_SENSE_ABORTED_COMMAND 0x0B /**< @brief Sense key: the target aborted the command. */
#define SCSI_SENSE_EQUAL 0x0C           /**< @brief Sense key: equal (obsolete). */
#define SCSI_SENSE_VOL_OVERFLOW 0x0D    /**< @brief Sense key: volume overflow. */
#define SCSI_SENSE_MISCOMPARE 0x0E      /**< @brief Sense key: miscompare. */
#define SCSI_SENSE_RESERVED 0x0F        /**< @brief Sense key: reserved. */

#define SCSI_ADSENSE_NO_SENSE 0x00                     /**< @brief ASC: no additional sense information. */
#define SCSI_ADSENSE_NO_SEEK_COMPLETE 0x02             /**< @brief ASC: no seek complete. */
#define SCSI_ADSENSE_LUN_NOT_READY 0x04                /**< @brief ASC: logical unit not ready (ASCQ says why). */
#define SCSI_ADSENSE_LUN_COMMUNICATION 0x08            /**< @brief ASC: logical unit communication failure. */
#define SCSI_ADSENSE_WRITE_ERROR 0x0C                  /**< @brief ASC: write error. */
#define SCSI_ADSENSE_UNRECOVERED_ERROR 0x11            /**< @brief ASC: unrecovered read error. */
#define SCSI_ADSENSE_TRACK_ERROR 0x14                  /**< @brief ASC: recorded entity not found. */
#define SCSI_ADSENSE_SEEK_ERROR 0x15                   /**< @brief ASC: positioning error. */
#define SCSI_ADSENSE_REC_DATA_NOECC 0x17               /**< @brief ASC: recovered data without ECC. */
#define SCSI_ADSENSE_REC_DATA_ECC 0x18                 /**< @brief ASC: recovered data with ECC. */
#define SCSI_ADSENSE_PARAMETER_LIST_LENGTH 0x1A        /**< @brief ASC: parameter list length error. */
#define SCSI_ADSENSE_ILLEGAL_COMMAND 0x20              /**< @brief ASC: invalid command operation code. */
#define SCSI_ADSENSE_ILLEGAL_BLOCK 0x21                /**< @brief ASC: LBA out of range. */
#define SCSI_ADSENSE_INVALID_CDB 0x24                  /**< @brief ASC: invalid field in CDB. */
#define SCSI_ADSENSE_INVALID_LUN 0x25                  /**< @brief ASC: logical unit not supported. */
#define SCSI_ADSENSE_INVALID_FIELD_PARAMETER_LIST 0x26 /**< @brief ASC: invalid field in parameter list. */
#define SCSI_ADSENSE_WRITE_PROTECT 0x27                /**< @brief ASC: write protected. */
#define SCSI_ADWRITE_PROTECT SCSI_ADSENSE_WRITE_PROTECT /**< @brief Older WDK name of SCSI_ADSENSE_WRITE_PROTECT. */
#define SCSI_ADSENSE_MEDIUM_CHANGED 0x28               /**< @brief ASC: not ready to ready change, medium may have changed. */
#define SCSI_ADSENSE_BUS_RESET 0x29                    /**< @brief ASC: power on, reset, or bus device reset occurred. */
#define SCSI_ADSENSE_PARAMETERS_CHANGED 0x2A           /**< @brief ASC: parameters changed. */
#define SCSI_ADSENSE_INVALID_MEDIA 0x30                /**< @brief ASC: incompatible medium. */
#define SCSI_ADSENSE_NO_MEDIA_IN_DEVICE 0x3a           /**< @brief ASC: medium not present. */
#define SCSI_ADSENSE_POSITION_ERROR 0x3b               /**< @brief ASC: sequential positioning error. */
#define SCSI_ADSENSE_OPERATING_CONDITIONS_CHANGED 0x3f /**< @brief ASC: target operating conditions have changed. */
#define SCSI_ADSENSE_INTERNAL_TARGET_FAILURE 0x44      /**< @brief ASC: internal target failure. */

#define SCSI_SENSEQ_CAUSE_NOT_REPORTABLE 0x00         /**< @brief ASCQ for LUN_NOT_READY: cause not reportable. */
#define SCSI_SENSEQ_BECOMING_READY 0x01               /**< @brief ASCQ for LUN_NOT_READY: becoming ready. */
#define SCSI_SENSEQ_INIT_COMMAND_REQUIRED 0x02        /**< @brief ASCQ for LUN_NOT_READY: initializing command required. */
#define SCSI_SENSEQ_MANUAL_INTERVENTION_REQUIRED 0x03 /**< @brief ASCQ for LUN_NOT_READY: manual intervention required. */
#define SCSI_SENSEQ_FORMAT_IN_PROGRESS 0x04           /**< @brief ASCQ for LUN_NOT_READY: format in progress. */

/** @} */

/** @} */ /* wdk_scsi */

#endif /* STORSIM_WDK_SCSI_H */
