/* scenarios.c: the built-in scenarios, as command scripts. Each starts
 * with a comment saying what to watch.
 *
 * Interface: cmd_scenarios[], cmd_scenario_find(), cmd_run_scenario().
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd_int.h"

const struct cmd_scenario cmd_scenarios[] = {
    { "default",
      "Storport, full duplex, work in HwStorBuildIo, random 4k on 4 CPUs",
      "# The default: Storport in full duplex, the miniport's per-SRB work\n"
      "# in HwStorBuildIo, a random 4 KiB workload from every CPU with every\n"
      "# read verified.\n"
      "# Watch: HwStorBuildIo on several CPUs at once holding no lock;\n"
      "# HwStorStartIo one at a time under StartIoLock at DISPATCH_LEVEL;\n"
      "# the ISR at DIRQL queueing the completion DPC.\n"
      "workload pattern=random bs=4k qd=8 count=20000 read=70\n"
      "workload start\n"
      "run\n" },
    { "buildio-vs-startio",
      "a CPU-heavy miniport with its per-SRB work in HwStorStartIo",
      "# The seeds' lesson, the slow side: 8 us of per-SRB work done in\n"
      "# HwStorStartIo, under StartIoLock, so only one CPU at a time does it.\n"
      "# Watch: 'show locks' -- StartIoLock's spin time; the IOPS. Then run\n"
      "# 'storsim compare buildio-vs-startio' for the table with the work\n"
      "# moved to HwStorBuildIo.\n"
      "set miniport.cost-per-srb 8us\n"
      "set miniport.work startio\n"
      "workload pattern=random bs=4k qd=8 count=20000 read=70\n"
      "workload start\n"
      "run\n"
      "show locks\n" },
    { "duplex",
      "half duplex: HwStorStartIo at DIRQL under the interrupt lock",
      "# Half duplex (StorSynchronizeHalfDuplex): HwStorStartIo runs at DIRQL\n"
      "# holding the interrupt lock, so it never overlaps HwStorInterrupt.\n"
      "# Watch: InterruptLock's spin time in 'show locks' and the interrupt\n"
      "# latency in 'show interrupts', against the default (full duplex).\n"
      "set miniport.duplex half\n"
      "set miniport.cost-per-srb 4us\n"
      "set miniport.work startio\n"
      "workload pattern=random bs=4k qd=8 count=20000 read=70\n"
      "workload start\n"
      "run\n"
      "show locks\n"
      "show interrupts\n" },
    { "errors",
      "medium errors, BUSY, a dropped command: sense, reissue, timeout, reset",
      "# Errors and recovery. A medium error comes back as CHECK CONDITION\n"
      "# with sense 03/11/00; BUSY makes the port send the SRB again through\n"
      "# HwStorBuildIo; a dropped command times out after its TimeOutValue\n"
      "# (2 s here), the port calls HwStorResetBus and holds the queue.\n"
      "# Watch: the failed requests counted by status and sense key; the\n"
      "# 'request timed out: resetting the bus' line; nothing lost.\n"
      "boot\n"
      "fault add medium-error lba=1000-1999\n"
      "fault add busy every=50 count=20\n"
      "fault add drop-command count=1\n"
      "workload pattern=random bs=4k qd=4 count=4000 read=80 timeout=2 "
      "size=2M\n"
      "workload start\n"
      "run\n" },
    { "scsiport",
      "the SCSI Port pull model: one HwScsiStartIo at a time, NextRequest",
      "# The SCSI Port model (seed 004): the port queues every request and\n"
      "# starts the next one only after the miniport calls\n"
      "# ScsiPortNotification(NextRequest); HwScsiStartIo runs at DIRQL\n"
      "# holding the interrupt lock, one at a time on the whole machine.\n"
      "# Watch: the IOPS and latency against 'default'; in the console,\n"
      "# CPUs spinning on the interrupt lock while one runs StartIo.\n"
      "set adapter.port scsiport\n"
      "set miniport.cost-per-srb 4us\n"
      "workload pattern=random bs=4k qd=8 count=20000 read=70\n"
      "workload start\n"
      "run\n"
      "show locks\n" },
    { "pio-mouse",
      "programmed I/O under SCSI Port, deferred out of the ISR; the mouse, "
      "a serial and a parallel port",
      "# Seed 003: an interrupt-driven PIO transfer longer than 50 us must\n"
      "# not be polled in HwScsiInterrupt -- the mouse pointer would jump,\n"
      "# serial and parallel throughput would drop. Here the ISR defers it\n"
      "# (CallEnableInterrupts): the data moves with system interrupts\n"
      "# enabled. Watch the summary's mouse, serial and parallel lines and\n"
      "# 'show interrupts'; then 'set miniport.pio-strategy cap' (short\n"
      "# transfers, for an HBA whose interrupts cannot be disabled) or\n"
      "# 'poll' (before boot) and compare: the latency grows by orders of\n"
      "# magnitude, the serial port loses bytes, the printer stands still.\n"
      "set adapter.port scsiport\n"
      "set miniport.pio on\n"
      "set miniport.pio-strategy defer\n"
      "set machine.serial on\n"
      "set machine.parallel on\n"
      "workload pattern=random bs=64k qd=2 count=500 read=50\n"
      "workload start\n"
      "run\n"
      "show interrupts\n" },
    { NULL, NULL, NULL },
};

const struct cmd_scenario *
cmd_scenario_find(const char *name)
{
    for (const struct cmd_scenario *sc = cmd_scenarios; sc->name; sc++)
        if (strcmp(sc->name, name) == 0)
            return sc;
    return NULL;
}

int
cmd_run_scenario(struct cmd_session *s, const struct cmd_scenario *sc)
{
    char file[64], line[1024];
    const char *p = sc->script;
    int lineno = 0, rc;

    snprintf(file, sizeof file, "scenario:%s", sc->name);
    while (*p != '\0' && !s->quit) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n >= sizeof line)
            n = sizeof line - 1;
        memcpy(line, p, n);
        line[n] = '\0';
        lineno++;
        if ((rc = cmd_run_line(s, line, file, lineno)) < 0)
            return rc;
        p += nl ? n + 1 : n;
    }
    return 0;
}
