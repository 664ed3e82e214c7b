/* test_workload_srb.c: the SRBs the workload layer builds: both formats
 * read back through the srbhelper.h accessors, CDB choice, flags, the
 * splitting by MaximumTransferLength and NumberOfPhysicalBreaks, and every
 * one-off request kind.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "storsim/physmem.h"
#include "storsim/workload.h"
#include "tests/sim_helpers.h"
#include "tests/test_workload_fake.h"
#include "workload/wl_int.h"

static struct fake_port fp;
static struct wl_result res;
static char err[200];

static void
setup(void)
{
    sim_test_begin(2, 0);
    fake_port_init(&fp, 2, 512, 1ull << 34);   /* 8 TiB: LBAs past 2^32 */
}

static void
teardown(void)
{
    fake_port_fini(&fp);
    sim_test_end();
    physmem_reset();
}

static void
run(const char *text)
{
    struct wl_spec spec;

    wl_spec_default(&spec);
    ck_assert_msg(wl_spec_parse(&spec, text, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(wl_run(&fp.pa, &spec, &res, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(res.ok, "%s", res.first_problem);
}

static uint64_t
be(const UCHAR *p, int n)
{
    uint64_t v = 0;

    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* ---------- CDBs ---------- */

START_TEST(read10_until_the_fields_overflow)
{
    UCHAR cdb[16];

    ck_assert_uint_eq(wl_cdb_rw(cdb, false, 0xFFFFFFFEull, 2), 10);
    ck_assert_uint_eq(cdb[0], SCSIOP_READ);
    ck_assert_uint_eq(be(cdb + 2, 4), 0xFFFFFFFEull);
    ck_assert_uint_eq(be(cdb + 7, 2), 2);
    ck_assert_uint_eq(wl_cdb_rw(cdb, true, 0xFFFFFFFFull, 2), 16);
    ck_assert_uint_eq(cdb[0], SCSIOP_WRITE16);
    ck_assert_uint_eq(be(cdb + 2, 8), 0xFFFFFFFFull);
    ck_assert_uint_eq(be(cdb + 10, 4), 2);
    ck_assert_uint_eq(wl_cdb_rw(cdb, false, 0, 0xFFFF), 10);
    ck_assert_uint_eq(wl_cdb_rw(cdb, false, 0, 0x10000), 16);
    ck_assert_uint_eq(cdb[0], SCSIOP_READ16);
}
END_TEST

START_TEST(high_lbas_use_16_byte_cdbs)
{
    run("pattern=seq bs=4k count=2 read=0 luns=1 offset=2T size=8k");
    ck_assert_uint_eq(fp.recs[0].cdb_length, 16);
    ck_assert_uint_eq(fp.recs[0].cdb[0], SCSIOP_WRITE16);
    ck_assert_uint_eq(fp.recs[0].lba, 1ull << 32);
    ck_assert_uint_eq(fp.recs[1].lba, (1ull << 32) + 8);
    run("pattern=seq bs=4k count=1 read=100 luns=1 offset=1M size=8k");
    ck_assert_uint_eq(fp.recs[2].cdb_length, 10);
    ck_assert_uint_eq(fp.recs[2].cdb[0], SCSIOP_READ);
    ck_assert_uint_eq(fp.recs[2].lba, 2048);
}
END_TEST

/* ---------- the two SRB formats ---------- */

static struct wl_cmd *
read_cmd(enum wl_srb_kind kind)
{
    struct wl_cmd_args a = { .kind = WL_CMD_READ, .lun = 1, .srb = kind,
                             .lba = 4660, .blocks = 16, .timeout = 7 };
    struct wl_cmd *cmd;

    ck_assert_int_eq(wl_cmd_create(&fp.pa, &a, &cmd), 0);
    return cmd;
}

/* What both formats must answer alike through the accessors. */
static void
check_common(struct wl_cmd *cmd)
{
    void *srb = wl_cmd_srb(cmd);
    PCDB cdb = SrbGetCdb(srb);
    UCHAR path = 9, target = 9, lun = 9;
    uint32_t length;
    void *data = wl_cmd_data(cmd, &length);

    ck_assert_uint_eq(SrbGetSrbFunction(srb), SRB_FUNCTION_EXECUTE_SCSI);
    SrbGetPathTargetLun(srb, &path, &target, &lun);
    ck_assert_uint_eq(path, fp.pa.luns[1].path);
    ck_assert_uint_eq(target, fp.pa.luns[1].target);
    ck_assert_uint_eq(lun, fp.pa.luns[1].lun);
    ck_assert_ptr_nonnull(cdb);
    ck_assert_uint_eq(SrbGetCdbLength(srb), 10);
    ck_assert_uint_eq(cdb->CDB10.OperationCode, SCSIOP_READ);
    ck_assert_uint_eq(be(&cdb->AsByte[2], 4), 4660);
    ck_assert_uint_eq(cdb->CDB10.TransferBlocksLsb, 16);
    ck_assert_ptr_eq(SrbGetDataBuffer(srb), data);
    ck_assert_uint_eq(SrbGetDataTransferLength(srb), 8192);
    ck_assert_uint_eq(length, 8192);
    ck_assert_ptr_nonnull(SrbGetSenseInfoBuffer(srb));
    ck_assert_uint_eq(SrbGetSenseInfoBufferLength(srb), WL_SENSE_LENGTH);
    /* the sense buffer has a physical address, for autosense by DMA */
    ck_assert_uint_ne(physmem_virt_to_phys(SrbGetSenseInfoBuffer(srb)), 0);
    ck_assert_uint_eq(SrbGetTimeOutValue(srb), 7);
    ck_assert_uint_eq(SrbGetSrbFlags(srb), SRB_FLAGS_DATA_IN |
                      SRB_FLAGS_DISABLE_SYNCH_TRANSFER | SRB_FLAGS_NO_QUEUE_FREEZE);
    ck_assert_uint_eq(SrbGetQueueTag(srb), SP_UNTAGGED);
    ck_assert_uint_eq(SrbGetRequestAttribute(srb), SRB_SIMPLE_TAG_REQUEST);
    ck_assert_ptr_eq(SrbGetOriginalRequest(srb), wl_cmd_request(cmd));
    ck_assert_ptr_null(SrbGetMiniportContext(srb));   /* the port's to fill */
    ck_assert_uint_eq(SrbGetSrbStatus(srb), SRB_STATUS_PENDING);
}

START_TEST(storage_request_block_is_well_formed)
{
    struct wl_cmd *cmd = read_cmd(WL_SRB_EX);
    PSTORAGE_REQUEST_BLOCK srb = wl_cmd_srb(cmd);
    PSTOR_ADDR_BTL8 addr = (PSTOR_ADDR_BTL8)SrbGetAddress(srb);
    PSRBEX_DATA_SCSI_CDB16 cdb16 = (PSRBEX_DATA_SCSI_CDB16)SrbGetSrbExDataByIndex(srb, 0);

    ck_assert_uint_eq(srb->Length, sizeof(STORAGE_REQUEST_BLOCK_HEADER));
    ck_assert_uint_eq(srb->Function, SRB_FUNCTION_STORAGE_REQUEST_BLOCK);
    ck_assert_uint_eq(srb->Signature, SRB_SIGNATURE);
    ck_assert_uint_eq(srb->Version, STORAGE_REQUEST_BLOCK_VERSION_1);
    ck_assert_uint_eq(srb->SrbFunction, SRB_FUNCTION_EXECUTE_SCSI);
    ck_assert_uint_eq(srb->SrbLength, sizeof(STORAGE_REQUEST_BLOCK) +
                      sizeof(STOR_ADDR_BTL8) + sizeof(SRBEX_DATA_SCSI_CDB16));
    ck_assert_uint_eq(srb->ZeroGuard1, 0);
    ck_assert_ptr_null(srb->ZeroGuard2);
    ck_assert_ptr_nonnull(addr);
    ck_assert_uint_eq(srb->AddressOffset, sizeof(STORAGE_REQUEST_BLOCK));
    ck_assert_uint_eq(addr->Type, STOR_ADDRESS_TYPE_BTL8);
    ck_assert_uint_eq(addr->AddressLength, STOR_ADDR_BTL8_ADDRESS_LENGTH);
    ck_assert_uint_eq(srb->NumSrbExData, 1);
    ck_assert_ptr_nonnull(cdb16);
    ck_assert_uint_eq(cdb16->Type, SrbExDataTypeScsiCdb16);
    ck_assert_uint_eq(cdb16->Length, SRBEX_DATA_SCSI_CDB16_LENGTH);
    ck_assert_uint_eq(SrbGetSrbExDataByIndex(srb, 1) == NULL, 1);
    check_common(cmd);
    /* the fake, which reads only through the accessors, executes it */
    wl_cmd_post(cmd, 1);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_uint_eq(SRB_STATUS(wl_cmd_result(cmd)->srb_status), SRB_STATUS_SUCCESS);
    ck_assert(fp.recs[0].ex);
    ck_assert_uint_eq(fp.recs[0].lba, 4660);
    wl_cmd_free(cmd);
}
END_TEST

START_TEST(scsi_request_block_is_well_formed)
{
    struct wl_cmd *cmd = read_cmd(WL_SRB_SCSI);
    PSCSI_REQUEST_BLOCK srb = wl_cmd_srb(cmd);

    ck_assert_uint_eq(srb->Length, sizeof(SCSI_REQUEST_BLOCK));
    ck_assert_uint_eq(srb->Function, SRB_FUNCTION_EXECUTE_SCSI);
    ck_assert_uint_eq(srb->QueueSortKey, 4660);
    ck_assert_ptr_null(srb->SrbExtension);
    ck_assert_ptr_null(srb->NextSrb);
    check_common(cmd);
    wl_cmd_post(cmd, 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert(!fp.recs[0].ex);
    ck_assert_uint_eq(wl_cmd_result(cmd)->transferred, 8192);
    wl_cmd_free(cmd);
}
END_TEST

/* A function other than EXECUTE_SCSI: an address, no CDB block. */
START_TEST(storage_request_block_without_cdb)
{
    struct wl_cmd_args a = { .kind = WL_CMD_RESET_LOGICAL_UNIT, .lun = 1, .srb = WL_SRB_EX };
    struct wl_cmd *cmd;
    PSTORAGE_REQUEST_BLOCK srb;
    UCHAR path = 9, target = 9, lun = 9;

    ck_assert_int_eq(wl_cmd_create(&fp.pa, &a, &cmd), 0);
    srb = wl_cmd_srb(cmd);
    ck_assert_uint_eq(SrbGetSrbFunction(srb), SRB_FUNCTION_RESET_LOGICAL_UNIT);
    ck_assert_uint_eq(srb->NumSrbExData, 0);
    ck_assert_uint_eq(srb->SrbLength, sizeof(STORAGE_REQUEST_BLOCK) + sizeof(STOR_ADDR_BTL8));
    ck_assert_ptr_null(SrbGetCdb(srb));
    ck_assert_ptr_null(SrbGetSenseInfoBuffer(srb));
    ck_assert_uint_eq(SrbGetDataTransferLength(srb), 0);
    SrbGetPathTargetLun(srb, &path, &target, &lun);
    ck_assert_uint_eq(target, fp.pa.luns[1].target);
    ck_assert_uint_eq(lun, fp.pa.luns[1].lun);
    wl_cmd_free(cmd);
}
END_TEST

START_TEST(workload_srbs_carry_class_driver_fields)
{
    run("pattern=seq count=2 read=50 timeout=30 srb=ex seed=3 luns=0");
    for (int i = 0; i < 2; i++) {
        bool write = fp.recs[i].cdb[0] == SCSIOP_WRITE;
        ck_assert(fp.recs[i].ex);
        ck_assert_uint_eq(fp.recs[i].timeout, 30);
        ck_assert_uint_eq(fp.recs[i].flags, SRB_FLAGS_ADAPTER_CACHE_ENABLE |
                          (write ? SRB_FLAGS_DATA_OUT : SRB_FLAGS_DATA_IN));
    }
}
END_TEST

/* ---------- splitting ---------- */

START_TEST(split_by_maximum_transfer_length)
{
    fp.pa.max_transfer = 16384;
    run("pattern=seq bs=64k count=1 read=0 luns=0 offset=512k");
    ck_assert_uint_eq(res.srbs, 4);
    ck_assert_uint_eq(res.split, 1);
    ck_assert_uint_eq(res.write.requests, 1);
    for (int i = 0; i < 4; i++) {
        ck_assert_uint_eq(fp.recs[i].lba, 1024 + 32 * (uint64_t)i);
        ck_assert_uint_eq(fp.recs[i].blocks, 32);
        ck_assert_uint_eq(fp.recs[i].length, 16384);
    }
    ck_assert_uint_eq(fp.len_violations, 0);
}
END_TEST

/* NumberOfPhysicalBreaks = 3: at most 4 pages, whatever the layout. */
START_TEST(split_by_physical_breaks)
{
    fp.pa.max_breaks = 3;
    run("pattern=seq bs=64k count=8 read=50 luns=0 size=128k");
    ck_assert_uint_eq(res.srbs, 32);
    for (int i = 0; i < 32; i++) {
        ck_assert_uint_eq(fp.recs[i].length, 16384);
        ck_assert_uint_le(fp.recs[i].sg_elements, 4);
        ck_assert_uint_eq(fp.recs[i].lba, (uint64_t)(i / 4 % 2) * 128 + (uint64_t)(i % 4) * 32);
    }
    ck_assert_uint_eq(fp.sg_violations, 0);
}
END_TEST

/* A limit that is not a multiple of the block or page size: 6144 bytes
 * and 2 pages; the second piece starts mid-page, so it may cover only
 * 2048 + 4096 bytes of its two pages. */
START_TEST(split_with_uneven_limits)
{
    fp.pa.max_transfer = 6200;
    fp.pa.max_breaks = 1;
    run("pattern=seq bs=16k count=1 read=0 luns=0");
    ck_assert_uint_eq(res.srbs, 3);
    ck_assert_uint_eq(fp.recs[0].length, 6144);
    ck_assert_uint_eq(fp.recs[1].length, 6144);
    ck_assert_uint_eq(fp.recs[2].length, 4096);
    ck_assert_uint_eq(fp.recs[1].lba, 12);
    ck_assert_uint_eq(fp.recs[2].lba, 24);
    ck_assert_uint_eq(fp.sg_violations + fp.len_violations, 0);
}
END_TEST

START_TEST(split_reads_verify_across_pieces)
{
    fp.pa.max_transfer = 8192;
    fp.pa.max_breaks = 2;
    fp.jitter = SIM_US(50);
    run("pattern=random bs=32k qd=4 count=400 read=50 cpus=0-1 size=1M");
    ck_assert_uint_eq(res.split, 400);
    ck_assert_uint_eq(res.srbs, 1600);
    ck_assert_uint_gt(res.blocks_verified, 1000);
}
END_TEST

/* ---------- one-off requests ---------- */

static struct wl_cmd *
one_off(enum wl_cmd_kind kind, enum wl_srb_kind srb)
{
    struct wl_cmd_args a = { .kind = kind, .lun = 0, .srb = srb, .blocks = 1,
                             .control_code = 0x1234, .payload = 64,
                             .signature = "STORSIM" };
    struct wl_cmd *cmd;

    ck_assert_int_eq(wl_cmd_create(&fp.pa, &a, &cmd), 0);
    ck_assert_int_eq(wl_cmd_post(cmd, 0), 0);
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
    ck_assert_msg(SRB_STATUS(wl_cmd_result(cmd)->srb_status) == SRB_STATUS_SUCCESS,
                  "%s failed", wl_cmd_kind_name(kind));
    ck_assert_uint_eq(wl_cmd_result(cmd)->completions, 1);
    return cmd;
}

START_TEST(every_one_off_kind_reaches_the_port)
{
    static const ULONG function[WL_CMD_KIND_COUNT] = {
        [WL_CMD_FLUSH] = SRB_FUNCTION_FLUSH, [WL_CMD_SHUTDOWN] = SRB_FUNCTION_SHUTDOWN,
        [WL_CMD_RESET_LOGICAL_UNIT] = SRB_FUNCTION_RESET_LOGICAL_UNIT,
        [WL_CMD_RESET_DEVICE] = SRB_FUNCTION_RESET_DEVICE,
        [WL_CMD_RESET_BUS] = SRB_FUNCTION_RESET_BUS,
        [WL_CMD_IO_CONTROL] = SRB_FUNCTION_IO_CONTROL,
    };
    enum wl_srb_kind kind = _i ? WL_SRB_EX : WL_SRB_SCSI;

    for (int k = 0; k < WL_CMD_KIND_COUNT; k++) {
        struct wl_cmd *cmd = one_off(k, kind);
        ck_assert_uint_eq(fp.recs[k].function, function[k]);
        ck_assert_uint_eq(fp.recs[k].ex, kind == WL_SRB_EX);
        wl_cmd_free(cmd);
    }
    ck_assert_uint_eq(fp.by_function[SRB_FUNCTION_EXECUTE_SCSI], 7);
    ck_assert_uint_eq(fp.recs[WL_CMD_TEST_UNIT_READY].cdb[0], SCSIOP_TEST_UNIT_READY);
    ck_assert_uint_eq(fp.recs[WL_CMD_SYNCHRONIZE_CACHE].cdb[0], SCSIOP_SYNCHRONIZE_CACHE);
    ck_assert_uint_eq(fp.recs[WL_CMD_SYNCHRONIZE_CACHE].cdb_length, 10);
    ck_assert_uint_eq(fp.recs[WL_CMD_INQUIRY].cdb_length, 6);
    ck_assert_uint_eq(fp.recs[WL_CMD_READ_CAPACITY16].cdb[1], SERVICE_ACTION_READ_CAPACITY16);
    ck_assert_uint_eq(fp.recs[WL_CMD_RESET_BUS].cdb_length, 0);
    ck_assert_uint_eq(fp.recs[WL_CMD_IO_CONTROL].flags & SRB_FLAGS_UNSPECIFIED_DIRECTION,
                      SRB_FLAGS_UNSPECIFIED_DIRECTION);
}
END_TEST

START_TEST(one_off_data_is_decoded)
{
    struct wl_cmd *inq = one_off(WL_CMD_INQUIRY, WL_SRB_SCSI);
    struct wl_cmd *cap = one_off(WL_CMD_READ_CAPACITY, WL_SRB_EX);
    struct wl_cmd *cap16 = one_off(WL_CMD_READ_CAPACITY16, WL_SRB_SCSI);
    struct wl_cmd *ioc = one_off(WL_CMD_IO_CONTROL, WL_SRB_SCSI);
    const SRB_IO_CONTROL *h = wl_cmd_data(ioc, NULL);

    ck_assert_str_eq(wl_cmd_result(inq)->vendor, "FAKE");
    ck_assert_str_eq(wl_cmd_result(inq)->product, "RAMDISK");
    /* 2^34 blocks do not fit READ CAPACITY(10): it says 0xFFFFFFFF + 1 */
    ck_assert_uint_eq(wl_cmd_result(cap)->capacity_blocks, 1ull << 32);
    ck_assert_uint_eq(wl_cmd_result(cap16)->capacity_blocks, 1ull << 34);
    ck_assert_uint_eq(wl_cmd_result(cap16)->block_size, 512);
    ck_assert_uint_eq(h->HeaderLength, 28);
    ck_assert_mem_eq(h->Signature, "STORSIM", 7);
    ck_assert_uint_eq(h->ControlCode, 0x1234);
    ck_assert_uint_eq(h->Length, 64);
    ck_assert_uint_eq(h->Timeout, WL_DEFAULT_TIMEOUT);
    wl_cmd_free(inq);
    wl_cmd_free(cap);
    wl_cmd_free(cap16);
    wl_cmd_free(ioc);
}
END_TEST

START_TEST(one_off_arguments_are_checked)
{
    struct wl_cmd_args a = { .kind = WL_CMD_READ, .lun = 2, .blocks = 1 };
    struct wl_cmd *cmd;

    ck_assert_int_eq(wl_cmd_create(&fp.pa, &a, &cmd), -EINVAL);
    a.lun = 0;
    a.blocks = 0;
    ck_assert_int_eq(wl_cmd_create(&fp.pa, &a, &cmd), -EINVAL);
    a.kind = WL_CMD_KIND_COUNT;
    ck_assert_int_eq(wl_cmd_create(&fp.pa, &a, &cmd), -EINVAL);
    fp.pa.ready = false;
    a.kind = WL_CMD_TEST_UNIT_READY;
    ck_assert_int_eq(wl_cmd_create(&fp.pa, &a, &cmd), -ENODEV);
}
END_TEST

Suite *
workload_srb_suite(void)
{
    Suite *s = suite_create("workload_srb");
    TCase *srb = tcase_create("srb");
    TCase *split = tcase_create("split");
    TCase *cmd = tcase_create("one-off");

    tcase_add_checked_fixture(srb, setup, teardown);
    tcase_add_test(srb, read10_until_the_fields_overflow);
    tcase_add_test(srb, high_lbas_use_16_byte_cdbs);
    tcase_add_test(srb, storage_request_block_is_well_formed);
    tcase_add_test(srb, scsi_request_block_is_well_formed);
    tcase_add_test(srb, storage_request_block_without_cdb);
    tcase_add_test(srb, workload_srbs_carry_class_driver_fields);
    suite_add_tcase(s, srb);

    tcase_add_checked_fixture(split, setup, teardown);
    tcase_add_test(split, split_by_maximum_transfer_length);
    tcase_add_test(split, split_by_physical_breaks);
    tcase_add_test(split, split_with_uneven_limits);
    tcase_add_test(split, split_reads_verify_across_pieces);
    suite_add_tcase(s, split);

    tcase_add_checked_fixture(cmd, setup, teardown);
    tcase_add_loop_test(cmd, every_one_off_kind_reaches_the_port, 0, 2);
    tcase_add_test(cmd, one_off_data_is_decoded);
    tcase_add_test(cmd, one_off_arguments_are_checked);
    suite_add_tcase(s, cmd);
    return s;
}
