#!/usr/bin/env bash
# Counts the instructions one full `careers build` executes, with valgrind's callgrind. Unlike wall or CPU time,
# the count barely moves between runs on a busy or virtual machine, so it shows the effect of a change of a few
# per cent. Builds the release binary as `make site` does, copies it without debug information (this valgrind
# cannot read Swift's), and builds CONTENT (default Content/) into a temporary folder.
#
# Usage: Scripts/instructions.sh [CONTENT] [BINARY]
#   BINARY: count another build of careers instead (for example a copy of an earlier commit's binary)
# Prints the count; the profile is left in .build/callgrind.out for `callgrind_annotate --inclusive=yes`.
set -euo pipefail
cd "$(dirname "$0")/.."
content="${1:-Content}"
binary="${2:-}"

if ! command -v valgrind >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  echo "Installing valgrind..." >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
fi
if [ -z "$binary" ]; then
  make --no-print-directory build >&2
  binary=.build-site/release/careers
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
objcopy --strip-debug "$binary" "$work/careers"
mkdir -p .build
if ! valgrind --tool=callgrind --callgrind-out-file=.build/callgrind.out --log-file="$work/valgrind.log" \
  "$work/careers" build --content "$content" --templates Templates --output "$work/out" >/dev/null; then
  cat "$work/valgrind.log" >&2
  exit 1
fi
count="$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/valgrind.log")"
if [ -z "$count" ]; then
  cat "$work/valgrind.log" >&2
  exit 1
fi
echo "$count instructions: careers build --content $content ($(basename "$binary"))"
