/* Capability names and numbers, from the kernel's <linux/capability.h>.  The
 * table stops at the headers' CAP_LAST_CAP; capabilities of a newer kernel have
 * no name here but are still dropped from the bounding set by number. */
#include "linux/capabilities.h"

#include <linux/capability.h>
#include <string.h>

#define CAP_ENTRY(c) [c] = #c

static const char *const cap_names[CAP_LAST_CAP + 1] = {
    CAP_ENTRY(CAP_CHOWN),
    CAP_ENTRY(CAP_DAC_OVERRIDE),
    CAP_ENTRY(CAP_DAC_READ_SEARCH),
    CAP_ENTRY(CAP_FOWNER),
    CAP_ENTRY(CAP_FSETID),
    CAP_ENTRY(CAP_KILL),
    CAP_ENTRY(CAP_SETGID),
    CAP_ENTRY(CAP_SETUID),
    CAP_ENTRY(CAP_SETPCAP),
    CAP_ENTRY(CAP_LINUX_IMMUTABLE),
    CAP_ENTRY(CAP_NET_BIND_SERVICE),
    CAP_ENTRY(CAP_NET_BROADCAST),
    CAP_ENTRY(CAP_NET_ADMIN),
    CAP_ENTRY(CAP_NET_RAW),
    CAP_ENTRY(CAP_IPC_LOCK),
    CAP_ENTRY(CAP_IPC_OWNER),
    CAP_ENTRY(CAP_SYS_MODULE),
    CAP_ENTRY(CAP_SYS_RAWIO),
    CAP_ENTRY(CAP_SYS_CHROOT),
    CAP_ENTRY(CAP_SYS_PTRACE),
    CAP_ENTRY(CAP_SYS_PACCT),
    CAP_ENTRY(CAP_SYS_ADMIN),
    CAP_ENTRY(CAP_SYS_BOOT),
    CAP_ENTRY(CAP_SYS_NICE),
    CAP_ENTRY(CAP_SYS_RESOURCE),
    CAP_ENTRY(CAP_SYS_TIME),
    CAP_ENTRY(CAP_SYS_TTY_CONFIG),
    CAP_ENTRY(CAP_MKNOD),
    CAP_ENTRY(CAP_LEASE),
    CAP_ENTRY(CAP_AUDIT_WRITE),
    CAP_ENTRY(CAP_AUDIT_CONTROL),
    CAP_ENTRY(CAP_SETFCAP),
    CAP_ENTRY(CAP_MAC_OVERRIDE),
    CAP_ENTRY(CAP_MAC_ADMIN),
    CAP_ENTRY(CAP_SYSLOG),
    CAP_ENTRY(CAP_WAKE_ALARM),
    CAP_ENTRY(CAP_BLOCK_SUSPEND),
    CAP_ENTRY(CAP_AUDIT_READ),
    CAP_ENTRY(CAP_PERFMON),
    CAP_ENTRY(CAP_BPF),
    CAP_ENTRY(CAP_CHECKPOINT_RESTORE),
};

int cap_last_known(void) {
  return CAP_LAST_CAP;
}

const char *cap_name(int cap) {
  if (cap < 0 || cap > CAP_LAST_CAP)
    return NULL;
  return cap_names[cap];
}

int cap_from_name(const char *name) {
  if (name == NULL)
    return -1;
  for (int i = 0; i <= CAP_LAST_CAP; i++) {
    if (cap_names[i] != NULL && strcmp(cap_names[i], name) == 0)
      return i;
  }
  return -1;
}
