/* linux.netDevices: host network interfaces moved into the container's
 * network namespace at create (runc 1.3+).  As runc, and as the runtime-spec
 * requires, nothing moves them back at delete: the network namespace's owner
 * decides, and when the namespace goes the kernel returns physical devices to
 * the initial namespace and destroys virtual ones. */
#ifndef OCIRUN_LINUX_NET_DEVICES_H
#define OCIRUN_LINUX_NET_DEVICES_H

#include <stdbool.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

/* A name the kernel accepts for an interface (dev_valid_name): 1..15 bytes,
 * not "." or "..", no '/', ':' or white space. */
bool net_device_name_valid(const char *name);

/* Before anything is created: a network namespace of the container's own
 * (new, or joined and not the runtime's), valid names on both sides. */
int net_devices_validate(const struct spec *spec, ocirun_error_t **err);

/* Moves every device into joined_netns (the namespace the config names, opened)
 * or, when -1, into the new network namespace of pid (the container init),
 * renamed when asked, with its permanent global addresses
 * re-added there (the kernel drops addresses on a move; MTU and MAC address
 * stay with the device), and sets it up. */
int net_devices_move(const struct spec *spec, pid_t pid, int joined_netns, ocirun_error_t **err);

#endif
