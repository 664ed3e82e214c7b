/* ui_int.h: what the files of src/ui share and nobody else needs. */
#ifndef STORSIM_UI_INT_H
#define STORSIM_UI_INT_H

#include "storsim/ui.h"
#include "storsim/ui_grid.h"
#include "storsim/ui_model.h"

/* model: the parts the subscriber feeds (srbs.c, timeline.c). */
int ui_srbs_init(struct ui_model *m);
void ui_srbs_free(struct ui_model *m);
void ui_srbs_note(struct ui_model *m, const struct sim_trace_event *ev);
void ui_srbs_filter_install(struct ui_model *m);
void ui_srbs_filter_remove(struct ui_model *m);
int ui_timeline_init(struct ui_model *m);
void ui_timeline_free(struct ui_model *m);
void ui_timeline_note(struct ui_model *m, const struct sim_trace_event *ev);
void ui_source_free(struct ui_model *m);

/* panes (pane_*.c): each draws one pane's body below its title row. */
struct ui_pane_ctx {
    const struct ui_view *v;      /* what to draw */
    struct ui_model *m;           /* the model (source lookups cache) */
    struct ui_grid *g;            /* where */
    struct ui_rect r;             /* the body: the pane minus its title */
    bool attached;                /* a machine exists and is followed */
};
void ui_pane_cpus(struct ui_pane_ctx *c);
void ui_pane_locks(struct ui_pane_ctx *c);
void ui_pane_srbs(struct ui_pane_ctx *c);
void ui_pane_hba(struct ui_pane_ctx *c);
void ui_pane_source(struct ui_pane_ctx *c);
void ui_pane_timeline(struct ui_pane_ctx *c);
void ui_pane_events(struct ui_pane_ctx *c);
void ui_pane_stats(struct ui_pane_ctx *c);
/* The title text of a pane (some say more than their name). */
void ui_pane_title(const struct ui_view *v, enum ui_pane p, char *buf,
                   size_t len);

/* The style of an IRQL (for names and strips). */
int ui_irql_style(int irql);
/* One cell of the IRQL strip: '_' passive, 'a' APC, 'd' dispatch, hex
 * digits 3..F for device levels and above, '.' idle, ' ' unknown. */
char ui_irql_glyph(int level);

#endif /* STORSIM_UI_INT_H */
