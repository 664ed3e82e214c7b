/* cmdline.c: the console's command line: editing, libedit's history
 * (the same file as `storsim shell`) and its tokenizer, and tab
 * completion from the command table.
 *
 * Interface: ui_cmdline_init(), ui_cmdline_free(), ui_cmdline_open(),
 * ui_cmdline_key(), ui_cmdline_render() (ui_int.h).
 *
 * libedit cannot edit a line inside a curses screen (it drives the
 * terminal itself), so the editing is ours -- a line, a cursor, the
 * emacs keys everyone expects -- and libedit supplies what it is good at:
 * the history (Up and Down walk it; it is loaded from and saved to
 * $STORSIM_HISTORY or ~/.storsim_history) and splitting the line into
 * words to know what Tab completes.
 */
#include <curses.h>
#include <histedit.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"

#define MAX_CANDIDATES 128

void
ui_cmdline_init(struct ui_cmdline *c)
{
    const char *env = getenv("STORSIM_HISTORY"), *home = getenv("HOME");
    HistEvent ev;

    memset(c, 0, sizeof *c);
    if (env != NULL && *env != '\0')
        snprintf(c->path, sizeof c->path, "%s", env);
    else
        snprintf(c->path, sizeof c->path, "%s/.storsim_history",
                 home ? home : ".");
    c->hist = history_init();
    c->tok = tok_init(NULL);
    if (c->hist != NULL) {
        history(c->hist, &ev, H_SETSIZE, 1000);
        history(c->hist, &ev, H_LOAD, c->path);
    }
}

void
ui_cmdline_free(struct ui_cmdline *c)
{
    HistEvent ev;

    if (c->hist != NULL) {
        history(c->hist, &ev, H_SAVE, c->path);
        history_end(c->hist);
    }
    if (c->tok != NULL)
        tok_end(c->tok);
    c->hist = c->tok = NULL;
}

void
ui_cmdline_open(struct ui_cmdline *c)
{
    c->active = true;
    c->len = c->cur = 0;
    c->buf[0] = '\0';
    c->browsing = false;
    c->hint[0] = '\0';
}

static void
set_line(struct ui_cmdline *c, const char *text)
{
    snprintf(c->buf, sizeof c->buf, "%s", text);
    c->len = c->cur = strlen(c->buf);
    while (c->len > 0 && c->buf[c->len - 1] == '\n')   /* history keeps it */
        c->buf[--c->len] = '\0';
    c->cur = c->len;
}

static void
put(struct ui_cmdline *c, const char *text)
{
    size_t n = strlen(text);

    if (c->len + n >= sizeof c->buf)
        return;
    memmove(c->buf + c->cur + n, c->buf + c->cur, c->len - c->cur + 1);
    memcpy(c->buf + c->cur, text, n);
    c->len += n;
    c->cur += n;
}

static void
cut(struct ui_cmdline *c, size_t from, size_t to)
{
    memmove(c->buf + from, c->buf + to, c->len - to + 1);
    c->len -= to - from;
    c->cur = from;
}

static void
browse(struct ui_cmdline *c, bool older)
{
    HistEvent ev;
    int rc;

    if (c->hist == NULL)
        return;
    if (!c->browsing) {
        if (!older)
            return;
        snprintf(c->saved, sizeof c->saved, "%s", c->buf);
        rc = history(c->hist, &ev, H_FIRST);
    } else {
        rc = history(c->hist, &ev, older ? H_NEXT : H_PREV);
    }
    if (rc == 0) {
        c->browsing = true;
        set_line(c, ev.str);
    } else if (!older) {
        c->browsing = false;
        set_line(c, c->saved);
    }
}

/* The words that may come at position @cword after @argv[0..cword-1]. */
static int
word_list(int cword, const char **argv, const char **out, int max)
{
    static const char *const second[][11] = {
        { "show", "cpus", "locks", "interrupts", "luns", "srbs", "hba",
          "trace", "config", "bugcheck", NULL },
        { "break", "routine", "srb", "lock", "irql", "bugcheck", "opcode",
          "lun", NULL },
        { "watch", "reg", "srb", NULL },
        { "select", "cpu", "srb", NULL }, { "pane", "focus", "zoom", "scroll",
          "scale", NULL }, { "screen", "dump", "redraw", NULL },
        { "speed", "max", "faster", "slower", NULL },
        { "bug", "on", "off", "list", NULL }, { "workload", "start", "show",
          NULL }, { "trace", "print", NULL },
    };
    const struct cmd_entry *e = cword > 0 ? cmd_find(argv[0]) : NULL;
    const char *cmd = e != NULL ? e->name : "";
    const char *prev = cword > 0 ? argv[cword - 1] : "";
    int n = 0;

    if (cword == 0 || !strcmp(cmd, "help"))
        for (const struct cmd_entry *const *p = cmd_table; *p && n < max; p++)
            out[n++] = (*p)->name;
    else if (cword == 1 && !strcmp(cmd, "scenario"))
        for (const struct cmd_scenario *sc = cmd_scenarios; sc->name &&
             n < max; sc++)
            out[n++] = sc->name;
    else if (cword == 1)
        for (size_t i = 0; i < sizeof second / sizeof second[0]; i++)
            for (int k = 1; !strcmp(cmd, second[i][0]) && second[i][k] &&
                 n < max; k++)
                out[n++] = second[i][k];
    else if (cword == 2 && !strcmp(cmd, "pane") && !strcmp(prev, "scroll"))
        for (int k = 0; k < 5 && n < max; k++)
            out[n++] = (const char *[]){ "up", "down", "pgup", "pgdn",
                                         "home" }[k];
    else if (cword == 2 && !strcmp(cmd, "pane") && strcmp(prev, "scale"))
        for (int p = 0; p < UI_PANE_COUNT + 2 && n < max; p++)
            out[n++] = p < UI_PANE_COUNT ? ui_pane_name((enum ui_pane)p)
                                         : p == UI_PANE_COUNT ? "next" : "prev";
    else if (cword == 2 && !strcmp(cmd, "watch") && !strcmp(prev, "reg"))
        for (uint32_t o = 0; o < 0x100 && n < max; o += 4)
            if (hba_reg_name(o) != NULL)
                out[n++] = hba_reg_name(o);
    return n;
}

/* Tab: complete the word at the cursor as far as it is unambiguous. */
static void
complete(struct ui_cmdline *c)
{
    const char *cand[MAX_CANDIDATES], *match[MAX_CANDIDATES];
    const char **argv;
    const LineInfo li = { c->buf, c->buf + c->cur, c->buf + c->len };
    int argc, cword, coff, n, k = 0;
    size_t plen, common, used = 0;
    char prefix[256];

    c->hint[0] = '\0';
    tok_reset(c->tok);
    if (tok_line(c->tok, &li, &argc, &argv, &cword, &coff) != 0)
        return;
    snprintf(prefix, sizeof prefix, "%.*s", coff,
             cword < argc ? argv[cword] : "");
    plen = strlen(prefix);
    n = word_list(cword, argv, cand, MAX_CANDIDATES);
    for (int i = 0; i < n; i++)
        if (strncmp(cand[i], prefix, plen) == 0)
            match[k++] = cand[i];
    if (k == 0)
        return;
    common = strlen(match[0]);
    for (int i = 1; i < k; i++)
        while (common > plen && strncmp(match[0], match[i], common) != 0)
            common--;
    if (common > plen) {
        char add[256];
        snprintf(add, sizeof add, "%.*s", (int)(common - plen),
                 match[0] + plen);
        put(c, add);
    }
    if (k == 1)
        put(c, " ");
    for (int i = 0; k > 1 && i < k && used < sizeof c->hint; i++)
        used += (size_t)snprintf(c->hint + used, sizeof c->hint - used,
                                 "%s  ", match[i]);
}

static int
accept(struct ui_cmdline *c)
{
    HistEvent ev;

    c->active = false;
    c->hint[0] = '\0';
    if (c->hist != NULL && strspn(c->buf, " \t") != c->len)
        history(c->hist, &ev, H_ENTER, c->buf);
    return 1;
}

/* The editing keys (the emacs ones everybody knows); false if @key is
 * not one of them. */
static bool
edit_key(struct ui_cmdline *c, int key)
{
    size_t w;

    switch (key) {
    case KEY_DC: case 'D' & 0x1F:
        if (c->cur < c->len)
            cut(c, c->cur, c->cur + 1);
        return true;
    case KEY_LEFT: case 'B' & 0x1F:
        c->cur -= c->cur > 0;
        return true;
    case KEY_RIGHT: case 'F' & 0x1F:
        c->cur += c->cur < c->len;
        return true;
    case KEY_HOME: case 'A' & 0x1F:
        c->cur = 0;
        return true;
    case KEY_END: case 'E' & 0x1F:
        c->cur = c->len;
        return true;
    case 'K' & 0x1F:
        cut(c, c->cur, c->len);
        return true;
    case 'U' & 0x1F:
        cut(c, 0, c->cur);
        return true;
    case 'W' & 0x1F:
        for (w = c->cur; w > 0 && c->buf[w - 1] == ' '; w--)
            ;
        while (w > 0 && c->buf[w - 1] != ' ')
            w--;
        cut(c, w, c->cur);
        return true;
    default:
        return false;
    }
}

int
ui_cmdline_key(struct ui_cmdline *c, int key)
{
    c->hint[0] = '\0';
    switch (key) {
    case '\n': case '\r': case KEY_ENTER:
        return accept(c);
    case 27: case 'G' & 0x1F: case 'C' & 0x1F:
        c->active = false;
        return -1;
    case KEY_BACKSPACE: case 127: case 'H' & 0x1F:
        if (c->cur > 0) {
            cut(c, c->cur - 1, c->cur);
        } else if (c->len == 0) {
            c->active = false;          /* backspace on nothing: leave */
            return -1;
        }
        return 0;
    case KEY_UP: case 'P' & 0x1F:
        browse(c, true);
        return 0;
    case KEY_DOWN: case 'N' & 0x1F:
        browse(c, false);
        return 0;
    case '\t':
        complete(c);
        return 0;
    default:
        if (!edit_key(c, key) && key >= ' ' && key < 0x7F) {
            char ch[2] = { (char)key, '\0' };
            put(c, ch);
        }
        return 0;
    }
}

int
ui_cmdline_render(const struct ui_cmdline *c, struct ui_grid *g, int y)
{
    struct ui_rect row = { 0, y, g->cols, 1 };
    int room = g->cols - 2, start = 0;
    char text[1100];

    if (c->hint[0] != '\0' && y > 0) {
        struct ui_rect above = { 0, y - 1, g->cols, 1 };
        ui_grid_fill(g, above, ' ', UI_S_OVERLAY);
        ui_grid_text(g, above, 0, y - 1, UI_S_OVERLAY, c->hint);
    }
    ui_grid_fill(g, row, ' ', UI_S_NORMAL);
    if ((int)c->cur >= room)
        start = (int)c->cur - room + 1;
    snprintf(text, sizeof text, ":%s", c->buf + start);
    ui_grid_text(g, row, 0, y, UI_S_NORMAL, text);
    return 1 + (int)c->cur - start;
}
