/* test_stats_json.c: the JSON writer of the statistics (stats_json_*), and
 * a strict JSON syntax checker the other statistics and export tests use.
 *
 * Interface: stats_json_suite() for the runner; json_check() for
 * tests/test_stats.c and tests/test_trace_export.c (declared there too:
 * a test file may not have a header of its own).
 *
 * The checker follows RFC 8259 to the letter -- no trailing commas, no
 * leading zeros, no NaN, no raw control characters, valid escapes and
 * valid UTF-8 only, exactly one top-level value -- so that "the checker
 * accepts it" means a strict parser (Perfetto's, Python's) will too.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storsim/stats.h"

int json_check(const char *text, size_t len, char *err, size_t errlen);

/* ---------- the checker ---------- */

struct jc {
    const unsigned char *p, *end, *start;
    int depth;
    const char *why;
};

static bool jc_value(struct jc *c);

static void
jc_ws(struct jc *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' ||
                             *c->p == '\r'))
        c->p++;
}

static bool
jc_fail(struct jc *c, const char *why)
{
    if (c->why == NULL)
        c->why = why;
    return false;
}

static bool
jc_lit(struct jc *c, const char *word)
{
    size_t n = strlen(word);

    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
        return jc_fail(c, "unexpected character");
    c->p += n;
    return true;
}

static bool
jc_digits(struct jc *c)
{
    const unsigned char *s = c->p;

    while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
        c->p++;
    return c->p > s || jc_fail(c, "digit expected");
}

static bool
jc_number(struct jc *c)
{
    if (c->p < c->end && *c->p == '-')
        c->p++;
    if (c->p < c->end && *c->p == '0') {
        c->p++;
        if (c->p < c->end && *c->p >= '0' && *c->p <= '9')
            return jc_fail(c, "leading zero");
    } else if (!jc_digits(c)) {
        return false;
    }
    if (c->p < c->end && *c->p == '.') {
        c->p++;
        if (!jc_digits(c))
            return false;
    }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        c->p++;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
            c->p++;
        if (!jc_digits(c))
            return false;
    }
    return true;
}

/* One UTF-8 sequence starting at c->p (a byte >= 0x80). */
static bool
jc_utf8(struct jc *c)
{
    unsigned char b = *c->p;
    int n = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3
          : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    unsigned cp = n == 2 ? b & 0x1Fu : n == 3 ? b & 0x0Fu : b & 0x07u;

    if (n == 0 || c->end - c->p < n)
        return jc_fail(c, "invalid UTF-8");
    for (int i = 1; i < n; i++) {
        if ((c->p[i] & 0xC0) != 0x80)
            return jc_fail(c, "invalid UTF-8");
        cp = (cp << 6) | (c->p[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return jc_fail(c, "invalid UTF-8");
    c->p += n;
    return true;
}

static bool
jc_escape(struct jc *c)
{
    c->p++;                                 /* the backslash */
    if (c->p >= c->end)
        return jc_fail(c, "unterminated escape");
    if (strchr("\"\\/bfnrt", *c->p) != NULL && *c->p != '\0') {
        c->p++;
        return true;
    }
    if (*c->p != 'u')
        return jc_fail(c, "bad escape");
    c->p++;
    for (int i = 0; i < 4; i++, c->p++)
        if (c->p >= c->end || strchr("0123456789abcdefABCDEF", *c->p) == NULL ||
            *c->p == '\0')
            return jc_fail(c, "bad \\u escape");
    return true;
}

static bool
jc_string(struct jc *c)
{
    c->p++;                                 /* the opening quote */
    while (c->p < c->end && *c->p != '"') {
        if (*c->p < 0x20)
            return jc_fail(c, "control character in a string");
        if (*c->p == '\\') {
            if (!jc_escape(c))
                return false;
        } else if (*c->p >= 0x80) {
            if (!jc_utf8(c))
                return false;
        } else {
            c->p++;
        }
    }
    if (c->p >= c->end)
        return jc_fail(c, "unterminated string");
    c->p++;
    return true;
}

/* An object or array: open and close are its brackets. */
static bool
jc_container(struct jc *c, bool object)
{
    char close = object ? '}' : ']';

    if (++c->depth > 512)
        return jc_fail(c, "nested too deeply");
    c->p++;
    jc_ws(c);
    if (c->p < c->end && *c->p == close) {
        c->p++;
        c->depth--;
        return true;
    }
    for (;;) {
        jc_ws(c);
        if (object) {
            if (c->p >= c->end || *c->p != '"')
                return jc_fail(c, "key expected");
            if (!jc_string(c))
                return false;
            jc_ws(c);
            if (c->p >= c->end || *c->p != ':')
                return jc_fail(c, "':' expected");
            c->p++;
        }
        if (!jc_value(c))
            return false;
        jc_ws(c);
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            continue;
        }
        if (c->p < c->end && *c->p == close) {
            c->p++;
            c->depth--;
            return true;
        }
        return jc_fail(c, "',' or end of container expected");
    }
}

static bool
jc_value(struct jc *c)
{
    jc_ws(c);
    if (c->p >= c->end)
        return jc_fail(c, "value expected");
    switch (*c->p) {
    case '{': return jc_container(c, true);
    case '[': return jc_container(c, false);
    case '"': return jc_string(c);
    case 't': return jc_lit(c, "true");
    case 'f': return jc_lit(c, "false");
    case 'n': return jc_lit(c, "null");
    default:
        if (*c->p == '-' || (*c->p >= '0' && *c->p <= '9'))
            return jc_number(c);
        return jc_fail(c, "value expected");
    }
}

/* 0 if `text` is exactly one valid JSON value (with whitespace around),
 * else -1 with the reason and offset in err. */
int
json_check(const char *text, size_t len, char *err, size_t errlen)
{
    struct jc c = { (const unsigned char *)text,
                    (const unsigned char *)text + len,
                    (const unsigned char *)text, 0, NULL };
    bool ok = jc_value(&c);

    if (ok) {
        jc_ws(&c);
        if (c.p != c.end)
            ok = jc_fail(&c, "text after the value");
    }
    if (!ok && err != NULL)
        snprintf(err, errlen, "%s at offset %zu", c.why,
                 (size_t)(c.p - c.start));
    return ok ? 0 : -1;
}

/* ---------- helpers ---------- */

static char *buf;
static size_t buflen;
static FILE *mem;
static struct stats_json w;

static void
open_mem(int pretty)
{
    free(buf);
    buf = NULL;
    mem = open_memstream(&buf, &buflen);
    ck_assert_ptr_nonnull(mem);
    stats_json_init(&w, mem, pretty);
}

/* Finish the writer, close the stream; returns what finish returned. */
static int
close_mem(void)
{
    int rc = stats_json_finish(&w);

    fclose(mem);
    mem = NULL;
    return rc;
}

static void
teardown(void)
{
    if (mem != NULL)
        fclose(mem);
    mem = NULL;
    free(buf);
    buf = NULL;
}

static bool
valid(const char *s)
{
    char err[96];

    return json_check(s, strlen(s), err, sizeof err) == 0;
}

/* ---------- the checker itself ---------- */

START_TEST(checker_accepts_valid_json)
{
    ck_assert(valid("{}"));
    ck_assert(valid(" [1, -0, 0.5, -1.25e+10, 2E-3, true, false, null] "));
    ck_assert(valid("{\"a\":{\"b\":[\"\\u00e9\\n\\\"\", \"\xc3\xa9\"]}}"));
    ck_assert(valid("\"\xf0\x9f\x98\x80\""));       /* U+1F600 */
}
END_TEST

START_TEST(checker_rejects_invalid_json)
{
    ck_assert(!valid(""));
    ck_assert(!valid("[1,]"));
    ck_assert(!valid("{\"a\":1,}"));
    ck_assert(!valid("{'a':1}"));
    ck_assert(!valid("[01]"));
    ck_assert(!valid("[1.]"));
    ck_assert(!valid("[NaN]"));
    ck_assert(!valid("[\"a\tb\"]"));                /* raw control character */
    ck_assert(!valid("[\"\\x41\"]"));               /* not a JSON escape */
    ck_assert(!valid("[\"\\u12\"]"));
    ck_assert(!valid("[\"\xc3\"]"));                /* truncated UTF-8 */
    ck_assert(!valid("[\"\xed\xa0\x80\"]"));        /* a surrogate */
    ck_assert(!valid("{\"a\" 1}"));
    ck_assert(!valid("[1] [2]"));
    ck_assert(!valid("[[[1]]"));
}
END_TEST

/* ---------- the writer ---------- */

START_TEST(writer_escapes_strings)
{
    open_mem(0);
    stats_json_array_begin(&w);
    stats_json_string(&w, "q\" b\\ n\n t\t c\x01 d\x7f");
    stats_json_string(&w, "caf\xc3\xa9");           /* valid UTF-8 kept */
    stats_json_string(&w, "bad\xff\xc3(");          /* invalid bytes replaced */
    stats_json_string(&w, NULL);
    stats_json_array_end(&w);
    ck_assert_int_eq(close_mem(), 0);
    ck_assert_str_eq(buf, "[\"q\\\" b\\\\ n\\n t\\t c\\u0001 d\\u007f\","
                          "\"caf\xc3\xa9\",\"bad\\ufffd\\ufffd(\",null]\n");
    ck_assert(valid(buf));
}
END_TEST

START_TEST(writer_formats_numbers)
{
    open_mem(0);
    stats_json_array_begin(&w);
    stats_json_uint(&w, UINT64_MAX);
    stats_json_int(&w, INT64_MIN);
    stats_json_int(&w, 0);
    stats_json_double(&w, 0.1);
    stats_json_double(&w, 1e300 * 1e300);           /* infinity */
    stats_json_double(&w, NAN);
    stats_json_time_us(&w, 12345);
    stats_json_time_us(&w, 5);
    stats_json_time_us(&w, SIM_SEC(2));
    stats_json_bool(&w, true);
    stats_json_null(&w);
    stats_json_array_end(&w);
    ck_assert_int_eq(close_mem(), 0);
    ck_assert_str_eq(buf, "[18446744073709551615,-9223372036854775808,0,0.1,"
                          "null,null,12.345,0.005,2000000.000,true,null]\n");
    ck_assert(valid(buf));
}
END_TEST

START_TEST(writer_indents_to_the_pretty_depth)
{
    open_mem(1);
    stats_json_object_begin(&w);
    stats_json_key(&w, "a");
    stats_json_uint(&w, 1);
    stats_json_key(&w, "b");
    stats_json_array_begin(&w);
    stats_json_uint(&w, 2);
    stats_json_uint(&w, 3);
    stats_json_array_end(&w);
    stats_json_key(&w, "c");
    stats_json_object_begin(&w);
    stats_json_object_end(&w);
    stats_json_object_end(&w);
    ck_assert_int_eq(close_mem(), 0);
    ck_assert_str_eq(buf, "{\n  \"a\": 1,\n  \"b\": [2,3],\n  \"c\": {}\n}\n");
}
END_TEST

START_TEST(writer_reports_misuse)
{
    open_mem(0);
    stats_json_object_begin(&w);
    stats_json_uint(&w, 1);                         /* a value with no key */
    stats_json_object_end(&w);
    ck_assert_int_eq(close_mem(), -EINVAL);

    open_mem(0);
    stats_json_array_begin(&w);                     /* never closed */
    ck_assert_int_eq(close_mem(), -EINVAL);

    open_mem(0);
    stats_json_array_begin(&w);
    stats_json_object_end(&w);                      /* the wrong bracket */
    ck_assert_int_eq(close_mem(), -EINVAL);

    open_mem(0);
    stats_json_key(&w, "top");                      /* a key outside an object */
    ck_assert_int_eq(close_mem(), -EINVAL);
}
END_TEST

START_TEST(writer_reports_write_errors)
{
    FILE *full = fopen("/dev/full", "w");

    if (full == NULL)
        return;                 /* no /dev/full here: nothing to test */
    stats_json_init(&w, full, 0);
    stats_json_array_begin(&w);
    for (int i = 0; i < 10000; i++)
        stats_json_uint(&w, (uint64_t)i);
    stats_json_array_end(&w);
    ck_assert_int_eq(stats_json_finish(&w), -EIO);
    fclose(full);
}
END_TEST

/* Whatever bytes a string holds, the document stays valid JSON. */
START_TEST(writer_output_is_always_valid)
{
    uint64_t x = 88172645463325252ull;
    char s[40];

    open_mem(2);
    stats_json_object_begin(&w);
    for (int i = 0; i < 2000; i++) {
        for (size_t j = 0; j + 1 < sizeof s; j++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            s[j] = (char)(1 + x % 255);
        }
        s[sizeof s - 1] = '\0';
        stats_json_key(&w, s);
        stats_json_string(&w, s);
    }
    stats_json_object_end(&w);
    ck_assert_int_eq(close_mem(), 0);
    ck_assert_msg(valid(buf), "random strings broke the JSON");
}
END_TEST

Suite *
stats_json_suite(void)
{
    Suite *s = suite_create("stats_json");
    TCase *checker = tcase_create("checker");
    TCase *writer = tcase_create("writer");

    tcase_add_test(checker, checker_accepts_valid_json);
    tcase_add_test(checker, checker_rejects_invalid_json);
    tcase_add_checked_fixture(writer, NULL, teardown);
    tcase_add_test(writer, writer_escapes_strings);
    tcase_add_test(writer, writer_formats_numbers);
    tcase_add_test(writer, writer_indents_to_the_pretty_depth);
    tcase_add_test(writer, writer_reports_misuse);
    tcase_add_test(writer, writer_reports_write_errors);
    tcase_add_test(writer, writer_output_is_always_valid);
    suite_add_tcase(s, checker);
    suite_add_tcase(s, writer);
    return s;
}
