"""When a self-test stops waiting for a Deployment: its pods unready and staying so."""

from datetime import UTC, datetime, timedelta

from labs.grading.rollouts import UNREADY_SECONDS, _stuck


def pod(conditions: list[dict], statuses: list[dict] | None = None) -> dict:
    return {"status": {"conditions": conditions, "containerStatuses": statuses or []}}


def condition(kind: str, status: str, seconds_ago: float, reason: str = "") -> dict:
    since = (datetime.now(UTC) - timedelta(seconds=seconds_ago)).isoformat()
    return {"type": kind, "status": status, "reason": reason, "lastTransitionTime": since}


def test_a_pod_unschedulable_for_a_while_is_stuck_and_one_just_created_is_not():
    # On kwok an unbound PVC keeps the pod unschedulable for good.
    for seconds_ago, stuck in ((UNREADY_SECONDS + 5, True), (1, False)):
        unscheduled = condition("PodScheduled", "False", seconds_ago, reason="Unschedulable")
        assert _stuck(pod([unscheduled, condition("Ready", "False", seconds_ago)])) is stuck


def test_a_pod_still_being_scheduled_or_starting_is_not_stuck():
    assert not _stuck(pod([condition("PodScheduled", "False", 60, reason="SchedulerError")]))
    starting = [{"state": {"waiting": {"reason": "ContainerCreating"}}}]
    assert not _stuck(pod([condition("PodScheduled", "True", 60), condition("Ready", "False", 60)], starting))


def test_a_running_pod_unready_for_a_while_is_stuck_and_a_ready_one_is_not():
    running = [{"state": {"running": {}}}]
    scheduled = condition("PodScheduled", "True", 60)
    assert _stuck(pod([scheduled, condition("Ready", "False", UNREADY_SECONDS + 1)], running))
    assert not _stuck(pod([scheduled, condition("Ready", "True", 60)], running))
