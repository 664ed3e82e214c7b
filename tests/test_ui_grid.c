/* test_ui_grid.c: the console's screen as data: clipped text, glyphs, the
 * text dump, and the layout at every size (no terminal needed). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/ui_grid.h"

static char *
dump_text(const struct ui_grid *g)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    ck_assert_int_eq(ui_grid_dump(g, f), 0);
    fclose(f);
    return text;
}

START_TEST(test_text_is_clipped_to_its_rectangle)
{
    struct ui_grid g;
    struct ui_rect clip = { 2, 1, 5, 1 };
    char row[64];

    ck_assert_int_eq(ui_grid_init(&g, 10, 3), 0);
    ck_assert_int_eq(ui_grid_text(&g, clip, 0, 1, UI_S_NORMAL, "abcdefghij"),
                     10);
    ui_grid_row_text(&g, 1, row, sizeof row);
    ck_assert_str_eq(row, "  cdefg");
    ui_grid_text(&g, clip, 2, 0, UI_S_NORMAL, "outside");
    ui_grid_row_text(&g, 0, row, sizeof row);
    ck_assert_str_eq(row, "");
    ui_grid_free(&g);
}
END_TEST

START_TEST(test_control_characters_never_become_glyphs)
{
    struct ui_grid g;
    struct ui_rect all = { 0, 0, 8, 1 };

    ck_assert_int_eq(ui_grid_init(&g, 8, 1), 0);
    ui_grid_text(&g, all, 0, 0, UI_S_NORMAL, "a\001\033b\xff");
    ck_assert_uint_eq(ui_grid_at(&g, 1, 0)->ch, '?');
    ck_assert_uint_eq(ui_grid_at(&g, 2, 0)->ch, '?');
    ck_assert_uint_eq(ui_grid_at(&g, 3, 0)->ch, 'b');
    ck_assert_uint_eq(ui_grid_at(&g, 4, 0)->ch, '?');   /* invalid UTF-8 */
    ui_grid_text(&g, all, 0, 0, UI_S_NORMAL, "\xe2\x94\x80");  /* U+2500 */
    ck_assert_uint_eq(ui_grid_at(&g, 0, 0)->ch, 0x2500);
    ck_assert_ptr_null(ui_grid_at(&g, 8, 0));
    ui_grid_free(&g);
}
END_TEST

START_TEST(test_dump_is_ascii_without_trailing_blanks)
{
    struct ui_grid g;
    struct ui_rect all = { 0, 0, 6, 2 };
    char *text;

    ck_assert_int_eq(ui_grid_init(&g, 6, 2), 0);
    ui_grid_fill(&g, (struct ui_rect){ 0, 0, 6, 1 }, UI_G_HLINE, UI_S_TITLE);
    ui_grid_fill(&g, (struct ui_rect){ 0, 0, 1, 1 }, UI_G_HLINE_FOCUS,
                 UI_S_TITLE);
    ui_grid_fill(&g, (struct ui_rect){ 3, 1, 1, 1 }, UI_G_VLINE, UI_S_DIM);
    ui_grid_text(&g, all, 0, 1, UI_S_CHANGED, "x");
    text = dump_text(&g);
    ck_assert_str_eq(text, "=-----\nx  |\n");
    free(text);
    ck_assert_int_eq(ui_grid_resize(&g, 0, 5), -EINVAL);
    ck_assert_int_eq(g.cols, 6);
    ui_grid_free(&g);
}
END_TEST

static bool
overlap(struct ui_rect a, struct ui_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
           b.y < a.y + a.h;
}

/* Every shown pane lies between the status bar and the command line, and
 * no two panes (or a pane and a separator) overlap. */
static void
check_layout(const struct ui_layout *l)
{
    for (int p = 0; p < UI_PANE_COUNT; p++) {
        struct ui_rect r = l->pane[p];
        if (r.w == 0)
            continue;
        ck_assert_int_ge(r.x, 0);
        ck_assert_int_ge(r.y, 1);
        ck_assert_int_le(r.x + r.w, l->cols);
        ck_assert_int_le(r.y + r.h, l->rows - 1);
        ck_assert_int_ge(r.h, 2);
        for (int q = p + 1; q < UI_PANE_COUNT; q++)
            if (l->pane[q].w > 0)
                ck_assert_msg(!overlap(r, l->pane[q]), "%s overlaps %s",
                              ui_pane_name((enum ui_pane)p),
                              ui_pane_name((enum ui_pane)q));
        for (int s = 0; s < l->nseps; s++)
            ck_assert(!overlap(r, l->sep[s]));
    }
}

START_TEST(test_small_layout_keeps_the_stepping_panes)
{
    struct ui_layout l;

    ui_layout_compute(&l, 80, 24, 4, UI_PANE_CPUS, -1);
    ck_assert(!l.too_small);
    ck_assert(!l.wide);
    check_layout(&l);
    ck_assert_int_eq(l.pane[UI_PANE_CPUS].h, 4 + 2);
    ck_assert_int_eq(l.pane[UI_PANE_TIMELINE].h, 4 + 1);
    ck_assert_int_gt(l.pane[UI_PANE_SOURCE].w, 0);
    ck_assert_int_gt(l.pane[UI_PANE_EVENTS].h, 1);
    ck_assert_int_gt(l.pane[UI_PANE_SRBS].w, 0);     /* the flexible slot */
    ck_assert_int_eq(l.pane[UI_PANE_LOCKS].w, 0);
    /* the flexible slot shows the focused pane when it has no place */
    ui_layout_compute(&l, 80, 24, 4, UI_PANE_LOCKS, -1);
    check_layout(&l);
    ck_assert_int_gt(l.pane[UI_PANE_LOCKS].w, 0);
    ck_assert_int_eq(l.pane[UI_PANE_SRBS].w, 0);
}
END_TEST

START_TEST(test_wide_layout_shows_every_pane)
{
    struct ui_layout l;

    ui_layout_compute(&l, 200, 50, 4, UI_PANE_CPUS, -1);
    ck_assert(l.wide);
    check_layout(&l);
    for (int p = 0; p < UI_PANE_COUNT; p++)
        ck_assert_msg(l.pane[p].w > 0, "%s not shown",
                      ui_pane_name((enum ui_pane)p));
    /* 64 CPUs: the CPU pane is capped, the rest still fits */
    ui_layout_compute(&l, 200, 50, 64, UI_PANE_CPUS, -1);
    check_layout(&l);
}
END_TEST

START_TEST(test_zoom_and_minimum_size)
{
    struct ui_layout l;

    ui_layout_compute(&l, 120, 40, 4, UI_PANE_EVENTS, UI_PANE_HBA);
    check_layout(&l);
    ck_assert_int_eq(l.pane[UI_PANE_HBA].w, 120);
    ck_assert_int_eq(l.pane[UI_PANE_HBA].h, 38);
    ck_assert_int_eq(l.pane[UI_PANE_CPUS].w, 0);
    ui_layout_compute(&l, 79, 24, 4, UI_PANE_CPUS, -1);
    ck_assert(l.too_small);
    ui_layout_compute(&l, 80, 23, 4, UI_PANE_CPUS, -1);
    ck_assert(l.too_small);
}
END_TEST

START_TEST(test_pane_names)
{
    for (int p = 0; p < UI_PANE_COUNT; p++)
        ck_assert_int_eq(ui_pane_parse(ui_pane_name((enum ui_pane)p)), p);
    ck_assert_int_eq(ui_pane_parse("cpu"), -1);
}
END_TEST

Suite *
ui_grid_suite(void)
{
    Suite *s = suite_create("ui_grid");
    TCase *tc = tcase_create("grid");

    tcase_add_test(tc, test_text_is_clipped_to_its_rectangle);
    tcase_add_test(tc, test_control_characters_never_become_glyphs);
    tcase_add_test(tc, test_dump_is_ascii_without_trailing_blanks);
    suite_add_tcase(s, tc);
    tc = tcase_create("layout");
    tcase_add_test(tc, test_small_layout_keeps_the_stepping_panes);
    tcase_add_test(tc, test_wide_layout_shows_every_pane);
    tcase_add_test(tc, test_zoom_and_minimum_size);
    tcase_add_test(tc, test_pane_names);
    suite_add_tcase(s, tc);
    return s;
}
