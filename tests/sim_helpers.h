/* sim_helpers.h: shared set-up for the simulated-machine test suites.
 *
 * Interface: sim_test_begin(ncpus, zero_costs) creates a machine (failing
 * the test if it cannot); sim_test_end() destroys it. With zero_costs the
 * machine's own overheads are zero, so expected times are plain sums.
 */
#ifndef STORSIM_TESTS_SIM_HELPERS_H
#define STORSIM_TESTS_SIM_HELPERS_H

#include <check.h>
#include <string.h>

#include "storsim/sim.h"

static inline void
sim_test_begin(int ncpus, int zero_costs)
{
    struct sim_config cfg;
    char err[160];

    sim_config_default(&cfg);
    cfg.ncpus = ncpus;
    if (zero_costs)
        memset(&cfg.cost, 0, sizeof cfg.cost);
    ck_assert_msg(sim_create(&cfg, err, sizeof err) == 0, "sim_create: %s",
                  err);
}

static inline void
sim_test_end(void)
{
    sim_destroy();
}

/* Run to completion and demand a bug check with `code`. */
static inline const struct sim_bugcheck_info *
sim_test_expect_bugcheck(uint32_t code)
{
    enum sim_stop_reason why = sim_run(NULL);
    const struct sim_bugcheck_info *bc = sim_bugcheck_info();

    ck_assert_int_eq(why, SIM_STOP_BUGCHECK);
    ck_assert_ptr_nonnull(bc);
    ck_assert_msg(bc->code == code, "bug check 0x%X (%s: %s), expected 0x%X",
                  bc->code, sim_bugcheck_name(bc->code), bc->why, code);
    return bc;
}

/* A thread that holds a CPU at a raised IRQL for a while: what keeps a
 * lower device's interrupt waiting. */
struct sim_test_busy {
    struct sim_thread_item item;
    sim_irql_t irql;
    sim_time_t ns;
};

static inline void
sim_test_busy_thread(void *ctx)
{
    struct sim_test_busy *b = ctx;
    sim_irql_t old = sim_irql_raise(b->irql, SIM_HERE);

    sim_work(b->ns, SIM_HERE);
    sim_irql_lower(old, SIM_HERE);
}

/* From `from`, CPU `cpu` works `ns` at `irql`; `b` must outlive the run. */
static inline void
sim_test_busy_at(struct sim_test_busy *b, int cpu, sim_irql_t irql,
                 sim_time_t from, sim_time_t ns)
{
    b->irql = irql;
    b->ns = ns;
    sim_cpu_post(&b->item, cpu, sim_test_busy_thread, b, "busy", from);
}

#endif /* STORSIM_TESTS_SIM_HELPERS_H */
