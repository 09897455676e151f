/* Small file helpers.  All return a negative value and fill *err naming the
 * path on failure. */
#ifndef OCIRUN_FS_H
#define OCIRUN_FS_H

#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"

/* Read a whole file (dirfd may be AT_FDCWD).  *out is NUL-terminated; *len excludes the NUL.
 * Files larger than max_size are refused (EFBIG). */
int fs_read_file_at(int dirfd, const char *path, size_t max_size, char **out, size_t *len,
                    ocirun_error_t **err);
int fs_read_file(const char *path, size_t max_size, char **out, size_t *len, ocirun_error_t **err);

/* Write data to an existing file (no O_CREAT), e.g. cgroup and procfs files. */
int fs_write_file_at(int dirfd, const char *path, const char *data, size_t len,
                     ocirun_error_t **err);

/* Write via a temporary file in the same directory, then an fsync-free atomic replace
 * (an old file is swapped out and unlinked: see replace_file in fs.c). */
int fs_write_file_atomic(const char *path, const char *data, size_t len, mode_t mode,
                         ocirun_error_t **err);

/* mkdir -p; existing directories are fine. */
int fs_mkdir_p(const char *path, mode_t mode, ocirun_error_t **err);

#endif
