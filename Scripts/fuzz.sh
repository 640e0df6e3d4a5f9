#!/usr/bin/env bash
# Fuzzes the content loader (decoding, front matter, YAML, fields, references, Markdown links) with libFuzzer
# for a bounded time. The target (Fuzz/) replaces one file of the fixture site with each input, in memory, and
# traps when loading traps or reports an error without a position. Exits non-zero on a crash, a hang or an
# out-of-memory, and prints the input that caused it; replay it with:  <binary> <input file>
#   Scripts/fuzz.sh [SECONDS]        (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
limit="${1:-60}"
SWIFT="${SWIFT:-swift}"
Scripts/ensure-build-deps.sh

# libFuzzer ships with the Swift toolchain on Linux (lib/swift/clang/lib/linux/libclang_rt.fuzzer-*.a).
"$SWIFT" build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer
binary="$("$SWIFT" build -c release --package-path Fuzz --show-bin-path)/ContentFuzzer"

# The seed corpus: every file of Content/, prefixed with the byte that selects the fixture file of its kind.
seeds=Fuzz/.build/seeds
rm -rf "$seeds"
mkdir -p "$seeds" Fuzz/corpus Fuzz/artifacts
index=0
for folder in framework.md stages domains capabilities professions roles routes pages; do
  for file in $(find Content/"$folder" -name '*.md' -type f | sort); do
    { printf "\\$(printf '%03o' "$index")"; cat "$file"; } >"$seeds/$index-$(basename "$(dirname "$file")")-$(basename "$file")"
  done
  index=$((index + 1))
done

echo "Fuzzing for ${limit} s ($(find "$seeds" -type f | wc -l) seed inputs)..."
status=0
"$binary" Fuzz/corpus "$seeds" -dict=Fuzz/yaml.dict -max_total_time="$limit" -timeout=10 -rss_limit_mb=4096 \
  -max_len=65536 -artifact_prefix=Fuzz/artifacts/ -print_final_stats=1 2>&1 | tee Fuzz/.build/fuzz.log || status=$?
if [ "$status" -ne 0 ]; then
  crash="$(ls -t Fuzz/artifacts/ 2>/dev/null | head -1)"
  echo "error: the fuzzer found a problem (exit $status); the input is Fuzz/artifacts/$crash" >&2
  echo "replay: $binary Fuzz/artifacts/$crash" >&2
  exit "$status"
fi
