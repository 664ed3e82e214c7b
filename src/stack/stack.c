/* stack.c: builds and boots the simulated storage stack
 * (see include/storsim/stack.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/physmem.h"
#include "storsim/simhba_regs.h"
#include "storsim/stack.h"

#define STACK_BAR_PHYS 0xFEB00000ull
#define STACK_BAR_SIZE 0x1000u

void
stack_config_default(struct stack_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    sim_config_default(&cfg->machine);
    hba_config_default(&cfg->hba);
    hba_config_add_lun(&cfg->hba, 0, 1, NULL);
    mp_options_default(&cfg->miniport);
    cfg->model = PORT_MODEL_STORPORT;
    storport_costs_default(&cfg->storport_cost);
    scsiport_costs_default(&cfg->scsiport_cost);
    cfg->dirql = 5;
    mouse_config_default(&cfg->mouse);
    serial_config_default(&cfg->serial_port);
    parport_config_default(&cfg->parallel_port);
}

static uint32_t
hw_read32(void *dev, uint32_t off, const char *file, int line)
{
    return hba_read32(dev, off, file, line);
}

static void
hw_write32(void *dev, uint32_t off, uint32_t v, const char *file, int line)
{
    hba_write32(dev, off, v, file, line);
}

static void
hw_attach(void *dev, struct sim_interrupt *intr)
{
    hba_attach_interrupt(dev, intr);
}

static bool
hw_tag_busy(void *dev, uint32_t tag)
{
    return hba_tag_busy(dev, tag);
}

/* SIMHBA's PIO data port moves a whole buffer in one access (one trace
 * event); any other register is read one ULONG at a time. */
static void
hw_read_buffer32(void *dev, uint32_t off, uint32_t *buf, size_t count,
                 const char *file, int line)
{
    if (off == SIMHBA_REG_PIO_DATA) {
        hba_pio_read_buffer(dev, buf, count, file, line);
        return;
    }
    for (size_t i = 0; i < count; i++)
        buf[i] = hba_read32(dev, off, file, line);
}

static void
hw_write_buffer32(void *dev, uint32_t off, const uint32_t *buf, size_t count,
                  const char *file, int line)
{
    if (off == SIMHBA_REG_PIO_DATA) {
        hba_pio_write_buffer(dev, buf, count, file, line);
        return;
    }
    for (size_t i = 0; i < count; i++)
        hba_write32(dev, off, buf[i], file, line);
}

static const char *
adapter_error(const struct stack *st)
{
    const char *e = st->model == PORT_MODEL_STORPORT
                        ? storport_adapter_error(st->pa)
                        : scsiport_adapter_error(st->pa);

    return e ? e : "initialisation failed";
}

static void
on_ready(struct port_adapter *pa, bool ok, void *ctx)
{
    struct stack *st = ctx;

    st->pa = pa;
    st->ready = ok;
    st->failed = !ok;
    if (!ok)
        snprintf(st->error, sizeof st->error, "%s", adapter_error(st));
    sim_request_stop();
}

/* The PCI function both port drivers are given. */
static void
fill_hw(struct port_hw *hw, struct stack *st, const struct stack_config *cfg)
{
    memset(hw, 0, sizeof *hw);
    hw->dev = st->hba;
    hw->bar_phys = STACK_BAR_PHYS;
    hw->bar_size = STACK_BAR_SIZE;
    hw->read32 = hw_read32;
    hw->write32 = hw_write32;
    hw->attach_interrupt = hw_attach;
    hw->tag_busy = hw_tag_busy;
    hw->dirql = cfg->dirql;
    hw->irq_mode = cfg->hba.irq_mode;
    hw->max_targets = 8;
}

static int
create_scsiport_adapter(struct stack *st, const struct stack_config *cfg)
{
    struct scsiport_params p;

    scsiport_params_default(&p);
    fill_hw(&p.hw, st, cfg);
    p.read_buffer32 = hw_read_buffer32;
    p.write_buffer32 = hw_write_buffer32;
    p.driver_entry = mp_driver_entry;
    p.cost = cfg->scsiport_cost;
    p.isr_limit_bugcheck = cfg->scsiport_verify_isr;
    p.ready = on_ready;
    p.ready_ctx = st;
    return scsiport_adapter_create(&p, &st->pa);
}

static int
create_adapter(struct stack *st, const struct stack_config *cfg)
{
    struct storport_params p;

    if (cfg->model == PORT_MODEL_SCSIPORT)
        return create_scsiport_adapter(st, cfg);
    if (cfg->model != PORT_MODEL_STORPORT)
        return -ENOTSUP;
    memset(&p, 0, sizeof p);
    p.name = "storport0";
    fill_hw(&p.hw, st, cfg);
    p.driver_entry = mp_driver_entry;
    p.cost = cfg->storport_cost;
    p.ready = on_ready;
    p.ready_ctx = st;
    return storport_adapter_create(&p, &st->pa);
}

/* The user moves the mouse while the disk works: it reports while the
 * adapter has requests outstanding, and the machine can still go idle. */
static bool
mouse_moving(void *ctx)
{
    const struct stack *st = ctx;

    return st->pa != NULL && st->pa->outstanding != 0;
}

/* The serial and parallel ports work while the user does: while the
 * mouse reports. */
static bool
user_works(void *ctx)
{
    const struct stack *st = ctx;

    return st->mouse != NULL && mouse_reporting(st->mouse);
}

static void
user_starts(void *ctx)
{
    struct stack *st = ctx;

    serial_start(st->serial);
    parport_start(st->parallel);
}

static int
create_legacy_ports(struct stack *st, const struct stack_config *cfg)
{
    struct serial_config s = cfg->serial_port;
    struct parport_config p = cfg->parallel_port;
    int rc, n;

    s.active = p.active = user_works;
    s.active_ctx = p.active_ctx = st;
    if (cfg->serial && (rc = serial_create(&s, &st->serial)) < 0)
        return rc;
    if (cfg->parallel && (rc = parport_create(&p, &st->parallel)) < 0)
        return rc;
    n = 0;
    if (st->serial != NULL) {
        st->companions[n++] = cfg->serial_port.name;
        st->companions[n++] = serial_isr_name;
    }
    if (st->parallel != NULL) {
        st->companions[n++] = cfg->parallel_port.name;
        st->companions[n++] = parport_isr_name;
    }
    st->companions[n] = NULL;
    return 0;
}

static int
create_mouse(struct stack *st, const struct stack_config *cfg)
{
    struct mouse_config m = cfg->mouse;

    m.moving = mouse_moving;
    m.moving_ctx = st;
    if (st->serial != NULL || st->parallel != NULL) {
        m.companions = st->companions;
        m.started = user_starts;
        m.started_ctx = st;
    }
    return mouse_create(&m, &st->mouse);
}

void *
stack_device_extension(const struct stack *st)
{
    if (st->pa == NULL)
        return NULL;
    return st->model == PORT_MODEL_STORPORT
               ? storport_device_extension(st->pa)
               : scsiport_device_extension(st->pa);
}

int
stack_create(const struct stack_config *cfg, struct stack **out, char *err,
             size_t errlen)
{
    struct stack *st;
    int rc;

    if ((rc = sim_create(&cfg->machine, err, errlen)) < 0)
        return rc;
    st = calloc(1, sizeof *st);
    if (st == NULL) {
        sim_destroy();
        return -ENOMEM;
    }
    st->model = cfg->model;
    mp_set_options(&cfg->miniport);
    if ((rc = hba_create(&cfg->hba, &st->hba)) < 0) {
        snprintf(err, errlen, "cannot create the HBA: %s", strerror(-rc));
        stack_destroy(st);
        return rc;
    }
    if ((rc = create_adapter(st, cfg)) < 0) {
        snprintf(err, errlen, "cannot create the %s adapter: %s",
                 cfg->model == PORT_MODEL_STORPORT ? "Storport" : "SCSI Port",
                 strerror(-rc));
        stack_destroy(st);
        return rc;
    }
    if ((rc = create_legacy_ports(st, cfg)) < 0) {
        snprintf(err, errlen, "cannot create the serial or parallel port: %s",
                 strerror(-rc));
        stack_destroy(st);
        return rc;
    }
    if ((rc = create_mouse(st, cfg)) < 0) {
        snprintf(err, errlen, "cannot create the mouse: %s", strerror(-rc));
        stack_destroy(st);
        return rc;
    }
    *out = st;
    return 0;
}

int
stack_boot(struct stack *st)
{
    while (!st->ready && !st->failed) {
        enum sim_stop_reason why = sim_run(NULL);
        if (why == SIM_STOP_BUGCHECK)
            return -EFAULT;
        if (why == SIM_STOP_IDLE && !st->ready && !st->failed) {
            snprintf(st->error, sizeof st->error,
                     "the machine went idle before the adapter was ready");
            st->failed = true;
        }
    }
    if (!st->ready)
        return -EIO;
    stack_reset_device_stats(st);   /* measure what runs from now on */
    return 0;
}

void
stack_reset_device_stats(struct stack *st)
{
    if (st->mouse != NULL)
        mouse_reset_stats(st->mouse);
    if (st->serial != NULL)
        serial_reset_stats(st->serial);
    if (st->parallel != NULL)
        parport_reset_stats(st->parallel);
}

void
stack_destroy(struct stack *st)
{
    if (st != NULL) {
        mouse_destroy(st->mouse);
        serial_destroy(st->serial);
        parport_destroy(st->parallel);
        if (st->pa != NULL && st->model == PORT_MODEL_STORPORT)
            storport_adapter_destroy(st->pa);
        else if (st->pa != NULL)
            scsiport_adapter_destroy(st->pa);
        sim_destroy();
        if (st->hba != NULL)
            hba_destroy(st->hba);
        free(st);
    } else {
        sim_destroy();
    }
    physmem_reset();
}
