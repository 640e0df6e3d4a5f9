#!/usr/bin/env bash
# Benchmarks `careers build` on the shipped content and on synthetic content of several sizes, with Hugo and the
# `cmark` command on the same Markdown as references. Writes Benchmarks/RESULTS.md and echoes it.
#
# Usage: Scripts/bench.sh            (from anywhere; it works in the project folder it lives in)
#
# Settings (environment variables):
#   BENCH_SIZES        sizes to run, "shipped" or a number of synthetic roles   (default "shipped 1000 2000 10000 50000")
#   BENCH_RUNS         timed runs per measurement, at least 2                    (default 5)
#   BENCH_SEED         seed for `careers synth`                                  (default 1)
#   BENCH_MAX_SECONDS  if one full build (the probe) takes longer than this, the repeated runs of that size are
#                      skipped and the probe is reported alone                   (default 300)
#   BENCH_TIMEOUT      the probe is stopped after this many seconds and reported as "> N s" (default 3600)
#   BENCH_LOOP_MAX     run the one-cmark-process-per-file loop only up to this many roles (default 10000)
#   BENCH_PROFILE      size to profile with `perf` when perf is installed, "" to skip (default 2000)
#   BENCH_PROFILE_SECONDS  how long to profile                                   (default 60)
#   BENCH_WORK         working folder (default: a new folder under /tmp; it is removed at the end unless set)
#   BENCH_SCRATCH      SwiftPM scratch path for the release build                (default .build-synth)
#   BENCH_OUTPUT       folder for the careers and Hugo output folders (default: BENCH_WORK). Pointing it at a
#                      tmpfs such as /dev/shm takes the disk's file-creation cost out of both tools' times
#   BENCH_FLOOR_THREADS  writer threads of the floor measurement (default: the number of CPUs, as careers uses)
#   BENCH_RESULTS      the Markdown file written                                 (default Benchmarks/RESULTS.md)
#
# Full builds (careers and Hugo) start with no output folder. The previous output is moved aside into
# BENCH_OUTPUT/set-aside, not deleted, and that folder is deleted only when the script ends. Deleting thousands of
# files just before a timed build makes the build slow in the kernel, not in the tool: with no journal, ext4 will
# not reuse an inode freed in the last minute (five minutes while its block is dirty), and its allocator checks each
# such inode in turn for every file it creates (`recently_deleted` in fs/ext4/ialloc.c). On this machine that took
# a 2,000-role full build from 2.3 s to 4-6 s of wall time, most of it system time. A user's full build (a fresh
# clone, or a new output folder) never follows such a deletion, and regeneration overwrites files in place, so the
# benchmark keeps it out of both tools' times. The set-aside outputs need disk space: up to 3 x BENCH_RUNS + 2
# copies of each size's output, the floor's copies included (about 0.6 GB per copy at 10,000 roles).
#
# Each timed build (full, edit, Hugo) is also prepared with `sync`: careers makes its output durable with one
# syncfs(2), which writes out every dirty page of the file system, so without it a build would also pay for
# writing the earlier runs' (set-aside) output to disk.
#
# Time: each size costs about (4 x BENCH_RUNS + 3) careers builds, plus BENCH_RUNS Hugo builds and cmark runs,
# and BENCH_RUNS floor copies of each tool's output (each well under a careers full build).
# The shipped content takes well under a minute in all. How long synthetic sizes take depends on how build time
# scales; the probe and BENCH_MAX_SECONDS keep a slow size from taking hours (see RESULTS.md for real numbers).
#
# What is measured (hyperfine, medians with min and max):
#   full    `careers build` into an empty output folder (removed before each run)
#   no-op   `careers build` again into the same folder, nothing changed (one warm-up run first), once the
#           content's files are more than 3 s old: a rebuild trusts a file's stamp only then (see FileStamp), as
#           it nearly always can in use; the warm-up records the stamps. Timed without a shell (hyperfine -N):
#           hyperfine's subtraction of the shell's start-up is not accurate for a command of a few milliseconds.
#   edit    `careers build` after one role's body text changed (each run rewrites one line in that role's file)
#   edit-previous  the same with `--previous` a copy of the content made before the first edit: the build also
#           loads that revision, compares the two, and writes changes.html (one role changed)
#   hugo    Hugo building the same role files (same front matter and body) with a minimal template, into an
#           empty folder; taxonomies, RSS, sitemap, robots.txt and 404 disabled. Hugo leaves `kind:id` links as
#           they are, and builds only the role pages, a home page and a roles list; careers builds the whole site.
#   cmark   the `cmark` command on the same role bodies (front matter removed): "cat" is one process over all
#           the bodies concatenated (the pure Markdown lower bound); "loop" is one process per file in a shell
#           loop, which mostly measures process start-up.
#   floor   the least time any tool can take to put careers' output on this disk. Benchmarks/floor-write.c
#           (compiled here with cc) reads every file of careers' output of that size into memory (not timed),
#           then makes a new folder and writes the same files into it, byte for byte, and nothing else: make the
#           folders, then open (O_CREAT | O_EXCL), write, close each file, over BENCH_FLOOR_THREADS threads,
#           largest files first; then one syncfs, as careers ends its build. "floor" is the writes alone,
#           "floor-sync" the writes and the syncfs, both timed by the tool itself (not hyperfine), so reading
#           the inputs and starting the process are left out. careers writes far more than Hugo (at 2,000 roles
#           4,653 files, about 113 MB: every page, a self-contained handout with inlined CSS per entry, data
#           files; Hugo's reference writes about 2,000 files, 15 MB), so a goal set against Hugo's or cmark's time
#           can be below what the disk allows; the report shows the goals next to the floor. "hugo-floor" is the
#           same on Hugo's output ("hugo-floor-sync" with the syncfs, which Hugo itself does not do). Each run
#           copies into a new folder, after the previous copy is moved aside and after `sync`, like a full build;
#           careers and Hugo alternate, after careers' timed builds of that size. floor-write holds the whole
#           output in memory (about 3 GB at 50,000 roles).
#   base    the first synthetic size's full build again, timed right after each larger size's full builds. The
#           scaling table compares each size with it as well as with the first size's own runs minutes earlier: on a
#           shared machine the speed drifts between sizes, and the nearby reference keeps drift from counting as
#           growth.
# Peak memory is the maximum resident set size from `/usr/bin/time -v` on one full build (careers and Hugo).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

SIZES=${BENCH_SIZES:-"shipped 1000 2000 10000 50000"}
RUNS=${BENCH_RUNS:-5}
SEED=${BENCH_SEED:-1}
MAX_SECONDS=${BENCH_MAX_SECONDS:-300}
TIMEOUT=${BENCH_TIMEOUT:-3600}
LOOP_MAX=${BENCH_LOOP_MAX:-10000}
PROFILE=${BENCH_PROFILE-2000}
PROFILE_SECONDS=${BENCH_PROFILE_SECONDS:-60}
SCRATCH=${BENCH_SCRATCH:-.build-synth}
RESULTS_FILE=${BENCH_RESULTS:-"$ROOT/Benchmarks/RESULTS.md"}

if [ "$RUNS" -lt 2 ]; then
    echo "BENCH_RUNS must be at least 2 (hyperfine needs two runs for a median)" >&2
    exit 2
fi

if [ -n "${BENCH_WORK:-}" ]; then
    WORK=$BENCH_WORK
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d /tmp/careers-bench.XXXXXX)
fi

OUTPUT_ROOT=${BENCH_OUTPUT:-$WORK}
# The first synthetic size: the reference of the scaling table (see "base" in the header).
BASE_SIZE=""
for size in $SIZES; do
    if [[ $size =~ ^[0-9]+$ ]]; then
        BASE_SIZE=$size
        break
    fi
done
mkdir -p "$OUTPUT_ROOT"
# Outputs of earlier runs, moved aside so no timed build follows a large deletion (see the header).
ASIDE="$OUTPUT_ROOT/set-aside"
rm -rf "$ASIDE"
mkdir -p "$ASIDE"
if [ -n "${BENCH_WORK:-}" ]; then
    trap 'rm -rf "$ASIDE"' EXIT
else
    trap 'rm -rf "$ASIDE" "$WORK"' EXIT
fi
# Moves a folder, if it exists, into the set-aside folder (a rename: nothing is deleted).
set_aside() {
    local folder
    for folder in "$@"; do
        if [ -e "$folder" ]; then mv "$folder" "$(mktemp -d "$ASIDE/run.XXXXXX")/"; fi
    done
}
export ASIDE # hyperfine's --prepare commands run in a new bash, which inherits both
export -f set_aside

log() { printf '\n== %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------------------------
# Tools: hugo, hyperfine, cmark and GNU time from apt when missing (through sudo when not root).

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
command -v hugo >/dev/null 2>&1 || missing+=(hugo)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
command -v cmark >/dev/null 2>&1 || missing+=(cmark)
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The floor tool (see the header), with the first C compiler found; the Swift toolchain ships clang.
FLOOR_BIN="$WORK/floor-write"
FLOOR_THREADS=${BENCH_FLOOR_THREADS:-$(nproc)}
C_COMPILER=""
for candidate in cc gcc clang; do
    if command -v "$candidate" >/dev/null 2>&1; then
        C_COMPILER=$candidate
        break
    fi
done
if [ -z "$C_COMPILER" ]; then
    echo "no C compiler (cc, gcc or clang) for Benchmarks/floor-write.c" >&2
    exit 1
fi
log "compiling Benchmarks/floor-write.c with $C_COMPILER"
"$C_COMPILER" -O2 -Wall -Wextra -pthread -o "$FLOOR_BIN" "$ROOT/Benchmarks/floor-write.c" >&2

# ---------------------------------------------------------------------------------------------------------------
# The release binary.

log "building careers (release, scratch path $SCRATCH)"
if [ -x Scripts/ensure-build-deps.sh ]; then Scripts/ensure-build-deps.sh; fi
# Built as `make site` builds it (Scripts/release-flags.sh; STATIC_EXECUTABLE=0 for shared libraries).
read -r -a RELEASE_FLAGS <<<"$(Scripts/release-flags.sh release)"
swift build --scratch-path "$SCRATCH" -c release "${RELEASE_FLAGS[@]}" --product careers >&2
BIN="$ROOT/$SCRATCH/release/careers"
# How it was linked, for the report: "static" (one static executable) or "dynamic" (loads shared libraries).
BUILT_LINK=unknown
if command -v readelf >/dev/null 2>&1; then
    if readelf -lW "$BIN" | grep -q INTERP; then BUILT_LINK=dynamic; else BUILT_LINK=static; fi
fi
# Its allocator, as it names it (see Sources/CareerSite/MemoryTuning.swift): "jemalloc" or "glibc".
rm -rf "$WORK/allocator-probe"
BUILT_ALLOCATOR=$(CAREERS_TIMINGS=1 "$BIN" build --content "$ROOT/Content" --templates "$ROOT/Templates" \
    --output "$WORK/allocator-probe" 2>&1 >/dev/null | sed -n 's/^careers: allocator: //p')
rm -rf "$WORK/allocator-probe"
export BUILT_LINK BUILT_ALLOCATOR
# What the binary was built from, noted now: the working tree may change while the benchmark runs.
BUILT_COMMIT=$(git rev-parse --short HEAD)
BUILT_DIRTY=""
if [ -n "$(git status --porcelain -- . ':(exclude)Benchmarks')" ]; then BUILT_DIRTY=" with uncommitted changes"; fi
export BUILT_COMMIT BUILT_DIRTY
TEMPLATES="$ROOT/Templates"

# Results: one line per measurement, tab-separated: size scenario median min max runs note
TSV="$WORK/results.tsv"
: >"$TSV"
MEM="$WORK/memory.tsv" # size tool max_rss_kb seconds note
: >"$MEM"
COMMANDS="$WORK/commands.txt"
: >"$COMMANDS"
FILES="$WORK/files.tsv" # size tool files bytes
: >"$FILES"
: >"$WORK/sizes.txt"

# hyperfine JSON -> a results line.
record() { # size scenario json
    python3 - "$1" "$2" "$3" >>"$TSV" <<'EOF'
import json, sys
size, scenario, path = sys.argv[1:4]
result = json.load(open(path))["results"][0]
times = result["times"]
print("\t".join([size, scenario, f'{result["median"]:.4f}', f'{min(times):.4f}', f'{max(times):.4f}', str(len(times)), ""]))
EOF
}

# Runs hyperfine with the shared options; the last argument is the command.
bench() { # size scenario [--no-shell] [hyperfine options...] command
    local size=$1 scenario=$2
    shift 2
    local shell=(--shell bash)
    if [ "${1:-}" = --no-shell ]; then
        shell=(--shell=none)
        shift
    fi
    local json="$WORK/$size-$scenario.json"
    local command=${*: -1}
    printf '%s %s: %s\n' "$size" "$scenario" "$command" >>"$COMMANDS"
    hyperfine --style basic "${shell[@]}" --runs "$RUNS" --export-json "$json" "$@" >&2
    record "$size" "$scenario" "$json"
}

# One run under /usr/bin/time -v (stopped after $TIMEOUT s): records peak memory and wall time.
measure_memory() { # size tool command...
    local size=$1 tool=$2
    shift 2
    local out="$WORK/$size-$tool.time"
    local status=0
    /usr/bin/time -v -o "$out" timeout "$TIMEOUT" "$@" >/dev/null 2>"$WORK/$size-$tool.stderr" || status=$?
    python3 - "$size" "$tool" "$out" "$status" "$TIMEOUT" >>"$MEM" <<'EOF'
import re, sys
size, tool, path, status, timeout = sys.argv[1:6]
text = open(path).read()
rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text).group(1)
seconds = 0.0
for part in wall.split(":"):
    seconds = seconds * 60 + float(part)
note = "timed out" if status == "124" else ("failed" if status != "0" else "")
print("\t".join([size, tool, rss, f"{seconds:.3f}", note]))
EOF
    return "$status"
}

# Counts the files and bytes of an output folder, names starting with '.' left out (as floor-write does).
count_files() { # size tool folder
    python3 - "$1" "$2" "$3" >>"$FILES" <<'EOF'
import os, sys
size, tool, root = sys.argv[1:4]
count = total = 0
for folder, subfolders, names in os.walk(root):
    subfolders[:] = [name for name in subfolders if not name.startswith(".")]
    for name in names:
        path = os.path.join(folder, name)
        if not name.startswith(".") and os.path.isfile(path) and not os.path.islink(path):
            count += 1
            total += os.path.getsize(path)
print("\t".join([size, tool, str(count), str(total)]))
EOF
}

# One floor-write run into a new folder: the previous one moved aside, then `sync`. Appends the tool's line.
floor_run() { # log source destination
    set_aside "$3"
    sync
    "$FLOOR_BIN" "$2" "$3" "$FLOOR_THREADS" >>"$1"
}

# The floor-write lines of one tool -> two results lines: the writes alone, and the writes and the syncfs.
record_floor() { # size scenario log
    python3 - "$1" "$2" "$3" >>"$TSV" <<'EOF'
import statistics, sys
size, scenario, path = sys.argv[1:4]
runs = [dict(field.split("=", 1) for field in line.split()) for line in open(path) if line.strip()]
write = [float(run["write_seconds"]) for run in runs]
both = [float(run["write_seconds"]) + float(run["syncfs_seconds"]) for run in runs]
for name, times in ((scenario, write), (scenario + "-sync", both)):
    print("\t".join([size, name, f"{statistics.median(times):.4f}", f"{min(times):.4f}", f"{max(times):.4f}",
                     str(len(times)), ""]))
EOF
}

# ---------------------------------------------------------------------------------------------------------------
# Each size.

for size in $SIZES; do
    log "size $size"
    content="$WORK/content-$size"
    rm -rf "$content"
    if [ "$size" = "shipped" ]; then
        cp -R "$ROOT/Content" "$content" # a copy, so the edit scenario never touches the project's content
    else
        "$BIN" synth --roles "$size" --seed "$SEED" --out "$content" >&2
    fi
    roles=$(find "$content/roles" -name '*.md' | wc -l | tr -d ' ')
    echo "$size roles $roles" >>"$WORK/sizes.txt"
    out="$OUTPUT_ROOT/out-$size"
    build="'$BIN' build --content '$content' --templates '$TEMPLATES' --output '$out'"

    # The file edited between runs of the edit scenario: the first role, with a line the edit script rewrites.
    edited=$(find "$content/roles" -name '*.md' | LC_ALL=C sort | sed -n '1p')
    printf '\nBench edit 0.\n' >>"$edited"
    previous="$WORK/previous-$size" # the revision before the edits, for the edit-previous scenario
    rm -rf "$previous"
    cp -R "$content" "$previous"
    content_ready=$(date +%s%N) # the last content file written
    cat >"$WORK/edit-$size.sh" <<EOF
#!/usr/bin/env bash
sed -i -E "s/^Bench edit [0-9]+\\.\$/Bench edit \$(date +%s%N)./" '$edited'
EOF
    chmod +x "$WORK/edit-$size.sh"

    # The probe: one full build under /usr/bin/time (peak memory), which also decides whether to repeat.
    set_aside "$out"
    sync
    printf '%s probe: /usr/bin/time -v timeout %s %s\n' "$size" "$TIMEOUT" "$build" >>"$COMMANDS"
    probe_status=0
    measure_memory "$size" careers "$BIN" build --content "$content" --templates "$TEMPLATES" --output "$out" || probe_status=$?
    probe_seconds=$(awk -F'\t' -v s="$size" '$1 == s && $2 == "careers" { print $4 }' "$MEM")
    if [ "$probe_status" -ne 0 ] || awk -v t="$probe_seconds" -v m="$MAX_SECONDS" 'BEGIN { exit !(t > m) }'; then
        note="probe only: one build took ${probe_seconds} s (BENCH_MAX_SECONDS=$MAX_SECONDS)"
        [ "$probe_status" -eq 124 ] && note="probe stopped after $TIMEOUT s (BENCH_TIMEOUT)"
        [ "$probe_status" -ne 0 ] && [ "$probe_status" -ne 124 ] && note="build failed (status $probe_status)"
        printf '%s\tfull\t%s\t%s\t%s\t1\t%s\n' "$size" "$probe_seconds" "$probe_seconds" "$probe_seconds" "$note" >>"$TSV"
        log "$note"
    else
        bench "$size" full --prepare "set_aside '$out' && sync" "$build"
        base_out="$OUTPUT_ROOT/out-$BASE_SIZE"
        if [ -n "$BASE_SIZE" ] && [ "$size" != "$BASE_SIZE" ] && [ "$size" != "shipped" ] && [ -d "$base_out" ]; then
            bench "$size" base --prepare "set_aside '$base_out' && sync" \
                "'$BIN' build --content '$WORK/content-$BASE_SIZE' --templates '$TEMPLATES' --output '$base_out'"
        fi
        # The content's files settle 3 s after they were written; a second more for coarse clocks.
        age_ms=$((($(date +%s%N) - content_ready) / 1000000))
        if [ "$age_ms" -lt 4000 ]; then sleep "$(awk -v ms="$age_ms" 'BEGIN { printf "%.3f", (4000 - ms) / 1000 }')"; fi
        bench "$size" noop --no-shell --warmup 1 "$build"
        bench "$size" edit --warmup 1 --prepare "'$WORK/edit-$size.sh' && sync" "$build"
        bench "$size" edit-previous --warmup 1 --prepare "'$WORK/edit-$size.sh' && sync" "$build --previous '$previous'"
    fi

    # The same role files as a Hugo site, and the bodies alone for cmark.
    hugo_site="$WORK/hugo-$size"
    bodies="$WORK/bodies-$size"
    rm -rf "$hugo_site" "$bodies"
    mkdir -p "$hugo_site/content/roles" "$hugo_site/layouts/_default" "$bodies"
    python3 - "$content/roles" "$hugo_site/content/roles" "$bodies" <<'EOF'
import os, sys
source, hugo, bodies = sys.argv[1:4]
for name in sorted(os.listdir(source)):
    text = open(os.path.join(source, name), encoding="utf-8").read()
    open(os.path.join(hugo, name), "w", encoding="utf-8").write(text)
    parts = text.split("\n---\n", 1)
    open(os.path.join(bodies, name), "w", encoding="utf-8").write(parts[1] if len(parts) == 2 else text)
EOF
    cat >"$hugo_site/config.toml" <<'EOF'
baseURL = "https://example.org/"
title = "Benchmark"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
EOF
    cat >"$hugo_site/layouts/_default/single.html" <<'EOF'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>{{ .Content }}</main></body></html>
EOF
    cat >"$hugo_site/layouts/_default/list.html" <<'EOF'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main></body></html>
EOF
    hugo_out="$OUTPUT_ROOT/hugo-out-$size"
    hugo_build="hugo --quiet --source '$hugo_site' --destination '$hugo_out' --cacheDir '$WORK/hugo-cache'"
    bench "$size" hugo --prepare "set_aside '$hugo_out' && sync" "$hugo_build"
    set_aside "$hugo_out"
    printf '%s hugo memory: /usr/bin/time -v %s\n' "$size" "$hugo_build" >>"$COMMANDS"
    measure_memory "$size" hugo hugo --quiet --source "$hugo_site" --destination "$hugo_out" --cacheDir "$WORK/hugo-cache" ||
        true

    bench "$size" cmark-cat "cd '$bodies' && printf '%s\0' *.md | xargs -0 cat | cmark --smart > /dev/null"
    if [ "$roles" -le "$LOOP_MAX" ]; then
        bench "$size" cmark-loop "cd '$bodies' && for f in *.md; do cmark --smart \"\$f\"; done > /dev/null"
    fi

    # The floor (see the header): careers' output of this size, as its last timed build left it, and Hugo's, from
    # its memory run, each copied by floor-write BENCH_RUNS times, alternating, into new folders.
    floor_out="$OUTPUT_ROOT/floor-$size"
    hugo_floor_out="$OUTPUT_ROOT/hugo-floor-$size"
    floor_log="$WORK/$size-floor.log"
    hugo_floor_log="$WORK/$size-hugo-floor.log"
    : >"$floor_log"
    : >"$hugo_floor_log"
    floor_careers=false
    floor_hugo=false
    if [ "$probe_status" -eq 0 ] && [ -d "$out" ]; then floor_careers=true; fi
    if [ -d "$hugo_out" ]; then floor_hugo=true; fi
    log "floor: floor-write on careers' and Hugo's output, $RUNS runs each"
    if $floor_careers; then
        count_files "$size" careers "$out"
        printf '%s floor: %s %s %s %s (%s runs, each after set_aside and sync)\n' "$size" "$FLOOR_BIN" "$out" \
            "$floor_out" "$FLOOR_THREADS" "$RUNS" >>"$COMMANDS"
    fi
    if $floor_hugo; then
        count_files "$size" hugo "$hugo_out"
        printf '%s hugo-floor: %s %s %s %s (%s runs, each after set_aside and sync)\n' "$size" "$FLOOR_BIN" \
            "$hugo_out" "$hugo_floor_out" "$FLOOR_THREADS" "$RUNS" >>"$COMMANDS"
    fi
    for ((run = 1; run <= RUNS; run++)); do
        if $floor_careers; then floor_run "$floor_log" "$out" "$floor_out"; fi
        if $floor_hugo; then floor_run "$hugo_floor_log" "$hugo_out" "$hugo_floor_out"; fi
    done
    if $floor_careers; then record_floor "$size" floor "$floor_log"; fi
    if $floor_hugo; then record_floor "$size" hugo-floor "$hugo_floor_log"; fi
    set_aside "$hugo_out" "$WORK/hugo-cache" "$floor_out" "$hugo_floor_out"
done

# ---------------------------------------------------------------------------------------------------------------
# Where the time goes: perf on one size, if perf is installed.

PROFILE_FILE="$WORK/profile.txt"
: >"$PROFILE_FILE"
if [ -n "$PROFILE" ] && command -v perf >/dev/null 2>&1 && [ -d "$WORK/content-$PROFILE" ]; then
    log "profiling the $PROFILE case for up to $PROFILE_SECONDS s"
    rm -rf "$WORK/out-profile"
    printf 'profile: perf record -F 499 -g -- timeout -s INT %s %s build (size %s, empty output)\n' \
        "$PROFILE_SECONDS" "$BIN" "$PROFILE" >>"$COMMANDS"
    if perf record -q -F 499 -g -o "$WORK/perf.data" -- timeout -s INT "$PROFILE_SECONDS" "$BIN" build \
        --content "$WORK/content-$PROFILE" --templates "$TEMPLATES" --output "$WORK/out-profile" >/dev/null 2>&1 ||
        [ -s "$WORK/perf.data" ]; then
        demangle() { if command -v swift >/dev/null 2>&1; then swift demangle --simplified; else cat; fi; }
        {
            echo "Self time (top 10 symbols):"
            perf report -i "$WORK/perf.data" --no-children --sort symbol --stdio 2>/dev/null |
                grep -E '^ +[0-9.]+%' | head -10 | demangle | cut -c1-150 | sed -E 's/[[:space:]]+$//; s/^[[:space:]]+//'
            echo
            echo "Inclusive time (top 20, start-up and thread frames left out):"
            perf report -i "$WORK/perf.data" --children --sort symbol --stdio 2>/dev/null |
                grep -E '^ +[0-9.]+%' | demangle |
                grep -v -E '__libc_start|careers_main|_start$|start_thread|_dispatch_worker|ParsableCommand|Build\.run|main$' |
                head -20 | cut -c1-150 | sed -E 's/[[:space:]]+$//; s/^[[:space:]]+//'
        } >"$PROFILE_FILE" || true
    fi
fi

# ---------------------------------------------------------------------------------------------------------------
# The report.

mkdir -p "$ROOT/Benchmarks"
python3 - "$TSV" "$MEM" "$COMMANDS" "$PROFILE_FILE" "$WORK/sizes.txt" "$RUNS" "$SEED" "$MAX_SECONDS" "$TIMEOUT" \
    "$BIN" "$FILES" "$FLOOR_THREADS" >"$RESULTS_FILE" <<'EOF'
import datetime, os, re, subprocess, sys

tsv, mem, commands, profile, sizes_file, runs, seed, max_seconds, timeout, binary, files_file, floor_threads = \
    sys.argv[1:13]

def sh(command):
    try:
        return subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception:
        return ""

rows = [line.rstrip("\n").split("\t") for line in open(tsv) if line.strip()]
memory = [line.rstrip("\n").split("\t") for line in open(mem) if line.strip()]
roles = {}
for line in open(sizes_file):
    size, _, count = line.split()
    roles[size] = int(count)
sizes = list(dict.fromkeys(row[0] for row in rows))
timing = {(row[0], row[1]): row for row in rows}
rss = {(row[0], row[1]): row for row in memory}
output_files = {}  # (size, tool) -> (files, bytes), names starting with '.' left out
for line in open(files_file):
    if line.strip():
        size, tool, count, total = line.split()
        output_files[(size, tool)] = (int(count), int(total))

def seconds(value):
    value = float(value)
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"

def cell(size, scenario):
    row = timing.get((size, scenario))
    if not row:
        return "–"
    median, low, high, count, note = row[2], row[3], row[4], row[5], row[6]
    if count == "1":
        return f"{'> ' if 'stopped' in note else ''}{seconds(median)} (1 run)"
    return f"{seconds(median)} ({seconds(low)}–{seconds(high)})"

def median(size, scenario):
    row = timing.get((size, scenario))
    return float(row[2]) if row else None

def ratio(a, b, digits=1):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.{digits}f}×"

def file_count(size, tool):
    value = output_files.get((size, tool))
    return "–" if value is None else f"{value[0]:,}"

def file_bytes(size, tool):
    value = output_files.get((size, tool))
    return "–" if value is None else f"{value[1] / 1e6:.1f} MB"

def goal(value, floor):
    # A goal time, marked when it is below the floor: no tool writing careers' files could meet it on this disk.
    if value is None:
        return "–"
    return seconds(value) + (" (below floor)" if floor is not None and value < floor else "")

cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
load = sh("cut -d' ' -f1-3 /proc/loadavg")
cores = sh("nproc")
kernel = sh("uname -sr")
commit = os.environ["BUILT_COMMIT"]
dirty = os.environ["BUILT_DIRTY"]
swift = sh("swift --version 2>&1 | head -1")
hugo = sh("hugo version")
hyperfine = sh("hyperfine --version")
cmark = sh("cmark --version | head -1")
gnutime = sh("/usr/bin/time --version 2>&1 | head -1")
memory_total = sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2 / 1048576}' /proc/meminfo")
print("# Benchmarks")
print()
print(f"Run on {datetime.date.today().isoformat()} by `Scripts/bench.sh`.")
print()
print(f"- Machine: {cores} CPUs, {cpu}, {memory_total} memory; {kernel}; load average at the end {load}")
linked = {"static": "one static executable", "dynamic": "loads glibc, libstdc++ and libcmark as shared libraries"}
print(f"- careers: release build of commit `{commit}`{dirty}, {linked.get(os.environ.get('BUILT_LINK', ''), 'linked as unknown')}, "
      f"allocator {os.environ.get('BUILT_ALLOCATOR') or 'unknown'}; {swift}")
print(f"- {hugo}")
print(f"- {hyperfine}; {cmark}; {gnutime}")
print(f"- Settings: BENCH_RUNS={runs}, BENCH_SEED={seed}, BENCH_MAX_SECONDS={max_seconds}, BENCH_TIMEOUT={timeout}")
output_root = os.environ.get("BENCH_OUTPUT", "")
if output_root:
    fs = sh(f"df -T '{output_root}' | awk 'NR == 2 {{print $2}}'")
    print(f"- Output folders (careers and Hugo) under `{output_root}` ({fs})")
else:
    fs = sh("df -T /tmp | awk 'NR == 2 {print $2}'")
    print(f"- Output folders (careers and Hugo) in the working folder ({fs})")
print("- Full builds (careers and Hugo) start with no output folder: the previous one is moved aside, not deleted, because")
print("  ext4 without a journal makes file creation slow for a minute after a large deletion; and each timed build follows")
print("  a `sync`, so careers' one syncfs writes only its own output (see `Scripts/bench.sh`)")
print()
print("Times are medians with (min–max) over the runs. \"1 run\" marks a size where one full build took longer than")
print("BENCH_MAX_SECONDS, so only that probe was measured; \"> \" marks a probe stopped at BENCH_TIMEOUT.")
print()
print("## Time")
print()
print("\"One edit, with --previous\" is the same edit built with `--previous` the revision before it: the build also")
print("loads and compares the two revisions, and writes `changes.html`.")
print()
print("| content | roles | careers full | careers no-op | careers one edit | careers one edit, with --previous | "
      "Hugo (roles only) | cmark, one process | cmark, one per file |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for size in sizes:
    print(f"| {'shipped Content/' if size == 'shipped' else 'synthetic'} | {roles.get(size, '?')} | {cell(size, 'full')} | "
          f"{cell(size, 'noop')} | {cell(size, 'edit')} | {cell(size, 'edit-previous')} | {cell(size, 'hugo')} | "
          f"{cell(size, 'cmark-cat')} | {cell(size, 'cmark-loop')} |")
print()
print("## Peak memory (maximum resident set size, one full build)")
print()
print("| content | roles | careers | Hugo | careers / Hugo | careers wall time in this run |")
print("|---|---:|---:|---:|---:|---:|")
for size in sizes:
    c, h = rss.get((size, "careers")), rss.get((size, "hugo"))
    mb = lambda row: f"{int(row[2]) / 1024:.0f} MB" if row else "–"
    r = ratio(int(c[2]), int(h[2])) if c and h else "–"
    wall = (seconds(c[3]) + (" (stopped)" if c[4] == "timed out" else "")) if c else "–"
    print(f"| {size} | {roles.get(size, '?')} | {mb(c)} | {mb(h)} | {r} | {wall} |")
print()
print("## Floor: writing the same files, nothing else")
print()
print("`Benchmarks/floor-write.c` reads every file of an output folder into memory, then, timed by itself, writes")
print(f"them all into a new folder ({floor_threads} threads, largest first) and calls syncfs once, as careers does: the")
print("least time any tool that makes the same files can expect on this disk. Names starting with '.' (careers' marker)")
print("are left out of the counts and the copy. Hugo does not call syncfs: its own time compares with its floor's write.")
print()
print("| content | roles | careers files | careers bytes | floor, write | floor, write + syncfs | careers full | "
      "Hugo files | Hugo bytes | Hugo floor, write | Hugo floor, write + syncfs |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for size in sizes:
    print(f"| {size} | {roles.get(size, '?')} | {file_count(size, 'careers')} | {file_bytes(size, 'careers')} | "
          f"{cell(size, 'floor')} | {cell(size, 'floor-sync')} | {cell(size, 'full')} | {file_count(size, 'hugo')} | "
          f"{file_bytes(size, 'hugo')} | {cell(size, 'hugo-floor')} | {cell(size, 'hugo-floor-sync')} |")
print()
print("## Ratios")
print()
print("The goal columns are the performance goal's limits for a careers full build: a quarter of Hugo's time, and")
print("1.5 times the time of the `cmark` command in one process; \"below floor\" marks a limit under the floor.")
print()
print("| content | careers / Hugo | careers / cmark (one process) | careers / cmark (per file) | no-op / full | one edit / full | "
      "one edit with --previous / full | goal: ¼ Hugo | goal: 1.5× cmark | floor (write+syncfs) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for size in sizes:
    full = median(size, "full")
    hugo_time, cmark_time, floor = median(size, "hugo"), median(size, "cmark-cat"), median(size, "floor-sync")
    quarter = None if hugo_time is None else hugo_time / 4
    cmark_goal = None if cmark_time is None else cmark_time * 1.5
    print(f"| {size} | {ratio(full, median(size, 'hugo'))} | {ratio(full, median(size, 'cmark-cat'), 0)} | "
          f"{ratio(full, median(size, 'cmark-loop'))} | {ratio(median(size, 'noop'), full, 2)} | {ratio(median(size, 'edit'), full, 2)} | "
          f"{ratio(median(size, 'edit-previous'), full, 2)} | {goal(quarter, floor)} | {goal(cmark_goal, floor)} | {cell(size, 'floor-sync')} |")
print()
numeric = [s for s in sizes if s.isdigit()]
if len(numeric) >= 2:
    base = numeric[0]
    print(f"## Scaling (per role, relative to {base} roles; 1.0× is linear)")
    print()
    print(f"\"× linear\" compares the time per role with the {base}-role build's, timed in that size's own turn; \"× linear,")
    print(f"next to it\" compares it with the {base}-role build timed again right after this size's full builds. Sizes run")
    print("minutes apart, and the machine's speed drifts in between. \"Above the floor\" is the full build's time less the")
    print("floor's (write + syncfs): the part that is not the disk's.")
    print()
    print("| roles | careers full, per role | × linear | × linear, next to it | above the floor, per role | × linear | "
          "floor, per role | × linear | careers peak memory, per role | × linear | Hugo, per role | × linear |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    def per(value, n):
        return None if value is None else value / n
    for size in numeric:
        n, b = roles[size], roles[base]
        t, tb = per(median(size, "full"), n), per(median(base, "full"), b)
        nearby = tb if size == base else per(median(size, "base"), b)
        def above(s_):
            full_, floor_ = median(s_, "full"), median(s_, "floor-sync")
            return None if full_ is None or floor_ is None else full_ - floor_
        a, ab = per(above(size), n), per(above(base), b)
        f, fb = per(median(size, "floor-sync"), n), per(median(base, "floor-sync"), b)
        m = per(int(rss[(size, "careers")][2]) if (size, "careers") in rss else None, n)
        mb_ = per(int(rss[(base, "careers")][2]) if (base, "careers") in rss else None, b)
        h, hb = per(median(size, "hugo"), n), per(median(base, "hugo"), b)
        fmt_t = lambda v: "–" if v is None else f"{v * 1000:.2f} ms"
        fmt_m = lambda v: "–" if v is None else f"{v:.0f} KB"
        print(f"| {n} | {fmt_t(t)} | {ratio(t, tb)} | {ratio(t, nearby)} | {fmt_t(a)} | {ratio(a, ab)} | {fmt_t(f)} | "
              f"{ratio(f, fb)} | {fmt_m(m)} | {ratio(m, mb_)} | {fmt_t(h)} | {ratio(h, hb)} |")
    print()
text = open(profile).read().strip()
if text:
    print("## Where the time goes")
    print()
    print("```")
    print(text)
    print("```")
    print()
print("## Commands")
print()
print("```")
print(open(commands).read().replace(os.path.dirname(os.path.dirname(binary)), "$SCRATCH").strip())
print("```")
EOF

cat "$RESULTS_FILE"
