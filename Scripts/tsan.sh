#!/usr/bin/env bash
# Runs the Swift tests under Thread Sanitizer (the parallel renderer included) and builds with warnings as
# errors. Fails on any data race TSan reports and on any compiler warning (Swift 6 language mode, so strict
# concurrency checking is on). Uses its own build folders so the normal .build/ is not invalidated.
#   Scripts/tsan.sh [swift test --filter pattern]
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT="${SWIFT:-swift}"

echo "== swift build with warnings as errors"
"$SWIFT" build --scratch-path .build-warnings --build-tests -Xswiftc -warnings-as-errors

echo "== swift test under Thread Sanitizer"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$work/test.log"
filter=()
if [ $# -gt 0 ]; then filter=(--filter "$1"); fi
# halt_on_error makes the first race fail the run. log_path sends every report to a file named after its process,
# so a race in a `careers` process that a test starts (whose standard error the test may keep to itself) is seen
# and printed here too; the test log is also searched, in case a report is printed there.
status=0
# The mutation property test exercises the loader, not threads; a few hundred cases keep it short under TSan.
CAREERS_MUTATION_ITERATIONS="${CAREERS_MUTATION_ITERATIONS:-200}" \
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 log_path=$work/tsan-report ${TSAN_OPTIONS:-}" \
  "$SWIFT" test --scratch-path .build-tsan --sanitize=thread "${filter[@]}" 2>&1 | tee "$log" || status=$?
races=0
for report in "$work"/tsan-report*; do
  [ -e "$report" ] || continue
  races=1
  echo "== Thread Sanitizer report from process ${report##*.}:" >&2
  cat "$report" >&2
done
if grep -q "WARNING: ThreadSanitizer" "$log"; then races=1; fi
Scripts/test-summary.sh "$log"
if [ "$races" -ne 0 ]; then
  echo "error: Thread Sanitizer reported a data race (see above)" >&2
  exit 1
fi
exit "$status"
