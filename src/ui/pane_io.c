/* pane_io.c: the SRBs pane and the HBA pane.
 *
 * Interface: ui_pane_srbs(), ui_pane_hba() (ui_int.h).
 *
 * SRBs: each SRB in flight -- id, what it is (CDB opcode or function),
 * LUN, LBA, length -- where it is now (queued, BuildIo, StartIo, on the
 * HBA, notified, DPC) and how long it has been there and in flight; then
 * the newest completed ones. HBA: the adapter's commands in flight, its
 * interrupt line and mask, the ring indices and every register as the
 * driver last read or wrote it (the console reads no register itself:
 * a read would cost simulated time and could change the device).
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui_int.h"

#define MAX_ROWS 256

static void
srb_row(struct ui_pane_ctx *ctx, const struct ui_srb *e, int y, bool done,
        bool wide, uint32_t current)
{
    struct ui_grid *g = ctx->g;
    struct ui_rect r = ctx->r;
    int style = done ? UI_S_DIM : UI_S_NORMAL;
    int where_style = e->changed_seq >= ctx->m->mark_seq &&
                      e->changed_seq < sim_trace_count() ? UI_S_CHANGED : style;
    char age[32], in_state[32];
    int x = r.x;

    ui_fmt_time((done ? e->since : sim_now()) - e->first, age, sizeof age);
    ui_fmt_time(sim_now() - e->since, in_state, sizeof in_state);
    x = ui_grid_printf(g, r, x, y, style, "%c%5u %-9.9s", e->id == current
                       ? '>' : ' ', e->id, ui_srb_what(e));
    if (wide) {
        if (e->known)
            x = ui_grid_printf(g, r, x + 1, y, style, "%3u %9llu %6u", e->lun,
                               (unsigned long long)e->lba, e->length);
        else if (e->named)
            x = ui_grid_printf(g, r, x + 1, y, style, "%3u %9s %6s", e->lun,
                               "?", "?");
        else
            x = ui_grid_printf(g, r, x + 1, y, style, "%3s %9s %6s", "?", "?",
                               "?");
    }
    x = ui_grid_printf(g, r, x + 1, y, where_style, "%-9s",
                       e->state < PORT_SRB_STATE_COUNT
                       ? port_srb_state_name((enum port_srb_state)e->state)
                       : "submitted");
    ui_grid_printf(g, r, x + 1, y, style, "%-6s %s", age,
                   done || r.w < 42 ? "" : in_state);
}

void
ui_pane_srbs(struct ui_pane_ctx *ctx)
{
    const struct ui_srb *list[MAX_ROWS];
    struct ui_rect r = ctx->r;
    bool wide = r.w >= 60;
    int inflight, rows = r.h - 1, s = ctx->scroll;
    int n = ui_model_srb_list(ctx->m, list, s + rows < MAX_ROWS ? s + rows + 1
                                                                : MAX_ROWS,
                              &inflight);
    uint32_t current = ui_model_current_srb(ctx->m);

    ui_grid_printf(ctx->g, r, r.x, r.y, UI_S_DIM, "   SRB WHAT     %s WHERE"
                   "     AGE    %s", wide ? " LUN       LBA    LEN" : "",
                   r.w < 42 ? "" : "IN STATE");
    if (n == 0)
        ui_grid_text(ctx->g, r, r.x + 1, r.y + 1, UI_S_DIM,
                     "(no SRB yet: they appear as the port driver gets them)");
    for (int k = 0; s + k < n && k < rows; k++) {
        if (k == rows - 1 && inflight > s + rows) {
            ui_grid_printf(ctx->g, r, r.x + 1, r.y + 1 + k, UI_S_DIM,
                           "... %d more in flight (PgDn, z)",
                           inflight - s - k);
            break;
        }
        srb_row(ctx, list[s + k], r.y + 1 + k, s + k >= inflight, wide,
                current);
    }
}

/* In flight, then the completed ones the model keeps, newest first. */
void
ui_srbs_scroll_range(const struct ui_pane_ctx *ctx, int *lo, int *hi)
{
    const struct ui_model *m = ctx->m;
    uint64_t total = m->srb_used + (m->ndone < UI_SRB_DONE_KEEP
                                    ? m->ndone : UI_SRB_DONE_KEEP);

    *lo = 0;
    *hi = (int)(total < MAX_ROWS ? total : MAX_ROWS) - (ctx->r.h - 1);
}

static const struct sim_interrupt *
adapter_interrupt(const struct stack *st)
{
    for (const struct sim_interrupt *i = sim_interrupt_first(); i != NULL;
         i = sim_interrupt_next(i))
        if (st->pa != NULL && st->pa->name != NULL &&
            strcmp(i->name, st->pa->name) == 0)
            return i;
    return NULL;
}

static void
hba_lines(struct ui_pane_ctx *ctx, int *y)
{
    const struct stack *st = ctx->v->s->st;
    const struct sim_interrupt *irq = adapter_interrupt(st);
    struct ui_grid *g = ctx->g;
    struct ui_rect r = ctx->r;
    struct hba_stats hs;
    uint32_t a, b;
    int x;

    hba_get_stats(st->hba, &hs);
    ui_grid_printf(g, r, r.x + 1, (*y)++, UI_S_NORMAL, "%s: %llu in flight of "
                   "%u (max %llu, mean %.1f)", hba_get_config(st->hba)->name,
                   (unsigned long long)hs.occupancy.now,
                   hba_get_config(st->hba)->queue_depth,
                   (unsigned long long)hs.occupancy.max, hs.occupancy.mean);
    x = ui_grid_printf(g, r, r.x + 1, *y, UI_S_NORMAL, "line ");
    x = ui_grid_text(g, r, x, *y, hba_irq_line(st->hba) ? UI_S_IRQL_DIRQL
                     : UI_S_NORMAL, hba_irq_line(st->hba) ? "ASSERTED" : "low");
    if (irq != NULL) {
        char svc[16] = "-";
        if (irq->in_service >= 0)
            snprintf(svc, sizeof svc, "cpu%d", irq->in_service);
        ui_grid_printf(g, r, x, *y, UI_S_NORMAL, "  %s %s %s%s  in ISR: %s  "
                       "ISRs %llu", irq->name, ui_irql_short(irq->dirql),
                       irq->mode == SIM_IRQ_LEVEL ? "level" : "msi",
                       irq->masked ? " MASKED" : "", svc,
                       (unsigned long long)irq->delivered);
    }
    (*y)++;
    if (ui_model_reg(ctx->m, SIMHBA_REG_REQ_DOORBELL, &a, NULL) &&
        ui_model_reg(ctx->m, SIMHBA_REG_CMPL_CONS, &b, NULL))
        ui_grid_printf(g, r, r.x + 1, (*y)++, UI_S_NORMAL, "request ring: "
                       "doorbell %u; completion ring: consumed %u", a, b);
    ui_grid_printf(g, r, r.x + 1, (*y)++, UI_S_DIM, "commands %llu  "
                   "completions %llu  interrupts %llu  errors %llu",
                   (unsigned long long)hs.commands,
                   (unsigned long long)hs.completions,
                   (unsigned long long)hs.interrupts,
                   (unsigned long long)hs.errors);
}

void
ui_pane_hba(struct ui_pane_ctx *ctx)
{
    struct ui_rect r = ctx->r;
    int y = r.y, col = 0, ncol = r.w >= 54 ? 2 : 1;

    if (ctx->v->s->st == NULL || ctx->v->s->st->hba == NULL)
        return;
    hba_lines(ctx, &y);
    ui_grid_text(ctx->g, r, r.x + 1, y++, UI_S_DIM,
                 "registers as the driver last read or wrote them:");
    for (uint32_t off = 0; off < UI_REGS * 4 && y < r.y + r.h; off += 4) {
        const char *name = hba_reg_name(off);
        uint32_t v;
        bool changed;
        if (name == NULL || !ui_model_reg(ctx->m, off, &v, &changed))
            continue;
        ui_grid_printf(ctx->g, r, r.x + 1 + col * 27, y, changed
                       ? UI_S_CHANGED : UI_S_NORMAL, "%-15s 0x%08X", name, v);
        if (++col == ncol) {
            col = 0;
            y++;
        }
    }
}
