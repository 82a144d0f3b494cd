"""The catalogue: deploy bundles as immutable versions, publish them, and read the guides."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import Engine
from engine.actors import Actor
from engine.bundles import (
    MatterBundle,
    catalogue_codes,
    compile_bundle,
    read_catalogue_matter,
)
from engine.casework import audit_trail
from engine.casework.lookup import current_version, stored_version
from engine.casework.permissions import require_author
from engine.errors import Problem, ProcessInvalid
from engine.persistence.models import Matter, ProcessVersion
from engine.views import MatterDetail, MatterSummary, ProcessTexts, SyncChange, VersionView
from engine.vocabulary import SyncAction


def load_catalogue(root: Path) -> list[MatterBundle]:
    """Read and fully validate every matter under root; ProcessInvalid lists all problems."""
    bundles, problems = [], []
    for code in catalogue_codes(root):
        try:
            bundle = load_catalogue_matter(root, code)
            if bundle.code != code:
                raise ProcessInvalid(
                    [Problem("matter.yaml", "code", f"code {bundle.code!r} != folder {code!r}")]
                )
            bundles.append(bundle)
        except ProcessInvalid as exc:
            problems += [_prefixed(p, f"processes/{code}") for p in exc.problems]
    if problems:
        raise ProcessInvalid(problems)
    return bundles


def _prefixed(problem: Problem, folder: str) -> Problem:
    file = problem.file if "/" in problem.file else f"{folder}/{problem.file}"
    return Problem(file, problem.element, problem.message, problem.line)


def sync_catalogue(engine: Engine, actor: Actor, root: Path) -> list[SyncChange]:
    """Deploy and publish every matter whose content changed; running cases keep their version."""
    require_author(actor)
    bundles = load_catalogue(root)
    changes = []
    with engine.unit_of_work() as uow:
        for bundle in bundles:
            version, action = _store_version(uow.session, engine, bundle, publish=True)
            changes.append(SyncChange(bundle.code, action, version.number))
            if action != SyncAction.UNCHANGED:
                audit_trail.record(
                    uow,
                    engine,
                    actor,
                    f"catalogue.{action}",
                    subject_type="matter",
                    subject_id=bundle.code,
                    detail={"version": version.number, "sha256": bundle.sha256},
                )
        uow.commit()
    return changes


def deploy_bundle(engine: Engine, actor: Actor, bundle: MatterBundle, *, publish: bool) -> VersionView:
    """Store a bundle as a new version (or find the identical one) and optionally publish it."""
    require_author(actor)
    compile_bundle(bundle)
    with engine.unit_of_work() as uow:
        version, action = _store_version(uow.session, engine, bundle, publish=publish)
        audit_trail.record(
            uow,
            engine,
            actor,
            "catalogue.deploy",
            subject_type="matter",
            subject_id=bundle.code,
            detail={"version": version.number, "action": action, "publish": publish},
        )
        uow.commit()
        return _version_view(version)


def _store_version(
    session: Session, engine: Engine, bundle: MatterBundle, *, publish: bool
) -> tuple[ProcessVersion, SyncAction]:
    now = engine.clock.now()
    matter = session.scalar(select(Matter).where(Matter.code == bundle.code))
    if matter is None:
        matter = Matter(code=bundle.code, created_at=now)
        session.add(matter)
        session.flush()
    version = session.scalar(
        select(ProcessVersion).where(
            ProcessVersion.matter_id == matter.id, ProcessVersion.sha256 == bundle.sha256
        )
    )
    if version is not None:
        if not publish or matter.current_version_id == version.id:
            return version, SyncAction.UNCHANGED
        _publish(version, engine)
        return version, SyncAction.RESTORED
    last = session.scalar(
        select(func.max(ProcessVersion.number)).where(ProcessVersion.matter_id == matter.id)
    )
    version = ProcessVersion(
        matter=matter,
        number=(last or 0) + 1,
        sha256=bundle.sha256,
        process_id=bundle.process.process_id,
        manifest=dict(bundle.manifest),
        sources={**bundle.process.bpmn, **bundle.process.dmn},
        forms={key: dict(form) for key, form in bundle.forms.items()},
        created_at=now,
        published_at=None,
    )
    session.add(version)
    session.flush()
    if publish:
        _publish(version, engine)
    return version, SyncAction.CREATED if version.number == 1 else SyncAction.UPDATED


def _publish(version: ProcessVersion, engine: Engine) -> None:
    version.published_at = version.published_at or engine.clock.now()
    version.matter.current_version = version


def list_matters(engine: Engine) -> list[MatterSummary]:
    """The published catalogue, ordered by category then code."""
    with engine.unit_of_work(immediate=False) as uow:
        rows = uow.session.execute(
            select(Matter.code, ProcessVersion).join(
                ProcessVersion, ProcessVersion.id == Matter.current_version_id
            )
        ).all()
        summaries = [_summary(code, version) for code, version in rows]
    return sorted(summaries, key=lambda s: (s.category["en"], s.code))


def get_matter(engine: Engine, code: str) -> MatterDetail:
    """A published matter's service guide and start form."""
    with engine.unit_of_work(immediate=False) as uow:
        version = current_version(uow.session, code)
        manifest = version.manifest
        return MatterDetail(
            summary=_summary(code, version),
            guide=dict(manifest["guide"]),
            start_form=dict(version.forms[manifest["start_form"]]),
            process_id=version.process_id,
        )


def process_texts(engine: Engine, code: str, number: int) -> ProcessTexts:
    """The names of a version's steps, the forms of its user tasks and its start form (NotFound
    for a version that does not exist). Public like the catalogue: they say nothing about a case."""
    with engine.unit_of_work(immediate=False) as uow:
        version = stored_version(uow.session, code, number)
        elements = engine.parsed(version).elements.values()
        return ProcessTexts(
            names={element.id: element.names for element in elements},
            task_forms={
                element.id: dict(version.forms[element.form_key])
                for element in elements
                if element.kind == "userTask" and element.form_key in version.forms
            },
            start_form=dict(version.forms.get(version.manifest["start_form"]) or {}),
        )


def warm_specs(engine: Engine) -> int:
    """Parse every published version now rather than at its first case; returns how many."""
    with engine.unit_of_work(immediate=False) as uow:
        published = uow.session.scalars(
            select(ProcessVersion).join(Matter, Matter.current_version_id == ProcessVersion.id)
        ).all()
        for version in published:
            engine.parsed(version)
    return len(published)


def _summary(code: str, version: ProcessVersion) -> MatterSummary:
    manifest = version.manifest
    return MatterSummary(
        code=code,
        name=dict(manifest["name"]),
        category=dict(manifest["category"]),
        applicant_type=manifest["applicant"],
        instant=bool(manifest["instant"]),
        time_limit_days=int(manifest["time_limit_days"]),
        version=version.number,
    )


def _version_view(version: ProcessVersion) -> VersionView:
    return VersionView(
        matter=version.matter.code,
        number=version.number,
        sha256=version.sha256,
        published=version.matter.current_version_id == version.id,
        created_at=version.created_at,
    )


def load_catalogue_matter(root: Path, code: str) -> MatterBundle:
    bundle = read_catalogue_matter(root, code)
    compile_bundle(bundle)
    return bundle
