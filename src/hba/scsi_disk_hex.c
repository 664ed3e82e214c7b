/* scsi_disk_hex.c - hex byte parsing for typed-in CDBs, and hex dumps of CDBs, sense and data. */
/*
 * Interface: scsi_disk_parse_hex() turns command-line words such as
 * "12 00 00 00 24 00" or "0x12" into bytes and, when it cannot, says which
 * token is wrong and why; scsi_disk_hexdump() and scsi_disk_hexdump_file()
 * print bytes the way hexdump -C does, for the console and for traces.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hba/scsi_disk_int.h"

static void
set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (!err || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static int
hex_value(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* One token of n chars; on failure "why" says what is wrong with it. */
static int
parse_token(const char *s, size_t n, uint8_t *byte, char *why, size_t whylen)
{
    unsigned v = 0;

    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        n -= 2;
        if (n == 0) {
            snprintf(why, whylen, "\"0x\" must be followed by one or two hex digits");
            return -EINVAL;
        }
    }
    if (n > 2) {
        snprintf(why, whylen, "more than two hex digits (a byte is 00 to ff; "
                 "separate bytes with spaces)");
        return -EINVAL;
    }
    for (size_t i = 0; i < n; i++) {
        int d = hex_value(s[i]);

        if (d < 0) {
            if (isprint((unsigned char)s[i]))
                snprintf(why, whylen, "'%c' is not a hex digit", s[i]);
            else
                snprintf(why, whylen, "byte 0x%02x is not a hex digit", (unsigned char)s[i]);
            return -EINVAL;
        }
        v = v * 16 + (unsigned)d;
    }
    *byte = (uint8_t)v;
    return 0;
}

int
scsi_disk_parse_hex(const char *const *argv, int argc, uint8_t *out, size_t max,
                    size_t *len, char *err, size_t errlen)
{
    size_t n = 0;
    int tok = 0;

    if (len)
        *len = 0;
    for (int a = 0; a < argc; a++) {
        const char *p = argv && argv[a] ? argv[a] : "";

        for (;;) {
            const char *start;
            char why[96];
            uint8_t byte;

            while (isspace((unsigned char)*p))
                p++;
            if (!*p)
                break;
            start = p;
            while (*p && !isspace((unsigned char)*p))
                p++;
            tok++;
            if (parse_token(start, (size_t)(p - start), &byte, why, sizeof why) < 0) {
                set_err(err, errlen, "token %d (\"%.*s\", argument %d): %s", tok,
                        (int)(p - start), start, a + 1, why);
                return -EINVAL;
            }
            if (n == max) {
                set_err(err, errlen, "token %d (\"%.*s\", argument %d): too many bytes "
                        "(at most %zu)", tok, (int)(p - start), start, a + 1, max);
                return -E2BIG;
            }
            out[n++] = byte;
        }
    }
    if (n == 0) {
        set_err(err, errlen, "no hex bytes given");
        return -EINVAL;
    }
    if (len)
        *len = n;
    return 0;
}

/* One dump line; returns its length (at most 80 with an 8-digit offset). */
static int
format_line(char *line, const uint8_t *p, size_t n, size_t off, bool wide)
{
    int k = sprintf(line, wide ? "%08zx  " : "%04zx  ", off);

    for (size_t i = 0; i < 16; i++) {
        if (i < n)
            k += sprintf(line + k, "%02x ", p[i]);
        else
            k += sprintf(line + k, "   ");
        if (i == 7)
            line[k++] = ' ';
    }
    line[k++] = ' ';
    line[k++] = '|';
    for (size_t i = 0; i < n; i++)
        line[k++] = isprint(p[i]) ? (char)p[i] : '.';
    line[k++] = '|';
    line[k++] = '\n';
    line[k] = '\0';
    return k;
}

size_t
scsi_disk_hexdump(const void *data, size_t len, char *buf, size_t buflen)
{
    const uint8_t *p = data;
    bool wide = len > 0x10000;
    size_t total = 0;

    if (buflen)
        buf[0] = '\0';
    for (size_t off = 0; off < len; off += 16) {
        char line[96];
        size_t k = (size_t)format_line(line, p + off, len - off < 16 ? len - off : 16, off,
                                       wide);

        if (total + 1 < buflen) {
            size_t room = buflen - 1 - total;

            memcpy(buf + total, line, k < room ? k : room);
            buf[total + (k < room ? k : room)] = '\0';
        }
        total += k;
    }
    return total;
}

int
scsi_disk_hexdump_file(FILE *f, const void *data, size_t len)
{
    const uint8_t *p = data;
    bool wide = len > 0x10000;

    for (size_t off = 0; off < len; off += 16) {
        char line[96];

        format_line(line, p + off, len - off < 16 ? len - off : 16, off, wide);
        if (fputs(line, f) == EOF)
            return -EIO;
    }
    return ferror(f) ? -EIO : 0;
}
