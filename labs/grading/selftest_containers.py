"""The self-test of a lab that runs real containers: everything at once, on fresh sandboxes.

With real containers the time goes into waiting for kubelet (a liveness probe failing three
times, a Job's pods running to the end, a crash loop backing off), not into CPU, so the
reference solution and every case each get their own sandbox and run side by side: the lab
takes about as long as its slowest answer instead of the sum.

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


def run(lab, result, timeout: float, cases: Sequence[Case]) -> None:
    from .sandboxes import sandbox_for
    from .selftest import CaseResult

    todo = list(cases)
    reference = Reference()
    with contextlib.ExitStack() as stack:
        # Sandboxes are database rows: made here, on this thread, one self-test user each.
        boxes: list = []
        for slot in range(len(todo) + 1):
            try:
                boxes.append(stack.enter_context(sandbox_for(lab, slot)))
            except Exception as exc:  # reported for that case; the others still run
                if slot == 0:
                    raise
                boxes.append(exc)
        with ThreadPoolExecutor(max_workers=len(boxes)) as pool:
            solution = pool.submit(_solution, lab, result, boxes[0], timeout, reference)
            futures = [
                pool.submit(_timed, lab, case, box, timeout, reference)
                if not isinstance(box, Exception)
                else None
                for case, box in zip(todo, boxes[1:], strict=True)
            ]
            solution.result()
            for case, box, future in zip(todo, boxes[1:], futures, strict=True):
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
