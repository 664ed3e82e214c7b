/* ui_int.h: what the files of src/ui share and nobody else needs. */
#ifndef STORSIM_UI_INT_H
#define STORSIM_UI_INT_H

#include <signal.h>
#include <stdio.h>

#include "storsim/ui.h"
#include "storsim/ui_grid.h"
#include "storsim/ui_model.h"

/* model: the parts the subscriber feeds (srbs.c, timeline.c). */
int ui_srbs_init(struct ui_model *m);
void ui_srbs_free(struct ui_model *m);
void ui_srbs_note(struct ui_model *m, const struct sim_trace_event *ev);
void ui_srbs_filter_install(struct ui_model *m);
/* Take the filter away; put the port's ops back only if @live (the
 * adapter of a machine that is gone is gone too). */
void ui_srbs_filter_remove(struct ui_model *m, bool live);
int ui_timeline_init(struct ui_model *m);
void ui_timeline_free(struct ui_model *m);
void ui_timeline_note(struct ui_model *m, const struct sim_trace_event *ev);
void ui_source_free(struct ui_model *m);
/* Where source files are looked for, as a list for messages. */
void ui_source_dirs(char *buf, size_t len);

/* panes (pane_*.c): each draws one pane's body below its title row. */
struct ui_pane_ctx {
    const struct ui_view *v;      /* what to draw */
    struct ui_model *m;           /* the model (source lookups cache) */
    struct ui_grid *g;            /* where */
    struct ui_rect r;             /* the body: the pane minus its title */
    bool attached;                /* a machine exists and is followed */
    int scroll;                   /* rows scrolled, within the pane's range */
};
/* How far pane @p can scroll in @ctx's body: rows down from where it
 * follows the machine, *lo <= 0 <= *hi; both 0 if it does not scroll. */
void ui_pane_scroll_range(const struct ui_pane_ctx *ctx, enum ui_pane p,
                          int *lo, int *hi);
/* Each scrolling pane's part of that, next to the pane itself. */
void ui_cpus_scroll_range(const struct ui_pane_ctx *ctx, int *lo, int *hi);
void ui_locks_scroll_range(const struct ui_pane_ctx *ctx, int *lo, int *hi);
void ui_srbs_scroll_range(const struct ui_pane_ctx *ctx, int *lo, int *hi);
void ui_source_scroll_range(const struct ui_pane_ctx *ctx, int *lo, int *hi);
void ui_events_scroll_range(const struct ui_pane_ctx *ctx, int *lo, int *hi);
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

/* A short IRQL name: PASSIVE, APC, DISPATCH, DIRQL5, HIGH ... */
const char *ui_irql_short(int irql);
/* The style of an IRQL (for names and strips). */
int ui_irql_style(int irql);
/* One cell of the IRQL strip: '_' passive, 'a' APC, 'd' dispatch, hex
 * digits 3..F for device levels and above, '.' idle, ' ' unknown. */
char ui_irql_glyph(int level);

/* ---------- the console (console.c, run.c, replay.c, keys.c, view.c) */

/* One command of the log that `back` replays. A line is run again as it
 * was; an advance (what continue, next, finish and goto did) is run again
 * as exactly @events events, then the end-of-run bookkeeping for @reason.
 * Positions are (machine generation, trace events of that machine). */
struct ui_log_entry {
    char *line;              /* the command line, or NULL for an advance */
    bool run_type;           /* a line that runs the machine (run, step,
                                until): it can be cut short */
    uint64_t events;         /* an advance: events it ran */
    int reason;              /* an advance: enum sim_stop_reason */
    int gen_before, gen_after;
    uint64_t count_before, count_after;
    bool machine_after;      /* a machine existed after it */
    uint64_t hash_after;     /* sim_trace_hash() after it */
};

struct ui_watch {
    int id;
    enum ui_watch_kind kind;
    uint64_t value;          /* opcode, LUN, register offset or SRB id */
    char field[16];          /* UI_WATCH_SRB: which field */
    uint64_t last;           /* UI_WATCH_SRB: its value when last looked at */
    unsigned long hits;
};

#define UI_MAX_WATCHES 32
/* A run with nothing to wait for gives up after this much simulated time
 * (a periodic device keeps the machine from going idle). */
#define UI_RUN_CAP SIM_SEC(10)
#define UI_MAX_KEYS 96

struct ui_binding {
    int key;                 /* an ncurses key code */
    char *line;              /* what it runs */
};

/* What the animated run (continue) and next/finish stop on besides
 * breakpoints and watches. */
enum ui_goal { UI_GOAL_NONE, UI_GOAL_NEXT, UI_GOAL_FINISH };

struct ui_console {
    struct cmd_session *s;
    struct cmd_session base;     /* the session as the console found it */
    bool interactive;
    struct ui_model *m;
    FILE *out;                   /* the session's output, captured */
    FILE *saved_out, *saved_err;
    /* output of the command being run */
    char *outbuf;
    size_t outlen, outcap;
    bool discard;                /* replaying: throw output away */
    char message[512];
    bool msg_error;
    char *overlay;               /* multi-line output for the overlay */
    /* the log */
    struct ui_log_entry *log;
    size_t nlog, caplog;
    int lineno;
    int exec_depth;              /* inside ui_console_exec() */
    /* the view */
    enum ui_pane focus;
    int zoom;
    sim_time_t tl_bucket;
    int scroll[UI_PANE_COUNT];   /* 'pane scroll', until the machine moves */
    uint64_t scroll_events;      /* sim_trace_count() when last scrolled */
    int cols, rows;
    bool redraw;
    bool bugcheck_seen;          /* the bug check's report was shown */
    char stop_text[200];         /* what stopped the last run */
    char run_state[64];
    /* runs */
    uint64_t speed;              /* events per host second, 0: max */
    struct {
        bool active;
        sim_time_t until;        /* absolute simulated time, 0: none */
        sim_time_t cap;          /* no workload: give up after this */
        uint64_t events;         /* events so far (for the log) */
        uint64_t count0;
        int gen0;
        uint64_t batch;          /* events per batch at max speed */
        double debt;             /* speed-limited: events owed */
        double last_tick;        /* host time of the last batch */
    } run;
    enum ui_goal goal;
    uint32_t goal_srb;
    int goal_cpu, goal_nframes, goal_depth;
    const void *goal_frame;
    int hit_watch;               /* the watch that stopped the run */
    char hit_text[160];          /* what it saw */
    struct ui_watch watches[UI_MAX_WATCHES];
    int nwatches, next_watch_id;
    struct ui_binding keys[UI_MAX_KEYS];
    int nkeys;
};

/* console.c */
double ui_host_seconds(void);
void ui_console_log_advance(struct ui_console *con, uint64_t events,
                            int reason, uint64_t count_before, int gen_before);
int ui_console_run_line(struct ui_console *con, const char *line);
void ui_console_sync(struct ui_console *con);
void ui_console_collect(struct ui_console *con, int rc);
void ui_break_text(const struct cmd_session *s, int id, char *buf,
                   size_t len);
void ui_console_log_line(struct ui_console *con, const char *line,
                         bool run_type, uint64_t count_before, int gen_before);
/* replay.c: go to event @target of machine generation @gen. */
int ui_replay_to(struct ui_console *con, int gen, uint64_t target, char *err,
                 size_t errlen);
/* watch.c */
bool ui_watch_hit(struct ui_console *con, const struct sim_trace_event *ev);
/* run.c */
bool ui_run_predicate(const struct sim_trace_event *ev, void *ctx);
void ui_run_stop(struct ui_console *con, int why);
void ui_run_describe_stop(struct ui_console *con, int why);
/* keys.c */
void ui_keys_default(struct ui_console *con);
void ui_keys_free(struct ui_console *con);
int ui_key_parse(const char *name);
void ui_key_name(int key, char *buf, size_t len);

/* ---------- the terminal (term.c: the only caller of ncurses) ---------- */

struct ui_term {
    void *scr;                       /* the ncurses SCREEN */
    bool color;                      /* colours, else attributes only */
    bool utf8;                       /* UTF-8 line drawing, else ASCII */
    unsigned long attr[UI_S_COUNT];  /* attributes of each style */
};

/* Set by SIGINT: pause the run (the handler also asks the machine to). */
extern volatile sig_atomic_t ui_term_interrupted;

/* newterm(type, out, in): type NULL for $TERM. */
int ui_term_open(struct ui_term *t, const char *type, FILE *out, FILE *in);
void ui_term_close(struct ui_term *t);
void ui_term_size(const struct ui_term *t, int *cols, int *rows);
/* Copy the grid to the screen; the cursor at (cur_x, cur_y), or hidden
 * when cur_x < 0. */
void ui_term_draw(struct ui_term *t, const struct ui_grid *g, int cur_x,
                  int cur_y);
void ui_term_force_redraw(struct ui_term *t);
/* A key, waiting at most timeout_ms (-1: for ever); ERR (-1) for none. */
int ui_term_key(struct ui_term *t, int timeout_ms);

/* ---------- the command line (cmdline.c) ---------- */

struct ui_cmdline {
    bool active;
    char buf[1024];
    size_t len, cur;                 /* length and cursor */
    void *hist;                      /* libedit History */
    void *tok;                       /* libedit Tokenizer */
    bool browsing;                   /* Up/Down moved into the history */
    char saved[1024];                /* the line before browsing */
    char hint[512];                  /* completions to show */
    char path[1024];                 /* the history file */
};

void ui_cmdline_init(struct ui_cmdline *c);
void ui_cmdline_free(struct ui_cmdline *c);
void ui_cmdline_open(struct ui_cmdline *c);
/* 0: still editing; 1: a line is ready in c->buf; -1: abandoned. */
int ui_cmdline_key(struct ui_cmdline *c, int key);
/* Draw the line in row y; returns the cursor's column. */
int ui_cmdline_render(const struct ui_cmdline *c, struct ui_grid *g, int y);

#endif /* STORSIM_UI_INT_H */
