#include "linux/user.h"

#include <errno.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

int user_apply(const struct spec_user *u, bool setgroups_allowed, ocirun_error_t **err) {
  /* (uid_t)-1 tells setresuid "leave unchanged": the process would stay root.  The
   * parsers refuse it; this is the last line of defence. */
  if (u->uid == (uint32_t)-1 || u->gid == (uint32_t)-1)
    return ocirun_error_set(err, EINVAL, "user %u:%u: 4294967295 is not a valid id", u->uid,
                            u->gid);
  for (size_t i = 0; i < u->additional_gids_len; i++)
    if (u->additional_gids[i] == (uint32_t)-1)
      return ocirun_error_set(err, EINVAL, "additional gid 4294967295 is not a valid id");
  if (setgroups_allowed) {
    /* gid_t and uint32_t are the same type on Linux. */
    if (setgroups(u->additional_gids_len, (const gid_t *)u->additional_gids) < 0)
      return ocirun_error_set(err, errno, "setgroups (%zu additional gids)",
                              u->additional_gids_len);
  } else if (u->additional_gids_len > 0) {
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
