"""Diagrams drawn in SpiffArena run like Camunda ones: lanes route, spiff properties name forms."""

from __future__ import annotations

from engine import Engine
from engine.actors import SYSTEM, Actor
from engine.bundles import read_bundle_path
from engine.services import cases, catalogue
from tests.conftest import FIXTURES
from tests.factories import decide, reviewer


def test_spiffarena_diagram_routes_by_lane_and_names_its_form(engine: Engine, applicant: Actor) -> None:
    bundle = read_bundle_path(FIXTURES / "bundles" / "spiff-lanes")
    catalogue.deploy_bundle(engine, SYSTEM, bundle, publish=True)

    case = cases.start_case(engine, applicant, matter="spiff-lanes", data={"amount": 50})
    [task] = case.open_tasks
    assert (task.element_id, task.candidate_groups, task.form_key) == (
        "check",
        ("review",),
        "review-decision",
    )
    assert case.data["band"] == "low"

    done = decide(engine, reviewer("r", "review"), task.id, {"decision": "approve"})
    assert (done.status, done.outcome) == ("completed", "approved")
