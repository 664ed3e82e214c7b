#!/usr/bin/env bash
# run.sh: the console tests. They drive the real console (build/storsim on
# a terminal) inside tmux, as a person would, and assert on the screen
# tmux captures; then they compare `screen dump` of every built-in
# scenario with the golden files in tests/console/golden/.
#
#   bash tests/console/run.sh            run them (make check does)
#   bash tests/console/run.sh --update   rewrite the golden files (after a
#                                        change that is meant to change them)
#
# Environment: STORSIM, the program (default build/storsim). tmux provides
# the terminal, so this runs in CI without one. Every wait polls the
# captured screen for the text it expects, with a deadline; nothing sleeps
# hoping the console has caught up. The tmux server is private (its own
# socket) and is killed on exit. The exit status is 0 only if every check
# passed; each failure prints what was expected and the screen.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
STORSIM=${STORSIM:-$top/build/storsim}
SOCK=storsim-test-$$
TMP=$(mktemp -d)
UPDATE=0
[ "${1:-}" = "--update" ] && UPDATE=1
checks=0
failures=0

tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
# tmux leaves its socket file behind when the server is killed.
cleanup() {
    tm kill-server >/dev/null 2>&1
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
    rm -rf "$TMP"
}
trap cleanup EXIT

if ! command -v tmux >/dev/null; then
    echo "console tests: tmux is not installed" >&2
    exit 1
fi
if [ ! -x "$STORSIM" ]; then
    echo "console tests: no program at $STORSIM (make first)" >&2
    exit 1
fi

screen() { tm capture-pane -p -t t 2>/dev/null; }
keys() { tm send-keys -t t "$@"; }
# A command through the console's command line.
command_line() { keys ':'; keys -l "$1"; keys Enter; }
now_ms() { date +%s%3N; }

fail() {
    failures=$((failures + 1))
    echo "FAIL: $*"
    echo "---- the screen ----"
    screen
    echo "--------------------"
}

# wait_for TEXT [SECONDS]: until the screen shows TEXT (a fixed string).
wait_for() {
    local deadline=$(( $(now_ms) + ${2:-15} * 1000 ))
    checks=$((checks + 1))
    until screen | grep -qF -- "$1"; do
        if [ "$(now_ms)" -ge "$deadline" ]; then
            fail "waited ${2:-15} s for '$1'"
            return 1
        fi
        sleep 0.05          # the polling interval, not a synchronisation
    done
}

# wait_gone TEXT [SECONDS]: until the screen no longer shows TEXT.
wait_gone() {
    local deadline=$(( $(now_ms) + ${2:-15} * 1000 ))
    checks=$((checks + 1))
    while screen | grep -qF -- "$1"; do
        if [ "$(now_ms)" -ge "$deadline" ]; then
            fail "waited ${2:-15} s for '$1' to go away"
            return 1
        fi
        sleep 0.05
    done
}

# expect_line REGEX: a line of the screen matches (extended regex).
expect_line() {
    checks=$((checks + 1))
    screen | grep -qE -- "$1" || fail "no line matches /$1/"
}

# The event count in the status bar.
event_count() { screen | sed -n '1s/.*| event \([0-9]*\) |.*/\1/p'; }

# start COLS ROWS ENV... -- ARGS...: the console in a fresh tmux session.
start() {
    local cols=$1 rows=$2 envs=()
    shift 2
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    tm kill-session -t t >/dev/null 2>&1
    tm new-session -d -s t -x "$cols" -y "$rows" \
        "env STORSIM_HISTORY='$TMP/history' STORSIM_RC='$TMP/rc' ${envs[*]} '$STORSIM' $*; \
         echo \"exit status \$?\"; exec sleep 3600"
}

# ---------- a session: start, step, break, continue, resize, back, quit --

session() {
    local cols=$1 rows=$2 title=$3 n e
    shift 3
    start "$cols" "$rows" "$@" -- || return
    wait_for "ready: s steps" || return
    wait_for "The default: Storport in full duplex"     # the lesson
    keys Escape
    wait_gone "The default: Storport in full duplex" || return
    wait_for "$title"
    n=$(event_count)
    keys s
    wait_for "event $((n + 1)) |" || return
    keys s s s
    wait_for "event $((n + 4)) |" || return
    command_line "stpe"                                  # an error, in place
    wait_for "unknown command 'stpe', did you mean 'step'?"
    keys ':' 'brea' Tab                                  # completion
    wait_for ":break" && keys C-u Escape                # (no trailing blank)
    command_line "break routine HwStorStartIo"
    wait_for "breakpoint 1: routine HwStorStartIo" || return
    keys c
    wait_for "breakpoint 1: routine HwStorStartIo, at" || return
    expect_line '^[ >][0-9] +DISPATCH +[a-z]+ +[0-9]+ +HwStorStartIo'
    e=$(event_count)
    keys '?'                                             # the help overlay
    wait_for "Keys (each runs a command"
    keys Escape
    wait_gone "Keys (each runs a command"
    command_line "pane focus events"                     # scrolling
    wait_for "Events (newest last" || return
    keys PgUp
    wait_for "(scrolled: Home)" || return
    keys Home
    wait_gone "(scrolled: Home)" || return
    resize "$cols" "$rows" "$e" || return
    keys b                                               # reverse step
    wait_for "event $((e - 1)) |" || return
    wait_for "at event $((e - 1)) (replayed"
    keys c
    wait_for "event $e |"                                # the same hit again
    keys q
    wait_for "exit status 0" || return
    checks=$((checks + 1))
    grep -q "break.*routine.*HwStorStartIo" "$TMP/history" ||
        fail "the history file lacks the command"
}

# Resize to the other size and back, and below the minimum.
resize() {
    local cols=$1 rows=$2 e=$3
    if [ "$cols" -ge 160 ]; then
        tm resize-window -t t -x 80 -y 24
        wait_gone "Locks" || return                      # the small layout
    else
        tm resize-window -t t -x 200 -y 50
        wait_for "Locks" || return                       # the wide layout
    fi
    wait_for "event $e |"
    tm resize-window -t t -x 70 -y 20
    wait_for "needs a terminal of at least 80x24" || return
    tm resize-window -t t -x "$cols" -y "$rows"
    wait_gone "needs a terminal of at least" || return
    keys C-l                                             # redraw
    wait_for "event $e |"
}

echo "  console: 80x24, ASCII and monochrome (NO_COLOR)"
session 80 24 "=[ CPUs (4) ]=" STORSIM_ASCII=1 NO_COLOR=1 LANG=C.UTF-8
echo "  console: 200x50, UTF-8 and colour"
session 200 50 "━[ CPUs (4) ]━" LANG=C.UTF-8

# ---------- a bug check, and a crash: the terminal comes back ----------

alternate_screen() { tm display-message -p -t t '#{alternate_on}'; }

bugcheck_and_crash() {
    local pid
    start 100 30 LANG=C.UTF-8 -- || return
    wait_for "ready: s steps" || return
    keys Escape
    command_line "bug on complete-twice"
    keys c
    wait_for "The simulated machine has stopped (a bug check)" || return
    wait_for "DRIVER_VERIFIER_DETECTED_VIOLATION"
    wait_for "was completed twice"
    keys b                                          # back out of it
    wait_for "(replayed" || return
    keys c
    wait_for "The simulated machine has stopped (a bug check)" || return
    keys q                                          # leave on the report
    wait_for "exit status 3" || return
    wait_for "STOP 0x000000C4"                      # printed after leaving
    checks=$((checks + 1))
    [ "$(alternate_screen)" = 0 ] || fail "the terminal was not restored"
    start 100 30 LANG=C.UTF-8 -- || return
    wait_for "ready: s steps" || return
    checks=$((checks + 1))
    [ "$(alternate_screen)" = 1 ] || fail "the console is not full-screen"
    pid=$(pgrep -P "$(tm display-message -p -t t '#{pane_pid}')" |
          head -n 1)
    checks=$((checks + 1))
    [ -n "$pid" ] || { fail "cannot find the console's process"; return; }
    kill -SEGV "$pid"
    wait_for "exit status 139" || return            # 128 + SIGSEGV
    checks=$((checks + 1))
    [ "$(alternate_screen)" = 0 ] || fail "a crash left the terminal in the \
console's screen"
}

echo "  console: a bug check, and a crash signal"
bugcheck_and_crash

# ---------- the rc file: bindings that last, a bad line named ----------

rc_file() {
    printf '# console settings\nbind z echo rc-key-works\nbogus-command\n' \
        > "$TMP/rc-keys"
    start 100 30 LANG=C.UTF-8 STORSIM_RC="'$TMP/rc-keys'" -- || return
    wait_for "rc-keys:3: unknown command 'bogus-command'" || return
    keys Escape
    keys z
    wait_for "rc-key-works"
    keys q
    wait_for "exit status 0"
}

echo "  console: bindings from the rc file"
rc_file

# ---------- golden screens: `screen dump` of every built-in scenario ------

golden() {
    local sc=$1 file
    start 200 50 LANG=C.UTF-8 -- run "$sc" || return
    wait_for "ready: s steps" || return
    keys Escape
    command_line "step 300"
    command_line "screen dump $TMP/$sc.txt 200x50"
    wait_for "wrote 200x50 screen to" || return
    command_line "goto 3000"
    command_line "screen dump $TMP/$sc-80x24.txt 80x24"
    wait_for "wrote 80x24 screen to" || return
    keys q
    wait_for "exit status" || return
    for file in "$sc.txt" "$sc-80x24.txt"; do
        checks=$((checks + 1))
        if [ "$UPDATE" = 1 ]; then
            mkdir -p "$here/golden"
            cp "$TMP/$file" "$here/golden/$file"
        elif [ ! -f "$here/golden/$file" ]; then
            fail "no golden file tests/console/golden/$file (a new scenario? \
run 'bash tests/console/run.sh --update' and check the file)"
        elif ! diff -u "$here/golden/$file" "$TMP/$file"; then
            failures=$((failures + 1))
            echo "FAIL: screen dump of '$sc' differs from" \
                 "tests/console/golden/$file (above); if the change is meant," \
                 "run 'bash tests/console/run.sh --update'"
        fi
    done
}

echo "  console: golden screens of every scenario"
for sc in $("$STORSIM" scenarios </dev/null | awk '{ print $1 }'); do
    golden "$sc"
done

echo "  console: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
