/* verifier.c: the run-time verifier: findings, the report, the rules that
 * watch the trace stream, and the mapping from the machine's and the port
 * drivers' bug checks to the rules they enforce.
 *
 * Interface: include/storsim/verifier.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "storsim/bugcheck.h"
#include "storsim/port.h"
#include "verifier/vf_int.h"

#define VF_DEPTH 8
#define ISR_LIMIT SIM_US(50)
#define DPC_LIMIT SIM_US(100)
#define STALL_LIMIT_US 100

/* Per CPU: the miniport callbacks it is in (trace ENTER/EXIT). */
struct vf_call {
    const char *routine;
    sim_time_t entered;
    sim_irql_t irql;              /* at entry */
    int nheld;
};

static bool stop_on_warning;   /* a setting: kept across machines */

static struct {
    struct verifier_finding findings[VERIFIER_MAX_FINDINGS];
    size_t count;
    struct vf_call calls[SIM_MAX_CPUS][VF_DEPTH];
    int depth[SIM_MAX_CPUS];
    bool own_bugcheck;    /* the bug check in progress is a verifier hit */
} V;

static void
fill_locks(struct verifier_finding *f, int cpu)
{
    const struct sim_cpu *c = cpu >= 0 ? sim_cpu_get(cpu) : NULL;
    size_t at = 0;

    f->locks[0] = '\0';
    for (int i = 0; c != NULL && i < c->nheld && i < SIM_MAX_HELD; i++) {
        int n = snprintf(f->locks + at, sizeof f->locks - at, "%s%s",
                         i ? " " : "", c->held[i]->name);
        if (n < 0 || (size_t)n >= sizeof f->locks - at)
            break;
        at += (size_t)n;
    }
}

static struct verifier_finding *
record(struct verifier_rule *r, int cpu, uint32_t srb)
{
    struct verifier_finding *f;
    const struct sim_frame *fr = sim_current_frame();

    r->hits++;
    if (V.count++ >= VERIFIER_MAX_FINDINGS)
        return NULL;
    f = &V.findings[V.count - 1];
    memset(f, 0, sizeof *f);
    f->rule = r;
    f->time = sim_now();
    f->cpu = cpu;
    f->irql = cpu >= 0 ? sim_cpu_get(cpu)->irql : 0;
    f->routine = cpu >= 0 ? sim_cpu_routine(sim_cpu_get(cpu)) : "(device)";
    f->file = fr ? fr->site_file : NULL;
    f->line = fr ? fr->site_line : 0;
    f->srb = srb ? srb : fr ? fr->srb : 0;
    fill_locks(f, cpu);
    return f;
}

bool
verifier_hit(const char *id, uint32_t srb, const char *fmt, ...)
{
    struct verifier_rule *r = vf_rule(id);
    struct verifier_finding *f;
    char why[512];
    va_list ap;

    if (r == NULL || !r->enabled || !sim_exists() || sim_is_dead())
        return false;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    f = record(r, sim_cpu_current(), srb);
    if (f != NULL)
        snprintf(f->why, sizeof f->why, "%s", why);
    /* No yield here: a finding is often made inside a trace subscriber,
     * and the run must not move on before it is complete. */
    if (r->severity == VERIFIER_WARNING) {
        sim_trace_emit_on(sim_cpu_current(), &(struct sim_trace_args){
            .kind = SIM_EV_MARK, .detail = r->id, .srb = srb });
        if (stop_on_warning)
            sim_request_stop();      /* like a breakpoint, at the next event */
    }
    if (r->severity == VERIFIER_BUGCHECK) {
        V.own_bugcheck = true;
        sim_bugcheck(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x6000 + (r - vf_rules),
                     srb, 0, 0, f ? f->file : NULL, f ? f->line : 0,
                     "verifier rule %s: %s. %s (%s)", r->id, why, r->explain,
                     r->source);
    }
    return true;
}

void
verifier_set_stop(bool on)
{
    stop_on_warning = on;
}

bool
verifier_stop(void)
{
    return stop_on_warning;
}

/* The machine (or a port driver) bug-checked: which rule was that? */
static const char *
rule_of_bugcheck(const struct sim_bugcheck_info *b)
{
    switch (b->code) {
    case IRQL_NOT_GREATER_OR_EQUAL: case IRQL_NOT_LESS_OR_EQUAL:
        return "irql-raise-lower";
    case SPIN_LOCK_ALREADY_OWNED: return "lock-double-acquire";
    case SPIN_LOCK_NOT_OWNED: return "lock-release-not-held";
    case IRQL_UNEXPECTED_VALUE: return "irql-activation-return";
    case HARDWARE_INTERRUPT_STORM: return "interrupt-storm";
    case DPC_WATCHDOG_VIOLATION: case THREAD_STUCK_IN_DEVICE_DRIVER:
        return "watchdog";
    case PAGE_FAULT_IN_NONPAGED_AREA: case DRIVER_IRQL_NOT_LESS_OR_EQUAL:
        return sim_is_unmapped(b->param[0]) ? "srb-databuffer-unmapped"
                                            : "memory-fault";
    default: break;
    }
    switch (b->param[0]) {
    case 0x01: case 0x02: case 0x11: case 0x12: return "irql-pool";
    case SIM_VERIFIER_DEADLOCK:
        return b->param[3] == 1 ? "lock-order" : "lock-deadlock";
    case SIM_VERIFIER_IRQL_RELEASE_SPINLOCK: return "lock-release-irql";
    case PORT_VIOLATION_LOCK_NOT_ALLOWED: return "lock-not-allowed";
    case PORT_VIOLATION_DOUBLE_COMPLETE: return "srb-completed-twice";
    case PORT_VIOLATION_BAD_STATUS: return "srb-bad-status";
    case PORT_VIOLATION_UNKNOWN_SRB: return "srb-unknown";
    case PORT_VIOLATION_NO_NEXT_REQUEST: return "scsiport-next-request";
    case PORT_VIOLATION_UNTAGGED_ACTIVE: return "scsiport-next-lu-untagged";
    case PORT_VIOLATION_LONG_ISR: return "time-isr";
    case PORT_VIOLATION_NO_DISABLE: return "scsiport-enable-no-disable";
    default: return "port-misuse";
    }
}

static void
on_bugcheck(void)
{
    const struct sim_bugcheck_info *b = sim_bugcheck_info();
    struct verifier_rule *r;
    struct verifier_finding *f;

    if (V.own_bugcheck || b == NULL)
        return;
    r = vf_rule(rule_of_bugcheck(b));
    f = record(r, b->cpu, b->srb);
    if (f == NULL)
        return;
    f->irql = b->irql;
    f->routine = b->routine;
    f->file = b->file;
    f->line = b->line;
    snprintf(f->why, sizeof f->why, "%.440s (stop 0x%X %s)", b->why, b->code,
             sim_bugcheck_name(b->code));
}

/* ---------- the rules that read the trace ---------- */

static bool
is_callback(const char *routine)
{
    return routine != NULL && routine[0] == 'H' && routine[1] == 'w';
}

/* Whether the routine is the activation itself, run by the kernel rather
 * than called by a port driver. StorPortIssueDpc queues the STOR_DPC's KDPC
 * with KeInsertQueueDpc and the deferred routine is HwStorDpcRoutine, so a
 * wrong IRQL at its return is the kernel's to catch when the DPC retires
 * (IRQL_UNEXPECTED_VALUE: irql-activation-return), not the port's. */
static bool
is_activation_routine(const struct sim_cpu *cpu, const char *routine)
{
    const struct sim_frame *f = cpu->nframes > 0
                                    ? cpu->frames[cpu->nframes - 1] : NULL;

    return f != NULL && f->name != NULL && !strcmp(f->name, routine);
}

static void
on_enter(const struct sim_trace_event *ev)
{
    int c = ev->cpu, d = V.depth[c]++;

    if (d >= VF_DEPTH)
        return;
    V.calls[c][d].routine = ev->routine;
    V.calls[c][d].entered = ev->time;
    V.calls[c][d].irql = sim_cpu_get(c)->irql;
    V.calls[c][d].nheld = sim_cpu_get(c)->nheld;
}

/* An interrupt routine: entered at device IRQL. (SCSI Port's enable
 * callback also says "Interrupts" but runs at DISPATCH_LEVEL, precisely so
 * that it may take long; its disable callback runs at DIRQL and is held to
 * the same limit as the ISR it is synchronized with.) */
static bool
is_isr(const struct vf_call *call)
{
    return call->irql > DISPATCH_LEVEL &&
           strstr(call->routine, "Interrupt") != NULL;
}

static void
check_time(const struct vf_call *call, sim_time_t spent)
{
    if (is_isr(call) && spent > ISR_LIMIT)
        verifier_hit("time-isr", 0, "%s ran %.1f us (the limit is 50 us)",
                     call->routine, (double)spent / 1e3);
    else if (strstr(call->routine, "Dpc") != NULL && spent > DPC_LIMIT)
        verifier_hit("time-dpc", 0, "%s ran %.1f us (the limit is 100 us)",
                     call->routine, (double)spent / 1e3);
}

static void
on_exit(const struct sim_trace_event *ev)
{
    int c = ev->cpu, d;
    const struct sim_cpu *cpu = sim_cpu_get(c);
    struct vf_call *call;

    if (V.depth[c] == 0)
        return;
    d = --V.depth[c];
    if (d >= VF_DEPTH)
        return;
    call = &V.calls[c][d];
    if (!is_callback(call->routine))
        return;
    check_time(call, ev->time - call->entered);
    if (cpu->nheld > call->nheld)
        verifier_hit("lock-held-at-return", 0, "%s returned holding %s, "
                     "which it acquired (at %s:%d)", call->routine,
                     cpu->held[call->nheld]->name,
                     cpu->held[call->nheld]->acq_file
                         ? cpu->held[call->nheld]->acq_file : "?",
                     cpu->held[call->nheld]->acq_line);
    else if (ev->irql_after != (sim_irql_t)ev->arg &&
             !is_activation_routine(cpu, call->routine))
        verifier_hit("irql-callback-return", 0, "%s was called at %s and "
                     "returned at %s", call->routine,
                     sim_irql_name((sim_irql_t)ev->arg),
                     sim_irql_name(ev->irql_after));
}

static void
on_event(const struct sim_trace_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->kind == SIM_EV_BUGCHECK) {
        on_bugcheck();
        return;
    }
    vf_ext_event(ev);
    if (ev->cpu < 0)
        return;
    switch (ev->kind) {
    case SIM_EV_ENTER:
        on_enter(ev);
        break;
    case SIM_EV_EXIT:
        on_exit(ev);
        break;
    case SIM_EV_RETIRE:
        if (sim_cpu_get(ev->cpu)->nframes <= 1)
            V.depth[ev->cpu] = 0;   /* a new activation starts clean */
        break;
    case SIM_EV_CALL:
        if (ev->detail != NULL && strstr(ev->detail, "StallExecution") &&
            ev->arg > STALL_LIMIT_US)
            verifier_hit("time-stall", 0, "%s(%llu) stalls %llu us (the "
                         "limit is 100 us)", ev->detail,
                         (unsigned long long)ev->arg,
                         (unsigned long long)ev->arg);
        break;
    default:
        break;
    }
}

int
verifier_attach(void)
{
    memset(&V, 0, sizeof V);
    vf_ext_reset();
    for (size_t i = 0; i < vf_nrules; i++)
        vf_rules[i].hits = 0;
    sim_set_switch_hook(vf_ext_switch, NULL);
    return sim_trace_subscribe(on_event, NULL);
}

const struct verifier_rule *
verifier_rules(size_t *n)
{
    *n = vf_nrules;
    return vf_rules;
}

int
verifier_set_enabled(const char *id, bool on)
{
    struct verifier_rule *r = vf_rule(id);

    if (r == NULL)
        return -ENOENT;
    r->enabled = on;
    return 0;
}

size_t
verifier_count(void)
{
    return V.count;
}

const struct verifier_finding *
verifier_finding(size_t i)
{
    return i < V.count && i < VERIFIER_MAX_FINDINGS ? &V.findings[i] : NULL;
}

/* How many findings of this rule came before finding @p i. */
static size_t
earlier_of_rule(size_t i)
{
    size_t n = 0;

    for (size_t j = 0; j < i; j++)
        n += V.findings[j].rule == V.findings[i].rule;
    return n;
}

#define VF_REPORT_PER_RULE 3     /* findings of one rule printed in full */

/* The first findings of each rule in full, with the rule's explanation
 * once; then how many more there were, so a miniport that breaks a rule on
 * every SRB does not bury the others. */
void
verifier_report(FILE *f)
{
    size_t stored = V.count < VERIFIER_MAX_FINDINGS ? V.count
                                                    : VERIFIER_MAX_FINDINGS;

    if (V.count == 0) {
        fprintf(f, "verifier: no findings\n");
        return;
    }
    fprintf(f, "verifier: %zu finding%s\n", V.count, V.count == 1 ? "" : "s");
    for (size_t i = 0; i < stored; i++) {
        const struct verifier_finding *x = &V.findings[i];
        size_t before = earlier_of_rule(i), more = 0;

        if (before >= VF_REPORT_PER_RULE)
            continue;
        fprintf(f, "  [%s] %s: %s\n    at %.3f us, CPU %d, %s, in %s, ",
                x->rule->severity == VERIFIER_BUGCHECK ? "bug check"
                                                       : "warning",
                x->rule->id, x->rule->name, (double)x->time / 1e3, x->cpu,
                sim_irql_name(x->irql), x->routine ? x->routine : "?");
        if (x->file != NULL)
            fprintf(f, "%s:%d", x->file, x->line);
        else
            fprintf(f, "no miniport line");
        if (x->srb)
            fprintf(f, ", SRB %u", x->srb);
        fprintf(f, "%s%s\n    %s\n", x->locks[0] ? ", holding " : "",
                x->locks, x->why);
        if (before == 0)
            fprintf(f, "    rule: %s (%s)\n", x->rule->explain,
                    x->rule->source);
        if (before + 1 < VF_REPORT_PER_RULE)
            continue;
        for (size_t j = i + 1; j < stored; j++)
            more += V.findings[j].rule == x->rule;
        if (more > 0)
            fprintf(f, "  ... and %zu more %s finding%s\n", more, x->rule->id,
                    more == 1 ? "" : "s");
    }
    if (V.count > stored)
        fprintf(f, "  ... and %zu more findings not kept (the first %d are)\n",
                V.count - stored, VERIFIER_MAX_FINDINGS);
}
