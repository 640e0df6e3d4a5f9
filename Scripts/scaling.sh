#!/usr/bin/env bash
# Shows how the work of a full build grows with the size of the framework, part by part: counts the instructions of
# one full `careers build` of synthetic content at two sizes with valgrind's callgrind (Scripts/instructions.sh),
# and writes Benchmarks/SCALING.md with, for the whole build and for each part (each page kind, the handouts, the
# search index, the data exports, loading, the link check...), the instructions per role at the larger size over
# those at the smaller. 1.00x is linear; a part that grew quadratically would show about LARGE/SMALL times.
#
# Times on a shared or virtual machine drift by 20 % or more between runs, so `Scripts/bench.sh`'s scaling table
# mixes the growth of the work with the machine's and the disk's; an instruction count moves by well under 1 %.
#
# Usage: Scripts/scaling.sh [SMALL] [LARGE]     (default 1000 10000: about 6 minutes)
#   SCALING_RESULTS   the file to write (default Benchmarks/SCALING.md)
set -euo pipefail
cd "$(dirname "$0")/.."
small="${1:-1000}"
large="${2:-10000}"
results="${SCALING_RESULTS:-Benchmarks/SCALING.md}"
for size in "$small" "$large"; do
  case "$size" in '' | *[!0-9]*) echo "usage: Scripts/scaling.sh [SMALL] [LARGE] (numbers of roles)" >&2; exit 2 ;; esac
done
if [ "$small" -ge "$large" ]; then
  echo "Scripts/scaling.sh: SMALL ($small) must be less than LARGE ($large)" >&2
  exit 2
fi

make --no-print-directory build >&2
binary=.build-site/release/careers
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for size in "$small" "$large"; do
  "$binary" synth --roles "$size" --seed 1 --out "$work/content-$size" >&2
  # A build trusts an input file's stamp only 3 seconds after its last change, and records only those stamps: wait,
  # as files in use nearly always are older, so the build record is the same in every run.
  sleep 4
  Scripts/instructions.sh "$work/content-$size" "$binary" >&2
  callgrind_annotate --inclusive=yes --threshold=100 .build/callgrind.out >"$work/inclusive-$size.txt"
done

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- Sources Package.swift 2>/dev/null)" ]; then commit="$commit with local changes"; fi
python3 - "$work" "$small" "$large" "$commit" "$(date -u +%Y-%m-%d)" >"$work/SCALING.md" <<'EOF'
import re
import sys

work, small, large, commit, day = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]

# Each part is the function that does it, by the start of its Swift symbol; its count is inclusive (everything it
# calls). A symbol can appear more than once (thunks, specialisations): the largest count is the function's own.
PARTS = [
    ("Read, parse and render the content files", r"\$s10CareerSite13ContentLoaderV4load"),
    ("of which: render the Markdown bodies (cmark, links)", r"\$s10CareerSite16FrameworkBuilderV10renderBody_5known"),
    ("Check references, build the model", r"\$s10CareerSite16FrameworkBuilderV5build"),
    ("Role pages", r"\$s10CareerSite18PageContextBuilderV4roley"),
    ("Profession pages", r"\$s10CareerSite18PageContextBuilderV10professiony"),
    ("Route pages", r"\$s10CareerSite18PageContextBuilderV5routey"),
    ("Career maps (SVG, in route and profession pages)", r"\$s10CareerSite8RouteMapV7drawing"),
    ("Capability pages", r"\$s10CareerSite18PageContextBuilderV10capabilityy"),
    ("Stage pages", r"\$s10CareerSite18PageContextBuilderV5stagey"),
    ("Domain pages", r"\$s10CareerSite18PageContextBuilderV6domainy"),
    ("Setting pages", r"\$s10CareerSite18PageContextBuilderV7settingy"),
    ("Index pages (roles.html, capabilities.html, ...)", r"\$s10CareerSite18PageContextBuilderV5index2of"),
    ("Capability matrix (matrix.html)", r"\$s10CareerSite18PageContextBuilderV6matrix"),
    ("Home page", r"\$s10CareerSite18PageContextBuilderV4home"),
    ("Entry handouts (stage, profession, role, route)", r"\$s10CareerSite15HandoutRendererV6render"),
    ("Whole-framework handout", r"\$s10CareerSite18PageContextBuilderV16frameworkHandout5drain"),
    ("Search index", r"\$s10CareerSite11SearchIndexO6script"),
    ("JSON export", r"\$s10CareerSite10DataExportO9writeJSON3for"),
    ("CSV export", r"\$s10CareerSite10DataExportO8writeCSV3for"),
    ("Link check, as each page is made", r"\$s10CareerSite11LinkCheckerO10EarlyCheckC6settle"),
    ("Link check, the links to other pages' anchors at the end", r"\$s10CareerSite11LinkCheckerO5check7settled"),
    ("Build record (.careers-output)", r"\$s10CareerSite11BuildRecordV5bytes5after"),
]

def load(size):
    counts = {}
    for line in open(f"{work}/inclusive-{size}.txt", encoding="utf-8", errors="replace"):
        match = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(?:\*\s+)?(\S+)", line)
        if not match:
            continue
        count = int(match.group(1).replace(",", ""))
        name = match.group(2).split(":", 1)[1] if match.group(2).startswith("???:") else match.group(2)
        if name == "PROGRAM":
            counts["TOTAL"] = count
        else:
            counts[name] = max(count, counts.get(name, 0))
    return counts

def part(counts, pattern):
    found = [count for name, count in counts.items() if re.match(pattern, name)]
    return max(found) if found else None

a, b = load(small), load(large)
scale = large / small
rows = [("Whole build", a.get("TOTAL"), b.get("TOTAL"))]
rows += [(label, part(a, pattern), part(b, pattern)) for label, pattern in PARTS]

def ratio(x, y):
    return f"{y / x / scale:.2f}×" if x and y else "–"

def share(y):
    return f"{100 * y / b['TOTAL']:.1f} %" if y else "–"

print("# Scaling of the work, by part\n")
print(f"Run on {day} by `Scripts/scaling.sh {small} {large}`, release build of commit `{commit}`, synthetic content")
print(f"(`careers synth --seed 1`). Instructions of one full build, counted by valgrind's callgrind; each part's")
print("count is inclusive (all it calls). \"Per role, × linear\" is the larger size's count per role over the smaller's:")
print(f"1.00× is linear, and a part that grew with the square of the size would show about {scale:.0f}×. Work shared by an")
print("entry's page and its handout (the entry's context, made once) is counted in whichever made it first.\n")
print(f"| part | instructions, {small:,} roles | instructions, {large:,} roles | per role, × linear | share at {large:,} roles |")
print("|---|---:|---:|---:|---:|")
for label, x, y in rows:
    print(f"| {label} | {x:,} | {y:,} | {ratio(x, y)} | {share(y)} |" if x and y else f"| {label} | – | – | – | – |")
worst = max((y / x / scale, label) for label, x, y in rows[1:] if x and y)
print(f"\nThe part that grows fastest per role is \"{worst[1]}\", at {worst[0]:.2f}× linear.")
EOF
mkdir -p "$(dirname "$results")"
mv "$work/SCALING.md" "$results"
echo "Wrote $results" >&2
