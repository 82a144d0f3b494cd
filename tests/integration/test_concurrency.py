"""Two writers to one case: exactly one wins, the other gets a conflict, nothing is lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from engine import Engine
from engine.actors import Actor
from engine.errors import Conflict, EngineError, NotFound
from engine.persistence.models import Case
from engine.services import cases, tasks
from engine.views import CaseView, TaskView
from tests.factories import reviewer


def _case_waiting_for_review(engine: Engine, applicant: Actor) -> CaseView:
    return cases.start_case(engine, applicant, matter="ratio-check", data={"amount": 200, "months": 4})


def test_second_save_from_a_stale_read_is_a_conflict(ratio: Engine, applicant: Actor) -> None:
    case = _case_waiting_for_review(ratio, applicant)
    # Deferred transactions on SQLite, so that both can read before either writes.
    with ratio.unit_of_work(immediate=False) as first, ratio.unit_of_work(immediate=False) as second:
        mine = first.session.get(Case, case.id)
        theirs = second.session.get(Case, case.id)
        assert mine is not None and theirs is not None
        mine.status, theirs.status = "withdrawn", "terminated"

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
