# vm-images.bash - the guest images of the VM stages, sourced by .ci/run and the ci-vm.sh
# scripts.  run-in-vm rebuilds an image whenever the package list it is called with differs
# from the one the image was built with, so every call of an image must pass the same list:
# it lives here, once.
#   default image (/var/tmp/run-in-vm): run-in-vm's own package list
#   clients image: the clients the VM stages drive (podman for checkpoint/restore, containerd
#   for the CRI under systemd) and the user bus (dbus-user-session) of rootless systemd
VM_CLIENTS_CACHE=${VM_CLIENTS_CACHE:-/var/tmp/run-in-vm-clients}
VM_CLIENTS_PACKAGES="podman dbus-user-session containerd python3-grpcio uidmap"
# use_clients_image: the run-in-vm calls that follow boot the clients image
use_clients_image() {
	export RUN_IN_VM_CACHE=$VM_CLIENTS_CACHE RUN_IN_VM_EXTRA_PACKAGES=$VM_CLIENTS_PACKAGES
}
