/* D-Bus error replies as errors: the name's errno as sd-bus maps it, so that a caller sees
 * the same status as with libsystemd (EEXIST for a unit that exists ...). */
#include <errno.h>
#include <string.h>

#include "dbus/dbus.h"

static const struct {
  const char *name;
  int e;
} table[] = {
    {"org.freedesktop.DBus.Error.Failed", EACCES},
    {"org.freedesktop.DBus.Error.NoMemory", ENOMEM},
    {"org.freedesktop.DBus.Error.ServiceUnknown", EHOSTUNREACH},
    {"org.freedesktop.DBus.Error.NameHasNoOwner", ENXIO},
    {"org.freedesktop.DBus.Error.NoReply", ETIMEDOUT},
    {"org.freedesktop.DBus.Error.IOError", EIO},
    {"org.freedesktop.DBus.Error.BadAddress", EADDRNOTAVAIL},
    {"org.freedesktop.DBus.Error.NotSupported", EOPNOTSUPP},
    {"org.freedesktop.DBus.Error.LimitsExceeded", ENOBUFS},
    {"org.freedesktop.DBus.Error.AccessDenied", EACCES},
    {"org.freedesktop.DBus.Error.AuthFailed", EACCES},
    {"org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", EACCES},
    {"org.freedesktop.DBus.Error.NoServer", EHOSTDOWN},
    {"org.freedesktop.DBus.Error.Timeout", ETIMEDOUT},
    {"org.freedesktop.DBus.Error.TimedOut", ETIMEDOUT},
    {"org.freedesktop.DBus.Error.NoNetwork", ENONET},
    {"org.freedesktop.DBus.Error.AddressInUse", EADDRINUSE},
    {"org.freedesktop.DBus.Error.Disconnected", ECONNRESET},
    {"org.freedesktop.DBus.Error.InvalidArgs", EINVAL},
    {"org.freedesktop.DBus.Error.FileNotFound", ENOENT},
    {"org.freedesktop.DBus.Error.FileExists", EEXIST},
    {"org.freedesktop.DBus.Error.UnknownMethod", EBADR},
    {"org.freedesktop.DBus.Error.UnknownObject", EBADR},
    {"org.freedesktop.DBus.Error.UnknownInterface", EBADR},
    {"org.freedesktop.DBus.Error.UnknownProperty", EBADR},
    {"org.freedesktop.DBus.Error.PropertyReadOnly", EROFS},
    {"org.freedesktop.DBus.Error.InvalidSignature", EINVAL},
    {"org.freedesktop.DBus.Error.InconsistentMessage", EBADMSG},
    {"org.freedesktop.DBus.Error.MatchRuleNotFound", ENOENT},
    {"org.freedesktop.DBus.Error.MatchRuleInvalid", EINVAL},
    {"org.freedesktop.systemd1.NoSuchUnit", ENOENT},
    {"org.freedesktop.systemd1.NoUnitForPID", ESRCH},
    {"org.freedesktop.systemd1.NoUnitForInvocationID", ESRCH},
    {"org.freedesktop.systemd1.UnitExists", EEXIST},
    {"org.freedesktop.systemd1.LoadFailed", EIO},
    {"org.freedesktop.systemd1.BadUnitSetting", ENOEXEC},
    {"org.freedesktop.systemd1.JobFailed", EREMOTEIO},
    {"org.freedesktop.systemd1.NoSuchJob", ENOENT},
    {"org.freedesktop.systemd1.NotSubscribed", EINVAL},
    {"org.freedesktop.systemd1.AlreadySubscribed", EINVAL},
    {"org.freedesktop.systemd1.OnlyByDependency", EINVAL},
    {"org.freedesktop.systemd1.TransactionJobsConflicting", EDEADLK},
    {"org.freedesktop.systemd1.TransactionOrderIsCyclic", EDEADLK},
    {"org.freedesktop.systemd1.TransactionIsDestructive", EDEADLK},
    {"org.freedesktop.systemd1.UnitMasked", ERFKILL},
    {"org.freedesktop.systemd1.UnitGenerated", EADDRNOTAVAIL},
    {"org.freedesktop.systemd1.UnitLinked", EADDRNOTAVAIL},
    {"org.freedesktop.systemd1.JobTypeNotApplicable", EBADR},
    {"org.freedesktop.systemd1.NoIsolation", EPERM},
    {"org.freedesktop.systemd1.ShuttingDown", ECANCELED},
    {"org.freedesktop.systemd1.ScopeNotRunning", EHOSTDOWN},
    {"org.freedesktop.systemd1.NoSuchDynamicUser", ESRCH},
    {"org.freedesktop.systemd1.NotReferenced", EUNATCH},
    {"org.freedesktop.systemd1.DiskFull", ENOSPC},
    {"org.freedesktop.systemd1.UnitInactive", ENOLINK},
};

int dbus_error_errno(const char *name) {
  if (name == NULL)
    return EIO;
  for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
    if (strcmp(table[i].name, name) == 0)
      return table[i].e;
  /* sd-bus's own form for an errno: "System.Error.ENOENT" */
  if (strncmp(name, "System.Error.", 13) == 0) {
    for (int e = 1; e < 256; e++) {
      const char *n = strerrorname_np(e);
      if (n && strcmp(n, name + 13) == 0)
        return e;
    }
  }
  return EIO;
}

int dbus_error_from_reply(const struct dbus_message *m, ocirun_error_t **err) {
  struct dbus_reader r;
  const char *text = NULL;
  dbus_reader_init(&r, m);
  /* an error's first argument, when it is a string, is its message */
  if (m->signature[0] != 's' || dbus_read_string(&r, 's', &text) < 0)
    text = NULL;
  return ocirun_error_set(err, dbus_error_errno(m->error_name), "%s (%s)",
                          text && text[0] ? text : "failed", m->error_name);
}
