/* wdm.c: the kernel IRQL routines a miniport may call (include/wdk/
 * miniport.h), on the simulated machine: the IRQL rules are the machine's
 * (a raise to a lower level, a lower to a higher one, bug-check).
 *
 * Interface: KeGetCurrentIrql(), KeRaiseIrql(), KeLowerIrql().
 */
#define STORSIM_NO_CALL_SITES
#include <storport.h>

#include "storsim/sim.h"

KIRQL
KeGetCurrentIrql(VOID)
{
    return (KIRQL)sim_irql();
}

/* The caller's line is its call site (STORSIM_CALL_SITE): file NULL. */
VOID
KeRaiseIrql(KIRQL NewIrql, PKIRQL OldIrql)
{
    *OldIrql = (KIRQL)sim_irql_raise((sim_irql_t)NewIrql, NULL, 0);
}

VOID
KeLowerIrql(KIRQL NewIrql)
{
    sim_irql_lower((sim_irql_t)NewIrql, NULL, 0);
}
