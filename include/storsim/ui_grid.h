/**
 * @file ui_grid.h
 * @brief The console's screen as plain data: a grid of styled character
 *        cells, the panes' rectangles for a terminal size, and the text
 *        dump of a grid.
 *
 * Interface: the panes are drawn into a struct ui_grid (ui_grid_init(),
 * ui_grid_text(), ui_grid_hline() ...), never onto the terminal; the
 * terminal layer (src/ui/term.c, the only caller of ncurses) copies a grid
 * to the screen, mapping each style to colours or, on a monochrome
 * terminal, to attributes, and each line-drawing glyph to its UTF-8 box
 * character or an ASCII fallback; ui_grid_dump() writes a grid as text
 * (`screen dump`). ui_layout_compute() decides where each pane goes for a
 * terminal size, the focused pane and the zoom.
 */
#ifndef STORSIM_UI_GRID_H
#define STORSIM_UI_GRID_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/**
 * @defgroup ui Console
 * @brief The ncurses console: the model of what each pane shows, the
 *        layout, the drawing, the command line and reverse stepping.
 * @{
 */

/** @brief How a cell is drawn; the terminal maps each to colours or
 *         attributes, the text dump ignores them. */
enum ui_style {
    UI_S_NORMAL,         /**< plain text */
    UI_S_DIM,            /**< secondary text (headers, units) */
    UI_S_TITLE,          /**< a pane's title row */
    UI_S_TITLE_FOCUS,    /**< the focused pane's title row */
    UI_S_STATUS,         /**< the status bar */
    UI_S_CHANGED,        /**< a value that changed in the last step */
    UI_S_CURRENT,        /**< the source line a CPU is at */
    UI_S_ERROR,          /**< an error message */
    UI_S_IRQL_PASSIVE,   /**< an IRQL name or strip at PASSIVE_LEVEL */
    UI_S_IRQL_APC,       /**< at APC_LEVEL */
    UI_S_IRQL_DISPATCH,  /**< at DISPATCH_LEVEL */
    UI_S_IRQL_DIRQL,     /**< at a device IRQL */
    UI_S_IRQL_HIGH,      /**< at CLOCK_LEVEL and above */
    UI_S_BUGCHECK,       /**< the bug-check report */
    UI_S_OVERLAY,        /**< help and output overlays */
    UI_S_COUNT           /**< number of styles */
};

/** @name Line-drawing glyphs
 *  Cell characters below 0x20 are glyphs: UTF-8 box drawing on a UTF-8
 *  terminal, ASCII otherwise and in dumps.
 *  @{ */
#define UI_G_HLINE       1u /**< @brief a horizontal line: U+2500, '-' */
/** @brief the focused pane's title line: U+2501, '=' */
#define UI_G_HLINE_FOCUS 2u
#define UI_G_VLINE       3u /**< @brief a vertical separator: U+2502, '|' */
/** @} */

/** @brief One character cell. */
struct ui_cell {
    uint32_t ch;    /**< a Unicode code point, or a UI_G_* glyph */
    uint8_t style;  /**< enum ui_style */
};

/** @brief A rectangle of cells. */
struct ui_rect {
    int x; /**< left column */
    int y; /**< top row */
    int w; /**< width in columns (0: empty) */
    int h; /**< height in rows (0: empty) */
};

/** @brief A screen's worth of cells, row by row. */
struct ui_grid {
    int cols;               /**< width */
    int rows;               /**< height */
    struct ui_cell *cells;  /**< cols * rows cells */
};

/**
 * @brief Allocate a grid of blank cells.
 * @param[out] g    the grid
 * @param[in]  cols width (at least 1)
 * @param[in]  rows height (at least 1)
 * @return 0, -EINVAL for a bad size, or -ENOMEM
 */
int ui_grid_init(struct ui_grid *g, int cols, int rows);

/**
 * @brief Resize a grid (its content is blanked).
 * @param[in,out] g    the grid
 * @param[in]     cols new width
 * @param[in]     rows new height
 * @return 0, -EINVAL or -ENOMEM (the grid is unchanged on error)
 */
int ui_grid_resize(struct ui_grid *g, int cols, int rows);

/** @brief Free a grid's cells. @param[in,out] g the grid */
void ui_grid_free(struct ui_grid *g);

/** @brief Blank every cell. @param[in,out] g the grid */
void ui_grid_clear(struct ui_grid *g);

/**
 * @brief The cell at a position.
 * @param[in] g the grid
 * @param[in] x column
 * @param[in] y row
 * @return the cell, or NULL outside the grid
 */
struct ui_cell *ui_grid_at(const struct ui_grid *g, int x, int y);

/**
 * @brief Write text into a rectangle, clipped to it and to the grid.
 * @param[in,out] g     the grid
 * @param[in]     clip  where writing is allowed
 * @param[in]     x     column (absolute)
 * @param[in]     y     row (absolute)
 * @param[in]     style enum ui_style for every cell written
 * @param[in]     text  ASCII or UTF-8 text; control characters are shown
 *                      as '?'
 * @return the column after the last cell written (even when clipped)
 */
int ui_grid_text(struct ui_grid *g, struct ui_rect clip, int x, int y,
                 int style, const char *text);

/**
 * @brief printf into a rectangle (as ui_grid_text()).
 * @param[in,out] g     the grid
 * @param[in]     clip  where writing is allowed
 * @param[in]     x     column
 * @param[in]     y     row
 * @param[in]     style enum ui_style
 * @param[in]     fmt   printf format
 * @return the column after the text
 */
int ui_grid_printf(struct ui_grid *g, struct ui_rect clip, int x, int y,
                   int style, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/**
 * @brief Set the style of cells in a row (to highlight a line or field).
 * @param[in,out] g     the grid
 * @param[in]     clip  where changes are allowed
 * @param[in]     x     first column
 * @param[in]     y     row
 * @param[in]     w     number of cells
 * @param[in]     style enum ui_style
 */
void ui_grid_style(struct ui_grid *g, struct ui_rect clip, int x, int y,
                   int w, int style);

/**
 * @brief Fill a rectangle with one character and style.
 * @param[in,out] g     the grid
 * @param[in]     r     the rectangle
 * @param[in]     ch    the character or UI_G_* glyph
 * @param[in]     style enum ui_style
 */
void ui_grid_fill(struct ui_grid *g, struct ui_rect r, uint32_t ch, int style);

/**
 * @brief The ASCII stand-in of a cell character (glyphs become - = |,
 *        other non-ASCII characters '?').
 * @param[in] ch a cell character
 * @return an ASCII character
 */
char ui_glyph_ascii(uint32_t ch);

/**
 * @brief Write a grid as plain ASCII text, one line per row, trailing
 *        blanks removed.
 * @param[in] g the grid
 * @param[in] f where to write
 * @return 0, or -EIO if writing failed
 */
int ui_grid_dump(const struct ui_grid *g, FILE *f);

/**
 * @brief One row of a grid as ASCII text (for tests).
 * @param[in]  g   the grid
 * @param[in]  y   the row
 * @param[out] buf output, NUL-terminated, trailing blanks removed
 * @param[in]  len size of @p buf
 */
void ui_grid_row_text(const struct ui_grid *g, int y, char *buf, size_t len);

/** @brief The panes. */
enum ui_pane {
    UI_PANE_CPUS,      /**< each CPU: IRQL, routine, SRB, locks, spin */
    UI_PANE_LOCKS,     /**< each lock: holder, IRQL, spinners */
    UI_PANE_SRBS,      /**< SRBs in flight and where they are */
    UI_PANE_HBA,       /**< the adapter: registers, rings, interrupt */
    UI_PANE_SOURCE,    /**< the miniport source where a CPU is */
    UI_PANE_TIMELINE,  /**< IRQL over recent time, per CPU */
    UI_PANE_EVENTS,    /**< the trace log */
    UI_PANE_STATS,     /**< figures of the run so far */
    UI_PANE_COUNT      /**< number of panes */
};

/**
 * @brief A pane's name as commands use it ("cpus", "locks" ...).
 * @param[in] p the pane
 * @return a static string
 */
const char *ui_pane_name(enum ui_pane p);

/**
 * @brief A pane by name.
 * @param[in] name e.g. "srbs"
 * @return the pane, or -1
 */
int ui_pane_parse(const char *name);

/** @brief The smallest terminal the console draws on: columns. */
#define UI_MIN_COLS 80
/** @brief The smallest terminal the console draws on: rows. */
#define UI_MIN_ROWS 24
/** @brief Most vertical separators a layout draws. */
#define UI_MAX_SEPS 8

/** @brief Where everything goes on a screen of a given size. */
struct ui_layout {
    int cols;                            /**< the screen's width */
    int rows;                            /**< the screen's height */
    bool too_small;                      /**< below UI_MIN_COLS x UI_MIN_ROWS */
    bool wide;                           /**< the large layout (every pane) */
    struct ui_rect status;               /**< the status bar (top row) */
    struct ui_rect cmdline;              /**< the command line (bottom row) */
    struct ui_rect pane[UI_PANE_COUNT];  /**< each pane, title row included;
                                              w == 0 when not shown */
    struct ui_rect sep[UI_MAX_SEPS];     /**< vertical separators */
    int nseps;                           /**< entries used in @c sep */
};

/**
 * @brief Lay the panes out for a screen.
 *
 * At UI_MIN_COLS x UI_MIN_ROWS and up the CPUs, the IRQL timeline, the
 * source and the events are always shown, and one "flexible" slot shows
 * the focused pane when it has no place of its own (the SRBs otherwise);
 * from 160 x 40 every pane has its place. A zoomed pane takes the whole
 * area between the status bar and the command line.
 *
 * @param[out] l     the layout
 * @param[in]  cols  screen width
 * @param[in]  rows  screen height
 * @param[in]  ncpus CPUs to show (sizes the CPU and timeline panes)
 * @param[in]  focus the focused pane
 * @param[in]  zoom  the zoomed pane, or -1
 */
void ui_layout_compute(struct ui_layout *l, int cols, int rows, int ncpus,
                       enum ui_pane focus, int zoom);

/** @} */

#endif /* STORSIM_UI_GRID_H */
