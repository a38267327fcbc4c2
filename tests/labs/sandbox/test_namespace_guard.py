"""What a hostile student cannot do in a namespace sandbox, refused by the real API server:
uncounted kinds, huge objects, externalIPs / NodePort / LoadBalancer Services and
non-expiring ServiceAccount token Secrets. Every call uses the student's own token."""

import re

import pytest
from kubernetes import client
from kubernetes.client.exceptions import ApiException
from kubernetes.dynamic import DynamicClient

from labs.cluster.access import ok_if_gone
from labs.cluster.local import ETCD_MAX_REQUEST_BYTES
from labs.providers import guard
from labs.providers.namespace import MANAGE, RULES
from labs.sandbox.services import session_api_client
from tests.k8s_helpers import wait_for

pytestmark = pytest.mark.cluster
# The per-object cap the guard applies to annotations and ConfigMap/Secret data.
BIG = "x" * (guard.MAX_DATA_BYTES - 1024)


def refusal(call, *args, **kwargs) -> ApiException | None:
    try:
        call(*args, **kwargs)
    except ApiException as e:
        return e
    return None


def enforced(call, *args) -> ApiException:
    """The refusal of call(*args). The API server compiles a policy a moment after it is
    first installed: until then the call is tried as a dry run, which admission judges the
    same way and which leaves nothing behind (a real create that got through would make
    every retry an "already exists")."""
    wait_for(lambda: refusal(call, *args, dry_run="All"), 20, 0.3, "the admission policy to refuse")
    refused = refusal(call, *args)
    assert refused is not None, "refused as a dry run, yet accepted for real"
    return refused


@pytest.fixture
def sandbox(provisioned, student):
    session = provisioned(student)
    with session_api_client(session) as api:
        yield session, api


def service(name, **spec):
    return {"metadata": {"name": name}, "spec": {"ports": [{"port": 80}], "selector": {"app": "x"}, **spec}}


def test_services_with_external_ips_are_refused(sandbox):
    session, api = sandbox
    core = client.CoreV1Api(api)
    refused = enforced(
        core.create_namespaced_service, session.namespace, service("mitm", externalIPs=["10.0.0.9"])
    )
    assert refused.status == 403, refused.body
    assert "externalIPs" in refused.body and "가로챌" in refused.body
    core.create_namespaced_service(session.namespace, service("plain"))  # ClusterIP is fine


@pytest.mark.parametrize("kind", ["NodePort", "LoadBalancer"])
def test_node_port_and_load_balancer_services_are_refused_by_default(sandbox, kind):
    session, api = sandbox
    refused = enforced(
        client.CoreV1Api(api).create_namespaced_service, session.namespace, service("out", type=kind)
    )
    assert refused.status == 403
    assert "NodePort와 LoadBalancer" in refused.body


def test_a_lab_that_requires_node_ports_gets_them_but_still_no_load_balancer_or_external_ips(
    provision, student, lab
):
    # What the loader stores for `requires: {service_types: [NodePort]}`.
    lab.definition = {**lab.definition, "service_types": ["NodePort"]}
    lab.save()
    session = provision(student, lab)
    with session_api_client(session) as api:
        core = client.CoreV1Api(api)
        enforced(core.create_namespaced_service, session.namespace, service("mitm", externalIPs=["10.0.0.9"]))
        core.create_namespaced_service(session.namespace, service("np", type="NodePort"))
        assert refusal(core.create_namespaced_service, session.namespace, service("lb", type="LoadBalancer"))


def test_the_student_cannot_open_node_ports_by_labelling_a_namespace(sandbox, admin_api):
    session, api = sandbox
    core = client.CoreV1Api(api)
    enforced(core.create_namespaced_service, session.namespace, service("before", type="NodePort"))
    opened = {"metadata": {"labels": {guard.ALLOW_NODEPORT: "true", guard.ALLOW_LOADBALANCER: "true"}}}
    assert refusal(core.patch_namespace, session.namespace, opened).status == 403
    labelled = {"metadata": {"name": f"{session.namespace}-open", **opened["metadata"]}}
    assert refusal(core.create_namespace, labelled).status == 403
    labels = client.CoreV1Api(admin_api).read_namespace(session.namespace).metadata.labels
    assert guard.ALLOW_NODEPORT not in labels and guard.ALLOW_LOADBALANCER not in labels
    assert refusal(core.create_namespaced_service, session.namespace, service("after", type="NodePort"))


def test_service_account_token_secrets_are_refused(sandbox):
    session, api = sandbox
    secret = {
        "metadata": {"name": "forever", "annotations": {"kubernetes.io/service-account.name": "student"}},
        "type": "kubernetes.io/service-account-token",
    }
    refused = enforced(client.CoreV1Api(api).create_namespaced_secret, session.namespace, secret)
    assert refused.status == 403 and "토큰 시크릿" in refused.body


def test_config_map_secret_and_annotation_payloads_are_capped(sandbox):
    session, api = sandbox
    core, ns = client.CoreV1Api(api), session.namespace
    over = "x" * (guard.MAX_DATA_BYTES + 1)
    refused = enforced(
        core.create_namespaced_config_map, ns, {"metadata": {"name": "big"}, "data": {"a": over}}
    )
    assert refused.status == 403 and "64KiB" in refused.body
    split = {"a": over[: len(over) // 2], "b": over[len(over) // 2 :]}  # the sum counts, not each value
    assert refusal(core.create_namespaced_config_map, ns, {"metadata": {"name": "big2"}, "data": split})
    assert refusal(
        core.create_namespaced_secret, ns, {"metadata": {"name": "big"}, "stringData": {"a": over}}
    )
    annotated = {"metadata": {"name": "note", "annotations": {"a": over}}, "data": {}}
    assert refusal(core.create_namespaced_config_map, ns, annotated).status == 403
    core.create_namespaced_config_map(ns, {"metadata": {"name": "ok"}, "data": {"a": BIG}})


@pytest.mark.parametrize("size", [ETCD_MAX_REQUEST_BYTES + 10_000, 900_000])
def test_an_object_too_big_for_etcd_is_refused_whatever_field_holds_the_bulk(sandbox, size):
    session, api = sandbox
    replica_set = {
        "metadata": {"name": "bulky"},
        "spec": {
            "replicas": 0,
            "selector": {"matchLabels": {"app": "bulky"}},
            "template": {
                "metadata": {"labels": {"app": "bulky"}},
                "spec": {
                    "containers": [
                        {
                            "name": "c",
                            "image": "kubaeum/web:1.0",
                            "env": [{"name": "X", "value": "y" * size}],
                        }
                    ]
                },
            },
        },
    }
    refused = refusal(client.AppsV1Api(api).create_namespaced_replica_set, session.namespace, replica_set)
    # etcd refuses it ("request is too large"; past its gRPC allowance, the limit + 512 KiB,
    # the transport refuses first): the API server passes either on as an error status.
    assert refused is not None and refused.status in (413, 500), refused
    assert "too large" in refused.body or "larger than max" in refused.body, refused.body
    assert client.AppsV1Api(api).list_namespaced_replica_set(session.namespace).items == []


def test_every_kind_a_student_may_write_has_an_object_count_quota(sandbox, admin_api):
    session, _ = sandbox
    quota = client.CoreV1Api(admin_api).read_namespaced_resource_quota("kubaeum-quota", session.namespace)
    counted = set(quota.spec.hard)
    for group, resources, verbs in RULES:
        if "create" not in verbs or verbs != MANAGE:
            continue
        for resource in resources:
            keys = {resource, f"count/{resource}.{group}" if group else f"count/{resource}"}
            assert keys & counted, f"{group or 'core'}/{resource} may be created but is not counted"


# --- the shared etcd cannot be grown by more than a bounded amount ---------------------------

KINDS = {
    # resource: (apiVersion, kind, spec builder)
    "configmaps": ("v1", "ConfigMap", lambda n: {"data": {"a": "b"}}),
    "secrets": ("v1", "Secret", lambda n: {"stringData": {"a": "b"}}),
    "services": ("v1", "Service", lambda n: {"spec": {"ports": [{"port": 80}]}}),
    "persistentvolumeclaims": (
        "v1",
        "PersistentVolumeClaim",
        lambda n: {"spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Mi"}}}},
    ),
    "replicationcontrollers": (
        "v1",
        "ReplicationController",
        lambda n: {"spec": {"replicas": 0, **_template(n)}},
    ),
    "pods": ("v1", "Pod", lambda n: {"spec": _template(n)["template"]["spec"]}),
    "deployments": ("apps/v1", "Deployment", lambda n: {"spec": {"replicas": 0, **_selected(n)}}),
    "replicasets": ("apps/v1", "ReplicaSet", lambda n: {"spec": {"replicas": 0, **_selected(n)}}),
    "statefulsets": (
        "apps/v1",
        "StatefulSet",
        lambda n: {"spec": {"replicas": 0, "serviceName": n, **_selected(n)}},
    ),
    "daemonsets": ("apps/v1", "DaemonSet", lambda n: {"spec": _selected(n, node_selector={"none": "none"})}),
    "controllerrevisions": ("apps/v1", "ControllerRevision", lambda n: {"revision": 1, "data": {}}),
    "jobs": ("batch/v1", "Job", lambda n: {"spec": {"suspend": True, **_template(n, restart="Never")}}),
    "cronjobs": (
        "batch/v1",
        "CronJob",
        lambda n: {
            "spec": {"schedule": "0 0 1 1 *", "suspend": True, "jobTemplate": {"spec": _template(n, "Never")}}
        },
    ),
    "horizontalpodautoscalers": (
        "autoscaling/v2",
        "HorizontalPodAutoscaler",
        lambda n: {
            "spec": {
                "maxReplicas": 2,
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": n},
            }
        },
    ),
    "poddisruptionbudgets": (
        "policy/v1",
        "PodDisruptionBudget",
        lambda n: {"spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": n}}}},
    ),
}


def _template(name, restart="Always", node_selector=None):
    spec = {"restartPolicy": restart, "containers": [{"name": "c", "image": "kubaeum/web:1.0"}]}
    if node_selector:
        spec["nodeSelector"] = node_selector
    return {"template": {"metadata": {"labels": {"app": name}}, "spec": spec}}


def _selected(name, node_selector=None):
    return {"selector": {"matchLabels": {"app": name}}, **_template(name, node_selector=node_selector)}


def etcd_db_bytes(cluster) -> int:
    import urllib.request

    from labs.cluster.local import HEALTH_PATHS

    url = cluster._health_endpoints()["etcd"].removesuffix(HEALTH_PATHS["etcd"]) + "/metrics"
    text = urllib.request.urlopen(url, timeout=5).read().decode()
    size = re.search(r"^etcd_mvcc_db_total_size_in_use_in_bytes (\S+)$", text, re.M)
    assert size, "etcd reports no database size"
    return int(float(size.group(1)))


def test_a_student_filling_every_kind_grows_the_shared_etcd_by_a_bounded_amount(
    sandbox, lab_cluster, settings
):
    session, api = sandbox
    dynamic = DynamicClient(api)
    hard = client.CoreV1Api(api).read_namespaced_resource_quota("kubaeum-quota", session.namespace).spec.hard
    before = etcd_db_bytes(lab_cluster)
    created = {}
    for resource, (api_version, kind, build) in KINDS.items():
        endpoint = dynamic.resources.get(api_version=api_version, kind=kind)
        created[resource] = 0
        for i in range(200):
            name = f"{resource[:10]}-{i}"
            body = {
                "apiVersion": api_version,
                "kind": kind,
                "metadata": {"name": name, "annotations": {"fill": BIG}},
            }
            body.update(build(name))
            try:
                endpoint.create(body=body, namespace=session.namespace)
            except Exception as e:  # dynamic client raises its own ApiException subclasses
                assert getattr(e, "status", None) == 403 and "exceeded quota" in str(getattr(e, "body", e)), e
                break
            created[resource] += 1
        else:
            pytest.fail(f"{resource}: 200 objects accepted, no quota stopped them")
    grown = etcd_db_bytes(lab_cluster) - before
    objects = sum(created.values())
    limit_keys = [k for k in hard if k.startswith("count/") or k in KINDS]
    bound = sum(int(hard[k]) for k in limit_keys) * ETCD_MAX_REQUEST_BYTES
    print(f"\n{objects} objects of ~{len(BIG) // 1024} KiB accepted; etcd grew by {grown / 2**20:.1f} MiB "
          f"(bound {bound / 2**20:.0f} MiB): {created}")  # fmt: skip
    assert objects <= sum(int(hard[k]) for k in limit_keys)
    assert grown < bound


def test_the_first_sandbox_after_the_guard_is_written_refuses_at_once(admin_api, provisioned, student):
    """The API server compiles a policy a moment after it is written: the provider hands out
    no sandbox before the student is refused, so no retry is needed here."""
    admission = client.AdmissionregistrationV1Api(admin_api)
    ok_if_gone(admission.delete_validating_admission_policy_binding, guard.NAME)
    ok_if_gone(admission.delete_validating_admission_policy, guard.NAME)
    guard._confirmed.clear()  # as in a worker that starts now
    session = provisioned(student)
    with session_api_client(session) as api:
        core = client.CoreV1Api(api)
        refused = refusal(
            core.create_namespaced_service, session.namespace, service("mitm", externalIPs=["10.0.0.9"])
        )
    assert refused is not None and refused.status == 403, "created before the guard was enforced"
    assert guard.NAME in refused.body
