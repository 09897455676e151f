#include "linux/network_loopback.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "util/cleanup.h"

int network_loopback_up(ocirun_error_t **err) {
  _cleanup_close_ int sock = -1;
  struct ifreq ifr;

  /* An ioctl on any socket reaches the interface table; no netlink needed. */
  sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0)
    return ocirun_error_set(err, errno, "socket for the loopback interface");
  memset(&ifr, 0, sizeof(ifr));
  strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
    return ocirun_error_set(err, errno, "get flags of interface lo");
  if (ifr.ifr_flags & IFF_UP)
    return 0;
  ifr.ifr_flags |= IFF_UP;
  if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
    return ocirun_error_set(err, errno, "bring up interface lo");
  return 0;
}
