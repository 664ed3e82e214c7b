/* json_writer.c: a small streaming JSON writer (see stats_json_* in
 * include/storsim/stats.h).
 *
 * Interface: stats_json_init(), then begin/end, key and value calls in
 * document order, then stats_json_finish(). The statistics report and the
 * Chrome trace exporter both write through it, so escaping and number
 * formatting are done in one place.
 *
 * Invariants: w->depth counts open containers; first[d] says whether the
 * container at depth d (1-based) has no element yet; after_key is set
 * between a key and its value. Misuse (a value where a key is due, closing
 * what is not open) sets w->error to -EINVAL and stops writing, so a bug
 * shows up as an error from stats_json_finish(), never as broken JSON that
 * looks fine.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "storsim/stats.h"

void
stats_json_init(struct stats_json *w, FILE *f, int pretty_depth)
{
    memset(w, 0, sizeof *w);
    w->f = f;
    w->pretty_depth = pretty_depth;
}

static void
drain(struct stats_json *w)
{
    if (w->len > 0 && fwrite(w->buf, 1, w->len, w->f) != w->len &&
        w->error == 0)
        w->error = -EIO;
    w->len = 0;
}

static void
put(struct stats_json *w, const char *s, size_t n)
{
    if (w->len + n > sizeof w->buf)
        drain(w);
    if (n >= sizeof w->buf) {
        if (fwrite(s, 1, n, w->f) != n && w->error == 0)
            w->error = -EIO;
        return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

int
stats_json_flush(struct stats_json *w)
{
    drain(w);
    if (fflush(w->f) != 0 && w->error == 0)
        w->error = -EIO;
    return w->error == -EIO ? -EIO : 0;
}

static void
put_str(struct stats_json *w, const char *s)
{
    put(w, s, strlen(s));
}

static void
newline_indent(struct stats_json *w, int depth)
{
    static const char spaces[] = "                                        ";

    put(w, "\n", 1);
    for (int n = 2 * depth; n > 0; n -= (int)sizeof spaces - 1)
        put(w, spaces, (size_t)(n < (int)sizeof spaces - 1 ? n
                                                          : (int)sizeof spaces - 1));
}

/* Everything that comes before a key, or before a value that is not an
 * object member: the comma, and in pretty containers a fresh line. */
static bool
before_element(struct stats_json *w, bool is_key)
{
    int d = w->depth;

    if (w->error == -EINVAL)
        return false;
    if (w->after_key) {
        if (is_key)
            goto misuse;
        w->after_key = false;
        return true;
    }
    if (d == 0 ? is_key : w->is_object[d - 1] != is_key)
        goto misuse;        /* a value without a key, or a key in an array */
    if (d > 0) {
        if (!w->first[d - 1])
            put(w, ",", 1);
        w->first[d - 1] = false;
        if (d <= w->pretty_depth)
            newline_indent(w, d);
    }
    return true;
misuse:
    w->error = -EINVAL;
    return false;
}

static void
open_container(struct stats_json *w, bool object)
{
    if (!before_element(w, false))
        return;
    if (w->depth == STATS_JSON_MAX_DEPTH) {
        w->error = -EINVAL;
        return;
    }
    put(w, object ? "{" : "[", 1);
    w->first[w->depth] = true;
    w->is_object[w->depth] = object;
    w->depth++;
}

static void
close_container(struct stats_json *w, bool object)
{
    int d = w->depth;

    if (w->error == -EINVAL)
        return;
    if (d == 0 || w->is_object[d - 1] != object || w->after_key) {
        w->error = -EINVAL;
        return;
    }
    w->depth--;
    if (!w->first[d - 1] && d <= w->pretty_depth)
        newline_indent(w, d - 1);
    put(w, object ? "}" : "]", 1);
}

void
stats_json_object_begin(struct stats_json *w)
{
    open_container(w, true);
}

void
stats_json_object_end(struct stats_json *w)
{
    close_container(w, true);
}

void
stats_json_array_begin(struct stats_json *w)
{
    open_container(w, false);
}

void
stats_json_array_end(struct stats_json *w)
{
    close_container(w, false);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one. */
static size_t
utf8_len(const unsigned char *s)
{
    size_t n;
    unsigned cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2, cp = s[0] & 0x1Fu;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3, cp = s[0] & 0x0Fu;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4, cp = s[0] & 0x07u;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;                 /* overlong, out of range, or a surrogate */
    return n;
}

/* The escape for one ASCII byte, or NULL if it goes out as it is. */
static const char *
escape_of(unsigned char c, char buf[8])
{
    switch (c) {
    case '"':  return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default:
        if (c >= 0x20 && c != 0x7F)
            return NULL;
        snprintf(buf, 8, "\\u%04x", c);
        return buf;
    }
}

static void
put_quoted(struct stats_json *w, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;
    char buf[8];

    put(w, "\"", 1);
    while (*p) {
        size_t n = utf8_len(p);
        const char *esc = n == 1 ? escape_of(*p, buf) : NULL;

        if (n > 1) {
            p += n;                 /* valid multi-byte: copied as is */
            continue;
        }
        if (n == 1 && esc == NULL) {
            p++;
            continue;
        }
        put(w, (const char *)run, (size_t)(p - run));
        put_str(w, n == 0 ? "\\ufffd" : esc);
        run = ++p;
    }
    put(w, (const char *)run, (size_t)(p - run));
    put(w, "\"", 1);
}

void
stats_json_key(struct stats_json *w, const char *key)
{
    if (!before_element(w, true))
        return;
    put_quoted(w, key ? key : "");
    put(w, w->depth <= w->pretty_depth ? ": " : ":", w->depth <= w->pretty_depth ? 2 : 1);
    w->after_key = true;
}

void
stats_json_string(struct stats_json *w, const char *s)
{
    if (!before_element(w, false))
        return;
    if (s == NULL)
        put_str(w, "null");
    else
        put_quoted(w, s);
}

/* Decimal digits of v, right-aligned in buf[24]; returns the first. */
static char *
u64_digits(uint64_t v, char buf[24])
{
    char *p = buf + 23;

    *p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    return p;
}

void
stats_json_uint(struct stats_json *w, uint64_t v)
{
    char buf[24];

    if (before_element(w, false))
        put_str(w, u64_digits(v, buf));
}

void
stats_json_int(struct stats_json *w, int64_t v)
{
    char buf[24];

    if (!before_element(w, false))
        return;
    if (v < 0)
        put(w, "-", 1);
    put_str(w, u64_digits(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, buf));
}

void
stats_json_double(struct stats_json *w, double v)
{
    char buf[40];

    if (!before_element(w, false))
        return;
    if (!isfinite(v)) {
        put_str(w, "null");
        return;
    }
    snprintf(buf, sizeof buf, "%.10g", v);
    /* A locale with a decimal comma (the console may call setlocale)
     * must not leak into JSON. */
    for (char *c = buf; *c; c++)
        if (*c == ',')
            *c = '.';
    put_str(w, buf);
}

void
stats_json_bool(struct stats_json *w, bool v)
{
    if (before_element(w, false))
        put_str(w, v ? "true" : "false");
}

void
stats_json_null(struct stats_json *w)
{
    if (before_element(w, false))
        put_str(w, "null");
}

void
stats_json_time_us(struct stats_json *w, sim_time_t ns)
{
    char buf[24], frac[5];
    unsigned rem = (unsigned)(ns % 1000);

    if (!before_element(w, false))
        return;
    put_str(w, u64_digits(ns / 1000, buf));
    frac[0] = '.';
    frac[1] = (char)('0' + rem / 100);
    frac[2] = (char)('0' + rem / 10 % 10);
    frac[3] = (char)('0' + rem % 10);
    frac[4] = '\0';
    put(w, frac, 4);
}

int
stats_json_finish(struct stats_json *w)
{
    if (w->error == 0 && (w->depth != 0 || w->after_key))
        w->error = -EINVAL;
    put(w, "\n", 1);
    stats_json_flush(w);
    if (ferror(w->f) && w->error == 0)
        w->error = -EIO;
    return w->error;
}
