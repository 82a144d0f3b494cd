"""The case API: apply, list, read (API.md)."""

from __future__ import annotations

from flask import Response, jsonify, request

from engine.services import applications, cases, diagrams
from web.auth import api_actor
from web.blueprints.api import blueprint
from web.context import engine
from web.schemas.cases import CaseSchema, CaseSummarySchema
from web.schemas.inputs import CaseQuery, FormData, Retry, StartCase, load


@blueprint.post("/cases")
def start_case() -> tuple[Response, int]:
    actor = api_actor()
    body = load(StartCase, request.get_json(silent=True))
    key = request.headers.get("Idempotency-Key")
    case = cases.start_case(engine(), actor, matter=body["matter"], data=body["data"], idempotency_key=key)
    return jsonify(CaseSchema().dump(case)), 201


@blueprint.get("/cases")
def list_cases() -> Response:
    actor = api_actor()
    query = load(CaseQuery, request.args.to_dict())
    found = cases.list_cases(engine(), actor, **query)
    return jsonify({"cases": CaseSummarySchema(many=True).dump(found), "page": query["page"]})


@blueprint.get("/cases/<case_id>")
def get_case(case_id: str) -> Response:
    return jsonify(CaseSchema().dump(cases.get_case(engine(), api_actor(), case_id)))


@blueprint.post("/cases/<case_id>/withdraw")
def withdraw_case(case_id: str) -> Response:
    return jsonify(CaseSchema().dump(applications.withdraw_case(engine(), api_actor(), case_id)))


@blueprint.post("/cases/<case_id>/supplement")
def supplement_case(case_id: str) -> Response:
    actor = api_actor()
    body = load(FormData, request.get_json(silent=True))
    return jsonify(CaseSchema().dump(applications.supplement_case(engine(), actor, case_id, body["data"])))


@blueprint.post("/cases/<case_id>/retry")
def retry_case(case_id: str) -> Response:
    """Staff run a case on past its incident, optionally correcting its data first."""
    actor = api_actor()
    body = load(Retry, request.get_json(silent=True) or {})
    return jsonify(CaseSchema().dump(cases.retry_case(engine(), actor, case_id, body["data"])))


@blueprint.get("/cases/<case_id>/diagram")
def case_diagram(case_id: str) -> Response:
    """The BPMN of the case's version with each activity marked completed, active or upcoming."""
    view = diagrams.case_diagram(engine(), api_actor(), case_id)
    return jsonify({"xml": view.xml, "states": view.states})
