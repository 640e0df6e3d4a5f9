#!/usr/bin/env bash
# Checks that the release careers `make site` runs (`make build`: on Linux one static executable, see
# Scripts/release-flags.sh) does what the debug build that every other test runs does:
#   - it is linked as the flags say (no program interpreter when static; jemalloc as its allocator when the flags
#     name jemalloc's archive);
#   - it builds the shipped content into the same bytes;
#   - its second build has nothing to do;
#   - it compares with a previous git revision (it runs git) into the same bytes;
#   - it writes the same handout, and prints one to PDF with Chromium when Chromium is there;
#   - on broken content it exits with status 1, prints the same diagnostics and writes nothing.
# Uses .build-site/ (make build) and .build/debug/careers (built here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}

make --no-print-directory build
"$SWIFT" build --product careers
release=$PWD/.build-site/release/careers
debug=$PWD/.build/debug/careers
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
    echo "check-release: FAILED: $*" >&2
    failures=$((failures + 1))
}
pass() { echo "check-release: ok: $*"; }

if [[ " $(Scripts/release-flags.sh release) " == *" -static-executable "* ]]; then
    if readelf -lW "$release" | grep -q INTERP; then
        fail "the flags ask for a static executable, but $release has a program interpreter"
    else
        pass "static executable (no program interpreter)"
    fi
fi

if [[ " $(Scripts/release-flags.sh release 2>/dev/null) " == *"/libjemalloc.a "* ]]; then
    allocator=$(CAREERS_TIMINGS=1 "$release" build --content Content --templates Templates --output "$work/allocator" 2>&1 >/dev/null |
        sed -n 's/^careers: allocator: //p')
    if [ "$allocator" = jemalloc ]; then
        pass "jemalloc is the allocator"
    else
        fail "the flags link jemalloc, but $release runs with '${allocator:-no allocator named}'"
    fi
fi

same_tree() { # what a b: the two output folders hold the same files and bytes (the build record aside)
    if diff -r -x .careers-output "$2" "$3" >"$work/diff.txt"; then
        pass "$1: same bytes as the debug build ($(find "$2" -type f ! -name .careers-output | wc -l | tr -d ' ') files)"
    else
        fail "$1: the release and debug builds differ:"
        head -20 "$work/diff.txt" >&2
    fi
}

"$release" build --content Content --templates Templates --output "$work/release" >"$work/release.txt"
"$debug" build --content Content --templates Templates --output "$work/debug" >"$work/debug.txt"
same_tree "shipped content" "$work/release" "$work/debug"

"$release" build --content Content --templates Templates --output "$work/release" >"$work/again.txt"
if grep -q "^Nothing changed since the last build (" "$work/again.txt"; then
    pass "a second build has nothing to do"
else
    fail "a second build did not report 'Nothing changed': $(cat "$work/again.txt")"
fi

if git rev-parse --verify -q HEAD >/dev/null 2>&1; then
    "$release" build --content Content --templates Templates --output "$work/release-previous" --previous HEAD >/dev/null
    "$debug" build --content Content --templates Templates --output "$work/debug-previous" --previous HEAD >/dev/null
    same_tree "compared with git revision HEAD" "$work/release-previous" "$work/debug-previous"
else
    echo "check-release: skipped the git revision check: not in a git repository"
fi

"$release" handout role:district-nurse --out "$work/release-handout.html" >/dev/null
"$debug" handout role:district-nurse --out "$work/debug-handout.html" >/dev/null
if cmp -s "$work/release-handout.html" "$work/debug-handout.html"; then
    pass "the same handout"
else
    fail "careers handout role:district-nurse differs between the release and debug builds"
fi
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    "$release" handout role:district-nurse --out "$work/printed.html" --pdf "$work/printed.pdf" >/dev/null
    if [ "$(head -c 5 "$work/printed.pdf" 2>/dev/null)" = "%PDF-" ]; then
        pass "a handout printed to PDF"
    else
        fail "careers handout --pdf wrote no PDF"
    fi
else
    echo "check-release: skipped the PDF check: no chromium"
fi

broken=Tests/EndToEndTests/Broken/references/Content
status=0
"$release" build --content "$broken" --templates Templates --output "$work/broken-release" 2>"$work/broken-release.txt" || status=$?
debug_status=0
"$debug" build --content "$broken" --templates Templates --output "$work/broken-debug" 2>"$work/broken-debug.txt" || debug_status=$?
if [ "$status" -ne 1 ] || [ "$debug_status" -ne 1 ]; then
    fail "broken content: exit status $status (release) and $debug_status (debug), expected 1"
elif ! cmp -s "$work/broken-release.txt" "$work/broken-debug.txt"; then
    fail "broken content: the diagnostics differ"
    diff "$work/broken-release.txt" "$work/broken-debug.txt" >&2 || true
elif [ -e "$work/broken-release" ]; then
    fail "broken content: the release build wrote $work/broken-release"
else
    pass "broken content: status 1, the same $(wc -l <"$work/broken-release.txt" | tr -d ' ') lines of diagnostics, nothing written"
fi

if [ "$failures" -gt 0 ]; then
    echo "check-release: $failures check(s) failed" >&2
    exit 1
fi
echo "check-release: all checks passed"
