"""Two writers to one case: exactly one wins, the other gets a conflict, nothing is lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from engine import Engine
from engine.actors import SYSTEM, Actor
from engine.clock import FrozenClock
from engine.errors import Conflict, EngineError, NotFound
from engine.persistence.models import Case
from engine.services import cases, tasks
from engine.views import CaseView, TaskView
from engine.vocabulary import CaseStatus
from tests import worker_matters as wm
from tests.conftest import START, fresh_engine
from tests.factories import person, reviewer


def _case_waiting_for_review(engine: Engine, applicant: Actor) -> CaseView:
    return cases.start_case(engine, applicant, matter="ratio-check", data={"amount": 200, "months": 4})


def test_second_save_from_a_stale_read_is_a_conflict(ratio: Engine, applicant: Actor) -> None:
    case = _case_waiting_for_review(ratio, applicant)
    # Deferred transactions on SQLite, so that both can read before either writes.
    with ratio.unit_of_work(immediate=False) as first, ratio.unit_of_work(immediate=False) as second:
        mine = first.session.get(Case, case.id)
        theirs = second.session.get(Case, case.id)
        assert mine is not None and theirs is not None
        mine.status, theirs.status = CaseStatus.WITHDRAWN, CaseStatus.COMPLETED

        first.commit()
        with pytest.raises(Conflict):
            second.commit()

    with ratio.unit_of_work(immediate=False) as check:
        stored = check.session.get(Case, case.id)
        assert stored is not None
        assert (stored.status, stored.revision) == ("withdrawn", 2)


def test_racing_claims_on_one_task_have_exactly_one_winner(ratio: Engine, applicant: Actor) -> None:
    case = _case_waiting_for_review(ratio, applicant)
    [task] = case.open_tasks
    racers = [reviewer(f"r{n}", "review") for n in range(6)]
    start = threading.Barrier(len(racers))

    def claim(actor: Actor) -> TaskView | EngineError:
        start.wait()
        try:
            return tasks.claim_task(ratio, actor, task.id)
        except Conflict as lost:
            return lost

    with ThreadPoolExecutor(len(racers)) as pool:
        results = list(pool.map(claim, racers))

    [winner] = [r for r in results if isinstance(r, TaskView)]
    assert sum(isinstance(r, Conflict) for r in results) == len(racers) - 1
    holder = next(r for r in racers if r.id == winner.assignee)
    done = tasks.complete_task(ratio, holder, task.id, {"decision": "approve", "comment": "ok"})
    assert (done.status, done.outcome) == ("completed", "approved")
    assert [e.actor for e in done.timeline if e.kind == "task_completed"] == [holder.id]


def test_racing_completes_of_one_held_task_leave_exactly_one(ratio: Engine, applicant: Actor) -> None:
    case = _case_waiting_for_review(ratio, applicant)
    [task] = case.open_tasks
    holder = reviewer("holder", "review")
    tasks.claim_task(ratio, holder, task.id)
    start = threading.Barrier(4)

    def complete(_: int) -> CaseView | EngineError:
        start.wait()
        try:
            return tasks.complete_task(ratio, holder, task.id, {"decision": "approve", "comment": "ok"})
        except (Conflict, NotFound) as lost:
            return lost

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(complete, range(4)))

    assert sum(isinstance(r, CaseView) for r in results) == 1
    final = cases.get_case(ratio, applicant, case.id)
    assert [e.kind for e in final.timeline].count("task_completed") == 1


# start → parallel split → acceptance and review at once → join → approve → end
TWO_AT_ONCE = "\n".join(
    [
        wm.START,
        '<bpmn:parallelGateway id="split"/>',
        '<bpmn:userTask id="accept" name="受理" camunda:candidateGroups="acceptance" '
        'camunda:formKey="review-decision"/>',
        '<bpmn:userTask id="review" name="审核" camunda:candidateGroups="review" '
        'camunda:formKey="review-decision"/>',
        '<bpmn:parallelGateway id="join"/>',
        wm.APPROVE,
        wm.END,
        wm.flow("start", "split"),
        wm.flow("split", "accept"),
        wm.flow("split", "review"),
        wm.flow("accept", "join"),
        wm.flow("review", "join"),
        wm.flow("join", "approve"),
        wm.flow("approve", "end"),
    ]
)


class MeetingClock(FrozenClock):
    """A frozen clock that makes two threads meet at their first reading of the time, which a step
    takes after it has read its case and before it writes: both then hold the same revision."""

    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        self._meeting = threading.Barrier(2, timeout=10)
        self._met = threading.local()
        self.armed = False

    def now(self) -> datetime:
        if self.armed and not getattr(self._met, "done", False):
            self._met.done = True
            self._meeting.wait()
        return super().now()


@pytest.mark.postgres
def test_two_steps_saving_one_case_at_once_one_wins_and_the_other_conflicts(pg_url: str) -> None:
    """Two reviewers decide the two parallel tasks of one case at the same moment: without the
    revision check the second save would overwrite the first decision's state."""
    clock = MeetingClock(START)
    engine = next(fresh_engine(pg_url, clock))
    wm.deploy(engine, "two-at-once", "two_at_once", TWO_AT_ONCE)
    case = cases.start_case(engine, person("zhang.san"), matter="two-at-once", data={})
    deciders = {"accept": reviewer("li.si", "acceptance"), "review": reviewer("wang.wu", "review")}
    for task in case.open_tasks:
        tasks.claim_task(engine, deciders[task.element_id], task.id)
    clock.armed = True

    def decide(task: TaskView) -> CaseView | Conflict:
        try:
            return tasks.complete_task(engine, deciders[task.element_id], task.id, {"decision": "approve"})
        except Conflict as lost:
            return lost

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(decide, case.open_tasks))
    clock.armed = False

    assert sorted(type(r).__name__ for r in results) == ["CaseView", "Conflict"]
    [lost] = [
        task for task, result in zip(case.open_tasks, results, strict=True) if isinstance(result, Conflict)
    ]
    after = cases.get_case(engine, SYSTEM, case.id)
    assert [t.id for t in after.open_tasks] == [
        lost.id
    ]  # the winner's decision stands, the loser's task waits
    again = tasks.complete_task(engine, deciders[lost.element_id], lost.id, {"decision": "approve"})
    assert (again.status, again.outcome) == ("completed", "approved")
    assert [e.kind for e in again.timeline].count("task_completed") == 2
    engine.close()
