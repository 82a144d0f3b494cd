"""catchup-contribution (补缴): every path, and its decision table row by row."""

from __future__ import annotations

from typing import Any

import pytest

from engine.bpmn import evaluate_decision
from engine.errors import InputInvalid
from tests.processes.driver import ROOT, MatterDriver

DMN = ROOT / "processes" / "catchup-contribution" / "catchup-instant.dmn"


def application(from_month: str, to_month: str, base: float) -> dict[str, Any]:
    return {
        "id_number": "11010519491231002X",
        "name": "张三",
        "from_month": from_month,
        "to_month": to_month,
        "monthly_base": base,
        "reason": "job_change",
    }


@pytest.fixture
def case(restore_each_step: bool) -> MatterDriver:
    return MatterDriver("catchup-contribution", restore_each_step=restore_each_step)


def test_three_months_below_threshold_is_approved_instantly(case: MatterDriver) -> None:
    case.apply(application("2026-08", "2026-10", 5000))

    assert case.outcome == "approved"
    assert case.run.data["gap_months"] == 3 and case.run.data["amount"] == 3600.0
    assert case.waiting_at == []


@pytest.mark.parametrize(
    ("from_month", "to_month"),
    [
        ("2026-09", "2026-11"),
        ("2030-01", "2030-03"),
        ("1990-01", "1990-02"),
        ("1994-12", "1995-02"),
        ("2026-10", "2026-08"),
    ],
    ids=["this-month", "future", "before-1995", "partly-before-1995", "ends-before-it-starts"],
)
def test_a_period_outside_the_rules_is_refused_at_once(
    case: MatterDriver, from_month: str, to_month: str
) -> None:
    """Only months already past can be caught up, back to January 1995 at the earliest."""
    case.apply(application(from_month, to_month, 5000), applied_on="2026-11-23")

    assert case.outcome == "rejected" and case.waiting_at == []
    assert case.run.data["period_valid"] is False and "1995" in case.run.data["reason"]


def test_the_month_before_the_application_and_january_1995_may_be_caught_up(case: MatterDriver) -> None:
    assert case.apply(application("2026-10", "2026-10", 5000), applied_on="2026-11-01").outcome == "approved"
    again = MatterDriver("catchup-contribution", restore_each_step=case.restore_each_step)
    again.apply(application("1995-01", "1995-03", 1000), applied_on="2026-11-23")
    assert again.outcome == "approved"


@pytest.mark.parametrize(
    ("from_month", "to_month", "base"),
    [("2026-06", "2026-10", 5000), ("2026-09", "2026-10", 50000), ("2025-11", "2026-02", 3000)],
    ids=["four-months", "amount-over-threshold", "across-new-year"],
)
def test_over_the_rules_goes_to_acceptance(
    case: MatterDriver, from_month: str, to_month: str, base: float
) -> None:
    case.apply(application(from_month, to_month, base))

    assert case.outcome is None
    assert (case.waiting_at, case.posts) == (["acceptance"], ["acceptance"])


def test_acceptance_then_review_approve(case: MatterDriver) -> None:
    case.apply(application("2026-01", "2026-10", 5000)).decide("acceptance", "approve")
    assert (case.waiting_at, case.posts) == (["review"], ["review"])

    case.decide("review", "approve", "材料齐全")

    assert case.outcome == "approved"


@pytest.mark.parametrize("at", ["acceptance", "review"])
def test_rejection_at_either_post_rejects(case: MatterDriver, at: str) -> None:
    case.apply(application("2026-01", "2026-10", 5000))
    if at == "review":
        case.decide("acceptance", "approve")

    case.decide(at, "reject", "不符合补缴条件")

    assert case.outcome == "rejected"


@pytest.mark.parametrize(
    "bad",
    [{"from_month": "2026-13"}, {"monthly_base": 0}, {"id_number": "123"}, {"reason": "bored"}],
)
def test_the_start_form_refuses_bad_applications(case: MatterDriver, bad: dict[str, Any]) -> None:
    with pytest.raises(InputInvalid) as caught:
        case.apply({**application("2026-08", "2026-10", 5000), **bad})
    assert set(caught.value.fields) == set(bad)


@pytest.mark.parametrize(
    ("gap_months", "amount", "instant"),
    [(1, 0, True), (3, 19999.99, True), (3, 20000, False), (4, 100, False), (12, 30000, False)],
)
def test_instant_decision_table(gap_months: int, amount: float, instant: bool) -> None:
    result = evaluate_decision(
        DMN.read_text(), DMN.name, "catchup_instant", {"gap_months": gap_months, "amount": amount}
    )
    assert result == {"instant": instant}
