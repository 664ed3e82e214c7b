/* layout.c: where each pane goes for a terminal size.
 *
 * Interface: ui_layout_compute(), ui_pane_name(), ui_pane_parse()
 * (include/storsim/ui_grid.h).
 *
 * Two layouts, chosen by size. The small one (from 80 x 24) keeps what a
 * class watches while stepping -- the CPUs, their IRQL strips, the source
 * and the events -- and gives the rest one "flexible" slot that shows
 * whichever of them has the focus (Tab moves it). The large one (from
 * 160 x 40) has a place for every pane. Zoom gives one pane everything.
 */
#include <string.h>

#include "storsim/ui_grid.h"

static const char *const pane_names[UI_PANE_COUNT] = {
    [UI_PANE_CPUS] = "cpus", [UI_PANE_LOCKS] = "locks",
    [UI_PANE_SRBS] = "srbs", [UI_PANE_HBA] = "hba",
    [UI_PANE_SOURCE] = "source", [UI_PANE_TIMELINE] = "timeline",
    [UI_PANE_EVENTS] = "events", [UI_PANE_STATS] = "stats",
};

const char *
ui_pane_name(enum ui_pane p)
{
    return (unsigned)p < UI_PANE_COUNT ? pane_names[p] : "?";
}

int
ui_pane_parse(const char *name)
{
    for (int i = 0; i < UI_PANE_COUNT; i++)
        if (strcmp(name, pane_names[i]) == 0)
            return i;
    return -1;
}

static int
clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static struct ui_rect
rect(int x, int y, int w, int h)
{
    return (struct ui_rect){ x, y, w, h };
}

static void
add_sep(struct ui_layout *l, int x, int y, int h)
{
    if (l->nseps < UI_MAX_SEPS && h > 0)
        l->sep[l->nseps++] = rect(x, y, 1, h);
}

/* Left | right at column split (a separator column between them). */
static void
split2(struct ui_layout *l, enum ui_pane a, enum ui_pane b, int y, int h,
       int split)
{
    l->pane[a] = rect(0, y, split, h);
    add_sep(l, split, y, h);
    l->pane[b] = rect(split + 1, y, l->cols - split - 1, h);
}

static void
small_layout(struct ui_layout *l, int ncpus, enum ui_pane focus)
{
    int y = 1, h = l->rows - 2;
    int cpu_h = clamp(ncpus, 1, h / 4) + 2;
    int tl_h = clamp(ncpus, 1, h / 4) + 1;
    int ev_h = h / 6 > 4 ? h / 6 : 4;
    int mid_h = h - cpu_h - tl_h - ev_h;
    enum ui_pane flex = UI_PANE_SRBS;

    if (focus == UI_PANE_LOCKS || focus == UI_PANE_HBA ||
        focus == UI_PANE_STATS)
        flex = focus;
    l->pane[UI_PANE_CPUS] = rect(0, y, l->cols, cpu_h);
    y += cpu_h;
    l->pane[UI_PANE_TIMELINE] = rect(0, y, l->cols, tl_h);
    y += tl_h;
    split2(l, flex, UI_PANE_SOURCE, y, mid_h, l->cols * 9 / 20);
    y += mid_h;
    l->pane[UI_PANE_EVENTS] = rect(0, y, l->cols, l->rows - 1 - y);
}

static void
wide_layout(struct ui_layout *l, int ncpus)
{
    int y = 1, h = l->rows - 2, w = l->cols;
    int top_h = clamp(ncpus > 6 ? ncpus : 6, 1, h / 4) + 2;
    int tl_h = clamp(ncpus, 1, h / 6) + 1;
    int ev_h = h / 5 > 6 ? h / 5 : 6;
    int mid_h = h - top_h - tl_h - ev_h;
    int a = w * 3 / 10, b = w * 7 / 10;

    split2(l, UI_PANE_CPUS, UI_PANE_LOCKS, y, top_h, w * 62 / 100);
    y += top_h;
    l->pane[UI_PANE_TIMELINE] = rect(0, y, w, tl_h);
    y += tl_h;
    l->pane[UI_PANE_SRBS] = rect(0, y, a, mid_h);
    add_sep(l, a, y, mid_h);
    l->pane[UI_PANE_SOURCE] = rect(a + 1, y, b - a - 1, mid_h);
    add_sep(l, b, y, mid_h);
    l->pane[UI_PANE_HBA] = rect(b + 1, y, w - b - 1, mid_h / 2);
    l->pane[UI_PANE_STATS] = rect(b + 1, y + mid_h / 2, w - b - 1,
                                  mid_h - mid_h / 2);
    y += mid_h;
    l->pane[UI_PANE_EVENTS] = rect(0, y, w, l->rows - 1 - y);
}

void
ui_layout_compute(struct ui_layout *l, int cols, int rows, int ncpus,
                  enum ui_pane focus, int zoom)
{
    memset(l, 0, sizeof *l);
    l->cols = cols;
    l->rows = rows;
    if (cols < UI_MIN_COLS || rows < UI_MIN_ROWS) {
        l->too_small = true;
        return;
    }
    l->status = rect(0, 0, cols, 1);
    l->cmdline = rect(0, rows - 1, cols, 1);
    l->wide = cols >= 160 && rows >= 40;
    if (zoom >= 0 && zoom < UI_PANE_COUNT)
        l->pane[zoom] = rect(0, 1, cols, rows - 2);
    else if (l->wide)
        wide_layout(l, ncpus < 1 ? 1 : ncpus);
    else
        small_layout(l, ncpus < 1 ? 1 : ncpus, focus);
}
