# containers-to-oci.jq - turn a containers/common seccomp profile (podman's
# /usr/share/containers/seccomp.json) into an OCI linux.seccomp section, the way podman
# does for a container: only the rules whose includes/excludes match the architecture
# and capability set, the architectures of the matching archMap entry.
#
#   jq --arg arch amd64 --argjson caps '["CAP_CHOWN", ...]' -f containers-to-oci.jq seccomp.json
#
# $arch is a Go architecture name (amd64, arm64, ...); $caps the container's bounding set
# (podman's default set when omitted).  minKernel conditions are taken as met.

def default_caps: ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
  "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID",
  "CAP_SYS_CHROOT"];
def scmp_arch: {"amd64": "SCMP_ARCH_X86_64", "arm64": "SCMP_ARCH_AARCH64", "386": "SCMP_ARCH_X86",
  "arm": "SCMP_ARCH_ARM", "ppc64le": "SCMP_ARCH_PPC64LE", "s390x": "SCMP_ARCH_S390X",
  "riscv64": "SCMP_ARCH_RISCV64", "mips64le": "SCMP_ARCH_MIPSEL64"}[$arch];

($ARGS.named.caps // default_caps) as $capset
| scmp_arch as $native
| {
    defaultAction,
    architectures: ([.archMap[]? | select(.architecture == $native)
                     | [.architecture] + (.subArchitectures // [])] | first // [$native]),
    syscalls: [.syscalls[]
      | select((.includes.arches // []) as $a | ($a | length) == 0 or ($a | index($arch)))
      | select((.includes.caps // []) | all(. as $c | $capset | index($c)))
      | select((.excludes.arches // []) | index($arch) | not)
      | select((.excludes.caps // []) | any(. as $c | $capset | index($c)) | not)
      | {names: (.names // [.name]), action}
        + (if .errnoRet != null then {errnoRet} else {} end)
        + (if (.args // []) | length > 0 then {args: [.args[] | {index, value, valueTwo, op}]} else {} end)
    ]
  }
  + (if .defaultErrnoRet != null then {defaultErrnoRet} else {} end)
