/* srb.c: building SCSI_REQUEST_BLOCKs and STORAGE_REQUEST_BLOCKs the way a
 * class driver does, READ/WRITE CDBs, reading sense data back, and the
 * pool of per-SRB records.
 *
 * Interface: wl_srb_fill() writes either SRB format from one description;
 * wl_cdb_rw() encodes READ/WRITE(10) or (16); wl_srb_sense() decodes the
 * sense data of a completed SRB; wl_child_get()/wl_child_retire() hand out
 * and take back records (workload.c, cmd.c).
 */
#include <stdlib.h>
#include <string.h>

#include "storsim/physmem.h"
#include "workload/wl_int.h"

/* The pieces of a STORAGE_REQUEST_BLOCK must sit where its offsets say and
 * where the accessors look for them: right after the fixed part. */
_Static_assert(offsetof(struct wl_srb_ex, addr) == sizeof(STORAGE_REQUEST_BLOCK),
               "the address follows the fixed part of the SRB");
_Static_assert(offsetof(struct wl_srb_ex, cdb) ==
               sizeof(STORAGE_REQUEST_BLOCK) + sizeof(STOR_ADDR_BTL8),
               "the CDB16 block follows the address");

static void
fill_scsi(struct wl_srb_mem *m, const struct wl_srb_desc *d, void *orig)
{
    SCSI_REQUEST_BLOCK *srb = &m->u.scsi;

    srb->Length = sizeof *srb;
    srb->Function = d->function;
    srb->PathId = d->lun->path;
    srb->TargetId = d->lun->target;
    srb->Lun = d->lun->lun;
    /* Tagging is the port's decision; ClassPnP asks for a simple tag. */
    srb->QueueTag = SP_UNTAGGED;
    srb->QueueAction = SRB_SIMPLE_TAG_REQUEST;
    srb->CdbLength = d->cdb_length;
    if (d->cdb_length != 0)          /* none for the port's own functions */
        memcpy(srb->Cdb, d->cdb, d->cdb_length);
    if (d->function == SRB_FUNCTION_EXECUTE_SCSI) {
        srb->SenseInfoBuffer = m->sense;
        srb->SenseInfoBufferLength = WL_SENSE_LENGTH;
    }
    srb->SrbFlags = d->flags;
    srb->DataTransferLength = d->length;
    srb->TimeOutValue = d->timeout;
    srb->DataBuffer = d->data;
    srb->OriginalRequest = orig;
    srb->QueueSortKey = d->sort_key;
}

/* As ClassPnP's InitializeStorageRequestBlock plus its CDB setup: the
 * header, the BTL8 address, and for EXECUTE_SCSI one CDB16 block carrying
 * the CDB and the sense buffer. SRB_EX has no QueueSortKey (srbhelper.h's
 * SrbSetQueueSortKey does nothing for it). */
static void
fill_ex(struct wl_srb_mem *m, const struct wl_srb_desc *d, void *orig)
{
    struct wl_srb_ex *x = &m->u.ex;
    STORAGE_REQUEST_BLOCK *srb = &x->srb;

    srb->Length = sizeof(STORAGE_REQUEST_BLOCK_HEADER);
    srb->Function = SRB_FUNCTION_STORAGE_REQUEST_BLOCK;
    srb->Signature = SRB_SIGNATURE;
    srb->Version = STORAGE_REQUEST_BLOCK_VERSION_1;
    srb->SrbFunction = d->function;
    srb->SrbFlags = d->flags;
    srb->RequestTag = SP_UNTAGGED;
    srb->RequestAttribute = SRB_SIMPLE_TAG_REQUEST;
    srb->TimeOutValue = d->timeout;
    srb->DataTransferLength = d->length;
    srb->DataBuffer = d->data;
    srb->OriginalRequest = orig;
    srb->AddressOffset = offsetof(struct wl_srb_ex, addr);
    x->addr.Type = STOR_ADDRESS_TYPE_BTL8;
    x->addr.AddressLength = STOR_ADDR_BTL8_ADDRESS_LENGTH;
    x->addr.Path = d->lun->path;
    x->addr.Target = d->lun->target;
    x->addr.Lun = d->lun->lun;
    srb->SrbLength = offsetof(struct wl_srb_ex, cdb);
    if (d->function != SRB_FUNCTION_EXECUTE_SCSI)
        return;
    srb->SrbLength = sizeof *x;
    srb->NumSrbExData = 1;
    srb->SrbExDataOffset[0] = offsetof(struct wl_srb_ex, cdb);
    x->cdb.Type = SrbExDataTypeScsiCdb16;
    x->cdb.Length = SRBEX_DATA_SCSI_CDB16_LENGTH;
    x->cdb.CdbLength = d->cdb_length;
    x->cdb.SenseInfoBuffer = m->sense;
    x->cdb.SenseInfoBufferLength = WL_SENSE_LENGTH;
    memcpy(x->cdb.Cdb, d->cdb, d->cdb_length);
}

void
wl_srb_fill(struct wl_srb_mem *m, const struct wl_srb_desc *d,
            void *original_request)
{
    memset(m, 0, sizeof *m);
    if (d->kind == WL_SRB_EX)
        fill_ex(m, d, original_request);
    else
        fill_scsi(m, d, original_request);
}

static void
put_be(UCHAR *p, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--, v >>= 8)
        p[i] = (UCHAR)v;
}

UCHAR
wl_cdb_rw(UCHAR cdb[16], bool write, uint64_t lba, uint32_t blocks)
{
    CDB *c = (CDB *)cdb;

    memset(cdb, 0, 16);
    /* READ(10) holds a 32-bit LBA and a 16-bit count; disk.sys switches to
     * the 16-byte CDB only when one of them does not fit. */
    if (lba + blocks <= 0x100000000ull && blocks <= 0xFFFF) {
        c->CDB10.OperationCode = write ? SCSIOP_WRITE : SCSIOP_READ;
        c->CDB10.LogicalBlockByte0 = (UCHAR)(lba >> 24);
        c->CDB10.LogicalBlockByte1 = (UCHAR)(lba >> 16);
        c->CDB10.LogicalBlockByte2 = (UCHAR)(lba >> 8);
        c->CDB10.LogicalBlockByte3 = (UCHAR)lba;
        c->CDB10.TransferBlocksMsb = (UCHAR)(blocks >> 8);
        c->CDB10.TransferBlocksLsb = (UCHAR)blocks;
        return 10;
    }
    c->CDB16.OperationCode = write ? SCSIOP_WRITE16 : SCSIOP_READ16;
    put_be(c->CDB16.LogicalBlock, lba, 8);
    put_be(c->CDB16.TransferLength, blocks, 4);
    return 16;
}

bool
wl_srb_sense(void *srb, UCHAR *key, UCHAR *asc, UCHAR *ascq)
{
    const UCHAR *s = SrbGetSenseInfoBuffer(srb);
    UCHAR len = SrbGetSenseInfoBufferLength(srb);

    if (s == NULL || !(SrbGetSrbStatus(srb) & SRB_STATUS_AUTOSENSE_VALID))
        return false;
    switch (s[0] & 0x7F) {
    case SCSI_SENSE_ERRORCODE_FIXED_CURRENT:
    case SCSI_SENSE_ERRORCODE_FIXED_DEFERRED:
        if (len < 14)
            return false;
        *key = s[2] & 0x0F;
        *asc = s[12];
        *ascq = s[13];
        return true;
    case SCSI_SENSE_ERRORCODE_DESCRIPTOR_CURRENT:
    case SCSI_SENSE_ERRORCODE_DESCRIPTOR_DEFERRED:
        if (len < 4)
            return false;
        *key = s[1] & 0x0F;
        *asc = s[2];
        *ascq = s[3];
        return true;
    default:
        return false;
    }
}

/* ---------- the pool of records ---------- */

struct wl_child *
wl_child_get(struct wl_pool *p)
{
    struct wl_child *c = p->free;

    if (c != NULL) {
        p->free = c->next;
    } else {
        c = calloc(1, sizeof *c);
        if (c == NULL)
            return NULL;
        c->mem = physmem_alloc(sizeof *c->mem, false);
        if (c->mem == NULL) {
            free(c);
            return NULL;
        }
    }
    memset(&c->req, 0, sizeof c->req);
    c->io = NULL;
    c->sibling = c->next = NULL;
    c->state = WL_CHILD_BUILT;
    return c;
}

/* Completed records go through a FIFO of WL_QUARANTINE before reuse: a
 * second completion of a record arriving meanwhile finds it DONE and is
 * counted as a duplicate instead of corrupting a newer request. */
void
wl_child_retire(struct wl_pool *p, struct wl_child *c)
{
    c->state = WL_CHILD_DONE;
    if (p->n < WL_QUARANTINE) {
        p->ring[(p->head + p->n) % WL_QUARANTINE] = c;
        p->n++;
        return;
    }
    struct wl_child *old = p->ring[p->head];
    old->state = WL_CHILD_IDLE;
    old->next = p->free;
    p->free = old;
    p->ring[p->head] = c;
    p->head = (p->head + 1) % WL_QUARANTINE;
}

void
wl_child_free(struct wl_child *c)
{
    if (c == NULL)
        return;
    physmem_free(c->mem);
    free(c);
}

void
wl_pool_drain(struct wl_pool *p)
{
    while (p->free != NULL) {
        struct wl_child *c = p->free;
        p->free = c->next;
        wl_child_free(c);
    }
    for (size_t i = 0; i < p->n; i++)
        wl_child_free(p->ring[(p->head + i) % WL_QUARANTINE]);
    p->n = p->head = 0;
}
