#!/usr/bin/env bash
# tools/deps.sh -- check for, and on Debian/Ubuntu install, what storsim needs.
#
# Interface: `make deps` runs this script; `make all`, `make run` and
# `make check` run it by themselves when their cheap test in the Makefile
# finds something missing.  Exit status 0 means every library and tool is
# present afterwards.
#
# What storsim needs:
#   libraries (found with pkg-config): ncursesw, libedit, check
#   commands: doxygen, dot (graphviz), tmux (for the console tests)
#
# When something is missing and we are root on Debian or Ubuntu, we install
# the Debian packages; otherwise we print the command to run and fail.  We
# never call sudo ourselves: a build that asks for a password is a surprise.
set -euo pipefail

LIBS=(ncursesw libedit check)
COMMANDS=(doxygen dot tmux)
DEBIAN_PACKAGES="libncurses-dev libedit-dev check libsubunit-dev doxygen graphviz tmux pkg-config"

# Print what is missing, one item per line (nothing when all is there).
missing() {
    local lib cmd
    if ! command -v pkg-config >/dev/null 2>&1; then
        echo "command pkg-config"
    else
        for lib in "${LIBS[@]}"; do
            pkg-config --exists "$lib" || echo "library $lib (pkg-config)"
        done
    fi
    for cmd in "${COMMANDS[@]}"; do
        command -v "$cmd" >/dev/null 2>&1 || echo "command $cmd"
    done
}

todo=$(missing)
if [ -z "$todo" ]; then
    echo "deps: everything storsim needs is installed."
    exit 0
fi

echo "deps: missing:"
echo "$todo" | sed 's/^/  /'

if [ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ]; then
    echo "deps: installing Debian packages: $DEBIAN_PACKAGES"
    apt-get update
    # shellcheck disable=SC2086  # the package list is meant to split into words
    DEBIAN_FRONTEND=noninteractive apt-get install -y $DEBIAN_PACKAGES
    todo=$(missing)
    if [ -n "$todo" ]; then
        echo "deps: still missing after apt-get install:" >&2
        echo "$todo" | sed 's/^/  /' >&2
        exit 1
    fi
    echo "deps: done."
    exit 0
fi

{
    if [ -f /etc/debian_version ]; then
        echo "deps: not root, so not installing anything.  Run:"
    else
        echo "deps: not a Debian/Ubuntu system.  On Debian or Ubuntu you would run:"
    fi
    echo
    echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y $DEBIAN_PACKAGES"
    echo
    if [ ! -f /etc/debian_version ]; then
        echo "Elsewhere, install the equivalents: ncursesw, libedit, check (with"
        echo "its subunit dependency), doxygen, graphviz, tmux and pkg-config."
    fi
} >&2
exit 1
