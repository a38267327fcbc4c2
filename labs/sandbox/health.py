"""Health of live sandboxes, checked by the reaper: a session never stays "실습 중" on a
sandbox that is gone.

Namespace sessions: the shared cluster is asked which of our namespaces exist; when it
cannot answer (the API server is down, or restarting under `cluster watch`), nothing is
decided — sessions resume when it is back. A namespace that is really gone (the cluster
was recreated, someone deleted it) ends its session with a Korean reason.
Dedicated clusters: a dead one is restarted on its data; one stopped at its memory
ceiling, or that cannot be restarted, ends its session with the reason.
"""

import logging
from datetime import timedelta

from django.utils import timezone

from labs.models import LabSession
from labs.providers import get_provider
from labs.sandbox import lifecycle

log = logging.getLogger(__name__)
S = LabSession.State
NAMESPACE_GONE_REASON = (
    "실습 환경(네임스페이스)이 클러스터에서 사라져 실습을 종료했습니다. '실습 시작'을 다시 눌러 주세요."
)
# A sandbox younger than this is not judged (its namespace is being created or listed).
SETTLE = timedelta(seconds=10)


def check_ready_sessions() -> int:
    ended = 0
    ready = LabSession.objects.ready().filter(ready_at__lte=timezone.now() - SETTLE)
    namespace_sessions = list(ready.filter(provider="namespace"))
    if namespace_sessions:
        ended += _check_namespaces(namespace_sessions)
    for session in ready.filter(provider="kwok"):
        from labs.providers import kwok

        if not session.cluster_name:
            continue
        reason = kwok.problem(session.cluster_name)
        if reason:
            ended += lifecycle.request_end(session, reason)
    return ended


def _check_namespaces(sessions) -> int:
    provider = get_provider("namespace")
    if not provider.available()[0] or not provider.health():
        return 0
    try:
        found = provider.sandboxes()
    except Exception:
        log.warning("cannot list namespace sandboxes; health check skipped", exc_info=True)
        return 0
    ended = 0
    for session in sessions:
        if session.pk not in found:
            log.warning("session %s: namespace %s is gone", session.pk, session.namespace)
            ended += lifecycle.request_end(session, NAMESPACE_GONE_REASON)
    return ended
