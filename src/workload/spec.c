/* spec.c: workload definitions as text: defaults, key=value parsing with
 * units and helpful errors, and formatting back to text.
 *
 * Interface: wl_spec_default(), wl_spec_set(), wl_spec_parse(),
 * wl_spec_check(), wl_spec_format(), wl_spec_keys() (public, see
 * include/storsim/workload.h); wl_nearest() and wl_edit_distance() suggest
 * the word a user probably meant.
 *
 * Errors are data, never exits: each names the key, quotes the bad value
 * and says what is allowed, so a script line can be fixed from the message.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workload/wl_int.h"

#define MAX_BS (16u << 20)
#define MAX_QD 1024
#define MAX_TIMEOUT 3600
void
wl_spec_default(struct wl_spec *s)
{
    memset(s, 0, sizeof *s);
    s->pattern = WL_RANDOM;
    s->bs = 4096;
    s->qd = 1;
    s->count = 1000;
    s->read_pct = 100;
    s->srb = WL_SRB_SCSI;
    s->timeout = WL_DEFAULT_TIMEOUT;
    s->fresh = true;
    s->submit_cost = SIM_US(1);
    s->track_bytes = 64ull << 20;
}

/* ---------- words and suggestions ---------- */

/* Optimal string alignment distance: insertions, deletions, substitutions
 * and swaps of two neighbours each cost 1 ("rnadom" is 1 from "random"). */
size_t
wl_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t d[33][33];

    if (la > 32 || lb > 32)
        return la > lb ? la : lb;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

const char *
wl_nearest(const char *word, const char *const *words, size_t n)
{
    const char *best = NULL, *prefix_of = NULL;
    size_t best_d = SIZE_MAX, len = strlen(word), prefixes = 0;

    for (size_t i = 0; i < n; i++) {
        size_t d = wl_edit_distance(word, words[i]);
        size_t room = strlen(words[i]) / 2;

        if (len >= 2 && strncmp(word, words[i], len) == 0) {
            prefix_of = words[i];
            prefixes++;
        }
        /* Allow one edit in short words, two in longer ones. */
        if (d <= (room < 1 ? 1 : room > 2 ? 2 : room) && d < best_d) {
            best = words[i];
            best_d = d;
        }
    }
    return best != NULL ? best : prefixes == 1 ? prefix_of : NULL;
}

/* ---------- values ---------- */

static int
parse_u64(const char *v, uint64_t *out, const char **rest)
{
    char *end;

    if (!isdigit((unsigned char)v[0]))
        return -EINVAL;
    errno = 0;
    *out = strtoull(v, &end, 10);
    if (errno != 0)
        return -EINVAL;
    *rest = end;
    return 0;
}

/* "512", "4k", "4K", "4KiB", "1M", "2g": binary units, as fio reads them. */
static int
parse_size(const char *v, uint64_t *out)
{
    static const char units[] = "kmgt";
    const char *rest, *u;
    uint64_t n;

    if (parse_u64(v, &n, &rest) < 0)
        return -EINVAL;
    if (*rest != '\0' && (u = strchr(units, tolower((unsigned char)*rest))) != NULL) {
        int shift = 10 * (int)(u - units + 1);
        if (n > (UINT64_MAX >> shift))
            return -EINVAL;
        n <<= shift;
        rest++;
        if (strcmp(rest, "iB") == 0 || strcmp(rest, "B") == 0 || strcmp(rest, "b") == 0)
            rest += strlen(rest);
    } else if (strcmp(rest, "B") == 0 || strcmp(rest, "b") == 0) {
        rest++;
    }
    if (*rest != '\0')
        return -EINVAL;
    *out = n;
    return 0;
}

static int bad(char *err, size_t len, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Write an error message; return @rc, so that callers can return bad(...). */
static int
bad(char *err, size_t len, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
    return rc;
}

/* A number in [lo, hi], with an optional suffix (e.g. "%" or "s"). */
static int
parse_range(const char *key, const char *v, uint64_t lo, uint64_t hi,
            const char *suffix, uint64_t *out, char *err, size_t len)
{
    const char *rest;
    char range[64];

    snprintf(range, sizeof range, "%" PRIu64 "..%" PRIu64, lo, hi);
    if (parse_u64(v, out, &rest) < 0 || (*rest != '\0' && strcmp(rest, suffix) != 0))
        return bad(err, len, -EINVAL, "%s: '%s' is not a number (%s)", key, v, range);
    if (*out < lo || *out > hi)
        return bad(err, len, -EINVAL, "%s: %s is out of range (%s)", key, v, range);
    return 0;
}

static int
parse_choice(const char *key, const char *v, const char *const *words,
             size_t n, const char *allowed, char *err, size_t len)
{
    const char *near;

    for (size_t i = 0; i < n; i++)
        if (strcmp(v, words[i]) == 0)
            return (int)i;
    near = wl_nearest(v, words, n);
    if (near != NULL)
        snprintf(err, len, "%s: '%s' is not one of %s; did you mean '%s'?",
                 key, v, allowed, near);
    else
        snprintf(err, len, "%s: '%s' is not one of %s", key, v, allowed);
    return -EINVAL;
}

/* "0,2,5-7" or "all" into a bit mask; "all" gives @all_value. */
static int
parse_mask(const char *key, const char *v, uint64_t all_value, uint64_t *out,
           char *err, size_t len)
{
    const char *p = v, *rest;
    uint64_t mask = 0, a, b;

    if (strcmp(v, "all") == 0) {
        *out = all_value;
        return 0;
    }
    for (;;) {
        if (parse_u64(p, &a, &rest) < 0)
            goto syntax;
        b = a;
        if (*rest == '-' && parse_u64(rest + 1, &b, &rest) < 0)
            goto syntax;
        if (a > 63 || b > 63 || b < a)
            return bad(err, len, -EINVAL, "%s: '%s' is out of range (%s)", key, v,
                       "numbers 0..63, ranges low-high");
        for (uint64_t i = a; i <= b; i++)
            mask |= 1ull << i;
        if (*rest == '\0')
            break;
        if (*rest != ',')
            goto syntax;
        p = rest + 1;
    }
    *out = mask;
    return 0;
syntax:
    return bad(err, len, -EINVAL, "%s: '%s' is not a list (%s)", key, v,
               "examples: 0  0,1  0-3  all");
}

/* ---------- keys ---------- */

typedef int key_setter(struct wl_spec *s, const char *key, const char *v,
                       char *err, size_t len);

static int
set_pattern(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    static const char *const words[] = { "seq", "sequential", "random", "rand" };
    int i = parse_choice(key, v, words, 4, "seq, random", err, len);

    if (i < 0)
        return i;
    s->pattern = i < 2 ? WL_SEQUENTIAL : WL_RANDOM;
    return 0;
}

static int
set_srb(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    static const char *const words[] = { "scsi", "ex" };
    int i = parse_choice(key, v, words, 2, "scsi (SCSI_REQUEST_BLOCK), "
                         "ex (STORAGE_REQUEST_BLOCK)", err, len);

    if (i < 0)
        return i;
    s->srb = i == 0 ? WL_SRB_SCSI : WL_SRB_EX;
    return 0;
}

static int
set_fresh(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    static const char *const words[] = { "yes", "no", "1", "0", "true", "false", "on", "off" };
    int i = parse_choice(key, v, words, 8, "yes, no", err, len);

    if (i < 0)
        return i;
    s->fresh = i % 2 == 0;
    return 0;
}

/* A size in [lo, hi] that is a multiple of @align (0: any). */
static int
get_size(const char *key, const char *v, uint64_t lo, uint64_t hi,
         uint64_t align, uint64_t *out, char *err, size_t len)
{
    char a[24], b[24];

    if (parse_size(v, out) < 0)
        return bad(err, len, -EINVAL, "%s: '%s' is not a size (%s)", key, v,
                   "examples: 512, 4k, 1M, 2g");
    wl_format_size(lo, a, sizeof a);
    wl_format_size(hi, b, sizeof b);
    if (*out < lo || *out > hi) {
        snprintf(err, len, "%s: %s is out of range (%s..%s)", key, v, a, b);
        return -EINVAL;
    }
    if (align != 0 && *out % align != 0) {
        snprintf(err, len, "%s: %s is not a multiple of %" PRIu64, key, v, align);
        return -EINVAL;
    }
    return 0;
}

static int
set_bs(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    uint64_t n;
    int rc = get_size(key, v, 512, MAX_BS, 512, &n, err, len);

    if (rc == 0)
        s->bs = (uint32_t)n;
    return rc;
}

static int
set_offset(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    return get_size(key, v, 0, UINT64_MAX >> 1, 512, &s->offset, err, len);
}

static int
set_size(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    return get_size(key, v, 0, UINT64_MAX >> 1, 512, &s->size, err, len);
}

static int
set_track(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    return get_size(key, v, 64 << 10, 1ull << 40, 0, &s->track_bytes, err, len);
}

static int
set_qd(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    uint64_t n;
    int rc = parse_range(key, v, 1, MAX_QD, "", &n, err, len);

    if (rc == 0)
        s->qd = (uint32_t)n;
    return rc;
}

static int
set_count(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    return parse_range(key, v, 0, UINT64_MAX >> 1, "", &s->count, err, len);
}

static int
set_read(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    uint64_t n;
    int rc = parse_range(key, v, 0, 100, "%", &n, err, len);

    if (rc == 0)
        s->read_pct = (unsigned)n;
    return rc;
}

static int
set_seed(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    return parse_range(key, v, 0, UINT64_MAX, "", &s->seed, err, len);
}

static int
set_timeout(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    uint64_t n;
    int rc = parse_range(key, v, 1, MAX_TIMEOUT, "s", &n, err, len);

    if (rc == 0)
        s->timeout = (uint32_t)n;
    return rc;
}

static int
get_time(const char *key, const char *v, sim_time_t *out, char *err, size_t len)
{
    if (sim_parse_time(v, out) < 0)
        return bad(err, len, -EINVAL, "%s: '%s' is not a duration (%s)", key, v,
                   "a number with ns, us, ms or s, e.g. 80us, 10ms");
    return 0;
}

static int
set_duration(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    return get_time(key, v, &s->duration, err, len);
}

static int
set_cost(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    return get_time(key, v, &s->submit_cost, err, len);
}

static int
set_luns(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    return parse_mask(key, v, 0, &s->luns, err, len);
}

static int
set_cpus(struct wl_spec *s, const char *key, const char *v, char *err, size_t len)
{
    return parse_mask(key, v, WL_ALL_CPUS, &s->cpus, err, len);
}

static const struct {
    const char *name;
    key_setter *set;
} keys[] = {
    { "pattern", set_pattern }, { "bs", set_bs }, { "qd", set_qd },
    { "count", set_count }, { "duration", set_duration }, { "read", set_read },
    { "luns", set_luns }, { "cpus", set_cpus }, { "seed", set_seed },
    { "srb", set_srb }, { "timeout", set_timeout }, { "offset", set_offset },
    { "size", set_size }, { "fresh", set_fresh }, { "submit-cost", set_cost },
    { "track", set_track },
};
#define NKEYS (sizeof keys / sizeof keys[0])

const char *const *
wl_spec_keys(size_t *n)
{
    static const char *names[NKEYS];

    for (size_t i = 0; i < NKEYS; i++)
        names[i] = keys[i].name;
    *n = NKEYS;
    return names;
}

int
wl_spec_set(struct wl_spec *s, const char *key, const char *value,
            char *err, size_t len)
{
    size_t n;
    const char *const *names = wl_spec_keys(&n);
    const char *near;

    for (size_t i = 0; i < NKEYS; i++) {
        if (strcmp(key, keys[i].name) != 0)
            continue;
        if (value == NULL || *value == '\0')
            return bad(err, len, -EINVAL, "%s: missing value (write %s=VALUE)",
                       key, key);
        return keys[i].set(s, key, value, err, len);
    }
    near = wl_nearest(key, names, n);
    if (near != NULL)
        snprintf(err, len, "unknown key '%s', did you mean '%s'?", key, near);
    else
        snprintf(err, len, "unknown key '%s' (keys: pattern, bs, qd, count, "
                 "duration, read, luns, cpus, seed, srb, timeout, offset, size, "
                 "fresh, submit-cost, track)", key);
    return -ENOENT;
}

int
wl_spec_parse(struct wl_spec *s, const char *text, char *err, size_t len)
{
    char word[256];
    const char *p = text;

    while (*p != '\0') {
        size_t n = 0;
        char *eq;
        int rc;

        while (isspace((unsigned char)*p))
            p++;
        while (p[n] != '\0' && !isspace((unsigned char)p[n]))
            n++;
        if (n == 0)
            break;
        if (n >= sizeof word)
            return bad(err, len, -EINVAL, "'%.40s...' is too long", p);
        memcpy(word, p, n);
        word[n] = '\0';
        p += n;
        if ((eq = strchr(word, '=')) == NULL)
            return bad(err, len, -EINVAL, "'%s' has no value (write %s=VALUE)",
                       word, word);
        *eq = '\0';
        if ((rc = wl_spec_set(s, word, eq + 1, err, len)) < 0)
            return rc;
    }
    return 0;
}

int
wl_spec_check(const struct wl_spec *s, char *err, size_t len)
{
    if (s->count == 0 && s->duration == 0)
        return bad(err, len, -EINVAL, "count or duration must be set "
                   "(e.g. count=1000 or duration=10ms)");
    if (s->bs < 512 || s->bs % 512 != 0 || s->bs > MAX_BS)
        return bad(err, len, -EINVAL, "bs: %u is not a multiple of 512 "
                   "in 512..16M", s->bs);
    if (s->qd < 1 || s->qd > MAX_QD)
        return bad(err, len, -EINVAL, "qd: %u is out of range (1..%d)", s->qd, MAX_QD);
    if (s->read_pct > 100)
        return bad(err, len, -EINVAL, "read: %u is out of range (0..100)", s->read_pct);
    if (s->timeout < 1 || s->timeout > MAX_TIMEOUT)
        return bad(err, len, -EINVAL, "timeout: %u is out of range (1..%d)",
                   s->timeout, MAX_TIMEOUT);
    if (s->offset % 512 != 0 || s->size % 512 != 0)
        return bad(err, len, -EINVAL, "offset and size must be multiples of 512");
    return 0;
}
