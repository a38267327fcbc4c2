"""What the lab benches share: Django on a throwaway database, a cluster, a broker, figures.

Import this first from a bench script (its folder is on sys.path when the script runs) and
call `start_django` before any Django import: the database and state folders must be
chosen before settings load.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_django(prefix: str) -> Path:
    """Set Django up on a fresh SQLite file in a new temp folder; return that folder."""
    sys.path.insert(0, str(ROOT))
    work = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kubaeum.settings")
    os.environ["KUBAEUM_STATE_DIR"] = str(work / "state")
    import django

    django.setup()
    return work


def pct(values, p):
    """The p-th percentile, nearest rank (no interpolation between samples)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def choose_cluster(name: str, work: Path):
    """Point LAB_CLUSTER_KUBECONFIG at a cluster and say which one.

    In order: the one already configured, the running shared local cluster, else a fresh
    cluster called `name` in `work`. Returns (the cluster this run started or None, the
    shared cluster); the caller stops the first when done.
    """
    from django.conf import settings

    from labs.cluster import LocalCluster
    from labs.cluster.access import SHARED_CLUSTER_NAME

    shared = LocalCluster(SHARED_CLUSTER_NAME)
    started = None
    if settings.LAB_CLUSTER_KUBECONFIG:
        print(f"cluster: LAB_CLUSTER_KUBECONFIG={settings.LAB_CLUSTER_KUBECONFIG}")
    elif shared.is_running():
        settings.LAB_CLUSTER_KUBECONFIG = str(shared.kubeconfig)
        print("cluster: the running shared local cluster")
    else:
        started = LocalCluster(name, workdir=work / "cluster").start()
        settings.LAB_CLUSTER_KUBECONFIG = str(started.kubeconfig)
        print("cluster: a fresh local cluster for this run")
    return started, shared


def start_broker(work: Path):
    """A real redis-server of our own as Celery's broker; returns (it, env for worker processes).

    The workers' environment carries this run's namespace prefix and no kwok warm pool.
    """
    from django.conf import settings

    from tests.servers import RedisServer
    from tests.worker_fixtures import worker_env

    redis = RedisServer(work)
    redis.start()
    settings.CELERY_BROKER_URL = redis.url
    from kubaeum.celery import app

    app.conf.update(broker_url=redis.url)
    env = worker_env(redis.url)
    env.update(LAB_NAMESPACE_PREFIX=settings.LAB_NAMESPACE_PREFIX, LAB_KWOK_POOL_SIZE="0")
    return redis, env


def provision_sandbox(user, lab):
    """A ready namespace sandbox, provisioned in-process (no worker)."""
    from labs.models import LabSession
    from labs.sandbox.lifecycle import provision_session

    session = LabSession.objects.create(user=user, lab=lab, provider="namespace")
    assert provision_session(session.pk) == "ready", LabSession.objects.get(pk=session.pk).failure_reason
    session.refresh_from_db()
    return session
