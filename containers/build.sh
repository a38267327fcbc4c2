#!/usr/bin/env bash
# Build everything Kubaeum's kind clusters need, offline, from source, into the Docker engine
# that containers/engine.sh gives (`make kind`; `make run` and `make test` call it when Docker
# works):
#   - the kind CLI (sigs.k8s.io/kind, pinned in containers/modules/kind);
#   - kubaeum/kind-base:<stamp>: a debootstrap Debian rootfs with the packages and files of
#     kind's own base recipe (images/base of the kind module), containerd, runc, crictl and the
#     CNI plugins built from their Go modules, and the runtime wrapper as `runc`;
#   - kubaeum/kind-node:v1.37.2: kubelet, kubeadm, kubectl (and kube-proxy) from
#     containers/modules/kubernetes-node: the same k8s.io/kubernetes version and replace set
#     as the local cluster's k8s/kubernetes, plus the modules only these commands import
#     (kept apart so the local cluster's module graph never changes); every image a cluster needs preloaded into its
#     containerd: kube-apiserver, -controller-manager, -scheduler, -proxy, etcd (the local
#     cluster's etcd build), pause (from its C source in the Kubernetes module), CoreDNS and
#     local-path-provisioner (Go modules), plus the lab images below;
#   - the lab images kubaeum/web:1.0, 1.1, 2.0, kubaeum/crashloop:1.0 (images/web) and
#     kubaeum/busybox:1.35 (Debian's busybox-static).
# `kind build node-image` is not used as such: it pulls kindnetd and local-path images from
# docker.io, which cannot work offline. This script does its steps (run the base image, copy
# the kube binaries in, import image archives into the node's containerd, commit) with images
# built here. Everything is stamped by a hash of its inputs: with the stamped node image in
# the engine this does nothing; binaries are cached under ~/.cache/kubaeum/kind.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
# shellcheck disable=SC1091
source "$here/versions.env"
# shellcheck disable=SC1091
source "$repo/k8s/versions.env"
cache="${KUBAEUM_CACHE_DIR:-$HOME/.cache/kubaeum}"
export GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOTOOLCHAIN=local GOFLAGS=-mod=readonly
LAB_IMAGES="kubaeum/web:1.0 kubaeum/web:1.1 kubaeum/web:2.0 kubaeum/crashloop:1.0 kubaeum/busybox:1.35"

say() { echo "kind: $*" >&2; }
fail() { say "$*"; exit 1; }
t_start=$(date +%s)

# bin_stamp: what the binaries are built from; stamp: everything the images are made of.
bin_stamp="$(cd "$repo" && cat containers/versions.env k8s/versions.env containers/runtime-wrapper/* \
  containers/modules/*/go.mod containers/modules/*/go.sum images/web/* | sha256sum | cut -c1-12)"
stamp="$( (echo "$bin_stamp"; cd "$repo" && cat containers/build.sh containers/node/* containers/busybox/*) | sha256sum | cut -c1-12)"

if_docker=no
[ "${1:-}" = "--if-docker" ] && if_docker=yes
if ! DOCKER_HOST="$("$here/engine.sh" up | tail -1)"; then
  [ "$if_docker" = yes ] && exit 0  # engine.sh said why; kwok serves
  exit 1
fi
export DOCKER_HOST

image_stamp() { docker image inspect "$1" --format '{{index .Config.Labels "kubaeum.stamp"}}' 2>/dev/null || true; }
all_ready() {
  [ "$(image_stamp "$NODE_IMAGE")" = "$stamp" ] || return 1
  for img in $LAB_IMAGES; do [ "$(image_stamp "$img")" = "$stamp" ] || return 1; done
  [ -x "$cache/bin/kind-$KIND_VERSION" ]
}
if all_ready; then
  say "$NODE_IMAGE and the lab images are ready (stamp $stamp)"
  exit 0
fi
say "building kind $KIND_VERSION, $NODE_IMAGE and the lab images (stamp $stamp); a cold build takes minutes"

command -v go >/dev/null 2>&1 || fail "Go is needed (see k8s/build.sh for the version)."
need_apt=()
command -v debootstrap >/dev/null 2>&1 || need_apt+=(debootstrap)
[ -f /usr/include/seccomp.h ] || need_apt+=(libseccomp-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v gcc >/dev/null 2>&1 || need_apt+=(gcc libc6-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing ${need_apt[*]} (apt-get) ..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_apt[@]}" >&2 \
    || fail "apt-get install ${need_apt[*]} failed"
fi

# --- 1. binaries -------------------------------------------------------------------------
bin="$cache/kind/bin-$bin_stamp"
mkdir -p "$bin"
k8s_set="$cache/bin/k8s-${KUBERNETES_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}"
[ -f "$k8s_set/.complete" ] || fail "the local cluster's binaries are not built yet (run 'make k8s' first)"
minor="${KUBERNETES_VERSION#v1.}"; minor="${minor%%.*}"
k8s_ld="-s -w -X k8s.io/component-base/version.gitVersion=${KUBERNETES_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${minor} -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/client-go/pkg/version.gitVersion=${KUBERNETES_VERSION}"

pin() { grep -oE '^(require )?\s*k8s.io/kubernetes v[0-9.]+' "$1" | awk '{print $NF}'; }
[ "$(pin "$repo/k8s/kubernetes/go.mod")" = "$(pin "$here/modules/kubernetes-node/go.mod")" ] \
  || fail "containers/modules/kubernetes-node pins another k8s.io/kubernetes than k8s/kubernetes"

gobuild() {  # gobuild <module dir> <output> <package> [go build args...]
  local dir="$1" out="$2" pkg="$3"; shift 3
  [ -x "$bin/$out" ] && return 0
  local t0; t0=$(date +%s)
  say "  building $out ..."
  (cd "$dir" && go build -trimpath "$@" -o "$bin/$out.tmp" "$pkg") || fail "building $out failed (see the Go error above)"
  mv "$bin/$out.tmp" "$bin/$out"
  say "  $out built in $(( $(date +%s) - t0 )) s"
}
say "[1/5] binaries (Go modules; later runs use the Go cache)"
m="$here/modules"
CGO_ENABLED=0 gobuild "$m/kind" kind sigs.k8s.io/kind -ldflags "-s -w"
CGO_ENABLED=0 gobuild "$here/runtime-wrapper" kubaeum-runc . -ldflags "-s -w"
CGO_ENABLED=0 gobuild "$repo/images/web" kubaeum-web-1.0 . -ldflags "-s -w -X main.version=1.0"
CGO_ENABLED=0 gobuild "$repo/images/web" kubaeum-web-1.1 . -ldflags "-s -w -X main.version=1.1"
CGO_ENABLED=0 gobuild "$repo/images/web" kubaeum-web-2.0 . -ldflags "-s -w -X main.version=2.0"
CGO_ENABLED=0 gobuild "$repo/images/web" kubaeum-crashloop-1.0 . \
  -ldflags "-s -w -X main.version=1.0 -X main.requireAppMode=yes"
for cmd in kubelet kubeadm kubectl kube-proxy; do
  CGO_ENABLED=0 gobuild "$m/kubernetes-node" "$cmd" "k8s.io/kubernetes/cmd/$cmd" -ldflags "$k8s_ld"
done
ctrd_ld="-s -w -X github.com/containerd/containerd/v2/version.Version=${CONTAINERD_VERSION}"
for cmd in containerd ctr containerd-shim-runc-v2; do
  CGO_ENABLED=0 gobuild "$m/containerd" "$cmd" "github.com/containerd/containerd/v2/cmd/$cmd" \
    -tags "no_aufs no_zfs no_btrfs no_devmapper" -ldflags "$ctrd_ld"
done
CGO_ENABLED=1 gobuild "$m/runc" runc github.com/opencontainers/runc -tags seccomp \
  -ldflags "-s -w -X main.version=${RUNC_VERSION#v}"
CGO_ENABLED=0 gobuild "$m/cri-tools" crictl sigs.k8s.io/cri-tools/cmd/crictl \
  -ldflags "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=${CRICTL_VERSION}"
for p in main/ptp main/loopback ipam/host-local meta/portmap; do
  CGO_ENABLED=0 gobuild "$m/cni-plugins" "cni-${p#*/}" "github.com/containernetworking/plugins/plugins/$p" -ldflags "-s -w"
done
CGO_ENABLED=0 gobuild "$m/coredns" coredns github.com/coredns/coredns -ldflags "-s -w"
CGO_ENABLED=0 gobuild "$m/local-path-provisioner" local-path-provisioner github.com/rancher/local-path-provisioner \
  -ldflags "-s -w -X main.VERSION=${LOCAL_PATH_PROVISIONER_VERSION}"
if [ ! -x "$bin/pause" ]; then
  say "  building pause (C source from the Kubernetes module) ..."
  gcc -Os -Wall -Werror -static -DVERSION="v${PAUSE_VERSION}" -o "$bin/pause.tmp" \
    "$GOMODCACHE/k8s.io/kubernetes@${KUBERNETES_VERSION}/build/pause/linux/pause.c" && strip "$bin/pause.tmp"
  mv "$bin/pause.tmp" "$bin/pause"
fi
cp -f "$k8s_set/etcd" "$bin/etcd"
install -m 0755 "$bin/kind" "$cache/bin/kind-$KIND_VERSION"

# --- 2. Debian rootfs (debootstrap; kind's base recipe packages) -------------------------
work="$cache/kind/work"
mkdir -p "$work"
rootfs="$work/rootfs-$DEBIAN_SUITE"
if [ ! -f "$rootfs/.complete" ]; then
  say "[2/5] Debian $DEBIAN_SUITE rootfs with kind's base packages (debootstrap, about 3 minutes) ..."
  rm -rf "$rootfs.tmp"
  # the package list of kind's images/base Dockerfile
  debootstrap --variant=minbase \
    --include=systemd,conntrack,iptables,nftables,iproute2,ethtool,util-linux,mount,kmod,libseccomp2,pigz,fuse-overlayfs,nfs-common,open-iscsi,e2fsprogs,bash,ca-certificates,curl,jq,procps \
    "$DEBIAN_SUITE" "$rootfs.tmp" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap failed (log: $work/debootstrap.log)"; }
  rm -rf "$rootfs.tmp"/var/cache/apt/archives/*.deb "$rootfs.tmp"/var/lib/apt/lists/*
  touch "$rootfs.tmp/.complete"
  rm -rf "$rootfs"; mv "$rootfs.tmp" "$rootfs"
else
  say "[2/5] Debian rootfs ready"
fi

# import <dir> <image> [--change ...]: a FROM-scratch image of a folder, labelled with the stamp
import_dir() {
  local dir="$1" image="$2"; shift 2
  tar -C "$dir" --numeric-owner -c . | docker import --change "LABEL kubaeum.stamp=$stamp" "$@" - "$image" >/dev/null
}
# scratch_image <image> <entrypoint json> <file:dest>...: a one-binary image
scratch_image() {
  local image="$1" entry="$2"; shift 2
  local d; d="$(mktemp -d "$work/img-XXXXXX")"
  mkdir -p "$d/tmp" "$d/etc"; chmod 1777 "$d/tmp"
  echo "root:x:0:0:root:/:/bin/sh" > "$d/etc/passwd"; echo "nobody:x:65534:65534:nobody:/:/bin/sh" >> "$d/etc/passwd"
  local spec
  for spec in "$@"; do
    mkdir -p "$d/$(dirname "${spec#*:}")"; cp "${spec%%:*}" "$d/${spec#*:}"
    # the local cluster's binaries are built with cgo (dynamically linked): add their
    # libraries, from the same Debian release as the node
    local lib
    for lib in $(ldd "${spec%%:*}" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*' || true); do
      mkdir -p "$d/$(dirname "$lib")"; cp -L "$rootfs$lib" "$d$lib" 2>/dev/null || cp -L "$lib" "$d$lib"
    done
  done
  import_dir "$d" "$image" --change "ENV PATH=/usr/local/bin:/usr/bin:/bin" --change "ENTRYPOINT $entry"
  rm -rf "$d"
}

# --- 3. images ---------------------------------------------------------------------------
say "[3/5] images (lab images, control plane, etcd, pause, CoreDNS, local-path-provisioner)"
bb="$work/busybox-static"
if [ ! -x "$bb/bin/busybox" ]; then
  rm -rf "$bb"; mkdir -p "$bb"
  (cd "$work" && rm -f busybox-static_*.deb && apt-get download busybox-static >&2) || fail "apt-get download busybox-static failed"
  dpkg-deb -x "$work"/busybox-static_*.deb "$bb"
fi
# busybox_into <dir>: busybox and its applets in <dir>/bin, with wget behind
# containers/busybox/wget (Debian's static busybox segfaults on `wget -T`, see there).
busybox_into() {
  mkdir -p "$1/bin"
  cp "$bb/bin/busybox" "$1/bin/busybox"
  install -m 0755 "$here/busybox/wget" "$1/bin/wget"
  local applet
  for applet in $("$bb/bin/busybox" --list); do [ -e "$1/bin/$applet" ] || ln -s busybox "$1/bin/$applet"; done
}
# The web images carry busybox too, so `kubectl exec POD -- cat /etc/hostname` (or sh, ls,
# wget) works in a student's pod: exec needs a program to run.
web_image() {  # web_image <image> <binary>
  local d; d="$(mktemp -d "$work/img-XXXXXX")"
  mkdir -p "$d/bin" "$d/tmp" "$d/etc" "$d/usr/local/bin"; chmod 1777 "$d/tmp"
  busybox_into "$d"
  printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$d/etc/passwd"
  cp "$2" "$d/usr/local/bin/kubaeum-web"
  import_dir "$d" "$1" --change "ENV PATH=/usr/local/bin:/bin" --change 'ENTRYPOINT ["/usr/local/bin/kubaeum-web"]'
  rm -rf "$d"
}
for v in 1.0 1.1 2.0; do web_image "kubaeum/web:$v" "$bin/kubaeum-web-$v"; done
web_image kubaeum/crashloop:1.0 "$bin/kubaeum-crashloop-1.0"
d="$(mktemp -d "$work/img-XXXXXX")"
mkdir -p "$d/bin" "$d/tmp" "$d/etc" "$d/root"; chmod 1777 "$d/tmp"
busybox_into "$d"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$d/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$d/etc/group"
import_dir "$d" kubaeum/busybox:1.35 --change "ENV PATH=/bin" --change 'CMD ["sh"]'
rm -rf "$d"

kube_img="registry.k8s.io"
# the control-plane binaries come from the local cluster's set (same module, same flags)
for c in kube-apiserver kube-controller-manager kube-scheduler; do
  scratch_image "$kube_img/$c:$KUBERNETES_VERSION" "[\"/usr/local/bin/$c\"]" "$k8s_set/$c:usr/local/bin/$c"
done
scratch_image "$kube_img/etcd:$ETCD_IMAGE_TAG" '["/usr/local/bin/etcd"]' "$bin/etcd:usr/local/bin/etcd"
scratch_image "$kube_img/pause:$PAUSE_VERSION" '["/pause"]' "$bin/pause:pause"
scratch_image "$kube_img/coredns/coredns:$COREDNS_VERSION" '["/coredns"]' "$bin/coredns:coredns"
scratch_image "kubaeum/local-path-provisioner:$LOCAL_PATH_PROVISIONER_VERSION" '["/usr/local/bin/local-path-provisioner"]' \
  "$bin/local-path-provisioner:usr/local/bin/local-path-provisioner"
# kube-proxy programs iptables/nftables: its image is the Debian rootfs (which has them) plus the binary
d="$(mktemp -d "$work/img-XXXXXX")"
cp -a "$rootfs/." "$d/"; rm -f "$d/.complete"
install -m 0755 "$bin/kube-proxy" "$d/usr/local/bin/kube-proxy"
import_dir "$d" "$kube_img/kube-proxy:$KUBERNETES_VERSION" --change 'ENTRYPOINT ["/usr/local/bin/kube-proxy"]'
rm -rf "$d"

# --- 4. base image: rootfs + kind's base files + runtime binaries ------------------------
base_image="kubaeum/kind-base:$stamp"
if [ "$(image_stamp "$base_image")" != "$stamp" ]; then
  say "[4/5] base image $base_image (kind's base recipe) ..."
  kind_mod="$GOMODCACHE/sigs.k8s.io/kind@$KIND_VERSION"
  [ -d "$kind_mod/images/base/files" ] || (cd "$m/kind" && go mod download sigs.k8s.io/kind)
  d="$(mktemp -d "$work/base-XXXXXX")"
  cp -a "$rootfs/." "$d/"; rm -f "$d/.complete"
  files="$kind_mod/images/base/files"
  install -d -m 0755 "$d/kind" "$d/kind/bin" "$d/LICENSES" "$d/etc/containerd" "$d/etc/default" "$d/etc/sysctl.d" \
    "$d/etc/systemd/system/kubelet.service.d" "$d/opt/cni/bin" "$d/etc/cni/net.d" "$d/etc/kubernetes/manifests"
  install -m 0755 "$files"/usr/local/bin/* "$d/usr/local/bin/"
  install -m 0755 "$files"/kind/bin/* "$d/kind/bin/"
  install -m 0644 "$files"/kind/README.txt "$d/kind/"
  install -m 0644 "$files"/etc/crictl.yaml "$d/etc/"
  install -m 0644 "$files"/etc/containerd/* "$d/etc/containerd/"
  install -m 0644 "$files"/etc/default/* "$d/etc/default/"
  install -m 0644 "$files"/etc/sysctl.d/* "$d/etc/sysctl.d/"
  install -m 0644 "$files"/etc/systemd/system/*.service "$files"/etc/systemd/system/*.slice "$d/etc/systemd/system/"
  install -m 0644 "$files"/etc/systemd/system/kubelet.service.d/* "$d/etc/systemd/system/kubelet.service.d/"
  # the pause image built here is the sandbox image
  sed -i "s#sandbox_image = .*#sandbox_image = \"$kube_img/pause:$PAUSE_VERSION\"#" "$d/etc/containerd/config.toml"
  # the same steps as kind's Dockerfile RUN lines
  find "$d/lib/systemd/system/sysinit.target.wants/" -name systemd-tmpfiles-setup.service -delete
  rm -f "$d"/lib/systemd/system/multi-user.target.wants/* "$d"/etc/systemd/system/*.wants/* \
    "$d"/lib/systemd/system/local-fs.target.wants/* "$d"/lib/systemd/system/sockets.target.wants/*udev* \
    "$d"/lib/systemd/system/sockets.target.wants/*initctl* "$d"/lib/systemd/system/basic.target.wants/*
  echo "ReadKMsg=no" >> "$d/etc/systemd/journald.conf"
  ln -sf /usr/lib/systemd/systemd "$d/sbin/init"
  for c in containerd ctr containerd-shim-runc-v2 crictl; do install -m 0755 "$bin/$c" "$d/usr/local/bin/$c"; done
  # runc behind the runtime wrapper: the node's bounding set is the host's (see runtime-wrapper)
  install -m 0755 "$bin/runc" "$d/usr/local/sbin/runc-real"
  install -m 0755 "$bin/kubaeum-runc" "$d/usr/local/sbin/runc"
  for p in ptp loopback host-local portmap; do install -m 0755 "$bin/cni-$p" "$d/opt/cni/bin/$p"; done
  install -m 0644 "$here/node/10-kubaeum.conflist" "$d/etc/cni/net.d/10-kubaeum.conflist"
  "$bin/ctr" oci spec | python3 -c '
import json, sys
spec = json.load(sys.stdin)
spec.setdefault("hooks", {}).setdefault("createContainer", []).append({"path": "/kind/bin/mount-product-files.sh"})
spec["process"].pop("rlimits", None)
json.dump(spec, sys.stdout, indent=2)' > "$d/etc/containerd/cri-base.json"
  chroot "$d" systemctl enable kubelet.service containerd.service undo-mount-hacks.service >/dev/null 2>&1
  chroot "$d" systemctl mask systemd-binfmt.service >/dev/null 2>&1
  # (kind's Dockerfile also sets STOPSIGNAL, which `docker import` cannot; kind removes its
  # nodes with `docker rm -f`, so no stop signal is ever sent)
  import_dir "$d" "$base_image" --change "ENV container=docker" \
    --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]'
  rm -rf "$d"
else
  say "[4/5] base image $base_image ready"
fi

# --- 5. node image: kube binaries + preloaded images (kind's node-image steps) -----------
say "[5/5] node image $NODE_IMAGE ..."
archives="$work/archives"
rm -rf "$archives"; mkdir -p "$archives"
preload=("$kube_img/kube-apiserver:$KUBERNETES_VERSION" "$kube_img/kube-controller-manager:$KUBERNETES_VERSION"
  "$kube_img/kube-scheduler:$KUBERNETES_VERSION" "$kube_img/kube-proxy:$KUBERNETES_VERSION"
  "$kube_img/etcd:$ETCD_IMAGE_TAG" "$kube_img/pause:$PAUSE_VERSION" "$kube_img/coredns/coredns:$COREDNS_VERSION"
  "kubaeum/local-path-provisioner:$LOCAL_PATH_PROVISIONER_VERSION" $LAB_IMAGES)
i=0
for img in "${preload[@]}"; do i=$((i + 1)); docker save "$img" -o "$archives/$i.tar"; done
builder="kubaeum-node-build-$$"
docker rm -f "$builder" >/dev/null 2>&1 || true
trap 'docker rm -f "$builder" >/dev/null 2>&1 || true' EXIT
docker run -d --name "$builder" --entrypoint sleep --security-opt seccomp=unconfined "$base_image" infinity >/dev/null
for c in kubelet kubeadm kubectl; do docker cp "$bin/$c" "$builder:/usr/bin/$c"; done
docker exec "$builder" chown root:root /usr/bin/kubelet /usr/bin/kubeadm /usr/bin/kubectl
docker exec "$builder" sh -c "mkdir -p /kind/manifests && echo $KUBERNETES_VERSION > /kind/version"
sed "s/LOCAL_PATH_TAG/$LOCAL_PATH_PROVISIONER_VERSION/" "$here/node/default-storage.yaml" \
  | docker exec -i "$builder" sh -c 'cat > /kind/manifests/default-storage.yaml'
docker exec "$builder" bash -c 'nohup containerd >/tmp/containerd.log 2>&1 &'
docker exec "$builder" bash -c 'for i in $(seq 50); do ctr version >/dev/null 2>&1 && exit 0; sleep 0.2; done; cat /tmp/containerd.log; exit 1' \
  || fail "containerd did not start in the build container"
for f in "$archives"/*.tar; do
  docker exec -i "$builder" ctr --namespace=k8s.io images import --label=io.cri-containerd.pinned=pinned \
    --all-platforms --no-unpack --digests - < "$f" >/dev/null || fail "importing $f into the node image failed"
done
docker exec "$builder" ctr --namespace=k8s.io images list -q | grep -v '^sha256:' | sed 's/^/kind:   preloaded /' >&2
docker exec "$builder" pkill containerd || true
sleep 1
docker commit --change 'ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]' \
  --change "LABEL kubaeum.stamp=$stamp" "$builder" "$NODE_IMAGE" >/dev/null
docker rm -f "$builder" >/dev/null
trap - EXIT
rm -rf "$archives"
all_ready || fail "the images were built but do not carry stamp $stamp"
say "built $NODE_IMAGE and the lab images in $(( $(date +%s) - t_start )) s"
