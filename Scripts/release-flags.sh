#!/usr/bin/env bash
# Prints the `swift build` flags of a release `careers`, for the Makefile (`make build`, `make site`) and
# Scripts/bench.sh, so that the benchmark measures the program `make site` runs. Prints nothing for a debug
# configuration.
#   Scripts/release-flags.sh [release|debug]
#
# 1. Concrete generic types by accessor (all systems): the compiler otherwise makes the type metadata of a
#    specialised generic type, such as [String: Int], at its first use from the type's mangled name. The runtime
#    then demangles the name and checks its generic requirements (String: Hashable) by scanning every protocol
#    conformance in the program. That was 30 % of the instructions of a rebuild with nothing to do; by accessor
#    it runs 4.6 M instructions instead of 5.6 M, and a full build 424 M instead of 430 M (callgrind, shipped
#    content).
#
# 2. On Linux, one static executable: the Swift runtime and Foundation, libcmark, libstdc++ and glibc are all
#    inside it, so no dynamic loader runs at start-up. A rebuild with nothing to do is mostly start-up, and a
#    dynamically linked careers spent about a third of its time there: loading five shared libraries and
#    relocating 80,000 pointers (see README, "Architecture"). lld links it: gold prints a "Using 'dlopen' (or
#    'getpwuid') in statically linked applications" warning for each such call in Foundation's bundle and
#    user-database code, which a build does not use.
#
#    It falls back to linking only the Swift runtime and Foundation statically (--static-swift-stdlib; glibc,
#    libstdc++ and libcmark are then loaded as shared libraries) when:
#    - STATIC_EXECUTABLE=0 is set, for instance to keep address-space layout randomisation of the program's own
#      code and data: a static executable is loaded at a fixed address (its heap, stack and mappings are still
#      randomised);
#    - a static archive it needs (libc.a, libstdc++.a, libcmark.a) or lld is missing. It says so on stderr.
set -euo pipefail

config=${1:-release}
[ "$config" = release ] || exit 0

flags=(-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors)
if [ "$(uname -s)" != Linux ]; then
    echo "${flags[*]}"
    exit 0
fi

flags+=(--static-swift-stdlib)
if [ "${STATIC_EXECUTABLE:-1}" = 0 ]; then
    echo "${flags[*]}"
    exit 0
fi

missing=()
swift_bin=$(dirname "$(readlink -f "$(command -v "${SWIFT:-swift}")")")
[ -x "$swift_bin/ld.lld" ] || command -v ld.lld >/dev/null 2>&1 || missing+=(ld.lld)
# The C compiler next to swift knows where the C library's and the C++ library's archives are.
cc="$swift_bin/clang"
[ -x "$cc" ] || cc=$(command -v clang || command -v cc || echo cc)
for archive in libc.a libstdc++.a; do
    found=$("$cc" -print-file-name="$archive" 2>/dev/null || true)
    [ -f "$found" ] || missing+=("$archive")
done
libdir=$(pkg-config --variable=libdir libcmark 2>/dev/null || true)
[ -n "$libdir" ] && [ -f "$libdir/libcmark.a" ] || missing+=(libcmark.a)

if [ ${#missing[@]} -gt 0 ]; then
    echo "note: careers will load glibc, libstdc++ and libcmark as shared libraries: ${missing[*]} not found (see Scripts/release-flags.sh)" >&2
    echo "${flags[*]}"
    exit 0
fi
flags+=(-Xswiftc -static-executable -Xswiftc -use-ld=lld)
# 3. jemalloc as the allocator, from its static archive (Debian's libjemalloc-dev), in place of glibc's: a build
#    allocates and frees millions of small blocks from two threads, and glibc's allocator spends ever longer
#    sorting freed blocks as the heap grows (_int_malloc, unlink_chunk and malloc_consolidate were 10 % of a
#    50,000-role build's time, growing 1.7 times faster than the roles). lld takes a symbol from the first archive
#    that defines it, so malloc and free come from jemalloc, named before the C library; the program's only call
#    into glibc's allocator, mallopt, is a weak reference (Sources/CSystem), so nothing pulls that one in. Without
#    the archive, careers keeps glibc's allocator and says so.
jemalloc=$("$cc" -print-file-name=libjemalloc.a 2>/dev/null || true)
if [ -f "$jemalloc" ]; then
    flags+=(-Xlinker "$jemalloc")
else
    echo "note: careers will use glibc's allocator: libjemalloc.a not found (install libjemalloc-dev; see Scripts/release-flags.sh)" >&2
fi
echo "${flags[*]}"
