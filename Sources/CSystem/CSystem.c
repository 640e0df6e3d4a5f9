// syncfs(2) is a GNU extension: it is declared only with _GNU_SOURCE, defined before any header.
#define _GNU_SOURCE

#include "CSystem.h"

#include <stdlib.h>  // defines __GLIBC__ when the C library is glibc
#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
// Weak: a release careers on Linux is linked with jemalloc instead of glibc's allocator (Scripts/release-flags.sh),
// and a strong reference to mallopt, which only glibc's allocator defines, would pull that allocator in beside
// jemalloc's (two definitions of malloc). A weak reference pulls nothing in: mallopt is then null.
#pragma weak mallopt
#endif

// jemalloc's control function, weak for the same reason: non-null when the program was linked with jemalloc (or a
// jemalloc shared library was loaded).
#pragma weak mallctl
extern int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

int careers_allocator_is_jemalloc(void) { return mallctl != 0 ? 1 : 0; }

int careers_set_mapped_block_threshold(int bytes) {
#if defined(__GLIBC__)
    if (mallopt == 0 || careers_allocator_is_jemalloc()) return 0;
    return mallopt(M_MMAP_THRESHOLD, bytes) == 1 ? 1 : 0;
#else
    (void)bytes;
    return 0;
#endif
}

int careers_set_heap_padding(int bytes) {
#if defined(__GLIBC__)
    if (mallopt == 0 || careers_allocator_is_jemalloc()) return 0;
    return mallopt(M_TOP_PAD, bytes) == 1 ? 1 : 0;
#else
    (void)bytes;
    return 0;
#endif
}

int careers_sync_file_system(int descriptor) {
#if defined(__linux__)
    return syncfs(descriptor);
#else
    return fsync(descriptor);
#endif
}
