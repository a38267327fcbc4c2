import pytest

from labs.models import Lab
from labs.providers import ProviderError, pick


@pytest.fixture
def kubeconfig_file(settings, tmp_path):
    path = tmp_path / "kubeconfig"
    path.write_text(
        "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\n"
        "users: [{name: u, user: {token: x}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n"
    )
    settings.LAB_CLUSTER_KUBECONFIG = str(path)


def lab(**fields):
    return Lab(slug="x", title="x", **fields)


def test_namespace_labs_go_to_the_shared_cluster(kubeconfig_file):
    assert pick(lab(scope="namespace")).name == "namespace"


def test_cluster_scoped_labs_get_a_dedicated_kwok_cluster(kubeconfig_file, cluster_binaries):
    assert pick(lab(scope="cluster")).name == "kwok"


def test_labs_needing_real_containers_need_kind(kubeconfig_file, settings, tmp_path):
    settings.LAB_KIND_BINARY = "no-such-kind"
    with pytest.raises(ProviderError, match="사용할 수 없습니다"):
        pick(lab(scope="namespace", containers=True))


def test_file_labs_need_no_sandbox(kubeconfig_file):
    with pytest.raises(ProviderError, match="제공자가 없습니다"):
        pick(lab(scope="none"))


def test_provisioning_without_a_running_cluster_fails_with_a_clear_reason(student, settings, tmp_path):
    from labs.models import LabSession
    from labs.sandbox.lifecycle import provision_session

    settings.LAB_CLUSTER_KUBECONFIG = ""
    settings.KUBAEUM_STATE_DIR = tmp_path  # no local cluster has ever run here
    real_lab = Lab.objects.create(slug="needs-cluster", title="x")
    session = LabSession.objects.create(user=student, lab=real_lab, provider="namespace")
    assert provision_session(session.pk, final=True) == "failed"
    session.refresh_from_db()
    assert "클러스터가 실행 중이 아닙니다" in session.failure_reason
