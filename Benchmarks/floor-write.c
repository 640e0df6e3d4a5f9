/*
 * floor-write: the least a file system lets any tool spend putting a given set of files on disk.
 *
 * Usage: floor-write SOURCE DESTINATION [THREADS]
 *
 * SOURCE is a folder that was already built (for example a careers output folder). Every regular file in it is
 * read into memory first, with its path relative to SOURCE; this part is not timed. Names that start with '.' are
 * left out, files and folders alike (careers keeps its marker file and its staging folder under such names).
 *
 * Then, timed with CLOCK_MONOTONIC, it makes DESTINATION (which must not exist yet) and every sub-folder, and
 * writes every file into it: open(O_WRONLY | O_CREAT | O_EXCL), write until done, close. The files are spread over
 * THREADS threads (default 2), largest first, each thread taking the next file from one atomic counter. Last it
 * calls syncfs(2) once on DESTINATION, as careers does before it renames its output into place, and times that
 * apart. No rendering, no reading, no temporary names, no renames: exactly the same bytes into exactly the same
 * files, the cheapest way this program knows. A tool that makes these files cannot be faster than this on the
 * same disk, except by writing fewer or smaller files.
 *
 * It prints one line, for scripts to read:
 *   files=4653 dirs=12 bytes=112922668 threads=2 write_seconds=0.2581 syncfs_seconds=0.0760
 * write_seconds covers making the folders and writing the files (threads started and joined); syncfs_seconds the
 * one syncfs. On any error it prints what failed to standard error and exits with status 1 (2 for bad usage).
 *
 * Build: cc -O2 -Wall -Wextra -pthread -o floor-write floor-write.c      (C11 with POSIX; syncfs is Linux's)
 */
#define _GNU_SOURCE /* syncfs */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 256

/* One file of the source tree, read into memory. */
struct file {
    char *source_path;      /* SOURCE/relative, for reading */
    char *destination_path; /* DESTINATION/relative, made before the timed part */
    unsigned char *data;
    size_t size;
};

/* Growable arrays of files and of folders (folder paths relative to SOURCE, parents before children). */
static struct file *files;
static size_t file_count, file_capacity;
static char **folders;
static size_t folder_count, folder_capacity;

/* Shared by the writer threads: the next file to take, and the first error (the others stop when it is set). */
static atomic_size_t next_file;
static atomic_bool failed;
static pthread_mutex_t error_lock = PTHREAD_MUTEX_INITIALIZER;
static char error_message[PATH_MAX + 256];

static void die(const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    fputs("floor-write: ", stderr);
    vfprintf(stderr, format, arguments);
    fputc('\n', stderr);
    va_end(arguments);
    exit(1);
}

static void *checked_malloc(size_t size) {
    void *pointer = malloc(size ? size : 1);
    if (!pointer) die("out of memory (%zu bytes)", size);
    return pointer;
}

static void *checked_realloc(void *pointer, size_t size) {
    pointer = realloc(pointer, size);
    if (!pointer) die("out of memory (%zu bytes)", size);
    return pointer;
}

/* "a" + "/" + "b" in a new string; "a" alone when b is empty. */
static char *join(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    char *result = checked_malloc(la + 1 + lb + 1);
    memcpy(result, a, la);
    if (lb) {
        result[la] = '/';
        memcpy(result + la + 1, b, lb);
        result[la + 1 + lb] = '\0';
    } else {
        result[la] = '\0';
    }
    return result;
}

/* Reads one whole file into memory (not timed). */
static void read_file(const char *path, struct file *file) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die("cannot open %s: %s", path, strerror(errno));
    struct stat info;
    if (fstat(fd, &info) != 0) die("cannot stat %s: %s", path, strerror(errno));
    size_t size = (size_t)info.st_size;
    unsigned char *data = checked_malloc(size);
    size_t done = 0;
    while (done < size) {
        ssize_t n = read(fd, data + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) die("cannot read %s: %s", path, strerror(errno));
        if (n == 0) die("%s became shorter while it was read", path);
        done += (size_t)n;
    }
    if (close(fd) != 0) die("cannot close %s: %s", path, strerror(errno));
    file->data = data;
    file->size = size;
}

/* Walks SOURCE/relative depth first: records each folder before its contents, reads each regular file. */
static void walk(const char *source, const char *relative) {
    char *path = join(source, relative);
    DIR *directory = opendir(path);
    if (!directory) die("cannot open folder %s: %s", path, strerror(errno));
    for (;;) {
        errno = 0;
        struct dirent *entry = readdir(directory);
        if (!entry) {
            if (errno) die("cannot list %s: %s", path, strerror(errno));
            break;
        }
        if (entry->d_name[0] == '.') continue; /* ".", "..", and careers' hidden marker and staging */
        char *child = *relative ? join(relative, entry->d_name) : join(entry->d_name, "");
        char *child_path = join(source, child);
        struct stat info;
        if (lstat(child_path, &info) != 0) die("cannot stat %s: %s", child_path, strerror(errno));
        if (S_ISDIR(info.st_mode)) {
            if (folder_count == folder_capacity) {
                folder_capacity = folder_capacity ? 2 * folder_capacity : 64;
                folders = checked_realloc(folders, folder_capacity * sizeof *folders);
            }
            folders[folder_count++] = child;
            walk(source, child);
        } else if (S_ISREG(info.st_mode)) {
            if (file_count == file_capacity) {
                file_capacity = file_capacity ? 2 * file_capacity : 1024;
                files = checked_realloc(files, file_capacity * sizeof *files);
            }
            struct file *file = &files[file_count++];
            file->source_path = child_path;
            file->destination_path = child; /* made absolute in main, once DESTINATION is known */
            read_file(child_path, file);
            continue; /* child_path is kept */
        } else {
            fprintf(stderr, "floor-write: skipping %s: not a regular file or folder\n", child_path);
            free(child);
        }
        free(child_path);
    }
    closedir(directory);
    free(path);
}

/* Largest first, so the last files handed out are small and the threads finish together. */
static int by_size_descending(const void *a, const void *b) {
    size_t sa = ((const struct file *)a)->size, sb = ((const struct file *)b)->size;
    return (sa < sb) - (sa > sb);
}

static void fail(const char *what, const char *path, int error) {
    pthread_mutex_lock(&error_lock);
    if (!atomic_load(&failed)) {
        snprintf(error_message, sizeof error_message, "cannot %s %s: %s", what, path, strerror(error));
        atomic_store(&failed, true);
    }
    pthread_mutex_unlock(&error_lock);
}

/* One writer thread: takes files from the shared counter until there are none left or a thread failed. */
static void *writer(void *unused) {
    (void)unused;
    while (!atomic_load_explicit(&failed, memory_order_relaxed)) {
        size_t index = atomic_fetch_add(&next_file, 1);
        if (index >= file_count) break;
        const struct file *file = &files[index];
        int fd = open(file->destination_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) {
            fail("create", file->destination_path, errno);
            break;
        }
        size_t done = 0;
        while (done < file->size) {
            ssize_t n = write(fd, file->data + done, file->size - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                fail("write", file->destination_path, n < 0 ? errno : EIO);
                break;
            }
            done += (size_t)n;
        }
        if (close(fd) != 0) fail("close", file->destination_path, errno);
    }
    return NULL;
}

static double seconds_between(const struct timespec *a, const struct timespec *b) {
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void now(struct timespec *t) {
    if (clock_gettime(CLOCK_MONOTONIC, t) != 0) die("clock_gettime: %s", strerror(errno));
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s SOURCE DESTINATION [THREADS]\n"
                        "  copies the files of SOURCE (an already built folder; names starting with '.' left out)\n"
                        "  into DESTINATION, which must not exist, and times the writes and one syncfs\n",
                argv[0]);
        return 2;
    }
    const char *source = argv[1], *destination = argv[2];
    long threads = 2;
    if (argc == 4) {
        char *end;
        errno = 0;
        threads = strtol(argv[3], &end, 10);
        if (errno || *end || end == argv[3] || threads < 1 || threads > MAX_THREADS) {
            fprintf(stderr, "floor-write: THREADS must be a number from 1 to %d, not \"%s\"\n", MAX_THREADS, argv[3]);
            return 2;
        }
    }

    /* Not timed: check the destination, read the source, sort, and make every destination path. */
    struct stat info;
    if (stat(source, &info) != 0) die("cannot stat source %s: %s", source, strerror(errno));
    if (!S_ISDIR(info.st_mode)) die("source %s is not a folder", source);
    if (lstat(destination, &info) == 0) die("destination %s exists already; it must not", destination);
    if (errno != ENOENT) die("cannot stat destination %s: %s", destination, strerror(errno));
    walk(source, "");
    qsort(files, file_count, sizeof *files, by_size_descending);
    unsigned long long bytes = 0;
    for (size_t i = 0; i < file_count; i++) {
        char *relative = files[i].destination_path;
        files[i].destination_path = join(destination, relative);
        free(relative);
        bytes += files[i].size;
    }
    for (size_t i = 0; i < folder_count; i++) {
        char *relative = folders[i];
        folders[i] = join(destination, relative);
        free(relative);
    }

    /* Timed: the folders (parents first, as the walk recorded them), then the files over the threads. */
    struct timespec start, written, synced;
    now(&start);
    if (mkdir(destination, 0755) != 0) die("cannot create %s: %s", destination, strerror(errno));
    for (size_t i = 0; i < folder_count; i++) {
        if (mkdir(folders[i], 0755) != 0) die("cannot create %s: %s", folders[i], strerror(errno));
    }
    pthread_t workers[MAX_THREADS];
    for (long i = 0; i < threads; i++) {
        int error = pthread_create(&workers[i], NULL, writer, NULL);
        if (error) die("cannot start a thread: %s", strerror(error));
    }
    for (long i = 0; i < threads; i++) {
        int error = pthread_join(workers[i], NULL);
        if (error) die("cannot join a thread: %s", strerror(error));
    }
    now(&written);
    if (atomic_load(&failed)) die("%s", error_message);

    /* Timed apart: one syncfs on the destination's file system. */
    int fd = open(destination, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) die("cannot open %s: %s", destination, strerror(errno));
    if (syncfs(fd) != 0) die("syncfs on %s failed: %s", destination, strerror(errno));
    now(&synced);
    close(fd);

    printf("files=%zu dirs=%zu bytes=%llu threads=%ld write_seconds=%.4f syncfs_seconds=%.4f\n", file_count,
           folder_count, bytes, threads, seconds_between(&start, &written), seconds_between(&written, &synced));
    if (fflush(stdout) != 0 || ferror(stdout)) die("cannot write the result: %s", strerror(errno));
    return 0;
}
