/* spec_format.c: workload definitions back to text, in the form
 * wl_spec_parse() reads: sizes in the largest exact binary unit ("64k"),
 * times in the largest exact unit ("3ms"), CPU and LUN sets as ranges.
 *
 * Interface: wl_spec_format() (public); wl_format_size() and
 * wl_format_mask() for spec.c's messages and the summary.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "workload/wl_int.h"

int
wl_format_size(uint64_t n, char *buf, size_t len)
{
    static const char units[] = "kMGT";
    int i = -1;

    while (n != 0 && n % 1024 == 0 && i < 3) {
        n /= 1024;
        i++;
    }
    if (i < 0)
        return snprintf(buf, len, "%" PRIu64, n);
    return snprintf(buf, len, "%" PRIu64 "%c", n, units[i]);
}

int
wl_format_mask(uint64_t mask, char *buf, size_t len)
{
    char part[16];
    size_t used = 0;

    if (mask == WL_ALL_CPUS)
        return snprintf(buf, len, "all");
    if (len > 0)
        buf[0] = '\0';
    for (int i = 0; i < 64; i++) {
        int j = i;
        if (!(mask >> i & 1))
            continue;
        while (j < 63 && (mask >> (j + 1) & 1))
            j++;
        snprintf(part, sizeof part, j > i ? "%s%d-%d" : "%s%d", used ? "," : "", i, j);
        if (used + strlen(part) < len)
            memcpy(buf + used, part, strlen(part) + 1);
        used += strlen(part);
        i = j;
    }
    return (int)used;
}

static void append(char *buf, size_t len, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
append(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(*used < len ? buf + *used : NULL, *used < len ? len - *used : 0,
                  fmt, ap);
    va_end(ap);
    if (n > 0)
        *used += (size_t)n;
}

/* A duration in the largest unit that holds it exactly, e.g. "10ms". */
static const char *
format_time(sim_time_t t, char *buf, size_t len)
{
    static const struct { sim_time_t ns; const char *unit; } units[] = {
        { SIM_SEC(1), "s" }, { SIM_MS(1), "ms" }, { SIM_US(1), "us" },
    };

    for (size_t i = 0; i < 3; i++) {
        if (t != 0 && t % units[i].ns == 0) {
            snprintf(buf, len, "%" PRIu64 "%s", t / units[i].ns, units[i].unit);
            return buf;
        }
    }
    snprintf(buf, len, "%" PRIu64 "ns", t);
    return buf;
}

static void
format_optional(const struct wl_spec *s, char *buf, size_t len, size_t *used)
{
    struct wl_spec d;
    char t[32];

    wl_spec_default(&d);
    if (s->srb != d.srb)
        append(buf, len, used, " srb=ex");
    if (s->timeout != d.timeout)
        append(buf, len, used, " timeout=%u", s->timeout);
    if (s->offset != 0 && wl_format_size(s->offset, t, sizeof t) > 0)
        append(buf, len, used, " offset=%s", t);
    if (s->size != 0 && wl_format_size(s->size, t, sizeof t) > 0)
        append(buf, len, used, " size=%s", t);
    if (s->fresh != d.fresh)
        append(buf, len, used, " fresh=no");
    if (s->submit_cost != d.submit_cost)
        append(buf, len, used, " submit-cost=%s", format_time(s->submit_cost, t, sizeof t));
    if (s->track_bytes != d.track_bytes && wl_format_size(s->track_bytes, t, sizeof t) > 0)
        append(buf, len, used, " track=%s", t);
}

int
wl_spec_format(const struct wl_spec *s, char *buf, size_t len)
{
    size_t used = 0;
    char t[200];

    if (len > 0)
        buf[0] = '\0';
    wl_format_size(s->bs, t, sizeof t);
    append(buf, len, &used, "pattern=%s bs=%s qd=%u",
           s->pattern == WL_SEQUENTIAL ? "seq" : "random", t, s->qd);
    append(buf, len, &used, " count=%" PRIu64, s->count);
    if (s->duration != 0)
        append(buf, len, &used, " duration=%s", format_time(s->duration, t, sizeof t));
    append(buf, len, &used, " read=%u", s->read_pct);
    if (s->luns != 0 && wl_format_mask(s->luns, t, sizeof t) >= 0)
        append(buf, len, &used, " luns=%s", t);
    if (s->cpus != 0 && wl_format_mask(s->cpus, t, sizeof t) >= 0)
        append(buf, len, &used, " cpus=%s", t);
    if (s->seed != 0)
        append(buf, len, &used, " seed=%" PRIu64, s->seed);
    format_optional(s, buf, len, &used);
    return (int)used;
}
