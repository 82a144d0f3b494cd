"""The region tree: national > province > city > district > office, by division code."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import Engine
from engine.actors import Actor, Role
from engine.casework import audit_trail
from engine.casework.permissions import NATIONAL, region_covers
from engine.errors import Conflict, ErrorCode, Forbidden, InputInvalid, NotFound, Reason
from engine.persistence.models import Organisation
from engine.views import OrganisationView

_CODE = re.compile(r"^[0-9]{6}([0-9]{3})?$")


def level_of(code: str) -> str:
    """The administrative level a GB/T 2260-style code names; 9 digits are an office."""
    if code == NATIONAL:
        return "national"
    if len(code) > 6:
        return "office"
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "district"


def add_organisation(
    engine: Engine, actor: Actor, *, code: str, name: str, parent: str | None = None
) -> OrganisationView:
    """Add a node below an existing one; administrators only below their own organisation."""
    if not _CODE.match(code) or code == NATIONAL:
        raise InputInvalid(
            "invalid organisation",
            {"code": [Reason(ErrorCode.DIVISION_CODE_FORMAT, "6 digits (GB/T 2260), or 9 for an office")]},
            code=ErrorCode.ORGANISATION_INVALID,
        )
    if not name.strip():
        raise InputInvalid(
            "invalid organisation",
            {"name": [Reason(ErrorCode.NAME_REQUIRED, "required")]},
            code=ErrorCode.ORGANISATION_INVALID,
        )
    with engine.unit_of_work() as uow:
        session = uow.session
        if session.get(Organisation, code) is not None:
            raise Conflict(f"organisation {code} exists", code=ErrorCode.ORGANISATION_EXISTS)
        parent_row = session.get(Organisation, parent) if parent else _nearest_ancestor(session, code)
        if parent_row is None:
            raise NotFound(f"no parent organisation {parent}", code=ErrorCode.ORGANISATION_NOT_FOUND)
        if not region_covers(parent_row.code, code) or parent_row.code == code:
            outside = Reason(
                ErrorCode.PARENT_NOT_CONTAINING,
                f"{parent_row.code} does not contain {code}",
                parent=parent_row.code,
                division=code,
            )
            raise InputInvalid(
                "invalid organisation", {"parent": [outside]}, code=ErrorCode.ORGANISATION_INVALID
            )
        _require_manager(actor, parent_row.code)
        row = Organisation(
            code=code,
            name=name.strip(),
            level=level_of(code),
            parent_code=parent_row.code,
            created_at=engine.clock.now(),
        )
        session.add(row)
        audit_trail.record(
            uow,
            engine,
            actor,
            "organisation.add",
            subject_type="organisation",
            subject_id=code,
            detail={"name": row.name},
        )
        uow.commit()
        return _view(row)


def _require_manager(actor: Actor, parent_code: str) -> None:
    """Administrators add below their own organisation (including directly below it)."""
    if actor.internal:
        return
    if Role.ADMIN not in actor.roles or not region_covers(actor.org_code, parent_code):
        raise Forbidden(
            "administrators manage only their own part of the tree", code=ErrorCode.OUTSIDE_OWN_TREE
        )


def _nearest_ancestor(session: Session, code: str) -> Organisation | None:
    candidates = [code[:6]] if len(code) > 6 else []
    candidates += [code[:4] + "00", code[:2] + "0000", NATIONAL]
    for candidate in candidates:
        if candidate != code and (row := session.get(Organisation, candidate)) is not None:
            return row
    return None


def list_organisations(engine: Engine, actor: Actor) -> list[OrganisationView]:
    """The organisations in the actor's part of the tree."""
    with engine.unit_of_work(immediate=False) as uow:
        rows = uow.session.scalars(select(Organisation).order_by(Organisation.code)).all()
        return [_view(r) for r in rows if actor.internal or region_covers(actor.org_code, r.code)]


def _view(row: Organisation) -> OrganisationView:
    return OrganisationView(row.code, row.name, row.level, row.parent_code)
