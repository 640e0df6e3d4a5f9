#!/usr/bin/env bash
# Browser, accessibility and HTML-validation checks of a generated site.
#
#   Scripts/check-browser.sh SITE_DIR [extra pytest args...]
#
# Installs missing test dependencies (Scripts/install-test-deps.sh), then runs
# pytest on Tests/Browser with SITE_DIR exported. Exits with pytest's status.
# Examples:
#   Scripts/check-browser.sh Output
#   Scripts/check-browser.sh Output -k 'axe or keyboard' -x
#   Scripts/check-browser.sh Output -k 'matrix.html'
set -euo pipefail

if [[ $# -lt 1 || "$1" == -h || "$1" == --help ]]; then
  echo "usage: $0 SITE_DIR [pytest args...]" >&2
  exit 2
fi
site="$1"
shift
if [[ ! -d "$site" ]]; then
  echo "check-browser: SITE_DIR '$site' is not a directory (build the site first)" >&2
  exit 2
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="$("$repo/Scripts/install-test-deps.sh" | tail -n 1)"

export SITE_DIR
SITE_DIR="$(cd "$site" && pwd)"
# keep the work tree clean: no __pycache__ / .pytest_cache in the repo
export PYTHONDONTWRITEBYTECODE=1

cd "$repo"
status=0
"$py" -m pytest Tests/Browser -p no:cacheprovider "$@" || status=$?
exit "$status"
