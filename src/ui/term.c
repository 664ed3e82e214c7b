/* term.c: the terminal: the only file of storsim that calls ncurses to
 * draw (keys.c uses its key constants).
 *
 * Interface: ui_term_open(), ui_term_close(), ui_term_draw(),
 * ui_term_key(), ui_term_size() (ui_int.h).
 *
 * It copies a struct ui_grid to the screen: each style becomes a colour
 * pair and attributes, or on a terminal without colour (or with NO_COLOR
 * set) attributes alone; each line-drawing glyph becomes its UTF-8 box
 * character on a UTF-8 terminal, else ASCII. ncurses then sends only what
 * changed. The terminal is put back on exit, and on a crash signal before
 * the signal does its usual work.
 */
#include <curses.h>
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"

volatile sig_atomic_t ui_term_interrupted;
static volatile sig_atomic_t term_active;

struct style_def {
    short fg, bg;        /* colours (-1: the terminal's own) */
    attr_t color_attr;   /* attributes with colour */
    attr_t mono_attr;    /* attributes without */
};

static const struct style_def styles[UI_S_COUNT] = {
    [UI_S_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
    [UI_S_DIM] = { -1, -1, A_DIM, A_DIM },
    [UI_S_TITLE] = { COLOR_CYAN, -1, A_NORMAL, A_BOLD },
    [UI_S_TITLE_FOCUS] = { COLOR_BLACK, COLOR_CYAN, A_BOLD,
                           A_REVERSE | A_BOLD },
    [UI_S_STATUS] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
    [UI_S_CHANGED] = { COLOR_BLACK, COLOR_YELLOW, A_NORMAL,
                       A_BOLD | A_UNDERLINE },
    [UI_S_CURRENT] = { COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_REVERSE },
    [UI_S_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
    [UI_S_IRQL_PASSIVE] = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
    [UI_S_IRQL_APC] = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
    [UI_S_IRQL_DISPATCH] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
    [UI_S_IRQL_DIRQL] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
    [UI_S_IRQL_HIGH] = { COLOR_MAGENTA, -1, A_BOLD, A_REVERSE },
    [UI_S_BUGCHECK] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_NORMAL },
    [UI_S_OVERLAY] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_NORMAL },
};

static void
restore(void)
{
    if (term_active) {
        term_active = 0;
        endwin();
    }
}

/* A crash: put the terminal back, then let the signal do what it does. */
static void
on_crash(int sig)
{
    restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void
on_interrupt(int sig)
{
    (void)sig;
    ui_term_interrupted = 1;
    sim_request_stop();          /* a run in progress pauses at once */
}

static void
handle_signals(void)
{
    static const int crash[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL,
                                 SIGTERM, SIGHUP };
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    for (size_t i = 0; i < sizeof crash / sizeof crash[0]; i++)
        sigaction(crash[i], &sa, NULL);
    sa.sa_handler = on_interrupt;
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
}

static bool
want_color(void)
{
    const char *no = getenv("NO_COLOR");

    return has_colors() && (no == NULL || no[0] == '\0');
}

static void
setup_styles(struct ui_term *t)
{
    t->color = want_color();
    if (t->color) {
        start_color();
        use_default_colors();
    }
    for (int i = 0; i < UI_S_COUNT; i++) {
        t->attr[i] = t->color ? styles[i].color_attr : styles[i].mono_attr;
        if (t->color && (styles[i].fg >= 0 || styles[i].bg >= 0) &&
            i < COLOR_PAIRS) {
            init_pair((short)i, styles[i].fg, styles[i].bg);
            t->attr[i] |= (unsigned long)COLOR_PAIR(i);
        }
    }
}

int
ui_term_open(struct ui_term *t, const char *type, FILE *out, FILE *in)
{
    const char *ascii = getenv("STORSIM_ASCII");
    SCREEN *scr;

    memset(t, 0, sizeof *t);
    scr = newterm(type, out, in);
    if (scr == NULL)
        return -1;
    t->scr = scr;
    set_term(scr);
    term_active = 1;
    atexit(restore);
    handle_signals();
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    t->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0 &&
              (ascii == NULL || ascii[0] == '\0');
    setup_styles(t);
    return 0;
}

void
ui_term_close(struct ui_term *t)
{
    if (t->scr == NULL)
        return;
    restore();
    delscreen(t->scr);
    t->scr = NULL;
}

void
ui_term_size(const struct ui_term *t, int *cols, int *rows)
{
    (void)t;
    getmaxyx(stdscr, *rows, *cols);
}

/* A cell as UTF-8 (or ASCII) bytes; returns how many. */
static int
encode(const struct ui_term *t, uint32_t ch, char *out)
{
    static const char *const boxes[] = { "", "\u2500", "\u2501", "\u2502" };

    if (ch < 0x20 && ch >= 1 && ch <= UI_G_VLINE && t->utf8) {
        memcpy(out, boxes[ch], 3);
        return 3;
    }
    if (ch < 0x80 || !t->utf8) {
        out[0] = ui_glyph_ascii(ch);
        return 1;
    }
    if (ch < 0x800) {
        out[0] = (char)(0xC0 | (ch >> 6));
        out[1] = (char)(0x80 | (ch & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | (ch >> 12));
    out[1] = (char)(0x80 | ((ch >> 6) & 0x3F));
    out[2] = (char)(0x80 | (ch & 0x3F));
    return 3;
}

void
ui_term_draw(struct ui_term *t, const struct ui_grid *g, int cur_x, int cur_y)
{
    char run[4096 * 3];

    for (int y = 0; y < g->rows; y++) {
        for (int x = 0; x < g->cols;) {
            int style = g->cells[y * g->cols + x].style, start = x, n = 0;
            while (x < g->cols && g->cells[y * g->cols + x].style == style &&
                   n < (int)sizeof run - 4)
                n += encode(t, g->cells[y * g->cols + x++].ch, run + n);
            attrset(t->attr[style]);
            mvaddnstr(y, start, run, n);
        }
    }
    attrset(A_NORMAL);
    if (cur_x >= 0) {
        curs_set(1);
        move(cur_y, cur_x);
    } else {
        curs_set(0);
    }
    refresh();
}

void
ui_term_force_redraw(struct ui_term *t)
{
    (void)t;
    clearok(curscr, TRUE);
}

int
ui_term_key(struct ui_term *t, int timeout_ms)
{
    (void)t;
    timeout(timeout_ms);
    return getch();
}
