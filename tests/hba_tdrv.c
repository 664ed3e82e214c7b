/* hba_tdrv.c: a minimal SIMHBA driver for the adapter tests (see hba_tdrv.h).
 *
 * It follows the protocol of docs/simhba.md section 4 to the letter:
 * acknowledge INTR_STATUS before reading CMPL_PROD, so a completion that
 * arrives meanwhile raises a new interrupt instead of being missed.
 */
#include <check.h>
#include <string.h>

#include "tests/hba_tdrv.h"
#include "tests/sim_helpers.h"

void
td_begin(struct td *td, const struct hba_config *cfg, bool zero_costs)
{
    td_begin_seed(td, cfg, zero_costs, 1);
}

void
td_begin_seed(struct td *td, const struct hba_config *cfg, bool zero_costs,
              uint64_t seed)
{
    struct sim_config mc;

    memset(td, 0, sizeof *td);
    sim_config_default(&mc);
    mc.ncpus = 1;
    mc.seed = seed;
    if (zero_costs)
        memset(&mc.cost, 0, sizeof mc.cost);
    ck_assert_int_eq(sim_create(&mc, NULL, 0), 0);
    ck_assert_int_eq(hba_create(cfg, &td->hba), 0);
    ck_assert_int_eq(sim_interrupt_connect(&td->intr, "simhba0", TD_DIRQL,
                                           cfg->irq_mode, 0, td_isr, td), 0);
    ck_assert_int_eq(hba_attach_interrupt(td->hba, &td->intr), 0);
}

void
td_end(struct td *td)
{
    ck_assert_int_eq(hba_check(td->hba), 0);
    hba_destroy(td->hba);
    sim_test_end();
    physmem_reset();
}

static void
script_thunk(void *ctx)
{
    struct td *td = ctx;

    td->script(td);
}

void
td_start(struct td *td, void (*script)(struct td *td))
{
    td->script = script;
    ck_assert_int_eq(sim_cpu_post(&td->item, 0, script_thunk, td, "driver", 0), 0);
}

void
td_run(struct td *td)
{
    (void)td;
    ck_assert_int_eq(sim_run(NULL), SIM_STOP_IDLE);
}

uint32_t
td_rd(struct td *td, uint32_t off)
{
    return hba_read32(td->hba, off, SIM_HERE);
}

void
td_wr(struct td *td, uint32_t off, uint32_t v)
{
    hba_write32(td->hba, off, v, SIM_HERE);
}

void
td_init_hw(struct td *td, uint32_t req_size, uint32_t cmpl_size, uint32_t mask)
{
    uint64_t pa;

    td->req = physmem_alloc(req_size * sizeof *td->req, true);
    td->cmpl = physmem_alloc(cmpl_size * sizeof *td->cmpl, true);
    ck_assert_ptr_nonnull(td->req);
    ck_assert_ptr_nonnull(td->cmpl);
    td->req_size = req_size;
    td->cmpl_size = cmpl_size;
    pa = physmem_virt_to_phys(td->req);
    td_wr(td, SIMHBA_REG_REQ_BASE_LO, (uint32_t)pa);
    td_wr(td, SIMHBA_REG_REQ_BASE_HI, (uint32_t)(pa >> 32));
    td_wr(td, SIMHBA_REG_REQ_SIZE, req_size);
    pa = physmem_virt_to_phys(td->cmpl);
    td_wr(td, SIMHBA_REG_CMPL_BASE_LO, (uint32_t)pa);
    td_wr(td, SIMHBA_REG_CMPL_BASE_HI, (uint32_t)(pa >> 32));
    td_wr(td, SIMHBA_REG_CMPL_SIZE, cmpl_size);
    td_wr(td, SIMHBA_REG_INTR_MASK, mask);
    td_wr(td, SIMHBA_REG_CONTROL, SIMHBA_CONTROL_ENABLE);
}

void
td_cdb(struct simhba_req_desc *d, uint32_t tag, const uint8_t *cdb, uint8_t len)
{
    memset(d, 0, sizeof *d);
    d->tag = tag;
    d->cdb_len = len;
    memcpy(d->cdb, cdb, len);
}

void
td_rw(struct simhba_req_desc *d, uint32_t tag, uint8_t op, uint32_t lba,
      uint16_t blocks)
{
    uint8_t cdb[10] = { op, 0, (uint8_t)(lba >> 24), (uint8_t)(lba >> 16),
                        (uint8_t)(lba >> 8), (uint8_t)lba, 0,
                        (uint8_t)(blocks >> 8), (uint8_t)blocks, 0 };

    td_cdb(d, tag, cdb, sizeof cdb);
}

/* The SG list of a buffer: inline when it fits, else an external list in
 * a contiguous physmem block (freed by physmem_reset() in td_end()). */
int
td_data(struct simhba_req_desc *d, uint8_t dir, void *buf, uint32_t len)
{
    struct physmem_extent ext[256];
    struct simhba_sg_elem *sg = d->sg;
    size_t n;

    if (physmem_build_sg(buf, len, ext, 256, 0, &n) < 0)
        return -1;
    if (n > SIMHBA_INLINE_SG) {
        sg = physmem_alloc(n * sizeof *sg, true);
        d->ext_sg_addr = physmem_virt_to_phys(sg);
        d->flags |= SIMHBA_REQ_F_EXT_SG;
    }
    for (size_t i = 0; i < n; i++)
        sg[i] = (struct simhba_sg_elem){ ext[i].phys, ext[i].length, 0 };
    d->sg_count = (uint32_t)n;
    d->direction = dir;
    d->data_length = len;
    return (int)n;
}

void
td_sense(struct simhba_req_desc *d, void *buf, uint32_t len)
{
    d->sense_addr = physmem_virt_to_phys(buf);
    d->sense_length = len;
}

void
td_post(struct td *td, const struct simhba_req_desc *d)
{
    td->req[td->prod & (td->req_size - 1)] = *d;
    td->prod++;
}

void
td_doorbell(struct td *td)
{
    td_wr(td, SIMHBA_REG_REQ_DOORBELL, td->prod);
}

void
td_drain(struct td *td)
{
    uint32_t prod = td_rd(td, SIMHBA_REG_CMPL_PROD);

    while (td->cons != prod) {
        const struct simhba_cmpl_desc *c =
            &td->cmpl[td->cons & (td->cmpl_size - 1)];
        ck_assert_uint_lt(td->ndone, TD_MAX);
        td->done[td->ndone] = *c;
        td->done_at[td->ndone++] = sim_now();
        td->cons++;
        if (td->on_cmpl != NULL)
            td->on_cmpl(td, c);
    }
    td_wr(td, SIMHBA_REG_CMPL_CONS, td->cons);
}

bool
td_isr(void *ctx)
{
    struct td *td = ctx;
    uint32_t status;

    if (td->isr_runs < TD_MAX)
        td->isr_at[td->isr_runs] = sim_now();
    td->isr_runs++;
    status = td_rd(td, SIMHBA_REG_INTR_STATUS);
    if (status == 0) {
        td->isr_empty++;
        return false;
    }
    td->status_seen |= status;
    td_wr(td, SIMHBA_REG_INTR_STATUS, status);
    if (td->on_status != NULL)
        td->on_status(td, status);
    if ((status & SIMHBA_INTR_CMPL) && !td->no_drain)
        td_drain(td);
    return true;
}

/* Spin (1 us at a time) until n completions have come in. */
void
td_wait(struct td *td, size_t n)
{
    sim_time_t give_up = sim_now() + SIM_SEC(1);

    while (td->ndone < n) {
        ck_assert_msg(sim_now() < give_up, "only %zu of %zu completions",
                      td->ndone, n);
        sim_work(SIM_US(1), SIM_HERE);
    }
}

const struct simhba_cmpl_desc *
td_find(const struct td *td, uint32_t tag, sim_time_t *at)
{
    for (size_t i = 0; i < td->ndone; i++)
        if (td->done[i].tag == tag) {
            if (at != NULL)
                *at = td->done_at[i];
            return &td->done[i];
        }
    return NULL;
}

void
td_fill(void *buf, size_t len, uint32_t seed)
{
    uint8_t *p = buf;
    uint32_t x = seed * 2654435761u + 1;

    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        p[i] = (uint8_t)(x >> 16);
    }
}

void
td_fixed_latency(struct scsi_disk_latency *lat)
{
    memset(lat, 0, sizeof *lat);
    lat->control.fixed_ns = SIM_US(1);
    lat->read.fixed_ns = SIM_US(10);
    lat->write.fixed_ns = SIM_US(10);
    lat->cached_write.fixed_ns = SIM_US(2);
    lat->flush.fixed_ns = SIM_US(5);
}

void
td_config(struct hba_config *cfg, int nluns)
{
    hba_config_default(cfg);
    if (nluns > 1)
        hba_config_add_lun(cfg, 0, 1, NULL);
    for (size_t i = 0; i < cfg->nluns; i++)
        td_fixed_latency(&cfg->luns[i].disk.latency);
}
