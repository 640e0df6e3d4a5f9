#!/usr/bin/env bash
# Repeats, at the end of a test run's output, every failed test and every issue it recorded (with the file,
# line and details), and any crash, so that the last lines of a long CI log say what failed.
#   Scripts/test-summary.sh LOG
set -uo pipefail
log="$1"
# Swift Testing marks failures with ✘; an issue's details follow on lines starting with ↳ or spaces. XCTest
# failures read "error: -[…]", and a crash prints "Fatal error" or "Test crashed".
failures=$(awk '
  /^✘/ { keep = 1; print; next }
  keep && /^(↳|  )/ { print; next }
  { keep = 0 }
  /^error: -\[|Fatal error|Test crashed|exited with unexpected signal/ { print }
' "$log" | head -300)
if [ -n "$failures" ]; then
  echo
  echo "== What failed (repeated from above):"
  printf '%s\n' "$failures"
fi
exit 0
