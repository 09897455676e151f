#include "process/console.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <termios.h>
#include <unistd.h>

#include "process/fd_passing.h"
#include "util/cleanup.h"
#include "util/syscalls.h"

int console_open_pty(int rootfs_fd, int *master, int *slave, ocirun_error_t **err) {
  _cleanup_close_ int m = -1;
  struct statfs sfs;
  int unlock = 0, s;

  m = sys_openat2(rootfs_fd, "dev/pts/ptmx", (uint64_t)(O_RDWR | O_NOCTTY) | O_CLOEXEC, 0,
                  RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS);
  if (m < 0)
    return ocirun_error_set(err, errno, "open /dev/pts/ptmx in the container");
  /* Only a real devpts instance may provide the container's terminal. */
  if (fstatfs(m, &sfs) < 0)
    return ocirun_error_set(err, errno, "statfs /dev/pts/ptmx");
  if (sfs.f_type != DEVPTS_SUPER_MAGIC)
    return ocirun_error_set(err, 0, "/dev/pts/ptmx in the container is not on a devpts mount");
  if (ioctl(m, TIOCSPTLCK, &unlock) < 0)
    return ocirun_error_set(err, errno, "unlock pty");
  s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (s < 0)
    return ocirun_error_set(err, errno, "open pty slave");
  *slave = s;
  *master = steal_fd(&m);
  return 0;
}

int console_bind(int rootfs_fd, int slave, ocirun_error_t **err) {
  _cleanup_close_ int dev = -1, target = -1;
  char src[64], dst[64];
  struct stat st;

  dev = sys_openat2(rootfs_fd, "dev", (uint64_t)(O_PATH | O_DIRECTORY) | O_CLOEXEC, 0,
                    RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS);
  if (dev < 0)
    return ocirun_error_set(err, errno, "open /dev in the container");
  /* A symlink at /dev/console could point anywhere on the host: replace it. */
  if (fstatat(dev, "console", &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode) &&
      !S_ISCHR(st.st_mode)) {
    if (unlinkat(dev, "console", 0) < 0)
      return ocirun_error_set(err, errno, "remove /dev/console in the container");
  }
  target = openat(dev, "console", O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
  if (target < 0)
    target = openat(dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (target < 0)
    return ocirun_error_set(err, errno, "create /dev/console in the container");
  snprintf(src, sizeof(src), "/proc/self/fd/%d", slave);
  snprintf(dst, sizeof(dst), "/proc/self/fd/%d", target);
  if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
    return ocirun_error_set(err, errno, "bind the pty over /dev/console");
  return 0;
}

int console_make_stdio(int slave, bool has_size, uint32_t height, uint32_t width,
                       ocirun_error_t **err) {
  if (setsid() < 0)
    return ocirun_error_set(err, errno, "setsid");
  if (ioctl(slave, TIOCSCTTY, 0) < 0)
    return ocirun_error_set(err, errno, "set the controlling terminal");
  if (has_size) {
    struct winsize ws = {.ws_row = (unsigned short)height, .ws_col = (unsigned short)width};
    if (ioctl(slave, TIOCSWINSZ, &ws) < 0)
      return ocirun_error_set(err, errno, "set the terminal size");
  }
  for (int fd = 0; fd < 3; fd++)
    if (dup2(slave, fd) < 0)
      return ocirun_error_set(err, errno, "dup the pty to fd %d", fd);
  return 0;
}

/* The slave belongs to the process's user; its group stays the one devpts gave it (gid=5,
 * tty, in the default config).  Relayed output is not translated. */
static int console_prepare_slave(int slave, uid_t uid, bool relayed, ocirun_error_t **err) {
  struct termios t;

  if (relayed) {
    if (tcgetattr(slave, &t) < 0)
      return ocirun_error_set(err, errno, "read the terminal attributes");
    t.c_oflag &= ~(tcflag_t)ONLCR;
    if (tcsetattr(slave, TCSANOW, &t) < 0)
      return ocirun_error_set(err, errno, "clear ONLCR on the terminal");
  }
  if (fchown(slave, uid, (gid_t)-1) < 0)
    return ocirun_error_set(err, errno, "chown the terminal to uid %u", (unsigned)uid);
  return 0;
}

int console_setup(const char *root, int *console_sock, int flags, const struct spec_process *p,
                  ocirun_error_t **err) {
  _cleanup_close_ int root_fd = -1, master = -1, slave = -1;

  root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0)
    return ocirun_error_set(err, errno, "open root %s", root);
  if (console_open_pty(root_fd, &master, &slave, err) < 0 ||
      console_prepare_slave(slave, p->user.uid, flags & CONSOLE_RELAYED, err) < 0)
    return -1;
  if ((flags & CONSOLE_BIND) && console_bind(root_fd, slave, err) < 0)
    return -1;
  if (console_make_stdio(slave, p->has_console_size, p->console_height, p->console_width, err) < 0)
    return -1;
  if (fd_send(*console_sock, master, "console", 7, err) < 0)
    return -1;
  close(*console_sock);
  *console_sock = -1;
  return 0;
}

void console_clear_onlcr(int master) {
  struct termios t;
  if (tcgetattr(master, &t) == 0 && (t.c_oflag & ONLCR)) {
    t.c_oflag &= ~(tcflag_t)ONLCR;
    tcsetattr(master, TCSANOW, &t);
  }
}
