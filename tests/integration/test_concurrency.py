"""Two writers to one case: exactly one wins, the other gets a conflict, nothing is lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from engine import Engine
from engine.actors import Actor
from engine.errors import Conflict, EngineError, NotFound
from engine.persistence.models import Case
from engine.services import cases
from engine.views import CaseView
from tests.factories import reviewer


def _case_waiting_for_review(engine: Engine, applicant: Actor) -> CaseView:
    return cases.start_case(engine, applicant, matter="ratio-check", data={"amount": 200, "months": 4})


def test_second_save_from_a_stale_read_is_a_conflict(ratio: Engine, applicant: Actor) -> None:
    case = _case_waiting_for_review(ratio, applicant)
    with ratio.unit_of_work() as first, ratio.unit_of_work() as second:
        mine = first.session.get(Case, case.id)
        theirs = second.session.get(Case, case.id)
        assert mine is not None and theirs is not None
        mine.status, theirs.status = "withdrawn", "terminated"

        first.commit()
        with pytest.raises(Conflict):
            second.commit()

    with ratio.unit_of_work() as check:
        stored = check.session.get(Case, case.id)
        assert stored is not None
        assert (stored.status, stored.revision) == ("withdrawn", 2)


def test_racing_decisions_on_one_task_leave_exactly_one(ratio: Engine, applicant: Actor) -> None:
    case = _case_waiting_for_review(ratio, applicant)
    [task] = case.open_tasks
    racers = [reviewer(f"r{n}", "review") for n in range(6)]
    start = threading.Barrier(len(racers))

    def decide(actor: Actor) -> CaseView | EngineError:
        start.wait()
        try:
            return cases.complete_task(ratio, actor, task.id, {"decision": "approve"})
        except (Conflict, NotFound) as lost:
            return lost

    with ThreadPoolExecutor(len(racers)) as pool:
        results = list(pool.map(decide, racers))

    winners = [r for r in results if isinstance(r, CaseView)]
    assert len(winners) == 1
    assert all(isinstance(r, (Conflict, NotFound)) for r in results if r not in winners)
    final = cases.get_case(ratio, applicant, case.id)
    decisions = [e for e in final.timeline if e.kind == "task_completed"]
    assert len(decisions) == 1
    assert decisions[0].actor in {r.id for r in racers}
    assert (final.status, final.outcome) == ("completed", "approved")
