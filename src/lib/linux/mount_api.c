/* Thin wrappers over the mount syscalls, fd-based so that no path inside the
 * rootfs is ever looked up again once resolved. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "linux/mounts.h"
#include "linux/path_resolve.h"
#include "util/cleanup.h"
#include "util/syscalls.h"

int mount_fs_on_fd(const char *source, int target_fd, const char *type, unsigned long flags,
                   const char *data) {
  char proc[32];
  /* The legacy call takes the data string verbatim (each filesystem parses it
   * as it always has) and costs one syscall; the target is the very inode the
   * fd pins, reached through the host's /proc before the root is switched. */
  return mount(source, path_proc_fd(proc, target_fd), type, flags, data);
}

int mount_set_attrs(int mnt_fd, bool recursive, uint64_t set, uint64_t clr) {
  struct mount_attr attr = {.attr_set = set, .attr_clr = clr};
  return sys_mount_setattr(mnt_fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr);
}

int mount_apply_propagation(int mnt_fd, const struct mount_options *mo) {
  for (size_t i = 0; i < mo->propagation_len; i++) {
    unsigned long p = mo->propagation[i];
    struct mount_attr attr = {.propagation = p & ~(unsigned long)MS_REC};
    if (sys_mount_setattr(mnt_fd, "", AT_EMPTY_PATH | ((p & MS_REC) ? AT_RECURSIVE : 0), &attr) < 0)
      return -1;
  }
  return 0;
}

int mount_move_onto(int tree_fd, int target_fd) {
  return sys_move_mount(tree_fd, "", target_fd, "",
                        MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

/* The filesystem explains a refused parameter in the context's log. */
static void read_fs_log(int fs_fd, char *msg, size_t size) {
  ssize_t n;

  if (msg == NULL || size == 0)
    return;
  n = read(fs_fd, msg, size - 1);
  if (n <= 0) {
    msg[0] = '\0';
    return;
  }
  if (msg[n - 1] == '\n')
    n--;
  msg[n] = '\0';
  /* Lines read "e tmpfs: Bad value for 'size'": keep the text only. */
  if (n > 2 && msg[1] == ' ')
    memmove(msg, msg + 2, (size_t)n - 1);
}

static int set_sb_flags(int fs_fd, unsigned long sb_flags) {
  static const struct {
    unsigned long flag;
    const char *name;
  } map[] = {{MS_RDONLY, "ro"},
             {MS_SYNCHRONOUS, "sync"},
             {MS_DIRSYNC, "dirsync"},
             {MS_LAZYTIME, "lazytime"},
             {MS_MANDLOCK, "mand"}};
  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
    if ((sb_flags & map[i].flag) &&
        sys_fsconfig(fs_fd, FSCONFIG_SET_FLAG, map[i].name, NULL, 0) < 0)
      return -1;
  }
  return 0;
}

/* The next item of a legacy data string: up to a comma outside double quotes
 * (an SELinux context="system_u:object_r:t:s0:c1,c2" holds commas).  The item
 * is cut out in place; *rest moves past it. */
static char *next_item(char **rest) {
  char *item = *rest, *p = item;
  bool quoted = false;

  if (item == NULL || *item == '\0')
    return NULL;
  for (; *p && (quoted || *p != ','); p++)
    if (*p == '"')
      quoted = !quoted;
  *rest = *p ? p + 1 : NULL;
  *p = '\0';
  return item;
}

/* The legacy data string, one fsconfig parameter per item; a quoted value is
 * passed without its quotes (the mount(2) parser strips them too). */
static int set_data(int fs_fd, const char *data) {
  _cleanup_free_ char *copy = NULL;
  char *rest;

  if (data == NULL || *data == '\0')
    return 0;
  copy = strdup(data);
  if (copy == NULL) {
    errno = ENOMEM;
    return -1;
  }
  rest = copy;
  for (char *item; (item = next_item(&rest)) != NULL;) {
    char *eq = strchr(item, '=');
    int r;
    if (item[0] == '\0')
      continue;
    if (eq) {
      char *value = eq + 1;
      size_t len = strlen(value);
      *eq = '\0';
      if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
        value[len - 1] = '\0';
        value++;
      }
      r = sys_fsconfig(fs_fd, FSCONFIG_SET_STRING, item, value, 0);
    } else {
      r = sys_fsconfig(fs_fd, FSCONFIG_SET_FLAG, item, NULL, 0);
    }
    if (r < 0)
      return -1;
  }
  return 0;
}

int mount_new_detached(const char *type, const char *source, const char *data,
                       unsigned long sb_flags, uint64_t attrs, char *msg, size_t msg_size) {
  _cleanup_close_ int fs_fd = sys_fsopen(type, FSOPEN_CLOEXEC);
  int mnt_fd, saved;

  if (msg && msg_size)
    msg[0] = '\0';
  if (fs_fd < 0)
    return -1;
  if ((source && sys_fsconfig(fs_fd, FSCONFIG_SET_STRING, "source", source, 0) < 0) ||
      set_data(fs_fd, data) < 0 || set_sb_flags(fs_fd, sb_flags) < 0 ||
      sys_fsconfig(fs_fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
    saved = errno;
    read_fs_log(fs_fd, msg, msg_size);
    errno = saved;
    return -1;
  }
  mnt_fd = sys_fsmount(fs_fd, FSMOUNT_CLOEXEC, (unsigned int)attrs);
  if (mnt_fd < 0) {
    saved = errno;
    read_fs_log(fs_fd, msg, msg_size);
    errno = saved;
  }
  return mnt_fd;
}
