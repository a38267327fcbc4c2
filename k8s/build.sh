#!/usr/bin/env bash
# Build the local cluster's binaries from the Go module proxy into a cache outside git:
#   kube-apiserver, kube-controller-manager, kube-scheduler (k8s.io/kubernetes),
#   etcd (go.etcd.io/etcd/server/v3), kwok and kwokctl (sigs.k8s.io/kwok).
# Does nothing when the stamped set is already there. Builds into a temporary folder and
# renames it into place only when every binary built, so a half-built set is never used.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck disable=SC1091
source "$here/versions.env"

cache="${KUBAEUM_CACHE_DIR:-$HOME/.cache/kubaeum}"
set_name="k8s-${KUBERNETES_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}"
dest="$cache/bin/$set_name"
if [ -f "$dest/.complete" ]; then
  echo "k8s: binaries ready in $dest"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "k8s: Go is not installed. Install Go ${GO_MIN_VERSION} or newer (https://go.dev/dl/, or 'apt-get install golang-${GO_MIN_VERSION}-go' where Debian has it) and run 'make k8s' again." >&2
  exit 1
fi
have="$(go env GOVERSION | sed 's/^go//')"
if [ "$(printf '%s\n%s\n' "$GO_MIN_VERSION" "$have" | sort -V | head -1)" != "$GO_MIN_VERSION" ]; then
  echo "k8s: Go $have is too old; Kubernetes ${KUBERNETES_VERSION} needs Go ${GO_MIN_VERSION} or newer." >&2
  exit 1
fi

export GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOTOOLCHAIN=local GOFLAGS=-mod=readonly
mkdir -p "$cache/bin"
work="$(mktemp -d "$cache/bin/.building-XXXXXX")"
trap 'rm -rf "$work"' EXIT

minor="${KUBERNETES_VERSION#v1.}"; minor="${minor%%.*}"
k8s_ld="-s -w -X k8s.io/component-base/version.gitVersion=${KUBERNETES_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${minor} -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/client-go/pkg/version.gitVersion=${KUBERNETES_VERSION}"
kwok_ld="-s -w -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${KUBERNETES_VERSION#v}"

start=$(date +%s)
step=0
build() {  # build <module dir> <output name> <package> <ldflags>
  step=$((step + 1))
  local t0; t0=$(date +%s)
  echo "k8s: [$step/6] building $2 ... (a cold build takes minutes; later runs use the Go cache)"
  if ! (cd "$here/$1" && go build -trimpath -ldflags "$4" -o "$work/$2" "$3"); then
    echo "k8s: building $2 failed; nothing was installed. See the Go error above." >&2
    exit 1
  fi
  echo "k8s:       $2 built in $(( $(date +%s) - t0 )) s"
}
build kubernetes kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "$k8s_ld"
build kubernetes kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager "$k8s_ld"
build kubernetes kube-scheduler k8s.io/kubernetes/cmd/kube-scheduler "$k8s_ld"
build etcd etcd go.etcd.io/etcd/server/v3 "-s -w"
build kwok kwok sigs.k8s.io/kwok/cmd/kwok "$kwok_ld"
build kwok kwokctl sigs.k8s.io/kwok/cmd/kwokctl "$kwok_ld"

"$work/kube-apiserver" --version
"$work/etcd" --version | head -1
date -u +%Y-%m-%dT%H:%M:%SZ > "$work/.complete"
rm -rf "$dest"
mv "$work" "$dest"
trap - EXIT
echo "k8s: all binaries built in $(( $(date +%s) - start )) s into $dest"
