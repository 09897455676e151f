/* Checks on a parsed config that need the host (rootfs on disk, fields this
 * build does not apply, sysctl namespacing), run before anything is created. */
#ifndef OCIRUN_CONTAINER_CREATE_CHECKS_H
#define OCIRUN_CONTAINER_CREATE_CHECKS_H

#include "spec/spec.h"
#include "util/error.h"

/* On success *rootfs is the absolute, resolved root.path (malloc'd). */
int create_checks_run(const struct spec *spec, char **rootfs, ocirun_error_t **err);

#endif
