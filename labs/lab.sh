#!/bin/sh
# lab.sh: make a lab's student file, grade it, and prove every lab gradable.
# The Makefile runs it (`make lab`, `make grade`, `make check`) with the
# build's compiler and flags in the environment:
#
#   CC CPPFLAGS CFLAGS LDFLAGS LIBS CHECK_CFLAGS CHECK_LIBS
#   OBJ      the build's object directory (OBJ/lib.list lists the library)
#   OUT      where lab builds and results go (e.g. build/labs)
#
#   lab.sh skeleton LAB           write labs/NN-name/student.c, unless it
#                                 exists: the routine to write, with a TODO
#   lab.sh grade LAB [STUDENT]    build the simulator around STUDENT
#                                 (default labs/NN-name/student.c) and run
#                                 the lab's tests: "Score: x/y" and
#                                 OUT/NN-name/results.{json,tap,xml}
#   lab.sh check                  for every lab: the reference routine
#                                 scores full marks (twice, the same), the
#                                 skeleton builds and does not
#
# LAB is a number (1), the folder's number (01) or its name (01-build-io).
set -eu

here=$(dirname "$0")

die() { echo "lab: $*" >&2; exit 2; }

# The lab folder for LAB.
find_lab() {
    case $1 in
    '') die "which lab? give LAB=N (the labs: $(ls -d "$here"/[0-9][0-9]-* | xargs -n1 basename | paste -sd ' '))" ;;
    *[!0-9]*) dir=$here/$1 ;;
    *) dir=$(ls -d "$here"/$(printf '%02d' "$1")-* 2>/dev/null | head -n 1) ;;
    esac
    [ -n "$dir" ] && [ -f "$dir/lab.conf" ] || die "no lab '$1' in $here"
    echo "$dir"
}

# conf KEY DIR: a value from DIR/lab.conf (KEY=VALUE lines, # comments).
conf() {
    sed -n "s/^$1=//p" "$2/lab.conf" | head -n 1
}

region_of() {
    awk -f "$here/tools/region.awk" -v mode="$1" -v name="$(conf region "$2")" \
        "$(conf source "$2")"
}

skeleton() {
    dir=$(find_lab "$1")
    if [ -e "$dir/student.c" ]; then
        echo "lab: $dir/student.c exists; not overwriting it"
        return 0
    fi
    region_of skeleton "$dir" > "$dir/student.c"
    echo "lab: wrote $dir/student.c: write the routine there, then 'make grade LAB=$1'"
}

# grade DIR STUDENT OUTDIR: build and run; the grader's exit status.
grade_into() {
    dir=$1 student=$2 out=$3
    source=$(conf source "$dir")
    name=$(basename "$dir")
    [ -f "$student" ] || die "no student file $student (make lab LAB=$name writes one)"
    mkdir -p "$out"
    awk -f "$here/tools/region.awk" -v mode=splice -v name="$(conf region "$dir")" \
        -v student="$student" -v source="$source" "$source" > "$out/spliced.c" ||
        die "$source has no region '$(conf region "$dir")'"
    # The student's file may leave the reference's helpers unused.
    $CC $CPPFLAGS $CFLAGS -Wno-unused-function -Wno-unused-but-set-variable \
        -c -o "$out/spliced.o" "$out/spliced.c" || return 3
    # (Called from an || list, where set -e does not stop anything.)
    $CC $CPPFLAGS -I. $CFLAGS $CHECK_CFLAGS -c -o "$out/tests.o" "$dir/tests.c" ||
        return 2
    for f in grade lab_cmd; do
        $CC $CPPFLAGS -I. $CFLAGS $CHECK_CFLAGS -c -o "$out/$f.o" \
            "$here/grader/$f.c" || return 2
    done
    objs=$(grep -v "^$OBJ/$source.o\$" "$OBJ/lib.list")
    # shellcheck disable=SC2086
    $CC $LDFLAGS -o "$out/grade" "$out/spliced.o" "$out/tests.o" "$out/grade.o" \
        "$out/lab_cmd.o" $objs $CHECK_LIBS $LIBS || return 2
    status=0
    "$out/grade" "$out" || status=$?
    return $status
}

grade() {
    dir=$(find_lab "$1")
    student=${2:-$dir/student.c}
    status=0
    grade_into "$dir" "$student" "$OUT/$(basename "$dir")" || status=$?
    case $status in
    0|1) echo "lab: results in $OUT/$(basename "$dir")/results.{json,tap,xml}" ;;
    3) echo "lab: $student does not compile" ;;
    esac
    return $status
}

# expect DIR WORK KIND STATUS WHY: grade WORK/KIND.c (a region mode), and
# stop with WHY unless the grader exits with STATUS.
expect() {
    region_of "$3" "$1" > "$2/$3.c"
    status=0
    grade_into "$1" "$2/$3.c" "$2/$3" > "$2/$3.txt" || status=$?
    if [ $status -ne "$4" ]; then
        cat "$2/$3.txt"
        die "$(basename "$1"): $5 (grader status $status)"
    fi
}

check() {
    for dir in "$here"/[0-9][0-9]-*; do
        work=$OUT/check/$(basename "$dir")
        mkdir -p "$work"
        expect "$dir" "$work" extract 0 "the reference routine does not score full marks"
        expect "$dir" "$work" skeleton 1 "the untouched skeleton should build and lose marks"
        # Grading counts simulated time only: a second run says the same.
        mkdir -p "$work/again"
        "$work/extract/grade" "$work/again" > /dev/null ||
            die "$(basename "$dir"): the reference scored less the second time"
        cmp -s "$work/extract/results.json" "$work/again/results.json" ||
            die "$(basename "$dir"): two gradings of the reference differ"
        echo "  lab $(basename "$dir"): reference $(grep '^Score' "$work/extract.txt"), skeleton $(grep '^Score' "$work/skeleton.txt")"
    done
}

case ${1:-} in
skeleton) skeleton "${2:-}" ;;
grade) grade "${2:-}" "${3:-}" ;;
check) check ;;
*) die "usage: lab.sh skeleton LAB | grade LAB [STUDENT] | check" ;;
esac
