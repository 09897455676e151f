/* Releasing a parsed spec.  Every clear function accepts partly filled structures
 * (the parser stops at the first error) and zeroes what it frees. */
#include <stdlib.h>
#include <string.h>

#include "spec/parse.h"

void spec_strv_clear(struct spec_strv *v) {
  for (size_t i = 0; i < v->len; i++)
    free(v->items[i]);
  free(v->items);
  v->items = NULL;
  v->len = 0;
}

void spec_kv_list_clear(struct spec_kv_list *l) {
  for (size_t i = 0; i < l->len; i++) {
    free(l->items[i].key);
    free(l->items[i].value);
  }
  free(l->items);
  l->items = NULL;
  l->len = 0;
}

void spec_process_clear(struct spec_process *p) {
  if (p == NULL)
    return;
  free(p->cwd);
  spec_strv_clear(&p->env);
  spec_strv_clear(&p->args);
  free(p->command_line);
  for (size_t i = 0; i < p->rlimits_len; i++)
    free(p->rlimits[i].type_name);
  free(p->rlimits);
  free(p->apparmor_profile);
  spec_strv_clear(&p->capabilities.bounding);
  spec_strv_clear(&p->capabilities.effective);
  spec_strv_clear(&p->capabilities.inheritable);
  spec_strv_clear(&p->capabilities.permitted);
  spec_strv_clear(&p->capabilities.ambient);
  free(p->scheduler.policy);
  spec_strv_clear(&p->scheduler.flags);
  free(p->selinux_label);
  free(p->io_priority.class_name);
  free(p->exec_cpu_affinity.initial);
  free(p->exec_cpu_affinity.final);
  free(p->user.additional_gids);
  free(p->user.username);
  memset(p, 0, sizeof(*p));
}

static void hook_list_clear(struct spec_hook_list *l) {
  for (size_t i = 0; i < l->len; i++) {
    free(l->items[i].path);
    spec_strv_clear(&l->items[i].args);
    spec_strv_clear(&l->items[i].env);
  }
  free(l->items);
}

void spec_resources_clear(struct spec_resources *r) {
  for (size_t i = 0; i < r->devices_len; i++)
    free(r->devices[i].access);
  free(r->devices);
  free(r->cpu.cpus);
  free(r->cpu.mems);
  free(r->block_io.weight_device);
  free(r->block_io.throttle_read_bps.items);
  free(r->block_io.throttle_write_bps.items);
  free(r->block_io.throttle_read_iops.items);
  free(r->block_io.throttle_write_iops.items);
  for (size_t i = 0; i < r->hugepage_limits_len; i++)
    free(r->hugepage_limits[i].page_size);
  free(r->hugepage_limits);
  for (size_t i = 0; i < r->network.priorities_len; i++)
    free(r->network.priorities[i].name);
  free(r->network.priorities);
  for (size_t i = 0; i < r->rdma_len; i++)
    free(r->rdma[i].device);
  free(r->rdma);
  spec_kv_list_clear(&r->unified);
  memset(r, 0, sizeof(*r));
}

static void seccomp_clear(struct spec_seccomp *s) {
  free(s->default_action);
  spec_strv_clear(&s->architectures);
  spec_strv_clear(&s->flags);
  free(s->listener_path);
  free(s->listener_metadata);
  for (size_t i = 0; i < s->syscalls_len; i++) {
    struct spec_seccomp_syscall *sc = &s->syscalls[i];
    spec_strv_clear(&sc->names);
    free(sc->action);
    for (size_t j = 0; j < sc->args_len; j++)
      free(sc->args[j].op);
    free(sc->args);
  }
  free(s->syscalls);
}

void spec_linux_clear(struct spec_linux *l) {
  for (size_t i = 0; i < l->namespaces_len; i++)
    free(l->namespaces[i].path);
  free(l->namespaces);
  free(l->uid_mappings);
  free(l->gid_mappings);
  for (size_t i = 0; i < l->time_offsets_len; i++)
    free(l->time_offsets[i].clock);
  free(l->time_offsets);
  for (size_t i = 0; i < l->devices_len; i++)
    free(l->devices[i].path);
  free(l->devices);
  free(l->cgroups_path);
  spec_resources_clear(&l->resources);
  free(l->intel_rdt.clos_id);
  free(l->intel_rdt.l3_cache_schema);
  free(l->intel_rdt.mem_bw_schema);
  spec_strv_clear(&l->intel_rdt.schemata);
  spec_kv_list_clear(&l->sysctl);
  seccomp_clear(&l->seccomp);
  free(l->rootfs_propagation);
  spec_strv_clear(&l->masked_paths);
  spec_strv_clear(&l->readonly_paths);
  free(l->mount_label);
  free(l->personality.domain);
  spec_strv_clear(&l->personality.flags);
  for (size_t i = 0; i < l->net_devices_len; i++) {
    free(l->net_devices[i].host_name);
    free(l->net_devices[i].name);
  }
  free(l->net_devices);
  free(l->memory_policy.mode);
  free(l->memory_policy.nodes);
  spec_strv_clear(&l->memory_policy.flags);
  memset(l, 0, sizeof(*l));
}

void spec_free(struct spec *s) {
  if (s == NULL)
    return;
  free(s->oci_version);
  free(s->root.path);
  for (size_t i = 0; i < s->mounts_len; i++) {
    struct spec_mount *m = &s->mounts[i];
    free(m->destination);
    free(m->source);
    free(m->type);
    spec_strv_clear(&m->options);
    free(m->uid_mappings);
    free(m->gid_mappings);
  }
  free(s->mounts);
  spec_process_clear(&s->process);
  free(s->hostname);
  free(s->domainname);
  hook_list_clear(&s->hooks.prestart);
  hook_list_clear(&s->hooks.create_runtime);
  hook_list_clear(&s->hooks.create_container);
  hook_list_clear(&s->hooks.start_container);
  hook_list_clear(&s->hooks.poststart);
  hook_list_clear(&s->hooks.poststop);
  spec_kv_list_clear(&s->annotations);
  spec_linux_clear(&s->linux_);
  free(s);
}
