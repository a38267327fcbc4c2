"""Kubeconfig documents: read the admin one, build a session one, load one into a client."""

import base64
from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings
from kubernetes import client, config


def cluster_entry(admin_kubeconfig: str | Path) -> dict:
    """server + CA data of the current context of an admin kubeconfig (CA files inlined)."""
    path = Path(admin_kubeconfig)
    doc = yaml.safe_load(path.read_text())
    contexts = {c["name"]: c["context"] for c in doc.get("contexts", [])}
    current = doc.get("current-context") or next(iter(contexts))
    cluster_name = contexts[current]["cluster"]
    cluster = next(c["cluster"] for c in doc["clusters"] if c["name"] == cluster_name)
    entry = {"server": cluster["server"]}
    if cluster.get("certificate-authority-data"):
        entry["certificate-authority-data"] = cluster["certificate-authority-data"]
    elif cluster.get("certificate-authority"):
        ca_path = Path(cluster["certificate-authority"])
        if not ca_path.is_absolute():
            ca_path = path.parent / ca_path
        entry["certificate-authority-data"] = base64.b64encode(ca_path.read_bytes()).decode()
    elif cluster.get("insecure-skip-tls-verify"):
        entry["insecure-skip-tls-verify"] = True
    return entry


def token_kubeconfig(cluster: dict, user: str, token: str, namespace: str) -> str:
    """A kubeconfig for one ServiceAccount token, defaulting to its namespace."""
    doc = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "kubaeum", "cluster": cluster}],
        "users": [{"name": user, "user": {"token": token}}],
        "contexts": [
            {"name": "kubaeum-lab", "context": {"cluster": "kubaeum", "user": user, "namespace": namespace}}
        ],
        "current-context": "kubaeum-lab",
    }
    return yaml.safe_dump(doc, sort_keys=False)


def for_download(text: str) -> str:
    """The session kubeconfig as students download it (public server URL if configured)."""
    if not settings.LAB_CLUSTER_PUBLIC_SERVER or not text:
        return text
    doc = yaml.safe_load(text)
    for c in doc.get("clusters", []):
        c["cluster"]["server"] = settings.LAB_CLUSTER_PUBLIC_SERVER
    return yaml.safe_dump(doc, sort_keys=False)


def client_from_text(text: str) -> client.ApiClient:
    cfg = client.Configuration()
    config.load_kube_config_from_dict(yaml.safe_load(text), client_configuration=cfg, persist_config=False)
    return client.ApiClient(configuration=cfg)


@lru_cache(maxsize=8)
def _admin_client(path: str, mtime: float) -> client.ApiClient:
    from labs.cluster import api_client

    return api_client(path)


def admin_client(kubeconfig: str | Path) -> client.ApiClient:
    """A per-process cached admin client, so its connection pool is reused across tasks.

    Keyed by mtime so a restarted cluster (new certificates) gets a new client.
    """
    path = Path(kubeconfig)
    return _admin_client(str(path), path.stat().st_mtime)
