/* test_scsi_disk.c - Check tests of the SCSI disk model (src/hba/scsi_disk*.c). */
/*
 * Interface: scsi_disk_suite() for the test runner. One TCase per
 * behaviour; sense data is compared byte by byte where SPC-4 fixes it.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/scsi_disk.h"

Suite *scsi_disk_suite(void);

#define TIB (1024ull * 1024 * 1024 * 1024)
#define CC  SCSI_STATUS_CHECK_CONDITION

/* ---- helpers ---- */

static struct scsi_disk *
make_disk(uint32_t bs, uint64_t blocks, bool wce)
{
    struct scsi_disk_config cfg;
    struct scsi_disk *d = NULL;

    scsi_disk_config_init(&cfg);
    cfg.block_size = bs;
    cfg.capacity_blocks = blocks;
    cfg.write_cache = wce;
    ck_assert_int_eq(scsi_disk_create(&cfg, &d), 0);
    ck_assert_ptr_nonnull(d);
    return d;
}

static struct scsi_disk_result
run(struct scsi_disk *d, const uint8_t *cdb, size_t len, void *buf, size_t buflen)
{
    struct scsi_disk_result r;

    ck_assert_int_eq(scsi_disk_execute_buf(d, cdb, len, buf, buflen, &r), 0);
    return r;
}

static struct scsi_disk_result
rw10(struct scsi_disk *d, uint8_t op, uint8_t flags, uint32_t lba, uint16_t n, void *buf,
     size_t buflen)
{
    uint8_t cdb[10] = { op, flags, (uint8_t)(lba >> 24), (uint8_t)(lba >> 16),
                        (uint8_t)(lba >> 8), (uint8_t)lba, 0, (uint8_t)(n >> 8), (uint8_t)n, 0 };

    return run(d, cdb, sizeof cdb, buf, buflen);
}

static struct scsi_disk_result
rw16(struct scsi_disk *d, uint8_t op, uint8_t flags, uint64_t lba, uint32_t n, void *buf,
     size_t buflen)
{
    uint8_t cdb[16] = { op, flags };

    for (int i = 0; i < 8; i++)
        cdb[2 + i] = (uint8_t)(lba >> (56 - 8 * i));
    for (int i = 0; i < 4; i++)
        cdb[10 + i] = (uint8_t)(n >> (24 - 8 * i));
    return run(d, cdb, sizeof cdb, buf, buflen);
}

static struct scsi_disk_result
tur(struct scsi_disk *d)
{
    static const uint8_t cdb[6] = { SCSI_OP_TEST_UNIT_READY };

    return run(d, cdb, sizeof cdb, NULL, 0);
}

/* A pattern that differs per seed, per block and per byte. */
static void
fill(uint8_t *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed * 131u + i * 7u + (i >> 9) * 13u + 1u);
}

static void
assert_sense(const struct scsi_disk_result *r, uint8_t key, uint16_t asc_ascq)
{
    ck_assert_uint_eq(r->status, CC);
    ck_assert_uint_eq(r->sense_len, SCSI_DISK_SENSE_LEN);
    ck_assert_uint_eq(r->sense[0] & 0x7F, 0x70);
    ck_assert_uint_eq(r->sense[2] & 0x0F, key);
    ck_assert_uint_eq(r->sense[7], 10);
    ck_assert_uint_eq(r->sense[12], SCSI_ASC_OF(asc_ascq));
    ck_assert_uint_eq(r->sense[13], SCSI_ASCQ_OF(asc_ascq));
}

/* The exact 18 bytes of INVALID FIELD IN CDB with a field and bit pointer. */
static void
assert_invalid_field(const struct scsi_disk_result *r, unsigned field, unsigned bit)
{
    const uint8_t want[18] = {
        0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x00,
        0x24, 0x00, 0x00, (uint8_t)(0xC8 | bit), (uint8_t)(field >> 8), (uint8_t)field,
    };

    ck_assert_uint_eq(r->status, CC);
    ck_assert_mem_eq(r->sense, want, sizeof want);
}

/* ---- creation ---- */

START_TEST(test_create_validates_config)
{
    struct scsi_disk_config cfg;
    struct scsi_disk *d = NULL;
    uint16_t bad_lun = 16384;

    scsi_disk_config_init(&cfg);
    ck_assert_uint_eq(cfg.block_size, 512);
    cfg.block_size = 1024;
    ck_assert_int_eq(scsi_disk_create(&cfg, &d), -EINVAL);
    scsi_disk_config_init(&cfg);
    cfg.capacity_blocks = 0;
    ck_assert_int_eq(scsi_disk_create(&cfg, &d), -EINVAL);
    scsi_disk_config_init(&cfg);
    cfg.vendor = "TOOLONGVENDOR";
    ck_assert_int_eq(scsi_disk_create(&cfg, &d), -EINVAL);
    scsi_disk_config_init(&cfg);
    cfg.product = "bad\tchar";
    ck_assert_int_eq(scsi_disk_create(&cfg, &d), -EINVAL);
    scsi_disk_config_init(&cfg);
    cfg.serial = "";
    ck_assert_int_eq(scsi_disk_create(&cfg, &d), -EINVAL);
    scsi_disk_config_init(&cfg);
    cfg.luns = &bad_lun;
    cfg.lun_count = 1;
    ck_assert_int_eq(scsi_disk_create(&cfg, &d), -EINVAL);
    ck_assert_int_eq(scsi_disk_create(NULL, &d), -EINVAL);
    ck_assert_ptr_null(d);
    scsi_disk_destroy(NULL);
}
END_TEST

START_TEST(test_create_is_sparse)
{
    struct scsi_disk *d = make_disk(512, 8 * TIB / 512, false);
    struct scsi_disk_stats st;

    ck_assert_uint_eq(scsi_disk_capacity(d), 8 * TIB / 512);
    ck_assert_uint_eq(scsi_disk_block_size(d), 512);
    scsi_disk_get_stats(d, &st);
    ck_assert_uint_eq(st.media_chunks, 0);
    ck_assert_int_eq(scsi_disk_check(d), 0);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_execute_rejects_bad_arguments)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    struct scsi_disk_result r;
    uint8_t cdb[17] = { 0 };

    ck_assert_int_eq(scsi_disk_execute(d, cdb, 0, NULL, 0, &r), -EINVAL);
    ck_assert_int_eq(scsi_disk_execute(d, cdb, 17, NULL, 0, &r), -EINVAL);
    ck_assert_int_eq(scsi_disk_execute(d, NULL, 6, NULL, 0, &r), -EINVAL);
    ck_assert_int_eq(scsi_disk_execute(d, cdb, 6, NULL, 1, &r), -EINVAL);
    ck_assert_int_eq(scsi_disk_execute(NULL, cdb, 6, NULL, 0, &r), -EINVAL);
    scsi_disk_destroy(d);
}
END_TEST

/* ---- CDB checking ---- */

START_TEST(test_tur_good)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    struct scsi_disk_result r = tur(d);

    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.sense_len, 0);
    ck_assert_uint_eq(r.transferred, 0);
    ck_assert_uint_gt(r.service_ns, 0);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_unknown_opcode)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t cdb[6] = { 0xC7 };
    const uint8_t want[18] = { 0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x20, 0x00 };
    struct scsi_disk_result r = run(d, cdb, sizeof cdb, NULL, 0);
    struct scsi_disk_stats st;

    ck_assert_uint_eq(r.status, CC);
    ck_assert_mem_eq(r.sense, want, sizeof want);
    scsi_disk_get_stats(d, &st);
    ck_assert_uint_eq(st.invalid_opcode, 1);
    ck_assert_uint_eq(st.by_opcode[0xC7], 1);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_invalid_field_pointer_bytes)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t buf[512];
    uint8_t tur_naca[6] = { SCSI_OP_TEST_UNIT_READY, 0, 0, 0, 0, 0x04 };
    uint8_t tur_vendor[6] = { SCSI_OP_TEST_UNIT_READY, 0, 0, 0, 0, 0x40 };
    struct scsi_disk_result r;

    /* RDPROTECT = 001b: the pointer names the field's left-most bit, 7 */
    r = rw10(d, SCSI_OP_READ_10, 0x20, 0, 1, buf, sizeof buf);
    assert_invalid_field(&r, 1, 7);
    ck_assert_uint_eq(r.transferred, 0);
    /* a reserved bit of byte 6 (above GROUP NUMBER) */
    {
        uint8_t cdb[10] = { SCSI_OP_READ_10, 0, 0, 0, 0, 0, 0x20, 0, 1, 0 };

        r = run(d, cdb, sizeof cdb, buf, sizeof buf);
        assert_invalid_field(&r, 6, 5);
    }
    r = run(d, tur_naca, sizeof tur_naca, NULL, 0);
    assert_invalid_field(&r, 5, 2);
    r = run(d, tur_vendor, sizeof tur_vendor, NULL, 0);
    assert_invalid_field(&r, 5, 7);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_short_cdb)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t cdb[10] = { SCSI_OP_READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
    uint8_t buf[512];
    struct scsi_disk_result r = run(d, cdb, 6, buf, sizeof buf);

    assert_invalid_field(&r, 6, 7);
    /* bytes past the opcode's length are ignored */
    {
        uint8_t tur16[16] = { SCSI_OP_TEST_UNIT_READY, 0, 0, 0, 0, 0, 0xFF, 0xFF };

        r = run(d, tur16, sizeof tur16, NULL, 0);
        ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    }
    scsi_disk_destroy(d);
}
END_TEST

/* ---- INQUIRY ---- */

START_TEST(test_inquiry_standard)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t cdb[6] = { SCSI_OP_INQUIRY, 0, 0, 0, 255, 0 };
    uint8_t buf[255];
    struct scsi_disk_result r = run(d, cdb, sizeof cdb, buf, sizeof buf);

    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 96);
    ck_assert_uint_eq(r.residual, 255 - 96);
    ck_assert_uint_eq(buf[0], 0x00);            /* connected direct-access device */
    ck_assert_uint_eq(buf[2], 0x06);            /* SPC-4 */
    ck_assert_uint_eq(buf[3] & 0x0F, 0x02);     /* response data format 2 */
    ck_assert_uint_eq(buf[4], 96 - 5);
    ck_assert_uint_eq(buf[7] & 0x02, 0x02);     /* CMDQUE */
    ck_assert_mem_eq(buf + 8, "STORSIM ", 8);
    ck_assert_mem_eq(buf + 16, "SIMDISK         ", 16);
    ck_assert_mem_eq(buf + 32, "0001", 4);
    ck_assert_uint_eq(buf[60] << 8 | buf[61], 0x0460);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_inquiry_allocation_truncates)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t cdb[6] = { SCSI_OP_INQUIRY, 0, 0, 0, 36, 0 };
    uint8_t buf[64];
    struct scsi_disk_result r;

    memset(buf, 0xEE, sizeof buf);
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 36);
    ck_assert_uint_eq(r.residual, 64 - 36);
    ck_assert_uint_eq(r.overrun, 0);
    ck_assert_uint_eq(buf[36], 0xEE);
    /* a buffer smaller than the allocation length: overrun, still GOOD */
    cdb[4] = 96;
    r = run(d, cdb, sizeof cdb, buf, 20);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 20);
    ck_assert_uint_eq(r.overrun, 96 - 20);
    /* allocation length 0 is not an error */
    cdb[4] = 0;
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 0);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_inquiry_vpd_pages)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t cdb[6] = { SCSI_OP_INQUIRY, 0x01, SCSI_VPD_SUPPORTED_PAGES, 0, 255, 0 };
    uint8_t buf[255];
    const uint8_t pages[7] = { 0x00, 0x00, 0x00, 0x03, 0x00, 0x80, 0x83 };
    struct scsi_disk_result r = run(d, cdb, sizeof cdb, buf, sizeof buf);

    ck_assert_uint_eq(r.transferred, 7);
    ck_assert_mem_eq(buf, pages, 7);
    cdb[2] = SCSI_VPD_UNIT_SERIAL;
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_uint_eq(buf[1], 0x80);
    ck_assert_uint_eq(buf[3], 10);
    ck_assert_mem_eq(buf + 4, "SIM0000001", 10);
    ck_assert_uint_eq(r.transferred, 14);
    cdb[2] = SCSI_VPD_DEVICE_ID;
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_uint_eq(buf[1], 0x83);
    ck_assert_uint_eq(buf[4], 0x01);            /* binary */
    ck_assert_uint_eq(buf[5], 0x03);            /* LU, NAA */
    ck_assert_uint_eq(buf[7], 8);
    ck_assert_uint_eq(buf[8] >> 4, 0x3);        /* NAA 3h: locally assigned */
    ck_assert_uint_eq(buf[16], 0x02);           /* ASCII */
    ck_assert_uint_eq(buf[17], 0x01);           /* LU, T10 vendor ID */
    ck_assert_mem_eq(buf + 20, "STORSIM SIMDISK         SIM0000001", 34);
    ck_assert_uint_eq(r.transferred, 4u + (buf[2] << 8 | buf[3]));
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_inquiry_errors)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t buf[255];
    uint8_t bad_page[6] = { SCSI_OP_INQUIRY, 0x01, 0xB0, 0, 255, 0 };
    uint8_t page_no_evpd[6] = { SCSI_OP_INQUIRY, 0x00, 0x80, 0, 255, 0 };
    uint8_t cmddt[6] = { SCSI_OP_INQUIRY, 0x02, 0x00, 0, 255, 0 };
    struct scsi_disk_result r;

    r = run(d, bad_page, sizeof bad_page, buf, sizeof buf);
    assert_invalid_field(&r, 2, 7);
    r = run(d, page_no_evpd, sizeof page_no_evpd, buf, sizeof buf);
    assert_invalid_field(&r, 2, 7);
    r = run(d, cmddt, sizeof cmddt, buf, sizeof buf);
    assert_invalid_field(&r, 1, 1);
    scsi_disk_destroy(d);
}
END_TEST

/* ---- READ CAPACITY ---- */

START_TEST(test_read_capacity10)
{
    struct scsi_disk *d = make_disk(4096, 1000, false);
    uint8_t cdb[10] = { SCSI_OP_READ_CAPACITY_10 };
    uint8_t buf[8];
    const uint8_t want[8] = { 0, 0, 0x03, 0xE7, 0, 0, 0x10, 0x00 };
    struct scsi_disk_result r = run(d, cdb, sizeof cdb, buf, sizeof buf);

    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 8);
    ck_assert_mem_eq(buf, want, 8);
    /* LBA set without PMI is an invalid field; with PMI it is fine */
    cdb[5] = 1;
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    assert_invalid_field(&r, 2, 7);
    cdb[8] = 1;
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_read_capacity10_huge_disk)
{
    struct scsi_disk *d = make_disk(512, 4 * TIB / 512, false);
    uint8_t cdb[10] = { SCSI_OP_READ_CAPACITY_10 };
    uint8_t buf[8];
    const uint8_t want[8] = { 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x02, 0x00 };
    struct scsi_disk_result r = run(d, cdb, sizeof cdb, buf, sizeof buf);

    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_mem_eq(buf, want, 8);
    scsi_disk_destroy(d);
    /* 2^32 + 4096 blocks: saturates, where plain truncation would give 00000FFFh */
    d = make_disk(512, (1ull << 32) + 4096, false);
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_mem_eq(buf, want, 8);
    scsi_disk_destroy(d);
    /* 2^32 - 1 blocks: the last LBA, FFFFFFFEh, still fits */
    d = make_disk(512, (1ull << 32) - 1, false);
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(buf[0] & buf[1] & buf[2], 0xFF);
    ck_assert_uint_eq(buf[3], 0xFE);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_read_capacity16)
{
    struct scsi_disk *d = make_disk(512, 4 * TIB / 512, false);
    uint8_t cdb[16] = { SCSI_OP_SERVICE_ACTION_IN_16, SCSI_SA_READ_CAPACITY_16 };
    uint8_t buf[64];
    const uint8_t want[12] = { 0, 0, 0, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0x02, 0x00 };
    struct scsi_disk_result r;

    cdb[13] = 32;
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 32);
    ck_assert_mem_eq(buf, want, 12);            /* last LBA 1FFFFFFFFh, 512 */
    cdb[13] = 12;
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_uint_eq(r.transferred, 12);
    ck_assert_uint_eq(r.residual, sizeof buf - 12);
    cdb[13] = 0;
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 0);
    cdb[1] = 0x11;                              /* a service action we do not serve */
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    assert_invalid_field(&r, 1, 4);
    scsi_disk_destroy(d);
}
END_TEST

/* ---- data ---- */

START_TEST(test_write_read_roundtrip)
{
    struct scsi_disk *d = make_disk(512, 100000, false);
    uint8_t out[8 * 512], in[8 * 512];
    struct scsi_disk_result r;

    fill(out, sizeof out, 1);
    r = rw10(d, SCSI_OP_WRITE_10, 0, 1000, 8, out, sizeof out);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, sizeof out);
    r = rw10(d, SCSI_OP_READ_10, 0, 1000, 8, in, sizeof in);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, sizeof in);
    ck_assert_mem_eq(in, out, sizeof out);
    memset(in, 0, sizeof in);
    r = rw16(d, SCSI_OP_READ_16, 0, 1004, 4, in, 4 * 512);
    ck_assert_mem_eq(in, out + 4 * 512, 4 * 512);
    ck_assert_int_eq(scsi_disk_check(d), 0);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_rw6_length_zero_is_256)
{
    struct scsi_disk *d = make_disk(512, 100000, false);
    uint8_t *out = malloc(256 * 512), *in = malloc(256 * 512);
    uint8_t wr[6] = { SCSI_OP_WRITE_6, 0x01, 0x00, 0x10, 0, 0 };   /* LBA 10010h */
    uint8_t rd[6] = { SCSI_OP_READ_6, 0x01, 0x00, 0x10, 0, 0 };
    struct scsi_disk_result r;

    fill(out, 256 * 512, 6);
    r = run(d, wr, sizeof wr, out, 256 * 512);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 256 * 512);
    r = rw10(d, SCSI_OP_READ_10, 0, 0x10010 + 255, 1, in, 512);
    ck_assert_mem_eq(in, out + 255 * 512, 512);
    r = run(d, rd, sizeof rd, in, 256 * 512);
    ck_assert_uint_eq(r.transferred, 256 * 512);
    ck_assert_mem_eq(in, out, 256 * 512);
    free(out);
    free(in);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_rw_across_chunks_and_segments)
{
    /* 512 B blocks: 128 per chunk, so LBA 120..139 crosses a chunk boundary */
    struct scsi_disk *d = make_disk(512, 100000, false);
    uint8_t out[20 * 512], in[20 * 512];
    struct scsi_disk_iov segs[3] = {
        { in, 100 }, { in + 100, 5000 }, { in + 5100, sizeof in - 5100 },
    };
    uint8_t cdb[10] = { SCSI_OP_READ_10, 0, 0, 0, 0, 120, 0, 0, 20, 0 };
    struct scsi_disk_result r;

    fill(out, sizeof out, 2);
    r = rw10(d, SCSI_OP_WRITE_10, 0, 120, 20, out, sizeof out);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_int_eq(scsi_disk_execute(d, cdb, sizeof cdb, segs, 3, &r), 0);
    ck_assert_uint_eq(r.transferred, sizeof in);
    ck_assert_mem_eq(in, out, sizeof out);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_rw_4k_blocks_across_chunks)
{
    /* 4096 B blocks: 16 per chunk; LBA 14..19 crosses one boundary */
    struct scsi_disk *d = make_disk(4096, 1000000, false);
    uint8_t *out = malloc(6 * 4096), *in = calloc(1, 6 * 4096);
    struct scsi_disk_result r;

    fill(out, 6 * 4096, 3);
    r = rw10(d, SCSI_OP_WRITE_10, 0, 14, 6, out, 6 * 4096);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    r = rw10(d, SCSI_OP_READ_10, 0, 14, 6, in, 6 * 4096);
    ck_assert_uint_eq(r.transferred, 6 * 4096);
    ck_assert_mem_eq(in, out, 6 * 4096);
    r = rw10(d, SCSI_OP_READ_10, 0, 16, 1, in, 4096);
    ck_assert_mem_eq(in, out + 2 * 4096, 4096);
    free(out);
    free(in);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_last_lba_of_huge_disk)
{
    uint64_t blocks = 16 * TIB / 4096;
    struct scsi_disk *d = make_disk(4096, blocks, false);
    uint8_t out[4096], in[4096];
    struct scsi_disk_result r;
    struct scsi_disk_stats st;

    fill(out, sizeof out, 4);
    r = rw16(d, SCSI_OP_WRITE_16, 0, blocks - 1, 1, out, sizeof out);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    r = rw16(d, SCSI_OP_READ_16, 0, blocks - 1, 1, in, sizeof in);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_mem_eq(in, out, sizeof out);
    r = rw16(d, SCSI_OP_READ_16, 0, blocks - 1, 2, in, sizeof in);
    assert_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE);
    r = rw16(d, SCSI_OP_READ_16, 0, UINT64_MAX, 1, in, sizeof in);
    assert_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE);
    scsi_disk_get_stats(d, &st);
    ck_assert_uint_eq(st.media_chunks, 1);      /* 16 TiB, one chunk of RAM */
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_unwritten_reads_zero)
{
    struct scsi_disk *d = make_disk(512, 100000, false);
    uint8_t out[512], in[4 * 512], zero[4 * 512] = { 0 };
    struct scsi_disk_result r;

    memset(in, 0xAA, sizeof in);
    r = rw10(d, SCSI_OP_READ_10, 0, 5000, 4, in, sizeof in);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_mem_eq(in, zero, sizeof zero);
    /* neighbours of a written block in the same chunk still read as zero */
    fill(out, sizeof out, 5);
    rw10(d, SCSI_OP_WRITE_10, 0, 5001, 1, out, sizeof out);
    memset(in, 0xAA, sizeof in);
    rw10(d, SCSI_OP_READ_10, 0, 5000, 4, in, sizeof in);
    ck_assert_mem_eq(in, zero, 512);
    ck_assert_mem_eq(in + 512, out, 512);
    ck_assert_mem_eq(in + 1024, zero, 1024);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_lba_out_of_range_sense)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t buf[2 * 512];
    const uint8_t want[18] = { 0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x21, 0x00 };
    struct scsi_disk_result r;

    r = rw10(d, SCSI_OP_READ_10, 0, 999, 2, buf, sizeof buf);
    ck_assert_uint_eq(r.status, CC);
    ck_assert_mem_eq(r.sense, want, sizeof want);
    ck_assert_uint_eq(r.transferred, 0);
    r = rw10(d, SCSI_OP_WRITE_10, 0, 1000, 0, buf, 0);
    assert_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE);
    /* length 0 inside the disk is not an error and moves nothing */
    r = rw10(d, SCSI_OP_READ_10, 0, 999, 0, buf, sizeof buf);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 0);
    r = rw10(d, SCSI_OP_READ_10, 0, 999, 1, buf, sizeof buf);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_short_read_buffer_overrun)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t out[8 * 512], in[8 * 512];
    struct scsi_disk_result r;
    struct scsi_disk_stats st;

    fill(out, sizeof out, 7);
    rw10(d, SCSI_OP_WRITE_10, 0, 0, 8, out, sizeof out);
    r = rw10(d, SCSI_OP_READ_10, 0, 0, 8, in, 1000);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 1000);
    ck_assert_uint_eq(r.overrun, 8 * 512 - 1000);
    ck_assert_uint_eq(r.residual, 0);
    ck_assert_mem_eq(in, out, 1000);
    /* a larger buffer: the rest is residual */
    r = rw10(d, SCSI_OP_READ_10, 0, 0, 1, in, sizeof in);
    ck_assert_uint_eq(r.transferred, 512);
    ck_assert_uint_eq(r.residual, sizeof in - 512);
    scsi_disk_get_stats(d, &st);
    ck_assert_uint_eq(st.overruns, 1);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_short_write_buffer_refused)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t out[8 * 512], in[512], zero[512] = { 0 };
    struct scsi_disk_result r;

    fill(out, sizeof out, 8);
    r = rw10(d, SCSI_OP_WRITE_10, 0, 10, 8, out, 512);
    assert_invalid_field(&r, 7, 7);
    ck_assert_uint_eq(r.overrun, 7 * 512);
    ck_assert_uint_eq(r.transferred, 0);
    rw10(d, SCSI_OP_READ_10, 0, 10, 1, in, sizeof in);
    ck_assert_mem_eq(in, zero, sizeof zero);
    r = rw16(d, SCSI_OP_WRITE_16, 0, 10, 2, out, 512);
    assert_invalid_field(&r, 10, 7);
    scsi_disk_destroy(d);
}
END_TEST

/* ---- write cache ---- */

START_TEST(test_cache_lost_on_power_loss)
{
    struct scsi_disk *d = make_disk(512, 100000, true);
    uint8_t a[4 * 512], b[4 * 512], in[4 * 512];
    uint8_t sync[10] = { SCSI_OP_SYNCHRONIZE_CACHE_10 };
    struct scsi_disk_result r;
    struct scsi_disk_stats st;

    fill(a, sizeof a, 10);
    fill(b, sizeof b, 11);
    rw10(d, SCSI_OP_WRITE_10, 0, 300, 4, a, sizeof a);
    r = run(d, sync, sizeof sync, NULL, 0);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    rw10(d, SCSI_OP_WRITE_10, 0, 300, 4, b, sizeof b);
    rw10(d, SCSI_OP_READ_10, 0, 300, 4, in, sizeof in);
    ck_assert_mem_eq(in, b, sizeof b);          /* reads see the cache */
    scsi_disk_get_stats(d, &st);
    ck_assert_uint_eq(st.cache_chunks, 1);
    ck_assert_int_eq(scsi_disk_check(d), 0);
    ck_assert_uint_eq(scsi_disk_power_loss(d), sizeof b);
    r = rw10(d, SCSI_OP_READ_10, 0, 300, 4, in, sizeof in);
    assert_sense(&r, SCSI_KEY_UNIT_ATTENTION, SCSI_ASC_POWER_ON_OCCURRED);
    r = rw10(d, SCSI_OP_READ_10, 0, 300, 4, in, sizeof in);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_mem_eq(in, a, sizeof a);          /* the flushed data */
    scsi_disk_get_stats(d, &st);
    ck_assert_uint_eq(st.lost_bytes, sizeof b);
    ck_assert_uint_eq(st.cache_chunks, 0);
    ck_assert_int_eq(scsi_disk_check(d), 0);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_cache_unwritten_lost_reads_zero)
{
    struct scsi_disk *d = make_disk(4096, 100000, true);
    uint8_t b[4096], in[4096], zero[4096] = { 0 };

    fill(b, sizeof b, 12);
    rw10(d, SCSI_OP_WRITE_10, 0, 77, 1, b, sizeof b);
    scsi_disk_power_loss(d);
    tur(d);                                     /* takes the unit attention */
    rw10(d, SCSI_OP_READ_10, 0, 77, 1, in, sizeof in);
    ck_assert_mem_eq(in, zero, sizeof zero);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_fua_writes_survive)
{
    struct scsi_disk *d = make_disk(512, 100000, true);
    uint8_t a[512], b[512], c[512], in[512];

    fill(a, sizeof a, 13);
    fill(b, sizeof b, 14);
    fill(c, sizeof c, 15);
    rw10(d, SCSI_OP_WRITE_10, 0x08, 50, 1, a, sizeof a);      /* FUA */
    rw10(d, SCSI_OP_WRITE_10, 0x00, 51, 1, b, sizeof b);      /* cached */
    rw10(d, SCSI_OP_WRITE_10, 0x00, 52, 1, b, sizeof b);      /* cached, then */
    rw16(d, SCSI_OP_WRITE_16, 0x08, 52, 1, c, sizeof c);      /* FUA over it */
    ck_assert_uint_eq(scsi_disk_power_loss(d), 512);          /* only LBA 51 */
    tur(d);
    rw10(d, SCSI_OP_READ_10, 0, 50, 1, in, sizeof in);
    ck_assert_mem_eq(in, a, sizeof a);
    rw10(d, SCSI_OP_READ_10, 0, 52, 1, in, sizeof in);
    ck_assert_mem_eq(in, c, sizeof c);
    ck_assert_int_eq(scsi_disk_check(d), 0);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_sync_cache)
{
    struct scsi_disk *d = make_disk(512, 1000, true);
    uint8_t a[3 * 512], in[3 * 512];
    uint8_t sync[10] = { SCSI_OP_SYNCHRONIZE_CACHE_10 };
    uint8_t sync_far[10] = { SCSI_OP_SYNCHRONIZE_CACHE_10, 0, 0, 0, 0x03, 0xE7, 0, 0, 2, 0 };
    uint8_t sync_bad[10] = { SCSI_OP_SYNCHRONIZE_CACHE_10, 0x01 };
    struct scsi_disk_result r;
    struct scsi_disk_stats st;

    fill(a, sizeof a, 16);
    rw10(d, SCSI_OP_WRITE_10, 0, 126, 3, a, sizeof a);       /* two chunks dirty */
    r = run(d, sync, sizeof sync, NULL, 0);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    scsi_disk_get_stats(d, &st);
    ck_assert_uint_eq(st.flushes, 1);
    ck_assert_uint_eq(st.flushed_bytes, sizeof a);
    ck_assert_uint_eq(st.cache_chunks, 0);
    ck_assert_uint_eq(scsi_disk_power_loss(d), 0);
    tur(d);
    rw10(d, SCSI_OP_READ_10, 0, 126, 3, in, sizeof in);
    ck_assert_mem_eq(in, a, sizeof a);
    r = run(d, sync_far, sizeof sync_far, NULL, 0);
    assert_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE);
    r = run(d, sync_bad, sizeof sync_bad, NULL, 0);
    assert_invalid_field(&r, 1, 0);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_sync_cache_immed_is_quick)
{
    struct scsi_disk_config cfg;
    struct scsi_disk *d;
    uint8_t a[64 * 512];
    uint8_t sync[10] = { SCSI_OP_SYNCHRONIZE_CACHE_10 };
    uint8_t immed[10] = { SCSI_OP_SYNCHRONIZE_CACHE_10, 0x02 };
    struct scsi_disk_result slow, quick;

    scsi_disk_config_init(&cfg);
    cfg.write_cache = true;
    scsi_disk_latency_preset("hdd-15k", &cfg.latency);
    ck_assert_int_eq(scsi_disk_create(&cfg, &d), 0);
    fill(a, sizeof a, 17);
    rw10(d, SCSI_OP_WRITE_10, 0, 0, 64, a, sizeof a);
    slow = run(d, sync, sizeof sync, NULL, 0);
    rw10(d, SCSI_OP_WRITE_10, 0, 0, 64, a, sizeof a);
    quick = run(d, immed, sizeof immed, NULL, 0);
    ck_assert_uint_eq(quick.status, SCSI_STATUS_GOOD);
    ck_assert_uint_gt(slow.service_ns, 5000000);
    ck_assert_uint_lt(quick.service_ns, 1000000);
    ck_assert_uint_eq(scsi_disk_power_loss(d), 0);            /* IMMED data is safe too */
    scsi_disk_destroy(d);
}
END_TEST

/* ---- MODE SENSE ---- */

START_TEST(test_mode_sense6_caching_page)
{
    struct scsi_disk *d = make_disk(512, 1000, true);
    uint8_t cdb[6] = { SCSI_OP_MODE_SENSE_6, 0, SCSI_MODE_PAGE_CACHING, 0, 255, 0 };
    uint8_t buf[255];
    const uint8_t bd[8] = { 0, 0, 0x03, 0xE8, 0, 0, 0x02, 0x00 };
    struct scsi_disk_result r = run(d, cdb, sizeof cdb, buf, sizeof buf);

    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 4 + 8 + 20);
    ck_assert_uint_eq(buf[0], 4 + 8 + 20 - 1);  /* MODE DATA LENGTH */
    ck_assert_uint_eq(buf[2], 0x10);            /* DPOFUA */
    ck_assert_uint_eq(buf[3], 8);               /* block descriptor length */
    ck_assert_mem_eq(buf + 4, bd, 8);
    ck_assert_uint_eq(buf[12], 0x08);
    ck_assert_uint_eq(buf[13], 0x12);
    ck_assert_uint_eq(buf[14] & 0x04, 0x04);    /* WCE */
    cdb[1] = 0x08;                              /* DBD */
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_uint_eq(r.transferred, 4 + 20);
    ck_assert_uint_eq(buf[3], 0);
    ck_assert_uint_eq(buf[4], 0x08);
    scsi_disk_destroy(d);
    d = make_disk(512, 1000, false);
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_uint_eq(buf[6] & 0x04, 0);        /* WCE off */
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_mode_sense_page_control)
{
    struct scsi_disk *d = make_disk(512, 1000, true);
    uint8_t cdb[6] = { SCSI_OP_MODE_SENSE_6, 0x08, 0, 0, 255, 0 };
    uint8_t cur[64], other[64];
    struct scsi_disk_result r;

    cdb[2] = 0x00 | SCSI_MODE_PAGE_CACHING;     /* current */
    run(d, cdb, sizeof cdb, cur, sizeof cur);
    cdb[2] = 0x80 | SCSI_MODE_PAGE_CACHING;     /* default */
    r = run(d, cdb, sizeof cdb, other, sizeof other);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_mem_eq(other, cur, 24);
    cdb[2] = 0xC0 | SCSI_MODE_PAGE_CACHING;     /* saved */
    r = run(d, cdb, sizeof cdb, other, sizeof other);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_mem_eq(other, cur, 24);
    cdb[2] = 0x40 | SCSI_MODE_PAGE_CACHING;     /* changeable: nothing */
    r = run(d, cdb, sizeof cdb, other, sizeof other);
    ck_assert_uint_eq(other[4], 0x08);
    ck_assert_uint_eq(other[6], 0x00);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_mode_sense_all_pages_and_errors)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t all[6] = { SCSI_OP_MODE_SENSE_6, 0x08, SCSI_MODE_PAGE_ALL, 0, 255, 0 };
    uint8_t bad[6] = { SCSI_OP_MODE_SENSE_6, 0x08, 0x19, 0, 255, 0 };
    uint8_t sub[6] = { SCSI_OP_MODE_SENSE_6, 0x08, 0x08, 0x01, 255, 0 };
    uint8_t buf[255];
    struct scsi_disk_result r;

    r = run(d, all, sizeof all, buf, sizeof buf);
    ck_assert_uint_eq(r.transferred, 4 + 20 + 12);
    ck_assert_uint_eq(buf[4], 0x08);
    ck_assert_uint_eq(buf[24], 0x0A);
    all[3] = 0xFF;                              /* all pages and subpages */
    r = run(d, all, sizeof all, buf, sizeof buf);
    ck_assert_uint_eq(r.transferred, 4 + 20 + 12);
    all[4] = 10;                                /* allocation length truncates */
    r = run(d, all, sizeof all, buf, sizeof buf);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 10);
    r = run(d, bad, sizeof bad, buf, sizeof buf);
    assert_invalid_field(&r, 2, 5);
    r = run(d, sub, sizeof sub, buf, sizeof buf);
    assert_invalid_field(&r, 3, 7);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_mode_sense10_long_lba)
{
    struct scsi_disk *d = make_disk(512, 4 * TIB / 512, false);
    uint8_t cdb[10] = { SCSI_OP_MODE_SENSE_10, 0x10, SCSI_MODE_PAGE_CACHING, 0, 0, 0, 0, 0, 255, 0 };
    uint8_t buf[255];
    const uint8_t lbd[16] = { 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00 };
    struct scsi_disk_result r = run(d, cdb, sizeof cdb, buf, sizeof buf);

    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 8 + 16 + 20);
    ck_assert_uint_eq(buf[0] << 8 | buf[1], 8 + 16 + 20 - 2);
    ck_assert_uint_eq(buf[4] & 0x01, 1);        /* LONGLBA */
    ck_assert_uint_eq(buf[7], 16);
    ck_assert_mem_eq(buf + 8, lbd, 16);
    cdb[1] = 0x00;                              /* short descriptor: count saturates */
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_uint_eq(buf[7], 8);
    ck_assert_uint_eq(buf[8] & buf[9] & buf[10] & buf[11], 0xFF);
    scsi_disk_destroy(d);
}
END_TEST

/* ---- REPORT LUNS ---- */

START_TEST(test_report_luns)
{
    struct scsi_disk_config cfg;
    struct scsi_disk *d;
    const uint16_t luns[4] = { 0, 1, 5, 300 };
    uint8_t cdb[12] = { SCSI_OP_REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 };
    uint8_t buf[256];
    const uint8_t want[40] = {
        0, 0, 0, 32, 0, 0, 0, 0,
        0x00, 0x00, 0, 0, 0, 0, 0, 0,
        0x00, 0x01, 0, 0, 0, 0, 0, 0,
        0x00, 0x05, 0, 0, 0, 0, 0, 0,
        0x41, 0x2C, 0, 0, 0, 0, 0, 0,           /* 300: flat space addressing */
    };
    struct scsi_disk_result r;

    scsi_disk_config_init(&cfg);
    cfg.luns = luns;
    cfg.lun_count = 4;
    ck_assert_int_eq(scsi_disk_create(&cfg, &d), 0);
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 40);
    ck_assert_mem_eq(buf, want, 40);
    cdb[8] = 0;
    cdb[9] = 16;                                /* truncation: header + one LUN */
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_uint_eq(r.transferred, 16);
    ck_assert_uint_eq(buf[3], 32);              /* LUN LIST LENGTH is still the full list */
    cdb[9] = 15;
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    assert_invalid_field(&r, 6, 7);
    cdb[9] = 64;
    cdb[2] = 0x01;                              /* well-known LUs only: none */
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    ck_assert_uint_eq(r.transferred, 8);
    ck_assert_uint_eq(buf[3], 0);
    cdb[2] = 0x03;
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);
    assert_invalid_field(&r, 2, 7);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_report_luns_changed)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t cdb[12] = { SCSI_OP_REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 };
    const uint16_t luns[2] = { 0, 7 };
    uint8_t buf[256];
    struct scsi_disk_result r;

    ck_assert_int_eq(scsi_disk_set_luns(d, luns, 2), 0);
    ck_assert_uint_eq(scsi_disk_pending_unit_attentions(d), 1);
    r = run(d, cdb, sizeof cdb, buf, sizeof buf);  /* exempt, and clears 3F/0E */
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(buf[17], 7);
    ck_assert_uint_eq(scsi_disk_pending_unit_attentions(d), 0);
    ck_assert_uint_eq(tur(d).status, SCSI_STATUS_GOOD);
    ck_assert_int_eq(scsi_disk_set_luns(d, luns, 2), 0);
    r = tur(d);
    assert_sense(&r, SCSI_KEY_UNIT_ATTENTION, SCSI_ASC_REPORTED_LUNS_CHANGED);
    ck_assert_int_eq(scsi_disk_set_luns(d, NULL, 3), -EINVAL);
    scsi_disk_destroy(d);
}
END_TEST

/* ---- VERIFY ---- */

START_TEST(test_verify)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t bytchk[10] = { SCSI_OP_VERIFY_10, 0x02, 0, 0, 0, 0, 0, 0, 1, 0 };
    struct scsi_disk_result r;

    r = rw10(d, SCSI_OP_VERIFY_10, 0, 0, 1000, NULL, 0);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 0);
    r = rw10(d, SCSI_OP_VERIFY_10, 0, 1, 1000, NULL, 0);
    assert_sense(&r, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE);
    r = run(d, bytchk, sizeof bytchk, NULL, 0);
    assert_invalid_field(&r, 1, 1);
    ck_assert_int_ge(scsi_disk_inject_medium_error(d, 500, 1), 0);
    r = rw10(d, SCSI_OP_VERIFY_10, 0, 0, 1000, NULL, 0);
    assert_sense(&r, SCSI_KEY_MEDIUM_ERROR, SCSI_ASC_UNRECOVERED_READ_ERROR);
    ck_assert_uint_eq(r.sense[0], 0xF0);
    ck_assert_uint_eq(r.sense[5] << 8 | r.sense[6], 500);
    scsi_disk_destroy(d);
}
END_TEST

/* ---- unit attention and REQUEST SENSE ---- */

START_TEST(test_unit_attention_after_reset_once)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t inq[6] = { SCSI_OP_INQUIRY, 0, 0, 0, 36, 0 };
    uint8_t buf[36];
    const uint8_t want[18] = { 0x70, 0, 0x06, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x29, 0x00 };
    struct scsi_disk_result r;
    struct scsi_disk_stats st;

    ck_assert_int_eq(scsi_disk_reset(d, SCSI_DISK_RESET_LUN), 0);
    r = run(d, inq, sizeof inq, buf, sizeof buf);          /* INQUIRY is exempt */
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    r = tur(d);
    ck_assert_uint_eq(r.status, CC);
    ck_assert_mem_eq(r.sense, want, sizeof want);
    ck_assert_uint_eq(tur(d).status, SCSI_STATUS_GOOD);      /* reported once */
    scsi_disk_get_stats(d, &st);
    ck_assert_uint_eq(st.unit_attentions, 1);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_unit_attention_queue)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    struct scsi_disk_result r;
    uint8_t buf[512];

    ck_assert_int_eq(scsi_disk_reset(d, SCSI_DISK_RESET_BUS), 0);
    ck_assert_int_eq(scsi_disk_reset(d, SCSI_DISK_RESET_BUS), 0);  /* no duplicate */
    ck_assert_int_eq(scsi_disk_reset(d, SCSI_DISK_RESET_TARGET), 0);
    ck_assert_uint_eq(scsi_disk_pending_unit_attentions(d), 2);
    r = rw10(d, SCSI_OP_READ_10, 0, 0, 1, buf, sizeof buf);
    assert_sense(&r, SCSI_KEY_UNIT_ATTENTION, SCSI_ASC_BUS_RESET);
    ck_assert_uint_eq(r.transferred, 0);
    r = tur(d);
    assert_sense(&r, SCSI_KEY_UNIT_ATTENTION, SCSI_ASC_BUS_DEVICE_RESET);
    ck_assert_uint_eq(tur(d).status, SCSI_STATUS_GOOD);
    for (int i = 0; i < SCSI_DISK_MAX_UAS; i++)
        ck_assert_int_eq(scsi_disk_post_unit_attention(d, (uint16_t)(0x2A00 + i)), 0);
    ck_assert_int_eq(scsi_disk_post_unit_attention(d, 0x2B00), -ENOSPC);
    ck_assert_int_eq(scsi_disk_check(d), 0);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_power_on_unit_attention)
{
    struct scsi_disk_config cfg;
    struct scsi_disk *d;
    struct scsi_disk_result r;

    scsi_disk_config_init(&cfg);
    cfg.power_on_ua = true;
    ck_assert_int_eq(scsi_disk_create(&cfg, &d), 0);
    r = tur(d);
    assert_sense(&r, SCSI_KEY_UNIT_ATTENTION, SCSI_ASC_POWER_ON_RESET);
    ck_assert_uint_eq(tur(d).status, SCSI_STATUS_GOOD);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_request_sense)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t rs[6] = { SCSI_OP_REQUEST_SENSE, 0, 0, 0, 252, 0 };
    uint8_t bad[6] = { 0xC7 };
    uint8_t buf[252];
    const uint8_t ua[18] = { 0x70, 0, 0x06, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x29, 0x02 };
    const uint8_t none[18] = { 0x70, 0, 0x00, 0, 0, 0, 0, 0x0A };
    struct scsi_disk_result r, failed;

    /* a pending unit attention: REQUEST SENSE reports it and clears it */
    scsi_disk_reset(d, SCSI_DISK_RESET_BUS);
    r = run(d, rs, sizeof rs, buf, sizeof buf);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_uint_eq(r.transferred, 18);
    ck_assert_mem_eq(buf, ua, 18);
    ck_assert_uint_eq(tur(d).status, SCSI_STATUS_GOOD);
    /* the sense of the last CHECK CONDITION, then nothing */
    failed = run(d, bad, sizeof bad, NULL, 0);
    r = run(d, rs, sizeof rs, buf, sizeof buf);
    ck_assert_mem_eq(buf, failed.sense, 18);
    r = run(d, rs, sizeof rs, buf, sizeof buf);
    ck_assert_mem_eq(buf, none, 18);
    rs[4] = 8;
    r = run(d, rs, sizeof rs, buf, sizeof buf);
    ck_assert_uint_eq(r.transferred, 8);
    rs[1] = 0x01;                               /* DESC: no descriptor sense here */
    r = run(d, rs, sizeof rs, buf, sizeof buf);
    assert_invalid_field(&r, 1, 0);
    scsi_disk_destroy(d);
}
END_TEST

/* ---- faults ---- */

START_TEST(test_medium_error)
{
    struct scsi_disk *d = make_disk(512, 100000, false);
    uint8_t buf[16 * 512];
    const uint8_t want[18] = { 0xF0, 0, 0x03, 0, 0, 0, 100, 0x0A, 0, 0, 0, 0, 0x11, 0x00 };
    struct scsi_disk_result r;
    struct scsi_disk_stats st;
    int id = scsi_disk_inject_medium_error(d, 100, 10);

    ck_assert_int_ge(id, 0);
    r = rw10(d, SCSI_OP_READ_10, 0, 90, 10, buf, sizeof buf);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    r = rw10(d, SCSI_OP_READ_10, 0, 95, 10, buf, sizeof buf);
    ck_assert_uint_eq(r.status, CC);
    ck_assert_mem_eq(r.sense, want, sizeof want);
    ck_assert_uint_eq(r.transferred, 0);
    r = rw16(d, SCSI_OP_READ_16, 0, 105, 2, buf, sizeof buf);
    ck_assert_uint_eq(r.sense[6], 105);         /* the first bad LBA this command touched */
    r = rw10(d, SCSI_OP_WRITE_10, 0, 100, 1, buf, 512);      /* writes are not affected */
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    ck_assert_int_eq(scsi_disk_fault_remove(d, id), 0);
    r = rw10(d, SCSI_OP_READ_10, 0, 95, 10, buf, sizeof buf);
    ck_assert_uint_eq(r.status, SCSI_STATUS_GOOD);
    scsi_disk_get_stats(d, &st);
    ck_assert_uint_eq(st.medium_errors, 2);
    ck_assert_uint_eq(st.by_sense_key[SCSI_KEY_MEDIUM_ERROR], 2);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_medium_error_above_32_bits)
{
    struct scsi_disk *d = make_disk(512, 1ull << 34, false);
    uint8_t buf[512];
    struct scsi_disk_result r;

    scsi_disk_inject_medium_error(d, 1ull << 33, 1);
    r = rw16(d, SCSI_OP_READ_16, 0, 1ull << 33, 1, buf, sizeof buf);
    assert_sense(&r, SCSI_KEY_MEDIUM_ERROR, SCSI_ASC_UNRECOVERED_READ_ERROR);
    ck_assert_uint_eq(r.sense[0], 0x70);        /* VALID = 0: INFORMATION cannot hold it */
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_injected_status)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t buf[512];
    struct scsi_disk_result r;
    struct scsi_disk_stats st;

    ck_assert_int_ge(scsi_disk_inject_status(d, SCSI_STATUS_BUSY, 0, 0), 0);
    r = tur(d);
    ck_assert_uint_eq(r.status, SCSI_STATUS_BUSY);
    ck_assert_uint_eq(r.sense_len, 0);
    ck_assert_uint_eq(tur(d).status, SCSI_STATUS_GOOD);
    scsi_disk_inject_status(d, SCSI_STATUS_TASK_SET_FULL, 0, 0);
    r = rw10(d, SCSI_OP_READ_10, 0, 0, 1, buf, sizeof buf);
    ck_assert_uint_eq(r.status, SCSI_STATUS_TASK_SET_FULL);
    ck_assert_uint_eq(r.transferred, 0);
    scsi_disk_inject_status(d, CC, SCSI_KEY_NOT_READY, SCSI_ASC_LU_NOT_READY);
    r = tur(d);
    assert_sense(&r, SCSI_KEY_NOT_READY, SCSI_ASC_LU_NOT_READY);
    scsi_disk_get_stats(d, &st);
    ck_assert_uint_eq(st.busy, 1);
    ck_assert_uint_eq(st.task_set_full, 1);
    ck_assert_uint_eq(st.injected_faults, 3);
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_fault_rule_every_nth)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    struct scsi_disk_fault_rule rule = {
        .opcode = SCSI_OP_READ_10, .every_nth = 3, .count = 2,
        .action = SCSI_DISK_FAULT_STATUS, .status = SCSI_STATUS_BUSY,
    };
    uint8_t buf[512];
    int busy_at[9] = { 0 };

    ck_assert_int_ge(scsi_disk_fault_add(d, &rule), 0);
    for (int i = 0; i < 9; i++) {
        tur(d);                                 /* other opcodes do not count */
        busy_at[i] = rw10(d, SCSI_OP_READ_10, 0, 0, 1, buf, sizeof buf).status
                     == SCSI_STATUS_BUSY;
    }
    ck_assert_int_eq(busy_at[2] + busy_at[5], 2);
    ck_assert_int_eq(busy_at[0] + busy_at[1] + busy_at[3] + busy_at[4], 0);
    ck_assert_int_eq(busy_at[8], 0);            /* count reached: rule gone */
    scsi_disk_destroy(d);
}
END_TEST

START_TEST(test_fault_rule_management)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    struct scsi_disk_fault_rule bad = { .opcode = 300 };
    struct scsi_disk_fault_rule wrap = {
        .opcode = SCSI_DISK_ANY_OPCODE, .lba_first = UINT64_MAX, .lba_count = 2,
    };
    uint8_t buf[512];

    ck_assert_int_eq(scsi_disk_fault_add(d, &bad), -EINVAL);
    ck_assert_int_eq(scsi_disk_fault_add(d, &wrap), -EINVAL);
    ck_assert_int_eq(scsi_disk_inject_medium_error(d, 5, 0), -EINVAL);
    for (int i = 0; i < SCSI_DISK_MAX_FAULTS; i++)
        ck_assert_int_eq(scsi_disk_inject_medium_error(d, 900, 1), i);
    ck_assert_int_eq(scsi_disk_inject_medium_error(d, 900, 1), -ENOSPC);
    ck_assert_int_eq(scsi_disk_fault_remove(d, 99), -ENOENT);
    scsi_disk_fault_clear(d);
    ck_assert_int_eq(scsi_disk_fault_remove(d, 0), -ENOENT);
    ck_assert_uint_eq(rw10(d, SCSI_OP_READ_10, 0, 900, 1, buf, sizeof buf).status,
                      SCSI_STATUS_GOOD);
    scsi_disk_destroy(d);
}
END_TEST

/* ---- latency ---- */

/* Mean service time of n random 4 KiB reads on a preset. */
static uint64_t
mean_random_read_ns(const char *preset, uint64_t seed, int n)
{
    struct scsi_disk_config cfg;
    struct scsi_disk *d;
    uint64_t sum = 0, rng = seed;
    uint8_t buf[4096];

    scsi_disk_config_init(&cfg);
    cfg.capacity_blocks = 1ull << 28;
    cfg.seed = seed;
    ck_assert_int_eq(scsi_disk_latency_preset(preset, &cfg.latency), 0);
    ck_assert_int_eq(scsi_disk_create(&cfg, &d), 0);
    for (int i = 0; i < n; i++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        sum += rw10(d, SCSI_OP_READ_10, 0, (uint32_t)((rng >> 33) % ((1u << 28) - 8)), 8,
                    buf, sizeof buf).service_ns;
    }
    scsi_disk_destroy(d);
    return sum / (uint64_t)n;
}

START_TEST(test_latency_presets_ordered)
{
    uint64_t nvme = mean_random_read_ns("nvme", 1, 200);
    uint64_t ssd = mean_random_read_ns("sas-ssd", 1, 200);
    uint64_t hdd = mean_random_read_ns("hdd-15k", 1, 200);
    struct scsi_disk_latency lat;

    ck_assert_uint_lt(nvme, ssd);
    ck_assert_uint_lt(ssd, hdd);
    /* the figures the docs promise, loosely */
    ck_assert_uint_lt(nvme, 20000);
    ck_assert_uint_gt(ssd, 50000);
    ck_assert_uint_lt(ssd, 150000);
    ck_assert_uint_gt(hdd, 4000000);
    ck_assert_uint_lt(hdd, 7000000);
    ck_assert_int_eq(scsi_disk_latency_preset("floppy", &lat), -ENOENT);
    ck_assert_str_eq(scsi_disk_latency_preset_name(0), "nvme");
    ck_assert_ptr_null(scsi_disk_latency_preset_name(3));
}
END_TEST

START_TEST(test_latency_deterministic)
{
    ck_assert_uint_eq(mean_random_read_ns("hdd-15k", 42, 50),
                      mean_random_read_ns("hdd-15k", 42, 50));
    ck_assert_uint_eq(mean_random_read_ns("sas-ssd", 7, 50),
                      mean_random_read_ns("sas-ssd", 7, 50));
}
END_TEST

START_TEST(test_latency_seed_and_position)
{
    struct scsi_disk_config cfg;
    struct scsi_disk *a, *b;
    uint64_t ta = 0, tb = 0, seq, rnd;

    scsi_disk_config_init(&cfg);
    scsi_disk_latency_preset("hdd-15k", &cfg.latency);
    cfg.seed = 1;
    ck_assert_int_eq(scsi_disk_create(&cfg, &a), 0);
    cfg.seed = 2;
    ck_assert_int_eq(scsi_disk_create(&cfg, &b), 0);
    for (int i = 0; i < 20; i++) {
        ta += scsi_disk_latency_ns(a, SCSI_DISK_LAT_READ, (uint64_t)i * 99991, 4096);
        tb += scsi_disk_latency_ns(b, SCSI_DISK_LAT_READ, (uint64_t)i * 99991, 4096);
    }
    ck_assert_uint_ne(ta, tb);                  /* the seed matters */
    /* sequential: no seek, no rotation; a far jump pays both */
    scsi_disk_latency_ns(a, SCSI_DISK_LAT_READ, 1000, 4096);
    seq = scsi_disk_latency_ns(a, SCSI_DISK_LAT_READ, 1008, 4096);
    rnd = scsi_disk_latency_ns(a, SCSI_DISK_LAT_READ, 2000000, 4096);
    ck_assert_uint_lt(seq, 300000);
    ck_assert_uint_gt(rnd, seq + 1000000);
    ck_assert_uint_lt(scsi_disk_latency_ns(a, SCSI_DISK_LAT_CACHED_WRITE, 0, 4096),
                      scsi_disk_latency_ns(a, SCSI_DISK_LAT_WRITE, 900000, 4096));
    scsi_disk_destroy(a);
    scsi_disk_destroy(b);
}
END_TEST

/* ---- statistics ---- */

START_TEST(test_stats)
{
    struct scsi_disk *d = make_disk(512, 1000, false);
    uint8_t buf[4 * 512];
    uint8_t bad[6] = { 0xC7 };
    struct scsi_disk_stats st;

    rw10(d, SCSI_OP_WRITE_10, 0, 0, 4, buf, sizeof buf);
    rw10(d, SCSI_OP_READ_10, 0, 0, 2, buf, sizeof buf);
    rw10(d, SCSI_OP_READ_10, 0, 999, 2, buf, sizeof buf);
    rw10(d, SCSI_OP_READ_10, 0x80, 0, 1, buf, sizeof buf);
    run(d, bad, sizeof bad, NULL, 0);
    scsi_disk_get_stats(d, &st);
    ck_assert_uint_eq(st.commands, 5);
    ck_assert_uint_eq(st.by_opcode[SCSI_OP_READ_10], 3);
    ck_assert_uint_eq(st.by_opcode[SCSI_OP_WRITE_10], 1);
    ck_assert_uint_eq(st.bytes_written, 4 * 512);
    ck_assert_uint_eq(st.bytes_read, 2 * 512);
    ck_assert_uint_eq(st.good, 2);
    ck_assert_uint_eq(st.check_conditions, 3);
    ck_assert_uint_eq(st.by_sense_key[SCSI_KEY_ILLEGAL_REQUEST], 3);
    ck_assert_uint_eq(st.lba_out_of_range, 1);
    ck_assert_uint_eq(st.invalid_field, 1);
    ck_assert_uint_eq(st.invalid_opcode, 1);
    ck_assert_uint_eq(st.media_chunks, 1);
    scsi_disk_stats_reset(d);
    scsi_disk_get_stats(d, &st);
    ck_assert_uint_eq(st.commands, 0);
    ck_assert_uint_eq(st.media_chunks, 1);      /* allocation is not a counter */
    scsi_disk_destroy(d);
}
END_TEST

/* ---- names and descriptions ---- */

START_TEST(test_sense_describe)
{
    static const struct { uint8_t key; uint16_t asc; const char *text; } cases[] = {
        { 0x5, SCSI_ASC_INVALID_FIELD_IN_CDB, "ILLEGAL REQUEST: INVALID FIELD IN CDB" },
        { 0x5, SCSI_ASC_INVALID_OPCODE, "ILLEGAL REQUEST: INVALID COMMAND OPERATION CODE" },
        { 0x5, SCSI_ASC_LBA_OUT_OF_RANGE, "ILLEGAL REQUEST: LOGICAL BLOCK ADDRESS OUT OF RANGE" },
        { 0x3, SCSI_ASC_UNRECOVERED_READ_ERROR, "MEDIUM ERROR: UNRECOVERED READ ERROR" },
        { 0x3, SCSI_ASC_WRITE_ERROR, "MEDIUM ERROR: WRITE ERROR" },
        { 0x6, SCSI_ASC_POWER_ON_RESET,
          "UNIT ATTENTION: POWER ON, RESET, OR BUS DEVICE RESET OCCURRED" },
        { 0x6, SCSI_ASC_POWER_ON_OCCURRED, "UNIT ATTENTION: POWER ON OCCURRED" },
        { 0x6, SCSI_ASC_BUS_RESET, "UNIT ATTENTION: SCSI BUS RESET OCCURRED" },
        { 0x6, SCSI_ASC_BUS_DEVICE_RESET, "UNIT ATTENTION: BUS DEVICE RESET FUNCTION OCCURRED" },
        { 0x6, SCSI_ASC_REPORTED_LUNS_CHANGED, "UNIT ATTENTION: REPORTED LUNS DATA HAS CHANGED" },
        { 0x0, SCSI_ASC_NO_ADDITIONAL_SENSE, "NO SENSE: NO ADDITIONAL SENSE INFORMATION" },
        { 0x2, SCSI_ASC_LU_NOT_READY,
          "NOT READY: LOGICAL UNIT NOT READY, CAUSE NOT REPORTABLE" },
        { 0xB, 0x4700, "ABORTED COMMAND: SCSI PARITY ERROR" },
        { 0x5, 0x7712, "ILLEGAL REQUEST: ASC 0x77 ASCQ 0x12" },
        { 0x9, 0x8001, "VENDOR SPECIFIC: VENDOR SPECIFIC ASC 0x80 ASCQ 0x01" },
    };
    char buf[96], tiny[8];

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_str_eq(scsi_disk_sense_describe(cases[i].key, SCSI_ASC_OF(cases[i].asc),
                                                  SCSI_ASCQ_OF(cases[i].asc), buf,
                                                  sizeof buf),
                         cases[i].text);
    ck_assert_str_eq(scsi_disk_sense_describe(5, 0x24, 0, tiny, sizeof tiny), "ILLEGAL");
    for (unsigned k = 0; k < 16; k++)
        ck_assert_ptr_nonnull(scsi_disk_sense_key_name((uint8_t)k));
    ck_assert_ptr_null(scsi_disk_asc_name(0x77, 0x12));
}
END_TEST

START_TEST(test_names)
{
    uint8_t sense[SCSI_DISK_SENSE_LEN];
    const uint8_t want[18] = { 0x70, 0, 0x06, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x3F, 0x0E };

    ck_assert_str_eq(scsi_disk_opcode_name(SCSI_OP_READ_10), "READ(10)");
    ck_assert_str_eq(scsi_disk_opcode_name(SCSI_OP_SYNCHRONIZE_CACHE_10),
                     "SYNCHRONIZE CACHE(10)");
    ck_assert_str_eq(scsi_disk_opcode_name(0x93), "WRITE SAME(16)");
    ck_assert_str_eq(scsi_disk_opcode_name(0xC7), "UNKNOWN");
    ck_assert_str_eq(scsi_disk_status_name(SCSI_STATUS_TASK_SET_FULL), "TASK SET FULL");
    ck_assert_str_eq(scsi_disk_status_name(0x77), "UNKNOWN STATUS");
    scsi_disk_sense_fixed(sense, SCSI_KEY_UNIT_ATTENTION, SCSI_ASC_REPORTED_LUNS_CHANGED);
    ck_assert_mem_eq(sense, want, sizeof want);
}
END_TEST

START_TEST(test_command_table)
{
    static const uint8_t implemented[] = {
        0x00, 0x03, 0x08, 0x0A, 0x12, 0x1A, 0x25, 0x28, 0x2A, 0x2F, 0x35, 0x5A, 0x88,
        0x8A, 0x9E, 0xA0,
    };
    const struct scsi_disk_cmd_info *info;

    for (size_t i = 0; i < sizeof implemented; i++) {
        info = scsi_disk_command_info(implemented[i]);
        ck_assert_ptr_nonnull(info);
        ck_assert_uint_eq(info->opcode, implemented[i]);
        /* SPC-4 group code fixes the CDB length */
        ck_assert_uint_eq(info->cdb_len, implemented[i] < 0x20 ? 6 : implemented[i] < 0x60 ? 10
                                         : implemented[i] < 0xA0 ? 16 : 12);
        ck_assert_uint_eq(info->mask[info->cdb_len - 1] & 0x05, 0);   /* no NACA, LINK */
    }
    ck_assert_uint_eq(scsi_disk_command_info(SCSI_OP_WRITE_16)->dir, SCSI_DISK_DIR_OUT);
    ck_assert_uint_eq(scsi_disk_command_info(SCSI_OP_INQUIRY)->dir, SCSI_DISK_DIR_IN);
    ck_assert_uint_eq(scsi_disk_command_info(SCSI_OP_VERIFY_10)->dir, SCSI_DISK_DIR_NONE);
    ck_assert_ptr_null(scsi_disk_command_info(0x93));
}
END_TEST

/* ---- hex helpers ---- */

START_TEST(test_parse_hex_good)
{
    const char *argv[] = { "12", "0x00 0X0a", " ff\t1 ", "A" };
    const uint8_t want[6] = { 0x12, 0x00, 0x0A, 0xFF, 0x01, 0x0A };
    uint8_t out[16];
    size_t len = 99;
    char err[128] = "";

    ck_assert_int_eq(scsi_disk_parse_hex(argv, 4, out, sizeof out, &len, err, sizeof err), 0);
    ck_assert_uint_eq(len, 6);
    ck_assert_mem_eq(out, want, 6);
    ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(test_parse_hex_errors)
{
    const char *bad_digit[] = { "12 00", "0xg1" };
    const char *too_long[] = { "120" };
    const char *bare[] = { "0x" };
    const char *blank[] = { "  ", "" };
    const char *many[] = { "00 01 02 03" };
    uint8_t out[16];
    size_t len = 99;
    char err[160];

    ck_assert_int_eq(scsi_disk_parse_hex(bad_digit, 2, out, sizeof out, &len, err, sizeof err),
                     -EINVAL);
    ck_assert_str_eq(err, "token 3 (\"0xg1\", argument 2): 'g' is not a hex digit");
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(scsi_disk_parse_hex(too_long, 1, out, sizeof out, &len, err, sizeof err),
                     -EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "token 1 (\"120\""));
    ck_assert_ptr_nonnull(strstr(err, "more than two hex digits"));
    ck_assert_int_eq(scsi_disk_parse_hex(bare, 1, out, sizeof out, &len, err, sizeof err),
                     -EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "\"0x\" must be followed"));
    ck_assert_int_eq(scsi_disk_parse_hex(blank, 2, out, sizeof out, &len, err, sizeof err),
                     -EINVAL);
    ck_assert_str_eq(err, "no hex bytes given");
    ck_assert_int_eq(scsi_disk_parse_hex(many, 1, out, 3, &len, err, sizeof err), -E2BIG);
    ck_assert_str_eq(err, "token 4 (\"03\", argument 1): too many bytes (at most 3)");
    ck_assert_int_eq(scsi_disk_parse_hex(many, 1, out, 3, &len, NULL, 0), -E2BIG);
}
END_TEST

START_TEST(test_hexdump)
{
    const uint8_t sense[18] = { 0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x24, 0x00, 0,
                                0xCF, 0x00, 0x01 };
    const char *want =
        "0000  70 00 05 00 00 00 00 0a  00 00 00 00 24 00 00 cf  |p...........$...|\n"
        "0010  00 01                                             |..|\n";
    char buf[256], small[20];
    FILE *f = tmpfile();
    size_t n;

    n = scsi_disk_hexdump(sense, sizeof sense, buf, sizeof buf);
    ck_assert_str_eq(buf, want);
    ck_assert_uint_eq(n, strlen(want));
    ck_assert_uint_eq(scsi_disk_hexdump(sense, sizeof sense, small, sizeof small), strlen(want));
    ck_assert_uint_eq(strlen(small), sizeof small - 1);
    ck_assert_uint_eq(scsi_disk_hexdump(sense, 0, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(scsi_disk_hexdump_file(f, sense, sizeof sense), 0);
    rewind(f);
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    ck_assert_str_eq(buf, want);
    fclose(f);
}
END_TEST

/* ---- a longer mixed run: the invariants hold throughout ---- */

START_TEST(test_invariants_under_mixed_load)
{
    struct scsi_disk *d = make_disk(512, 1u << 20, true);
    uint8_t *buf = malloc(64 * 512), *shadow = calloc(1, 4096 * 512);
    uint64_t rng = 12345;

    for (int i = 0; i < 3000; i++) {
        uint32_t lba, n;
        uint8_t flags;

        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        lba = (uint32_t)((rng >> 20) % 4000);
        n = (uint32_t)((rng >> 40) % 64) + 1;
        flags = (rng >> 50) & 1 ? 0x08 : 0x00;
        if (lba + n > 4096)
            n = 4096 - lba;
        if ((rng >> 60) % 4 == 0) {
            fill(buf, n * 512, (unsigned)i);
            rw10(d, SCSI_OP_WRITE_10, flags, lba, (uint16_t)n, buf, n * 512);
            memcpy(shadow + (size_t)lba * 512, buf, n * 512);
        } else if ((rng >> 60) % 4 == 1) {
            scsi_disk_flush(d);
        } else {
            rw10(d, SCSI_OP_READ_10, 0, lba, (uint16_t)n, buf, n * 512);
            ck_assert_mem_eq(buf, shadow + (size_t)lba * 512, n * 512);
        }
        ck_assert_int_eq(scsi_disk_check(d), 0);
    }
    free(buf);
    free(shadow);
    scsi_disk_destroy(d);
}
END_TEST

static void
add(Suite *s, const char *name, const TTest *t)
{
    TCase *tc = tcase_create(name);

    tcase_add_test(tc, t);
    suite_add_tcase(s, tc);
}

Suite *
scsi_disk_suite(void)
{
    Suite *s = suite_create("scsi_disk");

    add(s, "create_validates_config", test_create_validates_config);
    add(s, "create_is_sparse", test_create_is_sparse);
    add(s, "execute_rejects_bad_arguments", test_execute_rejects_bad_arguments);
    add(s, "tur_good", test_tur_good);
    add(s, "unknown_opcode", test_unknown_opcode);
    add(s, "invalid_field_pointer_bytes", test_invalid_field_pointer_bytes);
    add(s, "short_cdb", test_short_cdb);
    add(s, "inquiry_standard", test_inquiry_standard);
    add(s, "inquiry_allocation_truncates", test_inquiry_allocation_truncates);
    add(s, "inquiry_vpd_pages", test_inquiry_vpd_pages);
    add(s, "inquiry_errors", test_inquiry_errors);
    add(s, "read_capacity10", test_read_capacity10);
    add(s, "read_capacity10_huge_disk", test_read_capacity10_huge_disk);
    add(s, "read_capacity16", test_read_capacity16);
    add(s, "write_read_roundtrip", test_write_read_roundtrip);
    add(s, "rw6_length_zero_is_256", test_rw6_length_zero_is_256);
    add(s, "rw_across_chunks_and_segments", test_rw_across_chunks_and_segments);
    add(s, "rw_4k_blocks_across_chunks", test_rw_4k_blocks_across_chunks);
    add(s, "last_lba_of_huge_disk", test_last_lba_of_huge_disk);
    add(s, "unwritten_reads_zero", test_unwritten_reads_zero);
    add(s, "lba_out_of_range_sense", test_lba_out_of_range_sense);
    add(s, "short_read_buffer_overrun", test_short_read_buffer_overrun);
    add(s, "short_write_buffer_refused", test_short_write_buffer_refused);
    add(s, "cache_lost_on_power_loss", test_cache_lost_on_power_loss);
    add(s, "cache_unwritten_lost_reads_zero", test_cache_unwritten_lost_reads_zero);
    add(s, "fua_writes_survive", test_fua_writes_survive);
    add(s, "sync_cache", test_sync_cache);
    add(s, "sync_cache_immed_is_quick", test_sync_cache_immed_is_quick);
    add(s, "mode_sense6_caching_page", test_mode_sense6_caching_page);
    add(s, "mode_sense_page_control", test_mode_sense_page_control);
    add(s, "mode_sense_all_pages_and_errors", test_mode_sense_all_pages_and_errors);
    add(s, "mode_sense10_long_lba", test_mode_sense10_long_lba);
    add(s, "report_luns", test_report_luns);
    add(s, "report_luns_changed", test_report_luns_changed);
    add(s, "verify", test_verify);
    add(s, "unit_attention_after_reset_once", test_unit_attention_after_reset_once);
    add(s, "unit_attention_queue", test_unit_attention_queue);
    add(s, "power_on_unit_attention", test_power_on_unit_attention);
    add(s, "request_sense", test_request_sense);
    add(s, "medium_error", test_medium_error);
    add(s, "medium_error_above_32_bits", test_medium_error_above_32_bits);
    add(s, "injected_status", test_injected_status);
    add(s, "fault_rule_every_nth", test_fault_rule_every_nth);
    add(s, "fault_rule_management", test_fault_rule_management);
    add(s, "latency_presets_ordered", test_latency_presets_ordered);
    add(s, "latency_deterministic", test_latency_deterministic);
    add(s, "latency_seed_and_position", test_latency_seed_and_position);
    add(s, "stats", test_stats);
    add(s, "sense_describe", test_sense_describe);
    add(s, "names", test_names);
    add(s, "command_table", test_command_table);
    add(s, "parse_hex_good", test_parse_hex_good);
    add(s, "parse_hex_errors", test_parse_hex_errors);
    add(s, "hexdump", test_hexdump);
    add(s, "invariants_under_mixed_load", test_invariants_under_mixed_load);
    return s;
}
