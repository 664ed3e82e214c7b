/* keys.c: key bindings. Every key runs a command line, as in tmux: the
 * keys, the console's command line and scripts share one path.
 *
 * Interface: ui_do_bind(), ui_do_keys(), ui_console_binding(),
 * ui_console_help_text() (include/storsim/ui.h); ui_keys_default(),
 * ui_keys_free(), ui_key_parse(), ui_key_name() (ui_int.h).
 *
 * Key codes are ncurses's (KEY_F(5), KEY_LEFT ...); only the constants
 * are used here, nothing that touches the terminal.
 */
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"

static const struct { const char *key, *line; } defaults[] = {
    { "s", "step" }, { "S", "step 10" }, { "n", "next" }, { "f", "finish" },
    { "c", "continue" }, { "F5", "continue" }, { "p", "pause" },
    { "Space", "pause" }, { "b", "back" }, { "B", "back 10" },
    { "Tab", "pane focus next" }, { "BTab", "pane focus prev" },
    { "z", "pane zoom" }, { "Up", "pane scroll up" },
    { "Down", "pane scroll down" }, { "PgUp", "pane scroll pgup" },
    { "PgDn", "pane scroll pgdn" }, { "Home", "pane scroll home" },
    { "[", "select cpu prev" },
    { "]", "select cpu next" }, { "a", "select cpu auto" },
    { "+", "speed faster" }, { "-", "speed slower" },
    { "<", "pane scale finer" }, { ">", "pane scale coarser" },
    { "?", "keys" }, { "F1", "keys" }, { "C-l", "screen redraw" },
    { "q", "quit" },
};

static const struct { const char *name; int key; } named[] = {
    { "Tab", '\t' }, { "BTab", KEY_BTAB }, { "Space", ' ' },
    { "Enter", '\n' }, { "Esc", 27 }, { "Left", KEY_LEFT },
    { "Right", KEY_RIGHT }, { "Up", KEY_UP }, { "Down", KEY_DOWN },
    { "PgUp", KEY_PPAGE }, { "PgDn", KEY_NPAGE }, { "Home", KEY_HOME },
    { "End", KEY_END }, { "BSpace", KEY_BACKSPACE }, { "DC", KEY_DC },
    { "IC", KEY_IC },
};

int
ui_key_parse(const char *name)
{
    int n;

    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strcmp(name, named[i].name) == 0)
            return named[i].key;
    if ((name[0] == 'F' || name[0] == 'f') && name[1] >= '1' &&
        name[1] <= '9' && (n = atoi(name + 1)) >= 1 && n <= 12)
        return KEY_F(n);
    if (name[0] == 'C' && name[1] == '-' && name[2] != '\0' && name[3] == '\0')
        return name[2] & 0x1F;
    if (name[0] > ' ' && name[0] < 0x7F && name[1] == '\0')
        return name[0];
    return -1;
}

void
ui_key_name(int key, char *buf, size_t len)
{
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (named[i].key == key) {
            snprintf(buf, len, "%s", named[i].name);
            return;
        }
    if (key >= KEY_F(1) && key <= KEY_F(12))
        snprintf(buf, len, "F%d", key - KEY_F0);
    else if (key > 0 && key < 0x20)
        snprintf(buf, len, "C-%c", key + 0x60);
    else if (key > ' ' && key < 0x7F)
        snprintf(buf, len, "%c", key);
    else
        snprintf(buf, len, "key%d", key);
}

static struct ui_binding *
find(const struct ui_console *con, int key)
{
    for (int i = 0; i < con->nkeys; i++)
        if (con->keys[i].key == key)
            return (struct ui_binding *)&con->keys[i];
    return NULL;
}

static int
bind(struct ui_console *con, int key, const char *line)
{
    struct ui_binding *b = find(con, key);
    char *copy = line != NULL ? strdup(line) : NULL;

    if (line != NULL && copy == NULL)
        return -ENOMEM;
    if (b == NULL && line != NULL) {
        if (con->nkeys == UI_MAX_KEYS) {
            free(copy);
            return -ENOSPC;
        }
        b = &con->keys[con->nkeys++];
        b->key = key;
        b->line = NULL;
    }
    if (b == NULL)
        return -ENOENT;
    free(b->line);
    b->line = copy;
    if (copy == NULL)                   /* unbind: close the gap */
        *b = con->keys[--con->nkeys];
    return 0;
}

void
ui_keys_default(struct ui_console *con)
{
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        bind(con, ui_key_parse(defaults[i].key), defaults[i].line);
}

void
ui_keys_free(struct ui_console *con)
{
    for (int i = 0; i < con->nkeys; i++)
        free(con->keys[i].line);
    con->nkeys = 0;
}

int
ui_do_bind(struct ui_console *con, const char *key, const char *line,
           char *err, size_t errlen)
{
    int k = ui_key_parse(key), rc;

    if (k < 0) {
        snprintf(err, errlen, "'%s' is not a key (s, C-x, F5, Tab, Space, "
                 "Left, PgUp ...; 'help bind')", key);
        return -EINVAL;
    }
    if (k == ':') {
        snprintf(err, errlen, "':' always opens the command line");
        return -EINVAL;
    }
    if ((rc = bind(con, k, line)) == -ENOENT)
        snprintf(err, errlen, "'%s' is not bound", key);
    else if (rc < 0)
        snprintf(err, errlen, "too many key bindings (at most %d)",
                 UI_MAX_KEYS);
    return rc;
}

const char *
ui_console_binding(const struct ui_console *con, int key)
{
    const struct ui_binding *b = find(con, key);

    return b != NULL ? b->line : NULL;
}

void
ui_do_keys(const struct ui_console *con, FILE *f)
{
    char name[32];

    fprintf(f, "Keys (each runs a command; 'bind KEY COMMAND' changes them):"
            "\n");
    fprintf(f, "  %-8s %s\n", ":", "the command line (Tab completes, Up/Down "
            "history, Esc leaves)");
    for (int i = 0; i < con->nkeys; i++) {
        ui_key_name(con->keys[i].key, name, sizeof name);
        fprintf(f, "  %-8s %s\n", name, con->keys[i].line);
    }
    fprintf(f, "Any key closes this; 'help' lists every command.\n");
}

char *
ui_console_help_text(const struct ui_console *con)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    if (f == NULL)
        return NULL;
    ui_do_keys(con, f);
    fclose(f);
    return text;
}
