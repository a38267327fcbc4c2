"""The console's allowlist and refusals, as data (read by policy.py).

Anything not listed in ALLOWED is refused, so a new kubectl subcommand or a plugin name
never runs by accident. The forbidden lists exist for the clearer message.
"""

EDITOR = "YAML은 오른쪽 편집기에서 '검증'과 '적용'을 쓰세요."

ALLOWED = {
    "get", "describe", "create", "delete", "run", "expose", "scale", "autoscale", "rollout",
    "set", "label", "annotate", "explain", "api-resources", "api-versions", "version", "top",
    "logs", "auth", "patch", "cluster-info", "events", "wait", "help", "options", "exec",
}  # fmt: skip

# subcommand -> (allowed next words, whether one is required)
NESTED = {
    "rollout": ({"status", "history", "undo", "restart", "pause", "resume"}, True),
    "set": ({"image", "env", "resources"}, True),
    "auth": ({"can-i", "whoami"}, True),
    "top": ({"pod", "pods", "po", "node", "nodes", "no"}, False),
    "cluster-info": (set(), False),  # "cluster-info dump" writes files and reads the whole cluster
    "create": (
        {
            "deployment", "deploy", "service", "svc", "configmap", "cm", "secret", "job",
            "cronjob", "cj", "serviceaccount", "sa", "role", "rolebinding", "clusterrole",
            "clusterrolebinding", "namespace", "ns", "quota", "resourcequota", "ingress", "ing",
            "poddisruptionbudget", "pdb", "priorityclass", "pc",
        },
        True,
    ),
}  # fmt: skip

_CREDENTIALS = (
    "이 옵션은 쓸 수 없습니다. 웹 콘솔은 이 실습 세션의 접속 정보로만 실행됩니다 "
    "(다른 서버, 다른 사용자, 다른 인증서로 바꿀 수 없습니다)."
)
_INTERACTIVE = (
    "대화형 옵션(-i, -t, --stdin, --tty, --attach)은 쓸 수 없습니다. 웹 콘솔은 입력을 받지 않습니다. "
    "kubectl exec는 -it 없이 명령 하나를 실행할 수 있습니다 (예: kubectl exec web-0 -- cat /etc/hostname)."
)
_WATCH = (
    "계속 지켜보는 옵션(-w, --watch, -f/--follow)은 kubectl get과 kubectl events에서만 쓸 수 있습니다 "
    "(몇 초 동안 지켜본 뒤 멈춥니다). 다른 명령은 다시 실행해 최신 상태를 보세요."
)
# get/events -w are allowed but stopped after a few seconds (runner.WATCH_SECONDS).
WATCHABLE = {"get", "events"}
WATCH_LONG = {"watch", "watch-only"}
_FILES = "파일(-f, --filename, -k)은 쓸 수 없습니다. 웹 콘솔에는 파일이 없습니다. " + EDITOR

FORBIDDEN_LONG = {
    name: _CREDENTIALS
    for name in (
        "kubeconfig", "server", "token", "as", "as-group", "as-uid", "as-user-extra", "context",
        "cluster", "user", "insecure-skip-tls-verify", "certificate-authority",
        "client-certificate", "client-key", "username", "password", "tls-server-name",
        "cert", "key",
    )
}  # fmt: skip
FORBIDDEN_LONG.update(
    {
        "cache-dir": "--cache-dir은 쓸 수 없습니다. 캐시 위치는 서버가 정합니다.",
        # kuberc is a preferences file that can add aliases and default flags.
        "kuberc": "--kuberc는 쓸 수 없습니다. 웹 콘솔의 kubectl 설정은 서버가 정합니다.",
        "filename": _FILES,
        "kustomize": _FILES,
        "stdin": _INTERACTIVE,
        "tty": _INTERACTIVE,
        "attach": _INTERACTIVE,
        "rm": _INTERACTIVE,
        "watch": _WATCH,
        "watch-only": _WATCH,
        "follow": _WATCH,
        "v": "자세한 로그 옵션(-v, --v, --vmodule)은 쓸 수 없습니다.",
        "vmodule": "자세한 로그 옵션(-v, --v, --vmodule)은 쓸 수 없습니다.",
        "log": "로그 파일 옵션은 쓸 수 없습니다.",
        "profile": "--profile 옵션은 서버에 파일을 쓰므로 쓸 수 없습니다.",
        "output-directory": "--output-directory 옵션은 서버에 파일을 쓰므로 쓸 수 없습니다.",
    }
)
# "--as-anything", "--log-file", "--log_dir", "--profile-output" …
FORBIDDEN_LONG_PREFIXES = ("as-", "log-", "log_", "profile-")

# Shorthand letters refused wherever they appear in a cluster such as "-As".
FORBIDDEN_SHORT = {
    "s": _CREDENTIALS,  # -s = --server
    "v": "자세한 로그 옵션(-v, --v, --vmodule)은 쓸 수 없습니다.",
    "f": _FILES + " (kubectl logs -f처럼 계속 따라가는 옵션도 쓸 수 없습니다.)",
    "k": _FILES,
}
BOOL_SHORT_FORBIDDEN = {"i": _INTERACTIVE, "t": _INTERACTIVE, "w": _WATCH}
# Shorthands that always take a value: the rest of the cluster is that value.
VALUE_SHORT = {"o", "n", "l", "c"}  # -c: the container of logs / exec

OUTPUT_FILE_HINT = (
    "파일을 읽는 출력 형식(jsonpath-file, go-template-file, custom-columns-file 등)은 쓸 수 없습니다. "
    "웹 콘솔에는 파일이 없으니 -o jsonpath='{…}'처럼 직접 적으세요."
)

FORBIDDEN_SUBCOMMANDS = {
    "proxy": "kubectl proxy는 쓸 수 없습니다. 웹 콘솔은 계속 실행되는 명령을 지원하지 않습니다.",
    "port-forward": "kubectl port-forward는 쓸 수 없습니다. 웹 콘솔은 계속 실행되는 명령을 지원하지 않습니다.",
    "cp": "kubectl cp는 쓸 수 없습니다. 웹 콘솔에는 파일이 없습니다.",
    "attach": "kubectl attach는 대화형 명령이라 쓸 수 없습니다.",
    "edit": "kubectl edit는 편집 창을 여는 대화형 명령이라 쓸 수 없습니다. "
    + "kubectl get ... -o yaml로 내용을 본 뒤 편집기에 붙여 넣어 고치고 '적용'하거나, kubectl patch, kubectl set을 쓰세요.",
    "debug": "kubectl debug는 대화형 명령이라 쓸 수 없습니다.",
    "config": "kubectl config는 쓸 수 없습니다. 웹 콘솔의 접속 정보는 이 실습 세션으로 고정되어 있습니다.",
    "plugin": "kubectl 플러그인은 쓸 수 없습니다.",
    "krew": "kubectl 플러그인은 쓸 수 없습니다.",
    "completion": "kubectl completion은 웹 콘솔에서 쓸모가 없습니다.",
    "kustomize": "kubectl kustomize는 쓸 수 없습니다. 웹 콘솔에는 파일이 없습니다. " + EDITOR,
    "apply": "kubectl apply는 파일이 필요합니다. 웹 콘솔에는 파일이 없습니다. " + EDITOR,
    "replace": "kubectl replace는 파일이 필요합니다. " + EDITOR,
    "diff": "kubectl diff는 파일이 필요합니다. " + EDITOR + " ('검증'이 서버에서 미리 확인합니다.)",
    "alpha": "kubectl alpha 명령은 쓸 수 없습니다.",
    "certificate": "kubectl certificate는 쓸 수 없습니다.",
    "drain": "kubectl drain은 이 실습에서 쓸 수 없습니다.",
    "cordon": "kubectl cordon은 이 실습에서 쓸 수 없습니다.",
    "uncordon": "kubectl uncordon은 이 실습에서 쓸 수 없습니다.",
    "taint": "kubectl taint는 이 실습에서 쓸 수 없습니다.",
}
