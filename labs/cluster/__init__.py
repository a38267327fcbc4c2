"""The local Kubernetes cluster: upstream control plane built by k8s/build.sh, nodes by kwok.

Public API (used by providers, grading, the management command and tests):

    LocalCluster(name, workdir=None, nodes=2)   .start() .stop() .status() .kubeconfig .server
    shared_kubeconfig() -> Path     admin kubeconfig of the lab cluster (setting, or the local one)
    api_client(kubeconfig) -> kubernetes.client.ApiClient
    ok_if_exists(call, ...), ok_if_gone(call, ...), create_or_update(api, kind, doc)   (access.py)
"""

from .access import api_client, shared_kubeconfig  # noqa: F401
from .local import ClusterError, LocalCluster  # noqa: F401
