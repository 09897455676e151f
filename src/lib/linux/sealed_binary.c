#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "linux/sealed_binary.h"
#include "util/cleanup.h"
#include "util/syscalls.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U /* Linux 6.3: an executable memfd, whatever vm.memfd_noexec says */
#endif

#define SELF_EXE "/proc/self/exe"
#define MEMFD_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

bool sealed_binary_fd_is_sealed(int fd) {
  struct statvfs sv;
  int seals;

  if (fstatvfs(fd, &sv) == 0 && (sv.f_flag & ST_RDONLY))
    return true;
  seals = fcntl(fd, F_GET_SEALS);
  return seals >= 0 && (seals & F_SEAL_WRITE);
}

/* A detached bind mount of the binary alone, made read-only: writes through any fd or
 * /proc link to it fail with EROFS, and the mount exists only as long as this process
 * runs it (the container, in another mount namespace, cannot remount it). */
static int readonly_bind(ocirun_error_t **err) {
  struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV};
  int fd = sys_open_tree(AT_FDCWD, SELF_EXE, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);

  if (fd < 0)
    return ocirun_error_set(err, errno, "open_tree %s", SELF_EXE);
  if (sys_mount_setattr(fd, "", AT_EMPTY_PATH, &attr) < 0) {
    int saved = errno;
    close(fd);
    return ocirun_error_set(err, saved, "mount_setattr read-only on the bind of %s", SELF_EXE);
  }
  return fd;
}

/* A memfd copy of the binary, sealed against every change. */
static int sealed_copy(int exe_fd, ocirun_error_t **err) {
  _cleanup_close_ int memfd = -1;
  struct stat st;
  off_t off = 0;
  int fd;

  memfd = memfd_create("ocirun", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
  if (memfd < 0 && errno == EINVAL) /* before Linux 6.3 */
    memfd = memfd_create("ocirun", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (memfd < 0)
    return ocirun_error_set(err, errno, "memfd_create for a sealed copy of %s", SELF_EXE);
  if (fstat(exe_fd, &st) < 0)
    return ocirun_error_set(err, errno, "fstat %s", SELF_EXE);
  while (off < st.st_size) {
    ssize_t n = sendfile(memfd, exe_fd, &off, (size_t)(st.st_size - off));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return ocirun_error_set(err, errno, "copy %s into a memfd", SELF_EXE);
    if (n == 0)
      return ocirun_error_set(err, EIO, "copy %s into a memfd: short read", SELF_EXE);
  }
  if (fcntl(memfd, F_ADD_SEALS, MEMFD_SEALS) < 0)
    return ocirun_error_set(err, errno, "seal the memfd copy of %s", SELF_EXE);
  fd = memfd;
  memfd = -1;
  return fd;
}

int sealed_binary_ensure(char *const argv[], ocirun_error_t **err) {
  _cleanup_close_ int exe_fd = -1, sealed_fd = -1;
  ocirun_error_t *bind_err = NULL;

  exe_fd = open(SELF_EXE, O_RDONLY | O_CLOEXEC);
  if (exe_fd < 0)
    return ocirun_error_set(err, errno, "open %s", SELF_EXE);
  if (sealed_binary_fd_is_sealed(exe_fd)) {
    /* execveat names the new image after its fd ("3"): give it back its name. */
    prctl(PR_SET_NAME, program_invocation_short_name, 0, 0, 0);
    return 0;
  }
  sealed_fd = readonly_bind(&bind_err);
  if (sealed_fd < 0) {
    /* Mounts need CAP_SYS_ADMIN over our mount namespace: an ordinary user copies. */
    if (bind_err->status != EPERM && bind_err->status != ENOSYS) {
      ocirun_error_move(err, &bind_err);
      return -1;
    }
    ocirun_error_free(&bind_err);
    sealed_fd = sealed_copy(exe_fd, err);
    if (sealed_fd < 0)
      return -1;
  }
  execveat(sealed_fd, "", argv, environ, AT_EMPTY_PATH);
  return ocirun_error_set(err, errno, "execveat the read-only copy of %s", SELF_EXE);
}
