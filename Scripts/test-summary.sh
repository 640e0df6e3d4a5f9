#!/usr/bin/env bash
# Repeats, at the end of a test run's output, every failed test and every issue it recorded (with the file and
# line), so that the last lines of a long CI log say what failed.
#   Scripts/test-summary.sh LOG
set -uo pipefail
log="$1"
failures=$(grep -E "^(✘|􀢄)|recorded an issue|Expectation failed|Fatal error|error: " "$log" | grep -v "^✘ Test run with" | head -200)
if [ -n "$failures" ]; then
  echo
  echo "== What failed (repeated from above):"
  printf '%s\n' "$failures"
fi
exit 0
