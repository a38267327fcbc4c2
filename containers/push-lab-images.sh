#!/usr/bin/env bash
# Push Kubaeum's lab images to an operator's registry, for labs on a real cluster:
#   containers/push-lab-images.sh registry.example.com[:port][/path]
# Builds them first when needed (containers/build.sh), then tags each as
# REGISTRY/kubaeum/<name>:<tag> and pushes it with the engine's credentials (docker login).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
registry="${1:-}"
if [ -z "$registry" ] || [[ "$registry" == -* ]]; then
  echo "usage: $0 REGISTRY   (e.g. registry.example.com/team)" >&2
  exit 2
fi
registry="${registry%/}"
"$here/build.sh"
DOCKER_HOST="$("$here/engine.sh" up | tail -1)"
export DOCKER_HOST
for image in kubaeum/web:1.0 kubaeum/web:1.1 kubaeum/web:2.0 kubaeum/crashloop:1.0 kubaeum/busybox:1.35; do
  docker tag "$image" "$registry/$image"
  docker push "$registry/$image"
  echo "pushed $registry/$image"
done
