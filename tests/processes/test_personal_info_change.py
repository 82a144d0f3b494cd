"""personal-info-change (个人信息变更): contact details at once, key fields reviewed twice."""

from __future__ import annotations

from typing import Any

import pytest

from engine.bpmn import evaluate_decision
from engine.errors import ProcessFault
from tests.processes.driver import ROOT, MatterDriver

DMN = ROOT / "processes" / "personal-info-change" / "info-change-route.dmn"


def change(field: str, value: str) -> dict[str, Any]:
    return {
        "id_number": "11010519491231002X",
        "name": "张三",
        "field": field,
        "new_value": value,
        "reason": "更正",
    }


@pytest.fixture
def case(restore_each_step: bool) -> MatterDriver:
    return MatterDriver("personal-info-change", restore_each_step=restore_each_step)


@pytest.mark.parametrize("field", ["mobile", "address", "email"])
def test_contact_details_change_at_once(case: MatterDriver, field: str) -> None:
    case.apply(change(field, "13800000000"))
    assert case.outcome == "approved" and case.waiting_at == []


@pytest.mark.parametrize("field", ["name", "id_number"])
def test_key_fields_need_review_and_approval(case: MatterDriver, field: str) -> None:
    case.apply(change(field, "张叁"))
    assert case.posts == ["review"]

    case.decide("review", "approve")
    assert case.posts == ["approval"]

    case.decide("approval", "approve")
    assert case.outcome == "approved"


@pytest.mark.parametrize("at", ["review", "approval"])
def test_rejection_at_either_post_rejects(case: MatterDriver, at: str) -> None:
    case.apply(change("name", "张叁"))
    if at == "approval":
        case.decide("review", "approve")

    case.decide(at, "reject", "与公安登记信息不符")

    assert case.outcome == "rejected"


@pytest.mark.parametrize(
    ("field", "instant"),
    [("mobile", True), ("address", True), ("email", True), ("name", False), ("id_number", False)],
)
def test_route_table(field: str, instant: bool) -> None:
    assert evaluate_decision(DMN.read_text(), DMN.name, "info_change_route", {"field": field}) == {
        "instant": instant
    }


def test_route_table_has_no_rule_for_unknown_fields() -> None:
    with pytest.raises(ProcessFault):
        evaluate_decision(DMN.read_text(), DMN.name, "info_change_route", {"field": "birth_date"})
