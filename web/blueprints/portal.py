"""The applicants' pages: catalogue, service guides, applying, my cases, the case page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from engine.actors import Actor
from engine.errors import InputInvalid, Reason, Unauthenticated
from engine.forms import localise_form
from engine.identity import mask_identities
from engine.services import applications, cases, catalogue, diagrams, materials
from engine.views import CaseView, MatterSummary
from engine.vocabulary import CaseStatus, Decision, Outcome, TimelineKind
from web.answers import form_answers
from web.auth import page_actor
from web.context import engine
from web.error_texts import WebCode
from web.i18n import bilingual, current_language
from web.labels import process_texts
from web.paging import Pager

blueprint = Blueprint("portal", __name__)
WITHDRAWAL_UNCONFIRMED = Reason(
    WebCode.WITHDRAWAL_TICK, "tick the box to confirm that the application is to be withdrawn"
)


@blueprint.get("/")
def index() -> str:
    query = request.args.get("q", "").strip().lower()
    matters = [m for m in catalogue.list_matters(engine()) if _matches(query, m)]
    grouped: dict[str, list[Any]] = {}
    for matter in matters:
        grouped.setdefault(bilingual(matter.category), []).append(matter)
    return render_template("portal/index.html", grouped=grouped, query=query, count=len(matters))


def _matches(query: str, matter: MatterSummary) -> bool:
    """Whether the (lower-case) query is in the matter's code, or its name or its category in
    either language: people look for "补缴" or "enrolment" as often as for a matter's exact name."""
    texts = [matter.code, *matter.name.values(), *matter.category.values()]
    return not query or any(query in text.lower() for text in texts)


@blueprint.get("/matters/<code>")
def guide(code: str) -> str:
    return render_template("portal/guide.html", matter=catalogue.get_matter(engine(), code))


@blueprint.route("/matters/<code>/apply", methods=["GET", "POST"])
def apply(code: str) -> str | WerkzeugResponse | tuple[Response, int]:
    actor = page_actor()
    if not actor.roles and request.method == "GET":
        return redirect(url_for("session_pages.login", next=request.path))
    if not actor.roles:  # the session ended while the form was filled: the page says so, keeping it
        raise Unauthenticated("sign in first", code=WebCode.SIGN_IN_FIRST)
    matter = catalogue.get_matter(engine(), code)
    if request.method == "GET":
        form = localise_form(matter.start_form, current_language())
        return render_template("portal/apply.html", matter=matter, form=form)
    payload = request.get_json(silent=True) or {}
    case = cases.start_case(
        engine(),
        actor,
        matter=code,
        data=payload.get("data") or {},
        idempotency_key=request.headers.get("Idempotency-Key"),
    )
    answer = {"redirect": url_for("portal.case_page", case_id=case.id)}
    if case.status.is_open:  # decided at once, it needs no materials any more
        answer["materials"] = url_for("portal.upload", case_id=case.id)  # the page sends its files there
    return jsonify(answer), 201


@blueprint.get("/cases")
def my_cases() -> str | WerkzeugResponse:
    actor = page_actor()
    if not actor.roles:
        return redirect(url_for("session_pages.login", next=request.path))
    asked = request.args.get("status")
    status = CaseStatus(asked) if asked in tuple(CaseStatus) else None
    total = cases.count_cases(engine(), actor, status=status)
    pager = Pager.from_request("page", total, cases.PAGE_SIZE)
    return render_template(
        "portal/cases.html",
        cases=cases.list_cases(engine(), actor, status=status, page=pager.number),
        total=total,
        pager=pager,
        status=status,
        statuses=tuple(CaseStatus),
    )


@blueprint.get("/cases/<case_id>")
def case_page(case_id: str) -> str:
    actor = _signed_in()
    case = cases.get_case(engine(), actor, case_id)
    matter = catalogue.get_matter(engine(), case.matter)
    form = (
        localise_form(matter.start_form, current_language())
        if case.status == CaseStatus.AWAITING_APPLICANT
        else None
    )
    return render_template(
        "portal/case.html",
        case=case,
        matter=matter,
        supplement_form=form,
        owner=case.applicant_id == actor.id,
        materials=materials.list_materials(engine(), actor, case_id),
        materials_refused=request.args.get("materials") == "refused",
    )


@blueprint.get("/cases/<case_id>/diagram.json")
def case_diagram(case_id: str) -> Response:
    view = diagrams.case_diagram(engine(), _signed_in(), case_id, language=current_language())
    return jsonify({"xml": view.xml, "states": view.states})


@blueprint.post("/cases/<case_id>/supplement")
def supplement(case_id: str) -> Response:
    payload = request.get_json(silent=True) or {}
    applications.supplement_case(engine(), _signed_in(), case_id, payload.get("data") or {})
    return jsonify({"redirect": url_for("portal.case_page", case_id=case_id)})


@blueprint.post("/cases/<case_id>/withdraw")
def withdraw(case_id: str) -> WerkzeugResponse:
    """Withdraw only with the box ticked that says it cannot be undone: one stray click must not
    end an application (the box is `required` in the page too, which needs no script)."""
    actor = _signed_in()
    if request.form.get("confirm") != "yes":
        raise InputInvalid(
            "confirm the withdrawal",
            {"confirm": [WITHDRAWAL_UNCONFIRMED]},
            code=WebCode.WITHDRAWAL_UNCONFIRMED,
        )
    applications.withdraw_case(engine(), actor, case_id)
    return redirect(url_for("portal.case_page", case_id=case_id))


@blueprint.post("/cases/<case_id>/materials")
def upload(case_id: str) -> WerkzeugResponse:
    """Add files (multipart field `file`, repeatable) to an open case of the signed-in owner."""
    actor = _signed_in()
    files = request.files.getlist("file")
    if not files:
        raise InputInvalid(
            "choose a file",
            {"file": [Reason(WebCode.FILE_REQUIRED, "choose at least one file")]},
            code=WebCode.FILE_MISSING,
        )
    for upload in files:
        materials.upload_material(
            engine(), actor, case_id, filename=upload.filename or "", data=upload.read()
        )
    return redirect(url_for("portal.case_page", case_id=case_id))


@blueprint.get("/cases/<case_id>/materials/<material_id>")
def material(case_id: str, material_id: str) -> Response:
    """A file, always as a download of its checked type (never rendered inline from our origin)."""
    view, path = materials.open_material(engine(), _signed_in(), case_id, material_id)
    response = send_file(path, mimetype=view.content_type, as_attachment=True, download_name=view.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blueprint.get("/cases/<case_id>/result")
def result_document(case_id: str) -> Response:
    """The decision notice, for keeping or printing (only once the case is decided)."""
    case = cases.get_case(engine(), _signed_in(), case_id)
    if case.status != CaseStatus.COMPLETED:
        abort(404)
    matter = catalogue.get_matter(engine(), case.matter)
    start_form = localise_form(process_texts(case).start_form, current_language())
    body = render_template(
        "portal/result.html",
        case=case,
        matter=matter,
        particulars=form_answers(start_form, mask_identities(case.data)),
        reason=_reason_refused(case),
    )
    response = Response(body, mimetype="text/html")
    response.headers["Content-Disposition"] = f'attachment; filename="decision-{case.number}.html"'
    # a document to keep, styled by its own <style> so that it reads the same offline; no script
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def _reason_refused(case: CaseView) -> str:
    """What the reviewer who refused the application wrote, for the notice to give as its reason."""
    if case.outcome != Outcome.REJECTED:
        return ""
    refusals = (
        e for e in reversed(case.timeline) if e.kind == TimelineKind.DECIDED and e.decision == Decision.REJECT
    )
    return next((entry.comment for entry in refusals), "")


def _signed_in() -> Actor:
    actor = page_actor()
    if not actor.roles:
        raise Unauthenticated("sign in first", code=WebCode.SIGN_IN_FIRST)
    return actor
