#!/usr/bin/env bash
# Installs what building careers needs on a Debian machine that has only the Swift toolchain:
# libcmark-dev (the CommonMark C library) and pkg-config. Does nothing when they are present.
set -euo pipefail

if pkg-config --exists libcmark 2>/dev/null && [ -f /usr/include/cmark.h ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: libcmark-dev is missing and apt-get is not available; install libcmark (CommonMark C library) and pkg-config" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "Installing libcmark-dev and pkg-config..."
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcmark-dev pkg-config >/dev/null
