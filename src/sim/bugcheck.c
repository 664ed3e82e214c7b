/* bugcheck.c: stopping the machine with a Windows stop code
 * (see include/storsim/bugcheck.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/internal.h"

const char *
sim_bugcheck_name(uint32_t code)
{
    switch (code) {
    case IRQL_NOT_GREATER_OR_EQUAL: return "IRQL_NOT_GREATER_OR_EQUAL";
    case IRQL_NOT_LESS_OR_EQUAL: return "IRQL_NOT_LESS_OR_EQUAL";
    case SPIN_LOCK_ALREADY_OWNED: return "SPIN_LOCK_ALREADY_OWNED";
    case SPIN_LOCK_NOT_OWNED: return "SPIN_LOCK_NOT_OWNED";
    case DRIVER_VERIFIER_DETECTED_VIOLATION:
        return "DRIVER_VERIFIER_DETECTED_VIOLATION";
    case IRQL_UNEXPECTED_VALUE: return "IRQL_UNEXPECTED_VALUE";
    case PAGE_FAULT_IN_NONPAGED_AREA: return "PAGE_FAULT_IN_NONPAGED_AREA";
    case DRIVER_IRQL_NOT_LESS_OR_EQUAL:
        return "DRIVER_IRQL_NOT_LESS_OR_EQUAL";
    case THREAD_STUCK_IN_DEVICE_DRIVER:
        return "THREAD_STUCK_IN_DEVICE_DRIVER";
    case DPC_WATCHDOG_VIOLATION: return "DPC_WATCHDOG_VIOLATION";
    case HARDWARE_INTERRUPT_STORM: return "HARDWARE_INTERRUPT_STORM";
    default: return "UNKNOWN_BUGCHECK";
    }
}

void
sim_bugcheck(uint32_t code, uint64_t p1, uint64_t p2, uint64_t p3,
             uint64_t p4, const char *file, int line, const char *fmt, ...)
{
    struct sim_bugcheck_info *bc = &M->bc;
    struct sim_cpu *cpu = M->current;
    const struct sim_frame *f = cpu ? sim_top(cpu) : NULL;
    va_list ap;

    if (M->dead)
        return;
    memset(bc, 0, sizeof *bc);
    bc->code = code;
    bc->param[0] = p1;
    bc->param[1] = p2;
    bc->param[2] = p3;
    bc->param[3] = p4;
    bc->time = M->now;
    bc->cpu = cpu ? cpu->id : -1;
    bc->irql = cpu ? cpu->irql : HIGH_LEVEL;
    bc->routine = cpu ? sim_cpu_routine(cpu) : "(device)";
    bc->file = file ? file : (f ? f->site_file : NULL);
    bc->line = file ? line : (f ? f->site_line : 0);
    bc->srb = f ? f->srb : 0;
    va_start(ap, fmt);
    vsnprintf(bc->why, sizeof bc->why, fmt, ap);
    va_end(ap);
    M->dead = true;
    sim_trace_emit_on(bc->cpu, &(struct sim_trace_args){
        .kind = SIM_EV_BUGCHECK, .arg = code, .file = bc->file,
        .line = bc->line, .detail = sim_bugcheck_name(code) });
    if (M->in_run)
        sim_die();
}

const struct sim_bugcheck_info *
sim_bugcheck_info(void)
{
    return M != NULL && M->dead ? &M->bc : NULL;
}

int
sim_bugcheck_format(const struct sim_bugcheck_info *b, char *buf, size_t len)
{
    char cpu[16], srb[32] = "", where[192];

    if (b->file != NULL)
        snprintf(where, sizeof where, "%s:%d", b->file, b->line);
    else    /* stopped in port-driver or kernel code, or on a device */
        snprintf(where, sizeof where, "none (not in miniport code)");
    if (b->srb != 0)
        snprintf(srb, sizeof srb, ", SRB %u", b->srb);
    if (b->cpu >= 0)
        snprintf(cpu, sizeof cpu, "%d", b->cpu);
    else
        snprintf(cpu, sizeof cpu, "none");
    return snprintf(buf, len,
        "*** STOP 0x%08X %s\n"
        "    (0x%llX, 0x%llX, 0x%llX, 0x%llX)\n"
        "    at %llu.%03llu us on CPU %s, IRQL %s, in %s\n"
        "    source %s%s\n"
        "    %s\n",
        b->code, sim_bugcheck_name(b->code),
        (unsigned long long)b->param[0], (unsigned long long)b->param[1],
        (unsigned long long)b->param[2], (unsigned long long)b->param[3],
        (unsigned long long)(b->time / 1000),
        (unsigned long long)(b->time % 1000), cpu, sim_irql_name(b->irql),
        b->routine ? b->routine : "?", where, srb, b->why);
}
