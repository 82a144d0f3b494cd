"""Cases: apply for a matter, decide its human tasks, read it, retry a failed step."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from engine import Engine
from engine.actors import Actor, Role
from engine.bpmn import CaseRun
from engine.casework import audit_trail
from engine.casework.beginning import begin_case
from engine.casework.case_views import current_view, summary_view
from engine.casework.happenings import Happening
from engine.casework.lookup import case_and_version, current_version, identity_on_record
from engine.casework.permissions import may_operate_on, may_read_case, region_prefix
from engine.casework.progress import advance_case
from engine.errors import Conflict, ErrorCode, Forbidden, InputInvalid, NotFound, Reason
from engine.persistence.models import Case, IdempotencyKey, Matter, ProcessVersion
from engine.views import CaseView
from engine.vocabulary import CaseStatus, TimelineKind

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,128}$")


def start_case(
    engine: Engine,
    actor: Actor,
    *,
    matter: str,
    data: Mapping[str, Any],
    idempotency_key: str | None = None,
) -> CaseView:
    """Apply for a published matter with its start form's data; decided at once where the
    rules allow, otherwise waiting at its first human task.

    With an idempotency key, a retry (a lost response, a double click) returns the case the
    first attempt created instead of a second one, also when both attempts race. The same key
    with a different application is refused: answering it with the first case would tell the
    client that an application was made which never was.
    """
    if idempotency_key is None:
        return _start(engine, actor, matter, data, None)
    if not IDEMPOTENCY_KEY.match(idempotency_key):
        raise InputInvalid(
            "invalid Idempotency-Key",
            {"Idempotency-Key": [Reason(ErrorCode.KEY_FORMAT, "1-128 visible ASCII characters")]},
            code=ErrorCode.IDEMPOTENCY_KEY_INVALID,
        )
    key = _RequestKey(idempotency_key, _fingerprint(matter, data))
    earlier = _case_for_key(engine, actor, key)
    if earlier is not None:
        return earlier
    try:
        return _start(engine, actor, matter, data, key)
    except Conflict:
        earlier = _case_for_key(engine, actor, key)
        if earlier is None:
            raise
        return earlier


@dataclass(frozen=True)
class _RequestKey:
    """A client's idempotency key and the fingerprint of the application sent with it."""

    key: str
    request_sha256: str


def _fingerprint(matter: str, data: Mapping[str, Any]) -> str:
    """The same application gives the same fingerprint whatever the order of its fields."""
    text = json.dumps({"matter": matter, "data": data}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _case_for_key(engine: Engine, actor: Actor, key: _RequestKey) -> CaseView | None:
    with engine.unit_of_work(immediate=False) as uow:
        found = uow.session.get(IdempotencyKey, (actor.id, key.key))
        if found is None:
            return None
        if found.request_sha256 not in (None, key.request_sha256):
            reused = Reason(
                ErrorCode.IDEMPOTENCY_KEY_REUSED, "already used for a different application; send a new key"
            )
            raise InputInvalid(
                "this Idempotency-Key was used for a different application",
                {"Idempotency-Key": [reused]},
                code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
            )
        return _load_view(uow.session, found.case_id)


def _start(
    engine: Engine, actor: Actor, matter: str, data: Mapping[str, Any], idempotency_key: _RequestKey | None
) -> CaseView:
    with engine.unit_of_work() as uow:
        version = current_version(uow.session, matter)
        case = begin_case(uow, engine, actor, version, data)
        if idempotency_key is not None:
            uow.session.add(
                IdempotencyKey(
                    actor_id=actor.id,
                    key=idempotency_key.key,
                    request_sha256=idempotency_key.request_sha256,
                    case_id=case.id,
                    created_at=engine.clock.now(),
                )
            )
        uow.commit()
        return current_view(uow.session, case, matter, version.number)


def retry_case(engine: Engine, actor: Actor, case_id: str, data: Mapping[str, Any] | None = None) -> CaseView:
    """Run a case on past its open incident, optionally with corrected data; for the
    administrators of the case's region and the system; for anyone else, even those who may
    read the case, it does not exist (NotFound, as for a case they may not see)."""
    with engine.unit_of_work() as uow:
        case, version = case_and_version(uow.session, case_id)
        if not may_operate_on(actor, org_code=case.org_code):
            raise NotFound("no such case", code=ErrorCode.CASE_NOT_FOUND)
        open_incidents = [i for i in case.incidents if i.resolved_at is None]
        if case.status != CaseStatus.IN_PROGRESS:
            raise Conflict(
                "the case is no longer running; there is nothing to retry", code=ErrorCode.CASE_NOT_RUNNING
            )
        if not open_incidents:
            raise Conflict("the case has no open incident to retry", code=ErrorCode.NO_OPEN_INCIDENT)
        correction = _checked_correction(engine, uow.session, case, version, data or {})
        parsed, state = engine.parsed(version), case.state

        def prepare() -> CaseRun:
            run = CaseRun.resume(parsed, state)
            run.merge_data(correction)
            return run

        retried = Happening(TimelineKind.RETRIED, actor.id, fields=tuple(sorted(correction)) or None)
        fault = advance_case(engine, case, prepare, [retried])
        if fault is None:
            for incident in open_incidents:
                incident.resolved_at, incident.resolved_by = engine.clock.now(), actor.id
        audit_trail.record(
            uow,
            engine,
            actor,
            "case.retry",
            subject_type="case",
            subject_id=case.id,
            detail={"corrected": sorted(correction)},
        )
        uow.commit()
        return current_view(uow.session, case, version.matter.code, version.number)


def _checked_correction(
    engine: Engine, session: Session, case: Case, version: ProcessVersion, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Corrected data meets the rules of the form its fields come from: the start form first,
    then the forms of the matter's tasks (a reviewer's comment); fields of no form are refused,
    and the applicant's identity stays theirs. Every field's errors are reported together."""
    start_form = version.manifest["start_form"]
    form_ids = [start_form, *sorted(set(version.forms) - {start_form})]
    validators = [v for v in (engine.validator(version, form_id) for form_id in form_ids) if v is not None]
    remaining, cleaned, errors = dict(data), {}, {}
    for validator in validators:
        fields = {key: remaining.pop(key) for key in validator.keys & remaining.keys()}
        try:
            cleaned.update(validator.validate(fields, partial=True) if fields else {})
        except InputInvalid as exc:
            errors.update(exc.fields)
    errors.update(
        {key: [Reason(ErrorCode.FIELD_UNKNOWN, "no form of this matter has this field")] for key in remaining}
    )
    if errors:
        raise InputInvalid("the correction has errors", errors, code=ErrorCode.CORRECTION_INVALID)
    if validators:  # the start form's: it marks the applicant's own identity number
        validators[0].require_identity(cleaned, identity_on_record(session, case.applicant_id))
    return cleaned


def get_case(engine: Engine, actor: Actor, case_id: str) -> CaseView:
    """A case with its open tasks, timeline and incidents; NotFound for those who may not see it."""
    with engine.unit_of_work() as uow:
        view = _load_view(uow.session, case_id)
        if view is None or not may_read_case(actor, applicant_id=view.applicant_id, org_code=view.org_code):
            raise NotFound("no such case", code=ErrorCode.CASE_NOT_FOUND)
        audit_trail.record(uow, engine, actor, "case.read", subject_type="case", subject_id=case_id)
        uow.commit()
        return view


PAGE_SIZE = 20


def list_cases(
    engine: Engine,
    actor: Actor,
    *,
    status: CaseStatus | None = None,
    matter: str | None = None,
    page: int = 1,
) -> list[CaseView]:
    """Newest first: applicants see their own cases, reviewers their region's, auditors all.
    A page that shows cases is a read of them: one audit row names the cases it returned."""
    query = (
        select(Case, Matter.code, ProcessVersion.number)
        .join(Matter, Matter.id == Case.matter_id)
        .join(ProcessVersion, ProcessVersion.id == Case.version_id)
        .where(*_listed(actor, status=status, matter=matter))
        .order_by(Case.created_at.desc(), Case.id)
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    )
    with engine.unit_of_work() as uow:
        listed = [summary_view(case, code, number) for case, code, number in uow.session.execute(query).all()]
        if listed:
            asked = {"status": status, "matter": matter, "page": max(page, 1)}
            detail = {"cases": [view.id for view in listed], **{k: v for k, v in asked.items() if v}}
            page_id = f"page-{max(page, 1)}"
            audit_trail.record(
                uow, engine, actor, "case.list", subject_type="case_list", subject_id=page_id, detail=detail
            )
            uow.commit()
        return listed


def count_cases(
    engine: Engine, actor: Actor, *, status: CaseStatus | None = None, matter: str | None = None
) -> int:
    """How many cases list_cases pages through for the same arguments (for a pager)."""
    query = (
        select(func.count())
        .select_from(Case)
        .join(Matter, Matter.id == Case.matter_id)
        .where(*_listed(actor, status=status, matter=matter))
    )
    with engine.unit_of_work(immediate=False) as uow:
        return uow.session.scalar(query) or 0


def _listed(actor: Actor, *, status: CaseStatus | None, matter: str | None) -> list[ColumnElement[bool]]:
    """The cases the actor may list (of a query joining cases to matters), narrowed as asked."""
    conditions: list[ColumnElement[bool]] = []
    if actor.applies:
        conditions.append(Case.applicant_id == actor.id)
    elif Role.REVIEWER in actor.roles:
        conditions.append(Case.org_code.startswith(region_prefix(actor.org_code), autoescape=True))
    elif not (actor.internal or Role.AUDITOR in actor.roles):
        raise Forbidden(
            "only applicants, reviewers and auditors list cases", code=ErrorCode.CASE_LIST_FORBIDDEN
        )
    if status:
        conditions.append(Case.status == status)
    if matter:
        conditions.append(Matter.code == matter)
    return conditions


def _load_view(session: Session, case_id: str) -> CaseView | None:
    """A case with its tasks, timeline and incidents in four queries, or None."""
    row = session.execute(
        select(Case, Matter.code, ProcessVersion.number)
        .join(Matter, Matter.id == Case.matter_id)
        .join(ProcessVersion, ProcessVersion.id == Case.version_id)
        .where(Case.id == case_id)
        .options(selectinload(Case.tasks), selectinload(Case.incidents))
    ).one_or_none()
    return current_view(session, *row) if row else None
