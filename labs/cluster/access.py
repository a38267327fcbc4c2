from pathlib import Path

from django.conf import settings
from kubernetes import client, config

from .local import ClusterError, LocalCluster

SHARED_CLUSTER_NAME = "kubaeum"


def shared_kubeconfig() -> Path:
    """The admin kubeconfig of the cluster that hosts namespace sandboxes.

    LAB_CLUSTER_KUBECONFIG wins (a real cluster, or the test fixture's); otherwise the
    local cluster started by `manage.py cluster up`.
    """
    if settings.LAB_CLUSTER_KUBECONFIG:
        return Path(settings.LAB_CLUSTER_KUBECONFIG)
    if settings.LAB_SHARED_CLUSTER == "kind":
        from labs.providers.kind import shared_cluster_name, workdir

        path = workdir(shared_cluster_name()) / "kubeconfig"
        if not path.exists():
            raise ClusterError(
                "실습용 kind 클러스터가 실행 중이 아닙니다. 'python manage.py cluster up'으로 시작하세요."
            )
        return path
    local = LocalCluster(SHARED_CLUSTER_NAME)
    if not local.kubeconfig.exists():
        raise ClusterError(
            "실습용 쿠버네티스 클러스터가 실행 중이 아닙니다. 'python manage.py cluster up'으로 시작하세요."
        )
    return local.kubeconfig


def api_client(kubeconfig: str | Path) -> client.ApiClient:
    """A fresh ApiClient for one kubeconfig file (never the process-wide default)."""
    cfg = client.Configuration()
    config.load_kube_config(config_file=str(kubeconfig), client_configuration=cfg, persist_config=False)
    return client.ApiClient(configuration=cfg)
