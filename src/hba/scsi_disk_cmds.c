/* scsi_disk_cmds.c - handlers of the non-media commands: TUR, REQUEST SENSE, INQUIRY, capacity, LUNs. */
/*
 * Interface: the command table (scsi_disk_table.c) points at these; each
 * runs after the dispatcher has checked the CDB mask, so a handler only
 * checks what a mask cannot express (a page code it does not have, a
 * field that must be zero unless another bit is set). Parameter data is
 * built in a local buffer and returned with scsi_disk_cmd_data_in(), which
 * applies the allocation length.
 */
#include <string.h>

#include "hba/scsi_disk_int.h"

int
scsi_disk_cmd_tur(struct scsi_disk_cmd *c)
{
    /* the unit is always ready: a unit attention was already reported by the dispatcher */
    (void)c;
    return 0;
}

/*
 * REQUEST SENSE (SPC-4 6.29) reports, in this order: the sense of the
 * previous command if it ended with CHECK CONDITION (what a SCSI Port
 * miniport without autosense asks for), a pending unit attention (which it
 * clears), or NO SENSE. The command itself ends with GOOD.
 */
int
scsi_disk_cmd_request_sense(struct scsi_disk_cmd *c)
{
    struct scsi_disk *d = c->disk;
    uint8_t sense[SCSI_DISK_SENSE_LEN];
    uint16_t asc_ascq;

    if (d->last_sense_valid) {
        memcpy(sense, d->last_sense, sizeof sense);
        d->last_sense_valid = false;
    } else if (scsi_disk_ua_pop(d, &asc_ascq) == 0) {
        scsi_disk_sense_fixed(sense, SCSI_KEY_UNIT_ATTENTION, asc_ascq);
    } else {
        scsi_disk_sense_fixed(sense, SCSI_KEY_NO_SENSE, SCSI_ASC_NO_ADDITIONAL_SENSE);
    }
    scsi_disk_cmd_data_in(c, sense, sizeof sense, c->cdb[4]);
    return 0;
}

/* ---- INQUIRY ---- */

/* INQUIRY strings are left-aligned and padded with spaces (SPC-4 6.4.2). */
static void
put_padded(uint8_t *dst, const char *s, size_t width)
{
    size_t n = strlen(s);

    memset(dst, ' ', width);
    memcpy(dst, s, n < width ? n : width);
}

#define STD_INQUIRY_LEN 96

static size_t
standard_inquiry(const struct scsi_disk *d, uint8_t *buf)
{
    memset(buf, 0, STD_INQUIRY_LEN);
    buf[0] = 0x00;                  /* qualifier 0: connected; type 0: direct access */
    buf[2] = 0x06;                  /* VERSION: SPC-4 */
    buf[3] = 0x02;                  /* RESPONSE DATA FORMAT 2 */
    buf[4] = STD_INQUIRY_LEN - 5;   /* ADDITIONAL LENGTH */
    buf[7] = 0x02;                  /* CMDQUE: tagged command queuing */
    put_padded(buf + 8, d->vendor, 8);
    put_padded(buf + 16, d->product, 16);
    put_padded(buf + 32, d->revision, 4);
    put_be16(buf + 58, 0x00A0);     /* version descriptors: SAM-5 */
    put_be16(buf + 60, 0x0460);     /* SPC-4 */
    put_be16(buf + 62, 0x04C0);     /* SBC-3 */
    return STD_INQUIRY_LEN;
}

static size_t
vpd_supported_pages(uint8_t *buf)
{
    static const uint8_t pages[] = {
        SCSI_VPD_SUPPORTED_PAGES, SCSI_VPD_UNIT_SERIAL, SCSI_VPD_DEVICE_ID,
    };

    memset(buf, 0, 4);
    buf[1] = SCSI_VPD_SUPPORTED_PAGES;
    put_be16(buf + 2, sizeof pages);
    memcpy(buf + 4, pages, sizeof pages);
    return 4 + sizeof pages;
}

static size_t
vpd_unit_serial(const struct scsi_disk *d, uint8_t *buf)
{
    size_t n = strlen(d->serial);

    memset(buf, 0, 4);
    buf[1] = SCSI_VPD_UNIT_SERIAL;
    put_be16(buf + 2, (uint16_t)n);
    memcpy(buf + 4, d->serial, n);
    return 4 + n;
}

/*
 * Device identification (SPC-4 7.8.6): two designators for the logical
 * unit (association 0). An NAA 3h (locally assigned) identifier, binary,
 * which Windows uses as the disk's unique id; and a T10 vendor ID based
 * designator: vendor (8) + product (16) + serial, ASCII.
 */
static size_t
vpd_device_id(const struct scsi_disk *d, uint8_t *buf)
{
    uint8_t *p = buf + 4;
    size_t serial_len = strlen(d->serial);

    memset(buf, 0, 4);
    buf[1] = SCSI_VPD_DEVICE_ID;
    p[0] = 0x01;                    /* CODE SET: binary */
    p[1] = 0x03;                    /* ASSOCIATION: LU; DESIGNATOR TYPE: NAA */
    p[2] = 0;
    p[3] = 8;
    put_be64(p + 4, d->naa_id);
    p += 12;
    p[0] = 0x02;                    /* CODE SET: ASCII */
    p[1] = 0x01;                    /* ASSOCIATION: LU; DESIGNATOR TYPE: T10 vendor ID */
    p[2] = 0;
    p[3] = (uint8_t)(8 + 16 + serial_len);
    put_padded(p + 4, d->vendor, 8);
    put_padded(p + 12, d->product, 16);
    memcpy(p + 28, d->serial, serial_len);
    p += 28 + serial_len;
    put_be16(buf + 2, (uint16_t)(p - buf - 4));
    return (size_t)(p - buf);
}

int
scsi_disk_cmd_inquiry(struct scsi_disk_cmd *c)
{
    const struct scsi_disk *d = c->disk;
    uint8_t buf[128];
    size_t n;

    if (!(c->cdb[1] & 0x01)) {
        /* SPC-4: PAGE CODE must be zero when EVPD is zero */
        if (c->cdb[2] != 0) {
            scsi_disk_cmd_invalid_field(c, 2, 7);
            return 0;
        }
        n = standard_inquiry(d, buf);
    } else if (c->cdb[2] == SCSI_VPD_SUPPORTED_PAGES) {
        n = vpd_supported_pages(buf);
    } else if (c->cdb[2] == SCSI_VPD_UNIT_SERIAL) {
        n = vpd_unit_serial(d, buf);
    } else if (c->cdb[2] == SCSI_VPD_DEVICE_ID) {
        n = vpd_device_id(d, buf);
    } else {
        scsi_disk_cmd_invalid_field(c, 2, 7);
        return 0;
    }
    scsi_disk_cmd_data_in(c, buf, n, get_be16(c->cdb + 3));
    return 0;
}

/* ---- READ CAPACITY ---- */

/* SBC-3: with PMI zero the LOGICAL BLOCK ADDRESS field must be zero. */
static bool
pmi_lba_ok(struct scsi_disk_cmd *c, bool pmi, uint64_t lba)
{
    if (!pmi && lba != 0) {
        scsi_disk_cmd_invalid_field(c, 2, 7);
        return false;
    }
    return true;
}

int
scsi_disk_cmd_read_capacity10(struct scsi_disk_cmd *c)
{
    const struct scsi_disk *d = c->disk;
    uint64_t last = d->capacity - 1;
    uint8_t buf[8];

    if (!pmi_lba_ok(c, c->cdb[8] & 0x01, get_be32(c->cdb + 2)))
        return 0;
    /* more blocks than 32 bits can name: FFFFFFFFh tells the host to use READ CAPACITY(16) */
    put_be32(buf, last > UINT32_MAX ? UINT32_MAX : (uint32_t)last);
    put_be32(buf + 4, d->block_size);
    scsi_disk_cmd_data_in(c, buf, sizeof buf, sizeof buf);
    return 0;
}

int
scsi_disk_cmd_service_action_in(struct scsi_disk_cmd *c)
{
    const struct scsi_disk *d = c->disk;
    uint8_t buf[32];

    if ((c->cdb[1] & 0x1F) != SCSI_SA_READ_CAPACITY_16) {
        scsi_disk_cmd_invalid_field(c, 1, 4);
        return 0;
    }
    if (!pmi_lba_ok(c, c->cdb[14] & 0x01, get_be64(c->cdb + 2)))
        return 0;
    /* no protection, one logical block per physical block, LBA 0 aligned */
    memset(buf, 0, sizeof buf);
    put_be64(buf, d->capacity - 1);
    put_be32(buf + 8, d->block_size);
    scsi_disk_cmd_data_in(c, buf, sizeof buf, get_be32(c->cdb + 10));
    return 0;
}

/* ---- REPORT LUNS ---- */

/* SAM-5 4.7: peripheral device addressing up to 255, flat space above. */
static void
encode_lun(uint8_t *p, uint16_t lun)
{
    memset(p, 0, 8);
    if (lun < 256) {
        p[1] = (uint8_t)lun;
    } else {
        p[0] = (uint8_t)(0x40 | lun >> 8);
        p[1] = (uint8_t)lun;
    }
}

int
scsi_disk_cmd_report_luns(struct scsi_disk_cmd *c)
{
    struct scsi_disk *d = c->disk;
    uint8_t buf[8 + 8 * SCSI_DISK_MAX_LUNS];
    uint8_t select = c->cdb[2];
    uint32_t alloc = get_be32(c->cdb + 6);
    size_t n;

    if (select > 0x02) {
        scsi_disk_cmd_invalid_field(c, 2, 7);
        return 0;
    }
    if (alloc < 16) {
        scsi_disk_cmd_invalid_field(c, 6, 7);
        return 0;
    }
    /* 01h asks for well-known LUs only, and this target has none */
    n = select == 0x01 ? 0 : d->lun_count;
    memset(buf, 0, 8);
    put_be32(buf, (uint32_t)(n * 8));
    for (size_t i = 0; i < n; i++)
        encode_lun(buf + 8 + 8 * i, d->luns[i]);
    /* SPC-4 6.33: REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED */
    scsi_disk_ua_drop(d, SCSI_ASC_REPORTED_LUNS_CHANGED);
    scsi_disk_cmd_data_in(c, buf, 8 + 8 * n, alloc);
    return 0;
}
