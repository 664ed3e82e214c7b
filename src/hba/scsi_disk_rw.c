/* scsi_disk_rw.c - handlers of the media commands: READ, WRITE, VERIFY, SYNCHRONIZE CACHE. */
/*
 * Interface: the command table points at these. The dispatcher has already
 * decoded and range-checked c->lba and c->blocks, and applied the fault
 * rules, so a handler only moves data and says what the latency model
 * should charge.
 *
 * Buffer rules (also in scsi_disk.h): a READ whose buffer is short moves
 * what fits and reports the rest as overrun with GOOD status (an iSCSI or
 * SAS target reports "residual overflow" the same way); a WRITE whose
 * buffer is short is refused with INVALID FIELD IN CDB on the TRANSFER
 * LENGTH and writes nothing, because writing part of a command's blocks
 * would leave the disk in a state no initiator asked for.
 */
#include "hba/scsi_disk_int.h"

/* Byte where the TRANSFER LENGTH field starts, per CDB layout. */
static unsigned
length_byte(uint8_t layout)
{
    switch (layout) {
    case LAYOUT_6:  return 4;
    case LAYOUT_10: return 7;
    default:        return 10;
    }
}

static void
charge(struct scsi_disk_cmd *c, enum scsi_disk_lat_kind kind, uint64_t bytes)
{
    /* a zero-length transfer does not touch the media (SBC-3) */
    c->lat_kind = bytes ? kind : SCSI_DISK_LAT_CONTROL;
    c->lat_lba = c->lba;
    c->lat_bytes = bytes;
}

int
scsi_disk_cmd_read(struct scsi_disk_cmd *c)
{
    struct scsi_disk *d = c->disk;
    struct scsi_disk_cursor cur;
    uint64_t bytes = c->blocks * d->block_size;
    uint64_t fit = bytes < c->buf_len ? bytes : c->buf_len;

    scsi_disk_cursor_init(&cur, c->iov, c->iov_count);
    /* read whole blocks; the cursor stops at the end of a short buffer */
    scsi_disk_store_read(&d->store, c->lba, (fit + d->block_size - 1) / d->block_size, &cur);
    c->res->transferred = (size_t)fit;
    c->res->overrun = (size_t)(bytes - fit);
    d->stats.bytes_read += fit;
    charge(c, SCSI_DISK_LAT_READ, bytes);
    return 0;
}

int
scsi_disk_cmd_write(struct scsi_disk_cmd *c)
{
    struct scsi_disk *d = c->disk;
    struct scsi_disk_cursor cur;
    uint64_t bytes = c->blocks * d->block_size;
    /* FUA (byte 1 bit 3; WRITE(6) has none) writes through the cache */
    bool fua = c->entry->layout != LAYOUT_6 && (c->cdb[1] & 0x08);
    bool cached = d->write_cache && !fua;
    int rc;

    if (bytes > c->buf_len) {
        scsi_disk_cmd_invalid_field(c, length_byte(c->entry->layout), 7);
        c->res->overrun = (size_t)(bytes - c->buf_len);
        return 0;
    }
    scsi_disk_cursor_init(&cur, c->iov, c->iov_count);
    rc = scsi_disk_store_write(&d->store, c->lba, c->blocks, &cur, cached);
    if (rc < 0)
        return rc;
    c->res->transferred = (size_t)bytes;
    d->stats.bytes_written += bytes;
    charge(c, cached ? SCSI_DISK_LAT_CACHED_WRITE : SCSI_DISK_LAT_WRITE, bytes);
    return 0;
}

/* BYTCHK = 0 (the mask refuses 1): check that the blocks are readable, move no data. */
int
scsi_disk_cmd_verify(struct scsi_disk_cmd *c)
{
    charge(c, SCSI_DISK_LAT_READ, c->blocks * c->disk->block_size);
    return 0;
}

/*
 * SBC-3 lets the device write more than the range asked for, so the whole
 * cache is flushed. With IMMED the device answers at once and destages in
 * the background; here the data is safe at once and only the time differs.
 */
int
scsi_disk_cmd_sync_cache(struct scsi_disk_cmd *c)
{
    bool immed = c->cdb[1] & 0x02;
    int64_t bytes = scsi_disk_flush(c->disk);

    if (bytes < 0)
        return (int)bytes;
    c->disk->stats.flushes++;
    c->lat_kind = immed || bytes == 0 ? SCSI_DISK_LAT_CONTROL : SCSI_DISK_LAT_FLUSH;
    c->lat_bytes = (uint64_t)bytes;
    return 0;
}
