import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from labs.cluster import ClusterError, LocalCluster
from labs.cluster.access import SHARED_CLUSTER_NAME
from labs.cluster.binaries import BinariesMissing


def sandbox_clusters():
    """Every other cluster kwokctl keeps under our state folder (kwok sandboxes, the pool)."""
    state = Path(settings.KUBAEUM_STATE_DIR)
    for pids in sorted(state.glob("*/*/clusters/*/pids")) + sorted(state.glob("*/clusters/*/pids")):
        cluster_dir = pids.parent
        if cluster_dir.name != SHARED_CLUSTER_NAME or cluster_dir.parent.parent != state / "kwok":
            yield LocalCluster(cluster_dir.name, workdir=cluster_dir.parent.parent)


class Command(BaseCommand):
    help = "실습용 로컬 쿠버네티스 클러스터를 시작/중지하고 상태를 보여 줍니다."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["up", "down", "stop", "status", "kubeconfig", "watch"])
        parser.add_argument(
            "--interval", type=float, default=2.0, help="watch: 구성 요소를 확인하는 간격(초, 기본 2)"
        )
        parser.add_argument("--nodes", type=int, default=2, help="kwok로 흉내 낼 노드 수 (기본 2)")
        parser.add_argument(
            "--all",
            action="store_true",
            help="down/stop: 실습용 전용 클러스터(kwok 샌드박스, 대기 풀)까지 모두",
        )

    def handle(self, action, nodes, **options):
        self.all = options["all"]
        self.interval = options["interval"]
        local = LocalCluster(SHARED_CLUSTER_NAME, nodes=nodes)
        try:
            getattr(self, f"do_{action}")(local)
        except (ClusterError, BinariesMissing) as exc:
            raise CommandError(str(exc)) from None

    def do_up(self, local):
        started = time.monotonic()
        if settings.LAB_SHARED_CLUSTER == "kind":
            return self.kind_up(started)
        already = local.is_running()
        local.start()
        verb = "이미 실행 중" if already else f"{time.monotonic() - started:.1f}초 만에 준비됨"
        self.stdout.write(f"클러스터 '{local.name}': {verb} — API 서버 {local.server}")
        self.stdout.write(f"  kubeconfig: {local.kubeconfig}")
        self.stdout.write(f"  로그: {local.logs_dir}")

    def kind_up(self, started):
        from labs.providers import ProviderError
        from labs.providers.kind import create_cluster, shared_cluster_name, workdir

        name = shared_cluster_name()
        try:
            create_cluster(name)
        except ProviderError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"kind 클러스터 '{name}': {time.monotonic() - started:.1f}초 만에 준비됨 (실제 컨테이너)"
        )
        self.stdout.write(f"  kubeconfig: {workdir(name) / 'kubeconfig'}")

    def kind_down(self):
        from labs.providers import ProviderError
        from labs.providers.kind import all_clusters, delete_cluster, shared_cluster_name

        try:
            names = [n for n in all_clusters() if self.all or n == shared_cluster_name()]
            for name in names:
                delete_cluster(name)
                self.stdout.write(f"kind 클러스터 '{name}': 삭제했습니다.")
        except ProviderError as exc:
            self.stderr.write(f"kind 클러스터를 정리하지 못했습니다: {exc}")

    def do_watch(self, local):
        """Supervise the local clusters: a component that died (the API server, etcd, ...)
        is restarted with the cluster's data and certificates, so live sessions carry on.
        Runs until stopped (make run starts it under the process supervisor)."""
        from labs.providers import kwok

        self.stdout.write(f"클러스터 감시 시작 ({self.interval:g}초 간격)")
        while True:
            try:
                if local.heal():
                    self.stdout.write(
                        f"클러스터 '{local.name}': 멈춘 구성 요소를 기존 데이터로 다시 시작했습니다."
                    )
            except (ClusterError, BinariesMissing) as exc:
                self.stderr.write(f"클러스터 '{local.name}': 다시 시작하지 못했습니다: {exc}")
            for name in kwok.heal_all():
                self.stdout.write(f"실습 클러스터 '{name}': 멈춘 구성 요소를 다시 시작했습니다.")
            self.stdout.flush()
            time.sleep(self.interval)

    def do_stop(self, local):
        """Stop the processes, keep data and certificates: the next `up` resumes them."""
        clusters = [local, *sandbox_clusters()] if self.all else [local]
        for cluster in clusters:
            if cluster.dir.exists():
                cluster.pause()
                self.stdout.write(
                    f"클러스터 '{cluster.name}': 멈췄습니다 (데이터는 그대로, 'cluster up'으로 다시 시작)."
                )

    def do_down(self, local):
        from labs.providers.kind import docker_host

        if settings.LAB_SHARED_CLUSTER == "kind" or (self.all and docker_host()):
            self.kind_down()
        running = local.dir.exists()
        local.stop()
        self.stdout.write(
            f"클러스터 '{local.name}': {'중지하고 정리했습니다' if running else '실행 중이 아닙니다'}."
        )
        if self.all:
            for other in sandbox_clusters():
                other.stop()
                self.stdout.write(f"실습 클러스터 '{other.name}': 중지하고 정리했습니다.")

    def do_status(self, local):
        if not local.dir.exists():
            self.stdout.write(f"클러스터 '{local.name}': 실행 중이 아닙니다.")
            raise SystemExit(3)
        statuses = local.status()
        for s in statuses:
            mark = "정상" if s.healthy else ("비정상" if s.running else "중지됨")
            self.stdout.write(f"  {s.name:<24} {mark:<4} pid={s.pid or '-':<8} {s.detail}")
        memory = local.resident_memory_bytes() / 1024 / 1024
        self.stdout.write(f"  메모리(RSS 합계): {memory:.0f} MB · 로그: {local.logs_dir}")
        if not all(s.healthy for s in statuses):
            raise SystemExit(1)

    def do_kubeconfig(self, local):
        if not local.kubeconfig.exists():
            raise CommandError(
                "클러스터가 실행 중이 아닙니다. 'python manage.py cluster up'을 먼저 실행하세요."
            )
        self.stdout.write(str(local.kubeconfig))
