"""A case's diagram with its progress: which activities are done, under way, still to come."""

from __future__ import annotations

from engine import Engine
from engine.actors import Actor
from engine.bpmn import CaseRun, localised_diagram
from engine.casework import audit_trail
from engine.casework.lookup import case_and_version
from engine.casework.permissions import may_read_case
from engine.errors import ErrorCode, NotFound
from engine.views import DiagramView


def case_diagram(engine: Engine, actor: Actor, case_id: str, *, language: str = "zh") -> DiagramView:
    """Visible to whoever may see the case (404 otherwise); its progress tells what happened
    to a person's application, so each read is audited like a read of the case. The labels are
    in `language` where the diagram names its elements in it (engine/bpmn/names.py)."""
    with engine.unit_of_work() as uow:
        case, version = case_and_version(uow.session, case_id)
        if not may_read_case(actor, applicant_id=case.applicant_id, org_code=case.org_code):
            raise NotFound("no such case", code=ErrorCode.CASE_NOT_FOUND)
        parsed = engine.parsed(version)
        states = CaseRun.resume(parsed, case.state).element_states()
        file = next(
            (name for name, text in version.sources.items() if f'id="{version.process_id}"' in text),
            next(iter(version.sources)),
        )
        if not case.status.is_open:  # a closed case has nothing to come
            states = {element: state for element, state in states.items() if state == "completed"}
        audit_trail.record(uow, engine, actor, "case.read_diagram", subject_type="case", subject_id=case.id)
        uow.commit()
        return DiagramView(xml=localised_diagram(version.sources[file], language, file), states=states)
