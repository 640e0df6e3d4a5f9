#ifndef CAREERS_CSYSTEM_H
#define CAREERS_CSYSTEM_H

/// 1 when the program's allocator is jemalloc (linked in, or loaded as a shared library), 0 otherwise.
int careers_allocator_is_jemalloc(void);

/// Makes the C library's allocator give every block of at least `bytes` its own mapping, returned to the system
/// when freed (glibc's M_MMAP_THRESHOLD, which also stops glibc raising the threshold by itself). Returns 1 on
/// success, 0 when it failed, the C library is not glibc, or the allocator is not glibc's.
int careers_set_mapped_block_threshold(int bytes);

/// Makes the C library's allocator take `bytes` more than it needs each time it grows a heap, and keep that much
/// when it gives freed space back (glibc's M_TOP_PAD). Returns 1 on success, 0 when it failed, the C library is
/// not glibc, or the allocator is not glibc's.
int careers_set_heap_padding(int bytes);

/// Writes every dirty page of the file system that holds the open file or folder `descriptor` to disk: syncfs(2) on
/// Linux (one call instead of an fsync per file), and fsync(2) of that file or folder elsewhere. Returns 0 on
/// success, and -1 with errno set otherwise.
int careers_sync_file_system(int descriptor);

#endif
