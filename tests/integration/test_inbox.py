"""The inbox: posts (single and shared), region, order by due date, filters and pages."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from engine import Engine
from engine.actors import SYSTEM, Actor
from engine.bundles import read_bundle_path
from engine.clock import FrozenClock
from engine.errors import Forbidden
from engine.services import cases, catalogue, inbox, tasks
from engine.views import TaskCount
from tests.conftest import FIXTURES
from tests.factories import reviewer


def _shared_review(engine: Engine, tmp_path: Path) -> None:
    """ratio-check with its review offered to two posts at once."""
    folder = shutil.copytree(FIXTURES / "bundles" / "ratio-check", tmp_path / "shared")
    diagram = folder / "ratio-check.bpmn"
    diagram.write_text(
        diagram.read_text(encoding="utf-8").replace(
            'camunda:candidateGroups="review"', 'camunda:candidateGroups="acceptance,review"'
        ),
        encoding="utf-8",
    )
    catalogue.deploy_bundle(engine, SYSTEM, read_bundle_path(folder), publish=True)


def test_shared_tasks_reach_every_named_post_once(engine: Engine, applicant: Actor, tmp_path: Path) -> None:
    _shared_review(engine, tmp_path)
    case = cases.start_case(engine, applicant, matter="ratio-check", data={"amount": 10, "months": 1})

    for post in ("acceptance", "review"):
        assert [t.id for t in inbox.list_tasks(engine, reviewer("r", post))] == [case.open_tasks[0].id]
    both = reviewer("both", "acceptance", "review")
    assert len(inbox.list_tasks(engine, both)) == 1
    assert inbox.count_tasks(engine, both).total == 1
    assert inbox.list_tasks(engine, reviewer("x", "approval")) == []


def test_overdue_first_then_filters_and_pages(
    loaded: Engine, ratio: Engine, applicant: Actor, clock: FrozenClock
) -> None:
    long_gap = {
        "id_number": "11010519491231002X",
        "name": "张三",
        "from_month": "2026-01",
        "to_month": "2026-10",
        "monthly_base": 5000,
        "reason": "job_change",
    }
    catchups = []
    for _ in range(25):
        catchups.append(cases.start_case(loaded, applicant, matter="catchup-contribution", data=long_gap))
        clock.advance(timedelta(hours=1))
    clock.advance(timedelta(days=40))  # every task is now overdue, the earliest the most
    acceptor = reviewer("li.si", "acceptance")

    first, second = inbox.list_tasks(loaded, acceptor), inbox.list_tasks(loaded, acceptor, page=2)

    expected = [c.open_tasks[0].id for c in catchups]
    assert [t.id for t in first] + [t.id for t in second] == expected
    assert [t.due_at for t in first] == sorted(t.due_at for t in first if t.due_at)
    cut = catchups[4].open_tasks[0].due_at
    assert cut is not None
    assert len(inbox.list_tasks(loaded, acceptor, due_before=cut)) == 4
    assert inbox.list_tasks(loaded, acceptor, matter="ratio-check") == []
    assert len(inbox.list_tasks(loaded, acceptor, matter="catchup-contribution")) == 20
    assert inbox.count_tasks(loaded, acceptor) == TaskCount(total=25, overdue=25)
    assert inbox.count_tasks(loaded, acceptor, due_before=cut) == TaskCount(total=4, overdue=4)
    assert inbox.count_tasks(loaded, acceptor, matter="ratio-check") == TaskCount(total=0, overdue=0)

    tasks.claim_task(loaded, acceptor, expected[0])
    assert [t.id for t in inbox.list_tasks(loaded, acceptor, scope="mine")] == [expected[0]]
    assert inbox.count_tasks(loaded, acceptor, scope="mine") == TaskCount(total=1, overdue=1)
    assert expected[0] not in [t.id for t in inbox.list_tasks(loaded, acceptor)]


def test_a_reviewer_narrows_to_a_part_of_their_region_only(
    loaded: Engine, applicant: Actor, clock: FrozenClock
) -> None:
    """A city reviewer may look at one district; nobody may look outside their own region."""
    long_gap = {"id_number": "11010519491231002X", "name": "张三", "from_month": "2026-01",
                "to_month": "2026-10", "monthly_base": 5000, "reason": "job_change"}  # fmt: skip
    case = cases.start_case(loaded, applicant, matter="catchup-contribution", data=long_gap)
    city = reviewer("city", "acceptance", org="110000")

    [found] = inbox.list_tasks(loaded, city, region="110105")
    assert (found.id, found.case_number, found.matter) == (case.open_tasks[0].id, case.number, case.matter)
    assert inbox.list_tasks(loaded, city, region="110108") == []
    assert inbox.count_tasks(loaded, city, region="110108").total == 0
    for who, region in ((city, "120000"), (reviewer("district", "acceptance"), "110000")):
        with pytest.raises(Forbidden):
            inbox.list_tasks(loaded, who, region=region)
        with pytest.raises(Forbidden):
            inbox.count_tasks(loaded, who, region=region)
