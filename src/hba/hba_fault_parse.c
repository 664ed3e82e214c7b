/* hba_fault_parse.c - SIMHBA fault rules as text: parsing and formatting. */
/*
 * Interface: hba_fault_parse(), hba_fault_format() and hba_fault_kind_name()
 * (include/storsim/hba.h), for the command language and scripts.
 *
 * The syntax is a kind followed by key=value tokens, e.g.
 *   medium-error lun=0 lba=1000-2000 every=3 count=5
 *   status status=check-condition key=illegal-request asc=24/00 op=read10
 *   delay-interrupt delay=200us every=10
 * Names are matched ignoring case and punctuation, so "read10", "READ(10)"
 * and "read-10" all name opcode 28h. Every error names the token (by
 * position and text) and says what was expected, since the text usually
 * comes from a person typing at the console.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hba/hba_int.h"

static const char *const kind_names[HBA_FAULT_KIND_COUNT] = {
    [HBA_FAULT_MEDIUM_ERROR] = "medium-error",
    [HBA_FAULT_STATUS] = "status",
    [HBA_FAULT_BUSY] = "busy",
    [HBA_FAULT_TASK_SET_FULL] = "task-set-full",
    [HBA_FAULT_DROP_COMMAND] = "drop-command",
    [HBA_FAULT_DROP_INTERRUPT] = "drop-interrupt",
    [HBA_FAULT_DELAY_INTERRUPT] = "delay-interrupt",
    [HBA_FAULT_BUS_RESET] = "bus-reset",
    [HBA_FAULT_LUN_REMOVE] = "lun-remove",
    [HBA_FAULT_LUN_ARRIVE] = "lun-arrive",
    [HBA_FAULT_POWER_LOSS] = "power-loss",
};

const char *
hba_fault_kind_name(enum hba_fault_kind kind)
{
    return (unsigned)kind < HBA_FAULT_KIND_COUNT ? kind_names[kind] : "?";
}

/* The parser's state: where it is, for error messages. */
struct parser {
    int pos;              /* 1-based token number */
    const char *token;    /* the whole token, as typed */
    char *err;
    size_t errlen;
    char copy[128];       /* the token, for messages (parsing cuts it) */
};

static int
fail(struct parser *p, const char *fmt, ...)
{
    va_list ap;
    int n;

    n = snprintf(p->err, p->errlen, "token %d (\"%s\"): ", p->pos, p->token);
    if (n >= 0 && (size_t)n < p->errlen) {
        va_start(ap, fmt);
        vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

static bool
parse_num(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (*s == '\0' || *s == '-' || *s == '+')
        return false;
    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno != 0 || *end != '\0' || v > max)
        return false;
    *out = v;
    return true;
}

/* A number, or a name from a table of up to `n` entries. */
static bool
num_or_name(const char *s, unsigned n, const char *(*name)(uint8_t),
            const char *unknown, uint64_t *out)
{
    if (parse_num(s, n - 1, out))
        return true;
    for (unsigned i = 0; i < n; i++) {
        const char *nm = name((uint8_t)i);
        if (strcmp(nm, unknown) != 0 && scsi_disk_same_name(s, nm)) {
            *out = i;
            return true;
        }
    }
    return false;
}

static int
parse_lba(struct parser *p, const char *v, struct hba_fault_rule *r)
{
    const char *dash = strchr(v, '-');
    char first[32];
    uint64_t a, b;

    if (dash == NULL) {
        if (!parse_num(v, UINT64_MAX - 1, &a))
            return fail(p, "lba wants LBA or FIRST-LAST, e.g. lba=1000-2000");
        r->lba_first = a;
        r->lba_count = 1;
        return 0;
    }
    if ((size_t)(dash - v) >= sizeof first)
        return fail(p, "lba: the first LBA is too long");
    memcpy(first, v, (size_t)(dash - v));
    first[dash - v] = '\0';
    if (!parse_num(first, UINT64_MAX - 1, &a) ||
        !parse_num(dash + 1, UINT64_MAX - 1, &b))
        return fail(p, "lba wants LBA or FIRST-LAST, e.g. lba=1000-2000");
    if (b < a)
        return fail(p, "lba: the range ends (%" PRIu64 ") before it starts "
                    "(%" PRIu64 ")", b, a);
    r->lba_first = a;
    r->lba_count = b - a + 1;
    return 0;
}

static int
parse_asc(struct parser *p, const char *v, struct hba_fault_rule *r)
{
    unsigned a, q;
    char tail;
    uint64_t packed;

    if (sscanf(v, "%x/%x%c", &a, &q, &tail) == 2 && a <= 0xFF && q <= 0xFF) {
        r->asc_ascq = (uint16_t)(a << 8 | q);
        return 0;
    }
    if (strchr(v, '/') == NULL && parse_num(v, 0xFFFF, &packed)) {
        r->asc_ascq = (uint16_t)packed;
        return 0;
    }
    return fail(p, "asc wants ASC/ASCQ in hex, e.g. asc=11/00");
}

static const char *
status_name(uint8_t s)
{
    return scsi_disk_status_name(s);
}

static const char *
key_name(uint8_t k)
{
    return scsi_disk_sense_key_name(k);
}

static const char *
opcode_name(uint8_t op)
{
    return scsi_disk_opcode_name(op);
}

/* Which keys a kind accepts beyond the common ones. */
static bool
key_applies(enum hba_fault_kind kind, const char *key)
{
    if (strcmp(key, "status") == 0 || strcmp(key, "key") == 0 ||
        strcmp(key, "asc") == 0)
        return kind == HBA_FAULT_STATUS;
    if (strcmp(key, "delay") == 0)
        return kind == HBA_FAULT_DELAY_INTERRUPT || kind == HBA_FAULT_LUN_REMOVE;
    return true;
}

static int
parse_small(struct parser *p, const char *key, const char *v, uint64_t max,
            uint64_t *out)
{
    if (!parse_num(v, max, out))
        return fail(p, "%s wants a number from 0 to %" PRIu64, key, max);
    return 0;
}

static int
parse_ids(struct parser *p, const char *key, const char *v,
          struct hba_fault_rule *r)
{
    uint64_t n;
    int rc;

    if (strcmp(key, "target") == 0) {
        rc = parse_small(p, key, v, HBA_MAX_TARGETS - 1, &n);
        r->target = (int)n;
    } else if (strcmp(key, "lun") == 0) {
        rc = parse_small(p, key, v, HBA_MAX_LUNS_PER_TARGET - 1, &n);
        r->lun = (int)n;
    } else if (strcmp(key, "every") == 0) {
        rc = parse_small(p, key, v, UINT32_MAX, &n);
        r->every = (uint32_t)n;
    } else {
        rc = parse_small(p, key, v, UINT32_MAX, &n);
        r->count = (uint32_t)n;
    }
    return rc;
}

static int
parse_named(struct parser *p, const char *key, const char *v,
            struct hba_fault_rule *r)
{
    uint64_t n;

    if (strcmp(key, "op") == 0) {
        if (!num_or_name(v, 256, opcode_name, "UNKNOWN", &n))
            return fail(p, "op wants an opcode number (0x28) or a name "
                        "(read10, write16, inquiry ...)");
        r->opcode = (int)n;
    } else if (strcmp(key, "status") == 0) {
        if (!num_or_name(v, 256, status_name, "UNKNOWN STATUS", &n))
            return fail(p, "status wants a number or good, check-condition, "
                        "busy, task-set-full, reservation-conflict, "
                        "task-aborted");
        r->status = (uint8_t)n;
    } else {
        if (!num_or_name(v, 16, key_name, "", &n))
            return fail(p, "key wants a sense key number or name "
                        "(medium-error, illegal-request, not-ready ...)");
        r->sense_key = (uint8_t)n;
    }
    return 0;
}

static int
parse_pair(struct parser *p, char *tok, struct hba_fault_rule *r)
{
    static const char *const keys[] = {
        "target", "lun", "op", "lba", "every", "count", "status", "key",
        "asc", "delay",
    };
    char *eq = strchr(tok, '=');
    const char *v;

    if (eq == NULL || eq == tok || eq[1] == '\0')
        return fail(p, "expected KEY=VALUE (keys: target, lun, op, lba, "
                    "every, count, status, key, asc, delay)");
    *eq = '\0';
    v = eq + 1;
    if (!key_applies(r->kind, tok))
        return fail(p, "'%s' does not apply to %s", tok,
                    hba_fault_kind_name(r->kind));
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(tok, keys[i]) != 0)
            continue;
        switch (i) {
        case 0: case 1: case 4: case 5: return parse_ids(p, tok, v, r);
        case 2: case 6: case 7:         return parse_named(p, tok, v, r);
        case 3:                         return parse_lba(p, v, r);
        case 8:                         return parse_asc(p, v, r);
        default:
            if (sim_parse_time(v, &r->delay) < 0)
                return fail(p, "delay wants a time such as 50us or 2ms");
            return 0;
        }
    }
    return fail(p, "unknown key '%s' (target, lun, op, lba, every, count, "
                "status, key, asc, delay)", tok);
}

static int
parse_kind(struct parser *p, const char *tok, struct hba_fault_rule *r)
{
    for (int k = 0; k < HBA_FAULT_KIND_COUNT; k++)
        if (strcmp(tok, kind_names[k]) == 0) {
            hba_fault_rule_init(r, (enum hba_fault_kind)k);
            return 0;
        }
    return fail(p, "unknown fault kind (medium-error, status, busy, "
                "task-set-full, drop-command, drop-interrupt, "
                "delay-interrupt, bus-reset, lun-remove, lun-arrive, "
                "power-loss)");
}

/* What a whole rule still lacks, once every token is read. */
static int
finish_rule(struct parser *p, const struct hba_fault_rule *r, bool had_status)
{
    p->token = hba_fault_kind_name(r->kind);
    p->pos = 1;
    if (r->kind == HBA_FAULT_STATUS && !had_status)
        return fail(p, "a status rule needs status=, e.g. status=busy");
    if (r->kind == HBA_FAULT_DELAY_INTERRUPT && r->delay == 0)
        return fail(p, "delay-interrupt needs delay=, e.g. delay=100us");
    return 0;
}

int
hba_fault_parse(const char *text, struct hba_fault_rule *r, char *err,
                size_t errlen)
{
    char buf[512], *save = NULL, *tok;
    struct parser p = { .token = "", .err = err, .errlen = errlen };
    bool had_status = false;
    int rc = 0;

    if (strlen(text) >= sizeof buf) {
        snprintf(err, errlen, "fault rule too long (at most %zu characters)",
                 sizeof buf - 1);
        return -EINVAL;
    }
    strcpy(buf, text);
    for (tok = strtok_r(buf, " \t\n", &save); tok != NULL && rc == 0;
         tok = strtok_r(NULL, " \t\n", &save)) {
        p.pos++;
        snprintf(p.copy, sizeof p.copy, "%s", tok);
        p.token = p.copy;
        if (p.pos == 1) {
            rc = parse_kind(&p, tok, r);
            continue;
        }
        had_status |= strncmp(tok, "status=", 7) == 0;
        rc = parse_pair(&p, tok, r);
    }
    if (rc == 0 && p.pos == 0) {
        snprintf(err, errlen, "empty fault rule: expected a kind such as "
                 "medium-error");
        return -EINVAL;
    }
    return rc < 0 ? rc : finish_rule(&p, r, had_status);
}

/* snprintf at the end of what is in `buf` so far; never past its end. */
static void
append(char *buf, size_t cap, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
append(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
    va_list ap;
    int k;

    if (*n >= cap)
        return;
    va_start(ap, fmt);
    k = vsnprintf(buf + *n, cap - *n, fmt, ap);
    va_end(ap);
    if (k > 0)
        *n += (size_t)k;
}

int
hba_fault_format(const struct hba_fault_rule *r, char *buf, size_t len)
{
    char t[256] = "";
    size_t n = 0;

    if (r->target != HBA_ANY)
        append(t, sizeof t, &n, " target=%d", r->target);
    if (r->lun != HBA_ANY)
        append(t, sizeof t, &n, " lun=%d", r->lun);
    if (r->opcode != HBA_ANY)
        append(t, sizeof t, &n, " op=0x%02x", (unsigned)r->opcode);
    if (r->lba_count != 0)
        append(t, sizeof t, &n, " lba=%" PRIu64 "-%" PRIu64, r->lba_first,
               r->lba_first + r->lba_count - 1);
    if (r->every > 1)
        append(t, sizeof t, &n, " every=%" PRIu32, r->every);
    if (r->count != 0)
        append(t, sizeof t, &n, " count=%" PRIu32, r->count);
    if (r->kind == HBA_FAULT_STATUS)
        append(t, sizeof t, &n, " status=0x%02x key=0x%x asc=%02x/%02x",
               r->status, r->sense_key, SCSI_ASC_OF(r->asc_ascq),
               SCSI_ASCQ_OF(r->asc_ascq));
    if (r->delay != 0)
        append(t, sizeof t, &n, " delay=%" PRIu64 "ns", (uint64_t)r->delay);
    return snprintf(buf, len, "%s%s", hba_fault_kind_name(r->kind), t);
}
