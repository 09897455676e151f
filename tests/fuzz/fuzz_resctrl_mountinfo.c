/* libFuzzer target: the resctrl mount lookup over mountinfo text, plus the
 * interface-name check and the mount-label data string (inputs split at the
 * first NUL: mountinfo, then a name / label). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linux/intel_rdt.h"
#include "linux/lsm.h"
#include "linux/net_devices.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = malloc(size + 2), *mountpoint = NULL, *labelled = NULL;
  ocirun_error_t *err = NULL;

  if (buf == NULL)
    return 0;
  memcpy(buf, data, size);
  buf[size] = buf[size + 1] = '\0';
  const char *second = buf + strlen(buf) + 1;
  if (intel_rdt_find_mount(buf, &mountpoint) == 0) {
    /* the mount point is a piece of the input, unescaped: never longer */
    if (strlen(mountpoint) > size)
      abort();
    free(mountpoint);
  }
  (void)net_device_name_valid(second);
  if (selinux_mount_data(buf, second, &labelled, &err) == 0 && labelled &&
      strstr(labelled, "context=\"") == NULL)
    abort();
  free(labelled);
  ocirun_error_free(&err);
  free(buf);
  return 0;
}
