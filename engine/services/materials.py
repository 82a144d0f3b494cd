"""Materials: files an applicant adds to a case, checked, stored outside the web root.

A file's type is decided from its first bytes, never from its name or the browser's word;
only PDF, JPEG and PNG are kept, up to 10 MiB each, 20 files and 50 MiB a case, and 200 MiB
for all the cases of one account (so nobody fills the disk by opening case after case). The
case's row, and the account's, are locked while a file is counted in, so parallel uploads
cannot all fit in the same space left. The name a person gave is
kept only for display, cleaned of paths and control characters; on disk a file is named by a
random id under Settings.materials_root/<case id>/.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path
from uuid import uuid4

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import Engine
from engine.actors import Actor
from engine.casework import audit_trail, timeline
from engine.casework.happenings import Happening
from engine.casework.permissions import may_read_case
from engine.errors import Conflict, ErrorCode, InputInvalid, NotFound, Reason
from engine.persistence.models import Account, Case, Material
from engine.views import MaterialView
from engine.vocabulary import TimelineKind

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_CASE = 20
MAX_CASE_BYTES = 50 * 1024 * 1024
MAX_ACCOUNT_BYTES = 200 * 1024 * 1024
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


def upload_material(
    engine: Engine, actor: Actor, case_id: str, *, filename: str, data: bytes
) -> MaterialView:
    """The owner adds a file to an open case."""
    content_type, extension = _checked_type(data)
    with engine.unit_of_work() as uow:
        case = uow.session.get(Case, case_id, with_for_update=True)
        if case is None or case.applicant_id != actor.id:
            raise NotFound("no such case", code=ErrorCode.CASE_NOT_FOUND)
        if not case.status.is_open:
            raise Conflict("materials can be added only while the case is open", code=ErrorCode.CASE_CLOSED)
        _require_room(uow.session, case_id, actor.id, len(data))
        material = Material(
            id=uuid4().hex,
            case_id=case_id,
            filename=clean_filename(filename, extension),
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor.id,
            uploaded_at=engine.clock.now(),
        )
        _store(engine.settings.materials_root / case_id / f"{material.id}{extension}", data)
        uow.session.add(material)
        added = Happening(TimelineKind.MATERIAL_ADDED, actor.id, note=material.filename)
        timeline.record(uow.session, case_id, material.uploaded_at, [added])
        audit_trail.record(
            uow,
            engine,
            actor,
            "material.add",
            subject_type="case",
            subject_id=case_id,
            detail={"material": material.id, "sha256": material.sha256},
        )
        uow.commit()
        return _view(material)


def _require_room(session: Session, case_id: str, account_id: str, size: int) -> None:
    """Refuse a file that would pass the case's count or size quota, or the account's."""
    session.execute(select(Account.id).where(Account.id == account_id).with_for_update())
    count, case_bytes = session.execute(
        select(func.count(), func.coalesce(func.sum(Material.size), 0)).where(Material.case_id == case_id)
    ).one()
    account_bytes = session.scalar(
        select(func.coalesce(func.sum(Material.size), 0)).where(Material.uploaded_by == account_id)
    )
    if count >= MAX_PER_CASE:
        files = Reason(ErrorCode.FILES_PER_CASE, f"at most {MAX_PER_CASE} files a case", count=MAX_PER_CASE)
        raise InputInvalid("too many files", {"file": [files]}, code=ErrorCode.TOO_MANY_FILES)
    for used, quota, holder, code in (
        (case_bytes, MAX_CASE_BYTES, "a case", ErrorCode.CASE_QUOTA),
        (account_bytes, MAX_ACCOUNT_BYTES, "an account", ErrorCode.ACCOUNT_QUOTA),
    ):
        if (used or 0) + size > quota:
            left, mebibytes = max(quota - (used or 0), 0) // 1024, quota // (1024 * 1024)
            message = f"{holder} holds at most {mebibytes} MiB of materials ({left} KiB left)"
            full = Reason(code, message, size=mebibytes, left=left)
            raise InputInvalid("over the storage quota", {"file": [full]}, code=ErrorCode.OVER_QUOTA)


def list_materials(engine: Engine, actor: Actor, case_id: str) -> list[MaterialView]:
    """A case's files, for whoever may see the case."""
    with engine.unit_of_work(immediate=False) as uow:
        _readable(uow.session.get(Case, case_id), actor)
        rows = uow.session.scalars(
            select(Material).where(Material.case_id == case_id).order_by(Material.uploaded_at)
        )
        return [_view(row) for row in rows]


def open_material(engine: Engine, actor: Actor, case_id: str, material_id: str) -> tuple[MaterialView, Path]:
    """One file for download; the read is audited like a read of the case."""
    with engine.unit_of_work() as uow:
        _readable(uow.session.get(Case, case_id), actor)
        material = uow.session.get(Material, material_id)
        if material is None or material.case_id != case_id:
            raise NotFound("no such material", code=ErrorCode.MATERIAL_NOT_FOUND)
        audit_trail.record(
            uow,
            engine,
            actor,
            "material.read",
            subject_type="case",
            subject_id=case_id,
            detail={"material": material_id},
        )
        uow.commit()
        extension = next(ext for _, kind, ext in SIGNATURES if kind == material.content_type)
        return _view(material), engine.settings.materials_root / case_id / f"{material.id}{extension}"


def clean_filename(name: str, extension: str) -> str:
    """A display name without directories, control characters or a misleading extension."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c)[0] != "C")
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", base).strip(" .") or "material"
    return stem[:100] + extension


def _checked_type(data: bytes) -> tuple[str, str]:
    if not data:
        raise InputInvalid(
            "empty file",
            {"file": [Reason(ErrorCode.FILE_EMPTY, "the file is empty")]},
            code=ErrorCode.FILE_EMPTY,
        )
    if len(data) > MAX_BYTES:
        mebibytes = MAX_BYTES // (1024 * 1024)
        too_large = Reason(ErrorCode.FILE_SIZE_LIMIT, f"at most {mebibytes} MiB", size=mebibytes)
        raise InputInvalid("file too large", {"file": [too_large]}, code=ErrorCode.FILE_TOO_LARGE)
    for signature, content_type, extension in SIGNATURES:
        if data.startswith(signature):
            return content_type, extension
    refused = Reason(ErrorCode.FILE_TYPES_ACCEPTED, "only PDF, JPEG and PNG files are accepted")
    raise InputInvalid("unsupported file", {"file": [refused]}, code=ErrorCode.FILE_TYPE_REFUSED)


def _store(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_bytes(data)
    os.replace(partial, path)  # a reader never sees half a file


def _readable(case: Case | None, actor: Actor) -> None:
    if case is None or not may_read_case(actor, applicant_id=case.applicant_id, org_code=case.org_code):
        raise NotFound("no such case", code=ErrorCode.CASE_NOT_FOUND)


def _view(row: Material) -> MaterialView:
    return MaterialView(row.id, row.case_id, row.filename, row.content_type, row.size, row.uploaded_at)
