#!/usr/bin/env bash
# Runs the Swift tests (already built: `swift build --build-tests`) and repeats what failed at the end of the
# output, so the tail of a CI log names the failing tests.   Scripts/swift-test.sh [swift test arguments]
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT="${SWIFT:-swift}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
"$SWIFT" test --skip-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
Scripts/test-summary.sh "$log"
exit "$status"
