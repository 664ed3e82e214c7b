/* cmd_verifier.c: the verifier command: list the rules, switch them,
 * print the findings.
 *
 * Interface: cmd_verifier_entry.
 */
#include <errno.h>
#include <string.h>

#include "cmd/cmd_int.h"
#include "storsim/verifier.h"

static int
list(struct cmd_session *s)
{
    size_t n;
    const struct verifier_rule *r = verifier_rules(&n);

    for (size_t i = 0; i < n; i++)
        fprintf(s->out, "  %-26s %-9s %-3s %s\n", r[i].id,
                r[i].severity == VERIFIER_BUGCHECK ? "bug check" : "warning",
                r[i].enabled ? "on" : "off", r[i].name);
    return 0;
}

static int
verifier_exec(struct cmd_session *s, int argc, char **argv)
{
    size_t n;
    const struct verifier_rule *r = verifier_rules(&n);
    const char *ids[64];

    if (argc == 1 || !strcmp(argv[1], "list"))
        return list(s);
    if (!strcmp(argv[1], "report") && argc == 2) {
        verifier_report(s->out);
        return 0;
    }
    if (!strcmp(argv[1], "stop")) {
        bool on;
        if (argc == 2) {
            fprintf(s->out, "a warning finding %s the run\n",
                    verifier_stop() ? "stops" : "does not stop");
            return 0;
        }
        if (argc != 3 || cmd_parse_bool(argv[2], &on) < 0)
            return cmd_error(s, argc > 2 ? 2 : 1, "expected 'verifier stop "
                             "on' or 'verifier stop off'");
        verifier_set_stop(on);
        return 0;
    }
    if ((strcmp(argv[1], "enable") && strcmp(argv[1], "disable")) || argc < 3)
        return cmd_error(s, 1, "expected 'verifier list', 'verifier report', "
                         "'verifier stop on|off', 'verifier enable RULE...' "
                         "or 'verifier disable RULE...'");
    for (size_t i = 0; i < n && i < 63; i++)
        ids[i] = r[i].id;
    ids[n < 63 ? n : 63] = NULL;
    for (int w = 2; w < argc; w++)
        if (verifier_set_enabled(argv[w], argv[1][0] == 'e') < 0) {
            const char *hint = cmd_suggest(argv[w], ids);
            return cmd_error(s, w, "no rule '%s'%s%s%s ('verifier list' "
                             "lists them)", argv[w], hint ? ", did you mean '"
                             : "", hint ? hint : "", hint ? "'?" : "");
        }
    return 0;
}

const struct cmd_entry cmd_verifier_entry = {
    .name = "verifier",
    .usage = "verifier list|report|stop on|off|enable RULE|disable RULE",
    .help = "the run-time verifier: its rules, switching them, the findings",
    .long_help =
        "Each rule comes from the Microsoft documentation or the seeds.\n"
        "A bug-check rule stops the machine at the mistake; a warning is\n"
        "counted and reported at the end of the run (exit status 4).\n"
        "'verifier stop on' makes a warning stop the run too, like a\n"
        "breakpoint; the console turns it on, batch runs leave it off.",
    .exec = verifier_exec,
};
