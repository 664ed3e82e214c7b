/* source.c: finding and reading the source files the trace names, for
 * the source pane.
 *
 * Interface: ui_model_source() (include/storsim/ui_model.h),
 * ui_source_free() and ui_source_dirs() (ui_int.h).
 *
 * The trace names files as the compiler saw them, relative to the top of
 * the tree ("src/miniport/io.c"). They are looked for under, in order:
 * $STORSIM_SRCDIR; the tree the program was built in (the program is
 * <tree>/build/storsim, so two levels up from it, or three for the
 * benchmarks); the current directory; and the installed data directory
 * (STORSIM_DATADIR, where `make install` may put the sources).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/ui_int.h"

#ifndef STORSIM_DATADIR
#define STORSIM_DATADIR "/usr/local/share/storsim"
#endif

#define MAX_DIRS 6

/* The directories to look in, in order; returns how many. */
static int
search_dirs(char dirs[MAX_DIRS][PATH_MAX])
{
    const char *env = getenv("STORSIM_SRCDIR");
    char exe[PATH_MAX];
    ssize_t n;
    int k = 0;

    if (env != NULL && *env != '\0')
        snprintf(dirs[k++], PATH_MAX, "%s", env);
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 3 && k < MAX_DIRS - 2; up++) {
            char *slash = strrchr(exe, '/');
            if (slash == NULL || slash == exe)
                break;
            *slash = '\0';
            if (up > 0)      /* build/ and build/bench/ hold no sources */
                snprintf(dirs[k++], PATH_MAX, "%s", exe);
        }
    }
    snprintf(dirs[k++], PATH_MAX, ".");
    snprintf(dirs[k++], PATH_MAX, "%s", STORSIM_DATADIR);
    return k;
}

void
ui_source_dirs(char *buf, size_t len)
{
    char dirs[MAX_DIRS][PATH_MAX];
    int n = search_dirs(dirs);
    size_t used = 0;

    buf[0] = '\0';
    for (int i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s",
                                 i ? ", " : "", dirs[i]);
}

static char *
read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    long size;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
        size < (16l << 20) && fseek(f, 0, SEEK_SET) == 0 &&
        (text = malloc((size_t)size + 1)) != NULL) {
        *len = fread(text, 1, (size_t)size, f);
        text[*len] = '\0';
    }
    fclose(f);
    return text;
}

/* Split the text into lines in place. */
static int
split_lines(struct ui_source *s, size_t len)
{
    int n = 1;

    for (size_t i = 0; i < len; i++)
        n += s->text[i] == '\n';
    s->lines = malloc((size_t)n * sizeof *s->lines);
    if (s->lines == NULL)
        return -ENOMEM;
    s->nlines = 0;
    for (char *p = s->text; p != NULL && *p != '\0';) {
        char *nl = strchr(p, '\n');
        s->lines[s->nlines++] = p;
        if (nl != NULL)
            *nl = '\0';
        p = nl != NULL ? nl + 1 : NULL;
    }
    return 0;
}

static void
load(struct ui_source *s, const char *name)
{
    char dirs[MAX_DIRS][PATH_MAX], path[PATH_MAX + 256];
    int n = name[0] == '/' ? 1 : search_dirs(dirs);
    size_t len = 0;

    snprintf(s->name, sizeof s->name, "%s", name);
    s->path[0] = '\0';
    for (int i = 0; i < n && s->text == NULL; i++) {
        if (name[0] == '/')
            snprintf(path, sizeof path, "%s", name);
        else
            snprintf(path, sizeof path, "%s/%s", dirs[i], name);
        if ((s->text = read_all(path, &len)) != NULL)
            snprintf(s->path, sizeof s->path, "%.1000s", path);
    }
    if (s->text != NULL && split_lines(s, len) < 0) {
        free(s->text);
        s->text = NULL;
    }
}

static void
drop(struct ui_source *s)
{
    free(s->text);
    free(s->lines);
    memset(s, 0, sizeof *s);
}

const struct ui_source *
ui_model_source(struct ui_model *m, const char *name)
{
    struct ui_source *victim = &m->src[0];

    for (int i = 0; i < UI_SOURCE_CACHE; i++) {
        if (m->src[i].name[0] != '\0' && strcmp(m->src[i].name, name) == 0) {
            m->src[i].used = ++m->src_clock;
            return &m->src[i];
        }
        if (m->src[i].used < victim->used)
            victim = &m->src[i];
    }
    drop(victim);
    load(victim, name);
    victim->used = ++m->src_clock;
    return victim;
}

void
ui_source_free(struct ui_model *m)
{
    for (int i = 0; i < UI_SOURCE_CACHE; i++)
        drop(&m->src[i]);
}
