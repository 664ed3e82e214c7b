/* hba_mmio.c - the SIMHBA register file: what each register read and write does. */
/*
 * Interface: hba_read32(), hba_write32(), hba_pio_read_buffer(),
 * hba_pio_write_buffer() and hba_reg_name() (include/storsim/hba.h). The
 * port library's register accessors call them on a simulated CPU.
 *
 * Each access is exactly one trace event, emitted after its effect on the
 * device and followed by its cost in CPU time: a read is an uncached round
 * trip that stalls the CPU (~700 ns), a write is posted (~80 ns). The cost
 * is spent with sim_spend(), the machine's "time without an event"
 * primitive, because sim_work() would add a second (SIM_EV_WORK) event to
 * every access.
 */
#include <errno.h>
#include <string.h>

#include "hba/hba_int.h"
#include "storsim/cpu.h"

enum reg_access { REG_NONE, REG_RO, REG_RW, REG_WO, REG_W1C };

struct reg_info {
    const char *name;
    enum reg_access access;
    bool ring_setup;     /* ignored while STATUS.READY */
};

#define R(off, nm, acc, setup) [(off) / 4] = { nm, acc, setup }
static const struct reg_info regs[SIMHBA_REG_WINDOW / 4] = {
    R(SIMHBA_REG_ID, "ID", REG_RO, false),
    R(SIMHBA_REG_VERSION, "VERSION", REG_RO, false),
    R(SIMHBA_REG_CAPS, "CAPS", REG_RO, false),
    R(SIMHBA_REG_MAX_XFER, "MAX_XFER", REG_RO, false),
    R(SIMHBA_REG_TOPOLOGY, "TOPOLOGY", REG_RO, false),
    R(SIMHBA_REG_CONTROL, "CONTROL", REG_RW, false),
    R(SIMHBA_REG_STATUS, "STATUS", REG_RO, false),
    R(SIMHBA_REG_INTR_STATUS, "INTR_STATUS", REG_W1C, false),
    R(SIMHBA_REG_INTR_MASK, "INTR_MASK", REG_RW, false),
    R(SIMHBA_REG_ADAPTER_RESET, "ADAPTER_RESET", REG_WO, false),
    R(SIMHBA_REG_BUS_RESET, "BUS_RESET", REG_WO, false),
    R(SIMHBA_REG_REQ_BASE_LO, "REQ_BASE_LO", REG_RW, true),
    R(SIMHBA_REG_REQ_BASE_HI, "REQ_BASE_HI", REG_RW, true),
    R(SIMHBA_REG_REQ_SIZE, "REQ_SIZE", REG_RW, true),
    R(SIMHBA_REG_REQ_DOORBELL, "REQ_DOORBELL", REG_RW, false),
    R(SIMHBA_REG_REQ_CONS, "REQ_CONS", REG_RO, false),
    R(SIMHBA_REG_CMPL_BASE_LO, "CMPL_BASE_LO", REG_RW, true),
    R(SIMHBA_REG_CMPL_BASE_HI, "CMPL_BASE_HI", REG_RW, true),
    R(SIMHBA_REG_CMPL_SIZE, "CMPL_SIZE", REG_RW, true),
    R(SIMHBA_REG_CMPL_PROD, "CMPL_PROD", REG_RO, false),
    R(SIMHBA_REG_CMPL_CONS, "CMPL_CONS", REG_RW, false),
    R(SIMHBA_REG_COALESCE_COUNT, "COALESCE_COUNT", REG_RW, false),
    R(SIMHBA_REG_COALESCE_TIME, "COALESCE_TIME", REG_RW, false),
    R(SIMHBA_REG_PIO_DATA, "PIO_DATA", REG_RW, false),
    R(SIMHBA_REG_PIO_STATUS, "PIO_STATUS", REG_RO, false),
    R(SIMHBA_REG_PIO_TAG, "PIO_TAG", REG_RO, false),
    R(SIMHBA_REG_PIO_CONTROL, "PIO_CONTROL", REG_WO, false),
};
#undef R

static const struct reg_info *
reg_at(uint32_t off)
{
    if (off >= SIMHBA_REG_WINDOW || (off & 3) != 0 ||
        regs[off / 4].access == REG_NONE)
        return NULL;
    return &regs[off / 4];
}

const char *
hba_reg_name(uint32_t off)
{
    const struct reg_info *r = reg_at(off);

    return r != NULL ? r->name : NULL;
}

/* ---------- reads ---------- */

static uint32_t
caps_value(const struct hba *h)
{
    return (h->cfg.queue_depth & 0xFFFFu) | (h->cfg.max_sg & 0xFFFu) << 16 |
           SIMHBA_CAPS_PIO | SIMHBA_CAPS_COALESCE | SIMHBA_CAPS_EXT_SG |
           (h->cfg.irq_mode == SIM_IRQ_EDGE ? SIMHBA_CAPS_MSI : 0);
}

static uint32_t
ident_value(const struct hba *h, uint32_t off)
{
    switch (off) {
    case SIMHBA_REG_ID:       return SIMHBA_ID_VALUE;
    case SIMHBA_REG_VERSION:  return SIMHBA_VERSION_VALUE;
    case SIMHBA_REG_CAPS:     return caps_value(h);
    case SIMHBA_REG_MAX_XFER: return h->cfg.max_transfer;
    default:                  return HBA_MAX_TARGETS | HBA_MAX_LUNS_PER_TARGET << 8;
    }
}

/* The value a read returns, PIO_DATA apart (reading it consumes data). */
static uint32_t
reg_value(const struct hba *h, uint32_t off)
{
    switch (off) {
    case SIMHBA_REG_CONTROL:        return h->control;
    case SIMHBA_REG_STATUS:
        return h->status | (h->pio_cur != NULL ? SIMHBA_STATUS_PIO_ACTIVE : 0);
    case SIMHBA_REG_INTR_STATUS:    return h->intr_status;
    case SIMHBA_REG_INTR_MASK:      return h->intr_mask;
    case SIMHBA_REG_REQ_BASE_LO:    return (uint32_t)h->req_base;
    case SIMHBA_REG_REQ_BASE_HI:    return (uint32_t)(h->req_base >> 32);
    case SIMHBA_REG_REQ_SIZE:       return h->req_size;
    case SIMHBA_REG_REQ_DOORBELL:   return h->req_prod;
    case SIMHBA_REG_REQ_CONS:       return h->req_cons;
    case SIMHBA_REG_CMPL_BASE_LO:   return (uint32_t)h->cmpl_base;
    case SIMHBA_REG_CMPL_BASE_HI:   return (uint32_t)(h->cmpl_base >> 32);
    case SIMHBA_REG_CMPL_SIZE:      return h->cmpl_size;
    case SIMHBA_REG_CMPL_PROD:      return h->cmpl_prod;
    case SIMHBA_REG_CMPL_CONS:      return h->cmpl_cons;
    case SIMHBA_REG_COALESCE_COUNT: return h->coalesce_count;
    case SIMHBA_REG_COALESCE_TIME:  return h->coalesce_ns;
    case SIMHBA_REG_PIO_STATUS:     return hba_pio_status(h);
    case SIMHBA_REG_PIO_TAG:        return h->pio_cur ? h->pio_cur->d.tag : 0;
    case SIMHBA_REG_ADAPTER_RESET:
    case SIMHBA_REG_BUS_RESET:
    case SIMHBA_REG_PIO_CONTROL:    return 0;    /* write-only */
    default:                        return ident_value(h, off);
    }
}

/* One trace event for the access, then its cost. */
static void
account(enum sim_trace_kind kind, uint64_t arg, uint64_t arg2,
        const char *name, sim_time_t ns, const char *file, int line)
{
    sim_trace_emit(&(struct sim_trace_args){
        .kind = kind, .arg = arg, .arg2 = arg2, .detail = name,
        .file = file, .line = line });
    sim_spend(ns);
}

int
hba_peek32(const struct hba *h, uint32_t off, uint32_t *v)
{
    if (reg_at(off) == NULL)
        return -EINVAL;
    switch (off) {
    case SIMHBA_REG_PIO_DATA:
        return -EAGAIN;
    case SIMHBA_REG_ADAPTER_RESET:
    case SIMHBA_REG_BUS_RESET:
    case SIMHBA_REG_PIO_CONTROL:
        return -EPERM;
    default:
        *v = reg_value(h, off);
        return 0;
    }
}

uint32_t
hba_read32(struct hba *h, uint32_t off, const char *file, int line)
{
    const struct reg_info *r = reg_at(off);
    uint32_t v = 0xFFFFFFFFu;

    h->st.reg_reads++;
    if (r == NULL)
        h->st.bad_reg_reads++;
    else if (off == SIMHBA_REG_PIO_DATA)
        v = hba_pio_read(h);
    else
        v = reg_value(h, off);
    account(SIM_EV_REG_READ, off, v, r ? r->name : "UNKNOWN",
            off == SIMHBA_REG_PIO_DATA ? h->cfg.pio_ns : h->cfg.mmio_read_ns,
            file, line);
    return v;
}

/* ---------- writes ---------- */

static void
control_write(struct hba *h, uint32_t v)
{
    bool was = h->control & SIMHBA_CONTROL_ENABLE;
    bool now = v & SIMHBA_CONTROL_ENABLE;

    h->control = v & SIMHBA_CONTROL_ENABLE;
    if (was && !now) {
        h->status &= ~SIMHBA_STATUS_READY;
        return;
    }
    if (was || !now)
        return;
    if (!hba_rings_valid(h)) {
        h->control = 0;
        h->status |= SIMHBA_STATUS_RING_ERROR;
        hba_intr_raise(h, SIMHBA_INTR_ERROR);
        return;
    }
    h->status = (h->status & ~SIMHBA_STATUS_RING_ERROR) | SIMHBA_STATUS_READY;
    h->req_prod = h->req_cons = h->cmpl_prod = h->cmpl_cons = 0;
}

static void
set_half(uint64_t *reg, bool high, uint32_t v)
{
    if (high)
        *reg = (*reg & 0xFFFFFFFFull) | (uint64_t)v << 32;
    else
        *reg = (*reg & ~0xFFFFFFFFull) | v;
}

static void
ring_write(struct hba *h, uint32_t off, uint32_t v)
{
    switch (off) {
    case SIMHBA_REG_REQ_BASE_LO:  set_half(&h->req_base, false, v); break;
    case SIMHBA_REG_REQ_BASE_HI:  set_half(&h->req_base, true, v); break;
    case SIMHBA_REG_REQ_SIZE:     h->req_size = v; break;
    case SIMHBA_REG_CMPL_BASE_LO: set_half(&h->cmpl_base, false, v); break;
    case SIMHBA_REG_CMPL_BASE_HI: set_half(&h->cmpl_base, true, v); break;
    default:                      h->cmpl_size = v; break;
    }
}

static void
reset_write(struct hba *h, bool adapter, uint32_t v)
{
    if (v != SIMHBA_RESET_KEY) {
        h->st.bad_reg_writes++;
        return;
    }
    if (hba_reset_start(h, adapter, false) < 0)
        h->st.bad_reg_writes++;   /* a reset is already running */
}

static void
reg_store(struct hba *h, uint32_t off, uint32_t v)
{
    switch (off) {
    case SIMHBA_REG_CONTROL:        control_write(h, v); break;
    case SIMHBA_REG_INTR_STATUS:    hba_intr_ack(h, v); break;
    case SIMHBA_REG_INTR_MASK:      hba_intr_set_mask(h, v); break;
    case SIMHBA_REG_ADAPTER_RESET:  reset_write(h, true, v); break;
    case SIMHBA_REG_BUS_RESET:      reset_write(h, false, v); break;
    case SIMHBA_REG_REQ_DOORBELL:   hba_doorbell(h, v); break;
    case SIMHBA_REG_CMPL_CONS:      hba_cmpl_consumed(h, v); break;
    case SIMHBA_REG_COALESCE_COUNT: h->coalesce_count = v;
                                    hba_coalesce_changed(h); break;
    case SIMHBA_REG_COALESCE_TIME:  h->coalesce_ns = v;
                                    hba_coalesce_changed(h); break;
    case SIMHBA_REG_PIO_DATA:       hba_pio_write(h, v); break;
    case SIMHBA_REG_PIO_CONTROL:
        if (v & SIMHBA_PIO_CTL_END)
            hba_pio_end(h);
        break;
    default:                        ring_write(h, off, v); break;
    }
}

void
hba_write32(struct hba *h, uint32_t off, uint32_t v, const char *file, int line)
{
    const struct reg_info *r = reg_at(off);

    h->st.reg_writes++;
    if (r == NULL || r->access == REG_RO ||
        (r->ring_setup && (h->status & SIMHBA_STATUS_READY)))
        h->st.bad_reg_writes++;
    else
        reg_store(h, off, v);
    account(SIM_EV_REG_WRITE, off, v, r ? r->name : "UNKNOWN",
            off == SIMHBA_REG_PIO_DATA ? h->cfg.pio_ns : h->cfg.mmio_write_ns,
            file, line);
}

/* ---------- PIO buffers (READ/WRITE_PORT_BUFFER_ULONG) ---------- */

void
hba_pio_read_buffer(struct hba *h, uint32_t *buf, size_t count,
                    const char *file, int line)
{
    for (size_t i = 0; i < count; i++)
        buf[i] = hba_pio_read(h);
    h->st.reg_reads += count;
    account(SIM_EV_PIO, count * 4, SIMHBA_REG_PIO_DATA, "PIO_DATA",
            count * h->cfg.pio_ns, file, line);
}

void
hba_pio_write_buffer(struct hba *h, const uint32_t *buf, size_t count,
                     const char *file, int line)
{
    for (size_t i = 0; i < count; i++)
        hba_pio_write(h, buf[i]);
    h->st.reg_writes += count;
    account(SIM_EV_PIO, count * 4, SIMHBA_REG_PIO_DATA, "PIO_DATA",
            count * h->cfg.pio_ns, file, line);
}
