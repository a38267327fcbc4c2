"""Grading services: views and the Celery task call these (docs/architecture.md).

A Submission row is created first (committed), then the task is queued on commit; the
worker claims the row with a conditional UPDATE, so a redelivered task never grades twice
and a finished submission is never regraded.
"""

import hashlib
import logging
import time
from collections import OrderedDict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from kubaeum.errors import NotFound, UserError
from kubaeum.queueing import send_now
from kubaeum.safe_yaml import SafeYamlError
from labs.models import Lab, LabSession, SolutionReveal, Submission

from .dockerfile import DockerfileError
from .engine import grade
from .sources import FileSource, LiveSource, SourceError

log = logging.getLogger(__name__)
S = Submission.State

MAX_FILE_BYTES = 200_000
# A worker that died mid-grading leaves a "running" row; after this long it may be claimed again.
STALE_RUNNING = timedelta(seconds=90)


class GradingInputError(UserError):
    """The submission itself cannot be graded (unknown or oversized files, bad YAML)."""


class GradingBusy(GradingInputError):
    """The previous grading has not finished yet."""

    status = 409


def get_submission_for_user(user, submission_id) -> Submission:
    submission = Submission.objects.of(user).select_related("lab", "session").filter(pk=submission_id).first()
    if submission is None:
        raise NotFound("채점 기록을 찾을 수 없습니다.")
    return submission


def request_grading(user, session) -> Submission:
    """Queue a grading of the student's live sandbox (one pending grading per session)."""
    if session.user_id != user.pk:
        raise NotFound("실습 세션을 찾을 수 없습니다.")
    if session.lab.scope == Lab.Scope.NONE:
        raise GradingInputError("이 실습은 파일을 제출해 채점합니다.", status=409)
    if not session.is_usable:
        raise GradingInputError("실습 환경이 준비되지 않았거나 이미 종료되어 채점할 수 없습니다.", status=409)
    from labs.sandbox.services import record_activity

    record_activity(session)
    with transaction.atomic():
        # Serialise gradings of one session: a row lock on PostgreSQL (SQLite transactions
        # here already begin IMMEDIATE, holding the write lock).
        LabSession.objects.select_for_update().filter(pk=session.pk).first()
        pending = Submission.objects.pending().filter(session=session).first()
        if pending:
            return pending  # a double click must not queue two gradings of the same state
        submission = Submission.objects.create(
            user=user, lab=session.lab, session=session, max_score=session.lab.spec.max_score
        )
        _enqueue(submission)
    return submission


def check_files(lab, files) -> dict[str, str]:
    """Only the lab's declared files, as text, within limits; parse them to refuse bad input now."""
    specs = lab.spec.files
    names = {s.name for s in specs}
    if not isinstance(files, dict):
        raise GradingInputError("제출 파일 형식이 올바르지 않습니다.")
    unknown = set(files) - names
    if unknown:
        raise GradingInputError(f"이 실습에서 받지 않는 파일입니다: {', '.join(sorted(unknown))}")
    clean = {}
    for name in names:
        value = files.get(name, "")
        if isinstance(value, bytes):
            if b"\x00" in value:
                raise GradingInputError(f"{name}: 바이너리 파일은 받을 수 없습니다.")
            try:
                value = value.decode("utf-8")
            except UnicodeDecodeError:
                raise GradingInputError(f"{name}: UTF-8 텍스트 파일이 아닙니다.") from None
        if not isinstance(value, str):
            raise GradingInputError(f"{name}: 텍스트가 필요합니다.")
        if len(value.encode("utf-8")) > MAX_FILE_BYTES:
            raise GradingInputError(
                f"{name}: 파일이 너무 큽니다. 최대 {MAX_FILE_BYTES:,}바이트까지 받을 수 있습니다."
            )
        if "\x00" in value:
            raise GradingInputError(f"{name}: 바이너리 파일은 받을 수 없습니다.")
        clean[name] = value.replace("\r\n", "\n")
    for spec in specs:  # one by one so the message names the file at fault
        try:
            FileSource({spec.name: clean[spec.name]}, [spec])
        except (SafeYamlError, DockerfileError) as exc:
            raise GradingInputError(f"{spec.name}: {exc}") from None
    return clean


def request_file_grading(user, lab, files: dict) -> Submission:
    if lab.scope != Lab.Scope.NONE:
        raise GradingInputError("이 실습은 실습 환경(클러스터)에서 채점합니다.")
    clean = check_files(lab, files)
    recent = timezone.now() - timedelta(seconds=60)
    with transaction.atomic():
        # One pending file grading per student and lab: the check and the insert happen
        # under the student's row lock (PostgreSQL) or the IMMEDIATE write lock (SQLite).
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if Submission.objects.of(user).pending().filter(lab=lab, created_at__gte=recent).exists():
            raise GradingBusy("이전 채점이 아직 진행 중입니다. 결과가 나온 뒤 다시 채점해 주세요.")
        submission = Submission.objects.create(user=user, lab=lab, files=clean, max_score=lab.spec.max_score)
        _enqueue(submission)
    return submission


def _enqueue(submission) -> None:
    from .tasks import enqueue_grade

    enqueue_grade(submission.pk)


def _claim(submission_id) -> bool:
    now = timezone.now()
    claimable = Q(state=S.QUEUED) | Q(state=S.RUNNING, started_at__lt=now - STALE_RUNNING)
    return bool(
        Submission.objects.filter(claimable, pk=submission_id).update(state=S.RUNNING, started_at=now)
    )


def grade_submission(submission_id) -> Submission | None:
    """Grade one submission; a finished (or unknown) one is left alone."""
    if not _claim(submission_id):
        return None
    submission = Submission.objects.select_related("lab", "session").get(pk=submission_id)
    started = time.monotonic()
    try:
        report = grade(submission.lab.spec, _source_for(submission))
    except (SourceError, GradingInputError) as exc:
        return _finish(submission, started, state=S.FAILED, error=str(exc))
    except Exception:
        log.exception("grading submission %s failed", submission_id)
        return _finish(submission, started, state=S.FAILED, error="채점 중 예기치 못한 오류가 발생했습니다.")
    return _finish(
        submission,
        started,
        state=S.DONE,
        score=report.score,
        max_score=report.max_score,
        results=[r.to_stored() for r in report.results],
    )


def _source_for(submission):
    lab = submission.lab
    if lab.scope == Lab.Scope.NONE:
        return FileSource(submission.files, lab.spec.files)
    session = submission.session
    if session is None or not session.is_usable:
        raise GradingInputError("실습 환경이 종료되어 채점할 수 없습니다.")
    from labs.sandbox.services import SessionError

    try:
        return session_source(session, LiveSource)
    except SessionError as exc:
        raise GradingInputError(str(exc)) from None


def session_source[S: LiveSource](session, source_class: type[S], timeout: float = 10) -> S:
    """The session's sandbox as every reader of it sees it (채점하기 and the live task list):
    its namespace, and whether its provider runs real containers. Raises SessionError."""
    return source_class(
        _session_client(session),
        namespace=session.namespace or None,
        timeout=timeout,
        real_containers=_real_containers(session),
    )


def _real_containers(session) -> bool:
    from labs.providers import get_provider
    from labs.providers.base import ProviderError

    try:
        return bool(getattr(get_provider(session.provider), "containers", False))
    except ProviderError:  # an unknown provider name: behaviour checks skip rather than fail
        return False


_clients: OrderedDict = OrderedDict()
_CLIENTS_MAX = 64


def _session_client(session):
    """The session's ApiClient, kept per worker process so repeated gradings reuse one
    TLS connection instead of a handshake each time. Keyed by the credentials themselves:
    refreshed credentials (an extension) get a new client."""
    from labs.sandbox.services import session_api_client

    key = (session.pk, hashlib.sha256(session.credentials.encode()).hexdigest())
    api = _clients.get(key)
    if api is None:
        api = session_api_client(session)
        _clients[key] = api
        while len(_clients) > _CLIENTS_MAX:
            _clients.popitem(last=False)[1].close()
    _clients.move_to_end(key)
    return api


def _finish(submission, started, **fields) -> Submission:
    fields.update(duration_ms=int((time.monotonic() - started) * 1000), finished_at=timezone.now())
    Submission.objects.filter(pk=submission.pk, state=S.RUNNING).update(**fields)
    submission.refresh_from_db()
    return submission


def requeue_stale() -> int:
    """Queued rows whose task was lost (Redis down, worker died) are sent again."""
    cutoff = timezone.now() - timedelta(seconds=30)
    ids = list(
        Submission.objects.filter(state=S.QUEUED, created_at__lt=cutoff).values_list("pk", flat=True)[:200]
    )
    ids += list(
        Submission.objects.filter(state=S.RUNNING, started_at__lt=timezone.now() - STALE_RUNNING).values_list(
            "pk", flat=True
        )[:200]
    )
    from .tasks import grade as grade_task

    for pk in ids:
        send_now(grade_task, pk)
    return len(ids)


# --- the gradebook ---------------------------------------------------------------------


def history(user, lab):
    return Submission.objects.of(user).filter(lab=lab)


def attempts(user, lab) -> int:
    return history(user, lab).done().count()


def failed_attempts(user, lab) -> int:
    return history(user, lab).below_full_marks().count()


def best_score(user, lab) -> int | None:
    return history(user, lab).done().aggregate(best=Max("score"))["best"]


def hints_unlocked(user, lab) -> bool:
    return failed_attempts(user, lab) >= lab.spec.hints_after


def has_revealed(user, lab) -> bool:
    return SolutionReveal.objects.filter(user_id=user.pk, lab=lab).exists()


def reveal_solution(user, lab) -> SolutionReveal:
    """Allowed after at least one graded attempt; recorded once (the first time counts)."""
    if attempts(user, lab) < 1:
        raise GradingInputError("정답은 한 번 이상 채점을 받은 뒤에 볼 수 있습니다.", status=409)
    reveal, _ = SolutionReveal.objects.get_or_create(
        user=user, lab=lab, defaults={"best_score_before": best_score(user, lab) or 0}
    )
    return reveal
