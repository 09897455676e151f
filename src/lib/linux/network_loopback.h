/* Bringing up "lo" in a new network namespace, as runc does. */
#ifndef OCIRUN_LINUX_NETWORK_LOOPBACK_H
#define OCIRUN_LINUX_NETWORK_LOOPBACK_H

#include "util/error.h"

/* Sets IFF_UP on "lo" in the current network namespace (nothing when up). */
int network_loopback_up(ocirun_error_t **err);

#endif
