// syncfs(2) is a GNU extension: it is declared only with _GNU_SOURCE, defined before any header.
#define _GNU_SOURCE

#include "CSystem.h"

#include <stdlib.h>  // defines __GLIBC__ when the C library is glibc
#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int careers_set_mapped_block_threshold(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes) == 1 ? 1 : 0;
#else
    (void)bytes;
    return 0;
#endif
}

int careers_set_heap_padding(int bytes) {
#if defined(__GLIBC__)
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
