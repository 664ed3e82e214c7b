/* cmd_faults.c: what goes wrong on purpose: the miniport's deliberate
 * bugs (bug), each caught by one verifier rule, and faults injected into
 * the simulated devices (fault).
 *
 * Interface: cmd_bug_entry, cmd_fault_entry (listed in cmd_misc.c).
 */
#include <errno.h>
#include <string.h>

#include "cmd/cmd_int.h"

/* ---------- bug ---------- */

static const struct { const char *name; uint32_t bit; const char *what; }
bugs[] = {
    { "buildio-writes-shared", MP_BUG_BUILDIO_WRITES_SHARED,
      "HwStorBuildIo updates a shared DeviceExtension counter without a lock" },
    { "lock-order", MP_BUG_LOCK_ORDER,
      "the completion DPC takes InterruptLock, then its DpcLock" },
    { "complete-twice", MP_BUG_COMPLETE_TWICE,
      "the completion DPC completes an SRB twice" },
    { "buildio-false-no-complete", MP_BUG_BUILDIO_FALSE_NO_COMPLETE,
      "HwStorBuildIo returns FALSE and nobody completes the SRB" },
    { "forget-next-request", MP_BUG_FORGET_NEXT_REQUEST,
      "SCSI Port: HwScsiStartIo never calls NextRequest" },
    { "next-lu-untagged", MP_BUG_NEXT_LU_UNTAGGED,
      "SCSI Port: NextLuRequest while an untagged request is active" },
    { "pio-poll-in-isr", MP_BUG_PIO_POLL_IN_ISR,
      "SCSI Port: HwScsiInterrupt polls a whole PIO transfer" },
    { "forget-disable-interrupts", MP_BUG_FORGET_DISABLE_INTERRUPTS,
      "SCSI Port: the enable callback skips CallDisableInterrupts" },
    { "dpc-lock-twice", MP_BUG_DPC_LOCK_TWICE,
      "HwStorDpcRoutine: StorPortAcquireSpinLock(DpcLock) twice" },
    { "dpc-keeps-lock", MP_BUG_DPC_KEEPS_LOCK,
      "HwStorDpcRoutine returns without StorPortReleaseSpinLock(DpcLock)" },
    { "complete-pending", MP_BUG_COMPLETE_PENDING,
      "HwStorDpcRoutine: RequestComplete with SRB_STATUS_PENDING" },
    { "slow-dpc", MP_BUG_SLOW_DPC,
      "HwStorDpcRoutine works 150 us on one SRB (limit 100 us)" },
    { "long-stall", MP_BUG_LONG_STALL,
      "HwStorStartIo calls StorPortStallExecution(200)" },
    { "pool-in-isr", MP_BUG_POOL_IN_ISR,
      "HwStorInterrupt calls StorPortAllocatePool at DIRQL" },
    { "startio-lock-in-startio", MP_BUG_STARTIO_LOCK_IN_STARTIO,
      "HwStorStartIo: StorPortAcquireSpinLock(StartIoLock)" },
    { "half-duplex-lock", MP_BUG_HALF_DUPLEX_LOCK,
      "half-duplex HwStorStartIo: StorPortAcquireSpinLock(DpcLock)" },
    { "complete-posted", MP_BUG_COMPLETE_POSTED,
      "HwStorStartIo: RequestComplete for an SRB the HBA still works on" },
    { "dpc-release-twice", MP_BUG_DPC_RELEASE_TWICE,
      "HwStorDpcRoutine: StorPortReleaseSpinLock(DpcLock) twice" },
    { "complete-unknown", MP_BUG_COMPLETE_UNKNOWN,
      "HwStorDpcRoutine: RequestComplete for an SRB of its own making" },
    { "lose-srb", MP_BUG_LOSE_SRB,
      "HwStorStartIo returns TRUE but never posts nor completes the SRB" },
    { "bad-register", MP_BUG_BAD_REGISTER,
      "HwStorStartIo: StorPortReadRegisterUlong outside the mapped range" },
    { "release-out-of-order", MP_BUG_RELEASE_OUT_OF_ORDER,
      "HwStorDpcRoutine: StorPortReleaseSpinLock(DpcLock) before InterruptLock" },
    { "dpc-spins", MP_BUG_DPC_SPINS,
      "HwStorDpcRoutine busy-waits 150 ms (the DPC watchdog allows 100 ms)" },
    { "touch-data-buffer", MP_BUG_TOUCH_DATA_BUFFER,
      "HwStorStartIo reads Srb->DataBuffer of a read or write (not mapped)" },
    { "bad-pointer", MP_BUG_BAD_POINTER,
      "HwStorStartIo follows a NULL pointer" },
    { "raise-no-lower", MP_BUG_RAISE_NO_LOWER,
      "HwStorStartIo calls KeRaiseIrql and returns without KeLowerIrql" },
    { "raise-to-lower", MP_BUG_RAISE_TO_LOWER,
      "HwStorStartIo calls KeRaiseIrql(PASSIVE_LEVEL) at DISPATCH_LEVEL" },
    { "dpc-raise-no-lower", MP_BUG_DPC_RAISE_NO_LOWER,
      "HwStorDpcRoutine calls KeRaiseIrql and returns without KeLowerIrql" },
    { "isr-never-claims", MP_BUG_ISR_NEVER_CLAIMS,
      "HwStorInterrupt returns FALSE and leaves the level line asserted" },
    { "startio-dpc-abba", MP_BUG_STARTIO_DPC_ABBA,
      "StartIoLock then DpcLock in StartIo, DpcLock then StartIoLock in "
      "the DPC" },
};

static int
bug_exec(struct cmd_session *s, int argc, char **argv)
{
    static const char *names[sizeof bugs / sizeof bugs[0] + 1];
    uint32_t *mask = &s->cfg.miniport.bugs;
    bool on;

    for (size_t i = 0; i < sizeof bugs / sizeof bugs[0]; i++)
        names[i] = bugs[i].name;
    if (argc == 1 || !strcmp(argv[1], "list")) {
        for (size_t i = 0; i < sizeof bugs / sizeof bugs[0]; i++)
            fprintf(s->out, "  %-26s %-3s %s\n", bugs[i].name,
                    *mask & bugs[i].bit ? "on" : "off", bugs[i].what);
        return 0;
    }
    if (strcmp(argv[1], "on") && strcmp(argv[1], "off"))
        return cmd_error(s, 1, "expected 'bug on NAME', 'bug off NAME' or "
                         "'bug list'");
    on = argv[1][1] == 'n';
    for (int w = 2; w < argc; w++) {
        size_t i;
        for (i = 0; i < sizeof bugs / sizeof bugs[0]; i++)
            if (!strcmp(argv[w], bugs[i].name))
                break;
        if (i == sizeof bugs / sizeof bugs[0]) {
            const char *hint = cmd_suggest(argv[w], names);
            return cmd_error(s, w, "unknown bug '%s'%s%s%s ('bug list' lists "
                             "them)", argv[w], hint ? ", did you mean '" : "",
                             hint ? hint : "", hint ? "'?" : "");
        }
        *mask = on ? *mask | bugs[i].bit : *mask & ~bugs[i].bit;
    }
    if (s->st != NULL && stack_device_extension(s->st) != NULL)
        mp_set_bugs(stack_device_extension(s->st), *mask,
                    s->cfg.miniport.bug_every);
    return 0;
}

const struct cmd_entry cmd_bug_entry = {
    .name = "bug", .usage = "bug on|off NAME... | bug list",
    .help = "switch the miniport's deliberate bugs on or off, even while it runs",
    .exec = bug_exec,
};

/* ---------- fault ---------- */

static int
fault_exec(struct cmd_session *s, int argc, char **argv)
{
    struct hba_fault_rule rule;
    char text[512] = "", err[256];
    int id;

    if (argc >= 2 && !strcmp(argv[1], "clear")) {
        if (s->st != NULL)
            hba_fault_clear(s->st->hba);
        return 0;
    }
    if (argc < 3 || strcmp(argv[1], "add"))
        return cmd_error(s, argc > 1 ? 1 : -1, "expected 'fault add KIND "
                         "[target=..] [lun=..] [op=..] [lba=A-B] [every=N] "
                         "[count=N] ...' or 'fault clear'");
    if (s->st == NULL)
        return cmd_error(s, 0, "faults go on a running adapter: 'boot' first");
    for (int i = 2; i < argc; i++) {
        strncat(text, argv[i], sizeof text - strlen(text) - 2);
        strcat(text, " ");
    }
    if (hba_fault_parse(text, &rule, err, sizeof err) < 0)
        return cmd_error(s, 2, "%s", err);
    if ((id = hba_fault_add(s->st->hba, &rule)) < 0)
        return cmd_error(s, 2, "cannot add the rule: %s", strerror(-id));
    fprintf(s->out, "fault %d added\n", id);
    return 0;
}

const struct cmd_entry cmd_fault_entry = {
    .name = "fault", .usage = "fault add KIND [KEY=VALUE]... | fault clear",
    .help = "inject device faults (medium-error, busy, drop-command, ...)",
    .long_help =
        "Kinds: medium-error, status, busy, task-set-full, drop-command,\n"
        "drop-interrupt, delay-interrupt, bus-reset, lun-remove, lun-arrive,\n"
        "power-loss. Keys: target=, lun=, op= (a number or a name such as\n"
        "read10), lba=N or lba=FIRST-LAST, every=N, count=N, status=, key=,\n"
        "asc=AA/QQ, delay= (a time). See docs/simhba.md section 8.",
    .exec = fault_exec,
};
