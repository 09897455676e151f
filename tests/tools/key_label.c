/* key_label: prints "<name> <label>" of the calling process's session keyring
 * (its description and its LSM label), for the SELinux checks: the container's
 * keyring must be "_ses.<id>" and carry the process label. */
#include <linux/keyctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  char desc[512], label[512];
  long n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, KEY_SPEC_SESSION_KEYRING, desc, sizeof(desc) - 1);
  if (n < 0) {
    perror("keyctl describe");
    return 1;
  }
  desc[n < (long)sizeof(desc) ? n : (long)sizeof(desc) - 1] = '\0';
  /* type;uid;gid;perm;description */
  const char *name = desc;
  for (int i = 0; i < 4 && name; i++) {
    name = strchr(name, ';');
    if (name)
      name++;
  }
  n = syscall(SYS_keyctl, KEYCTL_GET_SECURITY, KEY_SPEC_SESSION_KEYRING, label, sizeof(label) - 1);
  if (n < 0) {
    perror("keyctl get_security");
    return 1;
  }
  label[n] = '\0';
  printf("%s %s\n", name ? name : desc, label);
  return 0;
}
