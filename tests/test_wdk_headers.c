/*
 * test_wdk_headers.c -- checks the WDK-faithful headers in include/wdk.
 *
 * Interface: wdk_headers_suite(), run by tests/check_main.c.
 *
 * What must hold, and why it can break:
 *  - the structures have the Windows x64 layouts (a reordered field or a
 *    wrong type on LP64, where long is 64 bits, moves every later offset);
 *    HW_INITIALIZATION_DATA's offsets are those a shipped x64 Storport
 *    miniport (stornvme) stores to, the others follow the WDK declarations;
 *  - the UCHAR bit-fields land on the bits the SCSI standard names;
 *  - constants have their WDK values;
 *  - the SrbGetXxx accessors give the same answers for a SCSI_REQUEST_BLOCK
 *    and an equivalent STORAGE_REQUEST_BLOCK (built here by hand, as
 *    Storport would: address and CDB16 block after the fixed part);
 *  - every port-library routine name is a macro that records the call site.
 *    The test does not call the routines (the simulator library provides
 *    them and storsim_call_site()); it checks the macro expansion text.
 */
#include <stddef.h>
#include <string.h>

#include <check.h>

#include "storport.h"

/* ------------------------------------------------------------------------ */

START_TEST(base_types_have_windows_x64_sizes)
{
    ck_assert_uint_eq(sizeof(UCHAR), 1);
    ck_assert_uint_eq(sizeof(BOOLEAN), 1);
    ck_assert_uint_eq(sizeof(USHORT), 2);
    ck_assert_uint_eq(sizeof(ULONG), 4);   /* not the host's 8-byte long */
    ck_assert_uint_eq(sizeof(LONG), 4);
    ck_assert_uint_eq(sizeof(LONGLONG), 8);
    ck_assert_uint_eq(sizeof(ULONG_PTR), 8);
    ck_assert_uint_eq(sizeof(PVOID), 8);
    ck_assert_uint_eq(sizeof(LARGE_INTEGER), 8);
    ck_assert_uint_eq(sizeof(ACCESS_RANGE), 16);
    ck_assert_int_eq(TRUE, 1);
    ck_assert_int_eq(FALSE, 0);
}
END_TEST

START_TEST(large_integer_halves_alias_the_quad)
{
    LARGE_INTEGER v;

    v.QuadPart = 0x1122334455667788LL;
    ck_assert_uint_eq(v.LowPart, 0x55667788u);
    ck_assert_int_eq(v.HighPart, 0x11223344);
    ck_assert_uint_eq(v.u.LowPart, 0x55667788u);
    ck_assert_int_eq(v.u.HighPart, 0x11223344);
}
END_TEST

START_TEST(scsi_request_block_layout)
{
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, Length), 0);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, Function), 2);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, SrbStatus), 3);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, ScsiStatus), 4);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, PathId), 5);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, TargetId), 6);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, Lun), 7);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, QueueTag), 8);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, QueueAction), 9);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, CdbLength), 0xa);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, SenseInfoBufferLength), 0xb);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, SrbFlags), 0xc);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, DataTransferLength), 0x10);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, TimeOutValue), 0x14);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, DataBuffer), 0x18);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, SenseInfoBuffer), 0x20);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, NextSrb), 0x28);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, OriginalRequest), 0x30);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, SrbExtension), 0x38);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, InternalStatus), 0x40);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, QueueSortKey), 0x40);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, LinkTimeoutValue), 0x40);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, Reserved), 0x44);
    ck_assert_uint_eq(offsetof(SCSI_REQUEST_BLOCK, Cdb), 0x48);
    ck_assert_uint_eq(sizeof(SCSI_REQUEST_BLOCK), 0x58);
    ck_assert_uint_eq(SCSI_REQUEST_BLOCK_SIZE, 0x58);
}
END_TEST

START_TEST(storage_request_block_layout)
{
    ck_assert_uint_eq(sizeof(STORAGE_REQUEST_BLOCK_HEADER), 8);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, Function), 2);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, SrbStatus), 3);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, Signature), 8);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, SrbLength), 16);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, SrbFunction), 20);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, SrbFlags), 24);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, RequestTag), 32);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, RequestAttribute), 38);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, TimeOutValue), 40);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, SystemStatus), 44);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, RequestTagHigh4Bytes), 44);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, AddressOffset), 52);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, NumSrbExData), 56);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, DataTransferLength), 60);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, DataBuffer), 64);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, OriginalRequest), 80);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, MiniportContext), 104);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, NextSrb), 112);
    ck_assert_uint_eq(offsetof(STORAGE_REQUEST_BLOCK, SrbExDataOffset), 120);
    ck_assert_uint_eq(sizeof(STORAGE_REQUEST_BLOCK), 128);

    ck_assert_uint_eq(sizeof(STOR_ADDR_BTL8), 16);
    ck_assert_uint_eq(offsetof(STOR_ADDR_BTL8, Path), 8);
    ck_assert_uint_eq(offsetof(STOR_ADDR_BTL8, Lun), 10);
    ck_assert_uint_eq(SRB_ALIGN_SIZEOF(STOR_ADDR_BTL8), 16);

    ck_assert_uint_eq(offsetof(SRBEX_DATA_SCSI_CDB16, ScsiStatus), 8);
    ck_assert_uint_eq(offsetof(SRBEX_DATA_SCSI_CDB16, CdbLength), 10);
    ck_assert_uint_eq(offsetof(SRBEX_DATA_SCSI_CDB16, SenseInfoBuffer), 16);
    ck_assert_uint_eq(offsetof(SRBEX_DATA_SCSI_CDB16, Cdb), 24);
    ck_assert_uint_eq(sizeof(SRBEX_DATA_SCSI_CDB16), 40);
    ck_assert_uint_eq(SRBEX_DATA_SCSI_CDB16_LENGTH, 32);
    ck_assert_uint_eq(sizeof(SRBEX_DATA_SCSI_CDB32), 56);
    ck_assert_uint_eq(SRBEX_DATA_SCSI_CDB32_LENGTH, 48);
    ck_assert_uint_eq(offsetof(SRBEX_DATA_SCSI_CDB_VAR, Cdb), 32);
    ck_assert_uint_eq(SRBEX_DATA_SCSI_CDB_VAR_LENGTH_MIN, 24);
    ck_assert_uint_eq(sizeof(SRBEX_DATA), 16);
}
END_TEST

START_TEST(hw_initialization_data_layout)
{
    /* The offsets stornvme.sys's DriverEntry stores to on x64. */
    ck_assert_uint_eq(offsetof(HW_INITIALIZATION_DATA, DeviceExtensionSize), 0x40);
    ck_assert_uint_eq(offsetof(HW_INITIALIZATION_DATA, SrbExtensionSize), 0x48);
    ck_assert_uint_eq(offsetof(HW_INITIALIZATION_DATA, MultipleRequestPerLu), 0x5c);
    ck_assert_uint_eq(offsetof(HW_INITIALIZATION_DATA, HwTracingEnabled), 0xb0);
    ck_assert_uint_eq(offsetof(HW_INITIALIZATION_DATA, SrbTypeFlags), 0xbc);
    ck_assert_uint_eq(offsetof(HW_INITIALIZATION_DATA, HwUnitControl), 0xc8);
    /* The rest of the WDK order. */
    ck_assert_uint_eq(offsetof(HW_INITIALIZATION_DATA, HwFindAdapter), 32);
    ck_assert_uint_eq(offsetof(HW_INITIALIZATION_DATA, MapBuffers), 88);
    ck_assert_uint_eq(offsetof(HW_INITIALIZATION_DATA, VendorId), 96);
    ck_assert_uint_eq(offsetof(HW_INITIALIZATION_DATA, ReservedUshort), 104);
    ck_assert_uint_eq(offsetof(HW_INITIALIZATION_DATA, PortVersionFlags), 104);
    ck_assert_uint_eq(offsetof(HW_INITIALIZATION_DATA, DeviceId), 112);
    ck_assert_uint_eq(offsetof(HW_INITIALIZATION_DATA, HwAdapterControl), 120);
    ck_assert_uint_eq(offsetof(HW_INITIALIZATION_DATA, HwBuildIo), 128);
    ck_assert_uint_eq(offsetof(HW_INITIALIZATION_DATA, FeatureSupport), 184);
    ck_assert_uint_eq(sizeof(HW_INITIALIZATION_DATA), 0xd0);
}
END_TEST

START_TEST(port_configuration_information_layout)
{
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, InterruptMode), 20);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, MaximumTransferLength), 24);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, NumberOfPhysicalBreaks), 28);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, AccessRanges), 56);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, Reserved), 64);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, MiniportDumpData), 64);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, NumberOfBuses), 72);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, InitiatorBusId), 73);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, CachesData), 83);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, MapBuffers), 89);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, TaggedQueuing), 91);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, AutoRequestSense), 92);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, MultipleRequestPerLu), 93);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, MaximumNumberOfTargets), 97);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, SrbType), 98);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, SlotNumber), 104);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, DeviceExtensionSize), 136);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, SrbExtensionSize), 144);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, MaximumNumberOfLogicalUnits), 150);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, WmiDataProvider), 151);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, SynchronizationModel), 152);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, HwMSInterruptRoutine), 160);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, DumpRegion), 176);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, VirtualDevice), 204);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, MaxNumberOfIO), 212);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, InitialLunQueueDepth), 220);
    ck_assert_uint_eq(offsetof(PORT_CONFIGURATION_INFORMATION, FeatureSupport), 228);
    ck_assert_uint_eq(sizeof(PORT_CONFIGURATION_INFORMATION), 232);
}
END_TEST

START_TEST(storport_object_layouts)
{
    ck_assert_uint_eq(sizeof(DPC_BUFFER), 64); /* a KDPC on x64 */
    ck_assert_uint_eq(sizeof(STOR_DPC), 72);
    ck_assert_uint_eq(sizeof(STOR_LOCK_HANDLE), 32);
    ck_assert_uint_eq(offsetof(STOR_LOCK_HANDLE, Context.OldIrql), 24);
    ck_assert_uint_eq(sizeof(STOR_SCATTER_GATHER_ELEMENT), 24);
    ck_assert_uint_eq(offsetof(STOR_SCATTER_GATHER_ELEMENT, Length), 8);
    ck_assert_uint_eq(offsetof(STOR_SCATTER_GATHER_LIST, List), 16);
}
END_TEST

/* ------------------------------------------------------------------------ */

START_TEST(cdb_bit_fields_land_on_scsi_bits)
{
    CDB cdb;

    ck_assert_uint_eq(sizeof(CDB), 16);
    ck_assert_uint_eq(sizeof(cdb.CDB6GENERIC), 6);
    ck_assert_uint_eq(sizeof(cdb.CDB10), 10);
    ck_assert_uint_eq(sizeof(cdb.CDB12), 12);
    ck_assert_uint_eq(sizeof(cdb.CDB16), 16);
    ck_assert_uint_eq(sizeof(cdb.READ_CAPACITY16), 16);

    memset(&cdb, 0, sizeof(cdb));
    cdb.CDB10.OperationCode = SCSIOP_READ;
    cdb.CDB10.ForceUnitAccess = 1;          /* byte 1 bit 3 */
    cdb.CDB10.LogicalBlockByte0 = 0x12;     /* big-endian LBA */
    cdb.CDB10.LogicalBlockByte3 = 0x78;
    cdb.CDB10.TransferBlocksMsb = 0x01;
    cdb.CDB10.TransferBlocksLsb = 0x02;
    ck_assert_uint_eq(cdb.AsByte[0], 0x28);
    ck_assert_uint_eq(cdb.AsByte[1], 0x08);
    ck_assert_uint_eq(cdb.AsByte[2], 0x12);
    ck_assert_uint_eq(cdb.AsByte[5], 0x78);
    ck_assert_uint_eq(cdb.AsByte[7], 0x01);
    ck_assert_uint_eq(cdb.AsByte[8], 0x02);

    memset(&cdb, 0, sizeof(cdb));
    cdb.CDB6INQUIRY3.EnableVitalProductData = 1; /* EVPD: byte 1 bit 0 */
    cdb.CDB6INQUIRY3.PageCode = VPD_SERIAL_NUMBER;
    ck_assert_uint_eq(cdb.AsByte[1], 0x01);
    ck_assert_uint_eq(cdb.AsByte[2], 0x80);

    memset(&cdb, 0, sizeof(cdb));
    cdb.MODE_SENSE.PageCode = MODE_PAGE_CACHING; /* byte 2 bits 0-5 */
    cdb.MODE_SENSE.Pc = 1;                       /* byte 2 bits 6-7 */
    cdb.MODE_SENSE.Dbd = 1;                      /* byte 1 bit 3 */
    ck_assert_uint_eq(cdb.AsByte[1], 0x08);
    ck_assert_uint_eq(cdb.AsByte[2], MODE_SENSE_CHANGEABLE_VALUES | MODE_PAGE_CACHING);

    memset(&cdb, 0, sizeof(cdb));
    cdb.READ_CAPACITY16.OperationCode = SCSIOP_READ_CAPACITY16;
    cdb.READ_CAPACITY16.ServiceAction = SERVICE_ACTION_READ_CAPACITY16;
    cdb.READ_CAPACITY16.AllocationLength[3] = 32;
    ck_assert_uint_eq(cdb.AsByte[0], 0x9e);
    ck_assert_uint_eq(cdb.AsByte[1], 0x10);
    ck_assert_uint_eq(cdb.AsByte[13], 32);

    memset(&cdb, 0, sizeof(cdb));
    cdb.SYNCHRONIZE_CACHE10.Immediate = 1; /* byte 1 bit 1 */
    ck_assert_uint_eq(cdb.AsByte[1], 0x02);
    cdb.REPORT_LUNS.AllocationLength[0] = 0xaa; /* bytes 6-9 */
    ck_assert_uint_eq(cdb.AsByte[6], 0xaa);
}
END_TEST

START_TEST(sense_data_is_fixed_format)
{
    SENSE_DATA sense;
    const UCHAR *b = (const UCHAR *)&sense;

    ck_assert_uint_eq(sizeof(SENSE_DATA), 18);
    ck_assert_uint_eq(SENSE_BUFFER_SIZE, 18);
    ck_assert_uint_eq(offsetof(SENSE_DATA, Information), 3);
    ck_assert_uint_eq(offsetof(SENSE_DATA, AdditionalSenseLength), 7);
    ck_assert_uint_eq(offsetof(SENSE_DATA, AdditionalSenseCode), 12);
    ck_assert_uint_eq(offsetof(SENSE_DATA, AdditionalSenseCodeQualifier), 13);
    ck_assert_uint_eq(offsetof(SENSE_DATA, SenseKeySpecific), 15);

    memset(&sense, 0, sizeof(sense));
    sense.ErrorCode = SCSI_SENSE_ERRORCODE_FIXED_CURRENT;
    sense.Valid = 1;
    sense.SenseKey = SCSI_SENSE_ILLEGAL_REQUEST;
    sense.FileMark = 1;
    ck_assert_uint_eq(b[0], 0xf0);
    ck_assert_uint_eq(b[2], 0x85);
}
END_TEST

START_TEST(inquiry_and_capacity_data_layouts)
{
    INQUIRYDATA inq;
    MODE_CACHING_PAGE caching;
    VPD_IDENTIFICATION_DESCRIPTOR id;

    ck_assert_uint_eq(sizeof(INQUIRYDATA), 104);
    ck_assert_uint_eq(offsetof(INQUIRYDATA, AdditionalLength), 4);
    ck_assert_uint_eq(offsetof(INQUIRYDATA, VendorId), 8);
    ck_assert_uint_eq(offsetof(INQUIRYDATA, ProductId), 16);
    ck_assert_uint_eq(offsetof(INQUIRYDATA, ProductRevisionLevel), 32);
    ck_assert_uint_eq(offsetof(INQUIRYDATA, VersionDescriptors), 58);
    ck_assert_uint_eq(INQUIRYDATABUFFERSIZE, 36);

    memset(&inq, 0, sizeof(inq));
    inq.DeviceType = DIRECT_ACCESS_DEVICE;
    inq.DeviceTypeQualifier = DEVICE_QUALIFIER_NOT_SUPPORTED;
    inq.RemovableMedia = 1;
    inq.CommandQueue = 1;
    ck_assert_uint_eq(((UCHAR *)&inq)[0], 0x60);
    ck_assert_uint_eq(((UCHAR *)&inq)[1], 0x80);
    ck_assert_uint_eq(((UCHAR *)&inq)[7], 0x02);

    ck_assert_uint_eq(sizeof(READ_CAPACITY_DATA), 8);
    ck_assert_uint_eq(sizeof(READ_CAPACITY_DATA_EX), 12);
    ck_assert_uint_eq(sizeof(READ_CAPACITY16_DATA), 32);
    ck_assert_uint_eq(sizeof(MODE_PARAMETER_HEADER), 4);
    ck_assert_uint_eq(sizeof(MODE_PARAMETER_HEADER10), 8);
    ck_assert_uint_eq(sizeof(MODE_PARAMETER_BLOCK), 8);
    ck_assert_uint_eq(sizeof(MODE_CACHING_PAGE), 12);
    ck_assert_uint_eq(sizeof(LUN_LIST), 8);
    ck_assert_uint_eq(sizeof(VPD_SUPPORTED_PAGES_PAGE), 4);
    ck_assert_uint_eq(sizeof(VPD_SERIAL_NUMBER_PAGE), 4);
    ck_assert_uint_eq(sizeof(VPD_IDENTIFICATION_PAGE), 4);

    memset(&caching, 0, sizeof(caching));
    caching.PageCode = MODE_PAGE_CACHING;
    caching.PageSavable = 1;
    caching.WriteCacheEnable = 1;           /* WCE: byte 2 bit 2 */
    ck_assert_uint_eq(((UCHAR *)&caching)[0], 0x88);
    ck_assert_uint_eq(((UCHAR *)&caching)[2], 0x04);

    memset(&id, 0, sizeof(id));
    id.CodeSet = VpdCodeSetAscii;
    id.IdentifierType = VpdIdentifierTypeVendorId;
    id.Association = VpdAssocDevice;
    ck_assert_uint_eq(((UCHAR *)&id)[0], 0x02);
    ck_assert_uint_eq(((UCHAR *)&id)[1], 0x01);
}
END_TEST

START_TEST(byte_reversal_macros)
{
    ULONG in32 = 0x11223344u, out32 = 0;
    ULONGLONG in64 = 0x0102030405060708ull, out64 = 0;
    USHORT in16 = 0xa1b2, out16 = 0;
    const UCHAR *b;

    REVERSE_BYTES(&out32, &in32);
    b = (const UCHAR *)&out32;
    ck_assert_uint_eq(b[0], 0x11);
    ck_assert_uint_eq(b[3], 0x44);

    REVERSE_BYTES_QUAD(&out64, &in64);
    b = (const UCHAR *)&out64;
    ck_assert_uint_eq(b[0], 0x01);
    ck_assert_uint_eq(b[7], 0x08);

    REVERSE_BYTES_SHORT(&out16, &in16);
    ck_assert_uint_eq(out16, 0xb2a1);

    REVERSE_SHORT(&out16);
    ck_assert_uint_eq(out16, 0xa1b2);
    REVERSE_LONG(&out32);
    ck_assert_uint_eq(out32, 0x11223344u);
}
END_TEST

/* ------------------------------------------------------------------------ */

START_TEST(srb_constants_have_wdk_values)
{
    ck_assert_int_eq(SRB_FUNCTION_EXECUTE_SCSI, 0x00);
    ck_assert_int_eq(SRB_FUNCTION_IO_CONTROL, 0x02);
    ck_assert_int_eq(SRB_FUNCTION_SHUTDOWN, 0x07);
    ck_assert_int_eq(SRB_FUNCTION_FLUSH, 0x08);
    ck_assert_int_eq(SRB_FUNCTION_ABORT_COMMAND, 0x10);
    ck_assert_int_eq(SRB_FUNCTION_RESET_BUS, 0x12);
    ck_assert_int_eq(SRB_FUNCTION_RESET_DEVICE, 0x13);
    ck_assert_int_eq(SRB_FUNCTION_RESET_LOGICAL_UNIT, 0x20);
    ck_assert_int_eq(SRB_FUNCTION_DUMP_POINTERS, 0x26);
    ck_assert_int_eq(SRB_FUNCTION_FREE_DUMP_POINTERS, 0x27);
    ck_assert_int_eq(SRB_FUNCTION_STORAGE_REQUEST_BLOCK, 0x28);

    ck_assert_int_eq(SRB_STATUS_PENDING, 0x00);
    ck_assert_int_eq(SRB_STATUS_SUCCESS, 0x01);
    ck_assert_int_eq(SRB_STATUS_ERROR, 0x04);
    ck_assert_int_eq(SRB_STATUS_BUSY, 0x05);
    ck_assert_int_eq(SRB_STATUS_SELECTION_TIMEOUT, 0x0a);
    ck_assert_int_eq(SRB_STATUS_BUS_RESET, 0x0e);
    ck_assert_int_eq(SRB_STATUS_DATA_OVERRUN, 0x12);
    ck_assert_int_eq(SRB_STATUS_INVALID_LUN, 0x20);
    ck_assert_int_eq(SRB_STATUS_INTERNAL_ERROR, 0x30);
    ck_assert_int_eq(SRB_STATUS_QUEUE_FROZEN, 0x40);
    ck_assert_int_eq(SRB_STATUS_AUTOSENSE_VALID, 0x80);
    ck_assert_int_eq(SRB_STATUS(SRB_STATUS_ERROR | SRB_STATUS_AUTOSENSE_VALID | SRB_STATUS_QUEUE_FROZEN),
                     SRB_STATUS_ERROR);

    ck_assert_uint_eq(SRB_FLAGS_QUEUE_ACTION_ENABLE, 0x2);
    ck_assert_uint_eq(SRB_FLAGS_DISABLE_AUTOSENSE, 0x20);
    ck_assert_uint_eq(SRB_FLAGS_DATA_IN, 0x40);
    ck_assert_uint_eq(SRB_FLAGS_DATA_OUT, 0x80);
    ck_assert_uint_eq(SRB_FLAGS_UNSPECIFIED_DIRECTION, 0xc0);
    ck_assert_uint_eq(SRB_FLAGS_NO_QUEUE_FREEZE, 0x100);
    ck_assert_uint_eq(SRB_FLAGS_BYPASS_LOCKED_QUEUE, 0x80000);
    ck_assert_int_eq(SRB_SIMPLE_TAG_REQUEST, 0x20);
    ck_assert_int_eq(SRB_HEAD_OF_QUEUE_TAG_REQUEST, 0x21);
    ck_assert_int_eq(SRB_ORDERED_QUEUE_TAG_REQUEST, 0x22);

    ck_assert_uint_eq(SP_UNINITIALIZED_VALUE, 0xffffffffu);
    ck_assert_uint_eq(SP_UNTAGGED, 0xff);
    ck_assert_int_eq(SP_RETURN_NOT_FOUND, 0);
    ck_assert_int_eq(SP_RETURN_FOUND, 1);
    ck_assert_int_eq(SP_RETURN_ERROR, 2);
    ck_assert_int_eq(SP_RETURN_BAD_CONFIG, 3);
    ck_assert_int_eq(SCSI_MAXIMUM_LOGICAL_UNITS, 8);
}
END_TEST

START_TEST(enumerations_have_wdk_values)
{
    ck_assert_int_eq(RequestComplete, 0);
    ck_assert_int_eq(NextRequest, 1);
    ck_assert_int_eq(NextLuRequest, 2);
    ck_assert_int_eq(ResetDetected, 3);
    ck_assert_int_eq(CallDisableInterrupts, 4);
    ck_assert_int_eq(CallEnableInterrupts, 5);
    ck_assert_int_eq(RequestTimerCall, 6);
    ck_assert_int_eq(BusChangeDetected, 7);
    ck_assert_int_eq(LinkUp, 10);
    ck_assert_int_eq(TraceNotification, 14);
    ck_assert_int_eq(EnablePassiveInitialization, 0x1000);
    ck_assert_int_eq(InitializeDpc, 0x1001);
    ck_assert_int_eq(IssueDpc, 0x1002);
    ck_assert_int_eq(AcquireSpinLock, 0x1003);
    ck_assert_int_eq(ReleaseSpinLock, 0x1004);
    ck_assert_int_eq((STORPORT_NOTIFICATION_TYPE)RequestComplete, RequestComplete);

    ck_assert_int_eq(DpcLock, 1);
    ck_assert_int_eq(StartIoLock, 2);
    ck_assert_int_eq(InterruptLock, 3);
    ck_assert_int_eq(StorSynchronizeHalfDuplex, 0);
    ck_assert_int_eq(StorSynchronizeFullDuplex, 1);
    ck_assert_int_eq(LevelSensitive, 0);
    ck_assert_int_eq(Latched, 1);
    ck_assert_int_eq(Internal, 0);
    ck_assert_int_eq(PCIBus, 5);
    ck_assert_int_eq(ScsiQuerySupportedControlTypes, 0);
    ck_assert_int_eq(ScsiStopAdapter, 1);
    ck_assert_int_eq(ScsiRestartAdapter, 2);
    ck_assert_int_eq(ScsiAdapterControlSuccess, 0);
    ck_assert_int_eq(SrbExDataTypeScsiCdb16, 0x40);
    ck_assert_int_eq(SrbExDataTypeScsiCdb32, 0x41);
    ck_assert_int_eq(SrbExDataTypeScsiCdbVar, 0x42);
}
END_TEST

START_TEST(storport_constants_have_wdk_values)
{
    ck_assert_int_eq(STOR_MAP_NO_BUFFERS, 0);
    ck_assert_int_eq(STOR_MAP_ALL_BUFFERS, 1);
    ck_assert_int_eq(STOR_MAP_NON_READ_WRITE_BUFFERS, 2);
    ck_assert_int_eq(STOR_MAP_ALL_BUFFERS_INCLUDING_READ_WRITE, 3);
    ck_assert_uint_eq(STOR_STATUS_SUCCESS, 0);
    ck_assert_uint_eq(STOR_STATUS_UNSUCCESSFUL, 0xc1000001u);
    ck_assert_uint_eq(STOR_STATUS_INSUFFICIENT_RESOURCES, 0xc1000003u);
    ck_assert_uint_eq(STOR_STATUS_BUSY, 0xc100000cu);
    ck_assert_uint_eq(STOR_FEATURE_VIRTUAL_MINIPORT, 0x1);
    ck_assert_uint_eq(STOR_FEATURE_DUMP_POINTERS, 0x8);
    ck_assert_uint_eq(SRB_TYPE_FLAG_SCSI_REQUEST_BLOCK, 0x1);
    ck_assert_uint_eq(SRB_TYPE_FLAG_STORAGE_REQUEST_BLOCK, 0x2);
    ck_assert_uint_eq(ADDRESS_TYPE_FLAG_BTL8, 0x1);
    ck_assert_uint_eq(SRB_TYPE_STORAGE_REQUEST_BLOCK, 1);
    ck_assert_uint_eq(SRB_SIGNATURE, 0x53524258u);
    ck_assert_uint_eq(memcmp(&(ULONG){SRB_SIGNATURE}, "XBRS", 4), 0); /* "SRBX", little-endian */
    ck_assert_uint_eq(STORAGE_REQUEST_BLOCK_VERSION_1, 1);
    ck_assert_uint_eq(STOR_ADDRESS_TYPE_BTL8, 1);
    ck_assert_uint_eq(STOR_ADDR_BTL8_ADDRESS_LENGTH, 4);
}
END_TEST

START_TEST(scsi_constants_have_wdk_values)
{
    ck_assert_int_eq(SCSIOP_TEST_UNIT_READY, 0x00);
    ck_assert_int_eq(SCSIOP_REQUEST_SENSE, 0x03);
    ck_assert_int_eq(SCSIOP_READ6, 0x08);
    ck_assert_int_eq(SCSIOP_WRITE6, 0x0a);
    ck_assert_int_eq(SCSIOP_INQUIRY, 0x12);
    ck_assert_int_eq(SCSIOP_MODE_SENSE, 0x1a);
    ck_assert_int_eq(SCSIOP_READ_CAPACITY, 0x25);
    ck_assert_int_eq(SCSIOP_READ, 0x28);
    ck_assert_int_eq(SCSIOP_WRITE, 0x2a);
    ck_assert_int_eq(SCSIOP_VERIFY, 0x2f);
    ck_assert_int_eq(SCSIOP_SYNCHRONIZE_CACHE, 0x35);
    ck_assert_int_eq(SCSIOP_MODE_SENSE10, 0x5a);
    ck_assert_int_eq(SCSIOP_READ16, 0x88);
    ck_assert_int_eq(SCSIOP_WRITE16, 0x8a);
    ck_assert_int_eq(SCSIOP_READ_CAPACITY16, 0x9e);
    ck_assert_int_eq(SCSIOP_SERVICE_ACTION_IN16, 0x9e);
    ck_assert_int_eq(SCSIOP_REPORT_LUNS, 0xa0);

    ck_assert_int_eq(SCSISTAT_GOOD, 0x00);
    ck_assert_int_eq(SCSISTAT_CHECK_CONDITION, 0x02);
    ck_assert_int_eq(SCSISTAT_BUSY, 0x08);
    ck_assert_int_eq(SCSISTAT_RESERVATION_CONFLICT, 0x18);
    ck_assert_int_eq(SCSISTAT_QUEUE_FULL, 0x28);

    ck_assert_int_eq(SCSI_SENSE_NOT_READY, 0x02);
    ck_assert_int_eq(SCSI_SENSE_MEDIUM_ERROR, 0x03);
    ck_assert_int_eq(SCSI_SENSE_ILLEGAL_REQUEST, 0x05);
    ck_assert_int_eq(SCSI_SENSE_UNIT_ATTENTION, 0x06);
    ck_assert_int_eq(SCSI_ADSENSE_LUN_NOT_READY, 0x04);
    ck_assert_int_eq(SCSI_ADSENSE_UNRECOVERED_ERROR, 0x11);
    ck_assert_int_eq(SCSI_ADSENSE_ILLEGAL_COMMAND, 0x20);
    ck_assert_int_eq(SCSI_ADSENSE_ILLEGAL_BLOCK, 0x21);
    ck_assert_int_eq(SCSI_ADSENSE_INVALID_CDB, 0x24);
    ck_assert_int_eq(SCSI_ADSENSE_INVALID_LUN, 0x25);
    ck_assert_int_eq(SCSI_ADSENSE_BUS_RESET, 0x29);
    ck_assert_int_eq(SCSI_SENSE_ERRORCODE_FIXED_CURRENT, 0x70);
    ck_assert_int_eq(VPD_SUPPORTED_PAGES, 0x00);
    ck_assert_int_eq(VPD_SERIAL_NUMBER, 0x80);
    ck_assert_int_eq(VPD_DEVICE_IDENTIFIERS, 0x83);
    ck_assert_int_eq(DIRECT_ACCESS_DEVICE, 0x00);
    ck_assert_int_eq(LOGICAL_UNIT_NOT_PRESENT_DEVICE, 0x7f);
}
END_TEST

/* ------------------------------------------------------------------------ */

/* An extended SRB as Storport lays one out: fixed part, address, CDB block. */
struct srb_ex_image {
    STORAGE_REQUEST_BLOCK srb;
    STOR_ADDR_BTL8 address;
    SRBEX_DATA_SCSI_CDB16 cdb16;
};

static UCHAR sense_buffer[SENSE_BUFFER_SIZE];
static UCHAR data_buffer[4096];
static UCHAR extension[64];
static int irp_stand_in;

/* Fills @srb and @ex with the same READ(10) request to path 1, target 2, LUN 3. */
static void
build_equivalent_pair(SCSI_REQUEST_BLOCK *srb, struct srb_ex_image *ex)
{
    static const UCHAR read10[10] = { SCSIOP_READ, 0, 0, 0, 0x10, 0, 0, 0, 8, 0 };

    memset(srb, 0, sizeof(*srb));
    srb->Length = sizeof(*srb);
    srb->Function = SRB_FUNCTION_EXECUTE_SCSI;
    srb->SrbStatus = SRB_STATUS_PENDING;
    srb->PathId = 1;
    srb->TargetId = 2;
    srb->Lun = 3;
    srb->QueueTag = 7;
    srb->QueueAction = SRB_SIMPLE_TAG_REQUEST;
    srb->CdbLength = sizeof(read10);
    srb->SenseInfoBufferLength = sizeof(sense_buffer);
    srb->SrbFlags = SRB_FLAGS_DATA_IN | SRB_FLAGS_QUEUE_ACTION_ENABLE;
    srb->DataTransferLength = sizeof(data_buffer);
    srb->TimeOutValue = 10;
    srb->DataBuffer = data_buffer;
    srb->SenseInfoBuffer = sense_buffer;
    srb->OriginalRequest = &irp_stand_in;
    srb->SrbExtension = extension;
    memcpy(srb->Cdb, read10, sizeof(read10));

    memset(ex, 0, sizeof(*ex));
    ex->srb.Length = sizeof(STORAGE_REQUEST_BLOCK_HEADER);
    ex->srb.Function = SRB_FUNCTION_STORAGE_REQUEST_BLOCK;
    ex->srb.SrbStatus = SRB_STATUS_PENDING;
    ex->srb.Signature = SRB_SIGNATURE;
    ex->srb.Version = STORAGE_REQUEST_BLOCK_VERSION_1;
    ex->srb.SrbLength = sizeof(*ex);
    ex->srb.SrbFunction = SRB_FUNCTION_EXECUTE_SCSI;
    ex->srb.SrbFlags = srb->SrbFlags;
    ex->srb.RequestTag = 7;
    ex->srb.RequestAttribute = SRB_SIMPLE_TAG_REQUEST;
    ex->srb.TimeOutValue = 10;
    ex->srb.AddressOffset = offsetof(struct srb_ex_image, address);
    ex->srb.NumSrbExData = 1;
    ex->srb.DataTransferLength = sizeof(data_buffer);
    ex->srb.DataBuffer = data_buffer;
    ex->srb.OriginalRequest = &irp_stand_in;
    ex->srb.MiniportContext = extension;
    ex->srb.SrbExDataOffset[0] = offsetof(struct srb_ex_image, cdb16);

    ex->address.Type = STOR_ADDRESS_TYPE_BTL8;
    ex->address.AddressLength = STOR_ADDR_BTL8_ADDRESS_LENGTH;
    ex->address.Path = 1;
    ex->address.Target = 2;
    ex->address.Lun = 3;

    ex->cdb16.Type = SrbExDataTypeScsiCdb16;
    ex->cdb16.Length = SRBEX_DATA_SCSI_CDB16_LENGTH;
    ex->cdb16.ScsiStatus = SCSISTAT_GOOD;
    ex->cdb16.SenseInfoBufferLength = sizeof(sense_buffer);
    ex->cdb16.CdbLength = sizeof(read10);
    ex->cdb16.SenseInfoBuffer = sense_buffer;
    memcpy(ex->cdb16.Cdb, read10, sizeof(read10));
}

START_TEST(accessors_read_both_srb_kinds_alike)
{
    SCSI_REQUEST_BLOCK srb;
    struct srb_ex_image ex;
    void *kinds[2];
    UCHAR path, target, lun;
    int i;

    build_equivalent_pair(&srb, &ex);
    kinds[0] = &srb;
    kinds[1] = &ex;
    for (i = 0; i < 2; i++) {
        void *s = kinds[i];
        PCDB cdb = SrbGetCdb(s);

        ck_assert_ptr_nonnull(cdb);
        ck_assert_uint_eq(cdb->CDB10.OperationCode, SCSIOP_READ);
        ck_assert_uint_eq(cdb->CDB10.LogicalBlockByte2, 0x10);
        ck_assert_uint_eq(cdb->CDB10.TransferBlocksLsb, 8);
        ck_assert_uint_eq(SrbGetSrbFunction(s), SRB_FUNCTION_EXECUTE_SCSI);
        ck_assert_uint_eq(SrbGetCdbLength(s), 10);
        ck_assert_ptr_eq(SrbGetDataBuffer(s), data_buffer);
        ck_assert_uint_eq(SrbGetDataTransferLength(s), sizeof(data_buffer));
        ck_assert_uint_eq(SrbGetSrbStatus(s), SRB_STATUS_PENDING);
        ck_assert_uint_eq(SrbGetScsiStatus(s), SCSISTAT_GOOD);
        ck_assert_ptr_eq(SrbGetSenseInfoBuffer(s), sense_buffer);
        ck_assert_uint_eq(SrbGetSenseInfoBufferLength(s), sizeof(sense_buffer));
        ck_assert_uint_eq(SrbGetSrbFlags(s), SRB_FLAGS_DATA_IN | SRB_FLAGS_QUEUE_ACTION_ENABLE);
        ck_assert_uint_eq(SrbGetTimeOutValue(s), 10);
        ck_assert_ptr_eq(SrbGetMiniportContext(s), extension);
        ck_assert_uint_eq(SrbGetPathId(s), 1);
        ck_assert_uint_eq(SrbGetTargetId(s), 2);
        ck_assert_uint_eq(SrbGetLun(s), 3);
        path = target = lun = 0xee;
        SrbGetPathTargetLun(s, &path, &target, &lun);
        ck_assert_uint_eq(path, 1);
        ck_assert_uint_eq(target, 2);
        ck_assert_uint_eq(lun, 3);
        ck_assert_uint_eq(SrbGetQueueTag(s), 7);
        ck_assert_uint_eq(SrbGetRequestAttribute(s), SRB_SIMPLE_TAG_REQUEST);
        ck_assert_ptr_eq(SrbGetOriginalRequest(s), &irp_stand_in);
    }
    ck_assert_uint_eq(SrbGetSrbLength(&srb), sizeof(SCSI_REQUEST_BLOCK));
    ck_assert_uint_eq(SrbGetSrbLength(&ex), sizeof(ex));
}
END_TEST

START_TEST(accessors_write_both_srb_kinds_alike)
{
    SCSI_REQUEST_BLOCK srb;
    struct srb_ex_image ex;
    void *kinds[2];
    int i;

    build_equivalent_pair(&srb, &ex);
    kinds[0] = &srb;
    kinds[1] = &ex;
    for (i = 0; i < 2; i++) {
        void *s = kinds[i];

        SrbSetDataTransferLength(s, 512);
        ck_assert_uint_eq(SrbGetDataTransferLength(s), 512);
        SrbSetDataBuffer(s, NULL);
        ck_assert_ptr_null(SrbGetDataBuffer(s));
        SrbSetScsiStatus(s, SCSISTAT_CHECK_CONDITION);
        ck_assert_uint_eq(SrbGetScsiStatus(s), SCSISTAT_CHECK_CONDITION);
        SrbSetSrbStatus(s, SRB_STATUS_ERROR);
        ck_assert_uint_eq(SrbGetSrbStatus(s), SRB_STATUS_ERROR);
    }
    /* The setters reached the fields each kind keeps them in. */
    ck_assert_uint_eq(srb.ScsiStatus, SCSISTAT_CHECK_CONDITION);
    ck_assert_uint_eq(ex.cdb16.ScsiStatus, SCSISTAT_CHECK_CONDITION);
    ck_assert_uint_eq(ex.srb.DataTransferLength, 512);
    ck_assert_uint_eq(srb.SrbStatus, SRB_STATUS_ERROR);
    ck_assert_uint_eq(ex.srb.SrbStatus, SRB_STATUS_ERROR);
}
END_TEST

START_TEST(set_srb_status_keeps_autosense_valid)
{
    SCSI_REQUEST_BLOCK srb;
    struct srb_ex_image ex;

    build_equivalent_pair(&srb, &ex);
    srb.SrbStatus = SRB_STATUS_AUTOSENSE_VALID;
    ex.srb.SrbStatus = SRB_STATUS_AUTOSENSE_VALID;
    SrbSetSrbStatus(&srb, SRB_STATUS_ERROR);
    SrbSetSrbStatus(&ex, SRB_STATUS_ERROR);
    ck_assert_uint_eq(srb.SrbStatus, SRB_STATUS_ERROR | SRB_STATUS_AUTOSENSE_VALID);
    ck_assert_uint_eq(ex.srb.SrbStatus, SRB_STATUS_ERROR | SRB_STATUS_AUTOSENSE_VALID);
    ck_assert_uint_eq(SRB_STATUS(SrbGetSrbStatus(&ex)), SRB_STATUS_ERROR);
}
END_TEST

START_TEST(extended_srb_without_scsi_data)
{
    SCSI_REQUEST_BLOCK srb;
    struct srb_ex_image ex;

    build_equivalent_pair(&srb, &ex);

    /* A FLUSH carries no CDB block: the SCSI fields read as empty. */
    ex.srb.SrbFunction = SRB_FUNCTION_FLUSH;
    ck_assert_uint_eq(SrbGetSrbFunction(&ex), SRB_FUNCTION_FLUSH);
    ck_assert_ptr_null(SrbGetCdb(&ex));
    ck_assert_uint_eq(SrbGetCdbLength(&ex), 0);
    ck_assert_uint_eq(SrbGetScsiStatus(&ex), SCSISTAT_GOOD);
    ck_assert_ptr_null(SrbGetSenseInfoBuffer(&ex));

    /* An offset outside the SRB is ignored, not followed. */
    ex.srb.SrbFunction = SRB_FUNCTION_EXECUTE_SCSI;
    ex.srb.SrbExDataOffset[0] = ex.srb.SrbLength;
    ck_assert_ptr_null(SrbGetSrbExDataByIndex(&ex.srb, 0));
    ck_assert_ptr_null(SrbGetCdb(&ex));

    /* A SCSI_REQUEST_BLOCK has no extended data at all. */
    ck_assert_ptr_null(SrbGetAddress((PSTORAGE_REQUEST_BLOCK)&srb));
}
END_TEST

/* ------------------------------------------------------------------------ */

#define STRINGIFY_(x) #x
#define EXPANSION_OF(x) STRINGIFY_(x)

START_TEST(port_routines_record_their_call_site)
{
    /* Expanded here, so __FILE__ must name this file, the "miniport". */
    const char *stall = EXPANSION_OF(StorPortStallExecution(5));
    const char *notify = EXPANSION_OF(StorPortNotification(RequestComplete, ext, srb));
    const char *scsi_notify = EXPANSION_OF(ScsiPortNotification(NextRequest, ext));
    const char *lock = EXPANSION_OF(StorPortAcquireSpinLock(ext, InterruptLock, NULL, &h));
    const char *reg = EXPANSION_OF(ScsiPortWriteRegisterUlong(reg, 1));

    ck_assert_ptr_nonnull(strstr(stall, "storsim_call_site"));
    ck_assert_ptr_nonnull(strstr(stall, "test_wdk_headers.c"));
    ck_assert_ptr_nonnull(strstr(stall, "StorPortStallExecution(5)"));
    ck_assert_ptr_nonnull(strstr(notify, "storsim_call_site"));
    ck_assert_ptr_nonnull(strstr(notify, "StorPortNotification(RequestComplete, ext, srb)"));
    ck_assert_ptr_nonnull(strstr(scsi_notify, "storsim_call_site"));
    ck_assert_ptr_nonnull(strstr(scsi_notify, "ScsiPortNotification(NextRequest, ext)"));
    ck_assert_ptr_nonnull(strstr(lock, "storsim_call_site"));
    ck_assert_ptr_nonnull(strstr(lock, "StorPortAcquireSpinLock(ext, InterruptLock,"));
    ck_assert_ptr_nonnull(strstr(reg, "storsim_call_site"));
    /* The pure accessors are not wrapped. */
    ck_assert_ptr_null(strstr(EXPANSION_OF(SrbGetCdb(srb)), "storsim_call_site"));
}
END_TEST

/* ------------------------------------------------------------------------ */

Suite *
wdk_headers_suite(void)
{
    Suite *s = suite_create("wdk_headers");
    TCase *tc;

    tc = tcase_create("base_types");
    tcase_add_test(tc, base_types_have_windows_x64_sizes);
    tcase_add_test(tc, large_integer_halves_alias_the_quad);
    suite_add_tcase(s, tc);

    tc = tcase_create("layouts");
    tcase_add_test(tc, scsi_request_block_layout);
    tcase_add_test(tc, storage_request_block_layout);
    tcase_add_test(tc, hw_initialization_data_layout);
    tcase_add_test(tc, port_configuration_information_layout);
    tcase_add_test(tc, storport_object_layouts);
    suite_add_tcase(s, tc);

    tc = tcase_create("scsi_data");
    tcase_add_test(tc, cdb_bit_fields_land_on_scsi_bits);
    tcase_add_test(tc, sense_data_is_fixed_format);
    tcase_add_test(tc, inquiry_and_capacity_data_layouts);
    tcase_add_test(tc, byte_reversal_macros);
    suite_add_tcase(s, tc);

    tc = tcase_create("constants");
    tcase_add_test(tc, srb_constants_have_wdk_values);
    tcase_add_test(tc, enumerations_have_wdk_values);
    tcase_add_test(tc, storport_constants_have_wdk_values);
    tcase_add_test(tc, scsi_constants_have_wdk_values);
    suite_add_tcase(s, tc);

    tc = tcase_create("srb_accessors");
    tcase_add_test(tc, accessors_read_both_srb_kinds_alike);
    tcase_add_test(tc, accessors_write_both_srb_kinds_alike);
    tcase_add_test(tc, set_srb_status_keeps_autosense_valid);
    tcase_add_test(tc, extended_srb_without_scsi_data);
    suite_add_tcase(s, tc);

    tc = tcase_create("call_sites");
    tcase_add_test(tc, port_routines_record_their_call_site);
    suite_add_tcase(s, tc);

    return s;
}
