"""A failing step rolls back to just after the person's input, records an incident, and retries."""

from __future__ import annotations

import pytest

from engine import Engine
from engine.actors import SYSTEM, Actor, Role
from engine.errors import Conflict, InputInvalid, NotFound
from engine.services import cases
from tests.factories import decide, reviewer


def test_script_error_keeps_the_application_and_records_an_incident(ratio: Engine, applicant: Actor) -> None:
    case = cases.start_case(ratio, applicant, matter="ratio-check", data={"amount": 300, "months": 0})

    assert case.status == "in_progress"
    assert case.open_tasks == ()
    [incident] = case.open_incidents
    assert incident.element_id == "compute"
    assert incident.file == "ratio-check.bpmn"
    assert "division by zero" in incident.message
    assert case.data == {"amount": 300, "months": 0, "applied_on": "2026-11-23"}
    assert [e.kind for e in case.timeline] == ["started", "incident"]


def test_retry_with_corrected_data_runs_on_and_resolves_the_incident(ratio: Engine, applicant: Actor) -> None:
    case = cases.start_case(ratio, applicant, matter="ratio-check", data={"amount": 300, "months": 0})

    retried = cases.retry_case(ratio, SYSTEM, case.id, {"months": 3})

    assert retried.open_incidents == ()
    assert [t.element_id for t in retried.open_tasks] == ["review"]
    assert retried.data["ratio"] == 100 and retried.data["band"] == "middle"
    assert [e.kind for e in retried.timeline][-3:] == ["retried", "automatic", "task_opened"]


def test_decision_without_matching_rule_is_an_incident_on_the_decision(
    ratio: Engine, applicant: Actor
) -> None:
    case = cases.start_case(ratio, applicant, matter="ratio-check", data={"amount": 5000, "months": 1})

    [incident] = case.open_incidents
    assert incident.element_id == "classify"
    assert "ratio_band" in incident.message and "no rule" in incident.message
    # the script before it was rolled back too: the case stands where the application left it
    assert "ratio" not in case.data


def test_retry_that_fails_again_opens_another_incident(ratio: Engine, applicant: Actor) -> None:
    case = cases.start_case(ratio, applicant, matter="ratio-check", data={"amount": 5000, "months": 1})

    again = cases.retry_case(ratio, SYSTEM, case.id)

    assert [i.element_id for i in again.open_incidents] == ["classify", "classify"]
    assert [e.kind for e in again.timeline] == ["started", "incident", "retried", "incident"]


def test_a_failure_after_a_decision_keeps_the_decision(ratio: Engine, applicant: Actor) -> None:
    case = cases.start_case(ratio, applicant, matter="ratio-check", data={"amount": 200, "months": 4})
    [task] = case.open_tasks
    checker = reviewer("r1", "review")

    failed = decide(ratio, checker, task.id, {"decision": "approve"})

    assert failed.open_tasks == () and failed.status == "in_progress"
    [incident] = failed.open_incidents
    assert incident.element_id == "conclude" and "comment" in incident.message
    completed = [e for e in failed.timeline if e.kind == "task_completed"]
    assert [(e.actor, e.decision, e.comment) for e in completed] == [("r1", "approve", "")]

    fixed = cases.retry_case(ratio, SYSTEM, case.id, {"comment": "补记"})

    assert (fixed.status, fixed.outcome) == ("completed", "approved")
    assert fixed.open_incidents == ()


def test_only_operators_may_retry_and_only_with_an_open_incident(ratio: Engine, applicant: Actor) -> None:
    case = cases.start_case(ratio, applicant, matter="ratio-check", data={"amount": 200, "months": 4})
    with pytest.raises(NotFound):  # docs/security.md: for anyone else the case does not exist
        cases.retry_case(ratio, applicant, case.id)
    with pytest.raises(Conflict):
        cases.retry_case(ratio, SYSTEM, case.id)


def test_only_administrators_of_the_cases_region_may_retry(ratio: Engine, applicant: Actor) -> None:
    case = cases.start_case(ratio, applicant, matter="ratio-check", data={"amount": 300, "months": 0})
    other_district = Actor(id="admin-110108", roles=frozenset({Role.ADMIN}), org_code="110108")
    city = Actor(id="admin-110100", roles=frozenset({Role.ADMIN}), org_code="110100")

    with pytest.raises(NotFound):
        cases.retry_case(ratio, other_district, case.id, {"months": 3})
    retried = cases.retry_case(ratio, city, case.id, {"months": 3})

    assert retried.open_incidents == () and retried.data["months"] == 3


def test_corrected_data_meets_the_rules_of_the_forms(ratio: Engine, applicant: Actor) -> None:
    case = cases.start_case(ratio, applicant, matter="ratio-check", data={"amount": 300, "months": 0})

    with pytest.raises(InputInvalid) as caught:
        cases.retry_case(ratio, SYSTEM, case.id, {"months": "three", "__class__": 1})

    assert set(caught.value.fields) == {"months", "__class__"}
    [still_open] = cases.get_case(ratio, SYSTEM, case.id).open_incidents
    assert still_open.element_id == "compute"
