#include "linux/user.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether /proc/self/setgroups says "deny" (a user namespace whose gid map was
 * written without privilege). */
static bool setgroups_denied(void) {
  char buf[16] = {0};
  int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
  ssize_t n;

  if (fd < 0)
    return false;
  n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  return n > 0 && strncmp(buf, "deny", 4) == 0;
}

int user_become_namespace_root(ocirun_error_t **err) {
  /* Drop the runtime's supplementary groups while we still may. */
  if (setgroups(0, NULL) < 0 && !(errno == EPERM && setgroups_denied()))
    return ocirun_error_set(err, errno, "setgroups in the user namespace");
  if (setresgid(0, 0, 0) < 0)
    return ocirun_error_set(err, errno, "become root in the user namespace: setresgid(0)%s",
                            errno == EINVAL ? " (gid 0 is not mapped)" : "");
  if (setresuid(0, 0, 0) < 0)
    return ocirun_error_set(err, errno, "become root in the user namespace: setresuid(0)%s",
                            errno == EINVAL ? " (uid 0 is not mapped)" : "");
  return 0;
}

int user_apply(const struct spec_user *u, bool setgroups_allowed, ocirun_error_t **err) {
  /* (uid_t)-1 tells setresuid "leave unchanged": the process would stay root.  The
   * parsers refuse it; this is the last line of defence. */
  if (u->uid == (uint32_t)-1 || u->gid == (uint32_t)-1)
    return ocirun_error_set(err, EINVAL, "user %u:%u: 4294967295 is not a valid id", u->uid,
                            u->gid);
  for (size_t i = 0; i < u->additional_gids_len; i++)
    if (u->additional_gids[i] == (uint32_t)-1)
      return ocirun_error_set(err, EINVAL, "additional gid 4294967295 is not a valid id");
  /* gid_t and uint32_t are the same type on Linux. */
  if (setgroups_allowed &&
      setgroups(u->additional_gids_len, (const gid_t *)u->additional_gids) < 0) {
    if (errno != EPERM || !setgroups_denied())
      return ocirun_error_set(err, errno, "setgroups (%zu additional gids)",
                              u->additional_gids_len);
    setgroups_allowed = false;
  }
  if (!setgroups_allowed && u->additional_gids_len > 0) {
    return ocirun_error_set(err, 0,
                            ".process.user.additionalGids: cannot be set: setgroups is denied "
                            "in this user namespace");
  }
  if (setresgid(u->gid, u->gid, u->gid) < 0)
    return ocirun_error_set(err, errno, "setresgid(%u)", u->gid);
  if (setresuid(u->uid, u->uid, u->uid) < 0)
    return ocirun_error_set(err, errno, "setresuid(%u)", u->uid);
  if (u->has_umask)
    umask((mode_t)(u->umask & 0777));
  return 0;
}
