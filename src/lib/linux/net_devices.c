/* linux.netDevices over rtnetlink: look the device up, take it down, note its
 * addresses, move and rename it in one RTM_NEWLINK, re-add the addresses in
 * the container's namespace and bring it up there. */
#include "linux/net_devices.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"

#define MAX_ADDRS 64

struct nl_req {
  struct nlmsghdr h;
  union {
    struct ifinfomsg link;
    struct ifaddrmsg addr;
  };
  char attrs[512];
};

/* One saved address: the ifaddrmsg and the attributes that make it again. */
struct saved_addr {
  struct ifaddrmsg msg;
  unsigned char local[16], address[16], broadcast[4];
  size_t local_len, address_len, broadcast_len;
};

struct addr_list {
  int ifindex;
  struct saved_addr items[MAX_ADDRS];
  size_t len;
};

bool net_device_name_valid(const char *name) {
  size_t len = strlen(name);
  if (len == 0 || len >= IFNAMSIZ || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
    return false;
  return strpbrk(name, "/: \t\r\n\v\f") == NULL;
}

int net_devices_validate(const struct spec *spec, ocirun_error_t **err) {
  const struct spec_namespace *net = spec_find_namespace(spec, SPEC_NS_NETWORK);

  if (spec->linux_.net_devices_len == 0)
    return 0;
  if (net == NULL)
    return ocirun_error_set(err, 0,
                            ".linux.netDevices: unable to move network devices without a "
                            "network namespace");
  if (net->path && net->path[0]) {
    struct stat a, b;
    if (stat(net->path, &a) < 0)
      return ocirun_error_set(err, errno, ".linux.netDevices: network namespace %s", net->path);
    if (stat("/proc/self/ns/net", &b) < 0)
      return ocirun_error_set(err, errno, "stat /proc/self/ns/net");
    if (a.st_dev == b.st_dev && a.st_ino == b.st_ino)
      return ocirun_error_set(err, 0,
                              ".linux.netDevices: unable to move network devices to the host "
                              "network namespace");
  }
  for (size_t i = 0; i < spec->linux_.net_devices_len; i++) {
    const struct spec_net_device *d = &spec->linux_.net_devices[i];
    if (!net_device_name_valid(d->host_name))
      return ocirun_error_set(err, 0, ".linux.netDevices[\"%s\"]: invalid network device name",
                              d->host_name);
    if (d->name && d->name[0] && !net_device_name_valid(d->name))
      return ocirun_error_set(err, 0,
                              ".linux.netDevices[\"%s\"].name: invalid network device name \"%s\"",
                              d->host_name, d->name);
  }
  return 0;
}

static void add_attr(struct nl_req *r, unsigned short type, const void *data, size_t len) {
  struct rtattr *rta = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->h.nlmsg_len));
  rta->rta_type = type;
  rta->rta_len = (unsigned short)RTA_LENGTH(len);
  memcpy(RTA_DATA(rta), data, len);
  r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

static void link_req(struct nl_req *r, unsigned short type, int ifindex) {
  memset(r, 0, sizeof(*r));
  r->h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
  r->h.nlmsg_type = type;
  r->h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  r->link.ifi_family = AF_UNSPEC;
  r->link.ifi_index = ifindex;
}

typedef void (*reply_fn)(const struct nlmsghdr *h, void *ctx);

/* Sends r and reads until its acknowledgement (or, for a dump, its end),
 * passing every other message to cb.  Returns 0 or -errno. */
static int nl_transact(int fd, struct nl_req *r, reply_fn cb, void *ctx) {
  static uint32_t seq;
  char buf[32768] __attribute__((aligned(NLMSG_ALIGNTO)));
  bool dump = (r->h.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;

  r->h.nlmsg_seq = ++seq;
  if (send(fd, r, r->h.nlmsg_len, 0) < 0)
    return -errno;
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -errno;
    }
    if (n == 0)
      return -EPROTO;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
         h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_seq != r->h.nlmsg_seq)
        continue;
      if (h->nlmsg_type == NLMSG_DONE)
        return 0;
      if (h->nlmsg_type == NLMSG_ERROR) {
        const struct nlmsgerr *e = NLMSG_DATA(h);
        if (e->error != 0 || !dump)
          return e->error;
        continue;
      }
      if (cb)
        cb(h, ctx);
    }
  }
}

static void take_index(const struct nlmsghdr *h, void *ctx) {
  if (h->nlmsg_type == RTM_NEWLINK)
    *(int *)ctx = ((const struct ifinfomsg *)NLMSG_DATA(h))->ifi_index;
}

/* The index of the interface called name in the socket's namespace, or -errno. */
static int link_index(int fd, const char *name) {
  struct nl_req r;
  int index = 0, rc;

  link_req(&r, RTM_GETLINK, 0);
  add_attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
  rc = nl_transact(fd, &r, take_index, &index);
  if (rc < 0)
    return rc;
  return index > 0 ? index : -ENODEV;
}

static int link_set_up(int fd, int ifindex, bool up) {
  struct nl_req r;
  link_req(&r, RTM_NEWLINK, ifindex);
  r.link.ifi_change = IFF_UP;
  r.link.ifi_flags = up ? IFF_UP : 0;
  return nl_transact(fd, &r, NULL, NULL);
}

static void copy_attr(const struct rtattr *a, unsigned char *dst, size_t cap, size_t *len) {
  size_t n = RTA_PAYLOAD(a);
  if (n <= cap) {
    memcpy(dst, RTA_DATA(a), n);
    *len = n;
  }
}

/* Keeps the permanent addresses of global scope (the runtime-spec's rule):
 * others are the old namespace's business (autoconfigured, link-local...). */
static void take_addr(const struct nlmsghdr *h, void *ctx) {
  struct addr_list *l = ctx;
  const struct ifaddrmsg *m = NLMSG_DATA(h);
  struct saved_addr *s;
  uint32_t flags = m->ifa_flags;
  int len = (int)IFA_PAYLOAD(h);

  if (h->nlmsg_type != RTM_NEWADDR || (int)m->ifa_index != l->ifindex || l->len == MAX_ADDRS)
    return;
  for (const struct rtattr *a = IFA_RTA(m); RTA_OK(a, len); a = RTA_NEXT(a, len))
    if (a->rta_type == IFA_FLAGS && RTA_PAYLOAD(a) >= sizeof(uint32_t))
      memcpy(&flags, RTA_DATA(a), sizeof(flags));
  if (!(flags & IFA_F_PERMANENT) || m->ifa_scope != RT_SCOPE_UNIVERSE)
    return;
  s = &l->items[l->len];
  memset(s, 0, sizeof(*s));
  s->msg = *m;
  len = (int)IFA_PAYLOAD(h);
  for (const struct rtattr *a = IFA_RTA(m); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    if (a->rta_type == IFA_LOCAL)
      copy_attr(a, s->local, sizeof(s->local), &s->local_len);
    else if (a->rta_type == IFA_ADDRESS)
      copy_attr(a, s->address, sizeof(s->address), &s->address_len);
    else if (a->rta_type == IFA_BROADCAST)
      copy_attr(a, s->broadcast, sizeof(s->broadcast), &s->broadcast_len);
  }
  if (s->local_len || s->address_len)
    l->len++;
}

static int list_addrs(int fd, struct addr_list *l) {
  struct nl_req r;
  memset(&r, 0, sizeof(r));
  r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
  r.h.nlmsg_type = RTM_GETADDR;
  r.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  r.addr.ifa_family = AF_UNSPEC;
  return nl_transact(fd, &r, take_addr, l);
}

static int add_addr(int fd, int ifindex, const struct saved_addr *s) {
  struct nl_req r;
  memset(&r, 0, sizeof(r));
  r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
  r.h.nlmsg_type = RTM_NEWADDR;
  r.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
  r.addr = s->msg;
  r.addr.ifa_index = (uint32_t)ifindex;
  r.addr.ifa_flags = 0;
  if (s->local_len)
    add_attr(&r, IFA_LOCAL, s->local, s->local_len);
  if (s->address_len)
    add_attr(&r, IFA_ADDRESS, s->address, s->address_len);
  if (s->broadcast_len)
    add_attr(&r, IFA_BROADCAST, s->broadcast, s->broadcast_len);
  return nl_transact(fd, &r, NULL, NULL);
}

static int rtnl_socket(void) {
  return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
}

/* A netlink socket that lives in the namespace netns_fd: made there, then
 * back to our own namespace (a socket keeps the namespace it was made in). */
static int rtnl_socket_in(int netns_fd, ocirun_error_t **err) {
  _cleanup_close_ int own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  int fd, saved;

  if (own < 0)
    return ocirun_error_set(err, errno, "open /proc/self/ns/net");
  if (setns(netns_fd, CLONE_NEWNET) < 0)
    return ocirun_error_set(err, errno, "enter the container's network namespace");
  fd = rtnl_socket();
  saved = errno;
  if (setns(own, CLONE_NEWNET) < 0) {
    if (fd >= 0)
      close(fd);
    return ocirun_error_set(err, errno, "return to the runtime's network namespace");
  }
  if (fd < 0)
    return ocirun_error_set(err, saved, "netlink socket in the container's network namespace");
  return fd;
}

static int move_one(int host_fd, int ns_fd, int netns_fd, const struct spec_net_device *d,
                    ocirun_error_t **err) {
  const char *name = d->name && d->name[0] ? d->name : d->host_name;
  struct addr_list *addrs = NULL;
  struct nl_req r;
  int index, rc;

  /* Checked before anything changes: the kernel moves the device first and
   * renames it after, so a clash found by the move itself leaves it moved. */
  if (!strchr(name, '%') && link_index(ns_fd, name) > 0)
    return ocirun_error_set(err, EEXIST,
                            ".linux.netDevices[\"%s\"]: a network device named %s already exists "
                            "in the container's network namespace",
                            d->host_name, name);
  index = link_index(host_fd, d->host_name);
  if (index < 0)
    return ocirun_error_set(err, -index,
                            ".linux.netDevices[\"%s\"]: link not found for interface %s on the "
                            "runtime's network namespace",
                            d->host_name, d->host_name);
  /* Down first: nothing on the host keeps using it while it changes. */
  if ((rc = link_set_up(host_fd, index, false)) < 0)
    return ocirun_error_set(err, -rc, ".linux.netDevices[\"%s\"]: set link down", d->host_name);
  addrs = calloc(1, sizeof(*addrs));
  if (addrs == NULL)
    return ocirun_error_set(err, ENOMEM, ".linux.netDevices");
  addrs->ifindex = index;
  if ((rc = list_addrs(host_fd, addrs)) < 0) {
    free(addrs);
    return ocirun_error_set(err, -rc, ".linux.netDevices[\"%s\"]: list addresses", d->host_name);
  }
  /* Move and rename in one request: the name is only ever looked up in the
   * container's namespace, so it cannot clash with a host interface. */
  link_req(&r, RTM_NEWLINK, index);
  add_attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
  uint32_t nsfd = (uint32_t)netns_fd;
  add_attr(&r, IFLA_NET_NS_FD, &nsfd, sizeof(nsfd));
  if ((rc = nl_transact(host_fd, &r, NULL, NULL)) < 0) {
    free(addrs);
    if (rc == -EEXIST)
      return ocirun_error_set(err, EEXIST,
                              ".linux.netDevices[\"%s\"]: a network device named %s already "
                              "exists in the container's network namespace",
                              d->host_name, name);
    return ocirun_error_set(err, -rc,
                            ".linux.netDevices[\"%s\"]: move network device to the container's "
                            "network namespace as %s",
                            d->host_name, name);
  }
  int old_index = index;
  index = link_index(ns_fd, name);
  /* A "%d" template was replaced by the kernel: the device usually keeps its index. */
  if (index < 0 && strchr(name, '%'))
    index = old_index;
  for (size_t i = 0; index > 0 && i < addrs->len; i++) {
    if ((rc = add_addr(ns_fd, index, &addrs->items[i])) < 0 && rc != -EEXIST) {
      free(addrs);
      return ocirun_error_set(err, -rc,
                              ".linux.netDevices[\"%s\"]: add address %zu to %s in the "
                              "container's network namespace",
                              d->host_name, i, name);
    }
  }
  free(addrs);
  if (index < 0)
    return ocirun_error_set(err, -index,
                            ".linux.netDevices[\"%s\"]: %s not found in the container's network "
                            "namespace after the move",
                            d->host_name, name);
  if ((rc = link_set_up(ns_fd, index, true)) < 0)
    return ocirun_error_set(err, -rc, ".linux.netDevices[\"%s\"]: set %s up", d->host_name, name);
  return 0;
}

int net_devices_move(const struct spec *spec, pid_t pid, int joined_netns, ocirun_error_t **err) {
  _cleanup_close_ int own_netns = -1, host_fd = -1, ns_fd = -1;
  int netns = joined_netns;
  char path[64];

  if (spec->linux_.net_devices_len == 0)
    return 0;
  if (netns < 0) {
    snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
    netns = own_netns = open(path, O_RDONLY | O_CLOEXEC);
    if (netns < 0)
      return ocirun_error_set(err, errno, "open %s", path);
  }
  host_fd = rtnl_socket();
  if (host_fd < 0)
    return ocirun_error_set(err, errno, "netlink socket");
  ns_fd = rtnl_socket_in(netns, err);
  if (ns_fd < 0)
    return -1;
  /* A failure leaves the devices moved so far where they are: the kernel hands
   * them back (physical) or destroys them (virtual) with the namespace, as the
   * runtime-spec describes. */
  for (size_t i = 0; i < spec->linux_.net_devices_len; i++)
    if (move_one(host_fd, ns_fd, netns, &spec->linux_.net_devices[i], err) < 0)
      return -1;
  return 0;
}
