#!/usr/bin/env bash
# Installs what building careers needs on a Debian machine that has only the Swift toolchain:
# libcmark-dev (the CommonMark C library) and pkg-config, and on Linux libjemalloc-dev (the allocator of a release
# build). With the argument `serve`, also libcurl4-openssl-dev:
# the preview server (careers-serve) uses FoundationNetworking, which a release build links statically, and that
# needs libcurl's link-time files. Does nothing when everything is present.
set -euo pipefail

packages=()
if ! pkg-config --exists libcmark 2>/dev/null || [ ! -f /usr/include/cmark.h ]; then
  packages+=(libcmark-dev pkg-config)
fi
# jemalloc's static archive, which a release careers on Linux is linked with (Scripts/release-flags.sh).
if [ "$(uname -s)" = Linux ] && ! compgen -G '/usr/lib/*/libjemalloc.a' >/dev/null && [ ! -f /usr/lib/libjemalloc.a ]; then
  packages+=(libjemalloc-dev)
fi
if [ "${1:-}" = serve ] && ! pkg-config --exists libcurl 2>/dev/null; then
  packages+=(libcurl4-openssl-dev pkg-config)
fi
if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: ${packages[*]} missing and apt-get is not available; install them (or their equivalents) first" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "Installing ${packages[*]}..."
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
