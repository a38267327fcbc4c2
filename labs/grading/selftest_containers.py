"""The self-test of a lab that runs real containers: side by side, on fresh sandboxes.

With real containers the time goes into waiting for kubelet (a liveness probe failing three
times, a Job's pods running to the end, a crash loop backing off), not into CPU, so the
reference solution and the cases each get their own sandbox and run side by side, as many
at once as the lab cluster's node has CPU requests for (SANDBOXES_AT_ONCE): a lab takes
about as long as its slowest answer in each wave instead of the sum.

A known-wrong case must also stay wrong for as long as the reference solution needed to
reach full marks (measured in the same run): a liveness probe that never restarts anything,
or a Job that never succeeds, is only proven wrong once the right answer would already have
passed.
"""

import contextlib
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from labs.spec import Case


class Reference:
    """How long the reference solution took to reach full marks, once it did (or gave up)."""

    def __init__(self):
        self._done = threading.Event()
        self.seconds: float | None = None

    def finish(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._done.set()

    def reached(self, elapsed: float) -> bool:
        """A wrong case watched for `elapsed` seconds has been watched long enough."""
        if not self._done.is_set():
            return False
        return self.seconds is None or elapsed >= self.seconds


# Sandboxes alive at once. Every pod asks its LimitRange's default CPU request, and a kind
# node has two cores to hand out: a dozen sandboxes with two replicas each leave pods
# Pending for CPU, and a right answer would wait for a node instead of being graded.
SANDBOXES_AT_ONCE = 9


def run(lab, result, timeout: float, cases: Sequence[Case]) -> None:
    """The reference solution and the first cases side by side, then the other cases in
    waves of SANDBOXES_AT_ONCE, each wave's sandboxes gone before the next starts."""
    todo = list(cases)
    reference = Reference()
    first = SANDBOXES_AT_ONCE - 1
    waves = [todo[:first]] + [
        todo[i : i + SANDBOXES_AT_ONCE] for i in range(first, len(todo), SANDBOXES_AT_ONCE)
    ]
    for number, wave in enumerate(waves):
        _wave(lab, result, timeout, wave, reference, with_solution=number == 0)


def _wave(lab, result, timeout, wave: list[Case], reference: "Reference", with_solution: bool) -> None:
    from .sandboxes import sandbox_for
    from .selftest import CaseResult

    with contextlib.ExitStack() as stack:
        # Sandboxes are database rows: made here, on this thread, one self-test user each.
        boxes: list = []
        for slot in range(len(wave) + with_solution):
            try:
                boxes.append(stack.enter_context(sandbox_for(lab, slot)))
            except Exception as exc:  # reported for that case; the others still run
                if with_solution and slot == 0:
                    raise
                boxes.append(exc)
        case_boxes = boxes[1:] if with_solution else boxes
        with ThreadPoolExecutor(max_workers=max(len(boxes), 1)) as pool:
            solution = (
                pool.submit(_solution, lab, result, boxes[0], timeout, reference) if with_solution else None
            )
            futures = [
                pool.submit(_timed, lab, case, box, timeout, reference)
                if not isinstance(box, Exception)
                else None
                for case, box in zip(wave, case_boxes, strict=True)
            ]
            if solution is not None:
                solution.result()
            for case, box, future in zip(wave, case_boxes, futures, strict=True):
                if future is None:
                    result.cases.append(
                        CaseResult(case.name, case.expect, "error", f"{type(box).__name__}: {box}")
                    )
                else:
                    result.cases.append(future.result())


def _timed(lab, case, box, timeout, reference: Reference):
    from .selftest import _run_case

    started = time.monotonic()
    verdict = _run_case(lab, case, box, timeout, reference=reference)
    verdict.seconds = time.monotonic() - started
    return verdict


def _solution(lab, result, box, timeout, reference: Reference) -> None:
    from .selftest import judge_solution

    seconds = None
    try:
        seconds = judge_solution(lab, result, box, timeout)
    finally:
        reference.finish(seconds)  # never leave the wrong cases waiting
