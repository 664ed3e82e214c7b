# region.awk: the marked regions of the reference miniport, for the labs.
#
# A region runs from a line "/* LAB: NAME */" to a line "/* LAB-END: NAME */"
# in a source file under src/miniport/. Usage:
#
#   awk -v mode=extract  -v name=NAME FILE     the region, as it is
#   awk -v mode=skeleton -v name=NAME FILE     the region with each function
#                                              body replaced by a TODO
#   awk -v mode=splice   -v name=NAME -v student=S -v source=FILE FILE
#                                              FILE with the region replaced
#                                              by the student's file S, with
#                                              #line directives so that the
#                                              compiler names S and its lines
#
# The skeleton keeps every comment and signature of the region, so the
# handout and the reference cannot drift apart; it compiles, and does
# nothing useful: each parameter is marked used and the function returns
# FALSE, 0, NULL or nothing, by its return type.

function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }

# The body a skeleton function gets: a TODO, the parameters used, a return.
function skeleton_body(sig, rtype,    params, n, i, p, out) {
    out = "    /* TODO: write this routine (see the handout). */\n"
    params = sig
    sub(/^[^(]*\(/, "", params)
    sub(/\)[^)]*$/, "", params)
    n = split(params, p, ",")
    for (i = 1; i <= n; i++) {
        p[i] = trim(p[i])
        if (p[i] == "" || p[i] == "void" || p[i] == "VOID")
            continue
        sub(/\[.*$/, "", p[i])
        match(p[i], /[A-Za-z_][A-Za-z0-9_]*$/)
        out = out "    (void)" substr(p[i], RSTART, RLENGTH) ";\n"
    }
    if (rtype ~ /\*/)
        out = out "    return NULL;\n"
    else if (rtype ~ /BOOLEAN/)
        out = out "    return FALSE;\n"
    else if (rtype !~ /(^|[^A-Za-z_])(VOID|void)([^A-Za-z_]|$)/)
        out = out "    return 0;\n"
    return out
}

BEGIN {
    start = "/* LAB: " name " */"
    stop = "/* LAB-END: " name " */"
    found = 0
}

mode == "splice" && $0 == start {
    found = 1
    inside = 1
    print "#line 1 \"" student "\""
    while ((getline line < student) > 0)
        print line
    close(student)
    next
}
mode == "splice" && inside && $0 == stop {
    inside = 0
    print "#line " (NR + 1) " \"" source "\""
    next
}
mode == "splice" { if (!inside) print; next }

$0 == start { inside = 1; found = 1; sig = ""; prev = ""; inbody = 0 }
!inside { next }

mode == "extract" { print }

mode == "skeleton" {
    if (inbody) {
        if ($0 == "}") {               # the function's closing brace
            printf "%s", skeleton_body(sig, rtype)
            print
            inbody = 0
            sig = ""
        }
    } else if ($0 == "{") {            # a function body starts
        print
        inbody = 1
    } else {
        print
        if (sig != "" || $0 ~ /^[A-Za-z_][A-Za-z0-9_]*\(/) {
            if (sig == "")
                rtype = prev
            sig = sig " " $0
        }
        prev = $0
    }
}

$0 == stop { inside = 0 }

END {
    if (!found) {
        print "region.awk: no region '" name "' in " FILENAME > "/dev/stderr"
        exit 1
    }
}
