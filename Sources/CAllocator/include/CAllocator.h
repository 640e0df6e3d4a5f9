#ifndef CAREERS_CALLOCATOR_H
#define CAREERS_CALLOCATOR_H

/// Makes the C library's allocator give every block of at least `bytes` its own mapping, returned to the system
/// when freed (glibc's M_MMAP_THRESHOLD, which also stops glibc raising the threshold by itself). Returns 1 on
/// success, 0 when it failed or the C library is not glibc.
int careers_set_mapped_block_threshold(int bytes);

#endif
