/* grid.c: the console's screen as data: styled cells, clipped text, the
 * ASCII dump.
 *
 * Interface: include/storsim/ui_grid.h. The panes draw here and never on
 * the terminal, so a screen can be checked in a test or written to a file
 * (`screen dump`) exactly as the terminal would show it, colours aside.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/ui_grid.h"

int
ui_grid_init(struct ui_grid *g, int cols, int rows)
{
    memset(g, 0, sizeof *g);
    return ui_grid_resize(g, cols, rows);
}

int
ui_grid_resize(struct ui_grid *g, int cols, int rows)
{
    struct ui_cell *cells;

    if (cols < 1 || rows < 1 || cols > 4096 || rows > 4096)
        return -EINVAL;
    if (cols != g->cols || rows != g->rows) {
        cells = malloc((size_t)cols * (size_t)rows * sizeof *cells);
        if (cells == NULL)
            return -ENOMEM;
        free(g->cells);
        g->cells = cells;
        g->cols = cols;
        g->rows = rows;
    }
    ui_grid_clear(g);
    return 0;
}

void
ui_grid_free(struct ui_grid *g)
{
    free(g->cells);
    memset(g, 0, sizeof *g);
}

void
ui_grid_clear(struct ui_grid *g)
{
    for (int i = 0; i < g->cols * g->rows; i++) {
        g->cells[i].ch = ' ';
        g->cells[i].style = UI_S_NORMAL;
    }
}

struct ui_cell *
ui_grid_at(const struct ui_grid *g, int x, int y)
{
    if (x < 0 || y < 0 || x >= g->cols || y >= g->rows)
        return NULL;
    return &g->cells[y * g->cols + x];
}

static bool
inside(struct ui_rect r, int x, int y)
{
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

/* Decode one UTF-8 character; invalid bytes decode as '?', one at a time. */
static uint32_t
utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;

    if (c >= 0x80 && n == 0) {
        *p = s + 1;
        return '?';
    }
    c &= n == 0 ? 0x7F : 0x3F >> n;
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + 1;
            return '?';
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    *p = s + n + 1;
    return c;
}

int
ui_grid_text(struct ui_grid *g, struct ui_rect clip, int x, int y, int style,
             const char *text)
{
    const unsigned char *p = (const unsigned char *)text;

    while (*p != '\0') {
        uint32_t ch = utf8_next(&p);
        struct ui_cell *c;

        if (ch < 0x20 || ch == 0x7F)
            ch = '?';     /* never a glyph or a terminal control */
        if (inside(clip, x, y) && (c = ui_grid_at(g, x, y)) != NULL) {
            c->ch = ch;
            c->style = (uint8_t)style;
        }
        x++;
    }
    return x;
}

int
ui_grid_printf(struct ui_grid *g, struct ui_rect clip, int x, int y,
               int style, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return ui_grid_text(g, clip, x, y, style, buf);
}

void
ui_grid_style(struct ui_grid *g, struct ui_rect clip, int x, int y, int w,
              int style)
{
    for (int i = 0; i < w; i++) {
        struct ui_cell *c = ui_grid_at(g, x + i, y);
        if (c != NULL && inside(clip, x + i, y))
            c->style = (uint8_t)style;
    }
}

void
ui_grid_fill(struct ui_grid *g, struct ui_rect r, uint32_t ch, int style)
{
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) {
            struct ui_cell *c = ui_grid_at(g, x, y);
            if (c != NULL) {
                c->ch = ch;
                c->style = (uint8_t)style;
            }
        }
}

char
ui_glyph_ascii(uint32_t ch)
{
    switch (ch) {
    case UI_G_HLINE:       return '-';
    case UI_G_HLINE_FOCUS: return '=';
    case UI_G_VLINE:       return '|';
    default:               return ch >= 0x20 && ch < 0x7F ? (char)ch : '?';
    }
}

void
ui_grid_row_text(const struct ui_grid *g, int y, char *buf, size_t len)
{
    size_t n = 0;

    if (len == 0)
        return;
    for (int x = 0; x < g->cols && y >= 0 && y < g->rows && n + 1 < len; x++)
        buf[n++] = ui_glyph_ascii(g->cells[y * g->cols + x].ch);
    while (n > 0 && buf[n - 1] == ' ')
        n--;
    buf[n] = '\0';
}

int
ui_grid_dump(const struct ui_grid *g, FILE *f)
{
    char *line = malloc((size_t)g->cols + 1);

    if (line == NULL)
        return -ENOMEM;
    for (int y = 0; y < g->rows; y++) {
        ui_grid_row_text(g, y, line, (size_t)g->cols + 1);
        fprintf(f, "%s\n", line);
    }
    free(line);
    return ferror(f) ? -EIO : 0;
}
