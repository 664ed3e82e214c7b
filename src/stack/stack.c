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
    cfg->dirql = 5;
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

static void
on_ready(struct port_adapter *pa, bool ok, void *ctx)
{
    struct stack *st = ctx;

    st->ready = ok;
    st->failed = !ok;
    if (!ok && st->model == PORT_MODEL_STORPORT)
        snprintf(st->error, sizeof st->error, "%s",
                 storport_adapter_error(pa) ? storport_adapter_error(pa)
                                            : "initialisation failed");
    sim_request_stop();
}

static int
create_adapter(struct stack *st, const struct stack_config *cfg)
{
    struct storport_params p;

    if (cfg->model != PORT_MODEL_STORPORT)
        return -ENOTSUP;
    memset(&p, 0, sizeof p);
    p.name = "storport0";
    p.hw.dev = st->hba;
    p.hw.bar_phys = STACK_BAR_PHYS;
    p.hw.bar_size = STACK_BAR_SIZE;
    p.hw.read32 = hw_read32;
    p.hw.write32 = hw_write32;
    p.hw.attach_interrupt = hw_attach;
    p.hw.dirql = cfg->dirql;
    p.hw.irq_mode = cfg->hba.irq_mode;
    p.hw.max_targets = 8;
    p.driver_entry = mp_driver_entry;
    p.cost = cfg->storport_cost;
    p.ready = on_ready;
    p.ready_ctx = st;
    return storport_adapter_create(&p, &st->pa);
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
    return st->ready ? 0 : -EIO;
}

void
stack_destroy(struct stack *st)
{
    if (st != NULL) {
        if (st->pa != NULL && st->model == PORT_MODEL_STORPORT)
            storport_adapter_destroy(st->pa);
        sim_destroy();
        if (st->hba != NULL)
            hba_destroy(st->hba);
        free(st);
    } else {
        sim_destroy();
    }
    physmem_reset();
}
