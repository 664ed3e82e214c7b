/* stats.c: what a workload measures, and the summary it prints.
 *
 * Interface: workload.c calls wl_stats_queue() when a request starts or
 * ends (for the time-weighted queue depth), wl_stats_done() per request,
 * wl_stats_srb_failed() per failed SRB and wl_stats_problem() for the first
 * integrity problem; wl_stats_result() turns it all into a struct
 * wl_result, which wl_print_result() prints.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "workload/wl_int.h"

void
wl_stats_init(struct wl_stats *st, sim_time_t now)
{
    memset(st, 0, sizeof *st);
    for (int i = 0; i < 3; i++)
        hist_init(&st->lat[i]);
    st->start = st->end = st->qd_last = now;
}

void
wl_stats_queue(struct wl_stats *st, sim_time_t now, int delta)
{
    st->qd_area += (double)st->outstanding * (double)(now - st->qd_last);
    st->qd_last = now;
    st->outstanding += (uint64_t)(int64_t)delta;
    if (st->outstanding > st->qd_max)
        st->qd_max = st->outstanding;
}

void
wl_stats_done(struct wl_stats *st, bool write, bool ok, uint32_t bytes,
              sim_time_t latency, sim_time_t now)
{
    st->end = now;
    if (!ok) {
        st->failed[write]++;
        return;
    }
    st->ok[write]++;
    st->bytes[write] += bytes;
    hist_record(&st->lat[write], latency);
    hist_record(&st->lat[2], latency);
}

void
wl_stats_srb_failed(struct wl_stats *st, void *srb)
{
    UCHAR key, asc, ascq;

    st->srb_failed++;
    st->by_status[SRB_STATUS(SrbGetSrbStatus(srb)) & 63]++;
    if (wl_srb_sense(srb, &key, &asc, &ascq))
        st->by_key[key & 15]++;
}

void
wl_stats_problem(struct wl_stats *st, const char *fmt, ...)
{
    va_list ap;

    if (st->first_problem[0] != '\0')
        return;
    va_start(ap, fmt);
    vsnprintf(st->first_problem, sizeof st->first_problem, fmt, ap);
    va_end(ap);
}

static void
dir_result(const struct hist *h, uint64_t ok, uint64_t bytes, uint64_t failed,
           sim_time_t elapsed, struct wl_dir_result *d)
{
    double secs = (double)elapsed / 1e9;

    d->requests = ok;
    d->bytes = bytes;
    d->failed = failed;
    d->iops = secs > 0 ? (double)ok / secs : 0;
    d->mbps = secs > 0 ? (double)bytes / 1e6 / secs : 0;
    d->lat_min = hist_min(h);
    d->lat_mean = hist_mean(h);
    d->p50 = hist_quantile(h, 0.50);
    d->p90 = hist_quantile(h, 0.90);
    d->p99 = hist_quantile(h, 0.99);
    d->p999 = hist_quantile(h, 0.999);
    d->lat_max = hist_max(h);
}

void
wl_stats_result(const struct wl_stats *st, const struct wl_model *m,
                struct wl_result *out)
{
    memset(out, 0, sizeof *out);
    out->start = st->start;
    out->end = st->end;
    out->elapsed = st->end - st->start;
    dir_result(&st->lat[0], st->ok[0], st->bytes[0], st->failed[0], out->elapsed, &out->read);
    dir_result(&st->lat[1], st->ok[1], st->bytes[1], st->failed[1], out->elapsed, &out->write);
    dir_result(&st->lat[2], st->ok[0] + st->ok[1], st->bytes[0] + st->bytes[1],
               st->failed[0] + st->failed[1], out->elapsed, &out->all);
    out->srbs = st->srbs;
    out->split = st->split;
    out->qd_mean = out->elapsed > 0 ? st->qd_area / (double)out->elapsed : 0;
    out->qd_max = st->qd_max;
    out->blocks_verified = st->blocks[WL_V_STAMP];
    out->blocks_zero = st->blocks[WL_V_ZERO];
    out->blocks_weak = st->blocks[WL_V_WEAK];
    for (int v = WL_V_BAD_SUM; v <= WL_V_GARBAGE; v++)
        out->blocks_corrupt += st->blocks[v];
    out->corrupted = st->corrupted;
    out->lost = st->lost;
    out->unfinished = st->unfinished;
    out->duplicated = st->duplicated;
    out->submit_errors = st->submit_errors;
    out->srb_failed = st->srb_failed;
    memcpy(out->by_srb_status, st->by_status, sizeof out->by_srb_status);
    memcpy(out->by_sense_key, st->by_key, sizeof out->by_sense_key);
    out->untracked_blocks = m != NULL ? m->untracked : 0;
    out->model_bytes = m != NULL ? m->bytes : 0;
    memcpy(out->first_problem, st->first_problem, sizeof out->first_problem);
    out->ok = out->blocks_corrupt == 0 && out->corrupted == 0 &&
              out->lost == 0 && out->duplicated == 0;
}

/* ---------- printing ---------- */

static const char *
fmt_ns(double ns, char *buf, size_t len)
{
    if (ns < 1e3)
        snprintf(buf, len, "%.0fns", ns);
    else if (ns < 1e6)
        snprintf(buf, len, "%.1fus", ns / 1e3);
    else if (ns < 1e9)
        snprintf(buf, len, "%.2fms", ns / 1e6);
    else
        snprintf(buf, len, "%.3fs", ns / 1e9);
    return buf;
}

static void
print_dir(FILE *f, const char *name, const struct wl_dir_result *d)
{
    char a[5][24];

    if (d->requests == 0 && d->failed == 0)
        return;
    fprintf(f, "  %-5s: %llu requests (%llu failed), %.2f MB, %.0f IOPS, %.2f MB/s\n",
            name, (unsigned long long)d->requests, (unsigned long long)d->failed,
            (double)d->bytes / 1e6, d->iops, d->mbps);
    if (d->requests == 0)
        return;
    fprintf(f, "         latency: min %s mean %s max %s\n",
            fmt_ns((double)d->lat_min, a[0], sizeof a[0]),
            fmt_ns(d->lat_mean, a[1], sizeof a[1]),
            fmt_ns((double)d->lat_max, a[2], sizeof a[2]));
    fprintf(f, "                  p50 %s p90 %s", fmt_ns((double)d->p50, a[0], sizeof a[0]),
            fmt_ns((double)d->p90, a[1], sizeof a[1]));
    fprintf(f, " p99 %s p99.9 %s\n", fmt_ns((double)d->p99, a[3], sizeof a[3]),
            fmt_ns((double)d->p999, a[4], sizeof a[4]));
}

static const char *
srb_status_name(unsigned s)
{
    static const char *const names[] = {
        [0x00] = "PENDING", [0x01] = "SUCCESS", [0x02] = "ABORTED",
        [0x03] = "ABORT_FAILED", [0x04] = "ERROR", [0x05] = "BUSY",
        [0x06] = "INVALID_REQUEST", [0x07] = "INVALID_PATH_ID",
        [0x08] = "NO_DEVICE", [0x09] = "TIMEOUT", [0x0A] = "SELECTION_TIMEOUT",
        [0x0B] = "COMMAND_TIMEOUT", [0x0D] = "MESSAGE_REJECTED",
        [0x0E] = "BUS_RESET", [0x0F] = "PARITY_ERROR",
        [0x10] = "REQUEST_SENSE_FAILED", [0x11] = "NO_HBA",
        [0x12] = "DATA_OVERRUN", [0x13] = "UNEXPECTED_BUS_FREE",
        [0x14] = "PHASE_SEQUENCE_FAILURE", [0x15] = "BAD_SRB_BLOCK_LENGTH",
        [0x16] = "REQUEST_FLUSHED", [0x17] = "ACCESS_DENIED",
        [0x18] = "OPERATION_IN_PROGRESS", [0x20] = "INVALID_LUN",
        [0x21] = "INVALID_TARGET_ID", [0x22] = "BAD_FUNCTION",
        [0x23] = "ERROR_RECOVERY", [0x24] = "NOT_POWERED",
        [0x25] = "LINK_DOWN", [0x26] = "INSUFFICIENT_RESOURCES",
        [0x27] = "THROTTLED_REQUEST", [0x28] = "INVALID_PARAMETER",
        [0x30] = "INTERNAL_ERROR",
    };
    return s < sizeof names / sizeof names[0] && names[s] ? names[s] : "?";
}

static void
print_errors(FILE *f, const struct wl_result *r)
{
    static const char *const keys[16] = {
        "NO SENSE", "RECOVERED ERROR", "NOT READY", "MEDIUM ERROR",
        "HARDWARE ERROR", "ILLEGAL REQUEST", "UNIT ATTENTION", "DATA PROTECT",
        "BLANK CHECK", "VENDOR SPECIFIC", "COPY ABORTED", "ABORTED COMMAND",
        "EQUAL", "VOLUME OVERFLOW", "MISCOMPARE", "RESERVED",
    };

    if (r->srb_failed == 0)
        return;
    fprintf(f, "  failed SRBs: %llu:", (unsigned long long)r->srb_failed);
    for (unsigned s = 0; s < 64; s++)
        if (r->by_srb_status[s] != 0)
            fprintf(f, " SRB_STATUS_%s x%llu", srb_status_name(s),
                    (unsigned long long)r->by_srb_status[s]);
    for (unsigned k = 0; k < 16; k++)
        if (r->by_sense_key[k] != 0)
            fprintf(f, ", sense %s x%llu", keys[k],
                    (unsigned long long)r->by_sense_key[k]);
    fputc('\n', f);
}

void
wl_print_result(const struct wl_result *r, const struct wl_spec *spec, FILE *f)
{
    char text[256], t[24];

    if (spec != NULL && wl_spec_format(spec, text, sizeof text) >= 0)
        fprintf(f, "workload: %s\n", text);
    fprintf(f, "  ran %s simulated, %llu requests in %llu SRBs (%llu split), "
            "queue depth mean %.2f max %llu\n",
            fmt_ns((double)r->elapsed, t, sizeof t), (unsigned long long)r->issued,
            (unsigned long long)r->srbs, (unsigned long long)r->split,
            r->qd_mean, (unsigned long long)r->qd_max);
    print_dir(f, "read", &r->read);
    print_dir(f, "write", &r->write);
    fprintf(f, "  integrity: %llu blocks as written, %llu zero, %llu plausible "
            "(not tracked), %llu corrupt; requests: %llu corrupted, %llu lost, "
            "%llu duplicated, %llu unfinished, %llu refused -> %s\n",
            (unsigned long long)r->blocks_verified, (unsigned long long)r->blocks_zero,
            (unsigned long long)r->blocks_weak, (unsigned long long)r->blocks_corrupt,
            (unsigned long long)r->corrupted, (unsigned long long)r->lost,
            (unsigned long long)r->duplicated, (unsigned long long)r->unfinished,
            (unsigned long long)r->submit_errors, r->ok ? "OK" : "FAILED");
    print_errors(f, r);
    if (r->untracked_blocks != 0)
        fprintf(f, "  model: %llu written blocks not tracked (limit reached, %llu bytes)\n",
                (unsigned long long)r->untracked_blocks, (unsigned long long)r->model_bytes);
    if (r->first_problem[0] != '\0')
        fprintf(f, "  first problem: %s\n", r->first_problem);
}
