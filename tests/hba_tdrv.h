/* hba_tdrv.h: a minimal SIMHBA driver for the adapter tests.
 *
 * Interface: td_begin() creates a machine, physmem, an adapter and its
 * interrupt (DIRQL 5, the adapter's mode, td_isr as the ISR); td_start()
 * runs a script as a passive-level thread on CPU 0; inside it the script
 * calls td_init_hw() to program the rings and enable the device, fills
 * descriptors with td_rw()/td_cdb() and td_data(), posts them with
 * td_post() and rings the doorbell with td_doorbell(). The ISR
 * acknowledges INTR_STATUS, drains the completion ring into td->done[]
 * (with the simulated time of each) and calls the optional hooks.
 * td_end() checks the adapter's invariants and tears everything down.
 */
#ifndef STORSIM_TESTS_HBA_TDRV_H
#define STORSIM_TESTS_HBA_TDRV_H

#include <stdbool.h>
#include <stdint.h>

#include "storsim/hba.h"
#include "storsim/physmem.h"
#include "storsim/sim.h"

#define TD_MAX 4096
#define TD_DIRQL 5

/* A latency model with no jitter, for exact times: control commands 1 us,
 * reads and writes 10 us, cached writes 2 us, flushes 5 us. */
void td_fixed_latency(struct scsi_disk_latency *lat);
/* hba_config_default() with td_fixed_latency() on every LUN given:
 * LUN 0 and, if nluns is 2, LUN 1 on target 0. */
void td_config(struct hba_config *cfg, int nluns);

struct td {
    struct hba *hba;
    struct sim_interrupt intr;
    struct sim_thread_item item;
    void (*script)(struct td *td);
    void *ctx;                       /* for the test */

    struct simhba_req_desc *req;
    struct simhba_cmpl_desc *cmpl;
    uint32_t req_size, cmpl_size;
    uint32_t prod, cons;

    struct simhba_cmpl_desc done[TD_MAX];
    sim_time_t done_at[TD_MAX];
    size_t ndone;
    uint32_t isr_runs, isr_empty;    /* ISR calls; calls with status 0 */
    sim_time_t isr_at[TD_MAX];
    uint32_t status_seen;            /* OR of every INTR_STATUS read */
    bool no_drain;                   /* ISR acknowledges but does not drain */

    /* Called in the ISR with the status it read, before draining. */
    void (*on_status)(struct td *td, uint32_t status);
    /* Called in the ISR for each completion drained. */
    void (*on_cmpl)(struct td *td, const struct simhba_cmpl_desc *c);
};

void td_begin(struct td *td, const struct hba_config *cfg, bool zero_costs);
void td_begin_seed(struct td *td, const struct hba_config *cfg,
                   bool zero_costs, uint64_t seed);
void td_end(struct td *td);
void td_start(struct td *td, void (*script)(struct td *td));
void td_run(struct td *td);

void td_init_hw(struct td *td, uint32_t req_size, uint32_t cmpl_size,
                uint32_t mask);
uint32_t td_rd(struct td *td, uint32_t off);
void td_wr(struct td *td, uint32_t off, uint32_t v);

void td_cdb(struct simhba_req_desc *d, uint32_t tag, const uint8_t *cdb,
            uint8_t len);
void td_rw(struct simhba_req_desc *d, uint32_t tag, uint8_t op, uint32_t lba,
           uint16_t blocks);
int td_data(struct simhba_req_desc *d, uint8_t dir, void *buf, uint32_t len);
void td_sense(struct simhba_req_desc *d, void *buf, uint32_t len);

void td_post(struct td *td, const struct simhba_req_desc *d);
void td_doorbell(struct td *td);
void td_drain(struct td *td);
void td_wait(struct td *td, size_t n);
bool td_isr(void *ctx);

const struct simhba_cmpl_desc *td_find(const struct td *td, uint32_t tag,
                                       sim_time_t *at);
void td_fill(void *buf, size_t len, uint32_t seed);

#endif /* STORSIM_TESTS_HBA_TDRV_H */
