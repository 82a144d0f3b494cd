"""The case API: apply, list, read, withdraw, supplement, retry, the diagram (API.md)."""

from __future__ import annotations

from typing import Any

from engine.services import applications, cases, diagrams
from engine.views import CaseView, DiagramView
from web.auth import api_actor
from web.blueprints.api.boundary import ApiBlueprint
from web.context import engine
from web.schemas.cases import CaseListSchema, CaseSchema, DiagramSchema
from web.schemas.inputs import CaseQuery, FormData, IdempotencyHeader, Retry, StartCase

blueprint = ApiBlueprint("cases", "Applying for matters; one's cases and what to do with them")


@blueprint.post("/cases")
@blueprint.arguments(StartCase)
@blueprint.arguments(IdempotencyHeader, location="headers")
@blueprint.response(201, CaseSchema, description="the case, decided or waiting")
@blueprint.refuses(403, 404, 409, 422)
def start_case(body: dict[str, Any], headers: dict[str, Any]) -> CaseView:
    """Apply for a matter."""
    actor = api_actor()
    key = headers.get("key")
    return cases.start_case(engine(), actor, matter=body["matter"], data=body["data"], idempotency_key=key)


@blueprint.get("/cases")
@blueprint.arguments(CaseQuery, location="query")
@blueprint.response(200, CaseListSchema)
@blueprint.refuses(403, 422)
def list_cases(query: dict[str, Any]) -> dict[str, Any]:
    """Cases visible to the caller, newest first."""
    return {"cases": cases.list_cases(engine(), api_actor(), **query), "page": query["page"]}


@blueprint.get("/cases/<case_id>")
@blueprint.response(200, CaseSchema)
@blueprint.refuses(404)
def get_case(case_id: str) -> CaseView:
    """A case with its open tasks, timeline and incidents."""
    return cases.get_case(engine(), api_actor(), case_id)


@blueprint.post("/cases/<case_id>/withdraw")
@blueprint.response(200, CaseSchema)
@blueprint.refuses(403, 404, 409)
def withdraw_case(case_id: str) -> CaseView:
    """Withdraw (the owner; before any decision)."""
    return applications.withdraw_case(engine(), api_actor(), case_id)


@blueprint.post("/cases/<case_id>/supplement")
@blueprint.arguments(FormData)
@blueprint.response(200, CaseSchema)
@blueprint.refuses(403, 404, 409, 422)
def supplement_case(body: dict[str, Any], case_id: str) -> CaseView:
    """Answer a return for supplement (the owner)."""
    return applications.supplement_case(engine(), api_actor(), case_id, body["data"])


@blueprint.post("/cases/<case_id>/retry")
@blueprint.arguments(Retry, required=False)
@blueprint.response(200, CaseSchema)
@blueprint.refuses(403, 404, 409, 422)
def retry_case(body: dict[str, Any], case_id: str) -> CaseView:
    """Staff run a case on past its incident, optionally correcting its data first."""
    return cases.retry_case(engine(), api_actor(), case_id, body["data"])


@blueprint.get("/cases/<case_id>/diagram")
@blueprint.response(200, DiagramSchema)
@blueprint.refuses(404)
def case_diagram(case_id: str) -> DiagramView:
    """The BPMN of the case's version with each activity marked completed, active or upcoming."""
    return diagrams.case_diagram(engine(), api_actor(), case_id)
