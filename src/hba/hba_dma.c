/* hba_dma.c - the SIMHBA DMA engine: SG lists to host memory, sense by DMA. */
/*
 * Interface: hba_dma_map() turns a request's SG list into the host
 * segments scsi_disk_execute() copies through (h->iov), so a transfer costs
 * exactly one copy and never a bounce buffer; hba_dma_sense() writes sense
 * data to the request's sense buffer (autosense).
 *
 * An SG element names physical memory. Physically adjacent frames need not
 * be adjacent in host memory (they may belong to different allocations), so
 * each element is walked frame run by frame run with physmem_phys_run().
 * The data phase takes exactly data_length bytes from the front of the
 * list: elements past that are ignored, and a list that ends first is an
 * error (DMA_SHORT) before anything moves.
 */
#include "hba/hba_int.h"

/* The request's SG list: inline, or read from host memory. */
static const struct simhba_sg_elem *
load_sg(struct hba *h, const struct simhba_req_desc *d)
{
    if (!(d->flags & SIMHBA_REQ_F_EXT_SG))
        return d->sg;
    if (physmem_read(d->ext_sg_addr, h->sg_buf,
                     (size_t)d->sg_count * sizeof *h->sg_buf) < 0)
        return NULL;
    return h->sg_buf;
}

/* Append the host runs of [pa, pa + len) to h->iov. */
static bool
map_extent(struct hba *h, uint64_t pa, size_t len, size_t *niov)
{
    while (len > 0) {
        void *host;
        size_t n = physmem_phys_run(pa, len, &host);

        if (n == 0 || *niov == h->iov_cap)
            return false;
        h->iov[*niov].base = host;
        h->iov[*niov].len = n;
        ++*niov;
        pa += n;
        len -= n;
    }
    return true;
}

enum hba_dma_rc
hba_dma_map(struct hba *h, const struct simhba_req_desc *d, size_t *niov)
{
    const struct simhba_sg_elem *sg;
    size_t need = d->data_length;

    *niov = 0;
    if (need == 0)
        return DMA_OK;
    if ((sg = load_sg(h, d)) == NULL) {
        h->st.dma_faults++;
        return DMA_BAD;
    }
    for (uint32_t i = 0; i < d->sg_count && need > 0; i++) {
        size_t take = sg[i].length < need ? sg[i].length : need;

        if (sg[i].length == 0)
            return DMA_BAD;
        if (!map_extent(h, sg[i].addr, take, niov)) {
            h->st.dma_faults++;
            return DMA_BAD;
        }
        need -= take;
    }
    return need == 0 ? DMA_OK : DMA_SHORT;
}

void
hba_dma_sense(struct hba_cmd *cmd, const struct scsi_disk_result *res)
{
    const struct simhba_req_desc *d = &cmd->d;
    uint32_t n = res->sense_len;

    if (n == 0 || d->sense_addr == 0 || d->sense_length == 0)
        return;
    if (n > d->sense_length)
        n = d->sense_length;
    if (n > SIMHBA_MAX_SENSE)
        n = SIMHBA_MAX_SENSE;
    if (physmem_write(d->sense_addr, res->sense, n) < 0) {
        cmd->hba->st.dma_faults++;
        return;
    }
    cmd->c.sense_length = (uint8_t)n;
    cmd->c.flags |= SIMHBA_CMPL_F_SENSE;
}
