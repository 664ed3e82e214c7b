/* scsi_disk.c - the SCSI disk: creation, the command dispatcher, unit attentions, statistics. */
/*
 * Interface: see include/storsim/scsi_disk.h. The adapter model creates a
 * disk per logical unit and calls scsi_disk_execute() for every CDB.
 *
 * A command goes through the same steps every time (SAM-5 / SPC-4 order):
 *   1. the sense kept from the previous CHECK CONDITION is dropped, unless
 *      this is REQUEST SENSE, which reports it;
 *   2. a pending unit attention ends every command except INQUIRY, REPORT
 *      LUNS and REQUEST SENSE, and is cleared by being reported;
 *   3. an opcode not in the table ends with 20/00 INVALID COMMAND OPERATION CODE;
 *   4. every CDB byte is checked against the row's allowed-bits mask: 24/00
 *      INVALID FIELD IN CDB with the field and bit pointer;
 *   5. a media command's LBA range is decoded and checked: 21/00;
 *   6. fault rules may fail the command now;
 *   7. the handler runs, and the latency model prices what it did.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hba/scsi_disk_int.h"

/* ---- configuration ---- */

void
scsi_disk_config_init(struct scsi_disk_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->block_size = 512;
    cfg->capacity_blocks = 2097152;         /* 1 GiB */
    cfg->vendor = "STORSIM";
    cfg->product = "SIMDISK";
    cfg->revision = "0001";
    cfg->serial = "SIM0000001";
    cfg->seed = 1;
    scsi_disk_latency_preset("nvme", &cfg->latency);
}

/* INQUIRY strings are printable ASCII (SPC-4 4.4.1). */
static bool
ascii_ok(const char *s, size_t min, size_t max)
{
    size_t n;

    if (!s)
        return false;
    for (n = 0; s[n]; n++)
        if (s[n] < 0x20 || s[n] > 0x7E)
            return false;
    return n >= min && n <= max;
}

static bool
luns_ok(const uint16_t *luns, size_t count)
{
    if (count > SCSI_DISK_MAX_LUNS || (count && !luns))
        return false;
    for (size_t i = 0; i < count; i++)
        if (luns[i] > SCSI_DISK_MAX_LUN_NUMBER)
            return false;
    return true;
}

static int
config_check(const struct scsi_disk_config *cfg)
{
    if (cfg->block_size != 512 && cfg->block_size != 4096)
        return -EINVAL;
    /* lba * block_size must fit in 64 bits for the store's byte offsets */
    if (cfg->capacity_blocks == 0 || cfg->capacity_blocks > UINT64_MAX / cfg->block_size)
        return -EINVAL;
    if (!ascii_ok(cfg->vendor, 0, 8) || !ascii_ok(cfg->product, 0, 16) ||
        !ascii_ok(cfg->revision, 0, 4) || !ascii_ok(cfg->serial, 1, 32))
        return -EINVAL;
    if (cfg->lun > SCSI_DISK_MAX_LUN_NUMBER || !luns_ok(cfg->luns, cfg->lun_count))
        return -EINVAL;
    return 0;
}

/* A stable NAA 3h (locally assigned) identifier: FNV-1a of the identity. */
static uint64_t
make_naa(const struct scsi_disk *d, uint16_t lun)
{
    const char *parts[3] = { d->vendor, d->product, d->serial };
    uint64_t h = 0xCBF29CE484222325ull;

    for (int i = 0; i < 3; i++) {
        for (const char *p = parts[i]; *p; p++)
            h = (h ^ (uint8_t)*p) * 0x100000001B3ull;
        h = (h ^ 0xFF) * 0x100000001B3ull;
    }
    h = (h ^ lun) * 0x100000001B3ull;
    return 0x3ull << 60 | (h & 0x0FFFFFFFFFFFFFFFull);
}

static void
copy_identity(struct scsi_disk *d, const struct scsi_disk_config *cfg)
{
    strcpy(d->vendor, cfg->vendor);
    strcpy(d->product, cfg->product);
    strcpy(d->revision, cfg->revision);
    strcpy(d->serial, cfg->serial);
    d->block_size = cfg->block_size;
    d->capacity = cfg->capacity_blocks;
    d->write_cache = cfg->write_cache;
    d->lat = cfg->latency;
    d->rng = cfg->seed;
    d->naa_id = make_naa(d, cfg->lun);
    if (cfg->luns) {
        memcpy(d->luns, cfg->luns, cfg->lun_count * sizeof *cfg->luns);
        d->lun_count = cfg->lun_count;
    } else {
        d->luns[0] = cfg->lun;
        d->lun_count = 1;
    }
}

int
scsi_disk_create(const struct scsi_disk_config *cfg, struct scsi_disk **out)
{
    struct scsi_disk *d;
    int rc;

    if (!cfg || !out)
        return -EINVAL;
    rc = config_check(cfg);
    if (rc < 0)
        return rc;
    d = calloc(1, sizeof *d);
    if (!d)
        return -ENOMEM;
    rc = scsi_disk_store_init(&d->store, cfg->block_size);
    if (rc < 0) {
        free(d);
        return rc;
    }
    copy_identity(d, cfg);
    if (cfg->power_on_ua)
        scsi_disk_post_unit_attention(d, SCSI_ASC_POWER_ON_RESET);
    *out = d;
    return 0;
}

void
scsi_disk_destroy(struct scsi_disk *disk)
{
    if (!disk)
        return;
    scsi_disk_store_free(&disk->store);
    free(disk);
}

/* ---- finishing a command: helpers for the handlers ---- */

static void
set_check(struct scsi_disk_cmd *c, const struct scsi_disk_sense_spec *spec)
{
    scsi_disk_sense_build(c->res->sense, spec);
    c->res->sense_len = SCSI_DISK_SENSE_LEN;
    c->res->status = SCSI_STATUS_CHECK_CONDITION;
}

void
scsi_disk_cmd_check(struct scsi_disk_cmd *c, uint8_t key, uint16_t asc_ascq)
{
    struct scsi_disk_sense_spec spec = { .key = key, .asc_ascq = asc_ascq };

    set_check(c, &spec);
}

/* 24/00 with the sense-key specific field pointer: C/D = 1 (in the CDB), BPV = 1. */
void
scsi_disk_cmd_invalid_field(struct scsi_disk_cmd *c, unsigned byte, unsigned bit)
{
    struct scsi_disk_sense_spec spec = {
        .key = SCSI_KEY_ILLEGAL_REQUEST, .asc_ascq = SCSI_ASC_INVALID_FIELD_IN_CDB,
        .sks_valid = true, .sks_cdb = true, .sks_bpv = true,
        .sks_bit = (uint8_t)bit, .sks_field = (uint16_t)byte,
    };

    set_check(c, &spec);
}

/* MEDIUM ERROR with VALID + INFORMATION = the first bad LBA. */
void
scsi_disk_cmd_medium_error(struct scsi_disk_cmd *c, uint16_t asc_ascq, uint64_t lba)
{
    struct scsi_disk_sense_spec spec = {
        .key = SCSI_KEY_MEDIUM_ERROR, .asc_ascq = asc_ascq,
        .info_valid = true, .info = lba,
    };

    set_check(c, &spec);
}

/* Return min(avail, alloc_len) bytes of parameter data: allocation lengths truncate. */
void
scsi_disk_cmd_data_in(struct scsi_disk_cmd *c, const void *data, size_t avail,
                      size_t alloc_len)
{
    struct scsi_disk_cursor cur;
    size_t want = avail < alloc_len ? avail : alloc_len;

    scsi_disk_cursor_init(&cur, c->iov, c->iov_count);
    c->res->transferred = scsi_disk_cursor_put(&cur, data, want);
    c->res->overrun = want - c->res->transferred;
}

/* ---- unit attentions ---- */

int
scsi_disk_post_unit_attention(struct scsi_disk *disk, uint16_t asc_ascq)
{
    for (size_t i = 0; i < disk->ua_count; i++)
        if (disk->ua[i] == asc_ascq)
            return 0;
    if (disk->ua_count == SCSI_DISK_MAX_UAS)
        return -ENOSPC;
    disk->ua[disk->ua_count++] = asc_ascq;
    return 0;
}

size_t
scsi_disk_pending_unit_attentions(const struct scsi_disk *disk)
{
    return disk->ua_count;
}

/* Take the oldest unit attention; reporting it is what clears it. */
int
scsi_disk_ua_pop(struct scsi_disk *d, uint16_t *asc_ascq)
{
    if (d->ua_count == 0)
        return -ENOENT;
    *asc_ascq = d->ua[0];
    d->ua_count--;
    memmove(d->ua, d->ua + 1, d->ua_count * sizeof d->ua[0]);
    d->stats.unit_attentions++;
    return 0;
}

void
scsi_disk_ua_drop(struct scsi_disk *d, uint16_t asc_ascq)
{
    for (size_t i = 0; i < d->ua_count; i++) {
        if (d->ua[i] == asc_ascq) {
            d->ua_count--;
            memmove(d->ua + i, d->ua + i + 1, (d->ua_count - i) * sizeof d->ua[0]);
            return;
        }
    }
}

int
scsi_disk_reset(struct scsi_disk *disk, enum scsi_disk_reset_kind kind)
{
    static const uint16_t asc[] = {
        [SCSI_DISK_RESET_LUN] = SCSI_ASC_POWER_ON_RESET,
        [SCSI_DISK_RESET_TARGET] = SCSI_ASC_BUS_DEVICE_RESET,
        [SCSI_DISK_RESET_BUS] = SCSI_ASC_BUS_RESET,
    };

    if ((unsigned)kind > SCSI_DISK_RESET_BUS)
        return -EINVAL;
    disk->last_sense_valid = false;
    return scsi_disk_post_unit_attention(disk, asc[kind]);
}

uint64_t
scsi_disk_power_loss(struct scsi_disk *disk)
{
    uint64_t lost = scsi_disk_store_discard(&disk->store);

    disk->stats.lost_bytes += lost;
    disk->ua_count = 0;
    disk->last_sense_valid = false;
    disk->head = 0;
    scsi_disk_post_unit_attention(disk, SCSI_ASC_POWER_ON_OCCURRED);
    return lost;
}

int64_t
scsi_disk_flush(struct scsi_disk *disk)
{
    int64_t bytes = scsi_disk_store_flush(&disk->store);

    if (bytes > 0)
        disk->stats.flushed_bytes += (uint64_t)bytes;
    return bytes;
}

int
scsi_disk_set_luns(struct scsi_disk *disk, const uint16_t *luns, size_t count)
{
    if (!luns_ok(luns, count))
        return -EINVAL;
    if (count)
        memcpy(disk->luns, luns, count * sizeof *luns);
    disk->lun_count = count;
    scsi_disk_post_unit_attention(disk, SCSI_ASC_REPORTED_LUNS_CHANGED);
    return 0;
}

/* ---- the dispatcher ---- */

static bool
report_unit_attention(struct scsi_disk_cmd *c)
{
    uint16_t asc_ascq;

    if (scsi_disk_ua_pop(c->disk, &asc_ascq) < 0)
        return false;
    scsi_disk_cmd_check(c, SCSI_KEY_UNIT_ATTENTION, asc_ascq);
    return true;
}

static unsigned
top_bit(uint8_t v)
{
    unsigned b = 7;

    while (!(v & (1u << b)))
        b--;
    return b;
}

/* Steps 3 and 4: the CDB must be long enough and set only allowed bits. */
static bool
cdb_valid(struct scsi_disk_cmd *c, size_t cdb_len)
{
    const struct scsi_disk_cmd_entry *e = c->entry;

    if (cdb_len < e->info.cdb_len) {
        scsi_disk_cmd_invalid_field(c, (unsigned)cdb_len, 7);
        return false;
    }
    for (unsigned i = 1; i < e->info.cdb_len; i++) {
        uint8_t bad = c->cdb[i] & (uint8_t)~e->info.mask[i];
        unsigned bit;

        if (!bad)
            continue;
        /* point at the left-most bit of the field that holds the bad bit */
        for (bit = top_bit(bad); bit < 7 && (e->cont[i] >> bit & 1); bit++)
            ;
        scsi_disk_cmd_invalid_field(c, i, bit);
        return false;
    }
    return true;
}

/* Step 5: decode LBA and length of a media command and check the range (SBC-3 4.5). */
static bool
range_valid(struct scsi_disk_cmd *c)
{
    const uint8_t *cdb = c->cdb;
    uint64_t cap = c->disk->capacity;

    switch (c->entry->layout) {
    case LAYOUT_6:
        c->lba = (uint64_t)(cdb[1] & 0x1F) << 16 | get_be16(cdb + 2);
        c->blocks = cdb[4] ? cdb[4] : 256;     /* SBC-3: 0 means 256 blocks */
        break;
    case LAYOUT_10:
        c->lba = get_be32(cdb + 2);
        c->blocks = get_be16(cdb + 7);
        break;
    default:
        c->lba = get_be64(cdb + 2);
        c->blocks = get_be32(cdb + 10);
        break;
    }
    if (c->blocks == 0 && (c->entry->flags & ENTRY_LEN0_ALL) && c->lba < cap)
        c->blocks = cap - c->lba;
    if (c->lba >= cap || c->blocks > cap - c->lba) {
        scsi_disk_cmd_check(c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE);
        return false;
    }
    c->has_range = true;
    return true;
}

static int
dispatch(struct scsi_disk_cmd *c, size_t cdb_len)
{
    struct scsi_disk *d = c->disk;
    const struct scsi_disk_cmd_entry *e = scsi_disk_table_lookup(c->cdb[0]);

    c->entry = e;
    if (c->cdb[0] != SCSI_OP_REQUEST_SENSE)
        d->last_sense_valid = false;
    if (!(e && (e->flags & ENTRY_UA_EXEMPT)) && report_unit_attention(c))
        return 0;
    if (!e) {
        scsi_disk_cmd_check(c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_OPCODE);
        return 0;
    }
    if (!cdb_valid(c, cdb_len))
        return 0;
    if (e->layout != LAYOUT_NONE && !range_valid(c))
        return 0;
    if (scsi_disk_fault_apply(c))
        return 0;
    return e->handler(c);
}

static void
count_status(struct scsi_disk_stats *st, const struct scsi_disk_result *res)
{
    uint16_t asc_ascq;

    switch (res->status) {
    case SCSI_STATUS_GOOD:          st->good++; return;
    case SCSI_STATUS_BUSY:          st->busy++; return;
    case SCSI_STATUS_TASK_SET_FULL: st->task_set_full++; return;
    case SCSI_STATUS_CHECK_CONDITION: break;
    default:                        st->other_status++; return;
    }
    st->check_conditions++;
    st->by_sense_key[res->sense[2] & 0x0F]++;
    asc_ascq = (uint16_t)(res->sense[12] << 8 | res->sense[13]);
    st->invalid_opcode += asc_ascq == SCSI_ASC_INVALID_OPCODE;
    st->invalid_field += asc_ascq == SCSI_ASC_INVALID_FIELD_IN_CDB;
    st->lba_out_of_range += asc_ascq == SCSI_ASC_LBA_OUT_OF_RANGE;
    st->medium_errors += (res->sense[2] & 0x0F) == SCSI_KEY_MEDIUM_ERROR;
}

static void
finish(struct scsi_disk_cmd *c)
{
    struct scsi_disk *d = c->disk;
    struct scsi_disk_result *res = c->res;

    res->residual = c->buf_len - res->transferred;
    res->service_ns = scsi_disk_latency_ns(d, c->lat_kind, c->lat_lba, c->lat_bytes);
    count_status(&d->stats, res);
    d->stats.overruns += res->overrun != 0;
    if (res->status == SCSI_STATUS_CHECK_CONDITION) {
        memcpy(d->last_sense, res->sense, SCSI_DISK_SENSE_LEN);
        d->last_sense_valid = true;
    }
}

int
scsi_disk_execute(struct scsi_disk *disk, const uint8_t *cdb, size_t cdb_len,
                  const struct scsi_disk_iov *iov, size_t iov_count,
                  struct scsi_disk_result *res)
{
    struct scsi_disk_cmd c;
    int rc;

    if (!disk || !cdb || !res || cdb_len == 0 || cdb_len > 16 || (iov_count && !iov))
        return -EINVAL;
    memset(res, 0, sizeof *res);
    memset(&c, 0, sizeof c);
    c.disk = disk;
    c.cdb = cdb;
    c.iov = iov;
    c.iov_count = iov_count;
    c.res = res;
    for (size_t i = 0; i < iov_count; i++)
        c.buf_len += iov[i].len;
    disk->stats.commands++;
    disk->stats.by_opcode[cdb[0]]++;
    rc = dispatch(&c, cdb_len);
    finish(&c);
    return rc;
}

int
scsi_disk_execute_buf(struct scsi_disk *disk, const uint8_t *cdb, size_t cdb_len,
                      void *buf, size_t len, struct scsi_disk_result *res)
{
    struct scsi_disk_iov iov = { buf, len };

    if (len && !buf)
        return -EINVAL;
    return scsi_disk_execute(disk, cdb, cdb_len, &iov, len ? 1 : 0, res);
}

/* ---- statistics and accessors ---- */

void
scsi_disk_get_stats(const struct scsi_disk *disk, struct scsi_disk_stats *out)
{
    *out = disk->stats;
    out->media_chunks = disk->store.media_chunks;
    out->cache_chunks = disk->store.cache_chunks;
}

void
scsi_disk_stats_reset(struct scsi_disk *disk)
{
    memset(&disk->stats, 0, sizeof disk->stats);
}

uint32_t
scsi_disk_block_size(const struct scsi_disk *disk)
{
    return disk->block_size;
}

uint64_t
scsi_disk_capacity(const struct scsi_disk *disk)
{
    return disk->capacity;
}

int
scsi_disk_check(const struct scsi_disk *disk)
{
    if (disk->ua_count > SCSI_DISK_MAX_UAS || disk->lun_count > SCSI_DISK_MAX_LUNS)
        return -EIO;
    for (size_t i = 0; i < disk->ua_count; i++)
        for (size_t j = i + 1; j < disk->ua_count; j++)
            if (disk->ua[i] == disk->ua[j])
                return -EIO;
    return scsi_disk_store_check(&disk->store);
}
