"""The two real matters end to end through the engine services, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine import Engine
from engine.actors import SYSTEM, Actor, Role
from engine.errors import Forbidden, InputInvalid, NotFound
from engine.persistence.models import Case
from engine.services import cases, catalogue
from tests.conftest import ROOT
from tests.factories import decide, person, reviewer

INSTANT = {
    "id_number": "11010519491231002X",
    "name": "张三",
    "from_month": "2026-08",
    "to_month": "2026-10",
    "monthly_base": 5000,
    "reason": "job_change",
}
LONG_GAP = {**INSTANT, "from_month": "2026-01"}


def test_instant_path_completes_approved_in_one_step(loaded: Engine, applicant: Actor) -> None:
    case = cases.start_case(loaded, applicant, matter="catchup-contribution", data=INSTANT)

    assert (case.status, case.outcome, case.version) == ("completed", "approved", 1)
    assert case.open_tasks == ()
    assert [(e.kind, e.activity) for e in case.timeline] == [
        ("started", None),
        ("automatic", "decide_instant"),
        ("completed", None),
    ]
    assert case.number.startswith("20261123") and len(case.number) == 20
    assert cases.get_case(loaded, applicant, case.id) == case


def test_review_path_through_acceptance_and_review(
    loaded: Engine, applicant: Actor, acceptor: Actor, checker: Actor
) -> None:
    case = cases.start_case(loaded, applicant, matter="catchup-contribution", data=LONG_GAP)
    [acceptance] = case.open_tasks
    assert (case.status, acceptance.element_id, acceptance.candidate_groups) == (
        "in_progress",
        "acceptance",
        ("acceptance",),
    )
    assert acceptance.due_at is not None and acceptance.due_at > case.created_at

    case = decide(loaded, acceptor, acceptance.id, {"decision": "approve", "comment": "受理"})
    [review] = case.open_tasks
    assert review.element_id == "review"

    case = decide(loaded, checker, review.id, {"decision": "approve", "comment": "同意补缴"})

    assert (case.status, case.outcome) == ("completed", "approved")
    steps = [
        (e.activity, e.actor, e.decision, e.comment) for e in case.timeline if e.kind == "task_completed"
    ]
    assert steps == [("acceptance", "li.si", "approve", "受理"), ("review", "wang.wu", "approve", "同意补缴")]


def test_key_field_change_goes_through_review_and_approval(
    loaded: Engine, applicant: Actor, checker: Actor
) -> None:
    data = {
        "id_number": "11010519491231002X",
        "name": "张三",
        "field": "name",
        "new_value": "张叁",
        "reason": "更名",
    }
    case = cases.start_case(loaded, applicant, matter="personal-info-change", data=data)
    case = decide(loaded, checker, case.open_tasks[0].id, {"decision": "approve"})
    [approval] = case.open_tasks
    approver = reviewer("zhao.liu", "approval")

    case = decide(loaded, approver, approval.id, {"decision": "reject", "comment": "证明不足"})

    assert (case.status, case.outcome) == ("completed", "rejected")


def test_invalid_application_is_refused_and_writes_nothing(loaded: Engine, applicant: Actor) -> None:
    with pytest.raises(InputInvalid) as caught:
        cases.start_case(
            loaded, applicant, matter="catchup-contribution", data={**INSTANT, "monthly_base": "lots"}
        )
    assert "monthly_base" in caught.value.fields
    with loaded.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Case)) == 0


def test_invalid_decision_is_refused_and_the_task_stays_open(
    loaded: Engine, applicant: Actor, acceptor: Actor
) -> None:
    case = cases.start_case(loaded, applicant, matter="catchup-contribution", data=LONG_GAP)
    with pytest.raises(InputInvalid):
        decide(loaded, acceptor, case.open_tasks[0].id, {"decision": "perhaps"})
    after = cases.get_case(loaded, applicant, case.id)
    assert [(t.id, t.element_id) for t in after.open_tasks] == [(t.id, t.element_id) for t in case.open_tasks]
    assert after.timeline == case.timeline


def test_cases_are_visible_to_owner_region_reviewers_and_auditors_only(
    loaded: Engine, applicant: Actor
) -> None:
    case = cases.start_case(loaded, applicant, matter="catchup-contribution", data=LONG_GAP)
    auditor = Actor(id="audit", roles=frozenset({Role.AUDITOR}), org_code="000000")

    for allowed in (
        applicant,
        auditor,
        reviewer("city", "review", org="110100"),
        reviewer("d", "x", org="110105"),
    ):
        assert cases.get_case(loaded, allowed, case.id).id == case.id
    for stranger in (person("li.lei"), reviewer("elsewhere", "acceptance", org="120101")):
        with pytest.raises(NotFound):
            cases.get_case(loaded, stranger, case.id)


def test_only_the_right_post_in_the_right_region_may_decide(loaded: Engine, applicant: Actor) -> None:
    case = cases.start_case(loaded, applicant, matter="catchup-contribution", data=LONG_GAP)
    task_id = case.open_tasks[0].id

    for outsider in (
        reviewer("wrong-post", "review"),
        reviewer("wrong-region", "acceptance", org="120101"),
        applicant,
    ):
        with pytest.raises(NotFound):
            decide(loaded, outsider, task_id, {"decision": "approve"})


def test_nobody_decides_their_own_application(loaded: Engine) -> None:
    both = Actor(
        id="dual",
        roles=frozenset({Role.APPLICANT, Role.REVIEWER}),
        org_code="110105",
        posts=frozenset({"acceptance"}),
    )
    case = cases.start_case(loaded, both, matter="catchup-contribution", data=LONG_GAP)
    with pytest.raises(Forbidden):
        decide(loaded, both, case.open_tasks[0].id, {"decision": "approve"})


def test_units_cannot_apply_for_an_individual_matter(loaded: Engine) -> None:
    unit = Actor(id="acme", roles=frozenset({Role.UNIT}), org_code="110105")
    with pytest.raises(Forbidden):
        cases.start_case(loaded, unit, matter="catchup-contribution", data=INSTANT)


def _copy_catalogue(target: Path) -> Path:
    for folder in ("processes", "forms"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


def test_new_version_leaves_running_cases_on_theirs(
    loaded: Engine, applicant: Actor, acceptor: Actor, checker: Actor, tmp_path: Path
) -> None:
    running = cases.start_case(loaded, applicant, matter="catchup-contribution", data=LONG_GAP)
    root = _copy_catalogue(tmp_path)
    dmn = root / "processes" / "catchup-contribution" / "catchup-instant.dmn"
    stricter = dmn.read_text(encoding="utf-8").replace("20000", "2000")
    assert stricter != dmn.read_text(encoding="utf-8")
    dmn.write_text(stricter, encoding="utf-8")

    changes = {c.code: (c.action, c.version) for c in catalogue.sync_catalogue(loaded, SYSTEM, root)}

    assert changes == {"catchup-contribution": ("updated", 2), "personal-info-change": ("unchanged", 1)}
    newer = cases.start_case(loaded, applicant, matter="catchup-contribution", data=INSTANT)
    assert (newer.version, newer.status, newer.open_tasks[0].element_id) == (2, "in_progress", "acceptance")
    case = decide(loaded, acceptor, running.open_tasks[0].id, {"decision": "approve"})
    case = decide(loaded, checker, case.open_tasks[0].id, {"decision": "approve"})
    assert (case.version, case.outcome) == (1, "approved")


def test_sync_without_changes_creates_nothing(loaded: Engine) -> None:
    changes = catalogue.sync_catalogue(loaded, SYSTEM, ROOT)
    assert {(c.action, c.version) for c in changes} == {("unchanged", 1)}


def test_only_policy_staff_deploy(loaded: Engine, applicant: Actor) -> None:
    with pytest.raises(Forbidden):
        catalogue.sync_catalogue(loaded, applicant, ROOT)


def test_counting_cases_follows_the_same_visibility_as_listing(loaded: Engine, applicant: Actor) -> None:
    for data in (INSTANT, LONG_GAP, LONG_GAP):
        cases.start_case(loaded, applicant, matter="catchup-contribution", data=data)
    counted = {
        "owner": cases.count_cases(loaded, applicant),
        "owner, running": cases.count_cases(loaded, applicant, status="in_progress"),
        "another applicant": cases.count_cases(loaded, person("li.na")),
        "district reviewer": cases.count_cases(loaded, reviewer("li.si", "acceptance")),
        "other district": cases.count_cases(loaded, reviewer("zhou", "acceptance", org="110108")),
        "other matter": cases.count_cases(loaded, SYSTEM, matter="personal-info-change"),
    }

    assert counted == {
        "owner": 3,
        "owner, running": 2,
        "another applicant": 0,
        "district reviewer": 3,
        "other district": 0,
        "other matter": 0,
    }
    with pytest.raises(Forbidden):
        cases.count_cases(loaded, Actor(id="p", roles=frozenset({Role.POLICY}), org_code="110000"))
