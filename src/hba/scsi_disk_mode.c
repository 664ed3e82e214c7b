/* scsi_disk_mode.c - MODE SENSE(6) and MODE SENSE(10): header, block descriptor, pages 08h and 0Ah. */
/*
 * Interface: scsi_disk_cmd_mode_sense6() and scsi_disk_cmd_mode_sense10()
 * from the command table.
 *
 * The disk has no MODE SELECT, so nothing is changeable: the changeable
 * values (PC = 01b) are all zero, and current, default and saved values
 * are the same, the ones in the configuration (PS = 0 in every page,
 * because there is no way to save them). The data returned is
 *   mode parameter header (4 bytes for (6), 8 for (10))
 *   block descriptor unless DBD: short (8 bytes), or long (16) when
 *     MODE SENSE(10) sets LLBAA
 *   the pages asked for, in page-code order.
 */
#include <string.h>

#include "hba/scsi_disk_int.h"

#define PC_CHANGEABLE 1
#define MODE_BUF_LEN  128           /* 8 + 16 + 20 + 12 fits */

struct mode_req {
    bool ten;                       /* MODE SENSE(10) */
    bool dbd;                       /* disable block descriptors */
    bool llbaa;                     /* long LBA block descriptor */
    unsigned pc;                    /* page control */
    uint8_t page;
    uint8_t subpage;
    uint32_t alloc;
};

/* Caching mode page (SBC-3 6.4.5): WCE is bit 2 of byte 2; RCD = 0 (read cache on). */
static size_t
caching_page(const struct scsi_disk *d, unsigned pc, uint8_t *p)
{
    memset(p, 0, 20);
    p[0] = SCSI_MODE_PAGE_CACHING;
    p[1] = 0x12;                    /* PAGE LENGTH */
    if (pc != PC_CHANGEABLE && d->write_cache)
        p[2] = 0x04;
    return 20;
}

/* Control mode page (SPC-4 7.5.8): unrestricted reordering (QUEUE ALGORITHM MODIFIER 1). */
static size_t
control_page(unsigned pc, uint8_t *p)
{
    memset(p, 0, 12);
    p[0] = SCSI_MODE_PAGE_CONTROL;
    p[1] = 0x0A;
    if (pc != PC_CHANGEABLE)
        p[3] = 0x10;
    return 12;
}

static size_t
block_descriptor(const struct scsi_disk *d, const struct mode_req *r, uint8_t *p)
{
    uint64_t blocks = r->pc == PC_CHANGEABLE ? 0 : d->capacity;
    uint32_t bs = r->pc == PC_CHANGEABLE ? 0 : d->block_size;

    if (r->dbd)
        return 0;
    if (r->ten && r->llbaa) {
        memset(p, 0, 16);
        put_be64(p, blocks);
        put_be32(p + 12, bs);
        return 16;
    }
    memset(p, 0, 8);
    /* SPC-4: a count too large for the short descriptor reads FFFFFFFFh */
    put_be32(p, blocks > UINT32_MAX ? UINT32_MAX : (uint32_t)blocks);
    p[5] = (uint8_t)(bs >> 16);
    p[6] = (uint8_t)(bs >> 8);
    p[7] = (uint8_t)bs;
    return 8;
}

/* The pages asked for, or 0 with the sense set when the page or subpage is not served. */
static size_t
pages(struct scsi_disk_cmd *c, const struct mode_req *r, uint8_t *p)
{
    size_t n = 0;

    /* subpage 00h is the page itself; FFh asks for all its subpages, and it has none */
    if (r->subpage != 0x00 && r->subpage != 0xFF) {
        scsi_disk_cmd_invalid_field(c, 3, 7);
        return 0;
    }
    if (r->page == SCSI_MODE_PAGE_CACHING || r->page == SCSI_MODE_PAGE_ALL)
        n += caching_page(c->disk, r->pc, p + n);
    if (r->page == SCSI_MODE_PAGE_CONTROL || r->page == SCSI_MODE_PAGE_ALL)
        n += control_page(r->pc, p + n);
    if (n == 0)
        scsi_disk_cmd_invalid_field(c, 2, 5);
    return n;
}

static int
mode_sense(struct scsi_disk_cmd *c, const struct mode_req *r)
{
    uint8_t buf[MODE_BUF_LEN];
    size_t hdr = r->ten ? 8 : 4;
    size_t bd = block_descriptor(c->disk, r, buf + hdr);
    size_t pg = pages(c, r, buf + hdr + bd);
    size_t total = hdr + bd + pg;

    if (pg == 0)
        return 0;
    if (r->ten) {
        memset(buf, 0, 8);
        put_be16(buf, (uint16_t)(total - 2));  /* MODE DATA LENGTH excludes itself */
        buf[3] = 0x10;                          /* DPOFUA: DPO and FUA supported */
        buf[4] = bd == 16 ? 0x01 : 0x00;        /* LONGLBA */
        put_be16(buf + 6, (uint16_t)bd);
    } else {
        buf[0] = (uint8_t)(total - 1);
        buf[1] = 0;                             /* MEDIUM TYPE */
        buf[2] = 0x10;                          /* DPOFUA */
        buf[3] = (uint8_t)bd;
    }
    scsi_disk_cmd_data_in(c, buf, total, r->alloc);
    return 0;
}

int
scsi_disk_cmd_mode_sense6(struct scsi_disk_cmd *c)
{
    struct mode_req r = {
        .dbd = c->cdb[1] & 0x08, .pc = c->cdb[2] >> 6, .page = c->cdb[2] & 0x3F,
        .subpage = c->cdb[3], .alloc = c->cdb[4],
    };

    return mode_sense(c, &r);
}

int
scsi_disk_cmd_mode_sense10(struct scsi_disk_cmd *c)
{
    struct mode_req r = {
        .ten = true, .llbaa = c->cdb[1] & 0x10, .dbd = c->cdb[1] & 0x08,
        .pc = c->cdb[2] >> 6, .page = c->cdb[2] & 0x3F, .subpage = c->cdb[3],
        .alloc = get_be16(c->cdb + 7),
    };

    return mode_sense(c, &r);
}
